/* tc-scenario-page.c — the Scenarios page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Planners change the plan of the forecast dates (a promotion, a
 * discount, a price) and compare the scenario with the baseline
 * forecast.  The scenario runs in a worker thread on a private copy of
 * the model: a TcForecaster keeps its activations inside, so two
 * threads must never run the same one, and other pages predict with the
 * session's model on the main thread.
 *
 * This file holds the widget, the plan, the buttons and the session;
 * the rows of the “What if…” list, the worker, the results and the
 * export live beside it (tc-scenario-page-private.h lists them).
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "tc-format.h"
#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-chart-view.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

G_DEFINE_FINAL_TYPE (TcScenarioPage, tc_scenario_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
tc_scenario_page_emit_changed (TcScenarioPage *self)
{
  tc_scenario_page_update_save (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
tc_scenario_page_notify_busy (TcScenarioPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void rebuild (TcScenarioPage *self);
static void update_plan_row (TcScenarioPage *self);

/* -- small helpers -------------------------------------------------------- */

char *
tc_scenario_page_format_signed (double v)
{
  g_autofree char *abs = tc_chart_format_thousands (fabs (v), fabs (v) < 10 && v != 0 ? 1 : 0);

  /* U+2212 MINUS SIGN reads better than a hyphen next to digits. */
  return g_strdup_printf ("%s%s", v < 0 ? "−" : "+", abs);
}

char *
tc_scenario_page_format_pct (double part, double whole)
{
  double pct;

  if (!(fabs (whole) > 0))
    return g_strdup ("–");
  pct = 100.0 * part / whole;
  return g_strdup_printf ("%s%.*f" TC_PERCENT, pct < 0 ? "−" : "+", fabs (pct) < 10 ? 1 : 0, fabs (pct));
}

char *
tc_scenario_page_format_date (TcFrequency freq, gint64 t, const char *day_format)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup ("?");
  switch (freq)
    {
    /* Translators: a strftime-style date format (see g_date_time_format)
     * for an hour in the scenario table, e.g. "Mar 4, 13:00". */
    /* xgettext:no-c-format */
    case TC_FREQ_HOURLY:    return g_date_time_format (dt, _("%b %-d, %H:%M"));
    /* Translators: a strftime-style date format (see g_date_time_format)
     * for a month, e.g. "Mar 2024". */
    /* xgettext:no-c-format */
    case TC_FREQ_MONTHLY:   return g_date_time_format (dt, _("%b %Y"));
    case TC_FREQ_QUARTERLY:
    /* xgettext:no-c-format */
    case TC_FREQ_YEARLY:    return g_date_time_format (dt, _("%b %Y"));
    default:                return g_date_time_format (dt, day_format);
    }
}

/* "over the next 4 weeks": the span in the words of the Forecast page
 * (tc_explore_period_phrase). */
char *
tc_scenario_page_horizon_phrase (TcFrequency freq, guint n)
{
  g_autofree char *period = tc_explore_period_phrase (freq, n);

  /* TRANSLATORS: %s is a span such as “4 weeks” or “28 days”. */
  return g_strdup_printf (_("over the next %s"), period);
}

/* The model's first known covariate of @kind, or NULL.  A log price is
 * the price lever too: the core turns ×f into + log f for it. */
const char *
tc_scenario_page_known_of_kind (TcScenarioPage *self, TcCovariateKind kind)
{
  TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  const char * const *names = fc ? tc_forecaster_get_known_names (fc) : NULL;

  for (guint k = 0; names && names[k] && ds; k++)
    for (guint j = 0; j < ds->n_known; j++)
      if (g_strcmp0 (ds->known_names[j], names[k]) == 0
          && (ds->known_kinds[j] == kind
              || (kind == TC_COVARIATE_PRICE && ds->known_kinds[j] == TC_COVARIATE_LOG_PRICE)))
        return names[k];
  return NULL;
}

/* Whether the model's price lever holds logarithms of prices. */
gboolean
tc_scenario_page_price_is_log (TcScenarioPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  const char *price = tc_scenario_page_known_of_kind (self, TC_COVARIATE_PRICE);

  for (guint j = 0; price && ds && j < ds->n_known; j++)
    if (g_strcmp0 (ds->known_names[j], price) == 0)
      return ds->known_kinds[j] == TC_COVARIATE_LOG_PRICE;
  return FALSE;
}

