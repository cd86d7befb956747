/* test-news.c — a dated news file: reading, the join by period and category, bad files, no leakage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-news.h"
#include "tc-project.h"
#include "tc-session.h"
#include "text-fixture-options.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "news", name, NULL);
}

static gint64
day (int y, int m, int d)
{
  return tc_days_from_civil (y, m, d) * 86400;
}

static void
test_read (void)
{
  g_autofree char *path = fixture ("news-mixed.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcNews) news = tc_news_read (path, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);

  g_assert_no_error (error);
  g_assert_nonnull (news);
  g_assert_cmpstr (news->date_col, ==, "date");
  g_assert_cmpstr (news->text_col, ==, "headline");
  g_assert_cmpstr (news->category_col, ==, "category");
  g_assert_cmpuint (news->n_items, ==, 9);
  g_assert_cmpint (news->first_time, ==, day (2023, 12, 20));
  g_assert_cmpint (news->last_time, ==, day (2024, 3, 15));
  g_assert_cmpstr (news->texts[1], ==, "食品安全抽检：多款零食不合格");
  g_assert_cmpstr (news->categories[1], ==, "Snacks");
  /* An empty category cell is an item for every series. */
  g_assert_null (news->categories[3]);
  g_assert_cmpstr (news->texts[0], ==, "Heatwave forecast for next week, cold drinks expected to sell out");
}

