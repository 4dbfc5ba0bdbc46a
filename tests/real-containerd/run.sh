#!/usr/bin/env bash
# Real-containerd end-to-end test: render every scenario in scenarios/ with the project's CLI and pull through
# the bundle with real containerd (Debian 12's 1.6.20, 1.7.24 fetched from Debian 13 "trixie" and a 2.1.x fetched
# from Debian unstable), each run isolated in
# its own mount/net/pid namespace with local registries on 127.77.0.N; every pull is compared with the CLI's
# `explain --json` for that image and release. See README.md.
#
#   bash tests/real-containerd/run.sh                 # everything (called by `make test`)
#   bash tests/real-containerd/run.sh --only b -v     # scenarios whose name starts with "b", with request logs
#   bash tests/real-containerd/run.sh --keep          # keep the work dir (bundles, logs) even when all pass
#   bash tests/real-containerd/run.sh --no-self-checks
#
# Needs root (unshare, mount, ports 80/443 inside the namespace). Exits non-zero on any failure; the last line
# is always "N passed, M failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STARTED=$(date +%s.%N)
PY=/usr/bin/python3   # Debian's python: python3-grpcio is installed for it

die() {
    echo "real-containerd: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root (unshare --mount --net --pid, tmpfs and bind mounts, ports 80/443)"

# 1. prerequisites (idempotent: only what is missing is installed)
PKGS=(containerd docker-registry apache2-utils openssl python3-grpcio iproute2 util-linux)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "real-containerd: installing ${missing[*]}"
    apt-get update -q >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
fi
for t in unshare mount ip docker-registry htpasswd openssl containerd ctr; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
"$PY" -c 'import grpc' 2>/dev/null || die "$PY cannot import grpc (python3-grpcio)"

# 2. containerd 1.7.24 from Debian trixie and 2.1.x from Debian unstable, each fetched once into the cache (a
#    cached copy is used without asking the archive; the 2.1 pin lives in that script). 1.7.24 predates 1.7.32,
#    so it still rejects a hosts.toml without [host] tables: the 1.7 gates run on a real 1.7.
CD17=$(bash "$REPO/scripts/fetch-containerd.sh" trixie 1.7.24) \
    || die "could not fetch containerd 1.7.24 from trixie (scripts/fetch-containerd.sh trixie 1.7.24)"
CD2=$(bash "$REPO/scripts/fetch-containerd.sh") || die "could not fetch containerd 2.1.x (scripts/fetch-containerd.sh)"
CONTAINERDS=(/usr/bin "$CD17/usr/bin" "$CD2/usr/bin")
for d in "${CONTAINERDS[@]}"; do
    echo "using $("$d/containerd" --version | sed 's/ *$//') ($d)"
done

# 3. build the CLI once, so that the per-scenario `cargo run -q` only runs it; explain (a few calls per pull) runs
#    the binary itself
if ! (cd "$REPO" && cargo build -q -p containerd-config-builder); then
    echo "real-containerd: cargo build -p containerd-config-builder failed; every render will fail" >&2
fi
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
CLI="$TARGET_DIR/debug/containerd-config-builder"

# 4. scenarios × containerd versions
args=()
[ -x "$CLI" ] && args+=(--cli "$CLI")
for d in "${CONTAINERDS[@]}"; do args+=(--containerd "$d"); done
if [ -n "${CCB_E2E_PREBUILT:-}" ]; then args+=(--prebuilt "$CCB_E2E_PREBUILT"); fi   # development only
exec "$PY" "$HERE/driver.py" run --repo "$REPO" --started "$STARTED" "${args[@]}" "$@"
