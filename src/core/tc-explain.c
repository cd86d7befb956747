/* tc-explain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-explain"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explain.h"
#include "tc-forecaster-private.h"
#include "tc-metrics.h"

typedef struct
{
  double pin;       /* sum of pinball losses over series, steps and quantiles / nq */
  double absy;      /* sum of |actual| over the same steps */
  double smape;     /* sum of per-window sMAPE */
  guint  n_smape;
  guint  n_windows;
} Acc;

typedef struct
{
  TcForecaster     *fc;
  const TcDataset  *ds;
  guint             H;
  guint            *origins;   /* (n_origins) */
  guint             n_origins;
  guint             done, total;
  void            (*progress) (guint, guint, gpointer);
  gpointer          progress_data;
  GCancellable     *cancellable;
} Ctx;

static TcForecast *
predict (Ctx *c, const TcDataset *ds, guint origin, GError **error)
{
  TcForecast *f;

  if (g_cancellable_set_error_if_cancelled (c->cancellable, error))
    return NULL;
  f = tc_forecaster_predict (c->fc, ds, NULL, origin, error);
  c->done++;
  if (c->progress)
    c->progress (c->done, c->total, c->progress_data);
  return f;
}

/* Scores the forecast of @mod (the data with a driver scrambled) at
 * @origin against the actuals of the original data. */
static gboolean
score (Ctx *c, const TcDataset *mod, guint origin, Acc *acc, GError **error)
{
  g_autoptr (TcForecast) f = predict (c, mod, origin, error);
  g_autofree double *y = g_new (double, c->H);
  g_autofree double *p50 = g_new (double, c->H);
  guint mi;

  if (f == NULL)
    return FALSE;
  mi = tc_forecast_median_index (f);
  for (guint s = 0; s < c->ds->n_series; s++)
    {
      const double *row = tc_dataset_target_row (c->ds, s);
      gboolean any = FALSE;
      double sm;

      for (guint j = 0; j < c->H; j++)
        {
          const double *v = f->values + ((gsize) s * f->horizon + j) * f->n_quantiles;
          double pin = 0;

          y[j] = origin + j < c->ds->n_times ? row[origin + j] : NAN;
          p50[j] = v[mi];
          if (!isfinite (y[j]) || !isfinite (v[mi]))
            continue;
          for (guint i = 0; i < f->n_quantiles; i++)
            {
              double e = y[j] - v[i];

              pin += e >= 0 ? f->quantiles[i] * e : (f->quantiles[i] - 1) * e;
            }
          acc->pin += pin / f->n_quantiles;
          acc->absy += fabs (y[j]);
          any = TRUE;
        }
      if (!any)
        continue;
      acc->n_windows++;
      sm = tc_metric_smape (y, p50, c->H);
      if (isfinite (sm))
        acc->smape += sm, acc->n_smape++;
    }
  return TRUE;
}

static void
shuffle_finite (double *v, guint a, guint b, GRand *rng)
{
  g_autofree guint *idx = g_new (guint, MAX (b - a, 1));
  guint n = 0;

  for (guint t = a; t < b; t++)
    if (isfinite (v[t]))
      idx[n++] = t;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rng, 0, i);
      double tmp = v[idx[i - 1]];

      v[idx[i - 1]] = v[idx[j]];
      v[idx[j]] = tmp;
    }
}

static int
column_index (char **names, guint n, const char *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return -1;
}

