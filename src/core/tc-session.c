/* tc-session.c — what the user is working on: data, model, plan, forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-session"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-error.h"
#include "tc-future-plan.h"
#include "tc-import-private.h"
#include "tc-lever.h"
#include "tc-session.h"
#include "tc-tsan.h"

struct _TcSession
{
  GObject              parent_instance;

  GFile               *file;
  TcImportOptions      import_options;
  TcImportReport      *report;
  TcDataset           *dataset;
  TcDataset           *future;
  TcForecasterOptions  forecaster_options;
  TcForecaster        *forecaster;
  gboolean             model_saved;   /* @forecaster is in a file: closing loses nothing */
  TcForecast          *forecast;
  guint                n_assumed;   /* plan cells of the forecast the user's plan did not give */
  /* What each lever does, computed by whichever page needs it first and
   * shared, so that both pages show one estimate. */
  TcLeverSet          *levers;
  guint64              serial;      /* bumped whenever the forecast's inputs change */
  TcScenarioBook      *scenario_book;  /* the saved scenarios, NULL = none yet */
};

G_DEFINE_FINAL_TYPE (TcSession, tc_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DATASET,
  PROP_FORECASTER_OPTIONS,
  PROP_FORECASTER,
  PROP_FORECAST,
  PROP_FUTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
copy_import_options (TcImportOptions       *dst,
                     const TcImportOptions *src)
{
  tc_import_options_clear (dst);
  if (src != NULL)
    tc_import_options_copy (dst, src);
}

static void
tc_session_finalize (GObject *object)
{
  TcSession *self = TC_SESSION (object);

  g_clear_object (&self->file);
  tc_import_options_clear (&self->import_options);
  g_clear_pointer (&self->report, tc_import_report_free);
  g_clear_pointer (&self->dataset, tc_dataset_free);
  g_clear_pointer (&self->future, tc_dataset_free);
  g_clear_pointer (&self->forecaster, tc_forecaster_free);
  g_clear_pointer (&self->forecast, tc_forecast_free);
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  g_clear_pointer (&self->scenario_book, tc_scenario_book_free);

  G_OBJECT_CLASS (tc_session_parent_class)->finalize (object);
}

static void
tc_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcSession *self = TC_SESSION (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DATASET:
      g_value_set_pointer (value, self->dataset);
      break;
    case PROP_FORECASTER_OPTIONS:
      g_value_set_pointer (value, &self->forecaster_options);
      break;
    case PROP_FORECASTER:
      g_value_set_pointer (value, self->forecaster);
      break;
    case PROP_FORECAST:
      g_value_set_pointer (value, self->forecast);
      break;
    case PROP_FUTURE:
      g_value_set_pointer (value, self->future);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_session_class_init (TcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_session_finalize;
  object_class->get_property = tc_session_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Pointer properties exist to be watched with notify::; read them
   * through the typed getters. */
  properties[PROP_DATASET] =
    g_param_spec_pointer ("dataset", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FORECASTER_OPTIONS] =
    g_param_spec_pointer ("forecaster-options", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FORECASTER] =
    g_param_spec_pointer ("forecaster", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FORECAST] =
    g_param_spec_pointer ("forecast", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FUTURE] =
    g_param_spec_pointer ("future", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_session_init (TcSession *self)
{
  tc_import_options_init (&self->import_options);
  tc_forecaster_options_init (&self->forecaster_options);
}

TcSession *
tc_session_new (void)
{
  return g_object_new (TC_TYPE_SESSION, NULL);
}

GFile *
tc_session_get_file (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->file;
}

const TcImportOptions *
tc_session_get_import_options (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return &self->import_options;
}

const TcImportReport *
tc_session_get_import_report (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->report;
}

const TcDataset *
tc_session_get_dataset (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->dataset;
}

static void
clear_forecast (TcSession *self)
{
  /* The levers depend on what the forecast depends on. */
  self->serial++;
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  if (self->forecast == NULL)
    return;
  g_clear_pointer (&self->forecast, tc_forecast_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST]);
}

void
tc_session_set_dataset (TcSession             *self,
                        GFile                 *file,
                        const TcImportOptions *opts,
                        TcDataset             *dataset,
                        TcImportReport        *report)
{
  g_return_if_fail (TC_IS_SESSION (self));

  g_set_object (&self->file, file);
  copy_import_options (&self->import_options, opts);
  g_clear_pointer (&self->report, tc_import_report_free);
  self->report = report;
  g_clear_pointer (&self->dataset, tc_dataset_free);
  self->dataset = dataset;
  g_clear_pointer (&self->future, tc_dataset_free);

  /* A model trained on other columns cannot forecast this data. */
  clear_forecast (self);
  if (self->forecaster != NULL)
    {
      g_clear_pointer (&self->forecaster, tc_forecaster_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECASTER]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

typedef struct
{
  GFile           *file;
  TcImportOptions  opts;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->file);
  tc_import_options_clear (&data->opts);
  g_free (data);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcSession *self = g_task_get_source_object (task);
  ImportData *data = g_task_get_task_data (task);
  TcImportReport *report = NULL;
  GError *error = NULL;
  TcDataset *ds;

  ds = tc_import_file_finish (result, &report, &error);
  if (ds == NULL)
    {
      g_clear_pointer (&report, tc_import_report_free);
      g_task_return_error (task, error);
      return;
    }
  /* A newer import or a closed window cancelled this one: drop the
   * stale result rather than replace what the user sees now. */
  if (g_task_return_error_if_cancelled (task))
    {
      tc_dataset_free (ds);
      tc_import_report_free (report);
      return;
    }
  tc_session_set_dataset (self, data->file, &data->opts, ds, report);
  g_task_return_boolean (task, TRUE);
}

void
tc_session_import_async (TcSession             *self,
                         GFile                 *file,
                         const TcImportOptions *opts,
                         GCancellable          *cancellable,
                         TcImportProgressFunc   progress,
                         gpointer               progress_data,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  ImportData *data;

  g_return_if_fail (TC_IS_SESSION (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_session_import_async);
  data = g_new0 (ImportData, 1);
  data->file = g_object_ref (file);
  tc_import_options_init (&data->opts);
  copy_import_options (&data->opts, opts);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "Only local files can be imported");
      return;
    }
  tc_import_file_async (path, &data->opts, cancellable, progress, progress_data,
                        import_done_cb, g_steal_pointer (&task));
}

/**
 * tc_session_import:
 *
 * tc_session_import_async() in the calling thread, for the command line:
 * on success the dataset, report and options replace the current ones
 * and any model is dropped.
 */
gboolean
tc_session_import (TcSession             *self,
                   GFile                 *file,
                   const TcImportOptions *opts,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autofree char *path = NULL;
  TcImportReport *report = NULL;
  TcDataset *ds;

  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Only local files can be imported");
      return FALSE;
    }
  ds = tc_import_file (path, opts, &report, cancellable, error);
  if (ds == NULL)
    return FALSE;
  tc_session_set_dataset (self, file, opts, ds, report);
  return TRUE;
}

gboolean
tc_session_import_finish (TcSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const GError *
tc_session_get_news_error (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  if (self->report == NULL || self->import_options.news_path == NULL)
    return NULL;
  return self->report->news_error;
}


void
tc_session_forget_news (TcSession *self)
{
  TcImportOptions *o;

  g_return_if_fail (TC_IS_SESSION (self));
  o = &self->import_options;
  if (o->news_path == NULL)
    return;
  g_clear_pointer (&o->news_path, g_free);
  g_clear_pointer (&o->news_date_col, g_free);
  g_clear_pointer (&o->news_text_col, g_free);
  g_clear_pointer (&o->news_category_col, g_free);
  if (self->report != NULL)
    g_clear_error (&self->report->news_error);
  /* The data itself is the same (its news was not joined), but what a
   * project saves of it changed: the pages and the window hear of it
   * as of new data, and the model and the plan stay. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

gboolean
tc_session_attach_news (TcSession   *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr (TcDataset) joined = NULL;
  TcImportOptions opts;
  gboolean ok;

  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->dataset == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_EMPTY, _("There is no data to add the news to"));
      return FALSE;
    }
  if (self->report == NULL)
    self->report = tc_import_report_new (NULL);
  tc_import_options_init (&opts);
  tc_import_options_copy (&opts, &self->import_options);
  g_free (opts.news_path);
  opts.news_path = g_canonicalize_filename (path, NULL);
  /* A copy joined and swapped in: the data stays whole when the file
   * does not read, and a forecast running on the old one is dropped by
   * the serial, not disturbed. */
  joined = tc_dataset_copy (self->dataset);
  ok = tc_import_join_news (&opts, joined, self->report, error);
  if (ok)
    {
      tc_import_options_clear (&self->import_options);
      self->import_options = opts;
      g_clear_error (&self->report->news_error);
      tc_dataset_free (self->dataset);
      self->dataset = g_steal_pointer (&joined);
      /* Unlike an import, the model and the plan stay: they were made
       * for this data and this news. */
      clear_forecast (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
    }
  else
    tc_import_options_clear (&opts);
  return ok;
}

/* Said with the file and why, rather than the feature cube's general
 * refusal ("the data has no news file joined to it"). */
gboolean
tc_session_check_news (TcSession *self, GError **error)
{
  const GError *why;

  g_return_val_if_fail (TC_IS_SESSION (self), TRUE);
  why = tc_session_get_news_error (self);
  if (why == NULL || self->dataset == NULL || self->dataset->news != NULL || self->forecaster == NULL
      || !tc_forecaster_get_reads_news (self->forecaster))
    return TRUE;
  /* Translators: %1$s is the path of a market news file, %2$s why it could not be read. */
  g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
               _("The model reads the market news “%1$s”, which could not be read: %2$s"),
               self->import_options.news_path, why->message);
  return FALSE;
}

TcForecasterOptions *
tc_session_get_forecaster_options (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return &self->forecaster_options;
}

void
tc_session_forecaster_options_changed (TcSession *self)
{
  g_return_if_fail (TC_IS_SESSION (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECASTER_OPTIONS]);
}

TcForecaster *
tc_session_get_forecaster (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->forecaster;
}

void
tc_session_set_forecaster (TcSession    *self,
                           TcForecaster *forecaster)
{
  g_return_if_fail (TC_IS_SESSION (self));

  if (self->forecaster == forecaster)
    return;
  clear_forecast (self);
  g_clear_pointer (&self->forecaster, tc_forecaster_free);
  self->forecaster = forecaster;
  self->model_saved = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECASTER]);
}

/**
 * tc_session_get_model_saved:
 *
 * Returns: whether the model is also in a file (saved or opened from
 *   one), so that dropping it loses nothing; FALSE without a model
 */
gboolean
tc_session_get_model_saved (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  return self->forecaster != NULL && self->model_saved;
}

/**
 * tc_session_set_model_saved:
 *
 * Records that the current model was written to, or read from, a file.
 * Replacing the model clears it.
 */
void
tc_session_set_model_saved (TcSession *self)
{
  g_return_if_fail (TC_IS_SESSION (self));
  self->model_saved = self->forecaster != NULL;
}

/**
 * tc_session_predict:
 * @self: a session
 * @mode: where each series' forecast starts
 * @strict: how to treat a plan (tc_session_set_future) with gaps
 * @n_assumed_out: (out) (optional): plan cells the model's assumptions filled
 * @error: return location for a #GError
 *
 * The forecast of the session's data with its model and plan, computed
 * now (not cached), synchronously: the one place where the app and the
 * command line turn a plan into a forecast.
 *
 * Without a plan the model's stated assumptions stand in for it (no
 * promotions or discounts, last prices, holidays as last season).  With
 * a plan and @strict, the plan must give every known-covariate value of
 * the forecast dates, and the error names the first it lacks (the
 * command line: a file the user wrote must be complete).  Without
 * @strict the assumptions fill what the plan does not give (the app,
 * which shows how many cells were assumed): with per-series origins a
 * plan of the dates after the data's end rarely covers the series that
 * ended earlier.
 *
 * Returns: (transfer full) (nullable): the forecast, or %NULL with @error
 */
/* The forecast of @ds with @fc and the plan @future: the whole of
 * tc_session_predict, on arguments, so that a worker can run it on
 * copies. */
static TcForecast *
predict (TcForecaster     *fc,
         const TcDataset  *ds,
         const TcDataset  *future,
         TcOriginMode      mode,
         gboolean          strict,
         guint            *n_assumed_out,
         GError          **error)
{
  g_autoptr (TcDataset) plan = NULL;
  guint n_assumed = 0;

  if (n_assumed_out)
    *n_assumed_out = 0;
  if (future != NULL && strict)
    return tc_forecaster_predict_full (fc, ds, future, mode, error);
  plan = tc_future_plan_resolve_full (fc, ds, future, mode, &n_assumed);
  if (n_assumed_out)
    *n_assumed_out = future != NULL ? n_assumed : 0;
  return tc_forecaster_predict_full (fc, ds, plan, mode, error);
}

TcForecast *
tc_session_predict (TcSession     *self,
                    TcOriginMode   mode,
                    gboolean       strict,
                    guint         *n_assumed_out,
                    GError       **error)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);

  if (n_assumed_out)
    *n_assumed_out = 0;
  if (self->forecaster == NULL || self->dataset == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_FAILED, "No trained model yet");
      return NULL;
    }
  if (!tc_session_check_news (self, error))
    return NULL;
  return predict (self->forecaster, self->dataset, self->future, mode, strict, n_assumed_out, error);
}

