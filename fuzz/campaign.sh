#!/usr/bin/env bash
# A fuzzing session on one target, recorded in fuzz/campaign.tsv.
#
#   fuzz/campaign.sh TARGET SECONDS [WORKDIR]     build, run, record
#   fuzz/campaign.sh record TARGET SECONDS LOG    record a run made by hand (its log)
#   fuzz/campaign.sh totals                       campaign.tsv summed per target (markdown)
#
# FUZZ_ARGS adds libFuzzer flags, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to go on after a
# finding (diff_python: every difference is kept in the artifacts folder).
#
# The run starts from the committed corpus (fuzz/corpus/TARGET, read only) and a working
# corpus in WORKDIR/TARGET (default /tmp/pylayout-fuzz), where new inputs go; crashes, leaks
# and timeouts are written to WORKDIR/artifacts. The binary is copied first, so a rebuild
# during the run does not disturb it. Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

record() { # TARGET SECONDS LOG
  local target=$1 secs=$2 log=$3
  local execs cov ft corp found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ -z "$execs" ]; then # killed before the final stats: the last status line
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  # Findings: the inputs written out (a plain run stops at its first); fork mode counts them
  # in its status lines instead ("oom/timeout/crash: A/B/C").
  found=$(grep -c 'Test unit written to' "$log" || true)
  if [ "$found" = 0 ]; then
    found=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1 |
      awk -F'[ /]' '{print $2 + $3 + $4}')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$target" "$secs" "${execs:-0}" \
    "${cov:-0}" "${ft:-0}" "${corp:-0}" "$found" >> "$here/campaign.tsv"
  tail -1 "$here/campaign.tsv"
}

if [ "${1:-}" = totals ]; then
  awk -F'\t' 'NR > 1 {
      t = $2; runs[t]++; secs[t] += $3; execs[t] += $4; found[t] += $8
      if ($5 > cov[t]) cov[t] = $5
      if (!(t in order)) { order[t] = ++n; names[n] = t }
      all_secs += $3; all_execs += $4; all_found += $8
    }
    END {
      print "| target | runs | hours | executions | coverage (edges, best run) | findings |"
      print "|---|---:|---:|---:|---:|---:|"
      for (i = 1; i <= n; i++) { t = names[i]
        printf "| `%s` | %d | %.2f | %d | %d | %d |\n", t, runs[t], secs[t] / 3600, execs[t], cov[t], found[t] }
      printf "| all | | %.2f | %d | | %d |\n", all_secs / 3600, all_execs, all_found
    }' "$here/campaign.tsv"
  exit 0
fi

if [ "${1:-}" = record ]; then
  record "$2" "$3" "$4"
  exit 0
fi

target=${1:?usage: campaign.sh TARGET SECONDS [WORKDIR]}
secs=${2:?usage: campaign.sh TARGET SECONDS [WORKDIR]}
work=${3:-/tmp/pylayout-fuzz}
mkdir -p "$work/$target" "$work/artifacts" "$work/bin" "$work/logs"
(cd "$here" && cargo +nightly fuzz build "$target")
bin="$work/bin/$target.$(date +%s)"
cp "$here/target/x86_64-unknown-linux-gnu/release/$target" "$bin"
log="$work/logs/$target.$(date +%s).log"
# -max_len: scripts up to 4 KiB; -len_control=0: use that length from the start (the
# structured target needs long inputs to build long programs). -timeout: a hang is a finding.
"$bin" "$work/$target" "$here/corpus/$target" -dict="$here/dict/python.dict" \
  -max_total_time="$secs" -max_len=4096 -len_control=0 -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" ${FUZZ_ARGS:-} > "$log" 2>&1 || true
# The time it really ran: a finding stops the run early.
record "$target" "$(( $(date +%s) - $(stat -c %Y "$bin") ))" "$log"
