/* tc-window-project.c — the window's project: save, open, autosave, recover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window is one project (tc-project.h): its data, model, plan and
 * scenario, saved as a .trendcast file.  Until the first save it is
 * untitled and what closing would lose is what describe_unsaved lists;
 * once saved, any change of the data, the model, the plan or the
 * scenario marks it changed (a "•" in the title) until the next save.
 *
 * While there are changes the project is also written to the user's
 * state directory a few seconds after each change and every few
 * minutes, atomically, so that a crash loses little: the next start
 * offers to recover it.  The autosave is removed when the project is
 * saved or the window closes normally.
 */

#define G_LOG_DOMAIN "tc-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tc-app-files.h"
#include "tc-error.h"
#include "tc-tour.h"
#include "tc-tsan.h"
#include "tc-window-private.h"

#define AUTOSAVE_DELAY_S  5     /* after a change: the burst of a change is over */
#define AUTOSAVE_PERIOD_S 180   /* and every few minutes while there are changes */
#define MAX_RECENT_PROJECTS 10
#define RECENT_SHOWN 5

typedef enum
{
  OPEN_PROJECT,
  OPEN_RECOVERED,     /* an autosave: the work comes back unsaved */
  OPEN_CHECKPOINT,    /* a tour's checkpoint: the window's project stays as it is */
} OpenMode;

static void open_project_file (TcWindow *self, const char *path, OpenMode mode);

/* -- names -------------------------------------------------------------- */

static char *
autosave_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "trendcast", "autosave", NULL);
}

/* "Spring sales" of "…/Spring sales.trendcast". */
static char *
project_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, TC_PROJECT_SUFFIX) && strlen (base) > strlen (TC_PROJECT_SUFFIX))
    base[strlen (base) - strlen (TC_PROJECT_SUFFIX)] = '\0';
  return g_steal_pointer (&base);
}

static char *
display_name (TcWindow *self)
{
  GFile *data = tc_session_get_file (self->session);

  if (self->project_path != NULL)
    return project_name (self->project_path);
  if (data != NULL)
    return g_file_get_basename (data);
  return NULL;
}

/* -- what is not saved ------------------------------------------------------ */

