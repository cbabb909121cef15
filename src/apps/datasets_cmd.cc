// judgeopt datasets: list the built-in datasets, where each was found, sizes and criteria.

#include <cstdio>

#include "apps/commands.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/optim/config/settings.h"

namespace judgeopt::apps {
namespace {

class DatasetsCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("--protocol", protocol_,
                   "Split protocol used for the sizes: " + EnumChoiceText<optim::Protocol>())
        ->check(CLI::IsMember(EnumChoices<optim::Protocol>()));
  }

  int Run(const GlobalOptions& global) override {
    auto locator = data::DataLocator::FromProcess(global.data_dir);
    data::LoadOptions options;
    options.protocol = protocol_;
    const auto infos = data::ListBuiltinDatasets(locator, options);
    TextTable table({"dataset", "version", "train", "validation", "test", "criteria"});
    for (const auto& info : infos) {
      if (!info.found) {
        table.AddRow({info.name, info.version, "-", "-", "-", Join(info.criteria, ", ")});
        continue;
      }
      table.AddRow({info.name, info.version, std::to_string(info.train),
                    std::to_string(info.validation), std::to_string(info.test),
                    Join(info.criteria, ", ")});
    }
    std::printf("%s\n", table.Render().c_str());
    for (const auto& info : infos) {
      std::printf("%s: %s\n  %s: %s\n", info.name.c_str(), info.description.c_str(),
                  info.found ? "found at" : "NOT FOUND", info.location.c_str());
      if (info.versions.size() > 1) {
        std::printf("  versions: %s\n", Join(info.versions, ", ").c_str());
      }
      for (const auto& w : info.warnings) std::printf("  warning: %s\n", w.c_str());
    }
    return 0;
  }

 private:
  std::string protocol_ = "default";
};

}  // namespace

std::unique_ptr<Command> MakeDatasetsCommand() { return std::make_unique<DatasetsCommand>(); }

}  // namespace judgeopt::apps
