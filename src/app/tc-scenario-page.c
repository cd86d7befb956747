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
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-chart-view.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-scenario-page.h"
#include "tc-tsan.h"

/* -- the worker's inputs ----------------------------------------------- */

/* A private model and data copy, shared by reference with the jobs. */
typedef struct
{
  TcForecaster *fc;
  TcDataset    *ds;
} Engine;

static void
engine_clear (gpointer p)
{
  Engine *e = p;

  /* The last reference may be dropped in the worker or the page. */
  TC_TSAN_ACQUIRE (e);
  g_clear_pointer (&e->fc, tc_forecaster_free);
  g_clear_pointer (&e->ds, tc_dataset_free);
}

static void
engine_unref (Engine *e)
{
  TC_TSAN_RELEASE (e);
  g_atomic_rc_box_release_full (e, engine_clear);
}

typedef struct
{
  gint64 from, to;
  char  *label;
} Mark;

typedef struct
{
  Engine         *engine;
  TcDataset      *future;
  TcScenarioEdit *edits;     /* (n_edits) */
  guint           n_edits;
  GArray         *marks;     /* of Mark: one per change row, for the chart */
  guint64         generation;
  gint64          started;   /* monotonic µs */
  guint           kinds;     /* 1 << TcScenarioEditKind of every change row */
  /* The levers, when the session has none yet: estimated here with the
   * same model, data and plan, then shared with the Evaluation page. */
  gboolean        want_levers;
  guint64         session_serial;
  TcLeverSet     *levers;
} Job;

static void
job_free (Job *job)
{
  /* The task data: freed by whichever thread drops the task last. */
  TC_TSAN_ACQUIRE (job);
  for (guint i = 0; i < job->n_edits; i++)
    g_free (job->edits[i].covariate);
  g_free (job->edits);
  g_clear_pointer (&job->future, tc_dataset_free);
  g_clear_pointer (&job->marks, g_array_unref);
  g_clear_pointer (&job->engine, engine_unref);
  g_clear_pointer (&job->levers, tc_lever_set_unref);
  g_free (job);
}

static void
array_unref0 (gpointer p)
{
  if (p)
    g_array_unref (p);
}

static void
mark_clear (gpointer p)
{
  g_free (((Mark *) p)->label);
}

/* -- one row of the "What if…" list ------------------------------------ */

typedef struct
{
  TcScenarioEditKind kind;
  GtkWidget   *row;
  GtkSpinButton *spin;    /* NULL for a promotion */
  GtkDropDown *cov_dd;    /* TC_SCENARIO_EDIT_SET only */
  GtkDropDown *from_dd;
  GtkDropDown *to_dd;
} EditRow;

struct _TcScenarioPage
{
  AdwBin         parent_instance;

  TcSession     *session;
  gulong         dataset_handler;
  gulong         forecaster_handler;
  GSettings     *settings;       /* "sum-ranges": how a total's band is made */

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *empty_status;
  GtkBox        *content_box;
  GtkDropDown   *scope_row;
  AdwActionRow  *plan_row;
  GtkButton     *import_button;
  GtkMenuButton *add_button;
  GtkListBox    *edits_list;
  GtkSpinner    *spinner;
  GtkButton     *reset_button;
  GtkButton     *apply_button;
  GtkLabel      *headline_label;
  GtkLabel      *detail_label;
  TcChartView   *chart_view;
  GtkLabel      *caption_label;
  AdwPreferencesGroup *table_group;
  GtkButton     *export_button;
  GtkGrid       *table_grid;

  GtkStringList *scope_model;
  GPtrArray     *scope_series;   /* (element-type GArray of guint), NULL entry = all series */
  GtkStringList *date_model;     /* the forecast dates */
  gint64        *horizon_times;  /* (n_horizon) */
  guint          n_horizon;
  GtkStringList *known_model;    /* the model's known covariates */
  GPtrArray     *rows;           /* (element-type EditRow) */

  Engine        *engine;
  GCancellable  *cancellable;
  guint64        generation;
  gboolean       running;
  gboolean       pending;
  gboolean       dirty;          /* changes since the shown result */
  TcScenarioResult *result;
  GArray        *result_marks;   /* of Mark */
  TcDataset     *result_plan;    /* the plan @result was computed with: per series, its horizon dates */
  GArray        *result_scope;   /* of guint: the series the result adds up */
  guint          result_kinds;   /* 1 << TcScenarioEditKind of the result's changes */
  TcLeverSet    *levers;         /* the session's, when the result was shown */
  GtkFileChooserNative *chooser;
};

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

static void rebuild (TcScenarioPage *self);
static void show_result (TcScenarioPage *self);
static void update_plan_row (TcScenarioPage *self);
static void start_job (TcScenarioPage *self);

/* -- small helpers -------------------------------------------------------- */

static char *
format_signed (double v)
{
  g_autofree char *abs = tc_chart_format_thousands (fabs (v), fabs (v) < 10 && v != 0 ? 1 : 0);

  /* U+2212 MINUS SIGN reads better than a hyphen next to digits. */
  return g_strdup_printf ("%s%s", v < 0 ? "−" : "+", abs);
}

static char *
format_pct (double part, double whole)
{
  double pct;

  if (!(fabs (whole) > 0))
    return g_strdup ("–");
  pct = 100.0 * part / whole;
  return g_strdup_printf ("%s%.*f %%", pct < 0 ? "−" : "+", fabs (pct) < 10 ? 1 : 0, fabs (pct));
}

static char *
format_date (TcFrequency freq, gint64 t, const char *day_format)
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
static char *
horizon_phrase (TcFrequency freq, guint n)
{
  g_autofree char *period = tc_explore_period_phrase (freq, n);

  /* TRANSLATORS: %s is a span such as “4 weeks” or “28 days”. */
  return g_strdup_printf (_("over the next %s"), period);
}

/* The model's first known covariate of @kind, or NULL.  A log price is
 * the price lever too: the core turns ×f into + log f for it. */
static const char *
known_of_kind (TcScenarioPage *self, TcCovariateKind kind)
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
static gboolean
price_is_log (TcScenarioPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  const char *price = known_of_kind (self, TC_COVARIATE_PRICE);

  for (guint j = 0; price && ds && j < ds->n_known; j++)
    if (g_strcmp0 (ds->known_names[j], price) == 0)
      return ds->known_kinds[j] == TC_COVARIATE_LOG_PRICE;
  return FALSE;
}

