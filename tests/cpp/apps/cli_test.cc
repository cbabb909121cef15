// End-to-end tests of the judgeopt executable: exit codes, stdout and stderr of real commands.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"
#include "judgeopt/base/enum_names.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/data/records.h"
#include "judgeopt/experiments/cherrypick.h"
#include "judgeopt/experiments/diagnose.h"
#include "judgeopt/io/provider_profiles.h"
#include "judgeopt/judge/judge_mode.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/mode.h"
#include "judgeopt/optim/config/settings.h"
#include "judgeopt/optim/step_prompts.h"
#include "judgeopt/store/run_export.h"

namespace {

using judgeopt::testing::CliRun;

CliRun Judgeopt(const std::string& args) { return judgeopt::testing::RunJudgeopt(args); }

bool HaveSharedData() {
  return std::filesystem::exists(std::string(JUDGEOPT_SOURCE_DIR) +
                                 "/../shared/data/summeval/summeval.jsonl");
}

#define REQUIRE_DATA() \
  if (!HaveSharedData()) JO_SKIP_OR_FAIL() << "../shared/data is absent"

TEST(CliTest, EveryCommandHasHelp) {
  for (const char* cmd : {"eval", "prompt", "score", "datasets"}) {
    CliRun r = Judgeopt(std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("--"), std::string::npos) << cmd;
  }
  EXPECT_NE(Judgeopt("").code, 0);
}

// Whether `word` occurs in `text` as a whole value name (not inside a longer name).
bool HasWord(const std::string& text, const std::string& word) {
  auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !is_name_char(text[at - 1])) &&
        (end == text.size() || !is_name_char(text[end]))) {
      return true;
    }
  }
  return false;
}

// The description `--help` gives the option `name` ("--split", or a positional's "kind"): its
// line and the continuation lines under it, less CLI11's own list of the check's values
// ("TEXT:{a,b}"), so that only the help text written for the option is left.
std::string OptionHelp(const std::string& help, const std::string& name) {
  std::size_t at = help.find("\n  " + name + " ");
  if (at == std::string::npos) return "";
  std::string text;
  for (std::size_t line = at + 1; line < help.size();) {
    std::size_t end = help.find('\n', line);
    if (end == std::string::npos) end = help.size();
    text += help.substr(line, end - line) + "\n";
    line = end + 1;
    if (help.compare(line, 3, "   ") != 0) break;  // the next line is not a continuation
  }
  const std::size_t open = text.find(":{");
  if (open != std::string::npos) text.erase(open, text.find('}', open) + 1 - open);
  return text;
}

// An option whose value is one of a fixed set, the table the parser reads, and a command line
// that gives it the bad value XYZ (with whatever else the command requires).
struct EnumFlag {
  std::string command;  // "runs export"
  std::string option;   // "--format", or a positional's name
  std::vector<std::string> names;
  std::string bad;
};

std::vector<EnumFlag> EnumFlags() {
  using judgeopt::EnumChoices;
  namespace optim = judgeopt::optim;
  const std::vector<std::string> modes = optim::ModeNames();
  return {
      {"optimize", "--mode", modes, "optimize --mode XYZ"},
      {"estimate", "--mode", modes, "estimate --mode XYZ"},
      {"optimize", "--algorithm", EnumChoices<optim::Algorithm>(), "optimize --algorithm XYZ"},
      {"optimize", "--gate", EnumChoices<optim::GateMetric>(), "optimize --gate XYZ"},
      {"optimize", "--judge-mode", EnumChoices<judgeopt::judge::JudgeMode>(),
       "optimize --judge-mode XYZ"},
      {"optimize", "--backend", EnumChoices<judgeopt::llm::Backend>(), "optimize --backend XYZ"},
      {"eval", "--backend", EnumChoices<judgeopt::llm::Backend>(), "eval --backend XYZ"},
      {"eval", "--token-param", EnumChoices<judgeopt::llm::TokenParam>(),
       "eval --token-param XYZ"},
      {"eval", "--auth", EnumChoices<judgeopt::llm::AuthScheme>(), "eval --auth XYZ"},
      {"optimize", "--auth", EnumChoices<judgeopt::llm::AuthScheme>(), "optimize --auth XYZ"},
      {"eval", "--protocol", EnumChoices<optim::Protocol>(), "eval --protocol XYZ"},
      {"eval", "--split", EnumChoices<judgeopt::data::SplitId>(), "eval --split XYZ"},
      {"datasets", "--protocol", EnumChoices<optim::Protocol>(), "datasets --protocol XYZ"},
      {"cherrypick", "--metric", EnumChoices<judgeopt::experiments::PickMetric>(),
       "cherrypick r1 --metric XYZ"},
      {"diagnose", "kind", judgeopt::experiments::DiagnosticKinds(), "diagnose XYZ r1"},
      {"prompt", "--stage", EnumChoices<optim::StepStage>(), "prompt --run r1 --stage XYZ"},
      {"runs export", "--format", EnumChoices<judgeopt::store::ExportFormat>(),
       "runs export r1 --format XYZ"},
      {"score", "--format", EnumChoices<judgeopt::data::FileFormat>(),
       "score p.csv --gold a --pred b --format XYZ"},
      {"sim-server", "--profile", EnumChoices<judgeopt::io::Profile>(),
       "sim-server --dataset summeval --profile XYZ"},
  };
}

