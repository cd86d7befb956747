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
#include "tc-cli-pipeline.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-session.h"

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
  g_assert_cmpstr (lines[0], ==, "series,date,p10,p50,p90");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N_SERIES * H + 1);   /* trailing newline */
  g_assert_true (g_str_has_prefix (lines[1], "sku000,2023-05-0"));   /* the week after the data */
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double p10, p50, p90;

      g_assert_cmpuint (g_strv_length (f), ==, 5);
      p10 = g_ascii_strtod (f[2], NULL);
      p50 = g_ascii_strtod (f[3], NULL);
      p90 = g_ascii_strtod (f[4], NULL);
      g_assert_cmpfloat (p10, >=, 0);
      g_assert_cmpfloat (p10, <=, p50);
      g_assert_cmpfloat (p50, <=, p90);
    }

  /* --bf16: the same rows, values within a few percent (exactly the
   * same where the CPU lacks AVX512-BF16). */
  {
    g_autofree char *csv2 = path_in ("forecast-bf16.csv"), *text2 = NULL;
    g_auto (GStrv) lines2 = NULL;
    double worst = 0;

    g_free (out);
    g_free (err);
    rc = run (&out, &err, "forecast", "--bf16", "-m", model, data_csv, "--future", future_csv,
              "-o", csv2, NULL);
    g_assert_cmpint (rc, ==, 0);
    g_assert_true (g_file_get_contents (csv2, &text2, NULL, NULL));
    lines2 = g_strsplit (text2, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines2), ==, g_strv_length (lines));
    for (guint i = 1; lines[i] && *lines[i]; i++)
      {
        g_auto (GStrv) a = g_strsplit (lines[i], ",", -1);
        g_auto (GStrv) b = g_strsplit (lines2[i], ",", -1);

        g_assert_cmpstr (a[0], ==, b[0]);
        g_assert_cmpstr (a[1], ==, b[1]);
        for (guint k = 2; k < 5; k++)
          {
            double x = g_ascii_strtod (a[k], NULL), y = g_ascii_strtod (b[k], NULL);

            worst = MAX (worst, fabs (x - y) / MAX (fabs (x), 1.0));
          }
      }
    g_test_message ("--bf16: largest relative difference %.3g", worst);
    g_assert_cmpfloat (worst, <, 0.05);
    g_unlink (csv2);
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
  g_assert_cmpstr (lines[0], ==, "series,date,baseline_p10,baseline_p50,baseline_p90,scenario_p10,"
                   "scenario_p50,scenario_p90,uplift_units,baseline_price,scenario_price,uplift_revenue");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + H + 1);
  for (guint i = 1; i <= H; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double bp = g_ascii_strtod (f[9], NULL), sp = g_ascii_strtod (f[10], NULL);

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
  /* Price and promotion move on their own here: no price-alone caution. */
  g_assert_null (strstr (err, "always moved together"));
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
  g_assert_cmpuint (check_csv (text, 5), ==, N_SERIES * H);
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
  g_assert_cmpuint (check_csv (text, 5), ==, (N_SERIES - 1) * H);
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
  g_assert_cmpuint (check_csv (text, 12), ==, (N_SERIES - 1) * H);
  g_assert_null (first_date (text, "sku002"));
  g_unlink (csv);
  g_unlink (ragged);
}

/* -- the app and the command line agree ------------------------------------ */

static void
import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  tc_session_import_finish (TC_SESSION (source), result, error);
  g_main_context_wakeup (NULL);
}

/* The app's way to the forecast: the Data page imports with the roles the
 * user chose (async), the model is opened, the Scenarios page reads the
 * plan (tc_session_read_future), the Forecast page asks the session. */
