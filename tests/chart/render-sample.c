/* render-sample.c — renders the fixture chart to files for a visual check:
 *   render-sample OUTDIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "chart-fixture.h"

#include <stdio.h>
#include <string.h>

int
main (int argc, char **argv)
{
  g_autoptr(TcChart) chart = fixture_chart (TRUE);
  g_autoptr(GError) error = NULL;
  const char *dir = argc > 1 ? argv[1] : ".";
  g_autofree char *light = g_build_filename (dir, "chart-light.png", NULL);
  g_autofree char *dark = g_build_filename (dir, "chart-dark.png", NULL);
  g_autofree char *hover = g_build_filename (dir, "chart-hover.png", NULL);
  g_autofree char *small = g_build_filename (dir, "chart-small.png", NULL);
  g_autofree char *zoom = g_build_filename (dir, "chart-zoom.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  cairo_surface_t *s;
  cairo_t *cr;

  if (!tc_chart_export (chart, light, TC_CHART_FORMAT_AUTO, 900, 420, &error)
      || !tc_chart_export (chart, svg, TC_CHART_FORMAT_AUTO, 900, 420, &error))
    goto fail;
  tc_chart_set_style (chart, tc_chart_style_dark ());
  if (!tc_chart_export (chart, dark, TC_CHART_FORMAT_AUTO, 900, 420, &error))
    goto fail;
  if (!tc_chart_export (chart, small, TC_CHART_FORMAT_AUTO, 360, 220, &error))
    goto fail;

  /* Hover needs the on-screen render path. */
  tc_chart_set_style (chart, tc_chart_style_light ());
  tc_chart_set_size (chart, 900, 420);
  tc_chart_set_hover_index (chart, 108);
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 420);
  cr = cairo_create (s);
  tc_chart_render (chart, cr, 900, 420);
  cairo_surface_write_to_png (s, hover);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  tc_chart_clear_hover (chart);
  tc_chart_zoom (chart, 700, 6);
  if (!tc_chart_export (chart, zoom, TC_CHART_FORMAT_AUTO, 900, 420, &error))
    goto fail;
  {
    g_autoptr(TcLossChart) loss = fixture_loss_chart ();
    g_autofree char *lpath = g_build_filename (dir, "loss-light.png", NULL);
    g_autofree char *lpath2 = g_build_filename (dir, "loss-log-dark.png", NULL);

    tc_loss_chart_set_size (loss, 700, 320);
    tc_loss_chart_hover_at (loss, tc_loss_chart_x_to_px (loss, 30), 150, NULL);
    s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, 320);
    cr = cairo_create (s);
    tc_loss_chart_render (loss, cr, 700, 320);
    cairo_surface_write_to_png (s, lpath);
    cairo_destroy (cr);
    tc_loss_chart_set_log_scale (loss, TRUE);
    tc_loss_chart_set_style (loss, tc_chart_style_dark ());
    tc_loss_chart_clear_hover (loss);
    cr = cairo_create (s);
    tc_loss_chart_render (loss, cr, 700, 320);
    cairo_surface_write_to_png (s, lpath2);
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }
  {
    /* Daily, 75 days of history and 14 of forecast, no title, dark, hovered. */
    g_autoptr(TcChart) daily = tc_chart_new ();
    g_autofree char *dpath = g_build_filename (dir, "daily-dark.png", NULL);
    gint64 t[89], ft[14];
    double y[89], m[14], lo[14], hi[14];
    int i;

    for (i = 0; i < 75; i++)
      {
        t[i] = G_GINT64_CONSTANT (1704067200) + i * 86400;
        y[i] = 42 + 12 * (i % 7 >= 5) + 6 * sin (i / 9.0) + 3 * cos (i * 2.3);
      }
    for (i = 0; i < 14; i++)
      {
        ft[i] = t[74] + (i + 1) * 86400;
        m[i] = 44 + 12 * ((75 + i) % 7 >= 5);
        lo[i] = m[i] - 4 - i * 0.4;
        hi[i] = m[i] + 4 + i * 0.4;
      }
    tc_chart_set_history (daily, t, y, 75);
    tc_chart_set_forecast (daily, ft, m, 14);
    tc_chart_add_band (daily, 0.1, 0.9, lo, hi);
    tc_chart_add_marker (daily, TC_CHART_MARKER_HOLIDAY, t[45], t[45], "Easter");
    tc_chart_set_units (daily, "Orders per day");
    tc_chart_set_style (daily, tc_chart_style_dark ());
    tc_chart_set_size (daily, 700, 320);
    tc_chart_set_hover_index (daily, 80);
    s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, 320);
    cr = cairo_create (s);
    tc_chart_render (daily, cr, 700, 320);
    cairo_surface_write_to_png (s, dpath);
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }
  {
    /* Render timings, for the report: the fixture and 20,000 hourly points. */
    g_autoptr(TcChart) big = tc_chart_new ();
    gint64 *t = g_new (gint64, 20000);
    double *y = g_new (double, 20000);
    gint64 start;
    int i;

    for (i = 0; i < 20000; i++)
      {
        t[i] = G_GINT64_CONSTANT (1700000000) + i * 3600;
        y[i] = 100 + 30 * sin (i * 2 * G_PI / 24) + 10 * sin (i * 0.37);
      }
    tc_chart_set_history (big, t, y, 20000);
    g_free (t);
    g_free (y);
    s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 420);
    cr = cairo_create (s);
    start = g_get_monotonic_time ();
    for (i = 0; i < 50; i++)
      tc_chart_render (chart, cr, 900, 420);
    printf ("fixture (120 weeks, 2 bands, markers, hover) 900x420: %.2f ms per frame\n",
            (g_get_monotonic_time () - start) / 50.0 / 1000.0);
    start = g_get_monotonic_time ();
    for (i = 0; i < 20; i++)
      tc_chart_render (big, cr, 900, 420);
    printf ("20,000 hourly points 900x420: %.2f ms per frame\n",
            (g_get_monotonic_time () - start) / 20.0 / 1000.0);
    start = g_get_monotonic_time ();
    for (i = 0; i < 200; i++)
      tc_chart_hover_at (big, 300 + i, 200, NULL);
    {
      g_autofree char *bpath = g_build_filename (dir, "hourly.png", NULL);

      tc_chart_set_view (big, 1700000000.0 + 3600.0 * 19000, 1700000000.0 + 3600.0 * 19999);
      tc_chart_export (big, bpath, TC_CHART_FORMAT_AUTO, 900, 300, NULL);
      tc_chart_reset_view (big);
      bpath[strlen (bpath) - 5] = '2';
      tc_chart_export (big, bpath, TC_CHART_FORMAT_AUTO, 900, 300, NULL);
    }
    printf ("hover_at on 20,000 points: %.3f ms per call\n",
            (g_get_monotonic_time () - start) / 200.0 / 1000.0);
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }
  return 0;

fail:
  fprintf (stderr, "%s\n", error->message);
  return 1;
}