GArray *
tc_scenario_page_scope_indices (TcScenarioPage *self)
{
  const TcDataset *ds = tc_session_get_dataset (self->session);
  guint pos = gtk_drop_down_get_selected (self->scope_row);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *sel = self->scope_series && pos < self->scope_series->len ? g_ptr_array_index (self->scope_series, pos) : NULL;

  if (sel)
    g_array_append_vals (out, sel->data, sel->len);
  else
    for (guint s = 0; ds && s < ds->n_series; s++)
      g_array_append_val (out, s);
  return out;
}

/* -- plan (future covariates) -------------------------------------------- */

static guint
fc_known_count (TcForecaster *fc)
{
  const char * const *names = tc_forecaster_get_known_names (fc);

  return names ? g_strv_length ((char **) names) : 0;
}

static void
update_plan_row (TcScenarioPage *self)
{
  const TcDataset *plan = self->session ? tc_session_get_future (self->session) : NULL;
  TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  g_autoptr (GString) assume = g_string_new (NULL);
  const char *promo = tc_scenario_page_known_of_kind (self, TC_COVARIATE_PROMOTION);
  const char *discount = tc_scenario_page_known_of_kind (self, TC_COVARIATE_DISCOUNT);
  const char *price = tc_scenario_page_known_of_kind (self, TC_COVARIATE_PRICE);
  const char *holiday = tc_scenario_page_known_of_kind (self, TC_COVARIATE_HOLIDAY);
  guint n_assumed = 0;
  gint64 beyond = G_MININT64, horizon_end = G_MININT64;

  if (fc == NULL || ds == NULL)
    return;
  /* What tc_forecaster_future_template assumes, in the model's words. */
  if (promo && discount)
    g_string_append_printf (assume, _("no promotion (“%s” 0) and no discount (“%s” 0)"), promo, discount);
  else if (promo || discount)
    g_string_append_printf (assume, _("no promotion (“%s” 0)"), promo ? promo : discount);
  if (price)
    {
      if (assume->len)
        g_string_append (assume, _(", "));
      g_string_append_printf (assume, _("every price (“%s”) stays at its last value"), price);
    }
  if (holiday)
    {
      if (assume->len)
        g_string_append (assume, _(", "));
      switch (ds->freq)
        {
        case TC_FREQ_HOURLY:
          g_string_append (assume, _("holidays as on the day before"));
          break;
        case TC_FREQ_DAILY:
          g_string_append (assume, _("holidays as on the same weekday a week earlier"));
          break;
        default:
          g_string_append (assume, _("holidays as one year earlier"));
          break;
        }
    }
  if (assume->len == 0)
    g_string_append (assume, _("every known covariate stays at its last value"));

  {
    g_autoptr (TcDataset) f = tc_future_plan_resolve_full (fc, ds, plan, TC_ORIGIN_PER_SERIES, &n_assumed);

    /* Plan dates past the last date the model forecasts: never cut
     * silently, say so and what to do. */
    if (f != NULL && f->n_times > 0 && plan != NULL)
      for (guint t = 0; t < plan->n_times; t++)
        if (plan->times[t] > f->times[f->n_times - 1])
          {
            beyond = plan->times[t];
            break;
          }
    if (f != NULL && f->n_times > 0)
      horizon_end = f->times[f->n_times - 1];
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), fc_known_count (fc) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edits_list), fc_known_count (fc) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), fc_known_count (fc) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), fc_known_count (fc) > 0);
  if (fc_known_count (fc) == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), _("Nothing to plan"));
      adw_action_row_set_subtitle (self->plan_row,
                                   _("The model uses no covariate known in advance (promotion, discount, price …): "
                                     "it forecasts from the history and the calendar alone, so there is nothing to change."));
    }
  else if (plan == NULL)
    {
      g_autofree char *sub = g_strdup_printf (_("The baseline assumes %s on every forecast date. Import a plan, or add changes below."),
                                              assume->str);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), _("No plan imported"));
      adw_action_row_set_subtitle (self->plan_row, sub);
    }
  else
    {
      g_autofree char *base = plan->source ? g_path_get_basename (plan->source) : g_strdup (_("Plan"));
      g_autofree char *title = g_strdup_printf (_("Plan from %s"), base);
      g_autofree char *sub = NULL;

      if (n_assumed == 0)
        sub = g_strdup (_("The baseline follows this plan on every forecast date."));
      else
        sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The baseline follows this plan; %u value it does not give is assumed: %s.",
                                            "The baseline follows this plan; %u values it does not give are assumed: %s.",
                                            n_assumed), n_assumed, assume->str);
      if (beyond != G_MININT64 && horizon_end != G_MININT64)
        {
          g_autofree char *end_s = tc_frequency_format_time (ds->freq, horizon_end);
          g_autofree char *h_s = tc_explore_period_phrase (ds->freq, tc_forecaster_get_options (fc)->horizon);
          g_autofree char *more = NULL;
          char *joined;

          /* Translators: the first %s is a date, the second a span such as “4 weeks”. */
          more = g_strdup_printf (_(" The plan goes on after %s, but the model forecasts %s at most (its horizon): "
                                    "the later dates are not used. Train with a longer horizon on the Model page to plan them."),
                                  end_s, h_s);
          joined = g_strconcat (sub, more, NULL);
          g_free (sub);
          sub = joined;
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), title);
      adw_action_row_set_subtitle (self->plan_row, sub);
    }
}

