// Parity of the HTTP path with the in-process simulator (issue 15): with the same seed,
// `--backend openai` against a loopback sim-server gives byte-identical eval outputs and equal
// comparable run exports to `--backend sim` for the SummEval and BRIGHTER test evals, the main
// job (12 steps), a 2-step run of every mode and of OPRO, and diagnose and cherrypick on those
// runs. Each case runs against a clean server and against one that answers 10% of requests with
// a fault (429, 5xx, stall, drop) and 5% of the rest with a truncated body. All numbers SIMULATED.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"
#include "cpp/skip_policy.h"

namespace judgeopt::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Tolerates the faulty server: short timeouts (a stall is cut after 0.25 s) and enough quick
// retries that a call fails six times in a row with probability ~1e-10.
constexpr const char* kFaultTolerantLlm =
    "\n[llm.defaults]\ntimeout_s = 0.25\n"
    "retry = { max_attempts = 12, base_delay_s = 0.01, max_delay_s = 0.1 }\n";

io::SimServerOptions ServerOptions(bool faults) {
  io::SimServerOptions o;
  if (!faults) return o;
  o.fail_rate = 0.10;
  o.malformed_rate = 0.05;
  o.retry_after_s = 0.05;
  o.stall_ms = 3000;  // past the 0.25 s timeout
  o.seed = 23;
  return o;
}

/// One workspace per backend, each with the same config file (the main job's plus the tolerant
/// [llm] settings), and the flags that pick the backend.
struct Side {
  Scratch dir;
  std::string backend_flags;

  std::string Run(const std::string& args) const {
    CliRun r = RunJudgeopt(args + " -q --data-dir " + kDataDir + " --workspace " + dir.str() +
                           backend_flags);
    EXPECT_EQ(r.code, 0) << args << backend_flags << "\n" << r.err;
    return r.out;
  }
  std::string config() const { return dir.str() + "/config.toml"; }
};

class HttpParityTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!HaveSharedData()) JO_SKIP_OR_FAIL() << "../shared/data is absent";
  }

  // Starts the server of `dataset` and prepares both sides.
  void Start(const std::string& dataset) {
    server_ = std::make_unique<LoopbackSim>(ServerOptions(GetParam()), dataset);
    http_.backend_flags = " --backend openai --base-url " + server_->base_url() +
                          " --model judgeopt-sim --concurrency 16";
    sim_.backend_flags = " --backend sim";
    const std::string config =
        ReadFile(fs::path(JUDGEOPT_SOURCE_DIR) / "configs" / "summeval-sim.toml") +
        kFaultTolerantLlm;
    for (const Side* side : {&sim_, &http_}) std::ofstream(side->config()) << config;
  }

  // Both sides run `args`; the command's outputs are compared by the caller.
  void Both(const std::string& args) {
    sim_.Run(args);
    http_.Run(args);
  }

  std::unique_ptr<LoopbackSim> server_;
  Side sim_, http_;
};

/// The run ids of a workspace in BeginRun order, with their mode ("SSS", "ST:fluency", ...).
std::vector<std::pair<std::string, std::string>> Runs(const Side& side) {
  CliRun r = RunJudgeopt("runs list --workspace " + side.dir.str());
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string id, dataset, mode;
    words >> id >> dataset >> mode;
    if (dataset == "summeval" || dataset == "brighter") out.emplace_back(id, mode);
  }
  return out;
}

/// Every run's comparable JSONL export, one string per run ("== <table>\n<rows>" per table).
std::vector<std::string> ComparableExports(const Side& side) {
  std::vector<std::string> out;
  int n = 0;
  for (const auto& [id, mode] : Runs(side)) {
    const fs::path dir = side.dir.path / "exports" / std::to_string(n++);
    CliRun r = RunJudgeopt("runs export " + id + " --format jsonl --comparable --workspace " +
                           side.dir.str() + " --out " + dir.string());
    EXPECT_EQ(r.code, 0) << r.err;
    std::string all = "run of mode " + mode + "\n";
    std::vector<fs::path> files(fs::directory_iterator(dir), {});
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) all += "== " + f.filename().string() + "\n" + ReadFile(f);
    out.push_back(std::move(all));
  }
  return out;
}

