"""Ctrl-C (KeyboardInterrupt) and exceptions in a role's function stop a run cleanly; resume()
then gives the result of an uninterrupted run."""

import _thread
import signal
import threading

import pytest

import judgeopt
from conftest import SMALL_CONFIG, CountingFunction, at_call_of_step


@pytest.fixture(scope="module")
def uninterrupted(summeval, tmp_path_factory):
    ws = tmp_path_factory.mktemp("whole")
    run = judgeopt.optimize(SMALL_CONFIG, workspace=ws,
                            judge=CountingFunction(judgeopt.Simulator(summeval)))
    return run.run().export_text(comparable=True)


@pytest.fixture
def sigint_seen():
    """A SIGINT handler that raises KeyboardInterrupt as Python's default one does, and first
    sets the Event it yields: the role function waits for it, so that judgeopt has registered the
    stop (the main thread holds the GIL from the handler until then) before the function
    returns, whatever the scheduling."""
    seen = threading.Event()

    def handler(signum, frame):
        seen.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    yield seen
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("how", [_thread.interrupt_main,
                                 lambda: signal.raise_signal(signal.SIGINT)],
                         ids=["interrupt_main", "raise_signal"])
def test_keyboard_interrupt_then_resume_gives_the_uninterrupted_run(summeval, tmp_path,
                                                                    uninterrupted, how,
                                                                    sigint_seen):
    sim = judgeopt.Simulator(summeval)

    def ctrl_c():
        how()
        assert sigint_seen.wait(timeout=60)

    # Ctrl-C at the 5th judge call of step 1: step 0 is stored, step 2 cannot be (its calls are
    # refused); step 1 is stored only if what it had left needed no call.
    judge = CountingFunction(sim, on_call=at_call_of_step(1, 5, ctrl_c))
    with pytest.raises(KeyboardInterrupt):
        judgeopt.optimize(SMALL_CONFIG, workspace=tmp_path, judge=judge)
    stored = judgeopt.runs(tmp_path)
    assert len(stored) == 1 and stored[0]["last_step"] in (0, 1)
    again = CountingFunction(sim)
    resumed = judgeopt.resume(stored[0]["run_id"], workspace=tmp_path, judge=again)
    assert resumed.resumed_after_step == stored[0]["last_step"]
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
