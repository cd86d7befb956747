/* test-scenario-page.c — the Scenarios page against the core's numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small weekly dataset with a known promotion effect is written as a
 * CSV, imported and used to train a tiny model (a few seconds).  The
 * page's results must be the core's tc_forecaster_scenario numbers for
 * the same plan and changes.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "app/app-test-util.h"
#include "core/tc-synth.h"
#include "tc-chart.h"
#include "tc-error.h"
#include "tc-future-plan.h"
#include "tc-chart-view.h"
#include "tc-app-text.h"
#include "tc-evaluation-page.h"
#include "tc-project.h"
#include "tc-scenario-book.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"   /* tc_scenario_page_format_signed: the page's number format */

#define N_SERIES 12
#define N_TIMES  110
#define H        6

static char *tmpdir;
static char *data_path;
static char *model_path;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
iso_date (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* Writes the synthetic data as the long CSV a user would have. */
static void
make_fixture (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 4321);
  g_autoptr (GString) csv = g_string_new ("date,sku,category,units,promo,price\n");

  for (guint s = 0; s < ds->n_series; s++)
    for (guint t = ds->start[s]; t < ds->end[s]; t++)
      {
        g_autofree char *d = iso_date (ds->times[t]);

        g_string_append_printf (csv, "%s,%s,%s,%.0f,%.0f,%.2f\n", d, ds->series_ids[s],
                                ds->static_values[s], tc_dataset_target_row (ds, s)[t],
                                tc_dataset_known_row (ds, 0, s)[t], tc_dataset_known_row (ds, 1, s)[t]);
      }
  data_path = write_file ("sales.csv", csv->str);
}

static TcDataset *
import_data (TcImportOptions *opts, TcImportReport **report)
{
  g_autoptr (GError) error = NULL;
  TcDataset *ds;

  tc_import_options_init (opts);
  ds = tc_import_file (data_path, opts, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_series, ==, N_SERIES);
  g_assert_cmpuint (ds->n_known, ==, 2);
  return ds;
}

static void
train_model (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecaster) fc = NULL;
  TcImportOptions opts;
  TcImportReport *report = NULL;
  g_autoptr (TcDataset) ds = import_data (&opts, &report);
  TcForecasterOptions o;

  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.patch = 4;
  o.context = 16;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 32;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 64;
  o.dropout = 0;
  o.lr = 3e-3f;
  o.batch = 32;
  o.max_epochs = 10;
  o.steps_per_epoch = 25;
  o.patience = 10;
  o.seed = 11;
  /* P25 and P75 too: the page draws (and this test checks) the 50 % range. */
  tc_forecaster_options_set_inner_range (&o, TRUE);
  o.threads = 1;
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  model_path = g_build_filename (tmpdir, "model.tcm", NULL);
  g_assert_true (tc_forecaster_save (fc, model_path, &error));
  g_assert_no_error (error);
  tc_import_report_free (report);
  tc_import_options_clear (&opts);
}

typedef struct
{
  TcSession      *session;
  GtkWidget      *window;
  TcScenarioPage *page;
} Fixture;

