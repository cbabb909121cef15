// judgeopt estimate: the projected calls, tokens and dollars of `judgeopt optimize` with the same
// config and flags, per role and in total, before any call.

#include <cstdio>

#include "apps/commands.h"
#include "apps/optimize_flags.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::apps {
namespace {

/// The `estimate` subcommand. Owns its flags; used from one thread.
class EstimateCommand : public Command {
 public:
  void Setup(CLI::App& app) override { flags_.Add(app); }

  int Run(const GlobalOptions& global) override {
    auto config = flags_.ResolveConfig();
    if (!config.ok()) return Fail("estimate", config.error().message);
    auto dataset = flags_.LoadData(*config, global);
    if (!dataset.ok()) return Fail("estimate", dataset.error().message);
    auto estimate = optim::EstimateRun(*config, **dataset);
    if (!estimate.ok()) return Fail("estimate", estimate.error().message);
    std::printf("%s", optim::RenderEstimate(*estimate).c_str());
    const llm::Budget budget = flags_.Budget(*config);
    if (!budget.max_usd && !budget.max_calls) {
      std::printf("budget: none set ([budget] max_usd / max_calls, or --max-usd / --max-calls)\n");
    } else if (optim::ExceedsBudget(*estimate, budget)) {
      std::printf("budget: %s; the projection (%s) exceeds it: `judgeopt optimize` refuses to "
                  "start without --force\n",
                  optim::DescribeBudget(budget).c_str(),
                  optim::DescribeProjection(*estimate).c_str());
    } else {
      std::printf("budget: %s; the projection (%s) fits\n", optim::DescribeBudget(budget).c_str(),
                  optim::DescribeProjection(*estimate).c_str());
    }
    return 0;
  }

 private:
  OptimizeFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeEstimateCommand() { return std::make_unique<EstimateCommand>(); }

}  // namespace judgeopt::apps
