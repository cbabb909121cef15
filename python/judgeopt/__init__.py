"""judgeopt from Python: optimize multi-criteria LLM-judge prompts in notebooks and pipelines.

The package wraps judgeopt's C++ library (the extension ``judgeopt._judgeopt``), not its
command line: datasets, judge prompts, evaluation, optimization runs and their store, reports.
Any model role (judge, loss, gradient, optimizer, diagnostic) can be a Python function
``(messages, params) -> str | dict``; its calls go through the same cache, budget, ledger, run
store and concurrency limit as an HTTP endpoint's. See docs/python.md.

Results that used replies of judgeopt's offline simulator are labelled SIMULATED
(``.simulated``): they follow from the simulator's rules and say nothing about real LLMs.
"""

try:
    from . import _judgeopt
except ImportError as _error:  # the package folder without its compiled extension
    raise ImportError(
        "judgeopt's C++ extension (judgeopt._judgeopt) is not built or does not load: "
        f"{_error}. Build it with `make python` (then put <build>/python on PYTHONPATH, e.g. "
        "build/release/python) or install the package with `pip install .` from a judgeopt "
        "checkout (docs/python.md, 'Install')."
    ) from _error

from ._judgeopt import (  # noqa: F401  (re-exported)
    AuthError, BadRequestError, BudgetExceededError, CancelledError, Dataset, Error,
    Estimate, EvalResult, Example, InternalError, InvalidArgumentError, IoError, JudgePrompt,
    NotFoundError, OptimizeResult, ParseError, RateLimitedError, RequestTimeoutError, Run,
    Simulator, UnavailableError, load_dataset, render, render_calls, report, run, runs, version)
from ._tables import Table

__version__ = _judgeopt.__version__

#: The roles a model can play, each configurable (and replaceable by a Python function).
ROLES = ("judge", "loss", "gradient", "optimizer", "diagnostic")

__all__ = [
    "AuthError", "BadRequestError", "BudgetExceededError", "CancelledError", "Dataset",
    "Error", "Estimate", "EvalResult", "Example", "InternalError", "InvalidArgumentError",
    "IoError", "JudgePrompt", "NotFoundError", "OptimizeResult", "ParseError",
    "RateLimitedError", "RequestTimeoutError", "Run", "Simulator", "Table",
    "UnavailableError", "ROLES", "estimate", "evaluate", "load_dataset", "optimize", "render",
    "render_calls", "report", "resume", "run", "runs", "version",
]


def _model_options(llm, roles, backend, model, base_url, concurrency, workspace, no_cache,
                   max_usd, max_calls, data_dir):
    for name in roles:
        if name not in ROLES:
            raise ValueError(f"unknown role {name!r} (roles: {', '.join(ROLES)})")
    return {"llm": llm, "roles": {k: v for k, v in roles.items() if v is not None},
            "backend": backend, "model": model, "base_url": base_url,
            "concurrency": concurrency, "workspace": workspace, "no_cache": no_cache,
            "max_usd": max_usd, "max_calls": max_calls, "data_dir": data_dir}


def evaluate(prompt, dataset, split="test", *, judge=None, judge_mode="joint", limit=None,
             seed=0, llm=None, backend=None, model=None, base_url=None, concurrency=None,
             workspace=None, no_cache=False, max_usd=None, max_calls=None):
    """Scores a judge prompt on a split of a dataset, as ``judgeopt eval`` does.

    prompt: a JudgePrompt, or None for the dataset's seed prompt. dataset: a Dataset.
    split: 'train', 'validation' (or 'val') or 'test'. judge: a Python function
    ``(messages, params) -> str | dict`` to use as the judge model (else the configured
    backend; the simulator by default). judge_mode: 'joint', 'per-criterion' or 'sectioned'.
    limit: only the first N examples of the split. seed: the request seed (and the
    simulator's). llm: the [llm] table as a dict, or a config file whose [llm] table is read.
    backend, model, base_url, concurrency: override the judge role's settings. workspace: where
    the response cache lives ('.' by default); no_cache: neither read nor write it. max_usd,
    max_calls: a hard budget for this call.

    Returns an EvalResult (metrics and predictions tables, the call ledger). Raises
    judgeopt.Error subclasses with the library's messages; Ctrl-C stops the calls cleanly and
    raises KeyboardInterrupt.
    """
    options = _model_options(llm, {"judge": judge}, backend, model, base_url, concurrency,
                             workspace, no_cache, max_usd, max_calls, None)
    options.update(judge_mode=judge_mode, limit=limit, seed=seed)
    return _judgeopt._evaluate(prompt, dataset, split, options)


