/* tc-backtest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-backtest"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-backtest.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"

static const double default_q[] = { 0.1, 0.5, 0.9 };

void
tc_backtest_model_for_baseline (TcBaselineSpec *spec, TcBacktestModel *model)
{
  memset (model, 0, sizeof *model);
  model->name = tc_baseline_name (spec->kind);
  model->forecast = tc_backtest_baseline_forecast;
  model->user_data = spec;
}

gboolean
tc_backtest_baseline_forecast (const TcDataset *train_view, guint series, guint cutoff, guint h,
                               const double *q, guint nq, double *out, gpointer user_data,
                               GError **error)
{
  const TcBaselineSpec *spec = user_data;
  const double *y = tc_dataset_target_row (train_view, series);
  guint m = spec->m ? spec->m : tc_frequency_season (train_view->freq);
  guint a = train_view->start[series];

  if (cutoff <= a)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, "series %s has no data before index %u",
                   train_view->series_ids[series] ? train_view->series_ids[series] : "?", cutoff);
      return FALSE;
    }
  return tc_baseline_forecast (spec->kind, y + a, cutoff - a, m, h, q, nq, out, error);
}

TcDataset *
tc_backtest_train_view (const TcDataset *ds, guint cutoff)
{
  TcDataset *v = tc_dataset_copy (ds);

  for (guint s = 0; s < v->n_series; s++)
    {
      double *y = tc_dataset_target_row (v, s);

      for (guint t = cutoff; t < v->n_times; t++)
        y[t] = NAN;
      for (guint k = 0; k < v->n_observed; k++)
        {
          double *o = tc_dataset_observed_row (v, k, s);

          for (guint t = cutoff; t < v->n_times; t++)
            o[t] = NAN;
        }
      if (v->text)
        for (guint t = cutoff; t < v->n_times; t++)
          g_clear_pointer (&v->text[(gsize) s * v->n_times + t], g_free);
      /* News after the origin is as unknown as the reviews. */
      if (v->news)
        for (guint t = cutoff; t < v->n_times; t++)
          g_clear_pointer (&v->news[(gsize) s * v->n_times + t], g_free);
    }
  tc_dataset_update_bounds (v);
  return v;
}

void
tc_backtest_result_free (TcBacktestResult *res)
{
  if (res == NULL)
    return;
  g_free (res->q);
  g_strfreev (res->model_names);
  g_strfreev (res->series_ids);
  g_free (res->cutoffs);
  g_free (res->forecasts);
  for (guint i = 0; i < res->n_models; i++)
    tc_metrics_free (res->metrics[i]);
  g_free (res->metrics);
  tc_metrics_free (res->reference);
  g_free (res->window);
  g_free (res);
}

static inline gsize
win_index (const TcBacktestResult *res, guint model, guint fold, guint series)
{
  return ((gsize) model * res->n_folds + fold) * res->n_series + series;
}

const double *
tc_backtest_result_forecast (const TcBacktestResult *res, guint model, guint fold, guint series)
{
  return res->forecasts + win_index (res, model, fold, series) * res->h * res->nq;
}

static guint
count_observed (const double *y, guint a, guint b)
{
  guint c = 0;

  for (guint t = a; t < b; t++)
    c += isfinite (y[t]);
  return c;
}

