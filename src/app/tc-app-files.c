/* tc-app-files.c — what every file chooser and every "saved" toast does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-app-files"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-app-files.h"

/**
 * tc_app_chooser_start_in_documents:
 * @chooser: a file chooser about to be shown
 *
 * Starts @chooser in the user's Documents folder, or in the home folder
 * when there is none.
 */
void
tc_app_chooser_start_in_documents (GtkFileChooser *chooser)
{
  const char *docs = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = NULL;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));

  if (docs == NULL || !g_file_test (docs, G_FILE_TEST_IS_DIR))
    docs = g_get_home_dir ();
  folder = g_file_new_for_path (docs);
  /* A chooser that cannot go there (a portal that refuses it) keeps its
   * own choice: nothing to report. */
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

/**
 * tc_app_file_filter_add_tables:
 * @filter: a filter of a chooser that opens a table
 *
 * Adds CSV, TSV and text exports and Excel workbooks to @filter.
 */
void
tc_app_file_filter_add_tables (GtkFileFilter *filter)
{
  static const char *const suffixes[] = { "csv", "tsv", "txt", "xlsx", "xlsm" };

  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
  gtk_file_filter_add_mime_type (filter, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
}

/**
 * tc_app_toast:
 * @widget: a widget inside the window
 * @text: what the toast says
 * @label: (nullable): the button's label, with @action
 * @action: (nullable): the action the button activates
 * @target: (nullable): its parameter
 *
 * Shows @text as a toast for six seconds.
 */
void
tc_app_toast (GtkWidget  *widget,
              const char *text,
              const char *label,
              const char *action,
              GVariant   *target)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      if (target != NULL)
        g_variant_unref (g_variant_ref_sink (target));
      return;
    }
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  if (action != NULL)
    {
      adw_toast_set_button_label (toast, label);
      adw_toast_set_action_name (toast, action);
      if (target != NULL)
        adw_toast_set_action_target_value (toast, target);
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * tc_app_toast_saved:
 * @widget: a widget inside the window
 * @file: the file that was written
 * @text: what the toast says ("Saved “forecast.csv”")
 *
 * Shows @text as a toast with an Open button for @file.
 */
void
tc_app_toast_saved (GtkWidget  *widget,
                    GFile      *file,
                    const char *text)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  tc_app_toast (widget, text, _("_Open"), "win.show-file", g_variant_new_string (uri));
}
