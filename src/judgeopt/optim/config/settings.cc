#include "judgeopt/optim/config/settings.h"

namespace judgeopt::optim {
namespace {

constexpr NamedValue<Protocol> kProtocols[] = {{Protocol::kDefault, "default"},
                                               {Protocol::kPaper, "paper"}};
constexpr NamedValue<Algorithm> kAlgorithms[] = {{Algorithm::kTextGrad, "textgrad"},
                                                 {Algorithm::kOpro, "opro"}};
constexpr NamedValue<BatchOrder> kBatchOrders[] = {{BatchOrder::kStep, "step"},
                                                   {BatchOrder::kSeeded, "seeded"}};
constexpr NamedValue<GateMetric> kGateMetrics[] = {{GateMetric::kNone, "none"},
                                                   {GateMetric::kMae, "mae"},
                                                   {GateMetric::kOffByOne, "off_by_one"},
                                                   {GateMetric::kSpearman, "spearman"}};
constexpr NamedValue<GateKind> kGateKinds[] = {{GateKind::kMean, "mean"},
                                               {GateKind::kNoiseAware, "noise_aware"}};
constexpr NamedValue<EvalSplit> kEvalSplits[] = {{EvalSplit::kTest, "test"},
                                                 {EvalSplit::kValidation, "validation"}};
constexpr NamedValue<TrajectoryOrder> kTrajectoryOrders[] = {
    {TrajectoryOrder::kWorstToBest, "worst_to_best"},
    {TrajectoryOrder::kBestToWorst, "best_to_worst"}};
constexpr NamedValue<Method> kMethods[] = {{Method::kPlain, "plain"},
                                           {Method::kSpc, "spc"},
                                           {Method::kMgda, "mgda"},
                                           {Method::kRouter, "router"}};
constexpr NamedValue<MgdaEval> kMgdaEvals[] = {{MgdaEval::kBatch, "batch"},
                                               {MgdaEval::kValidation, "validation"}};
constexpr NamedValue<FinalSelect> kFinalSelects[] = {{FinalSelect::kLast, "last"},
                                                     {FinalSelect::kBestMean, "best-mean"},
                                                     {FinalSelect::kMaxMin, "max-min"},
                                                     {FinalSelect::kKnee, "knee"}};

}  // namespace

std::span<const NamedValue<Protocol>> NamesOf(Protocol) { return kProtocols; }
std::span<const NamedValue<Algorithm>> NamesOf(Algorithm) { return kAlgorithms; }
std::span<const NamedValue<BatchOrder>> NamesOf(BatchOrder) { return kBatchOrders; }
std::span<const NamedValue<GateMetric>> NamesOf(GateMetric) { return kGateMetrics; }
std::span<const NamedValue<GateKind>> NamesOf(GateKind) { return kGateKinds; }
std::span<const NamedValue<EvalSplit>> NamesOf(EvalSplit) { return kEvalSplits; }
std::span<const NamedValue<TrajectoryOrder>> NamesOf(TrajectoryOrder) {
  return kTrajectoryOrders;
}
std::span<const NamedValue<Method>> NamesOf(Method) { return kMethods; }
std::span<const NamedValue<MgdaEval>> NamesOf(MgdaEval) { return kMgdaEvals; }
std::span<const NamedValue<FinalSelect>> NamesOf(FinalSelect) { return kFinalSelects; }

}  // namespace judgeopt::optim
