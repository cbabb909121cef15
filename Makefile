# Thin wrapper over CMake. `make run` and `make test` work on a brand-new Debian machine.
#   make run     installs what the executable needs, builds only `judgeopt`, runs the main job
#   make test    installs the test tools too, builds everything, runs every test through ctest
#   make python  installs what the Python module needs and builds it (docs/python.md)
SANITIZE ?= 0
TSAN ?= 0
JOBS ?= $(shell nproc)
# TSAN=1: ThreadSanitizer build in build/tsan; `make test TSAN=1` runs the tests of the concurrent
# parts (TSAN_TESTS, a ctest regex) with halt_on_error, so a reported race fails the run; the
# suppressions in tests/tsan.supp name uninstrumented Debian libraries only. The study grid's
# calibration test (SimStudyGrid, a whole grid of simulated runs) matches "Grid" but holds no
# concurrency the grid tests do not; it is left out (TSAN_EXCLUDE).
TSAN_TESTS ?= WorkPool|ClientStack|FaultMatrix|RateLimiter|EndpointPool|ResponseCache|CachingClient|RunStore|Grid|SimServer|Progress|Budget|Tripwire|CircuitBreaker|CallTimes|Ledger|CurlTransport|Signal
TSAN_EXCLUDE ?= SimStudyGrid
# The Python module is built for Debian's interpreter, whose packages (pybind11, pytest, pandas)
# install-deps.sh installs; a python3 earlier on PATH (pyenv, conda) would lack them. Expanded
# when a recipe runs (after install-deps), and passed to CMake only where it exists.
PYTHON ?= /usr/bin/python3
PYTHON_FLAG = $(if $(wildcard $(PYTHON)),-DPython3_EXECUTABLE=$(PYTHON))
ifeq ($(SANITIZE),1)
  BUILD_DIR ?= build/asan
  BUILD_TYPE ?= RelWithDebInfo
  CMAKE_EXTRA := -DJUDGEOPT_SANITIZE=ON
  PYTHON_MODULE := OFF
else ifeq ($(TSAN),1)
  BUILD_DIR ?= build/tsan
  BUILD_TYPE ?= RelWithDebInfo
  CMAKE_EXTRA := -DJUDGEOPT_TSAN=ON
  TEST_ARGS := -R '$(TSAN_TESTS)' -E '$(TSAN_EXCLUDE)'
  export TSAN_OPTIONS := halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp
  # The signal tests stretch their server latency, signal delay and stop limit by this factor.
  export JUDGEOPT_TEST_TIME_SCALE ?= 4
  PYTHON_MODULE := OFF
else
  BUILD_DIR ?= build/release
  BUILD_TYPE ?= Release
  CMAKE_EXTRA :=
  # The sanitizer builds leave the module out (an instrumented module cannot be loaded by
  # python3); everywhere else `make test` requires it and runs its tests.
  PYTHON_MODULE := ON
endif
# A compiler cache speeds up rebuilds where one is installed (never required).
ifneq ($(shell command -v ccache 2>/dev/null),)
  CMAKE_EXTRA += -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
endif
CONFIGURE = cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
  $(PYTHON_FLAG) $(CMAKE_EXTRA)
RUN_ARGS ?= optimize --config configs/summeval-sim.toml --workspace judgeopt-out --out judgeopt-out/prompts

# libFuzzer targets (tests/fuzz) with ASan + UBSan, built by clang in their own directory, at -O1
# (half the compile time of -O2 on the CI's two cores, the usual level for fuzzing).
FUZZ_DIR ?= build/fuzz
FUZZ_SECONDS ?= 15

.PHONY: deps deps-run deps-python configure configure-run configure-python build build-run \
  run test python bench fuzz fuzz-run clean
deps:
	@bash scripts/install-deps.sh test

deps-run:
	@bash scripts/install-deps.sh run

deps-python:
	@bash scripts/install-deps.sh python

# The test suite and benchmarks are configured when their libraries are present (JUDGEOPT_TESTS_REQUIRED
# makes a missing GoogleTest an error for `make test`).
configure-run: deps-run
	@$(CONFIGURE) -DJUDGEOPT_TESTS_REQUIRED=OFF >/dev/null

configure: deps
	@$(CONFIGURE) -DJUDGEOPT_TESTS_REQUIRED=ON -DJUDGEOPT_PYTHON=$(PYTHON_MODULE) >/dev/null

configure-python: deps-python
	@$(CONFIGURE) -DJUDGEOPT_PYTHON=ON >/dev/null

build-run: configure-run
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target judgeopt

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build-run
	$(BUILD_DIR)/judgeopt $(RUN_ARGS)

# The package judgeopt in $(BUILD_DIR)/python: `PYTHONPATH=$(BUILD_DIR)/python python3`.
python: configure-python
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target judgeopt_python judgeopt
	@echo "judgeopt's Python module: PYTHONPATH=$(BUILD_DIR)/python $(PYTHON)"

test: build
	@bash scripts/run-tests.sh $(BUILD_DIR) $(JOBS) $(TEST_ARGS)

bench: build
	@bash bench/run_all.sh $(BUILD_DIR)

fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
	  -DCMAKE_CXX_FLAGS_FUZZ=-O1 \
	  -DJUDGEOPT_FUZZ=ON -DJUDGEOPT_BUILD_TESTS=OFF -DJUDGEOPT_BUILD_BENCH=OFF -DJUDGEOPT_PYTHON=OFF \
	  $(filter -DCMAKE_CXX_COMPILER_LAUNCHER=%,$(CMAKE_EXTRA)) >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz

# Runs each target for FUZZ_SECONDS (CI: 15 s each); a crash, hang, leak or sanitizer report fails.
fuzz-run: fuzz
	@bash scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf build
