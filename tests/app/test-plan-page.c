/* test-plan-page.c — the Plan page: the table, its words, sorting, stock, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app/app-test-util.h"
#include "core/tc-synth.h"
#include "tc-explore.h"
#include "tc-plan-page.h"
#include "tc-application.h"
#include "tc-window.h"

#define N_SERIES 8
#define N_TIMES  80
#define H        6

static TcForecaster *trained;
static TcDataset *data;

static void
iterate (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Until the page's workers are done (busy), then the idle work. */
static void
wait_plan (TcPlanPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  while (tc_plan_page_get_busy (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();
}

static void
train_once (void)
{
  g_autoptr (GError) error = NULL;
  TcForecasterOptions o;

  if (trained)
    return;
  data = synth_dataset (N_SERIES, N_TIMES, 11);
  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.context = 16;
  o.patch = 4;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.max_epochs = 2;
  o.steps_per_epoch = 4;
  o.batch = 8;
  o.threads = 1;
  o.seed = 3;
  trained = tc_forecaster_train (data, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trained);
}

/* The session owns its model: a copy through the file format. */
static TcForecaster *
model_copy (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  TcForecaster *copy;
  int fd;

  train_once ();
  fd = g_file_open_tmp ("test-plan-page-XXXXXX.tcm", &tmp, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (tc_forecaster_save (trained, tmp, &error));
  copy = tc_forecaster_load (tmp, &error);
  g_assert_no_error (error);
  g_unlink (tmp);
  return copy;
}

static void
test_empty (void)
{
  TcSession *session = tc_session_new ();
  TcPlanPage *page = g_object_new (TC_TYPE_PLAN_PAGE, "session", session, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkStack *stack;

  g_object_ref (page);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_PLAN_PAGE, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_null (tc_plan_page_get_plan (page));
  g_assert_cmpuint (tc_plan_page_get_n_rows (page), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  tc_test_finalize_soon (page);
  tc_test_finalize_soon (session);
}

static void
test_table (void)
{
  g_autoptr (GError) error = NULL;
  TcSession *session = tc_session_new ();
  TcPlanPage *page = g_object_new (TC_TYPE_PLAN_PAGE, NULL);
  GtkWidget *window = gtk_window_new ();
  g_autofree char *dir = g_dir_make_tmp ("test-plan-page-XXXXXX", NULL);
  g_autofree char *stock_path = g_build_filename (dir, "stock.csv", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "plan.csv", NULL);
  g_autofree char *csv = NULL, *expected = NULL;
  g_autoptr (GFile) stock_file = NULL;
  const TcOrderPlan *plan;
  GtkLabel *stock_label, *summary_label;
  double prev;
  int min_w, min_h;

  g_object_ref (page);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tc_plan_page_set_session (page, session);
  tc_session_set_dataset (session, NULL, NULL, tc_dataset_copy (data ? data : (train_once (), data)), NULL);
  tc_session_set_future (session, synth_future (data, H, 0));
  tc_session_set_forecaster (session, model_copy ());
  /* Asked twice at once: only the latest request's plan is shown (its
   * steps and service level are checked below). */
  tc_plan_page_set_parameters (page, 1, 1, 0.8);
  tc_plan_page_set_parameters (page, 2, 2, 0.9);
  /* Computed in worker threads: the page says it is busy meanwhile,
   * with the spinner's page shown. */
  g_assert_true (tc_plan_page_get_busy (page));
  g_assert_null (tc_plan_page_get_plan (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_PLAN_PAGE, "stack"))),
                   ==, "loading");
  wait_plan (page);
  g_assert_false (tc_plan_page_get_busy (page));

  /* No stock anywhere: every series, stock 0, said in words. */
  plan = tc_plan_page_get_plan (page);
  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->steps, ==, 4);
  g_assert_cmpfloat_with_epsilon (plan->params.service_level, 0.9, 1e-9);
  g_assert_cmpuint (tc_plan_page_get_n_rows (page), ==, N_SERIES);
  stock_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_PLAN_PAGE, "stock_label"));
  summary_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_PLAN_PAGE, "summary_label"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (stock_label), "No stock given"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (summary_label), "Order "));
  g_assert_nonnull (tc_plan_page_get_hot (page));

  /* Every cell shows the core's number and explains it. */
  for (guint r = 0; r < N_SERIES; r++)
    {
      g_autofree char *id = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_SERIES);
      const TcOrderLine *line = NULL;
      g_autofree char *order = NULL, *want = NULL, *info = NULL;

      for (guint i = 0; i < plan->n_lines; i++)
        if (strcmp (data->series_ids[plan->lines[i].series], id) == 0)
          line = &plan->lines[i];
      g_assert_nonnull (line);
      order = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_ORDER);
      want = tc_explore_format_number (line->order);
      g_assert_cmpstr (order, ==, want);
      for (guint c = TC_PLAN_COLUMN_STOCK; c <= TC_PLAN_COLUMN_GROWTH; c++)
        {
          g_autofree char *tip = tc_plan_page_dup_tooltip (page, r, c);
          g_autofree char *text = tc_plan_page_dup_cell (page, r, c);

          g_assert_nonnull (text);
          g_assert_nonnull (tip);
          g_assert_cmpuint (strlen (tip), >, 20);
        }
      info = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_INFO);
      g_assert_nonnull (strstr (info, "Order-up-to level"));
      g_assert_nonnull (strstr (info, "before the order arrives in 2 weeks"));
    }
  {
    g_autofree char *tip = tc_plan_page_dup_tooltip (page, 0, TC_PLAN_COLUMN_UP_TO);

    g_assert_nonnull (strstr (tip, "in 90\u00a0% of cases"));
  }

  /* Sortable: the biggest order first. */
  tc_plan_page_sort_by (page, TC_PLAN_COLUMN_ORDER, TRUE);
  iterate ();
  prev = G_MAXDOUBLE;
  for (guint r = 0; r < N_SERIES; r++)
    {
      g_autofree char *id = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_SERIES);

      for (guint i = 0; i < plan->n_lines; i++)
        if (strcmp (data->series_ids[plan->lines[i].series], id) == 0)
          {
            g_assert_cmpfloat (plan->lines[i].order, <=, prev);
            prev = plan->lines[i].order;
          }
    }

  /* A stock file: its series get their stock, the others no row. */
  g_assert_true (g_file_set_contents (stock_path, "sku,stock,on_order\nsku000,5,1\nsku001,100000,0\nnope,1,1\n", -1, NULL));
  stock_file = g_file_new_for_path (stock_path);
  g_assert_true (tc_plan_page_set_stock_file (page, stock_file, &error));
  g_assert_no_error (error);
  wait_plan (page);
  plan = tc_plan_page_get_plan (page);
  g_assert_cmpuint (tc_plan_page_get_n_rows (page), ==, 2);
  g_assert_cmpfloat (plan->lines[0].position, ==, 6);
  g_assert_cmpfloat (plan->lines[1].order, ==, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (stock_label), "Stock from “stock.csv”: 2 of 8 series; 1 id there"));

  /* Export: the CLI's CSV. */
  g_assert_true (tc_plan_page_export_csv (page, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  expected = tc_order_plan_csv (plan, tc_session_get_dataset (session));
  g_assert_cmpstr (csv, ==, expected);
  g_assert_true (g_str_has_prefix (csv, "series,stock,on_order,position,"));

  /* The page fits the smallest window the app supports. */
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_VERTICAL, 800, &min_h, NULL, NULL, NULL);
  g_assert_cmpint (min_w, <=, 800);
  g_assert_cmpint (min_h, <=, 600 - 100);   /* header bar and switcher above and below */

  /* A model gone: back to the status page. */
  tc_session_set_forecaster (session, NULL);
  iterate ();
  g_assert_null (tc_plan_page_get_plan (page));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  tc_test_finalize_soon (page);
  tc_test_finalize_soon (session);
  g_unlink (stock_path);
  g_unlink (csv_path);
  g_rmdir (dir);
}

