/* tc-metrics.h — forecast accuracy metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Conventions (all functions skip steps where the actual or the forecast
 * is NaN; a metric with no usable step is NaN):
 *   error e = forecast - actual, so a positive bias means over-forecasting.
 *   MAPE, sMAPE, WAPE and % bias are in percent; sMAPE follows M4:
 *     200/h * sum |y - f| / (|y| + |f|)   (a step with y = f = 0 counts 0).
 *   MAPE skips steps with y = 0 (undefined there).
 *   MASE = MAE / mean_{t>m} |y_t - y_{t-m}| over the in-sample part,
 *   RMSSE = sqrt (MSE / mean_{t>m} (y_t - y_{t-m})^2)   (M4 / M5 conventions).
 *   Pinball loss at level q: mean over steps of max (q (y - f), (q - 1) (y - f)).
 *   Coverage is the fraction (0..1) of actuals inside [lowest, highest]
 *   quantile; width is the mean of (highest - lowest).
 *   Direction: "up" means the first forecast step is strictly above the
 *   last observed value; compared with whether the actual went up.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double   tc_metric_mae          (const double *y, const double *f, gsize h);
double   tc_metric_rmse         (const double *y, const double *f, gsize h);
double   tc_metric_mape         (const double *y, const double *f, gsize h);
double   tc_metric_smape        (const double *y, const double *f, gsize h);
double   tc_metric_wape         (const double *y, const double *f, gsize h);
double   tc_metric_bias         (const double *y, const double *f, gsize h);
double   tc_metric_pbias        (const double *y, const double *f, gsize h);
/* In-sample seasonal-naive scales; NaN when there are fewer than m + 1
 * usable values, 0 for a constant series (the caller gets Inf/NaN then). */
double   tc_metric_mase_scale   (const double *insample, gsize n, guint m);
double   tc_metric_rmsse_scale  (const double *insample, gsize n, guint m);
double   tc_metric_mase         (const double *y, const double *f, gsize h,
                                 const double *insample, gsize n, guint m);
double   tc_metric_rmsse        (const double *y, const double *f, gsize h,
                                 const double *insample, gsize n, guint m);
double   tc_metric_pinball      (const double *y, const double *f, gsize h, double q);
double   tc_metric_coverage     (const double *y, const double *lo, const double *hi, gsize h);
double   tc_metric_width        (const double *lo, const double *hi, gsize h);

/* Skill of a model against a reference on a loss where lower is better:
 * 1 - model / reference (0.18 = 18 % better).  NaN if reference <= 0. */
double   tc_metric_skill        (double model, double reference);
/* "18 % better than repeating last season", "5 % worse than ...",
 * "as good as ..." (|skill| < 0.5 %).  @reference_words names the
 * reference; NULL means "repeating last season". */
char    *tc_metric_skill_phrase (double skill, const char *reference_words);

typedef enum
{
  TC_METRIC_MAE = 0,
  TC_METRIC_RMSE,
  TC_METRIC_MAPE,
  TC_METRIC_SMAPE,
  TC_METRIC_WAPE,
  TC_METRIC_MASE,
  TC_METRIC_RMSSE,
  TC_METRIC_BIAS,
  TC_METRIC_PBIAS,
  TC_METRIC_PINBALL,     /* mean over the quantile levels */
  TC_METRIC_COVERAGE,
  TC_METRIC_WIDTH,
  TC_METRIC_DIR_ACCURACY,
  TC_METRIC_DIR_PRECISION,
  TC_METRIC_DIR_RECALL,
  TC_METRIC_DIR_F1,
  TC_METRIC_N
} TcMetricKind;

const char *tc_metric_name (TcMetricKind kind);

typedef enum
{
  TC_AGGREGATE_MEAN = 0,   /* mean of per-series metrics (M4) */
  TC_AGGREGATE_VOLUME,     /* weighted by each series' sum |actual| over the window */
} TcAggregate;

/* An accumulator: add one (series, window) at a time, read per-series,
 * per-step and aggregated values.  Direction metrics are pooled counts
 * (a confusion matrix over the added windows), not means. */
typedef struct _TcMetrics TcMetrics;

TcMetrics *tc_metrics_new          (guint          h,
                                    const double  *q,
                                    guint          nq) G_GNUC_WARN_UNUSED_RESULT;
void        tc_metrics_free        (TcMetrics     *metrics);
/* @actual (h), @fc (h, nq) with quantiles ascending; the point forecast
 * is the quantile nearest 0.5.  @insample (n) is the data the forecast
 * was made from (for MASE, RMSSE and direction), @m the MASE period.
 * Returns the index of the added window. */
guint       tc_metrics_add         (TcMetrics     *metrics,
                                    const double  *insample,
                                    gsize          n,
                                    guint          m,
                                    const double  *actual,
                                    const double  *fc);
guint       tc_metrics_n_windows   (const TcMetrics *metrics);
/* The metric of window @i (direction: accuracy is 1/0, the others NaN). */
double      tc_metrics_window      (const TcMetrics *metrics, guint i, TcMetricKind kind);
double      tc_metrics_window_pinball (const TcMetrics *metrics, guint i, guint qi);
/* Aggregates over all windows with a finite value. */
double      tc_metrics_get         (const TcMetrics *metrics, TcMetricKind kind, TcAggregate agg);
double      tc_metrics_get_pinball (const TcMetrics *metrics, guint qi, TcAggregate agg);
/* The metric restricted to horizon step @step (0-based), per window, then
 * aggregated (for RMSE and RMSSE a single step gives |e|-based values). */
double      tc_metrics_get_step    (const TcMetrics *metrics, TcMetricKind kind, guint step,
                                    TcAggregate agg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcMetrics, tc_metrics_free)

G_END_DECLS
