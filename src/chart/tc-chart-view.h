/* tc-chart-view.h — a GTK widget that shows a TcChart with zoom, pan and
 * a hover crosshair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-chart.h"

G_BEGIN_DECLS

#define TC_TYPE_CHART_VIEW (tc_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (TcChartView, tc_chart_view, TC, CHART_VIEW, GtkWidget)

GtkWidget *tc_chart_view_new       (void);
/* The chart shown; the view owns one and redraws whenever it changes. */
TcChart   *tc_chart_view_get_chart (TcChartView *self);
void       tc_chart_view_set_chart (TcChartView *self,
                                    TcChart     *chart);

char      *tc_chart_view_dup_text  (TcChartView *self);

G_END_DECLS