char *
tc_window_describe_unsaved (TcWindow *self)
{
  GString *text = g_string_new (NULL);

  if (tc_training_page_is_busy (self->training_page))
    g_string_append_printf (text, "• %s\n", _("the training that is running"));
  if (self->project_path != NULL)
    {
      /* The project holds the model and the scenario: only its changes count. */
      if (self->project_dirty)
        {
          g_autofree char *name = project_name (self->project_path);

          /* Translators: %s is the name of a project. */
          g_string_append (text, "• ");
          g_string_append_printf (text, _("the changes to the project “%s”"), name);
          g_string_append_c (text, '\n');
        }
    }
  else
    {
      /* Recovered from an autosave, not saved anywhere yet. */
      if (self->project_dirty)
        g_string_append_printf (text, "• %s\n", _("the recovered work, which is not saved"));
      if (tc_session_get_forecaster (self->session) != NULL && !tc_session_get_model_saved (self->session))
        g_string_append_printf (text, "• %s\n", _("the trained model, which is not saved"));
      /* The page shows the plain forecast by itself; the user's work is the changes. */
      if (tc_scenario_page_get_n_edits (self->scenarios_page) > 0)
        g_string_append_printf (text, "• %s\n", _("the scenario and its results"));
      if (tc_evaluation_page_get_result (self->evaluation_page) != NULL)
        g_string_append_printf (text, "• %s\n", _("the backtest results"));
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

gboolean
tc_window_has_unsaved_changes (TcWindow *self)
{
  g_autofree char *work = NULL;

  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);
  work = tc_window_describe_unsaved (self);
  return work != NULL;
}

void
tc_window_project_update_title (TcWindow *self)
{
  g_autofree char *name = display_name (self);
  g_autofree char *title = NULL;
  gboolean unsaved = tc_session_get_dataset (self->session) != NULL && tc_window_has_unsaved_changes (self);

  if (name == NULL)
    title = g_strdup (_("Trendcast"));
  else if (unsaved)
    /* Translators: the window title of a project with unsaved changes. */
    title = g_strdup_printf (_("• %s — Trendcast"), name);
  else
    title = g_strdup_printf (_("%s — Trendcast"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Shown when the window is too narrow for the page switcher.  (A
   * subtitle there breaks the header's size on GTK 4.8.) */
  if (name != NULL && unsaved)
    {
      g_autofree char *marked = g_strdup_printf ("• %s", name);

      adw_view_switcher_title_set_title (self->switcher_title, marked);
    }
  else
    adw_view_switcher_title_set_title (self->switcher_title, name ? name : _("Trendcast"));
}

/* -- recent projects ------------------------------------------------------ */

static void
remember_project (TcWindow *self, const char *path)
{
  g_auto (GStrv) old = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_auto (GStrv) recent = NULL;
  guint n = 1;

  if (uri == NULL)
    return;
  g_strv_builder_add (builder, uri);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_PROJECTS; i++)
    if (g_strcmp0 (old[i], uri) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) recent);
}

static GtkWidget *recent_group_of (TcWindow *self);

static void
update_recent_list (TcWindow *self)
{
  GtkWidget *group = recent_group_of (self);
  GtkListBox *list = g_object_get_data (G_OBJECT (group), "tc-list");
  g_auto (GStrv) uris = g_settings_get_strv (self->settings, "recent-projects");
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  for (guint i = 0; uris[i] != NULL && n < RECENT_SHOWN; i++)
    {
      g_autofree char *path = g_filename_from_uri (uris[i], NULL, NULL);
      g_autofree char *name = NULL;
      g_autofree char *dir = NULL;
      GtkWidget *row;

      /* A project moved or deleted since is not offered. */
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      name = project_name (path);
      dir = g_path_get_dirname (path);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-project");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (path));
      gtk_list_box_append (list, row);
      n++;
    }
  gtk_widget_set_visible (group, n > 0);
}

static GtkWidget *
recent_group_of (TcWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "tc-recent-group");
}

static GtkWidget *
build_recent_group (TcWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (_("Recent Projects"));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Recent Projects"), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), list);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  g_object_set_data (G_OBJECT (clamp), "tc-list", list);
  return clamp;
}

/* -- capture and save ------------------------------------------------------ */

/* The Plan page's parameters and stock file. */
static void
capture_plan (TcWindow *self, TcProject *p)
{
  GFile *stock = tc_plan_page_get_parameters (self->plan_page, &p->plan_lead_time, &p->plan_review_period,
                                              &p->plan_service_level);

  p->has_plan = TRUE;
  g_clear_pointer (&p->plan_stock_path, g_free);
  p->plan_stock_path = stock ? g_file_get_path (stock) : NULL;
  /* The last backtest, when there is one (a copy of its forecasts). */
  if (tc_evaluation_page_get_result (self->evaluation_page) != NULL)
    tc_project_set_evaluation (p, tc_evaluation_page_get_result (self->evaluation_page),
                               tc_evaluation_page_get_drivers (self->evaluation_page));
}

/* The backtest back, scored again on the data just opened: only when
 * it is the same series the backtest ran on. */
static void
restore_evaluation (TcWindow *self, const TcProject *p)
{
  const TcDataset *ds = tc_session_get_dataset (self->session);
  g_autoptr (GError) error = NULL;
  TcBacktestResult *res;
  TcExplainResult *drivers = NULL;

  if (!p->has_evaluation || ds == NULL)
    return;
  if (g_strv_length (p->eval_series) != ds->n_series || p->eval_config.end > ds->n_times)
    {
      g_debug ("The saved backtest is of other data: not shown");
      return;
    }
  for (guint s = 0; s < ds->n_series; s++)
    if (g_strcmp0 (p->eval_series[s], ds->series_ids[s]) != 0)
      {
        g_debug ("The saved backtest is of other series: not shown");
        return;
      }
  res = tc_backtest_result_replay (ds, &p->eval_config, p->eval_models, p->eval_forecasts, &error);
  if (res == NULL)
    {
      g_debug ("The saved backtest cannot be scored again: %s", error->message);
      return;
    }
  if (p->eval_drivers != NULL)
    {
      g_autoptr (TcProject) copy = tc_project_new ();

      /* tc_project_set_evaluation deep-copies drivers; reuse it. */
      tc_project_set_evaluation (copy, res, p->eval_drivers);
      drivers = g_steal_pointer (&copy->eval_drivers);
    }
  tc_evaluation_page_restore (self->evaluation_page, res, drivers);
}

static TcProject *
capture (TcWindow *self, gboolean embed, GError **error)
{
  g_autoptr (TcProject) p = tc_project_capture (self->session, embed, error);
  const TcExploreLevel *level;

  if (p == NULL)
    return NULL;
  tc_scenario_page_get_changes (self->scenarios_page, p->changes, &p->scope);
  capture_plan (self, p);
  p->view_page = g_strdup (adw_view_stack_get_visible_child_name (self->view_stack));
  level = tc_session_get_forecaster (self->session) ? tc_forecast_page_get_level (self->forecast_page) : NULL;
  if (level != NULL)
    {
      int g = tc_forecast_page_get_group (self->forecast_page);

      p->view_level = g_strdup (level->name);
      if (g >= 0 && (guint) g < level->n_groups)
        p->view_series = g_strdup (level->groups[g].name);
    }
  return g_steal_pointer (&p);
}

static void
remove_autosave (TcWindow *self)
{
  g_clear_handle_id (&self->autosave_soon_id, g_source_remove);
  self->autosave_due = FALSE;
  /* A write still running removes its file itself when it ends. */
  g_cancellable_cancel (self->autosave_writing);
  if (self->autosave_path != NULL)
    g_unlink (self->autosave_path);
}

gboolean
tc_window_save_project (TcWindow  *self,
                        GFile     *file,
                        gboolean   embed,
                        GError   **error)
{
  g_autoptr (TcProject) p = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);

  if (file != NULL)
    path = g_file_get_path (file);
  else
    path = g_strdup (self->project_path);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
      return FALSE;
    }
  if (tc_session_get_dataset (self->session) == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_EMPTY, _("There is nothing to save yet: open sales data first"));
      return FALSE;
    }
  p = capture (self, embed, error);
  if (p == NULL || !tc_project_save (p, path, error))
    return FALSE;
  g_free (self->project_path);
  self->project_path = g_steal_pointer (&path);
  g_set_object (&self->project_data, tc_session_get_file (self->session));
  self->project_embed = embed;
  self->project_dirty = FALSE;
  if (tc_session_get_forecaster (self->session) != NULL)
    tc_session_set_model_saved (self->session);
  remove_autosave (self);
  remember_project (self, self->project_path);
  tc_window_project_update_title (self);
  return TRUE;
}

