// The seed judge prompt under each protocol (issue 20), line by line: the lines that differ
// between `default` and `paper` are named here, and every other line is identical. The rendered
// instructions part is what the judge, gradient and optimizer prompts all embed.

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cpp/skip_policy.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/judge/render.h"

namespace judgeopt::judge {
namespace {

std::string DataDir() { return std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data"; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The seed prompt's instructions part of `dataset` under `protocol`, as lines.
std::vector<std::string> SeedLines(const std::string& dataset, const std::string& protocol) {
  data::LoadOptions options;
  options.protocol = protocol;
  auto ds = data::LoadDataset(dataset, data::DataLocator(DataDir(), "", {}), options);
  EXPECT_TRUE(ds.ok()) << ds.error().ToString();
  if (!ds.ok()) return {};
  auto text = RenderInstructions(JudgePrompt::FromDataset(*ds), *ds);
  EXPECT_TRUE(text.ok());
  return text.ok() ? Lines(*text) : std::vector<std::string>{};
}

using Diff = std::vector<std::pair<std::string, std::string>>;

// (default line, paper line) for every line that differs; both renderings have equal length.
Diff DifferingLines(const std::string& dataset) {
  const auto own = SeedLines(dataset, "default");
  const auto paper = SeedLines(dataset, "paper");
  EXPECT_EQ(own.size(), paper.size());
  Diff out;
  for (std::size_t i = 0; i < own.size() && i < paper.size(); ++i) {
    if (own[i] != paper[i]) out.emplace_back(own[i], paper[i]);
  }
  return out;
}

TEST(ProtocolPromptTest, SummEvalDiffersInTheGuidanceLinesAndTheSeeds) {
  if (!std::filesystem::exists(DataDir() + "/summeval/study-split/train.jsonl")) {
    JO_SKIP_OR_FAIL() << "../shared/data is absent";
  }
  const Diff expected = {
      {"1. Score each criterion separately: a flaw that belongs to one criterion must not pull "
       "down another.",
       "1. Look for what the summary does well and for what it gets wrong."},
      {"2. Use the whole scale, keeping the lowest and highest scores for clear-cut cases.",
       "2. Let each score reflect how many strengths and flaws you found and how serious each "
       "one is."},
      {"- fluency: Give a score from 1 (poor) to 5 (excellent).", "- fluency: Rate from 1 to 5."},
      {"- relevance: Give a score from 1 (poor) to 5 (excellent).",
       "- relevance: Rate from 1 to 5."},
      {"- coherence: Give a score from 1 (poor) to 5 (excellent).",
       "- coherence: Rate from 1 to 5."},
      {"- consistency: Give a score from 1 (poor) to 5 (excellent).",
       "- consistency: Rate from 1 to 5."},
  };
  EXPECT_EQ(DifferingLines("summeval"), expected);
}

TEST(ProtocolPromptTest, BrighterDiffersInTheSeedsOnly) {
  if (!std::filesystem::exists(DataDir() + "/brighter-eng-track-b")) {
    JO_SKIP_OR_FAIL() << "../shared/data is absent";
  }
  Diff expected;
  for (const char* e : {"anger", "fear", "joy", "sadness", "surprise"}) {
    const std::string name(e);
    expected.emplace_back(
        "- " + name + ": Score the intensity of " + name + " from 0 (absent) to 3 (very strong).",
        "- " + name + ": Rate " + name + " intensity from 0 (none) to 3 (most intense).");
  }
  EXPECT_EQ(DifferingLines("brighter"), expected);
}

}  // namespace
}  // namespace judgeopt::judge
