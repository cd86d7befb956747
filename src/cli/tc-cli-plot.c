/* tc-cli-plot.c — trendcast-cli plot: the forecast explorer's chart to a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads the model and the data the way "forecast" does, sums the
 * forecast up to the chosen level (tc-explore.h) and renders it with the
 * same code as the app's chart (tc-explore-chart.h).
 */

#define G_LOG_DOMAIN "tc-cli-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-explore.h"
#include "tc-explore-chart.h"

static gboolean
parse_interval (const char *s, TcExploreInterval *out, GError **error)
{
  if (s == NULL || strcmp (s, "independent") == 0)
    *out = TC_EXPLORE_INDEPENDENT;
  else if (strcmp (s, "together") == 0)
    *out = TC_EXPLORE_COMONOTONIC;
  else
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("--interval: found “%s”, expected “independent” or “together”"), s);
      return FALSE;
    }
  return TRUE;
}

int
tc_cli_plot (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  const TcDataset *ds;
  g_autoptr (TcForecast) f = NULL;
  g_autoptr (TcExploreLevel) level = NULL;
  g_autoptr (TcChart) chart = NULL;
  g_autofree char *model = NULL, *output = NULL, *future = NULL, *series = NULL, *lvl = NULL;
  g_autofree char *title = NULL, *interval_s = NULL, *summary_text = NULL;
  gboolean total = FALSE, dark = FALSE, holdout = FALSE, common = FALSE;
  int width = 1200, height = 600, group, n_choices;
  TcExploreInterval interval;
  TcExploreLevelKind kind;
  TcExploreSummary summary;
  const char *group_name;
  int attribute = -1;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Model file from “train”"), "MODEL" },
    { "future", 0, 0, G_OPTION_ARG_FILENAME, &future, N_("Known covariates (promotion, price …) of the forecast dates, same column names as DATA"), "FUTURE.csv" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Image to write; the format follows the extension (.png, .svg, .pdf)"), "CHART.png" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, N_("Plot one series"), "ID" },
    { "level", 0, 0, G_OPTION_ARG_STRING, &lvl, N_("Plot the sum of the series with this static value"), "COLUMN=VALUE" },
    { "total", 0, 0, G_OPTION_ARG_NONE, &total, N_("Plot the sum of all series (the default)"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval_s, N_("How sums combine intervals: independent (default) or together (errors move together: wider)"), "RULE" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Chart title (default: the series or group and the summary sentence)"), "TEXT" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Width in pixels (points for SVG and PDF), default 1200"), "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("Height, default 600"), "H" },
    { "holdout", 0, 0, G_OPTION_ARG_NONE, &holdout, N_("Forecast the last H observed steps from the data before them and draw what happened"), NULL },
    { "common-origin", 0, 0, G_OPTION_ARG_NONE, &common, N_("Forecast every series for the same dates, after the last date of the data (default: each series after its own last value)"), NULL },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Dark colours"), NULL },
    { NULL },
  };

  ctx = g_option_context_new (_("-m MODEL.tcm DATA.csv | PROJECT.trendcast -o CHART.png|svg|pdf — render a forecast chart"));
  g_option_context_set_summary (ctx, _("Draws history, median forecast, the P10–P90 band and promotion and holiday "
                                       "markers of one series, one group (--level category=Snacks) or the total."));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_names_model_and_data (argc, argv, model) || output == NULL)
    {
      g_printerr (_("trendcast-cli plot: give -m MODEL.tcm and one DATA.csv, or a PROJECT.trendcast, and -o CHART.png|svg|pdf\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  n_choices = (series != NULL) + (lvl != NULL) + (total != FALSE);
  if (n_choices > 1)
    {
      g_printerr (_("trendcast-cli plot: give only one of --series, --level and --total\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (tc_chart_format_from_path (output) == TC_CHART_FORMAT_AUTO)
    {
      g_printerr (_("trendcast-cli plot: %s: expected a file name ending in .png, .svg or .pdf\n"), output);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (lvl != NULL && (strchr (lvl, '=') == NULL || lvl[0] == '='))
    {
      g_printerr (_("trendcast-cli plot: --level: found “%s”, expected COLUMN=VALUE such as category=Snacks\n"), lvl);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!parse_interval (interval_s, &interval, &error) || !tc_cli_role_args_apply (&roles, &iopts, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }

  ret = tc_cli_open_session (model, argv[1], future, &iopts, &session);
  if (ret != TC_CLI_EXIT_OK)
    goto out;
  ds = tc_session_get_dataset (session);
  f = tc_cli_predict (session, holdout, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, &error);
  if (f == NULL)
    {
      tc_cli_print_error (error);
      tc_cli_origin_hint (ds, common ? TC_ORIGIN_COMMON : TC_ORIGIN_PER_SERIES, error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  tc_cli_report_origins (ds, f, holdout);

  if (series != NULL)
    {
      kind = TC_EXPLORE_LEVEL_SERIES;
      group_name = series;
    }
  else if (lvl != NULL)
    {
      char *eq = strchr (lvl, '=');

      *eq = '\0';
      group_name = eq + 1;
      kind = TC_EXPLORE_LEVEL_ATTRIBUTE;
      for (guint k = 0; k < ds->n_static; k++)
        if (strcmp (ds->static_names[k], lvl) == 0)
          attribute = (int) k;
      if (attribute < 0)
        {
          g_autofree char *names = g_strjoinv (", ", ds->static_names);

          g_printerr (_("trendcast-cli plot: --level: the data has no static column “%s”; its static columns: %s\n"),
                      lvl, *names ? names : _("none"));
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
    }
  else
    {
      kind = TC_EXPLORE_LEVEL_TOTAL;
      group_name = NULL;
    }

  level = tc_explore_level_new (ds, tc_session_get_future (session), f, kind, attribute, interval, &error);
  if (level == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  group = group_name ? tc_explore_level_find (level, group_name) : 0;
  if (group < 0)
    {
      GString *known = g_string_new (NULL);

      for (guint g = 0; g < level->n_groups && g < 12; g++)
        g_string_append_printf (known, "%s%s", g ? ", " : "", level->groups[g].name);
      if (level->n_groups > 12)
        g_string_append (known, ", …");
      g_printerr (_("trendcast-cli plot: no %s “%s” in the data; there are: %s\n"),
                  series ? _("series") : lvl, group_name, known->str);
      g_string_free (known, TRUE);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }

  tc_explore_group_summary (level, (guint) group, tc_explore_default_steps (level), &summary);
  summary_text = tc_explore_summary_text (level, &summary);
  /* The name and the summary sentence: the image says what it shows. */
  if (title == NULL)
    title = g_strdup_printf (_("%s — %s"), level->groups[group].name, summary_text);

  chart = tc_chart_new ();
  if (dark)
    tc_chart_set_style (chart, tc_chart_style_dark ());
  tc_chart_set_size (chart, width, height);
  tc_explore_chart_fill (chart, level, (guint) group, title, tc_explore_chart_default_view (level));
  if (!tc_chart_export (chart, output, TC_CHART_FORMAT_AUTO, width, height, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  g_print ("%s: %s\n", level->groups[group].name, summary_text);

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
