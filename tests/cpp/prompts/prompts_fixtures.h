#pragma once
// A small two-/three-criterion example shared by the prompt-builder tests.

#include <string>
#include <vector>

#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts::testing {

inline Score S(double v) { return Score{v, ""}; }

// The judge prompt as the caller would render it (full and filtered to fluency).
inline const std::string kFullSystemPrompt =
    "Judge the summary.\n\n## Instructions:\n- fluency: Rate from 1 to 5.\n"
    "- coherence: Rate from 1 to 5.\n";
inline const std::string kFluencySystemPrompt =
    "Judge the summary.\n\n## Instructions:\n- fluency: Rate from 1 to 5.\n";

inline JudgedSample SampleA() {
  return JudgedSample{{{"Summary", "The cat sat."}, {"Source Text", "A cat sat on a mat."}},
                      "```json\n{\"fluency\": 4, \"coherence\": 2}\n```",
                      {{"fluency", S(4)}, {"coherence", S(2)}}};
}

inline JudgedSample SampleB() {
  return JudgedSample{{{"Summary", "Dogs bark."}, {"Source Text", "The dog barked twice."}},
                      "{\"fluency\": 5}",
                      {{"fluency", S(5)}, {"coherence", std::nullopt}}};
}

inline std::vector<Instruction> TwoInstructions() {
  return {{"fluency", "Rate from 1 to 5."}, {"coherence", "Rate \"flow\" from 1 to 5."}};
}

}  // namespace judgeopt::prompts::testing
