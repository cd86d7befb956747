/* tc-data-page.c — the Data page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening a file reads a preview in a worker thread and shows the import
 * assistant (tc-import-dialog.c); the import itself goes through the
 * session.  After it, the page summarises the data set and lists its
 * series with a sparkline and the quality flags of tc-quality.h.
 */

#define G_LOG_DOMAIN "tc-data-page"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tc-app-files.h"
#include "tc-chart.h"
#include "tc-error.h"
#include "tc-quality.h"
#include "tc-text.h"
#include "tc-data-page.h"
#include "tc-data-page-private.h"

/* Enough points for a 140-pixel line; longer series are averaged into bins. */
#define SPARKLINE_POINTS 140

/* -- a row of the series list -------------------------------------------- */

#define TC_TYPE_SERIES_ITEM (tc_series_item_get_type ())
G_DECLARE_FINAL_TYPE (TcSeriesItem, tc_series_item, TC, SERIES_ITEM, GObject)

struct _TcSeriesItem
{
  GObject          parent_instance;

  char            *id;
  char            *attributes;   /* "Snacks · Crunchy Bay" */
  char            *search_text;  /* id and attributes, for the filter */
  double          *spark;        /* (n_spark) the series' life, binned; NaN = gap */
  guint            n_spark;
  TcSeriesQuality  quality;      /* .id is not kept: the dataset may go */
};

G_DEFINE_FINAL_TYPE (TcSeriesItem, tc_series_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_SEARCH_TEXT,
  ITEM_N_PROPS
};

static void
tc_series_item_finalize (GObject *object)
{
  TcSeriesItem *self = TC_SERIES_ITEM (object);

  g_free (self->id);
  g_free (self->attributes);
  g_free (self->search_text);
  g_free (self->spark);

  G_OBJECT_CLASS (tc_series_item_parent_class)->finalize (object);
}

static void
tc_series_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TcSeriesItem *self = TC_SERIES_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_series_item_class_init (TcSeriesItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_series_item_finalize;
  object_class->get_property = tc_series_item_get_property;
  g_object_class_install_property (object_class, ITEM_PROP_SEARCH_TEXT,
                                   g_param_spec_string ("search-text", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
tc_series_item_init (TcSeriesItem *self)
{
}

static TcSeriesItem *
tc_series_item_new (const TcDataset       *ds,
                    const TcSeriesQuality *quality,
                    guint                  s)
{
  TcSeriesItem *self = g_object_new (TC_TYPE_SERIES_ITEM, NULL);
  const double *y = tc_dataset_target_row (ds, s);
  guint start = ds->start[s];
  guint end = MAX (ds->end[s], start);
  guint n = end - start;
  g_autoptr(GStrvBuilder) attrs = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  self->id = g_strdup (ds->series_ids[s]);
  for (guint k = 0; k < ds->n_static; k++)
    {
      const char *v = ds->static_values[(gsize) s * ds->n_static + k];

      if (v != NULL && *v != '\0')
        g_strv_builder_add (attrs, v);
    }
  parts = g_strv_builder_end (attrs);
  self->attributes = g_strjoinv (" · ", parts);
  self->search_text = g_strconcat (self->id, " ", self->attributes, NULL);
  self->quality = *quality;
  self->quality.id = NULL;

  /* Bin means keep a daily series of years readable in a small line. */
  self->n_spark = MIN (n, SPARKLINE_POINTS);
  self->spark = g_new (double, MAX (self->n_spark, 1));
  for (guint b = 0; b < self->n_spark; b++)
    {
      guint lo = start + (guint) ((guint64) b * n / self->n_spark);
      guint hi = start + (guint) ((guint64) (b + 1) * n / self->n_spark);
      double sum = 0;
      guint cnt = 0;

      for (guint t = lo; t < MAX (hi, lo + 1); t++)
        if (isfinite (y[t]))
          {
            sum += y[t];
            cnt++;
          }
      self->spark[b] = cnt > 0 ? sum / cnt : NAN;
    }
  return self;
}

/* -- the page ------------------------------------------------------------ */

struct _TcDataPage
{
  AdwBin          parent_instance;

  TcSession      *session;
  GSignalGroup   *session_signals;  /* the page's handlers on the session */
  TcImportDialog *dialog;
  GCancellable   *preview_cancellable;
  GFile          *preview_file;
  TcImportOptions preview_opts;
  char           *news_file_name;   /* the news file being added, for its error */
  char           *locate_problem;   /* why the file last located for missing news did not join */
  GListStore     *series_store;
  GtkStringFilter *filter;
  GtkFilterListModel *filtered;

  /* Template widgets */
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  AdwStatusPage  *loading_status;
  GtkSpinner     *loading_spinner;
  AdwStatusPage  *error_status;
  GtkLabel       *error_label;
  GtkButton      *back_button;
  GtkBox         *content_box;
  GtkLabel       *file_label;
  GtkLabel       *summary_label;
  GtkButton      *reimport_button;
  GtkButton      *news_button;
  GtkButton      *news_retry_button; /* the error state's first button after a bad news file */
  GtkButton      *choose_button;     /* ... and after a bad data file */
  GtkGrid        *roles_grid;
  GtkBox         *news_warning;      /* the project's news file left out, and the ways on */
  GtkLabel       *news_warning_title;
  GtkLabel       *news_warning_label;
  GtkButton      *news_locate_button;
  GtkButton      *news_remove_button;
  GtkListBox     *roles_list;
  GtkSearchEntry *search_entry;
  GtkLabel       *count_label;
  GtkStack       *list_stack;
  GtkColumnView  *series_view;
  GtkColumnViewColumn *attributes_column;
};

G_DEFINE_FINAL_TYPE (TcDataPage, tc_data_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
file_display_name (GFile *file)
{
  char *name = g_file_get_basename (file);

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_file_get_parse_name (file);
    }
  return name;
}

static void
show_resting_state (TcDataPage *self)
{
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack,
                                    self->session && tc_session_get_dataset (self->session)
                                    ? "content" : "empty");
}

/* -- summary ------------------------------------------------------------- */

static void
add_role_row (TcDataPage *self,
              const char *title,
              const char *value)
{
  GtkWidget *key;
  GtkWidget *label;
  int row = 0;

  if (value == NULL || *value == '\0')
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->roles_grid)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    row++;
  key = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "dim-label");
  label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (GTK_GRID (self->roles_grid), key, 0, row / 2, 1, 1);
  gtk_grid_attach (GTK_GRID (self->roles_grid), label, 1, row / 2, 1, 1);
}

