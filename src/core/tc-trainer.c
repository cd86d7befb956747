/* tc-trainer.c — trains a forecaster in a worker thread for the GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-trainer"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "tc-trainer.h"
#include "tc-tsan.h"

/* At most one UI update per this many microseconds (20 a second). */
#define DISPATCH_INTERVAL_US 50000

typedef struct
{
  char   *text;
  gint64  real_time;
} Event;

/* What the worker owns: its own copies, so the session may replace its
 * dataset at any time. */
typedef struct
{
  TcDataset           *ds;
  TcForecasterOptions  opts;
  GCancellable        *cancellable;
  TcForecaster        *result;
  GError              *error;
} Job;

struct _TcTrainer
{
  GObject          parent_instance;

  /* Main-thread side. */
  TcTrainerState   state;
  GThread         *thread;
  Job             *job;
  GMainContext    *context;
  TcTrainProgress  progress;
  gboolean         have_progress;
  GArray          *history;         /* TcTrainerPoint */
  TcForecasterOptions resolved;
  TcForecaster    *result;
  GError          *error;
  guint            generation;
  guint            n_dispatches;

  /* Shared with the worker, under @lock. */
  GMutex           lock;
  GCond            cond;
  gboolean         paused;
  gboolean         held;            /* the worker waits in a pause */
  guint            hold_after_epoch; /* 0 = never; see tc_trainer_set_hold_after_epoch */
  gboolean         stop;
  gboolean         done;
  GSource         *dispatch;        /* the one pending UI update, or NULL */
  gint64           last_dispatch;   /* monotonic, us */
  TcTrainProgress  latest;
  gboolean         have_latest;
  guint            last_point_epoch;
  GArray          *pending_points;  /* TcTrainerPoint */
  GArray          *pending_events;  /* Event */
};

