/* tc-loss-chart.h — training and validation loss per epoch or step, with
 * the learning rate on a secondary axis.  Model/render split as TcChart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-chart.h"

G_BEGIN_DECLS

typedef struct
{
  guint  index;
  double x;        /* epoch or step */
  double train;    /* NaN if none */
  double val;      /* NaN if none */
  double lr;       /* NaN if none */
  double px;       /* pixel x */
} TcLossHoverInfo;

#define TC_TYPE_LOSS_CHART (tc_loss_chart_get_type ())
G_DECLARE_FINAL_TYPE (TcLossChart, tc_loss_chart, TC, LOSS_CHART, GObject)

TcLossChart *tc_loss_chart_new         (void);
/* Replaces the data; @val and @lr may be NULL.  Arrays are (n), copied;
 * @x must be increasing. */
void         tc_loss_chart_set_data    (TcLossChart  *chart,
                                        const double *x,
                                        const double *train,
                                        const double *val,
                                        const double *lr,
                                        guint         n);
/* Appends one point during training (NaN for a value not measured). */
void         tc_loss_chart_append      (TcLossChart  *chart,
                                        double        x,
                                        double        train,
                                        double        val,
                                        double        lr);
void         tc_loss_chart_clear       (TcLossChart  *chart);
guint        tc_loss_chart_get_n       (TcLossChart  *chart);
void         tc_loss_chart_set_log_scale (TcLossChart *chart,
                                          gboolean     log_scale);
gboolean     tc_loss_chart_get_log_scale (TcLossChart *chart);
void         tc_loss_chart_set_x_label (TcLossChart  *chart,
                                        const char   *label);
void         tc_loss_chart_set_title   (TcLossChart  *chart,
                                        const char   *title);
void         tc_loss_chart_set_style   (TcLossChart        *chart,
                                        const TcChartStyle *style);
/* Point @index (x, train, val, lr; px unset); FALSE past the end. */
gboolean     tc_loss_chart_get_point   (TcLossChart     *chart,
                                        guint            index,
                                        TcLossHoverInfo *info);
/* The point with the lowest validation loss (training loss without
 * validation); FALSE when there is none. */
gboolean     tc_loss_chart_get_best    (TcLossChart  *chart,
                                        guint        *index);

void         tc_loss_chart_set_size    (TcLossChart  *chart,
                                        double        width,
                                        double        height);
TcChartRect  tc_loss_chart_get_plot_rect (TcLossChart *chart,
                                          double       width,
                                          double       height);
/* Pixel y of a loss value in the current layout (log or linear). */
double       tc_loss_chart_value_to_y  (TcLossChart  *chart,
                                        double        v);
double       tc_loss_chart_x_to_px     (TcLossChart  *chart,
                                        double        x);
gboolean     tc_loss_chart_hover_at    (TcLossChart     *chart,
                                        double           px,
                                        double           py,
                                        TcLossHoverInfo *info);
gboolean     tc_loss_chart_get_hover   (TcLossChart     *chart,
                                        TcLossHoverInfo *info);
void         tc_loss_chart_move_hover  (TcLossChart  *chart,
                                        int           delta);
void         tc_loss_chart_clear_hover (TcLossChart  *chart);

void         tc_loss_chart_render      (TcLossChart  *chart,
                                        cairo_t      *cr,
                                        double        width,
                                        double        height);

/* Ticks for a log axis over [lo, hi] (lo > 0): decades, with 2 and 5
 * between them when few decades are shown.  GArray of TcChartTick. */
GArray      *tc_chart_log_ticks        (double        lo,
                                        double        hi);

G_END_DECLS
