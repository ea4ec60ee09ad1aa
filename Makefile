# Stipple: the two commands of the README are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja
STIPPLE    := $(BUILD)/stipple

.PHONY: all deps build test unit asan demo bench fuzz schema examples format clean

all: build

deps:
	@bash tools/deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Release tests, then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test: unit asan

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTIPPLE_SANITIZE=ON -DSTIPPLE_BENCH=OFF

asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

demo: build
	$(STIPPLE) assess docs/examples/sample-client.intake.json --format text

bench: build
	$(BUILD)/assess_bench --benchmark_min_time=0.2

# Coverage-guided fuzzing of the intake reader with AFL++ (g++, instrumented by afl-as) under
# ASan+UBSan, seeded with docs/examples; 60 s by default. Findings land in
# build-fuzz/findings/default/crashes.
FUZZ_SECONDS ?= 60
fuzz: deps
	@bash tools/deps.sh afl++
	AFL_QUIET=1 CXX=afl-g++ cmake -S . -B build-fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTIPPLE_SANITIZE=ON -DSTIPPLE_FUZZ=ON -DSTIPPLE_BENCH=OFF
	AFL_QUIET=1 cmake --build build-fuzz -j $(JOBS) --target intake_fuzzer
	rm -rf build-fuzz/corpus && mkdir -p build-fuzz/corpus && cp docs/examples/*.intake.json build-fuzz/corpus/
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 \
	  afl-fuzz -V $(FUZZ_SECONDS) -m none -i build-fuzz/corpus -o build-fuzz/findings -- build-fuzz/intake_fuzzer
	@n=$$(ls build-fuzz/findings/default/crashes 2>/dev/null | grep -vc README); \
	  echo "fuzz: $$n crashing inputs"; test "$$n" -eq 0

# Regenerates docs/intake.schema.json from the intake reader's own field table.
schema: build
	$(STIPPLE) schema intake -o docs/intake.schema.json

# Regenerates the assessments and summaries shipped beside docs/examples/*.intake.json.
examples: build
	for f in docs/examples/*.intake.json; do \
	  stem=$${f%.intake.json}; \
	  $(STIPPLE) assess $$f -o $$stem.assessment.json && \
	  $(STIPPLE) assess $$f --format text -o $$stem.summary.txt || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
