#include "judgeopt/optim/methods/archive.h"

#include <cmath>
#include <limits>
#include <map>

#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/metrics/hypervolume.h"
#include "judgeopt/metrics/pareto.h"
#include "judgeopt/optim/engine/decision_util.h"
#include "judgeopt/optim/engine/gate.h"
#include "judgeopt/optim/engine/run_plan.h"

namespace judgeopt::optim {
namespace {

constexpr double kTie = 1e-12;

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

double Min(const std::vector<double>& v) {
  double m = std::numeric_limits<double>::infinity();
  for (double x : v) m = std::min(m, x);
  return m;
}

// The index maximizing key(i), then the mean (when `mean_tiebreak`), then the lowest index, over
// `candidates`.
template <typename Key>
std::size_t ArgMax(const std::vector<std::vector<double>>& points,
                   const std::vector<std::size_t>& candidates, Key key, bool mean_tiebreak) {
  std::size_t best = candidates.front();
  for (std::size_t i : candidates) {
    const double k = key(i), kb = key(best);
    if (k > kb + kTie) {
      best = i;
    } else if (mean_tiebreak && std::abs(k - kb) <= kTie &&
               Mean(points[i]) > Mean(points[best]) + kTie) {
      best = i;
    }
  }
  return best;
}

// Per-fingerprint sums while collecting.
struct Accumulator {
  ArchivePoint point;
  std::vector<double> sums;
  std::vector<int> counts;
};

Status AddEntry(const DecisionRecord& d, int step, const std::vector<std::string>& criteria,
                std::vector<Accumulator>& acc, std::map<std::string, std::size_t>& index) {
  const std::string where = fmt::format("step {} archive decision", step);
  const auto j = nlohmann::json::parse(d.payload_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("fingerprint") ||
      !j["fingerprint"].is_string() || !j.contains("scores") || !j["scores"].is_object()) {
    return InvalidArgument(where + ": payload lacks \"fingerprint\" or \"scores\"");
  }
  const std::string fp = j["fingerprint"].get<std::string>();
  auto [it, fresh] = index.emplace(fp, acc.size());
  if (fresh) {
    Accumulator a;
    a.point.fingerprint = fp;
    a.point.prompt_json = j.value("prompt", "");
    a.point.first_step = step;
    a.point.first_source = j.value("source", "");
    a.sums.assign(criteria.size(), 0);
    a.counts.assign(criteria.size(), 0);
    acc.push_back(std::move(a));
  }
  Accumulator& a = acc[it->second];
  ++a.point.times;
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    const auto& scores = j["scores"];
    if (!scores.contains(criteria[c]) || !scores[criteria[c]].is_number()) continue;
    a.sums[c] += scores[criteria[c]].get<double>();
    ++a.counts[c];
  }
  if (a.point.prompt_json.empty()) a.point.prompt_json = j.value("prompt", "");
  return Status::Ok();
}

nlohmann::json ScoresJson(const std::vector<std::string>& criteria,
                          const std::vector<double>& scores) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t c = 0; c < criteria.size(); ++c) j[criteria[c]] = scores[c];
  return j;
}

}  // namespace

bool RecordsArchive(const OptimizeConfig& config) {
  return config.method != MethodConfig{} || config.gate.kind != GateKind::kMean;
}

DecisionRecord ArchiveDecision(const std::vector<std::string>& criteria,
                               const judge::JudgePrompt& prompt,
                               const std::vector<std::optional<double>>& scores,
                               const std::string& source) {
  nlohmann::json s = nlohmann::json::object();
  for (std::size_t c = 0; c < criteria.size() && c < scores.size(); ++c) {
    s[criteria[c]] = OptionalJson(scores[c]);
  }
  const nlohmann::json payload = {{"fingerprint", prompt.Fingerprint()},
                                  {"prompt", judge::PromptToJsonText(prompt)},
                                  {"scores", std::move(s)},
                                  {"source", source}};
  std::string summary = fmt::format("{} {}: mean {}", source, prompt.Fingerprint().substr(0, 12),
                                    Fixed3(MeanScore(scores)));
  return {"archive", "", std::move(summary), payload.dump()};
}

Result<std::vector<ArchivePoint>> CollectArchive(const std::vector<const StepRecord*>& steps,
                                                 const std::vector<std::string>& criteria,
                                                 int* incomplete) {
  std::vector<Accumulator> acc;
  std::map<std::string, std::size_t> index;
  for (const StepRecord* s : steps) {
    for (const DecisionRecord& d : s->decisions) {
      if (d.kind == "archive") JO_RETURN_IF_ERROR(AddEntry(d, s->step, criteria, acc, index));
    }
  }
  std::vector<ArchivePoint> out;
  int missing = 0;
  for (Accumulator& a : acc) {
    bool complete = true;
    for (std::size_t c = 0; c < criteria.size(); ++c) {
      if (a.counts[c] == 0) {
        complete = false;
        break;
      }
      a.point.scores.push_back(a.sums[c] / a.counts[c]);
    }
    if (complete) {
      out.push_back(std::move(a.point));
    } else {
      ++missing;
    }
  }
  if (incomplete != nullptr) *incomplete = missing;
  return out;
}

