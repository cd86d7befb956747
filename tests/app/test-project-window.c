/* test-project-window.c — projects in the app: save, reopen, autosave, recover, close
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb, with the online-store sample: a window imports it, trains
 * a small model and makes a scenario; the project is saved, opened in a
 * second window, and both must forecast and compute the scenario
 * identically.  Then the autosave: a damaged autosave next to a good
 * one, the project still opening, recovery of the good one, and the
 * close question.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "app/app-test-util.h"
#include "tc-application.h"
#include "tc-evaluation-page.h"
#include "tc-forecast-page.h"
#include "tc-plan-page.h"
#include "tc-project.h"
#include "tc-scenario-page.h"
#include "tc-session.h"
#include "tc-tour.h"
#include "tc-window.h"

static TcApplication *app;
static char *tmpdir;
static char *project_path;

static void
iterate_main_loop (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
settle (guint rounds)
{
  for (guint k = 0; k < rounds; k++)
    {
      g_usleep (20000);
      iterate_main_loop ();
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static GObject *
child (TcWindow *window, const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, name);
}

static void
wait_scenario (TcScenarioPage *sp)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  settle (2);
  while (tc_scenario_page_get_busy (sp))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
      iterate_main_loop ();
    }
  settle (2);
}

static void
wait_opened (TcWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (tc_window_is_opening_project (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wait_scenario (TC_SCENARIO_PAGE (child (window, "scenarios_page")));
}

static void
respond (AdwMessageDialog *dialog, const char *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
destroy_window (TcWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  tc_test_finalize_soon (window);
}

/* The sample imported from its file and a model trained in a moment. */
static void
give_sample_and_model (TcSession *session)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", "online-store.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (sample);
  g_autoptr (GError) error = NULL;
  TcForecasterOptions o;
  TcForecaster *fc;

  g_assert_true (tc_session_import (session, file, NULL, NULL, &error));
  g_assert_no_error (error);
  tc_forecaster_options_init (&o);
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.batch = 16;
  o.max_epochs = 1;
  o.steps_per_epoch = 4;
  o.threads = 1;
  fc = tc_forecaster_train (tc_session_get_dataset (session), &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (session, fc);
}

static void
assert_forecasts_equal (const TcForecast *a, const TcForecast *b)
{
  g_assert_cmpuint (a->n_series, ==, b->n_series);
  g_assert_cmpuint (a->horizon, ==, b->horizon);
  g_assert_cmpuint (a->n_quantiles, ==, b->n_quantiles);
  g_assert_cmpmem (a->values, sizeof (double) * a->n_series * a->horizon * a->n_quantiles,
                   b->values, sizeof (double) * b->n_series * b->horizon * b->n_quantiles);
}

static void
assert_same_work (TcWindow *a, TcWindow *b)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) fa = tc_session_predict (tc_window_get_session (a), TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_autoptr (TcForecast) fb = tc_session_predict (tc_window_get_session (b), TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  TcScenarioPage *sa = TC_SCENARIO_PAGE (child (a, "scenarios_page"));
  TcScenarioPage *sb = TC_SCENARIO_PAGE (child (b, "scenarios_page"));
  const TcScenarioResult *ra = tc_scenario_page_get_result (sa);
  const TcScenarioResult *rb = tc_scenario_page_get_result (sb);

  g_assert_no_error (error);
  assert_forecasts_equal (fa, fb);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (sb), ==, tc_scenario_page_get_n_edits (sa));
  g_assert_nonnull (ra);
  g_assert_nonnull (rb);
  assert_forecasts_equal (ra->baseline, rb->baseline);
  assert_forecasts_equal (ra->scenario, rb->scenario);
  g_assert_cmpmem (ra->uplift_units, sizeof (double) * fa->n_series * fa->horizon,
                   rb->uplift_units, sizeof (double) * fb->n_series * fb->horizon);
  g_assert_cmpstr (tc_scenario_page_get_headline (sb), ==, tc_scenario_page_get_headline (sa));
  g_assert_cmpstr (tc_scenario_page_get_detail (sb), ==, tc_scenario_page_get_detail (sa));
}

/* The backtest table cell by cell, the metrics to the last bit, the
 * drivers in order. */
