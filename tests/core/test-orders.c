/* test-orders.c — order-up-to levels, stockout risks and leftovers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected number is worked out by hand in the comments, from the
 * normal distribution (Φ(0.7) = 0.7580363, φ(0.7) = 0.3122539,
 * z(0.75) = 0.6744898, z(0.9) = 1.2815516, z(0.95) = 1.6448536).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explore.h"
#include "tc-orders.h"

#define T0   G_GINT64_CONSTANT (1704067200)   /* Monday 2024-01-01 */
#define WEEK G_GINT64_CONSTANT (604800)
#define NT   8
#define Z90  1.2815516

static const float levels3[] = { 0.1f, 0.5f, 0.9f };

/* Series A and B, weekly; B has an observed "stock" column. */
static TcDataset *
make_dataset (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, 2, NT, 0, 1, 0, FALSE);
  guint s, i;

  ds->target_name = g_strdup ("units");
  ds->series_ids[0] = g_strdup ("A");
  ds->series_ids[1] = g_strdup ("B");
  ds->observed_names[0] = g_strdup ("stock");
  for (i = 0; i < NT; i++)
    ds->times[i] = T0 + i * WEEK;
  for (s = 0; s < 2; s++)
    for (i = 0; i < NT; i++)
      {
        tc_dataset_target_row (ds, s)[i] = 100;
        tc_dataset_observed_row (ds, 0, s)[i] = i < NT - 2 ? 30 + i : NAN;
      }
  tc_dataset_update_bounds (ds);
  return ds;
}

/* Every step of both series: P10/P50/P90 of N(100, 20²), so that the
 * two-piece normal through them is that normal exactly.  @nan_b leaves B
 * without a forecast. */
static TcForecast *
make_forecast (guint horizon, gboolean nan_b)
{
  TcForecast *f = g_new0 (TcForecast, 1);
  guint s, h;

  f->n_series = 2;
  f->horizon = horizon;
  f->n_quantiles = 3;
  memcpy (f->quantiles, levels3, sizeof levels3);
  f->origin = NT;
  f->times = g_new (gint64, horizon);
  for (h = 0; h < horizon; h++)
    f->times[h] = T0 + (NT + h) * WEEK;
  f->values = g_new (double, 2 * horizon * 3);
  for (s = 0; s < 2; s++)
    for (h = 0; h < horizon; h++)
      {
        double *v = f->values + (s * horizon + h) * 3;
        gboolean gone = nan_b && s == 1;

        v[0] = gone ? NAN : 100 - Z90 * 20;
        v[1] = gone ? NAN : 100;
        v[2] = gone ? NAN : 100 + Z90 * 20;
      }
  return f;
}

