// Fuzz target: the optimizer's replies (prompts/parse.h): the combined optimizer's JSON object of
// instructions (lenient and study parsing) and the separate optimizer's instruction text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "judgeopt/prompts/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  namespace p = judgeopt::prompts;
  static const std::vector<std::string> expected = {"coherence", "consistency", "Fluency",
                                                     "relevance"};
  const auto reply = judgeopt::fuzz::AsText(data, size);
  for (bool lenient : {true, false}) {
    const auto combined = p::ParseCombinedReply(reply, expected, {.lenient = lenient});
    if (combined.ok() && combined->found.size() + combined->missing.size() != expected.size()) {
      __builtin_trap();  // every expected criterion is either found or missing
    }
    const auto separate = p::ParseSeparateReply(reply, {.strip_preamble = lenient});
    if (separate.ok() && separate->empty()) __builtin_trap();  // empty is an error, not a value
  }
  return 0;
}
