#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sanity checks of the bundled sample CSVs (needs pandas; not installed with
# the app).  Recovers the true effects of online-store.csv from the CSV alone
# by matched comparisons: each "treated" day of a SKU is compared with the
# same SKU's plain days (no promo, no discount, no holiday, no stock-out, no
# sentiment penalty) on the same weekday within +-28 days.
#
#   usage: check-samples.py            (run in data/samples)

import datetime
import importlib.util
import os
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "gen", os.path.join(HERE, "generate-online-store.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

failures = []


def check(what, ok, detail=""):
    print("%-4s %s %s" % ("ok" if ok else "FAIL", what, detail))
    if not ok:
        failures.append(what)


def check_tuna():
    t = pd.read_csv(os.path.join(HERE, "tuna.csv"), parse_dates=["date"])
    src = pd.read_csv("/work/shared/datasets/dominicks_bayesm/tuna.csv") \
        if os.path.exists("/work/shared/datasets/dominicks_bayesm/tuna.csv") else None
    check("tuna rows = 7 brands x 338 weeks", len(t) == 7 * 338, str(len(t)))
    last = pd.Timestamp("1989-09-14") + pd.Timedelta(days=7 * (398 - 1))
    check("tuna dates = 1989-09-14 + 7 (WEEK - 1), weeks 1 .. 398",
          t.date.min() == pd.Timestamp("1989-09-14") and t.date.max() == last,
          "%s .. %s" % (t.date.min().date(), t.date.max().date()))
    check("tuna dates all Thursdays on the 7-day grid",
          (t.date.dt.weekday == 3).all()
          and ((t.date - pd.Timestamp("1989-09-14")).dt.days % 7 == 0).all())
    check("tuna no duplicate (date, brand)", not t.duplicated(["date", "brand"]).any())
    na = t.isna().sum()
    check("tuna NaN only the one bad wholesale price",
          na.sum() == 1 and na["wholesale_price"] == 1, na[na > 0].to_dict())
    if src is not None:
        import numpy as np
        check("tuna units = MOVE1 for Star Kist",
              (t[t.brand == "Star Kist 6oz"].units.values == src.MOVE1.values).all())
        check("tuna price = exp(LPRICE7) to 4 dp",
              np.allclose(t[t.brand == "HH Chunk Lite 6.5oz"].price.values,
                          np.exp(src.LPRICE7.values), atol=5e-5))


def check_retail():
    r = pd.read_csv(os.path.join(HERE, "retail-sales.csv"), parse_dates=["ds"])
    check("retail rows", len(r) == 293, str(len(r)))
    check("retail range", r.ds.min() == pd.Timestamp("1992-01-01")
          and r.ds.max() == pd.Timestamp("2016-05-01"))
    check("retail no NaN", not r.isna().any().any())


def sentiment_windows(df):
    """Penalty days per SKU, recomputed from the review text by the README rule."""
    neg = set()
    for bank in gen.NEGATIVE.values():
        neg.update(bank)
    pen = set()
    for sku, g in df[df.review.isin(neg)].groupby("sku"):
        days = sorted(g.date)
        for d in pd.date_range(days[0], days[-1] + pd.Timedelta(days=7)):
            n = sum(1 for x in days if 0 <= (d - x).days < gen.NEG_RUN_WINDOW)
            if n >= gen.NEG_RUN_REVIEWS:
                for i in range(1, gen.NEG_RUN_DAYS + 1):
                    pen.add((sku, d + pd.Timedelta(days=i)))
    return pen


def matched_ratio(df, treated, control):
    """sum(units on treated days) / sum(mean units of matched control days)."""
    num = den = 0.0
    n = 0
    ctrl = df[control]
    groups = {k: g for k, g in ctrl.groupby(["sku", "wd"])}
    for row in df[treated].itertuples():
        g = groups.get((row.sku, row.wd))
        if g is None:
            continue
        near = g[(g.date - row.date).abs() <= pd.Timedelta(days=28)]
        if len(near) < 3:
            continue
        num += row.units
        den += near.units.mean()
        n += 1
    return num / den, n


def check_online():
    df = pd.read_csv(os.path.join(HERE, "online-store.csv"), parse_dates=["date"],
                     keep_default_na=False, na_values={"units": [""], "price": [""],
                                                       "traffic": [""]})
    fut = pd.read_csv(os.path.join(HERE, "online-store-future.csv"),
                      parse_dates=["date"], keep_default_na=False)
    size = os.path.getsize(os.path.join(HERE, "online-store.csv"))
    check("online rows", True, "%d rows, %d SKUs, %.2f MB" % (len(df), df.sku.nunique(), size / 1e6))
    check("online size < 3 MB", size < 3e6)
    check("online range", df.date.min() == pd.Timestamp("2023-01-01")
          and df.date.max() == pd.Timestamp("2025-06-30"))
    check("online no duplicate (date, sku)", not df.duplicated(["date", "sku"]).any())
    check("online no NaN in numeric columns",
          not df[["units", "price", "promo", "discount", "traffic"]].isna().any().any())
    span = df.groupby("sku").date.agg(["min", "max", "count"])
    launches = {s[0]: s[6] for s in gen.SKUS if s[6]}
    ok = all(span.loc[s, "min"] == pd.Timestamp(launches.get(s, "2023-01-01"))
             and span.loc[s, "max"] == pd.Timestamp("2025-06-30")
             and span.loc[s, "count"] == (span.loc[s, "max"] - span.loc[s, "min"]).days + 1
             for s in span.index)
    check("online each SKU contiguous from launch to 2025-06-30", ok,
          "new: " + ", ".join("%s %s" % kv for kv in launches.items()))
    base = {s[0]: s[3] for s in gen.SKUS}
    exp_price = df.apply(lambda r: gen.price_of(base[r.sku], r.discount), axis=1)
    check("online price = round(base x (1 - discount), 2)", (abs(exp_price - df.price) < 1e-9).all())
    check("online reviews", True, "%d non-empty (%.1f %% of rows), %d zh-containing"
          % ((df.review != "").sum(), 100 * (df.review != "").mean(),
             df.review.str.contains("[\u4e00-\u9fff]").sum()))
    check("online holiday labels", set(df.holiday) == {"", "double_11", "shopping_618", "spring_festival"},
          df.holiday.value_counts().to_dict())

    _, stockouts, _, triggers = gen.generate(gen.Rng(gen.SEED))
    out = set()
    for sku, a, b in stockouts:
        for d in pd.date_range(a, b):
            out.add((sku, d))
    key = list(zip(df.sku, df.date))
    df["out"] = [k in out for k in key]
    check("online stock-out days have units 0", (df[df.out].units == 0).all(),
          "%d runs, %d days" % (len(stockouts), df.out.sum()))
    pen = sentiment_windows(df)
    truth_pen = set()
    for sku, a, b in triggers:
        for d in pd.date_range(a, b):
            truth_pen.add((sku, d))
    truth_pen = {k for k in truth_pen if k[1] <= pd.Timestamp("2025-06-30")}
    pen = {k for k in pen if k[1] <= pd.Timestamp("2025-06-30")}
    check("online sentiment rule from review text reproduces the generator", pen == truth_pen,
          "%d penalty SKU-days" % len(pen))
    df["pen"] = [k in pen for k in key]
    df["wd"] = df.date.dt.weekday
    # Leave out the launch ramp (first 8 weeks of a new SKU).
    ramp = df.apply(lambda r: r.sku in launches
                    and (r.date - pd.Timestamp(launches[r.sku])).days < 56, axis=1)
    plain = ~df.out & ~df.pen & ~ramp
    control = plain & (df.promo == 0) & (df.discount == 0) & (df.holiday == "")

    r, n = matched_ratio(df, plain & (df.promo == 1) & (df.discount == 0) & (df.holiday == ""), control)
    check("promo uplift (promo only)", abs(r - gen.PROMO_UPLIFT) < 0.05,
          "empirical %.3f vs true %.2f (%d days)" % (r, gen.PROMO_UPLIFT, n))
    for lv in [0.05, 0.10, 0.15, 0.20, 0.25, 0.30]:
        t = plain & (df.promo == 0) & ((df.discount - lv).abs() < 1e-9) & (df.holiday == "")
        if t.sum() < 50:
            continue
        r, n = matched_ratio(df, t, control)
        true = ((df[t].price / df[t].sku.map(base)) ** -gen.ELASTICITY).mean()
        check("discount %.2f (no promo)" % lv, abs(r / true - 1) < 0.04,
              "uplift %.3f vs true %.3f (%d days)" % (r, true, n))
    # Pooled elasticity: the e for which sum(units) = sum(baseline x (p/p0)^-e)
    # over all discount-only days, found by bisection.
    t = plain & (df.promo == 0) & (df.discount > 0) & (df.holiday == "")
    rows = []
    groups = {k: g for k, g in df[control].groupby(["sku", "wd"])}
    for row in df[t].itertuples():
        g = groups.get((row.sku, row.wd))
        near = g[(g.date - row.date).abs() <= pd.Timedelta(days=28)]
        if len(near) >= 3:
            rows.append((row.units, near.units.mean(), row.price / base[row.sku]))
    lo, hi = 0.0, 5.0
    for _ in range(60):
        e = (lo + hi) / 2
        if sum(u for u, _, _ in rows) > sum(b * p ** -e for _, b, p in rows):
            lo = e
        else:
            hi = e
    check("pooled price elasticity", abs(e - gen.ELASTICITY) < 0.2,
          "empirical %.2f vs true %.2f (%d days)" % (e, gen.ELASTICITY, len(rows)))
    t = plain & (df.promo == 1) & (df.discount > 0) & (df.holiday == "")
    r, n = matched_ratio(df, t, control)
    true = (gen.PROMO_UPLIFT * (df[t].price / df[t].sku.map(base)) ** -gen.ELASTICITY).mean()
    check("promo + discount", abs(r / true - 1) < 0.05, "empirical %.3f vs true ~%.3f (%d days)" % (r, true, n))
    for hol, f in gen.HOLIDAYS.items():
        t = plain & (df.holiday == hol) & (df.promo == 0) & (df.discount == 0)
        r, n = matched_ratio(df, t, control)
        check("holiday %s (no promo)" % hol, abs(r / f - 1) < 0.12,
              "empirical %.3f vs true %.2f (%d SKU-days)" % (r, f, n))
    t = ~df.out & df.pen & ~ramp & (df.promo == 0) & (df.discount == 0) & (df.holiday == "")
    r, n = matched_ratio(df, t, control)
    check("negative-review penalty", abs(r - gen.NEG_RUN_EFFECT) < 0.08,
          "empirical %.3f vs true %.2f (%d days)" % (r, gen.NEG_RUN_EFFECT, n))
    wk = df[control].groupby(["category", "wd"]).units.sum()
    sat = (wk.xs(5, level="wd") / wk.groupby(level="category").mean()).round(3).to_dict()
    check("weekend effect (Saturday / weekday mean)", all(v > 1.0 for v in sat.values()), sat)

    check("future rows = 30 SKUs x 56 days", len(fut) == 30 * 56, str(len(fut)))
    check("future range", fut.date.min() == pd.Timestamp("2025-07-01")
          and fut.date.max() == pd.Timestamp("2025-08-25"))
    check("future no NaN", not fut[["price", "promo", "discount"]].isna().any().any())
    planned = fut[(fut.promo == 1) | (fut.discount > 0)]
    check("future planned actions", set(planned.sku) == {p[0] for p in gen.FUTURE_PLAN},
          planned.groupby("sku").agg(days=("date", "count"), promo=("promo", "max"),
                                     discount=("discount", "max")).to_dict("index"))


check_tuna()
check_retail()
check_online()
print("FAILED: %s" % failures if failures else "all checks passed")
sys.exit(1 if failures else 0)
