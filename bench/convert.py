#!/usr/bin/env python3
"""Convert the benchmark datasets in ../shared/datasets to long CSVs.

    convert.py m4-weekly DIR OUT.csv     # train + the official 13-step test appended
    convert.py tourism-monthly DIR OUT.csv   # in-sample + the official 24-step out-of-sample
    convert.py m4-weekly-short DIR OUT.csv   # every series cut to its last 143 weeks
    convert.py tuna FILE OUT.csv

The official test part is appended to every series, so that training
with --holdout (the last H steps kept out) and forecasting with --holdout
reproduce the competition split exactly.  M4 gives no usable dates: the
series are right-aligned to end on the same (arbitrary) Monday, which is
common practice and harmless since weekly MASE uses m = 1.
"""
import csv
import datetime as dt
import sys


def wide_rows(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            yield row[0], [float(v) for v in row[1:] if v.strip() != ""]


def m4_weekly(d, out):
    train = dict(wide_rows(f"{d}/Weekly-train.csv"))
    test = dict(wide_rows(f"{d}/Weekly-test.csv"))
    end = dt.date(2018, 12, 31)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "date", "value"])
        for sid, ys in train.items():
            ys = ys + test[sid]
            n = len(ys)
            for i, y in enumerate(ys):
                w.writerow([sid, (end - dt.timedelta(weeks=n - 1 - i)).isoformat(), repr(y)])


def m4_weekly_short(d, out, keep=143):
    """A short-history proxy: 104 weeks of history and a 39-week test
    (train with --horizon 39), like store x department data with two years."""
    train = dict(wide_rows(f"{d}/Weekly-train.csv"))
    test = dict(wide_rows(f"{d}/Weekly-test.csv"))
    end = dt.date(2018, 12, 31)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "date", "value"])
        for sid, ys in train.items():
            ys = (ys + test[sid])[-keep:]
            n = len(ys)
            for i, y in enumerate(ys):
                w.writerow([sid, (end - dt.timedelta(weeks=n - 1 - i)).isoformat(), repr(y)])


def tourism_monthly(d, out):
    def cols(path):
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        names = rows[0]
        res = {}
        for j, name in enumerate(names):
            n = int(float(rows[1][j]))
            year, month = int(float(rows[2][j])), int(float(rows[3][j]))
            vals = [float(rows[4 + i][j]) for i in range(n)]
            res[name] = (year, month, vals)
        return res

    ins = cols(f"{d}/monthly_in.csv")
    oos = cols(f"{d}/monthly_oos.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "date", "visitors"])
        for name, (y0, m0, vals) in ins.items():
            vals = vals + oos[name][2]
            for i, v in enumerate(vals):
                k = (y0 * 12 + m0 - 1) + i
                w.writerow([name, f"{k // 12:04d}-{k % 12 + 1:02d}-01", repr(v)])


def tuna(path, out):
    # Dominick's week 1 is said to start 1989-09-14 (a Thursday).
    start = dt.date(1989, 9, 14)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    import math
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "date", "units", "promo", "price"])
        for b in range(1, 8):
            for r in rows:
                d = start + dt.timedelta(weeks=int(r["WEEK"]) - 1)
                w.writerow([f"brand{b}", d.isoformat(), r[f"MOVE{b}"], r[f"NSALE{b}"],
                            f"{math.exp(float(r[f'LPRICE{b}'])):.4f}"])


if __name__ == "__main__":
    {"m4-weekly": m4_weekly, "m4-weekly-short": m4_weekly_short, "tourism-monthly": tourism_monthly, "tuna": tuna}[sys.argv[1]](sys.argv[2], sys.argv[3])
