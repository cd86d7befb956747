/* tc-training-page.h — the Training page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"
#include "tc-trainer.h"
#include "tc-loss-chart.h"

G_BEGIN_DECLS

#define TC_TYPE_TRAINING_PAGE (tc_training_page_get_type ())

G_DECLARE_FINAL_TYPE (TcTrainingPage, tc_training_page, TC, TRAINING_PAGE, AdwBin)

TcSession   *tc_training_page_get_session (TcTrainingPage *self);
void         tc_training_page_set_session (TcTrainingPage *self,
                                           TcSession      *session);

/* Starts training the session's data with the session's options; a
 * failure is shown on the page (and returned). */
gboolean     tc_training_page_start       (TcTrainingPage *self);
/* TRUE while a worker runs (also when paused or stopping). */
gboolean     tc_training_page_is_busy     (TcTrainingPage *self);
/* Cancels and waits for the worker; the run's result is dropped. */
void         tc_training_page_stop        (TcTrainingPage *self);

/* What Save Model… and Open Model… do with the chosen file; problems
 * (a file that cannot be read, a model whose columns the data lacks)
 * are shown on the page and FALSE is returned. */
gboolean     tc_training_page_save_model  (TcTrainingPage *self,
                                           GFile          *file);
gboolean     tc_training_page_open_model  (TcTrainingPage *self,
                                           GFile          *file);

TcTrainer   *tc_training_page_get_trainer    (TcTrainingPage *self);
TcLossChart *tc_training_page_get_loss_chart (TcTrainingPage *self);
/* Number of lines in the event log; for tests. */
guint        tc_training_page_get_n_events   (TcTrainingPage *self);
const char  *tc_training_page_get_eta_text   (TcTrainingPage *self);
/* "12 seconds so far" while training, "Took 19 seconds in all" after. */
const char  *tc_training_page_get_elapsed_text (TcTrainingPage *self);
const char  *tc_training_page_get_result_title (TcTrainingPage *self);

G_END_DECLS
