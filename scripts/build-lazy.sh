#!/usr/bin/env bash
# Builds the page's lazily loaded wasm modules into trunk's staging directory. Run by trunk (Trunk.toml
# [[hooks]], stage post_build: after trunk wrote index.html and the main module, before it moves the staging
# directory to dist/), so `trunk build` and `trunk serve` both produce them.
#
# Per module, as trunk does for the main one (trunk 0.21 src/pipelines/rust): `cargo build` for
# wasm32-unknown-unknown (release with TRUNK_PROFILE=release), `wasm-bindgen --target=web --no-typescript`, and in
# release `wasm-opt -Oz` (what `xtask split` also runs on the main module, whose own wasm-opt by trunk is off in
# index.html: trunk's output for it is replaced by the split one); the same pinned tools from PATH, nothing downloaded
# (cargo runs --offline, as trunk does with Trunk.toml's `offline = true`). Then:
#   - the files are named after a hash of their content: ccb-NAME-HASH.js and ccb-NAME-HASH_bg.wasm;
#   - the glue gets a last line that registers the module with the page (`globalThis.ccbLazy.NAME`: its `init`,
#     which fetches the wasm next to the glue, and its exports), which is how src/lazy.rs reaches it;
#   - index.html gets `<meta name="ccb-lazy-NAME" content="./ccb-NAME-HASH.js">`: the page's manifest of its lazy
#     modules (no extra request; src/lazy.rs, crates/xtask and scripts/bench.sh read it).
# A new lazy module is one more line in MODULES (and its crate in the workspace). Then the main module is split
# (`cargo run -p xtask -- split`: its forms after the first screen become a chunk of their own). Then, in release builds, the
# stylesheet and the main glue are minified (`cargo run -p xtask -- minify`). Last, the page's text modules (`cargo run -p xtask
# -- text-modules`: the Chinese texts and the split-off forms' English texts, see crates/xtask).
set -euo pipefail
cd "$(dirname "$0")/.."

STAGE="${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml [[hooks]]), or set TRUNK_STAGING_DIR to a built dist/}"
PROFILE="${TRUNK_PROFILE:-release}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
HTML="$STAGE/index.html"
[ -f "$HTML" ] || { echo "build-lazy: no $HTML (trunk writes it before post_build hooks)" >&2; exit 1; }

# name  crate  (the page loads a module by its name)
MODULES=(
  "tools ccb-web-tools"
)

release=()
[ "$PROFILE" = release ] && release=(--release)

for entry in "${MODULES[@]}"; do
  read -r name crate <<<"$entry"
  lib="${crate//-/_}"
  cargo build --target=wasm32-unknown-unknown -p "$crate" --offline "${release[@]}"
  out="$TARGET_DIR/lazy/$PROFILE/$name"
  rm -rf "$out"
  mkdir -p "$out"
  wasm-bindgen --target=web --out-dir="$out" --out-name="ccb-$name" --no-typescript \
    "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/$lib.wasm"
  if [ "$PROFILE" = release ]; then
    wasm-opt --output="$out/opt.wasm" -Oz "$out/ccb-${name}_bg.wasm"
    mv "$out/opt.wasm" "$out/ccb-${name}_bg.wasm"
  fi
  hash=$(cat "$out/ccb-$name.js" "$out/ccb-${name}_bg.wasm" | sha256sum | cut -c1-16)
  base="ccb-$name-$hash"
  exports=$(sed -n 's/^export function \([A-Za-z0-9_$]*\).*/\1/p' "$out/ccb-$name.js" | paste -sd, -)
  [ -n "$exports" ] || { echo "build-lazy: no exported function in the glue of $crate" >&2; exit 1; }
  cp "$out/ccb-${name}_bg.wasm" "$STAGE/${base}_bg.wasm"
  {
    cat "$out/ccb-$name.js"
    echo "// Added by scripts/build-lazy.sh: registers this module with the page (src/lazy.rs loads it on demand)."
    echo "(globalThis.ccbLazy ??= {})[\"$name\"] = { init: () => __wbg_init({ module_or_path: new URL(\"./${base}_bg.wasm\", import.meta.url) }), exports: { $exports } };"
  } >"$STAGE/$base.js"
  # One meta per module, replaced on a rebuild (trunk serve writes a fresh index.html, but be idempotent anyway).
  sed -i "/<meta name=\"ccb-lazy-$name\"/d" "$HTML"
  sed -i "s|</head>|<meta name=\"ccb-lazy-$name\" content=\"./$base.js\">\n</head>|" "$HTML"
  grep -q "name=\"ccb-lazy-$name\"" "$HTML" || { echo "build-lazy: could not add the ccb-lazy-$name meta to $HTML" >&2; exit 1; }
  echo "build-lazy: $base.js + ${base}_bg.wasm ($(wc -c <"$STAGE/${base}_bg.wasm") bytes, exports $exports)"
done

# The main module split at its #[wasm_split] points (src/sections/split.rs: the forms after the first screen), from
# cargo's own output for it (linked with relocations, see build.rs), replacing what trunk wrote; see crates/xtask.
cargo run -q --offline -p xtask -- split "$STAGE" "$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/containerd-config-builder-web.wasm" "$PROFILE"

# Release builds: the stylesheet and the main module's glue minified (their integrity in index.html rewritten),
# see crates/xtask.
if [ "$PROFILE" = release ]; then
  cargo run -q --offline -p xtask -- minify "$STAGE"
fi

# The page's text modules (no wasm), written from src/i18n by xtask, each with its own meta: the Chinese texts and
# the split-off forms' English texts.
cargo run -q --offline -p xtask -- text-modules "$STAGE"
