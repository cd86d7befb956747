/* tc-features.c — feature schema, windows and normalisation of the forecaster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-features"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tc-effects.h"
#include "tc-error.h"
#include "tc-features.h"
#include "tc-json-read.h"

#define Z_CLIP 30.0
#define LOG1P_SCALE_FLOOR 0.25

struct _TcFeatureCube
{
  const TcFeatureSchema *schema;
  TcFrequency freq;
  guint   n_series;
  guint   n_times;     /* of the dataset */
  guint   t_ext;       /* grid length covered by the cube, >= n_times */
  guint   pre;         /* calendar rows before grid index 0 (= L) */
  gint64 *times;       /* (pre + t_ext) */
  double *y;           /* (n_series, t_ext) model-unit target; NaN = missing or past the limit */
  double *known_raw;   /* (n_known, n_series, t_ext) after edits; NaN = unknown */
  float  *known_feat;  /* (n_series, t_ext, n_known) standardised; 0 = unknown */
  float  *obs_feat;    /* (n_series, t_ext, n_observed) standardised; 0 = unknown */
  float  *cal;         /* (pre + t_ext, n_calendar) */
  guint  *stat;        /* (n_series, n_static) */
  TcTextBags *text;    /* review bags, or NULL without text channels */
  guint  *text_bag;    /* (n_series, n_times) bag of a period, 0 past the limit or without text */
};

guint
tc_features_train_limit (const TcDataset *ds,
                         guint            s,
                         guint            horizon,
                         gboolean         holdout)
{
  guint lim = ds->end[s];

  if (holdout)
    lim = lim > ds->start[s] + horizon ? lim - horizon : ds->start[s];
  return lim;
}

gboolean
tc_features_guess_log1p (const TcDataset *ds)
{
  gsize n = 0, integer = 0;

  for (gsize i = 0; i < (gsize) ds->n_series * ds->n_times; i++)
    {
      double v = ds->target[i];

      if (isnan (v))
        continue;
      if (v < 0)
        return FALSE;
      n++;
      if (fabs (v - round (v)) < 1e-6)
        integer++;
    }
  /* Counts: nearly every value an integer.  A few fractional values
   * (returns, averaged weeks) do not change the nature of the data. */
  return n > 0 && integer >= 0.95 * n;
}

