/* tc-orders.h — how much to order, from a quantile forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A periodic-review, order-up-to policy per series (SKU), GLib only.
 * Every review period R an order is placed; it arrives L steps later
 * (the lead time: an order placed now serves the demand of steps L + 1
 * onwards; L = 0 serves step 1).  The order placed now must therefore
 * cover the demand until the delivery after it arrives: the L + R steps
 * of the "protection period".
 *
 * Demand over the protection period.  The forecast gives quantiles per
 * step; the period's quantiles are the sums of the steps' quantiles.
 * That is tc_explore_combine () with TC_EXPLORE_COMONOTONIC, the rule of
 * tc-explore.h for period totals (errors perfectly correlated over time:
 * a model that misjudges a product's level misjudges every week), so the
 * plan and the Forecast page's "next 6 weeks" agree.
 *
 * Between and beyond the quantiles.  The quantile function is taken as
 * piecewise linear in z = Φ⁻¹(u) through the forecast's quantiles, and
 * beyond the outermost ones as a normal tail with the spread of its side
 * (slope (P90 − P50) / (z(0.9) − z(0.5)) above, likewise below), clipped
 * at 0 for demand.  With P10/P50/P90 this is a two-piece normal: exact
 * for a normal forecast, skewed where the forecast is.  Summing over
 * steps before or after this interpolation gives the same result, since
 * both are linear in z.
 *
 * The numbers, for a cycle service level α (or the newsvendor's critical
 * ratio α = c_short / (c_short + c_over)) and D the protection period's
 * demand:
 *   order-up-to level  S = Q_D(α)
 *   position           = stock on hand + on order (on order counts as
 *                        arriving before the order placed now)
 *   order              = max (0, ⌈S − position⌉) whole units
 *   stockout risk, step k (cumulative: has run out by the end of step k)
 *                      = P(D_1..k > position)          for k ≤ L
 *                      = P(D_1..k > position + order)  for k > L
 *   expected leftover  = E[(position + order − D)+] when the next
 *                        delivery arrives (end of step L + R)
 *   expected short     = E[(D − position − order)+], units not served
 *                        in the period (lost or back-ordered)
 *   cover              = steps the position lasts at median demand
 * The expectations are integrals of the quantile function over
 * u ∈ (0, 1) (midpoint rule, 4,000 points).
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef struct
{
  guint   lead_time;       /* L, forecast steps until an order placed now arrives */
  guint   review_period;   /* R >= 1, steps between orders */
  double  service_level;   /* α in (0, 1): chance that the period ends without a stockout */
} TcOrderParams;

/* Stock of one series; NaN stock = unknown (no plan for the series). */
typedef struct
{
  double stock;
  double on_order;         /* 0 when unknown */
} TcStock;

typedef enum
{
  TC_ORDER_OK = 0,
  TC_ORDER_NO_STOCK,       /* no stock given for the series */
  TC_ORDER_NO_FORECAST,    /* the series has no forecast (no history) */
} TcOrderStatus;

typedef struct
{
  guint          series;
  TcOrderStatus  status;
  double         stock, on_order, position;
  double        *demand;           /* (n_quantiles) quantiles of D over the L + R steps */
  double         demand_median;    /* = demand[median] */
  double         order_up_to;      /* S, not rounded */
  double         order;            /* whole units to order now */
  double         risk_before_arrival; /* P(D_1..L > position), 0 with L = 0 */
  double         risk_end;         /* P(D_1..L+R > position + order) */
  double        *risk;             /* (steps) cumulative stockout risk by the end of each step */
  double         expected_leftover;
  double         expected_short;
  double         cover_steps;      /* INFINITY when the position outlasts the horizon */
} TcOrderLine;

typedef struct
{
  TcOrderParams  params;
  TcFrequency    freq;
  char          *target_name;      /* or NULL */
  guint          steps;            /* L + R */
  guint          horizon;
  guint          n_quantiles;
  float          quantiles[TC_MODEL_MAX_QUANTILES];
  guint          median;
  guint          n_lines;
  TcOrderLine   *lines;            /* (n_lines) one per series, dataset order */
  gint64        *first_dates;      /* (n_lines) first forecast date of each series */
} TcOrderPlan;

/* The newsvendor's service level: the cost of a unit short over the sum
 * of that and the cost of a unit left over (each per protection period);
 * NaN unless both are positive. */
double        tc_orders_critical_ratio (double            cost_short,
                                        double            cost_over);

/* The value at level @u of the quantile function through (@levels,
 * @values) described in the header, clipped at 0 when @non_negative.
 * @values must be ascending. */
