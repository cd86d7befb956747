/* tc-safety.c — the baseline safety net and the calibrated intervals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After training, every series is forecast on its validation window(s)
 * (the origins training kept its targets out of) by the network,
 * seasonal naive, Theta and ETS (tc_baseline_ets_adjusted), each from
 * the data before the origin only.  Errors are scaled by the series'
 * in-sample seasonal-naive error before that origin (MASE; see
 * series_scale).
 *
 * Choice (a small global stack): every non-empty subset of the methods,
 * the Transformer weighted 0, 0.1, …, 1 against the equal-weight mean of
 * the baselines in the subset; the candidate with the lowest mean
 * validation MASE over all series is the global choice (ties go to fewer
 * methods, then to the lighter weight).  Two parameters fitted on
 * hundreds of series and windows: little room to overfit.  Seasonal
 * naive alone is a candidate, so on validation the result is never
 * worse than it.
 * The model file can give single series their own mask, but training
 * leaves every series on the global choice: switching a series to
 * seasonal naive when that was 10 % better on its own validation window
 * made M4 Weekly worse (holdout MASE 2.062 -> 2.161, 42 of 359 series
 * switched): one window of H steps is too noisy to choose per series.
 * (TC_SAFETY_PER_SERIES=1 turns that rule on, for experiments.)
 *
 * Calibration (split conformal): the validation residuals of the chosen
 * forecast, divided by the same scale, give for every horizon step h and
 * quantile level q the empirical q-quantile of (y - point) / scale,
 * pooled over steps h - w .. h + w with the smallest w that holds
 * MIN_CAL_RESIDUALS residuals.  A forecast's quantiles are point +
 * scale x offset, the median being the point itself, sorted and clipped
 * at zero for non-negative data.
 *
 * The finite-sample level of split conformal (about 1/n wider per tail)
 * counts independent windows, not residuals: one series' validation
 * windows forecast the same H actuals from J origins, and the H steps
 * of a window share every level shift, so n is one per series and H
 * validation steps (conformal_offset).  With hundreds of series that
 * changes nothing; with 7 series (Dominick's tuna: up to 637 residuals, but 7
 * independent windows) the 80 % interval spans the widest validation
 * errors, as split conformal with n < 9 asks.  That is honest: on tuna
 * the pooled 10 % and 90 % quantiles of those residuals covered 80 % of
 * the validation windows and 54 % of the next 13 weeks.
 *
 * With few series (J > 1, the same rule as training's validation) one
 * set of offsets for all series is also the wrong shape: in units of
 * each series' scale, calm series and series with rare promotion spikes
 * (whose mean absolute change the spikes inflate) have very different
 * residuals, and the pooled quantiles left the calm ones far too narrow
 * below and the spiky ones too wide.  Such files usually have long
 * histories, so every series gets the shape of its own interval from
 * out-of-sample history (history_shape): the baselines of the choice
 * forecast it from rolling origins over its whole history (at most
 * MAX_HISTORY_FITS forecasts in all), their scaled errors' quantiles per
 * step, measured from their median error, are the shape, and one factor
 * per quantile level, fitted on the validation residuals (split
 * conformal with the same n), scales it.  With fewer than 9 independent
 * windows (for the 10 % level) the factor of a level and its mirror
 * (10 % and 90 %) is one, from the interval's two-sided score: per tail,
 * split conformal would take each side's single most extreme residual
 * (tc_safety_level_factors).  On the single-series demos and tuna (three
 * seeds, bench/RESULTS.md) that took P10 = 0 away from 95 of 513
 * forecast values, and mean holdout cov80 from 0.77 to 0.83.
 * Files with 256 or more series keep the pooled offsets: their
 * validation windows already span many series and periods.
 * (TC_NO_HISTORY_SHAPE=1 keeps the pooled offsets also with few series,
 * for experiments.)
 */

#define G_LOG_DOMAIN "tc-safety"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tc-baselines.h"
#include "tc-error.h"
#include "tc-features.h"
#include "tc-forecaster-private.h"
#include "tc-json-read.h"

#define SNAIVE_MARGIN 0.10
#define MIN_CAL_RESIDUALS 200
#define N_MASKS (1u << TC_METHOD_N)
#define SNAIVE_MASK (1u << TC_METHOD_SEASONAL_NAIVE)
/* Weights of the Transformer against the baselines: 0, 0.1, …, 1. */
#define N_WEIGHTS 11
#define N_CAND (N_MASKS * N_WEIGHTS)
/* The history-shaped intervals: at most this many reference forecasts in all (the
 * origins thin out evenly beyond), and per series and step at least
 * this many residuals (pooled over neighbouring steps). */
#define MAX_HISTORY_FITS 2000
#define MIN_HISTORY_RESIDUALS 100
/* Below this many independent validation windows the summary says that
 * the intervals were widened for it (1/n per tail: 1 % at 100). */
#define FEW_WINDOWS 100

/* Candidate c: methods c / N_WEIGHTS, Transformer weight of c % N_WEIGHTS. */
static inline guint
cand_index (guint mask, guint wi)
{
  return mask * N_WEIGHTS + wi;
}

static inline double
cand_weight (guint c)
{
  return (double) (c % N_WEIGHTS) / (N_WEIGHTS - 1);
}

static const char *method_names[TC_METHOD_N] = { "Transformer", "seasonal naive", "Theta", "ETS" };
static const char *method_keys[TC_METHOD_N] = { "transformer", "seasonal_naive", "theta", "ets" };

char *
tc_method_mask_describe (guint mask)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < TC_METHOD_N; k++)
    if (mask & (1u << k))
      {
        if (s->len)
          g_string_append (s, " + ");
        g_string_append (s, method_names[k]);
      }
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

void
tc_safety_clear (TcForecaster *fc)
{
  g_clear_pointer (&fc->safety_series, g_hash_table_unref);
  g_clear_pointer (&fc->calib, g_free);
  g_clear_pointer (&fc->calib_series, g_hash_table_unref);
  memset (&fc->safety, 0, sizeof fc->safety);
}

