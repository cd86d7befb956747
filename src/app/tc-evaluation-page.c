/* tc-evaluation-page.c — the Evaluation page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtests of the chosen models and the drivers of the trained model.
 * One worker thread does both (on copies of the data and of the model,
 * so the session may change meanwhile); the main loop polls its
 * progress with one timeout, so the UI never waits on it.
 */

#define G_LOG_DOMAIN "tc-evaluation-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "tc-format.h"
#include "tc-backtest-transformer.h"
#include "tc-app-files.h"
#include "tc-app-help.h"
#include "tc-error.h"
#include "tc-app-text.h"
#include "tc-evaluation-page.h"
#include "tc-future-plan.h"
#include "tc-tsan.h"

typedef struct
{
  const char     *key;
  TcBaselineKind  kind;
  const char     *title;
  const char     *subtitle;
  gboolean        active;
} BaselineInfo;

static const BaselineInfo baselines[] = {
  { "snaive", TC_BASELINE_SEASONAL_NAIVE, N_("Seasonal naive"), N_("Repeats the last season"), TRUE },
  { "naive", TC_BASELINE_NAIVE, N_("Naive"), N_("Repeats the last value"), TRUE },
  { "ets", TC_BASELINE_ETS, N_("Exponential smoothing (ETS)"), N_("Level, trend and season, chosen automatically"), TRUE },
  { "ma", TC_BASELINE_MOVING_AVERAGE, N_("Moving average"), N_("The mean of the last season"), FALSE },
  { "sba", TC_BASELINE_SBA, N_("Croston / SBA"), N_("For intermittent demand with many zeros"), FALSE },
  { "theta", TC_BASELINE_THETA, N_("Theta"), N_("A strong simple benchmark from the M4 competition"), TRUE },
};
#define N_BASELINES G_N_ELEMENTS (baselines)

typedef struct
{
  TcMetricKind kind;
  const char  *title;
  gboolean     percent;
  const char  *meaning;   /* what a trainee reads in the column's help */
} ColumnInfo;

static const ColumnInfo columns[] = {
  { TC_METRIC_MAE, N_("MAE"), FALSE,
    N_("Mean absolute error: by how many units the forecast missed, on average per step. Lower is better.") },
  { TC_METRIC_RMSE, N_("RMSE"), FALSE,
    N_("Root mean squared error: like MAE, but a big miss counts much more than several small ones. Lower is better.") },
  { TC_METRIC_SMAPE, N_("sMAPE"), TRUE,
    N_("Symmetric mean absolute percentage error: the typical miss as a share of sales (0 to 200 %). Lower is better; it exaggerates misses when sales are close to zero.") },
  { TC_METRIC_MASE, N_("MASE"), FALSE,
    N_("Mean absolute scaled error: the miss divided by the typical miss of “same as the period before” in the history. Below 1 beats that simple rule; lower is better. It compares well across products of any size.") },
  { TC_METRIC_WAPE, N_("WAPE"), TRUE,
    N_("Weighted absolute percentage error: all misses added up, as a share of all sales. Lower is better.") },
  { TC_METRIC_PBIAS, N_("Bias"), TRUE,
    N_("Whether the forecast runs high (positive) or low (negative) on the whole, as a share of sales. Closest to 0 is best.") },
  { TC_METRIC_COVERAGE, N_("Coverage"), TRUE,
    N_("How often what sold fell inside the forecast range. For the P10–P90 range it should be about 80 %: much less means the ranges are too narrow to plan with.") },
  { TC_METRIC_PINBALL, N_("Pinball"), FALSE,
    N_("Pinball loss: scores the whole range, not only the median, by how far each quantile missed on its wrong side. It is what the model learns to lower. Lower is better.") },
};

static const double palette[][3] = {
  { 0.21, 0.52, 0.89 }, { 0.90, 0.38, 0.00 }, { 0.18, 0.76, 0.49 }, { 0.75, 0.11, 0.16 },
  { 0.57, 0.25, 0.67 }, { 0.39, 0.27, 0.17 }, { 0.96, 0.76, 0.07 },
};

/* Everything the worker needs and produces; progress under @lock. */
typedef struct
{
  TcDataset             *ds;
  TcBacktestConfig       cfg;
  TcBaselineSpec         specs[N_BASELINES];
  guint                  n_baselines;
  gboolean               transformer;
  gboolean               retrain;
  TcForecasterOptions    opts;
  TcForecaster          *model;         /* a copy of the trained model, for the drivers */
  TcBacktestTransformer *bt;

  GMutex                 lock;
  double                 fraction;
  char                  *status;
  guint                  n_models;

  TcBacktestResult      *res;
  TcExplainResult       *ex;
  char                  *explain_error;
  guint                  data_serial;   /* the page's data_serial when it started */
  /* The levers, when the session has none yet: computed here, then
   * shared through the session with the Scenarios page. */
  TcDataset             *plan;          /* resolved future plan, per-series origins */
  gboolean               want_levers;
  guint64                session_serial;
  TcLeverSet            *levers;
  char                  *levers_error;
} Job;

struct _TcEvaluationPage
{
  AdwBin             parent_instance;

  TcSession         *session;
  GSignalGroup      *session_signals;  /* the page's handlers on the session */

  /* Template widgets */
  GtkStack          *stack;
  AdwStatusPage     *empty_status;
  GtkBox            *content_box;
  GtkScrolledWindow *scroller;
  AdwExpanderRow    *baselines_row;
  GtkSpinButton     *folds_spin;
  GtkSpinButton     *horizon_spin;
  AdwActionRow      *horizon_row;
  AdwPreferencesGroup *models_group;
  AdwActionRow      *transformer_row;
  GtkCheckButton    *transformer_check;
  AdwComboRow       *retrain_row;
  GtkButton         *run_button;
  GtkButton         *cancel_button;
  GtkLabel          *status_label;
  GtkWidget         *news_data_button;  /* the way to a news file left out, under a refusal */
  GtkProgressBar    *progress_bar;
  GtkBox            *results_box;
  AdwPreferencesGroup *accuracy_group;
  GtkLabel          *headline_label;
  GtkGrid           *metrics_grid;
  GtkLabel          *skill_label;
  GtkDropDown       *step_metric_dropdown;
  GtkDrawingArea    *step_chart;
  GtkGrid           *direction_grid;
  GtkButton         *export_button;
  AdwPreferencesGroup *drivers_group;
  GtkLabel          *drivers_headline;
  GtkDrawingArea    *drivers_chart;
  GtkLabel          *drivers_label;

