/* tc-import-grid.c — dates, the frequency and the grid of series by dates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-import-private.h"
#include "tc-tsan.h"

/* ---- building the grid ---- */

static gint64
period_of (TcFrequency f, gint64 t, int week_offset)
{
  gint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int y, m, d;

  switch (f)
    {
    case TC_FREQ_HOURLY:
      return t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
    case TC_FREQ_DAILY:
      return days;
    case TC_FREQ_WEEKLY:
      {
        gint64 x = days - week_offset;

        return x >= 0 ? x / 7 : -((-x + 6) / 7);
      }
    case TC_FREQ_MONTHLY:
      tc_civil_from_days (days, &y, &m, &d);
      return (gint64) y * 12 + (m - 1);
    case TC_FREQ_QUARTERLY:
      tc_civil_from_days (days, &y, &m, &d);
      return (gint64) y * 4 + (m - 1) / 3;
    case TC_FREQ_YEARLY:
      tc_civil_from_days (days, &y, &m, &d);
      return y;
    case TC_FREQ_UNKNOWN:
    default:
      return t;
    }
}

static gint64
period_start (TcFrequency f, gint64 p, int week_offset)
{
  switch (f)
    {
    case TC_FREQ_HOURLY:    return p * 3600;
    case TC_FREQ_DAILY:     return p * 86400;
    case TC_FREQ_WEEKLY:    return (p * 7 + week_offset) * 86400;
    case TC_FREQ_MONTHLY:   return tc_days_from_civil ((int) (p >= 0 ? p / 12 : (p - 11) / 12), (int) (((p % 12) + 12) % 12) + 1, 1) * 86400;
    case TC_FREQ_QUARTERLY: return tc_days_from_civil ((int) (p >= 0 ? p / 4 : (p - 3) / 4), (int) (((p % 4) + 4) % 4) * 3 + 1, 1) * 86400;
    case TC_FREQ_YEARLY:    return tc_days_from_civil ((int) p, 1, 1) * 86400;
    case TC_FREQ_UNKNOWN:
    default:                return p;
    }
}

static int
cmp_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static TcFrequency
freq_from_gap (gint64 gap)
{
  gint64 day = 86400;

  if (gap == 3600)
    return TC_FREQ_HOURLY;
  if (gap == day)
    return TC_FREQ_DAILY;
  if (gap == 7 * day)
    return TC_FREQ_WEEKLY;
  if (gap >= 28 * day && gap <= 31 * day)
    return TC_FREQ_MONTHLY;
  if (gap >= 89 * day && gap <= 92 * day)
    return TC_FREQ_QUARTERLY;
  if (gap >= 365 * day && gap <= 366 * day)
    return TC_FREQ_YEARLY;
  return TC_FREQ_UNKNOWN;
}

/* Fraction of gaps equal to the median: how regular a date reading is. */
static double
regularity (gint64 *t, guint n, gint64 *median)
{
  g_autofree gint64 *gaps = NULL;
  guint m = 0, same = 0;

  *median = 0;
  if (n < 2)
    return 0;
  qsort (t, n, sizeof (gint64), cmp_i64);
  gaps = g_new (gint64, n);
  for (guint i = 1; i < n; i++)
    if (t[i] != t[i - 1])
      gaps[m++] = t[i] - t[i - 1];
  if (m == 0)
    return 0;
  qsort (gaps, m, sizeof (gint64), cmp_i64);
  /* The lower median: with one gap in two missing, the step is the smaller. */
  *median = gaps[(m - 1) / 2];
  for (guint i = 0; i < m; i++)
    same += freq_from_gap (gaps[i]) != TC_FREQ_UNKNOWN && freq_from_gap (gaps[i]) == freq_from_gap (*median);
  return (double) same / m;
}

static gboolean
parse_start (Ctx *c, gint64 *out, GError **error)
{
  const char *s = c->opts->start ? c->opts->start : "2000-01-03";

  if (!tc_parse_date (s, strlen (s), c->opts->date_order, out, NULL))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "start date: found “%s”, expected a date like 2000-01-03", s);
      return FALSE;
    }
  return TRUE;
}

