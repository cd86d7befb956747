/* tc-text.c — normalisation, tokens, hashed features and bags of review text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-text"

#include "tc-text.h"

#include <math.h>
#include <string.h>

#include "tc-error.h"

void
tc_text_settings_init (TcTextSettings *set)
{
  set->n_buckets = TC_TEXT_DEFAULT_BUCKETS;
  set->strip_accents = TRUE;
  set->word_bigrams = TRUE;
  set->read_news = FALSE;
}

char *
tc_text_normalise (const char *text, gssize len, GError **error)
{
  g_autofree char *nfkc = NULL;
  const char *end;

  if (!g_utf8_validate (text, len, &end))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   "text is not valid UTF-8 at byte %" G_GSIZE_FORMAT ", expected UTF-8 review text",
                   (gsize) (end - text));
      return NULL;
    }
  /* NFKC first: full-width letters and digits (common in Chinese
   * reviews) become ASCII, ligatures split; then case folding. */
  nfkc = g_utf8_normalize (text, len, G_NORMALIZE_NFKC);
  return g_utf8_casefold (nfkc, -1);
}

static gboolean
is_cjk (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
      return TRUE;
    default:
      return FALSE;
    }
}

/* @word without its combining marks ("não" -> "nao"), or NULL when it
 * has none. */
static char *
strip_accents (const char *word)
{
  g_autofree char *nfd = g_utf8_normalize (word, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);
  gboolean changed = FALSE;

  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_NON_SPACING_MARK:
        case G_UNICODE_SPACING_MARK:
        case G_UNICODE_ENCLOSING_MARK:
          changed = TRUE;
          break;
        default:
          g_string_append_unichar (out, c);
        }
    }
  if (!changed)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Letters of a word may carry combining marks after NFKC (a few scripts
 * have no precomposed form): they stay inside the word. */
static gboolean
is_word_char (gunichar c)
{
  GUnicodeType t = g_unichar_type (c);

  return g_unichar_isalnum (c) || t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK;
}

GPtrArray *
tc_text_tokens (const TcTextSettings *set, const char *normalised)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prev_word = NULL;
  gunichar prev_cjk = 0;
  const char *p = normalised;

  while (*p)
    {
      gunichar c = g_utf8_get_char (p);

      if (is_cjk (c))
        {
          char buf[16];
          int n = g_unichar_to_utf8 (c, buf);

          buf[n] = '\0';
          g_ptr_array_add (tokens, g_strconcat ("c:", buf, NULL));
          if (prev_cjk != 0)
            {
              char pb[8];
              int m = g_unichar_to_utf8 (prev_cjk, pb);

              pb[m] = '\0';
              g_ptr_array_add (tokens, g_strconcat ("cc:", pb, buf, NULL));
            }
          prev_cjk = c;
          /* A CJK run ends a word sequence: "好good" has no word bigram. */
          g_clear_pointer (&prev_word, g_free);
          p = g_utf8_next_char (p);
        }
      else if (is_word_char (c))
        {
          const char *start = p;
          g_autofree char *word = NULL;
          char *plain;

          while (*p && is_word_char (g_utf8_get_char (p)) && !is_cjk (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          word = g_strndup (start, p - start);
          g_ptr_array_add (tokens, g_strconcat ("w:", word, NULL));
          if (set->strip_accents && (plain = strip_accents (word)) != NULL)
            {
              g_ptr_array_add (tokens, g_strconcat ("w:", plain, NULL));
              g_free (plain);
            }
          if (set->word_bigrams && prev_word != NULL)
            g_ptr_array_add (tokens, g_strconcat ("b:", prev_word, " ", word, NULL));
          g_free (prev_word);
          prev_word = g_steal_pointer (&word);
          prev_cjk = 0;
        }
      else
        {
          /* Punctuation ends a CJK run (no bigram across "，") but not a
           * word sequence: "não, gostei" keeps its bigram.  A line break
           * ends both (reviews are joined with "\n"). */
          prev_cjk = 0;
          if (c == '\n' || (g_unichar_ispunct (c) && c != ',' && c != '\''))
            g_clear_pointer (&prev_word, g_free);
          p = g_utf8_next_char (p);
        }
    }
  return tokens;
}

guint32
tc_text_hash (const char *token, guint n_buckets)
{
  guint32 h = 2166136261u;

  for (const guchar *p = (const guchar *) token; *p; p++)
    {
      h ^= *p;
      h *= 16777619u;
    }
  return h % MAX (n_buckets, 1);
}

GArray *
tc_text_features (const TcTextSettings *set, const char *text, GError **error)
{
  g_autofree char *norm = tc_text_normalise (text, -1, error);
  g_autoptr (GPtrArray) tokens = NULL;
  GArray *ids;

  if (norm == NULL)
    return NULL;
  tokens = tc_text_tokens (set, norm);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), tokens->len);
  for (guint i = 0; i < tokens->len; i++)
    {
      guint32 id = tc_text_hash (tokens->pdata[i], set->n_buckets);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* tc_text_features of a headline: every token hashed as "n|" + token,
 * so that news and reviews share the embedding table but not its rows. */
static GArray *
news_features (const TcTextSettings *set, const char *text, GError **error)
{
  g_autofree char *norm = tc_text_normalise (text, -1, error);
  g_autoptr (GPtrArray) tokens = NULL;
  GArray *ids;

  if (norm == NULL)
    return NULL;
  tokens = tc_text_tokens (set, norm);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), tokens->len);
  for (guint i = 0; i < tokens->len; i++)
    {
      g_autofree char *tok = g_strconcat ("n|", (const char *) tokens->pdata[i], NULL);
      guint32 id = tc_text_hash (tok, set->n_buckets);

      g_array_append_val (ids, id);
    }
  return ids;
}

