/* render-sample.c — renders the fixture chart to files for a visual check:
 *   render-sample OUTDIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "chart-fixture.h"

#include <stdio.h>

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
  return 0;

fail:
  fprintf (stderr, "%s\n", error->message);
  return 1;
}
