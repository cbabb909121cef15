"""docs/python.md's walk-through runs as written: its ```python blocks are executed in order in
one namespace (in a fresh folder, matplotlib on the Agg backend), and each ```text block that
directly follows one must be exactly what that block printed. ```py blocks (examples that need
an API key) are not run.

When the library's numbers change on purpose (a new simulator rule), rewrite the outputs with
  PYTHONPATH=<build>/python python3 tests/python/test_docs.py --update
and read the diff: the page's prose must still say what the new numbers show.
"""

import contextlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "python.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


def run_blocks(text):
    """Runs the ```python blocks of `text`; returns [(match, printed, output match or None)]."""
    import matplotlib  # required: install-deps.sh test installs it
    matplotlib.use("Agg")
    found = list(FENCE.finditer(text))
    namespace, out = {}, []
    for i, m in enumerate(found):
        if m.group(1) != "python":
            continue
        follower = found[i + 1] if i + 1 < len(found) else None
        if follower is None or follower.group(1) != "text" or \
                text[m.end():follower.start()].strip():
            follower = None
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(m.group(2), f"{DOC.name}:{text.count(chr(10), 0, m.start()) + 2}",
                         "exec"), namespace)
        out.append((m, printed.getvalue(), follower))
    return out


def data_dir():
    """Where the walk-through finds SummEval from another folder: $JUDGEOPT_DATA, else the
    checkout's ../shared/data."""
    return os.environ.get("JUDGEOPT_DATA") or str(REPO.parent / "shared" / "data")


def test_the_walk_through_runs_and_prints_what_it_shows(summeval, tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGEOPT_DATA", data_dir())
    monkeypatch.chdir(tmp_path)
    results = run_blocks(DOC.read_text())
    assert len(results) >= 5
    for block, printed, follower in results:
        if follower is not None:
            assert printed == follower.group(2), (
                f"docs/python.md: the block\n{block.group(2)}printed\n{printed}\nnot what the page "
                f"shows (rewrite with `python3 tests/python/test_docs.py --update`)")
        else:
            assert printed == "", f"docs/python.md shows no output for\n{block.group(2)}"
    assert (tmp_path / "trajectory.png").stat().st_size > 1000


def update():
    """Rewrites every output block of docs/python.md with what its code prints now."""
    os.environ["JUDGEOPT_DATA"] = data_dir()
    text = DOC.read_text()
    with tempfile.TemporaryDirectory() as work:
        cwd = os.getcwd()
        os.chdir(work)
        try:
            results = run_blocks(text)
        finally:
            os.chdir(cwd)
    pieces, pos = [], 0
    for block, printed, follower in results:
        pieces.append(text[pos:block.end()])
        pos = follower.end() if follower is not None else block.end()
        if printed:
            pieces.append(f"\n```text\n{printed}```\n")
    pieces.append(text[pos:])
    DOC.write_text("".join(pieces))


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    update()
