/* test-explain.c — permutation importance and effect estimates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explain.h"
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

  /* Effects: promotion around +60 %, the price next to nothing. */
  g_assert_cmpuint (res->n_effects, ==, 2);
  for (guint i = 0; i < res->n_effects; i++)
    {
      const TcEffectEstimate *e = &res->effects[i];

      g_test_message ("effect %s: %+.2f units, %+.1f %%", e->name, e->uplift_units, e->uplift_pct);
      if (strcmp (e->name, "promo") == 0)
        {
          g_assert_false (e->is_price);
          g_assert_cmpfloat (e->uplift_pct, >, 30);
          g_assert_cmpfloat (e->uplift_pct, <, 90);
          g_assert_cmpfloat (e->uplift_units, >, 0);
        }
      else
        {
          g_assert_true (e->is_price);
          g_assert_cmpfloat (fabs (e->uplift_pct), <, 15);
        }
    }

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

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain/ranks-the-promotion-first", test_ranks_the_promotion_first);
  g_test_add_func ("/explain/errors", test_errors);
  rc = g_test_run ();
  g_clear_pointer (&shared_fc, tc_forecaster_free);
  g_clear_pointer (&shared_ds, tc_dataset_free);
  return rc;
}
