/* tc-model-page.h — the Model page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_MODEL_PAGE (tc_model_page_get_type ())

G_DECLARE_FINAL_TYPE (TcModelPage, tc_model_page, TC, MODEL_PAGE, AdwBin)

TcSession *tc_model_page_get_session (TcModelPage *self);
void       tc_model_page_set_session (TcModelPage *self,
                              TcSession *session);

G_END_DECLS