/* A forecast in a worker thread: on copies of the model, the data and
 * the plan, so that the session may replace them meanwhile. */
typedef struct
{
  guint64       serial;      /* of the session when the job started */
  TcForecaster *fc;
  TcDataset    *ds;
  TcDataset    *future;      /* or NULL */
  TcForecast   *forecast;    /* the result */
  guint         n_assumed;
} ForecastJob;

static void
forecast_job_free (ForecastJob *job)
{
  TC_TSAN_ACQUIRE (job);
  tc_forecaster_free (job->fc);
  tc_dataset_free (job->ds);
  tc_dataset_free (job->future);
  tc_forecast_free (job->forecast);
  g_free (job);
}

static void
forecast_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ForecastJob *job = task_data;
  GError *error = NULL;
  TcForecast *forecast;

  TC_TSAN_ACQUIRE (job);
  forecast = predict (job->fc, job->ds, job->future, TC_ORIGIN_PER_SERIES, FALSE, &job->n_assumed, &error);
  job->forecast = forecast;
  /* Nothing of the job is read after this: the main thread takes it. */
  TC_TSAN_RELEASE (job);
  if (forecast == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
forecast_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  TcSession *self = TC_SESSION (source);
  ForecastJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  TC_TSAN_ACQUIRE (job);
  /* The data, the model or the plan changed while it ran: the result
   * belongs to inputs that are gone. */
  if (self->forecast == NULL && job->serial == self->serial)
    {
      self->forecast = g_steal_pointer (&job->forecast);
      self->n_assumed = job->n_assumed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST]);
    }
  if (self->forecast == NULL || job->serial != self->serial)
    g_task_return_new_error (task, TC_ERROR, TC_ERROR_CANCELLED,
                             "The data, the model or the plan changed during the forecast");
  else
    g_task_return_pointer (task, self->forecast, NULL);
}

