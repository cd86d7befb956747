/* tc-scenario-page-worker.c — the Scenarios page: the scenario in a worker thread on a private copy of the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-chart-view.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

/* -- the worker's inputs ----------------------------------------------- */

/* A private model and data copy, shared by reference with the jobs. */

static void
engine_clear (gpointer p)
{
  Engine *e = p;

  /* The last reference may be dropped in the worker or the page. */
  TC_TSAN_ACQUIRE (e);
  g_clear_pointer (&e->fc, tc_forecaster_free);
  g_clear_pointer (&e->ds, tc_dataset_free);
  g_clear_pointer (&e->base, tc_scenario_result_free);
  g_clear_pointer (&e->base_plan, tc_dataset_free);
}

void
tc_scenario_page_engine_unref (Engine *e)
{
  TC_TSAN_RELEASE (e);
  g_atomic_rc_box_release_full (e, engine_clear);
}

static void
job_free (Job *job)
{
  /* The task data: freed by whichever thread drops the task last. */
  TC_TSAN_ACQUIRE (job);
  for (guint i = 0; i < job->n_edits; i++)
    g_free (job->edits[i].covariate);
  g_free (job->edits);
  g_clear_pointer (&job->future, tc_dataset_free);
  g_clear_pointer (&job->marks, g_array_unref);
  g_clear_pointer (&job->engine, tc_scenario_page_engine_unref);
  g_clear_pointer (&job->levers, tc_lever_set_unref);
  g_free (job->price_alone);
  g_free (job);
}

void
tc_scenario_page_array_unref0 (gpointer p)
{
  if (p)
    g_array_unref (p);
}

static void
mark_clear (gpointer p)
{
  g_free (((Mark *) p)->label);
}

/* -- the worker ------------------------------------------------------------ */

/* The same plan: the same series, dates and values (NaN where NaN).
 * Plans are resolved afresh for every job, so equal plans are equal
 * bit for bit. */
static gboolean
same_plan (const TcDataset *a, const TcDataset *b)
{
  gsize cells;

  if (a == NULL || b == NULL || a->n_series != b->n_series || a->n_times != b->n_times
      || a->n_known != b->n_known)
    return FALSE;
  cells = (gsize) a->n_series * a->n_times;
  if (memcmp (a->times, b->times, sizeof (gint64) * a->n_times) != 0
      || memcmp (a->known, b->known, sizeof (double) * cells * a->n_known) != 0)
    return FALSE;
  for (guint s = 0; s < a->n_series; s++)
    if (g_strcmp0 (a->series_ids[s], b->series_ids[s]) != 0)
      return FALSE;
  for (guint k = 0; k < a->n_known; k++)
    if (g_strcmp0 (a->known_names[k], b->known_names[k]) != 0)
      return FALSE;
  return TRUE;
}

static void
scenario_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  TcScenarioResult *r;

  /* GTask hands the job over through GLib's queues (see tc-tsan.h). */
  TC_TSAN_ACQUIRE (job);
  TC_TSAN_ACQUIRE (job->engine);
  if (same_plan (job->engine->base_plan, job->future))
    r = tc_forecaster_scenario_update (job->engine->fc, job->engine->ds, job->future, TC_ORIGIN_PER_SERIES,
                                       job->edits, job->n_edits, job->engine->base, &error);
  else
    {
      r = tc_forecaster_scenario_full (job->engine->fc, job->engine->ds, job->future, TC_ORIGIN_PER_SERIES,
                                       job->edits, job->n_edits, &error);
      g_clear_pointer (&job->engine->base, tc_scenario_result_free);
      g_clear_pointer (&job->engine->base_plan, tc_dataset_free);
      /* The baseline for the next change of the same plan: the result
       * without edits, from this one (no forecast runs). */
      if (r)
        job->engine->base = tc_forecaster_scenario_update (job->engine->fc, job->engine->ds, job->future,
                                                           TC_ORIGIN_PER_SERIES, NULL, 0, r, NULL);
      if (job->engine->base)
        job->engine->base_plan = tc_dataset_copy (job->future);
    }
  TC_TSAN_RELEASE (job->engine);
  /* Said for a price row (a discount row changes the price as the
   * history did) or a discount the model does not read. */
  if (r)
    {
      TcLeverColumns cols;

      tc_lever_columns (job->engine->fc, job->engine->ds, &cols);
      job->price_alone = tc_lever_price_alone_warning (&cols, job->engine->ds, job->edits, job->n_edits);
    }
  /* Without them the result still stands: they are a comparison. */
  if (r && job->want_levers)
    {
      g_autoptr (GError) lerr = NULL;

      job->levers = tc_forecaster_levers (job->engine->fc, job->engine->ds, job->future, cancellable, &lerr);
      if (lerr && !g_error_matches (lerr, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not estimate the levers: %s", lerr->message);
    }
  TC_TSAN_RELEASE (job);
  if (r == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, r, (GDestroyNotify) tc_scenario_result_free);
}

static void
set_running (TcScenarioPage *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  gtk_spinner_set_spinning (self->spinner, running);
  tc_scenario_page_notify_busy (self);
}

static void
show_error (TcScenarioPage *self, const char *message)
{
  gtk_label_set_text (self->headline_label, _("The scenario could not be computed"));
  gtk_label_set_text (self->detail_label, message);
  gtk_widget_set_visible (self->news_data_button,
                          self->session != NULL && !tc_session_check_news (self->session, NULL));
  /* No empty chart and table under the refusal. */
  gtk_widget_set_visible (GTK_WIDGET (self->chart_view), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->table_group), FALSE);
}

