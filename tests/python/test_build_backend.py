"""The in-tree build backend of `pip install .` (python/build_backend/judgeopt_build.py): the
wheel it writes, and an install into a fresh virtual environment with no network."""

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import judgeopt
from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "python" / "build_backend"))
import judgeopt_build  # noqa: E402


def test_the_wheel_carries_the_files_with_a_record_of_their_hashes(tmp_path):
    files = {"judgeopt/__init__.py": b"x = 1\n", "judgeopt/_judgeopt.so": b"\0binary"}
    name = judgeopt_build.write_wheel(tmp_path, files, "cp311-cp311-linux_x86_64")
    version = judgeopt_build.project_version()
    assert name == f"judgeopt-{version}-cp311-cp311-linux_x86_64.whl"
    with zipfile.ZipFile(tmp_path / name) as wheel:
        names = wheel.namelist()
        info = f"judgeopt-{version}.dist-info"
        assert set(names) == set(files) | {f"{info}/{n}" for n in ("METADATA", "WHEEL", "RECORD")}
        record = wheel.read(f"{info}/RECORD").decode().splitlines()
        for line in record:
            path, digest, size = line.split(",")
            if path.endswith("RECORD"):
                assert digest == size == ""
                continue
            data = wheel.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode() and int(size) == len(data)
        assert "Tag: cp311-cp311-linux_x86_64" in wheel.read(f"{info}/WHEEL").decode()
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert f"Version: {judgeopt.__version__}" in metadata and "Name: judgeopt" in metadata


def test_the_wheel_tag_names_this_interpreter():
    impl = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert judgeopt_build.wheel_tag().startswith(f"{impl}-{impl}")


def test_a_package_without_its_extension_is_refused(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    with pytest.raises(RuntimeError, match="no built extension"):
        judgeopt_build.package_files(tmp_path)


def test_pip_installs_into_a_fresh_virtual_environment_offline(tmp_path, binary):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    built = Path(judgeopt.__file__).resolve().parent.parent  # <build>/python, being tested
    env = dict(os.environ, JUDGEOPT_WHEEL_FROM=str(built), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "."], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import judgeopt; print(judgeopt.version()); print(judgeopt.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    assert probe[0] == run_cli(binary, "--version").stdout.strip()
    assert probe[1].startswith(str(venv))
