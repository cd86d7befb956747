#!/usr/bin/python3
"""Excel import throughput: trendcast-cli inspect on an .xlsx against openpyxl.

Writes a long-format workbook (date, sku, units, price, promo, review) of
--rows rows with openpyxl, the same table as CSV, then times, each in its
own process (best of --repeat):

  * trendcast-cli inspect BOOK.xlsx --json  (unzip, XML, CSV, then the whole
                                             import: validate, grid, quality)
  * trendcast-cli inspect BOOK.csv --json   (the import alone: what the
                                             workbook adds is the difference)
  * openpyxl.load_workbook(read_only=True), every cell's value read: what
    pandas.read_excel does underneath, before it builds a DataFrame
    (interpreter and import start-up measured apart and subtracted)

Needs Debian's python3-openpyxl (/usr/bin/python3).
Usage: bench/xlsx_vs_openpyxl.py [--cli build/src/cli/trendcast-cli] [--rows N] [--repeat 3]
"""
import argparse
import csv
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

import openpyxl


def generate(book, text, rows):
    rnd = random.Random(7)
    n_days = 500
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sales")
    header = ["date", "sku", "units", "price", "promo", "review"]
    ws.append(header)
    base = datetime.date(2020, 1, 1)
    with open(text, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(rows):
            s, d = divmod(i, n_days)
            day = base + datetime.timedelta(days=d)
            row = [day, "SKU-%05d" % s, rnd.randint(0, 200), round(rnd.uniform(1, 50), 2),
                   rnd.randint(0, 1), "Fast delivery, well packed" if rnd.random() < 0.05 else None]
            ws.append(row)
            w.writerow([day.isoformat()] + ["" if v is None else v for v in row[1:]])
    wb.save(book)


def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


READ = ("import openpyxl,sys\n"
        "wb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
        "n=0\n"
        "for row in wb.worksheets[0].iter_rows(values_only=True):\n"
        "    n+=len(row)\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/src/cli/trendcast-cli")
    ap.add_argument("--rows", type=int, default=200000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        book, text = os.path.join(tmp, "sales.xlsx"), os.path.join(tmp, "sales.csv")
        generate(book, text, args.rows)
        print("rows %d, workbook %.1f MB, CSV %.1f MB" % (args.rows, os.path.getsize(book) / 1e6,
                                                           os.path.getsize(text) / 1e6))
        startup = min(run([sys.executable, "-c", "import openpyxl"]) for _ in range(args.repeat))
        t_book = min(run([args.cli, "inspect", book, "--json"]) for _ in range(args.repeat))
        t_csv = min(run([args.cli, "inspect", text, "--json"]) for _ in range(args.repeat))
        t_py = min(run([sys.executable, "-c", READ, book]) for _ in range(args.repeat)) - startup
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print("trendcast-cli inspect .xlsx  %7.2f s  (%.0f rows/s)" % (t_book, args.rows / t_book))
        print("trendcast-cli inspect .csv   %7.2f s  (the workbook adds %.2f s)" % (t_csv, t_book - t_csv))
        print("openpyxl read-only, values   %7.2f s  (start-up %.2f s subtracted)" % (t_py, startup))
        print("ratio openpyxl / trendcast (whole import)  x%.1f" % (t_py / t_book))
        print("peak RSS of any child %.0f MB" % rss)


if __name__ == "__main__":
    main()
