/* tc-text-signal.c — what the reviews do to the forecast, period by period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-text"

#include "tc-text-signal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-error.h"
#include "tc-forecaster-private.h"

/* Windows per forward pass: large enough to keep the matrix products
 * efficient, small enough that the activations stay modest. */
#define SIGNAL_BATCH 128

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median forecast of every window summed over its H steps, combined
 * over the ensemble as tc_forecaster_predict_raw does (median of the
 * members per quantile, quantiles sorted, then the median level), so that
 * the sum "with text" is the network's forecast the user sees. */
static void
predict_sums (TcForecaster          *fc,
              const TcFeatureSchema *sc,
              TcTextBags            *bags,
              guint                  b,
              const float           *x,       /* (b, L + Hp, F) */
              const guint           *stat,    /* (b, n_static) */
              const double          *mu,      /* (b) */
              const double          *scale,   /* (b) */
              float                 *out,     /* (b, Hp, Q) scratch */
              double                *member,  /* (b, H, Q, n_models) scratch */
              guint8                *mask,    /* (b, n_tokens) scratch */
              double                *sums)    /* (b) out */
{
  const TcModelConfig *cfg = tc_model_get_config (fc->model);
  guint n_models = 1 + fc->n_extra;
  guint H = sc->horizon, Hp = sc->horizon_padded, Q = cfg->n_quantiles;
  guint med = tc_quantile_median_index (cfg->quantiles, Q);
  double tmp[TC_MODEL_MAX_QUANTILES];   /* (Q) */

  for (guint m = 0; m < n_models; m++)
    {
      TcModel *model = m == 0 ? fc->model : fc->extra[m - 1];

      tc_forecaster_set_key_mask (model, sc, b, x, mask);
      tc_model_set_text_bags (model, bags);
      tc_model_predict (model, b, x, stat, out);
      tc_model_set_text_bags (model, NULL);
      for (guint j = 0; j < b; j++)
        for (guint k = 0; k < H; k++)
          for (guint q = 0; q < Q; q++)
            member[(((gsize) j * H + k) * Q + q) * n_models + m] =
              tc_features_denormalise (sc, out[((gsize) j * Hp + k) * Q + q], mu[j], scale[j]);
    }
  for (guint j = 0; j < b; j++)
    {
      double sum = 0;

      for (guint k = 0; k < H; k++)
        {
          for (guint q = 0; q < Q; q++)
            {
              double *v = member + (((gsize) j * H + k) * Q + q) * n_models;

              if (n_models > 1)
                {
                  qsort (v, n_models, sizeof (double), cmp_double);
                  tmp[q] = n_models % 2 ? v[n_models / 2] : 0.5 * (v[n_models / 2 - 1] + v[n_models / 2]);
                }
              else
                tmp[q] = v[0];
            }
          qsort (tmp, Q, sizeof (double), cmp_double);
          sum += tmp[med];
        }
      sums[j] = sum;
    }
}

