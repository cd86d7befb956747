/* test-cli-text.c — trendcast-cli train / forecast / backtest with --text-col
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cli/cli-run.h"

static char *tmpdir, *data_csv;

/* Daily sales of three products with reviews in English, Portuguese and
 * Chinese; a bad review lowers the next week. */
static void
write_data (void)
{
  g_autoptr (GString) s = g_string_new ("date,sku,units,review\n");
  g_autoptr (GRand) rng = g_rand_new_with_seed (5);
  g_autoptr (GError) error = NULL;
  static const char *good[] = { "\"Great quality, will buy again\"", "ótimo produto", "质量很好，会回购" };
  static const char *bad[] = { "Arrived broken", "não gostei", "质量太差，不会再买" };

  for (guint p = 0; p < 3; p++)
    {
      guint penalty = 0;

      for (guint t = 0; t < 150; t++)
        {
          g_autoptr (GDateTime) d = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
          g_autoptr (GDateTime) day = g_date_time_add_days (d, t);
          g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
          gboolean episode = (t + 11 * p) % 40 < 3;
          double mu = (20 + 10 * p) * (penalty ? 0.6 : 1.0);
          const char *review = "";

          if (penalty)
            penalty--;
          if (episode)
            {
              review = bad[p];
              penalty = 7;
            }
          else if (g_rand_double (rng) < 0.2)
            review = good[p];
          g_string_append_printf (s, "%s,P%u,%.0f,%s\n", date, p, mu + g_rand_int_range (rng, -3, 4), review);
        }
    }
  g_assert_true (g_file_set_contents (data_csv, s->str, -1, &error));
  g_assert_no_error (error);
}

static guint8
model_version (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 12);
  return (guint8) bytes[8];
}

static void
test_text_col (void)
{
  g_autofree char *model = g_build_filename (tmpdir, "text.tcm", NULL);
  g_autofree char *plain = g_build_filename (tmpdir, "plain.tcm", NULL);
  g_autofree char *fc = g_build_filename (tmpdir, "fc.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *csv = NULL;
  static const char *train_args[] = { "--horizon", "7", "--context", "28", "--patch", "7",
                                      "--max-epochs", "2", "--steps-per-epoch", "10", "--d-model", "16",
                                      "--heads", "2", "--layers", "1", "--d-ff", "32", "--threads", "1",
                                      "-q", NULL };
  int rc;

  rc = run (&out, &err, "train", data_csv, "-o", model, "--text-col", "review",
            train_args[0], train_args[1], train_args[2], train_args[3], train_args[4], train_args[5],
            train_args[6], train_args[7], train_args[8], train_args[9], train_args[10], train_args[11],
            train_args[12], train_args[13], train_args[14], train_args[15], train_args[16], train_args[17],
            train_args[18], train_args[19], train_args[20], NULL);
  g_assert_cmpint (rc, ==, 0);
  /* The text layer is in the model: format version 2. */
  g_assert_cmpuint (model_version (model), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Without --text-col the review column is imported but not learnt from:
   * version 1, readable by older builds. */
  rc = run (&out, &err, "train", data_csv, "-o", plain,
            train_args[0], train_args[1], train_args[2], train_args[3], train_args[4], train_args[5],
            train_args[6], train_args[7], train_args[8], train_args[9], train_args[10], train_args[11],
            train_args[12], train_args[13], train_args[14], train_args[15], train_args[16], train_args[17],
            train_args[18], train_args[19], train_args[20], NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_cmpuint (model_version (plain), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = run (&out, &err, "forecast", "-m", model, data_csv, "--text-col", "review", "-o", fc, NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (fc, &csv, NULL, NULL));
  {
    g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);

    /* Header and 3 series x 7 days (and the final newline). */
    g_assert_cmpuint (g_strv_length (lines), ==, 23);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --text-signal: a row per day from the first with a patch (7 days)
   * of history, the effect being with / without - 1. */
  {
    g_autofree char *sig_csv = g_build_filename (tmpdir, "signal.csv", NULL);
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;
    guint n_moved = 0;

    rc = run (&out, &err, "forecast", "-m", model, data_csv, "--text-col", "review", "-o", fc,
              "--text-signal", sig_csv, "--signal-series", "P1", NULL);
    g_assert_cmpint (rc, ==, 0);
    g_assert_nonnull (strstr (err, "Text signal of P1: the reviews moved the forecast of the next"));
    g_assert_true (g_file_get_contents (sig_csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "period,reviews,with_text,without_text,effect");
    /* 150 days, the first 6 without a forecast, and the final newline. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 150 - 6 + 1);
    g_assert_true (g_str_has_prefix (lines[1], "2024-01-07,"));
    for (guint i = 1; lines[i] && *lines[i]; i++)
      {
        g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
        double with, without, effect;

        g_assert_cmpuint (g_strv_length (f), ==, 5);
        with = g_ascii_strtod (f[2], NULL);
        without = g_ascii_strtod (f[3], NULL);
        effect = g_ascii_strtod (f[4], NULL);
        g_assert_cmpfloat (with, >, 0);
        g_assert_cmpfloat_with_epsilon (effect, with / without - 1, 1e-4 + 1e-4 * fabs (effect));
        n_moved += effect != 0;
      }
    g_assert_cmpuint (n_moved, >, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    /* A model that does not read the reviews has no signal to give. */
    rc = run (&out, &err, "forecast", "-m", plain, data_csv, "-o", fc, "--text-signal", sig_csv, NULL);
    g_assert_cmpint (rc, ==, 2);
    g_assert_nonnull (strstr (err, "does not read review text"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    rc = run (&out, &err, "forecast", "-m", model, data_csv, "-o", fc, "--signal-series", "P1", NULL);
    g_assert_cmpint (rc, ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  rc = run (&out, &err, "backtest", data_csv, "-H", "7", "-k", "2", "--models", "transformer,naive",
            "--text-col", "review", "--context", "28", "--patch", "7", "--max-epochs", "2",
            "--steps-per-epoch", "10", "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32",
            "--threads", "1", "-q", NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_nonnull (strstr (out, "transformer"));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("tc-cli-text-XXXXXX", NULL);
  data_csv = g_build_filename (tmpdir, "reviews.csv", NULL);
  write_data ();
  g_test_add_func ("/cli/text-col", test_text_col);
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
  g_free (tmpdir);
  return rc;
}
