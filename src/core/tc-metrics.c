/* tc-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-metrics"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tc-metrics.h"

static inline gboolean
ok2 (double a, double b)
{
  return isfinite (a) && isfinite (b);
}

double
tc_metric_mae (const double *y, const double *f, gsize h)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        s += fabs (f[i] - y[i]);
        c++;
      }
  return c ? s / c : NAN;
}

double
tc_metric_rmse (const double *y, const double *f, gsize h)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        s += (f[i] - y[i]) * (f[i] - y[i]);
        c++;
      }
  return c ? sqrt (s / c) : NAN;
}

double
tc_metric_mape (const double *y, const double *f, gsize h)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]) && y[i] != 0)
      {
        s += fabs ((f[i] - y[i]) / y[i]);
        c++;
      }
  return c ? 100.0 * s / c : NAN;
}

double
tc_metric_smape (const double *y, const double *f, gsize h)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        double d = fabs (y[i]) + fabs (f[i]);

        /* Both zero is a perfect forecast, not 0/0. */
        if (d > 0)
          s += fabs (y[i] - f[i]) / d;
        c++;
      }
  return c ? 200.0 * s / c : NAN;
}

double
tc_metric_wape (const double *y, const double *f, gsize h)
{
  double num = 0, den = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        num += fabs (f[i] - y[i]);
        den += fabs (y[i]);
        c++;
      }
  return (c && den > 0) ? 100.0 * num / den : NAN;
}

double
tc_metric_bias (const double *y, const double *f, gsize h)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        s += f[i] - y[i];
        c++;
      }
  return c ? s / c : NAN;
}

double
tc_metric_pbias (const double *y, const double *f, gsize h)
{
  double num = 0, den = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        num += f[i] - y[i];
        den += fabs (y[i]);
        c++;
      }
  return (c && den > 0) ? 100.0 * num / den : NAN;
}

static double
seasonal_diff_mean (const double *x, gsize n, guint m, gboolean squared)
{
  double s = 0;
  gsize c = 0;

  if (m == 0)
    m = 1;
  for (gsize t = m; t < n; t++)
    if (ok2 (x[t], x[t - m]))
      {
        double d = x[t] - x[t - m];

        s += squared ? d * d : fabs (d);
        c++;
      }
  return c ? s / c : NAN;
}

double
tc_metric_mase_scale (const double *insample, gsize n, guint m)
{
  return seasonal_diff_mean (insample, n, m, FALSE);
}

double
tc_metric_rmsse_scale (const double *insample, gsize n, guint m)
{
  return seasonal_diff_mean (insample, n, m, TRUE);
}

double
tc_metric_mase (const double *y, const double *f, gsize h,
                const double *insample, gsize n, guint m)
{
  return tc_metric_mae (y, f, h) / tc_metric_mase_scale (insample, n, m);
}

double
tc_metric_rmsse (const double *y, const double *f, gsize h,
                 const double *insample, gsize n, guint m)
{
  double r = tc_metric_rmse (y, f, h);

  return sqrt (r * r / tc_metric_rmsse_scale (insample, n, m));
}

double
tc_metric_pinball (const double *y, const double *f, gsize h, double q)
{
  double s = 0;
  gsize c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], f[i]))
      {
        double d = y[i] - f[i];

        s += d >= 0 ? q * d : (q - 1) * d;
        c++;
      }
  return c ? s / c : NAN;
}

double
tc_metric_coverage (const double *y, const double *lo, const double *hi, gsize h)
{
  gsize in = 0, c = 0;

  for (gsize i = 0; i < h; i++)
    if (ok2 (y[i], lo[i]) && isfinite (hi[i]))
      {
        in += (y[i] >= lo[i] && y[i] <= hi[i]);
        c++;
      }
  return c ? (double) in / c : NAN;
}

double
tc_metric_width (const double *lo, const double *hi, gsize h)
{
  /* The bias of "forecast" hi against "actual" lo is mean (hi - lo). */
  return tc_metric_bias (lo, hi, h);
}

double
tc_metric_skill (double model, double reference)
{
  if (!(reference > 0) || !isfinite (model))
    return NAN;
  return 1.0 - model / reference;
}

char *
tc_metric_skill_phrase (double skill, const char *reference_words)
{
  const char *ref = reference_words ? reference_words : "repeating last season";
  double pct;

  if (!isfinite (skill))
    return g_strdup_printf ("no comparison with %s possible", ref);
  pct = round (fabs (skill) * 100.0);
  if (pct < 1)
    return g_strdup_printf ("as good as %s", ref);
  return g_strdup_printf ("%.0f %% %s than %s", pct, skill > 0 ? "better" : "worse", ref);
}