// Every enum-like option's help and its error for a bad value name every value of the table its
// parser reads (the tables, not a list here, so help and parser cannot drift apart unnoticed).
TEST(CliTest, EnumHelpAndErrorListEveryAcceptedValue) {
  for (const EnumFlag& flag : EnumFlags()) {
    const std::string what = flag.command + " " + flag.option;
    CliRun help = Judgeopt(flag.command + " --help");
    ASSERT_EQ(help.code, 0) << what;
    const std::string text = OptionHelp(help.out, flag.option);
    ASSERT_FALSE(text.empty()) << what << ": not in\n" << help.out;
    CliRun bad = Judgeopt(flag.bad);
    EXPECT_NE(bad.code, 0) << flag.bad;
    ASSERT_FALSE(flag.names.empty()) << what;
    for (const std::string& name : flag.names) {
      EXPECT_TRUE(HasWord(text, name)) << what << " --help lacks " << name << ": " << text;
      EXPECT_TRUE(HasWord(bad.err, name)) << flag.bad << " lacks " << name << ": " << bad.err;
    }
  }
}

// `judgeopt --help` describes optimize with every mode its --mode accepts.
TEST(CliTest, OptimizeDescriptionListsEveryMode) {
  CliRun help = Judgeopt("--help");
  const std::string line = OptionHelp(help.out, "optimize");
  ASSERT_FALSE(line.empty()) << help.out;
  for (const std::string& mode : judgeopt::optim::ModeNames()) {
    EXPECT_TRUE(HasWord(line, mode)) << mode << ": " << line;
  }
}

TEST(CliTest, EvalSummevalPrintsSimulatedTable) {
  REQUIRE_DATA();
  CliRun r = Judgeopt("eval --dataset summeval --split test --limit 40 -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("summeval / test: 40 examples [SIMULATED]"), std::string::npos) << r.out;
  for (const char* c : {"fluency", "relevance", "coherence", "consistency", "average"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
  EXPECT_NE(r.out.find("not findings about LLMs"), std::string::npos);
}

TEST(CliTest, EvalIsReproducibleAndWritesFiles) {
  REQUIRE_DATA();
  const auto dir = std::filesystem::temp_directory_path() / ("jo_cli_" + std::to_string(getpid()));
  CliRun a =
      Judgeopt("eval --dataset brighter --limit 30 -q --seed 5 --out " + (dir / "a").string());
  CliRun b =
      Judgeopt("eval --dataset brighter --limit 30 -q --seed 5 --out " + (dir / "b").string());
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  for (const char* f : {"predictions.csv", "predictions.jsonl", "metrics.json"}) {
    std::ifstream fa(dir / "a" / f), fb(dir / "b" / f);
    std::string sa(std::istreambuf_iterator<char>(fa), {}),
        sb(std::istreambuf_iterator<char>(fb), {});
    EXPECT_FALSE(sa.empty()) << f;
    EXPECT_EQ(sa, sb) << f;
  }
  EXPECT_NE(a.out.find("anger"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CliTest, EvalOnGenericSpecDataset) {
  const std::string spec =
      std::string(JUDGEOPT_SOURCE_DIR) + "/tests/data/datasets/reviews/reviews.toml";
  CliRun r = Judgeopt("eval --dataset " + spec + " --split test -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("helpfulness"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("politeness"), std::string::npos);
}

TEST(CliTest, BadInputFailsWithMessageOnStderr) {
  CliRun r = Judgeopt("eval --dataset no-such-dataset -q");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("judgeopt eval: error:"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  CliRun s = Judgeopt("score /nonexistent.csv --gold a --pred b");
  EXPECT_NE(s.code, 0);
  EXPECT_NE(s.err.find("/nonexistent.csv"), std::string::npos) << s.err;
}

TEST(CliTest, PromptPrintsTheJudgeMessage) {
  REQUIRE_DATA();
  CliRun list = Judgeopt("eval --dataset summeval --split test --limit 1 -q --out /dev/null/x");
  EXPECT_NE(list.code, 0);  // an unwritable --out is an error, after the table
  CliRun r = Judgeopt(
      "prompt --dataset summeval --example "
      "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2/M11 --criterion fluency");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("## Instructions:\n- fluency:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("- relevance:"), std::string::npos);
  EXPECT_NE(r.out.find("## Sample:\nSummary: paul merson"), std::string::npos);
  EXPECT_EQ(r.out.substr(r.out.size() - 13), "## Response:\n");
  CliRun bad = Judgeopt("prompt --dataset summeval --example nope");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("nope"), std::string::npos);
}

TEST(CliTest, DatasetsListsBuiltins) {
  REQUIRE_DATA();
  CliRun r = Judgeopt("datasets");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("summeval"), std::string::npos);
  EXPECT_NE(r.out.find("480"), std::string::npos);
  EXPECT_NE(r.out.find("brighter"), std::string::npos);
}

}  // namespace