gboolean
tc_scenario_page_import_plan (TcScenarioPage *self,
                              const char     *path,
                              GError        **error)
{
  const TcDataset *ds;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (ds == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_FAILED, _("Open the sales data first"));
      return FALSE;
    }
  if (!tc_session_read_future (self->session, path, NULL, error))
    return FALSE;
  update_plan_row (self);
  tc_scenario_page_set_dirty (self);
  /* The baseline changed too: show it at once. */
  tc_scenario_page_apply (self);
  return TRUE;
}

static void
import_response_cb (GtkNativeDialog *dialog, int response, TcScenarioPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path && !tc_scenario_page_import_plan (self, path, &error))
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          GtkWidget *msg = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   _("The Plan Could Not Be Imported"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (msg), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (msg));
        }
    }
  g_clear_object (&self->chooser);
}

static void
import_clicked_cb (TcScenarioPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import Planned Promotions & Prices"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("Plans (CSV, Excel)"));
  tc_app_file_filter_add_tables (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* -- buttons and session ---------------------------------------------------- */

static void
apply_clicked_cb (TcScenarioPage *self)
{
  tc_scenario_page_apply (self);
}

static void
reset_clicked_cb (TcScenarioPage *self)
{
  tc_scenario_page_reset (self);
}

static void
scope_changed_cb (TcScenarioPage *self)
{
  /* Changes apply to the chosen series: a new scope is a new scenario. */
  tc_scenario_page_set_dirty (self);
  if (self->session && tc_session_get_forecaster (self->session))
    tc_scenario_page_apply (self);
}

static void
clear_rows (TcScenarioPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->edits_list, ((EditRow *) g_ptr_array_index (self->rows, i))->row);
  g_ptr_array_set_size (self->rows, 0);
}

static void
rebuild (TcScenarioPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  g_autoptr (GtkStringList) scope_model = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) date_model = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) known_model = gtk_string_list_new (NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->pending = FALSE;
  self->dirty = FALSE;
  g_clear_pointer (&self->engine, tc_scenario_page_engine_unref);
  g_clear_pointer (&self->result, tc_scenario_result_free);
  g_clear_pointer (&self->result_marks, g_array_unref);
  g_clear_pointer (&self->result_plan, tc_dataset_free);
  g_clear_pointer (&self->result_scope, g_array_unref);
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  g_clear_pointer (&self->horizon_times, g_free);
  self->n_horizon = 0;
  clear_rows (self);
  tc_scenario_page_book_reset (self);
  tc_scenario_page_clear_table (self);
  tc_chart_clear (tc_chart_view_get_chart (self->chart_view));
  gtk_label_set_text (self->headline_label, "");
  gtk_label_set_text (self->detail_label, "");
  gtk_widget_set_visible (self->news_data_button, FALSE);
  gtk_label_set_text (self->caption_label, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  g_ptr_array_set_size (self->scope_series, 0);

  if (ds == NULL || fc == NULL)
    {
      adw_status_page_set_description (self->empty_status,
                                       ds == NULL ? _("Open sales data on the Data page, then train a model: what-if scenarios such as a price cut or a promotion are compared with its forecast")
                                                  : _("Train a model on the Training page: what-if scenarios such as a price cut or a promotion are compared with its forecast"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* Scope: all series, each value of each static attribute, each series. */
  {
    g_autofree char *all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All series (%u)", "All series (%u)", ds->n_series), ds->n_series);

    gtk_string_list_append (scope_model, all);
    g_ptr_array_add (self->scope_series, NULL);
  }
  for (guint a = 0; a < ds->n_static; a++)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint s = 0; s < ds->n_series; s++)
        {
          const char *v = ds->static_values[(gsize) s * ds->n_static + a];
          GArray *members;
          g_autofree char *label = NULL;

          if (v == NULL || *v == '\0' || g_hash_table_contains (seen, v))
            continue;
          g_hash_table_add (seen, (gpointer) v);
          members = g_array_new (FALSE, FALSE, sizeof (guint));
          for (guint t = s; t < ds->n_series; t++)
            if (g_strcmp0 (ds->static_values[(gsize) t * ds->n_static + a], v) == 0)
              g_array_append_val (members, t);
          /* A value every series shares says nothing. */
          if (members->len == ds->n_series)
            {
              g_array_unref (members);
              continue;
            }
          label = g_strdup_printf ("%s: %s (%u)", ds->static_names[a], v, members->len);
          gtk_string_list_append (scope_model, label);
          g_ptr_array_add (self->scope_series, members);
        }
    }
  for (guint s = 0; s < ds->n_series && ds->n_series > 1; s++)
    {
      GArray *one = g_array_new (FALSE, FALSE, sizeof (guint));

      g_array_append_val (one, s);
      gtk_string_list_append (scope_model, ds->series_ids[s]);
      g_ptr_array_add (self->scope_series, one);
    }
  g_signal_handlers_block_by_func (self->scope_row, scope_changed_cb, self);
  gtk_drop_down_set_model (self->scope_row, G_LIST_MODEL (scope_model));
  gtk_drop_down_set_selected (self->scope_row, 0);
  g_signal_handlers_unblock_by_func (self->scope_row, scope_changed_cb, self);
  g_set_object (&self->scope_model, scope_model);

  /* The forecast dates, from the same template the worker starts from:
   * every series' own dates after its last value. */
  {
    g_autoptr (TcDataset) tpl = tc_forecaster_future_template_full (fc, ds, TC_ORIGIN_PER_SERIES, FALSE);

    self->n_horizon = tpl->n_times;
    self->horizon_times = g_memdup2 (tpl->times, sizeof (gint64) * MAX (tpl->n_times, 1));
    for (guint h = 0; h < tpl->n_times; h++)
      {
        /* Translators: a strftime-style date format (see g_date_time_format)
         * for a day in the scenario's date pickers, e.g. "Mon, Mar 4". */
        /* xgettext:no-c-format */
        g_autofree char *d = tc_scenario_page_format_date (ds->freq, tpl->times[h], _("%a, %b %-d"));

        gtk_string_list_append (date_model, d);
      }
  }
  g_set_object (&self->date_model, date_model);
  {
    const char * const *names = tc_forecaster_get_known_names (fc);

    for (guint k = 0; names && names[k]; k++)
      gtk_string_list_append (known_model, names[k]);
  }
  g_set_object (&self->known_model, known_model);

  tc_scenario_page_update_add_actions (self);
  update_plan_row (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
  /* The baseline at once, so there is something to compare with. */
  tc_scenario_page_apply (self);
}

static void
session_changed_cb (TcScenarioPage *self)
{
  rebuild (self);
}

/* -- GObject ------------------------------------------------------------- */

static void
sum_ranges_changed (TcScenarioPage *self)
{
  if (self->result != NULL)
    tc_scenario_page_show_result (self);
}

static void
tc_scenario_page_dispose (GObject *object)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  tc_scenario_page_set_session (self, NULL);
  g_clear_object (&self->session_signals);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  tc_scenario_page_book_dispose (self);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_scenario_page_parent_class)->dispose (object);
}

static void
tc_scenario_page_finalize (GObject *object)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->engine, tc_scenario_page_engine_unref);
  g_clear_pointer (&self->result, tc_scenario_result_free);
  g_clear_pointer (&self->result_marks, g_array_unref);
  g_clear_pointer (&self->result_plan, tc_dataset_free);
  g_clear_pointer (&self->result_scope, g_array_unref);
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  g_clear_pointer (&self->horizon_times, g_free);
  g_clear_pointer (&self->scope_series, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->scope_model);
  g_clear_object (&self->date_model);
  g_clear_object (&self->known_model);

  G_OBJECT_CLASS (tc_scenario_page_parent_class)->finalize (object);
}

