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
#include "tc-explore.h"
#include "tc-text-signal.h"

/* The members of the group --signal-series / --signal-level name (the
 * total without either), as the Forecast page groups them. */
static gboolean
signal_members (const TcDataset   *ds,
                const TcForecast  *f,
                const char        *series,
                const char        *lvl,
                const guint      **members,
                guint             *n_members,
                char             **name,
                TcExploreLevel   **level_out)
{
  TcExploreLevelKind kind = TC_EXPLORE_LEVEL_TOTAL;
  int attribute = -1, group = 0;
  const char *group_name = NULL;
  g_autofree char *column = NULL;
  g_autoptr (GError) error = NULL;
  TcExploreLevel *level;

  if (series != NULL)
    {
      kind = TC_EXPLORE_LEVEL_SERIES;
      group_name = series;
    }
  else if (lvl != NULL)
    {
      const char *eq = strchr (lvl, '=');

      column = g_strndup (lvl, eq - lvl);
      group_name = eq + 1;
      kind = TC_EXPLORE_LEVEL_ATTRIBUTE;
      for (guint k = 0; k < ds->n_static; k++)
        if (strcmp (ds->static_names[k], column) == 0)
          attribute = (int) k;
      if (attribute < 0)
        {
          g_autofree char *names = g_strjoinv (", ", ds->static_names);

          g_printerr (_("trendcast-cli forecast: --signal-level: the data has no static column “%s”; its static columns: %s\n"),
                      column, *names ? names : _("none"));
          return FALSE;
        }
    }
  level = tc_explore_level_new (ds, NULL, f, kind, attribute, TC_EXPLORE_INDEPENDENT, &error);
  if (level == NULL)
    {
      tc_cli_print_error (error);
      return FALSE;
    }
  group = group_name ? tc_explore_level_find (level, group_name) : 0;
  if (group < 0 || (guint) group >= level->n_groups)
    {
      g_printerr (_("trendcast-cli forecast: no group “%s” in the data\n"), group_name ? group_name : "");
      tc_explore_level_free (level);
      return FALSE;
    }
  *members = level->groups[group].members;
  *n_members = level->groups[group].n_members;
  *name = g_strdup (level->groups[group].name);
  *level_out = level;
  return TRUE;
}

/* period,reviews,with_text,without_text,effect: what the reviews up to
 * each period do to the forecast of the H periods after it. */
static int
write_text_signal (TcForecaster     *fc,
                   const TcDataset  *ds,
                   const TcForecast *f,
                   const char       *path,
                   const char       *series,
                   const char       *lvl)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcExploreLevel) level = NULL;
  g_autoptr (TcTextSignal) sig = NULL;
  g_autofree char *name = NULL;
  const guint *members = NULL;
  guint n_members = 0;
  TcCliOutput *sink;
  FILE *out;
  double lo = INFINITY, hi = -INFINITY;

  if (!signal_members (ds, f, series, lvl, &members, &n_members, &name, &level))
    return TC_CLI_EXIT_DATA;
  sig = tc_text_signal_new (fc, ds, members, n_members, G_MAXUINT, NULL, &error);
  if (sig == NULL)
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_DATA;
    }
  sink = tc_cli_output_open (path, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_DATA;
    }
  out = tc_cli_output_stream (sink);
  fputs ("period,reviews,with_text,without_text,effect\n", out);
  for (guint i = 0; i < sig->n_periods; i++)
    {
      g_autofree char *d = tc_frequency_format_time (ds->freq, ds->times[sig->first + i]);

      fprintf (out, "%s,%u", d, sig->reviews[i]);
      tc_cli_write_number (out, sig->with_text[i]);
      tc_cli_write_number (out, sig->without_text[i]);
      tc_cli_write_number (out, sig->effect[i]);
      fputc ('\n', out);
      if (isfinite (sig->effect[i]))
        {
          lo = MIN (lo, sig->effect[i]);
          hi = MAX (hi, sig->effect[i]);
        }
    }
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_DATA;
    }
  if (lo <= hi)
    {
      g_autofree char *next = tc_explore_period_phrase (ds->freq, sig->horizon);

      /* TRANSLATORS: "Text signal of Total: the reviews moved the forecast of the next 14 days by -0.9 % to +1.6 %". */
      g_printerr (_("Text signal of %s: the reviews moved the forecast of the next %s by %+.1f %% to %+.1f %%\n"),
                  name, next, 100 * lo, 100 * hi);
    }
  return TC_CLI_EXIT_OK;
}

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
  g_autofree char *signal = NULL, *signal_series = NULL, *signal_level = NULL;
  gboolean holdout = FALSE, common = FALSE, bf16 = FALSE;
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
    { "text-signal", 0, 0, G_OPTION_ARG_FILENAME, &signal, N_("Also write what the reviews do to the forecast, period by period, to this CSV (a model trained with --text-col)"), "SIGNAL.csv" },
    { "signal-series", 0, 0, G_OPTION_ARG_STRING, &signal_series, N_("The text signal of one series (default: the total)"), "ID" },
    { "signal-level", 0, 0, G_OPTION_ARG_STRING, &signal_level, N_("The text signal of the sum of the series with this static value"), "COLUMN=VALUE" },
    { "bf16", 0, 0, G_OPTION_ARG_NONE, &bf16, N_("Run the network's matrix products in bfloat16 where the CPU has AVX512-BF16 (faster; forecasts within a few tenths of a percent)"), NULL },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv | PROJECT.trendcast [-o FORECAST.csv] — forecast every series"));
  g_option_context_set_summary (ctx, _("Writes series,date and one column per quantile (p10,p50,p90 by default)."));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model))
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
  if ((signal_series || signal_level) && signal == NULL)
    {
      g_printerr (_("trendcast-cli forecast: --signal-series and --signal-level need --text-signal\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (signal_series && signal_level)
    {
      g_printerr (_("trendcast-cli forecast: give only one of --signal-series and --signal-level\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (signal_level != NULL && (strchr (signal_level, '=') == NULL || signal_level[0] == '='))
    {
      g_printerr (_("trendcast-cli forecast: --signal-level: found “%s”, expected COLUMN=VALUE such as category=Snacks\n"),
                  signal_level);
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
  if (bf16 && !tc_forecaster_set_bf16 (fc, TRUE))
    g_printerr (_("This CPU has no AVX512-BF16: forecasting in fp32\n"));
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
      goto out;
    }
  if (signal != NULL)
    ret = write_text_signal (fc, ds, f, signal, signal_series, signal_level);

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
