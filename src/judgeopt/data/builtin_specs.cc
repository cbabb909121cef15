#include "judgeopt/data/builtin_specs.h"

#include <array>

namespace judgeopt::data {
namespace {

// SummEval, default protocol: 1600 (article, system summary) pairs with the mean of three expert
// ratings (a multiple of 1/3). The study used one expert's integer rating per row; its own 640
// rows are kSummEvalStudy below, loaded under the paper protocol.
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

// SummEval, paper protocol: the study's published split files (summeval/study-split/, see
// summeval/LICENSE-AND-SOURCE.md): 160 train and 480 test rows, one row per (summary, expert),
// gold = that expert's integer rating, the article as the study's table held it. The files are
// the study's stored splits, so its set-up shuffle is not applied again (setup_shuffle = false).
// The preamble gives the study's guidance in our words: weigh strengths and flaws by their
// number and severity, with no rule about keeping the criteria apart. The seed is the study's
// seed text (reference-protocol.md section 1.1).
constexpr std::string_view kSummEvalStudy = R"toml(
name = "summeval"
description = "SummEval as the study split it: 160/480 rows, gold = one expert's integer rating"
files = { train = "study-split/train.jsonl", test = "study-split/test.jsonl" }
format = "jsonl"
id_template = "{doc_id}/{system_id}/e{expert}"
group_field = "doc_id"
preamble = """
You are reviewing automatic summaries of news articles. Each sample gives a summary together \
with the article it was written from, and you score the summary on several quality criteria.

## Task
Read the article first, then the summary, and score the summary on every criterion listed below.
1. Look for what the summary does well and for what it gets wrong.
2. Let each score reflect how many strengths and flaws you found and how serious each one is."""

[[inputs]]
field = "machine_summary"
label = "Summary"

[[inputs]]
field = "text"
label = "Source Text"

[[criteria]]
name = "fluency"
scale = { min = 1, max = 5, integer = true }
whole_gold = true
seed_instruction = "Rate from 1 to 5."
description = "Quality of the individual sentences: grammar, spelling, punctuation, word choice."

[[criteria]]
name = "relevance"
scale = { min = 1, max = 5, integer = true }
whole_gold = true
seed_instruction = "Rate from 1 to 5."
description = "Whether the summary keeps the article's important content and leaves out the rest."

[[criteria]]
name = "coherence"
scale = { min = 1, max = 5, integer = true }
whole_gold = true
seed_instruction = "Rate from 1 to 5."
description = "Whether the sentences build a well-ordered, connected whole."

[[criteria]]
name = "consistency"
scale = { min = 1, max = 5, integer = true }
whole_gold = true
seed_instruction = "Rate from 1 to 5."
description = "Factual agreement with the article: no invented or contradicted facts."

[split]
seed = 42
setup_shuffle = false
)toml";

// BRIGHTER (SemEval-2025 Task 11), English, track B: emotion intensity 0-3 for five emotions.
// Under the paper protocol the seeds are the study's seed text (reference-protocol.md 1.1).
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
paper_seed_instruction = "Rate anger intensity from 0 (none) to 3 (most intense)."

[[criteria]]
name = "fear"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of fear from 0 (absent) to 3 (very strong)."
paper_seed_instruction = "Rate fear intensity from 0 (none) to 3 (most intense)."

[[criteria]]
name = "joy"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of joy from 0 (absent) to 3 (very strong)."
paper_seed_instruction = "Rate joy intensity from 0 (none) to 3 (most intense)."

[[criteria]]
name = "sadness"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of sadness from 0 (absent) to 3 (very strong)."
paper_seed_instruction = "Rate sadness intensity from 0 (none) to 3 (most intense)."

[[criteria]]
name = "surprise"
scale = { min = 0, max = 3, integer = true }
whole_gold = true
seed_instruction = "Score the intensity of surprise from 0 (absent) to 3 (very strong)."
paper_seed_instruction = "Rate surprise intensity from 0 (none) to 3 (most intense)."
)toml";

constexpr std::array<BuiltinDataset, 2> kBuiltins = {{
    {"summeval", "summeval", kSummEval, kSummEvalStudy},
    {"brighter", "brighter-eng-track-b", kBrighter, {}},
}};

}  // namespace

std::span<const BuiltinDataset> BuiltinDatasets() { return kBuiltins; }

std::string_view BuiltinDataset::SpecFor(std::string_view protocol) const {
  return protocol == "paper" && !paper_spec_toml.empty() ? paper_spec_toml : spec_toml;
}

const BuiltinDataset* FindBuiltinDataset(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace judgeopt::data
