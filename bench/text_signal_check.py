#!/usr/bin/env python3
# Does the text signal see the online store's negative-review rule?  For every SKU,
# the effect at days where the rule fires (>= 3 negative reviews in t-6..t: the next
# 14 days are x0.8) against all other days.
import csv, importlib.util, subprocess, sys, statistics, collections
spec = importlib.util.spec_from_file_location("gen", "data/samples/generate-online-store.py")
gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
neg = set()
for v in gen.NEGATIVE.values():
    neg.update(v)
# Usage (from the source root): bench/text_signal_check.py CLI MODEL.tcm
import tempfile
cli, model, data = sys.argv[1], sys.argv[2], "data/samples/online-store.csv"
tmp = tempfile.mkdtemp(prefix="text-signal.")
rows = collections.defaultdict(list)
for r in csv.DictReader(open(data, encoding="utf-8")):
    rows[r["sku"]].append(r)
fired, other = [], []
for sku, rs in rows.items():
    out = f"{tmp}/sig-{sku}.csv"
    subprocess.run([cli, "forecast", "-m", model, data, "-o", tmp + "/fc-tmp.csv",
                    "--future", "data/samples/online-store-future.csv",
                    "--text-signal", out, "--signal-series", sku], check=True, capture_output=True)
    nneg = {r["date"]: int(r["review"] in neg) for r in rs}
    dates = [r["date"] for r in rs]
    for s in csv.DictReader(open(out)):
        if not s["effect"]:
            continue
        i = dates.index(s["period"])
        n = sum(nneg[d] for d in dates[max(0, i - 6):i + 1])
        (fired if n >= 3 else other).append(float(s["effect"]))
print(f"rule fires: n={len(fired)} mean effect {100*statistics.mean(fired):+.1f} % median {100*statistics.median(fired):+.1f} %")
print(f"otherwise:  n={len(other)} mean effect {100*statistics.mean(other):+.1f} % median {100*statistics.median(other):+.1f} %")
