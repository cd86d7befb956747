/* tc-forecast-page.c — the Forecast page: the forecast explorer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sidebar lists the series of one level (single series, each static
 * attribute such as category or brand, the total) with a sparkline and
 * the change against the last period; the main area shows the chosen
 * one's chart and a plain-language summary.  How levels are summed is
 * tc-explore.h's business, so the list, chart, summary and the CSV
 * export agree with "trendcast-cli plot".
 */

#define G_LOG_DOMAIN "tc-forecast-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-format.h"
#include "tc-chart-private.h"
#include "tc-app-files.h"
#include "tc-chart-view.h"
#include "tc-explore.h"
#include "tc-explore-chart.h"
#include "tc-file.h"
#include "tc-forecast-page.h"
#include "tc-text-signal.h"
#include "tc-text-summary.h"
#include "tc-tsan.h"

/* -- list items -------------------------------------------------------------- */

#define TC_TYPE_FORECAST_ITEM (tc_forecast_item_get_type ())
G_DECLARE_FINAL_TYPE (TcForecastItem, tc_forecast_item, TC, FORECAST_ITEM, GObject)

struct _TcForecastItem
{
  GObject  parent_instance;

  guint    group;
  char    *name;
  char    *search;       /* casefolded name and attribute values */
  double  *spark;        /* (n_spark) history buckets, then forecast buckets */
  guint    n_spark;
  guint    n_spark_history;
  double   last, next, change;
};

G_DEFINE_FINAL_TYPE (TcForecastItem, tc_forecast_item, G_TYPE_OBJECT)

static void
tc_forecast_item_finalize (GObject *object)
{
  TcForecastItem *self = TC_FORECAST_ITEM (object);

  g_free (self->name);
  g_free (self->search);
  g_free (self->spark);
  G_OBJECT_CLASS (tc_forecast_item_parent_class)->finalize (object);
}

static void
tc_forecast_item_class_init (TcForecastItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_forecast_item_finalize;
}

static void
tc_forecast_item_init (TcForecastItem *self)
{
}

/* -- the page ------------------------------------------------------------------ */

struct _TcForecastPage
{
  AdwBin              parent_instance;

  TcSession          *session;
  GSignalGroup       *session_signals;  /* the page's handlers on the session */
  guint               rebuild_id;
  gboolean            rebuilding;
  gboolean            sync_rebuild;    /* rebuild_now: forecast in this thread */
  GCancellable       *forecasting;     /* the session's forecast running in a worker, or NULL */
  guint               n_running;       /* workers not finished yet, cancelled ones included */
  char               *pending_level;   /* what was shown before it, to show again after */
  char               *pending_group;
  gboolean            updating_levels;
  gboolean            selecting;      /* the page, not the user, selects */

  /* Template widgets */
  GtkStack           *stack;
  AdwStatusPage      *empty_status;
  GtkWidget          *news_data_button;  /* the way to a news file left out, under a refusal */
  GtkBox             *content_box;
  GtkDropDown        *level_dropdown;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  AdwLeaflet         *leaflet;
  GtkListView        *list_view;
  GtkLabel           *count_label;
  GtkLabel           *title_label;
  GtkLabel           *kind_label;
  GtkLabel           *summary_label;
  GtkLabel           *detail_label;
  TcChartView        *chart_view;
  GtkStack           *view_stack;
  GtkGrid            *table_grid;
  GtkToggleButton    *table_toggle;

  GListStore         *store;        /* of TcForecastItem */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  char               *search_key;   /* casefolded, or NULL */

  GPtrArray          *levels;       /* of TcExploreLevel: series, attributes, total */
  guint               level;
  int                 group;
  TcExploreInterval   interval;     /* follows the "sum-ranges" setting */
  GSettings          *settings;
  gboolean            holdout;          /* show the held-out check instead of the future */
  TcForecast         *holdout_forecast; /* owned; the session caches only the future one */
  char               *origin_note;      /* why dates differ between series, or NULL */

  /* "What customers say": the reviews of the chosen group. */
  GtkWidget          *text_panel;
  GtkWidget          *text_bars;      /* GtkDrawingArea of reviews per period */
  GtkLabel           *text_volume;
  GtkLabel           *text_rising;
  GtkLabel           *text_falling;
  GtkLabel           *text_rising_title;
  GtkLabel           *text_falling_title;
  TcTextSummary      *text_summary;   /* of the group shown, or NULL */
  /* What the reviews do to the forecast (tc-text-signal.h), computed in
   * a worker and kept per level, group and history length until the
   * data or the model change. */
  GtkLabel           *signal_title;
  GtkWidget          *signal_area;    /* GtkDrawingArea: the effect per period, a line */
  GtkLabel           *signal_note;    /* the latest effect in words, or why there is none */
  GHashTable         *signal_cache;   /* key -> TcTextSignal */
  guint64             signal_serial;  /* the session serial the cache belongs to */
  char               *signal_key;     /* of the group shown */
  const TcTextSignal *text_signal;    /* of the group shown (in the cache), or NULL */
  GCancellable       *signal_running; /* the worker of signal_key, or NULL */
  TcFrequency         signal_freq;

  GtkFileChooserNative *chooser;
  GtkFileFilter      *filters[3];   /* PNG, SVG, PDF of the chart chooser */
  gboolean            export_all;   /* CSV chooser: all levels */
  gboolean            export_history; /* CSV chooser: this level with its history */
  GSimpleActionGroup *actions;
};

G_DEFINE_FINAL_TYPE (TcForecastPage, tc_forecast_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_level (TcForecastPage *self, guint level);

static const TcExploreLevel *
current_level (TcForecastPage *self)
{
  if (self->levels == NULL || self->level >= self->levels->len)
    return NULL;
  return self->levels->pdata[self->level];
}

/* "sku" -> "SKU", "category" -> "Category": column names as a heading. */
static char *
level_title (const TcExploreLevel *level, const char *series_col)
{
  const char *name;

  if (level->kind == TC_EXPLORE_LEVEL_TOTAL)
    return g_strdup (_("Total"));
  name = level->kind == TC_EXPLORE_LEVEL_SERIES ? series_col : level->name;
  if (name == NULL || *name == '\0')
    return g_strdup (_("Series"));
  if (g_utf8_strlen (name, -1) <= 3)
    return g_utf8_strup (name, -1);
  {
    gunichar c = g_unichar_totitle (g_utf8_get_char (name));
    char buf[8] = { 0 };

    g_unichar_to_utf8 (c, buf);
    return g_strconcat (buf, g_utf8_next_char (name), NULL);
  }
}

/* -- sparkline rows ------------------------------------------------------------ */

/* History and forecast on one scale, the forecast in the accent colour. */
static void
draw_sparkline (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  TcForecastItem *item = g_object_get_data (G_OBJECT (area), "item");
  GdkRGBA fg;
  TcRGBA hist, fc;
  double lo = INFINITY, hi = -INFINITY, pad = 2;
  guint i;

  if (item == NULL || item->n_spark < 2)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  hist = (TcRGBA) { fg.red, fg.green, fg.blue, 0.45 };
  fc = *(adw_style_manager_get_dark (adw_style_manager_get_default ())
         ? &tc_chart_style_dark ()->forecast : &tc_chart_style_light ()->forecast);

  for (i = 0; i < item->n_spark; i++)
    if (isfinite (item->spark[i]))
      {
        lo = MIN (lo, item->spark[i]);
        hi = MAX (hi, item->spark[i]);
      }
  if (!isfinite (lo))
    return;
  if (hi <= lo)
    {
      lo -= 1;
      hi += 1;
    }

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int part = 0; part < 2; part++)
    {
      /* The forecast part starts at the last history point so the line joins. */
      guint from = part == 0 ? 0 : (item->n_spark_history ? item->n_spark_history - 1 : 0);
      guint to = part == 0 ? item->n_spark_history : item->n_spark;
      gboolean pen = FALSE;

      for (i = from; i < to; i++)
        {
          double x = pad + (double) i / (item->n_spark - 1) * (width - 2 * pad);
          double y = pad + (1 - (item->spark[i] - lo) / (hi - lo)) * (height - 2 * pad);

          if (!isfinite (item->spark[i]))
            {
              pen = FALSE;
              continue;
            }
          if (pen)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          pen = TRUE;
        }
      tc_chart_set_rgba (cr, part == 0 ? &hist : &fc);
      cairo_stroke (cr);
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *values = gtk_label_new (NULL);
  GtkWidget *spark = gtk_drawing_area_new ();
  GtkWidget *change = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  /* Bounded natural widths keep the sidebar one width on every level. */
  gtk_label_set_max_width_chars (GTK_LABEL (name), 12);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (values), 0);
  gtk_label_set_ellipsize (GTK_LABEL (values), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (values), 12);
  gtk_widget_add_css_class (values, "caption");
  gtk_widget_add_css_class (values, "dim-label");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), values);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (spark), 64);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (spark), 26);
  gtk_widget_set_valign (spark, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (spark), draw_sparkline, NULL, NULL);

  gtk_label_set_xalign (GTK_LABEL (change), 1);
  gtk_label_set_width_chars (GTK_LABEL (change), 6);
  gtk_widget_add_css_class (change, "numeric");
  gtk_widget_add_css_class (change, "caption-heading");

  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), spark);
  gtk_box_append (GTK_BOX (box), change);
  gtk_list_item_set_child (list_item, box);
}

