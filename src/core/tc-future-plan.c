/* tc-future-plan.c — planned promotions and prices for the forecast dates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-future-plan"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-infer.h"
#include "tc-future-plan.h"

/* The longest gap between the end of the data and a plan date we look
 * through; a plan years past the data is a mistake, not a plan. */
#define MAX_STEPS_AHEAD 100000

typedef struct
{
  const TcDataset       *ds;
  const TcImportReport  *report;
  const TcImportOptions *opts;
  const char            *base;
  GHashTable            *series;     /* id -> index + 1 */
  gboolean               have_header;
  int                    date_col;
  GArray                *id_cols;    /* int */
  int                   *known_cols; /* (n_known) or -1 */
  char                 **known_levels; /* (n_known) "double_11" for a one-hot "holiday=double_11", or NULL */
  GArray                *rows_t;     /* gint64 */
  GArray                *rows_s;     /* int, -1 = not in the data */
  GArray                *rows_v;     /* double (n_rows, n_known) */
  guint                  n_unknown_series;
} ReadCtx;

static int
find_header (const char *const *fields, const guint *lens, guint n, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 0; i < n; i++)
    if (lens[i] == len && g_ascii_strncasecmp (fields[i], name, len) == 0)
      return (int) i;
  return -1;
}

static gboolean
read_header (ReadCtx *c, const char *const *fields, const guint *lens, guint n, GError **error)
{
  const char *date_name = c->opts && c->opts->date_col ? c->opts->date_col : NULL;
  const TcDataset *ds = c->ds;

  c->id_cols = g_array_new (FALSE, FALSE, sizeof (int));
  /* The data's own import says which columns are the date and the ids. */
  for (guint i = 0; c->report && i < c->report->columns->len; i++)
    {
      const TcColumnInfo *ci = g_ptr_array_index (c->report->columns, i);

      if (ci->role == TC_ROLE_DATE && date_name == NULL)
        date_name = ci->name;
      else if (ci->role == TC_ROLE_SERIES_ID)
        {
          int col = find_header (fields, lens, n, ci->name);

          if (col < 0)
            {
              g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                           _("%s, line 1: there is no column “%s”; it names the series in the data"),
                           c->base, ci->name);
              return FALSE;
            }
          g_array_append_val (c->id_cols, col);
        }
    }
  c->date_col = find_header (fields, lens, n, date_name ? date_name : "date");
  if (c->date_col < 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("%s, line 1: there is no date column “%s” as in the data"),
                   c->base, date_name ? date_name : "date");
      return FALSE;
    }
  if (c->id_cols->len == 0 && ds->n_series > 1)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("%s: the data has %u series but its import does not say which column names them"),
                   c->base, ds->n_series);
      return FALSE;
    }
  c->known_cols = g_new (int, MAX (ds->n_known, 1));
  c->known_levels = g_new0 (char *, ds->n_known + 1);
  for (guint k = 0; k < ds->n_known; k++)
    {
      c->known_cols[k] = find_header (fields, lens, n, ds->known_names[k]);
      /* The importer turns a column of names ("holiday": "double_11")
       * into one 0/1 covariate per name, "holiday=double_11"; a plan
       * has the column of names. */
      for (const char *eq = strchr (ds->known_names[k], '='); c->known_cols[k] < 0 && eq; eq = strchr (eq + 1, '='))
        {
          g_autofree char *base = g_strndup (ds->known_names[k], eq - ds->known_names[k]);

          c->known_cols[k] = find_header (fields, lens, n, base);
          if (c->known_cols[k] >= 0)
            c->known_levels[k] = g_strdup (eq + 1);
        }
      if (c->known_cols[k] < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("%s, line 1: the column “%s” is missing; it is a covariate known in "
                         "advance in the data, and the forecast needs it for the planned dates"),
                       c->base, ds->known_names[k]);
          return FALSE;
        }
    }
  c->have_header = TRUE;
  return TRUE;
}

