/* tc-import-dialog.c — the import assistant of the Data page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tc-error.h"
#include "tc-infer.h"
#include "tc-import-dialog.h"
#include "tc-tsan.h"
#include "tc-data-page-private.h"

/* Rows of the file shown as they are written; the importer still reads
 * its full sample (a few thousand rows) to find types and problems. */
#define PREVIEW_ROWS    8
/* A grid of labels gets slow and useless beyond this many columns. */
#define PREVIEW_COLUMNS 40
/* Changing several options in a row re-reads the file once. */
#define PREVIEW_DELAY_MS 250

struct _TcImportDialog
{
  AdwWindow        parent_instance;

  TcSession       *session;
  GFile           *file;
  char            *basename;
  TcImportOptions  opts;            /* format and policies; the roles come from user_role */
  TcImportReport  *report;          /* the latest preview */
  GPtrArray       *column_names;    /* (element-type utf8) as the rows were built */
  GArray          *user_role;       /* (element-type int) per column, -1 = as suggested */
  GPtrArray       *column_rows;     /* (element-type AdwComboRow) */
  gboolean         updating;        /* setting widgets from the report, not the user */
  gboolean         closed;

  GCancellable    *preview_cancellable;
  guint            preview_source;
  GCancellable    *import_cancellable;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkButton       *cancel_button;
  GtkButton       *import_button;
  GtkSpinner      *preview_spinner;
  GtkStack        *stack;
  AdwActionRow    *encoding_row;
  AdwActionRow    *dates_row;
  AdwActionRow    *series_row;
  GtkScrolledWindow *preview_scroller;
  GtkBox          *problems_box;
  GtkLabel        *problems_title;
  GtkListBox      *problems_list;
  AdwPreferencesGroup *columns_group;
  AdwComboRow     *format_row;
  AdwComboRow     *freq_row;
  AdwComboRow     *date_order_row;
  AdwEntryRow     *start_row;
  AdwComboRow     *missing_row;
  AdwComboRow     *duplicates_row;
  GtkSwitch       *skip_switch;
  AdwStatusPage   *progress_status;
  GtkProgressBar  *progress_bar;
  GtkButton       *progress_cancel_button;
  AdwStatusPage   *error_status;
  GtkLabel        *error_location;
  GtkLabel        *error_message;
  GtkButton       *retry_button;
  GtkButton       *other_file_button;
};

G_DEFINE_FINAL_TYPE (TcImportDialog, tc_import_dialog, ADW_TYPE_WINDOW)

/* -- labels ---------------------------------------------------------------- */

/* In the order of TcColumnRole, which is also the order of the menus. */
static const char *role_labels[] = {
  N_("Ignore"),
  N_("Date"),
  N_("Series ID"),
  N_("Target (what to forecast)"),
  N_("Known in future"),
  N_("Observed"),
  N_("Static attribute"),
  N_("Review text"),
};

static const char *role_hints[] = {
  N_("Not used"),
  N_("When the sales happened"),
  N_("Tells the series apart, e.g. a SKU or store"),
  N_("The number to forecast, e.g. units sold"),
  N_("Planned ahead: promotion, discount, price, holiday"),
  N_("Only known afterwards, e.g. traffic"),
  N_("Fixed per series, e.g. category or brand"),
  N_("Customer reviews"),
};

const char *
tc_import_role_label (TcColumnRole role)
{
  if ((guint) role >= G_N_ELEMENTS (role_labels))
    return _("Unknown");
  return _(role_labels[role]);
}

const char *
tc_import_kind_label (TcCovariateKind kind)
{
  switch (kind)
    {
    case TC_COVARIATE_PROMOTION:
      return _("Promotion");
    case TC_COVARIATE_DISCOUNT:
      return _("Discount");
    case TC_COVARIATE_PRICE:
      return _("Price");
    case TC_COVARIATE_HOLIDAY:
      return _("Holiday");
    case TC_COVARIATE_LOG_PRICE:
      return _("Log price");
    case TC_COVARIATE_OTHER:
    default:
      return _("Other");
    }
}

