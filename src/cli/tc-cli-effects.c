/* tc-cli-effects.c — trendcast-cli effects: price, competitor and
 * promotion effects estimated from the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-effects"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-effects.h"
#include "tc-error.h"

static const char *
kind_name (TcEffectKind kind)
{
  switch (kind)
    {
    case TC_EFFECT_PRICE:            return "price";
    case TC_EFFECT_COMPETITOR_PRICE: return "competitor_price";
    case TC_EFFECT_PROMOTION:        return "promotion";
    case TC_EFFECT_DISCOUNT:         return "discount";
    case TC_EFFECT_HOLIDAY:          return "holiday";
    case TC_EFFECT_OTHER:
    default:                         return "other";
    }
}

int
tc_cli_effects (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcEffectsResult) res = NULL;
  g_autofree char *output = NULL;
  g_auto (GStrv) competitors = NULL;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcCliOutput *sink = NULL;
  FILE *out, *words_out;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "competitor", 0, 0, G_OPTION_ARG_STRING_ARRAY, &competitors, N_("A known covariate that is a competitor's price (besides columns named “competitor…”); repeat for more"), "COLUMN" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("CSV to write (default: standard output)"), "EFFECTS.csv" },
    { NULL },
  };

  ctx = g_option_context_new (_("DATA.csv [-o EFFECTS.csv] — what price, promotions and competitors do to sales"));
  /* xgettext:no-c-format */
  g_option_context_set_summary (ctx, _("Estimates the effect of every known covariate from the history, within each "
                                       "series (its level and trend removed), with 80 % intervals; says which "
                                       "covariates move together and cannot be separated."));
  /* xgettext:no-c-format */
  g_option_context_set_description (ctx, _("Columns of the CSV:\n"
                                           "  covariate, kind      the column and what it is taken for\n"
                                           "  scale                log: the coefficient is an elasticity; linear: per unit\n"
                                           "  coef, se, p10, p90   the coefficient on log sales, its standard error and 80 % interval\n"
                                           "  status               estimated, or confounded with another column, or constant"));
  tc_import_options_init (&iopts);
  if (!tc_cli_parse_args (ctx, entries, &roles, &argc, &argv))
    {
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (argc != 2)
    {
      g_printerr (_("trendcast-cli effects: give one DATA.csv\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (!tc_cli_role_args_apply (&roles, &iopts, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  ds = tc_import_file (argv[1], &iopts, NULL, NULL, &error);
  if (ds == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  for (guint i = 0; competitors && competitors[i]; i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < ds->n_known; k++)
        found |= strcmp (ds->known_names[k], competitors[i]) == 0;
      if (!found)
        {
          g_printerr (_("trendcast-cli effects: “%s” is no known covariate of the data (give it with --known)\n"),
                      competitors[i]);
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
    }
  res = tc_effects_estimate (ds, (const char * const *) competitors, &error);
  if (res == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
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
  fputs ("covariate,kind,scale,coef,se,p10,p90,status\n", out);
  for (guint k = 0; k < res->n_effects; k++)
    {
      const TcEffect *e = &res->effects[k];

      tc_cli_write_field (out, e->name);
      fprintf (out, ",%s,%s", kind_name (e->kind), e->log_scale ? "log" : "linear");
      tc_cli_write_number (out, e->coef);
      tc_cli_write_number (out, e->se);
      tc_cli_write_number (out, e->lo);
      tc_cli_write_number (out, e->hi);
      fputc (',', out);
      if (e->dropped && e->confounded_with)
        {
          g_autofree char *status = g_strdup_printf ("confounded with %s", e->confounded_with);

          tc_cli_write_field (out, status);
        }
      else
        fputs (e->dropped ? "constant" : "estimated", out);
      fputc ('\n', out);
    }
  if (!tc_cli_output_commit (sink, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }

  words_out = output != NULL && strcmp (output, "-") != 0 ? stdout : stderr;
  fprintf (words_out, _("From %u dates with sales in %u series, with each series' level and trend and the "
                        "calendar taken out:\n"), res->n_rows, res->n_series);
  for (guint k = 0; k < res->n_effects; k++)
    {
      g_autofree char *words = tc_effect_explain (&res->effects[k]);

      fprintf (words_out, "  %s\n", words);
    }
  if (!res->clustered)
    fprintf (words_out, "%s\n", _("With fewer than 5 series the ranges assume that a series' errors are unrelated "
                                  "from one date to the next; they are too narrow when they are not."));
  fprintf (words_out, "%s\n", _("These are associations in the history: a price that was cut when demand was "
                                "high anyway, or never cut, cannot show its true effect."));

out:
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
