/* tc-effects.c — what price, promotions and competitors do to sales
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-effects"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tc-format.h"
#include "tc-effects.h"
#include "tc-error.h"

#define Z80 1.2815515655446004
#define MAX_CORRELATION 0.95
#define MIN_CLUSTERS 5

static const char *competitor_words[] = { "competitor", "rival", "\xe7\xab\x9e\xe5\x93\x81" /* 竞品 */,
                                          "\xe5\xaf\xb9\xe6\x89\x8b" /* 对手 */ };

/* Priority when two covariates cannot be separated: the kept one. */
static int
priority (TcEffectKind kind)
{
  switch (kind)
    {
    case TC_EFFECT_PRICE:            return 0;
    case TC_EFFECT_PROMOTION:        return 1;
    case TC_EFFECT_COMPETITOR_PRICE: return 2;
    case TC_EFFECT_DISCOUNT:         return 3;
    case TC_EFFECT_HOLIDAY:          return 4;
    case TC_EFFECT_OTHER:
    default:                         return 5;
    }
}

gboolean
tc_effects_is_competitor (const char *name, const char * const *competitors)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  for (guint i = 0; competitors && competitors[i]; i++)
    if (strcmp (competitors[i], name) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (competitor_words); i++)
    if (strstr (lower, competitor_words[i]) != NULL)
      return TRUE;
  return FALSE;
}

typedef struct
{
  const TcDataset *ds;
  guint            K;          /* known covariates */
  guint            C;          /* calendar columns */
  guint            P;          /* K + C */
  gboolean        *log_scale;  /* (K) */
} Design;

/* The calendar columns of grid index @t into @out (C). */
static void
calendar (const Design *d, guint t, double *out)
{
  gint64 days = d->ds->times[t] / 86400;
  double phase = 2 * G_PI * fmod ((double) days, 365.2425) / 365.2425;
  guint c = 0;

  if (d->ds->freq == TC_FREQ_DAILY || d->ds->freq == TC_FREQ_HOURLY)
    {
      /* 1970-01-01 was a Thursday: Monday = 0, the base. */
      int wd = (int) (((days + 3) % 7 + 7) % 7);

      for (int k = 1; k < 7; k++)
        out[c++] = wd == k;
    }
  if (d->ds->freq != TC_FREQ_YEARLY)
    {
      out[c++] = sin (phase);
      out[c++] = cos (phase);
      out[c++] = sin (2 * phase);
      out[c++] = cos (2 * phase);
    }
}

static guint
calendar_columns (const TcDataset *ds)
{
  return (ds->freq == TC_FREQ_DAILY || ds->freq == TC_FREQ_HOURLY ? 6 : 0) + (ds->freq != TC_FREQ_YEARLY ? 4 : 0);
}

/* The rows of series @s as a block (n, 1 + P): log y, then the
 * covariates and the calendar, each with the series' level and trend
 * projected out.  Returns n (0 for a series with fewer than 3 usable
 * dates); @block is (n_times, 1 + P) scratch. */
static guint
series_block (const Design *d, guint s, double *block, double *tt)
{
  const TcDataset *ds = d->ds;
  const double *y = tc_dataset_target_row (ds, s);
  guint W = 1 + d->P, n = 0, t, k, c;
  double tm = 0, st = 0;

  for (t = 0; t < ds->n_times; t++)
    {
      double *row = block + (gsize) n * W;
      gboolean ok = isfinite (y[t]) && y[t] > 0;

      for (k = 0; k < d->K && ok; k++)
        {
          /* Every covariate decides which dates count, used or not, so
           * that both passes see the same rows. */
          double v = tc_dataset_known_row (ds, k, s)[t];
          if (d->log_scale[k])
            {
              ok = isfinite (v) && v > 0;
              row[1 + k] = ok ? log (v) : 0;
            }
          else
            {
              ok = isfinite (v);
              row[1 + k] = v;
            }
        }
      if (!ok)
        continue;
      row[0] = log (y[t]);
      calendar (d, t, row + 1 + d->K);
      tt[n++] = t;
    }
  if (n < 3)
    return 0;
  for (guint i = 0; i < n; i++)
    tm += tt[i];
  tm /= n;
  for (guint i = 0; i < n; i++)
    st += (tt[i] - tm) * (tt[i] - tm);
  for (c = 0; c < W; c++)
    {
      double m = 0, b = 0;

      for (guint i = 0; i < n; i++)
        m += block[(gsize) i * W + c];
      m /= n;
      for (guint i = 0; i < n; i++)
        b += (tt[i] - tm) * (block[(gsize) i * W + c] - m);
      b = st > 0 ? b / st : 0;
      for (guint i = 0; i < n; i++)
        block[(gsize) i * W + c] -= m + b * (tt[i] - tm);
    }
  return n;
}