static char *
format_change (double change)
{
  double pc = change * 100;

  if (!isfinite (change))
    return g_strdup ("–");
  /* A sign always, so a fall is never read as a rise. */
  return g_strdup_printf ("%s%.0f" TC_PERCENT, pc >= 0.5 ? "+" : pc <= -0.5 ? "−" : "±", fabs (pc));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  TcForecastItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *values = gtk_widget_get_next_sibling (name);
  GtkWidget *spark = gtk_widget_get_next_sibling (text);
  GtkWidget *change = gtk_widget_get_next_sibling (spark);
  g_autofree char *last = tc_explore_format_number (item->last);
  g_autofree char *next = tc_explore_format_number (item->next);
  g_autofree char *line = NULL, *pct = format_change (item->change);
  g_autofree char *tip = NULL;

  gtk_label_set_label (GTK_LABEL (name), item->name);
  /* TRANSLATORS: last period's value → next period's forecast, "1,234 → 1,300". */
  line = g_strdup_printf (_("%s → %s"), last, next);
  gtk_label_set_label (GTK_LABEL (values), line);
  gtk_label_set_label (GTK_LABEL (change), pct);
  gtk_widget_remove_css_class (change, "success");
  gtk_widget_remove_css_class (change, "error");
  gtk_widget_remove_css_class (change, "dim-label");
  if (isfinite (item->change) && item->change >= 0.005)
    gtk_widget_add_css_class (change, "success");
  else if (isfinite (item->change) && item->change <= -0.005)
    gtk_widget_add_css_class (change, "error");
  else
    gtk_widget_add_css_class (change, "dim-label");
  g_object_set_data_full (G_OBJECT (spark), "item", g_object_ref (item), g_object_unref);
  {
    g_autofree char *words = tc_sparkline_dup_text (item->spark, item->n_spark, item->n_spark_history);

    gtk_accessible_update_property (GTK_ACCESSIBLE (spark),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sales and forecast"),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, words, -1);
  }
  gtk_widget_queue_draw (spark);

  /* TRANSLATORS: row tooltip: "Last period 1,234, forecast 1,300 (+5 %)". */
  tip = g_strdup_printf (_("Last period %s, forecast %s (%s)"), last, next, pct);
  gtk_widget_set_tooltip_text (box, tip);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *spark = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));

  g_object_set_data (G_OBJECT (spark), "item", NULL);
}

/* Buckets of @bucket steps make a daily sparkline readable at 64 pixels. */
static TcForecastItem *
make_item (const TcDataset      *ds,
           const TcExploreLevel *level,
           guint                 g,
           guint                 steps)
{
  TcForecastItem *item = g_object_new (TC_TYPE_FORECAST_ITEM, NULL);
  const TcExploreGroup *grp = &level->groups[g];
  TcExploreSummary sum;
  guint bucket, n_hist_b, n_fc_b, b, i, fc0, n_fc, n_hist;
  GString *search;

  item->group = g;
  item->name = g_strdup (grp->name);
  search = g_string_new (grp->name);
  /* Single series are found by their attributes too ("snacks"). */
  if (level->kind == TC_EXPLORE_LEVEL_SERIES && grp->n_members == 1)
    for (i = 0; i < ds->n_static; i++)
      {
        const char *v = ds->static_values[(gsize) grp->members[0] * ds->n_static + i];

        if (v)
          g_string_append_printf (search, " %s", v);
      }
  item->search = g_utf8_casefold (search->str, -1);
  g_string_free (search, TRUE);

  tc_explore_group_summary (level, g, steps, &sum);
  item->last = sum.last;
  item->next = sum.next;
  item->change = sum.change;

  /* The group's own forecast dates, and its history up to the first of
   * them: a series that ended early has its gap-free line too. */
  fc0 = MIN (grp->forecast_start, level->horizon ? level->horizon - 1 : 0);
  n_fc = MIN (grp->forecast_len, level->horizon - fc0);
  for (n_hist = level->n_history; n_hist > 0 && level->horizon > 0
       && level->history_times[n_hist - 1] >= level->forecast_times[fc0]; n_hist--)
    ;
  bucket = level->freq == TC_FREQ_DAILY ? 7 : level->freq == TC_FREQ_HOURLY ? 24 : 1;
  n_fc_b = MAX (1, n_fc / bucket);
  n_hist_b = MIN (n_hist / bucket, MAX (3 * n_fc_b, 12));
  item->n_spark_history = n_hist_b;
  item->n_spark = n_hist_b + n_fc_b;
  item->spark = g_new (double, MAX (item->n_spark, 1));
  for (b = 0; b < n_hist_b; b++)
    {
      guint start = n_hist - (n_hist_b - b) * bucket;
      double s = 0;

      for (i = 0; i < bucket; i++)
        s += grp->history[start + i];
      item->spark[b] = s;
    }
  for (b = 0; b < n_fc_b; b++)
    {
      double s = 0;

      for (i = 0; i < bucket && b * bucket + i < n_fc; i++)
        s += grp->forecast[(gsize) (fc0 + b * bucket + i) * level->n_quantiles + level->median];
      item->spark[n_hist_b + b] = s;
    }
  return item;
}

static int
cmp_items (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const TcForecastItem *x = *(TcForecastItem * const *) a, *y = *(TcForecastItem * const *) b;
  double vx = isfinite (x->next) ? x->next : -1, vy = isfinite (y->next) ? y->next : -1;

  /* Biggest first: what matters most is on top; names break ties. */
  if (vx != vy)
    return vx > vy ? -1 : 1;
  return g_utf8_collate (x->name, y->name);
}

/* -- the main area ------------------------------------------------------------- */

/* The series id column's name ("sku"), from the roles chosen or detected. */
static const char *
series_col (TcForecastPage *self)
{
  const TcImportOptions *o = self->session ? tc_session_get_import_options (self->session) : NULL;
  const TcImportReport *r = self->session ? tc_session_get_import_report (self->session) : NULL;
  guint i;

  if (o && o->series_cols && o->series_cols[0])
    return o->series_cols[0];
  for (i = 0; r && r->columns && i < r->columns->len; i++)
    {
      const TcColumnInfo *c = g_ptr_array_index (r->columns, i);

      if (c->role == TC_ROLE_SERIES_ID)
        return c->name;
    }
  return NULL;
}

static void
table_cell (GtkGrid *grid, int col, int row, const char *text, gboolean heading, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  gtk_grid_attach (grid, label, col, row, 1, 1);
}

/* The numbers behind the chart, a row per forecast date: what a planner
 * copies into a sheet, and what a screen reader can read. */
static void
fill_table (TcForecastPage        *self,
            const TcExploreLevel  *level,
            const TcExploreGroup  *grp)
{
  GtkWidget *child;
  guint row = 1;
  gboolean actuals = grp != NULL && grp->actual != NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);
  if (level == NULL || grp == NULL)
    return;
  table_cell (self->table_grid, 0, 0, _("Date"), TRUE, FALSE);
  for (guint q = 0; q < level->n_quantiles; q++)
    {
      g_autofree char *head = q == level->median ? g_strdup (_("Median"))
                                                 : g_strdup_printf ("P%g", round (level->quantiles[q] * 100));

      table_cell (self->table_grid, 1 + (int) q, 0, head, TRUE, TRUE);
    }
  if (actuals)
    table_cell (self->table_grid, 1 + (int) level->n_quantiles, 0, _("Actual"), TRUE, TRUE);
  for (guint h = 0; h < level->horizon; h++)
    {
      g_autofree char *date = NULL;

      if (!isfinite (grp->forecast[(gsize) h * level->n_quantiles + level->median]))
        continue;
      date = tc_frequency_format_time (level->freq, level->forecast_times[h]);
      table_cell (self->table_grid, 0, (int) row, date, FALSE, FALSE);
      for (guint q = 0; q < level->n_quantiles; q++)
        {
          g_autofree char *v = tc_explore_format_number (grp->forecast[(gsize) h * level->n_quantiles + q]);

          table_cell (self->table_grid, 1 + (int) q, (int) row, v, FALSE, TRUE);
        }
      if (actuals)
        {
          g_autofree char *v = isfinite (grp->actual[h]) ? tc_explore_format_number (grp->actual[h]) : g_strdup ("—");

          table_cell (self->table_grid, 1 + (int) level->n_quantiles, (int) row, v, FALSE, TRUE);
        }
      row++;
    }
}

static void
view_toggled (TcForecastPage *self)
{
  gtk_stack_set_visible_child_name (self->view_stack,
                                    gtk_toggle_button_get_active (self->table_toggle) ? "table" : "chart");
}

/* -- what customers say ---------------------------------------------------------- */

#define TEXT_MAX_TERMS   5
#define TEXT_MIN_REVIEWS 3

/* How many periods count as "recent": about a month, or the nearest
 * the data's period allows. */
static guint
text_recent_periods (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return 24 * 7;
    case TC_FREQ_DAILY:     return 28;
    case TC_FREQ_WEEKLY:    return 8;
    case TC_FREQ_MONTHLY:   return 3;
    case TC_FREQ_QUARTERLY: return 2;
    default:                return 1;
    }
}

/* The small text of the signal's scale ("+2.7 %"), and the room at the
 * right of both review charts that keeps it clear of the line: the bars
 * leave it too, so that a date sits at the same x in both. */
