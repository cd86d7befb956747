/* test-keyboard-journey.c — the main journey with the keyboard alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb the test types on the X server's keyboard with xdotool
 * (XTEST): the window receives real key presses, exactly as from a
 * keyboard, and GTK routes them through focus, mnemonics, accelerators
 * and key bindings as it would for a user.  No widget is clicked,
 * activated or set from the test: it only presses keys and then looks.
 *
 * Two things a window manager would do are done by the test, as there is
 * none under Xvfb: the window gets the input focus when it appears
 * (xdotool windowfocus), and so do the dialogs it opens.
 *
 * The journey: Ctrl+O, the sample's path typed into the file chooser,
 * Alt+I in the import assistant; Alt+2 and a small model typed into the
 * Model page's spin buttons (Tab, Ctrl+A, digits), Alt+T to train; Alt+4
 * and the arrow keys on the forecast chart, whose accessible text follows
 * the cursor; Alt+5, Alt+A to add a promotion, Alt+P to apply it; Alt+7,
 * Tab to Run Backtest and Space.
 */

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>

#include "app/app-test-util.h"
#include "tc-application.h"
#include "tc-chart-view.h"
#include "tc-evaluation-page.h"
#include "tc-forecast-page.h"
#include "tc-import-dialog.h"
#include "tc-model-page.h"
#include "tc-scenario-page.h"
#include "tc-session.h"
#include "tc-training-page.h"
#include "tc-window.h"

static TcApplication *app;
static char *tmpdir;

static void
iterate_main_loop (void)
{
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
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

static void
xdotool (const char * const *args)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_strv_builder_add (b, "xdotool");
  g_strv_builder_addv (b, (const char **) args);
  argv = g_strv_builder_end (b);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* xdotool has gone, so the server has handled its requests; one round
   * trip brings the key events they made into our queue. */
  gdk_display_sync (gdk_display_get_default ());
  settle (3);
}

/* Presses a key or a chord, in xdotool's names: "Tab", "alt+2", "ctrl+a". */
static void
key (const char *chord)
{
  const char *args[] = { "key", "--clearmodifiers", chord, NULL };

  xdotool (args);
}

static void
type_text (const char *text)
{
  const char *args[] = { "type", "--delay", "5", "--", text, NULL };

  xdotool (args);
}

static void
focus_x_window (GtkWindow *window)
{
  g_autofree char *xid = NULL;
  const char *args[] = { "windowfocus", "--sync", NULL, NULL };

  settle (5);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  args[2] = xid;
  xdotool (args);
  settle (3);
}

static GObject *
child (TcWindow *window, const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, name);
}

static GtkWidget *
focus_of (gpointer window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_within (gpointer window, GtkWidget *target)
{
  GtkWidget *f = focus_of (window);

  return f != NULL && (f == target || gtk_widget_is_ancestor (f, target));
}

/* Tab until the focus is on or inside TARGET, as a user would; fails if
 * it never gets there. */
static void
tab_to (gpointer window, GtkWidget *target)
{
  for (guint i = 0; i < 120; i++)
    {
      if (focus_within (window, target))
        return;
      key ("Tab");
    }
  g_error ("Tab never reached a %s", G_OBJECT_TYPE_NAME (target));
}

static GtkWindow *
wait_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

          if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_mapped (GTK_WIDGET (w)))
            return GTK_WINDOW (w);
        }
      if (g_get_monotonic_time () > deadline)
        {
          for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
            {
              g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

              g_test_message ("toplevel %s, mapped %d, title %s", G_OBJECT_TYPE_NAME (w),
                              gtk_widget_get_mapped (GTK_WIDGET (w)), gtk_window_get_title (GTK_WINDOW (w)));
            }
          g_error ("no %s appeared", g_type_name (type));
        }
      settle (1);
    }
}

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
      iterate_main_loop ();
    }
  settle (3);
}

static gboolean
has_data (gpointer session)
{
  return tc_session_get_dataset (session) != NULL;
}