static void
wait_idle (TcScenarioPage *page)
{
  /* Only a guard against hanging forever, far above what training the
   * tiny model takes even under ASan on a loaded 2-core machine. */
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (tc_scenario_page_get_busy (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* With @ragged, series 1 ends @ragged steps early (no rows: no target,
 * no known covariates). */
static void
fixture_setup_ragged (Fixture *f, gboolean with_model, guint ragged)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (data_path);
  TcImportOptions opts;
  TcImportReport *report = NULL;
  TcDataset *ds = import_data (&opts, &report);

  for (guint t = ds->n_times - ragged; t < ds->n_times; t++)
    {
      tc_dataset_target_row (ds, 1)[t] = NAN;
      for (guint k = 0; k < ds->n_known; k++)
        tc_dataset_known_row (ds, k, 1)[t] = NAN;
    }
  tc_dataset_update_bounds (ds);

  f->session = tc_session_new ();
  tc_session_set_dataset (f->session, file, &opts, ds, report);
  tc_import_options_clear (&opts);
  if (with_model)
    {
      TcForecaster *fc = tc_forecaster_load (model_path, &error);

      g_assert_no_error (error);
      tc_session_set_forecaster (f->session, fc);
    }
  f->window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->page = g_object_new (TC_TYPE_SCENARIO_PAGE, "session", f->session, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_idle (f->page);
}

static void
fixture_setup (Fixture *f, gboolean with_model)
{
  fixture_setup_ragged (f, with_model, 0);
}

static void
fixture_teardown (Fixture *f)
{
  GWeakRef page;

  g_weak_ref_init (&page, f->page);
  wait_idle (f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  tc_test_finalize_soon (f->window);
  f->page = NULL;
  tc_test_wait_weak_ref (&page);
  tc_test_finalize_soon (f->session);
}

static double
sum_uplift (const TcScenarioResult *r, guint s)
{
  double sum = 0;

  for (guint h = 0; h < r->baseline->horizon; h++)
    sum += r->uplift_units[(gsize) s * r->baseline->horizon + h];
  return sum;
}

/* The core's answer for the page's plan (the session's future written
 * over the model's template) and @edits. */
static TcScenarioResult *
core_scenario (TcSession *session, const TcScenarioEdit *edits, guint n_edits)
{
  g_autoptr (GError) error = NULL;
  TcForecaster *fc = tc_session_get_forecaster (session);
  const TcDataset *ds = tc_session_get_dataset (session);
  g_autoptr (TcDataset) plan = tc_future_plan_resolve_full (fc, ds, tc_session_get_future (session),
                                                            TC_ORIGIN_PER_SERIES, NULL);
  TcScenarioResult *r = tc_forecaster_scenario_full (fc, ds, plan, TC_ORIGIN_PER_SERIES, edits, n_edits, &error);

  g_assert_no_error (error);
  return r;
}

static void
assert_close (double a, double b)
{
  g_assert_cmpfloat (fabs (a - b), <=, 1e-6 * MAX (1.0, fabs (b)));
}

static void
test_promotion (void)
{
  Fixture f;
  const TcScenarioResult *r;
  g_autoptr (TcScenarioResult) core = NULL;
  g_autoptr (TcScenarioResult) core2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv_path = g_build_filename (tmpdir, "scenario.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *units = NULL;
  g_autofree char *expect = NULL;
  g_auto (GStrv) lines = NULL;
  TcScenarioEdit edits[2];
  double page_sum, core_sum, csv_sum = 0;
  const TcDataset *ds;

  fixture_setup (&f, TRUE);
  ds = tc_session_get_dataset (f.session);

  /* The baseline shows up by itself. */
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_headline (f.page), "No changes"));

  tc_scenario_page_set_scope_series (f.page, 1);
  wait_idle (f.page);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 1, 3));
  /* Edited but not applied: no result claims to be for these changes. */
  g_assert_null (tc_scenario_page_get_result (f.page));
  tc_scenario_page_apply (f.page);
  g_assert_true (tc_scenario_page_get_busy (f.page));
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);

  edits[0] = (TcScenarioEdit) { (char *) "promo", TC_SCENARIO_SET, 1.0,
                                r->baseline->times[1], r->baseline->times[3], 1 };
  core = core_scenario (f.session, edits, 1);
  page_sum = sum_uplift (r, 1);
  core_sum = sum_uplift (core, 1);
  g_test_message ("promotion uplift: page %.3f, core %.3f units", page_sum, core_sum);
  assert_close (page_sum, core_sum);
  for (guint h = 0; h < H; h++)
    assert_close (r->scenario->values[((gsize) 1 * H + h) * r->baseline->n_quantiles + 1],
                  core->scenario->values[((gsize) 1 * H + h) * core->baseline->n_quantiles + 1]);
  g_assert_cmpfloat (page_sum, >, 0);

  /* The card says it, in the units a planner reads. */
  units = tc_chart_format_thousands (page_sum, fabs (page_sum) < 10 ? 1 : 0);
  expect = g_strdup_printf ("+%s units", units);
  g_test_message ("headline: %s", tc_scenario_page_get_headline (f.page));
  g_assert_true (g_str_has_prefix (tc_scenario_page_get_headline (f.page), expect));
  g_assert_nonnull (strstr (tc_scenario_page_get_headline (f.page), "6 weeks"));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), "Revenue"));
  /* Steps outside the change that still move are explained, and only then. */
  {
    guint Q = r->baseline->n_quantiles;
    double worst = 0;

    for (guint h = 0; h < H; h++)
      if (h < 1 || h > 3)
        worst = MAX (worst, fabs (r->uplift_units[(gsize) 1 * H + h])
                              / r->baseline->values[((gsize) 1 * H + h) * Q + 1]);
    g_test_message ("largest move outside the change: %.2f %%", 100 * worst);
    g_assert_cmpint (strstr (tc_scenario_page_get_detail (f.page), "without a change move too") != NULL, ==,
                     worst >= 0.005);
  }

  /* Export: one row per forecast date of the series in scope. */
  g_assert_true (tc_scenario_page_export_csv (f.page, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "series,date,baseline_p50,scenario_p50,uplift_units,uplift_revenue");
  g_assert_cmpuint (g_strv_length (lines), ==, H + 2);  /* header, H rows, "" after the last newline */
  for (guint i = 1; i <= H; i++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 6);
      g_assert_cmpstr (cells[0], ==, ds->series_ids[1]);
      csv_sum += g_ascii_strtod (cells[4], NULL);
      g_assert_cmpstr (cells[5], !=, "");
    }
  g_assert_cmpfloat (fabs (csv_sum - page_sum), <, 1e-3 * MAX (1.0, fabs (page_sum)));

  /* A result computed for changes edited since is dropped. */
  tc_scenario_page_apply (f.page);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PRICE, NULL, 0.8, 0, 5));
  wait_idle (f.page);
  g_assert_null (tc_scenario_page_get_result (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), "press Apply"));
  /* Two applies in a row: only the last one's result is kept. */
  tc_scenario_page_apply (f.page);
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  edits[1] = (TcScenarioEdit) { (char *) "price", TC_SCENARIO_SCALE, 0.8,
                                r->baseline->times[0], r->baseline->times[5], 1 };
  core2 = core_scenario (f.session, edits, 2);
  assert_close (sum_uplift (r, 1), sum_uplift (core2, 1));
  for (guint s = 0; s < N_SERIES; s++)
    if (s != 1)
      g_assert_cmpfloat (fabs (sum_uplift (r, s)), ==, 0);

  /* Reset: back to the baseline. */
  tc_scenario_page_reset (f.page);
  wait_idle (f.page);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (f.page), ==, 0);
  g_assert_nonnull (strstr (tc_scenario_page_get_headline (f.page), "No changes"));

  fixture_teardown (&f);
}

static void
test_all_series (void)
{
  Fixture f;
  const TcScenarioResult *r;
  g_autoptr (TcScenarioResult) core = NULL;
  TcScenarioEdit edit;
  double page_sum = 0, core_sum = 0;

  fixture_setup (&f, TRUE);
  /* All series is the default scope: one edit for every series. */
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 0, 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  edit = (TcScenarioEdit) { (char *) "promo", TC_SCENARIO_SET, 1.0, r->baseline->times[0], r->baseline->times[1], -1 };
  core = core_scenario (f.session, &edit, 1);
  for (guint s = 0; s < N_SERIES; s++)
    {
      page_sum += sum_uplift (r, s);
      core_sum += sum_uplift (core, s);
    }
  g_test_message ("all series: page %.2f, core %.2f units", page_sum, core_sum);
  assert_close (page_sum, core_sum);
  g_assert_cmpfloat (page_sum, >, 0);

  /* A new model while a scenario runs: the old job is dropped, the
   * changes are cleared and the new model's baseline shows. */
  tc_scenario_page_apply (f.page);
  g_assert_true (tc_scenario_page_get_busy (f.page));
  {
    g_autoptr (GError) error = NULL;
    TcForecaster *fc = tc_forecaster_load (model_path, &error);

    g_assert_no_error (error);
    tc_session_set_forecaster (f.session, fc);
  }
  wait_idle (f.page);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (f.page), ==, 0);
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_headline (f.page), "No changes"));
  fixture_teardown (&f);
}

