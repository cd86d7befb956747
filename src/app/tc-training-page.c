/* tc-training-page.c — the Training page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Watches a TcTrainer: one throttled update at a time moves the progress
 * bar, every finished epoch adds a point to the loss curves and a line
 * to the log.  The trainer owns the thread; this page only decides what
 * the user sees and where a finished model goes (the session).
 */

#define G_LOG_DOMAIN "tc-training-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-app-files.h"
#include "tc-app-help.h"
#include "tc-app-text.h"
#include "tc-explore.h"
#include "tc-error.h"
#include "tc-loss-view.h"
#include "tc-training-page.h"

/* The log is for reading, not an archive: keep the newest lines. */
#define MAX_EVENTS 400

struct _TcTrainingPage
{
  AdwBin                parent_instance;

  TcSession            *session;
  GSignalGroup         *session_signals;  /* the page's handlers on the session */
  TcTrainer            *trainer;
  GtkFileChooserNative *chooser;
  guint                 n_events;
  TcPreset              run_preset;
  gsize                 run_params;

  /* Template widgets */
  GtkStack             *stack;
  AdwStatusPage        *empty_status;
  GtkBox               *content_box;
  GtkLabel             *title_label;
  GtkLabel             *status_label;
  GtkButton            *start_button;
  GtkButton            *pause_button;
  GtkButton            *resume_button;
  GtkButton            *cancel_button;
  GtkRevealer          *result_revealer;
  GtkImage             *result_icon;
  GtkLabel             *result_title;
  GtkLabel             *result_label;
  GtkButton            *result_button;
  GtkProgressBar       *progress_bar;
  GtkLabel             *speed_label;
  GtkLabel             *elapsed_label;
  GtkLabel             *eta_label;
  GtkBox               *speed_box;
  GtkBox               *loss_heading_box;
  GtkLabel             *loss_help_label;
  GtkToggleButton      *log_button;
  TcLossView           *loss_view;
  GtkButton            *save_button;
  GtkButton            *open_button;
  GtkListBox           *event_list;
};

G_DEFINE_FINAL_TYPE (TcTrainingPage, tc_training_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_event (TcTrainingPage *self,
           const char     *text,
           gint64          real_time_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (real_time_us / G_USEC_PER_SEC);
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *text_label = gtk_label_new (text);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_label_set_yalign (GTK_LABEL (time_label), 0);
  gtk_label_set_xalign (GTK_LABEL (text_label), 0);
  gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (text_label, TRUE);
  gtk_box_append (GTK_BOX (box), time_label);
  gtk_box_append (GTK_BOX (box), text_label);
  gtk_list_box_append (self->event_list, box);
  self->n_events++;
  if (self->n_events > MAX_EVENTS)
    {
      gtk_list_box_remove (self->event_list,
                           GTK_WIDGET (gtk_list_box_get_row_at_index (self->event_list, 0)));
      self->n_events--;
    }
}

static void
add_event_now (TcTrainingPage *self,
               const char     *text)
{
  add_event (self, text, g_get_real_time ());
}

static void
clear_events (TcTrainingPage *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->event_list, 0)) != NULL)
    gtk_list_box_remove (self->event_list, GTK_WIDGET (row));
  self->n_events = 0;
}

/* What the Start button would train, in one sentence. */
static void
update_idle_text (TcTrainingPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  TcForecasterOptions o;
  g_autoptr(GError) error = NULL;
  g_autofree char *ctx = NULL;
  g_autofree char *hor = NULL;
  g_autofree char *text = NULL;

  if (ds == NULL || tc_trainer_is_busy (self->trainer))
    return;
  o = *tc_session_get_forecaster_options (self->session);
  if (!tc_forecaster_options_resolve (&o, ds, &error))
    {
      text = g_strdup_printf (_("The model cannot be trained as set up: %s. Fix it on the Model page."),
                              error->message);
      gtk_label_set_text (self->status_label, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), FALSE);
      return;
    }
  ctx = tc_explore_period_phrase (ds->freq, o.context);
  hor = tc_explore_period_phrase (ds->freq, o.horizon);
  text = g_strdup_printf (ngettext ("A %s model will learn from %u series: it looks at the last %s to forecast the next %s, for at most %u epoch.",
                                    "A %s model will learn from %u series: it looks at the last %s to forecast the next %s, for at most %u epochs.",
                                    o.max_epochs),
                          tc_app_preset_label (o.preset), ds->n_series, ctx, hor, o.max_epochs);
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), TRUE);
}