  GtkCheckButton    *baseline_checks[N_BASELINES];

  GCancellable      *cancellable;
  Job               *job;          /* while running; owned by the task */
  guint              tick_id;
  TcBacktestResult  *result;
  TcExplainResult   *drivers;
  TcLeverSet        *levers;
  char              *error;
  guint              data_serial;  /* bumped when the data or model changes */
};

G_DEFINE_FINAL_TYPE (TcEvaluationPage, tc_evaluation_page, ADW_TYPE_BIN)

static void update_step_chart_text (TcEvaluationPage *self);
static void update_drivers_chart_text (TcEvaluationPage *self);

enum {
  PROP_0,
  PROP_SESSION,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
job_free (Job *job)
{
  /* The task data: freed by whichever thread drops the task last. */
  TC_TSAN_ACQUIRE (job);
  tc_dataset_free (job->ds);
  tc_forecaster_free (job->model);
  tc_backtest_transformer_free (job->bt);
  g_mutex_clear (&job->lock);
  g_free (job->status);
  tc_backtest_result_free (job->res);
  tc_explain_result_free (job->ex);
  g_free (job->explain_error);
  tc_dataset_free (job->plan);
  tc_lever_set_unref (job->levers);
  g_free (job->levers_error);
  g_free (job);
}

static void
job_set_progress (Job *job, double fraction, char *status)
{
  tc_mutex_lock (&job->lock);
  job->fraction = fraction;
  g_free (job->status);
  job->status = status;
  tc_mutex_unlock (&job->lock);
}

/* ---- names in plain words ---- */

static const char *
model_title (const char *name)
{
  TcBaselineKind kind;

  if (g_strcmp0 (name, "transformer") == 0)
    return _("Transformer");
  if (tc_baseline_from_name (name, &kind))
    for (guint i = 0; i < N_BASELINES; i++)
      if (baselines[i].kind == kind)
        return _(baselines[i].title);
  return name;
}

static char *
driver_title (const TcDriverImportance *d)
{
  switch (d->kind)
    {
    case TC_DRIVER_CALENDAR:
      return g_strdup (_("Calendar (weekday, season)"));
    case TC_DRIVER_HISTORY:
      return g_strdup (_("Past sales"));
    case TC_DRIVER_TEXT:
      return g_strdup (_("Review text"));
    case TC_DRIVER_OBSERVED:
      return g_strdup_printf (_("%s (past only)"), d->name);
    case TC_DRIVER_KNOWN:
    default:
      switch (d->covariate_kind)
        {
        case TC_COVARIATE_PROMOTION:
          return g_strdup_printf (_("Promotions (%s)"), d->name);
        case TC_COVARIATE_PRICE:
        case TC_COVARIATE_LOG_PRICE:
          return g_strdup_printf (_("Price (%s)"), d->name);
        case TC_COVARIATE_DISCOUNT:
          return g_strdup_printf (_("Discounts (%s)"), d->name);
        case TC_COVARIATE_HOLIDAY:
          /* The importer names one column per holiday "holiday=NAME". */
          if (strchr (d->name, '=') != NULL)
            return g_strdup_printf (_("Holiday: %s"), strchr (d->name, '=') + 1);
          return g_strdup_printf (_("Holidays (%s)"), d->name);
        case TC_COVARIATE_OTHER:
        default:
          return g_strdup (d->name);
        }
    }
}

static char *
skill_words (double skill)
{
  if (!isfinite (skill))
    return g_strdup (_("not comparable with repeating last season"));
  if (fabs (skill) < 0.005)
    return g_strdup (_("as good as repeating last season"));
  if (skill > 0)
    return g_strdup_printf (_("%.0f %% better than repeating last season"), 100 * skill);
  return g_strdup_printf (_("%.0f %% worse than repeating last season"), -100 * skill);
}

/* ---- worker ---- */

static void
on_backtest_progress (guint done, guint total, gpointer data)
{
  Job *job = data;
  guint per_fold = MAX (job->n_models * job->ds->n_series, 1);
  guint fold = (done - 1) / per_fold;
  guint model = ((done - 1) / MAX (job->ds->n_series, 1)) % MAX (job->n_models, 1);
  double w = job->model ? 0.8 : 1.0;

  job_set_progress (job, w * done / total,
                    g_strdup_printf (_("Origin %u of %u: %s"), fold + 1, job->cfg.n_folds,
                                     model_title (model == 0 && job->transformer ? "transformer"
                                                  : tc_baseline_name (job->specs[model - (job->transformer ? 1 : 0)].kind))));
}

static void
on_train_progress (const TcTrainProgress *p, gpointer data)
{
  Job *job = data;
  guint fold = job->retrain ? tc_backtest_transformer_get_n_fits (job->bt) : 0;
  double w = job->model ? 0.8 : 1.0;
  double frac;

  if (!p->epoch_end && p->step % 10 != 0)
    return;
  /* Training dominates: count it as the bulk of its fold. */
  frac = w * (fold + (p->total_steps ? (double) p->step / p->total_steps : 0) * 0.9) / job->cfg.n_folds;
  job_set_progress (job, frac,
                    g_strdup_printf (_("Origin %u of %u: training the Transformer, epoch %u of %u"),
                                     fold + 1, job->cfg.n_folds, p->epoch, p->max_epochs));
}

static void
on_explain_progress (guint done, guint total, gpointer data)
{
  Job *job = data;

  job_set_progress (job, 0.8 + 0.2 * done / total, g_strdup (_("Measuring which drivers matter")));
}

static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  TcBacktestModel models[N_BASELINES + 1];
  guint n = 0;
  GError *error = NULL;

