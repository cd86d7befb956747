/* tc-news.c — reading a dated news file and joining it to a dataset by period and category
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-news"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-news.h"

/* Header words, compared case-insensitively with the whole name.  The
 * main importer's role words (tc_suggest_role) decide first; these add
 * what a news export calls its columns. */
static const char *const text_words[] = {
  "headline", "headlines", "title", "news", "body", "event", "events", "summary", "description",
  "content", "text", "manchete", "título", "titulo", "notícia", "noticia", "evento",
  "标题", "新闻", "内容", "事件", "摘要", NULL,
};
static const char *const category_words[] = {
  "category", "categoria", "categoría", "segment", "group", "department", "sector", "brand", "marca",
  "类别", "品类", "类目", "分类", "品牌", NULL,
};

typedef struct
{
  const char  *want_date, *want_text, *want_category;
  const char  *base;
  guint        n_cols;
  char       **names;        /* (n_cols) header */
  int          date_col, text_col, category_col;
  gboolean     header_done;
  GPtrArray   *dates;        /* (element-type utf8) raw date cells */
  GArray      *date_lines;   /* guint64 */
  GPtrArray   *texts;
  GPtrArray   *categories;   /* NULL entries for an empty cell */
} ReadCtx;

static gboolean
word_in (const char *name, const char *const *words)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  g_strstrip (folded);
  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *w = g_utf8_casefold (words[i], -1);

      if (strcmp (folded, w) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A column named by the user: exactly, else ignoring case. */
static int
find_named (ReadCtx *c, const char *name)
{
  g_autofree char *want = g_utf8_casefold (name, -1);

  for (guint j = 0; j < c->n_cols; j++)
    if (strcmp (c->names[j], name) == 0)
      return j;
  for (guint j = 0; j < c->n_cols; j++)
    {
      g_autofree char *have = g_utf8_casefold (c->names[j], -1);

      if (strcmp (have, want) == 0)
        return j;
    }
  return -1;
}

static char *
column_list (ReadCtx *c)
{
  GString *s = g_string_new (NULL);

  for (guint j = 0; j < c->n_cols; j++)
    g_string_append_printf (s, "%s“%s”", j ? ", " : "", c->names[j]);
  return g_string_free (s, FALSE);
}

static gboolean
missing_column (ReadCtx *c, const char *what, const char *name, const char *names, GError **error)
{
  g_autofree char *cols = column_list (c);

  if (name)
    tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 1, 0, NULL,
                     _("found no column “%s”, expected the %s column among %s"), name, what, cols);
  else
    /* Front-end neutral: the command line's --news-*-col options are in
     * its help, the app has no such field. */
    tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 1, 0, NULL,
                     _("found no %s column among %s, expected one named %s"),
                     what, cols, names);
  return FALSE;
}

