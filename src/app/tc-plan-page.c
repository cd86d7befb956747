/* tc-plan-page.c — the Plan page: how much to order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A table of every series with its order, the order-up-to level, the
 * risk of running out, the expected leftover and how long the stock
 * lasts (tc-orders.h), and the growth the forecast expects (tc-hot.h).
 * Every number's tooltip says what it means in a sentence; the last
 * column opens them all.  The plan is computed in the main loop: it
 * needs the session's forecast, which the session caches, and the
 * arithmetic takes milliseconds per thousand series.
 */

#define G_LOG_DOMAIN "tc-plan-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tc-format.h"
#include "tc-chart.h"
#include "tc-error.h"
#include "tc-explore.h"
#include "tc-plan-page.h"
#include "tc-tsan.h"
#include "tc-app-files.h"

/* Recent steps before the forecast in a sparkline, at most. */
#define SPARK_HISTORY 52

/* -- a row ------------------------------------------------------------------ */

#define TC_TYPE_PLAN_ITEM (tc_plan_item_get_type ())
G_DECLARE_FINAL_TYPE (TcPlanItem, tc_plan_item, TC, PLAN_ITEM, GObject)

struct _TcPlanItem
{
  GObject   parent_instance;

  guint     series;
  char     *id;
  double    position, order, up_to, risk, leftover, cover, growth;
  guint     horizon;
  char     *text[TC_PLAN_N_COLUMNS];   /* what each cell shows */
  char     *tip[TC_PLAN_N_COLUMNS];    /* what it means */
  char     *risk_style;                /* "error", "warning" or NULL */
  gboolean  is_new;
  double   *spark;                     /* (n_spark) recent sales, then the forecast's median */
  guint     n_spark, n_history;
};

G_DEFINE_FINAL_TYPE (TcPlanItem, tc_plan_item, G_TYPE_OBJECT)

static void
tc_plan_item_finalize (GObject *object)
{
  TcPlanItem *self = TC_PLAN_ITEM (object);

  for (guint c = 0; c < TC_PLAN_N_COLUMNS; c++)
    {
      g_free (self->text[c]);
      g_free (self->tip[c]);
    }
  g_free (self->id);
  g_free (self->risk_style);
  g_free (self->spark);
  G_OBJECT_CLASS (tc_plan_item_parent_class)->finalize (object);
}

static void
tc_plan_item_class_init (TcPlanItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_plan_item_finalize;
}

static void
tc_plan_item_init (TcPlanItem *self)
{
}

/* -- the page --------------------------------------------------------------- */

struct _TcPlanPage
{
  AdwBin          parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkLabel       *summary_label;
  GtkLabel       *stock_label;
  GtkLabel       *lead_unit;
  GtkLabel       *review_unit;
  GtkButton      *stock_button;
  GtkButton      *export_button;
  GtkSpinButton  *lead_spin;
  GtkSpinButton  *review_spin;
  GtkSpinButton  *level_spin;
  GtkColumnView  *view;

  GListStore     *store;
  GtkSortListModel *sorted;
  GtkColumnViewColumn *columns[TC_PLAN_N_COLUMNS];
  GSettings      *settings;
  TcSession      *session;
  GFile          *stock_file;      /* NULL: a stock column of the data, or none */
  TcOrderPlan    *plan;
  TcHotReport    *hot;
  gboolean        dirty;
  gboolean        updating;        /* the spins are being set from code */
  gboolean        refreshing;
  /* The forecast and the plan are computed in worker threads; a result
   * for inputs that changed meanwhile is dropped. */
  GCancellable   *cancellable;
  guint64         generation;
  gboolean        busy;
  GtkSpinner     *spinner;
};

G_DEFINE_FINAL_TYPE (TcPlanPage, tc_plan_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *stock_column_names[] = { "stock", "inventory", "on_hand", "on hand", "库存" };

/* -- texts ------------------------------------------------------------------ */

static char *
percent_text (double p)
{
  if (!isfinite (p))
    return g_strdup ("—");
  if (p > 0 && p < 0.005)
    return g_strdup ("< 1 %");
  if (p < 1 && p > 0.995)
    return g_strdup ("> 99 %");
  return g_strdup_printf ("%.0f" TC_PERCENT, 100 * p);
}

static char *
growth_text (const TcHotItem *h)
{
  double lo = 100 * h->growth_lo, hi = 100 * h->growth_hi;

  if (!isfinite (lo) || !isfinite (hi))
    return g_strdup ("—");
  /* TRANSLATORS: the likely range of growth, "+20…+45 %". */
  return g_strdup_printf (_("%s%.0f…%s%.0f %%"), lo < -0.5 ? "−" : "+", fabs (lo), hi < -0.5 ? "−" : "+", fabs (hi));
}

static const char *
unit_word (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return _("hours");
    case TC_FREQ_DAILY:     return _("days");
    case TC_FREQ_WEEKLY:    return _("weeks");
    case TC_FREQ_MONTHLY:   return _("months");
    case TC_FREQ_QUARTERLY: return _("quarters");
    case TC_FREQ_YEARLY:    return _("years");
    case TC_FREQ_UNKNOWN:
    default:                return _("periods");
    }
}

