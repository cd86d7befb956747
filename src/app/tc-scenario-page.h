/* tc-scenario-page.h — the Scenarios page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_SCENARIO_PAGE (tc_scenario_page_get_type ())

G_DECLARE_FINAL_TYPE (TcScenarioPage, tc_scenario_page, TC, SCENARIO_PAGE, AdwBin)

TcSession *tc_scenario_page_get_session (TcScenarioPage *self);
void       tc_scenario_page_set_session (TcScenarioPage *self,
                                 TcSession *session);

G_END_DECLS
