/* test-import.c — CSV import: formats, encodings, inference, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-quality.h"

static const char *
fixture (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static TcDataset *
import_ok (const char *name, const TcImportOptions *opts, TcImportReport **report)
{
  g_autoptr (GError) error = NULL;
  TcDataset *ds = tc_import_file (fixture (name), opts, report, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* Asserts the error code and that every fragment is in the message. */
static void
import_fails (const char *name, const TcImportOptions *opts, int code, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = tc_import_file (name[0] == '/' ? name : fixture (name), opts, NULL, NULL, &error);
  va_list ap;
  const char *frag;

  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, code);
  /* Every importer error says its place in fields too, the same as in
   * its message (the import dialog shows them apart). */
  {
    const TcErrorLocation *loc = tc_error_get_location (error);
    g_autoptr (GString) again = g_string_new (NULL);

    g_assert_nonnull (loc);
    g_assert_nonnull (loc->detail);
    if (loc->file)
      {
        g_string_append (again, loc->file);
        if (loc->line > 0)
          g_string_append_printf (again, ":%" G_GUINT64_FORMAT, loc->line);
        g_string_append (again, ": ");
      }
    if (loc->column > 0)
      {
        g_string_append_printf (again, "column %u", loc->column);
        if (loc->column_name)
          g_string_append_printf (again, " “%s”", loc->column_name);
        g_string_append (again, ": ");
      }
    g_string_append (again, loc->detail);
    g_assert_cmpstr (error->message, ==, again->str);
  }
  va_start (ap, code);
  while ((frag = va_arg (ap, const char *)) != NULL)
    {
      if (strstr (error->message, frag) == NULL)
        g_error ("“%s” not in “%s”", frag, error->message);
    }
  va_end (ap);
}

static gint64
ymd (int y, int m, int d)
{
  return tc_days_from_civil (y, m, d) * 86400;
}

static void
assert_row (const double *row, const double *want, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (isnan (want[i]))
        g_assert_true (isnan (row[i]));
      else
        g_assert_cmpfloat (row[i], ==, want[i]);
    }
}

static int
known_index (const TcDataset *ds, const char *name)
{
  for (guint k = 0; k < ds->n_known; k++)
    if (strcmp (ds->known_names[k], name) == 0)
      return k;
  return -1;
}

static gboolean
has_warning (const TcImportReport *r, const char *frag)
{
  for (guint i = 0; i < r->warnings->len; i++)
    if (strstr (r->warnings->pdata[i], frag))
      return TRUE;
  return FALSE;
}

static void
check_long (const TcDataset *ds)
{
  static const double s1[] = { 10, 12, 9, 11 }, s2[] = { 20, 25, 0, 22 };
  static const double p2[] = { 2.40, 2.40, 2.40, 2.60 }, promo1[] = { 0, 1, 0, 0 };
  int kp = known_index (ds, "price"), kr = known_index (ds, "promo");

  g_assert_cmpuint (ds->n_series, ==, 2);
  g_assert_cmpuint (ds->n_times, ==, 4);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_WEEKLY);
  g_assert_cmpint (ds->week_start, ==, 1);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 1, 1));
  g_assert_cmpint (ds->times[3], ==, ymd (2024, 1, 22));
  g_assert_cmpstr (ds->series_ids[0], ==, "S1/A");
  g_assert_cmpstr (ds->series_ids[1], ==, "S2/A");
  g_assert_cmpstr (ds->target_name, ==, "units");
  assert_row (tc_dataset_target_row (ds, 0), s1, 4);
  /* A real zero stays a zero. */
  assert_row (tc_dataset_target_row (ds, 1), s2, 4);
  g_assert_cmpint (kp, >=, 0);
  g_assert_cmpint (kr, >=, 0);
  g_assert_cmpint (ds->known_kinds[kp], ==, TC_COVARIATE_PRICE);
  g_assert_cmpint (ds->known_kinds[kr], ==, TC_COVARIATE_PROMOTION);
  assert_row (tc_dataset_known_row (ds, kp, 1), p2, 4);
  assert_row (tc_dataset_known_row (ds, kr, 0), promo1, 4);
}

static void
test_long (void)
{
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = import_ok ("long.csv", NULL, &r);

  check_long (ds);
  g_assert_cmpint (r->format, ==, TC_FORMAT_LONG);
  g_assert_cmpint (r->delimiter, ==, ',');
  g_assert_cmpstr (r->encoding, ==, "UTF-8");
  g_assert_false (r->has_bom);
  g_assert_cmpint (tc_import_report_find_column (r, "store")->role, ==, TC_ROLE_SERIES_ID);
  g_assert_cmpint (tc_import_report_find_column (r, "sku")->role, ==, TC_ROLE_SERIES_ID);
  g_assert_cmpint (tc_import_report_find_column (r, "date")->type, ==, TC_COLUMN_DATE);
  g_assert_cmpint (tc_import_report_find_column (r, "units")->role, ==, TC_ROLE_TARGET);
  g_assert_cmpuint (r->n_rows, ==, 8);
}

static void
test_line_ends_and_delimiters (void)
{
  const char *files[] = { "long-crlf.csv", "long-cr.csv", "long-bom.csv", "long-tab.tsv", "long-pipe.csv" };
  const char delims[] = { ',', ',', ',', '\t', '|' };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (TcImportReport) r = NULL;
      g_autoptr (TcDataset) ds = import_ok (files[i], NULL, &r);

      check_long (ds);
      g_assert_cmpint (r->delimiter, ==, delims[i]);
      g_assert_cmpint (r->has_bom, ==, i == 2);
      /* The BOM is not part of the first header. */
      g_assert_cmpstr (((TcColumnInfo *) r->columns->pdata[0])->name, ==, "date");
    }
}

static void
test_decimal_comma (void)
{
  static const double units[] = { 1.5, 2.25, NAN, 4 }, price[] = { 1234.5, 1000, 999.99, NAN };
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = import_ok ("semicolon-decimal-comma.csv", NULL, &r);

  g_assert_cmpint (r->delimiter, ==, ';');
  g_assert_cmpint (ds->freq, ==, TC_FREQ_DAILY);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 2, 1));
  assert_row (tc_dataset_target_row (ds, 0), units, 4);
  assert_row (tc_dataset_known_row (ds, known_index (ds, "price"), 0), price, 4);
}

static void
test_quoted_newlines (void)
{
  TcImportOptions o;
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = NULL;

  /* The bad row is on line 7 because the record before spans three lines. */
  import_fails ("quoted-newline.csv", NULL, TC_ERROR_PARSE,
                "quoted-newline.csv:7: column 3 “units”: found “abc”, expected a number", NULL);
  tc_import_options_init (&o);
  o.skip_bad_rows = TRUE;
  ds = import_ok ("quoted-newline.csv", &o, &r);
  g_assert_cmpuint (r->n_skipped, ==, 1);
  g_assert_cmpstr (ds->text_name, ==, "review");
  g_assert_cmpstr (ds->text[0], ==, "good, cheap");
  g_assert_cmpstr (ds->text[1], ==, "first line\nsecond line\nthird, with comma");
  g_assert_cmpstr (ds->text[2], ==, "she said \"wow\"");
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[2], ==, 5);
}

static void
check_chinese (const char *name, const char *encoding, gboolean bom)
{
  static const double units[] = { 12, 15, 9 }, price[] = { 12.5, 12.5, 13 };
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = import_ok (name, NULL, &r);

  g_assert_cmpstr (r->encoding, ==, encoding);
  g_assert_cmpint (r->has_bom, ==, bom);
  g_assert_cmpuint (ds->n_series, ==, 1);
  g_assert_cmpstr (ds->series_ids[0], ==, "北京店");
  g_assert_cmpstr (ds->target_name, ==, "销量");
  g_assert_cmpint (ds->freq, ==, TC_FREQ_DAILY);
  assert_row (tc_dataset_target_row (ds, 0), units, 3);
  g_assert_cmpint (known_index (ds, "价格"), ==, 0);
  g_assert_cmpint (ds->known_kinds[0], ==, TC_COVARIATE_PRICE);
  assert_row (tc_dataset_known_row (ds, 0, 0), price, 3);
}

