#!/bin/bash
# End to end through the CSV importer: M4 Weekly and tourism monthly as
# right-aligned long CSVs, scored by `trendcast-cli backtest` with one
# fold whose test window is the official hold-out.  The numbers must
# equal bench/run_baseline_eval.sh's.  Usage: bench/run_cli_backtest.sh [MODELS]
set -euo pipefail
cd "$(dirname "$0")/.."
models="${1:-snaive,naive2,ses,theta,ets}"
data="${DATASETS:-../shared/datasets}"
[ -d "$data" ] || data=/work/shared/datasets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/prepare_benchmarks.py "$data" "$tmp" >/dev/null
python3 bench/to_long_csv.py "$tmp/m4_weekly.txt" "$tmp/m4_weekly.csv"
python3 bench/to_long_csv.py "$tmp/tourism_monthly.txt" "$tmp/tourism_monthly.csv"
echo "== M4 Weekly"
build/src/cli/trendcast-cli backtest "$tmp/m4_weekly.csv" --freq weekly --horizon 13 --folds 1 \
  --season 1 --models "$models"
echo "== Tourism monthly"
build/src/cli/trendcast-cli backtest "$tmp/tourism_monthly.csv" --freq monthly --horizon 24 --folds 1 \
  --season 12 --models "$models"