static GArray *
scope_indices (TcScenarioPage *self)
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

/* -- change rows -------------------------------------------------------- */

static void
set_dirty (TcScenarioPage *self)
{
  /* A result computed for other changes must not show up later. */
  self->generation++;
  self->dirty = TRUE;
  if (self->result)
    show_result (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
row_changed_cb (TcScenarioPage *self)
{
  set_dirty (self);
}

static void
from_changed_cb (GtkDropDown *from_dd, GParamSpec *pspec, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (from_dd), "tc-edit-row");

  /* Keep the range the right way round. */
  if (gtk_drop_down_get_selected (er->to_dd) < gtk_drop_down_get_selected (from_dd))
    gtk_drop_down_set_selected (er->to_dd, gtk_drop_down_get_selected (from_dd));
  set_dirty (self);
}

static void
to_changed_cb (GtkDropDown *to_dd, GParamSpec *pspec, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (to_dd), "tc-edit-row");

  if (gtk_drop_down_get_selected (er->from_dd) > gtk_drop_down_get_selected (to_dd))
    gtk_drop_down_set_selected (er->from_dd, gtk_drop_down_get_selected (to_dd));
  set_dirty (self);
}

static void
remove_clicked_cb (GtkButton *button, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (button), "tc-edit-row");

  gtk_list_box_remove (self->edits_list, er->row);
  g_ptr_array_remove (self->rows, er);
  set_dirty (self);
}

static GtkDropDown *
date_dropdown (TcScenarioPage *self, guint selected, const char *label)
{
  GtkDropDown *dd = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->date_model)), NULL));

  gtk_drop_down_set_selected (dd, MIN (selected, self->n_horizon ? self->n_horizon - 1 : 0));
  gtk_widget_set_valign (GTK_WIDGET (dd), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dd), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return dd;
}

static const char *
edit_title (TcScenarioEditKind kind)
{
  switch (kind)
    {
    case TC_SCENARIO_EDIT_PROMOTION: return _("Promotion");
    case TC_SCENARIO_EDIT_DISCOUNT:  return _("Discount");
    case TC_SCENARIO_EDIT_PRICE:     return _("Price Change");
    case TC_SCENARIO_EDIT_COMPETITOR: return _("Competitor’s Price");
    case TC_SCENARIO_EDIT_SET:
    default:                         return _("Set a Value");
    }
}

static gboolean
add_edit_row (TcScenarioPage     *self,
              TcScenarioEditKind  kind,
              const char         *covariate,
              double              value,
              guint               from,
              guint               to)
{
  EditRow *er;
  GtkWidget *row, *body, *header, *titles, *label, *suffix, *line1, *line2, *remove;
  const char *promo = known_of_kind (self, TC_COVARIATE_PROMOTION);
  const char *discount = known_of_kind (self, TC_COVARIATE_DISCOUNT);
  const char *price = known_of_kind (self, TC_COVARIATE_PRICE);
  g_autofree char *subtitle = NULL;
  TcLeverColumns cols = { 0 };

  if (self->n_horizon == 0)
    return FALSE;
  tc_lever_columns (tc_session_get_forecaster (self->session), tc_session_get_dataset (self->session), &cols);
  switch (kind)
    {
    case TC_SCENARIO_EDIT_PROMOTION:
      if (!promo)
        return FALSE;
      subtitle = g_strdup_printf (_("Sets “%s” to 1"), promo);
      break;
    case TC_SCENARIO_EDIT_DISCOUNT:
      if (!discount && !price)
        return FALSE;
      if (discount && price)
        subtitle = g_strdup_printf (_("Sets “%s” and lowers “%s” by the same share"), discount, price);
      else if (discount)
        subtitle = g_strdup_printf (_("Sets “%s”"), discount);
      else
        subtitle = g_strdup_printf (_("Lowers “%s”"), price);
      break;
    case TC_SCENARIO_EDIT_PRICE:
      if (!price)
        return FALSE;
      subtitle = g_strdup_printf (_("Multiplies “%s”"), price);
      break;
    case TC_SCENARIO_EDIT_COMPETITOR:
      if (!cols.competitor)
        return FALSE;
      subtitle = g_strdup_printf (_("Multiplies “%s”"), cols.competitor);
      break;
    case TC_SCENARIO_EDIT_SET:
    default:
      if (g_list_model_get_n_items (G_LIST_MODEL (self->known_model)) == 0)
        return FALSE;
      subtitle = g_strdup (_("Any covariate known in advance"));
      break;
    }

  er = g_new0 (EditRow, 1);
  er->kind = kind;
  /* The title and what it changes on top, the controls below: beside
   * the title, two date pickers squeezed it to a letter per line in a
   * narrow window. */
  row = gtk_list_box_row_new ();
  er->row = row;
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "tc-edit-row", er, g_free);
  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 6);
  gtk_widget_set_margin_top (body, 8);
  gtk_widget_set_margin_bottom (body, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), body);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (body), header);
  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), titles);
  label = gtk_label_new (edit_title (kind));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (titles), label);
  label = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (titles), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_title (kind),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);

  suffix = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  line1 = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (line1, GTK_ALIGN_START);
  line2 = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (line2, GTK_ALIGN_START);

  if (kind == TC_SCENARIO_EDIT_SET)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->known_model)), sel = 0;

      er->cov_dd = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->known_model)), NULL));
      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (gtk_string_list_get_string (self->known_model, i), covariate) == 0)
          sel = i;
      gtk_drop_down_set_selected (er->cov_dd, sel);
      gtk_widget_set_valign (GTK_WIDGET (er->cov_dd), GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (er->cov_dd), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Covariate"), -1);
      g_signal_connect_swapped (er->cov_dd, "notify::selected", G_CALLBACK (row_changed_cb), self);
      gtk_box_append (GTK_BOX (line1), GTK_WIDGET (er->cov_dd));
      gtk_box_append (GTK_BOX (line1), gtk_label_new ("="));
    }
  if (kind != TC_SCENARIO_EDIT_PROMOTION)
    {
      GtkAdjustment *adj;
      guint digits;

      if (kind == TC_SCENARIO_EDIT_DISCOUNT)
        {
          adj = gtk_adjustment_new (value, 1, 95, 1, 5, 0);
          digits = 0;
        }
      else if (kind == TC_SCENARIO_EDIT_PRICE || kind == TC_SCENARIO_EDIT_COMPETITOR)
        {
          adj = gtk_adjustment_new (value, 0.05, 5, 0.05, 0.1, 0);
          digits = 2;
        }
      else
        {
          adj = gtk_adjustment_new (value, -1e9, 1e9, 1, 10, 0);
          digits = 2;
        }
      if (kind == TC_SCENARIO_EDIT_PRICE || kind == TC_SCENARIO_EDIT_COMPETITOR)
        gtk_box_append (GTK_BOX (line1), gtk_label_new ("×"));
      er->spin = GTK_SPIN_BUTTON (gtk_spin_button_new (adj, 0, digits));
      gtk_spin_button_set_numeric (er->spin, TRUE);
      /* The width would otherwise follow the bounds (±1e9). */
      gtk_editable_set_width_chars (GTK_EDITABLE (er->spin), kind == TC_SCENARIO_EDIT_DISCOUNT ? 3 : 5);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (er->spin), 8);
      gtk_widget_set_valign (GTK_WIDGET (er->spin), GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (er->spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      kind == TC_SCENARIO_EDIT_DISCOUNT ? _("Discount in percent")
                                      : kind == TC_SCENARIO_EDIT_PRICE || kind == TC_SCENARIO_EDIT_COMPETITOR
                                      ? _("Price factor") : _("Value"),
                                      -1);
      g_signal_connect_swapped (er->spin, "value-changed", G_CALLBACK (row_changed_cb), self);
      gtk_box_append (GTK_BOX (line1), GTK_WIDGET (er->spin));
      if (kind == TC_SCENARIO_EDIT_DISCOUNT)
        /* xgettext:no-c-format */
        gtk_box_append (GTK_BOX (line1), gtk_label_new (_("% off")));
      gtk_box_append (GTK_BOX (suffix), line1);
    }

  er->from_dd = date_dropdown (self, from, _("First day"));
  er->to_dd = date_dropdown (self, MAX (from, to), _("Last day"));
  g_object_set_data (G_OBJECT (er->from_dd), "tc-edit-row", er);
  g_object_set_data (G_OBJECT (er->to_dd), "tc-edit-row", er);
  g_signal_connect (er->from_dd, "notify::selected", G_CALLBACK (from_changed_cb), self);
  g_signal_connect (er->to_dd, "notify::selected", G_CALLBACK (to_changed_cb), self);
  gtk_box_append (GTK_BOX (line2), gtk_label_new (_("from")));
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (er->from_dd));
  gtk_box_append (GTK_BOX (line2), gtk_label_new (_("to")));
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (er->to_dd));
  gtk_box_append (GTK_BOX (suffix), line2);
  gtk_box_append (GTK_BOX (body), suffix);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (remove, _("Remove this change"));
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "tc-edit-row", er);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), remove);

  gtk_list_box_append (self->edits_list, row);
  g_ptr_array_add (self->rows, er);
  set_dirty (self);
  return TRUE;
}

