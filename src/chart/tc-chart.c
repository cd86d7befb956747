/* tc-chart.c — the forecast chart model and its Cairo renderer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-chart"

#include "config.h"

#include "tc-chart.h"
#include "tc-chart-private.h"
#include "tc-error.h"
#include "tc-file.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define FONT_TICK      11.0
#define FONT_LEGEND    11.5
#define FONT_TITLE     14.0
#define PAD            12.0
#define DEFAULT_WIDTH  640.0
#define DEFAULT_HEIGHT 400.0

/* -- styles: the libadwaita palette -------------------------------------- */

#define HEX(h, alpha) { ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0, alpha }

static const TcChartStyle style_light = {
  .background     = HEX (0xffffff, 1.0),
  .text           = HEX (0x000000, 0.80),
  .text_dim       = HEX (0x000000, 0.55),
  .grid           = HEX (0x000000, 0.07),
  .axis           = HEX (0x000000, 0.25),
  .history        = HEX (0x3d3846, 1.0),   /* dark 3 */
  .forecast       = HEX (0x3584e4, 1.0),   /* blue 3 */
  .band           = HEX (0x3584e4, 0.16),
  .band_inner     = HEX (0x3584e4, 0.22),
  .actual         = HEX (0xe66100, 1.0),   /* orange 5 */
  .promo          = HEX (0x2ec27e, 0.13),  /* green 4 */
  .holiday        = HEX (0x9141ac, 0.12),  /* purple 3 */
  .tooltip_bg     = HEX (0xffffff, 0.96),
  .tooltip_border = HEX (0x000000, 0.15),
  .comparison     = HEX (0xc64600, 1.0),   /* orange 5, far from the blue forecast */
};

static const TcChartStyle style_dark = {
  .background     = HEX (0x1e1e1e, 1.0),
  .text           = HEX (0xffffff, 0.90),
  .text_dim       = HEX (0xffffff, 0.60),
  .grid           = HEX (0xffffff, 0.08),
  .axis           = HEX (0xffffff, 0.28),
  .history        = HEX (0xdeddda, 1.0),   /* light 3 */
  .forecast       = HEX (0x62a0ea, 1.0),   /* blue 2 */
  .band           = HEX (0x62a0ea, 0.18),
  .band_inner     = HEX (0x62a0ea, 0.22),
  .actual         = HEX (0xffa348, 1.0),   /* orange 2 */
  .promo          = HEX (0x57e389, 0.14),  /* green 2 */
  .holiday        = HEX (0xc061cb, 0.16),  /* purple 2 */
  .tooltip_bg     = HEX (0x303030, 0.97),
  .tooltip_border = HEX (0xffffff, 0.15),
  .comparison     = HEX (0xffa348, 1.0),   /* orange 2 */
};

const TcChartStyle *
tc_chart_style_light (void)
{
  return &style_light;
}

const TcChartStyle *
tc_chart_style_dark (void)
{
  return &style_dark;
}

/* -- the model ------------------------------------------------------------ */

typedef struct
{
  double  q_lo, q_hi;
  double *lo;  /* (n_fc) */
  double *hi;  /* (n_fc) */
} Band;

typedef struct
{
  TcChartMarkerKind kind;
  gint64            t_start, t_end;
  char             *label;
} Marker;

struct _TcChart
{
  GObject parent_instance;

  gint64 *hist_t;   /* (n_hist) */
  double *hist_y;   /* (n_hist) */
  guint   n_hist;
  gint64 *fc_t;     /* (n_fc) */
  double *fc_y;     /* (n_fc) */
  double *actual;   /* (n_fc) or NULL */
  double *cmp_y;    /* (n_fc) or NULL: a second median, e.g. a what-if scenario */
  char   *cmp_label;
  guint   n_fc;
  GArray *bands;    /* of Band, sorted widest first */
  GArray *markers;  /* of Marker */

  /* The merged, sorted time axis of history and forecast steps. */
  gint64 *step_t;   /* (n_steps) */
  int    *step_h;   /* (n_steps) index into hist or -1 */
  int    *step_f;   /* (n_steps) index into fc or -1 */
  guint   n_steps;

  char *title;
  char *units;
  TcChartStyle style;
  gboolean show_legend;

  double width, height;
  double view_from, view_to;
  gboolean view_set;
  int hover;  /* step index or -1 */

  cairo_surface_t *measure_surface;
  cairo_t *measure_cr;
};

G_DEFINE_FINAL_TYPE (TcChart, tc_chart, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
band_clear (gpointer p)
{
  Band *b = p;

  g_clear_pointer (&b->lo, g_free);
  g_clear_pointer (&b->hi, g_free);
}

static void
marker_clear (gpointer p)
{
  Marker *m = p;

  g_clear_pointer (&m->label, g_free);
}

static void
tc_chart_finalize (GObject *object)
{
  TcChart *self = TC_CHART (object);

  g_free (self->hist_t);
  g_free (self->hist_y);
  g_free (self->fc_t);
  g_free (self->fc_y);
  g_free (self->actual);
  g_free (self->cmp_y);
  g_free (self->cmp_label);
  g_free (self->step_t);
  g_free (self->step_h);
  g_free (self->step_f);
  g_array_unref (self->bands);
  g_array_unref (self->markers);
  g_free (self->title);
  g_free (self->units);
  g_clear_pointer (&self->measure_cr, cairo_destroy);
  g_clear_pointer (&self->measure_surface, cairo_surface_destroy);

  G_OBJECT_CLASS (tc_chart_parent_class)->finalize (object);
}

static void
tc_chart_class_init (TcChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_chart_finalize;

  /* Emitted whenever the chart needs to be redrawn. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
tc_chart_init (TcChart *self)
{
  self->bands = g_array_new (FALSE, TRUE, sizeof (Band));
  g_array_set_clear_func (self->bands, band_clear);
  self->markers = g_array_new (FALSE, TRUE, sizeof (Marker));
  g_array_set_clear_func (self->markers, marker_clear);
  self->style = style_light;
  self->show_legend = TRUE;
  self->width = DEFAULT_WIDTH;
  self->height = DEFAULT_HEIGHT;
  self->hover = -1;
}

TcChart *
tc_chart_new (void)
{
  return g_object_new (TC_TYPE_CHART, NULL);
}

static void
changed (TcChart *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rebuild_steps (TcChart *self)
{
  guint i = 0, j = 0, k = 0;

  g_clear_pointer (&self->step_t, g_free);
  g_clear_pointer (&self->step_h, g_free);
  g_clear_pointer (&self->step_f, g_free);
  self->step_t = g_new (gint64, self->n_hist + self->n_fc + 1);
  self->step_h = g_new (int, self->n_hist + self->n_fc + 1);
  self->step_f = g_new (int, self->n_hist + self->n_fc + 1);

  /* Both inputs are sorted; a forecast step at a history time shares it. */
  while (i < self->n_hist || j < self->n_fc)
    {
      gint64 th = i < self->n_hist ? self->hist_t[i] : G_MAXINT64;
      gint64 tf = j < self->n_fc ? self->fc_t[j] : G_MAXINT64;

      self->step_t[k] = MIN (th, tf);
      self->step_h[k] = th == self->step_t[k] ? (int) i++ : -1;
      self->step_f[k] = tf == self->step_t[k] ? (int) j++ : -1;
      k++;
    }
  self->n_steps = k;
  self->hover = -1;
  if (!self->view_set)
    tc_chart_get_data_extent (self, &self->view_from, &self->view_to);
}

static gboolean
is_sorted (const gint64 *t, guint n)
{
  guint i;

  for (i = 1; i < n; i++)
    if (t[i] <= t[i - 1])
      return FALSE;
  return TRUE;
}

void
tc_chart_set_history (TcChart      *chart,
                      const gint64 *t,
                      const double *y,
                      guint         n)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (n == 0 || (t != NULL && y != NULL));
  g_return_if_fail (is_sorted (t, n));

  g_free (chart->hist_t);
  g_free (chart->hist_y);
  chart->hist_t = n ? g_memdup2 (t, n * sizeof *t) : NULL;
  chart->hist_y = n ? g_memdup2 (y, n * sizeof *y) : NULL;
  chart->n_hist = n;
  rebuild_steps (chart);
  changed (chart);
}