static void
test_plan_import (void)
{
  Fixture f;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) csv = g_string_new ("date,sku,promo,price\n");
  g_autoptr (GString) bad = g_string_new ("date,sku,promo\n");
  g_autoptr (TcScenarioResult) core = NULL;
  g_autofree char *path = NULL, *bad_path = NULL, *bad_date = NULL;
  const TcScenarioResult *r;
  const TcDataset *ds;
  double planned = 0, plain = 0;
  guint n_assumed = 99;

  fixture_setup (&f, TRUE);
  ds = tc_session_get_dataset (f.session);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  for (guint h = 0; h < H; h++)
    plain += r->baseline->values[((gsize) 2 * H + h) * r->baseline->n_quantiles + 1];

  /* A plan with a promotion for series 2 in the first three weeks. */
  for (guint s = 0; s < ds->n_series; s++)
    for (guint h = 0; h < H; h++)
      {
        g_autofree char *d = iso_date (tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) h + 1));

        g_string_append_printf (csv, "%s,%s,%d,%.2f\n", d, ds->series_ids[s], s == 2 && h < 3,
                                tc_dataset_known_row (ds, 1, s)[ds->end[s] - 1]);
        g_string_append_printf (bad, "%s,%s,0\n", d, ds->series_ids[s]);
      }
  path = write_file ("plan.csv", csv->str);
  g_assert_true (tc_scenario_page_import_plan (f.page, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tc_session_get_future (f.session));
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);

  /* The plan covers every forecast date: nothing assumed. */
  g_clear_pointer (&core, tc_scenario_result_free);
  {
    g_autoptr (TcDataset) resolved = tc_future_plan_resolve (tc_session_get_forecaster (f.session), ds,
                                                             tc_session_get_future (f.session), &n_assumed);
    g_assert_cmpuint (n_assumed, ==, 0);
    g_assert_cmpfloat (tc_dataset_known_row (resolved, 0, 2)[0], ==, 1);
    g_assert_cmpfloat (tc_dataset_known_row (resolved, 0, 2)[4], ==, 0);
  }
  core = core_scenario (f.session, NULL, 0);
  for (guint h = 0; h < H; h++)
    {
      assert_close (r->baseline->values[((gsize) 2 * H + h) * r->baseline->n_quantiles + 1],
                    core->baseline->values[((gsize) 2 * H + h) * core->baseline->n_quantiles + 1]);
      planned += r->baseline->values[((gsize) 2 * H + h) * r->baseline->n_quantiles + 1];
    }
  g_test_message ("series 2: %.1f units without the plan, %.1f with its promotion", plain, planned);
  g_assert_cmpfloat (planned, >, plain);
  /* The planned promotion is shaded on series 2's chart, and only there. */
  {
    TcChart *chart = tc_chart_view_get_chart (TC_CHART_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f.page),
                                                                                           TC_TYPE_SCENARIO_PAGE,
                                                                                           "chart_view")));

    g_assert_cmpuint (tc_chart_count_markers (chart, TC_CHART_MARKER_PROMOTION), ==, 0);
    tc_scenario_page_set_scope_series (f.page, 2);
    wait_idle (f.page);
    g_assert_cmpuint (tc_chart_count_markers (chart, TC_CHART_MARKER_PROMOTION), ==, 1);
    tc_scenario_page_set_scope_series (f.page, 0);
    wait_idle (f.page);
    g_assert_cmpuint (tc_chart_count_markers (chart, TC_CHART_MARKER_PROMOTION), ==, 0);
    tc_scenario_page_set_scope_series (f.page, -1);
    wait_idle (f.page);
  }

  /* A plan without a column the model needs is refused, by name. */
  bad_path = write_file ("bad-plan.csv", bad->str);
  g_assert_false (tc_scenario_page_import_plan (f.page, bad_path, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "bad-plan.csv"));
  g_assert_nonnull (strstr (error->message, "“price”"));
  g_clear_error (&error);

  bad_date = write_file ("bad-date.csv", "date,sku,promo,price\n2030-13-45,sku000,1,2.5\n");
  g_assert_false (tc_scenario_page_import_plan (f.page, bad_date, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, "2030-13-45"));
  g_clear_error (&error);
  /* The good plan stays. */
  g_assert_nonnull (tc_session_get_future (f.session));
  {
    const char *sub = adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (f.page),
                                                                                                  TC_TYPE_SCENARIO_PAGE,
                                                                                                  "plan_row")));

    g_assert_null (strstr (sub, "goes on after"));
  }

  /* A plan longer than the horizon: the page says the later dates are
   * not forecast, and why, instead of cutting them silently. */
  {
    g_autoptr (GString) longer = g_string_new ("date,sku,promo,price\n");
    g_autofree char *long_path = NULL;
    const char *sub;

    for (guint s = 0; s < ds->n_series; s++)
      for (guint h = 0; h < H + 3; h++)
        {
          g_autofree char *d = iso_date (tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) h + 1));

          g_string_append_printf (longer, "%s,%s,0,%.2f\n", d, ds->series_ids[s],
                                  tc_dataset_known_row (ds, 1, s)[ds->end[s] - 1]);
        }
    long_path = write_file ("long-plan.csv", longer->str);
    g_assert_true (tc_scenario_page_import_plan (f.page, long_path, &error));
    g_assert_no_error (error);
    wait_idle (f.page);
    sub = adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (f.page),
                                                                                      TC_TYPE_SCENARIO_PAGE,
                                                                                      "plan_row")));
    g_test_message ("plan row: %s", sub);
    g_assert_nonnull (strstr (sub, "goes on after"));
    g_assert_nonnull (strstr (sub, "longer horizon"));
  }

  fixture_teardown (&f);
}

static void
test_no_model (void)
{
  Fixture f;
  GObject *stack;

  fixture_setup (&f, FALSE);
  stack = gtk_widget_get_template_child (GTK_WIDGET (f.page), TC_TYPE_SCENARIO_PAGE, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_false (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 0, 1));
  g_assert_null (tc_scenario_page_get_result (f.page));
  fixture_teardown (&f);
}

/* The page on the CSV at @path, imported with detected roles, with a
 * tiny model trained on it (a second or two).  Returns the model (the
 * session's). */
