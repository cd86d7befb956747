/* test-chart.c — tick arithmetic, viewport, hover, rendering and export of
 * the forecast chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "chart-fixture.h"
#include "tc-error.h"

#include <glib/gstdio.h>
#include <string.h>

/* -- helpers -------------------------------------------------------------- */

typedef struct
{
  int r, g, b;
} Px;

static Px
pixel (cairo_surface_t *s, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint32 v = *(guint32 *) (data + y * stride + x * 4);
  Px p = { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  return p;
}

static cairo_surface_t *
render_to_image (TcChart *chart, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  tc_chart_render (chart, cr, w, h);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static gboolean
is_bluish (Px p)
{
  /* Blue has more green than red; the purple holiday labels do not. */
  return p.b - p.r > 20 && p.b > p.g && p.g > p.r;
}

static gboolean
is_dark (Px p)
{
  return p.r < 100 && p.g < 100 && p.b < 100;
}

static gboolean
is_gray_ink (Px p)
{
  return p.r < 170 && abs (p.r - p.g) < 12 && abs (p.g - p.b) < 12;
}

/* Counts pixels in [x0, x1) × [y0, y1) that satisfy @pred. */
static int
count_in (cairo_surface_t *s, int x0, int x1, int y0, int y1, gboolean (*pred) (Px))
{
  int n = 0, x, y;

  for (y = MAX (y0, 0); y < y1; y++)
    for (x = MAX (x0, 0); x < x1; x++)
      if (pred (pixel (s, x, y)))
        n++;
  return n;
}

/* -- tick arithmetic ------------------------------------------------------ */

static void
test_nice_step (void)
{
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (100, 5), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (1, 5), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (12345, 5), 2500, 1e-9);
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (7, 10), 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (0.003, 3), 0.001, 1e-12);
  g_assert_cmpfloat_with_epsilon (tc_chart_nice_step (450, 10), 50, 1e-9);
  /* Degenerate ranges still give a usable step. */
  g_assert_cmpfloat (tc_chart_nice_step (0, 5), >, 0);
  g_assert_cmpfloat (tc_chart_nice_step (NAN, 5), >, 0);
}

