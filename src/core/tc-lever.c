/* tc-lever.c — one estimate per lever, computed as a scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "trendcast-lever"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "tc-effects.h"
#include "tc-error.h"
#include "tc-lever.h"

#define N_BOOTSTRAP 500

static int
data_column (const TcDataset *ds, const char *name)
{
  for (guint j = 0; j < ds->n_known; j++)
    if (g_strcmp0 (ds->known_names[j], name) == 0)
      return (int) j;
  return -1;
}

/* Whether known column @k of @ds holds only 0 and 1, with a 1 somewhere. */
static gboolean
is_flag (const TcDataset *ds, guint k)
{
  const double *v = tc_dataset_known_row (ds, k, 0);
  gsize n = (gsize) ds->n_series * ds->n_times;
  gboolean seen_one = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (v[i]))
        continue;
      if (v[i] != 0 && v[i] != 1)
        return FALSE;
      seen_one |= v[i] == 1;
    }
  return seen_one;
}

void
tc_lever_columns (TcForecaster *fc, const TcDataset *ds, TcLeverColumns *out)
{
  const char * const *names = tc_forecaster_get_known_names (fc);

  *out = (TcLeverColumns) { .discount_scale = 0.01 };
  /* The model's order decides which column is "the" price when there
   * are several; the data's kinds decide what a column is (the Data
   * page may have changed a role since training). */
  for (guint k = 0; names && names[k]; k++)
    {
      int j = data_column (ds, names[k]);
      TcCovariateKind kind;

      if (j < 0)
        continue;
      kind = ds->known_kinds[j];
      if (kind == TC_COVARIATE_PROMOTION && out->promotion == NULL)
        out->promotion = names[k];
      else if (kind == TC_COVARIATE_DISCOUNT && out->discount == NULL)
        {
          double mx = 0;

          out->discount = names[k];
          /* Discounts are written as fractions (0.2) in most data, as
           * percents in some: the largest one tells which. */
          for (guint s = 0; s < ds->n_series; s++)
            {
              const double *row = tc_dataset_known_row (ds, (guint) j, s);

              for (guint t = 0; t < ds->n_times; t++)
                if (row[t] > mx)
                  mx = row[t];
            }
          out->discount_scale = mx > 1.0 ? 1.0 : 0.01;
        }
      else if (tc_effects_is_competitor (names[k], NULL))
        {
          if (out->competitor == NULL)
            out->competitor = names[k];
        }
      else if ((kind == TC_COVARIATE_PRICE || kind == TC_COVARIATE_LOG_PRICE) && out->price == NULL)
        {
          out->price = names[k];
          out->price_is_log = kind == TC_COVARIATE_LOG_PRICE;
        }
    }
  /* A discount of the data that the model left out (it moves with the
   * price): a discount still sets it, as the plan would, and lowers the
   * price, which carries the effect. */
  if (out->discount == NULL && out->price != NULL)
    for (guint j = 0; j < ds->n_known && out->discount == NULL; j++)
      if (ds->known_kinds[j] == TC_COVARIATE_DISCOUNT)
        {
          double mx = 0;

          out->discount = ds->known_names[j];
          out->discount_unread = TRUE;
          for (guint s = 0; s < ds->n_series; s++)
            {
              const double *row = tc_dataset_known_row (ds, j, s);

              for (guint t = 0; t < ds->n_times; t++)
                if (row[t] > mx)
                  mx = row[t];
            }
          out->discount_scale = mx > 1.0 ? 1.0 : 0.01;
        }
}

void
tc_scenario_edit_clear (gpointer edit)
{
  TcScenarioEdit *e = edit;

  g_clear_pointer (&e->covariate, g_free);
}

static void
append (GArray *edits, const char *covariate, TcScenarioOp op, double value, gint64 from, gint64 to,
        int series)
{
  TcScenarioEdit e = { g_strdup (covariate), op, value, from, to, series };

  g_array_append_val (edits, e);
}