void
tc_chart_set_forecast (TcChart      *chart,
                       const gint64 *t,
                       const double *median,
                       guint         n)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (n == 0 || (t != NULL && median != NULL));
  g_return_if_fail (is_sorted (t, n));

  g_free (chart->fc_t);
  g_free (chart->fc_y);
  chart->fc_t = n ? g_memdup2 (t, n * sizeof *t) : NULL;
  chart->fc_y = n ? g_memdup2 (median, n * sizeof *median) : NULL;
  /* Bands and actuals belong to the old forecast steps. */
  if (n != chart->n_fc)
    {
      g_array_set_size (chart->bands, 0);
      g_clear_pointer (&chart->actual, g_free);
      g_clear_pointer (&chart->cmp_y, g_free);
    }
  chart->n_fc = n;
  rebuild_steps (chart);
  changed (chart);
}

static int
band_cmp (gconstpointer a, gconstpointer b)
{
  const Band *x = a, *y = b;
  double wx = x->q_hi - x->q_lo, wy = y->q_hi - y->q_lo;

  return wx > wy ? -1 : (wx < wy ? 1 : 0);
}

void
tc_chart_add_band (TcChart      *chart,
                   double        q_lo,
                   double        q_hi,
                   const double *lo,
                   const double *hi)
{
  Band band;

  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (chart->n_fc > 0 && lo != NULL && hi != NULL);
  g_return_if_fail (q_lo < q_hi);

  band.q_lo = q_lo;
  band.q_hi = q_hi;
  band.lo = g_memdup2 (lo, chart->n_fc * sizeof *lo);
  band.hi = g_memdup2 (hi, chart->n_fc * sizeof *hi);
  g_array_append_val (chart->bands, band);
  g_array_sort (chart->bands, band_cmp);
  changed (chart);
}

void
tc_chart_set_actuals (TcChart      *chart,
                      const double *y)
{
  g_return_if_fail (TC_IS_CHART (chart));

  g_clear_pointer (&chart->actual, g_free);
  if (y != NULL && chart->n_fc > 0)
    chart->actual = g_memdup2 (y, chart->n_fc * sizeof *y);
  changed (chart);
}

void
tc_chart_set_comparison (TcChart      *chart,
                         const double *median,
                         const char   *label)
{
  g_return_if_fail (TC_IS_CHART (chart));

  g_clear_pointer (&chart->cmp_y, g_free);
  g_clear_pointer (&chart->cmp_label, g_free);
  if (median != NULL && chart->n_fc > 0)
    {
      chart->cmp_y = g_memdup2 (median, chart->n_fc * sizeof *median);
      chart->cmp_label = g_strdup (label && *label ? label : _("Comparison"));
    }
  changed (chart);
}

void
tc_chart_add_marker (TcChart          *chart,
                     TcChartMarkerKind kind,
                     gint64            t_start,
                     gint64            t_end,
                     const char       *label)
{
  Marker m;

  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (t_end >= t_start);

  m.kind = kind;
  m.t_start = t_start;
  m.t_end = t_end;
  m.label = g_strdup (label);
  g_array_append_val (chart->markers, m);
  changed (chart);
}

guint
tc_chart_count_markers (TcChart          *chart,
                        TcChartMarkerKind kind)
{
  guint n = 0;

  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  for (guint i = 0; i < chart->markers->len; i++)
    n += g_array_index (chart->markers, Marker, i).kind == kind;
  return n;
}

void
tc_chart_clear (TcChart *chart)
{
  g_return_if_fail (TC_IS_CHART (chart));

  g_clear_pointer (&chart->hist_t, g_free);
  g_clear_pointer (&chart->hist_y, g_free);
  g_clear_pointer (&chart->fc_t, g_free);
  g_clear_pointer (&chart->fc_y, g_free);
  g_clear_pointer (&chart->actual, g_free);
  g_clear_pointer (&chart->cmp_y, g_free);
  g_clear_pointer (&chart->cmp_label, g_free);
  chart->n_hist = chart->n_fc = 0;
  g_array_set_size (chart->bands, 0);
  g_array_set_size (chart->markers, 0);
  chart->view_set = FALSE;
  rebuild_steps (chart);
  changed (chart);
}

void
tc_chart_set_title (TcChart    *chart,
                    const char *title)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_free (chart->title);
  chart->title = g_strdup (title);
  changed (chart);
}

const char *
tc_chart_get_title (TcChart *chart)
{
  g_return_val_if_fail (TC_IS_CHART (chart), NULL);
  return chart->title;
}

void
tc_chart_set_units (TcChart    *chart,
                    const char *units)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_free (chart->units);
  chart->units = g_strdup (units);
  changed (chart);
}

void
tc_chart_set_style (TcChart            *chart,
                    const TcChartStyle *style)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (style != NULL);
  chart->style = *style;
  changed (chart);
}

const TcChartStyle *
tc_chart_get_style (TcChart *chart)
{
  g_return_val_if_fail (TC_IS_CHART (chart), NULL);
  return &chart->style;
}

void
tc_chart_set_show_legend (TcChart  *chart,
                          gboolean  show)
{
  g_return_if_fail (TC_IS_CHART (chart));
  chart->show_legend = !!show;
  changed (chart);
}

guint
tc_chart_get_n_steps (TcChart *chart)
{
  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  return chart->n_steps;
}

guint
tc_chart_get_n_bands (TcChart *chart)
{
  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  return chart->bands->len;
}

gboolean
tc_chart_get_band_levels (TcChart *chart, guint index, double *q_lo, double *q_hi)
{
  const Band *band;

  g_return_val_if_fail (TC_IS_CHART (chart), FALSE);
  if (index >= chart->bands->len)
    return FALSE;
  band = &g_array_index (chart->bands, Band, index);
  *q_lo = band->q_lo;
  *q_hi = band->q_hi;
  return TRUE;
}

gint64
tc_chart_get_step_time (TcChart *chart,
                        guint    index)
{
  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  g_return_val_if_fail (index < chart->n_steps, 0);
  return chart->step_t[index];
}

/* -- layout --------------------------------------------------------------- */

typedef struct
{
  const char *label;
  int         kind;  /* see legend_draw_swatch () */
  double      width; /* swatch + text */
  double      x, y;  /* where it is drawn: left, top of its row */
} LegendItem;

enum { SW_LINE_HISTORY, SW_LINE_FORECAST, SW_LINE_COMPARISON, SW_BAND, SW_BAND_INNER, SW_DOTS, SW_PROMO, SW_HOLIDAY, SW_EVENT };

typedef struct
{
  double      width, height;
  TcChartRect plot;
  double      t_from, t_to;
  double      y_lo, y_hi;
  GArray     *yticks;      /* TcChartTick */
  GArray     *xticks;      /* TcChartTick */
  double      title_y;     /* baseline */
  double      legend_y;    /* top of the legend row */
  double      legend_x;
  LegendItem  legend[10];
  guint       n_legend;
  char       *band_label;   /* "80 % interval" */
  char       *inner_label;
} Layout;

static void
layout_clear (Layout *l)
{
  g_clear_pointer (&l->yticks, g_array_unref);
  g_clear_pointer (&l->xticks, g_array_unref);
  g_clear_pointer (&l->band_label, g_free);
  g_clear_pointer (&l->inner_label, g_free);
}

static cairo_t *
measure_cr (TcChart *self)
{
  if (self->measure_cr == NULL)
    {
      self->measure_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      self->measure_cr = cairo_create (self->measure_surface);
    }
  return self->measure_cr;
}

static char *
band_label (const Band *b)
{
  double pct = round ((b->q_hi - b->q_lo) * 100.0);

  /* Translators: a chart legend entry for the shaded prediction band;
   * %g is its width in percent, e.g. "80 % interval". */
  return g_strdup_printf (_("%g %% interval"), pct);
}

static void
extend_range (double v, double *lo, double *hi)
{
  if (isfinite (v))
    {
      *lo = MIN (*lo, v);
      *hi = MAX (*hi, v);
    }
}

/* The value range of the data visible in [from, to], one step beyond on each
 * side so lines leaving the view count too. */
