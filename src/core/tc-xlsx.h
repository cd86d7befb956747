/* tc-xlsx.h — an Excel workbook's first worksheet as CSV text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Category managers keep sales in .xlsx files as often as in CSV
 * exports.  The importer reads CSV (tc-csv.h), so a workbook becomes CSV
 * first: the first visible worksheet that has cells, one line per sheet
 * row, so that the importer's line numbers are the sheet's row numbers
 * (rows the sheet leaves out become empty lines, which the reader skips;
 * a line break inside a cell becomes a space).  As in Excel's own CSV
 * export, every row spans the sheet's used range (its <dimension>), since
 * Excel does not store empty cells; a sheet that gives none spans its
 * header, from the header's first cell, and cells left of that are
 * outside the table.  Numbers are written as Excel stored them, cells
 * formatted as dates as ISO 8601 ("2024-01-31", with " 13:30:00" when the
 * format shows a time; "36:00:00" for [h]:mm), text as UTF-8, formula
 * cells by their last computed value, #N/A and other errors as empty.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @head, the first @n bytes of the file @basename, is an Office
 * Open XML workbook (.xlsx, .xlsm): a zip archive with Excel's parts. */
gboolean tc_xlsx_sniff  (const guint8 *head,
                         gsize         n,
                         const char   *basename);

/* Why @head, the first @n bytes of the file @basename, is a spreadsheet
 * or archive the importer cannot read (Excel 97-2003, LibreOffice Calc,
 * another zip) and how to save it so that it can; NULL for any other
 * file, an Excel workbook included. */
const char *tc_xlsx_unreadable (const guint8 *head,
                                gsize         n,
                                const char   *basename);

/* The workbook in @data (@size bytes, the whole file) as CSV (UTF-8,
 * comma separated, "\n" line ends) written to @fd, and in @sheet (may
 * be NULL) the name of the sheet read ("" when the workbook names none).
 * Errors name @basename and, for a cell, its row as the line;
 * TC_ERROR_PARSE for a damaged or unsupported workbook. */
gboolean tc_xlsx_to_csv (const guint8 *data,
                         gsize         size,
                         const char   *basename,
                         int           fd,
                         char        **sheet,
                         GError      **error);

G_END_DECLS
