// OPRO (reference-protocol §5): Python-style score display, the bounded trajectory (eviction,
// ties, duplicates, order) and the meta-prompt layout.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/prompts/opro.h"

namespace judgeopt::prompts {
namespace {

OproEntry Entry(const std::string& tag, double key) {
  return OproEntry{{{"fluency", "F-" + tag, key}, {"coherence", "C-" + tag, key}}, key};
}

std::vector<std::string> Tags(const std::vector<OproEntry>& entries) {
  std::vector<std::string> out;
  for (const OproEntry& e : entries) out.push_back(e.items[0].instruction.substr(2));
  return out;
}

TEST(PromptsOpro, PythonRoundDisplay) {
  EXPECT_EQ(PythonRoundDisplay(0.7083333 * 100, 1), "70.8");
  EXPECT_EQ(PythonRoundDisplay(50, 1), "50.0");
  EXPECT_EQ(PythonRoundDisplay(100, 1), "100.0");
  EXPECT_EQ(PythonRoundDisplay(2.675, 2), "2.67");  // binary value lies below the tie
  EXPECT_EQ(PythonRoundDisplay(0.125, 2), "0.12");  // exact tie: half to even
  EXPECT_EQ(PythonRoundDisplay(0.5, 3), "0.5");     // shortest repr, not "0.500"
  EXPECT_EQ(PythonRoundDisplay(1.23456, 3), "1.235");
  EXPECT_EQ(PythonRoundDisplay(2.5, 0), "2");
  EXPECT_EQ(PythonRoundDisplay(3.5, 0), "4");
  EXPECT_EQ(PythonRoundDisplay(-0.04, 1), "-0.0");
}

TEST(PromptsOpro, TrajectoryEvictsLowestKeyOldestFirst) {
  OproTrajectory t(3);
  EXPECT_TRUE(t.Push(Entry("a", 0.5)));
  EXPECT_TRUE(t.Push(Entry("b", 0.2)));
  EXPECT_TRUE(t.Push(Entry("c", 0.8)));
  EXPECT_TRUE(t.Push(Entry("d", 0.2)));  // ties with b; b is older and goes
  EXPECT_EQ(Tags(t.Sorted()), (std::vector<std::string>{"d", "a", "c"}));
  EXPECT_FALSE(t.Push(Entry("e", 0.1)));  // the newcomer is the worst: evicted at once
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(Tags(t.Sorted()), (std::vector<std::string>{"d", "a", "c"}));
}

TEST(PromptsOpro, SortedOrdersByKeyThenAge) {
  OproTrajectory t(10);
  for (auto [tag, key] : std::vector<std::pair<std::string, double>>{
           {"a", 0.3}, {"b", 0.9}, {"c", 0.3}, {"d", 0.1}}) {
    ASSERT_TRUE(t.Push(Entry(tag, key)));
  }
  EXPECT_EQ(Tags(t.Sorted(TrajectoryOrder::kWorstToBest)),
            (std::vector<std::string>{"d", "a", "c", "b"}));
  EXPECT_EQ(Tags(t.Sorted(TrajectoryOrder::kBestToWorst)),
            (std::vector<std::string>{"b", "a", "c", "d"}));
}

TEST(PromptsOpro, DuplicatesRejectedByDefaultKeptForThePaper) {
  OproTrajectory ours(5);
  EXPECT_TRUE(ours.Push(Entry("a", 0.5)));
  EXPECT_FALSE(ours.Push(Entry("a", 0.7)));  // same instructions, fresh score
  EXPECT_EQ(ours.size(), 1u);
  OproTrajectory paper(5, /*reject_duplicates=*/false);
  EXPECT_TRUE(paper.Push(Entry("a", 0.5)));
  EXPECT_TRUE(paper.Push(Entry("a", 0.7)));
  EXPECT_EQ(paper.size(), 2u);
}

TEST(PromptsOpro, MetaPromptGolden) {
  OproPromptInput in;
  in.criteria = {"fluency", "coherence"};
  in.entries = {
      OproEntry{{{"fluency", "Rate from 1 to 5.", 0.5}, {"coherence", "Rate flow.", 0.3}}, 0.4},
      OproEntry{{{"fluency", "Rate grammar.", 0.7083333}, {"coherence", "Rate structure.", 0.5}},
                0.6}};
  in.prompt_head = "Judge the summary.\nMore lines.";
  in.exemplars = {OproExemplar{{{"Summary", "The cat sat."}},
                               {{"fluency", Score{4, ""}}, {"coherence", Score{3, ""}}}}};
  const std::string expected =
      "Write a new, better instruction for each criterion of an LLM judge. Earlier instruction "
      "sets are listed below with their scores, ordered from worst to best, so the strongest sets "
      "come last.\nScores range from 0 to 100; higher is better.\n\n"
      "fluency:\n- Instruction: Rate from 1 to 5.\n- Score: 50.0\n"
      "coherence:\n- Instruction: Rate flow.\n- Score: 30.0\n---\n"
      "fluency:\n- Instruction: Rate grammar.\n- Score: 70.8\n"
      "coherence:\n- Instruction: Rate structure.\n- Score: 50.0\n\n---\n\n"
      "The exemplars below show how the instructions are used: your instructions take the place "
      "of the placeholders <INS_fluency>, <INS_coherence> in the judge prompt, and the expected "
      "output is the correct answer for that input.\n\n"
      "Exemplar 1:\n  Input:\n    Summary: The cat sat.\n  Instructions: Judge the summary\n"
      "    fluency: <INS_fluency>\n    coherence: <INS_coherence>\n"
      "  Expected output: fluency: 4, coherence: 3\n\n"
      "Write one instruction per criterion that differs from every instruction set above and "
      "should score higher. Each should be short, effective and general enough to suit any "
      "input.\nReply with a JSON object in exactly this form:\n"
      "{\"fluency\": \"<instruction for fluency>\", \"coherence\": \"<instruction for "
      "coherence>\"}\nWrite nothing outside the JSON.";
  EXPECT_EQ(OproMetaPrompt(in), expected);
  const PromptLayout layout = ReadPromptLayout(expected);
  EXPECT_EQ(layout.kind, PromptKind::kOpro);
  EXPECT_EQ(layout.criteria, in.criteria);
}

TEST(PromptsOpro, UnboundedLowerIsBetterScaleAndNoExemplars) {
  OproPromptInput in;
  in.criteria = {"fluency"};
  in.order = TrajectoryOrder::kBestToWorst;
  in.scale = OproScoreScale{.min = 0,
                            .max = std::nullopt,
                            .higher_is_better = false,
                            .display_multiplier = 1,
                            .display_decimals = 2};
  in.entries = {OproEntry{{{"fluency", "Rate.", 0.8333}}, -0.8333}};
  const std::string p = OproMetaPrompt(in);
  EXPECT_NE(p.find("ordered from best to worst, so the strongest sets come first.\n"
                   "Scores start at 0 and have no upper bound; lower is better.\n\n"
                   "fluency:\n- Instruction: Rate.\n- Score: 0.83\n\nWrite one instruction"),
            std::string::npos);
  EXPECT_EQ(p.find("Exemplar"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::prompts