static char *
join_names (char      **names,
            guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, names[i]);
    }
  return g_string_free (s, FALSE);
}

/* The project's news file that was left out (missing, or it does not
 * read): where it was, what is wrong, and what the model needs of it. */
static void
update_news_warning (TcDataPage *self)
{
  const GError *why = self->session ? tc_session_get_news_error (self->session) : NULL;
  const char *path;
  TcForecaster *fc;
  g_autofree char *location = NULL;
  g_autofree char *what = NULL;
  GString *text;

  gtk_widget_set_visible (GTK_WIDGET (self->news_warning), why != NULL);
  /* One way to a news file at a time: the warning's Locate… joins it
   * and keeps the model, where adding news imports the data again. */
  gtk_widget_set_visible (GTK_WIDGET (self->news_button), why == NULL);
  if (why == NULL)
    return;
  path = tc_session_get_import_options (self->session)->news_path;
  gtk_label_set_text (self->news_warning_title,
                      g_file_test (path, G_FILE_TEST_EXISTS) ? _("The market news file could not be read")
                                                             : _("The market news file is missing"));
  what = tc_import_describe_message (why->message, tc_error_get_location (why), &location);
  text = g_string_new (NULL);
  /* Translators: %s is the path of a market news file. */
  g_string_append_printf (text, _("“%s”"), path);
  g_string_append_c (text, '\n');
  if (location != NULL)
    /* Translators: the place of a problem in a file and what it is, e.g.
     * "Line 3, column 1 “date”: Found “2024-01-4x”, expected a date." */
    g_string_append_printf (text, _("%s: %s"), location, what);
  else
    g_string_append (text, what);
  g_string_append_c (text, '\n');
  fc = tc_session_get_forecaster (self->session);
  if (fc != NULL && tc_forecaster_get_reads_news (fc))
    g_string_append (text, _("The data opened without the news, but the model reads it: it cannot forecast until the file is located."));
  else
    g_string_append (text, _("The data opened without the news. Locate the file to use it again, or remove it from the project."));
  if (self->locate_problem != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, self->locate_problem);
    }
  gtk_label_set_text (self->news_warning_label, text->str);
  g_string_free (text, TRUE);
}

