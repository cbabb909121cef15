#!/usr/bin/env bash
# Installs the Debian packages judgeopt needs. Idempotent: prints nothing and touches nothing when
# everything is already present.
#
#   scripts/install-deps.sh run     what building and running the `judgeopt` executable needs
#   scripts/install-deps.sh python  that, plus what the Python module needs (`make python`,
#                                   `pip install .`): Python's headers and pybind11
#   scripts/install-deps.sh test    both, plus GoogleTest, Google Benchmark, the sqlite3 shell,
#                                   clang with libFuzzer (`make fuzz`), pytest, pandas and
#                                   matplotlib (tests/python) and the headless browser of the
#                                   report test (the default)
set -euo pipefail

SET="${1:-test}"
case "$SET" in
  run|python|test) ;;
  *) echo "install-deps: unknown set '$SET' (expected 'run', 'python' or 'test')" >&2; exit 2 ;;
esac

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  nlohmann-json3-dev libcurl4-openssl-dev libsqlite3-dev
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libcpp-httplib-dev
)
if [[ "$SET" != "run" ]]; then
  # The Python module (src/python, python/judgeopt): the interpreter's headers, pybind11, and
  # venv for `pip install .` into a virtual environment.
  PACKAGES+=(python3-dev pybind11-dev python3-venv)
fi
if [[ "$SET" == "test" ]]; then
  # The module's tests (tests/python): pytest, pandas for .to_pandas(), matplotlib for the
  # docs/python.md walk-through the tests execute.
  PACKAGES+=(python3-pytest python3-pandas python3-matplotlib)
  PACKAGES+=(sqlite3 libgtest-dev libgmock-dev googletest libbenchmark-dev)
  # clang with libFuzzer and its sanitizer runtimes for `make fuzz` (tests/fuzz); Debian 12 ships
  # libFuzzer in libclang-rt-14-dev, not in the clang package.
  PACKAGES+=(clang libclang-rt-14-dev)
  # The headless browser and a font for the report's browser test (tests/cpp/report/
  # report_browser_test.cc renders report.html with `chromium --headless`; it is skipped where
  # Chromium is absent). JUDGEOPT_NO_BROWSER=1 leaves them out.
  if [[ "${JUDGEOPT_NO_BROWSER:-0}" != "1" ]]; then
    PACKAGES+=(chromium fonts-dejavu-core)
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
