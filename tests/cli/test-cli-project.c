/* test-cli-project.c — trendcast-cli forecast, scenario and levers read projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project stands for -m MODEL DATA: its output must be byte for byte
 * what the model file and the data give, and its scenario changes what
 * the same --set edits give.
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tc-error.h"
#include "tc-future-plan.h"
#include "tc-project.h"
#include "cli/cli-run.h"
#include "faults.h"
#include "project-fixture.h"

static char *tmpdir, *csv_path, *model_path, *project_path, *changes_path, *future_path;
static char *from_date, *to_date;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = NULL;
  g_autoptr (TcProject) p = NULL;
  g_autoptr (GDateTime) a = NULL, b = NULL;
  const TcDataset *ds;

  tmpdir = g_dir_make_tmp ("tc-cli-project-XXXXXX", NULL);
  csv_path = g_build_filename (tmpdir, "data.csv", NULL);
  model_path = g_build_filename (tmpdir, "model.tcm", NULL);
  project_path = g_build_filename (tmpdir, "p.trendcast", NULL);
  changes_path = g_build_filename (tmpdir, "changes.trendcast", NULL);
  write_csv (csv_path);
  session = trained_session (csv_path);
  /* Without a plan: -m MODEL DATA has none either. */
  tc_session_set_future (session, NULL);
  g_assert_true (tc_forecaster_save (tc_session_get_forecaster (session), model_path, &error));
  p = tc_project_capture (session, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_save (p, project_path, &error));

  /* The plan the project's scenario assumes, as a FUTURE file. */
  {
    g_autoptr (TcDataset) f = tc_future_plan_resolve_full (tc_session_get_forecaster (session),
                                                           tc_session_get_dataset (session), NULL,
                                                           TC_ORIGIN_PER_SERIES, NULL);
    GString *csv = g_string_new ("date,sku,promo,price\n");

    for (guint s = 0; s < f->n_series; s++)
      for (guint t = 0; t < f->n_times; t++)
        {
          g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (f->times[t]);
          g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");
          char p1[G_ASCII_DTOSTR_BUF_SIZE], p2[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (csv, "%s,%s,%s,%s\n", d, f->series_ids[s],
                                  g_ascii_dtostr (p1, sizeof p1, tc_dataset_known_row (f, 0, s)[t]),
                                  g_ascii_dtostr (p2, sizeof p2, tc_dataset_known_row (f, 1, s)[t]));
        }
    future_path = g_build_filename (tmpdir, "future.csv", NULL);
    g_assert_true (g_file_set_contents (future_path, csv->str, (gssize) csv->len, NULL));
    g_string_free (csv, TRUE);
  }
  /* A 20 % lower price on the second and third forecast dates. */
  ds = tc_session_get_dataset (session);
  a = g_date_time_new_from_unix_utc (ds->times[ds->n_times - 1] + 7 * 86400);
  b = g_date_time_new_from_unix_utc (ds->times[ds->n_times - 1] + 14 * 86400);
  from_date = g_date_time_format (a, "%Y-%m-%d");
  to_date = g_date_time_format (b, "%Y-%m-%d");
  tc_project_add_change (p, TC_LEVER_PRICE, NULL, 0.8, g_date_time_to_unix (a), g_date_time_to_unix (b));
  g_assert_true (tc_project_save (p, changes_path, &error));
  g_assert_no_error (error);
}

static void
test_forecast (void)
{
  g_autofree char *out1 = NULL, *out2 = NULL, *err1 = NULL, *err2 = NULL;

  g_assert_cmpint (run (&out1, &err1, "forecast", "-m", model_path, csv_path, NULL), ==, 0);
  g_assert_cmpint (run (&out2, &err2, "forecast", project_path, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out1, "series,date,p10"));
  g_assert_cmpstr (out2, ==, out1);
}