static void
visible_value_range (TcChart *self, double from, double to, double *out_lo, double *out_hi)
{
  double lo = INFINITY, hi = -INFINITY;
  guint k, b;

  for (k = 0; k < self->n_steps; k++)
    {
      gboolean in = self->step_t[k] >= from && self->step_t[k] <= to;
      gboolean near = (k + 1 < self->n_steps && self->step_t[k + 1] >= from && self->step_t[k] < from)
                      || (k > 0 && self->step_t[k - 1] <= to && self->step_t[k] > to);

      if (!in && !near)
        continue;
      if (self->step_h[k] >= 0)
        extend_range (self->hist_y[self->step_h[k]], &lo, &hi);
      if (self->step_f[k] >= 0)
        {
          int f = self->step_f[k];

          extend_range (self->fc_y[f], &lo, &hi);
          if (self->actual)
            extend_range (self->actual[f], &lo, &hi);
          if (self->cmp_y)
            extend_range (self->cmp_y[f], &lo, &hi);
          for (b = 0; b < self->bands->len; b++)
            {
              const Band *band = &g_array_index (self->bands, Band, b);
              extend_range (band->lo[f], &lo, &hi);
              extend_range (band->hi[f], &lo, &hi);
            }
        }
    }
  if (!isfinite (lo))
    {
      lo = 0;
      hi = 1;
    }
  /* Demand is never negative: anchor the axis at zero so heights compare. */
  if (lo >= 0)
    lo = 0;
  if (hi <= lo)
    hi = lo + 1;
  *out_lo = lo;
  *out_hi = hi + (hi - lo) * 0.04;
}

static void
compute_layout (TcChart *self, double width, double height, Layout *l)
{
  cairo_t *cr = measure_cr (self);
  double top = PAD, left = PAD, bottom, ylabel_w = 0, row_w = 0, title_w = 0;
  double lo, hi, step;
  int target;
  guint i;
  gboolean compact = FALSE;

  memset (l, 0, sizeof *l);
  l->width = width;
  l->height = height;
  l->t_from = self->view_from;
  l->t_to = self->view_to;
  if (!(l->t_to > l->t_from))
    l->t_to = l->t_from + 86400;

  /* Legend items, only for what is shown. */
  if (self->bands->len > 0)
    {
      l->band_label = band_label (&g_array_index (self->bands, Band, 0));
      if (self->bands->len > 1)
        l->inner_label = band_label (&g_array_index (self->bands, Band, self->bands->len - 1));
    }
#define ADD_ITEM(text, k) G_STMT_START { \
    l->legend[l->n_legend].label = (text); \
    l->legend[l->n_legend].kind = (k); \
    l->legend[l->n_legend].width = 22 + tc_chart_text_width (cr, (text), FONT_LEGEND, FALSE); \
    l->n_legend++; } G_STMT_END
  if (self->show_legend)
    {
      gboolean promo = FALSE, holiday = FALSE, event = FALSE, change = FALSE;

      /* The legend names what can be seen: not markers outside the view. */
      for (i = 0; i < self->markers->len; i++)
        {
          const Marker *m = &g_array_index (self->markers, Marker, i);

          if (m->t_end < self->view_from || m->t_start > self->view_to)
            continue;
          promo |= m->kind == TC_CHART_MARKER_PROMOTION;
          holiday |= m->kind == TC_CHART_MARKER_HOLIDAY;
          event |= m->kind == TC_CHART_MARKER_EVENT;
          change |= m->kind == TC_CHART_MARKER_CHANGE;
        }
      if (self->n_hist > 0)
        /* Translators: the forecast chart's legend entries. */
        ADD_ITEM (_("History"), SW_LINE_HISTORY);
      if (self->n_fc > 0)
        ADD_ITEM (_("Forecast (median)"), SW_LINE_FORECAST);
      if (self->cmp_y)
        ADD_ITEM (self->cmp_label, SW_LINE_COMPARISON);
      if (l->band_label)
        ADD_ITEM (l->band_label, SW_BAND);
      if (l->inner_label)
        ADD_ITEM (l->inner_label, SW_BAND_INNER);
      if (self->actual)
        ADD_ITEM (_("Actual (holdout)"), SW_DOTS);
      if (promo)
        ADD_ITEM (_("Promotion"), SW_PROMO);
      if (holiday)
        ADD_ITEM (_("Holiday"), SW_HOLIDAY);
      if (event)
        ADD_ITEM (_("Event"), SW_EVENT);
      if (change)
        ADD_ITEM (_("Changed in the scenario"), SW_PROMO);
    }
#undef ADD_ITEM

  for (i = 0; i < l->n_legend; i++)
    row_w += l->legend[i].width + (i ? 16 : 0);

  /* Title left, legend right on one row; otherwise the legend goes below
   * the title and flows into at most two rows, and legend items that
   * still do not fit are dropped. */
  {
    gboolean beside = FALSE;
    double x, y;
    guint rows = 1, kept = 0;

    if (self->title && *self->title)
      {
        title_w = tc_chart_text_width (cr, self->title, FONT_TITLE, TRUE);
        l->title_y = top + FONT_TITLE;
        beside = l->n_legend > 0 && title_w + 24 + row_w <= width - 2 * PAD;
        if (beside)
          {
            l->legend_y = top + 2;
            l->legend_x = width - PAD - row_w;
          }
        top += 24;
      }
    if (!beside)
      {
        l->legend_y = top;
        l->legend_x = PAD;
      }
    x = l->legend_x;
    y = l->legend_y;
    for (i = 0; i < l->n_legend; i++)
      {
        if (!beside && x > l->legend_x && x + l->legend[i].width > width - PAD + 0.5)
          {
            if (rows == 2)
              break;
            rows++;
            x = l->legend_x;
            y += 22;
          }
        if (x + l->legend[i].width > width - PAD + 0.5)
          break;
        l->legend[i].x = x;
        l->legend[i].y = y;
        x += l->legend[i].width + 16;
        kept++;
      }
    l->n_legend = kept;
    if (!beside && l->n_legend > 0)
      top += 22 * rows;
  }

  if (self->units && *self->units)
    top += 18;
  else
    top += 6;

  bottom = height - PAD - 18;  /* time labels */

  /* Value axis: nice ticks about every 48 px; compact labels when the
   * grouped ones would take too much of a narrow chart. */
  visible_value_range (self, l->t_from, l->t_to, &lo, &hi);
  target = MAX (2, (int) ((bottom - top) / 48));
  {
    /* One or two more ticks often snap much closer to the data
     * (0–1,040 gets 0–1,200 in steps of 200 instead of 0–1,500). */
    double best_waste = G_MAXDOUBLE;
    int t, best_t = target;

    for (t = target; t <= target + 2; t++)
      {
        double st = tc_chart_nice_step (hi - lo, t);
        double waste = (ceil (hi / st - 1e-9) - floor (lo / st + 1e-9)) * st - (hi - lo);

        if (waste < best_waste * 0.8)
          {
            best_waste = waste;
            best_t = t;
          }
      }
    target = best_t;
  }
  for (;;)
    {
      g_clear_pointer (&l->yticks, g_array_unref);
      l->yticks = tc_chart_value_ticks (lo, hi, target, compact, &step);
      ylabel_w = 0;
      for (i = 0; i < l->yticks->len; i++)
        ylabel_w = MAX (ylabel_w, tc_chart_text_width (cr, g_array_index (l->yticks, TcChartTick, i).label, FONT_TICK, FALSE));
      if (compact || ylabel_w <= width * 0.12)
        break;
      compact = TRUE;
    }
  l->y_lo = floor (lo / step + 1e-9) * step;
  l->y_hi = ceil (hi / step - 1e-9) * step;
  if (l->y_hi <= l->y_lo)
    l->y_hi = l->y_lo + step;
  /* Drop ticks the snapped range no longer reaches; add the top one. */
  g_array_set_size (l->yticks, 0);
  g_clear_pointer (&l->yticks, g_array_unref);
  l->yticks = tc_chart_value_ticks (l->y_lo, l->y_hi, (int) round ((l->y_hi - l->y_lo) / step), compact, NULL);

  left = PAD + ylabel_w + 8;
  l->plot.x = left;
  l->plot.y = top;
  l->plot.width = MAX (1, width - PAD - 4 - left);
  l->plot.height = MAX (1, bottom - top);

  {
    double cw = tc_chart_text_width (cr, "0000000000", FONT_TICK, FALSE) / 10.0;
    l->xticks = tc_chart_time_ticks ((gint64) floor (l->t_from), (gint64) ceil (l->t_to),
                                     l->plot.width, cw, NULL);
  }
}