/* Ten weeks from Monday 2024-01-01, three SKUs in two categories. */
static TcDataset *
weekly_dataset (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, 3, 10, 0, 0, 1, FALSE);
  static const char *cats[] = { "Snacks", "Snacks", "Drinks" };

  ds->target_name = g_strdup ("units");
  ds->static_names[0] = g_strdup ("category");
  for (guint t = 0; t < 10; t++)
    ds->times[t] = day (2024, 1, 1) + (gint64) t * 7 * 86400;
  for (guint s = 0; s < 3; s++)
    {
      ds->series_ids[s] = g_strdup_printf ("SKU-%u", s);
      ds->static_values[s] = g_strdup (cats[s]);
      for (guint t = 0; t < 10; t++)
        tc_dataset_target_row (ds, s)[t] = 10 + s + t;
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

static const char *
cell (const TcDataset *ds, guint s, guint t)
{
  return ds->news[(gsize) s * ds->n_times + t];
}

static void
test_join_weekly (void)
{
  g_autofree char *path = fixture ("news-mixed.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcNews) news = tc_news_read (path, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);
  g_autoptr (TcDataset) ds = weekly_dataset ();
  TcNewsJoin join = { 0 };

  g_assert_no_error (error);
  g_assert_true (tc_news_join (news, ds, &join, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (join.matched_by, ==, "category");
  /* 2023-12-20 is before the data, 2024-03-15 after its last week
   * (2024-03-04 .. 03-10); the toy recall has no series. */
  g_assert_cmpuint (join.n_before, ==, 1);
  g_assert_cmpuint (join.n_after, ==, 1);
  g_assert_cmpuint (join.n_unmatched, ==, 1);
  g_assert_cmpuint (join.n_joined, ==, 6);
  g_assert_cmpstr (ds->news_name, ==, "news-mixed.csv");

  /* Week 0 (Jan 1-7): the heatwave (Wed 3rd, Drinks) and the snack
   * inspection (Fri 5th, Snacks), each only in its category. */
  g_assert_cmpstr (cell (ds, 0, 0), ==, "食品安全抽检：多款零食不合格");
  g_assert_cmpstr (cell (ds, 1, 0), ==, "食品安全抽检：多款零食不合格");
  g_assert_cmpstr (cell (ds, 2, 0), ==, "Heatwave forecast for next week, cold drinks expected to sell out");
  /* Week 1: a Portuguese snack headline ("snacks", case-insensitive)
   * and the strike with no category, which reaches every series. */
  g_assert_cmpstr (cell (ds, 0, 1), ==,
                   "Nova taxa de importação encarece salgadinhos\nPort strike delays shipments across the region");
  g_assert_cmpstr (cell (ds, 2, 1), ==, "Port strike delays shipments across the region");
  g_assert_cmpstr (cell (ds, 1, 2), ==, "电商平台年货节开幕，全场满减");
  g_assert_cmpstr (cell (ds, 2, 2), ==, "电商平台年货节开幕，全场满减");
  g_assert_null (cell (ds, 0, 3));
  g_assert_cmpstr (cell (ds, 2, 3), ==, "Refrigerante zero açúcar ganha espaço nas prateleiras");
  /* The toy recall (week 4) reached nobody. */
  for (guint s = 0; s < 3; s++)
    g_assert_null (cell (ds, s, 4));
  tc_news_join_clear (&join);

  /* Joining again replaces the news rather than adding to it. */
  g_assert_true (tc_news_join (news, ds, NULL, &error));
  g_assert_cmpstr (cell (ds, 2, 1), ==, "Port strike delays shipments across the region");
}

/* Category-level data: the series ids are the categories. */
static void
test_join_by_series_id (void)
{
  g_autofree char *path = fixture ("news-mixed.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcNews) news = tc_news_read (path, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_DAILY, 2, 40, 0, 0, 0, FALSE);
  TcNewsJoin join = { 0 };

  g_assert_no_error (error);
  ds->series_ids[0] = g_strdup ("drinks");
  ds->series_ids[1] = g_strdup ("snacks");
  for (guint t = 0; t < 40; t++)
    ds->times[t] = day (2024, 1, 1) + (gint64) t * 86400;
  tc_dataset_update_bounds (ds);
  g_assert_true (tc_news_join (news, ds, &join, &error));
  g_assert_cmpstr (join.matched_by, ==, "series");
  /* Daily data: each headline on its own day. */
  g_assert_cmpstr (cell (ds, 0, 2), ==, "Heatwave forecast for next week, cold drinks expected to sell out");
  g_assert_null (cell (ds, 1, 2));
  g_assert_cmpstr (cell (ds, 1, 4), ==, "食品安全抽检：多款零食不合格");
  g_assert_cmpstr (cell (ds, 0, 16), ==, "电商平台年货节开幕，全场满减");
  tc_news_join_clear (&join);
}

/* A category column that names nothing in the data: every series. */
static void
test_join_no_match (void)
{
  g_autofree char *path = fixture ("news-mixed.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcNews) news = tc_news_read (path, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);
  g_autoptr (TcDataset) ds = weekly_dataset ();
  TcNewsJoin join = { 0 };

  for (guint s = 0; s < 3; s++)
    {
      g_free (ds->static_values[s]);
      ds->static_values[s] = g_strdup ("Garden");
      g_free (ds->series_ids[s]);
      ds->series_ids[s] = g_strdup_printf ("X%u", s);
    }
  g_assert_true (tc_news_join (news, ds, &join, &error));
  g_assert_null (join.matched_by);
  g_assert_cmpuint (join.n_joined, ==, 7);
  g_assert_cmpuint (join.n_unmatched, ==, 0);
  g_assert_cmpstr (cell (ds, 0, 4), ==, "Toy recall announced by regulator");
  g_assert_cmpstr (cell (ds, 2, 4), ==, "Toy recall announced by regulator");
  tc_news_join_clear (&join);
}

static void
expect_error (const char *path, const char *date_col, const char *text_col, int code, guint64 line,
              guint column, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcNews) news = tc_news_read (path, date_col, text_col, NULL, TC_DATE_ORDER_AUTO, &error);
  const TcErrorLocation *loc;

  g_assert_null (news);
  g_assert_error (error, TC_ERROR, code);
  loc = tc_error_get_location (error);
  g_assert_nonnull (loc);
  g_assert_nonnull (loc->file);
  g_assert_true (g_str_has_suffix (path, loc->file));
  g_assert_cmpuint (loc->line, ==, line);
  g_assert_cmpuint (loc->column, ==, column);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
}

static void
test_bad_files (void)
{
  g_autofree char *no_cols = fixture ("news-no-columns.csv");
  g_autofree char *mixed = fixture ("news-mixed.csv");
  g_autofree char *bad_date = fixture ("news-bad-date.csv");
  g_autofree char *empty = fixture ("news-empty.csv");
  g_autofree char *header = fixture ("news-header-only.csv");
  g_autofree char *tmpdir = g_dir_make_tmp ("tc-news-XXXXXX", NULL);
  g_autofree char *bad_utf8 = g_build_filename (tmpdir, "bad-utf8.csv", NULL);
  g_autoptr (GError) error = NULL;
  static const char bytes[] = "date,headline\n2024-01-03,质量很好\n2024-01-04,caf\xe9 prices rise\n";

  /* Nothing named like a date or a headline: the columns are listed. */
  expect_error (no_cols, NULL, NULL, TC_ERROR_SCHEMA, 1, 0, "“when”, “story”");
  expect_error (no_cols, NULL, "story", TC_ERROR_SCHEMA, 1, 0, "expected one named “date”");
  /* A named column that is not there. */
  expect_error (mixed, "published", NULL, TC_ERROR_SCHEMA, 1, 0, "no column “published”");
  expect_error (bad_date, NULL, NULL, TC_ERROR_PARSE, 3, 1, "found “2024-01-4x”, expected a date");
  expect_error (empty, NULL, NULL, TC_ERROR_EMPTY, 0, 0, "empty file");
  expect_error (header, NULL, NULL, TC_ERROR_EMPTY, 0, 0, "no news items");

  g_assert_true (g_file_set_contents (bad_utf8, bytes, sizeof bytes - 1, &error));
  g_assert_no_error (error);
  {
    g_autoptr (TcNews) news = tc_news_read (bad_utf8, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);
    const TcErrorLocation *loc = tc_error_get_location (error);

    g_assert_null (news);
    g_assert_error (error, TC_ERROR, TC_ERROR_ENCODING);
    g_assert_nonnull (loc);
    g_assert_cmpuint (loc->line, ==, 3);
  }
  g_unlink (bad_utf8);
  g_rmdir (tmpdir);
}

/* ---- news as model input ---- */

#define N_SERIES 4
#define N_TIMES  200
#define CUT      14   /* the last CUT days have news but no sales yet */

static const char *storm[] = { "Storm warning closes roads", "暴雨预警，物流停运", "Tempestade fecha estradas" };
static const char *calm[] = { "Markets calm ahead of holiday", "市场平稳", "Mercado tranquilo" };

/* Daily sales that halve for five days after a storm headline; the
 * news is joined from a news file through the real reader. */
static TcDataset *
news_dataset (const char *dir, gboolean with_news, gboolean storms_after_origin)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_DAILY, N_SERIES, N_TIMES, 0, 0, 0, FALSE);
  g_autoptr (GString) csv = g_string_new ("date,headline\n");
  g_autofree char *path = g_build_filename (dir, storms_after_origin ? "storms.csv" : "news.csv", NULL);
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);
  g_autoptr (GError) error = NULL;
  guint penalty = 0;

  ds->target_name = g_strdup ("units");
  for (guint t = 0; t < N_TIMES; t++)
    ds->times[t] = day (2023, 1, 1) + (gint64) t * 86400;
  for (guint t = 0; t < N_TIMES; t++)
    {
      g_autofree char *date = tc_frequency_format_time (TC_FREQ_DAILY, ds->times[t]);
      gboolean is_storm = t % 23 == 5 || (storms_after_origin && t >= N_TIMES - CUT);

      if (penalty)
        penalty--;
      if (is_storm)
        {
          g_string_append_printf (csv, "%s,%s\n", date, storm[t % 3]);
          penalty = 5;
        }
      else if (t % 4 == 0)
        g_string_append_printf (csv, "%s,%s\n", date, calm[t % 3]);
      for (guint s = 0; s < N_SERIES; s++)
        tc_dataset_target_row (ds, s)[t] =
          t < N_TIMES - CUT ? round ((20 + 8 * s) * (penalty ? 0.5 : 1.0) * (1 + 0.1 * g_rand_double (rng))) : NAN;
    }
  for (guint s = 0; s < N_SERIES; s++)
    ds->series_ids[s] = g_strdup_printf ("S%u", s);
  tc_dataset_update_bounds (ds);
  if (with_news)
    {
      g_autoptr (TcNews) news = NULL;

      g_assert_true (g_file_set_contents (path, csv->str, -1, &error));
      news = tc_news_read (path, NULL, NULL, NULL, TC_DATE_ORDER_AUTO, &error);
      g_assert_no_error (error);
      g_assert_true (tc_news_join (news, ds, NULL, &error));
      g_assert_no_error (error);
      g_unlink (path);
    }
  return ds;
}

static TcForecaster *
train (const TcDataset *ds, guint text_dim)
{
  return train_for (ds, text_dim, 3);
}

static gboolean
same_forecast (const TcForecast *a, const TcForecast *b)
{
  g_assert_cmpuint (a->n_series, ==, b->n_series);
  return memcmp (a->values, b->values, (gsize) a->n_series * a->horizon * a->n_quantiles * sizeof (double)) == 0;
}

static void
test_no_leak (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-XXXXXX", NULL);
  g_autoptr (TcDataset) ds = news_dataset (dir, TRUE, FALSE);
  g_autoptr (TcDataset) stormy = news_dataset (dir, TRUE, TRUE);
  g_autoptr (TcForecaster) fc = train (ds, 4);
  g_autoptr (TcForecast) base = forecast (fc, ds);
  g_autoptr (TcForecast) f_stormy = forecast (fc, stormy);
  g_autoptr (TcDataset) earlier = tc_dataset_copy (ds);
  g_autoptr (TcForecast) f_earlier = NULL;
  guint origin = N_TIMES - CUT;

  g_assert_true (tc_forecaster_get_reads_news (fc));
  g_assert_cmpuint (base->origin, ==, origin);
  /* The two files differ only on and after the origin: a storm every
   * day there must not reach the forecast. */
  for (guint t = 0; t < origin; t++)
    g_assert_cmpstr (ds->news[t], ==, stormy->news[t]);
  g_assert_cmpstr (stormy->news[N_TIMES - 1], ==, storm[(N_TIMES - 1) % 3]);
  g_assert_true (same_forecast (base, f_stormy));
  /* The same storms just before the origin do reach it: the test can fail. */
  for (guint s = 0; s < N_SERIES; s++)
    for (guint t = origin - 3; t < origin; t++)
      {
        char **c = &earlier->news[(gsize) s * N_TIMES + t];

        g_free (*c);
        *c = g_strdup (storm[t % 3]);
      }
  f_earlier = forecast (fc, earlier);
  g_assert_false (same_forecast (base, f_earlier));
  g_rmdir (dir);
}

/* A model trained without news ignores news joined later, and one
 * trained with news refuses data without it. */
static void
test_models_with_and_without (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-XXXXXX", NULL);
  g_autoptr (TcDataset) plain = news_dataset (dir, FALSE, FALSE);
  g_autoptr (TcDataset) with = news_dataset (dir, TRUE, FALSE);
  g_autoptr (TcForecaster) no_news = train (plain, 4);
  g_autoptr (TcForecaster) news_model = train (with, 4);
  g_autoptr (TcForecast) a = NULL, b = NULL, none = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *model_path = g_build_filename (dir, "news.tcm", NULL);

  /* Without reviews or news there is no text to learn from. */
  g_assert_cmpuint (tc_forecaster_get_options (no_news)->text_dim, ==, 0);
  g_assert_false (tc_forecaster_get_reads_news (no_news));
  a = forecast (no_news, plain);
  b = forecast (no_news, with);
  g_assert_true (same_forecast (a, b));

  none = tc_forecaster_predict (news_model, plain, NULL, G_MAXUINT, &error);
  g_assert_null (none);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "news"));
  g_clear_error (&error);

  /* The model file remembers that it reads news. */
  g_assert_true (tc_forecaster_save (news_model, model_path, &error));
  g_assert_no_error (error);
  {
    g_autoptr (TcForecaster) back = tc_forecaster_load (model_path, &error);
    g_autoptr (TcForecast) f1 = NULL, f2 = NULL;

    g_assert_no_error (error);
    g_assert_true (tc_forecaster_get_reads_news (back));
    f1 = forecast (news_model, with);
    f2 = forecast (back, with);
    g_assert_true (same_forecast (f1, f2));
  }
  g_unlink (model_path);
  g_rmdir (dir);
}

