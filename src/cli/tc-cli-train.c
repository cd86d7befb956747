/* tc-cli-train.c — trendcast-cli train: fit the global forecaster on a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-train"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tc-cli.h"
#include "tc-cli-mpi.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"

typedef struct
{
  gboolean tty;
  gboolean quiet;
  guint    last_width;
} TrainUi;

static char *
format_duration (double s)
{
  if (!isfinite (s) || s < 0)
    return g_strdup ("?");
  if (s < 60)
    return g_strdup_printf ("%.0fs", s);
  if (s < 3600)
    return g_strdup_printf ("%um%02us", (guint) s / 60, (guint) s % 60);
  return g_strdup_printf ("%uh%02um", (guint) s / 3600, ((guint) s / 60) % 60);
}

static void
on_progress (const TcTrainProgress *p, gpointer user_data)
{
  TrainUi *ui = user_data;

  if (ui->quiet)
    return;
  if (ui->tty && !p->epoch_end && !p->event)
    {
      /* One updating line: where the epoch is, and how long is left at
       * most (early stopping usually ends sooner). */
      guint in_epoch = (p->step - 1) % p->steps_per_epoch + 1;
      guint width = 24, fill = in_epoch * width / p->steps_per_epoch;
      g_autofree char *eta = format_duration (p->eta_s);
      char bar[32], val[32];
      int n;

      memset (bar, '#', fill);
      memset (bar + fill, '.', width - fill);
      bar[width] = 0;
      if (isnan (p->best_val_loss))
        g_strlcpy (val, "–", sizeof val);
      else
        g_snprintf (val, sizeof val, "%.4f", p->best_val_loss);
      n = fprintf (stderr, "\repoch %u/%u [%s] loss %.4f  best val %s  lr %.2g  %.0f win/s  ETA ≤ %s ",
                   p->epoch, p->max_epochs, bar, p->epoch_train_loss,
                   val,
                   p->lr, p->windows_per_s, eta);
      if (n > 0)
        {
          if ((guint) n < ui->last_width)
            fprintf (stderr, "%*s", ui->last_width - n, "");
          ui->last_width = MAX ((guint) n, ui->last_width);
        }
      fflush (stderr);
    }
  if (p->epoch_end)
    {
      if (ui->tty && ui->last_width)
        fprintf (stderr, "\r%*s\r", ui->last_width, "");
      ui->last_width = 0;
      fprintf (stderr, "epoch %u/%u  train %.4f  val %.4f  best %.4f (epoch %u)  %.1fs\n",
               p->epoch, p->max_epochs, p->epoch_train_loss, p->val_loss, p->best_val_loss,
               p->best_epoch, p->elapsed_s);
    }
  if (p->event)
    {
      if (ui->tty && ui->last_width)
        fprintf (stderr, "\r%*s\r", ui->last_width, "");
      ui->last_width = 0;
      fprintf (stderr, "%s\n", p->event);
    }
}