static void
tc_scenario_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_scenario_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_scenario_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_scenario_page_class_init (TcScenarioPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_scenario_page_dispose;
  object_class->finalize = tc_scenario_page_finalize;
  object_class->get_property = tc_scenario_page_get_property;
  object_class->set_property = tc_scenario_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The user changed the rows or the scope: the project has changes. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TC_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-scenario-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, scope_row);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, plan_row);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, edits_list);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, news_data_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, caption_label);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, table_group);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, table_grid);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "export_clicked_cb",
                                                G_CALLBACK (tc_scenario_page_export_clicked_cb));
  gtk_widget_class_install_action (widget_class, "scenario.add-edit", "s", tc_scenario_page_add_edit_action);
  gtk_widget_class_install_action (widget_class, "scenario.add-competitor", NULL, tc_scenario_page_add_competitor_action);
  tc_scenario_page_book_class_init (widget_class);
}

static void
tc_scenario_page_init (TcScenarioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (session_changed_cb), self);
  self->rows = g_ptr_array_new ();
  self->scope_series = g_ptr_array_new_with_free_func (tc_scenario_page_array_unref0);
  self->cancellable = g_cancellable_new ();
  gtk_drop_down_set_expression (self->scope_row,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  g_signal_connect_swapped (self->scope_row, "notify::selected", G_CALLBACK (scope_changed_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_swapped (self->settings, "changed::sum-ranges", G_CALLBACK (sum_ranges_changed), self);
  tc_scenario_page_book_init (self);
}

/* -- public API ------------------------------------------------------------ */

TcSession *
tc_scenario_page_get_session (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return self->session;
}

void
tc_scenario_page_set_session (TcScenarioPage *self,
                              TcSession      *session)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tc_scenario_page_set_scope_series (TcScenarioPage *self,
                                   int             series)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  /* From the end: the series' own entry, not a one-member category. */
  for (guint i = self->scope_series->len; i-- > 0;)
    {
      GArray *sel = g_ptr_array_index (self->scope_series, i);

      if ((series < 0 && sel == NULL)
          || (series >= 0 && sel && sel->len == 1 && g_array_index (sel, guint, 0) == (guint) series))
        {
          gtk_drop_down_set_selected (self->scope_row, i);
          return;
        }
    }
}

gboolean
tc_scenario_page_add_edit (TcScenarioPage     *self,
                           TcScenarioEditKind  kind,
                           const char         *covariate,
                           double              value,
                           guint               from,
                           guint               to)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  return tc_scenario_page_add_edit_row (self, kind, covariate, value, from, to);
}

