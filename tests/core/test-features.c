/* test-features.c — windows, normalisation, leakage and the feature schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-features.h"
#include "tc-synth.h"

#define L 16
#define H 6
#define P 4

/* synth_dataset plus an observed covariate ("traffic") and a holiday. */
static TcDataset *
rich_dataset (void)
{
  g_autoptr (TcDataset) base = synth_dataset (5, 80, 77);
  TcDataset *ds = tc_dataset_new (base->freq, 5, 80, 3, 1, 1, FALSE);
  gsize cells = 5 * 80;

  memcpy (ds->times, base->times, sizeof (gint64) * 80);
  memcpy (ds->target, base->target, sizeof (double) * cells);
  memcpy (ds->known, base->known, sizeof (double) * cells * 2);
  ds->target_name = g_strdup ("units");
  ds->known_names[0] = g_strdup ("promo");
  ds->known_kinds[0] = TC_COVARIATE_PROMOTION;
  ds->known_names[1] = g_strdup ("price");
  ds->known_kinds[1] = TC_COVARIATE_PRICE;
  ds->known_names[2] = g_strdup ("holiday");
  ds->known_kinds[2] = TC_COVARIATE_HOLIDAY;
  ds->observed_names[0] = g_strdup ("traffic");
  ds->static_names[0] = g_strdup ("category");
  for (guint s = 0; s < 5; s++)
    {
      ds->series_ids[s] = g_strdup (base->series_ids[s]);
      ds->static_values[s] = g_strdup (base->static_values[s]);
      for (guint t = 0; t < 80; t++)
        {
          tc_dataset_known_row (ds, 2, s)[t] = t % 52 == 50 ? 1 : 0;
          tc_dataset_observed_row (ds, 0, s)[t] = 1000 + 10 * s + t;
        }
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

static gsize
window_floats (const TcFeatureSchema *sc)
{
  return (gsize) (sc->context + sc->horizon_padded) * sc->n_features;
}

/* Poisoning everything from the origin on (targets and observed
 * covariates) must not change a single input of the window. */
static void
test_no_leakage (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcDataset) poisoned = tc_dataset_copy (ds);
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) a = NULL;
  g_autoptr (TcFeatureCube) b = NULL;
  g_autoptr (GError) error = NULL;
  guint origin = 50;
  g_autofree float *xa = NULL, *xb = NULL;
  guint sa[1], sb[1];
  double mua, mub, sca, scb;

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 5; s++)
    for (guint t = origin; t < 80; t++)
      {
        tc_dataset_target_row (poisoned, s)[t] = t % 2 ? 1e9 : NAN;
        tc_dataset_observed_row (poisoned, 0, s)[t] = -1e9;
      }
  a = tc_feature_cube_new (sc, ds, NULL, origin, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  b = tc_feature_cube_new (sc, poisoned, NULL, origin, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  xa = g_new (float, window_floats (sc));
  xb = g_new (float, window_floats (sc));
  for (guint s = 0; s < 5; s++)
    {
      tc_feature_cube_window (a, s, origin, xa, sa, NULL, NULL, &mua, &sca);
      tc_feature_cube_window (b, s, origin, xb, sb, NULL, NULL, &mub, &scb);
      g_assert_cmpmem (xa, window_floats (sc) * sizeof (float), xb, window_floats (sc) * sizeof (float));
      g_assert_cmpfloat (mua, ==, mub);
      g_assert_cmpfloat (sca, ==, scb);
      g_assert_cmpuint (sa[0], ==, sb[0]);
    }
}

/* The train limit hides targets past it even when they are in the data. */
/* The seasonal lags carry y(t - m) and y(t - 2m) normalised like the
 * target, at every step of the context and the future, and their masks
 * say where those values are known. */
static void
test_seasonal_lags (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *x = NULL;
  guint origin = 70, fl;
  double mu, scale;

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  fl = sc->n_features - 2 * sc->season_lags;
  c = tc_feature_cube_new (sc, ds, NULL, 80, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  x = g_new (float, window_floats (sc));
  for (guint s = 0; s < 5; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);

      tc_feature_cube_window (c, s, origin, x, NULL, NULL, NULL, &mu, &scale);
      for (guint t = 0; t < L + 8; t++)
        {
          const float *xt = x + (gsize) t * sc->n_features;
          gint64 g = (gint64) origin - L + t;

          for (guint i = 0; i < 2; i++)
            {
              gint64 gl = g - 52 * (gint64) (i + 1);
              gboolean known = gl >= 0 && !isnan (y[gl]);

              g_assert_cmpfloat (xt[fl + 2 * i + 1], ==, known ? 1.0f : 0.0f);
              if (known)
                g_assert_cmpfloat (fabs (xt[fl + 2 * i] - (log1p (y[gl]) - mu) / scale), <, 1e-4);
              else
                g_assert_cmpfloat (xt[fl + 2 * i], ==, 0.0f);
            }
        }
    }
}

/* A horizon longer than the season: the lag of a late forecast step
 * falls after the origin and must stay unknown, so poisoning everything
 * from the origin on changes no input. */
static void
test_lags_no_leakage (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcDataset) poisoned = NULL;
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) a = NULL;
  g_autoptr (TcFeatureCube) b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *xa = NULL, *xb = NULL;
  guint origin = 50, h = 16, fl, n_masked = 0;

  ds->freq = TC_FREQ_MONTHLY;   /* m = 12 < h */
  poisoned = tc_dataset_copy (ds);
  for (guint s = 0; s < 5; s++)
    for (guint t = origin; t < 80; t++)
      tc_dataset_target_row (poisoned, s)[t] = t % 2 ? 1e9 : NAN;
  sc = tc_feature_schema_new (ds, L, h, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc->lag_period, ==, 12);
  fl = sc->n_features - 2 * sc->season_lags;
  a = tc_feature_cube_new (sc, ds, NULL, origin, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  b = tc_feature_cube_new (sc, poisoned, NULL, origin, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  xa = g_new (float, window_floats (sc));
  xb = g_new (float, window_floats (sc));
  for (guint s = 0; s < 5; s++)
    {
      if (ds->start[s] >= origin)
        continue;
      tc_feature_cube_window (a, s, origin, xa, NULL, NULL, NULL, NULL, NULL);
      tc_feature_cube_window (b, s, origin, xb, NULL, NULL, NULL, NULL, NULL);
      g_assert_cmpmem (xa, window_floats (sc) * sizeof (float), xb, window_floats (sc) * sizeof (float));
      /* Future steps 12 .. 15 have their first lag at or after the origin. */
      for (guint k = 12; k < h; k++)
        {
          const float *xt = xa + (gsize) (L + k) * sc->n_features;

          g_assert_cmpfloat (xt[fl + 1], ==, 0.0f);
          g_assert_cmpfloat (xt[fl], ==, 0.0f);
          n_masked++;
        }
    }
  g_assert_cmpuint (n_masked, >, 0);
}

static void
test_limits_hide_targets (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) c = NULL;
  g_autoptr (GError) error = NULL;
  guint limits[5] = { 40, 40, 40, 40, 40 };
  float x[(L + 8) * 16], y[8], w[8];

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_features_train_limit (ds, 0, H, TRUE), ==, 80 - H);
  g_assert_cmpuint (sc->n_features, <=, 16);
  c = tc_feature_cube_new (sc, ds, NULL, 80, FALSE, limits, NULL, 0, &error);
  g_assert_no_error (error);
  /* A window reaching over the limit has no weight there. */
  tc_feature_cube_window (c, 0, 37, x, NULL, y, w, NULL, NULL);
  for (guint k = 0; k < 8; k++)
    g_assert_cmpfloat (w[k], ==, (k < 3) ? 1.0f : 0.0f);
}

