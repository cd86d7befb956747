/* tc-backtest-transformer.h — the Transformer forecaster as a backtest model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The adapter trains a TcForecaster on the train view of a fold (every
 * target and observed value at or after the cutoff is NaN there, so the
 * model never sees the window it is scored on) and forecasts all series
 * of the fold in one batched call, cached for the per-series callback.
 *
 * Retrain per fold: a new model for every fold's view.
 * Reuse: one model trained on fold 0's view (the earliest cutoff); later
 * folds only feed it their own view, so the inputs never reach past
 * the fold's cutoff either.
 */
#pragma once

#include "tc-backtest.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef struct _TcBacktestTransformer TcBacktestTransformer;

/* @opts are copied (e.g. a trained model's options); the horizon becomes
 * @h, and when that changes it, patch and context are chosen again. */
TcBacktestTransformer *tc_backtest_transformer_new   (const TcForecasterOptions *opts,
                                                      guint                      h) G_GNUC_WARN_UNUSED_RESULT;
void           tc_backtest_transformer_free          (TcBacktestTransformer *bt);
/* Progress of every training run, from the thread that runs the backtest. */
void           tc_backtest_transformer_set_train_progress (TcBacktestTransformer *bt,
                                                           TcTrainProgressFunc    func,
                                                           gpointer               user_data);
/* Fills @model: name "transformer", fit and forecast pointing at @bt. */
void           tc_backtest_model_for_transformer     (TcBacktestTransformer *bt,
                                                      gboolean               retrain,
                                                      TcBacktestModel       *model);
/* How many models were trained so far, and the latest one (owned by @bt). */
guint          tc_backtest_transformer_get_n_fits    (TcBacktestTransformer *bt);
TcForecaster  *tc_backtest_transformer_get_forecaster (TcBacktestTransformer *bt);
/* Options of the latest fit, resolved for its view (NULL before). */
const TcForecasterOptions *tc_backtest_transformer_get_options (TcBacktestTransformer *bt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcBacktestTransformer, tc_backtest_transformer_free)

G_END_DECLS