/// Equal exports, or a failure that shows the first line where they differ (not megabytes).
void ExpectSameExports(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (got[i] == want[i]) continue;
    std::istringstream a(got[i]), b(want[i]);
    std::string la, lb, table;
    for (int line = 1; std::getline(b, lb); ++line) {
      if (lb.rfind("== ", 0) == 0) table = lb;
      if (!std::getline(a, la) || la != lb) {
        ADD_FAILURE() << "run " << i << ", " << table << ", line " << line << ":\n  got  "
                      << la.substr(0, 400) << "\n  want " << lb.substr(0, 400);
        break;
      }
    }
    if (got[i].size() != want[i].size()) ADD_FAILURE() << "run " << i << ": sizes differ";
  }
}

/// The raw replies in the optimizer_calls table of one run's export (ComparableExports).
std::vector<std::string> OptimizerReplies(const std::string& exported) {
  std::vector<std::string> out;
  std::istringstream lines(exported);
  bool in_table = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("== ", 0) == 0) in_table = line == "== optimizer_calls.jsonl";
    if (!in_table || line.rfind("{", 0) != 0) continue;
    out.push_back(Json::parse(line)["raw_reply"].get<std::string>());
  }
  return out;
}

/// `text` (JSON) without the keys that name a run, the backend or the model, or hash them.
std::string WithoutIdentities(const std::string& text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << text.substr(0, 200);
  std::function<void(Json&)> strip = [&](Json& j) {
    if (j.is_object()) {
      for (const char* key : {"run_id", "run_ids", "source_run_id", "id", "cherrypick_id",
                              "group_id", "request_hash", "settings_key", "model", "backend",
                              "judge_model"}) {
        j.erase(key);
      }
    }
    if (j.is_structured()) {
      for (auto& child : j) strip(child);
    }
  };
  strip(doc);
  return doc.dump(1);
}

void ExpectSameEval(const std::string& dataset, const Side& sim, const Side& http) {
  for (const Side* side : {&sim, &http}) {
    side->Run("eval --dataset " + dataset + " --split test --config " + side->config() +
              " --out " + side->dir.str() + "/eval");
  }
  for (const char* file : {"predictions.csv", "predictions.jsonl"}) {
    const std::string want = ReadFile(sim.dir.path / "eval" / file);
    EXPECT_FALSE(want.empty()) << file;
    EXPECT_EQ(ReadFile(http.dir.path / "eval" / file), want) << dataset << " " << file;
  }
  // metrics.json also names the backend and model it was computed with.
  EXPECT_EQ(WithoutIdentities(ReadFile(http.dir.path / "eval" / "metrics.json")),
            WithoutIdentities(ReadFile(sim.dir.path / "eval" / "metrics.json")));
}

TEST_P(HttpParityTest, SummEvalTestEval) {
  Start("summeval");
  ExpectSameEval("summeval", sim_, http_);
}

TEST_P(HttpParityTest, BrighterTestEval) {
  Start("brighter");
  ExpectSameEval("brighter", sim_, http_);
}

// The README's main job, all 12 steps.
TEST_P(HttpParityTest, MainJob) {
  Start("summeval");
  for (const Side* side : {&sim_, &http_}) side->Run("optimize --config " + side->config());
  const std::vector<std::string> want = ComparableExports(sim_);
  ASSERT_EQ(want.size(), 1u);
  EXPECT_NE(want[0].find("\"step\":12"), std::string::npos) << "all 12 steps ran";
  ExpectSameExports(ComparableExports(http_), want);
}

