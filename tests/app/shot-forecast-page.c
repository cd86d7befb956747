/* shot-forecast-page.c — screenshots of the forecast explorer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * shot-forecast-page MODEL.tcm DATA.csv FUTURE.csv OUT-PREFIX [KNOWN STATIC]
 * opens the window on the Forecast page with the model's forecast and
 * writes OUT-PREFIX-sku.png, -category.png and -total.png (the window's
 * content, rendered by GTK).  Not a test: data/screenshots/ is made with it.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tc-application.h"
#include "tc-cli-pipeline.h"
#include "tc-forecast-page.h"
#include "tc-model-page.h"
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
  /* The window itself: its background is drawn there, not by the child. */
  GtkWidget *content = window;
  GdkPaintable *p = gtk_widget_paintable_new (content);
  int w = gtk_widget_get_width (content), h = gtk_widget_get_height (content);
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

static GtkWidget *
find_type (GtkWidget *w, GType type)
{
  GtkWidget *c;

  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *r = find_type (c, type);
      if (r)
        return r;
    }
  return NULL;
}

/* Until the page's workers (the forecast, the reviews' effect) are back. */
static void
settle (TcForecastPage *page, guint ms)
{
  for (guint i = 0; i < 6000 && tc_forecast_page_get_busy (page); i++)
    iterate (10);
  iterate (ms);
}

static TcForecastPage *
find_page (GtkWidget *w)
{
  GtkWidget *c;

  if (TC_IS_FORECAST_PAGE (w))
    return TC_FORECAST_PAGE (w);
  for (c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      TcForecastPage *p = find_page (c);
      if (p)
        return p;
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  TcImportOptions opts;
  TcForecaster *fc;
  g_autoptr (GFile) file = NULL;
  TcApplication *app;
  TcWindow *window;
  TcForecastPage *page;
  GObject *stack;
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;
  guint i;

  if (argc < 5)
    {
      g_printerr ("usage: shot-forecast-page MODEL DATA FUTURE OUT-PREFIX [select-sku select-category]\n");
      return 1;
    }
  /* TC_SHOT_LOCALEDIR (holding zh_CN/LC_MESSAGES/trendcast.mo) with
   * LANGUAGE: the shots in that language. */
  setlocale (LC_ALL, "");
  if (g_getenv ("TC_SHOT_LOCALEDIR"))
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TC_SHOT_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_init ();
  fc = tc_forecaster_load (argv[1], &error);
  g_assert_no_error (error);
  tc_import_options_init (&opts);
  /* TC_SHOT_KNOWN: the known columns as written in the file (a holiday
   * column of names becomes one model covariate per holiday). */
  if (g_getenv ("TC_SHOT_KNOWN"))
    opts.known_cols = g_strsplit (g_getenv ("TC_SHOT_KNOWN"), ",", -1);
  tc_cli_import_options_from_model (&opts, fc);
  opts.series_cols = g_new0 (char *, 2);
  opts.series_cols[0] = g_strdup ("sku");

  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = tc_window_new (app);
  /* TC_SHOT_WIDTH: look at the narrow (folded) layout. */
  gtk_window_set_default_size (GTK_WINDOW (window),
                               g_getenv ("TC_SHOT_WIDTH") ? atoi (g_getenv ("TC_SHOT_WIDTH")) : 1280, 800);
  if (g_getenv ("TC_SHOT_DARK"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_present (GTK_WINDOW (window));
  stack = gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, "view_stack");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "forecast");
  /* The session reads DATA and the plan of FUTURE, as the app does. */
  file = g_file_new_for_commandline_arg (argv[2]);
  tc_session_import (tc_window_get_session (window), file, &opts, NULL, &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (tc_window_get_session (window), fc);
  tc_session_read_future (tc_window_get_session (window), argv[3], NULL, &error);
  g_assert_no_error (error);
  page = find_page (GTK_WIDGET (window));
  tc_forecast_page_rebuild_now (page);
  iterate (600);

  p1 = g_strconcat (argv[4], "-sku.png", NULL);
  p2 = g_strconcat (argv[4], "-category.png", NULL);
  p3 = g_strconcat (argv[4], "-total.png", NULL);
  tc_forecast_page_set_level (page, 0);
  if (argc > 5)
    tc_forecast_page_select (page, argv[5]);
  settle (page, 400);
  save (GTK_WIDGET (window), p1);
  for (i = 0; i < tc_forecast_page_get_n_levels (page); i++)
    {
      tc_forecast_page_set_level (page, i);
      if (strcmp (tc_forecast_page_get_level (page)->name, "category") == 0)
        break;
    }
  if (argc > 6)
    tc_forecast_page_select (page, argv[6]);
  settle (page, 400);
  save (GTK_WIDGET (window), p2);
  tc_forecast_page_set_level (page, tc_forecast_page_get_n_levels (page) - 1);
  settle (page, 400);
  save (GTK_WIDGET (window), p3);

  /* TC_SHOT_MODEL: the Model page too, scrolled to its review-text row. */
  if (g_getenv ("TC_SHOT_MODEL"))
    {
      GtkWidget *mp = find_type (GTK_WIDGET (window), TC_TYPE_MODEL_PAGE);
      GtkWidget *row = tc_model_page_get_text_row (TC_MODEL_PAGE (mp));

      adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "model");
      iterate (300);
      gtk_widget_grab_focus (row);
      iterate (400);
      save (GTK_WIDGET (window), g_getenv ("TC_SHOT_MODEL"));
    }

  /* TC_SHOT_EXPORT: open Export Chart… and leave it up for a look. */
  if (g_getenv ("TC_SHOT_EXPORT"))
    {
      gtk_widget_activate_action (GTK_WIDGET (page), "forecast.export-chart", NULL);
      iterate (atoi (g_getenv ("TC_SHOT_EXPORT")));
    }

  tc_import_options_clear (&opts);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (100);
  g_object_unref (app);
  return 0;
}
