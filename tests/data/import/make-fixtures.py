#!/usr/bin/env python3
"""Writes the import test fixtures (run once; the files are committed).

Byte-exact on purpose: CRLF, BOMs, UTF-16 and GB18030 are written as
bytes, so no editor or git setting can normalise them."""
import random

def w(name, text, enc="utf-8", bom=b""):
    with open(name, "wb") as f:
        f.write(bom + text.encode(enc))

# Delimiters, quotes, line ends, BOM.
long_rows = "".join("%s,%s,%s,%d,%.2f,%d\n" % (d, st, sku, u, p, pr) for (d, st, sku, u, p, pr) in [
    ("2024-01-01", "S1", "A", 10, 2.50, 0), ("2024-01-08", "S1", "A", 12, 2.50, 1),
    ("2024-01-15", "S1", "A", 9, 2.75, 0), ("2024-01-22", "S1", "A", 11, 2.75, 0),
    ("2024-01-01", "S2", "A", 20, 2.40, 0), ("2024-01-08", "S2", "A", 25, 2.40, 1),
    ("2024-01-15", "S2", "A", 0, 2.40, 0), ("2024-01-22", "S2", "A", 22, 2.60, 0)])
w("long.csv", "date,store,sku,units,price,promo\n" + long_rows)
w("long-crlf.csv", ("date,store,sku,units,price,promo\n" + long_rows).replace("\n", "\r\n"))
w("long-cr.csv", ("date,store,sku,units,price,promo\n" + long_rows).replace("\n", "\r"))
w("long-bom.csv", "date,store,sku,units,price,promo\n" + long_rows, bom=b"\xef\xbb\xbf")
w("long-tab.tsv", ("date,store,sku,units,price,promo\n" + long_rows).replace(",", "\t"))
w("long-pipe.csv", ("date,store,sku,units,price,promo\n" + long_rows).replace(",", "|"))
# European export: semicolons, decimal commas, thousands dots, currency.
w("semicolon-decimal-comma.csv",
  "date;sku;units;price\n"
  "01.02.2024;A;1,5;1.234,50 €\n"
  "02.02.2024;A;2,25;1.000,00 €\n"
  "03.02.2024;A;NA;999,99 €\n"
  "04.02.2024;A;4;-\n")
# Quoted fields with delimiters and newlines; the bad number is on line 7.
w("quoted-newline.csv",
  'date,sku,units,review\n'
  '2024-01-01,A,3,"good, cheap"\n'
  '2024-01-02,A,4,"first line\nsecond line\nthird, with comma"\n'
  '2024-01-03,A,5,"she said ""wow"""\n'
  '2024-01-04,A,abc,"x"\n')
# Excel "Unicode text": UTF-16 with BOM, tab-separated, Chinese headers.
zh = "日期\t门店\t销量\t价格\n2024-05-01\t北京店\t12\t¥12.50\n2024-05-02\t北京店\t15\t12.5元\n2024-05-03\t北京店\t9\t¥13.00\n"
w("utf16le.txt", zh, "utf-16-le", b"\xff\xfe")
w("utf16be.txt", zh, "utf-16-be", b"\xfe\xff")
w("gb18030.csv", zh.replace("\t", ","), "gb18030")
# Dates.
w("dates-dmy-slash.csv", "date,units\n11/01/2024,1\n12/01/2024,2\n13/01/2024,3\n")
w("dates-mdy-slash.csv", "date,units\n01/11/2024,1\n01/12/2024,2\n01/13/2024,3\n")
w("dates-ambiguous.csv", "date,units\n01/01/2024,1\n01/02/2024,2\n01/03/2024,3\n")
w("dates-mixed-order.csv", "date,units\n13/01/2024,1\n01/14/2024,2\n")
w("dates-dot.csv", "date,units\n01.05.2024,1\n01.06.2024,2\n01.07.2024,3\n")
w("dates-week.csv", "week,units\n2024-W05,1\n2024-W06,2\n2024-W08,4\n")
w("dates-chinese.csv", "日期,销量\n2024年5月1日,1\n2024年5月2日,2\n2024年5月3日,3\n")
w("dates-month.csv", "month,sales\n2024-01,10\n2024-02,11\n2024-03,12\n2024-05,14\n")
w("dates-hourly.csv", "timestamp,units\n2024-05-01 13:00,1\n2024-05-01 14:00,2\n2024-05-01T15:00:00,3\n")
w("freq-daily.csv", "date,units\n" + "".join("2024-03-%02d,%d\n" % (d, d) for d in range(1, 11)))
w("freq-weekly-sunday.csv", "date,units\n2024-01-07,1\n2024-01-14,2\n2024-01-21,3\n2024-01-28,4\n")
w("freq-monthly-end.csv", "date,units\n2024-01-31,1\n2024-02-29,2\n2024-03-31,3\n2024-04-30,4\n")
w("freq-quarterly.csv", "date,units\n2023-01-01,1\n2023-04-01,2\n2023-07-01,3\n2023-10-01,4\n2024-01-01,5\n")
w("freq-quarterly-q.csv", "quarter,units\n2023-Q1,1\n2023-Q2,2\n2023-Q3,3\n")
w("freq-yearly.csv", "date,units\n2019-01-01,1\n2020-01-01,2\n2021-01-01,3\n2022-01-01,4\n")
w("freq-irregular.csv", "date,units\n2024-01-01,1\n2024-01-11,2\n2024-01-21,3\n")
# Booleans, missing markers.
w("booleans.csv", "date,sku,units,promo,holiday\n"
  "2024-01-01,A,1,yes,是\n2024-01-02,A,2,no,否\n2024-01-03,A,3,Y,否\n2024-01-04,A,4,N,是\n")