/* Save, or Save As when the project has no file yet; then what waited
 * for it (closing, opening other data). */
static void after_save (TcWindow *self, gboolean saved);

static void
report_save_error (TcWindow *self, const GError *error)
{
  g_autofree char *text = g_strdup_printf (_("Could not save the project: %s"), error->message);

  tc_app_toast (GTK_WIDGET (self), text, NULL, NULL, NULL);
}

static void
save_as_response (GtkNativeDialog *dialog,
                  int              response,
                  TcWindow        *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  gboolean embed = FALSE, saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "embed");

      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      embed = g_strcmp0 (choice, "true") == 0;
    }
  g_clear_object (&self->project_chooser);
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      /* The suffix makes it a project to the file manager and the chooser. */
      if (path != NULL && !g_str_has_suffix (path, TC_PROJECT_SUFFIX))
        {
          g_autofree char *with = g_strconcat (path, TC_PROJECT_SUFFIX, NULL);

          g_object_unref (file);
          file = g_file_new_for_path (with);
        }
      saved = tc_window_save_project (self, file, embed, &error);
      if (saved)
        tc_app_toast_saved (GTK_WIDGET (self), file, _("Project saved"));
      else
        report_save_error (self, error);
    }
  after_save (self, saved);
}

void
tc_window_save_project_as (TcWindow *self)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (TC_IS_WINDOW (self));

  if (self->project_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->project_chooser));
      return;
    }
  gtk_file_filter_set_name (filter, _("Trendcast Projects (.trendcast)"));
  gtk_file_filter_add_suffix (filter, "trendcast");
  self->project_chooser = gtk_file_chooser_native_new (_("Save Project"), GTK_WINDOW (self),
                                                       GTK_FILE_CHOOSER_ACTION_SAVE,
                                                       _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->project_chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->project_chooser), filter);
  /* A copy of the data makes the project open anywhere, at its size. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->project_chooser), "embed",
                               _("Include a copy of the data"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->project_chooser), "embed",
                               self->project_embed ? "true" : "false");
  if (self->project_path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (self->project_path);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->project_chooser), file, NULL);
    }
  else
    {
      tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->project_chooser));
      name = display_name (self);
      if (name != NULL && strrchr (name, '.') != NULL)
        *strrchr (name, '.') = '\0';
      /* Translators: the file name offered for a new project. */
      current = g_strconcat (name ? name : _("Forecast"), TC_PROJECT_SUFFIX, NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->project_chooser), current);
    }
  g_signal_connect (self->project_chooser, "response", G_CALLBACK (save_as_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->project_chooser));
}