static void
check_string (char *got, const char *want)
{
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_format_values (void)
{
  check_string (tc_chart_format_thousands (12500, 0), "12,500");
  check_string (tc_chart_format_thousands (1234567, 0), "1,234,567");
  check_string (tc_chart_format_thousands (-1234.5, 1), "-1,234.5");
  check_string (tc_chart_format_thousands (999, 0), "999");
  check_string (tc_chart_format_thousands (100000, 0), "100,000");
  check_string (tc_chart_format_thousands (0, 0), "0");
  check_string (tc_chart_format_thousands (-0.0001, 2), "0.00");
  check_string (tc_chart_format_thousands (0.25, 2), "0.25");

  check_string (tc_chart_format_compact (950), "950");
  check_string (tc_chart_format_compact (1000), "1k");
  check_string (tc_chart_format_compact (1200), "1.2k");
  check_string (tc_chart_format_compact (12500), "12.5k");
  check_string (tc_chart_format_compact (3400000), "3.4M");
  check_string (tc_chart_format_compact (999999), "1M");
  check_string (tc_chart_format_compact (-2500), "-2.5k");
  check_string (tc_chart_format_compact (2.1e9), "2.1G");
}

static void
test_value_ticks (void)
{
  g_autoptr(GArray) t = NULL;
  g_autoptr(GArray) c = NULL;
  g_autoptr(GArray) f = NULL;
  double step = 0;

  t = tc_chart_value_ticks (0, 20000, 4, FALSE, &step);
  g_assert_cmpfloat (step, ==, 5000);
  g_assert_cmpuint (t->len, ==, 5);
  g_assert_cmpstr (g_array_index (t, TcChartTick, 0).label, ==, "0");
  g_assert_cmpstr (g_array_index (t, TcChartTick, 1).label, ==, "5,000");
  g_assert_cmpstr (g_array_index (t, TcChartTick, 4).label, ==, "20,000");

  c = tc_chart_value_ticks (0, 3e6, 3, TRUE, &step);
  g_assert_cmpfloat (step, ==, 1e6);
  g_assert_cmpstr (g_array_index (c, TcChartTick, 1).label, ==, "1M");
  g_assert_cmpstr (g_array_index (c, TcChartTick, 3).label, ==, "3M");

  /* Fractional steps carry as many decimals as the step needs. */
  f = tc_chart_value_ticks (0.1, 0.9, 4, FALSE, &step);
  g_assert_cmpfloat_with_epsilon (step, 0.2, 1e-12);
  g_assert_cmpstr (g_array_index (f, TcChartTick, 0).label, ==, "0.2");
  g_assert_cmpstr (g_array_index (f, TcChartTick, f->len - 1).label, ==, "0.8");
}

static void
test_format_time (void)
{
  gint64 t = G_GINT64_CONSTANT (1709596800);  /* Tue 2024-03-05 00:00 UTC */

  check_string (tc_chart_format_time (t, TC_CHART_UNIT_DAY), "Mar 5");
  check_string (tc_chart_format_time (t, TC_CHART_UNIT_WEEK), "Mar 5");
  check_string (tc_chart_format_time (t, TC_CHART_UNIT_MONTH), "Mar 2024");
  check_string (tc_chart_format_time (t, TC_CHART_UNIT_YEAR), "2024");
  check_string (tc_chart_format_time (t + 14 * 3600, TC_CHART_UNIT_HOUR), "14:00");
  /* Midnight on an hourly axis names the day. */
  check_string (tc_chart_format_time (t, TC_CHART_UNIT_HOUR), "Mar 5");
}

/* Ticks for @from..@to on @width px must use @unit, stay inside the range,
 * be increasing and leave room for their labels. */
static GArray *
check_time_ticks (gint64 from, gint64 to, double width, TcChartTimeUnit want)
{
  const double cw = 7.0;
  TcChartTimeUnit unit = -1;
  GArray *ticks = tc_chart_time_ticks (from, to, width, cw, &unit);
  guint i;

  g_assert_cmpint (unit, ==, want);
  g_assert_cmpuint (ticks->len, >=, 2);
  for (i = 0; i < ticks->len; i++)
    {
      const TcChartTick *t = &g_array_index (ticks, TcChartTick, i);

      g_assert_cmpfloat (t->value, >=, from);
      g_assert_cmpfloat (t->value, <=, to);
      if (i > 0)
        {
          double gap = (t->value - g_array_index (ticks, TcChartTick, i - 1).value) / (to - from) * width;
          g_assert_cmpfloat (gap, >, strlen (t->label) * cw);
        }
    }
  return ticks;
}

static void
test_time_ticks (void)
{
  gint64 mar1 = G_GINT64_CONSTANT (1709251200);  /* Fri 2024-03-01 00:00 UTC */
  g_autoptr(GArray) hours = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) weeks = NULL;
  g_autoptr(GArray) months = NULL;
  g_autoptr(GArray) years = NULL;
  guint i;

  hours = check_time_ticks (mar1, mar1 + 86400, 800, TC_CHART_UNIT_HOUR);
  g_assert_cmpstr (g_array_index (hours, TcChartTick, 0).label, ==, "Mar 1");

  days = check_time_ticks (mar1, mar1 + 7 * 86400, 600, TC_CHART_UNIT_DAY);
  g_assert_cmpstr (g_array_index (days, TcChartTick, 0).label, ==, "Mar 1");
  g_assert_cmpstr (g_array_index (days, TcChartTick, 1).label, ==, "Mar 2");
  g_assert_cmpuint (days->len, ==, 8);

  weeks = check_time_ticks (mar1, mar1 + 84 * 86400, 800, TC_CHART_UNIT_WEEK);
  for (i = 0; i < weeks->len; i++)
    {
      const TcChartTick *t = &g_array_index (weeks, TcChartTick, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) t->value);

      g_assert_cmpint (g_date_time_get_day_of_week (dt), ==, 1);  /* Monday */
      g_assert_true (g_str_has_prefix (t->label, "Mar ") || g_str_has_prefix (t->label, "Apr ")
                     || g_str_has_prefix (t->label, "May "));
    }
  g_assert_cmpstr (g_array_index (weeks, TcChartTick, 0).label, ==, "Mar 4");

  /* Wide: every month.  Narrow: quarters, aligned to January. */
  months = check_time_ticks (mar1, mar1 + 2 * 365 * 86400, 2400, TC_CHART_UNIT_MONTH);
  g_assert_cmpstr (g_array_index (months, TcChartTick, 0).label, ==, "Mar 2024");
  g_assert_cmpstr (g_array_index (months, TcChartTick, 1).label, ==, "Apr 2024");
  g_clear_pointer (&months, g_array_unref);
  months = check_time_ticks (mar1, mar1 + 2 * 365 * 86400, 900, TC_CHART_UNIT_MONTH);
  for (i = 0; i < months->len; i++)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) g_array_index (months, TcChartTick, i).value);
      g_assert_cmpint (g_date_time_get_day_of_month (dt), ==, 1);
      g_assert_cmpint ((g_date_time_get_month (dt) - 1) % 3, ==, 0);
      g_assert_true (g_regex_match_simple ("^[A-Z][a-z]{2} 20[0-9]{2}$", g_array_index (months, TcChartTick, i).label, 0, 0));
    }

  years = check_time_ticks (mar1 - 20 * G_GINT64_CONSTANT (31556952), mar1, 600, TC_CHART_UNIT_YEAR);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}$", g_array_index (years, TcChartTick, 0).label, 0, 0));
}