/* The data with driver @d scrambled for forecasts from @origin. */
static TcDataset *
scramble (Ctx *c, const TcDriverImportance *d, int col, guint repeat, guint origin, guint end,
          GRand *rng)
{
  TcDataset *mod = tc_dataset_copy (c->ds);
  guint m = MAX (tc_frequency_season (mod->freq), 2);

  switch (d->kind)
    {
    case TC_DRIVER_KNOWN:
      for (guint s = 0; s < mod->n_series; s++)
        shuffle_finite (tc_dataset_known_row (mod, col, s), mod->start[s], end, rng);
      break;
    case TC_DRIVER_OBSERVED:
      for (guint s = 0; s < mod->n_series; s++)
        shuffle_finite (tc_dataset_observed_row (mod, col, s), mod->start[s], end, rng);
      break;
    case TC_DRIVER_CALENDAR:
      {
        /* A quarter, half, three quarters of a season, then again. */
        int shift = MAX (1, (int) ((repeat % 3 + 1) * m / 4));

        for (guint t = 0; t < mod->n_times; t++)
          mod->times[t] = tc_frequency_advance (mod->freq, c->ds->times[t], shift);
      }
      break;
    case TC_DRIVER_HISTORY:
      for (guint s = 0; s < mod->n_series; s++)
        shuffle_finite (tc_dataset_target_row (mod, s), mod->start[s], MIN (origin, mod->n_times), rng);
      break;
    case TC_DRIVER_TEXT:
      /* Before the origin only, like the history: a review from the
       * forecast days moved into the context would tell of them.
       * Periods without a review take part: the volume moves too. */
      for (guint s = 0; s < mod->n_series; s++)
        {
          /* Reviews and news move together: one text input. */
          char **row = mod->text ? mod->text + (gsize) s * mod->n_times : NULL;
          char **nrow = mod->news ? mod->news + (gsize) s * mod->n_times : NULL;

          for (guint i = MIN (origin, mod->n_times); i > mod->start[s] + 1; i--)
            {
              guint j = mod->start[s] + g_rand_int_range (rng, 0, i - mod->start[s]);
              char *tmp;

              if (row)
                {
                  tmp = row[i - 1];
                  row[i - 1] = row[j];
                  row[j] = tmp;
                }
              if (nrow)
                {
                  tmp = nrow[i - 1];
                  nrow[i - 1] = nrow[j];
                  nrow[j] = tmp;
                }
            }
        }
      break;
    }
  return mod;
}

static int
cmp_driver (const void *a, const void *b)
{
  const TcDriverImportance *x = a, *y = b;

  if (x->importance != y->importance)
    return x->importance < y->importance ? 1 : -1;
  return g_strcmp0 (x->name, y->name);
}

