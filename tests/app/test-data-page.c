/* test-data-page.c — the Data page and its import assistant, driven
 * through the same code paths as the buttons, on real files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "app/app-test-util.h"
#include "tc-application.h"
#include "tc-data-page-private.h"
#include "tc-window.h"

static TcApplication *app;

/* Only a guard against hanging forever: the suite also runs under ASan
 * on a loaded 2-core machine, with meson's timeout multiplied by 4. */
#define WAIT_SECONDS 600

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition   cond,
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_SECONDS * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
iterate_main_loop (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
has_dialog (gpointer page)
{
  return tc_data_page_get_import_dialog (page) != NULL;
}

static gboolean
has_no_dialog (gpointer page)
{
  return tc_data_page_get_import_dialog (page) == NULL;
}

static gboolean
dialog_idle (gpointer dialog)
{
  return !tc_import_dialog_is_busy (dialog);
}

static gboolean
dialog_in_error (gpointer dialog)
{
  return g_strcmp0 (tc_import_dialog_get_state (dialog), "error") == 0;
}

static gboolean
import_over (gpointer page)
{
  TcImportDialog *dialog = tc_data_page_get_import_dialog (page);

  return dialog == NULL || dialog_in_error (dialog);
}

static gboolean
page_in_error (gpointer page)
{
  return g_strcmp0 (tc_data_page_get_state (page), "error") == 0;
}

static gboolean
pointer_cleared (gpointer p)
{
  return *(gpointer *) p == NULL;
}

typedef struct
{
  TcWindow   *window;
  TcDataPage *page;
  TcSession  *session;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = g_object_ref (tc_window_new (app));
  gtk_window_present (GTK_WINDOW (f->window));
  f->page = TC_DATA_PAGE (gtk_widget_get_template_child (GTK_WIDGET (f->window), TC_TYPE_WINDOW,
                                                         "data_page"));
  f->session = g_object_ref (tc_window_get_session (f->window));
  iterate_main_loop ();
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "empty");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate_main_loop ();
  tc_test_finalize_soon (f->window);
  tc_test_finalize_soon (f->session);
}

/* Opens @path and waits for the assistant with its first preview. */
static TcImportDialog *
open_and_wait (Fixture    *f,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TcImportDialog *dialog;

  tc_window_open_file (f->window, file);
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "loading");
  wait_for (has_dialog, f->page, "the import assistant");
  dialog = tc_data_page_get_import_dialog (f->page);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "setup");
  g_assert_false (tc_import_dialog_is_busy (dialog));
  return dialog;
}

/* Presses Import and waits until the assistant closed itself. */
static void
import_and_wait (Fixture        *f,
                 TcImportDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  tc_import_dialog_press_import (dialog);
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "progress");
  wait_for (import_over, f->page, "the import to finish");
  g_assert_null (tc_data_page_get_import_dialog (f->page));
  /* The import held the dialog until its last progress call. */
  wait_for (pointer_cleared, &weak, "the assistant to be finalized");
}

static gboolean
news_settled (gpointer page)
{
  return g_strcmp0 (tc_data_page_get_state (page), "loading") != 0;
}

/* "Add Market News…": the file the chooser returns, joined to the data;
 * the page says how much, a bad file leaves the data as it was. */
