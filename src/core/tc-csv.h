/* tc-csv.h — a streaming CSV reader on libcsv: encoding and delimiter
 * detection, conversion to UTF-8, line numbers for error messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A field longer than this is not a spreadsheet cell but a broken file
 * (a missing quote, a binary file); refusing it bounds the memory. */
#define TC_CSV_MAX_FIELD (4u << 20)
/* Likewise a record (a line, or several with quoted newlines) with more
 * fields or bytes than these: one 200 MB line of commas would otherwise
 * become 200 million columns.  A wide file with 100,000 series still
 * reads; the importer needs about 300 bytes per column. */
#define TC_CSV_MAX_FIELDS 100000u
#define TC_CSV_MAX_RECORD (64u << 20)

typedef struct _TcCsvReader TcCsvReader;

/* Called once per record, the header included.  @fields are UTF-8 (or
 * validated later by the caller), NUL-terminated and valid only during
 * the call.  @line is the 1-based line where the record starts.  Return
 * FALSE and set @error to stop. */
typedef gboolean (*TcCsvRowFunc) (const char *const *fields,
                                  const guint       *lens,
                                  guint              n_fields,
                                  guint64            line,
                                  gpointer           user_data,
                                  GError           **error);

typedef void (*TcCsvProgressFunc) (guint64  bytes_read,
                                   guint64  bytes_total,
                                   gpointer user_data);

/* Opens @path, reads its start to detect the encoding (BOM, UTF-16,
 * UTF-8, GB18030) unless @encoding is given, and the delimiter (, ; tab |)
 * unless @delimiter is non-zero. */
TcCsvReader *tc_csv_reader_new          (const char   *path,
                                         const char   *encoding,
                                         char          delimiter,
                                         GError      **error);
void         tc_csv_reader_free         (TcCsvReader  *reader);
const char  *tc_csv_reader_get_encoding (TcCsvReader  *reader);
gboolean     tc_csv_reader_get_has_bom  (TcCsvReader  *reader);
/* For an Excel workbook (tc-xlsx.h), the name of the sheet read; NULL
 * for a CSV file. */
const char  *tc_csv_reader_get_sheet    (TcCsvReader  *reader);
char         tc_csv_reader_get_delimiter(TcCsvReader  *reader);
const char  *tc_csv_reader_get_basename (TcCsvReader  *reader);
guint64      tc_csv_reader_get_size     (TcCsvReader  *reader);

/* Streams the whole file through @row_func, in chunks. */
gboolean     tc_csv_reader_run          (TcCsvReader       *reader,
                                         TcCsvRowFunc       row_func,
                                         gpointer           user_data,
                                         TcCsvProgressFunc  progress,
                                         gpointer           progress_data,
                                         GCancellable      *cancellable,
                                         GError           **error);

/* A printable name for a delimiter: "comma", "semicolon", "tab", "pipe"
 * (English; marked for translation in the context "delimiter"). */
const char  *tc_csv_delimiter_name      (char delimiter);

/* Appends @field to @out as one comma-separated field: as it is, or in
 * double quotes (quotes doubled) when it holds a comma, a quote or a
 * line break (RFC 4180).  Every CSV that Trendcast writes goes through
 * it. */
void         tc_csv_append_field        (GString     *out,
                                         const char  *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCsvReader, tc_csv_reader_free)

G_END_DECLS
