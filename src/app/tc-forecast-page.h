/* tc-forecast-page.h — the Forecast page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_FORECAST_PAGE (tc_forecast_page_get_type ())

G_DECLARE_FINAL_TYPE (TcForecastPage, tc_forecast_page, TC, FORECAST_PAGE, AdwBin)

TcSession *tc_forecast_page_get_session (TcForecastPage *self);
void       tc_forecast_page_set_session (TcForecastPage *self,
                                 TcSession *session);

G_END_DECLS