static void
update_buttons (TcTrainingPage *self)
{
  TcTrainerState state = tc_trainer_get_state (self->trainer);
  gboolean has_model = self->session && tc_session_get_forecaster (self->session) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->start_button), state == TC_TRAINER_IDLE);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), state == TC_TRAINER_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), state == TC_TRAINER_PAUSED);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          state == TC_TRAINER_RUNNING || state == TC_TRAINER_PAUSED
                          || state == TC_TRAINER_STOPPING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), state != TC_TRAINER_STOPPING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), has_model && state == TC_TRAINER_IDLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), state == TC_TRAINER_IDLE);
  if (state != TC_TRAINER_IDLE)
    gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), FALSE);
  switch (state)
    {
    case TC_TRAINER_RUNNING:
      gtk_label_set_text (self->title_label, _("Training…"));
      break;
    case TC_TRAINER_PAUSED:
      gtk_label_set_text (self->title_label, _("Paused"));
      break;
    case TC_TRAINER_STOPPING:
      gtk_label_set_text (self->title_label, _("Stopping…"));
      break;
    case TC_TRAINER_IDLE:
    default:
      break;
    }
}

static void
on_progress (TcTrainer      *trainer,
             TcTrainingPage *self)
{
  const TcTrainProgress *p = tc_trainer_get_progress (trainer);
  g_autofree char *text = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *eta_s = NULL;
  g_autofree char *el_s = NULL;

  if (p == NULL || p->total_steps == 0)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, (double) p->step / p->total_steps);
  text = g_strdup_printf (_("Epoch %u of %u · step %u of %u"), p->epoch, p->max_epochs,
                          p->step, p->total_steps);
  gtk_progress_bar_set_text (self->progress_bar, text);
  speed = g_strdup_printf (_("%'.0f windows a second"), p->windows_per_s);
  gtk_label_set_text (self->speed_label, speed);
  el_s = tc_app_format_duration (p->elapsed_s);
  elapsed = g_strdup_printf (_("%s so far"), el_s);
  gtk_label_set_text (self->elapsed_label, elapsed);
  eta_s = tc_app_format_duration (p->eta_s);
  /* Early stopping usually ends sooner: the estimate is an upper bound. */
  eta = g_strdup_printf (_("At most about %s left"), eta_s);
  gtk_label_set_text (self->eta_label, eta);
}

static void
on_epoch_end (TcTrainer      *trainer,
              guint           index,
              TcTrainingPage *self)
{
  GArray *history = tc_trainer_get_history (trainer);
  const TcTrainerPoint *pt = &g_array_index (history, TcTrainerPoint, index);
  const TcTrainProgress *p = tc_trainer_get_progress (trainer);
  TcLossChart *chart = tc_loss_view_get_chart (self->loss_view);
  g_autofree char *text = NULL;

  tc_loss_chart_append (chart, pt->epoch, pt->train_loss, pt->val_loss, pt->lr);
  if (isfinite (pt->val_loss))
    {
      gboolean best = p == NULL || p->best_epoch == pt->epoch;

      text = g_strdup_printf (best ? _("Epoch %u done: training loss %.4f, validation loss %.4f — the best so far")
                                   : _("Epoch %u done: training loss %.4f, validation loss %.4f"),
                              pt->epoch, pt->train_loss, pt->val_loss);
    }
  else
    text = g_strdup_printf (_("Epoch %u done: training loss %.4f"), pt->epoch, pt->train_loss);
  add_event_now (self, text);
}

static void
on_event (TcTrainer      *trainer,
          const char     *text,
          gint64          real_time,
          TcTrainingPage *self)
{
  add_event (self, text, real_time);
}

static void
show_result (TcTrainingPage *self,
             gboolean        ok,
             const char     *title,
             const char     *detail)
{
  gtk_image_set_from_icon_name (self->result_icon, ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), ok ? "warning" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), ok ? "success" : "warning");
  gtk_label_set_text (self->result_title, title);
  gtk_label_set_text (self->result_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->result_button), ok);
  gtk_revealer_set_reveal_child (self->result_revealer, TRUE);
}

static void
toast (TcTrainingPage *self,
       const char     *title,
       gboolean        see_forecast)
{
  if (see_forecast)
    tc_app_toast (GTK_WIDGET (self), title, _("See _Forecast"), "win.show-page", g_variant_new_string ("forecast"));
  else
    tc_app_toast (GTK_WIDGET (self), title, NULL, NULL, NULL);
}

