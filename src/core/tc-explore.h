/* tc-explore.h — forecasts summed up to the levels of the hierarchy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast explorer (GUI) and "trendcast-cli plot" show a forecast
 * per series, per value of a static attribute (category, brand) and for
 * the total.  This module builds those groups from a TcDataset and a
 * TcForecast, GLib only.
 *
 * How levels are summed (the same everywhere, so the list, the chart, the
 * summary sentence and the CSV export agree):
 *
 * - History: a date's value is the sum of the members' values.  A member
 *   outside its own life (before its first or after its last observed
 *   date, e.g. a product not launched yet) contributes nothing.  A member
 *   inside its life but missing on that date makes the group's value
 *   unknown (NaN, a gap in the chart): a total that silently leaves out a
 *   selling product would look like a drop in demand.
 *
 * - Point forecast: the sum of the members' medians.  The median of a sum
 *   is not the sum of medians, but the sum is what a reader checks a
 *   category against (its products' numbers add up to it), and for the
 *   right-skewed demand of single products it errs on the low side only
 *   slightly next to the width of the interval.
 *
 * - Intervals: each quantile is the summed median plus a combined
 *   distance, computed separately below and above the median so that
 *   skewed intervals stay skewed:
 *     TC_EXPLORE_INDEPENDENT (default): the members' errors are assumed
 *       independent; distances add in quadrature,
 *       d = sqrt (sum_i d_i^2).  Exact for normal errors, narrower than
 *       the truth when products share shocks (weather, a site outage).
 *     TC_EXPLORE_COMONOTONIC: the members' errors are assumed perfectly
 *       correlated; quantiles add, d = sum_i d_i.  Never narrower than
 *       the truth for any dependence of the errors that moves products
 *       the same way; the cautious choice.
 *   The two bracket what the data can do when products do not hedge each
 *   other.  Members without a forecast (no history before the origin) are
 *   left out of the sums; a group none of whose members has one has NaN.
 *
 * - Series forecast from different dates (per-series origins: each
 *   series after its own last value, TC_ORIGIN_PER_SERIES): the level's
 *   forecast dates run from the earliest series' first forecast date to
 *   the latest series' last, and a group's forecast for a date combines
 *   the members that have a forecast for that calendar date, by the rule
 *   above.  So when origins differ, a total on a date is the forecast of
 *   the series forecast on that date only: on the dates after a product's
 *   early end it holds that product (the others still have data there,
 *   in the history), and on the last dates only the series that ended
 *   last.  It is not the demand of all products on that date; the CSV
 *   and the chart show exactly these sums, and the Forecast page says
 *   that the series end on different dates.  A group has no forecast
 *   (NaN, and no CSV row) on a date none of its members forecasts.
 *
 * - Period totals (the "next 4 weeks" of the summary) first combine the
 *   members at each step by the rule above, then ADD the steps' distances
 *   (errors perfectly correlated over time).  A model that misjudges a
 *   product's level misjudges it on every day of the period, so its errors
 *   do not average out over a month the way daily noise does; treating
 *   the days as independent made a 4-week total of the sample store look
 *   certain to ±2.5 %.  Over time, then, the range is the cautious one.
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef enum
{
  TC_EXPLORE_LEVEL_SERIES = 0,   /* one group per series */
  TC_EXPLORE_LEVEL_ATTRIBUTE,    /* one group per value of a static column */
  TC_EXPLORE_LEVEL_TOTAL,        /* one group: every series */
} TcExploreLevelKind;

typedef enum
{
  TC_EXPLORE_INDEPENDENT = 0,
  TC_EXPLORE_COMONOTONIC,
} TcExploreInterval;

typedef enum
{
  TC_EXPLORE_MARKER_PROMOTION = 0,
  TC_EXPLORE_MARKER_HOLIDAY,
} TcExploreMarkerKind;

/* A run of consecutive dates on which a promotion or holiday is on.  The
 * times are the first and last date of the run, widened by half a step on
 * each side so that a one-day promotion covers its day on a chart. */
typedef struct
{
  TcExploreMarkerKind kind;
  gint64              t_start, t_end;
  char               *label;    /* "Promotion", "double_11" */
} TcExploreMarker;

typedef struct
{
  char     *name;          /* "SNK-001", "Snacks", "Total" */
  guint     n_members;
  guint    *members;       /* (n_members) series indices, ascending */
  double   *history;       /* (n_history) summed as described above */
  double   *forecast;      /* (horizon, n_quantiles) combined as described above */
  double   *actual;        /* (horizon) what happened on the forecast dates, summed like
                            * the history over the members with a forecast for the date
                            * (holdout forecasts), or NULL when no forecast date has data */
  GArray   *markers;       /* of TcExploreMarker, sorted by t_start */
  /* The level's dates on which this group has a forecast: steps
   * [forecast_start, forecast_start + forecast_len) of @forecast (all H
   * with one common origin; a series' own H dates; a group's from its
   * earliest to its latest member's).  Dates inside may still be NaN. */
  guint     forecast_start, forecast_len;
  /* For the summaries, by each member's own steps (see the header). */
  double   *step_forecast; /* (series_horizon, n_quantiles) members combined at their k-th step */
  double   *recent;        /* (series_horizon) sum of the members' last values before their origins */
  double   *step_actual;   /* (series_horizon) or NULL, like @actual by own step */
} TcExploreGroup;

