/* tc-import.h — CSV files into a validated TcDataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the file: the first rows decide the column types and
 * roles (overridable), then every row is checked against them and kept
 * in compact typed arrays (series ids and dates interned), and the grid
 * is built at the end.  Numbers are never rounded, guessed or zero-filled
 * silently; everything uncertain becomes a warning in the report, and
 * everything wrong a TC_ERROR naming file, line and column.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-dataset.h"
#include "tc-error.h"
#include "tc-infer.h"

G_BEGIN_DECLS

typedef enum
{
  TC_FORMAT_AUTO = 0,
  TC_FORMAT_LONG,       /* a row per (series, date) */
  TC_FORMAT_WIDE,       /* a date column and a column per series, or a row per series without dates */
} TcImportFormat;

typedef enum
{
  TC_MISSING_KEEP = 0,  /* a date without a row stays NaN */
  TC_MISSING_ZERO,      /* no row means zero sales (inside each series' first..last date) */
  TC_MISSING_INTERPOLATE, /* linear between the neighbours (inside first..last) */
} TcMissingPolicy;

typedef enum
{
  TC_DUPLICATES_ERROR = 0,
  TC_DUPLICATES_SUM,    /* target and observed summed, known covariates keep the first value */
} TcDuplicatesPolicy;

typedef enum
{
  TC_COLUMN_EMPTY = 0,
  TC_COLUMN_DATE,
  TC_COLUMN_PERIOD,     /* integer period numbers (WEEK = 1, 2, …) */
  TC_COLUMN_NUMBER,
  TC_COLUMN_BOOLEAN,
  TC_COLUMN_CATEGORY,
  TC_COLUMN_TEXT,
} TcColumnType;

typedef struct
{
  /* Role overrides by column name; NULL = suggest from the header. */
  char              *date_col;
  char             **series_cols;   /* one or several: id "store/dept" */
  char              *target_col;
  char             **known_cols;
  char             **observed_cols;
  char             **static_cols;
  char              *text_col;
  char             **ignore_cols;   /* columns left out of the dataset */

  TcImportFormat     format;
  TcFrequency        freq;          /* UNKNOWN = detect (required for files without dates) */
  char              *start;         /* first date for files without dates; NULL = 2000-01-03 (a Monday) */
  TcDateOrder        date_order;    /* for 05/01/2024 when the data does not decide */
  TcMissingPolicy    missing;
  TcDuplicatesPolicy duplicates;
  gboolean           skip_bad_rows;
  char               delimiter;     /* 0 = detect */
  char              *encoding;      /* NULL = detect */

  /* A dated news file joined to the data by period and category
   * (tc-news.h) after the import; NULL = none.  The columns: NULL =
   * detected from the news file's header. */
  char              *news_path;
  char              *news_date_col;
  char              *news_text_col;
  char              *news_category_col;
  /* TRUE: a news file that is missing or does not read leaves the data
   * without news (TcImportReport.news_error says why) instead of
   * failing the import.  A project's reference to a news file must not
   * lock the user out of their data; a news file the user just chose
   * should fail loudly.  Not saved in a project: opening one sets it. */
  gboolean           news_optional;
} TcImportOptions;

void tc_import_options_init  (TcImportOptions *opts);
/* Frees the strings and vectors (all owned) and resets to defaults. */
void tc_import_options_clear (TcImportOptions *opts);
/* A deep copy into @dst, which must be cleared or uninitialised. */
void tc_import_options_copy  (TcImportOptions       *dst,
                              const TcImportOptions *src);

typedef struct
{
  char            *name;
  guint            index;       /* 0-based in the file */
  TcColumnType     type;
  TcColumnRole     role;
  TcCovariateKind  kind;        /* for TC_ROLE_KNOWN */
  gboolean         role_from_user;
  char            *format;      /* "YYYY-MM-DD", "decimal comma, thousands ." … or NULL */
  TcNumberFormat   numfmt;
  guint64          n_missing;   /* in the rows read */
  guint64          n_negative;  /* numbers below zero in the rows read */
} TcColumnInfo;