double        tc_orders_quantile       (const float      *levels,
                                        const double     *values,
                                        guint             n,
                                        guint             median,
                                        gboolean          non_negative,
                                        double            u);
/* P(D > @x) for the same distribution. */
double        tc_orders_exceedance     (const float      *levels,
                                        const double     *values,
                                        guint             n,
                                        guint             median,
                                        gboolean          non_negative,
                                        double            x);
/* E[(@x − D)+] (@leftover) and E[(D − @x)+] (@short_), either may be NULL. */
void          tc_orders_expectations   (const float      *levels,
                                        const double     *values,
                                        guint             n,
                                        guint             median,
                                        gboolean          non_negative,
                                        double            x,
                                        double           *leftover,
                                        double           *short_);

/* Sums steps [0, @steps) of one series' forecast (@rows: (steps,
 * n_quantiles)) by the period rule of tc-explore.h into @out
 * (n_quantiles); NaN when a step has no forecast. */
void          tc_orders_period_demand  (const double     *rows,
                                        guint             steps,
                                        guint             n_quantiles,
                                        guint             median,
                                        double           *out);

/* The plan for every series of @f (a forecast of @ds); @stock is
 * (n_series).  Fails with TC_ERROR_INVALID_ARG when L + R exceeds the
 * forecast's horizon or a parameter is out of range. */
TcOrderPlan  *tc_order_plan_new        (const TcDataset     *ds,
                                        const TcForecast    *f,
                                        const TcStock       *stock,
                                        const TcOrderParams *params,
                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void          tc_order_plan_free       (TcOrderPlan         *plan);

/* Stock per series of @ds (n_series, free with g_free): from a CSV with
 * a header naming the series column ("sku", "series", "id" or the first
 * column), "stock" (or the second column) and optionally "on_order";
 * series not in the file have NaN stock.  @n_matched counts the series
 * found; ids in the file that match no series go to @unknown (may be
 * NULL; a NULL-terminated list to g_strfreev). */
TcStock      *tc_orders_read_stock     (const char          *path,
                                        const TcDataset     *ds,
                                        guint               *n_matched,
                                        char              ***unknown,
                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* Stock per series from a column of @ds (an observed or known
 * covariate): its last value at or before the series' last target
 * value.  TC_ERROR_SCHEMA when there is no such column. */
TcStock      *tc_orders_stock_from_column (const TcDataset  *ds,
                                           const char       *column,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;

/* The plan's line in plain words, one sentence per number (translated). */
typedef enum
{
  TC_ORDER_WORDS_ORDER = 0,      /* "Order 120 units now." (or why there is no plan) */
  TC_ORDER_WORDS_DEMAND,         /* the period's demand and its range */
  TC_ORDER_WORDS_LEVEL,          /* the order-up-to level */
  TC_ORDER_WORDS_POSITION,       /* stock + on order */
  TC_ORDER_WORDS_RISK_ARRIVAL,   /* before the order arrives (NULL with no lead time) */
  TC_ORDER_WORDS_RISK_END,       /* by the next delivery */
  TC_ORDER_WORDS_LEFTOVER,       /* leftover and unserved demand */
  TC_ORDER_WORDS_COVER,          /* how long the stock lasts */
  TC_ORDER_N_WORDS
} TcOrderWords;

/* The order-up-to level as shown to people: in whole units, rounded up
 * as the order is, so that stock + order never reads as more than the
 * level ("order 559 up to 558"); NaN stays NaN. */
double        tc_order_line_level      (const TcOrderLine   *line);
/* Each sentence, or NULL where it does not apply; free each. */
void          tc_order_line_sentences  (const TcOrderPlan   *plan,
                                        const TcOrderLine   *line,
                                        char                *words[TC_ORDER_N_WORDS]);
/* All of them in that order: a NULL-terminated array to g_strfreev. */
char        **tc_order_line_explain    (const TcOrderPlan   *plan,
                                        const TcOrderLine   *line);
/* One sentence on the whole plan: "Order 1,240 units for 12 of 40
 * products; 3 may run out before their order arrives." */
char         *tc_order_plan_summary    (const TcOrderPlan   *plan);

/* The plan as CSV: series,stock,on_order,position,demand_p10…,order_up_to,
 * order,risk_before_arrival,risk_end,expected_leftover,expected_short,
 * cover_steps,risk_1…risk_<L+R>.  Lines without a plan are left out. */
char         *tc_order_plan_csv        (const TcOrderPlan   *plan,
                                        const TcDataset     *ds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOrderPlan, tc_order_plan_free)

G_END_DECLS