static void
test_market_news (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_SAMPLESDIR, "online-store.csv", NULL);
  g_autofree char *news_path = g_build_filename (SOURCE_SAMPLESDIR, "online-store-news.csv", NULL);
  g_autofree char *bad_path = g_test_build_filename (G_TEST_DIST, "data", "news", "news-bad-date.csv", NULL);
  g_autoptr(GFile) news = g_file_new_for_path (news_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autofree char *row = NULL;
  const TcDataset *ds;

  import_and_wait (f, open_and_wait (f, path));
  g_assert_null (tc_session_get_dataset (f->session)->news);
  g_assert_cmpuint (tc_session_get_forecaster_options (f->session)->text_dim, ==, 0);
  g_assert_null (tc_data_page_dup_role_value (f->page, "Market news"));

  tc_data_page_add_news (f->page, news);
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "loading");
  wait_for (news_settled, f->page, "the news to be joined");
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "content");
  ds = tc_session_get_dataset (f->session);
  g_assert_nonnull (ds->news);
  g_assert_cmpuint (ds->n_series, ==, 30);
  g_assert_cmpstr (tc_session_get_import_options (f->session)->news_path, ==, news_path);
  row = tc_data_page_dup_role_value (f->page, "Market news");
  g_assert_cmpstr (row, ==, "online-store-news.csv: 28 headlines, 2023-01-16 to 2025-08-04 · 26 joined by category");
  /* The roles chosen before are kept. */
  g_assert_cmpstr (ds->target_name, ==, "units");
  /* Adding news asks for the text to be read. */
  g_assert_cmpuint (tc_session_get_forecaster_options (f->session)->text_dim, >, 0);

  tc_data_page_add_news (f->page, bad);
  wait_for (news_settled, f->page, "the bad news file to be refused");
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "error");
  if (strstr (tc_data_page_get_error_text (f->page), "2024-01-4x") == NULL)
    g_error ("the error does not show the bad date: %s", tc_data_page_get_error_text (f->page));
  /* The way on is another news file, not other sales data. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                                   TC_TYPE_DATA_PAGE,
                                                                                   "news_retry_button"))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                                    TC_TYPE_DATA_PAGE,
                                                                                    "choose_button"))));
  /* It has the focus, rather than the message (whose text GTK would
   * then show all selected). */
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                                                TC_TYPE_DATA_PAGE,
                                                                                "news_retry_button"))));
  /* The data and its first news are still there. */
  g_assert_cmpstr (tc_session_get_import_options (f->session)->news_path, ==, news_path);
  g_assert_nonnull (tc_session_get_dataset (f->session)->news);
}

static void
test_import_sample (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_SAMPLESDIR, "online-store.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcImportReport *report = tc_import_dialog_get_report (dialog);
  const TcDataset *ds;
  AdwViewStack *stack;

  /* The suggestions the assistant shows for the sample. */
  g_assert_cmpuint (report->columns->len, ==, 11);
  g_assert_cmpuint (report->preview_rows->len, ==, 9);   /* header and 8 rows */
  g_assert_cmpstr (report->date_format, ==, "YYYY-MM-DD");
  g_assert_cmpint (report->freq, ==, TC_FREQ_DAILY);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "date"), ==, TC_ROLE_DATE);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "sku"), ==, TC_ROLE_SERIES_ID);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "units"), ==, TC_ROLE_TARGET);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "price"), ==, TC_ROLE_KNOWN);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "traffic"), ==, TC_ROLE_OBSERVED);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "review"), ==, TC_ROLE_TEXT);
  g_assert_null (tc_session_get_dataset (f->session));

  import_and_wait (f, dialog);

  ds = tc_session_get_dataset (f->session);
  g_assert_nonnull (ds);
  g_assert_cmpuint (ds->n_series, ==, 30);
  g_assert_cmpuint (ds->n_times, ==, 912);
  g_assert_cmpstr (ds->target_name, ==, "units");
  /* The holiday names become known covariates of kind holiday. */
  {
    guint n_holiday = 0;

    for (guint k = 0; k < ds->n_known; k++)
      if (ds->known_kinds[k] == TC_COVARIATE_HOLIDAY)
        n_holiday++;
    g_assert_cmpuint (n_holiday, >, 0);
  }
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "content");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 30);

  /* The search matches ids and static attributes, in any case. */
  tc_data_page_set_search_text (f->page, "bev-");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 6);
  tc_data_page_set_search_text (f->page, "Beverages");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 6);
  tc_data_page_set_search_text (f->page, "SNK-006");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 1);
  tc_data_page_set_search_text (f->page, "no such series");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 0);
  tc_data_page_set_search_text (f->page, "");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 30);

  /* Sorting by a column header: the shortest series is the newest SKU. */
  {
    g_autofree char *first = NULL;
    g_autofree char *shortest = NULL;
    g_autofree char *longest_id = NULL;

    first = tc_data_page_dup_shown_series_id (f->page, 0);
    g_assert_cmpstr (first, ==, "SNK-001");  /* file order */
    tc_data_page_sort (f->page, "Length", GTK_SORT_ASCENDING);
    shortest = tc_data_page_dup_shown_series_id (f->page, 0);
    g_assert_cmpstr (shortest, ==, "HOM-006");
    tc_data_page_sort (f->page, "Series", GTK_SORT_DESCENDING);
    longest_id = tc_data_page_dup_shown_series_id (f->page, 0);
    g_assert_cmpstr (longest_id, ==, "SNK-006");
  }

  /* Re-import with another role: the assistant starts from the roles
   * of the last import, and the change reaches the session. */
  tc_data_page_reimport (f->page);
  wait_for (has_dialog, f->page, "the assistant again");
  dialog = tc_data_page_get_import_dialog (f->page);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "units"), ==, TC_ROLE_TARGET);
  tc_import_dialog_set_role (dialog, "promo", TC_ROLE_OBSERVED);
  g_assert_true (tc_import_dialog_is_busy (dialog));
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "promo"), ==, TC_ROLE_OBSERVED);
  import_and_wait (f, dialog);

  ds = tc_session_get_dataset (f->session);
  g_assert_cmpuint (ds->n_series, ==, 30);
  g_assert_true (g_strv_contains ((const char * const *) ds->observed_names, "promo"));
  g_assert_true (g_strv_contains ((const char * const *) ds->observed_names, "traffic"));
  g_assert_cmpuint (ds->n_observed, ==, 2);
  for (guint k = 0; k < ds->n_known; k++)
    g_assert_cmpstr (ds->known_names[k], !=, "promo");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 30);

  /* "Go to Model". */
  stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->window), TC_TYPE_WINDOW,
                                                         "view_stack"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "win.show-page", "s", "model"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "model");
}

