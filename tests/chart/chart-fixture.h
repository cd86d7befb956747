/* chart-fixture.h — a small weekly series with a forecast, shared by the
 * chart tests and the sample renderer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-chart.h"
#include "tc-loss-chart.h"

#include <math.h>

#define FIX_N_HIST 104
#define FIX_N_FC   16
/* Monday 2023-01-02 00:00 UTC. */
#define FIX_T0     G_GINT64_CONSTANT (1672617600)
#define FIX_WEEK   G_GINT64_CONSTANT (604800)

static inline double
fixture_value (int i)
{
  /* Yearly seasonality around a slowly growing level, plus a Christmas peak. */
  double season = 1800 * sin (2 * G_PI * i / 52.0) + 900 * cos (4 * G_PI * i / 52.0);
  double xmas = (i % 52 >= 48 && i % 52 <= 50) ? 3500 : 0;
  return 12000 + 25 * i + season + xmas + 400 * sin (i * 1.7);
}

static inline TcChart *
fixture_chart (gboolean with_actuals)
{
  TcChart *chart = tc_chart_new ();
  gint64 ht[FIX_N_HIST], ft[FIX_N_FC];
  double hy[FIX_N_HIST], med[FIX_N_FC], p10[FIX_N_FC], p90[FIX_N_FC], p25[FIX_N_FC], p75[FIX_N_FC], act[FIX_N_FC];
  int i;

  for (i = 0; i < FIX_N_HIST; i++)
    {
      ht[i] = FIX_T0 + i * FIX_WEEK;
      hy[i] = fixture_value (i);
    }
  hy[30] = NAN;  /* a missing week */
  for (i = 0; i < FIX_N_FC; i++)
    {
      int k = FIX_N_HIST + i;
      double spread = 600 + 120 * i;

      ft[i] = FIX_T0 + k * FIX_WEEK;
      med[i] = fixture_value (k) - 400 * sin (k * 1.7);
      p10[i] = med[i] - spread * 1.28;
      p90[i] = med[i] + spread * 1.28;
      p25[i] = med[i] - spread * 0.67;
      p75[i] = med[i] + spread * 0.67;
      act[i] = fixture_value (k) + 300 * cos (k);
    }

  tc_chart_set_history (chart, ht, hy, FIX_N_HIST);
  tc_chart_set_forecast (chart, ft, med, FIX_N_FC);
  tc_chart_add_band (chart, 0.25, 0.75, p25, p75);
  tc_chart_add_band (chart, 0.10, 0.90, p10, p90);
  if (with_actuals)
    tc_chart_set_actuals (chart, act);
  /* A three-week promotion in the history, a holiday range, a point event. */
  tc_chart_add_marker (chart, TC_CHART_MARKER_PROMOTION, FIX_T0 + 60 * FIX_WEEK, FIX_T0 + 63 * FIX_WEEK, "Spring sale");
  tc_chart_add_marker (chart, TC_CHART_MARKER_HOLIDAY, FIX_T0 + 99 * FIX_WEEK, FIX_T0 + 100 * FIX_WEEK, "Christmas");
  tc_chart_add_marker (chart, TC_CHART_MARKER_PROMOTION, FIX_T0 + 110 * FIX_WEEK, FIX_T0 + 111 * FIX_WEEK, "Promo");
  tc_chart_set_title (chart, "Garden furniture — weekly units · 零食 SNK-001");
  tc_chart_set_units (chart, "Units sold");
  return chart;
}

#define FIX_N_EPOCHS 40

/* Loss curves that overfit after epoch 24, with warmup and cosine decay. */
static inline TcLossChart *
fixture_loss_chart (void)
{
  TcLossChart *chart = tc_loss_chart_new ();
  int i;

  for (i = 0; i < FIX_N_EPOCHS; i++)
    {
      double e = i + 1;
      double train = 0.08 + 1.2 * exp (-e / 6.0) + 0.01 * sin (e);
      double val = 0.14 + 1.1 * exp (-e / 7.0) + 0.0004 * (e - 24) * (e - 24) * (e > 24);
      double lr = e <= 4 ? 3e-4 * e / 4 : 3e-4 * 0.5 * (1 + cos (G_PI * (e - 4) / (FIX_N_EPOCHS - 4)));

      tc_loss_chart_append (chart, e, train, val, lr);
    }
  tc_loss_chart_set_title (chart, "Training");
  return chart;
}