/* -- viewport and hover --------------------------------------------------- */

static void
test_zoom_pan (void)
{
  g_autoptr(TcChart) chart = fixture_chart (TRUE);
  double from, to, ef, et, t_before, span;
  TcChartRect p;
  double x;

  tc_chart_set_size (chart, 800, 400);
  p = tc_chart_get_plot_rect (chart, 800, 400);
  g_assert_cmpfloat (p.width, >, 500);
  g_assert_cmpfloat (p.height, >, 200);

  tc_chart_get_data_extent (chart, &ef, &et);
  g_assert_cmpfloat (ef, ==, FIX_T0);
  g_assert_cmpfloat (et, ==, FIX_T0 + (FIX_N_HIST + FIX_N_FC - 1) * FIX_WEEK);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat (from, ==, ef);
  g_assert_cmpfloat (to, ==, et);

  /* Time and pixels map onto each other. */
  g_assert_cmpfloat_with_epsilon (tc_chart_time_to_x (chart, ef), p.x, 1e-6);
  g_assert_cmpfloat_with_epsilon (tc_chart_time_to_x (chart, et), p.x + p.width, 1e-6);
  g_assert_cmpfloat_with_epsilon (tc_chart_x_to_time (chart, tc_chart_time_to_x (chart, ef + 12345)), ef + 12345, 1e-3);

  /* Zooming keeps the time under the pointer fixed. */
  x = p.x + p.width * 0.3;
  t_before = tc_chart_x_to_time (chart, x);
  tc_chart_zoom (chart, x, 2.0);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat_with_epsilon (to - from, (et - ef) / 2, 1);
  g_assert_cmpfloat_with_epsilon (tc_chart_x_to_time (chart, x), t_before, 1);

  /* Dragging right by a quarter of the plot shows a quarter span earlier. */
  span = to - from;
  tc_chart_pan (chart, p.width / 4);
  {
    double f2, t2;

    tc_chart_get_view (chart, &f2, &t2);
    g_assert_cmpfloat_with_epsilon (f2, from - span / 4, 1);
    g_assert_cmpfloat_with_epsilon (t2 - f2, span, 1);
  }

  /* Panning stops at the data. */
  tc_chart_pan (chart, p.width * 10);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat (from, ==, ef);
  g_assert_cmpfloat_with_epsilon (to - from, span, 1);
  tc_chart_pan (chart, -p.width * 10);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat (to, ==, et);

  /* Zooming in stops at two steps, zooming out at the whole data. */
  tc_chart_zoom (chart, x, 1000);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat_with_epsilon (to - from, 2 * FIX_WEEK, 1);
  tc_chart_zoom (chart, x, 0.0001);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat (from, ==, ef);
  g_assert_cmpfloat (to, ==, et);

  tc_chart_set_view (chart, ef + FIX_WEEK, ef + 10 * FIX_WEEK);
  tc_chart_reset_view (chart);
  tc_chart_get_view (chart, &from, &to);
  g_assert_cmpfloat (from, ==, ef);
  g_assert_cmpfloat (to, ==, et);
}

