#include "judgeopt/optim/methods/conflict_matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "judgeopt/llm/reply_check.h"

namespace judgeopt::optim {
namespace {

using Json = nlohmann::ordered_json;
using prompts::PairVerdict;

prompts::ConflictSide SideOf(const CriterionEdits& c, const judge::JudgePrompt& prompt) {
  prompts::ConflictSide side;
  side.criterion = c.criterion;
  const std::string* instruction = prompt.Instruction(c.criterion);
  side.instruction = instruction != nullptr ? *instruction : "";
  for (const StepEdit& e : c.edits) side.edits.push_back(e.edit);
  return side;
}

Json VerdictJson(const prompts::EditPairVerdict& v) {
  Json j = {{"a", v.a + 1}, {"b", v.b + 1}, {"verdict", prompts::PairVerdictName(v.verdict)}};
  if (v.verdict == PairVerdict::kContradict) j["keep"] = v.keep;
  if (!v.note.empty()) j["note"] = v.note;
  return j;
}

std::string Plural(int n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

int ConflictReplyTokens(int pairs) { return 64 + 32 * pairs; }

int CriterionPairVerdicts::Count(PairVerdict verdict) const {
  int n = 0;
  for (const auto& v : verdicts) n += v.verdict == verdict ? 1 : 0;
  return n;
}

std::vector<PlannedPair> PlanConflictPairs(const StepEdits& edits,
                                           const judge::JudgePrompt& prompt) {
  std::vector<PlannedPair> out;
  const auto& cs = edits.criteria;
  for (std::size_t a = 0; a < cs.size(); ++a) {
    for (std::size_t b = a + 1; b < cs.size(); ++b) {
      if (cs[a].edits.empty() || cs[b].edits.empty()) continue;
      out.push_back({a, b, prompts::ConflictPrompt(SideOf(cs[a], prompt), SideOf(cs[b], prompt))});
    }
  }
  return out;
}

ConflictMatrix AssembleMatrix(const StepEdits& edits, const std::vector<PlannedPair>& planned,
                              const std::vector<std::string>& replies) {
  ConflictMatrix m;
  const auto& cs = edits.criteria;
  for (const CriterionEdits& c : cs) m.criteria.push_back(c.criterion);
  for (std::size_t a = 0; a < cs.size(); ++a) {
    for (std::size_t b = a + 1; b < cs.size(); ++b) {
      CriterionPairVerdicts pair{cs[a].criterion, cs[b].criterion, {}, {}, false};
      for (std::size_t k = 0; k < planned.size() && k < replies.size(); ++k) {
        if (planned[k].a != a || planned[k].b != b) continue;
        prompts::ParsedVerdicts parsed = prompts::ParseVerdicts(
            replies[k], static_cast<int>(cs[a].edits.size()), static_cast<int>(cs[b].edits.size()));
        pair.verdicts = std::move(parsed.verdicts);
        pair.ignored = std::move(parsed.ignored);
        pair.called = true;
        break;
      }
      m.pairs.push_back(std::move(pair));
    }
  }
  return m;
}

std::vector<llm::ChatRequest> ConflictRequests(const RunContext& ctx, int step,
                                               const StepEdits& edits,
                                               const std::vector<PlannedPair>& planned) {
  std::vector<llm::ChatRequest> requests;
  for (const PlannedPair& p : planned) {
    llm::ChatRequest r =
        NewRequest(ctx, llm::Role::kDiagnostic, p.prompt,
                   fmt::format("{}/{}-{}", StepTag(step, "conflicts"),
                               edits.criteria[p.a].criterion, edits.criteria[p.b].criterion));
    const int pairs =
        static_cast<int>(edits.criteria[p.a].edits.size() * edits.criteria[p.b].edits.size());
    r.max_tokens = std::max(r.max_tokens, ConflictReplyTokens(pairs));
    requests.push_back(std::move(r));
  }
  return requests;
}

Result<ConflictMatrix> RunConflictMatrix(RunContext& ctx, int step, const StepEdits& edits,
                                         const judge::JudgePrompt& prompt) {
  ctx.Stage(step, "conflicts");
  const std::vector<PlannedPair> planned = PlanConflictPairs(edits, prompt);
  const std::vector<llm::ChatRequest> requests = ConflictRequests(ctx, step, edits, planned);
  const auto replies = SendWave(ctx, llm::Role::kDiagnostic, requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, requests));
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    texts.push_back(llm::CompleteText(requests[i], *replies[i]));
  }
  return AssembleMatrix(edits, planned, texts);
}

DecisionRecord MatrixDecision(const ConflictMatrix& m) {
  Json pairs = Json::array();
  int agree = 0, independent = 0, contradict = 0, doubtful = 0, ignored = 0;
  for (const CriterionPairVerdicts& p : m.pairs) {
    Json verdicts = Json::array();
    for (const auto& v : p.verdicts) {
      verdicts.push_back(VerdictJson(v));
      doubtful += v.note.empty() ? 0 : 1;
    }
    const int n_agree = p.Count(PairVerdict::kAgree);
    const int n_independent = p.Count(PairVerdict::kIndependent);
    const int n_contradict = p.Count(PairVerdict::kContradict);
    agree += n_agree;
    independent += n_independent;
    contradict += n_contradict;
    ignored += static_cast<int>(p.ignored.size());
    pairs.push_back({{"a", p.a},
                     {"b", p.b},
                     {"agree", n_agree},
                     {"independent", n_independent},
                     {"contradict", n_contradict},
                     {"verdicts", std::move(verdicts)}});
  }
  std::string summary =
      fmt::format("{} contradict, {} agree, {} independent over {}", contradict, agree, independent,
                  Plural(agree + independent + contradict, "edit pair"));
  if (doubtful > 0) summary += fmt::format("; {} missing, unparseable or doubtful", doubtful);
  if (ignored > 0) {
    summary += fmt::format("; {} reply {} ignored", ignored, ignored == 1 ? "entry" : "entries");
  }
  const Json payload = {{"criteria", m.criteria}, {"pairs", std::move(pairs)}};
  return {"conflict_matrix", "", std::move(summary), payload.dump()};
}

}  // namespace judgeopt::optim