/* The importer joins the news named in its options. */
static void
test_import_option (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "sales.csv", NULL);
  g_autofree char *news = fixture ("news-mixed.csv");
  g_autoptr (GString) csv = g_string_new ("date,sku,category,units\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcImportReport) report = NULL;
  g_autoptr (TcDataset) ds = NULL;
  TcImportOptions opts;

  for (guint s = 0; s < 2; s++)
    for (guint t = 0; t < 31; t++)
      g_string_append_printf (csv, "2024-01-%02u,P%u,%s,%u\n", t + 1, s, s ? "Drinks" : "Snacks", 10 + t);
  g_assert_true (g_file_set_contents (data, csv->str, -1, &error));
  tc_import_options_init (&opts);
  opts.news_path = g_strdup (news);
  ds = tc_import_file (data, &opts, &report, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds->news);
  g_assert_cmpuint (report->news_items, ==, 9);
  /* In January: all but the December and March items and the toys. */
  g_assert_cmpuint (report->news_joined, ==, 6);
  g_assert_cmpstr (report->news_matched_by, ==, "category");
  g_assert_cmpstr (ds->news[0 * 31 + 4], ==, "食品安全抽检：多款零食不合格");
  g_assert_cmpstr (ds->news[1 * 31 + 2], ==, "Heatwave forecast for next week, cold drinks expected to sell out");
  {
    g_autoptr (TcDataset) copy = tc_dataset_copy (ds);

    g_assert_cmpstr (copy->news[1 * 31 + 2], ==, ds->news[1 * 31 + 2]);
  }
  tc_import_options_clear (&opts);

  /* A bad news file fails the import, naming the news file. */
  g_clear_pointer (&ds, tc_dataset_free);
  tc_import_options_init (&opts);
  opts.news_path = fixture ("news-bad-date.csv");
  ds = tc_import_file (data, &opts, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "news-bad-date.csv"));
  tc_import_options_clear (&opts);
  g_unlink (data);
  g_rmdir (dir);
}

