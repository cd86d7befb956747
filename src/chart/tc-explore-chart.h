/* tc-explore-chart.h — a level's group (tc-explore.h) on a TcChart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One function so that the forecast explorer and "trendcast-cli plot"
 * draw the very same chart.
 */
#pragma once

#include "tc-chart.h"
#include "tc-explore.h"

G_BEGIN_DECLS

/* Replaces what @chart shows with group @group of @level: its history,
 * median forecast, the outermost quantile band (P10–P90 by default) and
 * an inner one when the model has quantiles between, promotion and
 * holiday markers, @title (may be NULL) and the target name as units.
 * The view starts at the last @view_history dates before the forecast
 * and ends with it (0: all of the history); resetting the view shows
 * everything. */
void tc_explore_chart_fill (TcChart              *chart,
                            const TcExploreLevel *level,
                            guint                 group,
                            const char           *title,
                            guint                 view_history);

/* A reasonable @view_history for tc_explore_chart_fill: a few horizons,
 * at least a season where the data has one. */
guint tc_explore_chart_default_view (const TcExploreLevel *level);

G_END_DECLS
