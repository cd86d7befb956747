/* tc-cli-plan.c — trendcast-cli plan: how much to order, from the forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-plan"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-orders.h"

/* The lines worth reading first: the biggest risk before the order can
 * arrive (only a faster delivery helps), then the biggest order. */
static int
cmp_urgency (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const TcOrderPlan *plan = user_data;
  const TcOrderLine *la = &plan->lines[*(const guint *) a], *lb = &plan->lines[*(const guint *) b];

  if (la->risk_before_arrival != lb->risk_before_arrival)
    return la->risk_before_arrival > lb->risk_before_arrival ? -1 : 1;
  if (la->order != lb->order)
    return la->order > lb->order ? -1 : 1;
  return la->series < lb->series ? -1 : la->series > lb->series;
}

int
tc_cli_plan (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds = NULL;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (TcOrderPlan) plan = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL, *stock_path = NULL, *stock_col = NULL;
  g_autofree TcStock *stock = NULL;
  g_autofree char *csv = NULL, *summary = NULL;
  g_autoptr (GArray) order = NULL;
  gboolean common = FALSE;
  int lead = 1, review = 1, explain = 10;
  double level = 0.95, cost_short = NAN, cost_over = NAN;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcOrderParams params;
  TcCliOutput *sink = NULL;
  FILE *words_out;
  guint i, n_missing = 0;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "stock", 's', 0, G_OPTION_ARG_FILENAME, &stock_path, N_("Stock per series: a CSV with columns sku,stock and optionally on_order"), "STOCK.csv" },
    { "stock-col", 0, 0, G_OPTION_ARG_STRING, &stock_col, N_("Take the stock from this column of DATA (its last value per series) instead"), "COLUMN" },
    { "lead-time", 'l', 0, G_OPTION_ARG_INT, &lead, N_("Steps until an order placed now arrives (default 1)"), "STEPS" },
    { "review", 'r', 0, G_OPTION_ARG_INT, &review, N_("Steps between two orders (default 1)"), "STEPS" },
    { "service-level", 0, 0, G_OPTION_ARG_DOUBLE, &level, N_("Chance of getting through to the next delivery without running out (default 0.95)"), "0.95" },
    { "shortage-cost", 0, 0, G_OPTION_ARG_DOUBLE, &cost_short, N_("Cost of a unit short (lost margin); with --holding-cost sets the service level to the newsvendor's critical ratio"), "COST" },
    { "holding-cost", 0, 0, G_OPTION_ARG_DOUBLE, &cost_over, N_("Cost of a unit left over at the next delivery"), "COST" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates (promotion, price …) of the forecast dates, same column names as DATA"), "FUTURE.csv" },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "PLAN.csv" },
    { "explain", 0, 0, G_OPTION_ARG_INT, &explain, N_("Explain the plan of this many series in words, the most urgent first (default 10; 0 = none, -1 = all)"), "N" },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv --stock STOCK.csv [-o PLAN.csv] — how much to order"));
  g_option_context_set_summary (ctx, _("Orders up to the level that covers the lead time and the review period at the "
                                       "service level, from the forecast's quantiles."));
  g_option_context_set_description (ctx, _("Columns of the CSV, one row per series with a forecast and a stock:\n"
                                           "  stock, on_order, position   stock on hand, already ordered, their sum\n"
                                           "  demand_p10 …                quantiles of the demand over lead time + review period\n"
                                           "  order_up_to                 the stock that covers that demand at the service level\n"
                                           "  order                       units to order now (order_up_to − position, rounded up)\n"
                                           "  risk_before_arrival         chance of running out before this order arrives\n"
                                           "  risk_end                    chance of running out before the next delivery, with this order\n"
                                           "  expected_leftover           units expected in stock when the next delivery arrives\n"
                                           "  expected_short              units of demand expected to go unserved\n"
                                           "  cover_steps                 steps the position lasts at the median forecast (inf: beyond it)\n"
                                           "  risk_1 …                    chance of having run out by the end of each step"));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model))
    {
      g_printerr (_("trendcast-cli plan: give -m MODEL.tcm and one DATA.csv\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if ((stock_path == NULL) == (stock_col == NULL))
    {
      g_printerr (_("trendcast-cli plan: give the stock either as --stock STOCK.csv or as --stock-col COLUMN\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (lead < 0 || review < 1)
    {
      g_printerr (_("trendcast-cli plan: --lead-time must be 0 or more and --review 1 or more\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!isnan (cost_short) || !isnan (cost_over))
    {
      level = tc_orders_critical_ratio (cost_short, cost_over);
      if (isnan (level))
        {
          g_printerr (_("trendcast-cli plan: --shortage-cost and --holding-cost go together, both above 0\n"));
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
    }
  if (!(level > 0 && level < 1))
    {
      g_printerr (_("trendcast-cli plan: --service-level must lie between 0 and 1 (0.95 = 95 %%)\n"));
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

  if (stock_path)
    {
      g_auto (GStrv) unknown = NULL;
      guint matched = 0;

      stock = tc_orders_read_stock (stock_path, ds, &matched, &unknown, &error);
      if (stock == NULL)
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
      if (matched == 0)
        {
          g_printerr (_("trendcast-cli plan: no series of %s is in %s (the first column holds the series ids)\n"),
                      argv[1], stock_path);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
      for (i = 0; unknown[i]; i++)
        if (i < 20)
          g_printerr (_("trendcast-cli: warning: “%s” of the stock file is no series of the data; ignored\n"),
                      unknown[i]);
      if (i > 20)
        g_printerr (_("trendcast-cli: warning: and %u more ids of the stock file are no series of the data\n"), i - 20);
    }
  else
    {
      stock = tc_orders_stock_from_column (ds, stock_col, &error);
      if (stock == NULL)
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
    }

  f = tc_cli_predict (session, FALSE, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, &error);
  if (f == NULL)
    {
      tc_cli_print_error (error);
      tc_cli_origin_hint (ds, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  tc_cli_report_origins (ds, f, FALSE);

  params.lead_time = lead;
  params.review_period = review;
  params.service_level = level;
  plan = tc_order_plan_new (ds, f, stock, &params, &error);
  if (plan == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  for (i = 0; i < plan->n_lines; i++)
    if (plan->lines[i].status == TC_ORDER_NO_STOCK)
      {
        if (n_missing < 20)
          g_printerr (_("trendcast-cli: warning: no stock for series “%s”: no plan, no row written for it\n"),
                      tc_cli_series_label (ds, i));
        n_missing++;
      }
  if (n_missing > 20)
    g_printerr (_("trendcast-cli: warning: and %u more series without stock\n"), n_missing - 20);

  csv = tc_order_plan_csv (plan, ds);
  sink = tc_cli_output_open (output, &error);
  if (sink == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  fputs (csv, tc_cli_output_stream (sink));
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }

  /* The words go to standard output when the CSV went to a file, else
   * beside it on standard error. */
  words_out = output != NULL && strcmp (output, "-") != 0 ? stdout : stderr;
  summary = tc_order_plan_summary (plan);
  fprintf (words_out, "%s\n", summary);
  order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (i = 0; i < plan->n_lines; i++)
    if (plan->lines[i].status == TC_ORDER_OK)
      g_array_append_val (order, i);
  g_array_sort_with_data (order, cmp_urgency, plan);
  for (i = 0; i < order->len && (explain < 0 || i < (guint) explain); i++)
    {
      const TcOrderLine *line = &plan->lines[g_array_index (order, guint, i)];
      g_auto (GStrv) words = tc_order_line_explain (plan, line);

      fprintf (words_out, "\n%s\n", tc_cli_series_label (ds, line->series));
      for (guint w = 0; words[w]; w++)
        fprintf (words_out, "  %s\n", words[w]);
    }
  if (explain >= 0 && order->len > (guint) explain && explain > 0)
    fprintf (words_out, _("\n(%u more series in the CSV; --explain -1 explains them all)\n"),
             order->len - explain);

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
