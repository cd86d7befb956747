/* test-backtest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-backtest.h"
#include "tc-error.h"

#define N_TIMES 60

/* Three weekly series with a period-4 pattern and a trend; the third
 * starts late and has a gap; one observed covariate. */
static TcDataset *
make_dataset (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, 3, N_TIMES, 1, 1, 0, TRUE);

  ds->text_name = g_strdup ("review");
  for (guint s = 0; s < 3; s++)
    {
      double *y = tc_dataset_target_row (ds, s);

      ds->series_ids[s] = g_strdup_printf ("s%u", s);
      for (guint t = 0; t < N_TIMES; t++)
        {
          static const double pat[] = { 1.0, 1.3, 0.8, 0.9 };

          y[t] = (20 + 5 * s + 0.3 * t) * pat[t % 4] + ((t * 7 + s * 3) % 5) * 0.4;
          tc_dataset_observed_row (ds, 0, s)[t] = 100 + t;
          tc_dataset_known_row (ds, 0, s)[t] = t % 2;
          ds->text[(gsize) s * N_TIMES + t] = g_strdup_printf ("text %u", t);
        }
      ds->times[0] = 0;
    }
  for (guint t = 0; t < 12; t++)
    tc_dataset_target_row (ds, 2)[t] = NAN;
  tc_dataset_target_row (ds, 2)[20] = NAN;
  for (guint t = 1; t < N_TIMES; t++)
    ds->times[t] = tc_frequency_advance (TC_FREQ_WEEKLY, ds->times[t - 1], 1);
  tc_dataset_update_bounds (ds);
  return ds;
}

typedef struct
{
  const TcDataset *orig;
  guint            calls;
  guint            fits;
  guint            fit_cutoffs[8];
  TcBaselineSpec   spec;
} LeakCheck;

/* A model that asserts it never receives any value at or past its cutoff,
 * and that everything before the cutoff is intact. */
static gboolean
leak_forecast (const TcDataset *view, guint series, guint cutoff, guint h, const double *q,
               guint nq, double *out, gpointer user_data, GError **error)
{
  LeakCheck *lc = user_data;

  lc->calls++;
  g_assert_cmpuint (view->n_times, ==, lc->orig->n_times);
  for (guint s = 0; s < view->n_series; s++)
    {
      const double *y = tc_dataset_target_row (view, s);
      const double *yo = tc_dataset_target_row (lc->orig, s);

      g_assert_cmpuint (view->end[s], <=, cutoff);
      for (guint t = 0; t < view->n_times; t++)
        {
          if (t >= cutoff)
            {
              g_assert_true (isnan (y[t]));
              g_assert_true (isnan (tc_dataset_observed_row (view, 0, s)[t]));
              g_assert_null (view->text[(gsize) s * view->n_times + t]);
            }
          else
            g_assert_true ((isnan (y[t]) && isnan (yo[t])) || y[t] == yo[t]);
          /* Known-future covariates stay visible. */
          g_assert_cmpfloat (tc_dataset_known_row (view, 0, s)[t], ==, t % 2);
        }
    }
  return tc_backtest_baseline_forecast (view, series, cutoff, h, q, nq, out, &lc->spec, error);
}

static gboolean
leak_fit (const TcDataset *view, guint cutoff, gpointer user_data, GCancellable *cancellable,
          GError **error)
{
  LeakCheck *lc = user_data;

  for (guint s = 0; s < view->n_series; s++)
    g_assert_cmpuint (view->end[s], <=, cutoff);
  lc->fit_cutoffs[lc->fits++] = cutoff;
  return TRUE;
}

