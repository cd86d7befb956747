/* test-text-forecast.c — review text in the forecaster: no leakage, persistence, copies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small daily dataset in which a run of bad reviews lowers the sales of
 * the following week.  The model is trained with the text layer; the
 * tests check what the pipeline promises about text, not the size of
 * the effect (bench/text-ablation.sh measures that on the online store).
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-explain.h"
#include "tc-forecaster.h"

#ifndef EXPLAIN_EPOCHS
#define EXPLAIN_EPOCHS 30
#endif

#include "text-fixture.h"

static TcForecaster *
train (const TcDataset *ds, guint text_dim)
{
  return train_for (ds, text_dim, 4);
}

static gboolean
same_forecast (const TcForecast *a, const TcForecast *b)
{
  gsize n = (gsize) a->n_series * a->horizon * a->n_quantiles;

  g_assert_cmpuint (a->n_series, ==, b->n_series);
  return memcmp (a->values, b->values, n * sizeof (double)) == 0;
}

static void
set_text (TcDataset *ds, guint s, guint t, const char *text)
{
  char **cell = &ds->text[(gsize) s * ds->n_times + t];

  g_free (*cell);
  *cell = g_strdup (text);
}

static void
test_no_leak (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcForecaster) fc = train (ds, 4);
  g_autoptr (TcForecast) base = forecast (fc, ds);
  g_autoptr (TcDataset) later = tc_dataset_copy (ds);
  g_autoptr (TcDataset) earlier = tc_dataset_copy (ds);
  g_autoptr (TcForecast) f_later = NULL, f_earlier = NULL;
  guint origin = N_TIMES - CUT;

  g_assert_cmpuint (tc_forecaster_get_options (fc)->text_dim, ==, 4);
  g_assert_cmpuint (base->origin, ==, origin);
  /* Reviews on and after the origin: a flood of bad ones changes nothing. */
  for (guint s = 0; s < N_SERIES; s++)
    for (guint t = origin; t < N_TIMES; t++)
      set_text (later, s, t, bad[t % 3]);
  f_later = forecast (fc, later);
  g_assert_true (same_forecast (base, f_later));
  /* The same reviews the week before the origin do change it: the text
   * is used, so the check above could fail. */
  for (guint s = 0; s < N_SERIES; s++)
    for (guint t = origin - 7; t < origin; t++)
      set_text (earlier, s, t, bad[t % 3]);
  f_earlier = forecast (fc, earlier);
  g_assert_false (same_forecast (base, f_earlier));

  /* A backtest origin inside the data: reviews from it on stay unseen,
   * also where the sales are known. */
  {
    guint bt = origin - 40;
    g_autoptr (GError) error = NULL;
    g_autoptr (TcDataset) changed = tc_dataset_copy (ds);
    g_autoptr (TcForecast) a = tc_forecaster_predict (fc, ds, NULL, bt, &error);
    g_autoptr (TcForecast) b = NULL;

    g_assert_no_error (error);
    for (guint s = 0; s < N_SERIES; s++)
      for (guint t = bt; t < N_TIMES; t++)
        set_text (changed, s, t, t % 2 ? bad[t % 3] : NULL);
    b = tc_forecaster_predict (fc, changed, NULL, bt, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (a->origin, ==, bt);
    g_assert_true (same_forecast (a, b));
  }
}

static void
test_without_text_layer (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcForecaster) fc = train (ds, 0);
  g_autoptr (TcForecast) base = forecast (fc, ds);
  g_autoptr (TcDataset) earlier = tc_dataset_copy (ds);
  g_autoptr (TcForecast) f = NULL;

  for (guint s = 0; s < N_SERIES; s++)
    for (guint t = N_TIMES - CUT - 7; t < N_TIMES - CUT; t++)
      set_text (earlier, s, t, bad[t % 3]);
  f = forecast (fc, earlier);
  g_assert_true (same_forecast (base, f));
}

/* The text is one driver of a model that reads it, and none of one
 * that does not. */
static void
test_explain (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcForecaster) fc = train_for (ds, 4, EXPLAIN_EPOCHS);
  g_autoptr (TcForecaster) plain = train (ds, 0);
  g_autoptr (GError) error = NULL;
  TcExplainResult *res = NULL;
  const TcDriverImportance *text = NULL;
  TcExplainOptions o = { .n_origins = 3, .n_repeats = 3, .seed = 1 };

  g_assert_true (tc_forecaster_explain (fc, ds, &o, &res, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < res->n_drivers; i++)
    if (res->drivers[i].kind == TC_DRIVER_TEXT)
      {
        g_assert_null (text);
        text = &res->drivers[i];
      }
  g_assert_nonnull (text);
  g_assert_cmpstr (text->name, ==, "review");
  g_assert_true (isfinite (text->importance));
  g_test_message ("text importance %.4f ± %.4f (history %.4f)", text->importance, text->importance_sd,
                  tc_explain_result_find (res, "history")->importance);
  /* Scrambled reviews change the forecast: the model really reads them,
   * and here (bad reviews cut sales by 40 %) they help. */
  g_assert_cmpfloat (text->importance, >, 0);
  tc_explain_result_free (res);
  res = NULL;

  g_assert_true (tc_forecaster_explain (plain, ds, &o, &res, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < res->n_drivers; i++)
    g_assert_cmpint (res->drivers[i].kind, !=, TC_DRIVER_TEXT);
  tc_explain_result_free (res);
}

static void
test_persistence (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcForecaster) fc = train (ds, 3);
  g_autoptr (TcForecaster) copy = tc_forecaster_dup (fc);
  g_autoptr (TcForecaster) back = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) base = forecast (fc, ds);
  g_autoptr (TcForecast) f_copy = NULL, f_back = NULL;

  bytes = tc_forecaster_to_bytes (fc, &error);
  g_assert_no_error (error);
  back = tc_forecaster_from_bytes (bytes, "text model", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_forecaster_get_options (back)->text_dim, ==, 3);
  g_assert_cmpuint (tc_model_get_config (tc_forecaster_get_model (back))->text_dim, ==, 3);
  f_copy = forecast (copy, ds);
  f_back = forecast (back, ds);
  g_assert_true (same_forecast (base, f_copy));
  g_assert_true (same_forecast (base, f_back));
}

/* Without a text column the option falls back to no text layer. */
static void
test_no_text_column (void)
{
  g_autoptr (TcDataset) ds = text_dataset ();
  g_autoptr (TcDataset) plain = tc_dataset_new (TC_FREQ_DAILY, N_SERIES, N_TIMES, 0, 0, 0, FALSE);
  g_autoptr (TcForecaster) fc = NULL;

  plain->target_name = g_strdup ("units");
  memcpy (plain->times, ds->times, sizeof (gint64) * N_TIMES);
  memcpy (plain->target, ds->target, sizeof (double) * N_SERIES * N_TIMES);
  for (guint s = 0; s < N_SERIES; s++)
    plain->series_ids[s] = g_strdup (ds->series_ids[s]);
  tc_dataset_update_bounds (plain);
  fc = train (plain, 4);
  g_assert_cmpuint (tc_forecaster_get_options (fc)->text_dim, ==, 0);
  g_assert_cmpuint (tc_model_get_config (tc_forecaster_get_model (fc))->text_dim, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text-forecast/no-leak", test_no_leak);
  g_test_add_func ("/text-forecast/without-text-layer", test_without_text_layer);
  g_test_add_func ("/text-forecast/persistence", test_persistence);
  g_test_add_func ("/text-forecast/explain", test_explain);
  g_test_add_func ("/text-forecast/no-text-column", test_no_text_column);
  return g_test_run ();
}