  /* GTask hands the job over through GLib's queues (see tc-tsan.h). */
  TC_TSAN_ACQUIRE (job);

  if (job->transformer)
    {
      job->bt = tc_backtest_transformer_new (&job->opts, job->cfg.h);
      tc_backtest_transformer_set_train_progress (job->bt, on_train_progress, job);
      tc_backtest_model_for_transformer (job->bt, job->retrain, &models[n++]);
    }
  for (guint i = 0; i < job->n_baselines; i++)
    tc_backtest_model_for_baseline (&job->specs[i], &models[n++]);
  job->n_models = n;
  job->res = tc_backtest_run (job->ds, &job->cfg, models, n, on_backtest_progress, job,
                              cancellable, &error);
  if (job->res == NULL)
    {
      TC_TSAN_RELEASE (job);
      g_task_return_error (task, error);
      return;
    }
  if (job->model)
    {
      TcForecaster *fc = job->model;

      if (!tc_forecaster_explain (fc, job->ds, NULL, &job->ex, on_explain_progress, job,
                                  cancellable, &error))
        g_clear_pointer (&job->ex, tc_explain_result_free);
      if (error && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                    || g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED)))
        {
          TC_TSAN_RELEASE (job);
          g_task_return_error (task, error);
          return;
        }
      if (error)
        {
          job->explain_error = g_strdup (error->message);
          g_clear_error (&error);
        }
      if (fc && job->want_levers)
        {
          job->levers = tc_forecaster_levers (fc, job->ds, job->plan, cancellable, &error);
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              TC_TSAN_RELEASE (job);
              g_task_return_error (task, error);
              return;
            }
          if (error)
            {
              job->levers_error = g_strdup (error->message);
              g_clear_error (&error);
            }
        }
    }
  TC_TSAN_RELEASE (job);
  g_task_return_boolean (task, TRUE);
}

/* ---- results ---- */

static void
grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell (const char *text, float xalign, gboolean header, gboolean best)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (header)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  if (best)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "accent");
    }
  if (xalign > 0.5)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static char *
format_value (double v, gboolean percent, double factor)
{
  if (!isfinite (v))
    return g_strdup ("—");
  if (percent)
    return g_strdup_printf ("%.1f" TC_PERCENT, v * factor);
  return g_strdup_printf ("%.2f", v);
}

static double
column_value (const TcBacktestResult *res, guint model, guint col, double *factor)
{
  *factor = columns[col].kind == TC_METRIC_COVERAGE ? 100 : 1;
  return tc_backtest_result_metric (res, model, columns[col].kind);
}

/* Lower is better but for bias (nearest 0) and coverage (nearest the nominal share). */
static double
column_badness (const TcBacktestResult *res, guint model, guint col)
{
  double f, v = column_value (res, model, col, &f);

  if (!isfinite (v))
    return INFINITY;
  if (columns[col].kind == TC_METRIC_PBIAS)
    return fabs (v);
  if (columns[col].kind == TC_METRIC_COVERAGE)
    return fabs (v - (res->q[res->nq - 1] - res->q[0]));
  return v;
}

static void
show_result (TcEvaluationPage *self)
{
  const TcBacktestResult *res = self->result;
  GString *skills = g_string_new (NULL);
  guint best_mase = G_MAXUINT, row;
  double best_v = INFINITY;
  gboolean have_transformer = FALSE;

  grid_clear (self->metrics_grid);
  grid_clear (self->direction_grid);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), res != NULL);
  if (res == NULL)
    {
      g_string_free (skills, TRUE);
      return;
    }

  gtk_grid_attach (self->metrics_grid, cell (_("Model"), 0, TRUE, FALSE), 0, 0, 1, 1);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_set_halign (head, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (head), cell (_(columns[c].title), 1, TRUE, FALSE));
      gtk_box_append (GTK_BOX (head), tc_app_help_button_new (_(columns[c].title), _(columns[c].meaning)));
      gtk_grid_attach (self->metrics_grid, head, c + 1, 0, 1, 1);
    }
  for (guint i = 0; i < res->n_models; i++)
    {
      GtkWidget *name = cell (model_title (res->model_names[i]), 0, FALSE, FALSE);

      have_transformer |= g_strcmp0 (res->model_names[i], "transformer") == 0;
      gtk_widget_set_hexpand (name, TRUE);
      gtk_grid_attach (self->metrics_grid, name, 0, i + 1, 1, 1);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          double f, v = column_value (res, i, c, &f);
          double bad = column_badness (res, i, c);
          gboolean best = isfinite (bad);
          g_autofree char *text = format_value (v, columns[c].percent, f);

          for (guint j = 0; j < res->n_models && best; j++)
            if (column_badness (res, j, c) < bad)
              best = FALSE;
          gtk_grid_attach (self->metrics_grid, cell (text, 1, FALSE, best && res->n_models > 1),
                           c + 1, i + 1, 1, 1);
        }
      if (tc_backtest_result_metric (res, i, TC_METRIC_MASE) < best_v)
        {
          best_v = tc_backtest_result_metric (res, i, TC_METRIC_MASE);
          best_mase = i;
        }
      {
        g_autofree char *words = skill_words (tc_backtest_result_skill (res, i));

        g_string_append_printf (skills, "%s%s: %s", skills->len ? "\n" : "",
                                model_title (res->model_names[i]), words);
      }
    }
  row = res->n_models + 1;
  if (!have_transformer && (self->session == NULL || tc_session_get_forecaster (self->session) == NULL))
    {
      GtkWidget *hint = cell (_("Train a model first"), 0, FALSE, FALSE);

      gtk_widget_add_css_class (hint, "dim-label");
      gtk_grid_attach (self->metrics_grid, cell (_("Transformer"), 0, FALSE, FALSE), 0, row, 1, 1);
      gtk_grid_attach (self->metrics_grid, hint, 1, row, G_N_ELEMENTS (columns), 1);
    }
  gtk_label_set_text (self->skill_label, skills->str);
  {
    g_autofree char *desc = g_strdup_printf (_("Over %u forecast origins of %u steps. Lower is better, except coverage: the share of sales inside the %.0f–%.0f %% forecast range, ideally %.0f %%. The best value of each column is highlighted."),
                                             res->n_folds, res->h, 100 * res->q[0], 100 * res->q[res->nq - 1],
                                             100 * (res->q[res->nq - 1] - res->q[0]));

    adw_preferences_group_set_description (self->accuracy_group, desc);
  }
  g_string_free (skills, TRUE);
  if (best_mase != G_MAXUINT)
    {
      g_autofree char *words = skill_words (tc_backtest_result_skill (res, best_mase));
      g_autofree char *text = g_strdup_printf (_("Most accurate: %s, %s"),
                                               model_title (res->model_names[best_mase]), words);

      gtk_label_set_text (self->headline_label, text);
    }
  else
    gtk_label_set_text (self->headline_label, _("No series had enough history to score"));

  {
    static const TcMetricKind dir[] = { TC_METRIC_DIR_ACCURACY, TC_METRIC_DIR_PRECISION,
                                        TC_METRIC_DIR_RECALL, TC_METRIC_DIR_F1 };
    const char *titles[] = { _("Accuracy"), _("Precision"), _("Recall"), _("F1") };

    gtk_grid_attach (self->direction_grid, cell (_("Model"), 0, TRUE, FALSE), 0, 0, 1, 1);
    for (guint c = 0; c < G_N_ELEMENTS (dir); c++)
      gtk_grid_attach (self->direction_grid, cell (titles[c], 1, TRUE, FALSE), c + 1, 0, 1, 1);
    for (guint i = 0; i < res->n_models; i++)
      {
        GtkWidget *name = cell (model_title (res->model_names[i]), 0, FALSE, FALSE);

        gtk_widget_set_hexpand (name, TRUE);
        gtk_grid_attach (self->direction_grid, name, 0, i + 1, 1, 1);
        for (guint c = 0; c < G_N_ELEMENTS (dir); c++)
          {
            g_autofree char *text = format_value (tc_backtest_result_metric (res, i, dir[c]), TRUE, 100);

            gtk_grid_attach (self->direction_grid, cell (text, 1, FALSE, FALSE), c + 1, i + 1, 1, 1);
          }
      }
  }
  update_step_chart_text (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->step_chart));
}

