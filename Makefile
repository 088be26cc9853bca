# Thin wrapper over CMake: `make demo` and `make test` are the whole quick start.
BUILD   ?= build
ASAN    ?= build-asan
FUZZDIR ?= build-fuzz
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all bootstrap build demo test asan-test fuzz bench install format clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory -s

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same tests under AddressSanitizer and UBSan (what CI runs after `make test`).
asan-test: bootstrap
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DFK_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS) -- --no-print-directory -s
	@cd $(ASAN) && ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (clang); FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 10
fuzz: bootstrap
	@CC=clang cmake -S . -B $(FUZZDIR) -DCMAKE_BUILD_TYPE=Debug -DFK_FUZZ=ON >/dev/null
	@cmake --build $(FUZZDIR) -j$(JOBS) -- --no-print-directory -s
	@scripts/fuzz $(FUZZDIR) $(FUZZ_SECONDS)

demo: build
	@scripts/demo $(BUILD)

# Import, tracing, quarantine sites, risk areas, the tick, detection, the briefing, the scan,
# then the API's entrance checks and feeds (bench/*/run; each caches its input under $(BUILD)).
bench: build
	@bench/import/run $(BUILD)
	@bench/trace/run $(BUILD)
	@bench/sites/run $(BUILD)
	@bench/areas/run $(BUILD)
	@bench/tick/run $(BUILD)
	@bench/detect/run $(BUILD)
	@bench/briefing/run $(BUILD)
	@bench/scan/run $(BUILD)
	@bench/entrance/run $(BUILD)
	@bench/feeds/run $(BUILD)

install: build
	@cmake --install $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	@rm -rf $(BUILD) $(ASAN) $(FUZZDIR)
