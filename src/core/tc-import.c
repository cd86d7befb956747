/* tc-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-tsan.h"
#include "tc-import.h"

/* Rows kept as text to decide the column types before streaming. */
#define SAMPLE_ROWS   2000
#define SAMPLE_BYTES  (16u << 20)
#define MAX_SKIPPED_REASONS 10
#define MAX_DUPLICATES_LISTED 5
/* The grid holds (1 + known + observed) doubles per series and date.
 * Above MAX_CELLS (2 GB of doubles; the M5 data with three covariates
 * needs 240 M) the file is refused; above SPARSE_CELLS its rows must
 * also give a value for at least one cell in SPARSE_RATIO: a 20 kB file of 700
 * series with one date typed 9999 asked for 16 GB and a minute. */
#define MAX_CELLS     ((gsize) 1 << 28)
#define SPARSE_CELLS  ((gsize) 1 << 24)
#define SPARSE_RATIO  1000

static GQuark
tc_import_stop_quark (void)
{
  return g_quark_from_static_string ("tc-import-stop-quark");
}

typedef enum
{
  VAR_NONE = 0,
  VAR_TARGET,
  VAR_KNOWN,
  VAR_OBSERVED,
} VarKind;

/* What happens to one file column. */
typedef struct
{
  int      slot;        /* value slot in a kept row, -1 = none */
  VarKind  var;
  guint    var_index;   /* known or observed index */
  int      series;      /* wide: fixed series; -1 = from the row; -2 = every series */
  int      static_idx;  /* -1 = not static */
} ColPlan;

typedef struct
{
  VarKind var;
  guint   var_index;
  int     series;
} SlotMap;

typedef struct
{
  const TcImportOptions *opts;
  TcImportReport *report;
  const char     *base;
  char            delim;

  guint           n_cols;
  char          **names;        /* (n_cols) */
  TcColumnInfo  **cols;         /* (n_cols) borrowed from report->columns */

  gboolean        sampling;
  GPtrArray      *sample;       /* (element-type GStrv) data rows */
  GArray         *sample_lines; /* guint64 */
  gsize           sample_bytes;
  guint64         max_rows;     /* 0 = all; the preview stops early */
  gboolean        preview;

  /* The plan. */
  gboolean        wide_b;       /* a row per series, no dates */
  int             date_col;
  gboolean        date_is_period;
  GArray         *id_cols;      /* guint */
  int             text_col;
  ColPlan        *plan;         /* (n_cols) */
  guint           n_slots;
  SlotMap        *slots;        /* (n_slots) */
  guint           n_known, n_observed, n_static;
  GPtrArray      *known_names, *observed_names, *static_names;
  GArray         *known_kinds;
  /* Known covariates given as names ("double_11", "双十一", empty):
   * cells hold a level code (0 = none) until the grid is built, then
   * each level becomes its own 0/1 covariate "holiday=double_11". */
  GHashTable    **cat_ht;       /* (n_cols) name -> code, NULL for other columns */
  GPtrArray     **cat_levels;   /* (n_cols) level names by code - 1 */
  char           *target_name;
  GPtrArray      *wide_series;  /* wide (a): fixed series names */

  /* Kept rows. */
  GStringChunk   *strings;
  GHashTable     *series_ht;    /* key -> index + 1 */
  GPtrArray      *series_keys;
  GHashTable     *date_ht;
  GPtrArray      *date_strs;
  GArray         *date_lines;   /* guint64, first occurrence */
  GArray         *r_series;     /* guint32 */
  GArray         *r_date;       /* guint32 */
  GArray         *r_line;       /* guint64 */
  GArray         *r_vals;       /* double (n_rows, n_slots); wide_b: concatenated rows */
  GArray         *r_len;        /* wide_b: guint32 values per row */
  GPtrArray      *r_text;
  GPtrArray      *static_vals;  /* (n_series, n_static) char* in strings */
  guint64         static_conflicts;
  char           *static_conflict_msg;
  GString        *key;
  double         *tmp;          /* (n_slots) */
  guint32         last_series;
  char           *last_key;
  guint32         last_date;
  char           *last_date_str;
  GArray         *next_date;    /* guint32 per date: the date that followed it last time */
  guint64         file_size;
  guint64         n_kept;       /* rows in r_*; the arrays are over-allocated */
  guint64         cap_kept;
} Ctx;

static void
ctx_clear (Ctx *c)
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
}

static void
column_info_free (gpointer p)
{
  TcColumnInfo *ci = p;

  g_free (ci->name);
  g_free (ci->format);
  g_free (ci);
}

static TcImportReport *
report_new (const char *path)
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
  g_free (r->date_format);
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

static void G_GNUC_PRINTF (2, 3)
warn (Ctx *c, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_ptr_array_add (c->report->warnings, g_strdup_vprintf (fmt, ap));
  va_end (ap);
  g_ptr_array_add (c->report->warning_locations, NULL);
}

/* A warning about column @column (1-based) called @name: the message
 * says "column N “NAME”: …", and the place is kept apart too. */
static void G_GNUC_PRINTF (4, 5)
warn_at (Ctx *c, guint column, const char *name, const char *fmt, ...)
{
  TcErrorLocation *loc = g_new0 (TcErrorLocation, 1);
  va_list ap;

  va_start (ap, fmt);
  loc->detail = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  loc->column = column;
  loc->column_name = g_strdup (name);
  g_ptr_array_add (c->report->warnings,
                   name ? g_strdup_printf ("column %u “%s”: %s", column, name, loc->detail)
                        : g_strdup_printf ("column %u: %s", column, loc->detail));
  g_ptr_array_add (c->report->warning_locations, loc);
}

/* Cuts a cell for an error message. */
static char *
shorten (const char *s, gsize len)
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

/* ---- header and sample ---- */

static gboolean
take_header (Ctx *c, const char *const *fields, const guint *lens, guint n, guint64 line, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  c->n_cols = n;
  c->names = g_new0 (char *, n + 1);
  c->cols = g_new0 (TcColumnInfo *, n);
  for (guint j = 0; j < n; j++)
    {
      g_autofree char *name = g_strstrip (g_strndup (fields[j], lens[j]));
      TcColumnInfo *ci;

      if (!g_utf8_validate (name, -1, NULL))
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, c->base, line, j + 1, NULL,
                           "found a header name that is not valid %s, expected text",
                           c->report->encoding);
          return FALSE;
        }
      if (name[0] == '\0')
        {
          g_free (name);
          name = g_strdup_printf ("column %u", j + 1);
        }
      if (g_hash_table_contains (seen, name))
        {
          char *renamed = g_strdup_printf ("%s (%u)", name, j + 1);

          warn_at (c, j + 1, NULL, "the header “%s” occurs twice; this one is called “%s”", name, renamed);
          g_free (name);
          name = renamed;
        }
      g_hash_table_add (seen, g_strdup (name));
      c->names[j] = g_strdup (name);
      ci = g_new0 (TcColumnInfo, 1);
      ci->name = g_strdup (name);
      ci->index = j;
      ci->numfmt.decimal = '.';
      g_ptr_array_add (c->report->columns, ci);
      c->cols[j] = ci;
    }
  return TRUE;
}

typedef struct
{
  guint n, nonmiss, n_num, n_int, n_bool_words, n_01, n_date, n_text_like;
  guint has_comma, has_dot, comma3;
  gsize total_len;
} ColStats;

static void
choose_number_format (Ctx *c, guint j, ColStats *st, TcNumberFormat *nf, char **desc)
{
  nf->decimal = '.';
  nf->thousands = ',';
  *desc = NULL;
  if (st->has_comma == 0)
    return;
  if (st->has_dot > 0)
    {
      /* Both appear: whichever comes last in "1.234,56" is the decimal mark. */
      for (guint i = 0; i < c->sample->len; i++)
        {
          const char *v = ((char **) c->sample->pdata[i])[j];
          const char *lc = v ? strrchr (v, ',') : NULL, *ld = v ? strrchr (v, '.') : NULL;

          if (lc && ld)
            {
              if (lc > ld)
                {
                  nf->decimal = ',';
                  nf->thousands = '.';
                  *desc = g_strdup ("decimal comma, thousands .");
                }
              else
                *desc = g_strdup ("decimal point, thousands ,");
              return;
            }
        }
      /* "1,5" and "2.5" in one column: the commas are decimal marks only if no comma has three digits after it. */
      if (st->comma3 < st->has_comma)
        {
          nf->decimal = ',';
          nf->thousands = 0;
          *desc = g_strdup ("decimal comma");
        }
      return;
    }
  if (st->comma3 < st->has_comma)
    {
      nf->decimal = ',';
      nf->thousands = '.';
      *desc = g_strdup ("decimal comma");
      return;
    }
  /* Every comma has three digits after it: 1,234 is either. */
  if (c->delim == ';' || c->delim == '\t')
    {
      nf->decimal = ',';
      nf->thousands = '.';
      *desc = g_strdup ("decimal comma");
      warn_at (c, j + 1, c->names[j], "numbers like “1,234” could use a decimal comma or a thousands separator;"
               " read as a decimal comma because the file is %s-separated", tc_csv_delimiter_name (c->delim));
    }
  else
    {
      *desc = g_strdup ("thousands ,");
      warn_at (c, j + 1, c->names[j], "numbers like “1,234” read with “,” as thousands separator");
    }
}


