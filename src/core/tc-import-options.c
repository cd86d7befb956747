/* tc-import-options.c — import options, the import report and its JSON, the names of types and roles
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
#include "tc-tsan.h"

/* ---- options, report, names ---- */

void
tc_import_options_init (TcImportOptions *opts)
{
  memset (opts, 0, sizeof *opts);
}

void
tc_import_options_clear (TcImportOptions *opts)
{
  g_free (opts->date_col);
  g_strfreev (opts->series_cols);
  g_free (opts->target_col);
  g_strfreev (opts->known_cols);
  g_strfreev (opts->observed_cols);
  g_strfreev (opts->static_cols);
  g_strfreev (opts->ignore_cols);
  g_free (opts->text_col);
  g_free (opts->start);
  g_free (opts->encoding);
  g_free (opts->news_path);
  g_free (opts->news_date_col);
  g_free (opts->news_text_col);
  g_free (opts->news_category_col);
  tc_import_options_init (opts);
}

void
tc_import_options_copy (TcImportOptions       *dst,
                        const TcImportOptions *src)
{
  *dst = *src;
  dst->ignore_cols = g_strdupv (src->ignore_cols);
  dst->date_col = g_strdup (src->date_col);
  dst->series_cols = g_strdupv (src->series_cols);
  dst->target_col = g_strdup (src->target_col);
  dst->known_cols = g_strdupv (src->known_cols);
  dst->observed_cols = g_strdupv (src->observed_cols);
  dst->static_cols = g_strdupv (src->static_cols);
  dst->text_col = g_strdup (src->text_col);
  dst->start = g_strdup (src->start);
  dst->encoding = g_strdup (src->encoding);
  dst->news_path = g_strdup (src->news_path);
  dst->news_date_col = g_strdup (src->news_date_col);
  dst->news_text_col = g_strdup (src->news_text_col);
  dst->news_category_col = g_strdup (src->news_category_col);
}

static void
column_info_free (gpointer p)
{
  TcColumnInfo *ci = p;

  g_free (ci->name);
  g_free (ci->format);
  g_free (ci);
}

TcImportReport *
tc_import_report_new (const char *path)
{
  TcImportReport *r = g_new0 (TcImportReport, 1);

  r->path = g_strdup (path);
  r->columns = g_ptr_array_new_with_free_func (column_info_free);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  r->problems = g_ptr_array_new_with_free_func (g_free);
  r->skipped = g_ptr_array_new_with_free_func (g_free);
  r->warning_locations = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_error_location_free);
  r->problem_locations = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_error_location_free);
  r->skipped_locations = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_error_location_free);
  return r;
}

void
tc_import_report_add_problem (TcImportReport *report,
                              const GError   *problem)
{
  g_return_if_fail (report != NULL && problem != NULL);
  g_ptr_array_add (report->problems, g_strdup (problem->message));
  g_ptr_array_add (report->problem_locations, tc_error_location_copy (tc_error_get_location (problem)));
}

void
tc_import_report_free (TcImportReport *r)
{
  if (r == NULL)
    return;
  g_free (r->path);
  g_free (r->encoding);
  g_free (r->sheet);
  g_free (r->date_format);
  g_free (r->news_matched_by);
  g_clear_error (&r->news_error);
  g_ptr_array_unref (r->columns);
  g_ptr_array_unref (r->warnings);
  g_ptr_array_unref (r->problems);
  g_ptr_array_unref (r->skipped);
  g_ptr_array_unref (r->warning_locations);
  g_ptr_array_unref (r->problem_locations);
  g_ptr_array_unref (r->skipped_locations);
  if (r->preview_rows)
    g_ptr_array_unref (r->preview_rows);
  g_free (r);
}

const TcColumnInfo *
tc_import_report_find_column (const TcImportReport *r,
                              const char           *name)
{
  for (guint i = 0; i < r->columns->len; i++)
    {
      const TcColumnInfo *ci = r->columns->pdata[i];

      if (strcmp (ci->name, name) == 0)
        return ci;
    }
  return NULL;
}

static const char *type_names[] = { "empty", "date", "period", "number", "boolean", "category", "text" };
static const char *role_names[] = { "ignore", "date", "series-id", "target", "known", "observed", "static", "text" };
static const char *kind_names[] = { "other", "promotion", "discount", "price", "holiday", "log price" };

const char *
tc_column_type_to_string (TcColumnType t)
{
  return (guint) t < G_N_ELEMENTS (type_names) ? type_names[t] : "unknown";
}

const char *
tc_column_role_to_string (TcColumnRole r)
{
  return (guint) r < G_N_ELEMENTS (role_names) ? role_names[r] : "unknown";
}

const char *
tc_covariate_kind_to_string (TcCovariateKind k)
{
  return (guint) k < G_N_ELEMENTS (kind_names) ? kind_names[k] : "other";
}

TcColumnRole
tc_column_role_from_string (const char *s)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (s, role_names[i]) == 0)
      return (TcColumnRole) i;
  return TC_ROLE_IGNORE;
}

