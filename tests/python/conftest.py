"""Shared fixtures of the Python module's tests (run by ctest: tests/CMakeLists.txt).

The skip policy of tests/cpp/skip_policy.h holds here too: a test that lacks a prerequisite
(../shared/data) skips locally and fails under CI=true. Locally, a file with a skipped test
exits with status 77, which ctest reports as Skipped, so scripts/run-tests.sh names it.
"""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

import judgeopt

REPO = Path(__file__).resolve().parents[2]

# A small optimization: 2 steps of 2 examples, MAE gate on 10 validation examples, the test split
# evaluated at every step. Every role is the simulator unless a test gives a Python function.
SMALL_CONFIG = {
    "dataset": "summeval",
    "optimize": {"mode": "SSS", "steps": 2, "batch_size": 2, "seed": 0},
    "gate": {"metric": "mae", "samples": 10},
}


def skips_forbidden():
    """True where the environment says this is a CI run (CI=true or CI=1)."""
    return os.environ.get("CI", "") in ("true", "1", "TRUE", "True")


def skip_or_fail(reason):
    """Skips locally; fails under CI=true, which forbids skipping."""
    if skips_forbidden():
        pytest.fail(f"CI=true forbids skipping; the reason: {reason}")
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true any skip (a stray pytest.skip or skip mark included) fails the test."""
    outcome = yield
    report = outcome.get_result()
    if skips_forbidden() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI=true forbids skipping, but {item.nodeid} skipped: {report.longrepr}"


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        session.exitstatus = 77  # ctest's SKIP_RETURN_CODE (tests/CMakeLists.txt)


@pytest.fixture(scope="session")
def binary():
    """The judgeopt executable of the same build (JUDGEOPT_BINARY, set by ctest)."""
    path = os.environ.get("JUDGEOPT_BINARY") or shutil.which("judgeopt")
    if not path or not Path(path).exists():
        skip_or_fail("the judgeopt executable is not known (set JUDGEOPT_BINARY)")
    return path


@pytest.fixture(scope="session")
def summeval():
    try:
        return judgeopt.load_dataset("summeval")
    except judgeopt.NotFoundError as e:
        skip_or_fail(f"SummEval is not available (../shared/data): {e}")


def run_cli(binary, *args, cwd=None, check=True):
    """Runs the judgeopt executable; returns the CompletedProcess (text)."""
    done = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"judgeopt {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stderr}")
    return done


class CountingFunction:
    """A python role's function that counts its calls and answers with `inner`; `on_call(n,
    params)`, when given, runs before the n-th call (1-based) is answered."""

    def __init__(self, inner, on_call=None):
        self.inner = inner
        self.on_call = on_call
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, messages, params):
        with self._lock:
            self.calls += 1
            n = self.calls
        if self.on_call is not None:
            self.on_call(n, params)
        return self.inner(messages, params)


def at_call_of_step(step, k, action):
    """An on_call that runs `action` once, at the k-th call whose request belongs to `step`."""
    seen = []
    lock = threading.Lock()

    def on_call(n, params):
        if not params["tag"].startswith(f"step{step}/"):
            return
        with lock:
            seen.append(n)
            fire = len(seen) == k
        if fire:
            action()
    return on_call