/**
 * tc_session_forecast_async:
 * @self: a session with data and a model
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * tc_session_get_forecast () in a worker thread, on copies of the
 * model, the data and the plan: the main loop keeps running, and the
 * session may change meanwhile (then the result is dropped and
 * tc_session_forecast_finish () reports %TC_ERROR_CANCELLED).  On
 * success the forecast is cached and #TcSession:forecast notified,
 * before @callback runs.  With a cached forecast it completes at once.
 */
void
tc_session_forecast_async (TcSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *news_error = NULL;
  GTask *inner;
  ForecastJob *job;

  g_return_if_fail (TC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_session_forecast_async);
  if (self->forecast != NULL)
    {
      g_task_return_pointer (task, self->forecast, NULL);
      return;
    }
  if (self->forecaster == NULL || self->dataset == NULL)
    {
      g_task_return_new_error (task, TC_ERROR, TC_ERROR_FAILED, "No trained model yet");
      return;
    }
  if (!tc_session_check_news (self, &news_error))
    {
      g_task_return_error (task, news_error);
      return;
    }
  job = g_new0 (ForecastJob, 1);
  job->serial = self->serial;
  job->fc = tc_forecaster_dup (self->forecaster);
  job->ds = tc_dataset_copy (self->dataset);
  job->future = self->future ? tc_dataset_copy (self->future) : NULL;
  TC_TSAN_RELEASE (job);
  inner = g_task_new (self, cancellable, forecast_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (inner, job, (GDestroyNotify) forecast_job_free);
  g_task_run_in_thread (inner, forecast_thread);
  g_object_unref (inner);
}

/**
 * tc_session_forecast_finish:
 *
 * Returns: (transfer none): the session's forecast (valid until the
 *   data, the model or the plan change), or %NULL with @error
 */
const TcForecast *
tc_session_forecast_finish (TcSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const TcForecast *
tc_session_get_forecast (TcSession  *self,
                         GError    **error)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);

  if (self->forecast != NULL)
    return self->forecast;
  /* Every series is forecast after its own last value; the model's
   * assumptions fill what the plan does not give, which the Scenarios
   * page shows the user. */
  self->forecast = tc_session_predict (self, TC_ORIGIN_PER_SERIES, FALSE, &self->n_assumed, error);
  if (self->forecast != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST]);
  return self->forecast;
}