/* Saves to the project's file, or asks for one.  Returns TRUE when it
 * saved at once (after_save has run). */
static void
save_or_ask (TcWindow *self)
{
  g_autoptr (GError) error = NULL;
  gboolean saved;

  if (self->project_path == NULL)
    {
      tc_window_save_project_as (self);
      return;
    }
  saved = tc_window_save_project (self, NULL, self->project_embed, &error);
  if (saved)
    {
      g_autoptr (GFile) file = g_file_new_for_path (self->project_path);

      tc_app_toast_saved (GTK_WIDGET (self), file, _("Project saved"));
    }
  else
    report_save_error (self, error);
  after_save (self, saved);
}

void
tc_window_save_project_then_open (TcWindow *self)
{
  self->open_after_save = TRUE;
  save_or_ask (self);
}

static void
after_save (TcWindow *self, gboolean saved)
{
  gboolean close = self->close_after_save, open = self->open_after_save;

  self->close_after_save = self->open_after_save = FALSE;
  if (!saved)
    {
      g_clear_object (&self->pending_file);
      return;
    }
  if (close)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (open && self->pending_file != NULL)
    {
      g_autoptr (GFile) file = g_steal_pointer (&self->pending_file);

      tc_window_open_file (self, file);
    }
}

static void
save_project_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save_or_ask (TC_WINDOW (widget));
}

static void
save_project_as_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  tc_window_save_project_as (TC_WINDOW (widget));
}

static void
tour_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  /* The tour opens the sample: never over the user's own work. */
  if (tc_session_get_dataset (self->session) != NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (app == NULL || !TC_IS_APPLICATION (app))
        return;
      self = tc_window_new (TC_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (self));
    }
  tc_tour_start (TC_TOUR (self->tour));
}

GtkWidget *
tc_window_get_tour (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), NULL);
  return self->tour;
}

static void
open_project_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  /* Through the front door: unsaved work is asked about first. */
  tc_window_open_file (TC_WINDOW (widget), file);
}

/* -- changes and autosave --------------------------------------------------- */

/* An autosave in two halves.  On the main thread, a snapshot of what
 * the window shows (the pages' state, a copy of the model's weights);
 * in a worker, what takes time: the data file's checksum, the model's
 * bytes, the file written atomically.  The main loop never waits on the
 * disk or on serialising a large model. */
typedef struct
{
  TcProject    *project;     /* without the data's checksum and the model's bytes */
  char         *data_path;   /* the data file, or NULL */
  TcForecaster *model;       /* a copy, or NULL */
  char         *path;        /* where the autosave goes */
  GWeakRef      window;
} AutosaveJob;

static void
autosave_job_free (AutosaveJob *job)
{
  tc_project_free (job->project);
  g_free (job->data_path);
  g_clear_pointer (&job->model, tc_forecaster_free);
  g_free (job->path);
  g_weak_ref_clear (&job->window);
  g_free (job);
}

static AutosaveJob *
autosave_snapshot (TcWindow *self, GError **error)
{
  g_autoptr (TcProject) p = tc_project_new ();
  AutosaveJob *job;
  GFile *file = tc_session_get_file (self->session);
  const TcImportOptions *opts = tc_session_get_import_options (self->session);
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcExploreLevel *level;
  g_autofree char *data_path = NULL;

  if (file != NULL && (data_path = g_file_get_path (file)) == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Only data in a local file can be part of a project"));
      return NULL;
    }
  if (opts != NULL)
    {
      tc_import_options_clear (&p->import_options);
      tc_import_options_copy (&p->import_options, opts);
    }
  if (tc_session_get_future (self->session) != NULL)
    p->future = tc_dataset_copy (tc_session_get_future (self->session));
  /* What capture () takes from the pages, taken the same way. */
  tc_scenario_page_get_changes (self->scenarios_page, p->changes, &p->scope);
  capture_plan (self, p);
  p->view_page = g_strdup (adw_view_stack_get_visible_child_name (self->view_stack));
  level = fc ? tc_forecast_page_get_level (self->forecast_page) : NULL;
  if (level != NULL)
    {
      int g = tc_forecast_page_get_group (self->forecast_page);

      p->view_level = g_strdup (level->name);
      if (g >= 0 && (guint) g < level->n_groups)
        p->view_series = g_strdup (level->groups[g].name);
    }
  p->autosave_of = g_strdup (self->project_path);

  job = g_new0 (AutosaveJob, 1);
  job->project = g_steal_pointer (&p);
  job->data_path = g_steal_pointer (&data_path);
  job->model = fc ? tc_forecaster_dup (fc) : NULL;
  job->path = g_strdup (self->autosave_path);
  g_weak_ref_init (&job->window, self);
  return job;
}

