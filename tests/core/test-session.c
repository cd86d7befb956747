/* test-session.c — the session layer: forecasts in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-session.h"
#include "tc-synth.h"

#define N_SERIES 6
#define N_TIMES 70
#define H 4

static TcForecaster *
train_tiny (const TcDataset *ds)
{
  g_autoptr (GError) error = NULL;
  TcForecasterOptions o;
  TcForecaster *fc;

  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.patch = 4;
  o.context = 16;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.batch = 8;
  o.max_epochs = 2;
  o.steps_per_epoch = 4;
  o.seed = 3;
  o.threads = 1;
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return fc;
}

static TcSession *
make_session (void)
{
  TcSession *session = tc_session_new ();
  TcDataset *ds = synth_dataset (N_SERIES, N_TIMES, 17);

  tc_session_set_dataset (session, NULL, NULL, ds, NULL);
  tc_session_set_forecaster (session, train_tiny (ds));
  tc_session_set_future (session, synth_future (ds, H, 1));
  return session;
}

typedef struct
{
  gboolean          done;
  const TcForecast *forecast;
  GError           *error;
} Result;

static void
forecast_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->forecast = tc_session_forecast_finish (TC_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The worker's forecast is the synchronous one, bit for bit; it is
 * cached and notified before the callback, and asked again it is the
 * same at once. */
static void
test_forecast_async (void)
{
  g_autoptr (TcSession) session = make_session ();
  g_autoptr (TcForecast) sync = NULL;
  g_autoptr (GError) error = NULL;
  Result r = { 0 }, again = { 0 };
  guint notified = 0;
  gsize n;

  sync = tc_session_predict (session, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (tc_session_peek_forecast (session));
  g_signal_connect (session, "notify::forecast", G_CALLBACK (count_notify), &notified);

  tc_session_forecast_async (session, NULL, forecast_cb, &r);
  g_assert_false (r.done);   /* never synchronously */
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.forecast);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (tc_session_peek_forecast (session) == r.forecast);
  n = (gsize) sync->n_series * sync->horizon * sync->n_quantiles;
  g_assert_cmpmem (r.forecast->values, sizeof (double) * n, sync->values, sizeof (double) * n);

  tc_session_forecast_async (session, NULL, forecast_cb, &again);
  wait_for (&again);
  g_assert_no_error (again.error);
  g_assert_true (again.forecast == r.forecast);
  g_assert_cmpuint (notified, ==, 1);
}

/* A new plan while the worker runs: its result is for the old one and
 * is dropped, not cached. */
static void
test_forecast_async_stale (void)
{
  g_autoptr (TcSession) session = make_session ();
  Result r = { 0 };

  tc_session_forecast_async (session, NULL, forecast_cb, &r);
  tc_session_set_future (session, synth_future (tc_session_get_dataset (session), H, 0));
  wait_for (&r);
  g_assert_error (r.error, TC_ERROR, TC_ERROR_CANCELLED);
  g_assert_null (r.forecast);
  g_assert_null (tc_session_peek_forecast (session));
  g_clear_error (&r.error);
}

/* Without a model there is nothing to forecast. */
static void
test_forecast_async_no_model (void)
{
  g_autoptr (TcSession) session = tc_session_new ();
  Result r = { 0 };

  tc_session_forecast_async (session, NULL, forecast_cb, &r);
  wait_for (&r);
  g_assert_error (r.error, TC_ERROR, TC_ERROR_FAILED);
  g_clear_error (&r.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/forecast-async", test_forecast_async);
  g_test_add_func ("/session/forecast-async-stale", test_forecast_async_stale);
  g_test_add_func ("/session/forecast-async-no-model", test_forecast_async_no_model);
  return g_test_run ();
}
