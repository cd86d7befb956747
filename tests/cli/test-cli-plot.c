/* test-cli-plot.c — trendcast-cli plot on a tiny model trained by the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli-run.h"
#include "core/tc-synth.h"

#define N_SERIES 6
#define N_TIMES 70
#define H 6

static char *dir, *data_csv, *future_csv, *model;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_data (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 5);
  g_autoptr (TcDataset) fut = synth_future (ds, H, 1);
  GString *s = g_string_new ("series,date,units,promo,price,category\n");
  GString *f = g_string_new ("series,date,promo,price\n");

  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < N_TIMES; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");
        double y = tc_dataset_target_row (ds, i)[t];

        if (!isnan (y))
          g_string_append_printf (s, "%s,%s,%.0f,%.0f,%.2f,%s\n", ds->series_ids[i], d, y,
                                  tc_dataset_known_row (ds, 0, i)[t], tc_dataset_known_row (ds, 1, i)[t],
                                  ds->static_values[i]);
      }
  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < H; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (fut->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");

        g_string_append_printf (f, "%s,%s,%.0f,%.2f\n", fut->series_ids[i], d,
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
            "--batch", "8", "--threads", "1", "-q", "--holdout", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
}

static gboolean
is_bluish (const guint8 *p)
{
  return p[0] > p[2] + 40;  /* B G R A in memory (little endian ARGB32) */
}

static gboolean
is_dark (const guint8 *p)
{
  return p[0] < 110 && p[1] < 110 && p[2] < 110;
}

static void
test_png (void)
{
  g_autofree char *out = NULL, *err = NULL, *png = path_in ("total.png"), *bytes = NULL;
  cairo_surface_t *s;
  const guint8 *d;
  int stride, x, y, w, h, blue_right = 0, blue_left = 0, dark_left = 0;
  gsize len;
  int rc;

  train_model ();
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--future", future_csv, "--total",
            "-o", png, "--width", "900", "--height", "450", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  /* The summary of what was drawn. */
  g_assert_true (g_str_has_prefix (out, "Total: Next 6 weeks: "));
  g_assert_true (g_file_get_contents (png, &bytes, &len, NULL));
  g_assert_cmpint (memcmp (bytes, "\x89PNG\r\n\x1a\n", 8), ==, 0);

  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  g_assert_cmpint (w, ==, 900);
  g_assert_cmpint (h, ==, 450);
  d = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  /* The forecast (blue) is at the right end, the history (dark) left of
   * it; the legend row at the top is left out. */
  for (y = 70; y < h - 30; y++)
    for (x = 60; x < w - 10; x++)
      {
        const guint8 *p = d + y * stride + x * 4;

        if (x > w * 0.85 && is_bluish (p))
          blue_right++;
        if (x < w * 0.6 && is_bluish (p))
          blue_left++;
        if (x < w * 0.6 && is_dark (p))
          dark_left++;
      }
  g_assert_cmpint (blue_right, >, 100);
  g_assert_cmpint (blue_left, ==, 0);
  g_assert_cmpint (dark_left, >, 200);
  cairo_surface_destroy (s);
  g_unlink (png);
}

static void
test_svg_pdf (void)
{
  g_autofree char *out = NULL, *err = NULL, *svg = path_in ("food.svg"), *pdf = path_in ("sku.pdf");
  g_autofree char *text = NULL, *bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;
  int rc;

  train_model ();
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--future", future_csv, "--level", "category=food",
            "-o", svg, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_str_has_prefix (out, "food: Next 6 weeks: "));
  g_assert_true (g_file_get_contents (svg, &text, &len, NULL));
  {
    /* Well-formed XML with an <svg> root of the default size. */
    GMarkupParser parser = { 0 };
    GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);

    g_assert_true (g_markup_parse_context_parse (ctx, text, len, &error));
    g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
    g_assert_no_error (error);
    g_markup_parse_context_free (ctx);
    g_assert_nonnull (strstr (text, "<svg"));
    g_assert_nonnull (strstr (text, "width=\"1200"));
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--future", future_csv, "--series", "sku003",
            "-o", pdf, "--interval", "together", "--dark", NULL);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_file_get_contents (pdf, &bytes, &len, NULL));
  g_assert_cmpint (memcmp (bytes, "%PDF-", 5), ==, 0);
  g_assert_nonnull (g_strstr_len (bytes + len - 32, 32, "%%EOF"));
  g_unlink (svg);
  g_unlink (pdf);
}

static gboolean
is_orange (const guint8 *p)
{
  return p[2] > 180 && p[1] > 60 && p[1] < 150 && p[0] < 80;
}

/* --holdout draws what happened as dots over the forecast, only there. */
static void
test_holdout (void)
{
  g_autofree char *out = NULL, *err = NULL, *png = path_in ("holdout.png");
  cairo_surface_t *s;
  const guint8 *d;
  int stride, x, y, w, h, right = 0, left = 0;
  int rc;

  train_model ();
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--series", "sku001", "--holdout",
            "-o", png, "--width", "800", "--height", "400", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_assert_true (g_str_has_prefix (out, "sku001: Held-out 6 weeks: forecast "));
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  d = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (y = 70; y < h - 30; y++)
    for (x = 60; x < w - 4; x++)
      {
        if (!is_orange (d + y * stride + x * 4))
          continue;
        if (x > w * 0.8)
          right++;
        else if (x < w * 0.6)
          left++;
      }
  g_assert_cmpint (right, >, 20);
  g_assert_cmpint (left, ==, 0);
  cairo_surface_destroy (s);
  g_unlink (png);
}

static void
test_errors (void)
{
  g_autofree char *out = NULL, *err = NULL, *png = path_in ("x.png"), *bmp = path_in ("x.bmp");
  int rc;

  train_model ();
  /* An unknown series names some that exist. */
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--future", future_csv, "--series", "nope", "-o", png, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "nope"));
  g_assert_nonnull (strstr (err, "sku000"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* An unknown static column lists the real ones. */
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--future", future_csv, "--level", "brand=X", "-o", png, NULL);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "category"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Usage errors. */
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--level", "category", "-o", png, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_nonnull (strstr (err, "COLUMN=VALUE"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--total", "--series", "sku000", "-o", png, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plot", "-m", model, data_csv, "-o", bmp, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_nonnull (strstr (err, ".png"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "plot", "-m", model, data_csv, "--interval", "maybe", "-o", png, NULL);
  g_assert_cmpint (rc, ==, 1);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int r;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("tc-cli-plot-XXXXXX", &error);
  g_assert_no_error (error);
  data_csv = path_in ("data.csv");
  future_csv = path_in ("future.csv");
  model = path_in ("model.tcm");
  write_data ();
  g_test_add_func ("/cli/plot/png", test_png);
  g_test_add_func ("/cli/plot/svg-pdf", test_svg_pdf);
  g_test_add_func ("/cli/plot/holdout", test_holdout);
  g_test_add_func ("/cli/plot/errors", test_errors);
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
