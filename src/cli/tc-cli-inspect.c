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

/* Terminal columns of @s: CJK characters take two. */
static int
display_width (const char *s)
{
  int w = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return w;
}

/* @s left-aligned in @width terminal columns, as printf's "%-*s" would
 * do if it counted columns: Chinese column names and SKUs stay aligned. */
static void
print_cell (const char *s, int width)
{
  printf ("%s%*s", s, MAX (width - display_width (s), 0), "");
}

/* "Label:     value", the values aligned in the 13th column whatever the
 * language (printf's widths count bytes, not columns). */
static void
print_field (const char *label, const char *value)
{
  printf ("%s%*s%s\n", label, MAX (12 - display_width (label), 1), "", value);
}

/* The frequency in the words the app shows (tc-app-text.c marks "hourly",
 * "daily", "weekly", … for translation: the catalog has them). */
static const char *
frequency_word (TcFrequency freq)
{
  return g_dgettext (GETTEXT_PACKAGE, tc_frequency_to_string (freq));
}

/* The human report.  The tables keep their English words: those are
 * the values of --role and of the JSON report, which scripts read. */
static void
print_text (const TcImportReport *r, const TcDataset *ds, const TcQualityReport *q)
{
  g_autofree char *a = tc_frequency_format_time (ds->freq, ds->times[0]);
  g_autofree char *z = tc_frequency_format_time (ds->freq, ds->times[ds->n_times - 1]);
  g_autofree char *n_rows = g_strdup_printf ("%" G_GUINT64_FORMAT, r->n_rows);
  g_autofree char *n_skipped = g_strdup_printf ("%" G_GUINT64_FORMAT, r->n_skipped);
  g_autofree char *delim = r->delimiter == '\t' ? g_strdup (C_("delimiter", "tab"))
                                                 : g_strdup_printf ("'%c'", r->delimiter);
  g_autofree char *enc = g_strdup_printf ("%s%s", r->encoding, r->has_bom ? " (BOM)" : "");
  g_autofree char *v_enc = NULL, *v_rows = NULL, *v_series = NULL, *v_dates = NULL;
  guint shown = 0;

  /* TRANSLATORS: inspect's "Encoding:" line: the encoding, then the delimiter ("tab" or ';') */
  v_enc = g_strdup_printf (_("%s, delimiter %s"), enc, delim);
  /* TRANSLATORS: inspect's "Rows:" line: the rows read, then the rows skipped */
  v_rows = g_strdup_printf (_("%s (%s skipped)"), n_rows, n_skipped);
  v_series = g_strdup_printf ("%u", ds->n_series);
  /* TRANSLATORS: inspect's "Dates:" line: first date .. last date (count) */
  v_dates = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s .. %s (%u step)", "%s .. %s (%u steps)",
                                          ds->n_times),
                             a, z, ds->n_times);

  print_field (_("File:"), r->path);
  if (r->sheet != NULL)
    {
      /* TRANSLATORS: inspect's "Sheet:" line of an Excel workbook: the sheet's name, quoted */
      g_autofree char *v_sheet = g_strdup_printf (_("“%s” of an Excel workbook"), r->sheet);

      print_field (_("Sheet:"), v_sheet);
    }
  else
    print_field (_("Encoding:"), v_enc);
  /* TRANSLATORS: a file's layout: one row per date and series (long) or one column per series (wide) */
  print_field (_("Format:"), r->format == TC_FORMAT_WIDE ? C_("layout", "wide") : C_("layout", "long"));
  print_field (_("Rows:"), v_rows);
  print_field (_("Frequency:"), frequency_word (ds->freq));
  print_field (_("Series:"), v_series);
  print_field (_("Dates:"), v_dates);
  if (r->date_format)
    print_field (_("Date format:"), r->date_format);
  if (r->news_items > 0)
    {
      g_autofree char *nf = tc_frequency_format_time (TC_FREQ_DAILY, r->news_first);
      g_autofree char *nl = tc_frequency_format_time (TC_FREQ_DAILY, r->news_last);
      g_autofree char *how = NULL, *v = NULL;

      if (r->news_matched_by)
        /* TRANSLATORS: inspect's "News:" line, its end: %s is the data's column the news matched, e.g. "category" */
        how = g_strdup_printf (_("%u joined to the data by %s"), r->news_joined, r->news_matched_by);
      else
        how = g_strdup_printf (_("%u joined to the data (every series)"), r->news_joined);
      /* TRANSLATORS: inspect's "News:" line: headlines, first .. last date; how many joined */
      v = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u headline, %s .. %s; %s",
                                        "%u headlines, %s .. %s; %s", r->news_items),
                           r->news_items, nf, nl, how);
      print_field (_("News:"), v);
    }
  printf ("\n%s\n  %-4s %-24s %-9s %-10s %s\n", _("Columns:"), "#", "name", "type", "role", "details");
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
          guint more = r->columns->len - 15;

          printf ("  …    ");
          printf (g_dngettext (GETTEXT_PACKAGE, "%u more column …", "%u more columns …", more), more);
          printf ("\n");
          i = r->columns->len - 4;
          continue;
        }
      printf ("  %-4u ", ci->index + 1);
      print_cell (ci->name, 24);
      printf (" %-9s %-10s %s\n", tc_column_type_to_string (ci->type), tc_column_role_to_string (ci->role),
              details);
    }
  printf ("\n%s\n  ", _("Quality:"));
  /* TRANSLATORS: inspect's quality summary; %% is a percent sign */
  printf (_("series length %u .. %u, missing %.2f%%, zeros %.2f%%"), q->min_length, q->max_length,
          q->missing_pct, q->zeros_pct);
  printf ("\n  ");
  /* TRANSLATORS: inspect's quality summary: counts of series */
  printf (_("with missing %u, with negatives %u, with outliers %u, constant %u, short %u, empty %u"),
          q->n_with_missing, q->n_with_negatives, q->n_with_outliers, q->n_constant, q->n_short, q->n_empty);
  printf ("\n\n  %-20s %7s %-10s %-10s %8s %7s %4s %4s %s\n", "series", "length", "first", "last",
          "missing%", "zeros%", "neg", "out", "flags");
  for (guint s = 0; s < q->n_series; s++)
    {
      const TcSeriesQuality *sq = &q->series[s];
      g_autofree char *f = sq->empty ? g_strdup ("-") : tc_frequency_format_time (ds->freq, sq->first_time);
      g_autofree char *l = sq->empty ? g_strdup ("-") : tc_frequency_format_time (ds->freq, sq->last_time);

      if (shown++ >= 50)
        {
          guint more = q->n_series - 50;

          printf ("  … ");
          printf (g_dngettext (GETTEXT_PACKAGE, "%u more series (all in --json)",
                               "%u more series (all in --json)", more), more);
          printf ("\n");
          break;
        }
      printf ("  ");
      print_cell (sq->id, 20);
      printf (" %7u %-10s %-10s %8.2f %7.2f %4u %4u %s%s%s\n", sq->length, f, l,
              sq->missing_pct, sq->zeros_pct, sq->n_negative, sq->n_outliers,
              sq->constant ? "constant " : "", sq->is_short ? "short " : "", sq->empty ? "empty" : "");
    }
  if (r->warnings->len > 0)
    {
      printf ("\n%s\n", _("Warnings:"));
      for (guint i = 0; i < r->warnings->len; i++)
        printf ("  %s\n", (char *) r->warnings->pdata[i]);
    }
  if (r->n_skipped > 0)
    {
      printf ("\n");
      printf (g_dngettext (GETTEXT_PACKAGE, "Skipped %s row; the first:", "Skipped %s rows; the first:",
                           r->n_skipped > G_MAXULONG ? G_MAXULONG : (gulong) r->n_skipped),
              n_skipped);
      printf ("\n");
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