static PangoLayout *
scale_layout (GtkWidget *widget, const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.75));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static int
text_chart_margin (TcForecastPage *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  if (self->signal_area == NULL || !gtk_widget_get_visible (self->signal_area))
    return 0;
  layout = scale_layout (self->signal_area, "−00.0 %");
  pango_layout_get_pixel_size (layout, &w, &h);
  return w + 6;
}

/* Reviews per period as bars, summed into buckets a few pixels wide; the
 * recent periods (the ones the terms compare) in the accent colour. */
static void
draw_text_bars (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  TcForecastPage *self = user_data;
  const TcTextSummary *sum = self->text_summary;
  GdkRGBA fg;
  TcRGBA past, recent;
  guint n_buckets, per;
  double hi = 0;
  g_autofree double *b = NULL;   /* (n_buckets) reviews per bucket */

  width -= text_chart_margin (self);
  if (sum == NULL || sum->n_times == 0 || width < 4)
    return;
  per = MAX (1, (sum->n_times * 3 + width - 1) / width);
  n_buckets = (sum->n_times + per - 1) / per;
  b = g_new0 (double, n_buckets);
  for (guint t = 0; t < sum->n_times; t++)
    b[t / per] += sum->reviews[t];
  for (guint i = 0; i < n_buckets; i++)
    hi = MAX (hi, b[i]);
  if (hi <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  past = (TcRGBA) { fg.red, fg.green, fg.blue, 0.45 };
  recent = *(adw_style_manager_get_dark (adw_style_manager_get_default ())
             ? &tc_chart_style_dark ()->forecast : &tc_chart_style_light ()->forecast);
  for (guint i = 0; i < n_buckets; i++)
    {
      double x0 = (double) i / n_buckets * width, x1 = (double) (i + 1) / n_buckets * width;
      double h = b[i] / hi * (height - 1);

      if (b[i] <= 0)
        continue;
      cairo_rectangle (cr, x0, height - MAX (h, 1), MAX (x1 - x0 - 1, 1), MAX (h, 1));
      tc_chart_set_rgba (cr, (i + 1) * per > sum->recent_start ? &recent : &past);
      cairo_fill (cr);
    }
}

/* "broken: 13 % of recent reviews, 2 % before", one per line. */
static char *
text_terms (const TcTextSummary *sum, const TcTextTerm *terms, guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      /* TRANSLATORS: a word from the reviews and the share of reviews that use it,
       * recently and before, e.g. "broken: 13 % of recent reviews, 2 % before". */
      g_string_append_printf (out, _("%s: %.0f %% of recent reviews, %.0f %% before"), terms[i].term,
                              100.0 * terms[i].recent / MAX (sum->n_recent, 1),
                              100.0 * terms[i].before / MAX (sum->n_before, 1));
    }
  if (n == 0)
    g_string_append (out, _("No word changed clearly"));
  return g_string_free (out, FALSE);
}

/* -- what the reviews do to the forecast ------------------------------------------ */

/* "−3.2 %", "+12 %", "0 %": the effect of the reviews, one decimal
 * while it is small. */
static char *
signal_pct (double e)
{
  double pc = 100 * e;

  if (e == 0)
    return g_strdup ("0 %");
  return g_strdup_printf (fabs (pc) < 9.95 ? "%s%.1f" TC_PERCENT : "%s%.0f" TC_PERCENT, pc > 0 ? "+" : "−", fabs (pc));
}

/* A period's date as people write it. */
static char *
signal_date (TcFrequency freq, gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup ("?");
  switch (freq)
    {
    /* Translators: a strftime-style date format (see g_date_time_format), e.g. "Mar 4, 13:00". */
    /* xgettext:no-c-format */
    case TC_FREQ_HOURLY:    return g_date_time_format (dt, _("%b %-d, %H:%M"));
    /* Translators: a strftime-style date format (see g_date_time_format) for a month, e.g. "Mar 2024". */
    /* xgettext:no-c-format */
    case TC_FREQ_MONTHLY:
    case TC_FREQ_QUARTERLY: return g_date_time_format (dt, _("%b %Y"));
    /* Translators: a strftime-style date format (see g_date_time_format) for a day, e.g. "Mar 4, 2024". */
    /* xgettext:no-c-format */
    default:                return g_date_time_format (dt, _("%b %-d, %Y"));
    }
}

/* The effect per period around zero, on the bars' time axis (the same
 * buckets): each bucket's mean as a line, its lowest and highest period
 * as a band (so the scale covers every period the note's range names),
 * the latest point marked. */
static void
draw_text_signal (GtkDrawingArea *area,
                  cairo_t        *cr,
                  int             width,
                  int             height,
                  gpointer        user_data)
{
  TcForecastPage *self = user_data;
  const TcTextSignal *sig = self->text_signal;
  guint n_times = self->text_summary ? self->text_summary->n_times : 0;
  GdkRGBA fg;
  TcRGBA line;
  guint n_buckets, per;
  double span = 0, mid = height / 2.0, half = height / 2.0 - 4, lx = 0, ly = 0;
  gboolean open = FALSE, any = FALSE;
  g_autofree double *sum = NULL;   /* (n_buckets) effects summed per bucket */
  g_autofree guint *n = NULL;      /* (n_buckets) finite effects per bucket */
  g_autofree double *lo = NULL, *hi = NULL;   /* (n_buckets) lowest and highest effect per bucket */
  int full = width;

  width -= text_chart_margin (self);
  if (sig == NULL || n_times == 0 || width < 4)
    return;
  per = MAX (1, (n_times * 3 + width - 1) / width);
  n_buckets = (n_times + per - 1) / per;
  sum = g_new0 (double, n_buckets);
  n = g_new0 (guint, n_buckets);
  lo = g_new (double, n_buckets);
  hi = g_new (double, n_buckets);
  for (guint b = 0; b < n_buckets; b++)
    {
      lo[b] = INFINITY;
      hi[b] = -INFINITY;
    }
  for (guint i = 0; i < sig->n_periods && sig->first + i < n_times; i++)
    if (isfinite (sig->effect[i]))
      {
        guint b = (sig->first + i) / per;

        sum[b] += sig->effect[i];
        n[b]++;
        lo[b] = MIN (lo[b], sig->effect[i]);
        hi[b] = MAX (hi[b], sig->effect[i]);
      }
  for (guint b = 0; b < n_buckets; b++)
    if (n[b] > 0)
      span = MAX (span, MAX (fabs (lo[b]), fabs (hi[b])));
  /* A flat line stays flat: a tiny effect is not blown up to full height. */
  span = MAX (span, 0.01);

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.3);
  cairo_set_dash (cr, (double[]) { 3, 3 }, 2, 0);
  cairo_move_to (cr, 0, round (mid) + 0.5);
  cairo_line_to (cr, width + 2, round (mid) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  line = *(adw_style_manager_get_dark (adw_style_manager_get_default ())
           ? &tc_chart_style_dark ()->forecast : &tc_chart_style_light ()->forecast);
  cairo_set_source_rgba (cr, line.r, line.g, line.b, 0.22);
  for (guint b = 0; b < n_buckets; b++)
    if (n[b] > 0)
      {
        double x0 = (double) b / n_buckets * width, x1 = (double) (b + 1) / n_buckets * width;
        double y0 = mid - hi[b] / span * half, y1 = mid - lo[b] / span * half;

        cairo_rectangle (cr, x0, y0, x1 - x0, MAX (y1 - y0, 1));
      }
  cairo_fill (cr);
  tc_chart_set_rgba (cr, &line);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint b = 0; b < n_buckets; b++)
    {
      double x = (b + 0.5) / n_buckets * width;

      if (n[b] == 0)
        {
          open = FALSE;
          continue;
        }
      ly = mid - sum[b] / n[b] / span * half;
      lx = x;
      if (open)
        cairo_line_to (cr, x, ly);
      else
        cairo_move_to (cr, x, ly);
      open = any = TRUE;
    }
  cairo_stroke (cr);
  if (any)
    {
      cairo_arc (cr, lx, ly, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* The scale: the largest move either way, right of the line. */
  {
    g_autofree char *top = signal_pct (span), *bottom = signal_pct (-span);
    g_autoptr(PangoLayout) layout = scale_layout (GTK_WIDGET (area), top);
    int tw, th;

    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
    pango_layout_get_pixel_size (layout, &tw, &th);
    cairo_move_to (cr, full - tw, 0);
    pango_cairo_show_layout (cr, layout);
    pango_layout_set_text (layout, bottom, -1);
    pango_layout_get_pixel_size (layout, &tw, &th);
    cairo_move_to (cr, full - tw, height - th);
    pango_cairo_show_layout (cr, layout);
  }
}

/* The period under the pointer: its reviews and both forecasts. */
static gboolean
text_signal_tooltip (GtkWidget  *area,
                     int         x,
                     int         y,
                     gboolean    keyboard,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  TcForecastPage *self = user_data;
  const TcTextSignal *sig = self->text_signal;
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  guint n_times = self->text_summary ? self->text_summary->n_times : 0;
  int width = gtk_widget_get_width (area) - text_chart_margin (self);
  g_autofree char *date = NULL, *next = NULL, *with = NULL, *without = NULL, *pct = NULL, *tip = NULL;
  guint t, i;

  if (sig == NULL || ds == NULL || n_times == 0 || width <= 0)
    return FALSE;
  t = keyboard ? sig->first + sig->n_periods - 1 : MIN ((guint) (CLAMP (x, 0, width - 1) * (double) n_times / width), n_times - 1);
  date = signal_date (ds->freq, ds->times[MIN (t, ds->n_times - 1)]);
  if (t < sig->first || t - sig->first >= sig->n_periods || !isfinite (sig->effect[t - sig->first]))
    {
      /* TRANSLATORS: a date, then why there is no value. */
      tip = g_strdup_printf (_("%s: too little history to forecast from"), date);
      gtk_tooltip_set_text (tooltip, tip);
      return TRUE;
    }
  i = t - sig->first;
  next = tc_explore_period_phrase (ds->freq, sig->horizon);
  with = tc_explore_format_number (sig->with_text[i]);
  without = tc_explore_format_number (sig->without_text[i]);
  pct = signal_pct (sig->effect[i]);
  /* TRANSLATORS: "Mar 4, 2024: 12 reviews. Forecast of the next 14 days from then: 1,240 with the
   * reviews, 1,310 without them (−5.3 %)". */
  tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s: %u review. Forecast of the next %s from then: %s with the reviews, %s without them (%s)",
                                      "%s: %u reviews. Forecast of the next %s from then: %s with the reviews, %s without them (%s)",
                                      sig->reviews[i]),
                         date, sig->reviews[i], next, with, without, pct);
  gtk_tooltip_set_text (tooltip, tip);
  return TRUE;
}

