/* tc-cli-bench.c — trendcast-cli bench: model core throughput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains and runs the Transformer on synthetic windows for a fixed time
 * each and prints ONE JSON line: the parameters, training and inference
 * windows per second and the achieved GFLOP/s (2*m*n*k per matrix
 * product, attention included, forward + backward for training).
 */

#define G_LOG_DOMAIN "tc-cli-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "tc-cli.h"
#include "tc-model.h"
#include "tc-nn.h"

typedef struct
{
  int    d_model, heads, layers, d_ff, patch, context, horizon, features, quantiles, batch;
  int    threads, blas_threads;
  gboolean full_inference, bf16;
  double seconds, dropout;
  char  *export_dir;
} BenchOpts;

/* Writes the trained model, the input windows and the C forecasts for
 * bench/torch_twin.py --compare. */
static gboolean
export_for_twin (TcModel *model, const char *dir, guint B, const float *x, gsize nx,
                 float *out, gsize nout, GError **error)
{
  g_autofree char *mpath = g_build_filename (dir, "model.tcmodel", NULL);
  g_autofree char *xpath = g_build_filename (dir, "x.bin", NULL);
  g_autofree char *opath = g_build_filename (dir, "out.bin", NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Cannot create “%s”", dir);
      return FALSE;
    }
  tc_model_predict (model, B, x, NULL, out);
  return tc_model_save (model, "{}", mpath, error)
         && g_file_set_contents (xpath, (const char *) x, (gssize) (nx * sizeof (float)), error)
         && g_file_set_contents (opath, (const char *) out, (gssize) (nout * sizeof (float)), error);
}

/* CPU seconds of the whole process: with one thread, throughput per CPU
 * second does not drop when other jobs share the cores (wall time does). */
static double
cpu_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double
run_train (TcModel *model, const TcAdamWConfig *opt, guint B, const float *x, const float *y,
           double seconds, guint *steps_out, double *per_cpu_s)
{
  gint64 t0, now;
  guint steps = 0;
  double c0;

  /* Two untimed steps fault in every buffer and warm the caches. */
  for (guint i = 0; i < 2; i++)
    {
      tc_model_zero_grad (model);
      tc_model_forward (model, B, x, NULL, TRUE, NULL);
      tc_model_loss (model, y, NULL);
      tc_model_backward (model);
      tc_model_adamw_step (model, opt, i);
    }
  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  do
    {
      tc_model_zero_grad (model);
      tc_model_forward (model, B, x, NULL, TRUE, NULL);
      tc_model_loss (model, y, NULL);
      tc_model_backward (model);
      tc_model_adamw_step (model, opt, steps + 2);
      steps++;
      now = g_get_monotonic_time ();
    }
  while ((now - t0) < seconds * 1e6);
  *steps_out = steps;
  *per_cpu_s = (double) steps * B / (cpu_seconds () - c0);
  return (double) steps * B / ((now - t0) / 1e6);
}

static double
run_infer (TcModel *model, guint B, const float *x, float *out, double seconds, gboolean full,
           double *per_cpu_s)
{
  gint64 t0, now;
  guint steps = 0;
  double c0;

  tc_model_predict (model, B, x, NULL, out);
  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  do
    {
      if (full)
        tc_model_forward (model, B, x, NULL, FALSE, out);
      else
        tc_model_predict (model, B, x, NULL, out);
      steps++;
      now = g_get_monotonic_time ();
    }
  while ((now - t0) < seconds * 1e6);
  *per_cpu_s = (double) steps * B / (cpu_seconds () - c0);
  return (double) steps * B / ((now - t0) / 1e6);
}