/* Resolves every distinct date string to a time. */
static gboolean
resolve_dates (Ctx *c, gint64 *times, gboolean *valid, TcFrequency *freq, GError **error)
{
  guint nd = c->date_strs->len;
  TcColumnInfo *ci = c->cols[c->date_col];
  TcDateOrder order = c->opts->date_order;
  TcDateShape shape = TC_DATE_SHAPE_NONE;
  gboolean has_time = FALSE, day_ev = FALSE, month_ev = FALSE, cjk = FALSE;
  guint64 day_line = 0, month_line = 0;

  *freq = c->opts->freq;
  if (c->date_is_period)
    {
      gint64 start, pmin = G_MAXINT64;

      if (*freq == TC_FREQ_UNKNOWN && !tc_name_suggests_freq (ci->name, freq))
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           _("column %d “%s” holds period numbers, not dates: give the frequency (--freq)"),
                           c->date_col + 1, ci->name);
          return FALSE;
        }
      if (!parse_start (c, &start, error))
        return FALSE;
      for (guint i = 0; i < nd; i++)
        {
          double x;
          const char *s = c->date_strs->pdata[i];

          valid[i] = tc_parse_number (s, strlen (s), &ci->numfmt, &x) && x == floor (x) && fabs (x) < 1e9;
          if (!valid[i])
            {
              if (c->opts->skip_bad_rows)
                continue;
              tc_set_error_at (error, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i), c->date_col + 1, ci->name,
                               _("found “%s”, expected a whole period number"),
                               s);
              return FALSE;
            }
          times[i] = (gint64) x;
          pmin = MIN (pmin, times[i]);
        }
      /* Period k becomes start + (k - first) steps. */
      for (guint i = 0; i < nd; i++)
        if (valid[i])
          times[i] = tc_frequency_advance (*freq, start, (int) (times[i] - pmin));
      ci->format = g_strdup_printf ("period number from %s", c->opts->start ? c->opts->start : "2000-01-03");
      c->report->date_format = g_strdup (ci->format);
      return TRUE;
    }

  /* Which shape, and for 05/01/2024 which order. */
  for (guint i = 0; i < nd; i++)
    {
      TcDateInfo info;
      gint64 t;
      const char *s = c->date_strs->pdata[i];

      if (tc_parse_date (s, strlen (s), TC_DATE_ORDER_AUTO, &t, &info)
          || tc_parse_date (s, strlen (s), TC_DATE_ORDER_DAY_FIRST, &t, &info))
        {
          if (shape == TC_DATE_SHAPE_NONE)
            shape = info.shape;
          has_time |= info.has_time;
          cjk |= info.cjk;
          if (info.shape == TC_DATE_SHAPE_AMBIGUOUS)
            {
              if (info.a > 12 && !day_ev)
                day_ev = TRUE, day_line = g_array_index (c->date_lines, guint64, i);
              if (info.b > 12 && !month_ev)
                month_ev = TRUE, month_line = g_array_index (c->date_lines, guint64, i);
            }
        }
    }
  if (shape == TC_DATE_SHAPE_AMBIGUOUS)
    {
      if (day_ev && month_ev)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, c->base, MAX (day_line, month_line), c->date_col + 1, ci->name,
                           _("found a month-first date after a day-first one (line %llu), expected one order in the whole column"),
                           (unsigned long long) MIN (day_line, month_line));
          return FALSE;
        }
      if (day_ev)
        order = TC_DATE_ORDER_DAY_FIRST;
      else if (month_ev)
        order = TC_DATE_ORDER_MONTH_FIRST;
      else if (order == TC_DATE_ORDER_AUTO)
        {
          /* No day above 12: the reading with regular gaps wins. */
          g_autofree gint64 *tm = g_new (gint64, nd), *td = g_new (gint64, nd);
          guint k = 0;
          gint64 med_m, med_d;
          double rm, rd;

          for (guint i = 0; i < nd; i++)
            {
              const char *s = c->date_strs->pdata[i];

              if (tc_parse_date (s, strlen (s), TC_DATE_ORDER_MONTH_FIRST, &tm[k], NULL)
                  && tc_parse_date (s, strlen (s), TC_DATE_ORDER_DAY_FIRST, &td[k], NULL))
                k++;
            }
          rm = regularity (tm, k, &med_m);
          rd = regularity (td, k, &med_d);
          if (rd > rm + 0.2)
            order = TC_DATE_ORDER_DAY_FIRST;
          else
            order = TC_DATE_ORDER_MONTH_FIRST;
          tc_import_warn_at (c, c->date_col + 1, ci->name, _("no day above 12 tells whether “%s” is day or month first;"
                   " read as %s%s (use the day-first option to change it)"),
                   (char *) c->date_strs->pdata[0],
                   order == TC_DATE_ORDER_DAY_FIRST ? C_("date order", "day first") : C_("date order", "month first"),
                   /* TRANSLATORS: appended to "read as day first" when that order makes the dates evenly spaced. */
                   rd > rm + 0.2 || rm > rd + 0.2 ? _(", which gives regular dates") : "");
        }
    }
  if (cjk)
    ci->format = g_strdup (shape == TC_DATE_SHAPE_YM ? "YYYY年M月" : "YYYY年M月D日");
  else
    ci->format = g_strdup (tc_date_shape_describe (shape, order, has_time));
  c->report->date_format = g_strdup (ci->format);

  for (guint i = 0; i < nd; i++)
    {
      TcDateInfo info;
      const char *s = c->date_strs->pdata[i];

      valid[i] = tc_parse_date (s, strlen (s), order == TC_DATE_ORDER_AUTO ? TC_DATE_ORDER_MONTH_FIRST : order, &times[i], &info)
                 && (info.shape == shape
                     || (shape == TC_DATE_SHAPE_DMY_DOT && info.shape == TC_DATE_SHAPE_AMBIGUOUS)
                     || (shape == TC_DATE_SHAPE_AMBIGUOUS && info.shape == TC_DATE_SHAPE_DMY_DOT));
      if (!valid[i] && !c->opts->skip_bad_rows)
        {
          g_autofree char *v = tc_import_shorten (s, strlen (s));

          tc_set_error_at (error, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i), c->date_col + 1, ci->name,
                           _("found “%s”, expected a date like %s"),
                           v, ci->format);
          return FALSE;
        }
    }
  if (*freq == TC_FREQ_UNKNOWN)
    {
      if (shape == TC_DATE_SHAPE_WEEK)
        *freq = TC_FREQ_WEEKLY;
      else if (shape == TC_DATE_SHAPE_YM)
        *freq = TC_FREQ_MONTHLY;
      else if (shape == TC_DATE_SHAPE_QUARTER)
        *freq = TC_FREQ_QUARTERLY;
      else
        {
          g_autofree gint64 *tv = g_new (gint64, MAX (nd, 1));
          guint k = 0;
          gint64 med;

          for (guint i = 0; i < nd; i++)
            if (valid[i])
              tv[k++] = times[i];
          regularity (tv, k, &med);
          *freq = freq_from_gap (med);
          if (*freq == TC_FREQ_UNKNOWN)
            {
              if (k < 2)
                tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                                 _("found a single date, expected several to tell the frequency (give it with --freq)"));
              else
                tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, c->date_col + 1, ci->name,
                                 _("found a typical gap of %.4g days between dates, expected an hour, a day, a week, a month, a quarter or a year (give it with --freq)"),
                                 med / 86400.0);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
fill_missing (Ctx *c, TcDataset *ds, const guint8 *seen)
{
  guint64 total = 0;

  if (c->opts->missing == TC_MISSING_KEEP)
    return;
  tc_dataset_update_bounds (ds);
  for (guint s = 0; s < ds->n_series; s++)
    {
      double *y = tc_dataset_target_row (ds, s);
      guint a = ds->start[s], b = ds->end[s];
      guint last = a, r = a;   /* the last value before t, the first value at or after t */
      guint64 filled = 0;

      for (guint t = a; t < b; t++)
        {
          if (!isnan (y[t]))
            {
              last = t;
              continue;
            }
          if (seen[(gsize) s * ds->n_times + t])
            continue;
          if (c->opts->missing == TC_MISSING_ZERO)
            y[t] = 0;
          else
            {
              /* The right end is searched once per gap, not once per
               * missing date: a gap of a million dates (a stray year)
               * was quadratic.  a <= last < t < r < b hold: the bounds
               * have values. */
              if (r <= t)
                for (r = t; r < b && isnan (y[r]); r++)
                  ;
              y[t] = y[last] + (y[r] - y[last]) * (double) (t - last) / (double) (r - last);
              last = t;
            }
          filled++;
        }
      total += filled;
    }
  /* Filled values are invented data: say how many. */
  if (total > 0)
    tc_import_warn (c, _("%llu dates without a row were %s (missing policy “%s”)"), (unsigned long long) total,
          c->opts->missing == TC_MISSING_ZERO ? C_("missing dates", "set to zero") : C_("missing dates", "interpolated"),
          /* the policy is the option's keyword, so it stays English */
          c->opts->missing == TC_MISSING_ZERO ? "zero" : "interpolate");
}

gboolean
tc_import_build_grid (Ctx *c, TcDataset **out, GError **error)
{
  guint nd = c->date_strs->len, ns = c->series_keys->len;
  g_autofree gint64 *times = g_new0 (gint64, MAX (nd, 1));
  g_autofree gboolean *valid = g_new0 (gboolean, MAX (nd, 1));
  g_autofree gint64 *pidx = g_new0 (gint64, MAX (nd, 1));
  g_autofree guint8 *seen = NULL;
  TcFrequency freq;
  gint64 pmin = G_MAXINT64, pmax = G_MININT64;
  int week_offset = 0;
  guint64 n_snapped = 0, n_dup = 0, n_rows = c->r_date->len, n_bad_date_rows = 0;
  gsize n_times;
  g_autoptr (TcDataset) ds = NULL;
  GString *dups = NULL;

  if (!resolve_dates (c, times, valid, &freq, error))
    return FALSE;
  if (freq == TC_FREQ_WEEKLY)
    {
      /* Weeks start on the weekday most dates fall on. */
      guint wd_count[7] = { 0 };
      guint best = 0;

      for (guint i = 0; i < nd; i++)
        if (valid[i])
          {
            gint64 days = times[i] >= 0 ? times[i] / 86400 : -((-times[i] + 86399) / 86400);

            wd_count[((days % 7) + 7) % 7]++;
          }
      for (guint k = 1; k < 7; k++)
        if (wd_count[k] > wd_count[best])
          best = k;
      week_offset = best;
    }
  for (guint i = 0; i < nd; i++)
    if (valid[i])
      {
        pidx[i] = period_of (freq, times[i], week_offset);
        pmin = MIN (pmin, pidx[i]);
        pmax = MAX (pmax, pidx[i]);
        if (period_start (freq, pidx[i], week_offset) != times[i])
          n_snapped++;
      }
  if (pmin > pmax)
    {
      tc_set_error_at (error, TC_ERROR_EMPTY, c->base, 0, 0, NULL,
                       _("found no row with a valid date, expected at least one"));
      return FALSE;
    }
  n_times = pmax - pmin + 1;
  {
    /* In doubles, and computed in double: a stray date can overflow gsize. */
    double cells = (double) n_times * MAX (ns, 1) * (1 + c->n_known + c->n_observed);

    if (cells > (double) MAX_CELLS || (cells > (double) SPARSE_CELLS && (double) n_rows * MAX (c->n_slots, 1) * SPARSE_RATIO < cells))
      {
        guint lo = 0, hi = 0;

        for (guint i = 0; i < nd; i++)
          if (valid[i])
            {
              if (!valid[lo] || pidx[i] < pidx[lo])
                lo = i;
              if (!valid[hi] || pidx[i] > pidx[hi])
                hi = i;
            }
        tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                         _("found dates from %s (line %llu) to %s (line %llu): %lu %s steps for %u series and %llu rows would need %.0f MB, expected %s (a stray date, or the wrong frequency?)"),
                         (char *) c->date_strs->pdata[lo], (unsigned long long) g_array_index (c->date_lines, guint64, lo),
                         (char *) c->date_strs->pdata[hi], (unsigned long long) g_array_index (c->date_lines, guint64, hi),
                         (gulong) n_times, tc_frequency_to_string (freq), ns, (unsigned long long) n_rows, cells * sizeof (double) / 1e6,
                         cells > (double) MAX_CELLS ? _("at most 2 GB") : _("a value for at least one cell in 1000"));
        return FALSE;
      }
  }
  if (n_snapped > 0)
    tc_import_warn (c, _("%llu distinct dates are not at the start of their %s period and were placed in it"),
          /* The frequency words are marked in src/app/tc-app-text.c (same domain). */
          (unsigned long long) n_snapped, _(tc_frequency_to_string (freq)));

  ds = tc_dataset_new (freq, ns, n_times, c->n_known, c->n_observed, c->n_static, c->text_col >= 0);
  ds->source = g_strdup (c->report->path);
  {
    gint64 days = period_start (freq, pmin, week_offset) / 86400;

    ds->week_start = (int) (((days + 3) % 7 + 7) % 7) + 1;
  }
  for (gsize t = 0; t < n_times; t++)
    ds->times[t] = period_start (freq, pmin + t, week_offset);
  for (guint s = 0; s < ns; s++)
    ds->series_ids[s] = g_strdup (c->series_keys->pdata[s]);
  ds->target_name = g_strdup (c->target_name);
  for (guint k = 0; k < c->n_known; k++)
    {
      ds->known_names[k] = g_strdup (c->known_names->pdata[k]);
      ds->known_kinds[k] = g_array_index (c->known_kinds, TcCovariateKind, k);
    }
  for (guint k = 0; k < c->n_observed; k++)
    ds->observed_names[k] = g_strdup (c->observed_names->pdata[k]);
  for (guint k = 0; k < c->n_static; k++)
    ds->static_names[k] = g_strdup (c->static_names->pdata[k]);
  for (gsize i = 0; i < (gsize) ns * c->n_static && c->static_vals->len; i++)
    ds->static_values[i] = g_strdup (c->static_vals->pdata[i]);
  if (c->text_col >= 0)
    ds->text_name = g_strdup (c->names[c->text_col]);

  seen = g_new0 (guint8, MAX ((gsize) ns * n_times, 1));
  for (guint64 r = 0; r < n_rows; r++)
    {
      guint32 di = g_array_index (c->r_date, guint32, r);
      const double *v = &g_array_index (c->r_vals, double, r * c->n_slots);
      gsize t;
      guint s0, s1;
      gboolean dup = FALSE;

      if (!valid[di])
        {
          n_bad_date_rows++;
          continue;
        }
      t = pidx[di] - pmin;
      if (c->wide_series)
        s0 = 0, s1 = ns;
      else
        s0 = g_array_index (c->r_series, guint32, r), s1 = s0 + 1;
      for (guint s = s0; s < s1; s++)
        {
          gsize cell = (gsize) s * n_times + t;

          if (seen[cell])
            dup = TRUE;
          seen[cell] = 1;
        }
      if (dup)
        {
          n_dup++;
          if (c->opts->duplicates == TC_DUPLICATES_ERROR)
            {
              if (dups == NULL)
                dups = g_string_new (NULL);
              if (n_dup <= MAX_DUPLICATES_LISTED)
                {
                  guint64 first = 0;

                  /* Find the earlier row: rare, so a scan is fine. */
                  for (guint64 q = 0; q < r; q++)
                    if (valid[g_array_index (c->r_date, guint32, q)]
                        && pidx[g_array_index (c->r_date, guint32, q)] == pidx[di]
                        && (c->wide_series || g_array_index (c->r_series, guint32, q) == s0))
                      {
                        first = g_array_index (c->r_line, guint64, q);
                        break;
                      }
                  /* TRANSLATORS: one item of the list ending "found N rows for a
                   * (series, date) that already has a row …:%s"; the first %s is
                   * the separator ";" (translated apart) between items, or
                   * nothing before the first. */
                  g_string_append_printf (dups, _("%s line %llu repeats line %llu (series “%s”, date “%s”)"),
                                          n_dup > 1 ? C_("between duplicate rows", ";") : "",
                                          (unsigned long long) g_array_index (c->r_line, guint64, r), (unsigned long long) first,
                                          c->wide_series ? C_("series of a duplicate row", "all") : (char *) c->series_keys->pdata[s0],
                                          (char *) c->date_strs->pdata[di]);
                }
              continue;
            }
        }
      for (guint j = 0; j < c->n_slots; j++)
        {
          const SlotMap *m = &c->slots[j];
          guint a = s0, b = s1;

          if (c->wide_series && m->series >= 0)
            a = m->series, b = m->series + 1;
          for (guint s = a; s < b; s++)
            {
              double *cellp;

              if (m->var == VAR_TARGET)
                cellp = &tc_dataset_target_row (ds, s)[t];
              else if (m->var == VAR_KNOWN)
                cellp = &tc_dataset_known_row (ds, m->var_index, s)[t];
              else
                cellp = &tc_dataset_observed_row (ds, m->var_index, s)[t];
              if (!dup || isnan (*cellp))
                *cellp = v[j];
              else if (m->var != VAR_KNOWN && !isnan (v[j]))
                *cellp += v[j];
            }
        }
      if (c->text_col >= 0 && c->r_text->pdata[r])
        {
          char **tp = &ds->text[(gsize) s0 * n_times + t];

          if (*tp == NULL)
            *tp = g_strdup (c->r_text->pdata[r]);
          else
            {
              char *joined = g_strconcat (*tp, "\n", (char *) c->r_text->pdata[r], NULL);

              g_free (*tp);
              *tp = joined;
            }
        }
    }
  if (dups)
    {
      tc_set_error_at (error, TC_ERROR_DUPLICATE, c->base, 0, 0, NULL,
                       _("found %llu rows for a (series, date) that already has a row, expected one row each (or sum them with the duplicates “sum” option):%s"),
                       (unsigned long long) n_dup, dups->str);
      g_string_free (dups, TRUE);
      return FALSE;
    }
  if (n_dup > 0)
    tc_import_warn (c, _("%llu rows repeated a (series, date) and were summed (known covariates keep the first value)"),
                    (unsigned long long) n_dup);
  if (n_bad_date_rows > 0)
    {
      c->report->n_skipped += n_bad_date_rows;
      for (guint i = 0; i < nd && c->report->skipped->len < MAX_SKIPPED_REASONS; i++)
        if (!valid[i])
          {
            g_autoptr (GError) bad = NULL;

            tc_set_error_at (&bad, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i),
                             c->date_col + 1, c->names[c->date_col], _("found “%s”, expected a date like %s"),
                             (char *) c->date_strs->pdata[i],
                             c->report->date_format ? c->report->date_format : "YYYY-MM-DD");
            g_ptr_array_add (c->report->skipped, g_strdup (bad->message));
            g_ptr_array_add (c->report->skipped_locations, tc_error_location_copy (tc_error_get_location (bad)));
          }
    }
  if (c->static_conflicts > 0)
    tc_import_warn (c, _("%llu rows disagree with the first value of a static attribute of their series; first: %s"),
          (unsigned long long) c->static_conflicts, c->static_conflict_msg);
  fill_missing (c, ds, seen);
  tc_import_expand_levels (c, ds);
  tc_dataset_update_bounds (ds);
  *out = g_steal_pointer (&ds);
  return TRUE;
}