/* The note and the chart's accessible label for the signal shown. */
static void
describe_text_signal (TcForecastPage *self)
{
  const TcTextSignal *sig = self->text_signal;
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autofree char *next = NULL, *date = NULL, *pct = NULL, *lo_s = NULL, *hi_s = NULL;
  g_autofree char *note = NULL, *label = NULL;
  double lo = INFINITY, hi = -INFINITY;
  int last = -1;

  for (guint i = 0; i < sig->n_periods; i++)
    if (isfinite (sig->effect[i]))
      {
        lo = MIN (lo, sig->effect[i]);
        hi = MAX (hi, sig->effect[i]);
        last = (int) i;
      }
  gtk_widget_set_visible (self->signal_area, last >= 0);
  if (last < 0)
    {
      gtk_label_set_label (self->signal_note, _("Too little history to measure what the reviews do to the forecast."));
      return;
    }
  if (lo == 0 && hi == 0)
    {
      gtk_label_set_label (self->signal_note, _("The reviews do not change this forecast: the model finds nothing in them here."));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_label_get_label (self->signal_note), -1);
      gtk_widget_queue_draw (self->signal_area);
      return;
    }
  next = tc_explore_period_phrase (ds->freq, sig->horizon);
  date = signal_date (ds->freq, ds->times[sig->first + last]);
  pct = signal_pct (sig->effect[last]);
  lo_s = signal_pct (lo);
  hi_s = signal_pct (hi);
  /* TRANSLATORS: "The reviews up to Mar 4, 2024 move the forecast of the next 14 days by −5.3 %;
   * over the history from −8.1 % to +2.0 %". */
  note = g_strdup_printf (_("The reviews up to %s move the forecast of the next %s by %s; over the history from %s to %s"),
                          date, next, pct, lo_s, hi_s);
  gtk_label_set_label (self->signal_note, note);
  /* TRANSLATORS: the label of a line chart, followed by the sentence above. */
  label = g_strdup_printf (_("What the reviews do to the forecast, period by period. %s"), note);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (self->signal_area);
}

typedef struct
{
  TcForecaster *fc;         /* a copy: the worker's own activations */
  TcDataset    *ds;         /* a copy */
  guint        *members;    /* (n_members) */
  guint         n_members;
  guint         end;
  char         *key;
  guint64       serial;
} SignalJob;

static void
signal_job_free (SignalJob *job)
{
  tc_forecaster_free (job->fc);
  tc_dataset_free (job->ds);
  g_free (job->members);
  g_free (job->key);
  g_free (job);
}

static void
signal_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SignalJob *job = task_data;
  GError *error = NULL;
  TcTextSignal *sig;

  TC_TSAN_ACQUIRE (job);
  sig = tc_text_signal_new (job->fc, job->ds, job->members, job->n_members, job->end, cancellable, &error);
  if (sig == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sig, (GDestroyNotify) tc_text_signal_free);
}

static void
signal_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (TcForecastPage) self = user_data;   /* see the g_task_new () */
  SignalJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  TcTextSignal *sig = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean current;

  self->n_running--;
  if (g_task_get_cancellable (G_TASK (result)) == self->signal_running)
    g_clear_object (&self->signal_running);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The data or the model changed meanwhile: the result is of the past. */
  if (self->session == NULL || self->signal_cache == NULL || job->serial != tc_session_get_serial (self->session))
    {
      tc_text_signal_free (sig);
      return;
    }
  current = g_strcmp0 (job->key, self->signal_key) == 0;
  if (sig == NULL)
    {
      g_autofree char *note = NULL;

      if (!current)
        return;
      /* TRANSLATORS: followed by the reason, e.g. "The series have too little history for a text signal". */
      note = g_strdup_printf (_("Could not measure what the reviews do to the forecast: %s"), error->message);
      gtk_label_set_label (self->signal_note, note);
      gtk_widget_set_visible (self->signal_area, FALSE);
      return;
    }
  g_hash_table_replace (self->signal_cache, g_strdup (job->key), sig);
  if (current)
    {
      self->text_signal = sig;
      describe_text_signal (self);
    }
}

/* The signal of group @grp: from the cache, or computed in a worker. */
static void
show_text_signal (TcForecastPage       *self,
                  const TcExploreLevel *level,
                  const TcExploreGroup *grp)
{
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const TcTextSignal *sig;
  SignalJob *job;

  self->text_signal = NULL;
  g_clear_pointer (&self->signal_key, g_free);
  if (fc == NULL || tc_forecaster_get_options (fc)->text_dim == 0)
    {
      g_cancellable_cancel (self->signal_running);
      g_clear_object (&self->signal_running);
      gtk_widget_set_visible (self->signal_area, FALSE);
      gtk_label_set_label (self->signal_note,
                           _("The model does not read the reviews, so they do not move the forecast. To measure their "
                             "effect, switch on “Read the review text” on the Model page and train again."));
      return;
    }
  if (self->signal_cache == NULL || self->signal_serial != tc_session_get_serial (self->session))
    {
      g_clear_pointer (&self->signal_cache, g_hash_table_unref);
      self->signal_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) tc_text_signal_free);
      self->signal_serial = tc_session_get_serial (self->session);
    }
  self->signal_freq = ds->freq;
  key = g_strdup_printf ("%s\x1f%s\x1f%u", level->name, grp->name, level->n_history);
  self->signal_key = g_strdup (key);
  sig = g_hash_table_lookup (self->signal_cache, key);
  if (sig != NULL)
    {
      g_cancellable_cancel (self->signal_running);
      g_clear_object (&self->signal_running);
      self->text_signal = sig;
      describe_text_signal (self);
      return;
    }

  /* One worker at a time: the one for a group no longer shown stops. */
  g_cancellable_cancel (self->signal_running);
  g_clear_object (&self->signal_running);
  self->signal_running = g_cancellable_new ();
  gtk_widget_set_visible (self->signal_area, TRUE);
  gtk_widget_queue_draw (self->signal_area);
  gtk_label_set_label (self->signal_note, _("Measuring what the reviews do to the forecast…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->signal_note), -1);
  job = g_new0 (SignalJob, 1);
  job->fc = tc_forecaster_dup (fc);
  job->ds = tc_dataset_copy (ds);
  job->members = g_memdup2 (grp->members, sizeof (guint) * MAX (grp->n_members, 1));
  job->n_members = grp->n_members;
  job->end = level->n_history;
  job->key = g_steal_pointer (&key);
  job->serial = self->signal_serial;
  TC_TSAN_RELEASE (job);
  /* The page is the callback's data, not the task's source object:
   * the worker thread may drop the task last, and the page with it,
   * which must not be finalized outside the main thread. */
  task = g_task_new (NULL, self->signal_running, signal_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, show_text_signal);
  g_task_set_task_data (task, job, (GDestroyNotify) signal_job_free);
  self->n_running++;
  g_task_run_in_thread (task, signal_thread);
}

static void
show_text_panel (TcForecastPage *self, const TcExploreLevel *level, int g)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  const TcExploreGroup *grp;
  g_autoptr(GError) error = NULL;
  g_autofree char *recent = NULL, *all_s = NULL, *recent_s = NULL, *volume = NULL;
  g_autofree char *rising = NULL, *falling = NULL, *title = NULL, *label = NULL;
  guint64 total;

  g_clear_pointer (&self->text_summary, tc_text_summary_free);
  if (ds == NULL || ds->text == NULL || level == NULL || g < 0 || (guint) g >= level->n_groups)
    {
      gtk_widget_set_visible (self->text_panel, FALSE);
      return;
    }
  grp = &level->groups[g];
  self->text_summary = tc_text_summary_new (ds, grp->members, grp->n_members, level->n_history,
                                            text_recent_periods (ds->freq), TEXT_MAX_TERMS, TEXT_MIN_REVIEWS, &error);
  if (self->text_summary == NULL)
    {
      g_warning ("What customers say: %s", error->message);
      gtk_widget_set_visible (self->text_panel, FALSE);
      return;
    }
  gtk_widget_set_visible (self->text_panel, TRUE);
  total = self->text_summary->n_recent + self->text_summary->n_before;
  recent = tc_explore_period_phrase (ds->freq, self->text_summary->n_times - self->text_summary->recent_start);
  all_s = tc_explore_format_number ((double) total);
  recent_s = tc_explore_format_number ((double) self->text_summary->n_recent);
  /* TRANSLATORS: "2,473 reviews in the history, 95 of them in the last 28 days". */
  volume = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s review in the history, %s of them in the last %s",
                                         "%s reviews in the history, %s of them in the last %s",
                                         (gulong) MIN (total, G_MAXULONG)),
                            all_s, recent_s, recent);
  gtk_label_set_label (self->text_volume, volume);
  /* TRANSLATORS: the label of a bar chart, followed by the sentence above. */
  label = g_strdup_printf (_("Reviews per period over the history, the last %s highlighted. %s"), recent, volume);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_bars), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (self->text_bars);

  title = g_strdup_printf (_("Mentioned more in the last %s"), recent);
  gtk_label_set_label (self->text_rising_title, title);
  g_free (title);
  title = g_strdup_printf (_("Mentioned less in the last %s"), recent);
  gtk_label_set_label (self->text_falling_title, title);
  rising = text_terms (self->text_summary, self->text_summary->rising, self->text_summary->n_rising);
  falling = text_terms (self->text_summary, self->text_summary->falling, self->text_summary->n_falling);
  gtk_label_set_label (self->text_rising, rising);
  gtk_label_set_label (self->text_falling, falling);
  show_text_signal (self, level, grp);
}

