// Fuzz target: finding JSON in free-form replies (prompts/lenient_json.h) and the parsers built on
// it: structured-gradient edit lists (edit_list.h) and the conflict classifier's verdicts
// (conflict_prompt.h); also the tag reader and the diagnostic score reader.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "judgeopt/prompts/conflict_prompt.h"
#include "judgeopt/prompts/diagnostics.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/lenient_json.h"
#include "judgeopt/prompts/tags.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  namespace p = judgeopt::prompts;
  const auto reply = judgeopt::fuzz::AsText(data, size);
  (void)p::RepairJson(reply);
  const auto any = p::FindJsonValue(reply, [](const nlohmann::ordered_json&) { return true; });
  if (any) (void)any->dump();
  const p::ParsedEdits edits = p::ParseEditList(reply, "fluency");
  if (edits.named_criteria.size() != edits.edits.size()) __builtin_trap();
  const int count_a = size > 0 ? data[0] % 4 : 1;
  const int count_b = size > 1 ? data[1] % 4 : 2;
  (void)p::ParseVerdicts(reply, count_a, count_b);
  (void)p::ExtractAllTags(reply, "instruction");
  (void)p::NextTagName(reply);
  (void)p::ParseDiagnosticScore(reply);
  return 0;
}