static void
test_hover (void)
{
  g_autoptr(TcChart) chart = fixture_chart (TRUE);
  TcChartHoverInfo info;
  TcChartRect p;
  double x, y;

  tc_chart_set_size (chart, 800, 400);
  p = tc_chart_get_plot_rect (chart, 800, 400);
  y = p.y + p.height / 2;
  g_assert_cmpuint (tc_chart_get_n_steps (chart), ==, FIX_N_HIST + FIX_N_FC);

  /* A little right of history step 50 still picks step 50. */
  x = tc_chart_time_to_x (chart, FIX_T0 + 50 * FIX_WEEK) + 1.5;
  g_assert_true (tc_chart_hover_at (chart, x, y, &info));
  g_assert_cmpuint (info.index, ==, 50);
  g_assert_cmpint (info.time, ==, FIX_T0 + 50 * FIX_WEEK);
  g_assert_cmpfloat_with_epsilon (info.history, fixture_value (50), 1e-9);
  g_assert_true (isnan (info.forecast));
  g_assert_true (isnan (info.actual));
  g_assert_true (isnan (info.lo));

  /* A missing week is reported as missing. */
  x = tc_chart_time_to_x (chart, FIX_T0 + 30 * FIX_WEEK);
  g_assert_true (tc_chart_hover_at (chart, x, y, &info));
  g_assert_true (isnan (info.history));

  /* A forecast step has a median, a range and an actual. */
  x = tc_chart_time_to_x (chart, FIX_T0 + (FIX_N_HIST + 3) * FIX_WEEK) - 2;
  g_assert_true (tc_chart_hover_at (chart, x, y, &info));
  g_assert_cmpuint (info.index, ==, FIX_N_HIST + 3);
  g_assert_true (isnan (info.history));
  g_assert_true (isfinite (info.forecast));
  g_assert_cmpfloat (info.lo, <, info.forecast);
  g_assert_cmpfloat (info.hi, >, info.forecast);
  /* The reported range is the outer (P10–P90) band, not P25–P75. */
  g_assert_cmpfloat_with_epsilon (info.hi - info.forecast, (600 + 120 * 3) * 1.28, 1e-6);
  g_assert_true (isfinite (info.actual));
  g_assert_cmpfloat_with_epsilon (info.x, tc_chart_time_to_x (chart, info.time), 1e-9);

  /* Keyboard: move right, clamp at the end. */
  tc_chart_move_hover (chart, 1);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, FIX_N_HIST + 4);
  tc_chart_move_hover (chart, 1000);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, FIX_N_HIST + FIX_N_FC - 1);

  /* Outside the plot clears the hover. */
  g_assert_false (tc_chart_hover_at (chart, p.x - 20, y, &info));
  g_assert_false (tc_chart_get_hover (chart, NULL));
  g_assert_false (tc_chart_hover_at (chart, x, p.y + p.height + 5, NULL));

  /* Moving the hover out of a zoomed view scrolls the view along. */
  tc_chart_set_view (chart, FIX_T0 + 10 * FIX_WEEK, FIX_T0 + 20 * FIX_WEEK);
  tc_chart_move_hover (chart, -1);  /* starts at the last visible step */
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, 20);
  tc_chart_set_hover_index (chart, 10);
  tc_chart_move_hover (chart, -3);
  g_assert_true (tc_chart_get_hover (chart, &info));
  g_assert_cmpuint (info.index, ==, 7);
  {
    double from, to;

    tc_chart_get_view (chart, &from, &to);
    g_assert_cmpfloat (from, ==, FIX_T0 + 7 * FIX_WEEK);
    g_assert_cmpfloat (to - from, ==, 10 * FIX_WEEK);
  }
}

static void
count_changed (guint *n)
{
  (*n)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(TcChart) chart = tc_chart_new ();
  guint n = 0;
  gint64 t[3] = { 0, 86400, 172800 };
  double y[3] = { 1, 2, 3 };

  g_signal_connect_swapped (chart, "changed", G_CALLBACK (count_changed), &n);
  tc_chart_set_history (chart, t, y, 3);
  g_assert_cmpuint (n, ==, 1);
  tc_chart_set_style (chart, tc_chart_style_dark ());
  g_assert_cmpuint (n, ==, 2);
  tc_chart_set_hover_index (chart, 1);
  g_assert_cmpuint (n, ==, 3);
  tc_chart_clear_hover (chart);
  tc_chart_clear_hover (chart);  /* no change, no signal */
  g_assert_cmpuint (n, ==, 4);
}

/* -- rendering ------------------------------------------------------------ */

