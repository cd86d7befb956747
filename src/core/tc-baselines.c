/* tc-baselines.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-baselines"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-baselines.h"
#include "tc-error.h"

static const char *kind_names[TC_BASELINE_N] = {
  "naive", "snaive", "naive2", "ma", "ets", "ses", "croston", "sba", "theta",
};

const char *
tc_baseline_name (TcBaselineKind kind)
{
  return (guint) kind < TC_BASELINE_N ? kind_names[kind] : "unknown";
}

gboolean
tc_baseline_from_name (const char *name, TcBaselineKind *kind)
{
  for (guint i = 0; i < TC_BASELINE_N; i++)
    if (g_ascii_strcasecmp (name, kind_names[i]) == 0)
      {
        *kind = (TcBaselineKind) i;
        return TRUE;
      }
  return FALSE;
}

TcQuantileForecast *
tc_quantile_forecast_new (guint h, const double *q, guint nq)
{
  TcQuantileForecast *fc = g_new0 (TcQuantileForecast, 1);

  fc->h = h;
  fc->nq = nq;
  fc->q = g_memdup2 (q, sizeof (double) * nq);
  fc->values = g_new0 (double, (gsize) h * MAX (nq, 1));
  return fc;
}

void
tc_quantile_forecast_free (TcQuantileForecast *fc)
{
  if (fc == NULL)
    return;
  g_free (fc->q);
  g_free (fc->values);
  g_free (fc);
}

/* ---- small numerical helpers ---- */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * tc_quantile_sorted:
 * @v: (array length=n): ascending values, n > 0
 *
 * The @p-quantile of @v by linear interpolation (R type 7).
 */
double
tc_quantile_sorted (const double *v, gsize n, double p)
{
  double h = (n - 1) * p;
  gsize lo = (gsize) floor (h);

  if (lo + 1 >= n)
    return v[n - 1];
  return v[lo] + (h - lo) * (v[lo + 1] - v[lo]);
}

