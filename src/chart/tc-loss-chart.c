/* tc-loss-chart.c — the Training page's loss curves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-loss-chart"

#include "config.h"

#include "tc-loss-chart.h"
#include "tc-chart-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define FONT_TICK   11.0
#define FONT_LEGEND 11.5
#define FONT_TITLE  14.0
#define PAD         12.0

struct _TcLossChart
{
  GObject parent_instance;

  GArray *x;      /* (n) double */
  GArray *train;  /* (n) double */
  GArray *val;    /* (n) double */
  GArray *lr;     /* (n) double */
  gboolean has_val, has_lr;

  gboolean log_scale;
  char *x_label;
  char *title;
  TcChartStyle style;

  double width, height;
  int hover;
};

G_DEFINE_FINAL_TYPE (TcLossChart, tc_loss_chart, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tc_loss_chart_finalize (GObject *object)
{
  TcLossChart *self = TC_LOSS_CHART (object);

  g_array_unref (self->x);
  g_array_unref (self->train);
  g_array_unref (self->val);
  g_array_unref (self->lr);
  g_free (self->x_label);
  g_free (self->title);

  G_OBJECT_CLASS (tc_loss_chart_parent_class)->finalize (object);
}

static void
tc_loss_chart_class_init (TcLossChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_loss_chart_finalize;

  /* Emitted whenever the chart needs to be redrawn. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
tc_loss_chart_init (TcLossChart *self)
{
  self->x = g_array_new (FALSE, FALSE, sizeof (double));
  self->train = g_array_new (FALSE, FALSE, sizeof (double));
  self->val = g_array_new (FALSE, FALSE, sizeof (double));
  self->lr = g_array_new (FALSE, FALSE, sizeof (double));
  /* Translators: the loss chart's x axis: one pass over the training data. */
  self->x_label = g_strdup (_("Epoch"));
  self->style = *tc_chart_style_light ();
  self->width = 640;
  self->height = 320;
  self->hover = -1;
}

TcLossChart *
tc_loss_chart_new (void)
{
  return g_object_new (TC_TYPE_LOSS_CHART, NULL);
}

static void
changed (TcLossChart *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
tc_loss_chart_clear (TcLossChart *chart)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_array_set_size (chart->x, 0);
  g_array_set_size (chart->train, 0);
  g_array_set_size (chart->val, 0);
  g_array_set_size (chart->lr, 0);
  chart->has_val = chart->has_lr = FALSE;
  chart->hover = -1;
  changed (chart);
}

void
tc_loss_chart_append (TcLossChart *chart,
                      double       x,
                      double       train,
                      double       val,
                      double       lr)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_return_if_fail (chart->x->len == 0 || x > g_array_index (chart->x, double, chart->x->len - 1));

  g_array_append_val (chart->x, x);
  g_array_append_val (chart->train, train);
  g_array_append_val (chart->val, val);
  g_array_append_val (chart->lr, lr);
  chart->has_val |= isfinite (val);
  chart->has_lr |= isfinite (lr) && lr > 0;
  changed (chart);
}

void
tc_loss_chart_set_data (TcLossChart  *chart,
                        const double *x,
                        const double *train,
                        const double *val,
                        const double *lr,
                        guint         n)
{
  guint i;

  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_return_if_fail (n == 0 || (x != NULL && train != NULL));

  g_signal_handlers_block_matched (chart, G_SIGNAL_MATCH_ID, signals[CHANGED], 0, NULL, NULL, NULL);
  tc_loss_chart_clear (chart);
  for (i = 0; i < n; i++)
    tc_loss_chart_append (chart, x[i], train[i], val ? val[i] : NAN, lr ? lr[i] : NAN);
  g_signal_handlers_unblock_matched (chart, G_SIGNAL_MATCH_ID, signals[CHANGED], 0, NULL, NULL, NULL);
  changed (chart);
}

guint
tc_loss_chart_get_n (TcLossChart *chart)
{
  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), 0);
  return chart->x->len;
}

