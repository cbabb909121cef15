#include "judgeopt/data/dataset_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace judgeopt::data {
namespace {

using config::CheckKeys;
using config::GetBool;
using config::GetNumber;
using config::GetString;
using config::GetStringList;
using config::Json;
using config::RequiredString;
using config::TreePath;

Result<TextTransform> ParseTransform(const std::string& text, const TreePath& at) {
  std::string name = text.substr(0, text.find(':'));
  std::string arg = name.size() < text.size() ? text.substr(name.size() + 1) : "";
  if (name == "trim" && arg.empty()) return TextTransform{TextTransform::Kind::kTrim, ""};
  if (name == "nbsp_to_space" && arg.empty()) {
    return TextTransform{TextTransform::Kind::kNbspToSpace, ""};
  }
  if (name == "cut_before_line" && !arg.empty()) {
    return TextTransform{TextTransform::Kind::kCutBeforeLine, arg};
  }
  return at.Fail("unknown transform '" + text +
                 "' (use trim, nbsp_to_space or cut_before_line:<prefix>)");
}

Result<InputSpec> ParseInput(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(obj, {"field", "label", "transforms"}, at));
  InputSpec in;
  JO_ASSIGN_OR_RETURN(in.input.field, RequiredString(obj, "field", at));
  JO_ASSIGN_OR_RETURN(in.input.label, GetString(obj, "label", at, in.input.field));
  JO_ASSIGN_OR_RETURN(auto names, GetStringList(obj, "transforms", at));
  for (std::size_t i = 0; i < names.size(); ++i) {
    JO_ASSIGN_OR_RETURN(auto t, ParseTransform(names[i], at.Key("transforms").Index(i)));
    in.transforms.push_back(std::move(t));
  }
  return in;
}

Result<Scale> ParseScale(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(obj, {"min", "max", "integer"}, at));
  Scale s;
  JO_ASSIGN_OR_RETURN(s.min, config::RequiredNumber(obj, "min", at));
  JO_ASSIGN_OR_RETURN(s.max, config::RequiredNumber(obj, "max", at));
  JO_ASSIGN_OR_RETURN(s.integer, GetBool(obj, "integer", at, true));
  if (!(s.min < s.max)) return at.Fail("min must be below max");
  if (s.integer && (std::floor(s.min) != s.min || std::floor(s.max) != s.max)) {
    return at.Fail("an integer scale needs whole-number min and max");
  }
  return s;
}

Result<CriterionSpec> ParseCriterion(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(
      obj,
      {"name", "gold_field", "scale", "seed_instruction", "paper_seed_instruction", "description",
       "concepts", "whole_gold"},
      at));
  CriterionSpec cs;
  Criterion& c = cs.criterion;
  JO_ASSIGN_OR_RETURN(c.name, RequiredString(obj, "name", at));
  if (c.name.empty()) return at.Key("name").Fail("must not be empty");
  JO_ASSIGN_OR_RETURN(c.gold_field, GetString(obj, "gold_field", at, c.name));
  if (!obj.contains("scale")) return at.Key("scale").Fail("required key is missing");
  JO_ASSIGN_OR_RETURN(c.scale, ParseScale(obj.at("scale"), at.Key("scale")));
  JO_ASSIGN_OR_RETURN(c.seed_instruction, RequiredString(obj, "seed_instruction", at));
  JO_ASSIGN_OR_RETURN(cs.paper_seed_instruction, GetString(obj, "paper_seed_instruction", at));
  JO_ASSIGN_OR_RETURN(c.description, GetString(obj, "description", at));
  JO_ASSIGN_OR_RETURN(c.concepts, GetStringList(obj, "concepts", at));
  JO_ASSIGN_OR_RETURN(cs.whole_gold, GetBool(obj, "whole_gold", at, false));
  return cs;
}