static gboolean
read_row (const char *const *fields,
          const guint       *lens,
          guint              n_fields,
          guint64            line,
          gpointer           user_data,
          GError           **error)
{
  ReadCtx *c = user_data;
  g_autoptr (GString) id = g_string_new (NULL);
  g_autofree char *date = NULL;
  gint64 t;
  int s = -1;

  if (!c->have_header)
    return read_header (c, fields, lens, n_fields, error);

  if ((guint) c->date_col >= n_fields || tc_is_missing (fields[c->date_col], lens[c->date_col]))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("%s, line %llu, column %d: the date is missing"),
                   c->base, (unsigned long long) line, c->date_col + 1);
      return FALSE;
    }
  if (!tc_parse_date (fields[c->date_col], lens[c->date_col],
                      c->opts ? c->opts->date_order : TC_DATE_ORDER_AUTO, &t, NULL))
    {
      date = g_strndup (fields[c->date_col], lens[c->date_col]);
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("%s, line %llu, column %d: found “%s”, expected a date"),
                   c->base, (unsigned long long) line, c->date_col + 1, date);
      return FALSE;
    }

  for (guint i = 0; i < c->id_cols->len; i++)
    {
      int col = g_array_index (c->id_cols, int, i);

      if (i)
        g_string_append_c (id, '/');
      if ((guint) col < n_fields)
        g_string_append_len (id, fields[col], lens[col]);
    }
  if (c->ds->n_series == 1 && c->id_cols->len == 0)
    s = 0;
  else
    s = GPOINTER_TO_INT (g_hash_table_lookup (c->series, id->str)) - 1;
  if (s < 0)
    c->n_unknown_series++;

  g_array_append_val (c->rows_t, t);
  g_array_append_val (c->rows_s, s);
  for (guint k = 0; k < c->ds->n_known; k++)
    {
      int col = c->known_cols[k];
      const TcColumnInfo *ci = c->report ? tc_import_report_find_column (c->report, c->ds->known_names[k]) : NULL;
      TcNumberFormat fmt = ci ? ci->numfmt : (TcNumberFormat) { '.', 0 };
      double v = NAN;

      if (fmt.decimal == 0)
        fmt.decimal = '.';
      if (c->known_levels[k] != NULL)
        v = (guint) col < n_fields && lens[col] == strlen (c->known_levels[k])
            && memcmp (fields[col], c->known_levels[k], lens[col]) == 0 ? 1.0 : 0.0;
      else if ((guint) col < n_fields && !tc_is_missing (fields[col], lens[col])
          && !tc_parse_number (fields[col], lens[col], &fmt, &v)
          && !tc_parse_bool (fields[col], lens[col], FALSE, &v))
        {
          g_autofree char *cell = g_strndup (fields[col], MIN (lens[col], 40));

          g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                       _("%s, line %llu, column %d (“%s”): found “%s”, expected a number"),
                       c->base, (unsigned long long) line, col + 1, c->ds->known_names[k], cell);
          return FALSE;
        }
      g_array_append_val (c->rows_v, v);
    }
  return TRUE;
}

TcDataset *
tc_future_plan_read (const char            *path,
                     const TcDataset       *ds,
                     const TcImportReport  *report,
                     const TcImportOptions *opts,
                     guint                 *n_rows_out,
                     GError               **error)
{
  g_autoptr (TcCsvReader) reader = NULL;
  g_autoptr (GHashTable) grid = NULL;
  g_autofree char *base = g_path_get_basename (path);
  ReadCtx c = { 0 };
  TcDataset *f = NULL;
  gint64 t_min = G_MAXINT64, t_max = G_MININT64, last;
  GArray *grid_t = NULL;
  guint n_rows;
  gboolean ok;

  g_return_val_if_fail (path != NULL && ds != NULL, NULL);

  reader = tc_csv_reader_new (path, opts ? opts->encoding : NULL, opts ? opts->delimiter : 0, error);
  if (reader == NULL)
    return NULL;
  c.ds = ds;
  c.report = report;
  c.opts = opts;
  c.base = base;
  c.series = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint s = 0; s < ds->n_series; s++)
    g_hash_table_insert (c.series, ds->series_ids[s], GINT_TO_POINTER (s + 1));
  c.rows_t = g_array_new (FALSE, FALSE, sizeof (gint64));
  c.rows_s = g_array_new (FALSE, FALSE, sizeof (int));
  c.rows_v = g_array_new (FALSE, FALSE, sizeof (double));

  ok = tc_csv_reader_run (reader, read_row, &c, NULL, NULL, NULL, error);
  n_rows = c.rows_t->len;
  if (ok && !c.have_header)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("%s: the file is empty"), base);
      ok = FALSE;
    }
  else if (ok && n_rows == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("%s: the file has a header but no rows"), base);
      ok = FALSE;
    }
  if (!ok)
    goto out;

  for (guint i = 0; i < n_rows; i++)
    {
      t_min = MIN (t_min, g_array_index (c.rows_t, gint64, i));
      t_max = MAX (t_max, g_array_index (c.rows_t, gint64, i));
    }

  /* The plan's dates must lie on the data's grid: before its end they
   * are dates of the data, after it whole steps of its frequency. */
  grid_t = g_array_new (FALSE, FALSE, sizeof (gint64));
  last = ds->times[ds->n_times - 1];
  if (t_min <= last)
    {
      int i0 = tc_times_find (ds->times, ds->n_times, t_min);

      for (int i = MAX (i0, 0); i0 >= 0 && (guint) i < ds->n_times; i++)
        g_array_append_val (grid_t, ds->times[i]);
    }
  else
    {
      for (int k = 1; k <= MAX_STEPS_AHEAD; k++)
        {
          gint64 t = tc_frequency_advance (ds->freq, last, k);

          if (t == t_min)
            {
              g_array_append_val (grid_t, t);
              break;
            }
          if (t > t_min)
            break;
        }
    }
  if (grid_t->len == 0)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t_min);
      g_autofree char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");

      g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("%s: the date %s is not a step of the data’s %s grid"),
                   base, d, tc_frequency_to_string (ds->freq));
      ok = FALSE;
      goto out;
    }
  while (g_array_index (grid_t, gint64, grid_t->len - 1) < t_max)
    {
      gint64 t = tc_frequency_advance (ds->freq, g_array_index (grid_t, gint64, grid_t->len - 1), 1);

      g_array_append_val (grid_t, t);
    }

  f = tc_dataset_new (ds->freq, ds->n_series, grid_t->len, ds->n_known, 0, 0, FALSE);
  f->source = g_strdup (path);
  f->week_start = ds->week_start;
  memcpy (f->times, grid_t->data, sizeof (gint64) * grid_t->len);
  for (guint s = 0; s < ds->n_series; s++)
    f->series_ids[s] = g_strdup (ds->series_ids[s]);
  for (guint k = 0; k < ds->n_known; k++)
    {
      f->known_names[k] = g_strdup (ds->known_names[k]);
      f->known_kinds[k] = ds->known_kinds[k];
    }
  for (guint i = 0; i < n_rows; i++)
    {
      gint64 t = g_array_index (c.rows_t, gint64, i);
      int s = g_array_index (c.rows_s, int, i);
      int g = tc_times_find (f->times, f->n_times, t);

      if (g < 0)
        {
          g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
          g_autofree char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");

          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("%s: the date %s is not a step of the data’s %s grid"),
                       base, d, tc_frequency_to_string (ds->freq));
          g_clear_pointer (&f, tc_dataset_free);
          ok = FALSE;
          goto out;
        }
      if (s < 0)
        continue;
      for (guint k = 0; k < ds->n_known; k++)
        {
          double v = g_array_index (c.rows_v, double, (gsize) i * ds->n_known + k);

          if (!isnan (v))
            tc_dataset_known_row (f, k, (guint) s)[g] = v;
        }
    }

