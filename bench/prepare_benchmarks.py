#!/usr/bin/env python3
# Prepares the official hold-out benchmarks for bench/baseline_eval.c:
#   M4 Weekly        (359 series, h = 13, MASE period m = 1 as in M4)
#   Tourism monthly  (366 series, h = 24, MASE period m = 12 as in Tcomp)
# from ../shared/datasets (see the SOURCE.txt files there).  Output: one
# line per series "id<TAB>m<TAB>h<TAB>train,values<TAB>test,values".
# Usage: bench/prepare_benchmarks.py [DATASETS_DIR] OUT_DIR
import csv, os, sys

src = sys.argv[1] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")
out = sys.argv[-1]
os.makedirs(out, exist_ok=True)

def m4(name, m, h):
    d = os.path.join(src, "m4_weekly_hourly")
    def rows(path):
        with open(path, newline="") as f:
            r = csv.reader(f)
            next(r)
            return {row[0]: [v for v in row[1:] if v != ""] for row in r}
    train = rows(os.path.join(d, name + "-train.csv"))
    test = rows(os.path.join(d, name + "-test.csv"))
    with open(os.path.join(out, "m4_%s.txt" % name.lower()), "w") as f:
        for sid, y in train.items():
            assert len(test[sid]) == h
            f.write("%s\t%d\t%d\t%s\t%s\n" % (sid, m, h, ",".join(y), ",".join(test[sid])))

def tourism(name, m, h):
    d = os.path.join(src, "tourism_competition")
    def cols(path):
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        ids = rows[0]
        res = {}
        for j, sid in enumerate(ids):
            n = int(float(rows[1][j]))
            vals = [rows[4 + i][j] for i in range(n)]
            assert all(v != "" for v in vals)
            res[sid] = vals
        return ids, res
    ids, train = cols(os.path.join(d, name + "_in.csv"))
    _, test = cols(os.path.join(d, name + "_oos.csv"))
    with open(os.path.join(out, "tourism_%s.txt" % name), "w") as f:
        for sid in ids:
            f.write("%s\t%d\t%d\t%s\t%s\n" % (sid, m, h, ",".join(train[sid]), ",".join(test[sid][:h])))

m4("Weekly", 1, 13)
tourism("monthly", 12, 24)
print("wrote", out)