static const char *metric_names[TC_METRIC_N] = {
  "mae", "rmse", "mape", "smape", "wape", "mase", "rmsse", "bias", "pbias",
  "pinball", "coverage", "width", "dir_accuracy", "dir_precision", "dir_recall", "dir_f1",
};

const char *
tc_metric_name (TcMetricKind kind)
{
  return (guint) kind < TC_METRIC_N ? metric_names[kind] : "unknown";
}

/* One window's stored results. */
typedef struct
{
  double  weight;      /* sum |actual| over the window */
  int     pred_up;     /* -1 unknown */
  int     actual_up;
  double *values;      /* (TC_METRIC_N + nq): metrics then pinball per quantile */
  double *steps;       /* (h, TC_METRIC_N) */
} Window;

struct _TcMetrics
{
  guint   h;
  guint   nq;
  double *q;           /* (nq) */
  guint   point;       /* index of the quantile nearest 0.5 */
  GArray *windows;     /* of Window */
};

static void
window_clear (gpointer p)
{
  Window *w = p;

  g_free (w->values);
  g_free (w->steps);
}

TcMetrics *
tc_metrics_new (guint h, const double *q, guint nq)
{
  TcMetrics *m;

  g_return_val_if_fail (h > 0 && nq > 0, NULL);
  m = g_new0 (TcMetrics, 1);
  m->h = h;
  m->nq = nq;
  m->q = g_memdup2 (q, sizeof (double) * nq);
  for (guint i = 1; i < nq; i++)
    if (fabs (q[i] - 0.5) < fabs (q[m->point] - 0.5))
      m->point = i;
  m->windows = g_array_new (FALSE, TRUE, sizeof (Window));
  g_array_set_clear_func (m->windows, window_clear);
  return m;
}

void
tc_metrics_free (TcMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_array_unref (metrics->windows);
  g_free (metrics->q);
  g_free (metrics);
}

/* Fills @out (TC_METRIC_N + nq) for steps [0, h) of the arrays. */
static void
compute (const TcMetrics *m, const double *y, const double *fq /* (h, nq) with stride nq */,
         gsize h, double scale, double scale2, double *out)
{
  g_autofree double *f = g_new (double, h);
  g_autofree double *lo = g_new (double, h);
  g_autofree double *hi = g_new (double, h);
  g_autofree double *fk = g_new (double, h);
  double pin = 0;

  for (gsize i = 0; i < h; i++)
    {
      f[i] = fq[i * m->nq + m->point];
      lo[i] = fq[i * m->nq];
      hi[i] = fq[i * m->nq + m->nq - 1];
    }
  out[TC_METRIC_MAE] = tc_metric_mae (y, f, h);
  out[TC_METRIC_RMSE] = tc_metric_rmse (y, f, h);
  out[TC_METRIC_MAPE] = tc_metric_mape (y, f, h);
  out[TC_METRIC_SMAPE] = tc_metric_smape (y, f, h);
  out[TC_METRIC_WAPE] = tc_metric_wape (y, f, h);
  out[TC_METRIC_MASE] = out[TC_METRIC_MAE] / scale;
  out[TC_METRIC_RMSSE] = sqrt (out[TC_METRIC_RMSE] * out[TC_METRIC_RMSE] / scale2);
  out[TC_METRIC_BIAS] = tc_metric_bias (y, f, h);
  out[TC_METRIC_PBIAS] = tc_metric_pbias (y, f, h);
  for (guint k = 0; k < m->nq; k++)
    {
      for (gsize i = 0; i < h; i++)
        fk[i] = fq[i * m->nq + k];
      out[TC_METRIC_N + k] = tc_metric_pinball (y, fk, h, m->q[k]);
      pin += out[TC_METRIC_N + k];
    }
  out[TC_METRIC_PINBALL] = pin / m->nq;
  if (m->nq >= 2)
    {
      out[TC_METRIC_COVERAGE] = tc_metric_coverage (y, lo, hi, h);
      out[TC_METRIC_WIDTH] = tc_metric_width (lo, hi, h);
    }
  else
    out[TC_METRIC_COVERAGE] = out[TC_METRIC_WIDTH] = NAN;
  for (guint k = TC_METRIC_DIR_ACCURACY; k <= TC_METRIC_DIR_F1; k++)
    out[k] = NAN;
}