const TcSafetySummary *
tc_forecaster_get_safety (TcForecaster *fc)
{
  return &fc->safety;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Mean absolute difference at @lag of the finite values in [a, b) (the
 * MASE scale); lag 1 when there are no such pairs or they are all 0; a
 * small fraction of the level when the series is flat.
 *
 * Choice uses the seasonal lag m, as MASE on seasonal retail data does;
 * calibration uses lag 1: with two years of weekly history the
 * validation origin has a season or less of seasonal differences, a
 * noisy scale whose small values made the residuals heavy-tailed and the
 * calibrated intervals too wide at the later forecast origin (short-
 * history proxy of bench/accuracy.sh: 87 % instead of 80 %; 79 % with
 * lag 1). */
static double
series_scale (const double *y, guint a, guint b, guint lag)
{
  double level = 0;
  guint n_level = 0;

  for (lag = MAX (lag, 1);; lag = 1)
    {
      double sum = 0;
      guint n = 0;

      for (guint t = a + lag; t < b; t++)
        if (isfinite (y[t]) && isfinite (y[t - lag]))
          {
            sum += fabs (y[t] - y[t - lag]);
            n++;
          }
      if (n > 0 && sum > 0)
        return sum / n;
      if (lag == 1)
        break;
    }
  for (guint t = a; t < b; t++)
    if (isfinite (y[t]))
      {
        level += fabs (y[t]);
        n_level++;
      }
  level = n_level ? level / n_level : 0;
  return level > 0 ? 0.01 * level : 1.0;
}

/* The calibrated offset for quantile level @lv (index @q; @pq the
 * point's) from the @n sorted scaled residuals @buf.  Split conformal's
 * finite-sample level: the ⌈(n + 1) q⌉-th of n residuals, not the
 * q-quantile, is what covers q of a new point; it widens each tail by
 * about 1/n, where n counts independent windows (@n_level, at most @n):
 * the H residuals of one window, or of overlapping windows of one
 * series, move together.  The median offset is 0 (the point forecast
 * stays), the others keep their side of it. */
static double
conformal_offset (const double *buf, gsize n, double n_level, double lv, guint q, guint pq)
{
  double off;

  if (q == pq || n == 0)
    return 0;
  n_level = MIN (n_level, (double) n);
  lv = lv > 0.5 ? MIN (1.0, lv + lv / n_level) : lv < 0.5 ? MAX (0.0, lv - (1 - lv) / n_level) : lv;
  off = tc_quantile_sorted (buf, n, lv);
  return q < pq ? MIN (off, 0.0) : MAX (off, 0.0);
}

/* Point forecasts (TC_METHOD_N, H) of the baselines in @need (bits) for
 * the H steps after @origin from the values in [start, origin); NaN for a
 * method that was not needed or could not forecast. */
static void
baseline_points (const double *y, guint start, guint origin, guint m, guint H,
                 guint need, double *pts)
{
  static const double half = 0.5;
  /* Theta and ETS see at most the last MAX (400, 3m + H) steps: their
   * cost grows with the history (13 ms per M4 Weekly series of ~900
   * weeks, at every forecast), and older data adds little to a smoothing
   * forecast; three seasons keep the seasonality test possible. */
  guint cap = MAX (400, 3 * m + H);

  for (gsize i = H; i < (gsize) TC_METHOD_N * H; i++)
    pts[i] = NAN;
  if (origin <= start)
    return;
  if (need & SNAIVE_MASK)
    if (!tc_baseline_forecast (TC_BASELINE_SEASONAL_NAIVE, y + start, origin - start, MAX (m, 1),
                               H, &half, 1, pts + (gsize) TC_METHOD_SEASONAL_NAIVE * H, NULL))
      for (guint k = 0; k < H; k++)
        pts[(gsize) TC_METHOD_SEASONAL_NAIVE * H + k] = NAN;
  if (origin - start > cap)
    start = origin - cap;
  if (need & (1u << TC_METHOD_THETA))
    if (!tc_baseline_forecast (TC_BASELINE_THETA, y + start, origin - start, MAX (m, 1),
                               H, &half, 1, pts + (gsize) TC_METHOD_THETA * H, NULL))
      for (guint k = 0; k < H; k++)
        pts[(gsize) TC_METHOD_THETA * H + k] = NAN;
  if (need & (1u << TC_METHOD_ETS))
    if (!tc_baseline_ets_adjusted (y + start, origin - start, MAX (m, 1), H,
                                   pts + (gsize) TC_METHOD_ETS * H, NULL))
      for (guint k = 0; k < H; k++)
        pts[(gsize) TC_METHOD_ETS * H + k] = NAN;
}

/* The combination of the methods in @mask at step @k: the Transformer
 * with weight @wt, the baselines in @mask sharing the rest equally (all
 * of it without the Transformer).  Methods without a forecast drop out;
 * NaN when none has one. */
static double
combine (const double *pts, guint H, guint mask, double wt, guint k)
{
  double sum = 0, tf = pts[k];
  guint n = 0;

  for (guint i = 1; i < TC_METHOD_N; i++)
    if ((mask & (1u << i)) && isfinite (pts[(gsize) i * H + k]))
      {
        sum += pts[(gsize) i * H + k];
        n++;
      }
  if (!(mask & (1u << TC_METHOD_TRANSFORMER)) || !isfinite (tf))
    return n ? sum / n : NAN;
  if (n == 0)
    return tf;
  return wt * tf + (1 - wt) * sum / n;
}

/* One validation window. */
typedef struct
{
  guint   s;
  guint   origin;
  double  scale;      /* of the calibration */
  double  scale_sel;  /* of the choice */
  double *pts;      /* (TC_METHOD_N, H) */
  double *lo, *hi;  /* (H) the network's outermost quantiles */
  double *actual;   /* (H) */
} ValWindow;

static void
report (TcTrainProgressFunc cb, gpointer user_data, const char *event)
{
  TcTrainProgress p = { 0 };

  if (cb == NULL)
    return;
  p.val_loss = p.best_val_loss = NAN;
  p.event = event;
  cb (&p, user_data);
}

static guint
mask_of_series (TcForecaster *fc, const char *id)
{
  gpointer v;

  if (fc->safety_series && id && g_hash_table_lookup_extended (fc->safety_series, id, NULL, &v))
    return GPOINTER_TO_UINT (v);
  return fc->safety.global_mask;
}

/* The calibration (horizon, n_quantiles) of series @id: its own when
 * its own history shaped it, else the global one. */
static const double *
calib_of_series (TcForecaster *fc, const char *id)
{
  const double *cal = NULL;

  if (fc->calib_series && id)
    cal = g_hash_table_lookup (fc->calib_series, id);
  return cal ? cal : fc->calib;
}

/* The shape of one step's interval (Q) from the @n sorted scaled
 * residuals @buf of the reference: each level's empirical quantile,
 * measured from the reference's own median error, since the spread is
 * the shape and the reference's bias is not the chosen forecast's (on a
 * trending series seasonal naive errs one way only; the other side's
 * quantile near 0 made the validation factor explode: AirPassengers'
 * P10 was 0 at a P50 of 480).  FALSE when a side has no width to scale
 * (a flat series). */
gboolean
tc_safety_shape_levels (const double *buf, gsize n, const float *levels, guint Q, guint pq,
                        double *shape)
{
  double med = tc_quantile_sorted (buf, n, 0.5);
  gboolean ok = TRUE;

  for (guint q = 0; q < Q; q++)
    {
      shape[q] = q == pq ? 0 : fabs (tc_quantile_sorted (buf, n, levels[q]) - med);
      ok &= q == pq || shape[q] > 1e-9;
    }
  return ok;
}

/* One factor per quantile level (Q; 0 at the median @pq) from @n
 * validation residuals @z in the calibration's scale and the shape @h
 * (n, Q) at each: split conformal on z / h with @n_eff independent
 * windows, so that the calibrated offset factor[q] x h holds level q.
 * @work: n doubles. */
void
tc_safety_level_factors (const double *z, const double *h, gsize n, const float *levels, guint Q,
                         guint pq, double n_eff, double *factor, double *work)
{
  for (guint q = 0; q < Q; q++)
    {
      double lv = levels[q];
      /* The level paired with q (0.9 with 0.1), when the levels are
       * symmetric about the median. */
      guint qp = Q - 1 - q;
      gboolean two_sided = q != qp && fabs (levels[q] + levels[qp] - 1.0) < 1e-4
                           /* (levels are floats: 0.1f is not 0.1) */
                           && MIN (lv, 1 - lv) - MAX (lv, 1 - lv) / n_eff <= 1e-6;

      factor[q] = 0;
      if (q == pq || n == 0)
        continue;
      for (gsize i = 0; i < n; i++)
        if (!two_sided)
          work[i] = z[i] / h[i * Q + q];
        else
          /* How far outside, in units of the side it fell on. */
          work[i] = z[i] < 0 ? -z[i] / h[i * Q + MIN (q, qp)] : z[i] / h[i * Q + MAX (q, qp)];
      qsort (work, n, sizeof (double), cmp_double);
      if (two_sided)
        {
          /* With too few windows for this tail (n_eff <= (1 - lv) / lv:
           * 9 for the 10 % level) split conformal per tail degenerates
           * to each side's most extreme residual, so a window that erred
           * one way left the other side at zero width and stretched this
           * one.  The interval's own score (two-sided, each side in its
           * own shape's units) uses every residual for both sides: the
           * (lv_hi - lv_lo) interval at its finite-sample level. */
          double cover = fabs (levels[qp] - levels[q]);

          factor[q] = tc_quantile_sorted (work, n, MIN (1.0, cover + cover / n_eff));
          factor[q] = q < pq ? -factor[q] : factor[q];
          continue;
        }
      /* The finite-sample level of n_eff independent windows. */
      lv = lv > 0.5 ? MIN (1.0, lv + lv / n_eff) : MAX (0.0, lv - (1 - lv) / n_eff);
      factor[q] = tc_quantile_sorted (work, n, lv);
      factor[q] = q < pq ? MIN (factor[q], 0.0) : MAX (factor[q], 0.0);
    }
}

/* History-shaped calibration, for files with few series (J > 1
 * validation origins; see the file comment).  The reference is the
 * baselines of the global choice (the best single baseline on validation
 * when the choice is the Transformer alone); it forecasts every series
 * from rolling origins across its whole history, each from the data
 * before the origin only, so that its errors there are out of sample,
 * unlike the network's.  Their quantiles per series and step, in the
 * calibration's scale, give each series the shape of its own interval
 * (h_s (k, q): calm and spiky series, a wide lower or upper tail); the
 * validation residuals of the chosen forecast then set one factor per
 * quantile level, split conformal on z / |h_s (k, q)| with @n_eff
 * independent windows, so that on validation the level holds again.
 * A series with too short a history keeps the global offsets. */
static void
history_shape (TcForecaster       *fc,
               const TcDataset    *ds,
               const guint        *lims,
               const ValWindow    *win,
               guint               n_win,
               const guint        *chosen,
               const double       *cand_mean,
               guint               m,
               guint               H,
               guint               Q,
               guint               pq,
               const float        *levels,
               double              n_eff,
               GCancellable       *cancellable)
{
  guint ref = fc->safety.global_mask & ~(1u << TC_METHOD_TRANSFORMER);
  guint64 total = 0;
  guint stride;
  gsize n_sc;
  g_autofree double *pts = g_new (double, (gsize) TC_METHOD_N * H);
  g_autofree double *buf = NULL;
  g_autofree double *zs = NULL;   /* (n_origins, H) one series' scaled residuals */
  g_autofree double *sc = NULL;
  g_autofree double *vz = NULL;   /* (n_sc) the chosen forecast's scaled validation residuals */
  g_autofree double *hs = NULL;   /* (n_sc, Q) the shape at each of them */
  g_autoptr (GHashTable) shapes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  if (ref == 0)
    {
      double best = INFINITY;

      for (guint k = 1; k < TC_METHOD_N; k++)
        if (cand_mean[cand_index (1u << k, N_WEIGHTS - 1)] < best)
          {
            best = cand_mean[cand_index (1u << k, N_WEIGHTS - 1)];
            ref = 1u << k;
          }
      if (ref == 0)
        return;
    }

  /* Origins from one season (or horizon) of history on, to the last one
   * whose H steps are all before the train limit. */
  for (guint s = 0; s < ds->n_series; s++)
    {
      guint lo = ds->start[s] + MAX (m, H) + 1;

      if (lims[s] >= H && lims[s] - H >= lo)
        total += lims[s] - H - lo + 1;
    }
  if (total == 0)
    return;
  stride = (guint) MAX ((total + MAX_HISTORY_FITS - 1) / MAX_HISTORY_FITS, 1);

  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);
      guint lo = ds->start[s] + MAX (m, H) + 1, n_o = 0, n_res = 0;
      double *shape;   /* (H, Q) */
      gboolean ok = TRUE;

      if (g_cancellable_is_cancelled (cancellable))
        return;
      if (!(lims[s] >= H && lims[s] - H >= lo))
        continue;
      g_free (zs);
      zs = g_new (double, ((gsize) (lims[s] - H - lo) / stride + 1) * H);
      for (guint o = lims[s] - H;; o -= stride)
        {
          double scale = series_scale (y, ds->start[s], o, 1);

          baseline_points (y, ds->start[s], o, m, H, ref, pts);
          for (guint k = 0; k < H; k++)
            {
              double g = combine (pts, H, ref, 0, k);

              zs[(gsize) n_o * H + k] = isfinite (g) && isfinite (y[o + k]) ? (y[o + k] - g) / scale : NAN;
              n_res += isfinite (zs[(gsize) n_o * H + k]);
            }
          n_o++;
          if (o < lo + stride)
            break;
        }
      /* Too little history to say more than validation already does. */
      if (n_res < MIN_HISTORY_RESIDUALS)
        continue;
      g_free (buf);
      buf = g_new (double, (gsize) n_o * H);
      shape = g_new (double, (gsize) H * Q);
      for (guint k = 0; k < H && ok; k++)
        {
          gsize n = 0;

          /* Steps k - wd .. k + wd, the smallest wd with enough residuals. */
          for (guint wd = 0; wd <= H; wd++)
            {
              n = 0;
              for (guint o = 0; o < n_o; o++)
                for (guint kk = k >= wd ? k - wd : 0; kk <= MIN (k + wd, H - 1); kk++)
                  if (isfinite (zs[(gsize) o * H + kk]))
                    buf[n++] = zs[(gsize) o * H + kk];
              if (n >= MIN_HISTORY_RESIDUALS)
                break;
            }
          qsort (buf, n, sizeof (double), cmp_double);
          ok = tc_safety_shape_levels (buf, n, levels, Q, pq, shape + (gsize) k * Q);
        }
      if (ok)
        g_hash_table_insert (shapes, GUINT_TO_POINTER (s), shape);
      else
        g_free (shape);
    }
  if (g_hash_table_size (shapes) == 0)
    return;

  /* One factor per quantile level, from the validation residuals of the
   * series with a shape. */
  vz = g_new (double, (gsize) n_win * H);
  hs = g_new (double, (gsize) n_win * H * Q);
  n_sc = 0;
  for (guint i = 0; i < n_win; i++)
    {
      const ValWindow *w = &win[i];
      const double *shape = g_hash_table_lookup (shapes, GUINT_TO_POINTER (w->s));

      if (shape == NULL)
        continue;
      for (guint k = 0; k < H; k++)
        {
          double f = combine (w->pts, H, chosen[w->s] / N_WEIGHTS, cand_weight (chosen[w->s]), k);

          if (!isfinite (w->actual[k]) || !isfinite (f))
            continue;
          vz[n_sc] = (w->actual[k] - f) / w->scale;
          memcpy (hs + n_sc * Q, shape + (gsize) k * Q, Q * sizeof (double));
          n_sc++;
        }
    }
  if (n_sc == 0)
    return;
  {
    g_autofree double *factor = g_new0 (double, Q);

    sc = g_new (double, n_sc);
    tc_safety_level_factors (vz, hs, n_sc, levels, Q, pq, n_eff, factor, sc);
    if (fc->calib_series == NULL)
      fc->calib_series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    for (guint s = 0; s < ds->n_series; s++)
      {
        const double *shape = g_hash_table_lookup (shapes, GUINT_TO_POINTER (s));
        double *cal;

        if (shape == NULL)
          continue;
        cal = g_new (double, (gsize) H * Q);
        for (gsize i = 0; i < (gsize) H * Q; i++)
          cal[i] = factor[i % Q] * shape[i];
        g_hash_table_insert (fc->calib_series, g_strdup (ds->series_ids[s]), cal);
        fc->safety.n_history_shaped++;
      }
  }
}

