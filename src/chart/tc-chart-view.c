/* tc-chart-view.c — the GTK front of the forecast chart
 *
 * All drawing and all coordinate arithmetic live in TcChart; this widget
 * only turns input events into chart calls and snapshots the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-chart-view"

#include "config.h"

#include "tc-chart-view.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>

struct _TcChartView
{
  GtkWidget parent_instance;

  TcChart *chart;
  gulong   changed_id;

  double pointer_x, pointer_y;
  gboolean pointer_inside;
  double drag_last_x;
  double zoom_last_scale;
};

G_DEFINE_FINAL_TYPE (TcChartView, tc_chart_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CHART, N_PROPS };
static GParamSpec *properties[N_PROPS];

static char *
format_value (double v)
{
  return tc_chart_format_thousands (v, fabs (v) < 10 ? 2 : 0);
}

static char *
format_date (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%x") : g_strdup ("?");
}

/* The hovered step's values, which is what the Left/Right keys move
 * through: "3/4/24, history 1,234, forecast 1,300". */
static void
append_step (GString                *desc,
             const TcChartHoverInfo *info)
{
  g_autofree char *date = format_date (info->time);

  g_string_append (desc, date);
#define PART(name, v) G_STMT_START { \
      if (isfinite (v)) \
        { \
          g_autofree char *s = format_value (v); \
          g_string_append_printf (desc, ", %s %s", (name), s); \
        } } G_STMT_END
  /* Translators: the names of the values in the chart's screen reader
   * description, "3/4/24, history 1,234, forecast 1,300". */
  PART (_("history"), info->history);
  PART (_("actual"), info->actual);
  PART (_("forecast"), info->forecast);
  PART (_("comparison"), info->comparison);
  PART (_("low"), info->lo);
  PART (_("high"), info->hi);
#undef PART
}

/* What the whole chart shows, in words, for when no step is hovered:
 * the last known value and the forecast's course and range. */
static void
append_summary (GString *desc,
                TcChart *chart)
{
  TcChartHoverInfo info, last_h = { 0 }, first_f = { 0 }, last_f = { 0 };
  gboolean have_h = FALSE, have_f = FALSE, have_band = FALSE, have_cmp = FALSE;
  double lo = INFINITY, hi = -INFINITY, f_min = INFINITY, f_max = -INFINITY, cmp_sum = 0, f_sum = 0;
  double q_lo = 0, q_hi = 0;

  for (guint k = 0; tc_chart_get_step (chart, k, &info); k++)
    {
      if (isfinite (info.history))
        {
          last_h = info;
          have_h = TRUE;
        }
      if (isfinite (info.forecast))
        {
          if (!have_f)
            first_f = info;
          last_f = info;
          have_f = TRUE;
          f_min = MIN (f_min, info.forecast);
          f_max = MAX (f_max, info.forecast);
          f_sum += info.forecast;
          if (isfinite (info.lo) && isfinite (info.hi))
            {
              lo = MIN (lo, info.lo);
              hi = MAX (hi, info.hi);
              have_band = TRUE;
            }
          if (isfinite (info.comparison))
            {
              cmp_sum += info.comparison;
              have_cmp = TRUE;
            }
        }
    }
  if (!have_h && !have_f)
    {
      g_string_append (desc, _("Nothing to show yet"));
      return;
    }
  if (have_h)
    {
      g_autofree char *date = format_date (last_h.time);
      g_autofree char *v = format_value (last_h.history);

      /* Translators: "History up to 3/4/24, last value 1,234." */
      g_string_append_printf (desc, _("History up to %s, last value %s."), date, v);
    }
  if (have_f)
    {
      g_autofree char *from = format_date (first_f.time);
      g_autofree char *to = format_date (last_f.time);
      g_autofree char *a = format_value (first_f.forecast);
      g_autofree char *b = format_value (last_f.forecast);
      g_autofree char *mn = format_value (f_min);
      g_autofree char *mx = format_value (f_max);

      if (desc->len > 0)
        g_string_append_c (desc, ' ');
      /* Translators: "Forecast from 3/5/24 to 3/18/24: 1,300 at first,
       * 1,250 at the end, between 1,100 and 1,400." */
      g_string_append_printf (desc, _("Forecast from %s to %s: %s at first, %s at the end, between %s and %s."),
                              from, to, a, b, mn, mx);
      if (have_band && tc_chart_get_band_levels (chart, 0, &q_lo, &q_hi))
        {
          g_autofree char *l = format_value (lo);
          g_autofree char *h = format_value (hi);

          /* Translators: "80 % of outcomes fall between 900 and 1,700." */
          g_string_append_printf (desc, _(" %.0f %% of outcomes fall between %s and %s."),
                                  100 * (q_hi - q_lo), l, h);
        }
      if (have_cmp)
        {
          g_autofree char *c = format_value (cmp_sum);
          g_autofree char *f = format_value (f_sum);

          /* Translators: the comparison is the second forecast drawn,
           * such as a what-if scenario's: "Comparison in total 12,000,
           * forecast in total 11,500." */
          g_string_append_printf (desc, _(" Comparison in total %s, forecast in total %s."), c, f);
        }
    }
}

