#include "judgeopt/sim/judge_role.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/score_direction.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {

struct JudgeRole::Scored {
  CriterionModel model;
  std::string lower_instruction;  // empty for a criterion the prompt does not score
  int words = 0;
  bool in_prompt = false;
  double gold = 0;
  bool gold_from_dataset = false;
};

namespace {

constexpr data::Scale kDefaultScale{1, 5, true};

// True when two phrases overlap (one contains the other): such concepts of another criterion
// cannot be told apart from c's own and do not count as misattribution.
bool Overlaps(const Concept& a, const Concept& b) {
  for (const auto& p : a.phrases) {
    for (const auto& q : b.phrases) {
      if (p.find(q) != std::string::npos || q.find(p) != std::string::npos) return true;
    }
  }
  return false;
}

// Share of d's concepts (those distinguishable from c's) that c's instruction mentions.
double ForeignShare(const CriterionModel& c, const CriterionModel& d, std::string_view lower) {
  int total = 0;
  int mentioned = 0;
  for (const auto& k : d.concepts) {
    bool shared = std::any_of(c.concepts.begin(), c.concepts.end(),
                              [&](const Concept& own) { return Overlaps(own, k); });
    if (shared) continue;
    ++total;
    mentioned += Mentions(k, lower) ? 1 : 0;
  }
  return total == 0 ? 0.0 : static_cast<double>(mentioned) / total;
}

double Coverage(const CriterionModel& c, std::string_view lower) {
  if (c.concepts.empty()) return 0.0;
  return static_cast<double>(CountMentions(c.concepts, lower)) / c.concepts.size();
}

double RoundToScale(double raw, const data::Scale& scale, int decimals) {
  if (scale.integer) return std::clamp(std::round(raw), scale.min, scale.max);
  double unit = std::pow(10.0, decimals);
  return std::round(std::clamp(raw, scale.min, scale.max) * unit) / unit;
}

std::string FormatValue(double v, bool integer) {
  if (integer) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::string RenderEntries(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out = "{";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += ", ";
    out += nlohmann::json(entries[i].first).dump() + ": " + entries[i].second;
  }
  return out + "}";
}

std::string RenderLines(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += "\n";
    out += entries[i].first + ": " + entries[i].second;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Entries(
    const std::vector<CriterionJudgement>& scores) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : scores) out.emplace_back(s.criterion, FormatValue(s.value, s.scale.integer));
  return out;
}

std::string OutOfRangeValue(const data::Scale& scale, uint64_t key) {
  double span = scale.max - scale.min;
  bool above = UniformAt(key, 3) < 0.5;
  double step = scale.integer ? 1.0 + std::floor(UniformAt(key, 4) * 3) : span * 0.5;
  return FormatValue(above ? scale.max + step : scale.min - step, scale.integer);
}

// The same damage for both reply shapes: JSON objects, or score lines (sectioned), where
// "invalid JSON" becomes the last line cut after its colon.
std::string Malform(JudgeMalformation kind, const std::vector<CriterionJudgement>& scores,
                    uint64_t key, bool lines) {
  auto entries = Entries(scores);
  auto render = [&] { return lines ? RenderLines(entries) : RenderEntries(entries); };
  std::size_t pick = static_cast<std::size_t>(UniformAt(key, 2) * entries.size());
  switch (kind) {
    case JudgeMalformation::kCodeFence: return FenceJson(render(), key);
    case JudgeMalformation::kProse: return SurroundWithProse(render(), key);
    case JudgeMalformation::kMissingCriterion:
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(pick));
      return render();
    case JudgeMalformation::kOutOfRange:
      entries[pick].second = OutOfRangeValue(scores[pick].scale, key);
      return render();
    case JudgeMalformation::kInvalidJson: return TruncateJson(render());
    case JudgeMalformation::kEmpty:
    case JudgeMalformation::kCount: return "";
  }
  return "";
}

}  // namespace

std::string RenderScores(const std::vector<CriterionJudgement>& scores) {
  return RenderEntries(Entries(scores));
}

std::string RenderScoreLines(const std::vector<CriterionJudgement>& scores) {
  return RenderLines(Entries(scores));
}

bool JudgeRole::Recognizes(std::string_view prompt) const { return LooksLikeJudgePrompt(prompt); }

Result<std::string> JudgeRole::Reply(const SimCall& call) const {
  JO_ASSIGN_OR_RETURN(JudgeReading reading, Judge(call));
  constexpr int kKinds = static_cast<int>(JudgeMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.judge, kKinds);
  if (!kind) {
    return reading.sectioned ? RenderScoreLines(reading.criteria)
                             : RenderScores(reading.criteria);
  }
  return Malform(static_cast<JudgeMalformation>(*kind), reading.criteria, call.call_key,
                 reading.sectioned);
}