static void
show_drivers (TcEvaluationPage *self, const char *explain_error)
{
  const TcExplainResult *ex = self->drivers;
  GString *text = g_string_new (NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->drivers_group), ex != NULL || explain_error != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->drivers_chart)), ex != NULL);
  if (ex == NULL)
    {
      gtk_label_set_text (self->drivers_headline, explain_error ? _("The drivers could not be measured") : "");
      gtk_label_set_text (self->drivers_label, explain_error ? explain_error : "");
      g_string_free (text, TRUE);
      return;
    }
  if (ex->n_drivers > 0 && ex->drivers[0].importance >= 0.01)
    {
      g_autofree char *name = driver_title (&ex->drivers[0]);
      /* Translators: %s is an input such as “Promotions (promo)” or “Holiday: double_11”. */
      g_autofree char *head = g_strdup_printf (_("What matters most: %s. Without it, the forecast error grows by %.0f %%"),
                                               name, 100 * ex->drivers[0].importance);

      gtk_label_set_text (self->drivers_headline, head);
    }
  else
    gtk_label_set_text (self->drivers_headline, _("No single input changes the forecast much"));
  for (guint i = 1; i < ex->n_drivers; i++)
    {
      g_autofree char *name = driver_title (&ex->drivers[i]);

      if (text->len)
        g_string_append_c (text, '\n');
      if (ex->drivers[i].importance >= 0.01)
        g_string_append_printf (text, _("%s: without this input the error grows by %.0f %%"), name,
                                100 * ex->drivers[i].importance);
      else
        g_string_append_printf (text, _("%s: barely used by the model"), name);
    }
  /* The same estimates as the Scenarios page's (tc-lever.h). */
  for (guint i = 0, n = 0; self->levers && i < self->levers->n_levers; i++)
    {
      g_autofree char *line = tc_lever_describe (&self->levers->levers[i]);

      if (line == NULL)
        continue;
      if (n++ == 0)
        {
          if (text->len)
            g_string_append (text, "\n\n");
          g_string_append (text, _("What each lever does over the whole forecast, as on the Scenarios page:"));
        }
      g_string_append (text, "\n");
      g_string_append (text, line);
    }
  {
    const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
    g_autofree char *mix = ds ? tc_lever_set_describe_mix (self->levers, ds->n_series) : NULL;

    if (mix)
      {
        g_string_append (text, "\n");
        g_string_append (text, mix);
      }
  }
  gtk_label_set_text (self->drivers_label, text->str);
  g_string_free (text, TRUE);
  {
    g_autofree char *desc = g_strdup_printf (_("What the trained model relies on: each input is scrambled in turn and the growth of the forecast error is measured on the last %u periods of the data."),
                                             ex->horizon * ex->n_origins);

    if (self->levers && self->levers->n_levers > 0)
      {
        char *more = g_strconcat (desc, " ",
                                  _("What promotions and prices do is measured on the forecast of all products, exactly as the Scenarios page computes a change: both pages show the same figures."),
                                  NULL);

        g_free (desc);
        desc = more;
      }
    adw_preferences_group_set_description (self->drivers_group, desc);
  }
  gtk_drawing_area_set_content_height (self->drivers_chart, 24 + 30 * ex->n_drivers);
  update_drivers_chart_text (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->drivers_chart));
}

/* ---- the charts in words, for screen readers ---- */

static TcMetricKind
step_metric (TcEvaluationPage *self)
{
  return gtk_drop_down_get_selected (self->step_metric_dropdown) == 1 ? TC_METRIC_MASE : TC_METRIC_SMAPE;
}

