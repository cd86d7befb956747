/* accuracy_eval.c — scores a Trendcast forecast and the baselines on a holdout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: accuracy_eval DATA.csv FORECAST.csv SCALE_M SEASON BASE_M
 *
 * DATA.csv: series,date,value[,…] (long, dates ISO; rows may have gaps).
 * FORECAST.csv: series,date,p10,p50,p90 as written by
 * `trendcast-cli forecast --holdout`.  For every series the history is
 * the data before its first forecast date (gaps as missing values on the
 * date grid), the actuals are the data on the forecast dates.
 *
 * Prints one line: the number of series and the mean over series of
 * MASE (in-sample scale mean |y_t - y_{t-SCALE_M}|) of Trendcast's P50,
 * seasonal naive (period SEASON), ETS (automatic, period BASE_M) and
 * Theta (period BASE_M), and Trendcast's P10–P90 coverage of the actuals.
 * Series whose test part is less than half observed, or whose scale is
 * 0, are skipped (as bench/metrics.py).  Built by bench/accuracy.sh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tc-baselines.h"

typedef struct
{
  GArray *day;    /* gint64 days since the epoch */
  GArray *val;    /* double */
} Rows;

static gint64
parse_day (const char *s)
{
  int y, m, d;
  GDate date;

  if (sscanf (s, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return G_MININT64;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

static void
rows_free (gpointer p)
{
  Rows *r = p;

  g_array_unref (r->day);
  g_array_unref (r->val);
  g_free (r);
}

static Rows *
rows_get (GHashTable *t, const char *id)
{
  Rows *r = g_hash_table_lookup (t, id);

  if (r == NULL)
    {
      r = g_new0 (Rows, 1);
      r->day = g_array_new (FALSE, FALSE, sizeof (gint64));
      r->val = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (t, g_strdup (id), r);
    }
  return r;
}

static int
col_index (char **head, const char *name)
{
  for (int i = 0; head[i]; i++)
    if (strcmp (g_strstrip (head[i]), name) == 0)
      return i;
  return -1;
}

int
main (int argc, char **argv)
{
  g_autofree char *dtext = NULL, *ftext = NULL;
  g_auto (GStrv) dl = NULL, fl = NULL, fhead = NULL;
  g_autoptr (GHashTable) data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rows_free);
  g_autoptr (GHashTable) p10 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rows_free);
  g_autoptr (GHashTable) p50 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rows_free);
  g_autoptr (GHashTable) p90 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rows_free);
  g_autoptr (GList) ids = NULL;
  static const double half = 0.5;
  guint scale_m, season, base_m, n = 0;
  double sum_tc = 0, sum_sn = 0, sum_ets = 0, sum_theta = 0, cov = 0, n_cov = 0;
  int c10, c50, c90;

  if (argc != 6 || !g_file_get_contents (argv[1], &dtext, NULL, NULL)
      || !g_file_get_contents (argv[2], &ftext, NULL, NULL))
    {
      fprintf (stderr, "usage: accuracy_eval DATA.csv FORECAST.csv SCALE_M SEASON BASE_M\n");
      return 1;
    }
  scale_m = atoi (argv[3]);
  season = atoi (argv[4]);
  base_m = atoi (argv[5]);
  dl = g_strsplit (dtext, "\n", -1);
  for (guint i = 1; dl[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (dl[i], ",", 4);
      Rows *r;
      gint64 d;
      double v;

      if (g_strv_length (f) < 3)
        continue;
      d = parse_day (f[1]);
      v = f[2][0] ? g_ascii_strtod (f[2], NULL) : NAN;
      r = rows_get (data, f[0]);
      g_array_append_val (r->day, d);
      g_array_append_val (r->val, v);
    }
  fl = g_strsplit (ftext, "\n", -1);
  fhead = g_strsplit (fl[0], ",", -1);
  c10 = col_index (fhead, "p10");
  c50 = col_index (fhead, "p50");
  c90 = col_index (fhead, "p90");
  if (c10 < 0 || c50 < 0 || c90 < 0)
    {
      fprintf (stderr, "the forecast needs p10, p50 and p90 columns\n");
      return 1;
    }
  for (guint i = 1; fl[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (fl[i], ",", -1);
      gint64 d;
      double v;
      Rows *r;

      if (g_strv_length (f) <= (guint) MAX (c90, MAX (c10, c50)))
        continue;
      d = parse_day (f[1]);
      v = g_ascii_strtod (f[c10], NULL);
      r = rows_get (p10, f[0]);
      g_array_append_val (r->day, d);
      g_array_append_val (r->val, v);
      v = g_ascii_strtod (f[c50], NULL);
      r = rows_get (p50, f[0]);
      g_array_append_val (r->day, d);
      g_array_append_val (r->val, v);
      v = g_ascii_strtod (f[c90], NULL);
      r = rows_get (p90, f[0]);
      g_array_append_val (r->day, d);
      g_array_append_val (r->val, v);
    }

  ids = g_hash_table_get_keys (p50);
  ids = g_list_sort (ids, (GCompareFunc) g_strcmp0);
  for (GList *l = ids; l; l = l->next)
    {
      Rows *d = g_hash_table_lookup (data, l->data);
      Rows *f50 = g_hash_table_lookup (p50, l->data);
      Rows *f10 = g_hash_table_lookup (p10, l->data);
      Rows *f90 = g_hash_table_lookup (p90, l->data);
      guint h = f50->day->len, n_hist = 0, n_ok = 0;
      gint64 d0 = g_array_index (f50->day, gint64, 0), first = G_MAXINT64;
      double step = 0, scale = 0, e_tc = 0, e_sn = 0, e_ets = 0, e_theta = 0;
      guint n_scale = 0;
      g_autofree double *hist = NULL, *act = NULL, *fsn = NULL, *fets = NULL, *fth = NULL;

      if (d == NULL || h < 1)
        continue;
      /* The date grid: weekly steps are 7 days, monthly ones ~30.44. */
      step = h > 1 ? (double) (g_array_index (f50->day, gint64, 1) - d0) : 7;
      step = step > 20 ? 365.25 / 12 : step;
      for (guint i = 0; i < d->day->len; i++)
        if (g_array_index (d->day, gint64, i) < d0)
          first = MIN (first, g_array_index (d->day, gint64, i));
      if (first == G_MAXINT64)
        continue;
      n_hist = (guint) llround ((d0 - first) / step);
      hist = g_new (double, n_hist);
      for (guint i = 0; i < n_hist; i++)
        hist[i] = NAN;
      act = g_new (double, h);
      for (guint k = 0; k < h; k++)
        act[k] = NAN;
      for (guint i = 0; i < d->day->len; i++)
        {
          gint64 day = g_array_index (d->day, gint64, i);
          double v = g_array_index (d->val, double, i);

          if (day < d0)
            {
              long idx = lround ((day - first) / step);

              if (idx >= 0 && idx < (long) n_hist)
                hist[idx] = v;
            }
          else
            for (guint k = 0; k < h; k++)
              if (g_array_index (f50->day, gint64, k) == day)
                act[k] = v;
        }
      for (guint k = 0; k < h; k++)
        n_ok += isfinite (act[k]);
      if (n_ok * 2 < h)
        continue;
      for (guint t = scale_m; t < n_hist; t++)
        if (isfinite (hist[t]) && isfinite (hist[t - scale_m]))
          {
            scale += fabs (hist[t] - hist[t - scale_m]);
            n_scale++;
          }
      scale = n_scale ? scale / n_scale : 0;
      if (scale == 0)
        continue;
      fsn = g_new (double, h);
      fets = g_new (double, h);
      fth = g_new (double, h);
      if (!tc_baseline_forecast (TC_BASELINE_SEASONAL_NAIVE, hist, n_hist, season, h, &half, 1, fsn, NULL)
          || !tc_baseline_forecast (TC_BASELINE_ETS, hist, n_hist, base_m, h, &half, 1, fets, NULL)
          || !tc_baseline_forecast (TC_BASELINE_THETA, hist, n_hist, base_m, h, &half, 1, fth, NULL))
        continue;
      for (guint k = 0; k < h; k++)
        if (isfinite (act[k]))
          {
            double lo = g_array_index (f10->val, double, k), hi = g_array_index (f90->val, double, k);

            e_tc += fabs (act[k] - g_array_index (f50->val, double, k));
            e_sn += fabs (act[k] - fsn[k]);
            e_ets += fabs (act[k] - fets[k]);
            e_theta += fabs (act[k] - fth[k]);
            cov += act[k] >= lo && act[k] <= hi;
            n_cov++;
          }
      sum_tc += e_tc / n_ok / scale;
      sum_sn += e_sn / n_ok / scale;
      sum_ets += e_ets / n_ok / scale;
      sum_theta += e_theta / n_ok / scale;
      n++;
    }
  if (n == 0)
    {
      fprintf (stderr, "no series to score\n");
      return 1;
    }
  printf ("series %u trendcast_mase %.3f snaive_mase %.3f ets_mase %.3f theta_mase %.3f cov80 %.3f\n",
          n, sum_tc / n, sum_sn / n, sum_ets / n, sum_theta / n, cov / n_cov);
  return 0;
}