guint64
tc_text_count_reviews (const TcDataset *ds, guint64 *n_periods)
{
  guint64 n = 0, periods = 0;

  for (gsize i = 0; ds->text != NULL && i < (gsize) ds->n_series * ds->n_times; i++)
    {
      const char *p = ds->text[i];
      guint64 before = n;

      /* One review per line (the importer joins them with "\n"). */
      while (p != NULL && *p)
        {
          const char *e = strchr (p, '\n');
          gsize len = e ? (gsize) (e - p) : strlen (p);

          for (gsize k = 0; k < len; k++)
            if (!g_ascii_isspace (p[k]))
              {
                n++;
                break;
              }
          p = e ? e + 1 : NULL;
        }
      periods += n > before;
    }
  if (n_periods)
    *n_periods = periods;
  return n;
}

static void
bags_clear (TcTextBags *b)
{
  g_free (b->bag_of);
  g_free (b->offsets);
  g_free (b->ids);
  g_free (b->weights);
  g_free (b->n_docs);
}

TcTextBags *
tc_text_bags_ref (TcTextBags *bags)
{
  return g_atomic_rc_box_acquire (bags);
}

void
tc_text_bags_unref (TcTextBags *bags)
{
  if (bags != NULL)
    g_atomic_rc_box_release_full (bags, (GDestroyNotify) bags_clear);
}

TcTextBags *
tc_text_bags_new (const TcTextSettings *set, const TcDataset *ds, GError **error)
{
  TcTextBags *b;
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) weights = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GArray) n_docs = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GHashTable) news_memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) g_array_unref);
  gsize zero = 0;
  float fzero = 0;

  if (set->n_buckets < 2 || set->n_buckets > TC_TEXT_MAX_BUCKETS)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "%u text hash buckets is out of range (2 to %u)", set->n_buckets, TC_TEXT_MAX_BUCKETS);
      return NULL;
    }
  b = g_atomic_rc_box_new0 (TcTextBags);
  b->n_buckets = set->n_buckets;
  b->n_series = ds->n_series;
  b->n_times = ds->n_times;
  b->bag_of = g_new0 (guint, (gsize) ds->n_series * ds->n_times);
  /* Bag 0 is empty: [0, 0); bag k ends where bag k + 1 starts. */
  g_array_append_val (offsets, zero);
  g_array_append_val (offsets, zero);
  g_array_append_val (n_docs, fzero);
  for (gsize i = 0; i < (gsize) ds->n_series * ds->n_times; i++)
    {
      const char *cell[2] = {
        ds->text ? ds->text[i] : NULL,
        set->read_news && ds->news ? ds->news[i] : NULL,
      };
      guint n = 0, first = ids->len;

      for (guint src = 0; src < 2; src++)
        {
          g_auto (GStrv) docs = NULL;

          if (cell[src] == NULL || cell[src][0] == '\0')
            continue;
          docs = g_strsplit (cell[src], "\n", -1);
          for (guint d = 0; docs[d] != NULL; d++)
            {
              g_autoptr (GError) local = NULL;
              g_autoptr (GArray) f = NULL;

              /* A headline for every series is the same text in every
               * series' cell: hashed once. */
              if (src == 1 && (f = g_hash_table_lookup (news_memo, docs[d])) != NULL)
                g_array_ref (f);
              else if (src == 1 && (f = news_features (set, docs[d], &local)) != NULL)
                g_hash_table_insert (news_memo, g_strdup (docs[d]), g_array_ref (f));
              else if (src == 0)
                f = tc_text_features (set, docs[d], &local);

              if (f == NULL)
                {
                  g_set_error (error, TC_ERROR, TC_ERROR_PARSE, "%s of series “%s”, period %" G_GSIZE_FORMAT ": %s",
                               src == 0 ? "Review text" : "News",
                               ds->series_ids[i / ds->n_times], i % ds->n_times + 1, local->message);
                  tc_text_bags_unref (b);
                  return NULL;
                }
              if (f->len == 0)
                continue;
              n++;
              for (guint k = 0; k < f->len; k++)
                {
                  float w = 1.0f / f->len;

                  g_array_append_val (ids, g_array_index (f, guint32, k));
                  g_array_append_val (weights, w);
                }
            }
        }
      if (n == 0)
        continue;
      for (guint k = first; k < ids->len; k++)
        g_array_index (weights, float, k) /= n;
      {
        float nd = n;
        gsize end = ids->len;

        g_array_append_val (n_docs, nd);
        g_array_append_val (offsets, end);
      }
      b->bag_of[i] = n_docs->len - 1;
    }
  b->n_bags = n_docs->len;
  g_assert (offsets->len == b->n_bags + 1);
  b->offsets = (gsize *) g_array_free (g_steal_pointer (&offsets), FALSE);
  b->n_docs = (float *) g_array_free (g_steal_pointer (&n_docs), FALSE);
  b->ids = (guint32 *) g_array_free (g_steal_pointer (&ids), FALSE);
  b->weights = (float *) g_array_free (g_steal_pointer (&weights), FALSE);
  return b;
}