static void
assert_same_evaluation (TcWindow *a, TcWindow *b)
{
  TcEvaluationPage *ea = TC_EVALUATION_PAGE (child (a, "evaluation_page"));
  TcEvaluationPage *eb = TC_EVALUATION_PAGE (child (b, "evaluation_page"));
  const TcBacktestResult *ra = tc_evaluation_page_get_result (ea);
  const TcBacktestResult *rb = tc_evaluation_page_get_result (eb);
  const TcExplainResult *da = tc_evaluation_page_get_drivers (ea);
  const TcExplainResult *db = tc_evaluation_page_get_drivers (eb);
  guint n_cells = 0;

  g_assert_nonnull (ra);
  g_assert_nonnull (rb);
  g_assert_cmpuint (rb->n_models, ==, ra->n_models);
  for (guint i = 0; i < ra->n_models; i++)
    {
      g_assert_cmpstr (rb->model_names[i], ==, ra->model_names[i]);
      for (guint k = 0; k < TC_METRIC_N; k++)
        {
          double x = tc_backtest_result_metric (ra, i, k), y = tc_backtest_result_metric (rb, i, k);

          g_assert_true ((isnan (x) && isnan (y)) || x == y);
        }
      g_assert_cmpfloat (tc_backtest_result_skill (rb, i), ==, tc_backtest_result_skill (ra, i));
    }
  for (guint row = 0; row <= ra->n_models; row++)
    for (guint col = 0; col < 12; col++)
      {
        g_autofree char *x = tc_evaluation_page_dup_cell (ea, row, col);
        g_autofree char *y = tc_evaluation_page_dup_cell (eb, row, col);

        g_assert_cmpstr (y, ==, x);
        n_cells += x != NULL;
      }
  g_assert_cmpuint (n_cells, >, 2 * ra->n_models);
  g_assert_nonnull (db);
  g_assert_cmpuint (db->n_drivers, ==, da->n_drivers);
  for (guint i = 0; i < da->n_drivers; i++)
    {
      g_assert_cmpstr (db->drivers[i].name, ==, da->drivers[i].name);
      g_assert_cmpfloat (db->drivers[i].importance, ==, da->drivers[i].importance);
    }
}

/* A window with the sample, a model and a scenario for one product. */
static TcWindow *
window_with_work (void)
{
  TcWindow *window = g_object_ref (tc_window_new (app));
  TcScenarioPage *sp = TC_SCENARIO_PAGE (child (window, "scenarios_page"));
  const TcDataset *ds;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  give_sample_and_model (tc_window_get_session (window));
  ds = tc_session_get_dataset (tc_window_get_session (window));
  g_assert_nonnull (ds);
  settle (5);
  wait_scenario (sp);
  tc_scenario_page_set_scope_series (sp, 2);
  g_assert_true (tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_DISCOUNT, NULL, 20, 1, 3));
  g_assert_true (tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 2, 4));
  tc_scenario_page_apply (sp);
  wait_scenario (sp);
  g_assert_nonnull (tc_scenario_page_get_result (sp));
  /* Kept by name too (issue 14): the project carries the saved scenarios. */
  g_assert_true (tc_scenario_page_save_scenario (sp, "Discount and promotion", NULL));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack")), "scenarios");
  settle (3);
  return window;
}