/* The slow half; any thread. */
static gboolean
autosave_write (AutosaveJob *job, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (job->path);

  /* The data by reference: an autosave must be quick, and the data is
   * in its file (or in the project's copy, extracted to the cache). */
  if (job->data_path != NULL && !tc_project_set_data_file (job->project, job->data_path, FALSE, error))
    return FALSE;
  if (job->model != NULL && (job->project->model = tc_forecaster_to_bytes (job->model, error)) == NULL)
    return FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot write “%s”: %s"),
                   dir, g_strerror (errno));
      return FALSE;
    }
  return tc_project_save (job->project, job->path, error);
}

gboolean
tc_window_autosave_now (TcWindow  *self,
                        GError   **error)
{
  AutosaveJob *job;
  gboolean ok;

  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);

  self->autosave_due = FALSE;
  if (tc_session_get_dataset (self->session) == NULL)
    return TRUE;
  job = autosave_snapshot (self, error);
  if (job == NULL)
    return FALSE;
  ok = autosave_write (job, error);
  autosave_job_free (job);
  return ok;
}

static void
autosave_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  TC_TSAN_ACQUIRE (data);
  ok = autosave_write (data, &error);
  /* The job goes back to the main thread through GLib's queue. */
  TC_TSAN_RELEASE (data);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
autosave_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  AutosaveJob *job = g_task_get_task_data (G_TASK (result));
  GCancellable *removed = g_task_get_cancellable (G_TASK (result));
  g_autoptr (TcWindow) self = NULL;
  g_autoptr (GError) error = NULL;

  TC_TSAN_ACQUIRE (job);
  self = g_weak_ref_get (&job->window);
  /* Saved, or closed without saving, while it was written: no autosave
   * may stay behind to be offered for recovery. */
  if (g_cancellable_is_cancelled (removed))
    g_unlink (job->path);
  else if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("Autosave failed: %s", error->message);
  if (self != NULL && self->autosave_writing == removed)
    g_clear_object (&self->autosave_writing);
}

/**
 * tc_window_autosave_in_background:
 * @self: a window
 *
 * Snapshots the window's work now and writes the autosave in a worker
 * thread; tc_window_is_autosaving() is TRUE until it is written.
 * Nothing happens while an earlier one is still being written (the
 * changes stay due for the next).
 *
 * Returns: whether a write started
 */
gboolean
tc_window_autosave_in_background (TcWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  AutosaveJob *job;

  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);
  if (self->autosave_writing != NULL || tc_session_get_dataset (self->session) == NULL)
    return FALSE;
  job = autosave_snapshot (self, &error);
  if (job == NULL)
    {
      g_debug ("Autosave failed: %s", error->message);
      return FALSE;
    }
  self->autosave_due = FALSE;
  self->autosave_writing = g_cancellable_new ();
  /* No source object: the task must not keep a closed window alive. */
  task = g_task_new (NULL, self->autosave_writing, autosave_done, NULL);
  g_task_set_source_tag (task, tc_window_autosave_in_background);
  /* The write itself is not cancellable: the cancellable only says the
   * autosave was removed meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) autosave_job_free);
  TC_TSAN_RELEASE (job);
  g_task_run_in_thread (task, autosave_thread);
  return TRUE;
}

/**
 * tc_window_is_autosaving:
 * @self: a window
 *
 * Returns: whether an autosave is being written in the background
 */
gboolean
tc_window_is_autosaving (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);
  return self->autosave_writing != NULL;
}

const char *
tc_window_get_autosave_path (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), NULL);
  return self->autosave_path;
}

static void
autosave_quietly (TcWindow *self)
{
  if (!tc_window_has_unsaved_changes (self))
    return;
  /* A failed autosave is no reason to interrupt the user: the next
   * one may work, and saving says what is wrong. */
  tc_window_autosave_in_background (self);
}

static gboolean
autosave_soon_cb (gpointer data)
{
  TcWindow *self = data;

  self->autosave_soon_id = 0;
  autosave_quietly (self);
  return G_SOURCE_REMOVE;
}