/* Cholesky of the (n, n) @a in place (lower); FALSE when not positive
 * definite. */
static gboolean
cholesky (double *a, guint n)
{
  for (guint j = 0; j < n; j++)
    {
      double s = a[(gsize) j * n + j];

      for (guint k = 0; k < j; k++)
        s -= a[(gsize) j * n + k] * a[(gsize) j * n + k];
      if (!(s > 1e-12 * MAX (fabs (a[(gsize) j * n + j]), 1e-300)))
        return FALSE;
      a[(gsize) j * n + j] = sqrt (s);
      for (guint i = j + 1; i < n; i++)
        {
          double v = a[(gsize) i * n + j];

          for (guint k = 0; k < j; k++)
            v -= a[(gsize) i * n + k] * a[(gsize) j * n + k];
          a[(gsize) i * n + j] = v / a[(gsize) j * n + j];
        }
    }
  return TRUE;
}

/* Solves L L' x = b in place. */
static void
cholesky_solve (const double *l, guint n, double *b)
{
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < i; k++)
        b[i] -= l[(gsize) i * n + k] * b[k];
      b[i] /= l[(gsize) i * n + i];
    }
  for (guint i = n; i-- > 0;)
    {
      for (guint k = i + 1; k < n; k++)
        b[i] -= l[(gsize) k * n + i] * b[k];
      b[i] /= l[(gsize) i * n + i];
    }
}