gboolean
tc_forecaster_explain (TcForecaster *fc, const TcDataset *ds, const TcExplainOptions *opts,
                       TcExplainResult **result, void (*progress) (guint, guint, gpointer),
                       gpointer progress_data, GCancellable *cancellable, GError **error)
{
  TcExplainOptions o = opts ? *opts : (TcExplainOptions) { 0 };
  const TcFeatureSchema *schema = fc->schema;
  g_autoptr (GArray) drivers = g_array_new (FALSE, TRUE, sizeof (TcDriverImportance));
  g_autoptr (GArray) cols = g_array_new (FALSE, TRUE, sizeof (int));
  g_autoptr (GRand) rng = NULL;
  g_autofree guint *origins = NULL;
  TcExplainResult *res;
  Ctx c = { 0 };
  Acc base = { 0 };
  guint end = 0;

  *result = NULL;
  if (o.n_origins == 0)
    o.n_origins = 2;
  if (o.n_repeats == 0)
    o.n_repeats = 3;
  if (o.seed == 0)
    o.seed = 1;
  rng = g_rand_new_with_seed (o.seed);

  c.fc = fc;
  c.ds = ds;
  c.H = tc_forecaster_get_options (fc)->horizon;
  c.progress = progress;
  c.progress_data = progress_data;
  c.cancellable = cancellable;
  for (guint s = 0; s < ds->n_series; s++)
    end = MAX (end, ds->end[s]);
  if (end <= (guint64) c.H * o.n_origins + 1)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY,
                   "The data has %u steps: too short for %u windows of %u steps", end,
                   o.n_origins, c.H);
      return FALSE;
    }
  origins = g_new (guint, o.n_origins);
  for (guint j = 0; j < o.n_origins; j++)
    origins[j] = end - c.H * (o.n_origins - j);
  c.origins = origins;
  c.n_origins = o.n_origins;

  /* The drivers the model has, matched to the data's columns by name. */
  for (guint k = 0; k < schema->n_known; k++)
    {
      int col = column_index (ds->known_names, ds->n_known, schema->known_names[k]);
      TcDriverImportance d = { .kind = TC_DRIVER_KNOWN, .covariate_kind = schema->known_kinds[k] };

      if (col < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       "The data has no column “%s” that the model uses", schema->known_names[k]);
          goto fail;
        }
      d.name = g_strdup (schema->known_names[k]);
      g_array_append_val (drivers, d);
      g_array_append_val (cols, col);
    }
  for (guint k = 0; k < schema->n_observed; k++)
    {
      int col = column_index (ds->observed_names, ds->n_observed, schema->observed_names[k]);
      TcDriverImportance d = { .kind = TC_DRIVER_OBSERVED };

      if (col < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       "The data has no column “%s” that the model uses", schema->observed_names[k]);
          goto fail;
        }
      d.name = g_strdup (schema->observed_names[k]);
      g_array_append_val (drivers, d);
      g_array_append_val (cols, col);
    }
  if (schema->n_calendar > 0)
    {
      TcDriverImportance d = { .name = g_strdup ("calendar"), .kind = TC_DRIVER_CALENDAR };
      int col = -1;

      g_array_append_val (drivers, d);
      g_array_append_val (cols, col);
    }
  if (schema->n_text > 0)
    {
      TcDriverImportance d = { .kind = TC_DRIVER_TEXT };
      int col = -1;

      if (ds->text == NULL && !(schema->text_settings.read_news && ds->news != NULL))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       "The data has no review text column “%s” that the model reads",
                       schema->text_name ? schema->text_name : "");
          goto fail;
        }
      d.name = g_strdup (ds->text_name ? ds->text_name : ds->news ? "news" : "text");
      g_array_append_val (drivers, d);
      g_array_append_val (cols, col);
    }
  {
    TcDriverImportance d = { .name = g_strdup ("history"), .kind = TC_DRIVER_HISTORY };
    int col = -1;

    g_array_append_val (drivers, d);
    g_array_append_val (cols, col);
  }

  c.total = o.n_origins * (1 + drivers->len * o.n_repeats);
  for (guint j = 0; j < o.n_origins; j++)
    if (!score (&c, ds, origins[j], &base, error))
      goto fail;
  if (base.absy <= 0 || base.n_windows == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY,
                   "No series has sales in the last %u steps to measure the drivers on",
                   c.H * o.n_origins);
      goto fail;
    }

  for (guint i = 0; i < drivers->len; i++)
    {
      TcDriverImportance *d = &g_array_index (drivers, TcDriverImportance, i);
      double sum = 0, sum2 = 0, loss = 0, smape = 0;

      for (guint r = 0; r < o.n_repeats; r++)
        {
          Acc acc = { 0 };
          double imp;

          for (guint j = 0; j < o.n_origins; j++)
            {
              g_autoptr (TcDataset) mod = scramble (&c, d, g_array_index (cols, int, i), r,
                                                    origins[j], end, rng);

              if (!score (&c, mod, origins[j], &acc, error))
                goto fail;
            }
          imp = (acc.pin / acc.absy) / (base.pin / base.absy) - 1;
          sum += imp;
          sum2 += imp * imp;
          loss += acc.pin / acc.absy;
          smape += acc.n_smape ? acc.smape / acc.n_smape : NAN;
        }
      d->importance = sum / o.n_repeats;
      d->importance_sd = o.n_repeats > 1
        ? sqrt (MAX (0, (sum2 - sum * sum / o.n_repeats) / (o.n_repeats - 1))) : 0;
      d->loss = loss / o.n_repeats;
      d->smape = smape / o.n_repeats;
    }

  qsort (drivers->data, drivers->len, sizeof (TcDriverImportance), cmp_driver);
  res = g_new0 (TcExplainResult, 1);
  res->horizon = c.H;
  res->n_origins = o.n_origins;
  res->origins = g_steal_pointer (&origins);
  res->n_windows = base.n_windows;
  res->base_loss = base.pin / base.absy;
  res->base_smape = base.n_smape ? base.smape / base.n_smape : NAN;
  res->n_drivers = drivers->len;
  res->drivers = (TcDriverImportance *) (void *) g_array_free (g_steal_pointer (&drivers), FALSE);
  *result = res;
  return TRUE;

fail:
  for (guint i = 0; i < drivers->len; i++)
    g_free (g_array_index (drivers, TcDriverImportance, i).name);
  return FALSE;
}

void
tc_explain_result_free (TcExplainResult *res)
{
  if (res == NULL)
    return;
  for (guint i = 0; i < res->n_drivers; i++)
    g_free (res->drivers[i].name);
  g_free (res->drivers);
  g_free (res->origins);
  g_free (res);
}

const TcDriverImportance *
tc_explain_result_find (const TcExplainResult *res, const char *name)
{
  for (guint i = 0; i < res->n_drivers; i++)
    if (g_strcmp0 (res->drivers[i].name, name) == 0)
      return &res->drivers[i];
  return NULL;
}