static void
test_encodings (void)
{
  check_chinese ("utf16le.txt", "UTF-16LE", TRUE);
  check_chinese ("utf16be.txt", "UTF-16BE", TRUE);
  check_chinese ("gb18030.csv", "GB18030", FALSE);
  /* Named, a Western encoding works. */
  {
    TcImportOptions o;
    g_autoptr (TcDataset) ds = NULL;

    tc_import_options_init (&o);
    o.encoding = g_strdup ("WINDOWS-1252");
    ds = import_ok ("latin1.csv", &o, NULL);
    g_assert_cmpstr (ds->series_ids[0], ==, "München");
    tc_import_options_clear (&o);
  }
}

static void
test_dates (void)
{
  TcImportOptions o;
  TcDataset *ds;
  TcImportReport *r = NULL;

  ds = import_ok ("dates-dmy-slash.csv", NULL, NULL);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 1, 11));
  g_assert_cmpint (ds->freq, ==, TC_FREQ_DAILY);
  tc_dataset_free (ds);
  ds = import_ok ("dates-mdy-slash.csv", NULL, NULL);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 1, 11));
  tc_dataset_free (ds);

  /* No day above 12: month first by default, with a warning ... */
  ds = import_ok ("dates-ambiguous.csv", NULL, &r);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_DAILY);
  g_assert_cmpint (ds->times[1], ==, ymd (2024, 1, 2));
  g_assert_true (has_warning (r, "day or month first"));
  tc_dataset_free (ds);
  tc_import_report_free (r);
  /* ... and the option decides otherwise. */
  tc_import_options_init (&o);
  o.date_order = TC_DATE_ORDER_DAY_FIRST;
  ds = import_ok ("dates-ambiguous.csv", &o, NULL);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_MONTHLY);
  g_assert_cmpint (ds->times[2], ==, ymd (2024, 3, 1));
  tc_dataset_free (ds);

  import_fails ("dates-mixed-order.csv", NULL, TC_ERROR_PARSE, "dates-mixed-order.csv:3: column 1 “date”", "(line 2)", NULL);

  ds = import_ok ("dates-dot.csv", NULL, NULL);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_MONTHLY);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 5, 1));
  tc_dataset_free (ds);

  ds = import_ok ("dates-week.csv", NULL, NULL);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_WEEKLY);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 1, 29));
  g_assert_cmpuint (ds->n_times, ==, 4);
  g_assert_true (isnan (tc_dataset_target_row (ds, 0)[2]));
  tc_dataset_free (ds);

  ds = import_ok ("dates-chinese.csv", NULL, &r);
  g_assert_cmpstr (r->date_format, ==, "YYYY年M月D日");
  tc_import_report_free (g_steal_pointer (&r));
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 5, 1));
  g_assert_cmpint (ds->freq, ==, TC_FREQ_DAILY);
  tc_dataset_free (ds);

  ds = import_ok ("dates-month.csv", NULL, NULL);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_MONTHLY);
  g_assert_cmpstr (ds->series_ids[0], ==, "sales");
  g_assert_cmpuint (ds->n_times, ==, 5);
  g_assert_true (isnan (tc_dataset_target_row (ds, 0)[3]));
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[4], ==, 14);
  tc_dataset_free (ds);

  ds = import_ok ("dates-hourly.csv", NULL, NULL);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_HOURLY);
  g_assert_cmpint (ds->times[0], ==, ymd (2024, 5, 1) + 13 * 3600);
  g_assert_cmpuint (ds->n_times, ==, 3);
  tc_dataset_free (ds);

  import_fails ("bad-date.csv", NULL, TC_ERROR_PARSE,
                "bad-date.csv:4: column 1 “date”: found “2024-13-45”, expected a date like YYYY-MM-DD", NULL);
}

static void
test_frequency (void)
{
  struct { const char *file; TcFrequency freq; guint n; gint64 t0; int week_start; } cases[] = {
    { "freq-daily.csv", TC_FREQ_DAILY, 10, 0, 0 },
    { "freq-weekly-sunday.csv", TC_FREQ_WEEKLY, 4, 0, 7 },
    { "freq-monthly-end.csv", TC_FREQ_MONTHLY, 4, 0, 0 },
    { "freq-quarterly.csv", TC_FREQ_QUARTERLY, 5, 0, 0 },
    { "freq-quarterly-q.csv", TC_FREQ_QUARTERLY, 3, 0, 0 },
    { "freq-yearly.csv", TC_FREQ_YEARLY, 4, 0, 0 },
  };
  TcImportOptions o;
  TcDataset *ds;
  TcImportReport *r = NULL;

  cases[0].t0 = ymd (2024, 3, 1);
  cases[1].t0 = ymd (2024, 1, 7);
  cases[2].t0 = ymd (2024, 1, 1);
  cases[3].t0 = ymd (2023, 1, 1);
  cases[4].t0 = ymd (2023, 1, 1);
  cases[5].t0 = ymd (2019, 1, 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ds = import_ok (cases[i].file, NULL, &r);
      g_assert_cmpint (ds->freq, ==, cases[i].freq);
      g_assert_cmpuint (ds->n_times, ==, cases[i].n);
      g_assert_cmpint (ds->times[0], ==, cases[i].t0);
      if (cases[i].week_start)
        g_assert_cmpint (ds->week_start, ==, cases[i].week_start);
      /* Month ends are placed in their month, and said so. */
      g_assert_cmpint (has_warning (r, "not at the start"), ==, i == 2);
      g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[cases[i].n - 1], ==, cases[i].n);
      tc_dataset_free (ds);
      tc_import_report_free (g_steal_pointer (&r));
    }
  import_fails ("freq-irregular.csv", NULL, TC_ERROR_SCHEMA, "typical gap of 10 days", "--freq", NULL);
  tc_import_options_init (&o);
  o.freq = TC_FREQ_DAILY;
  ds = import_ok ("freq-irregular.csv", &o, NULL);
  g_assert_cmpuint (ds->n_times, ==, 21);
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[10], ==, 2);
  g_assert_true (isnan (tc_dataset_target_row (ds, 0)[5]));
  tc_dataset_free (ds);
}

static void
test_booleans_and_missing (void)
{
  static const double promo[] = { 1, 0, 1, 0 }, holiday[] = { 1, 0, 0, 1 };
  static const double units[] = { 1, NAN, NAN, NAN, NAN, NAN, 7 };
  g_autoptr (TcDataset) ds = import_ok ("booleans.csv", NULL, NULL);
  g_autoptr (TcDataset) ms = import_ok ("missing-markers.csv", NULL, NULL);
  int kp = known_index (ds, "promo"), kh = known_index (ds, "holiday");

  g_assert_cmpint (ds->known_kinds[kp], ==, TC_COVARIATE_PROMOTION);
  g_assert_cmpint (ds->known_kinds[kh], ==, TC_COVARIATE_HOLIDAY);
  assert_row (tc_dataset_known_row (ds, kp, 0), promo, 4);
  assert_row (tc_dataset_known_row (ds, kh, 0), holiday, 4);
  /* Empty, NA, N/A, null and - are missing, never zero. */
  assert_row (tc_dataset_target_row (ms, 0), units, 7);
}

