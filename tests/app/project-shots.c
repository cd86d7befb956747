/* project-shots.c — projects in pictures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: trains a small model on a data file, makes a scenario,
 * saves a project and renders into OUTDIR: the window with its unsaved
 * marker (narrow, where the header shows the title), the close question,
 * an empty window listing the recent project, and the recovery question.
 * Autosaves go to a temporary state directory, never the user's.
 *
 *   project-shots DATA.csv OUTDIR [LOCALEDIR]
 *
 * With LOCALEDIR (holding zh_CN/LC_MESSAGES/trendcast.mo) and LANGUAGE
 * set, the pictures are in that language.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "tc-application.h"
#include "tc-scenario-page.h"
#include "tc-tour.h"
#include "tc-window.h"

static const char *out_dir;

static void
shoot (GtkWidget *w, const char *name)
{
  int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  GtkSnapshot *snap = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s.png", name);
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

static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static void
wait_scenario (TcScenarioPage *sp)
{
  settle (0.3);
  while (tc_scenario_page_get_busy (sp))
    g_main_context_iteration (NULL, TRUE);
  settle (0.5);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (TcApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) data = NULL;
  g_autoptr (GFile) project = NULL;
  g_autofree char *tmp = NULL, *state = NULL, *project_path = NULL;
  TcWindow *window, *empty;
  TcSession *session;
  TcScenarioPage *sp;
  TcForecasterOptions *o;
  GtkWindow *dialog;

  if (argc < 3)
    {
      g_printerr ("usage: %s DATA.csv OUTDIR [LOCALEDIR]\n", argv[0]);
      return 1;
    }
  setlocale (LC_ALL, "");
  if (argc > 3)
    {
      bindtextdomain (GETTEXT_PACKAGE, argv[3]);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  out_dir = argv[2];
  g_mkdir_with_parents (out_dir, 0755);
  tmp = g_dir_make_tmp ("project-shots-XXXXXX", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", TC_SCHEMAS_BUILDDIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* Translators never see this: a file name in a picture. */
  project_path = g_build_filename (tmp, "Spring promotions.trendcast", NULL);
  project = g_file_new_for_path (project_path);

  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  /* A quick model and a scenario, saved, then changed again. */
  window = tc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  session = tc_window_get_session (window);
  data = g_file_new_for_path (argv[1]);
  if (!tc_session_import (session, data, NULL, NULL, &error))
    g_error ("%s", error->message);
  o = tc_session_get_forecaster_options (session);
  o->max_epochs = 1;
  o->steps_per_epoch = 10;
  tc_session_forecaster_options_changed (session);
  gtk_window_present (GTK_WINDOW (window));
  settle (0.5);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL);
  while (tc_session_get_forecaster (session) == NULL)
    g_main_context_iteration (NULL, TRUE);
  settle (1.0);
  sp = TC_SCENARIO_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, "scenarios_page"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "scenarios");
  wait_scenario (sp);
  tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 2, 8);
  tc_scenario_page_apply (sp);
  wait_scenario (sp);
  if (!tc_window_save_project (window, project, FALSE, &error))
    g_error ("%s", error->message);
  settle (0.5);
  shoot (GTK_WIDGET (window), "project-saved");
  tc_scenario_page_add_edit (sp, TC_SCENARIO_EDIT_DISCOUNT, NULL, 15, 10, 13);
  tc_scenario_page_apply (sp);
  wait_scenario (sp);
  /* Narrow: the header shows the project's name and its marker. */
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 720);
  settle (1.0);
  shoot (GTK_WIDGET (window), "project-unsaved-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  settle (0.5);

  /* The close question. */
  gtk_window_close (GTK_WINDOW (window));
  settle (1.0);
  dialog = find_dialog ();
  if (dialog != NULL)
    {
      shoot (GTK_WIDGET (dialog), "project-close-question");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      gtk_window_destroy (dialog);
    }
  /* A crash: the autosave stays behind. */
  if (!tc_window_autosave_now (window, &error))
    g_error ("%s", error->message);
  gtk_window_destroy (GTK_WINDOW (window));
  settle (0.5);

  /* The next start: the recent project on the empty page, and the
   * recovery question. */
  empty = tc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (empty), 1100, 720);
  gtk_window_present (GTK_WINDOW (empty));
  gtk_widget_activate_action (GTK_WIDGET (empty), "win.show-page", "s", "data");
  settle (1.0);
  shoot (GTK_WIDGET (empty), "project-recent");
  tc_window_offer_recovery (empty);
  settle (1.0);
  dialog = find_dialog ();
  if (dialog != NULL)
    {
      shoot (GTK_WIDGET (dialog), "project-recovery-question");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "recover");
      gtk_window_destroy (dialog);
    }
  while (tc_window_is_opening_project (empty))
    g_main_context_iteration (NULL, TRUE);
  wait_scenario (TC_SCENARIO_PAGE (gtk_widget_get_template_child (GTK_WIDGET (empty), TC_TYPE_WINDOW,
                                                                  "scenarios_page")));
  settle (1.0);
  shoot (GTK_WIDGET (empty), "project-recovered");
  gtk_window_destroy (GTK_WINDOW (empty));
  settle (0.3);

  /* The guided tour at 800×600, every step. */
  {
    TcWindow *tw = tc_window_new (app);
    TcTour *tour = TC_TOUR (tc_window_get_tour (tw));
    TcSession *ts = tc_window_get_session (tw);
    TcScenarioPage *tsp = TC_SCENARIO_PAGE (gtk_widget_get_template_child (GTK_WIDGET (tw), TC_TYPE_WINDOW,
                                                                           "scenarios_page"));

    gtk_window_set_default_size (GTK_WINDOW (tw), 800, 600);
    gtk_window_present (GTK_WINDOW (tw));
    gtk_widget_activate_action (GTK_WIDGET (tw), "win.show-page", "s", "data");
    settle (1.0);
    shoot (GTK_WIDGET (tw), "tour-0-welcome-screen");
    gtk_widget_activate_action (GTK_WIDGET (tw), "win.tour", NULL);
    settle (0.5);
    shoot (GTK_WIDGET (tw), "tour-1-welcome");
    tc_tour_do_action (tour);
    while (tc_session_get_dataset (ts) == NULL)
      g_main_context_iteration (NULL, TRUE);
    tc_tour_next (tour);
    settle (1.0);
    shoot (GTK_WIDGET (tw), "tour-2-data");
    tc_tour_next (tour);
    o = tc_session_get_forecaster_options (ts);
    o->max_epochs = 1;
    o->steps_per_epoch = 10;
    tc_session_forecaster_options_changed (ts);
    settle (0.5);
    shoot (GTK_WIDGET (tw), "tour-3-model");
    tc_tour_next (tour);
    tc_tour_do_action (tour);
    while (tc_session_get_forecaster (ts) == NULL)
      g_main_context_iteration (NULL, TRUE);
    settle (2.0);
    shoot (GTK_WIDGET (tw), "tour-4-training");
    tc_tour_next (tour);
    settle (1.5);
    shoot (GTK_WIDGET (tw), "tour-5-forecast");
    tc_tour_next (tour);
    wait_scenario (tsp);
    tc_tour_do_action (tour);
    wait_scenario (tsp);
    shoot (GTK_WIDGET (tw), "tour-6-what-if");
    tc_tour_next (tour);
    settle (1.0);
    shoot (GTK_WIDGET (tw), "tour-7-evaluation");
    tc_tour_next (tour);
    settle (0.5);
    gtk_window_destroy (GTK_WINDOW (tw));
    settle (0.3);
  }
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp);
  }
  return 0;
}