guint
tc_scenario_page_get_n_edits (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), 0);
  return self->rows->len;
}

void
tc_scenario_page_apply (TcScenarioPage *self)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  if (self->session == NULL || tc_session_get_forecaster (self->session) == NULL)
    return;
  self->generation++;
  /* One job at a time: the engine's model is not reentrant.  A newer
   * request waits for it and the older result is dropped. */
  if (self->running)
    {
      self->pending = TRUE;
      return;
    }
  tc_scenario_page_start_job (self);
}

void
tc_scenario_page_reset (TcScenarioPage *self)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  clear_rows (self);
  tc_scenario_page_set_dirty (self);
  tc_scenario_page_apply (self);
}

gboolean
tc_scenario_page_get_busy (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  return self->running || self->pending || self->comparing;
}

const TcScenarioResult *
tc_scenario_page_get_result (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return self->dirty ? NULL : self->result;
}

const char *
tc_scenario_page_get_headline (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return gtk_label_get_text (self->headline_label);
}

const char *
tc_scenario_page_get_detail (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return gtk_label_get_text (self->detail_label);
}

/* -- projects ---------------------------------------------------------------- */

/* A project stores a row's kind as the lever's (tc-project.h). */
G_STATIC_ASSERT ((int) TC_SCENARIO_EDIT_PROMOTION == (int) TC_LEVER_PROMOTION);
G_STATIC_ASSERT ((int) TC_SCENARIO_EDIT_DISCOUNT == (int) TC_LEVER_DISCOUNT);
G_STATIC_ASSERT ((int) TC_SCENARIO_EDIT_PRICE == (int) TC_LEVER_PRICE);
G_STATIC_ASSERT ((int) TC_SCENARIO_EDIT_SET == (int) TC_LEVER_FLAG);
G_STATIC_ASSERT ((int) TC_SCENARIO_EDIT_COMPETITOR == (int) TC_LEVER_COMPETITOR);

