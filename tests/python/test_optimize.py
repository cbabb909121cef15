"""optimize(), resume(), estimate(), runs(), run() and report(): the CLI's optimization and run
store from Python, with Python functions as roles through the same stack."""

import os

import pytest

import judgeopt
from conftest import SMALL_CONFIG, CountingFunction, run_cli


@pytest.fixture(scope="module")
def sim_run(summeval, tmp_path_factory):
    """The small optimization with every role simulated (the reference)."""
    ws = tmp_path_factory.mktemp("sim")
    return judgeopt.optimize(SMALL_CONFIG, workspace=ws)


@pytest.fixture(scope="module")
def python_run(summeval, tmp_path_factory):
    """The same optimization with the judge a Python function around the simulator."""
    ws = tmp_path_factory.mktemp("python")
    judge = CountingFunction(judgeopt.Simulator(summeval, seed=0))
    result = judgeopt.optimize(SMALL_CONFIG, workspace=ws, judge=judge)
    return result, judge


def test_a_python_judge_gives_the_simulated_runs_results(sim_run, python_run):
    result, judge = python_run
    assert judge.calls > 0
    assert result.run_id != sim_run.run_id  # the judge's backend and model are in the id
    mine = result.run().export_text(comparable=True)
    reference = sim_run.run().export_text(comparable=True)
    assert mine == reference
    config = result.run().config["llm"]["judge"]
    assert config["backend"] == "python"
    assert config["model"] == "python:conftest.CountingFunction"  # named after its type


def test_every_role_can_be_a_python_function(summeval, sim_run, tmp_path):
    model = CountingFunction(judgeopt.Simulator(summeval, seed=0))
    roles = {r: model for r in judgeopt.ROLES}
    result = judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, **roles)
    llm = result.run().config["llm"]
    assert all(llm[r]["backend"] == "python" for r in judgeopt.ROLES)
    sent = result.calls["by_role"]
    assert sum(sent[r]["calls"] for r in sent) == model.calls
    assert {"judge", "loss", "gradient", "optimizer"} <= {r for r in sent if sent[r]["calls"]}
    assert result.run().export_text(comparable=True) == sim_run.run().export_text(
        comparable=True)


def test_the_calls_of_the_python_role_are_recorded_with_its_role(python_run):
    result, judge = python_run
    calls = result.run().calls
    judge_calls = [c for c in calls if c["role"] == "judge"]
    assert len([c for c in judge_calls if not c["cache_hit"]]) == judge.calls
    assert result.calls["by_role"]["judge"]["calls"] == judge.calls
    assert all(c["simulated"] for c in judge_calls)  # the Simulator marks its replies


def test_a_rerun_is_answered_by_the_run_store_and_the_cache_without_calls(summeval, python_run):
    result, _ = python_run
    again = CountingFunction(judgeopt.Simulator(summeval, seed=0))
    rerun = judgeopt.optimize(SMALL_CONFIG, workspace=result.workspace, judge=again)
    assert again.calls == 0 and rerun.resumed_after_step == 2
    # Without the run store, every step is run again and every call comes from the cache.
    os.remove(os.path.join(result.workspace, ".judgeopt", "runs.db"))
    replay = CountingFunction(judgeopt.Simulator(summeval, seed=0))
    replayed = judgeopt.optimize(SMALL_CONFIG, workspace=result.workspace, judge=replay)
    assert replay.calls == 0
    assert replayed.calls["total"]["calls"] == 0 and replayed.calls["total"]["cache_hits"] > 0
    assert replayed.run().export_text(comparable=True) == result.run().export_text(
        comparable=True)


