/* tc-cli-levers.c — trendcast-cli levers: what each lever does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The estimates of tc-lever.h, the figures the app's Evaluation and
 * Scenarios pages show, for scripts: one CSV row per lever on standard
 * output (or -o) and the same in words on standard error.
 */

#define G_LOG_DOMAIN "tc-cli-levers"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-future-plan.h"
#include "tc-lever.h"

static const char *
kind_name (TcLeverKind kind)
{
  switch (kind)
    {
    case TC_LEVER_PROMOTION: return "promotion";
    case TC_LEVER_DISCOUNT:  return "discount";
    case TC_LEVER_PRICE:     return "price";
    case TC_LEVER_FLAG:
    default:                 return "flag";
    }
}

int
tc_cli_levers (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  g_autoptr (TcDataset) plan = NULL;
  g_autoptr (TcLeverSet) set = NULL;
  const TcDataset *ds;
  TcForecaster *fc;
  g_autofree char *model = NULL, *output = NULL, *future = NULL;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcCliOutput *sink = NULL;
  FILE *out;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates of the forecast dates (the baseline plan)"), "FUTURE.csv" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "LEVERS.csv" },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv | PROJECT.trendcast [--future FUTURE.csv] — what each lever does"));
  /* xgettext:no-c-format */
  g_option_context_set_summary (ctx, _("Estimates what a promotion in every period, a 10 % discount, a 10 % lower\n"
                                       "price and every other 0/1 column do to the forecast of all series over the\n"
                                       "whole horizon, with the range across series: the figures the app shows.\n"
                                       "Columns: lever,covariate,change,uplift_pct,uplift_lo,uplift_hi,uplift_units,series."));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model))
    {
      g_printerr (_("trendcast-cli levers: give -m MODEL.tcm and one DATA.csv, or a PROJECT.trendcast\n"));
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
  /* The plan as the app's pages resolve it: the same figures. */
  plan = tc_future_plan_resolve_full (fc, ds, tc_session_get_future (session), TC_ORIGIN_PER_SERIES, NULL);
  set = tc_forecaster_levers (fc, ds, plan, NULL, &error);
  if (set == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (set->n_levers == 0)
    g_printerr (_("The model has no lever: no promotion, discount, price or 0/1 column among its known covariates.\n"));
  sink = tc_cli_output_open (output, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  out = tc_cli_output_stream (sink);
  fputs ("lever,covariate,change,uplift_pct,uplift_lo,uplift_hi,uplift_units,series\n", out);
  for (guint i = 0; i < set->n_levers; i++)
    {
      const TcLever *l = &set->levers[i];
      g_autofree char *words = tc_lever_describe (l);

      fputs (kind_name (l->kind), out);
      fputc (',', out);
      tc_cli_write_field (out, l->covariate);
      tc_cli_write_number (out, l->value);
      tc_cli_write_number (out, l->uplift_pct);
      tc_cli_write_number (out, l->uplift_lo);
      tc_cli_write_number (out, l->uplift_hi);
      tc_cli_write_number (out, l->uplift_units);
      fprintf (out, ",%u\n", l->n_series);
      if (words)
        g_printerr ("%s\n", words);
      if (l->kind == TC_LEVER_PRICE)
        {
          g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
          g_autofree char *alone = NULL;
          TcLeverColumns cols;

          g_array_set_clear_func (edits, tc_scenario_edit_clear);
          tc_lever_columns (fc, ds, &cols);
          tc_lever_append_edits (&cols, TC_LEVER_PRICE, NULL, l->value, G_MININT64, G_MAXINT64, -1, edits);
          alone = tc_lever_price_alone_warning (&cols, ds, (const TcScenarioEdit *) edits->data, edits->len);
          if (alone)
            g_printerr ("  %s\n", alone);
        }
    }
  {
    g_autofree char *mix = tc_lever_set_describe_mix (set, ds->n_series);

    if (mix)
      g_printerr ("%s\n", mix);
  }
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
