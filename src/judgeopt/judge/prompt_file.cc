#include "judgeopt/judge/prompt_file.h"

#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

namespace judgeopt::judge {
namespace {

std::string CriteriaList(const data::Dataset& dataset) {
  std::string out;
  for (const auto& c : dataset.criteria) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

// Instructions in the dataset's order: the file's text where given, else the seed.
Result<std::vector<CriterionInstruction>> ReadInstructions(const config::Json& tree,
                                                           const data::Dataset& dataset,
                                                           const config::TreePath& at) {
  std::vector<CriterionInstruction> out;
  for (const auto& c : dataset.criteria) out.push_back({c.name, c.seed_instruction});
  auto it = tree.find("instructions");
  if (it == tree.end()) return out;
  const config::TreePath here = at.Key("instructions");
  if (!it->is_object()) return here.Fail("expected a table of criterion -> instruction");
  for (const auto& [name, value] : it->items()) {
    const int index = dataset.CriterionIndex(name);
    if (index < 0) {
      return here.Key(name).Fail("unknown criterion (dataset '" + dataset.name +
                                 "' has: " + CriteriaList(dataset) + ")");
    }
    if (!value.is_string()) {
      return here.Key(name).Fail(std::string("expected a string, got ") + value.type_name());
    }
    out[static_cast<std::size_t>(index)].text = value.get<std::string>();
  }
  return out;
}

}  // namespace

Result<JudgePrompt> PromptFromTree(const config::Json& tree, const data::Dataset& dataset,
                                   const std::string& origin) {
  const config::TreePath at(origin);
  JO_RETURN_IF_ERROR(config::CheckKeys(tree, {"preamble", "output_format", "instructions"}, at));
  JO_ASSIGN_OR_RETURN(std::string preamble,
                      config::GetString(tree, "preamble", at, dataset.preamble));
  JO_ASSIGN_OR_RETURN(bool output_format, config::GetBool(tree, "output_format", at, true));
  JO_ASSIGN_OR_RETURN(auto instructions, ReadInstructions(tree, dataset, at));
  return JudgePrompt(std::move(preamble), output_format, std::move(instructions));
}

Result<JudgePrompt> LoadPromptFile(const std::string& path, const data::Dataset& dataset) {
  JO_ASSIGN_OR_RETURN(config::Json tree, config::LoadTreeFile(path));
  return PromptFromTree(tree, dataset, path);
}

config::Json PromptToTree(const JudgePrompt& prompt) {
  config::Json tree = config::Json::object();
  tree["preamble"] = prompt.preamble();
  tree["output_format"] = prompt.output_format();
  config::Json instructions = config::Json::object();
  for (const auto& ins : prompt.instructions()) instructions[ins.criterion] = ins.text;
  tree["instructions"] = std::move(instructions);
  return tree;
}

std::string PromptToJsonText(const JudgePrompt& prompt) {
  // Invalid UTF-8 (possible in model-written text) becomes U+FFFD instead of throwing.
  return PromptToTree(prompt).dump(2, ' ', false, config::Json::error_handler_t::replace) + "\n";
}

Status SavePromptFile(const std::string& path, const JudgePrompt& prompt) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(tmp + ": cannot open for writing");
    out << PromptToJsonText(prompt);
    out.flush();
    if (!out) return IoError(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError(path + ": cannot move " + tmp + " into place");
  }
  return Status::Ok();
}

}  // namespace judgeopt::judge