static void
add_edit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (widget);
  const char *what = g_variant_get_string (param, NULL);
  /* A new change starts on the second week of the horizon (or its
   * middle), a week long: a typical promotion slot, easy to adjust. */
  guint from = self->n_horizon > 14 ? 7 : self->n_horizon / 2;
  guint to = MIN (self->n_horizon ? self->n_horizon - 1 : 0, from + 6);

  if (g_str_equal (what, "promotion"))
    add_edit_row (self, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, from, to);
  else if (g_str_equal (what, "discount"))
    add_edit_row (self, TC_SCENARIO_EDIT_DISCOUNT, NULL, 20, from, to);
  else if (g_str_equal (what, "price"))
    add_edit_row (self, TC_SCENARIO_EDIT_PRICE, NULL, 0.9, from, to);
  else if (g_str_equal (what, "competitor"))
    add_edit_row (self, TC_SCENARIO_EDIT_COMPETITOR, NULL, 0.9, from, to);
  else
    add_edit_row (self, TC_SCENARIO_EDIT_SET, NULL, 0, from, to);
}

static void
add_competitor_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  g_autoptr (GVariant) what = g_variant_ref_sink (g_variant_new_string ("competitor"));

  add_edit_action (widget, "scenario.add-edit", what);
}

static void
update_add_actions (TcScenarioPage *self)
{
  gboolean any = self->known_model && g_list_model_get_n_items (G_LIST_MODEL (self->known_model)) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), any && self->n_horizon > 0);
  /* The menu names a competitor's price only when the model has one. */
  {
    TcLeverColumns cols = { 0 };
    TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
    const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;

    if (fc && ds)
      tc_lever_columns (fc, ds, &cols);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.add-competitor", cols.competitor != NULL);
  }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button),
                               any ? NULL : _("The model knows no covariate in advance (promotion, price …), so there is nothing to change"));
}

/* -- the worker ------------------------------------------------------------ */