/* A new product: steps before its first sale are padding, masked. */
static void
test_left_padding (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *x = NULL;
  guint s = 4;   /* starts late */
  guint start, origin, n_obs;
  float y[8], w[8];
  double mu, scale;

  start = ds->start[s];
  g_assert_cmpuint (start, >, 20);
  origin = start + 3;
  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  c = tc_feature_cube_new (sc, ds, NULL, 80, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  x = g_new (float, window_floats (sc));
  n_obs = tc_feature_cube_window (c, s, origin, x, NULL, y, w, &mu, &scale);
  g_assert_cmpuint (n_obs, ==, 3);
  for (guint t = 0; t < L + 8; t++)
    {
      const float *xt = x + (gsize) t * sc->n_features;
      gboolean observed = t >= L - 3 && t < L;

      g_assert_cmpfloat (xt[TC_FEAT_OBSERVED], ==, observed ? 1.0f : 0.0f);
      g_assert_cmpfloat (xt[TC_FEAT_FUTURE], ==, t >= L ? 1.0f : 0.0f);
      if (!observed)
        g_assert_cmpfloat (xt[TC_FEAT_TARGET], ==, 0.0f);
    }
  /* The normalised targets of the future de-normalise to the data. */
  for (guint k = 0; k < H; k++)
    {
      double v = tc_dataset_target_row (ds, s)[origin + k];

      g_assert_cmpfloat (w[k], ==, 1.0f);
      g_assert_cmpfloat (fabs (tc_features_denormalise (sc, y[k], mu, scale) - v), <, 1e-3 * (1 + v));
    }
  /* Steps past H (the padded horizon) never count. */
  g_assert_cmpfloat (w[6], ==, 0.0f);
  g_assert_cmpfloat (w[7], ==, 0.0f);
}

static void
test_schema_json_round_trip (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureSchema) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  /* target, mask, future, level + 3 known + 1 observed + week-of-year sin/cos
   * + two seasonal lags with their masks */
  g_assert_cmpuint (sc->n_features, ==, 4 + 3 + 1 + 2 + 4);
  g_assert_cmpuint (sc->season_lags, ==, 2);
  g_assert_cmpuint (sc->lag_period, ==, 52);
  g_assert_cmpuint (sc->static_card[0], ==, 4);   /* 3 categories + unknown */
  node = tc_feature_schema_to_json (sc);
  back = tc_feature_schema_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_features, ==, sc->n_features);
  g_assert_cmpuint (back->horizon_padded, ==, 8);
  g_assert_cmpstr (back->known_names[1], ==, "price");
  g_assert_cmpint (back->known_kinds[1], ==, TC_COVARIATE_PRICE);
  g_assert_cmpfloat (back->known_std[1], ==, sc->known_std[1]);
  g_assert_cmpfloat (back->observed_mean[0], ==, sc->observed_mean[0]);
  g_assert_cmpfloat (back->scale_floor, ==, sc->scale_floor);
  g_assert_cmpstr (back->target_name, ==, "units");
  for (guint s = 0; s < 5; s++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (back->static_vocab[0], ds->static_values[s])), ==,
                      GPOINTER_TO_UINT (g_hash_table_lookup (sc->static_vocab[0], ds->static_values[s])));
  g_assert_cmpuint (back->season_lags, ==, 2);
  g_assert_cmpuint (back->lag_period, ==, 52);
  {
    g_autofree char *n = tc_feature_schema_feature_name (sc, sc->n_features - 5);
    g_autofree char *n2 = tc_feature_schema_feature_name (sc, sc->n_features - 1);
    g_autofree char *n3 = tc_feature_schema_feature_name (sc, sc->n_features - 4);

    g_assert_cmpstr (n, ==, "cal:week_of_year_cos");
    g_assert_cmpstr (n2, ==, "lag2:observed");
    g_assert_cmpstr (n3, ==, "lag1:target");
  }
}

