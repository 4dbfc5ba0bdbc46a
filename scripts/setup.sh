#!/usr/bin/env bash
# Fresh-machine set-up for building and testing containerd-config-builder (Debian 12, as root).
# Idempotent: every step is skipped when what it installs is already there, so a rerun takes seconds.
# Reaches only crates.io, the npm registry and Debian's archive. Facts behind each choice:
# shared/reference/toolchain.md (§7 for this script, §2 for why trunk runs offline).
set -euo pipefail

TRUNK_VERSION=0.21.14         # trunk 0.22 needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.130  # must equal wasm-bindgen in Cargo.lock (pinned with = in Cargo.toml) and Trunk.toml
WASM_OPT_VERSION=132          # npm binaryen@132.0.0 (package-lock.json); Debian's binaryen 108 can't read our wasm
WASM_SPLIT_VERSION=0.2.2      # crates.io wasm_split_cli_support (its wasm_split_cli splits the page's module, build-lazy.sh)
PLAYWRIGHT_VERSION=1.65.1     # npm playwright-core (package-lock.json): e2e tests drive Debian's /usr/bin/chromium
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
cd "$(dirname "$0")/.."
# node_modules first: trunk must find npm's wasm-opt, not an older one elsewhere on PATH.
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"

now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
secs() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
T0=$(now_ms)
STEP_T0=$T0
step() { STEP_T0=$(now_ms); printf '==> [setup +%5ss] %s\n' "$(secs "$T0")" "$*"; }
done_() { printf '    %s (%ss)\n' "$*" "$(secs "$STEP_T0")"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

step "Debian packages: chromium chromium-driver brotli fonts-wqy-microhei"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v brotli >/dev/null 2>&1 || missing+=(brotli)
# A Chinese font (5 MB), so the e2e screenshots of the 简体中文 page show characters rather than empty boxes.
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  done_ "installed ${missing[*]}"
else
  done_ "present"
fi

step "rustup target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  done_ "present"
else
  rustup target add wasm32-unknown-unknown
  done_ "added"
fi

step "trunk $TRUNK_VERSION"
if "$CARGO_BIN/trunk" --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  done_ "present"
else
  cargo install --locked trunk --version "$TRUNK_VERSION"   # ~7 min on 2 cores
  done_ "installed"
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (wasm-bindgen, wasm-bindgen-test-runner)"
if "$CARGO_BIN/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION" \
  && "$CARGO_BIN/wasm-bindgen-test-runner" --version 2>/dev/null | grep -qx "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION"; then
  done_ "present"
else
  # Its published Cargo.lock pins a webpki-roots release the registry lacks: fall back to a fresh resolve.
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
    || cargo install --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"   # ~2.5 min
  done_ "installed"
fi

step "wasm_split_cli $WASM_SPLIT_VERSION (splits the page's wasm at src/sections/split.rs)"
# The tool prints no version of its own: cargo's list of installed crates says which one is there.
if [ -x "$CARGO_BIN/wasm_split_cli" ] && cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  done_ "present"
else
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary   # ~1.5 min
  done_ "installed"
fi

step "npm ci (binaryen $WASM_OPT_VERSION: wasm-opt; terser: release glue; playwright-core $PLAYWRIGHT_VERSION: e2e tests, no browser download)"
# Skip when node_modules was installed from this very lock file (npm writes its own copy), wasm-opt answers and
# playwright-core is the pinned one. playwright-core has no install script: it never downloads a browser.
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] \
  && node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "(version_$WASM_OPT_VERSION)" \
  && grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" node_modules/playwright-core/package.json 2>/dev/null \
  && [ -x node_modules/.bin/terser ]; then
  done_ "present"
else
  npm ci --no-audit --no-fund --loglevel=error
  done_ "installed"
fi

step "cargo fetch --locked (trunk builds offline)"
cargo fetch --locked
done_ "done"

printf '==> [setup +%5ss] ready: trunk %s, wasm-bindgen %s, wasm-opt %s\n' "$(secs "$T0")" \
  "$(trunk --version | cut -d' ' -f2)" "$(wasm-bindgen --version | cut -d' ' -f2)" \
  "$(wasm-opt --version | cut -d' ' -f3)"