/* Long names that come back again and again ("Bumble Bee Solid 6.12oz")
 * are categories; free text (reviews) rarely repeats word for word. */
static gboolean
values_repeat (Ctx *c, guint j, guint64 nonmiss)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < c->sample->len; i++)
    {
      const char *v = ((char **) c->sample->pdata[i])[j];

      if (v != NULL && !tc_is_missing (v, strlen (v)))
        g_hash_table_add (seen, (gpointer) v);
    }
  return nonmiss >= 4 && g_hash_table_size (seen) * 4 <= nonmiss;
}

static void
infer_column (Ctx *c, guint j)
{
  TcColumnInfo *ci = c->cols[j];
  ColStats st = { 0 };
  g_autoptr (GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  TcNumberFormat nf;
  char *desc = NULL;
  TcColumnRole sug = tc_suggest_role (ci->name, NULL);
  gboolean numeric_name = sug == TC_ROLE_TARGET || sug == TC_ROLE_KNOWN || sug == TC_ROLE_OBSERVED;

  ci->n_negative = 0;
  for (guint i = 0; i < c->sample->len; i++)
    {
      const char *v = ((char **) c->sample->pdata[i])[j];
      gsize len;
      const char *comma;

      if (v == NULL)
        continue;
      len = strlen (v);
      st.n++;
      if (tc_is_missing (v, len))
        continue;
      st.nonmiss++;
      st.total_len += len;
      if (g_hash_table_size (distinct) < 10000)
        g_hash_table_add (distinct, (gpointer) v);
      if ((comma = strrchr (v, ',')) != NULL)
        {
          gsize k = 0;

          st.has_comma++;
          while (g_ascii_isdigit (comma[1 + k]))
            k++;
          st.comma3 += k == 3;
        }
      if (strchr (v, '.'))
        st.has_dot++;
      if (tc_parse_date (v, len, TC_DATE_ORDER_AUTO, &(gint64){ 0 }, NULL)
          || tc_parse_date (v, len, TC_DATE_ORDER_DAY_FIRST, &(gint64){ 0 }, NULL))
        st.n_date++;
      {
        double b;

        if (tc_parse_bool (v, len, TRUE, &b))
          st.n_bool_words++;
      }
      if (strchr (v, ' ') && len > 20)
        st.n_text_like++;
    }
  choose_number_format (c, j, &st, &nf, &desc);
  for (guint i = 0; i < c->sample->len; i++)
    {
      const char *v = ((char **) c->sample->pdata[i])[j];
      double x;

      if (v == NULL || tc_is_missing (v, strlen (v)))
        continue;
      if (tc_parse_number (v, strlen (v), &nf, &x))
        {
          st.n_num++;
          if (x == floor (x) && fabs (x) < 1e15 && !strchr (v, '.') && !strchr (v, ','))
            st.n_int++;
          if (x == 0 || x == 1)
            st.n_01++;
          if (x < 0)
            ci->n_negative++;
        }
    }
  ci->numfmt = nf;
  ci->n_missing = st.n - st.nonmiss;
  if (st.nonmiss == 0)
    ci->type = TC_COLUMN_EMPTY;
  else if (st.n_date == st.nonmiss || st.n_date * 10 >= st.nonmiss * 9
           || (sug == TC_ROLE_DATE && st.n_date * 2 >= st.nonmiss && st.n_date > 0))
    ci->type = TC_COLUMN_DATE;
  else if (st.n_bool_words == st.nonmiss)
    ci->type = TC_COLUMN_BOOLEAN;
  else if (st.n_num == st.nonmiss || (st.n_num * 10 >= st.nonmiss * 9)
           || (numeric_name && st.n_num * 2 >= st.nonmiss))
    {
      ci->type = TC_COLUMN_NUMBER;
      ci->format = desc;
      desc = NULL;
    }
  else if ((st.n_text_like * 2 > st.nonmiss || st.total_len > 40 * (gsize) st.nonmiss)
           && !values_repeat (c, j, st.nonmiss))
    ci->type = TC_COLUMN_TEXT;
  else
    ci->type = TC_COLUMN_CATEGORY;
  /* An all-integer column named like a period (WEEK = 1, 2, …). */
  if (ci->type == TC_COLUMN_NUMBER && st.n_int == st.nonmiss && sug == TC_ROLE_DATE)
    ci->type = TC_COLUMN_PERIOD;
  g_free (desc);
}

/* “a”, “b”, … for messages; a wide file has thousands of columns. */
static char *
column_list (Ctx *c)
{
  GString *s = g_string_new (NULL);

  for (guint j = 0; j < c->n_cols && j < 12; j++)
    g_string_append_printf (s, "%s“%s”", j ? ", " : "", c->names[j]);
  if (c->n_cols > 12)
    g_string_append_printf (s, " … (%u columns)", c->n_cols);
  return g_string_free (s, FALSE);
}

static int
find_col (Ctx *c, const char *name, GError **error)
{
  for (guint j = 0; j < c->n_cols; j++)
    if (strcmp (c->names[j], name) == 0)
      return j;
  for (guint j = 0; j < c->n_cols; j++)
    if (g_ascii_strcasecmp (c->names[j], name) == 0)
      return j;
  {
    g_autofree char *all = column_list (c);

    tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                     "found no column “%s”, expected one of %s",
                     name, all);
  }
  return -1;
}

static gboolean
is_numeric_type (TcColumnType t)
{
  return t == TC_COLUMN_NUMBER || t == TC_COLUMN_BOOLEAN || t == TC_COLUMN_PERIOD;
}

/* Splits "MOVE12" into "MOVE" and "12". */
static gboolean
split_stub (const char *name, char **stub, char **suffix)
{
  gsize n = strlen (name), k = n;

  while (k > 0 && g_ascii_isdigit (name[k - 1]))
    k--;
  if (k == n || k == 0)
    return FALSE;
  *stub = g_strndup (name, (k > 1 && (name[k - 1] == '_' || name[k - 1] == ' ')) ? k - 1 : k);
  *suffix = g_strdup (name + k);
  return TRUE;
}

static void
add_var (Ctx *c, guint j, VarKind var, TcCovariateKind kind, const char *name, int series)
{
  ColPlan *p = &c->plan[j];

  p->var = var;
  p->series = series;
  p->slot = c->n_slots++;
  if (var == VAR_KNOWN)
    {
      guint k;

      for (k = 0; k < c->known_names->len; k++)
        if (strcmp (c->known_names->pdata[k], name) == 0)
          break;
      if (k == c->known_names->len)
        {
          g_ptr_array_add (c->known_names, g_strdup (name));
          g_array_append_val (c->known_kinds, kind);
        }
      p->var_index = k;
    }
  else if (var == VAR_OBSERVED)
    {
      guint k;

      for (k = 0; k < c->observed_names->len; k++)
        if (strcmp (c->observed_names->pdata[k], name) == 0)
          break;
      if (k == c->observed_names->len)
        g_ptr_array_add (c->observed_names, g_strdup (name));
      p->var_index = k;
    }
  else if (var == VAR_TARGET && c->target_name == NULL)
    c->target_name = g_strdup (name);
}

static gboolean
in_strv (char **v, const char *name)
{
  for (guint i = 0; v && v[i]; i++)
    if (g_ascii_strcasecmp (v[i], name) == 0)
      return TRUE;
  return FALSE;
}