static TcPlanItem *
plan_item_new (const TcDataset *ds, const TcForecast *f, const TcOrderPlan *plan,
               const TcOrderLine *line, const TcHotReport *report, const TcHotItem *hot)
{
  TcPlanItem *it = g_object_new (TC_TYPE_PLAN_ITEM, NULL);
  char *words[TC_ORDER_N_WORDS];
  guint s = line->series, origin, from, h, nq = f->n_quantiles;
  const double *y = tc_dataset_target_row (ds, s);
  GString *all = g_string_new (NULL);

  it->series = s;
  it->id = g_strdup (ds->series_ids[s] && *ds->series_ids[s] ? ds->series_ids[s]
                     : ds->target_name ? ds->target_name : "series");
  it->position = line->position;
  it->order = line->order;
  it->up_to = line->order_up_to;
  it->risk = plan->params.lead_time > 0 ? line->risk_before_arrival : line->risk_end;
  it->leftover = line->expected_leftover;
  it->cover = line->cover_steps;
  it->growth = hot && hot->source == TC_HOT_MODEL ? hot->growth : NAN;
  it->is_new = hot && hot->source == TC_HOT_BORROWED;
  it->horizon = f->horizon;

  tc_order_line_sentences (plan, line, words);
  it->text[TC_PLAN_COLUMN_SERIES] = g_strdup (it->id);
  it->tip[TC_PLAN_COLUMN_SERIES] = g_strdup (it->id);
  it->text[TC_PLAN_COLUMN_STOCK] = tc_explore_format_number (line->position);
  it->tip[TC_PLAN_COLUMN_STOCK] = g_strdup (words[TC_ORDER_WORDS_POSITION]);
  it->text[TC_PLAN_COLUMN_ORDER] = tc_explore_format_number (line->order);
  it->tip[TC_PLAN_COLUMN_ORDER] = g_strconcat (words[TC_ORDER_WORDS_ORDER], "\n", words[TC_ORDER_WORDS_DEMAND], NULL);
  it->text[TC_PLAN_COLUMN_UP_TO] = tc_explore_format_number (tc_order_line_level (line));
  it->tip[TC_PLAN_COLUMN_UP_TO] = g_strconcat (words[TC_ORDER_WORDS_LEVEL], "\n", words[TC_ORDER_WORDS_DEMAND], NULL);
  it->text[TC_PLAN_COLUMN_RISK] = percent_text (it->risk);
  it->tip[TC_PLAN_COLUMN_RISK] = words[TC_ORDER_WORDS_RISK_ARRIVAL]
                                 ? g_strconcat (words[TC_ORDER_WORDS_RISK_ARRIVAL], "\n", words[TC_ORDER_WORDS_RISK_END], NULL)
                                 : g_strdup (words[TC_ORDER_WORDS_RISK_END]);
  /* Red where it is likely, amber where it exceeds what the service
   * level allows. */
  it->risk_style = g_strdup (it->risk >= 0.5 ? "error" : it->risk > 1 - plan->params.service_level + 1e-9 ? "warning" : NULL);
  it->text[TC_PLAN_COLUMN_LEFTOVER] = tc_explore_format_number (line->expected_leftover);
  it->tip[TC_PLAN_COLUMN_LEFTOVER] = g_strdup (words[TC_ORDER_WORDS_LEFTOVER]);
  if (isinf (line->cover_steps))
    it->text[TC_PLAN_COLUMN_COVER] = g_strdup_printf ("> %u", f->horizon);
  else
    it->text[TC_PLAN_COLUMN_COVER] = g_strdup_printf ("%.1f", line->cover_steps);
  it->tip[TC_PLAN_COLUMN_COVER] = g_strdup (words[TC_ORDER_WORDS_COVER]);
  if (it->is_new)
    it->text[TC_PLAN_COLUMN_GROWTH] = g_strdup (C_("product", "new"));
  else if (hot)
    it->text[TC_PLAN_COLUMN_GROWTH] = growth_text (hot);
  else
    it->text[TC_PLAN_COLUMN_GROWTH] = g_strdup ("—");
  it->tip[TC_PLAN_COLUMN_GROWTH] = hot ? tc_hot_item_explain (report, hot, ds)
                                       : g_strdup (_("No growth figure for this series."));

  for (guint k = 0; k < TC_ORDER_N_WORDS; k++)
    if (words[k] != NULL)
      g_string_append_printf (all, "%s%s", all->len ? "\n" : "", words[k]);
  it->text[TC_PLAN_COLUMN_INFO] = g_string_free (all, FALSE);
  it->tip[TC_PLAN_COLUMN_INFO] = g_strdup (_("Every number of this row in words"));
  for (guint k = 0; k < TC_ORDER_N_WORDS; k++)
    g_free (words[k]);

  /* The sparkline: the last weeks before the forecast, then its median. */
  origin = MIN (tc_forecast_series_origin (f, s), ds->n_times);
  from = origin > MAX (SPARK_HISTORY, 3 * f->horizon) ? origin - MAX (SPARK_HISTORY, 3 * f->horizon) : 0;
  from = MAX (from, MIN (ds->start[s], origin));
  it->n_history = origin - from;
  it->n_spark = it->n_history + f->horizon;
  it->spark = g_new (double, MAX (it->n_spark, 1));
  for (h = 0; h < it->n_history; h++)
    it->spark[h] = y[from + h];
  for (h = 0; h < f->horizon; h++)
    it->spark[it->n_history + h] = f->values[((gsize) s * f->horizon + h) * nq + plan->median];
  return it;
}

