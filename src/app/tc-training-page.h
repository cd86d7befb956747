/* tc-training-page.h — the Training page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_TRAINING_PAGE (tc_training_page_get_type ())

G_DECLARE_FINAL_TYPE (TcTrainingPage, tc_training_page, TC, TRAINING_PAGE, AdwBin)

TcSession *tc_training_page_get_session (TcTrainingPage *self);
void       tc_training_page_set_session (TcTrainingPage *self,
                                 TcSession *session);

G_END_DECLS