static void
test_wide (void)
{
  TcImportOptions o;
  TcImportReport *r = NULL;
  TcDataset *ds;
  static const double w2[] = { 10, 20, NAN, NAN };

  ds = import_ok ("wide-date.csv", NULL, &r);
  g_assert_cmpint (r->format, ==, TC_FORMAT_WIDE);
  g_assert_cmpuint (ds->n_series, ==, 3);
  g_assert_cmpstr (ds->series_ids[2], ==, "east");
  g_assert_cmpfloat (tc_dataset_target_row (ds, 1)[2], ==, 8);
  g_assert_true (isnan (tc_dataset_target_row (ds, 2)[1]));
  tc_dataset_free (ds);
  tc_import_report_free (g_steal_pointer (&r));

  /* WEEK numbers, MOVE1..2 and LPRICE1..2 per series, FULLCUST shared. */
  ds = import_ok ("wide-stub.csv", NULL, NULL);
  g_assert_cmpuint (ds->n_series, ==, 2);
  g_assert_cmpstr (ds->series_ids[1], ==, "2");
  g_assert_cmpstr (ds->target_name, ==, "MOVE");
  g_assert_cmpint (ds->freq, ==, TC_FREQ_WEEKLY);
  g_assert_cmpint (ds->times[0], ==, ymd (2000, 1, 3));
  g_assert_cmpuint (ds->n_times, ==, 4);
  g_assert_cmpfloat (tc_dataset_target_row (ds, 1)[3], ==, 23);
  g_assert_true (isnan (tc_dataset_target_row (ds, 1)[2]));
  g_assert_cmpint (known_index (ds, "LPRICE"), ==, 0);
  g_assert_cmpint (ds->known_kinds[0], ==, TC_COVARIATE_LOG_PRICE);
  g_assert_cmpfloat (tc_dataset_known_row (ds, 0, 1)[1], ==, 2.6);
  g_assert_cmpuint (ds->n_observed, ==, 1);
  g_assert_cmpfloat (tc_dataset_observed_row (ds, 0, 0)[1], ==, 110);
  g_assert_cmpfloat (tc_dataset_observed_row (ds, 0, 1)[1], ==, 110);
  tc_dataset_free (ds);

  /* A row per series without dates, like the M4 files. */
  import_fails ("wide-rows.csv", NULL, TC_ERROR_SCHEMA, "--freq", NULL);
  tc_import_options_init (&o);
  o.freq = TC_FREQ_WEEKLY;
  o.start = g_strdup ("2020-01-06");
  ds = import_ok ("wide-rows.csv", &o, NULL);
  g_assert_cmpuint (ds->n_series, ==, 3);
  g_assert_cmpuint (ds->n_times, ==, 4);
  g_assert_cmpint (ds->times[0], ==, ymd (2020, 1, 6));
  g_assert_cmpstr (ds->series_ids[1], ==, "W2");
  assert_row (tc_dataset_target_row (ds, 1), w2, 4);
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[0], ==, 1.5);
  g_assert_cmpuint (ds->end[0], ==, 4);
  g_assert_cmpuint (ds->end[1], ==, 2);
  g_assert_cmpuint (ds->end[2], ==, 3);
  tc_dataset_free (ds);
  o.format = TC_FORMAT_WIDE;
  import_fails ("bad-wide-short-row.csv", &o, TC_ERROR_PARSE, "bad-wide-short-row.csv:3: found 1 fields, expected 4", NULL);
  tc_import_options_clear (&o);
}

static void
test_missing_policy (void)
{
  TcImportOptions o;
  TcDataset *ds;
  TcImportReport *r = NULL;

  tc_import_options_init (&o);
  ds = import_ok ("missing-dates.csv", &o, NULL);
  g_assert_cmpuint (ds->n_times, ==, 4);
  g_assert_true (isnan (tc_dataset_target_row (ds, 0)[2]));
  tc_dataset_free (ds);
  o.missing = TC_MISSING_ZERO;
  ds = import_ok ("missing-dates.csv", &o, &r);
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[2], ==, 0);
  g_assert_true (has_warning (r, "1 dates without a row were set to zero"));
  tc_import_report_free (g_steal_pointer (&r));
  tc_dataset_free (ds);
  o.missing = TC_MISSING_INTERPOLATE;
  ds = import_ok ("missing-dates.csv", &o, NULL);
  g_assert_cmpfloat (tc_dataset_target_row (ds, 0)[2], ==, 30);
  tc_dataset_free (ds);
  /* An explicit NA is not a missing row: it stays missing even with "zero". */
  o.missing = TC_MISSING_ZERO;
  ds = import_ok ("missing-markers.csv", &o, NULL);
  g_assert_true (isnan (tc_dataset_target_row (ds, 0)[1]));
  tc_dataset_free (ds);
}

static void
test_duplicates (void)
{
  static const double units[] = { 1, 5, 9 }, price[] = { 2.0, 2.0, 2.0 };
  TcImportOptions o;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcImportReport) r = NULL;

  import_fails ("duplicates.csv", NULL, TC_ERROR_DUPLICATE, "found 2 rows",
                "line 4 repeats line 3 (series “A”, date “2024-01-08”)", "line 6 repeats line 5", NULL);
  tc_import_options_init (&o);
  o.duplicates = TC_DUPLICATES_SUM;
  ds = import_ok ("duplicates.csv", &o, &r);
  assert_row (tc_dataset_target_row (ds, 0), units, 3);
  assert_row (tc_dataset_known_row (ds, 0, 0), price, 3);
  g_assert_true (has_warning (r, "summed"));
}

/* Two imports of the same table hold the same data, value for value. */
static void
assert_same_dataset (const TcDataset *a, const TcDataset *b)
{
  gsize cells = (gsize) a->n_series * a->n_times;

  g_assert_cmpuint (a->freq, ==, b->freq);
  g_assert_cmpuint (a->n_series, ==, b->n_series);
  g_assert_cmpuint (a->n_times, ==, b->n_times);
  g_assert_cmpmem (a->times, a->n_times * sizeof (gint64), b->times, b->n_times * sizeof (gint64));
  for (guint s = 0; s < a->n_series; s++)
    g_assert_cmpstr (a->series_ids[s], ==, b->series_ids[s]);
  g_assert_cmpstr (a->target_name, ==, b->target_name);
  g_assert_cmpmem (a->target, cells * sizeof (double), b->target, cells * sizeof (double));
  g_assert_cmpuint (a->n_known, ==, b->n_known);
  for (guint k = 0; k < a->n_known; k++)
    {
      g_assert_cmpstr (a->known_names[k], ==, b->known_names[k]);
      g_assert_cmpuint (a->known_kinds[k], ==, b->known_kinds[k]);
    }
  g_assert_cmpmem (a->known, a->n_known * cells * sizeof (double), b->known, b->n_known * cells * sizeof (double));
  g_assert_cmpuint (a->n_static, ==, b->n_static);
  for (gsize i = 0; i < (gsize) a->n_series * a->n_static; i++)
    g_assert_cmpstr (a->static_values[i], ==, b->static_values[i]);
  g_assert_cmpstr (a->text_name, ==, b->text_name);
  g_assert_true ((a->text == NULL) == (b->text == NULL));
  for (gsize i = 0; a->text && i < cells; i++)
    g_assert_cmpstr (a->text[i], ==, b->text[i]);
}

/* Excel workbooks (written by openpyxl: make-xlsx-fixtures.py) read as
 * the CSV of their first sheet with cells. */
