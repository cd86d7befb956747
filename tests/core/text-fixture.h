/* text-fixture.h — the review-text tests' small daily dataset and model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Daily sales of N_SERIES SKUs in which a run of bad reviews lowers the
 * following week; the last CUT days have reviews but no sales yet.
 * Shared by test-text-forecast.c, test-text-signal.c and test-news.c.
 */
#pragma once

#include <math.h>

#define N_SERIES 6
#define N_TIMES  240
#define HORIZON  7
#define CUT      20   /* the last CUT days have reviews but no sales yet */

#include "tc-forecaster.h"
#include "text-fixture-options.h"

static const char *good[] G_GNUC_UNUSED = { "Great quality, will buy again", "质量很好，会回购", "ótimo produto" };
static const char *bad[] G_GNUC_UNUSED = { "Arrived broken", "质量太差，不会再买", "não gostei, veio quebrado" };

static inline TcDataset *
text_dataset (void)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_DAILY, N_SERIES, N_TIMES, 0, 0, 0, TRUE);
  g_autoptr (GRand) rng = g_rand_new_with_seed (42);

  ds->target_name = g_strdup ("units");
  ds->text_name = g_strdup ("review");
  for (guint t = 0; t < N_TIMES; t++)
    ds->times[t] = 1672531200 + (gint64) t * 86400;   /* 2023-01-01 */
  for (guint s = 0; s < N_SERIES; s++)
    {
      double level = 30 + 10 * s;
      guint penalty = 0;

      ds->series_ids[s] = g_strdup_printf ("sku%u", s);
      for (guint t = 0; t < N_TIMES; t++)
        {
          gboolean episode = (t / 30 + s) % 4 == 1 && t % 30 < 5;
          double mu = level * (1 + 0.2 * sin (2 * G_PI * t / 7.0)) * (penalty > 0 ? 0.6 : 1.0);
          char **cell = &ds->text[(gsize) s * N_TIMES + t];

          if (penalty > 0)
            penalty--;
          if (episode)
            {
              *cell = g_strdup (bad[g_rand_int_range (rng, 0, 3)]);
              penalty = 7;
            }
          else if (g_rand_double (rng) < 0.15)
            *cell = g_strdup (good[g_rand_int_range (rng, 0, 3)]);
          tc_dataset_target_row (ds, s)[t] =
            t < N_TIMES - CUT ? round (mu * exp (0.1 * (g_rand_double (rng) - 0.5))) : NAN;
        }
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