/* -- cells ------------------------------------------------------------------ */

static void
load_css (void)
{
  static gsize done = 0;

  /* The same pills as the Data page's, which may not exist (tests). */
  if (g_once_init_enter (&done))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      gtk_css_provider_load_from_data (provider,
                                       ".tc-plan-pill { padding: 1px 8px; border-radius: 999px; font-weight: bold; }"
                                       ".tc-plan-pill.warning { background-color: alpha(@warning_color, 0.15); }"
                                       ".tc-plan-pill.error { background-color: alpha(@error_color, 0.15); }",
                                       -1);
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
      g_once_init_leave (&done, 1);
    }
}

static void
draw_sparkline (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  TcPlanItem *it = user_data;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
  TcRGBA color;
  double x;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (area)), "accent_color", &accent);
G_GNUC_END_IGNORE_DEPRECATIONS
  color = (TcRGBA) { accent.red, accent.green, accent.blue, accent.alpha };
  /* Where the forecast starts: a faint line, so that history and
   * forecast read apart in one stroke. */
  if (it->n_spark > 1)
    {
      x = (double) (it->n_history > 0 ? it->n_history - 1 : 0) / (it->n_spark - 1) * width;
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.35);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, floor (x) + 0.5, 0);
      cairo_line_to (cr, floor (x) + 0.5, height);
      cairo_stroke (cr);
    }
  tc_sparkline_render (cr, it->spark, it->n_spark, width, height, &color);
}

/* The explanations are sentences: a tooltip that wraps them, where
 * GTK's own would run one line off the screen. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "tc-plan-tip");
  GtkWidget *label;

  if (text == NULL || *text == '\0')
    return FALSE;
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_tooltip_set_custom (tooltip, label);
  return TRUE;
}

static void
set_tip (GtkWidget *w, const char *text)
{
  g_object_set_data_full (G_OBJECT (w), "tc-plan-tip", g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (w, text != NULL);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TcPlanColumn col = GPOINTER_TO_INT (user_data);
  GtkWidget *w;

  if (col == TC_PLAN_COLUMN_TREND)
    {
      w = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (w), 80);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (w), 24);
      gtk_widget_set_margin_top (w, 3);
      gtk_widget_set_margin_bottom (w, 3);
    }
  else if (col == TC_PLAN_COLUMN_INFO)
    {
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_popover_set_child (GTK_POPOVER (popover), label);
      w = gtk_menu_button_new ();
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (w), "help-about-symbolic");
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (w), popover);
      gtk_widget_add_css_class (w, "flat");
      gtk_widget_add_css_class (w, "circular");
      gtk_widget_set_halign (w, GTK_ALIGN_CENTER);
    }
  else
    {
      w = gtk_label_new (NULL);
      /* Numbers are never cut: a narrow window scrolls the table
       * sideways instead.  Only long series ids are shortened. */
      if (col == TC_PLAN_COLUMN_SERIES)
        {
          gtk_label_set_ellipsize (GTK_LABEL (w), PANGO_ELLIPSIZE_END);
          gtk_label_set_width_chars (GTK_LABEL (w), 9);
          gtk_label_set_xalign (GTK_LABEL (w), 0);
          gtk_widget_add_css_class (w, "heading");
        }
      else
        {
          gtk_label_set_xalign (GTK_LABEL (w), 1);
          gtk_widget_add_css_class (w, "numeric");
        }
      if (col == TC_PLAN_COLUMN_RISK || col == TC_PLAN_COLUMN_GROWTH)
        gtk_widget_set_halign (w, GTK_ALIGN_END);
    }
  g_signal_connect (w, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_list_item_set_child (item, w);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  TcPlanColumn col = GPOINTER_TO_INT (user_data);
  TcPlanItem *it = gtk_list_item_get_item (item);
  GtkWidget *w = gtk_list_item_get_child (item);

  if (col == TC_PLAN_COLUMN_TREND)
    {
      g_autofree char *words = tc_sparkline_dup_text (it->spark, it->n_spark, it->n_history);

      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (w), draw_sparkline, g_object_ref (it), g_object_unref);
      set_tip (w, _("Sales of the last weeks, then the forecast's median (after the faint line)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (w),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sales and forecast"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, words, -1);
      return;
    }
  if (col == TC_PLAN_COLUMN_INFO)
    {
      GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (w));

      gtk_label_set_text (GTK_LABEL (gtk_popover_get_child (popover)), it->text[col]);
      set_tip (w, it->tip[col]);
      return;
    }
  gtk_label_set_text (GTK_LABEL (w), it->text[col]);
  set_tip (w, it->tip[col]);
  gtk_widget_remove_css_class (w, "tc-plan-pill");
  gtk_widget_remove_css_class (w, "warning");
  gtk_widget_remove_css_class (w, "error");
  gtk_widget_remove_css_class (w, "success");
  if (col == TC_PLAN_COLUMN_RISK && it->risk_style != NULL)
    {
      gtk_widget_add_css_class (w, "tc-plan-pill");
      gtk_widget_add_css_class (w, it->risk_style);
    }
  if (col == TC_PLAN_COLUMN_GROWTH && it->is_new)
    gtk_widget_add_css_class (w, "tc-plan-pill");
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  if (GPOINTER_TO_INT (user_data) == TC_PLAN_COLUMN_TREND)
    gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (gtk_list_item_get_child (item)), NULL, NULL, NULL);
}

