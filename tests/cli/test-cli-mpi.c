/* test-cli-mpi.c — data-parallel training: mpirun -n 2 trendcast-cli train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two processes each train on half of every batch and sum their
 * gradients (tc-parallel.h, src/cli/tc-cli-mpi.c); the model rank 0 writes
 * must be the one a single process trains from the same seed, up to the
 * float rounding of the different summation order.  Built only with MPI
 * (meson -Dmpi); $MPIRUN is Open MPI's mpirun.
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-model.h"

static char *dir;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* An extra flag for train (), or NULL. */
static const char *extra_flag;

/* Runs trendcast-cli train on the fixture; with @ranks > 0 under
 * mpirun -n @ranks.  Returns the exit status. */
static int
train (guint ranks, const char *batch, const char *model, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "forecaster", "v2-weekly.csv", NULL);
  const char *args[] = { "train", data, "-o", model, "--horizon", "6", "--context", "24",
                         "--patch", "3", "--d-model", "16", "--heads", "2", "--layers", "2",
                         "--d-ff", "32", "--dropout", "0.1", "--max-epochs", "3",
                         "--steps-per-epoch", "6", "--batch", batch, "--threads", "1",
                         "--seed", "7", NULL };
  int status = -1;

  if (ranks > 0)
    {
      g_ptr_array_add (argv, g_strdup (g_getenv ("MPIRUN")));
      g_ptr_array_add (argv, g_strdup ("-n"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", ranks));
      /* The test machine may have fewer cores than ranks. */
      g_ptr_array_add (argv, g_strdup ("--oversubscribe"));
    }
  g_ptr_array_add (argv, g_strdup (g_getenv ("TRENDCAST_CLI")));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  if (extra_flag != NULL)
    g_ptr_array_add (argv, g_strdup (extra_flag));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static TcForecaster *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  TcForecaster *fc = tc_forecaster_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fc);
  return fc;
}