const char *
tc_import_freq_label (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:
      return _("Hourly");
    case TC_FREQ_DAILY:
      return _("Daily");
    case TC_FREQ_WEEKLY:
      return _("Weekly");
    case TC_FREQ_MONTHLY:
      return _("Monthly");
    case TC_FREQ_QUARTERLY:
      return _("Quarterly");
    case TC_FREQ_YEARLY:
      return _("Yearly");
    case TC_FREQ_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static const char *
type_label (TcColumnType type)
{
  switch (type)
    {
    case TC_COLUMN_DATE:
      return _("Dates");
    case TC_COLUMN_PERIOD:
      return _("Period numbers");
    case TC_COLUMN_NUMBER:
      return _("Numbers");
    case TC_COLUMN_BOOLEAN:
      return _("Yes/no");
    case TC_COLUMN_CATEGORY:
      return _("Names");
    case TC_COLUMN_TEXT:
      return _("Text");
    case TC_COLUMN_EMPTY:
    default:
      return _("Empty");
    }
}

static char *
delimiter_label (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return g_strdup (_("separated by commas"));
    case ';':
      return g_strdup (_("separated by semicolons"));
    case '\t':
      return g_strdup (_("separated by tabs"));
    case '|':
      return g_strdup (_("separated by vertical bars"));
    default:
      /* Translators: %c is the character that separates the values. */
      return g_strdup_printf (_("separated by “%c”"), delimiter);
    }
}

char *
tc_import_describe_message (const char            *message,
                            const TcErrorLocation *loc,
                            char                 **location)
{
  GString *what;

  g_return_val_if_fail (message != NULL, NULL);

  if (location != NULL)
    {
      guint64 line = loc ? loc->line : 0;
      guint column = loc ? loc->column : 0;
      const char *name = loc ? loc->column_name : NULL;

      if (line > 0 && column > 0 && name != NULL)
        /* Translators: the place of a problem in a file: line, column number and column name. */
        *location = g_strdup_printf (_("Line %llu, column %llu “%s”"),
                                     (unsigned long long) line, (unsigned long long) column, name);
      else if (line > 0 && column > 0)
        *location = g_strdup_printf (_("Line %llu, column %llu"),
                                     (unsigned long long) line, (unsigned long long) column);
      else if (line > 0)
        *location = g_strdup_printf (_("Line %llu"), (unsigned long long) line);
      else if (column > 0 && name != NULL)
        *location = g_strdup_printf (_("Column %llu “%s”"), (unsigned long long) column, name);
      else
        *location = NULL;
    }

  /* The place is shown apart (the dialog names the file); the importer
   * writes lower-case clauses, the dialog shows sentences. */
  what = g_string_new (loc != NULL && loc->detail != NULL ? loc->detail : message);
  if (what->len > 0 && g_ascii_islower (what->str[0]))
    what->str[0] = g_ascii_toupper (what->str[0]);
  if (what->len > 0 && what->str[what->len - 1] != '.' && what->str[what->len - 1] != ')')
    g_string_append_c (what, '.');
  return g_string_free (what, FALSE);
}

/* -- options ------------------------------------------------------------- */

static void
copy_options (TcImportOptions       *dst,
              const TcImportOptions *src)
{
  tc_import_options_clear (dst);
  if (src == NULL)
    return;
  tc_import_options_copy (dst, src);
}

/* An empty start means the importer's default. */
static gboolean
start_valid (const char *text)
{
  gint64 t;

  return *text == '\0' || tc_parse_date (text, strlen (text), TC_DATE_ORDER_AUTO, &t, NULL);
}

