/* tc-cli.c — command dispatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"

/* Commands register here as they are built; the table is the single
 * source for dispatch and for --help. */
static const TcCliCommand commands[] = {
#ifdef TC_CLI_HAVE_INSPECT
  { "inspect",  N_("Show the schema, frequency and data quality of a file"), tc_cli_inspect },
#endif
#ifdef TC_CLI_HAVE_TRAIN
  { "train",    N_("Train a forecasting model on a file"), tc_cli_train },
#endif
#ifdef TC_CLI_HAVE_FORECAST
  { "forecast", N_("Forecast with a trained model"), tc_cli_forecast },
#endif
#ifdef TC_CLI_HAVE_SCENARIO
  { "scenario", N_("Compare a what-if scenario with the baseline forecast"), tc_cli_scenario },
#endif
#ifdef TC_CLI_HAVE_LEVERS
  { "levers",   N_("What a promotion, a discount or a price change does, over all series"), tc_cli_levers },
#endif
#ifdef TC_CLI_HAVE_BACKTEST
  { "backtest", N_("Rolling-origin backtest against baselines"), tc_cli_backtest },
#endif
#ifdef TC_CLI_HAVE_PLOT
  { "plot",     N_("Render a forecast chart to PNG, SVG or PDF"), tc_cli_plot },
#endif
#ifdef TC_CLI_HAVE_PLAN
  { "plan",     N_("Plan orders from the forecast, the stock and the lead time"), tc_cli_plan },
#endif
#ifdef TC_CLI_HAVE_HOT
  { "hot",      N_("Rank products by forecast growth; forecast new ones from similar products"), tc_cli_hot },
#endif
#ifdef TC_CLI_HAVE_EFFECTS
  { "effects",  N_("Estimate what price, promotions and competitors do to sales"), tc_cli_effects },
#endif
#ifdef TC_CLI_HAVE_COMPARE
  { "compare",  N_("Keep named what-if scenarios and compare them side by side"), tc_cli_compare },
#endif
#ifdef TC_CLI_HAVE_BENCH
  { "bench",    N_("Measure training and inference speed of the model core"), tc_cli_bench },
#endif
  { NULL, NULL, NULL },
};

void
tc_cli_print_error (const GError *error)
{
  g_printerr ("trendcast-cli: %s\n", error->message);
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: trendcast-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n\n", _("Forecast demand with a Transformer trained on your own machine."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-10s %s\n", "--help", _("Show this help"));
  fprintf (out, "  %-10s %s\n", "--version", _("Show the version"));
  fprintf (out, "\n%s\n", _("Run “trendcast-cli COMMAND --help” for the options of a command."));
  fprintf (out, "%s\n", _("Exit status: 0 success, 1 usage error, 2 data error."));
}

int
tc_cli_main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return TC_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return TC_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0)
    {
      printf ("trendcast-cli %s\n", PACKAGE_VERSION);
      return TC_CLI_EXIT_OK;
    }
  for (guint i = 0; commands[i].name; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        int ret = commands[i].func (argc - 1, argv + 1);

        /* A report that never reached standard output (a full disk,
         * > /dev/full) is a failed command, not a success. */
        if ((fflush (stdout) != 0 || ferror (stdout)) && ret == TC_CLI_EXIT_OK)
          {
            g_printerr (_("trendcast-cli: Cannot write standard output: %s\n"), g_strerror (errno ? errno : EIO));
            ret = TC_CLI_EXIT_DATA;
          }
        return ret;
      }

  g_printerr (_("trendcast-cli: unknown command “%s”\n"), argv[1]);
  g_printerr (_("Run “trendcast-cli --help” to see the commands.\n"));
  return TC_CLI_EXIT_USAGE;
}
