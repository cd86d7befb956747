/* tc-dataset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-dataset"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tc-dataset.h"

static double *
nan_array (gsize n)
{
  double *a = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    a[i] = NAN;
  return a;
}

TcDataset *
tc_dataset_new (TcFrequency freq,
                guint       n_series,
                guint       n_times,
                guint       n_known,
                guint       n_observed,
                guint       n_static,
                gboolean    with_text)
{
  TcDataset *ds = g_new0 (TcDataset, 1);
  gsize cells = (gsize) n_series * n_times;

  ds->freq = freq;
  ds->week_start = 1;
  ds->n_series = n_series;
  ds->n_times = n_times;
  ds->times = g_new0 (gint64, MAX (n_times, 1));
  ds->series_ids = g_new0 (char *, n_series + 1);
  ds->target = nan_array (cells);
  ds->n_known = n_known;
  ds->known_names = g_new0 (char *, n_known + 1);
  ds->known_kinds = g_new0 (TcCovariateKind, MAX (n_known, 1));
  ds->known = nan_array (cells * n_known);
  ds->n_observed = n_observed;
  ds->observed_names = g_new0 (char *, n_observed + 1);
  ds->observed = nan_array (cells * n_observed);
  ds->n_static = n_static;
  ds->static_names = g_new0 (char *, n_static + 1);
  ds->static_values = g_new0 (char *, (gsize) n_series * n_static + 1);
  if (with_text)
    ds->text = g_new0 (char *, cells + 1);
  ds->start = g_new0 (guint, MAX (n_series, 1));
  ds->end = g_new0 (guint, MAX (n_series, 1));
  return ds;
}

static void
free_n (char **v, gsize n)
{
  if (v == NULL)
    return;
  for (gsize i = 0; i < n; i++)
    g_free (v[i]);
  g_free (v);
}

void
tc_dataset_free (TcDataset *ds)
{
  gsize cells;

  if (ds == NULL)
    return;
  cells = (gsize) ds->n_series * ds->n_times;
  g_free (ds->source);
  g_free (ds->times);
  free_n (ds->series_ids, ds->n_series);
  g_free (ds->target_name);
  g_free (ds->target);
  free_n (ds->known_names, ds->n_known);
  g_free (ds->known_kinds);
  g_free (ds->known);
  free_n (ds->observed_names, ds->n_observed);
  g_free (ds->observed);
  free_n (ds->static_names, ds->n_static);
  free_n (ds->static_values, (gsize) ds->n_series * ds->n_static);
  g_free (ds->text_name);
  free_n (ds->text, ds->text ? cells : 0);
  g_free (ds->news_name);
  free_n (ds->news, ds->news ? cells : 0);
  g_free (ds->start);
  g_free (ds->end);
  g_free (ds);
}

static char **
dup_n (char **v, gsize n)
{
  char **r = g_new0 (char *, n + 1);

  for (gsize i = 0; i < n; i++)
    r[i] = g_strdup (v[i]);
  return r;
}

TcDataset *
tc_dataset_copy (const TcDataset *ds)
{
  TcDataset *r;
  gsize cells = (gsize) ds->n_series * ds->n_times;

  r = tc_dataset_new (ds->freq, ds->n_series, ds->n_times, ds->n_known, ds->n_observed,
                      ds->n_static, ds->text != NULL);
  r->source = g_strdup (ds->source);
  r->week_start = ds->week_start;
  memcpy (r->times, ds->times, sizeof (gint64) * ds->n_times);
  free_n (r->series_ids, 0);
  r->series_ids = dup_n (ds->series_ids, ds->n_series);
  r->target_name = g_strdup (ds->target_name);
  memcpy (r->target, ds->target, sizeof (double) * cells);
  g_free (r->known_names);
  r->known_names = dup_n (ds->known_names, ds->n_known);
  if (ds->n_known > 0)
    memcpy (r->known_kinds, ds->known_kinds, sizeof (TcCovariateKind) * ds->n_known);
  memcpy (r->known, ds->known, sizeof (double) * cells * ds->n_known);
  g_free (r->observed_names);
  r->observed_names = dup_n (ds->observed_names, ds->n_observed);
  memcpy (r->observed, ds->observed, sizeof (double) * cells * ds->n_observed);
  g_free (r->static_names);
  r->static_names = dup_n (ds->static_names, ds->n_static);
  g_free (r->static_values);
  r->static_values = dup_n (ds->static_values, (gsize) ds->n_series * ds->n_static);
  r->text_name = g_strdup (ds->text_name);
  if (ds->text)
    {
      g_free (r->text);
      r->text = dup_n (ds->text, cells);
    }
  r->news_name = g_strdup (ds->news_name);
  if (ds->news)
    r->news = dup_n (ds->news, cells);
  memcpy (r->start, ds->start, sizeof (guint) * ds->n_series);
  memcpy (r->end, ds->end, sizeof (guint) * ds->n_series);
  return r;
}

void
tc_dataset_update_bounds (TcDataset *ds)
{
  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);
      guint a = 0, b = ds->n_times;

      while (a < b && isnan (y[a]))
        a++;
      while (b > a && isnan (y[b - 1]))
        b--;
      ds->start[s] = a;
      ds->end[s] = b;
    }
}

static const char *freq_names[] = {
  "unknown", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly",
};

const char *
tc_frequency_to_string (TcFrequency freq)
{
  if ((guint) freq >= G_N_ELEMENTS (freq_names))
    return "unknown";
  return freq_names[freq];
}

TcFrequency
tc_frequency_from_string (const char *str)
{
  for (guint i = 0; i < G_N_ELEMENTS (freq_names); i++)
    if (g_ascii_strcasecmp (str, freq_names[i]) == 0)
      return (TcFrequency) i;
  return TC_FREQ_UNKNOWN;
}

guint
tc_frequency_season (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return 24;
    case TC_FREQ_DAILY:     return 7;
    case TC_FREQ_WEEKLY:    return 52;
    case TC_FREQ_MONTHLY:   return 12;
    case TC_FREQ_QUARTERLY: return 4;
    case TC_FREQ_YEARLY:
    case TC_FREQ_UNKNOWN:
    default:                return 1;
    }
}

int
tc_times_find (const gint64 *times,
               guint         n,
               gint64        t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && times[lo] == t ? (int) lo : -1;
}

char *
tc_frequency_format_time (TcFrequency freq,
                          gint64      t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup ("?");
  return g_date_time_format (dt, freq == TC_FREQ_HOURLY ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
}

gint64
tc_frequency_advance (TcFrequency freq,
                      gint64      t,
                      int         steps)
{
  GDateTime *dt, *nd;
  gint64 r;

  switch (freq)
    {
    case TC_FREQ_HOURLY: return t + (gint64) steps * 3600;
    case TC_FREQ_DAILY:  return t + (gint64) steps * 86400;
    case TC_FREQ_WEEKLY: return t + (gint64) steps * 7 * 86400;
    case TC_FREQ_MONTHLY:
    case TC_FREQ_QUARTERLY:
    case TC_FREQ_YEARLY:
      dt = g_date_time_new_from_unix_utc (t);
      nd = g_date_time_add_months (dt, steps * (freq == TC_FREQ_MONTHLY ? 1
                                                : freq == TC_FREQ_QUARTERLY ? 3 : 12));
      r = g_date_time_to_unix (nd);
      g_date_time_unref (dt);
      g_date_time_unref (nd);
      return r;
    case TC_FREQ_UNKNOWN:
    default:
      return t + steps;
    }
}
