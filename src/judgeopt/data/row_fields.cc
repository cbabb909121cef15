#include "judgeopt/data/row_fields.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "judgeopt/base/strings.h"

namespace judgeopt::data {
namespace {

constexpr std::string_view kNbsp = "\xC2\xA0";
std::string CutBeforeLine(std::string text, std::string_view prefix) {
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    if (std::string_view(text).substr(line_start).starts_with(prefix)) {
      text.resize(line_start);
      return text;
    }
    std::size_t nl = text.find('\n', line_start);
    if (nl == std::string::npos) break;
    line_start = nl + 1;
  }
  return text;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

std::string ScaleText(const Scale& s) { return fmt::format("[{:g}, {:g}]", s.min, s.max); }

Result<double> ParseNumberText(std::string_view raw, const std::string& path, std::size_t line,
                               const std::string& field) {
  std::string_view t = Trim(raw);
  if (t.empty()) return FieldError(path, line, field, "gold value is empty");
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) {
    return FieldError(path, line, field, fmt::format("gold value '{}' is not a number", raw));
  }
  return v;
}

}  // namespace

Error FieldError(const std::string& path, std::size_t line, std::string_view field,
                 std::string_view what) {
  return InvalidArgument(fmt::format("{}:{}: field '{}': {}", path, line, field, what));
}

Result<std::string> FieldText(const Record& row, const std::string& field,
                              const std::string& path) {
  auto it = row.fields.find(field);
  if (it == row.fields.end() || it->is_null()) {
    return FieldError(path, row.line, field, "missing");
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  return FieldError(path, row.line, field, std::string("expected text, got ") + it->type_name());
}

Result<double> GoldValue(const Record& row, const CriterionSpec& criterion,
                         const std::string& path) {
  const Criterion& c = criterion.criterion;
  const std::string& field = c.gold_field;
  auto it = row.fields.find(field);
  if (it == row.fields.end() || it->is_null()) {
    return FieldError(path, row.line, field,
                      fmt::format("gold value of criterion '{}' is missing", c.name));
  }
  double v = 0;
  if (it->is_number()) {
    v = it->get<double>();
  } else if (it->is_string()) {
    JO_ASSIGN_OR_RETURN(v,
                        ParseNumberText(it->get_ref<const std::string&>(), path, row.line, field));
  } else {
    return FieldError(path, row.line, field,
                      std::string("gold value is not a number but ") + it->type_name());
  }
  if (!std::isfinite(v) || v < c.scale.min || v > c.scale.max) {
    return FieldError(path, row.line, field,
                      fmt::format("gold value {:g} lies outside the scale {} of criterion '{}'", v,
                                  ScaleText(c.scale), c.name));
  }
  if (criterion.whole_gold && std::floor(v) != v) {
    return FieldError(path, row.line, field,
                      fmt::format("gold value {:g} is not a whole number (criterion '{}' sets "
                                  "whole_gold)",
                                  v, c.name));
  }
  return v;
}

std::vector<std::string> TemplateFields(const std::string& tmpl) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = tmpl.find('{', pos)) != std::string::npos) {
    std::size_t close = tmpl.find('}', pos);
    if (close == std::string::npos) break;
    out.push_back(tmpl.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  }
  return out;
}

Result<std::string> ExpandTemplate(const std::string& tmpl, const Record& row,
                                   const std::string& path) {
  std::string out;
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    std::size_t open = tmpl.find('{', pos);
    std::size_t close = open == std::string::npos ? open : tmpl.find('}', open);
    if (close == std::string::npos) {
      out.append(tmpl, pos);
      break;
    }
    out.append(tmpl, pos, open - pos);
    JO_ASSIGN_OR_RETURN(std::string v,
                        FieldText(row, tmpl.substr(open + 1, close - open - 1), path));
    out += v;
    pos = close + 1;
  }
  return out;
}

std::string ApplyTransforms(std::string text, const std::vector<TextTransform>& transforms) {
  for (const auto& t : transforms) {
    switch (t.kind) {
      case TextTransform::Kind::kTrim:
        text = std::string(Trim(text));
        break;
      case TextTransform::Kind::kNbspToSpace:
        text = ReplaceAll(std::move(text), kNbsp, " ");
        break;
      case TextTransform::Kind::kCutBeforeLine:
        text = CutBeforeLine(std::move(text), t.arg);
        break;
    }
  }
  return text;
}

}  // namespace judgeopt::data
