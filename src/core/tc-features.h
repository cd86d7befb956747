/* tc-features.h — feature schema, windows and normalisation of the forecaster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window is one series cut at an origin e: the context covers grid
 * indices [e - L, e), the future [e, e + Hp) with Hp = ceil (H / P) * P.
 * Every step carries F features; the P steps of a token are consecutive
 * in memory, so a window is (N, P*F) = (L + Hp, F) row-major.
 *
 * Nothing from the future leaks into a window: the target feature and
 * the observed covariates are zero (and masked) from the origin on; only
 * known-future covariates and the calendar describe the future steps.
 *
 * Seasonal memory: with a season m >= 2 (weekly 52, monthly 12 …) every
 * step, context and future alike, also carries the target one and two
 * seasons back (t - m, t - 2m), normalised like the target, each with a
 * mask that is 1 only where that value is observed and lies before the
 * origin.  A window shorter than a year plus the horizon (two years of
 * weekly history, 39 weeks ahead) so still sees last year's pattern at
 * every forecast step, and a lag that would fall on or after the origin
 * (a horizon longer than m) is unknown, never the future.
 *
 * Known covariates that cannot be told apart: when one moves exactly
 * with another within every series (a discount column that is the price
 * cut, |correlation| > 0.95 after each series' level and trend, the rule
 * of tc-effects.h), the schema leaves the lower-priority one out (the
 * price is kept over a discount).  Fed both, the network splits their
 * common effect at random, so that changing one alone (a price cut
 * without a discount) moved sales by half the effect or less; fed one,
 * it carries the whole effect, and tc_lever_price_alone_warning says
 * that this is an assumption the data cannot check.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tc-dataset.h"
#include "tc-model.h"
#include "tc-text.h"

G_BEGIN_DECLS

/* Feature layout of one step, in this order. */
enum
{
  TC_FEAT_TARGET = 0,   /* (y - mu) / scale in the context, 0 elsewhere */
  TC_FEAT_OBSERVED,     /* 1 where the target is observed in the context */
  TC_FEAT_FUTURE,       /* 1 on the forecast steps */
  TC_FEAT_LEVEL,        /* standardised log1p of the window's mean |y| */
  TC_FEAT_N_FIXED,      /* then known covariates, observed covariates, calendar,
                         * and per seasonal lag its value and its mask */
};

#define TC_FEATURES_MAX_LAGS 2

typedef struct
{
  TcFrequency      freq;
  char            *target_name;    /* the training data's target column, or NULL */
  guint            context;        /* L, a multiple of P */
  guint            horizon;        /* H */
  guint            patch;          /* P */
  guint            horizon_padded; /* Hp = ceil (H / P) * P */
  guint            n_tokens;       /* (L + Hp) / P */
  gboolean         log1p;          /* the target is modelled as log1p (y) */
  gboolean         nonneg;         /* the training target had no negative value */
  double           scale_floor;    /* smallest per-window scale, in model units */
  double           level_mean, level_std;

  guint            n_known;
  char           **known_names;    /* (n_known) */
  TcCovariateKind *known_kinds;    /* (n_known) */
  double          *known_mean;     /* (n_known) of the transformed covariate */
  double          *known_std;      /* (n_known) */

  guint            n_observed;
  char           **observed_names; /* (n_observed) */
  double          *observed_mean;  /* (n_observed) */
  double          *observed_std;   /* (n_observed) */

  guint            n_calendar;     /* sin/cos pairs * 2 */
  guint            calendar_kinds; /* bit set of TcCalendarKind */

  guint            n_static;
  char           **static_names;   /* (n_static) */
  GHashTable     **static_vocab;   /* (n_static) value -> id (1-based; 0 = unknown) */
  guint            static_card[TC_MODEL_MAX_STATIC];

  guint            season_lags;    /* seasonal lags t - m, t - 2m (0 in version-1 models) */
  guint            lag_period;     /* m */

  /* Review text (tc-text.h, tc-text-layer.h): the last n_text = text_dim + 1
   * features of a step, observed like the observed covariates (context
   * only, before the limit); 0 without text. */
  guint            n_text;
  guint            text_dim;       /* D_t of the text layer */
  char            *text_name;      /* the training data's text column */
  TcTextSettings   text_settings;  /* the tokenizer the hashed ids come from */

  guint            n_features;     /* F */
} TcFeatureSchema;

typedef enum
{
  TC_CAL_HOUR_OF_DAY  = 1 << 0,
  TC_CAL_DAY_OF_WEEK  = 1 << 1,
  TC_CAL_DAY_OF_YEAR  = 1 << 2,
  TC_CAL_WEEK_OF_YEAR = 1 << 3,
  TC_CAL_MONTH        = 1 << 4,
  TC_CAL_QUARTER      = 1 << 5,
} TcCalendarKind;

/* Index of the last training step (exclusive) of series @s: its end, or
 * with @holdout its end minus H (the last H observed steps of every
 * series stay out, also when series end at different dates). */
guint             tc_features_train_limit    (const TcDataset  *ds,
                                              guint             s,
                                              guint             horizon,
                                              gboolean          holdout);

/* TRUE when the observed target is non-negative and (almost) integer:
 * counts, which log1p makes far easier to model. */
gboolean          tc_features_guess_log1p    (const TcDataset  *ds);

/* Build the schema from the training part of @ds (statistics never look
 * past the train limit of a series). */