void
tc_scenario_page_get_changes (TcScenarioPage  *self,
                              GArray          *changes,
                              char          ***scope_out)
{
  const TcDataset *ds;
  guint pos;
  GArray *sel;

  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  *scope_out = NULL;
  for (guint i = 0; i < self->rows->len; i++)
    {
      EditRow *er = g_ptr_array_index (self->rows, i);
      guint a = gtk_drop_down_get_selected (er->from_dd), b = gtk_drop_down_get_selected (er->to_dd);
      TcProjectChange c = { 0 };

      if (a >= self->n_horizon || b >= self->n_horizon)
        continue;
      /* The kinds of the rows are the levers' (tc-project.h). */
      c.kind = (TcLeverKind) er->kind;
      c.value = er->spin ? gtk_spin_button_get_value (er->spin) : 1;
      c.from = self->horizon_times[MIN (a, b)];
      c.to = self->horizon_times[MAX (a, b)];
      if (er->kind == TC_SCENARIO_EDIT_SET)
        c.covariate = g_strdup (gtk_string_list_get_string (self->known_model,
                                                            gtk_drop_down_get_selected (er->cov_dd)));
      g_array_append_val (changes, c);
    }
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  pos = gtk_drop_down_get_selected (self->scope_row);
  sel = self->scope_series && pos < self->scope_series->len ? g_ptr_array_index (self->scope_series, pos) : NULL;
  if (ds != NULL && sel != NULL)
    {
      char **ids = g_new0 (char *, sel->len + 1);

      for (guint i = 0; i < sel->len; i++)
        ids[i] = g_strdup (ds->series_ids[g_array_index (sel, guint, i)]);
      *scope_out = ids;
    }
}

guint
tc_scenario_page_set_changes (TcScenarioPage     *self,
                              const GArray       *changes,
                              const char * const *scope)
{
  const TcDataset *ds;
  guint n_added = 0, n_scope = scope ? g_strv_length ((char **) scope) : 0;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), 0);

  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (ds == NULL || self->n_horizon == 0)
    return 0;
  /* No scope is all series: the first entry. */
  if (n_scope == 0)
    {
      g_signal_handlers_block_by_func (self->scope_row, scope_changed_cb, self);
      gtk_drop_down_set_selected (self->scope_row, 0);
      g_signal_handlers_unblock_by_func (self->scope_row, scope_changed_cb, self);
    }
  /* The scope entry with exactly these series (a category, a series). */
  for (guint i = 0; n_scope > 0 && i < self->scope_series->len; i++)
    {
      GArray *sel = g_ptr_array_index (self->scope_series, i);
      gboolean same = sel != NULL && sel->len == n_scope;

      for (guint j = 0; same && j < n_scope; j++)
        same = g_strcmp0 (ds->series_ids[g_array_index (sel, guint, j)], scope[j]) == 0;
      if (same)
        {
          g_signal_handlers_block_by_func (self->scope_row, scope_changed_cb, self);
          gtk_drop_down_set_selected (self->scope_row, i);
          g_signal_handlers_unblock_by_func (self->scope_row, scope_changed_cb, self);
          break;
        }
    }
  clear_rows (self);
  for (guint i = 0; i < changes->len; i++)
    {
      const TcProjectChange *c = &g_array_index (changes, TcProjectChange, i);
      int a = tc_times_find (self->horizon_times, self->n_horizon, c->from);
      int b = tc_times_find (self->horizon_times, self->n_horizon, c->to);

      if (a >= 0 && b >= 0
          && tc_scenario_page_add_edit_row (self, (TcScenarioEditKind) c->kind, c->covariate, c->value,
                                            (guint) a, (guint) b))
        n_added++;
    }
  tc_scenario_page_apply (self);
  return n_added;
}
