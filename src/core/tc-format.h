/* tc-format.h — large numbers as the user's language groups them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A number's percent sign in a format string, after a no-break space:
 * "−20 %" never wraps with the sign alone at the start of a line. */
#define TC_PERCENT "\u00a0%%"

typedef enum
{
  TC_GROUPING_THOUSANDS = 0,  /* 41 thousand, 41k, 3.2 million, 3.2M */
  TC_GROUPING_MYRIADS,        /* 4.1 万, 4.1万, 320 万, 3.2 亿 */
} TcGrouping;

/* The grouping of the language in use: the translation says which. */
TcGrouping tc_format_grouping       (void);

/* In words, for a count read as a sentence: "41 thousand", "7.7 万"
 * (newly allocated). */
char      *tc_format_count          (double     n);
char      *tc_format_count_grouped  (double     n,
                                     TcGrouping grouping);

/* @v with @decimals decimals and a comma every three digits, "1,234.5";
 * "–" for NaN, "∞" for infinity (newly allocated). */
char      *tc_format_thousands      (double     v,
                                     int        decimals);
/* Short, for axes and tight columns: "41k", "3.2M", "7.7万", "1.2亿"
 * (newly allocated). */
char      *tc_format_compact        (double     v);
char      *tc_format_compact_grouped (double     v,
                                      TcGrouping grouping);

G_END_DECLS