/* Standard normal quantile (Acklam's rational approximation, |rel err| < 1.2e-9). */
static double
norm_ppf (double p)
{
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                              1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                              6.680131188771972e+01, -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                              -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                              3.754408661907416e+00 };
  double q, r;

  if (p <= 0)
    return -INFINITY;
  if (p >= 1)
    return INFINITY;
  if (p < 0.02425)
    {
      q = sqrt (-2 * log (p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
             / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  if (p > 1 - 0.02425)
    return -norm_ppf (1 - p);
  q = p - 0.5;
  r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
         / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* Leading NaNs dropped, interior gaps interpolated, trailing NaNs carried
 * forward.  Returns NULL when no finite value exists. */
static double *
clean_series (const double *y, gsize n, gsize *out_n, gboolean *nonneg)
{
  gsize a = 0, prev = G_MAXSIZE;
  double *x;

  while (a < n && !isfinite (y[a]))
    a++;
  if (a == n)
    return NULL;
  *out_n = n - a;
  *nonneg = TRUE;
  x = g_new (double, n - a);
  for (gsize i = a; i < n; i++)
    {
      if (!isfinite (y[i]))
        continue;
      if (y[i] < 0)
        *nonneg = FALSE;
      x[i - a] = y[i];
      if (prev != G_MAXSIZE)
        for (gsize j = prev + 1; j < i; j++)
          x[j - a] = y[prev] + (y[i] - y[prev]) * (double) (j - prev) / (double) (i - prev);
      prev = i;
    }
  for (gsize j = prev + 1; j < n; j++)
    x[j - a] = y[prev];
  return x;
}

/* out (h, nq) = point + (Q_q(r) - median(r)) * sqrt(steps(k)); for the
 * seasonal naive @m > 1 counts seasons ahead rather than steps. */
static void
residual_intervals (const double *point, guint h, double *r, gsize nr, guint m,
                    const double *q, guint nq, double *out)
{
  double med = 0;

  if (nr > 0)
    {
      qsort (r, nr, sizeof (double), cmp_double);
      med = tc_quantile_sorted (r, nr, 0.5);
    }
  for (guint k = 0; k < h; k++)
    {
      double steps = m > 1 ? floor ((double) k / m) + 1 : k + 1;

      for (guint j = 0; j < nq; j++)
        out[(gsize) k * nq + j] = point[k]
          + (nr > 0 ? (tc_quantile_sorted (r, nr, q[j]) - med) * sqrt (steps) : 0);
    }
}

/* ---- seasonality test and classical decomposition (as in M4's R code) ---- */

gboolean
tc_seasonality_test (const double *y, gsize n, guint m)
{
  double mean = 0, den = 0, acc = 1, acf_m = 0;
  guint lag_max;

  if (m < 2 || n < 3 * (gsize) m)
    return FALSE;
  /* R's acf() default lag.max; a longer period is not tested (NA in R). */
  lag_max = (guint) MIN (floor (10 * log10 ((double) n)), (double) n - 1);
  if (m > lag_max)
    return FALSE;
  for (gsize t = 0; t < n; t++)
    mean += y[t];
  mean /= n;
  for (gsize t = 0; t < n; t++)
    den += (y[t] - mean) * (y[t] - mean);
  if (!(den > 0))
    return FALSE;
  for (guint k = 1; k <= m; k++)
    {
      double s = 0;

      for (gsize t = 0; t + k < n; t++)
        s += (y[t] - mean) * (y[t + k] - mean);
      s /= den;
      if (k < m)
        acc += 2 * s * s;
      else
        acf_m = s;
    }
  return fabs (acf_m) > 1.645 / sqrt ((double) n) * sqrt (acc);
}

/* Centred moving average of order m (2 x m for even m) at @t, or NaN. */
static double
centred_ma (const double *y, gsize n, guint m, gsize t)
{
  double s = 0;
  guint half = m / 2;

  if (t < half || t + half >= n)
    return NAN;
  if (m % 2)
    {
      for (gsize j = t - half; j <= t + half; j++)
        s += y[j];
      return s / m;
    }
  s = 0.5 * y[t - half] + 0.5 * y[t + half];
  for (gsize j = t - half + 1; j < t + half; j++)
    s += y[j];
  return s / m;
}

static gboolean
classical_decompose (const double *y, gsize n, guint m, gboolean mult, double *idx)
{
  g_autofree double *sum = g_new0 (double, m);
  g_autofree guint *cnt = g_new0 (guint, m);
  double mean = 0;

  if (m < 2 || n < 2 * (gsize) m)
    return FALSE;
  for (gsize t = 0; t < n; t++)
    {
      double tr = centred_ma (y, n, m, t);

      if (!isfinite (tr) || (mult && tr == 0))
        continue;
      sum[t % m] += mult ? y[t] / tr : y[t] - tr;
      cnt[t % m]++;
    }
  for (guint i = 0; i < m; i++)
    {
      if (cnt[i] == 0)
        return FALSE;
      idx[i] = sum[i] / cnt[i];
      mean += idx[i] / m;
    }
  for (guint i = 0; i < m; i++)
    idx[i] = mult ? idx[i] / mean : idx[i] - mean;
  if (mult)
    for (guint i = 0; i < m; i++)
      if (!(idx[i] > 0))
        return FALSE;
  return TRUE;
}

gboolean
tc_classical_decompose_mult (const double *y, gsize n, guint m, double *idx)
{
  return classical_decompose (y, n, m, TRUE, idx);
}

/* The M4 benchmarks' seasonal adjustment: @des (n) = y / index when the
 * 90 % test says seasonal, else y; @idx (m) the indices (all 1 if not). */
static void
m4_deseasonalise (const double *y, gsize n, guint m, double *des, double *idx)
{
  gboolean seasonal = m > 1 && tc_seasonality_test (y, n, m)
                      && tc_classical_decompose_mult (y, n, m, idx);

  for (guint i = 0; i < MAX (m, 1); i++)
    if (!seasonal)
      idx[i] = 1;
  for (gsize t = 0; t < n; t++)
    des[t] = y[t] / idx[m > 1 ? t % m : 0];
}

/* ---- Nelder-Mead ---- */

typedef double (*ObjFunc) (const double *x, gpointer data);

/* Minimises @f from @x (dim) with initial steps @step; @x gets the best. */
static double
nelder_mead (ObjFunc f, gpointer data, double *x, const double *step, guint dim, guint max_eval)
{
  guint np = dim + 1, evals = 0;
  g_autofree double *p = g_new (double, (gsize) np * dim);   /* (np, dim) */
  g_autofree double *fv = g_new (double, np);
  g_autofree double *c = g_new (double, dim);
  g_autofree double *xr = g_new (double, dim);
  g_autofree double *xe = g_new (double, dim);
  double best;

  for (guint i = 0; i < np; i++)
    {
      memcpy (p + (gsize) i * dim, x, sizeof (double) * dim);
      if (i > 0)
        p[(gsize) i * dim + i - 1] += step[i - 1];
      fv[i] = f (p + (gsize) i * dim, data);
      evals++;
    }
  while (evals < max_eval)
    {
      guint lo = 0, hi = 0, nh = 0;
      double fr, fe;

      for (guint i = 0; i < np; i++)
        {
          if (fv[i] < fv[lo])
            lo = i;
          if (fv[i] > fv[hi])
            hi = i;
        }
      nh = lo;
      for (guint i = 0; i < np; i++)
        if (i != hi && fv[i] >= fv[nh])
          nh = i;
      if (isfinite (fv[hi]) && fabs (fv[hi] - fv[lo]) <= 1e-8 * (fabs (fv[lo]) + 1e-20))
        break;
      memset (c, 0, sizeof (double) * dim);
      for (guint i = 0; i < np; i++)
        if (i != hi)
          for (guint d = 0; d < dim; d++)
            c[d] += p[(gsize) i * dim + d] / dim;
      for (guint d = 0; d < dim; d++)
        xr[d] = c[d] + (c[d] - p[(gsize) hi * dim + d]);
      fr = f (xr, data);
      evals++;
      if (fr < fv[lo])
        {
          for (guint d = 0; d < dim; d++)
            xe[d] = c[d] + 2 * (c[d] - p[(gsize) hi * dim + d]);
          fe = f (xe, data);
          evals++;
          if (fe < fr)
            {
              memcpy (p + (gsize) hi * dim, xe, sizeof (double) * dim);
              fv[hi] = fe;
            }
          else
            {
              memcpy (p + (gsize) hi * dim, xr, sizeof (double) * dim);
              fv[hi] = fr;
            }
        }
      else if (fr < fv[nh])
        {
          memcpy (p + (gsize) hi * dim, xr, sizeof (double) * dim);
          fv[hi] = fr;
        }
      else
        {
          /* Contract towards the better of the worst point and its reflection. */
          gboolean outside = fr < fv[hi];
          const double *base = outside ? xr : p + (gsize) hi * dim;
          double fc;

          for (guint d = 0; d < dim; d++)
            xe[d] = c[d] + 0.5 * (base[d] - c[d]);
          fc = f (xe, data);
          evals++;
          if (fc < MIN (fr, fv[hi]))
            {
              memcpy (p + (gsize) hi * dim, xe, sizeof (double) * dim);
              fv[hi] = fc;
            }
          else
            {
              for (guint i = 0; i < np; i++)
                if (i != lo)
                  {
                    for (guint d = 0; d < dim; d++)
                      p[(gsize) i * dim + d] = p[(gsize) lo * dim + d]
                        + 0.5 * (p[(gsize) i * dim + d] - p[(gsize) lo * dim + d]);
                    fv[i] = f (p + (gsize) i * dim, data);
                    evals++;
                  }
            }
        }
    }
  {
    guint lo = 0;

    for (guint i = 1; i < np; i++)
      if (fv[i] < fv[lo])
        lo = i;
    memcpy (x, p + (gsize) lo * dim, sizeof (double) * dim);
    best = fv[lo];
  }
  return best;
}

/* ---- ETS ---- */

char *
tc_ets_form_name (TcEtsTrend trend, TcEtsSeason season)
{
  static const char *t[] = { "N", "A", "Ad" };
  static const char *s[] = { "N", "A", "M" };

  return g_strdup_printf ("A%s%s", t[trend], s[season]);
}

typedef struct
{
  const double *y;     /* (n) */
  gsize         n;
  guint         m;
  TcEtsTrend    trend;
  TcEtsSeason   season;
  double        scale;  /* states are optimised divided by this */
} EtsProblem;

static inline double
logistic (double u)
{
  return 1.0 / (1.0 + exp (-u));
}

static inline double
logit (double p)
{
  return log (p / (1 - p));
}

/* Parameter vector: u_alpha [u_beta] [u_gamma] [u_phi] l0 [b0] s_0..s_{m-2}. */
static guint
ets_dim (const EtsProblem *pb)
{
  guint d = 2;

  if (pb->trend != TC_ETS_TREND_N)
    d += 2;
  if (pb->trend == TC_ETS_TREND_AD)
    d++;
  if (pb->season != TC_ETS_SEASON_N)
    d += 1 + (pb->m - 1);
  return d;
}

static void
ets_decode (const EtsProblem *pb, const double *x, TcEtsFit *fit)
{
  guint i = 0;
  double sum = 0;

  fit->trend = pb->trend;
  fit->season = pb->season;
  fit->m = pb->m;
  fit->alpha = 1e-4 + (0.9999 - 1e-4) * logistic (x[i++]);
  fit->beta = fit->gamma = 0;
  fit->phi = 1;
  if (pb->trend != TC_ETS_TREND_N)
    fit->beta = fit->alpha * (1e-4 + (0.9999 - 1e-4) * logistic (x[i++]));
  if (pb->season != TC_ETS_SEASON_N)
    fit->gamma = (1 - fit->alpha) * (1e-4 + (0.9999 - 1e-4) * logistic (x[i++]));
  if (pb->trend == TC_ETS_TREND_AD)
    fit->phi = 0.8 + 0.18 * logistic (x[i++]);
  fit->l0 = x[i++] * pb->scale;
  fit->b0 = pb->trend != TC_ETS_TREND_N ? x[i++] * pb->scale : 0;
  if (pb->season == TC_ETS_SEASON_N)
    return;
  for (guint j = 0; j + 1 < pb->m; j++)
    {
      fit->s0[j] = pb->season == TC_ETS_SEASON_A ? x[i + j] * pb->scale : x[i + j];
      sum += fit->s0[j];
    }
  /* Seasonal states sum to 0 (additive) or to m (multiplicative). */
  fit->s0[pb->m - 1] = (pb->season == TC_ETS_SEASON_A ? 0 : pb->m) - sum;
}

/* Runs the recursion; returns the SSE (Inf for an inadmissible state)
 * and leaves the final states in @fit. */
static double
ets_run (const double *y, gsize n, TcEtsFit *fit)
{
  double l = fit->l0, b = fit->b0, sse = 0;
  guint m = fit->season == TC_ETS_SEASON_N ? 1 : fit->m;
  double s[TC_ETS_MAX_PERIOD];

  memcpy (s, fit->s0, sizeof (double) * (fit->season == TC_ETS_SEASON_N ? 0 : m));
  for (gsize t = 0; t < n; t++)
    {
      double damp = fit->trend == TC_ETS_TREND_N ? 0 : fit->phi * b;
      double lev = l + damp;
      double sp = fit->season == TC_ETS_SEASON_N ? 0 : s[t % m];
      double yhat, e;

      if (fit->season == TC_ETS_SEASON_M)
        {
          if (!(sp > 0) || !(lev > 0))
            return INFINITY;
          yhat = lev * sp;
        }
      else
        yhat = lev + sp;
      e = y[t] - yhat;
      sse += e * e;
      if (fit->season == TC_ETS_SEASON_M)
        {
          l = lev + fit->alpha * e / sp;
          b = damp + fit->beta * e / sp;
          s[t % m] = sp + fit->gamma * e / lev;
        }
      else
        {
          l = lev + fit->alpha * e;
          b = damp + fit->beta * e;
          if (fit->season == TC_ETS_SEASON_A)
            s[t % m] = sp + fit->gamma * e;
        }
    }
  fit->l = l;
  fit->b = fit->trend == TC_ETS_TREND_N ? 0 : b;
  if (fit->season != TC_ETS_SEASON_N)
    for (guint j = 0; j < m; j++)
      fit->s[j] = s[(n + j) % m];
  return isfinite (sse) ? sse : INFINITY;
}

static double
ets_objective (const double *x, gpointer data)
{
  const EtsProblem *pb = data;
  TcEtsFit fit;

  ets_decode (pb, x, &fit);
  return ets_run (pb->y, pb->n, &fit) / (pb->scale * pb->scale);
}

/* Initial states from a classical decomposition of the first seasons
 * and a straight line through the first (seasonally adjusted) values,
 * as in Hyndman et al. (2008, sec. 2.6.1). */
static void
ets_initial_states (const EtsProblem *pb, double *l0, double *b0, double *s0)
{
  g_autofree double *adj = g_new (double, pb->n);
  gsize nl;
  double mt = 0, my = 0, sxy = 0, sxx = 0;

  for (gsize t = 0; t < pb->n; t++)
    adj[t] = pb->y[t];
  if (pb->season != TC_ETS_SEASON_N)
    {
      gboolean mult = pb->season == TC_ETS_SEASON_M;
      gsize nd = MIN (pb->n, 3 * (gsize) pb->m);

      if (!classical_decompose (pb->y, nd, pb->m, mult, s0))
        for (guint j = 0; j < pb->m; j++)
          s0[j] = mult ? 1 : 0;
      for (gsize t = 0; t < pb->n; t++)
        adj[t] = mult ? pb->y[t] / s0[t % pb->m] : pb->y[t] - s0[t % pb->m];
    }
  nl = MIN (pb->n, MAX ((gsize) 10, 2 * (gsize) pb->m));
  for (gsize t = 0; t < nl; t++)
    {
      mt += (double) (t + 1) / nl;
      my += adj[t] / nl;
    }
  for (gsize t = 0; t < nl; t++)
    {
      sxy += (t + 1 - mt) * (adj[t] - my);
      sxx += (t + 1 - mt) * (t + 1 - mt);
    }
  *b0 = (pb->trend != TC_ETS_TREND_N && sxx > 0) ? sxy / sxx : 0;
  /* The line's value at t = 0, one step before the first observation. */
  *l0 = pb->trend != TC_ETS_TREND_N ? my - *b0 * mt : my;
}

gboolean
tc_ets_fit (const double *y, gsize n, guint m, TcEtsTrend trend, TcEtsSeason season,
            TcEtsFit *fit, GError **error)
{
  EtsProblem pb = { y, n, season == TC_ETS_SEASON_N ? 1 : m, trend, season, 0 };
  static const double starts[][3] = { { 0.1, 0.01, 0.01 }, { 0.5, 0.1, 0.1 }, { 0.9, 0.05, 0.05 } };
  guint dim, k;
  double l0, b0, s0[TC_ETS_MAX_PERIOD], best = INFINITY;
  g_autofree double *x = NULL, *xb = NULL, *step = NULL;

  if (season != TC_ETS_SEASON_N && (m < 2 || m > TC_ETS_MAX_PERIOD || n < 2 * (gsize) m + 2))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "ETS: a seasonal form with period %u needs at least %u values, found %" G_GSIZE_FORMAT,
                   m, 2 * m + 2, n);
      return FALSE;
    }
  if (n < 3)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "ETS needs at least 3 values, found %" G_GSIZE_FORMAT, n);
      return FALSE;
    }
  for (gsize t = 0; t < n; t++)
    {
      if (!isfinite (y[t]) || (season == TC_ETS_SEASON_M && !(y[t] > 0)))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "ETS: value %" G_GSIZE_FORMAT " is %g; expected a finite%s number", t, y[t],
                       season == TC_ETS_SEASON_M ? ", strictly positive" : "");
          return FALSE;
        }
      pb.scale += fabs (y[t]) / n;
    }
  if (!(pb.scale > 0))
    pb.scale = 1;
  ets_initial_states (&pb, &l0, &b0, s0);
  dim = ets_dim (&pb);
  x = g_new (double, dim);
  xb = g_new (double, dim);
  step = g_new (double, dim);
  for (guint st = 0; st < G_N_ELEMENTS (starts); st++)
    {
      double v;

      k = 0;
      x[k] = logit (starts[st][0]);
      step[k++] = 1.0;
      if (trend != TC_ETS_TREND_N)
        {
          x[k] = logit (starts[st][1] / starts[st][0]);
          step[k++] = 1.0;
        }
      if (season != TC_ETS_SEASON_N)
        {
          x[k] = logit (starts[st][2] / (1 - starts[st][0]));
          step[k++] = 1.0;
        }
      if (trend == TC_ETS_TREND_AD)
        {
          x[k] = logit ((0.97 - 0.8) / 0.18);
          step[k++] = 1.0;
        }
      x[k] = l0 / pb.scale;
      step[k++] = 0.1;
      if (trend != TC_ETS_TREND_N)
        {
          x[k] = b0 / pb.scale;
          step[k++] = 0.01;
        }
      for (guint j = 0; season != TC_ETS_SEASON_N && j + 1 < pb.m; j++)
        {
          x[k] = season == TC_ETS_SEASON_A ? s0[j] / pb.scale : s0[j];
          step[k++] = 0.05;
        }
      /* Two passes: a restart from the end point escapes a collapsed simplex. */
      v = nelder_mead (ets_objective, &pb, x, step, dim, 200 * dim + 200);
      v = nelder_mead (ets_objective, &pb, x, step, dim, 200 * dim + 200);
      if (v < best)
        {
          best = v;
          memcpy (xb, x, sizeof (double) * dim);
        }
    }
  if (!isfinite (best))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_NUMERIC, "ETS: no admissible parameters found");
      return FALSE;
    }
  memset (fit, 0, sizeof *fit);
  ets_decode (&pb, xb, fit);
  fit->sse = ets_run (y, n, fit);
  fit->n = n;
  fit->n_params = dim + 1;
  fit->sigma2 = fit->sse / MAX (1.0, (double) n - dim);
  /* A perfect fit (a constant series) would give an infinite likelihood
   * and no AICc; a floor far below any real noise keeps the forms comparable. */
  fit->loglik = -0.5 * n * (log (2 * G_PI * MAX (fit->sse, 1e-20 * pb.scale * pb.scale * n) / n) + 1);
  if ((double) n - fit->n_params - 1 > 0)
    fit->aicc = -2 * fit->loglik + 2.0 * fit->n_params
                + 2.0 * fit->n_params * (fit->n_params + 1) / ((double) n - fit->n_params - 1);
  else
    fit->aicc = INFINITY;
  return TRUE;
}