static void
update_summary (TcDataPage            *self,
                const TcDataset       *ds,
                const TcQualityReport *q)
{
  const TcImportReport *report = tc_session_get_import_report (self->session);
  GFile *file = tc_session_get_file (self->session);
  g_autofree char *name = file ? file_display_name (file) : g_strdup (ds->source ? ds->source : "");
  g_autofree char *first = tc_frequency_format_time (ds->freq, ds->times[0]);
  g_autofree char *last = tc_frequency_format_time (ds->freq, ds->times[ds->n_times - 1]);
  g_autofree char *series = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *known = NULL;
  g_autofree char *observed = NULL;
  g_autofree char *statics = NULL;
  g_autofree char *reviews = NULL;
  g_autofree char *news = NULL;
  g_autofree char *quality = NULL;
  GString *k = g_string_new (NULL);
  const char *group = NULL;
  GtkWidget *child;

  gtk_label_set_text (self->file_label, name);
  series = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u series", "%u series", ds->n_series),
                            ds->n_series);
  /* Translators: "30 series · Daily · 2023-01-01 to 2025-06-30 (912 dates)". */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s · %s to %s (%u date)",
                                          "%s · %s · %s to %s (%u dates)", ds->n_times),
                             series, tc_import_freq_label (ds->freq), first, last, ds->n_times);
  gtk_label_set_text (self->summary_label, summary);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->roles_list))) != NULL)
    gtk_list_box_remove (self->roles_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->roles_grid))) != NULL)
    gtk_grid_remove (GTK_GRID (self->roles_grid), child);
  gtk_widget_set_visible (GTK_WIDGET (self->roles_list), FALSE);

  add_role_row (self, _("Forecasting"), ds->target_name);
  for (guint i = 0; i < ds->n_known; i++)
    {
      const char *kn = ds->known_names[i];
      const char *eq = strchr (kn, '=');

      /* A column of holiday names became one 0/1 covariate per name,
       * "holiday=double_11": list the names once under the column. */
      if (eq != NULL && group != NULL && strncmp (kn, group, eq - kn + 1) == 0)
        {
          g_string_append_printf (k, ", %s", eq + 1);
          continue;
        }
      if (group != NULL)
        g_string_append_c (k, ')');
      group = NULL;
      if (i > 0)
        g_string_append (k, ", ");
      if (eq != NULL)
        {
          group = kn;
          g_string_append_len (k, kn, eq - kn);
          g_string_append_printf (k, " (%s", eq + 1);
        }
      else if (ds->known_kinds[i] == TC_COVARIATE_OTHER
               || g_ascii_strcasecmp (kn, tc_covariate_kind_to_string (ds->known_kinds[i])) == 0)
        g_string_append (k, kn);
      else
        /* Translators: a column name and what it means, e.g. "promo (Promotion)". */
        g_string_append_printf (k, _("%s (%s)"), kn, tc_import_kind_label (ds->known_kinds[i]));
    }
  if (group != NULL)
    g_string_append_c (k, ')');
  known = g_string_free (k, FALSE);
  add_role_row (self, _("Known in future"), known);
  observed = join_names (ds->observed_names, ds->n_observed);
  add_role_row (self, _("Observed"), observed);
  statics = join_names (ds->static_names, ds->n_static);
  add_role_row (self, _("Static attributes"), statics);
  if (ds->text_name != NULL)
    {
      guint64 n_periods = 0, n_reviews = tc_text_count_reviews (ds, &n_periods);

      /* Translators: a text column and its counts, e.g.
       * "review (2,473 reviews in 2,473 series-days)". */
      reviews = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%'llu review in %'llu series-periods)",
                                              "%s (%'llu reviews in %'llu series-periods)", n_reviews),
                                 ds->text_name, (unsigned long long) n_reviews,
                                 (unsigned long long) n_periods);
    }
  add_role_row (self, _("Review text"), reviews);
  if (ds->news_name != NULL && report != NULL && report->news_items > 0)
    {
      g_autofree char *nf = tc_frequency_format_time (TC_FREQ_DAILY, report->news_first);
      g_autofree char *nl = tc_frequency_format_time (TC_FREQ_DAILY, report->news_last);
      g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u headline", "%u headlines",
                                                             report->news_items),
                                                report->news_items);
      g_autofree char *joined = NULL;

      if (report->news_matched_by)
        /* Translators: news joined to the data; %2$s is the data's column
         * whose values the news categories name, e.g. "category". */
        joined = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u joined by %2$s", "%1$u joined by %2$s",
                                               report->news_joined),
                                  report->news_joined, report->news_matched_by);
      else
        joined = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u joined to every series",
                                               "%u joined to every series", report->news_joined),
                                  report->news_joined);
      /* Translators: "news.csv: 28 headlines, 2023-01-16 to 2025-08-04 · 26 joined by category". */
      news = g_strdup_printf (_("%s: %s, %s to %s · %s"), ds->news_name, items, nf, nl, joined);
    }
  else if (tc_session_get_news_error (self->session) != NULL)
    {
      g_autofree char *base = g_path_get_basename (tc_session_get_import_options (self->session)->news_path);

      /* The row says it in its place; the warning below says why. */
      /* Translators: %s is the file name of a market news file that could not be read. */
      news = g_strdup_printf (_("%s — not joined"), base);
    }
  add_role_row (self, _("Market news"), news);
  gtk_button_set_label (self->news_button, ds->news_name ? _("Replace Market _News…") : _("Add Market _News…"));
  update_news_warning (self);

  quality = g_strdup_printf (_("Missing %.1f %% · zeros %.1f %% · %u with outliers · %u short · %u constant · %u with negatives"),
                             q->missing_pct, q->zeros_pct, q->n_with_outliers, q->n_short,
                             q->n_constant, q->n_with_negatives);
  add_role_row (self, _("Quality"), quality);

  if (report != NULL && (report->warnings->len > 0 || report->n_skipped > 0))
    {
      GtkWidget *expander = adw_expander_row_new ();
      guint n = report->warnings->len + report->skipped->len;
      g_autofree char *title = NULL;

      if (report->n_skipped > 0)
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu bad row left out",
                                              "%llu bad rows left out", report->n_skipped),
                                 (unsigned long long) report->n_skipped);
      else
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note from the import",
                                              "%u notes from the import", n), n);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (expander),
                                   gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      for (guint i = 0; i < report->skipped->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                  tc_import_problem_row_new (report->skipped->pdata[i],
                                                             report->skipped_locations->pdata[i], TRUE));
      for (guint i = 0; i < report->warnings->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                  tc_import_problem_row_new (report->warnings->pdata[i],
                                                             report->warning_locations->pdata[i], FALSE));
      gtk_list_box_append (self->roles_list, expander);
      gtk_widget_set_visible (GTK_WIDGET (self->roles_list), TRUE);
    }
}

static void
update_count (TcDataPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->series_store));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u series", "%u series", total), total);
  else
    /* Translators: series shown after a search, of all series. */
    text = g_strdup_printf (_("%u of %u series"), shown, total);
  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, shown > 0 || total == 0 ? "list" : "no-match");
}

