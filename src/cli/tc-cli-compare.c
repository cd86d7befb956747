/* tc-cli-compare.c — trendcast-cli compare: named scenarios side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-compare"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-future-plan.h"
#include "tc-error.h"
#include "tc-scenario-book.h"

int
tc_cli_compare (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds = NULL;
  TcForecaster *fc = NULL;
  g_autoptr (TcScenarioBook) book = NULL;
  g_autoptr (TcScenarioComparison) cmp = NULL;
  g_autoptr (TcDataset) plan = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL, *book_path = NULL, *add = NULL;
  g_autofree char *series = NULL, *remove = NULL;
  g_auto (GStrv) sets = NULL;
  gboolean common = FALSE, together = FALSE;
  int series_index = -1;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcCliOutput *sink = NULL;
  FILE *out, *words_out;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "book", 'b', 0, G_OPTION_ARG_FILENAME, &book_path, N_("The file of named scenarios (created by --add)"), "SCENARIOS.ini" },
    { "add", 0, 0, G_OPTION_ARG_STRING, &add, N_("Save the --set changes in the book as this scenario (replacing one of that name)"), "NAME" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("A change of the scenario --add saves: promo=1@2025-07-07..2025-07-20, competitor_price*0.9, …@SERIES"), "EDIT" },
    { "remove", 0, 0, G_OPTION_ARG_STRING, &remove, N_("Remove this scenario from the book"), "NAME" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, N_("Compare this series only (the changes apply to it)"), "ID" },
    { "together", 0, 0, G_OPTION_ARG_NONE, &together, N_("Sum the series' ranges as if they moved together (wider; default: independently)"), NULL },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates of the forecast dates (the baseline plan)"), "FUTURE.csv" },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "COMPARE.csv" },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv --book SCENARIOS.ini [--add NAME --set EDIT…] — scenarios side by side"));
  g_option_context_set_summary (ctx, _("Keeps named what-if scenarios in a file and compares them with the baseline: "
                                       "total units with their range, the uplift with its range, revenue and margin."));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model) || book_path == NULL || (add != NULL) != (sets != NULL))
    {
      g_printerr (_("trendcast-cli compare: give -m MODEL.tcm, one DATA.csv and --book; --add and --set go together\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (g_file_test (book_path, G_FILE_TEST_EXISTS))
    book = tc_scenario_book_load (book_path, &error);
  else
    book = tc_scenario_book_new ();
  if (book == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (remove != NULL && !tc_scenario_book_remove (book, remove))
    {
      g_printerr (_("trendcast-cli compare: no scenario “%s” in %s\n"), remove, book_path);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (add != NULL && !tc_scenario_book_set (book, add, (const char * const *) sets, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if ((add != NULL || remove != NULL) && !tc_scenario_book_save (book, book_path, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (tc_scenario_book_get_n (book) == 0)
    {
      g_printerr (_("trendcast-cli compare: %s holds no scenario yet: add one with --add NAME --set EDIT\n"), book_path);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_role_args_apply (&roles, &iopts, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  ret = tc_cli_open_session (model, argv[1], future, &iopts, &session);
  if (ret != TC_CLI_EXIT_OK)
    goto out;
  ds = tc_session_get_dataset (session);
  fc = tc_session_get_forecaster (session);
  if (series)
    {
      for (guint s = 0; s < ds->n_series; s++)
        if (g_strcmp0 (ds->series_ids[s], series) == 0)
          series_index = s;
      if (series_index < 0)
        {
          g_printerr (_("trendcast-cli: no series “%s” in %s\n"), series, argv[1]);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
    }
  /* Without a plan, the model's stated assumptions stand in for it, as
   * in "forecast". */
  /* The plan as the app resolves it: the FUTURE file where it gives a
   * value, the model's stated assumptions elsewhere. */
  plan = tc_future_plan_resolve_full (fc, ds, tc_session_get_future (session),
                                      common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, NULL);
  if (future == NULL)
    {
      g_printerr (_("trendcast-cli: no --future file: assuming no promotions or discounts, the last known prices "
                    "and last season's holidays\n"));
    }
  cmp = tc_scenario_book_compare (book, fc, ds, plan, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, series_index,
                                  together ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT, &error);
  if (cmp == NULL)
    {
      tc_cli_print_error (error);
      ret = g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
      goto out;
    }

  sink = tc_cli_output_open (output, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  out = tc_cli_output_stream (sink);
  fputs ("scenario", out);
  for (guint q = 0; q < cmp->n_quantiles; q++)
    {
      g_autofree char *n = tc_cli_quantile_name (cmp->quantiles[q]);

      fprintf (out, ",units_%s", n);
    }
  for (guint q = 0; q < cmp->n_quantiles; q++)
    {
      g_autofree char *n = tc_cli_quantile_name (cmp->quantiles[q]);

      fprintf (out, ",uplift_%s", n);
    }
  fputs (",revenue,uplift_revenue,margin,uplift_margin\n", out);
  for (guint r = 0; r < cmp->n_rows; r++)
    {
      const TcScenarioSummary *row = &cmp->rows[r];

      tc_cli_write_field (out, row->name);
      for (guint q = 0; q < cmp->n_quantiles; q++)
        tc_cli_write_number (out, row->units[q]);
      for (guint q = 0; q < cmp->n_quantiles; q++)
        tc_cli_write_number (out, r == 0 ? 0 : row->uplift[q]);
      tc_cli_write_number (out, row->revenue);
      tc_cli_write_number (out, row->uplift_revenue);
      tc_cli_write_number (out, row->margin);
      tc_cli_write_number (out, row->uplift_margin);
      fputc ('\n', out);
    }
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  words_out = output != NULL && strcmp (output, "-") != 0 ? stdout : stderr;
  for (guint r = 0; r < cmp->n_rows; r++)
    {
      g_autofree char *words = tc_scenario_summary_text (cmp, r);

      fprintf (words_out, "%s\n", words);
    }
  if (cmp->cost_name == NULL)
    fprintf (words_out, "%s\n", _("No cost column (cost, unit_cost, wholesale…): no margin."));

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
