#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Seeded generator of Trendcast's synthetic online-store sample.
#
#   usage: generate-online-store.py [OUTDIR]        (default: this directory)
#          generate-online-store.py --truth          (print the per-SKU truth
#                                                     table for README.md)
#
# Writes OUTDIR/online-store.csv (daily history 2023-01-01 .. 2025-06-30) and
# OUTDIR/online-store-future.csv (known covariates for the 8 weeks after).
#
# The point of this data set is that its causal structure is KNOWN, so that
# forecasts and what-if answers can be checked against the truth.  Every
# effect is a fixed multiplier on expected daily demand, documented in
# README.md next to this file; the constants below are the single source.
#
# Only the standard library is used, and only random.random() is drawn from
# the generator (all distributions are built here from uniforms), so the
# output is byte-identical across machines and Python 3 versions.

import csv
import datetime
import math
import os
import random
import sys

SEED = 20250630
START = datetime.date(2023, 1, 1)
END = datetime.date(2025, 6, 30)          # inclusive
FUTURE_DAYS = 56                          # 8 weeks after END

# --- The true effects (see README.md) ---------------------------------------

PROMO_UPLIFT = 1.35                       # promo = 1 multiplies demand
ELASTICITY = 1.8                          # demand ~ (price / base_price) ^ -1.8
HOLIDAYS = {                              # name -> multiplier
    "double_11": 3.0,                     # Nov 11, the day itself
    "shopping_618": 2.0,                  # Jun 18, the day itself
    "spring_festival": 0.5,               # 7 days centred on New Year's Day
}
SPRING_FESTIVAL = [datetime.date(2023, 1, 22), datetime.date(2024, 2, 10),
                   datetime.date(2025, 1, 29)]
NEG_RUN_REVIEWS = 3                       # >= 3 negative reviews ...
NEG_RUN_WINDOW = 7                        # ... within 7 days (t-6 .. t) ...
NEG_RUN_EFFECT = 0.8                      # ... multiply demand on t+1 .. t+14
NEG_RUN_DAYS = 14
LAUNCH_RAMP_DAYS = 14.0                   # new SKU: 1 - exp(-(age + 1) / 14)
NB_SIZE = 15.0                            # negative binomial size (dispersion)

# Weekly shape, Monday .. Sunday, sums to 0; scaled by a category's
# weekend amplitude: weekly factor = 1 + amp * WEEK_SHAPE[weekday].
WEEK_SHAPE = [-0.4, -0.4, -0.3, -0.2, 0.1, 0.7, 0.5]

# name: (weekend amplitude, yearly amplitude, yearly peak day of year)
CATEGORIES = {
    "Snacks":                  (0.25, 0.15, 15),    # peak mid-January
    "Beverages":               (0.20, 0.35, 196),   # peak mid-July
    "Personal Care":           (0.10, 0.08, 120),   # peak end of April
    "Electronics Accessories": (0.35, 0.12, 320),   # peak mid-November
    "Home":                    (0.15, 0.20, 280),   # peak early October
}

# sku, category, brand, base price (CNY), base units/day at START,
# yearly trend (log growth per year), launch date or None.
SKUS = [
    ("SNK-001", "Snacks", "Crunchy Bay", 12.90, 85, 0.10, None),
    ("SNK-002", "Snacks", "Crunchy Bay", 19.90, 40, 0.00, None),
    ("SNK-003", "Snacks", "Golden Leaf", 9.90, 120, 0.05, None),
    ("SNK-004", "Snacks", "Golden Leaf", 29.90, 22, -0.15, None),
    ("SNK-005", "Snacks", "Golden Leaf", 15.90, 35, 0.20, None),
    ("SNK-006", "Snacks", "Crunchy Bay", 24.90, 30, 0.25, "2024-06-03"),
    ("BEV-001", "Beverages", "Frost Peak", 4.50, 150, 0.05, None),
    ("BEV-002", "Beverages", "Frost Peak", 6.90, 90, 0.15, None),
    ("BEV-003", "Beverages", "Jade Spring", 39.90, 18, -0.10, None),
    ("BEV-004", "Beverages", "Jade Spring", 59.00, 8, 0.30, None),
    ("BEV-005", "Beverages", "Frost Peak", 3.20, 200, -0.05, None),
    ("BEV-006", "Beverages", "Jade Spring", 12.50, 45, 0.20, "2024-07-15"),
    ("PCR-001", "Personal Care", "Lumi", 45.00, 25, 0.08, None),
    ("PCR-002", "Personal Care", "Lumi", 79.00, 12, 0.12, None),
    ("PCR-003", "Personal Care", "PureOcean", 19.90, 55, -0.20, None),
    ("PCR-004", "Personal Care", "PureOcean", 29.90, 30, 0.00, None),
    ("PCR-005", "Personal Care", "Lumi", 129.00, 5, 0.35, None),
    ("PCR-006", "Personal Care", "PureOcean", 35.00, 20, 0.00, None),
    ("ELA-001", "Electronics Accessories", "VoltLine", 59.00, 30, 0.15, None),
    ("ELA-002", "Electronics Accessories", "VoltLine", 99.00, 14, 0.05, None),
    ("ELA-003", "Electronics Accessories", "Nexa", 29.90, 45, -0.25, None),
    ("ELA-004", "Electronics Accessories", "Nexa", 199.00, 4, 0.40, None),
    ("ELA-005", "Electronics Accessories", "VoltLine", 39.90, 20, 0.10, None),
    ("ELA-006", "Electronics Accessories", "Nexa", 149.00, 10, 0.30, "2024-08-19"),
    ("HOM-001", "Home", "NestWell", 25.90, 40, 0.05, None),
    ("HOM-002", "Home", "NestWell", 49.90, 18, 0.10, None),
    ("HOM-003", "Home", "Oakridge", 89.00, 7, -0.05, None),
    ("HOM-004", "Home", "Oakridge", 15.90, 60, 0.00, None),
    ("HOM-005", "Home", "NestWell", 69.00, 10, 0.15, None),
    ("HOM-006", "Home", "Oakridge", 34.90, 25, 0.25, "2024-09-09"),
]