int
tc_cli_train (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (TcImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcForecaster) fc = NULL;
  g_autofree char *output = NULL, *preset = NULL, *quantiles = NULL, *log1p = NULL;
  TcCliRoleArgs roles = { 0 };
  TcImportOptions iopts;
  TcForecasterOptions o;
  TrainUi ui = { 0 };
  int horizon = 0, context = 0, patch = 0, d_model = 0, heads = 0, layers = 0, d_ff = 0;
  int batch = 0, max_epochs = 0, patience = 0, threads = 0, spe = 0, ensemble = 1, text_dim = -1;
  double dropout = -1, lr = 0, wd = -1;
  gint64 seed = 42;
  gboolean holdout = FALSE, quiet = FALSE, no_refit = FALSE, no_safety = FALSE, batch_per_rank = FALSE;
  int ret = TC_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Model file to write (.tcm)"), "MODEL" },
    { "horizon", 0, 0, G_OPTION_ARG_INT, &horizon, N_("Steps to forecast (default: from the frequency)"), "H" },
    { "context", 0, 0, G_OPTION_ARG_INT, &context, N_("Past steps the model sees (default: from horizon and series lengths)"), "L" },
    { "patch", 0, 0, G_OPTION_ARG_INT, &patch, N_("Steps per token (default: from the frequency)"), "P" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Model size: small (default), medium, large"), "NAME" },
    { "d-model", 0, 0, G_OPTION_ARG_INT, &d_model, N_("Width of the model"), "N" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &heads, N_("Attention heads"), "N" },
    { "layers", 0, 0, G_OPTION_ARG_INT, &layers, N_("Transformer layers"), "N" },
    { "d-ff", 0, 0, G_OPTION_ARG_INT, &d_ff, N_("Width of the feed-forward layers"), "N" },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &dropout, N_("Dropout rate"), "P" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, N_("Peak learning rate"), "LR" },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &wd, N_("AdamW weight decay"), "WD" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Windows per step"), "N" },
    { "batch-per-rank", 0, 0, G_OPTION_ARG_NONE, &batch_per_rank,
      N_("Under mpirun: every process takes --batch windows per step (the step's batch grows with the processes, as in PyTorch's DistributedDataParallel) instead of a share of them"), NULL },
    { "max-epochs", 0, 0, G_OPTION_ARG_INT, &max_epochs, N_("Most epochs (early stopping usually ends sooner)"), "N" },
    { "patience", 0, 0, G_OPTION_ARG_INT, &patience, N_("Epochs without improvement before stopping"), "N" },
    { "steps-per-epoch", 0, 0, G_OPTION_ARG_INT, &spe, N_("Steps per epoch (default: from the number of windows)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed"), "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: all cores)"), "N" },
    { "ensemble", 0, 0, G_OPTION_ARG_INT, &ensemble, N_("Train K models with consecutive seeds and forecast their median (K times the time)"), "K" },
    { "quantiles", 0, 0, G_OPTION_ARG_STRING, &quantiles, N_("Quantiles to forecast (default 0.1,0.5,0.9; 0.1,0.25,0.5,0.75,0.9 adds the 50 % range)"), "Q,Q,…" },
    { "log1p", 0, 0, G_OPTION_ARG_STRING, &log1p, N_("Model log1p of the target: auto (default), yes, no"), "MODE" },
    { "holdout", 0, 0, G_OPTION_ARG_NONE, &holdout, N_("Keep the last H steps out of training and report accuracy on them"), NULL },
    { "no-safety-net", 0, 0, G_OPTION_ARG_NONE, &no_safety, N_("Forecast with the network alone: no comparison with seasonal naive, Theta and ETS, no calibrated intervals"), NULL },
    { "no-refit", 0, 0, G_OPTION_ARG_NONE, &no_refit, N_("Keep the early-stopped model instead of refitting it on all data for the epochs validation chose"), NULL },
    { "text-dim", 0, 0, G_OPTION_ARG_INT, &text_dim, N_("Width of the review-text signal the model learns (default 4 with --text-col, else 0: text ignored)"), "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress output"), NULL },
    { NULL },
  };

  ctx = g_option_context_new (_("DATA.csv -o MODEL.tcm — train a forecasting model"));
  g_option_context_set_summary (ctx, _("Trains one Transformer across all series of DATA.csv.\n"
                                       "Every shape and size has a default chosen from the data."));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (ctx, tc_cli_role_option_group (&roles));
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      tc_cli_print_error (error);
      tc_cli_role_args_clear (&roles);
      return TC_CLI_EXIT_USAGE;
    }
  tc_forecaster_options_init (&o);
  tc_import_options_init (&iopts);
  if (argc != 2 || output == NULL)
    {
      g_printerr (_("trendcast-cli train: give one DATA.csv and -o MODEL.tcm\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  if (horizon < 0 || context < 0 || patch < 0 || d_model < 0 || heads < 0 || layers < 0 || d_ff < 0
      || batch < 0 || max_epochs < 0 || patience < 0 || threads < 0 || spe < 0 || seed < 0
      || ensemble < 1 || ensemble > 100)
    {
      g_printerr (_("trendcast-cli train: sizes and counts must not be negative (--ensemble: 1 to 100)\n"));
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  o.horizon = horizon;
  o.context = context;
  o.patch = patch;
  if (preset)
    {
      int p = tc_preset_from_string (preset);

      if (p < 0)
        {
          g_printerr (_("trendcast-cli train: unknown preset “%s” (small, medium, large)\n"), preset);
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
      o.preset = p;
    }
  o.d_model = d_model;
  o.n_heads = heads;
  o.n_layers = layers;
  o.d_ff = d_ff;
  o.dropout = dropout;
  o.lr = lr;
  o.weight_decay = wd;
  o.batch = batch;
  o.max_epochs = max_epochs;
  o.patience = patience;
  o.steps_per_epoch = spe;
  o.seed = seed;
  o.threads = threads;
  o.holdout = holdout;
  o.refit = !no_refit;
  o.safety_net = !no_safety;
  o.ensemble = ensemble;
  /* Naming the text column, or giving news, asks for it to be used. */
  o.text_dim = text_dim >= 0 ? (guint) text_dim : roles.text_col || roles.news ? 4 : 0;
  if (log1p)
    {
      if (strcmp (log1p, "auto") == 0)
        o.log1p = -1;
      else if (strcmp (log1p, "yes") == 0 || strcmp (log1p, "1") == 0)
        o.log1p = 1;
      else if (strcmp (log1p, "no") == 0 || strcmp (log1p, "0") == 0)
        o.log1p = 0;
      else
        {
          g_printerr (_("trendcast-cli train: --log1p takes auto, yes or no\n"));
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
    }
  if (quantiles)
    {
      g_auto (GStrv) parts = g_strsplit (quantiles, ",", -1);

      o.n_quantiles = g_strv_length (parts);
      if (o.n_quantiles == 0 || o.n_quantiles > TC_MODEL_MAX_QUANTILES)
        {
          g_printerr (_("trendcast-cli train: give 1 to %d quantiles\n"), TC_MODEL_MAX_QUANTILES);
          ret = TC_CLI_EXIT_USAGE;
          goto out;
        }
      for (guint i = 0; i < o.n_quantiles; i++)
        {
          char *end;

          o.quantiles[i] = (float) g_ascii_strtod (parts[i], &end);
          if (end == parts[i] || *end)
            {
              g_printerr (_("trendcast-cli train: “%s” is not a quantile\n"), parts[i]);
              ret = TC_CLI_EXIT_USAGE;
              goto out;
            }
        }
    }
  if (!tc_cli_role_args_apply (&roles, &iopts, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }

  ds = tc_import_file (argv[1], &iopts, &report, NULL, &error);
  if (ds == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (report->news_items > 0 && !quiet)
    {
      fprintf (stderr, _("News: %u of %u headlines joined to the data"), report->news_joined, report->news_items);
      if (report->news_matched_by)
        fprintf (stderr, _(" (categories matched by “%s”)"), report->news_matched_by);
      fputc ('\n', stderr);
      for (guint i = 0; i < report->warnings->len; i++)
        if (strstr (report->warnings->pdata[i], ds->news_name) != NULL)
          fprintf (stderr, "%s\n", (const char *) report->warnings->pdata[i]);
    }
  if (!tc_forecaster_options_resolve (&o, ds, &error))
    {
      tc_cli_print_error (error);
      ret = g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
      goto out;
    }
  /* Under mpirun every process trains on its share of each batch
   * (tc-cli-mpi.h); only rank 0 talks and writes the model. */
  if (!tc_cli_mpi_begin (&error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_USAGE;
      goto out;
    }
  /* The whole batch only now: the processes are known. */
  if (batch_per_rank)
    o.batch *= tc_cli_mpi_size ();
  quiet = quiet || tc_cli_mpi_rank () != 0;
  ui.tty = isatty (fileno (stderr));
  ui.quiet = quiet;
  if (!quiet && tc_cli_mpi_size () > 1)
    fprintf (stderr, "Data-parallel training on %u processes, %u windows per step each\n",
             tc_cli_mpi_size (), o.batch / tc_cli_mpi_size ());
  if (!quiet)
    fprintf (stderr, "%u series × %u %s steps; horizon %u, context %u, patch %u; "
             "d_model %u, %u heads, %u layers, d_ff %u; %s%s\n",
             ds->n_series, ds->n_times, tc_frequency_to_string (ds->freq), o.horizon, o.context,
             o.patch, o.d_model, o.n_heads, o.n_layers, o.d_ff,
             o.log1p ? "log1p target" : "raw target", o.holdout ? "; holdout kept out" : "");
  fc = tc_forecaster_train (ds, &o, on_progress, &ui, NULL, &error);
  if (fc == NULL)
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  if (tc_cli_mpi_rank () != 0)
    goto out;
  if (!tc_forecaster_save (fc, output, &error))
    {
      tc_cli_print_error (error);
      ret = TC_CLI_EXIT_DATA;
      goto out;
    }
  {
    const TcTrainSummary *s = tc_forecaster_get_summary (fc);
    g_autofree char *t = format_duration (s->train_seconds);

    if (tc_forecaster_get_options (fc)->ensemble > 1)
      printf ("Ensemble of %u models (median of their forecasts); the numbers below add up all models, "
              "the validation loss is the first model's.\n", tc_forecaster_get_options (fc)->ensemble);
    printf ("Trained in %s: %u epochs (%u steps), best validation loss %.4f at epoch %u; "
            "%" G_GSIZE_FORMAT " parameters; %u training windows, %u validation windows.\n",
            t, s->epochs, s->steps, s->best_val_loss, s->best_epoch, s->n_params,
            s->n_train_windows, s->n_val_windows);
    if (s->refit_epochs > 0)
      printf ("Then refit on all data before the holdout for those %u epochs.\n", s->refit_epochs);
    {
      g_autofree char *safety = tc_forecaster_get_safety_summary (fc);

      printf ("%s\n", safety);
    }
    printf ("Model written to %s\n", output);
  }
  if (holdout)
    {
      g_autoptr (TcForecast) f = NULL;
      TcCliAccuracy acc;

      f = tc_forecaster_predict_holdout (fc, ds, &error);
      if (f == NULL)
        {
          tc_cli_print_error (error);
          ret = TC_CLI_EXIT_DATA;
          goto out;
        }
      tc_cli_holdout_accuracy (ds, f, &acc);
      if (acc.n_series == 0)
        printf ("Holdout: no series has its last %u steps complete; no accuracy to report.\n", o.horizon);
      else
        {
          g_autofree char *sn = g_strdup_printf ("seasonal naive (m=%u)", acc.naive_m);

          printf ("Holdout accuracy over the last %u steps of %u series (MASE scale m=%u):\n"
                  "  %-24s sMAPE %7.3f  MASE %6.3f\n"
                  "  %-24s sMAPE %7.3f  MASE %6.3f\n"
                  "  %-24s sMAPE %7.3f  MASE %6.3f\n",
                  o.horizon, acc.n_series, acc.mase_m,
                  "model (P50)", acc.smape, acc.mase,
                  sn, acc.naive_smape, acc.naive_mase,
                  "naive (last value)", acc.last_smape, acc.last_mase);
        }
    }

out:
  tc_cli_mpi_end ();
  tc_import_options_clear (&iopts);
  tc_cli_role_args_clear (&roles);
  return ret;
}
