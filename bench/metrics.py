#!/usr/bin/env python3
"""sMAPE and MASE of a forecast CSV against the last H steps of a long CSV.

    metrics.py DATA.csv FORECAST.csv H M SEASON

DATA.csv: series,date,value (the value column is the third); the last H
rows of every series are the test part.  FORECAST.csv: series,date,...,p50.
MASE is scaled by the in-sample mean |y_t - y_{t-M}| (M4: weekly M = 1;
tourism: monthly M = 12).  Also prints naive (last value) and seasonal
naive (period SEASON) on the same series, computed here.
"""
import csv
import sys
from collections import defaultdict


def main():
    data, fc, h, m, season = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    ys = defaultdict(list)
    with open(data, newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            ys[row[0]].append(float(row[2]) if row[2] != "" else float("nan"))
    p50 = defaultdict(list)
    with open(fc, newline="") as f:
        r = csv.DictReader(f)
        for row in r:
            p50[row["series"]].append(float(row["p50"]) if row["p50"] != "" else float("nan"))

    def ok(x):
        return x == x

    # Missing test values (tuna has gaps) are left out of the means.
    def smape(a, f):
        p = [(x, y) for x, y in zip(a, f) if ok(x) and ok(y)]
        return sum(200 * abs(x - y) / (abs(x) + abs(y)) if abs(x) + abs(y) > 0 else 0 for x, y in p) / len(p)

    def mae(a, f):
        p = [(x, y) for x, y in zip(a, f) if ok(x) and ok(y)]
        return sum(abs(x - y) for x, y in p) / len(p)

    tot = defaultdict(float)
    n = 0
    for sid, y in ys.items():
        train, test = y[:-h], y[-h:]
        f = p50.get(sid)
        if f is None or len(f) != h:
            sys.exit(f"forecast for {sid} missing or of the wrong length")
        if sum(ok(x) for x in test) * 2 < h:
            continue
        scale = [abs(train[i] - train[i - m]) for i in range(m, len(train)) if ok(train[i]) and ok(train[i - m])]
        scale = sum(scale) / len(scale) if scale else 0
        if scale == 0:
            continue
        last = [x for x in train if ok(x)][-1]
        naive = [last] * h
        sn = [train[len(train) - season + (i % season)] for i in range(h)] if len(train) >= season else naive
        sn = [x if ok(x) else last for x in sn]
        for name, f_ in (("model", f), ("naive", naive), ("snaive", sn)):
            tot[name + "_smape"] += smape(test, f_)
            tot[name + "_mase"] += mae(test, f_) / scale
        n += 1
    print(f"series {n}")
    for name in ("model", "naive", "snaive"):
        print(f"{name:7s} sMAPE {tot[name + '_smape'] / n:7.3f}  MASE {tot[name + '_mase'] / n:6.3f}")


if __name__ == "__main__":
    main()