gboolean
tc_safety_fit (TcForecaster        *fc,
               const TcDataset     *ds,
               gboolean             holdout,
               TcTrainProgressFunc  progress,
               gpointer             user_data,
               GCancellable        *cancellable,
               GError             **error)
{
  const TcFeatureSchema *sc = fc->schema;
  const TcModelConfig *cfg = tc_model_get_config (fc->model);
  guint H = sc->horizon, Q = cfg->n_quantiles, pq = tc_quantile_median_index (cfg->quantiles, Q);
  guint m = MAX (tc_frequency_season (sc->freq), 1);
  guint J, n_cand = 0, n_win = 0, all = (1u << TC_METHOD_N) - 1;
  g_autofree guint *lims = g_new (guint, MAX (ds->n_series, 1));
  g_autofree guint *origins = g_new (guint, MAX (ds->n_series, 1));
  g_autofree ValWindow *win = NULL;
  g_autofree double *err = NULL;     /* (n_series, N_MASKS) summed window errors */
  g_autofree guint *n_err = NULL;    /* (n_series) windows with an error */
  g_autofree guint *chosen = NULL;   /* (n_series) */
  g_autofree double *z = NULL;
  g_autofree double *buf = NULL;
  g_autofree double *cand_mean = NULL;   /* (N_CAND) */
  guint best, n_scored = 0;
  gsize n_z = 0;
  double n_eff = 0;
  guint lo_q = 0, hi_q = Q - 1;
  gboolean ok = TRUE, failed = FALSE;
  /* Per-series switching is off: see the file comment. */
  const gboolean per_series = g_getenv ("TC_SAFETY_PER_SERIES") != NULL;

  tc_safety_clear (fc);
  /* Several origins per series when there are few series, as training's
   * validation: every step needs enough residuals to calibrate on. */
  for (guint s = 0; s < ds->n_series; s++)
    {
      lims[s] = tc_features_train_limit (ds, s, H, holdout);
      n_cand += lims[s] >= H && lims[s] - H >= ds->start[s] + 1;
    }
  if (n_cand == 0)
    return TRUE;
  J = CLAMP ((256 + n_cand - 1) / n_cand, 1, H);
  report (progress, user_data,
          _("Checking the model against seasonal naive, Theta and ETS on the validation "
            "window of every series"));

  win = g_new0 (ValWindow, (gsize) n_cand * J);
  for (guint j = 0; j < J && ok; j++)
    {
      g_autoptr (TcForecast) raw = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          ok = FALSE;
          break;
        }
      for (guint s = 0; s < ds->n_series; s++)
        origins[s] = lims[s] >= H + j && lims[s] - H - j >= ds->start[s] + 1 ? lims[s] - H - j : 0;
      for (guint s = 0; s < ds->n_series; s++)
        if (origins[s] == 0)
          /* Forecast but not scored.  Inside the grid: after the data's
           * end its known covariates would be needed, which a new
           * product too short for a validation window lacks. */
          origins[s] = MAX (MIN (lims[s], ds->n_times > H ? ds->n_times - H : 1), 1);
      raw = tc_forecaster_predict_raw (fc, ds, NULL, 0, origins, NULL, 0, NULL, error);
      if (raw == NULL)
        {
          ok = FALSE;
          failed = TRUE;
          break;
        }
      for (guint s = 0; s < ds->n_series; s++)
        {
          const double *y = tc_dataset_target_row (ds, s);
          ValWindow *w;
          guint o;
          gboolean any = FALSE;

          if (!(lims[s] >= H + j && lims[s] - H - j >= ds->start[s] + 1))
            continue;
          o = lims[s] - H - j;
          if (!isfinite (raw->values[((gsize) s * H) * Q + pq]))
            continue;
          for (guint k = 0; k < H; k++)
            any |= o + k < ds->n_times && isfinite (y[o + k]);
          if (!any)
            continue;
          w = &win[n_win++];
          w->s = s;
          w->origin = o;
          w->scale = series_scale (y, ds->start[s], o, 1);
          w->scale_sel = series_scale (y, ds->start[s], o, m);
          w->pts = g_new (double, (gsize) TC_METHOD_N * H);
          w->lo = g_new (double, H);
          w->hi = g_new (double, H);
          w->actual = g_new (double, H);
          baseline_points (y, ds->start[s], o, m, H, all, w->pts);
          for (guint k = 0; k < H; k++)
            {
              const double *v = raw->values + ((gsize) s * H + k) * Q;

              w->pts[k] = v[pq];
              w->lo[k] = v[0];
              w->hi[k] = v[Q - 1];
              /* Only steps the network never learnt from count: with
               * several origins the earlier ones reach back into its
               * training targets (before lims - H), where it would look
               * better than it is, both against the baselines and in the
               * calibration. */
              w->actual[k] = o + k < ds->n_times && o + k + H >= lims[s] ? y[o + k] : NAN;
            }
        }
    }

  if (ok && n_win > 0)
    {
      err = g_new0 (double, (gsize) ds->n_series * N_CAND);
      n_err = g_new0 (guint, ds->n_series);
      chosen = g_new0 (guint, ds->n_series);
      for (guint i = 0; i < n_win; i++)
        {
          ValWindow *w = &win[i];
          gboolean any = FALSE;

          /* A window without one known actual among its scored steps (a
           * gap in the data, or an earlier origin whose only out-of-sample
           * steps are missing) says nothing; counted, it would make the
           * series' error NaN for every candidate. */
          for (guint k = 0; k < H; k++)
            any |= isfinite (w->actual[k]);
          if (!any)
            continue;
          for (guint c = N_WEIGHTS; c < N_CAND; c++)
            {
              double sum = 0;
              guint n = 0;

              for (guint k = 0; k < H; k++)
                {
                  double f = combine (w->pts, H, c / N_WEIGHTS, cand_weight (c), k);

                  if (isfinite (w->actual[k]) && isfinite (f))
                    {
                      sum += fabs (w->actual[k] - f);
                      n++;
                    }
                }
              err[(gsize) w->s * N_CAND + c] += n ? sum / n / w->scale_sel : NAN;
            }
          n_err[w->s]++;
        }
      cand_mean = g_new (double, N_CAND);
      for (guint c = 0; c < N_CAND; c++)
        {
          double sum = 0;
          guint n = 0;

          for (guint s = 0; s < ds->n_series && c >= N_WEIGHTS; s++)
            if (n_err[s] && isfinite (err[(gsize) s * N_CAND + c]))
              {
                sum += err[(gsize) s * N_CAND + c] / n_err[s];
                n++;
              }
          cand_mean[c] = n ? sum / n : INFINITY;
        }
      /* Fewer methods first, then from the lightest Transformer weight
       * up, so that a tie keeps the simpler forecast. */
      best = cand_index (1u << TC_METHOD_TRANSFORMER, N_WEIGHTS - 1);
      for (guint size = 1; size <= TC_METHOD_N; size++)
        for (guint mask = 1; mask < N_MASKS; mask++)
          for (guint wi = 0; wi < N_WEIGHTS; wi++)
            if ((guint) __builtin_popcount (mask) == size
                && cand_mean[cand_index (mask, wi)] < cand_mean[best])
              best = cand_index (mask, wi);

      fc->safety.active = TRUE;
      fc->safety.season = m;
      fc->safety.global_mask = best / N_WEIGHTS;
      fc->safety.tf_weight = cand_weight (best);
      fc->safety.n_windows = n_win;
      fc->safety.val_mase_global = cand_mean[best];
      for (guint k = 0; k < TC_METHOD_N; k++)
        fc->safety.val_mase[k] = isfinite (cand_mean[cand_index (1u << k, N_WEIGHTS - 1)])
                                 ? cand_mean[cand_index (1u << k, N_WEIGHTS - 1)] : NAN;
      fc->safety_series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      {
        double final = 0;
        guint sn = cand_index (SNAIVE_MASK, N_WEIGHTS - 1);

        for (guint s = 0; s < ds->n_series; s++)
          {
            double e_best, e_sn;

            chosen[s] = best;
            if (n_err[s] == 0)
              continue;
            n_scored++;
            e_best = err[(gsize) s * N_CAND + best] / n_err[s];
            e_sn = err[(gsize) s * N_CAND + sn] / n_err[s];
            if (per_series && best / N_WEIGHTS != SNAIVE_MASK && isfinite (e_sn)
                && e_sn < (1 - SNAIVE_MARGIN) * e_best)
              {
                chosen[s] = sn;
                fc->safety.n_own++;
                g_hash_table_insert (fc->safety_series, g_strdup (ds->series_ids[s]),
                                     GUINT_TO_POINTER (SNAIVE_MASK));
              }
            final += isfinite (err[(gsize) s * N_CAND + chosen[s]])
                     ? err[(gsize) s * N_CAND + chosen[s]] / n_err[s] : e_best;
          }
        fc->safety.n_series = n_scored;
        fc->safety.val_mase_final = n_scored ? final / n_scored : NAN;
      }

      /* Independent windows: those of one series whose origins lie H
       * or more apart (all of them with one origin per series). */
      {
        g_autofree guint *per = g_new0 (guint, ds->n_series);

        for (guint i = 0; i < n_win; i++)
          for (guint k = 0; k < H; k++)
            if (isfinite (win[i].actual[k]))
              {
                per[win[i].s]++;
                break;
              }
        for (guint s = 0; s < ds->n_series; s++)
          n_eff += (per[s] + H - 1) / H;
        n_eff = MAX (n_eff, 1);
        fc->safety.n_independent = (guint) n_eff;
      }

      /* Calibration on the residuals of what each series now uses. */
      z = g_new (double, (gsize) n_win * H);
      buf = g_new (double, (gsize) n_win * H);
      fc->calib = g_new0 (double, (gsize) H * Q);
      {
        g_autofree gsize *cnt = g_new0 (gsize, H + 1);   /* residuals per step, cumulated */
        g_autofree double *zs = g_new (double, (gsize) n_win * H);   /* by step */
        double cover_raw = 0, n_raw = 0;

        for (guint k = 0; k < H; k++)
          {
            for (guint i = 0; i < n_win; i++)
              {
                ValWindow *w = &win[i];
                double f = combine (w->pts, H, chosen[w->s] / N_WEIGHTS, cand_weight (chosen[w->s]), k);

                if (!isfinite (w->actual[k]) || !isfinite (f))
                  continue;
                zs[n_z++] = (w->actual[k] - f) / w->scale;
                cover_raw += w->actual[k] >= w->lo[k] && w->actual[k] <= w->hi[k];
                n_raw++;
              }
            cnt[k + 1] = n_z;
          }
        for (guint k = 0; k < H; k++)
          {
            guint wd = 0;
            gsize a, b;

            for (;;)
              {
                a = cnt[k >= wd ? k - wd : 0];
                b = cnt[MIN (k + wd + 1, H)];
                if (b - a >= MIN_CAL_RESIDUALS || wd >= H)
                  break;
                wd++;
              }
            memcpy (buf, zs + a, sizeof (double) * (b - a));
            qsort (buf, b - a, sizeof (double), cmp_double);
            for (guint q = 0; q < Q; q++)
              fc->calib[(gsize) k * Q + q] = conformal_offset (buf, b - a, n_eff, cfg->quantiles[q], q, pq);
          }
        fc->safety.val_coverage_raw = n_raw ? cover_raw / n_raw : NAN;
        fc->safety.coverage_level = cfg->quantiles[hi_q] - cfg->quantiles[lo_q];
      }
      if (J > 1 && g_getenv ("TC_NO_HISTORY_SHAPE") == NULL)
        history_shape (fc, ds, lims, win, n_win, chosen, cand_mean, m, H, Q, pq, cfg->quantiles,
                       n_eff, cancellable);
      /* Coverage of the calibrated interval on the same windows. */
      {
        double cov = 0, n_cov = 0;

        for (guint i = 0; i < n_win; i++)
          {
            ValWindow *w = &win[i];
            const double *cal = calib_of_series (fc, ds->series_ids[w->s]);

            for (guint k = 0; k < H; k++)
              {
                double f = combine (w->pts, H, chosen[w->s] / N_WEIGHTS, cand_weight (chosen[w->s]), k);
                double zz;

                if (!isfinite (w->actual[k]) || !isfinite (f))
                  continue;
                zz = (w->actual[k] - f) / w->scale;
                cov += zz >= cal[(gsize) k * Q + lo_q] && zz <= cal[(gsize) k * Q + hi_q];
                n_cov++;
              }
          }
        fc->safety.val_coverage = n_cov ? cov / n_cov : NAN;
      }
    }
  for (guint i = 0; i < n_win; i++)
    {
      g_free (win[i].pts);
      g_free (win[i].lo);
      g_free (win[i].hi);
      g_free (win[i].actual);
    }
  if (!ok)
    {
      /* Cancelled: the network alone, as before the safety net. */
      tc_safety_clear (fc);
      return !failed;
    }
  if (fc->safety.active)
    {
      g_autofree char *text = tc_forecaster_get_safety_summary (fc);

      report (progress, user_data, text);
    }
  return TRUE;
}

