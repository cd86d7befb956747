#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Convert bayesm's wide `tuna` table (Dominick's Finer Foods canned tuna,
# chain level, one row per week) into Trendcast's long format: one row per
# brand and week.
#
#   usage: make-tuna.py /path/to/dominicks_bayesm/tuna.csv > tuna.csv
#
# The source has only Dominick's week numbers.  We assume week 1 starts on
# Thursday 1989-09-14 (Dominick's documentation is said to count from there;
# not verified) and date every row by the start of its week, so the dates
# lie on a regular 7-day grid of Thursdays.  Weeks missing in the source
# (there are gaps, e.g. weeks 332-371) stay missing: no rows are invented.
#
# Prices are stored as logs in the source; we write exp() rounded to
# 4 decimals.  Unit sales, display share and customer counts are copied as
# written in the source.

import csv
import datetime
import math
import sys

BRANDS = [
    "Star Kist 6oz",
    "Chicken of the Sea 6oz",
    "Bumble Bee Solid 6.12oz",
    "Bumble Bee Chunk 6.12oz",
    "Geisha 6oz",
    "Bumble Bee Large Cans",
    "HH Chunk Lite 6.5oz",
]
WEEK1 = datetime.date(1989, 9, 14)

# A wholesale price below one cent is a recording error in the source
# (week 76, brand 2 has log price -10.45, i.e. $0.00003); write it as a
# missing value rather than as a real price of 0.0000.
MIN_PLAUSIBLE_PRICE = 0.01


def price(log_text):
    p = math.exp(float(log_text))
    if p < MIN_PLAUSIBLE_PRICE:
        return ""
    return "%.4f" % p


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s TUNA_CSV > tuna.csv\n" % argv[0])
        return 1
    with open(argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "brand", "units", "price", "wholesale_price",
                  "display", "customers"])
    for b, brand in enumerate(BRANDS, start=1):
        for r in rows:
            week = int(r["WEEK"])
            date = WEEK1 + datetime.timedelta(days=7 * (week - 1))
            out.writerow([date.isoformat(), brand, r["MOVE%d" % b],
                          price(r["LPRICE%d" % b]), price(r["LWHPRIC%d" % b]),
                          r["NSALE%d" % b], r["FULLCUST"]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
