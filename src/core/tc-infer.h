/* tc-infer.h — parsing and recognising cell values: numbers, dates,
 * booleans, missing markers, and role suggestions from header names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"

G_BEGIN_DECLS

/* How the numbers of one column are written.  Decided once per column
 * from a sample, then applied to every cell, so that "1.234" cannot mean
 * 1234 in one row and 1.234 in the next. */
typedef struct
{
  char decimal;    /* '.' or ',' */
  char thousands;  /* 0, ',', '.', ' ' or '\'' */
} TcNumberFormat;

/* TRUE when @s (length @len, not necessarily NUL-terminated) is one of
 * the markers of a missing value: empty, NA, N/A, null, NaN, None, -,
 * #N/A … (case-insensitive, surrounding blanks ignored). */
gboolean tc_is_missing       (const char *s, gsize len);

/* Parses a number written with @fmt: optional sign or accounting
 * parentheses, currency symbols (¥ $ € £ 元), thousands separators, a
 * trailing % (divides by 100), exponents.  Returns FALSE for anything
 * else; never returns a rounded or partial value. */
gboolean tc_parse_number     (const char           *s,
                              gsize                 len,
                              const TcNumberFormat *fmt,
                              double               *out);

/* Booleans: 1/0, yes/no, true/false, y/n, t/f, 是/否 (case-insensitive).
 * @strict_words: reject 0/1 (used to tell a boolean column from 0/1 numbers). */
gboolean tc_parse_bool       (const char *s,
                              gsize       len,
                              gboolean    strict_words,
                              double     *out);

typedef enum
{
  TC_DATE_SHAPE_NONE = 0,
  TC_DATE_SHAPE_YMD,        /* 2024-05-01, 2024/05/01, 2024.05.01, 2024年5月1日, optional time */
  TC_DATE_SHAPE_DMY_DOT,    /* 01.05.2024: the dot means day first */
  TC_DATE_SHAPE_AMBIGUOUS,  /* 05/01/2024 or 05-01-2024: day or month first */
  TC_DATE_SHAPE_YM,         /* 2024-05, 2024/05, 2024年5月 */
  TC_DATE_SHAPE_WEEK,       /* 2024-W05, 2024W05, 2024-W05-3 */
  TC_DATE_SHAPE_QUARTER,    /* 2024-Q2, 2024Q2 */
} TcDateShape;

typedef enum
{
  TC_DATE_ORDER_AUTO = 0,
  TC_DATE_ORDER_DAY_FIRST,
  TC_DATE_ORDER_MONTH_FIRST,
} TcDateOrder;

typedef struct
{
  TcDateShape shape;
  int         a, b;        /* AMBIGUOUS: the first two numbers as written */
  gboolean    has_time;
  gboolean    cjk;         /* written with 年 月 日 */
} TcDateInfo;

/* Recognises the shape of a date or date-time; fills @info.  For an
 * AMBIGUOUS shape, @order decides; AUTO is treated as month first. */
gboolean tc_parse_date       (const char  *s,
                              gsize        len,
                              TcDateOrder  order,
                              gint64      *out_unix,
                              TcDateInfo  *info);

/* A human description of a date shape, e.g. "YYYY-MM-DD" or "DD/MM/YYYY". */
const char *tc_date_shape_describe (TcDateShape shape,
                                    TcDateOrder order,
                                    gboolean    has_time);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
gint64   tc_days_from_civil  (int y, int m, int d);
void     tc_civil_from_days  (gint64 days, int *y, int *m, int *d);

/* A role suggested by a header name (English or Chinese).  @kind is set
 * for TC_ROLE_KNOWN. Returns TC_ROLE_IGNORE when the name says nothing. */
TcColumnRole tc_suggest_role (const char      *name,
                              TcCovariateKind *kind);

/* TRUE when @name says the column holds a period number: "week",
 * "month", … and then sets @freq. */
gboolean tc_name_suggests_freq (const char  *name,
                                TcFrequency *freq);

G_END_DECLS
