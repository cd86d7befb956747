/* tc-chart-private.h — drawing helpers shared by the charts of this library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-chart.h"

#include <math.h>

/* Text goes through Pango, not Cairo's toy font API: series names and
 * axis labels may be Chinese, and only Pango falls back to a font that
 * has the glyphs (Noto Sans CJK) when Cantarell lacks them. */
#define TC_CHART_FONT_FAMILY "Cantarell, Noto Sans CJK SC, Noto Sans, sans-serif"

/* The advance width of @s in user units. */
double tc_chart_text_width (cairo_t    *cr,
                            const char *s,
                            double      size,
                            gboolean    bold);
/* Draws @s with its baseline at @y; @align 0 = left, 0.5 = centre, 1 = right of @x. */
void   tc_chart_draw_text  (cairo_t    *cr,
                            const char *s,
                            double      x,
                            double      y,
                            double      align,
                            double      size,
                            gboolean    bold);

static inline void
tc_chart_set_rgba (cairo_t *cr, const TcRGBA *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

/* A hairline on the pixel grid, so 1 px lines stay crisp. */
static inline double
tc_chart_crisp (double v)
{
  return floor (v) + 0.5;
}
