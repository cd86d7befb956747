/* scenario-demo.c — the main window on the Scenarios page with a data
 * file, a model file from "trendcast-cli train" and optionally a plan,
 * for looking at the page (screenshots).  Not a test.
 *
 * Usage: scenario-demo DATA.csv MODEL.tcm [FUTURE.csv [SERIES [promo|discount:PCT|price:X|set:NAME:V FROM TO]…]]
 *
 * TC_DEMO_BOOK=SCENARIOS.ini imports a book of saved scenarios and
 * compares them; TC_DEMO_SIZE=WIDTHxHEIGHT sets the window's size;
 * TC_DEMO_LOCALEDIR=DIR (holding zh_CN/LC_MESSAGES/trendcast.mo) with
 * LANGUAGE/LC_ALL shows it translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tc-application.h"
#include "tc-scenario-page.h"
#include "tc-window.h"

static char **args;
static int n_args;

/* With TC_DEMO_EXPORT=FILE.csv: export the scenario once it is computed and quit. */
static void
busy_cb (TcScenarioPage *page, GParamSpec *pspec, GApplication *app)
{
  const char *path = g_getenv ("TC_DEMO_EXPORT");
  g_autoptr (GError) error = NULL;

  if (path == NULL || tc_scenario_page_get_busy (page) || tc_scenario_page_get_result (page) == NULL
      || tc_scenario_page_get_n_edits (page) == 0)
    return;
  if (!tc_scenario_page_export_csv (page, path, &error))
    g_printerr ("%s\n", error->message);
  g_print ("%s\n%s\n", tc_scenario_page_get_headline (page), tc_scenario_page_get_detail (page));
  g_application_quit (app);
}

static gboolean
compare_later (gpointer page)
{
  tc_scenario_page_compare (TC_SCENARIO_PAGE (page));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  TcWindow *window = tc_window_new (TC_APPLICATION (app));
  TcSession *session = tc_window_get_session (window);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (args[1]);
  TcImportReport *report = NULL;
  TcImportOptions opts;
  TcDataset *ds;
  TcForecaster *fc;
  GObject *stack;
  TcScenarioPage *page;

  tc_import_options_init (&opts);
  ds = tc_import_file (args[1], &opts, &report, NULL, &error);
  if (ds == NULL)
    g_error ("%s", error->message);
  fc = tc_forecaster_load (args[2], &error);
  if (fc == NULL)
    g_error ("%s", error->message);
  tc_session_set_dataset (session, file, &opts, ds, report);
  tc_session_set_forecaster (session, fc);
  tc_import_options_clear (&opts);

  stack = gtk_widget_get_template_child (GTK_WIDGET (window), TC_TYPE_WINDOW, "view_stack");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "scenarios");
  page = TC_SCENARIO_PAGE (adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)));
  if (n_args > 3 && !tc_scenario_page_import_plan (page, args[3], &error))
    g_error ("%s", error->message);
  if (n_args > 4)
    for (guint s = 0; s < ds->n_series; s++)
      if (g_strcmp0 (ds->series_ids[s], args[4]) == 0)
        tc_scenario_page_set_scope_series (page, (int) s);
  /* Changes come in threes: KIND FROM TO. */
  for (int a = 5; a + 2 < n_args; a += 3)
    {
      TcScenarioEditKind kind = TC_SCENARIO_EDIT_PROMOTION;
      const char *cov = NULL;
      double v = 1;

      if (g_str_has_prefix (args[a], "discount:"))
        kind = TC_SCENARIO_EDIT_DISCOUNT, v = atof (args[a] + 9);
      else if (g_str_has_prefix (args[a], "price:"))
        kind = TC_SCENARIO_EDIT_PRICE, v = atof (args[a] + 6);
      else if (g_str_has_prefix (args[a], "set:"))
        {
          g_auto (GStrv) kv = g_strsplit (args[a] + 4, ":", 2);

          kind = TC_SCENARIO_EDIT_SET;
          cov = g_intern_string (kv[0]);
          v = kv[1] ? atof (kv[1]) : 0;
        }
      tc_scenario_page_add_edit (page, kind, cov, v, (guint) atoi (args[a + 1]), (guint) atoi (args[a + 2]));
    }
  g_signal_connect (page, "notify::busy", G_CALLBACK (busy_cb), app);
  if (n_args > 7)
    tc_scenario_page_apply (page);
  if (g_getenv ("TC_DEMO_BOOK"))
    {
      if (!tc_scenario_page_import_book (page, g_getenv ("TC_DEMO_BOOK"), &error))
        g_error ("%s", error->message);
      /* Once the window is up, as a user would click Compare. */
      g_timeout_add_seconds (2, compare_later, page);
    }
  {
    int w = 1280, h = 860;

    if (g_getenv ("TC_DEMO_SIZE"))
      sscanf (g_getenv ("TC_DEMO_SIZE"), "%dx%d", &w, &h);
    gtk_window_set_default_size (GTK_WINDOW (window), w, h);
  }
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autoptr (TcApplication) app = NULL;

  if (argc < 3)
    {
      g_printerr ("Usage: %s DATA.csv MODEL.tcm [FUTURE.csv [SERIES [promo|discount:PCT|price:X|set:NAME:V FROM TO]…]]\n", argv[0]);
      return 1;
    }
  args = argv;
  n_args = argc;
  if (g_getenv ("TC_DEMO_LOCALEDIR"))
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TC_DEMO_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  app = tc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
