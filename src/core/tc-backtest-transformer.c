/* tc-backtest-transformer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-backtest-transformer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tc-backtest-transformer.h"
#include "tc-error.h"

struct _TcBacktestTransformer
{
  TcForecasterOptions  opts;
  TcForecaster        *fc;
  guint                n_fits;
  TcTrainProgressFunc  progress;
  gpointer             progress_data;
  /* The batched forecast of the fold being scored. */
  TcForecast          *cache;
  const TcDataset     *cache_view;
  guint                cache_cutoff;
};

TcBacktestTransformer *
tc_backtest_transformer_new (const TcForecasterOptions *opts, guint h)
{
  TcBacktestTransformer *bt = g_new0 (TcBacktestTransformer, 1);

  bt->opts = *opts;
  if (bt->opts.horizon != h)
    {
      /* A patch and context picked for another horizon may not suit. */
      bt->opts.horizon = h;
      bt->opts.patch = 0;
      bt->opts.context = 0;
    }
  bt->cache_cutoff = G_MAXUINT;
  return bt;
}

void
tc_backtest_transformer_free (TcBacktestTransformer *bt)
{
  if (bt == NULL)
    return;
  g_clear_pointer (&bt->fc, tc_forecaster_free);
  g_clear_pointer (&bt->cache, tc_forecast_free);
  g_free (bt);
}

void
tc_backtest_transformer_set_train_progress (TcBacktestTransformer *bt, TcTrainProgressFunc func,
                                            gpointer user_data)
{
  bt->progress = func;
  bt->progress_data = user_data;
}

guint
tc_backtest_transformer_get_n_fits (TcBacktestTransformer *bt)
{
  return bt->n_fits;
}

TcForecaster *
tc_backtest_transformer_get_forecaster (TcBacktestTransformer *bt)
{
  return bt->fc;
}

const TcForecasterOptions *
tc_backtest_transformer_get_options (TcBacktestTransformer *bt)
{
  return bt->fc ? tc_forecaster_get_options (bt->fc) : NULL;
}

static gboolean
transformer_fit (const TcDataset *view, guint cutoff, gpointer user_data,
                 GCancellable *cancellable, GError **error)
{
  TcBacktestTransformer *bt = user_data;
  TcForecaster *fc;

  g_clear_pointer (&bt->cache, tc_forecast_free);
  bt->cache_view = NULL;
  bt->cache_cutoff = G_MAXUINT;
  g_clear_pointer (&bt->fc, tc_forecaster_free);
  fc = tc_forecaster_train (view, &bt->opts, bt->progress, bt->progress_data, cancellable, error);
  if (fc == NULL)
    return FALSE;
  /* Training keeps the best model when it is cancelled after an epoch;
   * a backtest must stop instead of scoring a half-trained model. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      tc_forecaster_free (fc);
      g_set_error (error, TC_ERROR, TC_ERROR_CANCELLED, "backtest cancelled");
      return FALSE;
    }
  bt->fc = fc;
  bt->n_fits++;
  return TRUE;
}

/* The model's quantile grid (nmq) read at level @p: linear between the
 * neighbouring levels, the outermost level beyond them. */
static double
read_quantile (const float *mq, guint nmq, const double *v, double p)
{
  if (p <= mq[0] + 1e-9)
    return v[0];
  for (guint j = 1; j < nmq; j++)
    if (p <= mq[j] + 1e-9)
      {
        double w = (p - mq[j - 1]) / (mq[j] - mq[j - 1]);

        return v[j - 1] + w * (v[j] - v[j - 1]);
      }
  return v[nmq - 1];
}

/* Data gaps (a week without a row) leave known covariates NaN inside a
 * fold's horizon, where the model needs a value.  A backtest fills them as
 * a planner would: no promotion, discount or holiday, else the last value
 * known before that date.  Nothing after the cutoff is read but the known
 * covariates themselves. */
static TcDataset *
fill_known_gaps (const TcDataset *view, guint cutoff, guint h)
{
  TcDataset *ds = NULL;
  guint end = MIN (cutoff + h, view->n_times);

  for (guint k = 0; k < view->n_known; k++)
    for (guint s = 0; s < view->n_series; s++)
      {
        const double *x = tc_dataset_known_row (view, k, s);
        double *y;
        TcCovariateKind kind = view->known_kinds[k];

        for (guint t = cutoff; t < end; t++)
          {
            if (!isnan (x[t]))
              continue;
            if (ds == NULL)
              ds = tc_dataset_copy (view);
            y = tc_dataset_known_row (ds, k, s);
            if (kind == TC_COVARIATE_PROMOTION || kind == TC_COVARIATE_DISCOUNT
                || kind == TC_COVARIATE_HOLIDAY)
              y[t] = 0;
            else
              for (guint u = t; u-- > 0;)
                if (!isnan (y[u]))
                  {
                    y[t] = y[u];
                    break;
                  }
          }
      }
  return ds;
}

static gboolean
transformer_forecast (const TcDataset *view, guint series, guint cutoff, guint h,
                      const double *q, guint nq, double *out, gpointer user_data, GError **error)
{
  TcBacktestTransformer *bt = user_data;
  const TcForecast *f;

  if (bt->fc == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_FAILED, "the Transformer has not been trained");
      return FALSE;
    }
  /* The callback is per series, the model predicts a whole fold at once. */
  if (bt->cache == NULL || bt->cache_view != view || bt->cache_cutoff != cutoff)
    {
      TcDataset *filled = fill_known_gaps (view, cutoff, h);

      g_clear_pointer (&bt->cache, tc_forecast_free);
      bt->cache = tc_forecaster_predict (bt->fc, filled ? filled : view, NULL, cutoff, error);
      tc_dataset_free (filled);
      if (bt->cache == NULL)
        return FALSE;
      bt->cache_view = view;
      bt->cache_cutoff = cutoff;
      if (bt->cache->origin != cutoff || bt->cache->n_series != view->n_series)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_FAILED,
                       "the Transformer forecast starts at index %u, expected %u",
                       bt->cache->origin, cutoff);
          g_clear_pointer (&bt->cache, tc_forecast_free);
          return FALSE;
        }
    }
  f = bt->cache;
  if (h > f->horizon)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "the Transformer forecasts %u steps, the backtest needs %u", f->horizon, h);
      return FALSE;
    }
  for (guint j = 0; j < h; j++)
    {
      const double *v = f->values + ((gsize) series * f->horizon + j) * f->n_quantiles;

      for (guint i = 0; i < nq; i++)
        out[(gsize) j * nq + i] = read_quantile (f->quantiles, f->n_quantiles, v, q[i]);
    }
  return TRUE;
}

void
tc_backtest_model_for_transformer (TcBacktestTransformer *bt, gboolean retrain,
                                   TcBacktestModel *model)
{
  memset (model, 0, sizeof *model);
  model->name = "transformer";
  model->fit = transformer_fit;
  model->forecast = transformer_forecast;
  model->retrain = retrain;
  model->user_data = bt;
}