def test_run_tables_and_trajectory_have_their_shapes_and_dtypes(sim_run, summeval):
    run = sim_run.run()
    assert run.status == "finished" and run.info["simulated"]
    frame = run.to_pandas()
    assert frame["step"].tolist() == [0, 1, 2]
    assert str(frame["step"].dtype) == "int64" and str(frame["accepted"].dtype) == "bool"
    for c in summeval.criterion_names + ["average"]:
        assert str(frame[f"spearman_{c}"].dtype) == "float64"
    assert frame["evaluated"].all()
    assert run.trajectory[0]["spearman_average"] == pytest.approx(
        run.summary["step_summaries"][0]["test"]["metrics"][-1]["spearman"])
    steps = run.steps.to_pandas()
    assert steps.shape[0] == 3 and str(steps["gate_incumbent_score"].dtype) == "float64"
    calls = run.calls.to_pandas()
    assert str(calls["cache_hit"].dtype) == "bool" and str(calls["prompt_tokens"].dtype) == "int64"
    assert set(run.costs.column("role")) >= {"judge", "loss", "gradient", "optimizer"}
    assert len(run.evaluation_metrics) == 3 * 5


def test_runs_lists_the_workspace_and_the_cli_agrees(sim_run, binary):
    table = judgeopt.runs(sim_run.workspace)
    assert table.column("run_id") == [sim_run.run_id]
    assert table[0]["status"] == "finished" and table[0]["simulated"]
    listed = run_cli(binary, "runs", "list", "--workspace", sim_run.workspace).stdout
    assert sim_run.run_id in listed
    exported = run_cli(binary, "runs", "export", sim_run.run_id, "--format", "csv",
                       "--workspace", sim_run.workspace, "--out",
                       os.path.join(sim_run.workspace, "cli-export")).stdout.split()
    texts = sim_run.run().export_text("csv")
    for path in exported:
        name = os.path.basename(path).rsplit(".", 1)[0]
        with open(path) as f:
            assert f.read() == texts[name], name


def test_report_writes_the_report_files(sim_run, tmp_path):
    made = judgeopt.report(sim_run.run_id, workspace=sim_run.workspace, out=tmp_path / "r")
    assert made["runs"] == 1 and made["simulated"]
    assert os.path.exists(made["html"]) and len(made["files"]) >= 3


def test_progress_gets_every_stage_and_step(summeval, tmp_path):
    events = []
    judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, progress=events.append)
    steps = [e for e in events if e["event"] == "step"]
    assert [e["step"] for e in steps] == [0, 1, 2]
    assert {e["stage"] for e in events if e["event"] == "stage"} >= {"predict", "gate", "eval"}
    assert steps[-1]["calls"] > steps[0]["calls"] > 0


def test_estimate_projects_and_the_budget_refuses_a_run_it_cannot_pay(summeval, tmp_path):
    est = judgeopt.estimate(SMALL_CONFIG)
    assert 0 < est.calls_min <= est.calls_max and not est.exceeds_budget
    assert est.roles.column("role")[:4] == ["judge", "loss", "gradient", "optimizer"]
    assert "judge" in str(est)
    assert judgeopt.estimate(SMALL_CONFIG, max_calls=10).exceeds_budget
    with pytest.raises(judgeopt.BudgetExceededError, match="pass force=True"):
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, max_calls=10)
    assert len(judgeopt.runs(tmp_path)) == 0


def test_keyword_settings_override_the_config_and_bad_ones_name_the_keyword(summeval, tmp_path):
    est = judgeopt.estimate(SMALL_CONFIG, steps=1, mode="CCC")
    assert est.calls_max < judgeopt.estimate(SMALL_CONFIG).calls_max
    with pytest.raises(judgeopt.InvalidArgumentError, match="mode"):
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, mode="XYZ")
    with pytest.raises(judgeopt.InvalidArgumentError, match="gate"):
        judgeopt.estimate(SMALL_CONFIG, gate="sometimes")


def test_a_stored_python_role_needs_its_function_to_resume(python_run):
    result, _ = python_run
    with pytest.raises(judgeopt.InvalidArgumentError, match="pass judge=<callable>"):
        judgeopt.resume(result.run_id, workspace=result.workspace)