static void
test_scenario (void)
{
  g_autofree char *set = g_strdup_printf ("price*0.8@%s..%s", from_date, to_date);
  g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL, *err = NULL;

  if (run (&out1, &err, "scenario", "-m", model_path, csv_path, "--future", future_path,
            "--set", set, NULL) != 0)
    g_error ("%s", err);
  g_clear_pointer (&err, g_free);
  /* The project's own changes… */
  g_assert_cmpint (run (&out2, &err, "scenario", changes_path, NULL), ==, 0);
  g_assert_cmpstr (out2, ==, out1);
  g_clear_pointer (&err, g_free);
  /* …or --set in their place. */
  g_assert_cmpint (run (&out3, &err, "scenario", project_path, "--set", set, NULL), ==, 0);
  g_assert_cmpstr (out3, ==, out1);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out3, g_free);
  /* A project without changes needs --set. */
  g_assert_cmpint (run (&out3, &err, "scenario", project_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--set"));
}

static void
test_levers (void)
{
  g_autofree char *out1 = NULL, *out2 = NULL, *err1 = NULL, *err2 = NULL;

  g_assert_cmpint (run (&out1, &err1, "levers", "-m", model_path, csv_path, NULL), ==, 0);
  g_assert_cmpint (run (&out2, &err2, "levers", project_path, NULL), ==, 0);
  g_assert_cmpstr (out2, ==, out1);
}

/* The commands of main that open a model and data take a project too. */
static void
test_hot (void)
{
  g_autofree char *out1 = NULL, *out2 = NULL, *err1 = NULL, *err2 = NULL;

  g_assert_cmpint (run (&out1, &err1, "hot", "-m", model_path, csv_path, NULL), ==, 0);
  g_assert_cmpint (run (&out2, &err2, "hot", project_path, NULL), ==, 0);
  g_assert_cmpstr (out2, ==, out1);
}

static void
test_damaged (void)
{
  g_autofree char *contents = NULL, *out = NULL, *err = NULL;
  g_autofree char *cut = g_build_filename (tmpdir, "cut.trendcast", NULL);
  gsize len;

  g_assert_true (g_file_get_contents (project_path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut, contents, (gssize) len / 2, NULL));
  g_assert_cmpint (run (&out, &err, "forecast", cut, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "truncated"));
  g_assert_nonnull (strstr (err, "cut.trendcast"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A CSV without -m is still a usage error. */
  g_assert_cmpint (run (&out, &err, "forecast", csv_path, NULL), ==, 1);
}

/* A project whose news file is gone: a model without news forecasts as
 * before with a warning naming the file; a model that reads the news
 * refuses, naming the file. */
static void
test_news_missing (void)
{
  g_autofree char *gone = g_build_filename (tmpdir, "gone-news.csv", NULL);
  g_autofree char *news = g_build_filename (tmpdir, "news.csv", NULL);
  g_autofree char *plain_news = g_build_filename (tmpdir, "plain-news.trendcast", NULL);
  g_autofree char *reads_news = g_build_filename (tmpdir, "reads-news.trendcast", NULL);
  g_autofree char *out1 = NULL, *err1 = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL, *err3 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = tc_project_load (project_path, &error);

  g_assert_no_error (error);
  p->import_options.news_path = g_strdup (gone);
  g_assert_true (tc_project_save (p, plain_news, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run (&out1, &err1, "forecast", project_path, NULL), ==, 0);
  g_assert_cmpint (run (&out2, &err2, "forecast", plain_news, NULL), ==, 0);
  g_assert_cmpstr (out2, ==, out1);
  g_assert_nonnull (strstr (err2, "warning"));
  g_assert_nonnull (strstr (err2, gone));

  /* The same data with a headline every week, and a model that reads them. */
  {
    g_autoptr (TcSession) session = tc_session_new ();
    g_autoptr (GFile) file = g_file_new_for_path (csv_path);
    g_autoptr (TcProject) q = NULL;
    GString *csv = g_string_new ("date,headline\n");
    TcImportOptions iopts;
    TcForecasterOptions o;
    const TcDataset *ds;
    TcForecaster *fc;

    import_options (&iopts);
    g_assert_true (tc_session_import (session, file, &iopts, NULL, &error));
    g_assert_no_error (error);
    tc_import_options_clear (&iopts);
    ds = tc_session_get_dataset (session);
    for (guint t = 0; t < ds->n_times; t += 2)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");

        g_string_append_printf (csv, "%s,%s\n", d, t % 4 ? "Storm closes roads" : "Markets calm");
      }
    g_assert_true (g_file_set_contents (news, csv->str, (gssize) csv->len, NULL));
    g_string_free (csv, TRUE);
    g_assert_true (tc_session_attach_news (session, news, &error));
    g_assert_no_error (error);
    tc_forecaster_options_init (&o);
    o.horizon = H;
    o.patch = 4;
    o.context = 16;
    o.preset = TC_PRESET_CUSTOM;
    o.d_model = 16;
    o.n_heads = 2;
    o.n_layers = 1;
    o.d_ff = 32;
    o.batch = 16;
    o.max_epochs = 1;
    o.steps_per_epoch = 3;
    o.threads = 1;
    o.text_dim = 4;
    fc = tc_forecaster_train (tc_session_get_dataset (session), &o, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tc_forecaster_get_reads_news (fc));
    tc_session_set_forecaster (session, fc);
    q = tc_project_capture (session, FALSE, &error);
    g_assert_no_error (error);
    g_assert_true (tc_project_save (q, reads_news, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_unlink (news), ==, 0);
  g_assert_cmpint (run (&out3, &err3, "forecast", reads_news, NULL), ==, 2);
  g_assert_nonnull (strstr (err3, "reads the market news"));
  g_assert_nonnull (strstr (err3, news));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  setup ();
  g_test_add_func ("/cli-project/forecast", test_forecast);
  g_test_add_func ("/cli-project/scenario", test_scenario);
  g_test_add_func ("/cli-project/levers", test_levers);
  g_test_add_func ("/cli-project/hot", test_hot);
  g_test_add_func ("/cli-project/damaged", test_damaged);
  g_test_add_func ("/cli-project/news-missing", test_news_missing);
  ret = g_test_run ();
  faults_remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (csv_path);
  g_free (model_path);
  g_free (project_path);
  g_free (changes_path);
  g_free (future_path);
  g_free (from_date);
  g_free (to_date);
  return ret;
}
