#include "judgeopt/judge/prompt.h"

#include <utility>

#include "judgeopt/base/sha256.h"

namespace judgeopt::judge {
namespace {

// Bump when the canonical encoding changes: fingerprints of older versions then differ.
constexpr std::string_view kFingerprintFormat = "judgeopt.judge_prompt.v1";

// Length-prefixed, so that no two different prompts share an encoding.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string EncodeFields(const std::string& preamble, bool output_format,
                         const std::vector<CriterionInstruction>& instructions) {
  std::string out;
  AppendField(out, kFingerprintFormat);
  AppendField(out, preamble);
  AppendField(out, output_format ? "1" : "0");
  AppendField(out, std::to_string(instructions.size()));
  for (const auto& ins : instructions) {
    AppendField(out, ins.criterion);
    AppendField(out, ins.text);
  }
  return out;
}

}  // namespace

JudgePrompt::JudgePrompt() : JudgePrompt(State{}) {}

JudgePrompt::JudgePrompt(std::string preamble, bool output_format,
                         std::vector<CriterionInstruction> instructions)
    : JudgePrompt(State{std::move(preamble), output_format, std::move(instructions), ""}) {}

JudgePrompt::JudgePrompt(State state) {
  state.fingerprint =
      Sha256Hex(EncodeFields(state.preamble, state.output_format, state.instructions));
  state_ = std::make_shared<const State>(std::move(state));
}

JudgePrompt JudgePrompt::FromDataset(const data::Dataset& dataset) {
  std::vector<CriterionInstruction> instructions;
  instructions.reserve(dataset.criteria.size());
  for (const auto& c : dataset.criteria) instructions.push_back({c.name, c.seed_instruction});
  return JudgePrompt(dataset.preamble, true, std::move(instructions));
}

const std::string* JudgePrompt::Instruction(std::string_view criterion) const {
  for (const auto& ins : state_->instructions) {
    if (ins.criterion == criterion) return &ins.text;
  }
  return nullptr;
}

Result<JudgePrompt> JudgePrompt::WithInstruction(std::string_view criterion,
                                                 std::string text) const {
  State s = *state_;
  for (auto& ins : s.instructions) {
    if (ins.criterion == criterion) {
      ins.text = std::move(text);
      return JudgePrompt(std::move(s));
    }
  }
  return InvalidArgument("judge prompt has no instruction for criterion '" +
                         std::string(criterion) + "'");
}

JudgePrompt JudgePrompt::WithPreamble(std::string preamble) const {
  State s = *state_;
  s.preamble = std::move(preamble);
  return JudgePrompt(std::move(s));
}

JudgePrompt JudgePrompt::WithOutputFormat(bool on) const {
  State s = *state_;
  s.output_format = on;
  return JudgePrompt(std::move(s));
}

Result<JudgePrompt> JudgePrompt::OnlyCriterion(std::string_view criterion) const {
  const std::string* text = Instruction(criterion);
  if (text == nullptr) {
    return InvalidArgument("judge prompt has no instruction for criterion '" +
                           std::string(criterion) + "'");
  }
  return JudgePrompt(state_->preamble, state_->output_format, {{std::string(criterion), *text}});
}

Status JudgePrompt::CheckAgainst(const data::Dataset& dataset) const {
  int previous = -1;
  for (const auto& ins : state_->instructions) {
    const int index = dataset.CriterionIndex(ins.criterion);
    if (index < 0) {
      return InvalidArgument("judge prompt: criterion '" + ins.criterion +
                             "' is not a criterion of dataset '" + dataset.name + "'");
    }
    if (index <= previous) {
      return InvalidArgument("judge prompt: criterion '" + ins.criterion +
                             "' is repeated or out of the dataset's criteria order");
    }
    previous = index;
  }
  return Status::Ok();
}

Result<std::vector<const data::Criterion*>> JudgePrompt::Criteria(
    const data::Dataset& dataset) const {
  JO_RETURN_IF_ERROR(CheckAgainst(dataset));
  std::vector<const data::Criterion*> out;
  for (const auto& ins : state_->instructions) {
    const int index = dataset.CriterionIndex(ins.criterion);
    out.push_back(&dataset.criteria[static_cast<std::size_t>(index)]);
  }
  return out;
}

std::string JudgePrompt::CanonicalEncoding() const {
  return EncodeFields(state_->preamble, state_->output_format, state_->instructions);
}

bool JudgePrompt::operator==(const JudgePrompt& other) const {
  if (state_ == other.state_) return true;
  return state_->fingerprint == other.state_->fingerprint &&
         state_->preamble == other.state_->preamble &&
         state_->output_format == other.state_->output_format &&
         state_->instructions == other.state_->instructions;
}

}  // namespace judgeopt::judge
