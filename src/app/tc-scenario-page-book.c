/* tc-scenario-page-book.c — the Scenarios page: scenarios kept by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The saved scenarios are the session's book (tc_session_get_scenario_book),
 * so a project keeps them ("scenario-book") and trendcast-cli compare
 * reads the same file format.  A scenario is saved as the edits its rows
 * make (tc_project_changes_to_edits, the Scenarios page's own rule) and
 * opened by turning them back into rows (tc_project_changes_from_edits).
 * Comparing runs tc_scenario_book_compare in a worker thread on its own
 * copy of the model and data, as the scenario itself does.
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-chart-view.h"
#include "tc-future-plan.h"
#include "tc-project.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

/* -- the session's book ------------------------------------------------- */

static TcScenarioBook *
book_of (TcScenarioPage *self)
{
  return self->session ? tc_session_get_scenario_book (self->session) : NULL;
}

static void
set_status (TcScenarioPage *self, const char *text)
{
  gtk_label_set_text (self->book_status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->book_status), text != NULL && *text != '\0');
}

static void start_compare (TcScenarioPage *self);

/* The book changed: the list, the project's changes and, when one is
 * shown, the comparison follow. */
static void
book_changed (TcScenarioPage *self)
{
  tc_scenario_page_refresh_saved (self);
  tc_scenario_page_emit_changed (self);
  self->compare_generation++;
  if (gtk_widget_get_visible (GTK_WIDGET (self->compare_group)))
    tc_scenario_page_compare (self);
}

static void
open_row_clicked_cb (GtkButton *button, TcScenarioPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "tc-scenario-name");
  g_autoptr (GError) error = NULL;

  if (!tc_scenario_page_open_scenario (self, name, &error))
    set_status (self, error->message);
}

static void
delete_row_clicked_cb (GtkButton *button, TcScenarioPage *self)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (button), "tc-scenario-name"));

  tc_scenario_page_delete_scenario (self, name);
}

void
tc_scenario_page_refresh_saved (TcScenarioPage *self)
{
  TcScenarioBook *book;
  GtkWidget *child;
  guint n;

  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  /* Rows only: the placeholder is a child of the list too. */
  while ((child = GTK_WIDGET (gtk_list_box_get_row_at_index (self->saved_list, 0))) != NULL)
    gtk_list_box_remove (self->saved_list, child);
  book = book_of (self);
  n = book ? tc_scenario_book_get_n (book) : 0;
  for (guint i = 0; i < n; i++)
    {
      const char *name = tc_scenario_book_get_name (book, i);
      guint n_edits = g_strv_length ((char **) tc_scenario_book_get_edits (book, i));
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u edit", "%u edits", n_edits),
                                                  n_edits);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *open = gtk_button_new_from_icon_name ("document-open-symbolic");
      GtkWidget *del = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *open_label = g_strdup_printf (_("Open “%s”"), name);
      g_autofree char *del_label = g_strdup_printf (_("Delete “%s”"), name);
      g_autofree char *edits = g_strjoinv ("\n", (char **) tc_scenario_book_get_edits (book, i));

      /* A name is the user's text, not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, edits);
      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (open, "flat");
      gtk_widget_set_tooltip_text (open, _("Put these changes in the list above"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
      g_object_set_data_full (G_OBJECT (open), "tc-scenario-name", g_strdup (name), g_free);
      g_signal_connect (open, "clicked", G_CALLBACK (open_row_clicked_cb), self);
      gtk_widget_set_valign (del, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (del, "flat");
      gtk_widget_set_tooltip_text (del, _("Delete this saved scenario"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (del), GTK_ACCESSIBLE_PROPERTY_LABEL, del_label, -1);
      g_object_set_data_full (G_OBJECT (del), "tc-scenario-name", g_strdup (name), g_free);
      g_signal_connect (del, "clicked", G_CALLBACK (delete_row_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), del);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
      gtk_list_box_append (self->saved_list, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), n > 0 && !self->comparing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.export-book", n > 0);
  if (n == 0)
    {
      g_clear_pointer (&self->comparison, tc_scenario_comparison_free);
      gtk_widget_set_visible (GTK_WIDGET (self->compare_group), FALSE);
    }
}

/* -- save, open, delete ------------------------------------------------- */

void
tc_scenario_page_update_save (TcScenarioPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  TcScenarioBook *book = book_of (self);
  gboolean exists = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->rows->len > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button),
                               self->rows->len > 0 ? _("Save the changes above as a named scenario")
                                                   : _("Add a change first: a saved scenario is a set of changes"));
  for (guint i = 0; book && i < tc_scenario_book_get_n (book); i++)
    exists |= g_strcmp0 (tc_scenario_book_get_name (book, i), stripped) == 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_confirm), *stripped != '\0' && self->rows->len > 0);
  gtk_button_set_label (self->save_confirm, exists ? _("_Replace") : _("_Save"));
  gtk_label_set_text (self->save_hint, exists ? _("A saved scenario has this name: saving replaces it.")
                                              : _("The changes and the series they apply to are kept with the project."));
}

