/* tc-app-files.h — what every file chooser and every "saved" toast does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Starts @chooser in the user's Documents folder (the home folder when
 * there is none), where a category manager keeps sales exports. */
void tc_app_chooser_start_in_documents (GtkFileChooser *chooser);

/* Adds to @filter the tables the importer reads: CSV and other text
 * exports, and Excel workbooks (tc-xlsx.h). */
void tc_app_file_filter_add_tables     (GtkFileFilter  *filter);

/* Shows @text as a toast in the window of @widget (nothing outside a
 * toast overlay).  With @action (may be NULL) it has a button @label that
 * activates @action with @target (may be NULL, floating is sunk). */
void tc_app_toast                      (GtkWidget      *widget,
                                        const char     *text,
                                        const char     *label,
                                        const char     *action,
                                        GVariant       *target);

/* Shows @text as a toast in the window of @widget, with an Open button
 * that shows @file in the application the desktop chooses for it
 * ("win.show-file"). */
void tc_app_toast_saved                (GtkWidget      *widget,
                                        GFile          *file,
                                        const char     *text);

G_END_DECLS
