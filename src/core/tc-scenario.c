/* tc-scenario.c — what-if forecasts: baseline against edited known covariates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario"

#include "config.h"

#include <math.h>

#include "tc-error.h"
#include "tc-forecaster-private.h"

void
tc_scenario_result_free (TcScenarioResult *r)
{
  if (r == NULL)
    return;
  tc_forecast_free (r->baseline);
  tc_forecast_free (r->scenario);
  g_free (r->uplift_units);
  g_free (r->uplift_revenue);
  g_free (r->baseline_price);
  g_free (r->scenario_price);
  g_free (r);
}

TcScenarioResult *
tc_forecaster_scenario (TcForecaster         *fc,
                        const TcDataset      *ds,
                        const TcDataset      *future,
                        const TcScenarioEdit *edits,
                        guint                 n_edits,
                        GError              **error)
{
  return tc_forecaster_scenario_full (fc, ds, future, TC_ORIGIN_COMMON, edits, n_edits, error);
}

/* Whether edit @e covers a forecast date of a series it applies to. */
static gboolean
edit_hits (const TcForecast *f, const TcScenarioEdit *e)
{
  for (guint s = 0; s < f->n_series; s++)
    {
      const gint64 *times = tc_forecast_series_times (f, s);

      if (e->series >= 0 && (guint) e->series != s)
        continue;
      for (guint h = 0; h < f->horizon; h++)
        if (times[h] >= e->from && times[h] <= e->to)
          return TRUE;
    }
  return FALSE;
}

/* Only the network reads the known covariates; the safety net may mix
 * its forecast with baselines that do not (tc-forecaster.h).  Scaling
 * the change by the network's share would make a promotion do less the
 * more the baselines help the level, and nothing at all where seasonal
 * naive won.  Instead the network's response is carried over to the
 * forecast in use as a relative change: every quantile of the baseline
 * times the network's scenario median over its baseline median, step by
 * step.  Where the network's baseline median is about 0 (under 5 % of
 * its mean over the series' horizon) a ratio means nothing and the
 * change is added instead.  Non-negative forecasts stay non-negative.
 *
 * @base: the baseline in use (n_series, H, Q); @raw_base: the network's
 * baseline, same shape; @scen: in, the network's scenario; out, the
 * scenario in use. */
static void
transfer_effect (const TcForecast *base, const double *raw_base, TcForecast *scen)
{
  guint H = base->horizon, Q = base->n_quantiles, m = tc_forecast_median_index (base);

  for (guint s = 0; s < base->n_series; s++)
    {
      double level = 0;
      guint n_level = 0;

      for (guint h = 0; h < H; h++)
        {
          double b = raw_base[((gsize) s * H + h) * Q + m];

          if (isfinite (b))
            level += fabs (b), n_level++;
        }
      level = n_level ? level / n_level : 0;
      for (guint h = 0; h < H; h++)
        {
          gsize i = (gsize) s * H + h;
          const double *bq = base->values + i * Q;
          double *sq = scen->values + i * Q;
          double b = raw_base[i * Q + m], c = sq[m];
          gboolean ratio = isfinite (b) && b > 0.05 * level && b > 0 && c >= 0;

          for (guint q = 0; q < Q; q++)
            {
              sq[q] = ratio ? bq[q] * (c / b) : bq[q] + (c - b);
              if (bq[0] >= 0 && sq[q] < 0)
                sq[q] = 0;
            }
        }
    }
}

static gboolean
data_known (const TcDataset *ds, const char *name)
{
  for (guint j = 0; j < ds->n_known; j++)
    if (g_strcmp0 (ds->known_names[j], name) == 0)
      return TRUE;
  return FALSE;
}