static double
to_model_units (gboolean use_log, double v)
{
  if (isnan (v))
    return NAN;
  if (use_log)
    return log1p (MAX (v, 0.0));
  return v;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (double *v, gsize n)
{
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The typical price of every series: the median of its positive prices
 * before @limits (or over all of the data when @limits is NULL); a series
 * without a price gets the median over all series. */
static double *
price_medians (const TcDataset *ds,
               guint            k,
               const guint     *limits,
               gboolean         log_price)
{
  double *med = g_new (double, MAX (ds->n_series, 1));
  double *buf = g_new (double, MAX (ds->n_times, 1));
  double *all = g_new (double, MAX (ds->n_series, 1));
  gsize n_all = 0;
  double global;

  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *p = tc_dataset_known_row (ds, k, s);
      guint lim = limits ? MIN (limits[s], ds->n_times) : ds->n_times;
      gsize n = 0;

      for (guint t = 0; t < lim; t++)
        if (!isnan (p[t]) && (log_price || p[t] > 0))
          buf[n++] = p[t];
      med[s] = median_of (buf, n);
      if (!isnan (med[s]))
        all[n_all++] = med[s];
    }
  global = median_of (all, n_all);
  if (isnan (global))
    global = log_price ? 0.0 : 1.0;
  for (guint s = 0; s < ds->n_series; s++)
    if (isnan (med[s]))
      med[s] = global;
  g_free (buf);
  g_free (all);
  return med;
}

static double
transform_known (TcCovariateKind kind, double v, double price_median)
{
  if (isnan (v))
    return NAN;
  if (kind == TC_COVARIATE_PRICE)
    return v > 0 && price_median > 0 ? log (v / price_median) : NAN;
  /* The same feature as for a price: log (p / median p) = log p - median log p. */
  if (kind == TC_COVARIATE_LOG_PRICE)
    return v - price_median;
  return v;
}

static void
calendar_for_freq (TcFrequency freq, guint *kinds, guint *n)
{
  guint k = 0;

  switch (freq)
    {
    case TC_FREQ_HOURLY:    k = TC_CAL_HOUR_OF_DAY | TC_CAL_DAY_OF_WEEK; break;
    case TC_FREQ_DAILY:     k = TC_CAL_DAY_OF_WEEK | TC_CAL_DAY_OF_YEAR; break;
    case TC_FREQ_WEEKLY:    k = TC_CAL_WEEK_OF_YEAR; break;
    case TC_FREQ_MONTHLY:   k = TC_CAL_MONTH; break;
    case TC_FREQ_QUARTERLY: k = TC_CAL_QUARTER; break;
    case TC_FREQ_YEARLY:
    case TC_FREQ_UNKNOWN:
    default:                k = 0; break;
    }
  *kinds = k;
  *n = 2 * (guint) __builtin_popcount (k);
}

static const char *cal_names[] = {
  "hour_of_day", "day_of_week", "day_of_year", "week_of_year", "month", "quarter",
};

/* Fill the n_calendar features of the date @t. */
static void
calendar_features (guint kinds, TcFrequency freq, gint64 t, float *out)
{
  GDateTime *dt;
  guint j = 0;

  if (kinds == 0)
    return;
  if (freq == TC_FREQ_UNKNOWN)
    {
      memset (out, 0, sizeof (float) * 2 * (guint) __builtin_popcount (kinds));
      return;
    }
  dt = g_date_time_new_from_unix_utc (t);
  for (guint b = 0; b < G_N_ELEMENTS (cal_names); b++)
    {
      double phase;

      if (!(kinds & (1u << b)))
        continue;
      switch (1u << b)
        {
        case TC_CAL_HOUR_OF_DAY:
          phase = g_date_time_get_hour (dt) / 24.0;
          break;
        case TC_CAL_DAY_OF_WEEK:
          phase = (g_date_time_get_day_of_week (dt) - 1) / 7.0;
          break;
        case TC_CAL_DAY_OF_YEAR:
        case TC_CAL_WEEK_OF_YEAR:
          /* The day of the year is smoother than ISO weeks, which jump
           * between 52 and 53. */
          phase = (g_date_time_get_day_of_year (dt) - 1) / 365.25;
          break;
        case TC_CAL_MONTH:
          phase = (g_date_time_get_month (dt) - 1) / 12.0;
          break;
        case TC_CAL_QUARTER:
        default:
          phase = ((g_date_time_get_month (dt) - 1) / 3) / 4.0;
          break;
        }
      out[j++] = (float) sin (2 * G_PI * phase);
      out[j++] = (float) cos (2 * G_PI * phase);
    }
  g_date_time_unref (dt);
}

static void
mean_std (const double *v, gsize n, double *mean, double *std)
{
  double m = 0, s = 0;

  for (gsize i = 0; i < n; i++)
    m += v[i];
  m = n ? m / n : 0;
  for (gsize i = 0; i < n; i++)
    s += (v[i] - m) * (v[i] - m);
  s = n > 1 ? sqrt (s / (n - 1)) : 0;
  *mean = m;
  /* A constant covariate (a promotion never run in training) must not
   * blow up when it appears in a scenario. */
  *std = s > 1e-9 ? s : 1.0;
}

TcFeatureSchema *
tc_feature_schema_new (const TcDataset *ds,
                       guint            context,
                       guint            horizon,
                       guint            patch,
                       gboolean         use_log,
                       gboolean         holdout,
                       GError         **error)
{
  g_autoptr (TcFeatureSchema) sc = g_new0 (TcFeatureSchema, 1);
  g_autofree guint *limits = g_new (guint, MAX (ds->n_series, 1));
  g_autofree double *buf = NULL;
  g_autofree double *levels = g_new (double, MAX (ds->n_series, 1));
  g_autofree double *absmeans = g_new (double, MAX (ds->n_series, 1));
  g_autofree guint *kept = NULL;   /* (n_known of the schema) the data's known columns the model reads */
  gsize cells = 0, n_levels = 0;
  double lm, ls;

  if (patch == 0 || horizon == 0 || context == 0 || context % patch != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "Invalid window shape: context %u, horizon %u, patch %u "
                   "(the context must be a positive multiple of the patch)",
                   context, horizon, patch);
      return NULL;
    }
  sc->freq = ds->freq;
  sc->target_name = g_strdup (ds->target_name);
  tc_feature_schema_set_shape (sc, context, horizon, patch);
  sc->log1p = use_log;
  sc->nonneg = TRUE;

  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);
      double sum = 0;
      guint n = 0;

      limits[s] = tc_features_train_limit (ds, s, horizon, holdout);
      for (guint t = 0; t < limits[s]; t++)
        if (!isnan (y[t]))
          {
            if (y[t] < 0)
              sc->nonneg = FALSE;
            sum += fabs (y[t]);
            n++;
          }
      cells += n;
      if (n > 0)
        {
          absmeans[n_levels] = sum / n;
          levels[n_levels++] = log1p (sum / n);
        }
    }
  if (cells == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY,
                   "No target values to train on%s",
                   holdout ? " once the holdout is set aside" : "");
      return NULL;
    }
  mean_std (levels, n_levels, &lm, &ls);
  sc->level_mean = lm;
  sc->level_std = ls;
  if (use_log)
    sc->scale_floor = LOG1P_SCALE_FLOOR;
  else
    {
      double med = median_of (absmeans, n_levels);

      sc->scale_floor = med > 0 ? 0.01 * med : 1e-6;
    }

  buf = g_new (double, MAX ((gsize) ds->n_series * ds->n_times, 1));
  /* A known covariate that moves exactly with another within every
   * series (a discount that is the price cut; the rule of tc-effects.h,
   * which keeps the price) tells the network nothing the other does not,
   * and lets it split their effect at random, so that a change of either
   * alone means nothing.  It is left out: the kept one carries the effect. */
  {
    g_autoptr (TcEffectsResult) eff = ds->n_known > 1 ? tc_effects_estimate (ds, NULL, NULL) : NULL;

    kept = g_new (guint, MAX (ds->n_known, 1));
    for (guint k = 0; k < ds->n_known; k++)
      if (!(eff && eff->effects[k].dropped && eff->effects[k].confounded_with != NULL))
        kept[sc->n_known++] = k;
  }
  sc->known_names = g_new0 (char *, sc->n_known + 1);
  sc->known_kinds = g_new0 (TcCovariateKind, MAX (sc->n_known, 1));
  sc->known_mean = g_new0 (double, MAX (sc->n_known, 1));
  sc->known_std = g_new0 (double, MAX (sc->n_known, 1));
  for (guint i = 0; i < sc->n_known; i++)
    {
      g_autofree double *med = NULL;
      gsize n = 0;
      guint k = i, j = kept[i];   /* k in the schema, j in the data */

      sc->known_names[k] = g_strdup (ds->known_names[j]);
      sc->known_kinds[k] = ds->known_kinds[j];
      if (sc->known_kinds[k] == TC_COVARIATE_PRICE || sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE)
        med = price_medians (ds, j, limits, sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE);
      for (guint s = 0; s < ds->n_series; s++)
        {
          const double *v = tc_dataset_known_row (ds, j, s);

          for (guint t = 0; t < limits[s]; t++)
            {
              double x = transform_known (sc->known_kinds[k], v[t], med ? med[s] : 1.0);

              if (!isnan (x))
                buf[n++] = x;
            }
        }
      mean_std (buf, n, &sc->known_mean[k], &sc->known_std[k]);
    }

  sc->n_observed = ds->n_observed;
  sc->observed_names = g_new0 (char *, ds->n_observed + 1);
  sc->observed_mean = g_new0 (double, MAX (ds->n_observed, 1));
  sc->observed_std = g_new0 (double, MAX (ds->n_observed, 1));
  for (guint k = 0; k < ds->n_observed; k++)
    {
      gsize n = 0;

      sc->observed_names[k] = g_strdup (ds->observed_names[k]);
      for (guint s = 0; s < ds->n_series; s++)
        {
          const double *v = tc_dataset_observed_row (ds, k, s);

          for (guint t = 0; t < limits[s]; t++)
            if (!isnan (v[t]))
              buf[n++] = v[t];
        }
      mean_std (buf, n, &sc->observed_mean[k], &sc->observed_std[k]);
    }

  calendar_for_freq (ds->freq, &sc->calendar_kinds, &sc->n_calendar);

  /* Static attributes beyond what the model embeds are dropped; the
   * first ones are usually the coarse hierarchy (category, brand). */
  sc->n_static = MIN (ds->n_static, TC_MODEL_MAX_STATIC);
  sc->static_names = g_new0 (char *, sc->n_static + 1);
  sc->static_vocab = g_new0 (GHashTable *, MAX (sc->n_static, 1));
  for (guint i = 0; i < sc->n_static; i++)
    {
      sc->static_names[i] = g_strdup (ds->static_names[i]);
      sc->static_vocab[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint s = 0; s < ds->n_series; s++)
        {
          const char *v = ds->static_values[(gsize) s * ds->n_static + i];

          if (v && *v && !g_hash_table_contains (sc->static_vocab[i], v))
            g_hash_table_insert (sc->static_vocab[i], g_strdup (v),
                                 GUINT_TO_POINTER (g_hash_table_size (sc->static_vocab[i]) + 1));
        }
      sc->static_card[i] = g_hash_table_size (sc->static_vocab[i]) + 1;
    }

  {
    guint m = tc_frequency_season (ds->freq);

    sc->lag_period = m;
    sc->season_lags = m >= 2 && m <= 1000 ? TC_FEATURES_MAX_LAGS : 0;
  }
  sc->n_features = TC_FEAT_N_FIXED + sc->n_known + sc->n_observed + sc->n_calendar + 2 * sc->season_lags
                  + sc->n_text;
  return g_steal_pointer (&sc);
}