static void
name_changed_cb (TcScenarioPage *self)
{
  tc_scenario_page_update_save (self);
}

static void
save_clicked_cb (TcScenarioPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  g_autoptr (GError) error = NULL;

  if (*name == '\0' || !gtk_widget_get_sensitive (GTK_WIDGET (self->save_confirm)))
    return;
  if (!tc_scenario_page_save_scenario (self, name, &error))
    {
      gtk_label_set_text (self->save_hint, error->message);
      return;
    }
  gtk_popover_popdown (self->save_popover);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
}

gboolean
tc_scenario_page_save_scenario (TcScenarioPage  *self,
                                const char      *name,
                                GError         **error)
{
  g_autoptr (GArray) changes = g_array_new (FALSE, TRUE, sizeof (TcProjectChange));
  g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) scope = NULL;
  TcForecaster *fc;
  const TcDataset *ds;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self) && name != NULL, FALSE);

  fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  g_array_set_clear_func (changes, tc_project_change_clear);
  g_array_set_clear_func (edits, tc_scenario_edit_clear);
  if (fc == NULL || ds == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("Train a model first: a scenario changes its forecast"));
      return FALSE;
    }
  tc_scenario_page_get_changes (self, changes, &scope);
  if (changes->len == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("Add a change first: a saved scenario is a set of changes"));
      return FALSE;
    }
  if (!tc_project_changes_to_edits (changes, (const char * const *) scope, fc, ds, edits, error))
    return FALSE;
  for (guint i = 0; i < edits->len; i++)
    g_ptr_array_add (texts, tc_scenario_edit_to_text (&g_array_index (edits, TcScenarioEdit, i), ds));
  g_ptr_array_add (texts, NULL);
  if (!tc_scenario_book_set (book_of (self), name, (const char * const *) texts->pdata, error))
    return FALSE;
  {
    g_autofree char *done = g_strdup_printf (_("Saved “%s”."), name);

    set_status (self, done);
  }
  book_changed (self);
  tc_scenario_page_update_save (self);
  return TRUE;
}

gboolean
tc_scenario_page_open_scenario (TcScenarioPage  *self,
                                const char      *name,
                                GError         **error)
{
  g_autoptr (GArray) changes = g_array_new (FALSE, TRUE, sizeof (TcProjectChange));
  g_auto (GStrv) scope = NULL;
  TcScenarioBook *book;
  TcForecaster *fc;
  const TcDataset *ds;
  guint n_added;
  int found = -1;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self) && name != NULL, FALSE);

  book = book_of (self);
  fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  for (guint i = 0; book && i < tc_scenario_book_get_n (book); i++)
    if (g_strcmp0 (tc_scenario_book_get_name (book, i), name) == 0)
      found = (int) i;
  if (found < 0 || fc == NULL || ds == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, _("There is no saved scenario “%s”"), name);
      return FALSE;
    }
  g_array_set_clear_func (changes, tc_project_change_clear);
  if (!tc_project_changes_from_edits (tc_scenario_book_get_edits (book, (guint) found), fc, ds, changes, &scope,
                                      error))
    return FALSE;
  n_added = tc_scenario_page_set_changes (self, changes, (const char * const *) scope);
  if (n_added < changes->len)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Opened “%s”; %u change is not on the forecast dates any more and was left out.",
                                                            "Opened “%s”; %u changes are not on the forecast dates any more and were left out.",
                                                            changes->len - n_added),
                                               name, changes->len - n_added);
      set_status (self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Opened “%s”."), name);

      set_status (self, text);
    }
  return TRUE;
}

