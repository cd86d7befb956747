/* test-safety.c — the baseline safety net, calibrated intervals, model file versions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-error.h"
#include "tc-forecaster.h"
#include "tc-forecaster-private.h"
#include "tc-import.h"
#include "tc-model.h"

static void
small_options (TcForecasterOptions *o, guint h)
{
  tc_forecaster_options_init (o);
  /* P10, P50, P90: the indices below are written for three levels. */
  o->n_quantiles = 3;
  o->quantiles[0] = 0.1f;
  o->quantiles[1] = 0.5f;
  o->quantiles[2] = 0.9f;
  o->horizon = h;
  o->patch = 4;
  o->preset = TC_PRESET_CUSTOM;
  o->d_model = 16;
  o->n_heads = 2;
  o->n_layers = 1;
  o->d_ff = 32;
  o->dropout = 0;
  o->lr = 3e-3f;
  o->batch = 32;
  o->max_epochs = 3;
  o->steps_per_epoch = 10;
  o->seed = 3;
  o->threads = 1;
  o->holdout = TRUE;
}

/* Weekly series from Monday 2022-01-03; @pattern: a yearly shape drawn
 * at random per series (no smooth curve the network could learn fast)
 * repeating exactly, plus Gaussian noise of sd @noise x level; without
 * @pattern just level + noise. */
static TcDataset *
make_dataset (guint n_series, guint n_times, gboolean pattern, double noise, guint32 seed)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, n_series, n_times, 0, 0, 0, FALSE);
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  double shape[52];

  ds->target_name = g_strdup ("units");
  for (guint t = 0; t < n_times; t++)
    ds->times[t] = 1641168000 + (gint64) t * 7 * 86400;
  for (guint s = 0; s < n_series; s++)
    {
      double level = 50 + 450 * g_rand_double (rng);

      ds->series_ids[s] = g_strdup_printf ("s%03u", s);
      for (guint i = 0; i < 52; i++)
        shape[i] = pattern ? 0.3 + 1.4 * g_rand_double (rng) : 1.0;
      for (guint t = 0; t < n_times; t++)
        {
          /* Box-Muller: the noise is Gaussian, so its quantiles are known. */
          double u1 = g_rand_double (rng), u2 = g_rand_double (rng);
          double z = sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2);

          tc_dataset_target_row (ds, s)[t] = level * (shape[t % 52] + noise * z);
        }
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

/* Last year's pattern repeating exactly with little noise, two years of
 * history: seasonal naive is the truth and the safety net must pick it. */

/* Few series (several validation origins) with missing weeks: windows
 * whose scored steps are all missing are left out instead of making every
 * score NaN, and the summary never says "nan". */
static void
test_missing_values (void)
{
  g_autoptr (TcDataset) ds = make_dataset (5, 104 + 13, TRUE, 0.1, 21);
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rng = g_rand_new_with_seed (5);
  g_autofree char *text = NULL;
  TcForecasterOptions o;
  const TcSafetySummary *sf;

  /* About one week in four unknown, the first and last of each series kept. */
  for (guint s = 0; s < 5; s++)
    for (guint t = 1; t + 1 < 104 + 13; t++)
      if (g_rand_double (rng) < 0.25)
        tc_dataset_target_row (ds, s)[t] = NAN;
  tc_dataset_update_bounds (ds);
  small_options (&o, 13);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sf = tc_forecaster_get_safety (fc);
  g_assert_true (sf->active);
  g_assert_true (isfinite (sf->val_mase_final));
  for (guint k = 0; k < TC_METHOD_N; k++)
    g_assert_true (isfinite (sf->val_mase[k]));
  text = tc_forecaster_get_safety_summary (fc);
  g_test_message ("%s", text);
  g_assert_null (strstr (text, "nan"));
}