TcBacktestResult *
tc_backtest_run (const TcDataset *ds, const TcBacktestConfig *cfg, const TcBacktestModel *models,
                 guint n_models, TcProgressFunc progress, gpointer progress_data,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (TcBacktestResult) res = g_new0 (TcBacktestResult, 1);
  const double *q = cfg->q ? cfg->q : default_q;
  guint nq = cfg->q ? cfg->nq : G_N_ELEMENTS (default_q);
  guint step = cfg->step ? cfg->step : cfg->h;
  guint end = cfg->end ? cfg->end : ds->n_times;
  guint m = cfg->m ? cfg->m : tc_frequency_season (ds->freq);
  guint min_train = cfg->min_train ? cfg->min_train : MAX (m + 1, 4);
  guint done = 0, total;
  TcBaselineSpec ref_spec = { TC_BASELINE_SEASONAL_NAIVE, m };
  g_autofree double *actual = g_new (double, MAX (cfg->h, 1));
  g_autofree double *reffc = g_new (double, (gsize) MAX (cfg->h, 1) * MAX (nq, 1));

  if (cfg->h == 0 || cfg->n_folds == 0 || n_models == 0 || nq == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "backtest: horizon (%u), folds (%u), models (%u) and quantiles (%u) must be positive",
                   cfg->h, cfg->n_folds, n_models, nq);
      return NULL;
    }
  if (end > ds->n_times || (guint64) cfg->h + (guint64) (cfg->n_folds - 1) * step >= end)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "backtest: %u folds of horizon %u with step %u need more than %u time steps "
                   "before the end (%u)", cfg->n_folds, cfg->h, step,
                   cfg->h + (cfg->n_folds - 1) * step, end);
      return NULL;
    }

  res->n_models = n_models;
  res->n_folds = cfg->n_folds;
  res->n_series = ds->n_series;
  res->h = cfg->h;
  res->nq = nq;
  res->m = m;
  res->aggregate = cfg->aggregate;
  res->q = g_memdup2 (q, sizeof (double) * nq);
  res->model_names = g_new0 (char *, n_models + 1);
  for (guint i = 0; i < n_models; i++)
    res->model_names[i] = g_strdup (models[i].name ? models[i].name : "model");
  res->series_ids = g_new0 (char *, ds->n_series + 1);
  for (guint s = 0; s < ds->n_series; s++)
    res->series_ids[s] = (ds->series_ids[s] && ds->series_ids[s][0])
                           ? g_strdup (ds->series_ids[s]) : g_strdup_printf ("%u", s + 1);
  res->cutoffs = g_new (guint, cfg->n_folds);
  for (guint k = 0; k < cfg->n_folds; k++)
    res->cutoffs[k] = end - cfg->h - (cfg->n_folds - 1 - k) * step;
  res->forecasts = g_new (double, (gsize) n_models * cfg->n_folds * ds->n_series * cfg->h * nq);
  for (gsize i = 0; i < (gsize) n_models * cfg->n_folds * ds->n_series * cfg->h * nq; i++)
    res->forecasts[i] = NAN;
  res->metrics = g_new0 (TcMetrics *, n_models);
  for (guint i = 0; i < n_models; i++)
    res->metrics[i] = tc_metrics_new (cfg->h, q, nq);
  res->reference = tc_metrics_new (cfg->h, q, nq);
  res->window = g_new (guint, (gsize) (n_models + 1) * cfg->n_folds * ds->n_series);
  for (gsize i = 0; i < (gsize) (n_models + 1) * cfg->n_folds * ds->n_series; i++)
    res->window[i] = G_MAXUINT;

  total = cfg->n_folds * n_models * ds->n_series;
  for (guint k = 0; k < cfg->n_folds; k++)
    {
      guint c = res->cutoffs[k];
      g_autoptr (TcDataset) view = tc_backtest_train_view (ds, c);

      for (guint i = 0; i < n_models; i++)
        {
          const TcBacktestModel *mod = &models[i];

          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, TC_ERROR, TC_ERROR_CANCELLED, "backtest cancelled");
              return NULL;
            }
          if (mod->fit && (mod->retrain || k == 0)
              && !mod->fit (view, c, mod->user_data, cancellable, error))
            {
              g_prefix_error (error, "model %s, fold %u: ", res->model_names[i], k);
              return NULL;
            }
          for (guint s = 0; s < ds->n_series; s++)
            {
              const double *y = tc_dataset_target_row (ds, s);
              const double *yv = tc_dataset_target_row (view, s);
              double *out = res->forecasts + win_index (res, i, k, s) * cfg->h * nq;
              guint a = view->start[s];

              /* ETS on a long series takes a while: stay responsive. */
              if (g_cancellable_is_cancelled (cancellable))
                {
                  g_set_error (error, TC_ERROR, TC_ERROR_CANCELLED, "backtest cancelled");
                  return NULL;
                }
              done++;
              if (progress)
                progress (done, total, progress_data);
              if (count_observed (yv, 0, c) < min_train
                  || count_observed (y, c, MIN (c + cfg->h, ds->n_times)) == 0)
                continue;
              if (!mod->forecast (view, s, c, cfg->h, q, nq, out, mod->user_data, error))
                {
                  g_prefix_error (error, "model %s, fold %u, series %s: ", res->model_names[i], k,
                                  res->series_ids[s]);
                  return NULL;
                }
              for (guint j = 0; j < cfg->h; j++)
                actual[j] = c + j < ds->n_times ? y[c + j] : NAN;
              res->window[win_index (res, i, k, s)]
                = tc_metrics_add (res->metrics[i], yv + a, c - a, m, actual, out);
              if (i == 0)
                {
                  if (!tc_backtest_baseline_forecast (view, s, c, cfg->h, q, nq, reffc, &ref_spec,
                                                      error))
                    return NULL;
                  res->window[win_index (res, n_models, k, s)]
                    = tc_metrics_add (res->reference, yv + a, c - a, m, actual, reffc);
                }
            }
        }
    }
  return g_steal_pointer (&res);
}

