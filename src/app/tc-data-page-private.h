/* tc-data-page-private.h — what the tests of the Data page drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same code paths as the buttons; nothing here bypasses the UI.
 */
#pragma once

#include "tc-data-page.h"
#include "tc-import-dialog.h"

G_BEGIN_DECLS

/* The open import assistant, or NULL. */
TcImportDialog *tc_data_page_get_import_dialog (TcDataPage *self);
/* "empty", "loading", "error" or "content". */
const char     *tc_data_page_get_state         (TcDataPage *self);
/* The series list after the search filter. */
guint           tc_data_page_get_n_shown_series (TcDataPage *self);
void            tc_data_page_set_search_text   (TcDataPage *self,
                                                const char *text);
/* Clicks the header of the series list's column @column_title. */
void            tc_data_page_sort              (TcDataPage  *self,
                                                const char  *column_title,
                                                GtkSortType  order);
/* The id of the series shown at @position, in the order on screen. */
char           *tc_data_page_dup_shown_series_id (TcDataPage *self,
                                                  guint       position);
/* Presses "Re-import with Other Roles…". */
void            tc_data_page_reimport          (TcDataPage *self);
/* What "Add Market News…" does with the file chosen: the data imported
 * again with @news joined. */
void            tc_data_page_add_news          (TcDataPage *self,
                                                GFile      *news);
/* What "Locate…" of the warning about a project's news file left out
 * does with the file chosen: joined to the data, the model kept; or its
 * problem shown in the warning. */
void            tc_data_page_locate_news       (TcDataPage *self,
                                                GFile      *news);
/* "Remove" of that warning: the news file forgotten. */
void            tc_data_page_remove_news       (TcDataPage *self);
/* Whether the warning is shown (visible and drawn), its title and text. */
gboolean        tc_data_page_get_news_warning  (TcDataPage  *self,
                                                const char **title,
                                                const char **text);
/* Its "Locate…" (@locate) or "Remove" button. */
GtkButton      *tc_data_page_get_news_warning_button (TcDataPage *self,
                                                      gboolean    locate);
/* The value beside @title ("Market news") in the summary, or NULL. */
char           *tc_data_page_dup_role_value    (TcDataPage *self,
                                                const char *title);
/* The text of the page's error state. */
const char     *tc_data_page_get_error_text    (TcDataPage *self);

/* "setup", "progress" or "error". */
const char     *tc_import_dialog_get_state     (TcImportDialog *self);
/* TRUE while a preview or an import runs. */
gboolean        tc_import_dialog_is_busy       (TcImportDialog *self);
const TcImportReport *tc_import_dialog_get_report (TcImportDialog *self);
TcColumnRole    tc_import_dialog_get_role      (TcImportDialog *self,
                                                const char     *column);
void            tc_import_dialog_set_role      (TcImportDialog *self,
                                                const char     *column,
                                                TcColumnRole    role);
void            tc_import_dialog_set_skip_bad_rows (TcImportDialog *self,
                                                    gboolean        skip);
void            tc_import_dialog_press_import  (TcImportDialog *self);
void            tc_import_dialog_press_cancel  (TcImportDialog *self);
void            tc_import_dialog_press_retry   (TcImportDialog *self);
const char     *tc_import_dialog_get_error_location (TcImportDialog *self);
guint           tc_import_dialog_get_n_problem_rows (TcImportDialog *self);
/* Whether the Import button can be pressed, and the problem list's title. */
gboolean        tc_import_dialog_can_import    (TcImportDialog *self);
/* The Date of the First Period row: NULL when hidden; setting types into it. */
const char     *tc_import_dialog_get_start     (TcImportDialog *self);
void            tc_import_dialog_set_start     (TcImportDialog *self,
                                                const char     *text);
const char     *tc_import_dialog_get_problems_title (TcImportDialog *self);

G_END_DECLS
