#!/usr/bin/env python3
"""Import throughput and peak memory: trendcast-cli inspect against pandas.read_csv.

Generates a long-format CSV (date, sku, store, units, price, promo) of
--rows rows (default 2,000,000), then runs, each in its own process so
that peak RSS is measured per run (resource.getrusage of the children):

  * trendcast-cli inspect FILE --json   (parse, validate, build the grid, quality report)
  * python3 -c "pandas.read_csv(FILE)"  (parse only; plus the interpreter and pandas import,
                                         measured separately and subtracted from the time)

Usage: bench/import_vs_pandas.py [--cli build/src/cli/trendcast-cli] [--rows N] [--repeat 3]
"""
import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import datetime


def generate(path, rows):
    n_days = 1000
    n_series = max(1, rows // n_days)
    n_store = 5
    n_sku = (n_series + n_store - 1) // n_store
    rnd = random.Random(42)
    start = datetime.date(2021, 1, 1)
    dates = [(start + datetime.timedelta(days=d)).isoformat() for d in range(n_days)]
    written = 0
    with open(path, "w") as f:
        f.write("date,sku,store,units,price,promo\n")
        for s in range(n_series):
            sku = "SKU-%05d" % (s // n_store)
            store = "S%02d" % (s % n_store)
            base = rnd.uniform(1, 50)
            price = round(rnd.uniform(2, 80), 2)
            lines = []
            for d in range(n_days):
                if written >= rows:
                    break
                promo = 1 if rnd.random() < 0.1 else 0
                units = int(base * (1.5 if promo else 1.0) * rnd.uniform(0.5, 1.5))
                p = round(price * (0.8 if promo else 1.0), 2)
                lines.append("%s,%s,%s,%d,%.2f,%d\n" % (dates[d], sku, store, units, p, promo))
                written += 1
            f.writelines(lines)
            if written >= rows:
                break
    return written


def measure(cmd, repeat):
    """Best wall time and peak RSS via a wrapper process per run."""
    best_t, rss, best_cpu = None, 0, None
    for _ in range(repeat):
        wrapper = [sys.executable, "-c",
                   "import resource,subprocess,sys,time;"
                   "t=time.perf_counter();r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
                   "dt=time.perf_counter()-t;"
                   "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
                   "print(dt, u.ru_maxrss, r.returncode, u.ru_utime+u.ru_stime)"] + cmd
        out = subprocess.run(wrapper, capture_output=True, text=True, check=True).stdout.split()
        dt, kib, rc, cpu = float(out[0]), int(out[1]), int(out[2]), float(out[3])
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        if rc != 0:
            sys.exit("failed (%d): %s" % (rc, " ".join(cmd)))
        best_t = dt if best_t is None else min(best_t, dt)
        rss = max(rss, kib)
    return best_t, rss, best_cpu


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--cli", default=os.path.join(here, "..", "build", "src", "cli", "trendcast-cli"))
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python", default="/usr/bin/python3", help="an interpreter with pandas (python3-pandas)")
    ap.add_argument("--keep", help="write the CSV here and keep it")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="tc-bench-")
    path = a.keep or os.path.join(tmp, "long.csv")
    t0 = time.perf_counter()
    if a.keep and os.path.exists(a.keep):
        n = sum(1 for _ in open(path)) - 1
    else:
        n = generate(path, a.rows)
    size = os.path.getsize(path)
    print("generated %d rows, %.1f MB in %.1f s: %s" % (n, size / 1e6, time.perf_counter() - t0, path))

    tc_t, tc_rss, tc_cpu = measure([a.cli, "inspect", path, "--json"], a.repeat)
    py_t0, py_rss0, py_cpu0 = measure([a.python, "-c", "import pandas"], a.repeat)
    pd_t, pd_rss, pd_cpu = measure([a.python, "-c", "import pandas,sys; pandas.read_csv(sys.argv[1])", path], a.repeat)
    pd_parse = max(pd_t - py_t0, 1e-9)

    mb = size / 1e6
    print("load average before the runs: %.2f (the machine has %d cores)" % (os.getloadavg()[0], os.cpu_count()))
    print("%-34s %8s %10s %8s %12s" % ("", "wall s", "MB/s", "CPU s", "peak RSS MB"))
    print("%-34s %8.3f %10.1f %8.3f %12.1f" % ("trendcast-cli inspect", tc_t, mb / tc_t, tc_cpu, tc_rss / 1024))
    print("%-34s %8.3f %10.1f %8.3f %12.1f" % ("pandas.read_csv (with import)", pd_t, mb / pd_t, pd_cpu, pd_rss / 1024))
    print("%-34s %8.3f %10.1f %8.3f %12.1f" % ("pandas.read_csv (minus import)", pd_parse, mb / pd_parse,
                                                pd_cpu - py_cpu0, (pd_rss - py_rss0) / 1024))
    print("throughput ratio trendcast/pandas: %.2fx (vs parse-only time: %.2fx)" % (pd_t / tc_t, pd_parse / tc_t))
    print("peak memory ratio trendcast/pandas: %.2f" % (tc_rss / pd_rss))
    if not a.keep:
        os.unlink(path)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