/**
 * tc_chart_view_dup_text:
 * @self: a chart view
 *
 * What a screen reader is told the chart shows: the values at the step
 * the keyboard or the pointer is on, otherwise the chart in words.
 *
 * Returns: (transfer full): the text
 */
char *
tc_chart_view_dup_text (TcChartView *self)
{
  TcChartHoverInfo info;
  GString *desc = g_string_new (NULL);

  g_return_val_if_fail (TC_IS_CHART_VIEW (self), NULL);
  if (tc_chart_get_hover (self->chart, &info))
    append_step (desc, &info);
  else
    append_summary (desc, self->chart);
  return g_string_free (desc, FALSE);
}

static void
update_accessible (TcChartView *self)
{
  const char *title = tc_chart_get_title (self->chart);
  g_autofree char *desc = tc_chart_view_dup_text (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : _("Forecast chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc,
                                  -1);
}

static void
chart_changed (TcChartView *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_style (TcChartView *self)
{
  AdwStyleManager *sm = adw_style_manager_get_default ();

  tc_chart_set_style (self->chart, adw_style_manager_get_dark (sm)
                                   ? tc_chart_style_dark ()
                                   : tc_chart_style_light ());
}

void
tc_chart_view_set_chart (TcChartView *self,
                         TcChart     *chart)
{
  g_return_if_fail (TC_IS_CHART_VIEW (self));
  g_return_if_fail (TC_IS_CHART (chart));

  if (self->chart == chart)
    return;
  if (self->chart)
    {
      g_clear_signal_handler (&self->changed_id, self->chart);
      g_object_unref (self->chart);
    }
  self->chart = g_object_ref (chart);
  self->changed_id = g_signal_connect_swapped (chart, "changed", G_CALLBACK (chart_changed), self);
  update_style (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}

TcChart *
tc_chart_view_get_chart (TcChartView *self)
{
  g_return_val_if_fail (TC_IS_CHART_VIEW (self), NULL);
  return self->chart;
}

static void
sync_size (TcChartView *self)
{
  tc_chart_set_size (self->chart,
                     gtk_widget_get_width (GTK_WIDGET (self)),
                     gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
tc_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TcChartView *self = TC_CHART_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (w <= 0 || h <= 0)
    return;
  sync_size (self);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  tc_chart_render (self->chart, cr, w, h);
  cairo_destroy (cr);
}

static void
tc_chart_view_measure (GtkWidget      *widget,
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
      *minimum = 160;
      *natural = 360;
    }
}

static void
tc_chart_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  tc_chart_set_size (TC_CHART_VIEW (widget)->chart, width, height);
}

/* -- input ---------------------------------------------------------------- */

static void
motion (GtkEventControllerMotion *ctl,
        double                    x,
        double                    y,
        TcChartView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  sync_size (self);
  tc_chart_hover_at (self->chart, x, y, NULL);
}

static void
leave (GtkEventControllerMotion *ctl,
       TcChartView              *self)
{
  self->pointer_inside = FALSE;
  tc_chart_clear_hover (self->chart);
}

static gboolean
scroll (GtkEventControllerScroll *ctl,
        double                    dx,
        double                    dy,
        TcChartView              *self)
{
  double x = self->pointer_inside ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;

  sync_size (self);
  /* Vertical scrolling zooms around the pointer; sideways scrolling pans. */
  if (dy != 0)
    tc_chart_zoom (self->chart, x, pow (1.15, -dy));
  if (dx != 0)
    tc_chart_pan (self->chart, -dx * 20);
  if (self->pointer_inside)
    tc_chart_hover_at (self->chart, self->pointer_x, self->pointer_y, NULL);
  return TRUE;
}

static void
zoom_begin (GtkGesture       *gesture,
            GdkEventSequence *sequence,
            TcChartView      *self)
{
  self->zoom_last_scale = 1.0;
}

static void
zoom_scale_changed (GtkGestureZoom *gesture,
                    double          scale,
                    TcChartView    *self)
{
  double cx = 0, cy = 0;

  if (!(scale > 0) || !(self->zoom_last_scale > 0))
    return;
  sync_size (self);
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  tc_chart_zoom (self->chart, cx, scale / self->zoom_last_scale);
  self->zoom_last_scale = scale;
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            TcChartView    *self)
{
  self->drag_last_x = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             TcChartView    *self)
{
  sync_size (self);
  tc_chart_pan (self->chart, offset_x - self->drag_last_x);
  self->drag_last_x = offset_x;
}

static void
pressed (GtkGestureClick *gesture,
         int              n_press,
         double           x,
         double           y,
         TcChartView     *self)
{
  if (n_press == 2)
    tc_chart_reset_view (self->chart);
}

static gboolean
key_pressed (GtkEventControllerKey *ctl,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             TcChartView           *self)
{
  int page = (state & GDK_SHIFT_MASK) ? 10 : 1;

  sync_size (self);
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      tc_chart_move_hover (self->chart, -page);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      tc_chart_move_hover (self->chart, page);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_KP_Add:
    case GDK_KEY_equal:
      tc_chart_zoom (self->chart, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, 1.5);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      tc_chart_zoom (self->chart, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, 1 / 1.5);
      return TRUE;
    case GDK_KEY_Escape:
      tc_chart_clear_hover (self->chart);
      tc_chart_reset_view (self->chart);
      return TRUE;
    default:
      return FALSE;
    }
}

/* -- GObject -------------------------------------------------------------- */

static void
tc_chart_view_dispose (GObject *object)
{
  TcChartView *self = TC_CHART_VIEW (object);

  if (self->chart)
    g_clear_signal_handler (&self->changed_id, self->chart);
  g_clear_object (&self->chart);

  G_OBJECT_CLASS (tc_chart_view_parent_class)->dispose (object);
}

static void
tc_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TcChartView *self = TC_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, self->chart);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TcChartView *self = TC_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      if (g_value_get_object (value))
        tc_chart_view_set_chart (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_chart_view_class_init (TcChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_chart_view_dispose;
  object_class->get_property = tc_chart_view_get_property;
  object_class->set_property = tc_chart_view_set_property;
  widget_class->snapshot = tc_chart_view_snapshot;
  widget_class->measure = tc_chart_view_measure;
  widget_class->size_allocate = tc_chart_view_size_allocate;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL, TC_TYPE_CHART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tc_chart_view_init (TcChartView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *ctl;
  GtkGesture *gesture;
  g_autoptr(TcChart) chart = tc_chart_new ();

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_cursor_from_name (widget, "crosshair");

  tc_chart_view_set_chart (self, chart);

  /* Follow the dark/light preference for as long as the view lives. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style), self, G_CONNECT_SWAPPED);

  ctl = gtk_event_controller_motion_new ();
  g_signal_connect (ctl, "motion", G_CALLBACK (motion), self);
  g_signal_connect (ctl, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (widget, ctl);

  ctl = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (ctl, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (widget, ctl);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  ctl = gtk_event_controller_key_new ();
  g_signal_connect (ctl, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (widget, ctl);
}

GtkWidget *
tc_chart_view_new (void)
{
  return g_object_new (TC_TYPE_CHART_VIEW, NULL);
}
