/* test-baselines.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Naive-type baselines and Croston/SBA are checked against arithmetic
 * written out in the comments; ETS and Theta against statsmodels 0.13.5
 * (Debian 12), produced by bench/ets_reference.py (the exact snippet is
 * there; the reference numbers are copied below).
 */
#include <math.h>

#include "tc-baselines.h"
#include "tc-error.h"

static const double Q3[] = { 0.1, 0.5, 0.9 };

/* AirPassengers (Box & Jenkins), monthly 1949-1960. */
static const double AIR[] = {
  112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170,
  158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181,
  183, 218, 230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
  204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347,
  312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348,
  355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
  360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606,
  508, 461, 390, 432,
};
static const double SHORT[] = { 10.0, 12.0, 11.5, 13.0, 14.2, 13.8, 15.1, 16.0, 15.7, 17.2, 18.1,
                                17.9, 19.5, 20.3, 20.1 };

static void
test_naive (void)
{
  /* y = 1 2 4 7: residuals y_t - y_{t-1} = 1 2 3, median 2.  Type-7
   * quantiles: Q0.1 = 1 + 0.2 * (2 - 1) = 1.2, Q0.9 = 2 + 0.8 * (3 - 2) = 2.8.
   * Step 1: 7 + (1.2 - 2) = 6.2, 7, 7 + 0.8 = 7.8.
   * Step 2: 7 -/+ 0.8 sqrt 2 = 5.868629 / 8.131371. */
  static const double y[] = { 1, 2, 4, 7 };
  double out[6];

  g_assert_true (tc_baseline_forecast (TC_BASELINE_NAIVE, y, 4, 1, 2, Q3, 3, out, NULL));
  g_assert_cmpfloat_with_epsilon (out[0], 6.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], 7.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 7.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[3], 5.868629, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[4], 7.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[5], 8.131371, 1e-6);
}

static void
test_seasonal_naive (void)
{
  /* m = 3, y = 1 2 3 2 4 5: forecasts repeat the last season 2 4 5 2.
   * Residuals y_t - y_{t-3} = 1 2 2, median 2; Q0.1 = 1.2 (offset -0.8),
   * Q0.9 = 2 (offset 0).  Step 4 is in the second season: offset * sqrt 2. */
  static const double y[] = { 1, 2, 3, 2, 4, 5 };
  double out[12];

  g_assert_true (tc_baseline_forecast (TC_BASELINE_SEASONAL_NAIVE, y, 6, 3, 4, Q3, 3, out, NULL));
  g_assert_cmpfloat (out[1], ==, 2);
  g_assert_cmpfloat (out[4], ==, 4);
  g_assert_cmpfloat (out[7], ==, 5);
  g_assert_cmpfloat (out[10], ==, 2);
  g_assert_cmpfloat_with_epsilon (out[0], 1.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[9], 2 - 0.8 * sqrt (2), 1e-12);
}

static void
test_moving_average_and_gaps (void)
{
  /* w = 2 on 1 2 3 4 5: (4 + 5) / 2 = 4.5; every residual is
   * y_t - (y_{t-2} + y_{t-1}) / 2 = 1.5, so the interval collapses. */
  static const double y[] = { 1, 2, 3, 4, 5 };
  /* Interior gap interpolated (1 2 3), trailing gap carried (3): naive 3. */
  static const double g1[] = { 1, NAN, 3, NAN };
  /* Leading gap dropped: 2 4 6 (interpolated 4); MA over 3 = 4. */
  static const double g2[] = { NAN, 2, NAN, 6 };
  TcBaselineOptions opt = { .ma_window = 2 };
  double out[3];

  g_assert_true (tc_baseline_forecast_full (TC_BASELINE_MOVING_AVERAGE, &opt, y, 5, 1, 1, Q3, 3,
                                            out, NULL));
  g_assert_cmpfloat_with_epsilon (out[0], 4.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 4.5, 1e-12);
  g_assert_true (tc_baseline_forecast (TC_BASELINE_NAIVE, g1, 4, 1, 1, Q3, 3, out, NULL));
  g_assert_cmpfloat (out[1], ==, 3);
  opt.ma_window = 3;
  g_assert_true (tc_baseline_forecast_full (TC_BASELINE_MOVING_AVERAGE, &opt, g2, 4, 1, 1, Q3, 3,
                                            out, NULL));
  g_assert_cmpfloat_with_epsilon (out[1], 4.0, 1e-12);
}