static void
test_bad_schema_json (void)
{
  g_autoptr (JsonNode) node = json_from_string ("{\"freq\": \"weekly\"}", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcFeatureSchema) sc = tc_feature_schema_from_json (node, &error);

  g_assert_null (sc);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
}

/* An unseen category maps to id 0, the "unknown" embedding. */
static void
test_unseen_static (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcDataset) other = NULL;
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *x = NULL;
  guint stat[1];

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  other = tc_dataset_copy (ds);
  g_free (other->static_values[2]);
  other->static_values[2] = g_strdup ("garden");
  c = tc_feature_cube_new (sc, other, NULL, 80, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  x = g_new (float, window_floats (sc));
  tc_feature_cube_window (c, 2, 40, x, stat, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (stat[0], ==, 0);
  tc_feature_cube_window (c, 1, 40, x, stat, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (stat[0], >, 0);
}

static void
test_guess_log1p (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();

  g_assert_true (tc_features_guess_log1p (ds));
  tc_dataset_target_row (ds, 0)[3] = 2.5;
  g_assert_true (tc_features_guess_log1p (ds));    /* one fractional value of ~350 */
  for (guint t = 0; t < 80; t++)
    tc_dataset_target_row (ds, 1)[t] += 0.25;
  g_assert_false (tc_features_guess_log1p (ds));
  tc_dataset_target_row (ds, 1)[0] = -1;
  g_assert_false (tc_features_guess_log1p (ds));
}

/* Known covariates after the data come from the future dataset; a
 * missing holiday is last year's, a missing promotion an error. */
static void
test_future_covariates (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcDataset) fut = tc_dataset_new (ds->freq, 5, H, 2, 0, 0, FALSE);
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) c = NULL;
  g_autoptr (GError) error = NULL;

  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  fut->known_names[0] = g_strdup ("price");
  fut->known_names[1] = g_strdup ("promo");
  for (guint t = 0; t < H; t++)
    fut->times[t] = tc_frequency_advance (ds->freq, ds->times[79], t + 1);
  for (guint s = 0; s < 5; s++)
    {
      /* Series in another order than in the data. */
      fut->series_ids[s] = g_strdup (ds->series_ids[4 - s]);
      for (guint t = 0; t < H; t++)
        {
          tc_dataset_known_row (fut, 0, s)[t] = 3.0;
          tc_dataset_known_row (fut, 1, s)[t] = 4 - s;
        }
    }
  c = tc_feature_cube_new (sc, ds, fut, 80, TRUE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 5; s++)
    for (guint h = 0; h < H; h++)
      {
        g_assert_cmpfloat (tc_feature_cube_known_raw (c, 0, s, 80 + h), ==, s);
        g_assert_cmpfloat (tc_feature_cube_known_raw (c, 1, s, 80 + h), ==, 3.0);
        g_assert_cmpfloat (tc_feature_cube_known_raw (c, 2, s, 80 + h), ==,
                           tc_dataset_known_row (ds, 2, s)[80 + h - 52]);
      }
  g_assert_cmpint (tc_feature_cube_time (c, 80), ==, fut->times[0]);
  tc_feature_cube_free (g_steal_pointer (&c));

  tc_dataset_known_row (fut, 1, 2)[H - 1] = NAN;
  c = tc_feature_cube_new (sc, ds, fut, 80, TRUE, NULL, NULL, 0, &error);
  g_assert_null (c);
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "promo"));
  g_assert_nonnull (strstr (error->message, ds->series_ids[2]));
}


