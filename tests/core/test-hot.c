/* test-hot.c — growth ranking and forecasts borrowed from analogues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synthetic data whose growth and analogues are known by construction;
 * the expected numbers are worked out in the comments.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-hot.h"

#define T0   G_GINT64_CONSTANT (1704067200)   /* Monday 2024-01-01 */
#define WEEK G_GINT64_CONSTANT (604800)
#define NT   30
#define H    6

static TcForecast *
forecast_new (guint n_series)
{
  TcForecast *f = g_new0 (TcForecast, 1);
  guint h;

  f->n_series = n_series;
  f->horizon = H;
  f->n_quantiles = 3;
  f->quantiles[0] = 0.1f;
  f->quantiles[1] = 0.5f;
  f->quantiles[2] = 0.9f;
  f->origin = NT;
  f->times = g_new (gint64, H);
  for (h = 0; h < H; h++)
    f->times[h] = T0 + (NT + h) * WEEK;
  f->values = g_new (double, (gsize) n_series * H * 3);
  for (h = 0; h < (guint) n_series * H * 3; h++)
    f->values[h] = NAN;
  return f;
}

static void
set_steps (TcForecast *f, guint s, double p10, double p50, double p90)
{
  for (guint h = 0; h < H; h++)
    {
      double *v = f->values + ((gsize) s * H + h) * 3;

      v[0] = p10;
      v[1] = p50;
      v[2] = p90;
    }
}

static TcDataset *
dataset_new (guint n_series, guint n_static)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, n_series, NT, 0, 0, n_static, FALSE);

  ds->target_name = g_strdup ("units");
  for (guint i = 0; i < NT; i++)
    ds->times[i] = T0 + i * WEEK;
  for (gsize i = 0; i < (gsize) n_series * NT; i++)
    ds->target[i] = NAN;
  return ds;
}

static void
test_ranking (void)
{
  /* Four established products selling 100 a week, so the last 4 weeks
   * sum to 400 (D misses one of them: 300 over 3 known weeks, scaled to
   * 400).  Forecast per week, the same every week; the 4-week quantiles
   * are 4 times those (tc-explore.h: steps add up):
   *   A 110/125/140 -> 440/500/560: +10/+25/+40 %
   *   B  90/100/110 -> 360/400/440: −10/0/+10 %
   *   C  70/80/90   -> 280/320/360: −30/−20/−10 %
   *   D 100/120/140 -> 400/480/560: 0/+20/+40 %
   * Ranked by median growth: A, D, B, C.  A's chance of growth: 400 lies
   * below its P10 on the normal tail with the lower spread
   * (500 − 440) / 1.2815516 = 46.8184 per z: z = −1.2815516 − 40 / 46.8184
   * = −2.1359, P(next > 400) = Φ(2.1359) = 0.98366. */
  static const char *ids[] = { "A", "B", "C", "D" };
  g_autoptr (TcDataset) ds = dataset_new (4, 0);
  g_autoptr (TcForecast) f = forecast_new (4);
  g_autoptr (TcHotReport) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *words_a = NULL, *words_b = NULL, *words_c = NULL, *csv = NULL;
  TcHotOptions opts = { 0 };
  guint s, i;

  for (s = 0; s < 4; s++)
    {
      ds->series_ids[s] = g_strdup (ids[s]);
      for (i = 0; i < NT; i++)
        tc_dataset_target_row (ds, s)[i] = 100;
    }
  tc_dataset_target_row (ds, 3)[NT - 3] = NAN;
  tc_dataset_update_bounds (ds);
  set_steps (f, 0, 110, 125, 140);
  set_steps (f, 1, 90, 100, 110);
  set_steps (f, 2, 70, 80, 90);
  set_steps (f, 3, 100, 120, 140);

  r = tc_hot_report_new (ds, f, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->steps, ==, 4);
  g_assert_cmpuint (r->items[0].series, ==, 0);
  g_assert_cmpuint (r->items[1].series, ==, 3);
  g_assert_cmpuint (r->items[2].series, ==, 1);
  g_assert_cmpuint (r->items[3].series, ==, 2);
  g_assert_cmpint (r->items[0].source, ==, TC_HOT_MODEL);
  g_assert_cmpfloat_with_epsilon (r->items[0].recent, 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->items[1].recent, 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->items[0].growth_lo, 0.10, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->items[0].growth, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->items[0].growth_hi, 0.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->items[0].chance_of_growth, 0.98366, 1e-4);
  g_assert_cmpfloat_with_epsilon (r->items[2].chance_of_growth, 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->items[3].growth, -0.20, 1e-9);

  words_a = tc_hot_item_explain (r, &r->items[0], ds);
  g_assert_cmpstr (words_a, ==, "Likely to grow 10–40 % over the next 4 weeks (most likely +25\u00a0%) on the last 4 weeks; "
                                "98\u00a0% chance of growth.");
  words_b = tc_hot_item_explain (r, &r->items[2], ds);
  g_assert_cmpstr (words_b, ==, "Next 4 weeks likely between −10\u00a0% and +10\u00a0% of the last 4 weeks (most likely ±0\u00a0%); "
                                "50\u00a0% chance of growth.");
  words_c = tc_hot_item_explain (r, &r->items[3], ds);
  g_assert_true (g_str_has_prefix (words_c, "Likely to fall 10–30 % over the next 4 weeks (most likely −20\u00a0%)"));

  csv = tc_hot_report_csv (r, ds);
  g_assert_true (g_str_has_prefix (csv, "rank,series,source,age,recent,next_p10,next_p50,next_p90,growth_p10,"
                                        "growth_p50,growth_p90,chance_of_growth,analogues\n"
                                        "1,A,model,30,400,440,500,560,10,25,40,0.983"));
  g_assert_nonnull (strstr (csv, "\n4,C,model,30,400,280,320,360,-30,-20,-10,"));
}