/* The tuna sample names its series "brand": choosing that role in the
 * assistant is what makes the file importable as seven series. */
static void
test_choose_series_column (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_SAMPLESDIR, "tuna.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcDataset *ds;

  tc_import_dialog_set_role (dialog, "brand", TC_ROLE_SERIES_ID);
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "brand"), ==, TC_ROLE_SERIES_ID);
  g_assert_cmpuint (tc_import_dialog_get_report (dialog)->problems->len, ==, 0);
  g_assert_cmpint (tc_import_dialog_get_report (dialog)->freq, ==, TC_FREQ_WEEKLY);

  import_and_wait (f, dialog);
  ds = tc_session_get_dataset (f->session);
  g_assert_cmpuint (ds->n_series, ==, 7);
  g_assert_cmpint (ds->freq, ==, TC_FREQ_WEEKLY);
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 7);
  tc_data_page_set_search_text (f->page, "bumble bee");
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 3);
}

/* A role the values contradict shows up in the problem list at once,
 * and choosing a new date column hands "date" back to the importer. */
static void
test_role_problem (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_SAMPLESDIR, "online-store.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcImportReport *report;
  gboolean found = FALSE;

  g_assert_cmpuint (tc_import_dialog_get_report (dialog)->problems->len, ==, 0);
  tc_import_dialog_set_role (dialog, "sku", TC_ROLE_DATE);
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "sku"), ==, TC_ROLE_DATE);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "date"), !=, TC_ROLE_DATE);

  report = tc_import_dialog_get_report (dialog);
  g_assert_cmpuint (report->problems->len, >=, 1);
  g_assert_cmpuint (tc_import_dialog_get_n_problem_rows (dialog), >=, report->problems->len);
  for (guint i = 0; i < report->problems->len; i++)
    {
      g_autofree char *location = NULL;
      g_autofree char *what = tc_import_describe_message (report->problems->pdata[i],
                                                          report->problem_locations->pdata[i], &location);

      if (g_strcmp0 (location, "Column 2 “sku”") == 0)
        found = TRUE;
    }
  g_assert_true (found);

  /* Back to the suggestion: the problem goes away. */
  tc_import_dialog_set_role (dialog, "date", TC_ROLE_DATE);
  tc_import_dialog_set_role (dialog, "sku", TC_ROLE_SERIES_ID);
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_cmpuint (tc_import_dialog_get_report (dialog)->problems->len, ==, 0);
  tc_import_dialog_press_cancel (dialog);
  wait_for (has_no_dialog, f->page, "the assistant to close");
  g_assert_null (tc_session_get_dataset (f->session));
}

