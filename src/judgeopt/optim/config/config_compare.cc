#include "judgeopt/optim/config/config_compare.h"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {
namespace {

using config::Json;

// The result key of a stored config as a tree; nullopt when the text is not a valid config.
std::optional<Json> ResultKeyTree(std::string_view text) {
  Json tree = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (tree.is_discarded() || !tree.is_object()) return std::nullopt;
  // Stored configs name key variables only; an empty environment keeps parsing pure.
  const llm::EnvLookup no_env = [](const std::string&) -> std::optional<std::string> {
    return std::nullopt;
  };
  Result<OptimizeConfig> config = ParseOptimizeConfig(tree, "stored config", no_env);
  if (!config.ok()) return std::nullopt;
  return Json::parse(ResultKeyText(*config));
}

std::string Short(const Json& value) {
  std::string s = value.dump();
  return s.size() <= 60 ? s : s.substr(0, 57) + "...";
}

// "path: stored A, now B" for the first difference between `a` and `b` (keys in stored order);
// nullopt when they are equal.
std::optional<std::string> FirstDifference(const Json& a, const Json& b, const std::string& at) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      const std::string path = at.empty() ? key : at + "." + key;
      if (!b.contains(key)) return fmt::format("{}: stored {}, now absent", path, Short(value));
      if (auto d = FirstDifference(value, b.at(key), path)) return d;
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) {
        return fmt::format("{}: absent when stored, now {}", at.empty() ? key : at + "." + key,
                           Short(value));
      }
    }
    return std::nullopt;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto d = FirstDifference(a[i], b[i], fmt::format("{}[{}]", at, i))) return d;
    }
    return std::nullopt;
  }
  if (a == b) return std::nullopt;
  return fmt::format("{}: stored {}, now {}", at.empty() ? "config" : at, Short(a), Short(b));
}

}  // namespace

Status CheckSameResults(std::string_view stored_json, std::string_view now_json) {
  if (stored_json == now_json) return Status::Ok();
  std::optional<Json> stored = ResultKeyTree(stored_json);
  std::optional<Json> now = ResultKeyTree(now_json);
  if (!stored || !now) {
    return InvalidArgument("the stored config differs from this one and cannot be compared "
                           "key by key");
  }
  if (std::optional<std::string> d = FirstDifference(*stored, *now, "")) {
    return InvalidArgument("a setting that decides its results differs (" + *d + ")");
  }
  return Status::Ok();
}

}  // namespace judgeopt::optim