static void
test_xlsx (void)
{
  g_autoptr (TcImportReport) book_report = NULL, twin_report = NULL, offset_report = NULL;
  g_autoptr (TcDataset) book = import_ok ("sales.xlsx", NULL, &book_report);
  g_autoptr (TcDataset) twin = import_ok ("sales-xlsx-twin.csv", NULL, &twin_report);
  g_autoptr (TcDataset) cn = NULL, offset = NULL, rich = NULL;
  g_autoptr (TcImportReport) pv = NULL;
  g_autoptr (GError) error = NULL;

  /* Dates, shared strings (Chinese, a comma and quotes), numbers,
   * an empty trailing cell; the second sheet is not read. */
  assert_same_dataset (book, twin);
  g_assert_cmpstr (book_report->sheet, ==, "Sales");
  g_assert_null (twin_report->sheet);
  g_assert_cmpstr (book->text[3], ==, "Great, will buy again");
  g_assert_cmpstr (book->text[9], ==, "Arrived broken, \"never\" again");
  g_assert_cmpstr (book->text[14 + 3], ==, "质量很好，会回购");

  /* Chinese headers and date format, the 1904 date system. */
  cn = import_ok ("sales-cn-1904.xlsx", NULL, NULL);
  g_assert_cmpstr (cn->target_name, ==, "销量");
  g_assert_cmpuint (cn->n_times, ==, 6);
  g_assert_cmpint (cn->times[0], ==, 1703894400);  /* 2023-12-30 */
  g_assert_cmpfloat (cn->target[5], ==, 10.0);

  /* The table at B3 on the second sheet, behind an empty first one;
   * a cell left empty and an empty row inside. */
  offset = import_ok ("offset-table.xlsx", NULL, &offset_report);
  g_assert_cmpstr (offset_report->sheet, ==, "Data");
  g_assert_cmpuint (offset->n_series, ==, 1);
  g_assert_cmpuint (offset->n_times, ==, 4);
  g_assert_cmpint (offset->times[0], ==, 1714521600);  /* 2024-05-01, from dd/mm/yyyy */
  g_assert_cmpfloat (offset->target[0], ==, 4.0);
  g_assert_true (isnan (offset->target[1]));
  g_assert_cmpfloat (offset->target[3], ==, 6.0);

  /* A hidden sheet is passed over, even when it comes first. */
  {
    g_autoptr (TcImportReport) hr = NULL;
    g_autoptr (TcDataset) hidden = import_ok ("hidden-first-sheet.xlsx", NULL, &hr);

    g_assert_cmpstr (hr->sheet, ==, "Sales");
    g_assert_cmpuint (hidden->n_times, ==, 3);
    g_assert_cmpint (hidden->times[0], ==, 1717200000);  /* 2024-06-01, from m/d/yyyy */
  }

  /* By hand: inline strings, rich text without its phonetic reading,
   * cells without references, a formula's text, an ISO date cell,
   * booleans, #N/A as missing, namespace prefixes, an absolute part. */
  rich = import_ok ("rich.xlsx", NULL, NULL);
  g_assert_cmpstr (rich->series_ids[0], ==, "Tōkyō store");
  g_assert_cmpuint (rich->n_times, ==, 2);
  g_assert_cmpfloat (rich->target[0], ==, 15.0);
  g_assert_true (isnan (rich->target[1]));
  g_assert_cmpuint (rich->n_observed, ==, 1);
  g_assert_cmpfloat (rich->observed[0], ==, 1.0);
  g_assert_cmpfloat (rich->observed[1], ==, 0.0);

  /* What some writers do (make-xlsx-fixtures.py, quirks()): a byte
   * order mark before the XML, a "../" relationship target, a used range
   * wider than the header, _x000D_ and a line break in a cell (one
   * space: the row stays one line), a shared-string cell without a
   * value, "false" and "true". */
  {
    g_autoptr (TcDataset) q = import_ok ("quirks.xlsx", NULL, NULL);

    g_assert_cmpuint (q->n_series, ==, 1);
    g_assert_cmpstr (q->series_ids[0], ==, "Line one line two");
    g_assert_cmpuint (q->n_times, ==, 3);
    g_assert_cmpfloat (q->target[0], ==, 5.0);
    g_assert_true (isnan (q->target[1]));
    g_assert_cmpfloat (q->target[2], ==, 7.0);
    g_assert_cmpuint (q->n_observed, ==, 1);
    g_assert_cmpfloat (q->observed[0], ==, 0.0);
    g_assert_cmpfloat (q->observed[1], ==, 1.0);
  }
  import_fails ("quirks-bad-row.xlsx", NULL, TC_ERROR_PARSE,
                "quirks-bad-row.xlsx:4: column 3 “units”: found “abc”, expected a number", NULL);

  /* The import assistant's preview reads workbooks too. */
  pv = tc_import_preview (fixture ("sales.xlsx"), NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pv->sheet, ==, "Sales");

  /* Errors: a cell's row is the line; a damaged file says so. */
  import_fails ("bad-value.xlsx", NULL, TC_ERROR_PARSE,
                "bad-value.xlsx:5: column 3 “销量”: found “abc”, expected a number", NULL);
  import_fails ("truncated.xlsx", NULL, TC_ERROR_PARSE,
                "truncated.xlsx: found a damaged Excel workbook", "expected a file Excel can open", NULL);
  import_fails ("workbook.xlsx", NULL, TC_ERROR_EMPTY,
                "workbook.xlsx: found no sheet with cells in the workbook", NULL);
}

static void
test_malformed (void)
{
  import_fails ("bad-unterminated-quote.csv", NULL, TC_ERROR_PARSE,
                "bad-unterminated-quote.csv:3: column 4:", "never closed", "ends inside it, on line 5",
                "expected a closing quote", NULL);
  import_fails ("bad-quote-garbage.csv", NULL, TC_ERROR_PARSE,
                "bad-quote-garbage.csv:3: column 2: found “x” after a closing quote", NULL);
  import_fails ("bad-ragged.csv", NULL, TC_ERROR_PARSE, "bad-ragged.csv:3: found 2 fields, expected 3", NULL);
  import_fails ("bad-text-in-target.csv", NULL, TC_ERROR_PARSE,
                "bad-text-in-target.csv:14: column 3 “units”: found “abc”, expected a number", NULL);
  import_fails ("empty.csv", NULL, TC_ERROR_EMPTY, "empty.csv: found an empty file", NULL);
  import_fails ("header-only.csv", NULL, TC_ERROR_EMPTY, "header-only.csv: found only a header", NULL);
  import_fails ("garbage.bin", NULL, TC_ERROR_ENCODING, "garbage.bin:", "binary file", NULL);
  /* Workbooks the importer cannot read: what to do, not just "binary". */
  import_fails ("workbook-97.xls", NULL, TC_ERROR_ENCODING,
                "workbook-97.xls: is an Excel 97-2003 workbook (.xls), which cannot be read",
                "“Excel Workbook (.xlsx)”", NULL);
  import_fails ("sheet.ods", NULL, TC_ERROR_ENCODING,
                "sheet.ods: is a LibreOffice Calc spreadsheet (.ods), which cannot be read", "“Text CSV”", NULL);
  import_fails ("sales-export.zip", NULL, TC_ERROR_ENCODING,
                "sales-export.zip: is a zip archive, not a CSV file: extract the CSV file", NULL);
  import_fails ("bad-encoding.csv", NULL, TC_ERROR_ENCODING, "bad-encoding.csv:2:", "neither UTF-8 nor GB18030", NULL);
  import_fails ("latin1.csv", NULL, TC_ERROR_ENCODING, "latin1.csv:2: found byte 0xfc", "WINDOWS-1252", NULL);
  import_fails ("does-not-exist.csv", NULL, TC_ERROR_IO, "does-not-exist.csv: cannot open", NULL);
}

/* The place of a bad value, in fields. */
static void
test_error_location (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = tc_import_file (fixture ("bad-text-in-target.csv"), NULL, NULL, NULL, &error);
  const TcErrorLocation *loc;

  g_assert_null (ds);
  loc = tc_error_get_location (error);
  g_assert_nonnull (loc);
  g_assert_cmpstr (loc->file, ==, "bad-text-in-target.csv");
  g_assert_cmpuint (loc->line, ==, 14);
  g_assert_cmpuint (loc->column, ==, 3);
  g_assert_cmpstr (loc->column_name, ==, "units");
  g_assert_cmpstr (loc->detail, ==, "found “abc”, expected a number");
}