/* Replays stored forecasts: (n_folds, n_series, h, nq) of one model. */
typedef struct
{
  const double *forecasts;
  const guint  *cutoffs;
  guint         n_folds, n_series;
} Replay;

static gboolean
replay_forecast (const TcDataset *train_view, guint series, guint cutoff, guint h, const double *q,
                 guint nq, double *out, gpointer user_data, GError **error)
{
  const Replay *r = user_data;

  for (guint k = 0; k < r->n_folds; k++)
    if (r->cutoffs[k] == cutoff)
      {
        memcpy (out, r->forecasts + (((gsize) k * r->n_series + series) * h) * nq, sizeof (double) * h * nq);
        return TRUE;
      }
  g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "backtest: no stored forecast from step %u", cutoff);
  return FALSE;
}

/**
 * tc_backtest_result_replay:
 * @ds: the data the backtest ran on
 * @cfg: its configuration (step and end as the cutoffs were)
 * @model_names: (array zero-terminated=1): the models, in order
 * @forecasts: (n_models, n_folds, n_series, h, nq) as in a result
 *
 * A result scored again from forecasts a backtest made: the same
 * windows, metrics and reference as tc_backtest_run gave, without
 * running a model.  For a backtest saved in a project.
 */
TcBacktestResult *
tc_backtest_result_replay (const TcDataset        *ds,
                           const TcBacktestConfig *cfg,
                           char * const           *model_names,
                           const double           *forecasts,
                           GError                **error)
{
  guint n_models = model_names ? g_strv_length ((char **) model_names) : 0;
  guint step = cfg->step ? cfg->step : cfg->h;
  guint end = cfg->end ? cfg->end : ds->n_times;
  guint nq = cfg->q ? cfg->nq : G_N_ELEMENTS (default_q);
  g_autofree guint *cutoffs = g_new (guint, MAX (cfg->n_folds, 1));
  g_autofree TcBacktestModel *models = g_new0 (TcBacktestModel, MAX (n_models, 1));
  g_autofree Replay *replays = g_new0 (Replay, MAX (n_models, 1));

  g_return_val_if_fail (ds != NULL && cfg != NULL && forecasts != NULL, NULL);
  for (guint k = 0; k < cfg->n_folds; k++)
    cutoffs[k] = end - cfg->h - (cfg->n_folds - 1 - k) * step;
  for (guint i = 0; i < n_models; i++)
    {
      replays[i] = (Replay) { forecasts + (gsize) i * cfg->n_folds * ds->n_series * cfg->h * nq,
                              cutoffs, cfg->n_folds, ds->n_series };
      models[i] = (TcBacktestModel) { model_names[i], replay_forecast, NULL, FALSE, &replays[i] };
    }
  return tc_backtest_run (ds, cfg, models, n_models, NULL, NULL, NULL, error);
}

double
tc_backtest_result_metric (const TcBacktestResult *res, guint model, TcMetricKind kind)
{
  g_return_val_if_fail (model < res->n_models, NAN);
  return tc_metrics_get (res->metrics[model], kind, res->aggregate);
}

double
tc_backtest_result_skill (const TcBacktestResult *res, guint model)
{
  g_return_val_if_fail (model < res->n_models, NAN);
  return tc_metric_skill (tc_metrics_get (res->metrics[model], TC_METRIC_MASE, res->aggregate),
                          tc_metrics_get (res->reference, TC_METRIC_MASE, res->aggregate));
}

static void
append_num (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, ',');
  if (isfinite (v))
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static void
append_header_metrics (GString *s, const TcBacktestResult *res)
{
  for (guint k = 0; k < TC_METRIC_N; k++)
    g_string_append_printf (s, ",%s", tc_metric_name (k));
  for (guint j = 0; j < res->nq; j++)
    g_string_append_printf (s, ",pinball_q%g", res->q[j]);
}

gboolean
tc_backtest_result_write_csv (const TcBacktestResult *res, const char *path, GError **error)
{
  g_autoptr (GString) s = g_string_new ("model,series,fold,cutoff");

  append_header_metrics (s, res);
  g_string_append_c (s, '\n');
  for (guint i = 0; i < res->n_models; i++)
    for (guint k = 0; k < res->n_folds; k++)
      for (guint ser = 0; ser < res->n_series; ser++)
        {
          guint w = res->window[win_index (res, i, k, ser)];

          if (w == G_MAXUINT)
            continue;
          tc_csv_append_field (s, res->model_names[i]);
          g_string_append_c (s, ',');
          tc_csv_append_field (s, res->series_ids[ser]);
          g_string_append_printf (s, ",%u,%u", k, res->cutoffs[k]);
          for (guint j = 0; j < TC_METRIC_N; j++)
            append_num (s, tc_metrics_window (res->metrics[i], w, j));
          for (guint j = 0; j < res->nq; j++)
            append_num (s, tc_metrics_window_pinball (res->metrics[i], w, j));
          g_string_append_c (s, '\n');
        }
  return tc_file_set_contents (path, s->str, (gssize) s->len, error);
}