static void
test_picks_seasonal_naive (void)
{
  g_autoptr (TcDataset) ds = make_dataset (40, 104 + 13, TRUE, 0.02, 11);
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  TcForecasterOptions o;
  const TcSafetySummary *sf;
  double e_fc = 0, e_sn = 0;

  small_options (&o, 13);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sf = tc_forecaster_get_safety (fc);
  g_assert_true (sf->active);
  g_assert_cmpuint (sf->global_mask, ==, 1u << TC_METHOD_SEASONAL_NAIVE);
  g_assert_cmpuint (sf->n_series, ==, 40);
  g_assert_cmpfloat (sf->val_mase_final, <=, sf->val_mase[TC_METHOD_SEASONAL_NAIVE] + 1e-12);
  text = tc_forecaster_get_safety_summary (fc);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "seasonal naive"));

  /* The holdout forecast is then last year's values. */
  f = tc_forecaster_predict_holdout (fc, ds, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 40; s++)
    for (guint k = 0; k < 13; k++)
      {
        const double *y = tc_dataset_target_row (ds, s);
        guint t = 104 + k;
        double p50 = f->values[((gsize) s * 13 + k) * f->n_quantiles + f->n_quantiles / 2];

        g_assert_cmpfloat (fabs (p50 - y[t - 52]), <, 1e-9 * (1 + fabs (y[t - 52])));
        e_fc += fabs (y[t] - p50);
        e_sn += fabs (y[t] - y[t - 52]);
      }
  g_assert_cmpfloat (e_fc, <=, e_sn * (1 + 1e-9));
}

/* Level plus Gaussian noise: the calibrated P10-P90 covers about 80 % of
 * the holdout, and quantiles stay ordered. */
static void
test_calibrated_coverage (void)
{
  g_autoptr (TcDataset) ds = make_dataset (120, 80, FALSE, 0.1, 5);
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (GError) error = NULL;
  TcForecasterOptions o;
  const TcSafetySummary *sf;
  guint inside = 0, n = 0;

  small_options (&o, 8);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sf = tc_forecaster_get_safety (fc);
  g_assert_true (sf->active);
  g_assert_cmpfloat (fabs (sf->coverage_level - 0.8), <, 1e-6);
  g_assert_cmpfloat (fabs (sf->val_coverage - 0.8), <, 0.03);
  f = tc_forecaster_predict_holdout (fc, ds, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 120; s++)
    for (guint k = 0; k < 8; k++)
      {
        const double *v = f->values + ((gsize) s * 8 + k) * 3;
        double y = tc_dataset_target_row (ds, s)[f->origins[s] + k];

        g_assert_cmpfloat (v[0], <=, v[1]);
        g_assert_cmpfloat (v[1], <=, v[2]);
        inside += y >= v[0] && y <= v[2];
        n++;
      }
  g_test_message ("holdout coverage %.3f (validation %.3f, before calibration %.3f)",
                  (double) inside / n, sf->val_coverage, sf->val_coverage_raw);
  /* 960 points: the binomial sd of the share is 0.013. */
  g_assert_cmpfloat ((double) inside / n, >=, 0.74);
  g_assert_cmpfloat ((double) inside / n, <=, 0.86);
}

/* Count data: quantiles never go below zero, and stay ordered. */
static void
test_counts_nonnegative (void)
{
  g_autoptr (TcDataset) ds = make_dataset (30, 80, FALSE, 0.1, 9);
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (GError) error = NULL;
  TcForecasterOptions o;

  /* Small counts, many zeros: wide relative intervals. */
  for (guint s = 0; s < 30; s++)
    for (guint t = 0; t < 80; t++)
      {
        double *y = &tc_dataset_target_row (ds, s)[t];

        *y = MAX (0, round ((*y - 40) / 100));
      }
  small_options (&o, 8);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f = tc_forecaster_predict (fc, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < (gsize) 30 * 8; i++)
    {
      const double *v = f->values + i * 3;

      g_assert_cmpfloat (v[0], >=, 0);
      g_assert_cmpfloat (v[0], <=, v[1]);
      g_assert_cmpfloat (v[1], <=, v[2]);
    }
}