static TcForecaster *
fixture_setup_csv (Fixture *f, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  TcImportOptions opts;
  TcImportReport *report = NULL;
  TcDataset *imported;
  TcForecasterOptions o;
  TcForecaster *fc;

  tc_import_options_init (&opts);
  imported = tc_import_file (path, &opts, &report, NULL, &error);
  g_assert_no_error (error);
  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.patch = 4;
  o.context = 16;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.max_epochs = 2;
  o.steps_per_epoch = 10;
  o.seed = 5;
  o.threads = 1;
  fc = tc_forecaster_train (imported, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  f->session = tc_session_new ();
  tc_session_set_dataset (f->session, file, &opts, imported, report);
  tc_import_options_clear (&opts);
  tc_session_set_forecaster (f->session, fc);
  f->window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->page = g_object_new (TC_TYPE_SCENARIO_PAGE, "session", f->session, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_idle (f->page);
  return fc;
}

/* Issue 18, item 5: a log price (Dominick's LPRICE, partly negative) is
 * the price lever, but revenue on it would be nonsense: the page says so
 * and computes none, and a 10 % price cut still moves the forecast. */
static void
test_log_price_no_revenue (void)
{
  g_autoptr (GString) csv = g_string_new ("date,sku,units,promo,LPRICE\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 99);
  g_autofree char *path = NULL;
  const TcDataset *imported;
  TcForecaster *fc;
  Fixture f;
  const TcScenarioResult *r;
  int lprice = -1;

  for (guint s = 0; s < ds->n_series; s++)
    for (guint t = ds->start[s]; t < ds->end[s]; t++)
      {
        g_autofree char *d = iso_date (ds->times[t]);

        /* log (price / 10): negative for prices under 10. */
        g_string_append_printf (csv, "%s,%s,%.0f,%.0f,%.4f\n", d, ds->series_ids[s], tc_dataset_target_row (ds, s)[t],
                                tc_dataset_known_row (ds, 0, s)[t], log (tc_dataset_known_row (ds, 1, s)[t] / 10));
      }
  path = write_file ("log-price.csv", csv->str);
  fc = fixture_setup_csv (&f, path);
  imported = tc_session_get_dataset (f.session);
  for (guint k = 0; k < imported->n_known; k++)
    if (g_str_equal (imported->known_names[k], "LPRICE"))
      lprice = (int) k;
  g_assert_cmpint (lprice, >=, 0);
  g_assert_cmpint (imported->known_kinds[lprice], ==, TC_COVARIATE_LOG_PRICE);

  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PRICE, NULL, 0.9, 0, H - 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  g_test_message ("%s | %s", tc_scenario_page_get_headline (f.page), tc_scenario_page_get_detail (f.page));
  g_assert_null (r->uplift_revenue);
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), "No revenue: “LPRICE” holds logarithms of prices"));
  g_assert_null (strstr (tc_scenario_page_get_detail (f.page), "Revenue "));
  /* ×0.9 on a log price is + log 0.9 in the plan the model saw. */
  {
    g_autoptr (TcDataset) plan = tc_future_plan_resolve_full (fc, tc_session_get_dataset (f.session), NULL,
                                                              TC_ORIGIN_PER_SERIES, NULL);
    TcScenarioEdit e = { (char *) "LPRICE", TC_SCENARIO_SCALE, 0.9, G_MININT64, G_MAXINT64, -1 };
    g_autoptr (TcScenarioResult) core = tc_forecaster_scenario_full (fc, tc_session_get_dataset (f.session), plan,
                                                                     TC_ORIGIN_PER_SERIES, &e, 1, &error);

    g_assert_no_error (error);
    for (guint s = 0; s < N_SERIES; s++)
      assert_close (sum_uplift (r, s), sum_uplift (core, s));
  }
  fixture_teardown (&f);
}

/* Issue 14: a competitor's price is a change like any other: the menu
 * offers it when the model has one, the page's numbers are the core's,
 * and its lever is named next to the result. */
static void
test_competitor (void)
{
  g_autoptr (GString) csv = g_string_new ("date,sku,units,promo,price,competitor_price\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 77);
  g_autoptr (GRand) rng = g_rand_new_with_seed (3);
  g_autofree char *path = NULL;
  TcForecaster *fc;
  Fixture f;
  const TcScenarioResult *r;

  for (guint s = 0; s < ds->n_series; s++)
    for (guint t = ds->start[s]; t < ds->end[s]; t++)
      {
        g_autofree char *d = iso_date (ds->times[t]);
        double comp = tc_dataset_known_row (ds, 1, s)[t] * (0.8 + 0.4 * g_rand_double (rng));

        /* Cross-price elasticity +0.6 around the item's own price. */
        g_string_append_printf (csv, "%s,%s,%.0f,%.0f,%.2f,%.2f\n", d, ds->series_ids[s],
                                tc_dataset_target_row (ds, s)[t]
                                * pow (comp / tc_dataset_known_row (ds, 1, s)[t], 0.6),
                                tc_dataset_known_row (ds, 0, s)[t], tc_dataset_known_row (ds, 1, s)[t], comp);
      }
  path = write_file ("competitor.csv", csv->str);
  fc = fixture_setup_csv (&f, path);
  g_assert_cmpuint (tc_session_get_dataset (f.session)->n_known, ==, 3);

  /* The menu's item, as a user picks it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "scenario.add-competitor", NULL));
  g_assert_cmpuint (tc_scenario_page_get_n_edits (f.page), ==, 1);
  tc_scenario_page_reset (f.page);
  wait_idle (f.page);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_COMPETITOR, NULL, 0.9, 0, H - 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  g_test_message ("%s | %s", tc_scenario_page_get_headline (f.page), tc_scenario_page_get_detail (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), "A competitor’s price 10 % lower (competitor_price)"));
  {
    g_autoptr (TcDataset) plan = tc_future_plan_resolve_full (fc, tc_session_get_dataset (f.session), NULL,
                                                              TC_ORIGIN_PER_SERIES, NULL);
    TcScenarioEdit e = { (char *) "competitor_price", TC_SCENARIO_SCALE, 0.9, G_MININT64, G_MAXINT64, -1 };
    g_autoptr (TcScenarioResult) core = tc_forecaster_scenario_full (fc, tc_session_get_dataset (f.session), plan,
                                                                     TC_ORIGIN_PER_SERIES, &e, 1, &error);

    g_assert_no_error (error);
    for (guint s = 0; s < N_SERIES; s++)
      assert_close (sum_uplift (r, s), sum_uplift (core, s));
  }
  /* The own price is still the price: revenue is computed. */
  g_assert_nonnull (r->uplift_revenue);
  fixture_teardown (&f);
}

/* A plan's column of names fills the importer's one-hot covariates. */
static void
test_plan_levels (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_DAILY, 1, 5, 2, 0, 0, FALSE);
  g_autoptr (TcDataset) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file ("levels.csv", "date,holiday\n2024-01-06,a\n2024-01-07,\n2024-01-08,b\n");
  g_autofree char *off = write_file ("off-grid.csv", "date,holiday\n2024-01-06 12:00,a\n");
  guint n_rows = 0;

  for (guint t = 0; t < 5; t++)
    ds->times[t] = 1704067200 + (gint64) t * 86400;   /* 2024-01-01 .. 05 */
  ds->series_ids[0] = g_strdup ("only");
  ds->known_names[0] = g_strdup ("holiday=a");
  ds->known_names[1] = g_strdup ("holiday=b");
  ds->known_kinds[0] = ds->known_kinds[1] = TC_COVARIATE_HOLIDAY;

  plan = tc_future_plan_read (path, ds, NULL, NULL, &n_rows, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 3);
  g_assert_cmpuint (plan->n_times, ==, 3);
  g_assert_cmpint (plan->times[0], ==, 1704067200 + 5 * 86400);
  g_assert_cmpfloat (tc_dataset_known_row (plan, 0, 0)[0], ==, 1);
  g_assert_cmpfloat (tc_dataset_known_row (plan, 0, 0)[1], ==, 0);
  g_assert_cmpfloat (tc_dataset_known_row (plan, 0, 0)[2], ==, 0);
  g_assert_cmpfloat (tc_dataset_known_row (plan, 1, 0)[2], ==, 1);
  g_assert_cmpfloat (tc_dataset_known_row (plan, 1, 0)[0], ==, 0);

  g_assert_null (tc_future_plan_read (off, ds, NULL, NULL, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "not a step"));
}

