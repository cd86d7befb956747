/* test-evaluation-page.c — the Evaluation page end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app/app-test-util.h"
#include "core/tc-synth.h"
#include "tc-backtest-transformer.h"
#include "tc-evaluation-page.h"

#define H 4
#define FOLDS 2

static void
iterate_main_loop (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_until_done (TcEvaluationPage *page)
{
  /* Only a guard against hanging forever, far above what the backtest
   * takes even under ASan on a loaded 2-core machine. */
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (tc_evaluation_page_get_running (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate_main_loop ();
}

/* A GTask's worker thread drops its reference to the page a moment after
 * the page has its result: wait for it (bounded) before asking that the
 * page be finalized, or a loaded machine fails a sound test. */
static gpointer
template_child (TcEvaluationPage *page, const char *name)
{
  GObject *o = gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE, name);

  g_assert_nonnull (o);
  return o;
}

/* The page shows what tc_backtest_result_metric says, as it formats it. */
static void
assert_table_matches (TcEvaluationPage *page, const TcBacktestResult *core, guint core_model,
                      guint row)
{
  static const TcMetricKind kinds[] = { TC_METRIC_MAE, TC_METRIC_RMSE, TC_METRIC_SMAPE, TC_METRIC_MASE,
                                        TC_METRIC_WAPE, TC_METRIC_PBIAS, TC_METRIC_COVERAGE,
                                        TC_METRIC_PINBALL };
  static const gboolean percent[] = { FALSE, FALSE, TRUE, FALSE, TRUE, TRUE, TRUE, FALSE };

  for (guint c = 0; c < G_N_ELEMENTS (kinds); c++)
    {
      double v = tc_backtest_result_metric (core, core_model, kinds[c]);
      g_autofree char *expected = !isfinite (v) ? g_strdup ("—")
                                  : percent[c] ? g_strdup_printf ("%.1f\u00a0%%", kinds[c] == TC_METRIC_COVERAGE ? 100 * v : v)
                                  : g_strdup_printf ("%.2f", v);
      g_autofree char *shown = tc_evaluation_page_dup_cell (page, row, c + 1);

      g_assert_cmpstr (shown, ==, expected);
    }
}

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
  o->seed = 3;
  o->threads = 1;
}

static guint
count_help_buttons (GtkWidget *w)
{
  guint n = 0;
  const char *text = g_object_get_data (G_OBJECT (w), "tc-help-text");

  if (GTK_IS_MENU_BUTTON (w) && text != NULL && strlen (text) > 20)
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_help_buttons (c);
  return n;
}

