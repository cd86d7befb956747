/* test-backtest-transformer.c — the Transformer as a backtest model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-backtest-transformer.h"
#include "tc-error.h"
#include "tc-synth.h"

#define H 4

static void
tiny_options (TcForecasterOptions *o)
{
  tc_forecaster_options_init (o);
  o->horizon = H;
  o->patch = 2;
  o->context = 12;
  o->preset = TC_PRESET_CUSTOM;
  o->d_model = 16;
  o->n_heads = 2;
  o->n_layers = 1;
  o->d_ff = 32;
  o->dropout = 0;
  o->lr = 3e-3f;
  o->batch = 16;
  o->max_epochs = 3;
  o->steps_per_epoch = 8;
  o->patience = 3;
  o->seed = 11;
  o->threads = 1;
}

static TcBacktestResult *
run (const TcDataset *ds, gboolean retrain, guint *n_fits)
{
  TcForecasterOptions o;
  g_autoptr (TcBacktestTransformer) bt = NULL;
  TcBacktestModel models[2];
  TcBaselineSpec snaive = { TC_BASELINE_SEASONAL_NAIVE, 0 };
  TcBacktestConfig cfg = { .h = H, .n_folds = 2 };
  g_autoptr (GError) error = NULL;
  TcBacktestResult *res;

  tiny_options (&o);
  bt = tc_backtest_transformer_new (&o, H);
  tc_backtest_model_for_transformer (bt, retrain, &models[0]);
  tc_backtest_model_for_baseline (&snaive, &models[1]);
  res = tc_backtest_run (ds, &cfg, models, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  *n_fits = tc_backtest_transformer_get_n_fits (bt);
  return res;
}

static void
assert_same_fold (const TcBacktestResult *a, const TcBacktestResult *b, guint fold)
{
  for (guint s = 0; s < a->n_series; s++)
    {
      const double *fa = tc_backtest_result_forecast (a, 0, fold, s);
      const double *fb = tc_backtest_result_forecast (b, 0, fold, s);

      for (guint i = 0; i < a->h * a->nq; i++)
        if (isfinite (fa[i]) || isfinite (fb[i]))
          g_assert_cmpfloat (fa[i], ==, fb[i]);
    }
}

/* Forecasts must not change when the data after a fold's cutoff does. */
static void
corrupt_after (TcDataset *ds, guint cutoff)
{
  for (guint s = 0; s < ds->n_series; s++)
    for (guint t = cutoff; t < ds->n_times; t++)
      if (isfinite (tc_dataset_target_row (ds, s)[t]))
        tc_dataset_target_row (ds, s)[t] = tc_dataset_target_row (ds, s)[t] * 10 + 1000;
}

