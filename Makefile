# Stipple: the two commands of the README are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja
STIPPLE    := $(BUILD)/stipple

.PHONY: gallery all deps build test unit web web-test asan demo demo-cli bench fuzz schema examples format clean

all: build

deps:
	@bash tools/deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Release tests, the web UI's unit and end-to-end tests (against the release build, on
# SQLite and PostgreSQL), then the C++ tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: unit web-test asan

unit: build
	@bash tools/test-photo.sh
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTIPPLE_SANITIZE=ON -DSTIPPLE_BENCH=OFF

asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@bash tools/test-photo.sh
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# The studio's browser UI into web/dist (npm ci from web/package-lock.json, the API types
# generated from this build's OpenAPI document, tsc, vite build).
web: build
	@bash tools/web.sh build $(STIPPLE)

web-test: web
	@bash tools/web.sh test $(STIPPLE)

# The studio with the demo clinic on SQLite, until Ctrl-C.
DEMO_DB     ?= sqlite:var/demo.db
DEMO_LISTEN ?= 127.0.0.1:8080
demo: web
	@mkdir -p var
	@$(STIPPLE) admin demo --db $(DEMO_DB) --data var/demo-data
	@echo "studio: http://$(DEMO_LISTEN)/ (sign in with a login above; Ctrl-C stops it)"
	@$(STIPPLE) serve --db $(DEMO_DB) --data var/demo-data --web web/dist --listen $(DEMO_LISTEN)

# The engine alone: the sample client's whole consultation into files.
DEMO ?= out/demo
demo-cli: build
	$(STIPPLE) demo -o $(DEMO)

# Benchmarks; the pattern engine is timed side by side with scipy and a Bridson sampler, the
# renderer with the naive OpenCV way of drawing the same dots, the studio's API under load
# on SQLite and on PostgreSQL.
bench: build
	@bash tools/deps.sh python3-scipy
	$(BUILD)/assess_bench --benchmark_min_time=0.2
	/usr/bin/python3 bench/compare.py $(BUILD)/pattern_bench
	/usr/bin/python3 bench/simulate_compare.py $(BUILD)/simulate_bench $(STIPPLE)
	$(BUILD)/studio_load --clients 10000 --seconds 10
	bash tools/pg-test.sh sh -c '$(BUILD)/studio_load --db "$$STIPPLE_TEST_POSTGRES_URL" --clients 10000 --seconds 10'
	$(BUILD)/recall_bench
	bash tools/pg-test.sh sh -c 'STIPPLE_RECALL_DB="$$STIPPLE_TEST_POSTGRES_URL" $(BUILD)/recall_bench'

# Coverage-guided fuzzing of the intake, design, photo and photo-region, clinic, price-list and care readers and the diary's RFC 3339 times with AFL++ (g++, instrumented by
# afl-as) under ASan+UBSan, seeded with docs/examples; 60 s each by default. Findings land in
# build-fuzz/findings-<target>/default/crashes.
FUZZ_SECONDS ?= 60
fuzz: build
	@bash tools/deps.sh afl++
	AFL_QUIET=1 CXX=afl-g++ cmake -S . -B build-fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTIPPLE_SANITIZE=ON -DSTIPPLE_FUZZ=ON -DSTIPPLE_BENCH=OFF
	AFL_QUIET=1 cmake --build build-fuzz -j $(JOBS) --target intake_fuzzer design_fuzzer photo_fuzzer plan_fuzzer time_fuzzer
	rm -rf build-fuzz/corpus-intake build-fuzz/corpus-design build-fuzz/corpus-photo build-fuzz/corpus-plan build-fuzz/corpus-time
	mkdir -p build-fuzz/corpus-intake build-fuzz/corpus-design build-fuzz/corpus-photo build-fuzz/corpus-plan build-fuzz/corpus-time
	cp fuzz/seeds/time.txt build-fuzz/corpus-time/
	cp docs/examples/*.intake.json build-fuzz/corpus-intake/
	cp docs/examples/*.design.json build-fuzz/corpus-design/
	cp fuzz/seeds/photo.region.json build-fuzz/corpus-photo/
	cp data/clinic/default.json data/pricing/default.json data/plan/care.json build-fuzz/corpus-plan/
	for e in png jpg; do \
	  $(STIPPLE) simulate docs/examples/minor.design.json --size 64x64 -o build-fuzz/corpus-photo/head.$$e || exit 1; \
	done
	for t in intake design photo plan time; do \
	  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 \
	    afl-fuzz -V $(FUZZ_SECONDS) -m none -t 5000+ -i build-fuzz/corpus-$$t -o build-fuzz/findings-$$t \
	    -- build-fuzz/$${t}_fuzzer || exit 1; \
	done
	@n=$$(find build-fuzz/findings-*/default/crashes -type f ! -name 'README*' | wc -l); \
	  echo "fuzz: $$n crashing inputs"; test "$$n" -eq 0

# Regenerates docs/intake.schema.json from the intake reader's own field table, and
# docs/schemas/*.schema.json (design from its reader's tables; region, clinic, pricing
# and care normalised from the files themselves, which the program embeds).
SCHEMAS := design rules region clinic pricing care
schema: build
	$(STIPPLE) schema intake -o docs/intake.schema.json
	for n in $(SCHEMAS); do $(STIPPLE) schema $$n -o docs/schemas/$$n.schema.json || exit 1; done

