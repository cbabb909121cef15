// Golden test of the real SummEval judge prompt for one example: the layout, preamble, format block
// and instructions are spelled out literally; the summary and article are read from the shared data
// files here, independently of the loader (article = story text before the first @highlight line,
// trimmed, with non-breaking spaces turned into plain spaces).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cpp/skip_policy.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/judge/render.h"

namespace judgeopt::judge {
namespace {

const char kDocId[] = "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2";

std::string DataDir() { return std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data"; }

nlohmann::json FindRow(const std::string& path, const std::string& system_id) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto row = nlohmann::json::parse(line);
    if (row["doc_id"] == kDocId && (system_id.empty() || row["system_id"] == system_id)) {
      return row;
    }
  }
  return nullptr;
}

std::string ArticleAsPublished(std::string story) {
  const auto cut = story.find("\n@highlight");
  if (cut != std::string::npos) story.resize(cut);
  std::string out;
  for (std::size_t i = 0; i < story.size(); ++i) {
    if (story.compare(i, 2, "\xC2\xA0") == 0) {
      out += ' ';
      ++i;
    } else {
      out += story[i];
    }
  }
  const auto first = out.find_first_not_of(" \t\r\n");
  const auto last = out.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? "" : out.substr(first, last - first + 1);
}

TEST(SummevalGoldenTest, FullJudgePromptForOneExample) {
  if (!std::filesystem::exists(DataDir() + "/summeval/summeval.jsonl")) {
    JO_SKIP_OR_FAIL() << "../shared/data is absent";
  }
  data::DataLocator locator(DataDir(), "", {});
  auto ds = data::LoadDataset("summeval", locator, {});
  ASSERT_TRUE(ds.ok()) << ds.error().ToString();
  const data::Example* example = nullptr;
  for (const auto& ex : ds->examples) {
    if (ex.id == std::string(kDocId) + "/M11") example = &ex;
  }
  ASSERT_NE(example, nullptr);
  auto messages = RenderJudgeMessages(JudgePrompt::FromDataset(*ds), *ds, *example);
  ASSERT_TRUE(messages.ok()) << messages.error().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].role, "user");

  const auto row = FindRow(DataDir() + "/summeval/summeval.jsonl", "M11");
  const auto doc = FindRow(DataDir() + "/summeval/summeval_documents.jsonl", "");
  ASSERT_FALSE(row.is_null());
  ASSERT_FALSE(doc.is_null());
  const std::string expected =
      "You are reviewing automatic summaries of news articles. Each sample gives a summary "
      "together with the article it was written from, and you score the summary on several "
      "quality criteria.\n"
      "\n"
      "## Task\n"
      "Read the article first, then the summary, and score the summary on every criterion listed "
      "below.\n"
      "1. Score each criterion separately: a flaw that belongs to one criterion must not pull "
      "down another.\n"
      "2. Use the whole scale, keeping the lowest and highest scores for clear-cut cases.\n"
      "Follow the Instructions below to carry out this evaluation. Reply with a JSON object "
      "holding the requested scores, with no reasoning and no explanation.\n"
      "\n"
      "## Output format (follow this EXACTLY):\n"
      "{\n"
      "  \"fluency\": 1|2|3|4|5,\n"
      "  \"relevance\": 1|2|3|4|5,\n"
      "  \"coherence\": 1|2|3|4|5,\n"
      "  \"consistency\": 1|2|3|4|5\n"
      "}\n"
      "\n"
      "## Instructions:\n"
      "- fluency: Give a score from 1 (poor) to 5 (excellent).\n"
      "- relevance: Give a score from 1 (poor) to 5 (excellent).\n"
      "- coherence: Give a score from 1 (poor) to 5 (excellent).\n"
      "- consistency: Give a score from 1 (poor) to 5 (excellent).\n"
      "\n"
      "\n"
      "## Sample:\n"
      "Summary: " + row["system_output"].get<std::string>() + "\n" +
      "Source Text: " + ArticleAsPublished(doc["source_original_story"].get<std::string>()) +
      "\n"
      "\n"
      "## Response:\n";
  EXPECT_EQ((*messages)[0].content, expected);
}

}  // namespace
}  // namespace judgeopt::judge
