/* tc-text-summary.c — review volume and the terms that rose or fell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-text"

#include "tc-text-summary.h"

#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-text.h"

typedef struct
{
  guint recent, before;
} Counts;

/* The display form of a token, or NULL when it is no term (see the
 * header): "w:word" -> "word", "cc:质量" -> "质量". */
static const char *
term_of (const char *token)
{
  if (g_str_has_prefix (token, "w:"))
    return g_utf8_strlen (token + 2, -1) > 1 ? token + 2 : NULL;
  if (g_str_has_prefix (token, "cc:"))
    return token + 3;
  return NULL;
}

/* Adds the distinct terms of one review to @counts. */
static gboolean
count_review (const TcTextSettings *set,
              const char           *review,
              gsize                 len,
              gboolean              recent,
              GHashTable           *counts,
              GError              **error)
{
  g_autofree char *norm = tc_text_normalise (review, len, error);
  g_autoptr (GPtrArray) tokens = NULL;
  g_autoptr (GHashTable) seen = NULL;

  if (norm == NULL)
    return FALSE;
  tokens = tc_text_tokens (set, norm);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *term = term_of (tokens->pdata[i]);
      Counts *c;

      if (term == NULL || !g_hash_table_add (seen, (gpointer) term))
        continue;
      c = g_hash_table_lookup (counts, term);
      if (c == NULL)
        {
          c = g_new0 (Counts, 1);
          g_hash_table_insert (counts, g_strdup (term), c);
        }
      if (recent)
        c->recent++;
      else
        c->before++;
    }
  return TRUE;
}

static int
cmp_rising (gconstpointer a, gconstpointer b)
{
  const TcTextTerm *x = a, *y = b;

  if (x->change != y->change)
    return x->change > y->change ? -1 : 1;
  return strcmp (x->term, y->term);
}

static int
cmp_falling (gconstpointer a, gconstpointer b)
{
  const TcTextTerm *x = a, *y = b;

  if (x->change != y->change)
    return x->change < y->change ? -1 : 1;
  return strcmp (x->term, y->term);
}

static gboolean
is_cjk_pair (const char *term)
{
  GUnicodeScript sc = g_unichar_get_script (g_utf8_get_char (term));

  return g_utf8_strlen (term, -1) == 2
         && (sc == G_UNICODE_SCRIPT_HAN || sc == G_UNICODE_SCRIPT_HIRAGANA
             || sc == G_UNICODE_SCRIPT_KATAKANA || sc == G_UNICODE_SCRIPT_HANGUL);
}

/* Chinese has no spaces, so a phrase that rose ("包装完好") shows up as
 * its overlapping character pairs (包装, 装完, 完好), the middle ones
 * meaningless alone.  Pairs that chain (the last character of one is the
 * first of the next) and are used by exactly the same numbers of reviews
 * are one phrase: joined here.  @terms is sorted; joined strings go to
 * @owned. */
static void
join_cjk (GArray *terms, GPtrArray *owned)
{
  guint k = 0;

  for (guint i = 0; i < terms->len; i++)
    {
      TcTextTerm *ti = &g_array_index (terms, TcTextTerm, i);
      GString *phrase;
      gboolean grown = TRUE;

      if (ti->term == NULL || !is_cjk_pair (ti->term))
        continue;
      phrase = g_string_new (ti->term);
      while (grown)
        {
          grown = FALSE;
          for (guint j = 0; j < terms->len; j++)
            {
              TcTextTerm *tj = &g_array_index (terms, TcTextTerm, j);
              const char *second;

              if (j == i || tj->term == NULL || tj->recent != ti->recent || tj->before != ti->before
                  || !is_cjk_pair (tj->term))
                continue;
              second = g_utf8_next_char (tj->term);
              if (g_utf8_get_char (tj->term) == g_utf8_get_char (g_utf8_prev_char (phrase->str + phrase->len)))
                g_string_append (phrase, second);
              else if (g_utf8_get_char (second) == g_utf8_get_char (phrase->str))
                g_string_insert_len (phrase, 0, tj->term, second - tj->term);
              else
                continue;
              tj->term = NULL;
              grown = TRUE;
            }
        }
      ti->term = g_string_free (phrase, FALSE);
      g_ptr_array_add (owned, ti->term);
    }
  /* Drop the pairs joined into others, keeping the order. */
  for (guint i = 0; i < terms->len; i++)
    if (g_array_index (terms, TcTextTerm, i).term != NULL)
      g_array_index (terms, TcTextTerm, k++) = g_array_index (terms, TcTextTerm, i);
  g_array_set_size (terms, k);
}