# Planned actions in the future file (what-if demo); everything else there
# is promo 0, discount 0, price = base price.
# sku, first day, last day, promo, discount
FUTURE_PLAN = [
    ("BEV-002", "2025-07-14", "2025-07-20", 1, 0.20),
    ("SNK-003", "2025-08-04", "2025-08-10", 1, 0.00),
    ("HOM-004", "2025-07-28", "2025-08-03", 0, 0.15),
]

DISCOUNT_LEVELS = [0.10, 0.15, 0.20, 0.25, 0.30]
MARKDOWN_LEVELS = [0.05, 0.10, 0.15]

# Review phrase bank; the sentiment of a review is the list it comes from.
POSITIVE = {
    "*": ["质量很好，会回购", "物流很快，包装完好", "性价比高，推荐购买",
          "和描述一致，满意", "第二次买了，一如既往的好", "客服态度很好",
          "Great quality, will buy again", "Fast delivery, well packed",
          "Good value for money", "Exactly as described", "Five stars",
          "Second order, still happy"],
    "Snacks": ["味道不错，家人都喜欢", "很香很脆", "Tastes great, kids love it"],
    "Beverages": ["口感清爽，夏天必备", "Refreshing, not too sweet"],
    "Personal Care": ["用了一周，效果明显", "味道很淡，不刺激", "Gentle on my skin"],
    "Electronics Accessories": ["充电很快，做工不错", "Charges fast, solid build"],
    "Home": ["很实用，做工扎实", "Looks nice in the kitchen"],
}
NEUTRAL = {
    "*": ["还可以，一般般", "收到了，还没用", "包装有点简单",
          "It's okay", "Average, nothing special", "Received, not tried yet"],
}
NEGATIVE = {
    "*": ["质量太差，不会再买", "收到就坏了", "和图片不一样", "发货太慢了",
          "Arrived broken", "Poor quality, returned it", "Not as described",
          "Too expensive for what it is"],
    "Snacks": ["有异味，退货了", "快过期了", "Stale, smells odd"],
    "Beverages": ["瓶子漏了", "Leaking bottle", "Tastes flat"],
    "Personal Care": ["用了过敏", "Caused a rash"],
    "Electronics Accessories": ["用了两天就坏了", "Stopped working after two days"],
    "Home": ["尺寸不对", "Handle came off"],
}


# --- Random variates from random.random() only ------------------------------

