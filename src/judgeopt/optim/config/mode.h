#pragma once
// Decomposition modes: Separate or Combined per stage (loss, gradient, optimizer), as in
// reference-protocol §4.6, plus the single-task (ST) configuration.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::optim {

/// How one stage treats the criteria: one call per criterion (S) or one call for all (C).
enum class Strategy { kSeparate, kCombined };

/// The three stages' strategies. Plain value.
struct Mode {
  Strategy loss = Strategy::kSeparate;
  Strategy gradient = Strategy::kSeparate;
  Strategy optimizer = Strategy::kSeparate;

  /// "SSS", "SSC", "SCC" or "CCC".
  std::string Name() const;
  bool operator==(const Mode&) const = default;
};

/// Every name a config's `mode` (and --mode) accepts, for help text, errors and tests: the
/// study's modes, "ST" and each method's label from the method registry (SSS, SSC, SCC, CCC, ST,
/// SPC, MGDA, ROUTER).
std::vector<std::string> ModeNames();

/// ModeNames() for help text and errors: "SSS, SSC, SCC, CCC, ST, SPC, MGDA or ROUTER".
std::string ModeNameChoices();

/// Parses "SSS", "SSC", "SCC" or "CCC" (case-insensitive). Every other three-letter string is
/// rejected with the reason: once a stage combines the criteria, later stages cannot separate
/// them again (the combined stage's output is one text for all criteria). `field` names where the
/// value came from in the message.
Result<Mode> ParseMode(std::string_view text, std::string_view field = "mode");

}  // namespace judgeopt::optim
