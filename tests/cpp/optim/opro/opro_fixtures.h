#pragma once
// A scripted model for OPRO tests on MakeLoopDataset: it answers OPRO meta-prompts with one JSON
// proposal per sample index and judge prompts with values that depend on the instructions, so
// proposals score differently on the batch.

#include <atomic>
#include <cstdio>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cpp/optim/loop_fixtures.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::optim::testdata {

/// Proposal k of a step gives every criterion "<c> rule <tag>", plus " GOOD-<c>" when k is in
/// `good` and " BAD" when k is in `bad`. The judge returns, per criterion, the gold value when
/// its prompt contains "GOOD-<c>", a value far from gold when it contains " BAD", and else the
/// fixed values {clarity 3, tone 3, accuracy 2, helpfulness 3}.
class OproModel {
 public:
  std::set<int> good;         // proposals that make the judge exact
  std::set<int> bad;          // proposals that make the judge far off
  std::set<int> unparseable;  // proposals answered with prose
  std::string omit;           // a criterion every proposal leaves out ("" = none)

  testing::ScriptedLlm::Reply Answer(const llm::ChatRequest& r) {
    const std::string text = testing::ScriptedLlm::LastUserMessage(r);
    const auto layout = prompts::ReadPromptLayout(text);
    if (layout.kind == prompts::PromptKind::kOpro) return Propose(r, layout.criteria);
    return Judge(r);
  }

  /// The gold values of example `i` of MakeLoopDataset.
  static nlohmann::ordered_json Gold(int i) {
    return {{"clarity", 1 + i % 5},
            {"tone", 1 + (i * 3) % 5},
            {"accuracy", i % 4},
            {"helpfulness", 1 + (i * 7) % 5}};
  }

  static nlohmann::ordered_json Fixed() {
    return {{"clarity", 3}, {"tone", 3}, {"accuracy", 2}, {"helpfulness", 3}};
  }

 private:
  testing::ScriptedLlm::Reply Propose(const llm::ChatRequest& r,
                                      const std::vector<std::string>& criteria) const {
    const int k = r.sample_index;
    if (unparseable.count(k)) return std::string("I would rather not answer in JSON.");
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const std::string& c : criteria) {
      if (c == omit) continue;
      std::string ins = fmt::format("{} rule {}", c, r.tag);
      if (good.count(k)) ins += " GOOD-" + c;
      if (bad.count(k)) ins += " BAD";
      j[c] = ins;
    }
    return j.dump();
  }

  static testing::ScriptedLlm::Reply Judge(const llm::ChatRequest& r) {
    std::string all;
    for (const auto& m : r.messages) all += m.content;
    int i = -1;
    const auto at = all.find("Review number ");
    if (at != std::string::npos) std::sscanf(all.c_str() + at, "Review number %d.", &i);
    const auto gold = Gold(i < 0 ? 0 : i);
    nlohmann::ordered_json reply = Fixed();
    for (auto& [c, v] : reply.items()) {
      if (all.find("GOOD-" + c) != std::string::npos) v = gold[c];
      if (all.find(" BAD") != std::string::npos) {
        const int g = gold[c].get<int>();
        const int lo = c == "accuracy" ? 0 : 1, hi = c == "accuracy" ? 3 : 5;
        v = g - lo < hi - g ? hi : lo;  // the far end of the scale
      }
    }
    return reply.dump();
  }
};

}  // namespace judgeopt::optim::testdata
