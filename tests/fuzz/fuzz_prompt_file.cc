// Fuzz target: prompt files (judge/prompt_file.h) in TOML and JSON for the invented "reviews"
// dataset, and the prompt written back out as a tree. The first byte picks the syntax (even: TOML,
// odd: JSON); the rest is the file.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_input.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/data/loader.h"
#include "judgeopt/judge/prompt_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const judgeopt::data::Dataset dataset = [] {
    auto loaded = judgeopt::data::LoadDatasetFromSpecFile(
        JUDGEOPT_SOURCE_DIR "/tests/data/datasets/reviews/reviews.toml", {});
    if (!loaded.ok()) std::abort();
    return std::move(loaded).value();
  }();
  if (size == 0) return 0;
  namespace config = judgeopt::config;
  const bool json = (data[0] & 1) != 0;
  const auto text = judgeopt::fuzz::AsText(data + 1, size - 1);
  const auto tree = json ? config::ParseJson(text, "p.json") : config::ParseToml(text, "p.toml");
  if (!tree.ok()) return 0;
  const auto prompt = judgeopt::judge::PromptFromTree(*tree, dataset, "p");
  if (!prompt.ok()) return 0;
  // A loaded prompt written out and read back is the same prompt.
  const auto again = judgeopt::judge::PromptFromTree(judgeopt::judge::PromptToTree(*prompt),
                                                     dataset, "again");
  if (!again.ok()) __builtin_trap();
  return 0;
}
