/* test-text-signal.c — what the reviews do to the forecast, period by period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture of test-text-forecast.c: daily sales in which a run of bad
 * reviews lowers the following week.  The tests check what the signal
 * promises (its shape, zero without reviews, no look at later reviews,
 * the same forecast as tc_forecaster_predict), not the effect's size.
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-forecaster.h"
#include "tc-text-signal.h"

#include "text-fixture.h"

static TcForecaster *
train (const TcDataset *ds, guint text_dim)
{
  return train_for (ds, text_dim, 4);
}

static void
set_text (TcDataset *ds, guint s, guint t, const char *text)
{
  char **cell = &ds->text[(gsize) s * ds->n_times + t];

  g_free (*cell);
  *cell = g_strdup (text);
}

static TcTextSignal *
signal_of (TcForecaster *fc, const TcDataset *ds, const guint *members, guint n_members)
{
  g_autoptr (GError) error = NULL;
  TcTextSignal *sig = tc_text_signal_new (fc, ds, members, n_members, G_MAXUINT, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sig);
  return sig;
}

static const guint all[N_SERIES] = { 0, 1, 2, 3, 4, 5 };

/* One shared model: training is the slow part. */
static TcForecaster *shared_fc;

static void
test_shape (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcTextSignal) sig = signal_of (shared_fc, ds, all, N_SERIES);
  guint n_moved = 0;

  /* A patch (7 days) of history before the first forecast, then every
   * day up to the last with sales. */
  g_assert_cmpuint (sig->first, ==, 6);
  g_assert_cmpuint (sig->n_periods, ==, N_TIMES - CUT - 6);
  g_assert_cmpuint (sig->horizon, ==, HORIZON);
  for (guint i = 0; i < sig->n_periods; i++)
    {
      guint t = sig->first + i, n = 0;

      for (guint s = 0; s < N_SERIES; s++)
        n += ds->text[(gsize) s * N_TIMES + t] != NULL;
      g_assert_cmpuint (sig->reviews[i], ==, n);
      g_assert_true (isfinite (sig->effect[i]));
      g_assert_cmpfloat (sig->with_text[i], >, 0);
      g_assert_cmpfloat_with_epsilon (sig->effect[i], sig->with_text[i] / sig->without_text[i] - 1, 1e-12);
      n_moved += sig->effect[i] != 0;
    }
  /* The model reads the reviews: they move the forecast. */
  g_assert_cmpuint (n_moved, >, sig->n_periods / 2);
}

static void
test_no_text_no_effect (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcTextSignal) sig = NULL;

  for (guint s = 0; s < N_SERIES; s++)
    for (guint t = 0; t < N_TIMES; t++)
      set_text (ds, s, t, NULL);
  sig = signal_of (shared_fc, ds, all, N_SERIES);
  for (guint i = 0; i < sig->n_periods; i++)
    {
      g_assert_cmpuint (sig->reviews[i], ==, 0);
      g_assert_true (sig->with_text[i] == sig->without_text[i]);
      g_assert_true (sig->effect[i] == 0.0);
    }
}

/* Reviews written after a period do not change its effect, and do change
 * later ones (so the first check could fail). */
static void
test_no_leak (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcDataset) changed = tc_dataset_copy (ds);
  g_autoptr (TcTextSignal) a = NULL, b = NULL;
  guint cut = 150, n_later_moved = 0;
  guint one[] = { 2 };

  for (guint t = cut + 1; t < N_TIMES; t++)
    set_text (changed, 2, t, t % 2 ? bad[t % 3] : NULL);
  a = signal_of (shared_fc, ds, one, 1);
  b = signal_of (shared_fc, changed, one, 1);
  g_assert_cmpuint (a->first, ==, b->first);
  g_assert_cmpuint (a->n_periods, ==, b->n_periods);
  for (guint i = 0; i < a->n_periods; i++)
    {
      guint t = a->first + i;

      if (t <= cut)
        {
          g_assert_true (a->effect[i] == b->effect[i]);
          g_assert_true (a->with_text[i] == b->with_text[i]);
        }
      else
        n_later_moved += a->effect[i] != b->effect[i];
    }
  g_assert_cmpuint (n_later_moved, >, 0);
}

/* "With text" is the forecast tc_forecaster_predict makes from the same
 * origin (no safety net in this model), summed. */
static void
test_matches_forecast (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcTextSignal) sig = signal_of (shared_fc, ds, all, N_SERIES);
  guint origins[] = { 60, 151, N_TIMES - CUT };

  for (guint o = 0; o < G_N_ELEMENTS (origins); o++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TcForecast) f = tc_forecaster_predict (shared_fc, ds, NULL, origins[o], &error);
      guint med;
      double sum = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (f->origin, ==, origins[o]);
      med = tc_quantile_median_index (f->quantiles, f->n_quantiles);
      for (guint s = 0; s < N_SERIES; s++)
        for (guint k = 0; k < f->horizon; k++)
          sum += f->values[((gsize) s * f->horizon + k) * f->n_quantiles + med];
      g_assert_cmpfloat_with_epsilon (sig->with_text[origins[o] - 1 - sig->first], sum, 1e-4 * sum);
    }
}

static void
test_errors (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcForecaster) plain = train (ds, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  guint bad_member[] = { N_SERIES };
  TcTextSignal *sig;

  sig = tc_text_signal_new (plain, ds, all, N_SERIES, G_MAXUINT, NULL, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_null (sig);
  g_clear_error (&error);
  sig = tc_text_signal_new (shared_fc, ds, bad_member, 1, G_MAXUINT, NULL, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_assert_null (sig);
  g_clear_error (&error);
  sig = tc_text_signal_new (shared_fc, ds, all, N_SERIES, 5, NULL, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_EMPTY);
  g_assert_null (sig);
  g_clear_error (&error);
  g_cancellable_cancel (cancel);
  sig = tc_text_signal_new (shared_fc, ds, all, N_SERIES, G_MAXUINT, cancel, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (sig);
}

int
main (int argc, char **argv)
{
  g_autoptr (TcDataset) ds = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  ds = text_dataset ();
  shared_fc = train (ds, 4);
  g_test_add_func ("/text-signal/shape", test_shape);
  g_test_add_func ("/text-signal/no-text-no-effect", test_no_text_no_effect);
  g_test_add_func ("/text-signal/no-leak", test_no_leak);
  g_test_add_func ("/text-signal/matches-forecast", test_matches_forecast);
  g_test_add_func ("/text-signal/errors", test_errors);
  ret = g_test_run ();
  tc_forecaster_free (shared_fc);
  return ret;
}
