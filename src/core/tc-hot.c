/* tc-hot.c — hot and new products: growth ranking and cold-start forecasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-hot"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-format.h"
#include "tc-hot.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-explore.h"
#include "tc-orders.h"

#define DEFAULT_ANALOGUES 5

guint
tc_hot_default_steps (TcFrequency freq,
                      guint       horizon)
{
  guint p;

  switch (freq)
    {
    case TC_FREQ_HOURLY: p = 24 * 7; break;
    case TC_FREQ_DAILY:  p = 28; break;
    case TC_FREQ_WEEKLY: p = 4; break;
    case TC_FREQ_MONTHLY:
    case TC_FREQ_QUARTERLY:
    case TC_FREQ_YEARLY:
    case TC_FREQ_UNKNOWN:
    default:             p = 1; break;
    }
  return CLAMP (p, 1, MAX (horizon, 1));
}

/* -- growth ------------------------------------------------------------------ */

/* The last @steps values of series @s before index @origin, scaled up
 * over gaps when at least half are known; NaN otherwise. */
static double
recent_sum (const TcDataset *ds, guint s, guint origin, guint steps)
{
  const double *y = tc_dataset_target_row (ds, s);
  double sum = 0;
  guint known = 0, i;

  if (origin < steps)
    return NAN;
  for (i = origin - steps; i < origin && i < ds->n_times; i++)
    if (isfinite (y[i]))
      {
        sum += y[i];
        known++;
      }
  if (known * 2 < steps || known == 0)
    return NAN;
  return sum * steps / known;
}

/* Steps since the series' first value: its life so far, gaps included. */
static guint
age_of (const TcDataset *ds, guint s, guint origin)
{
  if (ds->end[s] <= ds->start[s] || origin <= ds->start[s])
    return 0;
  return origin - ds->start[s];
}

static void
growth_of (TcHotReport *report, TcHotItem *item)
{
  guint nq = report->n_quantiles;

  item->growth_lo = item->growth = item->growth_hi = item->chance_of_growth = NAN;
  if (!(isfinite (item->recent) && item->recent > 0 && isfinite (item->next[report->median])))
    return;
  item->growth_lo = item->next[0] / item->recent - 1;
  item->growth = item->next[report->median] / item->recent - 1;
  item->growth_hi = item->next[nq - 1] / item->recent - 1;
  item->chance_of_growth = tc_orders_exceedance (report->quantiles, item->next, nq, report->median,
                                                 TRUE, item->recent);
}

/* -- analogues --------------------------------------------------------------- */

typedef struct
{
  guint  series;
  double distance;
  double scale;
} Candidate;

static int
cmp_candidate (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->distance != cb->distance)
    return ca->distance < cb->distance ? -1 : 1;
  return ca->series < cb->series ? -1 : ca->series > cb->series;
}