static void
test_save_and_reopen (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (project_path);
  TcWindow *a, *b;

  a = window_with_work ();
  g_assert_null (tc_window_get_project_path (a));
  g_assert_true (tc_window_has_unsaved_changes (a));

  /* A backtest, whose numbers go with the project too. */
  {
    TcEvaluationPage *ev = TC_EVALUATION_PAGE (child (a, "evaluation_page"));
    gint64 deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

    tc_evaluation_page_set_model_enabled (ev, "ets", FALSE);
    tc_evaluation_page_run (ev);
    g_assert_true (tc_evaluation_page_get_running (ev));
    while (tc_evaluation_page_get_running (ev))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    g_assert_null (tc_evaluation_page_get_error (ev));
    g_assert_nonnull (tc_evaluation_page_get_result (ev));
    g_assert_nonnull (tc_evaluation_page_get_drivers (ev));
  }
  /* The Plan page's parameters go with the project... */
  tc_plan_page_set_parameters (TC_PLAN_PAGE (child (a, "plan_page")), 3, 2, 0.975);
  g_assert_true (tc_window_save_project (a, file, FALSE, &error));
  g_assert_no_error (error);
  /* ...and not through the settings, which windows share. */
  tc_plan_page_set_parameters (TC_PLAN_PAGE (child (a, "plan_page")), 1, 1, 0.9);
  g_assert_cmpstr (tc_window_get_project_path (a), ==, project_path);
  g_assert_false (tc_window_has_unsaved_changes (a));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (a)), ==, "sales — Trendcast");
  g_assert_false (g_file_test (tc_window_get_autosave_path (a), G_FILE_TEST_EXISTS));

  /* Opened through the front door, in a new window. */
  b = g_object_ref (tc_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (b), 1100, 720);
  gtk_window_present (GTK_WINDOW (b));
  tc_window_open_file (b, file);
  g_assert_true (tc_window_is_opening_project (b));
  wait_opened (b);
  g_assert_cmpstr (tc_window_get_project_path (b), ==, project_path);
  g_assert_false (tc_window_has_unsaved_changes (b));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child (b, "view_stack"))), ==,
                   "scenarios");
  assert_same_work (a, b);
  assert_same_evaluation (a, b);
  /* A new backtest is work to save. */
  {
    TcEvaluationPage *ev = TC_EVALUATION_PAGE (child (b, "evaluation_page"));

    g_assert_false (tc_window_has_unsaved_changes (b));
    tc_evaluation_page_set_model_enabled (ev, "transformer", FALSE);
    tc_evaluation_page_run (ev);
    while (tc_evaluation_page_get_running (ev))
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (tc_evaluation_page_get_result (ev));
    g_assert_true (tc_window_has_unsaved_changes (b));
  }
  {
    guint lead, review;
    double level;

    g_assert_null (tc_plan_page_get_parameters (TC_PLAN_PAGE (child (b, "plan_page")), &lead, &review, &level));
    g_assert_cmpuint (lead, ==, 3);
    g_assert_cmpuint (review, ==, 2);
    g_assert_cmpfloat_with_epsilon (level, 0.975, 1e-9);
  }
  /* The saved scenario came back with the project, and opens as rows. */
  {
    TcScenarioBook *ba = tc_session_get_scenario_book (tc_window_get_session (a));
    TcScenarioBook *bb = tc_session_get_scenario_book (tc_window_get_session (b));
    TcScenarioPage *sb = TC_SCENARIO_PAGE (child (b, "scenarios_page"));

    g_assert_cmpuint (tc_scenario_book_get_n (bb), ==, 1);
    /* Listed on the reopened window's page. */
    g_assert_cmpuint (tc_scenario_page_get_n_saved_rows (sb), ==, 1);
    g_assert_cmpstr (tc_scenario_book_get_name (bb, 0), ==, "Discount and promotion");
    g_assert_cmpstrv (tc_scenario_book_get_edits (bb, 0), tc_scenario_book_get_edits (ba, 0));
    tc_scenario_page_reset (sb);
    wait_scenario (sb);
    g_assert_true (tc_scenario_page_open_scenario (sb, "Discount and promotion", &error));
    g_assert_no_error (error);
    wait_scenario (sb);
    assert_same_work (a, b);
  }

  /* A change shows in the title. */
  g_assert_true (tc_scenario_page_add_edit (TC_SCENARIO_PAGE (child (b, "scenarios_page")),
                                            TC_SCENARIO_EDIT_PRICE, NULL, 0.9, 0, 1));
  g_assert_true (tc_window_has_unsaved_changes (b));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (b)), ==, "• sales — Trendcast");
  wait_scenario (TC_SCENARIO_PAGE (child (b, "scenarios_page")));

  destroy_window (b);
  destroy_window (a);
}

/* The autosave of a project with changes; a killed writer's leftovers
 * beside it; the project itself untouched and still opening; the good
 * autosave offered and recovered. */