/* The options as the user set them in the dialog. */
static void
build_options (TcImportDialog  *self,
               TcImportOptions *o)
{
  g_autoptr(GStrvBuilder) series = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) known = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) observed = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) statics = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ignored = g_strv_builder_new ();
  gboolean any_series = FALSE, any_known = FALSE, any_observed = FALSE, any_static = FALSE;
  gboolean any_ignored = FALSE;
  static const TcImportFormat formats[] = { TC_FORMAT_AUTO, TC_FORMAT_LONG, TC_FORMAT_WIDE };
  static const TcDateOrder orders[] = {
    TC_DATE_ORDER_AUTO, TC_DATE_ORDER_DAY_FIRST, TC_DATE_ORDER_MONTH_FIRST
  };
  guint sel;

  tc_import_options_init (o);
  /* Keep what this dialog does not edit (encoding, start date …). */
  copy_options (o, &self->opts);
  g_clear_pointer (&o->date_col, g_free);
  g_clear_pointer (&o->target_col, g_free);
  g_clear_pointer (&o->text_col, g_free);
  g_clear_pointer (&o->series_cols, g_strfreev);
  g_clear_pointer (&o->known_cols, g_strfreev);
  g_clear_pointer (&o->observed_cols, g_strfreev);
  g_clear_pointer (&o->static_cols, g_strfreev);
  g_clear_pointer (&o->ignore_cols, g_strfreev);

  sel = adw_combo_row_get_selected (self->format_row);
  o->format = formats[MIN (sel, G_N_ELEMENTS (formats) - 1)];
  sel = adw_combo_row_get_selected (self->freq_row);
  o->freq = sel <= TC_FREQ_YEARLY ? (TcFrequency) sel : TC_FREQ_UNKNOWN;
  sel = adw_combo_row_get_selected (self->date_order_row);
  o->date_order = orders[MIN (sel, G_N_ELEMENTS (orders) - 1)];
  sel = adw_combo_row_get_selected (self->missing_row);
  o->missing = sel <= TC_MISSING_INTERPOLATE ? (TcMissingPolicy) sel : TC_MISSING_KEEP;
  sel = adw_combo_row_get_selected (self->duplicates_row);
  o->duplicates = sel == 1 ? TC_DUPLICATES_SUM : TC_DUPLICATES_ERROR;
  o->skip_bad_rows = gtk_switch_get_active (self->skip_switch);
  if (gtk_widget_get_visible (GTK_WIDGET (self->start_row)))
    {
      const char *start = gtk_editable_get_text (GTK_EDITABLE (self->start_row));

      g_clear_pointer (&o->start, g_free);
      if (start_valid (start) && *start != '\0')
        o->start = g_strdup (start);
    }

  for (guint j = 0; j < self->user_role->len; j++)
    {
      int role = g_array_index (self->user_role, int, j);
      const char *name = g_ptr_array_index (self->column_names, j);

      switch (role)
        {
        case TC_ROLE_DATE:
          g_free (o->date_col);
          o->date_col = g_strdup (name);
          break;
        case TC_ROLE_SERIES_ID:
          g_strv_builder_add (series, name);
          any_series = TRUE;
          break;
        case TC_ROLE_TARGET:
          g_free (o->target_col);
          o->target_col = g_strdup (name);
          break;
        case TC_ROLE_KNOWN:
          g_strv_builder_add (known, name);
          any_known = TRUE;
          break;
        case TC_ROLE_OBSERVED:
          g_strv_builder_add (observed, name);
          any_observed = TRUE;
          break;
        case TC_ROLE_STATIC:
          g_strv_builder_add (statics, name);
          any_static = TRUE;
          break;
        case TC_ROLE_TEXT:
          g_free (o->text_col);
          o->text_col = g_strdup (name);
          break;
        case TC_ROLE_IGNORE:
          g_strv_builder_add (ignored, name);
          any_ignored = TRUE;
          break;
        default:
          /* No choice made: the importer's suggestion stands. */
          break;
        }
    }
  if (any_ignored)
    o->ignore_cols = g_strv_builder_end (ignored);
  if (any_series)
    o->series_cols = g_strv_builder_end (series);
  if (any_known)
    o->known_cols = g_strv_builder_end (known);
  if (any_observed)
    o->observed_cols = g_strv_builder_end (observed);
  if (any_static)
    o->static_cols = g_strv_builder_end (statics);
}

/* -- preview in a thread ------------------------------------------------- */

typedef struct
{
  char            *path;
  TcImportOptions  opts;
} PreviewData;

static void
preview_data_free (PreviewData *data)
{
  /* The task data: freed by whichever thread drops the task last. */
  TC_TSAN_ACQUIRE (data);
  g_free (data->path);
  tc_import_options_clear (&data->opts);
  g_free (data);
}

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewData *data = task_data;
  GError *error = NULL;
  TcImportReport *report;

  /* GTask hands the data over through GLib's queues (see tc-tsan.h). */
  TC_TSAN_ACQUIRE (data);
  report = tc_import_preview (data->path, &data->opts, PREVIEW_ROWS, &error);
  TC_TSAN_RELEASE (data);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) tc_import_report_free);
}

void
tc_import_preview_async (GFile                 *file,
                         const TcImportOptions *opts,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewData *data;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_import_preview_async);
  data = g_new0 (PreviewData, 1);
  data->path = g_file_get_path (file);
  tc_import_options_init (&data->opts);
  copy_options (&data->opts, opts);
  g_task_set_task_data (task, data, (GDestroyNotify) preview_data_free);
  if (data->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only files on this computer can be imported"));
      return;
    }
  TC_TSAN_RELEASE (data);
  g_task_run_in_thread (task, preview_thread);
}

