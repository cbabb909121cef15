#include "judgeopt/config/tree.h"

#include <toml++/toml.h>

#include <cmath>
#include <sstream>

#include "judgeopt/base/files.h"

namespace judgeopt::config {
namespace {

Json TomlToJson(const toml::node& node) {
  if (const auto* t = node.as_table()) {
    Json out = Json::object();
    for (const auto& [k, v] : *t) out[std::string(k.str())] = TomlToJson(v);
    return out;
  }
  if (const auto* a = node.as_array()) {
    Json out = Json::array();
    for (const auto& v : *a) out.push_back(TomlToJson(v));
    return out;
  }
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return i->get();
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* b = node.as_boolean()) return b->get();
  std::ostringstream os;  // dates and times: keep their TOML text
  if (const auto* d = node.as_date()) os << d->get();
  if (const auto* t = node.as_time()) os << t->get();
  if (const auto* dt = node.as_date_time()) os << dt->get();
  return os.str();
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string TypeName(const Json& v) { return v.type_name(); }

Error WrongType(const TreePath& at, const std::string& key, std::string_view want, const Json& v) {
  return at.Key(key).Fail("expected " + std::string(want) + ", got " + TypeName(v));
}

}  // namespace

Result<Json> ParseToml(std::string_view text, const std::string& origin) {
  try {
    toml::table table = toml::parse(text, origin);
    return TomlToJson(table);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return ParseError(origin + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                      ": " + std::string(e.description()));
  }
}

Result<Json> ParseJson(std::string_view text, const std::string& origin) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // Convert the byte offset into line:column.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    return ParseError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": invalid JSON (" + e.what() + ")");
  } catch (const Json::out_of_range& e) {
    // A number too large for a double (e.g. 1e999) is not a parse_error (found by fuzz_config).
    return ParseError(origin + ": invalid JSON (" + e.what() + ")");
  }
}

Result<Json> LoadTreeFile(const std::string& path) {
  JO_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (EndsWith(path, ".toml")) return ParseToml(text, path);
  return ParseJson(text, path);
}

TreePath TreePath::Key(std::string_view key) const {
  TreePath p = *this;
  if (!p.path_.empty()) p.path_ += '.';
  p.path_ += key;
  return p;
}

TreePath TreePath::Index(std::size_t i) const {
  TreePath p = *this;
  p.path_ += "[" + std::to_string(i) + "]";
  return p;
}

std::string TreePath::Describe() const {
  return path_.empty() ? origin_ : origin_ + ": key '" + path_ + "'";
}

Error TreePath::Fail(std::string_view what) const {
  return InvalidArgument(Describe() + ": " + std::string(what));
}

Status CheckKeys(const Json& obj, const std::vector<std::string>& allowed, const TreePath& at) {
  if (!obj.is_object()) return at.Fail("expected a table/object, got " + TypeName(obj));
  for (const auto& [k, v] : obj.items()) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == k;
    if (!known) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return at.Key(k).Fail("unknown key (allowed: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<std::string> GetString(const Json& obj, const std::string& key, const TreePath& at,
                              const std::string& fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_string()) return WrongType(at, key, "a string", *it);
  return it->get<std::string>();
}

Result<std::string> RequiredString(const Json& obj, const std::string& key, const TreePath& at) {
  if (!obj.contains(key)) return at.Key(key).Fail("required key is missing");
  return GetString(obj, key, at);
}

Result<double> GetNumber(const Json& obj, const std::string& key, const TreePath& at,
                         double fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_number()) return WrongType(at, key, "a number", *it);
  return it->get<double>();
}

Result<double> RequiredNumber(const Json& obj, const std::string& key, const TreePath& at) {
  if (!obj.contains(key)) return at.Key(key).Fail("required key is missing");
  return GetNumber(obj, key, at, 0.0);
}

Result<long long> GetInt(const Json& obj, const std::string& key, const TreePath& at,
                         long long fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (it->is_number_integer()) return it->get<long long>();
  if (it->is_number_float()) {
    double d = it->get<double>();
    if (std::floor(d) == d) return static_cast<long long>(d);
  }
  return WrongType(at, key, "an integer", *it);
}

Result<bool> GetBool(const Json& obj, const std::string& key, const TreePath& at, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_boolean()) return WrongType(at, key, "true or false", *it);
  return it->get<bool>();
}

Result<std::vector<std::string>> GetStringList(const Json& obj, const std::string& key,
                                               const TreePath& at) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end()) return out;
  if (!it->is_array()) return WrongType(at, key, "a list of strings", *it);
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    if (!v.is_string()) return at.Key(key).Index(i).Fail("expected a string, got " + TypeName(v));
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace judgeopt::config