gboolean
tc_scenario_page_delete_scenario (TcScenarioPage *self,
                                  const char     *name)
{
  TcScenarioBook *book;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self) && name != NULL, FALSE);

  book = book_of (self);
  if (book == NULL || !tc_scenario_book_remove (book, name))
    return FALSE;
  {
    g_autofree char *text = g_strdup_printf (_("Deleted “%s”."), name);

    set_status (self, text);
  }
  book_changed (self);
  tc_scenario_page_update_save (self);
  return TRUE;
}

/* -- import and export ---------------------------------------------------- */

gboolean
tc_scenario_page_import_book (TcScenarioPage  *self,
                              const char      *path,
                              GError         **error)
{
  g_autoptr (TcScenarioBook) read = NULL;
  TcScenarioBook *book;
  guint n;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self) && path != NULL, FALSE);

  book = book_of (self);
  if (book == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("Open data and train a model first"));
      return FALSE;
    }
  read = tc_scenario_book_load (path, error);
  if (read == NULL)
    return FALSE;
  n = tc_scenario_book_get_n (read);
  for (guint i = 0; i < n; i++)
    if (!tc_scenario_book_set (book, tc_scenario_book_get_name (read, i), tc_scenario_book_get_edits (read, i), error))
      return FALSE;
  {
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u scenario from %s.",
                                                          "Imported %u scenarios from %s.", n), n, base);

    set_status (self, text);
  }
  book_changed (self);
  return TRUE;
}

gboolean
tc_scenario_page_export_book (TcScenarioPage  *self,
                              const char      *path,
                              GError         **error)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self) && path != NULL, FALSE);

  if (book_of (self) == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("There are no saved scenarios to export"));
      return FALSE;
    }
  return tc_scenario_book_save (book_of (self), path, error);
}

static void
book_chooser_response (GtkNativeDialog *dialog, int response, TcScenarioPage *self)
{
  gboolean exporting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tc-export"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        set_status (self, _("Only local files can be read or written"));
      else if (exporting ? !tc_scenario_page_export_book (self, path, &error)
                         : !tc_scenario_page_import_book (self, path, &error))
        set_status (self, error->message);
      else if (exporting)
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *text = g_strdup_printf (_("Exported the saved scenarios to %s."), base);

          set_status (self, text);
        }
    }
  g_clear_object (&self->book_chooser);
}

static void
book_chooser (TcScenarioPage *self, gboolean exporting)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->book_chooser)
    return;
  self->book_chooser = gtk_file_chooser_native_new (exporting ? _("Export Scenarios") : _("Import Scenarios"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    exporting ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                              : GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    exporting ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Scenario files (trendcast-cli compare --book)"));
  gtk_file_filter_add_pattern (filter, "*.ini");
  gtk_file_filter_add_pattern (filter, "*.book");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->book_chooser), filter);
  if (exporting)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->book_chooser), _("scenarios.ini"));
  g_object_set_data (G_OBJECT (self->book_chooser), "tc-export", GINT_TO_POINTER (exporting));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->book_chooser), TRUE);
  g_signal_connect (self->book_chooser, "response", G_CALLBACK (book_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->book_chooser));
}

static void
import_book_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  book_chooser (TC_SCENARIO_PAGE (widget), FALSE);
}

static void
export_book_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  book_chooser (TC_SCENARIO_PAGE (widget), TRUE);
}

