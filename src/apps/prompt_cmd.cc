// judgeopt prompt: print exactly the messages the judge would receive for one example, or (with
// --run and --step) every prompt a stored optimization step sent, rebuilt from the run store.

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "judgeopt/data/loader.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/step_prompts.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

class PromptCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    data_.Add(app);
    app.add_option("--example", example_id_,
                   "Example id (e.g. a SummEval <doc_id>/<system_id>); with --run: only the "
                   "prompts about this example");
    app.add_option("--prompt", prompt_file_, "Judge prompt file (JSON or TOML); default: seed");
    app.add_option("--criterion", criterion_, "Render the single-criterion (filtered) prompt");
    AddJudgeModeOption(app, judge_mode_);  // the calls that mode makes for --example
    app.add_flag("--json", json_, "Print the messages as the JSON array sent on the wire");
    app.add_option("--run", run_id_, "A stored run: show the prompts one of its steps sent");
    app.add_option("--step", step_, "With --run: the step (1..steps)");
    app.add_option("--stage", stage_,
                   "With --run: only this stage: " + EnumChoiceText<optim::StepStage>())
        ->check(CLI::IsMember(EnumChoices<optim::StepStage>()));
    app.add_option("--sample", sample_, "With --run: only prompts about this batch position");
    app.add_option("--workspace", workspace_, "With --run: the workspace holding it (default: .)");
  }

  int Run(const GlobalOptions& global) override {
    if (!run_id_.empty()) return RunStep(global);
    if (example_id_.empty()) return Fail("prompt", "give --example ID (or --run ID --step K)");
    auto dataset = data_.Load(global);
    if (!dataset.ok()) return Fail("prompt", dataset.error().message);
    const data::Dataset& ds = **dataset;
    const data::Example* example = nullptr;
    for (const auto& ex : ds.examples) {
      if (ex.id == example_id_) example = &ex;
    }
    if (!example) {
      return Fail("prompt", "--example: no example with id '" + example_id_ + "' in " + ds.name);
    }
    judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(ds);
    if (!prompt_file_.empty()) {
      auto loaded = judge::LoadPromptFile(prompt_file_, ds);
      if (!loaded.ok()) return Fail("prompt", loaded.error().message);
      prompt = *loaded;
    }
    if (!judge_mode_.empty()) {
      auto mode = judge::ParseJudgeMode(judge_mode_, "--judge-mode");
      if (!mode.ok()) return Fail("prompt", mode.error().message);
      if (*mode != judge::JudgeMode::kJoint) return PrintModeCalls(ds, prompt, *example, *mode);
    }
    std::optional<std::string_view> only;
    if (!criterion_.empty()) only = criterion_;
    auto messages = judge::RenderJudgeMessages(prompt, ds, *example, only);
    if (!messages.ok()) return Fail("prompt", messages.error().message);
    if (json_) {
      std::printf("%s\n", MessagesJson(*messages).dump(2).c_str());
      return 0;
    }
    PrintMessages(*messages, "");
    return 0;
  }

 private:
  // --judge-mode per-criterion|sectioned: every call the judge makes for the example (with
  // --criterion, per-criterion mode shows that criterion's call only).
  int PrintModeCalls(const data::Dataset& ds, const judge::JudgePrompt& prompt,
                     const data::Example& example, judge::JudgeMode mode) const {
    if (!criterion_.empty() && mode == judge::JudgeMode::kSectioned) {
      return Fail("prompt", "--criterion does not apply to --judge-mode sectioned (one call "
                            "scores every criterion)");
    }
    auto calls = judge::RenderJudgeCalls(prompt, ds, example, mode);
    if (!calls.ok()) return Fail("prompt", calls.error().message);
    std::vector<judge::JudgeCall> shown;
    for (auto& c : *calls) {
      if (criterion_.empty() || c.label == criterion_) shown.push_back(std::move(c));
    }
    if (shown.empty()) {
      return Fail("prompt", "--criterion: '" + criterion_ + "' is not a criterion of the prompt");
    }
    if (json_) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& c : shown) {
        arr.push_back({{"call", c.label.empty() ? "all criteria" : c.label},
                       {"messages", MessagesJson(c.messages)}});
      }
      std::printf("%s\n", arr.dump(2).c_str());
      return 0;
    }
    if (shown.size() == 1) {
      PrintMessages(shown.front().messages, "");  // a single prompt is printed exactly
      return 0;
    }
    for (std::size_t k = 0; k < shown.size(); ++k) {
      PrintMessages(shown[k].messages, "call " + std::to_string(k + 1) + " of " +
                                           std::to_string(shown.size()) + " (" +
                                           shown[k].label + "), ");
    }
    return 0;
  }

  static nlohmann::ordered_json MessagesJson(const std::vector<llm::ChatMessage>& messages) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& m : messages) arr.push_back({{"role", m.role}, {"content", m.content}});
    return arr;
  }

  // Message headers go to stderr, so stdout holds the texts sent.
  static void PrintMessages(const std::vector<llm::ChatMessage>& messages,
                            const std::string& what) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const auto& m = messages[i];
      std::fflush(stdout);
      std::fprintf(stderr, "----- %smessage %zu of %zu (role: %s) -----\n", what.c_str(), i + 1,
                   messages.size(), m.role.c_str());
      std::fwrite(m.content.data(), 1, m.content.size(), stdout);
      // Several prompts in a row (--run): each ends on its own line. A single prompt is exact.
      if (!what.empty() && !m.content.empty() && m.content.back() != '\n') {
        std::fputc('\n', stdout);
      }
      std::fflush(stdout);
    }
  }

  // --run ID --step K: the step's prompts rebuilt from the run store (no model call).
  int RunStep(const GlobalOptions& global) {
    if (step_ < 1) return Fail("prompt", "--run needs --step K with K >= 1");
    const store::Workspace ws(workspace_);
    auto reader = store::RunReader::OpenInWorkspace(ws);
    if (!reader.ok()) return Fail("prompt", reader.error().message);
    auto detail = reader->LoadRun(run_id_);
    if (!detail.ok()) return Fail("prompt", detail.error().message);
    const optim::RunInfo& info = detail->run.info;
    auto record = reader->LoadStep(run_id_, step_);
    if (!record.ok()) return Fail("prompt", record.error().message);
    const std::string origin = "run " + run_id_ + " stored config";
    auto tree = config::ParseJson(info.config_json, origin);
    if (!tree.ok()) return Fail("prompt", tree.error().message);
    auto config = optim::ParseOptimizeConfig(*tree, origin);
    if (!config.ok()) return Fail("prompt", config.error().message);
    data::LoadOptions options;
    options.protocol = EnumName(config->protocol);
    options.version = config->data_version;
    auto dataset = data::LoadDataset(config->dataset,
                                     data::DataLocator::FromProcess(global.data_dir), options);
    if (!dataset.ok()) return Fail("prompt", dataset.error().message);
    if (!criterion_.empty() && std::find(info.criteria.begin(), info.criteria.end(),
                                         criterion_) == info.criteria.end()) {
      std::string known;
      for (const auto& c : info.criteria) known += (known.empty() ? "" : ", ") + c;
      return Fail("prompt", "--criterion: '" + criterion_ + "' is not a criterion of run " +
                                run_id_ + " (" + known + ")");
    }
    auto prompts = optim::RebuildStepPrompts(*dataset, *config, info.criteria, run_id_, *record);
    if (!prompts.ok()) return Fail("prompt", prompts.error().message);
    return PrintStep(*dataset, Selected(*dataset, *record, *prompts));
  }

  // The prompts that pass --stage, --criterion, --sample and --example.
  std::vector<optim::StepPrompt> Selected(const data::Dataset& ds, const optim::StepRecord& record,
                                          const std::vector<optim::StepPrompt>& all) const {
    std::vector<optim::StepPrompt> out;
    for (const optim::StepPrompt& p : all) {
      if (!stage_.empty() && p.stage != stage_) continue;
      if (!criterion_.empty() && !p.Concerns(criterion_)) continue;
      if (sample_ && p.sample >= 0 && p.sample != *sample_) continue;
      if (!example_id_.empty() && p.sample >= 0 &&
          ds.examples[record.batch_positions[static_cast<std::size_t>(p.sample)]].id !=
              example_id_) {
        continue;
      }
      out.push_back(p);
    }
    return out;
  }

  int PrintStep(const data::Dataset& ds, const std::vector<optim::StepPrompt>& prompts) const {
    if (prompts.empty()) {
      return Fail("prompt", "no prompt of run " + run_id_ + " step " + std::to_string(step_) +
                                " matches the filters");
    }
    if (json_) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& p : prompts) {
        arr.push_back({{"stage", p.stage},
                       {"tag", p.tag},
                       {"role", std::string(llm::RoleName(p.role))},
                       {"criterion", p.criterion},
                       {"sample", p.sample},
                       {"messages", MessagesJson(p.messages)}});
      }
      std::printf("%s\n", arr.dump(2).c_str());
      return 0;
    }
    std::fprintf(stderr, "run %s step %d (%s): %zu prompts\n", run_id_.c_str(), step_,
                 ds.name.c_str(), prompts.size());
    for (const auto& p : prompts) {
      PrintMessages(p.messages, p.tag + " (" + std::string(llm::RoleName(p.role)) + "): ");
    }
    return 0;
  }

  DatasetFlags data_;
  std::string example_id_;
  std::string prompt_file_;
  std::string criterion_;
  std::string judge_mode_;  // "" = joint
  bool json_ = false;
  std::string run_id_;
  int step_ = 0;
  std::string stage_;
  std::optional<int> sample_;
  std::string workspace_;
};

}  // namespace

std::unique_ptr<Command> MakePromptCommand() { return std::make_unique<PromptCommand>(); }

}  // namespace judgeopt::apps
