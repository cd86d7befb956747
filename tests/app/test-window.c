/* test-window.c
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "app/app-test-util.h"
#include "tc-application.h"
#include "tc-evaluation-page.h"
#include "tc-import.h"
#include "tc-scenario-page.h"
#include "tc-session.h"
#include "tc-window.h"

static const struct {
  const char *name;
  const char *title;
} pages[] = {
  { "data", "Data" },
  { "model", "Model" },
  { "training", "Training" },
  { "forecast", "Forecast" },
  { "scenarios", "Scenarios" },
  { "plan", "Plan" },
  { "evaluation", "Evaluation" },
};

static TcApplication *app;

/* Lets pending idles and layout run so that the window really maps. */
static void
iterate_main_loop (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static AdwViewStack *
window_get_stack (TcWindow *window)
{
  GObject *stack = gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW,
                                                  "view_stack");

  g_assert_true (ADW_IS_VIEW_STACK (stack));

  return ADW_VIEW_STACK (stack);
}

static void
destroy_window (TcWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  tc_test_finalize_soon (window);
}

static void
test_window_pages (void)
{
  TcWindow *window;
  AdwViewStack *stack;

  window = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();

  stack = window_get_stack (window);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, pages[i].name);
      AdwViewStackPage *page;

      g_assert_nonnull (child);
      page = adw_view_stack_get_page (stack, child);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, pages[i].title);
      g_assert_nonnull (adw_view_stack_page_get_icon_name (page));

      adw_view_stack_set_visible_child_name (stack, pages[i].name);
      iterate_main_loop ();
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i].name);
      g_assert_true (gtk_widget_get_mapped (child));
    }

  /* Exactly the six pages, no leftovers from a template edit. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (adw_view_stack_get_pages (stack))),
                    ==, G_N_ELEMENTS (pages));

  destroy_window (window);
}

static void
test_window_open_file (void)
{
  GSettings *settings = tc_application_get_settings (app);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) other = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *other_uri = NULL;
  g_auto(GStrv) recent = NULL;
  TcWindow *window;

  g_settings_reset (settings, "recent-files");

  window = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  adw_view_stack_set_visible_child_name (window_get_stack (window), "forecast");

  file = g_file_new_for_path ("/nonexistent/weekly-sales.csv");
  other = g_file_new_for_path ("/nonexistent/daily-sales.csv");
  uri = g_file_get_uri (file);
  other_uri = g_file_get_uri (other);

  tc_window_open_file (window, file);
  tc_window_open_file (window, other);
  tc_window_open_file (window, file);

  /* Newest first and no duplicates. */
  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, uri);
  g_assert_cmpstr (recent[1], ==, other_uri);

  /* Opening a file brings the Data page forward (the import itself is
   * tested with the Data page). */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, "data");

  destroy_window (window);
}


static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

/* As a click on a response button does: answer, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A model trained in a fraction of a second, as if the Training page had
 * just finished: in the session, not in any file. */
static void
give_unsaved_model (TcSession *session)
{
  TcForecasterOptions o;
  g_autoptr(GError) error = NULL;
  TcForecaster *fc;

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
  g_assert_false (tc_session_get_model_saved (session));
}

/* The online-store sample and an unsaved model in @session. */
static void
give_sample_and_model (TcSession *session)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", "online-store.csv", NULL);
  g_autoptr(GError) error = NULL;
  TcImportOptions opts;
  TcDataset *ds;

  tc_import_options_init (&opts);
  ds = tc_import_file (sample, &opts, NULL, NULL, &error);
  tc_import_options_clear (&opts);
  g_assert_no_error (error);
  tc_session_set_dataset (session, NULL, NULL, ds, NULL);
  give_unsaved_model (session);
}

/* Opening other data over a model that is in no file asks first:
 * Cancel keeps everything, Save Model… saves and then opens, Discard
 * opens; with nothing to lose it opens at once. */