gboolean
tc_ets_fit_auto (const double *y, gsize n, guint m, TcEtsFit *fit, GError **error)
{
  gboolean positive = TRUE, any = FALSE;
  TcEtsFit cand;

  for (gsize t = 0; t < n; t++)
    if (!(y[t] > 0))
      positive = FALSE;
  for (int s = TC_ETS_SEASON_N; s <= TC_ETS_SEASON_M; s++)
    for (int tr = TC_ETS_TREND_N; tr <= TC_ETS_TREND_AD; tr++)
      {
        if (s != TC_ETS_SEASON_N && (m < 2 || m > TC_ETS_MAX_PERIOD || n < 2 * (gsize) m + 2))
          continue;
        if (s == TC_ETS_SEASON_M && !positive)
          continue;
        if (!tc_ets_fit (y, n, m, tr, s, &cand, NULL) || !isfinite (cand.aicc))
          continue;
        if (!any || cand.aicc < fit->aicc)
          *fit = cand;
        any = TRUE;
      }
  if (!any)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "ETS: no admissible form for %" G_GSIZE_FORMAT " values", n);
      return FALSE;
    }
  return TRUE;
}

/* phi + phi^2 + ... + phi^k (k for an undamped trend, 0 without trend). */
static double
trend_mult (const TcEtsFit *fit, guint k)
{
  double s = 0, p = 1;

  if (fit->trend == TC_ETS_TREND_N)
    return 0;
  for (guint j = 0; j < k; j++)
    {
      p *= fit->phi;
      s += p;
    }
  return s;
}