gboolean
tc_safety_apply (TcForecaster    *fc,
                 const TcDataset *ds,
                 TcForecast      *f,
                 GError         **error)
{
  const TcFeatureSchema *sc = fc->schema;
  guint H = f->horizon, Q = f->n_quantiles, pq = tc_quantile_median_index (f->quantiles, Q);
  guint m = MAX (fc->safety.season, 1);
  g_autofree double *pts = NULL, *tmp = NULL;

  if (!fc->safety.active || fc->calib == NULL)
    return TRUE;
  if (H != sc->horizon || f->n_series != ds->n_series)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "The forecast does not match the model's horizon or the data's series");
      return FALSE;
    }
  pts = g_new (double, (gsize) TC_METHOD_N * H);
  tmp = g_new (double, Q);
  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);
      guint o = MIN (f->origins ? f->origins[s] : f->origin, ds->n_times);
      guint mask = mask_of_series (fc, ds->series_ids[s]);
      const double *cal = calib_of_series (fc, ds->series_ids[s]);
      double scale;

      if (!isfinite (f->values[((gsize) s * H) * Q + pq]) || o <= ds->start[s])
        continue;
      scale = series_scale (y, ds->start[s], o, 1);
      baseline_points (y, ds->start[s], o, m, H, mask & ~(1u << TC_METHOD_TRANSFORMER), pts);
      for (guint k = 0; k < H; k++)
        pts[k] = f->values[((gsize) s * H + k) * Q + pq];
      for (guint k = 0; k < H; k++)
        {
          double *dst = f->values + ((gsize) s * H + k) * Q;
          double point = combine (pts, H, mask, fc->safety.tf_weight, k);

          if (!isfinite (point))
            point = pts[k];
          for (guint q = 0; q < Q; q++)
            {
              tmp[q] = point + scale * cal[(gsize) k * Q + q];
              if (sc->nonneg)
                tmp[q] = MAX (tmp[q], 0.0);
            }
          qsort (tmp, Q, sizeof (double), cmp_double);
          memcpy (dst, tmp, sizeof (double) * Q);
        }
    }
  return TRUE;
}