static void
test_window_ask_before_discarding (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-window-XXXXXX", NULL);
  g_autofree char *model_path = g_build_filename (dir, "kept.tcm", NULL);
  g_autoptr(GFile) other = g_file_new_for_path ("/nonexistent/other-sales.csv");
  g_autoptr(GFile) model_file = g_file_new_for_path (model_path);
  g_autoptr(GError) error = NULL;
  TcWindow *window;
  TcSession *session;
  TcForecaster *fc;
  AdwMessageDialog *question;
  GtkWindow *chooser;

  window = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  session = tc_window_get_session (window);
  give_sample_and_model (session);
  fc = tc_session_get_forecaster (session);
  adw_view_stack_set_visible_child_name (window_get_stack (window), "forecast");
  iterate_main_loop ();

  /* Cancel: nothing happens. */
  tc_window_open_file (window, other);
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "not saved"));
  g_assert_true (adw_message_dialog_has_response (question, "save"));
  respond (question, "cancel");
  iterate_main_loop ();
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, "forecast");
  g_assert_true (tc_session_get_forecaster (session) == fc);

  /* Save Model…: the model goes to a file, then the other data opens. */
  tc_window_open_file (window, other);
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  respond (question, "save");
  iterate_main_loop ();
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);
  /* It starts where a user keeps documents, not in the working folder. */
  {
    g_autoptr(GFile) start = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
    const char *docs = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
    g_autoptr(GFile) want = g_file_new_for_path (docs && g_file_test (docs, G_FILE_TEST_IS_DIR) ? docs
                                                                                        : g_get_home_dir ());

    g_assert_nonnull (start);
    g_assert_true (g_file_equal (start, want));
  }
  {
    g_autoptr(GFile) folder = g_file_new_for_path (dir);

    g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "kept.tcm");
  }
  /* The chooser reads the folder in the background before it answers. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (chosen != NULL && g_file_equal (chosen, model_file))
        break;
      g_usleep (50000);
      iterate_main_loop ();
    }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  for (guint i = 0; i < 40 && !g_file_test (model_path, G_FILE_TEST_IS_REGULAR); i++)
    {
      g_usleep (50000);
      iterate_main_loop ();
    }
  g_assert_true (g_file_test (model_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (tc_session_get_model_saved (session));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, "data");

  /* Saved: nothing to lose, so no question. */
  adw_view_stack_set_visible_child_name (window_get_stack (window), "forecast");
  tc_window_open_file (window, other);
  iterate_main_loop ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, "data");

  /* Discard opens without saving. */
  give_unsaved_model (session);
  adw_view_stack_set_visible_child_name (window_get_stack (window), "forecast");
  tc_window_open_file (window, other);
  iterate_main_loop ();
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (question);
  respond (question, "discard");
  iterate_main_loop ();
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, "data");

  destroy_window (window);
  g_unlink (model_path);
  g_rmdir (dir);
}


/* Every page fits a small screen (800×600) with real data and a model:
 * nothing forces the window wider or taller than that. */
static void
test_window_small_screen (void)
{
  g_autoptr(GError) error = NULL;
  TcWindow *window;
  TcSession *session;
  gboolean fits = TRUE;

  window = g_object_ref (tc_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  session = tc_window_get_session (window);
  give_sample_and_model (session);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      int min_w, min_h, nat;

      adw_view_stack_set_visible_child_name (window_get_stack (window), pages[i].name);
      for (guint k = 0; k < 10; k++)
        {
          g_usleep (20000);
          iterate_main_loop ();
        }
      /* Scenarios: with changes applied, the rows and the table grow. */
      if (g_str_equal (pages[i].name, "scenarios"))
        {
          TcScenarioPage *sp = TC_SCENARIO_PAGE (adw_view_stack_get_visible_child (window_get_stack (window)));

          g_assert_true (tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_DISCOUNT, NULL, 20, 7, 13));
          g_assert_true (tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_PRICE, NULL, 0.9, 14, 20));
          g_assert_true (tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 0, 27));
          tc_scenario_page_apply (sp);
          for (guint k = 0; k < 500 && tc_scenario_page_get_busy (sp); k++)
            {
              g_usleep (20000);
              iterate_main_loop ();
            }
          g_assert_nonnull (tc_scenario_page_get_result (sp));
          iterate_main_loop ();
        }
      /* Evaluation: with a backtest's tables and the drivers shown. */
      if (g_str_equal (pages[i].name, "evaluation"))
        {
          TcEvaluationPage *ep = TC_EVALUATION_PAGE (adw_view_stack_get_visible_child (window_get_stack (window)));
          GObject *tf = gtk_widget_get_template_child (GTK_WIDGET (ep), TC_TYPE_EVALUATION_PAGE, "transformer_check");
          gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

          gtk_check_button_set_active (GTK_CHECK_BUTTON (tf), FALSE);
          tc_evaluation_page_run (ep);
          while (tc_evaluation_page_get_running (ep))
            {
              g_assert_cmpint (g_get_monotonic_time (), <, deadline);
              g_main_context_iteration (NULL, TRUE);
            }
          g_assert_nonnull (tc_evaluation_page_get_result (ep));
          for (guint k = 0; k < 10; k++)
            {
              g_usleep (20000);
              iterate_main_loop ();
            }
        }
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 800, &min_h, &nat, NULL, NULL);
      g_test_message ("%s page: at least %d px wide, %d px high at 800 px", pages[i].name, min_w, min_h);
      fits &= min_w <= 800 && min_h <= 600;
    }
  g_assert_true (fits);
  /* Nothing above made the window grow by itself. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 800);
  destroy_window (window);
}


/* Alt+1 … Alt+6 switch pages: the window's own shortcuts, activated as
 * GTK does when the keys are pressed. */