static GtkLabel *
panel_label (GtkWidget *box, const char *style)
{
  GtkWidget *l = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  if (style)
    gtk_widget_add_css_class (l, style);
  gtk_box_append (GTK_BOX (box), l);
  return GTK_LABEL (l);
}

/* Under the chart: reviews over time on the left, the words that moved
 * on the right. */
static void
build_text_panel (TcForecastPage *self)
{
  GtkWidget *panel = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *up = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *down = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->view_stack));

  gtk_widget_set_margin_start (panel, 24);
  gtk_widget_set_margin_end (panel, 24);
  gtk_widget_set_margin_bottom (panel, 12);
  gtk_label_set_label (panel_label (left, "heading"), _("What customers say"));
  self->text_bars = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->text_bars), 40);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->text_bars), 280);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->text_bars), draw_text_bars, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_bars), GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION,
                                  _("bar chart"), -1);
  gtk_box_append (GTK_BOX (left), self->text_bars);
  self->text_volume = panel_label (left, "dim-label");
  self->signal_title = panel_label (left, "heading");
  gtk_widget_set_margin_top (GTK_WIDGET (self->signal_title), 6);
  gtk_label_set_label (self->signal_title, _("Effect on the forecast"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->signal_title),
                               _("At the end of every period the model forecasts the periods after it twice: with the "
                                 "reviews written so far and with none. The line shows how much the reviews move that "
                                 "forecast; later reviews never count. It is the network's forecast, before the safety net "
                                 "blends in simpler methods."));
  self->signal_area = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->signal_area), 44);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->signal_area), 280);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->signal_area), draw_text_signal, self, NULL);
  gtk_widget_set_has_tooltip (self->signal_area, TRUE);
  g_signal_connect (self->signal_area, "query-tooltip", G_CALLBACK (text_signal_tooltip), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_area), GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION,
                                  _("line chart"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->signal_area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self->signal_title)), -1);
  gtk_box_append (GTK_BOX (left), self->signal_area);
  /* The bars keep the line's margin while it is shown. */
  g_signal_connect_swapped (self->signal_area, "notify::visible", G_CALLBACK (gtk_widget_queue_draw), self->text_bars);
  self->signal_note = panel_label (left, "dim-label");
  gtk_label_set_wrap_mode (self->signal_note, PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_size_request (left, 280, -1);
  self->text_rising_title = panel_label (up, "heading");
  self->text_rising = panel_label (up, NULL);
  self->text_falling_title = panel_label (down, "heading");
  self->text_falling = panel_label (down, NULL);
  gtk_widget_set_hexpand (up, TRUE);
  gtk_widget_set_hexpand (down, TRUE);
  /* The sentences wrap at about the charts' width: a long one (in
   * Chinese a line is as wide as the whole sentence) must not squeeze the
   * words that rose and fell. */
  {
    GtkWidget *clamp = adw_clamp_new ();

    adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 400);
    adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 400);
    gtk_widget_set_halign (clamp, GTK_ALIGN_START);
    adw_clamp_set_child (ADW_CLAMP (clamp), left);
    gtk_box_append (GTK_BOX (panel), clamp);
  }
  gtk_box_append (GTK_BOX (panel), up);
  gtk_box_append (GTK_BOX (panel), down);
  gtk_widget_set_visible (panel, FALSE);
  gtk_box_insert_child_after (GTK_BOX (parent), panel, GTK_WIDGET (self->view_stack));
  self->text_panel = panel;
}

static void
show_group (TcForecastPage *self,
            int             g)
{
  const TcExploreLevel *level = current_level (self);
  const TcExploreGroup *grp;
  TcChart *chart = tc_chart_view_get_chart (self->chart_view);
  TcExploreSummary sum;
  g_autofree char *summary = NULL, *kind = NULL, *title = NULL, *detail = NULL, *band = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *start_s = NULL;

  self->group = g;
  show_text_panel (self, level, g);
  fill_table (self, level, level != NULL && g >= 0 && (guint) g < level->n_groups ? &level->groups[g] : NULL);
  if (level == NULL || g < 0 || (guint) g >= level->n_groups)
    {
      tc_chart_clear (chart);
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->kind_label, "");
      gtk_label_set_label (self->summary_label, "");
      gtk_label_set_label (self->detail_label, "");
      return;
    }
  grp = &level->groups[g];
  tc_explore_chart_fill (chart, level, (guint) g, NULL, tc_explore_chart_default_view (level));

  gtk_label_set_label (self->title_label, grp->name);
  title = level_title (level, series_col (self));
  if (level->kind == TC_EXPLORE_LEVEL_SERIES)
    kind = g_strdup (title);
  else if (level->kind == TC_EXPLORE_LEVEL_TOTAL)
    kind = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u series", "sum of %u series", grp->n_members),
                            grp->n_members);
  else
    /* TRANSLATORS: "Category · sum of 6 series". */
    kind = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u series", "%s · sum of %u series", grp->n_members),
                            title, grp->n_members);
  gtk_label_set_label (self->kind_label, kind);

  tc_explore_group_summary (level, (guint) g, tc_explore_default_steps (level), &sum);
  summary = tc_explore_summary_text (level, &sum);
  gtk_label_set_label (self->summary_label, summary);

  start = g_date_time_new_from_unix_utc (level->forecast_times[MIN (grp->forecast_start, level->horizon - 1)]);
  start_s = start ? g_date_time_format (start, level->freq == TC_FREQ_HOURLY
                                               /* Translators: a strftime-style date format (see
                                                * g_date_time_format) for the forecast's first hour,
                                                * e.g. "Mar 4 2024, 13:00". */
                                               /* xgettext:no-c-format */
                                               ? _("%b %-d %Y, %H:%M")
                                               /* Translators: a strftime-style date format (see
                                                * g_date_time_format) for the forecast's first
                                                * period, e.g. "Mar 4 2024". */
                                               /* xgettext:no-c-format */
                                               : _("%b %-d %Y"))
                  : g_strdup ("?");
  /* TRANSLATORS: "likely" in the summary is the band between these quantiles, e.g. "80 % (P10 to P90)". */
  band = g_strdup_printf (_("%.0f %% (P%g to P%g)"),
                          (level->quantiles[level->n_quantiles - 1] - level->quantiles[0]) * 100.0,
                          round (level->quantiles[0] * 1000) / 10, round (level->quantiles[level->n_quantiles - 1] * 1000) / 10);
  if (grp->actual != NULL)
    {
      g_autofree char *period = tc_explore_period_phrase (level->freq, level->series_horizon);

      /* TRANSLATORS: %s is a period ("4 weeks"), the second a range such as "80 % (P10 to P90)". */
      detail = g_strdup_printf (_("A check on data the model did not see: it forecast the last %s from what came before; "
                                  "the dots show what happened. “Likely” is the %s range."), period, band);
    }
  else if (grp->n_members > 1)
    detail = g_strdup_printf (level->interval == TC_EXPLORE_INDEPENDENT
                              /* TRANSLATORS: the first %s is a date, the second a range such as "80 % (P10 to P90)". */
                              ? _("Forecast from %s. “Likely” is the %s range; the range of a sum assumes the series vary independently.")
                              : _("Forecast from %s. “Likely” is the %s range; the range of a sum assumes the series move together, the cautious reading."),
                              start_s, band);
  else
    /* TRANSLATORS: the first %s is a date, the second a range such as "80 % (P10 to P90)". */
    detail = g_strdup_printf (_("Forecast from %s. “Likely” is the %s range."), start_s, band);
  if (self->origin_note)
    {
      char *both = g_strconcat (detail, " ", self->origin_note, NULL);

      g_free (detail);
      detail = both;
    }
  gtk_label_set_label (self->detail_label, detail);
}