/* Whether the validation losses of two models measure the same thing:
 * the same windows (horizon, holdout), normalised the same way (context,
 * log1p) and scored on the same quantiles. */
static gboolean
val_loss_comparable (TcForecaster *a,
                     TcForecaster *b)
{
  const TcForecasterOptions *x = tc_forecaster_get_options (a);
  const TcForecasterOptions *y = tc_forecaster_get_options (b);

  return x->horizon == y->horizon && x->context == y->context && x->holdout == y->holdout
         && x->log1p == y->log1p && x->n_quantiles == y->n_quantiles
         && memcmp (x->quantiles, y->quantiles, sizeof (float) * x->n_quantiles) == 0;
}

/* A run the user stopped replaces the model they had only when it is
 * better on the same validation windows: stopping must never cost them
 * a better model. */
static gboolean
previous_model_is_better (TcTrainingPage *self,
                          TcForecaster   *fc)
{
  TcForecaster *prev = tc_session_get_forecaster (self->session);

  return prev != NULL && val_loss_comparable (prev, fc)
         && tc_forecaster_get_summary (prev)->best_val_loss <= tc_forecaster_get_summary (fc)->best_val_loss;
}

static void
report_kept_previous (TcTrainingPage *self,
                      TcForecaster   *fc)
{
  const TcTrainSummary *s = tc_forecaster_get_summary (fc);
  float prev_loss = tc_forecaster_get_summary (tc_session_get_forecaster (self->session))->best_val_loss;
  g_autofree char *detail = NULL;
  g_autofree char *log = NULL;

  log = g_strdup_printf (_("Stopped by you: this run's best model (validation loss %.4f) is not better than the model you had (%.4f), so that one is kept"),
                         s->best_val_loss, prev_loss);
  add_event_now (self, log);
  detail = g_strdup_printf (_("You stopped training after %u epochs. Its best model, from epoch %u (validation loss %.4f), is not better than the model you already had (%.4f): that model is kept and still forecasts."),
                            s->epochs, s->best_epoch, s->best_val_loss, prev_loss);
  show_result (self, TRUE, _("Kept the Model You Had"), detail);
  toast (self, _("Kept the model you had: it is better than the stopped run's"), FALSE);
}

/* What the safety net chose, in the user's language; NULL without one. */
static char *
safety_text (TcForecaster *fc)
{
  const TcSafetySummary *sf = tc_forecaster_get_safety (fc);
  /* Translators: forecasting methods the model is compared with. */
  const char *names[TC_METHOD_N] = { N_("Transformer"), N_("seasonal naive"), N_("Theta"), N_("ETS") };
  g_autoptr (GString) what = g_string_new (NULL);
  g_autofree char *main_text = NULL;

  if (!sf->active)
    return NULL;
  for (guint k = 1; k < TC_METHOD_N; k++)
    if (sf->global_mask & (1u << k))
      {
        if (what->len)
          /* Translators: joins the methods of a combined forecast. */
          g_string_append (what, _(" + "));
        g_string_append (what, _(names[k]));
      }
  if ((sf->global_mask & 1u << TC_METHOD_TRANSFORMER) && what->len == 0)
    g_string_append (what, _(names[TC_METHOD_TRANSFORMER]));
  else if (sf->global_mask & 1u << TC_METHOD_TRANSFORMER)
    {
      /* Translators: a weighted forecast, e.g. "70% Transformer, 30% ETS";
       * the last %s may name several methods, whose mean gets that share. */
      g_autofree char *mix = g_strdup_printf (_("%.0f%% Transformer, %.0f%% %s"),
                                              100 * sf->tf_weight, 100 * (1 - sf->tf_weight), what->str);

      g_string_assign (what, mix);
    }
  /* Translators: %u is a number of series, %s one or more methods
   * ("Transformer + ETS"), then two accuracy scores (scaled errors, lower
   * is better), the nominal coverage of the intervals (80) and the
   * coverage they reached. */
  main_text = g_strdup_printf (ngettext ("Checked on the validation window of %u series: forecasts use %s "
                                         "(error %.2f, seasonal naive %.2f); the %.0f%% intervals are calibrated "
                                         "and covered %.0f%% there.",
                                         "Checked on the validation window of %u series: forecasts use %s "
                                         "(error %.2f, seasonal naive %.2f); the %.0f%% intervals are calibrated "
                                         "and covered %.0f%% there.", sf->n_series),
                               sf->n_series, what->str, sf->val_mase_final,
                               sf->val_mase[TC_METHOD_SEASONAL_NAIVE], 100 * sf->coverage_level,
                               100 * sf->val_coverage);
  if (sf->n_own == 0)
    return g_steal_pointer (&main_text);
  return g_strdup_printf (ngettext ("%s For %u of %u series last year's pattern was more reliable; it uses it.",
                                    "%s For %u of %u series last year's pattern was more reliable; they use it.",
                                    sf->n_own),
                          main_text, sf->n_own, sf->n_series);
}

