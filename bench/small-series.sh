#!/bin/bash
# small-series.sh — holdout accuracy and 80 % interval coverage on the small
# demo files (one or two series each: few validation windows, the
# calibration's hardest case) and Dominick's tuna (7 series), several seeds.
#
#   bench/small-series.sh [BUILDDIR] [SEEDS]     (default build/, "1 2 3")
#
# Reads ../shared/datasets (TC_DATASETS) when present.  Each file: the last
# H steps are kept out of training, validation and calibration (`train
# --holdout`), then forecast (`forecast --holdout`) and scored by
# bench/accuracy_eval.c (MASE of P50, P10..P90 coverage).  Prints one line per
# file and seed, and the share of forecast values whose P10 is <= 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
seeds=${2:-1 2 3}
cli=$build/src/cli/trendcast-cli
data=${TC_DATASETS:-$here/../../shared/datasets}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -d "$data/small_demo_series" ] || { echo "no datasets in $data"; exit 0; }

cc -O2 -std=gnu17 -I "$here/../src/core" -I "$build" "$here/accuracy_eval.c" \
  "$build/src/core/libtrendcast-core.a" \
  $(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0) -lopenblas -lm -o "$out/eval"

# Long format series,date,value with ISO dates.
python3 - "$data/small_demo_series" "$out" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
def rows(name):
    return [r for r in csv.reader(open(f"{src}/{name}")) if r][1:]
def iso(d):
    d = d.strip('"')
    return d + "-01" if len(d) == 7 else d
def write(name, data):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write("series,date,value\n")
        for s, d, v in data:
            f.write(f"{s},{d},{v}\n")
write("air", [("air", iso(a), b) for a, b in rows("darts_AirPassengers.csv")])
write("milk", [("milk", iso(a), b) for a, b in rows("darts_monthly-milk.csv")])
write("wine", [("wine", iso(b), a) for a, b in rows("darts_wineind.csv")])
write("retail", [("retail", iso(a), b) for a, b in rows("prophet_example_retail_sales.csv")])
write("icecream", [("heater", iso(a), b) for a, b, c in rows("darts_ice_cream_heater.csv")]
      + [("icecream", iso(a), c) for a, b, c in rows("darts_ice_cream_heater.csv")])
PY
specs=("air 12 1 12 12" "milk 12 1 12 12" "wine 12 1 12 12" "retail 12 1 12 12" "icecream 12 1 12 12")
if [ -f "$data/dominicks_bayesm/tuna.csv" ]; then
  python3 "$here/convert.py" tuna "$data/dominicks_bayesm/tuna.csv" "$out/tuna.csv"
  specs+=("tuna 13 1 52 52 --known promo,price")
fi

for seed in $seeds; do
  for spec in "${specs[@]}"; do
    set -- $spec
    name=$1 h=$2 sm=$3 season=$4 bm=$5
    shift 5
    "$cli" train "$out/$name.csv" -o "$out/$name-$seed.tcm" --horizon "$h" --holdout --quiet \
      --seed "$seed" --threads 1 "$@" >/dev/null
    "$cli" forecast -m "$out/$name-$seed.tcm" "$out/$name.csv" --holdout -o "$out/$name-$seed-f.csv" 2>/dev/null
    echo "seed $seed $name $("$out/eval" "$out/$name.csv" "$out/$name-$seed-f.csv" "$sm" "$season" "$bm")"
  done
done
cat "$out"/*-f.csv | awk -F, '$3 != "p10" { n++; z += ($3 <= 0) } END { printf "P10 <= 0 in %d of %d forecast values\n", z, n }'