// A 2-step run of every mode and of OPRO, then diagnose (both kinds) on all of them and
// cherrypick on the single-task runs.
TEST_P(HttpParityTest, EveryModeOproDiagnoseAndCherrypick) {
  Start("summeval");
  for (const Side* side : {&sim_, &http_}) {
    const std::string optimize = "optimize --steps 2 --config " + side->config();
    for (const char* mode : {"SSS", "SSC", "SCC", "CCC", "ST", "SPC", "MGDA", "ROUTER"}) {
      side->Run(optimize + " --mode " + mode);
    }
    side->Run(optimize + " --algorithm opro --mode CCC");
  }
  const std::vector<std::string> want = ComparableExports(sim_);
  ASSERT_EQ(want.size(), 12u) << "7 runs, 4 single-task runs, 1 OPRO run";
  ExpectSameExports(ComparableExports(http_), want);
  // OPRO's 8 proposals per step are 8 samples (each with its own seed), not one reply 8 times.
  const std::vector<std::string> replies = OptimizerReplies(want.back());
  ASSERT_EQ(replies.size(), 16u) << "8 proposals in each of 2 steps";
  EXPECT_EQ(std::set<std::string>(replies.begin(), replies.end()).size(), replies.size());

  for (const Side* side : {&sim_, &http_}) {
    std::string all, single;
    for (const auto& [id, mode] : Runs(*side)) {
      all += " " + id;
      if (mode.rfind("ST:", 0) == 0) single += " " + id;
    }
    for (const char* kind : {"specificity", "adherence"}) {
      side->Run(std::string("diagnose ") + kind + all + " --config " + side->config() +
                " --json " + side->dir.str() + "/" + kind + ".json");
    }
    side->Run("cherrypick" + single + " --config " + side->config() + " --json " +
              side->dir.str() + "/cherrypick.json");
  }
  for (const char* file : {"specificity.json", "adherence.json", "cherrypick.json"}) {
    const std::string want_json = ReadFile(sim_.dir.path / file);
    ASSERT_FALSE(want_json.empty()) << file;
    EXPECT_EQ(WithoutIdentities(ReadFile(http_.dir.path / file)), WithoutIdentities(want_json))
        << file;
  }
}

// An optimizer whose replies are cut off at max_tokens: the run goes on (the current instructions
// are kept), the terminal and the stored calls name the role, its max_tokens and the setting to
// raise, and the HTTP path decides exactly as the in-process simulator does.
TEST(CutOffRepliesTest, AreNamedAndHandledAlikeThroughEveryBackend) {
  REQUIRE_DATA();
  LoopbackSim server({});
  Side sim, http;
  // The same model name on both sides: the messages name the model that answered.
  sim.backend_flags = " --backend sim --model judgeopt-sim";
  http.backend_flags = " --backend openai --base-url " + server.base_url() + " --model judgeopt-sim";
  for (Side* side : {&sim, &http}) {
    std::ofstream(side->config())
        << ReadFile(fs::path(JUDGEOPT_SOURCE_DIR) / "configs" / "summeval-sim.toml")
        << "\n[llm.optimizer]\nmax_tokens = 8\n";
    CliRun r = RunJudgeopt("optimize --steps 1 -q --config " + side->config() + " --data-dir " +
                           kDataDir + " --workspace " + side->dir.str() + side->backend_flags);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("judgeopt: warning: step1/optimizer"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cut off at max_tokens = 8"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[llm.optimizer]"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("warning"), std::string::npos) << "warnings go to stderr";
  }
  const std::vector<std::string> want = ComparableExports(sim);
  ASSERT_EQ(want.size(), 1u);
  EXPECT_NE(want[0].find("\"finish_reason\":\"length\""), std::string::npos);
  EXPECT_NE(want[0].find("was cut off at max_tokens = 8"), std::string::npos);
  ExpectSameExports(ComparableExports(http), want);
}

INSTANTIATE_TEST_SUITE_P(Server, HttpParityTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("WithFaults") : std::string("Clean");
                         });

}  // namespace
}  // namespace judgeopt::testing