static void
test_render_probes (void)
{
  g_autoptr(TcChart) chart = fixture_chart (FALSE);
  const int w = 800, h = 400;
  cairo_surface_t *s;
  TcChartRect p;
  int origin, fc_x, top;
  Px bg;

  tc_chart_set_size (chart, w, h);
  p = tc_chart_get_plot_rect (chart, w, h);
  s = render_to_image (chart, w, h);

  /* Background at the corners. */
  bg = pixel (s, 0, 0);
  g_assert_cmpint (bg.r, ==, 255); g_assert_cmpint (bg.g, ==, 255); g_assert_cmpint (bg.b, ==, 255);
  bg = pixel (s, w - 1, h - 1);
  g_assert_cmpint (bg.r, ==, 255); g_assert_cmpint (bg.b, ==, 255);
  bg = pixel (s, w - 1, 0);
  g_assert_cmpint (bg.g, ==, 255);
  bg = pixel (s, 0, h - 1);
  g_assert_cmpint (bg.r, ==, 255);

  /* The forecast starts after the last history week. */
  origin = (int) tc_chart_time_to_x (chart, FIX_T0 + (FIX_N_HIST - 1) * FIX_WEEK);
  fc_x = (int) tc_chart_time_to_x (chart, FIX_T0 + (FIX_N_HIST + 12) * FIX_WEEK);
  /* Below the marker labels at the top of the plot. */
  top = (int) p.y + 18;

  /* The band is in the forecast region and nowhere in the history. */
  g_assert_cmpint (count_in (s, fc_x - 2, fc_x + 3, top, (int) (p.y + p.height), is_bluish), >, 20);
  g_assert_cmpint (count_in (s, (int) p.x, origin - 3, (int) p.y, (int) (p.y + p.height), is_bluish), ==, 0);

  /* The history line is left of the forecast origin, and only there. */
  g_assert_cmpint (count_in (s, (int) p.x + 2, origin - 3, top, (int) (p.y + p.height) - 2, is_dark), >, 200);
  g_assert_cmpint (count_in (s, origin + 3, (int) (p.x + p.width), top, (int) (p.y + p.height) - 2, is_dark), ==, 0);

  /* The legend above the plot has the forecast swatch and text. */
  g_assert_cmpint (count_in (s, 0, w, 0, (int) p.y - 20, is_bluish), >, 10);
  g_assert_cmpint (count_in (s, 0, w, 0, (int) p.y - 20, is_dark), >, 100);
  /* Tick labels left of the plot. */
  g_assert_cmpint (count_in (s, 0, (int) p.x - 4, (int) p.y, (int) (p.y + p.height), is_gray_ink), >, 50);

  cairo_surface_destroy (s);
}


static gboolean
is_greenish (Px p)
{
  return p.g > p.r + 12 && p.g > p.b + 4;
}

static gboolean
is_green_ink (Px p)
{
  /* The labels' solid green, not the pale shading behind them. */
  return p.g > p.r + 40 && p.g > p.b + 10;
}

/* Two changes that overlap (a discount inside a promotion) both keep
 * their label: the second goes into the next row (issue 18, item 11). */
static void
test_render_overlapping_labels (void)
{
  const int w = 800, h = 400;
  int rows[2];

  for (guint both = 0; both < 2; both++)
    {
      g_autoptr(TcChart) chart = fixture_chart (FALSE);
      cairo_surface_t *s;
      TcChartRect p;
      int x0;

      tc_chart_add_marker (chart, TC_CHART_MARKER_CHANGE, FIX_T0 + 80 * FIX_WEEK, FIX_T0 + 83 * FIX_WEEK,
                           "Promotion");
      if (both)
        tc_chart_add_marker (chart, TC_CHART_MARKER_CHANGE, FIX_T0 + 81 * FIX_WEEK, FIX_T0 + 84 * FIX_WEEK,
                             "10 % off");
      tc_chart_set_size (chart, w, h);
      p = tc_chart_get_plot_rect (chart, w, h);
      s = render_to_image (chart, w, h);
      x0 = (int) tc_chart_time_to_x (chart, FIX_T0 + 81 * FIX_WEEK);
      /* The second row of labels, from the second change's start. */
      rows[both] = count_in (s, x0, x0 + 60, (int) p.y + 15, (int) p.y + 28, is_green_ink);
      cairo_surface_destroy (s);
    }
  g_test_message ("green ink in the second label row: %d alone, %d with the overlap", rows[0], rows[1]);
  g_assert_cmpint (rows[0], <, 3);
  g_assert_cmpint (rows[1], >, 15);
}

