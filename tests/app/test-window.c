/* test-window.c
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tc-application.h"
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
  g_assert_finalize_object (window);
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
  g_assert_finalize_object (window);

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
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/app/window/no-display", test_no_display);
      return g_test_run ();
    }

  app = tc_application_new ();
  /* NON_UNIQUE: a test must never hand its work to a running Trendcast. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);

  g_test_add_func ("/app/window/pages", test_window_pages);
  g_test_add_func ("/app/window/open-file", test_window_open_file);
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
