/* tc-session.h — what the user is working on: data, model, forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One TcSession per window, shared by every page.  Pages read from it
 * and watch its properties (notify::dataset, notify::forecaster,
 * notify::forecast); only the session replaces them, so a page never
 * holds a dataset that another page has already dropped.
 *
 * GLib only: trendcast-cli opens one per command and uses it
 * synchronously (tc_session_import, tc_session_read_future,
 * tc_session_predict), so that the app and the command line read data
 * and plans and forecast through the same code.
 */
#pragma once

#include <gio/gio.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-lever.h"
#include "tc-scenario-book.h"

G_BEGIN_DECLS

#define TC_TYPE_SESSION (tc_session_get_type ())

G_DECLARE_FINAL_TYPE (TcSession, tc_session, TC, SESSION, GObject)

TcSession            *tc_session_new                 (void) G_GNUC_WARN_UNUSED_RESULT;

/* The file and the options it was imported with (the roles chosen on the Data page). */
GFile                *tc_session_get_file            (TcSession              *self);
const TcImportOptions *tc_session_get_import_options (TcSession              *self);
const TcImportReport *tc_session_get_import_report   (TcSession              *self);
const TcDataset      *tc_session_get_dataset         (TcSession              *self);

/* Imports @file in a worker thread; on success the dataset, report and
 * options replace the current ones and any model trained on other data
 * is dropped.  @opts may be NULL for detected roles. */
void                  tc_session_import_async        (TcSession              *self,
                                                      GFile                  *file,
                                                      const TcImportOptions  *opts,
                                                      GCancellable           *cancellable,
                                                      TcImportProgressFunc    progress,
                                                      gpointer                progress_data,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
gboolean              tc_session_import_finish       (TcSession              *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
/* The same in the calling thread (the command line). */
gboolean              tc_session_import              (TcSession              *self,
                                                      GFile                  *file,
                                                      const TcImportOptions  *opts,
                                                      GCancellable           *cancellable,
                                                      GError                **error);
/* Why the news file of the import options is not joined to the data
 * (it was optional, a project's, and missing or broken:
 * TcImportReport.news_error), or NULL. */
const GError         *tc_session_get_news_error      (TcSession              *self);
/* FALSE, with the news file's path and what is wrong with it, when the
 * model reads news and the project's file was left out: no forecast can
 * be made then (tc_session_predict and tc_session_forecast_async check
 * this too).  The pages that show the refusal offer the way to the Data
 * page.  @error may be NULL. */
gboolean              tc_session_check_news          (TcSession              *self,
                                                      GError                **error);
/* The import options name no news file any more (a project saved next
 * does not either); the data, the model and the plan stay. */
void                  tc_session_forget_news         (TcSession              *self);
/* Reads @path as the news file, with the options' news columns, and
 * joins it to the data, which it replaces; unlike an import the model
 * and the plan stay.  On error (with the file's place,
 * tc_error_get_location) nothing changes. */
gboolean              tc_session_attach_news         (TcSession              *self,
                                                      const char             *path,
                                                      GError                **error);
/* Takes ownership of @dataset (and @report, may be NULL); for tests and re-imports. */
void                  tc_session_set_dataset         (TcSession              *self,
                                                      GFile                  *file,
                                                      const TcImportOptions  *opts,
                                                      TcDataset              *dataset,
                                                      TcImportReport         *report);

/* The options the Model page edits and the Training page uses. */
TcForecasterOptions  *tc_session_get_forecaster_options (TcSession           *self);
void                  tc_session_forecaster_options_changed (TcSession        *self);

/* The trained model; takes ownership.  Clears the cached forecast. */
TcForecaster         *tc_session_get_forecaster      (TcSession              *self);
void                  tc_session_set_forecaster      (TcSession              *self,
                                                      TcForecaster           *forecaster);
/* Whether the model is in a file too (saved, or opened from one). */
gboolean              tc_session_get_model_saved     (TcSession              *self);
void                  tc_session_set_model_saved     (TcSession              *self);

/* The forecast of every series after its own last value
 * (TC_ORIGIN_PER_SERIES), computed on first use (it is fast next to
 * training).  NULL with @error when there is no model or the data does
 * not fit it. */
const TcForecast     *tc_session_get_forecast        (TcSession              *self,
                                                      GError                **error);
/* The same in a worker thread, on copies of the model, data and plan;
 * the result is cached (and notified) before @callback runs, or dropped
 * with TC_ERROR_CANCELLED when the inputs changed meanwhile. */
void                  tc_session_forecast_async      (TcSession              *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
const TcForecast     *tc_session_forecast_finish     (TcSession              *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
/* The cached forecast, or NULL: never computes. */
const TcForecast     *tc_session_peek_forecast       (TcSession              *self);
/* Known-covariate values of the forecast's dates that the future plan
 * (tc_session_set_future) did not give and the model's assumptions
 * filled; 0 without a plan or before the forecast was computed. */
guint                 tc_session_get_n_assumed       (TcSession              *self);
/* A forecast computed now with origins chosen by @mode (not cached):
 * without a plan, or where a plan has gaps and @strict is FALSE, the
 * model's assumptions fill the known covariates; with @strict a gap in
 * the plan is an error.  Shared by the app and the command line. */
TcForecast           *tc_session_predict             (TcSession              *self,
                                                      TcOriginMode            mode,
                                                      gboolean                strict,
                                                      guint                  *n_assumed_out,
                                                      GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* Known future covariates for the horizon (FUTURE.csv), or NULL. */
const TcDataset      *tc_session_get_future          (TcSession              *self);
void                  tc_session_set_future          (TcSession              *self,
                                                      TcDataset              *future);
/* Reads a FUTURE file against the session's data (tc_future_plan_read)
 * and makes it the future. */
gboolean              tc_session_read_future         (TcSession              *self,
                                                      const char             *path,
                                                      guint                  *n_rows_out,
                                                      GError                **error);

/* Changes whenever the data, the model or the plan does. */
guint64               tc_session_get_serial          (TcSession              *self);
/* One estimate of each lever, shared by the Evaluation and Scenarios
 * pages; NULL until one of them computed it for the current serial. */
TcLeverSet           *tc_session_get_levers          (TcSession              *self);
gboolean              tc_session_set_levers          (TcSession              *self,
                                                      guint64                 serial,
                                                      TcLeverSet             *levers);

/* The named scenarios the user saved (the Scenarios page, a project's
 * "scenario-book"): never NULL, empty at first.  They are kept by series
 * id and date, so they outlive a new model or plan and are not dropped
 * with them.  set takes @book (NULL = an empty one). */
TcScenarioBook       *tc_session_get_scenario_book   (TcSession              *self);
void                  tc_session_set_scenario_book   (TcSession              *self,
                                                      TcScenarioBook         *book);

G_END_DECLS
