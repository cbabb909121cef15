#include "judgeopt/judge/render.h"

#include <fmt/format.h>

#include <cmath>

#include "judgeopt/base/strings.h"

namespace judgeopt::judge {
namespace {

// Most values an integer scale lists one by one in the output-format block.
constexpr double kMaxListedValues = 21;

// Shortest round-trip text; whole numbers keep a ".0" on a continuous scale.
std::string FormatBound(double v, bool integer) {
  if (integer || std::floor(v) != v) return fmt::format("{}", v);
  return fmt::format("{:.1f}", v);
}

// "<Label>: <value>" per input field, in the dataset's order, joined by newlines.
Result<std::string> SampleLines(const data::Dataset& dataset, const data::Example& example) {
  if (example.inputs.size() != dataset.inputs.size()) {
    return InvalidArgument("example '" + example.id + "' has " +
                           std::to_string(example.inputs.size()) + " input values, dataset '" +
                           dataset.name + "' has " + std::to_string(dataset.inputs.size()) +
                           " input fields");
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < dataset.inputs.size(); ++i) {
    lines.push_back(dataset.inputs[i].label + ": " + example.inputs[i]);
  }
  return Join(lines, "\n");
}

}  // namespace

std::string OutputNoun(const std::vector<const data::Criterion*>& criteria) {
  for (const auto* c : criteria) {
    if (!c->scale.integer) return "values";
  }
  return "scores";
}

std::string ScaleFormat(const data::Scale& scale) {
  if (scale.integer) {
    const double lo = std::ceil(scale.min);
    const double hi = std::floor(scale.max);
    if (lo <= hi && hi - lo + 1 <= kMaxListedValues) {
      std::string out;
      for (double v = lo; v <= hi; v += 1) {
        if (!out.empty()) out += '|';
        out += fmt::format("{}", v);
      }
      return out;
    }
  }
  return "<" + FormatBound(scale.min, scale.integer) + " to " +
         FormatBound(scale.max, scale.integer) + ">";
}

std::string SkeletonSentence(std::string_view noun) {
  return fmt::format(
      "Follow the Instructions below to carry out this evaluation. Reply with a JSON object "
      "holding the requested {}, with no reasoning and no explanation.",
      noun);
}

Result<std::string> RenderInstructions(const JudgePrompt& prompt, const data::Dataset& dataset,
                                       std::optional<std::string_view> only_criterion) {
  JO_ASSIGN_OR_RETURN(auto criteria, prompt.Criteria(dataset));
  if (only_criterion && !prompt.Covers(*only_criterion)) {
    return InvalidArgument("criterion filter '" + std::string(*only_criterion) +
                           "' is not a criterion of the judge prompt");
  }
  const std::string head = std::string(Trim(prompt.preamble())) + "\n" +
                           SkeletonSentence(OutputNoun(criteria));
  std::vector<std::string> parts = {std::string(Trim(head))};

  std::vector<std::string> format_lines;
  std::vector<std::string> instruction_lines;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const auto& ins = prompt.instructions()[i];
    if (only_criterion && ins.criterion != *only_criterion) continue;
    format_lines.push_back("  \"" + ins.criterion + "\": " + ScaleFormat(criteria[i]->scale));
    instruction_lines.push_back("- " + ins.criterion + ": " + ins.text);
  }
  if (prompt.output_format() && !format_lines.empty()) {
    parts.push_back("\n" + std::string(kOutputFormatHeader) + "\n{\n" +
                    Join(format_lines, ",\n") + "\n}");
  }
  parts.push_back("\n" + std::string(kInstructionsHeader) + "\n" +
                  Join(instruction_lines, "\n") + "\n");
  return Join(parts, "\n");
}

Result<std::string> RenderTaskPrompt(const JudgePrompt& prompt, const data::Dataset& dataset,
                                     const data::Example& example,
                                     std::optional<std::string_view> only_criterion) {
  JO_ASSIGN_OR_RETURN(std::string sample, SampleLines(dataset, example));
  JO_ASSIGN_OR_RETURN(std::string text, RenderInstructions(prompt, dataset, only_criterion));
  text += "\n\n" + std::string(kSampleHeader) + "\n" + sample + "\n\n" +
          std::string(kResponseHeader) + "\n";
  return text;
}

std::string SectionedSentence(std::string_view noun) {
  return fmt::format(
      "Score the Sample on each criterion below, one criterion at a time and in the order "
      "given: read the criterion's instruction, then write its reply line before going on to "
      "the next criterion. Reply with the reply lines only, one per line, holding the requested "
      "{}, with no reasoning and no explanation.",
      noun);
}

std::string ReplyLineRequest(const data::Criterion& criterion, bool show_scale) {
  const std::string value = show_scale ? ScaleFormat(criterion.scale)
                                       : (criterion.scale.integer ? "<score>" : "<value>");
  return std::string(kReplyLinePrefix) + criterion.name + ": " + value;
}

Result<std::string> RenderSectionedTaskPrompt(const JudgePrompt& prompt,
                                              const data::Dataset& dataset,
                                              const data::Example& example) {
  JO_ASSIGN_OR_RETURN(std::string sample, SampleLines(dataset, example));
  JO_ASSIGN_OR_RETURN(auto criteria, prompt.Criteria(dataset));
  const std::string head = std::string(Trim(prompt.preamble())) + "\n" +
                           SectionedSentence(OutputNoun(criteria));
  std::string text = std::string(Trim(head)) + "\n\n" + std::string(kSampleHeader) +
                     "\n" + sample + "\n\n" + std::string(kCriteriaHeader) + "\n";
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const auto& ins = prompt.instructions()[i];
    text += fmt::format("\n{}{}. {}\n{}\n{}\n", kSectionPrefix, i + 1, ins.criterion,
                        Trim(ins.text),
                        ReplyLineRequest(*criteria[i], prompt.output_format()));
  }
  return text + "\n" + std::string(kResponseHeader) + "\n";
}

Result<std::vector<llm::ChatMessage>> RenderJudgeMessages(
    const JudgePrompt& prompt, const data::Dataset& dataset, const data::Example& example,
    std::optional<std::string_view> only_criterion) {
  JO_ASSIGN_OR_RETURN(std::string text, RenderTaskPrompt(prompt, dataset, example, only_criterion));
  return std::vector<llm::ChatMessage>{{"user", std::move(text)}};
}

}  // namespace judgeopt::judge
