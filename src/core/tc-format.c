/* tc-format.c — large numbers as the user's language groups them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chinese (and Japanese) count large numbers in ten thousands: 77 000 is
 * 7.7 万, never 77 千.  Every large number the app, the charts and the CLI
 * shorten goes through here, so the grouping is the same everywhere.
 */

#define G_LOG_DOMAIN "tc-format"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-format.h"

TcGrouping
tc_format_grouping (void)
{
  /* Translators: translate as "myriad" if your language groups large
   * numbers by ten thousands (万, 亿), otherwise keep "thousand". */
  return g_str_equal (_("number-grouping:thousand"), "myriad") ? TC_GROUPING_MYRIADS : TC_GROUPING_THOUSANDS;
}

char *
tc_format_count_grouped (double     n,
                         TcGrouping grouping)
{
  if (grouping == TC_GROUPING_MYRIADS)
    {
      if (n >= 1e8)
        return g_strdup_printf (_("%.1f hundred million"), n / 1e8);
      if (n >= 1e5)
        return g_strdup_printf (_("%.0f ten thousand"), n / 1e4);
      if (n >= 1e4)
        return g_strdup_printf (_("%.1f ten thousand"), n / 1e4);
      return g_strdup_printf ("%.0f", n);
    }
  if (n >= 1e9)
    return g_strdup_printf (_("%.1f billion"), n / 1e9);
  if (n >= 1e6)
    return g_strdup_printf (_("%.1f million"), n / 1e6);
  if (n >= 1e4)
    return g_strdup_printf (_("%.0f thousand"), n / 1e3);
  return g_strdup_printf ("%.0f", n);
}

/**
 * tc_format_count:
 * @n: a count
 *
 * Returns: (transfer full): @n in words, in the language's grouping
 */
char *
tc_format_count (double n)
{
  return tc_format_count_grouped (n, tc_format_grouping ());
}

char *
tc_format_thousands (double v,
                     int    decimals)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[16];
  GString *out;
  const char *dot;
  gsize int_len, i;

  if (isnan (v))
    return g_strdup ("–");
  if (isinf (v))
    return g_strdup (v > 0 ? "∞" : "−∞");

  decimals = CLAMP (decimals, 0, 9);
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  /* g_ascii_formatd so that the decimal point is '.' in every locale. */
  g_ascii_formatd (num, sizeof num, fmt, fabs (v));

  dot = strchr (num, '.');
  int_len = dot ? (gsize) (dot - num) : strlen (num);

  out = g_string_new (NULL);
  /* "-0" after rounding reads badly: only print the sign if a nonzero digit remains. */
  if (v < 0 && strspn (num, "0.") != strlen (num))
    g_string_append_c (out, '-');
  for (i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, num[i]);
    }
  if (dot)
    g_string_append (out, dot);
  return g_string_free (out, FALSE);
}

/* A plain number with a comma every three digits: whole numbers and
 * anything from 10 up without decimals; below that, one (two below 1),
 * as the axis ticks need. */
static char *
plain (double v)
{
  double a = fabs (v);

  return tc_format_thousands (v, a == 0 || a >= 10 || fabs (a - round (a)) < 1e-9 ? 0 : a >= 1 ? 1 : 2);
}

/* @v in units of @scale with one decimal below 100, without a ".0". */
static void
scaled (double v, double scale, char num[G_ASCII_DTOSTR_BUF_SIZE])
{
  double s = v / scale;
  gsize len;

  g_ascii_formatd (num, G_ASCII_DTOSTR_BUF_SIZE, fabs (s) < 100 ? "%.1f" : "%.0f", s);
  len = strlen (num);
  if (len > 2 && num[len - 2] == '.' && num[len - 1] == '0')
    num[len - 2] = '\0';
}

char *
tc_format_compact_grouped (double     v,
                           TcGrouping grouping)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  /* 999,950 rounds to "1000.0k": such values go to the next unit. */
  double a = fabs (v) / 0.99995;

  if (!isfinite (v))
    return g_strdup (isnan (v) ? "–" : v > 0 ? "∞" : "−∞");
  if (grouping == TC_GROUPING_MYRIADS)
    {
      /* The suffixes are translated so that a myriad language writes its
       * own characters (Japanese 億 for Chinese 亿). */
      if (a >= 1e8)
        {
          scaled (v, 1e8, num);
          /* Translators: a number shortened on a chart axis, in hundreds
           * of millions (亿 in Chinese), used when number-grouping is
           * "myriad". */
          return g_strdup_printf (_("%s×10⁸"), num);
        }
      if (a >= 1e4)
        {
          scaled (v, 1e4, num);
          /* Translators: a number shortened on a chart axis, in ten
           * thousands (万 in Chinese), used when number-grouping is
           * "myriad". */
          return g_strdup_printf (_("%s×10⁴"), num);
        }
      return plain (v);
    }
  if (a >= 1e12)
    return (scaled (v, 1e12, num), g_strconcat (num, "T", NULL));
  if (a >= 1e9)
    return (scaled (v, 1e9, num), g_strconcat (num, "G", NULL));
  if (a >= 1e6)
    return (scaled (v, 1e6, num), g_strconcat (num, "M", NULL));
  if (a >= 1e3)
    return (scaled (v, 1e3, num), g_strconcat (num, "k", NULL));
  return plain (v);
}

/**
 * tc_format_compact:
 * @v: a value
 *
 * Returns: (transfer full): @v shortened, in the language's grouping
 */
char *
tc_format_compact (double v)
{
  return tc_format_compact_grouped (v, tc_format_grouping ());
}