static void
on_dataset_changed (TcDataPage *self)
{
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  g_autoptr(TcQualityReport) q = NULL;
  g_autoptr(GPtrArray) items = NULL;

  /* Other data, or the news joined or removed: the last file located
   * is not the problem any more. */
  g_clear_pointer (&self->locate_problem, g_free);
  if (ds == NULL || ds->n_times == 0)
    {
      g_list_store_remove_all (self->series_store);
      show_resting_state (self);
      return;
    }

  q = tc_quality_report_new (ds);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint s = 0; s < ds->n_series; s++)
    g_ptr_array_add (items, tc_series_item_new (ds, &q->series[s], s));
  g_list_store_splice (self->series_store, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->series_store)),
                       items->pdata, items->len);

  gtk_column_view_column_set_visible (self->attributes_column, ds->n_static > 0);
  update_summary (self, ds, q);
  update_count (self);
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

/* -- the series list ----------------------------------------------------- */

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  const char *style = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (g_strcmp0 (style, "numeric") == 0)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  else if (g_strcmp0 (style, "dim") == 0)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "heading");
  gtk_list_item_set_child (item, label);
}

static void
bind_id (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  TcSeriesItem *s = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), s->id);
  gtk_widget_set_tooltip_text (label, s->id);
}

static void
bind_attributes (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  TcSeriesItem *s = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), s->attributes);
}

static void
bind_length (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  TcSeriesItem *s = gtk_list_item_get_item (item);
  g_autofree char *text = g_strdup_printf ("%u", s->quality.length);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
bind_missing (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TcSeriesItem *s = gtk_list_item_get_item (item);
  /* Translators: a percentage of missing values. */
  g_autofree char *text = g_strdup_printf (_("%.1f %%"), s->quality.missing_pct);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
draw_sparkline (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  TcSeriesItem *s = user_data;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
  TcRGBA color;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (area)),
                                  "accent_color", &accent);
G_GNUC_END_IGNORE_DEPRECATIONS
  color = (TcRGBA) { accent.red, accent.green, accent.blue, accent.alpha };
  tc_sparkline_render (cr, s->spark, s->n_spark, width, height, &color);
}

static void
setup_sparkline (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 140);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 28);
  gtk_widget_set_margin_top (area, 3);
  gtk_widget_set_margin_bottom (area, 3);
  gtk_list_item_set_child (item, area);
}

static void
bind_sparkline (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkDrawingArea *area = GTK_DRAWING_AREA (gtk_list_item_get_child (item));
  TcSeriesItem *series = gtk_list_item_get_item (item);
  g_autofree char *words = tc_sparkline_dup_text (series->spark, series->n_spark, series->n_spark);

  gtk_drawing_area_set_draw_func (area, draw_sparkline, g_object_ref (series), g_object_unref);
  gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recent sales"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, words, -1);
}

static void
unbind_sparkline (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (gtk_list_item_get_child (item)),
                                  NULL, NULL, NULL);
}

static void
setup_flags (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, box);
}

static void
add_pill (GtkWidget  *box,
          const char *text,
          const char *tooltip,
          const char *style)
{
  GtkWidget *pill = gtk_label_new (text);

  gtk_widget_add_css_class (pill, "tc-pill");
  if (style != NULL)
    gtk_widget_add_css_class (pill, style);
  gtk_widget_set_tooltip_text (pill, tooltip);
  gtk_box_append (GTK_BOX (box), pill);
}

static void
bind_flags (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  TcSeriesItem *s = gtk_list_item_get_item (item);
  const TcSeriesQuality *q = &s->quality;
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);

  if (q->empty)
    add_pill (box, _("empty"), _("No value at all"), "error");
  if (q->is_short)
    add_pill (box, _("short"), _("Fewer than two seasons of history: the forecast leans on similar series"),
              "warning");
  if (q->constant)
    add_pill (box, _("constant"), _("Always the same value"), "warning");
  if (q->n_negative > 0)
    {
      g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u negative value (returns?)",
                                                           "%u negative values (returns?)", q->n_negative),
                                              q->n_negative);

      add_pill (box, _("negatives"), tip, "error");
    }
  /* A few zero days are normal; many mean intermittent demand. */
  if (q->zeros_pct >= 10)
    {
      g_autofree char *tip = g_strdup_printf (_("%.0f %% of the values are zero"), q->zeros_pct);

      add_pill (box, _("zeros"), tip, "warning");
    }
  if (q->n_outliers > 0)
    {
      g_autofree char *tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u value far from the usual (promotions, stock-outs, errors?)",
                                                           "%u values far from the usual (promotions, stock-outs, errors?)",
                                                           q->n_outliers),
                                              q->n_outliers);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u outlier", "%u outliers",
                                                            q->n_outliers),
                                               q->n_outliers);

      add_pill (box, text, tip, NULL);
    }
}

static GtkColumnViewColumn *
add_column (TcDataPage *self,
            const char *title,
            GCallback   setup,
            gpointer    setup_data,
            GCallback   bind,
            GCallback   unbind,
            gboolean    expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, setup_data);
  g_signal_connect (factory, "bind", bind, NULL);
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, NULL);
  column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->series_view, column);
  return column;
}

/* Sorting by a column: worst first is one click away on Missing and Checks. */
static int
compare_id (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_utf8_collate (((const TcSeriesItem *) a)->id, ((const TcSeriesItem *) b)->id);
}

static int
compare_length (gconstpointer a, gconstpointer b, gpointer data)
{
  guint la = ((const TcSeriesItem *) a)->quality.length;
  guint lb = ((const TcSeriesItem *) b)->quality.length;

  return (la > lb) - (la < lb);
}

