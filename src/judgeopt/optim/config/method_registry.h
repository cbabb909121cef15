#pragma once
// The conflict-aware methods (docs/methods.md) in one table: for each method.name the label it
// gives run ids, listings and modes ("SPC" is also a mode name), the stages it runs on and the
// options it turns on. Config parsing, mode names and run labels read it; the step's own
// dispatch (which stage a method replaces) stays with the methods. In optim/config because the
// config's parsing needs it and may not include optim/methods.

#include <span>
#include <string_view>

#include "judgeopt/optim/config/settings.h"

namespace judgeopt::optim {

/// One method. Plain value.
struct MethodEntry {
  Method method;
  /// Run labels and the mode alias (`mode = "SPC"`); "" for plain.
  const char* label;
  /// The mode whose stages the method runs on ("SSC"); nullptr: any mode (plain).
  const char* stages;
  /// The stored mode names the label instead of the stages (SPC: SSC alone would not say that
  /// its gradients are structured and projected).
  bool label_is_mode;
  /// Turns on structured gradients and the conflict matrix unless [method] sets them.
  bool structured;
};

/// Every method, plain first.
std::span<const MethodEntry> AllMethods();

/// The entry of `method`.
const MethodEntry& MethodEntryOf(Method method);

/// The method labelled `upper` (upper case: "SPC", "MGDA", "ROUTER"); nullptr for any other text.
const MethodEntry* MethodWithLabel(std::string_view upper);

}  // namespace judgeopt::optim