TcImportReport *
tc_import_preview_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  TC_TSAN_ACQUIRE (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -- showing the report -------------------------------------------------- */

static void schedule_preview (TcImportDialog *self);

static gboolean
is_numeric_column (const TcImportReport *report,
                   guint                 j)
{
  const TcColumnInfo *ci;

  if (j >= report->columns->len)
    return FALSE;
  ci = g_ptr_array_index (report->columns, j);
  return ci->type == TC_COLUMN_NUMBER || ci->type == TC_COLUMN_PERIOD;
}

static void
build_preview_grid (TcImportDialog *self)
{
  const TcImportReport *report = self->report;
  GtkWidget *grid;
  guint n_rows;

  grid = gtk_grid_new ();
  gtk_widget_add_css_class (grid, "tc-preview-grid");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_top (grid, 10);
  gtk_widget_set_margin_bottom (grid, 10);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  n_rows = report->preview_rows ? report->preview_rows->len : 0;
  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_ptr_array_index (report->preview_rows, i);
      guint n = MIN (g_strv_length (row), PREVIEW_COLUMNS);

      for (guint j = 0; j < n; j++)
        {
          GtkWidget *label = gtk_label_new (row[j]);

          /* Short values in full; long ones (reviews) cut, not wrapped. */
          if (g_utf8_strlen (row[j], -1) > 24)
            {
              gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
              gtk_label_set_width_chars (GTK_LABEL (label), 20);
              gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
              gtk_widget_set_tooltip_text (label, row[j]);
            }
          gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
          /* Numbers line up on the right, as in a spreadsheet. */
          gtk_label_set_xalign (GTK_LABEL (label),
                                i > 0 && is_numeric_column (report, j) ? 1.0 : 0.0);
          if (i == 0)
            gtk_widget_add_css_class (label, "heading");
          else
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (GTK_GRID (grid), label, j, i, 1, 1);
        }
    }
  if (n_rows == 0)
    {
      GtkWidget *label = gtk_label_new (_("No rows to show"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
    }
  gtk_scrolled_window_set_child (self->preview_scroller, grid);
}

static void
on_column_role_changed (AdwComboRow    *row,
                        GParamSpec     *pspec,
                        TcImportDialog *self)
{
  guint j = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "tc-column"));
  guint role = adw_combo_row_get_selected (row);

  if (self->updating || j >= self->user_role->len || role == GTK_INVALID_LIST_POSITION)
    return;

  /* One date, one target and one text column: choosing a new one
   * hands the old one back to the importer's suggestions. */
  if (role == TC_ROLE_DATE || role == TC_ROLE_TARGET || role == TC_ROLE_TEXT)
    for (guint k = 0; k < self->user_role->len; k++)
      if (k != j && g_array_index (self->user_role, int, k) == (int) role)
        g_array_index (self->user_role, int, k) = -1;
  g_array_index (self->user_role, int, j) = (int) role;
  schedule_preview (self);
}

static void
build_column_rows (TcImportDialog *self)
{
  const TcImportReport *report = self->report;

  for (guint j = 0; j < self->column_rows->len; j++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, j));
  g_ptr_array_set_size (self->column_rows, 0);
  g_ptr_array_set_size (self->column_names, 0);
  g_array_set_size (self->user_role, 0);

  for (guint j = 0; j < report->columns->len; j++)
    {
      const TcColumnInfo *ci = g_ptr_array_index (report->columns, j);
      g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
      AdwComboRow *row;
      int user = ci->role_from_user ? (int) ci->role : -1;

      for (guint r = 0; r < G_N_ELEMENTS (role_labels); r++)
        gtk_string_list_append (roles, _(role_labels[r]));

      row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ci->name);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (row, G_LIST_MODEL (roles));
      g_object_set_data (G_OBJECT (row), "tc-column", GUINT_TO_POINTER (j));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_column_role_changed), self);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));

      g_ptr_array_add (self->column_rows, row);
      g_ptr_array_add (self->column_names, g_strdup (ci->name));
      g_array_append_val (self->user_role, user);
    }
}

static void
update_column_rows (TcImportDialog *self)
{
  const TcImportReport *report = self->report;

  for (guint j = 0; j < self->column_rows->len && j < report->columns->len; j++)
    {
      const TcColumnInfo *ci = g_ptr_array_index (report->columns, j);
      AdwComboRow *row = g_ptr_array_index (self->column_rows, j);
      int user = g_array_index (self->user_role, int, j);
      g_autoptr(GString) subtitle = g_string_new (type_label (ci->type));

      if (ci->format != NULL && ci->type == TC_COLUMN_DATE)
        g_string_append_printf (subtitle, " (%s)", ci->format);
      if (ci->n_missing > 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle,
                                  /* Translators: empty or NA cells among the rows read for the preview. */
                                  g_dngettext (GETTEXT_PACKAGE, "%llu empty cell", "%llu empty cells",
                                               ci->n_missing),
                                  (unsigned long long) ci->n_missing);
        }
      g_string_append (subtitle, " · ");
      if (user == TC_ROLE_IGNORE && ci->role != TC_ROLE_IGNORE)
        /* Translators: the user chose Ignore, but the importer keeps the column with the role %s. */
        g_string_append_printf (subtitle, _("Cannot be left out: kept as %s"),
                                tc_import_role_label (ci->role));
      else if (ci->role == TC_ROLE_KNOWN)
        /* Translators: %s is what a known-future column means: Promotion, Discount, Price, Holiday, Other. */
        g_string_append_printf (subtitle, _("Known in future: %s"), tc_import_kind_label (ci->kind));
      else if ((guint) ci->role < G_N_ELEMENTS (role_hints))
        g_string_append (subtitle, _(role_hints[ci->role]));

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_combo_row_set_selected (row, user >= 0 ? (guint) user : (guint) ci->role);
    }
}