static void
selection_changed (TcForecastPage *self)
{
  TcForecastItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (self->updating_levels)
    return;
  show_group (self, item ? (int) item->group : -1);
  /* On a narrow window the list and the chart take turns: a choice the
   * user made shows its chart. */
  if (item && !self->selecting && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
update_count (TcForecastPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const TcExploreLevel *level = current_level (self);
  g_autofree char *text = NULL, *count = NULL, *period = NULL;

  if (shown == all)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", all), all);
  else
    /* TRANSLATORS: "3 of 30 items match". */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u item matches", "%u of %u items match", all),
                             shown, all);
  if (level)
    {
      period = tc_explore_period_phrase (level->freq, tc_explore_default_steps (level));
      /* TRANSLATORS: "30 items · last 4 weeks → next 4 weeks"; explains the numbers of each row. */
      text = g_strdup_printf (_("%s · last %s → next %s"), count, period, period);
    }
  gtk_label_set_label (self->count_label, text ? text : count);
  /* One group (the total): nothing to search. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), all > 1);
  gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "list" : "no-match");
}

static gboolean
filter_item (gpointer item, gpointer user_data)
{
  TcForecastPage *self = user_data;

  return self->search_key == NULL || strstr (TC_FORECAST_ITEM (item)->search, self->search_key) != NULL;
}

static void
search_changed (TcForecastPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search_key, g_free);
  if (text && *text)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped)
        self->search_key = g_utf8_casefold (stripped, -1);
    }
  self->selecting = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
  /* Keep the chart in step with what the list shows. */
  selection_changed (self);
  self->selecting = FALSE;
}

static void
show_level (TcForecastPage *self,
            guint           index)
{
  const TcExploreLevel *level;
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autofree char *keep = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint g, steps, select = 0, i;

  if (self->levels == NULL || index >= self->levels->len)
    return;
  /* The chosen row stays chosen when only the interval rule changed. */
  if (index == self->level && current_level (self) && self->group >= 0
      && (guint) self->group < current_level (self)->n_groups)
    keep = g_strdup (current_level (self)->groups[self->group].name);
  self->level = index;
  level = current_level (self);
  steps = tc_explore_default_steps (level);

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (g = 0; g < level->n_groups; g++)
    g_ptr_array_add (items, make_item (ds, level, g, steps));
  g_ptr_array_sort_with_data (items, cmp_items, NULL);

  self->updating_levels = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  self->updating_levels = FALSE;

  update_count (self);
  for (i = 0; keep && i < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)); i++)
    {
      g_autoptr(TcForecastItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (item->name, keep) == 0)
        select = i;
    }
  self->selecting = TRUE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_single_selection_set_selected (self->selection, select);
  selection_changed (self);
  self->selecting = FALSE;
}

static void
level_selected (TcForecastPage *self)
{
  guint i = gtk_drop_down_get_selected (self->level_dropdown);

  if (self->updating_levels || i == GTK_INVALID_LIST_POSITION)
    return;
  /* A search for a product means nothing among categories. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      g_clear_pointer (&self->search_key, g_free);
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
    }
  show_level (self, i);
}

/* -- rebuilding from the session ------------------------------------------------ */

static void
show_empty (TcForecastPage *self,
            const char     *icon,
            const char     *title,
            const char     *description)
{
  adw_status_page_set_icon_name (self->empty_status, icon);
  adw_status_page_set_title (self->empty_status, title);
  adw_status_page_set_description (self->empty_status, description);
  /* A model that reads news cannot forecast while the project's news
   * file is left out: the Data page is where it is located again. */
  gtk_widget_set_visible (self->news_data_button,
                          g_strcmp0 (icon, "dialog-warning-symbolic") == 0 && self->session != NULL
                          && !tc_session_check_news (self->session, NULL));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* What the user must know about where the forecasts start: the series
 * end on different dates (each is forecast after its own last value, and
 * sums add the series forecast on a date), some have no forecast at all,
 * or the plan left values to assume.  NULL when nothing needs saying. */
static char *
origin_note (TcForecastPage   *self,
             const TcDataset  *ds,
             const TcForecast *f)
{
  GString *note = g_string_new (NULL);
  guint n_none = 0, n_assumed = self->holdout ? 0 : tc_session_get_n_assumed (self->session);
  const char *none_name = NULL;

  if (!self->holdout && tc_forecast_origins_differ (f))
    {
      g_autofree char *period = tc_explore_period_phrase (ds->freq, f->horizon);

      /* TRANSLATORS: %s is a period such as "4 weeks". */
      g_string_append_printf (note, _("The series end on different dates: each is forecast for the %s after its "
                                      "own last value, and a sum on a date adds the series forecast for that date."),
                              period);
    }
  for (guint s = 0; s < f->n_series; s++)
    if (!tc_forecast_series_has_values (f, s))
      {
        if (n_none++ == 0)
          none_name = ds->series_ids[s];
      }
  if (n_none > 0)
    {
      if (note->len)
        g_string_append_c (note, ' ');
      if (n_none == 1)
        /* TRANSLATORS: %s is a series such as "SKU-001". */
        g_string_append_printf (note, _("“%s” has no history before its forecast start: it has no forecast and "
                                        "is left out of sums and exports."), none_name);
      else
        g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE,
                                                   "%u series has no history before its forecast start: no forecast, "
                                                   "left out of sums and exports.",
                                                   "%u series have no history before their forecast start: no forecast, "
                                                   "left out of sums and exports.", n_none), n_none);
    }
  if (n_assumed > 0)
    {
      if (note->len)
        g_string_append_c (note, ' ');
      g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE,
                                                 "The future plan lacks %u value of the forecast dates: assumed no "
                                                 "promotions or discounts, the last prices and last season’s holidays.",
                                                 "The future plan lacks %u values of the forecast dates: assumed no "
                                                 "promotions or discounts, the last prices and last season’s holidays.",
                                                 n_assumed), n_assumed);
    }
  if (note->len == 0)
    {
      g_string_free (note, TRUE);
      return NULL;
    }
  return g_string_free (note, FALSE);
}

static gboolean
build_levels (TcForecastPage   *self,
              const TcDataset  *ds,
              const TcForecast *f,
              GError          **error)
{
  TcExploreLevel *level;
  guint k;

  g_clear_pointer (&self->levels, g_ptr_array_unref);
  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_explore_level_free);
  level = tc_explore_level_new (ds, tc_session_get_future (self->session), f,
                                TC_EXPLORE_LEVEL_SERIES, -1, self->interval, error);
  if (level == NULL)
    return FALSE;
  g_ptr_array_add (self->levels, level);
  for (k = 0; k < ds->n_static; k++)
    {
      level = tc_explore_level_new (ds, tc_session_get_future (self->session), f,
                                    TC_EXPLORE_LEVEL_ATTRIBUTE, (int) k, self->interval, error);
      if (level == NULL)
        return FALSE;
      g_ptr_array_add (self->levels, level);
    }
  /* With one series the total is that series again. */
  if (ds->n_series > 1)
    {
      level = tc_explore_level_new (ds, tc_session_get_future (self->session), f,
                                    TC_EXPLORE_LEVEL_TOTAL, -1, self->interval, error);
      if (level == NULL)
        return FALSE;
      g_ptr_array_add (self->levels, level);
    }
  return TRUE;
}

static void
set_export_enabled (TcForecastPage *self,
                    gboolean        enabled)
{
  const char *names[] = { "export-chart", "export-csv", "reset-view", "interval", "holdout" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), names[i])),
                                 enabled);
}

static void queue_rebuild (TcForecastPage *self);

static void
forecast_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (TcForecastPage) self = user_data;
  g_autoptr (GError) error = NULL;
  const TcForecast *f;

  self->n_running--;
  f = tc_session_forecast_finish (TC_SESSION (source), result, &error);
  if (f == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page dropped it: another session, or it is going away */
  g_clear_object (&self->forecasting);
  if (f != NULL)
    return;   /* the session notified the forecast, which queued a rebuild */
  /* The inputs changed meanwhile: forecast them instead. */
  if (g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED))
    {
      queue_rebuild (self);
      return;
    }
  g_list_store_remove_all (self->store);
  set_export_enabled (self, FALSE);
  show_empty (self, "dialog-warning-symbolic", _("Could Not Forecast"), error->message);
}

static void
start_forecast (TcForecastPage *self,
                const char     *keep_level,
                const char     *keep_group)
{
  g_free (self->pending_level);
  g_free (self->pending_group);
  self->pending_level = g_strdup (keep_level);
  self->pending_group = g_strdup (keep_group);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_list_store_remove_all (self->store);
  set_export_enabled (self, FALSE);
  show_empty (self, "tc-forecast-symbolic", _("Forecasting…"),
              _("The model is forecasting every series; the results appear here in a moment"));
  if (self->forecasting != NULL)
    return;
  self->forecasting = g_cancellable_new ();
  self->n_running++;
  tc_session_forecast_async (self->session, self->forecasting, forecast_done_cb, g_object_ref (self));
}