/* -- sorting ---------------------------------------------------------------- */

static double
sort_key (const TcPlanItem *it, TcPlanColumn col)
{
  switch (col)
    {
    case TC_PLAN_COLUMN_STOCK:    return it->position;
    case TC_PLAN_COLUMN_ORDER:    return it->order;
    case TC_PLAN_COLUMN_UP_TO:    return it->up_to;
    case TC_PLAN_COLUMN_RISK:     return it->risk;
    case TC_PLAN_COLUMN_LEFTOVER: return it->leftover;
    case TC_PLAN_COLUMN_COVER:    return it->cover;
    case TC_PLAN_COLUMN_GROWTH:   return it->is_new ? G_MAXDOUBLE : it->growth;
    case TC_PLAN_COLUMN_SERIES:
    case TC_PLAN_COLUMN_TREND:
    case TC_PLAN_COLUMN_INFO:
    case TC_PLAN_N_COLUMNS:
    default:                      return 0;
    }
}

static int
compare_items (gconstpointer a, gconstpointer b, gpointer user_data)
{
  TcPlanColumn col = GPOINTER_TO_INT (user_data);
  const TcPlanItem *x = a, *y = b;
  double kx, ky;

  if (col == TC_PLAN_COLUMN_SERIES)
    return g_utf8_collate (x->id, y->id);
  kx = sort_key (x, col);
  ky = sort_key (y, col);
  /* Unknown values (NaN) last in either direction would need the
   * direction; first is good enough and keeps the sort total. */
  if (isnan (kx) || isnan (ky))
    return isnan (kx) - isnan (ky);
  return (kx > ky) - (kx < ky);
}

static void
build_view (TcPlanPage *self)
{
  static const char *titles[] = {
    N_("Series"), N_("Trend"), N_("Stock"), N_("Order"), N_("Up To"), N_("Risk"), N_("Leftover"),
    N_("Cover"), N_("Growth"), "",
  };
  g_autoptr (GtkNoSelection) selection = NULL;

  self->store = g_list_store_new (TC_TYPE_PLAN_ITEM);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));

  for (guint c = 0; c < TC_PLAN_N_COLUMNS; c++)
    {
      g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (*titles[c] ? _(titles[c]) : "", g_object_ref (factory));
      gtk_column_view_column_set_expand (column, c == TC_PLAN_COLUMN_SERIES);
      gtk_column_view_column_set_resizable (column, c == TC_PLAN_COLUMN_SERIES);
      if (c != TC_PLAN_COLUMN_TREND && c != TC_PLAN_COLUMN_INFO)
        {
          g_autoptr (GtkCustomSorter) sorter = gtk_custom_sorter_new (compare_items, GINT_TO_POINTER (c), NULL);

          gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
        }
      gtk_column_view_append_column (self->view, column);
      self->columns[c] = column;
      g_object_unref (column);
    }
}

/* -- computing the plan ----------------------------------------------------- */

