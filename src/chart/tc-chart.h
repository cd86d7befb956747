/* tc-chart.h — the forecast chart: a model that holds data and computes
 * coordinates, plus a render function that only draws with Cairo.
 *
 * The drawing code does not depend on GTK so that the same chart renders
 * in the GTK widget (tc-chart-view.h) and to PNG/SVG/PDF in the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* -- style -------------------------------------------------------------- */

typedef struct
{
  double r, g, b, a;
} TcRGBA;

typedef struct
{
  TcRGBA background;
  TcRGBA text;        /* title, legend, tooltip text */
  TcRGBA text_dim;    /* tick labels, units */
  TcRGBA grid;
  TcRGBA axis;
  TcRGBA history;
  TcRGBA forecast;
  TcRGBA band;        /* outer quantile band, e.g. P10–P90 */
  TcRGBA band_inner;  /* inner quantile band, e.g. P25–P75 */
  TcRGBA actual;
  TcRGBA promo;
  TcRGBA holiday;
  TcRGBA tooltip_bg;
  TcRGBA tooltip_border;
  TcRGBA comparison;  /* a second forecast median, e.g. a what-if scenario */
} TcChartStyle;

const TcChartStyle *tc_chart_style_light (void);
const TcChartStyle *tc_chart_style_dark  (void);

/* -- tick arithmetic (pure, exposed for tests and other charts) ---------- */

typedef enum
{
  TC_CHART_UNIT_HOUR,
  TC_CHART_UNIT_DAY,
  TC_CHART_UNIT_WEEK,
  TC_CHART_UNIT_MONTH,
  TC_CHART_UNIT_YEAR,
} TcChartTimeUnit;

typedef struct
{
  double value;   /* data value, or seconds since the epoch on the time axis */
  char  *label;   /* owned */
} TcChartTick;

/* Returns a "nice" step (1, 2, 2.5 or 5 times a power of ten) that splits
 * @range into at most about @target intervals. */
double   tc_chart_nice_step        (double range,
                                    int    target);
/* Ticks at multiples of a nice step inside [lo, hi].  GArray of TcChartTick
 * with a clear func set. */
GArray  *tc_chart_value_ticks      (double lo,
                                    double hi,
                                    int    target,
                                    gboolean compact,
                                    double *out_step);
/* Calendar-aligned ticks (UTC) inside [from, to] for an axis @width_px wide,
 * picking the smallest step whose labels do not overlap when each label
 * character is about @char_width_px wide. */
GArray  *tc_chart_time_ticks       (gint64           from,
                                    gint64           to,
                                    double           width_px,
                                    double           char_width_px,
                                    TcChartTimeUnit *out_unit);
/* "12,500", "-1,234.5" (C-locale style grouping, independent of locale). */
char    *tc_chart_format_thousands (double v,
                                    int    decimals);
/* "950", "1.2k", "3.4M", "2.1G". */
char    *tc_chart_format_compact   (double v);
/* Label for a time tick of @unit: "14:00", "Mar 5", "W12", "Mar 2024", "2024". */
char    *tc_chart_format_time      (gint64          t,
                                    TcChartTimeUnit unit);

/* -- the chart model ---------------------------------------------------- */

typedef enum
{
  TC_CHART_MARKER_PROMOTION,
  TC_CHART_MARKER_HOLIDAY,
  TC_CHART_MARKER_EVENT,
  TC_CHART_MARKER_CHANGE,     /* a what-if change: discount, price, promotion */
} TcChartMarkerKind;

typedef enum
{
  TC_CHART_FORMAT_AUTO,  /* from the file name's extension */
  TC_CHART_FORMAT_PNG,
  TC_CHART_FORMAT_SVG,
  TC_CHART_FORMAT_PDF,
} TcChartFormat;

typedef struct
{
  double x, y, width, height;
} TcChartRect;

typedef struct
{
  guint  index;        /* index into the merged time axis */
  gint64 time;
  double history;      /* NaN if none at this step */
  double forecast;     /* median, NaN if none */
  double lo, hi;       /* outermost band, NaN if none */
  double actual;       /* holdout actual, NaN if none */
  double comparison;   /* second median (tc_chart_set_comparison), NaN if none */
  double x;            /* pixel x of the time step */
} TcChartHoverInfo;

#define TC_TYPE_CHART (tc_chart_get_type ())
G_DECLARE_FINAL_TYPE (TcChart, tc_chart, TC, CHART, GObject)

TcChart  *tc_chart_new             (void);

/* Data.  Every array is copied.  Times are seconds since the epoch (UTC). */
void      tc_chart_set_history     (TcChart      *chart,
                                    const gint64 *t,
                                    const double *y,     /* (n), NaN = missing */
                                    guint         n);
void      tc_chart_set_forecast    (TcChart      *chart,
                                    const gint64 *t,
                                    const double *median, /* (n) */
                                    guint         n);
/* A quantile band over the forecast steps, e.g. (0.1, 0.9).  Bands are
 * drawn widest first, so a P25–P75 band appears darker inside P10–P90. */
void      tc_chart_add_band        (TcChart      *chart,
                                    double        q_lo,
                                    double        q_hi,
                                    const double *lo,    /* (n forecast) */
                                    const double *hi);   /* (n forecast) */
/* Holdout actuals over the forecast steps (NaN = missing); NULL clears. */
void      tc_chart_set_actuals     (TcChart      *chart,
                                    const double *y);    /* (n forecast) */
