/* tc-import-rows.c — streaming the rows: values, levels of text covariates, skipped rows
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

/* ---- rows ---- */

static guint32
intern (GHashTable *ht, GPtrArray *keys, GStringChunk *chunk, const char *s, gboolean *is_new)
{
  gpointer v;
  char *k;

  if (g_hash_table_lookup_extended (ht, s, NULL, &v))
    {
      *is_new = FALSE;
      return GPOINTER_TO_UINT (v) - 1;
    }
  k = g_string_chunk_insert (chunk, s);
  g_ptr_array_add (keys, k);
  g_hash_table_insert (ht, k, GUINT_TO_POINTER (keys->len));
  *is_new = TRUE;
  return keys->len - 1;
}

static gboolean
bad_utf8 (Ctx *c, guint64 line, guint j, GError **error)
{
  tc_set_error_at (error, TC_ERROR_ENCODING, c->base, line, j + 1, c->names[j],
                   _("found text that is not valid %s, expected one encoding for the whole file (the start of the file decides; name the encoding, e.g. GB18030 or WINDOWS-1252)"),
                   c->report->encoding);
  return FALSE;
}

static gboolean
parse_level (Ctx *c, guint j, const char *v, guint len, guint64 line, double *out, GError **error)
{
  gpointer code;
  char *name;

  /* An empty cell is a day without the event, not a missing value. */
  if (tc_is_missing (v, len))
    {
      *out = 0;
      return TRUE;
    }
  if (!g_utf8_validate (v, len, NULL))
    return bad_utf8 (c, line, j, error);
  name = g_string_chunk_insert_len (c->strings, v, len);
  if (!g_hash_table_lookup_extended (c->cat_ht[j], name, NULL, &code))
    {
      if (c->cat_levels[j]->len >= 64)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, line, j + 1, c->names[j],
                           _("found more than 64 different names, expected a few holidays or events (or numbers)"));
          return FALSE;
        }
      g_ptr_array_add (c->cat_levels[j], name);
      code = GUINT_TO_POINTER (c->cat_levels[j]->len);
      g_hash_table_insert (c->cat_ht[j], name, code);
    }
  *out = GPOINTER_TO_UINT (code);
  return TRUE;
}

