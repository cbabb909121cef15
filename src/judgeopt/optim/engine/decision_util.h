#pragma once
// Small helpers shared by the methods that write DecisionRecords (noise gate, MGDA, archive):
// optional numbers as JSON null, and short numbers for one-line summaries.

#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace judgeopt::optim {

/// `v` as a JSON number, or null.
inline nlohmann::json OptionalJson(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

/// `v` with 3 decimals and a sign ("+0.120", "-0.031"), or "n/a".
inline std::string Signed3(const std::optional<double>& v) {
  return v ? fmt::format("{:+.3f}", *v) : std::string("n/a");
}

/// `v` with 3 decimals, or "n/a".
inline std::string Fixed3(const std::optional<double>& v) {
  return v ? fmt::format("{:.3f}", *v) : std::string("n/a");
}

}  // namespace judgeopt::optim
