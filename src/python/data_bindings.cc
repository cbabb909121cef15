// judgeopt.load_dataset, judgeopt.Dataset and judgeopt.Example.

#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "judgeopt/base/enum_names.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

constexpr const char* kSplitNames[] = {"train", "validation", "test"};

py::object ExamplesTable(const data::Dataset& ds) {
  std::vector<Column> columns = {{"id", "text"}, {"position", "int"}, {"group", "text"}};
  for (const auto& in : ds.inputs) columns.push_back({in.field, "text"});
  for (const auto& c : ds.criteria) columns.push_back({"gold_" + c.name, "real"});
  py::list rows;
  for (std::size_t p = 0; p < ds.examples.size(); ++p) {
    const data::Example& ex = ds.examples[p];
    py::dict row;
    row["id"] = ex.id;
    row["position"] = p;
    row["group"] = ex.group;
    for (std::size_t f = 0; f < ds.inputs.size(); ++f)
      row[py::str(ds.inputs[f].field)] = ex.inputs[f];
    for (std::size_t c = 0; c < ds.criteria.size(); ++c) {
      row[py::str("gold_" + ds.criteria[c].name)] = ex.gold[c];
    }
    rows.append(std::move(row));
  }
  return MakeTable(rows, columns, "examples");
}

py::object CriteriaTable(const data::Dataset& ds) {
  py::list rows;
  for (const auto& c : ds.criteria) {
    py::dict row;
    row["name"] = c.name;
    row["scale_min"] = c.scale.min;
    row["scale_max"] = c.scale.max;
    row["integer"] = c.scale.integer;
    row["seed_instruction"] = c.seed_instruction;
    row["description"] = c.description;
    row["gold_field"] = c.gold_field;
    rows.append(std::move(row));
  }
  return MakeTable(rows,
                   {{"name", "text"},
                    {"scale_min", "real"},
                    {"scale_max", "real"},
                    {"integer", "bool"},
                    {"seed_instruction", "text"},
                    {"description", "text"},
                    {"gold_field", "text"}},
                   "criteria");
}

const std::vector<std::size_t>& SplitOf(const data::Dataset& ds, const std::string& name) {
  const std::vector<std::size_t>* split = ds.Split(name);
  if (split == nullptr) {
    ThrowError(
        InvalidArgument("split " + InvalidChoiceMessage(EnumChoices<data::SplitId>(), name)));
  }
  return *split;
}

PyExample ExampleAt(const PyDataset& d, py::handle key) {
  const data::Dataset& ds = *d.dataset;
  if (py::isinstance<py::int_>(key)) {
    const auto index = py::cast<long long>(key);
    if (index < 0 || static_cast<std::size_t>(index) >= ds.examples.size()) {
      throw py::index_error("example position " + std::to_string(index) + " is outside 0.." +
                            std::to_string(ds.examples.size() - 1));
    }
    return {d.dataset, static_cast<std::size_t>(index)};
  }
  const std::string id = py::cast<std::string>(key);
  for (std::size_t p = 0; p < ds.examples.size(); ++p) {
    if (ds.examples[p].id == id) return {d.dataset, p};
  }
  ThrowError(NotFound("no example with id '" + id + "' in " + ds.name));
}

py::dict ExampleInputs(const PyExample& e) {
  py::dict out;
  for (std::size_t f = 0; f < e.dataset->inputs.size(); ++f) {
    out[py::str(e.dataset->inputs[f].field)] = e.get().inputs[f];
  }
  return out;
}

py::dict ExampleGold(const PyExample& e) {
  py::dict out;
  for (std::size_t c = 0; c < e.dataset->criteria.size(); ++c) {
    out[py::str(e.dataset->criteria[c].name)] = e.get().gold[c];
  }
  return out;
}

PyDataset LoadDataset(const std::string& name, const std::string& protocol,
                      const std::string& version, py::object data_dir) {
  const std::string dir = data_dir.is_none() ? "" : PathArg(data_dir);
  Result<std::shared_ptr<const data::Dataset>> loaded = NotFound("");
  {
    py::gil_scoped_release release;
    loaded = LoadDatasetShared(name, protocol, version, dir);
  }
  return {Unwrap(std::move(loaded))};
}

