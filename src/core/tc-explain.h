/* tc-explain.h — which drivers a trained forecaster relies on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Permutation importance: the model forecasts the last windows of the
 * data (origins E - H, E - 2H, … with E the end of the data) once as
 * is and once with one driver scrambled, and the driver's importance is
 * how much the error grows.  Scrambling keeps each driver's values and
 * only destroys what they say about the demand:
 *   - a known or observed covariate: its values are shuffled in time
 *     within every series (the past and the forecast steps alike);
 *   - the calendar: every date moves by a quarter, half and three
 *     quarters of a season (one per repeat), so weekday and month
 *     features no longer match the sales;
 *   - the history: the target values before the origin are shuffled in
 *     time within every series (the level stays, the shape goes);
 *   - review text, when the model reads it: each series' review texts
 *     before the origin are shuffled in time (how many and what they say
 *     stays, when they came goes): one driver for all text channels.
 * The error is the pinball loss over all quantiles, summed over series
 * and steps and divided by the sum of |actual| (scale-free, so large
 * series weigh by their volume), and the mean sMAPE of the median.
 * Shuffles use a GRand with a fixed seed: the result is deterministic.
 *
 * What the levers (promotion, discount, price) do is tc-lever.h's job:
 * one estimate that the Scenarios page shares.
 */
#pragma once

#include <gio/gio.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

typedef enum
{
  TC_DRIVER_KNOWN = 0,
  TC_DRIVER_OBSERVED,
  TC_DRIVER_CALENDAR,
  TC_DRIVER_HISTORY,
  TC_DRIVER_TEXT,
} TcDriverKind;

typedef struct
{
  char           *name;            /* the column (the text column for TEXT), or "calendar", "history" */
  TcDriverKind    kind;
  TcCovariateKind covariate_kind;  /* for known covariates */
  /* Relative growth of the pinball loss when scrambled: 0.23 = 23 % worse.
   * Near 0 (or below): the model does not rely on it. */
  double          importance;
  double          importance_sd;   /* spread over the repeats */
  double          loss;            /* scrambled pinball loss (mean over repeats) */
  double          smape;           /* scrambled sMAPE of the median, in % */
} TcDriverImportance;

typedef struct
{
  guint               horizon;
  guint               n_origins;
  guint              *origins;     /* (n_origins) */
  guint               n_windows;   /* scored (series, origin) windows */
  double              base_loss;   /* pinball loss as above, unscrambled */
  double              base_smape;
  guint               n_drivers;
  TcDriverImportance *drivers;     /* (n_drivers) most important first */
} TcExplainResult;

typedef struct
{
  guint   n_origins;   /* 0 = 2 */
  guint   n_repeats;   /* shuffles per driver; 0 = 3 */
  guint32 seed;        /* 0 = 1 */
} TcExplainOptions;

/* @opts may be NULL for the defaults.  @progress (may be NULL) is called
 * after every forecast with (done, total). */
gboolean  tc_forecaster_explain   (TcForecaster            *fc,
                                   const TcDataset         *ds,
                                   const TcExplainOptions  *opts,
                                   TcExplainResult        **result,
                                   void                   (*progress) (guint done, guint total, gpointer data),
                                   gpointer                 progress_data,
                                   GCancellable            *cancellable,
                                   GError                 **error);
void      tc_explain_result_free  (TcExplainResult         *result);
/* The driver of that name, or NULL. */
const TcDriverImportance *tc_explain_result_find (const TcExplainResult *result,
                                                  const char            *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcExplainResult, tc_explain_result_free)

G_END_DECLS
