"""evaluate(): the CLI's `eval` from Python, and Python functions as the judge."""

import filecmp
import json

import pytest

import judgeopt
from conftest import CountingFunction, run_cli


def test_evaluate_with_the_simulator_writes_what_the_cli_writes(summeval, binary, tmp_path):
    run_cli(binary, "eval", "--dataset", "summeval", "--split", "validation", "--limit", "60",
            "--seed", "3", "--no-cache", "--quiet", "--out", str(tmp_path / "cli"))
    result = judgeopt.evaluate(None, summeval, "validation", limit=60, seed=3, no_cache=True)
    result.write(tmp_path / "py")
    for name in ("predictions.csv", "predictions.jsonl", "metrics.json"):
        assert filecmp.cmp(tmp_path / "cli" / name, tmp_path / "py" / name, shallow=False), name
    assert result.simulated and result.simulated_roles == ["judge"]
    assert result.calls["total"]["calls"] == sum(result.predictions.column("attempts")) >= 60


def test_metrics_and_predictions_tables_have_the_files_shapes_and_dtypes(summeval):
    result = judgeopt.evaluate(None, summeval, "test", limit=40, no_cache=True)
    metrics = result.to_pandas()
    assert metrics.shape == (5, 11)
    assert metrics["criterion"].tolist() == summeval.criterion_names + ["average"]
    assert str(metrics["spearman"].dtype) == "float64"
    assert str(metrics["n"].dtype) == "int64"
    assert metrics["n"].iloc[:4].tolist() == [40] * 4
    predictions = result.predictions.to_pandas()
    assert predictions.shape == (40, 1 + 2 * 4 + 4)
    assert str(predictions["pred_fluency"].dtype) == "float64"
    assert str(predictions["attempts"].dtype) == "int64"
    assert predictions["simulated"].dtype == bool and predictions["simulated"].all()
    assert predictions["id"].tolist() == [e.id for e in summeval.split("test")[:40]]


def test_a_python_judge_function_sees_the_rendered_messages_and_its_scores_count(summeval):
    examples = {e.id: e for e in summeval.split("test")[:20]}
    prompt = judgeopt.JudgePrompt.seed(summeval)
    rendered = {judgeopt.render(prompt, e)[0]["content"]: e for e in examples.values()}
    seen = []

    def whole(score):
        return int(score + 0.5)

    def gold_judge(messages, params):  # a rule-based judge: the gold scores, rounded
        assert params["role"] == "judge" and params["model"] == "exact"
        example = rendered[messages[0]["content"]]
        seen.append(example.id)
        scores = {c: whole(g) for c, g in example.gold.items()}
        return {"text": json.dumps(scores),
                "usage": {"prompt_tokens": 100, "completion_tokens": 7}}

    result = judgeopt.evaluate(prompt, summeval, "test", limit=20, judge=gold_judge,
                               llm={"judge": {"model": "exact"}}, no_cache=True)
    assert sorted(seen) == sorted(examples)
    assert not result.simulated
    for row in result.predictions:
        gold = examples[row["id"]].gold
        assert all(row[f"pred_{c}"] == whole(g) for c, g in gold.items())
    assert result.calls["by_role"]["judge"]["prompt_tokens"] == 20 * 100


def test_the_cache_answers_a_rerun_without_calling_the_function(summeval, tmp_path):
    sim = judgeopt.Simulator(summeval)
    first = CountingFunction(sim)
    a = judgeopt.evaluate(None, summeval, "test", limit=30, judge=first, workspace=tmp_path)
    again = CountingFunction(sim)
    b = judgeopt.evaluate(None, summeval, "test", limit=30, judge=again, workspace=tmp_path)
    assert first.calls == 30 and again.calls == 0
    assert b.calls["total"]["cache_hits"] == 30
    assert a.predictions == b.predictions and a.metrics == b.metrics
    assert a.simulated and b.simulated  # the simulator's replies, marked, replayed


def test_an_exception_in_the_function_is_raised_with_its_message_and_role(summeval):
    def broken(messages, params):
        raise ValueError("no model here")

    with pytest.raises(ValueError, match="no model here") as raised:
        judgeopt.evaluate(None, summeval, "test", limit=50, judge=broken, no_cache=True)
    notes = " ".join(getattr(raised.value, "__notes__", []))
    assert "judge role's Python function" in notes


def test_a_reply_of_the_wrong_shape_is_a_type_error(summeval):
    with pytest.raises(TypeError, match="must return a str or a dict with 'text'.*int"):
        judgeopt.evaluate(None, summeval, "test", limit=5, judge=lambda m, p: 3, no_cache=True)
    with pytest.raises(TypeError, match="unknown key 'txt'"):
        judgeopt.evaluate(None, summeval, "test", limit=5, judge=lambda m, p: {"txt": "x"},
                          no_cache=True)


def test_a_budget_stops_the_calls_with_budget_exceeded(summeval):
    with pytest.raises(judgeopt.BudgetExceededError):
        judgeopt.evaluate(None, summeval, "test", limit=50, max_calls=10, no_cache=True)


def test_concurrency_sets_how_many_calls_are_in_flight(summeval):
    import threading
    cond, state = threading.Condition(), {"now": 0, "peak": 0}
    sim = judgeopt.Simulator(summeval)

    def gathering(messages, params):  # waits (at most 5 s) until 3 calls are in flight
        with cond:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
            cond.notify_all()
            cond.wait_for(lambda: state["now"] >= 3, timeout=5)
        reply = sim(messages, params)
        with cond:
            state["now"] -= 1
        return reply

    judgeopt.evaluate(None, summeval, "test", limit=30, judge=gathering, concurrency=3,
                      no_cache=True)
    assert state["peak"] == 3
