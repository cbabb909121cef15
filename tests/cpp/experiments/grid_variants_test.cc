// [[grid.variants]]: every cell once per variant, each variant's tables merged over the base,
// labels and run ids that tell variants apart, and errors for variants that would fight the
// grid's own lists.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "judgeopt/experiments/grid_config.h"
#include "judgeopt/experiments/grid_plan.h"

namespace judgeopt::experiments {
namespace {

Result<GridConfig> Parse(const std::string& toml) {
  JO_ASSIGN_OR_RETURN(config::Json tree, config::ParseToml(toml, "v.toml"));
  return ParseGridConfig(tree, "v.toml",
                         [](const std::string&) { return std::optional<std::string>(); });
}

constexpr const char* kGrid = R"(
[grid]
name = "v"
modes = ["SSS", "MGDA"]
gates = ["mae"]
seeds = [1]

[[grid.variants]]
name = "joint"

[[grid.variants]]
name = "sectioned"
method = { judge_mode = "sectioned", owned_blocks = true }

[method]
max_length_ratio = 2.0
)";

TEST(GridVariantsTest, EveryCellRunsOncePerVariantWithTheVariantMergedOverTheBase) {
  auto grid = Parse(kGrid);
  ASSERT_TRUE(grid.ok()) << grid.error().ToString();
  auto cells = ExpandGrid(*grid, [](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(cells.ok()) << cells.error().ToString();
  ASSERT_EQ(cells->size(), 4u);
  EXPECT_EQ((*cells)[0].label, "summeval/textgrad/SSS/gate=mae/seed=1/joint");
  EXPECT_EQ((*cells)[1].label, "summeval/textgrad/SSS/gate=mae/seed=1/sectioned");
  EXPECT_EQ((*cells)[3].label, "summeval/textgrad/MGDA/gate=mae/seed=1/sectioned");
  EXPECT_EQ((*cells)[0].config.method.judge_mode, judge::JudgeMode::kJoint);
  EXPECT_EQ((*cells)[1].config.method.judge_mode, judge::JudgeMode::kSectioned);
  EXPECT_TRUE((*cells)[1].config.method.owned_blocks);
  EXPECT_EQ((*cells)[1].config.method.max_length_ratio, 2.0);  // the base's key is kept
  EXPECT_EQ((*cells)[3].config.method.name, optim::Method::kMgda);
  EXPECT_EQ(optim::RunLabel((*cells)[3].config), "MGDA+owned+cap+sectioned");
  std::set<std::string> keys;
  for (const auto& c : *cells) keys.insert(optim::ResultKeyText(c.config));
  EXPECT_EQ(keys.size(), 4u);
}

TEST(GridVariantsTest, WithoutVariantsLabelsAreAsBefore) {
  auto grid = Parse("[grid]\nname = \"p\"\nmodes = [\"SSS\"]\n");
  ASSERT_TRUE(grid.ok()) << grid.error().ToString();
  auto cells = ExpandGrid(*grid, [](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(cells.ok());
  ASSERT_EQ(cells->size(), 1u);
  EXPECT_EQ((*cells)[0].label, "summeval/textgrad/SSS/gate=none/seed=0");
  EXPECT_EQ((*cells)[0].variant, "");
}

std::string ErrorOf(const std::string& toml) {
  auto g = Parse(toml);
  if (!g.ok()) return g.error().message;
  auto cells = ExpandGrid(*g, [](const std::string&) { return std::optional<std::string>(); });
  return cells.ok() ? std::string("(parsed)") : cells.error().message;
}

TEST(GridVariantsTest, BadVariantsFailNamingTheEntry) {
  const std::string head = "[grid]\nname = \"b\"\n";
  EXPECT_NE(ErrorOf(head + "[[grid.variants]]\nmethod = { owned_blocks = true }\n")
                .find("grid.variants[0].name"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "[[grid.variants]]\nname = \"a\"\n[[grid.variants]]\nname = \"a\"\n")
                .find("twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "[[grid.variants]]\nname = \"m\"\noptimize = { mode = \"CCC\" }\n")
                .find("grid's lists"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "[[grid.variants]]\nname = \"x\"\nmethod = 3\n").find("table"),
            std::string::npos);
  // A value the optimize config rejects fails the cell, naming the variant's cell.
  EXPECT_NE(ErrorOf(head + "[[grid.variants]]\nname = \"j\"\nmethod = { judge_mode = \"odd\" }\n")
                .find("seed=0/j"),
            std::string::npos);
}

}  // namespace
}  // namespace judgeopt::experiments
