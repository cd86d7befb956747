/* test-news-missing.c — a project whose market news file is gone or broken still opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb, in real windows: a project made of two series, the mixed
 * news fixture and a small model that reads the news.  With the news
 * file deleted, and then with one that no longer reads, the project
 * opens with its data and model; the Data page shows the warning with
 * the file and the problem; saving keeps the reference; "Remove"
 * forgets it, "Locate…" joins another file and keeps the model.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "app/app-test-util.h"
#include "tc-application.h"
#include "tc-data-page.h"
#include "tc-data-page-private.h"
#include "tc-evaluation-page.h"
#include "tc-forecast-page.h"
#include "tc-project.h"
#include "tc-scenario-page.h"
#include "tc-session.h"
#include "tc-window.h"

static TcApplication *app;
static char *tmpdir;

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

static GObject *
child (TcWindow *window, const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, name);
}

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "news", name, NULL);
}

static void
copy_fixture (const char *name, const char *to)
{
  g_autofree char *from = fixture (name);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (to, text, -1, NULL));
}

/* sales.csv, news.csv and a project of them with a model that reads
 * the news, at @project_path. */
static void
make_project (const char *project_path)
{
  g_autofree char *data = in_tmp ("sales.csv");
  g_autofree char *news = in_tmp ("news.csv");
  g_autoptr (GString) csv = g_string_new ("date,sku,category,units\n");
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (GFile) file = g_file_new_for_path (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  TcImportOptions opts;
  TcForecasterOptions o;
  TcForecaster *fc;

  for (guint t = 0; t < 120; t++)
    {
      g_autofree char *date = tc_frequency_format_time (TC_FREQ_DAILY, (19723 + (gint64) t) * 86400);

      for (guint s = 0; s < 2; s++)
        g_string_append_printf (csv, "%s,P%u,%s,%u\n", date, s, s ? "Drinks" : "Snacks", 10 + (t * 7 + s * 3) % 11);
    }
  g_assert_true (g_file_set_contents (data, csv->str, -1, NULL));
  copy_fixture ("news-mixed.csv", news);
  tc_import_options_init (&opts);
  opts.news_path = g_strdup (news);
  g_assert_true (tc_session_import (session, file, &opts, NULL, &error));
  g_assert_no_error (error);
  tc_import_options_clear (&opts);
  tc_forecaster_options_init (&o);
  o.preset = TC_PRESET_CUSTOM;
  o.horizon = 7;
  o.patch = 7;
  o.context = 28;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.batch = 16;
  o.max_epochs = 1;
  o.steps_per_epoch = 4;
  o.threads = 1;
  o.text_dim = 4;
  fc = tc_forecaster_train (tc_session_get_dataset (session), &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tc_forecaster_get_reads_news (fc));
  tc_session_set_forecaster (session, fc);
  p = tc_project_capture (session, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_save (p, project_path, &error));
  g_assert_no_error (error);
}

static TcWindow *
open_in_window (const char *project_path)
{
  TcWindow *window = g_object_ref (tc_window_new (app));
  g_autoptr (GFile) file = g_file_new_for_path (project_path);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  settle (3);
  tc_window_open_project (window, file);
  while (tc_window_is_opening_project (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  settle (10);
  return window;
}

static void
destroy_window (TcWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  tc_test_finalize_soon (window);
}

/* The news path of the project file at @path, or NULL. */
static char *
saved_news (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = tc_project_load (path, &error);

  g_assert_no_error (error);
  return g_strdup (p->import_options.news_path);
}

/* No "Could Not Open" message dialog came up over the window. */
static void
assert_no_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      g_assert_false (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)));
    }
}

/* Shows the page named @page and waits until @button, its "Go to
 * Data", is drawn. */
static void
show_page_until_drawn (TcWindow *window, const char *page, GtkWidget *button)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack")), page);
  while (!gtk_widget_is_drawable (button))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

/* Clicks @button: the Data page must come up. */
static void
click_to_data_page (TcWindow *window, GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
  settle (3);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack"))), ==,
                   "data");
}

