#pragma once
// Fixtures for tests of the optimization loop: a 20-example, 4-criterion dataset with train,
// validation and test splits, and a scripted model that answers every role's prompt layout.

#include <atomic>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cpp/judge/review_dataset.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::optim::testdata {

/// 20 examples: train 0-7, validation 8-13, test 14-19.
inline data::Dataset MakeLoopDataset() {
  data::Dataset d = judge::testdata::MakeReviewDataset();
  d.examples.clear();
  for (int i = 0; i < 20; ++i) {
    const double a = 1 + i % 5, b = 1 + (i * 3) % 5, c = i % 4, e = 1 + (i * 7) % 5;
    d.examples.push_back({fmt::format("r{}", i),
                          {fmt::format("Review number {}.", i), fmt::format("Product {}", i % 3)},
                          {a, b, c, e},
                          "g",
                          static_cast<std::size_t>(i + 1)});
  }
  d.splits = {};
  for (std::size_t i = 0; i < 20; ++i) {
    (i < 8 ? d.splits.train : i < 14 ? d.splits.validation : d.splits.test).push_back(i);
  }
  return d;
}

/// Answers by layout: judge prompts with fixed scores (or `bad_scores` when the judge's system
/// prompt contains `bad_marker`), loss and gradient prompts with short texts, separate optimizer
/// prompts with "<criterion> rule <tag>", combined ones with the JSON of every criterion.
class LayoutModel {
 public:
  std::string bad_marker;          // "" = never
  bool omit_last_criterion = false;  // combined optimizer replies leave out the last criterion
  std::string fail_tag_prefix;       // requests whose tag starts with this fail ("" = none)
  std::atomic<int> judge_calls{0};

  testing::ScriptedLlm::Reply Answer(const llm::ChatRequest& r) {
    if (!fail_tag_prefix.empty() && r.tag.rfind(fail_tag_prefix, 0) == 0) {
      return Error(ErrorCode::kBudgetExceeded, "budget spent (injected)");
    }
    const std::string text = testing::ScriptedLlm::LastUserMessage(r);
    const auto layout = prompts::ReadPromptLayout(text);
    using K = prompts::PromptKind;
    switch (layout.kind) {
      case K::kLossSeparate:
      case K::kLossCombined:
        return std::string("The prediction is one point too high.");
      case K::kGradientSeparate:
      case K::kGradientCombined:
        if (prompts::AsksForEditList(text)) {  // a structured gradient: one edit, as JSON
          return std::string("Keep the scale.\n\n```json\n[{\"action\": \"add\", \"text\": "
                             "\"Name what to check.\"}]\n```");
        }
        return std::string("Keep the scale.\n\nThe rubric is vague.\n\nName what to check.");
      case K::kOptimizerSeparate:
        return fmt::format("{} rule {}", layout.criteria[0], r.tag);
      case K::kOptimizerCombined: {
        nlohmann::ordered_json j;
        const std::size_t n = layout.criteria.size() - (omit_last_criterion ? 1 : 0);
        for (std::size_t i = 0; i < n; ++i) {
          j["instructions"][layout.criteria[i]] = fmt::format("{} rule {}", layout.criteria[i], r.tag);
        }
        return j.dump();
      }
      default:
        break;
    }
    ++judge_calls;
    std::string all;
    for (const auto& m : r.messages) all += m.content;
    const bool bad = !bad_marker.empty() && all.find(bad_marker) != std::string::npos;
    return bad ? std::string(R"({"clarity": 1, "tone": 1, "accuracy": 0, "helpfulness": 1})")
               : std::string(R"({"clarity": 3, "tone": 3, "accuracy": 2, "helpfulness": 3})");
  }
};

/// Forwards to a client it does not own (to hand a test's fake to a ClientStack).
class ForwardingClient final : public llm::LlmClient {
 public:
  explicit ForwardingClient(llm::LlmClient& inner) : inner_(inner) {}
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& r) override {
    return inner_.Complete(r);
  }

 private:
  llm::LlmClient& inner_;
};

/// A ClientStack whose every role is `model` (through the stack's cache when `cache` is set).
inline std::unique_ptr<llm::ClientStack> MakeStack(llm::LlmClient& model,
                                                   std::shared_ptr<llm::ResponseCache> cache) {
  llm::LlmConfig config =
      llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  llm::ClientStackPorts ports;
  ports.cache = std::move(cache);
  ports.env = [](const std::string&) { return std::optional<std::string>(); };
  ports.make_sim = [&model]() -> Result<std::unique_ptr<llm::LlmClient>> {
    return std::unique_ptr<llm::LlmClient>(std::make_unique<ForwardingClient>(model));
  };
  auto stack = llm::ClientStack::Create(config, std::move(ports));
  return stack.ok() ? std::move(stack).value() : nullptr;
}

}  // namespace judgeopt::optim::testdata