TcTextSignal *
tc_text_signal_new (TcForecaster    *fc,
                    const TcDataset *ds,
                    const guint     *members,
                    guint            n_members,
                    guint            end,
                    GCancellable    *cancellable,
                    GError         **error)
{
  const TcFeatureSchema *sc = fc->schema;
  const TcModelConfig *cfg = tc_model_get_config (fc->model);
  g_autoptr (TcTextSignal) sig = NULL;
  g_autoptr (TcFeatureCube) cube = NULL;
  g_autofree float *x = NULL, *x0 = NULL, *out = NULL;
  g_autofree guint *stat = NULL, *win_s = NULL, *win_p = NULL;
  g_autofree double *mu = NULL, *scale = NULL, *member = NULL, *s_with = NULL, *s_without = NULL;
  g_autofree guint8 *mask = NULL;
  g_autofree guint *n_series = NULL;
  TcTextBags *bags;
  guint B = SIGNAL_BATCH, last = 0, start = G_MAXUINT, f0, steps;
  guint H, Hp, Q, span_f, n_models = 1 + fc->n_extra;
  gsize n_windows, done = 0;

  if (sc->n_text == 0 || cfg->text_dim == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "The model does not read review text");
      return NULL;
    }
  if (ds->freq != sc->freq && sc->freq != TC_FREQ_UNKNOWN)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE, "The model was trained on %s data, this data is %s",
                   tc_frequency_to_string (sc->freq), tc_frequency_to_string (ds->freq));
      return NULL;
    }
  for (guint m = 0; m < n_members; m++)
    {
      guint s = members[m];

      if (s >= ds->n_series)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "Series %u is not in the data (%u series)",
                       s, ds->n_series);
          return NULL;
        }
      if (ds->end[s] > ds->start[s])
        {
          last = MAX (last, ds->end[s]);
          start = MIN (start, ds->start[s]);
        }
    }
  end = MIN (end, last);
  /* A period's forecast starts after it; the first needs a patch of
   * history to stand on. */
  if (start == G_MAXUINT || start + sc->patch > end)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, "The series have too little history for a text signal");
      return NULL;
    }

  H = sc->horizon;
  Hp = sc->horizon_padded;
  Q = cfg->n_quantiles;
  span_f = (sc->context + Hp) * sc->n_features;
  f0 = tc_feature_schema_text_offset (sc);
  steps = sc->context + Hp;

  /* The cube reaches H past the last origin; known covariates there stay
   * unknown alike with and without text, so the ratio is unaffected. */
  cube = tc_feature_cube_new (sc, ds, NULL, end, FALSE, NULL, NULL, 0, error);
  if (cube == NULL)
    return NULL;
  bags = tc_feature_cube_text_bags (cube);

  sig = g_new0 (TcTextSignal, 1);
  sig->first = start + sc->patch - 1;
  sig->n_periods = end - sig->first;
  sig->horizon = H;
  sig->reviews = g_new0 (guint, sig->n_periods);
  sig->with_text = g_new0 (double, sig->n_periods);
  sig->without_text = g_new0 (double, sig->n_periods);
  sig->effect = g_new (double, sig->n_periods);
  n_series = g_new0 (guint, sig->n_periods);
  for (guint i = 0; i < sig->n_periods; i++)
    for (guint m = 0; m < n_members; m++)
      sig->reviews[i] += (guint) bags->n_docs[tc_text_bags_at (bags, members[m], sig->first + i)];

  /* Window i is member i % n_members at period i / n_members: the sums
   * of a period are added in the members' order, the same with and
   * without text, so equal forecasts give equal sums bit for bit. */
  n_windows = (gsize) sig->n_periods * n_members;
  x = g_new (float, (gsize) B * span_f);
  x0 = g_new (float, (gsize) B * span_f);
  out = g_new (float, (gsize) B * Hp * Q);
  stat = g_new0 (guint, (gsize) B * MAX (sc->n_static, 1));
  mu = g_new (double, B);
  scale = g_new (double, B);
  member = g_new (double, (gsize) B * H * Q * n_models);
  mask = g_new (guint8, (gsize) B * sc->n_tokens);
  s_with = g_new (double, B);
  s_without = g_new (double, B);
  win_s = g_new (guint, B);
  win_p = g_new (guint, B);
  while (done < n_windows)
    {
      guint b = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* Windows without any observed context (a series not started yet)
       * forecast nothing and are left out. */
      for (; done < n_windows && b < B; done++)
        {
          guint p = (guint) (done / n_members), s = members[done % n_members];

          if (tc_feature_cube_window (cube, s, sig->first + p + 1, x + (gsize) b * span_f,
                                      stat + (gsize) b * sc->n_static, NULL, NULL, &mu[b], &scale[b]) == 0)
            continue;
          win_s[b] = s;
          win_p[b] = p;
          b++;
        }
      if (b == 0)
        continue;
      /* Without text: every step's bag id is 0, the empty bag. */
      memcpy (x0, x, sizeof (float) * (gsize) b * span_f);
      for (gsize r = 0; r < (gsize) b * steps; r++)
        x0[r * sc->n_features + f0] = 0.0f;
      predict_sums (fc, sc, bags, b, x, stat, mu, scale, out, member, mask, s_with);
      predict_sums (fc, sc, bags, b, x0, stat, mu, scale, out, member, mask, s_without);
      for (guint j = 0; j < b; j++)
        {
          sig->with_text[win_p[j]] += s_with[j];
          sig->without_text[win_p[j]] += s_without[j];
          n_series[win_p[j]]++;
        }
    }

  for (guint i = 0; i < sig->n_periods; i++)
    {
      double w = sig->with_text[i], wo = sig->without_text[i];

      if (n_series[i] == 0 || !isfinite (w) || !isfinite (wo))
        {
          sig->with_text[i] = sig->without_text[i] = sig->effect[i] = NAN;
          continue;
        }
      sig->effect[i] = w == wo ? 0.0 : wo != 0 ? w / wo - 1.0 : NAN;
    }
  return g_steal_pointer (&sig);
}

void
tc_text_signal_free (TcTextSignal *sig)
{
  if (sig == NULL)
    return;
  g_free (sig->reviews);
  g_free (sig->with_text);
  g_free (sig->without_text);
  g_free (sig->effect);
  g_free (sig);
}
