#pragma once
// Conversions at the module's edge: JSON trees to Python objects and back, path arguments, and
// the judgeopt.Table every table-like result is (python/judgeopt/_tables.py). Every function
// needs the GIL.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/config/tree.h"

namespace judgeopt::python {

/// A JSON value as the Python value json.loads would give (dict keys in the tree's order).
pybind11::object JsonToPy(const nlohmann::ordered_json& value);
pybind11::object JsonToPy(const nlohmann::json& value);

/// A Python value (dict, list, str, number, bool, None) as a config tree; `origin` names it in
/// errors (e.g. "optimize(config=...)"). Raises TypeError for anything JSON cannot hold.
config::Json PyToJson(pybind11::handle value, const std::string& origin);

/// A str or os.PathLike argument as a path string.
std::string PathArg(pybind11::handle value);

/// A column of a Table: its name and type ("int", "real", "bool" or "text").
using Column = std::pair<std::string, std::string>;

/// judgeopt.Table(rows, columns, name).
pybind11::object MakeTable(const pybind11::list& rows, const std::vector<Column>& columns,
                           const std::string& name);

/// A Table of JSON Lines text (one object per line, as `runs export --format jsonl` writes).
pybind11::object JsonlTable(const std::string& jsonl, const std::vector<Column>& columns,
                            const std::string& name);

}  // namespace judgeopt::python