static void
test_missing (void)
{
  g_autofree char *project_path = in_tmp ("missing.trendcast");
  g_autofree char *news = in_tmp ("news.csv");
  g_autofree char *kept = NULL, *gone = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) f = NULL;
  TcWindow *window;
  TcDataPage *dp;
  TcSession *session;
  const char *title = NULL, *text = NULL;

  make_project (project_path);
  g_assert_cmpint (g_unlink (news), ==, 0);
  window = open_in_window (project_path);
  assert_no_dialog ();
  session = tc_window_get_session (window);
  dp = TC_DATA_PAGE (child (window, "data_page"));

  /* The project is open: its data, its model, its name. */
  g_assert_cmpstr (tc_window_get_project_path (window), ==, project_path);
  g_assert_nonnull (tc_session_get_dataset (session));
  g_assert_cmpuint (tc_session_get_dataset (session)->n_series, ==, 2);
  g_assert_nonnull (tc_session_get_forecaster (session));
  g_assert_cmpstr (tc_data_page_get_state (dp), ==, "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack"))), ==, "data");
  g_assert_false (tc_window_has_unsaved_changes (window));

  /* The warning, drawn, with the path and what the model needs. */
  g_assert_true (tc_data_page_get_news_warning (dp, &title, &text));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (tc_data_page_get_news_warning_button (dp, TRUE))));
  /* Locate… is the way to the file, not a second "Add Market News…". */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dp), TC_TYPE_DATA_PAGE,
                                                                                     "news_button"))));
  g_assert_cmpstr (title, ==, "The market news file is missing");
  g_assert_nonnull (strstr (text, news));
  g_assert_nonnull (strstr (text, "No such file"));
  g_assert_nonnull (strstr (text, "the model reads it"));
  {
    g_autofree char *row = tc_data_page_dup_role_value (dp, "Market news");

    g_assert_cmpstr (row, ==, "news.csv — not joined");
  }

  /* The model refuses to forecast, naming the news file. */
  f = tc_session_predict (session, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, news));
  g_clear_error (&error);

  /* The Forecast page says so too, with the way to the Data page. */
  {
    GtkWidget *fp = GTK_WIDGET (child (window, "forecast_page"));
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (fp, TC_TYPE_FORECAST_PAGE, "news_data_button"));

    show_page_until_drawn (window, "forecast", button);
    click_to_data_page (window, button);
  }
  /* And the Scenarios page, under its own refusal. */
  {
    GtkWidget *sp = GTK_WIDGET (child (window, "scenarios_page"));
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (sp, TC_TYPE_SCENARIO_PAGE, "news_data_button"));

    show_page_until_drawn (window, "scenarios", button);
    g_assert_nonnull (strstr (tc_scenario_page_get_detail (TC_SCENARIO_PAGE (sp)), news));
    click_to_data_page (window, button);
  }
  /* And the Evaluation page, when a backtest with the Transformer is asked for. */
  {
    GtkWidget *ep = GTK_WIDGET (child (window, "evaluation_page"));
    GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (ep, TC_TYPE_EVALUATION_PAGE, "news_data_button"));
    GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (ep, TC_TYPE_EVALUATION_PAGE, "status_label"));

    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack")), "evaluation");
    settle (3);
    g_assert_false (gtk_widget_get_visible (button));
    tc_evaluation_page_run (TC_EVALUATION_PAGE (ep));
    settle (3);
    g_assert_true (gtk_widget_is_drawable (button));
    g_assert_nonnull (strstr (gtk_label_get_text (status), news));
    click_to_data_page (window, button);
  }

  /* Saved as it is, the project keeps the reference. */
  g_assert_true (tc_window_save_project (window, NULL, FALSE, &error));
  g_assert_no_error (error);
  kept = saved_news (project_path);
  g_assert_cmpstr (kept, ==, news);

  /* "Remove": the warning goes, the change is marked, the save forgets it. */
  {
    GtkButton *remove = tc_data_page_get_news_warning_button (dp, FALSE);

    g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (remove)));
    g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (remove)));
    g_assert_cmpstr (gtk_button_get_label (remove), ==, "_Remove");
    g_signal_emit_by_name (remove, "clicked");
  }
  settle (5);
  g_assert_false (tc_data_page_get_news_warning (dp, NULL, NULL));
  g_assert_true (tc_window_has_unsaved_changes (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dp), TC_TYPE_DATA_PAGE,
                                                                                    "news_button"))));
  g_assert_nonnull (tc_session_get_dataset (session));
  g_assert_nonnull (tc_session_get_forecaster (session));
  g_assert_true (tc_window_save_project (window, NULL, FALSE, &error));
  g_assert_no_error (error);
  gone = saved_news (project_path);
  g_assert_null (gone);

  /* "Add Market News…" with a bad file, in a project: refused loudly,
   * as outside one, not left out quietly. */
  {
    g_autofree char *bad = fixture ("news-bad-date.csv");
    g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    tc_data_page_add_news (dp, bad_file);
    while (g_strcmp0 (tc_data_page_get_state (dp), "error") != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_assert_nonnull (strstr (tc_data_page_get_error_text (dp), "Line 3"));
    g_assert_null (tc_session_get_news_error (session));
    g_assert_nonnull (tc_session_get_dataset (session));
  }
  destroy_window (window);
}

