/* tc-scenario.c — what-if forecasts: baseline against edited known covariates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario"

#include "config.h"

#include <math.h>
#include <string.h>

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
  g_free (r->raw_baseline);
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

/* Edits against the model and the data; fills @fe (*n_fe of n_edits)
 * with the covariate indices the feature cube uses, and @skip (n_edits)
 * with the edits of columns the model left out. */
static gboolean
check_edits (TcForecaster *fc, const TcDataset *ds, const TcScenarioEdit *edits, guint n_edits,
             TcFeatureEdit *fe, guint *n_fe, gboolean *skip, GError **error)
{
  const TcFeatureSchema *sc = fc->schema;

  *n_fe = 0;
  for (guint e = 0; e < n_edits; e++)
    {
      int k = -1;

      skip[e] = FALSE;
      for (guint j = 0; j < sc->n_known; j++)
        if (g_strcmp0 (sc->known_names[j], edits[e].covariate) == 0)
          k = j;
      if (k < 0 && data_known (ds, edits[e].covariate))
        {
          /* A column the model left out as moving with another
           * (tc-features.h): the model reads that other one, which the
           * same scenario changes (a discount lowers the price). */
          skip[e] = TRUE;
          continue;
        }
      if (k < 0)
        {
          g_autofree char *names = g_strjoinv (", ", sc->known_names);

          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario changes “%s”, which is not a known-future covariate of "
                       "the model (it knows: %s)", edits[e].covariate,
                       sc->n_known ? names : "none");
          return FALSE;
        }
      if (edits[e].series >= (int) ds->n_series || edits[e].series < -1)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario names series %d; the data has %u", edits[e].series, ds->n_series);
          return FALSE;
        }
      if (edits[e].op == TC_SCENARIO_SCALE && sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE
          && !(edits[e].value > 0))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario multiplies the price “%s” by %g; a price can only be "
                       "multiplied by a positive number", edits[e].covariate, edits[e].value);
          return FALSE;
        }
      if (edits[e].from > edits[e].to)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "The scenario date range of “%s” ends before it starts", edits[e].covariate);
          return FALSE;
        }
      fe[(*n_fe)++] = (TcFeatureEdit) { (guint) k, edits[e].op == TC_SCENARIO_SCALE, edits[e].value,
                                        edits[e].from, edits[e].to, edits[e].series };
    }

  return TRUE;
}

static void uplifts (TcScenarioResult *r);