static int
compare_missing (gconstpointer a, gconstpointer b, gpointer data)
{
  double ma = ((const TcSeriesItem *) a)->quality.missing_pct;
  double mb = ((const TcSeriesItem *) b)->quality.missing_pct;

  return (ma > mb) - (ma < mb);
}

/* How much a series needs a look: the flags first, then the outliers. */
static double
check_score (const TcSeriesQuality *q)
{
  return 1e6 * q->empty + 1e5 * (q->n_negative > 0) + 1e4 * q->constant + 1e4 * q->is_short
         + 1e3 * (q->zeros_pct >= 10) + q->n_outliers;
}

static int
compare_checks (gconstpointer a, gconstpointer b, gpointer data)
{
  double sa = check_score (&((const TcSeriesItem *) a)->quality);
  double sb = check_score (&((const TcSeriesItem *) b)->quality);

  return (sa > sb) - (sa < sb);
}

static void
set_sorter (GtkColumnViewColumn *column,
            GCompareDataFunc     compare)
{
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (compare, NULL, NULL);

  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
}

/* A list keeps the row it had at the top in view when the order
 * changes; after a click on a column header the user wants the start of
 * the new order.  GTK 4.8 has no gtk_column_view_scroll_to(), but the
 * column view's inner list view has the "list.scroll-to-item" action. */
static void
scroll_to_top (TcDataPage *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (self->series_view);

  /* The columns leave the sorter while the view is disposed. */
  if (model == NULL || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->series_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", 0);
}

static void
build_series_view (TcDataPage *self)
{
  GtkExpression *expr;
  GtkSortListModel *sorted;
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkColumnViewColumn *column;

  self->series_store = g_list_store_new (TC_TYPE_SERIES_ITEM);
  expr = gtk_property_expression_new (TC_TYPE_SERIES_ITEM, NULL, "search-text");
  self->filter = gtk_string_filter_new (expr);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->series_store)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->series_view)));
  g_signal_connect_object (gtk_column_view_get_sorter (self->series_view), "changed",
                           G_CALLBACK (scroll_to_top), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->series_view, GTK_SELECTION_MODEL (selection));

  column = add_column (self, _("Series"), G_CALLBACK (setup_label), NULL, G_CALLBACK (bind_id), NULL, TRUE);
  set_sorter (column, compare_id);
  self->attributes_column =
    add_column (self, _("Attributes"), G_CALLBACK (setup_label), (gpointer) "dim",
                G_CALLBACK (bind_attributes), NULL, TRUE);
  add_column (self, _("History"), G_CALLBACK (setup_sparkline), NULL,
              G_CALLBACK (bind_sparkline), G_CALLBACK (unbind_sparkline), FALSE);
  column = add_column (self, _("Length"), G_CALLBACK (setup_label), (gpointer) "numeric",
                       G_CALLBACK (bind_length), NULL, FALSE);
  set_sorter (column, compare_length);
  column = add_column (self, _("Missing"), G_CALLBACK (setup_label), (gpointer) "numeric",
                       G_CALLBACK (bind_missing), NULL, FALSE);
  set_sorter (column, compare_missing);
  column = add_column (self, _("Checks"), G_CALLBACK (setup_flags), NULL, G_CALLBACK (bind_flags), NULL, TRUE);
  set_sorter (column, compare_checks);
}