gboolean
tc_backtest_result_write_summary_csv (const TcBacktestResult *res, const char *path, GError **error)
{
  g_autoptr (GString) s = g_string_new ("model,windows");

  append_header_metrics (s, res);
  g_string_append (s, ",skill_vs_snaive,skill_words\n");
  for (guint i = 0; i < res->n_models; i++)
    {
      g_autofree char *words = tc_metric_skill_phrase (tc_backtest_result_skill (res, i), NULL);

      tc_csv_append_field (s, res->model_names[i]);
      g_string_append_printf (s, ",%u", tc_metrics_n_windows (res->metrics[i]));
      for (guint j = 0; j < TC_METRIC_N; j++)
        append_num (s, tc_backtest_result_metric (res, i, j));
      for (guint j = 0; j < res->nq; j++)
        append_num (s, tc_metrics_get_pinball (res->metrics[i], j, res->aggregate));
      append_num (s, tc_backtest_result_skill (res, i));
      g_string_append_c (s, ',');
      tc_csv_append_field (s, words);
      g_string_append_c (s, '\n');
    }
  return tc_file_set_contents (path, s->str, (gssize) s->len, error);
}

static void
add_num (JsonBuilder *b, const char *name, double v)
{
  if (name)
    json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

JsonNode *
tc_backtest_result_to_json (const TcBacktestResult *res)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "config");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "horizon");
  json_builder_add_int_value (b, res->h);
  json_builder_set_member_name (b, "folds");
  json_builder_add_int_value (b, res->n_folds);
  json_builder_set_member_name (b, "season");
  json_builder_add_int_value (b, res->m);
  json_builder_set_member_name (b, "aggregate");
  json_builder_add_string_value (b, res->aggregate == TC_AGGREGATE_VOLUME ? "volume" : "mean");
  json_builder_set_member_name (b, "cutoffs");
  json_builder_begin_array (b);
  for (guint k = 0; k < res->n_folds; k++)
    json_builder_add_int_value (b, res->cutoffs[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "quantiles");
  json_builder_begin_array (b);
  for (guint j = 0; j < res->nq; j++)
    json_builder_add_double_value (b, res->q[j]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_array (b);
  for (guint i = 0; i < res->n_models; i++)
    {
      g_autofree char *words = tc_metric_skill_phrase (tc_backtest_result_skill (res, i), NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, res->model_names[i]);
      json_builder_set_member_name (b, "windows");
      json_builder_add_int_value (b, tc_metrics_n_windows (res->metrics[i]));
      for (guint j = 0; j < TC_METRIC_N; j++)
        add_num (b, tc_metric_name (j), tc_backtest_result_metric (res, i, j));
      add_num (b, "skill_vs_snaive", tc_backtest_result_skill (res, i));
      json_builder_set_member_name (b, "skill_words");
      json_builder_add_string_value (b, words);
      json_builder_set_member_name (b, "by_step");
      json_builder_begin_object (b);
      for (guint j = 0; j < TC_METRIC_DIR_ACCURACY; j++)
        {
          json_builder_set_member_name (b, tc_metric_name (j));
          json_builder_begin_array (b);
          for (guint st = 0; st < res->h; st++)
            add_num (b, NULL, tc_metrics_get_step (res->metrics[i], j, st, res->aggregate));
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "windows");
  json_builder_begin_array (b);
  for (guint i = 0; i < res->n_models; i++)
    for (guint k = 0; k < res->n_folds; k++)
      for (guint ser = 0; ser < res->n_series; ser++)
        {
          guint w = res->window[win_index (res, i, k, ser)];

          if (w == G_MAXUINT)
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, res->model_names[i]);
          json_builder_set_member_name (b, "series");
          json_builder_add_string_value (b, res->series_ids[ser]);
          json_builder_set_member_name (b, "fold");
          json_builder_add_int_value (b, k);
          for (guint j = 0; j < TC_METRIC_N; j++)
            add_num (b, tc_metric_name (j), tc_metrics_window (res->metrics[i], w, j));
          json_builder_end_object (b);
        }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
tc_backtest_result_write_json (const TcBacktestResult *res, const char *path, GError **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = tc_backtest_result_to_json (res);

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_file (gen, path, error);
}