void
tc_ets_forecast (const TcEtsFit *fit, guint h, const double *q, guint nq, double *point,
                 double *out)
{
  g_autofree double *var = g_new0 (double, h);
  guint m = fit->season == TC_ETS_SEASON_N ? 1 : fit->m;

  for (guint k = 1; k <= h; k++)
    {
      double lev = fit->l + trend_mult (fit, k) * fit->b;
      double sp = fit->season == TC_ETS_SEASON_N ? 0 : fit->s[(k - 1) % m];

      point[k - 1] = fit->season == TC_ETS_SEASON_M ? lev * sp : lev + sp;
    }
  if (fit->season != TC_ETS_SEASON_M)
    {
      double acc = 1;

      for (guint k = 1; k <= h; k++)
        {
          double c;

          var[k - 1] = fit->sigma2 * acc;
          c = fit->alpha + fit->beta * trend_mult (fit, k)
              + ((fit->season != TC_ETS_SEASON_N && k % m == 0) ? fit->gamma : 0);
          acc += c * c;
        }
    }
  else
    {
      /* No closed form: simulate sample paths with Gaussian errors. */
      const guint n_paths = 2000;
      g_autoptr (GRand) rng = g_rand_new_with_seed (20240613);
      g_autofree double *sum = g_new0 (double, h);
      g_autofree double *sum2 = g_new0 (double, h);
      double sd = sqrt (fit->sigma2);

      for (guint p = 0; p < n_paths; p++)
        {
          double l = fit->l, b = fit->b, s[TC_ETS_MAX_PERIOD];

          memcpy (s, fit->s, sizeof (double) * m);
          for (guint k = 0; k < h; k++)
            {
              double damp = fit->trend == TC_ETS_TREND_N ? 0 : fit->phi * b;
              double lev = l + damp, sp = s[k % m];
              double u1 = g_rand_double (rng), u2 = g_rand_double (rng);
              double e = sd * sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2);
              double yv = lev * sp + e;

              sum[k] += yv;
              sum2[k] += yv * yv;
              l = lev + fit->alpha * e / sp;
              b = damp + fit->beta * e / sp;
              s[k % m] = sp + fit->gamma * e / lev;
            }
        }
      for (guint k = 0; k < h; k++)
        {
          double mu = sum[k] / n_paths;

          var[k] = MAX (0.0, sum2[k] / n_paths - mu * mu);
        }
    }
  for (guint k = 0; k < h; k++)
    for (guint j = 0; j < nq; j++)
      out[(gsize) k * nq + j] = point[k] + sqrt (var[k]) * norm_ppf (q[j]);
}