static void
show_empty (TcPlanPage *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->empty_status, title);
  adw_status_page_set_description (self->empty_status, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* The stock: the chosen file, else a stock column of the data, else
 * nothing (zero, said in words). */
static TcStock *
load_stock (TcPlanPage *self, const TcDataset *ds, char **note)
{
  g_autoptr (GError) error = NULL;
  TcStock *stock;

  if (self->stock_file != NULL)
    {
      g_autofree char *path = g_file_get_path (self->stock_file);
      g_autofree char *name = g_file_get_basename (self->stock_file);
      g_auto (GStrv) unknown = NULL;
      guint matched = 0;

      stock = path ? tc_orders_read_stock (path, ds, &matched, &unknown, &error) : NULL;
      if (stock != NULL)
        {
          guint n_unknown = g_strv_length (unknown);

          if (n_unknown > 0)
            /* TRANSLATORS: "Stock from “stock.csv”: 28 of 30 series; 2 ids there are no series of the data." */
            *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Stock from “%s”: %u of %u series; %u id there is no series of the data.",
                                                  "Stock from “%s”: %u of %u series; %u ids there are no series of the data.",
                                                  n_unknown),
                                     name, matched, ds->n_series, n_unknown);
          else if (matched < ds->n_series)
            *note = g_strdup_printf (_("Stock from “%s”: %u of %u series; the others have no plan."),
                                     name, matched, ds->n_series);
          else
            *note = g_strdup_printf (_("Stock from “%s”, for every series."), name);
          return stock;
        }
      /* TRANSLATORS: "Could not read “stock.csv”: …; the orders assume nothing in stock." */
      *note = g_strdup_printf (_("Could not read “%s”: %s. The orders below assume nothing in stock."),
                               name, error ? error->message : "");
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (stock_column_names); i++)
        {
          for (guint k = 0; k < ds->n_observed + ds->n_known; k++)
            {
              const char *n = k < ds->n_observed ? ds->observed_names[k] : ds->known_names[k - ds->n_observed];

              if (g_ascii_strcasecmp (n, stock_column_names[i]) == 0)
                {
                  stock = tc_orders_stock_from_column (ds, n, NULL);
                  if (stock != NULL)
                    {
                      *note = g_strdup_printf (_("Stock from the column “%s” of the data: its last value for each series."), n);
                      return stock;
                    }
                }
            }
        }
      *note = g_strdup (_("No stock given: the orders below assume nothing in stock or on order. "
                          "Open a stock file (sku, stock, on_order) for real quantities."));
    }
  stock = g_new (TcStock, MAX (ds->n_series, 1));
  for (guint s = 0; s < ds->n_series; s++)
    {
      stock[s].stock = 0;
      stock[s].on_order = 0;
    }
  return stock;
}

static void
update_units (TcPlanPage *self, const TcDataset *ds)
{
  g_autofree char *cover = NULL;

  gtk_label_set_text (self->lead_unit, unit_word (ds->freq));
  gtk_label_set_text (self->review_unit, unit_word (ds->freq));
  /* TRANSLATORS: a column title, "Cover (weeks)": how long the stock lasts. */
  cover = g_strdup_printf (_("Cover (%s)"), unit_word (ds->freq));
  gtk_column_view_column_set_title (self->columns[TC_PLAN_COLUMN_COVER], cover);
}

static void refresh_now (TcPlanPage *self);

void
tc_plan_page_refresh (TcPlanPage *self)
{
  g_return_if_fail (TC_IS_PLAN_PAGE (self));

  /* The session computes its forecast on first use and announces it
   * (notify::forecast) from inside the refresh that asked for it. */
  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  refresh_now (self);
  self->refreshing = FALSE;
}

