/* test-cli-backtest-transformer.c — trendcast-cli backtest --models transformer,…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli-run.h"
#include "core/tc-synth.h"

static char *tmpdir, *data_csv;

/* The synthetic weekly data as a long CSV. */
static void
write_data (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (8, 70, 77);
  g_autoptr (GString) s = g_string_new ("date,sku,units,promo\n");

  for (guint i = 0; i < ds->n_series; i++)
    for (guint t = 0; t < ds->n_times; t++)
      {
        double y = tc_dataset_target_row (ds, i)[t];
        g_autoptr (GDateTime) d = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *date = g_date_time_format (d, "%Y-%m-%d");

        if (isnan (y))
          continue;
        g_string_append_printf (s, "%s,%s,%.0f,%.0f\n", date, ds->series_ids[i], y,
                                tc_dataset_known_row (ds, 0, i)[t]);
      }
  g_assert_true (g_file_set_contents (data_csv, s->str, -1, NULL));
}

static void
check_run (const char *retrain)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *summary;
  int rc;

  rc = run (&out, &err, "backtest", data_csv, "--known", "promo", "-H", "4", "-k", "2",
            "--models", "transformer,snaive", "--retrain", retrain, "--context", "12", "--patch", "2",
            "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32", "--max-epochs", "2",
            "--steps-per-epoch", "4", "--batch", "8", "--threads", "1", "--json", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  /* Training progress goes to stderr, the JSON alone to stdout. */
  g_assert_nonnull (strstr (err, "epoch"));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  summary = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "summary");
  g_assert_cmpuint (json_array_get_length (summary), ==, 2);
  {
    JsonObject *tf = json_array_get_object_element (summary, 0);
    JsonObject *sn = json_array_get_object_element (summary, 1);

    g_assert_cmpstr (json_object_get_string_member (tf, "model"), ==, "transformer");
    g_assert_cmpstr (json_object_get_string_member (sn, "model"), ==, "snaive");
    g_assert_cmpint (json_object_get_int_member (tf, "windows"), ==,
                     json_object_get_int_member (sn, "windows"));
    g_assert_cmpint (json_object_get_int_member (tf, "windows"), >=, 12);
    g_assert_true (isfinite (json_object_get_double_member (tf, "mase")));
    g_assert_cmpfloat (json_object_get_double_member (tf, "mase"), >, 0);
  }
}

static void
test_per_fold (void)
{
  check_run ("per-fold");
}

static void
test_reuse (void)
{
  check_run ("reuse");
}

static void
test_usage_errors (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (&out, &err, "backtest", data_csv, "-H", "4", "--models", "transformer",
                        "--retrain", "sometimes", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "per-fold or reuse"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "backtest", data_csv, "-H", "4", "--models", "transformer,transformer",
                        NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "backtest", data_csv, "-H", "4", "--models", "transformer",
                        "--preset", "huge", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "huge"));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("tc-cli-bt-XXXXXX", NULL);
  data_csv = g_build_filename (tmpdir, "data.csv", NULL);
  write_data ();
  g_test_add_func ("/cli/backtest-transformer/per-fold", test_per_fold);
  g_test_add_func ("/cli/backtest-transformer/reuse", test_reuse);
  g_test_add_func ("/cli/backtest-transformer/usage", test_usage_errors);
  rc = g_test_run ();
  g_unlink (data_csv);
  g_rmdir (tmpdir);
  g_free (data_csv);
  g_free (tmpdir);
  return rc;
}
