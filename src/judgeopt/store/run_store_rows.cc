#include "judgeopt/store/run_store_rows.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace judgeopt::store::run_rows {
namespace {

using nlohmann::json;

Result<json> ParseArray(const std::string& text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return ParseError(fmt::format("run store: {} is not a JSON array", what));
  return j;
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Status Cell::BindTo(Statement& stmt, int index) const {
  switch (kind_) {
    case kNull:
      return stmt.BindNull(index);
    case kInt:
      return stmt.Bind(index, i_);
    case kReal:
      return stmt.Bind(index, d_);
    case kText:
      return stmt.Bind(index, s_);
  }
  return InternalError("run store: unknown cell kind");
}

Status BindAll(Statement& stmt, std::initializer_list<Cell> cells) {
  stmt.Reset();
  int index = 1;
  for (const Cell& c : cells) JO_RETURN_IF_ERROR(c.BindTo(stmt, index++));
  return Status::Ok();
}

Status RunWith(Statement& stmt, std::initializer_list<Cell> cells) {
  JO_RETURN_IF_ERROR(BindAll(stmt, cells));
  return stmt.Run();
}

std::optional<double> OptionalDouble(const Statement& stmt, int col) {
  if (stmt.ColumnIsNull(col)) return std::nullopt;
  return stmt.ColumnDouble(col);
}

std::optional<int> OptionalInt(const Statement& stmt, int col) {
  if (stmt.ColumnIsNull(col)) return std::nullopt;
  return static_cast<int>(stmt.ColumnInt64(col));
}

std::string StringsToJson(const std::vector<std::string>& xs) { return Dump(json(xs)); }

Result<std::vector<std::string>> StringsFromJson(const std::string& text, std::string_view what) {
  JO_ASSIGN_OR_RETURN(json j, ParseArray(text, what));
  std::vector<std::string> out;
  for (const json& x : j) {
    if (!x.is_string()) return ParseError(fmt::format("run store: {} holds a non-string", what));
    out.push_back(x.get<std::string>());
  }
  return out;
}

std::string PositionsToJson(const std::vector<std::size_t>& xs) { return Dump(json(xs)); }

Result<std::vector<std::size_t>> PositionsFromJson(const std::string& text,
                                                   std::string_view what) {
  JO_ASSIGN_OR_RETURN(json j, ParseArray(text, what));
  std::vector<std::size_t> out;
  for (const json& x : j) {
    if (!x.is_number_unsigned()) {
      return ParseError(fmt::format("run store: {} holds a non-position", what));
    }
    out.push_back(x.get<std::size_t>());
  }
  return out;
}

namespace {

// Numbers in fmt's shortest round-trip form (whole numbers without a fraction: 4, not 4.0);
// non-finite values as null.
std::string NumberOrNull(std::optional<double> v) {
  return v && std::isfinite(*v) ? fmt::format("{}", *v) : "null";
}

}  // namespace

std::string DoublesToJson(const std::vector<double>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + NumberOrNull(xs[i]);
  return out + "]";
}

Result<std::vector<double>> DoublesFromJson(const std::string& text, std::string_view what) {
  JO_ASSIGN_OR_RETURN(json j, ParseArray(text, what));
  std::vector<double> out;
  for (const json& x : j) {
    if (x.is_null()) {  // a non-finite score was stored as null
      out.push_back(std::nan(""));
    } else if (x.is_number()) {
      out.push_back(x.get<double>());
    } else {
      return ParseError(fmt::format("run store: {} holds a non-number", what));
    }
  }
  return out;
}

std::string ValuesToJson(const std::vector<std::optional<double>>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + NumberOrNull(xs[i]);
  return out + "]";
}

Result<std::vector<std::optional<double>>> ValuesFromJson(const std::string& text,
                                                          std::string_view what) {
  JO_ASSIGN_OR_RETURN(json j, ParseArray(text, what));
  std::vector<std::optional<double>> out;
  for (const json& x : j) {
    if (x.is_null()) {
      out.emplace_back();
    } else if (x.is_number()) {
      out.emplace_back(x.get<double>());
    } else {
      return ParseError(fmt::format("run store: {} holds a non-number", what));
    }
  }
  return out;
}

}  // namespace judgeopt::store::run_rows