class Rng:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def u(self):
        return self.r.random()

    def randint(self, a, b):
        return a + min(int(self.u() * (b - a + 1)), b - a)

    def choice(self, seq):
        return seq[self.randint(0, len(seq) - 1)]

    def normal(self):
        # Box-Muller; 1 - u avoids log(0).
        return (math.sqrt(-2.0 * math.log(1.0 - self.u()))
                * math.cos(2.0 * math.pi * self.u()))

    def gamma(self, shape):
        # Marsaglia & Tsang (2000), shape >= 1, scale 1.
        d = shape - 1.0 / 3.0
        c = 1.0 / math.sqrt(9.0 * d)
        while True:
            x = self.normal()
            v = (1.0 + c * x) ** 3
            if v <= 0.0:
                continue
            u = self.u()
            if math.log(1.0 - u) < 0.5 * x * x + d - d * v + d * math.log(v):
                return d * v

    def poisson(self, lam):
        if lam <= 0.0:
            return 0
        if lam < 30.0:
            # Inversion by sequential search.
            u = self.u()
            k, p = 0, math.exp(-lam)
            cdf = p
            while u > cdf and k < 1000:
                k += 1
                p *= lam / k
                cdf += p
            return k
        # PTRS, Hormann (1993).
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = self.u() - 0.5
            v = self.u()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return int(k)
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - math.lgamma(k + 1)):
                return int(k)

    def negbin(self, mu, size):
        # Gamma-Poisson mixture: mean mu, variance mu + mu^2 / size.
        return self.poisson(mu * self.gamma(size) / size)


# --- The model ---------------------------------------------------------------

def date_range(a, b):
    d = a
    while d <= b:
        yield d
        d += datetime.timedelta(days=1)


def holiday_of(d):
    if d.month == 11 and d.day == 11:
        return "double_11"
    if d.month == 6 and d.day == 18:
        return "shopping_618"
    for sf in SPRING_FESTIVAL:
        if abs((d - sf).days) <= 3:
            return "spring_festival"
    return ""


def weekly_factor(cat, d):
    return 1.0 + CATEGORIES[cat][0] * WEEK_SHAPE[d.weekday()]


def yearly_factor(cat, d):
    _, amp, peak = CATEGORIES[cat]
    doy = d.timetuple().tm_yday
    return 1.0 + amp * math.cos(2.0 * math.pi * (doy - peak) / 365.25)


def trend_factor(growth, d):
    return math.exp(growth * (d - START).days / 365.25)


def price_of(base, discount):
    return round(base * (1.0 - discount) + 1e-9, 2)


def plan_actions(rng, first, last):
    """Promotion campaigns and markdowns of one SKU: {date: (promo, discount)}."""
    acts = {}
    d = first + datetime.timedelta(days=rng.randint(3, 30))
    while d <= last:
        if rng.u() < 0.7:
            # A campaign: promo flag for 3-7 days, half of them with a discount.
            length = rng.randint(3, 7)
            disc = rng.choice(DISCOUNT_LEVELS) if rng.u() < 0.5 else 0.0
            promo = 1
        else:
            # A plain markdown: price cut for 5-14 days without promotion.
            length = rng.randint(5, 14)
            disc = rng.choice(MARKDOWN_LEVELS)
            promo = 0
        for i in range(length):
            acts[d + datetime.timedelta(days=i)] = (promo, disc)
        d += datetime.timedelta(days=length + rng.randint(20, 50))
    return acts


def pick_reviews(bank, cat):
    return bank["*"] + bank.get(cat, [])


