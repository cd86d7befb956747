/* test-cli-pipeline.c — trendcast-cli train / forecast / scenario end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data is generated here (tests never read /work/shared); the model
 * is tiny and trains for a few steps: these tests check the plumbing and
 * the error paths, test-forecaster checks what the model learns.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli-run.h"
#include "core/tc-synth.h"

#define N_SERIES 8
#define N_TIMES 70
#define H 6

static char *dir;
static char *data_csv, *future_csv, *model;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_data (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 99);
  g_autoptr (TcDataset) fut = synth_future (ds, H, 1);
  GString *s = g_string_new ("series,date,units,promo,price,category\n");
  GString *f = g_string_new ("date,series,promo,price\n");   /* other column order on purpose */

  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < N_TIMES; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");
        double y = tc_dataset_target_row (ds, i)[t];

        if (isnan (y))
          continue;
        g_string_append_printf (s, "%s,%s,%.0f,%.0f,%.2f,%s\n", ds->series_ids[i], d, y,
                                tc_dataset_known_row (ds, 0, i)[t], tc_dataset_known_row (ds, 1, i)[t],
                                ds->static_values[i]);
      }
  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < H; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (fut->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");

        g_string_append_printf (f, "%s,%s,%.0f,%.2f\n", d, fut->series_ids[i],
                                tc_dataset_known_row (fut, 0, i)[t], tc_dataset_known_row (fut, 1, i)[t]);
      }
  g_assert_true (g_file_set_contents (data_csv, s->str, -1, NULL));
  g_assert_true (g_file_set_contents (future_csv, f->str, -1, NULL));
  g_string_free (s, TRUE);
  g_string_free (f, TRUE);
}

static void
train_model (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  if (g_file_test (model, G_FILE_TEST_EXISTS))
    return;
  rc = run (&out, &err, "train", data_csv, "-o", model, "--known", "promo,price", "--static", "category",
            "--horizon", "6", "--context", "16", "--patch", "4", "--d-model", "16", "--heads", "2",
            "--layers", "1", "--d-ff", "32", "--max-epochs", "2", "--steps-per-epoch", "4",
            "--batch", "8", "--threads", "1", "--holdout", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_test (model, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (out, "Holdout accuracy"));
  g_assert_nonnull (strstr (out, "MASE"));
  /* Not a terminal: plain epoch lines, no carriage returns. */
  g_assert_nonnull (strstr (err, "epoch 1/2"));
  g_assert_null (strchr (err, '\r'));
}

static void
test_train_and_forecast (void)
{
  g_autofree char *out = NULL, *err = NULL, *csv = path_in ("forecast.csv"), *text = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  train_model ();
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--future", future_csv, "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "series,date,p10,p25,p50,p75,p90");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N_SERIES * H + 1);   /* trailing newline */
  g_assert_true (g_str_has_prefix (lines[1], "sku000,2023-05-0"));   /* the week after the data */
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double p10, p50, p90;

      g_assert_cmpuint (g_strv_length (f), ==, 7);
      p10 = g_ascii_strtod (f[2], NULL);
      p50 = g_ascii_strtod (f[4], NULL);
      p90 = g_ascii_strtod (f[6], NULL);
      g_assert_cmpfloat (g_ascii_strtod (f[3], NULL), <=, p50);
      g_assert_cmpfloat (g_ascii_strtod (f[5], NULL), >=, p50);
      g_assert_cmpfloat (p10, >=, 0);
      g_assert_cmpfloat (p10, <=, p50);
      g_assert_cmpfloat (p50, <=, p90);
    }
  g_unlink (csv);
}

