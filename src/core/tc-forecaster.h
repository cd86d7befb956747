/* tc-forecaster.h — the global forecaster: features, training, forecasts, scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model across all series of a TcDataset.  This is the API the
 * GUI (training page, forecast explorer, scenarios), the CLI and the
 * backtest use.  Training runs in whatever thread calls it: progress
 * comes through a callback and cancellation through a GCancellable,
 * both checked every step.
 *
 * How it works (details in tc-features.h): windows of context L and
 * horizon H (predicted as ceil (H / P) * P steps, the first H kept) are
 * sampled from every series, each window normalised by the mean and
 * standard deviation of its observed context (after log1p for counts).
 * Features per step: the normalised target and its observed mask (zero
 * in the future), an is-future flag, the window's log level, the known
 * covariates (price as log of price over the series' median price;
 * standardised with training statistics), the observed covariates (past
 * only), calendar sin/cos for the frequency, and seasonal memory: the
 * target one and two seasons back (t - m, t - 2m, normalised like the
 * target, each with a mask, known only where it lies before the origin),
 * on context and forecast steps alike, so that a window shorter than a
 * year plus the horizon still knows last year's pattern.  Static
 * attributes are embeddings (id 0 = unseen value).  Tokens without any
 * observed step are masked as attention keys.
 *
 * Validation: the last H steps before the train limit of every series,
 * from J origins in a row when there are few series (J = ceil (256 /
 * series), at most H).  Training windows may start anywhere before that
 * region and reach into it; their steps inside it carry no weight, so a
 * short history (104 weeks, H = 39) still trains on windows with a full
 * context.  The loss is the pinball loss over the quantiles; AdamW with
 * warm-up and cosine decay; early stopping keeps the best epoch.  Then
 * (opts.refit, default) a fresh model trains for that many epochs on
 * every window before the train limit, validation region included, and
 * forecasts: the forecast should not come from a model that never
 * learnt the latest H + J - 1 steps.
 *
 * Safety net (opts.safety_net, default; tc-safety.c): the early-stopped
 * model, which has not seen the validation region, forecasts every
 * validation window, and so do seasonal naive, Theta and ETS (non-
 * seasonal ETS on M4-style seasonally adjusted data: automatic ETS with
 * m = 52 would take seconds per series), each from the data before the
 * window's origin only.  The equal-weight combination of methods with the
 * lowest mean validation MASE becomes the forecast of every series;
 * seasonal naive alone is a candidate, so on validation the result is
 * never worse than it.  Quantiles are then calibrated (split conformal):
 * per horizon step, empirical quantiles of the validation residuals of
 * that combined forecast divided by each series' naive in-sample error;
 * a forecast's quantile q is point + scale x offset(h, q), sorted and
 * clipped at 0 for non-negative data.  Split conformal's finite-sample
 * widening counts independent validation windows (one per series and H
 * steps), not residuals.  With few series (J > 1) each series' offsets
 * take their shape from the baselines' out-of-sample errors at rolling
 * origins over its whole history, scaled per quantile level on the
 * validation residuals (details in tc-safety.c).  The choice, the
 * calibration and their validation scores are kept in the model file
 * (tc_forecaster_get_safety, tc_forecaster_get_safety_summary).
 *
 * Early stopping and the learning rate: the cosine schedule runs over
 * max_epochs.  A validation plateau before training has drawn as many
 * windows as there are is not taken for overfitting (large files are
 * far from it: M4 Weekly has 362,000 windows and an epoch draws 6,400),
 * so training goes on; the first plateau after that lowers the learning
 * rate to a tenth over max (patience, epochs so far) more epochs, and
 * training stops after them, keeping the best epoch.  The refit replays
 * the same schedule for that many epochs.  (Stopping at the first
 * plateau ended M4 Weekly after 5 epochs for two seeds of three, at
 * holdout MASE 2.25 and 2.32 against 2.03.)
 *
 * Model file: version 3 (per-series calibration offsets).  Version-2
 * files load with their global offsets, version-1 files (no seasonal
 * lags, no safety net) with the network alone; newer versions are
 * refused with TC_ERROR_INCOMPATIBLE.  The feature schema and its
 * statistics are stored in the model file.
 */
#pragma once

#include <gio/gio.h>

#include "tc-dataset.h"
#include "tc-features.h"
#include "tc-model.h"