static gboolean
take_header (ReadCtx *c, const char *const *f, guint n, GError **error)
{
  c->n_cols = n;
  c->names = g_new0 (char *, n + 1);
  for (guint j = 0; j < n; j++)
    {
      if (!g_utf8_validate (f[j], -1, NULL))
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, c->base, 1, j + 1, NULL,
                           _("found a header that is not valid UTF-8, expected column names in one encoding"));
          return FALSE;
        }
      c->names[j] = g_strstrip (g_strdup (f[j]));
    }

  c->date_col = c->text_col = c->category_col = -1;
  /* TRANSLATORS: "date", "headline" and "category" (news column) go into
   * "found no column “%s”, expected the %s column among %s" and
   * "found no %s column among %s, expected one named %s". */
  if (c->want_date && (c->date_col = find_named (c, c->want_date)) < 0)
    return missing_column (c, C_("news column", "date"), c->want_date, NULL, error);
  if (c->want_text && (c->text_col = find_named (c, c->want_text)) < 0)
    return missing_column (c, C_("news column", "headline"), c->want_text, NULL, error);
  if (c->want_category && (c->category_col = find_named (c, c->want_category)) < 0)
    return missing_column (c, C_("news column", "category"), c->want_category, NULL, error);

  for (guint j = 0; j < n; j++)
    {
      TcCovariateKind kind;
      TcColumnRole role = tc_suggest_role (c->names[j], &kind);

      if ((int) j == c->text_col || (int) j == c->category_col)
        continue;
      if (c->date_col < 0 && role == TC_ROLE_DATE)
        c->date_col = j;
    }
  for (guint j = 0; j < n; j++)
    {
      TcCovariateKind kind;
      TcColumnRole role = tc_suggest_role (c->names[j], &kind);

      if ((int) j == c->date_col)
        continue;
      if (c->text_col < 0 && (word_in (c->names[j], text_words) || role == TC_ROLE_TEXT))
        c->text_col = j;
      else if (c->want_category == NULL && c->category_col < 0 && (int) j != c->text_col
               && word_in (c->names[j], category_words))
        c->category_col = j;
    }
  if (c->date_col < 0)
    return missing_column (c, C_("news column", "date"), NULL, _("“date”, “day”, “日期” or the like"), error);
  if (c->text_col < 0)
    return missing_column (c, C_("news column", "headline"), NULL, _("“headline”, “title”, “text”, “标题” or the like"), error);
  if (c->text_col == c->date_col || (c->category_col >= 0
                                     && (c->category_col == c->date_col || c->category_col == c->text_col)))
    {
      tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 1, 0, NULL,
                       _("found one column named for two roles, expected different date, headline and category columns"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
row_func (const char *const *f, const guint *lens, guint n, guint64 line, gpointer data, GError **error)
{
  ReadCtx *c = data;
  const int need[] = { c->date_col, c->text_col, c->category_col };

  if (!c->header_done)
    {
      c->header_done = TRUE;
      return take_header (c, f, n, error);
    }
  /* A blank line is nothing, not a news item without a date. */
  if (n == 1 && lens[0] == 0)
    return TRUE;
  for (guint k = 0; k < G_N_ELEMENTS (need); k++)
    {
      if (need[k] < 0)
        continue;
      if ((guint) need[k] >= n)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, c->base, line, need[k] + 1, c->names[need[k]],
                           _("found %u fields, expected %u as in the header"), n, c->n_cols);
          return FALSE;
        }
      if (!g_utf8_validate (f[need[k]], lens[need[k]], NULL))
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, c->base, line, need[k] + 1, c->names[need[k]],
                           _("found text that is not valid UTF-8, expected one encoding for the whole file (save it as “CSV UTF-8”)"));
          return FALSE;
        }
    }
  /* A row without a headline says nothing: skipped, not an error. */
  if (tc_is_missing (f[c->text_col], lens[c->text_col]) || lens[c->text_col] == 0)
    return TRUE;
  {
    g_autofree char *txt = g_strndup (f[c->text_col], lens[c->text_col]);

    if (*g_strstrip (txt) == '\0')
      return TRUE;
    g_ptr_array_add (c->texts, g_steal_pointer (&txt));
  }
  g_ptr_array_add (c->dates, g_strstrip (g_strndup (f[c->date_col], lens[c->date_col])));
  g_array_append_val (c->date_lines, line);
  if (c->category_col >= 0)
    {
      char *cat = g_strstrip (g_strndup (f[c->category_col], lens[c->category_col]));

      if (*cat == '\0' || tc_is_missing (cat, strlen (cat)))
        g_clear_pointer (&cat, g_free);
      g_ptr_array_add (c->categories, cat);
    }
  return TRUE;
}

void
tc_news_free (TcNews *news)
{
  if (news == NULL)
    return;
  g_free (news->file);
  g_free (news->date_col);
  g_free (news->text_col);
  g_free (news->category_col);
  g_free (news->times);
  if (news->texts)
    for (guint i = 0; i < news->n_items; i++)
      g_free (news->texts[i]);
  g_free (news->texts);
  if (news->categories)
    for (guint i = 0; i < news->n_items; i++)
      g_free (news->categories[i]);
  g_free (news->categories);
  g_free (news);
}

static void
read_ctx_clear (ReadCtx *c)
{
  g_strfreev (c->names);
  g_ptr_array_unref (c->dates);
  g_array_unref (c->date_lines);
  g_ptr_array_unref (c->texts);
  g_ptr_array_unref (c->categories);
}