/* The chart's second median: drawn, hovered, and cleared with its forecast. */
static guint
count_color (cairo_surface_t *surface, const TcRGBA *c)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        int r = px >> 16 & 0xff, g = px >> 8 & 0xff, b = px & 0xff;

        n += abs (r - (int) round (c->r * 255)) < 8 && abs (g - (int) round (c->g * 255)) < 8
             && abs (b - (int) round (c->b * 255)) < 8;
      }
  return n;
}

static void
test_chart_comparison (void)
{
  g_autoptr (TcChart) chart = tc_chart_new ();
  gint64 t[8];
  double hist[8], fc[4] = { 10, 12, 11, 13 }, cmp[4] = { 10, 20, 22, 13 };
  TcChartHoverInfo info;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint with, without;

  for (guint i = 0; i < 8; i++)
    {
      t[i] = 1704067200 + (gint64) i * 86400;
      hist[i] = 9 + i % 3;
    }
  tc_chart_set_history (chart, t, hist, 4);
  tc_chart_set_forecast (chart, t + 4, fc, 4);
  tc_chart_set_comparison (chart, cmp, "Scenario");
  tc_chart_set_size (chart, 600, 300);
  tc_chart_set_hover_index (chart, 5);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_cmpfloat (info.forecast, ==, 12);
  g_assert_cmpfloat (info.comparison, ==, 20);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 300);
  cr = cairo_create (surface);
  tc_chart_clear_hover (chart);
  tc_chart_render (chart, cr, 600, 300);
  with = count_color (surface, &tc_chart_get_style (chart)->comparison);
  tc_chart_set_comparison (chart, NULL, NULL);
  tc_chart_render (chart, cr, 600, 300);
  without = count_color (surface, &tc_chart_get_style (chart)->comparison);
  g_test_message ("comparison-coloured pixels: %u with the line, %u without", with, without);
  g_assert_cmpuint (with, >, without + 50);

  /* A forecast of another length drops the comparison with the bands. */
  tc_chart_set_comparison (chart, cmp, "Scenario");
  tc_chart_set_forecast (chart, t + 4, fc, 3);
  tc_chart_set_hover_index (chart, 5);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_true (isnan (info.comparison));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}


/* Several series get the band of their sum by the application's one rule
 * (the "sum-ranges" setting, shared with the Forecast page): independent
 * by default, wider when the series move together; the caption says which. */
static void
test_sum_band (void)
{
  Fixture f;
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  TcChart *chart;
  TcChartHoverInfo info;
  double width_indep, width_together;
  const TcScenarioResult *r;
  guint idx;

  fixture_setup (&f, TRUE);
  /* The series picker searches by name: a shop has hundreds of SKUs. */
  {
    GtkDropDown *picker = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (f.page), TC_TYPE_SCENARIO_PAGE,
                                                                        "scope_row"));

    g_assert_true (gtk_drop_down_get_enable_search (picker));
    g_assert_nonnull (gtk_drop_down_get_expression (picker));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (picker)), >, 1);
  }
  g_settings_set_string (settings, "sum-ranges", "independent");
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  chart = tc_chart_view_get_chart (TC_CHART_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f.page),
                                                                                 TC_TYPE_SCENARIO_PAGE,
                                                                                 "chart_view")));
  /* The 80 % and the 50 % range of the total (issue 18, item 11). */
  {
    double ql, qh;

    g_assert_cmpuint (tc_chart_get_n_bands (chart), ==, 2);
    g_assert_true (tc_chart_get_band_levels (chart, 0, &ql, &qh));
    g_assert_cmpfloat (fabs (ql - 0.1), <, 1e-6);
    g_assert_cmpfloat (fabs (qh - 0.9), <, 1e-6);
    g_assert_true (tc_chart_get_band_levels (chart, 1, &ql, &qh));
    g_assert_cmpfloat (fabs (ql - 0.25), <, 1e-6);
    g_assert_cmpfloat (fabs (qh - 0.75), <, 1e-6);
  }
  idx = tc_chart_get_n_steps (chart) - 2;
  tc_chart_set_hover_index (chart, idx);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_true (isfinite (info.lo) && isfinite (info.hi));
  g_assert_cmpfloat (info.lo, <, info.forecast);
  g_assert_cmpfloat (info.forecast, <, info.hi);
  width_indep = info.hi - info.lo;
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f.page),
                                                                                         TC_TYPE_SCENARIO_PAGE,
                                                                                         "caption_label"))),
                            "independently"));

  g_settings_set_string (settings, "sum-ranges", "together");
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  tc_chart_set_hover_index (chart, idx);
  g_assert_true (tc_chart_get_hover (chart, &info));
  width_together = info.hi - info.lo;
  g_test_message ("band of the total: %.1f independent, %.1f together", width_indep, width_together);
  g_assert_cmpfloat (width_together, >, width_indep);
  g_settings_reset (settings, "sum-ranges");
  fixture_teardown (&f);
}

