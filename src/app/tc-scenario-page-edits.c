/* tc-scenario-page-edits.c — the Scenarios page: the rows of the “What if…” list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

/* -- one row of the "What if…" list ------------------------------------ */

/* -- change rows -------------------------------------------------------- */

void
tc_scenario_page_set_dirty (TcScenarioPage *self)
{
  /* A result computed for other changes must not show up later. */
  self->generation++;
  self->dirty = TRUE;
  if (self->result)
    tc_scenario_page_show_result (self);
  tc_scenario_page_emit_changed (self);
}

static void
row_changed_cb (TcScenarioPage *self)
{
  tc_scenario_page_set_dirty (self);
}

static void
from_changed_cb (GtkDropDown *from_dd, GParamSpec *pspec, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (from_dd), "tc-edit-row");

  /* Keep the range the right way round. */
  if (gtk_drop_down_get_selected (er->to_dd) < gtk_drop_down_get_selected (from_dd))
    gtk_drop_down_set_selected (er->to_dd, gtk_drop_down_get_selected (from_dd));
  tc_scenario_page_set_dirty (self);
}

static void
to_changed_cb (GtkDropDown *to_dd, GParamSpec *pspec, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (to_dd), "tc-edit-row");

  if (gtk_drop_down_get_selected (er->from_dd) > gtk_drop_down_get_selected (to_dd))
    gtk_drop_down_set_selected (er->from_dd, gtk_drop_down_get_selected (to_dd));
  tc_scenario_page_set_dirty (self);
}

static void
remove_clicked_cb (GtkButton *button, TcScenarioPage *self)
{
  EditRow *er = g_object_get_data (G_OBJECT (button), "tc-edit-row");

  gtk_list_box_remove (self->edits_list, er->row);
  g_ptr_array_remove (self->rows, er);
  tc_scenario_page_set_dirty (self);
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

gboolean
tc_scenario_page_add_edit_row (TcScenarioPage     *self,
                               TcScenarioEditKind  kind,
                               const char         *covariate,
                               double              value,
                               guint               from,
                               guint               to)
{
  EditRow *er;
  GtkWidget *row, *body, *header, *titles, *label, *suffix, *line1, *line2, *remove;
  g_autofree char *subtitle = NULL;
  TcLeverColumns cols = { 0 };
  const char *promo, *discount, *price;

  if (self->n_horizon == 0)
    return FALSE;
  /* The columns the core will change (tc_lever_append_edits). */
  tc_lever_columns (tc_session_get_forecaster (self->session), tc_session_get_dataset (self->session), &cols);
  promo = cols.promotion;
  discount = cols.discount;
  price = cols.price;
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
  tc_scenario_page_set_dirty (self);
  return TRUE;
}

void
tc_scenario_page_add_edit_action (GtkWidget  *widget,
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
    tc_scenario_page_add_edit_row (self, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, from, to);
  else if (g_str_equal (what, "discount"))
    tc_scenario_page_add_edit_row (self, TC_SCENARIO_EDIT_DISCOUNT, NULL, 20, from, to);
  else if (g_str_equal (what, "price"))
    tc_scenario_page_add_edit_row (self, TC_SCENARIO_EDIT_PRICE, NULL, 0.9, from, to);
  else if (g_str_equal (what, "competitor"))
    tc_scenario_page_add_edit_row (self, TC_SCENARIO_EDIT_COMPETITOR, NULL, 0.9, from, to);
  else
    tc_scenario_page_add_edit_row (self, TC_SCENARIO_EDIT_SET, NULL, 0, from, to);
}

void
tc_scenario_page_add_competitor_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  g_autoptr (GVariant) what = g_variant_ref_sink (g_variant_new_string ("competitor"));

  tc_scenario_page_add_edit_action (widget, "scenario.add-edit", what);
}

void
tc_scenario_page_update_add_actions (TcScenarioPage *self)
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
