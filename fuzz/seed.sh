#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (git-ignored) with the seed inputs: examples, golden projects, real configs,
# share links made from the examples, and every committed regression input. Idempotent (files named by content).
set -euo pipefail
cd "$(dirname "$0")/.."
add() { # add TARGET FILE
  local dir="fuzz/corpus/$1"; mkdir -p "$dir"
  cp "$2" "$dir/seed-$(sha1sum "$2" | cut -c1-16)"
}
for t in render merge share cli import import_formats; do
  mkdir -p "fuzz/corpus/$t"
  for f in fuzz/regressions/"$t"/*; do [ -f "$f" ] && add "$t" "$f"; done
done
projects=(examples/*.json crates/core/tests/golden/*/project.json)
for f in "${projects[@]}"; do
  add render "$f"; add share "$f"; add cli "$f"
done
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for c in crates/core/tests/configs/*.toml crates/core/tests/golden/*/existing-config.toml; do
  [ -f "$c" ] || continue
  add merge "$c"
  # config.toml NUL project.json (merge), project.json NUL config.toml (cli --merge-into).
  for p in examples/0{1,4,6,7}*.json; do
    n="$(basename "$c" .toml)-$(basename "$p" .json)"
    { cat "$c"; printf '\0'; cat "$p"; } > "$tmp/m-$n"; add merge "$tmp/m-$n"
    { cat "$p"; printf '\0'; cat "$c"; } > "$tmp/c-$n"; add cli "$tmp/c-$n"
  done
done
# Share links (c1. plain and z1. deflated) of every example, as the web app makes them.
python3 - "$tmp" examples/*.json <<'PY'
import base64, json, sys, zlib
out = sys.argv[1]
for i, path in enumerate(sys.argv[2:]):
    doc = json.dumps({"v": 1, "lang": "zh-CN" if i % 2 else "en", "p": json.load(open(path))}, separators=(",", ":")).encode()
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    z = co.compress(doc) + co.flush()
    open(f"{out}/link-c1-{i}", "w").write("c1." + base64.urlsafe_b64encode(doc).decode().rstrip("="))
    open(f"{out}/link-z1-{i}", "w").write("#z1." + base64.urlsafe_b64encode(z).decode().rstrip("="))
PY
for f in "$tmp"/link-*; do add share "$f"; done
# The import_formats golden inputs, each behind the byte that picks its format (0 k3s, 1 Talos, 2 Docker).
for d in crates/core/tests/import_formats/*/; do
  for f in "$d"*; do
    [ -f "$f" ] && [ "$(basename "$f")" != assume ] || continue
    case "$(basename "$d")" in k3s-*|yaml-*) b='\000';; talos-*) b='\001';; *) b='\002';; esac
    { printf "$b"; cat "$f"; } > "$tmp/f-$(basename "$d")"; add import_formats "$tmp/f-$(basename "$d")"
  done
done
for t in render merge share cli import import_formats; do printf '%-7s %4d seed files\n' "$t" "$(ls "fuzz/corpus/$t" | wc -l)"; done