static char *
format_count (guint n)
{
  /* 2660 -> "2,660", as people write counts. */
  g_autofree char *raw = g_strdup_printf ("%u", n);
  GString *s = g_string_new (NULL);
  gsize len = strlen (raw);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, raw[i]);
    }
  return g_string_free (s, FALSE);
}

/* "Transformer", "seasonal naive + ETS", "70 % Transformer, 30 % ETS",
 * "60 % Transformer, 40 % the mean of Theta and ETS". */
static char *
describe_choice (guint mask, double wt)
{
  guint rest = mask & ~(1u << TC_METHOD_TRANSFORMER);
  g_autofree char *base = NULL;

  if (!(mask & (1u << TC_METHOD_TRANSFORMER)) || rest == 0)
    return tc_method_mask_describe (mask);
  base = tc_method_mask_describe (rest);
  if (__builtin_popcount (rest) > 1)
    {
      /* "Theta + ETS" reads "the mean of Theta and ETS" here. */
      g_auto (GStrv) parts = g_strsplit (base, " + ", -1);
      guint n = g_strv_length (parts);
      GString *g = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            /* TRANSLATORS: between the last two and between other methods of "Theta, ETS and seasonal naive" */
            g_string_append (g, i == n - 1 ? _(" and ") : _(", "));
          g_string_append (g, parts[i]);
        }
      g_free (base);
      /* TRANSLATORS: "the mean of Theta and ETS" */
      base = g_strdup_printf (_("the mean of %s"), g->str);
      g_string_free (g, TRUE);
    }
  /* TRANSLATORS: "70 % Transformer, 30 % ETS" */
  return g_strdup_printf (_("%.0f %% Transformer, %.0f %% %s"), 100 * wt, 100 * (1 - wt), base);
}

