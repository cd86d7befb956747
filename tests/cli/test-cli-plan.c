/* test-cli-plan.c — trendcast-cli plan end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tiny model trained for a few steps on generated data: this checks
 * the plumbing (stock from a file or a column, the CSV, the words, the
 * errors); test-orders checks the arithmetic.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli-run.h"
#include "core/tc-synth.h"

#define N_SERIES 6
#define N_TIMES 70
#define H 6

static char *dir;
static char *data_csv, *model, *stock_csv;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_data (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 7);
  GString *s = g_string_new ("series,date,units,promo,price,category,stock\n");

  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < N_TIMES; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");
        double y = tc_dataset_target_row (ds, i)[t];

        g_autofree char *units = NULL;

        if (isnan (y))
          continue;
        /* sku005 is new: seven weeks of sales, its prices and promotions
         * known before. */
        units = i == 5 && t < N_TIMES - 7 ? g_strdup ("") : g_strdup_printf ("%.0f", y);
        /* Stock: 10 units per series number, known each week. */
        g_string_append_printf (s, "%s,%s,%s,%.0f,%.2f,%s,%u\n", ds->series_ids[i], d, units,
                                tc_dataset_known_row (ds, 0, i)[t], tc_dataset_known_row (ds, 1, i)[t],
                                ds->static_values[i], 10 * i);
      }
  g_assert_true (g_file_set_contents (data_csv, s->str, -1, NULL));
  g_string_free (s, TRUE);
  /* Every series but the last; one id that is no series. */
  g_assert_true (g_file_set_contents (stock_csv,
                                      "sku,stock,on_order\nsku000,5,0\nsku001,0,3\nsku002,1000,0\n"
                                      "sku003,20,\nsku004,7,1\nnot-a-sku,4,0\n", -1, NULL));
}

static void
train_model (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  rc = run (&out, &err, "train", data_csv, "-o", model, "--known", "promo,price", "--static", "category",
            "--ignore", "stock", "--horizon", "6", "--context", "16", "--patch", "4", "--d-model", "16",
            "--heads", "2", "--layers", "1", "--d-ff", "32", "--max-epochs", "2", "--steps-per-epoch", "4",
            "--batch", "8", "--threads", "1",
            /* Three levels: the column positions below are written for them. */
            "--quantiles", "0.1,0.5,0.9", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
}

static void
test_plan (void)
{
  g_autofree char *out = NULL, *err = NULL, *csv = path_in ("plan.csv"), *text = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock", stock_csv, "--lead-time", "2",
            "--review", "2", "--service-level", "0.9", "-o", csv, "--explain", "2", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "series,stock,on_order,position,demand_p10,demand_p50,demand_p90,order_up_to,order,"
                                 "risk_before_arrival,risk_end,expected_leftover,expected_short,cover_steps,"
                                 "risk_1,risk_2,risk_3,risk_4");
  /* Five series with stock; sku005 has none. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      double position, p10, p50, p90, s, order, risk_end;

      g_assert_cmpuint (g_strv_length (f), ==, 18);
      position = g_ascii_strtod (f[3], NULL);
      p10 = g_ascii_strtod (f[4], NULL);
      p50 = g_ascii_strtod (f[5], NULL);
      p90 = g_ascii_strtod (f[6], NULL);
      s = g_ascii_strtod (f[7], NULL);
      order = g_ascii_strtod (f[8], NULL);
      risk_end = g_ascii_strtod (f[10], NULL);
      g_assert_cmpfloat (p10, <=, p50);
      g_assert_cmpfloat (p50, <=, p90);
      /* At 90 % the order-up-to level is the P90 of the period. */
      g_assert_cmpfloat (fabs (s - p90), <=, 1e-3 * MAX (1, p90));
      g_assert_cmpfloat (order, ==, position >= s ? 0 : ceil (s - position - 1e-9));
      g_assert_cmpfloat (risk_end, <=, 0.1 + 1e-6);
    }
  g_assert_true (g_str_has_prefix (lines[3], "sku002,1000,0,1000,"));
  /* The words on standard output, the warnings on standard error. */
  g_assert_nonnull (strstr (out, "Order-up-to level"));
  g_assert_nonnull (strstr (out, "in all, for"));
  g_assert_nonnull (strstr (out, "(3 more series in the CSV"));
  g_assert_nonnull (strstr (err, "“not-a-sku” of the stock file is no series"));
  g_assert_nonnull (strstr (err, "no stock for series “sku005”"));
  g_unlink (csv);
}

static void
test_plan_stock_column (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock-col", "stock", "--observed", "stock",
            "--lead-time", "0", "--review", "1", "--shortage-cost", "3", "--holding-cost", "1",
            "--explain", "0", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  /* CSV on standard output: every series, stock 10 × its number. */
  g_assert_true (g_str_has_prefix (out, "series,stock,"));
  g_assert_nonnull (strstr (out, "\nsku005,50,0,50,"));
  g_assert_nonnull (strstr (err, "in all, for"));
}