GtkWidget *
tc_import_problem_row_new (const char            *message,
                           const TcErrorLocation *loc,
                           gboolean               is_error)
{
  g_autofree char *location = NULL;
  g_autofree char *what = tc_import_describe_message (message, loc, &location);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic"
                                                           : "dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (location != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), location);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
update_problems (TcImportDialog *self)
{
  const TcImportReport *report = self->report;
  GtkWidget *child;
  guint n_problems = report->problems->len;
  guint n_warnings = report->warnings->len;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  for (guint i = 0; i < n_problems; i++)
    gtk_list_box_append (self->problems_list,
                         tc_import_problem_row_new (report->problems->pdata[i],
                                                    report->problem_locations->pdata[i], TRUE));
  for (guint i = 0; i < n_warnings; i++)
    gtk_list_box_append (self->problems_list,
                         tc_import_problem_row_new (report->warnings->pdata[i],
                                                    report->warning_locations->pdata[i], FALSE));

  /* The usual cause of repeated dates is a product or store column the
   * importer took for an attribute: say which role fixes it. */
  if (n_problems > 0)
    {
      const TcColumnInfo *candidate = NULL;
      gboolean has_ids = FALSE;

      for (guint j = 0; j < report->columns->len; j++)
        {
          const TcColumnInfo *ci = g_ptr_array_index (report->columns, j);

          has_ids |= ci->role == TC_ROLE_SERIES_ID;
          if (candidate == NULL && ci->role == TC_ROLE_STATIC)
            candidate = ci;
        }
      if (!has_ids && candidate != NULL)
        {
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *text = NULL;

          /* Translators: %s is a column name such as “brand”. */
          text = g_strdup_printf (_("No column tells the series apart. If the file holds several products or"
                                    " stores, choose “Series ID” for the column that names them, e.g. “%s”."),
                                  candidate->name);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("dialog-information-symbolic"));
          gtk_list_box_append (self->problems_list, row);
        }
    }

  if (report->unreadable)
    title = g_strdup (_("The file cannot be read past this problem: correct it in the file, or try another encoding or separator"));
  else if (n_problems > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u problem in the first %llu rows",
                                          "%u problems in the first %llu rows",
                                          n_problems),
                             n_problems, (unsigned long long) report->n_rows);
  else
    title = g_strdup (g_dngettext (GETTEXT_PACKAGE, "Something to check", "Some things to check",
                                   n_warnings));
  gtk_label_set_text (self->problems_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_box), n_problems + n_warnings > 0);
}

