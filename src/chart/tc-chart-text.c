/* tc-chart-text.c — text for the charts, through Pango
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-chart-text"

#include "config.h"

#include <pango/pangocairo.h>

#include "tc-chart-private.h"

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *s,
             double      size,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (TC_CHART_FONT_FAMILY);

  /* Sizes are in user units (pixels on screen, points in PDF), like the
   * rest of the chart, so the font is sized absolutely. */
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, s, -1);
  pango_font_description_free (desc);
  return layout;
}

double
tc_chart_text_width (cairo_t    *cr,
                     const char *s,
                     double      size,
                     gboolean    bold)
{
  PangoLayout *layout = make_layout (cr, s, size, bold);
  int w = 0;

  pango_layout_get_size (layout, &w, NULL);
  g_object_unref (layout);
  return (double) w / PANGO_SCALE;
}

void
tc_chart_draw_text (cairo_t    *cr,
                    const char *s,
                    double      x,
                    double      y,
                    double      align,
                    double      size,
                    gboolean    bold)
{
  PangoLayout *layout = make_layout (cr, s, size, bold);
  int w = 0;
  double baseline = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;

  pango_layout_get_size (layout, &w, NULL);
  cairo_move_to (cr, round (x - align * w / PANGO_SCALE), round (y) - baseline);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}