static guint
attributes_equal (const TcDataset *ds, guint a, guint b)
{
  guint k, n = 0;

  for (k = 0; k < ds->n_static; k++)
    {
      const char *va = ds->static_values[(gsize) a * ds->n_static + k];
      const char *vb = ds->static_values[(gsize) b * ds->n_static + k];

      n += va && vb && strcmp (va, vb) == 0;
    }
  return n;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The q-th empirical quantile of @v (@n values, sorted in place), linear
 * between order statistics. */
static double
empirical_quantile (double *v, guint n, double q)
{
  double pos;
  guint lo;

  if (n == 0)
    return NAN;
  qsort (v, n, sizeof *v, cmp_double);
  pos = q * (n - 1);
  lo = (guint) floor (pos);
  if (lo + 1 >= n)
    return v[n - 1];
  return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

/* Borrows the forecast of new series @item->series (age a, forecast
 * origin @origin) from its nearest analogues, as the header describes. */
static void
borrow (TcHotReport *report, const TcDataset *ds, const gboolean *is_new,
        guint k_max, TcHotItem *item)
{
  guint s = item->series, a = item->age, H = report->horizon, nq = report->n_quantiles;
  const double *y = tc_dataset_target_row (ds, s);
  g_autoptr (GArray) cands = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autofree double *first = g_new (double, MAX (a, 1));   /* (a) the new series' values by age */
  g_autofree double *col = NULL;
  guint best_match = 0, j, i, h, q, n_first = 0, k;
  gboolean any = FALSE;

  /* The new series' values by age, gaps included. */
  for (i = 0; i < a && ds->start[s] + i < ds->n_times; i++)
    first[n_first++] = y[ds->start[s] + i];

  for (j = 0; j < ds->n_series; j++)
    if (j != s && !is_new[j] && ds->end[j] > ds->start[j] && ds->start[j] + a + H <= ds->end[j])
      {
        guint m = attributes_equal (ds, s, j);

        if (!any || m > best_match)
          best_match = m;
        any = TRUE;
      }
  item->source = TC_HOT_NO_ANALOGUE;
  if (!any)
    return;

  for (j = 0; j < ds->n_series; j++)
    {
      const double *yj = tc_dataset_target_row (ds, j);
      Candidate c = { j, 0, 1 };
      double sum_new = 0, sum_j = 0, d = 0;
      guint n = 0;

      if (j == s || is_new[j] || ds->end[j] <= ds->start[j] || ds->start[j] + a + H > ds->end[j]
          || attributes_equal (ds, s, j) != best_match)
        continue;
      for (i = 0; i < n_first; i++)
        {
          double u = first[i], v = yj[ds->start[j] + i];

          if (!isfinite (u) || !isfinite (v))
            continue;
          d += (log1p (MAX (u, 0)) - log1p (MAX (v, 0))) * (log1p (MAX (u, 0)) - log1p (MAX (v, 0)));
          sum_new += u;
          sum_j += v;
          n++;
        }
      c.distance = n > 0 ? d / n : 0;
      c.scale = n > 0 && sum_j > 0 ? sum_new / sum_j : 1;
      g_array_append_val (cands, c);
    }
  g_array_sort (cands, cmp_candidate);
  k = MIN (k_max, cands->len);

  item->source = TC_HOT_BORROWED;
  item->attributes_matched = best_match;
  item->n_analogues = k;
  item->analogues = g_new (guint, MAX (k, 1));
  item->forecast = g_new (double, (gsize) H * nq);
  col = g_new (double, MAX (k, 1));
  for (i = 0; i < k; i++)
    item->analogues[i] = g_array_index (cands, Candidate, i).series;
  for (h = 0; h < H; h++)
    {
      guint n = 0;

      for (i = 0; i < k; i++)
        {
          const Candidate *c = &g_array_index (cands, Candidate, i);
          double v = tc_dataset_target_row (ds, c->series)[ds->start[c->series] + a + h];

          if (isfinite (v))
            col[n++] = c->scale * v;
        }
      for (q = 0; q < nq; q++)
        item->forecast[(gsize) h * nq + q] = empirical_quantile (col, n, report->quantiles[q]);
    }
  tc_orders_period_demand (item->forecast, report->steps, nq, report->median, item->next);
}

static int
rank_class (const TcHotItem *it)
{
  if (it->source == TC_HOT_MODEL)
    return isfinite (it->growth) ? 0 : 1;
  if (it->source == TC_HOT_BORROWED)
    return 2;
  return 3;
}

static int
cmp_item (gconstpointer a, gconstpointer b)
{
  const TcHotItem *x = a, *y = b;
  int cx = rank_class (x), cy = rank_class (y);

  if (cx != cy)
    return cx - cy;
  if (cx == 0 && x->growth != y->growth)
    return x->growth > y->growth ? -1 : 1;
  return x->series < y->series ? -1 : x->series > y->series;
}

TcHotReport *
tc_hot_report_new (const TcDataset    *ds,
                   const TcForecast   *f,
                   const TcHotOptions *opts,
                   GError            **error)
{
  TcHotReport *report;
  g_autofree gboolean *is_new = NULL;
  g_autofree guint *origins = NULL;
  guint s, q, k;

  g_return_val_if_fail (ds != NULL && f != NULL, NULL);
  g_return_val_if_fail (f->n_series == ds->n_series, NULL);

  if (f->horizon == 0 || f->n_quantiles == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, _("The forecast is empty"));
      return NULL;
    }
  if (opts && opts->steps > f->horizon)
    {
      g_autofree char *want = tc_explore_period_phrase (ds->freq, opts->steps);
      g_autofree char *have = tc_explore_period_phrase (ds->freq, f->horizon);

      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("Growth over %s needs a forecast that long, but the model forecasts only %s"), want, have);
      return NULL;
    }

  report = g_new0 (TcHotReport, 1);
  report->freq = ds->freq;
  report->target_name = g_strdup (ds->target_name);
  report->horizon = f->horizon;
  report->n_quantiles = f->n_quantiles;
  memcpy (report->quantiles, f->quantiles, sizeof report->quantiles);
  report->median = tc_forecast_median_index (f);
  report->steps = opts && opts->steps ? opts->steps : tc_hot_default_steps (ds->freq, f->horizon);
  report->new_steps = opts && opts->new_steps ? opts->new_steps : 2 * report->steps;
  report->n_static = ds->n_static;
  k = opts && opts->n_analogues ? opts->n_analogues : DEFAULT_ANALOGUES;

  report->n_items = ds->n_series;
  report->items = g_new0 (TcHotItem, MAX (ds->n_series, 1));
  is_new = g_new0 (gboolean, MAX (ds->n_series, 1));
  origins = g_new (guint, MAX (ds->n_series, 1));
  for (s = 0; s < ds->n_series; s++)
    {
      TcHotItem *it = &report->items[s];

      origins[s] = tc_forecast_series_origin (f, s);
      it->series = s;
      it->age = age_of (ds, s, origins[s]);
      it->next = g_new (double, f->n_quantiles);
      is_new[s] = it->age < report->new_steps;
    }
  for (s = 0; s < ds->n_series; s++)
    {
      TcHotItem *it = &report->items[s];

      it->recent = recent_sum (ds, s, origins[s], report->steps);
      for (q = 0; q < f->n_quantiles; q++)
        it->next[q] = NAN;
      if (is_new[s])
        borrow (report, ds, is_new, k, it);
      else if (tc_forecast_series_has_values (f, s))
        {
          it->source = TC_HOT_MODEL;
          tc_orders_period_demand (f->values + (gsize) s * f->horizon * f->n_quantiles, report->steps,
                                   f->n_quantiles, report->median, it->next);
        }
      else
        it->source = TC_HOT_NO_FORECAST;
      growth_of (report, it);
    }
  qsort (report->items, report->n_items, sizeof *report->items, cmp_item);
  return report;
}