/**
 * tc_session_get_serial:
 *
 * Returns: a number that changes whenever the data, the model or the
 *   future plan changes: a worker that started with one value computed
 *   for inputs that are gone if it differs when it finishes
 */
guint64
tc_session_get_serial (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), 0);
  return self->serial;
}

/**
 * tc_session_get_levers:
 *
 * Returns: (transfer none) (nullable): the lever estimates of the current
 *   model and plan (tc_forecaster_levers ()), or NULL until a page has
 *   computed them
 */
TcLeverSet *
tc_session_get_levers (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->levers;
}

/**
 * tc_session_set_levers:
 * @serial: tc_session_get_serial () when the computation started
 *
 * Keeps @levers (adds a reference) for every page, unless the session
 * changed since @serial: then they belong to inputs that are gone.
 *
 * Returns: whether they were kept
 */
gboolean
tc_session_set_levers (TcSession  *self,
                       guint64     serial,
                       TcLeverSet *levers)
{
  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  if (serial != self->serial || levers == NULL)
    return FALSE;
  if (self->levers != levers)
    {
      g_clear_pointer (&self->levers, tc_lever_set_unref);
      self->levers = tc_lever_set_ref (levers);
    }
  return TRUE;
}

const TcForecast *
tc_session_peek_forecast (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->forecast;
}