/* "Transformer: sMAPE 12 % one step ahead, 18 % 14 steps ahead." per model. */
static void
update_step_chart_text (TcEvaluationPage *self)
{
  const TcBacktestResult *res = self->result;
  TcMetricKind kind = step_metric (self);
  GString *text = g_string_new (NULL);

  for (guint i = 0; res != NULL && i < res->n_models && res->h > 0; i++)
    {
      double a = tc_metrics_get_step (res->metrics[i], kind, 0, res->aggregate);
      double b = tc_metrics_get_step (res->metrics[i], kind, res->h - 1, res->aggregate);
      /* sMAPE is in per cent already, as in the table. */
      g_autofree char *va = format_value (a, kind == TC_METRIC_SMAPE, 1);
      g_autofree char *vb = format_value (b, kind == TC_METRIC_SMAPE, 1);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: one model's line of the error-by-step chart for
       * screen readers: "Transformer: sMAPE 12 % one step ahead, 18 %
       * 14 steps ahead." */
      g_string_append_printf (text, _("%s: %s %s one step ahead, %s %u steps ahead."),
                              model_title (res->model_names[i]), kind == TC_METRIC_MASE ? "MASE" : "sMAPE",
                              va, vb, res->h);
    }
  if (text->len == 0)
    g_string_append (text, _("No backtest yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->step_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Forecast error by steps ahead"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
  g_string_free (text, TRUE);
}

/* "Past sales +40 %, price +12 %, …": the bars in order. */
static void
update_drivers_chart_text (TcEvaluationPage *self)
{
  const TcExplainResult *ex = self->drivers;
  GString *text = g_string_new (NULL);

  for (guint i = 0; ex != NULL && i < ex->n_drivers; i++)
    {
      g_autofree char *name = driver_title (&ex->drivers[i]);

      g_string_append_printf (text, "%s%s +%.0f" TC_PERCENT, i ? ", " : "", name, 100 * MAX (ex->drivers[i].importance, 0));
    }
  if (text->len == 0)
    g_string_append (text, _("Not measured yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drivers_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("How much the forecast error grows without each input"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
  g_string_free (text, TRUE);
}

/* ---- charts ---- */

static void
fg_color (GtkWidget *widget, GdkRGBA *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - xalign * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_step_chart (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TcEvaluationPage *self = data;
  const TcBacktestResult *res = self->result;
  TcMetricKind kind = gtk_drop_down_get_selected (self->step_metric_dropdown) == 1 ? TC_METRIC_MASE
                                                                                     : TC_METRIC_SMAPE;
  PangoLayout *layout;
  GdkRGBA fg;
  double top = 0, left = 56, right = 120, pad = 16, bottom = 34, step;
  double plot_w, plot_h;

  if (res == NULL || res->h == 0)
    return;
  fg_color (GTK_WIDGET (area), &fg);
  for (guint i = 0; i < res->n_models; i++)
    for (guint j = 0; j < res->h; j++)
      {
        double v = tc_metrics_get_step (res->metrics[i], kind, j, res->aggregate);

        if (isfinite (v))
          top = MAX (top, v);
      }
  if (top <= 0)
    top = 1;
  {
    double raw = top / 4, mag = pow (10, floor (log10 (raw))), n = raw / mag;

    step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
    top = ceil (top / step) * step;
  }
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  for (guint i = 0; i < res->n_models; i++)
    {
      int tw, th;

      pango_layout_set_text (layout, model_title (res->model_names[i]), -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      right = MAX (right, tw + 52);
    }
  right = MIN (right, width / 3.0);
  plot_w = width - left - right;
  plot_h = height - pad - bottom;
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= top + step / 2; v += step)
    {
      double y = pad + plot_h * (1 - v / top);
      g_autofree char *t = kind == TC_METRIC_SMAPE ? g_strdup_printf ("%g" TC_PERCENT, v) : g_strdup_printf ("%g", v);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_move_to (cr, left, round (y) + 0.5);
      cairo_line_to (cr, left + plot_w, round (y) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      draw_text (cr, layout, t, left - 8, y, 1);
    }
  for (guint j = 0; j < res->h; j++)
    {
      double x = left + (res->h > 1 ? plot_w * j / (res->h - 1) : plot_w / 2);
      guint every = MAX (1, res->h / 8);

      if (j % every == 0 || j == res->h - 1)
        {
          g_autofree char *t = g_strdup_printf ("%u", j + 1);

          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
          draw_text (cr, layout, t, x, pad + plot_h + 12, 0.5);
        }
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
  draw_text (cr, layout, _("steps ahead"), left + plot_w / 2, height - 8, 0.5);
  for (guint i = 0; i < res->n_models; i++)
    {
      const double *c = palette[i % G_N_ELEMENTS (palette)];
      gboolean pen = FALSE;

      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_set_line_width (cr, g_strcmp0 (res->model_names[i], "transformer") == 0 ? 3 : 2);
      for (guint j = 0; j < res->h; j++)
        {
          double v = tc_metrics_get_step (res->metrics[i], kind, j, res->aggregate);
          double x = left + (res->h > 1 ? plot_w * j / (res->h - 1) : plot_w / 2);

          if (!isfinite (v))
            {
              pen = FALSE;
              continue;
            }
          if (pen)
            cairo_line_to (cr, x, pad + plot_h * (1 - v / top));
          else
            cairo_move_to (cr, x, pad + plot_h * (1 - v / top));
          pen = TRUE;
        }
      cairo_stroke (cr);
      /* Legend on the right. */
      cairo_rectangle (cr, width - right + 16, pad + 4 + 22 * i, 14, 4);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      draw_text (cr, layout, model_title (res->model_names[i]), width - right + 36, pad + 6 + 22 * i, 0);
    }
  g_object_unref (layout);
}

static void
draw_drivers_chart (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TcEvaluationPage *self = data;
  const TcExplainResult *ex = self->drivers;
  PangoLayout *layout;
  GdkRGBA fg;
  double label_w = 220, value_w = 70, top = 0.01, row = 30, y0 = 12;

  if (ex == NULL)
    return;
  fg_color (GTK_WIDGET (area), &fg);
  for (guint i = 0; i < ex->n_drivers; i++)
    top = MAX (top, ex->drivers[i].importance);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  label_w = 0;
  for (guint i = 0; i < ex->n_drivers; i++)
    {
      g_autofree char *name = driver_title (&ex->drivers[i]);
      int tw, th;

      pango_layout_set_text (layout, name, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      label_w = MAX (label_w, tw + 24);
    }
  label_w = MIN (label_w, width / 2.0);
  for (guint i = 0; i < ex->n_drivers; i++)
    {
      const TcDriverImportance *d = &ex->drivers[i];
      g_autofree char *name = driver_title (d);
      g_autofree char *value = g_strdup_printf ("+%.0f" TC_PERCENT, 100 * MAX (d->importance, 0));
      double y = y0 + row * i + row / 2;
      double w = MAX (d->importance, 0) / top * (width - label_w - value_w - 24);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      draw_text (cr, layout, name, label_w - 8, y, 1);
      if (i == 0)
        cairo_set_source_rgb (cr, palette[0][0], palette[0][1], palette[0][2]);
      else
        cairo_set_source_rgba (cr, palette[0][0], palette[0][1], palette[0][2], 0.55);
      cairo_rectangle (cr, label_w, y - 9, MAX (w, 2), 18);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      draw_text (cr, layout, value, label_w + MAX (w, 2) + 8, y, 0);
    }
  g_object_unref (layout);
}

/* ---- running ---- */

static void
set_running (TcEvaluationPage *self, gboolean running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->models_group), !running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
tick (gpointer data)
{
  TcEvaluationPage *self = data;
  Job *job = self->job;

  if (job == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  tc_mutex_lock (&job->lock);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (job->fraction, 0, 1));
  if (job->status)
    gtk_label_set_text (self->status_label, job->status);
  tc_mutex_unlock (&job->lock);
  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TcEvaluationPage) self = data;   /* see the g_task_new () */
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean finished = FALSE;

  TC_TSAN_ACQUIRE (job);
  self->job = NULL;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  if (self->session == NULL)   /* disposed meanwhile */
    return;
  g_clear_pointer (&self->error, g_free);
  if (job->data_serial != self->data_serial)
    {
      /* The data or the model changed while it ran: the numbers are
       * about something the user no longer looks at. */
      g_task_propagate_boolean (G_TASK (result), NULL);
      self->error = g_strdup (_("The data changed while the backtest ran"));
      gtk_label_set_text (self->status_label, "");
    }
  else if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gboolean cancelled = g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED)
                           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      self->error = g_strdup (error->message);
      gtk_label_set_text (self->status_label, cancelled ? _("Cancelled") : error->message);
    }
  else
    {
      g_autofree char *status = NULL;

      g_clear_pointer (&self->result, tc_backtest_result_free);
      g_clear_pointer (&self->drivers, tc_explain_result_free);
      self->result = g_steal_pointer (&job->res);
      self->drivers = g_steal_pointer (&job->ex);
      /* One estimate per lever: the session keeps the first one made,
       * by this page or the Scenarios page. */
      if (job->levers)
        tc_session_set_levers (self->session, job->session_serial, job->levers);
      g_clear_pointer (&self->levers, tc_lever_set_unref);
      if (tc_session_get_levers (self->session))
        self->levers = tc_lever_set_ref (tc_session_get_levers (self->session));
      else if (job->levers)
        self->levers = tc_lever_set_ref (job->levers);
      if (job->levers_error)
        g_warning ("Could not estimate the levers: %s", job->levers_error);
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scored %u forecast window per model",
                                             "Scored %u forecast windows per model",
                                             tc_metrics_n_windows (self->result->metrics[0])),
                                tc_metrics_n_windows (self->result->metrics[0]));
      gtk_label_set_text (self->status_label, status);
      show_result (self);
      show_drivers (self, job->explain_error);
      finished = TRUE;
    }
  /* The last look at the job here: the worker may free it next. */
  TC_TSAN_RELEASE (job);
  set_running (self, FALSE);
  if (finished)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

void
tc_evaluation_page_get_config (TcEvaluationPage *self, TcBacktestConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->h = gtk_spin_button_get_value_as_int (self->horizon_spin);
  cfg->n_folds = gtk_spin_button_get_value_as_int (self->folds_spin);
}

void
tc_evaluation_page_run (TcEvaluationPage *self)
{
  const TcDataset *ds;
  TcForecaster *fc;
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_return_if_fail (TC_IS_EVALUATION_PAGE (self));
  if (self->job != NULL || self->session == NULL
      || (ds = tc_session_get_dataset (self->session)) == NULL)
    return;
  fc = tc_session_get_forecaster (self->session);

  job = g_new0 (Job, 1);
  g_mutex_init (&job->lock);
  tc_evaluation_page_get_config (self, &job->cfg);
  for (guint i = 0; i < N_BASELINES; i++)
    if (gtk_check_button_get_active (self->baseline_checks[i]))
      job->specs[job->n_baselines++] = (TcBaselineSpec) { baselines[i].kind, 0 };
  job->transformer = fc != NULL && gtk_check_button_get_active (self->transformer_check);
  job->retrain = adw_combo_row_get_selected (self->retrain_row) == 0;
  gtk_widget_set_visible (self->news_data_button, FALSE);
  {
    g_autoptr (GError) error = NULL;

    /* The Transformer's folds would each meet the feature cube's general
     * refusal; say which file is missing, and where to locate it.  The
     * baselines alone can still run with the Transformer unticked. */
    if (job->transformer && !tc_session_check_news (self->session, &error))
      {
        gtk_label_set_text (self->status_label, error->message);
        gtk_widget_set_visible (self->news_data_button, TRUE);
        job_free (job);
        return;
      }
  }
  if (fc)
    {
      /* The trained model's settings, never its weights: they have seen
       * the windows the backtest scores.  The weights go to a copy that
       * only the drivers use, so the other pages keep theirs. */
      job->opts = *tc_forecaster_get_options (fc);
      job->model = tc_forecaster_dup (fc);
      job->session_serial = tc_session_get_serial (self->session);
      job->want_levers = tc_session_get_levers (self->session) == NULL;
      if (job->want_levers)
        job->plan = tc_future_plan_resolve_full (fc, ds, tc_session_get_future (self->session),
                                                 TC_ORIGIN_PER_SERIES, NULL);
    }
  if (!job->transformer && job->n_baselines == 0)
    {
      gtk_label_set_text (self->status_label, _("Choose at least one model"));
      job_free (job);
      return;
    }
  if ((guint64) job->cfg.h * job->cfg.n_folds >= ds->n_times)
    {
      g_autofree char *msg = g_strdup_printf (_("The data has %u dates: too few for %u origins of %u steps"),
                                              ds->n_times, job->cfg.n_folds, job->cfg.h);

      gtk_label_set_text (self->status_label, msg);
      job_free (job);
      return;
    }
  job->ds = tc_dataset_copy (ds);
  job->data_serial = self->data_serial;
  job->status = g_strdup (_("Starting…"));

  self->cancellable = g_cancellable_new ();
  self->job = job;
  /* The page is the callback's data, not the task's source object:
   * the worker thread may drop the task last, and the page with it,
   * which must not be finalized outside the main thread. */
  task = g_task_new (NULL, self->cancellable, run_done, g_object_ref (self));
  g_task_set_source_tag (task, tc_evaluation_page_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* Before the worker starts: from then on job->status belongs to it
   * and to tick (), under job->lock, and may be freed at any time. */
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->status_label, job->status);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, run_thread);
  self->tick_id = g_timeout_add (100, tick, self);
  set_running (self, TRUE);
}

void
tc_evaluation_page_cancel (TcEvaluationPage *self)
{
  g_return_if_fail (TC_IS_EVALUATION_PAGE (self));
  g_cancellable_cancel (self->cancellable);
}

gboolean
tc_evaluation_page_get_running (TcEvaluationPage *self)
{
  g_return_val_if_fail (TC_IS_EVALUATION_PAGE (self), FALSE);
  return self->job != NULL;
}

/**
 * tc_evaluation_page_restore:
 * @res: (transfer full): a backtest, as a project brings it back
 * @drivers: (transfer full) (nullable): its drivers
 *
 * Shows a backtest made earlier as if it had just run: the table, the
 * charts and the drivers.  What the levers do is measured again by the
 * next run, as after any new model.
 */
void
tc_evaluation_page_restore (TcEvaluationPage *self,
                            TcBacktestResult *res,
                            TcExplainResult  *drivers)
{
  g_autofree char *status = NULL;

  g_return_if_fail (TC_IS_EVALUATION_PAGE (self));
  g_return_if_fail (res != NULL && res->n_models > 0);

  tc_evaluation_page_cancel (self);
  g_clear_pointer (&self->result, tc_backtest_result_free);
  g_clear_pointer (&self->drivers, tc_explain_result_free);
  g_clear_pointer (&self->error, g_free);
  self->result = res;
  self->drivers = drivers;
  gtk_spin_button_set_value (self->horizon_spin, res->h);
  gtk_spin_button_set_value (self->folds_spin, res->n_folds);
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scored %u forecast window per model",
                                         "Scored %u forecast windows per model",
                                         tc_metrics_n_windows (res->metrics[0])),
                            tc_metrics_n_windows (res->metrics[0]));
  gtk_label_set_text (self->status_label, status);
  show_result (self);
  show_drivers (self, NULL);
}

const TcBacktestResult *
tc_evaluation_page_get_result (TcEvaluationPage *self)
{
  return self->result;
}

const TcExplainResult *
tc_evaluation_page_get_drivers (TcEvaluationPage *self)
{
  return self->drivers;
}

const char *
tc_evaluation_page_get_error (TcEvaluationPage *self)
{
  return self->error;
}

char *
tc_evaluation_page_dup_cell (TcEvaluationPage *self, guint row, guint column)
{
  GtkWidget *w = gtk_grid_get_child_at (self->metrics_grid, column, row);

  return GTK_IS_LABEL (w) ? g_strdup (gtk_label_get_text (GTK_LABEL (w))) : NULL;
}

void
tc_evaluation_page_set_model_enabled (TcEvaluationPage *self, const char *name, gboolean enabled)
{
  if (g_strcmp0 (name, "transformer") == 0)
    {
      gtk_check_button_set_active (self->transformer_check, enabled);
      return;
    }
  for (guint i = 0; i < N_BASELINES; i++)
    if (g_strcmp0 (baselines[i].key, name) == 0)
      gtk_check_button_set_active (self->baseline_checks[i], enabled);
}

gboolean
tc_evaluation_page_export_csv (TcEvaluationPage *self, const char *path, GError **error)
{
  if (self->result == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("Run a backtest first"));
      return FALSE;
    }
  return tc_backtest_result_write_summary_csv (self->result, path, error);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  TcEvaluationPage *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path && tc_evaluation_page_export_csv (self, path, &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          /* TRANSLATORS: a toast, %s is a file name. */
          g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), base);

          tc_app_toast_saved (GTK_WIDGET (self), file, msg);
        }
      else if (path)
        gtk_label_set_text (self->status_label, error->message);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_export_clicked (TcEvaluationPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Backtest"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "backtest.csv");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- session ---- */

static void
update_baselines_subtitle (TcEvaluationPage *self)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < N_BASELINES; i++)
    if (self->baseline_checks[i] && gtk_check_button_get_active (self->baseline_checks[i]))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", _(baselines[i].title));
  adw_expander_row_set_subtitle (self->baselines_row, s->len ? s->str : _("None"));
}

