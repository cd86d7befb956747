/* tc-effects.h — what price, promotions and competitors do to sales,
 * estimated from the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib only.  A log-linear regression over every series and date, the
 * check the Transformer's what-if answers can be held against, and the
 * place that says when two causes cannot be told apart:
 *
 *   log y[s,t] = a_s + b_s t + Σ_k β_k x_k[s,t] + calendar[t] + e[s,t]
 *
 * - y: the target; dates without a positive value are left out (the
 *   log needs one, and a zero is as often a stock-out as no demand).
 * - a_s + b_s t: each series' own level and trend, removed by projecting
 *   every column on (1, t) within each series (Frisch–Waugh), so the
 *   effects come from changes within a series, not from cheap products
 *   selling more than dear ones.
 * - calendar: weekday (daily data) and yearly sin/cos pairs (two
 *   harmonics), common to all series.
 * - x_k, the known covariates: a price (own or a competitor's) enters as
 *   its logarithm, so β is an elasticity; a log price as it is; anything
 *   else (promotion 0/1, discount as a fraction, holidays 0/1) as it is.
 *   A competitor's price is a known covariate named like "competitor…",
 *   "rival…", "竞品…" (or listed by the caller); β is the cross-price
 *   elasticity, positive for substitutes.
 * - Two covariates whose within-series variation is nearly the same
 *   (|correlation| > 0.95 after removing each series' level and trend,
 *   e.g. a price that is base price × (1 − discount)) cannot
 *   be separated: the lower-priority one (own price > promotion >
 *   competitor price > discount > other) is left out, and the words
 *   say that the kept one's effect includes it.
 * - Standard errors are clustered by series (errors within a series are
 *   correlated over time), with the G / (G − 1) correction; with fewer
 *   than 5 series they are heteroskedasticity-robust only and too narrow
 *   under autocorrelation, which the result says.  Intervals are 80 %
 *   (±1.2816 standard errors), like the forecasts'.
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"

G_BEGIN_DECLS

typedef enum
{
  TC_EFFECT_PRICE = 0,          /* own price: elasticity */
  TC_EFFECT_COMPETITOR_PRICE,   /* cross-price elasticity */
  TC_EFFECT_PROMOTION,          /* log multiplier of a promoted date */
  TC_EFFECT_DISCOUNT,           /* per unit of the discount column (1 = 100 %) */
  TC_EFFECT_HOLIDAY,
  TC_EFFECT_OTHER,
} TcEffectKind;

typedef struct
{
  char         *name;            /* the known covariate */
  TcEffectKind  kind;
  gboolean      log_scale;       /* the regressor is the log of the column */
  double        coef, se;        /* β and its standard error */
  double        lo, hi;          /* 80 % interval of β */
  gboolean      dropped;         /* left out: cannot be separated from @confounded_with */
  char         *confounded_with;
  double        correlation;     /* with it, within series */
} TcEffect;

typedef struct
{
  guint      n_rows;             /* dates used, over all series */
  guint      n_series;           /* series with at least 3 of them */
  gboolean   clustered;          /* standard errors clustered by series */
  guint      n_effects;
  TcEffect  *effects;            /* (n_effects) in the dataset's order of known covariates */
} TcEffectsResult;

/* Estimates the effect of every known covariate of @ds.  @competitors
 * (NULL-terminated, may be NULL) names covariates that are a competitor's
 * price, besides those recognised by name.  TC_ERROR_EMPTY when there are
 * no known covariates or too few usable dates. */
TcEffectsResult *tc_effects_estimate   (const TcDataset       *ds,
                                        const char * const    *competitors,
                                        GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void             tc_effects_result_free (TcEffectsResult      *result);
/* The effect, or NULL. */
const TcEffect  *tc_effects_find       (const TcEffectsResult *result,
                                        const char            *name);
/* One sentence per effect, translated: "Price: a 10 % price cut raises
 * sales by about 21 % (likely 20–22 %); elasticity −1.80 (likely −1.85
 * to −1.75)."  For a dropped one, why it could not be separated. */
char            *tc_effect_explain     (const TcEffect        *effect);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEffectsResult, tc_effects_result_free)

/* Whether known covariate @name is a competitor's price: named in
 * @competitors (NULL-terminated, may be NULL) or named like one
 * ("competitor…", "rival…", 竞品, 对手). */
gboolean tc_effects_is_competitor (const char          *name,
                                   const char * const  *competitors);

G_END_DECLS
