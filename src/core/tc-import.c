/* tc-import.c — reading a sales CSV into a dataset: synchronous, preview, in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-import-private.h"
#include "tc-news.h"
#include "tc-tsan.h"

GQuark
tc_import_stop_quark (void)
{
  return g_quark_from_static_string ("tc-import-stop-quark");
}

void
tc_import_ctx_clear (Ctx *c)
{
  g_strfreev (c->names);
  g_free (c->cols);
  if (c->sample)
    g_ptr_array_unref (c->sample);
  if (c->sample_lines)
    g_array_unref (c->sample_lines);
  if (c->id_cols)
    g_array_unref (c->id_cols);
  g_free (c->plan);
  g_free (c->slots);
  if (c->known_names)
    g_ptr_array_unref (c->known_names);
  if (c->observed_names)
    g_ptr_array_unref (c->observed_names);
  if (c->static_names)
    g_ptr_array_unref (c->static_names);
  if (c->known_kinds)
    g_array_unref (c->known_kinds);
  for (guint j = 0; c->cat_ht && j < c->n_cols; j++)
    {
      g_clear_pointer (&c->cat_ht[j], g_hash_table_unref);
      g_clear_pointer (&c->cat_levels[j], g_ptr_array_unref);
    }
  g_free (c->cat_ht);
  g_free (c->cat_levels);
  g_free (c->target_name);
  if (c->wide_series)
    g_ptr_array_unref (c->wide_series);
  if (c->strings)
    g_string_chunk_free (c->strings);
  if (c->series_ht)
    g_hash_table_unref (c->series_ht);
  if (c->series_keys)
    g_ptr_array_unref (c->series_keys);
  if (c->date_ht)
    g_hash_table_unref (c->date_ht);
  if (c->date_strs)
    g_ptr_array_unref (c->date_strs);
  if (c->date_lines)
    g_array_unref (c->date_lines);
  if (c->next_date)
    g_array_unref (c->next_date);
  if (c->r_series)
    g_array_unref (c->r_series);
  if (c->r_date)
    g_array_unref (c->r_date);
  if (c->r_line)
    g_array_unref (c->r_line);
  if (c->r_vals)
    g_array_unref (c->r_vals);
  if (c->r_len)
    g_array_unref (c->r_len);
  if (c->r_text)
    g_ptr_array_unref (c->r_text);
  if (c->static_vals)
    g_ptr_array_unref (c->static_vals);
  g_free (c->static_conflict_msg);
  if (c->key)
    g_string_free (c->key, TRUE);
  g_free (c->tmp);
}

/* ---- entry points ---- */

gboolean
tc_import_join_news (const TcImportOptions *opts, TcDataset *ds, TcImportReport *report, GError **error)
{
  g_autoptr (TcNews) news = tc_news_read (opts->news_path, opts->news_date_col, opts->news_text_col,
                                          opts->news_category_col, opts->date_order, error);
  TcNewsJoin join = { 0 };

  if (news == NULL || !tc_news_join (news, ds, &join, error))
    return FALSE;
  report->news_items = news->n_items;
  report->news_joined = join.n_joined;
  report->news_first = news->first_time;
  report->news_last = news->last_time;
  g_free (report->news_matched_by);
  report->news_matched_by = g_strdup (join.matched_by);
  if (join.n_before > 0)
    {
      g_ptr_array_add (report->warnings,
                       g_strdup_printf (ngettext ("%u headline of %s dated before the data's first date left out",
                                                  "%u headlines of %s dated before the data's first date left out",
                                                  join.n_before),
                                        join.n_before, news->file));
      g_ptr_array_add (report->warning_locations, NULL);
    }
  if (join.n_after > 0)
    {
      g_ptr_array_add (report->warnings,
                       g_strdup_printf (ngettext ("%u headline of %s dated after the data's last period left out",
                                                  "%u headlines of %s dated after the data's last period left out",
                                                  join.n_after),
                                        join.n_after, news->file));
      g_ptr_array_add (report->warning_locations, NULL);
    }
  if (join.n_unmatched > 0)
    {
      g_ptr_array_add (report->warnings,
                       g_strdup_printf (ngettext ("%u headline of %s left out: no series has its category in “%s”",
                                                  "%u headlines of %s left out: no series has their category in “%s”",
                                                  join.n_unmatched),
                                        join.n_unmatched, news->file, join.matched_by));
      g_ptr_array_add (report->warning_locations, NULL);
    }
  if (news->category_col && join.matched_by == NULL)
    {
      g_ptr_array_add (report->warnings,
                       g_strdup_printf (_("No column of the data holds the categories of %s (“%s”): every headline reaches every series"),
                                        news->file, news->category_col));
      g_ptr_array_add (report->warning_locations, NULL);
    }
  tc_news_join_clear (&join);
  return TRUE;
}

typedef struct
{
  TcImportProgressFunc func;
  gpointer             data;
  GMainContext        *context;
  double               last;
} Progress;