static double
lx (const Layout *l, double t)
{
  return l->plot.x + (t - l->t_from) / (l->t_to - l->t_from) * l->plot.width;
}

static double
ly (const Layout *l, double v)
{
  return l->plot.y + l->plot.height - (v - l->y_lo) / (l->y_hi - l->y_lo) * l->plot.height;
}

TcChartRect
tc_chart_get_plot_rect (TcChart *chart,
                        double   width,
                        double   height)
{
  Layout l;
  TcChartRect r = { 0, };

  g_return_val_if_fail (TC_IS_CHART (chart), r);
  compute_layout (chart, width, height, &l);
  r = l.plot;
  layout_clear (&l);
  return r;
}

guint
tc_chart_get_n_legend_items (TcChart *chart,
                             double   width,
                             double   height)
{
  Layout l;
  guint n;

  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  compute_layout (chart, width, height, &l);
  n = l.n_legend;
  layout_clear (&l);
  return n;
}

void
tc_chart_set_size (TcChart *chart,
                   double   width,
                   double   height)
{
  g_return_if_fail (TC_IS_CHART (chart));
  chart->width = width > 0 ? width : DEFAULT_WIDTH;
  chart->height = height > 0 ? height : DEFAULT_HEIGHT;
}

/* The plot's horizontal extent only depends on the value labels, but
 * interaction is rare enough that recomputing it is fine. */
static TcChartRect
current_plot (TcChart *self)
{
  return tc_chart_get_plot_rect (self, self->width, self->height);
}

double
tc_chart_time_to_x (TcChart *chart,
                    double   t)
{
  TcChartRect p = current_plot (chart);

  return p.x + (t - chart->view_from) / (chart->view_to - chart->view_from) * p.width;
}

double
tc_chart_value_to_y (TcChart *chart,
                     double   v)
{
  Layout l;
  double y;

  g_return_val_if_fail (TC_IS_CHART (chart), 0);
  /* The value axis depends on what is in view; lay it out as drawn. */
  compute_layout (chart, chart->width, chart->height, &l);
  y = ly (&l, v);
  layout_clear (&l);
  return y;
}

double
tc_chart_x_to_time (TcChart *chart,
                    double   x)
{
  TcChartRect p = current_plot (chart);

  return chart->view_from + (x - p.x) / p.width * (chart->view_to - chart->view_from);
}

/* -- viewport ------------------------------------------------------------- */

void
tc_chart_get_data_extent (TcChart *chart,
                          double  *t_from,
                          double  *t_to)
{
  double from, to;

  if (chart->n_steps == 0)
    {
      from = 0;
      to = 86400;
    }
  else
    {
      from = chart->step_t[0];
      to = chart->step_t[chart->n_steps - 1];
      if (to <= from)
        {
          from -= 86400;
          to += 86400;
        }
    }
  if (t_from)
    *t_from = from;
  if (t_to)
    *t_to = to;
}

void
tc_chart_set_view (TcChart *chart,
                   double   t_from,
                   double   t_to)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (t_to > t_from);

  chart->view_from = t_from;
  chart->view_to = t_to;
  chart->view_set = TRUE;
  changed (chart);
}

void
tc_chart_get_view (TcChart *chart,
                   double  *t_from,
                   double  *t_to)
{
  g_return_if_fail (TC_IS_CHART (chart));
  if (t_from)
    *t_from = chart->view_from;
  if (t_to)
    *t_to = chart->view_to;
}

static double
min_span (TcChart *self)
{
  /* Two time steps stay visible at most zoom. */
  if (self->n_steps >= 2)
    return 2.0 * (self->step_t[self->n_steps - 1] - self->step_t[0]) / (self->n_steps - 1);
  return 3600;
}

/* Keeps [from, to] inside the data extent and no narrower than two steps. */
static void
clamp_view (TcChart *self, double *from, double *to)
{
  double ef, et, span = *to - *from;

  tc_chart_get_data_extent (self, &ef, &et);
  span = CLAMP (span, MIN (min_span (self), et - ef), et - ef);
  if (*from < ef)
    *from = ef;
  if (*from + span > et)
    *from = et - span;
  *to = *from + span;
}

void
tc_chart_zoom (TcChart *chart,
               double   x,
               double   factor)
{
  double t0, from, to;

  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (factor > 0);

  t0 = tc_chart_x_to_time (chart, x);
  from = t0 - (t0 - chart->view_from) / factor;
  to = t0 + (chart->view_to - t0) / factor;
  clamp_view (chart, &from, &to);
  tc_chart_set_view (chart, from, to);
}

void
tc_chart_pan (TcChart *chart,
              double   dx)
{
  TcChartRect p;
  double dt, from, to;

  g_return_if_fail (TC_IS_CHART (chart));

  p = current_plot (chart);
  dt = -dx / p.width * (chart->view_to - chart->view_from);
  from = chart->view_from + dt;
  to = chart->view_to + dt;
  clamp_view (chart, &from, &to);
  tc_chart_set_view (chart, from, to);
}

void
tc_chart_reset_view (TcChart *chart)
{
  g_return_if_fail (TC_IS_CHART (chart));
  tc_chart_get_data_extent (chart, &chart->view_from, &chart->view_to);
  chart->view_set = FALSE;
  changed (chart);
}

/* -- hover ---------------------------------------------------------------- */

/* The values at step @k; info->x is left NAN, since placing it lays
 * the whole chart out (text measured with Pango): callers that walk
 * every step must not pay that per step. */
static void
fill_values (TcChart *self, guint k, TcChartHoverInfo *info)
{
  int f = self->step_f[k];

  info->index = k;
  info->time = self->step_t[k];
  info->history = self->step_h[k] >= 0 ? self->hist_y[self->step_h[k]] : NAN;
  info->forecast = f >= 0 ? self->fc_y[f] : NAN;
  info->actual = f >= 0 && self->actual ? self->actual[f] : NAN;
  info->comparison = f >= 0 && self->cmp_y ? self->cmp_y[f] : NAN;
  info->lo = info->hi = NAN;
  if (f >= 0 && self->bands->len > 0)
    {
      const Band *b = &g_array_index (self->bands, Band, 0);
      info->lo = b->lo[f];
      info->hi = b->hi[f];
    }
  info->x = NAN;
}

static void
fill_hover (TcChart *self, guint k, TcChartHoverInfo *info)
{
  fill_values (self, k, info);
  info->x = tc_chart_time_to_x (self, (double) self->step_t[k]);
}

