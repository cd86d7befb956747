/* tc-chart-private.h — drawing helpers shared by the charts of this library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-chart.h"

#include <math.h>

#define TC_CHART_FONT_FAMILY "Cantarell"

static inline void
tc_chart_set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, TC_CHART_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

static inline double
tc_chart_text_width (cairo_t *cr, const char *s, double size, gboolean bold)
{
  cairo_text_extents_t ext;

  tc_chart_set_font (cr, size, bold);
  cairo_text_extents (cr, s, &ext);
  return ext.x_advance;
}

/* Draws @s with its baseline at @y; @align 0 = left, 0.5 = centre, 1 = right of @x. */
static inline void
tc_chart_draw_text (cairo_t *cr, const char *s, double x, double y, double align, double size, gboolean bold)
{
  cairo_text_extents_t ext;

  tc_chart_set_font (cr, size, bold);
  cairo_text_extents (cr, s, &ext);
  cairo_move_to (cr, round (x - align * ext.x_advance), round (y));
  cairo_show_text (cr, s);
}

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
