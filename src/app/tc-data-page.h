/* tc-data-page.h — the Data page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_DATA_PAGE (tc_data_page_get_type ())

G_DECLARE_FINAL_TYPE (TcDataPage, tc_data_page, TC, DATA_PAGE, AdwBin)

TcSession *tc_data_page_get_session (TcDataPage *self);
void       tc_data_page_set_session (TcDataPage *self,
                             TcSession *session);

/* Starts importing @file into the session (the import assistant). */
/* Puts @widget under the Open button of the empty page (recent projects). */
void       tc_data_page_add_empty_widget (TcDataPage *self,
                                          GtkWidget  *widget);
void       tc_data_page_open_file  (TcDataPage *self,
                                    GFile      *file);

G_END_DECLS
