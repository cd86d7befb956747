/* tc-lever.h — what a planner can pull, estimated once for both pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lever is a known-future covariate a category manager decides:
 * running a promotion, giving a discount, changing the price, or any
 * other 0/1 flag of the data (never a holiday).  The Evaluation page says
 * what each lever does in general, the Scenarios page what one planned
 * change does; both used to compute it their own way and disagreed
 * (historical windows against the forecast horizon).  Now there is one
 * estimate per lever and it is exactly a scenario:
 *
 *   - the change is made with tc_lever_append_edits (), the function the
 *     Scenarios page builds its changes with, over every series and the
 *     whole horizon, at its standard size (a 10 % lower price, a 10 %
 *     discount, a competitor's price 10 % lower, a promotion or a flag
 *     on in every period);
 *   - it is forecast with tc_forecaster_scenario_full () from each
 *     series' own last value (TC_ORIGIN_PER_SERIES) with the future plan
 *     as resolved for the Scenarios page;
 *   - the uplift is the sum of scenario medians over the sum of baseline
 *     medians, minus 1: the same figure the Scenarios page shows when the
 *     same change is applied to all products and all dates.
 *
 * Uncertainty: the 80 % range of the same ratio over 500 bootstrap
 * resamples of the series (of the horizon steps when there is one
 * series), with a fixed seed.  It says how much the figure depends on
 * which products it is averaged over: a narrow range means the model
 * expects much the same response everywhere.  It is not a confidence
 * interval of the true effect: a model that never saw the lever move
 * can be confidently wrong.
 */
#pragma once

#include <gio/gio.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef enum
{
  TC_LEVER_PROMOTION = 0,   /* the promotion column set to 1 */
  TC_LEVER_DISCOUNT,        /* a discount of value %, with the price lowered by as much */
  TC_LEVER_PRICE,           /* the price multiplied by value (+ log value on a log price) */
  TC_LEVER_FLAG,            /* another 0/1 column set to 1 */
  TC_LEVER_COMPETITOR,      /* a competitor's price multiplied by value */
} TcLeverKind;

/* The standard pull the estimates use: 10 % lower price, 10 % discount. */
#define TC_LEVER_PRICE_FACTOR 0.9
#define TC_LEVER_DISCOUNT_PCT 10.0

/* The model's columns for each lever, matched to the data by name. */
typedef struct
{
  const char *promotion;       /* NULL when the model has none */
  const char *discount;
  const char *price;           /* a price or a log price */
  gboolean    price_is_log;
  const char *competitor;      /* a competitor's price (tc_effects_is_competitor) */
  /* Multiplies a discount in % into the column's unit: 0.01 when the
   * data writes discounts as fractions (0.2), 1 when as percents. */
  double      discount_scale;
  /* The discount is the data's, left out of the model as moving with
   * the price (tc-features.h; the name points into the data): setting
   * it changes nothing, the price carries the effect. */
  gboolean    discount_unread;
} TcLeverColumns;

/* Strings point into @fc (or @ds, see discount_unread); valid while they live. */
void      tc_lever_columns        (TcForecaster          *fc,
                                   const TcDataset       *ds,
                                   TcLeverColumns        *out);

/* Appends to @edits (of TcScenarioEdit; covariate names newly allocated)
 * the scenario edits that pull @kind by @value over [@from, @to] for
 * @series (-1: all).  @flag names the column of TC_LEVER_FLAG.  FALSE
 * when the model has no column for the lever (nothing appended). */
gboolean  tc_lever_append_edits   (const TcLeverColumns  *cols,
                                   TcLeverKind            kind,
                                   const char            *flag,
                                   double                 value,
                                   gint64                 from,
                                   gint64                 to,
                                   int                    series,
                                   GArray                *edits);
/* Frees the names of a TcScenarioEdit array's elements (for
 * g_array_set_clear_func). */
void      tc_scenario_edit_clear  (gpointer               edit);

typedef struct
{
  TcLeverKind kind;
  char       *covariate;      /* the column pulled (for a discount: the discount's, else the price's) */
  double      value;          /* the pull: 1, TC_LEVER_DISCOUNT_PCT or TC_LEVER_PRICE_FACTOR */
  double      uplift_pct;     /* 100 (sum scenario P50 / sum baseline P50 - 1) */
  double      uplift_lo;      /* 80 % bootstrap range of uplift_pct */
  double      uplift_hi;
  double      uplift_units;   /* mean P50 difference per series and step */
  guint       n_series;       /* series with a forecast */
} TcLever;

typedef struct
{
  guint    n_levers;
  TcLever *levers;            /* (n_levers) promotion, discount, price, competitor, then flags by column */
  /* The safety net may mix the Transformer with baselines that see no
   * covariate (tc-forecaster.h): the level is the mix's, the effect of a
   * change the network's (tc_forecaster_scenario_full).  1 = the network
   * alone. */
  double   network_share;
  guint    n_own;             /* series whose level is seasonal naive's alone */
} TcLeverSet;

/* Every lever of the model, estimated as above.  @future is the resolved
 * plan for per-series origins (tc_future_plan_resolve_full (…,
 * TC_ORIGIN_PER_SERIES, …)) or NULL for the model's assumptions
 * (tc_forecaster_future_template_full (…, TRUE)).  A
 * model without levers gives an empty set. */
TcLeverSet    *tc_forecaster_levers (TcForecaster     *fc,
                                     const TcDataset  *ds,
                                     const TcDataset  *future,
                                     GCancellable     *cancellable,
                                     GError          **error) G_GNUC_WARN_UNUSED_RESULT;
TcLeverSet    *tc_lever_set_ref     (TcLeverSet       *set);
void           tc_lever_set_unref   (TcLeverSet       *set);
/* The first lever of @kind (and column @covariate, unless NULL), or NULL. */
const TcLever *tc_lever_set_find    (const TcLeverSet *set,
                                     TcLeverKind       kind,
                                     const char       *covariate);

/* What @lever does, in one translated sentence with its range: "A 10 %
 * lower price (price): +12 % units, between +8 % and +16 % across
 * products" (newly allocated; NULL when it could not be measured).  The
 * app and the CLI say it in these words. */
char          *tc_lever_describe    (const TcLever    *lever);
/* Where the forecast's level and a change's effect come from when the
 * safety net mixes in baselines, in translated words; NULL when the
 * network makes the whole forecast. */
char          *tc_lever_set_describe_mix (const TcLeverSet *set,
                                          guint             n_series);

/* Whether scenario @edits change the price alone where the history
 * never did: when the price moved together with another known covariate
 * (a discount column that is the price cut, |correlation| > 0.95 within
 * series, as tc-effects.h finds), an edit that scales the price without
 * one that sets that column asks the model for something it never saw.
 * A model trained without that column (tc-features.h leaves it out)
 * gives the price the effect of both, which the sentence says then.
 * And when the model left the discount out (cols->discount_unread), an
 * edit of the discount without a price change moves nothing, which the
 * sentence says instead.
 * Returns the sentence that says so, translated — the app and the CLI
 * say it in these words — or NULL. */
char          *tc_lever_price_alone_warning (const TcLeverColumns  *cols,
                                             const TcDataset       *ds,
                                             const TcScenarioEdit  *edits,
                                             guint                  n_edits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcLeverSet, tc_lever_set_unref)

G_END_DECLS