/* Log prices (Dominick's LPRICE, partly negative) make finite inputs, and
 * a scenario's price change ×f adds log f to them. */
static void
test_log_price (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (TcFeatureSchema) sc = NULL;
  g_autoptr (TcFeatureCube) plain = NULL;
  g_autoptr (TcFeatureCube) cut = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *x = NULL;
  TcFeatureEdit edit = { .known = 1, .scale = TRUE, .value = 0.9, .from = G_MININT64, .to = G_MAXINT64,
                         .series = -1 };
  guint sid[1];
  double mu, scale;
  gboolean negative = FALSE;

  ds->known_kinds[1] = TC_COVARIATE_LOG_PRICE;
  for (guint s = 0; s < 5; s++)
    for (guint t = 0; t < 80; t++)
      {
        double *p = &tc_dataset_known_row (ds, 1, s)[t];

        *p = log (*p) - 2.5;
        negative |= *p < 0;
      }
  g_assert_true (negative);
  sc = tc_feature_schema_new (ds, L, H, P, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc->known_kinds[1], ==, TC_COVARIATE_LOG_PRICE);
  plain = tc_feature_cube_new (sc, ds, NULL, 70, FALSE, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  cut = tc_feature_cube_new (sc, ds, NULL, 70, FALSE, NULL, &edit, 1, &error);
  g_assert_no_error (error);
  x = g_new (float, window_floats (sc));
  for (guint s = 0; s < 5; s++)
    {
      tc_feature_cube_window (plain, s, 70, x, sid, NULL, NULL, &mu, &scale);
      for (gsize i = 0; i < window_floats (sc); i++)
        g_assert_true (isfinite (x[i]));
      for (guint h = 0; h < H; h++)
        g_assert_cmpfloat_with_epsilon (tc_feature_cube_known_raw (cut, 1, s, 70 + h),
                                        tc_feature_cube_known_raw (plain, 1, s, 70 + h) + log (0.9), 1e-12);
    }
}

static void
test_bad_shapes (void)
{
  g_autoptr (TcDataset) ds = rich_dataset ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TcFeatureSchema) sc = tc_feature_schema_new (ds, 10, H, P, TRUE, FALSE, &error);

  g_assert_null (sc);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
}

