/* test-scenario-book.c — named scenarios: edits, the file, the words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Comparing needs a trained model: test-cli-plan runs "compare" end to
 * end on a tiny one.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-scenario-book.h"

static TcDataset *
two_series (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_DAILY, 2, 3, 1, 0, 0, FALSE);

  ds->series_ids[0] = g_strdup ("A");
  ds->series_ids[1] = g_strdup ("B-2");
  ds->known_names[0] = g_strdup ("promo");
  for (guint t = 0; t < 3; t++)
    ds->times[t] = 1704067200 + t * 86400;
  return ds;
}

static void
test_edits (void)
{
  g_autoptr (TcDataset) ds = two_series ();
  g_autoptr (GError) error = NULL;
  TcScenarioEdit e;

  g_assert_true (tc_scenario_edit_parse ("competitor_price*0.9", ds, &e, &error));
  g_assert_cmpstr (e.covariate, ==, "competitor_price");
  g_assert_cmpint (e.op, ==, TC_SCENARIO_SCALE);
  g_assert_cmpfloat (e.value, ==, 0.9);
  g_assert_cmpint (e.series, ==, -1);
  g_assert_true (e.from == G_MININT64 && e.to == G_MAXINT64);
  g_free (e.covariate);

  /* 2024-07-07 00:00 to 2024-07-20 23:59:59 UTC, series B-2. */
  g_assert_true (tc_scenario_edit_parse ("promo=1@2024-07-07..2024-07-20@B-2", ds, &e, &error));
  g_assert_cmpint (e.op, ==, TC_SCENARIO_SET);
  g_assert_cmpint (e.series, ==, 1);
  g_assert_cmpint (e.from, ==, 1720310400);
  g_assert_cmpint (e.to, ==, 1721519999);
  g_free (e.covariate);

  /* A series alone, an open range. */
  g_assert_true (tc_scenario_edit_parse ("promo=1@A", ds, &e, &error));
  g_assert_cmpint (e.series, ==, 0);
  g_free (e.covariate);
  g_assert_true (tc_scenario_edit_parse ("promo=1@..2024-07-20", ds, &e, &error));
  g_assert_true (e.from == G_MININT64);
  g_free (e.covariate);

  g_assert_false (tc_scenario_edit_parse ("promo=1@C", ds, &e, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  g_assert_false (tc_scenario_edit_parse ("promo", ds, &e, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  g_assert_false (tc_scenario_edit_parse ("=3", ds, &e, &error));
  g_clear_error (&error);
}

static void
test_file (void)
{
  g_autoptr (TcScenarioBook) book = tc_scenario_book_new ();
  g_autoptr (TcScenarioBook) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-book-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "book.ini", NULL);
  const char *cut[] = { "competitor_price*0.9", NULL };
  const char *promo[] = { "promo=1@2025-07-07..2025-07-20", "price*0.95@;weird", NULL };
  const char *bad[] = { "promo", NULL };

  g_assert_true (tc_scenario_book_set (book, "Competitor cuts 10 %", cut, &error));
  g_assert_true (tc_scenario_book_set (book, "Promo; 2 weeks", promo, &error));
  g_assert_no_error (error);
  g_assert_false (tc_scenario_book_set (book, "Bad", bad, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  g_assert_false (tc_scenario_book_set (book, "[x]", cut, &error));
  g_clear_error (&error);
  /* Replacing keeps one of a name. */
  g_assert_true (tc_scenario_book_set (book, "Competitor cuts 10 %", cut, &error));
  g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 2);

  g_assert_true (tc_scenario_book_save (book, path, &error));
  g_assert_no_error (error);
  back = tc_scenario_book_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_scenario_book_get_n (back), ==, 2);
  g_assert_cmpstr (tc_scenario_book_get_name (back, 1), ==, "Promo; 2 weeks");
  g_assert_cmpstr (tc_scenario_book_get_edits (back, 1)[0], ==, "promo=1@2025-07-07..2025-07-20");
  /* The list separator inside an edit survives the file. */
  g_assert_cmpstr (tc_scenario_book_get_edits (back, 1)[1], ==, "price*0.95@;weird");
  g_assert_true (tc_scenario_book_remove (back, "Competitor cuts 10 %"));
  g_assert_false (tc_scenario_book_remove (back, "Competitor cuts 10 %"));
  g_assert_cmpuint (tc_scenario_book_get_n (back), ==, 1);

  g_assert_true (g_file_set_contents (path, "[Broken]\nedits=promo\n", -1, NULL));
  g_assert_null (tc_scenario_book_load (path, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_nonnull (strstr (error->message, "Broken"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_words (void)
{
  TcScenarioComparison c = { 0 };
  TcScenarioSummary rows[3] = { 0 };
  g_autofree char *base = NULL, *cut = NULL, *disc = NULL;

  c.n_quantiles = 3;
  c.quantiles[0] = 0.1f;
  c.quantiles[1] = 0.5f;
  c.quantiles[2] = 0.9f;
  c.median = 1;
  c.n_rows = 3;
  c.rows = rows;
  rows[0] = (TcScenarioSummary) { .name = (char *) "Baseline", .units = { 900, 1000, 1200 }, .revenue = 12000,
                                  .margin = NAN, .history_uplift = NAN };
  rows[1] = (TcScenarioSummary) { .name = (char *) "Cut", .units = { 850, 940, 1130 }, .uplift = { -50, -60, -70 },
                                  .revenue = 11000, .uplift_revenue = -1000, .margin = NAN, .uplift_margin = NAN,
                                  .history_uplift = -61, .history_lo = -70, .history_hi = -52 };
  rows[2] = (TcScenarioSummary) { .name = (char *) "Discount", .units = { 900, 1000, 1200 }, .uplift = { 0, 0, 0 },
                                  .revenue = NAN, .uplift_revenue = NAN, .margin = NAN, .uplift_margin = NAN,
                                  .history_uplift = NAN,
                                  .history_note = (char *) "“discount” moves together with “price” in the history" };
  base = tc_scenario_summary_text (&c, 0);
  cut = tc_scenario_summary_text (&c, 1);
  disc = tc_scenario_summary_text (&c, 2);
  g_assert_cmpstr (base, ==, "Baseline: 1,000 units (likely 900–1,200); revenue 12,000.");
  g_assert_cmpstr (cut, ==, "Cut: 940 units (likely 850–1,130), −60 on the baseline (likely −70 to −50); revenue −1,000; "
                            "the history alone suggests −61 units (likely −70 to −52).");
  g_assert_cmpstr (disc, ==, "Discount: 1,000 units (likely 900–1,200), ±0 on the baseline (likely ±0 to ±0); "
                             "the history cannot check it: “discount” moves together with “price” in the history.");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenario-book/edits", test_edits);
  g_test_add_func ("/scenario-book/file", test_file);
  g_test_add_func ("/scenario-book/words", test_words);
  return g_test_run ();
}