G_BEGIN_DECLS

typedef enum
{
  TC_PRESET_SMALL = 0,   /* default: fast on a laptop */
  TC_PRESET_MEDIUM,
  TC_PRESET_LARGE,       /* the seed paper's size: d 512, 8 heads, d_ff 2048 */
  TC_PRESET_CUSTOM,
} TcPreset;

typedef struct
{
  /* Shapes; 0 = choose from the data (frequency, horizon, series length). */
  guint     horizon;        /* H, steps to forecast */
  guint     context;        /* L, past steps the model sees */
  guint     patch;          /* P, steps per token */

  TcPreset  preset;
  guint     d_model, n_heads, n_layers, d_ff;   /* 0 = from the preset */
  float     dropout;        /* < 0 = from the preset */
  float     lr;             /* 0 = default */
  float     weight_decay;   /* < 0 = default (0.01) */
  guint     batch;          /* 0 = default */
  guint     max_epochs;     /* 0 = default; early stopping usually ends sooner */
  guint     patience;       /* epochs without validation improvement before stopping; 0 = 5 */
  guint     steps_per_epoch;/* 0 = from the number of windows */
  guint64   seed;
  guint     threads;        /* 0 = all cores; forecasts do not depend on it, training
                             * is reproducible for the same seed and thread count */
  gboolean  holdout;        /* keep the last H observed steps of every series out of training
                             * (see tc_forecaster_predict_holdout) */
  gboolean  log1p;          /* 0/1; -1 = choose from the data (tc_forecaster_options_init sets -1;
                             * resolve picks log1p for non-negative, integer-like data: counts) */
  guint     n_quantiles;
  float     quantiles[TC_MODEL_MAX_QUANTILES];  /* default 0.1 0.5 0.9 */
  gboolean  safety_net;     /* compare with the baselines on validation, forecast with the combination
                             * validation supports and calibrate the quantiles (default TRUE;
                             * FALSE = the network's forecasts as they are) */
  gboolean  refit;          /* after early stopping, train a fresh model for the chosen number of
                             * epochs on all data before the train limit (default TRUE) */
  guint     ensemble;       /* 0/1 = one model; K = K models trained with seeds seed … seed + K - 1
                             * (K times the training time); forecasts are the median of
                             * their quantiles.  tc_forecaster_get_model returns the first. */
  guint     text_dim;       /* review text as an observed input: the width D_t of the learnt text
                             * signal (tc-text-layer.h); 0 = the model ignores text (default).
                             * Without a text column in the data it is set to 0. */
} TcForecasterOptions;

/* What training reports after every step (and at every epoch end).  The
 * first report, before any step (step 0, epoch 0), only carries an event
 * describing the data; events also come with the epoch-end report that
 * stops training and with a cancel or a numeric failure. */
typedef struct
{
  guint    epoch;            /* 1-based */
  guint    max_epochs;
  guint    step;             /* global step, 1-based */
  guint    total_steps;
  guint    steps_per_epoch;
  float    train_loss;       /* of this step */
  float    epoch_train_loss; /* mean over the epoch so far */
  float    val_loss;         /* NaN until the epoch's validation ran */
  gboolean epoch_end;        /* TRUE on the report after validation */
  guint    best_epoch;
  float    best_val_loss;
  float    lr;
  double   windows_per_s;
  double   elapsed_s;
  double   eta_s;
  const char *event;         /* a plain-language event ("Validation loss has not improved for 5 epochs: stopped; kept the model from epoch 12"), or NULL */
} TcTrainProgress;

/* What a finished training did; kept in the model file. */
typedef struct
{
  guint    epochs;           /* epochs that ran to the end */
  guint    best_epoch;       /* 1-based epoch whose weights the model holds */
  float    best_val_loss;    /* pinball loss in normalised units */
  guint    steps;
  double   train_seconds;
  gsize    n_params;
  guint    n_train_windows;  /* distinct windows training could sample */
  guint    n_val_windows;
  gboolean stopped_early;    /* by patience */
  gboolean cancelled;        /* by the user, after at least one epoch */
  gboolean numeric_failure;  /* NaN/Inf loss, after at least one epoch */
  guint    refit_epochs;     /* epochs of the refit on all data that the model holds; 0 = no refit */
  guint    anneal_epoch;     /* the epoch after which the learning rate was lowered on the first
                              * plateau of the validation loss; 0 = never */
} TcTrainSummary;