void
tc_loss_chart_set_log_scale (TcLossChart *chart,
                             gboolean     log_scale)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  chart->log_scale = !!log_scale;
  changed (chart);
}

gboolean
tc_loss_chart_get_log_scale (TcLossChart *chart)
{
  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), FALSE);
  return chart->log_scale;
}

void
tc_loss_chart_set_x_label (TcLossChart *chart,
                           const char  *label)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_free (chart->x_label);
  chart->x_label = g_strdup (label);
  changed (chart);
}

void
tc_loss_chart_set_title (TcLossChart *chart,
                         const char  *title)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_free (chart->title);
  chart->title = g_strdup (title);
  changed (chart);
}

void
tc_loss_chart_set_style (TcLossChart        *chart,
                         const TcChartStyle *style)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  g_return_if_fail (style != NULL);
  chart->style = *style;
  changed (chart);
}

gboolean
tc_loss_chart_get_point (TcLossChart *chart, guint index, TcLossHoverInfo *info)
{
  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), FALSE);
  if (index >= chart->x->len)
    return FALSE;
  *info = (TcLossHoverInfo) { index, g_array_index (chart->x, double, index),
                              g_array_index (chart->train, double, index),
                              g_array_index (chart->val, double, index),
                              g_array_index (chart->lr, double, index), NAN };
  return TRUE;
}

gboolean
tc_loss_chart_get_best (TcLossChart *chart,
                        guint       *index)
{
  GArray *y;
  double best = INFINITY;
  int best_i = -1;
  guint i;

  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), FALSE);
  y = chart->has_val ? chart->val : chart->train;
  for (i = 0; i < y->len; i++)
    if (isfinite (g_array_index (y, double, i)) && g_array_index (y, double, i) < best)
      {
        best = g_array_index (y, double, i);
        best_i = (int) i;
      }
  if (best_i < 0)
    return FALSE;
  if (index)
    *index = (guint) best_i;
  return TRUE;
}

/* -- ticks ---------------------------------------------------------------- */

static void
tick_clear (gpointer p)
{
  g_free (((TcChartTick *) p)->label);
}

static char *
format_small (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v != 0 && (fabs (v) < 1e-3 || fabs (v) >= 1e5))
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0e", v));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
}

GArray *
tc_chart_log_ticks (double lo,
                    double hi)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (TcChartTick));
  static const double all[] = { 1, 2, 5 };
  int d0, d1, d, m, n_mult;

  g_array_set_clear_func (ticks, tick_clear);
  if (!(lo > 0) || !(hi > lo))
    return ticks;

  d0 = (int) floor (log10 (lo) + 1e-9);
  d1 = (int) ceil (log10 (hi) - 1e-9);
  /* Few decades leave room for 2 and 5 between them. */
  n_mult = log10 (hi / lo) <= 2.5 ? 3 : 1;
  for (d = d0; d <= d1; d++)
    for (m = 0; m < n_mult; m++)
      {
        double v = all[m] * pow (10, d);
        TcChartTick t;

        if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))
          continue;
        t.value = v;
        t.label = format_small (v);
        g_array_append_val (ticks, t);
      }
  return ticks;
}

/* -- layout --------------------------------------------------------------- */

typedef struct
{
  TcChartRect plot;
  double x_lo, x_hi;
  double y_lo, y_hi;    /* in axis units: log10 (loss) when log scale */
  double lr_lo, lr_hi;
  GArray *yticks, *xticks, *lrticks;
  double legend_y;
  gboolean log_scale;
} Layout;

static void
layout_clear (Layout *l)
{
  g_clear_pointer (&l->yticks, g_array_unref);
  g_clear_pointer (&l->xticks, g_array_unref);
  g_clear_pointer (&l->lrticks, g_array_unref);
}

static double
axis_value (const Layout *l, double v)
{
  return l->log_scale ? log10 (v) : v;
}

