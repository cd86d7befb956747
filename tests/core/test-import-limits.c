/* test-import-limits.c — huge inputs give an error or a result in bounded
 * memory and time, never a hang
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inputs are generated in a temporary directory at a reduced size
 * that still crosses each limit; the full-size measurements are in
 * bench/fuzz.sh's notes (tests/fuzz/README.md).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-quality.h"

static char *tmpdir;

static char *
write_file (const char *name, GString *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_refused (const char *path, const char *const *parts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcImportReport) preview = NULL;

  ds = tc_import_file (path, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_test_message ("%s", error->message);
  for (guint i = 0; parts[i]; i++)
    g_assert_nonnull (strstr (error->message, parts[i]));
  g_clear_error (&error);
  /* The import assistant says the same instead of reading on: as its
   * error when there is no header, else as a problem of the preview. */
  preview = tc_import_preview (path, NULL, 20, &error);
  if (preview == NULL)
    {
      g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, parts[0]));
    }
  else
    {
      gboolean found = FALSE;

      g_assert_no_error (error);
      for (guint i = 0; i < preview->problems->len; i++)
        found |= strstr (g_ptr_array_index (preview->problems, i), parts[0]) != NULL;
      g_assert_true (found);
    }
}

/* One line of commas: 200 MB of them hung inspect, 8 MB took 1 GB. */
static void
test_too_many_fields (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *col = g_strdup_printf ("column %u:", TC_CSV_MAX_FIELDS + 1);
  g_autofree char *limit = g_strdup_printf ("at most %u columns", TC_CSV_MAX_FIELDS);
  const char *parts[] = { "commas.csv:1:", NULL, NULL, NULL };

  for (guint i = 0; i < 3 * TC_CSV_MAX_FIELDS; i++)
    g_string_append_c (s, ',');
  g_string_append_c (s, '\n');
  path = write_file ("commas.csv", s);
  parts[1] = col;
  parts[2] = limit;
  assert_refused (path, parts);
  g_unlink (path);

  /* The same in a data row, after a good header: the line is named. */
  g_string_assign (s, "date,units\n2024-01-01,1\n");
  for (guint i = 0; i < TC_CSV_MAX_FIELDS + 5; i++)
    g_string_append (s, "1,");
  g_string_append_c (s, '\n');
  g_free (path);
  path = write_file ("commas.csv", s);
  parts[0] = "commas.csv:3:";
  assert_refused (path, parts);
  g_unlink (path);
}

/* A record longer than TC_CSV_MAX_RECORD made of fields below the field
 * limit and fewer than the field limit. */
static void
test_record_too_long (void)
{
  g_autoptr (GString) s = g_string_sized_new (TC_CSV_MAX_RECORD + (4u << 20));
  g_autofree char *path = NULL;
  g_autofree char *limit = g_strdup_printf ("at most %u MB per line", TC_CSV_MAX_RECORD >> 20);
  const char *parts[] = { "long.csv:2:", NULL, NULL };
  guint field = TC_CSV_MAX_FIELD / 2;

  g_string_append (s, "date,units\n");
  while (s->len < TC_CSV_MAX_RECORD + (2u << 20))
    {
      gsize old = s->len;

      g_string_set_size (s, old + field);
      memset (s->str + old, 'x', field);
      g_string_append_c (s, ',');
    }
  g_string_append_c (s, '\n');
  path = write_file ("long.csv", s);
  parts[1] = limit;
  assert_refused (path, parts);
  g_unlink (path);
}

/* 10,000 columns (a wide file with a column per series) read, and so
 * do the 100,000 of the limit. */
static void
test_many_columns (void)
{
  const guint sizes[] = { 10000, TC_CSV_MAX_FIELDS };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr (GString) s = g_string_new ("date");
      g_autoptr (GError) error = NULL;
      g_autoptr (TcDataset) ds = NULL;
      g_autoptr (TcImportReport) report = NULL;
      g_autofree char *path = NULL;
      TcImportOptions opts;

      for (guint i = 1; i < sizes[k]; i++)
        g_string_append_printf (s, ",s%u", i);
      for (guint d = 1; d <= 3; d++)
        {
          g_string_append_printf (s, "\n2024-01-0%u", d);
          for (guint i = 1; i < sizes[k]; i++)
            g_string_append_printf (s, ",%u", (i + d) % 7);
        }
      g_string_append_c (s, '\n');
      path = write_file ("wide.csv", s);
      tc_import_options_init (&opts);
      opts.format = TC_FORMAT_WIDE;
      ds = tc_import_file (path, &opts, &report, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds->n_series, ==, sizes[k] - 1);
      g_assert_cmpuint (ds->n_times, ==, 3);
      g_assert_cmpfloat (tc_dataset_target_row (ds, sizes[k] - 2)[2], ==, (sizes[k] - 1 + 3) % 7);
      /* The import assistant's preview (it reserved 3.2 GB for 100,000). */
      {
        g_autoptr (TcImportReport) preview = tc_import_preview (path, &opts, 20, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (preview->columns->len, ==, sizes[k]);
        g_assert_cmpuint (preview->problems->len, ==, 0);
      }
      g_unlink (path);
    }
}