TcFeatureSchema  *tc_feature_schema_new      (const TcDataset  *ds,
                                              guint             context,
                                              guint             horizon,
                                              guint             patch,
                                              gboolean          log1p,
                                              gboolean          holdout,
                                              GError          **error);
void              tc_feature_schema_free     (TcFeatureSchema  *schema);
/* Sets the window shape (context, horizon, patch and what follows from
 * them: the padded horizon and the token count), nothing else: for
 * estimates of another shape over the same features. */
void              tc_feature_schema_set_shape (TcFeatureSchema *schema,
                                               guint            context,
                                               guint            horizon,
                                               guint            patch);
/* Adds the review-text channels (appended after every other feature):
 * @text_dim embedding channels and one volume channel.  @text_dim 0
 * removes them. */
void              tc_feature_schema_set_text (TcFeatureSchema      *schema,
                                              const char           *text_name,
                                              guint                 text_dim,
                                              const TcTextSettings *settings);
/* Index of the first text channel of a step (valid when n_text > 0). */
guint             tc_feature_schema_text_offset (const TcFeatureSchema *schema);
/* Name of feature @f ("target", "known:promo", "cal:month_sin" …); free it. */
char             *tc_feature_schema_feature_name (const TcFeatureSchema *schema,
                                                  guint                  f);
JsonNode         *tc_feature_schema_to_json  (const TcFeatureSchema *schema);
TcFeatureSchema  *tc_feature_schema_from_json(JsonNode         *node,
                                              GError          **error);

/* What one edit of a scenario does to a known covariate. */
typedef struct
{
  guint   known;      /* index in the schema's known covariates */
  gboolean scale;     /* multiply instead of set */
  double  value;
  gint64  from, to;   /* inclusive */
  int     series;     /* -1 = all */
} TcFeatureEdit;

/* A dataset turned into model inputs for one origin range: transformed
 * targets, standardised covariates and calendar on an extended grid
 * that reaches Hp steps past the last origin and L steps before 0. */
typedef struct _TcFeatureCube TcFeatureCube;

/* @future (may be NULL) supplies known covariates for the dates after
 * the data; @origin_max is the largest origin that will be cut (the cube
 * covers [origin_max, origin_max + H) for the known covariates).  With
 * @require_future the known covariates of the H forecast steps after
 * @origin_max that lie after the last target value of @ds must be known
 * (from @ds or @future); holiday-like ones are derived from the same date
 * one season earlier when missing.  Gaps inside the data stay unknown.
 * @limits (n_series) caps the target per series (train limit, or the
 * origin of each series when forecasting), or NULL; with @limits, the
 * forecast steps of series s (for edits and the check) start at
 * MIN (limits[s], origin_max). */
TcFeatureCube    *tc_feature_cube_new        (const TcFeatureSchema *schema,
                                              const TcDataset       *ds,
                                              const TcDataset       *future,
                                              guint                  origin_max,
                                              gboolean               require_future,
                                              const guint           *limits,
                                              const TcFeatureEdit   *edits,
                                              guint                  n_edits,
                                              GError               **error);
/* tc_feature_cube_new where the user's plan for series s starts at
 * @plan_from[s] (n_series) instead of after the last target of the whole
 * data: with per-series forecast origins, the dates after a series' own
 * last value are its plan even when other series still have data there
 * (a known covariate missing on them is then an error, not a gap).
 * NULL @plan_from is tc_feature_cube_new. */
TcFeatureCube    *tc_feature_cube_new_full   (const TcFeatureSchema *schema,
                                              const TcDataset       *ds,
                                              const TcDataset       *future,
                                              guint                  origin_max,
                                              gboolean               require_future,
                                              const guint           *limits,
                                              const guint           *plan_from,
                                              const TcFeatureEdit   *edits,
                                              guint                  n_edits,
                                              GError               **error);
void              tc_feature_cube_free       (TcFeatureCube         *cube);
/* Raw (untransformed) value of known covariate @k for series @s at grid
 * index @g (may be past the data); NaN when unknown. */
double            tc_feature_cube_known_raw  (const TcFeatureCube   *cube,
                                              guint                  k,
                                              guint                  s,
                                              guint                  g);
/* Date of grid index @g (may be past the data). */
gint64            tc_feature_cube_time       (const TcFeatureCube   *cube,
                                              guint                  g);

/* Cut the window of series @s at @origin.
 *   x     (L + Hp, F)   features
 *   stat  (n_static)    static ids
 *   y     (Hp)          normalised targets of the future (may be NULL)
 *   w     (Hp)          1 where y is an observed step < H below the limit (may be NULL)
 * @mu and @scale (out) de-normalise: model units = z * scale + mu.
 * Returns the number of observed context steps. */
guint             tc_feature_cube_window     (const TcFeatureCube   *cube,
                                              guint                  s,
                                              guint                  origin,
                                              float                 *x,
                                              guint                 *stat,
                                              float                 *y,
                                              float                 *w,
                                              double                *mu,
                                              double                *scale);

/* The review bags the text channels of the cube's windows refer to
 * (owned by the cube; NULL without text channels). */
TcTextBags       *tc_feature_cube_text_bags  (const TcFeatureCube   *cube);

/* Model units (normalised) back to the target's units. */
double            tc_features_denormalise    (const TcFeatureSchema *schema,
                                              double                 z,
                                              double                 mu,
                                              double                 scale);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcFeatureSchema, tc_feature_schema_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcFeatureCube, tc_feature_cube_free)

G_END_DECLS