/* The first @max terms of @all (sorted) into a new array. */
static TcTextTerm *
take (GArray *all, guint max, guint *n)
{
  TcTextTerm *out;

  *n = MIN (all->len, max);
  out = g_new0 (TcTextTerm, MAX (*n, 1));
  for (guint i = 0; i < *n; i++)
    {
      out[i] = g_array_index (all, TcTextTerm, i);
      out[i].term = g_strdup (out[i].term);
    }
  return out;
}

TcTextSummary *
tc_text_summary_new (const TcDataset *ds,
                     const guint     *members,
                     guint            n_members,
                     guint            end,
                     guint            n_recent,
                     guint            max_terms,
                     guint            min_reviews,
                     GError         **error)
{
  g_autoptr (TcTextSummary) sum = NULL;
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (GArray) up = NULL;
  g_autoptr (GArray) down = NULL;
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  TcTextSettings set;
  GHashTableIter it;
  gpointer key, value;

  if (ds->text == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "The data has no review text");
      return NULL;
    }
  /* Words only: the accent-stripped twin and word pairs would list the
   * same change two or three times. */
  tc_text_settings_init (&set);
  set.strip_accents = FALSE;
  set.word_bigrams = FALSE;

  sum = g_new0 (TcTextSummary, 1);
  sum->n_times = MIN (end, ds->n_times);
  sum->reviews = g_new0 (guint, MAX (sum->n_times, 1));
  sum->recent_start = sum->n_times - MIN (n_recent, sum->n_times);
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint m = 0; m < n_members; m++)
    {
      guint s = members[m];

      if (s >= ds->n_series)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "Series %u is not in the data (%u series)", s, ds->n_series);
          return NULL;
        }
      for (guint t = 0; t < sum->n_times; t++)
        {
          const char *p = ds->text[(gsize) s * ds->n_times + t];
          gboolean recent = t >= sum->recent_start;

          /* One review per line (the importer joins them with "\n"). */
          while (p != NULL && *p)
            {
              const char *e = strchr (p, '\n');
              gsize len = e ? (gsize) (e - p) : strlen (p);
              gboolean blank = TRUE;

              for (gsize k = 0; k < len && blank; k++)
                blank = g_ascii_isspace (p[k]);
              if (!blank)
                {
                  sum->reviews[t]++;
                  if (recent)
                    sum->n_recent++;
                  else
                    sum->n_before++;
                  if (!count_review (&set, p, len, recent, counts, error))
                    {
                      g_prefix_error (error, "Review of series %u, period %u: ", s, t + 1);
                      return NULL;
                    }
                }
              p = e ? e + 1 : NULL;
            }
        }
    }

  /* Without reviews on both sides there is nothing to compare. */
  up = g_array_new (FALSE, FALSE, sizeof (TcTextTerm));
  down = g_array_new (FALSE, FALSE, sizeof (TcTextTerm));
  if (sum->n_recent > 0 && sum->n_before > 0)
    {
      g_hash_table_iter_init (&it, counts);
      while (g_hash_table_iter_next (&it, &key, &value))
        {
          const Counts *c = value;
          TcTextTerm t = { key, c->recent, c->before,
                           (double) c->recent / sum->n_recent - (double) c->before / sum->n_before };

          /* Two-proportion z statistic: with few reviews a word comes
           * and goes by chance, and a list of such words would mislead. */
          double pool = (double) (c->recent + c->before) / (sum->n_recent + sum->n_before);
          double se = sqrt (pool * (1 - pool) * (1.0 / sum->n_recent + 1.0 / sum->n_before));

          if (se <= 0 || fabs (t.change) < TC_TEXT_SUMMARY_MIN_Z * se)
            continue;
          if (t.change > 0 && c->recent >= MAX (min_reviews, 1))
            g_array_append_val (up, t);
          else if (t.change < 0 && c->before >= MAX (min_reviews, 1))
            g_array_append_val (down, t);
        }
    }
  g_array_sort (up, cmp_rising);
  g_array_sort (down, cmp_falling);
  join_cjk (up, owned);
  join_cjk (down, owned);
  sum->rising = take (up, max_terms, &sum->n_rising);
  sum->falling = take (down, max_terms, &sum->n_falling);
  return g_steal_pointer (&sum);
}

void
tc_text_summary_free (TcTextSummary *sum)
{
  if (sum == NULL)
    return;
  for (guint i = 0; i < sum->n_rising; i++)
    g_free (sum->rising[i].term);
  for (guint i = 0; i < sum->n_falling; i++)
    g_free (sum->falling[i].term);
  g_free (sum->rising);
  g_free (sum->falling);
  g_free (sum->reviews);
  g_free (sum);
}