typedef struct
{
  TcImportProgressFunc func;
  gpointer             data;
  double               fraction;
} ProgressCall;

static gboolean
progress_dispatch (gpointer p)
{
  ProgressCall *call = p;

  TC_TSAN_ACQUIRE (call);
  call->func (call->fraction, call->data);
  return G_SOURCE_REMOVE;
}

static void
reader_progress (guint64 done, guint64 total, gpointer data)
{
  Progress *p = data;
  double f = total > 0 ? MIN (1.0, (double) done / total) : 1.0;
  ProgressCall *call;

  if (p->func == NULL || (f - p->last < 0.01 && f < 1.0))
    return;
  p->last = f;
  if (p->context == NULL)
    {
      p->func (f, p->data);
      return;
    }
  call = g_new (ProgressCall, 1);
  call->func = p->func;
  call->data = p->data;
  call->fraction = f;
  TC_TSAN_RELEASE (call);
  g_main_context_invoke_full (p->context, G_PRIORITY_DEFAULT, progress_dispatch, call, g_free);
}

static TcDataset *
import_impl (const char             *path,
             const TcImportOptions  *opts,
             TcImportReport        **report_out,
             gboolean                preview,
             guint                   max_rows,
             Progress               *progress,
             GCancellable           *cancellable,
             GError                **error)
{
  TcImportOptions defaults;
  g_autoptr (TcImportReport) report = tc_import_report_new (path);
  g_autoptr (TcCsvReader) reader = NULL;
  g_autoptr (TcDataset) ds = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GError) read_error = NULL;
  Ctx c = { 0 };
  gboolean ok;

  if (opts == NULL)
    {
      tc_import_options_init (&defaults);
      opts = &defaults;
    }
  reader = tc_csv_reader_new (path, opts->encoding, opts->delimiter, error);
  if (reader == NULL)
    return NULL;
  report->encoding = g_strdup (tc_csv_reader_get_encoding (reader));
  report->has_bom = tc_csv_reader_get_has_bom (reader);
  report->sheet = g_strdup (tc_csv_reader_get_sheet (reader));
  report->delimiter = tc_csv_reader_get_delimiter (reader);

  c.opts = opts;
  c.report = report;
  c.base = tc_csv_reader_get_basename (reader);
  c.delim = report->delimiter;
  c.sampling = TRUE;
  c.sample = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  c.sample_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  c.preview = preview;
  c.max_rows = max_rows;
  c.file_size = preview ? 0 : tc_csv_reader_get_size (reader);

  ok = tc_csv_reader_run (reader, tc_import_row_func, &c, progress ? reader_progress : NULL, progress,
                          cancellable, &local);
  if (!ok && g_error_matches (local, tc_import_stop_quark (), 0))
    {
      g_clear_error (&local);
      ok = TRUE;
    }
  /* A quote that never closes, or a broken byte, ends the reading; the
   * preview still shows what came before it (the rows, their types) and
   * lists the error as a problem, so the assistant can say where it is. */
  if (!ok && preview && c.names != NULL && local->domain == TC_ERROR
      && (local->code == TC_ERROR_PARSE || local->code == TC_ERROR_ENCODING))
    read_error = g_steal_pointer (&local);
  ok = ok || read_error != NULL;
  if (ok && c.names == NULL)
    {
      tc_set_error_at (&local, TC_ERROR_EMPTY, c.base, 0, 0, NULL,
                       _("found an empty file, expected a header and data rows"));
      ok = FALSE;
    }
  if (ok && c.sampling && c.sample->len == 0)
    {
      tc_set_error_at (&local, TC_ERROR_EMPTY, c.base, 0, 0, NULL,
                       _("found only a header, expected data rows after line 1"));
      ok = FALSE;
    }
  if (ok && c.sampling)
    ok = tc_import_end_sampling (&c, &local);
  if (ok && !c.wide_b)
    {
      g_array_set_size (c.r_series, c.wide_series ? 0 : c.n_kept);
      g_array_set_size (c.r_date, c.n_kept);
      g_array_set_size (c.r_line, c.n_kept);
      g_array_set_size (c.r_vals, c.n_kept * c.n_slots);
    }
  if (ok && c.r_line->len == 0)
    {
      tc_set_error_at (&local, TC_ERROR_EMPTY, c.base, 0, 0, NULL,
                       _("found no usable data row (%llu skipped), expected at least one"),
                       (unsigned long long) report->n_skipped);
      ok = FALSE;
    }
  if (ok)
    ok = c.wide_b ? tc_import_build_wide_b (&c, &ds, &local) : tc_import_build_grid (&c, &ds, &local);

  if (!ok && local && local->domain == G_IO_ERROR && local->code == G_IO_ERROR_CANCELLED)
    {
      g_clear_error (&local);
      tc_set_error_at (&local, TC_ERROR_CANCELLED, c.base, 0, 0, NULL,
                       _("import cancelled"));
    }
  if (ds)
    {
      report->freq = ds->freq;
      report->n_series = ds->n_series;
      report->n_times = ds->n_times;
      report->first_time = ds->times[0];
      report->last_time = ds->times[ds->n_times - 1];
    }
  tc_import_ctx_clear (&c);
  if (preview)
    {
      /* The preview reports what went wrong instead of failing, unless
       * nothing could be read at all. */
      if (!ok && (report->columns->len == 0 || local->code == TC_ERROR_EMPTY))
        {
          /* Nothing before the broken place: that place is the news. */
          g_propagate_error (error, read_error != NULL ? g_steal_pointer (&read_error)
                                                       : g_steal_pointer (&local));
          return NULL;
        }
      if (read_error != NULL)
        {
          tc_import_report_add_problem (report, read_error);
          report->unreadable = TRUE;
        }
      if (!ok)
        tc_import_report_add_problem (report, local);
      for (guint i = 0; i < report->skipped->len; i++)
        {
          g_ptr_array_add (report->problems, g_strdup (report->skipped->pdata[i]));
          g_ptr_array_add (report->problem_locations, tc_error_location_copy (report->skipped_locations->pdata[i]));
        }
      if (report_out)
        *report_out = g_steal_pointer (&report);
      return g_steal_pointer (&ds);
    }
  if (ok && opts->news_path != NULL && !tc_import_join_news (opts, ds, report, &local))
    {
      if (opts->news_optional && !g_error_matches (local, TC_ERROR, TC_ERROR_CANCELLED))
        /* The data without the news, and why. */
        report->news_error = g_steal_pointer (&local);
      else
        ok = FALSE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (report_out)
    *report_out = g_steal_pointer (&report);
  return g_steal_pointer (&ds);
}

