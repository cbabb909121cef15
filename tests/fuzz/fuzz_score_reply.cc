// Fuzz target: the judge's reply parsers (judge/score_parser.h), as a JSON object and as score
// lines, for criteria on an integer scale, a fractional scale and a negative one.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_input.h"
#include "judgeopt/judge/score_parser.h"

namespace {

std::vector<judgeopt::data::Criterion> MakeCriteria() {
  std::vector<judgeopt::data::Criterion> criteria(4);
  criteria[0].name = "coherence";
  criteria[1].name = "Fluency";
  criteria[1].scale = {1, 3, true};
  criteria[2].name = "relevance score";
  criteria[2].scale = {0, 1, false};
  criteria[3].name = "tone";
  criteria[3].scale = {-2, 2, true};
  return criteria;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const std::vector<judgeopt::data::Criterion> criteria = MakeCriteria();
  static const std::vector<const judgeopt::data::Criterion*> pointers = [] {
    std::vector<const judgeopt::data::Criterion*> p;
    for (const auto& c : criteria) p.push_back(&c);
    return p;
  }();
  const auto reply = judgeopt::fuzz::AsText(data, size);
  using judgeopt::judge::ReplyShape;
  for (ReplyShape shape : {ReplyShape::kJsonObject, ReplyShape::kScoreLines}) {
    const auto parsed = judgeopt::judge::ParseReply(reply, pointers, shape);
    if (parsed.values.size() != pointers.size() && parsed.error == judgeopt::judge::ReplyError::kNone) {
      __builtin_trap();  // a usable reply must give one entry per criterion
    }
    for (std::size_t i = 0; i < parsed.values.size(); ++i) {
      const auto& v = parsed.values[i];
      if (v.value && !criteria[i].scale.Contains(*v.value)) __builtin_trap();  // off-scale value
    }
  }
  return 0;
}