def _optimize_options(kwargs):
    roles = {name: kwargs.pop(name) for name in ROLES}
    options = _model_options(kwargs.pop("llm"), roles, kwargs.pop("backend"),
                             kwargs.pop("model"), kwargs.pop("base_url"),
                             kwargs.pop("concurrency"), kwargs.pop("workspace"),
                             kwargs.pop("no_cache"), kwargs.pop("max_usd"),
                             kwargs.pop("max_calls"), kwargs.pop("data_dir"))
    options.update(kwargs)
    return options


def optimize(config=None, *, workspace=None, progress=None, force=False, dataset=None,
             algorithm=None, mode=None, gate=None, steps=None, batch_size=None, judge_mode=None,
             seed=None, llm=None, judge=None, loss=None, gradient=None, optimizer=None,
             diagnostic=None, backend=None, model=None, base_url=None, concurrency=None,
             no_cache=False, max_usd=None, max_calls=None, data_dir=None):
    """Optimizes the judge prompt (or continues the same run), as ``judgeopt optimize`` does.

    config: a config file path (TOML or JSON, configs/*.toml), a dict of the same shape, or
    None for the built-in defaults. The keyword settings override it: dataset, algorithm
    ('textgrad' or 'opro'), mode ('SSS', 'SSC', 'SCC', 'CCC', 'ST', 'SPC', 'MGDA', 'ROUTER'),
    gate ('none', 'mae', 'off_by_one', 'spearman'), steps, batch_size, judge_mode, seed.
    judge, loss, gradient, optimizer, diagnostic: Python functions
    ``(messages, params) -> str | dict`` that play those roles (docs/python.md); the others
    use the configured backend (the simulator by default). llm: the [llm] table (dict or config
    file) replacing the config's; backend, model, base_url, concurrency override every role.
    workspace: where the run store and response cache live ('.' by default). progress: a
    function called with a dict per stage and per step. max_usd, max_calls: a hard budget
    (also the config's [budget]); when the projected cost exceeds it, optimize() raises
    BudgetExceededError unless force=True. no_cache: neither read nor write the cache.

    Returns an OptimizeResult (run id, final prompt, the steps this call ran, the ledger).
    Rerunning the same call continues the run after its last stored step, paying nothing twice.
    Ctrl-C stops cleanly (completed steps stay stored) and raises KeyboardInterrupt; resume()
    continues.
    """
    kwargs = dict(locals())
    config = kwargs.pop("config")
    return _judgeopt._optimize(config, _optimize_options(kwargs))


def estimate(config=None, *, dataset=None, algorithm=None, mode=None, gate=None, steps=None,
             batch_size=None, judge_mode=None, seed=None, llm=None, judge=None, loss=None,
             gradient=None, optimizer=None, diagnostic=None, backend=None, model=None,
             base_url=None, concurrency=None, max_usd=None, max_calls=None, data_dir=None):
    """The projected calls, tokens and dollars of optimize() with the same arguments, before
    any call (``judgeopt estimate``). Returns an Estimate; ``print(estimate(...))`` shows the
    table, ``.exceeds_budget`` says whether optimize() would refuse to start."""
    kwargs = dict(locals())
    config = kwargs.pop("config")
    kwargs.update(workspace=None, no_cache=False)
    return _judgeopt._estimate(config, _optimize_options(kwargs))


def resume(run_id, *, workspace=None, progress=None, judge=None, loss=None, gradient=None,
           optimizer=None, diagnostic=None, concurrency=None, no_cache=False, max_usd=None,
           max_calls=None, data_dir=None):
    """Continues stored run `run_id` with the exact config it was started with
    (``judgeopt resume``). The functions of its python roles must be given again (judge=...,
    and so on); concurrency, the budget and the cache may differ. Returns an OptimizeResult."""
    options = _model_options(None, {"judge": judge, "loss": loss, "gradient": gradient,
                                    "optimizer": optimizer, "diagnostic": diagnostic},
                             None, None, None, concurrency, workspace, no_cache, max_usd,
                             max_calls, data_dir)
    options.update(progress=progress)
    return _judgeopt._resume(run_id, options)