char *
tc_forecaster_get_safety_summary (TcForecaster *fc)
{
  const TcSafetySummary *sf = &fc->safety;
  g_autofree char *what = NULL, *n_own = NULL, *n_all = NULL;
  GString *s;

  if (!sf->active)
    return g_strdup (_("Forecasts are the Transformer's alone (no comparison with simple methods "
                       "is stored in this model)."));
  what = describe_choice (sf->global_mask, sf->tf_weight);
  n_own = format_count (sf->n_own);
  n_all = format_count (sf->n_series);
  s = g_string_new (NULL);
  if (sf->global_mask == (1u << TC_METHOD_TRANSFORMER))
    g_string_append_printf (s, _("On the validation window of %s series the Transformer alone was the most "
                              "accurate (MASE %.3f; seasonal naive %.3f, Theta %.3f, ETS %.3f)."),
                            n_all, sf->val_mase[TC_METHOD_TRANSFORMER],
                            sf->val_mase[TC_METHOD_SEASONAL_NAIVE], sf->val_mase[TC_METHOD_THETA],
                            sf->val_mase[TC_METHOD_ETS]);
  else
    g_string_append_printf (s, _("On the validation window of %s series the forecasts are most accurate as %s "
                              "(MASE %.3f; Transformer alone %.3f, seasonal naive %.3f, Theta %.3f, ETS %.3f)."),
                            n_all, what, sf->val_mase_global, sf->val_mase[TC_METHOD_TRANSFORMER],
                            sf->val_mase[TC_METHOD_SEASONAL_NAIVE], sf->val_mase[TC_METHOD_THETA],
                            sf->val_mase[TC_METHOD_ETS]);
  if (sf->n_own > 0)
    g_string_append_printf (s, _(" For %s of %s series last year's pattern was more reliable; they use it."),
                            n_own, n_all);
  g_string_append_printf (s, _(" Intervals are calibrated on the validation errors: the %.0f %% interval "
                            "covered %.0f %% there (%.0f %% before calibration)."),
                          100 * sf->coverage_level, 100 * sf->val_coverage, 100 * sf->val_coverage_raw);
  if (sf->n_independent > 0 && sf->n_independent < FEW_WINDOWS)
    {
      g_autofree char *n_ind = format_count (sf->n_independent);

      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                              " Validation holds only %s independent window, so the intervals "
                                              "are wider than it alone suggests%s.",
                                              " Validation holds only %s independent windows, so the intervals "
                                              "are wider than it alone suggests%s.",
                                              sf->n_independent), n_ind,
                              sf->n_history_shaped > 0
                              ? _(", and each series' interval takes its shape from its own history") : "");
    }
  return g_string_free (s, FALSE);
}

