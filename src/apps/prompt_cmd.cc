// judgeopt prompt: print exactly the messages the judge would receive for one example.

#include <cstdio>

#include <nlohmann/json.hpp>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/judge/render.h"

namespace judgeopt::apps {
namespace {

class PromptCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    data_.Add(app);
    app.add_option("--example", example_id_, "Example id (e.g. a SummEval <doc_id>/<system_id>)")
        ->required();
    app.add_option("--prompt", prompt_file_, "Judge prompt file (JSON or TOML); default: seed");
    app.add_option("--criterion", criterion_, "Render the single-criterion (filtered) prompt");
    app.add_flag("--json", json_, "Print the messages as the JSON array sent on the wire");
  }

  int Run(const GlobalOptions& global) override {
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
    std::optional<std::string_view> only;
    if (!criterion_.empty()) only = criterion_;
    auto messages = judge::RenderJudgeMessages(prompt, ds, *example, only);
    if (!messages.ok()) return Fail("prompt", messages.error().message);
    if (json_) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& m : *messages) arr.push_back({{"role", m.role}, {"content", m.content}});
      std::printf("%s\n", arr.dump(2).c_str());
      return 0;
    }
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const auto& m = (*messages)[i];
      std::fprintf(stderr, "----- message %zu of %zu (role: %s) -----\n", i + 1, messages->size(),
                   m.role.c_str());
      std::fwrite(m.content.data(), 1, m.content.size(), stdout);
      std::fflush(stdout);
    }
    return 0;
  }

 private:
  DatasetFlags data_;
  std::string example_id_;
  std::string prompt_file_;
  std::string criterion_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakePromptCommand() { return std::make_unique<PromptCommand>(); }

}  // namespace judgeopt::apps