void RegisterExample(py::module_& m) {
  py::class_<PyExample>(m, "Example", "One labelled example of a Dataset (immutable).")
      .def_property_readonly(
          "id", [](const PyExample& e) { return e.get().id; }, "Its id.")
      .def_property_readonly(
          "position", [](const PyExample& e) { return e.position; },
          "Its index in Dataset.examples.")
      .def_property_readonly(
          "group", [](const PyExample& e) { return e.get().group; },
          "Its group (SummEval: the source document), or ''.")
      .def_property_readonly("inputs", &ExampleInputs, "Input field -> text.")
      .def_property_readonly("gold", &ExampleGold, "Criterion -> gold score.")
      .def_property_readonly(
          "dataset", [](const PyExample& e) { return PyDataset{e.dataset}; },
          "The dataset it belongs to.")
      .def("__repr__", [](const PyExample& e) {
        return "<judgeopt.Example " + e.get().id + " of " + e.dataset->name + ">";
      });
}

}  // namespace

void RegisterData(py::module_& m) {
  py::class_<PyDataset>(m, "Dataset",
                        "A loaded dataset: criteria, examples and splits (immutable; "
                        "judgeopt.load_dataset makes one).")
      .def_property_readonly(
          "name", [](const PyDataset& d) { return d.dataset->name; },
          "'summeval', 'brighter', or the spec's name.")
      .def_property_readonly(
          "protocol", [](const PyDataset& d) { return d.dataset->protocol; },
          "The split protocol it was loaded with: 'default' or 'paper'.")
      .def_property_readonly(
          "version", [](const PyDataset& d) { return d.dataset->version; },
          "The data version it was loaded from ('' = the only one).")
      .def_property_readonly(
          "source", [](const PyDataset& d) { return d.dataset->source; },
          "Where it was loaded from.")
      .def_property_readonly(
          "preamble", [](const PyDataset& d) { return d.dataset->preamble; },
          "The evaluation directive that opens the judge prompt.")
      .def_property_readonly(
          "warnings", [](const PyDataset& d) { return d.dataset->warnings; },
          "What loading dropped or changed (e.g. rows with broken text).")
      .def_property_readonly(
          "criterion_names",
          [](const PyDataset& d) {
            std::vector<std::string> names;
            for (const auto& c : d.dataset->criteria) names.push_back(c.name);
            return names;
          },
          "The criteria's names, in the dataset's order.")
      .def_property_readonly(
          "criteria", [](const PyDataset& d) { return CriteriaTable(*d.dataset); },
          "Table: name, scale_min, scale_max, integer, seed_instruction, "
          "description, gold_field.")
      .def_property_readonly(
          "examples", [](const PyDataset& d) { return ExamplesTable(*d.dataset); },
          "Table: id, position, group, one column per input field, "
          "gold_<criterion> per criterion.")
      .def_property_readonly(
          "splits",
          [](const PyDataset& d) {
            py::dict out;
            for (const char* name : kSplitNames) {
              py::list ids;
              for (std::size_t p : SplitOf(*d.dataset, name)) {
                ids.append(d.dataset->examples[p].id);
              }
              out[name] = ids;
            }
            return out;
          },
          "Split name -> example ids, in the split's order.")
      .def(
          "split",
          [](const PyDataset& d, const std::string& name) {
            py::list out;
            for (std::size_t p : SplitOf(*d.dataset, name)) out.append(PyExample{d.dataset, p});
            return out;
          },
          py::arg("name"),
          "The examples of split 'train', 'validation' (or 'val') or 'test', in order.")
      .def("example", &ExampleAt, py::arg("id_or_position"),
           "The example with this id (str) or at this position (int).")
      .def("__getitem__", &ExampleAt)
      .def("__len__", [](const PyDataset& d) { return d.dataset->examples.size(); })
      .def(
          "to_pandas",
          [](const PyDataset& d) { return ExamplesTable(*d.dataset).attr("to_pandas")(); },
          "The examples as a pandas DataFrame (Dataset.examples.to_pandas()).")
      .def("__repr__", [](const PyDataset& d) {
        return "<judgeopt.Dataset " + d.dataset->name + ": " +
               std::to_string(d.dataset->examples.size()) + " examples, " +
               std::to_string(d.dataset->criteria.size()) + " criteria, protocol " +
               d.dataset->protocol + ">";
      });
  RegisterExample(m);
  m.def("load_dataset", &LoadDataset, py::arg("name_or_spec"), py::arg("protocol") = "default",
        py::arg("version") = "", py::arg("data_dir") = py::none(),
        "Loads a built-in dataset ('summeval', 'brighter') or a dataset spec file (.toml or "
        ".json; docs/datasets.md) with its splits under `protocol` ('default' or 'paper') and "
        "data `version` ('' = the spec's default). Data is found in `data_dir`, then "
        "$JUDGEOPT_DATA, then ../shared/data above the current directory.");
}

}  // namespace judgeopt::python