static void
test_broken_then_located (void)
{
  g_autofree char *project_path = in_tmp ("broken.trendcast");
  g_autofree char *news = in_tmp ("news.csv");
  g_autofree char *other = in_tmp ("other-news.csv");
  g_autofree char *bad = fixture ("news-bad-date.csv");
  g_autofree char *kept = NULL, *role = NULL;
  g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr (GFile) other_file = g_file_new_for_path (other);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) f = NULL;
  TcWindow *window;
  TcDataPage *dp;
  TcSession *session;
  TcForecaster *fc;
  const char *title = NULL, *text = NULL;

  make_project (project_path);
  copy_fixture ("news-bad-date.csv", news);
  window = open_in_window (project_path);
  assert_no_dialog ();
  session = tc_window_get_session (window);
  dp = TC_DATA_PAGE (child (window, "data_page"));
  fc = tc_session_get_forecaster (session);
  g_assert_nonnull (fc);
  g_assert_null (tc_session_get_dataset (session)->news);

  /* The file, the line and the column, as the news reader says them. */
  g_assert_true (tc_data_page_get_news_warning (dp, &title, &text));
  g_assert_cmpstr (title, ==, "The market news file could not be read");
  g_assert_nonnull (strstr (text, news));
  g_assert_nonnull (strstr (text, "Line 3, column 1 “date”"));
  g_test_message ("warning: %s\n%s", title, text);

  /* "Locate…" a file that does not read either: said in the warning. */
  tc_data_page_locate_news (dp, bad_file);
  settle (3);
  g_assert_true (tc_data_page_get_news_warning (dp, NULL, &text));
  g_assert_nonnull (strstr (text, "“news-bad-date.csv” could not be used either"));
  g_assert_cmpstr (tc_session_get_import_options (session)->news_path, ==, news);
  g_assert_false (tc_window_has_unsaved_changes (window));

  /* A good one: the news joins, the warning goes, the model stays and forecasts. */
  copy_fixture ("news-mixed.csv", other);
  tc_data_page_locate_news (dp, other_file);
  settle (5);
  g_assert_false (tc_data_page_get_news_warning (dp, NULL, NULL));
  g_assert_nonnull (tc_session_get_dataset (session)->news);
  g_assert_true (tc_session_get_forecaster (session) == fc);
  role = tc_data_page_dup_role_value (dp, "Market news");
  g_assert_nonnull (role);
  g_assert_nonnull (strstr (role, "other-news.csv: 9 headlines"));
  f = tc_session_predict (session, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f);
  g_assert_true (tc_window_has_unsaved_changes (window));
  g_assert_true (tc_window_save_project (window, NULL, FALSE, &error));
  g_assert_no_error (error);
  kept = saved_news (project_path);
  g_assert_cmpstr (kept, ==, other);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  tmpdir = tc_test_private_dirs ("tc-news-missing-XXXXXX");

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }
  app = tc_test_app_new ();

  g_test_add_func ("/app/news-missing/missing", test_missing);
  g_test_add_func ("/app/news-missing/broken-then-located", test_broken_then_located);
  ret = g_test_run ();
  g_clear_object (&app);
  tc_test_remove_dir (tmpdir);
  return ret;
}
