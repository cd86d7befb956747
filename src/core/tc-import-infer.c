/* tc-import-infer.c — the header and the sample: number formats, column types and roles
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

/* ---- header and sample ---- */

gboolean
tc_import_take_header (Ctx *c, const char *const *fields, const guint *lens, guint n, guint64 line, GError **error)
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
                           _("found a header name that is not valid %s, expected text"),
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

          tc_import_warn_at (c, j + 1, NULL, _("the header “%s” occurs twice; this one is called “%s”"), name, renamed);
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
      tc_import_warn_at (c, j + 1, c->names[j], _("numbers like “1,234” could use a decimal comma or a thousands separator;"
                 " read as a decimal comma because the file is %s-separated"),
               g_dpgettext2 (GETTEXT_PACKAGE, "delimiter", tc_csv_delimiter_name (c->delim)));
    }
  else
    {
      *desc = g_strdup ("thousands ,");
      tc_import_warn_at (c, j + 1, c->names[j], _("numbers like “1,234” read with “,” as thousands separator"));
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

void
tc_import_infer_column (Ctx *c, guint j)
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
char *
tc_import_column_list (Ctx *c)
{
  GString *s = g_string_new (NULL);

  for (guint j = 0; j < c->n_cols && j < 12; j++)
    g_string_append_printf (s, "%s“%s”", j ? ", " : "", c->names[j]);
  if (c->n_cols > 12)
    g_string_append_printf (s, " … (%u columns)", c->n_cols);
  return g_string_free (s, FALSE);
}

int
tc_import_find_col (Ctx *c, const char *name, GError **error)
{
  for (guint j = 0; j < c->n_cols; j++)
    if (strcmp (c->names[j], name) == 0)
      return j;
  for (guint j = 0; j < c->n_cols; j++)
    if (g_ascii_strcasecmp (c->names[j], name) == 0)
      return j;
  {
    g_autofree char *all = tc_import_column_list (c);

    tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                     _("found no column “%s”, expected one of %s"),
                     name, all);
  }
  return -1;
}

gboolean
tc_import_is_numeric_type (TcColumnType t)
{
  return t == TC_COLUMN_NUMBER || t == TC_COLUMN_BOOLEAN || t == TC_COLUMN_PERIOD;
}

/* Splits "MOVE12" into "MOVE" and "12". */
gboolean
tc_import_split_stub (const char *name, char **stub, char **suffix)
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

void
tc_import_add_var (Ctx *c, guint j, VarKind var, TcCovariateKind kind, const char *name, int series)
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

gboolean
tc_import_in_strv (char **v, const char *name)
{
  for (guint i = 0; v && v[i]; i++)
    if (g_ascii_strcasecmp (v[i], name) == 0)
      return TRUE;
  return FALSE;
}

void
tc_import_pick_series_column (Ctx *c, TcColumnRole *role, const gboolean *user)
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
      tc_import_warn (c, _("column %d “%s” was taken as the series id: dates repeat and it tells the rows apart"),
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
void
tc_import_refine_price_kinds (Ctx *c)
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
        tc_import_warn (c, _("%s: “%s” holds negative values, so it cannot be a price in money: it is read as the "
                "logarithm of a price (a price change of ×f adds log f), and no revenue is computed from it"),
              c->base, name);
      else
        tc_import_warn (c, _("%s: “%s” is named like the logarithm of a price: it is read as one (a price change of "
                "×f adds log f), and no revenue is computed from it"),
              c->base, name);
    }
}

/* Decides the roles and the format, and lays out the kept values. */