typedef struct
{
  char            *path;
  char            *encoding;
  gboolean         has_bom;
  char             delimiter;
  char            *sheet;       /* the sheet read from an Excel workbook, NULL for CSV */
  TcImportFormat   format;
  TcFrequency      freq;
  GPtrArray       *columns;     /* (element-type TcColumnInfo) */
  GPtrArray       *warnings;    /* (element-type utf8) */
  GPtrArray       *warning_locations;  /* (element-type TcErrorLocation) one per warning, NULL where
                                        * it is about no column */
  GPtrArray       *problems;    /* preview only: errors found in the sample */
  GPtrArray       *problem_locations;  /* one TcErrorLocation (or NULL) per problem */
  gboolean         unreadable;  /* preview only: reading stopped at problems->pdata[0] (a quote
                                 * never closed, a broken byte), which skipping rows cannot fix */
  guint64          n_rows;      /* data rows read */
  guint64          n_skipped;   /* bad rows skipped (skip_bad_rows) */
  GPtrArray       *skipped;     /* the first 10 reasons */
  GPtrArray       *skipped_locations;  /* one TcErrorLocation (or NULL) per reason */
  guint            n_series;
  guint            n_times;
  gint64           first_time;
  gint64           last_time;
  char            *date_format; /* the date format understood, or NULL */
  GPtrArray       *preview_rows;/* preview only: (element-type GStrv) raw rows, header first */
  /* The news file of the options, when one was joined. */
  guint            news_items;  /* headlines read */
  guint            news_joined; /* of them, inside the data's dates and matched */
  gint64           news_first;  /* first and last headline's date */
  gint64           news_last;
  char            *news_matched_by; /* the data's column its categories matched, or NULL */
  GError          *news_error;  /* news_optional: why the news file was left out (its place
                                 * with tc_error_get_location), or NULL */
} TcImportReport;

void            tc_import_report_free (TcImportReport *report);
/* Adds @problem's message and place (tc_error_get_location) to the
 * report's problems. */
void            tc_import_report_add_problem (TcImportReport *report,
                                              const GError   *problem);
/* Reads the news file of @opts (news_path, its columns, the date
 * order) and joins it to @ds (tc_news_join), with the counts and the
 * warnings of the join into @report.  What an import does after the
 * data; also for attaching news to data imported without it. */
gboolean        tc_import_join_news (const TcImportOptions *opts,
                                     TcDataset             *ds,
                                     TcImportReport        *report,
                                     GError               **error);
const TcColumnInfo *tc_import_report_find_column (const TcImportReport *report,
                                                  const char           *name);

const char     *tc_column_type_to_string  (TcColumnType     type);
const char     *tc_column_role_to_string  (TcColumnRole     role);
const char     *tc_covariate_kind_to_string (TcCovariateKind kind);
TcColumnRole    tc_column_role_from_string  (const char     *str);

TcDataset      *tc_import_file    (const char             *path,
                                   const TcImportOptions  *opts,
                                   TcImportReport        **report,
                                   GCancellable           *cancellable,
                                   GError                **error);

/* For the import assistant: reads the first rows only (fast on big
 * files) and returns the detected schema, up to @max_rows raw rows and
 * the problems found there.  Fails only when the file cannot be read as
 * CSV at all (encoding, quotes, empty). */
TcImportReport *tc_import_preview (const char             *path,
                                   const TcImportOptions  *opts,
                                   guint                   max_rows,
                                   GError                **error);

/* Called in the thread-default main context of the caller of
 * tc_import_file_async(), at most every 1% of the file. */
typedef void (*TcImportProgressFunc) (double fraction, gpointer user_data);

void            tc_import_file_async  (const char             *path,
                                       const TcImportOptions  *opts,
                                       GCancellable           *cancellable,
                                       TcImportProgressFunc    progress,
                                       gpointer                progress_data,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
TcDataset      *tc_import_file_finish (GAsyncResult           *result,
                                       TcImportReport        **report,
                                       GError                **error);

/* {"file":…, "encoding":…, "columns":[…], "frequency":…, "warnings":[…], …} */
JsonNode       *tc_import_report_to_json (const TcImportReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcImportReport, tc_import_report_free)

G_END_DECLS
