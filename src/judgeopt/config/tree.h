#pragma once
// Config and spec files as JSON trees. TOML and JSON files both load into nlohmann::json, so every
// config reader works on one representation; helpers give typed access with errors that name the
// file and the key path, and reject unknown keys.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::config {

using Json = nlohmann::ordered_json;

/// Loads a .toml or .json file (chosen by extension; anything else is tried as JSON).
/// Errors name the file and, for syntax errors, the line and column.
Result<Json> LoadTreeFile(const std::string& path);
/// Parses TOML or JSON text; `origin` names the source in messages.
Result<Json> ParseToml(std::string_view text, const std::string& origin);
Result<Json> ParseJson(std::string_view text, const std::string& origin);

/// A position in a tree for messages: "<origin>: key 'a.b[2].c'".
class TreePath {
 public:
  explicit TreePath(std::string origin) : origin_(std::move(origin)) {}
  TreePath Key(std::string_view key) const;
  TreePath Index(std::size_t i) const;
  /// "<origin>: key 'a.b'" (or just "<origin>" at the root).
  std::string Describe() const;
  Error Fail(std::string_view what) const;  // InvalidArgument("<Describe()>: <what>")
  const std::string& origin() const { return origin_; }
  const std::string& path() const { return path_; }

 private:
  std::string origin_;
  std::string path_;
};

/// Fails when `obj` is not an object or holds a key outside `allowed` (naming the key).
Status CheckKeys(const Json& obj, const std::vector<std::string>& allowed, const TreePath& at);

/// Typed getters. A missing key gives `fallback`; the Required* forms fail on a missing key.
/// A present key of the wrong type always fails, naming the key and the expected type.
Result<std::string> GetString(const Json& obj, const std::string& key, const TreePath& at,
                              const std::string& fallback = "");
Result<std::string> RequiredString(const Json& obj, const std::string& key, const TreePath& at);
Result<double> GetNumber(const Json& obj, const std::string& key, const TreePath& at,
                         double fallback);
Result<double> RequiredNumber(const Json& obj, const std::string& key, const TreePath& at);
Result<long long> GetInt(const Json& obj, const std::string& key, const TreePath& at,
                         long long fallback);
Result<bool> GetBool(const Json& obj, const std::string& key, const TreePath& at, bool fallback);
Result<std::vector<std::string>> GetStringList(const Json& obj, const std::string& key,
                                               const TreePath& at);

}  // namespace judgeopt::config