TcScenarioResult *
tc_forecaster_scenario_full (TcForecaster         *fc,
                             const TcDataset      *ds,
                             const TcDataset      *future,
                             TcOriginMode          mode,
                             const TcScenarioEdit *edits,
                             guint                 n_edits,
                             GError              **error)
{
  const TcFeatureSchema *sc = fc->schema;
  g_autoptr (TcScenarioResult) r = g_new0 (TcScenarioResult, 1);
  g_autofree TcFeatureEdit *fe = g_new0 (TcFeatureEdit, MAX (n_edits, 1));
  g_autofree gboolean *fe_skip = g_new0 (gboolean, MAX (n_edits, 1));   /* (n_edits) */
  guint n_fe = 0;
  g_autofree guint *origins = tc_forecaster_origins (ds, mode);
  g_autofree double *raw_base = NULL;   /* (n_series, H, Q) the network's baseline */
  guint H, Q, m;
  gsize n;

  for (guint e = 0; e < n_edits; e++)
    {
      int k = -1;

      for (guint j = 0; j < sc->n_known; j++)
        if (g_strcmp0 (sc->known_names[j], edits[e].covariate) == 0)
          k = j;
      if (k < 0 && data_known (ds, edits[e].covariate))
        {
          /* A column the model left out as moving with another
           * (tc-features.h): the model reads that other one, which the
           * same scenario changes (a discount lowers the price). */
          fe_skip[e] = TRUE;
          continue;
        }
      if (k < 0)
        {
          g_autofree char *names = g_strjoinv (", ", sc->known_names);

          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario changes “%s”, which is not a known-future covariate of "
                       "the model (it knows: %s)", edits[e].covariate,
                       sc->n_known ? names : "none");
          return NULL;
        }
      if (edits[e].series >= (int) ds->n_series || edits[e].series < -1)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario names series %d; the data has %u", edits[e].series, ds->n_series);
          return NULL;
        }
      if (edits[e].op == TC_SCENARIO_SCALE && sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE
          && !(edits[e].value > 0))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario multiplies the price “%s” by %g; a price can only be "
                       "multiplied by a positive number", edits[e].covariate, edits[e].value);
          return NULL;
        }
      if (edits[e].from > edits[e].to)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario date range of “%s” ends before it starts", edits[e].covariate);
          return NULL;
        }
      fe[n_fe++] = (TcFeatureEdit) { (guint) k, edits[e].op == TC_SCENARIO_SCALE, edits[e].value,
                                     edits[e].from, edits[e].to, edits[e].series };
    }

  /* The network's own baseline is kept before the safety net mixes in
   * the baselines: the change's effect is measured on it (below). */
  r->baseline = tc_forecaster_predict_raw (fc, ds, future, G_MAXUINT, origins, NULL, 0,
                                           &r->baseline_price, error);
  if (r->baseline == NULL)
    return NULL;
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  n = (gsize) r->baseline->n_series * H;
  raw_base = g_memdup2 (r->baseline->values, sizeof (double) * MAX (n * Q, 1));
  if (!tc_safety_apply (fc, ds, r->baseline, error))
    return NULL;
  for (guint e = 0; e < n_edits; e++)
    {
      if (!fe_skip[e] && !edit_hits (r->baseline, &edits[e]))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario edit of “%s” covers no forecast date", edits[e].covariate);
          return NULL;
        }
    }
  r->scenario = tc_forecaster_predict_raw (fc, ds, future, G_MAXUINT, origins, fe, n_fe,
                                           &r->scenario_price, error);
  if (r->scenario == NULL)
    return NULL;
  if (fc->safety.active)
    transfer_effect (r->baseline, raw_base, r->scenario);

  m = tc_forecast_median_index (r->baseline);
  r->uplift_units = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    r->uplift_units[i] = r->scenario->values[i * Q + m] - r->baseline->values[i * Q + m];
  if (r->baseline_price && r->scenario_price)
    {
      r->uplift_revenue = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        r->uplift_revenue[i] = r->scenario->values[i * Q + m] * r->scenario_price[i]
                               - r->baseline->values[i * Q + m] * r->baseline_price[i];
    }
  return g_steal_pointer (&r);
}

TcDataset *
tc_forecaster_future_template (TcForecaster    *fc,
                               const TcDataset *ds,
                               gboolean         fill)
{
  return tc_forecaster_future_template_full (fc, ds, TC_ORIGIN_COMMON, fill);
}

TcDataset *
tc_forecaster_future_template_full (TcForecaster    *fc,
                                    const TcDataset *ds,
                                    TcOriginMode     mode,
                                    gboolean         fill)
{
  const TcFeatureSchema *sc = fc->schema;
  guint H = sc->horizon, latest = 0, first = G_MAXUINT, n, season = tc_frequency_season (ds->freq);
  g_autofree guint *origins = tc_forecaster_origins (ds, mode);
  TcDataset *f;

  for (guint s = 0; s < ds->n_series; s++)
    latest = MAX (latest, ds->end[s]);
  /* The template's grid starts at the earliest origin and ends H steps
   * after the latest: every series finds its own H dates in it. */
  for (guint s = 0; s < ds->n_series; s++)
    first = MIN (first, origins ? origins[s] : latest);
  if (first > latest)
    first = latest;
  n = latest - first + H;
  f = tc_dataset_new (ds->freq, ds->n_series, n, sc->n_known, 0, 0, FALSE);
  f->week_start = ds->week_start;
  for (guint i = 0; i < n; i++)
    f->times[i] = first + i < ds->n_times ? ds->times[first + i]
                  : tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1],
                                          (int) (first + i - ds->n_times + 1));
  for (guint s = 0; s < ds->n_series; s++)
    f->series_ids[s] = g_strdup (ds->series_ids[s]);
  for (guint k = 0; k < sc->n_known; k++)
    {
      int col = -1;

      f->known_names[k] = g_strdup (sc->known_names[k]);
      f->known_kinds[k] = sc->known_kinds[k];
      for (guint j = 0; j < ds->n_known; j++)
        if (g_strcmp0 (ds->known_names[j], sc->known_names[k]) == 0)
          col = j;
      for (guint s = 0; s < ds->n_series; s++)
        {
          const double *src = col >= 0 ? tc_dataset_known_row (ds, col, s) : NULL;
          double *row = tc_dataset_known_row (f, k, s);
          guint origin = origins ? origins[s] : latest;
          /* This series' H dates within the template's grid. */
          double *dst = row + (origin - first);
          double last = NAN;

          for (guint i = 0; i < n; i++)
            row[i] = NAN;
          for (guint t = 0; src && t < MIN (origin, ds->n_times); t++)
            if (!isnan (src[t]))
              last = src[t];
          for (guint h = 0; h < H; h++)
            {
              guint g = origin + h;

              /* Values already in the data (a plan given with it) win. */
              dst[h] = src && g < ds->n_times ? src[g] : NAN;
              if (!isnan (dst[h]) || !fill)
                continue;
              switch (sc->known_kinds[k])
                {
                case TC_COVARIATE_PROMOTION:
                case TC_COVARIATE_DISCOUNT:
                  dst[h] = 0;
                  break;
                case TC_COVARIATE_HOLIDAY:
                  dst[h] = src && g >= season && g - season < ds->n_times && !isnan (src[g - season])
                           ? src[g - season] : 0;
                  break;
                case TC_COVARIATE_PRICE:
                case TC_COVARIATE_OTHER:
                default:
                  dst[h] = last;
                  break;
                }
            }
        }
    }
  return f;
}
