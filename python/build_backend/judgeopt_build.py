"""judgeopt's PEP 517 build backend: `pip install .` without network access.

build_wheel configures and builds the CMake target judgeopt_python for the interpreter that
runs it (sys.executable) in build/pip (JUDGEOPT_PIP_BUILD_DIR overrides), then writes the
wheel itself: the package folder <build>/python/judgeopt plus METADATA, WHEEL and RECORD.
JUDGEOPT_WHEEL_FROM=<dir> packages <dir>/judgeopt as it is, without building (a `make python`
build; the test suite uses it to install into a fresh virtual environment quickly).
"""

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def project_version(root=ROOT):
    """The version of CMakeLists.txt's project(), the one `judgeopt --version` prints."""
    text = (root / "CMakeLists.txt").read_text()
    found = re.search(r"project\(\s*judgeopt\s+VERSION\s+([0-9][0-9.]*)", text)
    if not found:
        raise RuntimeError(f"no project(judgeopt VERSION x.y.z) in {root / 'CMakeLists.txt'}")
    return found.group(1)


def project_table(root=ROOT):
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def wheel_tag():
    """cpXY-cpXY-<platform> for the running interpreter (the extension is CPython-specific)."""
    impl = f"cp{sys.version_info.major}{sys.version_info.minor}"
    abi = impl + sys.abiflags
    platform = re.sub(r"[-.]", "_", sysconfig.get_platform())
    return f"{impl}-{abi}-{platform}"


def metadata_text(root=ROOT):
    project = project_table(root)
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}",
             f"Version: {project_version(root)}", f"Summary: {project.get('description', '')}",
             f"Requires-Python: {project.get('requires-python', '>=3')}"]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in requirements]
    return "\n".join(lines) + "\n"


def wheel_text(tag):
    return (f"Wheel-Version: 1.0\nGenerator: judgeopt_build {project_version()}\n"
            f"Root-Is-Purelib: false\nTag: {tag}\n")


def dist_info_name(root=ROOT):
    return f"{project_table(root)['name']}-{project_version(root)}.dist-info"


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def write_wheel(wheel_directory, files, tag, root=ROOT):
    """Writes a wheel of `files` ({archive name: bytes}) with its dist-info; returns its name."""
    project = project_table(root)
    name = f"{project['name']}-{project_version(root)}-{tag}.whl"
    dist_info = dist_info_name(root)
    entries = dict(files)
    entries[f"{dist_info}/METADATA"] = metadata_text(root).encode()
    entries[f"{dist_info}/WHEEL"] = wheel_text(tag).encode()
    record = [_record_line(a, d) for a, d in entries.items()] + [f"{dist_info}/RECORD,,"]
    entries[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = Path(wheel_directory) / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in entries.items():
            wheel.writestr(arcname, data)
    return name


def package_files(package_dir):
    """{judgeopt/<file>: bytes} for every file of a built package folder (no caches)."""
    package_dir = Path(package_dir)
    if not any(package_dir.glob("_judgeopt*.so")):
        raise RuntimeError(f"{package_dir} holds no built extension (_judgeopt*.so)")
    return {f"judgeopt/{p.relative_to(package_dir).as_posix()}": p.read_bytes()
            for p in sorted(package_dir.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _run(command):
    print("judgeopt_build:", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, check=True, stdout=sys.stderr)


def build_module():
    """Builds judgeopt_python with CMake for sys.executable; returns the package folder."""
    prebuilt = os.environ.get("JUDGEOPT_WHEEL_FROM")
    if prebuilt:
        return Path(prebuilt) / "judgeopt"
    build = Path(os.environ.get("JUDGEOPT_PIP_BUILD_DIR", ROOT / "build" / "pip"))
    configure = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                 "-DJUDGEOPT_PYTHON=ON", "-DJUDGEOPT_BUILD_TESTS=OFF",
                 "-DJUDGEOPT_BUILD_BENCH=OFF", f"-DPython3_EXECUTABLE={sys.executable}"]
    if shutil.which("ninja") and not (build / "CMakeCache.txt").exists():
        configure += ["-G", "Ninja"]
    if shutil.which("ccache"):
        configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    _run(configure)
    jobs = os.environ.get("JOBS", str(os.cpu_count() or 2))
    _run(["cmake", "--build", str(build), "--target", "judgeopt_python", "-j", jobs])
    return build / "python" / "judgeopt"


# The PEP 517 hooks.

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = Path(metadata_directory) / dist_info_name()
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(metadata_text())
    (dist_info / "WHEEL").write_text(wheel_text(wheel_tag()))
    return dist_info.name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return write_wheel(wheel_directory, package_files(build_module()), wheel_tag())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """A wheel holding judgeopt.pth, which puts the build's python folder on sys.path: the
    installed module follows later builds of the same folder (the C++ needs rebuilding)."""
    package_dir = build_module()
    pth = f"{package_dir.parent.resolve()}\n".encode()
    return write_wheel(wheel_directory, {"judgeopt.pth": pth}, wheel_tag())


def build_sdist(sdist_directory, config_settings=None):
    """The files git tracks, with PKG-INFO, as judgeopt-<version>.tar.gz."""
    base = f"judgeopt-{project_version()}"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                             capture_output=True).stdout.decode().split("\0")
    path = Path(sdist_directory) / f"{base}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name in filter(None, tracked):
            tar.add(ROOT / name, arcname=f"{base}/{name}", recursive=False)
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = metadata_text().encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path.name