static void
scenario_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  TcScenarioResult *r;

  /* GTask hands the job over through GLib's queues (see tc-tsan.h). */
  TC_TSAN_ACQUIRE (job);
  r = tc_forecaster_scenario_full (job->engine->fc, job->engine->ds, job->future, TC_ORIGIN_PER_SERIES,
                                   job->edits, job->n_edits, &error);
  /* Without them the result still stands: they are a comparison. */
  if (r && job->want_levers)
    {
      g_autoptr (GError) lerr = NULL;

      job->levers = tc_forecaster_levers (job->engine->fc, job->engine->ds, job->future, cancellable, &lerr);
      if (lerr && !g_error_matches (lerr, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not estimate the levers: %s", lerr->message);
    }
  TC_TSAN_RELEASE (job);
  if (r == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, r, (GDestroyNotify) tc_scenario_result_free);
}

static void
set_running (TcScenarioPage *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  gtk_spinner_set_spinning (self->spinner, running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (TcScenarioPage *self, const char *message)
{
  gtk_label_set_text (self->headline_label, _("The scenario could not be computed"));
  gtk_label_set_text (self->detail_label, message);
}

static void
scenario_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  TcScenarioResult *r;

  TC_TSAN_ACQUIRE (job);
  r = g_task_propagate_pointer (G_TASK (res), &error);

  /* "busy" is notified at the end, once the result is in place. */
  self->running = FALSE;
  g_debug ("scenario with %u edits: %.1f ms%s", job->n_edits,
           (g_get_monotonic_time () - job->started) / 1000.0,
           job->generation == self->generation ? "" : " (stale, dropped)");
  if (self->session == NULL)
    {
      TC_TSAN_RELEASE (job);
      g_clear_pointer (&r, tc_scenario_result_free);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }
  /* Cancelled: the session's data or model changed under the job. */
  if (r == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (job->generation == self->generation)
    {
      g_clear_pointer (&self->result, tc_scenario_result_free);
      g_clear_pointer (&self->result_marks, g_array_unref);
      g_clear_pointer (&self->result_plan, tc_dataset_free);
      if (r)
        {
          self->result = g_steal_pointer (&r);
          self->result_marks = g_array_ref (job->marks);
          self->result_plan = g_steal_pointer (&job->future);
          self->result_kinds = job->kinds;
          if (job->levers)
            tc_session_set_levers (self->session, job->session_serial, job->levers);
          g_clear_pointer (&self->levers, tc_lever_set_unref);
          if (tc_session_get_levers (self->session))
            self->levers = tc_lever_set_ref (tc_session_get_levers (self->session));
          else if (job->levers && job->session_serial == tc_session_get_serial (self->session))
            self->levers = tc_lever_set_ref (job->levers);
          self->dirty = FALSE;
          show_result (self);
        }
      else
        show_error (self, error->message);
    }
  /* The last look at the job here: the worker may free it next. */
  TC_TSAN_RELEASE (job);
  g_clear_pointer (&r, tc_scenario_result_free);
  if (self->pending)
    {
      self->pending = FALSE;
      start_job (self);
    }
  if (!self->running)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static gboolean
ensure_engine (TcScenarioPage *self, GError **error)
{
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcDataset *ds = tc_session_get_dataset (self->session);
  gint64 t0 = g_get_monotonic_time ();

  if (self->engine)
    return TRUE;
  self->engine = g_atomic_rc_box_new0 (Engine);
  self->engine->fc = tc_forecaster_dup (fc);
  self->engine->ds = tc_dataset_copy (ds);
  g_debug ("private model and data copy: %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

static void
start_job (TcScenarioPage *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) scope = NULL;
  TcLeverColumns cols;
  GArray *edits;
  Job *job;

  if (self->session == NULL || tc_session_get_forecaster (self->session) == NULL
      || tc_session_get_dataset (self->session) == NULL)
    return;
  if (!ensure_engine (self, &error))
    {
      show_error (self, error->message);
      return;
    }

  scope = scope_indices (self);
  g_clear_pointer (&self->result_scope, g_array_unref);
  self->result_scope = g_array_ref (scope);

  job = g_new0 (Job, 1);
  job->engine = g_atomic_rc_box_acquire (self->engine);
  job->future = tc_future_plan_resolve_full (self->engine->fc, self->engine->ds,
                                             tc_session_get_future (self->session), TC_ORIGIN_PER_SERIES, NULL);
  job->generation = self->generation;
  job->started = g_get_monotonic_time ();
  job->session_serial = tc_session_get_serial (self->session);
  tc_lever_columns (self->engine->fc, self->engine->ds, &cols);
  job->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_array_set_clear_func (job->marks, mark_clear);
  edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));

  for (guint i = 0; i < self->rows->len; i++)
    {
      EditRow *er = g_ptr_array_index (self->rows, i);
      guint a = gtk_drop_down_get_selected (er->from_dd), b = gtk_drop_down_get_selected (er->to_dd);
      double v = er->spin ? gtk_spin_button_get_value (er->spin) : 1;
      TcScenarioEdit e = { 0 };
      Mark m;

      if (a >= self->n_horizon || b >= self->n_horizon)
        continue;
      e.from = self->horizon_times[MIN (a, b)];
      e.to = self->horizon_times[MAX (a, b)];
      switch (er->kind)
        {
        case TC_SCENARIO_EDIT_PROMOTION:
          m.label = g_strdup (_("Promotion"));
          break;
        case TC_SCENARIO_EDIT_DISCOUNT:
          m.label = g_strdup_printf (_("%g %% off"), v);
          break;
        case TC_SCENARIO_EDIT_PRICE:
          m.label = g_strdup_printf (_("Price × %g"), v);
          break;
        case TC_SCENARIO_EDIT_COMPETITOR:
          m.label = g_strdup_printf (_("Competitor × %g"), v);
          break;
        case TC_SCENARIO_EDIT_SET:
        default:
          m.label = g_strdup_printf ("%s = %g", gtk_string_list_get_string (self->known_model, gtk_drop_down_get_selected (er->cov_dd)), v);
          break;
        }
      m.from = e.from;
      m.to = e.to;
      g_array_append_val (job->marks, m);
      job->kinds |= 1u << er->kind;

      /* One core edit per series in scope, or one for all of them. */
      for (guint j = 0; j < (scope->len == self->engine->ds->n_series ? 1 : scope->len); j++)
        {
          e.series = scope->len == self->engine->ds->n_series ? -1 : (int) g_array_index (scope, guint, j);
          /* The lever kinds are built by the core, exactly as the
           * lever estimates of the Evaluation page are (tc-lever.h). */
          switch (er->kind)
            {
            case TC_SCENARIO_EDIT_PROMOTION:
              tc_lever_append_edits (&cols, TC_LEVER_PROMOTION, NULL, 1.0, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_DISCOUNT:
              tc_lever_append_edits (&cols, TC_LEVER_DISCOUNT, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_PRICE:
              tc_lever_append_edits (&cols, TC_LEVER_PRICE, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_COMPETITOR:
              tc_lever_append_edits (&cols, TC_LEVER_COMPETITOR, NULL, v, e.from, e.to, e.series, edits);
              break;
            case TC_SCENARIO_EDIT_SET:
            default:
              tc_lever_append_edits (&cols, TC_LEVER_FLAG,
                                     gtk_string_list_get_string (self->known_model,
                                                                 gtk_drop_down_get_selected (er->cov_dd)),
                                     v, e.from, e.to, e.series, edits);
              break;
            }
        }
    }
  job->n_edits = edits->len;
  job->edits = (TcScenarioEdit *) g_array_free (edits, FALSE);
  /* Only a scenario with changes shows the levers next to it. */
  job->want_levers = job->n_edits > 0 && tc_session_get_levers (self->session) == NULL;

  task = g_task_new (self, self->cancellable, scenario_done, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_running (self, TRUE);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, scenario_thread);
}

/* -- results ---------------------------------------------------------------- */

static void
table_add (TcScenarioPage *self, int row, int col, const char *text, gboolean heading, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->table_grid, label, col, row, 1, 1);
}

static void
clear_table (TcScenarioPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);
}

/* Promotions of the plan (imported or assumed) on the forecast dates,
 * shaded like the explorer shades them: on a date when at least half of
 * the series in scope have one. */
static void
add_plan_markers (TcScenarioPage *self,
                  TcChart        *chart,
                  GArray         *scope)
{
  const TcDataset *plan = self->result_plan;

  for (guint k = 0; plan && k < plan->n_known; k++)
    {
      int run = -1;

      if (plan->known_kinds[k] != TC_COVARIATE_PROMOTION)
        continue;
      for (guint t = 0; t <= plan->n_times; t++)
        {
          guint n_known = 0, n_on = 0;
          gboolean on = FALSE;

          for (guint i = 0; t < plan->n_times && i < scope->len; i++)
            {
              double v = tc_dataset_known_row (plan, k, g_array_index (scope, guint, i))[t];

              n_known += !isnan (v);
              n_on += !isnan (v) && v != 0;
            }
          on = n_known > 0 && 2 * n_on >= n_known;
          if (on && run < 0)
            run = (int) t;
          else if (!on && run >= 0)
            {
              gint64 t0 = plan->times[run], t1 = plan->times[t - 1];
              gint64 half = (tc_frequency_advance (plan->freq, t1, 1) - t1) / 2;

              tc_chart_add_marker (chart, TC_CHART_MARKER_PROMOTION, t0 - half, t1 + half, plan->known_names[k]);
              run = -1;
            }
        }
    }
}

static TcExploreInterval
sum_interval (TcScenarioPage *self)
{
  g_autofree char *rule = g_settings_get_string (self->settings, "sum-ranges");

  return g_str_equal (rule, "together") ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT;
}

static void
show_result (TcScenarioPage *self)
{
  const TcScenarioResult *r = self->result;
  const TcDataset *ds = tc_session_get_dataset (self->session);
  TcChart *chart = tc_chart_view_get_chart (self->chart_view);
  GArray *scope = self->result_scope;
  g_autofree double *base = NULL, *scen = NULL, *up = NULL, *rev = NULL, *base_rev = NULL;
  g_autofree double *lo = NULL, *hi = NULL;
  g_autofree char *headline = NULL, *units = NULL, *pct = NULL, *when = NULL;
  g_autoptr (GString) detail = g_string_new (NULL);
  g_autofree gint64 *times = NULL;
  g_autofree guint *covered = NULL;
  double t_base = 0, t_scen = 0, t_up = 0, t_rev = 0, t_base_rev = 0;
  guint H, Q, m, n_hist, period, n_valid = 0, g0 = G_MAXUINT, g1 = 0, n_ax;
  gboolean single, no_changes;

  if (r == NULL || ds == NULL || scope == NULL)
    return;
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  m = tc_forecast_median_index (r->baseline);
  single = scope->len == 1;

  /* Series may be forecast from different dates (each after its own last
   * value): the lines and the table add up, date by date, the series
   * forecast on that date, over the dates from the earliest series'
   * start to the latest one's end. */
  for (guint i = 0; i < scope->len; i++)
    {
      guint o = tc_forecast_series_origin (r->baseline, g_array_index (scope, guint, i));

      g0 = MIN (g0, o);
      g1 = MAX (g1, o + H);
    }
  if (g0 > g1)
    g0 = g1 = r->baseline->origin;
  n_ax = MAX (g1 - g0, 1);
  base = g_new0 (double, n_ax);
  scen = g_new0 (double, n_ax);
  up = g_new0 (double, n_ax);
  rev = g_new0 (double, n_ax);
  base_rev = g_new0 (double, n_ax);
  covered = g_new0 (guint, n_ax);
  times = g_new (gint64, n_ax);
  for (guint a = 0; a < n_ax; a++)
    times[a] = g0 + a < ds->n_times ? ds->times[g0 + a]
               : tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) (g0 + a - ds->n_times + 1));

  for (guint i = 0; i < scope->len; i++)
    {
      guint s = g_array_index (scope, guint, i);
      guint a0 = tc_forecast_series_origin (r->baseline, s) - g0;
      gboolean valid = TRUE;

      for (guint h = 0; h < H; h++)
        valid &= isfinite (r->baseline->values[((gsize) s * H + h) * Q + m]);
      /* A series with no data before the horizon has no forecast. */
      if (!valid)
        continue;
      n_valid++;
      for (guint h = 0; h < H && a0 + h < n_ax; h++)
        {
          gsize i2 = (gsize) s * H + h;
          guint a = a0 + h;

          times[a] = tc_forecast_series_times (r->baseline, s)[h];
          covered[a]++;
          base[a] += r->baseline->values[i2 * Q + m];
          scen[a] += r->scenario->values[i2 * Q + m];
          up[a] += r->uplift_units[i2];
          if (r->uplift_revenue)
            {
              rev[a] += r->uplift_revenue[i2];
              base_rev[a] += r->baseline->values[i2 * Q + m] * r->baseline_price[i2];
            }
        }
    }
  for (guint a = 0; a < n_ax; a++)
    {
      t_up += up[a];
      t_rev += rev[a];
      t_base_rev += base_rev[a];
    }
  /* The totals of the baseline and the scenario by the application's one
   * rule (tc-explore.h), as the Forecast page sums a group. */
  if (n_valid > 0)
    {
      g_autofree double *tot = g_new (double, Q);   /* (Q) */

      tc_explore_members_total (r->baseline, (const guint *) scope->data, scope->len, H,
                                sum_interval (self), tot);
      t_base = tot[m];
      tc_explore_members_total (r->scenario, (const guint *) scope->data, scope->len, H,
                                sum_interval (self), tot);
      t_scen = tot[m];
    }
  /* A date no series of the scope is forecast on has no value (a gap in
   * the lines), not zero. */
  for (guint a = 0; a < n_ax; a++)
    if (covered[a] == 0)
      base[a] = scen[a] = up[a] = NAN;

  /* Headline: what a planner asks first. */
  no_changes = self->result_marks == NULL || self->result_marks->len == 0;
  units = format_signed (t_up);
  pct = format_pct (t_up, t_base);
  when = horizon_phrase (ds->freq, H);
  if (no_changes)
    headline = g_strdup (_("No changes yet: the scenario is the baseline forecast"));
  else
    /* TRANSLATORS: "+312 units (+14 %) over the next 4 weeks" */
    headline = g_strdup_printf (_("%s units (%s) %s"), units, pct, when);
  gtk_label_set_text (self->headline_label, headline);

  if (no_changes)
    {
      g_autofree char *b = tc_chart_format_thousands (t_base, 0);

      /* TRANSLATORS: "Baseline 2,422 units over the next 4 weeks (median)." */
      g_string_append_printf (detail, _("Baseline %s units %s (median). Add a promotion, a discount or a price change to compare."),
                              b, when);
    }
  else
    {
      g_autofree char *b = tc_chart_format_thousands (t_base, 0);
      g_autofree char *sc = tc_chart_format_thousands (t_scen, 0);

      g_string_append_printf (detail, _("Baseline %s units, scenario %s units (medians)."), b, sc);
    }
  if (r->uplift_revenue && !no_changes)
    {
      g_autofree char *rv = format_signed (t_rev);
      g_autofree char *rp = format_pct (t_rev, t_base_rev);

      g_string_append (detail, " ");
      g_string_append_printf (detail, _("Revenue %s (%s) at the scenario’s prices."), rv, rp);
    }
  else if (!no_changes && price_is_log (self))
    {
      g_string_append (detail, " ");
      /* Translators: %s is a column name such as “LPRICE”. */
      g_string_append_printf (detail, _("No revenue: “%s” holds logarithms of prices, not prices."),
                              known_of_kind (self, TC_COVARIATE_PRICE));
    }
  /* Dates without a change move too, because the model reads the whole
   * window around a date: say so rather than leave it a puzzle. */
  if (!no_changes)
    {
      double worst = 0;

      for (guint a = 0; a < n_ax; a++)
        {
          gboolean changed = FALSE;

          if (!(covered[a] > 0) || !(base[a] > 0))
            continue;
          for (guint i = 0; i < self->result_marks->len && !changed; i++)
            {
              const Mark *mk = &g_array_index (self->result_marks, Mark, i);

              changed = times[a] >= mk->from && times[a] <= mk->to;
            }
          if (!changed)
            worst = MAX (worst, fabs (up[a] / base[a]));
        }
      if (worst >= 0.005)
        {
          g_string_append (detail, " ");
          /* Translators: %.1f is a percentage, %s a plural time unit (“weeks”). */
          g_string_append_printf (detail, _("Dates without a change move too, by up to %.1f %%: the model reads the whole window of %s around a date, so a change shifts its neighbours a little."),
                                  100 * worst, tc_app_freq_unit_plural (ds->freq));
        }
    }
  /* The general estimate of each lever pulled, as the Evaluation page
   * shows it: this scenario's figure differs when it changes fewer
   * products or dates, or by another amount. */
  if (!no_changes && self->levers)
    {
      static const struct { TcScenarioEditKind edit; TcLeverKind lever; } map[] = {
        { TC_SCENARIO_EDIT_PROMOTION, TC_LEVER_PROMOTION },
        { TC_SCENARIO_EDIT_DISCOUNT, TC_LEVER_DISCOUNT },
        { TC_SCENARIO_EDIT_PRICE, TC_LEVER_PRICE },
        { TC_SCENARIO_EDIT_COMPETITOR, TC_LEVER_COMPETITOR },
      };

      for (guint i = 0; i < G_N_ELEMENTS (map); i++)
        {
          g_autofree char *line = NULL;

          if (!(self->result_kinds & (1u << map[i].edit)))
            continue;
          line = tc_lever_describe (tc_lever_set_find (self->levers, map[i].lever, NULL));
          if (line == NULL)
            continue;
          g_string_append (detail, "\n");
          /* Translators: %s is a sentence such as “A 10 % lower price (price): +12 % units, between +8 % and +16 % across products”. */
          g_string_append_printf (detail, _("For all products over the whole horizon, as on the Evaluation page: %s."), line);
        }
      {
        g_autofree char *mix = tc_lever_set_describe_mix (self->levers, ds->n_series);

        if (mix)
          {
            g_string_append (detail, "\n");
            g_string_append (detail, mix);
          }
      }
    }
  if (n_valid < scope->len)
    {
      g_string_append (detail, " ");
      g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "%u series has no data to forecast from and is left out.",
                                                   "%u series have no data to forecast from and are left out.",
                                                   scope->len - n_valid), scope->len - n_valid);
    }
  if (n_ax > H)
    {
      g_string_append (detail, " ");
      g_string_append (detail, _("The series end on different dates: each is forecast after its own last value, "
                                 "and a date adds up the series forecast on it."));
    }
  if (self->dirty)
    {
      g_string_append (detail, " ");
      g_string_append (detail, _("You edited the changes after the last Apply: press Apply to see what they do."));
    }
  gtk_label_set_text (self->detail_label, detail->str);

  /* Chart: recent history, the baseline and the scenario. */
  tc_chart_clear (chart);
  n_hist = MIN (ds->n_times, MAX (2 * H, 8u));
  {
    g_autofree double *hy = g_new (double, n_hist);
    guint end = r->baseline->origin, t0 = end > n_hist ? end - n_hist : 0;

    n_hist = end - t0;
    for (guint t = 0; t < n_hist; t++)
      {
        double sum = 0;
        gboolean any = FALSE;

        for (guint i = 0; i < scope->len; i++)
          {
            double v = tc_dataset_target_row (ds, g_array_index (scope, guint, i))[t0 + t];

            if (!isnan (v))
              {
                sum += v;
                any = TRUE;
              }
          }
        hy[t] = any ? sum : NAN;
      }
    tc_chart_set_history (chart, ds->times + t0, hy, n_hist);
  }
  tc_chart_set_forecast (chart, times, base, n_ax);
  /* Bands from the outside in (80 %, then 50 % when the model has
   * P25/P75), pairing quantile i with Q - 1 - i as the Forecast page. */
  for (guint i = 0; i < 2 && i < m && Q - 1 - i > m && n_valid > 0; i++)
    {
      g_clear_pointer (&lo, g_free);
      g_clear_pointer (&hi, g_free);
      if (!single)
        {
          /* Several series: the band of their sum by the application's
           * one rule (tc-explore.h), date by date over the series
           * forecast then. */
          g_autofree double *rows = g_new (double, (gsize) scope->len * Q);  /* (members, Q) */
          g_autofree double *comb = g_new (double, Q);                        /* (Q) */

          lo = g_new (double, n_ax);
          hi = g_new (double, n_ax);
          for (guint a = 0; a < n_ax; a++)
            {
              guint n = 0;

              for (guint j = 0; j < scope->len; j++)
                {
                  guint s = g_array_index (scope, guint, j);
                  guint o = tc_forecast_series_origin (r->baseline, s);

                  if (g0 + a < o || g0 + a >= o + H)
                    continue;
                  memcpy (rows + (gsize) n * Q, r->baseline->values + ((gsize) s * H + (g0 + a - o)) * Q,
                          sizeof (double) * Q);
                  n++;
                }
              tc_explore_combine (rows, n, Q, m, sum_interval (self), comb);
              lo[a] = n > 0 ? comb[i] : NAN;
              hi[a] = n > 0 ? comb[Q - 1 - i] : NAN;
            }
        }
      else
        {
          guint s = g_array_index (scope, guint, 0);

          /* One series: its own H dates are the whole axis. */
          lo = g_new (double, H);
          hi = g_new (double, H);
          for (guint h = 0; h < H; h++)
            {
              lo[h] = r->baseline->values[((gsize) s * H + h) * Q + i];
              hi[h] = r->baseline->values[((gsize) s * H + h) * Q + Q - 1 - i];
            }
        }
      tc_chart_add_band (chart, r->baseline->quantiles[i], r->baseline->quantiles[Q - 1 - i], lo, hi);
    }
  if (!no_changes)
    tc_chart_set_comparison (chart, scen, _("Scenario"));
  for (guint i = 0; self->result_marks && i < self->result_marks->len; i++)
    {
      const Mark *mk = &g_array_index (self->result_marks, Mark, i);

      tc_chart_add_marker (chart, TC_CHART_MARKER_CHANGE, mk->from, mk->to, mk->label);
    }
  add_plan_markers (self, chart, scope);
  {
    g_autofree char *title = NULL;

    if (single)
      title = g_strdup (ds->series_ids[g_array_index (scope, guint, 0)]);
    else
      title = g_strdup (gtk_drop_down_get_selected_item (self->scope_row)
                        ? gtk_string_object_get_string (gtk_drop_down_get_selected_item (self->scope_row))
                        : _("All series"));
    tc_chart_set_title (chart, title);
    tc_chart_set_units (chart, ds->target_name);
  }
  if (single)
    {
      g_autofree char *caption = NULL;

      if (no_changes)
        caption = g_strdup_printf (_("The band is the baseline’s P%g–P%g interval: the plan as it is."),
                                   round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));
      else
        caption = g_strdup_printf (_("The band is the baseline’s P%g–P%g interval: the plan as it is. "
                                     "The dashed line is the scenario’s median; shaded days carry a change."),
                                   round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));
      gtk_label_set_text (self->caption_label, caption);
    }
  else
    {
      g_autofree char *caption = g_strdup_printf (sum_interval (self) == TC_EXPLORE_INDEPENDENT
        /* Translators: the first %u is a number of series, then P10 and P90. */
        ? g_dngettext (GETTEXT_PACKAGE,
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series varied independently (Ranges of Totals, in the main menu).",
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series varied independently (Ranges of Totals, in the main menu).",
                       n_valid)
        : g_dngettext (GETTEXT_PACKAGE,
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series moved together, the cautious reading (Ranges of Totals, in the main menu).",
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series moved together, the cautious reading (Ranges of Totals, in the main menu).",
                       n_valid),
        n_valid, round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));

      gtk_label_set_text (self->caption_label, caption);
    }

  /* The table: weeks for daily data, days for hourly, else steps. */
  clear_table (self);
  period = ds->freq == TC_FREQ_DAILY ? 7 : ds->freq == TC_FREQ_HOURLY ? 24 : 1;
  adw_preferences_group_set_title (self->table_group,
                                   period == 7 ? _("Week by Week") : period == 24 ? _("Day by Day") : _("Step by Step"));
  table_add (self, 0, 0, period == 7 ? _("Week") : _("Date"), TRUE, FALSE);
  table_add (self, 0, 1, _("Baseline"), TRUE, TRUE);
  table_add (self, 0, 2, _("Scenario"), TRUE, TRUE);
  table_add (self, 0, 3, _("Uplift"), TRUE, TRUE);
  for (guint h0 = 0, row = 1; h0 < n_ax; h0 += period, row++)
    {
      guint h1 = MIN (n_ax, h0 + period), n_cov = 0;
      double b = 0, sc = 0, u = 0;
      g_autofree char *date = NULL, *bs = NULL, *ss = NULL, *us = NULL, *ps = NULL, *ut = NULL;

      for (guint h = h0; h < h1; h++)
        if (covered[h])
          {
            b += base[h];
            sc += scen[h];
            u += up[h];
            n_cov++;
          }
      /* Between two series' windows: no row. */
      if (n_cov == 0)
        {
          row--;
          continue;
        }
      if (period > 1 && h1 - h0 > 1)
        {
          /* Translators: a strftime-style date format (see g_date_time_format)
           * for the first and last day of a period in the scenario table, e.g. "Mar 4". */
          /* xgettext:no-c-format */
          g_autofree char *d0 = format_date (ds->freq, times[h0], _("%b %-d"));
          /* xgettext:no-c-format */
          g_autofree char *d1 = format_date (ds->freq, times[h1 - 1], _("%b %-d"));

          date = g_strdup_printf ("%s – %s", d0, d1);
        }
      else
        /* Translators: a strftime-style date format (see g_date_time_format)
         * for a day in the scenario table, e.g. "Mon, Mar 4". */
        /* xgettext:no-c-format */
        date = format_date (ds->freq, times[h0], _("%a, %b %-d"));
      bs = tc_chart_format_thousands (b, 0);
      ss = tc_chart_format_thousands (sc, 0);
      us = format_signed (u);
      ps = format_pct (u, b);
      ut = g_strdup_printf ("%s (%s)", us, ps);
      table_add (self, row, 0, date, FALSE, FALSE);
      table_add (self, row, 1, bs, FALSE, TRUE);
      table_add (self, row, 2, ss, FALSE, TRUE);
      table_add (self, row, 3, fabs (u) < 0.5 ? "–" : ut, FALSE, TRUE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
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
  const char *promo = known_of_kind (self, TC_COVARIATE_PROMOTION);
  const char *discount = known_of_kind (self, TC_COVARIATE_DISCOUNT);
  const char *price = known_of_kind (self, TC_COVARIATE_PRICE);
  const char *holiday = known_of_kind (self, TC_COVARIATE_HOLIDAY);
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
  set_dirty (self);
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
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* -- export ---------------------------------------------------------------- */

gboolean
tc_scenario_page_export_csv (TcScenarioPage *self,
                             const char     *path,
                             GError        **error)
{
  const TcScenarioResult *r;
  const TcDataset *ds;
  g_autoptr (GString) out = NULL;
  guint H, Q, m;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  r = self->result;
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (r == NULL || ds == NULL || self->result_scope == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_FAILED, _("There is no scenario to export yet: press Apply first"));
      return FALSE;
    }
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  m = tc_forecast_median_index (r->baseline);
  /* No empty cells: without a price covariate there is no revenue
   * column, and a series without a forecast (the page says so) no rows. */
  out = g_string_new (r->uplift_revenue ? "series,date,baseline_p50,scenario_p50,uplift_units,uplift_revenue\n"
                                        : "series,date,baseline_p50,scenario_p50,uplift_units\n");
  for (guint i = 0; i < self->result_scope->len; i++)
    {
      guint s = g_array_index (self->result_scope, guint, i);

      if (!tc_forecast_series_has_values (r->baseline, s))
        continue;
      for (guint h = 0; h < H; h++)
        {
          gsize k = (gsize) s * H + h;
          g_autofree char *date = tc_frequency_format_time (ds->freq, tc_forecast_series_times (r->baseline, s)[h]);
          char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

          tc_csv_append_field (out, ds->series_ids[s]);
          g_string_append_printf (out, ",%s,%s,%s,%s", date,
                                  g_ascii_formatd (buf[0], sizeof buf[0], "%.6g", r->baseline->values[k * Q + m]),
                                  g_ascii_formatd (buf[1], sizeof buf[1], "%.6g", r->scenario->values[k * Q + m]),
                                  g_ascii_formatd (buf[2], sizeof buf[2], "%.6g", r->uplift_units[k]));
          if (r->uplift_revenue)
            g_string_append_printf (out, ",%s",
                                    g_ascii_formatd (buf[3], sizeof buf[3], "%.6g", r->uplift_revenue[k]));
          g_string_append_c (out, '\n');
        }
    }
  if (!tc_file_set_contents (path, out->str, (gssize) out->len, error))
    return FALSE;
  return TRUE;
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, TcScenarioPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path && tc_scenario_page_export_csv (self, path, &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          /* TRANSLATORS: a toast, %s is a file name. */
          g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), base);

          tc_app_toast_saved (GTK_WIDGET (self), file, msg);
        }
      else if (path)
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          GtkWidget *msg = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   _("The Scenario Could Not Be Saved"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (msg), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (msg));
        }
    }
  g_clear_object (&self->chooser);
}

