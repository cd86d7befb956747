#!/bin/bash
# Olist ablation: the Transformer with and without the learnt review-text
# signal, rolling-origin backtest, several seeds (bench/RESULTS-text.md).
# Reads the data from ../shared (non-commercial licence: never copied here).
#
#   bench/olist-text-ablation.sh [BUILD_DIR] [SEEDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SEEDS=${2:-"1 2 3"}
SRC=../shared/datasets/olist_classified_reviews/olist_classified_public_dataset.csv
CLI=$BUILD/src/cli/trendcast-cli
WORK=${WORK:-$(mktemp -d /tmp/olist-text.XXXXXX)}

if [ ! -f "$SRC" ]; then
  echo "olist-text-ablation: $SRC not found; skipped" >&2
  exit 0
fi
python3 bench/olist_weekly.py "$SRC" "$WORK/olist-weekly.csv"
# Same observed review score in both arms: the only difference is the text.
common=(-H 4 -k 4 --models transformer,snaive,naive,ets --context 16 --patch 4 --threads 1 -q
        --text-col review --observed review_score)
# Two set-ups: the product's (the safety net may replace the network by a
# baseline per series, and calibrates the intervals) and the network alone
# (settings from a model trained with --no-safety-net; its weights are not
# used).
nice "$CLI" train "$WORK/olist-weekly.csv" -o "$WORK/settings-net.tcm" --horizon 4 --context 16 --patch 4 \
  --max-epochs 1 --no-safety-net --threads 1 -q --text-col review --observed review_score > /dev/null
echo "setup,arm,seed,model,MASE,RMSSE,WAPE,coverage"
for setup in product network; do
  extra=()
  [ "$setup" = network ] && extra=(--settings-from "$WORK/settings-net.tcm")
  for seed in $SEEDS; do
    for arm in text no-text; do
      dim=4
      [ "$arm" = no-text ] && dim=0
      nice "$CLI" backtest "$WORK/olist-weekly.csv" "${common[@]}" "${extra[@]}" --seed "$seed" --text-dim "$dim" \
        --summary "$WORK/summary-$setup-$arm-$seed.csv" > /dev/null
      python3 - "$WORK/summary-$setup-$arm-$seed.csv" "$setup" "$arm" "$seed" <<'PY'
import csv, sys
path, setup, arm, seed = sys.argv[1:]
for r in csv.DictReader(open(path)):
    cov = r.get("coverage", r.get("cover", ""))
    print(",".join([setup, arm, seed, r["model"], r.get("MASE", r.get("mase", "")),
                    r.get("RMSSE", r.get("rmsse", "")), r.get("WAPE", r.get("wape", "")), cov]))
PY
    done
  done
done
