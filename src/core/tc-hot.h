/* tc-hot.h — hot and new products: growth ranking and cold-start forecasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib only.  Two questions a buyer asks of a forecast:
 *
 * Which products will grow?  For every series with enough history, the
 * forecast of the next P steps (P: about a month, see
 * tc_hot_default_steps) against the sum of its last P observed values
 * before its own forecast origin ("recent").  The period's quantiles are
 * the sums of the steps' quantiles, the period rule of tc-explore.h, so
 * the numbers match the Forecast page's summary.  Growth at quantile q is
 * next_q / recent − 1: the range "likely +20 to +45 %" is P10 to P90 of
 * the period; the chance of growth is P(next > recent) from the quantile
 * function of tc-orders.h.  Ranked by median growth.  A recent period
 * with gaps is scaled up from its known values when at least half are
 * known; otherwise, or when the recent sum is 0, growth is unknown.
 *
 * What will a new product sell?  A series whose first value lies fewer
 * than new_steps steps before its forecast origin (its age a; a product
 * without any value yet included) is "new".  Its
 * forecast is borrowed from analogues: established series
 *   1. with the most static attributes (category, brand …) equal to the
 *      new one's (all of them when some series shares them all),
 *   2. whose life covers the new one's age a plus the horizon (their
 *      values at ages a … a + H − 1 after their own first value are
 *      known), and
 *   3. nearest in their first a values: the mean squared difference of
 *      log (1 + value) over ages 0 … a − 1 (level and shape alike).
 * The k nearest (default 5) lend their values at ages a … a + H − 1,
 * each scaled by the ratio of the new series' first-a total to its own
 * (no scaling for a product with no sales yet).  Quantile q of a step is
 * the q-th empirical quantile of those scaled values (linear between
 * order statistics): the spread among similar launches, not a model's
 * error; with fewer than 3 analogues it is narrow by chance, which the
 * words say.  Calendar effects are ignored: analogues are aligned by age,
 * not date.  Such forecasts are labelled "borrowed" everywhere.
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef struct
{
  guint  steps;        /* P, 0 = tc_hot_default_steps */
  guint  new_steps;    /* a series younger than this is new; 0 = 2 P */
  guint  n_analogues;  /* k, 0 = 5 */
} TcHotOptions;

typedef enum
{
  TC_HOT_MODEL = 0,      /* the model's forecast, growth against recent sales */
  TC_HOT_BORROWED,       /* new: forecast borrowed from analogues */
  TC_HOT_NO_ANALOGUE,    /* new, and no established series to borrow from */
  TC_HOT_NO_FORECAST,    /* no forecast at all */
} TcHotSource;

typedef struct
{
  guint        series;
  TcHotSource  source;
  guint        age;          /* steps from its first value to its forecast origin */
  double       recent;       /* sum of the last P values (NaN: unknown) */
  double      *next;         /* (n_quantiles) the next P steps, period rule */
  double       growth_lo, growth, growth_hi;  /* outermost and median quantile, as fractions (0.25 = +25 %) */
  double       chance_of_growth;              /* P(next > recent) */
  /* Borrowed forecasts only: */
  guint        n_analogues;
  guint       *analogues;    /* (n_analogues) series indices, nearest first */
  guint        attributes_matched;  /* static attributes equal to the analogues' */
  double      *forecast;     /* (horizon, n_quantiles) or NULL */
} TcHotItem;

typedef struct
{
  TcFrequency  freq;
  char        *target_name;
  guint        steps;
  guint        new_steps;
  guint        horizon;
  guint        n_quantiles;
  float        quantiles[TC_MODEL_MAX_QUANTILES];
  guint        median;
  guint        n_static;
  guint        n_items;
  TcHotItem   *items;        /* (n_items) ranked: model forecasts by median growth (unknown
                              * growth last), then borrowed, then the rest */
} TcHotReport;

/* About a month: 4 weeks, 28 days, 1 month, 1 quarter, 1 year, 1 week
 * of hours; at most @horizon. */
guint        tc_hot_default_steps (TcFrequency        freq,
                                   guint              horizon);

TcHotReport *tc_hot_report_new    (const TcDataset    *ds,
                                   const TcForecast   *f,
                                   const TcHotOptions *opts,
                                   GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void         tc_hot_report_free   (TcHotReport        *report);

/* "Likely to grow 20–45 % over the next 4 weeks (most likely +31 %) on
 * the last 4 weeks; 93 % chance of growth." or, borrowed, "New product (3
 * weeks of sales): forecast borrowed from 5 similar products (same
 * category and brand): A, B, C …".  Translated. */
char        *tc_hot_item_explain  (const TcHotReport  *report,
                                   const TcHotItem    *item,
                                   const TcDataset    *ds);

/* rank,series,source,age,recent,next_p10…,growth_p10,growth_p50,growth_p90,
 * chance_of_growth,analogues: one row per series with a forecast; growth
 * in percent; empty growth cells where it is unknown. */
char        *tc_hot_report_csv    (const TcHotReport  *report,
                                   const TcDataset    *ds);
/* The borrowed forecasts by date: series,date,p10,p50,p90,source,analogues. */
char        *tc_hot_borrowed_csv  (const TcHotReport  *report,
                                   const TcDataset    *ds,
                                   const TcForecast   *f);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcHotReport, tc_hot_report_free)

G_END_DECLS
