/* test-cli-news.c — trendcast-cli train / forecast / backtest with --news
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "cli/cli-run.h"

static char *tmpdir, *data_csv, *news_csv, *news_later_csv, *bad_news_csv;

/* Daily sales of four products in two categories; a storm headline for
 * a category halves its sales for five days.  The news files are in
 * English, Chinese and Portuguese; the second one adds storms after the
 * last date of the data, which no forecast may see. */
static void
write_data (void)
{
  g_autoptr (GString) s = g_string_new ("date,sku,category,units\n");
  g_autoptr (GString) n = g_string_new ("published,title,segment\n");
  g_autoptr (GString) later = NULL;
  g_autoptr (GRand) rng = g_rand_new_with_seed (5);
  static const char *cats[] = { "Drinks", "Snacks" };
  static const char *storm[] = { "Storm closes roads", "暴雨预警，物流停运", "Tempestade fecha estradas" };
  guint penalty[2] = { 0, 0 };

  for (guint t = 0; t < 150; t++)
    {
      g_autoptr (GDateTime) d = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
      g_autoptr (GDateTime) day = g_date_time_add_days (d, t);
      g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");

      for (guint c = 0; c < 2; c++)
        {
          if (penalty[c])
            penalty[c]--;
          if ((t + 9 * c) % 19 == 0)
            {
              g_string_append_printf (n, "%s,%s,%s\n", date, storm[t % 3], cats[c]);
              penalty[c] = 5;
            }
        }
      if (t % 10 == 3)
        g_string_append_printf (n, "%s,\"Markets calm, prices steady\",\n", date);
      for (guint p = 0; p < 4; p++)
        g_string_append_printf (s, "%s,P%u,%s,%.0f\n", date, p, cats[p % 2],
                                (20 + 5 * p) * (penalty[p % 2] ? 0.5 : 1.0) + g_rand_int_range (rng, -2, 3));
    }
  later = g_string_new (n->str);
  for (guint t = 0; t < 10; t++)
    g_string_append_printf (later, "2024-05-%02u,%s,\n", 30 + t / 5, storm[t % 3]);
  g_assert_true (g_file_set_contents (data_csv, s->str, -1, NULL));
  g_assert_true (g_file_set_contents (news_csv, n->str, -1, NULL));
  g_assert_true (g_file_set_contents (news_later_csv, later->str, -1, NULL));
  g_assert_true (g_file_set_contents (bad_news_csv, "published,title\n2024-01-02,ok\nyesterday,bad\n", -1, NULL));
}

#define TRAIN_ARGS "--horizon", "7", "--context", "28", "--patch", "7", "--max-epochs", "2", \
  "--steps-per-epoch", "10", "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32", \
  "--threads", "1", "--no-refit"

static char *
read_text (const char *path)
{
  char *s = NULL;

  g_assert_true (g_file_get_contents (path, &s, NULL, NULL));
  return s;
}

static void
test_news (void)
{
  g_autofree char *model = g_build_filename (tmpdir, "news.tcm", NULL);
  g_autofree char *fc1 = g_build_filename (tmpdir, "fc1.csv", NULL);
  g_autofree char *fc2 = g_build_filename (tmpdir, "fc2.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *a = NULL, *b = NULL;
  int rc;

  rc = run (&out, &err, "train", data_csv, "-o", model, "--news", news_csv, "--news-date-col", "published",
            "--news-text-col", "title", "--news-category-col", "segment", TRAIN_ARGS, NULL);
  if (rc != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  /* Categories found in the data's category column; everything joined. */
  g_assert_nonnull (strstr (err, "(categories matched by “category”)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The model reads news: without the file it refuses, saying why. */
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "-o", fc1, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "--news"));
  g_assert_false (g_file_test (fc1, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--news", news_csv, "--news-date-col", "published",
            "--news-text-col", "title", "-o", fc1, NULL);
  g_assert_cmpint (rc, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  a = read_text (fc1);
  {
    g_auto (GStrv) lines = g_strsplit (a, "\n", -1);

    /* Header and 4 series x 7 days (and the final newline). */
    g_assert_cmpuint (g_strv_length (lines), ==, 30);
  }

  /* Storms dated after the data change nothing. */
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--news", news_later_csv, "--news-date-col", "published",
            "--news-text-col", "title", "-o", fc2, NULL);
  g_assert_cmpint (rc, ==, 0);
  b = read_text (fc2);
  g_assert_cmpstr (a, ==, b);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A bad news file: the file, line and column, exit status 2. */
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--news", bad_news_csv, "--news-date-col", "published",
            "-o", fc2, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "bad.csv:3: column 1 “published”: found “yesterday”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = run (&out, &err, "backtest", data_csv, "-H", "7", "-k", "2", "--models", "transformer,naive",
            "--news", news_csv, "--news-date-col", "published", "--news-text-col", "title",
            "--context", "28", "--patch", "7", "--max-epochs", "2", "--steps-per-epoch", "10", "--d-model", "16",
            "--heads", "2", "--layers", "1", "--d-ff", "32", "--threads", "1", "-q", NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (out, "transformer"));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("tc-cli-news-XXXXXX", NULL);
  data_csv = g_build_filename (tmpdir, "sales.csv", NULL);
  news_csv = g_build_filename (tmpdir, "news.csv", NULL);
  news_later_csv = g_build_filename (tmpdir, "news-later.csv", NULL);
  bad_news_csv = g_build_filename (tmpdir, "bad.csv", NULL);
  write_data ();
  g_test_add_func ("/cli/news", test_news);
  rc = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *n;

    while (dir && (n = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (tmpdir, n, NULL);

        g_unlink (p);
      }
  }
  g_rmdir (tmpdir);
  g_free (data_csv);
  g_free (news_csv);
  g_free (news_later_csv);
  g_free (bad_news_csv);
  g_free (tmpdir);
  return rc;
}
