/* tc-synth.h — a small synthetic demand dataset with a known promotion effect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Weekly unit sales of @n_series products: a per-product level, a yearly
 * season, multiplicative noise, and promotions that multiply demand by
 * SYNTH_PROMO_UPLIFT.  A price covariate varies around each product's
 * typical price without effect on demand.  Series i > 0 of every fifth
 * product starts late (a new product).  Deterministic for a seed.
 */
#pragma once

#include <math.h>

#include "tc-dataset.h"

#define SYNTH_PROMO_UPLIFT 1.6

static inline TcDataset *
synth_dataset (guint n_series, guint n_times, guint32 seed)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_WEEKLY, n_series, n_times, 2, 0, 1, FALSE);
  GRand *rng = g_rand_new_with_seed (seed);

  ds->target_name = g_strdup ("units");
  ds->known_names[0] = g_strdup ("promo");
  ds->known_kinds[0] = TC_COVARIATE_PROMOTION;
  ds->known_names[1] = g_strdup ("price");
  ds->known_kinds[1] = TC_COVARIATE_PRICE;
  ds->static_names[0] = g_strdup ("category");
  /* Mondays from 2022-01-03. */
  for (guint t = 0; t < n_times; t++)
    ds->times[t] = 1641168000 + (gint64) t * 7 * 86400;
  for (guint s = 0; s < n_series; s++)
    {
      double level = 20 + 180 * g_rand_double (rng);
      double base_price = 2 + 8 * g_rand_double (rng);
      double phase = g_rand_double (rng) * 2 * G_PI;
      guint start = (s % 5 == 4) ? n_times / 2 + s % 7 : 0;

      ds->series_ids[s] = g_strdup_printf ("sku%03u", s);
      ds->static_values[s] = g_strdup (s % 3 == 0 ? "food" : s % 3 == 1 ? "drink" : "home");
      for (guint t = 0; t < n_times; t++)
        {
          gboolean promo = g_rand_double (rng) < 0.2;
          double season = 1 + 0.3 * sin (2 * G_PI * t / 52.0 + phase);
          double noise = exp (0.1 * (g_rand_double (rng) - 0.5) * 2);

          tc_dataset_known_row (ds, 0, s)[t] = promo ? 1 : 0;
          tc_dataset_known_row (ds, 1, s)[t] = round (base_price * (0.9 + 0.2 * g_rand_double (rng)) * 100) / 100;
          if (t >= start)
            tc_dataset_target_row (ds, s)[t] =
              round (level * season * noise * (promo ? SYNTH_PROMO_UPLIFT : 1.0));
        }
    }
  tc_dataset_update_bounds (ds);
  g_rand_free (rng);
  return ds;
}

/* The known covariates of @ds for @h steps after its end, with the
 * promotion switched to @promo everywhere. */
static inline TcDataset *
synth_future (const TcDataset *ds, guint h, double promo)
{
  TcDataset *f = tc_dataset_new (ds->freq, ds->n_series, h, 2, 0, 0, FALSE);

  f->known_names[0] = g_strdup ("promo");
  f->known_kinds[0] = TC_COVARIATE_PROMOTION;
  f->known_names[1] = g_strdup ("price");
  f->known_kinds[1] = TC_COVARIATE_PRICE;
  for (guint t = 0; t < h; t++)
    f->times[t] = tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) t + 1);
  for (guint s = 0; s < ds->n_series; s++)
    {
      f->series_ids[s] = g_strdup (ds->series_ids[s]);
      for (guint t = 0; t < h; t++)
        {
          tc_dataset_known_row (f, 0, s)[t] = promo;
          tc_dataset_known_row (f, 1, s)[t] = tc_dataset_known_row (ds, 1, s)[ds->n_times - 1];
        }
    }
  return f;
}
