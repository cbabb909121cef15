// Grid configs: the [grid] table's parsing (defaults from the base, conflicts, unknown keys, bad
// values), the cross product's size and order, ST expansion into per-criterion runs, what
// seed_scope does to batches, validation of every cell before anything runs, and run ids that
// are stable and equal to those `judgeopt optimize` gives the same config.

#include "judgeopt/experiments/grid_config.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/experiments/grid_plan.h"
#include "judgeopt/optim/engine/batch.h"

namespace judgeopt::experiments {
namespace {

const std::string kReviews = JUDGEOPT_SOURCE_DIR "/tests/data/datasets/reviews/reviews.toml";

llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

Result<GridConfig> Parse(const std::string& toml) {
  JO_ASSIGN_OR_RETURN(config::Json tree, config::ParseToml(toml, "g.toml"));
  return ParseGridConfig(tree, "g.toml", NoEnv());
}

Result<std::vector<GridCell>> Expand(const std::string& toml) {
  JO_ASSIGN_OR_RETURN(GridConfig g, Parse(toml));
  return ExpandGrid(g, NoEnv());
}

void ExpectError(const Result<GridConfig>& r, std::initializer_list<std::string> parts) {
  ASSERT_FALSE(r.ok());
  for (const auto& p : parts)
    EXPECT_NE(r.error().message.find(p), std::string::npos)
        << "missing '" << p << "' in: " << r.error().message;
}

const data::Dataset& Reviews() {
  static const data::Dataset ds = [] {
    auto loaded = data::LoadDataset(kReviews, data::DataLocator("", "", {}), {});
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    return *loaded;
  }();
  return ds;
}

Result<std::vector<GridRun>> Plan(const std::vector<GridCell>& cells) {
  return PlanGridRuns(cells, [](const std::string&) -> const data::Dataset& { return Reviews(); });
}

TEST(GridConfigTest, CrossProductSizeAndSeedMajorOrder) {
  auto cells = Expand(R"(
[grid]
name = "g"
datasets = ["summeval", "brighter"]
modes = ["SSS", "SSC", "SCC", "CCC", "ST"]
gates = ["none", "mae"]
seeds = [1, 2, 3]
)");
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  ASSERT_EQ(cells->size(), 2u * 5u * 2u * 3u);
  EXPECT_EQ((*cells)[0].label, "summeval/textgrad/SSS/gate=none/seed=1");
  EXPECT_EQ((*cells)[1].label, "summeval/textgrad/SSS/gate=mae/seed=1");
  EXPECT_EQ((*cells)[9].label, "summeval/textgrad/ST/gate=mae/seed=1");
  EXPECT_EQ((*cells)[10].label, "summeval/textgrad/SSS/gate=none/seed=2");
  EXPECT_EQ((*cells)[30].label, "brighter/textgrad/SSS/gate=none/seed=1");
  std::set<std::string> labels;
  for (const GridCell& c : *cells) {
    labels.insert(c.label);
    EXPECT_EQ(c.config.dataset, c.dataset);
    EXPECT_EQ(optim::ModeLabel(c.config), c.mode);
    EXPECT_EQ(EnumName(c.config.gate.metric), c.gate);
    EXPECT_EQ(c.config.seed, c.seed);
    EXPECT_NE(c.config.origin.find("g.toml [grid cell " + c.label + "]"), std::string::npos);
  }
  EXPECT_EQ(labels.size(), cells->size());
}

TEST(GridConfigTest, AbsentListsTakeTheBaseValues) {
  auto g = Parse(R"(
protocol = "paper"
dataset = "brighter"
[optimize]
mode = "CCC"
seed = 5
steps = 7
[gate]
metric = "mae"
samples = 20
[budget]
max_usd = 3.5
[grid]
name = "one"
)");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->grid.datasets, std::vector<std::string>{"brighter"});
  EXPECT_EQ(g->grid.modes, std::vector<std::string>{"CCC"});
  EXPECT_EQ(g->grid.gates, std::vector<std::string>{"mae"});
  EXPECT_EQ(g->grid.seeds, std::vector<int64_t>{5});
  EXPECT_EQ(g->grid.parallel_runs, 4);
  EXPECT_EQ(g->grid.seed_scope, SeedScope::kBatchAndSampling);
  EXPECT_EQ(g->base.budget.max_usd, 3.5);
  auto cells = ExpandGrid(*g, NoEnv());
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  ASSERT_EQ(cells->size(), 1u);
  const optim::OptimizeConfig& c = (*cells)[0].config;
  EXPECT_EQ(c.steps, 7);
  EXPECT_EQ(c.gate.samples, 20);
  EXPECT_EQ(c.protocol, optim::Protocol::kPaper);
  EXPECT_EQ(c.switches, optim::PaperSwitches());
  // The grid's budget caps the grid; the runs' configs carry none.
  EXPECT_FALSE(c.budget.max_usd.has_value());
}

TEST(GridConfigTest, SeedScopeDecidesWhetherSeedsMoveTheBatches) {
  const std::string body = R"(
[grid]
name = "g"
datasets = ["summeval"]
seeds = [1, 2]
)";
  auto seeded = Expand(body);
  auto sampling = Expand(body + "seed_scope = \"sampling\"\n");
  ASSERT_TRUE(seeded.ok() && sampling.ok());
  EXPECT_EQ((*seeded)[0].config.batch_order, optim::BatchOrder::kSeeded);
  EXPECT_EQ((*sampling)[0].config.batch_order, optim::BatchOrder::kStep);
  const data::Dataset& ds = Reviews();
  // "sampling": both seeds draw the same batch at every step; the sampling seed still differs.
  for (int step = 1; step <= 3; ++step) {
    EXPECT_EQ(optim::SampleBatch(ds, (*sampling)[0].config, step),
              optim::SampleBatch(ds, (*sampling)[1].config, step));
  }
  EXPECT_NE((*sampling)[0].config.seed, (*sampling)[1].config.seed);
  // "batch_and_sampling": the batches differ at some step.
  bool differs = false;
  for (int step = 1; step <= 3; ++step) {
    differs = differs || optim::SampleBatch(ds, (*seeded)[0].config, step) !=
                             optim::SampleBatch(ds, (*seeded)[1].config, step);
  }
  EXPECT_TRUE(differs);
}

TEST(GridConfigTest, PerAlgorithmListsReplaceTheGridLists) {
  auto cells = Expand(R"(
[grid]
name = "g"
datasets = ["summeval"]
modes = ["SSS", "CCC"]
gates = ["none", "mae"]
seeds = [1, 2, 3]
[grid.per_algorithm.textgrad]
modes = ["SSC"]
seeds = [9]
)");
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  ASSERT_EQ(cells->size(), 2u);
  EXPECT_EQ((*cells)[0].label, "summeval/textgrad/SSC/gate=none/seed=9");
  EXPECT_EQ((*cells)[1].label, "summeval/textgrad/SSC/gate=mae/seed=9");
}

TEST(GridConfigTest, AlgorithmsShareTheGridAndEachMayNarrowIt) {
  const std::string grid = R"(
[grid]
name = "g"
datasets = ["summeval"]
algorithms = ["textgrad", "opro"]
modes = ["SSS", "ST"]
gates = ["none", "mae"]
seeds = [1, 2]
)";
  // OPRO has one joint mode: the grid-wide SSS fails, naming the cell.
  auto wide = Expand(grid);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.error().message.find("summeval/opro/SSS/gate=none/seed=1"), std::string::npos)
      << wide.error().message;
  auto cells = Expand(grid + "[grid.per_algorithm.opro]\nmodes = [\"CCC\"]\ngates = [\"none\"]\n");
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  ASSERT_EQ(cells->size(), 2u * (2u * 2u + 1u));
  EXPECT_EQ((*cells)[4].label, "summeval/opro/CCC/gate=none/seed=1");
  EXPECT_EQ((*cells)[4].config.algorithm, optim::Algorithm::kOpro);
  EXPECT_EQ((*cells)[9].label, "summeval/opro/CCC/gate=none/seed=2");
}

