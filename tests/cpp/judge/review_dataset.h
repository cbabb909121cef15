#pragma once
// A small hand-made dataset for judge tests: 4 criteria (three 1-5 scales and one 0-3 scale),
// two input fields, a multi-line preamble with its own header, and three examples.

#include <string>

#include "judgeopt/data/dataset.h"

namespace judgeopt::judge::testdata {

inline data::Criterion MakeCriterion(std::string name, double min, double max, std::string seed) {
  data::Criterion c;
  c.name = std::move(name);
  c.gold_field = c.name + "_gold";
  c.scale = {min, max, true};
  c.seed_instruction = std::move(seed);
  return c;
}

inline data::Dataset MakeReviewDataset() {
  data::Dataset d;
  d.name = "reviews";
  d.preamble =
      "\n## Task\nYou grade short product reviews written by customers.\n"
      "1. Read the review and the product name.\n2. Score each criterion on its own.\n\n";
  d.inputs = {{"review", "Review"}, {"product", "Product"}};
  d.criteria = {MakeCriterion("clarity", 1, 5, "Rate from 1 to 5."),
                MakeCriterion("tone", 1, 5, "Rate politeness from 1 to 5."),
                MakeCriterion("accuracy", 0, 3, "Rate factual accuracy from 0 to 3."),
                MakeCriterion("helpfulness", 1, 5, "Rate from 1 to 5.")};
  d.examples = {
      {"r1", {"Great blender.\nLoud though.", "Blender X"}, {4, 5, 3, 4}, "g1", 1},
      {"r2", {"Broke after a week.", "Kettle Y"}, {3, 2, 2, 3}, "g1", 2},
      {"r3", {"Does what it says.", "Toaster Z"}, {5, 4, 3, 2}, "g2", 3},
  };
  d.splits.test = {0, 1, 2};
  return d;
}

}  // namespace judgeopt::judge::testdata
