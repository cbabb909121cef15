"""Ctrl-C (KeyboardInterrupt) and exceptions in a role's function stop a run cleanly; resume()
then gives the result of an uninterrupted run."""

import _thread
import signal

import pytest

import judgeopt
from conftest import SMALL_CONFIG, CountingFunction, at_call_of_step


@pytest.fixture(scope="module")
def uninterrupted(summeval, tmp_path_factory):
    ws = tmp_path_factory.mktemp("whole")
    run = judgeopt.optimize(SMALL_CONFIG, workspace=ws,
                            judge=CountingFunction(judgeopt.Simulator(summeval)))
    return run.run().export_text(comparable=True)


@pytest.mark.parametrize("how", [_thread.interrupt_main,
                                 lambda: signal.raise_signal(signal.SIGINT)],
                         ids=["interrupt_main", "raise_signal"])
def test_keyboard_interrupt_then_resume_gives_the_uninterrupted_run(summeval, tmp_path,
                                                                    uninterrupted, how):
    sim = judgeopt.Simulator(summeval)
    # Ctrl-C at the 5th judge call of step 1: the baseline (step 0) is stored, step 1 is not.
    judge = CountingFunction(sim, on_call=at_call_of_step(1, 5, how))
    with pytest.raises(KeyboardInterrupt):
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, judge=judge)
    stored = judgeopt.runs(tmp_path)
    assert len(stored) == 1 and stored[0]["last_step"] == 0  # step 0 stored, step 1 not
    again = CountingFunction(sim)
    resumed = judgeopt.resume(stored[0]["run_id"], workspace=tmp_path, judge=again)
    assert resumed.resumed_after_step == 0
    assert again.calls > 0
    assert resumed.run().export_text(comparable=True) == uninterrupted


def test_an_exception_stops_the_run_which_a_rerun_continues(summeval, tmp_path, uninterrupted):
    sim = judgeopt.Simulator(summeval)

    def fail():
        raise RuntimeError("the model server went away")

    with pytest.raises(RuntimeError, match="the model server went away") as raised:
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path,
                          judge=CountingFunction(sim, on_call=at_call_of_step(2, 3, fail)))
    assert any("resume continues" in n for n in raised.value.__notes__)
    rerun = judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, judge=CountingFunction(sim))
    assert rerun.resumed_after_step == 1
    assert rerun.run().export_text(comparable=True) == uninterrupted


def test_an_exception_in_the_progress_callback_stops_the_run(summeval, tmp_path):
    def progress(event):
        if event["event"] == "step" and event["step"] == 1:
            raise ValueError("enough")

    with pytest.raises(ValueError, match="enough"):
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, progress=progress)
    assert judgeopt.runs(tmp_path)[0]["last_step"] == 1
    assert judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path).resumed_after_step == 1