/* The forecasting methods the safety net weighs (bits of a mask). */
typedef enum
{
  TC_METHOD_TRANSFORMER = 0,
  TC_METHOD_SEASONAL_NAIVE,   /* the value one season earlier */
  TC_METHOD_THETA,            /* M4 Theta */
  TC_METHOD_ETS,              /* tc_baseline_ets_adjusted: non-seasonal ETS on adjusted data */
  TC_METHOD_N
} TcMethod;

/* What the safety net decided on validation; kept in the model file.
 * Scores are mean scaled absolute errors (MASE with the in-sample
 * seasonal-naive error as the scale, the naive one where a series has
 * no season of history). */
typedef struct
{
  gboolean active;            /* FALSE: forecasts are the Transformer's alone
                               * (files from before it, or training cancelled) */
  guint    season;            /* m of seasonal naive, the scale and the calibration */
  guint    global_mask;       /* bits of TcMethod: the methods combined for (most) series */
  double   tf_weight;         /* the Transformer's weight in that combination; the baselines
                               * in the mask share the rest equally */
  guint    n_series;          /* series with a validation window */
  guint    n_windows;         /* validation windows scored (series x origins) */
  guint    n_own;             /* series that use seasonal naive alone instead of the global choice */
  guint    n_history_shaped;  /* series whose intervals take their shape from their own history
                               * (few series only; see tc-safety.c) */
  guint    n_independent;     /* independent validation windows the calibration counted
                               * (one per series and H steps; 0 in files before version 3) */
  double   val_mase[TC_METHOD_N];  /* each method alone on validation (NaN = not scored) */
  double   val_mase_global;   /* the global combination for every series */
  double   val_mase_final;    /* what the forecasts use, series by series */
  double   coverage_level;    /* nominal coverage of the outermost interval (0.8 for P10-P90) */
  double   val_coverage_raw;  /* the network's own interval on validation */
  double   val_coverage;      /* after calibration, on the same windows */
} TcSafetySummary;

typedef void (*TcTrainProgressFunc) (const TcTrainProgress *progress,
                                     gpointer               user_data);

typedef struct _TcForecaster TcForecaster;

/* Where the forecast of each series starts.  Series of one file often
 * end on different dates (a product delisted, a store that reports
 * late). */
typedef enum
{
  /* Every series is forecast for the H steps after its own last target
   * value.  The default of the CLI and the app. */
  TC_ORIGIN_PER_SERIES = 0,
  /* Every series is forecast for the same H dates, after the last date
   * with a target value in any series.  A series that ended before that
   * date forecasts across a gap in its context, or not at all (NaN) when
   * its last value lies more than the model's context before it: see
   * tc_forecast_series_ended_early (). */
  TC_ORIGIN_COMMON,
} TcOriginMode;

/* A forecast for every series: quantiles (n_series, horizon, n_quantiles), dates (horizon). */
typedef struct
{
  guint    n_series;
  guint    horizon;
  guint    n_quantiles;
  float    quantiles[TC_MODEL_MAX_QUANTILES];
  gint64  *times;            /* (horizon) */
  double  *values;           /* (n_series, horizon, n_quantiles), de-normalised, ascending in q */
  guint    origin;           /* time index of the first forecast step in the dataset grid */
  /* Set when every series has its own origin: per-series origins
   * (TC_ORIGIN_PER_SERIES, also when all series happen to end together)
   * and tc_forecaster_predict_holdout (its last H observed steps); NULL
   * with one common origin.  @origin and @times are then those of the
   * latest series, and series s forecasts the dates
   * series_times[s * horizon …] (tc_forecast_series_times () reads
   * either layout). */
  guint   *origins;          /* (n_series) */
  gint64  *series_times;     /* (n_series, horizon) */
} TcForecast;

void          tc_forecaster_options_init   (TcForecasterOptions       *opts);
/* P10, P50, P90: the 80 % range around the median. */
void          tc_forecaster_default_quantiles (TcForecasterOptions    *opts);
/* With @inner, P25 and P75 too: the 50 % range inside the 80 % one. */
void          tc_forecaster_options_set_inner_range (TcForecasterOptions       *opts,
                                                     gboolean                   inner);
