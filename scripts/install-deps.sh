#!/usr/bin/env bash
# Installs the Debian packages judgeopt needs. Idempotent: prints nothing and touches nothing when
# everything is already present.
#
#   scripts/install-deps.sh run    what building and running the `judgeopt` executable needs
#   scripts/install-deps.sh test   that, plus GoogleTest, Google Benchmark, the sqlite3 shell,
#                                  clang with libFuzzer (`make fuzz`) and the headless browser of
#                                  the report test (the default)
set -euo pipefail

SET="${1:-test}"
case "$SET" in
  run|test) ;;
  *) echo "install-deps: unknown set '$SET' (expected 'run' or 'test')" >&2; exit 2 ;;
esac

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  nlohmann-json3-dev libcurl4-openssl-dev libsqlite3-dev
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libcpp-httplib-dev
)
if [[ "$SET" == "test" ]]; then
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
