/* test-effects.c — price, competitor and promotion effects from history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synthetic daily sales whose effects are known: own-price elasticity
 * −1.8, cross-price elasticity +0.6 on a competitor's price, promotions
 * ×1.35, and a discount column that is exactly 1 − price / base price,
 * so that it cannot be told apart from the price.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "tc-effects.h"
#include "tc-error.h"
#include "tc-infer.h"

#define T0 G_GINT64_CONSTANT (1672531200)   /* 2023-01-01 */
#define DAY G_GINT64_CONSTANT (86400)

enum { PRICE, COMPETITOR, PROMO, DISCOUNT, N_KNOWN };

static double
gauss (GRand *rng)
{
  double u = g_rand_double_range (rng, 1e-12, 1), v = g_rand_double (rng);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

static TcDataset *
make_store (guint n_series, guint n_times, guint32 seed)
{
  TcDataset *ds = tc_dataset_new (TC_FREQ_DAILY, n_series, n_times, N_KNOWN, 0, 0, FALSE);
  GRand *rng = g_rand_new_with_seed (seed);
  static const double weekday[] = { -0.2, -0.2, -0.1, 0, 0.1, 0.3, 0.2 };

  ds->target_name = g_strdup ("units");
  ds->known_names[PRICE] = g_strdup ("price");
  ds->known_kinds[PRICE] = TC_COVARIATE_PRICE;
  ds->known_names[COMPETITOR] = g_strdup ("competitor_price");
  ds->known_kinds[COMPETITOR] = TC_COVARIATE_OTHER;
  ds->known_names[PROMO] = g_strdup ("promo");
  ds->known_kinds[PROMO] = TC_COVARIATE_PROMOTION;
  ds->known_names[DISCOUNT] = g_strdup ("discount");
  ds->known_kinds[DISCOUNT] = TC_COVARIATE_DISCOUNT;
  for (guint t = 0; t < n_times; t++)
    ds->times[t] = T0 + t * DAY;
  for (guint s = 0; s < n_series; s++)
    {
      double level = log (20 + 200 * g_rand_double (rng));
      double trend = 0.001 * gauss (rng);
      double base = 5 + 20 * g_rand_double (rng);
      double comp = base * (0.8 + 0.4 * g_rand_double (rng));

      ds->series_ids[s] = g_strdup_printf ("S%02u", s);
      for (guint t = 0; t < n_times; t++)
        {
          double d = g_rand_double (rng) < 0.3 ? 0.1 * g_rand_int_range (rng, 1, 4) : 0;
          double price = base * (1 - d);
          double cp = comp * exp (0.1 * gauss (rng));
          gboolean promo = g_rand_double (rng) < 0.15;
          /* 2023-01-01 was a Sunday: weekday index Monday = 0. */
          int wd = (int) ((t + 6) % 7);
          double mu = level + trend * t - 1.8 * log (price / base) + 0.6 * log (cp / comp)
                      + (promo ? log (1.35) : 0) + weekday[wd];

          tc_dataset_target_row (ds, s)[t] = exp (mu + 0.05 * gauss (rng));
          tc_dataset_known_row (ds, PRICE, s)[t] = price;
          tc_dataset_known_row (ds, COMPETITOR, s)[t] = cp;
          tc_dataset_known_row (ds, PROMO, s)[t] = promo;
          tc_dataset_known_row (ds, DISCOUNT, s)[t] = d;
        }
    }
  tc_dataset_update_bounds (ds);
  g_rand_free (rng);
  return ds;
}

static void
test_known_effects (void)
{
  g_autoptr (TcDataset) ds = make_store (12, 400, 5);
  g_autoptr (TcEffectsResult) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *w_price = NULL, *w_comp = NULL, *w_promo = NULL, *w_disc = NULL;
  const TcEffect *price, *comp, *promo, *disc;

  r = tc_effects_estimate (ds, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_rows, ==, 12 * 400);
  g_assert_cmpuint (r->n_series, ==, 12);
  g_assert_true (r->clustered);
  price = tc_effects_find (r, "price");
  comp = tc_effects_find (r, "competitor_price");
  promo = tc_effects_find (r, "promo");
  disc = tc_effects_find (r, "discount");
  g_assert_cmpint (price->kind, ==, TC_EFFECT_PRICE);
  g_assert_cmpint (comp->kind, ==, TC_EFFECT_COMPETITOR_PRICE);
  g_assert_true (comp->log_scale);
  /* The truth, to within a few of their (small) standard errors. */
  g_assert_cmpfloat_with_epsilon (price->coef, -1.8, 0.03);
  g_assert_cmpfloat_with_epsilon (comp->coef, 0.6, 0.03);
  g_assert_cmpfloat_with_epsilon (promo->coef, log (1.35), 0.01);
  g_assert_cmpfloat (price->lo, <, price->coef);
  g_assert_cmpfloat (price->hi, >, price->coef);
  g_assert_cmpfloat (price->se, >, 0);
  g_assert_cmpfloat (price->se, <, 0.03);
  /* The discount is the price: left out, with the reason. */
  g_assert_true (disc->dropped);
  g_assert_cmpstr (disc->confounded_with, ==, "price");
  g_assert_cmpfloat (fabs (disc->correlation), >, 0.95);

  w_price = tc_effect_explain (price);
  w_comp = tc_effect_explain (comp);
  w_promo = tc_effect_explain (promo);
  w_disc = tc_effect_explain (disc);
  g_test_message ("%s\n%s\n%s\n%s", w_price, w_comp, w_promo, w_disc);
  /* 0.9^−1.8 = 1.209: +21 %. */
  g_assert_true (g_str_has_prefix (w_price, "“price”: a 10 % lower price changes sales by +2"));
  g_assert_nonnull (strstr (w_price, "elasticity −1.8"));
  /* 0.9^0.6 = 0.939: −6 %. */
  g_assert_true (g_str_has_prefix (w_comp, "“competitor_price”: when the competitor's price is 10 % lower, sales change by −6"));
  g_assert_true (g_str_has_prefix (w_promo, "“promo”: sales +3"));   /* +35 %, give or take a few tenths */
  g_assert_true (g_str_has_prefix (w_disc, "“discount” moves together with “price” (correlation "));
  g_assert_nonnull (strstr (w_disc, "cannot be separated"));
}

static void
test_few_series (void)
{
  /* Three series: no clusters to speak of; and a covariate that never
   * changes is left out as such. */
  g_autoptr (TcDataset) ds = make_store (3, 300, 9);
  g_autoptr (TcEffectsResult) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *words = NULL;
  const char *competitors[] = { "promo", NULL };

  for (guint s = 0; s < 3; s++)
    for (guint t = 0; t < 300; t++)
      tc_dataset_known_row (ds, PROMO, s)[t] = 1;
  r = tc_effects_estimate (ds, competitors, &error);
  g_assert_no_error (error);
  g_assert_false (r->clustered);
  g_assert_true (r->effects[PROMO].dropped);
  g_assert_null (r->effects[PROMO].confounded_with);
  /* Named a competitor's price by the caller. */
  g_assert_cmpint (r->effects[PROMO].kind, ==, TC_EFFECT_COMPETITOR_PRICE);
  words = tc_effect_explain (&r->effects[PROMO]);
  g_assert_true (g_str_has_prefix (words, "“promo” does not change within any series"));
  /* Less precise: the promotions, real in the data, are missing from the regression. */
  g_assert_cmpfloat_with_epsilon (r->effects[PRICE].coef, -1.8, 0.1);
}

static void
test_errors_and_roles (void)
{
  g_autoptr (TcDataset) none = tc_dataset_new (TC_FREQ_DAILY, 1, 10, 0, 0, 0, FALSE);
  g_autoptr (GError) error = NULL;
  TcCovariateKind kind = TC_COVARIATE_PRICE;

  g_assert_null (tc_effects_estimate (none, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_EMPTY);
  /* A competitor's price is a known covariate but not the own price. */
  g_assert_cmpint (tc_suggest_role ("competitor_price", &kind), ==, TC_ROLE_KNOWN);
  g_assert_cmpint (kind, ==, TC_COVARIATE_OTHER);
  g_assert_cmpint (tc_suggest_role ("竞品价格", &kind), ==, TC_ROLE_KNOWN);
  g_assert_cmpint (kind, ==, TC_COVARIATE_OTHER);
  g_assert_cmpint (tc_suggest_role ("unit_price", &kind), ==, TC_ROLE_KNOWN);
  g_assert_cmpint (kind, ==, TC_COVARIATE_PRICE);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/effects/known", test_known_effects);
  g_test_add_func ("/effects/few-series", test_few_series);
  g_test_add_func ("/effects/errors-and-roles", test_errors_and_roles);
  return g_test_run ();
}