static void
export_clicked_cb (TcScenarioPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser || self->result == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Scenario"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "scenario.csv");
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response_cb), self);
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
  set_dirty (self);
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
  g_clear_pointer (&self->engine, engine_unref);
  g_clear_pointer (&self->result, tc_scenario_result_free);
  g_clear_pointer (&self->result_marks, g_array_unref);
  g_clear_pointer (&self->result_plan, tc_dataset_free);
  g_clear_pointer (&self->result_scope, g_array_unref);
  g_clear_pointer (&self->levers, tc_lever_set_unref);
  g_clear_pointer (&self->horizon_times, g_free);
  self->n_horizon = 0;
  clear_rows (self);
  clear_table (self);
  tc_chart_clear (tc_chart_view_get_chart (self->chart_view));
  gtk_label_set_text (self->headline_label, "");
  gtk_label_set_text (self->detail_label, "");
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
        g_autofree char *d = format_date (ds->freq, tpl->times[h], _("%a, %b %-d"));

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

  update_add_actions (self);
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
    show_result (self);
}

static void
tc_scenario_page_dispose (GObject *object)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  tc_scenario_page_set_session (self, NULL);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_scenario_page_parent_class)->dispose (object);
}

static void
tc_scenario_page_finalize (GObject *object)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->engine, engine_unref);
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
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, caption_label);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, table_group);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, table_grid);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_install_action (widget_class, "scenario.add-edit", "s", add_edit_action);
  gtk_widget_class_install_action (widget_class, "scenario.add-competitor", NULL, add_competitor_action);
}

