/* test-explore.c — levels of the hierarchy: sums and combined intervals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected number here is worked out by hand in the comments.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explore.h"

/* Monday 2024-01-01 00:00 UTC, weekly grid. */
#define T0   G_GINT64_CONSTANT (1704067200)
#define WEEK G_GINT64_CONSTANT (604800)
#define NT   6
#define H    2

static TcDataset *
make_dataset (void)
{
  /* A and B are category X, C is category Y.  B launches at week 2 and
   * misses week 4; C promotes alone in week 5. */
  static const double target[3][NT] = {
    { 10, 12, 11, 13, 14, 15 },
    { NAN, NAN, 5, 6, NAN, 8 },
    { 100, 100, 100, 100, 100, 100 },
  };
  static const double promo[3][NT] = {
    { 0, 1, 1, 0, 0, 0 },
    { NAN, NAN, 1, 0, 0, 0 },
    { 0, 0, 0, 0, 0, 1 },
  };
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, 3, NT, 2, 0, 1, FALSE);
  guint s, i;

  ds->target_name = g_strdup ("units");
  ds->series_ids[0] = g_strdup ("A");
  ds->series_ids[1] = g_strdup ("B");
  ds->series_ids[2] = g_strdup ("C");
  ds->static_names[0] = g_strdup ("category");
  ds->static_values[0] = g_strdup ("X");
  ds->static_values[1] = g_strdup ("X");
  ds->static_values[2] = g_strdup ("Y");
  ds->known_names[0] = g_strdup ("promo");
  ds->known_kinds[0] = TC_COVARIATE_PROMOTION;
  ds->known_names[1] = g_strdup ("holiday=xmas");
  ds->known_kinds[1] = TC_COVARIATE_HOLIDAY;
  for (i = 0; i < NT; i++)
    ds->times[i] = T0 + i * WEEK;
  for (s = 0; s < 3; s++)
    for (i = 0; i < NT; i++)
      {
        tc_dataset_target_row (ds, s)[i] = target[s][i];
        tc_dataset_known_row (ds, 0, s)[i] = promo[s][i];
        tc_dataset_known_row (ds, 1, s)[i] = 0;
      }
  tc_dataset_update_bounds (ds);
  return ds;
}

/* The holiday of the second forecast week, known only from the future file. */
static TcDataset *
make_future (void)
{
  TcDataset *f = tc_dataset_new (TC_FREQ_WEEKLY, 1, H, 1, 0, 0, FALSE);

  f->series_ids[0] = g_strdup ("C");
  f->known_names[0] = g_strdup ("holiday=xmas");
  f->known_kinds[0] = TC_COVARIATE_HOLIDAY;
  f->times[0] = T0 + NT * WEEK;
  f->times[1] = T0 + (NT + 1) * WEEK;
  tc_dataset_known_row (f, 0, 0)[0] = 0;
  tc_dataset_known_row (f, 0, 0)[1] = 1;
  return f;
}

static TcForecast *
make_forecast (void)
{
  /* (series, h, q): P10, P50, P90.  Distances below / above the median:
   * A h0 4/6, h1 4/8; B h0 3/1, h1 3/4; C h0 10/15, h1 none. */
  static const double v[3][H][3] = {
    { { 12, 16, 22 }, { 13, 17, 25 } },
    { { 6, 9, 10 }, { 7, 10, 14 } },
    { { 90, 100, 115 }, { NAN, NAN, NAN } },
  };
  TcForecast *f = g_new0 (TcForecast, 1);

  f->n_series = 3;
  f->horizon = H;
  f->n_quantiles = 3;
  f->quantiles[0] = 0.1f;
  f->quantiles[1] = 0.5f;
  f->quantiles[2] = 0.9f;
  f->origin = NT;
  f->times = g_new (gint64, H);
  f->times[0] = T0 + NT * WEEK;
  f->times[1] = T0 + (NT + 1) * WEEK;
  f->values = g_memdup2 (v, sizeof v);
  return f;
}

#define FC(level, g, h, q) ((level)->groups[g].forecast[(h) * (level)->n_quantiles + (q)])