static int
nearest_step (TcChart *self, double t)
{
  guint lo = 0, hi;

  if (self->n_steps == 0)
    return -1;
  hi = self->n_steps - 1;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (self->step_t[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0 && fabs (self->step_t[lo - 1] - t) <= fabs (self->step_t[lo] - t))
    lo--;
  return (int) lo;
}

gboolean
tc_chart_hover_at (TcChart          *chart,
                   double            x,
                   double            y,
                   TcChartHoverInfo *info)
{
  TcChartRect p;
  int k;

  g_return_val_if_fail (TC_IS_CHART (chart), FALSE);

  p = current_plot (chart);
  k = nearest_step (chart, tc_chart_x_to_time (chart, x));
  if (x < p.x - 4 || x > p.x + p.width + 4 || y < p.y || y > p.y + p.height || k < 0
      || chart->step_t[k] < chart->view_from || chart->step_t[k] > chart->view_to)
    {
      tc_chart_clear_hover (chart);
      return FALSE;
    }
  if (chart->hover != k)
    {
      chart->hover = k;
      changed (chart);
    }
  if (info)
    fill_hover (chart, (guint) k, info);
  return TRUE;
}

/**
 * tc_chart_get_step:
 * @chart: a chart
 * @index: a step of the merged time axis
 * @info: (out): its values
 *
 * Returns: FALSE when @index is past the last step
 */
gboolean
tc_chart_get_step (TcChart          *chart,
                   guint             index,
                   TcChartHoverInfo *info)
{
  g_return_val_if_fail (TC_IS_CHART (chart), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  if (index >= chart->n_steps)
    return FALSE;
  fill_values (chart, index, info);
  return TRUE;
}

gboolean
tc_chart_get_hover (TcChart          *chart,
                    TcChartHoverInfo *info)
{
  g_return_val_if_fail (TC_IS_CHART (chart), FALSE);
  if (chart->hover < 0)
    return FALSE;
  if (info)
    fill_hover (chart, (guint) chart->hover, info);
  return TRUE;
}

void
tc_chart_set_hover_index (TcChart *chart,
                          guint    index)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (index < chart->n_steps);
  chart->hover = (int) index;
  changed (chart);
}

void
tc_chart_move_hover (TcChart *chart,
                     int      delta)
{
  int k;
  double t, span;

  g_return_if_fail (TC_IS_CHART (chart));
  if (chart->n_steps == 0)
    return;

  if (chart->hover < 0)
    {
      /* Start from the last step in view, or the first when moving right... */
      k = nearest_step (chart, delta < 0 ? chart->view_to : chart->view_from);
      if (k < 0)
        return;
    }
  else
    k = CLAMP (chart->hover + delta, 0, (int) chart->n_steps - 1);
  chart->hover = k;

  /* ...and scroll to keep the hovered step in view. */
  t = chart->step_t[k];
  span = chart->view_to - chart->view_from;
  if (t < chart->view_from)
    {
      chart->view_from = t;
      chart->view_to = t + span;
      chart->view_set = TRUE;
    }
  else if (t > chart->view_to)
    {
      chart->view_to = t;
      chart->view_from = t - span;
      chart->view_set = TRUE;
    }
  changed (chart);
}

void
tc_chart_clear_hover (TcChart *chart)
{
  g_return_if_fail (TC_IS_CHART (chart));
  if (chart->hover >= 0)
    {
      chart->hover = -1;
      changed (chart);
    }
}

/* -- rendering ------------------------------------------------------------ */

static void
draw_markers (TcChart *self, cairo_t *cr, const Layout *l, gboolean labels)
{
  /* Labels go in up to three rows, each into the first row where it
   * clears every label already there (a discount inside a promotion
   * keeps its name). */
  enum { N_ROWS = 3 };
  GArray *spans[N_ROWS];   /* of double pairs (left, right) per row */
  guint i;

  for (guint r = 0; r < N_ROWS; r++)
    spans[r] = g_array_new (FALSE, FALSE, sizeof (double) * 2);

  for (i = 0; i < self->markers->len; i++)
    {
      const Marker *m = &g_array_index (self->markers, Marker, i);
      const TcRGBA *c = m->kind == TC_CHART_MARKER_PROMOTION || m->kind == TC_CHART_MARKER_CHANGE
                        ? &self->style.promo
                        : m->kind == TC_CHART_MARKER_HOLIDAY ? &self->style.holiday
                        : &self->style.axis;
      double x0 = lx (l, m->t_start), x1 = lx (l, m->t_end);
      TcRGBA solid = *c;

      if (x1 < l->plot.x || x0 > l->plot.x + l->plot.width)
        continue;
      solid.a = MIN (1.0, c->a * 7);

      if (!labels)
        {
          if (x1 - x0 >= 2)
            {
              tc_chart_set_rgba (cr, c);
              cairo_rectangle (cr, x0, l->plot.y, x1 - x0, l->plot.height);
              cairo_fill (cr);
            }
          else
            {
              static const double dash[] = { 3, 3 };

              tc_chart_set_rgba (cr, &solid);
              cairo_set_line_width (cr, 1);
              cairo_set_dash (cr, dash, 2, 0);
              cairo_move_to (cr, tc_chart_crisp (x0), l->plot.y);
              cairo_line_to (cr, tc_chart_crisp (x0), l->plot.y + l->plot.height);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
            }
        }
      else if (m->label && *m->label)
        {
          double x = MAX (x0, l->plot.x) + 4;
          double w = tc_chart_text_width (cr, m->label, FONT_TICK - 1, FALSE);
          double span[2] = { x - 6, x + w + 6 };
          guint row;

          if (x + w > l->plot.x + l->plot.width)
            continue;
          for (row = 0; row < N_ROWS; row++)
            {
              gboolean clear = TRUE;

              for (guint k = 0; k < spans[row]->len && clear; k++)
                {
                  const double *o = &g_array_index (spans[row], double, 2 * k);

                  clear = span[1] <= o[0] || span[0] >= o[1];
                }
              if (clear)
                break;
            }
          /* A label with no free row is left out; the shading and the
           * hover still show the marker. */
          if (row == N_ROWS)
            continue;
          tc_chart_set_rgba (cr, &solid);
          tc_chart_draw_text (cr, m->label, x, l->plot.y + 13 + 13 * row, 0, FONT_TICK - 1, FALSE);
          g_array_append_val (spans[row], span);
        }
    }
  for (guint r = 0; r < N_ROWS; r++)
    g_array_unref (spans[r]);
}

static void
draw_grid (TcChart *self, cairo_t *cr, const Layout *l)
{
  guint i;

  cairo_set_line_width (cr, 1);
  tc_chart_set_rgba (cr, &self->style.grid);
  for (i = 0; i < l->yticks->len; i++)
    {
      double y = tc_chart_crisp (ly (l, g_array_index (l->yticks, TcChartTick, i).value));

      cairo_move_to (cr, l->plot.x, y);
      cairo_line_to (cr, l->plot.x + l->plot.width, y);
    }
  for (i = 0; i < l->xticks->len; i++)
    {
      double x = tc_chart_crisp (lx (l, g_array_index (l->xticks, TcChartTick, i).value));

      cairo_move_to (cr, x, l->plot.y);
      cairo_line_to (cr, x, l->plot.y + l->plot.height);
    }
  cairo_stroke (cr);
}

static void
draw_axes (TcChart *self, cairo_t *cr, const Layout *l)
{
  double right = -G_MAXDOUBLE;
  guint i;

  /* Baseline. */
  cairo_set_line_width (cr, 1);
  tc_chart_set_rgba (cr, &self->style.axis);
  cairo_move_to (cr, l->plot.x, tc_chart_crisp (l->plot.y + l->plot.height));
  cairo_line_to (cr, l->plot.x + l->plot.width, tc_chart_crisp (l->plot.y + l->plot.height));
  cairo_stroke (cr);

  tc_chart_set_rgba (cr, &self->style.text_dim);
  for (i = 0; i < l->yticks->len; i++)
    {
      const TcChartTick *t = &g_array_index (l->yticks, TcChartTick, i);

      tc_chart_draw_text (cr, t->label, l->plot.x - 8, ly (l, t->value) + 4, 1.0, FONT_TICK, FALSE);
    }

  for (i = 0; i < l->xticks->len; i++)
    {
      const TcChartTick *t = &g_array_index (l->xticks, TcChartTick, i);
      double x = lx (l, t->value);
      double w = tc_chart_text_width (cr, t->label, FONT_TICK, FALSE);
      double x0 = x - w / 2;

      /* Never overlap a neighbour or run off the chart. */
      if (x0 < right + 8 || x0 < 2 || x0 + w > l->width - 2)
        continue;
      tc_chart_draw_text (cr, t->label, x, l->plot.y + l->plot.height + 16, 0.5, FONT_TICK, FALSE);
      right = x0 + w;
    }

  if (self->units && *self->units)
    tc_chart_draw_text (cr, self->units, PAD, l->plot.y - 8, 0, FONT_TICK, FALSE);
}

/* The index range of @t (sorted, (n)) that covers [from, to] plus one
 * point on each side, so lines run off the plot's edges. */
static void
visible_range (const gint64 *t, guint n, double from, double to, guint *i0, guint *i1)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (t[mid] < from)
        lo = mid + 1;
      else
        hi = mid;
    }
  *i0 = lo > 0 ? lo - 1 : 0;
  hi = n;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (t[mid] <= to)
        lo = mid + 1;
      else
        hi = mid;
    }
  *i1 = MIN (lo + 1, n);
}

