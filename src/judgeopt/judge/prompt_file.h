#pragma once
// Judge prompt files (JSON or TOML), the format of `--prompt FILE` and of saved prompts:
//
//   preamble = "..."            # optional; default: the dataset's preamble
//   output_format = true        # optional; default: true
//   [instructions]              # optional; criterion name -> instruction text
//   fluency = "Rate from 1 to 5."
//
// A criterion absent from `instructions` keeps the dataset's seed instruction, so a loaded
// prompt always covers every criterion of the dataset, in the dataset's order.

#include <string>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/prompt.h"

namespace judgeopt::judge {

/// Builds a prompt for `dataset` from a parsed prompt tree. Unknown keys, unknown criteria and
/// values of the wrong type are errors naming `origin` and the key.
Result<JudgePrompt> PromptFromTree(const config::Json& tree, const data::Dataset& dataset,
                                   const std::string& origin);

/// Loads a .json or .toml prompt file (see above) for `dataset`.
Result<JudgePrompt> LoadPromptFile(const std::string& path, const data::Dataset& dataset);

/// The prompt as a tree with keys in a fixed order: preamble, output_format, instructions (in
/// the prompt's criteria order).
config::Json PromptToTree(const JudgePrompt& prompt);

/// PromptToTree as JSON text, 2-space indented, ending with a newline.
std::string PromptToJsonText(const JudgePrompt& prompt);

/// Writes PromptToJsonText to `path` (through a temporary file renamed into place).
Status SavePromptFile(const std::string& path, const JudgePrompt& prompt);

}  // namespace judgeopt::judge
