/* tc-cli-forecast.c — trendcast-cli forecast: quantile forecasts to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-forecast"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"

int
tc_cli_forecast (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds;
  TcForecaster *fc;
  g_autoptr (TcForecast) f = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL;
  gboolean holdout = FALSE, common = FALSE;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcCliOutput *sink = NULL;
  FILE *out = NULL;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates (promotion, price …) of the forecast dates, same column names as DATA"), "FUTURE.csv" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "FORECAST.csv" },
    { "holdout", 0, 0, G_OPTION_ARG_NONE, &holdout, N_("Forecast the last H observed steps of every series from the data before them"), NULL },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data (default: each series after its own last value)"), NULL },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv | PROJECT.trendcast [-o FORECAST.csv] — forecast every series"));
  g_option_context_set_summary (ctx, _("Writes series,date and one column per quantile (p10,p50,p90 by default)."));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (ctx, tc_cli_role_option_group (&roles));
  tc_import_options_init (&iopts);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (argc != 2 || (model == NULL && !tc_cli_is_project (argc, argv)))
    {
      g_printerr (_("trendcast-cli forecast: give -m MODEL.tcm and one DATA.csv, or a PROJECT.trendcast\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (holdout && future)
    {
      g_printerr (_("trendcast-cli forecast: --holdout and --future exclude each other\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (holdout && common)
    {
      g_printerr (_("trendcast-cli forecast: --holdout and --common-origin exclude each other\n"));
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
  f = tc_cli_predict (session, holdout, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, &error);
  if (f == NULL)
    {
      tc_cli_print_error (error);
      tc_cli_origin_hint (ds, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  tc_cli_report_origins (ds, f, holdout);
  /* On stderr: stdout may be the forecast itself. */
  {
    g_autofree char *safety = tc_forecaster_get_safety_summary (fc);

    g_printerr ("%s\n", safety);
  }
  sink = tc_cli_output_open (output, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  out = tc_cli_output_stream (sink);
  fputs ("series,date", out);
  for (guint q = 0; q < f->n_quantiles; q++)
    {
      g_autofree char *n = tc_cli_quantile_name (f->quantiles[q]);
      fprintf (out, ",%s", n);
    }
  fputc ('\n', out);
  for (guint s = 0; s < f->n_series; s++)
    for (guint h = 0; h < f->horizon; h++)
      {
        g_autofree char *d = NULL;

        /* No empty cells: a series without a forecast was named on
         * stderr (tc_cli_report_origins) and has no rows. */
        if (!tc_forecast_series_has_values (f, s))
          break;
        d = tc_frequency_format_time (ds->freq, tc_forecast_series_times (f, s)[h]);

        tc_cli_write_field (out, tc_cli_series_label (ds, s));
        fprintf (out, ",%s", d);
        for (guint q = 0; q < f->n_quantiles; q++)
          tc_cli_write_number (out, f->values[((gsize) s * f->horizon + h) * f->n_quantiles + q]);
        fputc ('\n', out);
      }
  /* Every write error (a full disk) surfaces here, naming the file. */
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
    }

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