static void
test_enormous_line (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", &error);
  g_autofree char *path = NULL;
  FILE *f;
  char block[4096];

  g_assert_no_error (error);
  path = g_build_filename (dir, "huge.csv", NULL);
  f = fopen (path, "w");
  g_assert_nonnull (f);
  fputs ("date,sku,units\n2024-01-01,A,", f);
  memset (block, '7', sizeof block);
  for (guint i = 0; i < (20u << 20) / sizeof block; i++)
    fwrite (block, 1, sizeof block, f);
  fputs ("\n", f);
  fclose (f);
  import_fails (path, NULL, TC_ERROR_PARSE, "huge.csv:2: column 3: found a field longer than", NULL);
  g_unlink (path);
  g_rmdir (dir);
}

/* Big enough (> 4 MiB) for the threaded reader; checks values, and that
 * errors from either thread keep their line numbers. */
static void
test_big_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GString) text = g_string_new ("date,sku,units,review\n");
  guint64 lines = 1;

  g_assert_no_error (error);
  path = g_build_filename (dir, "big.csv", NULL);
  /* Day d of 2020 onwards; every 500th review spans two lines. */
  for (guint s = 0; s < 100; s++)
    for (guint d = 0; d < 2000; d++)
      {
        int y, m, dd;

        tc_civil_from_days (tc_days_from_civil (2020, 1, 1) + d, &y, &m, &dd);
        g_string_append_printf (text, "%04d-%02d-%02d,sku%03u,%u.%02u,\"%s\"\n", y, m, dd, s, s * 10000 + d,
                                d % 100, d % 500 ? "ok" : "a\nmulti-line, quoted");
        lines += d % 500 ? 1 : 2;
      }
  g_assert_cmpuint (text->len, >, 4u << 20);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  ds = tc_import_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_series, ==, 100);
  g_assert_cmpuint (ds->n_times, ==, 2000);
  g_assert_cmpstr (ds->series_ids[57], ==, "sku057");
  g_assert_cmpfloat (tc_dataset_target_row (ds, 57)[1234], ==, 571234.34);
  g_assert_cmpstr (ds->text[(gsize) 99 * 2000 + 1500], ==, "a\nmulti-line, quoted");

  /* A bad number on the last line (found by the consumer thread). */
  g_string_append (text, "2030-01-01,sku000,lots,\"x\"\n");
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  {
    g_autofree char *want = g_strdup_printf ("big.csv:%" G_GUINT64_FORMAT ": column 3 “units”: found “lots”", lines + 1);

    import_fails (path, NULL, TC_ERROR_PARSE, want, NULL);
  }
  /* An unclosed quote at the end (found by the parsing thread). */
  g_string_truncate (text, text->len - strlen ("2030-01-01,sku000,lots,\"x\"\n"));
  g_string_append (text, "2030-01-01,sku000,1,\"never closed\n");
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  {
    g_autofree char *want = g_strdup_printf ("big.csv:%" G_GUINT64_FORMAT ": column 4: found a quote that is never closed",
                                             lines + 1);

    import_fails (path, NULL, TC_ERROR_PARSE, want, NULL);
  }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_skip_bad_rows (void)
{
  static const double units[] = { NAN, 1, NAN, NAN, 4, 5, 6 };
  TcImportOptions o;
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = NULL;

  import_fails ("skip-bad.csv", NULL, TC_ERROR_PARSE, "skip-bad.csv:3: found 2 fields", NULL);
  tc_import_options_init (&o);
  o.skip_bad_rows = TRUE;
  ds = import_ok ("skip-bad.csv", &o, &r);
  g_assert_cmpuint (r->n_skipped, ==, 2);
  g_assert_cmpuint (r->skipped->len, ==, 2);
  g_assert_nonnull (strstr (r->skipped->pdata[0], "skip-bad.csv:3:"));
  g_assert_nonnull (strstr (r->skipped->pdata[1], "skip-bad.csv:4: column 3 “units”: found “x”"));
  assert_row (tc_dataset_target_row (ds, 0), units + 1, 6);
  g_assert_cmpuint (ds->n_times, ==, 6);
}

static void
test_overrides (void)
{
  TcImportOptions o;
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = NULL;

  tc_import_options_init (&o);
  o.series_cols = g_strsplit ("store", ",", -1);
  o.known_cols = g_strsplit ("promo", ",", -1);
  o.observed_cols = g_strsplit ("price", ",", -1);
  ds = import_ok ("long.csv", &o, &r);
  g_assert_cmpuint (ds->n_series, ==, 2);
  g_assert_cmpstr (ds->series_ids[0], ==, "S1");
  g_assert_cmpuint (ds->n_static, ==, 1);
  g_assert_cmpstr (ds->static_names[0], ==, "sku");
  g_assert_cmpstr (ds->static_values[1], ==, "A");
  g_assert_cmpuint (ds->n_observed, ==, 1);
  g_assert_cmpstr (ds->observed_names[0], ==, "price");
  g_assert_true (tc_import_report_find_column (r, "store")->role_from_user);
  tc_import_options_clear (&o);

  o.target_col = g_strdup ("nope");
  import_fails ("long.csv", &o, TC_ERROR_SCHEMA, "found no column “nope”", "“units”", NULL);
  tc_import_options_clear (&o);
}

static void
test_cancel (void)
{
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;

  g_cancellable_cancel (cancel);
  ds = tc_import_file (fixture ("long.csv"), NULL, NULL, cancel, &error);
  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, TC_ERROR_CANCELLED);
}

typedef struct
{
  GMainLoop *loop;
  TcDataset *ds;
  TcImportReport *report;
  GError *error;
  double last_progress;
  guint n_progress;
} AsyncState;

static void
on_progress (double fraction, gpointer data)
{
  AsyncState *st = data;

  g_assert_cmpfloat (fraction, >=, st->last_progress);
  st->last_progress = fraction;
  st->n_progress++;
}

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  AsyncState *st = data;

  st->ds = tc_import_file_finish (res, &st->report, &st->error);
  g_main_loop_quit (st->loop);
}