static void
on_finished (TcTrainer      *trainer,
             TcTrainingPage *self)
{
  g_autoptr(GError) error = NULL;
  TcForecaster *fc = tc_trainer_take_result (trainer, &error);
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *log = NULL;
  g_autofree char *dur = NULL;

  gtk_label_set_text (self->title_label, _("Ready to Train"));
  /* Nothing is left to wait for; "… so far" counted the epochs only,
   * the run's whole time (refit, safety net) follows below. */
  gtk_label_set_text (self->eta_label, "");
  gtk_label_set_text (self->elapsed_label, "");
  if (fc != NULL && tc_forecaster_get_summary (fc)->cancelled && previous_model_is_better (self, fc))
    {
      report_kept_previous (self, fc);
      g_clear_pointer (&fc, tc_forecaster_free);
    }
  else if (fc != NULL)
    {
      const TcTrainSummary *s = tc_forecaster_get_summary (fc);

      dur = tc_app_format_duration (s->train_seconds);
      {
        /* Translators: %s is a duration such as “19 seconds”. */
        g_autofree char *took = g_strdup_printf (_("Took %s in all"), dur);

        gtk_label_set_text (self->elapsed_label, took);
      }
      title = g_strdup_printf (_("Model ready: best validation loss %.4f at epoch %u"),
                               s->best_val_loss, s->best_epoch);
      if (s->cancelled)
        detail = g_strdup_printf (_("You stopped training after %u epochs (%s). The model from epoch %u, the best one so far, is kept and ready to forecast."),
                                  s->epochs, dur, s->best_epoch);
      else if (s->stopped_early)
        detail = g_strdup_printf (_("Training stopped by itself after %u epochs (%s) because the validation loss stopped improving; the model from epoch %u is kept."),
                                  s->epochs, dur, s->best_epoch);
      else if (s->numeric_failure)
        detail = g_strdup_printf (_("The loss became invalid after %u epochs; the model from epoch %u is kept. A lower learning rate may help."),
                                  s->epochs, s->best_epoch);
      else
        detail = g_strdup_printf (_("Trained for all %u epochs in %s; the model from epoch %u is kept."),
                                  s->epochs, dur, s->best_epoch);
      log = g_strdup_printf (s->cancelled ? _("Cancelled by you: kept the best model so far (epoch %u, validation loss %.4f)")
                                          : _("Finished: kept the model from epoch %u (validation loss %.4f)"),
                             s->best_epoch, s->best_val_loss);
      add_event_now (self, log);
      {
        g_autofree char *safety = safety_text (fc);

        if (safety)
          {
            char *both = g_strconcat (detail, " ", safety, NULL);

            add_event_now (self, safety);
            g_free (detail);
            detail = both;
          }
      }
      show_result (self, TRUE, title, detail);
      toast (self, title, TRUE);
      tc_session_set_forecaster (self->session, fc);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_event_now (self, _("Cancelled by you before the first epoch finished: no model was kept"));
      show_result (self, FALSE, _("Training cancelled"),
                   _("No epoch had finished, so there is no model to keep. Start again when you are ready."));
    }
  else
    {
      log = g_strdup_printf (_("Training failed: %s"), error->message);
      add_event_now (self, log);
      show_result (self, FALSE, _("Training failed"), error->message);
    }
  update_buttons (self);
  update_idle_text (self);
}