void G_GNUC_PRINTF (2, 3)
tc_import_warn (Ctx *c, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_ptr_array_add (c->report->warnings, g_strdup_vprintf (fmt, ap));
  va_end (ap);
  g_ptr_array_add (c->report->warning_locations, NULL);
}

/* A warning about column @column (1-based) called @name: the message
 * says "column N “NAME”: …", and the place is kept apart too. */
void G_GNUC_PRINTF (4, 5)
tc_import_warn_at (Ctx *c, guint column, const char *name, const char *fmt, ...)
{
  TcErrorLocation *loc = g_new0 (TcErrorLocation, 1);
  char *msg;
  va_list ap;

  va_start (ap, fmt);
  loc->detail = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  loc->column = column;
  loc->column_name = g_strdup (name);
  if (name != NULL)
    /* TRANSLATORS: a warning about column N called NAME; the last %s is the warning itself. */
    msg = g_strdup_printf (_("column %u “%s”: %s"), column, name, loc->detail);
  else
    /* TRANSLATORS: a warning about column N, which has no name yet; %s is the warning itself. */
    msg = g_strdup_printf (_("column %u: %s"), column, loc->detail);
  g_ptr_array_add (c->report->warnings, msg);
  g_ptr_array_add (c->report->warning_locations, loc);
}

/* Cuts a cell for an error message. */
char *
tc_import_shorten (const char *s, gsize len)
{
  g_autofree char *v = NULL;

  if (len > 40)
    {
      const char *end = g_utf8_find_prev_char (s, s + 40);

      v = g_strndup (s, end ? end - s : 40);
      return g_strdup_printf ("%s…", v);
    }
  return g_strndup (s, len);
}

/* ---- JSON ---- */

JsonNode *
tc_import_report_to_json (const TcImportReport *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  char delim[2] = { r->delimiter, 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, r->path);
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, r->encoding ? r->encoding : "");
  json_builder_set_member_name (b, "bom");
  json_builder_add_boolean_value (b, r->has_bom);
  json_builder_set_member_name (b, "delimiter");
  json_builder_add_string_value (b, delim);
  if (r->sheet != NULL)
    {
      json_builder_set_member_name (b, "sheet");
      json_builder_add_string_value (b, r->sheet);
    }
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, r->format == TC_FORMAT_WIDE ? "wide" : "long");
  json_builder_set_member_name (b, "frequency");
  json_builder_add_string_value (b, tc_frequency_to_string (r->freq));
  if (r->news_items > 0)
    {
      g_autofree char *nf = tc_frequency_format_time (TC_FREQ_DAILY, r->news_first);
      g_autofree char *nl = tc_frequency_format_time (TC_FREQ_DAILY, r->news_last);

      json_builder_set_member_name (b, "news");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "items");
      json_builder_add_int_value (b, r->news_items);
      json_builder_set_member_name (b, "joined");
      json_builder_add_int_value (b, r->news_joined);
      json_builder_set_member_name (b, "first");
      json_builder_add_string_value (b, nf);
      json_builder_set_member_name (b, "last");
      json_builder_add_string_value (b, nl);
      json_builder_set_member_name (b, "matched_by");
      if (r->news_matched_by)
        json_builder_add_string_value (b, r->news_matched_by);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "date_format");
  if (r->date_format)
    json_builder_add_string_value (b, r->date_format);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, r->n_rows);
  json_builder_set_member_name (b, "series");
  json_builder_add_int_value (b, r->n_series);
  json_builder_set_member_name (b, "times");
  json_builder_add_int_value (b, r->n_times);
  if (r->n_times > 0)
    {
      g_autofree char *a = tc_frequency_format_time (r->freq, r->first_time);
      g_autofree char *z = tc_frequency_format_time (r->freq, r->last_time);

      json_builder_set_member_name (b, "first_date");
      json_builder_add_string_value (b, a);
      json_builder_set_member_name (b, "last_date");
      json_builder_add_string_value (b, z);
    }
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->columns->len; i++)
    {
      const TcColumnInfo *ci = r->columns->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ci->name);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, ci->index);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, tc_column_type_to_string (ci->type));
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, tc_column_role_to_string (ci->role));
      if (ci->role == TC_ROLE_KNOWN)
        {
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, tc_covariate_kind_to_string (ci->kind));
        }
      if (ci->format)
        {
          json_builder_set_member_name (b, "format");
          json_builder_add_string_value (b, ci->format);
        }
      json_builder_set_member_name (b, "missing");
      json_builder_add_int_value (b, ci->n_missing);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->warnings->len; i++)
    json_builder_add_string_value (b, r->warnings->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "skipped_rows");
  json_builder_add_int_value (b, r->n_skipped);
  json_builder_set_member_name (b, "skipped");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->skipped->len; i++)
    json_builder_add_string_value (b, r->skipped->pdata[i]);
  json_builder_end_array (b);
  if (r->problems->len > 0)
    {
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->problems->len; i++)
        json_builder_add_string_value (b, r->problems->pdata[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