guint
tc_session_get_n_assumed (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), 0);
  return self->forecast ? self->n_assumed : 0;
}

const TcDataset *
tc_session_get_future (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  return self->future;
}

void
tc_session_set_future (TcSession *self,
                       TcDataset *future)
{
  g_return_if_fail (TC_IS_SESSION (self));
  g_clear_pointer (&self->future, tc_dataset_free);
  self->future = future;
  clear_forecast (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FUTURE]);
}

/**
 * tc_session_read_future:
 * @self: a session with data
 * @path: a FUTURE file: the data's date and series columns and its known
 *   covariates for the planned dates
 * @n_rows_out: (out) (optional): the plan's data rows
 * @error: return location for a #GError
 *
 * Reads the plan against the session's data, its import report and
 * options (tc_future_plan_read) and makes it the session's future
 * (tc_session_set_future).  Synchronous: a plan has a row per series and
 * forecast date, small enough to read without a worker.
 */
gboolean
tc_session_read_future (TcSession   *self,
                        const char  *path,
                        guint       *n_rows_out,
                        GError     **error)
{
  TcDataset *plan;

  g_return_val_if_fail (TC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_rows_out)
    *n_rows_out = 0;
  if (self->dataset == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_FAILED, "Open the sales data first");
      return FALSE;
    }
  plan = tc_future_plan_read (path, self->dataset, self->report, &self->import_options, n_rows_out, error);
  if (plan == NULL)
    return FALSE;
  tc_session_set_future (self, plan);
  return TRUE;
}

TcScenarioBook *
tc_session_get_scenario_book (TcSession *self)
{
  g_return_val_if_fail (TC_IS_SESSION (self), NULL);
  if (self->scenario_book == NULL)
    self->scenario_book = tc_scenario_book_new ();
  return self->scenario_book;
}

void
tc_session_set_scenario_book (TcSession      *self,
                              TcScenarioBook *book)
{
  g_return_if_fail (TC_IS_SESSION (self));
  g_clear_pointer (&self->scenario_book, tc_scenario_book_free);
  self->scenario_book = book;
}