gboolean      tc_forecaster_options_get_inner_range (const TcForecasterOptions *opts);
/* Resolve zeros to concrete values for @ds; fails on impossible combinations. */
gboolean      tc_forecaster_options_resolve(TcForecasterOptions       *opts,
                                            const TcDataset           *ds,
                                            GError                   **error);

/* Train one global model on every series of @ds.
 *
 * Cancellation and numeric failure: when @cancellable fires, or a loss
 * turns NaN/Inf, training stops at once.  If at least one epoch finished
 * (so validation has chosen weights), the best model so far is returned
 * and the summary and a progress event say why training stopped.
 * Otherwise NULL is returned with G_IO_ERROR_CANCELLED (cancel) or
 * TC_ERROR_NUMERIC (NaN/Inf). */
TcForecaster *tc_forecaster_train          (const TcDataset           *ds,
                                            const TcForecasterOptions *opts,
                                            TcTrainProgressFunc        progress,
                                            gpointer                   user_data,
                                            GCancellable              *cancellable,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
void          tc_forecaster_free           (TcForecaster              *fc);

/* What tc_forecaster_train will do with @ds and resolved options @o,
 * counted by its own code: for estimates before training. */
typedef struct
{
  guint64 n_train_windows;  /* windows training samples from */
  guint   n_val_windows;    /* validation windows scored after every epoch */
  guint   n_val_origins;    /* validation origins per series (the region is H + this - 1 steps) */
  guint   min_length;       /* observed steps a series needs to train on (H + n_val_origins + 1,
                             * plus H with the holdout) */
  guint   steps_per_epoch;  /* @o's, or what training chooses for 0 */
} TcTrainWindows;

void          tc_forecaster_count_windows  (const TcDataset           *ds,
                                            const TcForecasterOptions *o,
                                            TcTrainWindows            *out);
/* The network tc_forecaster_train builds for @o and the feature schema
 * @sc (tc_feature_schema_new with @o's context, horizon and patch). */
void          tc_forecaster_model_config   (const TcForecasterOptions *o,
                                            const TcFeatureSchema     *sc,
                                            TcModelConfig             *cfg);

/* Forecast the @horizon steps after the end of @ds (the last date with a
 * target value in any series: one common origin, see
 * tc_forecaster_predict_full for per-series origins), or after index @origin when origin <
 * n_times, for holdout and backtests: then only data before @origin is
 * used.  @future may be NULL or a dataset holding the known covariates of
 * the horizon dates (matched by series id, date and column name; it may
 * also be a copy of @ds extended past its end).
 *
 * Known-future covariates of every forecast step must be known, from @ds
 * (dates inside its grid) or @future; a missing value is a TC_ERROR_SCHEMA
 * error naming the column, series and date.  The one exception: a
 * holiday-like covariate (TC_COVARIATE_HOLIDAY) is derived from the same
 * date one season earlier (0 when that is unknown).  Calendar features
 * are always derived from the dates.  Series without any target value
 * before the origin get NaN forecasts. */
TcForecast   *tc_forecaster_predict        (TcForecaster              *fc,
                                            const TcDataset           *ds,
                                            const TcDataset           *future,
                                            guint                      origin,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
/* Forecast the last H observed steps of every series from the data
 * before them: the split that training with @holdout kept out, also when
 * series end at different dates.  Known covariates come from @ds. */
TcForecast   *tc_forecaster_predict_holdout(TcForecaster              *fc,
                                            const TcDataset           *ds,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
/* The forecast after the end of @ds with origins chosen by @mode: per
 * series, each one after its own last target value; common, all after the
 * last date of the data (tc_forecaster_predict with origin G_MAXUINT).
 * @future as for tc_forecaster_predict; with per-series origins it must
 * hold, for every series, the known covariates of the dates after that
 * series' own end that @ds lacks (tc_forecaster_future_template_full
 * makes such a plan).  A series without any target value gets NaN
 * forecasts (and the dates after the latest series' end). */
TcForecast   *tc_forecaster_predict_full   (TcForecaster              *fc,
                                            const TcDataset           *ds,
                                            const TcDataset           *future,
                                            TcOriginMode               mode,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
void          tc_forecast_free             (TcForecast                *f);

/* The time index of the first forecast step of every series of @ds
 * (n_series, free with g_free) for @mode: each series' end (the latest
 * end for a series without targets), or the latest end for all. */
guint        *tc_forecaster_series_origins (const TcDataset           *ds,
                                            TcOriginMode               mode);

/* The @horizon dates series @s is forecast for (owned by @f). */
const gint64 *tc_forecast_series_times     (const TcForecast          *f,
                                            guint                      s);
/* The time index (in the grid of the forecast's dataset) of the first
 * forecast step of series @s. */
guint         tc_forecast_series_origin    (const TcForecast          *f,
                                            guint                      s);
/* TRUE when the forecast of series @s has finite values (FALSE for a
 * series without history in the model's context: NaN). */
gboolean      tc_forecast_series_has_values(const TcForecast          *f,
                                            guint                      s);
/* The index of the quantile level closest to 0.5: the point forecast
 * (P50 when the model has it). */
guint         tc_forecast_median_index     (const TcForecast          *f);
/* TRUE when not all series start their forecast on the same date. */
gboolean      tc_forecast_origins_differ   (const TcForecast          *f);
/* TRUE when series @s of @ds, forecast in @f, has its last target value
 * before its forecast origin: a common origin after the series ended
 * (never with per-series origins; a series without targets counts). */
gboolean      tc_forecast_series_ended_early (const TcForecast        *f,
                                              const TcDataset         *ds,
                                              guint                    s);

gboolean      tc_forecaster_save           (TcForecaster              *fc,
                                            const char                *path,
                                            GError                   **error);
TcForecaster *tc_forecaster_load           (const char                *path,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
/* The bytes tc_forecaster_save writes, and the forecaster back from them
 * (@name says where they came from in error messages, or NULL). */
GBytes       *tc_forecaster_to_bytes       (TcForecaster              *fc,
                                            GError                   **error);
TcForecaster *tc_forecaster_from_bytes     (GBytes                    *bytes,
                                            const char                *name,
                                            GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
/* An independent copy with the same weights and fresh work buffers: its
 * forecasts are bit-identical to @fc's. */
TcForecaster *tc_forecaster_dup            (TcForecaster              *fc) G_GNUC_WARN_UNUSED_RESULT;

const TcForecasterOptions *tc_forecaster_get_options (TcForecaster    *fc);
const TcTrainSummary      *tc_forecaster_get_summary (TcForecaster    *fc);
/* Names of the model's known-future covariates (NULL-terminated, owned by @fc). */
const char * const        *tc_forecaster_get_known_names (TcForecaster *fc);
const char * const        *tc_forecaster_get_observed_names (TcForecaster *fc);
const char * const        *tc_forecaster_get_static_names (TcForecaster *fc);
/* The target column the model was trained on, or NULL. */
const char                *tc_forecaster_get_target_name (TcForecaster *fc);
/* Whether the model reads market news (tc-news.h) with its text: it
 * then forecasts only from data with news joined. */
gboolean                   tc_forecaster_get_reads_news  (TcForecaster *fc);
/* The safety net's decisions, and a plain-words account of them in
 * English (free it), e.g. "For 312 of 2,660 series last year's pattern
 * was more reliable; they use it."  The app builds its translated text
 * from the numbers. */
const TcSafetySummary     *tc_forecaster_get_safety (TcForecaster  *fc);
char                      *tc_forecaster_get_safety_summary (TcForecaster *fc);
/* Short name of a mask's methods: "Transformer + Theta", "seasonal naive". */
char                      *tc_method_mask_describe (guint mask);
/* Name of the preset, "small" … "custom"; and back (-1 when unknown). */
const char   *tc_preset_to_string          (TcPreset                   preset);
int           tc_preset_from_string        (const char                *str);
TcModel      *tc_forecaster_get_model      (TcForecaster              *fc);
gboolean      tc_forecaster_set_bf16       (TcForecaster              *fc,
                                            gboolean                   bf16);

/* What-if scenarios: change known-future covariates for some series and
 * dates of the forecast horizon.  Edits apply in order; an edit whose date
 * range misses every forecast date, or that names a covariate neither the
 * model nor the data knows, is a TC_ERROR_INVALID_ARG error; one the
 * data has but the model left out (tc-features.h) changes nothing.
 *
 * The baseline is the forecast in use (the safety net's mix, calibrated).
 * Only the network reads covariates, so the scenario is the baseline with
 * the network's response carried over as a relative change: every
 * quantile times the network's scenario median over its baseline median,
 * step by step (added instead where that median is about 0).  The effect
 * of a change is thus the network's whole response, whatever share the
 * safety net gives it in the level. */
typedef enum
{
  TC_SCENARIO_SET = 0,    /* covariate = value */
  TC_SCENARIO_SCALE,      /* covariate *= value (price x 0.9) */
} TcScenarioOp;

typedef struct
{
  char         *covariate;   /* a known covariate's name */
  TcScenarioOp  op;
  double        value;
  gint64        from, to;    /* inclusive date range, seconds since the epoch */
  int           series;      /* -1 = all series */
} TcScenarioEdit;

typedef struct
{
  TcForecast *baseline;
  TcForecast *scenario;
  double     *uplift_units;    /* (n_series, horizon) scenario P50 - baseline P50 */
  double     *uplift_revenue;  /* (n_series, horizon) or NULL without a price covariate:
                                * scenario P50 x scenario price - baseline P50 x baseline price */
  double     *baseline_price;  /* (n_series, horizon) or NULL */
  double     *scenario_price;  /* (n_series, horizon) or NULL */
  double     *raw_baseline;    /* (n_series, horizon, n_quantiles) the network's own baseline
                                * before the safety net, for tc_forecaster_scenario_update */
} TcScenarioResult;

/* A future dataset for the H dates after the last target of @ds (a
 * common origin: tc_forecaster_future_template_full with
 * TC_ORIGIN_COMMON), with
 * the model's known covariates: a starting plan to edit or to pass as
 * @future.  With @fill, unknown values are assumed: promotions and
 * discounts 0 (none planned), holidays as one season earlier (0 when
 * unknown), prices and other covariates the series' last known value;
 * without @fill they stay NaN (the caller fills them).  The assumptions
 * are the caller's to show: they are not the user's plan. */
TcDataset    *tc_forecaster_future_template (TcForecaster         *fc,
                                             const TcDataset      *ds,
                                             gboolean              fill) G_GNUC_WARN_UNUSED_RESULT;

/* The same for origins chosen by @mode.  With per-series origins the
 * template's dates run from the earliest series' first forecast date to
 * the latest series' last one; every series has values (or NaN to fill,
 * without @fill) on its own H forecast dates only, NaN elsewhere: dates
 * outside a series' horizon are not part of its plan. */
TcDataset    *tc_forecaster_future_template_full (TcForecaster    *fc,
                                                  const TcDataset *ds,
                                                  TcOriginMode     mode,
                                                  gboolean         fill) G_GNUC_WARN_UNUSED_RESULT;

/* Baseline and scenario forecast from a common origin (as
 * tc_forecaster_scenario_full with TC_ORIGIN_COMMON). */
TcScenarioResult *tc_forecaster_scenario  (TcForecaster              *fc,
                                           const TcDataset           *ds,
                                           const TcDataset           *future,
                                           const TcScenarioEdit      *edits,
                                           guint                      n_edits,
                                           GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
/* Scenario with origins chosen by @mode; the arrays of the result are
 * indexed by each series' own forecast steps (dates from
 * tc_forecast_series_times () of the baseline).  An edit must cover at
 * least one forecast date of a series it applies to. */
TcScenarioResult *tc_forecaster_scenario_full (TcForecaster          *fc,
                                               const TcDataset       *ds,
                                               const TcDataset       *future,
                                               TcOriginMode           mode,
                                               const TcScenarioEdit  *edits,
                                               guint                  n_edits,
                                               GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* What-if after a change of plan: the result tc_forecaster_scenario_full
 * would give for @edits, reusing @prev, an earlier result for the same
 * @fc, @ds, @future and @mode (with any edits): its baseline is kept and
 * only the series @edits touch are forecast again; every other series'
 * scenario is its baseline.  An edit of all series (series -1) runs the
 * full scenario.  Costs the touched series' windows instead of two
 * forecasts of every series. */
TcScenarioResult *tc_forecaster_scenario_update (TcForecaster           *fc,
                                                 const TcDataset        *ds,
                                                 const TcDataset        *future,
                                                 TcOriginMode            mode,
                                                 const TcScenarioEdit   *edits,
                                                 guint                   n_edits,
                                                 const TcScenarioResult *prev,
                                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;
void          tc_scenario_result_free      (TcScenarioResult          *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcForecaster, tc_forecaster_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcForecast, tc_forecast_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcScenarioResult, tc_scenario_result_free)

G_END_DECLS
