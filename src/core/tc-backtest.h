/* tc-backtest.h — rolling-origin backtests of forecasters on a dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Folds (expanding window, the same for every model):
 *   E = cfg->end (0 means ds->n_times): one past the last time index used;
 *   fold k = 0 .. K-1 has the cutoff
 *       c_k = E - h - (K - 1 - k) * step
 *   it trains on time indices [0, c_k) and is scored on [c_k, c_k + h).
 *   So the last fold's test window ends exactly at E, and with step = h
 *   the test windows tile the last K * h steps.
 * A model sees a "train view": a copy of the dataset in which every
 * target and observed-covariate value at t >= c_k is NaN (known-future
 * covariates such as promotions stay, review text past c_k is dropped).
 * A series enters fold k when it has at least cfg->min_train values
 * before c_k and at least one actual value in the test window.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-dataset.h"
#include "tc-metrics.h"
#include "tc-baselines.h"

G_BEGIN_DECLS

/* Writes quantiles (h, nq) for series @series from data before @cutoff. */
typedef gboolean (*TcForecastFunc) (const TcDataset *train_view,
                                    guint            series,
                                    guint            cutoff,
                                    guint            h,
                                    const double    *q,
                                    guint            nq,
                                    double          *out,
                                    gpointer         user_data,
                                    GError         **error);
/* Trains a global model (e.g. the Transformer) on a train view. */
typedef gboolean (*TcFitFunc)      (const TcDataset *train_view,
                                    guint            cutoff,
                                    gpointer         user_data,
                                    GCancellable    *cancellable,
                                    GError         **error);
/* Called once per (fold, model, series) before that forecast, in the
 * thread that runs the backtest; @done counts from 1 to @total. */
typedef void     (*TcProgressFunc) (guint done, guint total, gpointer user_data);

typedef struct
{
  const char     *name;
  TcForecastFunc  forecast;
  TcFitFunc       fit;        /* NULL for models without training */
  /* TRUE: fit on every fold's view; FALSE: fit once, on fold 0's view (the
   * earliest cutoff), and reuse it, so no fold ever trains on its future. */
  gboolean        retrain;
  gpointer        user_data;
} TcBacktestModel;

typedef struct
{
  guint         h;
  guint         n_folds;     /* K >= 1 */
  guint         step;        /* s >= 1; 0 = h */
  guint         end;         /* E; 0 = ds->n_times */
  guint         m;           /* MASE / seasonal-naive period; 0 = tc_frequency_season (ds->freq) */
  guint         min_train;   /* 0 = max (m + 1, 4) */
  const double *q;           /* (nq) ascending; NULL = 0.1 0.5 0.9 */
  guint         nq;
  TcAggregate   aggregate;
} TcBacktestConfig;

/* A baseline as a backtest model: point model->user_data at @spec. */
typedef struct
{
  TcBaselineKind kind;
  guint          m;           /* 0 = from the dataset's frequency */
} TcBaselineSpec;

void      tc_backtest_model_for_baseline (TcBaselineSpec *spec, TcBacktestModel *model);
gboolean  tc_backtest_baseline_forecast  (const TcDataset *train_view, guint series, guint cutoff,
                                          guint h, const double *q, guint nq, double *out,
                                          gpointer user_data, GError **error);

typedef struct _TcBacktestResult TcBacktestResult;

struct _TcBacktestResult
{
  guint       n_models, n_folds, n_series, h, nq, m;
  double     *q;            /* (nq) */
  char      **model_names;  /* (n_models) */
  char      **series_ids;   /* (n_series) */
  guint      *cutoffs;      /* (n_folds) */
  TcAggregate aggregate;
  double     *forecasts;    /* (n_models, n_folds, n_series, h, nq); NaN where not scored */
  TcMetrics **metrics;      /* (n_models) every scored (fold, series) window */
  TcMetrics  *reference;    /* seasonal naive on the same windows, for skill */
  guint      *window;       /* (n_models + 1, n_folds, n_series) index into metrics, G_MAXUINT = none */
};

TcBacktestResult *tc_backtest_run (const TcDataset        *ds,
                                   const TcBacktestConfig *cfg,
                                   const TcBacktestModel  *models,
                                   guint                   n_models,
                                   TcProgressFunc          progress,
                                   gpointer                progress_data,
                                   GCancellable           *cancellable,
                                   GError                **error) G_GNUC_WARN_UNUSED_RESULT;
void      tc_backtest_result_free       (TcBacktestResult *res);
/* A result scored again from stored forecasts, (n_models, n_folds,
 * n_series, h, nq) as a result holds them, on the same data and
 * configuration: what a project keeps of a backtest. */
TcBacktestResult *tc_backtest_result_replay (const TcDataset        *ds,
                                             const TcBacktestConfig *cfg,
                                             char * const           *model_names,
                                             const double           *forecasts,
                                             GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The train view of a cutoff (exposed for tests and the pipeline). */
TcDataset *tc_backtest_train_view       (const TcDataset *ds, guint cutoff) G_GNUC_WARN_UNUSED_RESULT;
/* Forecast of (model, fold, series): (h, nq). */
const double *tc_backtest_result_forecast (const TcBacktestResult *res, guint model, guint fold,
                                           guint series);
/* Aggregated metric of a model over all folds and series. */
double    tc_backtest_result_metric     (const TcBacktestResult *res, guint model, TcMetricKind kind);
/* 1 - MASE(model) / MASE(seasonal naive) on the same windows. */
double    tc_backtest_result_skill      (const TcBacktestResult *res, guint model);
/* One row per (model, fold, series) with every metric. */
gboolean  tc_backtest_result_write_csv  (const TcBacktestResult *res, const char *path, GError **error);
/* The models x metrics table. */
gboolean  tc_backtest_result_write_summary_csv (const TcBacktestResult *res, const char *path,
                                                GError **error);
JsonNode *tc_backtest_result_to_json   (const TcBacktestResult *res) G_GNUC_WARN_UNUSED_RESULT;
/* Everything: config, summary, metrics by horizon step, per-window rows. */
gboolean  tc_backtest_result_write_json (const TcBacktestResult *res, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcBacktestResult, tc_backtest_result_free)

G_END_DECLS