TcScenarioResult *
tc_forecaster_scenario_full (TcForecaster         *fc,
                             const TcDataset      *ds,
                             const TcDataset      *future,
                             TcOriginMode          mode,
                             const TcScenarioEdit *edits,
                             guint                 n_edits,
                             GError              **error)
{
  g_autoptr (TcScenarioResult) r = g_new0 (TcScenarioResult, 1);
  g_autofree TcFeatureEdit *fe = g_new0 (TcFeatureEdit, MAX (n_edits, 1));
  g_autofree gboolean *skip = g_new0 (gboolean, MAX (n_edits, 1));   /* (n_edits) */
  g_autofree guint *origins = tc_forecaster_origins (ds, mode);
  const double *raw_base;   /* (n_series, H, Q) the network's baseline */
  guint H, Q, n_fe;
  gsize n;

  if (!check_edits (fc, ds, edits, n_edits, fe, &n_fe, skip, error))
    return NULL;

  /* The network's own baseline is kept before the safety net mixes in
   * the baselines: the change's effect is measured on it (below). */
  r->baseline = tc_forecaster_predict_raw (fc, ds, future, G_MAXUINT, origins, NULL, 0,
                                           &r->baseline_price, error);
  if (r->baseline == NULL)
    return NULL;
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  n = (gsize) r->baseline->n_series * H;
  r->raw_baseline = g_memdup2 (r->baseline->values, sizeof (double) * MAX (n * Q, 1));
  raw_base = r->raw_baseline;
  if (!tc_safety_apply (fc, ds, r->baseline, error))
    return NULL;
  for (guint e = 0; e < n_edits; e++)
    {
      if (!skip[e] && !edit_hits (r->baseline, &edits[e]))
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
  uplifts (r);
  return g_steal_pointer (&r);
}

/* The uplifts of @r from its baseline and scenario. */
static void
uplifts (TcScenarioResult *r)
{
  guint H = r->baseline->horizon, Q = r->baseline->n_quantiles, m;
  gsize n = (gsize) r->baseline->n_series * H;

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
}

static TcForecast *
forecast_copy (const TcForecast *f)
{
  TcForecast *c = g_memdup2 (f, sizeof *f);
  gsize n = (gsize) f->n_series * f->horizon;

  c->times = g_memdup2 (f->times, sizeof (gint64) * f->horizon);
  c->values = g_memdup2 (f->values, sizeof (double) * MAX (n * f->n_quantiles, 1));
  c->origins = f->origins ? g_memdup2 (f->origins, sizeof (guint) * MAX (f->n_series, 1)) : NULL;
  c->series_times = f->series_times ? g_memdup2 (f->series_times, sizeof (gint64) * MAX (n, 1)) : NULL;
  return c;
}

/* The series @sel (n) of @ds on the same time grid, everything else as in @ds. */
static TcDataset *
select_series (const TcDataset *ds, const guint *sel, guint n)
{
  TcDataset *r = tc_dataset_new (ds->freq, n, ds->n_times, ds->n_known, ds->n_observed,
                                 ds->n_static, ds->text != NULL);
  gsize T = ds->n_times;

  r->source = g_strdup (ds->source);
  r->week_start = ds->week_start;
  memcpy (r->times, ds->times, sizeof (gint64) * T);
  r->target_name = g_strdup (ds->target_name);
  r->text_name = g_strdup (ds->text_name);
  r->news_name = g_strdup (ds->news_name);
  if (ds->news)
    r->news = g_new0 (char *, (gsize) n * T + 1);
  for (guint k = 0; k < ds->n_known; k++)
    {
      r->known_names[k] = g_strdup (ds->known_names[k]);
      r->known_kinds[k] = ds->known_kinds[k];
    }
  for (guint k = 0; k < ds->n_observed; k++)
    r->observed_names[k] = g_strdup (ds->observed_names[k]);
  for (guint k = 0; k < ds->n_static; k++)
    r->static_names[k] = g_strdup (ds->static_names[k]);
  for (guint i = 0; i < n; i++)
    {
      guint s = sel[i];

      r->series_ids[i] = g_strdup (ds->series_ids[s]);
      memcpy (tc_dataset_target_row (r, i), tc_dataset_target_row (ds, s), sizeof (double) * T);
      for (guint k = 0; k < ds->n_known; k++)
        memcpy (tc_dataset_known_row (r, k, i), tc_dataset_known_row (ds, k, s), sizeof (double) * T);
      for (guint k = 0; k < ds->n_observed; k++)
        memcpy (tc_dataset_observed_row (r, k, i), tc_dataset_observed_row (ds, k, s),
                sizeof (double) * T);
      for (guint k = 0; k < ds->n_static; k++)
        r->static_values[(gsize) i * ds->n_static + k] = g_strdup (ds->static_values[(gsize) s * ds->n_static + k]);
      if (ds->text)
        for (gsize t = 0; t < T; t++)
          r->text[i * T + t] = g_strdup (ds->text[(gsize) s * T + t]);
      if (ds->news)
        for (gsize t = 0; t < T; t++)
          r->news[i * T + t] = g_strdup (ds->news[(gsize) s * T + t]);
      r->start[i] = ds->start[s];
      r->end[i] = ds->end[s];
    }
  return r;
}

TcScenarioResult *
tc_forecaster_scenario_update (TcForecaster           *fc,
                               const TcDataset        *ds,
                               const TcDataset        *future,
                               TcOriginMode            mode,
                               const TcScenarioEdit   *edits,
                               guint                   n_edits,
                               const TcScenarioResult *prev,
                               GError                **error)
{
  g_autoptr (TcScenarioResult) r = NULL;
  g_autofree TcFeatureEdit *fe = g_new0 (TcFeatureEdit, MAX (n_edits, 1));
  g_autofree gboolean *skip = g_new0 (gboolean, MAX (n_edits, 1));   /* (n_edits) */
  g_autofree guint *origins = NULL, *sub_origins = NULL, *sel = NULL;
  g_autofree int *pos = NULL;   /* (n_series) index in the selection, or -1 */
  g_autofree double *sub_price = NULL;
  g_autoptr (TcDataset) sub = NULL;
  g_autoptr (TcForecast) sub_f = NULL;
  guint H, Q, n_sel = 0, origin = 0, sub_origin = 0, n_fe;
  gboolean all = FALSE;

  g_return_val_if_fail (prev != NULL && prev->raw_baseline != NULL, NULL);
  g_return_val_if_fail (prev->baseline->n_series == ds->n_series, NULL);
  for (guint e = 0; e < n_edits; e++)
    all = all || edits[e].series < 0;
  if (all)
    return tc_forecaster_scenario_full (fc, ds, future, mode, edits, n_edits, error);
  if (!check_edits (fc, ds, edits, n_edits, fe, &n_fe, skip, error))
    return NULL;
  for (guint e = 0; e < n_edits; e++)
    if (!skip[e] && !edit_hits (prev->baseline, &edits[e]))
      {
        g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                     "The scenario edit of “%s” covers no forecast date", edits[e].covariate);
        return NULL;
      }

  r = g_new0 (TcScenarioResult, 1);
  r->baseline = forecast_copy (prev->baseline);
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  r->raw_baseline = g_memdup2 (prev->raw_baseline,
                               sizeof (double) * MAX ((gsize) ds->n_series * H * Q, 1));
  r->baseline_price = prev->baseline_price
                      ? g_memdup2 (prev->baseline_price, sizeof (double) * MAX ((gsize) ds->n_series * H, 1))
                      : NULL;
  /* Untouched series: the network's scenario is its baseline. */
  r->scenario = forecast_copy (r->baseline);
  memcpy (r->scenario->values, r->raw_baseline, sizeof (double) * (gsize) ds->n_series * H * Q);
  r->scenario_price = r->baseline_price
                      ? g_memdup2 (r->baseline_price, sizeof (double) * MAX ((gsize) ds->n_series * H, 1))
                      : NULL;

  /* The touched series, in their order in @ds, and the edits renumbered. */
  pos = g_new (int, MAX (ds->n_series, 1));
  sel = g_new (guint, MAX (n_edits, 1));
  for (guint s = 0; s < ds->n_series; s++)
    pos[s] = -1;
  for (guint e = 0; e < n_edits; e++)
    pos[edits[e].series] = 0;
  for (guint s = 0; s < ds->n_series; s++)
    if (pos[s] >= 0)
      {
        pos[s] = (int) n_sel;
        sel[n_sel++] = s;
      }
  for (guint i = 0; i < n_fe; i++)
    fe[i].series = pos[fe[i].series];

  /* The same origins as the full forecast: per series, or the common
   * one after the latest end of all of @ds.  When the touched series all
   * end before it, the selection alone would put it earlier: then the
   * whole forecast runs again. */
  origins = tc_forecaster_origins (ds, mode);
  if (origins)
    {
      sub_origins = g_new (guint, n_sel);
      for (guint i = 0; i < n_sel; i++)
        sub_origins[i] = origins[sel[i]];
    }
  else
    {
      for (guint s = 0; s < ds->n_series; s++)
        origin = MAX (origin, ds->end[s]);
      for (guint i = 0; i < n_sel; i++)
        sub_origin = MAX (sub_origin, ds->end[sel[i]]);
      if (sub_origin != origin)
        return tc_forecaster_scenario_full (fc, ds, future, mode, edits, n_edits, error);
    }
  if (n_sel > 0)
    {
      sub = select_series (ds, sel, n_sel);
      sub_f = tc_forecaster_predict_raw (fc, sub, future, G_MAXUINT, sub_origins, fe, n_fe,
                                         r->scenario_price ? &sub_price : NULL, error);
      if (sub_f == NULL)
        return NULL;
    }
  for (guint i = 0; i < n_sel; i++)
    {
      memcpy (r->scenario->values + (gsize) sel[i] * H * Q, sub_f->values + (gsize) i * H * Q,
              sizeof (double) * H * Q);
      if (sub_price)
        memcpy (r->scenario_price + (gsize) sel[i] * H, sub_price + (gsize) i * H, sizeof (double) * H);
    }
  if (fc->safety.active)
    transfer_effect (r->baseline, r->raw_baseline, r->scenario);
  uplifts (r);
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