static void
scenario_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr (TcScenarioPage) self = user_data;   /* see the g_task_new () */
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  TcScenarioResult *r;

  TC_TSAN_ACQUIRE (job);
  r = g_task_propagate_pointer (G_TASK (res), &error);

  /* "busy" is notified at the end, once the result is in place. */
  self->running = FALSE;
  g_debug ("scenario with %u edits: %.1f ms%s", job->n_edits,
           (g_get_monotonic_time () - job->started) / 1000.0,
           job->generation == self->generation ? "" : " (stale, dropped)");
  if (self->session == NULL)
    {
      TC_TSAN_RELEASE (job);
      g_clear_pointer (&r, tc_scenario_result_free);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      tc_scenario_page_notify_busy (self);
      return;
    }
  /* Cancelled: the session's data or model changed under the job. */
  if (r == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (job->generation == self->generation)
    {
      g_clear_pointer (&self->result, tc_scenario_result_free);
      g_clear_pointer (&self->result_marks, g_array_unref);
      g_clear_pointer (&self->result_plan, tc_dataset_free);
      if (r)
        {
          self->result = g_steal_pointer (&r);
          self->result_marks = g_array_ref (job->marks);
          self->result_plan = g_steal_pointer (&job->future);
          self->result_kinds = job->kinds;
          if (job->levers)
            tc_session_set_levers (self->session, job->session_serial, job->levers);
          g_clear_pointer (&self->levers, tc_lever_set_unref);
          if (tc_session_get_levers (self->session))
            self->levers = tc_lever_set_ref (tc_session_get_levers (self->session));
          else if (job->levers && job->session_serial == tc_session_get_serial (self->session))
            self->levers = tc_lever_set_ref (job->levers);
          self->dirty = FALSE;
          gtk_label_set_text (self->caution_label, job->price_alone ? job->price_alone : "");
          gtk_widget_set_visible (GTK_WIDGET (self->caution_label), job->price_alone != NULL);
          tc_scenario_page_show_result (self);
        }
      else
        show_error (self, error->message);
    }
  /* The last look at the job here: the worker may free it next. */
  TC_TSAN_RELEASE (job);
  g_clear_pointer (&r, tc_scenario_result_free);
  if (self->pending)
    {
      self->pending = FALSE;
      tc_scenario_page_start_job (self);
    }
  if (!self->running)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      tc_scenario_page_notify_busy (self);
    }
}