static guint
default_horizon (TcEvaluationPage *self, const TcDataset *ds)
{
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);

  if (fc)
    return tc_forecaster_get_options (fc)->horizon;
  if (o->horizon)
    return o->horizon;
  switch (ds->freq)
    {
    case TC_FREQ_HOURLY: return 24;
    case TC_FREQ_DAILY: return 14;
    case TC_FREQ_WEEKLY: return 8;
    case TC_FREQ_MONTHLY: return 6;
    case TC_FREQ_QUARTERLY: return 4;
    case TC_FREQ_YEARLY: return 2;
    case TC_FREQ_UNKNOWN:
    default: return 4;
    }
}

static void
update_model_rows (TcEvaluationPage *self)
{
  TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->transformer_check), fc != NULL);
  gtk_check_button_set_active (self->transformer_check, fc != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retrain_row), fc != NULL);
  if (fc)
    {
      const TcForecasterOptions *o = tc_forecaster_get_options (fc);
      g_autofree char *sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "The trained model’s settings (%s, up to %u epoch), trained again on the sales before the origins",
                                                           "The trained model’s settings (%s, up to %u epochs), trained again on the sales before the origins",
                                                           o->max_epochs),
                                              tc_app_preset_label (o->preset), o->max_epochs);

      adw_action_row_set_subtitle (self->transformer_row, sub);
    }
  else
    adw_action_row_set_subtitle (self->transformer_row, _("Train a model first"));
}

