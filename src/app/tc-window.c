/* tc-window.c
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-window.h"
#include "tc-window-private.h"
#include "tc-app-files.h"
#include "tc-session.h"
#include "tc-data-page.h"
#include "tc-model-page.h"
#include "tc-training-page.h"
#include "tc-forecast-page.h"
#include "tc-scenario-page.h"
#include "tc-evaluation-page.h"
#include "tc-plan-page.h"

/* The recent-files list is for a "recent" menu, not a history. */
#define MAX_RECENT_FILES 10


G_DEFINE_FINAL_TYPE (TcWindow, tc_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tc_window_remember_file (TcWindow *self,
                         GFile    *file)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *uri = g_file_get_uri (file);
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_strv_builder_add (builder, uri);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_FILES; i++)
    {
      if (g_strcmp0 (old[i], uri) == 0)
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) recent);
}

static void
tc_window_file_chooser_response (GtkNativeDialog *dialog,
                                 int              response,
                                 TcWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        tc_window_open_file (self, file);
    }

  g_clear_object (&self->file_chooser);
}

static void
tc_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);
  g_autoptr(GtkFileFilter) csv_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) project_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all_filter = gtk_file_filter_new ();

  /* A second Ctrl+O while the chooser is up just raises it. */
  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
      return;
    }

  gtk_file_filter_set_name (csv_filter, _("Sales Data and Projects"));
  tc_app_file_filter_add_tables (csv_filter);
  gtk_file_filter_add_suffix (csv_filter, "trendcast");

  gtk_file_filter_set_name (project_filter, _("Trendcast Projects (.trendcast)"));
  gtk_file_filter_add_suffix (project_filter, "trendcast");

  gtk_file_filter_set_name (all_filter, _("All Files"));
  gtk_file_filter_add_pattern (all_filter, "*");

  /* GtkFileChooserNative goes through the file chooser portal, so it
   * works inside the Flatpak sandbox without filesystem access. */
  self->file_chooser = gtk_file_chooser_native_new (_("Open Sales Data"),
                                                    GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Open"),
                                                    _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), csv_filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), project_filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all_filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->file_chooser));
  g_signal_connect (self->file_chooser, "response",
                    G_CALLBACK (tc_window_file_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

/* The Open button of a "Saved" toast: the file in the desktop's
 * application for it. */
static void
tc_window_show_file_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
tc_window_show_page_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static gboolean
tc_window_on_drop (GtkDropTarget *target,
                   const GValue  *value,
                   double         x,
                   double         y,
                   TcWindow      *self)
{
  GFile *file;

  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;

  file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;

  tc_window_open_file (self, file);

  return TRUE;
}

static void
tc_window_save_state (TcWindow *self)
{
  int width = 0;
  int height = 0;

  /* The default size tracks the unmaximized size, which is the one
   * worth restoring. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
tc_window_train_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TcWindow *self = TC_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "training");
  tc_training_page_start (self->training_page);
}

static void
tc_window_stop_training_response (AdwMessageDialog *dialog,
                                  const char       *response,
                                  TcWindow         *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  tc_training_page_stop (self->training_page);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
tc_window_close_request (GtkWindow *window)
{
  TcWindow *self = TC_WINDOW (window);

  /* Closing must not silently throw away a long training run. */
  if (tc_training_page_is_busy (self->training_page))
    {
      GtkWidget *dialog = adw_message_dialog_new (window, _("Stop Training?"),
                                                  _("The model is still learning. If you close the window, "
                                                    "training stops and its result is lost."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "continue", _("_Keep Training"),
                                        "stop", _("_Stop and Close"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
      g_signal_connect_object (dialog, "response", G_CALLBACK (tc_window_stop_training_response),
                               self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  /* Unsaved changes: Save, Discard or Cancel. */
  if (tc_window_project_close_request (self))
    return TRUE;

  tc_window_save_state (self);

  return GTK_WINDOW_CLASS (tc_window_parent_class)->close_request (window);
}

static void
tc_window_dispose (GObject *object)
{
  TcWindow *self = TC_WINDOW (object);

  if (self->file_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->file_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
      g_clear_object (&self->file_chooser);
    }
  if (self->save_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->save_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
      g_clear_object (&self->save_chooser);
    }
  g_clear_object (&self->pending_file);
  tc_window_project_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_WINDOW);

  G_OBJECT_CLASS (tc_window_parent_class)->dispose (object);
}

static void
tc_window_finalize (GObject *object)
{
  TcWindow *self = TC_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_window_parent_class)->finalize (object);
}

static void
tc_window_class_init (TcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tc_window_dispose;
  object_class->finalize = tc_window_finalize;

  window_class->close_request = tc_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, data_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, model_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, forecast_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, scenarios_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, evaluation_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, plan_page);
  gtk_widget_class_bind_template_child (widget_class, TcWindow, switcher_title);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, tc_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.show-file", "s", tc_window_show_file_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   tc_window_show_page_action);
  gtk_widget_class_install_action (widget_class, "win.train", NULL, tc_window_train_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  /* Save Project (Ctrl+S), Save Project As… (Shift+Ctrl+S), recent projects. */
  tc_window_project_class_init (widget_class);
  /* Alt+1 … Alt+7: the pages in the order of the switcher. */
  {
    static const char *pages[] = { "data", "model", "training", "forecast", "scenarios", "plan", "evaluation" };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.show-page",
                                           "s", pages[i]);
  }
}

static void
tc_window_init (TcWindow *self)
{
  GtkDropTarget *drop_target;

  g_type_ensure (TC_TYPE_DATA_PAGE);
  g_type_ensure (TC_TYPE_MODEL_PAGE);
  g_type_ensure (TC_TYPE_TRAINING_PAGE);
  g_type_ensure (TC_TYPE_FORECAST_PAGE);
  g_type_ensure (TC_TYPE_SCENARIO_PAGE);
  g_type_ensure (TC_TYPE_EVALUATION_PAGE);
  g_type_ensure (TC_TYPE_PLAN_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = tc_session_new ();
  tc_data_page_set_session (self->data_page, self->session);
  tc_model_page_set_session (self->model_page, self->session);
  tc_training_page_set_session (self->training_page, self->session);
  tc_forecast_page_set_session (self->forecast_page, self->session);
  tc_scenario_page_set_session (self->scenarios_page, self->session);
  tc_evaluation_page_set_session (self->evaluation_page, self->session);
  tc_plan_page_set_session (self->plan_page, self->session);

  self->settings = g_settings_new (BASE_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "last-page", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  drop_target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop_target, "drop", G_CALLBACK (tc_window_on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
  tc_window_project_init (self);
}

/* -- nothing lost silently ------------------------------------------------ */

static void
open_now (TcWindow *self,
          GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);

  /* A project, whatever its name: its data, model and scenario. */
  if (path != NULL && tc_project_sniff (path))
    {
      tc_window_open_project (self, file);
      return;
    }
  tc_window_remember_file (self, file);
  adw_view_stack_set_visible_child_name (self->view_stack, "data");
  tc_data_page_open_file (self->data_page, file);
}

static void
open_pending (TcWindow *self)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);

  if (file != NULL)
    open_now (self, file);
}

static void
save_chooser_response (GtkNativeDialog *dialog,
                       int              response,
                       TcWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->save_chooser);
  /* Open only once the model is safe; a failed save says why on the
   * Training page and keeps everything as it was. */
  if (file != NULL && tc_training_page_save_model (self->training_page, file))
    open_pending (self);
  else
    g_clear_object (&self->pending_file);
}

static void
discard_response (AdwMessageDialog *dialog,
                  const char       *response,
                  TcWindow         *self)
{
  g_autoptr(GtkFileFilter) filter = NULL;

  if (g_strcmp0 (response, "discard") == 0)
    {
      open_pending (self);
      return;
    }
  if (g_strcmp0 (response, "save") != 0)
    {
      g_clear_object (&self->pending_file);
      return;
    }
  /* A project holds the model and the scenario: save it, then open. */
  if (self->project_path != NULL)
    {
      tc_window_save_project_then_open (self);
      return;
    }
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Trendcast Models (.tcm)"));
  gtk_file_filter_add_suffix (filter, "tcm");
  self->save_chooser = gtk_file_chooser_native_new (_("Save Model"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_chooser), filter);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->save_chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), _("model.tcm"));
  g_signal_connect (self->save_chooser, "response", G_CALLBACK (save_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

/**
 * tc_window_new:
 * @application: the #TcApplication the window belongs to
 *
 * Returns: (transfer none): a new main window, owned by GTK's list of
 *   toplevels
 */
TcWindow *
tc_window_new (TcApplication *application)
{
  g_return_val_if_fail (TC_IS_APPLICATION (application), NULL);

  return g_object_new (TC_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * tc_window_open_file:
 * @self: a #TcWindow
 * @file: the data file to open
 *
 * The single entry point for opening data, whether it comes from the
 * command line, the file chooser or a drop.  The file is added to the
 * recent files and the Data page's import assistant opens on it.  When
 * that would throw away work (a model not saved, a scenario, a backtest,
 * a training run), the user is asked first: Save Model…, Discard or
 * Cancel.
 */
void
tc_window_open_file (TcWindow *self,
                     GFile    *file)
{
  g_autofree char *work = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (TC_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  work = tc_window_describe_unsaved (self);
  if (work == NULL)
    {
      open_now (self, file);
      return;
    }
  /* A question is already up: the newest choice of file wins. */
  g_set_object (&self->pending_file, file);
  if (self->save_chooser != NULL)
    return;
  name = g_file_get_basename (file);
  /* Translators: %s is a file name, then a list of things, one a line. */
  body = g_strdup_printf (_("Opening “%s” closes what you did with the current data:\n%s"), name, work);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Open Other Data?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  if (self->project_path != NULL && !tc_training_page_is_busy (self->training_page))
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "save", _("_Save Project"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
    }
  else if (tc_session_get_forecaster (self->session) != NULL && !tc_session_get_model_saved (self->session)
           && !tc_training_page_is_busy (self->training_page))
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "save", _("_Save Model…"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
    }
  else
    adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * tc_window_get_session:
 *
 * Returns: (transfer none): the session every page of the window shares
 */
TcSession *
tc_window_get_session (TcWindow *self)
{
  g_return_val_if_fail (TC_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * tc_window_add_toast:
 * @self: a #TcWindow
 * @toast: (transfer full): the toast to show
 *
 * Shows a transient notification at the bottom of the window.
 */
void
tc_window_add_toast (TcWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TC_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
