#include "convert.h"

#include <sstream>

#include "errors.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

template <typename JsonT>
py::object ToPy(const JsonT& value) {
  switch (value.type()) {
    case JsonT::value_t::null:
    case JsonT::value_t::discarded:
      return py::none();
    case JsonT::value_t::boolean:
      return py::bool_(value.template get<bool>());
    case JsonT::value_t::number_integer:
      return py::int_(value.template get<int64_t>());
    case JsonT::value_t::number_unsigned:
      return py::int_(value.template get<uint64_t>());
    case JsonT::value_t::number_float:
      return py::float_(value.template get<double>());
    case JsonT::value_t::string:
      return py::str(value.template get_ref<const std::string&>());
    case JsonT::value_t::array: {
      py::list out;
      for (const auto& item : value) out.append(ToPy(item));
      return out;
    }
    case JsonT::value_t::object: {
      py::dict out;
      for (auto it = value.begin(); it != value.end(); ++it) out[py::str(it.key())] = ToPy(*it);
      return out;
    }
    case JsonT::value_t::binary:
      break;
  }
  return py::none();
}

}  // namespace

py::object JsonToPy(const nlohmann::ordered_json& value) { return ToPy(value); }
py::object JsonToPy(const nlohmann::json& value) { return ToPy(value); }

config::Json PyToJson(py::handle value, const std::string& origin) {
  py::object dumps = py::module_::import("json").attr("dumps");
  std::string text;
  try {
    text = py::cast<std::string>(dumps(value, py::arg("allow_nan") = false));
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_ValueError)) throw;
    throw py::type_error(origin +
                         ": not a JSON-like value (dicts, lists, strings, numbers, "
                         "booleans, None): " +
                         std::string(py::str(e.value())));
  }
  return Unwrap(config::ParseJson(text, origin));
}

std::string PathArg(py::handle value) {
  return py::cast<std::string>(py::module_::import("os").attr("fspath")(value));
}

py::object MakeTable(const py::list& rows, const std::vector<Column>& columns,
                     const std::string& name) {
  py::list cols;
  for (const auto& [column, type] : columns) cols.append(py::make_tuple(column, type));
  return py::module_::import("judgeopt._tables").attr("Table")(rows, cols, name);
}

py::object JsonlTable(const std::string& jsonl, const std::vector<Column>& columns,
                      const std::string& name) {
  py::list rows;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    rows.append(JsonToPy(nlohmann::ordered_json::parse(line)));
  }
  return MakeTable(rows, columns, name);
}

}  // namespace judgeopt::python
