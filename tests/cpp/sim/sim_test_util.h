#pragma once
// Helpers for the simulator tests: judge prompts built by hand in judgeopt's layout
// (reference-protocol §1.2), a synthetic dataset, and small metric helpers written here so the
// tests do not depend on the code they check.

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// The §1.2 layout: skeleton, output-format block, instruction list, two blank lines, sample
/// fields, a blank line, "## Response:". Wording of the fixed sentence is ours.
inline std::string JudgePromptText(const std::string& preamble, const Pairs& instructions,
                                   const Pairs& fields, bool with_format = true,
                                   const std::string& format = "1|2|3|4|5") {
  std::string text = preamble + "\nScore the sample with the instructions below; reply with a JSON "
                                "object of scores and nothing else.";
  if (with_format) {
    text += "\n\n## Output format (follow this EXACTLY):\n{\n";
    for (std::size_t i = 0; i < instructions.size(); ++i) {
      if (i > 0) text += ",\n";
      text += "  \"" + instructions[i].first + "\": " + format;
    }
    text += "\n}";
  }
  text += "\n\n## Instructions:\n";
  for (const auto& [name, instruction] : instructions) {
    text += "- " + name + ": " + instruction + "\n";
  }
  text += "\n\n## Sample:\n";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text += "\n";
    text += fields[i].first + ": " + fields[i].second;
  }
  return text + "\n\n## Response:\n";
}

inline llm::ChatRequest UserRequest(std::string prompt, double temperature = 0.0) {
  llm::ChatRequest r;
  r.messages.push_back({"user", std::move(prompt)});
  r.temperature = temperature;
  return r;
}

/// A dataset named "summeval" (so the shipped concept lists apply) with the four SummEval
/// criteria, inputs "Summary" and "Source Text" (multi-line), and `n` examples whose gold
/// scores are independent multiples of 1/3 in [1, 5], drawn from a fixed hash.
inline std::shared_ptr<data::Dataset> SyntheticSummEval(int n) {
  auto ds = std::make_shared<data::Dataset>();
  ds->name = "summeval";
  ds->preamble = "## Task\nYou rate machine-written news summaries.";
  ds->inputs = {{"summary", "Summary"}, {"source", "Source Text"}};
  for (const char* c : {"fluency", "relevance", "coherence", "consistency"}) {
    data::Criterion crit;
    crit.name = c;
    crit.gold_field = c;
    crit.seed_instruction = "Rate from 1 to 5.";
    ds->criteria.push_back(crit);
  }
  for (int i = 0; i < n; ++i) {
    data::Example ex;
    ex.id = "doc" + std::to_string(i / 4) + "/sys" + std::to_string(i % 4);
    ex.inputs = {"summary number " + std::to_string(i) + " says something short .",
                 "Article " + std::to_string(i) + " first paragraph.\n\nSecond paragraph of "
                 "article " + std::to_string(i) + ".\nThird line."};
    for (std::size_t c = 0; c < ds->criteria.size(); ++c) {
      double u = UniformAt(StableHash(7).Add(ex.id).Add(static_cast<uint64_t>(c)).Digest(), 0);
      ex.gold.push_back(1.0 + std::floor(u * 13) / 3.0);
    }
    ds->examples.push_back(ex);
  }
  return ds;
}

inline Pairs Fields(const data::Dataset& ds, const data::Example& ex) {
  Pairs out;
  for (std::size_t i = 0; i < ds.inputs.size(); ++i) {
    out.emplace_back(ds.inputs[i].label, ex.inputs[i]);
  }
  return out;
}

/// Average ranks (ties share the mean rank).
inline std::vector<double> Ranks(const std::vector<double>& x) {
  std::vector<std::size_t> idx(x.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && x[idx[j + 1]] == x[idx[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[idx[k]] = (i + j) / 2.0;
    i = j + 1;
  }
  return r;
}

inline double Pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = std::accumulate(a.begin(), a.end(), 0.0) / a.size();
  double mb = std::accumulate(b.begin(), b.end(), 0.0) / b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa == 0 || sbb == 0 ? 0.0 : sab / std::sqrt(saa * sbb);
}

inline double Spearman(const std::vector<double>& a, const std::vector<double>& b) {
  return Pearson(Ranks(a), Ranks(b));
}

inline double Mae(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += std::fabs(a[i] - b[i]);
  return s / a.size();
}

}  // namespace judgeopt::sim::testing