static void
test_two_ranks_match_one (void)
{
  g_autofree char *m1 = path_in ("one.tcm"), *m2 = path_in ("two.tcm");
  g_autofree char *out1 = NULL, *err1 = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "forecaster", "v2-weekly.csv", NULL);
  g_autoptr (TcForecaster) f1 = NULL, f2 = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) error = NULL;
  TcForecast *p1, *p2;
  TcImportOptions iopts;
  TcModel *a, *b;
  double worst = 0, scale = 0;

  /* 15 windows a batch: shares of 7 and 8. */
  g_assert_cmpint (train (0, "15", m1, &out1, &err1), ==, 0);
  g_assert_cmpint (train (2, "15", m2, &out2, &err2), ==, 0);
  g_test_message ("one process:\n%s%s\ntwo processes:\n%s%s", out1, err1, out2, err2);
  g_assert_nonnull (strstr (err2, "Data-parallel training on 2 processes"));
  /* Only rank 0 talks. */
  g_assert_nonnull (strstr (out2, "Model written to"));
  g_assert_null (strstr (strstr (out2, "Model written to") + 1, "Model written to"));

  f1 = load (m1);
  f2 = load (m2);
  g_assert_cmpuint (tc_forecaster_get_summary (f1)->epochs, ==, tc_forecaster_get_summary (f2)->epochs);
  g_assert_cmpuint (tc_forecaster_get_summary (f1)->best_epoch, ==,
                    tc_forecaster_get_summary (f2)->best_epoch);
  /* The networks, on random windows.  Not weight by weight: parameters
   * whose true gradient is 0 (the key biases: softmax ignores a constant
   * added to every score) get rounding noise for a gradient in either
   * process, which AdamW scales up to steps of lr. */
  a = tc_forecaster_get_model (f1);
  b = tc_forecaster_get_model (f2);
  g_assert_cmpuint (tc_model_n_params (a), ==, tc_model_n_params (b));
  {
    const TcModelConfig *c = tc_model_get_config (a);
    guint B = 16;
    gsize nx = (gsize) B * c->n_tokens * c->patch_len * c->n_features;
    gsize no = (gsize) B * c->n_future_tokens * c->patch_len * c->n_quantiles;
    g_autofree float *x = g_new (float, nx);
    g_autofree float *oa = g_new (float, no);
    g_autofree float *ob = g_new (float, no);
    g_autofree guint *stat = g_new0 (guint, (gsize) B * MAX (c->n_static, 1));
    GRand *rng = g_rand_new_with_seed (3);

    for (gsize i = 0; i < nx; i++)
      x[i] = (float) g_rand_double_range (rng, -1, 1);
    g_rand_free (rng);
    tc_model_predict (a, B, x, stat, oa);
    tc_model_predict (b, B, x, stat, ob);
    for (gsize i = 0; i < no; i++)
      {
        worst = MAX (worst, fabs ((double) oa[i] - ob[i]));
        scale = MAX (scale, fabs ((double) oa[i]));
      }
  }
  g_test_message ("largest network output difference %.3g (largest output %.3g)", worst, scale);
  /* 18 AdamW steps and a refit from sums in another order: float
   * rounding, not another training. */
  g_assert_cmpfloat (worst, <, 1e-4 * MAX (scale, 1.0));

  tc_import_options_init (&iopts);
  ds = tc_import_file (data, &iopts, NULL, NULL, &error);
  tc_import_options_clear (&iopts);
  g_assert_no_error (error);
  p1 = tc_forecaster_predict (f1, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  p2 = tc_forecaster_predict (f2, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  worst = 0;
  for (gsize i = 0; i < (gsize) p1->n_series * p1->horizon * p1->n_quantiles; i++)
    worst = MAX (worst, fabs (p1->values[i] - p2->values[i]) / MAX (fabs (p1->values[i]), 1.0));
  g_test_message ("largest relative forecast difference %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  tc_forecast_free (p1);
  tc_forecast_free (p2);
  g_unlink (m1);
  g_unlink (m2);
}

/* --batch-per-rank: two processes of 8 windows each take the steps of
 * one process of 16. */
static void
test_batch_per_rank (void)
{
  g_autofree char *m1 = path_in ("one16.tcm"), *m2 = path_in ("two8.tcm");
  g_autofree char *out1 = NULL, *err1 = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "forecaster", "v2-weekly.csv", NULL);
  g_autoptr (TcForecaster) f1 = NULL, f2 = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) error = NULL;
  TcImportOptions iopts;
  TcForecast *p1, *p2;
  double worst = 0;

  g_assert_cmpint (train (0, "16", m1, &out1, &err1), ==, 0);
  extra_flag = "--batch-per-rank";
  g_assert_cmpint (train (2, "8", m2, &out2, &err2), ==, 0);
  extra_flag = NULL;
  g_test_message ("two processes:\n%s%s", out2, err2);
  g_assert_nonnull (strstr (err2, "on 2 processes, 8 windows per step each"));
  f1 = load (m1);
  f2 = load (m2);
  g_assert_cmpuint (tc_forecaster_get_options (f2)->batch, ==, 16);

  tc_import_options_init (&iopts);
  ds = tc_import_file (data, &iopts, NULL, NULL, &error);
  tc_import_options_clear (&iopts);
  g_assert_no_error (error);
  p1 = tc_forecaster_predict (f1, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  p2 = tc_forecaster_predict (f2, ds, NULL, G_MAXUINT, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < (gsize) p1->n_series * p1->horizon * p1->n_quantiles; i++)
    worst = MAX (worst, fabs (p1->values[i] - p2->values[i]) / MAX (fabs (p1->values[i]), 1.0));
  g_test_message ("largest relative forecast difference %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  tc_forecast_free (p1);
  tc_forecast_free (p2);
  g_unlink (m1);
  g_unlink (m2);
}

static void
test_more_ranks_than_windows (void)
{
  g_autofree char *m = path_in ("none.tcm");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (train (2, "1", m, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "2 processes need a batch of at least 2"));
  g_assert_false (g_file_test (m, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Open MPI refuses root without these (CI runs as root). */
  g_setenv ("OMPI_ALLOW_RUN_AS_ROOT", "1", TRUE);
  g_setenv ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", TRUE);
  /* Under AddressSanitizer: Open MPI's leaks at MPI_Init are suppressed
   * by library (tests/lsan.supp), which only a full unwind sees through
   * its unloaded components. */
  if (g_getenv ("ASAN_OPTIONS"))
    {
      g_autofree char *opts = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":fast_unwind_on_malloc=0", NULL);

      g_setenv ("ASAN_OPTIONS", opts, TRUE);
    }
  dir = g_dir_make_tmp ("tc-mpi-XXXXXX", NULL);
  g_test_add_func ("/cli/mpi/two-ranks-match-one", test_two_ranks_match_one);
  g_test_add_func ("/cli/mpi/batch-per-rank", test_batch_per_rank);
  g_test_add_func ("/cli/mpi/more-ranks-than-windows", test_more_ranks_than_windows);
  ret = g_test_run ();
  g_rmdir (dir);
  g_free (dir);
  return ret;
}