/* -- comparing -------------------------------------------------------------- */

typedef struct
{
  TcForecaster      *fc;        /* a private copy: the scenario worker has its own */
  TcDataset         *ds;
  TcDataset         *future;
  TcScenarioBook    *book;      /* a copy: the user may save and delete meanwhile */
  TcExploreInterval  interval;
  guint64            generation;
} CompareJob;

static void
compare_job_free (CompareJob *job)
{
  TC_TSAN_ACQUIRE (job);
  g_clear_pointer (&job->fc, tc_forecaster_free);
  g_clear_pointer (&job->ds, tc_dataset_free);
  g_clear_pointer (&job->future, tc_dataset_free);
  g_clear_pointer (&job->book, tc_scenario_book_free);
  g_free (job);
}

static void
compare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CompareJob *job = task_data;
  GError *error = NULL;
  TcScenarioComparison *c;

  TC_TSAN_ACQUIRE (job);
  c = tc_scenario_book_compare (job->book, job->fc, job->ds, job->future, TC_ORIGIN_PER_SERIES, -1,
                                job->interval, &error);
  TC_TSAN_RELEASE (job);
  if (c == NULL)
    g_task_return_error (task, error);
  else if (g_cancellable_is_cancelled (cancellable))
    {
      tc_scenario_comparison_free (c);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
    }
  else
    g_task_return_pointer (task, c, (GDestroyNotify) tc_scenario_comparison_free);
}

static GtkWidget *
cell (const char *text, gboolean heading, gboolean numeric)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), numeric ? 1.0f : 0.0f);
  gtk_label_set_justify (GTK_LABEL (l), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  gtk_widget_set_valign (l, GTK_ALIGN_START);
  gtk_label_set_selectable (GTK_LABEL (l), !heading);
  if (heading)
    gtk_widget_add_css_class (l, "heading");
  else if (numeric)
    gtk_widget_add_css_class (l, "numeric");
  else
    {
      /* A long name wraps rather than widening the table. */
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 16);
      gtk_label_set_width_chars (GTK_LABEL (l), 10);
    }
  return l;
}

static char *
count_text (double v)
{
  return isfinite (v) ? tc_chart_format_thousands (v, 0) : g_strdup ("–");
}

static char *
signed_with_pct (double v, double whole)
{
  g_autofree char *a = NULL, *p = NULL;

  if (!isfinite (v))
    return g_strdup ("–");
  a = tc_scenario_page_format_signed (v);
  p = tc_scenario_page_format_pct (v, whole);
  return g_strdup_printf ("%s (%s)", a, p);
}

static char *
range_text (double lo, double hi)
{
  g_autofree char *a = NULL, *b = NULL;

  if (!isfinite (lo) || !isfinite (hi))
    return g_strdup ("–");
  a = tc_scenario_page_format_signed (MIN (lo, hi));
  b = tc_scenario_page_format_signed (MAX (lo, hi));
  /* TRANSLATORS: a range of changes, "−1,200 to +300" */
  return g_strdup_printf (_("%s to %s"), a, b);
}