static void
test_combine (void)
{
  /* Two members: medians 10 and 20; distances 3/4 below and 4/3 above. */
  const double rows[] = { 7, 10, 14, 16, 20, 23, NAN, NAN, NAN };
  double out[3];

  tc_explore_combine (rows, 3, 3, 1, TC_EXPLORE_INDEPENDENT, out);
  g_assert_cmpfloat_with_epsilon (out[1], 30, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[0], 25, 1e-12);   /* 30 - sqrt (9 + 16) */
  g_assert_cmpfloat_with_epsilon (out[2], 35, 1e-12);   /* 30 + sqrt (16 + 9) */
  tc_explore_combine (rows, 3, 3, 1, TC_EXPLORE_COMONOTONIC, out);
  g_assert_cmpfloat_with_epsilon (out[0], 23, 1e-12);   /* 7 + 16 */
  g_assert_cmpfloat_with_epsilon (out[2], 37, 1e-12);   /* 14 + 23 */
  tc_explore_combine (rows + 6, 1, 3, 1, TC_EXPLORE_INDEPENDENT, out);
  g_assert_true (isnan (out[0]) && isnan (out[1]) && isnan (out[2]));
}

static void
test_levels (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcDataset) future = make_future ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(TcExploreLevel) series = NULL, cat = NULL, total = NULL, cautious = NULL;
  g_autoptr(GError) error = NULL;
  int x, y;

  series = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_SERIES, -1, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->n_groups, ==, 3);
  g_assert_cmpstr (series->groups[1].name, ==, "B");
  g_assert_cmpuint (series->median, ==, 1);
  /* One member: its own quantiles. */
  g_assert_cmpfloat (FC (series, 1, 1, 2), ==, 14);
  g_assert_true (isnan (series->groups[1].history[0]));

  cat = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cat->name, ==, "category");
  g_assert_cmpuint (cat->n_groups, ==, 2);
  x = tc_explore_level_find (cat, "X");
  y = tc_explore_level_find (cat, "Y");
  g_assert_cmpint (x, ==, 0);
  g_assert_cmpint (y, ==, 1);
  g_assert_cmpint (tc_explore_level_find (cat, "Z"), ==, -1);
  g_assert_cmpuint (cat->groups[x].n_members, ==, 2);

  /* History of X: B is not launched in weeks 0-1 (adds nothing) and has a
   * gap in week 4 (the sum is unknown). */
  g_assert_cmpfloat (cat->groups[x].history[0], ==, 10);
  g_assert_cmpfloat (cat->groups[x].history[1], ==, 12);
  g_assert_cmpfloat (cat->groups[x].history[2], ==, 16);
  g_assert_cmpfloat (cat->groups[x].history[3], ==, 19);
  g_assert_true (isnan (cat->groups[x].history[4]));
  g_assert_cmpfloat (cat->groups[x].history[5], ==, 23);

  /* Forecast of X, week 0: median 16 + 9 = 25; P10 25 - sqrt (4² + 3²) = 20;
   * P90 25 + sqrt (6² + 1²) = 31.0828. */
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 0, 1), 25, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 0, 0), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 0, 2), 25 + sqrt (37), 1e-9);
  /* Week 1: 27, 27 - 5 = 22, 27 + sqrt (64 + 16) = 35.944. */
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 1, 1), 27, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 1, 0), 22, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cat, x, 1, 2), 27 + sqrt (80), 1e-9);
  /* Y has no forecast in week 1. */
  g_assert_true (isnan (FC (cat, y, 1, 1)));

  total = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total->n_groups, ==, 1);
  g_assert_cmpstr (total->name, ==, "total");
  /* History: 10 + 100, 12 + 100, 11 + 5 + 100, 13 + 6 + 100, gap, 15 + 8 + 100. */
  g_assert_cmpfloat (total->groups[0].history[0], ==, 110);
  g_assert_cmpfloat (total->groups[0].history[2], ==, 116);
  g_assert_cmpfloat (total->groups[0].history[3], ==, 119);
  g_assert_true (isnan (total->groups[0].history[4]));
  g_assert_cmpfloat (total->groups[0].history[5], ==, 123);
  /* Week 0: 125; 125 - sqrt (16 + 9 + 100) = 113.8197; 125 + sqrt (36 + 1 + 225) = 141.1864. */
  g_assert_cmpfloat_with_epsilon (FC (total, 0, 0, 1), 125, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (total, 0, 0, 0), 125 - sqrt (125), 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (total, 0, 0, 2), 125 + sqrt (262), 1e-9);
  /* Week 1: C has no forecast and is left out: the same as X. */
  g_assert_cmpfloat_with_epsilon (FC (total, 0, 1, 1), 27, 1e-9);

  /* Perfectly correlated errors: quantiles add.  12 + 6 + 90 = 108, 22 + 10 + 115 = 147. */
  cautious = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_COMONOTONIC, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (FC (cautious, 0, 0, 0), 108, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cautious, 0, 0, 1), 125, 1e-9);
  g_assert_cmpfloat_with_epsilon (FC (cautious, 0, 0, 2), 147, 1e-9);
  /* Never narrower than under independence. */
  g_assert_cmpfloat (FC (cautious, 0, 0, 0), <, FC (total, 0, 0, 0));
  g_assert_cmpfloat (FC (cautious, 0, 0, 2), >, FC (total, 0, 0, 2));
}