TcNews *
tc_news_read (const char   *path,
              const char   *date_col,
              const char   *text_col,
              const char   *category_col,
              TcDateOrder   order,
              GError      **error)
{
  g_autoptr (TcCsvReader) reader = NULL;
  ReadCtx c = { 0 };
  TcNews *news;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  reader = tc_csv_reader_new (path, NULL, 0, error);
  if (reader == NULL)
    return NULL;
  c.want_date = date_col && *date_col ? date_col : NULL;
  c.want_text = text_col && *text_col ? text_col : NULL;
  c.want_category = category_col && *category_col ? category_col : NULL;
  c.base = tc_csv_reader_get_basename (reader);
  c.dates = g_ptr_array_new_with_free_func (g_free);
  c.date_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  c.texts = g_ptr_array_new_with_free_func (g_free);
  c.categories = g_ptr_array_new_with_free_func (g_free);
  ok = tc_csv_reader_run (reader, row_func, &c, NULL, NULL, NULL, error);
  if (ok && c.texts->len == 0)
    {
      tc_set_error_at (error, TC_ERROR_EMPTY, c.base, 0, 0, NULL,
                       c.header_done ? _("found no news items, expected rows with a date and a headline under the header")
                                     : _("found an empty file, expected a header row and rows with a date and a headline"));
      ok = FALSE;
    }
  if (!ok)
    {
      read_ctx_clear (&c);
      return NULL;
    }

  /* 05/01/2024: a first number above 12 anywhere means day first for
   * the whole file, as the main importer decides a column. */
  if (order == TC_DATE_ORDER_AUTO)
    for (guint i = 0; i < c.dates->len; i++)
      {
        const char *d = c.dates->pdata[i];
        TcDateInfo info = { 0 };
        gint64 t;

        (void) tc_parse_date (d, strlen (d), TC_DATE_ORDER_DAY_FIRST, &t, &info);
        if (info.shape == TC_DATE_SHAPE_AMBIGUOUS && info.a > 12)
          {
            order = TC_DATE_ORDER_DAY_FIRST;
            break;
          }
      }

  news = g_new0 (TcNews, 1);
  news->file = g_strdup (c.base);
  news->date_col = g_strdup (c.names[c.date_col]);
  news->text_col = g_strdup (c.names[c.text_col]);
  news->category_col = c.category_col >= 0 ? g_strdup (c.names[c.category_col]) : NULL;
  news->n_items = c.texts->len;
  news->times = g_new (gint64, news->n_items);
  for (guint i = 0; i < news->n_items; i++)
    {
      const char *d = c.dates->pdata[i];
      TcDateInfo info;

      if (!tc_parse_date (d, strlen (d), order, &news->times[i], &info))
        {
          guint64 line = g_array_index (c.date_lines, guint64, i);

          if (*d)
            tc_set_error_at (error, TC_ERROR_PARSE, c.base, line, c.date_col + 1, c.names[c.date_col],
                             _("found “%s”, expected a date such as 2024-05-01"), d);
          else
            tc_set_error_at (error, TC_ERROR_PARSE, c.base, line, c.date_col + 1, c.names[c.date_col],
                             _("found an empty date, expected a date such as 2024-05-01 for every headline"));
          tc_news_free (news);
          read_ctx_clear (&c);
          return NULL;
        }
      news->first_time = i == 0 ? news->times[i] : MIN (news->first_time, news->times[i]);
      news->last_time = i == 0 ? news->times[i] : MAX (news->last_time, news->times[i]);
    }
  g_ptr_array_add (c.texts, NULL);
  news->texts = (char **) g_ptr_array_free (g_steal_pointer (&c.texts), FALSE);
  if (c.category_col >= 0)
    {
      g_ptr_array_add (c.categories, NULL);
      news->categories = (char **) g_ptr_array_free (g_steal_pointer (&c.categories), FALSE);
    }
  g_strfreev (c.names);
  g_ptr_array_unref (c.dates);
  g_array_unref (c.date_lines);
  if (c.texts)
    g_ptr_array_unref (c.texts);
  if (c.categories)
    g_ptr_array_unref (c.categories);
  return news;
}

void
tc_news_join_clear (TcNewsJoin *join)
{
  g_free (join->matched_by);
  memset (join, 0, sizeof *join);
}

/* The period of the grid that holds @t: the last grid time at or before
 * it, when @t is before the next one; -1 before the grid, -2 after. */
