/* test-explain.c — permutation importance and effect estimates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explain.h"
#include "tc-forecaster-private.h"
#include "tc-lever.h"
#include "tc-synth.h"

#define N_SERIES 24
#define N_TIMES 110
#define H 6

static TcForecaster *shared_fc;
static TcDataset *shared_ds;

/* The synthetic data: promotions multiply demand by 1.6, the price
 * varies without any effect. */
static TcForecaster *
get_model (void)
{
  if (shared_fc == NULL)
    {
      TcForecasterOptions o;
      g_autoptr (GError) error = NULL;

      shared_ds = synth_dataset (N_SERIES, N_TIMES, 1234);
      tc_forecaster_options_init (&o);
      o.horizon = H;
      o.patch = 4;
      o.context = 16;
      o.preset = TC_PRESET_CUSTOM;
      o.d_model = 32;
      o.n_heads = 2;
      o.n_layers = 1;
      o.d_ff = 64;
      o.dropout = 0;
      o.lr = 3e-3f;
      o.batch = 32;
      o.max_epochs = 12;
      o.steps_per_epoch = 25;
      o.patience = 12;
      o.seed = 7;
      o.threads = 1;
      shared_fc = tc_forecaster_train (shared_ds, &o, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return shared_fc;
}

typedef struct
{
  guint calls, last_done, last_total;
} Progress;

static void
on_progress (guint done, guint total, gpointer data)
{
  Progress *p = data;

  g_assert_cmpuint (done, ==, p->last_done + 1);
  g_assert_cmpuint (done, <=, total);
  p->calls++;
  p->last_done = done;
  p->last_total = total;
}

static void
test_ranks_the_promotion_first (void)
{
  TcForecaster *fc = get_model ();
  g_autoptr (TcExplainResult) res = NULL;
  g_autoptr (TcExplainResult) again = NULL;
  g_autoptr (GError) error = NULL;
  const TcDriverImportance *promo, *price;
  Progress p = { 0 };
  int promo_rank = -1, price_rank = -1;

  g_assert_true (tc_forecaster_explain (fc, shared_ds, NULL, &res, on_progress, &p, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.last_done, ==, p.last_total);
  g_assert_cmpuint (res->n_origins, ==, 2);
  g_assert_cmpuint (res->origins[1], ==, N_TIMES - H);
  g_assert_cmpuint (res->n_windows, >, N_SERIES);
  g_assert_cmpfloat (res->base_loss, >, 0);
  for (guint i = 0; i < res->n_drivers; i++)
    {
      g_test_message ("%-10s importance %+.3f ± %.3f, sMAPE %.2f (base %.2f)", res->drivers[i].name,
                      res->drivers[i].importance, res->drivers[i].importance_sd,
                      res->drivers[i].smape, res->base_smape);
      if (strcmp (res->drivers[i].name, "promo") == 0)
        promo_rank = i;
      if (strcmp (res->drivers[i].name, "price") == 0)
        price_rank = i;
      if (i > 0)
        g_assert_cmpfloat (res->drivers[i - 1].importance, >=, res->drivers[i].importance);
    }
  promo = tc_explain_result_find (res, "promo");
  price = tc_explain_result_find (res, "price");
  g_assert_nonnull (promo);
  g_assert_nonnull (price);
  g_assert_nonnull (tc_explain_result_find (res, "history"));
  g_assert_cmpint (promo->kind, ==, TC_DRIVER_KNOWN);
  /* The only covariate that matters ranks above the one that does not,
   * and shuffling it costs clearly more than noise. */
  g_assert_cmpint (promo_rank, <, price_rank);
  g_assert_cmpfloat (promo->importance, >, 0.05);
  g_assert_cmpfloat (promo->importance, >, price->importance + 0.03);

  /* A fixed seed: the same numbers again. */
  g_assert_true (tc_forecaster_explain (fc, shared_ds, NULL, &again, NULL, NULL, NULL, &error));
  for (guint i = 0; i < res->n_drivers; i++)
    {
      g_assert_cmpstr (res->drivers[i].name, ==, again->drivers[i].name);
      g_assert_cmpfloat (res->drivers[i].importance, ==, again->drivers[i].importance);
    }
}

static void
test_errors (void)
{
  TcForecaster *fc = get_model ();
  g_autoptr (TcDataset) other = tc_dataset_copy (shared_ds);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  TcExplainResult *res = NULL;
  g_autoptr (GError) error = NULL;
  TcExplainOptions many = { .n_origins = 40 };

  /* A column the model needs is missing. */
  g_free (other->known_names[0]);
  other->known_names[0] = g_strdup ("renamed");
  g_assert_false (tc_forecaster_explain (fc, other, NULL, &res, NULL, NULL, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "promo"));
  g_assert_null (res);
  g_clear_error (&error);

  g_assert_false (tc_forecaster_explain (fc, shared_ds, &many, &res, NULL, NULL, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_EMPTY);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (tc_forecaster_explain (fc, shared_ds, NULL, &res, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The levers: promotion around +60 % (the truth), the price next to
 * nothing, each exactly the scenario of the same change over every series
 * and date, with a range around it. */
static void
test_levers (void)
{
  TcForecaster *fc = get_model ();
  g_autoptr (TcLeverSet) set = NULL;
  g_autoptr (TcLeverSet) again = NULL;
  g_autoptr (GError) error = NULL;
  const TcLever *promo, *price;

  set = tc_forecaster_levers (fc, shared_ds, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_levers, ==, 2);
  promo = tc_lever_set_find (set, TC_LEVER_PROMOTION, NULL);
  price = tc_lever_set_find (set, TC_LEVER_PRICE, "price");
  g_assert_nonnull (promo);
  g_assert_nonnull (price);
  g_assert_null (tc_lever_set_find (set, TC_LEVER_DISCOUNT, NULL));
  for (guint i = 0; i < set->n_levers; i++)
    {
      const TcLever *l = &set->levers[i];

      g_test_message ("lever %s: %+.2f units, %+.1f %% (%+.1f to %+.1f)", l->covariate,
                      l->uplift_units, l->uplift_pct, l->uplift_lo, l->uplift_hi);
      g_assert_cmpuint (l->n_series, ==, N_SERIES);
      g_assert_cmpfloat (l->uplift_lo, <=, l->uplift_pct);
      g_assert_cmpfloat (l->uplift_hi, >=, l->uplift_pct);
      g_assert_cmpfloat (l->uplift_lo, <, l->uplift_hi);
    }
  g_assert_cmpstr (promo->covariate, ==, "promo");
  g_assert_cmpfloat (promo->value, ==, 1);
  g_assert_cmpfloat (promo->uplift_pct, >, 30);
  g_assert_cmpfloat (promo->uplift_pct, <, 90);
  g_assert_cmpfloat (promo->uplift_units, >, 0);
  g_assert_cmpfloat (price->value, ==, TC_LEVER_PRICE_FACTOR);
  g_assert_cmpfloat (fabs (price->uplift_pct), <, 15);

  /* The same figure as a scenario built by hand: the price ×0.9 on every
   * series and date, sum of median uplifts over sum of baseline medians. */
  {
    TcScenarioEdit e = { (char *) "price", TC_SCENARIO_SCALE, 0.9, G_MININT64, G_MAXINT64, -1 };
    g_autoptr (TcDataset) plan = tc_forecaster_future_template_full (fc, shared_ds, TC_ORIGIN_PER_SERIES, TRUE);
    g_autoptr (TcScenarioResult) r = tc_forecaster_scenario_full (fc, shared_ds, plan, TC_ORIGIN_PER_SERIES,
                                                                  &e, 1, &error);
    double sb = 0, su = 0;
    guint m = 0;

    g_assert_no_error (error);
    for (guint q = 0; q < r->baseline->n_quantiles; q++)
      if (r->baseline->quantiles[q] == 0.5)
        m = q;
    for (gsize i = 0; i < (gsize) N_SERIES * r->baseline->horizon; i++)
      {
        sb += r->baseline->values[i * r->baseline->n_quantiles + m];
        su += r->scenario->values[i * r->baseline->n_quantiles + m]
              - r->baseline->values[i * r->baseline->n_quantiles + m];
      }
    g_assert_cmpfloat_with_epsilon (price->uplift_pct, 100 * su / sb, 1e-9 * fabs (100 * su / sb) + 1e-12);
  }

  /* The safety net's mix, said when it damps the levers. */
  {
    g_autofree char *mix = tc_lever_set_describe_mix (set, N_SERIES);
    const TcSafetySummary *sf = tc_forecaster_get_safety (fc);

    g_test_message ("network share %.2f, %u on seasonal naive: %s", set->network_share, set->n_own,
                    mix ? mix : "(acts fully)");
    g_assert_cmpfloat (set->network_share, >=, 0);
    g_assert_cmpfloat (set->network_share, <=, 1);
    if (!sf->active)
      g_assert_cmpfloat (set->network_share, ==, 1);
    g_assert_true ((mix == NULL) == (set->network_share >= 0.995 && set->n_own == 0));
    /* The promotion moves the forecast, so the network has a share. */
    g_assert_cmpfloat (set->network_share, >, 0);
  }

  /* Deterministic, range included. */
  again = tc_forecaster_levers (fc, shared_ds, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < set->n_levers; i++)
    {
      g_assert_cmpfloat (set->levers[i].uplift_pct, ==, again->levers[i].uplift_pct);
      g_assert_cmpfloat (set->levers[i].uplift_lo, ==, again->levers[i].uplift_lo);
      g_assert_cmpfloat (set->levers[i].uplift_hi, ==, again->levers[i].uplift_hi);
    }

  /* A cancelled estimate is an error, not a half-filled set. */
  {
    g_autoptr (GCancellable) c = g_cancellable_new ();
    g_autoptr (TcLeverSet) none = NULL;
    g_autoptr (GError) cerr = NULL;

    g_cancellable_cancel (c);
    none = tc_forecaster_levers (fc, shared_ds, NULL, c, &cerr);
    g_assert_null (none);
    g_assert_error (cerr, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* With the safety net mixing in baselines, a scenario carries the
 * network's own response over as a relative change of the forecast in
 * use (tc_forecaster_scenario_full): it is not damped by the network's
 * share. */
static void
test_scenario_transfer (void)
{
  TcForecaster *fc = get_model ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) plan = tc_forecaster_future_template_full (fc, shared_ds, TC_ORIGIN_PER_SERIES, TRUE);
  g_autofree guint *origins = tc_forecaster_origins (shared_ds, TC_ORIGIN_PER_SERIES);
  TcScenarioEdit e = { (char *) "promo", TC_SCENARIO_SET, 1, G_MININT64, G_MAXINT64, -1 };
  TcFeatureEdit fe = { 0, FALSE, 1, G_MININT64, G_MAXINT64, -1 };
  g_autoptr (TcScenarioResult) r = NULL;
  g_autoptr (TcForecast) raw_base = NULL;
  g_autoptr (TcForecast) raw_scen = NULL;
  guint Q, m, checked = 0;

  g_assert_true (tc_forecaster_get_safety (fc)->active);
  r = tc_forecaster_scenario_full (fc, shared_ds, plan, TC_ORIGIN_PER_SERIES, &e, 1, &error);
  g_assert_no_error (error);
  raw_base = tc_forecaster_predict_raw (fc, shared_ds, plan, G_MAXUINT, origins, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  raw_scen = tc_forecaster_predict_raw (fc, shared_ds, plan, G_MAXUINT, origins, &fe, 1, NULL, &error);
  g_assert_no_error (error);
  Q = r->baseline->n_quantiles;
  m = tc_forecast_median_index (r->baseline);
  for (gsize i = 0; i < (gsize) N_SERIES * H; i++)
    {
      double b = raw_base->values[i * Q + m], c = raw_scen->values[i * Q + m];

      if (!(b > 1))
        continue;
      /* Every quantile of the baseline in use, times the network's ratio. */
      for (guint q = 0; q < Q; q++)
        g_assert_cmpfloat (fabs (r->scenario->values[i * Q + q] - r->baseline->values[i * Q + q] * c / b), <=,
                           1e-9 * (1 + r->scenario->values[i * Q + q]));
      checked++;
    }
  g_assert_cmpuint (checked, >, N_SERIES * H / 2);
}

/* A discount the model left out (tc-features.h), changed without the
 * price: the sentence says the change moves nothing; with the price, or
 * a price change on its own, it says nothing of the kind. */
static void
test_discount_unread (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, 1, 4, 0, 0, 0, FALSE);
  TcLeverColumns cols = { 0 };
  TcScenarioEdit disc = { (char *) "discount", TC_SCENARIO_SET, 0.1, 0, 0, -1 };
  TcScenarioEdit both[2] = { disc, { (char *) "price", TC_SCENARIO_SCALE, 0.9, 0, 0, -1 } };
  g_autofree char *alone = NULL, *with_price = NULL, *read = NULL;

  cols.price = "price";
  cols.discount = "discount";
  cols.discount_unread = TRUE;
  alone = tc_lever_price_alone_warning (&cols, ds, &disc, 1);
  g_assert_nonnull (alone);
  g_assert_nonnull (strstr (alone, "The model does not read “discount”"));
  g_assert_nonnull (strstr (alone, "changes nothing"));
  with_price = tc_lever_price_alone_warning (&cols, ds, both, 2);
  g_assert_true (with_price == NULL || strstr (with_price, "does not read") == NULL);
  /* A model that reads its discount: nothing to say about the discount. */
  cols.discount_unread = FALSE;
  read = tc_lever_price_alone_warning (&cols, ds, &disc, 1);
  g_assert_null (read);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain/levers", test_levers);
  g_test_add_func ("/explain/scenario-transfer", test_scenario_transfer);
  g_test_add_func ("/explain/ranks-the-promotion-first", test_ranks_the_promotion_first);
  g_test_add_func ("/explain/errors", test_errors);
  g_test_add_func ("/explain/discount-unread", test_discount_unread);
  rc = g_test_run ();
  g_clear_pointer (&shared_fc, tc_forecaster_free);
  g_clear_pointer (&shared_ds, tc_dataset_free);
  return rc;
}