gboolean
tc_scenario_page_ensure_engine (TcScenarioPage *self, GError **error)
{
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcDataset *ds = tc_session_get_dataset (self->session);
  gint64 t0 = g_get_monotonic_time ();

  if (self->engine)
    return TRUE;
  self->engine = g_atomic_rc_box_new0 (Engine);
  self->engine->fc = tc_forecaster_dup (fc);
  self->engine->ds = tc_dataset_copy (ds);
  g_debug ("private model and data copy: %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

void
tc_scenario_page_start_job (TcScenarioPage *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) scope = NULL;
  TcLeverColumns cols;
  GArray *edits;
  Job *job;

  if (self->session == NULL || tc_session_get_forecaster (self->session) == NULL
      || tc_session_get_dataset (self->session) == NULL)
    return;
  if (!tc_session_check_news (self->session, &error) || !tc_scenario_page_ensure_engine (self, &error))
    {
      show_error (self, error->message);
      return;
    }

  scope = tc_scenario_page_scope_indices (self);
  g_clear_pointer (&self->result_scope, g_array_unref);
  self->result_scope = g_array_ref (scope);

  job = g_new0 (Job, 1);
  job->engine = g_atomic_rc_box_acquire (self->engine);
  job->future = tc_future_plan_resolve_full (self->engine->fc, self->engine->ds,
                                             tc_session_get_future (self->session), TC_ORIGIN_PER_SERIES, NULL);
  job->generation = self->generation;
  job->started = g_get_monotonic_time ();
  job->session_serial = tc_session_get_serial (self->session);
  tc_lever_columns (self->engine->fc, self->engine->ds, &cols);
  job->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_array_set_clear_func (job->marks, mark_clear);
  edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));

  for (guint i = 0; i < self->rows->len; i++)
    {
      EditRow *er = g_ptr_array_index (self->rows, i);
      guint a = gtk_drop_down_get_selected (er->from_dd), b = gtk_drop_down_get_selected (er->to_dd);
      double v = er->spin ? gtk_spin_button_get_value (er->spin) : 1;
      TcScenarioEdit e = { 0 };
      Mark m;

      if (a >= self->n_horizon || b >= self->n_horizon)
        continue;
      e.from = self->horizon_times[MIN (a, b)];
      e.to = self->horizon_times[MAX (a, b)];
      switch (er->kind)
        {
        case TC_SCENARIO_EDIT_PROMOTION:
          m.label = g_strdup (_("Promotion"));
          break;
        case TC_SCENARIO_EDIT_DISCOUNT:
          m.label = g_strdup_printf (_("%g %% off"), v);
          break;
        case TC_SCENARIO_EDIT_PRICE:
          m.label = g_strdup_printf (_("Price × %g"), v);
          break;
        case TC_SCENARIO_EDIT_COMPETITOR:
          m.label = g_strdup_printf (_("Competitor × %g"), v);
          break;
        case TC_SCENARIO_EDIT_SET:
        default:
          m.label = g_strdup_printf ("%s = %g", gtk_string_list_get_string (self->known_model, gtk_drop_down_get_selected (er->cov_dd)), v);
          break;
        }
      m.from = e.from;
      m.to = e.to;
      g_array_append_val (job->marks, m);
      job->kinds |= 1u << er->kind;

      /* One core edit per series in scope, or one for all of them. */
      for (guint j = 0; j < (scope->len == self->engine->ds->n_series ? 1 : scope->len); j++)
        {
          e.series = scope->len == self->engine->ds->n_series ? -1 : (int) g_array_index (scope, guint, j);
          /* The lever kinds are built by the core, exactly as the
           * lever estimates of the Evaluation page are (tc-lever.h). */
          switch (er->kind)
            {
            case TC_SCENARIO_EDIT_PROMOTION:
              tc_lever_append_edits (&cols, TC_LEVER_PROMOTION, NULL, 1.0, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_DISCOUNT:
              tc_lever_append_edits (&cols, TC_LEVER_DISCOUNT, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_PRICE:
              tc_lever_append_edits (&cols, TC_LEVER_PRICE, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_COMPETITOR:
              tc_lever_append_edits (&cols, TC_LEVER_COMPETITOR, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_SET:
            default:
              tc_lever_append_edits (&cols, TC_LEVER_FLAG,
                                     gtk_string_list_get_string (self->known_model,
                                                                 gtk_drop_down_get_selected (er->cov_dd)),
                                     v, e.from, e.to, e.series, edits);
              break;
            }
        }
    }
  job->n_edits = edits->len;
  job->edits = (TcScenarioEdit *) g_array_free (edits, FALSE);
  /* Only a scenario with changes shows the levers next to it. */
  job->want_levers = job->n_edits > 0 && tc_session_get_levers (self->session) == NULL;

  /* The page is the callback's data, not the task's source object:
   * the worker thread may drop the task last, and the page with it,
   * which must not be finalized outside the main thread. */
  task = g_task_new (NULL, self->cancellable, scenario_done, g_object_ref (self));
  g_task_set_source_tag (task, tc_scenario_page_start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_running (self, TRUE);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, scenario_thread);
}