Result<JoinSpec> ParseJoin(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(obj, {"file", "format", "key", "other_key", "fields"}, at));
  JoinSpec j;
  JO_ASSIGN_OR_RETURN(j.file, RequiredString(obj, "file", at));
  JO_ASSIGN_OR_RETURN(j.format, GetString(obj, "format", at));
  JO_ASSIGN_OR_RETURN(j.key, RequiredString(obj, "key", at));
  JO_ASSIGN_OR_RETURN(j.other_key, GetString(obj, "other_key", at, j.key));
  auto it = obj.find("fields");
  if (it == obj.end() || !it->is_object() || it->empty()) {
    return at.Key("fields").Fail("expected a table of new_name = \"field in the joined file\"");
  }
  for (const auto& [name, v] : it->items()) {
    if (!v.is_string()) return at.Key("fields").Key(name).Fail("expected a string");
    j.fields.emplace_back(name, v.get<std::string>());
  }
  return j;
}

Result<DropRule> ParseDrop(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(obj, {"field", "equals", "reason"}, at));
  DropRule d;
  JO_ASSIGN_OR_RETURN(d.field, RequiredString(obj, "field", at));
  JO_ASSIGN_OR_RETURN(d.equals, RequiredString(obj, "equals", at));
  JO_ASSIGN_OR_RETURN(d.reason, GetString(obj, "reason", at));
  return d;
}

Result<FileSet> ParsePerSplitFiles(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(CheckKeys(obj, {"train", "validation", "test"}, at));
  FileSet f;
  JO_ASSIGN_OR_RETURN(f.train, GetString(obj, "train", at));
  JO_ASSIGN_OR_RETURN(f.validation, GetString(obj, "validation", at));
  JO_ASSIGN_OR_RETURN(f.test, GetString(obj, "test", at));
  if (f.train.empty() && f.validation.empty() && f.test.empty()) {
    return at.Fail("name at least one of train, validation, test");
  }
  return f;
}

// `data = "file"` or `[files]`; exactly one. `required` is false where neither may be given.
Result<FileSet> ParseFileSet(const Json& obj, const TreePath& at, bool required) {
  bool has_data = obj.contains("data"), has_files = obj.contains("files");
  if (has_data && has_files) return at.Fail("give either 'data' or 'files', not both");
  if (has_files) return ParsePerSplitFiles(obj.at("files"), at.Key("files"));
  FileSet f;
  JO_ASSIGN_OR_RETURN(f.data, GetString(obj, "data", at));
  if (required && f.data.empty()) {
    return at.Fail("name the data: 'data' (one file), 'files' (one per split) or 'versions'");
  }
  return f;
}

Result<std::vector<VersionSpec>> ParseVersions(const Json& obj, const TreePath& at) {
  if (!obj.is_object() || obj.empty()) return at.Fail("expected a table of named versions");
  std::vector<VersionSpec> out;
  for (const auto& [name, v] : obj.items()) {
    TreePath vat = at.Key(name);
    JO_RETURN_IF_ERROR(CheckKeys(v, {"description", "data", "files"}, vat));
    VersionSpec ver;
    ver.name = name;
    JO_ASSIGN_OR_RETURN(ver.description, GetString(v, "description", vat));
    JO_ASSIGN_OR_RETURN(ver.files, ParseFileSet(v, vat, true));
    out.push_back(std::move(ver));
  }
  return out;
}

Result<SplitSize> ParseSize(const Json& obj, const std::string& key, const TreePath& at) {
  SplitSize s;
  auto it = obj.find(key);
  if (it == obj.end()) return s;
  s.given = true;
  if (it->is_number_integer()) {
    s.value = it->get<double>();
    if (s.value < 0) return at.Key(key).Fail("a row count must not be negative");
    return s;
  }
  if (it->is_number_float()) {
    s.ratio = true;
    s.value = it->get<double>();
    if (!(s.value >= 0 && s.value <= 1)) {
      return at.Key(key).Fail("a ratio must lie in [0, 1] (write a row count as an integer)");
    }
    return s;
  }
  return at.Key(key).Fail("expected a row count (integer) or a ratio (e.g. 0.25)");
}

