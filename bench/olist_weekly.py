#!/usr/bin/env python3
"""Weekly category sales with their reviews, from the Olist "classified" orders.

Input: ../shared/datasets/olist_classified_reviews/olist_classified_public_dataset.csv
(Olist, CC BY-NC-SA 4.0 as commonly listed: non-commercial; never copied into
this repository, the benchmark reads it from ../shared).

Construction (stated in bench/RESULTS-text.md):
  - one series per product_category_name among the TOP categories by orders;
  - a week starts on Monday; units = sum of order_items_qty of the orders
    PURCHASED in that week (order_purchase_timestamp), 0 when none;
  - review = the review_comment_message of every order of the category whose
    review was CREATED in that week (review_creation_date), one per line: a
    review is observed when it is written, after delivery, so it is a lagged
    signal of the past, never of the week it describes;
  - review_score = mean review_score of those reviews (observed), empty when none;
  - the weeks run from the first to the last full purchase week of the file.

Usage: olist_weekly.py INPUT.csv OUTPUT.csv [--top 12]
Standard library only.
"""
import argparse
import collections
import csv
import datetime


def monday(ts):
    d = datetime.date.fromisoformat(ts[:10])
    return d - datetime.timedelta(days=d.weekday())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()

    with open(args.input, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counts = collections.Counter(r["product_category_name"] for r in rows if r["product_category_name"])
    cats = [c for c, _ in counts.most_common(args.top)]
    units = collections.defaultdict(float)
    texts = collections.defaultdict(list)
    scores = collections.defaultdict(list)
    weeks = set()
    for r in rows:
        c = r["product_category_name"]
        w = monday(r["order_purchase_timestamp"])
        weeks.add(w)
        if c not in cats:
            continue
        units[(c, w)] += float(r["order_items_qty"] or 1)
        if r["review_creation_date"]:
            rw = monday(r["review_creation_date"])
            msg = " ".join(r["review_comment_message"].split())
            if msg:
                texts[(c, rw)].append(msg)
            if r["review_score"]:
                scores[(c, rw)].append(float(r["review_score"]))
    # Full weeks of purchases only: drop the partial first and last week.
    first, last = min(weeks) + datetime.timedelta(days=7), max(weeks) - datetime.timedelta(days=7)
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["week", "category", "units", "review_score", "review"])
        for c in cats:
            d = first
            while d <= last:
                sc = scores.get((c, d))
                w.writerow([d.isoformat(), c, "%g" % units.get((c, d), 0.0),
                            "%.3f" % (sum(sc) / len(sc)) if sc else "",
                            "\n".join(texts.get((c, d), []))])
                d += datetime.timedelta(days=7)


if __name__ == "__main__":
    main()