TcDataset *
tc_import_file (const char             *path,
                const TcImportOptions  *opts,
                TcImportReport        **report,
                GCancellable           *cancellable,
                GError                **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return import_impl (path, opts, report, FALSE, 0, NULL, cancellable, error);
}

TcImportReport *
tc_import_preview (const char             *path,
                   const TcImportOptions  *opts,
                   guint                   max_rows,
                   GError                **error)
{
  TcImportOptions o;
  TcImportReport *report = NULL;
  g_autoptr (TcDataset) ds = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  if (opts)
    o = *opts;
  else
    tc_import_options_init (&o);
  /* Every problem of the sample is listed rather than the first one. */
  o.skip_bad_rows = TRUE;
  ds = import_impl (path, &o, &report, TRUE, MAX (max_rows, SAMPLE_ROWS), NULL, NULL, error);
  if (report && report->preview_rows && report->preview_rows->len > max_rows + 1)
    g_ptr_array_set_size (report->preview_rows, max_rows + 1);
  return report;
}

typedef struct
{
  char            *path;
  TcImportOptions  opts;
  Progress         progress;
  TcImportReport  *report;
} AsyncData;

static void
async_data_free (gpointer p)
{
  AsyncData *d = p;

  TC_TSAN_ACQUIRE (d);
  g_free (d->path);
  tc_import_options_clear (&d->opts);
  if (d->progress.context)
    g_main_context_unref (d->progress.context);
  tc_import_report_free (d->report);
  g_free (d);
}

static void
import_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AsyncData *d = task_data;
  GError *error = NULL;
  TcDataset *ds;

  /* The task data goes to this thread and back through GLib's queues,
   * and is freed by whichever thread drops the task last. */
  TC_TSAN_ACQUIRE (d);
  ds = import_impl (d->path, &d->opts, &d->report, FALSE, 0, &d->progress, cancellable, &error);
  TC_TSAN_RELEASE (d);
  if (ds == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ds, (GDestroyNotify) tc_dataset_free);
}

void
tc_import_file_async (const char             *path,
                      const TcImportOptions  *opts,
                      GCancellable           *cancellable,
                      TcImportProgressFunc    progress,
                      gpointer                progress_data,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *d = g_new0 (AsyncData, 1);

  d->path = g_strdup (path);
  if (opts)
    tc_import_options_copy (&d->opts, opts);
  else
    tc_import_options_init (&d->opts);
  d->progress.func = progress;
  d->progress.data = progress_data;
  d->progress.context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, tc_import_file_async);
  g_task_set_task_data (task, d, async_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  /* The worker reports cancellation itself, as TC_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);
  TC_TSAN_RELEASE (d);
  g_task_run_in_thread (task, import_thread);
}

TcDataset *
tc_import_file_finish (GAsyncResult    *result,
                       TcImportReport **report,
                       GError         **error)
{
  GTask *task = G_TASK (result);
  AsyncData *d = g_task_get_task_data (task);
  TcDataset *ds;

  TC_TSAN_ACQUIRE (d);
  ds = g_task_propagate_pointer (task, error);

  if (ds && report)
    *report = g_steal_pointer (&d->report);
  TC_TSAN_RELEASE (d);
  return ds;
}
