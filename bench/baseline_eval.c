/* baseline_eval.c — scores the baselines on official hold-outs prepared by
 * bench/prepare_benchmarks.py.  Built and run by bench/run_baseline_eval.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: baseline_eval FILE [model ...]
 * Prints, per model, the mean over series of sMAPE (M4), MASE (in-sample
 * seasonal-naive scale with the file's period), MAPE, and the 80 %
 * interval coverage (P10..P90), plus the seconds spent.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tc-baselines.h"
#include "tc-metrics.h"

static GArray *
parse_values (const char *s)
{
  g_auto (GStrv) parts = g_strsplit (s, ",", -1);
  GArray *a = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; parts[i]; i++)
    {
      double v = parts[i][0] ? g_ascii_strtod (parts[i], NULL) : NAN;

      g_array_append_val (a, v);
    }
  return a;
}

int
main (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  static const double q[] = { 0.1, 0.5, 0.9 };
  const char *default_models[] = { "naive", "snaive", "naive2", "ses", "theta", "ets", NULL };
  const char **models = argc > 2 ? (const char **) argv + 2 : default_models;

  if (argc < 2 || !g_file_get_contents (argv[1], &text, NULL, &error))
    {
      fprintf (stderr, "usage: baseline_eval FILE [model ...]%s%s\n", error ? ": " : "",
               error ? error->message : "");
      return 1;
    }
  lines = g_strsplit (text, "\n", -1);
  printf ("%-8s %8s %8s %8s %8s %8s\n", "model", "sMAPE", "MASE", "MAPE", "cov80", "seconds");
  for (guint mi = 0; models[mi]; mi++)
    {
      TcBaselineKind kind;
      g_autoptr (TcMetrics) acc = NULL;
      gint64 t0 = g_get_monotonic_time ();

      if (!tc_baseline_from_name (models[mi], &kind))
        {
          fprintf (stderr, "unknown model %s\n", models[mi]);
          return 1;
        }
      for (guint i = 0; lines[i]; i++)
        {
          g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
          g_autoptr (GArray) tr = NULL, te = NULL;
          g_autofree double *out = NULL;
          guint m, h;

          if (g_strv_length (f) != 5)
            continue;
          m = atoi (f[1]);
          h = atoi (f[2]);
          tr = parse_values (f[3]);
          te = parse_values (f[4]);
          if (acc == NULL)
            acc = tc_metrics_new (h, q, 3);
          out = g_new (double, (gsize) h * 3);
          if (!tc_baseline_forecast (kind, (double *) tr->data, tr->len, m, h, q, 3, out, &error))
            {
              fprintf (stderr, "%s %s: %s\n", models[mi], f[0], error->message);
              return 2;
            }
          tc_metrics_add (acc, (double *) tr->data, tr->len, m, (double *) te->data, out);
        }
      printf ("%-8s %8.3f %8.3f %8.3f %8.3f %8.1f\n", models[mi],
              tc_metrics_get (acc, TC_METRIC_SMAPE, TC_AGGREGATE_MEAN),
              tc_metrics_get (acc, TC_METRIC_MASE, TC_AGGREGATE_MEAN),
              tc_metrics_get (acc, TC_METRIC_MAPE, TC_AGGREGATE_MEAN),
              tc_metrics_get (acc, TC_METRIC_COVERAGE, TC_AGGREGATE_MEAN),
              (g_get_monotonic_time () - t0) / 1e6);
      fflush (stdout);
    }
  return 0;
}