static gboolean
autosave_tick_cb (gpointer data)
{
  TcWindow *self = data;

  if (self->autosave_due && self->autosave_soon_id == 0)
    autosave_quietly (self);
  return G_SOURCE_CONTINUE;
}

static void
mark_changed (TcWindow *self)
{
  if (self->restoring)
    return;
  if (self->project_path != NULL)
    self->project_dirty = TRUE;
  self->autosave_due = TRUE;
  if (self->autosave_soon_id == 0)
    self->autosave_soon_id = g_timeout_add_seconds (AUTOSAVE_DELAY_S, autosave_soon_cb, self);
  tc_window_project_update_title (self);
}

static void
dataset_changed_cb (TcWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-project",
                                 tc_session_get_dataset (self->session) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-project-as",
                                 tc_session_get_dataset (self->session) != NULL);
  /* Other data opened by hand is a new, untitled project (the same
   * file imported again, with other roles, is a change of this one). */
  if (!self->restoring && self->project_path == NULL)
    self->project_dirty = FALSE;
  if (!self->restoring && self->project_path != NULL)
    {
      GFile *file = tc_session_get_file (self->session);

      if (file == NULL || self->project_data == NULL || !g_file_equal (file, self->project_data))
        {
          g_clear_pointer (&self->project_path, g_free);
          g_clear_object (&self->project_data);
          self->project_dirty = FALSE;
        }
    }
  mark_changed (self);
}

/* -- opening ---------------------------------------------------------------- */

static void
show_error (TcWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
restore_view (TcWindow *self, const TcProject *p)
{
  restore_evaluation (self, p);
  if (p->has_plan)
    {
      g_autoptr (GFile) stock = p->plan_stock_path ? g_file_new_for_path (p->plan_stock_path) : NULL;
      g_autoptr (GError) error = NULL;

      tc_plan_page_set_parameters (self->plan_page, p->plan_lead_time, p->plan_review_period,
                                   p->plan_service_level);
      /* A stock file that moved or changed shows as a problem on the
       * page itself; the project still opens. */
      if (!tc_plan_page_set_stock_file (self->plan_page, stock, &error))
        g_debug ("Stock file of the project: %s", error->message);
    }
  if (p->view_level != NULL && tc_session_get_forecaster (self->session) != NULL)
    {
      tc_forecast_page_rebuild_now (self->forecast_page);
      for (guint i = 0; i < tc_forecast_page_get_n_levels (self->forecast_page); i++)
        {
          const TcExploreLevel *level;

          tc_forecast_page_set_level (self->forecast_page, i);
          level = tc_forecast_page_get_level (self->forecast_page);
          if (level != NULL && g_strcmp0 (level->name, p->view_level) == 0)
            break;
        }
      if (p->view_series != NULL)
        tc_forecast_page_select (self->forecast_page, p->view_series);
    }
  if (p->view_page != NULL && adw_view_stack_get_child_by_name (self->view_stack, p->view_page) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, p->view_page);
}

static void
project_imported_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr (TcWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  gboolean recovered, changed;
  OpenMode mode;

  if (!tc_session_import_finish (TC_SESSION (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->opening == NULL)
    return;
  p = g_steal_pointer (&self->opening);
  path = g_steal_pointer (&self->opening_path);
  mode = GPOINTER_TO_INT (g_object_steal_data (G_OBJECT (self), "tc-open-mode"));
  recovered = mode == OPEN_RECOVERED;
  changed = GPOINTER_TO_INT (g_object_steal_data (G_OBJECT (self), "tc-data-changed"));
  name = project_name (recovered && p->autosave_of ? p->autosave_of : path);
  if (error == NULL)
    tc_project_apply (p, self->session, &error);
  if (error != NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);

      self->restoring = FALSE;
      show_error (self, heading, error->message);
      tc_window_project_update_title (self);
      return;
    }
  tc_scenario_page_refresh_saved (self->scenarios_page);
  if (p->changes->len > 0 || p->scope != NULL)
    tc_scenario_page_set_changes (self->scenarios_page, p->changes, (const char * const *) p->scope);
  restore_view (self, p);
  self->restoring = FALSE;
  g_set_object (&self->project_data, tc_session_get_file (self->session));

  if (mode == OPEN_CHECKPOINT)
    ;
  else if (recovered)
    {
      /* The work is back, not saved: it stays changed, and autosaves
       * under this window's name from now on. */
      g_free (self->project_path);
      self->project_path = g_strdup (p->autosave_of);
      g_unlink (path);
      self->project_dirty = TRUE;
      mark_changed (self);
    }
  else
    {
      g_free (self->project_path);
      self->project_path = g_strdup (path);
      self->project_dirty = FALSE;
      self->project_embed = p->data_embedded != NULL;
      remember_project (self, path);
    }
  tc_window_project_update_title (self);
  if (changed)
    tc_app_toast (GTK_WIDGET (self), _("The data changed since the project was saved: the forecasts are made anew"),
                  NULL, NULL, NULL);
}

static void
open_project_file (TcWindow *self, const char *path, OpenMode mode)
{
  gboolean recovered = mode == OPEN_RECOVERED;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = project_name (path);
  g_autoptr (GFile) file = NULL;
  gboolean changed = FALSE;

  p = tc_project_load (path, &error);
  if (p != NULL)
    data = tc_project_find_data (p, recovered && p->autosave_of ? p->autosave_of : path, &changed, &error);
  if (data == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);

      show_error (self, heading, error->message);
      return;
    }
  g_cancellable_cancel (self->opening_cancellable);
  g_clear_object (&self->opening_cancellable);
  self->opening_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->opening, tc_project_free);
  self->opening = g_steal_pointer (&p);
  g_free (self->opening_path);
  self->opening_path = g_strdup (path);
  g_object_set_data (G_OBJECT (self), "tc-open-mode", GINT_TO_POINTER (mode));
  g_object_set_data (G_OBJECT (self), "tc-data-changed", GINT_TO_POINTER (changed));
  self->restoring = TRUE;
  remove_autosave (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "data");
  file = g_file_new_for_path (data);
  tc_session_import_async (self->session, file, &self->opening->import_options, self->opening_cancellable,
                           NULL, NULL, project_imported_cb, g_object_ref (self));
}

