/* tc-cli-inspect.c — trendcast-cli inspect: schema, frequency, quality
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-inspect"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-quality.h"

static void
print_text (const TcImportReport *r, const TcDataset *ds, const TcQualityReport *q)
{
  g_autofree char *a = tc_frequency_format_time (ds->freq, ds->times[0]);
  g_autofree char *z = tc_frequency_format_time (ds->freq, ds->times[ds->n_times - 1]);
  guint shown = 0;

  printf ("File:       %s\n", r->path);
  printf ("Encoding:   %s%s, delimiter %s\n", r->encoding, r->has_bom ? " (BOM)" : "",
          r->delimiter == '\t' ? "tab" : (char[]) { '\'', r->delimiter, '\'', 0 });
  printf ("Format:     %s\n", r->format == TC_FORMAT_WIDE ? "wide" : "long");
  printf ("Rows:       %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " skipped)\n", r->n_rows, r->n_skipped);
  printf ("Frequency:  %s\n", tc_frequency_to_string (ds->freq));
  printf ("Series:     %u\n", ds->n_series);
  printf ("Dates:      %s .. %s (%u steps)\n", a, z, ds->n_times);
  if (r->date_format)
    printf ("Date format: %s\n", r->date_format);
  if (r->news_items > 0)
    {
      g_autofree char *nf = tc_frequency_format_time (TC_FREQ_DAILY, r->news_first);
      g_autofree char *nl = tc_frequency_format_time (TC_FREQ_DAILY, r->news_last);

      printf ("News:       %u headlines, %s .. %s; %u joined to the data%s%s\n", r->news_items, nf, nl,
              r->news_joined, r->news_matched_by ? " by " : " (every series)",
              r->news_matched_by ? r->news_matched_by : "");
    }
  printf ("\nColumns:\n  %-4s %-24s %-9s %-10s %s\n", "#", "name", "type", "role", "details");
  for (guint i = 0; i < r->columns->len; i++)
    {
      const TcColumnInfo *ci = r->columns->pdata[i];
      g_autofree char *details = g_strdup_printf ("%s%s%s%s",
                                                  ci->role == TC_ROLE_KNOWN ? tc_covariate_kind_to_string (ci->kind) : "",
                                                  ci->role == TC_ROLE_KNOWN && ci->format ? ", " : "",
                                                  ci->format ? ci->format : "",
                                                  ci->role_from_user ? " (set by option)" : "");

      /* A wide file has thousands of alike columns: show the first and a count. */
      if (i >= 12 && i + 3 < r->columns->len && r->columns->len > 30)
        {
          printf ("  …    %u more columns …\n", r->columns->len - 15);
          i = r->columns->len - 4;
          continue;
        }
      printf ("  %-4u %-24s %-9s %-10s %s\n", ci->index + 1, ci->name, tc_column_type_to_string (ci->type),
              tc_column_role_to_string (ci->role), details);
    }
  printf ("\nQuality:\n");
  printf ("  series length %u .. %u, missing %.2f%%, zeros %.2f%%\n", q->min_length, q->max_length,
          q->missing_pct, q->zeros_pct);
  printf ("  with missing %u, with negatives %u, with outliers %u, constant %u, short %u, empty %u\n",
          q->n_with_missing, q->n_with_negatives, q->n_with_outliers, q->n_constant, q->n_short, q->n_empty);
  printf ("\n  %-20s %7s %-10s %-10s %8s %7s %4s %4s %s\n", "series", "length", "first", "last",
          "missing%", "zeros%", "neg", "out", "flags");
  for (guint s = 0; s < q->n_series; s++)
    {
      const TcSeriesQuality *sq = &q->series[s];
      g_autofree char *f = sq->empty ? g_strdup ("-") : tc_frequency_format_time (ds->freq, sq->first_time);
      g_autofree char *l = sq->empty ? g_strdup ("-") : tc_frequency_format_time (ds->freq, sq->last_time);

      if (shown++ >= 50)
        {
          printf ("  … %u more series (all in --json)\n", q->n_series - 50);
          break;
        }
      printf ("  %-20s %7u %-10s %-10s %8.2f %7.2f %4u %4u %s%s%s\n", sq->id, sq->length, f, l,
              sq->missing_pct, sq->zeros_pct, sq->n_negative, sq->n_outliers,
              sq->constant ? "constant " : "", sq->is_short ? "short " : "", sq->empty ? "empty" : "");
    }
  if (r->warnings->len > 0)
    {
      printf ("\nWarnings:\n");
      for (guint i = 0; i < r->warnings->len; i++)
        printf ("  %s\n", (char *) r->warnings->pdata[i]);
    }
  if (r->n_skipped > 0)
    {
      printf ("\nSkipped %" G_GUINT64_FORMAT " rows; the first:\n", r->n_skipped);
      for (guint i = 0; i < r->skipped->len; i++)
        printf ("  %s\n", (char *) r->skipped->pdata[i]);
    }
}

int
tc_cli_inspect (int argc, char **argv)
{
  g_auto (TcCliRoleArgs) roles = { 0 };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (_("FILE — show the schema, frequency and data quality"));
  g_autoptr (GError) error = NULL;
  g_autoptr (TcImportReport) report = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcQualityReport) q = NULL;
  TcImportOptions opts;
  int rc = TC_CLI_EXIT_OK;

  /* The column flags are what inspect is about: show them in --help. */
  g_option_context_set_main_group (ctx, tc_cli_role_option_group (&roles));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  tc_import_options_init (&opts);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr ("trendcast-cli: inspect needs exactly one FILE\n");
      return TC_CLI_EXIT_USAGE;
    }
  if (!tc_cli_role_args_apply (&roles, &opts, &error))
    {
      tc_cli_print_error (error);
      rc = TC_CLI_EXIT_USAGE;
    }
  if (rc == TC_CLI_EXIT_OK)
    {
      ds = tc_import_file (argv[1], &opts, &report, NULL, &error);
      if (ds == NULL)
        {
          tc_cli_print_error (error);
          rc = g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
        }
    }
  if (ds)
    {
      q = tc_quality_report_new (ds);
      if (json)
        {
          g_autoptr (JsonNode) root = tc_import_report_to_json (report);
          g_autoptr (JsonGenerator) gen = json_generator_new ();
          g_autofree char *text = NULL;
          char *end;

          /* The report as a JSON tree, but the quality of every series
           * streamed into its last member: as JSON nodes, a million
           * series took 6 GB and a minute. */
          json_generator_set_root (gen, root);
          json_generator_set_pretty (gen, TRUE);
          text = json_generator_to_data (gen, NULL);
          end = strrchr (text, '}');
          g_assert (end != NULL);
          while (end > text && g_ascii_isspace (end[-1]))
            end--;
          fwrite (text, 1, end - text, stdout);
          printf (",\n  \"quality\" : ");
          if (!tc_quality_report_write_json (q, ds, 1, stdout) || printf ("\n}\n") < 0 || fflush (stdout) != 0)
            {
              int saved = errno;

              g_printerr ("trendcast-cli: writing the report failed: %s\n", g_strerror (saved));
              rc = TC_CLI_EXIT_DATA;
            }
        }
      else
        print_text (report, ds, q);
    }
  tc_import_options_clear (&opts);
  return rc;
}