/* Strokes the path so far and continues from its end.  Cairo's stroker
 * slows down with the square of crossing segments in one path, so long
 * zigzag series are stroked in pieces; with opaque colours and round caps
 * the pieces look exactly like one line. */
static void
stroke_piece (cairo_t *cr, guint *segments)
{
  double x, y;

  if (*segments < 32 || !cairo_has_current_point (cr))
    return;
  cairo_get_current_point (cr, &x, &y);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  *segments = 0;
}

/* Strokes lines with gaps at NaN in the current source and line width.
 * With more points than pixels, each pixel column is reduced to its first,
 * lowest, highest and last point: the picture is the same, and drawing
 * stays fast for long hourly series. */
static void
path_series (cairo_t *cr, const Layout *l, const gint64 *t, const double *y, guint n)
{
  gboolean pen = FALSE;
  guint i, i0, i1;
  gboolean dense;
  /* The column being collected: x and the values in time order. */
  long col = G_MINLONG;
  double first = 0, last = 0, mn = 0, mx = 0, cx = 0;
  guint imn = 0, imx = 0, count = 0, segments = 0;

  visible_range (t, n, l->t_from, l->t_to, &i0, &i1);
  dense = (i1 - i0) > 2 * l->plot.width;

#define FLUSH() G_STMT_START { \
    if (count > 0) \
      { \
        if (!pen) cairo_move_to (cr, cx, ly (l, first)); else cairo_line_to (cr, cx, ly (l, first)); \
        if (count > 2) \
          { \
            cairo_line_to (cr, cx, ly (l, imn < imx ? mn : mx)); \
            cairo_line_to (cr, cx, ly (l, imn < imx ? mx : mn)); \
          } \
        if (count > 1) cairo_line_to (cr, cx, ly (l, last)); \
        pen = TRUE; \
        segments += 4; \
        stroke_piece (cr, &segments); \
      } \
    count = 0; } G_STMT_END

  for (i = i0; i < i1; i++)
    {
      double x;

      if (!isfinite (y[i]))
        {
          if (dense)
            FLUSH ();
          pen = FALSE;
          continue;
        }
      x = lx (l, t[i]);
      if (!dense)
        {
          if (pen)
            cairo_line_to (cr, x, ly (l, y[i]));
          else
            cairo_move_to (cr, x, ly (l, y[i]));
          pen = TRUE;
          segments++;
          stroke_piece (cr, &segments);
          continue;
        }
      if ((long) floor (x) != col)
        {
          FLUSH ();
          col = (long) floor (x);
          cx = col + 0.5;
          first = mn = mx = y[i];
          imn = imx = i;
        }
      if (y[i] < mn)
        mn = y[i], imn = i;
      if (y[i] > mx)
        mx = y[i], imx = i;
      last = y[i];
      count++;
    }
  if (dense)
    FLUSH ();
#undef FLUSH
  cairo_stroke (cr);
}

/* The last finite history value before the forecast starts, to join the
 * forecast onto the history instead of leaving a gap. */
static gboolean
history_anchor (TcChart *self, gint64 *t, double *y)
{
  int i;

  if (self->n_fc == 0)
    return FALSE;
  for (i = (int) self->n_hist - 1; i >= 0; i--)
    if (self->hist_t[i] < self->fc_t[0])
      {
        if (!isfinite (self->hist_y[i]))
          return FALSE;
        *t = self->hist_t[i];
        *y = self->hist_y[i];
        return TRUE;
      }
  return FALSE;
}