static void
test_markers (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcDataset) future = make_future ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(TcExploreLevel) cat = NULL, total = NULL, series = NULL;
  const TcExploreMarker *m;
  GArray *mk;

  cat = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, NULL);
  total = tc_explore_level_new (ds, future, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_INDEPENDENT, NULL);
  series = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_SERIES, -1, TC_EXPLORE_INDEPENDENT, NULL);
  g_assert_nonnull (cat);
  g_assert_nonnull (total);
  g_assert_nonnull (series);

  /* X: week 1 only A has a promo value (1/1), week 2 both promote: one
   * run over weeks 1-2, widened by half a week.  No holiday in X. */
  mk = cat->groups[0].markers;
  g_assert_cmpuint (mk->len, ==, 1);
  m = &g_array_index (mk, TcExploreMarker, 0);
  g_assert_cmpint (m->kind, ==, TC_EXPLORE_MARKER_PROMOTION);
  g_assert_cmpint (m->t_start, ==, T0 + WEEK - WEEK / 2);
  g_assert_cmpint (m->t_end, ==, T0 + 2 * WEEK + WEEK / 2);

  /* Total: weeks 1 (1 of 2) and 2 (2 of 3) are half or more on promotion,
   * week 5 (C alone, 1 of 3) is not.  The holiday of forecast week 1 comes
   * from the future file and is labelled with the holiday's name. */
  mk = total->groups[0].markers;
  g_assert_cmpuint (mk->len, ==, 2);
  m = &g_array_index (mk, TcExploreMarker, 0);
  g_assert_cmpint (m->kind, ==, TC_EXPLORE_MARKER_PROMOTION);
  g_assert_cmpint (m->t_end, ==, T0 + 2 * WEEK + WEEK / 2);
  m = &g_array_index (mk, TcExploreMarker, 1);
  g_assert_cmpint (m->kind, ==, TC_EXPLORE_MARKER_HOLIDAY);
  g_assert_cmpstr (m->label, ==, "xmas");
  g_assert_cmpint (m->t_start, ==, T0 + (NT + 1) * WEEK - WEEK / 2);

  /* Y (C alone) promotes in week 5. */
  mk = cat->groups[1].markers;
  g_assert_cmpuint (mk->len, ==, 2);
  m = &g_array_index (mk, TcExploreMarker, 0);
  g_assert_cmpint (m->t_start, ==, T0 + 5 * WEEK - WEEK / 2);

  /* Without the future file the horizon's holiday is unknown. */
  g_assert_cmpuint (series->groups[2].markers->len, ==, 1);
}

static void
test_summary (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(TcExploreLevel) cat = NULL;
  g_autofree char *text = NULL, *text2 = NULL;
  TcExploreSummary sum;

  cat = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, NULL);
  g_assert_cmpuint (tc_explore_default_steps (cat), ==, 2);

  /* Both weeks of X: 25 + 27 = 52; the members in quadrature at each
   * step, the steps added: below 5 + 5 = 10, above sqrt (37) + sqrt (80)
   * = 15.027.  The last two weeks include the gap: no change. */
  tc_explore_group_summary (cat, 0, 2, &sum);
  g_assert_cmpuint (sum.steps, ==, 2);
  g_assert_cmpfloat_with_epsilon (sum.next, 52, 1e-9);
  g_assert_cmpfloat_with_epsilon (sum.next_lo, 42, 1e-9);
  g_assert_cmpfloat_with_epsilon (sum.next_hi, 52 + sqrt (37) + sqrt (80), 1e-9);
  g_assert_true (isnan (sum.last));
  g_assert_true (isnan (sum.change));
  text2 = tc_explore_summary_text (cat, &sum);
  g_assert_cmpstr (text2, ==, "Next 2 weeks: 52 units (likely 42–67)");

  /* One week: 25 against the last week's 23, +8.7 %. */
  tc_explore_group_summary (cat, 0, 1, &sum);
  g_assert_cmpfloat (sum.last, ==, 23);
  g_assert_cmpfloat_with_epsilon (sum.change, 25.0 / 23 - 1, 1e-12);
  text = tc_explore_summary_text (cat, &sum);
  g_assert_cmpstr (text, ==, "Next 1 week: 25 units (likely 20–31), +9\u00a0% on the last 1 week");

  /* Y has no forecast in week 1, so no two-week total. */
  tc_explore_group_summary (cat, 1, 2, &sum);
  g_assert_true (isnan (sum.next));

  /* Any set of series sums the same way (the Scenarios page's totals):
   * bit for bit the group's summary. */
  for (guint g = 0; g < cat->n_groups; g++)
    for (guint steps = 1; steps <= 2; steps++)
      {
        const TcExploreGroup *grp = &cat->groups[g];
        double out[3];

        tc_explore_group_summary (cat, g, steps, &sum);
        tc_explore_members_total (f, grp->members, grp->n_members, steps, TC_EXPLORE_INDEPENDENT, out);
        g_assert_cmpmem (&out[1], sizeof (double), &sum.next, sizeof (double));
        g_assert_cmpmem (&out[0], sizeof (double), &sum.next_lo, sizeof (double));
        g_assert_cmpmem (&out[2], sizeof (double), &sum.next_hi, sizeof (double));
      }
}

