/* eval-screenshot.c — renders the Evaluation page with real data and a
 * trained model into PNGs for the design notes (not a test).
 *
 *   eval-screenshot DATA.csv MODEL.tcm OUT-PREFIX [reuse]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tc-application.h"
#include "tc-evaluation-page.h"
#include "tc-import.h"
#include "tc-window.h"

static char **args;
static TcEvaluationPage *page;
static GtkWidget *window;

static void
save_png (const char *path)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  GdkPaintable *paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_save_to_png (texture, path);
  g_print ("wrote %s\n", path);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}

static void
scroll_to (const char *child)
{
  GtkScrolledWindow *sw = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE, "scroller"));
  GtkWidget *target = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE, child));
  graphene_point_t p;

  if (gtk_widget_compute_point (target, gtk_scrolled_window_get_child (sw), &GRAPHENE_POINT_INIT (0, 0), &p))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (sw), p.y - 12);
}

static int shot;

static gboolean
take_shots (gpointer data)
{
  g_autofree char *path = NULL;

  switch (shot++)
    {
    case 0:
      scroll_to ("results_box");
      return G_SOURCE_CONTINUE;
    case 1:
      path = g_strdup_printf ("%s.png", args[3]);
      save_png (path);
      scroll_to ("drivers_group");
      {
        GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE, "scroller")));

        gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
      }
      return G_SOURCE_CONTINUE;
    case 2:
      path = g_strdup_printf ("%s-drivers.png", args[3]);
      save_png (path);
      return G_SOURCE_CONTINUE;
    default:
      gtk_window_destroy (GTK_WINDOW (window));
      return G_SOURCE_REMOVE;
    }
}

static void
on_running (TcEvaluationPage *p)
{
  if (!tc_evaluation_page_get_running (p))
    {
      if (tc_evaluation_page_get_error (p))
        g_printerr ("error: %s\n", tc_evaluation_page_get_error (p));
      g_timeout_add (700, take_shots, NULL);
    }
}

static gboolean
setup (gpointer data)
{
  GtkApplication *app = data;
  TcSession *session;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (args[1]);
  TcImportReport *report = NULL;
  TcDataset *ds;
  TcForecaster *fc;
  AdwViewStack *stack;

  window = GTK_WIDGET (gtk_application_get_active_window (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  session = tc_window_get_session (TC_WINDOW (window));
  ds = tc_import_file (args[1], NULL, &report, NULL, &error);
  g_assert_no_error (error);
  tc_session_set_dataset (session, file, NULL, ds, report);
  fc = tc_forecaster_load (args[2], &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (session, fc);
  stack = ADW_VIEW_STACK (gtk_widget_get_template_child (window, TC_TYPE_WINDOW, "view_stack"));
  adw_view_stack_set_visible_child_name (stack, "evaluation");
  page = TC_EVALUATION_PAGE (adw_view_stack_get_child_by_name (stack, "evaluation"));
  if (args[4] && g_str_equal (args[4], "reuse"))
    adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_EVALUATION_PAGE, "retrain_row")), 1);
  tc_evaluation_page_set_model_enabled (page, "ma", TRUE);
  g_signal_connect (page, "notify::running", G_CALLBACK (on_running), NULL);
  tc_evaluation_page_run (page);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  g_idle_add (setup, app);
}

int
main (int argc, char **argv)
{
  g_autoptr (TcApplication) app = NULL;
  char *run_argv[] = { argv[0], NULL };

  if (argc < 4)
    {
      g_printerr ("usage: eval-screenshot DATA.csv MODEL.tcm OUT-PREFIX [reuse]\n");
      return 1;
    }
  args = argv;
  app = tc_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, run_argv);
}