/* A project remembers the news file and joins it again on opening,
 * from beside the project when the folder moved. */
static void
test_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-XXXXXX", NULL);
  g_autofree char *moved = g_dir_make_tmp ("tc-news-moved-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "sales.csv", NULL);
  g_autofree char *news = g_build_filename (dir, "news.csv", NULL);
  g_autofree char *project_path = g_build_filename (dir, "p.trendcast", NULL);
  g_autofree char *moved_data = g_build_filename (moved, "sales.csv", NULL);
  g_autofree char *moved_news = g_build_filename (moved, "news.csv", NULL);
  g_autofree char *moved_project = g_build_filename (moved, "p.trendcast", NULL);
  g_autofree char *fixture_news = fixture ("news-mixed.csv");
  g_autofree char *news_text = NULL;
  g_autoptr (GString) csv = g_string_new ("date,sku,category,units\n");
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (GFile) file = g_file_new_for_path (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  TcImportOptions opts;

  for (guint s = 0; s < 2; s++)
    for (guint t = 0; t < 31; t++)
      g_string_append_printf (csv, "2024-01-%02u,P%u,%s,%u\n", t + 1, s, s ? "Drinks" : "Snacks", 10 + t);
  g_assert_true (g_file_set_contents (data, csv->str, -1, NULL));
  g_assert_true (g_file_get_contents (fixture_news, &news_text, NULL, NULL));
  g_assert_true (g_file_set_contents (news, news_text, -1, NULL));
  tc_import_options_init (&opts);
  opts.news_path = g_strdup (news);
  g_assert_true (tc_session_import (session, file, &opts, NULL, &error));
  g_assert_no_error (error);
  tc_import_options_clear (&opts);
  p = tc_project_capture (session, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_save (p, project_path, &error));
  g_clear_pointer (&p, tc_project_free);

  /* The folder moves: data, news and project together. */
  g_assert_cmpint (g_rename (data, moved_data), ==, 0);
  g_assert_cmpint (g_rename (news, moved_news), ==, 0);
  g_assert_cmpint (g_rename (project_path, moved_project), ==, 0);
  p = tc_project_load (moved_project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->import_options.news_path, ==, moved_news);
  {
    g_autoptr (TcSession) again = tc_session_new ();
    const TcDataset *ds;

    g_assert_true (tc_project_open_session (p, moved_project, again, NULL, NULL, &error));
    g_assert_no_error (error);
    ds = tc_session_get_dataset (again);
    g_assert_nonnull (ds->news);
    g_assert_cmpstr (ds->news[0 * 31 + 4], ==, "食品安全抽检：多款零食不合格");
  }
  g_unlink (moved_data);
  g_unlink (moved_news);
  g_unlink (moved_project);
  g_rmdir (moved);
  g_rmdir (dir);
}

/* Two series of 120 days and the mixed news file, written to @dir and
 * saved as a project whose model (trained with the news when @model)
 * reads the headlines. */
static void
write_news_project (const char *dir, gboolean model, char **news_out, char **project_out)
{
  g_autofree char *data = g_build_filename (dir, "sales.csv", NULL);
  g_autofree char *fixture_news = fixture ("news-mixed.csv");
  g_autofree char *news_text = NULL;
  g_autoptr (GString) csv = g_string_new ("date,sku,category,units\n");
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (GFile) file = g_file_new_for_path (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  TcImportOptions opts;

  *news_out = g_build_filename (dir, "news.csv", NULL);
  *project_out = g_build_filename (dir, "p.trendcast", NULL);
  for (guint t = 0; t < 120; t++)
    {
      g_autofree char *date = tc_frequency_format_time (TC_FREQ_DAILY, day (2024, 1, 1) + (gint64) t * 86400);

      for (guint s = 0; s < 2; s++)
        g_string_append_printf (csv, "%s,P%u,%s,%u\n", date, s, s ? "Drinks" : "Snacks", 10 + (t * 7 + s * 3) % 11);
    }
  g_assert_true (g_file_set_contents (data, csv->str, -1, NULL));
  g_assert_true (g_file_get_contents (fixture_news, &news_text, NULL, NULL));
  g_assert_true (g_file_set_contents (*news_out, news_text, -1, NULL));
  tc_import_options_init (&opts);
  opts.news_path = g_strdup (*news_out);
  g_assert_true (tc_session_import (session, file, &opts, NULL, &error));
  g_assert_no_error (error);
  tc_import_options_clear (&opts);
  g_assert_nonnull (tc_session_get_dataset (session)->news);
  if (model)
    {
      tc_session_set_forecaster (session, train_for (tc_session_get_dataset (session), 4, 1));
      g_assert_true (tc_forecaster_get_reads_news (tc_session_get_forecaster (session)));
    }
  p = tc_project_capture (session, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_save (p, *project_out, &error));
  g_assert_no_error (error);
}

static void
remove_news_project (const char *dir)
{
  static const char *names[] = { "sales.csv", "news.csv", "other-news.csv", "p.trendcast", "again.trendcast" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The news path a project saved from @session names, or NULL. */
static char *
saved_news_path (TcSession *session, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "again.trendcast", NULL);
  g_autoptr (TcProject) p = tc_project_capture (session, FALSE, NULL);
  g_autoptr (TcProject) back = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (p);
  g_assert_true (tc_project_save (p, path, &error));
  back = tc_project_load (path, &error);
  g_assert_no_error (error);
  return g_strdup (back->import_options.news_path);
}

/* A project whose news file is gone opens with its data and says why
 * the news is left out; saving keeps the reference until it is removed. */
static void
test_project_news_missing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-missing-XXXXXX", NULL);
  g_autofree char *news = NULL, *project_path = NULL, *kept = NULL, *gone = NULL;
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (TcProject) p = NULL;
  g_autoptr (GError) error = NULL;
  const GError *why;

  write_news_project (dir, FALSE, &news, &project_path);
  g_assert_cmpint (g_unlink (news), ==, 0);

  p = tc_project_load (project_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->import_options.news_path, ==, news);
  g_assert_true (tc_project_open_session (p, project_path, session, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tc_session_get_dataset (session));
  g_assert_cmpuint (tc_session_get_dataset (session)->n_series, ==, 2);
  g_assert_null (tc_session_get_dataset (session)->news);
  why = tc_session_get_news_error (session);
  g_assert_nonnull (why);
  g_assert_true (g_error_matches (why, TC_ERROR, TC_ERROR_IO) || g_error_matches (why, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  g_test_message ("missing: %s", why->message);
  g_assert_nonnull (strstr (why->message, "news.csv"));

  /* Saving without doing anything keeps the user's setting. */
  kept = saved_news_path (session, dir);
  g_assert_cmpstr (kept, ==, news);

  /* Removed, the reference is gone from the next save. */
  tc_session_forget_news (session);
  g_assert_null (tc_session_get_news_error (session));
  gone = saved_news_path (session, dir);
  g_assert_null (gone);
  g_assert_nonnull (tc_session_get_dataset (session));
  remove_news_project (dir);
}

/* A news file that no longer reads: the project opens, the error has
 * the file, line and column; another file located joins, keeping the
 * model, and a bad one changes nothing. */
static void
test_project_news_broken (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-news-broken-XXXXXX", NULL);
  g_autofree char *news = NULL, *project_path = NULL, *bad_text = NULL, *good_text = NULL;
  g_autofree char *bad_fixture = fixture ("news-bad-date.csv");
  g_autofree char *good_fixture = fixture ("news-mixed.csv");
  g_autofree char *other = g_build_filename (dir, "other-news.csv", NULL);
  g_autofree char *kept = NULL;
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (TcProject) p = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) f = NULL;
  const TcErrorLocation *loc;
  const GError *why;

  write_news_project (dir, TRUE, &news, &project_path);
  g_assert_true (g_file_get_contents (bad_fixture, &bad_text, NULL, NULL));
  g_assert_true (g_file_set_contents (news, bad_text, -1, NULL));

  p = tc_project_load (project_path, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_open_session (p, project_path, session, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (tc_session_get_dataset (session)->news);
  /* The model came back with the project. */
  g_assert_nonnull (tc_session_get_forecaster (session));
  why = tc_session_get_news_error (session);
  g_assert_error ((GError *) why, TC_ERROR, TC_ERROR_PARSE);
  g_test_message ("broken: %s", why->message);
  loc = tc_error_get_location (why);
  g_assert_nonnull (loc);
  g_assert_cmpstr (loc->file, ==, "news.csv");
  g_assert_cmpuint (loc->line, ==, 3);
  g_assert_cmpuint (loc->column, ==, 1);

  /* The model reads news: its refusal names the news file. */
  f = tc_session_predict (session, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, news));
  g_clear_error (&error);

  /* A file located that does not read either: nothing changes. */
  g_assert_false (tc_session_attach_news (session, bad_fixture, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_nonnull (tc_session_get_news_error (session));
  g_assert_cmpstr (tc_session_get_import_options (session)->news_path, ==, news);

  /* A good one joins; the model stays and forecasts. */
  g_assert_true (g_file_get_contents (good_fixture, &good_text, NULL, NULL));
  g_assert_true (g_file_set_contents (other, good_text, -1, NULL));
  g_assert_true (tc_session_attach_news (session, other, &error));
  g_assert_no_error (error);
  g_assert_null (tc_session_get_news_error (session));
  g_assert_nonnull (tc_session_get_dataset (session)->news);
  g_assert_nonnull (tc_session_get_forecaster (session));
  f = tc_session_predict (session, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f);
  g_assert_cmpuint (tc_session_get_import_report (session)->news_items, ==, 9);
  kept = saved_news_path (session, dir);
  g_assert_cmpstr (kept, ==, other);
  remove_news_project (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/news/read", test_read);
  g_test_add_func ("/news/join-weekly", test_join_weekly);
  g_test_add_func ("/news/join-by-series-id", test_join_by_series_id);
  g_test_add_func ("/news/join-no-match", test_join_no_match);
  g_test_add_func ("/news/bad-files", test_bad_files);
  g_test_add_func ("/news/no-leak", test_no_leak);
  g_test_add_func ("/news/models-with-and-without", test_models_with_and_without);
  g_test_add_func ("/news/import-option", test_import_option);
  g_test_add_func ("/news/project", test_project);
  g_test_add_func ("/news/project-news-missing", test_project_news_missing);
  g_test_add_func ("/news/project-news-broken", test_project_news_broken);
  return g_test_run ();
}
