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
  TcModel            *refit_model;    /* during training only: the refit of fc->model (see train_one) */
  /* The safety net and the calibration (tc-safety.c). */
  TcSafetySummary     safety;
  GHashTable         *safety_series;  /* series id -> GUINT_TO_POINTER (mask) where it differs from the global mask */
  double             *calib;          /* (horizon, n_quantiles) quantile offsets in units of each series' scale, or NULL */
  GHashTable         *calib_series;   /* series id -> double (horizon, n_quantiles): a series' own offsets where
                                       * the history floor widened them, or NULL */
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

/* The network's own forecast (the ensemble's median), before the safety
 * net; arguments as tc_forecaster_predict_internal. */
TcForecast *tc_forecaster_predict_raw      (TcForecaster        *fc,
                                            const TcDataset     *ds,
                                            const TcDataset     *future,
                                            guint                origin,
                                            const guint         *origins,
                                            const TcFeatureEdit *edits,
                                            guint                n_edits,
                                            double             **price_out,
                                            GError             **error);

/* Masks the context tokens of the @b windows @x (b, L + Hp, F) without
 * an observed step, as every prediction does; @mask (b, n_tokens) is
 * scratch. */
void        tc_forecaster_set_key_mask     (TcModel               *model,
                                            const TcFeatureSchema *sc,
                                            guint                  b,
                                            const float           *x,
                                            guint8                *mask);

/* tc-safety.c.  Score the network against the baselines on validation
 * windows of @ds (which it was trained on, with the same @holdout), choose
 * the combination and calibrate the quantiles; on cancellation the
 * forecaster stays the network alone. */
gboolean    tc_safety_fit                  (TcForecaster        *fc,
                                            const TcDataset     *ds,
                                            gboolean             holdout,
                                            TcTrainProgressFunc  progress,
                                            gpointer             user_data,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Replace the network's forecast @f of @ds by the chosen combination with
 * calibrated quantiles, series by series (each from f->origins[s] when
 * set, else f->origin).  Without an active safety net it does nothing. */
gboolean    tc_safety_apply                (TcForecaster        *fc,
                                            const TcDataset     *ds,
                                            TcForecast          *f,
                                            GError             **error);
JsonNode   *tc_safety_to_json              (TcForecaster        *fc);
gboolean    tc_safety_from_json            (TcForecaster        *fc,
                                            JsonNode            *node,
                                            GError             **error);
void        tc_safety_clear                (TcForecaster        *fc);
gboolean    tc_safety_shape_levels         (const double        *buf,
                                            gsize                n,
                                            const float         *levels,
                                            guint                Q,
                                            guint                pq,
                                            double              *shape);
void        tc_safety_level_factors        (const double        *z,
                                            const double        *h,
                                            gsize                n,
                                            const float         *levels,
                                            guint                Q,
                                            guint                pq,
                                            double               n_eff,
                                            double              *factor,
                                            double              *work);

G_END_DECLS