G_DEFINE_FINAL_TYPE (TcTrainer, tc_trainer, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_EPOCH_END,
  SIGNAL_EVENT,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
event_clear (gpointer data)
{
  Event *e = data;

  g_free (e->text);
}

static void
job_free (Job *job)
{
  if (job == NULL)
    return;
  g_clear_pointer (&job->ds, tc_dataset_free);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->result, tc_forecaster_free);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean dispatch_cb (gpointer user_data);

/* Called with @lock held, from either thread. */
static void
schedule_dispatch_locked (TcTrainer *self)
{
  gint64 since;

  if (self->dispatch != NULL)
    return;
  since = g_get_monotonic_time () - self->last_dispatch;
  if (since >= DISPATCH_INTERVAL_US)
    self->dispatch = g_idle_source_new ();
  else
    self->dispatch = g_timeout_source_new ((guint) ((DISPATCH_INTERVAL_US - since) / 1000 + 1));
  /* Below redraws and input: a busy worker never starves the UI. */
  g_source_set_priority (self->dispatch, G_PRIORITY_LOW);
  g_source_set_callback (self->dispatch, dispatch_cb, self, NULL);
  g_source_set_static_name (self->dispatch, "[trendcast] training progress");
  g_source_attach (self->dispatch, self->context);
}

/* Worker thread: runs after every step and at every epoch end. */
static void
progress_cb (const TcTrainProgress *p,
             gpointer               user_data)
{
  TcTrainer *self = user_data;

  tc_mutex_lock (&self->lock);
  self->latest = *p;
  self->latest.event = NULL;
  self->have_latest = TRUE;
  /* Reports after an epoch's validation repeat epoch_end until the next
   * step; the epoch number keeps each epoch to one point. */
  if (p->epoch_end && p->epoch > self->last_point_epoch)
    {
      TcTrainerPoint pt = { p->epoch, p->epoch_train_loss, p->val_loss, p->lr };

      g_array_append_val (self->pending_points, pt);
      self->last_point_epoch = p->epoch;
    }
  if (p->event != NULL)
    {
      Event e = { g_strdup (p->event), g_get_real_time () };

      g_array_append_val (self->pending_events, e);
    }
  schedule_dispatch_locked (self);
  if (p->epoch_end && self->hold_after_epoch != 0 && p->epoch >= self->hold_after_epoch)
    {
      self->paused = TRUE;
      self->hold_after_epoch = 0;
    }
  /* Pause between steps: the model is consistent here. */
  while (self->paused && !self->stop)
    {
      self->held = TRUE;
      tc_cond_wait (&self->cond, &self->lock);
    }
  self->held = FALSE;
  tc_mutex_unlock (&self->lock);
}

static gpointer
worker (gpointer user_data)
{
  TcTrainer *self = user_data;
  Job *job = self->job;
  TcForecaster *fc;

#ifdef __linux__
  /* Training is background work: on a machine with few cores the UI and
   * the display server must win every contest for a core.  Linux nice
   * values are per thread, and the model's worker threads, created
   * below, inherit this one. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower the training thread's priority: %s", g_strerror (errno));
#endif
  fc = tc_forecaster_train (job->ds, &job->opts, progress_cb, self, job->cancellable, &job->error);
  tc_mutex_lock (&self->lock);
  job->result = fc;
  self->done = TRUE;
  schedule_dispatch_locked (self);
  tc_mutex_unlock (&self->lock);

  return NULL;
}

/* Main thread: the one place progress reaches the UI. */
static gboolean
dispatch_cb (gpointer user_data)
{
  TcTrainer *self = user_data;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) events = NULL;
  gboolean have, done;
  guint generation = self->generation;

  tc_mutex_lock (&self->lock);
  g_clear_pointer (&self->dispatch, g_source_unref);
  self->last_dispatch = g_get_monotonic_time ();
  have = self->have_latest;
  if (have)
    self->progress = self->latest;
  self->have_latest = FALSE;
  points = self->pending_points;
  self->pending_points = g_array_new (FALSE, FALSE, sizeof (TcTrainerPoint));
  events = self->pending_events;
  self->pending_events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (self->pending_events, event_clear);
  done = self->done;
  tc_mutex_unlock (&self->lock);

  self->n_dispatches++;
  g_object_ref (self);
  if (have)
    self->have_progress = TRUE;
  for (guint i = 0; i < points->len && generation == self->generation; i++)
    {
      g_array_append_val (self->history, g_array_index (points, TcTrainerPoint, i));
      g_signal_emit (self, signals[SIGNAL_EPOCH_END], 0, self->history->len - 1);
    }
  for (guint i = 0; i < events->len && generation == self->generation; i++)
    {
      Event *e = &g_array_index (events, Event, i);

      g_signal_emit (self, signals[SIGNAL_EVENT], 0, e->text, e->real_time);
    }
  if (have && generation == self->generation)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);

  /* A handler may have aborted this run (and started another). */
  if (done && generation == self->generation && self->thread != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      tc_mutex_lock (&self->lock);
      self->done = FALSE;
      tc_mutex_unlock (&self->lock);
      g_clear_pointer (&self->result, tc_forecaster_free);
      g_clear_error (&self->error);
      self->result = g_steal_pointer (&self->job->result);
      self->error = g_steal_pointer (&self->job->error);
      g_clear_pointer (&self->job, job_free);
      self->state = TC_TRAINER_IDLE;
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
    }
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

void
tc_trainer_abort (TcTrainer *self)
{
  g_return_if_fail (TC_IS_TRAINER (self));

  self->generation++;
  if (self->thread == NULL)
    return;
  g_cancellable_cancel (self->job->cancellable);
  tc_mutex_lock (&self->lock);
  self->stop = TRUE;
  self->paused = FALSE;
  g_cond_broadcast (&self->cond);
  tc_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));

  /* The worker is gone: nothing can schedule another update. */
  tc_mutex_lock (&self->lock);
  if (self->dispatch != NULL)
    {
      g_source_destroy (self->dispatch);
      g_clear_pointer (&self->dispatch, g_source_unref);
    }
  g_array_set_size (self->pending_points, 0);
  g_array_set_size (self->pending_events, 0);
  self->have_latest = FALSE;
  self->done = FALSE;
  tc_mutex_unlock (&self->lock);
  g_clear_pointer (&self->job, job_free);
  self->state = TC_TRAINER_IDLE;
}

static void
tc_trainer_dispose (GObject *object)
{
  TcTrainer *self = TC_TRAINER (object);

  /* No thread may outlive the object it reports to. */
  tc_trainer_abort (self);

  G_OBJECT_CLASS (tc_trainer_parent_class)->dispose (object);
}

static void
tc_trainer_finalize (GObject *object)
{
  TcTrainer *self = TC_TRAINER (object);

  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->pending_points, g_array_unref);
  g_clear_pointer (&self->pending_events, g_array_unref);
  g_clear_pointer (&self->result, tc_forecaster_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (tc_trainer_parent_class)->finalize (object);
}

