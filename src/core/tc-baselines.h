/* tc-baselines.h — simple forecasters a model must beat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every baseline takes a series y (n), NaN = missing, and writes the
 * quantiles q (nq, ascending, each in (0, 1)) for steps 1..h into
 * out (h, nq) row-major.
 *
 * Missing values: leading NaNs are dropped, interior gaps are filled by
 * linear interpolation, trailing NaNs are carried forward from the last
 * value, so the forecast always starts right after index n - 1.
 * A series whose observed values are all >= 0 never gets a negative
 * quantile (clipped at 0).  ETS, SES and Theta on fewer than 4 values
 * fall back to the naive forecast.  Seasonal naive with fewer than m
 * values is the naive forecast.  Croston/SBA smooth with alpha = 0.1 and
 * start from the first demand and the first interval (counted from the
 * start of the series), as R's forecast::croston.
 *
 * ETS: additive errors, forms ANN AAN AAdN ANA AAA AAdA ANM AAM AAdM
 * (multiplicative seasonality only for strictly positive data, seasonal
 * forms only with m >= 2 and n >= 2m + 2).  The smoothing parameters
 * and the initial states are fitted together by maximum likelihood
 * (= least squares for additive errors) with Nelder-Mead from three
 * starts, each restarted once; bounds by reparametrisation (alpha in
 * (1e-4, 0.9999), beta < alpha, gamma < 1 - alpha, phi in (0.8, 0.98)).
 * Starting states come from a classical decomposition of the first three
 * seasons and a line through the first max (10, 2m) adjusted values.
 * The automatic form minimises AICc.
 *
 * Intervals:
 *  - naive, seasonal naive, naive2, moving average, Croston, SBA, Theta:
 *    empirical quantiles of the in-sample one-step residuals, centred on
 *    their median so that P50 is the point forecast, scaled by sqrt(k)
 *    at step k (naive-type random-walk growth; for seasonal naive by
 *    sqrt(ceil(k / m)), the number of seasons ahead).
 *  - ETS: Gaussian around the point forecast with the analytic variance
 *    sigma^2 (1 + sum_{j<k} c_j^2) of Hyndman et al. (2008, class 1) for
 *    the linear forms; for multiplicative seasonality the h-step variance
 *    is estimated from 2000 simulated sample paths (fixed seed).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TC_BASELINE_NAIVE = 0,
  TC_BASELINE_SEASONAL_NAIVE,
  TC_BASELINE_NAIVE2,        /* naive on the seasonally adjusted series (M4) */
  TC_BASELINE_MOVING_AVERAGE,
  TC_BASELINE_ETS,           /* automatic form by AICc */
  TC_BASELINE_SES,           /* ETS(A,N,N) on the seasonally adjusted series (M4) */
  TC_BASELINE_CROSTON,
  TC_BASELINE_SBA,
  TC_BASELINE_THETA,         /* M4 benchmark Theta */
  TC_BASELINE_N
} TcBaselineKind;

const char     *tc_baseline_name      (TcBaselineKind kind);
/* Parses "naive", "snaive", "naive2", "ma", "ets", "ses", "croston",
 * "sba", "theta"; returns FALSE for anything else. */
gboolean        tc_baseline_from_name (const char *name, TcBaselineKind *kind);

/* (h, Q) values of one forecast. */
typedef struct
{
  guint   h;
  guint   nq;
  double *q;       /* (nq) */
  double *values;  /* (h, nq) */
} TcQuantileForecast;

TcQuantileForecast *tc_quantile_forecast_new  (guint h, const double *q, guint nq) G_GNUC_WARN_UNUSED_RESULT;
/* The @p-quantile of ascending @v (n > 0), interpolated linearly (R type 7). */
double      tc_quantile_sorted        (const double *v, gsize n, double p);
void        tc_quantile_forecast_free (TcQuantileForecast *fc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcQuantileForecast, tc_quantile_forecast_free)

typedef struct
{
  guint ma_window;        /* moving average window; 0 = default m (or 4 if m < 2) */
  double croston_alpha;   /* 0 = default 0.1 */
} TcBaselineOptions;

