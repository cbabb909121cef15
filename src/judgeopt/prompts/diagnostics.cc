#include "judgeopt/prompts/diagnostics.h"

#include <fmt/format.h>

#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::prompts {
namespace {

constexpr std::string_view kSpecificityBody =
    "The feedback (a \"gradient\") was written to improve the instruction for one criterion of "
    "an LLM judge that scores text on several criteria. Decide how much of it concentrates on "
    "that target criterion rather than offering generic advice or advice that concerns other "
    "criteria.";
constexpr std::string_view kSpecificityScale =
    "Answer with one integer from 1 to 10. 1: the feedback is entirely generic, or mostly about "
    "other criteria. 10: the feedback is squarely about '{}' and proposes concrete fixes that "
    "belong to it alone. Reply with the integer only.";
constexpr std::string_view kAdherenceBody =
    "An LLM judge scores text on several criteria. The feedback below (a \"gradient\") was "
    "written to improve its instruction for one criterion, and that instruction was then "
    "rewritten. Judge the rewrite only against the points of the feedback that concern this "
    "criterion.";
constexpr std::string_view kAdherenceScale =
    "Answer with one integer from 1 to 10. 1: the new instruction ignores or contradicts the "
    "feedback for '{}'. 10: the new instruction takes up each of its points exactly while "
    "keeping the parts that already worked. Reply with the integer only.";

bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
         u == '_';
}

}  // namespace

std::string DiagnosticGradientText(std::span<const std::string> gradients) {
  std::vector<std::string> parts;
  for (const std::string& g : gradients) {
    if (!g.empty()) parts.push_back(g);
  }
  return Join(parts, "\n\n");
}

std::string SpecificityPrompt(std::string_view criterion, std::span<const std::string> all_criteria,
                              std::string_view gradient) {
  std::vector<std::string> bullets;
  for (const std::string& c : all_criteria) bullets.push_back("- " + c);
  return fmt::format(
      "{} {}\n\n## Target Criterion\n{}\n\n## All Criteria\n{}\n\n## Scale\n{}\n\n"
      "## The Gradient\n{}",
      kSpecificityOpening, kSpecificityBody, criterion, Join(bullets, "\n"),
      fmt::format(kSpecificityScale, criterion), gradient);
}

std::string AdherencePrompt(std::string_view criterion, std::string_view old_instruction,
                            std::string_view new_instruction, std::string_view gradient) {
  return fmt::format(
      "{} {}\n\n## Criterion\n{}\n\n## Old Instruction\n{}\n\n## New Instruction\n{}\n\n"
      "## Scale\n{}\n\n## The Gradient\n{}",
      kAdherenceOpening, kAdherenceBody, criterion, old_instruction, new_instruction,
      fmt::format(kAdherenceScale, criterion), gradient);
}

std::optional<int> ParseDiagnosticScore(std::string_view reply) {
  for (std::size_t i = 0; i < reply.size(); ++i) {
    if (reply[i] < '0' || reply[i] > '9') continue;
    std::size_t j = i;
    while (j < reply.size() && reply[j] >= '0' && reply[j] <= '9') ++j;
    const bool standalone =
        (i == 0 || !IsWordByte(reply[i - 1])) && (j == reply.size() || !IsWordByte(reply[j]));
    if (standalone && j - i <= 2) {
      const int v = std::stoi(std::string(reply.substr(i, j - i)));
      if (v >= 1 && v <= 10) return v;
      return std::nullopt;
    }
    i = j;  // skip the rest of this digit run
  }
  return std::nullopt;
}

}  // namespace judgeopt::prompts