static void
test_folds_and_leaks (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcBacktestResult) res = NULL;
  g_autoptr (GError) error = NULL;
  LeakCheck lc = { ds, 0, 0, { 0 }, { TC_BASELINE_NAIVE, 0 } };
  LeakCheck lc2 = { ds, 0, 0, { 0 }, { TC_BASELINE_NAIVE, 0 } };
  TcBacktestModel models[2] = {
    { "leak-retrain", leak_forecast, leak_fit, TRUE, &lc },
    { "leak-reuse", leak_forecast, leak_fit, FALSE, &lc2 },
  };
  TcBacktestConfig cfg = { .h = 4, .n_folds = 3, .step = 2, .m = 4 };

  res = tc_backtest_run (ds, &cfg, models, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* c_k = E - h - (K - 1 - k) s = 60 - 4 - (2 - k) 2 = 52, 54, 56. */
  g_assert_cmpuint (res->cutoffs[0], ==, 52);
  g_assert_cmpuint (res->cutoffs[1], ==, 54);
  g_assert_cmpuint (res->cutoffs[2], ==, 56);
  /* 3 folds x 3 series. */
  g_assert_cmpuint (lc.calls, ==, 9);
  g_assert_cmpuint (tc_metrics_n_windows (res->metrics[0]), ==, 9);
  /* Retrain: one fit per fold at its cutoff; reuse: one fit, on fold 0. */
  g_assert_cmpuint (lc.fits, ==, 3);
  g_assert_cmpuint (lc.fit_cutoffs[2], ==, 56);
  g_assert_cmpuint (lc2.fits, ==, 1);
  g_assert_cmpuint (lc2.fit_cutoffs[0], ==, 52);
}

static const TcBaselineKind poison_kinds[] = {
  TC_BASELINE_SEASONAL_NAIVE, TC_BASELINE_ETS, TC_BASELINE_THETA, TC_BASELINE_SBA,
};