TcEffectsResult *
tc_effects_estimate (const TcDataset     *ds,
                     const char * const  *competitors,
                     GError             **error)
{
  g_autofree double *block = NULL, *tt = NULL, *xtx = NULL, *xty = NULL, *a = NULL, *beta = NULL;
  g_autofree double *meat = NULL, *g = NULL, *ainv = NULL, *v = NULL;
  g_autofree guint *cols = NULL;
  g_autofree gboolean *log_scale = NULL, *use = NULL;
  TcEffectsResult *res;
  Design d;
  guint K, P, W, s, i, j, k, m, n_rows = 0, n_series = 0;

  g_return_val_if_fail (ds != NULL, NULL);

  K = ds->n_known;
  if (K == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY,
                   _("The data has no known covariates (price, promotion …) whose effect could be estimated"));
      return NULL;
    }
  res = g_new0 (TcEffectsResult, 1);
  res->n_effects = K;
  res->effects = g_new0 (TcEffect, K);
  log_scale = g_new0 (gboolean, K);
  use = g_new (gboolean, K);
  for (k = 0; k < K; k++)
    {
      TcEffect *e = &res->effects[k];

      e->name = g_strdup (ds->known_names[k]);
      e->coef = e->se = e->lo = e->hi = e->correlation = NAN;
      if (tc_effects_is_competitor (e->name, competitors))
        e->kind = TC_EFFECT_COMPETITOR_PRICE;
      else
        switch (ds->known_kinds[k])
          {
          case TC_COVARIATE_PRICE:
          case TC_COVARIATE_LOG_PRICE: e->kind = TC_EFFECT_PRICE; break;
          case TC_COVARIATE_PROMOTION: e->kind = TC_EFFECT_PROMOTION; break;
          case TC_COVARIATE_DISCOUNT:  e->kind = TC_EFFECT_DISCOUNT; break;
          case TC_COVARIATE_HOLIDAY:   e->kind = TC_EFFECT_HOLIDAY; break;
          case TC_COVARIATE_OTHER:
          default:                     e->kind = TC_EFFECT_OTHER; break;
          }
      e->log_scale = log_scale[k] = (e->kind == TC_EFFECT_PRICE || e->kind == TC_EFFECT_COMPETITOR_PRICE)
                                    && ds->known_kinds[k] != TC_COVARIATE_LOG_PRICE;
      use[k] = TRUE;
    }

  d.ds = ds;
  d.K = K;
  d.C = calendar_columns (ds);
  d.P = P = K + d.C;
  d.log_scale = log_scale;
  W = 1 + P;
  block = g_new (double, (gsize) MAX (ds->n_times, 1) * W);
  tt = g_new (double, MAX (ds->n_times, 1));
  /* Cross products of every column, log y included: (W, W). */
  xtx = g_new0 (double, (gsize) W * W);
  for (s = 0; s < ds->n_series; s++)
    {
      guint n = series_block (&d, s, block, tt);

      if (n == 0)
        continue;
      n_rows += n;
      n_series++;
      for (guint r = 0; r < n; r++)
        {
          const double *row = block + (gsize) r * W;

          for (i = 0; i < W; i++)
            for (j = 0; j <= i; j++)
              xtx[(gsize) i * W + j] += row[i] * row[j];
        }
    }
  for (i = 0; i < W; i++)
    for (j = i + 1; j < W; j++)
      xtx[(gsize) i * W + j] = xtx[(gsize) j * W + i];
  res->n_rows = n_rows;
  res->n_series = n_series;
  if (n_rows < P + 10)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY,
                   _("Too few dates with sales and known covariates (%u) to estimate their effects"), n_rows);
      tc_effects_result_free (res);
      return NULL;
    }

  /* What does not vary within series, or varies like something kept
   * before it, is left out. */
  for (k = 0; k < K; k++)
    if (!(xtx[(gsize) (1 + k) * W + 1 + k] > 1e-9 * n_rows))
      {
        use[k] = FALSE;
        res->effects[k].dropped = TRUE;
      }
  {
    g_autofree guint *order = g_new (guint, K);

    for (k = 0; k < K; k++)
      order[k] = k;
    /* By priority, then the dataset's order: a stable insertion sort. */
    for (i = 1; i < K; i++)
      for (j = i; j > 0 && priority (res->effects[order[j]].kind) < priority (res->effects[order[j - 1]].kind); j--)
        {
          guint t = order[j];

          order[j] = order[j - 1];
          order[j - 1] = t;
        }
    for (i = 0; i < K; i++)
      for (j = 0; j < i; j++)
        {
          guint a_ = order[j], b_ = order[i];
          double r;

          if (!use[a_] || !use[b_])
            continue;
          r = xtx[(gsize) (1 + a_) * W + 1 + b_]
              / sqrt (xtx[(gsize) (1 + a_) * W + 1 + a_] * xtx[(gsize) (1 + b_) * W + 1 + b_]);
          if (fabs (r) > MAX_CORRELATION)
            {
              use[b_] = FALSE;
              res->effects[b_].dropped = TRUE;
              res->effects[b_].confounded_with = g_strdup (res->effects[a_].name);
              res->effects[b_].correlation = r;
            }
        }
  }

  /* The kept columns: covariates in use, then the calendar. */
  cols = g_new (guint, P);
  m = 0;
  for (k = 0; k < K; k++)
    if (use[k])
      cols[m++] = 1 + k;
  for (i = 0; i < d.C; i++)
    cols[m++] = 1 + K + i;
  a = g_new (double, (gsize) m * m);
  beta = g_new (double, m);
  for (i = 0; i < m; i++)
    {
      for (j = 0; j < m; j++)
        a[(gsize) i * m + j] = xtx[(gsize) cols[i] * W + cols[j]];
      beta[i] = xtx[(gsize) cols[i] * W + 0];
    }
  if (!cholesky (a, m))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_NUMERIC,
                   _("The known covariates depend on each other exactly: their effects cannot be estimated"));
      tc_effects_result_free (res);
      return NULL;
    }
  cholesky_solve (a, m, beta);

  /* (X'X)⁻¹, column by column. */
  ainv = g_new0 (double, (gsize) m * m);
  for (j = 0; j < m; j++)
    {
      double *col = g_new0 (double, m);

      col[j] = 1;
      cholesky_solve (a, m, col);
      for (i = 0; i < m; i++)
        ainv[(gsize) i * m + j] = col[i];
      g_free (col);
    }

  /* The meat of the sandwich: per series (clusters), or per row. */
  res->clustered = n_series >= MIN_CLUSTERS;
  meat = g_new0 (double, (gsize) m * m);
  g = g_new (double, m);
  for (s = 0; s < ds->n_series; s++)
    {
      guint n = series_block (&d, s, block, tt);

      if (n == 0)
        continue;
      for (i = 0; i < m; i++)
        g[i] = 0;
      for (guint r = 0; r < n; r++)
        {
          const double *row = block + (gsize) r * W;
          double e = row[0];

          for (i = 0; i < m; i++)
            e -= beta[i] * row[cols[i]];
          if (res->clustered)
            for (i = 0; i < m; i++)
              g[i] += row[cols[i]] * e;
          else
            for (i = 0; i < m; i++)
              for (j = 0; j < m; j++)
                meat[(gsize) i * m + j] += row[cols[i]] * row[cols[j]] * e * e;
        }
      if (res->clustered)
        for (i = 0; i < m; i++)
          for (j = 0; j < m; j++)
            meat[(gsize) i * m + j] += g[i] * g[j];
    }
  v = g_new0 (double, (gsize) m * m);
  {
    g_autofree double *tmp = g_new0 (double, (gsize) m * m);
    double corr = res->clustered ? (double) n_series / (n_series - 1) : 1;

    for (i = 0; i < m; i++)
      for (j = 0; j < m; j++)
        for (k = 0; k < m; k++)
          tmp[(gsize) i * m + j] += ainv[(gsize) i * m + k] * meat[(gsize) k * m + j];
    for (i = 0; i < m; i++)
      for (j = 0; j < m; j++)
        {
          for (k = 0; k < m; k++)
            v[(gsize) i * m + j] += tmp[(gsize) i * m + k] * ainv[(gsize) k * m + j];
          v[(gsize) i * m + j] *= corr;
        }
  }
  for (i = 0; i < m; i++)
    if (cols[i] <= K)
      {
        TcEffect *e = &res->effects[cols[i] - 1];

        e->coef = beta[i];
        e->se = sqrt (MAX (v[(gsize) i * m + i], 0));
        e->lo = e->coef - Z80 * e->se;
        e->hi = e->coef + Z80 * e->se;
      }
  return res;
}