static void
on_search_changed (TcDataPage *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* -- opening files ------------------------------------------------------- */

static void
on_dialog_destroy (TcDataPage *self)
{
  self->dialog = NULL;
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TcDataPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  TcImportReport *report;
  GtkRoot *root;

  /* A newer file or dispose() cancelled this preview; then self may be gone. */
  report = tc_import_preview_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->preview_cancellable);
  name = file_display_name (self->preview_file);

  if (report == NULL)
    {
      g_autofree char *title = NULL;
      g_autofree char *location = NULL;
      g_autofree char *what = tc_import_describe_message (error->message, tc_error_get_location (error), &location);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name. */
      title = g_strdup_printf (_("Could not open “%s”"), name);
      text = location ? g_strdup_printf ("%s\n%s", location, what) : g_strdup (what);
      adw_status_page_set_title (self->error_status, title);
      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                              self->session && tc_session_get_dataset (self->session));
      gtk_widget_set_visible (GTK_WIDGET (self->news_retry_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->choose_button), TRUE);
      gtk_spinner_stop (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->stack, "error");
      /* The way on has the focus, not the selectable message (GTK would
       * select all of its text). */
      gtk_widget_grab_focus (GTK_WIDGET (self->choose_button));
      return;
    }

  show_resting_state (self);
  if (self->session == NULL)
    {
      tc_import_report_free (report);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->dialog = tc_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       self->session, self->preview_file, &self->preview_opts, report);
  g_signal_connect_object (self->dialog, "destroy", G_CALLBACK (on_dialog_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
start_preview (TcDataPage            *self,
               GFile                 *file,
               const TcImportOptions *opts)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *title = NULL;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  g_set_object (&self->preview_file, file);

  /* Only the options the user chose before; the roles of another file
   * would not fit this one. */
  tc_import_options_clear (&self->preview_opts);
  if (opts != NULL)
    {
      self->preview_opts = *opts;
      self->preview_opts.date_col = g_strdup (opts->date_col);
      self->preview_opts.target_col = g_strdup (opts->target_col);
      self->preview_opts.text_col = g_strdup (opts->text_col);
      self->preview_opts.start = g_strdup (opts->start);
      self->preview_opts.encoding = g_strdup (opts->encoding);
      self->preview_opts.series_cols = g_strdupv (opts->series_cols);
      self->preview_opts.known_cols = g_strdupv (opts->known_cols);
      self->preview_opts.observed_cols = g_strdupv (opts->observed_cols);
      self->preview_opts.static_cols = g_strdupv (opts->static_cols);
      self->preview_opts.ignore_cols = g_strdupv (opts->ignore_cols);
      self->preview_opts.news_path = g_strdup (opts->news_path);
      self->preview_opts.news_date_col = g_strdup (opts->news_date_col);
      self->preview_opts.news_text_col = g_strdup (opts->news_text_col);
      self->preview_opts.news_category_col = g_strdup (opts->news_category_col);
    }

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Reading “%s”…"), name);
  adw_status_page_set_title (self->loading_status, title);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  tc_import_preview_async (file, &self->preview_opts, self->preview_cancellable, preview_done_cb, self);
}

static void
on_reimport_clicked (TcDataPage *self)
{
  GFile *file = self->session ? tc_session_get_file (self->session) : NULL;

  if (file != NULL)
    start_preview (self, file, tc_session_get_import_options (self->session));
}

/* -- market news --------------------------------------------------------- */

static void
news_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TcDataPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tc_session_import_finish (TC_SESSION (source), result, &error))
    {
      TcForecasterOptions *o = tc_session_get_forecaster_options (TC_SESSION (source));

      /* Adding news asks for it to be read, as --news does on the
       * command line: the Model page's text switch turns on (the width
       * it uses), and can be turned off there. */
      if (o->text_dim == 0)
        {
          o->text_dim = 4;
          tc_session_forecaster_options_changed (TC_SESSION (source));
        }
      return;   /* notify::dataset shows the page again */
    }
  if (self->news_file_name == NULL)
    return;
  {
    g_autofree char *location = NULL;
    g_autofree char *what = tc_import_describe_message (error->message, tc_error_get_location (error), &location);
    g_autofree char *text = location ? g_strdup_printf ("%s\n%s", location, what) : g_strdup (what);
    /* Translators: %s is the file name of a news file. */
    g_autofree char *title = g_strdup_printf (_("Could not add “%s”"), self->news_file_name);

    adw_status_page_set_title (self->error_status, title);
    gtk_label_set_text (self->error_label, text);
    gtk_widget_set_visible (GTK_WIDGET (self->back_button), tc_session_get_dataset (self->session) != NULL);
    /* Another news file, not other sales data, is the way on from here. */
    gtk_widget_set_visible (GTK_WIDGET (self->news_retry_button), TRUE);
    gtk_widget_set_visible (GTK_WIDGET (self->choose_button), FALSE);
    gtk_spinner_stop (self->loading_spinner);
    gtk_stack_set_visible_child_name (self->stack, "error");
    gtk_widget_grab_focus (GTK_WIDGET (self->news_retry_button));
  }
}

void
tc_data_page_add_news (TcDataPage *self,
                       GFile      *news)
{
  GFile *file = self->session ? tc_session_get_file (self->session) : NULL;
  g_autofree char *path = g_file_get_path (news);
  g_autofree char *title = NULL;
  TcImportOptions opts;

  if (file == NULL || path == NULL)
    return;
  g_free (self->news_file_name);
  g_free (self->locate_problem);
  self->news_file_name = file_display_name (news);
  /* The data again with the same roles and the news joined: the session
   * then holds one consistent dataset, and a project saves the news
   * file's path with the import options. */
  tc_import_options_init (&opts);
  tc_import_options_copy (&opts, tc_session_get_import_options (self->session));
  g_free (opts.news_path);
  opts.news_path = g_steal_pointer (&path);
  g_clear_pointer (&opts.news_date_col, g_free);
  g_clear_pointer (&opts.news_text_col, g_free);
  g_clear_pointer (&opts.news_category_col, g_free);
  /* A file the user just chose fails loudly, even in a project (whose
   * own reference is optional). */
  opts.news_optional = FALSE;

  /* Translators: %s is the file name of a news file. */
  title = g_strdup_printf (_("Adding “%s”…"), self->news_file_name);
  adw_status_page_set_title (self->loading_status, title);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  tc_session_import_async (self->session, file, &opts, NULL, NULL, NULL, news_done_cb, g_object_ref (self));
  tc_import_options_clear (&opts);
}

/* Add Market News… and Locate… (data "tc-locate" set on the dialog). */
static void
on_news_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         data)
{
  g_autoptr(TcDataPage) self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL && g_object_get_data (G_OBJECT (dialog), "tc-locate"))
        tc_data_page_locate_news (self, file);
      else if (file != NULL)
        tc_data_page_add_news (self, file);
    }
  g_object_unref (dialog);
}

/* A modal file chooser for a news CSV, over the page's window. */
static GtkFileChooserNative *
news_chooser_new (TcDataPage *self, const char *title, const char *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (csv, _("News Files (CSV, Excel)"));
  tc_app_file_filter_add_tables (csv);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  return dialog;
}

