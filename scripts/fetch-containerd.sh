#!/usr/bin/env bash
# Fetch a containerd build from a Debian suite (2.1.x from *unstable* unless told otherwise) into a private
# cache, once, without touching the system's apt setup and without installing anything system-wide (docs: shared
# toolchain notes §11).
#
#   scripts/fetch-containerd.sh                  # 2.1.9 from unstable; prints the directory that holds usr/bin
#   scripts/fetch-containerd.sh trixie 1.7.24    # another suite and pin
#   CCB_CONTAINERD2_VERSION=2.1.9 scripts/fetch-containerd.sh
#
# How: a private apt configuration (own sources.list, lists and cache dirs) whose only source is
# `<archive URI> <suite> main`, the URI being the one already configured for this machine's Debian archive
# (never a hard-coded host); `apt-get update`, `apt-get download containerd=<version>`, `dpkg-deb -x`.
#
# The last line on stdout is the cache directory (…/ccb/containerd-<upstream version>); its `usr/bin` holds
# the binaries. Everything else goes to stderr.
set -euo pipefail

# The suite and the pin: upstream containerd version wanted from it. If the suite no longer offers the pin, the
# newest patch of the same line that it offers is taken instead (and said so).
SUITE="${1:-unstable}"
PIN="${2:-${CCB_CONTAINERD2_VERSION:-2.1.9}}"
case "$SUITE" in *[!a-z0-9-]*|"") echo "fetch-containerd: bad suite name: $SUITE" >&2; exit 1 ;; esac
LINE="${PIN%.*}"                       # 2.1
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/ccb"

log() { printf 'fetch-containerd: %s\n' "$*" >&2; }

have_bins() { [ -x "$1/usr/bin/containerd" ] && [ -x "$1/usr/bin/ctr" ]; }

if have_bins "$CACHE_ROOT/containerd-$PIN"; then
    log "cached: $CACHE_ROOT/containerd-$PIN"
    echo "$CACHE_ROOT/containerd-$PIN"
    exit 0
fi

# A previous run may have had to fall back to another 2.1.x; reuse it rather than asking the archive again
# only if the archive cannot be reached (see below).
cached_fallback() {
    local d
    for d in $(ls -d "$CACHE_ROOT"/containerd-"$LINE".* 2>/dev/null | sort -V -r); do
        if have_bins "$d"; then echo "$d"; return 0; fi
    done
    return 1
}

# --- archive URI from the existing apt configuration -------------------------------------------------------
archive_uri() {
    local f uri
    # deb822 .sources files: the URIs of a stanza whose Suites are not a -security suite
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk '
            BEGIN { RS=""; FS="\n" }
            {
                uris=""; suites=""; types=""
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^[ \t]*#/) continue
                    if ($i ~ /^URIs:/)   { sub(/^URIs:[ \t]*/, "", $i); uris=$i }
                    if ($i ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", $i); suites=$i }
                    if ($i ~ /^Types:/)  { sub(/^Types:[ \t]*/, "", $i); types=$i }
                }
                if (types ~ /(^| )deb( |$)/ && uris != "" && suites !~ /-security/ && uris !~ /security/) {
                    split(uris, u, /[ \t]+/); print u[1]; exit
                }
            }' "$f")
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    # one-line format
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        uri=$(awk '
            /^[ \t]*deb[ \t]/ {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i+1) ~ /-security/ || $i ~ /security/) next
                print $i; exit
            }' "$f")
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    return 1
}

URI=$(archive_uri) || { log "no Debian archive URI found in /etc/apt"; cached_fallback && exit 0; exit 1; }
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$KEYRING" ] || { log "missing $KEYRING"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ccb-fetch-containerd.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/none" "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/deb"
chmod 755 "$WORK"   # apt-get download drops to the _apt user, which must be able to write the .deb
if id _apt >/dev/null 2>&1; then chown _apt "$WORK/deb"; fi
echo "deb [signed-by=$KEYRING] $URI $SUITE main" > "$WORK/sources.list"
APT_OPTS=(
    -o "Dir::Etc::SourceList=$WORK/sources.list"
    -o "Dir::Etc::SourceParts=$WORK/none"
    -o "Dir::State::Lists=$WORK/lists"
    -o "Dir::Cache=$WORK/cache"
    -o "Dir::Etc::Preferences=$WORK/none/preferences"
    -o "Dir::Etc::PreferencesParts=$WORK/none"
    -o "APT::Get::List-Cleanup=false"
)
log "apt-get update (private lists, source: $URI $SUITE main)"
if ! apt-get -q "${APT_OPTS[@]}" update >"$WORK/update.log" 2>&1; then
    cat "$WORK/update.log" >&2
    log "apt-get update failed"
    cached_fallback && exit 0
    exit 1
fi

# Debian versions of containerd in the suite, e.g. "2.1.9~ds1-2".
mapfile -t OFFERED < <(apt-cache "${APT_OPTS[@]}" madison containerd 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}')
log "$SUITE offers containerd: ${OFFERED[*]:-(none)}"
pick() {
    local want="$1" v
    for v in "${OFFERED[@]}"; do
        case "$v" in "$want"~*|"$want"-*|"$want"+*) echo "$v"; return 0 ;; esac
    done
    return 1
}
DEBVER=$(pick "$PIN") || DEBVER=""
UPSTREAM="$PIN"
if [ -z "$DEBVER" ]; then
    # newest patch of the line on offer
    DEBVER=$(printf '%s\n' "${OFFERED[@]}" | grep -E "^(1:)?${LINE//./\\.}\." | sort -V -r | head -n1 || true)
    if [ -z "$DEBVER" ]; then
        log "$SUITE offers no containerd $LINE.x (pin was $PIN)"
        cached_fallback && exit 0
        exit 1
    fi
    UPSTREAM=$(echo "$DEBVER" | sed -E 's/^[0-9]+://; s/[~+-].*$//')
    log "pinned $PIN is gone from $SUITE; using $DEBVER (containerd $UPSTREAM) instead"
    if have_bins "$CACHE_ROOT/containerd-$UPSTREAM"; then
        echo "$CACHE_ROOT/containerd-$UPSTREAM"
        exit 0
    fi
fi

log "apt-get download containerd=$DEBVER"
(cd "$WORK/deb" && apt-get -q "${APT_OPTS[@]}" download "containerd=$DEBVER" >&2)
DEB=$(ls "$WORK"/deb/containerd_*.deb | head -n1)
DEST="$CACHE_ROOT/containerd-$UPSTREAM"
mkdir -p "$CACHE_ROOT"
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
dpkg-deb -x "$DEB" "$DEST.tmp"
cp "$DEB" "$DEST.tmp/"
have_bins "$DEST.tmp" || { log "the .deb holds no usr/bin/containerd + ctr"; exit 1; }
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
log "containerd $UPSTREAM ($DEBVER) extracted to $DEST: $("$DEST/usr/bin/containerd" --version)"
echo "$DEST"