static double
lpx (const Layout *l, double x)
{
  return l->plot.x + (x - l->x_lo) / (l->x_hi - l->x_lo) * l->plot.width;
}

static double
lpy (const Layout *l, double v)
{
  return l->plot.y + l->plot.height - (axis_value (l, v) - l->y_lo) / (l->y_hi - l->y_lo) * l->plot.height;
}

static double
lpy_lr (const Layout *l, double v)
{
  return l->plot.y + l->plot.height - (v - l->lr_lo) / (l->lr_hi - l->lr_lo) * l->plot.height;
}

static void
compute_layout (TcLossChart *self, cairo_t *cr, double width, double height, Layout *l)
{
  double lo = INFINITY, hi = -INFINITY, lr_hi = 0, left_w = 0, right_w = 0, step, top = PAD;
  guint i;

  memset (l, 0, sizeof *l);
  l->log_scale = self->log_scale;

  for (i = 0; i < self->x->len; i++)
    {
      double a = g_array_index (self->train, double, i), b = g_array_index (self->val, double, i);
      double r = g_array_index (self->lr, double, i);

      if (isfinite (a) && (!self->log_scale || a > 0))
        lo = MIN (lo, a), hi = MAX (hi, a);
      if (isfinite (b) && (!self->log_scale || b > 0))
        lo = MIN (lo, b), hi = MAX (hi, b);
      if (isfinite (r))
        lr_hi = MAX (lr_hi, r);
    }
  if (!isfinite (lo))
    {
      lo = self->log_scale ? 0.1 : 0;
      hi = 1;
    }
  if (hi <= lo)
    hi = lo * 2 + 1e-9 + (lo == 0);

  if (self->log_scale)
    {
      l->y_lo = floor (log10 (lo) * 4) / 4;  /* quarter decades keep the curve off the edges */
      l->y_hi = ceil (log10 (hi) * 4) / 4;
      if (l->y_hi <= l->y_lo)
        l->y_hi = l->y_lo + 0.25;
      l->yticks = tc_chart_log_ticks (pow (10, l->y_lo), pow (10, l->y_hi));
    }
  else
    {
      if (lo > 0)
        lo = 0;  /* losses are ≥ 0: start at zero */
      l->yticks = tc_chart_value_ticks (lo, hi * 1.04, MAX (2, (int) (height / 60)), FALSE, &step);
      l->y_lo = floor (lo / step) * step;
      l->y_hi = ceil (hi * 1.04 / step) * step;
      g_clear_pointer (&l->yticks, g_array_unref);
      l->yticks = tc_chart_value_ticks (l->y_lo, l->y_hi, (int) round ((l->y_hi - l->y_lo) / step), FALSE, NULL);
    }
  for (i = 0; i < l->yticks->len; i++)
    left_w = MAX (left_w, tc_chart_text_width (cr, g_array_index (l->yticks, TcChartTick, i).label, FONT_TICK, FALSE));

  if (self->has_lr && lr_hi > 0)
    {
      l->lrticks = tc_chart_value_ticks (0, lr_hi * 1.04, 4, FALSE, &step);
      l->lr_lo = 0;
      l->lr_hi = ceil (lr_hi * 1.04 / step) * step;
      for (i = 0; i < l->lrticks->len; i++)
        {
          TcChartTick *t = &g_array_index (l->lrticks, TcChartTick, i);

          g_free (t->label);
          t->label = format_small (t->value);
          right_w = MAX (right_w, tc_chart_text_width (cr, t->label, FONT_TICK, FALSE));
        }
    }

  if (self->title && *self->title)
    top += 24;
  l->legend_y = top;
  top += 22;

  if (self->x->len > 0)
    {
      l->x_lo = g_array_index (self->x, double, 0);
      l->x_hi = g_array_index (self->x, double, self->x->len - 1);
    }
  if (l->x_hi <= l->x_lo)
    l->x_hi = l->x_lo + 1;

  l->plot.x = PAD + left_w + 8;
  l->plot.y = top + 4;
  l->plot.width = MAX (1, width - l->plot.x - PAD - (right_w > 0 ? right_w + 8 : 4));
  l->plot.height = MAX (1, height - PAD - 34 - l->plot.y);

  {
    double xs = tc_chart_nice_step (l->x_hi - l->x_lo, MAX (2, (int) (l->plot.width / 70)));

    if (xs < 1 && l->x_hi - l->x_lo >= 1)
      xs = 1;  /* epochs and steps are whole */
    l->xticks = tc_chart_value_ticks (l->x_lo, l->x_hi, (int) round ((l->x_hi - l->x_lo) / xs), FALSE, NULL);
  }
}

