#!/usr/bin/env python3
"""Does the learnt review-text signal recover the online store's true effect?

data/samples/README.md: when a SKU's reviews of days t-6 .. t include >= 3
negative reviews, demand on days t+1 .. t+14 is x0.8.  The model never sees
which reviews are negative: it learns what the hashed n-grams mean from the
sales (src/core/tc-text-layer.h).  This script uses the generator's phrase
lists only to find the origins and to write the counterfactual:

  for every SKU and day t where the rule fires, forecast t+1 .. t+14 from the
  data up to t twice: with the real reviews, and with every negative review
  of the model's context replaced by a neutral one (same language).  The
  ratio of the summed P50 is the model's text effect; the truth is 0.8.

Models are trained by trendcast-cli on the data before --train-end (the
origins after it are out of sample) with --text-col review and without the
safety net (the network's own forecast is what the text changes).

With --oracle-count the file gains a numeric column neg7, the rule's own
count (negative reviews of t-6 .. t), which the counterfactual sets to 0 in
the context: with --text-dim 0 it measures what the forecaster learns from a
perfect sentiment signal, an upper reference for the text layer.

Usage: text_ablation.py CLI DATA.csv WORKDIR [--seeds 1,2,3] [--train-end 2025-01-01]
Standard library only.
"""
import argparse
import csv
import datetime
import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_generator():
    path = os.path.join(HERE, "..", "data", "samples", "generate-online-store.py")
    spec = importlib.util.spec_from_file_location("gen", path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def phrase_sets(gen):
    def flat(bank):
        return {p for v in bank.values() for p in v}
    return flat(gen.NEGATIVE), flat(gen.NEUTRAL)


def is_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("data")
    ap.add_argument("work")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--train-end", default="2025-01-01")
    ap.add_argument("--epochs", default="40")
    ap.add_argument("--context", default="56")
    ap.add_argument("--text-dim", default="4")
    ap.add_argument("--patience", default="5")
    ap.add_argument("--lr", default="0")
    ap.add_argument("--steps-per-epoch", default="0")
    ap.add_argument("--oracle-count", action="store_true",
                    help="add the rule's count of negative reviews (t-6 .. t) as an observed column neg7")
    ap.add_argument("--train-args", default="", help="more trendcast-cli train flags, space-separated")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    gen = load_generator()
    negative, neutral = phrase_sets(gen)
    neutral_zh = "还可以，一般般"
    neutral_en = "It's okay"
    assert neutral_zh in neutral and neutral_en in neutral

    with open(args.data, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    col = {n: i for i, n in enumerate(header)}
    if args.oracle_count:
        header = header + ["neg7"]
        col["neg7"] = len(header) - 1
        sku = None
        for r in rows:
            if r[col["sku"]] != sku:
                sku, flags = r[col["sku"]], []
            flags.append(r[col["review"]] in negative)
            r.append(str(sum(flags[-7:])))
    by_sku = {}
    for r in rows:
        by_sku.setdefault(r[col["sku"]], []).append(r)

    train_csv = os.path.join(args.work, "train.csv")
    with open(train_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            if r[col["date"]] < args.train_end:
                w.writerow(r)

    # Origins: day t of a SKU where its reviews of t-6 .. t hold >= 3 negative ones.
    L = int(args.context)
    origins = []
    for sku, rs in by_sku.items():
        dates = [datetime.date.fromisoformat(r[col["date"]]) for r in rs]
        neg = [r[col["review"]] in negative for r in rs]
        for i in range(len(rs)):
            if i + 14 >= len(rs):
                break
            if sum(neg[max(0, i - 6):i + 1]) >= 3:
                # Onset: the rule did not fire the day before, so no penalty
                # shows in the sales of the context yet: only the text tells.
                onset = i == 0 or sum(neg[max(0, i - 7):i]) < 3
                origins.append((sku, i, dates[i], onset))
    print("origins where the rule fires: %d (%d SKUs)" % (len(origins), len({o[0] for o in origins})))

    # One other SKU with every date rides along, so that the one-hot
    # holiday levels the model knows are all in the file.
    longest = max(len(v) for v in by_sku.values())
    full = [k for k in by_sku if len(by_sku[k]) == longest][:2]

    def write_case(path, sku, i, counterfactual):
        rs = by_sku[sku]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(by_sku[full[0] if full[0] != sku else full[1]])
            for j, r in enumerate(rs[:i + 15]):
                r = list(r)
                if j > i:
                    # Forecast dates: known covariates only.
                    r[col["units"]] = ""
                    r[col["review"]] = ""
                    r[col["traffic"]] = ""
                    if args.oracle_count:
                        r[col["neg7"]] = ""
                elif counterfactual and j > i - L:
                    if r[col["review"]] in negative:
                        r[col["review"]] = neutral_zh if is_cjk(r[col["review"]]) else neutral_en
                    if args.oracle_count:
                        r[col["neg7"]] = "0"
                w.writerow(r)

    def p50_sum(model, path, sku):
        out = path + ".fc.csv"
        subprocess.run([args.cli, "forecast", "-m", model, path, "-o", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out, newline="", encoding="utf-8") as f:
            rd = csv.DictReader(f)
            vals = [float(r["p50"]) for r in rd if r["series"] == sku]
        return sum(vals[:14])

    results = []
    for seed in [s for s in args.seeds.split(",") if s]:
        model = os.path.join(args.work, "text-seed%s.tcm" % seed)
        if not os.path.exists(model):
            subprocess.run([args.cli, "train", train_csv, "-o", model, "--text-col", "review",
                            "--text-dim", args.text_dim, "--horizon", "14", "--context", args.context,
                            "--max-epochs", args.epochs, "--patience", args.patience,
                            "--no-safety-net", "--threads", "1"] + (["--lr", args.lr] if args.lr != "0" else [])
                           + (["--steps-per-epoch", args.steps_per_epoch] if args.steps_per_epoch != "0" else [])
                           + args.train_args.split() + [
                            "--seed", seed, "-q"], check=True)
        for sku, i, d, onset in origins:
            real = os.path.join(args.work, "case-%s-%d-real.csv" % (sku, i))
            cf = os.path.join(args.work, "case-%s-%d-cf.csv" % (sku, i))
            write_case(real, sku, i, False)
            write_case(cf, sku, i, True)
            a, b = p50_sum(model, real, sku), p50_sum(model, cf, sku)
            oos = d.isoformat() >= args.train_end
            results.append((seed, sku, d.isoformat(), oos, a, b, onset))
            print("seed %s %s %s %s real %.1f neutral %.1f ratio %.3f"
                  % (seed, sku, d, "out-of-sample" if oos else "in-sample", a, b, a / b if b else float("nan")))
            sys.stdout.flush()

    out = os.path.join(args.work, "text-ablation.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["seed", "sku", "origin_last_day", "out_of_sample", "p50_sum_real", "p50_sum_neutral", "onset"])
        w.writerows(results)

    print("\nratio of summed P50 over t+1..t+14, real reviews / negative reviews made neutral (truth 0.8):")
    for label, sel in (("in-sample", False), ("out-of-sample", True)):
        for seed in sorted({r[0] for r in results}):
            rs = [r for r in results if r[0] == seed and r[3] == sel]
            if rs:
                print("  %-14s seed %s: %.3f over %d origins"
                      % (label, seed, sum(r[4] for r in rs) / sum(r[5] for r in rs), len(rs)))
        rs = [r for r in results if r[3] == sel]
        if rs:
            print("  %-14s all seeds: %.3f over %d forecasts"
                  % (label, sum(r[4] for r in rs) / sum(r[5] for r in rs), len(rs)))
        rs = [r for r in results if r[3] == sel and r[6]]
        if rs:
            print("  %-14s onsets only (first day the rule fires), all seeds: %.3f over %d forecasts"
                  % (label, sum(r[4] for r in rs) / sum(r[5] for r in rs), len(rs)))


if __name__ == "__main__":
    main()