static void
test_ragged_rows (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "app", "ragged.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const char *location;

  /* The preview lists the bad row instead of failing. */
  g_assert_cmpuint (tc_import_dialog_get_report (dialog)->problems->len, >=, 1);
  g_assert_cmpuint (tc_import_dialog_get_n_problem_rows (dialog), >=, 1);

  /* Importing without skipping stops at the bad row and says where. */
  tc_import_dialog_press_import (dialog);
  wait_for (dialog_in_error, dialog, "the import error");
  location = tc_import_dialog_get_error_location (dialog);
  g_assert_cmpstr (location, ==, "Line 4");
  g_assert_null (tc_session_get_dataset (f->session));

  /* Try Again keeps everything; skipping the bad row then works. */
  tc_import_dialog_press_retry (dialog);
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "setup");
  tc_import_dialog_set_skip_bad_rows (dialog, TRUE);
  import_and_wait (f, dialog);
  g_assert_nonnull (tc_session_get_dataset (f->session));
  g_assert_cmpuint (tc_session_get_import_report (f->session)->n_skipped, ==, 1);
  g_assert_cmpuint (tc_data_page_get_n_shown_series (f->page), ==, 1);
}

static void
test_bad_value (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import",
                                                 "bad-text-in-target.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);

  tc_import_dialog_press_import (dialog);
  wait_for (dialog_in_error, dialog, "the import error");
  /* Line, column number and column name, from the GError. */
  g_assert_cmpstr (tc_import_dialog_get_error_location (dialog), ==, "Line 14, column 3 “units”");
  g_assert_null (tc_session_get_dataset (f->session));

  /* Cancel closes the assistant and leaves the session alone. */
  tc_import_dialog_press_cancel (dialog);
  wait_for (has_no_dialog, f->page, "the assistant to close");
  g_assert_null (tc_session_get_dataset (f->session));
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "empty");
}

static void
test_cancel_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_SAMPLESDIR, "online-store.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);

  /* Stopped before the worker can finish: the session drops the result. */
  tc_import_dialog_press_import (dialog);
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "progress");
  tc_import_dialog_press_cancel (dialog);
  wait_for (dialog_idle, dialog, "the import to stop");
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "setup");
  g_assert_true (tc_data_page_get_import_dialog (f->page) == dialog);
  g_assert_null (tc_session_get_dataset (f->session));

  /* The settings are still there: import for real. */
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "units"), ==, TC_ROLE_TARGET);
  import_and_wait (f, dialog);
  g_assert_cmpuint (tc_session_get_dataset (f->session)->n_series, ==, 30);
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "empty.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/weekly-sales.csv");

  tc_window_open_file (f->window, file);
  wait_for (page_in_error, f->page, "the error state");
  g_assert_null (tc_data_page_get_import_dialog (f->page));
  g_assert_nonnull (strstr (tc_data_page_get_error_text (f->page), "empty file"));

  tc_window_open_file (f->window, missing);
  g_assert_cmpstr (tc_data_page_get_state (f->page), ==, "loading");
  wait_for (page_in_error, f->page, "the error state");
  g_assert_cmpstr (tc_data_page_get_error_text (f->page), !=, "");
}


/* A quote that never closes swallows the rest of the file: no option of
 * the rows makes it importable, so Import is off, the problem names the
 * line where the quote opens, and the rows before it keep their types. */
static void
test_broken_quote (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "app", "broken-quote.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcImportReport *report = tc_import_dialog_get_report (dialog);
  g_autofree char *location = NULL;
  g_autofree char *what = NULL;

  g_assert_true (report->unreadable);
  g_assert_cmpuint (report->n_rows, ==, 3);
  g_assert_cmpuint (report->problems->len, ==, 1);
  what = tc_import_describe_message (report->problems->pdata[0], report->problem_locations->pdata[0], &location);
  g_assert_cmpstr (location, ==, "Line 5, column 3");
  g_assert_nonnull (strstr (what, "never closed"));
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "date"), ==, TC_ROLE_DATE);
  g_assert_cmpint (tc_import_dialog_get_role (dialog, "units"), ==, TC_ROLE_TARGET);
  g_assert_null (strstr (tc_import_dialog_get_problems_title (dialog), "first 0 rows"));

  /* Import is off, and pressing it does nothing. */
  g_assert_false (tc_import_dialog_can_import (dialog));
  tc_import_dialog_press_import (dialog);
  g_assert_cmpstr (tc_import_dialog_get_state (dialog), ==, "setup");
  g_assert_false (tc_import_dialog_can_import (dialog));
  g_assert_null (tc_session_get_dataset (f->session));
  tc_import_dialog_press_cancel (dialog);
  wait_for (has_no_dialog, f->page, "the assistant to close");
}