static void
test_async (void)
{
  AsyncState st = { 0 };

  st.loop = g_main_loop_new (NULL, FALSE);
  tc_import_file_async (fixture ("long.csv"), NULL, NULL, on_progress, &st, on_done, &st);
  g_main_loop_run (st.loop);
  g_assert_no_error (st.error);
  check_long (st.ds);
  g_assert_nonnull (st.report);
  /* Progress arrives before the result, in this thread's main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (st.n_progress, >=, 1);
  g_assert_cmpfloat (st.last_progress, ==, 1.0);
  tc_dataset_free (st.ds);
  tc_import_report_free (st.report);
  g_main_loop_unref (st.loop);

  memset (&st, 0, sizeof st);
  st.loop = g_main_loop_new (NULL, FALSE);
  tc_import_file_async (fixture ("bad-ragged.csv"), NULL, NULL, NULL, NULL, on_done, &st);
  g_main_loop_run (st.loop);
  g_assert_error (st.error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_null (st.ds);
  g_clear_error (&st.error);
  g_main_loop_unref (st.loop);
}

static void
cancel_on_progress (double fraction, gpointer data)
{
  AsyncState *st = data;

  st->n_progress++;
  if (fraction > 0.2)
    g_cancellable_cancel (G_CANCELLABLE (st->ds));
}

/* Cancelling while the parsing thread runs stops both threads cleanly. */
static void
test_cancel_midway (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  g_autoptr (GString) text = g_string_new ("date,sku,units\n");
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  AsyncState st = { 0 };

  for (guint s = 0; s < 100; s++)
    for (guint d = 0; d < 3000; d++)
      {
        int y, m, dd;

        tc_civil_from_days (tc_days_from_civil (2020, 1, 1) + d, &y, &m, &dd);
        g_string_append_printf (text, "%04d-%02d-%02d,sku%03u,%u\n", y, m, dd, s, d);
      }
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  st.loop = g_main_loop_new (NULL, FALSE);
  /* The cancellable rides in st.ds until the result replaces it. */
  st.ds = (TcDataset *) cancel;
  tc_import_file_async (path, NULL, cancel, cancel_on_progress, &st, on_done, &st);
  g_main_loop_run (st.loop);
  g_assert_cmpuint (st.n_progress, >=, 1);
  if (st.error == NULL)
    {
      /* Progress is delivered through the main loop: on a very fast
       * machine the import may end before the cancel; then it is whole. */
      g_test_message ("the import finished before the cancellation arrived");
      g_assert_cmpuint (st.ds->n_series, ==, 100);
      tc_dataset_free (st.ds);
      tc_import_report_free (st.report);
    }
  else
    {
      g_assert_null (st.ds);
      g_assert_error (st.error, TC_ERROR, TC_ERROR_CANCELLED);
      g_clear_error (&st.error);
    }
  g_main_loop_unref (st.loop);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_preview (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcImportReport) r = tc_import_preview (fixture ("long.csv"), NULL, 3, &error);
  g_autoptr (TcImportReport) bad = NULL;
  char **first;

  g_assert_no_error (error);
  g_assert_nonnull (r->preview_rows);
  g_assert_cmpuint (r->preview_rows->len, ==, 4);
  first = r->preview_rows->pdata[1];
  g_assert_cmpstr (first[0], ==, "2024-01-01");
  g_assert_cmpstr (first[3], ==, "10");
  g_assert_cmpstr (r->date_format, ==, "YYYY-MM-DD");
  g_assert_cmpint (tc_import_report_find_column (r, "price")->role, ==, TC_ROLE_KNOWN);
  g_assert_cmpuint (r->problems->len, ==, 0);

  bad = tc_import_preview (fixture ("bad-text-in-target.csv"), NULL, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bad->problems->len, ==, 1);
  g_assert_nonnull (strstr (bad->problems->pdata[0], ":14: column 3 “units”: found “abc”"));

  g_assert_null (tc_import_preview (fixture ("empty.csv"), NULL, 50, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_EMPTY);
}

static void
test_json (void)
{
  g_autoptr (TcImportReport) r = NULL;
  g_autoptr (TcDataset) ds = import_ok ("long.csv", NULL, &r);
  g_autoptr (JsonNode) node = tc_import_report_to_json (r);
  JsonObject *o = json_node_get_object (node);
  JsonArray *cols = json_object_get_array_member (o, "columns");
  JsonObject *price = json_array_get_object_element (cols, 4);

  g_assert_cmpstr (json_object_get_string_member (o, "frequency"), ==, "weekly");
  g_assert_cmpint (json_object_get_int_member (o, "series"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "first_date"), ==, "2024-01-01");
  g_assert_cmpuint (json_array_get_length (cols), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (price, "role"), ==, "known");
  g_assert_cmpstr (json_object_get_string_member (price, "kind"), ==, "price");
}

static void
test_numbers (void)
{
  TcNumberFormat dot = { '.', ',' }, comma = { ',', '.' };
  struct { const char *s; const TcNumberFormat *f; gboolean ok; double v; } cases[] = {
    { "12", &dot, TRUE, 12 }, { "-3.5", &dot, TRUE, -3.5 }, { "1,234.50", &dot, TRUE, 1234.5 },
    { "1.234,50", &comma, TRUE, 1234.5 }, { "$1,234", &dot, TRUE, 1234 }, { "¥12.5", &dot, TRUE, 12.5 },
    { "12元", &dot, TRUE, 12 }, { "€ 3,5", &comma, TRUE, 3.5 }, { "£7", &dot, TRUE, 7 },
    { "15%", &dot, TRUE, 0.15 }, { "(12)", &dot, TRUE, -12 }, { "1e3", &dot, TRUE, 1000 },
    { " 42 ", &dot, TRUE, 42 }, { "0.1", &dot, TRUE, 0.1 }, { "123456789012345678901", &dot, TRUE, 123456789012345678901.0 },
    { "abc", &dot, FALSE, 0 }, { "1,23", &dot, FALSE, 0 }, { "12abc", &dot, FALSE, 0 }, { "", &dot, FALSE, 0 },
    { "-", &dot, FALSE, 0 }, { "1.2.3", &dot, FALSE, 0 }, { "nan", &dot, FALSE, 0 }, { "inf", &dot, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v = -999;
      gboolean ok = tc_parse_number (cases[i].s, strlen (cases[i].s), cases[i].f, &v);

      if (ok != cases[i].ok)
        g_error ("“%s”: parsed %d, expected %d", cases[i].s, ok, cases[i].ok);
      if (ok)
        g_assert_cmpfloat (v, ==, cases[i].v);
    }
  g_assert_true (tc_is_missing ("N/A", 3));
  g_assert_true (tc_is_missing (" null ", 6));
  g_assert_true (tc_is_missing ("", 0));
  g_assert_false (tc_is_missing ("0", 1));
}

static void
test_date_parser (void)
{
  struct { const char *s; gboolean ok; gint64 t; } cases[] = {
    { "2024-05-01", TRUE, 0 }, { "2024/05/01", TRUE, 0 }, { "2024.05.01", TRUE, 0 }, { "01.05.2024", TRUE, 0 },
    { "2024年5月1日", TRUE, 0 }, { "2024-02-29", TRUE, 1 }, { "2023-02-29", FALSE, 0 }, { "2024-13-01", FALSE, 0 },
    { "2024-05-01T13:00:00Z", TRUE, 2 }, { "2024-05", TRUE, 3 }, { "2024-W01", TRUE, 4 }, { "2024-Q2", TRUE, 5 },
    { "hello", FALSE, 0 }, { "12", FALSE, 0 }, { "2024-05-01 25:00", FALSE, 0 },
  };
  gint64 want[] = { ymd (2024, 5, 1), ymd (2024, 2, 29), ymd (2024, 5, 1) + 13 * 3600,
                    ymd (2024, 5, 1), ymd (2024, 1, 1), ymd (2024, 4, 1) };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 t = 0;
      gboolean ok = tc_parse_date (cases[i].s, strlen (cases[i].s), TC_DATE_ORDER_AUTO, &t, NULL);

      if (ok != cases[i].ok)
        g_error ("“%s”: parsed %d, expected %d", cases[i].s, ok, cases[i].ok);
      if (ok)
        g_assert_cmpint (t, ==, want[cases[i].t]);
    }
}

static void
test_roles (void)
{
  struct { const char *name; TcColumnRole role; TcCovariateKind kind; } cases[] = {
    { "date", TC_ROLE_DATE, 0 }, { "日期", TC_ROLE_DATE, 0 }, { "Week", TC_ROLE_DATE, 0 },
    { "sku", TC_ROLE_SERIES_ID, 0 }, { "store_id", TC_ROLE_SERIES_ID, 0 }, { "门店", TC_ROLE_SERIES_ID, 0 },
    { "units_sold", TC_ROLE_TARGET, 0 }, { "销量", TC_ROLE_TARGET, 0 }, { "Revenue", TC_ROLE_TARGET, 0 },
    { "unit_price", TC_ROLE_KNOWN, TC_COVARIATE_PRICE }, { "单价", TC_ROLE_KNOWN, TC_COVARIATE_PRICE },
    { "on_promo", TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION }, { "促销", TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
    { "discount", TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT }, { "节假日", TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY },
    { "traffic", TC_ROLE_OBSERVED, 0 }, { "访客", TC_ROLE_OBSERVED, 0 },
    { "category", TC_ROLE_STATIC, 0 }, { "品牌", TC_ROLE_STATIC, 0 }, { "product_category", TC_ROLE_STATIC, 0 },
    { "review", TC_ROLE_TEXT, 0 }, { "评论", TC_ROLE_TEXT, 0 }, { "xyz", TC_ROLE_IGNORE, 0 },
    { "NSALE3", TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION }, { "on_sale", TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
    { "sales", TC_ROLE_TARGET, 0 }, { "LPRICE1", TC_ROLE_KNOWN, TC_COVARIATE_PRICE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcCovariateKind kind;
      TcColumnRole role = tc_suggest_role (cases[i].name, &kind);

      if (role != cases[i].role || kind != cases[i].kind)
        g_error ("“%s”: role %s kind %d, expected %s kind %d", cases[i].name, tc_column_role_to_string (role),
                 kind, tc_column_role_to_string (cases[i].role), cases[i].kind);
    }
}


/* Dominick's layout: week numbers, MOVE (units), NSALE (sale signs: a
 * planned promotion), LPRICE (log prices, partly negative).  The start
 * date of week 1 is the user's to give. */
static void
test_dominicks_wide (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tuna-like.csv", NULL);
  g_autoptr (GString) text = g_string_new ("\"WEEK\",\"MOVE1\",\"MOVE2\",\"NSALE1\",\"NSALE2\",\"LPRICE1\",\"LPRICE2\"\n");
  g_autoptr (TcImportReport) report = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) error = NULL;
  TcImportOptions opts;
  int nsale = -1, lprice = -1;
  gboolean warned = FALSE;
  g_autoptr (GDateTime) start = NULL;

  for (guint w = 1; w <= 30; w++)
    g_string_append_printf (text, "%u,%u,%u,%u,%u,%.4f,%.4f\n", w, 100 + w, 200 + 2 * w, w % 5 == 0, w % 7 == 0,
                            -0.1 + 0.01 * (w % 3), 0.45 - 0.02 * (w % 4));
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  tc_import_options_init (&opts);
  opts.start = g_strdup ("1989-09-14");
  ds = tc_import_file (path, &opts, &report, NULL, &error);
  tc_import_options_clear (&opts);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_series, ==, 2);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_WEEKLY);
  start = g_date_time_new_from_unix_utc (ds->times[0]);
  g_assert_cmpint (g_date_time_get_year (start), ==, 1989);
  g_assert_cmpint (g_date_time_get_month (start), ==, 9);
  g_assert_cmpint (g_date_time_get_day_of_month (start), ==, 14);
  for (guint k = 0; k < ds->n_known; k++)
    {
      if (g_strcmp0 (ds->known_names[k], "NSALE") == 0)
        nsale = k;
      if (g_strcmp0 (ds->known_names[k], "LPRICE") == 0)
        lprice = k;
    }
  g_assert_cmpint (nsale, >=, 0);
  g_assert_cmpint (lprice, >=, 0);
  g_assert_cmpint (ds->known_kinds[nsale], ==, TC_COVARIATE_PROMOTION);
  g_assert_cmpint (ds->known_kinds[lprice], ==, TC_COVARIATE_LOG_PRICE);
  for (guint i = 0; i < report->warnings->len; i++)
    warned |= strstr (report->warnings->pdata[i], "LPRICE") != NULL
              && strstr (report->warnings->pdata[i], "logarithm of a price") != NULL;
  g_assert_true (warned);
  g_unlink (path);
  g_rmdir (dir);
}

/* A price named like a logarithm is one even when every value is positive;
 * an ordinary price stays a price. */
static void
test_log_price_by_name (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "log-price.csv", NULL);
  g_autoptr (GString) text = g_string_new ("date,sku,units,log_price,price\n");
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) error = NULL;

  for (guint d = 1; d <= 20; d++)
    g_string_append_printf (text, "2024-01-%02u,A,%u,%.3f,%.2f\n", d, 10 + d, 1.2 + 0.01 * d, 3.3 + 0.1 * d);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  ds = tc_import_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_known, ==, 2);
  for (guint k = 0; k < ds->n_known; k++)
    g_assert_cmpint (ds->known_kinds[k], ==,
                     g_str_equal (ds->known_names[k], "log_price") ? TC_COVARIATE_LOG_PRICE : TC_COVARIATE_PRICE);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_quality (void)
{
  g_autoptr (TcDataset) ds = import_ok ("quality.csv", NULL, NULL);
  g_autoptr (TcQualityReport) q = tc_quality_report_new (ds);
  const TcSeriesQuality *spiky = &q->series[0], *flat = &q->series[1], *neg = &q->series[2];

  g_assert_cmpstr (spiky->id, ==, "spiky");
  g_assert_cmpuint (spiky->n_outliers, ==, 1);
  g_assert_cmpuint (spiky->length, ==, 33);
  g_assert_cmpuint (spiky->n_observed, ==, 30);
  g_assert_cmpfloat_with_epsilon (spiky->missing_pct, 100.0 * 3 / 33, 1e-9);
  g_assert_false (spiky->constant);
  g_assert_true (flat->constant);
  g_assert_cmpuint (flat->n_outliers, ==, 0);
  g_assert_cmpuint (neg->n_negative, ==, 3);
  g_assert_cmpfloat_with_epsilon (neg->zeros_pct, 100.0 * 6 / 30, 1e-9);
  g_assert_false (spiky->is_short);
  g_assert_cmpuint (q->n_constant, ==, 1);
  g_assert_cmpuint (q->n_with_negatives, ==, 1);
  g_assert_cmpuint (q->n_with_missing, ==, 3);
  g_assert_cmpuint (q->max_length, ==, 33);
}