TEST(GridConfigTest, BadKeysAndValuesNameTheFileAndKey) {
  ExpectError(Parse("[grid]\nname = \"g\"\nmodez = [\"SSS\"]\n"), {"g.toml", "modez"});
  ExpectError(Parse("[grid]\nname = \"g\"\n[optimize]\nstepz = 3\n"), {"g.toml", "stepz"});
  ExpectError(Parse("[optimize]\nsteps = 3\n"), {"g.toml", "[grid]"});
  ExpectError(Parse("[grid]\ndatasets = [\"summeval\"]\n"), {"g.toml", "name"});
  ExpectError(Parse("[grid]\nname = \"a b\"\n"), {"grid.name"});
  ExpectError(Parse("[grid]\nname = \"g\"\nseeds = []\n"), {"grid.seeds"});
  ExpectError(Parse("[grid]\nname = \"g\"\nseeds = [1, \"2\"]\n"), {"grid.seeds[1]"});
  ExpectError(Parse("[grid]\nname = \"g\"\ngates = [\"mae\", \"mae\"]\n"), {"grid.gates", "twice"});
  ExpectError(Parse("[grid]\nname = \"g\"\nseed_scope = \"batch\"\n"), {"grid.seed_scope"});
  ExpectError(Parse("[grid]\nname = \"g\"\nparallel_runs = 0\n"), {"grid.parallel_runs"});
  ExpectError(Parse("[grid]\nname = \"g\"\n[grid.per_algorithm.opro]\nmodes = [\"SSS\"]\n"),
              {"grid.per_algorithm.opro", "not among"});
}