static TcBacktestResult *
run_baselines (const TcDataset *ds, TcBaselineSpec *specs, TcBacktestModel *models)
{
  TcBacktestConfig cfg = { .h = 4, .n_folds = 3, .step = 3, .m = 4 };
  GError *error = NULL;
  TcBacktestResult *res;

  for (guint i = 0; i < G_N_ELEMENTS (poison_kinds); i++)
    {
      specs[i].kind = poison_kinds[i];
      specs[i].m = 4;
      tc_backtest_model_for_baseline (&specs[i], &models[i]);
    }
  res = tc_backtest_run (ds, &cfg, models, G_N_ELEMENTS (poison_kinds), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return res;
}

/* Poisoning everything from fold k's cutoff on (huge values, NaN) must
 * not change a single forecast of folds 0..k. */
static void
test_poisoned_future (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  TcBaselineSpec specs[G_N_ELEMENTS (poison_kinds)];
  TcBacktestModel models[G_N_ELEMENTS (poison_kinds)];
  g_autoptr (TcBacktestResult) clean = run_baselines (ds, specs, models);

  for (guint k = 0; k < clean->n_folds; k++)
    {
      g_autoptr (TcDataset) bad = tc_dataset_copy (ds);
      g_autoptr (TcBacktestResult) res = NULL;

      for (guint s = 0; s < bad->n_series; s++)
        for (guint t = clean->cutoffs[k]; t < N_TIMES; t++)
          {
            tc_dataset_target_row (bad, s)[t] = (t % 3 == 0) ? NAN : 1e12;
            tc_dataset_observed_row (bad, 0, s)[t] = -1e12;
          }
      tc_dataset_update_bounds (bad);
      res = run_baselines (bad, specs, models);
      for (guint i = 0; i < res->n_models; i++)
        for (guint f = 0; f <= k; f++)
          for (guint s = 0; s < res->n_series; s++)
            {
              const double *a = tc_backtest_result_forecast (clean, i, f, s);
              const double *b = tc_backtest_result_forecast (res, i, f, s);

              for (guint j = 0; j < res->h * res->nq; j++)
                {
                  g_assert_true (isfinite (a[j]));
                  g_assert_cmpfloat (a[j], ==, b[j]);
                }
            }
    }
}

static void
on_progress (guint done, guint total, gpointer user_data)
{
  guint *last = user_data;

  g_assert_cmpuint (done, ==, *last + 1);
  /* 2 folds x 2 models x 3 series. */
  g_assert_cmpuint (total, ==, 2 * 2 * 3);
  *last = done;
}

static void
test_metrics_and_outputs (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcBacktestResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *dir = g_dir_make_tmp ("tc-backtest-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "windows.csv", NULL);
  g_autofree char *sum = g_build_filename (dir, "summary.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "backtest.json", NULL);
  g_autofree char *text = NULL;
  TcBaselineSpec specs[2] = { { TC_BASELINE_SEASONAL_NAIVE, 4 }, { TC_BASELINE_NAIVE, 4 } };
  TcBacktestModel models[2];
  TcBacktestConfig cfg = { .h = 3, .n_folds = 2, .m = 4 };
  const double *y = tc_dataset_target_row (ds, 0);
  double fc[9], mae;
  guint last = 0;
  JsonObject *root, *row;

  tc_backtest_model_for_baseline (&specs[0], &models[0]);
  tc_backtest_model_for_baseline (&specs[1], &models[1]);
  res = tc_backtest_run (ds, &cfg, models, 2, on_progress, &last, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last, ==, 12);
  /* Step defaults to h: cutoffs 60 - 3 - 3 = 54 and 57. */
  g_assert_cmpuint (res->cutoffs[0], ==, 54);
  g_assert_cmpuint (res->cutoffs[1], ==, 57);
  /* Series 0, fold 0 by hand: seasonal naive repeats y[50..52]. */
  mae = (fabs (y[50] - y[54]) + fabs (y[51] - y[55]) + fabs (y[52] - y[56])) / 3;
  g_assert_cmpfloat_with_epsilon (tc_metrics_window (res->metrics[0], res->window[0], TC_METRIC_MAE),
                                  mae, 1e-9);
  g_assert_true (tc_baseline_forecast (TC_BASELINE_SEASONAL_NAIVE, y, 54, 4, 3, res->q, 3, fc, NULL));
  for (guint j = 0; j < 9; j++)
    g_assert_cmpfloat (tc_backtest_result_forecast (res, 0, 0, 0)[j], ==, fc[j]);
  /* The reference is seasonal naive itself: skill 0 for model 0. */
  g_assert_cmpfloat_with_epsilon (tc_backtest_result_skill (res, 0), 0.0, 1e-12);
  /* On a period-4 pattern naive must be worse than seasonal naive. */
  g_assert_cmpfloat (tc_backtest_result_skill (res, 1), <, 0);

  g_assert_true (tc_backtest_result_write_csv (res, csv, &error));
  g_assert_true (tc_backtest_result_write_summary_csv (res, sum, &error));
  g_assert_true (tc_backtest_result_write_json (res, json, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "model,series,fold,cutoff,mae,rmse,"));
  /* Header + 2 models x 2 folds x 3 series. */
  {
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  }
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (sum, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "worse than repeating last season"));

  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "summary")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "windows")), ==, 12);
  row = json_array_get_object_element (json_object_get_array_member (root, "summary"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "snaive");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "mase"),
                                  tc_backtest_result_metric (res, 0, TC_METRIC_MASE), 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (row, "by_step"), "mae")), ==, 3);
  g_unlink (csv);
  g_unlink (sum);
  g_unlink (json);
  g_rmdir (dir);
}

/* Scored again from its forecasts (what a project keeps), a backtest
 * gives the same windows and every metric to the last bit. */
static void
test_replay (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (TcBacktestResult) res = NULL, again = NULL;
  g_autoptr (GError) error = NULL;
  TcBaselineSpec specs[2] = { { TC_BASELINE_THETA, 4 }, { TC_BASELINE_NAIVE, 4 } };
  TcBacktestModel models[2];
  TcBacktestConfig cfg = { .h = 3, .n_folds = 3, .step = 2, .m = 4, .aggregate = TC_AGGREGATE_VOLUME };
  TcBacktestConfig cfg2;

  tc_backtest_model_for_baseline (&specs[0], &models[0]);
  tc_backtest_model_for_baseline (&specs[1], &models[1]);
  res = tc_backtest_run (ds, &cfg, models, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cfg2 = (TcBacktestConfig) { .h = res->h, .n_folds = res->n_folds, .step = res->cutoffs[1] - res->cutoffs[0],
                              .end = res->cutoffs[res->n_folds - 1] + res->h, .m = res->m, .q = res->q,
                              .nq = res->nq, .aggregate = res->aggregate };
  again = tc_backtest_result_replay (ds, &cfg2, res->model_names, res->forecasts, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->cutoffs, sizeof (guint) * res->n_folds, res->cutoffs, sizeof (guint) * res->n_folds);
  g_assert_cmpmem (again->window, sizeof (guint) * 3 * res->n_folds * res->n_series,
                   res->window, sizeof (guint) * 3 * res->n_folds * res->n_series);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (again->model_names[i], ==, res->model_names[i]);
      for (guint k = 0; k < TC_METRIC_N; k++)
        {
          double a = tc_backtest_result_metric (res, i, k), b = tc_backtest_result_metric (again, i, k);

          g_assert_true ((isnan (a) && isnan (b)) || a == b);
        }
      g_assert_cmpfloat (tc_backtest_result_skill (again, i), ==, tc_backtest_result_skill (res, i));
    }
}