static void
update_file_rows (TcImportDialog *self)
{
  const TcImportReport *report = self->report;
  g_autofree char *delim = delimiter_label (report->delimiter);
  g_autofree char *encoding = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *series = NULL;
  g_autofree char *detected = NULL;

  if (report->sheet != NULL)
    {
      /* A workbook is read as the CSV of one sheet: its encoding and
       * separator are ours, not the file's. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->encoding_row), _("Excel workbook"));
      encoding = report->sheet[0] ? g_strdup_printf (_("Sheet “%s”"), report->sheet) : g_strdup (_("First sheet"));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->encoding_row), _("Text encoding and separator"));
      encoding = g_strdup_printf ("%s%s, %s", report->encoding ? report->encoding : "?",
                                  report->has_bom ? _(" with byte order mark") : "", delim);
    }
  adw_action_row_set_subtitle (self->encoding_row, encoding);

  if (report->date_format != NULL && report->freq != TC_FREQ_UNKNOWN)
    /* Translators: a date format such as YYYY-MM-DD, then a frequency such as Daily. */
    dates = g_strdup_printf (_("%s, %s"), report->date_format, tc_import_freq_label (report->freq));
  else if (report->date_format != NULL)
    dates = g_strdup (report->date_format);
  else if (report->freq != TC_FREQ_UNKNOWN)
    dates = g_strdup (tc_import_freq_label (report->freq));
  else
    dates = g_strdup (_("Not understood yet"));
  adw_action_row_set_subtitle (self->dates_row, dates);

  if (report->n_series > 0)
    series = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u series in the first %llu rows",
                                           "%u series in the first %llu rows",
                                           report->n_series),
                              report->n_series, (unsigned long long) report->n_rows);
  else
    series = g_strdup (_("None found yet"));
  adw_action_row_set_subtitle (self->series_row, series);

  /* Translators: %s is the layout the importer found. */
  detected = g_strdup_printf (_("Detected: %s"),
                              report->format == TC_FORMAT_WIDE ? _("a column per series")
                              : report->format == TC_FORMAT_LONG ? _("a row per series and date")
                              : _("nothing yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), detected);
  g_clear_pointer (&detected, g_free);
  detected = g_strdup_printf (_("Detected: %s"), tc_import_freq_label (report->freq));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->freq_row), detected);

  /* Period numbers (WEEK = 1, 2, …) or no dates at all: the first date is
   * the user's to give; until then the importer assumes one, and says so
   * in the Dates row. */
  {
    gboolean periods = TRUE;

    for (guint j = 0; j < report->columns->len; j++)
      {
        const TcColumnInfo *ci = g_ptr_array_index (report->columns, j);

        if (ci->role == TC_ROLE_DATE && ci->type == TC_COLUMN_DATE)
          periods = FALSE;
      }
    gtk_widget_set_visible (GTK_WIDGET (self->start_row), periods && report->columns->len > 0);
  }
}

static void schedule_preview (TcImportDialog *self);

static void
on_start_changed (TcImportDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->start_row));

  if (start_valid (text))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_row), "error");
      schedule_preview (self);
    }
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->start_row), "error");
}

/* Whether importing with these settings can succeed at all: not when
 * the reading itself stops early, which no option of the rows fixes. */
static gboolean
report_importable (const TcImportReport *report)
{
  return report != NULL && report->columns->len > 0 && !report->unreadable;
}

static void
apply_report (TcImportDialog *self,
              TcImportReport *report)
{
  gboolean same_columns;

  g_clear_pointer (&self->report, tc_import_report_free);
  self->report = report;

  same_columns = self->column_rows->len == report->columns->len;
  for (guint j = 0; same_columns && j < report->columns->len; j++)
    {
      const TcColumnInfo *ci = g_ptr_array_index (report->columns, j);

      same_columns = g_strcmp0 (ci->name, g_ptr_array_index (self->column_names, j)) == 0;
    }

  self->updating = TRUE;
  if (!same_columns)
    {
      build_preview_grid (self);
      build_column_rows (self);
    }
  update_column_rows (self);
  update_file_rows (self);
  update_problems (self);
  self->updating = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), report_importable (report));
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TcImportDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  TcImportReport *report;

  /* A newer preview or dispose() cancelled this one, and then self may
   * be gone: look at nothing else. */
  report = tc_import_preview_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->preview_cancellable);
  gtk_spinner_stop (self->preview_spinner);

  if (report == NULL)
    {
      /* The file could be read a moment ago (other options, or it
       * changed on disk): keep the last preview and say what is wrong. */
      if (self->report != NULL)
        {
          g_ptr_array_set_size (self->report->problems, 0);
          g_ptr_array_set_size (self->report->problem_locations, 0);
          tc_import_report_add_problem (self->report, error);
          self->report->unreadable = TRUE;
          self->updating = TRUE;
          update_problems (self);
          self->updating = FALSE;
          gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
        }
      return;
    }
  apply_report (self, report);
}

static gboolean
run_preview (gpointer user_data)
{
  TcImportDialog *self = user_data;
  TcImportOptions o;

  self->preview_source = 0;
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();

  build_options (self, &o);
  gtk_spinner_start (self->preview_spinner);
  tc_import_preview_async (self->file, &o, self->preview_cancellable, preview_done_cb, self);
  tc_import_options_clear (&o);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (TcImportDialog *self)
{
  if (self->updating || self->closed)
    return;
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, run_preview, self);
}

static void
on_option_changed (TcImportDialog *self)
{
  schedule_preview (self);
}

/* -- importing ----------------------------------------------------------- */

static void
show_setup (TcImportDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack, "setup");
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), report_importable (self->report));
}

static void
show_error (TcImportDialog *self,
            const GError   *error)
{
  g_autofree char *title = NULL;
  g_autofree char *location = NULL;
  g_autofree char *what = tc_import_describe_message (error->message, tc_error_get_location (error), &location);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Could not import “%s”"), self->basename);
  adw_status_page_set_title (self->error_status, title);
  gtk_label_set_text (self->error_location, location != NULL ? location : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_location), location != NULL);
  gtk_label_set_text (self->error_message, what);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static void
