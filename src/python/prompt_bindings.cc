// judgeopt.JudgePrompt, judgeopt.render and judgeopt.render_calls.

#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/judge_mode.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/judge/render.h"
#include "python_role.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

using judge::JudgePrompt;

JudgePrompt FromJson(py::handle json, const PyDataset& d) {
  config::Json tree;
  if (py::isinstance<py::str>(json)) {
    tree = Unwrap(config::ParseJson(py::cast<std::string>(json), "JudgePrompt.from_json"));
  } else {
    tree = PyToJson(json, "JudgePrompt.from_json");
  }
  return Unwrap(judge::PromptFromTree(tree, *d.dataset, "JudgePrompt.from_json"));
}

py::dict Instructions(const JudgePrompt& p) {
  py::dict out;
  for (const auto& i : p.instructions()) out[py::str(i.criterion)] = i.text;
  return out;
}

py::list Render(const JudgePrompt& prompt, const PyExample& example, py::object criterion) {
  std::optional<std::string> only;
  if (!criterion.is_none()) only = py::cast<std::string>(criterion);
  std::optional<std::string_view> view;
  if (only) view = *only;
  return MessagesToPy(
      Unwrap(judge::RenderJudgeMessages(prompt, *example.dataset, example.get(), view)));
}

py::list RenderCalls(const JudgePrompt& prompt, const PyExample& example,
                     const std::string& judge_mode) {
  const judge::JudgeMode mode = Unwrap(judge::ParseJudgeMode(judge_mode, "judge_mode"));
  py::list out;
  for (const judge::JudgeCall& call :
       Unwrap(judge::RenderJudgeCalls(prompt, *example.dataset, example.get(), mode))) {
    py::dict d;
    d["call"] = call.label.empty() ? "all criteria" : call.label;
    py::list criteria;
    for (const data::Criterion* c : call.criteria) criteria.append(c->name);
    d["criteria"] = criteria;
    d["messages"] = MessagesToPy(call.messages);
    out.append(std::move(d));
  }
  return out;
}

}  // namespace

void RegisterPrompts(py::module_& m) {
  py::class_<JudgePrompt>(
      m, "JudgePrompt",
      "A judge prompt: the preamble, the output-format switch and one instruction per "
      "criterion (immutable; docs/judge.md). Prompt files are JSON or TOML with keys preamble, "
      "output_format and [instructions].")
      .def_static(
          "seed", [](const PyDataset& d) { return JudgePrompt::FromDataset(*d.dataset); },
          py::arg("dataset"),
          "The seed prompt of a dataset: its preamble and every criterion's seed "
          "instruction.")
      .def_static(
          "from_file",
          [](py::object path, const PyDataset& d) {
            return Unwrap(judge::LoadPromptFile(PathArg(path), *d.dataset));
          },
          py::arg("path"), py::arg("dataset"),
          "Loads a prompt file (.json or .toml) for `dataset`; a criterion the file "
          "leaves out keeps its seed instruction.")
      .def_static("from_json", &FromJson, py::arg("json"), py::arg("dataset"),
                  "A prompt from JSON text or a dict in the prompt-file format.")
      .def("to_json", &judge::PromptToJsonText,
           "The prompt as prompt-file JSON text (what `judgeopt optimize --out` writes).")
      .def(
          "to_dict", [](const JudgePrompt& p) { return JsonToPy(judge::PromptToTree(p)); },
          "The prompt as a dict in the prompt-file format.")
      .def(
          "save",
          [](const JudgePrompt& p, py::object path) {
            Check(judge::SavePromptFile(PathArg(path), p));
          },
          py::arg("path"), "Writes to_json() to `path` (a file --prompt reads).")
      .def(
          "with_instruction",
          [](const JudgePrompt& p, const std::string& criterion, std::string text) {
            return Unwrap(p.WithInstruction(criterion, std::move(text)));
          },
          py::arg("criterion"), py::arg("text"),
          "A copy with one criterion's instruction replaced.")
      .def_property_readonly("preamble", &JudgePrompt::preamble,
                             "The evaluation directive that opens the prompt.")
      .def_property_readonly("output_format", &JudgePrompt::output_format,
                             "Whether the output-format block (the JSON reply's shape) is shown.")
      .def_property_readonly("instructions", &Instructions,
                             "Criterion -> instruction, in the dataset's order.")
      .def_property_readonly("fingerprint", &JudgePrompt::Fingerprint,
                             "SHA-256 of the prompt's canonical encoding (the run store's key).")
      .def("__eq__", [](const JudgePrompt& a, const JudgePrompt& b) { return a == b; })
      .def("__hash__", [](const JudgePrompt& p) { return py::hash(py::str(p.Fingerprint())); })
      .def("__repr__", [](const JudgePrompt& p) {
        return "<judgeopt.JudgePrompt " + p.Fingerprint().substr(0, 12) + ", " +
               std::to_string(p.instructions().size()) + " instructions>";
      });
  m.def("render", &Render, py::arg("prompt"), py::arg("example"), py::arg("criterion") = py::none(),
        "The exact messages the judge receives for `example` (a list of {'role', 'content'}; "
        "`judgeopt prompt --json` prints the same); with `criterion`, the single-criterion "
        "prompt.");
  m.def("render_calls", &RenderCalls, py::arg("prompt"), py::arg("example"),
        py::arg("judge_mode") = "joint",
        "Every judge call `judge_mode` ('joint', 'per-criterion', 'sectioned') makes for "
        "`example`: a list of {'call', 'criteria', 'messages'}.");
}

}  // namespace judgeopt::python