static void
on_news_clicked (TcDataPage *self)
{
  GtkFileChooserNative *dialog = news_chooser_new (self, _("Add Market News"), _("_Add"));

  /* Beside the data: news files usually sit with the sales export. */
  if (self->session && tc_session_get_file (self->session))
    {
      g_autoptr(GFile) dir = g_file_get_parent (tc_session_get_file (self->session));

      if (dir)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), dir, NULL);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (on_news_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* -- a project's news file left out --------------------------------------- */

void
tc_data_page_locate_news (TcDataPage *self,
                          GFile      *news)
{
  g_autofree char *path = g_file_get_path (news);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TC_IS_DATA_PAGE (self));
  if (self->session == NULL || path == NULL)
    return;
  g_clear_pointer (&self->locate_problem, g_free);
  if (!tc_session_attach_news (self->session, path, &error))
    {
      g_autofree char *name = file_display_name (news);
      g_autofree char *location = NULL;
      g_autofree char *what = tc_import_describe_message (error->message, tc_error_get_location (error), &location);

      /* The reference stays the project's; what is wrong with the file
       * chosen is said under it, where the user looks. */
      if (location != NULL)
        /* Translators: %1$s is a file name, %2$s the place of the problem, %3$s the problem. */
        self->locate_problem = g_strdup_printf (_("“%1$s” could not be used either: %2$s: %3$s"), name, location, what);
      else
        /* Translators: %1$s is a file name, %2$s the problem. */
        self->locate_problem = g_strdup_printf (_("“%1$s” could not be used either: %2$s"), name, what);
      update_news_warning (self);
      return;
    }
  /* notify::dataset shows the news joined. */
  tc_app_toast (GTK_WIDGET (self), _("Market news added"), NULL, NULL, NULL);
}

void
tc_data_page_remove_news (TcDataPage *self)
{
  g_return_if_fail (TC_IS_DATA_PAGE (self));
  if (self->session == NULL)
    return;
  g_clear_pointer (&self->locate_problem, g_free);
  tc_session_forget_news (self->session);
}

static void
on_locate_clicked (TcDataPage *self)
{
  const char *missing = self->session ? tc_session_get_import_options (self->session)->news_path : NULL;
  GtkFileChooserNative *dialog = news_chooser_new (self, _("Locate Market News"), _("_Select"));

  /* Where it was when that folder still exists (a file renamed, or
   * broken and fixed), else beside the data. */
  if (missing != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (missing);
      g_autoptr(GFile) dir = g_file_get_parent (file);

      if (g_file_test (missing, G_FILE_TEST_IS_REGULAR))
        gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL);
      else if (dir != NULL && g_file_query_exists (dir, NULL))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), dir, NULL);
      else if (tc_session_get_file (self->session) != NULL)
        {
          g_autoptr(GFile) data_dir = g_file_get_parent (tc_session_get_file (self->session));

          if (data_dir != NULL)
            gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), data_dir, NULL);
        }
    }
  g_object_set_data (G_OBJECT (dialog), "tc-locate", GINT_TO_POINTER (TRUE));
  g_signal_connect (dialog, "response", G_CALLBACK (on_news_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

gboolean
tc_data_page_get_news_warning (TcDataPage  *self,
                               const char **title,
                               const char **text)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), FALSE);
  if (title != NULL)
    *title = gtk_label_get_text (self->news_warning_title);
  if (text != NULL)
    *text = gtk_label_get_text (self->news_warning_label);
  return gtk_widget_get_visible (GTK_WIDGET (self->news_warning))
         && gtk_widget_is_drawable (GTK_WIDGET (self->news_warning));
}

GtkButton *
tc_data_page_get_news_warning_button (TcDataPage *self,
                                      gboolean    locate)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  return locate ? self->news_locate_button : self->news_remove_button;
}

/* -- GObject ------------------------------------------------------------- */

static void
tc_data_page_dispose (GObject *object)
{
  TcDataPage *self = TC_DATA_PAGE (object);

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  tc_data_page_set_session (self, NULL);
  g_clear_object (&self->session_signals);
  if (self->series_view != NULL)
    gtk_column_view_set_model (self->series_view, NULL);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_data_page_parent_class)->dispose (object);
}

static void
tc_data_page_finalize (GObject *object)
{
  TcDataPage *self = TC_DATA_PAGE (object);

  g_clear_object (&self->preview_file);
  tc_import_options_clear (&self->preview_opts);
  g_free (self->news_file_name);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->series_store);

  G_OBJECT_CLASS (tc_data_page_parent_class)->finalize (object);
}

static void
tc_data_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TcDataPage *self = TC_DATA_PAGE (object);

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
tc_data_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TcDataPage *self = TC_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_data_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_data_page_class_init (TcDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_data_page_dispose;
  object_class->finalize = tc_data_page_finalize;
  object_class->get_property = tc_data_page_get_property;
  object_class->set_property = tc_data_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, loading_status);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, reimport_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_retry_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_warning);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_warning_title);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_warning_label);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_locate_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, news_remove_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, roles_grid);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, roles_list);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TcDataPage, series_view);
}

