/* test-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected value is worked out by hand in the comment next to it.
 */
#include <math.h>

#include "tc-metrics.h"

#define EPS 1e-9

/* y = 10 12 0 8, f = 11 9 1 8: e = f - y = 1 -3 1 0. */
static const double Y[] = { 10, 12, 0, 8 };
static const double F[] = { 11, 9, 1, 8 };
/* In-sample 5 7 6 9 10. */
static const double INS[] = { 5, 7, 6, 9, 10 };

static void
test_point_metrics (void)
{
  /* MAE = (1 + 3 + 1 + 0) / 4 = 1.25 */
  g_assert_cmpfloat_with_epsilon (tc_metric_mae (Y, F, 4), 1.25, EPS);
  /* RMSE = sqrt ((1 + 9 + 1 + 0) / 4) = sqrt 2.75 */
  g_assert_cmpfloat_with_epsilon (tc_metric_rmse (Y, F, 4), sqrt (2.75), EPS);
  /* MAPE skips y = 0: 100 (1/10 + 3/12 + 0/8) / 3 = 100 * 0.35 / 3 = 11.6667 */
  g_assert_cmpfloat_with_epsilon (tc_metric_mape (Y, F, 4), 35.0 / 3, EPS);
  /* sMAPE = 200/4 (1/21 + 3/21 + 1/1 + 0/16) = 50 (4/21 + 1) = 59.5238 */
  g_assert_cmpfloat_with_epsilon (tc_metric_smape (Y, F, 4), 50 * (4.0 / 21 + 1), EPS);
  /* WAPE = 100 * 5 / 30 */
  g_assert_cmpfloat_with_epsilon (tc_metric_wape (Y, F, 4), 100.0 * 5 / 30, EPS);
  /* bias = (1 - 3 + 1 + 0) / 4 = -0.25; % bias = 100 * -1 / 30 */
  g_assert_cmpfloat_with_epsilon (tc_metric_bias (Y, F, 4), -0.25, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_pbias (Y, F, 4), -100.0 / 30, EPS);
}

static void
test_scaled_metrics (void)
{
  /* m = 1: |diffs| of 5 7 6 9 10 = 2 1 3 1, mean 7/4; squares 4 1 9 1, mean 15/4. */
  g_assert_cmpfloat_with_epsilon (tc_metric_mase_scale (INS, 5, 1), 1.75, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_rmsse_scale (INS, 5, 1), 3.75, EPS);
  /* MASE = 1.25 / 1.75; RMSSE = sqrt (2.75 / 3.75) */
  g_assert_cmpfloat_with_epsilon (tc_metric_mase (Y, F, 4, INS, 5, 1), 1.25 / 1.75, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_rmsse (Y, F, 4, INS, 5, 1), sqrt (2.75 / 3.75), EPS);
  /* m = 2: |6-5| |9-7| |10-6| = 1 2 4, mean 7/3; MASE = 1.25 * 3 / 7 */
  g_assert_cmpfloat_with_epsilon (tc_metric_mase (Y, F, 4, INS, 5, 2), 1.25 * 3 / 7, EPS);
  /* Too short for the period: no scale. */
  g_assert_true (isnan (tc_metric_mase_scale (INS, 2, 2)));
}

static void
test_quantile_metrics (void)
{
  static const double lo[] = { 9, 10, 0, 9 };
  static const double hi[] = { 11, 13, 2, 10 };

  /* d = y - f = -1 3 -1 0.  q = 0.9: 0.1 + 2.7 + 0.1 + 0 = 2.9, / 4 = 0.725;
   * q = 0.1: 0.9 + 0.3 + 0.9 + 0 = 2.1, / 4 = 0.525; q = 0.5: 2.5 / 4. */
  g_assert_cmpfloat_with_epsilon (tc_metric_pinball (Y, F, 4, 0.9), 0.725, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_pinball (Y, F, 4, 0.1), 0.525, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_pinball (Y, F, 4, 0.5), 0.625, EPS);
  /* 10 in [9,11], 12 in [10,13], 0 in [0,2], 8 not in [9,10]: 3/4.
   * Width (2 + 3 + 2 + 1) / 4 = 2. */
  g_assert_cmpfloat_with_epsilon (tc_metric_coverage (Y, lo, hi, 4), 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_width (lo, hi, 4), 2.0, EPS);
}

static void
test_missing (void)
{
  /* The NaN step is skipped: MAE over (10,11) and (8,8) = 0.5; sMAPE
   * 200/2 (1/21 + 0) = 4.7619; both zero counts as a perfect step. */
  static const double y[] = { 10, NAN, 8 };
  static const double f[] = { 11, 3, 8 };
  static const double z[] = { 0, 0 };
  static const double allnan[] = { NAN, NAN };

  g_assert_cmpfloat_with_epsilon (tc_metric_mae (y, f, 3), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_smape (y, f, 3), 100.0 / 21, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_smape (z, z, 2), 0.0, EPS);
  g_assert_true (isnan (tc_metric_mae (allnan, f, 2)));
  g_assert_true (isnan (tc_metric_mape (z, f, 2)));
}

static void
test_skill (void)
{
  g_autofree char *better = NULL, *worse = NULL, *same = NULL, *other = NULL;

  /* 1 - 0.82 / 1 = 0.18; 1 - 1.05 / 1 = -0.05 */
  g_assert_cmpfloat_with_epsilon (tc_metric_skill (0.82, 1.0), 0.18, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metric_skill (1.05, 1.0), -0.05, EPS);
  g_assert_true (isnan (tc_metric_skill (1.0, 0.0)));
  better = tc_metric_skill_phrase (0.18, NULL);
  worse = tc_metric_skill_phrase (-0.05, NULL);
  same = tc_metric_skill_phrase (0.001, NULL);
  other = tc_metric_skill_phrase (0.5, "the naive forecast");
  g_assert_cmpstr (better, ==, "18 % better than repeating last season");
  g_assert_cmpstr (worse, ==, "5 % worse than repeating last season");
  g_assert_cmpstr (same, ==, "as good as repeating last season");
  g_assert_cmpstr (other, ==, "50 % better than the naive forecast");
}

