/* tc-text-signal.h — what the reviews do to the forecast, period by period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text signal of a model that reads reviews (text_dim > 0) is
 * defined by what it does, not by what the embedding looks like: at the
 * end of every period p of the history the model forecasts the next H
 * periods of the chosen series from the data up to p twice, once with
 * the reviews it would have seen then and once with every review removed
 * (bag 0, tc-text-layer.h).  The effect is the ratio of the two sums of
 * the median forecast, minus one: "the reviews up to this week move the
 * forecast of the next 8 weeks by −12 %".  A window only reads the
 * reviews of its context (tc-features.h), so the effect of period p does
 * not depend on any review written after p.
 *
 * It is the network's forecast (the ensemble's median, as
 * tc_forecaster_predict builds it before the safety net): where the
 * safety net replaced the network by a baseline, the reviews do not
 * reach the forecast shown, and the effect says what the network makes
 * of them.
 */
#pragma once

#include <gio/gio.h>

#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef struct
{
  guint   first;         /* dataset index of the first period */
  guint   n_periods;     /* periods first .. first + n_periods - 1 */
  guint   horizon;       /* H: the forecast summed is periods p + 1 .. p + H */
  guint  *reviews;       /* (n_periods) reviews written in the period, summed over the series */
  double *with_text;     /* (n_periods) summed median forecast made at the end of the period */
  double *without_text;  /* (n_periods) the same forecast with every review removed */
  double *effect;        /* (n_periods) with_text / without_text - 1: 0 exactly when the reviews change
                          * nothing; NaN where no series had history yet or without_text is 0 */
} TcTextSignal;

/* The signal of series @members (n_members indices into @ds) for every
 * period from the first with a patch of history in one of them up to
 * @end (exclusive; clamped to the members' last target, G_MAXUINT = all).
 * Every window runs through the model twice, in batches.  @fc is used,
 * not changed, but its models hold the activations of a forward pass:
 * no other thread may predict with it meanwhile (the app passes a copy).
 * NULL with an error when the model does not read text (text_dim 0), the
 * members have no targets, or on cancellation (G_IO_ERROR_CANCELLED). */
TcTextSignal *tc_text_signal_new  (TcForecaster    *fc,
                                   const TcDataset *ds,
                                   const guint     *members,
                                   guint            n_members,
                                   guint            end,
                                   GCancellable    *cancellable,
                                   GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void          tc_text_signal_free (TcTextSignal    *signal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcTextSignal, tc_text_signal_free)

G_END_DECLS
