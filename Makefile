# Thin wrapper over CMake. `make run` and `make test` work on a brand-new Debian machine.
SANITIZE ?= 0
JOBS ?= $(shell nproc)
ifeq ($(SANITIZE),1)
  BUILD_DIR ?= build/asan
  BUILD_TYPE ?= RelWithDebInfo
  CMAKE_EXTRA := -DJUDGEOPT_SANITIZE=ON
else
  BUILD_DIR ?= build/release
  BUILD_TYPE ?= Release
  CMAKE_EXTRA :=
endif
RUN_ARGS ?= optimize --config configs/summeval-sim.toml --workspace judgeopt-out --out judgeopt-out/prompts

.PHONY: deps configure build run test bench clean
deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_EXTRA) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/judgeopt $(RUN_ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run_all.sh $(BUILD_DIR)

clean:
	rm -rf build
