#!/bin/bash
# bench-model.sh — Trendcast's C Transformer against its PyTorch twin
#
#   bench/bench-model.sh [BUILDDIR]        (default build/; BENCH_SECONDS=3)
#
# For the default config and a larger one (d 128, 8 heads, 4 layers,
# d_ff 512) it runs `trendcast-cli bench` under three thread splits
# (1 model thread; 2 model threads with single-threaded OpenBLAS; 1 model
# thread with 2 OpenBLAS threads), and once more with bf16 inference
# products (--bf16: AVX512-BF16; reported apart, with its error against
# fp32) and bench/torch_twin.py (best of
# torch.set_num_threads 1 and 2), then prints the ratios and the share of
# the sgemm peak measured in the same run by a small C program; then the
# same ratios for one thread each per CPU second, which other jobs on a
# shared machine disturb far less than wall-clock throughput.  It also
# checks that the C model and the twin give the same forecasts.
# OPENBLAS_CORETYPE is left as the environment has it.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir="${1:-build}"
cli="$builddir/src/cli/trendcast-cli"
secs="${BENCH_SECONDS:-3}"
py=/usr/bin/python3   # Debian's python3 has python3-torch
[ -x "$cli" ] || { echo "bench-model.sh: build first: $cli not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- sgemm peak: 1024^3 products for $secs seconds --------------------------
cat >"$tmp/peak.c" <<'EOF'
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now (void) { struct timespec t; clock_gettime (CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main (int argc, char **argv)
{
  int n = 1024; double secs = atof (argv[1]), t0, t; long reps = 0;
  float *a = malloc (sizeof (float) * n * n), *b = malloc (sizeof (float) * n * n), *c = malloc (sizeof (float) * n * n);
  for (int i = 0; i < n * n; i++) { a[i] = (float) (i % 7) * 0.1f; b[i] = (float) (i % 5) * 0.1f; }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
  t0 = now ();
  do { cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n); reps++; t = now (); } while (t - t0 < secs);
  printf ("%.2f\n", 2.0 * n * n * n * reps / (t - t0) / 1e9);
  free (a); free (b); free (c);
  return 0;
}
EOF
# shellcheck disable=SC2046
cc -O2 "$tmp/peak.c" -o "$tmp/peak" $(pkg-config --cflags --libs openblas)
peak1=$(OPENBLAS_NUM_THREADS=1 "$tmp/peak" "$secs")
peak2=$(OPENBLAS_NUM_THREADS=2 "$tmp/peak" "$secs")
echo "{\"sgemm_peak_gflops_1_thread\":$peak1,\"sgemm_peak_gflops_2_threads\":$peak2,\"OPENBLAS_CORETYPE\":\"${OPENBLAS_CORETYPE:-}\"}"

# --- Same forecasts? ---------------------------------------------------------
"$cli" bench --seconds 0.5 --export "$tmp/twin" >/dev/null
echo -n "twin check: "
$py bench/torch_twin.py --compare "$tmp/twin"

# --- Throughput --------------------------------------------------------------
run_config () {
  local name="$1"; shift
  local c
  : >"$tmp/c.jsonl"
  for split in "--threads 1 --blas-threads 1" "--threads 2 --blas-threads 1" "--threads 1 --blas-threads 2" \
               "--threads 2 --blas-threads 1 --bf16"; do
    # shellcheck disable=SC2086
    c=$("$cli" bench "$@" $split --seconds "$secs")
    echo "C      $name: $c"
    echo "$c" >>"$tmp/c.jsonl"
  done
  $py bench/torch_twin.py "$@" --seconds "$secs" >"$tmp/t.json"
  echo "torch  $name: $(cat "$tmp/t.json")"
  $py - "$tmp/c.jsonl" "$tmp/t.json" "$peak1" "$peak2" "$name" <<'EOF'
import json, sys
allc = [json.loads(l) for l in open(sys.argv[1])]
cs = [c for c in allc if not c.get("bf16")]          # fp32 inference
bfs = [c for c in allc if c.get("bf16")]             # bf16 inference (AVX512-BF16 only)
t = json.load(open(sys.argv[2]))
peak1, peak2, name = float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
bt = max(allc, key=lambda c: c["train_windows_per_s"])   # training is fp32 in every run
bi = max(cs, key=lambda c: c["infer_windows_per_s"])
peak = max(peak1, peak2)
print(json.dumps({
    "config": name,
    "c_train_windows_per_s": bt["train_windows_per_s"],
    "c_train_split": f"threads {bt['threads']} blas {bt['blas_threads']}",
    "c_infer_windows_per_s": bi["infer_windows_per_s"],
    "c_infer_split": f"threads {bi['threads']} blas {bi['blas_threads']}",
    "torch_train_windows_per_s": t["train_windows_per_s"],
    "torch_infer_windows_per_s": t["infer_windows_per_s"],
    "train_ratio": round(bt["train_windows_per_s"] / t["train_windows_per_s"], 2),
    "infer_ratio": round(bi["infer_windows_per_s"] / t["infer_windows_per_s"], 2),
    "train_gflops": bt["train_gflops"],
    "infer_gflops": bi["infer_gflops"],
    "train_pct_of_sgemm_peak": round(100 * bt["train_gflops"] / peak, 1),
    "infer_pct_of_sgemm_peak": round(100 * bi["infer_gflops"] / peak, 1),
}))
if bfs:
    bb = bfs[0]
    print(json.dumps({
        "config": name, "bf16_inference": True,
        "c_infer_windows_per_s": bb["infer_windows_per_s"],
        "torch_infer_windows_per_s": t["infer_windows_per_s"],
        "infer_ratio": round(bb["infer_windows_per_s"] / t["infer_windows_per_s"], 2),
        "fp32_gflops_equivalent_pct_of_sgemm_peak": round(100 * bb["infer_gflops"] / peak, 1),
        "bf16_max_abs_err_vs_fp32": bb["bf16_max_abs_err"],
        "bf16_err_over_mean_abs": bb["bf16_err_over_mean_abs"],
    }))
else:
    print(json.dumps({"config": name, "bf16_inference": False, "why": "the CPU has no AVX512-BF16"}))
# One thread each, per CPU second: what a shared machine cannot disturb
# much (other jobs take wall time, not this process's CPU time).
c1 = next(c for c in cs if c["threads"] == 1 and c["blas_threads"] == 1)
t1 = t["by_threads"]["1"]
print(json.dumps({
    "config": name, "one_thread_per_cpu_second": True,
    "c_train": c1["train_windows_per_cpu_s"], "torch_train": t1["train_windows_per_cpu_s"],
    "c_infer": c1["infer_windows_per_cpu_s"], "torch_infer": t1["infer_windows_per_cpu_s"],
    "train_ratio": round(c1["train_windows_per_cpu_s"] / t1["train_windows_per_cpu_s"], 2),
    "infer_ratio": round(c1["infer_windows_per_cpu_s"] / t1["infer_windows_per_cpu_s"], 2),
    "infer_pct_of_1_thread_sgemm_peak": round(100 * c1["infer_windows_per_cpu_s"] * c1["flops_per_window_infer"] / 1e9 / peak1, 1),
    "train_pct_of_1_thread_sgemm_peak": round(100 * c1["train_windows_per_cpu_s"] * c1["flops_per_window_train"] / 1e9 / peak1, 1),
}))
EOF
}

run_config default
run_config large --d-model 128 --heads 8 --layers 4 --d-ff 512
