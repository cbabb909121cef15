"""The module itself: its version is the executable's, it imports with a clear error where the
extension was not built, every public name has a docstring and a stub, errors map to classes."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import judgeopt
from conftest import REPO, run_cli

STUB = REPO / "python" / "judgeopt" / "__init__.pyi"


def test_version_equals_the_executables(binary):
    printed = run_cli(binary, "--version").stdout.strip()
    assert judgeopt.version() == printed
    assert printed.startswith(judgeopt.__version__ + " (")
    assert judgeopt.__version__.count(".") == 2


def test_the_package_without_its_extension_says_how_to_build_it(tmp_path):
    shutil.copytree(REPO / "python" / "judgeopt", tmp_path / "judgeopt",
                    ignore=shutil.ignore_patterns("_judgeopt*", "__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "import judgeopt"], env=env, cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "ImportError" in done.stderr
    assert "extension (judgeopt._judgeopt) is not built" in done.stderr
    assert "make python" in done.stderr and "pip install ." in done.stderr


def stub_names():
    tree = ast.parse(STUB.read_text())
    names, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names, members


def test_every_public_name_has_a_stub_and_a_docstring():
    names, members = stub_names()
    assert set(judgeopt.__all__) <= names, set(judgeopt.__all__) - names
    for name in judgeopt.__all__:
        obj = getattr(judgeopt, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
        if isinstance(obj, type) and not issubclass(obj, BaseException):
            public = {m for m in dir(obj) if not m.startswith("_")}
            assert public <= members.get(name, set()), (name, public - members.get(name, set()))
            for m in public:
                assert (getattr(obj, m).__doc__ or "").strip(), f"{name}.{m} has no docstring"


def test_library_errors_are_python_exceptions_with_the_clis_message(binary, tmp_path):
    with pytest.raises(judgeopt.Error) as raised:
        judgeopt.load_dataset("no-such-dataset")
    cli = run_cli(binary, "eval", "--dataset", "no-such-dataset", cwd=tmp_path, check=False)
    assert cli.returncode == 1
    assert cli.stderr.strip() == f"judgeopt eval: error: {raised.value}"
    assert raised.value.code in ("not found", "invalid argument")


def test_error_classes_derive_from_error_and_the_matching_builtin():
    assert issubclass(judgeopt.InvalidArgumentError, judgeopt.Error)
    assert issubclass(judgeopt.InvalidArgumentError, ValueError)
    assert issubclass(judgeopt.NotFoundError, LookupError)
    assert issubclass(judgeopt.RequestTimeoutError, TimeoutError)
    assert judgeopt.BudgetExceededError.code == "budget exceeded"