static void
on_dataset_changed (TcEvaluationPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;

  tc_evaluation_page_cancel (self);
  self->data_serial++;
  g_clear_pointer (&self->result, tc_backtest_result_free);
  g_clear_pointer (&self->drivers, tc_explain_result_free);
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  show_result (self);
  show_drivers (self, NULL);
  gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (self->news_data_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, ds ? "content" : "empty");
  if (ds)
    {
      gtk_spin_button_set_range (self->horizon_spin, 1, MAX (1, MIN (366, ds->n_times / 2)));
      gtk_spin_button_set_value (self->horizon_spin, default_horizon (self, ds));
    }
  update_model_rows (self);
}

/* The lever estimates belong to one model and one future plan: once
 * the session drops them they are not shown any more (the next run
 * measures them again). */
static void
on_plan_changed (TcEvaluationPage *self)
{
  if (self->levers == NULL || self->levers == tc_session_get_levers (self->session))
    return;
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  if (self->drivers)
    show_drivers (self, NULL);
}

static void
on_forecaster_changed (TcEvaluationPage *self)
{
  const TcDataset *ds = tc_session_get_dataset (self->session);

  /* A run in progress measures the drivers of the old model. */
  if (self->job)
    {
      tc_evaluation_page_cancel (self);
      self->data_serial++;
    }
  update_model_rows (self);
  if (ds && tc_session_get_forecaster (self->session))
    gtk_spin_button_set_value (self->horizon_spin, default_horizon (self, ds));
  on_plan_changed (self);
}