void
tc_feature_schema_set_shape (TcFeatureSchema *sc,
                             guint            context,
                             guint            horizon,
                             guint            patch)
{
  g_return_if_fail (patch > 0);
  sc->context = context;
  sc->horizon = horizon;
  sc->patch = patch;
  sc->horizon_padded = (horizon + patch - 1) / patch * patch;
  sc->n_tokens = (context + sc->horizon_padded) / patch;
}

void
tc_feature_schema_free (TcFeatureSchema *sc)
{
  if (sc == NULL)
    return;
  g_free (sc->target_name);
  g_strfreev (sc->known_names);
  g_free (sc->known_kinds);
  g_free (sc->known_mean);
  g_free (sc->known_std);
  g_strfreev (sc->observed_names);
  g_free (sc->observed_mean);
  g_free (sc->observed_std);
  for (guint i = 0; i < sc->n_static; i++)
    if (sc->static_vocab[i])
      g_hash_table_unref (sc->static_vocab[i]);
  g_free (sc->static_vocab);
  g_strfreev (sc->static_names);
  g_free (sc->text_name);
  g_free (sc);
}

void
tc_feature_schema_set_text (TcFeatureSchema      *sc,
                            const char           *text_name,
                            guint                 text_dim,
                            const TcTextSettings *settings)
{
  sc->n_features -= sc->n_text;
  g_clear_pointer (&sc->text_name, g_free);
  sc->text_dim = text_dim;
  sc->n_text = text_dim > 0 ? text_dim + 1 : 0;
  if (text_dim > 0)
    {
      sc->text_name = g_strdup (text_name);
      sc->text_settings = *settings;
    }
  sc->n_features += sc->n_text;
}

guint
tc_feature_schema_text_offset (const TcFeatureSchema *sc)
{
  return sc->n_features - sc->n_text;
}

char *
tc_feature_schema_feature_name (const TcFeatureSchema *sc,
                                guint                  f)
{
  static const char *fixed[] = { "target", "observed", "is_future", "level" };
  guint b = 0;

  if (f < TC_FEAT_N_FIXED)
    return g_strdup (fixed[f]);
  f -= TC_FEAT_N_FIXED;
  if (f < sc->n_known)
    return g_strdup_printf ("known:%s", sc->known_names[f]);
  f -= sc->n_known;
  if (f < sc->n_observed)
    return g_strdup_printf ("observed:%s", sc->observed_names[f]);
  f -= sc->n_observed;
  for (guint i = 0; i < G_N_ELEMENTS (cal_names); i++)
    if (sc->calendar_kinds & (1u << i))
      {
        if (f == b)
          return g_strdup_printf ("cal:%s_sin", cal_names[i]);
        if (f == b + 1)
          return g_strdup_printf ("cal:%s_cos", cal_names[i]);
        b += 2;
      }
  f -= b;
  if (f < 2 * sc->season_lags)
    return g_strdup_printf ("lag%u:%s", f / 2 + 1, f % 2 ? "observed" : "target");
  f -= 2 * sc->season_lags;
  if (f < sc->text_dim)
    return g_strdup_printf ("text:signal%u", f + 1);
  if (f < sc->n_text)
    return g_strdup ("text:volume");
  return g_strdup ("?");
}