static void
test_accumulator (void)
{
  static const double q[] = { 0.1, 0.5, 0.9 };
  /* Window A: in-sample 1 2 3 (m = 1 scale 1, last 3); actual 4 6;
   * quantiles step 1: 3 4 5, step 2: 4 5 6; point 4 5, errors 0 -1. */
  static const double ins_a[] = { 1, 2, 3 };
  static const double act_a[] = { 4, 6 };
  static const double fc_a[] = { 3, 4, 5, 4, 5, 6 };
  /* Window B: in-sample 10 8 6 (scale 2, last 6); actual 5 15;
   * quantiles 5 7 9 at both steps; point 7 7, errors 2 -8. */
  static const double ins_b[] = { 10, 8, 6 };
  static const double act_b[] = { 5, 15 };
  static const double fc_b[] = { 5, 7, 9, 5, 7, 9 };
  g_autoptr (TcMetrics) m = tc_metrics_new (2, q, 3);

  g_assert_cmpuint (tc_metrics_add (m, ins_a, 3, 1, act_a, fc_a), ==, 0);
  g_assert_cmpuint (tc_metrics_add (m, ins_b, 3, 1, act_b, fc_b), ==, 1);
  g_assert_cmpuint (tc_metrics_n_windows (m), ==, 2);
  /* MAE A = 0.5, B = (2 + 8) / 2 = 5; mean 2.75; volume weights
   * 4 + 6 = 10 and 5 + 15 = 20: (10 * 0.5 + 20 * 5) / 30 = 3.5. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_window (m, 1, TC_METRIC_MAE), 5.0, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_MAE, TC_AGGREGATE_MEAN), 2.75, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_MAE, TC_AGGREGATE_VOLUME), 3.5, EPS);
  /* MASE A = 0.5 / 1, B = 5 / 2 = 2.5; mean 1.5. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_MASE, TC_AGGREGATE_MEAN), 1.5, EPS);
  /* sMAPE A = 100 (0 + 1/11); B = 100 (2/12 + 8/22); mean of both. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_SMAPE, TC_AGGREGATE_MEAN),
                                  (100.0 / 11 + 100 * (2.0 / 12 + 8.0 / 22)) / 2, EPS);
  /* By step: step 1 |e| = 0 and 2, mean 1; step 2: 1 and 8, mean 4.5. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get_step (m, TC_METRIC_MAE, 0, TC_AGGREGATE_MEAN), 1.0,
                                  EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get_step (m, TC_METRIC_MAE, 1, TC_AGGREGATE_MEAN), 4.5,
                                  EPS);
  /* Coverage A: 4 in [3,5], 6 in [4,6] -> 1; B: 5 in [5,9], 15 not -> 0.5; mean 0.75.
   * Width A = 2, B = 4, mean 3. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_COVERAGE, TC_AGGREGATE_MEAN), 0.75,
                                  EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_WIDTH, TC_AGGREGATE_MEAN), 3.0, EPS);
  /* Pinball A: q0.1 on f 3 4: d = 1 2 -> 0.1 0.2, mean 0.15;
   * q0.5 on 4 5: d = 0 1 -> 0 0.5, mean 0.25; q0.9 on 5 6: d = -1 0 -> 0.1 0, mean 0.05.
   * Mean over levels (0.15 + 0.25 + 0.05) / 3 = 0.15. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_window_pinball (m, 0, 0), 0.15, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_window (m, 0, TC_METRIC_PINBALL), 0.15, EPS);
  /* Pinball q0.5 B: d = -2 8 -> 1 4, mean 2.5; mean over windows (0.25 + 2.5) / 2. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get_pinball (m, 1, TC_AGGREGATE_MEAN), 1.375, EPS);
  /* Direction: A predicted up (4 > 3) and went up (4 > 3): TP.  B predicted
   * up (7 > 6), went down (5 < 6): FP.  accuracy 1/2, precision 1/2,
   * recall 1/1, F1 = 2 TP / (2 TP + FP + FN) = 2/3. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_DIR_ACCURACY, 0), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_DIR_PRECISION, 0), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_DIR_RECALL, 0), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_DIR_F1, 0), 2.0 / 3, EPS);
  g_assert_cmpfloat (tc_metrics_window (m, 0, TC_METRIC_DIR_ACCURACY), ==, 1);
  g_assert_cmpfloat (tc_metrics_window (m, 1, TC_METRIC_DIR_ACCURACY), ==, 0);
  /* Bias: A (0 - 1) / 2 = -0.5, B (2 - 8) / 2 = -3; mean -1.75. */
  g_assert_cmpfloat_with_epsilon (tc_metrics_get (m, TC_METRIC_BIAS, TC_AGGREGATE_MEAN), -1.75,
                                  EPS);
  g_assert_cmpstr (tc_metric_name (TC_METRIC_RMSSE), ==, "rmsse");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/point", test_point_metrics);
  g_test_add_func ("/metrics/scaled", test_scaled_metrics);
  g_test_add_func ("/metrics/quantile", test_quantile_metrics);
  g_test_add_func ("/metrics/missing", test_missing);
  g_test_add_func ("/metrics/skill", test_skill);
  g_test_add_func ("/metrics/accumulator", test_accumulator);
  return g_test_run ();
}