import_progress_cb (double   fraction,
                    gpointer user_data)
{
  TcImportDialog *self = user_data;
  g_autofree char *text = NULL;

  /* The dialog holds a reference while importing, and the progress
   * calls are queued before the result, so self is alive here. */
  if (self->closed || self->import_cancellable == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  /* Translators: the share of the file read so far. */
  text = g_strdup_printf (_("%d %%"), (int) (fraction * 100 + 0.5));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TcImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = tc_session_import_finish (TC_SESSION (source), result, &error);
  g_clear_object (&self->import_cancellable);
  if (self->closed)
    return;
  if (ok)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  /* Stopped by the user: back to the settings, nothing lost. */
  if (g_error_matches (error, TC_ERROR, TC_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_setup (self);
      return;
    }
  show_error (self, error);
}

static void
start_import (TcImportDialog *self)
{
  TcImportOptions o;
  g_autofree char *title = NULL;

  if (self->import_cancellable != NULL || self->session == NULL)
    return;

  /* Settings changed a moment ago: import them, not the older preview's. */
  g_clear_handle_id (&self->preview_source, g_source_remove);
  build_options (self, &o);
  /* Keep them for the next time the assistant opens on this dialog. */
  copy_options (&self->opts, &o);

  self->import_cancellable = g_cancellable_new ();
  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Importing “%s”…"), self->basename);
  adw_status_page_set_title (self->progress_status, title);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_stack_set_visible_child_name (self->stack, "progress");
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);

  tc_session_import_async (self->session, self->file, &o, self->import_cancellable,
                           import_progress_cb, self, import_done_cb, g_object_ref (self));
  tc_import_options_clear (&o);
}

static void
on_import_clicked (TcImportDialog *self)
{
  start_import (self);
}

static void
on_cancel_clicked (TcImportDialog *self)
{
  if (self->import_cancellable != NULL)
    {
      g_cancellable_cancel (self->import_cancellable);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_retry_clicked (TcImportDialog *self)
{
  show_setup (self);
}

static void
on_other_file_clicked (TcImportDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GtkWindow) keep = parent ? g_object_ref (parent) : NULL;

  gtk_window_destroy (GTK_WINDOW (self));
  if (keep != NULL)
    gtk_widget_activate_action (GTK_WIDGET (keep), "win.open", NULL);
}

static gboolean
tc_import_dialog_close_request (GtkWindow *window)
{
  TcImportDialog *self = TC_IMPORT_DIALOG (window);

  /* Closing while importing stops the import; the session keeps its data. */
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);

  return GTK_WINDOW_CLASS (tc_import_dialog_parent_class)->close_request (window);
}

/* -- GObject ------------------------------------------------------------- */

static void
tc_import_dialog_dispose (GObject *object)
{
  TcImportDialog *self = TC_IMPORT_DIALOG (object);

  self->closed = TRUE;
  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (tc_import_dialog_parent_class)->dispose (object);
}

static void
tc_import_dialog_finalize (GObject *object)
{
  TcImportDialog *self = TC_IMPORT_DIALOG (object);

  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->file);
  g_free (self->basename);
  tc_import_options_clear (&self->opts);
  g_clear_pointer (&self->report, tc_import_report_free);
  g_ptr_array_unref (self->column_names);
  g_ptr_array_unref (self->column_rows);
  g_array_unref (self->user_role);

  G_OBJECT_CLASS (tc_import_dialog_parent_class)->finalize (object);
}

