/* tc-scenario-book.h — named what-if scenarios, kept in a file and
 * compared side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib only.  A book is a list of named scenarios, each a list of edits
 * (TcScenarioEdit) whose series is kept by id, not index, so that a book
 * outlives a re-import.  The file is a GKeyFile, one group per scenario:
 *
 *   [Competitor cuts 10 %]
 *   edits=competitor_price*0.9;promo=1@2025-07-07..2025-07-20@SNK-001
 *
 * an edit being NAME=VALUE or NAME*FACTOR, optionally @FROM..TO (dates,
 * either end may be empty) and @SERIES — the syntax of "trendcast-cli
 * scenario --set" plus the series.
 *
 * Comparing forecasts the baseline and every scenario and sums them over
 * all series (or one) and the whole horizon, by the rules of
 * tc-explore.h: series combined at each step by @interval, steps added
 * with their distances (errors perfectly correlated over time).  The
 * uplift's range is the difference of the same quantile of scenario and
 * baseline: the two forecasts come from one model on one history, so
 * their errors are taken as the same error, and only the change the
 * edits make is uncertain in it.  Revenue needs a price covariate, the
 * margin also a cost (a known covariate named like "cost", "unit_cost",
 * "wholesale…", "成本"): (price − cost) × units.
 *
 * The model's uplift range is often a point: its calibrated quantiles
 * move together, so it does not say how sure the effect itself is.  The
 * comparison therefore also gives the uplift that the history alone
 * implies (the regression of tc-effects.h, with the 80 % range of its
 * coefficients) — a second opinion that disagrees when the model has
 * not learnt an effect.
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"
#include "tc-explore.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef struct _TcScenarioBook TcScenarioBook;

TcScenarioBook *tc_scenario_book_new        (void) G_GNUC_WARN_UNUSED_RESULT;
void            tc_scenario_book_free       (TcScenarioBook  *book);
TcScenarioBook *tc_scenario_book_copy       (TcScenarioBook  *book) G_GNUC_WARN_UNUSED_RESULT;
TcScenarioBook *tc_scenario_book_load       (const char      *path,
                                             GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        tc_scenario_book_save       (TcScenarioBook  *book,
                                             const char      *path,
                                             GError         **error);

guint           tc_scenario_book_get_n      (TcScenarioBook  *book);
const char     *tc_scenario_book_get_name   (TcScenarioBook  *book,
                                             guint            i);
/* The edits of scenario @i as text, "promo=1@2025-07-07..2025-07-20". */
const char * const *tc_scenario_book_get_edits (TcScenarioBook *book,
                                                guint           i);
/* Adds scenario @name (replacing one of that name) from edit texts;
 * TC_ERROR_INVALID_ARG for an edit that does not parse. */
gboolean        tc_scenario_book_set        (TcScenarioBook      *book,
                                             const char          *name,
                                             const char * const  *edits,
                                             GError             **error);
gboolean        tc_scenario_book_remove     (TcScenarioBook  *book,
                                             const char      *name);

/* The text of @e (see the header), its series named by @ds's id:
 * what tc_scenario_edit_parse reads back.  Dates are whole days (the
 * range ends on @e->to's day), values round-trip exactly. */
char           *tc_scenario_edit_to_text    (const TcScenarioEdit *e,
                                             const TcDataset      *ds) G_GNUC_WARN_UNUSED_RESULT;

/* Parses one edit text (see the header) for @ds: a series id that is not
 * in @ds is an error.  Free e->covariate. */
gboolean        tc_scenario_edit_parse      (const char      *text,
                                             const TcDataset *ds,
                                             TcScenarioEdit  *e,
                                             GError         **error);

typedef struct
{
  char    *name;                /* "Baseline" for row 0 */
  guint    n_quantiles;
  double   units[TC_MODEL_MAX_QUANTILES];         /* total units */
  double   uplift[TC_MODEL_MAX_QUANTILES];        /* units − the baseline's, quantile by quantile */
  double   revenue, uplift_revenue;               /* at the median, NaN without a price */
  double   margin, uplift_margin;                 /* at the median, NaN without price and cost */
  /* A second opinion on the uplift from the history alone
   * (tc-effects.h): the baseline's median times exp (Σ β Δx) − 1 on
   * every changed date, at β's estimate and at both ends of its 80 %
   * range; NaN with @history_note saying why when a changed covariate
   * has no estimate. */
  double   history_uplift, history_lo, history_hi;
  char    *history_note;
} TcScenarioSummary;

typedef struct
{
  guint               n_quantiles;
  float               quantiles[TC_MODEL_MAX_QUANTILES];
  guint               median;
  char               *cost_name;  /* the cost covariate, or NULL */
  guint               n_rows;
  TcScenarioSummary  *rows;       /* (n_rows) the baseline, then the book's scenarios in order */
} TcScenarioComparison;

/* Forecasts the baseline and every scenario of @book for @ds (with
 * @future as for tc_forecaster_scenario_full) and sums them over every
 * series, or only @series (≥ 0). */
TcScenarioComparison *tc_scenario_book_compare (TcScenarioBook     *book,
                                                TcForecaster       *fc,
                                                const TcDataset    *ds,
                                                const TcDataset    *future,
                                                TcOriginMode        mode,
                                                int                 series,
                                                TcExploreInterval   interval,
                                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void                  tc_scenario_comparison_free (TcScenarioComparison *c);
/* "Competitor cuts 10 %: 45,210 units (likely 41,000–49,800), −1,210 on
 * the baseline (likely −1,500 to −900); revenue −15,300." Translated. */
char                 *tc_scenario_summary_text    (const TcScenarioComparison *c,
                                                   guint                       row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcScenarioBook, tc_scenario_book_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcScenarioComparison, tc_scenario_comparison_free)

G_END_DECLS
