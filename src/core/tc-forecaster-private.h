/* tc-forecaster-private.h — what tc-forecaster.c shares with tc-scenario.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-features.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

struct _TcForecaster
{
  TcForecasterOptions opts;
  TcTrainSummary      summary;
  TcFeatureSchema    *schema;
  TcModel            *model;
  TcModel           **extra;    /* (n_extra) more ensemble members, or NULL */
  guint               n_extra;
};

/* tc_forecaster_predict with scenario edits; @price_out (may be NULL)
 * receives the raw values (n_series, horizon) of the first price
 * covariate after the edits, or NULL without one.  @origins (n_series)
 * gives every series its own origin (then @origin is ignored), or NULL. */
TcForecast *tc_forecaster_predict_internal (TcForecaster        *fc,
                                            const TcDataset     *ds,
                                            const TcDataset     *future,
                                            guint                origin,
                                            const guint         *origins,
                                            const TcFeatureEdit *edits,
                                            guint                n_edits,
                                            double             **price_out,
                                            GError             **error);

/* The origin of every series (n_series) for @mode: per series, each
 * series' end (the latest end for a series without targets); NULL for a
 * common origin.  Free with g_free. */
guint      *tc_forecaster_origins           (const TcDataset     *ds,
                                             TcOriginMode         mode);

G_END_DECLS