/* -- model file ------------------------------------------------------------ */

JsonNode *
tc_safety_to_json (TcForecaster *fc)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const TcSafetySummary *sf = &fc->safety;
  guint H = fc->schema->horizon, Q = tc_model_get_config (fc->model)->n_quantiles;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, sf->active && fc->calib != NULL);
  if (!sf->active || fc->calib == NULL)
    {
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }
#define INT(name, v) json_builder_set_member_name (b, name); json_builder_add_int_value (b, v)
#define DBL(name, v) json_builder_set_member_name (b, name); json_builder_add_double_value (b, isfinite (v) ? (v) : -1)
  INT ("season", sf->season);
  INT ("global_mask", sf->global_mask);
  DBL ("tf_weight", sf->tf_weight);
  INT ("n_series", sf->n_series);
  INT ("n_windows", sf->n_windows);
  INT ("n_own", sf->n_own);
  for (guint k = 0; k < TC_METHOD_N; k++)
    {
      g_autofree char *name = g_strdup_printf ("val_mase_%s", method_keys[k]);

      DBL (name, sf->val_mase[k]);
    }
  DBL ("val_mase_global", sf->val_mase_global);
  DBL ("val_mase_final", sf->val_mase_final);
  DBL ("coverage_level", sf->coverage_level);
  DBL ("val_coverage_raw", sf->val_coverage_raw);
  DBL ("val_coverage", sf->val_coverage);