TEST(GridConfigTest, AValueSetInBothPlacesIsAnError) {
  ExpectError(Parse("dataset = \"summeval\"\n[grid]\nname = \"g\"\ndatasets = [\"brighter\"]\n"),
              {"grid.datasets", "'dataset'"});
  ExpectError(Parse("[optimize]\nmode = \"SSS\"\n[grid]\nname = \"g\"\nmodes = [\"CCC\"]\n"),
              {"grid.modes", "optimize.mode"});
  ExpectError(Parse("[optimize]\nseed = 1\n[grid]\nname = \"g\"\nseeds = [2]\n"),
              {"grid.seeds", "optimize.seed"});
  ExpectError(Parse("[gate]\nmetric = \"mae\"\n[grid]\nname = \"g\"\ngates = [\"none\"]\n"),
              {"grid.gates", "gate.metric"});
  ExpectError(Parse("[optimize]\nbatch_order = \"seeded\"\n[grid]\nname = \"g\"\n"),
              {"optimize.batch_order", "seed_scope"});
}

TEST(GridConfigTest, ABadCellFailsTheWholeGridNamingIt) {
  auto mode = Expand(
      "[grid]\nname = \"g\"\ndatasets = [\"summeval\"]\nmodes = [\"SSS\", "
      "\"CSS\"]\n");
  ASSERT_FALSE(mode.ok());
  EXPECT_NE(mode.error().message.find("g.toml [grid cell summeval/textgrad/CSS/gate=none/seed=0]"),
            std::string::npos)
      << mode.error().message;
  auto gate = Expand("[grid]\nname = \"g\"\ngates = [\"mae\", \"rmse\"]\n");
  ASSERT_FALSE(gate.ok());
  EXPECT_NE(gate.error().message.find("gate=rmse"), std::string::npos) << gate.error().message;
  auto algorithm = Expand("[grid]\nname = \"g\"\nalgorithms = [\"textgrad\", \"gepa\"]\n");
  ASSERT_FALSE(algorithm.ok());
  EXPECT_NE(algorithm.error().message.find("summeval/gepa/"), std::string::npos)
      << algorithm.error().message;
}

TEST(GridPlanTest, StCellsExpandIntoOneRunPerCriterion) {
  auto cells = Expand(
      "[grid]\nname = \"g\"\ndatasets = [\"reviews\"]\nmodes = [\"CCC\", "
      "\"ST\"]\nseeds = [1, 2]\n");
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  auto runs = Plan(*cells);
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->size(), 2u * (1u + 2u));  // reviews has 2 criteria
  EXPECT_EQ((*runs)[0].label, "reviews/textgrad/CCC/gate=none/seed=1");
  EXPECT_EQ((*runs)[1].label, "reviews/textgrad/ST:helpfulness/gate=none/seed=1");
  EXPECT_EQ((*runs)[2].label, "reviews/textgrad/ST:politeness/gate=none/seed=1");
  EXPECT_EQ((*runs)[1].cell, 1u);
  EXPECT_EQ((*runs)[1].plan.criteria, std::vector<std::string>{"helpfulness"});
  EXPECT_EQ((*runs)[1].plan.group_id, (*runs)[2].plan.group_id);
  std::set<std::string> ids;
  for (const GridRun& r : *runs) ids.insert(r.plan.run_id);
  EXPECT_EQ(ids.size(), runs->size());
}

TEST(GridPlanTest, RunIdsAreStableAndMatchOptimize) {
  const std::string grid = R"(
[grid]
name = "g"
datasets = ["reviews"]
modes = ["SSC"]
gates = ["mae"]
seeds = [3]
seed_scope = "sampling"
[optimize]
steps = 2
)";
  auto first = Expand(grid);
  auto second = Expand(grid);
  ASSERT_TRUE(first.ok() && second.ok());
  auto a = Plan(*first);
  auto b = Plan(*second);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].plan.run_id, (*b)[0].plan.run_id);
  // The same settings written as a `judgeopt optimize` config give the same run.
  auto tree = config::ParseToml(R"(
dataset = "reviews"
[optimize]
mode = "SSC"
seed = 3
batch_order = "step"
steps = 2
[gate]
metric = "mae"
)",
                                "opt.toml");
  ASSERT_TRUE(tree.ok());
  auto opt = optim::ParseOptimizeConfig(*tree, "opt.toml", NoEnv());
  ASSERT_TRUE(opt.ok()) << opt.error().ToString();
  auto plans = optim::PlanRuns(*opt, Reviews());
  ASSERT_TRUE(plans.ok());
  EXPECT_EQ((*a)[0].plan.run_id, (*plans)[0].run_id);
  // A result-deciding change (the batch size) is another run.
  auto longer = Expand(grid + "batch_size = 5\n");  // the default is 3
  ASSERT_TRUE(longer.ok());
  EXPECT_NE((*Plan(*longer))[0].plan.run_id, (*a)[0].plan.run_id);
}

TEST(GridPlanTest, AnUnknownCriterionFailsNamingTheCell) {
  auto cells = Expand(R"(
[grid]
name = "g"
datasets = ["reviews"]
[optimize]
criteria = ["helpfulness", "wit"]
)");
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  auto runs = Plan(*cells);
  ASSERT_FALSE(runs.ok());
  EXPECT_NE(runs.error().message.find("grid cell reviews/textgrad/SSS/gate=none/seed=0"),
            std::string::npos)
      << runs.error().message;
  EXPECT_NE(runs.error().message.find("wit"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::experiments