static void
draw_series (TcChart *self, cairo_t *cr, const Layout *l)
{
  gint64 at = 0;
  double ay = 0;
  gboolean anchored = history_anchor (self, &at, &ay);
  guint b, i;

  /* Bands, widest first, each a closed polygon over its finite run. */
  for (b = 0; b < self->bands->len; b++)
    {
      const Band *band = &g_array_index (self->bands, Band, b);
      TcRGBA c = b == 0 ? self->style.band : self->style.band_inner;
      guint start = 0;

      while (start < self->n_fc)
        {
          guint end = start;
          int j;

          while (end < self->n_fc && isfinite (band->lo[end]) && isfinite (band->hi[end]))
            end++;
          if (end > start)
            {
              if (start == 0 && anchored)
                cairo_move_to (cr, lx (l, at), ly (l, ay));
              else
                cairo_move_to (cr, lx (l, self->fc_t[start]), ly (l, band->hi[start]));
              for (i = start; i < end; i++)
                cairo_line_to (cr, lx (l, self->fc_t[i]), ly (l, band->hi[i]));
              for (j = (int) end - 1; j >= (int) start; j--)
                cairo_line_to (cr, lx (l, self->fc_t[j]), ly (l, band->lo[j]));
              cairo_close_path (cr);
              tc_chart_set_rgba (cr, &c);
              cairo_fill (cr);
            }
          start = end + 1;
        }
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  if (self->n_hist > 0)
    {
      tc_chart_set_rgba (cr, &self->style.history);
      cairo_set_line_width (cr, 1.5);
      path_series (cr, l, self->hist_t, self->hist_y, self->n_hist);
    }

  if (self->n_fc > 0)
    {
      tc_chart_set_rgba (cr, &self->style.forecast);
      cairo_set_line_width (cr, 2.0);
      if (anchored && isfinite (self->fc_y[0]))
        {
          cairo_move_to (cr, lx (l, at), ly (l, ay));
          cairo_line_to (cr, lx (l, self->fc_t[0]), ly (l, self->fc_y[0]));
          cairo_stroke (cr);
        }
      path_series (cr, l, self->fc_t, self->fc_y, self->n_fc);
    }

  /* Drawn over the forecast, dashed, so that where both agree the
   * forecast still shows through the gaps. */
  if (self->cmp_y)
    {
      static const double dash[] = { 6, 3 };

      tc_chart_set_rgba (cr, &self->style.comparison);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dash, 2, 0);
      path_series (cr, l, self->fc_t, self->cmp_y, self->n_fc);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  if (self->actual)
    {
      double spacing = self->n_fc > 1 ? (lx (l, self->fc_t[self->n_fc - 1]) - lx (l, self->fc_t[0])) / (self->n_fc - 1) : 100;

      if (spacing >= 5)
        {
          for (i = 0; i < self->n_fc; i++)
            if (isfinite (self->actual[i]))
              {
                cairo_new_sub_path (cr);
                cairo_arc (cr, lx (l, self->fc_t[i]), ly (l, self->actual[i]), 2.5, 0, 2 * G_PI);
              }
          tc_chart_set_rgba (cr, &self->style.actual);
          cairo_fill_preserve (cr);
          tc_chart_set_rgba (cr, &self->style.background);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      else
        {
          tc_chart_set_rgba (cr, &self->style.actual);
          cairo_set_line_width (cr, 1.0);
          path_series (cr, l, self->fc_t, self->actual, self->n_fc);
        }
    }
}

static void
draw_swatch (TcChart *self, cairo_t *cr, int kind, double x, double y)
{
  const TcChartStyle *s = &self->style;

  switch (kind)
    {
    case SW_LINE_COMPARISON:
      {
        static const double dash[] = { 6, 3 };

        tc_chart_set_rgba (cr, &s->comparison);
        cairo_set_line_width (cr, 2.0);
        cairo_set_dash (cr, dash, 2, 0);
        cairo_move_to (cr, x + 1, y);
        cairo_line_to (cr, x + 15, y);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
      }
      break;
    case SW_LINE_HISTORY:
    case SW_LINE_FORECAST:
      tc_chart_set_rgba (cr, kind == SW_LINE_HISTORY ? &s->history : &s->forecast);
      cairo_set_line_width (cr, kind == SW_LINE_HISTORY ? 1.5 : 2.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, x + 1, y);
      cairo_line_to (cr, x + 15, y);
      cairo_stroke (cr);
      break;
    case SW_BAND:
    case SW_BAND_INNER:
      tc_chart_set_rgba (cr, &s->band);
      cairo_rectangle (cr, x, y - 5, 16, 10);
      cairo_fill (cr);
      if (kind == SW_BAND_INNER)
        {
          tc_chart_set_rgba (cr, &s->band_inner);
          cairo_rectangle (cr, x, y - 5, 16, 10);
          cairo_fill (cr);
        }
      break;
    case SW_DOTS:
      tc_chart_set_rgba (cr, &s->actual);
      cairo_arc (cr, x + 8, y, 3, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case SW_PROMO:
    case SW_HOLIDAY:
      {
        TcRGBA c = kind == SW_PROMO ? s->promo : s->holiday;

        c.a = MIN (1.0, c.a * 2.5);
        tc_chart_set_rgba (cr, &c);
        cairo_rectangle (cr, x, y - 5, 16, 10);
        cairo_fill (cr);
      }
      break;
    case SW_EVENT:
    default:
      tc_chart_set_rgba (cr, &s->axis);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, tc_chart_crisp (x + 8), y - 6);
      cairo_line_to (cr, tc_chart_crisp (x + 8), y + 6);
      cairo_stroke (cr);
      break;
    }
}

static void
draw_header (TcChart *self, cairo_t *cr, const Layout *l)
{
  guint i;

  if (self->title && *self->title)
    {
      tc_chart_set_rgba (cr, &self->style.text);
      tc_chart_draw_text (cr, self->title, PAD, l->title_y, 0, FONT_TITLE, TRUE);
    }
  for (i = 0; i < l->n_legend; i++)
    {
      draw_swatch (self, cr, l->legend[i].kind, l->legend[i].x, l->legend[i].y + 8);
      tc_chart_set_rgba (cr, &self->style.text);
      tc_chart_draw_text (cr, l->legend[i].label, l->legend[i].x + 22, l->legend[i].y + 12, 0, FONT_LEGEND, FALSE);
    }
}

static void
draw_forecast_origin (TcChart *self, cairo_t *cr, const Layout *l)
{
  static const double dash[] = { 4, 3 };
  gint64 at = 0;
  double ay, x;

  if (self->n_fc == 0 || self->n_hist == 0)
    return;
  x = history_anchor (self, &at, &ay) ? lx (l, at) : lx (l, self->fc_t[0]);
  if (x < l->plot.x || x > l->plot.x + l->plot.width)
    return;
  tc_chart_set_rgba (cr, &self->style.axis);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, tc_chart_crisp (x), l->plot.y);
  cairo_line_to (cr, tc_chart_crisp (x), l->plot.y + l->plot.height);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static char *
format_step_date (TcChart *self, gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  double step = self->n_steps > 1 ? (double) (self->step_t[self->n_steps - 1] - self->step_t[0]) / (self->n_steps - 1) : 86400;

  if (dt == NULL)
    return g_strdup ("?");
  if (step < 86400)
    /* Translators: a strftime-style date format (see g_date_time_format)
     * for the chart tooltip of an hourly step, e.g. "Mon, Mar 4 2024, 13:00". */
    /* xgettext:no-c-format */
    return g_date_time_format (dt, _("%a, %b %-d %Y, %H:%M"));
  if (step >= 28 * 86400)
    /* Translators: a strftime-style date format (see g_date_time_format)
     * for the chart tooltip of a monthly step, e.g. "March 2024". */
    /* xgettext:no-c-format */
    return g_date_time_format (dt, _("%B %Y"));
  if (step >= 7 * 86400)
    {
      /* Translators: a strftime-style date format (see g_date_time_format)
       * for the chart tooltip of a weekly step, e.g. "Mar 4 2024". */
      /* xgettext:no-c-format */
      g_autofree char *day = g_date_time_format (dt, _("%b %-d %Y"));

      /* Translators: the chart tooltip of a weekly step: %s is the week's
       * first day, %d its ISO week number, e.g. "Mar 4 2024 (W10)". */
      return g_strdup_printf (_("%s (W%d)"), day, g_date_time_get_week_of_year (dt));
    }
  /* Translators: a strftime-style date format (see g_date_time_format)
   * for the chart tooltip of a daily step, e.g. "Mon, Mar 4 2024". */
  /* xgettext:no-c-format */
  return g_date_time_format (dt, _("%a, %b %-d %Y"));
}

static void
draw_hover (TcChart *self, cairo_t *cr, const Layout *l)
{
  TcChartHoverInfo info;
  const char *names[6];
  char *values[6];
  const TcRGBA *colors[6];
  guint n = 0, i;
  g_autofree char *date = NULL;
  double x, w, h, bx, by, name_w = 0, value_w = 0;
  struct { double v; const TcRGBA *c; } dots[4];
  guint n_dots = 0;

  if (self->hover < 0 || self->hover >= (int) self->n_steps)
    return;
  fill_hover (self, (guint) self->hover, &info);
  x = lx (l, info.time);
  if (x < l->plot.x - 0.5 || x > l->plot.x + l->plot.width + 0.5)
    return;

  /* Crosshair. */
  tc_chart_set_rgba (cr, &self->style.axis);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, tc_chart_crisp (x), l->plot.y);
  cairo_line_to (cr, tc_chart_crisp (x), l->plot.y + l->plot.height);
  cairo_stroke (cr);

#define ROW(name, v, c) G_STMT_START { names[n] = (name); values[n] = (v); colors[n] = (c); n++; } G_STMT_END
  if (isfinite (info.history))
    {
      /* Translators: the names of the values in the chart's hover tooltip. */
      ROW (_("History"), tc_chart_format_thousands (info.history, fabs (info.history) < 10 ? 2 : 0), &self->style.history);
      dots[n_dots].v = info.history; dots[n_dots++].c = &self->style.history;
    }
  if (isfinite (info.actual))
    {
      /* Translators: the hover tooltip's observed value (the holdout). */
      ROW (_("Actual"), tc_chart_format_thousands (info.actual, fabs (info.actual) < 10 ? 2 : 0), &self->style.actual);
      dots[n_dots].v = info.actual; dots[n_dots++].c = &self->style.actual;
    }
  if (isfinite (info.forecast))
    {
      ROW (_("Forecast"), tc_chart_format_thousands (info.forecast, fabs (info.forecast) < 10 ? 2 : 0), &self->style.forecast);
      dots[n_dots].v = info.forecast; dots[n_dots++].c = &self->style.forecast;
    }
  if (isfinite (info.comparison))
    {
      ROW (self->cmp_label, tc_chart_format_thousands (info.comparison, fabs (info.comparison) < 10 ? 2 : 0), &self->style.comparison);
      dots[n_dots].v = info.comparison; dots[n_dots++].c = &self->style.comparison;
    }
  if (isfinite (info.lo) && isfinite (info.hi))
    {
      g_autofree char *a = tc_chart_format_thousands (info.lo, fabs (info.lo) < 10 ? 2 : 0);
      g_autofree char *b = tc_chart_format_thousands (info.hi, fabs (info.hi) < 10 ? 2 : 0);
      /* Translators: the hover tooltip's prediction band, "low – high". */
      ROW (l->band_label ? l->band_label : _("Range"), g_strdup_printf ("%s – %s", a, b), &self->style.band);
    }
#undef ROW

  for (i = 0; i < n_dots; i++)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, ly (l, dots[i].v), 3.5, 0, 2 * G_PI);
      tc_chart_set_rgba (cr, dots[i].c);
      cairo_fill_preserve (cr);
      tc_chart_set_rgba (cr, &self->style.background);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }

  date = format_step_date (self, info.time);
  if (date == NULL)
    date = g_strdup ("?");
  w = tc_chart_text_width (cr, date, FONT_TICK, TRUE);
  for (i = 0; i < n; i++)
    {
      name_w = MAX (name_w, tc_chart_text_width (cr, names[i], FONT_TICK, FALSE));
      value_w = MAX (value_w, tc_chart_text_width (cr, values[i], FONT_TICK, TRUE));
    }
  w = MAX (w, 14 + name_w + 16 + value_w) + 20;
  h = 10 + 16 + n * 17 + 6;

  /* Right of the crosshair, or left when there is no room. */
  bx = x + 12;
  if (bx + w > l->plot.x + l->plot.width)
    bx = x - 12 - w;
  bx = MAX (bx, 2);
  by = l->plot.y + 8;

  cairo_rectangle (cr, round (bx) + 0.5, round (by) + 0.5, round (w), round (h));
  tc_chart_set_rgba (cr, &self->style.tooltip_bg);
  cairo_fill_preserve (cr);
  tc_chart_set_rgba (cr, &self->style.tooltip_border);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  tc_chart_set_rgba (cr, &self->style.text);
  tc_chart_draw_text (cr, date, bx + 10, by + 19, 0, FONT_TICK, TRUE);
  for (i = 0; i < n; i++)
    {
      double ry = by + 19 + 17 * (i + 1);
      TcRGBA c = *colors[i];

      c.a = MAX (c.a, 0.6);
      tc_chart_set_rgba (cr, &c);
      cairo_rectangle (cr, bx + 10, ry - 8, 8, 8);
      cairo_fill (cr);
      tc_chart_set_rgba (cr, &self->style.text_dim);
      tc_chart_draw_text (cr, names[i], bx + 24, ry, 0, FONT_TICK, FALSE);
      tc_chart_set_rgba (cr, &self->style.text);
      tc_chart_draw_text (cr, values[i], bx + w - 10, ry, 1.0, FONT_TICK, TRUE);
      g_free (values[i]);
    }
}

