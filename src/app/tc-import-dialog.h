/* tc-import-dialog.h — the import assistant of the Data page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows what the importer understood of a file (encoding, separator,
 * dates, the first rows, a role per column, the problems found), lets
 * the user correct it, and imports the file into the session.
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_IMPORT_DIALOG (tc_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TcImportDialog, tc_import_dialog, TC, IMPORT_DIALOG, AdwWindow)

/* @report is the preview of @file read with @opts (may be NULL); the
 * dialog takes ownership of it. */
TcImportDialog *tc_import_dialog_new (GtkWindow             *parent,
                                      TcSession             *session,
                                      GFile                 *file,
                                      const TcImportOptions *opts,
                                      TcImportReport        *report);

/* tc_import_preview() in a worker thread; @opts is copied. */
void            tc_import_preview_async  (GFile                 *file,
                                          const TcImportOptions *opts,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
TcImportReport *tc_import_preview_finish (GAsyncResult          *result,
                                          GError               **error);

/* The sentence of an importer message, and apart from it its translated
 * place ("Line 12, column 3 “units”", or NULL) from @loc: the
 * structured place (tc_error_get_location, or a report's
 * *_locations), never read back out of the English text; with a NULL
 * @loc the message is shown as it is. */
char           *tc_import_describe_message (const char            *message,
                                            const TcErrorLocation *loc,
                                            char                 **location);

/* A list row for an importer problem (@is_error) or warning. */
GtkWidget      *tc_import_problem_row_new (const char            *message,
                                           const TcErrorLocation *loc,
                                           gboolean               is_error);

/* A plain-language, translated name of a role, a covariate kind, a frequency. */
const char     *tc_import_role_label  (TcColumnRole    role);
const char     *tc_import_kind_label  (TcCovariateKind kind);
const char     *tc_import_freq_label  (TcFrequency     freq);

G_END_DECLS