# Regenerates the assessments and summaries shipped beside docs/examples/*.intake.json.
examples: build
	for f in docs/examples/*.intake.json; do \
	  stem=$${f%.intake.json}; \
	  $(STIPPLE) assess $$f -o $$stem.assessment.json && \
	  $(STIPPLE) assess $$f --format text -o $$stem.summary.txt && \
	  $(STIPPLE) design new --from-intake $$f -o $$stem.design.json && \
	  $(STIPPLE) design measure $$stem.design.json -o $$stem.measure.json || exit 1; \
	done
	for v in top front left right back; do \
	  $(STIPPLE) design diagram docs/examples/sample-client.design.json --view $$v -o docs/images/sample-client.$$v.png || exit 1; \
	done
	for n in II III III-vertex IV V VI VII IIIa Va; do \
	  $(STIPPLE) design new --norwood $$n -o $(BUILD)/norwood-$$n.json && \
	  $(STIPPLE) design diagram $(BUILD)/norwood-$$n.json --view top --size 560x600 -o docs/images/norwood-$$n.top.png || exit 1; \
	done
	for g in I II III; do \
	  $(STIPPLE) design new --sex female --ludwig $$g -o $(BUILD)/ludwig-$$g.json && \
	  $(STIPPLE) design diagram $(BUILD)/ludwig-$$g.json --view top --size 560x600 -o docs/images/ludwig-$$g.top.png || exit 1; \
	done
	$(STIPPLE) design new --scar fut --scar fue --style scar_camouflage -o $(BUILD)/scars.json
	$(STIPPLE) design diagram $(BUILD)/scars.json --view back --size 700x700 -o docs/images/scars.back.png
	$(STIPPLE) design new --scar fut:7 --age 52 -o $(BUILD)/fut-7mm.json
	$(STIPPLE) design diagram $(BUILD)/fut-7mm.json --view back --size 700x700 -o docs/images/fut-7mm.back.png
	$(STIPPLE) design new --sex female --age 29 --patch crown:2:30 --patch occipital:0:25 --patch parietal_left:10:20 -o $(BUILD)/patches.json
	for v in top back; do \
	  $(STIPPLE) design diagram $(BUILD)/patches.json --view $$v --size 600x600 -o docs/images/patches.$$v.png || exit 1; \
	done
	for a in 30 61; do \
	  $(STIPPLE) design new --norwood $$( [ $$a = 30 ] && echo III || echo Va ) --age $$a -o $(BUILD)/hairline-age-$$a.json && \
	  $(STIPPLE) design diagram $(BUILD)/hairline-age-$$a.json --view front --size 560x520 -o docs/images/hairline-age-$$a.front.png || exit 1; \
	done
	for h in natural soft defined mature; do \
	  $(STIPPLE) design new --norwood IV --hairline $$h -o $(BUILD)/hairline-$$h.json && \
	  $(STIPPLE) design diagram $(BUILD)/hairline-$$h.json --view front --size 560x520 -o docs/images/hairline-$$h.front.png || exit 1; \
	done
	$(BUILD)/pattern_spectrum docs/images/pattern-spectrum.png
	$(BUILD)/pattern_units docs/images/pattern-units.png
	$(MAKE) gallery

# docs/simulate.md's gallery: before and healed for several heads, skins and hairs.
# Each row: name, view, then design new's options.
GALLERY = \
  "nw3-I-black three_quarter --norwood III --fitzpatrick 1 --hair-color black" \
  "nw5-III-brown top --norwood V --fitzpatrick 3 --hair-color brown" \
  "nw7-VI-black top --norwood VII --fitzpatrick 6 --hair-color black" \
  "nw5-I-grey top --norwood V --fitzpatrick 1 --hair-color grey" \
  "nw3-VI-grey three_quarter --norwood III --fitzpatrick 6 --hair-color grey --age 58" \
  "ludwig2-III-brown top --sex female --ludwig II --style density --fitzpatrick 3 --hair-color brown" \
  "fut-III-brown back --scar fut --style scar_camouflage --fitzpatrick 3 --hair-color brown"
gallery: build
	mkdir -p docs/images/gallery
	for row in $(GALLERY); do \
	  set -- $$row; name=$$1; view=$$2; shift 2; \
	  $(STIPPLE) design new "$$@" -o $(BUILD)/gallery-$$name.json && \
	  $(STIPPLE) pattern $(BUILD)/gallery-$$name.json -o $(BUILD)/gallery-$$name.dots.bin && \
	  for st in before healed; do \
	    $(STIPPLE) simulate $(BUILD)/gallery-$$name.json --dots $(BUILD)/gallery-$$name.dots.bin --view $$view --stage $$st \
	      --size 420x420 -o docs/images/gallery/$$name.$$st.jpg --meta $(BUILD)/gallery-$$name.$$st.meta.json || exit 1; \
	  done; \
	done
	for st in before healed; do \
	  $(STIPPLE) simulate $(BUILD)/gallery-ludwig2-III-brown.json --dots $(BUILD)/gallery-ludwig2-III-brown.dots.bin --view top --stage $$st \
	    --close-up 60 --size 420x420 -o docs/images/gallery/ludwig2-III-brown.close.$$st.jpg || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist web/node_modules
