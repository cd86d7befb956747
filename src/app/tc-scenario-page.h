/* tc-scenario-page.h — the Scenarios page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-project.h"
#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_SCENARIO_PAGE (tc_scenario_page_get_type ())

G_DECLARE_FINAL_TYPE (TcScenarioPage, tc_scenario_page, TC, SCENARIO_PAGE, AdwBin)

/* What one row of the "What if…" list changes. */
typedef enum
{
  TC_SCENARIO_EDIT_PROMOTION = 0,  /* every promotion covariate = 1 */
  TC_SCENARIO_EDIT_DISCOUNT,       /* discount = value %, price × (1 − value / 100) */
  TC_SCENARIO_EDIT_PRICE,          /* price × value */
  TC_SCENARIO_EDIT_SET,            /* covariate = value */
  TC_SCENARIO_EDIT_COMPETITOR,     /* a competitor's price × value */
} TcScenarioEditKind;

TcSession *tc_scenario_page_get_session (TcScenarioPage *self);
void       tc_scenario_page_set_session (TcScenarioPage *self,
                                         TcSession      *session);

/* The series the changes apply to and the results add up: -1 = all
 * series, otherwise a series index of the session's dataset. */
void       tc_scenario_page_set_scope_series (TcScenarioPage *self,
                                              int             series);
/* Adds a change row, as the "Add Change" menu does; @from and @to are
 * indices into the forecast dates (inclusive).  @covariate is only for
 * TC_SCENARIO_EDIT_SET.  Returns FALSE when the model has no covariate
 * the change needs (no price for a price change …). */
gboolean   tc_scenario_page_add_edit    (TcScenarioPage     *self,
                                         TcScenarioEditKind  kind,
                                         const char         *covariate,
                                         double              value,
                                         guint               from,
                                         guint               to);
guint      tc_scenario_page_get_n_edits (TcScenarioPage *self);
/* Apply / Reset buttons. */
void       tc_scenario_page_apply       (TcScenarioPage *self);
void       tc_scenario_page_reset       (TcScenarioPage *self);
/* TRUE while a scenario is being computed (property "busy"). */
gboolean   tc_scenario_page_get_busy    (TcScenarioPage *self);
/* The last result for the current changes and plan, or NULL. */
const TcScenarioResult *tc_scenario_page_get_result (TcScenarioPage *self);
/* The result card's headline and detail, as shown. */
const char *tc_scenario_page_get_headline (TcScenarioPage *self);
const char *tc_scenario_page_get_detail   (TcScenarioPage *self);

/* Reads a FUTURE file of planned promotions and prices into the
 * session's future covariates (tc_session_set_future). */
gboolean   tc_scenario_page_import_plan (TcScenarioPage *self,
                                         const char     *path,
                                         GError        **error);
/* series,date,baseline_p50,scenario_p50,uplift_units,uplift_revenue for
 * every series in scope and every forecast date. */
gboolean   tc_scenario_page_export_csv  (TcScenarioPage *self,
                                         const char     *path,
                                         GError        **error);

/* For projects: the change rows (appended to @changes, of
 * TcProjectChange, covariate names newly allocated) and the scope's
 * series ids (NULL for all series; free with g_strfreev).  Signal
 * "changed": the user changed the rows or the scope. */
void       tc_scenario_page_get_changes (TcScenarioPage  *self,
                                         GArray          *changes,
                                         char          ***scope_out);
/* Replaces the rows and the scope and applies them; a change whose
 * dates are not forecast dates any more is left out.  Returns the
 * number of rows added. */
guint      tc_scenario_page_set_changes (TcScenarioPage     *self,
                                         const GArray       *changes,
                                         const char * const *scope);

/* Saved scenarios, kept in the session's book (tc-scenario-book.h) and
 * so in the project.  Saving stores the rows and the scope under @name
 * (replacing a scenario of that name); opening puts them back in the
 * rows and applies them; FALSE with @error when there is nothing to
 * save or the saved edits cannot be rows. */
gboolean   tc_scenario_page_save_scenario   (TcScenarioPage  *self,
                                             const char      *name,
                                             GError         **error);
gboolean   tc_scenario_page_open_scenario   (TcScenarioPage  *self,
                                             const char      *name,
                                             GError         **error);
gboolean   tc_scenario_page_delete_scenario (TcScenarioPage  *self,
                                             const char      *name);
/* Shows the saved scenarios again after the session's book was replaced
 * (a project opened); the rows of that list. */
void       tc_scenario_page_refresh_saved   (TcScenarioPage  *self);
guint      tc_scenario_page_get_n_saved_rows (TcScenarioPage *self);
/* Compares every saved scenario with the baseline in a worker thread
 * (tc_scenario_book_compare over all series, per-series origins, the
 * page's rule for ranges of totals); "busy" until it is shown. */
void       tc_scenario_page_compare         (TcScenarioPage  *self);
/* The comparison shown, or NULL. */
const TcScenarioComparison *tc_scenario_page_get_comparison (TcScenarioPage *self);
/* The comparison table's cells, row by row (header first), as shown. */
char     **tc_scenario_page_get_comparison_cells (TcScenarioPage *self,
                                                  guint          *n_columns);
/* A book file in trendcast-cli's format: its scenarios are added to
 * the session's (replacing those of the same name); export writes the
 * session's. */
gboolean   tc_scenario_page_import_book     (TcScenarioPage  *self,
                                             const char      *path,
                                             GError         **error);
gboolean   tc_scenario_page_export_book     (TcScenarioPage  *self,
                                             const char      *path,
                                             GError         **error);
/* The caution shown with the result (a price changed without the
 * discount it always moved with), or NULL. */
const char *tc_scenario_page_get_caution    (TcScenarioPage  *self);

G_END_DECLS
