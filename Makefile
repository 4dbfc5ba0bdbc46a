# containerd-config-builder: one entry point for developers and CI (.ci/run = `make test`).
# Every target that builds runs scripts/setup.sh first; it is idempotent and takes seconds when all is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# npm's wasm-opt (binaryen 132) must win over any other wasm-opt on PATH; cargo-installed trunk and wasm-bindgen next.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: setup serve build-web test bench

setup:
	bash scripts/setup.sh

# Live-reloading release build of the web app on http://127.0.0.1:8080 (settings in Trunk.toml).
serve: setup
	trunk serve --release

# Static site in dist/ (relative asset paths: serve it from any folder).
build-web: setup
	trunk build --release

test: setup
	cargo test
	trunk build --release
	if [ -f tests/real-containerd/run.sh ]; then bash tests/real-containerd/run.sh; fi

bench:
	cargo bench -p ccb-core