/* Issue 14: a new product (five weeks of sales) gets a forecast
 * borrowed from similar ones, and the table labels it "new" and says
 * where its forecast comes from. */
static void
test_cold_start (void)
{
  TcSession *session = tc_session_new ();
  TcPlanPage *page = g_object_new (TC_TYPE_PLAN_PAGE, NULL);
  GtkWidget *window = gtk_window_new ();
  TcDataset *young;
  gboolean found = FALSE;

  train_once ();
  young = tc_dataset_copy (data);
  /* Series 0 starts 5 weeks before the end. */
  for (guint t = 0; t < N_TIMES - 5; t++)
    {
      tc_dataset_target_row (young, 0)[t] = NAN;
      for (guint k = 0; k < young->n_known; k++)
        tc_dataset_known_row (young, k, 0)[t] = NAN;
    }
  tc_dataset_update_bounds (young);
  g_object_ref (page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tc_plan_page_set_session (page, session);
  tc_session_set_dataset (session, NULL, NULL, young, NULL);
  tc_session_set_future (session, synth_future (data, H, 0));
  tc_session_set_forecaster (session, model_copy ());
  wait_plan (page);
  g_assert_nonnull (tc_plan_page_get_hot (page));
  for (guint r = 0; r < tc_plan_page_get_n_rows (page); r++)
    {
      g_autofree char *id = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_SERIES);
      g_autofree char *growth = tc_plan_page_dup_cell (page, r, TC_PLAN_COLUMN_GROWTH);
      g_autofree char *tip = tc_plan_page_dup_tooltip (page, r, TC_PLAN_COLUMN_GROWTH);

      if (g_strcmp0 (id, data->series_ids[0]) == 0)
        {
          found = TRUE;
          g_test_message ("%s: %s — %s", id, growth, tip);
          g_assert_cmpstr (growth, ==, "new");
          g_assert_true (g_str_has_prefix (tip, "New product (5 weeks of sales): forecast borrowed from "));
        }
      else
        g_assert_cmpstr (growth, !=, "new");
    }
  g_assert_true (found);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  tc_test_finalize_soon (page);
  tc_test_finalize_soon (session);
}

/* The page is in the window's switcher. */
static void
test_in_window (void)
{
  g_autoptr (TcApplication) app = tc_test_app_new ();
  TcWindow *window;
  AdwViewStack *stack;

  window = g_object_ref (tc_window_new (app));
  stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, "view_stack"));
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "plan"));
  g_assert_true (TC_IS_PLAN_PAGE (adw_view_stack_get_child_by_name (stack, "plan")));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  tc_test_finalize_soon (window);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the suite under xvfb-run");
}

int
main (int argc, char **argv)
{
  int ret;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/app/plan-page/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();
  train_once ();
  g_test_add_func ("/app/plan-page/empty", test_empty);
  g_test_add_func ("/app/plan-page/table", test_table);
  g_test_add_func ("/app/plan-page/cold-start", test_cold_start);
  g_test_add_func ("/app/plan-page/in-window", test_in_window);
  ret = g_test_run ();
  g_clear_pointer (&trained, tc_forecaster_free);
  g_clear_pointer (&data, tc_dataset_free);
  return ret;
}
