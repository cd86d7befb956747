/* test-loss-chart.c — the Training page's loss chart: best epoch, log
 * ticks, scale mapping, hover and rendering.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "chart-fixture.h"

static void
test_log_ticks (void)
{
  g_autoptr(GArray) few = tc_chart_log_ticks (0.05, 2);
  g_autoptr(GArray) many = tc_chart_log_ticks (1e-4, 10);
  g_autoptr(GArray) none = tc_chart_log_ticks (0, 10);
  static const char *want[] = { "0.05", "0.1", "0.2", "0.5", "1", "2" };
  guint i;

  g_assert_cmpuint (few->len, ==, G_N_ELEMENTS (want));
  for (i = 0; i < few->len; i++)
    g_assert_cmpstr (g_array_index (few, TcChartTick, i).label, ==, want[i]);

  /* Over many decades only the decades are labelled. */
  g_assert_cmpuint (many->len, ==, 6);
  g_assert_cmpstr (g_array_index (many, TcChartTick, 0).label, ==, "1e-04");
  g_assert_cmpstr (g_array_index (many, TcChartTick, 5).label, ==, "10");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_best_and_scale (void)
{
  g_autoptr(TcLossChart) chart = fixture_loss_chart ();
  g_autoptr(TcLossChart) empty = tc_loss_chart_new ();
  TcChartRect p;
  guint best = 0;
  double y1, y01, y001;

  g_assert_cmpuint (tc_loss_chart_get_n (chart), ==, FIX_N_EPOCHS);
  g_assert_false (tc_loss_chart_get_best (empty, NULL));

  /* The validation minimum, not the training one (which keeps falling). */
  g_assert_true (tc_loss_chart_get_best (chart, &best));
  g_assert_cmpuint (best, >=, 20);
  g_assert_cmpuint (best, <=, 30);
  {
    double x[3] = { 1, 2, 3 }, train[3] = { 3, 2, 1 };

    tc_loss_chart_set_data (empty, x, train, NULL, NULL, 3);
    g_assert_true (tc_loss_chart_get_best (empty, &best));
    g_assert_cmpuint (best, ==, 2);
  }

  tc_loss_chart_set_size (chart, 600, 300);
  p = tc_loss_chart_get_plot_rect (chart, 600, 300);
  g_assert_cmpfloat (p.width, >, 400);

  /* Linear: equal steps in value are equal in pixels. */
  y1 = tc_loss_chart_value_to_y (chart, 1.0);
  y01 = tc_loss_chart_value_to_y (chart, 0.1);
  g_assert_cmpfloat (y01, >, y1);
  g_assert_cmpfloat_with_epsilon ((tc_loss_chart_value_to_y (chart, 0.2) - y1) / (y01 - y1), 0.8 / 0.9, 1e-6);

  /* Log: equal ratios are equal in pixels. */
  tc_loss_chart_set_log_scale (chart, TRUE);
  g_assert_true (tc_loss_chart_get_log_scale (chart));
  y1 = tc_loss_chart_value_to_y (chart, 1.0);
  y01 = tc_loss_chart_value_to_y (chart, 0.1);
  y001 = tc_loss_chart_value_to_y (chart, 0.316227766);
  g_assert_cmpfloat_with_epsilon (y001 - y1, (y01 - y1) / 2, 1e-6);

  /* The first and last epochs are at the plot's edges (the log axis has
   * other labels, so the plot moved). */
  p = tc_loss_chart_get_plot_rect (chart, 600, 300);
  g_assert_cmpfloat_with_epsilon (tc_loss_chart_x_to_px (chart, 1), p.x, 1e-6);
  g_assert_cmpfloat_with_epsilon (tc_loss_chart_x_to_px (chart, FIX_N_EPOCHS), p.x + p.width, 1e-6);
}