/* ---- the baselines ---- */

static gboolean
check_args (const double *q, guint nq, guint h, GError **error)
{
  if (h == 0 || nq == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "baseline: horizon (%u) and number of quantiles (%u) must be positive", h, nq);
      return FALSE;
    }
  for (guint j = 0; j < nq; j++)
    if (!(q[j] > 0 && q[j] < 1) || (j > 0 && !(q[j] > q[j - 1])))
      {
        g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                     "baseline: quantile %u is %g; expected ascending levels in (0, 1)", j, q[j]);
        return FALSE;
      }
  return TRUE;
}

/* Croston (sba = FALSE) or the Syntetos-Boylan approximation.  Returns
 * the point forecast and one-step in-sample residuals in @r. */
static double
croston (const double *x, gsize n, double alpha, gboolean sba, double *r, gsize *nr)
{
  double z = NAN, p = NAN, f = NAN;
  gsize last = 0;
  gboolean started = FALSE;

  *nr = 0;
  for (gsize t = 0; t < n; t++)
    {
      if (started)
        r[(*nr)++] = x[t] - f;
      if (x[t] != 0)
        {
          /* Interval since the previous demand; the first counts from t = -1. */
          double q = started ? (double) (t - last) : (double) (t + 1);

          if (!started)
            {
              z = x[t];
              p = q;
              started = TRUE;
            }
          else
            {
              z += alpha * (x[t] - z);
              p += alpha * (q - p);
            }
          last = t;
          f = (sba ? 1 - alpha / 2 : 1.0) * z / p;
        }
    }
  return started ? f : 0;
}