static void
test_nonnegative_clip (void)
{
  /* Large drops make naive P10 = 0.1 + negative offset; the series is
   * non-negative, so every quantile stays >= 0. */
  static const double y[] = { 50, 0.2, 40, 0, 30, 0.1 };
  double out[3 * 5];

  for (int k = 0; k < TC_BASELINE_N; k++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (tc_baseline_forecast (k, y, 6, 1, 5, Q3, 3, out, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 15; i++)
        g_assert_cmpfloat (out[i], >=, 0);
    }
}

static void
test_constant_series (void)
{
  /* A constant and an all-zero series: every baseline forecasts the
   * constant (SBA deliberately 5 % lower: (1 - 0.1/2) * 5 = 4.75). */
  double c[30], z[30], out[9];

  for (guint t = 0; t < 30; t++)
    {
      c[t] = 5;
      z[t] = 0;
    }
  for (int k = 0; k < TC_BASELINE_N; k++)
    {
      g_autoptr (GError) error = NULL;
      double want = k == TC_BASELINE_SBA ? 4.75 : 5;

      g_test_message ("%s", tc_baseline_name (k));
      g_assert_true (tc_baseline_forecast (k, c, 30, 4, 3, Q3, 3, out, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 9; i++)
        g_assert_cmpfloat_with_epsilon (out[i], want, 1e-6);
      g_assert_true (tc_baseline_forecast (k, z, 30, 4, 3, Q3, 3, out, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 9; i++)
        g_assert_cmpfloat_with_epsilon (out[i], 0, 1e-6);
    }
}

static void
test_croston_sba (void)
{
  /* y = 0 3 0 0 5 0 4, alpha 0.1.  Demands at t = 1, 4, 6 (0-based):
   * first: z = 3, p = 2 (interval counted from t = -1);
   * t = 4: z = 3 + 0.1 (5 - 3) = 3.2, p = 2 + 0.1 (3 - 2) = 2.1;
   * t = 6: z = 3.2 + 0.1 (4 - 3.2) = 3.28, p = 2.1 + 0.1 (2 - 2.1) = 2.09.
   * Croston 3.28 / 2.09 = 1.5693780; SBA (1 - 0.05) * that = 1.4909091. */
  static const double y[] = { 0, 3, 0, 0, 5, 0, 4 };
  double out[6];

  g_assert_true (tc_baseline_forecast (TC_BASELINE_CROSTON, y, 7, 1, 2, Q3, 3, out, NULL));
  g_assert_cmpfloat_with_epsilon (out[1], 3.28 / 2.09, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[4], 1.5693780, 1e-6);
  g_assert_true (tc_baseline_forecast (TC_BASELINE_SBA, y, 7, 1, 2, Q3, 3, out, NULL));
  g_assert_cmpfloat_with_epsilon (out[1], 1.4909091, 1e-6);
}

/* Relative tolerance for forecasts against statsmodels: 1 %.  Both
 * optimisers find the same optimum here (SSE within 0.1 %), so the
 * difference is far below that; 1 % leaves room for another libm. */
#define REL_TOL 0.01

static void
check_close (const double *got, const double *want, guint h)
{
  for (guint k = 0; k < h; k++)
    {
      if (fabs (got[k] - want[k]) > REL_TOL * fabs (want[k]))
        g_error ("step %u: got %g, statsmodels %g", k + 1, got[k], want[k]);
    }
}

typedef struct
{
  const char *name;
  const double *y;
  gsize n;
  guint m;
  TcEtsTrend trend;
  TcEtsSeason season;
  double sse;         /* statsmodels, best of several starts */
  double loglik;
  guint h;
  double fc[12];
} EtsCase;

/* From bench/ets_reference.py:
 *   ETSModel(y, error="add", trend=..., damped_trend=..., seasonal=..., seasonal_periods=12)
 *     .fit(start_params=..., disp=False, maxiter=10000)
 * keeping the best SSE over starts alpha in {0.1 .. 0.9}, gamma in {0.001, 0.01, 0.1}. */
static const EtsCase ets_cases[] = {
  { "air AAM", AIR, 144, 12, TC_ETS_TREND_A, TC_ETS_SEASON_M, 12890.799438, -527.927967, 12,
    { 445.5356, 426.0293, 486.3221, 482.9896, 492.9111, 564.6114, 637.8924, 634.8810, 538.6703,
      474.0202, 411.4073, 458.7366 } },
  { "air AAdM", AIR, 144, 12, TC_ETS_TREND_AD, TC_ETS_SEASON_M, 13316.435047, -530.266899, 12,
    { 444.7408, 424.5550, 484.3624, 480.6016, 490.0032, 561.0487, 633.7612, 630.4568, 534.2189,
      469.2944, 406.1900, 452.1717 } },
  { "air AAA", AIR, 144, 12, TC_ETS_TREND_A, TC_ETS_SEASON_A, 21567.292240, -564.983781, 12,
    { 451.5785, 427.2597, 464.7036, 500.1042, 508.6634, 567.7168, 647.8991, 632.4643, 534.3771,
      484.9330, 418.4633, 463.1396 } },
  { "short ANN", SHORT, 15, 1, TC_ETS_TREND_N, TC_ETS_SEASON_N, 17.030294, -22.236155, 5,
    { 20.1000, 20.1000, 20.1000, 20.1000, 20.1000 } },
  { "short AAN", SHORT, 15, 1, TC_ETS_TREND_A, TC_ETS_SEASON_N, 3.433105, -10.224690, 5,
    { 21.3181, 22.0295, 22.7410, 23.4524, 24.1638 } },
};

static void
test_ets_statsmodels (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (ets_cases); i++)
    {
      const EtsCase *c = &ets_cases[i];
      g_autoptr (GError) error = NULL;
      TcEtsFit fit;
      double point[12], out[36];

      g_test_message ("ETS case %s", c->name);
      g_assert_true (tc_ets_fit (c->y, c->n, c->m, c->trend, c->season, &fit, &error));
      g_assert_no_error (error);
      /* Our optimum may be slightly better, never more than 0.1 % worse. */
      g_assert_cmpfloat (fit.sse, <=, c->sse * 1.001);
      g_assert_cmpfloat (fabs (fit.loglik - c->loglik), <, 0.5);
      tc_ets_forecast (&fit, c->h, Q3, 3, point, out);
      check_close (point, c->fc, c->h);
      for (guint k = 0; k < c->h; k++)
        {
          g_assert_cmpfloat_with_epsilon (out[k * 3 + 1], point[k], 1e-9 * fabs (point[k]));
          g_assert_cmpfloat (out[k * 3], <, out[k * 3 + 1]);
          g_assert_cmpfloat (out[k * 3 + 2], >, out[k * 3 + 1]);
        }
    }
}

static void
test_ets_intervals_and_auto (void)
{
  TcEtsFit fit;
  double point[5], out[15];
  g_autofree char *form = NULL;
  g_autoptr (GError) error = NULL;

  /* ANN: var_k = sigma^2 (1 + (k - 1) alpha^2); z_0.9 = 1.2815516. */
  g_assert_true (tc_ets_fit (SHORT, 15, 1, TC_ETS_TREND_N, TC_ETS_SEASON_N, &fit, NULL));
  tc_ets_forecast (&fit, 5, Q3, 3, point, out);
  for (guint k = 0; k < 5; k++)
    {
      double sd = sqrt (fit.sigma2 * (1 + k * fit.alpha * fit.alpha));

      g_assert_cmpfloat_with_epsilon (out[k * 3 + 2] - point[k], 1.2815516 * sd, 1e-5 * sd);
      g_assert_cmpfloat_with_epsilon (point[k] - out[k * 3], 1.2815516 * sd, 1e-5 * sd);
    }
  /* statsmodels' AICc also ranks AAM first among these on AirPassengers. */
  g_assert_true (tc_ets_fit_auto (AIR, 144, 12, &fit, &error));
  g_assert_no_error (error);
  form = tc_ets_form_name (fit.trend, fit.season);
  g_assert_cmpstr (form, ==, "AAM");
  /* Multiplicative seasonality on a series with a zero is inadmissible. */
  {
    double y[40];

    for (guint t = 0; t < 40; t++)
      y[t] = t % 4 == 0 ? 0 : 10 + t % 4;
    g_assert_false (tc_ets_fit (y, 40, 4, TC_ETS_TREND_N, TC_ETS_SEASON_M, &fit, &error));
    g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
    g_clear_error (&error);
    g_assert_true (tc_ets_fit_auto (y, 40, 4, &fit, &error));
    g_assert_cmpint (fit.season, !=, TC_ETS_SEASON_M);
  }
}

static void
test_theta (void)
{
  /* bench/ets_reference.py m4_theta(): the M4 R code with numpy + statsmodels. */
  static const double want_short[] = { 20.5507, 20.9064, 21.2621, 21.6178, 21.9736 };
  static const double want_air[] = { 440.9334, 429.2145, 490.6536, 476.6216, 480.5925, 546.4118,
                                     603.9045, 602.2470, 524.9479, 457.4932, 398.7065, 448.4894 };
  double out[36], point[12];

  g_assert_true (tc_seasonality_test (AIR, 144, 12));
  g_assert_false (tc_seasonality_test (SHORT, 15, 4));
  g_assert_true (tc_baseline_forecast (TC_BASELINE_THETA, SHORT, 15, 1, 5, Q3, 3, out, NULL));
  for (guint k = 0; k < 5; k++)
    point[k] = out[k * 3 + 1];
  check_close (point, want_short, 5);
  g_assert_true (tc_baseline_forecast (TC_BASELINE_THETA, AIR, 144, 12, 12, Q3, 3, out, NULL));
  for (guint k = 0; k < 12; k++)
    point[k] = out[k * 3 + 1];
  check_close (point, want_air, 12);
}

static void
test_bad_input (void)
{
  static const double nan4[] = { NAN, NAN, NAN, NAN };
  static const double y[] = { 1, 2, 3 };
  static const double badq[] = { 0.5, 0.1 };
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  double out[8];
  TcBaselineKind kind;

  g_assert_false (tc_baseline_forecast (TC_BASELINE_NAIVE, nan4, 4, 1, 2, Q3, 3, out, &e1));
  g_assert_error (e1, TC_ERROR, TC_ERROR_EMPTY);
  g_assert_false (tc_baseline_forecast (TC_BASELINE_NAIVE, y, 3, 1, 2, badq, 2, out, &e2));
  g_assert_error (e2, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_false (tc_baseline_forecast (TC_BASELINE_NAIVE, y, 3, 1, 0, Q3, 3, out, &e3));
  g_assert_error (e3, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_true (tc_baseline_from_name ("snaive", &kind));
  g_assert_cmpint (kind, ==, TC_BASELINE_SEASONAL_NAIVE);
  g_assert_false (tc_baseline_from_name ("prophet", &kind));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/baselines/naive", test_naive);
  g_test_add_func ("/baselines/seasonal-naive", test_seasonal_naive);
  g_test_add_func ("/baselines/moving-average-gaps", test_moving_average_and_gaps);
  g_test_add_func ("/baselines/nonnegative", test_nonnegative_clip);
  g_test_add_func ("/baselines/constant", test_constant_series);
  g_test_add_func ("/baselines/croston-sba", test_croston_sba);
  g_test_add_func ("/baselines/ets-statsmodels", test_ets_statsmodels);
  g_test_add_func ("/baselines/ets-intervals-auto", test_ets_intervals_and_auto);
  g_test_add_func ("/baselines/theta", test_theta);
  g_test_add_func ("/baselines/bad-input", test_bad_input);
  return g_test_run ();
}