typedef struct
{
  TcExploreLevelKind kind;
  int                attribute;     /* static column for ATTRIBUTE, else -1 */
  char              *name;          /* "sku", "category", "total": the CSV's level column */
  TcExploreInterval  interval;
  TcFrequency        freq;
  char              *target_name;   /* units word for the summary, or NULL */

  guint              n_history;     /* the dataset's dates before the forecast origin */
  gint64            *history_times; /* (n_history) */
  guint              horizon;       /* forecast dates of the level (H with one common origin) */
  guint              series_horizon;/* H: the steps every series is forecast */
  guint              n_quantiles;
  float              quantiles[TC_MODEL_MAX_QUANTILES];
  guint              median;        /* index of the quantile nearest to 0.5 */
  gint64            *forecast_times;/* (horizon) every grid date from the earliest series'
                                     * forecast start to the latest series' last step */

  guint              n_groups;
  TcExploreGroup    *groups;        /* (n_groups) by name, except SERIES: dataset order */
} TcExploreLevel;

/* Builds one level.  @future (may be NULL) holds known covariates of the
 * forecast dates, matched by series id and date, for the markers of the
 * horizon; @ds itself serves for dates inside its grid.  @forecast must be
 * a forecast of @ds, from one common origin or per-series origins (see
 * above); a holdout forecast (tc_forecaster_predict_holdout) gives the
 * groups the held-out actuals. */
TcExploreLevel *tc_explore_level_new      (const TcDataset     *ds,
                                           const TcDataset     *future,
                                           const TcForecast    *forecast,
                                           TcExploreLevelKind   kind,
                                           int                  attribute,
                                           TcExploreInterval    interval,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void            tc_explore_level_free     (TcExploreLevel      *level);

/* Index of the group called @name, or -1. */
int             tc_explore_level_find     (const TcExploreLevel *level,
                                           const char           *name);

/* Combines per-member quantiles (n, n_quantiles) into one row of
 * n_quantiles by the rule above; NaN rows are skipped.  Exposed so that
 * tests can check the arithmetic on hand-computed values. */
void            tc_explore_combine        (const double        *rows,
                                           guint                n,
                                           guint                n_quantiles,
                                           guint                median,
                                           TcExploreInterval    interval,
                                           double              *out);

/* A group's last @steps dates against its next @steps forecast steps.
 * Each member counts its own steps: the next @steps after its own origin
 * and the @steps dates before it, so that with per-series origins "next
 * 4 weeks" is every series' next 4 weeks (with one common origin, the
 * same dates for all). */
typedef struct
{
  guint   steps;
  double  last;        /* sum of the last @steps history values, NaN if any is unknown */
  double  next;        /* summed median of the next @steps steps */
  double  next_lo;     /* outermost lower quantile of that sum (P10 by default) */
  double  next_hi;     /* outermost upper quantile */
  double  change;      /* next / last - 1, NaN when last is not positive */
  double  actual;      /* what happened in those steps (holdout), NaN if unknown */
} TcExploreSummary;

/* The total of @members (series of @f) over their own first @steps
 * forecast steps, by the rules above (members combined at each step with
 * @interval, the steps added): @out (n_quantiles) holds the summed
 * median at tc_forecast_median_index and the range around it, NaN when a
 * step has no forecast.  tc_explore_group_summary's "next" for any set
 * of series: the Scenarios page's totals. */
void            tc_explore_members_total  (const TcForecast    *f,
                                           const guint         *members,
                                           guint                n_members,
                                           guint                steps,
                                           TcExploreInterval    interval,
                                           double              *out);

/* The comparison window the explorer uses: the horizon, at most 13 weeks
 * of daily data, 13 weekly steps, 12 months... */
guint           tc_explore_default_steps  (const TcExploreLevel *level);
void            tc_explore_group_summary  (const TcExploreLevel *level,
                                           guint                 group,
                                           guint                 steps,
                                           TcExploreSummary     *summary);
/* "Next 4 weeks: 1,240 units (likely 1,050–1,430), +8 % on the last 4
 * weeks"; with actuals "Held-out 4 weeks: forecast 1,240 units (likely
 * 1,050–1,430), actual 1,302 (+5 %)".  Translated. */
char           *tc_explore_summary_text   (const TcExploreLevel   *level,
                                           const TcExploreSummary *summary);
/* "4 weeks", "28 days", "3 months" (translated, plural-aware). */
char           *tc_explore_period_phrase  (TcFrequency           freq,
                                           guint                 steps);
/* "12,500", "3.75": grouped thousands with "," independent of locale. */
char           *tc_explore_format_number  (double                v);

/* The forecasts of every group of @levels as CSV:
 * series,level,date,<one column per quantile, p10,p50,p90>.  A row for
 * every date on which the group has a forecast, never an empty cell: a
 * group without any forecast (no member with history) has no rows, which
 * the caller must tell the user about. */
gboolean        tc_explore_write_csv      (TcExploreLevel * const *levels,
                                           guint                   n_levels,
                                           const char             *path,
                                           GError                **error);
char           *tc_explore_csv            (TcExploreLevel * const *levels,
                                           guint                   n_levels);
/* History, forecast and holdout actuals of every group as one long table,
 * series,level,date,kind,value,unit: kind is "history", "actual" or a
 * quantile ("p10" …), unit the target's name.  No empty cells. */
char           *tc_explore_history_csv    (TcExploreLevel * const *levels,
                                           guint                   n_levels);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcExploreLevel, tc_explore_level_free)

G_END_DECLS