namespace {

// The point of the normalized front closest to its ideal point.
std::size_t KneePoint(const std::vector<std::vector<double>>& points) {
  const std::vector<std::size_t> front = metrics::NonDominatedIndices(points);
  const std::size_t dims = points.front().size();
  std::vector<double> lo(dims, std::numeric_limits<double>::infinity());
  std::vector<double> hi(dims, -std::numeric_limits<double>::infinity());
  for (std::size_t i : front) {
    for (std::size_t d = 0; d < dims; ++d) {
      lo[d] = std::min(lo[d], points[i][d]);
      hi[d] = std::max(hi[d], points[i][d]);
    }
  }
  // Larger key = closer to the ideal point (1, ..., 1) of the normalized front.
  auto closeness = [&](std::size_t i) {
    double sq = 0;
    for (std::size_t d = 0; d < dims; ++d) {
      const double range = hi[d] - lo[d];
      const double v = range > 0 ? (points[i][d] - lo[d]) / range : 1.0;
      sq += (1 - v) * (1 - v);
    }
    return -std::sqrt(sq);
  };
  return ArgMax(points, front, closeness, true);
}

}  // namespace

std::optional<std::size_t> SelectPoint(const std::vector<std::vector<double>>& points,
                                       FinalSelect rule) {
  if (points.empty()) return std::nullopt;
  std::vector<std::size_t> all(points.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  switch (rule) {
    case FinalSelect::kLast: return std::nullopt;
    case FinalSelect::kBestMean:
      return ArgMax(
          points, all, [&](std::size_t i) { return Mean(points[i]); }, false);
    case FinalSelect::kMaxMin:
      return ArgMax(
          points, all, [&](std::size_t i) { return Min(points[i]); }, true);
    case FinalSelect::kKnee: return KneePoint(points);
  }
  return std::nullopt;
}

std::vector<double> ArchiveReference(const RunContext& ctx, GateMetric metric) {
  std::vector<double> ref;
  for (const std::string& name : ctx.criteria) {
    const data::Scale& scale = ctx.criterion(name).scale;
    if (metric == GateMetric::kMae) {
      ref.push_back(-(scale.max - scale.min));
    } else if (metric == GateMetric::kOffByOne) {
      ref.push_back(0);
    } else {
      ref.push_back(-1);
    }
  }
  return ref;
}

namespace {

// The archive of steps 1..step-1 (loaded from `recorder`) and `record`.
Result<std::vector<ArchivePoint>> LoadArchive(const RunContext& ctx, RunRecorder& recorder,
                                              int step, const StepRecord& record, int& incomplete) {
  std::vector<StepRecord> earlier;
  for (int s = 1; s < step; ++s) {
    JO_ASSIGN_OR_RETURN(std::optional<StepRecord> loaded, recorder.LoadStep(ctx.run_id, s));
    if (!loaded) {
      return InternalError(
          fmt::format("run {}: step {} is not stored, so the Pareto archive "
                      "cannot be rebuilt for --select {}",
                      ctx.run_id, s, EnumName(ctx.config.method.select)));
    }
    earlier.push_back(std::move(*loaded));
  }
  std::vector<const StepRecord*> steps;
  for (const StepRecord& s : earlier) steps.push_back(&s);
  steps.push_back(&record);
  return CollectArchive(steps, ctx.criteria, &incomplete);
}

}  // namespace

Status SelectFinalPrompt(RunContext& ctx, RunRecorder& recorder, int step,
                         judge::JudgePrompt& incumbent, StepRecord& record) {
  const FinalSelect select = ctx.config.method.select;
  if (select == FinalSelect::kLast || step != ctx.config.steps) return Status::Ok();
  const std::string rule = EnumName(select);
  int incomplete = 0;
  JO_ASSIGN_OR_RETURN(const std::vector<ArchivePoint> archive,
                      LoadArchive(ctx, recorder, step, record, incomplete));
  std::vector<std::vector<double>> points;
  for (const ArchivePoint& p : archive) points.push_back(p.scores);
  const GateMetric scoring = ScoringMetric(ctx.config);
  const std::string metric = EnumName(scoring);
  const std::vector<double> reference = ArchiveReference(ctx, scoring);
  nlohmann::json payload = {{"rule", rule},
                            {"metric", metric},
                            {"points", points.size()},
                            {"incomplete", incomplete},
                            {"reference", reference},
                            {"previous", incumbent.Fingerprint()}};
  nlohmann::json front = nlohmann::json::array();
  for (std::size_t i : metrics::NonDominatedIndices(points))
    front.push_back(archive[i].fingerprint);
  payload["front"] = std::move(front);
  const auto hv = metrics::Hypervolume(metrics::NonDominated(points), reference);
  payload["hypervolume"] = hv.ok() ? nlohmann::json(*hv) : nlohmann::json(nullptr);
  const std::optional<std::size_t> chosen = SelectPoint(points, select);
  if (!chosen) {
    payload["chosen"] = nullptr;
    record.decisions.push_back(
        {"select", "",
         rule + ": the archive has no prompt scored on every criterion; keeps the last incumbent",
         payload.dump()});
    return Status::Ok();
  }
  const ArchivePoint& p = archive[*chosen];
  JO_ASSIGN_OR_RETURN(incumbent,
                      PromptFromRecord({p.fingerprint, p.prompt_json}, ctx.dataset, ctx.run_id));
  payload["chosen"] = {{"fingerprint", p.fingerprint},
                       {"scores", ScoresJson(ctx.criteria, p.scores)},
                       {"first_step", p.first_step},
                       {"source", p.first_source}};
  std::string summary = fmt::format(
      "{}: {} (step {}, {}) of {} archived prompts, mean {:.3f}; hypervolume {} ({})", rule,
      p.fingerprint.substr(0, 12), p.first_step, p.first_source, points.size(), Mean(p.scores),
      hv.ok() ? fmt::format("{:.4f}", *hv) : std::string("n/a"), metric);
  record.decisions.push_back({"select", "", std::move(summary), payload.dump()});
  return Status::Ok();
}

}  // namespace judgeopt::optim