static void
show_comparison (TcScenarioPage *self)
{
  const TcScenarioComparison *c = self->comparison;
  GtkWidget *child;
  gboolean revenue = FALSE, margin = FALSE, history = FALSE;
  guint col = 0, lo, hi;
  g_autofree char *range_head = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid))) != NULL)
    gtk_grid_remove (self->compare_grid, child);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_group), c != NULL || self->comparing);
  if (c == NULL)
    return;
  lo = 0;
  hi = c->n_quantiles - 1;
  for (guint r = 0; r < c->n_rows; r++)
    {
      revenue |= isfinite (c->rows[r].revenue);
      margin |= isfinite (c->rows[r].margin);
      history |= isfinite (c->rows[r].history_uplift);
    }
  /* TRANSLATORS: a column title on two or three lines: the change at the
   * median, its range, and (third line, when shown) the history's opinion. */
  range_head = history ? g_strdup_printf (_("Change\nlikely, P%g–P%g\nhistory alone"), 100.0 * c->quantiles[lo],
                                          100.0 * c->quantiles[hi])
                       : g_strdup_printf (_("Change\nlikely, P%g–P%g"), 100.0 * c->quantiles[lo],
                                          100.0 * c->quantiles[hi]);
  gtk_grid_attach (self->compare_grid, cell (_("Scenario"), TRUE, FALSE), col++, 0, 1, 1);
  gtk_grid_attach (self->compare_grid, cell (_("Units\nat the median"), TRUE, TRUE), col++, 0, 1, 1);
  gtk_grid_attach (self->compare_grid, cell (range_head, TRUE, TRUE), col++, 0, 1, 1);
  if (revenue)
    gtk_grid_attach (self->compare_grid, cell (_("Revenue\nand change"), TRUE, TRUE), col++, 0, 1, 1);
  if (margin)
    gtk_grid_attach (self->compare_grid, cell (_("Margin\nand change"), TRUE, TRUE), col++, 0, 1, 1);
  for (guint r = 0; r < c->n_rows; r++)
    {
      const TcScenarioSummary *row = &c->rows[r];
      const TcScenarioSummary *base = &c->rows[0];
      g_autofree char *units = count_text (row->units[c->median]);
      g_autofree char *change = r == 0 ? g_strdup ("–") : signed_with_pct (row->uplift[c->median], base->units[c->median]);
      g_autofree char *range = r == 0 ? g_strdup ("–") : range_text (row->uplift[lo], row->uplift[hi]);
      g_autofree char *rev = NULL, *mar = NULL;
      GtkWidget *name = cell (r == 0 ? _("Baseline") : row->name, FALSE, FALSE);
      GString *both = g_string_new (NULL);
      GtkWidget *cw;

      col = 0;
      gtk_widget_set_tooltip_text (name, r == 0 ? NULL : row->name);
      gtk_grid_attach (self->compare_grid, name, col++, (int) r + 1, 1, 1);
      gtk_grid_attach (self->compare_grid, cell (units, FALSE, TRUE), col++, (int) r + 1, 1, 1);
      /* The median, under it the range, then what the history alone
       * implies: narrow enough for the page's right half. */
      if (r == 0)
        g_string_append (both, "–");
      else
        g_string_append_printf (both, "%s\n%s", change, range);
      if (r > 0 && history)
        {
          if (isfinite (row->history_uplift))
            {
              g_autofree char *mid = signed_with_pct (row->history_uplift, base->units[c->median]);

              g_string_append_printf (both, "\n%s", mid);
            }
          else
            g_string_append (both, "\n–");
        }
      cw = cell (both->str, FALSE, TRUE);
      if (r > 0 && history)
        {
          g_autofree char *rg = range_text (row->history_lo, row->history_hi);
          /* TRANSLATORS: a tooltip: the history's estimate of the change and its 80 % range. */
          g_autofree char *tip = isfinite (row->history_uplift)
                                 ? g_strdup_printf (_("From the history alone: likely %s units (80 %% range)"), rg)
                                 : g_strdup (row->history_note ? row->history_note : "");

          gtk_widget_set_tooltip_text (cw, tip);
        }
      gtk_grid_attach (self->compare_grid, cw, col++, (int) r + 1, 1, 1);
      g_string_free (both, TRUE);
      if (revenue)
        {
          g_autofree char *v = count_text (row->revenue);
          g_autofree char *d = r == 0 ? NULL : signed_with_pct (row->uplift_revenue, base->revenue);

          rev = d ? g_strdup_printf ("%s\n%s", v, d) : g_strdup (v);
          gtk_grid_attach (self->compare_grid, cell (rev, FALSE, TRUE), col++, (int) r + 1, 1, 1);
        }
      if (margin)
        {
          g_autofree char *v = count_text (row->margin);
          g_autofree char *d = r == 0 ? NULL : signed_with_pct (row->uplift_margin, base->margin);

          mar = d ? g_strdup_printf ("%s\n%s", v, d) : g_strdup (v);
          gtk_grid_attach (self->compare_grid, cell (mar, FALSE, TRUE), col++, (int) r + 1, 1, 1);
        }
    }
  {
    GString *cap = g_string_new (NULL);

    g_string_append_printf (cap, _("Totals over all series and the whole forecast, at the median. The likely change is "
                                   "the difference of the scenario’s and the baseline’s P%g and P%g: both come from "
                                   "one model on one history, so it is the uncertainty of the change alone, and often "
                                   "narrow."),
                            100.0 * c->quantiles[lo], 100.0 * c->quantiles[hi]);
    if (history)
      /* xgettext:no-c-format */
      g_string_append_printf (cap, " %s", _("The third line is the change a regression on the history alone "
                                             "implies (its 80 % range in the tooltip): a second opinion that disagrees "
                                             "when the model has not learnt an effect."));
    if (margin && c->cost_name)
      {
        g_string_append_c (cap, ' ');
        g_string_append_printf (cap, _("Margin is (price − “%s”) × units."), c->cost_name);
      }
    gtk_label_set_text (self->compare_caption, cap->str);
    g_string_free (cap, TRUE);
  }
}