void
tc_hot_report_free (TcHotReport *report)
{
  guint i;

  if (report == NULL)
    return;
  for (i = 0; i < report->n_items; i++)
    {
      g_free (report->items[i].next);
      g_free (report->items[i].analogues);
      g_free (report->items[i].forecast);
    }
  g_free (report->items);
  g_free (report->target_name);
  g_free (report);
}

/* -- words -------------------------------------------------------------------- */

static const char *
label (const TcDataset *ds, guint s)
{
  const char *id = ds->series_ids[s];

  return id && *id ? id : ds->target_name ? ds->target_name : "series";
}

static char *
signed_percent (double g)
{
  double p = g * 100;

  if (!isfinite (p))
    return g_strdup ("–");
  return g_strdup_printf ("%s%.0f" TC_PERCENT, p >= 0.5 ? "+" : p <= -0.5 ? "−" : "±", fabs (p));
}

char *
tc_hot_item_explain (const TcHotReport *report,
                     const TcHotItem   *item,
                     const TcDataset   *ds)
{
  g_autofree char *period = NULL, *lo = NULL, *mid = NULL, *hi = NULL, *chance = NULL;

  g_return_val_if_fail (report != NULL && item != NULL && ds != NULL, NULL);

  period = tc_explore_period_phrase (report->freq, report->steps);
  if (item->source == TC_HOT_NO_FORECAST)
    return g_strdup (_("No forecast: no history before the forecast starts."));
  if (item->source == TC_HOT_NO_ANALOGUE)
    {
      g_autofree char *age = tc_explore_period_phrase (report->freq, item->age);

      /* TRANSLATORS: "New product (3 weeks of sales): no established product has a history long enough to borrow a forecast from." */
      return g_strdup_printf (_("New product (%s of sales): no established product has a history long enough "
                                "to borrow a forecast from."), age);
    }
  if (item->source == TC_HOT_BORROWED)
    {
      g_autofree char *age = tc_explore_period_phrase (report->freq, item->age);
      g_autofree char *m = tc_explore_format_number (item->next[report->median]);
      g_autofree char *l = tc_explore_format_number (item->next[0]);
      g_autofree char *u = tc_explore_format_number (item->next[report->n_quantiles - 1]);
      GString *names = g_string_new (NULL);
      GString *attrs = g_string_new (NULL);
      g_autofree char *names_s = NULL, *attrs_s = NULL;
      char *out;
      guint i;

      for (i = 0; i < item->n_analogues && i < 5; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", label (ds, item->analogues[i]));
      if (item->n_analogues > 5)
        g_string_append (names, ", …");
      for (i = 0; i < ds->n_static && item->n_analogues > 0; i++)
        {
          const char *v = ds->static_values[(gsize) item->series * ds->n_static + i];
          const char *w = ds->static_values[(gsize) item->analogues[0] * ds->n_static + i];

          if (v && w && strcmp (v, w) == 0)
            g_string_append_printf (attrs, "%s%s %s", attrs->len ? ", " : "", ds->static_names[i], v);
        }
      names_s = g_string_free (names, FALSE);
      attrs_s = g_string_free (attrs, FALSE);
      if (item->age == 0)
        /* TRANSLATORS: "New product, no sales yet: forecast borrowed from 5 similar products (category Snacks): A, B. Next 4 weeks: most likely 120, likely 80–150." */
        out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "New product, no sales yet: forecast borrowed from %u similar product (%s): %s, "
                                            "at its launch. Next %s: most likely %s, likely %s–%s.",
                                            "New product, no sales yet: forecast borrowed from %u similar products (%s): %s, "
                                            "at their launch. Next %s: most likely %s, likely %s–%s.",
                                            item->n_analogues),
                               item->n_analogues, *attrs_s ? attrs_s : _("no attribute in common"), names_s,
                               period, m, l, u);
      else
        /* TRANSLATORS: "New product (3 weeks of sales): forecast borrowed from 5 similar products (category Snacks) with the most alike first weeks: A, B. Next 4 weeks: …" */
        out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "New product (%s of sales): forecast borrowed from %u similar product (%s) "
                                            "with the most alike start: %s, at the same age and scaled to this product's sales. "
                                            "Next %s: most likely %s, likely %s–%s.",
                                            "New product (%s of sales): forecast borrowed from %u similar products (%s) "
                                            "with the most alike start: %s, at the same age and scaled to this product's sales. "
                                            "Next %s: most likely %s, likely %s–%s.",
                                            item->n_analogues),
                               age, item->n_analogues, *attrs_s ? attrs_s : _("no attribute in common"), names_s,
                               period, m, l, u);
      if (item->n_analogues < 3)
        {
          char *more = g_strconcat (out, " ", _("So few analogues make the range narrow by chance."), NULL);

          g_free (out);
          out = more;
        }
      return out;
    }

  if (!isfinite (item->growth))
    return g_strdup_printf (_("No growth figure: too few sales in the last %s to compare with."), period);
  lo = signed_percent (item->growth_lo);
  mid = signed_percent (item->growth);
  hi = signed_percent (item->growth_hi);
  chance = g_strdup_printf ("%.0f" TC_PERCENT, 100 * item->chance_of_growth);
  if (item->growth_lo > 0)
    /* TRANSLATORS: "Likely to grow 20–45 % over the next 4 weeks (most likely +31 %) on the last 4 weeks; 93 % chance of growth." */
    return g_strdup_printf (_("Likely to grow %.0f–%.0f %% over the next %s (most likely %s) on the last %s; %s chance of growth."),
                            100 * item->growth_lo, 100 * item->growth_hi, period, mid, period, chance);
  if (item->growth_hi < 0)
    /* TRANSLATORS: "Likely to fall 10–30 % over the next 4 weeks (most likely −18 %) on the last 4 weeks; 4 % chance of growth." */
    return g_strdup_printf (_("Likely to fall %.0f–%.0f %% over the next %s (most likely %s) on the last %s; %s chance of growth."),
                            -100 * item->growth_hi, -100 * item->growth_lo, period, mid, period, chance);
  /* TRANSLATORS: "Next 4 weeks likely between −10 % and +25 % of the last 4 weeks (most likely +6 %); 64 % chance of growth." */
  return g_strdup_printf (_("Next %s likely between %s and %s of the last %s (most likely %s); %s chance of growth."),
                          period, lo, hi, period, mid, chance);
}