static void
set_busy (TcPlanPage *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  if (busy)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A copy the worker owns: the session may drop its forecast meanwhile. */
static TcForecast *
forecast_copy (const TcForecast *f)
{
  TcForecast *c = g_memdup2 (f, sizeof *f);
  gsize n_values = (gsize) f->n_series * f->horizon * f->n_quantiles;

  c->times = g_memdup2 (f->times, sizeof (gint64) * f->horizon);
  c->values = g_memdup2 (f->values, sizeof (double) * n_values);
  c->origins = f->origins ? g_memdup2 (f->origins, sizeof (guint) * f->n_series) : NULL;
  c->series_times = f->series_times ? g_memdup2 (f->series_times, sizeof (gint64) * f->n_series * f->horizon) : NULL;
  return c;
}

typedef struct
{
  TcDataset     *ds;
  TcForecast    *f;
  TcStock       *stock;      /* (n_series) or NULL */
  TcOrderParams  params;
  guint64        generation;
  TcOrderPlan   *plan;       /* results */
  TcHotReport   *hot;
} PlanJob;

static void
plan_job_free (PlanJob *job)
{
  TC_TSAN_ACQUIRE (job);
  g_clear_pointer (&job->ds, tc_dataset_free);
  g_clear_pointer (&job->f, tc_forecast_free);
  g_free (job->stock);
  g_clear_pointer (&job->plan, tc_order_plan_free);
  g_clear_pointer (&job->hot, tc_hot_report_free);
  g_free (job);
}

static void
plan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PlanJob *job = task_data;
  GError *error = NULL;
  TcOrderPlan *plan;

  TC_TSAN_ACQUIRE (job);
  plan = tc_order_plan_new (job->ds, job->f, job->stock, &job->params, &error);
  if (plan != NULL && !g_cancellable_is_cancelled (cancellable))
    job->hot = tc_hot_report_new (job->ds, job->f, NULL, NULL);
  job->plan = plan;
  /* Nothing of the job is read after this: the main thread takes it. */
  TC_TSAN_RELEASE (job);
  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
plan_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (TcPlanPage) self = user_data;   /* see the g_task_new () */
  PlanJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  g_autofree TcPlanItem **items = NULL;
  g_autofree const TcHotItem **by_series = NULL;
  g_autofree char *summary = NULL;
  const TcDataset *ds;
  const TcForecast *f;
  guint i, n = 0;

  TC_TSAN_ACQUIRE (job);
  if (!g_task_propagate_boolean (G_TASK (res), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  /* Only the latest request's result is shown. */
  if (job->generation != self->generation || self->session == NULL)
    goto out;
  set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "content");
  if (job->plan == NULL)
    {
      gtk_label_set_text (self->summary_label, error ? error->message : "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
      goto out;
    }
  /* The items read the page's own copies, kept with the plan. */
  ds = tc_session_get_dataset (self->session);
  f = tc_session_peek_forecast (self->session);
  if (ds == NULL || f == NULL)
    goto out;
  self->plan = g_steal_pointer (&job->plan);
  self->hot = g_steal_pointer (&job->hot);
  by_series = g_new0 (const TcHotItem *, MAX (ds->n_series, 1));
  for (i = 0; self->hot && i < self->hot->n_items; i++)
    by_series[self->hot->items[i].series] = &self->hot->items[i];
  items = g_new0 (TcPlanItem *, MAX (self->plan->n_lines, 1));
  for (i = 0; i < self->plan->n_lines; i++)
    if (self->plan->lines[i].status == TC_ORDER_OK)
      items[n++] = plan_item_new (ds, f, self->plan, &self->plan->lines[i], self->hot,
                                  by_series[self->plan->lines[i].series]);
  g_list_store_splice (self->store, 0, 0, (gpointer *) items, n);
  for (i = 0; i < n; i++)
    g_object_unref (items[i]);
  summary = tc_order_plan_summary (self->plan);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), n > 0);
out:
  TC_TSAN_RELEASE (job);
}

static void
start_plan (TcPlanPage *self, const TcDataset *ds, const TcForecast *f)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *note = NULL;
  PlanJob *job;

  update_units (self, ds);
  /* The protection period cannot outrun the forecast. */
  self->updating = TRUE;
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->lead_spin), MAX (f->horizon, 1) - 1);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->review_spin),
                            MAX (f->horizon - (guint) gtk_spin_button_get_value_as_int (self->lead_spin), 1));
  self->updating = FALSE;

  job = g_new0 (PlanJob, 1);
  job->params.lead_time = gtk_spin_button_get_value_as_int (self->lead_spin);
  job->params.review_period = MAX (gtk_spin_button_get_value_as_int (self->review_spin), 1);
  job->params.service_level = gtk_spin_button_get_value (self->level_spin) / 100;
  job->stock = load_stock (self, ds, &note);
  job->ds = tc_dataset_copy (ds);
  job->f = forecast_copy (f);
  job->generation = self->generation;
  gtk_label_set_text (self->stock_label, note);

  set_busy (self, TRUE);
  /* The page is the callback's data, not the task's source object:
   * the worker thread may drop the task last, and the page with it,
   * which must not be finalized outside the main thread. */
  task = g_task_new (NULL, self->cancellable, plan_done, g_object_ref (self));
  g_task_set_source_tag (task, start_plan);
  g_task_set_task_data (task, job, (GDestroyNotify) plan_job_free);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, plan_thread);
}

typedef struct
{
  TcPlanPage *self;          /* a reference */
  guint64     generation;
} ForecastWait;

static void
forecast_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  ForecastWait *wait = user_data;
  TcPlanPage *self = wait->self;
  guint64 generation = wait->generation;
  g_autoptr (GError) error = NULL;
  const TcForecast *f = tc_session_forecast_finish (TC_SESSION (source), res, &error);

  /* A newer refresh (the forecast's own notification starts one) owns the page. */
  if (generation == self->generation && self->session == TC_SESSION (source))
    {
      if (f != NULL)
        start_plan (self, tc_session_get_dataset (self->session), f);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               && !g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          show_empty (self, _("No Forecast to Plan From"), error->message);
        }
    }
  g_object_unref (self);
  g_free (wait);
}

