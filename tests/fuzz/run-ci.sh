#!/bin/bash
# CI: build the libFuzzer harnesses with clang (ASan + UBSan + libFuzzer)
# and run each over its committed corpus (tests/fuzz/corpus/<harness>),
# then for a fixed number of new inputs.  No input may crash, hang,
# leak or trip a sanitizer.
#
#   tests/fuzz/run-ci.sh [RUNS]     RUNS inputs per harness (default: sized
#                                   per harness so that the three take about
#                                   90 s together on a 2-core machine)
#
# Exit status 0 when every harness passed, 1 otherwise; the last line is
# "fuzz: N passed, N failed" (one count per harness).  A failing input is
# written to $FUZZ_BUILD/fuzz-artifacts/<harness>/ and its report printed.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/fuzz/fuzz-build.sh

# Inputs per harness (import is the slowest: a file, a preview and an
# import per input).
declare -A RUNS=([import]=8000 [model]=20000 [plan]=20000 [project]=20000)
if [ $# -gt 0 ]; then
  for h in "${!RUNS[@]}"; do
    RUNS[$h]=$1
  done
fi
pass=0
fail=0

if ! fuzz_build; then
  echo "fuzz: build failed"
  echo "fuzz: 0 passed, ${#FUZZ_HARNESSES[@]} failed"
  exit 1
fi

for h in "${FUZZ_HARNESSES[@]}"; do
  # The new inputs go to a scratch directory, never into the committed corpus.
  work="$FUZZ_BUILD/fuzz-ci/$h"
  art="$FUZZ_BUILD/fuzz-artifacts/$h"
  rm -rf "$work"
  mkdir -p "$work" "$art"
  log="$FUZZ_BUILD/fuzz-ci/$h.log"
  start=$(date +%s)
  # -seed fixed: the same inputs on every CI run, so that a failure is
  # reproducible and not a matter of luck.
  dict=($(fuzz_dict "$h"))
  "$FUZZ_BUILD/tests/fuzz/fuzz-$h" -runs="${RUNS[$h]}" -seed=1 -timeout=20 -rss_limit_mb=2048 \
    -max_len=16384 "${dict[@]}" -artifact_prefix="$art/" -print_final_stats=1 \
    "$work" "tests/fuzz/corpus/$h" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ $rc -eq 0 ]; then
    echo "fuzz-$h: PASS (${execs:-?} inputs in $(($(date +%s) - start)) s)"
    pass=$((pass + 1))
  else
    echo "fuzz-$h: FAIL (exit $rc); the report:"
    grep -E -A25 '^==[0-9]+==ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -60
    fail=$((fail + 1))
  fi
done

echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