gboolean
tc_baseline_forecast (TcBaselineKind kind, const double *y, gsize n, guint m, guint h,
                      const double *q, guint nq, double *out, GError **error)
{
  return tc_baseline_forecast_full (kind, NULL, y, n, m, h, q, nq, out, error);
}

gboolean
tc_baseline_forecast_full (TcBaselineKind kind, const TcBaselineOptions *opt, const double *y,
                           gsize n, guint m, guint h, const double *q, guint nq, double *out,
                           GError **error)
{
  g_autofree double *x = NULL, *r = NULL, *point = NULL, *des = NULL, *idx = NULL;
  gsize nn = 0, nr = 0;
  gboolean nonneg = TRUE, residual_pi = TRUE;
  guint pi_m = 1;

  if (!check_args (q, nq, h, error))
    return FALSE;
  if (m == 0)
    m = 1;
  x = clean_series (y, n, &nn, &nonneg);
  if (x == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, "baseline %s: the series has no values",
                   tc_baseline_name (kind));
      return FALSE;
    }
  r = g_new (double, nn + 1);
  point = g_new (double, h);
  des = g_new (double, nn);
  idx = g_new (double, m);

  switch (kind)
    {
    case TC_BASELINE_SEASONAL_NAIVE:
      if (m > 1 && nn >= m)
        {
          for (guint k = 0; k < h; k++)
            point[k] = x[nn - m + k % m];
          for (gsize t = m; t < nn; t++)
            r[nr++] = x[t] - x[t - m];
          pi_m = m;
          break;
        }
      G_GNUC_FALLTHROUGH;
    case TC_BASELINE_NAIVE:
      for (guint k = 0; k < h; k++)
        point[k] = x[nn - 1];
      for (gsize t = 1; t < nn; t++)
        r[nr++] = x[t] - x[t - 1];
      break;
    case TC_BASELINE_NAIVE2:
      m4_deseasonalise (x, nn, m, des, idx);
      for (guint k = 0; k < h; k++)
        point[k] = des[nn - 1] * idx[(nn + k) % m];
      for (gsize t = 1; t < nn; t++)
        r[nr++] = x[t] - des[t - 1] * idx[t % m];
      break;
    case TC_BASELINE_MOVING_AVERAGE:
      {
        guint w = opt && opt->ma_window ? opt->ma_window : (m > 1 ? m : 4);
        double s = 0;

        w = (guint) MIN ((gsize) w, nn);
        for (gsize t = nn - w; t < nn; t++)
          s += x[t] / w;
        for (guint k = 0; k < h; k++)
          point[k] = s;
        for (gsize t = w; t < nn; t++)
          {
            double a = 0;

            for (gsize j = t - w; j < t; j++)
              a += x[j] / w;
            r[nr++] = x[t] - a;
          }
      }
      break;
    case TC_BASELINE_CROSTON:
    case TC_BASELINE_SBA:
      {
        double alpha = opt && opt->croston_alpha > 0 ? opt->croston_alpha : 0.1;
        double f = croston (x, nn, alpha, kind == TC_BASELINE_SBA, r, &nr);

        for (guint k = 0; k < h; k++)
          point[k] = f;
      }
      break;
    case TC_BASELINE_ETS:
    case TC_BASELINE_SES:
    case TC_BASELINE_THETA:
      {
        TcEtsFit fit;
        g_autofree double *line = NULL, *tl = NULL;
        double a = 0, b = 0;
        gboolean ok;

        if (nn < 4)
          {
            /* Too short to fit anything: the naive forecast. */
            for (guint k = 0; k < h; k++)
              point[k] = x[nn - 1];
            for (gsize t = 1; t < nn; t++)
              r[nr++] = x[t] - x[t - 1];
            break;
          }
        if (kind == TC_BASELINE_ETS)
          {
            if (!tc_ets_fit_auto (x, nn, m, &fit, error))
              return FALSE;
            tc_ets_forecast (&fit, h, q, nq, point, out);
            residual_pi = FALSE;
            break;
          }
        m4_deseasonalise (x, nn, m, des, idx);
        if (kind == TC_BASELINE_SES)
          {
            ok = tc_ets_fit (des, nn, 1, TC_ETS_TREND_N, TC_ETS_SEASON_N, &fit, error);
            if (!ok)
              return FALSE;
            for (guint k = 0; k < h; k++)
              point[k] = fit.l * idx[(nn + k) % m];
            {
              double l = fit.l0;

              for (gsize t = 0; t < nn; t++)
                {
                  r[nr++] = x[t] - l * idx[t % m];
                  l += fit.alpha * (des[t] - l);
                }
            }
            break;
          }
        /* Theta (M4): theta line 2 = 2 des - linear trend, forecast by SES;
         * the forecast averages it with the extrapolated trend line. */
        {
          double mt = 0, my = 0, sxy = 0, sxx = 0, l;

          for (gsize t = 0; t < nn; t++)
            {
              mt += (double) (t + 1) / nn;
              my += des[t] / nn;
            }
          for (gsize t = 0; t < nn; t++)
            {
              sxy += (t + 1 - mt) * (des[t] - my);
              sxx += (t + 1 - mt) * (t + 1 - mt);
            }
          b = sxx > 0 ? sxy / sxx : 0;
          a = my - b * mt;
          tl = g_new (double, nn);
          for (gsize t = 0; t < nn; t++)
            tl[t] = 2 * des[t] - (a + b * (t + 1));
          if (!tc_ets_fit (tl, nn, 1, TC_ETS_TREND_N, TC_ETS_SEASON_N, &fit, error))
            return FALSE;
          for (guint k = 0; k < h; k++)
            point[k] = (0.5 * fit.l + 0.5 * (a + b * (nn + k + 1))) * idx[(nn + k) % m];
          l = fit.l0;
          for (gsize t = 0; t < nn; t++)
            {
              r[nr++] = x[t] - (0.5 * l + 0.5 * (a + b * (t + 1))) * idx[t % m];
              l += fit.alpha * (tl[t] - l);
            }
        }
      }
      break;
    default:
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "unknown baseline kind %d", kind);
      return FALSE;
    }

  if (residual_pi)
    residual_intervals (point, h, r, nr, pi_m, q, nq, out);
  if (nonneg)
    for (gsize i = 0; i < (gsize) h * nq; i++)
      out[i] = MAX (out[i], 0.0);
  /* Keep quantiles ordered after clipping and rounding. */
  for (guint k = 0; k < h; k++)
    for (guint j = 1; j < nq; j++)
      if (out[(gsize) k * nq + j] < out[(gsize) k * nq + j - 1])
        out[(gsize) k * nq + j] = out[(gsize) k * nq + j - 1];
  return TRUE;
}

gboolean
tc_baseline_ets_adjusted (const double *y, gsize n, guint m, guint h, double *point,
                          GError **error)
{
  g_autofree double *x = NULL, *des = NULL, *idx = NULL;
  gsize nn = 0;
  gboolean nonneg = TRUE;
  TcEtsFit fit;

  if (m == 0)
    m = 1;
  x = clean_series (y, n, &nn, &nonneg);
  if (x == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, "ETS: the series has no values");
      return FALSE;
    }
  if (nn < 4)
    {
      for (guint k = 0; k < h; k++)
        point[k] = x[nn - 1];
      return TRUE;
    }
  des = g_new (double, nn);
  idx = g_new (double, m);
  m4_deseasonalise (x, nn, m, des, idx);
  if (!tc_ets_fit_auto (des, nn, 1, &fit, error))
    return FALSE;
  tc_ets_forecast (&fit, h, NULL, 0, point, NULL);
  for (guint k = 0; k < h; k++)
    {
      point[k] *= idx[(nn + k) % m];
      if (nonneg)
        point[k] = MAX (point[k], 0.0);
    }
  return TRUE;
}
