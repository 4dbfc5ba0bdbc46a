# containerd-config-builder: one entry point for developers and CI (.ci/run = `make test`).
# Every target that builds runs scripts/setup.sh first; it is idempotent and takes seconds when all is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# npm's wasm-opt (binaryen 132) must win over any other wasm-opt on PATH; cargo-installed trunk and wasm-bindgen next.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: setup serve build-web dist test bench fuzz

setup:
	bash scripts/setup.sh

# Live-reloading release build of the web app on http://127.0.0.1:8080 (settings in Trunk.toml).
serve: setup
	trunk serve --release

# Static site in dist/ (relative asset paths: serve it from any folder).
build-web: setup
	trunk build --release

# The three ways the app ships (README "Deploying"), in $(DIST) (default dist/): the static site (relative asset
# paths: any host, any sub-path, no rebuild) and containerd-config-builder.html, one self-contained file for
# file:// with the network off. CCB_CANONICAL_URL=https://… sets where share links point (needed by the single
# file). trunk rewrites the folder, so every run starts from a fresh build (xtask is idempotent anyway).
# Ends with each file's size: raw, gzip -9, brotli -q 11.
DIST ?= dist
dist: setup
	trunk build --release --dist $(DIST)
	cargo run -q -p xtask -- postbuild $(DIST)
	@cd $(DIST) && printf '%-56s %9s %9s %9s\n' file raw gzip-9 brotli-11 && for f in *; do \
	  printf '%-56s %9d %9d %9d\n' "$$f" "$$(wc -c <"$$f")" "$$(gzip -9c "$$f" | wc -c)" "$$(brotli -c -q 11 "$$f" | wc -c)"; \
	done

# Host tests, the release build, the real-containerd test, then the web app in headless Chromium: component tests
# (tests/web_*.rs; runner in .cargo/config.toml; never add -q, the runner rejects --quiet) and end-to-end tests of
# dist/ (tests/e2e/, playwright-core + /usr/bin/chromium), which end with the line "N passed, M failed".
# The property tests draw the same cases on every run (a fixed proptest seed; set PROPTEST_RNG_SEED to another
# number to draw others): a submission's CI must not fail by chance on a case no earlier run drew. `cargo test`
# alone draws new cases each run, which is how new failures are found (then kept as tests of their own).
test: export PROPTEST_RNG_SEED ?= 20261203
test: setup
	cargo test
	# The core again as the page's wasm reads its Chinese texts (looked up in the zh text module's tables, not
	# compiled in): every golden and language test through that path.
	cargo test -p ccb-core --features zh-lookup
	trunk build --release
	cargo run -q -p xtask -- postbuild dist
	if [ -f tests/real-containerd/run.sh ]; then bash tests/real-containerd/run.sh; fi
	cargo test -p containerd-config-builder-web --target wasm32-unknown-unknown
	node tests/e2e/run.mjs

# Core render benchmarks (criterion), then the web app's budgets: download size, first preview, keystroke latency.
bench: setup
	cargo bench -p ccb-core
	trunk build --release
	# The site as it ships: its CSP and its prerendered first screen, which the first-preview line measures.
	cargo run -q -p xtask -- postbuild dist
	bash scripts/bench.sh

# Fuzz campaigns, by hand (never part of `make test`): FUZZ_RUNS executions of each cargo-fuzz target (nightly) on
# the seeds of fuzz/seed.sh, then FUZZ_CLI_RUNS runs of the CLI binary with random arguments (stable). Inputs that
# found bugs go into fuzz/regressions/<target>/, which `cargo test` replays on stable (fuzz_regressions.rs).
# Full campaign: make fuzz FUZZ_RUNS=10000000. See fuzz/README.md.
FUZZ_RUNS ?= 100000
FUZZ_CLI_RUNS ?= 2000
FUZZ_TARGETS ?= render merge share cli
FUZZ_FLAGS ?= -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
# Optimised, debug assertions and overflow checks on, no ASan (safe Rust). The recorded campaigns also passed
# --no-trace-compares (about twice the speed; the dictionaries supply the keywords) and, in FUZZ_FLAGS,
# -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 to keep going after a crash.
FUZZ_BUILD ?= -O -a -s none
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	bash fuzz/seed.sh
	for t in $(FUZZ_TARGETS); do \
	  case $$t in merge) dict=toml; len=16384 ;; cli) dict=json; len=16384 ;; *) dict=json; len=8192 ;; esac; \
	  cargo +nightly fuzz run $(FUZZ_BUILD) $$t fuzz/corpus/$$t -- -runs=$(FUZZ_RUNS) -max_len=$$len \
	    -dict=$(CURDIR)/fuzz/dict/$$dict.dict $(FUZZ_FLAGS); \
	done
	cargo build -q -p containerd-config-builder
	cargo run -q --release --manifest-path fuzz/cli-args/Cargo.toml -- target/debug/containerd-config-builder $(FUZZ_CLI_RUNS)