/* Week numbers instead of dates: the assistant asks for the date of
 * week 1, refuses a non-date, and the import starts there. */
static void
test_period_start (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "wide-stub.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcDataset *ds;
  g_autoptr(GDateTime) first = NULL;

  g_assert_nonnull (tc_import_dialog_get_start (dialog));
  g_assert_nonnull (strstr (tc_import_dialog_get_report (dialog)->date_format, "2000-01-03"));
  /* Not a date: the row says so and nothing is re-read. */
  tc_import_dialog_set_start (dialog, "not a date");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                    TC_TYPE_IMPORT_DIALOG,
                                                                                    "start_row")),
                                           "error"));
  g_assert_false (tc_import_dialog_is_busy (dialog));
  tc_import_dialog_set_start (dialog, "1989-09-14");
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_nonnull (strstr (tc_import_dialog_get_report (dialog)->date_format, "1989-09-14"));
  import_and_wait (f, dialog);
  ds = tc_session_get_dataset (f->session);
  first = g_date_time_new_from_unix_utc (ds->times[0]);
  g_assert_cmpint (g_date_time_get_year (first), ==, 1989);
  g_assert_cmpint (g_date_time_get_month (first), ==, 9);
  g_assert_cmpint (g_date_time_get_day_of_month (first), ==, 14);
}

/* Issue 18, items 5 and 6, on Dominick's layout: sale signs (NSALE) are
 * planned promotions, log prices (LPRICE, partly negative) are said to be
 * logarithms, and the week numbers get the real start date the user
 * types in. */
static void
test_dominicks_roles (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", "dominicks-stub.csv", NULL);
  TcImportDialog *dialog = open_and_wait (f, path);
  const TcImportReport *report = tc_import_dialog_get_report (dialog);
  const TcDataset *ds;
  gboolean warned = FALSE;
  int nsale = -1, lprice = -1;

  for (guint i = 0; i < report->warnings->len; i++)
    warned |= strstr (report->warnings->pdata[i], "LPRICE") != NULL
              && strstr (report->warnings->pdata[i], "logarithm") != NULL;
  g_assert_true (warned);
  g_assert_nonnull (tc_import_dialog_get_start (dialog));
  tc_import_dialog_set_start (dialog, "1989-09-14");
  wait_for (dialog_idle, dialog, "the new preview");
  g_assert_true (tc_import_dialog_can_import (dialog));
  import_and_wait (f, dialog);
  ds = tc_session_get_dataset (f->session);
  g_assert_cmpuint (ds->n_series, ==, 2);
  for (guint k = 0; k < ds->n_known; k++)
    {
      if (g_str_equal (ds->known_names[k], "NSALE"))
        nsale = (int) k;
      if (g_str_equal (ds->known_names[k], "LPRICE"))
        lprice = (int) k;
    }
  g_assert_cmpint (nsale, >=, 0);
  g_assert_cmpint (lprice, >=, 0);
  g_assert_cmpint (ds->known_kinds[nsale], ==, TC_COVARIATE_PROMOTION);
  g_assert_cmpint (ds->known_kinds[lprice], ==, TC_COVARIATE_LOG_PRICE);
  {
    g_autoptr(GDateTime) first = g_date_time_new_from_unix_utc (ds->times[0]);

    g_assert_cmpint (g_date_time_get_year (first), ==, 1989);
    g_assert_cmpint (g_date_time_get_day_of_month (first), ==, 14);
  }
}

/* The place comes from the error's structured location
 * (tc_set_error_at), never from its English text; the message stays
 * as the command line prints it. */