int
tc_cli_bench (int argc, char **argv)
{
  BenchOpts o = { 64, 4, 3, 256, 7, 112, 28, 6, 3, 64, 1, 0, FALSE, FALSE, 3.0, 0.1, NULL };
  GOptionEntry entries[] = {
    { "d-model", 0, 0, G_OPTION_ARG_INT, &o.d_model, "Model width", "D" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &o.heads, "Attention heads", "H" },
    { "layers", 0, 0, G_OPTION_ARG_INT, &o.layers, "Encoder layers", "L" },
    { "d-ff", 0, 0, G_OPTION_ARG_INT, &o.d_ff, "Feed-forward width", "N" },
    { "patch", 0, 0, G_OPTION_ARG_INT, &o.patch, "Steps per token", "P" },
    { "context", 0, 0, G_OPTION_ARG_INT, &o.context, "Context steps", "N" },
    { "horizon", 0, 0, G_OPTION_ARG_INT, &o.horizon, "Horizon steps", "N" },
    { "features", 0, 0, G_OPTION_ARG_INT, &o.features, "Features per step", "F" },
    { "quantiles", 0, 0, G_OPTION_ARG_INT, &o.quantiles, "Quantiles (1 to 9)", "Q" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &o.batch, "Windows per batch", "B" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o.threads, "Model worker threads", "N" },
    { "blas-threads", 0, 0, G_OPTION_ARG_INT, &o.blas_threads,
      "OpenBLAS threads (default: leave OpenBLAS's own setting)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &o.seconds, "Seconds per measurement", "S" },
    { "full-inference", 0, 0, G_OPTION_ARG_NONE, &o.full_inference,
      "Time inference with the training forward (every token through the last layer) "
      "instead of tc_model_predict", NULL },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &o.dropout, "Dropout rate", "P" },
    { "bf16", 0, 0, G_OPTION_ARG_NONE, &o.bf16,
      "Time inference with bfloat16 products (AVX512-BF16; fp32 where the CPU lacks it)", NULL },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &o.export_dir,
      "Also write the trained model, inputs and forecasts to DIR for bench/torch_twin.py --compare",
      "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcModel) model = NULL;
  g_autofree float *x = NULL, *y = NULL, *out = NULL;
  g_autofree char *params_json = NULL;
  g_autofree char *export_dir = NULL;
  TcModelConfig cfg;
  TcAdamWConfig opt;
  TcRng rng;
  gsize nx, ny;
  guint steps = 0;
  double train_wps, infer_wps, flops_train, flops_infer, train_cpu, infer_cpu;
  double bf16_max_err = 0.0, bf16_rel_err = 0.0;
  gboolean bf16_on = FALSE;

  g_option_context_set_summary (ctx, _("Measure training and inference speed of the model core "
                                       "on synthetic windows; prints one JSON line."));
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_USAGE;
    }
  export_dir = o.export_dir;
  if (o.patch <= 0 || o.context <= 0 || o.horizon <= 0 || o.context % o.patch != 0
      || o.horizon % o.patch != 0)
    {
      g_printerr ("trendcast-cli: --context and --horizon must be positive multiples of --patch\n");
      return TC_CLI_EXIT_USAGE;
    }
  if (o.batch <= 0 || o.threads <= 0 || o.blas_threads < 0 || o.seconds <= 0
      || o.d_model <= 0 || o.heads <= 0 || o.layers <= 0 || o.d_ff <= 0 || o.features <= 0
      || o.quantiles <= 0 || o.quantiles > TC_MODEL_MAX_QUANTILES)
    {
      g_printerr ("trendcast-cli: every size, --threads and --seconds must be positive "
                  "(--quantiles at most %d)\n", TC_MODEL_MAX_QUANTILES);
      return TC_CLI_EXIT_USAGE;
    }

  tc_model_config_init (&cfg, o.patch, (o.context + o.horizon) / o.patch, o.horizon / o.patch,
                        o.features);
  cfg.d_model = o.d_model;
  cfg.n_heads = o.heads;
  cfg.n_layers = o.layers;
  cfg.d_ff = o.d_ff;
  cfg.dropout = (float) o.dropout;
  cfg.n_quantiles = o.quantiles;
  for (int i = 0; i < o.quantiles; i++)
    cfg.quantiles[i] = (float) (i + 1) / (float) (o.quantiles + 1);
  model = tc_model_new (&cfg, 42, &error);
  if (model == NULL)
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_USAGE;
    }
  if (o.blas_threads > 0)
    tc_model_set_blas_threads (o.blas_threads);
  tc_model_set_threads (model, o.threads);

  nx = (gsize) o.batch * (o.context + o.horizon) * o.features;
  ny = (gsize) o.batch * o.horizon;
  x = g_new (float, nx);
  y = g_new (float, ny);
  out = g_new (float, ny * o.quantiles);
  tc_rng_seed (&rng, 1);
  for (gsize i = 0; i < nx; i++)
    x[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < ny; i++)
    y[i] = tc_rng_normal (&rng);

  tc_adamw_config_init (&opt);
  opt.warmup_steps = 10;
  opt.total_steps = 1000000;

  train_wps = run_train (model, &opt, o.batch, x, y, o.seconds, &steps, &train_cpu);
  if (o.bf16)
    {
      /* The error against fp32, on the same windows and weights: the
       * largest difference over the mean size of a forecast value. */
      g_autofree float *ref = g_new (float, ny * o.quantiles);
      double sum_abs = 0.0;

      tc_model_predict (model, o.batch, x, NULL, ref);
      bf16_on = tc_model_set_bf16 (model, TRUE);
      tc_model_predict (model, o.batch, x, NULL, out);
      for (gsize i = 0; i < ny * (gsize) o.quantiles; i++)
        {
          bf16_max_err = MAX (bf16_max_err, fabs ((double) out[i] - ref[i]));
          sum_abs += fabs ((double) ref[i]);
        }
      bf16_rel_err = bf16_max_err / MAX (sum_abs / (ny * (gsize) o.quantiles), 1e-30);
    }
  infer_wps = run_infer (model, o.batch, x, out, o.seconds, o.full_inference, &infer_cpu);
  tc_model_set_bf16 (model, FALSE);
  if (export_dir != NULL
      && !export_for_twin (model, export_dir, o.batch, x, nx, out, ny * o.quantiles, &error))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_DATA;
    }
  flops_train = tc_model_flops_per_window (&cfg, TRUE);
  flops_infer = tc_model_flops_per_window (&cfg, FALSE);
  if (o.full_inference)
    {
      /* The training forward: the last layer's full attention. */
      double N = cfg.n_tokens, d = cfg.d_model, NF = cfg.n_future_tokens;

      flops_infer += (2 * N * d * 3 * d + 2 * N * N * d * 2)
                     - (2 * N * d * 2 * d + 2 * NF * d * d + 2 * NF * N * d * 2);
    }

  params_json = g_strdup_printf (
    "\"d_model\":%d,\"heads\":%d,\"layers\":%d,\"d_ff\":%d,\"patch\":%d,\"context\":%d,"
    "\"horizon\":%d,\"features\":%d,\"quantiles\":%d,\"batch\":%d,\"threads\":%d,"
    "\"blas_threads\":%d,\"dropout\":%g,\"seconds\":%g,\"n_params\":%" G_GSIZE_FORMAT,
    o.d_model, o.heads, o.layers, o.d_ff, o.patch, o.context, o.horizon, o.features,
    o.quantiles, o.batch, o.threads, o.blas_threads, o.dropout, o.seconds,
    tc_model_n_params (model));
  printf ("{%s,\"train_steps\":%u,\"train_windows_per_s\":%.1f,\"infer_windows_per_s\":%.1f,"
          "\"train_windows_per_cpu_s\":%.1f,\"infer_windows_per_cpu_s\":%.1f,"
          "\"gflops\":%.3f,\"train_gflops\":%.3f,\"infer_gflops\":%.3f,"
          "\"flops_per_window_train\":%.0f,\"flops_per_window_infer\":%.0f,"
          "\"bf16\":%s,\"bf16_max_abs_err\":%.3g,\"bf16_err_over_mean_abs\":%.3g}\n",
          params_json, steps, train_wps, infer_wps, train_cpu, infer_cpu,
          flops_train * train_wps / 1e9, flops_train * train_wps / 1e9,
          flops_infer * infer_wps / 1e9, flops_train, flops_infer,
          bf16_on ? "true" : "false", bf16_max_err, bf16_rel_err);
  return TC_CLI_EXIT_OK;
}