static int
compare_level (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* Replaces each known covariate read as names by one 0/1 covariate per
 * name, "holiday=double_11", in sorted order so that a FUTURE file with
 * the same names lines up column for column. */
void
tc_import_expand_levels (Ctx *c, TcDataset *ds)
{
  gsize cells = (gsize) ds->n_series * ds->n_times;
  guint n_new = 0, k_new = 0;
  double *known;
  char **names;
  TcCovariateKind *kinds;

  if (c->cat_ht == NULL)
    return;
  for (guint k = 0; k < ds->n_known; k++)
    {
      int col = -1;

      for (guint j = 0; j < c->n_cols; j++)
        if (c->cat_ht[j] && c->plan[j].var == VAR_KNOWN && c->plan[j].var_index == k)
          col = j;
      n_new += col >= 0 ? c->cat_levels[col]->len : 1;
    }
  known = g_new (double, MAX (cells * n_new, 1));
  names = g_new0 (char *, n_new + 1);
  kinds = g_new0 (TcCovariateKind, MAX (n_new, 1));
  for (guint k = 0; k < ds->n_known; k++)
    {
      const double *src = ds->known + (gsize) k * cells;
      GPtrArray *levels = NULL;
      guint *rank;

      for (guint j = 0; j < c->n_cols; j++)
        if (c->cat_ht[j] && c->plan[j].var == VAR_KNOWN && c->plan[j].var_index == k)
          levels = c->cat_levels[j];
      if (levels == NULL)
        {
          memcpy (known + (gsize) k_new * cells, src, sizeof (double) * cells);
          names[k_new] = g_strdup (ds->known_names[k]);
          kinds[k_new++] = ds->known_kinds[k];
          continue;
        }
      {
        g_autoptr (GPtrArray) sorted = g_ptr_array_copy (levels, NULL, NULL);

        g_ptr_array_sort (sorted, compare_level);
        /* rank[code - 1] = position of that level in sorted order */
        rank = g_new (guint, MAX (levels->len, 1));
        for (guint l = 0; l < levels->len; l++)
          for (guint q = 0; q < sorted->len; q++)
            if (sorted->pdata[q] == levels->pdata[l])
              rank[l] = q;
        for (guint q = 0; q < sorted->len; q++)
          {
            names[k_new + q] = g_strdup_printf ("%s=%s", ds->known_names[k], (char *) sorted->pdata[q]);
            kinds[k_new + q] = ds->known_kinds[k];
          }
      }
      for (guint q = 0; q < levels->len; q++)
        {
          double *dst = known + (gsize) (k_new + q) * cells;

          for (gsize i = 0; i < cells; i++)
            dst[i] = isnan (src[i]) ? NAN : 0.0;
        }
      for (gsize i = 0; i < cells; i++)
        if (!isnan (src[i]) && src[i] >= 1)
          known[(gsize) (k_new + rank[(guint) src[i] - 1]) * cells + i] = 1.0;
      k_new += levels->len;
      g_free (rank);
    }
  for (guint k = 0; k < ds->n_known; k++)
    g_free (ds->known_names[k]);
  g_free (ds->known_names);
  g_free (ds->known_kinds);
  g_free (ds->known);
  ds->known = known;
  ds->known_names = names;
  ds->known_kinds = kinds;
  ds->n_known = n_new;
}

static gboolean
parse_value (Ctx *c, guint j, const char *v, guint len, guint64 line, double *out, GError **error)
{
  TcColumnInfo *ci = c->cols[j];

  if (G_UNLIKELY (c->cat_ht != NULL && c->cat_ht[j] != NULL))
    return parse_level (c, j, v, len, line, out, error);
  if (tc_parse_number (v, len, &ci->numfmt, out))
    return TRUE;
  if (tc_is_missing (v, len))
    {
      *out = NAN;
      ci->n_missing++;
      return TRUE;
    }
  if (tc_parse_bool (v, len, TRUE, out))
    return TRUE;
  {
    g_autofree char *s = tc_import_shorten (v, len);

    tc_set_error_at (error, TC_ERROR_PARSE, c->base, line, j + 1, c->names[j],
                     _("found “%s”, expected a number"),
                     s);
  }
  return FALSE;
}

static gboolean
process_row (Ctx *c, const char *const *f, const guint *lens, guint n, guint64 line, GError **error)
{
  guint32 series = 0, date = 0;
  gboolean is_new = FALSE;

  /* Extra empty cells at the end (Excel) carry nothing; anything else must match the header. */
  while (n > c->n_cols && lens[n - 1] == 0)
    n--;
  /* A row per series may end early, but not before its id. */
  if (n != c->n_cols && !(c->wide_b && n < c->n_cols && n >= c->id_cols->len))
    {
      tc_set_error_at (error, TC_ERROR_PARSE, c->base, line, 0, NULL,
                       _("found %u fields, expected %u as in the header (a missing delimiter or an unquoted “%c” inside a value?)"),
                       n, c->n_cols, c->delim == '\t' ? ' ' : c->delim);
      return FALSE;
    }

  if (c->wide_b)
    {
      guint first = c->id_cols->len, len = 0;
      guint64 off = c->r_vals->len;

      g_string_truncate (c->key, 0);
      for (guint k = 0; k < c->id_cols->len; k++)
        {
          if (k > 0)
            g_string_append_c (c->key, '/');
          g_string_append_len (c->key, f[k], lens[k]);
        }
      if (!g_utf8_validate (c->key->str, c->key->len, NULL))
        return bad_utf8 (c, line, 0, error);
      g_array_set_size (c->r_vals, off + (n > first ? n - first : 0));
      for (guint j = first; j < n; j++)
        {
          double *dst = &g_array_index (c->r_vals, double, off + j - first);

          if (!parse_value (c, j, f[j], lens[j], line, dst, error))
            {
              g_array_set_size (c->r_vals, off);
              return FALSE;
            }
          if (!isnan (*dst))
            len = j - first + 1;
        }
      /* Trailing empty cells are not part of the series. */
      g_array_set_size (c->r_vals, off + len);
      series = intern (c->series_ht, c->series_keys, c->strings, c->key->str, &is_new);
      if (!is_new)
        {
          guint64 prev = 0;

          for (guint i = 0; i < c->r_series->len; i++)
            if (g_array_index (c->r_series, guint32, i) == series)
              prev = g_array_index (c->r_line, guint64, i);
          g_array_set_size (c->r_vals, off);
          tc_set_error_at (error, TC_ERROR_DUPLICATE, c->base, line, 0, NULL,
                           _("series “%s” occurs again, expected each once (first on line %llu)"),
                           c->key->str, (unsigned long long) prev);
          return FALSE;
        }
      g_array_append_val (c->r_series, series);
      g_array_append_val (c->r_line, line);
      g_array_append_val (c->r_len, len);
      return TRUE;
    }

  if (G_UNLIKELY (c->n_kept == c->cap_kept))
    {
      /* Grown by hand in big steps; trimmed to n_kept when reading ends.
       * The first step is 8 MB of values, not a number of rows: a wide
       * file with 100,000 columns took 3.2 GB for its first 4096 rows. */
      c->cap_kept = MAX ((1u << 20) / MAX (c->n_slots, 1) + 16, c->cap_kept * 2);
      g_array_set_size (c->r_series, c->cap_kept);
      g_array_set_size (c->r_date, c->cap_kept);
      g_array_set_size (c->r_line, c->cap_kept);
      g_array_set_size (c->r_vals, c->cap_kept * c->n_slots);
    }
  for (guint j = 0; j < c->n_cols; j++)
    {
      int slot = c->plan[j].slot;

      if (slot >= 0 && !parse_value (c, j, f[j], lens[j], line, &c->tmp[slot], error))
        return FALSE;
    }

  /* Everything else that can refuse the row is checked before anything
   * is interned: a row that is skipped (skip_bad_rows, and always in the
   * preview) must leave no date or series behind, or the arrays kept per
   * date and per series fall out of step with them. */
  if (!g_utf8_validate (f[c->date_col], lens[c->date_col], NULL))
    return bad_utf8 (c, line, c->date_col, error);
  for (guint k = 0; c->wide_series == NULL && k < c->id_cols->len; k++)
    {
      guint j = g_array_index (c->id_cols, guint, k);

      if (!g_utf8_validate (f[j], lens[j], NULL))
        return bad_utf8 (c, line, j, error);
    }
  for (guint j = 0; c->wide_series == NULL && j < c->n_cols && c->n_static > 0; j++)
    if (c->plan[j].static_idx >= 0 && !g_utf8_validate (f[j], lens[j], NULL))
      return bad_utf8 (c, line, j, error);
  if (c->text_col >= 0 && !g_utf8_validate (f[c->text_col], lens[c->text_col], NULL))
    return bad_utf8 (c, line, c->text_col, error);

  /* The date, interned: parsed once per distinct string at the end. */
  {
    const char *d = f[c->date_col];
    guint32 guess = c->last_date_str ? g_array_index (c->next_date, guint32, c->last_date) : G_MAXUINT32;

    if (tc_is_missing (d, lens[c->date_col]))
      {
        tc_set_error_at (error, TC_ERROR_PARSE, c->base, line, c->date_col + 1, c->names[c->date_col],
                         _("found an empty date, expected a date"));
        return FALSE;
      }

    /* Files sorted by date repeat the last date; files sorted by series
     * repeat the sequence of dates: both are found without hashing. */
    if (c->last_date_str && strcmp (c->last_date_str, d) == 0)
      date = c->last_date;
    else if (guess != G_MAXUINT32 && strcmp (c->date_strs->pdata[guess], d) == 0)
      date = guess;
    else
      {
        guint32 none = G_MAXUINT32;

        date = intern (c->date_ht, c->date_strs, c->strings, d, &is_new);
        if (is_new)
          {
            g_array_append_val (c->date_lines, line);
            g_array_append_val (c->next_date, none);
          }
      }
    if (c->last_date_str && date != c->last_date)
      g_array_index (c->next_date, guint32, c->last_date) = date;
    c->last_date = date;
    c->last_date_str = c->date_strs->pdata[date];
  }

  if (c->wide_series == NULL)
    {
      const char *key;

      if (c->id_cols->len == 0)
        key = c->target_name;   /* a single series is called after what it counts */
      else if (c->id_cols->len == 1)
        key = f[g_array_index (c->id_cols, guint, 0)];
      else
        {
          g_string_truncate (c->key, 0);
          for (guint k = 0; k < c->id_cols->len; k++)
            {
              guint j = g_array_index (c->id_cols, guint, k);

              if (k > 0)
                g_string_append_c (c->key, '/');
              g_string_append_len (c->key, f[j], lens[j]);
            }
          key = c->key->str;
        }
      if (c->last_key && strcmp (c->last_key, key) == 0)
        series = c->last_series;
      else
        {
          series = intern (c->series_ht, c->series_keys, c->strings, key, &is_new);
          if (is_new)
            {
              for (guint k = 0; k < c->n_static; k++)
                g_ptr_array_add (c->static_vals, NULL);
            }
          c->last_series = series;
          c->last_key = c->series_keys->pdata[series];
        }
      for (guint j = 0; j < c->n_cols && c->n_static > 0; j++)
        {
          int si = c->plan[j].static_idx;
          char **slot;

          if (si < 0)
            continue;
          slot = (char **) &c->static_vals->pdata[(gsize) series * c->n_static + si];
          if (*slot == NULL)
            *slot = g_string_chunk_insert_const (c->strings, f[j]);
          else if (strcmp (*slot, f[j]) != 0)
            {
              if (c->static_conflicts++ == 0)
                c->static_conflict_msg = g_strdup_printf (_("line %llu: column %u “%s” is “%s” for series “%s”, earlier “%s”; the first value is kept"),
                                                          (unsigned long long) line, j + 1, c->names[j], f[j],
                                                          (char *) c->series_keys->pdata[series], *slot);
            }
        }
      ((guint32 *) c->r_series->data)[c->n_kept] = series;
    }
  if (c->text_col >= 0)
    {
      const char *t = f[c->text_col];

      g_ptr_array_add (c->r_text, tc_is_missing (t, lens[c->text_col]) ? NULL : g_strndup (t, lens[c->text_col]));
    }
  ((guint32 *) c->r_date->data)[c->n_kept] = date;
  ((guint64 *) c->r_line->data)[c->n_kept] = line;
  memcpy ((double *) c->r_vals->data + c->n_kept * c->n_slots, c->tmp, sizeof (double) * c->n_slots);
  c->n_kept++;
  return TRUE;
}

static gboolean
handle_row (Ctx *c, const char *const *f, const guint *lens, guint n, guint64 line, GError **error)
{
  GError *local = NULL;

  c->report->n_rows++;
  if (process_row (c, f, lens, n, line, &local))
    return TRUE;
  if (c->opts->skip_bad_rows && local->domain == TC_ERROR
      && (local->code == TC_ERROR_PARSE || local->code == TC_ERROR_ENCODING))
    {
      c->report->n_skipped++;
      if (c->report->skipped->len < MAX_SKIPPED_REASONS)
        {
          g_ptr_array_add (c->report->skipped, g_strdup (local->message));
          g_ptr_array_add (c->report->skipped_locations, tc_error_location_copy (tc_error_get_location (local)));
        }
      g_error_free (local);
      return TRUE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

static void
accumulators_init (Ctx *c)
{
  c->strings = g_string_chunk_new (64 * 1024);
  c->series_ht = g_hash_table_new (g_str_hash, g_str_equal);
  c->series_keys = g_ptr_array_new ();
  c->date_ht = g_hash_table_new (g_str_hash, g_str_equal);
  c->date_strs = g_ptr_array_new ();
  c->date_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  c->next_date = g_array_new (FALSE, FALSE, sizeof (guint32));
  c->r_series = g_array_new (FALSE, FALSE, sizeof (guint32));
  c->r_date = g_array_new (FALSE, FALSE, sizeof (guint32));
  c->r_line = g_array_new (FALSE, FALSE, sizeof (guint64));
  c->r_vals = g_array_new (FALSE, FALSE, sizeof (double));
  c->r_len = g_array_new (FALSE, FALSE, sizeof (guint32));
  c->r_text = g_ptr_array_new_with_free_func (g_free);
  c->static_vals = g_ptr_array_new ();
  c->key = g_string_new (NULL);
  if (c->wide_series)
    for (guint s = 0; s < c->wide_series->len; s++)
      {
        gboolean is_new;

        intern (c->series_ht, c->series_keys, c->strings, c->wide_series->pdata[s], &is_new);
      }
}

/* Types are decided on the sample; then the sample and every later row
 * go through the same checks. */
gboolean
tc_import_end_sampling (Ctx *c, GError **error)
{
  c->sampling = FALSE;
  if (!tc_import_make_plan (c, error))
    return FALSE;
  accumulators_init (c);
  /* Size the kept rows from the file size and the sample's row length,
   * so that two million rows are not copied over and over while growing. */
  if (!c->wide_b && c->sample->len > 0 && c->file_size > 0)
    {
      guint64 bytes = 0, est;

      for (guint i = 0; i < c->sample->len; i++)
        {
          char **row = c->sample->pdata[i];

          for (guint j = 0; row[j]; j++)
            bytes += strlen (row[j]) + 1;
        }
      /* The margin is rows, not bytes: 1024 rows of 100,000 columns
       * would be 800 MB. */
      est = c->file_size / MAX (bytes / c->sample->len, 1) + MIN (1024, (1u << 20) / MAX (c->n_slots, 1));
      est = MIN (est + est / 8, (guint64) 1 << 26);
      c->cap_kept = est;
      g_array_set_size (c->r_series, est);
      g_array_set_size (c->r_date, est);
      g_array_set_size (c->r_line, est);
      g_array_set_size (c->r_vals, est * c->n_slots);
    }
  for (guint i = 0; i < c->sample->len; i++)
    {
      char **row = c->sample->pdata[i];
      guint n = g_strv_length (row);
      guint *lens = g_newa (guint, n + 1);

      for (guint j = 0; j < n; j++)
        lens[j] = strlen (row[j]);
      if (!handle_row (c, (const char *const *) row, lens, n, g_array_index (c->sample_lines, guint64, i), error))
        return FALSE;
    }
  g_ptr_array_set_size (c->sample, 0);
  return TRUE;
}

static char **
dup_fields (const char *const *f, const guint *lens, guint n)
{
  char **v = g_new (char *, n + 1);

  for (guint j = 0; j < n; j++)
    v[j] = g_strndup (f[j], lens[j]);
  v[n] = NULL;
  return v;
}

gboolean
tc_import_row_func (const char *const *f, const guint *lens, guint n, guint64 line, gpointer data, GError **error)
{
  Ctx *c = data;

  if (c->names == NULL)
    {
      if (c->preview)
        c->report->preview_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      if (c->report->preview_rows)
        g_ptr_array_add (c->report->preview_rows, dup_fields (f, lens, n));
      return tc_import_take_header (c, f, lens, n, line, error);
    }
  if (c->report->preview_rows && c->report->preview_rows->len <= c->max_rows)
    g_ptr_array_add (c->report->preview_rows, dup_fields (f, lens, n));
  if (c->sampling)
    {
      char **copy = g_new (char *, c->n_cols + 1);

      /* Missing trailing cells become NULL; the row check reports them later. */
      for (guint j = 0; j < c->n_cols; j++)
        {
          copy[j] = j < n ? g_strndup (f[j], lens[j]) : NULL;
          c->sample_bytes += j < n ? lens[j] + 8 : 0;
        }
      copy[c->n_cols] = NULL;
      if (n > c->n_cols)
        {
          /* Extra fields: keep them so that the row check sees them. */
          copy = g_renew (char *, copy, n + 1);
          for (guint j = c->n_cols; j < n; j++)
            copy[j] = g_strndup (f[j], lens[j]);
          copy[n] = NULL;
        }
      g_ptr_array_add (c->sample, copy);
      g_array_append_val (c->sample_lines, line);
      if (c->sample->len >= SAMPLE_ROWS || c->sample_bytes >= SAMPLE_BYTES)
        {
          if (!tc_import_end_sampling (c, error))
            return FALSE;
        }
    }
  else if (!handle_row (c, f, lens, n, line, error))
    return FALSE;
  if (c->max_rows > 0 && c->report->n_rows + c->sample->len >= c->max_rows)
    {
      g_set_error_literal (error, tc_import_stop_quark (), 0, "enough rows");
      return FALSE;
    }
  return TRUE;
}