static void
pick_series_column (Ctx *c, TcColumnRole *role, const gboolean *user)
{
  g_autoptr (GHashTable) dates = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean repeats = FALSE;
  int best = -1;
  guint best_n = 0;

  for (guint i = 0; i < c->sample->len && !repeats; i++)
    {
      const char *d = ((char **) c->sample->pdata[i])[c->date_col];

      if (d == NULL)
        continue;
      repeats = g_hash_table_contains (dates, d);
      g_hash_table_add (dates, (gpointer) d);
    }
  if (!repeats)
    return;
  for (guint j = 0; j < c->n_cols; j++)
    {
      g_autoptr (GHashTable) pairs = NULL, values = NULL;
      gboolean unique = TRUE;

      if (user[j] || (int) j == c->date_col || c->cols[j]->type != TC_COLUMN_CATEGORY
          || (role[j] != TC_ROLE_STATIC && role[j] != TC_ROLE_IGNORE))
        continue;
      pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      values = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < c->sample->len && unique; i++)
        {
          char **row = c->sample->pdata[i];
          char *key;

          if (row[j] == NULL || row[c->date_col] == NULL)
            continue;
          key = g_strconcat (row[j], "\x1f", row[c->date_col], NULL);
          unique = !g_hash_table_contains (pairs, key);
          g_hash_table_add (pairs, key);
          g_hash_table_add (values, row[j]);
        }
      if (unique && g_hash_table_size (values) > best_n)
        {
          best = j;
          best_n = g_hash_table_size (values);
        }
    }
  if (best >= 0)
    {
      role[best] = TC_ROLE_SERIES_ID;
      warn (c, "column %d “%s” was taken as the series id: dates repeat and it tells the rows apart",
            best + 1, c->names[best]);
    }
}

/* Whether a price column's name says it holds logarithms: "LPRICE",
 * "log_price", "ln price", "logprice". */
static gboolean
name_says_log (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_auto (GStrv) parts = g_regex_split_simple ("[^a-z]+", lower, 0, 0);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "log") || g_str_equal (parts[i], "ln")
        || g_str_equal (parts[i], "lprice") || g_str_equal (parts[i], "logprice")
        || g_str_equal (parts[i], "lnprice"))
      return TRUE;
  return FALSE;
}

/* A price below zero is no money: such a column (or one named like a
 * logarithm) holds log prices.  The model reads them as log prices, a
 * price change of ×f adds log f, and no revenue is computed; the report
 * says so, because guessing wrong here makes every what-if wrong. */
static void
refine_price_kinds (Ctx *c)
{
  for (guint k = 0; k < c->known_names->len; k++)
    {
      TcCovariateKind *kind = &g_array_index (c->known_kinds, TcCovariateKind, k);
      const char *name = c->known_names->pdata[k];
      guint64 n_neg = 0;

      if (*kind != TC_COVARIATE_PRICE)
        continue;
      for (guint j = 0; j < c->n_cols; j++)
        if (c->plan[j].var == VAR_KNOWN && c->plan[j].var_index == k)
          n_neg += c->cols[j]->n_negative;
      if (n_neg == 0 && !name_says_log (name))
        continue;
      *kind = TC_COVARIATE_LOG_PRICE;
      for (guint j = 0; j < c->n_cols; j++)
        if (c->plan[j].var == VAR_KNOWN && c->plan[j].var_index == k)
          c->cols[j]->kind = TC_COVARIATE_LOG_PRICE;
      if (n_neg > 0)
        warn (c, "%s: “%s” holds negative values, so it cannot be a price in money: it is read as the "
              "logarithm of a price (a price change of ×f adds log f), and no revenue is computed from it",
              c->base, name);
      else
        warn (c, "%s: “%s” is named like the logarithm of a price: it is read as one (a price change of "
              "×f adds log f), and no revenue is computed from it",
              c->base, name);
    }
}