static void
test_evaluation_page (void)
{
  TcSession *session = tc_session_new ();
  TcEvaluationPage *page = g_object_new (TC_TYPE_EVALUATION_PAGE, "session", session, NULL);
  GtkWidget *window = gtk_window_new ();
  TcDataset *ds = synth_dataset (12, 80, 42);
  g_autoptr (TcDataset) ds_copy = tc_dataset_copy (ds);
  TcBaselineSpec specs[] = { { TC_BASELINE_SEASONAL_NAIVE, 0 }, { TC_BASELINE_NAIVE, 0 },
                             { TC_BASELINE_ETS, 0 }, { TC_BASELINE_THETA, 0 } };
  TcBacktestModel models[5];
  TcBacktestConfig cfg;
  g_autoptr (TcBacktestResult) core = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *cell = NULL;
  const TcBacktestResult *res;
  TcForecasterOptions o;
  TcForecaster *fc;
  g_auto (GStrv) lines = NULL;
  int fd;

  g_object_ref (page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();

  /* No data: the empty state. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (page, "stack")), ==, "empty");

  tc_session_set_dataset (session, NULL, NULL, ds, NULL);
  iterate_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (page, "stack")), ==, "content");
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (page, "transformer_row")), ==,
                   "Train a model first");
  g_assert_false (gtk_widget_get_sensitive (template_child (page, "transformer_check")));

  /* Baselines only: the page and the core agree. */
  gtk_spin_button_set_value (template_child (page, "horizon_spin"), H);
  gtk_spin_button_set_value (template_child (page, "folds_spin"), FOLDS);
  tc_evaluation_page_run (page);
  g_assert_true (tc_evaluation_page_get_running (page));
  wait_until_done (page);
  g_assert_null (tc_evaluation_page_get_error (page));
  res = tc_evaluation_page_get_result (page);
  g_assert_nonnull (res);
  g_assert_cmpuint (res->n_models, ==, 4);
  g_assert_null (tc_evaluation_page_get_drivers (page));

  tc_evaluation_page_get_config (page, &cfg);
  g_assert_cmpuint (cfg.h, ==, H);
  g_assert_cmpuint (cfg.n_folds, ==, FOLDS);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    tc_backtest_model_for_baseline (&specs[i], &models[i]);
  core = tc_backtest_run (ds_copy, &cfg, models, G_N_ELEMENTS (specs), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cell = tc_evaluation_page_dup_cell (page, 0, 0);
  g_assert_cmpstr (cell, ==, "Model");
  /* Every metric has a “what does this mean” button with an explanation. */
  g_assert_cmpuint (count_help_buttons (GTK_WIDGET (template_child (page, "metrics_grid"))), ==, 8);
  g_clear_pointer (&cell, g_free);
  for (guint i = 0; i < core->n_models; i++)
    {
      g_assert_cmpstr (res->model_names[i], ==, core->model_names[i]);
      assert_table_matches (page, core, i, i + 1);
    }
  cell = tc_evaluation_page_dup_cell (page, 1, 0);
  g_assert_cmpstr (cell, ==, "Seasonal naive");
  g_clear_pointer (&cell, g_free);
  /* Without a model the Transformer row says why it is missing. */
  cell = tc_evaluation_page_dup_cell (page, core->n_models + 1, 1);
  g_assert_cmpstr (cell, ==, "Train a model first");
  g_clear_pointer (&cell, g_free);

  /* The CSV export: a header and one line per model. */
  fd = g_file_open_tmp ("test-eval-XXXXXX.csv", &csv_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (tc_evaluation_page_export_csv (page, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (g_strchomp (csv), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[1], "snaive,"));
  g_unlink (csv_path);

  /* A trained (tiny) model: the Transformer joins, retrained per fold,
   * with the same numbers as the core adapter, and the drivers appear. */
  tiny_options (&o);
  fc = tc_forecaster_train (ds_copy, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (session, fc);
  iterate_main_loop ();
  g_assert_true (gtk_widget_get_sensitive (template_child (page, "transformer_check")));
  g_assert_true (gtk_check_button_get_active (template_child (page, "transformer_check")));
  gtk_spin_button_set_value (template_child (page, "horizon_spin"), H);
  tc_evaluation_page_set_model_enabled (page, "naive", FALSE);
  tc_evaluation_page_set_model_enabled (page, "ets", FALSE);
  tc_evaluation_page_set_model_enabled (page, "theta", FALSE);
  tc_evaluation_page_run (page);
  wait_until_done (page);
  g_assert_null (tc_evaluation_page_get_error (page));
  res = tc_evaluation_page_get_result (page);
  g_assert_cmpuint (res->n_models, ==, 2);
  g_assert_cmpstr (res->model_names[0], ==, "transformer");
  {
    g_autoptr (TcBacktestTransformer) bt = tc_backtest_transformer_new (tc_forecaster_get_options (fc), H);
    g_autoptr (TcBacktestResult) core_tf = NULL;

    tc_backtest_model_for_transformer (bt, TRUE, &models[0]);
    tc_backtest_model_for_baseline (&specs[0], &models[1]);
    core_tf = tc_backtest_run (ds_copy, &cfg, models, 2, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_backtest_transformer_get_n_fits (bt), ==, FOLDS);
    assert_table_matches (page, core_tf, 0, 1);
    assert_table_matches (page, core_tf, 1, 2);
  }
  cell = tc_evaluation_page_dup_cell (page, 1, 0);
  g_assert_cmpstr (cell, ==, "Transformer");
  g_clear_pointer (&cell, g_free);
  g_assert_nonnull (tc_evaluation_page_get_drivers (page));
  g_assert_cmpuint (tc_evaluation_page_get_drivers (page)->n_drivers, >=, 3);
  g_assert_true (gtk_widget_get_visible (template_child (page, "drivers_group")));
  /* One sentence, never "Holiday: shopping_618 matter most" (issue 18, item 11). */
  {
    const char *head = gtk_label_get_text (template_child (page, "drivers_headline"));

    g_test_message ("drivers: %s", head);
    g_assert_true (g_str_has_prefix (head, "What matters most: ")
                   || g_str_equal (head, "No single input changes the forecast much"));
  }

  /* Cancel: the run stops, the last result stays. */
  tc_evaluation_page_run (page);
  tc_evaluation_page_cancel (page);
  wait_until_done (page);
  g_assert_nonnull (tc_evaluation_page_get_error (page));
  g_assert_nonnull (tc_evaluation_page_get_result (page));

  /* New data while a run is going: its numbers are not shown. */
  tc_evaluation_page_run (page);
  g_assert_true (tc_evaluation_page_get_running (page));
  tc_session_set_dataset (session, NULL, NULL, synth_dataset (12, 80, 43), NULL);
  wait_until_done (page);
  g_assert_null (tc_evaluation_page_get_result (page));
  g_assert_nonnull (tc_evaluation_page_get_error (page));
  g_assert_false (gtk_widget_get_visible (template_child (page, "results_box")));

  /* Dropping the data empties the page. */
  tc_session_set_dataset (session, NULL, NULL, NULL, NULL);
  iterate_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (page, "stack")), ==, "empty");
  g_assert_null (tc_evaluation_page_get_result (page));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  tc_test_finalize_soon (page);
  tc_test_finalize_soon (session);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/evaluation-page/run", test_evaluation_page);
  return g_test_run ();
}
