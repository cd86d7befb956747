#!/bin/bash
# Online store: does the learnt review-text signal recover the true
# negative-review effect (x0.8, data/samples/README.md)?  Counterfactual
# forecasts at every origin where the rule fires (bench/text_ablation.py);
# results in bench/RESULTS-text.md.
#
#   bench/text-ablation.sh [BUILD_DIR] [SEEDS]     (about 5 minutes for 3 seeds on one core)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SEEDS=${2:-1,2,3}
WORK=${WORK:-$(mktemp -d /tmp/text-ablation.XXXXXX)}
CONTEXT=${CONTEXT:-28}
nice python3 bench/text_ablation.py "$BUILD/src/cli/trendcast-cli" data/samples/online-store.csv "$WORK" \
  --seeds "$SEEDS" --train-end 2025-01-01 --context "$CONTEXT" --text-dim 4 \
  --epochs 12 --patience 12 --steps-per-epoch 600 --lr 0.003 2>/dev/null | grep -v '^Trained\|^Then refit\|^Model written\|^Forecasts are'
echo "per-origin table: $WORK/text-ablation.csv"