/* -- CSV ---------------------------------------------------------------------- */

/* A number after a comma; nothing (an empty cell) when unknown. */
static void
csv_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isfinite (v))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static const char *
source_name (TcHotSource s)
{
  switch (s)
    {
    case TC_HOT_MODEL:       return "model";
    case TC_HOT_BORROWED:    return "borrowed";
    case TC_HOT_NO_ANALOGUE: return "new_no_analogue";
    case TC_HOT_NO_FORECAST:
    default:                 return "none";
    }
}

static void
csv_analogues (GString *out, const TcHotItem *it, const TcDataset *ds)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < it->n_analogues; i++)
    g_string_append_printf (names, "%s%s", i ? " " : "", label (ds, it->analogues[i]));
  g_string_append_c (out, ',');
  tc_csv_append_field (out, names->str);
  g_string_free (names, TRUE);
}

static void
quantile_header (GString *out, const TcHotReport *report, const char *prefix)
{
  guint q;

  for (q = 0; q < report->n_quantiles; q++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof buf, "%g", report->quantiles[q] * 100.0);
      g_string_append_printf (out, ",%sp%s", prefix, buf);
    }
}

char *
tc_hot_report_csv (const TcHotReport *report,
                   const TcDataset   *ds)
{
  GString *out;
  guint i, q, rank = 0;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (report != NULL && ds != NULL, NULL);
  out = g_string_new ("rank,series,source,age,recent");
  quantile_header (out, report, "next_");
  g_string_append_printf (out, ",growth_p%s", g_ascii_formatd (buf, sizeof buf, "%g", report->quantiles[0] * 100.0));
  g_string_append_printf (out, ",growth_p%s", g_ascii_formatd (buf, sizeof buf, "%g", report->quantiles[report->median] * 100.0));
  g_string_append_printf (out, ",growth_p%s", g_ascii_formatd (buf, sizeof buf, "%g", report->quantiles[report->n_quantiles - 1] * 100.0));
  g_string_append (out, ",chance_of_growth,analogues\n");
  for (i = 0; i < report->n_items; i++)
    {
      const TcHotItem *it = &report->items[i];

      if (it->source == TC_HOT_NO_FORECAST || it->source == TC_HOT_NO_ANALOGUE)
        continue;
      g_string_append_printf (out, "%u,", ++rank);
      tc_csv_append_field (out, label (ds, it->series));
      g_string_append_printf (out, ",%s,%u", source_name (it->source), it->age);
      csv_number (out, it->recent);
      for (q = 0; q < report->n_quantiles; q++)
        csv_number (out, it->next[q]);
      csv_number (out, 100 * it->growth_lo);
      csv_number (out, 100 * it->growth);
      csv_number (out, 100 * it->growth_hi);
      csv_number (out, it->chance_of_growth);
      csv_analogues (out, it, ds);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
tc_hot_borrowed_csv (const TcHotReport *report,
                     const TcDataset   *ds,
                     const TcForecast  *f)
{
  GString *out;
  guint i, h, q;

  g_return_val_if_fail (report != NULL && ds != NULL && f != NULL, NULL);
  out = g_string_new ("series,date");
  quantile_header (out, report, "");
  g_string_append (out, ",source,analogues\n");
  for (i = 0; i < report->n_items; i++)
    {
      const TcHotItem *it = &report->items[i];
      const gint64 *times;

      if (it->source != TC_HOT_BORROWED)
        continue;
      times = tc_forecast_series_times (f, it->series);
      for (h = 0; h < report->horizon; h++)
        {
          g_autofree char *d = tc_frequency_format_time (ds->freq, times[h]);

          if (!isfinite (it->forecast[(gsize) h * report->n_quantiles + report->median]))
            continue;   /* no analogue reaches this age: no row, no empty cell */
          tc_csv_append_field (out, label (ds, it->series));
          g_string_append_printf (out, ",%s", d);
          for (q = 0; q < report->n_quantiles; q++)
            csv_number (out, it->forecast[(gsize) h * report->n_quantiles + q]);
          g_string_append (out, ",borrowed");
          csv_analogues (out, it, ds);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}
