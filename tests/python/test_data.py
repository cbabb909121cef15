"""Datasets and judge prompts from Python: what `judgeopt datasets` and `judgeopt prompt` see."""

import json

import pytest

import judgeopt
from conftest import run_cli


def test_summeval_loads_with_its_criteria_examples_and_splits(summeval):
    ds = summeval
    assert ds.name == "summeval" and ds.protocol == "default"
    assert ds.criterion_names == ["fluency", "relevance", "coherence", "consistency"]
    splits = ds.splits
    assert set(splits) == {"train", "validation", "test"}
    sizes = [len(splits[s]) for s in ("train", "validation", "test")]
    ids = set(splits["train"]) | set(splits["validation"]) | set(splits["test"])
    assert len(ids) == sum(sizes) and ids <= set(ds.examples.column("id"))  # disjoint
    assert len(ds) == len(ds.examples)
    first = ds.split("test")[0]
    assert first.id == splits["test"][0]
    assert ds.example(first.id).position == first.position == ds[first.position].position
    assert set(first.gold) == set(ds.criterion_names)
    crit = ds.criteria
    assert crit.column("name") == ds.criterion_names
    assert all(c["scale_min"] < c["scale_max"] for c in crit)


def test_split_sizes_match_the_datasets_command(summeval, binary):
    listed = run_cli(binary, "datasets").stdout
    line = next(l for l in listed.splitlines() if l.lstrip().startswith("summeval"))
    for split in ("train", "validation", "test"):
        assert str(len(summeval.splits[split])) in line


def test_examples_table_has_one_row_per_example_and_typed_columns(summeval):
    frame = summeval.to_pandas()
    assert frame.shape == (len(summeval), 3 + 2 + 4)  # id, position, group, 2 inputs, 4 golds
    assert str(frame["position"].dtype) == "int64"
    assert str(frame["gold_fluency"].dtype) == "float64"
    assert frame["id"].tolist() == [e["id"] for e in summeval.examples]


def test_unknown_split_and_example_are_errors(summeval):
    with pytest.raises(judgeopt.InvalidArgumentError, match="split"):
        summeval.split("dev")
    with pytest.raises(judgeopt.NotFoundError, match="no example with id 'nope'"):
        summeval.example("nope")
    with pytest.raises(IndexError):
        summeval.example(len(summeval))


def test_prompt_round_trips_through_json_and_files(summeval, tmp_path):
    seed = judgeopt.JudgePrompt.seed(summeval)
    assert list(seed.instructions) == summeval.criterion_names
    changed = seed.with_instruction("fluency", "Rate grammar and flow from 1 to 5.")
    assert changed != seed and changed.fingerprint != seed.fingerprint
    again = judgeopt.JudgePrompt.from_json(changed.to_json(), summeval)
    assert again == changed
    assert judgeopt.JudgePrompt.from_json(changed.to_dict(), summeval) == changed
    path = tmp_path / "p.json"
    changed.save(path)
    assert judgeopt.JudgePrompt.from_file(path, summeval) == changed
    with pytest.raises(judgeopt.Error, match="nonsense"):
        judgeopt.JudgePrompt.from_json({"instructions": {"nonsense": "x"}}, summeval)


def test_render_gives_the_messages_the_prompt_command_prints(summeval, binary, tmp_path):
    example = summeval.split("test")[3]
    prompt = judgeopt.JudgePrompt.seed(summeval).with_instruction("coherence", "Judge structure.")
    prompt.save(tmp_path / "p.json")
    printed = run_cli(binary, "prompt", "--dataset", "summeval", "--example", example.id,
                      "--prompt", str(tmp_path / "p.json"), "--json").stdout
    assert judgeopt.render(prompt, example) == json.loads(printed)
    only = judgeopt.render(prompt, example, criterion="fluency")
    assert "Judge structure." not in only[0]["content"]
    calls = judgeopt.render_calls(prompt, example, "per-criterion")
    assert [c["call"] for c in calls] == summeval.criterion_names
    assert calls[2]["criteria"] == ["coherence"]