static TcSession *
app_session (const char *model_path)
{
  TcSession *session = tc_session_new ();
  g_autoptr (GFile) file = g_file_new_for_path (data_csv);
  g_autoptr (GError) error = NULL;
  TcImportOptions opts;
  TcForecaster *fc;

  tc_import_options_init (&opts);
  opts.known_cols = g_strsplit ("promo,price", ",", -1);
  opts.static_cols = g_strsplit ("category", ",", -1);
  tc_session_import_async (session, file, &opts, NULL, NULL, NULL, import_done, &error);
  while (tc_session_get_dataset (session) == NULL && error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  tc_import_options_clear (&opts);
  fc = tc_forecaster_load (model_path, &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (session, fc);
  g_assert_true (tc_session_read_future (session, future_csv, NULL, &error));
  g_assert_no_error (error);
  return session;
}

static void
assert_same_forecast (const TcForecast *a, const TcForecast *b)
{
  gsize n = (gsize) a->n_series * a->horizon * a->n_quantiles;

  g_assert_cmpuint (a->n_series, ==, b->n_series);
  g_assert_cmpuint (a->horizon, ==, b->horizon);
  g_assert_cmpuint (a->n_quantiles, ==, b->n_quantiles);
  for (guint s = 0; s < a->n_series; s++)
    {
      g_assert_cmpuint (tc_forecast_series_origin (a, s), ==, tc_forecast_series_origin (b, s));
      g_assert_cmpmem (tc_forecast_series_times (a, s), sizeof (gint64) * a->horizon,
                       tc_forecast_series_times (b, s), sizeof (gint64) * b->horizon);
    }
  g_assert_cmpmem (a->values, sizeof (double) * n, b->values, sizeof (double) * n);
}

/* Same files in, the same numbers out, bit for bit: the forecast, the
 * totals of every level, a scenario; and the CLI binary's CSV is the
 * app's forecast written out. */
static void
check_parity (const char *model_path, gboolean network_alone)
{
  g_autoptr (TcSession) app = NULL;
  g_autoptr (TcSession) cli = NULL;
  g_autoptr (TcForecast) f_cli = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *csv = path_in ("parity.csv"), *text = NULL;
  g_autoptr (GString) expect = g_string_new ("series,date,p10,p50,p90\n");
  TcImportOptions opts;
  const TcForecast *f_app;
  const TcDataset *ds;
  int rc;

  app = app_session (model_path);
  f_app = tc_session_get_forecast (app, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_session_get_n_assumed (app), ==, 0);   /* the plan is complete */

  tc_import_options_init (&opts);
  g_assert_cmpint (tc_cli_open_session (model_path, data_csv, future_csv, &opts, &cli), ==, 0);
  tc_import_options_clear (&opts);
  f_cli = tc_cli_predict (cli, FALSE, TC_ORIGIN_PER_SERIES, &error);
  g_assert_no_error (error);
  assert_same_forecast (f_app, f_cli);

  /* Totals of every level (the Forecast page and “plot”). */
  ds = tc_session_get_dataset (app);
  for (int kind = TC_EXPLORE_LEVEL_SERIES; kind <= TC_EXPLORE_LEVEL_TOTAL; kind++)
    {
      int attr = kind == TC_EXPLORE_LEVEL_ATTRIBUTE ? 0 : -1;
      g_autoptr (TcExploreLevel) la = tc_explore_level_new (ds, tc_session_get_future (app), f_app, kind, attr,
                                                            TC_EXPLORE_INDEPENDENT, &error);
      g_autoptr (TcExploreLevel) lc = tc_explore_level_new (tc_session_get_dataset (cli), tc_session_get_future (cli),
                                                            f_cli, kind, attr, TC_EXPLORE_INDEPENDENT, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (la->n_groups, ==, lc->n_groups);
      for (guint g = 0; g < la->n_groups; g++)
        {
          TcExploreSummary sa, sc;

          g_assert_cmpmem (la->groups[g].forecast, sizeof (double) * la->horizon * la->n_quantiles,
                           lc->groups[g].forecast, sizeof (double) * lc->horizon * lc->n_quantiles);
          tc_explore_group_summary (la, g, tc_explore_default_steps (la), &sa);
          tc_explore_group_summary (lc, g, tc_explore_default_steps (lc), &sc);
          g_assert_cmpmem (&sa.next, sizeof (double), &sc.next, sizeof (double));
          g_assert_cmpmem (&sa.next_lo, sizeof (double), &sc.next_lo, sizeof (double));
          g_assert_cmpmem (&sa.next_hi, sizeof (double), &sc.next_hi, sizeof (double));
        }
    }

  /* A scenario: the Scenarios page runs it on its own copy of the model
   * with the plan resolved; “scenario” on the session's model and plan. */
  {
    /* The plan has every promotion on: take them off. */
    TcScenarioEdit edit = { (char *) "promo", TC_SCENARIO_SET, 0.0, G_MININT64, G_MAXINT64, -1 };
    g_autoptr (TcForecaster) engine = tc_forecaster_dup (tc_session_get_forecaster (app));
    g_autoptr (TcDataset) plan = tc_future_plan_resolve_full (engine, ds, tc_session_get_future (app),
                                                              TC_ORIGIN_PER_SERIES, NULL);
    g_autoptr (TcScenarioResult) ra = tc_forecaster_scenario_full (engine, ds, plan, TC_ORIGIN_PER_SERIES,
                                                                   &edit, 1, &error);
    g_autoptr (TcScenarioResult) rc_ = NULL;
    gsize n = (gsize) N_SERIES * H;

    g_assert_no_error (error);
    rc_ = tc_forecaster_scenario_full (tc_session_get_forecaster (cli), tc_session_get_dataset (cli),
                                       tc_session_get_future (cli), TC_ORIGIN_PER_SERIES, &edit, 1, &error);
    g_assert_no_error (error);
    assert_same_forecast (ra->baseline, rc_->baseline);
    assert_same_forecast (ra->scenario, rc_->scenario);
    g_assert_cmpmem (ra->uplift_units, sizeof (double) * n, rc_->uplift_units, sizeof (double) * n);
    g_assert_nonnull (ra->uplift_revenue);
    g_assert_cmpmem (ra->uplift_revenue, sizeof (double) * n, rc_->uplift_revenue, sizeof (double) * n);
    /* And the scenario's baseline is the session's forecast. */
    assert_same_forecast (ra->baseline, f_app);
    /* The network alone reacts to the promotion: the comparison is not
     * of zeros. */
    if (network_alone)
      {
        double sum = 0;

        for (gsize i = 0; i < n; i++)
          sum += fabs (ra->uplift_units[i]);
        g_assert_cmpfloat (sum, >, 0);
      }
  }

  /* The binary writes the app's numbers. */
  rc = run (&out, &err, "forecast", "-m", model_path, data_csv, "--future", future_csv, "-o", csv, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpuint (f_app->n_quantiles, ==, 3);
  for (guint s = 0; s < f_app->n_series; s++)
    for (guint h = 0; h < f_app->horizon; h++)
      {
        g_autofree char *d = tc_frequency_format_time (ds->freq, tc_forecast_series_times (f_app, s)[h]);

        g_string_append_printf (expect, "%s,%s", ds->series_ids[s], d);
        for (guint q = 0; q < f_app->n_quantiles; q++)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append_printf (expect, ",%s", g_ascii_formatd (buf, sizeof buf, "%.6g",
                                                                     f_app->values[((gsize) s * H + h) * f_app->n_quantiles + q]));
          }
        g_string_append_c (expect, '\n');
      }
  g_assert_cmpstr (text, ==, expect->str);
  g_unlink (csv);
}

static void
test_app_parity (void)
{
  g_autofree char *out = NULL, *err = NULL, *net = path_in ("network.tcm");
  int rc;

  /* The model of the other tests, its safety net and calibration on. */
  train_model ();
  check_parity (model, FALSE);
  /* The network alone, so that the scenario moves the forecast. */
  rc = run (&out, &err, "train", data_csv, "-o", net, "--known", "promo,price", "--static", "category",
            "--horizon", "6", "--context", "16", "--patch", "4", "--d-model", "16", "--heads", "2",
            "--layers", "1", "--d-ff", "32", "--max-epochs", "2", "--steps-per-epoch", "4",
            "--batch", "8", "--threads", "1", "--no-safety-net", "--quiet", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  check_parity (net, TRUE);
  g_unlink (net);
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
  g_test_add_func ("/cli/app-parity", test_app_parity);
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