/* Issue 14: a discount column that is the price cut moves exactly with
 * the price within every series; the schema keeps the price and leaves
 * the discount out (tc-features.h).  A discount that moves on its own
 * is kept. */
static void
test_collinear_known (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) base = synth_dataset (6, 80, 5);
  g_autoptr (GRand) rng = g_rand_new_with_seed (2);

  for (guint own = 0; own < 2; own++)
    {
      g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, base->n_series, base->n_times, 3, 0, 0, FALSE);
      g_autoptr (TcFeatureSchema) sc = NULL;

      ds->target_name = g_strdup ("units");
      ds->known_names[0] = g_strdup ("discount");
      ds->known_kinds[0] = TC_COVARIATE_DISCOUNT;
      ds->known_names[1] = g_strdup ("price");
      ds->known_kinds[1] = TC_COVARIATE_PRICE;
      ds->known_names[2] = g_strdup ("promo");
      ds->known_kinds[2] = TC_COVARIATE_PROMOTION;
      memcpy (ds->times, base->times, sizeof (gint64) * base->n_times);
      for (guint s = 0; s < ds->n_series; s++)
        {
          ds->series_ids[s] = g_strdup (base->series_ids[s]);
          for (guint t = 0; t < ds->n_times; t++)
            {
              double d = g_rand_int_range (rng, 0, 4) == 0 ? 0.05 * g_rand_int_range (rng, 1, 6) : 0;
              /* With @own, the price also moves by itself (a new list price). */
              double list = 10 + s + (own ? 4 * g_rand_double (rng) : 0);

              tc_dataset_target_row (ds, s)[t] = tc_dataset_target_row (base, s)[t];
              tc_dataset_known_row (ds, 0, s)[t] = d;
              tc_dataset_known_row (ds, 1, s)[t] = list * (1 - d);
              tc_dataset_known_row (ds, 2, s)[t] = tc_dataset_known_row (base, 0, s)[t];
            }
        }
      tc_dataset_update_bounds (ds);
      sc = tc_feature_schema_new (ds, 16, 4, 4, TRUE, FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sc->n_known, ==, (own ? 3u : 2u));
      g_assert_cmpstr (sc->known_names[0], ==, (own ? "discount" : "price"));
      g_assert_true (g_strv_contains ((const char * const *) sc->known_names, "price"));
      g_assert_true (g_strv_contains ((const char * const *) sc->known_names, "promo"));
      g_assert_cmpint (sc->known_kinds[0], ==, (own ? TC_COVARIATE_DISCOUNT : TC_COVARIATE_PRICE));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/features/no-leakage", test_no_leakage);
  g_test_add_func ("/features/collinear-known", test_collinear_known);
  g_test_add_func ("/features/limits-hide-targets", test_limits_hide_targets);
  g_test_add_func ("/features/seasonal-lags", test_seasonal_lags);
  g_test_add_func ("/features/lags-no-leakage", test_lags_no_leakage);
  g_test_add_func ("/features/left-padding", test_left_padding);
  g_test_add_func ("/features/schema-json-round-trip", test_schema_json_round_trip);
  g_test_add_func ("/features/bad-schema-json", test_bad_schema_json);
  g_test_add_func ("/features/unseen-static", test_unseen_static);
  g_test_add_func ("/features/guess-log1p", test_guess_log1p);
  g_test_add_func ("/features/future-covariates", test_future_covariates);
  g_test_add_func ("/features/bad-shapes", test_bad_shapes);
  g_test_add_func ("/features/log-price", test_log_price);
  return g_test_run ();
}
