/* whatif_bench.c — what-if latency and synthetic data for bench/bench-whatif.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   whatif_bench whatif N_SERIES THREADS   one JSON line: a plan change touching one
 *                                          series, full recomputation against
 *                                          tc_forecaster_scenario_update
 *   whatif_bench csv N_SERIES N_WEEKS OUT  the synthetic data of tests/core/tc-synth.h as CSV
 */

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tc-forecaster.h"
#include "../tests/core/tc-synth.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

static int
whatif (guint n_series, guint threads)
{
  g_autoptr (TcDataset) ds = synth_dataset (n_series, 156, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) plan = NULL;
  g_autoptr (TcScenarioResult) prev = NULL;
  TcForecasterOptions o;
  TcForecaster *fc;
  TcScenarioEdit edit = { (char *) "promo", TC_SCENARIO_SET, 1.0, 0, G_MAXINT64, 17 };
  enum { REPS = 7 };
  double t_full[REPS], t_upd[REPS], t_train, worst = 0;
  gint64 t0;

  tc_forecaster_options_init (&o);
  o.horizon = 13;
  o.max_epochs = 2;
  o.steps_per_epoch = 20;
  o.threads = threads;
  o.seed = 1;
  t0 = g_get_monotonic_time ();
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  if (fc == NULL)
    {
      fprintf (stderr, "training failed: %s\n", error->message);
      return 1;
    }
  t_train = (g_get_monotonic_time () - t0) / 1e6;
  plan = tc_forecaster_future_template_full (fc, ds, TC_ORIGIN_PER_SERIES, TRUE);
  /* The Scenarios page's state before the change: the plan as it is. */
  prev = tc_forecaster_scenario_full (fc, ds, plan, TC_ORIGIN_PER_SERIES, NULL, 0, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < REPS; r++)
    {
      g_autoptr (TcScenarioResult) full = NULL, upd = NULL;
      gsize n;

      t0 = g_get_monotonic_time ();
      full = tc_forecaster_scenario_full (fc, ds, plan, TC_ORIGIN_PER_SERIES, &edit, 1, &error);
      t_full[r] = (g_get_monotonic_time () - t0) / 1e3;
      g_assert_no_error (error);
      t0 = g_get_monotonic_time ();
      upd = tc_forecaster_scenario_update (fc, ds, plan, TC_ORIGIN_PER_SERIES, &edit, 1, prev, &error);
      t_upd[r] = (g_get_monotonic_time () - t0) / 1e3;
      g_assert_no_error (error);
      n = (gsize) full->scenario->n_series * full->scenario->horizon * full->scenario->n_quantiles;
      for (gsize i = 0; i < n; i++)
        worst = MAX (worst, fabs (upd->scenario->values[i] - full->scenario->values[i])
                            / MAX (fabs (full->scenario->values[i]), 1.0));
    }
  printf ("{\"series\":%u,\"threads\":%u,\"train_s\":%.1f,\"full_recompute_ms\":%.1f,"
          "\"update_one_series_ms\":%.2f,\"speedup\":%.0f,\"max_rel_diff\":%.2g}\n",
          n_series, threads, t_train, median (t_full, REPS), median (t_upd, REPS),
          median (t_full, REPS) / median (t_upd, REPS), worst);
  tc_forecaster_free (fc);
  return 0;
}

static int
write_csv (guint n_series, guint n_weeks, const char *path)
{
  g_autoptr (TcDataset) ds = synth_dataset (n_series, n_weeks, 2);
  FILE *f = fopen (path, "w");

  if (f == NULL)
    {
      perror (path);
      return 1;
    }
  fprintf (f, "series,date,units,promo,price,category\n");
  for (guint s = 0; s < n_series; s++)
    for (guint t = 0; t < n_weeks; t++)
      {
        double y = tc_dataset_target_row (ds, s)[t];
        g_autoptr (GDateTime) dt = NULL;
        g_autofree char *d = NULL;

        if (isnan (y))
          continue;
        dt = g_date_time_new_from_unix_utc (ds->times[t]);
        d = g_date_time_format (dt, "%Y-%m-%d");
        fprintf (f, "s%06u,%s,%.0f,%.0f,%.2f,%s\n", s, d, y, tc_dataset_known_row (ds, 0, s)[t],
                 tc_dataset_known_row (ds, 1, s)[t], ds->static_values[s]);
      }
  return fclose (f) == 0 ? 0 : 1;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "whatif"))
    return whatif ((guint) atoi (argv[2]), (guint) atoi (argv[3]));
  if (argc == 5 && g_str_equal (argv[1], "csv"))
    return write_csv ((guint) atoi (argv[2]), (guint) atoi (argv[3]), argv[4]);
  fprintf (stderr, "usage: whatif_bench whatif N_SERIES THREADS | csv N_SERIES N_WEEKS OUT.csv\n");
  return 2;
}