static void
rebuild (TcForecastPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = NULL;
  g_autofree char *keep_level = NULL, *keep_group = NULL;
  const TcForecast *f;
  gboolean holdout_ok;
  guint i, select = 0;

  /* A new model or another interval rule keeps the user where they were
   * (also across a forecast that ran in a worker meanwhile). */
  if (current_level (self))
    {
      keep_level = g_strdup (current_level (self)->name);
      if (self->group >= 0 && (guint) self->group < current_level (self)->n_groups)
        keep_group = g_strdup (current_level (self)->groups[self->group].name);
    }
  else
    {
      keep_level = g_steal_pointer (&self->pending_level);
      keep_group = g_steal_pointer (&self->pending_group);
    }

  if (ds == NULL || tc_session_get_forecaster (self->session) == NULL)
    {
      g_clear_pointer (&self->levels, g_ptr_array_unref);
      g_list_store_remove_all (self->store);
      set_export_enabled (self, FALSE);
      show_empty (self, "tc-forecast-symbolic", _("No Forecast Yet"),
                  ds == NULL ? _("Open sales data, then train a model: its forecasts appear here")
                             : _("Train a model on the Training page: its forecasts appear here"));
      return;
    }

  /* Computing the forecast notifies the session's "forecast": not a reason
   * to come back here. */
  g_clear_pointer (&self->holdout_forecast, tc_forecast_free);
  holdout_ok = tc_forecaster_get_options (tc_session_get_forecaster (self->session))->holdout;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "holdout")),
                               holdout_ok);
  if (self->holdout && holdout_ok)
    f = self->holdout_forecast = tc_forecaster_predict_holdout (tc_session_get_forecaster (self->session), ds, &error);
  else if ((f = tc_session_peek_forecast (self->session)) == NULL && !self->sync_rebuild)
    {
      /* Forecasting every series takes a while on large data: in a
       * worker, with the page saying so; the session notifies the
       * forecast, which brings us back here. */
      start_forecast (self, keep_level, keep_group);
      return;
    }
  else if (f == NULL)
    {
      self->rebuilding = TRUE;
      f = tc_session_get_forecast (self->session, &error);
      self->rebuilding = FALSE;
    }
  g_clear_pointer (&self->origin_note, g_free);
  if (f != NULL)
    self->origin_note = origin_note (self, ds, f);
  if (f == NULL || !build_levels (self, ds, f, &error))
    {
      g_clear_pointer (&self->levels, g_ptr_array_unref);
      g_list_store_remove_all (self->store);
      set_export_enabled (self, FALSE);
      show_empty (self, "dialog-warning-symbolic", _("Could Not Forecast"), error->message);
      return;
    }

  names = gtk_string_list_new (NULL);
  for (i = 0; i < self->levels->len; i++)
    {
      const TcExploreLevel *level = self->levels->pdata[i];
      g_autofree char *title = level_title (level, series_col (self));

      gtk_string_list_append (names, title);
      if (keep_level && g_strcmp0 (level->name, keep_level) == 0)
        select = i;
    }
  self->updating_levels = TRUE;
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->level_dropdown, select);
  self->updating_levels = FALSE;

  set_export_enabled (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "content");
  self->level = G_MAXUINT;  /* a new level set: show_level keeps nothing */
  show_level (self, select);
  if (keep_group && keep_level && g_strcmp0 (current_level (self)->name, keep_level) == 0)
    {
      self->selecting = TRUE;
      tc_forecast_page_select (self, keep_group);
      self->selecting = FALSE;
    }
}

static gboolean
rebuild_idle (gpointer user_data)
{
  TcForecastPage *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (TcForecastPage *self)
{
  if (self->rebuilding || self->rebuild_id != 0)
    return;
  self->rebuild_id = g_idle_add (rebuild_idle, self);
}

/* -- actions --------------------------------------------------------------------- */

static void
notify_user (TcForecastPage *self,
             const char     *message)
{
  tc_app_toast (GTK_WIDGET (self), message, NULL, NULL, NULL);
}

/* Writes the chart as shown (same view, light colours for paper and
 * slides) to @path; the format comes from the extension. */
gboolean
tc_forecast_page_export_chart (TcForecastPage *self,
                               const char     *path,
                               int             width,
                               int             height,
                               GError        **error)
{
  const TcExploreLevel *level;
  g_autoptr(TcChart) chart = NULL;
  g_autofree char *summary = NULL, *title = NULL;
  TcExploreSummary sum;
  double from, to;

  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), FALSE);
  level = current_level (self);
  if (level == NULL || self->group < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to export: no forecast is shown"));
      return FALSE;
    }
  /* A picture taken into a meeting says what it shows without the app
   * around it: the name and the summary sentence are its title. */
  tc_explore_group_summary (level, (guint) self->group, tc_explore_default_steps (level), &sum);
  summary = tc_explore_summary_text (level, &sum);
  /* TRANSLATORS: an exported chart's title, "Beverages — Next 4 weeks: …". */
  title = g_strdup_printf (_("%s — %s"), level->groups[self->group].name, summary);
  chart = tc_chart_new ();
  tc_chart_set_size (chart, width, height);
  tc_explore_chart_fill (chart, level, (guint) self->group, title, 0);
  tc_chart_get_view (tc_chart_view_get_chart (self->chart_view), &from, &to);
  if (to > from)
    tc_chart_set_view (chart, from, to);
  return tc_chart_export (chart, path, TC_CHART_FORMAT_AUTO, width, height, error);
}

gboolean
tc_forecast_page_export_csv (TcForecastPage *self,
                             const char     *path,
                             gboolean        all_levels,
                             GError        **error)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), FALSE);
  if (current_level (self) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to export: no forecast is shown"));
      return FALSE;
    }
  if (all_levels)
    return tc_explore_write_csv ((TcExploreLevel * const *) self->levels->pdata, self->levels->len, path, error);
  return tc_explore_write_csv ((TcExploreLevel * const *) &self->levels->pdata[self->level], 1, path, error);
}

/**
 * tc_forecast_page_export_history_csv:
 *
 * Writes the shown level's history, forecast and held-out actuals with
 * the unit, one number a row (tc_explore_history_csv).
 */
gboolean
tc_forecast_page_export_history_csv (TcForecastPage *self,
                                     const char     *path,
                                     GError        **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), FALSE);
  if (current_level (self) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to export: no forecast is shown"));
      return FALSE;
    }
  csv = tc_explore_history_csv ((TcExploreLevel * const *) &self->levels->pdata[self->level], 1);
  if (!tc_file_set_contents (path, csv, -1, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/* Series without any forecast (no history before their start): the CSV
 * has no rows for them, which the user is told. */
static guint
n_without_forecast (TcForecastPage *self)
{
  const TcExploreLevel *series = self->levels && self->levels->len ? self->levels->pdata[0] : NULL;
  guint n = 0;

  for (guint g = 0; series && g < series->n_groups; g++)
    {
      gboolean any = FALSE;

      for (guint h = 0; h < series->horizon && !any; h++)
        any = isfinite (series->groups[g].forecast[(gsize) h * series->n_quantiles + series->median]);
      n += !any;
    }
  return n;
}

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  TcForecastPage  *self)
{
  gboolean chart = g_object_get_data (G_OBJECT (dialog), "chart") != NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL, *base = NULL, *msg = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    path = g_file_get_path (file);
  if (path && chart && tc_chart_format_from_path (path) == TC_CHART_FORMAT_AUTO)
    {
      /* No known extension: take the format of the chosen filter. */
      GtkFileFilter *ff = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      const char *ext = ff == self->filters[1] ? ".svg" : ff == self->filters[2] ? ".pdf" : ".png";
      char *p = g_strconcat (path, ext, NULL);

      g_free (path);
      path = p;
    }
  if (path)
    {
      gboolean ok = chart ? tc_forecast_page_export_chart (self, path, 1280, 640, &error)
                          : self->export_history ? tc_forecast_page_export_history_csv (self, path, &error)
                          : tc_forecast_page_export_csv (self, path, self->export_all, &error);

      base = g_path_get_basename (path);
      /* TRANSLATORS: a toast, %s is a file name. */
      msg = ok ? g_strdup_printf (_("Saved “%s”"), base)
               : g_strdup_printf (_("Could not save: %s"), error->message);
      if (ok && !chart && n_without_forecast (self) > 0)
        {
          guint n = n_without_forecast (self);

          g_free (msg);
          /* TRANSLATORS: a toast; %s is a file name, %u a number of series. */
          msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Saved “%s”; %u series without a forecast is left out",
                                              "Saved “%s”; %u series without a forecast are left out", n),
                                 base, n);
        }
      if (ok)
        {
          g_autoptr(GFile) written = g_file_new_for_path (path);

          tc_app_toast_saved (GTK_WIDGET (self), written, msg);
        }
      else
        notify_user (self, msg);
    }
  g_clear_object (&self->chooser);
}

static GtkFileFilter *
new_filter (const char *name, const char *mime, const char *suffix)
{
  GtkFileFilter *f = gtk_file_filter_new ();

  gtk_file_filter_set_name (f, name);
  gtk_file_filter_add_mime_type (f, mime);
  gtk_file_filter_add_suffix (f, suffix);
  return f;
}

static char *
safe_file_name (const char *name)
{
  char *s = g_strdup (name);

  g_strdelimit (s, "/\\:*?\"<>|", '-');
  return s;
}

static void
open_chooser (TcForecastPage *self,
              gboolean        chart,
              const char     *title,
              const char     *name)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

  if (self->chooser)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (chart)
    {
      for (guint i = 0; i < 3; i++)
        gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), self->filters[i]);
      g_object_set_data (G_OBJECT (self->chooser), "chart", GINT_TO_POINTER (1));
    }
  else
    {
      g_autoptr(GtkFileFilter) csv = new_filter (_("CSV Table"), "text/csv", "csv");

      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
    }
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_chart_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  TcForecastPage *self = user_data;
  const TcExploreLevel *level = current_level (self);
  g_autofree char *safe = NULL, *name = NULL;

  if (level == NULL || self->group < 0)
    return;
  safe = safe_file_name (level->groups[self->group].name);
  name = g_strdup_printf ("%s.png", safe);
  open_chooser (self, TRUE, _("Export Chart"), name);
}

