#pragma once
// The code version recorded with every run and shown by --version. Defined in a source file that
// CMake generates at configure time (build/generated/version.cc), so a new commit recompiles one
// file. Thread-safe (constant data).

#include <string>

namespace judgeopt {

/// The project version, e.g. "0.1.0".
const char* VersionNumber();
/// The short git revision the build was configured at, or "unknown" outside a git checkout.
const char* GitRevision();

/// "<version> (<revision>)".
inline std::string VersionString() {
  return std::string(VersionNumber()) + " (" + GitRevision() + ")";
}

}  // namespace judgeopt
