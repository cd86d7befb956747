/* tc-cli-scenario.c — trendcast-cli scenario: what-if against the baseline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-scenario"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-future-plan.h"

static gboolean
parse_date (const char *s, gint64 *out)
{
  int y, m, d, n = 0;
  g_autoptr (GDateTime) dt = NULL;

  if (sscanf (s, "%d-%d-%d%n", &y, &m, &d, &n) != 3 || s[n] != 0)
    return FALSE;
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* NAME=V or NAME*V, optionally @FROM..TO with either end left open. */
static gboolean
parse_set (const char *spec, TcScenarioEdit *e, GError **error)
{
  g_autofree char *s = g_strdup (spec);
  char *at = strchr (s, '@'), *op, *end;

  e->from = G_MININT64;
  e->to = G_MAXINT64;
  e->series = -1;
  if (at)
    {
      char *dots = strstr (at + 1, "..");

      *at = 0;
      if (dots == NULL)
        {
          if (!parse_date (at + 1, &e->from))
            goto bad;
          e->to = e->from + 86399;
        }
      else
        {
          *dots = 0;
          if (*(at + 1) && !parse_date (at + 1, &e->from))
            goto bad;
          if (*(dots + 2) && !parse_date (dots + 2, &e->to))
            goto bad;
          if (*(dots + 2))
            e->to += 86399;   /* the whole last day */
        }
    }
  op = strpbrk (s, "=*");
  if (op == NULL || op == s)
    goto bad;
  e->op = *op == '*' ? TC_SCENARIO_SCALE : TC_SCENARIO_SET;
  *op = 0;
  e->value = g_ascii_strtod (op + 1, &end);
  if (end == op + 1 || *end)
    goto bad;
  e->covariate = g_strdup (g_strstrip (s));
  return TRUE;

bad:
  g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
               _("Cannot read --set “%s”: expected NAME=VALUE or NAME*FACTOR, optionally "
                 "followed by @YYYY-MM-DD..YYYY-MM-DD (either end may be left out)"), spec);
  return FALSE;
}