Result<JudgeReading> JudgeRole::Judge(const SimCall& call) const {
  std::vector<std::string> known;
  for (const auto& c : world_.criteria()) known.push_back(c.name);
  JO_ASSIGN_OR_RETURN(JudgePromptView view, ReadJudgePrompt(call.prompt, known));

  auto values = ReadLabeledFields(view.sample_block, world_.input_labels());
  std::optional<SampleGold> gold;
  uint64_t sample_key = 0;
  if (values) {
    gold = world_.FindSample(*values);
    sample_key = SimWorld::InputKey(*values);
  } else {
    sample_key = StableHash().Add("unlabelled sample").Add(view.sample_block).Digest();
  }
  std::vector<Scored> all = Prepare(view, sample_key, gold ? &*gold : nullptr);
  JudgeReading reading;
  reading.sample_known = gold.has_value();
  reading.sectioned = view.sectioned;
  for (std::size_t i = 0; i < view.entries.size(); ++i) {
    reading.criteria.push_back(Score(all, i, sample_key, call));
  }
  return reading;
}

std::vector<JudgeRole::Scored> JudgeRole::Prepare(const JudgePromptView& view,
                                                  uint64_t sample_key,
                                                  const SampleGold* gold) const {
  std::vector<Scored> all;
  std::vector<bool> covered(world_.criteria().size(), false);
  auto add = [&](int idx, const std::string& name, const data::Scale& shown) {
    Scored s;
    s.model = idx >= 0 ? world_.criteria()[idx] : SimWorld::AdHocCriterion(name, shown);
    double g = gold && idx >= 0 ? gold->gold[idx] : std::nan("");
    s.gold_from_dataset = std::isfinite(g);
    s.gold = s.gold_from_dataset ? g : PseudoGold(s.model.scale, s.model.name, sample_key);
    all.push_back(std::move(s));
  };
  for (const auto& e : view.entries) {
    int idx = world_.FindCriterion(e.criterion);
    if (idx >= 0) covered[idx] = true;
    add(idx, e.criterion, e.shown_scale.value_or(kDefaultScale));
    all.back().model.name = e.criterion;  // answer with the prompt's spelling
    all.back().lower_instruction = AsciiLower(e.instruction);
    all.back().words = CountWords(e.instruction);
    all.back().in_prompt = true;
  }
  for (std::size_t i = 0; i < covered.size(); ++i) {
    if (!covered[i]) add(static_cast<int>(i), world_.criteria()[i].name, kDefaultScale);
  }
  return all;
}

CriterionJudgement JudgeRole::Score(const std::vector<Scored>& all, std::size_t i,
                                    uint64_t sample_key, const SimCall& call) const {
  const SimConstants& k = options_.constants;
  const Scored& c = all[i];
  CriterionJudgement out;
  out.criterion = c.model.name;
  out.scale = c.model.scale;
  out.gold = c.gold;
  out.gold_from_dataset = c.gold_from_dataset;
  const double span = c.model.scale.max - c.model.scale.min;
  const std::string lower_name = AsciiLower(c.model.name);

  out.coverage = Coverage(c.model, c.lower_instruction);
  double other_words = 0;
  int others = 0;
  for (const auto& d : all) {
    if (&d == &c || !d.in_prompt) continue;
    other_words += d.words;
    ++others;
  }
  if (others > 0) {
    double excess = std::max(0.0, other_words / others - c.words);
    out.interference =
        1.0 + k.interference_gain * excess / (excess + k.interference_half_words);
  }
  double base = k.noise_at_full_coverage + (k.noise_at_no_coverage - k.noise_at_full_coverage) *
                                               std::pow(1.0 - out.coverage, k.coverage_exponent);
  out.sd = span * base * out.interference;

  out.bias = Leniency(lower_name, span) +
             k.calibration_shift * span * NetDirection(c.lower_instruction);
  for (const auto& d : all) {
    if (&d == &c) continue;
    double share = ForeignShare(c.model, d.model, c.lower_instruction);
    if (share == 0.0) continue;
    uint64_t sign_key = StableHash(options_.seed).Add("judge/misattribution-sign")
                            .Add(lower_name).Add(AsciiLower(d.model.name)).Digest();
    double sign = UniformAt(sign_key, 0) < 0.5 ? -1.0 : 1.0;
    out.bias += share * (k.misattribution_pull * (d.gold - c.gold) +
                         k.misattribution_shift * span * sign);
  }

  uint64_t persistent = StableHash(options_.seed).Add("judge/persistent").Add(sample_key)
                            .Add(lower_name).Digest();
  uint64_t per_call = StableHash(call.call_key).Add("judge/call").Add(lower_name).Digest();
  double z = NormalAt(persistent, 0) +
             call.temperature * k.temperature_noise * NormalAt(per_call, 0);
  out.noise = out.sd * z;
  out.value = RoundToScale(out.gold + out.bias + out.noise, c.model.scale, k.continuous_decimals);
  return out;
}

double JudgeRole::Leniency(std::string_view lower_name, double span) const {
  uint64_t key = StableHash(options_.seed).Add("judge/leniency").Add(lower_name).Digest();
  return options_.constants.leniency_max * span * (2.0 * UniformAt(key, 0) - 1.0);
}

double JudgeRole::PseudoGold(const data::Scale& scale, std::string_view criterion,
                             uint64_t sample_key) const {
  uint64_t key = StableHash(options_.seed).Add("judge/pseudo-gold").Add(sample_key)
                     .Add(AsciiLower(criterion)).Digest();
  double g = scale.min + (scale.max - scale.min) * UniformAt(key, 0);
  return scale.integer ? std::clamp(std::round(g), scale.min, scale.max) : g;
}

}  // namespace judgeopt::sim