static void
test_describe_message (void)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) plain = NULL;
  g_autofree char *loc1 = NULL, *loc2 = NULL, *loc3 = NULL, *loc4 = NULL;
  g_autofree char *what1 = NULL, *what2 = NULL, *what3 = NULL, *what4 = NULL;

  tc_set_error_at (&e1, TC_ERROR_PARSE, "s.csv", 12, 3, "units", "found “%s”, expected a number", "x");
  tc_set_error_at (&e2, TC_ERROR_PARSE, "s.csv", 3, 0, NULL, "found %u fields, expected %u", 2, 3);
  tc_set_error_at (&e3, TC_ERROR_EMPTY, "s.csv", 0, 0, NULL, "found an empty file");
  /* A message that merely looks like one with a place has none. */
  plain = g_error_new_literal (TC_ERROR, TC_ERROR_FAILED, "s.csv:7: column 2 “x”: found a problem");
  g_assert_cmpstr (e1->message, ==, "s.csv:12: column 3 “units”: found “x”, expected a number");
  g_assert_cmpstr (e2->message, ==, "s.csv:3: found 2 fields, expected 3");
  g_assert_cmpstr (e3->message, ==, "s.csv: found an empty file");

  what1 = tc_import_describe_message (e1->message, tc_error_get_location (e1), &loc1);
  what2 = tc_import_describe_message (e2->message, tc_error_get_location (e2), &loc2);
  what3 = tc_import_describe_message (e3->message, tc_error_get_location (e3), &loc3);
  what4 = tc_import_describe_message (plain->message, tc_error_get_location (plain), &loc4);
  g_assert_cmpstr (loc1, ==, "Line 12, column 3 “units”");
  g_assert_cmpstr (what1, ==, "Found “x”, expected a number.");
  g_assert_cmpstr (loc2, ==, "Line 3");
  g_assert_cmpstr (what2, ==, "Found 2 fields, expected 3.");
  g_assert_null (loc3);
  g_assert_cmpstr (what3, ==, "Found an empty file.");
  g_assert_null (loc4);
  g_assert_cmpstr (what4, ==, "S.csv:7: column 2 “x”: found a problem.");

  /* The place survives a copy and a prefix. */
  {
    g_autoptr (GError) copy = g_error_copy (e1);

    g_prefix_error (&copy, "while importing: ");
    g_assert_cmpuint (tc_error_get_location (copy)->line, ==, 12);
    g_assert_cmpstr (tc_error_get_location (copy)->column_name, ==, "units");
  }
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the suite under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/app/data-page/no-display", test_no_display);
      return g_test_run ();
    }

  app = tc_test_app_new ();

  g_test_add_func ("/app/data-page/describe-message", test_describe_message);
  g_test_add ("/app/data-page/import-sample", Fixture, NULL, fixture_set_up, test_import_sample,
              fixture_tear_down);
  g_test_add ("/app/data-page/market-news", Fixture, NULL, fixture_set_up, test_market_news,
              fixture_tear_down);
  g_test_add ("/app/data-page/choose-series-column", Fixture, NULL, fixture_set_up,
              test_choose_series_column, fixture_tear_down);
  g_test_add ("/app/data-page/role-problem", Fixture, NULL, fixture_set_up, test_role_problem,
              fixture_tear_down);
  g_test_add ("/app/data-page/ragged-rows", Fixture, NULL, fixture_set_up, test_ragged_rows,
              fixture_tear_down);
  g_test_add ("/app/data-page/broken-quote", Fixture, NULL, fixture_set_up, test_broken_quote,
              fixture_tear_down);
  g_test_add ("/app/data-page/dominicks-roles", Fixture, NULL, fixture_set_up, test_dominicks_roles,
              fixture_tear_down);
  g_test_add ("/app/data-page/period-start", Fixture, NULL, fixture_set_up, test_period_start,
              fixture_tear_down);
  g_test_add ("/app/data-page/bad-value", Fixture, NULL, fixture_set_up, test_bad_value,
              fixture_tear_down);
  g_test_add ("/app/data-page/cancel-import", Fixture, NULL, fixture_set_up, test_cancel_import,
              fixture_tear_down);
  g_test_add ("/app/data-page/unreadable", Fixture, NULL, fixture_set_up, test_unreadable,
              fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&app);

  return ret;
}