static void
test_aggregate (void)
{
  g_autoptr (TcDataset) ds = import_ok ("long.csv", NULL, NULL);
  g_autoptr (TcDataset) qs = import_ok ("quality.csv", NULL, NULL);
  g_autoptr (TcDataset) total = NULL, bycat = NULL;
  g_autoptr (GError) error = NULL;
  static const double units[] = { 30, 37, 9, 33 };
  int kp;

  total = tc_dataset_aggregate (ds, "total", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total->n_series, ==, 1);
  g_assert_cmpstr (total->series_ids[0], ==, "total");
  assert_row (tc_dataset_target_row (total, 0), units, 4);
  kp = known_index (total, "price");
  /* Price weighted by units: (10 * 2.5 + 20 * 2.4) / 30. */
  g_assert_cmpfloat_with_epsilon (tc_dataset_known_row (total, kp, 0)[0], (10 * 2.5 + 20 * 2.4) / 30, 1e-12);
  /* Week 3: S2 sold nothing, so S1's price alone. */
  g_assert_cmpfloat_with_epsilon (tc_dataset_known_row (total, kp, 0)[2], 2.75, 1e-12);
  /* Promotion: the share of members on promotion. */
  g_assert_cmpfloat (tc_dataset_known_row (total, known_index (total, "promo"), 0)[1], ==, 1.0);

  bycat = tc_dataset_aggregate (qs, "category", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bycat->n_series, ==, 2);
  g_assert_cmpstr (bycat->series_ids[0], ==, "food");
  g_assert_cmpstr (bycat->static_values[1], ==, "toys");
  g_assert_cmpfloat (tc_dataset_target_row (bycat, 0)[0], ==, 10 + 5);
  g_assert_true (isnan (tc_dataset_target_row (bycat, 0)[29]));

  g_assert_null (tc_dataset_aggregate (qs, "colour", &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
}

/* Seeded mutations of the fixtures: whatever the bytes, the import
 * returns a dataset or a TC_ERROR naming the file, never crashes (the
 * sanitizer build checks memory on every path). */
/* Holiday names become one 0/1 covariate each, in sorted order, and an
 * empty cell means "no holiday", not a missing value. */
static void
test_holiday_names (void)
{
  g_autoptr (TcDataset) ds = import_ok ("holiday-names.csv", NULL, NULL);
  int a, b;

  g_assert_cmpuint (ds->n_known, ==, 2);
  a = known_index (ds, "holiday=shopping_618");
  b = known_index (ds, "holiday=\xe5\x8f\x8c\xe5\x8d\x81\xe4\xb8\x80");  /* 双十一 */
  g_assert_cmpint (a, ==, 0);
  g_assert_cmpint (b, ==, 1);
  g_assert_cmpint (ds->known_kinds[a], ==, TC_COVARIATE_HOLIDAY);
  {
    const double want_a0[] = { 0, 1, 0 }, want_b0[] = { 0, 0, 0 };
    const double want_a1[] = { 0, 1, 0 }, want_b1[] = { 0, 0, 1 };

    assert_row (tc_dataset_known_row (ds, a, 0), want_a0, 3);
    assert_row (tc_dataset_known_row (ds, b, 0), want_b0, 3);
    assert_row (tc_dataset_known_row (ds, a, 1), want_a1, 3);
    assert_row (tc_dataset_known_row (ds, b, 1), want_b1, 3);
  }
  /* The target of b on 06-18 is missing, the holiday is still known. */
  g_assert_true (isnan (tc_dataset_target_row (ds, 1)[1]));
}

/* A column the user leaves out stays out, even a numeric one the
 * importer would otherwise keep as an observed covariate. */
static void
test_ignore_columns (void)
{
  TcImportOptions o;
  g_autoptr (TcDataset) ds = NULL;
  char *ignore[] = { (char *) "promo", NULL };

  tc_import_options_init (&o);
  o.ignore_cols = g_strdupv (ignore);
  ds = import_ok ("long.csv", &o, NULL);
  g_assert_cmpint (known_index (ds, "promo"), ==, -1);
  for (guint k = 0; k < ds->n_observed; k++)
    g_assert_cmpstr (ds->observed_names[k], !=, "promo");
  g_assert_cmpint (known_index (ds, "price"), >=, 0);
  tc_import_options_clear (&o);
}

static void
test_mutations (void)
{
  static const char *sources[] = {
    "long.csv", "quoted-newline.csv", "utf16le.txt", "gb18030.csv", "wide-stub.csv", "wide-rows.csv",
    "semicolon-decimal-comma.csv", "duplicates.csv", "dates-chinese.csv", "booleans.csv",
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fuzz.csv", NULL);
  GRand *rnd = g_rand_new_with_seed (20241128);
  const guint8 specials[] = { '"', ',', ';', '\t', '\n', '\r', '|', 0, 0xff, 0xe5 };
  guint n_ok = 0, n_err = 0;

  g_assert_no_error (error);
  for (guint it = 0; it < 400; it++)
    {
      g_autofree char *data = NULL;
      gsize len = 0;
      GByteArray *b;
      TcImportOptions o;
      TcDataset *ds;
      TcImportReport *preview;
      guint nmut = g_rand_int_range (rnd, 1, 4);

      g_file_get_contents (fixture (sources[g_rand_int_range (rnd, 0, G_N_ELEMENTS (sources))]), &data, &len, &error);
      g_assert_no_error (error);
      b = g_byte_array_new ();
      g_byte_array_append (b, (guint8 *) data, len);
      for (guint m = 0; m < nmut && b->len > 0; m++)
        {
          guint i = g_rand_int_range (rnd, 0, b->len);
          double op = g_rand_double (rnd);

          if (op < 0.4)
            b->data[i] = (guint8) g_rand_int_range (rnd, 0, 256);
          else if (op < 0.7)
            g_array_insert_vals ((GArray *) b, i, &specials[g_rand_int_range (rnd, 0, sizeof specials)], 1);
          else
            g_byte_array_remove_index (b, i);
        }
      g_file_set_contents (path, (const char *) b->data, b->len, &error);
      g_assert_no_error (error);
      g_byte_array_unref (b);

      tc_import_options_init (&o);
      o.skip_bad_rows = it % 3 == 0;
      o.duplicates = it % 4 == 0 ? TC_DUPLICATES_SUM : TC_DUPLICATES_ERROR;
      o.missing = (TcMissingPolicy) (it % 3);
      if (it % 5 == 0)
        {
          o.format = TC_FORMAT_WIDE;
          o.freq = TC_FREQ_WEEKLY;
        }
      ds = tc_import_file (path, &o, NULL, NULL, &error);
      if (ds == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == TC_ERROR);
          if (strstr (error->message, "fuzz.csv") == NULL)
            g_error ("iteration %u: the message does not name the file: %s", it, error->message);
          g_clear_error (&error);
          n_err++;
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint (ds->n_series, >, 0);
          tc_quality_report_free (tc_quality_report_new (ds));
          tc_dataset_free (ds);
          n_ok++;
        }
      preview = tc_import_preview (path, &o, 20, &error);
      g_assert_true ((preview != NULL) != (error != NULL));
      g_clear_error (&error);
      tc_import_report_free (preview);
    }
  /* Both outcomes must be exercised, or the mutations are too weak or too strong. */
  g_test_message ("%u imported, %u refused", n_ok, n_err);
  g_assert_cmpuint (n_ok, >, 40);
  g_assert_cmpuint (n_err, >, 40);
  g_rand_free (rnd);
  g_unlink (path);
  g_rmdir (dir);
}

/* What every CSV writer of Trendcast quotes, and what it leaves alone. */
static void
test_csv_append_field (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "sku001", "sku001" },
    { "", "" },
    { "Snacks, salty", "\"Snacks, salty\"" },
    { "12\" pizza", "\"12\"\" pizza\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { "Café; crème", "Café; crème" },
  };
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_string_truncate (out, 0);
      tc_csv_append_field (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/long", test_long);
  g_test_add_func ("/import/csv-append-field", test_csv_append_field);
  g_test_add_func ("/import/error-location", test_error_location);
  g_test_add_func ("/import/line-ends-and-delimiters", test_line_ends_and_delimiters);
  g_test_add_func ("/import/decimal-comma", test_decimal_comma);
  g_test_add_func ("/import/quoted-newlines", test_quoted_newlines);
  g_test_add_func ("/import/encodings", test_encodings);
  g_test_add_func ("/import/dates", test_dates);
  g_test_add_func ("/import/frequency", test_frequency);
  g_test_add_func ("/import/booleans-and-missing", test_booleans_and_missing);
  g_test_add_func ("/import/wide", test_wide);
  g_test_add_func ("/import/missing-policy", test_missing_policy);
  g_test_add_func ("/import/duplicates", test_duplicates);
  g_test_add_func ("/import/malformed", test_malformed);
  g_test_add_func ("/import/enormous-line", test_enormous_line);
  g_test_add_func ("/import/skip-bad-rows", test_skip_bad_rows);
  g_test_add_func ("/import/big-file", test_big_file);
  g_test_add_func ("/import/cancel-midway", test_cancel_midway);
  g_test_add_func ("/import/overrides", test_overrides);
  g_test_add_func ("/import/cancel", test_cancel);
  g_test_add_func ("/import/async", test_async);
  g_test_add_func ("/import/preview", test_preview);
  g_test_add_func ("/import/json", test_json);
  g_test_add_func ("/import/mutations", test_mutations);
  g_test_add_func ("/import/holiday-names", test_holiday_names);
  g_test_add_func ("/import/ignore-columns", test_ignore_columns);
  g_test_add_func ("/import/xlsx", test_xlsx);
  g_test_add_func ("/infer/numbers", test_numbers);
  g_test_add_func ("/infer/dates", test_date_parser);
  g_test_add_func ("/infer/roles", test_roles);
  g_test_add_func ("/import/dominicks-wide", test_dominicks_wide);
  g_test_add_func ("/import/log-price-by-name", test_log_price_by_name);
  g_test_add_func ("/quality/report", test_quality);
  g_test_add_func ("/quality/aggregate", test_aggregate);
  return g_test_run ();
}