static void
test_window_page_keys (void)
{
  static const char *names[] = { "data", "model", "training", "forecast", "scenarios", "plan", "evaluation" };
  TcWindow *window = g_object_ref (tc_window_new (app));
  g_autoptr(GListModel) controllers = NULL;
  guint found = 0;

  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) ctl = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (ctl))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (ctl)); i++)
        {
          g_autoptr(GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (ctl), i);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));

          for (guint k = 0; k < G_N_ELEMENTS (names); k++)
            {
              g_autofree char *want = g_strdup_printf ("<Alt>%u", k + 1);

              if (!g_str_equal (trigger, want))
                continue;
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (sc), 0, GTK_WIDGET (window),
                                                           gtk_shortcut_get_arguments (sc)));
              g_assert_cmpstr (adw_view_stack_get_visible_child_name (window_get_stack (window)), ==, names[k]);
              found |= 1u << k;
            }
        }
    }
  g_assert_cmpuint (found, ==, (1u << G_N_ELEMENTS (names)) - 1);

  /* The shortcuts window lists them, and the chart keys. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  iterate_main_loop ();
  {
    GtkWindow *shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);

    g_assert_nonnull (shortcuts);
    gtk_window_destroy (shortcuts);
  }
  destroy_window (window);
}

static void
test_window_recent_files_capped (void)
{
  GSettings *settings = tc_application_get_settings (app);
  g_auto(GStrv) recent = NULL;
  TcWindow *window;

  g_settings_reset (settings, "recent-files");
  window = g_object_ref (tc_window_new (app));

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *path = g_strdup_printf ("/nonexistent/sales-%u.csv", i);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      tc_window_open_file (window, file);
    }

  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpuint (g_strv_length (recent), ==, 10);
  g_assert_true (g_str_has_suffix (recent[0], "sales-24.csv"));
  g_assert_true (g_str_has_suffix (recent[9], "sales-15.csv"));

  destroy_window (window);
}

static void
test_window_size_saved (void)
{
  GSettings *settings = tc_application_get_settings (app);
  TcWindow *window;

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");

  window = g_object_ref (tc_window_new (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();

  /* close() goes through close-request, which stores the size. */
  gtk_window_close (GTK_WINDOW (window));
  iterate_main_loop ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  tc_test_finalize_soon (window);

  /* A new window starts with the stored size. */
  window = g_object_ref (tc_window_new (app));
  {
    int width = 0;
    int height = 0;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 800);
    g_assert_cmpint (height, ==, 600);
  }
  destroy_window (window);
}

static void
test_style_variant (void)
{
  GSettings *settings = tc_application_get_settings (app);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  g_settings_set_string (settings, "style-variant", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);

  g_action_group_activate_action (G_ACTION_GROUP (app), "style-variant",
                                  g_variant_new_string ("light"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_settings_reset (settings, "style-variant");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the suite under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/app/window/no-display", test_no_display);
      return g_test_run ();
    }

  app = tc_test_app_new ();

  g_test_add_func ("/app/window/pages", test_window_pages);
  g_test_add_func ("/app/window/open-file", test_window_open_file);
  g_test_add_func ("/app/window/ask-before-discarding", test_window_ask_before_discarding);
  g_test_add_func ("/app/window/small-screen", test_window_small_screen);
  g_test_add_func ("/app/window/page-keys", test_window_page_keys);
  g_test_add_func ("/app/window/recent-files-capped", test_window_recent_files_capped);
  g_test_add_func ("/app/window/size-saved", test_window_size_saved);
  g_test_add_func ("/app/style-variant", test_style_variant);

  ret = g_test_run ();

  /* A registered GtkApplication keeps internal references (its
   * session and D-Bus glue), so only the windows are checked for a
   * clean finalization. */
  g_clear_object (&app);

  return ret;
}
