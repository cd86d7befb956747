/* shoot-training.c — screenshots of the Model and Training pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: opens the real window on a sample, shows a page, optionally
 * starts training, and after a delay renders the window into a PNG (the
 * pictures in data/screenshots/).
 *
 *   shoot-training DATA.csv PAGE OUT.png SECONDS [train] [dark]
 */

#include "config.h"

#include <stdlib.h>

#include "tc-application.h"
#include "tc-import.h"
#include "tc-window.h"

static const char *out_path;
static GMainLoop *loop;

static gboolean
shoot (gpointer data)
{
  GtkWidget *window = data;
  int w = gtk_widget_get_width (window);
  int h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snap = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snap, w, h);
  node = gtk_snapshot_free_to_node (snap);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, out_path))
    g_printerr ("Could not write %s\n", out_path);
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
close_window (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static gboolean
train (gpointer data)
{
  gtk_widget_activate_action (GTK_WIDGET (data), "win.train", NULL);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TcApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  TcImportOptions opts;
  TcImportReport *report = NULL;
  TcDataset *ds;
  TcWindow *window;
  g_autoptr(GFile) file = NULL;

  if (argc < 5)
    {
      g_printerr ("usage: %s DATA.csv PAGE OUT.png SECONDS [train] [dark]\n", argv[0]);
      return 1;
    }
  out_path = argv[3];
  g_setenv ("GSETTINGS_SCHEMA_DIR", TC_SCHEMAS_BUILDDIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  if (argc > 6 && g_str_equal (argv[6], "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  tc_import_options_init (&opts);
  ds = tc_import_file (argv[1], &opts, &report, NULL, &error);
  if (ds == NULL)
    g_error ("%s", error->message);
  window = tc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280,
                               g_getenv ("TC_SHOOT_HEIGHT") ? atoi (g_getenv ("TC_SHOOT_HEIGHT")) : 860);
  file = g_file_new_for_path (argv[1]);
  tc_session_set_dataset (tc_window_get_session (window), file, &opts, ds, report);
  tc_import_options_clear (&opts);
  if (g_getenv ("TC_SHOOT_CONTEXT"))
    {
      TcSession *session = tc_window_get_session (window);

      tc_session_get_forecaster_options (session)->context = (guint) atoi (g_getenv ("TC_SHOOT_CONTEXT"));
      tc_session_get_forecaster_options (session)->n_heads = 3;
      tc_session_forecaster_options_changed (session);
    }
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", argv[2]);
  if (argc > 5 && g_str_equal (argv[5], "train"))
    g_timeout_add (500, train, window);
  if (g_getenv ("TC_SHOOT_CLOSE"))
    g_timeout_add (2000, close_window, window);
  g_timeout_add ((guint) (atof (argv[4]) * 1000), shoot, window);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