out:
  if (n_rows_out)
    *n_rows_out = ok ? n_rows : 0;
  if (grid_t)
    g_array_unref (grid_t);
  g_hash_table_unref (c.series);
  if (c.id_cols)
    g_array_unref (c.id_cols);
  g_free (c.known_cols);
  /* Not g_strfreev: entries without a level are NULL in the middle. */
  for (guint k = 0; c.known_levels && k < ds->n_known; k++)
    g_free (c.known_levels[k]);
  g_free (c.known_levels);
  g_array_unref (c.rows_t);
  g_array_unref (c.rows_s);
  g_array_unref (c.rows_v);
  return ok ? f : NULL;
}

TcDataset *
tc_future_plan_resolve (TcForecaster    *fc,
                        const TcDataset *ds,
                        const TcDataset *plan,
                        guint           *n_assumed_out)
{
  return tc_future_plan_resolve_full (fc, ds, plan, TC_ORIGIN_COMMON, n_assumed_out);
}

TcDataset *
tc_future_plan_resolve_full (TcForecaster    *fc,
                             const TcDataset *ds,
                             const TcDataset *plan,
                             TcOriginMode     mode,
                             guint           *n_assumed_out)
{
  TcDataset *f = tc_forecaster_future_template_full (fc, ds, mode, FALSE);
  g_autoptr (TcDataset) filled = tc_forecaster_future_template_full (fc, ds, mode, TRUE);
  g_autofree guint *origins = tc_forecaster_series_origins (ds, mode);
  guint n_assumed = 0, first = G_MAXUINT, last = 0, H;

  /* The template runs from the earliest origin to H steps after the
   * latest; series s plans its own H dates from origins[s] - first on. */
  for (guint s = 0; s < ds->n_series; s++)
    {
      first = MIN (first, origins[s]);
      last = MAX (last, origins[s]);
    }
  if (first > last)
    first = last;
  H = f->n_times - (last - first);

  for (guint k = 0; k < f->n_known; k++)
    {
      int pk = -1;

      for (guint j = 0; plan && j < plan->n_known; j++)
        if (g_strcmp0 (plan->known_names[j], f->known_names[k]) == 0)
          pk = (int) j;
      for (guint s = 0; s < f->n_series; s++)
        {
          double *dst = tc_dataset_known_row (f, k, s);
          const double *fill = tc_dataset_known_row (filled, k, s);
          int ps = -1;

          for (guint j = 0; plan && pk >= 0 && j < plan->n_series; j++)
            if (g_strcmp0 (plan->series_ids[j], f->series_ids[s]) == 0)
              {
                ps = (int) j;
                break;
              }
          for (guint h = origins[s] - first; h < MIN (f->n_times, origins[s] - first + H); h++)
            {
              int g = ps >= 0 ? tc_times_find (plan->times, plan->n_times, f->times[h]) : -1;
              double pv = g >= 0 ? tc_dataset_known_row (plan, (guint) pk, (guint) ps)[g] : NAN;

              /* The data's own values for these dates come first, then
               * the plan, then the assumption. */
              if (!isnan (dst[h]))
                continue;
              if (!isnan (pv))
                dst[h] = pv;
              else
                {
                  dst[h] = fill[h];
                  n_assumed++;
                }
            }
        }
    }
  if (n_assumed_out)
    *n_assumed_out = n_assumed;
  return f;
}