char **
tc_scenario_page_get_comparison_cells (TcScenarioPage *self,
                                       guint          *n_columns)
{
  GPtrArray *out = g_ptr_array_new ();
  guint cols = 0, rows = 0;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid)); c; c = gtk_widget_get_next_sibling (c))
    {
      int col, row;

      gtk_grid_query_child (self->compare_grid, c, &col, &row, NULL, NULL);
      cols = MAX (cols, (guint) col + 1);
      rows = MAX (rows, (guint) row + 1);
    }
  g_ptr_array_set_size (out, cols * rows + 1);
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        GtkWidget *w = gtk_grid_get_child_at (self->compare_grid, (int) c, (int) r);

        g_ptr_array_index (out, r * cols + c) = g_strdup (w ? gtk_label_get_text (GTK_LABEL (w)) : "");
      }
  g_ptr_array_index (out, cols * rows) = NULL;
  if (n_columns)
    *n_columns = cols;
  return (char **) g_ptr_array_free (out, FALSE);
}

/* Once laid out, scrolls the results so that the comparison shows: it
 * sits below the current scenario's chart and table. */
static gboolean
reveal_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (widget);
  GtkWidget *group = GTK_WIDGET (self->compare_group);
  GtkWidget *sw = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t p;

  if (sw != NULL && gtk_widget_get_visible (group)
      && gtk_widget_compute_point (group, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (sw)),
                                   &GRAPHENE_POINT_INIT (0, 0), &p))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));

      gtk_adjustment_set_value (adj, MIN (p.y - 12, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)));
    }
  /* The table grows over the next frames: follow it for a few. */
  if (self->reveal_frames == 0)
    return G_SOURCE_REMOVE;
  self->reveal_frames--;
  return G_SOURCE_CONTINUE;
}

static void
set_comparing (TcScenarioPage *self, gboolean comparing)
{
  self->comparing = comparing;
  gtk_spinner_set_spinning (self->compare_spinner, comparing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button),
                            !comparing && book_of (self) && tc_scenario_book_get_n (book_of (self)) > 0);
  tc_scenario_page_notify_busy (self);
}

static void
compare_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (TcScenarioPage) self = user_data;   /* see the g_task_new () */
  CompareJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  TcScenarioComparison *c;
  gboolean current;

  TC_TSAN_ACQUIRE (job);
  c = g_task_propagate_pointer (G_TASK (res), &error);
  current = job->generation == self->compare_generation;
  TC_TSAN_RELEASE (job);
  self->comparing = FALSE;
  if (self->session != NULL && current)
    {
      if (c != NULL)
        {
          g_clear_pointer (&self->comparison, tc_scenario_comparison_free);
          self->comparison = g_steal_pointer (&c);
          show_comparison (self);
          if (self->reveal_frames == 0)
            gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick, NULL, NULL);
          self->reveal_frames = 10;
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_pointer (&self->comparison, tc_scenario_comparison_free);
          show_comparison (self);
          gtk_widget_set_visible (GTK_WIDGET (self->compare_group), TRUE);
          gtk_label_set_text (self->compare_caption, error->message);
        }
    }
  g_clear_pointer (&c, tc_scenario_comparison_free);
  if (self->compare_again && self->session != NULL)
    {
      self->compare_again = FALSE;
      start_compare (self);
      return;
    }
  set_comparing (self, FALSE);
}