static void
test_forecast_errors (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *short_csv = path_in ("short.csv"), *nocol_csv = path_in ("nocol.csv");
  g_autofree char *bad_model = path_in ("bad.tcm"), *trunc_model = path_in ("trunc.tcm");
  g_autofree char *contents = NULL, *fut = NULL;
  gsize len;
  int rc;

  train_model ();
  /* No future file: the model's stated assumptions stand in for the
   * plan, and the user is told. */
  rc = run (&out, &err, "forecast", "-m", model, data_csv, NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (err, "assuming no promotions"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* FUTURE short of its last date. */
  g_assert_true (g_file_get_contents (future_csv, &fut, NULL, NULL));
  {
    g_auto (GStrv) lines = g_strsplit (fut, "\n", -1);
    GString *s = g_string_new (NULL);

    for (guint i = 0; lines[i] && *lines[i]; i++)
      if (i == 0 || !g_str_has_prefix (lines[i], "2023-06-12"))
        g_string_append_printf (s, "%s\n", lines[i]);
    g_assert_cmpuint (s->len, <, strlen (fut));
    g_assert_true (g_file_set_contents (short_csv, s->str, -1, NULL));
    g_string_free (s, TRUE);
  }
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--future", short_csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "2023-06-12"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* FUTURE without the price column. */
  g_assert_true (g_file_set_contents (nocol_csv, "date,series,promo\n2023-05-08,sku000,1\n", -1, NULL));
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--future", nocol_csv, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "price"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A corrupt and a truncated model file, and a CSV posing as a model. */
  g_assert_true (g_file_get_contents (model, &contents, &len, NULL));
  contents[len / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (bad_model, contents, len, NULL));
  rc = run (&out, &err, "forecast", "-m", bad_model, data_csv, "--future", future_csv, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_cmpuint (strlen (err), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  contents[len / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (trunc_model, contents, len - 7, NULL));
  rc = run (&out, &err, "forecast", "-m", trunc_model, data_csv, "--future", future_csv, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "forecast", "-m", data_csv, data_csv, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors. */
  rc = run (&out, &err, "forecast", data_csv, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_unlink (short_csv);
  g_unlink (nocol_csv);
  g_unlink (bad_model);
  g_unlink (trunc_model);
}

static void
test_train_errors (void)
{
  g_autofree char *out = NULL, *err = NULL, *m = path_in ("never.tcm");
  int rc;

  rc = run (&out, &err, "train", data_csv, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "train", data_csv, "-o", m, "--target-col", "nope", NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "nope"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "train", data_csv, "-o", m, "--preset", "huge", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "train", data_csv, "-o", m, "--d-model", "30", "--heads", "4", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_false (g_file_test (m, G_FILE_TEST_EXISTS));
}

static void
test_scenario (void)
{
  g_autofree char *out = NULL, *err = NULL, *csv = path_in ("scenario.csv"), *text = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  train_model ();
  rc = run (&out, &err, "scenario", "-m", model, data_csv, "--future", future_csv,
            "--set", "promo=0@..", "--set", "price*0.9@2023-05-08..2023-05-22", "--series", "sku003",
            "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "series,date,baseline_p10,baseline_p25,baseline_p50,baseline_p75,baseline_p90,"
                   "scenario_p10,scenario_p25,scenario_p50,scenario_p75,scenario_p90,"
                   "uplift_units,baseline_price,scenario_price,uplift_revenue");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + H + 1);
  for (guint i = 1; i <= H; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double bp = g_ascii_strtod (f[13], NULL), sp = g_ascii_strtod (f[14], NULL);

      g_assert_cmpstr (f[0], ==, "sku003");
      /* The price cut covers the first three weeks only. */
      if (i <= 3)
        g_assert_cmpfloat (fabs (sp - 0.9 * bp), <, 1e-6 * bp);
      else
        g_assert_cmpfloat (sp, ==, bp);
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = run (&out, &err, "scenario", "-m", model, data_csv, "--future", future_csv, "--set", "promo~1", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "scenario", "-m", model, data_csv, "--future", future_csv, "--set", "weather=1", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_nonnull (strstr (err, "weather"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "scenario", "-m", model, data_csv, "--future", future_csv, "--set", "promo=1@2030-01-01..", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_unlink (csv);
}

static char *
iso_date (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* No field of a forecast CSV is empty; returns the number of data rows
 * and checks that every row of @series starts on @first. */
/* "levers": one row per lever with its range, the same words as the app. */
static void
test_levers (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  train_model ();
  rc = run (&out, &err, "levers", "-m", model, data_csv, "--future", future_csv, NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "lever,covariate,change,uplift_pct,uplift_lo,uplift_hi,uplift_units,series");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 + 1);
  for (guint i = 1; i <= 2; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double pct = g_ascii_strtod (f[3], NULL), lo = g_ascii_strtod (f[4], NULL), hi = g_ascii_strtod (f[5], NULL);

      g_assert_cmpuint (g_strv_length (f), ==, 8);
      g_assert_cmpfloat (lo, <=, pct);
      g_assert_cmpfloat (pct, <=, hi);
      if (g_str_equal (f[0], "promotion"))
        {
          g_assert_cmpstr (f[1], ==, "promo");
          /* The tiny model learns little; the change's effect is the
           * network's even where the baselines make the level. */
          g_assert_cmpfloat (pct, >=, 0);
        }
      else
        {
          g_assert_cmpstr (f[0], ==, "price");
          g_assert_cmpstr (f[2], ==, "0.9");
        }
    }
  g_assert_nonnull (strstr (err, "A promotion in every period (promo): +"));
  g_assert_nonnull (strstr (err, "A 10 % lower price (price): "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors: no model. */
  rc = run (&out, &err, "levers", data_csv, NULL);
  g_assert_cmpint (rc, ==, 1);
}

static guint
check_csv (const char *text, guint n_fields)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 1; lines[i] && *lines[i]; i++, n++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (f), ==, n_fields);
      for (guint j = 0; j < n_fields; j++)
        g_assert_cmpuint (strlen (f[j]), >, 0);
    }
  return n;
}

/* The first forecast date of @series in a forecast CSV, or NULL. */
static char *
first_date (const char *text, const char *series)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (series, ",", NULL);

  for (guint i = 1; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strndup (lines[i] + strlen (prefix), 10);
  return NULL;
}

/* Series that end on different dates: by default each is forecast after
 * its own last value, with a note; --common-origin names the series that
 * ended early.  Never an empty cell. */
static void
test_ragged_ends (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 99);
  g_autofree char *ragged = path_in ("ragged.csv"), *csv = path_in ("ragged-forecast.csv");
  g_autofree char *out = NULL, *err = NULL, *text = NULL, *data = NULL, *d = NULL;
  g_autofree char *end1 = iso_date (ds->times[N_TIMES - 6]), *end2 = iso_date (ds->times[N_TIMES - 31]);
  g_autofree char *next1 = iso_date (ds->times[N_TIMES - 5]), *next2 = iso_date (ds->times[N_TIMES - 30]);
  g_autofree char *after = iso_date (tc_frequency_advance (ds->freq, ds->times[N_TIMES - 1], 1));
  g_auto (GStrv) lines = NULL;
  GString *r = g_string_new (NULL);
  int rc;

  train_model ();
  /* sku001 ends 5 weeks early, sku002 30 (more than the context of 16). */
  g_assert_true (g_file_get_contents (data_csv, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", 3);

      if ((g_strcmp0 (f[0], "sku001") == 0 && strcmp (f[1], end1) > 0)
          || (g_strcmp0 (f[0], "sku002") == 0 && strcmp (f[1], end2) > 0))
        continue;
      g_string_append_printf (r, "%s\n", lines[i]);
    }
  g_assert_true (g_file_set_contents (ragged, r->str, -1, NULL));
  g_string_free (r, TRUE);

  rc = run (&out, &err, "forecast", "-m", model, ragged, "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (err, "end on different dates"));
  g_assert_nonnull (strstr (err, "its own last value"));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpuint (check_csv (text, 7), ==, N_SERIES * H);
  d = first_date (text, "sku001");
  g_assert_cmpstr (d, ==, next1);
  g_free (d);
  d = first_date (text, "sku002");
  g_assert_cmpstr (d, ==, next2);
  g_free (d);
  d = first_date (text, "sku000");
  g_assert_cmpstr (d, ==, after);
  g_clear_pointer (&d, g_free);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One common origin: sku001 forecasts across its gap, sku002 cannot;
   * both are named with their last dates, and sku002 has no rows. */
  rc = run (&out, &err, "forecast", "-m", model, ragged, "-o", csv, "--common-origin", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_null (strstr (err, "end on different dates"));
  g_assert_nonnull (strstr (err, "“sku001” ends on"));
  g_assert_nonnull (strstr (err, end1));
  g_assert_nonnull (strstr (err, "“sku002” ends on"));
  g_assert_nonnull (strstr (err, end2));
  g_assert_nonnull (strstr (err, "no rows written"));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpuint (check_csv (text, 7), ==, (N_SERIES - 1) * H);
  d = first_date (text, "sku001");
  g_assert_cmpstr (d, ==, after);
  g_clear_pointer (&d, g_free);
  g_assert_null (first_date (text, "sku002"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A chart of the total and of a series that ended early. */
  {
    g_autofree char *png = path_in ("ragged.png");

    rc = run (&out, &err, "plot", "-m", model, ragged, "-o", png, NULL);
    g_test_message ("%s%s", out, err);
    g_assert_cmpint (rc, ==, 0);
    g_assert_nonnull (strstr (err, "end on different dates"));
    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    rc = run (&out, &err, "plot", "-m", model, ragged, "-o", png, "--series", "sku002", NULL);
    g_test_message ("%s%s", out, err);
    g_assert_cmpint (rc, ==, 0);
    g_assert_nonnull (strstr (out, "sku002: Next 6 weeks"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_unlink (png);
  }

  /* A scenario: FUTURE plans the dates after the data, not those after
   * sku001's own end, which the error names. */
  rc = run (&out, &err, "scenario", "-m", model, ragged, "--future", future_csv, "--set", "promo=1@..",
            "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "sku001"));
  g_assert_nonnull (strstr (err, next1));
  g_assert_nonnull (strstr (err, "--common-origin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* With a common origin it runs; sku002 is named and left out. */
  rc = run (&out, &err, "scenario", "-m", model, ragged, "--future", future_csv, "--set", "promo=1@..",
            "--common-origin", "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (err, "“sku002” ends on"));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpuint (check_csv (text, 16), ==, (N_SERIES - 1) * H);
  g_assert_null (first_date (text, "sku002"));
  g_unlink (csv);
  g_unlink (ragged);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int r;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("tc-cli-pipeline-XXXXXX", &error);
  g_assert_no_error (error);
  data_csv = path_in ("data.csv");
  future_csv = path_in ("future.csv");
  model = path_in ("model.tcm");
  write_data ();
  g_test_add_func ("/cli/train-forecast", test_train_and_forecast);
  g_test_add_func ("/cli/forecast-errors", test_forecast_errors);
  g_test_add_func ("/cli/train-errors", test_train_errors);
  g_test_add_func ("/cli/scenario", test_scenario);
  g_test_add_func ("/cli/levers", test_levers);
  g_test_add_func ("/cli/ragged-ends", test_ragged_ends);
  r = g_test_run ();
  g_unlink (data_csv);
  g_unlink (future_csv);
  g_unlink (model);
  g_rmdir (dir);
  g_free (data_csv);
  g_free (future_csv);
  g_free (model);
  g_free (dir);
  return r;
}