static void
export_csv_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  TcForecastPage *self = user_data;
  const TcExploreLevel *level = current_level (self);
  g_autofree char *name = NULL;

  if (level == NULL)
    return;
  self->export_all = g_strcmp0 (g_variant_get_string (param, NULL), "all") == 0;
  self->export_history = g_strcmp0 (g_variant_get_string (param, NULL), "history") == 0;
  name = self->export_all ? g_strdup ("forecast-all-levels.csv")
         : self->export_history ? g_strdup_printf ("history-and-forecast-%s.csv", level->name)
         : g_strdup_printf ("forecast-%s.csv", level->name);
  open_chooser (self, FALSE, _("Export Forecast"), name);
}

static void
reset_view_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  TcForecastPage *self = user_data;

  tc_chart_reset_view (tc_chart_view_get_chart (self->chart_view));
}

static void
holdout_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  TcForecastPage *self = user_data;

  g_simple_action_set_state (action, value);
  if (self->holdout == g_variant_get_boolean (value))
    return;
  self->holdout = g_variant_get_boolean (value);
  rebuild (self);
}

/* The rule is the application's (Ranges of Totals in the main menu), so
 * that the Forecast and Scenarios pages never disagree; this action only
 * writes the setting. */
static void
interval_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  TcForecastPage *self = user_data;

  g_settings_set_string (self->settings, "sum-ranges", g_variant_get_string (value, NULL));
}

static void
sum_ranges_changed (TcForecastPage *self)
{
  g_autofree char *rule = g_settings_get_string (self->settings, "sum-ranges");
  TcExploreInterval iv = g_str_equal (rule, "together") ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT;

  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "interval", g_variant_new_string (rule));
  if (iv == self->interval)
    return;
  self->interval = iv;
  rebuild (self);
}

/* -- GObject ---------------------------------------------------------------------- */

static void
tc_forecast_page_dispose (GObject *object)
{
  TcForecastPage *self = TC_FORECAST_PAGE (object);

  tc_forecast_page_set_session (self, NULL);
  g_clear_object (&self->session_signals);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->chooser)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->list_view)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->store);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->holdout_forecast, tc_forecast_free);
  g_clear_pointer (&self->origin_note, g_free);
  g_clear_pointer (&self->text_summary, tc_text_summary_free);
  g_cancellable_cancel (self->signal_running);
  g_clear_object (&self->signal_running);
  self->text_signal = NULL;
  g_clear_pointer (&self->signal_cache, g_hash_table_unref);
  g_clear_pointer (&self->signal_key, g_free);
  for (guint i = 0; i < 3; i++)
    g_clear_object (&self->filters[i]);
  g_clear_object (&self->actions);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_forecast_page_parent_class)->dispose (object);
}

static void
tc_forecast_page_finalize (GObject *object)
{
  TcForecastPage *self = TC_FORECAST_PAGE (object);

  g_free (self->search_key);
  g_free (self->pending_level);
  g_free (self->pending_group);
  G_OBJECT_CLASS (tc_forecast_page_parent_class)->finalize (object);
}

static void
tc_forecast_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TcForecastPage *self = TC_FORECAST_PAGE (object);

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
tc_forecast_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TcForecastPage *self = TC_FORECAST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_forecast_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
back_clicked (TcForecastPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static gboolean
focus_search (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  return gtk_widget_grab_focus (GTK_WIDGET (TC_FORECAST_PAGE (widget)->search_entry));
}

static void
tc_forecast_page_class_init (TcForecastPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_forecast_page_dispose;
  object_class->finalize = tc_forecast_page_finalize;
  object_class->get_property = tc_forecast_page_get_property;
  object_class->set_property = tc_forecast_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TC_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-forecast-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, news_data_button);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, leaflet);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, table_grid);
  gtk_widget_class_bind_template_child (widget_class, TcForecastPage, table_toggle);

  /* Ctrl+F searches the list, as everywhere in GNOME. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search, NULL);
}

static void
tc_forecast_page_init (TcForecastPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  const GActionEntry entries[] = {
    { "export-chart", export_chart_activated, NULL, NULL, NULL },
    { "export-csv", export_csv_activated, "s", NULL, NULL },
    { "reset-view", reset_view_activated, NULL, NULL, NULL },
    { "interval", NULL, "s", "'independent'", interval_changed },
    { "holdout", NULL, NULL, "false", holdout_changed },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  build_text_panel (self);
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (queue_rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (queue_rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecast", G_CALLBACK (queue_rebuild), self);
  self->group = -1;
  self->interval = TC_EXPLORE_INDEPENDENT;

  self->store = g_list_store_new (TC_TYPE_FORECAST_ITEM);
  self->filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->level_dropdown, "notify::selected", G_CALLBACK (level_selected), self);
  g_signal_connect_swapped (self->table_toggle, "toggled", G_CALLBACK (view_toggled), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));

  self->filters[0] = new_filter (_("PNG Image"), "image/png", "png");
  self->filters[1] = new_filter (_("SVG Drawing"), "image/svg+xml", "svg");
  self->filters[2] = new_filter (_("PDF Document"), "application/pdf", "pdf");

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "forecast", G_ACTION_GROUP (self->actions));
  set_export_enabled (self, FALSE);

  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_swapped (self->settings, "changed::sum-ranges", G_CALLBACK (sum_ranges_changed), self);
  sum_ranges_changed (self);
}

TcSession *
tc_forecast_page_get_session (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return self->session;
}

void
tc_forecast_page_set_session (TcForecastPage *self,
                              TcSession      *session)
{
  g_return_if_fail (TC_IS_FORECAST_PAGE (self));

  if (self->session == session)
    return;
  g_cancellable_cancel (self->forecasting);
  g_clear_object (&self->forecasting);
  g_cancellable_cancel (self->signal_running);
  g_clear_object (&self->signal_running);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session)
    queue_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* -- for tests and screenshots ---------------------------------------------------- */

void
tc_forecast_page_rebuild_now (TcForecastPage *self)
{
  g_return_if_fail (TC_IS_FORECAST_PAGE (self));
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->sync_rebuild = TRUE;
  rebuild (self);
  self->sync_rebuild = FALSE;
}

/**
 * tc_forecast_page_get_busy:
 *
 * Returns: whether a forecast runs in a worker for the page (a cancelled
 *   one too, until it has finished)
 */
gboolean
tc_forecast_page_get_busy (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), FALSE);
  return self->n_running > 0;
}

guint
tc_forecast_page_get_n_levels (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), 0);
  return self->levels ? self->levels->len : 0;
}

const TcExploreLevel *
tc_forecast_page_get_level (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return current_level (self);
}

void
tc_forecast_page_set_level (TcForecastPage *self,
                            guint           index)
{
  g_return_if_fail (TC_IS_FORECAST_PAGE (self));
  gtk_drop_down_set_selected (self->level_dropdown, index);
}

int
tc_forecast_page_get_group (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), -1);
  return self->group;
}

gboolean
tc_forecast_page_select (TcForecastPage *self,
                         const char     *name)
{
  guint i, n;

  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (i = 0; i < n; i++)
    {
      g_autoptr(TcForecastItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (item->name, name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

guint
tc_forecast_page_get_n_shown (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

void
tc_forecast_page_set_search (TcForecastPage *self,
                             const char     *text)
{
  g_return_if_fail (TC_IS_FORECAST_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports changes after a pause; filter now. */
  search_changed (self);
}

TcChart *
tc_forecast_page_get_chart (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return tc_chart_view_get_chart (self->chart_view);
}

const TcTextSummary *
tc_forecast_page_get_text_summary (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_widget_get_visible (self->text_panel) ? self->text_summary : NULL;
}

/**
 * tc_forecast_page_get_text_signal:
 *
 * Returns: (nullable): what the reviews do to the forecast of the group
 *   shown, or %NULL while it is measured, when the model does not read
 *   text or the panel is hidden
 */
const TcTextSignal *
tc_forecast_page_get_text_signal (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_widget_get_visible (self->text_panel) ? self->text_signal : NULL;
}

/* The sentence under the signal: the latest effect, or why there is none. */
const char *
tc_forecast_page_get_text_signal_note (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_label_get_label (self->signal_note);
}

const char *
tc_forecast_page_get_text_terms (TcForecastPage *self,
                                 gboolean        rising)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_label_get_label (rising ? self->text_rising : self->text_falling);
}

const char *
tc_forecast_page_get_summary (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

/**
 * tc_forecast_page_get_note:
 * @self: a #TcForecastPage
 *
 * The note about forecast origins shown with every chart (series ending
 * on different dates, series without a forecast, assumed plan values).
 *
 * Returns: (nullable): the note, or %NULL when there is none
 */
const char *
tc_forecast_page_get_note (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return self->origin_note;
}

/**
 * tc_forecast_page_get_detail:
 * @self: a #TcForecastPage
 *
 * Returns: the sentence under the summary, as shown
 */
const char *
tc_forecast_page_get_detail (TcForecastPage *self)
{
  g_return_val_if_fail (TC_IS_FORECAST_PAGE (self), NULL);
  return gtk_label_get_label (self->detail_label);
}
