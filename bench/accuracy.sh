#!/bin/sh
# Accuracy of the default forecaster on public benchmarks, against seasonal
# naive, ETS and Theta, in one table.  Run from the source tree after building:
#   bench/accuracy.sh [BUILD_DIR] [extra train flags…]
# Reads ../shared/datasets (= /work/shared/datasets) when present.
# Each dataset: the official test part is appended to the training part;
# "train --holdout" keeps it out of training (and validation), "forecast
# --holdout" forecasts it from the data before it.  Seed: TC_SEED (1).
#
# Rows:
#   M4 Weekly        h 13, MASE scale m 1 (as M4); seasonal naive m 52; ETS, Theta m 1 (as M4)
#   tourism monthly  h 24, m 12 everywhere
#   tuna             h 13, promo and price known; MASE m 1, seasonal naive m 52, ETS/Theta m 52
#   M4 Weekly short  every M4 Weekly series cut to its last 143 weeks: 104 of history,
#                    h 39, m 52 everywhere (a store x department shape)
# ETS is the automatic ETS of tc-baselines (bench/RESULTS-baselines.md).
# cov80: share of the holdout actuals inside Trendcast's P10..P90.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
cli=$build/src/cli/trendcast-cli
data=${TC_DATASETS:-$here/../../shared/datasets}
out=${TC_BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
seed=${TC_SEED:-1}
[ -d "$data" ] || { echo "no datasets in $data"; exit 0; }

cc -O2 -std=gnu17 -I "$here/../src/core" -I "$build" "$here/accuracy_eval.c" \
  "$build/src/core/libtrendcast-core.a" \
  $(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0) -lopenblas -lm -o "$out/accuracy_eval"

table=$out/table.md
printf '| dataset | h | series | Trendcast MASE | seasonal naive | ETS | Theta | Trendcast cov80 | training (s) |\n' > "$table"
printf '|---|---|---|---|---|---|---|---|---|\n' >> "$table"

run () { # name label csv horizon scale_m season base_m [train flags]
  name=$1 label=$2 csv=$3 h=$4 sm=$5 season=$6 bm=$7
  shift 7
  echo "== $label (h=$h)"
  start=$(date +%s)
  "$cli" train "$csv" -o "$out/$name.tcm" --horizon "$h" --holdout --quiet --seed "$seed" "$@" \
    | grep -v '^Model written'
  end=$(date +%s)
  "$cli" forecast -m "$out/$name.tcm" "$csv" --holdout -o "$out/$name-forecast.csv" 2>/dev/null
  line=$("$out/accuracy_eval" "$csv" "$out/$name-forecast.csv" "$sm" "$season" "$bm")
  echo "$line"
  echo "$line" | awk -v l="$label" -v h="$h" -v t="$((end - start))" \
    '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", l, h, $2, $4, $6, $8, $10, $12, t }' >> "$table"
}

if [ -d "$data/m4_weekly_hourly" ]; then
  python3 "$here/convert.py" m4-weekly "$data/m4_weekly_hourly" "$out/m4-weekly.csv"
  run m4-weekly "M4 Weekly" "$out/m4-weekly.csv" 13 1 52 1 "$@"
  python3 "$here/convert.py" m4-weekly-short "$data/m4_weekly_hourly" "$out/m4-weekly-short.csv"
  run m4-weekly-short "M4 Weekly, last 143 weeks (104 history)" "$out/m4-weekly-short.csv" 39 52 52 52 "$@"
fi
if [ -d "$data/tourism_competition" ]; then
  python3 "$here/convert.py" tourism-monthly "$data/tourism_competition" "$out/tourism-monthly.csv"
  run tourism-monthly "Tourism monthly" "$out/tourism-monthly.csv" 24 12 12 12 --target-col visitors "$@"
fi
if [ -f "$data/dominicks_bayesm/tuna.csv" ]; then
  python3 "$here/convert.py" tuna "$data/dominicks_bayesm/tuna.csv" "$out/tuna.csv"
  run tuna "Dominick's tuna (promo, price known)" "$out/tuna.csv" 13 1 52 52 --known promo,price "$@"
fi
echo
echo "Seed $seed, default preset (small), bench/accuracy.sh; MASE = mean over series."
cat "$table"
echo "outputs in $out"