static void
test_format (void)
{
  struct { double v; const char *s; } cases[] = {
    { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 1234567, "1,234,567" },
    { -1234.4, "-1,234" }, { 3.75, "3.75" }, { 12.6, "13" }, { NAN, "–" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = tc_explore_format_number (cases[i].v);
      g_assert_cmpstr (s, ==, cases[i].s);
    }
  {
    g_autofree char *a = tc_explore_period_phrase (TC_FREQ_DAILY, 28);
    g_autofree char *b = tc_explore_period_phrase (TC_FREQ_DAILY, 10);
    g_autofree char *c = tc_explore_period_phrase (TC_FREQ_MONTHLY, 1);
    g_autofree char *d = tc_explore_period_phrase (TC_FREQ_HOURLY, 48);

    g_assert_cmpstr (a, ==, "4 weeks");
    g_assert_cmpstr (b, ==, "10 days");
    g_assert_cmpstr (c, ==, "1 month");
    g_assert_cmpstr (d, ==, "2 days");
  }
}

static void
test_csv (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(TcExploreLevel) cat = NULL, total = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL, *contents = NULL;
  g_auto(GStrv) lines = NULL;
  TcExploreLevel *levels[2];

  cat = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, NULL);
  total = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_INDEPENDENT, NULL);
  levels[0] = total;
  levels[1] = cat;

  dir = g_dir_make_tmp ("test-explore-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "levels.csv", NULL);
  g_assert_true (tc_explore_write_csv (levels, 2, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  /* Header, 1 × 2 total rows, 2 + 1 category rows, the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 + 3 + 1);
  g_assert_cmpstr (lines[0], ==, "series,level,date,p10,p50,p90");
  g_assert_cmpstr (lines[1], ==, "Total,total,2024-02-12,113.82,125,141.186");
  g_assert_cmpstr (lines[2], ==, "Total,total,2024-02-19,22,27,35.9443");
  g_assert_cmpstr (lines[3], ==, "X,category,2024-02-12,20,25,31.0828");
  /* No forecast: no row, neither empty fields nor zeros. */
  g_assert_cmpstr (lines[5], ==, "Y,category,2024-02-12,90,100,115");
  g_assert_cmpstr (lines[6], ==, "");

  /* An unwritable path is an error that names it. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "x.csv", NULL);

    g_assert_false (tc_explore_write_csv (levels, 1, bad, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, bad));
    g_clear_error (&error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A holdout forecast of the last two weeks: the groups get the actuals. */
static void
test_holdout (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(TcExploreLevel) cat = NULL, fut = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TcExploreSummary sum;
  int x, y;

  /* A future forecast has no actuals. */
  fut = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_null (fut->groups[0].actual);

  f->origin = NT - H;
  f->times[0] = T0 + (NT - 2) * WEEK;
  f->times[1] = T0 + (NT - 1) * WEEK;
  f->origins = g_new (guint, 3);
  f->origins[0] = f->origins[1] = f->origins[2] = NT - H;
  cat = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 0, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cat->n_history, ==, NT - H);
  x = tc_explore_level_find (cat, "X");
  y = tc_explore_level_find (cat, "Y");
  /* X: week 4 has B's gap, week 5 is 15 + 8. */
  g_assert_nonnull (cat->groups[x].actual);
  g_assert_true (isnan (cat->groups[x].actual[0]));
  g_assert_cmpfloat (cat->groups[x].actual[1], ==, 23);
  g_assert_cmpfloat (cat->groups[y].actual[0], ==, 100);

  /* Y, one week: forecast 100 (90–115) against 100 that happened. */
  tc_explore_group_summary (cat, (guint) y, 1, &sum);
  g_assert_cmpfloat (sum.actual, ==, 100);
  text = tc_explore_summary_text (cat, &sum);
  g_assert_cmpstr (text, ==, "Held-out 1 week: forecast 100 units (likely 90–115), actual 100 (±0\u00a0% on the forecast)");

  /* Series forecast from different dates (C from week 3, A and B from
   * week 4) are summed by calendar date over the series forecast on it. */
  f->origins[2] = NT - H - 1;
  g_clear_pointer (&cat, tc_explore_level_free);
  cat = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cat->series_horizon, ==, H);
  g_assert_cmpuint (cat->horizon, ==, 3);
  g_assert_cmpuint (cat->n_history, ==, NT - H);
  g_assert_cmpint (cat->forecast_times[0], ==, T0 + 3 * WEEK);
  g_assert_cmpint (cat->forecast_times[2], ==, T0 + 5 * WEEK);
  g_assert_cmpuint (cat->groups[0].forecast_start, ==, 0);
  g_assert_cmpuint (cat->groups[0].forecast_len, ==, 3);
  /* Week 3: C's first step alone. */
  g_assert_cmpfloat (FC (cat, 0, 0, 1), ==, 100);
  g_assert_cmpfloat (FC (cat, 0, 0, 0), ==, 90);
  /* Week 4: A and B's first steps (C's second has no forecast):
   * 16 + 9, below sqrt (16 + 9) = 5. */
  g_assert_cmpfloat (FC (cat, 0, 1, 1), ==, 25);
  g_assert_cmpfloat_with_epsilon (FC (cat, 0, 1, 0), 20, 1e-12);
  /* Week 5: A and B's second steps, 17 + 10. */
  g_assert_cmpfloat (FC (cat, 0, 2, 1), ==, 27);
  /* Actuals of the series forecast on each date: C's 100; A 14 with B's
   * gap; A 15 + B 8. */
  g_assert_cmpfloat (cat->groups[0].actual[0], ==, 100);
  g_assert_true (isnan (cat->groups[0].actual[1]));
  g_assert_cmpfloat (cat->groups[0].actual[2], ==, 23);
  /* The summary counts every series' own steps: next week is 16 + 9 +
   * 100 = 125, against the week before each origin, 13 + 6 + 100. */
  tc_explore_group_summary (cat, 0, 1, &sum);
  g_assert_cmpfloat (sum.next, ==, 125);
  g_assert_cmpfloat (sum.last, ==, 119);
  g_assert_true (isnan (sum.actual));   /* B's gap in week 4 */

  /* The series level: each series keeps its own two dates. */
  g_clear_pointer (&cat, tc_explore_level_free);
  cat = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_SERIES, -1, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cat->groups[2].forecast_start, ==, 0);
  g_assert_cmpuint (cat->groups[2].forecast_len, ==, 2);
  g_assert_cmpuint (cat->groups[0].forecast_start, ==, 1);
  g_assert_cmpuint (cat->groups[0].forecast_len, ==, 2);
  g_assert_true (isnan (FC (cat, 0, 0, 1)));
  g_assert_cmpfloat (FC (cat, 0, 1, 1), ==, 16);
}

static void
test_errors (void)
{
  g_autoptr(TcDataset) ds = make_dataset ();
  g_autoptr(TcForecast) f = make_forecast ();
  g_autoptr(GError) error = NULL;
  TcExploreLevel *level;

  level = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_ATTRIBUTE, 3, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_null (level);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);

  f->n_series = 2;
  level = tc_explore_level_new (ds, NULL, f, TC_EXPLORE_LEVEL_TOTAL, -1, TC_EXPLORE_INDEPENDENT, &error);
  g_assert_null (level);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_nonnull (strstr (error->message, "2 series"));
  f->n_series = 3;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explore/combine", test_combine);
  g_test_add_func ("/explore/levels", test_levels);
  g_test_add_func ("/explore/markers", test_markers);
  g_test_add_func ("/explore/summary", test_summary);
  g_test_add_func ("/explore/format", test_format);
  g_test_add_func ("/explore/csv", test_csv);
  g_test_add_func ("/explore/holdout", test_holdout);
  g_test_add_func ("/explore/errors", test_errors);
  return g_test_run ();
}
