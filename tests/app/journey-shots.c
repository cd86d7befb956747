/* journey-shots.c — the planner's journey, page by page, as pictures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: opens the real window at a given size and theme on a data
 * file, then walks the journey a planner takes — the data, the model,
 * a real training run, the forecast, a scenario with a promotion and a
 * discount, a backtest with the drivers — and renders the window into
 * OUTDIR/NN-PAGE.png after each step.  Every step waits for the work it
 * started (training, scenario, backtest) instead of a fixed delay.
 *
 *   journey-shots DATA.csv OUTDIR WIDTH HEIGHT [dark] [EPOCHS]
 */

#include "config.h"

#include <stdlib.h>

#include "tc-application.h"
#include "tc-evaluation-page.h"
#include "tc-import.h"
#include "tc-scenario-page.h"
#include "tc-window.h"

static const char *out_dir;
static TcWindow *window;
static guint step;

static void
shoot (const char *name)
{
  GtkWidget *w = GTK_WIDGET (window);
  int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  GtkSnapshot *snap = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%02u-%s.png", ++step, name);
  g_autofree char *path = g_build_filename (out_dir, file, NULL);

  gdk_paintable_snapshot (paintable, snap, width, height);
  node = gtk_snapshot_free_to_node (snap);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (w)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("Could not write %s\n", path);
  else
    g_print ("%s (%d×%d)\n", path, width, height);
}

static gpointer
child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, name);
}

/* Lets the window lay out and draw what changed. */
static void
settle (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
}

static void
show (const char *page)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page);
  settle (1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (TcApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  TcImportOptions opts;
  TcImportReport *report = NULL;
  TcSession *session;
  TcDataset *ds;
  gint64 deadline;

  if (argc < 5)
    {
      g_printerr ("usage: %s DATA.csv OUTDIR WIDTH HEIGHT [dark] [EPOCHS]\n", argv[0]);
      return 1;
    }
  out_dir = argv[2];
  g_mkdir_with_parents (out_dir, 0755);
  g_setenv ("GSETTINGS_SCHEMA_DIR", TC_SCHEMAS_BUILDDIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  if (argc > 5 && g_str_equal (argv[5], "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  tc_import_options_init (&opts);
  ds = tc_import_file (argv[1], &opts, &report, NULL, &error);
  if (ds == NULL)
    g_error ("%s", error->message);
  window = tc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), atoi (argv[3]), atoi (argv[4]));
  file = g_file_new_for_path (argv[1]);
  session = tc_window_get_session (window);
  tc_session_set_dataset (session, file, &opts, ds, report);
  tc_import_options_clear (&opts);
  /* As a user who switched on "Learn the 50 % range too": the charts
   * show both ranges. */
  tc_forecaster_options_set_inner_range (tc_session_get_forecaster_options (session), TRUE);
  if (argc > 6)
    tc_session_get_forecaster_options (session)->max_epochs = (guint) atoi (argv[6]);
  tc_session_forecaster_options_changed (session);
  gtk_window_present (GTK_WINDOW (window));
  settle (1.0);

  show ("data");
  shoot ("data");
  show ("model");
  shoot ("model");

  /* A real training run, watched on its page. */
  show ("training");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL);
  deadline = g_get_monotonic_time () + 900 * G_USEC_PER_SEC;
  while (tc_session_get_forecaster (session) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (tc_session_get_forecaster (session) == NULL)
    g_error ("training did not finish");
  settle (1.5);
  shoot ("training");
  /* The "Model ready" toast would cover the next pages. */
  settle (5.0);

  show ("forecast");
  /* The page forecasts in a worker (tc_session_forecast_async): wait for
   * the forecast, not for a fixed time. */
  deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  while (tc_session_peek_forecast (session) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  settle (1.0);
  shoot ("forecast");

  /* What if: a promotion in weeks 2–4 and a 10 % discount in weeks 3–6. */
  {
    TcScenarioPage *page = child ("scenarios_page");

    show ("scenarios");
    tc_scenario_page_add_edit (page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 1, 3);
    tc_scenario_page_add_edit (page, TC_SCENARIO_EDIT_DISCOUNT, NULL, 10, 2, 5);
    tc_scenario_page_apply (page);
    settle (0.3);
    while (tc_scenario_page_get_busy (page))
      g_main_context_iteration (NULL, TRUE);
    settle (1.0);
    shoot ("scenarios");
  }

  /* The backtest with the Transformer retrained per origin is the slow
   * part; the baselines and the drivers show what the page says. */
  {
    TcEvaluationPage *page = child ("evaluation_page");
    GObject *transformer = gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE,
                                                          "transformer_check");

    show ("evaluation");
    gtk_check_button_set_active (GTK_CHECK_BUTTON (transformer), FALSE);
    tc_evaluation_page_run (page);
    while (tc_evaluation_page_get_running (page))
      g_main_context_iteration (NULL, TRUE);
    settle (1.0);
    shoot ("evaluation");
    /* The drivers are further down. */
    {
      GtkScrolledWindow *sw = (GtkScrolledWindow *) gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE,
                                                             "scroller");
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (sw);

      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
      settle (1.0);
      shoot ("evaluation-drivers");
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