gboolean
tc_training_page_start (TcTrainingPage *self)
{
  const TcDataset *ds;
  g_autoptr(GError) error = NULL;
  const TcForecasterOptions *o;
  TcLossChart *chart;
  g_autofree char *text = NULL;
  g_autofree char *ctx = NULL;
  g_autofree char *hor = NULL;

  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), FALSE);

  if (self->session == NULL || (ds = tc_session_get_dataset (self->session)) == NULL
      || tc_trainer_is_busy (self->trainer))
    return FALSE;

  gtk_revealer_set_reveal_child (self->result_revealer, FALSE);
  if (!tc_trainer_start (self->trainer, ds, tc_session_get_forecaster_options (self->session), &error))
    {
      text = g_strdup_printf (_("Could not start training: %s"), error->message);
      add_event_now (self, text);
      show_result (self, FALSE, _("Training could not start"), error->message);
      return FALSE;
    }
  o = tc_trainer_get_options (self->trainer);
  chart = tc_loss_view_get_chart (self->loss_view);
  tc_loss_chart_clear (chart);
  clear_events (self);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Preparing the data…"));
  gtk_label_set_text (self->speed_label, "");
  gtk_label_set_text (self->elapsed_label, "");
  gtk_label_set_text (self->eta_label, "");
  ctx = tc_explore_period_phrase (ds->freq, o->context);
  hor = tc_explore_period_phrase (ds->freq, o->horizon);
  text = g_strdup_printf (_("Started a %s model (d_model %u, %u heads, %u layers): it looks at %s to forecast %s, learning rate %g, batches of %u, at most %u epochs, %u threads"),
                          tc_app_preset_label (o->preset), o->d_model, o->n_heads, o->n_layers, ctx, hor,
                          o->lr, o->batch, o->max_epochs, o->threads);
  add_event_now (self, text);
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (_("The model learns from %u series of %s data; it stops early when the validation loss has not improved for %u epochs."),
                          ds->n_series, tc_app_freq_adjective (ds->freq), o->patience);
  gtk_label_set_text (self->status_label, text);
  update_buttons (self);

  return TRUE;
}

static void
on_start_clicked (TcTrainingPage *self)
{
  tc_training_page_start (self);
}

static void
on_pause_clicked (TcTrainingPage *self)
{
  tc_trainer_pause (self->trainer);
  add_event_now (self, _("Paused: training waits after the current step"));
  update_buttons (self);
}

static void
on_resume_clicked (TcTrainingPage *self)
{
  tc_trainer_resume (self->trainer);
  add_event_now (self, _("Resumed"));
  update_buttons (self);
}

static void
on_cancel_clicked (TcTrainingPage *self)
{
  tc_trainer_cancel (self->trainer);
  add_event_now (self, _("Stopping: the best model is kept (this run’s best epoch, or the model you had when that one is better)"));
  update_buttons (self);
}

static void
on_log_toggled (TcTrainingPage *self)
{
  tc_loss_chart_set_log_scale (tc_loss_view_get_chart (self->loss_view),
                               gtk_toggle_button_get_active (self->log_button));
}

/* -- model files ---------------------------------------------------------- */

static gboolean
names_in (const char * const *names,
          char              **have,
          guint               n_have,
          const char         *what,
          GError            **error)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n_have && !found; j++)
        found = g_strcmp0 (names[i], have[j]) == 0;
      if (!found)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("The model needs the %s column “%s”, which the current data does not have"),
                       what, names[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* A model fits the data when every column it was trained on is there
 * in the same role; the forecast itself checks the rest. */
static gboolean
check_compatible (TcForecaster     *fc,
                  const TcDataset  *ds,
                  GError          **error)
{
  const char *target = tc_forecaster_get_target_name (fc);

  if (target != NULL && g_strcmp0 (target, ds->target_name) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("The model forecasts “%s” but the current data’s target is “%s”"),
                   target, ds->target_name ? ds->target_name : "?");
      return FALSE;
    }
  return names_in (tc_forecaster_get_known_names (fc), ds->known_names, ds->n_known,
                   _("known-in-advance"), error)
         && names_in (tc_forecaster_get_observed_names (fc), ds->observed_names, ds->n_observed,
                      _("observed"), error)
         && names_in (tc_forecaster_get_static_names (fc), ds->static_names, ds->n_static,
                      _("product attribute"), error);
}

