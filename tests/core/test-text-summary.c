/* test-text-summary.c — review volume and rising/falling terms on a fixture with known answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-text-summary.h"

/* 3 series, 10 days.  Series 0: "great taste"/"a great value" for six
 * days, then "arrived broken", "broken box", "great taste" for four.
 * Series 1: "质量很好" then "质量太差".  Series 2 (left out of the
 * members) repeats "great" to show members are respected. */
static TcDataset *
fixture (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_DAILY, 3, 10, 0, 0, 0, TRUE);

  ds->text_name = g_strdup ("review");
  for (guint t = 0; t < 10; t++)
    {
      gboolean late = t >= 6;

      ds->text[0 * 10 + t] = g_strdup (late ? "Arrived BROKEN!\nBroken box\nGreat taste"
                                            : t == 0 ? "Great taste\n  \nA great value"
                                                     : "Great taste\nA great value");
      ds->text[1 * 10 + t] = g_strdup (late ? "质量太差" : "质量很好");
      ds->text[2 * 10 + t] = g_strdup (late ? "great great\ngreat\ngreat" : "");
    }
  return ds;
}

static const TcTextTerm *
find (const TcTextTerm *terms, guint n, const char *term)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (terms[i].term, term) == 0)
      return &terms[i];
  return NULL;
}

static void
test_terms (void)
{
  g_autoptr (TcDataset) ds = fixture ();
  g_autoptr (TcTextSummary) sum = NULL;
  g_autoptr (GError) error = NULL;
  const guint members[] = { 0, 1 };
  const TcTextTerm *t;

  sum = tc_text_summary_new (ds, members, 2, 10, 4, 10, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sum->n_times, ==, 10);
  g_assert_cmpuint (sum->recent_start, ==, 6);
  /* The blank line of day 0 is no review. */
  g_assert_cmpuint (sum->reviews[0], ==, 3);
  g_assert_cmpuint (sum->reviews[5], ==, 3);
  g_assert_cmpuint (sum->reviews[7], ==, 4);
  g_assert_cmpuint (sum->n_before, ==, 18);
  g_assert_cmpuint (sum->n_recent, ==, 16);

  /* "broken" is in 8 of 16 recent reviews, none before: the largest
   * rise, counted once per review although "Arrived BROKEN!" and
   * "Broken box" differ in case. */
  g_assert_cmpuint (sum->n_rising, >=, 4);
  g_assert_cmpstr (sum->rising[0].term, ==, "broken");
  g_assert_cmpuint (sum->rising[0].recent, ==, 8);
  g_assert_cmpuint (sum->rising[0].before, ==, 0);
  g_assert_cmpfloat_with_epsilon (sum->rising[0].change, 0.5, 1e-12);
  g_assert_nonnull (find (sum->rising, sum->n_rising, "arrived"));
  /* 量太 and 太差 chain and rose together: one phrase ("质量" did not
   * move, so it is not part of it). */
  g_assert_nonnull (find (sum->rising, sum->n_rising, "量太差"));
  g_assert_null (find (sum->rising, sum->n_rising, "太差"));
  g_assert_null (find (sum->rising, sum->n_rising, "量太"));
  g_assert_null (find (sum->rising, sum->n_rising, "great"));

  /* "great": 12 of 18 before, 4 of 16 recent (series 2 is no member). */
  g_assert_cmpstr (sum->falling[0].term, ==, "great");
  g_assert_cmpuint (sum->falling[0].before, ==, 12);
  g_assert_cmpuint (sum->falling[0].recent, ==, 4);
  g_assert_cmpfloat_with_epsilon (sum->falling[0].change, 4.0 / 16 - 12.0 / 18, 1e-12);
  t = find (sum->falling, sum->n_falling, "量很好");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->before, ==, 6);
  g_assert_nonnull (find (sum->falling, sum->n_falling, "value"));
  /* One-letter words are no terms; steady ones do not move. */
  g_assert_null (find (sum->falling, sum->n_falling, "a"));
  for (guint i = 0; i < sum->n_rising; i++)
    g_assert_cmpfloat (sum->rising[i].change, >, 0);
  for (guint i = 1; i < sum->n_rising; i++)
    g_assert_cmpfloat (sum->rising[i].change, <=, sum->rising[i - 1].change);
}

static void
test_limits (void)
{
  g_autoptr (TcDataset) ds = fixture ();
  g_autoptr (TcTextSummary) few = NULL, early = NULL, all = NULL;
  g_autoptr (GError) error = NULL;
  const guint members[] = { 0, 1 }, everyone[] = { 0, 1, 2 };

  /* At least 5 reviews: only "broken" (8) rises; "arrived" (4) does not. */
  few = tc_text_summary_new (ds, members, 2, 10, 4, 10, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (few->n_rising, ==, 1);
  g_assert_cmpstr (few->rising[0].term, ==, "broken");

  /* Up to day 6 only: days 6 and 7 are left out, so "broken" is in 4
   * recent reviews; nothing after @end is read. */
  early = tc_text_summary_new (ds, members, 2, 8, 4, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (early->n_times, ==, 8);
  g_assert_cmpuint (early->recent_start, ==, 4);
  /* "arrived" (2 of 14 against 0 of 12) is within chance now. */
  g_assert_cmpuint (early->n_rising, ==, 1);
  g_assert_cmpstr (early->rising[0].term, ==, "broken");
  g_assert_cmpuint (early->rising[0].recent, ==, 4);

  /* With series 2, "great" is in 4 + 12 recent reviews (57 % of 28)
   * against 12 of 18 (67 %) before: a change within chance, not listed. */
  all = tc_text_summary_new (ds, everyone, 3, 10, 4, 10, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->n_recent, ==, 28);
  g_assert_null (find (all->falling, all->n_falling, "great"));
  g_assert_null (find (all->rising, all->n_rising, "great"));
  g_assert_nonnull (find (all->rising, all->n_rising, "broken"));
}

static void
test_errors (void)
{
  g_autoptr (TcDataset) ds = fixture ();
  g_autoptr (TcDataset) plain = tc_dataset_new (TC_FREQ_DAILY, 1, 3, 0, 0, 0, FALSE);
  g_autoptr (GError) error = NULL;
  const guint members[] = { 0 }, bad[] = { 7 };

  g_assert_null (tc_text_summary_new (plain, members, 1, 3, 1, 5, 1, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);

  g_assert_null (tc_text_summary_new (ds, bad, 1, 10, 4, 5, 1, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);

  g_free (ds->text[3]);
  ds->text[3] = g_strdup ("ok\nbad \xff byte");
  g_assert_null (tc_text_summary_new (ds, members, 1, 10, 4, 5, 1, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_true (strstr (error->message, "period 4") != NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/summary/terms", test_terms);
  g_test_add_func ("/text/summary/limits", test_limits);
  g_test_add_func ("/text/summary/errors", test_errors);
  return g_test_run ();
}