w("missing-markers.csv", "date,sku,units\n"
  "2024-01-01,A,1\n2024-01-02,A,\n2024-01-03,A,NA\n2024-01-04,A,N/A\n2024-01-05,A,null\n2024-01-06,A,-\n2024-01-07,A,7\n")
# Wide formats.
w("wide-date.csv", "date,north,south,east\n2024-01-01,1,2,3\n2024-01-02,4,5,\n2024-01-03,7,8,9\n")
w("wide-stub.csv", "WEEK,MOVE1,MOVE2,LPRICE1,LPRICE2,FULLCUST\n1,10,20,1.5,2.5,100\n2,11,21,1.6,2.6,110\n4,13,23,1.8,2.8,130\n")
w("wide-rows.csv", '"V1","V2","V3","V4","V5"\n"W1","1.5","2","3","4"\n"W2","10","20","",""\n"W3","5","6","7",""\n')
# Missing dates and duplicates.
w("missing-dates.csv", "date,sku,units\n2024-01-01,A,10\n2024-01-08,A,20\n2024-01-22,A,40\n")
w("duplicates.csv", "date,sku,units,price\n2024-01-01,A,1,2.0\n2024-01-08,A,2,2.0\n2024-01-08,A,3,2.5\n2024-01-15,A,4,2.0\n2024-01-15,A,5,2.0\n")
# Quality: an outlier, negatives, a constant and a short series.
q = "date,sku,units,category\n"
for i in range(30):
    d = "2024-%02d-%02d" % (1 + i // 28, 1 + i % 28)
    q += "%s,spiky,%d,food\n" % (d, 100 if i == 15 else 10 + i % 3)
    q += "%s,flat,5,food\n" % d
    q += "%s,neg,%d,toys\n" % (d, -1 if i % 10 == 0 else i % 4)
w("quality.csv", q)
# Malformed files.
w("bad-unterminated-quote.csv", 'date,sku,units,review\n2024-01-01,A,1,"fine"\n2024-01-02,A,2,"never closed\n2024-01-03,A,3,x\n')
w("bad-quote-garbage.csv", 'date,sku,units\n2024-01-01,A,1\n2024-01-02,"A"x,2\n')
w("bad-ragged.csv", "date,sku,units\n2024-01-01,A,1\n2024-01-02,A\n2024-01-03,A,3\n")
w("bad-text-in-target.csv", "date,sku,units\n" + "".join("2024-01-%02d,A,%d\n" % (d, d) for d in range(1, 13)) + "2024-01-13,A,abc\n")
w("bad-date.csv", "date,sku,units\n2024-01-01,A,1\n2024-01-02,A,2\n2024-13-45,A,3\n")
w("bad-encoding.csv", "date,sku,units\n2024-01-01,", "utf-8")
with open("bad-encoding.csv", "ab") as f:
    f.write(b"\xff\xfe\xff\xff,1\n")
w("empty.csv", "")
w("header-only.csv", "date,sku,units\n")
rnd = random.Random(7)
with open("garbage.bin", "wb") as f:
    f.write(bytes(rnd.randrange(256) for _ in range(4096)))
# Skippable rows: a ragged one and a bad number.
w("skip-bad.csv", "date,sku,units\n2024-01-01,A,1\n2024-01-02,A\n2024-01-03,A,x\n2024-01-04,A,4\n2024-01-05,A,5\n2024-01-06,A,6\n")
# A row per series that ends before its two-column id (found by fuzzing).
w("bad-wide-short-row.csv", 'item,store,V1,V2\nA,x,1,2\nB\nC,y,3,4\n')
# Latin-1 is valid GBK byte for byte ("Mü" = 0xfc 0x6c); it must not become Chinese.
with open("latin1.csv", "wb") as f:
    f.write("date;store;units\n2024-01-01;München;3\n2024-01-02;München;4\n".encode("latin-1"))

# Holiday names in a known covariate: one 0/1 column per name.
w("holiday-names.csv", "date,sku,units,holiday\n2024-06-17,a,10,\n2024-06-18,a,30,shopping_618\n"
  "2024-06-19,a,11,\n2024-06-17,b,5,\n2024-06-18,b,,shopping_618\n2024-06-19,b,7,双十一\n")

# Workbooks saved as such instead of exported as CSV: the importer must
# say what to do.  Only the bytes the importer looks at are real (zip and
# OLE2 signatures, part names); fixed times keep the files the same.
import zipfile

def zip_fixture(name, entries):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text, method in entries:
            info = zipfile.ZipInfo(part, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, text)

zip_fixture("workbook.xlsx", [
    ("[Content_Types].xml", '<?xml version="1.0"?><Types/>', zipfile.ZIP_DEFLATED),
    ("xl/workbook.xml", '<?xml version="1.0"?><workbook/>', zipfile.ZIP_DEFLATED)])
zip_fixture("sheet.ods", [
    ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
    ("content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)])
zip_fixture("sales-export.zip", [("sales.csv", "date,sku,units\n2024-01-01,A,1\n", zipfile.ZIP_DEFLATED)])
with open("workbook-97.xls", "wb") as f:
    f.write(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) + bytes(504))