static void
start_compare (TcScenarioPage *self)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *rule = NULL;
  TcForecaster *fc = self->session ? tc_session_get_forecaster (self->session) : NULL;
  const TcDataset *ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  CompareJob *job;

  if (fc == NULL || ds == NULL || tc_scenario_book_get_n (book_of (self)) == 0)
    return;
  job = g_new0 (CompareJob, 1);
  job->fc = tc_forecaster_dup (fc);
  job->ds = tc_dataset_copy (ds);
  job->future = tc_future_plan_resolve_full (fc, ds, tc_session_get_future (self->session), TC_ORIGIN_PER_SERIES, NULL);
  job->book = tc_scenario_book_copy (book_of (self));
  rule = g_settings_get_string (self->settings, "sum-ranges");
  job->interval = g_str_equal (rule, "together") ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT;
  job->generation = self->compare_generation;

  set_comparing (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_group), TRUE);
  /* The page is the callback's data, not the task's source object:
   * the worker thread may drop the task last, and the page with it,
   * which must not be finalized outside the main thread. */
  task = g_task_new (NULL, self->cancellable, compare_done, g_object_ref (self));
  g_task_set_source_tag (task, start_compare);
  g_task_set_task_data (task, job, (GDestroyNotify) compare_job_free);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, compare_thread);
}

void
tc_scenario_page_compare (TcScenarioPage *self)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  if (self->comparing)
    {
      /* The running one is for an older book: its result is dropped. */
      self->compare_generation++;
      self->compare_again = TRUE;
      return;
    }
  start_compare (self);
}

static void
compare_clicked_cb (TcScenarioPage *self)
{
  tc_scenario_page_compare (self);
}

const TcScenarioComparison *
tc_scenario_page_get_comparison (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return self->comparing ? NULL : self->comparison;
}

guint
tc_scenario_page_get_n_saved_rows (TcScenarioPage *self)
{
  guint n = 0;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), 0);
  while (gtk_list_box_get_row_at_index (self->saved_list, (int) n) != NULL)
    n++;
  return n;
}

const char *
tc_scenario_page_get_caution (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->caution_label)) ? gtk_label_get_text (self->caution_label) : NULL;
}

/* -- the page's life ---------------------------------------------------------- */

/* New data or a new model: the comparison shown is for the old ones. */
void
tc_scenario_page_book_reset (TcScenarioPage *self)
{
  self->compare_generation++;
  self->compare_again = FALSE;
  g_clear_pointer (&self->comparison, tc_scenario_comparison_free);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->caution_label), FALSE);
  set_status (self, NULL);
  tc_scenario_page_refresh_saved (self);
  tc_scenario_page_update_save (self);
}

void
tc_scenario_page_book_dispose (TcScenarioPage *self)
{
  if (self->book_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->book_chooser));
  g_clear_object (&self->book_chooser);
  g_clear_pointer (&self->comparison, tc_scenario_comparison_free);
}

void
tc_scenario_page_book_init (TcScenarioPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.export-book", FALSE);
  tc_scenario_page_update_save (self);
}

void
tc_scenario_page_book_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, caution_label);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, save_popover);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, save_hint);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, save_confirm);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, saved_list);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, book_status);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, compare_button);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, compare_group);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, compare_spinner);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, compare_grid);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, compare_caption);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, compare_clicked_cb);
  gtk_widget_class_install_action (widget_class, "scenario.import-book", NULL, import_book_action);
  gtk_widget_class_install_action (widget_class, "scenario.export-book", NULL, export_book_action);
}