/* In a narrow chart the legend flows into a second row under the title
 * instead of dropping what does not fit on one (a 800 px window's
 * Forecast page lost Promotion and Holiday). */
static void
test_render_legend_wraps (void)
{
  g_autoptr(TcChart) chart = fixture_chart (FALSE);
  guint wide = tc_chart_get_n_legend_items (chart, 1400, 400);
  guint narrow = tc_chart_get_n_legend_items (chart, 440, 400);
  TcChartRect pw = tc_chart_get_plot_rect (chart, 1400, 400);
  TcChartRect pn = tc_chart_get_plot_rect (chart, 440, 400);
  cairo_surface_t *s;

  g_test_message ("legend entries: %u at 1400 px, %u at 440 px; plot top %.0f and %.0f", wide, narrow, pw.y, pn.y);
  g_assert_cmpuint (wide, >=, 6);
  g_assert_cmpuint (narrow, ==, wide);
  g_assert_cmpfloat (pn.y, >, pw.y);
  /* It still renders cleanly. */
  tc_chart_set_size (chart, 440, 400);
  s = render_to_image (chart, 440, 400);
  cairo_surface_destroy (s);
}

/* The legend names only what the view shows: zoomed to weeks without a
 * promotion or holiday, it has no swatch for them. */
static void
test_render_legend_follows_view (void)
{
  g_autoptr(TcChart) chart = fixture_chart (FALSE);
  const int w = 800, h = 400;
  cairo_surface_t *all, *zoomed;
  TcChartRect p;

  tc_chart_set_size (chart, w, h);
  p = tc_chart_get_plot_rect (chart, w, h);
  all = render_to_image (chart, w, h);
  g_assert_cmpint (count_in (all, 0, w, 0, (int) p.y - 4, is_greenish), >, 10);
  tc_chart_set_view (chart, FIX_T0 + 5 * FIX_WEEK, FIX_T0 + 50 * FIX_WEEK);
  p = tc_chart_get_plot_rect (chart, w, h);
  zoomed = render_to_image (chart, w, h);
  g_assert_cmpint (count_in (zoomed, 0, w, 0, (int) p.y - 4, is_greenish), ==, 0);
  cairo_surface_destroy (all);
  cairo_surface_destroy (zoomed);
}

static gboolean
is_not_dark_bg (Px p)
{
  return !(p.r == 0x1e && p.g == 0x1e && p.b == 0x1e);
}

static void
test_render_dark_and_hover (void)
{
  g_autoptr(TcChart) chart = fixture_chart (TRUE);
  cairo_surface_t *plain, *hovered;
  TcChartRect p;
  Px bg;
  int x, diff = 0, yy, xx;

  tc_chart_set_style (chart, tc_chart_style_dark ());
  tc_chart_set_size (chart, 600, 300);
  p = tc_chart_get_plot_rect (chart, 600, 300);
  plain = render_to_image (chart, 600, 300);
  bg = pixel (plain, 0, 0);
  g_assert_cmpint (bg.r, ==, 0x1e); g_assert_cmpint (bg.g, ==, 0x1e); g_assert_cmpint (bg.b, ==, 0x1e);
  bg = pixel (plain, 599, 299);
  g_assert_cmpint (bg.r, ==, 0x1e);
  g_assert_cmpint (count_in (plain, (int) p.x, (int) (p.x + p.width), (int) p.y, (int) (p.y + p.height), is_not_dark_bg), >, 1000);

  /* Hovering draws a crosshair and a tooltip; the rest stays the same. */
  x = (int) tc_chart_time_to_x (chart, FIX_T0 + 40 * FIX_WEEK);
  g_assert_true (tc_chart_hover_at (chart, x, p.y + 50, NULL));
  hovered = render_to_image (chart, 600, 300);
  for (yy = 0; yy < 300; yy++)
    for (xx = 0; xx < 600; xx++)
      {
        Px a = pixel (plain, xx, yy), b = pixel (hovered, xx, yy);

        if (a.r != b.r || a.g != b.g || a.b != b.b)
          {
            diff++;
            /* Everything new is near the crosshair (tooltip is beside it). */
            g_assert_cmpint (abs (xx - x), <, 300);
          }
      }
  g_assert_cmpint (diff, >, 500);
  /* The crosshair runs the plot's height at the hovered step. */
  {
    Px a = pixel (plain, x, (int) (p.y + p.height - 3));
    Px b = pixel (hovered, x, (int) (p.y + p.height - 3));
    g_assert_true (a.r != b.r || a.g != b.g || a.b != b.b);
  }

  cairo_surface_destroy (plain);
  cairo_surface_destroy (hovered);
}