def generate(rng):
    history = []
    stockouts = []
    episodes = []
    triggers = []
    for sku, cat, brand, base_price, level, growth, launch in SKUS:
        first = datetime.date.fromisoformat(launch) if launch else START
        acts = plan_actions(rng, first, END)

        # Platform festivals: most SKUs join with a promotion and often a
        # discount; these override the SKU's own plan on that day.
        for d in date_range(first, END):
            if holiday_of(d) in ("double_11", "shopping_618"):
                if rng.u() < 0.6:
                    acts[d] = (1, 0.20 if rng.u() < 0.5 else 0.0)
                else:
                    acts.pop(d, None)

        # Stock-outs: some SKUs run out once or twice for 3-10 days.
        out_days = set()
        if rng.u() < 0.35:
            for _ in range(rng.randint(1, 2)):
                s = first + datetime.timedelta(days=rng.randint(60, (END - first).days - 30)) \
                    if (END - first).days > 120 else None
                if s is None:
                    continue
                n = rng.randint(3, 10)
                run = [s + datetime.timedelta(days=i) for i in range(n)]
                if any(holiday_of(x) or x in out_days for x in run):
                    continue
                out_days.update(run)
                stockouts.append((sku, run[0], run[-1]))

        # Quality episodes ("bad batch"): reviews turn mostly negative for
        # 10-20 days.  Not in the last 45 days, so no penalty leaks into the
        # future period.
        bad_days = set()
        if rng.u() < 0.4 and (END - first).days > 150:
            s = first + datetime.timedelta(days=rng.randint(40, (END - first).days - 45))
            n = rng.randint(10, 20)
            bad_days.update(s + datetime.timedelta(days=i) for i in range(n))
            episodes.append((sku, s, s + datetime.timedelta(days=n - 1)))

        conv = 0.03 + 0.05 * rng.u()          # units per page view
        neg_dates = []                        # dates of negative reviews
        penalty_until = None                  # last day of a sentiment penalty
        pos = pick_reviews(POSITIVE, cat)
        neu = pick_reviews(NEUTRAL, cat)
        neg = pick_reviews(NEGATIVE, cat)

        for d in date_range(first, END):
            promo, disc = acts.get(d, (0, 0.0))
            if d in out_days:
                promo, disc = 0, 0.0
            price = price_of(base_price, disc)
            hol = holiday_of(d)

            mu = level * trend_factor(growth, d) * weekly_factor(cat, d) \
                * yearly_factor(cat, d)
            if launch:
                mu *= 1.0 - math.exp(-((d - first).days + 1) / LAUNCH_RAMP_DAYS)
            if promo:
                mu *= PROMO_UPLIFT
            mu *= (price / base_price) ** (-ELASTICITY)
            if hol:
                mu *= HOLIDAYS[hol]
            penalised = penalty_until is not None and d <= penalty_until
            if penalised:
                mu *= NEG_RUN_EFFECT

            traffic = int(round(mu / conv * math.exp(0.15 * rng.normal())))
            units = 0 if d in out_days else rng.negbin(mu, NB_SIZE)

            review = ""
            p_review = min(0.6, 0.002 * units) if d not in bad_days \
                else min(0.7, 0.1 + 0.01 * units)
            if units > 0 and rng.u() < p_review:
                x = rng.u()
                p_neg = 0.8 if d in bad_days else 0.08
                if x < p_neg:
                    review = rng.choice(neg)
                    neg_dates.append(d)
                elif x < p_neg + 0.12:
                    review = rng.choice(neu)
                else:
                    review = rng.choice(pos)
            # The sentiment rule looks only at reviews up to and including
            # today, so the penalty starts tomorrow.
            recent = [x for x in neg_dates if (d - x).days < NEG_RUN_WINDOW]
            if len(recent) >= NEG_RUN_REVIEWS:
                until = d + datetime.timedelta(days=NEG_RUN_DAYS)
                if penalty_until is not None and d < penalty_until:
                    triggers[-1] = (sku, triggers[-1][1], until)
                else:
                    triggers.append((sku, d + datetime.timedelta(days=1), until))
                penalty_until = until

            history.append([d.isoformat(), sku, cat, brand, units,
                            "%.2f" % price, promo, "%.2f" % disc, hol,
                            traffic, review])
    return history, stockouts, episodes, triggers


def future_rows():
    base = {s[0]: s[3] for s in SKUS}
    plan = {}
    for sku, a, b, promo, disc in FUTURE_PLAN:
        for d in date_range(datetime.date.fromisoformat(a),
                            datetime.date.fromisoformat(b)):
            plan[(sku, d)] = (promo, disc)
    rows = []
    first = END + datetime.timedelta(days=1)
    last = END + datetime.timedelta(days=FUTURE_DAYS)
    for s in SKUS:
        for d in date_range(first, last):
            promo, disc = plan.get((s[0], d), (0, 0.0))
            rows.append([d.isoformat(), s[0], "%.2f" % price_of(base[s[0]], disc),
                         promo, "%.2f" % disc, holiday_of(d)])
    return rows


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv):
    rng = Rng(SEED)
    history, stockouts, episodes, triggers = generate(rng)
    if len(argv) > 1 and argv[1] == "--truth":
        print("| sku | category | brand | base price | units/day at start | trend (log/yr) | launch |")
        print("|---|---|---|---|---|---|---|")
        for sku, cat, brand, price, level, growth, launch in SKUS:
            print("| %s | %s | %s | %.2f | %d | %+.2f | %s |"
                  % (sku, cat, brand, price, level, growth, launch or "-"))
        print("\nStock-outs (units 0):")
        for sku, a, b in sorted(stockouts):
            print("- %s %s .. %s" % (sku, a, b))
        print("\nBad-batch review episodes:")
        for sku, a, b in episodes:
            print("- %s %s .. %s" % (sku, a, b))
        print("\nSentiment penalty (demand x %.2f) in force:" % NEG_RUN_EFFECT)
        for sku, a, b in triggers:
            print("- %s %s .. %s" % (sku, a, b))
        return 0
    outdir = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    write_csv(os.path.join(outdir, "online-store.csv"),
              ["date", "sku", "category", "brand", "units", "price", "promo",
               "discount", "holiday", "traffic", "review"], history)
    write_csv(os.path.join(outdir, "online-store-future.csv"),
              ["date", "sku", "price", "promo", "discount", "holiday"],
              future_rows())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