static void
add_doubles (JsonBuilder *b, const char *name, const double *v, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_strings (JsonBuilder *b, const char *name, char **v, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (b, v[i]);
  json_builder_end_array (b);
}

JsonNode *
tc_feature_schema_to_json (const TcFeatureSchema *sc)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "freq");
  json_builder_add_string_value (b, tc_frequency_to_string (sc->freq));
  if (sc->target_name)
    {
      json_builder_set_member_name (b, "target_name");
      json_builder_add_string_value (b, sc->target_name);
    }
  json_builder_set_member_name (b, "context");
  json_builder_add_int_value (b, sc->context);
  json_builder_set_member_name (b, "horizon");
  json_builder_add_int_value (b, sc->horizon);
  json_builder_set_member_name (b, "patch");
  json_builder_add_int_value (b, sc->patch);
  json_builder_set_member_name (b, "log1p");
  json_builder_add_boolean_value (b, sc->log1p);
  json_builder_set_member_name (b, "nonneg");
  json_builder_add_boolean_value (b, sc->nonneg);
  json_builder_set_member_name (b, "scale_floor");
  json_builder_add_double_value (b, sc->scale_floor);
  json_builder_set_member_name (b, "level_mean");
  json_builder_add_double_value (b, sc->level_mean);
  json_builder_set_member_name (b, "level_std");
  json_builder_add_double_value (b, sc->level_std);

  add_strings (b, "known_names", sc->known_names, sc->n_known);
  json_builder_set_member_name (b, "known_kinds");
  json_builder_begin_array (b);
  for (guint k = 0; k < sc->n_known; k++)
    json_builder_add_int_value (b, sc->known_kinds[k]);
  json_builder_end_array (b);
  add_doubles (b, "known_mean", sc->known_mean, sc->n_known);
  add_doubles (b, "known_std", sc->known_std, sc->n_known);

  add_strings (b, "observed_names", sc->observed_names, sc->n_observed);
  add_doubles (b, "observed_mean", sc->observed_mean, sc->n_observed);
  add_doubles (b, "observed_std", sc->observed_std, sc->n_observed);

  json_builder_set_member_name (b, "calendar_kinds");
  json_builder_add_int_value (b, sc->calendar_kinds);
  json_builder_set_member_name (b, "season_lags");
  json_builder_add_int_value (b, sc->season_lags);
  json_builder_set_member_name (b, "lag_period");
  json_builder_add_int_value (b, sc->lag_period);
  if (sc->n_text > 0)
    {
      json_builder_set_member_name (b, "text");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, sc->text_name ? sc->text_name : "");
      json_builder_set_member_name (b, "dim");
      json_builder_add_int_value (b, sc->text_dim);
      json_builder_set_member_name (b, "buckets");
      json_builder_add_int_value (b, sc->text_settings.n_buckets);
      json_builder_set_member_name (b, "strip_accents");
      json_builder_add_boolean_value (b, sc->text_settings.strip_accents);
      json_builder_set_member_name (b, "word_bigrams");
      json_builder_add_boolean_value (b, sc->text_settings.word_bigrams);
      /* Only when set: models without news keep their bytes. */
      if (sc->text_settings.read_news)
        {
          json_builder_set_member_name (b, "news");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "static");
  json_builder_begin_array (b);
  for (guint i = 0; i < sc->n_static; i++)
    {
      g_autofree const char **vals = g_new0 (const char *, sc->static_card[i]);
      GHashTableIter it;
      gpointer key, value;

      g_hash_table_iter_init (&it, sc->static_vocab[i]);
      while (g_hash_table_iter_next (&it, &key, &value))
        vals[GPOINTER_TO_UINT (value) - 1] = key;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, sc->static_names[i]);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint j = 0; j + 1 < sc->static_card[i]; j++)
        json_builder_add_string_value (b, vals[j]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* Names of all features, for humans and for checking compatibility. */
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (guint f = 0; f < sc->n_features; f++)
    {
      g_autofree char *n = tc_feature_schema_feature_name (sc, f);
      json_builder_add_string_value (b, n);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Far above any model Trendcast trains (the horizon is at most 1000, the
 * network 256 tokens), low enough that context + horizon and the lag
 * offsets cannot overflow. */
#define MAX_STEPS (1u << 20)

/* Every member is read through tc-json-read.h: a damaged file gives an
 * error naming the member, never a GLib critical (fuzz-model found
 * "features" holding a number) nor a size from a negative number. */
TcFeatureSchema *
tc_feature_schema_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr (TcFeatureSchema) sc = g_new0 (TcFeatureSchema, 1);
  JsonObject *o;
  JsonArray *a = NULL, *a2 = NULL, *names = NULL;
  const char *freq = NULL, *target = NULL;
  static const char *required[] = {
    "freq", "context", "horizon", "patch", "log1p", "nonneg", "scale_floor", "level_mean",
    "level_std", "known_names", "known_kinds", "known_mean", "known_std", "observed_names",
    "observed_mean", "observed_std", "calendar_kinds", "static", "features",
  };
  const char *W = "schema";

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: “schema” is missing or not an object"));
      return NULL;
    }
  o = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!json_object_has_member (o, required[i]))
      {
        g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                     _("Model file: the feature schema lacks “schema.%s”"), required[i]);
        return NULL;
      }
  if (!tc_json_get_string (o, W, "freq", &freq, error)
      || !tc_json_get_string (o, W, "target_name", &target, error)
      || !tc_json_get_uint (o, W, "context", 1, MAX_STEPS, &sc->context, error)
      || !tc_json_get_uint (o, W, "horizon", 1, MAX_STEPS, &sc->horizon, error)
      || !tc_json_get_uint (o, W, "patch", 1, MAX_STEPS, &sc->patch, error)
      || !tc_json_get_bool (o, W, "log1p", &sc->log1p, error)
      || !tc_json_get_bool (o, W, "nonneg", &sc->nonneg, error)
      || !tc_json_get_number (o, W, "scale_floor", &sc->scale_floor, error)
      || !tc_json_get_number (o, W, "level_mean", &sc->level_mean, error)
      || !tc_json_get_number (o, W, "level_std", &sc->level_std, error))
    return NULL;
  sc->freq = tc_frequency_from_string (freq);
  sc->target_name = g_strdup (target);
  if (sc->context % sc->patch)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: the context (%u steps) is not a multiple of the patch (%u)"),
                   sc->context, sc->patch);
      return NULL;
    }
  tc_feature_schema_set_shape (sc, sc->context, sc->horizon, sc->patch);

  if (!tc_json_get_array (o, W, "known_names", TC_JSON_STRING, 0, 0, 0, G_MAXUINT, &names, error))
    return NULL;
  sc->n_known = json_array_get_length (names);
  if (!tc_json_get_array (o, W, "known_kinds", TC_JSON_INT, TC_COVARIATE_OTHER, TC_COVARIATE_LOG_PRICE,
                          sc->n_known, sc->n_known, &a, error))
    return NULL;
  sc->known_names = g_new0 (char *, sc->n_known + 1);
  sc->known_kinds = g_new0 (TcCovariateKind, MAX (sc->n_known, 1));
  sc->known_mean = g_new0 (double, MAX (sc->n_known, 1));
  sc->known_std = g_new0 (double, MAX (sc->n_known, 1));
  for (guint k = 0; k < sc->n_known; k++)
    {
      sc->known_names[k] = g_strdup (json_array_get_string_element (names, k));
      sc->known_kinds[k] = json_array_get_int_element (a, k);
    }
  if (!tc_json_get_array (o, W, "known_mean", TC_JSON_NUMBER, 0, 0, sc->n_known, sc->n_known, &a, error)
      || !tc_json_get_array (o, W, "known_std", TC_JSON_NUMBER, 0, 0, sc->n_known, sc->n_known, &a2, error))
    return NULL;
  for (guint k = 0; k < sc->n_known; k++)
    {
      sc->known_mean[k] = json_array_get_double_element (a, k);
      sc->known_std[k] = json_array_get_double_element (a2, k);
    }

  if (!tc_json_get_array (o, W, "observed_names", TC_JSON_STRING, 0, 0, 0, G_MAXUINT, &names, error))
    return NULL;
  sc->n_observed = json_array_get_length (names);
  if (!tc_json_get_array (o, W, "observed_mean", TC_JSON_NUMBER, 0, 0, sc->n_observed, sc->n_observed, &a, error)
      || !tc_json_get_array (o, W, "observed_std", TC_JSON_NUMBER, 0, 0, sc->n_observed, sc->n_observed, &a2,
                             error))
    return NULL;
  sc->observed_names = g_new0 (char *, sc->n_observed + 1);
  sc->observed_mean = g_new0 (double, MAX (sc->n_observed, 1));
  sc->observed_std = g_new0 (double, MAX (sc->n_observed, 1));
  for (guint k = 0; k < sc->n_observed; k++)
    {
      sc->observed_names[k] = g_strdup (json_array_get_string_element (names, k));
      sc->observed_mean[k] = json_array_get_double_element (a, k);
      sc->observed_std[k] = json_array_get_double_element (a2, k);
    }

  if (!tc_json_get_uint (o, W, "calendar_kinds", 0, 2 * TC_CAL_QUARTER - 1, &sc->calendar_kinds, error))
    return NULL;
  sc->n_calendar = 2 * (guint) __builtin_popcount (sc->calendar_kinds);

  if (!tc_json_get_array (o, W, "static", TC_JSON_OBJECT, 0, 0, 0, TC_MODEL_MAX_STATIC, &a, error))
    return NULL;
  sc->n_static = json_array_get_length (a);
  sc->static_names = g_new0 (char *, sc->n_static + 1);
  sc->static_vocab = g_new0 (GHashTable *, MAX (sc->n_static, 1));
  for (guint i = 0; i < sc->n_static; i++)
    {
      JsonObject *so = json_array_get_object_element (a, i);
      g_autofree char *w = g_strdup_printf ("schema.static[%u]", i);
      const char *name = NULL;
      JsonArray *vals = NULL;

      if (!tc_json_get_string (so, w, "name", &name, error)
          || !tc_json_get_array (so, w, "values", TC_JSON_STRING, 0, 0, 0, G_MAXUINT - 1, &vals, error))
        return NULL;
      if (name == NULL || vals == NULL)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                       _("Model file: the feature schema lacks “%s.%s”"), w, name ? "values" : "name");
          return NULL;
        }
      sc->static_names[i] = g_strdup (name);
      sc->static_vocab[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint j = 0; j < json_array_get_length (vals); j++)
        {
          const char *v = json_array_get_string_element (vals, j);

          /* Ids are positions: a repeated value would leave one unnamed. */
          if (g_hash_table_contains (sc->static_vocab[i], v))
            {
              g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                           _("Model file: “%s.values[%u]” repeats a value"), w, j);
              return NULL;
            }
          g_hash_table_insert (sc->static_vocab[i], g_strdup (v), GUINT_TO_POINTER (j + 1));
        }
      sc->static_card[i] = json_array_get_length (vals) + 1;
    }
  /* Absent in version-1 models, which had no seasonal lags. */
  if (!tc_json_get_uint (o, W, "season_lags", 0, TC_FEATURES_MAX_LAGS, &sc->season_lags, error)
      || !tc_json_get_uint (o, W, "lag_period", 0, MAX_STEPS, &sc->lag_period, error))
    return NULL;
  if (sc->season_lags > 0 && sc->lag_period < 2)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("Model file: “schema.lag_period” is %u, expected at least 2 with seasonal lags"),
                   sc->lag_period);
      return NULL;
    }
  /* Absent in models without review text (and in all before it existed). */
  if (json_object_has_member (o, "text"))
    {
      JsonObject *t = NULL;
      TcTextSettings set;
      const char *tname = "";
      const char *WT = "schema.text";

      tc_text_settings_init (&set);
      if (!tc_json_get_object (o, W, "text", &t, error)
          || !tc_json_get_uint (t, WT, "buckets", 2, TC_TEXT_MAX_BUCKETS, &set.n_buckets, error)
          || !tc_json_get_bool (t, WT, "strip_accents", &set.strip_accents, error)
          || !tc_json_get_bool (t, WT, "word_bigrams", &set.word_bigrams, error)
          || !tc_json_get_bool (t, WT, "news", &set.read_news, error)
          || !tc_json_get_uint (t, WT, "dim", 1, 64, &sc->text_dim, error)
          || !tc_json_get_string (t, WT, "name", &tname, error))
        return NULL;
      if (!json_object_has_member (t, "buckets") || !json_object_has_member (t, "dim"))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                       _("Model file: the feature schema lacks “schema.text.%s”"),
                       json_object_has_member (t, "dim") ? "buckets" : "dim");
          return NULL;
        }
      sc->n_text = sc->text_dim + 1;
      sc->text_name = g_strdup (tname);
      sc->text_settings = set;
    }
  sc->n_features = TC_FEAT_N_FIXED + sc->n_known + sc->n_observed + sc->n_calendar + 2 * sc->season_lags
                  + sc->n_text;
  if (!tc_json_get_array (o, W, "features", TC_JSON_STRING, 0, 0, sc->n_features, sc->n_features, &a, error))
    return NULL;
  return g_steal_pointer (&sc);
}