/* The safety net's choice and calibration survive save and load, the
 * series' own offsets included (30 series of 160 weeks: few enough for
 * the history-shaped calibration): the same forecasts, the same summary;
 * a newer version is refused clearly. */
static void
test_round_trip (void)
{
  g_autoptr (TcDataset) ds = make_dataset (30, 160, TRUE, 0.1, 21);
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecaster) back = NULL;
  g_autoptr (TcForecast) a = NULL;
  g_autoptr (TcForecast) b = NULL;
  g_autoptr (TcModel) model = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.tcm", NULL);
  g_autofree char *path2 = g_build_filename (dir, "newer.tcm", NULL);
  g_autofree char *meta = NULL, *newer = NULL, *s1 = NULL, *s2 = NULL;
  TcForecasterOptions o;

  small_options (&o, 8);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tc_forecaster_save (fc, path, &error));
  back = tc_forecaster_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (tc_forecaster_get_safety (back)->active);
  g_assert_cmpuint (tc_forecaster_get_safety (fc)->n_history_shaped, ==, 30);
  g_assert_cmpuint (tc_forecaster_get_safety (back)->n_history_shaped, ==, 30);
  g_assert_cmpuint (tc_forecaster_get_safety (back)->global_mask, ==,
                    tc_forecaster_get_safety (fc)->global_mask);
  s1 = tc_forecaster_get_safety_summary (fc);
  s2 = tc_forecaster_get_safety_summary (back);
  g_assert_cmpstr (s1, ==, s2);
  a = tc_forecaster_predict (fc, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  b = tc_forecaster_predict (back, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  /* Up to float rounding: the loaded model runs on all cores. */
  for (guint i = 0; i < 30 * 8 * 3; i++)
    g_assert_cmpfloat (fabs (a->values[i] - b->values[i]), <=, 1e-5 * (1 + fabs (a->values[i])));
  /* The series' own intervals differ: their shapes come from their own
   * histories. */
  {
    double w0 = a->values[2] - a->values[0], w1 = a->values[8 * 3 + 2] - a->values[8 * 3 + 0];
    double l0 = a->values[1], l1 = a->values[8 * 3 + 1];

    g_assert_cmpfloat (fabs (w0 / l0 - w1 / l1), >, 1e-6);
  }

  /* The same file claiming a version from the future. */
  model = tc_model_load (path, &meta, &error);
  g_assert_no_error (error);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();

    g_assert_true (json_parser_load_from_data (parser, meta, -1, NULL));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                                 "version"), ==, 3);
    json_object_set_int_member (json_node_get_object (json_parser_get_root (parser)), "version", 9);
    json_generator_set_root (gen, json_parser_get_root (parser));
    newer = json_generator_to_data (gen, NULL);
  }
  g_assert_true (tc_model_save (model, newer, path2, &error));
  g_clear_pointer (&back, tc_forecaster_free);
  back = tc_forecaster_load (path2, &error);
  g_assert_null (back);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "version 9"));
  g_clear_error (&error);

  /* A series' own offsets damaged (a string among the numbers, or too
   * few of them): a clear error, no warning. */
  for (guint damage = 0; damage < 2; damage++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autofree char *bad = NULL;
      JsonObject *root, *cal;
      JsonArray *arr;

      g_assert_true (json_parser_load_from_data (parser, meta, -1, NULL));
      root = json_node_get_object (json_parser_get_root (parser));
      cal = json_object_get_object_member (json_object_get_object_member (root, "safety"),
                                           "series_calibration");
      arr = json_object_get_array_member (cal, "s000");
      json_array_remove_element (arr, 0);
      if (damage == 0)
        json_array_add_string_element (arr, "x");
      json_generator_set_root (gen, json_parser_get_root (parser));
      bad = json_generator_to_data (gen, NULL);
      g_assert_true (tc_model_save (model, bad, path2, &error));
      g_clear_pointer (&back, tc_forecaster_free);
      back = tc_forecaster_load (path2, &error);
      g_assert_null (back);
      g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
      g_clear_error (&error);
    }
  g_unlink (path);
  g_unlink (path2);
  g_rmdir (dir);
}