static void
check_mode (gboolean retrain)
{
  g_autoptr (TcDataset) ds = synth_dataset (10, 70, 99);
  g_autoptr (TcDataset) late = NULL;
  g_autoptr (TcBacktestResult) res = NULL;
  g_autoptr (TcBacktestResult) res_late = NULL;
  guint n_fits = 0, n_fits2 = 0, finite = 0;

  res = run (ds, retrain, &n_fits);
  g_assert_cmpuint (n_fits, ==, retrain ? 2 : 1);
  g_assert_cmpstr (res->model_names[0], ==, "transformer");
  g_assert_cmpuint (res->cutoffs[0], ==, 70 - 2 * H);
  g_assert_cmpuint (tc_metrics_n_windows (res->metrics[0]), ==, tc_metrics_n_windows (res->metrics[1]));
  for (guint k = 0; k < 2; k++)
    for (guint s = 0; s < ds->n_series; s++)
      {
        const double *f = tc_backtest_result_forecast (res, 0, k, s);

        if (res->window[((gsize) 0 * 2 + k) * ds->n_series + s] == G_MAXUINT)
          continue;
        for (guint j = 0; j < H; j++)
          {
            g_assert_true (isfinite (f[j * 3 + 1]));
            g_assert_cmpfloat (f[j * 3], <=, f[j * 3 + 1]);
            g_assert_cmpfloat (f[j * 3 + 1], <=, f[j * 3 + 2]);
            finite++;
          }
      }
  g_assert_cmpuint (finite, >=, 2 * 8 * H);
  /* A model worse than 3x seasonal naive's error would mean garbage in the adapter. */
  g_assert_cmpfloat (tc_backtest_result_metric (res, 0, TC_METRIC_MASE), <,
                     3 * tc_backtest_result_metric (res, 1, TC_METRIC_MASE));

  /* No leakage: the last fold's future changes, nothing forecast changes. */
  late = tc_dataset_copy (ds);
  corrupt_after (late, res->cutoffs[1]);
  res_late = run (late, retrain, &n_fits2);
  assert_same_fold (res, res_late, 0);
  assert_same_fold (res, res_late, 1);
  g_clear_pointer (&res_late, tc_backtest_result_free);
  g_clear_pointer (&late, tc_dataset_free);

  /* Fold 0's future changes: fold 0 is unchanged; with reuse the model
   * stays the same, but fold 1 now sees new inputs, so it moves. */
  late = tc_dataset_copy (ds);
  corrupt_after (late, res->cutoffs[0]);
  res_late = run (late, retrain, &n_fits2);
  assert_same_fold (res, res_late, 0);
  {
    const double *a = tc_backtest_result_forecast (res, 0, 1, 0);
    const double *b = tc_backtest_result_forecast (res_late, 0, 1, 0);

    g_assert_cmpfloat (fabs (a[1] - b[1]), >, 1e-9);
  }
}

static void
test_retrain_per_fold (void)
{
  check_mode (TRUE);
}

static void
test_reuse (void)
{
  check_mode (FALSE);
}

/* Levels the model does not forecast are read between its quantiles. */
static void
test_quantile_levels (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (8, 60, 5);
  TcForecasterOptions o;
  g_autoptr (TcBacktestTransformer) bt = NULL;
  TcBacktestModel model;
  static const double q[] = { 0.05, 0.1, 0.3, 0.5, 0.95 };
  TcBacktestConfig cfg = { .h = 2, .n_folds = 1, .q = q, .nq = G_N_ELEMENTS (q) };
  g_autoptr (GError) error = NULL;
  g_autoptr (TcBacktestResult) res = NULL;

  tiny_options (&o);
  /* Another horizon than the options': patch and context are chosen again. */
  bt = tc_backtest_transformer_new (&o, 2);
  tc_backtest_model_for_transformer (bt, TRUE, &model);
  res = tc_backtest_run (ds, &cfg, &model, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_backtest_transformer_get_options (bt)->horizon, ==, 2);
  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *f = tc_backtest_result_forecast (res, 0, 0, s);

      if (!isfinite (f[0]))
        continue;
      g_assert_cmpfloat (f[0], ==, f[1]);      /* below the lowest level: the lowest */
      g_assert_cmpfloat (f[1], <=, f[2]);
      g_assert_cmpfloat (f[2], <=, f[3]);
      g_assert_cmpfloat (f[4], >=, f[3]);
    }
}

static void
on_cancel_progress (const TcTrainProgress *p, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (8, 60, 5);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  TcForecasterOptions o;
  g_autoptr (TcBacktestTransformer) bt = NULL;
  TcBacktestModel model;
  TcBacktestConfig cfg = { .h = H, .n_folds = 2 };
  g_autoptr (GError) error = NULL;
  TcBacktestResult *res;

  tiny_options (&o);
  bt = tc_backtest_transformer_new (&o, H);
  tc_backtest_transformer_set_train_progress (bt, on_cancel_progress, cancellable);
  tc_backtest_model_for_transformer (bt, TRUE, &model);
  res = tc_backtest_run (ds, &cfg, &model, 1, NULL, NULL, cancellable, &error);
  g_assert_null (res);
  g_assert_true (g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED)
                 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backtest-transformer/retrain-per-fold", test_retrain_per_fold);
  g_test_add_func ("/backtest-transformer/reuse", test_reuse);
  g_test_add_func ("/backtest-transformer/quantile-levels", test_quantile_levels);
  g_test_add_func ("/backtest-transformer/cancel", test_cancel);
  return g_test_run ();
}
