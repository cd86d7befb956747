#!/bin/sh
# The levers on the synthetic online store against its true effects
# (data/samples/README.md), over several training seeds.  Run from the
# source tree after building:
#   bench/levers.sh [BUILD_DIR] [extra train flags…]
# Seeds: TC_SEEDS ("1 2 3").  Writes a markdown table to stdout and
# keeps the models and CSVs in TC_BENCH_OUT (a temporary directory).
#
# Truth: promo multiplies demand by 1.35; price has elasticity −1.8 on
# price / base price, so a 10 % lower price (with or without the discount
# column following it) multiplies demand by 0.9^−1.8 = 1.2088.  A lever
# passes when its estimate is within ±30 % of the true uplift.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
cli=$build/src/cli/trendcast-cli
out=${TC_BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
seeds=${TC_SEEDS:-1 2 3}
data=$here/../data/samples/online-store.csv
future=$here/../data/samples/online-store-future.csv

printf '| seed | lever | change | estimate %% | range %% | truth %% | ratio | ±30 %% |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for seed in $seeds; do
  "$cli" train -q --seed="$seed" "$@" "$data" -o "$out/store-$seed.tcm" >"$out/train-$seed.log" 2>&1
  "$cli" levers -m "$out/store-$seed.tcm" "$data" --future "$future" -o "$out/levers-$seed.csv" 2>"$out/levers-$seed.txt"
  awk -F, -v seed="$seed" '
    NR == 1 { next }
    {
      truth = ""
      if ($1 == "promotion") truth = 35.0
      else if ($1 == "discount" || $1 == "price") truth = 100 * (0.9 ^ -1.8 - 1)
      if (truth == "") next
      ratio = $4 / truth
      ok = (ratio >= 0.7 && ratio <= 1.3) ? "pass" : "FAIL"
      printf "| %s | %s | %s | %+.1f | %+.1f to %+.1f | %+.1f | %.2f | %s |\n", seed, $1, $3, $4, $5, $6, truth, ratio, ok
    }' "$out/levers-$seed.csv"
done