static void
refresh_now (TcPlanPage *self)
{
  const TcDataset *ds;
  const TcForecast *f;

  self->dirty = FALSE;
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->plan, tc_order_plan_free);
  g_clear_pointer (&self->hot, tc_hot_report_free);
  g_list_store_remove_all (self->store);

  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (ds == NULL || tc_session_get_forecaster (self->session) == NULL)
    {
      set_busy (self, FALSE);
      show_empty (self, _("No Forecast to Plan From"),
                  _("Import sales data and train or open a model: the plan orders from its forecast, "
                    "the stock and the lead time"));
      return;
    }
  f = tc_session_peek_forecast (self->session);
  if (f != NULL)
    {
      start_plan (self, ds, f);
      return;
    }
  /* The forecast first, in the session's worker. */
  set_busy (self, TRUE);
  {
    ForecastWait *wait = g_new0 (ForecastWait, 1);

    wait->self = g_object_ref (self);
    wait->generation = self->generation;
    tc_session_forecast_async (self->session, self->cancellable, forecast_done, wait);
  }
}

static void
mark_dirty (TcPlanPage *self)
{
  self->dirty = TRUE;
  /* A plan being computed is for the old inputs, even while hidden. */
  self->generation++;
  if (self->busy && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      set_busy (self, FALSE);
    }
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    tc_plan_page_refresh (self);
}

static void
on_map (TcPlanPage *self)
{
  if (self->dirty)
    tc_plan_page_refresh (self);
}

static void
on_parameter_changed (TcPlanPage *self)
{
  if (self->updating)
    return;
  mark_dirty (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* -- stock file and export ---------------------------------------------------- */

static void
on_stock_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  TcPlanPage *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      tc_plan_page_set_stock_file (self, file, NULL);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_stock_clicked (TcPlanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Stock"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Stock (CSV, Excel)"));
  tc_app_file_filter_add_tables (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (on_stock_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_export_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  TcPlanPage *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path && tc_plan_page_export_csv (self, path, &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), base);

          tc_app_toast_saved (GTK_WIDGET (self), file, msg);
        }
      else if (path)
        tc_app_toast (GTK_WIDGET (self), error->message, NULL, NULL, NULL);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_export_clicked (TcPlanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Plan"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "plan.csv");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* -- GObject ------------------------------------------------------------------ */

static void
on_session_changed (TcPlanPage *self)
{
  mark_dirty (self);
}

static void
tc_plan_page_dispose (GObject *object)
{
  TcPlanPage *self = TC_PLAN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  tc_plan_page_set_session (self, NULL);
  /* The columns hold the sorter the sorted model watches. */
  if (self->view != NULL)
    gtk_column_view_set_model (self->view, NULL);
  g_clear_object (&self->sorted);
  g_clear_object (&self->store);
  g_clear_object (&self->stock_file);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->plan, tc_order_plan_free);
  g_clear_pointer (&self->hot, tc_hot_report_free);
  g_clear_object (&self->cancellable);
  /* AdwBin unparents its child, the template's root, itself. */
  G_OBJECT_CLASS (tc_plan_page_parent_class)->dispose (object);
}

static void
tc_plan_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TcPlanPage *self = TC_PLAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_plan_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TcPlanPage *self = TC_PLAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_plan_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_plan_page_class_init (TcPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_plan_page_dispose;
  object_class->get_property = tc_plan_page_get_property;
  object_class->set_property = tc_plan_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /**
   * TcPlanPage::changed:
   *
   * The user changed a parameter or the stock file: what a project
   * saves of the page.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, stock_label);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, lead_unit);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, review_unit);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, stock_button);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, lead_spin);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, review_spin);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, level_spin);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, view);
  gtk_widget_class_bind_template_child (widget_class, TcPlanPage, spinner);
}

static void
tc_plan_page_init (TcPlanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  load_css ();
  build_view (self);
  self->dirty = TRUE;

  /* The last parameters come back with the page. */
  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "plan-lead-time", gtk_spin_button_get_adjustment (self->lead_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "plan-review-period", gtk_spin_button_get_adjustment (self->review_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "plan-service-level", gtk_spin_button_get_adjustment (self->level_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_swapped (self->lead_spin, "value-changed", G_CALLBACK (on_parameter_changed), self);
  g_signal_connect_swapped (self->review_spin, "value-changed", G_CALLBACK (on_parameter_changed), self);
  g_signal_connect_swapped (self->level_spin, "value-changed", G_CALLBACK (on_parameter_changed), self);
  g_signal_connect_swapped (self->stock_button, "clicked", G_CALLBACK (on_stock_clicked), self);
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_map), self);
  /* The riskiest first: what needs a decision today. */
  gtk_column_view_sort_by_column (self->view, self->columns[TC_PLAN_COLUMN_RISK], GTK_SORT_DESCENDING);
  tc_plan_page_refresh (self);
}

/* -- public ------------------------------------------------------------------- */

/**
 * tc_plan_page_get_session:
 *
 * Returns: (transfer none) (nullable): the session the page plans from
 */
TcSession *
tc_plan_page_get_session (TcPlanPage *self)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  return self->session;
}

/**
 * tc_plan_page_set_session:
 *
 * Plans from @session's forecast, again whenever its data, model or
 * forecast change.
 */
void
tc_plan_page_set_session (TcPlanPage *self,
                          TcSession  *session)
{
  g_return_if_fail (TC_IS_PLAN_PAGE (self));

  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_swapped (session, "notify::dataset", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::forecaster", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::forecast", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::future", G_CALLBACK (on_session_changed), self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  mark_dirty (self);
}

/**
 * tc_plan_page_set_stock_file:
 *
 * Reads the stock from @file from now on (NULL: from the data).  The
 * table shows what it could read; a file it cannot read is reported under
 * the summary and with @error.
 */
gboolean
tc_plan_page_set_stock_file (TcPlanPage  *self,
                             GFile       *file,
                             GError     **error)
{
  const TcDataset *ds;

  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), FALSE);

  if (g_set_object (&self->stock_file, file))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  tc_plan_page_refresh (self);
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (file != NULL && ds != NULL)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree TcStock *check = path ? tc_orders_read_stock (path, ds, NULL, NULL, error) : NULL;

      return check != NULL;
    }
  return TRUE;
}

