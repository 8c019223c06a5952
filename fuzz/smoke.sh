#!/usr/bin/env bash
# CI's fuzz smoke run: build every target, run each for SECONDS (default 60) from the
# committed corpus, and fail on the first finding (a crash, a sanitizer report, a leak, a
# timeout or running out of memory). New inputs go to a scratch folder, never into the
# committed corpus. The long runs are fuzz/campaign.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-60}
targets=(run_source run_structured layout_expr alloc_ops containers_ops)
(cd "$here" && cargo +nightly fuzz build)  # release, with debug assertions (the invariants)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  echo "-- $t: ${secs}s"
  if ! "$here/target/x86_64-unknown-linux-gnu/release/$t" "$scratch/$t" "$here/corpus/$t" \
      -dict="$here/dict/python.dict" -max_total_time="$secs" -max_len=4096 -len_control=0 \
      -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$scratch/" \
      > "$scratch/$t.log" 2>&1; then
    tail -n 60 "$scratch/$t.log"
    for a in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-*; do
      [ -e "$a" ] && { echo "finding: $(basename "$a"), base64:"; base64 -w0 "$a"; echo; }
    done
    echo "fuzz smoke: $t found something (above); fix it, then add the input to fuzz/corpus/$t and a test"
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+ +DONE' "$scratch/$t.log" | tr '\n' ' '
  echo
done
echo "fuzz smoke: no findings"