/* A series that ends 3 weeks early is forecast, changed and exported
 * on its own dates, as the core does it. */
static void
test_ragged_ends (void)
{
  Fixture f;
  const TcScenarioResult *r;
  g_autoptr (TcScenarioResult) core = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv_path = g_build_filename (tmpdir, "ragged.csv", NULL);
  g_autofree char *csv = NULL, *first = NULL;
  g_auto (GStrv) lines = NULL;
  TcScenarioEdit edit;
  const TcDataset *ds;

  fixture_setup_ragged (&f, TRUE, 3);
  ds = tc_session_get_dataset (f.session);
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), "end on different dates"));

  /* The date pickers start at series 1's first forecast date: a
   * promotion on its first three weeks. */
  tc_scenario_page_set_scope_series (f.page, 1);
  wait_idle (f.page);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 0, 2));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  g_assert_cmpuint (tc_forecast_series_origin (r->baseline, 1), ==, ds->n_times - 3);
  g_assert_cmpuint (tc_forecast_series_origin (r->baseline, 0), ==, ds->n_times);

  edit = (TcScenarioEdit) { (char *) "promo", TC_SCENARIO_SET, 1.0,
                            ds->times[ds->n_times - 3], ds->times[ds->n_times - 1], 1 };
  core = core_scenario (f.session, &edit, 1);
  assert_close (sum_uplift (r, 1), sum_uplift (core, 1));
  g_assert_cmpfloat (sum_uplift (r, 1), >, 0);

  g_assert_true (tc_scenario_page_export_csv (f.page, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, H + 2);
  first = iso_date (ds->times[ds->n_times - 3]);
  g_assert_nonnull (strstr (lines[1], first));
  g_assert_null (strstr (csv, ",,"));
  for (guint i = 1; i <= H; i++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 6);
      g_assert_cmpstr (cells[5], !=, "");
    }
  g_unlink (csv_path);
  fixture_teardown (&f);
}

static void
run_evaluation (TcEvaluationPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;
  GObject *transformer = gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE,
                                                        "transformer_check");

  /* Baselines only: the drivers and levers come from the trained model
   * all the same, and it is quick. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (transformer), FALSE);
  tc_evaluation_page_run (page);
  while (tc_evaluation_page_get_running (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (tc_evaluation_page_get_error (page));
  g_assert_nonnull (tc_evaluation_page_get_drivers (page));
}

static const char *
drivers_text (TcEvaluationPage *page)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE,
                                                                       "drivers_label")));
}

/* Issue 18, item 3: the Evaluation page and the Scenarios page show one
 * estimate per lever.  The same change over all products and dates on
 * the Scenarios page gives exactly the Evaluation page's figure, and
 * both pages name it in the same words; whichever page comes first
 * computes it, the other reuses it. */
static void
test_same_lever (gconstpointer data)
{
  gboolean evaluation_first = GPOINTER_TO_INT (data);
  Fixture f;
  TcEvaluationPage *eval;
  GtkWidget *eval_window;
  TcLeverSet *levers;
  const TcLever *price, *promo;
  const TcScenarioResult *r;
  g_autofree char *price_text = NULL, *promo_text = NULL;
  double t_base = 0, t_up = 0;
  guint H_ = 0, Q, m = 0;

  fixture_setup (&f, TRUE);
  eval_window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (eval_window), 1000, 800);
  eval = g_object_new (TC_TYPE_EVALUATION_PAGE, "session", f.session, NULL);
  gtk_window_set_child (GTK_WINDOW (eval_window), GTK_WIDGET (eval));
  gtk_window_present (GTK_WINDOW (eval_window));
  g_assert_null (tc_session_get_levers (f.session));

  if (evaluation_first)
    {
      run_evaluation (eval);
      g_assert_nonnull (tc_session_get_levers (f.session));
    }
  levers = tc_session_get_levers (f.session);

  /* The price 10 % lower for all products over the whole horizon. */
  r = tc_scenario_page_get_result (f.page);
  g_assert_nonnull (r);
  H_ = r->baseline->horizon;
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PRICE, NULL, TC_LEVER_PRICE_FACTOR, 0, H_ - 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  if (evaluation_first)
    g_assert_true (tc_session_get_levers (f.session) == levers);   /* not computed again */
  levers = tc_session_get_levers (f.session);
  g_assert_nonnull (levers);
  price = tc_lever_set_find (levers, TC_LEVER_PRICE, "price");
  promo = tc_lever_set_find (levers, TC_LEVER_PROMOTION, "promo");
  g_assert_nonnull (price);
  g_assert_nonnull (promo);
  g_assert_cmpfloat (promo->uplift_pct, >, 10);

  /* The page's total is the lever's figure. */
  r = tc_scenario_page_get_result (f.page);
  Q = r->baseline->n_quantiles;
  for (guint q = 0; q < Q; q++)
    if (r->baseline->quantiles[q] == 0.5)
      m = q;
  for (gsize i = 0; i < (gsize) N_SERIES * H_; i++)
    {
      t_base += r->baseline->values[i * Q + m];
      t_up += r->uplift_units[i];
    }
  g_test_message ("scenario %+.4f %%, lever %+.4f %% (%+.2f to %+.2f)", 100 * t_up / t_base,
                  price->uplift_pct, price->uplift_lo, price->uplift_hi);
  g_assert_cmpfloat (fabs (100 * t_up / t_base - price->uplift_pct), <=, 1e-9 * MAX (1, fabs (price->uplift_pct)));
  price_text = tc_lever_describe (price);
  promo_text = tc_lever_describe (promo);
  g_test_message ("%s | %s", price_text, tc_scenario_page_get_detail (f.page));
  g_assert_nonnull (strstr (price_text, "10 % lower price"));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (f.page), price_text));
  /* Only the levers this scenario pulls. */
  g_assert_null (strstr (tc_scenario_page_get_detail (f.page), promo_text));

  if (!evaluation_first)
    {
      run_evaluation (eval);
      g_assert_true (tc_session_get_levers (f.session) == levers);   /* not computed again */
    }
  g_test_message ("drivers: %s", drivers_text (eval));
  g_assert_nonnull (strstr (drivers_text (eval), price_text));
  g_assert_nonnull (strstr (drivers_text (eval), promo_text));

  /* A new plan drops the estimates on both pages. */
  tc_session_set_future (f.session, NULL);
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (tc_session_get_levers (f.session));
  g_assert_null (strstr (drivers_text (eval), price_text));

  gtk_window_destroy (GTK_WINDOW (eval_window));
  tc_test_finalize_soon (eval_window);
  fixture_teardown (&f);
}

