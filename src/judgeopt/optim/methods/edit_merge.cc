#include "judgeopt/optim/methods/edit_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "judgeopt/prompts/lenient_json.h"

namespace judgeopt::optim {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kNoList = "no edit list parsed";
constexpr const char* kNoUsableEdit = "no usable edit in the list";

CriterionEdits* FindCriterion(StepEdits& edits, const std::string& criterion) {
  for (CriterionEdits& c : edits.criteria) {
    if (c.criterion == criterion) return &c;
  }
  return nullptr;
}

const CriterionEdits* FindCriterion(const StepEdits& edits, const std::string& criterion) {
  for (const CriterionEdits& c : edits.criteria) {
    if (c.criterion == criterion) return &c;
  }
  return nullptr;
}

void AddSample(std::vector<int>& samples, int sample) {
  auto at = std::lower_bound(samples.begin(), samples.end(), sample);
  if (at == samples.end() || *at != sample) samples.insert(at, sample);
}

void Merge(CriterionEdits& c, int sample, prompts::Edit edit, std::string named) {
  const std::string key = prompts::LowerTrimmed(edit.text);
  for (StepEdit& existing : c.edits) {
    if (existing.edit.action == edit.action && prompts::LowerTrimmed(existing.edit.text) == key) {
      AddSample(existing.samples, sample);
      return;
    }
  }
  c.edits.push_back(
      {static_cast<int>(c.edits.size()) + 1, std::move(edit), {sample}, std::move(named)});
}

void AddReply(CriterionEdits& c, const SampleText& g) {
  prompts::ParsedEdits parsed = prompts::ParseEditList(g.text, c.criterion);
  for (const prompts::RejectedEdit& r : parsed.rejected) {
    c.rejected.push_back(fmt::format("sample {}, entry {}: {}", g.sample, r.index + 1, r.reason));
  }
  if (!parsed.list_found || (parsed.edits.empty() && !parsed.rejected.empty())) {
    c.free_texts.push_back({g.sample, g.text, parsed.list_found ? kNoUsableEdit : kNoList});
    return;
  }
  if (parsed.edits.empty()) {
    AddSample(c.empty_lists, g.sample);
    return;
  }
  for (std::size_t i = 0; i < parsed.edits.size(); ++i) {
    Merge(c, g.sample, std::move(parsed.edits[i]), parsed.named_criteria[i]);
  }
}

std::string CountSummary(const CriterionEdits& c) {
  std::map<prompts::EditAction, int> counts;
  for (const StepEdit& e : c.edits) ++counts[e.edit.action];
  std::vector<std::string> parts;
  for (const auto& [action, n] : counts) {
    parts.push_back(fmt::format("{} {}", n, prompts::EditActionName(action)));
  }
  return fmt::format("{} edit{} ({})", c.edits.size(), c.edits.size() == 1 ? "" : "s",
                     fmt::join(parts, ", "));
}

std::string FallbackReasons(const CriterionEdits& c) {
  std::vector<std::string> reasons;
  for (const FreeTextFallback& f : c.free_texts) {
    if (std::find(reasons.begin(), reasons.end(), f.reason) == reasons.end()) {
      reasons.push_back(f.reason);
    }
  }
  return fmt::format("{}", fmt::join(reasons, "; "));
}

std::string Summary(const CriterionEdits& c) {
  if (c.edits.empty()) {
    if (!c.free_texts.empty()) return "free text (" + FallbackReasons(c) + ")";
    return c.empty_lists.empty() ? "no edits (no gradient)" : "no edits (empty list)";
  }
  std::string s = CountSummary(c);
  if (!c.free_texts.empty()) {
    s += fmt::format("; free text for {} sample{} ({})", c.free_texts.size(),
                     c.free_texts.size() == 1 ? "" : "s", FallbackReasons(c));
  }
  return s;
}

Json Payload(const CriterionEdits& c) {
  Json edits = Json::array();
  for (const StepEdit& e : c.edits) {
    Json j = {{"id", e.id},
              {"action", prompts::EditActionName(e.edit.action)},
              {"text", e.edit.text},
              {"rationale", e.edit.rationale},
              {"samples", e.samples}};
    if (!e.named.empty()) j["named_criterion"] = e.named;
    edits.push_back(std::move(j));
  }
  Json free = Json::array();
  for (const FreeTextFallback& f : c.free_texts) {
    free.push_back({{"sample", f.sample}, {"reason", f.reason}});
  }
  return {{"criterion", c.criterion},
          {"edits", std::move(edits)},
          {"free_text", std::move(free)},
          {"empty_lists", c.empty_lists},
          {"rejected", c.rejected}};
}

// The feedback of one (criterion, sample), or "" when nothing of it survives.
std::string SampleFeedback(const CriterionEdits& c, int sample, const std::set<EditKey>& dropped) {
  for (const FreeTextFallback& f : c.free_texts) {
    if (f.sample == sample) return f.text;
  }
  if (std::binary_search(c.empty_lists.begin(), c.empty_lists.end(), sample)) {
    return prompts::RenderNoEdit(c.criterion);
  }
  std::string out;
  for (const StepEdit& e : c.edits) {
    if (!std::binary_search(e.samples.begin(), e.samples.end(), sample)) continue;
    if (dropped.count({c.criterion, e.id}) > 0) continue;
    if (!out.empty()) out += '\n';
    out += prompts::RenderEdit(e.edit);
  }
  return out;
}

}  // namespace

const StepEdit* CriterionEdits::Find(int id) const {
  if (id < 1 || id > static_cast<int>(edits.size())) return nullptr;
  return &edits[static_cast<std::size_t>(id - 1)];
}

int StepEdits::EditCount() const {
  int n = 0;
  for (const CriterionEdits& c : criteria) n += static_cast<int>(c.edits.size());
  return n;
}

StepEdits CollectEdits(const std::vector<std::string>& criteria,
                       const std::vector<SampleText>& gradients) {
  StepEdits out;
  for (const std::string& c : criteria) out.criteria.push_back({c, {}, {}, {}, {}});
  for (const SampleText& g : gradients) {
    if (CriterionEdits* c = FindCriterion(out, g.criterion)) AddReply(*c, g);
  }
  return out;
}

std::vector<DecisionRecord> EditsDecisions(const StepEdits& edits) {
  std::vector<DecisionRecord> out;
  for (const CriterionEdits& c : edits.criteria) {
    out.push_back({"edits", c.criterion, Summary(c), Payload(c).dump()});
  }
  return out;
}

std::vector<SampleText> RenderFeedback(const StepEdits& edits,
                                       const std::vector<SampleText>& gradients,
                                       const std::set<EditKey>& dropped) {
  std::vector<SampleText> out;
  for (const SampleText& g : gradients) {
    const CriterionEdits* c = FindCriterion(edits, g.criterion);
    if (c == nullptr) {
      out.push_back(g);
      continue;
    }
    std::string text = SampleFeedback(*c, g.sample, dropped);
    if (!text.empty()) out.push_back({g.criterion, g.sample, std::move(text)});
  }
  return out;
}

}  // namespace judgeopt::optim
