/* tc-evaluation-page.h — the Evaluation page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_EVALUATION_PAGE (tc_evaluation_page_get_type ())

G_DECLARE_FINAL_TYPE (TcEvaluationPage, tc_evaluation_page, TC, EVALUATION_PAGE, AdwBin)

TcSession *tc_evaluation_page_get_session (TcEvaluationPage *self);
void       tc_evaluation_page_set_session (TcEvaluationPage *self,
                                   TcSession *session);

G_END_DECLS
