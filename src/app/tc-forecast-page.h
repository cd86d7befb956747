/* tc-forecast-page.h — the Forecast page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-chart.h"
#include "tc-explore.h"
#include "tc-text-signal.h"
#include "tc-text-summary.h"
#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_FORECAST_PAGE (tc_forecast_page_get_type ())

G_DECLARE_FINAL_TYPE (TcForecastPage, tc_forecast_page, TC, FORECAST_PAGE, AdwBin)

TcSession *tc_forecast_page_get_session (TcForecastPage *self);
void       tc_forecast_page_set_session (TcForecastPage *self,
                                         TcSession      *session);

/* What Export Chart… and Export Forecast… write, without the file chooser.
 * The chart keeps the view on screen; the format follows the extension. */
gboolean   tc_forecast_page_export_chart (TcForecastPage *self,
                                          const char     *path,
                                          int             width,
                                          int             height,
                                          GError        **error);
gboolean   tc_forecast_page_export_csv   (TcForecastPage *self,
                                          const char     *path,
                                          gboolean        all_levels,
                                          GError        **error);
/* Export History and Forecast…: the shown level, one number a row. */
gboolean   tc_forecast_page_export_history_csv (TcForecastPage *self,
                                                const char     *path,
                                                GError        **error);

/* For tests and screenshots.  The page rebuilds from the session in an
 * idle, the forecast computed in a worker; rebuild_now does it all at
 * once, in this thread.  Levels: 0 = single series, then
 * one per static column, then the total (when there are 2+ series). */
void       tc_forecast_page_rebuild_now  (TcForecastPage *self);
/* The forecast runs in a worker (tc_session_forecast_async); TRUE until
 * it is back. */
gboolean   tc_forecast_page_get_busy     (TcForecastPage *self);
guint      tc_forecast_page_get_n_levels (TcForecastPage *self);
const TcExploreLevel *tc_forecast_page_get_level (TcForecastPage *self);
void       tc_forecast_page_set_level    (TcForecastPage *self,
                                          guint           index);
int        tc_forecast_page_get_group    (TcForecastPage *self);
gboolean   tc_forecast_page_select       (TcForecastPage *self,
                                          const char     *name);
guint      tc_forecast_page_get_n_shown  (TcForecastPage *self);
void       tc_forecast_page_set_search   (TcForecastPage *self,
                                          const char     *text);
TcChart   *tc_forecast_page_get_chart    (TcForecastPage *self);
const char *tc_forecast_page_get_summary (TcForecastPage *self);
/* "What customers say" for the group shown: its summary, or NULL when
 * the panel is hidden (no review text); the rising or falling lines. */
const TcTextSummary *tc_forecast_page_get_text_summary (TcForecastPage *self);
const char *tc_forecast_page_get_text_terms (TcForecastPage *self,
                                             gboolean        rising);
/* What the reviews do to the forecast of the group shown (measured in a
 * worker: NULL until then, and when the model does not read text), and
 * the sentence under its chart. */
const TcTextSignal *tc_forecast_page_get_text_signal (TcForecastPage *self);
const char *tc_forecast_page_get_text_signal_note (TcForecastPage *self);
const char *tc_forecast_page_get_detail  (TcForecastPage *self);
const char *tc_forecast_page_get_note    (TcForecastPage *self);

G_END_DECLS