gboolean
tc_lever_append_edits (const TcLeverColumns *cols, TcLeverKind kind, const char *flag, double value,
                       gint64 from, gint64 to, int series, GArray *edits)
{
  switch (kind)
    {
    case TC_LEVER_PROMOTION:
      if (cols->promotion == NULL)
        return FALSE;
      append (edits, cols->promotion, TC_SCENARIO_SET, 1.0, from, to, series);
      return TRUE;
    case TC_LEVER_DISCOUNT:
      if (cols->discount == NULL && cols->price == NULL)
        return FALSE;
      /* A discount is a price cut: the model sees both columns. */
      if (cols->discount)
        append (edits, cols->discount, TC_SCENARIO_SET, value * cols->discount_scale, from, to, series);
      if (cols->price)
        append (edits, cols->price, TC_SCENARIO_SCALE, 1.0 - value / 100.0, from, to, series);
      return TRUE;
    case TC_LEVER_PRICE:
      if (cols->price == NULL)
        return FALSE;
      append (edits, cols->price, TC_SCENARIO_SCALE, value, from, to, series);
      return TRUE;
    case TC_LEVER_COMPETITOR:
      if (cols->competitor == NULL)
        return FALSE;
      append (edits, cols->competitor, TC_SCENARIO_SCALE, value, from, to, series);
      return TRUE;
    case TC_LEVER_FLAG:
    default:
      if (flag == NULL)
        return FALSE;
      append (edits, flag, TC_SCENARIO_SET, value, from, to, series);
      return TRUE;
    }
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Fills @l's uplift from a scenario of it over all series and dates. */
static void
measure (const TcScenarioResult *r, TcLever *l)
{
  const TcForecast *b = r->baseline;
  guint H = b->horizon, Q = b->n_quantiles, m = tc_forecast_median_index (b);
  g_autofree double *unit_base = g_new0 (double, MAX ((gsize) b->n_series * H, 1));  /* (n_units) */
  g_autofree double *unit_up = g_new0 (double, MAX ((gsize) b->n_series * H, 1));    /* (n_units) */
  g_autofree double *boot = g_new (double, N_BOOTSTRAP);                            /* (N_BOOTSTRAP) */
  g_autoptr (GRand) rng = g_rand_new_with_seed (1);
  double t_base = 0, t_up = 0;
  guint n_valid = 0, n_units, n_boot = 0;

  /* Series with any missing baseline median are left out, as on the
   * Scenarios page. */
  for (guint s = 0; s < b->n_series; s++)
    {
      gboolean valid = TRUE;

      for (guint h = 0; h < H; h++)
        valid &= isfinite (b->values[((gsize) s * H + h) * Q + m]);
      if (!valid)
        continue;
      for (guint h = 0; h < H; h++)
        {
          gsize i = (gsize) s * H + h;

          t_base += b->values[i * Q + m];
          t_up += r->uplift_units[i];
          /* One series: the steps are the units of the bootstrap. */
          unit_base[n_valid * H + h] = b->values[i * Q + m];
          unit_up[n_valid * H + h] = r->uplift_units[i];
        }
      n_valid++;
    }
  l->n_series = n_valid;
  l->uplift_units = n_valid ? t_up / ((double) n_valid * H) : NAN;
  l->uplift_pct = t_base > 0 ? 100 * t_up / t_base : NAN;
  l->uplift_lo = l->uplift_hi = l->uplift_pct;
  if (!isfinite (l->uplift_pct))
    return;

  if (n_valid == 1)
    n_units = H;
  else
    {
      /* A unit is a series: sum its steps. */
      for (guint s = 0; s < n_valid; s++)
        {
          double sb = 0, su = 0;

          for (guint h = 0; h < H; h++)
            sb += unit_base[s * H + h], su += unit_up[s * H + h];
          unit_base[s] = sb;
          unit_up[s] = su;
        }
      n_units = n_valid;
    }
  if (n_units < 2)
    return;
  for (guint r_ = 0; r_ < N_BOOTSTRAP; r_++)
    {
      double sb = 0, su = 0;

      for (guint i = 0; i < n_units; i++)
        {
          guint u = (guint) g_rand_int_range (rng, 0, (gint32) n_units);

          sb += unit_base[u];
          su += unit_up[u];
        }
      if (sb > 0)
        boot[n_boot++] = 100 * su / sb;
    }
  if (n_boot < N_BOOTSTRAP / 2)
    return;
  qsort (boot, n_boot, sizeof (double), cmp_double);
  l->uplift_lo = boot[(guint) floor (0.1 * (n_boot - 1))];
  l->uplift_hi = boot[(guint) ceil (0.9 * (n_boot - 1))];
}

static void
lever_set_clear (gpointer p)
{
  TcLeverSet *set = p;

  for (guint i = 0; i < set->n_levers; i++)
    g_free (set->levers[i].covariate);
  g_free (set->levers);
}

TcLeverSet *
tc_lever_set_ref (TcLeverSet *set)
{
  return g_atomic_rc_box_acquire (set);
}

void
tc_lever_set_unref (TcLeverSet *set)
{
  if (set)
    g_atomic_rc_box_release_full (set, lever_set_clear);
}

const TcLever *
tc_lever_set_find (const TcLeverSet *set, TcLeverKind kind, const char *covariate)
{
  for (guint i = 0; set && i < set->n_levers; i++)
    if (set->levers[i].kind == kind
        && (covariate == NULL || g_strcmp0 (set->levers[i].covariate, covariate) == 0))
      return &set->levers[i];
  return NULL;
}

TcLeverSet *
tc_forecaster_levers (TcForecaster *fc, const TcDataset *ds, const TcDataset *future,
                      GCancellable *cancellable, GError **error)
{
  const char * const *names = tc_forecaster_get_known_names (fc);
  g_autoptr (GArray) levers = g_array_new (FALSE, TRUE, sizeof (TcLever));
  g_autoptr (TcDataset) assumed = NULL;
  TcLeverColumns cols;
  TcLeverSet *set;

  if (future == NULL)
    future = assumed = tc_forecaster_future_template_full (fc, ds, TC_ORIGIN_PER_SERIES, TRUE);
  tc_lever_columns (fc, ds, &cols);
  {
    TcLever l = { 0 };

    if (cols.promotion)
      l = (TcLever) { TC_LEVER_PROMOTION, g_strdup (cols.promotion), 1.0 }, g_array_append_val (levers, l);
    if (cols.discount)
      l = (TcLever) { TC_LEVER_DISCOUNT, g_strdup (cols.discount), TC_LEVER_DISCOUNT_PCT }, g_array_append_val (levers, l);
    if (cols.price)
      l = (TcLever) { TC_LEVER_PRICE, g_strdup (cols.price), TC_LEVER_PRICE_FACTOR }, g_array_append_val (levers, l);
    if (cols.competitor)
      l = (TcLever) { TC_LEVER_COMPETITOR, g_strdup (cols.competitor), TC_LEVER_PRICE_FACTOR }, g_array_append_val (levers, l);
  }
  /* Other 0/1 columns a planner decides: further promotion columns
   * (display, feature) and flags of unknown meaning; never holidays. */
  for (guint k = 0; names && names[k]; k++)
    {
      int j = data_column (ds, names[k]);
      TcLever l = { TC_LEVER_FLAG, NULL, 1.0 };

      if (j < 0 || g_strcmp0 (names[k], cols.promotion) == 0 || g_strcmp0 (names[k], cols.competitor) == 0)
        continue;
      if (ds->known_kinds[j] != TC_COVARIATE_PROMOTION
          && !(ds->known_kinds[j] == TC_COVARIATE_OTHER && is_flag (ds, (guint) j)))
        continue;
      l.covariate = g_strdup (names[k]);
      g_array_append_val (levers, l);
    }

  for (guint i = 0; i < levers->len; i++)
    {
      TcLever *l = &g_array_index (levers, TcLever, i);
      g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
      g_autoptr (TcScenarioResult) r = NULL;

      g_array_set_clear_func (edits, tc_scenario_edit_clear);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      tc_lever_append_edits (&cols, l->kind, l->covariate, l->value, G_MININT64, G_MAXINT64, -1, edits);
      r = tc_forecaster_scenario_full (fc, ds, future, TC_ORIGIN_PER_SERIES,
                                       (const TcScenarioEdit *) (void *) edits->data, edits->len, error);
      if (r == NULL)
        goto fail;
      measure (r, l);
    }

  set = g_atomic_rc_box_new0 (TcLeverSet);
  {
    const TcSafetySummary *sf = tc_forecaster_get_safety (fc);

    set->network_share = 1;
    if (sf && sf->active)
      {
        set->network_share = sf->global_mask & (1u << TC_METHOD_TRANSFORMER) ? sf->tf_weight : 0;
        set->n_own = sf->n_own;
      }
  }
  set->n_levers = levers->len;
  set->levers = (TcLever *) (void *) g_array_free (g_steal_pointer (&levers), FALSE);
  return set;

fail:
  for (guint i = 0; i < levers->len; i++)
    g_free (g_array_index (levers, TcLever, i).covariate);
  return NULL;
}

/* "+12 %", "−3.5 %": one decimal below 10 %. */
static char *
signed_pct (double pct)
{
  /* U+2212 MINUS SIGN reads better than a hyphen next to digits. */
  return g_strdup_printf ("%s%.*f %%", pct < 0 ? "−" : "+", fabs (pct) < 10 ? 1 : 0, fabs (pct));
}

char *
tc_lever_describe (const TcLever *l)
{
  g_autofree char *what = NULL, *pct = NULL, *lo = NULL, *hi = NULL;

  if (l == NULL || !isfinite (l->uplift_pct))
    return NULL;
  switch (l->kind)
    {
    case TC_LEVER_PROMOTION:
      /* Translators: %s is a column name. */
      what = g_strdup_printf (_("A promotion in every period (%s)"), l->covariate);
      break;
    case TC_LEVER_DISCOUNT:
      /* Translators: %g is a percentage such as 10, %s a column name. */
      what = g_strdup_printf (_("A %g %% discount (%s)"), l->value, l->covariate);
      break;
    case TC_LEVER_PRICE:
      /* Translators: %g is a percentage such as 10, %s a column name. */
      what = g_strdup_printf (_("A %g %% lower price (%s)"), round (100 * (1 - l->value)), l->covariate);
      break;
    case TC_LEVER_COMPETITOR:
      /* Translators: %g is a percentage such as 10, %s a column name. */
      what = g_strdup_printf (_("A competitor’s price %g %% lower (%s)"), round (100 * (1 - l->value)), l->covariate);
      break;
    case TC_LEVER_FLAG:
    default:
      /* Translators: %s is a column name such as “display”. */
      what = g_strdup_printf (_("%s on in every period"), l->covariate);
      break;
    }
  pct = signed_pct (l->uplift_pct);
  if (!(l->uplift_hi > l->uplift_lo))
    /* Translators: "A 10 % lower price (price): +12 % units" */
    return g_strdup_printf (_("%s: %s units"), what, pct);
  lo = signed_pct (l->uplift_lo);
  hi = signed_pct (l->uplift_hi);
  if (l->n_series == 1)
    /* Translators: "A 10 % lower price (price): +12 % units, between +8 % and +16 % from period to period" */
    return g_strdup_printf (_("%s: %s units, between %s and %s from period to period"), what, pct, lo, hi);
  /* Translators: "A 10 % lower price (price): +12 % units, between +8 % and +16 % across products" */
  return g_strdup_printf (_("%s: %s units, between %s and %s across products"), what, pct, lo, hi);
}

char *
tc_lever_set_describe_mix (const TcLeverSet *set, guint n_series)
{
  g_autoptr (GString) text = NULL;

  if (set == NULL || set->n_levers == 0)
    return NULL;
  if (set->network_share >= 0.995 && set->n_own == 0)
    return NULL;
  text = g_string_new (NULL);
  if (!(set->network_share > 0))
    g_string_append (text, _("The forecast’s level comes from the baselines, which beat the Transformer on recent data; the effect of a change comes from the Transformer, the only method that reads promotions and prices."));
  else if (set->network_share < 0.995)
    /* Translators: %.0f is a percentage. */
    g_string_append_printf (text, _("The forecast’s level mixes the Transformer (%.0f %%) with baselines; the effect of a change comes from the Transformer alone, the only method that reads promotions and prices."),
                            100 * set->network_share);
  if (set->n_own > 0)
    {
      if (text->len)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u series takes its level from last year’s values.",
                                                 "%u of %u series take their level from last year’s values.",
                                                 set->n_own),
                              set->n_own, n_series);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
tc_lever_price_alone_warning (const TcLeverColumns *cols,
                              const TcDataset      *ds,
                              const TcScenarioEdit *edits,
                              guint                 n_edits)
{
  g_autoptr (TcEffectsResult) eff = NULL;
  const char *partner = NULL;
  double r = NAN;
  gboolean price_alone = FALSE;

  g_return_val_if_fail (cols != NULL && ds != NULL, NULL);

  if (cols->price == NULL)
    return NULL;
  /* A discount the model left out (tc-features.h), set without a price
   * change: the forecast cannot move, and the user must hear why. */
  if (cols->discount_unread && cols->discount != NULL)
    {
      gboolean discount = FALSE, price = FALSE;

      for (guint i = 0; i < n_edits; i++)
        {
          discount = discount || g_strcmp0 (edits[i].covariate, cols->discount) == 0;
          price = price || (g_strcmp0 (edits[i].covariate, cols->price) == 0
                            && !(edits[i].op == TC_SCENARIO_SCALE && edits[i].value == 1));
        }
      if (discount && !price)
        /* TRANSLATORS: "The model does not read “discount”: in the history it always moved together with “price”, …" */
        return g_strdup_printf (_("The model does not read “%s”: in the history it always moved together with "
                                  "“%s”, so the model reads “%s” alone. A change of “%s” without a price change "
                                  "therefore changes nothing; lower the price too (a discount change does both)."),
                                cols->discount, cols->price, cols->price, cols->discount);
    }
  for (guint i = 0; i < n_edits; i++)
    if (g_strcmp0 (edits[i].covariate, cols->price) == 0 && edits[i].op == TC_SCENARIO_SCALE
        && edits[i].value != 1)
      price_alone = TRUE;
  if (!price_alone)
    return NULL;
  /* The regression of tc-effects.h says which columns moved with the
   * price (a few milliseconds on a shop's history). */
  eff = tc_effects_estimate (ds, NULL, NULL);
  if (eff == NULL)
    return NULL;
  for (guint k = 0; k < eff->n_effects && partner == NULL; k++)
    {
      const TcEffect *e = &eff->effects[k];

      if (e->dropped && g_strcmp0 (e->confounded_with, cols->price) == 0)
        partner = e->name, r = e->correlation;
      else if (e->dropped && g_strcmp0 (e->name, cols->price) == 0 && e->confounded_with)
        partner = e->confounded_with, r = e->correlation;
    }
  if (partner == NULL)
    return NULL;
  /* Changed together with its partner (a discount row), it stays on the data's path. */
  for (guint i = 0; i < n_edits; i++)
    if (g_strcmp0 (edits[i].covariate, partner) == 0)
      return NULL;
  {
    g_autofree char *rs = g_strdup_printf ("%s%.2f", r < 0 ? "\u2212" : "", fabs (r));
    gboolean model_reads = (g_strcmp0 (partner, cols->discount) == 0 && !cols->discount_unread)
                           || g_strcmp0 (partner, cols->promotion) == 0 || g_strcmp0 (partner, cols->competitor) == 0;

    if (model_reads)
      /* TRANSLATORS: "In the history, “price” always moved together with “discount” (correlation −1.00 within series),
       * so a price change without a change of “discount” goes beyond the data: …" */
      return g_strdup_printf (_("In the history, “%s” always moved together with “%s” (correlation %s within series), "
                                "so a price change without a change of “%s” goes beyond the data: the model extrapolates "
                                "and this estimate is uncertain. A discount changes both as the history did."),
                              cols->price, partner, rs, partner);
    /* The model was trained without the partner (tc-features.h): the
     * price carries the effect of both. */
    return g_strdup_printf (_("In the history, “%s” always moved together with “%s” (correlation %s within series), "
                              "so their effects cannot be told apart. The model reads “%s” alone and gives a price "
                              "change the effect that the history’s price cuts had together with their discounts: a "
                              "price change without a discount goes beyond the data, and this estimate is uncertain."),
                            cols->price, partner, rs, cols->price);
  }
}