static void
test_autosave_and_recovery (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (project_path);
  g_autoptr (TcProject) saved = NULL;
  g_autofree char *saved_bytes = NULL, *autosaved = NULL, *dir = NULL, *damaged = NULL, *leftover = NULL;
  g_autofree char *found = NULL;
  gsize saved_len, autosaved_len;
  TcWindow *a, *b, *c;
  AdwMessageDialog *question;
  gint64 when;

  g_assert_true (g_file_get_contents (project_path, &saved_bytes, &saved_len, NULL));

  a = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (a));
  tc_window_open_project (a, file);
  wait_opened (a);
  g_assert_true (tc_scenario_page_add_edit (TC_SCENARIO_PAGE (child (a, "scenarios_page")),
                                            TC_SCENARIO_EDIT_PRICE, NULL, 0.8, 0, 2));
  wait_scenario (TC_SCENARIO_PAGE (child (a, "scenarios_page")));
  g_assert_true (tc_window_autosave_now (a, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (tc_window_get_autosave_path (a), &autosaved, &autosaved_len, NULL));

  /* A writer killed half-way: its temporary file, and (as a non-atomic
   * writer would leave it) an autosave cut short. */
  dir = g_path_get_dirname (tc_window_get_autosave_path (a));
  damaged = g_build_filename (dir, "99999-1.trendcast", NULL);
  leftover = g_build_filename (dir, "99999-2.trendcast.X7QZ1B", NULL);
  g_assert_true (g_file_set_contents (damaged, autosaved, (gssize) autosaved_len / 2, NULL));
  g_assert_true (g_file_set_contents (leftover, autosaved, (gssize) autosaved_len / 3, NULL));

  /* The project file is untouched by autosaves and opens as saved. */
  {
    g_autofree char *now = NULL;
    gsize now_len;

    g_assert_true (g_file_get_contents (project_path, &now, &now_len, NULL));
    g_assert_cmpmem (now, now_len, saved_bytes, saved_len);
  }
  saved = tc_project_load (project_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->changes->len, ==, 2);

  /* The window "crashes": gone without closing, its autosave stays. */
  destroy_window (a);

  found = tc_window_find_recovery (&when);
  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found, ".trendcast"));
  g_assert_cmpstr (found, !=, damaged);
  g_assert_cmpint (when, >, 0);

  /* The project opens as it was saved, in a new window. */
  b = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (b));
  tc_window_open_project (b, file);
  wait_opened (b);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (TC_SCENARIO_PAGE (child (b, "scenarios_page"))), ==, 2);

  /* Recovery brings back the three changes, still to be saved. */
  c = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (c));
  g_assert_true (tc_window_offer_recovery (c));
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "Recover unsaved work from"));
  respond (question, "recover");
  g_assert_true (tc_window_is_opening_project (c));
  wait_opened (c);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (TC_SCENARIO_PAGE (child (c, "scenarios_page"))), ==, 3);
  g_assert_cmpstr (tc_window_get_project_path (c), ==, project_path);
  g_assert_true (tc_window_has_unsaved_changes (c));
  g_assert_false (g_file_test (found, G_FILE_TEST_EXISTS));

  /* Closing asks; Cancel keeps the window, Discard closes it and
   * leaves nothing to recover. */
  gtk_window_close (GTK_WINDOW (c));
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  g_assert_true (adw_message_dialog_has_response (question, "save"));
  respond (question, "cancel");
  iterate_main_loop ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (c)));
  g_assert_true (tc_window_autosave_now (c, &error));
  g_assert_true (g_file_test (tc_window_get_autosave_path (c), G_FILE_TEST_EXISTS));
  gtk_window_close (GTK_WINDOW (c));
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  {
    g_autofree char *path = g_strdup (tc_window_get_autosave_path (c));

    respond (question, "discard");
    iterate_main_loop ();
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  tc_test_finalize_soon (c);

  destroy_window (b);
  g_unlink (damaged);
  g_unlink (leftover);
}

static gboolean
autosaving (gpointer window)
{
  return tc_window_is_autosaving (window);
}