static cairo_t *
measure_cr (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);

  cairo_surface_destroy (s);
  return cr;
}

TcChartRect
tc_loss_chart_get_plot_rect (TcLossChart *chart,
                             double       width,
                             double       height)
{
  cairo_t *cr = measure_cr ();
  Layout l;
  TcChartRect r;

  compute_layout (chart, cr, width, height, &l);
  r = l.plot;
  layout_clear (&l);
  cairo_destroy (cr);
  return r;
}

void
tc_loss_chart_set_size (TcLossChart *chart,
                        double       width,
                        double       height)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  chart->width = width > 0 ? width : 640;
  chart->height = height > 0 ? height : 320;
}

double
tc_loss_chart_value_to_y (TcLossChart *chart,
                          double       v)
{
  cairo_t *cr = measure_cr ();
  Layout l;
  double y;

  compute_layout (chart, cr, chart->width, chart->height, &l);
  y = lpy (&l, v);
  layout_clear (&l);
  cairo_destroy (cr);
  return y;
}

double
tc_loss_chart_x_to_px (TcLossChart *chart,
                       double       x)
{
  cairo_t *cr = measure_cr ();
  Layout l;
  double px;

  compute_layout (chart, cr, chart->width, chart->height, &l);
  px = lpx (&l, x);
  layout_clear (&l);
  cairo_destroy (cr);
  return px;
}

/* -- hover ---------------------------------------------------------------- */

static void
fill_info (TcLossChart *self, guint i, TcLossHoverInfo *info)
{
  info->index = i;
  info->x = g_array_index (self->x, double, i);
  info->train = g_array_index (self->train, double, i);
  info->val = g_array_index (self->val, double, i);
  info->lr = g_array_index (self->lr, double, i);
  info->px = tc_loss_chart_x_to_px (self, info->x);
}

gboolean
tc_loss_chart_hover_at (TcLossChart     *chart,
                        double           px,
                        double           py,
                        TcLossHoverInfo *info)
{
  TcChartRect p;
  double x, span;
  guint i, best = 0;

  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), FALSE);
  p = tc_loss_chart_get_plot_rect (chart, chart->width, chart->height);
  if (chart->x->len == 0 || px < p.x - 4 || px > p.x + p.width + 4 || py < p.y || py > p.y + p.height)
    {
      tc_loss_chart_clear_hover (chart);
      return FALSE;
    }
  span = g_array_index (chart->x, double, chart->x->len - 1) - g_array_index (chart->x, double, 0);
  x = g_array_index (chart->x, double, 0) + (px - p.x) / p.width * (span > 0 ? span : 1);
  for (i = 1; i < chart->x->len; i++)
    if (fabs (g_array_index (chart->x, double, i) - x) < fabs (g_array_index (chart->x, double, best) - x))
      best = i;
  if (chart->hover != (int) best)
    {
      chart->hover = (int) best;
      changed (chart);
    }
  if (info)
    fill_info (chart, best, info);
  return TRUE;
}

gboolean
tc_loss_chart_get_hover (TcLossChart     *chart,
                         TcLossHoverInfo *info)
{
  g_return_val_if_fail (TC_IS_LOSS_CHART (chart), FALSE);
  if (chart->hover < 0 || chart->hover >= (int) chart->x->len)
    return FALSE;
  if (info)
    fill_info (chart, (guint) chart->hover, info);
  return TRUE;
}