/* Issue 14: scenarios people can keep.  Two are saved, one is opened
 * again (its rows come back), the comparison table has the baseline and
 * both, with the numbers of the core's tc_scenario_book_compare for the
 * same book, and a deleted one leaves it. */
static void
test_saved_scenarios (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr (GArray) changes = g_array_new (FALSE, TRUE, sizeof (TcProjectChange));
  g_auto (GStrv) scope = NULL;
  g_auto (GStrv) cells = NULL;
  g_autoptr (TcScenarioComparison) core = NULL;
  const TcScenarioComparison *shown;
  TcScenarioBook *book;
  const TcDataset *ds;
  Fixture f;
  guint n_cols = 0;

  g_array_set_clear_func (changes, tc_project_change_clear);
  fixture_setup (&f, TRUE);
  ds = tc_session_get_dataset (f.session);

  /* Nothing to save without a change. */
  g_assert_false (tc_scenario_page_save_scenario (f.page, "Empty", &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 1, 3));
  g_assert_true (tc_scenario_page_save_scenario (f.page, "Promotion weeks 2–4", &error));
  g_assert_no_error (error);
  tc_scenario_page_reset (f.page);
  wait_idle (f.page);
  tc_scenario_page_set_scope_series (f.page, 2);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PRICE, NULL, 0.8, 0, H - 1));
  g_assert_true (tc_scenario_page_save_scenario (f.page, "Price cut on one SKU", &error));
  g_assert_no_error (error);
  book = tc_session_get_scenario_book (f.session);
  g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 2);
  g_assert_cmpuint (tc_scenario_page_get_n_saved_rows (f.page), ==, 2);
  g_assert_cmpstr (tc_scenario_book_get_name (book, 1), ==, "Price cut on one SKU");

  /* Reopened: the promotion row, on the same dates, for all series. */
  tc_scenario_page_set_scope_series (f.page, -1);
  tc_scenario_page_reset (f.page);
  wait_idle (f.page);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (f.page), ==, 0);
  g_assert_true (tc_scenario_page_open_scenario (f.page, "Promotion weeks 2–4", &error));
  g_assert_no_error (error);
  wait_idle (f.page);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (f.page), ==, 1);
  tc_scenario_page_get_changes (f.page, changes, &scope);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (g_array_index (changes, TcProjectChange, 0).kind, ==, TC_LEVER_PROMOTION);
  g_assert_null (scope);
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  /* The other: its price factor and its one series come back too. */
  g_assert_true (tc_scenario_page_open_scenario (f.page, "Price cut on one SKU", &error));
  g_assert_no_error (error);
  wait_idle (f.page);
  g_array_set_size (changes, 0);
  tc_scenario_page_get_changes (f.page, changes, &scope);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (g_array_index (changes, TcProjectChange, 0).kind, ==, TC_LEVER_PRICE);
  g_assert_cmpfloat (g_array_index (changes, TcProjectChange, 0).value, ==, 0.8);
  g_assert_nonnull (scope);
  g_assert_cmpuint (g_strv_length (scope), ==, 1);
  g_assert_cmpstr (scope[0], ==, ds->series_ids[2]);
  g_assert_false (tc_scenario_page_open_scenario (f.page, "No such", &error));
  g_clear_error (&error);

  /* Compared side by side, in a worker: the core's numbers. */
  tc_scenario_page_compare (f.page);
  g_assert_true (tc_scenario_page_get_busy (f.page));
  g_assert_null (tc_scenario_page_get_comparison (f.page));
  wait_idle (f.page);
  shown = tc_scenario_page_get_comparison (f.page);
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->n_rows, ==, 3);
  {
    TcForecaster *fc = tc_session_get_forecaster (f.session);
    g_autoptr (TcDataset) plan = tc_future_plan_resolve_full (fc, ds, NULL, TC_ORIGIN_PER_SERIES, NULL);
    g_autofree char *rule = g_settings_get_string (settings, "sum-ranges");

    core = tc_scenario_book_compare (book, fc, ds, plan, TC_ORIGIN_PER_SERIES, -1,
                                     g_str_equal (rule, "together") ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT,
                                     &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (core->n_rows, ==, 3);
  for (guint r = 0; r < 3; r++)
    for (guint q = 0; q < core->n_quantiles; q++)
      {
        assert_close (shown->rows[r].units[q], core->rows[r].units[q]);
        assert_close (shown->rows[r].uplift[q], core->rows[r].uplift[q]);
      }
  /* The price cut sells more, and the table says it as shown. */
  g_assert_cmpfloat (core->rows[2].uplift[core->median], !=, 0);
  cells = tc_scenario_page_get_comparison_cells (f.page, &n_cols);
  g_assert_cmpuint (g_strv_length (cells), ==, 4 * n_cols);
  g_assert_cmpstr (cells[n_cols * 2], ==, "Promotion weeks 2–4");
  g_assert_cmpstr (cells[n_cols * 3], ==, "Price cut on one SKU");
  g_assert_true (g_str_has_prefix (cells[2], "Change\nlikely, P10–P90"));
  {
    g_autofree char *units = tc_chart_format_thousands (core->rows[1].units[core->median], 0);

    g_assert_cmpstr (cells[n_cols * 2 + 1], ==, units);
  }
  /* The interval of the change, not only its median: "median\na to b". */
  {
    g_autofree char *change = tc_scenario_page_format_signed (core->rows[2].uplift[core->median]);

    g_assert_true (g_str_has_prefix (cells[n_cols * 3 + 2], change));
    g_assert_nonnull (strstr (cells[n_cols * 3 + 2], "\n"));
    g_assert_nonnull (strstr (cells[n_cols * 3 + 2], " to "));
  }
  /* This data has a price: revenue is a column. */
  for (guint c = 0; c < n_cols; c++)
    if (g_str_has_prefix (cells[c], "Revenue"))
      n_cols = 0;
  g_assert_cmpuint (n_cols, ==, 0);
  g_clear_pointer (&cells, g_strfreev);

  /* Deleted: out of the book and of the table, computed again. */
  g_assert_true (tc_scenario_page_delete_scenario (f.page, "Promotion weeks 2–4"));
  g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 1);
  g_assert_cmpuint (tc_scenario_page_get_n_saved_rows (f.page), ==, 1);
  wait_idle (f.page);
  shown = tc_scenario_page_get_comparison (f.page);
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->n_rows, ==, 2);
  g_assert_cmpstr (shown->rows[1].name, ==, "Price cut on one SKU");
  assert_close (shown->rows[1].uplift[core->median], core->rows[2].uplift[core->median]);

  /* Export and import a book file: trendcast-cli's format. */
  {
    g_autofree char *path = g_build_filename (tmpdir, "book.ini", NULL);
    g_autoptr (TcScenarioBook) read = NULL;

    g_assert_true (tc_scenario_page_export_book (f.page, path, &error));
    g_assert_no_error (error);
    read = tc_scenario_book_load (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_scenario_book_get_n (read), ==, 1);
    g_assert_true (tc_scenario_page_delete_scenario (f.page, "Price cut on one SKU"));
    g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 0);
    g_assert_true (tc_scenario_page_import_book (f.page, path, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tc_scenario_book_get_n (tc_session_get_scenario_book (f.session)), ==, 1);
    g_assert_cmpuint (tc_scenario_page_get_n_saved_rows (f.page), ==, 1);
  }
  fixture_teardown (&f);
}

