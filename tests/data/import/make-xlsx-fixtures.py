#!/usr/bin/python3
"""Writes the Excel workbook fixtures of the import tests (run once; the
files are committed).  The workbooks are written by openpyxl (Debian:
python3-openpyxl), not by us, so that the reader is tested against
another program's idea of the format; rich.xlsx is written by hand for
the parts openpyxl does not write (inline strings, rich text with
phonetic runs, cells without references, error and boolean values).
Fixed creation times keep the files the same from run to run."""
import csv
import datetime
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

FIXED = datetime.datetime(2024, 1, 1)


def save(wb, name):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(name)
    # openpyxl stamps the zip entries with the current time: rewrite them.
    with zipfile.ZipFile(name) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            info.date_time = (2024, 1, 1, 0, 0, 0)
            z.writestr(info, data)


# sales.xlsx and its CSV twin: the same table, so that importing either
# must give the same dataset.
header = ["date", "sku", "category", "units", "price", "promo", "review"]
rows = []
for s, sku in enumerate(["A-1", "B-2"]):
    for d in range(14):
        day = datetime.date(2024, 3, 1) + datetime.timedelta(days=d)
        review = ""
        if d == 3:
            review = "Great, will buy again" if s == 0 else "质量很好，会回购"
        elif d == 9:
            review = 'Arrived broken, "never" again'
        rows.append([day, sku, "Snacks" if s == 0 else "饮料", 10 + 3 * d + 7 * s,
                     round(2.5 + 0.25 * (d % 3), 2), 1 if d % 5 == 0 else 0, review])
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Sales"
ws.append(header)
for r in rows:
    ws.append([None if v == "" else v for v in r])
for c in ws["A"][1:]:
    c.number_format = "yyyy-mm-dd"
notes = wb.create_sheet("Notes")
notes["A1"] = "Exported from the shop back-end"
save(wb, "sales.xlsx")
with open("sales-xlsx-twin.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r[0].isoformat()] + r[1:])

# Chinese Excel: Chinese headers, dates in a Chinese format, the 1904
# date system of old Mac workbooks, and a value that is not a number on
# sheet row 5.
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.append(["日期", "商品", "销量"])
for d in range(6):
    ws.append([datetime.date(2023, 12, 30) + datetime.timedelta(days=d), "甲", 5 + d])
for c in ws["A"][1:]:
    c.number_format = 'yyyy"年"m"月"d"日"'
save(wb, "sales-cn-1904.xlsx")
ws["C5"] = "abc"
save(wb, "bad-value.xlsx")

# The table away from A1: an empty first sheet, then a sheet whose
# header starts at B3, with an empty row inside and trailing empty cells.
wb = openpyxl.Workbook()
wb.active.title = "Cover"
ws = wb.create_sheet("Data")
ws["B3"], ws["C3"], ws["D3"] = "date", "sku", "units"
for i, (d, u) in enumerate([(1, 4), (2, None), (4, 6)]):
    r = 4 + i + (1 if i == 2 else 0)   # row 6 stays empty
    ws.cell(row=r, column=2, value=datetime.datetime(2024, 5, d, 0, 0))
    ws.cell(row=r, column=2).number_format = "dd/mm/yyyy"
    ws.cell(row=r, column=3, value="X")
    if u is not None:
        ws.cell(row=r, column=4, value=u)
save(wb, "offset-table.xlsx")

# A hidden first sheet with cells is not the table.
wb = openpyxl.Workbook()
hidden = wb.active
hidden.title = "Lookup"
hidden["A1"], hidden["B1"] = "code", "name"
hidden.sheet_state = "hidden"
ws = wb.create_sheet("Sales")
ws.append(["date", "sku", "units"])
for d in range(3):
    ws.append([datetime.date(2024, 6, 1 + d), "Z", d])
for c in ws["A"][1:]:
    c.number_format = "m/d/yyyy"
save(wb, "hidden-first-sheet.xlsx")

# By hand: what openpyxl does not write.
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<x:sheets><x:sheet name="S" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="/xl/worksheets/data.xml"/></Relationships>')
SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
       '<si><t>sku</t></si>'
       '<si><r><t>Tōkyō</t></r><r><rPr><b/></rPr><t xml:space="preserve"> store</t></r>'
       '<rPh sb="0" eb="1"><t>トウキョウ</t></rPh></si></sst>')
SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="s"><v>0</v></c>'
         '<c t="inlineStr"><is><t>units</t></is></c><c t="inlineStr"><is><t>flag</t></is></c></row>'
         '<row r="2"><c r="A2" t="str"><f>TEXT(1,"x")</f><v>2024-02-01</v></c><c r="B2" t="s"><v>1</v></c>'
         '<c r="C2"><v>1.5E1</v></c><c r="D2" t="b"><v>1</v></c></row>'
         '<row r="3"><c r="A3" t="d"><v>2024-02-02</v></c><c r="B3" t="s"><v>1</v></c>'
         '<c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="b"><v>0</v></c></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile("rich.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("[Content_Types].xml", CT), ("xl/workbook.xml", WB),
                       ("xl/_rels/workbook.xml.rels", RELS), ("xl/sharedStrings.xml", SST),
                       ("xl/worksheets/data.xml", SHEET)]:
        z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)

# By hand, what some writers do: a byte order mark before a part's XML,
# a relationship target with "..", the used range wider than the header
# (a note in column E), Excel's _x000D_ escape and a line break inside a
# cell, a shared-string cell without a value, booleans written as words.
# quirks-bad-row.xlsx has a word for a number on sheet row 4: its error
# must name row 4 although row 2 holds a line break.
def quirks(name, c4):
    wb_rels = RELS.replace("/xl/worksheets/data.xml", "../xl/worksheets/q.xml")
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<si><t>sku</t></si><si><t xml:space="preserve">Line one_x000D_\nline two</t></si></sst>')
    sheet = ('\ufeff<?xml version="1.0" encoding="UTF-8"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<dimension ref="A1:E4"/><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="s"><v>0</v></c>'
             '<c r="C1" t="inlineStr"><is><t>units</t></is></c><c r="D1" t="inlineStr"><is><t>flag</t></is></c></row>'
             '<row r="2"><c r="A2" t="str"><v>2024-02-01</v></c><c r="B2" t="s"><v>1</v></c>'
             '<c r="C2"><v>5</v></c><c r="D2" t="b"><v>false</v></c></row>'
             '<row r="3"><c r="A3" t="str"><v>2024-02-02</v></c><c r="B3" t="s"><v>1</v></c>'
             '<c r="C3" t="s"/><c r="D3" t="b"><v>true</v></c><c r="E3" t="inlineStr"><is><t>note</t></is></c></row>'
             '<row r="4"><c r="A4" t="str"><v>2024-02-03</v></c><c r="B4" t="s"><v>1</v></c>'
             + c4 + '<c r="D4" t="b"><v>1</v></c></row>'
             '</sheetData></worksheet>')
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in [("[Content_Types].xml", CT), ("xl/workbook.xml", WB),
                           ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/sharedStrings.xml", sst),
                           ("xl/worksheets/q.xml", sheet)]:
            z.writestr(zipfile.ZipInfo(part, date_time=(2024, 1, 1, 0, 0, 0)), text.encode("utf-8"))


quirks("quirks.xlsx", '<c r="C4"><v>7</v></c>')
quirks("quirks-bad-row.xlsx", '<c r="C4" t="inlineStr"><is><t>abc</t></is></c>')

# Damaged: the first half of a good workbook.
with open("sales.xlsx", "rb") as f:
    data = f.read()
with open("truncated.xlsx", "wb") as f:
    f.write(data[:len(data) // 2])