static void
tc_import_dialog_class_init (TcImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tc_import_dialog_dispose;
  object_class->finalize = tc_import_dialog_finalize;
  window_class->close_request = tc_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, dates_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, series_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, problems_box);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, problems_title);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, freq_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, missing_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, duplicates_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, progress_status);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, progress_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, error_status);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, error_location);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, error_message);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, other_file_button);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tc_import_dialog_init (TcImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  tc_import_options_init (&self->opts);
  self->column_names = g_ptr_array_new_with_free_func (g_free);
  self->column_rows = g_ptr_array_new ();
  self->user_role = g_array_new (FALSE, FALSE, sizeof (int));

  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (on_import_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect_swapped (self->progress_cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (on_retry_clicked), self);
  g_signal_connect_swapped (self->other_file_button, "clicked", G_CALLBACK (on_other_file_clicked), self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (on_option_changed), self);
  g_signal_connect_swapped (self->freq_row, "notify::selected", G_CALLBACK (on_option_changed), self);
  g_signal_connect_swapped (self->start_row, "changed", G_CALLBACK (on_start_changed), self);
  g_signal_connect_swapped (self->date_order_row, "notify::selected", G_CALLBACK (on_option_changed), self);
  g_signal_connect_swapped (self->missing_row, "notify::selected", G_CALLBACK (on_option_changed), self);
  g_signal_connect_swapped (self->duplicates_row, "notify::selected", G_CALLBACK (on_option_changed), self);
}

TcImportDialog *
tc_import_dialog_new (GtkWindow             *parent,
                      TcSession             *session,
                      GFile                 *file,
                      const TcImportOptions *opts,
                      TcImportReport        *report)
{
  TcImportDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (report != NULL, NULL);

  self = g_object_new (TC_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->session = g_object_ref (session);
  self->file = g_object_ref (file);
  self->basename = g_file_get_basename (file);
  if (self->basename == NULL || !g_utf8_validate (self->basename, -1, NULL))
    {
      g_free (self->basename);
      self->basename = g_file_get_parse_name (file);
    }
  copy_options (&self->opts, opts);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Import “%s”"), self->basename);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, _("Import Sales Data"));
  adw_window_title_set_subtitle (self->window_title, self->basename);

  self->updating = TRUE;
  adw_combo_row_set_selected (self->format_row, self->opts.format);
  adw_combo_row_set_selected (self->freq_row, self->opts.freq);
  adw_combo_row_set_selected (self->date_order_row, self->opts.date_order);
  adw_combo_row_set_selected (self->missing_row, self->opts.missing);
  adw_combo_row_set_selected (self->duplicates_row, self->opts.duplicates);
  gtk_switch_set_active (self->skip_switch, self->opts.skip_bad_rows);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), self->opts.start ? self->opts.start : "");
  self->updating = FALSE;

  apply_report (self, report);
  show_setup (self);

  return self;
}

/* -- for tests (tc-data-page-private.h) ---------------------------------- */

const char *
tc_import_dialog_get_state (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
tc_import_dialog_is_busy (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), FALSE);
  return self->preview_source != 0 || self->preview_cancellable != NULL
         || self->import_cancellable != NULL;
}

static int
find_column (TcImportDialog *self,
             const char     *column)
{
  for (guint j = 0; j < self->column_names->len; j++)
    if (g_strcmp0 (g_ptr_array_index (self->column_names, j), column) == 0)
      return (int) j;
  return -1;
}

TcColumnRole
tc_import_dialog_get_role (TcImportDialog *self,
                           const char     *column)
{
  int j;

  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), TC_ROLE_IGNORE);
  j = find_column (self, column);
  g_return_val_if_fail (j >= 0, TC_ROLE_IGNORE);
  return adw_combo_row_get_selected (g_ptr_array_index (self->column_rows, j));
}

const TcImportReport *
tc_import_dialog_get_report (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), NULL);
  return self->report;
}

void
tc_import_dialog_set_role (TcImportDialog *self,
                           const char     *column,
                           TcColumnRole    role)
{
  int j;

  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  j = find_column (self, column);
  g_return_if_fail (j >= 0);
  /* Through the widget, as a click would. */
  adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, j), role);
}

void
tc_import_dialog_set_skip_bad_rows (TcImportDialog *self,
                                    gboolean        skip)
{
  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  gtk_switch_set_active (self->skip_switch, skip);
}

/* Like a click: nothing happens while the button is off. */
void
tc_import_dialog_press_import (TcImportDialog *self)
{
  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  if (tc_import_dialog_can_import (self))
    g_signal_emit_by_name (self->import_button, "clicked");
}

void
tc_import_dialog_press_cancel (TcImportDialog *self)
{
  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  g_signal_emit_by_name (self->cancel_button, "clicked");
}

void
tc_import_dialog_press_retry (TcImportDialog *self)
{
  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  g_signal_emit_by_name (self->retry_button, "clicked");
}

const char *
tc_import_dialog_get_error_location (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_text (self->error_location);
}

guint
tc_import_dialog_get_n_problem_rows (TcImportDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), 0);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

gboolean
tc_import_dialog_can_import (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->import_button))
         && gtk_widget_get_sensitive (GTK_WIDGET (self->import_button));
}

const char *
tc_import_dialog_get_problems_title (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_text (self->problems_title);
}

const char *
tc_import_dialog_get_start (TcImportDialog *self)
{
  g_return_val_if_fail (TC_IS_IMPORT_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->start_row)))
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (self->start_row));
}

void
tc_import_dialog_set_start (TcImportDialog *self,
                            const char     *text)
{
  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), text);
}