/* A version-1 file (written by Trendcast before the safety net and the
 * seasonal lags) still loads and forecasts as it did: the network alone. */
static void
test_version1_file (void)
{
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, 3, 60, 0, 0, 0, FALSE);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *summary = NULL;
  g_auto (GStrv) lines = NULL;
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "forecaster", "v1-model.tcm", NULL);
  const char *csv = g_test_get_filename (G_TEST_DIST, "data", "forecaster", "v1-forecast.csv", NULL);

  /* The data of v1-weekly.csv, which the file was trained on. */
  ds->target_name = g_strdup ("units");
  for (guint t = 0; t < 60; t++)
    ds->times[t] = 1641168000 + (gint64) t * 7 * 86400;
  for (guint s = 0; s < 3; s++)
    {
      ds->series_ids[s] = g_strdup_printf ("sku%u", s);
      for (guint t = 0; t < 60; t++)
        tc_dataset_target_row (ds, s)[t] = round (20 + 10 * s + 5 * sin (2 * G_PI * t / 52 + s));
    }
  tc_dataset_update_bounds (ds);

  fc = tc_forecaster_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (tc_forecaster_get_safety (fc)->active);
  summary = tc_forecaster_get_safety_summary (fc);
  g_assert_nonnull (strstr (summary, "Transformer's alone"));
  f = tc_forecaster_predict (fc, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->horizon, ==, 4);
  /* The forecast that version wrote, to its 6 significant digits. */
  g_assert_true (g_file_get_contents (csv, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) col = g_strsplit (lines[i], ",", -1);

      for (guint q = 0; q < 3; q++)
        {
          double want = g_ascii_strtod (col[2 + q], NULL);

          g_assert_cmpfloat (fabs (f->values[(gsize) (i - 1) * 3 + q] - want), <, 1e-3 * (1 + fabs (want)));
        }
    }
}

/* A version-2 file (global calibration only, before the series' own
 * offsets) loads and forecasts as that version did.  Written by
 * trendcast-cli train v2-weekly.csv --horizon 4 --d-model 8 --heads 2
 * --layers 1 --d-ff 8 --max-epochs 2 --seed 1 --threads 1 at commit
 * 44db1e8, with its forecast. */
static void
test_version2_file (void)
{
  g_autoptr (TcForecaster) fc = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  const char *path = g_test_get_filename (G_TEST_DIST, "data", "forecaster", "v2-model.tcm", NULL);
  const char *data = g_test_get_filename (G_TEST_DIST, "data", "forecaster", "v2-weekly.csv", NULL);
  const char *csv = g_test_get_filename (G_TEST_DIST, "data", "forecaster", "v2-forecast.csv", NULL);

  ds = tc_import_file (data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fc = tc_forecaster_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (tc_forecaster_get_safety (fc)->active);
  g_assert_cmpuint (tc_forecaster_get_safety (fc)->n_history_shaped, ==, 0);
  f = tc_forecaster_predict (fc, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->horizon, ==, 4);
  g_assert_true (g_file_get_contents (csv, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) col = g_strsplit (lines[i], ",", -1);

      for (guint q = 0; q < 3; q++)
        {
          double want = g_ascii_strtod (col[2 + q], NULL);

          g_assert_cmpfloat (fabs (f->values[(gsize) (i - 1) * 3 + q] - want), <, 1e-3 * (1 + fabs (want)));
        }
    }
}

/* Few series (many validation origins each) that differ in kind, with
 * lasting level shifts at random times: calm series, noisy ones, and
 * ones with rare upward spikes nobody knows in advance.  Trained at four
 * origins 20 weeks apart, the P10-P90 interval covers about 80 % of the
 * next 8 weeks (measured: 0.885; 0.87 before the shape was measured from
 * the reference's median error; pooled offsets with the same
 * finite-sample widening: 0.93), and the calm series are not left below
 * it. */
static TcDataset *
make_shifting (guint n_series, guint n_times, guint32 seed)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, n_series, n_times, 0, 0, 0, FALSE);
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);

  ds->target_name = g_strdup ("units");
  for (guint t = 0; t < n_times; t++)
    ds->times[t] = 1641168000 + (gint64) t * 7 * 86400;
  for (guint s = 0; s < n_series; s++)
    {
      double level = 100 + 900 * g_rand_double (rng);
      guint kind = s % 3;   /* 0 calm, 1 noisy, 2 spiky */
      double sd = kind == 1 ? 0.15 : 0.04;

      ds->series_ids[s] = g_strdup_printf ("s%03u", s);
      for (guint t = 0; t < n_times; t++)
        {
          double u1 = g_rand_double (rng), u2 = g_rand_double (rng);
          double z = sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2);
          double v;

          /* A lasting shift of up to 25 % about twice a year. */
          if (g_rand_double (rng) < 0.04)
            level *= 0.75 + 0.5 * g_rand_double (rng);
          v = level * (1 + sd * z);
          if (kind == 2 && g_rand_double (rng) < 0.08)
            v *= 3;
          tc_dataset_target_row (ds, s)[t] = v;
        }
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