static void
test_cancel_and_bad_config (void)
{
  g_autoptr (TcDataset) ds = make_dataset ();
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  TcBaselineSpec spec = { TC_BASELINE_NAIVE, 0 };
  TcBacktestModel model;
  TcBacktestConfig cfg = { .h = 4, .n_folds = 3 };
  TcBacktestResult *res;

  tc_backtest_model_for_baseline (&spec, &model);
  g_cancellable_cancel (cancel);
  res = tc_backtest_run (ds, &cfg, &model, 1, NULL, NULL, cancel, &e1);
  g_assert_null (res);
  g_assert_error (e1, TC_ERROR, TC_ERROR_CANCELLED);
  cfg.n_folds = 20;
  res = tc_backtest_run (ds, &cfg, &model, 1, NULL, NULL, NULL, &e2);
  g_assert_null (res);
  g_assert_error (e2, TC_ERROR, TC_ERROR_INVALID_ARG);
}

/* The CLI end to end on a small long-format file written here. */
static void
test_cli (void)
{
  const char *cli = g_getenv ("TRENDCAST_CLI");
  g_autofree char *dir = NULL, *csv = NULL, *out = NULL, *stdout_text = NULL;
  g_autoptr (GString) s = g_string_new ("date,sku,units\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GDateTime) d0 = g_date_time_new_utc (2023, 1, 2, 0, 0, 0);
  int status = 0;
  JsonObject *root;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TRENDCAST_CLI not set");
      return;
    }
  dir = g_dir_make_tmp ("tc-cli-backtest-XXXXXX", NULL);
  csv = g_build_filename (dir, "sales.csv", NULL);
  out = g_build_filename (dir, "windows.csv", NULL);
  for (guint sku = 0; sku < 2; sku++)
    for (guint t = 0; t < 40; t++)
      {
        g_autoptr (GDateTime) d = g_date_time_add_weeks (d0, t);
        g_autofree char *ds = g_date_time_format (d, "%Y-%m-%d");

        g_string_append_printf (s, "%s,sku%u,%u\n", ds, sku, 10 + sku * 5 + (t % 4) * 3 + t / 5);
      }
  g_assert_true (g_file_set_contents (csv, s->str, s->len, NULL));
  {
    const char *argv[] = { cli, "backtest", csv, "--horizon", "4", "--folds", "2", "--season", "4",
                           "--models", "snaive,naive,ets", "--json", "-o", out, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &stdout_text, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_true (json_parser_load_from_data (parser, stdout_text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "summary")), ==, 3);
  /* 3 models x 2 folds x 2 series. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "windows")), ==, 12);
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  {
    const char *argv[] = { cli, "backtest", csv, "--horizon", "4", "--models", "prophet", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_false (g_spawn_check_wait_status (status, &error));
    g_assert_error (error, G_SPAWN_EXIT_ERROR, 1);
  }
  g_unlink (out);
  g_unlink (csv);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backtest/folds-and-leaks", test_folds_and_leaks);
  g_test_add_func ("/backtest/poisoned-future", test_poisoned_future);
  g_test_add_func ("/backtest/metrics-and-outputs", test_metrics_and_outputs);
  g_test_add_func ("/backtest/replay", test_replay);
  g_test_add_func ("/backtest/cancel-bad-config", test_cancel_and_bad_config);
  g_test_add_func ("/backtest/cli", test_cli);
  return g_test_run ();
}