gboolean
tc_training_page_open_model (TcTrainingPage *self,
                             GFile          *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcForecaster) fc = NULL;
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autofree char *text = NULL;

  if (path == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
  else if ((fc = tc_forecaster_load (path, &error)) != NULL && ds != NULL)
    check_compatible (fc, ds, &error);
  if (error != NULL)
    {
      text = g_strdup_printf (_("Could not use the model file “%s”: %s"), name, error->message);
      add_event_now (self, text);
      show_result (self, FALSE, _("This model does not fit the data"), text);
      return FALSE;
    }
  {
    const TcTrainSummary *s = tc_forecaster_get_summary (fc);
    TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);
    g_autofree char *title = g_strdup_printf (_("Model ready: best validation loss %.4f at epoch %u"),
                                              s->best_val_loss, s->best_epoch);

    text = g_strdup_printf (_("Opened the model file “%s”, trained for %u epochs"), name, s->epochs);
    add_event_now (self, text);
    *o = *tc_forecaster_get_options (fc);
    show_result (self, TRUE, title, text);
    tc_session_set_forecaster (self->session, g_steal_pointer (&fc));
    tc_session_set_model_saved (self->session);
    tc_session_forecaster_options_changed (self->session);
  }
  update_buttons (self);
  return TRUE;
}

gboolean
tc_training_page_save_model (TcTrainingPage *self,
                             GFile          *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  g_autofree char *text = NULL;

  if (fc == NULL)
    return FALSE;
  if (path == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
  else
    tc_forecaster_save (fc, path, &error);
  if (error != NULL)
    {
      text = g_strdup_printf (_("Could not save the model as “%s”: %s"), name, error->message);
      add_event_now (self, text);
      show_result (self, FALSE, _("The model was not saved"), error->message);
      return FALSE;
    }
  tc_session_set_model_saved (self->session);
  text = g_strdup_printf (_("Saved the model as “%s”"), name);
  add_event_now (self, text);
  tc_app_toast_saved (GTK_WIDGET (self), file, text);
  return TRUE;
}

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  TcTrainingPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        {
          if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE)
            tc_training_page_save_model (self, file);
          else
            tc_training_page_open_model (self, file);
        }
    }
  g_clear_object (&self->chooser);
}

static void
run_chooser (TcTrainingPage       *self,
             GtkFileChooserAction  action)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean save = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (self->chooser != NULL)
    return;
  gtk_file_filter_set_name (filter, _("Trendcast Models (.tcm)"));
  gtk_file_filter_add_suffix (filter, "tcm");
  self->chooser = gtk_file_chooser_native_new (save ? _("Save Model") : _("Open Model"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action,
                                               save ? _("_Save") : _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("model.tcm"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_save_clicked (TcTrainingPage *self)
{
  run_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
on_open_clicked (TcTrainingPage *self)
{
  run_chooser (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

/* -- session -------------------------------------------------------------- */

static void
on_dataset_changed (TcTrainingPage *self)
{
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autofree char *help = NULL;
  const char *unit;

  /* A run on the old data is stale: stop it and drop what it made.  Its
   * log is about other data, so it goes too. */
  clear_events (self);
  if (tc_trainer_is_busy (self->trainer))
    {
      tc_trainer_abort (self->trainer);
      add_event_now (self, _("New data was opened: training stopped and its result dropped"));
    }
  tc_loss_chart_clear (tc_loss_view_get_chart (self->loss_view));
  gtk_revealer_set_reveal_child (self->result_revealer, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Not started"));
  gtk_label_set_text (self->speed_label, "");
  gtk_label_set_text (self->elapsed_label, "");
  gtk_label_set_text (self->eta_label, "");
  gtk_label_set_text (self->title_label, _("Ready to Train"));
  gtk_stack_set_visible_child_name (self->stack, ds != NULL ? "content" : "empty");
  unit = tc_app_freq_unit_plural (ds ? ds->freq : TC_FREQ_UNKNOWN);
  help = g_strdup_printf (_("Loss is the forecast error: lower is better. Training loss is measured on the %s the model learns from, validation loss on the latest %s it never learns from; the model keeps the epoch with the lowest validation loss."),
                          unit, unit);
  gtk_label_set_text (self->loss_help_label, help);
  update_buttons (self);
  update_idle_text (self);
}

static void
on_options_changed (TcTrainingPage *self)
{
  update_idle_text (self);
}

static void
on_forecaster_changed (TcTrainingPage *self)
{
  update_buttons (self);
}

TcSession *
tc_training_page_get_session (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return self->session;
}

void
tc_training_page_set_session (TcTrainingPage *self,
                              TcSession      *session)
{
  g_return_if_fail (TC_IS_TRAINING_PAGE (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    tc_trainer_abort (self->trainer);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    on_dataset_changed (self);
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
tc_training_page_is_busy (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), FALSE);
  return tc_trainer_is_busy (self->trainer);
}

void
tc_training_page_stop (TcTrainingPage *self)
{
  g_return_if_fail (TC_IS_TRAINING_PAGE (self));
  if (!tc_trainer_is_busy (self->trainer))
    return;
  tc_trainer_abort (self->trainer);
  add_event_now (self, _("Training stopped; its result was dropped"));
  update_buttons (self);
}

TcTrainer *
tc_training_page_get_trainer (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return self->trainer;
}

TcLossChart *
tc_training_page_get_loss_chart (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return tc_loss_view_get_chart (self->loss_view);
}

guint
tc_training_page_get_n_events (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), 0);
  return self->n_events;
}

/**
 * tc_training_page_get_result_title:
 *
 * Returns: the title of the result banner of the last run, or ""
 */
const char *
tc_training_page_get_result_title (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return gtk_label_get_text (self->result_title);
}

/**
 * tc_training_page_get_eta_text:
 *
 * Returns: the time-left line under the progress bar ("" when idle)
 */
const char *
tc_training_page_get_elapsed_text (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return gtk_label_get_text (self->elapsed_label);
}

const char *
tc_training_page_get_eta_text (TcTrainingPage *self)
{
  g_return_val_if_fail (TC_IS_TRAINING_PAGE (self), NULL);
  return gtk_label_get_text (self->eta_label);
}

/* -- GObject -------------------------------------------------------------- */

static void
tc_training_page_dispose (GObject *object)
{
  TcTrainingPage *self = TC_TRAINING_PAGE (object);

  g_clear_object (&self->session_signals);
  /* Join the worker before anything it reports to goes away. */
  if (self->trainer != NULL)
    {
      tc_trainer_abort (self->trainer);
      g_signal_handlers_disconnect_by_data (self->trainer, self);
      g_clear_object (&self->trainer);
    }
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_training_page_parent_class)->dispose (object);
}

static void
tc_training_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcTrainingPage *self = TC_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_training_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TcTrainingPage *self = TC_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_training_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_training_page_class_init (TcTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_training_page_dispose;
  object_class->get_property = tc_training_page_get_property;
  object_class->set_property = tc_training_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TC_TYPE_LOSS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, result_revealer);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, result_title);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, result_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, speed_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, eta_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, speed_box);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, loss_heading_box);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, loss_help_label);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, log_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, loss_view);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, TcTrainingPage, event_list);
}