static void
test_coverage_few_series (void)
{
  g_autoptr (TcDataset) full = make_shifting (12, 260, 17);
  guint inside = 0, n = 0, below_calm = 0, n_calm = 0;
  const guint H = 8;

  /* Four forecast origins, 20 weeks apart: the data after each is cut. */
  for (guint cut = 0; cut < 4; cut++)
    {
      guint end = 260 - 20 * cut;
      g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, 12, end, 0, 0, 0, FALSE);
      g_autoptr (TcForecaster) fc = NULL;
      g_autoptr (TcForecast) f = NULL;
      g_autoptr (GError) error = NULL;
      TcForecasterOptions o;
      const TcSafetySummary *sf;

      ds->target_name = g_strdup ("units");
      for (guint t = 0; t < end; t++)
        ds->times[t] = full->times[t];
      for (guint s = 0; s < 12; s++)
        {
          ds->series_ids[s] = g_strdup (full->series_ids[s]);
          memcpy (tc_dataset_target_row (ds, s), tc_dataset_target_row (full, s), sizeof (double) * end);
        }
      tc_dataset_update_bounds (ds);
      small_options (&o, H);
      o.seed = 3 + cut;
      fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      sf = tc_forecaster_get_safety (fc);
      g_assert_true (sf->active);
      g_assert_cmpuint (sf->n_history_shaped, ==, 12);
      f = tc_forecaster_predict_holdout (fc, ds, &error);
      g_assert_no_error (error);
      for (guint s = 0; s < 12; s++)
        for (guint k = 0; k < H; k++)
          {
            const double *v = f->values + ((gsize) s * H + k) * 3;
            double y = tc_dataset_target_row (ds, s)[f->origins[s] + k];

            g_assert_cmpfloat (v[0], <=, v[1]);
            g_assert_cmpfloat (v[1], <=, v[2]);
            inside += y >= v[0] && y <= v[2];
            n++;
            if (s % 3 == 0)
              {
                below_calm += y < v[0];
                n_calm++;
              }
          }
    }
  g_test_message ("holdout coverage %.3f over %u points; calm series below P10: %.3f",
                  (double) inside / n, n, (double) below_calm / n_calm);
  /* 384 points, strongly correlated within a series and window: wide
   * bounds, but a pooled calibration fell well outside them. */
  g_assert_cmpfloat ((double) inside / n, >=, 0.72);
  g_assert_cmpfloat ((double) inside / n, <=, 0.92);
  g_assert_cmpfloat ((double) below_calm / n_calm, <=, 0.2);
}

/* The calibration's two small functions against hand-computed values
 * (tc_quantile_sorted interpolates: v[lo] + frac x (v[lo + 1] - v[lo])
 * at (n - 1) p; the levels are floats, hence 1e-6). */