static void
test_render_degenerate (void)
{
  g_autoptr(TcChart) empty = tc_chart_new ();
  g_autoptr(TcChart) one = tc_chart_new ();
  gint64 t = 1700000000;
  double y = 5, nan = NAN;
  cairo_surface_t *s;

  s = render_to_image (empty, 200, 100);
  cairo_surface_destroy (s);
  g_assert_false (tc_chart_hover_at (empty, 100, 50, NULL));
  tc_chart_move_hover (empty, 1);
  g_assert_false (tc_chart_get_hover (empty, NULL));

  tc_chart_set_history (one, &t, &y, 1);
  tc_chart_set_forecast (one, &t, &nan, 1);
  s = render_to_image (one, 40, 30);  /* far too small: must not crash */
  cairo_surface_destroy (s);
  s = render_to_image (one, 300, 200);
  cairo_surface_destroy (s);
}

/* Many more points than pixels are reduced per pixel column; a one-hour
 * spike must survive that, and gaps must stay gaps. */
static void
test_render_dense (void)
{
  g_autoptr(TcChart) chart = tc_chart_new ();
  const guint n = 20000;
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *y = g_new (double, n);
  cairo_surface_t *s;
  TcChartRect p;
  double spike_x, gap_x0, gap_x1;
  guint i;

  for (i = 0; i < n; i++)
    {
      t[i] = G_GINT64_CONSTANT (1700000000) + (gint64) i * 3600;
      y[i] = 100 + 5 * sin (i * 0.5);
    }
  y[12345] = 1000;
  for (i = 4000; i < 5000; i++)
    y[i] = NAN;
  tc_chart_set_history (chart, t, y, n);
  tc_chart_set_size (chart, 600, 300);
  p = tc_chart_get_plot_rect (chart, 600, 300);
  s = render_to_image (chart, 600, 300);

  /* The spike (1000 on an axis to 1,500) reaches the top 40 %. */
  spike_x = tc_chart_time_to_x (chart, t[12345]);
  g_assert_cmpint (count_in (s, (int) spike_x - 2, (int) spike_x + 3, (int) p.y, (int) (p.y + p.height * 0.4), is_dark), >, 0);
  /* Nothing else does. */
  g_assert_cmpint (count_in (s, (int) p.x, (int) spike_x - 4, (int) p.y, (int) (p.y + p.height * 0.5), is_dark), ==, 0);
  /* The gap is empty in its middle. */
  gap_x0 = tc_chart_time_to_x (chart, t[4100]);
  gap_x1 = tc_chart_time_to_x (chart, t[4900]);
  g_assert_cmpint (count_in (s, (int) gap_x0, (int) gap_x1, (int) p.y, (int) (p.y + p.height) - 2, is_dark), ==, 0);
  g_assert_cmpint (count_in (s, (int) gap_x0 - 20, (int) gap_x0 - 10, (int) p.y, (int) (p.y + p.height) - 2, is_dark), >, 0);
  cairo_surface_destroy (s);
}

/* -- sparkline ------------------------------------------------------------ */

static gboolean
is_red (Px p)
{
  return p.r > 150 && p.g < 120 && p.b < 120;
}