static void
test_plan_errors (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  /* No stock at all. */
  rc = run (&out, &err, "plan", "-m", model, data_csv, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock", stock_csv, "--service-level", "95", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock", stock_csv, "--shortage-cost", "3", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Longer than the horizon of 6 weeks. */
  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock", stock_csv, "--lead-time", "4", "--review", "4", NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "8 weeks"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plan", "-m", model, data_csv, "--stock-col", "inventory", NULL);
  g_assert_cmpint (rc, ==, 2);
}

static void
test_hot (void)
{
  g_autofree char *out = NULL, *err = NULL, *csv = path_in ("hot.csv"), *borrowed = path_in ("new.csv");
  g_autofree char *text = NULL, *btext = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  rc = run (&out, &err, "hot", "-m", model, data_csv, "-o", csv, "--borrowed", borrowed, "--top", "2", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "rank,series,source,age,recent,next_p10,next_p50,next_p90,growth_p10,growth_p50,"
                                 "growth_p90,chance_of_growth,analogues");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N_SERIES + 1);
  g_assert_true (g_str_has_prefix (lines[1], "1,"));
  /* The new product last, borrowed from the other "home" product. */
  g_assert_true (g_str_has_prefix (lines[N_SERIES], "6,sku005,borrowed,7,"));
  g_assert_true (g_str_has_suffix (lines[N_SERIES], ",sku002"));
  g_assert_true (g_file_get_contents (borrowed, &btext, NULL, NULL));
  g_assert_true (g_str_has_prefix (btext, "series,date,p10,p50,p90,source,analogues\nsku005,"));
  g_assert_nonnull (strstr (out, "Growing fastest over the next 4 weeks:"));
  g_assert_nonnull (strstr (out, "Falling fastest over the next 4 weeks:"));
  g_assert_nonnull (strstr (out, "sku005: New product (7 weeks of sales): forecast borrowed from 1 similar product (category home)"));
  g_unlink (csv);
  g_unlink (borrowed);
}

static void
test_effects (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  rc = run (&out, &err, "effects", data_csv, "--series-col", "series", "--known", "promo,price", "--ignore", "stock", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_str_has_prefix (out, "covariate,kind,scale,coef,se,p10,p90,status\n"));
  g_assert_nonnull (strstr (out, "\npromo,promotion,linear,"));
  g_assert_nonnull (strstr (out, "\nprice,price,log,"));
  g_assert_nonnull (strstr (err, "“price”: a 10 % lower price changes sales by"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "effects", data_csv, "--competitor", "nope", NULL);
  g_assert_cmpint (rc, ==, 1);
}

static void
test_compare (void)
{
  g_autofree char *out = NULL, *err = NULL, *book = path_in ("book.ini"), *text = NULL;
  g_auto (GStrv) lines = NULL;
  int rc;

  g_unlink (book);
  /* An empty book: nothing to compare yet. */
  rc = run (&out, &err, "compare", "-m", model, data_csv, "--book", book, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "compare", "-m", model, data_csv, "--book", book, "--add", "Promo", "--set", "promo=1", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "compare", "-m", model, data_csv, "--book", book, "--add", "Dear", "--set", "price*1.2", NULL);
  g_test_message ("%s\n%s", out, err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (book, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "[Promo]\nedits=promo=1;"));
  g_assert_nonnull (strstr (text, "[Dear]\nedits=price*1.2;"));
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "scenario,units_p10,units_p50,units_p90,uplift_p10,uplift_p50,uplift_p90,revenue,"
                                 "uplift_revenue,margin,uplift_margin");
  g_assert_true (g_str_has_prefix (lines[1], "Baseline,"));
  g_assert_true (g_str_has_prefix (lines[2], "Promo,"));
  g_assert_true (g_str_has_prefix (lines[3], "Dear,"));
  g_assert_nonnull (strstr (err, "Promo: "));
  g_assert_nonnull (strstr (err, "on the baseline"));
  g_assert_nonnull (strstr (err, "the history alone suggests"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "compare", "-m", model, data_csv, "--book", book, "--add", "Bad", "--set", "nope=1", NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "compare", "-m", model, data_csv, "--book", book, "--remove", "Bad", NULL);
  g_assert_cmpint (rc, ==, 0);
  g_unlink (book);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int r;

  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("tc-cli-plan-XXXXXX", &error);
  g_assert_no_error (error);
  data_csv = path_in ("data.csv");
  model = path_in ("model.tcm");
  stock_csv = path_in ("stock.csv");
  write_data ();
  train_model ();
  g_test_add_func ("/cli/plan", test_plan);
  g_test_add_func ("/cli/plan-stock-column", test_plan_stock_column);
  g_test_add_func ("/cli/plan-errors", test_plan_errors);
  g_test_add_func ("/cli/hot", test_hot);
  g_test_add_func ("/cli/effects", test_effects);
  g_test_add_func ("/cli/compare", test_compare);
  r = g_test_run ();
  g_unlink (data_csv);
  g_unlink (model);
  g_unlink (stock_csv);
  g_rmdir (dir);
  g_free (data_csv);
  g_free (model);
  g_free (stock_csv);
  g_free (dir);
  return r;
}