/* Decides the roles and the format, and lays out the kept values. */
static gboolean
make_plan (Ctx *c, GError **error)
{
  const TcImportOptions *o = c->opts;
  guint n = c->n_cols;
  TcColumnRole *role = g_newa (TcColumnRole, n);
  TcCovariateKind *kind = g_newa (TcCovariateKind, n);
  gboolean *user = g_newa (gboolean, n);
  int target = -1, ni = 0;
  gboolean user_ids = o->series_cols && o->series_cols[0];
  TcImportFormat format = o->format;

  for (guint j = 0; j < n; j++)
    infer_column (c, j);

  c->plan = g_new0 (ColPlan, n);
  c->id_cols = g_array_new (FALSE, FALSE, sizeof (guint));
  c->known_names = g_ptr_array_new_with_free_func (g_free);
  c->observed_names = g_ptr_array_new_with_free_func (g_free);
  c->static_names = g_ptr_array_new_with_free_func (g_free);
  c->known_kinds = g_array_new (FALSE, FALSE, sizeof (TcCovariateKind));
  c->date_col = -1;
  c->text_col = -1;

  /* 1. Every name the user gave must exist. */
  {
    const char *singles[] = { o->date_col, o->target_col, o->text_col };
    char **lists[] = { o->series_cols, o->known_cols, o->observed_cols, o->static_cols };

    for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
      if (singles[i] && find_col (c, singles[i], error) < 0)
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      for (guint k = 0; lists[i] && lists[i][k]; k++)
        if (find_col (c, lists[i][k], error) < 0)
          return FALSE;
  }

  /* 2. Suggestions from names, checked against the types, then overrides. */
  for (guint j = 0; j < n; j++)
    {
      TcColumnInfo *ci = c->cols[j];
      const char *nm = c->names[j];

      role[j] = tc_suggest_role (nm, &kind[j]);
      user[j] = TRUE;
      if (o->date_col && g_ascii_strcasecmp (o->date_col, nm) == 0)
        role[j] = TC_ROLE_DATE;
      else if (in_strv (o->series_cols, nm))
        role[j] = TC_ROLE_SERIES_ID;
      else if (o->target_col && g_ascii_strcasecmp (o->target_col, nm) == 0)
        role[j] = TC_ROLE_TARGET;
      else if (in_strv (o->known_cols, nm))
        {
          if (role[j] != TC_ROLE_KNOWN)
            kind[j] = TC_COVARIATE_OTHER;
          role[j] = TC_ROLE_KNOWN;
        }
      else if (in_strv (o->observed_cols, nm))
        role[j] = TC_ROLE_OBSERVED;
      else if (in_strv (o->static_cols, nm))
        role[j] = TC_ROLE_STATIC;
      else if (o->text_col && g_ascii_strcasecmp (o->text_col, nm) == 0)
        role[j] = TC_ROLE_TEXT;
      else if (in_strv (o->ignore_cols, nm))
        role[j] = TC_ROLE_IGNORE;
      else
        {
          user[j] = FALSE;
          /* A suggestion the user replaced elsewhere, or one the data contradicts. */
          if ((role[j] == TC_ROLE_DATE && (o->date_col || (ci->type != TC_COLUMN_DATE && ci->type != TC_COLUMN_PERIOD)))
              || (role[j] == TC_ROLE_TARGET && o->target_col)
              || (role[j] == TC_ROLE_TEXT && o->text_col))
            role[j] = TC_ROLE_IGNORE;
          else if (role[j] == TC_ROLE_SERIES_ID && user_ids)
            role[j] = TC_ROLE_STATIC;
          else if (role[j] == TC_ROLE_KNOWN && kind[j] == TC_COVARIATE_HOLIDAY
                   && ci->type == TC_COLUMN_CATEGORY)
            ;  /* holiday names: one 0/1 covariate per holiday */
          else if ((role[j] == TC_ROLE_KNOWN || role[j] == TC_ROLE_OBSERVED || role[j] == TC_ROLE_TARGET)
                   && !is_numeric_type (ci->type))
            role[j] = ci->type == TC_COLUMN_CATEGORY ? TC_ROLE_STATIC : TC_ROLE_IGNORE;
          /* The data outweighs the name: "review_date" holds dates, "review_score" numbers. */
          if (ci->type == TC_COLUMN_DATE && !o->date_col)
            role[j] = TC_ROLE_DATE;
          else if (role[j] == TC_ROLE_TEXT && is_numeric_type (ci->type))
            role[j] = TC_ROLE_OBSERVED;
        }
      ci->role_from_user = user[j];
    }

  /* 3. One date column: the first. */
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_DATE)
      {
        if (c->date_col < 0)
          c->date_col = j;
        else
          role[j] = c->cols[j]->type == TC_COLUMN_CATEGORY ? TC_ROLE_STATIC : TC_ROLE_IGNORE;
      }
  if (c->date_col >= 0)
    {
      TcColumnInfo *ci = c->cols[c->date_col];

      if (ci->type == TC_COLUMN_NUMBER || ci->type == TC_COLUMN_PERIOD)
        ci->type = TC_COLUMN_PERIOD;
      else if (ci->type != TC_COLUMN_DATE)
        {
          char **first = NULL;

          for (guint i = 0; i < c->sample->len && first == NULL; i++)
            {
              char **row = c->sample->pdata[i];

              if (row[c->date_col] && !tc_is_missing (row[c->date_col], strlen (row[c->date_col])))
                first = row;
            }
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, c->date_col + 1, ci->name,
                           "found values like “%s”, expected dates (YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY, YYYY-Www …) or period numbers",
                           first ? first[c->date_col] : "");
          return FALSE;
        }
      c->date_is_period = ci->type == TC_COLUMN_PERIOD;
    }

  /* 3b. No id column named as such (a "brand" or "product" column in a
   * long file): when dates repeat in the sample, the category column with
   * the most values that makes (value, date) unique is the series id. */
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_SERIES_ID)
      ni++;
  if (ni == 0 && !user_ids && c->date_col >= 0 && format != TC_FORMAT_WIDE)
    pick_series_column (c, role, user);

  /* 4. The format. */
  ni = 0;
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_SERIES_ID)
      ni++;
  if (format == TC_FORMAT_AUTO)
    {
      guint n_num_free = 0, n_target = 0;

      for (guint j = 0; j < n; j++)
        {
          if (role[j] == TC_ROLE_TARGET)
            n_target++;
          if (is_numeric_type (c->cols[j]->type) && role[j] == TC_ROLE_IGNORE)
            n_num_free++;
        }
      if (c->date_col < 0)
        {
          guint n_num = 0;

          for (guint j = 1; j < n; j++)
            n_num += is_numeric_type (c->cols[j]->type) || c->cols[j]->type == TC_COLUMN_EMPTY;
          if (n >= 3 && n_num + 1 == n && !is_numeric_type (c->cols[0]->type))
            format = TC_FORMAT_WIDE;
          else
            {
              g_autofree char *all = column_list (c);

              tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                               "found no date column among %s, expected one with dates (name it with --date-col), or a row per series (--format wide)",
                               all);
              return FALSE;
            }
        }
      else if (ni == 0 && !o->target_col && (n_target == 0 || n_num_free + n_target >= 2))
        {
          /* "date, A, B, C" or "WEEK, MOVE1, MOVE2, …": the columns are series. */
          guint stubbed = 0;

          for (guint j = 0; j < n; j++)
            {
              g_autofree char *stub = NULL, *suf = NULL;

              if ((int) j != c->date_col && is_numeric_type (c->cols[j]->type) && split_stub (c->names[j], &stub, &suf))
                stubbed++;
            }
          format = (n_target == 0 && n_num_free >= 2) || stubbed >= 2 ? TC_FORMAT_WIDE : TC_FORMAT_LONG;
        }
      else
        format = TC_FORMAT_LONG;
    }
  c->report->format = format;

  for (guint j = 0; j < n; j++)
    {
      c->plan[j].slot = -1;
      c->plan[j].static_idx = -1;
      c->plan[j].series = -1;
    }

  if (format == TC_FORMAT_WIDE && c->date_col < 0)
    {
      /* (b) A row per series: leading non-numeric columns are the id, the rest values. */
      if (is_numeric_type (c->cols[0]->type) && !user_ids)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 1, c->names[0],
                           "found numbers, expected series ids for a row per series (a column per series needs a date column)");
          return FALSE;
        }
      c->wide_b = TRUE;
      for (guint j = 0; j < n; j++)
        {
          if (role[j] == TC_ROLE_SERIES_ID || (j == 0 && c->id_cols->len == 0)
              || (c->id_cols->len == j && !is_numeric_type (c->cols[j]->type) && c->cols[j]->type != TC_COLUMN_EMPTY))
            {
              g_array_append_val (c->id_cols, j);
              role[j] = TC_ROLE_SERIES_ID;
            }
          else
            role[j] = TC_ROLE_TARGET;
        }
      c->target_name = g_strdup (o->target_col ? o->target_col : "value");
    }
  else if (format == TC_FORMAT_WIDE)
    {
      /* (a) A date column and series in columns, maybe grouped by stub:
       * MOVE1..7, LPRICE1..7 are seven series with a target and a price. */
      g_autoptr (GHashTable) stubs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GPtrArray) stub_order = g_ptr_array_new_with_free_func (g_free);
      const char *target_stub = NULL;
      guint max_group = 0;
      g_autoptr (GHashTable) suffix_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      c->wide_series = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < n; j++)
        {
          g_autofree char *stub = NULL, *suf = NULL;

          if ((int) j == c->date_col || !is_numeric_type (c->cols[j]->type) || user[j])
            continue;
          if (split_stub (c->names[j], &stub, &suf))
            {
              guint cnt = GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub)) + 1;

              if (cnt == 1)
                g_ptr_array_add (stub_order, g_strdup (stub));
              g_hash_table_replace (stubs, g_strdup (stub), GUINT_TO_POINTER (cnt));
              max_group = MAX (max_group, cnt);
            }
        }
      /* Stub groups only when there are several of them; else every column is a series. */
      if (stub_order->len < 2 || max_group < 2)
        max_group = 0;
      for (guint k = 0; k < stub_order->len && max_group; k++)
        {
          const char *s = stub_order->pdata[k];

          if (GPOINTER_TO_UINT (g_hash_table_lookup (stubs, s)) >= 2 && target_stub == NULL
              && (tc_suggest_role (s, NULL) == TC_ROLE_TARGET || (o->target_col && g_ascii_strcasecmp (s, o->target_col) == 0)))
            target_stub = s;
        }
      if (max_group && target_stub == NULL)
        for (guint k = 0; k < stub_order->len && target_stub == NULL; k++)
          if (GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub_order->pdata[k])) >= 2)
            target_stub = stub_order->pdata[k];
      if (max_group)
        c->target_name = g_strdup (target_stub);
      else
        c->target_name = g_strdup (o->target_col ? o->target_col : "value");

      for (guint j = 0; j < n; j++)
        {
          g_autofree char *stub = NULL, *suf = NULL;
          gboolean grouped;

          if ((int) j == c->date_col)
            continue;
          if (user[j] && role[j] != TC_ROLE_TARGET)
            continue;
          if (!is_numeric_type (c->cols[j]->type))
            {
              if (role[j] != TC_ROLE_STATIC)
                role[j] = TC_ROLE_IGNORE;
              if (role[j] == TC_ROLE_STATIC)
                role[j] = TC_ROLE_IGNORE;
              continue;
            }
          grouped = max_group && split_stub (c->names[j], &stub, &suf)
                    && GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub)) >= 2;
          if (grouped)
            {
              int s;
              TcCovariateKind kd;
              TcColumnRole r = tc_suggest_role (stub, &kd);

              if (!g_hash_table_contains (suffix_index, suf))
                {
                  g_hash_table_insert (suffix_index, g_strdup (suf), GINT_TO_POINTER (c->wide_series->len));
                  g_ptr_array_add (c->wide_series, g_strdup (suf));
                }
              s = GPOINTER_TO_INT (g_hash_table_lookup (suffix_index, suf));
              if (strcmp (stub, target_stub) == 0)
                {
                  role[j] = TC_ROLE_TARGET;
                  add_var (c, j, VAR_TARGET, 0, stub, s);
                }
              else if (r == TC_ROLE_KNOWN)
                {
                  role[j] = TC_ROLE_KNOWN;
                  kind[j] = kd;
                  add_var (c, j, VAR_KNOWN, kd, stub, s);
                }
              else
                {
                  role[j] = TC_ROLE_OBSERVED;
                  add_var (c, j, VAR_OBSERVED, 0, stub, s);
                }
            }
          else if (max_group)
            {
              /* FULLCUST next to MOVE1..7: one covariate shared by all series. */
              if (role[j] == TC_ROLE_KNOWN)
                add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -2);
              else
                {
                  role[j] = TC_ROLE_OBSERVED;
                  add_var (c, j, VAR_OBSERVED, 0, c->names[j], -2);
                }
            }
          else
            {
              role[j] = TC_ROLE_TARGET;
              add_var (c, j, VAR_TARGET, 0, c->target_name, c->wide_series->len);
              g_ptr_array_add (c->wide_series, g_strdup (c->names[j]));
            }
        }
      for (guint j = 0; j < n; j++)
        if ((int) j != c->date_col && c->plan[j].slot < 0)
          {
            if (role[j] == TC_ROLE_KNOWN && is_numeric_type (c->cols[j]->type))
              add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -2);
            else if (role[j] == TC_ROLE_OBSERVED && is_numeric_type (c->cols[j]->type))
              add_var (c, j, VAR_OBSERVED, 0, c->names[j], -2);
            else
              role[j] = TC_ROLE_IGNORE;
          }
      if (c->wide_series->len == 0)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           "found no numeric column besides the date, expected a column per series");
          return FALSE;
        }
    }
  else
    {
      /* Long format. */
      for (guint j = 0; j < n; j++)
        if (role[j] == TC_ROLE_TARGET)
          {
            if (target < 0)
              target = j;
            else
              role[j] = TC_ROLE_OBSERVED;
          }
      if (target < 0)
        for (guint j = 0; j < n && target < 0; j++)
          if (role[j] == TC_ROLE_IGNORE && c->cols[j]->type == TC_COLUMN_NUMBER)
            {
              target = j;
              role[j] = TC_ROLE_TARGET;
              warn (c, "no column is named like sales or units; “%s” is taken as the target", c->names[j]);
            }
      if (target < 0)
        {
          g_autofree char *all = column_list (c);

          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           "found no numeric column to forecast among %s, expected one (name it with --target-col)",
                           all);
          return FALSE;
        }
      if (!is_numeric_type (c->cols[target]->type) && c->cols[target]->type != TC_COLUMN_EMPTY)
        {
          const char *bad = NULL;
          guint64 line = 0;

          for (guint i = 0; i < c->sample->len && !bad; i++)
            {
              const char *v = ((char **) c->sample->pdata[i])[target];
              double x;

              if (v && !tc_is_missing (v, strlen (v)) && !tc_parse_number (v, strlen (v), &c->cols[target]->numfmt, &x))
                {
                  bad = v;
                  line = g_array_index (c->sample_lines, guint64, i);
                }
            }
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, line, target + 1, c->names[target],
                           "found “%s”, expected a number (the target)",
                           bad ? bad : "");
          return FALSE;
        }
      add_var (c, target, VAR_TARGET, 0, c->names[target], -1);
      for (guint j = 0; j < n; j++)
        {
          TcColumnType t = c->cols[j]->type;

          if ((int) j == target || (int) j == c->date_col)
            continue;
          switch (role[j])
            {
            case TC_ROLE_SERIES_ID:
              g_array_append_val (c->id_cols, j);
              break;
            case TC_ROLE_KNOWN:
              if (t == TC_COLUMN_CATEGORY)
                {
                  if (c->cat_ht == NULL)
                    {
                      c->cat_ht = g_new0 (GHashTable *, n);
                      c->cat_levels = g_new0 (GPtrArray *, n);
                    }
                  c->cat_ht[j] = g_hash_table_new (g_str_hash, g_str_equal);
                  c->cat_levels[j] = g_ptr_array_new ();
                  add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -1);
                  break;
                }
              G_GNUC_FALLTHROUGH;
            case TC_ROLE_OBSERVED:
              if (!is_numeric_type (t) && t != TC_COLUMN_EMPTY)
                {
                  tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, j + 1, c->names[j],
                                   "found %s values, expected numbers for a %s covariate",
                                   tc_column_type_to_string (t), role[j] == TC_ROLE_KNOWN ? "known" : "observed");
                  return FALSE;
                }
              add_var (c, j, role[j] == TC_ROLE_KNOWN ? VAR_KNOWN : VAR_OBSERVED, kind[j], c->names[j], -1);
              break;
            case TC_ROLE_TEXT:
              if (c->text_col < 0)
                c->text_col = j;
              else
                role[j] = TC_ROLE_IGNORE;
              break;
            case TC_ROLE_STATIC:
              c->plan[j].static_idx = c->static_names->len;
              g_ptr_array_add (c->static_names, g_strdup (c->names[j]));
              break;
            case TC_ROLE_IGNORE:
              if (user[j])
                break;  /* left out on purpose */
              if (t == TC_COLUMN_NUMBER || t == TC_COLUMN_BOOLEAN)
                {
                  role[j] = TC_ROLE_OBSERVED;
                  add_var (c, j, VAR_OBSERVED, 0, c->names[j], -1);
                }
              else if (t == TC_COLUMN_CATEGORY)
                {
                  role[j] = TC_ROLE_STATIC;
                  c->plan[j].static_idx = c->static_names->len;
                  g_ptr_array_add (c->static_names, g_strdup (c->names[j]));
                }
              break;
            case TC_ROLE_DATE:
            case TC_ROLE_TARGET:
            default:
              role[j] = TC_ROLE_IGNORE;
              break;
            }
        }
      if (c->date_col < 0)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           "found no date column, expected one for the long format (name it with --date-col)");
          return FALSE;
        }
    }

  for (guint j = 0; j < n; j++)
    {
      c->cols[j]->role = role[j];
      c->cols[j]->kind = role[j] == TC_ROLE_KNOWN ? kind[j] : TC_COVARIATE_OTHER;
      if (role[j] == TC_ROLE_DATE || role[j] == TC_ROLE_SERIES_ID || role[j] == TC_ROLE_STATIC
          || role[j] == TC_ROLE_TEXT || role[j] == TC_ROLE_IGNORE)
        {
          g_free (c->cols[j]->format);
          c->cols[j]->format = NULL;
        }
    }
  refine_price_kinds (c);
  c->n_known = c->known_names->len;
  c->n_observed = c->observed_names->len;
  c->n_static = c->static_names->len;
  c->slots = g_new0 (SlotMap, MAX (c->n_slots, 1));
  for (guint j = 0; j < n; j++)
    if (c->plan[j].slot >= 0)
      {
        SlotMap *m = &c->slots[c->plan[j].slot];

        m->var = c->plan[j].var;
        m->var_index = c->plan[j].var_index;
        m->series = c->plan[j].series;
      }
  c->tmp = g_new0 (double, MAX (c->n_slots, 1));
  return TRUE;
}

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
                   "found text that is not valid %s, expected one encoding for the whole file (the start of the file decides; name the encoding, e.g. GB18030 or WINDOWS-1252)",
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
                           "found more than 64 different names, expected a few holidays or events (or numbers)");
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
static void
expand_levels (Ctx *c, TcDataset *ds)
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
    g_autofree char *s = shorten (v, len);

    tc_set_error_at (error, TC_ERROR_PARSE, c->base, line, j + 1, c->names[j],
                     "found “%s”, expected a number",
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
                       "found %u fields, expected %u as in the header (a missing delimiter or an unquoted “%c” inside a value?)",
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
                           "series “%s” occurs again, expected each once (first on line %" G_GUINT64_FORMAT ")",
                           c->key->str, prev);
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
                         "found an empty date, expected a date");
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
                c->static_conflict_msg = g_strdup_printf ("line %" G_GUINT64_FORMAT ": column %u “%s” is “%s” for series “%s”, earlier “%s”; the first value is kept",
                                                          line, j + 1, c->names[j], f[j],
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
static gboolean
end_sampling (Ctx *c, GError **error)
{
  c->sampling = FALSE;
  if (!make_plan (c, error))
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

static gboolean
row_func (const char *const *f, const guint *lens, guint n, guint64 line, gpointer data, GError **error)
{
  Ctx *c = data;

  if (c->names == NULL)
    {
      if (c->preview)
        c->report->preview_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      if (c->report->preview_rows)
        g_ptr_array_add (c->report->preview_rows, dup_fields (f, lens, n));
      return take_header (c, f, lens, n, line, error);
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
          if (!end_sampling (c, error))
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

/* ---- building the grid ---- */

static gint64
period_of (TcFrequency f, gint64 t, int week_offset)
{
  gint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int y, m, d;

  switch (f)
    {
    case TC_FREQ_HOURLY:
      return t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
    case TC_FREQ_DAILY:
      return days;
    case TC_FREQ_WEEKLY:
      {
        gint64 x = days - week_offset;

        return x >= 0 ? x / 7 : -((-x + 6) / 7);
      }
    case TC_FREQ_MONTHLY:
      tc_civil_from_days (days, &y, &m, &d);
      return (gint64) y * 12 + (m - 1);
    case TC_FREQ_QUARTERLY:
      tc_civil_from_days (days, &y, &m, &d);
      return (gint64) y * 4 + (m - 1) / 3;
    case TC_FREQ_YEARLY:
      tc_civil_from_days (days, &y, &m, &d);
      return y;
    case TC_FREQ_UNKNOWN:
    default:
      return t;
    }
}

static gint64
period_start (TcFrequency f, gint64 p, int week_offset)
{
  switch (f)
    {
    case TC_FREQ_HOURLY:    return p * 3600;
    case TC_FREQ_DAILY:     return p * 86400;
    case TC_FREQ_WEEKLY:    return (p * 7 + week_offset) * 86400;
    case TC_FREQ_MONTHLY:   return tc_days_from_civil ((int) (p >= 0 ? p / 12 : (p - 11) / 12), (int) (((p % 12) + 12) % 12) + 1, 1) * 86400;
    case TC_FREQ_QUARTERLY: return tc_days_from_civil ((int) (p >= 0 ? p / 4 : (p - 3) / 4), (int) (((p % 4) + 4) % 4) * 3 + 1, 1) * 86400;
    case TC_FREQ_YEARLY:    return tc_days_from_civil ((int) p, 1, 1) * 86400;
    case TC_FREQ_UNKNOWN:
    default:                return p;
    }
}

static int
cmp_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static TcFrequency
freq_from_gap (gint64 gap)
{
  gint64 day = 86400;

  if (gap == 3600)
    return TC_FREQ_HOURLY;
  if (gap == day)
    return TC_FREQ_DAILY;
  if (gap == 7 * day)
    return TC_FREQ_WEEKLY;
  if (gap >= 28 * day && gap <= 31 * day)
    return TC_FREQ_MONTHLY;
  if (gap >= 89 * day && gap <= 92 * day)
    return TC_FREQ_QUARTERLY;
  if (gap >= 365 * day && gap <= 366 * day)
    return TC_FREQ_YEARLY;
  return TC_FREQ_UNKNOWN;
}

/* Fraction of gaps equal to the median: how regular a date reading is. */
static double
regularity (gint64 *t, guint n, gint64 *median)
{
  g_autofree gint64 *gaps = NULL;
  guint m = 0, same = 0;

  *median = 0;
  if (n < 2)
    return 0;
  qsort (t, n, sizeof (gint64), cmp_i64);
  gaps = g_new (gint64, n);
  for (guint i = 1; i < n; i++)
    if (t[i] != t[i - 1])
      gaps[m++] = t[i] - t[i - 1];
  if (m == 0)
    return 0;
  qsort (gaps, m, sizeof (gint64), cmp_i64);
  /* The lower median: with one gap in two missing, the step is the smaller. */
  *median = gaps[(m - 1) / 2];
  for (guint i = 0; i < m; i++)
    same += freq_from_gap (gaps[i]) != TC_FREQ_UNKNOWN && freq_from_gap (gaps[i]) == freq_from_gap (*median);
  return (double) same / m;
}

static gboolean
parse_start (Ctx *c, gint64 *out, GError **error)
{
  const char *s = c->opts->start ? c->opts->start : "2000-01-03";

  if (!tc_parse_date (s, strlen (s), c->opts->date_order, out, NULL))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "start date: found “%s”, expected a date like 2000-01-03", s);
      return FALSE;
    }
  return TRUE;
}

/* Resolves every distinct date string to a time. */
static gboolean
resolve_dates (Ctx *c, gint64 *times, gboolean *valid, TcFrequency *freq, GError **error)
{
  guint nd = c->date_strs->len;
  TcColumnInfo *ci = c->cols[c->date_col];
  TcDateOrder order = c->opts->date_order;
  TcDateShape shape = TC_DATE_SHAPE_NONE;
  gboolean has_time = FALSE, day_ev = FALSE, month_ev = FALSE, cjk = FALSE;
  guint64 day_line = 0, month_line = 0;

  *freq = c->opts->freq;
  if (c->date_is_period)
    {
      gint64 start, pmin = G_MAXINT64;

      if (*freq == TC_FREQ_UNKNOWN && !tc_name_suggests_freq (ci->name, freq))
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           "column %d “%s” holds period numbers, not dates: give the frequency (--freq)",
                           c->date_col + 1, ci->name);
          return FALSE;
        }
      if (!parse_start (c, &start, error))
        return FALSE;
      for (guint i = 0; i < nd; i++)
        {
          double x;
          const char *s = c->date_strs->pdata[i];

          valid[i] = tc_parse_number (s, strlen (s), &ci->numfmt, &x) && x == floor (x) && fabs (x) < 1e9;
          if (!valid[i])
            {
              if (c->opts->skip_bad_rows)
                continue;
              tc_set_error_at (error, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i), c->date_col + 1, ci->name,
                               "found “%s”, expected a whole period number",
                               s);
              return FALSE;
            }
          times[i] = (gint64) x;
          pmin = MIN (pmin, times[i]);
        }
      /* Period k becomes start + (k - first) steps. */
      for (guint i = 0; i < nd; i++)
        if (valid[i])
          times[i] = tc_frequency_advance (*freq, start, (int) (times[i] - pmin));
      ci->format = g_strdup_printf ("period number from %s", c->opts->start ? c->opts->start : "2000-01-03");
      c->report->date_format = g_strdup (ci->format);
      return TRUE;
    }

  /* Which shape, and for 05/01/2024 which order. */
  for (guint i = 0; i < nd; i++)
    {
      TcDateInfo info;
      gint64 t;
      const char *s = c->date_strs->pdata[i];

      if (tc_parse_date (s, strlen (s), TC_DATE_ORDER_AUTO, &t, &info)
          || tc_parse_date (s, strlen (s), TC_DATE_ORDER_DAY_FIRST, &t, &info))
        {
          if (shape == TC_DATE_SHAPE_NONE)
            shape = info.shape;
          has_time |= info.has_time;
          cjk |= info.cjk;
          if (info.shape == TC_DATE_SHAPE_AMBIGUOUS)
            {
              if (info.a > 12 && !day_ev)
                day_ev = TRUE, day_line = g_array_index (c->date_lines, guint64, i);
              if (info.b > 12 && !month_ev)
                month_ev = TRUE, month_line = g_array_index (c->date_lines, guint64, i);
            }
        }
    }
  if (shape == TC_DATE_SHAPE_AMBIGUOUS)
    {
      if (day_ev && month_ev)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, c->base, MAX (day_line, month_line), c->date_col + 1, ci->name,
                           "found a month-first date after a day-first one (line %" G_GUINT64_FORMAT "), expected one order in the whole column",
                           MIN (day_line, month_line));
          return FALSE;
        }
      if (day_ev)
        order = TC_DATE_ORDER_DAY_FIRST;
      else if (month_ev)
        order = TC_DATE_ORDER_MONTH_FIRST;
      else if (order == TC_DATE_ORDER_AUTO)
        {
          /* No day above 12: the reading with regular gaps wins. */
          g_autofree gint64 *tm = g_new (gint64, nd), *td = g_new (gint64, nd);
          guint k = 0;
          gint64 med_m, med_d;
          double rm, rd;

          for (guint i = 0; i < nd; i++)
            {
              const char *s = c->date_strs->pdata[i];

              if (tc_parse_date (s, strlen (s), TC_DATE_ORDER_MONTH_FIRST, &tm[k], NULL)
                  && tc_parse_date (s, strlen (s), TC_DATE_ORDER_DAY_FIRST, &td[k], NULL))
                k++;
            }
          rm = regularity (tm, k, &med_m);
          rd = regularity (td, k, &med_d);
          if (rd > rm + 0.2)
            order = TC_DATE_ORDER_DAY_FIRST;
          else
            order = TC_DATE_ORDER_MONTH_FIRST;
          warn_at (c, c->date_col + 1, ci->name, "no day above 12 tells whether “%s” is day or month first;"
                   " read as %s%s (use the day-first option to change it)",
                   (char *) c->date_strs->pdata[0],
                order == TC_DATE_ORDER_DAY_FIRST ? "day first" : "month first",
                   rd > rm + 0.2 || rm > rd + 0.2 ? ", which gives regular dates" : "");
        }
    }
  if (cjk)
    ci->format = g_strdup (shape == TC_DATE_SHAPE_YM ? "YYYY年M月" : "YYYY年M月D日");
  else
    ci->format = g_strdup (tc_date_shape_describe (shape, order, has_time));
  c->report->date_format = g_strdup (ci->format);

  for (guint i = 0; i < nd; i++)
    {
      TcDateInfo info;
      const char *s = c->date_strs->pdata[i];

      valid[i] = tc_parse_date (s, strlen (s), order == TC_DATE_ORDER_AUTO ? TC_DATE_ORDER_MONTH_FIRST : order, &times[i], &info)
                 && (info.shape == shape
                     || (shape == TC_DATE_SHAPE_DMY_DOT && info.shape == TC_DATE_SHAPE_AMBIGUOUS)
                     || (shape == TC_DATE_SHAPE_AMBIGUOUS && info.shape == TC_DATE_SHAPE_DMY_DOT));
      if (!valid[i] && !c->opts->skip_bad_rows)
        {
          g_autofree char *v = shorten (s, strlen (s));

          tc_set_error_at (error, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i), c->date_col + 1, ci->name,
                           "found “%s”, expected a date like %s",
                           v, ci->format);
          return FALSE;
        }
    }
  if (*freq == TC_FREQ_UNKNOWN)
    {
      if (shape == TC_DATE_SHAPE_WEEK)
        *freq = TC_FREQ_WEEKLY;
      else if (shape == TC_DATE_SHAPE_YM)
        *freq = TC_FREQ_MONTHLY;
      else if (shape == TC_DATE_SHAPE_QUARTER)
        *freq = TC_FREQ_QUARTERLY;
      else
        {
          g_autofree gint64 *tv = g_new (gint64, MAX (nd, 1));
          guint k = 0;
          gint64 med;

          for (guint i = 0; i < nd; i++)
            if (valid[i])
              tv[k++] = times[i];
          regularity (tv, k, &med);
          *freq = freq_from_gap (med);
          if (*freq == TC_FREQ_UNKNOWN)
            {
              if (k < 2)
                tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                                 "found a single date, expected several to tell the frequency (give it with --freq)");
              else
                tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, c->date_col + 1, ci->name,
                                 "found a typical gap of %.4g days between dates, expected an hour, a day, a week, a month, a quarter or a year (give it with --freq)",
                                 med / 86400.0);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
fill_missing (Ctx *c, TcDataset *ds, const guint8 *seen)
{
  guint64 total = 0;

  if (c->opts->missing == TC_MISSING_KEEP)
    return;
  tc_dataset_update_bounds (ds);
  for (guint s = 0; s < ds->n_series; s++)
    {
      double *y = tc_dataset_target_row (ds, s);
      guint a = ds->start[s], b = ds->end[s];
      guint last = a, r = a;   /* the last value before t, the first value at or after t */
      guint64 filled = 0;

      for (guint t = a; t < b; t++)
        {
          if (!isnan (y[t]))
            {
              last = t;
              continue;
            }
          if (seen[(gsize) s * ds->n_times + t])
            continue;
          if (c->opts->missing == TC_MISSING_ZERO)
            y[t] = 0;
          else
            {
              /* The right end is searched once per gap, not once per
               * missing date: a gap of a million dates (a stray year)
               * was quadratic.  a <= last < t < r < b hold: the bounds
               * have values. */
              if (r <= t)
                for (r = t; r < b && isnan (y[r]); r++)
                  ;
              y[t] = y[last] + (y[r] - y[last]) * (double) (t - last) / (double) (r - last);
              last = t;
            }
          filled++;
        }
      total += filled;
    }
  /* Filled values are invented data: say how many. */
  if (total > 0)
    warn (c, "%" G_GUINT64_FORMAT " dates without a row were %s (missing policy “%s”)", total,
          c->opts->missing == TC_MISSING_ZERO ? "set to zero" : "interpolated",
          c->opts->missing == TC_MISSING_ZERO ? "zero" : "interpolate");
}

static gboolean
build_grid (Ctx *c, TcDataset **out, GError **error)
{
  guint nd = c->date_strs->len, ns = c->series_keys->len;
  g_autofree gint64 *times = g_new0 (gint64, MAX (nd, 1));
  g_autofree gboolean *valid = g_new0 (gboolean, MAX (nd, 1));
  g_autofree gint64 *pidx = g_new0 (gint64, MAX (nd, 1));
  g_autofree guint8 *seen = NULL;
  TcFrequency freq;
  gint64 pmin = G_MAXINT64, pmax = G_MININT64;
  int week_offset = 0;
  guint64 n_snapped = 0, n_dup = 0, n_rows = c->r_date->len, n_bad_date_rows = 0;
  gsize n_times;
  g_autoptr (TcDataset) ds = NULL;
  GString *dups = NULL;

  if (!resolve_dates (c, times, valid, &freq, error))
    return FALSE;
  if (freq == TC_FREQ_WEEKLY)
    {
      /* Weeks start on the weekday most dates fall on. */
      guint wd_count[7] = { 0 };
      guint best = 0;

      for (guint i = 0; i < nd; i++)
        if (valid[i])
          {
            gint64 days = times[i] >= 0 ? times[i] / 86400 : -((-times[i] + 86399) / 86400);

            wd_count[((days % 7) + 7) % 7]++;
          }
      for (guint k = 1; k < 7; k++)
        if (wd_count[k] > wd_count[best])
          best = k;
      week_offset = best;
    }
  for (guint i = 0; i < nd; i++)
    if (valid[i])
      {
        pidx[i] = period_of (freq, times[i], week_offset);
        pmin = MIN (pmin, pidx[i]);
        pmax = MAX (pmax, pidx[i]);
        if (period_start (freq, pidx[i], week_offset) != times[i])
          n_snapped++;
      }
  if (pmin > pmax)
    {
      tc_set_error_at (error, TC_ERROR_EMPTY, c->base, 0, 0, NULL,
                       "found no row with a valid date, expected at least one");
      return FALSE;
    }
  n_times = pmax - pmin + 1;
  {
    /* In doubles, and computed in double: a stray date can overflow gsize. */
    double cells = (double) n_times * MAX (ns, 1) * (1 + c->n_known + c->n_observed);

    if (cells > (double) MAX_CELLS || (cells > (double) SPARSE_CELLS && (double) n_rows * MAX (c->n_slots, 1) * SPARSE_RATIO < cells))
      {
        guint lo = 0, hi = 0;

        for (guint i = 0; i < nd; i++)
          if (valid[i])
            {
              if (!valid[lo] || pidx[i] < pidx[lo])
                lo = i;
              if (!valid[hi] || pidx[i] > pidx[hi])
                hi = i;
            }
        tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                         "found dates from %s (line %" G_GUINT64_FORMAT ") to %s (line %" G_GUINT64_FORMAT "): %" G_GSIZE_FORMAT " %s steps for %u series and %" G_GUINT64_FORMAT " rows would need %.0f MB, expected %s (a stray date, or the wrong frequency?)",
                         (char *) c->date_strs->pdata[lo], g_array_index (c->date_lines, guint64, lo), (char *) c->date_strs->pdata[hi], g_array_index (c->date_lines, guint64, hi), n_times, tc_frequency_to_string (freq), ns, n_rows, cells * sizeof (double) / 1e6, cells > (double) MAX_CELLS ? "at most 2 GB" : "a value for at least one cell in 1000");
        return FALSE;
      }
  }
  if (n_snapped > 0)
    warn (c, "%" G_GUINT64_FORMAT " distinct dates are not at the start of their %s period and were placed in it",
          n_snapped, tc_frequency_to_string (freq));

  ds = tc_dataset_new (freq, ns, n_times, c->n_known, c->n_observed, c->n_static, c->text_col >= 0);
  ds->source = g_strdup (c->report->path);
  {
    gint64 days = period_start (freq, pmin, week_offset) / 86400;

    ds->week_start = (int) (((days + 3) % 7 + 7) % 7) + 1;
  }
  for (gsize t = 0; t < n_times; t++)
    ds->times[t] = period_start (freq, pmin + t, week_offset);
  for (guint s = 0; s < ns; s++)
    ds->series_ids[s] = g_strdup (c->series_keys->pdata[s]);
  ds->target_name = g_strdup (c->target_name);
  for (guint k = 0; k < c->n_known; k++)
    {
      ds->known_names[k] = g_strdup (c->known_names->pdata[k]);
      ds->known_kinds[k] = g_array_index (c->known_kinds, TcCovariateKind, k);
    }
  for (guint k = 0; k < c->n_observed; k++)
    ds->observed_names[k] = g_strdup (c->observed_names->pdata[k]);
  for (guint k = 0; k < c->n_static; k++)
    ds->static_names[k] = g_strdup (c->static_names->pdata[k]);
  for (gsize i = 0; i < (gsize) ns * c->n_static && c->static_vals->len; i++)
    ds->static_values[i] = g_strdup (c->static_vals->pdata[i]);
  if (c->text_col >= 0)
    ds->text_name = g_strdup (c->names[c->text_col]);

  seen = g_new0 (guint8, MAX ((gsize) ns * n_times, 1));
  for (guint64 r = 0; r < n_rows; r++)
    {
      guint32 di = g_array_index (c->r_date, guint32, r);
      const double *v = &g_array_index (c->r_vals, double, r * c->n_slots);
      gsize t;
      guint s0, s1;
      gboolean dup = FALSE;

      if (!valid[di])
        {
          n_bad_date_rows++;
          continue;
        }
      t = pidx[di] - pmin;
      if (c->wide_series)
        s0 = 0, s1 = ns;
      else
        s0 = g_array_index (c->r_series, guint32, r), s1 = s0 + 1;
      for (guint s = s0; s < s1; s++)
        {
          gsize cell = (gsize) s * n_times + t;

          if (seen[cell])
            dup = TRUE;
          seen[cell] = 1;
        }
      if (dup)
        {
          n_dup++;
          if (c->opts->duplicates == TC_DUPLICATES_ERROR)
            {
              if (dups == NULL)
                dups = g_string_new (NULL);
              if (n_dup <= MAX_DUPLICATES_LISTED)
                {
                  guint64 first = 0;

                  /* Find the earlier row: rare, so a scan is fine. */
                  for (guint64 q = 0; q < r; q++)
                    if (valid[g_array_index (c->r_date, guint32, q)]
                        && pidx[g_array_index (c->r_date, guint32, q)] == pidx[di]
                        && (c->wide_series || g_array_index (c->r_series, guint32, q) == s0))
                      {
                        first = g_array_index (c->r_line, guint64, q);
                        break;
                      }
                  g_string_append_printf (dups, "%s line %" G_GUINT64_FORMAT " repeats line %" G_GUINT64_FORMAT
                                          " (series “%s”, date “%s”)", n_dup > 1 ? ";" : "",
                                          g_array_index (c->r_line, guint64, r), first,
                                          c->wide_series ? "all" : (char *) c->series_keys->pdata[s0],
                                          (char *) c->date_strs->pdata[di]);
                }
              continue;
            }
        }
      for (guint j = 0; j < c->n_slots; j++)
        {
          const SlotMap *m = &c->slots[j];
          guint a = s0, b = s1;

          if (c->wide_series && m->series >= 0)
            a = m->series, b = m->series + 1;
          for (guint s = a; s < b; s++)
            {
              double *cellp;

              if (m->var == VAR_TARGET)
                cellp = &tc_dataset_target_row (ds, s)[t];
              else if (m->var == VAR_KNOWN)
                cellp = &tc_dataset_known_row (ds, m->var_index, s)[t];
              else
                cellp = &tc_dataset_observed_row (ds, m->var_index, s)[t];
              if (!dup || isnan (*cellp))
                *cellp = v[j];
              else if (m->var != VAR_KNOWN && !isnan (v[j]))
                *cellp += v[j];
            }
        }
      if (c->text_col >= 0 && c->r_text->pdata[r])
        {
          char **tp = &ds->text[(gsize) s0 * n_times + t];

          if (*tp == NULL)
            *tp = g_strdup (c->r_text->pdata[r]);
          else
            {
              char *joined = g_strconcat (*tp, "\n", (char *) c->r_text->pdata[r], NULL);

              g_free (*tp);
              *tp = joined;
            }
        }
    }
  if (dups)
    {
      tc_set_error_at (error, TC_ERROR_DUPLICATE, c->base, 0, 0, NULL,
                       "found %" G_GUINT64_FORMAT " rows for a (series, date) that already has a row, expected one row each (or sum them with the duplicates “sum” option):%s",
                       n_dup, dups->str);
      g_string_free (dups, TRUE);
      return FALSE;
    }
  if (n_dup > 0)
    warn (c, "%" G_GUINT64_FORMAT " rows repeated a (series, date) and were summed (known covariates keep the first value)", n_dup);
  if (n_bad_date_rows > 0)
    {
      c->report->n_skipped += n_bad_date_rows;
      for (guint i = 0; i < nd && c->report->skipped->len < MAX_SKIPPED_REASONS; i++)
        if (!valid[i])
          {
            g_autoptr (GError) bad = NULL;

            tc_set_error_at (&bad, TC_ERROR_PARSE, c->base, g_array_index (c->date_lines, guint64, i),
                             c->date_col + 1, c->names[c->date_col], "found “%s”, expected a date like %s",
                             (char *) c->date_strs->pdata[i],
                             c->report->date_format ? c->report->date_format : "YYYY-MM-DD");
            g_ptr_array_add (c->report->skipped, g_strdup (bad->message));
            g_ptr_array_add (c->report->skipped_locations, tc_error_location_copy (tc_error_get_location (bad)));
          }
    }
  if (c->static_conflicts > 0)
    warn (c, "%" G_GUINT64_FORMAT " rows disagree with the first value of a static attribute of their series; first: %s",
          c->static_conflicts, c->static_conflict_msg);
  fill_missing (c, ds, seen);
  expand_levels (c, ds);
  tc_dataset_update_bounds (ds);
  *out = g_steal_pointer (&ds);
  return TRUE;
}

