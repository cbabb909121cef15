#include "judgeopt/prompts/edit_list.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/lenient_json.h"

namespace judgeopt::prompts {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kRequestBody =
    ", inside a ```json fence after the paragraphs. Each edit is one object:\n"
    "{{\"criterion\": \"{0}\", \"action\": \"add\", \"text\": \"...\", \"rationale\": \"...\"}}\n"
    "- \"action\" is \"add\" (words the instruction should gain), \"remove\" (words it should "
    "lose) or \"rephrase\" (a better wording of something it already says);\n"
    "- \"text\" holds the words to add, the words to remove, or the new wording;\n"
    "- \"rationale\" says in one sentence why the change helps.\n"
    "Every edit is for \"{0}\": propose changes to this instruction only. Write [] when the "
    "instruction should stay as it is.";

std::optional<EditAction> ActionFromWord(std::string_view word) {
  static const std::map<std::string, EditAction, std::less<>> kWords = {
      {"add", EditAction::kAdd},           {"insert", EditAction::kAdd},
      {"append", EditAction::kAdd},        {"include", EditAction::kAdd},
      {"remove", EditAction::kRemove},     {"delete", EditAction::kRemove},
      {"drop", EditAction::kRemove},       {"omit", EditAction::kRemove},
      {"rephrase", EditAction::kRephrase}, {"reword", EditAction::kRephrase},
      {"rewrite", EditAction::kRephrase},  {"replace", EditAction::kRephrase},
      {"modify", EditAction::kRephrase},   {"change", EditAction::kRephrase},
      {"clarify", EditAction::kRephrase}};
  auto it = kWords.find(word);
  if (it == kWords.end()) return std::nullopt;
  return it->second;
}

bool IsEditObject(const Json& j) { return j.contains("action") || j.contains("text"); }

constexpr std::initializer_list<const char*> kWrappers = {"edits", "changes"};

bool IsEditList(const Json& j) { return IsEntryList(j, kWrappers, IsEditObject); }

}  // namespace

std::string OneLine(std::string_view text) {
  std::string out(Trim(text));
  for (char& ch : out) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return out;
}

std::string_view EditActionName(EditAction action) {
  switch (action) {
    case EditAction::kAdd:
      return "add";
    case EditAction::kRemove:
      return "remove";
    case EditAction::kRephrase:
      return "rephrase";
  }
  return "add";
}

std::string EditListRequest(std::string_view criterion) {
  return std::string(kEditListAsk) + fmt::format(kRequestBody, criterion);
}

bool AsksForEditList(std::string_view prompt) {
  return prompt.find(kEditListAsk) != std::string_view::npos;
}

ParsedEdits ParseEditList(std::string_view reply, const std::string& criterion) {
  ParsedEdits out;
  const std::optional<Json> found = FindJsonValue(reply, IsEditList);
  if (!found) return out;
  out.list_found = true;
  const Json entries = EntriesOf(*found, kWrappers);
  const std::string own = LowerTrimmed(criterion);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Json& e = entries[i];
    const int index = static_cast<int>(i);
    if (!e.is_object()) {
      out.rejected.push_back({index, "not an object"});
      continue;
    }
    const std::string word = LowerTrimmed(StringField(e, {"action", "type", "op"}));
    const std::optional<EditAction> action = ActionFromWord(word);
    if (!action) {
      out.rejected.push_back({index, word.empty() ? std::string("no action")
                                                  : fmt::format("unknown action '{}'", word)});
      continue;
    }
    std::string text = StringField(e, {"text", "edit", "content", "change"});
    if (text.empty()) {
      out.rejected.push_back({index, "no text"});
      continue;
    }
    const std::string named = StringField(e, {"criterion", "criteria"});
    out.named_criteria.push_back(named.empty() || LowerTrimmed(named) == own ? "" : named);
    out.edits.push_back(
        {criterion, *action, std::move(text), StringField(e, {"rationale", "reason", "why"})});
  }
  return out;
}

std::string RenderEdit(const Edit& edit) {
  std::string line;
  switch (edit.action) {
    case EditAction::kAdd:
      line = fmt::format("Add to the instruction for '{}': {}", edit.criterion, OneLine(edit.text));
      break;
    case EditAction::kRemove:
      line = fmt::format("Remove from the instruction for '{}': {}", edit.criterion,
                         OneLine(edit.text));
      break;
    case EditAction::kRephrase:
      line = fmt::format("Rephrase the instruction for '{}' as: {}", edit.criterion,
                         OneLine(edit.text));
      break;
  }
  if (!Trim(edit.rationale).empty()) line += " (reason: " + OneLine(edit.rationale) + ")";
  return line;
}

std::string RenderNoEdit(std::string_view criterion) {
  return fmt::format("No edit proposed: the instruction for '{}' can stay as it is.", criterion);
}

}  // namespace judgeopt::prompts
