#include "judgeopt/optim/config/method_registry.h"

namespace judgeopt::optim {
namespace {

constexpr MethodEntry kMethodEntries[] = {
    {Method::kPlain, "", nullptr, false, false},
    {Method::kSpc, "SPC", "SSC", true, true},
    {Method::kMgda, "MGDA", "SSS", false, false},
    {Method::kRouter, "ROUTER", "SCC", false, false},
};

}  // namespace

std::span<const MethodEntry> AllMethods() { return kMethodEntries; }

const MethodEntry& MethodEntryOf(Method method) {
  for (const MethodEntry& e : kMethodEntries) {
    if (e.method == method) return e;
  }
  return kMethodEntries[0];  // not reached: the table names every method
}

const MethodEntry* MethodWithLabel(std::string_view upper) {
  for (const MethodEntry& e : kMethodEntries) {
    if (e.stages != nullptr && upper == e.label) return &e;
  }
  return nullptr;
}

}  // namespace judgeopt::optim