void
tc_plan_page_set_parameters (TcPlanPage *self,
                             guint       lead_time,
                             guint       review_period,
                             double      service_level)
{
  g_return_if_fail (TC_IS_PLAN_PAGE (self));

  self->updating = TRUE;
  gtk_spin_button_set_value (self->lead_spin, lead_time);
  gtk_spin_button_set_value (self->review_spin, review_period);
  gtk_spin_button_set_value (self->level_spin, 100 * service_level);
  self->updating = FALSE;
  tc_plan_page_refresh (self);
}

/**
 * tc_plan_page_get_parameters:
 * @lead_time: (out) (optional): forecast steps until an order arrives
 * @review_period: (out) (optional): steps between orders
 * @service_level: (out) (optional): 0–1
 *
 * Returns: (transfer none) (nullable): the stock file, NULL when the stock
 * comes from the data or there is none
 */
GFile *
tc_plan_page_get_parameters (TcPlanPage *self,
                             guint      *lead_time,
                             guint      *review_period,
                             double     *service_level)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  if (lead_time)
    *lead_time = (guint) gtk_spin_button_get_value_as_int (self->lead_spin);
  if (review_period)
    *review_period = (guint) MAX (gtk_spin_button_get_value_as_int (self->review_spin), 1);
  if (service_level)
    *service_level = gtk_spin_button_get_value (self->level_spin) / 100;
  return self->stock_file;
}

const TcOrderPlan *
tc_plan_page_get_plan (TcPlanPage *self)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  return self->plan;
}

const TcHotReport *
tc_plan_page_get_hot (TcPlanPage *self)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  return self->hot;
}

guint
tc_plan_page_get_n_rows (TcPlanPage *self)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

char *
tc_plan_page_dup_cell (TcPlanPage  *self,
                       guint        row,
                       TcPlanColumn column)
{
  g_autoptr (TcPlanItem) it = NULL;

  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  if (column >= TC_PLAN_N_COLUMNS || row >= tc_plan_page_get_n_rows (self))
    return NULL;
  it = g_list_model_get_item (G_LIST_MODEL (self->sorted), row);
  return g_strdup (it->text[column]);
}

char *
tc_plan_page_dup_tooltip (TcPlanPage  *self,
                          guint        row,
                          TcPlanColumn column)
{
  g_autoptr (TcPlanItem) it = NULL;

  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), NULL);
  if (column >= TC_PLAN_N_COLUMNS || row >= tc_plan_page_get_n_rows (self))
    return NULL;
  it = g_list_model_get_item (G_LIST_MODEL (self->sorted), row);
  return g_strdup (it->tip[column]);
}

void
tc_plan_page_sort_by (TcPlanPage  *self,
                      TcPlanColumn column,
                      gboolean     descending)
{
  g_return_if_fail (TC_IS_PLAN_PAGE (self));
  g_return_if_fail (column < TC_PLAN_N_COLUMNS);

  gtk_column_view_sort_by_column (self->view, self->columns[column],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

gboolean
tc_plan_page_export_csv (TcPlanPage  *self,
                         const char  *path,
                         GError     **error)
{
  g_autofree char *csv = NULL;
  const TcDataset *ds;

  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), FALSE);

  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (self->plan == NULL || ds == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("There is no plan to export"));
      return FALSE;
    }
  csv = tc_order_plan_csv (self->plan, ds);
  return g_file_set_contents_full (path, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}

gboolean
tc_plan_page_get_busy (TcPlanPage *self)
{
  g_return_val_if_fail (TC_IS_PLAN_PAGE (self), FALSE);
  return self->busy;
}