/* Issue 14: where price and discount always moved together, a price
 * change without the discount is an extrapolation, and the page says so;
 * a discount (both, as in the history) is not. */
static void
test_price_alone (void)
{
  g_autoptr (GString) csv = g_string_new ("date,sku,units,promo,discount,price\n");
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 55);
  g_autoptr (GRand) rng = g_rand_new_with_seed (8);
  g_autofree char *path = NULL;
  TcForecaster *fc;
  Fixture f;

  for (guint s = 0; s < ds->n_series; s++)
    for (guint t = ds->start[s]; t < ds->end[s]; t++)
      {
        g_autofree char *d = iso_date (ds->times[t]);
        double disc = g_rand_int_range (rng, 0, 4) == 0 ? 0.05 * g_rand_int_range (rng, 1, 6) : 0;
        double base = 10 + s;

        /* The price is the base price less the discount, as in a shop. */
        g_string_append_printf (csv, "%s,%s,%.0f,%.0f,%.2f,%.2f\n", d, ds->series_ids[s],
                                tc_dataset_target_row (ds, s)[t] * pow (1 - disc, -1.8),
                                tc_dataset_known_row (ds, 0, s)[t], disc, base * (1 - disc));
      }
  path = write_file ("price-discount.csv", csv->str);
  fc = fixture_setup_csv (&f, path);
  /* The model reads the price, which carries the discount's effect (tc-features.h). */
  g_assert_true (g_strv_contains (tc_forecaster_get_known_names (fc), "price"));
  g_assert_false (g_strv_contains (tc_forecaster_get_known_names (fc), "discount"));

  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_PRICE, NULL, 0.9, 0, H - 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  g_assert_nonnull (tc_scenario_page_get_caution (f.page));
  g_test_message ("%s", tc_scenario_page_get_caution (f.page));
  g_assert_nonnull (strstr (tc_scenario_page_get_caution (f.page),
                            "In the history, “price” always moved together with “discount”"));
  g_assert_nonnull (strstr (tc_scenario_page_get_caution (f.page), "goes beyond the data"));
  g_assert_nonnull (strstr (tc_scenario_page_get_caution (f.page), "this estimate is uncertain"));

  tc_scenario_page_reset (f.page);
  wait_idle (f.page);
  g_assert_true (tc_scenario_page_add_edit (f.page, TC_SCENARIO_EDIT_DISCOUNT, NULL, 10, 0, H - 1));
  tc_scenario_page_apply (f.page);
  wait_idle (f.page);
  g_assert_nonnull (tc_scenario_page_get_result (f.page));
  g_assert_null (tc_scenario_page_get_caution (f.page));
  fixture_teardown (&f);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmpdir = g_dir_make_tmp ("test-scenario-page-XXXXXX", &error);
  g_assert_no_error (error);
  make_fixture ();
  train_model ();

  g_test_add_func ("/scenario-page/promotion", test_promotion);
  g_test_add_func ("/scenario-page/all-series", test_all_series);
  g_test_add_func ("/scenario-page/plan-import", test_plan_import);
  g_test_add_func ("/scenario-page/no-model", test_no_model);
  g_test_add_func ("/scenario-page/log-price-no-revenue", test_log_price_no_revenue);
  g_test_add_func ("/scenario-page/competitor", test_competitor);
  g_test_add_func ("/scenario-page/chart-comparison", test_chart_comparison);
  g_test_add_func ("/scenario-page/saved-scenarios", test_saved_scenarios);
  g_test_add_func ("/scenario-page/price-alone", test_price_alone);
  g_test_add_func ("/scenario-page/plan-levels", test_plan_levels);
  g_test_add_func ("/scenario-page/ragged-ends", test_ragged_ends);
  g_test_add_func ("/scenario-page/sum-band", test_sum_band);
  g_test_add_data_func ("/scenario-page/same-lever/evaluation-first", GINT_TO_POINTER (TRUE), test_same_lever);
  g_test_add_data_func ("/scenario-page/same-lever/scenarios-first", GINT_TO_POINTER (FALSE), test_same_lever);
  ret = g_test_run ();

  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  g_free (data_path);
  g_free (model_path);
  return ret;
}
