#!/bin/bash
# bench-whatif.sh — what-if latency and forecasting 100,000 series
#
#   bench/bench-whatif.sh [BUILDDIR]     (default build/; THREADS=2, SERIES=100000)
#
# 1. 1,000 synthetic SKUs (tests/core/tc-synth.h: weekly, promotions,
#    prices, three categories; three years), a briefly trained model; a
#    change of plan that touches one SKU (a promotion over its whole
#    horizon): the full recomputation (tc_forecaster_scenario_full: the
#    baseline and the scenario of every series) against
#    tc_forecaster_scenario_update (the earlier baseline, the touched
#    series only), medians of 7, and their largest difference.
# 2. End to end: a model trained on 1,000 series with `trendcast-cli
#    train`, then `trendcast-cli forecast` of SERIES synthetic series (CSV
#    written by the bench, 80 weeks each): import, features, network,
#    safety net, CSV out.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:-build}"
threads="${THREADS:-2}"
series="${SERIES:-100000}"
cli="$build/src/cli/trendcast-cli"
[ -x "$cli" ] || { echo "bench-whatif.sh: build first: $cli not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2046
cc -O2 -std=gnu17 -I src/core -I "$build" bench/whatif_bench.c "$build/src/core/libtrendcast-core.a" \
  $(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0) -lopenblas -lm -o "$tmp/whatif_bench"

echo "load before: $(uptime)"
"$tmp/whatif_bench" whatif 1000 "$threads"

"$tmp/whatif_bench" csv 1000 80 "$tmp/train.csv"
"$cli" train "$tmp/train.csv" -o "$tmp/model.tcm" --horizon 13 --max-epochs 2 --steps-per-epoch 20 \
  --threads "$threads" -q >/dev/null
t0=$(date +%s.%N)
"$tmp/whatif_bench" csv "$series" 80 "$tmp/big.csv"
t1=$(date +%s.%N)
rows=$(($(wc -l <"$tmp/big.csv") - 1))
/usr/bin/time -f '%e s wall, %U s user, %M KB max RSS' "$cli" forecast -m "$tmp/model.tcm" "$tmp/big.csv" \
  -o "$tmp/big-forecast.csv" 2>"$tmp/time.txt" >/dev/null || { cat "$tmp/time.txt"; exit 1; }
out=$(($(wc -l <"$tmp/big-forecast.csv") - 1))
printf '{"series":%d,"rows_in":%d,"forecast_rows_out":%d,"csv_written_by_bench_s":%.1f,"forecast_end_to_end":"%s"}\n' \
  "$series" "$rows" "$out" "$(echo "$t1 - $t0" | bc -l)" "$(tail -n 1 "$tmp/time.txt")"
echo "load after: $(uptime)"