void
tc_effects_result_free (TcEffectsResult *result)
{
  if (result == NULL)
    return;
  for (guint k = 0; k < result->n_effects; k++)
    {
      g_free (result->effects[k].name);
      g_free (result->effects[k].confounded_with);
    }
  g_free (result->effects);
  g_free (result);
}

const TcEffect *
tc_effects_find (const TcEffectsResult *result,
                 const char            *name)
{
  g_return_val_if_fail (result != NULL && name != NULL, NULL);
  for (guint k = 0; k < result->n_effects; k++)
    if (strcmp (result->effects[k].name, name) == 0)
      return &result->effects[k];
  return NULL;
}

/* A change as a signed percentage, "+21 %", "−5 %"; with @digits
 * decimals. */
static char *
change (double factor, int digits)
{
  double p = (factor - 1) * 100;
  double half = digits > 0 ? 0.05 : 0.5;

  return g_strdup_printf ("%s%.*f" TC_PERCENT, p >= half ? "+" : p <= -half ? "−" : "±", digits, fabs (p));
}

/* The change and its range, with a decimal when whole percentages
 * would make the range a point. */
static void
changes (double f, double fl, double fh, char **c, char **l, char **h)
{
  int digits = round ((MIN (fl, fh) - 1) * 100) == round ((MAX (fl, fh) - 1) * 100) ? 1 : 0;

  *c = change (f, digits);
  *l = change (MIN (fl, fh), digits);
  *h = change (MAX (fl, fh), digits);
}