/* Launch curves: category X (brand P) sells level × (10 + 10 t) at age t,
 * category Y (brand P) 100 − 2t (Y1) and 80 − 1.6t (Y2). */
enum { X1, X2, X3, XQ, Y1, Y2, N, M, N_SERIES };

static TcDataset *
launches (void)
{
  static const char *ids[] = { "X1", "X2", "X3", "XQ", "Y1", "Y2", "N", "M" };
  static const char *cat[] = { "X", "X", "X", "X", "Y", "Y", "X", "Y" };
  static const char *brand[] = { "P", "P", "P", "Q", "P", "P", "P", "P" };
  static const guint start[] = { 0, 5, 10, 0, 0, 2 };
  static const double level[] = { 1, 2, 3, 2 };
  TcDataset *ds = dataset_new (N_SERIES, 2);
  guint s, i;

  ds->static_names[0] = g_strdup ("category");
  ds->static_names[1] = g_strdup ("brand");
  for (s = 0; s < N_SERIES; s++)
    {
      ds->series_ids[s] = g_strdup (ids[s]);
      ds->static_values[s * 2] = g_strdup (cat[s]);
      ds->static_values[s * 2 + 1] = g_strdup (brand[s]);
    }
  for (s = X1; s <= XQ; s++)
    for (i = start[s]; i < NT; i++)
      tc_dataset_target_row (ds, s)[i] = level[s] * (10 + 10.0 * (i - start[s]));
  for (i = start[Y1]; i < NT; i++)
    tc_dataset_target_row (ds, Y1)[i] = 100 - 2.0 * (i - start[Y1]);
  for (i = start[Y2]; i < NT; i++)
    tc_dataset_target_row (ds, Y2)[i] = 80 - 1.6 * (i - start[Y2]);
  /* N: three weeks of sales, exactly X2's start (20, 40, 60).  M: none yet. */
  for (i = 0; i < 3; i++)
    tc_dataset_target_row (ds, N)[NT - 3 + i] = 20 + 20.0 * i;
  tc_dataset_update_bounds (ds);
  return ds;
}

