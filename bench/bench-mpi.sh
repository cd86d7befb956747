#!/bin/bash
# bench-mpi.sh — data-parallel training throughput over MPI
#
#   bench/bench-mpi.sh [BUILDDIR]     (default build/, configured with -Dmpi)
#
# The two-rank run uses mpirun --mca mpi_yield_when_idle 1 (see below).
# Trains the default model (d 64, 4 heads, 3 layers, d_ff 256, patch 7,
# context 112, horizon 28; batch 64) on data/samples/online-store.csv for a fixed number of
# steps (EPOCHS x STEPS, no early stop, no refit, no safety net), once as
# one process with one thread and once as `mpirun -n 2`, one thread each,
# alternating REPS times, and prints the training throughput of both and
# their ratio per pair and the median.  Wall time of the whole command
# (import, validation and MPI start-up included), so the ratio is a lower
# bound on the training loop's; also the CPU seconds of the single process
# and of the busiest rank (what the ratio would approach on idle cores).  The two models' forecasts are compared at
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

# The architecture of bench/bench-model.sh's default config, not the one
# the small preset picks for this file (2 layers, context 42).
args=(train "$data" --threads 1 --batch "$batch" --max-epochs "$epochs" --steps-per-epoch "$steps"
      --d-model 64 --heads 4 --layers 3 --d-ff 256 --patch 7 --context 112 --horizon 28
      --patience 1000 --no-refit --no-safety-net --seed 1 -q)
windows=$((epochs * steps * batch))

# Runs "$@" under /usr/bin/time per process: prints the wall seconds of
# the whole command, then the largest user + system CPU seconds of one
# process (each rank writes its own line to $tmp/cpu).
run_timed () {
  local t0 t1
  : >"$tmp/cpu"
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $(awk '{c = $1 + $2; if (c > m) m = c} END {print m}' "$tmp/cpu")"
}
timed=(/usr/bin/time -a -o "$tmp/cpu" -f "%U %S")
# A rank waiting in MPI_Allreduce yields its core instead of spinning: on a
# machine shared with other jobs a spinning rank takes the core its partner
# needs (measured here: 8.5 s wall spinning, 4.3 s yielding, for the same
# run).  On dedicated cluster nodes spinning is the better default.

echo "load before: $(uptime)"
echo "$windows training windows per run of one process ($epochs epochs x $steps steps x batch $batch)"
# The training loop's own seconds (validation included, import and MPI
# start-up not): stored in the model file.
loop_s () { grep -ao '"train_seconds":[0-9.e+-]*' "$1" | head -1 | cut -d: -f2; }
# Two ways to use two processes: "strong", the same steps of 64 windows
# split 32 + 32 (the model of one process, up to summation order; what
# tests/cli/test-cli-mpi.c checks), and "weak", --batch-per-rank: 64
# windows each, 128 a step, as PyTorch's DistributedDataParallel counts a
# batch.  Throughput is windows per second either way.
declare -A R
for i in $(seq 1 "$reps"); do
  read -r t1 c1 < <(run_timed "${timed[@]}" "$cli" "${args[@]}" -o "$tmp/one.tcm")
  l1=$(loop_s "$tmp/one.tcm")
  read -r t2 c2 < <(run_timed mpirun -n 2 --bind-to none --mca mpi_yield_when_idle 1 "${timed[@]}" "$cli" "${args[@]}" -o "$tmp/two.tcm")
  l2=$(loop_s "$tmp/two.tcm")
  read -r t3 c3 < <(run_timed mpirun -n 2 --bind-to none --mca mpi_yield_when_idle 1 "${timed[@]}" "$cli" "${args[@]}" --batch-per-rank -o "$tmp/weak.tcm")
  l3=$(loop_s "$tmp/weak.tcm")
  w3=$((windows * 2))
  R[strong_wall]+="$(echo "$t1 / $t2" | bc -l) "
  R[strong_loop]+="$(echo "$l1 / $l2" | bc -l) "
  R[strong_cpu]+="$(echo "$c1 / $c2" | bc -l) "
  R[weak_wall]+="$(echo "($w3 / $t3) / ($windows / $t1)" | bc -l) "
  R[weak_loop]+="$(echo "($w3 / $l3) / ($windows / $l1)" | bc -l) "
  printf '{"pair":%d,"one_rank":{"wall_s":%.2f,"loop_s":%.2f,"windows_per_s_wall":%.0f,"windows_per_s_loop":%.0f,"cpu_s":%.2f},' \
    "$i" "$t1" "$l1" "$(echo "$windows / $t1" | bc -l)" "$(echo "$windows / $l1" | bc -l)" "$c1"
  printf '"two_ranks_strong":{"wall_s":%.2f,"loop_s":%.2f,"windows_per_s_wall":%.0f,"windows_per_s_loop":%.0f,"busiest_rank_cpu_s":%.2f},' \
    "$t2" "$l2" "$(echo "$windows / $t2" | bc -l)" "$(echo "$windows / $l2" | bc -l)" "$c2"
  printf '"two_ranks_weak":{"wall_s":%.2f,"loop_s":%.2f,"windows_per_s_wall":%.0f,"windows_per_s_loop":%.0f,"busiest_rank_cpu_s":%.2f}}\n' \
    "$t3" "$l3" "$(echo "$w3 / $t3" | bc -l)" "$(echo "$w3 / $l3" | bc -l)" "$c3"
done
med () { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median speedup, 2 ranks x 1 thread over 1 rank x 1 thread (training windows per second):\n'
printf '  strong (64 a step, 32 each): %.2f wall, %.2f training loop, %.2f CPU seconds of the busiest rank\n' \
  "$(med "${R[strong_wall]}")" "$(med "${R[strong_loop]}")" "$(med "${R[strong_cpu]}")"
printf '  weak (64 each, 128 a step):  %.2f wall, %.2f training loop\n' \
  "$(med "${R[weak_wall]}")" "$(med "${R[weak_loop]}")"
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