static gboolean
has_model (gpointer window)
{
  return tc_session_get_forecaster (tc_window_get_session (window)) != NULL
         && !tc_training_page_is_busy (TC_TRAINING_PAGE (child (window, "training_page")));
}

static gboolean
scenario_done (gpointer page)
{
  return !tc_scenario_page_get_busy (page) && tc_scenario_page_get_result (page) != NULL;
}

static gboolean
backtest_done (gpointer page)
{
  return !tc_evaluation_page_get_running (page)
         && (tc_evaluation_page_get_result (page) != NULL || tc_evaluation_page_get_error (page) != NULL);
}

static gboolean
forecast_ready (gpointer page)
{
  return !tc_forecast_page_get_busy (page) && tc_forecast_page_get_summary (page) != NULL;
}

static GtkWidget *
find_spin (GtkWidget *w, TcModelParam param)
{
  if (GTK_IS_SPIN_BUTTON (w) && g_object_get_data (G_OBJECT (w), "tc-param") == GUINT_TO_POINTER (param))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_spin (c, param);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The spin button of one Model page setting: Tab to it, select what is
 * there, type the new value, Tab away (which commits it). */
static void
type_setting (TcWindow *window, TcModelPage *page, TcModelParam param, const char *value)
{
  GtkWidget *spin = find_spin (GTK_WIDGET (page), param);

  g_assert_nonnull (spin);
  tab_to (window, spin);
  key ("ctrl+a");
  type_text (value);
  key ("Tab");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, g_ascii_strtod (value, NULL));
}