/* m is the seasonal period (1 = none); h >= 1. */
gboolean  tc_baseline_forecast      (TcBaselineKind  kind,
                                     const double   *y,
                                     gsize           n,
                                     guint           m,
                                     guint           h,
                                     const double   *q,
                                     guint           nq,
                                     double         *out,
                                     GError        **error);
gboolean  tc_baseline_forecast_full (TcBaselineKind           kind,
                                     const TcBaselineOptions *opt,
                                     const double            *y,
                                     gsize                    n,
                                     guint                    m,
                                     guint                    h,
                                     const double            *q,
                                     guint                    nq,
                                     double                  *out,
                                     GError                 **error);

/* ---- ETS (additive errors) ---- */

typedef enum { TC_ETS_TREND_N = 0, TC_ETS_TREND_A, TC_ETS_TREND_AD } TcEtsTrend;
typedef enum { TC_ETS_SEASON_N = 0, TC_ETS_SEASON_A, TC_ETS_SEASON_M } TcEtsSeason;

#define TC_ETS_MAX_PERIOD 366

typedef struct
{
  TcEtsTrend  trend;
  TcEtsSeason season;
  guint       m;
  /* Fitted values (Hyndman et al. 2008 parametrisation: beta <= alpha,
   * gamma <= 1 - alpha, phi in [0.8, 0.98]). */
  double      alpha, beta, gamma, phi;
  double      l0, b0;
  double      s0[TC_ETS_MAX_PERIOD];  /* (m) s_{1-m} .. s_0, oldest first */
  /* Final states after the data. */
  double      l, b;
  double      s[TC_ETS_MAX_PERIOD];   /* (m) s_{n-m+1} .. s_n, oldest first */
  double      sse, sigma2, loglik, aicc;
  guint       n_params;   /* smoothing parameters + initial states + sigma */
  gsize       n;
} TcEtsFit;

/* "ANN", "AAdM", ... */
char     *tc_ets_form_name  (TcEtsTrend trend, TcEtsSeason season);
/* Fits one form by maximum likelihood (= least squares for additive
 * errors) with Nelder-Mead from several starts; @y (n) must be finite
 * (no NaN), and strictly positive for multiplicative seasonality. */
gboolean  tc_ets_fit        (const double *y, gsize n, guint m, TcEtsTrend trend,
                             TcEtsSeason season, TcEtsFit *fit, GError **error);
/* Fits every admissible form and keeps the one with the smallest AICc. */
gboolean  tc_ets_fit_auto   (const double *y, gsize n, guint m, TcEtsFit *fit,
                             GError **error);
/* Point forecasts (h) and quantiles (h, nq). */
void      tc_ets_forecast   (const TcEtsFit *fit, guint h, const double *q, guint nq,
                             double *point, double *out);

/* ETS that stays quick for long seasons (m = 52 weekly): the M4
 * seasonal adjustment (multiplicative classical decomposition when the
 * 90 % seasonality test passes, which needs n >= 3m), then the
 * non-seasonal form with the smallest AICc (ANN, AAN or AAdN) on the
 * adjusted series, re-seasonalised.  Full ETS with m = 52 would fit
 * 52 seasonal states per series by Nelder-Mead, which takes seconds per
 * series.  Point forecasts @point (h); missing values as above; fewer
 * than 4 values give the naive forecast; never negative for
 * non-negative data. */
gboolean  tc_baseline_ets_adjusted   (const double *y, gsize n, guint m, guint h,
                                      double *point, GError **error);

/* ---- helpers shared with the Theta / Naive2 benchmarks ---- */

/* The M4 seasonality test: |acf(m)| > 1.645 sqrt ((1 + 2 sum_{k<m} acf_k^2) / n),
 * FALSE when n < 3m or m < 2. */
gboolean  tc_seasonality_test        (const double *y, gsize n, guint m);
/* Classical multiplicative decomposition (R decompose): seasonal
 * indices @idx (m) for positions t mod m, normalised to mean 1. */
gboolean  tc_classical_decompose_mult (const double *y, gsize n, guint m, double *idx);

G_END_DECLS
