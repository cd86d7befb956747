/* tc-text-summary.h — what customers say: review volume and the terms that rose or fell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a set of series (one SKU, a category, the total) this counts the
 * reviews of every period and compares the words of the recent periods
 * with those before.  It reads the dataset's texts with tc-text.h's
 * normaliser and tokenizer (so it splits English, Portuguese and Chinese
 * alike) but keeps the words themselves, not hashes: people read it.
 *
 * A term is a word of a Latin-like script, or a pair of adjacent CJK
 * characters (single CJK characters and word pairs would mostly repeat
 * what these say).  Words of one letter are left out.  A term counts
 * once per review that uses it, so "rose" means "more of the reviews
 * mention it": its share of the recent reviews minus its share of the
 * earlier ones.  Only changes beyond chance are listed: a two-proportion
 * z statistic of at least TC_TEXT_SUMMARY_MIN_Z (about 95 % two-sided),
 * so a SKU with nine recent reviews does not list every word they lack.
 * No word list is involved.
 */
#pragma once

#include "tc-dataset.h"

G_BEGIN_DECLS

#define TC_TEXT_SUMMARY_MIN_Z 2.0

typedef struct
{
  char   *term;        /* as written after normalisation: "broken", "质量" */
  guint   recent;      /* recent reviews that use it */
  guint   before;      /* earlier reviews that use it */
  double  change;      /* recent / n_recent - before / n_before: share of reviews */
} TcTextTerm;

typedef struct
{
  guint       n_times;       /* periods counted: [0, n_times) of the dataset */
  guint      *reviews;       /* (n_times) reviews per period, summed over the series */
  guint       recent_start;  /* the recent periods are [recent_start, n_times) */
  guint64     n_recent;      /* reviews in the recent periods */
  guint64     n_before;      /* reviews before them */
  guint       n_rising;
  TcTextTerm *rising;        /* (n_rising) largest rise first */
  guint       n_falling;
  TcTextTerm *falling;       /* (n_falling) largest fall first */
} TcTextSummary;

/* Summary of the reviews of series @members (n_members indices into
 * @ds) over periods [0, @end) (@end is clamped to the dataset), the last
 * @n_recent of them being "recent".  At most @max_terms terms each way,
 * each used by at least @min_reviews reviews on the side it rose to (or
 * fell from).  NULL with an error when @ds has no text or a review is not
 * valid UTF-8. */
TcTextSummary *tc_text_summary_new  (const TcDataset *ds,
                                     const guint     *members,
                                     guint            n_members,
                                     guint            end,
                                     guint            n_recent,
                                     guint            max_terms,
                                     guint            min_reviews,
                                     GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void           tc_text_summary_free (TcTextSummary  *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcTextSummary, tc_text_summary_free)

G_END_DECLS
