#pragma once
// Helpers for the tests of the simulator's optimization roles: a client over the synthetic
// SummEval set, prompts built with the real prompts/ builders, and an attribution reader
// written here (not the simulator's) that tells which quoted criterion a concept's sentence names.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cpp/sim/sim_test_util.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/prompts/prompt_types.h"
#include "judgeopt/sim/concepts.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim::testing {

inline const std::vector<std::string> kSummEvalCriteria = {"fluency", "relevance", "coherence",
                                                           "consistency"};

/// A simulator over `dataset` with no malformed replies (unless a test sets a share).
inline std::unique_ptr<SimClient> MakeClient(std::shared_ptr<const data::Dataset> dataset,
                                             double malformed = 0.0, uint64_t seed = 0) {
  SimOptions options;
  options.seed = seed;
  options.malformed.SetAll(malformed);
  auto client = SimClient::Create(std::move(dataset), options);
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

/// A simulator over `dataset` with other constants and no malformed replies.
inline std::unique_ptr<SimClient> MakeClient(std::shared_ptr<const data::Dataset> dataset,
                                             const SimConstants& constants) {
  SimOptions options;
  options.malformed.SetAll(0.0);
  options.constants = constants;
  auto client = SimClient::Create(std::move(dataset), options);
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

/// The reply text; fails the test (and returns "") on an error.
inline std::string Ask(SimClient& client, const std::string& prompt, int64_t seed = 0,
                       double temperature = 0.7) {
  llm::ChatRequest r = UserRequest(prompt, temperature);
  r.seed = seed;
  r.max_tokens = 4096;  // the optimizer role's default order of magnitude: no truncated reply
  auto reply = client.Complete(r);
  EXPECT_TRUE(reply.ok()) << reply.error().ToString();
  return reply.ok() ? reply->content : "";
}

/// The concept list K_c the simulator uses for `criterion`.
inline const std::vector<Concept>& ConceptsOf(const SimClient& client,
                                              const std::string& criterion) {
  return client.world().criteria()[client.world().FindCriterion(criterion)].concepts;
}

/// Names of the concepts of `criterion` that `text` mentions.
inline std::vector<std::string> MentionedNames(const SimClient& client,
                                               const std::string& criterion,
                                               const std::string& text) {
  std::vector<std::string> out;
  std::string lower = AsciiLower(text);
  for (const auto& k : ConceptsOf(client, criterion)) {
    if (Mentions(k, lower)) out.push_back(k.name);
  }
  return out;
}

/// "<seed instruction> Look at <first k concept names>." for `criterion`.
inline std::string Covering(const SimClient& client, const std::string& criterion, int k) {
  std::string text = "Rate from 1 to 5.";
  const auto& concepts = ConceptsOf(client, criterion);
  for (int i = 0; i < k && i < static_cast<int>(concepts.size()); ++i) {
    text += (i == 0 ? " Look at " : ", ") + concepts[i].name;
  }
  return k > 0 ? text + "." : text;
}

/// The sentence of `text` (split at ". " and line breaks) that first mentions `phrase`.
inline std::string SentenceWith(const std::string& text, const std::string& phrase) {
  std::string lower = AsciiLower(text);
  std::size_t at = lower.find(AsciiLower(phrase));
  if (at == std::string::npos) return "";
  std::size_t begin = lower.rfind(". ", at);
  std::size_t nl = lower.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 2;
  if (nl != std::string::npos && nl + 1 > begin) begin = nl + 1;
  std::size_t end = std::min(lower.find(". ", at), lower.find('\n', at));
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

/// The judged sample for `example` as the optimization prompts show it, with `values` as the
/// judge's parsed scores (one per criterion of `criteria`).
inline prompts::JudgedSample Judged(const data::Dataset& ds, const data::Example& ex,
                                           const std::vector<std::string>& criteria,
                                           const std::vector<double>& values) {
  prompts::JudgedSample s;
  std::string raw = "{";
  for (std::size_t i = 0; i < ds.inputs.size(); ++i) {
    s.inputs.push_back({ds.inputs[i].label, ex.inputs[i]});
  }
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    s.predictions.push_back({criteria[c], prompts::Score{values[c], ""}});
    raw += (c > 0 ? ", \"" : "\"") + criteria[c] + "\": " + std::to_string(int(values[c]));
  }
  s.raw_reply = raw + "}";
  return s;
}

}  // namespace judgeopt::sim::testing