static void
test_level_factors (void)
{
  const float lv[3] = { 0.1f, 0.5f, 0.9f };
  double f[3], work[10], shape[3];

  /* One window (n_eff 1) that erred downwards only; the lower side's
   * shape 1, the upper's 2.  Per tail the upper factor would be 0: a
   * zero-width upper side.  The interval's two-sided score -z / 1 is
   * {2, 1, 3}, taken at level min (1, 0.8 + 0.8 / 1): its maximum. */
  {
    const double z[3] = { -2, -1, -3 };
    const double h[9] = { 1, 0, 2, 1, 0, 2, 1, 0, 2 };

    tc_safety_level_factors (z, h, 3, lv, 3, 1, 1.0, f, work);
    g_assert_cmpfloat_with_epsilon (f[0], -3, 1e-12);
    g_assert_cmpfloat (f[1], ==, 0);
    g_assert_cmpfloat_with_epsilon (f[2], 3, 1e-12);
  }
  /* n_eff 9 is the last that is two-sided for the 10 % level
   * (0.1 - 0.9 / 9 = 0): scores {1, 4 / 2} at level 0.8 + 0.8 / 9. */
  {
    const double z[2] = { -1, 4 };
    const double h[6] = { 1, 0, 2, 1, 0, 2 };

    tc_safety_level_factors (z, h, 2, lv, 3, 1, 9.0, f, work);
    g_assert_cmpfloat_with_epsilon (f[0], -(1 + (0.8 + 0.8 / 9)), 1e-6);
    g_assert_cmpfloat_with_epsilon (f[2], 1 + (0.8 + 0.8 / 9), 1e-6);
  }
  /* Enough windows (n_eff 20): per tail, at 0.1 - 0.9 / 20 = 0.055 and
   * 0.9 + 0.9 / 20 = 0.945 of z / 1 = {-3 .. 7}: positions 0.495, 8.505. */
  {
    const double z[10] = { 5, -3, 1, 7, -1, 2, 3, -2, 4, 6 };
    double h[30];

    for (guint i = 0; i < 10; i++)
      {
        h[i * 3] = 1;
        h[i * 3 + 1] = 0;
        h[i * 3 + 2] = 1;
      }
    tc_safety_level_factors (z, h, 10, lv, 3, 1, 20.0, f, work);
    g_assert_cmpfloat_with_epsilon (f[0], -3 + 0.495, 1e-6);
    g_assert_cmpfloat_with_epsilon (f[2], 6 + 0.505, 1e-6);
  }
  /* The shape, measured from the reference's median error (2): a biased
   * reference still gives both sides a width. */
  {
    const double buf[5] = { 0, 1, 2, 3, 10 };
    const double flat[3] = { 1, 1, 1 };

    g_assert_true (tc_safety_shape_levels (buf, 5, lv, 3, 1, shape));
    g_assert_cmpfloat_with_epsilon (shape[0], 2 - 0.4, 1e-6);
    g_assert_cmpfloat (shape[1], ==, 0);
    g_assert_cmpfloat_with_epsilon (shape[2], 3 + 0.6 * 7 - 2, 1e-6);
    g_assert_false (tc_safety_shape_levels (flat, 3, lv, 3, 1, shape));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safety/picks-seasonal-naive", test_picks_seasonal_naive);
  g_test_add_func ("/safety/calibrated-coverage", test_calibrated_coverage);
  g_test_add_func ("/safety/counts-nonnegative", test_counts_nonnegative);
  g_test_add_func ("/safety/round-trip", test_round_trip);
  g_test_add_func ("/safety/version1-file", test_version1_file);
  g_test_add_func ("/safety/version2-file", test_version2_file);
  g_test_add_func ("/safety/coverage-few-series", test_coverage_few_series);
  g_test_add_func ("/safety/level-factors", test_level_factors);
  g_test_add_func ("/safety/missing-values", test_missing_values);
  return g_test_run ();
}
