#!/bin/bash
# Runs every fuzz harness for longer than CI does.
#
#   bench/fuzz.sh [SECONDS] [HARNESS…]    default: 300 s each, all harnesses
#
# New interesting inputs accumulate in build-fuzz/fuzz-work/<harness>
# (kept between runs, not committed); crashes go to
# build-fuzz/fuzz-artifacts/<harness>/.  To keep a crasher: minimise it
# (fuzz-<harness> -minimize_crash=1 -runs=10000 FILE), fix the bug, and
# commit it as tests/fuzz/corpus/<harness>/crash-<what>: the core test
# test-fuzz-regress replays every corpus file.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/fuzz/fuzz-build.sh

SECS=${1:-300}
shift || true
[ $# -gt 0 ] && FUZZ_HARNESSES=("$@")
fuzz_build || exit 1

status=0
for h in "${FUZZ_HARNESSES[@]}"; do
  work="$FUZZ_BUILD/fuzz-work/$h"
  art="$FUZZ_BUILD/fuzz-artifacts/$h"
  mkdir -p "$work" "$art"
  log="$FUZZ_BUILD/fuzz-work/$h.log"
  before=$(ls "$art" | wc -l)
  dict=($(fuzz_dict "$h"))
  nice "$FUZZ_BUILD/tests/fuzz/fuzz-$h" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 "${dict[@]}" -artifact_prefix="$art/" -print_final_stats=1 \
    "$work" "tests/fuzz/corpus/$h" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'cov: [0-9]*')
  found=$(($(ls "$art" | wc -l) - before))
  echo "fuzz-$h: exit $rc, ${execs:-?} executions in ${SECS} s, ${cov:-cov: ?}, $found new artifacts"
  [ $rc -ne 0 ] && status=1
done
exit $status