guint
tc_metrics_add (TcMetrics *metrics, const double *insample, gsize n, guint m,
                const double *actual, const double *fc)
{
  guint nv = TC_METRIC_N + metrics->nq;
  Window w = { 0 };
  double scale = tc_metric_mase_scale (insample, n, m);
  double scale2 = tc_metric_rmsse_scale (insample, n, m);
  g_autofree double *tmp = g_new (double, nv);
  double last = NAN;

  w.values = g_new (double, nv);
  w.steps = g_new (double, (gsize) metrics->h * TC_METRIC_N);
  compute (metrics, actual, fc, metrics->h, scale, scale2, w.values);
  for (guint i = 0; i < metrics->h; i++)
    {
      compute (metrics, actual + i, fc + (gsize) i * metrics->nq, 1, scale, scale2, tmp);
      memcpy (w.steps + (gsize) i * TC_METRIC_N, tmp, sizeof (double) * TC_METRIC_N);
      if (isfinite (actual[i]))
        w.weight += fabs (actual[i]);
    }
  for (gsize t = n; t > 0; t--)
    if (isfinite (insample[t - 1]))
      {
        last = insample[t - 1];
        break;
      }
  w.pred_up = w.actual_up = -1;
  if (isfinite (last) && isfinite (actual[0]) && isfinite (fc[metrics->point]))
    {
      w.pred_up = fc[metrics->point] > last;
      w.actual_up = actual[0] > last;
      w.values[TC_METRIC_DIR_ACCURACY] = w.pred_up == w.actual_up;
    }
  g_array_append_val (metrics->windows, w);
  return metrics->windows->len - 1;
}

guint
tc_metrics_n_windows (const TcMetrics *metrics)
{
  return metrics->windows->len;
}

double
tc_metrics_window (const TcMetrics *metrics, guint i, TcMetricKind kind)
{
  g_return_val_if_fail (i < metrics->windows->len && (guint) kind < TC_METRIC_N, NAN);
  return g_array_index (metrics->windows, Window, i).values[kind];
}

double
tc_metrics_window_pinball (const TcMetrics *metrics, guint i, guint qi)
{
  g_return_val_if_fail (i < metrics->windows->len && qi < metrics->nq, NAN);
  return g_array_index (metrics->windows, Window, i).values[TC_METRIC_N + qi];
}

static double
direction (const TcMetrics *metrics, TcMetricKind kind)
{
  double tp = 0, fp = 0, fn = 0, tn = 0, p, r;

  for (guint i = 0; i < metrics->windows->len; i++)
    {
      const Window *w = &g_array_index (metrics->windows, Window, i);

      if (w->pred_up < 0)
        continue;
      tp += w->pred_up && w->actual_up;
      fp += w->pred_up && !w->actual_up;
      fn += !w->pred_up && w->actual_up;
      tn += !w->pred_up && !w->actual_up;
    }
  p = tp + fp > 0 ? tp / (tp + fp) : NAN;
  r = tp + fn > 0 ? tp / (tp + fn) : NAN;
  switch (kind)
    {
    case TC_METRIC_DIR_ACCURACY:
      return tp + fp + fn + tn > 0 ? (tp + tn) / (tp + fp + fn + tn) : NAN;
    case TC_METRIC_DIR_PRECISION:
      return p;
    case TC_METRIC_DIR_RECALL:
      return r;
    default:
      /* F1 is 0 when nothing was right about "up", NaN when undefined. */
      if (tp + fp + fn == 0)
        return NAN;
      return 2 * tp / (2 * tp + fp + fn);
    }
}

/* Aggregates value @idx of each window (or of step @step when >= 0). */
static double
aggregate (const TcMetrics *metrics, guint idx, int step, TcAggregate agg)
{
  double s = 0, ws = 0;

  for (guint i = 0; i < metrics->windows->len; i++)
    {
      const Window *w = &g_array_index (metrics->windows, Window, i);
      double v = step >= 0 ? w->steps[(gsize) step * TC_METRIC_N + idx] : w->values[idx];
      double wt = agg == TC_AGGREGATE_VOLUME ? w->weight : 1.0;

      if (!isfinite (v) || !(wt > 0))
        continue;
      s += wt * v;
      ws += wt;
    }
  return ws > 0 ? s / ws : NAN;
}

double
tc_metrics_get (const TcMetrics *metrics, TcMetricKind kind, TcAggregate agg)
{
  g_return_val_if_fail ((guint) kind < TC_METRIC_N, NAN);
  if (kind >= TC_METRIC_DIR_ACCURACY)
    return direction (metrics, kind);
  return aggregate (metrics, kind, -1, agg);
}

double
tc_metrics_get_pinball (const TcMetrics *metrics, guint qi, TcAggregate agg)
{
  g_return_val_if_fail (qi < metrics->nq, NAN);
  return aggregate (metrics, TC_METRIC_N + qi, -1, agg);
}

double
tc_metrics_get_step (const TcMetrics *metrics, TcMetricKind kind, guint step, TcAggregate agg)
{
  g_return_val_if_fail (step < metrics->h && (guint) kind < TC_METRIC_N, NAN);
  if (kind >= TC_METRIC_DIR_ACCURACY)
    return step == 0 ? direction (metrics, kind) : NAN;
  return aggregate (metrics, kind, (int) step, agg);
}
