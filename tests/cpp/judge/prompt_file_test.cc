#include "judgeopt/judge/prompt_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cpp/judge/review_dataset.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeReviewDataset;

class PromptFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("judge_prompt_file_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::filesystem::path dir_;
  data::Dataset dataset_ = MakeReviewDataset();
};

TEST_F(PromptFileTest, TomlFileOverridesGivenCriteriaAndKeepsSeedsForTheRest) {
  const auto path = Write("p.toml",
                          "preamble = \"Judge reviews.\"\n"
                          "output_format = false\n"
                          "[instructions]\n"
                          "tone = \"Penalise rudeness.\"\n"
                          "clarity = \"Reward short sentences.\"\n");
  auto p = LoadPromptFile(path, dataset_);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->preamble(), "Judge reviews.");
  EXPECT_FALSE(p->output_format());
  ASSERT_EQ(p->instructions().size(), 4u);  // dataset order, whatever the file's order
  EXPECT_EQ(p->instructions()[0], (CriterionInstruction{"clarity", "Reward short sentences."}));
  EXPECT_EQ(p->instructions()[1], (CriterionInstruction{"tone", "Penalise rudeness."}));
  EXPECT_EQ(*p->Instruction("accuracy"), "Rate factual accuracy from 0 to 3.");
  EXPECT_EQ(*p->Instruction("helpfulness"), "Rate from 1 to 5.");
}

TEST_F(PromptFileTest, EmptyJsonObjectIsTheSeedPrompt) {
  auto p = LoadPromptFile(Write("p.json", "{}"), dataset_);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(*p, JudgePrompt::FromDataset(dataset_));
}

TEST_F(PromptFileTest, UnknownCriterionIsNamed) {
  auto p = LoadPromptFile(Write("p.json", R"({"instructions": {"humour": "x"}})"), dataset_);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("p.json"), std::string::npos);
  EXPECT_NE(p.error().message.find("instructions.humour"), std::string::npos);
  EXPECT_NE(p.error().message.find("unknown criterion"), std::string::npos);
}

TEST_F(PromptFileTest, UnknownKeyIsNamed) {
  auto p = LoadPromptFile(Write("p.json", R"({"preambel": "x"})"), dataset_);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("'preambel'"), std::string::npos);
}

TEST_F(PromptFileTest, WrongTypesAreNamed) {
  auto a = LoadPromptFile(Write("a.json", R"({"instructions": {"tone": 3}})"), dataset_);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("instructions.tone"), std::string::npos);
  auto b = LoadPromptFile(Write("b.json", R"({"output_format": "yes"})"), dataset_);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("output_format"), std::string::npos);
  auto c = LoadPromptFile(Write("c.json", R"({"instructions": ["x"]})"), dataset_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("instructions"), std::string::npos);
}

TEST_F(PromptFileTest, MissingFileAndSyntaxErrors) {
  EXPECT_EQ(LoadPromptFile((dir_ / "none.json").string(), dataset_).error().code,
            ErrorCode::kNotFound);
  auto bad = LoadPromptFile(Write("bad.toml", "preamble = \n"), dataset_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("bad.toml"), std::string::npos);
}

TEST_F(PromptFileTest, SaveWritesStableKeyOrderAndRoundTrips) {
  auto prompt = JudgePrompt::FromDataset(dataset_)
                    .WithPreamble("Line one.\nLine \"two\".")
                    .WithOutputFormat(false)
                    .WithInstruction("accuracy", "Check every claim; caf\u00e9 counts.");
  ASSERT_TRUE(prompt.ok());
  const std::string path = (dir_ / "saved.json").string();
  ASSERT_TRUE(SavePromptFile(path, *prompt).ok());
  EXPECT_EQ(Read(path),
            "{\n"
            "  \"preamble\": \"Line one.\\nLine \\\"two\\\".\",\n"
            "  \"output_format\": false,\n"
            "  \"instructions\": {\n"
            "    \"clarity\": \"Rate from 1 to 5.\",\n"
            "    \"tone\": \"Rate politeness from 1 to 5.\",\n"
            "    \"accuracy\": \"Check every claim; caf\u00e9 counts.\",\n"
            "    \"helpfulness\": \"Rate from 1 to 5.\"\n"
            "  }\n"
            "}\n");
  auto loaded = LoadPromptFile(path, dataset_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(*loaded, *prompt);
  EXPECT_EQ(loaded->Fingerprint(), prompt->Fingerprint());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(PromptFileTest, SaveToMissingDirectoryFails) {
  auto st = SavePromptFile((dir_ / "no" / "such" / "p.json").string(),
                           JudgePrompt::FromDataset(dataset_));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace judgeopt::judge