void
tc_loss_chart_move_hover (TcLossChart *chart,
                          int          delta)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  if (chart->x->len == 0)
    return;
  if (chart->hover < 0)
    chart->hover = delta < 0 ? (int) chart->x->len - 1 : 0;
  else
    chart->hover = CLAMP (chart->hover + delta, 0, (int) chart->x->len - 1);
  changed (chart);
}

void
tc_loss_chart_clear_hover (TcLossChart *chart)
{
  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  if (chart->hover >= 0)
    {
      chart->hover = -1;
      changed (chart);
    }
}

/* -- rendering ------------------------------------------------------------ */

static gboolean
drawable (const Layout *l, GArray *y, guint i, gboolean lr)
{
  double v = g_array_index (y, double, i);

  return isfinite (v) && (lr || !l->log_scale || v > 0);
}

static void
stroke_series (cairo_t *cr, const Layout *l, GArray *x, GArray *y, gboolean lr)
{
  gboolean pen = FALSE;
  guint i;

  for (i = 0; i < x->len; i++)
    {
      double v = g_array_index (y, double, i);
      double py;

      if (!isfinite (v) || (!lr && l->log_scale && v <= 0))
        {
          pen = FALSE;
          continue;
        }
      py = lr ? lpy_lr (l, v) : lpy (l, v);
      if (pen)
        cairo_line_to (cr, lpx (l, g_array_index (x, double, i)), py);
      else
        cairo_move_to (cr, lpx (l, g_array_index (x, double, i)), py);
      pen = TRUE;
    }
  cairo_stroke (cr);
  /* A point without a drawable neighbour makes no line: after the first
   * epoch there is only one, and it must show as a dot. */
  for (i = 0; i < x->len; i++)
    if (drawable (l, y, i, lr) && (i == 0 || !drawable (l, y, i - 1, lr))
        && (i + 1 == x->len || !drawable (l, y, i + 1, lr)))
      {
        double v = g_array_index (y, double, i);

        cairo_new_sub_path (cr);
        cairo_arc (cr, lpx (l, g_array_index (x, double, i)), lr ? lpy_lr (l, v) : lpy (l, v), 3, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

void
tc_loss_chart_render (TcLossChart *chart,
                      cairo_t     *cr,
                      double       width,
                      double       height)
{
  const TcChartStyle *s;
  Layout l;
  guint i, best;
  double lx;
  TcRGBA lr_color;
  struct { const char *label; const TcRGBA *c; gboolean dash; } items[4];
  guint n_items = 0;

  g_return_if_fail (TC_IS_LOSS_CHART (chart));
  s = &chart->style;
  lr_color = s->text_dim;

  compute_layout (chart, cr, width, height, &l);
  cairo_save (cr);
  tc_chart_set_rgba (cr, &s->background);
  cairo_paint (cr);

  /* Grid and value labels. */
  cairo_set_line_width (cr, 1);
  for (i = 0; i < l.yticks->len; i++)
    {
      const TcChartTick *t = &g_array_index (l.yticks, TcChartTick, i);
      double y = lpy (&l, t->value);

      tc_chart_set_rgba (cr, &s->grid);
      cairo_move_to (cr, l.plot.x, tc_chart_crisp (y));
      cairo_line_to (cr, l.plot.x + l.plot.width, tc_chart_crisp (y));
      cairo_stroke (cr);
      tc_chart_set_rgba (cr, &s->text_dim);
      tc_chart_draw_text (cr, t->label, l.plot.x - 8, y + 4, 1.0, FONT_TICK, FALSE);
    }
  for (i = 0; i < l.xticks->len; i++)
    {
      const TcChartTick *t = &g_array_index (l.xticks, TcChartTick, i);
      double x = lpx (&l, t->value);

      tc_chart_set_rgba (cr, &s->grid);
      cairo_move_to (cr, tc_chart_crisp (x), l.plot.y);
      cairo_line_to (cr, tc_chart_crisp (x), l.plot.y + l.plot.height);
      cairo_stroke (cr);
      tc_chart_set_rgba (cr, &s->text_dim);
      tc_chart_draw_text (cr, t->label, x, l.plot.y + l.plot.height + 16, 0.5, FONT_TICK, FALSE);
    }
  if (l.lrticks)
    for (i = 0; i < l.lrticks->len; i++)
      {
        const TcChartTick *t = &g_array_index (l.lrticks, TcChartTick, i);

        tc_chart_set_rgba (cr, &s->text_dim);
        tc_chart_draw_text (cr, t->label, l.plot.x + l.plot.width + 8, lpy_lr (&l, t->value) + 4, 0, FONT_TICK, FALSE);
      }
  tc_chart_set_rgba (cr, &s->axis);
  cairo_move_to (cr, l.plot.x, tc_chart_crisp (l.plot.y + l.plot.height));
  cairo_line_to (cr, l.plot.x + l.plot.width, tc_chart_crisp (l.plot.y + l.plot.height));
  cairo_stroke (cr);
  if (chart->x_label)
    {
      tc_chart_set_rgba (cr, &s->text_dim);
      tc_chart_draw_text (cr, chart->x_label, l.plot.x + l.plot.width / 2, l.plot.y + l.plot.height + 32, 0.5, FONT_TICK, FALSE);
    }

  cairo_save (cr);
  cairo_rectangle (cr, l.plot.x, l.plot.y - 4, l.plot.width, l.plot.height + 8);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* Best-epoch marker first, so the curves stay on top of it. */
  if (tc_loss_chart_get_best (chart, &best))
    {
      TcRGBA c = s->promo;
      double bx = lpx (&l, g_array_index (chart->x, double, best));

      c.a = MIN (1.0, c.a * 7);
      tc_chart_set_rgba (cr, &c);
      cairo_move_to (cr, tc_chart_crisp (bx), l.plot.y);
      cairo_line_to (cr, tc_chart_crisp (bx), l.plot.y + l.plot.height);
      cairo_stroke (cr);
      /* Translators: marks the epoch with the lowest validation loss on the loss chart. */
      tc_chart_draw_text (cr, _("best"), bx + 4, l.plot.y + 12, 0, FONT_TICK - 1, FALSE);
    }

  if (l.lrticks)
    {
      static const double dash[] = { 4, 3 };

      cairo_set_dash (cr, dash, 2, 0);
      tc_chart_set_rgba (cr, &lr_color);
      cairo_set_line_width (cr, 1.25);
      stroke_series (cr, &l, chart->x, chart->lr, TRUE);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_set_line_width (cr, 2);
  tc_chart_set_rgba (cr, &s->forecast);
  stroke_series (cr, &l, chart->x, chart->train, FALSE);
  if (chart->has_val)
    {
      tc_chart_set_rgba (cr, &s->actual);
      stroke_series (cr, &l, chart->x, chart->val, FALSE);
    }
  cairo_restore (cr);

  /* Title and legend. */
  if (chart->title && *chart->title)
    {
      tc_chart_set_rgba (cr, &s->text);
      tc_chart_draw_text (cr, chart->title, PAD, PAD + FONT_TITLE, 0, FONT_TITLE, TRUE);
    }
  /* Translators: the loss chart's legend entries. */
  items[n_items].label = _("Training loss"); items[n_items].c = &s->forecast; items[n_items++].dash = FALSE;
  if (chart->has_val)
    {
      items[n_items].label = _("Validation loss"); items[n_items].c = &s->actual; items[n_items++].dash = FALSE;
    }
  if (l.lrticks)
    {
      items[n_items].label = _("Learning rate (right axis)"); items[n_items].c = &lr_color; items[n_items++].dash = TRUE;
    }
  lx = PAD;
  for (i = 0; i < n_items; i++)
    {
      double w = 22 + tc_chart_text_width (cr, items[i].label, FONT_LEGEND, FALSE);

      if (lx + w > width - PAD)
        break;
      if (items[i].dash)
        {
          static const double dash[] = { 4, 3 };
          cairo_set_dash (cr, dash, 2, 0);
        }
      tc_chart_set_rgba (cr, items[i].c);
      cairo_set_line_width (cr, items[i].dash ? 1.25 : 2);
      cairo_move_to (cr, lx + 1, l.legend_y + 8);
      cairo_line_to (cr, lx + 15, l.legend_y + 8);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      tc_chart_set_rgba (cr, &s->text);
      tc_chart_draw_text (cr, items[i].label, lx + 22, l.legend_y + 12, 0, FONT_LEGEND, FALSE);
      lx += w + 16;
    }

  /* Hover readout. */
  if (chart->hover >= 0 && chart->hover < (int) chart->x->len)
    {
      guint k = (guint) chart->hover;
      double hx = lpx (&l, g_array_index (chart->x, double, k));
      double tr = g_array_index (chart->train, double, k), va = g_array_index (chart->val, double, k);
      double lr = g_array_index (chart->lr, double, k);
      GString *text = g_string_new (NULL);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double tw, bx;

      tc_chart_set_rgba (cr, &s->axis);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, tc_chart_crisp (hx), l.plot.y);
      cairo_line_to (cr, tc_chart_crisp (hx), l.plot.y + l.plot.height);
      cairo_stroke (cr);

      g_string_append_printf (text, "%s %s", chart->x_label ? chart->x_label : "",
                              g_ascii_formatd (buf, sizeof buf, "%g", g_array_index (chart->x, double, k)));
      /* The three-space gaps separate the readout's fields. */
      if (isfinite (tr))
        {
          g_string_append (text, "   ");
          /* Translators: the loss chart's hover readout; %s is the training loss. */
          g_string_append_printf (text, _("train %s"), g_ascii_formatd (buf, sizeof buf, "%.4g", tr));
        }
      if (isfinite (va))
        {
          g_string_append (text, "   ");
          /* Translators: the loss chart's hover readout; %s is the validation loss. */
          g_string_append_printf (text, _("val %s"), g_ascii_formatd (buf, sizeof buf, "%.4g", va));
        }
      if (isfinite (lr))
        {
          g_string_append (text, "   ");
          /* Translators: the loss chart's hover readout; %s is the learning rate. */
          g_string_append_printf (text, _("lr %s"), g_ascii_formatd (buf, sizeof buf, "%.2e", lr));
        }

      tw = tc_chart_text_width (cr, text->str, FONT_TICK, FALSE) + 16;
      bx = CLAMP (hx - tw / 2, l.plot.x, l.plot.x + l.plot.width - tw);
      cairo_rectangle (cr, round (bx) + 0.5, round (l.plot.y + 4) + 0.5, round (tw), 22);
      tc_chart_set_rgba (cr, &s->tooltip_bg);
      cairo_fill_preserve (cr);
      tc_chart_set_rgba (cr, &s->tooltip_border);
      cairo_stroke (cr);
      tc_chart_set_rgba (cr, &s->text);
      tc_chart_draw_text (cr, text->str, bx + 8, l.plot.y + 20, 0, FONT_TICK, FALSE);
      g_string_free (text, TRUE);

      if (isfinite (tr) && (!l.log_scale || tr > 0))
        {
          tc_chart_set_rgba (cr, &s->forecast);
          cairo_arc (cr, hx, lpy (&l, tr), 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      if (isfinite (va) && (!l.log_scale || va > 0))
        {
          tc_chart_set_rgba (cr, &s->actual);
          cairo_arc (cr, hx, lpy (&l, va), 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

  cairo_restore (cr);
  layout_clear (&l);
}
