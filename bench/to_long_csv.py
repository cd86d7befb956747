#!/usr/bin/env python3
# Turns a file written by bench/prepare_benchmarks.py into a long CSV
# "period,series,value" for trendcast-cli, train followed by test, with
# every series right-aligned so that all hold-outs share the last h
# periods: a 1-fold backtest with horizon h then scores exactly the
# official hold-outs.  Usage: bench/to_long_csv.py IN.txt OUT.csv
import sys

rows = []
for line in open(sys.argv[1]):
    sid, m, h, tr, te = line.rstrip("\n").split("\t")
    rows.append((sid, tr.split(",") + te.split(",")))
lmax = max(len(v) for _, v in rows)
with open(sys.argv[2], "w") as f:
    f.write("period,series,value\n")
    for sid, v in rows:
        off = lmax - len(v)
        for i, x in enumerate(v):
            f.write("%d,%s,%s\n" % (off + i + 1, sid, x))
