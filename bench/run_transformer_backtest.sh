#!/bin/bash
# The Transformer against baselines on the official hold-outs of M4 Weekly
# and tourism monthly, through `trendcast-cli backtest` (one fold = the
# hold-out; the model trains only on the data before it).
# Usage: bench/run_transformer_backtest.sh [EPOCHS] [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-20}"
preset="${2:-small}"
data="${DATASETS:-../shared/datasets}"
[ -d "$data" ] || data=/work/shared/datasets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/prepare_benchmarks.py "$data" "$tmp" >/dev/null
python3 bench/to_long_csv.py "$tmp/m4_weekly.txt" "$tmp/m4_weekly.csv"
python3 bench/to_long_csv.py "$tmp/tourism_monthly.txt" "$tmp/tourism_monthly.csv"
echo "== M4 Weekly (preset $preset, at most $epochs epochs)"
/usr/bin/time -f "%e s wall, %U s user" build/src/cli/trendcast-cli backtest "$tmp/m4_weekly.csv" \
  --freq weekly --horizon 13 --folds 1 --season 1 --models transformer,naive2,theta \
  --preset "$preset" --max-epochs "$epochs" --seed "${SEED:-42}" --quiet
echo "== Tourism monthly (preset $preset, at most $epochs epochs)"
/usr/bin/time -f "%e s wall, %U s user" build/src/cli/trendcast-cli backtest "$tmp/tourism_monthly.csv" \
  --freq monthly --horizon 24 --folds 1 --season 12 --models transformer,snaive,theta \
  --preset "$preset" --max-epochs "$epochs" --seed "${SEED:-42}" --quiet