/* A second median over the forecast steps, drawn as a dashed line in
 * the style's comparison colour with @label in the legend and tooltip
 * (e.g. a what-if scenario next to the baseline forecast); NULL clears.
 * Cleared with the forecast when the number of forecast steps changes. */
void      tc_chart_set_comparison  (TcChart      *chart,
                                    const double *median, /* (n forecast) */
                                    const char   *label);
void      tc_chart_add_marker      (TcChart          *chart,
                                    TcChartMarkerKind kind,
                                    gint64            t_start,
                                    gint64            t_end,  /* == t_start: a point */
                                    const char       *label);
void      tc_chart_clear           (TcChart      *chart);
void      tc_chart_set_title       (TcChart      *chart,
                                    const char   *title);
const char *tc_chart_get_title     (TcChart      *chart);
void      tc_chart_set_units       (TcChart      *chart,
                                    const char   *units);
void      tc_chart_set_style       (TcChart            *chart,
                                    const TcChartStyle *style);
const TcChartStyle *tc_chart_get_style (TcChart *chart);
void      tc_chart_set_show_legend (TcChart      *chart,
                                    gboolean      show);

guint     tc_chart_get_n_steps     (TcChart      *chart);
/* How many legend entries fit a chart of that size (for tests). */
guint     tc_chart_get_n_legend_items (TcChart   *chart,
                                       double     width,
                                       double     height);
/* The quantile bands, widest first: their levels, e.g. (0.1, 0.9). */
guint     tc_chart_get_n_bands     (TcChart      *chart);
gboolean  tc_chart_get_band_levels (TcChart      *chart,
                                    guint         index,
                                    double       *q_lo,
                                    double       *q_hi);
gint64    tc_chart_get_step_time   (TcChart      *chart,
                                    guint         index);

/* Geometry for interaction: the size the chart is shown at. */
void      tc_chart_set_size        (TcChart      *chart,
                                    double        width,
                                    double        height);
/* The plot area (inside the axes) for a chart @width × @height. */
TcChartRect tc_chart_get_plot_rect (TcChart      *chart,
                                    double        width,
                                    double        height);
double    tc_chart_time_to_x       (TcChart      *chart,
                                    double        t);
double    tc_chart_x_to_time       (TcChart      *chart,
                                    double        x);
/* The pixel y of value @v on the value axis as last laid out for the
 * chart's size (tc_chart_set_size) and view. */
double    tc_chart_value_to_y      (TcChart      *chart,
                                    double        v);

/* Viewport. */
void      tc_chart_set_view        (TcChart      *chart,
                                    double        t_from,
                                    double        t_to);
void      tc_chart_get_view        (TcChart      *chart,
                                    double       *t_from,
                                    double       *t_to);
void      tc_chart_get_data_extent (TcChart      *chart,
                                    double       *t_from,
                                    double       *t_to);
/* factor > 1 zooms in, keeping the time under pixel @x fixed. */
void      tc_chart_zoom            (TcChart      *chart,
                                    double        x,
                                    double        factor);
/* Moves the content by @dx pixels (dragging right shows earlier times). */
void      tc_chart_pan             (TcChart      *chart,
                                    double        dx);
void      tc_chart_reset_view      (TcChart      *chart);

/* The values at one step of the merged time axis, as hovering it shows
 * them; FALSE past the last step.  info->x is NAN: walking every step
 * must not lay the chart out each time (tc_chart_time_to_x places one). */
gboolean  tc_chart_get_step        (TcChart          *chart,
                                    guint             index,
                                    TcChartHoverInfo *info);

/* Hover. */
gboolean  tc_chart_hover_at        (TcChart          *chart,
                                    double            x,
                                    double            y,
                                    TcChartHoverInfo *info);
gboolean  tc_chart_get_hover       (TcChart          *chart,
                                    TcChartHoverInfo *info);
void      tc_chart_set_hover_index (TcChart      *chart,
                                    guint         index);
/* Moves the hover by @delta steps (starting from the last visible step if
 * nothing is hovered), scrolling the view to keep it visible. */
void      tc_chart_move_hover      (TcChart      *chart,
                                    int           delta);
void      tc_chart_clear_hover     (TcChart      *chart);
/* How many markers of @kind the chart holds (drawn or not). */
guint     tc_chart_count_markers   (TcChart          *chart,
                                    TcChartMarkerKind kind);

/* Drawing. */
void      tc_chart_render          (TcChart      *chart,
                                    cairo_t      *cr,
                                    double        width,
                                    double        height);
gboolean  tc_chart_export          (TcChart      *chart,
                                    const char   *path,
                                    TcChartFormat format,
                                    int           width,
                                    int           height,
                                    GError      **error);
TcChartFormat tc_chart_format_from_path (const char *path);

/* What a sparkline of @n values shows, in words, for screen readers:
 * the first @n_history are past sales, the rest a forecast (0 when
 * there is none).  Free with g_free(). */
char     *tc_sparkline_dup_text    (const double *y,
                                    guint         n,
                                    guint         n_history);

/* A sparkline of @n values (NaN = gap) filling @width × @height. */
void      tc_sparkline_render      (cairo_t      *cr,
                                    const double *y,
                                    guint         n,
                                    double        width,
                                    double        height,
                                    const TcRGBA *color);

G_END_DECLS
