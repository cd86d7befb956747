/* tc-trainer.h — trains a forecaster in a worker thread for the GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker runs the same tc_forecaster_train as the CLI on its own
 * copies of the dataset and the options.  Progress reaches the main
 * loop through one throttled low-priority source (at most about 20
 * updates a second, never more than one pending), so a fast training
 * loop cannot flood the UI.  Every epoch-end point is kept for the
 * curves.  Pause blocks the worker between steps; cancel stops it at
 * the next step and still delivers the best model of the finished
 * epochs; abort cancels, joins and drops the result.
 */
#pragma once

#include <glib-object.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef enum
{
  TC_TRAINER_IDLE = 0,
  TC_TRAINER_RUNNING,
  TC_TRAINER_PAUSED,
  TC_TRAINER_STOPPING,   /* cancelled, waiting for the worker's last step */
} TcTrainerState;

/* One finished epoch. */
typedef struct
{
  guint  epoch;
  double train_loss;   /* mean over the epoch */
  double val_loss;     /* NaN when validation could not run */
  double lr;           /* at the epoch's last step */
} TcTrainerPoint;

#define TC_TYPE_TRAINER (tc_trainer_get_type ())
G_DECLARE_FINAL_TYPE (TcTrainer, tc_trainer, TC, TRAINER, GObject)

TcTrainer      *tc_trainer_new            (void) G_GNUC_WARN_UNUSED_RESULT;

/* Copies @ds and @opts and starts the worker; fails when one is running.
 * Signals (all in the thread that called start, through its main context):
 *   "progress"  ()                        the latest step, see get_progress
 *   "epoch-end" (guint index)             a new point in get_history
 *   "event"     (const char *text, gint64 real_time_us)
 *   "finished"  ()                        take the model with take_result */
gboolean        tc_trainer_start          (TcTrainer                 *self,
                                           const TcDataset           *ds,
                                           const TcForecasterOptions *opts,
                                           GError                   **error);
void            tc_trainer_pause          (TcTrainer                 *self);
void            tc_trainer_resume         (TcTrainer                 *self);
/* Asks the worker to stop; "finished" follows with the best model so far
 * (or G_IO_ERROR_CANCELLED when no epoch finished). */
void            tc_trainer_cancel         (TcTrainer                 *self);
/* Cancels, waits for the worker and drops its result: no signal follows. */
void            tc_trainer_abort          (TcTrainer                 *self);

TcTrainerState  tc_trainer_get_state      (TcTrainer                 *self);
gboolean        tc_trainer_is_busy        (TcTrainer                 *self);
/* The latest progress the UI has seen (event is always NULL); NULL before the first. */
const TcTrainProgress *tc_trainer_get_progress (TcTrainer            *self);
/* Epoch-end points of the current or last run: GArray of TcTrainerPoint. */
GArray         *tc_trainer_get_history    (TcTrainer                 *self);
/* The options the run resolved to (valid after start). */
const TcForecasterOptions *tc_trainer_get_options (TcTrainer         *self);
/* Whether the worker is waiting in a pause: tc_trainer_pause takes
 * effect between steps, and from then on progress cannot change until
 * tc_trainer_resume; for tests. */
gboolean        tc_trainer_is_held        (TcTrainer                 *self);
/* The next run waits after @epoch (1-based) as if paused then; for tests. */
void            tc_trainer_set_hold_after_epoch (TcTrainer           *self,
                                                 guint                epoch);
/* How many times progress reached the main loop; for tests. */
guint           tc_trainer_get_n_dispatches (TcTrainer               *self);

/* After "finished": the model (transfer full) or NULL with @error. */
TcForecaster   *tc_trainer_take_result    (TcTrainer                 *self,
                                           GError                   **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
