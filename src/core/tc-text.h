/* tc-text.h — review text as model input: normalisation, tokens, hashed features, bags per period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text is turned into numbers without any word list: every review is
 * normalised (NFKC, case folded), cut into tokens, and every token is
 * hashed (FNV-1a) into one of n_buckets ids.  What an id means is learnt
 * by the forecaster (tc-text-layer.h: an embedding bag trained with the
 * network), so a sentiment or topic signal comes from the sales, in any
 * language the tokenizer can split:
 *
 *   - Latin, Portuguese, … words: runs of letters and digits, accents
 *     kept ("não"), plus the accent-stripped form when it differs ("nao",
 *     so that reviews typed without accents share the id), and the
 *     bigram of each pair of adjacent words ("não gostei");
 *   - CJK (Han, kana, Hangul): no spaces to split on, so every character
 *     and every pair of adjacent characters ("质量", "量太") is a token.
 *
 * The importer joins the reviews of one series and period with "\n";
 * each line is one review (a document).
 */
#pragma once

#include "tc-dataset.h"

G_BEGIN_DECLS

#define TC_TEXT_DEFAULT_BUCKETS (1u << 14)
#define TC_TEXT_MAX_BUCKETS     (1u << 22)

typedef struct
{
  guint    n_buckets;       /* hash buckets B, 2 .. TC_TEXT_MAX_BUCKETS */
  gboolean strip_accents;   /* also emit the accent-stripped form of a word */
  gboolean word_bigrams;    /* also emit pairs of adjacent words */
  gboolean read_news;       /* the bags also hold the dataset's news (tc-news.h), each
                             * headline one more document of its period, its tokens
                             * hashed apart from the reviews' ("n|" prefix) */
} TcTextSettings;

void       tc_text_settings_init (TcTextSettings *set);

/* NFKC and case folding of @len bytes of @text (-1: NUL-terminated);
 * NULL with a TC_ERROR_PARSE error when it is not valid UTF-8. */
char      *tc_text_normalise     (const char     *text,
                                  gssize          len,
                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* The tokens of one normalised text, in order, each prefixed by its
 * kind ("w:" word, "b:" word bigram, "c:" CJK character, "cc:" CJK
 * character bigram): free with g_ptr_array_unref. */
GPtrArray *tc_text_tokens        (const TcTextSettings *set,
                                  const char           *normalised);

/* FNV-1a (32 bit) of @token, modulo @n_buckets. */
guint32    tc_text_hash          (const char     *token,
                                  guint           n_buckets);

/* The hashed ids of the tokens of raw @text (normalised first); the
 * array holds guint32, repeated ids included.  NULL on invalid UTF-8. */
GArray    *tc_text_features      (const TcTextSettings *set,
                                  const char           *text,
                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* Reviews in @ds (non-empty lines of its text), and in @n_periods (may
 * be NULL) the number of series and periods that have any: what the Data
 * page says about a text column. */
guint64    tc_text_count_reviews (const TcDataset *ds,
                                  guint64         *n_periods);

/* The reviews of a dataset as bags of hashed ids, one bag per series and
 * period that has text (CSR).  Bag 0 is the empty bag (no text).  A bag
 * is the mean over its reviews of each review's mean id embedding, so
 * every id carries a weight 1 / (n_docs * n_ids_of_its_doc); a period
 * then weighs as one whatever the length and number of its reviews, and
 * the volume is its own channel (log1p (n_docs)). */
typedef struct
{
  guint     n_buckets;
  guint     n_series, n_times;
  guint     n_bags;       /* bag 0 is empty */
  guint    *bag_of;       /* (n_series, n_times) bag id per series and period, 0 = no text */
  gsize    *offsets;      /* (n_bags + 1) entries of bag k are [offsets[k], offsets[k + 1]) */
  guint32  *ids;          /* (nnz) hashed ids */
  float    *weights;      /* (nnz) */
  float    *n_docs;       /* (n_bags) reviews in the bag */
} TcTextBags;

/* Bags of @ds's text, and of its news with @set->read_news (none of
 * either: every period has bag 0).  Reference
 * counted (g_atomic_rc_box): models share the bags of a feature cube. */
TcTextBags *tc_text_bags_new     (const TcTextSettings *set,
                                  const TcDataset      *ds,
                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;
TcTextBags *tc_text_bags_ref     (TcTextBags     *bags);
void        tc_text_bags_unref   (TcTextBags     *bags);

static inline guint
tc_text_bags_at (const TcTextBags *bags, guint s, guint t)
{
  return bags->bag_of[(gsize) s * bags->n_times + t];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcTextBags, tc_text_bags_unref)

G_END_DECLS