Result<SplitSpec> ParseSplit(const Json& obj, const TreePath& at) {
  JO_RETURN_IF_ERROR(
      CheckKeys(obj, {"seed", "train", "validation", "test", "order", "setup_shuffle"}, at));
  SplitSpec s;
  JO_ASSIGN_OR_RETURN(long long seed, config::GetInt(obj, "seed", at, 42));
  if (seed < 0 || seed > 0xffffffffLL) return at.Key("seed").Fail("must lie in [0, 2^32-1]");
  s.seed = static_cast<std::uint32_t>(seed);
  JO_ASSIGN_OR_RETURN(s.setup_shuffle, GetBool(obj, "setup_shuffle", at, true));
  JO_ASSIGN_OR_RETURN(s.train, ParseSize(obj, "train", at));
  JO_ASSIGN_OR_RETURN(s.validation, ParseSize(obj, "validation", at));
  JO_ASSIGN_OR_RETURN(s.test, ParseSize(obj, "test", at));
  double ratios = 0;
  for (const SplitSize* z : {&s.train, &s.validation, &s.test}) ratios += z->ratio ? z->value : 0;
  if (ratios > 1 + 1e-9) return at.Fail("the split ratios add up to more than 1");
  if (obj.contains("order")) {
    JO_ASSIGN_OR_RETURN(s.order, GetStringList(obj, "order", at));
    auto sorted = s.order;
    std::sort(sorted.begin(), sorted.end());
    if (sorted != std::vector<std::string>{"test", "train", "validation"}) {
      return at.Key("order").Fail("must list train, validation and test once each");
    }
  }
  return s;
}

Status CheckIdTemplate(const std::string& tmpl, const TreePath& at) {
  std::size_t pos = 0;
  bool any = false;
  while ((pos = tmpl.find('{', pos)) != std::string::npos) {
    std::size_t close = tmpl.find('}', pos);
    if (close == std::string::npos || close == pos + 1) return at.Fail("bad {field} placeholder");
    any = true;
    pos = close + 1;
  }
  if (!any) return at.Fail("the template names no {field}");
  return Status::Ok();
}

template <typename T, typename Fn>
Result<std::vector<T>> ParseList(const Json& obj, const std::string& key, const TreePath& at,
                                 bool required, Fn parse_one) {
  std::vector<T> out;
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return at.Key(key).Fail("required key is missing");
    return out;
  }
  if (!it->is_array() || (required && it->empty())) {
    return at.Key(key).Fail("expected a non-empty list of tables");
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    JO_ASSIGN_OR_RETURN(T item, parse_one((*it)[i], at.Key(key).Index(i)));
    out.push_back(std::move(item));
  }
  return out;
}

Status CheckNames(const DatasetSpec& spec, const TreePath& at) {
  for (std::size_t i = 0; i < spec.criteria.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.criteria[i].criterion.name == spec.criteria[j].criterion.name) {
        return at.Key("criteria")
            .Index(i)
            .Fail("criterion '" + spec.criteria[i].criterion.name + "' is defined twice");
      }
    }
  }
  return Status::Ok();
}

Status ParseIdentity(const Json& tree, const TreePath& at, DatasetSpec& spec) {
  JO_ASSIGN_OR_RETURN(spec.id_field, GetString(tree, "id_field", at));
  JO_ASSIGN_OR_RETURN(spec.id_template, GetString(tree, "id_template", at));
  if (spec.id_field.empty() == spec.id_template.empty()) {
    return at.Fail("give exactly one of 'id_field' and 'id_template'");
  }
  if (!spec.id_template.empty()) {
    JO_RETURN_IF_ERROR(CheckIdTemplate(spec.id_template, at.Key("id_template")));
  }
  JO_ASSIGN_OR_RETURN(spec.group_field, GetString(tree, "group_field", at));
  return Status::Ok();
}

Status ParseData(const Json& tree, const TreePath& at, DatasetSpec& spec) {
  JO_ASSIGN_OR_RETURN(spec.format, GetString(tree, "format", at));
  if (tree.contains("versions")) {
    if (tree.contains("data") || tree.contains("files")) {
      return at.Fail("give 'versions' or 'data'/'files', not both");
    }
    JO_ASSIGN_OR_RETURN(spec.versions, ParseVersions(tree.at("versions"), at.Key("versions")));
    JO_ASSIGN_OR_RETURN(spec.default_version, GetString(tree, "default_version", at));
    if (spec.default_version.empty()) {
      if (spec.versions.size() > 1) {
        return at.Key("default_version").Fail("required key is missing");
      }
      spec.default_version = spec.versions[0].name;
    }
    if (!spec.FilesFor("").ok()) {
      return at.Key("default_version").Fail("names no entry of 'versions'");
    }
  } else {
    if (tree.contains("default_version")) return at.Key("default_version").Fail("needs 'versions'");
    JO_ASSIGN_OR_RETURN(spec.files, ParseFileSet(tree, at, true));
  }
  return Status::Ok();
}

}  // namespace