static void
test_borrowed (void)
{
  /* N (category X, brand P, age 3) borrows from X1, X2, X3 only: XQ has
   * another brand, Y1 and Y2 another category.  Each is scaled to N's
   * first three weeks (120): X1 by 120 / 60 = 2, X2 by 1, X3 by 120 / 180,
   * which makes all three 2 × (10 + 10 t): at ages 3 … 8 every quantile is
   * 80, 100, 120, 140, 160, 180, nearest first X2 (distance 0).
   * M (Y, P, no sales) borrows Y1 and Y2 at their launch, unscaled: at age
   * h the values 100 − 2h and 0.8 (100 − 2h), whose P10/P50/P90 (linear
   * between the two) are 0.82, 0.9 and 0.98 × (100 − 2h). */
  g_autoptr (TcDataset) ds = launches ();
  g_autoptr (TcForecast) f = forecast_new (N_SERIES);
  g_autoptr (TcHotReport) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *words_n = NULL, *words_m = NULL, *csv = NULL;
  TcHotOptions opts = { 0 };
  const TcHotItem *n = NULL, *m = NULL;
  guint s, h;

  for (s = X1; s <= Y2; s++)
    set_steps (f, s, 90, 100, 110);
  r = tc_hot_report_new (ds, f, &opts, &error);
  g_assert_no_error (error);
  for (s = 0; s < r->n_items; s++)
    {
      if (r->items[s].series == N)
        n = &r->items[s];
      if (r->items[s].series == M)
        m = &r->items[s];
    }
  g_assert_nonnull (n);
  g_assert_nonnull (m);
  /* Borrowed forecasts come after the model's ranking. */
  g_assert_cmpint (r->items[r->n_items - 1].source, ==, TC_HOT_BORROWED);
  g_assert_cmpint (r->items[0].source, ==, TC_HOT_MODEL);

  g_assert_cmpint (n->source, ==, TC_HOT_BORROWED);
  g_assert_cmpuint (n->age, ==, 3);
  g_assert_cmpuint (n->n_analogues, ==, 3);
  g_assert_cmpuint (n->attributes_matched, ==, 2);
  g_assert_cmpuint (n->analogues[0], ==, X2);
  for (guint i = 0; i < 3; i++)
    g_assert_true (n->analogues[i] == X1 || n->analogues[i] == X2 || n->analogues[i] == X3);
  for (h = 0; h < H; h++)
    for (guint q = 0; q < 3; q++)
      g_assert_cmpfloat_with_epsilon (n->forecast[h * 3 + q], 80 + 20.0 * h, 1e-9);
  /* Next 4 weeks: 80 + 100 + 120 + 140. */
  g_assert_cmpfloat_with_epsilon (n->next[1], 440, 1e-9);

  g_assert_cmpint (m->source, ==, TC_HOT_BORROWED);
  g_assert_cmpuint (m->age, ==, 0);
  g_assert_cmpuint (m->n_analogues, ==, 2);
  g_assert_cmpuint (m->analogues[0], ==, Y1);
  g_assert_cmpuint (m->analogues[1], ==, Y2);
  for (h = 0; h < H; h++)
    {
      double y1 = 100 - 2.0 * h;

      g_assert_cmpfloat_with_epsilon (m->forecast[h * 3 + 0], 0.82 * y1, 1e-6);
      g_assert_cmpfloat_with_epsilon (m->forecast[h * 3 + 1], 0.90 * y1, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->forecast[h * 3 + 2], 0.98 * y1, 1e-6);
    }

  words_n = tc_hot_item_explain (r, n, ds);
  g_test_message ("%s", words_n);
  g_assert_true (g_str_has_prefix (words_n, "New product (3 weeks of sales): forecast borrowed from 3 similar products "
                                            "(category X, brand P) with the most alike start: X2, "));
  words_m = tc_hot_item_explain (r, m, ds);
  g_test_message ("%s", words_m);
  g_assert_true (g_str_has_prefix (words_m, "New product, no sales yet: forecast borrowed from 2 similar products "
                                            "(category Y, brand P): Y1, Y2, at their launch."));
  g_assert_nonnull (strstr (words_m, "narrow by chance"));

  csv = tc_hot_borrowed_csv (r, ds, f);
  g_assert_nonnull (strstr (csv, "\nN,2024-07-29,80,80,80,borrowed,X2 "));
  g_assert_nonnull (strstr (csv, "\nM,2024-07-29,82,90,98,borrowed,Y1 Y2\n"));
}

static void
test_no_analogue (void)
{
  /* Every series is new: nothing to borrow from. */
  g_autoptr (TcDataset) ds = dataset_new (2, 0);
  g_autoptr (TcForecast) f = forecast_new (2);
  g_autoptr (TcHotReport) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *words = NULL;
  TcHotOptions too_long = { H + 1, 0, 0 }, opts = { 0 };

  ds->series_ids[0] = g_strdup ("A");
  ds->series_ids[1] = g_strdup ("B");
  tc_dataset_target_row (ds, 0)[NT - 1] = 5;
  tc_dataset_update_bounds (ds);
  g_assert_null (tc_hot_report_new (ds, f, &too_long, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  r = tc_hot_report_new (ds, f, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->items[0].source, ==, TC_HOT_NO_ANALOGUE);
  g_assert_cmpint (r->items[1].source, ==, TC_HOT_NO_ANALOGUE);
  words = tc_hot_item_explain (r, &r->items[0], ds);
  g_assert_true (g_str_has_prefix (words, "New product (1 week of sales): no established product"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hot/ranking", test_ranking);
  g_test_add_func ("/hot/borrowed", test_borrowed);
  g_test_add_func ("/hot/no-analogue", test_no_analogue);
  return g_test_run ();
}
