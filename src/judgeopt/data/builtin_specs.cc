#include "judgeopt/data/builtin_specs.h"

#include <array>

namespace judgeopt::data {
namespace {

// SummEval: 1600 (article, system summary) pairs with the mean of three expert ratings.
// Deviation from the study: gold is that 3-expert mean (a multiple of 1/3), while the study used
// one expert's integer rating per row; the per-expert ratings are not in the shared data.
constexpr std::string_view kSummEval = R"toml(
name = "summeval"
description = "SummEval: 100 CNN/DailyMail articles x 16 systems; gold = mean of 3 expert ratings"
data = "summeval.jsonl"
format = "jsonl"
id_template = "{doc_id}/{system_id}"
group_field = "doc_id"
preamble = """
You are reviewing automatic summaries of news articles. Each sample gives a summary together \
with the article it was written from, and you score the summary on several quality criteria.

## Task
Read the article first, then the summary, and score the summary on every criterion listed below.
1. Score each criterion separately: a flaw that belongs to one criterion must not pull down another.
2. Use the whole scale, keeping the lowest and highest scores for clear-cut cases."""

[[joins]]
file = "summeval_documents.jsonl"
key = "doc_id"
fields = { article = "source_original_story" }

[[inputs]]
field = "system_output"
label = "Summary"

[[inputs]]
field = "article"
label = "Source Text"
transforms = ["cut_before_line:@highlight", "nbsp_to_space", "trim"]

[[criteria]]
name = "fluency"
gold_field = "fluency"
scale = { min = 1, max = 5, integer = true }
seed_instruction = "Give a score from 1 (poor) to 5 (excellent)."
description = "Quality of the individual sentences: grammar, spelling, punctuation, word choice."

[[criteria]]
name = "relevance"
gold_field = "relevance"
scale = { min = 1, max = 5, integer = true }
seed_instruction = "Give a score from 1 (poor) to 5 (excellent)."
description = "Whether the summary keeps the article's important content and leaves out the rest."

[[criteria]]
name = "coherence"
gold_field = "coherence"
scale = { min = 1, max = 5, integer = true }
seed_instruction = "Give a score from 1 (poor) to 5 (excellent)."
description = "Whether the sentences build a well-ordered, connected whole."

[[criteria]]
name = "consistency"
gold_field = "consistency"
scale = { min = 1, max = 5, integer = true }
seed_instruction = "Give a score from 1 (poor) to 5 (excellent)."
description = "Factual agreement with the article: no invented or contradicted facts."

[split]
seed = 42
order = ["train", "test", "validation"]
train = 160
test = 480
validation = 100
)toml";

// BRIGHTER (SemEval-2025 Task 11), English, track B: emotion intensity 0-3 for five emotions.
constexpr std::string_view kBrighter = R"toml(
name = "brighter"
description = "BRIGHTER English track B: intensity 0-3 of five emotions in short texts"
format = "csv"
id_field = "id"
preamble = "Judge how strongly the writer of the Text expresses each of the emotions below."
default_version = "current"

[versions.current]
description = "organizers' current release (duplicates removed, ids renumbered)"
[versions.current.files]
train = "eng_train.csv"
validation = "eng_dev.csv"
test = "eng_test.csv"

[versions.competition]
description = "release used during SemEval-2025 (commit 44ddc04)"
[versions.competition.files]
train = "competition-version-44ddc04/eng_train.csv"
validation = "competition-version-44ddc04/eng_dev.csv"
test = "competition-version-44ddc04/eng_test.csv"

[[drop_rows]]
field = "text"
equals = "#NAME?"
reason = "spreadsheet corruption; the original text is lost"

[[inputs]]
field = "text"
label = "Text"

[[criteria]]
name = "anger"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of anger from 0 (absent) to 3 (very strong)."

[[criteria]]
name = "fear"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of fear from 0 (absent) to 3 (very strong)."

[[criteria]]
name = "joy"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of joy from 0 (absent) to 3 (very strong)."

[[criteria]]
name = "sadness"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of sadness from 0 (absent) to 3 (very strong)."

[[criteria]]
name = "surprise"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of surprise from 0 (absent) to 3 (very strong)."
)toml";

constexpr std::array<BuiltinDataset, 2> kBuiltins = {{
    {"summeval", "summeval", kSummEval},
    {"brighter", "brighter-eng-track-b", kBrighter},
}};

}  // namespace

std::span<const BuiltinDataset> BuiltinDatasets() { return kBuiltins; }

const BuiltinDataset* FindBuiltinDataset(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace judgeopt::data
