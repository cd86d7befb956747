/* tc-cli-hot.c — trendcast-cli hot: products ranked by forecast growth,
 * new products forecast from similar ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-hot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-explore.h"
#include "tc-hot.h"

static void
print_item (FILE *out, const TcHotReport *r, const TcHotItem *it, const TcDataset *ds)
{
  g_autofree char *words = tc_hot_item_explain (r, it, ds);

  fprintf (out, "  %s: %s\n", tc_cli_series_label (ds, it->series), words);
}

static gboolean
write_text (const char *path, const char *text, GError **error)
{
  TcCliOutput *sink = tc_cli_output_open (path, error);

  if (sink == NULL)
    return FALSE;
  fputs (text, tc_cli_output_stream (sink));
  return tc_cli_output_commit (sink, error);
}

int
tc_cli_hot (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (TcHotReport) report = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL, *borrowed = NULL;
  g_autofree char *csv = NULL, *period = NULL;
  gboolean common = FALSE;
  int steps = 0, new_steps = 0, analogues = 0, top = 5;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcHotOptions opts = { 0 };
  FILE *words_out;
  guint i, n_ranked = 0, n_new = 0;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "steps", 'p', 0, G_OPTION_ARG_INT, &steps, N_("Compare the next STEPS with the last STEPS (default: about a month)"), "STEPS" },
    { "new-steps", 0, 0, G_OPTION_ARG_INT, &new_steps, N_("A product younger than this many steps is new and borrows its forecast (default: twice --steps)"), "STEPS" },
    { "analogues", 'k', 0, G_OPTION_ARG_INT, &analogues, N_("Similar products a new one borrows from (default 5)"), "K" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates (promotion, price …) of the forecast dates, same column names as DATA"), "FUTURE.csv" },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV of the ranking to write (default: standard output)"), "HOT.csv" },
    { "borrowed", 0, 0, G_OPTION_ARG_FILENAME, &borrowed, N_("CSV to write the borrowed forecasts of new products to, by date"), "NEW.csv" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_("Describe this many products growing and falling fastest in words (default 5)"), "N" },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv [-o HOT.csv] — hot and new products"));
  g_option_context_set_summary (ctx, _("Ranks products by the growth the forecast expects, with its range, and forecasts "
                                       "new products from similar established ones."));
  g_option_context_set_description (ctx, _("Columns of the CSV:\n"
                                           "  rank, series, source   source: model, or borrowed for a new product\n"
                                           "  age                    steps since the product's first sale\n"
                                           "  recent                 sales of the last STEPS\n"
                                           "  next_p10 …             quantiles of the sales of the next STEPS\n"
                                           "  growth_p10 …           the same as growth on recent sales, in percent\n"
                                           "  chance_of_growth       chance that the next STEPS sell more than the last\n"
                                           "  analogues              the products a new one borrows from, nearest first"));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model))
    {
      g_printerr (_("trendcast-cli hot: give -m MODEL.tcm and one DATA.csv\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (steps < 0 || new_steps < 0 || analogues < 0 || top < 0)
    {
      g_printerr (_("trendcast-cli hot: --steps, --new-steps, --analogues and --top cannot be negative\n"));
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
  f = tc_cli_predict (session, FALSE, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, &error);
  if (f == NULL)
    {
      tc_cli_print_error (error);
      tc_cli_origin_hint (ds, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  opts.steps = steps;
  opts.new_steps = new_steps;
  opts.n_analogues = analogues;
  report = tc_hot_report_new (ds, f, &opts, &error);
  if (report == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }

  csv = tc_hot_report_csv (report, ds);
  if (!write_text (output, csv, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (borrowed)
    {
      g_autofree char *b = tc_hot_borrowed_csv (report, ds, f);

      if (!write_text (borrowed, b, &error))
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
    }

  words_out = output != NULL && strcmp (output, "-") != 0 ? stdout : stderr;
  for (i = 0; i < report->n_items; i++)
    {
      const TcHotItem *it = &report->items[i];

      n_ranked += it->source == TC_HOT_MODEL && isfinite (it->growth);
      n_new += it->source == TC_HOT_BORROWED;
    }
  period = tc_explore_period_phrase (ds->freq, report->steps);
  if (top > 0 && n_ranked > 0)
    {
      /* TRANSLATORS: "Growing fastest over the next 4 weeks:" */
      fprintf (words_out, _("Growing fastest over the next %s:\n"), period);
      for (i = 0; i < n_ranked && i < (guint) top; i++)
        print_item (words_out, report, &report->items[i], ds);
      if (n_ranked > (guint) top)
        {
          fprintf (words_out, _("Falling fastest over the next %s:\n"), period);
          for (i = n_ranked; i-- > MAX (n_ranked - top, (guint) top);)
            print_item (words_out, report, &report->items[i], ds);
        }
    }
  if (n_new > 0)
    {
      fprintf (words_out, g_dngettext (GETTEXT_PACKAGE, "%u new product, its forecast borrowed from similar ones:\n",
                                       "%u new products, their forecasts borrowed from similar ones:\n", n_new), n_new);
      for (i = 0; i < report->n_items; i++)
        if (report->items[i].source == TC_HOT_BORROWED)
          print_item (words_out, report, &report->items[i], ds);
    }
  for (i = 0; i < report->n_items; i++)
    if (report->items[i].source == TC_HOT_NO_ANALOGUE)
      g_printerr (_("trendcast-cli: warning: “%s” is new and no established product has a history long enough "
                    "to borrow from: no row written for it\n"), tc_cli_series_label (ds, report->items[i].series));

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