static void
test_sparkline (void)
{
  static const TcRGBA red = { 0.9, 0.1, 0.1, 1 };
  double y[20], gaps[3] = { NAN, NAN, NAN };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 100, 30);
  cairo_t *cr = cairo_create (s);
  int i;

  for (i = 0; i < 20; i++)
    y[i] = i;  /* rising: low-left to high-right */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  tc_sparkline_render (cr, gaps, 3, 100, 30, &red);
  cairo_surface_flush (s);
  g_assert_cmpint (count_in (s, 0, 100, 0, 30, is_red), ==, 0);

  tc_sparkline_render (cr, y, 20, 100, 30, &red);
  cairo_surface_flush (s);
  g_assert_cmpint (count_in (s, 0, 20, 20, 30, is_red), >, 0);   /* starts low left */
  g_assert_cmpint (count_in (s, 80, 100, 0, 10, is_red), >, 0);  /* ends high right */
  g_assert_cmpint (count_in (s, 0, 20, 0, 10, is_red), ==, 0);
  g_assert_cmpint (count_in (s, 80, 100, 20, 30, is_red), ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* -- export --------------------------------------------------------------- */

static void
svg_start (GMarkupParseContext *ctx, const char *name, const char **an, const char **av,
           gpointer data, GError **error)
{
  guint *n = data;

  if (strcmp (name, "svg") == 0)
    (*n)++;
}

static void
test_export (void)
{
  g_autoptr(TcChart) chart = fixture_chart (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-chart-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "c.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "c.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "c.PDF", NULL);
  g_autofree char *bad = g_build_filename (dir, "c.bmp", NULL);
  g_autofree char *nodir = g_build_filename (dir, "missing", "c.png", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  guint n_svg = 0;
  static const GMarkupParser parser = { svg_start, NULL, NULL, NULL, NULL };
  GMarkupParseContext *ctx;

  g_assert_nonnull (dir);

  g_assert_true (tc_chart_export (chart, png, TC_CHART_FORMAT_AUTO, 640, 320, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  {
    cairo_surface_t *s = cairo_image_surface_create_from_png (png);

    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (s), ==, 640);
    g_assert_cmpint (cairo_image_surface_get_height (s), ==, 320);
    cairo_surface_destroy (s);
  }
  g_clear_pointer (&data, g_free);

  g_assert_true (tc_chart_export (chart, pdf, TC_CHART_FORMAT_AUTO, 640, 320, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &data, &len, NULL));
  g_assert_cmpuint (len, >, 500);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  g_clear_pointer (&data, g_free);

  g_assert_true (tc_chart_export (chart, svg, TC_CHART_FORMAT_SVG, 640, 320, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &data, &len, NULL));
  g_assert_nonnull (strstr (data, "<svg"));
  ctx = g_markup_parse_context_new (&parser, 0, &n_svg, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, data, len, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (ctx);
  g_assert_cmpuint (n_svg, ==, 1);
  g_clear_pointer (&data, g_free);

  /* An explicit format wins over the extension. */
  g_assert_true (tc_chart_export (chart, bad, TC_CHART_FORMAT_PNG, 100, 80, &error));
  g_assert_true (g_file_get_contents (bad, &data, &len, NULL));
  g_assert_cmpmem (data, 4, "\x89PNG", 4);
  g_clear_pointer (&data, g_free);
  g_unlink (bad);

  /* Unknown extension: a clear error and no file. */
  g_assert_false (tc_chart_export (chart, bad, TC_CHART_FORMAT_AUTO, 100, 80, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_nonnull (strstr (error->message, ".png"));
  g_clear_error (&error);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  /* A bad size fails and leaves the old file alone. */
  g_assert_false (tc_chart_export (chart, png, TC_CHART_FORMAT_AUTO, 0, 320, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&data, g_free);

  /* A missing directory is an error naming the file. */
  g_assert_false (tc_chart_export (chart, nodir, TC_CHART_FORMAT_AUTO, 100, 80, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);

  /* No temporary files are left behind. */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (d)) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 3);
  }

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/ticks/nice-step", test_nice_step);
  g_test_add_func ("/chart/ticks/format-values", test_format_values);
  g_test_add_func ("/chart/ticks/value-ticks", test_value_ticks);
  g_test_add_func ("/chart/ticks/format-time", test_format_time);
  g_test_add_func ("/chart/ticks/time-ticks", test_time_ticks);
  g_test_add_func ("/chart/view/zoom-pan", test_zoom_pan);
  g_test_add_func ("/chart/view/hover", test_hover);
  g_test_add_func ("/chart/changed-signal", test_changed_signal);
  g_test_add_func ("/chart/render/probes", test_render_probes);
  g_test_add_func ("/chart/render/legend-follows-view", test_render_legend_follows_view);
  g_test_add_func ("/chart/render/overlapping-labels", test_render_overlapping_labels);
  g_test_add_func ("/chart/render/legend-wraps", test_render_legend_wraps);
  g_test_add_func ("/chart/render/dark-and-hover", test_render_dark_and_hover);
  g_test_add_func ("/chart/render/degenerate", test_render_degenerate);
  g_test_add_func ("/chart/render/dense", test_render_dense);
  g_test_add_func ("/chart/sparkline", test_sparkline);
  g_test_add_func ("/chart/export", test_export);

  return g_test_run ();
}