namespace {

bool UsesPerSplitFiles(const DatasetSpec& spec) {
  if (spec.versions.empty()) return spec.files.PerSplit();
  for (const auto& v : spec.versions) {
    if (v.files.PerSplit()) return true;
  }
  return false;
}

}  // namespace

Result<FileSet> DatasetSpec::FilesFor(const std::string& version) const {
  if (versions.empty()) {
    if (!version.empty()) {
      return InvalidArgument(
          fmt::format("{}: dataset '{}' has no versions (asked for '{}')", origin, name, version));
    }
    return files;
  }
  const std::string want = ResolvedVersion(version);
  std::string known;
  for (const auto& v : versions) {
    if (v.name == want) return v.files;
    known += (known.empty() ? "" : ", ") + v.name;
  }
  return InvalidArgument(
      fmt::format("{}: dataset '{}' has no version '{}' (known: {})", origin, name, want, known));
}

std::string DatasetSpec::ResolvedVersion(const std::string& version) const {
  if (versions.empty()) return "";
  return version.empty() ? default_version : version;
}

Result<DatasetSpec> ParseDatasetSpec(const config::Json& tree, const std::string& origin) {
  TreePath at(origin);
  JO_RETURN_IF_ERROR(CheckKeys(tree,
                               {"name", "description", "preamble", "paper_preamble", "format",
                                "data", "files",
                                "versions", "default_version", "id_field", "id_template",
                                "group_field", "joins", "drop_rows", "inputs", "criteria", "split"},
                               at));
  DatasetSpec spec;
  spec.origin = origin;
  JO_ASSIGN_OR_RETURN(spec.name, RequiredString(tree, "name", at));
  if (spec.name.empty()) return at.Key("name").Fail("must not be empty");
  JO_ASSIGN_OR_RETURN(spec.description, GetString(tree, "description", at));
  JO_ASSIGN_OR_RETURN(spec.preamble, GetString(tree, "preamble", at));
  JO_ASSIGN_OR_RETURN(spec.paper_preamble, GetString(tree, "paper_preamble", at));
  JO_RETURN_IF_ERROR(ParseData(tree, at, spec));
  JO_RETURN_IF_ERROR(ParseIdentity(tree, at, spec));
  JO_ASSIGN_OR_RETURN(spec.joins, ParseList<JoinSpec>(tree, "joins", at, false, ParseJoin));
  JO_ASSIGN_OR_RETURN(spec.drops, ParseList<DropRule>(tree, "drop_rows", at, false, ParseDrop));
  JO_ASSIGN_OR_RETURN(spec.inputs, ParseList<InputSpec>(tree, "inputs", at, true, ParseInput));
  JO_ASSIGN_OR_RETURN(spec.criteria,
                      ParseList<CriterionSpec>(tree, "criteria", at, true, ParseCriterion));
  JO_RETURN_IF_ERROR(CheckNames(spec, at));
  if (tree.contains("split")) {
    JO_ASSIGN_OR_RETURN(spec.split, ParseSplit(tree.at("split"), at.Key("split")));
    const SplitSpec& s = spec.split;
    if (UsesPerSplitFiles(spec) && (s.train.given || s.validation.given || s.test.given)) {
      return at.Key("split").Fail("split sizes apply to one 'data' file, not to per-split files");
    }
  }
  return spec;
}

Result<DatasetSpec> LoadDatasetSpecFile(const std::string& path) {
  JO_ASSIGN_OR_RETURN(config::Json tree, config::LoadTreeFile(path));
  return ParseDatasetSpec(tree, path);
}

Result<DatasetSpec> ParseDatasetSpecToml(std::string_view text, const std::string& origin) {
  JO_ASSIGN_OR_RETURN(config::Json tree, config::ParseToml(text, origin));
  return ParseDatasetSpec(tree, origin);
}

}  // namespace judgeopt::data
