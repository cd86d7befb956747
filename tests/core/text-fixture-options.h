/* text-fixture-options.h — the small model the review-text tests train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-forecaster.h"

#ifndef HORIZON
#define HORIZON 7
#endif

/* The small model every text test trains: one layer of width 16, no
 * safety net, no refit, so that the network's own forecast is tested. */
static inline void
text_fixture_options (TcForecasterOptions *o, guint text_dim, guint epochs)
{
  tc_forecaster_options_init (o);
  o->horizon = HORIZON;
  o->patch = 7;
  o->context = 28;
  o->preset = TC_PRESET_CUSTOM;
  o->d_model = 16;
  o->n_heads = 2;
  o->n_layers = 1;
  o->d_ff = 32;
  o->dropout = 0;
  o->lr = 3e-3f;
  o->batch = 32;
  o->max_epochs = epochs;
  o->steps_per_epoch = 20;
  o->seed = 3;
  o->threads = 1;
  o->safety_net = FALSE;
  o->refit = FALSE;
  o->text_dim = text_dim;
}

static inline TcForecaster *
train_for (const TcDataset *ds, guint text_dim, guint epochs)
{
  TcForecasterOptions o;
  g_autoptr (GError) error = NULL;
  TcForecaster *fc;

  text_fixture_options (&o, text_dim, epochs);
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fc);
  return fc;
}

/* The fitted model's forecast of @ds, asserting it succeeds. */
static inline TcForecast *
forecast (TcForecaster *fc, const TcDataset *ds)
{
  g_autoptr (GError) error = NULL;
  TcForecast *f = tc_forecaster_predict (fc, ds, NULL, G_MAXUINT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (f);
  return f;
}