/* -- cube ---------------------------------------------------------------- */

static gint64
grid_time (const TcDataset *ds, gint64 g)
{
  if (g >= 0 && g < ds->n_times)
    return ds->times[g];
  if (ds->n_times == 0)
    return 0;
  if (g < 0)
    return tc_frequency_advance (ds->freq, ds->times[0], (int) g);
  return tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) (g - ds->n_times + 1));
}

static char *
format_date (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

TcFeatureCube *
tc_feature_cube_new (const TcFeatureSchema *sc,
                     const TcDataset       *ds,
                     const TcDataset       *future,
                     guint                  origin_max,
                     gboolean               require_future,
                     const guint           *limits,
                     const TcFeatureEdit   *edits,
                     guint                  n_edits,
                     GError               **error)
{
  return tc_feature_cube_new_full (sc, ds, future, origin_max, require_future, limits, NULL,
                                   edits, n_edits, error);
}

TcFeatureCube *
tc_feature_cube_new_full (const TcFeatureSchema *sc,
                          const TcDataset       *ds,
                          const TcDataset       *future,
                          guint                  origin_max,
                          gboolean               require_future,
                          const guint           *limits,
                          const guint           *plan_from,
                          const TcFeatureEdit   *edits,
                          guint                  n_edits,
                          GError               **error)
{
  g_autoptr (TcFeatureCube) c = g_new0 (TcFeatureCube, 1);
  g_autoptr (GHashTable) fut_series = NULL;
  g_autoptr (GHashTable) fut_times = NULL;
  g_autofree int *known_map = NULL;   /* (n_known) dataset column of each schema covariate */
  g_autofree int *obs_map = NULL;     /* (n_observed) */
  g_autofree int *fut_known_map = NULL;
  g_autofree guint *price_limits = NULL;
  guint T, season = tc_frequency_season (sc->freq), data_end = 0;

  c->schema = sc;
  for (guint s = 0; s < ds->n_series; s++)
    data_end = MAX (data_end, ds->end[s]);
  c->freq = ds->freq;
  c->n_series = ds->n_series;
  c->n_times = ds->n_times;
  c->t_ext = MAX (ds->n_times, origin_max + sc->horizon_padded);
  c->pre = sc->context;
  T = c->t_ext;

  /* Columns are matched by name, so a file with its columns in another
   * order, or with extra columns, still works. */
  known_map = g_new (int, MAX (sc->n_known, 1));
  for (guint k = 0; k < sc->n_known; k++)
    {
      known_map[k] = -1;
      for (guint j = 0; j < ds->n_known; j++)
        if (g_strcmp0 (ds->known_names[j], sc->known_names[k]) == 0)
          known_map[k] = j;
      if (known_map[k] < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       "The model needs the known-future column “%s”, which the data lacks "
                       "(or it does not have the known-future role)", sc->known_names[k]);
          return NULL;
        }
    }
  obs_map = g_new (int, MAX (sc->n_observed, 1));
  for (guint k = 0; k < sc->n_observed; k++)
    {
      obs_map[k] = -1;
      for (guint j = 0; j < ds->n_observed; j++)
        if (g_strcmp0 (ds->observed_names[j], sc->observed_names[k]) == 0)
          obs_map[k] = j;
      if (obs_map[k] < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       "The model needs the observed column “%s”, which the data lacks",
                       sc->observed_names[k]);
          return NULL;
        }
    }
  if (future)
    {
      fut_known_map = g_new (int, MAX (sc->n_known, 1));
      for (guint k = 0; k < sc->n_known; k++)
        {
          fut_known_map[k] = -1;
          for (guint j = 0; j < future->n_known; j++)
            if (g_strcmp0 (future->known_names[j], sc->known_names[k]) == 0)
              fut_known_map[k] = j;
        }
      fut_series = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint s = 0; s < future->n_series; s++)
        g_hash_table_insert (fut_series, future->series_ids[s], GUINT_TO_POINTER (s + 1));
      fut_times = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint t = 0; t < future->n_times; t++)
        g_hash_table_insert (fut_times, g_memdup2 (&future->times[t], sizeof (gint64)),
                             GUINT_TO_POINTER (t + 1));
    }

  c->times = g_new (gint64, c->pre + T);
  for (guint i = 0; i < c->pre + T; i++)
    c->times[i] = grid_time (ds, (gint64) i - (gint64) c->pre);
  c->cal = g_new0 (float, MAX ((gsize) (c->pre + T) * sc->n_calendar, 1));
  for (guint i = 0; i < c->pre + T; i++)
    calendar_features (sc->calendar_kinds, sc->freq, c->times[i], c->cal + (gsize) i * sc->n_calendar);

  c->y = g_new (double, MAX ((gsize) ds->n_series * T, 1));
  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *src = tc_dataset_target_row (ds, s);
      double *dst = c->y + (gsize) s * T;
      guint lim = limits ? MIN (limits[s], ds->n_times) : ds->n_times;

      for (guint t = 0; t < T; t++)
        dst[t] = t < lim ? to_model_units (sc->log1p, src[t]) : NAN;
    }

  /* Known covariates: the data, then the future file, then edits. */
  c->known_raw = g_new (double, MAX ((gsize) sc->n_known * ds->n_series * T, 1));
  c->known_feat = g_new0 (float, MAX ((gsize) ds->n_series * T * sc->n_known, 1));
  price_limits = g_new (guint, MAX (ds->n_series, 1));
  for (guint s = 0; s < ds->n_series; s++)
    price_limits[s] = limits ? limits[s] : MIN (origin_max, ds->n_times);
  for (guint k = 0; k < sc->n_known; k++)
    {
      g_autofree double *med = NULL;

      if (sc->known_kinds[k] == TC_COVARIATE_PRICE || sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE)
        med = price_medians (ds, known_map[k], price_limits,
                             sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE);
      for (guint s = 0; s < ds->n_series; s++)
        {
          const double *src = tc_dataset_known_row (ds, known_map[k], s);
          double *raw = c->known_raw + ((gsize) k * ds->n_series + s) * T;
          guint fs = 0;
          gboolean has_history = FALSE;
          /* Each series forecasts from its own limit when one is given
           * (a holdout of its last steps), else from the common origin. */
          guint o_s = limits ? MIN (limits[s], origin_max) : origin_max;

          if (fut_series)
            fs = GPOINTER_TO_UINT (g_hash_table_lookup (fut_series, ds->series_ids[s]));
          for (guint t = 0; t < T; t++)
            {
              raw[t] = t < ds->n_times ? src[t] : NAN;
              if (fs && fut_known_map[k] >= 0)
                {
                  gint64 when = c->times[c->pre + t];
                  guint ft = GPOINTER_TO_UINT (g_hash_table_lookup (fut_times, &when));

                  if (ft)
                    {
                      double v = tc_dataset_known_row (future, fut_known_map[k], fs - 1)[ft - 1];

                      if (!isnan (v))
                        raw[t] = v;
                    }
                }
            }
          for (guint t = 0; t < MIN (o_s, ds->n_times); t++)
            if (!isnan (tc_dataset_target_row (ds, s)[t]))
              {
                has_history = TRUE;
                break;
              }
          for (guint e = 0; e < n_edits; e++)
            if (edits[e].known == k && (edits[e].series < 0 || (guint) edits[e].series == s))
              for (guint t = o_s; t < MIN (T, o_s + sc->horizon); t++)
                {
                  gint64 when = c->times[c->pre + t];

                  if (when < edits[e].from || when > edits[e].to)
                    continue;
                  /* ×f on a log price is + log f. */
                  if (edits[e].scale && sc->known_kinds[k] == TC_COVARIATE_LOG_PRICE)
                    raw[t] = isnan (raw[t]) || !(edits[e].value > 0) ? NAN : raw[t] + log (edits[e].value);
                  else if (edits[e].scale)
                    raw[t] = isnan (raw[t]) ? NAN : raw[t] * edits[e].value;
                  else
                    raw[t] = edits[e].value;
                }
          /* Only dates after the last target of the data are the
           * user's plan; a gap inside the data (a week without a row) is
           * unknown, like a gap in the context. */
          if (require_future && has_history)
            for (guint t = MAX (o_s, plan_from ? plan_from[s] : data_end); t < MIN (T, o_s + sc->horizon); t++)
              {
                if (!isnan (raw[t]))
                  continue;
                if (sc->known_kinds[k] == TC_COVARIATE_HOLIDAY)
                  {
                    /* Holidays come back every year: take last year's. */
                    raw[t] = t >= season && !isnan (raw[t - season]) ? raw[t - season] : 0;
                    continue;
                  }
                {
                  g_autofree char *d = format_date (c->times[c->pre + t]);

                  g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                               "The known-future column “%s” has no value for series “%s” on %s, "
                               "which the forecast needs: give it in the future file",
                               sc->known_names[k], ds->series_ids[s], d);
                  return NULL;
                }
              }
          for (guint t = 0; t < T; t++)
            {
              double x = transform_known (sc->known_kinds[k], raw[t], med ? med[s] : 1.0);

              c->known_feat[((gsize) s * T + t) * sc->n_known + k] =
                isnan (x) ? 0.0f : (float) ((x - sc->known_mean[k]) / sc->known_std[k]);
            }
        }
    }

  c->obs_feat = g_new0 (float, MAX ((gsize) ds->n_series * T * sc->n_observed, 1));
  for (guint k = 0; k < sc->n_observed; k++)
    for (guint s = 0; s < ds->n_series; s++)
      {
        const double *src = tc_dataset_observed_row (ds, obs_map[k], s);
        guint lim = limits ? MIN (limits[s], ds->n_times) : ds->n_times;

        for (guint t = 0; t < lim; t++)
          if (!isnan (src[t]))
            c->obs_feat[((gsize) s * T + t) * sc->n_observed + k] =
              (float) ((src[t] - sc->observed_mean[k]) / sc->observed_std[k]);
      }

  c->stat = g_new0 (guint, MAX ((gsize) ds->n_series * sc->n_static, 1));
  for (guint i = 0; i < sc->n_static; i++)
    {
      int col = -1;

      for (guint j = 0; j < ds->n_static; j++)
        if (g_strcmp0 (ds->static_names[j], sc->static_names[i]) == 0)
          col = j;
      /* A missing static column makes every series "unknown" (id 0),
       * which the model has seen for rare values: degrade, not fail. */
      if (col < 0)
        continue;
      for (guint s = 0; s < ds->n_series; s++)
        {
          const char *v = ds->static_values[(gsize) s * ds->n_static + col];

          c->stat[(gsize) s * sc->n_static + i] =
            v ? GPOINTER_TO_UINT (g_hash_table_lookup (sc->static_vocab[i], v)) : 0;
        }
    }

  if (sc->n_text > 0)
    {
      /* Data without the text column forecasts as if nobody wrote a
       * review: every bag is empty.  Missing news is another matter: a
       * model that learnt from headlines would read their absence as a
       * quiet market, so it refuses to forecast without them. */
      if (sc->text_settings.read_news && ds->news == NULL)
        {
          g_set_error_literal (error, TC_ERROR, TC_ERROR_SCHEMA,
                               _("The model reads market news, but the data has no news file joined to it: "
                                 "add the news file it was trained with"));
          return NULL;
        }
      c->text = tc_text_bags_new (&sc->text_settings, ds, error);
      if (c->text == NULL)
        return NULL;
      /* The window carries a bag id as a float: exact below 2^24. */
      if (c->text->n_bags >= (1u << 24))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "%u periods with review text are more than the model can address (16,777,215)",
                       c->text->n_bags - 1);
          return NULL;
        }
      c->text_bag = g_new0 (guint, MAX ((gsize) ds->n_series * ds->n_times, 1));
      for (guint s = 0; s < ds->n_series; s++)
        {
          guint lim = limits ? MIN (limits[s], ds->n_times) : ds->n_times;

          /* Reviews are observed: none at or past the limit (the origin
           * of a forecast, the train limit) enters a window. */
          for (guint t = 0; t < lim; t++)
            c->text_bag[(gsize) s * ds->n_times + t] = tc_text_bags_at (c->text, s, t);
        }
    }
  return g_steal_pointer (&c);
}

