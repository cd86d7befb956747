/* tc-evaluation-page.h — the Evaluation page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-backtest.h"
#include "tc-explain.h"
#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_EVALUATION_PAGE (tc_evaluation_page_get_type ())

G_DECLARE_FINAL_TYPE (TcEvaluationPage, tc_evaluation_page, TC, EVALUATION_PAGE, AdwBin)

TcSession *tc_evaluation_page_get_session (TcEvaluationPage *self);
void       tc_evaluation_page_set_session (TcEvaluationPage *self,
                                   TcSession *session);

/* What the Run button does; the result arrives in the main loop
 * (notify::running goes FALSE). */
void       tc_evaluation_page_run         (TcEvaluationPage *self);
void       tc_evaluation_page_cancel      (TcEvaluationPage *self);
gboolean   tc_evaluation_page_get_running (TcEvaluationPage *self);
/* The settings the page would run with (for tests and the CLI's parity). */
void       tc_evaluation_page_get_config  (TcEvaluationPage *self,
                                           TcBacktestConfig *cfg);
/* Ticks a model's check box: "transformer", "naive", "snaive", "ets", "ma", "sba", "theta". */
void       tc_evaluation_page_set_model_enabled (TcEvaluationPage *self,
                                                 const char       *name,
                                                 gboolean          enabled);
/* The last result, or NULL; and the last error message, or NULL. */
const TcBacktestResult *tc_evaluation_page_get_result  (TcEvaluationPage *self);
void       tc_evaluation_page_restore     (TcEvaluationPage *self,
                                           TcBacktestResult *res,
                                           TcExplainResult  *drivers);
const TcExplainResult  *tc_evaluation_page_get_drivers (TcEvaluationPage *self);
const char *tc_evaluation_page_get_error  (TcEvaluationPage *self);
/* The text of a cell of the accuracy table (row 0 = header, column 0 =
 * model name), or NULL; free it. */
char      *tc_evaluation_page_dup_cell    (TcEvaluationPage *self,
                                           guint             row,
                                           guint             column);
/* Writes the models x metrics table. */
gboolean   tc_evaluation_page_export_csv  (TcEvaluationPage *self,
                                           const char       *path,
                                           GError          **error);

G_END_DECLS