int
tc_cli_scenario (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds;
  g_autoptr (TcScenarioResult) r = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL, *series = NULL;
  g_auto (GStrv) sets = NULL;
  g_autofree TcScenarioEdit *edits = NULL;
  guint n_edits = 0;
  int series_index = -1;
  gboolean common = FALSE, is_project = FALSE;
  g_autoptr (TcProject) project = NULL;
  g_autoptr (TcDataset) plan = NULL;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcCliOutput *sink = NULL;
  FILE *out = NULL;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates of the forecast dates (the baseline plan)"), "FUTURE.csv" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("A change: promo=1@2024-05-01..2024-05-14, price*0.9@.. (repeatable)"), "EDIT" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, N_("Change and report only this series"), "ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "SCENARIO.csv" },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data (default: each series after its own last value)"), NULL },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv | PROJECT.trendcast --future FUTURE.csv --set EDIT… — what-if forecast"));
  g_option_context_set_summary (ctx, _("Forecasts the baseline plan and the plan with the changes, and the uplift\n"
                                       "in units (and revenue when the model has a price covariate)."));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  is_project = model == NULL && tc_cli_is_project (argc, argv);
  if (argc != 2 || (model == NULL && !is_project) || (sets == NULL && !is_project))
    {
      g_printerr (_("trendcast-cli scenario: give -m MODEL.tcm, one DATA.csv and at least one --set, "
                    "or a PROJECT.trendcast (its changes unless --set is given)\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  edits = g_new0 (TcScenarioEdit, sets ? g_strv_length (sets) : 0);
  for (guint i = 0; sets && sets[i]; i++)
    {
      if (!parse_set (sets[i], &edits[n_edits], &error))
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
      n_edits++;
    }
  if (!tc_cli_role_args_apply (&roles, &iopts, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (is_project)
    ret = tc_cli_open_project (argv[1], future, &session, &project);
  else
    ret = tc_cli_open_session (model, argv[1], future, &iopts, &session);
  if (ret != TC_CLI_EXIT_OK)
    goto out;
  ds = tc_session_get_dataset (session);
  /* The project's changes, as its Scenarios page made them. */
  if (project != NULL && sets == NULL)
    {
      g_autoptr (GArray) pe = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));

      if (project->changes->len == 0)
        {
          g_printerr (_("trendcast-cli scenario: the project has no scenario changes: give --set\n"));
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
      if (!tc_project_build_edits (project, tc_session_get_forecaster (session), ds, pe, &error))
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
      g_free (edits);
      n_edits = pe->len;
      edits = (TcScenarioEdit *) g_array_free (g_steal_pointer (&pe), FALSE);
    }
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
      for (guint e = 0; e < n_edits; e++)
        edits[e].series = series_index;
    }
  /* A project's plan is used as its Scenarios page uses it: what it
   * does not give, the model's assumptions fill. */
  if (project != NULL && future == NULL)
    plan = tc_future_plan_resolve_full (tc_session_get_forecaster (session), ds, tc_session_get_future (session),
                                        common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, NULL);
  r = tc_forecaster_scenario_full (tc_session_get_forecaster (session), ds,
                                   plan ? plan : tc_session_get_future (session),
                                   common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, edits, n_edits, &error);
  if (r == NULL)
    {
      tc_cli_print_error (error);
      tc_cli_origin_hint (ds, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, error);
      ret = g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
      goto out;
    }
  tc_cli_report_origins (ds, r->baseline, FALSE);
  {
    TcLeverColumns cols;
    g_autofree char *alone = NULL;

    tc_lever_columns (tc_session_get_forecaster (session), ds, &cols);
    alone = tc_lever_price_alone_warning (&cols, ds, edits, n_edits);
    if (alone)
      g_printerr ("%s\n", alone);
  }
  sink = tc_cli_output_open (output, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  out = tc_cli_output_stream (sink);
  {
    const TcForecast *b = r->baseline, *sc = r->scenario;
    guint Q = b->n_quantiles, H = b->horizon;

    fputs ("series,date", out);
    for (guint q = 0; q < Q; q++)
      {
        g_autofree char *n = tc_cli_quantile_name (b->quantiles[q]);
        fprintf (out, ",baseline_%s", n);
      }
    for (guint q = 0; q < Q; q++)
      {
        g_autofree char *n = tc_cli_quantile_name (b->quantiles[q]);
        fprintf (out, ",scenario_%s", n);
      }
    fputs (",uplift_units", out);
    if (r->uplift_revenue)
      fputs (",baseline_price,scenario_price,uplift_revenue", out);
    fputc ('\n', out);
    for (guint s = 0; s < b->n_series; s++)
      {
        /* A series without a forecast was named on stderr: no rows
         * of empty cells. */
        if ((series_index >= 0 && (int) s != series_index) || !tc_forecast_series_has_values (b, s))
          continue;
        for (guint h = 0; h < H; h++)
          {
            g_autofree char *d = tc_frequency_format_time (ds->freq, tc_forecast_series_times (b, s)[h]);
            gsize i = (gsize) s * H + h;

            tc_cli_write_field (out, tc_cli_series_label (ds, s));
            fprintf (out, ",%s", d);
            for (guint q = 0; q < Q; q++)
              tc_cli_write_number (out, b->values[i * Q + q]);
            for (guint q = 0; q < Q; q++)
              tc_cli_write_number (out, sc->values[i * Q + q]);
            tc_cli_write_number (out, r->uplift_units[i]);
            if (r->uplift_revenue)
              {
                tc_cli_write_number (out, r->baseline_price[i]);
                tc_cli_write_number (out, r->scenario_price[i]);
                tc_cli_write_number (out, r->uplift_revenue[i]);
              }
            fputc ('\n', out);
          }
      }
  }
  /* Every write error (a full disk) surfaces here, naming the file. */
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
    }

out:
  for (guint e = 0; e < n_edits; e++)
    g_free (edits[e].covariate);
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
