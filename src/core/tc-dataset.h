/* tc-dataset.h — a validated set of regular time series
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This is the contract between import (tc-import*), the forecasting
 * pipeline, the baselines and the front ends.  All series share one
 * regular time grid; a value outside a series' life or a gap is NaN,
 * never a silent zero.  Values are double: the data is small next to
 * the model, and metrics and ETS want the precision.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TC_FREQ_UNKNOWN = 0,
  TC_FREQ_HOURLY,
  TC_FREQ_DAILY,
  TC_FREQ_WEEKLY,
  TC_FREQ_MONTHLY,
  TC_FREQ_QUARTERLY,
  TC_FREQ_YEARLY,
} TcFrequency;

typedef enum
{
  TC_ROLE_IGNORE = 0,
  TC_ROLE_DATE,
  TC_ROLE_SERIES_ID,
  TC_ROLE_TARGET,
  TC_ROLE_KNOWN,     /* known in the future: promotion, discount, price, holiday */
  TC_ROLE_OBSERVED,  /* only known in the past: traffic, review score */
  TC_ROLE_STATIC,    /* per series: category, brand; defines the hierarchy */
  TC_ROLE_TEXT,      /* review text */
} TcColumnRole;

/* What a known-future covariate means; the scenario API and the price
 * feature (price relative to the series' typical price) need to know. */
typedef enum
{
  TC_COVARIATE_OTHER = 0,
  TC_COVARIATE_PROMOTION,
  TC_COVARIATE_DISCOUNT,
  TC_COVARIATE_PRICE,
  TC_COVARIATE_HOLIDAY,
  /* The logarithm of a price (Dominick's LPRICE): a price change of ×f
   * adds log f, and no revenue can be computed from it.  Last, so that
   * model files keep their numbers. */
  TC_COVARIATE_LOG_PRICE,
} TcCovariateKind;

typedef struct _TcDataset TcDataset;

struct _TcDataset
{
  char          *source;          /* file it came from, or NULL */
  TcFrequency    freq;
  int            week_start;      /* weekly: 1 = Monday .. 7 = Sunday of the grid */

  guint          n_series;
  guint          n_times;
  gint64        *times;           /* (n_times) seconds since 1970-01-01 UTC, regular at freq */
  char         **series_ids;      /* (n_series) display ids, "store/dept" for composite keys */

  char          *target_name;
  double        *target;          /* (n_series, n_times) row-major; NaN = missing */

  guint          n_known;
  char         **known_names;     /* (n_known) */
  TcCovariateKind *known_kinds;   /* (n_known) */
  double        *known;           /* (n_known, n_series, n_times); NaN = missing */

  guint          n_observed;
  char         **observed_names;  /* (n_observed) */
  double        *observed;        /* (n_observed, n_series, n_times); NaN = missing */

  guint          n_static;
  char         **static_names;    /* (n_static) */
  char         **static_values;   /* (n_series, n_static) */

  char          *text_name;       /* NULL when there is no review text */
  char         **text;            /* (n_series, n_times) or NULL; NULL entry = no text */

  /* Market news joined by period (tc-news.h): the headlines that reach
   * a series in a period, joined with "\n" like the reviews.  Kept apart
   * from the reviews so that review counts and "What customers say"
   * stay about customers. */
  char          *news_name;       /* the news file's base name, NULL without news */
  char         **news;            /* (n_series, n_times) or NULL; NULL entry = no news */

  guint         *start;           /* (n_series) first time index with a target value */
  guint         *end;             /* (n_series) one past the last index with a target value */
};

TcDataset   *tc_dataset_new            (TcFrequency      freq,
                                        guint            n_series,
                                        guint            n_times,
                                        guint            n_known,
                                        guint            n_observed,
                                        guint            n_static,
                                        gboolean         with_text) G_GNUC_WARN_UNUSED_RESULT;
void         tc_dataset_free           (TcDataset       *ds);
TcDataset   *tc_dataset_copy           (const TcDataset *ds) G_GNUC_WARN_UNUSED_RESULT;
void         tc_dataset_update_bounds  (TcDataset       *ds);

static inline double *
tc_dataset_target_row (const TcDataset *ds, guint s)
{
  return ds->target + (gsize) s * ds->n_times;
}

static inline double *
tc_dataset_known_row (const TcDataset *ds, guint k, guint s)
{
  return ds->known + ((gsize) k * ds->n_series + s) * ds->n_times;
}

static inline double *
tc_dataset_observed_row (const TcDataset *ds, guint k, guint s)
{
  return ds->observed + ((gsize) k * ds->n_series + s) * ds->n_times;
}

const char  *tc_frequency_to_string    (TcFrequency      freq);
TcFrequency  tc_frequency_from_string  (const char      *str);
/* The usual seasonal period: 52 for weekly, 12 monthly, 4 quarterly, 24 hourly, 7 daily. */
guint        tc_frequency_season       (TcFrequency      freq);
/* "2024-05-01" for a date of the grid, "2024-05-01 14:00" for hourly
 * data: how every table, CSV and message writes a date; "?" for a time
 * GLib cannot represent. */
char        *tc_frequency_format_time  (TcFrequency      freq,
                                        gint64           t);
/* The index of @t in the ascending @times (n), or -1 (binary search). */
int          tc_times_find             (const gint64    *times,
                                        guint            n,
                                        gint64           t);
/* The time index after @t steps on the grid, in seconds since the epoch. */
gint64       tc_frequency_advance      (TcFrequency      freq,
                                        gint64           t,
                                        int              steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcDataset, tc_dataset_free)

G_END_DECLS