static void
test_hover (void)
{
  g_autoptr(TcLossChart) chart = fixture_loss_chart ();
  TcLossHoverInfo info;
  TcChartRect p;

  tc_loss_chart_set_size (chart, 600, 300);
  p = tc_loss_chart_get_plot_rect (chart, 600, 300);
  g_assert_true (tc_loss_chart_hover_at (chart, tc_loss_chart_x_to_px (chart, 10) + 2, p.y + 20, &info));
  g_assert_cmpuint (info.index, ==, 9);
  g_assert_cmpfloat (info.x, ==, 10);
  g_assert_true (isfinite (info.train) && isfinite (info.val) && isfinite (info.lr));
  g_assert_cmpfloat (info.val, >, info.train);

  tc_loss_chart_move_hover (chart, -3);
  g_assert_true (tc_loss_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, 6);
  tc_loss_chart_move_hover (chart, -100);
  g_assert_true (tc_loss_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, 0);

  g_assert_false (tc_loss_chart_hover_at (chart, 2, p.y + 20, NULL));
  g_assert_false (tc_loss_chart_get_hover (chart, NULL));
}

typedef struct { int r, g, b; } Px;

static Px
pixel (cairo_surface_t *s, int x, int y)
{
  guint32 v = *(guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + x * 4);
  Px p = { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  return p;
}

static void
test_render (void)
{
  g_autoptr(TcLossChart) chart = fixture_loss_chart ();
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 300);
  cairo_t *cr = cairo_create (s);
  TcChartRect p;
  int x, y, blue = 0, orange = 0, green_col = -1;
  guint best = 0;

  tc_loss_chart_set_size (chart, 600, 300);
  tc_loss_chart_set_log_scale (chart, TRUE);
  p = tc_loss_chart_get_plot_rect (chart, 600, 300);
  tc_loss_chart_render (chart, cr, 600, 300);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (s);

  g_assert_cmpint (pixel (s, 0, 0).r, ==, 255);
  for (y = (int) p.y; y < (int) (p.y + p.height); y++)
    for (x = (int) p.x; x < (int) (p.x + p.width); x++)
      {
        Px c = pixel (s, x, y);

        blue += c.b > 180 && c.r < 120;           /* training, #3584e4 */
        orange += c.r > 200 && c.g < 140 && c.b < 60;  /* validation, #e66100 */
      }
  g_assert_cmpint (blue, >, 300);
  g_assert_cmpint (orange, >, 300);

  /* The best-epoch line is the greenest column of the plot's lower half. */
  {
    int best_count = 0;

    for (x = (int) p.x; x < (int) (p.x + p.width); x++)
      {
        int n = 0;

        for (y = (int) (p.y + p.height / 2); y < (int) (p.y + p.height); y++)
          {
            Px c = pixel (s, x, y);
            n += c.g > c.r + 40 && c.g > c.b + 10;
          }
        if (n > best_count)
          best_count = n, green_col = x;
      }
  }
  g_assert_true (tc_loss_chart_get_best (chart, &best));
  g_assert_cmpfloat (fabs (green_col - tc_loss_chart_x_to_px (chart, best + 1)), <=, 1.5);

  cairo_destroy (cr);
  cairo_surface_destroy (s);
}


/* After the first epoch there is one point per curve: each shows as a
 * dot, not only the best-epoch marker. */
static void
test_render_one_epoch (void)
{
  g_autoptr(TcLossChart) chart = tc_loss_chart_new ();
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 300);
  cairo_t *cr = cairo_create (s);
  TcChartRect p;
  int blue = 0, orange = 0;

  tc_loss_chart_append (chart, 1, 0.8, 0.6, 1e-3);
  tc_loss_chart_set_size (chart, 600, 300);
  p = tc_loss_chart_get_plot_rect (chart, 600, 300);
  tc_loss_chart_render (chart, cr, 600, 300);
  cairo_surface_flush (s);
  for (int y = (int) p.y; y < (int) (p.y + p.height); y++)
    for (int x = (int) p.x; x < (int) (p.x + p.width); x++)
      {
        Px c = pixel (s, x, y);

        blue += c.b > 180 && c.r < 120;
        orange += c.r > 200 && c.g < 140 && c.b < 60;
      }
  g_assert_cmpint (blue, >=, 12);
  g_assert_cmpint (orange, >=, 12);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loss-chart/log-ticks", test_log_ticks);
  g_test_add_func ("/loss-chart/best-and-scale", test_best_and_scale);
  g_test_add_func ("/loss-chart/hover", test_hover);
  g_test_add_func ("/loss-chart/render", test_render);
  g_test_add_func ("/loss-chart/render-one-epoch", test_render_one_epoch);

  return g_test_run ();
}