static gboolean
build_wide_b (Ctx *c, TcDataset **out, GError **error)
{
  guint ns = c->series_keys->len, max_len = 0;
  TcFrequency freq = c->opts->freq;
  gint64 start;
  g_autoptr (TcDataset) ds = NULL;
  guint64 off = 0;

  if (freq == TC_FREQ_UNKNOWN)
    {
      tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                       "found a row per series and no dates, expected the frequency as an option (--freq)");
      return FALSE;
    }
  if (!parse_start (c, &start, error))
    return FALSE;
  for (guint s = 0; s < ns; s++)
    max_len = MAX (max_len, g_array_index (c->r_len, guint32, s));
  if (max_len == 0)
    {
      tc_set_error_at (error, TC_ERROR_EMPTY, c->base, 0, 0, NULL,
                       "found no values, expected a series per row");
      return FALSE;
    }
  ds = tc_dataset_new (freq, ns, max_len, 0, 0, 0, FALSE);
  ds->source = g_strdup (c->report->path);
  ds->target_name = g_strdup (c->target_name);
  for (guint t = 0; t < max_len; t++)
    ds->times[t] = tc_frequency_advance (freq, start, t);
  ds->week_start = (int) ((((start / 86400) + 3) % 7 + 7) % 7) + 1;
  for (guint s = 0; s < ns; s++)
    {
      guint len = g_array_index (c->r_len, guint32, s);
      guint32 sid = g_array_index (c->r_series, guint32, s);
      const double *v = &g_array_index (c->r_vals, double, off);

      ds->series_ids[sid] = g_strdup (c->series_keys->pdata[sid]);
      memcpy (tc_dataset_target_row (ds, sid), v, sizeof (double) * len);
      off += len;
    }
  if (c->opts->missing != TC_MISSING_KEEP)
    {
      g_autofree guint8 *seen = g_new0 (guint8, (gsize) ns * max_len);

      fill_missing (c, ds, seen);
    }
  tc_dataset_update_bounds (ds);
  *out = g_steal_pointer (&ds);
  return TRUE;
}