static void
load_css (void)
{
  static gsize done = 0;

  /* The pills need a background the theme has no class for; one
   * provider for the display, kept for the life of the process. */
  if (g_once_init_enter (&done))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      gtk_css_provider_load_from_data (provider,
                                       ".tc-pill { padding: 1px 8px; border-radius: 999px;"
                                       " font-size: smaller; font-weight: bold;"
                                       " background-color: alpha(currentColor, 0.12); }"
                                       ".tc-pill.warning { background-color: alpha(@warning_color, 0.15); }"
                                       ".tc-pill.error { background-color: alpha(@error_color, 0.15); }"
                                       /* A banner in the page (AdwBanner is newer than libadwaita 1.2). */
                                       ".tc-news-warning { padding: 12px; border-radius: 12px;"
                                       " background-color: alpha(@warning_color, 0.12); }",
                                       -1);
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
      g_once_init_leave (&done, 1);
    }
}

static void
tc_data_page_init (TcDataPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (on_dataset_changed), self);
  /* A project's model comes after its data: whether it reads the news
   * changes what the warning says. */
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (update_news_warning), self);
  tc_import_options_init (&self->preview_opts);
  load_css ();
  build_series_view (self);
  update_count (self);

  /* Typing anywhere on the page searches the series. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->content_box));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->reimport_button, "clicked", G_CALLBACK (on_reimport_clicked), self);
  g_signal_connect_swapped (self->news_button, "clicked", G_CALLBACK (on_news_clicked), self);
  g_signal_connect_swapped (self->news_retry_button, "clicked", G_CALLBACK (on_news_clicked), self);
  g_signal_connect_swapped (self->news_locate_button, "clicked", G_CALLBACK (on_locate_clicked), self);
  g_signal_connect_swapped (self->news_remove_button, "clicked", G_CALLBACK (tc_data_page_remove_news), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (show_resting_state), self);
}

TcSession *
tc_data_page_get_session (TcDataPage *self)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  return self->session;
}

void
tc_data_page_set_session (TcDataPage *self,
                          TcSession  *session)
{
  g_return_if_fail (TC_IS_DATA_PAGE (self));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    on_dataset_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tc_data_page_open_file (TcDataPage *self,
                        GFile      *file)
{
  g_return_if_fail (TC_IS_DATA_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  /* The roles of the last file do not fit another one; the policies do. */
  if (self->session != NULL)
    {
      TcImportOptions opts = *tc_session_get_import_options (self->session);

      opts.date_col = opts.target_col = opts.text_col = opts.start = opts.encoding = NULL;
      opts.series_cols = opts.known_cols = opts.observed_cols = opts.static_cols = opts.ignore_cols = NULL;
      /* The news was joined to the other file; another file starts without. */
      opts.news_path = opts.news_date_col = opts.news_text_col = opts.news_category_col = NULL;
      opts.format = TC_FORMAT_AUTO;
      opts.freq = TC_FREQ_UNKNOWN;
      opts.delimiter = 0;
      start_preview (self, file, &opts);
    }
  else
    start_preview (self, file, NULL);
}

void
tc_data_page_add_empty_widget (TcDataPage *self,
                               GtkWidget  *widget)
{
  GtkWidget *old, *box;

  g_return_if_fail (TC_IS_DATA_PAGE (self));

  /* The Open button stays first; @widget goes below it. */
  old = adw_status_page_get_child (self->empty_status);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  if (old != NULL)
    {
      g_object_ref (old);
      adw_status_page_set_child (self->empty_status, NULL);
      gtk_box_append (GTK_BOX (box), old);
      g_object_unref (old);
    }
  gtk_box_append (GTK_BOX (box), widget);
  adw_status_page_set_child (self->empty_status, box);
}

/* -- for tests ----------------------------------------------------------- */

TcImportDialog *
tc_data_page_get_import_dialog (TcDataPage *self)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  return self->dialog;
}

const char *
tc_data_page_get_state (TcDataPage *self)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
tc_data_page_get_n_shown_series (TcDataPage *self)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

void
tc_data_page_set_search_text (TcDataPage *self,
                              const char *text)
{
  g_return_if_fail (TC_IS_DATA_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry waits a moment before "search-changed"; tests need it now. */
  on_search_changed (self);
}

void
tc_data_page_reimport (TcDataPage *self)
{
  g_return_if_fail (TC_IS_DATA_PAGE (self));
  g_signal_emit_by_name (self->reimport_button, "clicked");
}

char *
tc_data_page_dup_role_value (TcDataPage *self,
                             const char *title)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  /* The grid holds key and value labels in pairs, in that order. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->roles_grid)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *value = gtk_widget_get_next_sibling (c);

      if (value == NULL)
        break;
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (c)), title) == 0)
        return g_strdup (gtk_label_get_text (GTK_LABEL (value)));
      c = value;
    }
  return NULL;
}

const char *
tc_data_page_get_error_text (TcDataPage *self)
{
  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  return gtk_label_get_text (self->error_label);
}

void
tc_data_page_sort (TcDataPage  *self,
                   const char  *column_title,
                   GtkSortType  order)
{
  GListModel *columns;

  g_return_if_fail (TC_IS_DATA_PAGE (self));
  columns = gtk_column_view_get_columns (self->series_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), column_title) == 0)
        {
          /* As a click on the header would. */
          gtk_column_view_sort_by_column (self->series_view, column, order);
          return;
        }
    }
  g_return_if_reached ();
}

char *
tc_data_page_dup_shown_series_id (TcDataPage *self,
                                  guint       position)
{
  g_autoptr(TcSeriesItem) item = NULL;

  g_return_val_if_fail (TC_IS_DATA_PAGE (self), NULL);
  item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (self->series_view)), position);
  return item != NULL ? g_strdup (item->id) : NULL;
}
