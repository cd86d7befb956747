#!/bin/bash
# Scores the baselines on the M4 Weekly and tourism monthly hold-outs.
# Needs a built tree (build/) and ../shared/datasets.  Usage: bench/run_baseline_eval.sh [model ...]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${DATASETS:-../shared/datasets}"
[ -d "$data" ] || data=/work/shared/datasets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/prepare_benchmarks.py "$data" "$tmp" >/dev/null
cc -O2 -std=gnu17 -I src/core -I build bench/baseline_eval.c build/src/core/libtrendcast-core.a \
  $(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0) -lm -o "$tmp/baseline_eval"
echo "== M4 Weekly (359 series, h=13, m=1)"
"$tmp/baseline_eval" "$tmp/m4_weekly.txt" "$@"
echo "== Tourism monthly (366 series, h=24, m=12)"
"$tmp/baseline_eval" "$tmp/tourism_monthly.txt" "$@"