/* ---- entry points ---- */

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
  g_autoptr (TcImportReport) report = report_new (path);
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

  ok = tc_csv_reader_run (reader, row_func, &c, progress ? reader_progress : NULL, progress,
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
                       "found an empty file, expected a header and data rows");
      ok = FALSE;
    }
  if (ok && c.sampling && c.sample->len == 0)
    {
      tc_set_error_at (&local, TC_ERROR_EMPTY, c.base, 0, 0, NULL,
                       "found only a header, expected data rows after line 1");
      ok = FALSE;
    }
  if (ok && c.sampling)
    ok = end_sampling (&c, &local);
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
                       "found no usable data row (%" G_GUINT64_FORMAT " skipped), expected at least one",
                       report->n_skipped);
      ok = FALSE;
    }
  if (ok)
    ok = c.wide_b ? build_wide_b (&c, &ds, &local) : build_grid (&c, &ds, &local);

  if (!ok && local && local->domain == G_IO_ERROR && local->code == G_IO_ERROR_CANCELLED)
    {
      g_clear_error (&local);
      tc_set_error_at (&local, TC_ERROR_CANCELLED, c.base, 0, 0, NULL,
                       "import cancelled");
    }
  if (ds)
    {
      report->freq = ds->freq;
      report->n_series = ds->n_series;
      report->n_times = ds->n_times;
      report->first_time = ds->times[0];
      report->last_time = ds->times[ds->n_times - 1];
    }
  ctx_clear (&c);
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
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, r->format == TC_FORMAT_WIDE ? "wide" : "long");
  json_builder_set_member_name (b, "frequency");
  json_builder_add_string_value (b, tc_frequency_to_string (r->freq));
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