static void
test_quantile_function (void)
{
  /* Skewed: 20 below the median, 40 above. */
  const double skew[] = { 80, 100, 140 };
  const float levels5[] = { 0.1f, 0.25f, 0.5f, 0.75f, 0.9f };
  const double five[] = { 70, 85, 100, 120, 130 };
  const double flat[] = { 5, 5, 5 };

  /* Above the median: 100 + 40 · z(0.95) / z(0.9) = 151.339. */
  g_assert_cmpfloat_with_epsilon (tc_orders_quantile (levels3, skew, 3, 1, TRUE, 0.95), 151.3389, 1e-3);
  /* Below: 100 − 20 · z(0.7) / z(0.9) = 100 − 20 · 0.5244005 / 1.2815516 = 91.8162. */
  g_assert_cmpfloat_with_epsilon (tc_orders_quantile (levels3, skew, 3, 1, TRUE, 0.3), 91.8162, 1e-3);
  g_assert_cmpfloat_with_epsilon (tc_orders_quantile (levels3, skew, 3, 1, TRUE, 0.9), 140, 1e-4);  /* 0.9f is not 0.9 */
  /* Far below, clipped at 0 for demand, not without. */
  g_assert_cmpfloat (tc_orders_quantile (levels3, skew, 3, 1, TRUE, 1e-12), ==, 0);
  g_assert_cmpfloat (tc_orders_quantile (levels3, skew, 3, 1, FALSE, 1e-12), <, 0);
  /* Exceedance is the inverse: P(D > 140) = 0.1; P(D > 90): z = −10/20 · 1.28155
   * = −0.640776, 1 − Φ(−0.640776) = 0.739170. */
  g_assert_cmpfloat_with_epsilon (tc_orders_exceedance (levels3, skew, 3, 1, TRUE, 140), 0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (tc_orders_exceedance (levels3, skew, 3, 1, TRUE, 90), 0.739170, 1e-5);
  g_assert_cmpfloat (tc_orders_exceedance (levels3, skew, 3, 1, TRUE, -1), ==, 1);
  /* Between inner quantiles, linear in z: u = 0.6, z = 0.2533471, between
   * z(0.5) = 0 (100) and z(0.75) = 0.6744898 (120): 100 + 20 · 0.375612 = 107.512. */
  g_assert_cmpfloat_with_epsilon (tc_orders_quantile (levels5, five, 5, 2, TRUE, 0.6), 107.5122, 1e-3);
  g_assert_cmpfloat_with_epsilon (tc_orders_exceedance (levels5, five, 5, 2, TRUE, 107.5122), 0.4, 1e-5);
  /* No spread: every quantile is the value; nothing exceeds it. */
  g_assert_cmpfloat (tc_orders_quantile (levels3, flat, 3, 1, TRUE, 0.99), ==, 5);
  g_assert_cmpfloat (tc_orders_exceedance (levels3, flat, 3, 1, TRUE, 5), ==, 0);
  g_assert_cmpfloat (tc_orders_exceedance (levels3, flat, 3, 1, TRUE, 4.9), ==, 1);
}

static void
test_newsvendor (void)
{
  /* The newsvendor: one period, D ~ N(100, 20²), a unit short costs 3, a
   * unit left over 1.  Critical ratio 3 / (3 + 1) = 0.75, so
   * S = 100 + 20 · z(0.75) = 113.4898.  At S:
   *   E[(S − D)+] = σ (z Φ(z) + φ(z)) = 20 (0.6744898 · 0.75 + 0.3177766) = 16.4729
   *   E[(D − S)+] = σ (φ(z) − z (1 − Φ(z))) = 20 (0.3177766 − 0.1686225) = 2.9831 */
  const double d[] = { 100 - Z90 * 20, 100, 100 + Z90 * 20 };
  double alpha = tc_orders_critical_ratio (3, 1);
  double s, left, short_;

  g_assert_cmpfloat_with_epsilon (alpha, 0.75, 1e-12);
  g_assert_true (isnan (tc_orders_critical_ratio (0, 1)));
  s = tc_orders_quantile (levels3, d, 3, 1, TRUE, alpha);
  g_assert_cmpfloat_with_epsilon (s, 113.4898, 1e-3);
  tc_orders_expectations (levels3, d, 3, 1, TRUE, s, &left, &short_);
  g_assert_cmpfloat_with_epsilon (left, 16.4729, 0.01);
  g_assert_cmpfloat_with_epsilon (short_, 2.9831, 0.01);
  /* Leftover minus short is S − E[D] exactly, whatever the grid. */
  g_assert_cmpfloat_with_epsilon (left - short_, s - 100, 1e-6);
}

static void
test_plan_newsvendor (void)
{
  /* The same case as a plan: L = 0, R = 1, stock 40 and 10 on order
   * (position 50).  Order ⌈113.4898 − 50⌉ = 64, so 114 units serve the
   * week: z = (114 − 100) / 20 = 0.7,
   *   risk      1 − Φ(0.7) = 0.2419637
   *   leftover  20 (0.7 · 0.7580363 + 0.3122539) = 16.8576
   *   short     20 (0.3122539 − 0.7 · 0.2419637) = 2.8576 */
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcForecast) f = make_forecast (4, FALSE);
  g_autoptr (TcOrderPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL;
  g_autofree char *csv = NULL, *summary = NULL;
  TcStock stock[2] = { { 40, 10 }, { NAN, 0 } };
  TcOrderParams params = { 0, 1, 0.75 };
  const TcOrderLine *a;

  plan = tc_order_plan_new (ds, f, stock, &params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->steps, ==, 1);
  a = &plan->lines[0];
  g_assert_cmpint (a->status, ==, TC_ORDER_OK);
  g_assert_cmpint (plan->lines[1].status, ==, TC_ORDER_NO_STOCK);
  g_assert_cmpfloat_with_epsilon (a->position, 50, 1e-12);
  g_assert_cmpfloat_with_epsilon (a->order_up_to, 113.4898, 1e-3);
  g_assert_cmpfloat (a->order, ==, 64);
  /* Shown in whole units, rounded up as the order is: 50 + 64 = 114. */
  g_assert_cmpfloat (tc_order_line_level (a), ==, 114);
  g_assert_cmpfloat (tc_order_line_level (a), ==, a->position + a->order);
  g_assert_cmpfloat_with_epsilon (a->risk_end, 0.2419637, 1e-5);
  g_assert_cmpfloat_with_epsilon (a->risk[0], 0.2419637, 1e-5);
  g_assert_cmpfloat (a->risk_before_arrival, ==, 0);
  g_assert_cmpfloat_with_epsilon (a->expected_leftover, 16.8576, 0.01);
  g_assert_cmpfloat_with_epsilon (a->expected_short, 2.8576, 0.01);
  /* 50 units at 100 a week: half a week. */
  g_assert_cmpfloat_with_epsilon (a->cover_steps, 0.5, 1e-12);

  words = tc_order_line_explain (plan, a);
  g_assert_cmpstr (words[0], ==, "Order 64 units now.");
  for (guint i = 0; words[i]; i++)
    g_test_message ("%s", words[i]);
  g_assert_cmpuint (g_strv_length (words), >=, 5);

  summary = tc_order_plan_summary (plan);
  g_assert_cmpstr (summary, ==, "Order 64 units in all, for 1 of 1 series.");

  csv = tc_order_plan_csv (plan, ds);
  g_assert_true (g_str_has_prefix (csv, "series,stock,on_order,position,demand_p10,demand_p50,demand_p90,"
                                   "order_up_to,order,risk_before_arrival,risk_end,expected_leftover,"
                                   "expected_short,cover_steps,risk_1\nA,40,10,50,"));
  /* B has no stock: no row. */
  g_assert_null (strstr (csv, "\nB,"));
}

static void
test_plan_lead_time (void)
{
  /* Weekly N(100, 20²), errors comonotonic over weeks (tc-explore.h), so
   * the demand of k weeks is N(100k, (20k)²).  L = 2, R = 1, service
   * 0.9, position 150:
   *   S = 300 + 60 · 1.2815516 = 376.893, order ⌈226.893⌉ = 227
   *   risk week 1  P(D1 > 150)  = 1 − Φ(2.5)   = 0.0062097
   *   risk week 2  P(D2 > 150)  = 1 − Φ(−1.25) = 0.8943502 (before arrival)
   *   risk week 3  P(D3 > 377)  = 1 − Φ(77/60 = 1.283333) = 0.0996897
   *   cover        150 of 100 a week = 1.5 weeks */
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcForecast) f = make_forecast (4, TRUE);
  g_autoptr (TcOrderPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL, none = NULL;
  g_autofree char *summary = NULL;
  TcStock stock[2] = { { 150, 0 }, { 10, 0 } };
  TcOrderParams params = { 2, 1, 0.9 };
  const TcOrderLine *a;
  double period[3];

  plan = tc_order_plan_new (ds, f, stock, &params, &error);
  g_assert_no_error (error);
  a = &plan->lines[0];
  g_assert_cmpint (plan->lines[1].status, ==, TC_ORDER_NO_FORECAST);
  g_assert_cmpfloat_with_epsilon (a->demand[1], 300, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->demand[2], 300 + 3 * Z90 * 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->order_up_to, 376.893, 1e-3);
  g_assert_cmpfloat (a->order, ==, 227);
  g_assert_cmpfloat_with_epsilon (a->risk[0], 0.0062097, 1e-5);
  g_assert_cmpfloat_with_epsilon (a->risk[1], 0.8943502, 1e-5);
  g_assert_cmpfloat_with_epsilon (a->risk_before_arrival, 0.8943502, 1e-5);
  g_assert_cmpfloat_with_epsilon (a->risk[2], 0.0996897, 1e-5);
  g_assert_cmpfloat_with_epsilon (a->cover_steps, 1.5, 1e-12);

  /* The period's demand is the explorer's period total. */
  tc_orders_period_demand (f->values, 3, 3, 1, period);
  g_assert_cmpfloat_with_epsilon (period[0], 3 * (100 - Z90 * 20), 1e-9);

  words = tc_order_line_explain (plan, a);
  g_assert_nonnull (strstr (words[4], "only a faster delivery can"));
  none = tc_order_line_explain (plan, &plan->lines[1]);
  g_assert_cmpuint (g_strv_length (none), ==, 1);
  summary = tc_order_plan_summary (plan);
  g_assert_cmpstr (summary, ==, "Order 227 units in all, for 1 of 1 series; 1 may run out before their order arrives in 2 weeks.");
}

static void
test_plan_no_order (void)
{
  /* Position 1000 covers S = 113.49 with room to spare: no order, leftover
   * 1000 − 100 = 900, risk nil, and the stock outlasts the 4-week forecast. */
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcForecast) f = make_forecast (4, FALSE);
  g_autoptr (TcOrderPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL;
  TcStock stock[2] = { { 1000, 0 }, { 0, 0 } };
  TcOrderParams params = { 0, 1, 0.75 };

  plan = tc_order_plan_new (ds, f, stock, &params, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (plan->lines[0].order, ==, 0);
  g_assert_cmpfloat_with_epsilon (plan->lines[0].expected_leftover, 900, 1e-6);
  g_assert_cmpfloat (plan->lines[0].risk_end, <, 1e-9);
  g_assert_true (isinf (plan->lines[0].cover_steps));
  words = tc_order_line_explain (plan, &plan->lines[0]);
  g_assert_true (g_str_has_prefix (words[0], "No order needed"));
  /* B with nothing in stock orders S, rounded up. */
  g_assert_cmpfloat (plan->lines[1].order, ==, 114);
  g_assert_cmpfloat (plan->lines[1].cover_steps, ==, 0);
}

static void
test_plan_errors (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcForecast) f = make_forecast (4, FALSE);
  g_autoptr (GError) error = NULL;
  TcStock stock[2] = { { 1, 0 }, { 1, 0 } };
  TcOrderParams too_long = { 3, 2, 0.9 }, no_review = { 1, 0, 0.9 }, bad_level = { 1, 1, 1.0 };
  TcOrderPlan *plan;

  plan = tc_order_plan_new (ds, f, stock, &too_long, &error);
  g_assert_null (plan);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_nonnull (strstr (error->message, "5 weeks"));
  g_clear_error (&error);
  plan = tc_order_plan_new (ds, f, stock, &no_review, &error);
  g_assert_null (plan);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  plan = tc_order_plan_new (ds, f, stock, &bad_level, &error);
  g_assert_null (plan);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
}

static void
test_stock_file (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-orders-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stock.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree TcStock *stock = NULL, *col = NULL;
  g_auto (GStrv) unknown = NULL;
  guint matched = 0;
  TcStock *none;

  g_assert_true (g_file_set_contents (path, "on_order,SKU,stock\n10,A,40\n,Z,5\n", -1, NULL));
  stock = tc_orders_read_stock (path, ds, &matched, &unknown, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matched, ==, 1);
  g_assert_cmpfloat (stock[0].stock, ==, 40);
  g_assert_cmpfloat (stock[0].on_order, ==, 10);
  g_assert_true (isnan (stock[1].stock));
  g_assert_cmpuint (g_strv_length (unknown), ==, 1);
  g_assert_cmpstr (unknown[0], ==, "Z");

  g_assert_true (g_file_set_contents (bad, "sku,stock\nA,lots\n", -1, NULL));
  none = tc_orders_read_stock (bad, ds, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_clear_error (&error);

  /* From the data: the last known value (week 5: 30 + 5). */
  col = tc_orders_stock_from_column (ds, "stock", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (col[0].stock, ==, 35);
  g_assert_cmpfloat (col[1].stock, ==, 35);
  none = tc_orders_stock_from_column (ds, "inventory", &error);
  g_assert_null (none);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);

  g_unlink (path);
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  /* The sentences are checked in English. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/orders/quantile-function", test_quantile_function);
  g_test_add_func ("/orders/newsvendor", test_newsvendor);
  g_test_add_func ("/orders/plan-newsvendor", test_plan_newsvendor);
  g_test_add_func ("/orders/plan-lead-time", test_plan_lead_time);
  g_test_add_func ("/orders/plan-no-order", test_plan_no_order);
  g_test_add_func ("/orders/plan-errors", test_plan_errors);
  g_test_add_func ("/orders/stock-file", test_stock_file);
  return g_test_run ();
}
