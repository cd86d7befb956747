/* tc-scenario-page-export.c — the Scenarios page: the result as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-chart-view.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

/* -- export ---------------------------------------------------------------- */

gboolean
tc_scenario_page_export_csv (TcScenarioPage *self,
                             const char     *path,
                             GError        **error)
{
  const TcScenarioResult *r;
  const TcDataset *ds;
  g_autoptr (GString) out = NULL;
  guint H, Q, m;

  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), FALSE);
  r = self->result;
  ds = self->session ? tc_session_get_dataset (self->session) : NULL;
  if (r == NULL || ds == NULL || self->result_scope == NULL)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_FAILED, _("There is no scenario to export yet: press Apply first"));
      return FALSE;
    }
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  m = tc_forecast_median_index (r->baseline);
  /* No empty cells: without a price covariate there is no revenue
   * column, and a series without a forecast (the page says so) no rows. */
  out = g_string_new (r->uplift_revenue ? "series,date,baseline_p50,scenario_p50,uplift_units,uplift_revenue\n"
                                        : "series,date,baseline_p50,scenario_p50,uplift_units\n");
  for (guint i = 0; i < self->result_scope->len; i++)
    {
      guint s = g_array_index (self->result_scope, guint, i);

      if (!tc_forecast_series_has_values (r->baseline, s))
        continue;
      for (guint h = 0; h < H; h++)
        {
          gsize k = (gsize) s * H + h;
          g_autofree char *date = tc_frequency_format_time (ds->freq, tc_forecast_series_times (r->baseline, s)[h]);
          char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

          tc_csv_append_field (out, ds->series_ids[s]);
          g_string_append_printf (out, ",%s,%s,%s,%s", date,
                                  g_ascii_formatd (buf[0], sizeof buf[0], "%.6g", r->baseline->values[k * Q + m]),
                                  g_ascii_formatd (buf[1], sizeof buf[1], "%.6g", r->scenario->values[k * Q + m]),
                                  g_ascii_formatd (buf[2], sizeof buf[2], "%.6g", r->uplift_units[k]));
          if (r->uplift_revenue)
            g_string_append_printf (out, ",%s",
                                    g_ascii_formatd (buf[3], sizeof buf[3], "%.6g", r->uplift_revenue[k]));
          g_string_append_c (out, '\n');
        }
    }
  if (!tc_file_set_contents (path, out->str, (gssize) out->len, error))
    return FALSE;
  return TRUE;
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, TcScenarioPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path && tc_scenario_page_export_csv (self, path, &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          /* TRANSLATORS: a toast, %s is a file name. */
          g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), base);

          tc_app_toast_saved (GTK_WIDGET (self), file, msg);
        }
      else if (path)
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          GtkWidget *msg = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   _("The Scenario Could Not Be Saved"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (msg), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (msg));
        }
    }
  g_clear_object (&self->chooser);
}

void
tc_scenario_page_export_clicked_cb (TcScenarioPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser || self->result == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Scenario"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  tc_app_chooser_start_in_documents (GTK_FILE_CHOOSER (self->chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "scenario.csv");
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