void
tc_window_open_project (TcWindow *self,
                        GFile    *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TC_IS_WINDOW (self));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self, _("Could Not Open the Project"), _("Only local files can be opened"));
      return;
    }
  open_project_file (self, path, OPEN_PROJECT);
}

gboolean
tc_window_save_checkpoint (TcWindow    *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr (TcProject) p = capture (self, FALSE, error);

  return p != NULL && tc_project_save (p, path, error);
}

void
tc_window_open_checkpoint (TcWindow   *self,
                           const char *path)
{
  open_project_file (self, path, OPEN_CHECKPOINT);
}

gboolean
tc_window_is_opening_project (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);
  return self->opening != NULL;
}

const char *
tc_window_get_project_path (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), NULL);
  return self->project_path;
}

/* -- crash recovery ----------------------------------------------------------- */

char *
tc_window_find_recovery (gint64 *saved_out)
{
  g_autofree char *dir = autosave_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;
  char *best = NULL;
  gint64 best_time = G_MININT64;

  if (d == NULL)
    return NULL;
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr (TcProject) p = NULL;
      g_autoptr (GError) error = NULL;

      /* The temporary file of a write that was killed is no project. */
      if (!g_str_has_suffix (entry, TC_PROJECT_SUFFIX))
        continue;
      path = g_build_filename (dir, entry, NULL);
      p = tc_project_load (path, &error);
      if (p == NULL)
        {
          g_debug ("Autosave “%s” is not usable: %s", path, error->message);
          continue;
        }
      if (p->saved > best_time)
        {
          g_free (best);
          best = g_steal_pointer (&path);
          best_time = p->saved;
        }
    }
  if (saved_out)
    *saved_out = best_time;
  return best;
}

static void
recovery_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TcWindow         *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "tc-path");

  if (g_strcmp0 (response, "recover") == 0)
    open_project_file (self, path, OPEN_RECOVERED);
  else if (g_strcmp0 (response, "discard") == 0)
    g_unlink (path);
}

