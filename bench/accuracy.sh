#!/bin/sh
# Accuracy of the default forecaster on public benchmarks, against the
# published numbers.  Run from the source tree after building:
#   bench/accuracy.sh [BUILD_DIR] [extra train flags…]
# Reads ../shared/datasets (= /work/shared/datasets) when present.
# Each dataset: the official test part is appended to the training part;
# "train --holdout" keeps it out of training (and validation), "forecast
# --holdout" forecasts it from the data before it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
cli=$build/src/cli/trendcast-cli
data=${TC_DATASETS:-$here/../../shared/datasets}
out=${TC_BENCH_OUT:-$(mktemp -d)}
[ -d "$data" ] || { echo "no datasets in $data"; exit 0; }

run () { # name csv horizon mase_m season [train flags]
  name=$1 csv=$2 h=$3 m=$4 season=$5
  shift 5
  echo "== $name (h=$h, MASE m=$m)"
  start=$(date +%s)
  "$cli" train "$csv" -o "$out/$name.tcm" --horizon "$h" --holdout --quiet "$@" | grep -v '^Model written'
  end=$(date +%s)
  echo "training wall time: $((end - start)) s"
  "$cli" forecast -m "$out/$name.tcm" "$csv" --holdout -o "$out/$name-forecast.csv"
  # metrics.py counts rows, so it is only right for files without gaps
  # (M4, tourism); the train summary above works on the date grid.
  [ "$name" = tuna ] || python3 "$here/metrics.py" "$csv" "$out/$name-forecast.csv" "$h" "$m" "$season"
}

if [ -d "$data/m4_weekly_hourly" ]; then
  python3 "$here/convert.py" m4-weekly "$data/m4_weekly_hourly" "$out/m4-weekly.csv"
  run m4-weekly "$out/m4-weekly.csv" 13 1 52 "$@"
  echo "published (M4): Naive2 sMAPE 9.161 MASE 2.777; Theta sMAPE 9.093 MASE 2.637; ES-RNN (Smyl) MASE 2.356"
fi
if [ -d "$data/tourism_competition" ]; then
  python3 "$here/convert.py" tourism-monthly "$data/tourism_competition" "$out/tourism-monthly.csv"
  run tourism-monthly "$out/tourism-monthly.csv" 24 12 12 --target-col visitors "$@"
  echo "published (Tcomp reproduction, h=1-24): MASE ETS 1.54, ARIMA 1.60, seasonal naive 1.63, Theta 1.65"
fi
if [ -f "$data/dominicks_bayesm/tuna.csv" ]; then
  python3 "$here/convert.py" tuna "$data/dominicks_bayesm/tuna.csv" "$out/tuna.csv"
  run tuna "$out/tuna.csv" 13 1 52 --known promo,price "$@"
fi
echo "outputs in $out"
