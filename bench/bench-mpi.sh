#!/bin/bash
# bench-mpi.sh — data-parallel training throughput over MPI
#
#   bench/bench-mpi.sh [BUILDDIR]     (default build/, configured with -Dmpi)
#
# Trains the default model (small preset: d 64, 4 heads, 3 layers, d_ff
# 256; batch 64) on data/samples/online-store.csv for a fixed number of
# steps (EPOCHS x STEPS, no early stop, no refit, no safety net), once as
# one process with one thread and once as `mpirun -n 2`, one thread each,
# alternating REPS times, and prints the training throughput of both and
# their ratio per pair and the median.  Wall time of the whole command
# (import, validation and MPI start-up included), so the ratio is a lower
# bound on the training loop's.  The two models' forecasts are compared at
# the end.  On a shared machine, run it when the load is low: `uptime` is
# printed before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir="${1:-build}"
cli="$builddir/src/cli/trendcast-cli"
epochs="${EPOCHS:-4}"
steps="${STEPS:-100}"
reps="${REPS:-3}"
batch=64
data=data/samples/online-store.csv
[ -x "$cli" ] || { echo "bench-mpi.sh: build first: $cli not found" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "bench-mpi.sh: mpirun not found (apt-get install openmpi-bin)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args=(train "$data" --threads 1 --batch "$batch" --max-epochs "$epochs" --steps-per-epoch "$steps"
      --patience 1000 --no-refit --no-safety-net --seed 1 -q)
windows=$((epochs * steps * batch))

elapsed () {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

echo "load before: $(uptime)"
echo "$windows training windows per run ($epochs epochs x $steps steps x batch $batch)"
ratios=()
for i in $(seq 1 "$reps"); do
  t1=$(elapsed "$cli" "${args[@]}" -o "$tmp/one.tcm")
  t2=$(elapsed mpirun -n 2 --bind-to none "$cli" "${args[@]}" -o "$tmp/two.tcm")
  r=$(echo "$t1 / $t2" | bc -l)
  ratios+=("$r")
  printf '{"pair":%d,"one_rank_s":%.2f,"two_ranks_s":%.2f,"one_rank_windows_per_s":%.0f,"two_ranks_windows_per_s":%.0f,"speedup":%.2f}\n' \
    "$i" "$t1" "$t2" "$(echo "$windows / $t1" | bc -l)" "$(echo "$windows / $t2" | bc -l)" "$r"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median speedup, 2 ranks x 1 thread over 1 rank x 1 thread: %.2f\n' "$median"
echo "load after: $(uptime)"

"$cli" forecast -m "$tmp/one.tcm" "$data" -o "$tmp/f1.csv" 2>/dev/null
"$cli" forecast -m "$tmp/two.tcm" "$data" -o "$tmp/f2.csv" 2>/dev/null
/usr/bin/python3 - "$tmp/f1.csv" "$tmp/f2.csv" <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1])))
b = list(csv.reader(open(sys.argv[2])))
worst = 0.0
for ra, rb in zip(a[1:], b[1:]):
    for x, y in zip(ra[2:], rb[2:]):
        x, y = float(x), float(y)
        worst = max(worst, abs(x - y) / max(abs(x), 1.0))
print(f"forecasts of the two models: {len(a) - 1} rows, largest relative difference {worst:.2g}")
PY