static void
wait_autosaved (TcWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (autosaving (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The timer's autosave: a snapshot on the main thread, the file written
 * in a worker; a save while it is written leaves no autosave behind. */
static void
test_autosave_in_background (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) back = NULL;
  g_autofree char *other = g_build_filename (tmpdir, "background.trendcast", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (other);
  TcWindow *a = window_with_work ();
  g_autofree char *autosave = g_strdup (tc_window_get_autosave_path (a));

  /* The timer may have autosaved already. */
  wait_autosaved (a);
  g_unlink (autosave);
  g_assert_true (tc_window_autosave_in_background (a));
  /* Written by the worker, reported through the main loop. */
  g_assert_true (tc_window_is_autosaving (a));
  g_assert_false (tc_window_autosave_in_background (a));
  wait_autosaved (a);
  back = tc_project_load (autosave, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back->model);
  g_assert_nonnull (back->data_sha256);
  g_assert_cmpuint (back->changes->len, ==, 2);
  g_assert_null (back->autosave_of);

  /* Saved while the next one is being written: once written, it goes. */
  g_assert_true (tc_scenario_page_add_edit (TC_SCENARIO_PAGE (child (a, "scenarios_page")),
                                            TC_SCENARIO_EDIT_PRICE, NULL, 0.9, 0, 1));
  wait_scenario (TC_SCENARIO_PAGE (child (a, "scenarios_page")));
  /* The timer may have started one while the scenario ran (seen on a
   * loaded machine): with that one written, nothing else can start
   * before the call below, which runs no main loop in between. */
  wait_autosaved (a);
  g_assert_true (tc_window_autosave_in_background (a));
  g_assert_true (tc_window_save_project (a, file, FALSE, &error));
  g_assert_no_error (error);
  wait_autosaved (a);
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));

  destroy_window (a);
  g_unlink (other);
}

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
has_data (gpointer session)
{
  return tc_session_get_dataset (session) != NULL;
}

static gboolean
has_model (gpointer session)
{
  return tc_session_get_forecaster (session) != NULL;
}

/* The tour from the welcome screen to its end on the bundled sample,
 * with a step reset on the way. */
static void
test_tour (void)
{
  TcWindow *window = g_object_ref (tc_window_new (app));
  TcSession *session = tc_window_get_session (window);
  TcScenarioPage *sp = TC_SCENARIO_PAGE (child (window, "scenarios_page"));
  AdwViewStack *stack = ADW_VIEW_STACK (child (window, "view_stack"));
  TcTour *tour = TC_TOUR (tc_window_get_tour (window));
  TcForecasterOptions *o;

  gtk_window_present (GTK_WINDOW (window));
  settle (2);
  g_assert_false (tc_tour_get_active (tour));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.tour", NULL));
  g_assert_true (tc_tour_get_active (tour));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tour)));
  g_assert_cmpuint (tc_tour_get_step (tour), ==, 0);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "data");
  g_assert_false (tc_tour_can_next (tour));

  /* 1 Welcome: the sample opens. */
  g_assert_true (tc_tour_has_action (tour));
  tc_tour_do_action (tour);
  wait_until (has_data, session);
  g_assert_true (tc_tour_can_next (tour));
  tc_tour_next (tour);
  /* 2 The data, 3 the model. */
  g_assert_cmpuint (tc_tour_get_step (tour), ==, 1);
  tc_tour_next (tour);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "model");
  /* A model that trains in a moment, for the test. */
  o = tc_session_get_forecaster_options (session);
  o->preset = TC_PRESET_CUSTOM;
  o->d_model = 16;
  o->n_heads = 2;
  o->n_layers = 1;
  o->d_ff = 32;
  o->batch = 16;
  o->max_epochs = 1;
  o->steps_per_epoch = 4;
  o->threads = 1;
  tc_session_forecaster_options_changed (session);
  tc_tour_next (tour);
  /* 4 Training: Next waits for the model. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "training");
  g_assert_false (tc_tour_can_next (tour));
  tc_tour_next (tour);
  g_assert_cmpuint (tc_tour_get_step (tour), ==, 3);
  tc_tour_do_action (tour);
  wait_until (has_model, session);
  settle (10);
  g_assert_true (tc_tour_can_next (tour));
  tc_tour_next (tour);
  /* 5 The forecast, 6 what if. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "forecast");
  tc_tour_next (tour);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "scenarios");
  wait_scenario (sp);
  tc_tour_do_action (tour);
  wait_scenario (sp);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (sp), ==, 1);
  g_assert_nonnull (tc_scenario_page_get_result (sp));
  /* Reset Step: back to the checkpoint, the model kept, no change. */
  g_assert_true (tc_tour_can_reset (tour));
  tc_tour_reset_step (tour);
  wait_opened (window);
  g_assert_nonnull (tc_session_get_forecaster (session));
  g_assert_cmpuint (tc_scenario_page_get_n_edits (sp), ==, 0);
  g_assert_cmpuint (tc_tour_get_step (tour), ==, 5);
  tc_tour_do_action (tour);
  wait_scenario (sp);
  g_assert_cmpuint (tc_scenario_page_get_n_edits (sp), ==, 1);
  /* 7 Evaluation, then Finish. */
  tc_tour_next (tour);
  g_assert_cmpuint (tc_tour_get_step (tour), ==, tc_tour_get_n_steps () - 1);
  g_assert_cmpstr (tc_tour_get_title (tour), ==, "Is the Forecast Any Good?");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "evaluation");
  tc_tour_next (tour);
  g_assert_false (tc_tour_get_active (tour));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tour)));
  settle (3);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before anything reads them: autosaves and extracted data go here. */
  tmpdir = tc_test_private_dirs ("tc-project-window-XXXXXX");
  project_path = g_build_filename (tmpdir, "sales.trendcast", NULL);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }
  app = tc_test_app_new ();

  g_test_add_func ("/app/project/save-and-reopen", test_save_and_reopen);
  g_test_add_func ("/app/project/autosave-and-recovery", test_autosave_and_recovery);
  g_test_add_func ("/app/project/autosave-in-background", test_autosave_in_background);
  g_test_add_func ("/app/project/tour", test_tour);
  ret = g_test_run ();
  g_clear_object (&app);
  tc_test_remove_dir (tmpdir);
  g_free (project_path);
  return ret;
}