static void
tc_trainer_class_init (TcTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_trainer_dispose;
  object_class->finalize = tc_trainer_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EPOCH_END] =
    g_signal_new ("epoch-end", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tc_trainer_init (TcTrainer *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->history = g_array_new (FALSE, FALSE, sizeof (TcTrainerPoint));
  self->pending_points = g_array_new (FALSE, FALSE, sizeof (TcTrainerPoint));
  self->pending_events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (self->pending_events, event_clear);
  tc_forecaster_options_init (&self->resolved);
}

TcTrainer *
tc_trainer_new (void)
{
  return g_object_new (TC_TYPE_TRAINER, NULL);
}

gboolean
tc_trainer_start (TcTrainer                 *self,
                  const TcDataset           *ds,
                  const TcForecasterOptions *opts,
                  GError                   **error)
{
  Job *job;

  g_return_val_if_fail (TC_IS_TRAINER (self), FALSE);
  g_return_val_if_fail (ds != NULL && opts != NULL, FALSE);

  if (self->thread != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "A model is already training");
      return FALSE;
    }
  /* Resolve here so that impossible options fail at once, in the UI's
   * words, rather than from the worker a moment later. */
  self->resolved = *opts;
  if (!tc_forecaster_options_resolve (&self->resolved, ds, error))
    return FALSE;

  job = g_new0 (Job, 1);
  job->ds = tc_dataset_copy (ds);
  job->opts = *opts;
  job->cancellable = g_cancellable_new ();

  self->generation++;
  g_array_set_size (self->history, 0);
  memset (&self->progress, 0, sizeof self->progress);
  self->have_progress = FALSE;
  self->n_dispatches = 0;
  g_clear_pointer (&self->result, tc_forecaster_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->stop = FALSE;
  self->paused = FALSE;
  self->done = FALSE;
  self->last_point_epoch = 0;
  self->last_dispatch = 0;
  self->job = job;
  self->thread = g_thread_try_new ("tc-trainer", worker, self, error);
  if (self->thread == NULL)
    {
      g_clear_pointer (&self->job, job_free);
      return FALSE;
    }
  self->state = TC_TRAINER_RUNNING;

  return TRUE;
}

void
tc_trainer_pause (TcTrainer *self)
{
  g_return_if_fail (TC_IS_TRAINER (self));

  if (self->state != TC_TRAINER_RUNNING)
    return;
  tc_mutex_lock (&self->lock);
  self->paused = TRUE;
  tc_mutex_unlock (&self->lock);
  self->state = TC_TRAINER_PAUSED;
}

void
tc_trainer_resume (TcTrainer *self)
{
  g_return_if_fail (TC_IS_TRAINER (self));

  if (self->state != TC_TRAINER_PAUSED)
    return;
  tc_mutex_lock (&self->lock);
  self->paused = FALSE;
  g_cond_broadcast (&self->cond);
  tc_mutex_unlock (&self->lock);
  self->state = TC_TRAINER_RUNNING;
}

void
tc_trainer_cancel (TcTrainer *self)
{
  g_return_if_fail (TC_IS_TRAINER (self));

  if (self->thread == NULL || self->state == TC_TRAINER_STOPPING)
    return;
  /* Cancelled before a paused worker is woken: woken first, it could
   * look at the cancellable too early and train one more epoch. */
  g_cancellable_cancel (self->job->cancellable);
  tc_mutex_lock (&self->lock);
  self->stop = TRUE;
  self->paused = FALSE;
  g_cond_broadcast (&self->cond);
  tc_mutex_unlock (&self->lock);
  self->state = TC_TRAINER_STOPPING;
}

TcTrainerState
tc_trainer_get_state (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), TC_TRAINER_IDLE);
  return self->state;
}

gboolean
tc_trainer_is_busy (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), FALSE);
  return self->thread != NULL;
}

const TcTrainProgress *
tc_trainer_get_progress (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), NULL);
  return self->have_progress ? &self->progress : NULL;
}

GArray *
tc_trainer_get_history (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), NULL);
  return self->history;
}

const TcForecasterOptions *
tc_trainer_get_options (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), NULL);
  return &self->resolved;
}

gboolean
tc_trainer_is_held (TcTrainer *self)
{
  gboolean held;

  g_return_val_if_fail (TC_IS_TRAINER (self), FALSE);

  tc_mutex_lock (&self->lock);
  held = self->held;
  tc_mutex_unlock (&self->lock);
  return held;
}

guint
tc_trainer_get_n_dispatches (TcTrainer *self)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), 0);
  return self->n_dispatches;
}

/**
 * tc_trainer_set_hold_after_epoch:
 * @epoch: 1-based; 0 = never
 *
 * Makes the worker wait after epoch @epoch's validation, as if Pause had
 * been pressed at that moment, until resume or cancel.  A person cannot
 * press Pause at an exact epoch on a fast machine; tests need to.
 */
void
tc_trainer_set_hold_after_epoch (TcTrainer *self,
                                 guint      epoch)
{
  g_return_if_fail (TC_IS_TRAINER (self));
  tc_mutex_lock (&self->lock);
  self->hold_after_epoch = epoch;
  tc_mutex_unlock (&self->lock);
}

TcForecaster *
tc_trainer_take_result (TcTrainer  *self,
                        GError    **error)
{
  g_return_val_if_fail (TC_IS_TRAINER (self), NULL);

  if (self->result != NULL)
    return g_steal_pointer (&self->result);
  if (self->error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->error));
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No training has finished");
  return NULL;
}
