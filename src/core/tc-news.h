/* tc-news.h — a dated "market events / news" file, joined to a dataset by period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A news file is a CSV with a date, a headline (or body) and optionally
 * a category per row.  Each item falls into the period of the dataset's
 * grid that holds its date (a period covers its date up to the next
 * one: a Wednesday's headline is in its week for weekly data), and
 * reaches the series of its category, or every series when it has none.
 *
 * Design: the news becomes model input through the review-text path
 * (tc-text.h), not a second channel group.  The joined headlines sit in
 * TcDataset.news beside the reviews; the text bags of a model that reads
 * news hold a period's reviews and its headlines as documents of one
 * bag, so the same learnt embedding reads both, with the same past-only
 * rule (the feature cube drops every bag at or after the origin) and no
 * new parameters.  News tokens are hashed with their own prefix, so a
 * word in a headline and the same word in a review train different
 * embedding rows: "strike" in the news and in a review need not move
 * sales alike.  A second channel group would have doubled the text
 * layer, the model format and the drivers for a signal whose value is
 * unmeasured; the shared path costs nothing when there is no news.
 */
#pragma once

#include "tc-dataset.h"
#include "tc-infer.h"

G_BEGIN_DECLS

typedef struct
{
  char     *file;          /* the file's base name */
  char     *date_col;      /* the columns read (auto-detected or named) */
  char     *text_col;
  char     *category_col;  /* NULL: the file has no category column */
  guint     n_items;
  gint64   *times;         /* (n_items) seconds since 1970-01-01 UTC, file order */
  char    **texts;         /* (n_items) headline or body, valid UTF-8 */
  char    **categories;    /* (n_items) or NULL; an entry NULL = every series */
  gint64    first_time;    /* earliest and latest item */
  gint64    last_time;
} TcNews;

/* Reads the news file @path.  @date_col, @text_col and @category_col
 * name columns (NULL: detected from the header: "date", "headline",
 * "title", "category", 日期, 标题, 类别 …; the category is optional).
 * @order decides 05/01/2024 when the file does not.  Errors are
 * TC_ERROR with the file, line and column (tc_error_get_location): a
 * missing column, a bad date, no items, text that is not UTF-8. */
TcNews   *tc_news_read (const char   *path,
                        const char   *date_col,
                        const char   *text_col,
                        const char   *category_col,
                        TcDateOrder   order,
                        GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void      tc_news_free (TcNews       *news);

typedef struct
{
  guint  n_joined;       /* items that reached at least one series */
  guint  n_before;       /* dated before the first period of the data */
  guint  n_after;        /* dated after its last period */
  guint  n_unmatched;    /* with a category no series has */
  char  *matched_by;     /* the dataset column the categories were matched against
                          * (a static column, or "series" for the series ids);
                          * NULL when every item reaches every series */
} TcNewsJoin;

void      tc_news_join_clear (TcNewsJoin *join);

/* Replaces @ds's news by @news's items, by period and category (see
 * above).  The column categories are matched against is the static
 * column (or the series id) that holds the most of the news's
 * categories (case-insensitive); when none holds any, the categories
 * are ignored and every item reaches every series.  @join (may be
 * NULL) receives the counts.  FALSE only for data without a time grid. */
gboolean  tc_news_join (const TcNews *news,
                        TcDataset    *ds,
                        TcNewsJoin   *join,
                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcNews, tc_news_free)

G_END_DECLS