TcTextBags *
tc_feature_cube_text_bags (const TcFeatureCube *c)
{
  return c->text;
}

void
tc_feature_cube_free (TcFeatureCube *c)
{
  if (c == NULL)
    return;
  g_free (c->times);
  g_free (c->y);
  g_free (c->known_raw);
  g_free (c->known_feat);
  g_free (c->obs_feat);
  g_free (c->cal);
  g_free (c->stat);
  tc_text_bags_unref (c->text);
  g_free (c->text_bag);
  g_free (c);
}

double
tc_feature_cube_known_raw (const TcFeatureCube *c,
                           guint                k,
                           guint                s,
                           guint                g)
{
  if (k >= c->schema->n_known || s >= c->n_series || g >= c->t_ext)
    return NAN;
  return c->known_raw[((gsize) k * c->n_series + s) * c->t_ext + g];
}

gint64
tc_feature_cube_time (const TcFeatureCube *c,
                      guint                g)
{
  if (g >= c->t_ext)
    return tc_frequency_advance (c->freq, c->times[c->pre + c->t_ext - 1], g - c->t_ext + 1);
  return c->times[c->pre + g];
}

guint
tc_feature_cube_window (const TcFeatureCube *c,
                        guint                s,
                        guint                origin,
                        float               *x,
                        guint               *stat,
                        float               *y,
                        float               *w,
                        double              *mu_out,
                        double              *scale_out)
{
  const TcFeatureSchema *sc = c->schema;
  const guint L = sc->context, H = sc->horizon, Hp = sc->horizon_padded, F = sc->n_features;
  const guint T = c->t_ext;
  const double *ys = c->y + (gsize) s * T;
  const guint fk = TC_FEAT_N_FIXED, fo = fk + sc->n_known, fc = fo + sc->n_observed;
  const guint fl = fc + sc->n_calendar;
  double sum = 0, sum2 = 0, abs_sum = 0, mu, scale, var, level;
  guint n = 0;

  /* Statistics of the observed context only: the future stays unseen. */
  for (guint t = 0; t < L; t++)
    {
      gint64 g = (gint64) origin - L + t;
      double v;

      if (g < 0 || g >= T)
        continue;
      v = ys[g];
      if (isnan (v))
        continue;
      sum += v;
      sum2 += v * v;
      abs_sum += sc->log1p ? expm1 (v) : fabs (v);
      n++;
    }
  mu = n ? sum / n : 0;
  var = n > 1 ? (sum2 - n * mu * mu) / (n - 1) : 0;
  scale = sqrt (MAX (var, 0));
  /* Flat contexts must not turn noise into huge normalised values. */
  scale = MAX (scale, sc->scale_floor);
  scale = MAX (scale, 0.02 * fabs (mu));
  level = ((n ? log1p (abs_sum / n) : 0) - sc->level_mean) / sc->level_std;

  memset (x, 0, sizeof (float) * (gsize) (L + Hp) * F);
  for (guint t = 0; t < L + Hp; t++)
    {
      gint64 g = (gint64) origin - L + t;
      float *xt = x + (gsize) t * F;
      gboolean future = t >= L;

      xt[TC_FEAT_FUTURE] = future ? 1.0f : 0.0f;
      xt[TC_FEAT_LEVEL] = (float) level;
      memcpy (xt + fc, c->cal + (gsize) (g + c->pre) * sc->n_calendar, sizeof (float) * sc->n_calendar);
      /* Seasonal lags: only values before the origin are known. */
      for (guint i = 0; i < sc->season_lags; i++)
        {
          gint64 gl = g - (gint64) (i + 1) * sc->lag_period;

          if (gl >= 0 && gl < (gint64) origin && gl < T && !isnan (ys[gl]))
            {
              xt[fl + 2 * i] = (float) CLAMP ((ys[gl] - mu) / scale, -Z_CLIP, Z_CLIP);
              xt[fl + 2 * i + 1] = 1.0f;
            }
        }
      if (g < 0 || g >= T)
        continue;
      if (!future)
        {
          double v = ys[g];

          if (!isnan (v))
            {
              xt[TC_FEAT_TARGET] = (float) CLAMP ((v - mu) / scale, -Z_CLIP, Z_CLIP);
              xt[TC_FEAT_OBSERVED] = 1.0f;
            }
          memcpy (xt + fo, c->obs_feat + ((gsize) s * T + g) * sc->n_observed,
                  sizeof (float) * sc->n_observed);
          /* The text layer of the model turns the bag id into its
           * channels (tc-text-layer.h). */
          if (c->text_bag != NULL && g < c->n_times)
            xt[F - sc->n_text] = (float) c->text_bag[(gsize) s * c->n_times + g];
        }
      /* Known covariates past H are beyond what the user supplies at
       * forecast time; keep them zero in training too. */
      if (!future || t - L < H)
        memcpy (xt + fk, c->known_feat + ((gsize) s * T + g) * sc->n_known,
                sizeof (float) * sc->n_known);
    }
  if (stat)
    memcpy (stat, c->stat + (gsize) s * sc->n_static, sizeof (guint) * sc->n_static);
  if (y || w)
    for (guint k = 0; k < Hp; k++)
      {
        guint64 g = (guint64) origin + k;
        double v = g < T ? ys[g] : NAN;
        gboolean ok = k < H && !isnan (v);

        if (y)
          y[k] = ok ? (float) CLAMP ((v - mu) / scale, -Z_CLIP, Z_CLIP) : 0.0f;
        if (w)
          w[k] = ok ? 1.0f : 0.0f;
      }
  if (mu_out)
    *mu_out = mu;
  if (scale_out)
    *scale_out = scale;
  return n;
}

double
tc_features_denormalise (const TcFeatureSchema *sc,
                         double                 z,
                         double                 mu,
                         double                 scale)
{
  double v = z * scale + mu;

  if (sc->log1p)
    v = expm1 (MIN (v, 700.0));
  if (sc->nonneg && v < 0)
    v = 0;
  return v;
}
