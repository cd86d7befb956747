/* shot-plan-page.c — a screenshot of the Plan page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * shot-plan-page MODEL.tcm DATA.csv FUTURE.csv STOCK.csv OUT.png
 * opens the window on the Plan page with the model's forecast and the
 * stock file and writes OUT.png (the window, rendered by GTK).
 * TC_SHOT_WIDTH / TC_SHOT_HEIGHT set the window's size (1280×860);
 * TC_SHOT_HOLD keeps it up that many milliseconds afterwards, for
 * "import -window root" under Xvfb; TC_SHOT_LEAD, TC_SHOT_REVIEW and
 * TC_SHOT_LEVEL set the parameters.  Not a test.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tc-application.h"
#include "tc-cli-pipeline.h"
#include "tc-plan-page.h"
#include "tc-window.h"

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
save (GtkWidget *window, const char *path)
{
  GdkPaintable *p = gtk_widget_paintable_new (window);
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  GtkSnapshot *snap = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *tex;

  gdk_paintable_snapshot (p, snap, w, h);
  node = gtk_snapshot_free_to_node (snap);
  tex = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                     &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (tex, path))
    g_printerr ("could not write %s\n", path);
  else
    g_print ("wrote %s (%d×%d)\n", path, w, h);
  g_object_unref (tex);
  gsk_render_node_unref (node);
  g_object_unref (p);
}

static TcPlanPage *
find_page (GtkWidget *w)
{
  GtkWidget *c;

  if (TC_IS_PLAN_PAGE (w))
    return TC_PLAN_PAGE (w);
  for (c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      TcPlanPage *p = find_page (c);

      if (p)
        return p;
    }
  return NULL;
}

static double
env_number (const char *name, double fallback)
{
  const char *v = g_getenv (name);

  return v ? g_ascii_strtod (v, NULL) : fallback;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) stock = NULL;
  TcImportOptions opts;
  TcForecaster *fc;
  TcDataset *ds;
  TcApplication *app;
  TcWindow *window;
  TcPlanPage *page;
  GObject *stack;

  if (argc < 6)
    {
      g_printerr ("usage: shot-plan-page MODEL DATA FUTURE STOCK OUT.png\n");
      return 1;
    }
  gtk_init ();
  fc = tc_forecaster_load (argv[1], &error);
  g_assert_no_error (error);
  tc_import_options_init (&opts);
  if (g_getenv ("TC_SHOT_KNOWN"))
    opts.known_cols = g_strsplit (g_getenv ("TC_SHOT_KNOWN"), ",", -1);
  tc_cli_import_options_from_model (&opts, fc);
  opts.series_cols = g_new0 (char *, 2);
  opts.series_cols[0] = g_strdup ("sku");
  ds = tc_import_file (argv[2], &opts, NULL, NULL, &error);
  g_assert_no_error (error);

  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = tc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), (int) env_number ("TC_SHOT_WIDTH", 1280),
                               (int) env_number ("TC_SHOT_HEIGHT", 860));
  gtk_window_present (GTK_WINDOW (window));
  stack = gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, "view_stack");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "plan");
  tc_session_set_dataset (tc_window_get_session (window), NULL, &opts, ds, NULL);
  tc_session_set_forecaster (tc_window_get_session (window), fc);
  if (!tc_session_read_future (tc_window_get_session (window), argv[3], NULL, &error))
    g_error ("%s", error->message);
  page = find_page (GTK_WIDGET (window));
  tc_plan_page_set_parameters (page, (guint) env_number ("TC_SHOT_LEAD", 7), (guint) env_number ("TC_SHOT_REVIEW", 7),
                               env_number ("TC_SHOT_LEVEL", 0.95));
  stock = g_file_new_for_path (argv[4]);
  if (!tc_plan_page_set_stock_file (page, stock, &error))
    g_printerr ("%s\n", error->message);
  iterate (800);
  save (GTK_WIDGET (window), argv[5]);
  if (g_getenv ("TC_SHOT_HOLD"))
    iterate ((guint) env_number ("TC_SHOT_HOLD", 0));

  tc_import_options_clear (&opts);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (100);
  g_object_unref (app);
  return 0;
}