gboolean
tc_window_offer_recovery (TcWindow *self)
{
  gint64 saved;
  g_autofree char *path = tc_window_find_recovery (&saved);
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (TC_IS_WINDOW (self), FALSE);

  if (path == NULL)
    return FALSE;
  when = g_date_time_new_from_unix_local (saved);
  /* Translators: a date and time in g_date_time_format's notation. */
  time = when ? g_date_time_format (when, _("%A %-d %B, %H:%M")) : g_strdup ("?");
  /* Translators: %s is a date and time, e.g. "Monday 7 December, 01:20". */
  body = g_strdup_printf (_("Trendcast closed before your work was saved. Recover unsaved work from %s?"), time);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Recover Unsaved Work?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "discard", _("_Discard"),
                                    "recover", _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "recover", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data_full (G_OBJECT (dialog), "tc-path", g_steal_pointer (&path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (recovery_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* -- closing ------------------------------------------------------------------ */

static void
close_response (AdwMessageDialog *dialog,
                const char       *response,
                TcWindow         *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      self->close_after_save = TRUE;
      save_or_ask (self);
    }
}

gboolean
tc_window_project_close_request (TcWindow *self)
{
  g_autofree char *work = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->close_confirmed || tc_session_get_dataset (self->session) == NULL
      || (work = tc_window_describe_unsaved (self)) == NULL)
    {
      /* Closed on purpose: nothing to recover next time. */
      remove_autosave (self);
      return FALSE;
    }
  /* Translators: then a list of things, one a line. */
  body = g_strdup_printf (_("Closing the window loses what is not saved:\n%s"), work);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", self->project_path ? _("_Save") : _("_Save As…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* -- set-up ------------------------------------------------------------------- */

void
tc_window_project_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-project", NULL, save_project_action);
  gtk_widget_class_install_action (widget_class, "win.save-project-as", NULL, save_project_as_action);
  gtk_widget_class_install_action (widget_class, "win.open-project", "s", open_project_action);
  gtk_widget_class_install_action (widget_class, "win.tour", NULL, tour_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-project-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-project-as", NULL);
}

void
tc_window_project_init (TcWindow *self)
{
  static guint counter;
  g_autofree char *dir = autosave_dir ();
  g_autofree char *name = g_strdup_printf ("%d-%u" TC_PROJECT_SUFFIX, (int) getpid (), ++counter);
  GtkWidget *recent = build_recent_group (self);
  GtkWidget *welcome = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *tour_button = gtk_button_new_with_mnemonic (_("Take the _Guided Tour"));
  GtkWidget *stack_parent;

  self->autosave_path = g_build_filename (dir, name, NULL);
  g_signal_connect_object (self->session, "notify::dataset", G_CALLBACK (dataset_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::forecaster", G_CALLBACK (mark_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::future", G_CALLBACK (mark_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scenarios_page, "changed", G_CALLBACK (mark_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->plan_page, "changed", G_CALLBACK (mark_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->evaluation_page, "finished", G_CALLBACK (mark_changed), self,
                           G_CONNECT_SWAPPED);
  self->autosave_tick_id = g_timeout_add_seconds (AUTOSAVE_PERIOD_S, autosave_tick_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-project", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-project-as", FALSE);

  /* The welcome screen: Open, the tour for trainees, recent projects. */
  g_object_set_data (G_OBJECT (self), "tc-recent-group", recent);
  gtk_widget_set_halign (tour_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tour_button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (tour_button), "win.tour");
  gtk_box_append (GTK_BOX (welcome), tour_button);
  gtk_box_append (GTK_BOX (welcome), recent);
  tc_data_page_add_empty_widget (self->data_page, welcome);
  /* The tour's card sits between the header and the pages. */
  self->tour = GTK_WIDGET (tc_tour_new (self));
  stack_parent = gtk_widget_get_parent (GTK_WIDGET (self->view_stack));
  gtk_box_insert_child_after (GTK_BOX (stack_parent), self->tour,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->view_stack)));
  g_signal_connect_object (self->settings, "changed::recent-projects", G_CALLBACK (update_recent_list), self,
                           G_CONNECT_SWAPPED);
  update_recent_list (self);
  tc_window_project_update_title (self);
}

void
tc_window_project_dispose (TcWindow *self)
{
  g_clear_handle_id (&self->autosave_soon_id, g_source_remove);
  g_clear_handle_id (&self->autosave_tick_id, g_source_remove);
  /* A write in flight finishes on its own (a half-written autosave is
   * never renamed into place), as a crash would leave it, unless the
   * close removed the autosave (and cancelled it). */
  g_clear_object (&self->autosave_writing);
  g_cancellable_cancel (self->opening_cancellable);
  g_clear_object (&self->opening_cancellable);
  g_clear_pointer (&self->opening, tc_project_free);
  g_clear_pointer (&self->opening_path, g_free);
  if (self->project_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->project_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->project_chooser));
      g_clear_object (&self->project_chooser);
    }
  g_clear_pointer (&self->project_path, g_free);
  g_clear_object (&self->project_data);
  g_clear_pointer (&self->autosave_path, g_free);
}
