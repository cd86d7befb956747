/* tc-loss-view.c — a GTK widget that shows a TcLossChart with a hover readout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart library draws everything, the readout included; this widget
 * only turns pointer and key events into chart calls and snapshots the
 * result, so the same picture can be exported without GTK.
 */

#define G_LOG_DOMAIN "tc-loss-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tc-loss-view.h"

struct _TcLossView
{
  GtkWidget    parent_instance;

  TcLossChart *chart;
};

G_DEFINE_FINAL_TYPE (TcLossView, tc_loss_view, GTK_TYPE_WIDGET)

static void
update_style (TcLossView *self)
{
  AdwStyleManager *sm = adw_style_manager_get_default ();

  tc_loss_chart_set_style (self->chart, adw_style_manager_get_dark (sm)
                                        ? tc_chart_style_dark ()
                                        : tc_chart_style_light ());
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           TcLossView               *self)
{
  TcLossHoverInfo info;

  tc_loss_chart_set_size (self->chart, gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)));
  tc_loss_chart_hover_at (self->chart, x, y, &info);
}

static void
on_leave (GtkEventControllerMotion *motion,
          TcLossView               *self)
{
  tc_loss_chart_clear_hover (self->chart);
}

static gboolean
on_key (GtkEventControllerKey *key,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        TcLossView            *self)
{
  /* Keyboard users step through the epochs with the arrow keys. */
  switch (keyval)
    {
    case GDK_KEY_Left:
      tc_loss_chart_move_hover (self->chart, -1);
      return TRUE;
    case GDK_KEY_Right:
      tc_loss_chart_move_hover (self->chart, 1);
      return TRUE;
    case GDK_KEY_Escape:
      tc_loss_chart_clear_hover (self->chart);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Cairo's toy font API looks its faces up through fontconfig on first
 * use of every weight, which can take a tenth of a second.  Drawing a
 * throwaway chart with every kind of label once, when the view first
 * appears, moves that cost away from the moment training starts. */
static void
warm_up_fonts (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(TcLossChart) chart = tc_loss_chart_new ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 320, 200);
      cairo_t *cr = cairo_create (surface);
      TcLossHoverInfo info;

      tc_loss_chart_set_title (chart, "0");
      tc_loss_chart_set_x_label (chart, "0");
      tc_loss_chart_append (chart, 1, 1.0, 1.2, 1e-3);
      tc_loss_chart_append (chart, 2, 0.5, 0.7, 5e-4);
      tc_loss_chart_set_size (chart, 320, 200);
      tc_loss_chart_hover_at (chart, 200, 100, &info);
      tc_loss_chart_render (chart, cr, 320, 200);
      tc_loss_chart_set_log_scale (chart, TRUE);
      tc_loss_chart_render (chart, cr, 320, 200);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      g_once_init_leave (&done, 1);
    }
}

static void
tc_loss_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tc_loss_view_parent_class)->realize (widget);
  warm_up_fonts ();
}

static void
tc_loss_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  TcLossView *self = TC_LOSS_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (w <= 0 || h <= 0)
    return;
  tc_loss_chart_set_size (self->chart, w, h);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  tc_loss_chart_render (self->chart, cr, w, h);
  cairo_destroy (cr);
}

static void
tc_loss_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 200;
      *natural = 300;
    }
}

static void
tc_loss_view_dispose (GObject *object)
{
  TcLossView *self = TC_LOSS_VIEW (object);

  if (self->chart != NULL)
    g_signal_handlers_disconnect_by_data (self->chart, self);
  g_clear_object (&self->chart);

  G_OBJECT_CLASS (tc_loss_view_parent_class)->dispose (object);
}

/* What the curves show, in words: what a screen reader says and what a
 * user who cannot see the chart gets (the hovered epoch when the keys or
 * the pointer pick one, else the last one and the best). */
char *
tc_loss_view_dup_text (TcLossView *self)
{
  TcLossHoverInfo p, best;
  guint n = tc_loss_chart_get_n (self->chart), ib;
  GString *text = g_string_new (NULL);

  if (n == 0)
    {
      g_string_append (text, _("No training run yet"));
      return g_string_free (text, FALSE);
    }
  if (!tc_loss_chart_get_hover (self->chart, &p))
    tc_loss_chart_get_point (self->chart, n - 1, &p);
  /* Translators: "Epoch 8: training loss 0.2500" */
  g_string_append_printf (text, _("Epoch %g: training loss %.4f"), p.x, p.train);
  if (isfinite (p.val))
    /* Translators: continues "Epoch 8: training loss 0.2500" */
    g_string_append_printf (text, _(", validation loss %.4f"), p.val);
  if (tc_loss_chart_get_best (self->chart, &ib) && tc_loss_chart_get_point (self->chart, ib, &best)
      && isfinite (best.val))
    /* Translators: continues the sentence above */
    g_string_append_printf (text, _("; lowest validation loss %.4f at epoch %g"), best.val, best.x);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " (%u epoch so far)", " (%u epochs so far)", n), n);
  return g_string_free (text, FALSE);
}

static void
update_accessible (TcLossView *self)
{
  g_autofree char *text = tc_loss_view_dup_text (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Training and validation loss"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
chart_changed (TcLossView *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tc_loss_view_class_init (TcLossViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_loss_view_dispose;
  widget_class->snapshot = tc_loss_view_snapshot;
  widget_class->realize = tc_loss_view_realize;
  widget_class->measure = tc_loss_view_measure;
  gtk_widget_class_set_css_name (widget_class, "lossview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tc_loss_view_init (TcLossView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();

  self->chart = tc_loss_chart_new ();
  g_signal_connect_swapped (self->chart, "changed", G_CALLBACK (chart_changed), self);
  update_accessible (self);
  update_style (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style), self, G_CONNECT_SWAPPED);

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

GtkWidget *
tc_loss_view_new (void)
{
  return g_object_new (TC_TYPE_LOSS_VIEW, NULL);
}

TcLossChart *
tc_loss_view_get_chart (TcLossView *self)
{
  g_return_val_if_fail (TC_IS_LOSS_VIEW (self), NULL);
  return self->chart;
}
