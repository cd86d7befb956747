/* tc-plan-page.h — the Plan page: how much to order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-hot.h"
#include "tc-orders.h"
#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_PLAN_PAGE (tc_plan_page_get_type ())

G_DECLARE_FINAL_TYPE (TcPlanPage, tc_plan_page, TC, PLAN_PAGE, AdwBin)

/* The table's columns, in order. */
typedef enum
{
  TC_PLAN_COLUMN_SERIES = 0,
  TC_PLAN_COLUMN_TREND,      /* sparkline: recent sales, then the forecast's median */
  TC_PLAN_COLUMN_STOCK,      /* on hand + on order */
  TC_PLAN_COLUMN_ORDER,
  TC_PLAN_COLUMN_UP_TO,
  TC_PLAN_COLUMN_RISK,       /* before the order arrives; by the next delivery without lead time */
  TC_PLAN_COLUMN_LEFTOVER,
  TC_PLAN_COLUMN_COVER,
  TC_PLAN_COLUMN_GROWTH,     /* next period against the last, or "new" */
  TC_PLAN_COLUMN_INFO,       /* a button with every sentence */
  TC_PLAN_N_COLUMNS
} TcPlanColumn;

TcSession         *tc_plan_page_get_session    (TcPlanPage  *self);
void               tc_plan_page_set_session    (TcPlanPage  *self,
                                                TcSession   *session);

/* Recomputes the plan (the page does it by itself when it is shown and
 * something changed): the forecast, when the session has none yet, and
 * the plan are computed in worker threads, the page showing a spinner;
 * "busy" until the result is shown.  A result for inputs that changed
 * meanwhile is dropped. */
void               tc_plan_page_refresh        (TcPlanPage  *self);
gboolean           tc_plan_page_get_busy       (TcPlanPage  *self);
/* Reads the stock from @file (sku,stock[,on_order]); NULL goes back to a
 * stock column of the data, or none. */
gboolean           tc_plan_page_set_stock_file (TcPlanPage  *self,
                                                GFile       *file,
                                                GError     **error);
void               tc_plan_page_set_parameters (TcPlanPage  *self,
                                                guint        lead_time,
                                                guint        review_period,
                                                double       service_level);

/* The plan shown, or NULL; the growth ranking beside it. */
GFile             *tc_plan_page_get_parameters (TcPlanPage  *self,
                                                guint       *lead_time,
                                                guint       *review_period,
                                                double      *service_level);
const TcOrderPlan *tc_plan_page_get_plan       (TcPlanPage  *self);
const TcHotReport *tc_plan_page_get_hot        (TcPlanPage  *self);
/* Rows of the table in their current order; a cell's text and tooltip
 * (free them), NULL outside the table. */
guint              tc_plan_page_get_n_rows     (TcPlanPage  *self);
char              *tc_plan_page_dup_cell       (TcPlanPage  *self,
                                                guint        row,
                                                TcPlanColumn column);
char              *tc_plan_page_dup_tooltip    (TcPlanPage  *self,
                                                guint        row,
                                                TcPlanColumn column);
/* Sorts the table by @column (not the sparkline or the info button). */
void               tc_plan_page_sort_by        (TcPlanPage  *self,
                                                TcPlanColumn column,
                                                gboolean     descending);
/* The plan as the CSV of "trendcast-cli plan". */
gboolean           tc_plan_page_export_csv     (TcPlanPage  *self,
                                                const char  *path,
                                                GError     **error);

G_END_DECLS
