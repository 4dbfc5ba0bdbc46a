#!/usr/bin/env bash
# A long campaign of one built libFuzzer target in plain (non-fork) mode, restarted after each crash until TOTAL
# executions are summed (fork mode re-reads the corpus per job and ran at about half the speed here). Build first:
# `cd fuzz && cargo +nightly fuzz build -O -a -s none --no-trace-compares`; seed with `bash fuzz/seed.sh`.
# Usage (from the repository root): bash fuzz/campaign.sh TARGET DICT MAX_LEN [TOTAL]
#   e.g. bash fuzz/campaign.sh merge toml 16384 10000000
# Each run's log: target/fuzz-campaign/TARGET.N.log; one summary line per run in target/fuzz-campaign/TARGET.runs.
# Crash inputs land in fuzz/artifacts/TARGET/ (see README: minimise, commit under regressions/, fix).
set -euo pipefail
cd "$(dirname "$0")/.."
t=$1 dict=$2 max_len=$3 total=${4:-10000000}
bin=fuzz/target/x86_64-unknown-linux-gnu/release/$t
[ -x "$bin" ] || { echo "campaign: $bin is missing: build the fuzz targets first" >&2; exit 2; }
logs=target/fuzz-campaign
mkdir -p "$logs" "fuzz/artifacts/$t"
done_=0 i=0 started=$(date +%s)
while [ "$done_" -lt "$total" ]; do
  i=$((i + 1))
  "$bin" "fuzz/corpus/$t" -runs=$((total - done_)) -dict="fuzz/dict/$dict.dict" -max_len="$max_len" -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$logs/$t.$i.log" 2>&1 && rc=0 || rc=$?
  n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$logs/$t.$i.log" | awk '{print $2}' | tail -n 1)
  [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$logs/$t.$i.log" | tail -n 1 | tr -d '#')
  [ -n "$n" ] || n=0
  done_=$((done_ + n))
  echo "run $i exit $rc: $n executions, $done_ in all, $(( $(date +%s) - started )) s" | tee -a "$logs/$t.runs"
  if [ "$n" -eq 0 ]; then echo "campaign: run $i executed nothing; see $logs/$t.$i.log" >&2; exit 1; fi
done