static int
period_of (const TcDataset *ds, gint64 t)
{
  guint lo = 0, hi = ds->n_times;

  if (ds->n_times == 0 || t < ds->times[0])
    return -1;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ds->times[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  if (t >= tc_frequency_advance (ds->freq, ds->times[lo], 1))
    return -2;
  return lo;
}

/* The case-folded categories of series @s in column @col (-1: its id). */
static const char *
series_value (const TcDataset *ds, int col, guint s)
{
  return col < 0 ? ds->series_ids[s] : ds->static_values[(gsize) s * ds->n_static + col];
}

static char *
fold (const char *s)
{
  g_autofree char *t = g_strstrip (g_strdup (s ? s : ""));

  return g_utf8_casefold (t, -1);
}

gboolean
tc_news_join (const TcNews *news,
              TcDataset    *ds,
              TcNewsJoin   *join,
              GError      **error)
{
  gsize cells = (gsize) ds->n_series * ds->n_times;
  g_autoptr (GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree GString **cell = NULL;
  TcNewsJoin local = { 0 };
  int match_col = -2;     /* -2: every series; -1: the series ids; else a static column */
  guint best = 0;

  if (join == NULL)
    join = &local;
  tc_news_join_clear (join);
  if (ds->freq == TC_FREQ_UNKNOWN || ds->n_times == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "The data has no time grid to join news to");
      return FALSE;
    }

  /* Which column of the data the categories name: the one holding the
   * most of them, so that "Snacks" finds the category column whatever it
   * is called, and category-level data (one series per category) is
   * matched by its ids. */
  for (guint i = 0; news->categories && i < news->n_items; i++)
    if (news->categories[i])
      g_hash_table_add (wanted, fold (news->categories[i]));
  if (g_hash_table_size (wanted) > 0)
    for (int col = -1; col < (int) ds->n_static; col++)
      {
        g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        guint hits = 0;

        for (guint s = 0; s < ds->n_series; s++)
          {
            char *v = fold (series_value (ds, col, s));

            if (g_hash_table_contains (wanted, v) && !g_hash_table_contains (seen, v))
              {
                hits++;
                g_hash_table_add (seen, v);
              }
            else
              g_free (v);
          }
        /* Static columns are tried after the ids and win ties: a
         * category column names groups of series, which news is about. */
        if (hits > 0 && hits >= best)
          {
            best = hits;
            match_col = col;
          }
      }
  if (match_col != -2)
    join->matched_by = g_strdup (match_col < 0 ? "series" : ds->static_names[match_col]);

  cell = g_new0 (GString *, MAX (cells, 1));
  {
    g_autofree char **folded = g_new0 (char *, MAX (ds->n_series, 1));

    for (guint s = 0; match_col != -2 && s < ds->n_series; s++)
      folded[s] = fold (series_value (ds, match_col, s));
    for (guint i = 0; i < news->n_items; i++)
      {
        int t = period_of (ds, news->times[i]);
        g_autofree char *cat = NULL;
        guint reached = 0;

        if (t == -1)
          {
            join->n_before++;
            continue;
          }
        if (t == -2)
          {
            join->n_after++;
            continue;
          }
        if (match_col != -2 && news->categories && news->categories[i])
          cat = fold (news->categories[i]);
        for (guint s = 0; s < ds->n_series; s++)
          {
            GString **g = &cell[(gsize) s * ds->n_times + t];

            if (cat && strcmp (cat, folded[s]) != 0)
              continue;
            if (*g == NULL)
              *g = g_string_new (NULL);
            else
              g_string_append_c (*g, '\n');
            /* One headline is one document: a line break inside it
             * would split it in two (tc-text.h). */
            for (const char *p = news->texts[i]; *p; p++)
              g_string_append_c (*g, *p == '\n' || *p == '\r' ? ' ' : *p);
            reached++;
          }
        if (reached > 0)
          join->n_joined++;
        else
          join->n_unmatched++;
      }
    for (guint s = 0; match_col != -2 && s < ds->n_series; s++)
      g_free (folded[s]);
  }

  if (ds->news)
    for (gsize i = 0; i < cells; i++)
      g_free (ds->news[i]);
  g_free (ds->news);
  ds->news = g_new0 (char *, cells + 1);
  for (gsize i = 0; i < cells; i++)
    if (cell[i])
      ds->news[i] = g_string_free (cell[i], FALSE);
  g_free (ds->news_name);
  ds->news_name = g_strdup (news->file);
  tc_news_join_clear (&local);
  return TRUE;
}