static void
test_keyboard_journey (void)
{
  TcWindow *window = g_object_ref (tc_window_new (app));
  TcSession *session = tc_window_get_session (window);
  AdwViewStack *stack = ADW_VIEW_STACK (child (window, "view_stack"));
  TcModelPage *model = TC_MODEL_PAGE (child (window, "model_page"));
  TcForecastPage *forecast = TC_FORECAST_PAGE (child (window, "forecast_page"));
  TcScenarioPage *scenarios = TC_SCENARIO_PAGE (child (window, "scenarios_page"));
  TcEvaluationPage *evaluation = TC_EVALUATION_PAGE (child (window, "evaluation_page"));
  g_autofree char *sample = NULL;
  GtkWindow *dialog;
  GtkWidget *chart;
  const TcForecasterOptions *o;

  {
    g_autofree char *rel = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", "online-store.csv", NULL);

    sample = g_canonicalize_filename (rel, NULL);
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  focus_x_window (GTK_WINDOW (window));
  {
    /* The pointer out of the way: where Xvfb starts it, it would hover
     * the charts. */
    const char *args[] = { "mousemove", "--sync", "1279", "1023", NULL };

    xdotool (args);
  }
  g_assert_true (gtk_window_is_active (GTK_WINDOW (window)));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "data");

  /* Data: Ctrl+O, the path typed after Ctrl+L, Return; then the import
   * assistant's Import by its mnemonic. */
  key ("ctrl+o");
  dialog = wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  focus_x_window (dialog);
  key ("ctrl+l");
  type_text (sample);
  /* The chooser reads the folder and offers a completion in the
   * background; Return before that only takes the completion.  As a
   * user would, press it again while the chooser stays. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  for (guint i = 0; i < 5 && dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)); i++)
    {
      key ("Return");
      /* Up to 5 s for the chooser to answer before pressing again, so
       * that no Return reaches the assistant it opens. */
      for (guint k = 0; k < 250 && dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)); k++)
        settle (1);
    }
  if (dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  dialog = wait_toplevel (TC_TYPE_IMPORT_DIALOG);
  focus_x_window (dialog);
  settle (20);
  key ("alt+i");
  wait_until (has_data, session);
  focus_x_window (GTK_WINDOW (window));

  /* Model: Alt+2, then a model small enough to train in a moment, typed
   * into its spin buttons; Alt+T trains it. */
  key ("alt+2");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "model");
  type_setting (window, model, TC_MODEL_PARAM_D_MODEL, "16");
  type_setting (window, model, TC_MODEL_PARAM_HEADS, "2");
  type_setting (window, model, TC_MODEL_PARAM_LAYERS, "1");
  type_setting (window, model, TC_MODEL_PARAM_D_FF, "32");
  type_setting (window, model, TC_MODEL_PARAM_BATCH, "16");
  type_setting (window, model, TC_MODEL_PARAM_MAX_EPOCHS, "2");
  type_setting (window, model, TC_MODEL_PARAM_THREADS, "1");
  o = tc_session_get_forecaster_options (session);
  g_assert_cmpuint (o->d_model, ==, 16);
  g_assert_cmpuint (o->max_epochs, ==, 2);
  key ("alt+t");
  wait_until (has_model, window);
  g_assert_cmpuint (tc_forecaster_get_summary (tc_session_get_forecaster (session))->epochs, <=, 2);

  /* Forecast: Alt+4, Tab to the chart, the arrow keys move its cursor
   * and what a screen reader is told follows it. */
  key ("alt+4");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "forecast");
  wait_until (forecast_ready, forecast);
  chart = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (forecast), TC_TYPE_FORECAST_PAGE, "chart_view"));
  tab_to (window, chart);
  {
    g_autofree char *before = tc_chart_view_dup_text (TC_CHART_VIEW (chart));
    g_autofree char *first = NULL, *second = NULL;

    key ("Left");
    first = tc_chart_view_dup_text (TC_CHART_VIEW (chart));
    key ("Left");
    second = tc_chart_view_dup_text (TC_CHART_VIEW (chart));
    g_test_message ("chart: %s\n  after Left: %s\n  after Left: %s", before, first, second);
    /* Before a key, the chart in words; then the step under the cursor. */
    g_assert_true (g_str_has_prefix (before, "History up to "));
    g_assert_nonnull (strstr (before, "Forecast from "));
    g_assert_nonnull (strstr (first, ", forecast "));
    g_assert_cmpstr (first, !=, before);
    g_assert_cmpstr (second, !=, first);
    key ("Escape");
  }

  /* Scenarios: Alt+5, Alt+A opens Add Change, Enter takes its first
   * item (a promotion), Alt+P applies. */
  key ("alt+5");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "scenarios");
  wait_until (scenario_done, scenarios);
  key ("alt+a");
  key ("Return");
  g_assert_cmpuint (tc_scenario_page_get_n_edits (scenarios), ==, 1);
  key ("alt+p");
  wait_until (scenario_done, scenarios);
  g_assert_nonnull (tc_scenario_page_get_result (scenarios));
  g_assert_nonnull (strstr (tc_scenario_page_get_detail (scenarios), "A promotion in every period"));

  /* Evaluation: Alt+7, Tab to Run Backtest, Space.  (Alt+R, its
   * mnemonic, does nothing while the focus is on the row GTK puts it on
   * when the page opens, "Forecast origins"; from any other control of
   * the page it runs.) */
  key ("alt+7");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "evaluation");
  tab_to (window, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (evaluation), TC_TYPE_EVALUATION_PAGE,
                                                              "run_button")));
  key ("space");
  g_assert_true (tc_evaluation_page_get_running (evaluation));
  wait_until (backtest_done, evaluation);
  g_assert_null (tc_evaluation_page_get_error (evaluation));
  g_assert_nonnull (tc_evaluation_page_get_result (evaluation));

  settle (3);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  tc_test_finalize_soon (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdotool_path = NULL;
  int ret;

  tmpdir = tc_test_private_dirs ("tc-keyboard-XXXXXX");
  /* Real key presses come through the X server. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check () || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("no X display");
      return 77;
    }
  xdotool_path = g_find_program_in_path ("xdotool");
  if (xdotool_path == NULL)
    {
      g_test_skip ("no xdotool");
      return 77;
    }
  app = tc_test_app_new ();

  g_test_add_func ("/app/keyboard/journey", test_keyboard_journey);
  ret = g_test_run ();
  g_clear_object (&app);
  tc_test_remove_dir (tmpdir);
  return ret;
}