gboolean
tc_import_build_wide_b (Ctx *c, TcDataset **out, GError **error)
{
  guint ns = c->series_keys->len, max_len = 0;
  TcFrequency freq = c->opts->freq;
  gint64 start;
  g_autoptr (TcDataset) ds = NULL;
  guint64 off = 0;

  if (freq == TC_FREQ_UNKNOWN)
    {
      tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                       _("found a row per series and no dates, expected the frequency as an option (--freq)"));
      return FALSE;
    }
  if (!parse_start (c, &start, error))
    return FALSE;
  for (guint s = 0; s < ns; s++)
    max_len = MAX (max_len, g_array_index (c->r_len, guint32, s));
  if (max_len == 0)
    {
      tc_set_error_at (error, TC_ERROR_EMPTY, c->base, 0, 0, NULL,
                       _("found no values, expected a series per row"));
      return FALSE;
    }
  ds = tc_dataset_new (freq, ns, max_len, 0, 0, 0, FALSE);
  ds->source = g_strdup (c->report->path);
  ds->target_name = g_strdup (c->target_name);
  for (guint t = 0; t < max_len; t++)
    ds->times[t] = tc_frequency_advance (freq, start, t);
  ds->week_start = (int) ((((start / 86400) + 3) % 7 + 7) % 7) + 1;
  for (guint s = 0; s < ns; s++)
    {
      guint len = g_array_index (c->r_len, guint32, s);
      guint32 sid = g_array_index (c->r_series, guint32, s);
      const double *v = &g_array_index (c->r_vals, double, off);

      ds->series_ids[sid] = g_strdup (c->series_keys->pdata[sid]);
      memcpy (tc_dataset_target_row (ds, sid), v, sizeof (double) * len);
      off += len;
    }
  if (c->opts->missing != TC_MISSING_KEEP)
    {
      g_autofree guint8 *seen = g_new0 (guint8, (gsize) ns * max_len);

      fill_missing (c, ds, seen);
    }
  tc_dataset_update_bounds (ds);
  *out = g_steal_pointer (&ds);
  return TRUE;
}