static void
tc_training_page_init (TcTrainingPage *self)
{
  TcLossChart *chart;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (on_dataset_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster-options", G_CALLBACK (on_options_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (on_forecaster_changed), self);
  gtk_box_append (self->speed_box,
                  tc_app_help_button_new (_("Windows a Second"),
                                          _("A window is one stretch of a series: the weeks the model looks at and the weeks it "
                                            "learns to forecast. This counts how many the model works through each second; "
                                            "it says how fast your computer trains, not how good the model is.")));
  gtk_box_append (self->loss_heading_box,
                  tc_app_help_button_new (_("Validation Loss"),
                                          _("The forecast error on the most recent stretch of every series, which the model "
                                            "never learns from: a fair test of what it will do on the future. Training loss "
                                            "falling while validation loss rises means the model memorises instead of "
                                            "learning; training then stops and keeps the best epoch. Lower is better; "
                                            "compare it only between models trained on the same data and settings.")));

  self->trainer = tc_trainer_new ();
  g_signal_connect (self->trainer, "progress", G_CALLBACK (on_progress), self);
  g_signal_connect (self->trainer, "epoch-end", G_CALLBACK (on_epoch_end), self);
  g_signal_connect (self->trainer, "event", G_CALLBACK (on_event), self);
  g_signal_connect (self->trainer, "finished", G_CALLBACK (on_finished), self);

  chart = tc_loss_view_get_chart (self->loss_view);
  tc_loss_chart_set_x_label (chart, _("Epoch"));

  g_signal_connect_swapped (self->start_button, "clicked", G_CALLBACK (on_start_clicked), self);
  g_signal_connect_swapped (self->pause_button, "clicked", G_CALLBACK (on_pause_clicked), self);
  g_signal_connect_swapped (self->resume_button, "clicked", G_CALLBACK (on_resume_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect_swapped (self->log_button, "toggled", G_CALLBACK (on_log_toggled), self);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked), self);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (on_open_clicked), self);
  update_buttons (self);
}