/* ---- GObject ---- */

static void
tc_evaluation_page_dispose (GObject *object)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  tc_evaluation_page_set_session (self, NULL);
  g_clear_object (&self->session_signals);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_evaluation_page_parent_class)->dispose (object);
}

static void
tc_evaluation_page_finalize (GObject *object)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  g_clear_object (&self->cancellable);
  tc_backtest_result_free (self->result);
  tc_explain_result_free (self->drivers);
  tc_lever_set_unref (self->levers);
  g_free (self->error);

  G_OBJECT_CLASS (tc_evaluation_page_parent_class)->finalize (object);
}

static void
tc_evaluation_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->job != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_evaluation_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_evaluation_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_evaluation_page_class_init (TcEvaluationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_evaluation_page_dispose;
  object_class->finalize = tc_evaluation_page_finalize;
  object_class->get_property = tc_evaluation_page_get_property;
  object_class->set_property = tc_evaluation_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /**
   * TcEvaluationPage::finished:
   *
   * A backtest run by the user has finished with a result: new work a
   * project saves.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-evaluation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, baselines_row);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, folds_spin);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, horizon_spin);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, horizon_row);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, transformer_row);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, transformer_check);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, retrain_row);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, news_data_button);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, accuracy_group);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, metrics_grid);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, skill_label);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, step_metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, step_chart);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, direction_grid);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, drivers_group);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, drivers_headline);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, drivers_chart);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, drivers_label);
}

static void
tc_evaluation_page_init (TcEvaluationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (on_dataset_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (on_forecaster_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::future", G_CALLBACK (on_plan_changed), self);

  for (guint i = 0; i < N_BASELINES; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), baselines[i].active);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(baselines[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(baselines[i].subtitle));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->baselines_row, row);
      self->baseline_checks[i] = GTK_CHECK_BUTTON (check);
      g_signal_connect_swapped (check, "notify::active", G_CALLBACK (update_baselines_subtitle), self);
    }
  update_baselines_subtitle (self);
  gtk_drawing_area_set_draw_func (self->step_chart, draw_step_chart, self, NULL);
  gtk_drawing_area_set_draw_func (self->drivers_chart, draw_drivers_chart, self, NULL);
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (tc_evaluation_page_run), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (tc_evaluation_page_cancel), self);
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect_swapped (self->step_metric_dropdown, "notify::selected",
                            G_CALLBACK (gtk_widget_queue_draw), self->step_chart);
  g_signal_connect_swapped (self->step_metric_dropdown, "notify::selected",
                            G_CALLBACK (update_step_chart_text), self);
  update_step_chart_text (self);
  update_drivers_chart_text (self);
  update_model_rows (self);
}

TcSession *
tc_evaluation_page_get_session (TcEvaluationPage *self)
{
  g_return_val_if_fail (TC_IS_EVALUATION_PAGE (self), NULL);
  return self->session;
}

void
tc_evaluation_page_set_session (TcEvaluationPage *self,
                               TcSession *session)
{
  g_return_if_fail (TC_IS_EVALUATION_PAGE (self));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session)
    on_dataset_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