static char *
number (double v, const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, format, fabs (v));
  return g_strdup_printf ("%s%s", v < 0 ? "−" : "", buf);
}

char *
tc_effect_explain (const TcEffect *e)
{
  g_autofree char *c = NULL, *l = NULL, *h = NULL, *b = NULL, *bl = NULL, *bh = NULL;
  double f, fl, fh;

  g_return_val_if_fail (e != NULL, NULL);

  if (e->dropped && e->confounded_with)
    {
      g_autofree char *r = number (e->correlation, "%.2f");

      /* TRANSLATORS: "“discount” moves together with “price” (correlation −1.00 within series): their effects cannot be separated; the estimate for “price” includes both." */
      return g_strdup_printf (_("“%s” moves together with “%s” (correlation %s within series): their effects cannot be "
                                "separated; the estimate for “%s” includes both."),
                              e->name, e->confounded_with, r, e->confounded_with);
    }
  if (e->dropped || !isfinite (e->coef))
    return g_strdup_printf (_("“%s” does not change within any series: there is nothing to learn its effect from."), e->name);

  b = number (e->coef, "%.2f");
  bl = number (e->lo, "%.2f");
  bh = number (e->hi, "%.2f");
  switch (e->kind)
    {
    case TC_EFFECT_PRICE:
    case TC_EFFECT_COMPETITOR_PRICE:
      /* A 10 % lower price: log 0.9 on the log scale. */
      f = exp (e->coef * log (0.9));
      fl = exp (e->lo * log (0.9));
      fh = exp (e->hi * log (0.9));
      changes (f, fl, fh, &c, &l, &h);
      if (e->kind == TC_EFFECT_PRICE)
        /* TRANSLATORS: "“price”: a 10 % lower price changes sales by +21 % (likely +20 % to +22 %); elasticity −1.80 (likely −1.85 to −1.75)." */
        return g_strdup_printf (_("“%s”: a 10 %% lower price changes sales by %s (likely %s to %s); "
                                  "elasticity %s (likely %s to %s)."), e->name, c, l, h, b, bl, bh);
      /* TRANSLATORS: "“competitor_price”: when the competitor's price is 10 % lower, sales change by −5 % (likely −7 % to −3 %); cross-price elasticity 0.50 (likely 0.30 to 0.70)." */
      return g_strdup_printf (_("“%s”: when the competitor's price is 10 %% lower, sales change by %s (likely %s to %s); "
                                "cross-price elasticity %s (likely %s to %s)."), e->name, c, l, h, b, bl, bh);
    case TC_EFFECT_PROMOTION:
    case TC_EFFECT_HOLIDAY:
      changes (exp (e->coef), exp (e->lo), exp (e->hi), &c, &l, &h);
      /* TRANSLATORS: "“promo”: sales +35 % (likely +33 % to +37 %) on its dates." */
      return g_strdup_printf (_("“%s”: sales %s (likely %s to %s) on its dates."), e->name, c, l, h);
    case TC_EFFECT_DISCOUNT:
      changes (exp (0.1 * e->coef), exp (0.1 * e->lo), exp (0.1 * e->hi), &c, &l, &h);
      /* TRANSLATORS: "“discount”: 10 points more discount changes sales by +19 % (likely +17 % to +21 %)." */
      return g_strdup_printf (_("“%s”: 10 points more discount changes sales by %s (likely %s to %s)."), e->name, c, l, h);
    case TC_EFFECT_OTHER:
    default:
      changes (exp (e->coef), exp (e->lo), exp (e->hi), &c, &l, &h);
      /* TRANSLATORS: "“traffic”: one unit more changes sales by +2 % (likely +1 % to +3 %)." */
      return g_strdup_printf (_("“%s”: one unit more changes sales by %s (likely %s to %s)."), e->name, c, l, h);
    }
}
