/* tc-cli-backtest.c — trendcast-cli backtest: rolling-origin accuracy of the baselines and the Transformer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-backtest"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-backtest.h"
#include "tc-backtest-transformer.h"
#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-error.h"
#include "tc-import.h"

static char **
split_list (const char *s)
{
  char **v;

  if (s == NULL)
    return NULL;
  v = g_strsplit (s, ",", -1);
  for (guint i = 0; v[i]; i++)
    g_strstrip (v[i]);
  return v;
}

static void
print_table (const TcBacktestResult *res)
{
  printf ("Folds: %u, horizon %u, cutoffs", res->n_folds, res->h);
  for (guint k = 0; k < res->n_folds; k++)
    printf (" %u", res->cutoffs[k]);
  printf (", season %u, aggregate %s\n\n", res->m,
          res->aggregate == TC_AGGREGATE_VOLUME ? "volume-weighted" : "mean over series");
  printf ("%-12s %7s %7s %7s %7s %7s %8s %7s %6s  %s\n", "model", "windows", "MASE", "RMSSE", "sMAPE",
          "WAPE", "bias%", "cover", "dir", "against seasonal naive (MASE)");
  for (guint i = 0; i < res->n_models; i++)
    {
      g_autofree char *words = tc_metric_skill_phrase (tc_backtest_result_skill (res, i), NULL);

      printf ("%-12s %7u %7.3f %7.3f %7.2f %7.2f %8.2f %7.3f %6.3f  %s\n", res->model_names[i],
              tc_metrics_n_windows (res->metrics[i]),
              tc_backtest_result_metric (res, i, TC_METRIC_MASE),
              tc_backtest_result_metric (res, i, TC_METRIC_RMSSE),
              tc_backtest_result_metric (res, i, TC_METRIC_SMAPE),
              tc_backtest_result_metric (res, i, TC_METRIC_WAPE),
              tc_backtest_result_metric (res, i, TC_METRIC_PBIAS),
              tc_backtest_result_metric (res, i, TC_METRIC_COVERAGE),
              tc_backtest_result_metric (res, i, TC_METRIC_DIR_ACCURACY), words);
    }
}

static void
on_train_progress (const TcTrainProgress *p, gpointer user_data)
{
  if (p->epoch_end)
    g_printerr ("transformer: epoch %u/%u, validation loss %.4f (best %.4f at epoch %u), %.1f s\n",
                p->epoch, p->max_epochs, p->val_loss, p->best_val_loss, p->best_epoch, p->elapsed_s);
  else if (p->event)
    g_printerr ("transformer: %s\n", p->event);
}

int
tc_cli_backtest (int argc, char **argv)
{
  g_auto (TcCliRoleArgs) roles = { 0 };
  g_autofree char *models_s = NULL;
  g_autofree char *output = NULL, *summary = NULL, *aggregate = NULL;
  g_autofree char *preset = NULL, *retrain = NULL, *model_file = NULL;
  gboolean json = FALSE, quiet = FALSE;
  int horizon = 0, folds = 3, step = 0, season = 0;
  int max_epochs = 0, context = 0, patch = 0, d_model = 0, heads = 0, layers = 0, d_ff = 0;
  int text_dim = -1;
  int batch = 0, spe = 0, patience = 0, threads = 0;
  double lr = 0;
  gint64 seed = 42;
  gboolean retrain_per_fold = TRUE;
  int transformer_index = -1;
  g_autoptr (TcBacktestTransformer) bt = NULL;
  GOptionEntry entries[] = {
    { "horizon", 'H', 0, G_OPTION_ARG_INT, &horizon, N_("Steps to forecast (required)"), "H" },
    { "folds", 'k', 0, G_OPTION_ARG_INT, &folds, N_("Number of forecast origins (default 3)"), "K" },
    { "step", 0, 0, G_OPTION_ARG_INT, &step, N_("Steps between origins (default: the horizon)"), "S" },
    { "season", 0, 0, G_OPTION_ARG_INT, &season, N_("Seasonal period (default: from the frequency)"), "M" },
    { "models", 0, 0, G_OPTION_ARG_STRING, &models_s,
      N_("transformer, naive, snaive, naive2, ma, ets, ses, croston, sba, theta (default snaive,naive,ets,theta)"), "M,.." },
    { "retrain", 0, 0, G_OPTION_ARG_STRING, &retrain,
      N_("Transformer: per-fold (default: train on every fold) or reuse (train on the first fold only)"), "MODE" },
    { "settings-from", 0, 0, G_OPTION_ARG_FILENAME, &model_file,
      N_("Transformer: train with the settings of this model (.tcm); its weights are not used, they have seen the test windows"), "MODEL" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Transformer size: small (default), medium, large"), "NAME" },
    { "context", 0, 0, G_OPTION_ARG_INT, &context, N_("Transformer: past steps the model sees"), "L" },
    { "patch", 0, 0, G_OPTION_ARG_INT, &patch, N_("Transformer: steps per token"), "P" },
    { "d-model", 0, 0, G_OPTION_ARG_INT, &d_model, N_("Transformer: width of the model"), "N" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &heads, N_("Transformer: attention heads"), "N" },
    { "layers", 0, 0, G_OPTION_ARG_INT, &layers, N_("Transformer: layers"), "N" },
    { "d-ff", 0, 0, G_OPTION_ARG_INT, &d_ff, N_("Transformer: width of the feed-forward layers"), "N" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, N_("Transformer: peak learning rate"), "LR" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Transformer: windows per step"), "N" },
    { "max-epochs", 0, 0, G_OPTION_ARG_INT, &max_epochs, N_("Transformer: most epochs per training"), "N" },
    { "patience", 0, 0, G_OPTION_ARG_INT, &patience, N_("Transformer: epochs without improvement before stopping"), "N" },
    { "steps-per-epoch", 0, 0, G_OPTION_ARG_INT, &spe, N_("Transformer: steps per epoch"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Transformer: random seed (default 42)"), "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Transformer: threads (default: all cores)"), "N" },
    { "text-dim", 0, 0, G_OPTION_ARG_INT, &text_dim, N_("Transformer: width of the learnt review-text signal (default 4 with --text-col, else 0: text ignored)"), "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No training progress on stderr"), NULL },
    { "aggregate", 0, 0, G_OPTION_ARG_STRING, &aggregate, N_("mean (default) or volume"), "A" },
    { "summary", 0, 0, G_OPTION_ARG_FILENAME, &summary, N_("Write the models x metrics table as CSV"), "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write per model, fold and series metrics as CSV"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print everything as JSON instead of the table"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (_("FILE — score baselines with a rolling-origin backtest"));
  g_autoptr (GError) error = NULL;
  g_autoptr (TcImportReport) report = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (TcBacktestResult) res = NULL;
  g_auto (GStrv) names = NULL;
  g_autofree TcBaselineSpec *specs = NULL;
  g_autofree TcBacktestModel *models = NULL;
  TcBacktestConfig cfg = { 0 };
  TcImportOptions opts;
  guint n_models;
  int rc = TC_CLI_EXIT_OK;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (ctx, tc_cli_role_option_group (&roles));
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr ("trendcast-cli: backtest needs exactly one FILE\n");
      return TC_CLI_EXIT_USAGE;
    }
  if (max_epochs < 0 || context < 0 || patch < 0 || d_model < 0 || heads < 0 || layers < 0
      || d_ff < 0 || batch < 0 || spe < 0 || patience < 0 || threads < 0 || seed < 0 || lr < 0)
    {
      g_printerr ("trendcast-cli: the Transformer options must not be negative\n");
      return TC_CLI_EXIT_USAGE;
    }
  if (retrain && strcmp (retrain, "reuse") == 0)
    retrain_per_fold = FALSE;
  else if (retrain && strcmp (retrain, "per-fold") != 0)
    {
      g_printerr ("trendcast-cli: --retrain: found “%s”, expected per-fold or reuse\n", retrain);
      return TC_CLI_EXIT_USAGE;
    }
  if (horizon <= 0 || folds <= 0 || step < 0 || season < 0)
    {
      g_printerr ("trendcast-cli: --horizon and --folds must be positive (found %d and %d), "
                  "--step and --season not negative\n", horizon, folds);
      return TC_CLI_EXIT_USAGE;
    }
  names = split_list (models_s ? models_s : "snaive,naive,ets,theta");
  n_models = g_strv_length (names);
  specs = g_new0 (TcBaselineSpec, MAX (n_models, 1));
  models = g_new0 (TcBacktestModel, MAX (n_models, 1));
  for (guint i = 0; i < n_models; i++)
    {
      if (strcmp (names[i], "transformer") == 0)
        {
          if (transformer_index >= 0)
            {
              g_printerr ("trendcast-cli: --models: “transformer” is listed twice\n");
              return TC_CLI_EXIT_USAGE;
            }
          transformer_index = i;
          continue;
        }
      if (!tc_baseline_from_name (names[i], &specs[i].kind))
        {
          g_printerr ("trendcast-cli: --models: found “%s”, expected transformer, naive, snaive, naive2, "
                      "ma, ets, ses, croston, sba or theta\n", names[i]);
          return TC_CLI_EXIT_USAGE;
        }
      specs[i].m = season;
      tc_backtest_model_for_baseline (&specs[i], &models[i]);
    }
  if (n_models == 0)
    {
      g_printerr ("trendcast-cli: --models is empty\n");
      return TC_CLI_EXIT_USAGE;
    }
  if (aggregate && strcmp (aggregate, "volume") == 0)
    cfg.aggregate = TC_AGGREGATE_VOLUME;
  else if (aggregate && strcmp (aggregate, "mean") != 0)
    {
      g_printerr ("trendcast-cli: --aggregate: found “%s”, expected mean or volume\n", aggregate);
      return TC_CLI_EXIT_USAGE;
    }

  tc_import_options_init (&opts);
  if (!tc_cli_role_args_apply (&roles, &opts, &error))
    {
      tc_cli_print_error (error);
      rc = TC_CLI_EXIT_USAGE;
    }
  if (rc == TC_CLI_EXIT_OK)
    {
      ds = tc_import_file (argv[1], &opts, &report, NULL, &error);
      if (ds == NULL)
        {
          tc_cli_print_error (error);
          rc = g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
        }
    }
  tc_import_options_clear (&opts);
  if (rc != TC_CLI_EXIT_OK)
    return rc;

  if (transformer_index >= 0)
    {
      TcForecasterOptions o;

      if (model_file)
        {
          g_autoptr (TcForecaster) trained = tc_forecaster_load (model_file, &error);

          if (trained == NULL)
            {
              tc_cli_print_error (error);
              return TC_CLI_EXIT_DATA;
            }
          o = *tc_forecaster_get_options (trained);
        }
      else
        {
          tc_forecaster_options_init (&o);
          if (preset)
            {
              int p = tc_preset_from_string (preset);

              if (p < 0 || p == TC_PRESET_CUSTOM)
                {
                  g_printerr ("trendcast-cli: --preset: found “%s”, expected small, medium or large\n", preset);
                  return TC_CLI_EXIT_USAGE;
                }
              o.preset = p;
            }
          if (d_model || heads || layers || d_ff)
            o.preset = TC_PRESET_CUSTOM;
          o.context = context;
          o.patch = patch;
          o.d_model = d_model;
          o.n_heads = heads;
          o.n_layers = layers;
          o.d_ff = d_ff;
          o.lr = lr;
          o.batch = batch;
          o.max_epochs = max_epochs;
          o.patience = patience;
          o.steps_per_epoch = spe;
        }
      o.seed = seed;
      o.threads = threads;
      if (max_epochs)
        o.max_epochs = max_epochs;
      /* Naming the text column asks for it to be used. */
      if (text_dim >= 0)
        o.text_dim = text_dim;
      else if (roles.text_col || roles.news)
        o.text_dim = 4;
      bt = tc_backtest_transformer_new (&o, horizon);
      if (!quiet)
        tc_backtest_transformer_set_train_progress (bt, on_train_progress, NULL);
      tc_backtest_model_for_transformer (bt, retrain_per_fold, &models[transformer_index]);
    }

  cfg.h = horizon;
  cfg.n_folds = folds;
  cfg.step = step;
  cfg.m = season;
  res = tc_backtest_run (ds, &cfg, models, n_models, NULL, NULL, NULL, &error);
  if (res == NULL)
    {
      tc_cli_print_error (error);
      return g_error_matches (error, TC_ERROR, TC_ERROR_INVALID_ARG) ? TC_CLI_EXIT_USAGE : TC_CLI_EXIT_DATA;
    }
  if ((output && !tc_backtest_result_write_csv (res, output, &error))
      || (summary && !tc_backtest_result_write_summary_csv (res, summary, &error)))
    {
      tc_cli_print_error (error);
      return TC_CLI_EXIT_DATA;
    }
  if (json)
    {
      g_autoptr (JsonNode) root = tc_backtest_result_to_json (res);
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  else
    print_table (res);
  return TC_CLI_EXIT_OK;
}