static void
tc_scenario_page_init (TcScenarioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->scope_series = g_ptr_array_new_with_free_func (array_unref0);
  self->cancellable = g_cancellable_new ();
  gtk_drop_down_set_expression (self->scope_row,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  g_signal_connect_swapped (self->scope_row, "notify::selected", G_CALLBACK (scope_changed_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_swapped (self->settings, "changed::sum-ranges", G_CALLBACK (sum_ranges_changed), self);
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
  if (self->session)
    {
      g_clear_signal_handler (&self->dataset_handler, self->session);
      g_clear_signal_handler (&self->forecaster_handler, self->session);
    }
  g_set_object (&self->session, session);
  if (session)
    {
      self->dataset_handler = g_signal_connect_swapped (session, "notify::dataset",
                                                        G_CALLBACK (session_changed_cb), self);
      self->forecaster_handler = g_signal_connect_swapped (session, "notify::forecaster",
                                                           G_CALLBACK (session_changed_cb), self);
    }
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
  return add_edit_row (self, kind, covariate, value, from, to);
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
  start_job (self);
}

void
tc_scenario_page_reset (TcScenarioPage *self)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  clear_rows (self);
  set_dirty (self);
  tc_scenario_page_apply (self);
}

gboolean
tc_scenario_page_get_busy (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  return self->running || self->pending;
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
          && add_edit_row (self, (TcScenarioEditKind) c->kind, c->covariate, c->value, (guint) a, (guint) b))
        n_added++;
    }
  tc_scenario_page_apply (self);
  return n_added;
}