#undef DBL
  json_builder_set_member_name (b, "series_masks");
  json_builder_begin_object (b);
  if (fc->safety_series)
    {
      GHashTableIter it;
      gpointer key, value;
      g_autoptr (GPtrArray) keys = g_ptr_array_new ();

      /* Sorted, so that the same model gives the same file. */
      g_hash_table_iter_init (&it, fc->safety_series);
      while (g_hash_table_iter_next (&it, &key, &value))
        g_ptr_array_add (keys, key);
      g_ptr_array_sort (keys, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < keys->len; i++)
        {
          const char *k = *(const char **) &keys->pdata[i];

          json_builder_set_member_name (b, k);
          json_builder_add_int_value (b, GPOINTER_TO_UINT (g_hash_table_lookup (fc->safety_series, k)));
        }
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "calibration");
  json_builder_begin_array (b);
  for (gsize i = 0; i < (gsize) H * Q; i++)
    json_builder_add_double_value (b, fc->calib[i]);
  json_builder_end_array (b);
  /* Version 3: the series whose history shaped their intervals, each with its own
   * offsets (horizon, n_quantiles). */
  INT ("n_history_shaped", sf->n_history_shaped);
  INT ("n_independent", sf->n_independent);
  json_builder_set_member_name (b, "series_calibration");
  json_builder_begin_object (b);
  if (fc->calib_series)
    {
      GHashTableIter it;
      gpointer key, value;
      g_autoptr (GPtrArray) keys = g_ptr_array_new ();

      g_hash_table_iter_init (&it, fc->calib_series);
      while (g_hash_table_iter_next (&it, &key, &value))
        g_ptr_array_add (keys, key);
      g_ptr_array_sort (keys, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < keys->len; i++)
        {
          const char *k = *(const char **) &keys->pdata[i];
          const double *cal = g_hash_table_lookup (fc->calib_series, k);

          json_builder_set_member_name (b, k);
          json_builder_begin_array (b);
          for (gsize j = 0; j < (gsize) H * Q; j++)
            json_builder_add_double_value (b, cal[j]);
          json_builder_end_array (b);
        }
    }
  json_builder_end_object (b);
#undef INT
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
get_dbl (JsonObject *o, const char *name, double *out, GError **error)
{
  double v = -1;

  if (!tc_json_get_number (o, "safety", name, &v, error))
    return FALSE;
  *out = v < 0 ? NAN : v;
  return TRUE;
}

/* Far above the season of any frequency (24 for hourly data); keeps
 * 3 m + H within a guint. */
#define MAX_SEASON (1u << 20)

gboolean
tc_safety_from_json (TcForecaster  *fc,
                     JsonNode      *node,
                     GError       **error)
{
  TcSafetySummary *sf = &fc->safety;
  guint H = fc->schema->horizon, Q = tc_model_get_config (fc->model)->n_quantiles;
  JsonObject *o, *masks = NULL, *scal = NULL;
  JsonArray *cal = NULL;
  gboolean active = FALSE;
  const char *W = "safety";

  tc_safety_clear (fc);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: “safety” is not an object"));
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!tc_json_get_bool (o, W, "active", &active, error))
    return FALSE;
  if (!active)
    return TRUE;
  sf->season = 1;
  sf->tf_weight = -1;
  if (!tc_json_get_uint (o, W, "season", 1, MAX_SEASON, &sf->season, error)
      || !tc_json_get_uint (o, W, "global_mask", 1, N_MASKS - 1, &sf->global_mask, error)
      || !tc_json_get_number (o, W, "tf_weight", &sf->tf_weight, error)
      || !tc_json_get_uint (o, W, "n_series", 0, G_MAXUINT, &sf->n_series, error)
      || !tc_json_get_uint (o, W, "n_windows", 0, G_MAXUINT, &sf->n_windows, error)
      || !tc_json_get_uint (o, W, "n_own", 0, G_MAXUINT, &sf->n_own, error))
    goto bad;
  if (sf->global_mask == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: the safety net lacks “safety.global_mask”"));
      goto bad;
    }
  if (!(sf->tf_weight >= 0 && sf->tf_weight <= 1))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: “safety.tf_weight” is %g, expected a number from 0 to 1"), sf->tf_weight);
      goto bad;
    }
  for (guint k = 0; k < TC_METHOD_N; k++)
    {
      g_autofree char *name = g_strdup_printf ("val_mase_%s", method_keys[k]);

      if (!get_dbl (o, name, &sf->val_mase[k], error))
        goto bad;
    }
  if (!get_dbl (o, "val_mase_global", &sf->val_mase_global, error)
      || !get_dbl (o, "val_mase_final", &sf->val_mase_final, error)
      || !get_dbl (o, "coverage_level", &sf->coverage_level, error)
      || !get_dbl (o, "val_coverage_raw", &sf->val_coverage_raw, error)
      || !get_dbl (o, "val_coverage", &sf->val_coverage, error))
    goto bad;

  if (!tc_json_get_array (o, W, "calibration", TC_JSON_NUMBER, 0, 0, H * Q, H * Q, &cal, error))
    goto bad;
  if (cal == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: the safety net lacks “safety.calibration”"));
      goto bad;
    }
  fc->calib = g_new (double, (gsize) H * Q);
  for (gsize i = 0; i < (gsize) H * Q; i++)
    fc->calib[i] = json_array_get_double_element (cal, i);
  fc->safety_series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!tc_json_get_object (o, W, "series_masks", &masks, error))
    goto bad;
  if (masks)
    {
      g_autoptr (GList) names = json_object_get_members (masks);

      for (GList *l = names; l; l = l->next)
        {
          guint v = 0;

          if (!tc_json_get_uint (masks, "safety.series_masks", l->data, 1, N_MASKS - 1, &v, error))
            goto bad;
          g_hash_table_insert (fc->safety_series, g_strdup (l->data), GUINT_TO_POINTER (v));
        }
    }
  /* Version 2 files have no series of their own: the global offsets. */
  if (!tc_json_get_uint (o, W, "n_history_shaped", 0, G_MAXUINT, &sf->n_history_shaped, error)
      || !tc_json_get_uint (o, W, "n_independent", 0, G_MAXUINT, &sf->n_independent, error)
      || !tc_json_get_object (o, W, "series_calibration", &scal, error))
    goto bad;
  if (scal && json_object_get_size (scal) > 0)
    {
      g_autoptr (GList) names = json_object_get_members (scal);

      fc->calib_series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (GList *l = names; l; l = l->next)
        {
          JsonArray *a = NULL;
          g_autofree double *c = NULL;

          if (!tc_json_get_array (scal, "safety.series_calibration", l->data, TC_JSON_NUMBER, 0, 0,
                                  H * Q, H * Q, &a, error))
            goto bad;
          c = g_new (double, (gsize) H * Q);
          for (gsize i = 0; i < (gsize) H * Q; i++)
            c[i] = json_array_get_double_element (a, i);
          g_hash_table_insert (fc->calib_series, g_strdup (l->data), g_steal_pointer (&c));
        }
    }
  sf->active = TRUE;
  return TRUE;

bad:
  tc_safety_clear (fc);
  return FALSE;
}