/* Interpolation across a gap of 320,000 days (a year typed 2900) was
 * quadratic; it must also stay exact across a row whose value is NA. */
static void
test_interpolate_long_gap (void)
{
  g_autoptr (GString) s = g_string_new ("date,units\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autofree char *path = NULL;
  TcImportOptions opts;
  const double *y;
  guint n;

  g_string_append (s, "2024-01-01,0\n2024-01-05,NA\n2024-01-11,100\n2900-01-01,200\n");
  path = write_file ("gap.csv", s);
  tc_import_options_init (&opts);
  opts.missing = TC_MISSING_INTERPOLATE;
  opts.freq = TC_FREQ_DAILY;
  ds = tc_import_file (path, &opts, NULL, NULL, &error);
  g_assert_no_error (error);
  y = tc_dataset_target_row (ds, 0);
  n = ds->n_times;
  g_assert_cmpuint (n, >, 300000);
  for (guint t = 0; t <= 10; t++)
    if (t == 4)
      g_assert_true (isnan (y[t]));   /* an explicit NA stays missing */
    else
      g_assert_cmpfloat_with_epsilon (y[t], 10.0 * t, 1e-9);
  g_assert_cmpfloat_with_epsilon (y[10 + (n - 11) / 2], 100 + 100.0 * ((n - 11) / 2) / (n - 11), 1e-6);
  g_assert_cmpfloat (y[n - 1], ==, 200);
  g_unlink (path);
}

/* A few kB of rows with one date typed 9999 asked for a grid of 16 GB:
 * refused, naming both ends of the dates and their lines.  One series
 * with the same stray date still imports (2.9 M daily steps, 23 MB). */
static void
test_stray_date (void)
{
  g_autoptr (GString) s = g_string_new ("date,sku,units\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autofree char *path = NULL;
  TcImportOptions opts;

  for (guint i = 0; i < 700; i++)
    g_string_append_printf (s, "2024-01-%02u,S%u,1\n", i % 28 + 1, i);
  g_string_append (s, "9999-01-01,S0,1\n");
  path = write_file ("stray.csv", s);
  tc_import_options_init (&opts);
  opts.freq = TC_FREQ_DAILY;
  ds = tc_import_file (path, &opts, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2024-01-01 (line 2) to 9999-01-01 (line 702)"));
  g_assert_nonnull (strstr (error->message, "a stray date"));
  g_clear_error (&error);

  /* 20 series: below 2 GB, but one value for 140,000 cells. */
  g_string_assign (s, "date,sku,units\n");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (s, "2024-01-%02u,S%u,1\n", i % 28 + 1, i);
  g_string_append (s, "9999-01-01,S0,1\n");
  g_free (path);
  path = write_file ("stray.csv", s);
  ds = tc_import_file (path, &opts, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "at least one cell in 1000"));
  g_clear_error (&error);

  g_string_assign (s, "date,units\n2024-01-01,1\n2024-01-02,2\n9999-01-01,3\n");
  g_free (path);
  path = write_file ("stray.csv", s);
  ds = tc_import_file (path, &opts, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_times, >, 2900000);
  g_unlink (path);
}

/* Many one-row series: the JSON quality report is streamed (a tree of
 * JSON nodes took 6.4 GB for a million), and says the same as the tree. */
static void
test_quality_json_many_series (void)
{
  g_autoptr (GString) s = g_string_new ("date,sku,units\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcQualityReport) q = NULL;
  g_autoptr (JsonNode) tree = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *json_path = g_build_filename (tmpdir, "quality.json", NULL);
  g_autofree char *text = NULL;
  TcImportOptions opts;
  FILE *f;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (s, "2024-01-%02u,\"S\"\"%u\\\",%u\n", i % 28 + 1, i, i % 17);
  path = write_file ("many.csv", s);
  tc_import_options_init (&opts);
  opts.freq = TC_FREQ_DAILY;
  opts.delimiter = ',';
  ds = tc_import_file (path, &opts, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_series, ==, 20000);
  q = tc_quality_report_new (ds);
  f = g_fopen (json_path, "wb");
  g_assert_nonnull (f);
  g_assert_true (tc_quality_report_write_json (q, ds, 0, f));
  g_assert_cmpint (fclose (f), ==, 0);
  g_assert_true (g_file_get_contents (json_path, &text, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  tree = tc_quality_report_to_json (q, ds);
  g_assert_true (json_node_equal (tree, json_parser_get_root (parser)));
  g_unlink (json_path);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("trendcast-limits-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/import/limits/too-many-fields", test_too_many_fields);
  g_test_add_func ("/import/limits/record-too-long", test_record_too_long);
  g_test_add_func ("/import/limits/many-columns", test_many_columns);
  g_test_add_func ("/import/limits/interpolate-long-gap", test_interpolate_long_gap);
  g_test_add_func ("/import/limits/stray-date", test_stray_date);
  g_test_add_func ("/import/limits/quality-json-many-series", test_quality_json_many_series);
  ret = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