static void
render (TcChart *self, cairo_t *cr, double width, double height, gboolean hover)
{
  Layout l;

  compute_layout (self, width, height, &l);

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  tc_chart_set_rgba (cr, &self->style.background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_rectangle (cr, l.plot.x, l.plot.y - 1, l.plot.width, l.plot.height + 2);
  cairo_clip (cr);
  draw_markers (self, cr, &l, FALSE);
  draw_grid (self, cr, &l);
  draw_forecast_origin (self, cr, &l);
  /* Let line width and dots spill a little above and below the plot. */
  cairo_reset_clip (cr);
  cairo_rectangle (cr, l.plot.x, l.plot.y - 4, l.plot.width, l.plot.height + 8);
  cairo_clip (cr);
  draw_series (self, cr, &l);
  draw_markers (self, cr, &l, TRUE);
  cairo_restore (cr);

  draw_axes (self, cr, &l);
  draw_header (self, cr, &l);
  if (hover)
    draw_hover (self, cr, &l);
  cairo_restore (cr);

  layout_clear (&l);
}

void
tc_chart_render (TcChart *chart,
                 cairo_t *cr,
                 double   width,
                 double   height)
{
  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (cr != NULL);

  render (chart, cr, width, height, TRUE);
}

/* -- export --------------------------------------------------------------- */

TcChartFormat
tc_chart_format_from_path (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, TC_CHART_FORMAT_AUTO);
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    return TC_CHART_FORMAT_PNG;
  if (g_str_has_suffix (lower, ".svg"))
    return TC_CHART_FORMAT_SVG;
  if (g_str_has_suffix (lower, ".pdf"))
    return TC_CHART_FORMAT_PDF;
  return TC_CHART_FORMAT_AUTO;
}

typedef struct
{
  GOutputStream *out;
  GError        *error;
} StreamClosure;

static cairo_status_t
write_stream (void *closure, const unsigned char *data, unsigned int length)
{
  StreamClosure *sc = closure;

  if (sc->error)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sc->out, data, length, NULL, NULL, &sc->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
tc_chart_export (TcChart       *chart,
                 const char    *path,
                 TcChartFormat  format,
                 int            width,
                 int            height,
                 GError       **error)
{
  g_autoptr(GOutputStream) mem = NULL;
  StreamClosure sc = { NULL, NULL };
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (TC_IS_CHART (chart), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == TC_CHART_FORMAT_AUTO)
    format = tc_chart_format_from_path (path);
  if (format == TC_CHART_FORMAT_AUTO)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "%s: unknown image format: expected a file name ending in .png, .svg or .pdf", path);
      return FALSE;
    }
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "%s: image size %d×%d is out of range: expected 16 to 16384 pixels per side",
                   path, width, height);
      return FALSE;
    }

  /* The image is encoded in memory and then written atomically
   * (tc_file_set_contents): an export that fails (a full disk) or is
   * killed midway leaves the old file or none, never half an image.
   * g_file_replace would not do for a new file: it writes a file that
   * does not exist yet in place. */
  mem = g_memory_output_stream_new_resizable ();
  sc.out = mem;

  switch (format)
    {
    case TC_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_stream, &sc, width, height);
      break;
    case TC_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_stream, &sc, width, height);
      break;
    case TC_CHART_FORMAT_PNG:
    case TC_CHART_FORMAT_AUTO:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }

  cr = cairo_create (surface);
  render (chart, cr, width, height, FALSE);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == TC_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_stream, &sc);
  /* SVG and PDF surfaces write their last bytes when finished. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sc.error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      if (sc.error)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_IO, "%s: %s", path, sc.error->message);
          g_clear_error (&sc.error);
        }
      else
        g_set_error (error, TC_ERROR, TC_ERROR_IO, "%s: drawing failed: %s", path,
                     cairo_status_to_string (status));
      return FALSE;
    }

  if (!g_output_stream_close (mem, NULL, error)
      || !tc_file_set_contents (path, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                                (gssize) g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)),
                                error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/* -- sparkline ------------------------------------------------------------ */

static char *
spark_value (double v)
{
  return tc_chart_format_thousands (v, fabs (v) < 10 ? 1 : 0);
}

static void
spark_span (const double *y, guint from, guint to, double *first, double *last, double *lo, double *hi)
{
  *first = *last = NAN;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint i = from; i < to; i++)
    if (isfinite (y[i]))
      {
        if (!isfinite (*first))
          *first = y[i];
        *last = y[i];
        *lo = MIN (*lo, y[i]);
        *hi = MAX (*hi, y[i]);
      }
}

/**
 * tc_sparkline_dup_text:
 * @y: (array length=n): the values drawn
 * @n: how many
 * @n_history: how many of them are past sales; the rest are a forecast
 *
 * Returns: (transfer full): the sparkline in words
 */
char *
tc_sparkline_dup_text (const double *y,
                       guint         n,
                       guint         n_history)
{
  GString *s = g_string_new (NULL);
  double first, last, lo, hi;

  n_history = MIN (n_history, n);
  spark_span (y, 0, n_history, &first, &last, &lo, &hi);
  if (isfinite (first))
    {
      g_autofree char *a = spark_value (first), *b = spark_value (last);
      g_autofree char *l = spark_value (lo), *h = spark_value (hi);

      /* Translators: a sparkline for screen readers, "Sales went from 12
       * to 30, between 8 and 41." */
      g_string_append_printf (s, _("Sales went from %s to %s, between %s and %s."), a, b, l, h);
    }
  spark_span (y, n_history, n, &first, &last, &lo, &hi);
  if (isfinite (first))
    {
      g_autofree char *a = spark_value (first), *b = spark_value (last);

      if (s->len > 0)
        g_string_append_c (s, ' ');
      /* Translators: continues the sparkline's text: "Forecast: 31, then 35." */
      g_string_append_printf (s, _("Forecast: %s, then %s."), a, b);
    }
  if (s->len == 0)
    g_string_append (s, _("No sales to show"));
  return g_string_free (s, FALSE);
}

void
tc_sparkline_render (cairo_t      *cr,
                     const double *y,
                     guint         n,
                     double        width,
                     double        height,
                     const TcRGBA *color)
{
  double lo = INFINITY, hi = -INFINITY, pad = 1.5, last_x = 0, last_y = 0;
  gboolean pen = FALSE, any = FALSE;
  guint i;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (color != NULL);
  if (n == 0 || y == NULL || width <= 2 * pad || height <= 2 * pad)
    return;

  for (i = 0; i < n; i++)
    extend_range (y[i], &lo, &hi);
  if (!isfinite (lo))
    return;
  if (hi <= lo)
    {
      lo -= 1;
      hi += 1;
    }

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, 1.25);
  for (i = 0; i < n; i++)
    {
      double px, py;

      if (!isfinite (y[i]))
        {
          pen = FALSE;
          continue;
        }
      px = pad + (n > 1 ? (double) i / (n - 1) : 0.5) * (width - 2 * pad);
      py = pad + (1 - (y[i] - lo) / (hi - lo)) * (height - 2 * pad);
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = any = TRUE;
      last_x = px;
      last_y = py;
    }
  tc_chart_set_rgba (cr, color);
  cairo_stroke (cr);
  if (any)
    {
      /* The last value, which the list is usually about. */
      cairo_arc (cr, last_x, last_y, 1.75, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}
