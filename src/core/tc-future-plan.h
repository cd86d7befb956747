/* tc-future-plan.h — planned promotions and prices for the forecast dates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A FUTURE file has the date and series columns of the data and some of
 * its known covariates, but no target, so the importer (which needs a
 * target) cannot read it alone.  This reads it against the data it
 * belongs to.  GLib only: it runs in a worker thread.
 */
#pragma once

#include "tc-dataset.h"
#include "tc-forecaster.h"
#include "tc-import.h"

G_BEGIN_DECLS

/* Reads @path into a dataset on @ds's grid and series with the known
 * covariates of @ds (cells the file does not give are NaN).  The date
 * and series columns are those @report found in the data (by name).
 * Errors name the file, line and column.  @n_rows_out: data rows read. */
TcDataset *tc_future_plan_read    (const char           *path,
                                   const TcDataset      *ds,
                                   const TcImportReport *report,
                                   const TcImportOptions *opts,
                                   guint                *n_rows_out,
                                   GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* The plan the scenarios start from: @fc's future template for the
 * horizon after @ds with what @plan (may be NULL) gives written over it.
 * @n_assumed_out: horizon cells the plan did not give (filled with the
 * template's assumptions: no promotion or discount, last price). */
TcDataset *tc_future_plan_resolve (TcForecaster         *fc,
                                   const TcDataset      *ds,
                                   const TcDataset      *plan,
                                   guint                *n_assumed_out) G_GNUC_WARN_UNUSED_RESULT;

/* The same for forecast origins chosen by @mode: with per-series
 * origins every series is resolved on its own H dates (the template's
 * grid runs from the earliest origin; other cells stay NaN). */
TcDataset *tc_future_plan_resolve_full (TcForecaster         *fc,
                                        const TcDataset      *ds,
                                        const TcDataset      *plan,
                                        TcOriginMode          mode,
                                        guint                *n_assumed_out) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
