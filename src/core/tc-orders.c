/* tc-orders.c — how much to order, from a quantile forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-orders"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tc-format.h"
#include "tc-orders.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-explore.h"

/* Points of the midpoint rule over u ∈ (0, 1) for the expectations: the
 * outermost lies at z = ±3.5, beyond which a normal tail holds less than
 * 0.02 % of its scale. */
#define N_GRID 4000

/* -- the standard normal ---------------------------------------------------- */

static double
norm_cdf (double z)
{
  return 0.5 * erfc (-z / G_SQRT2);
}

/* Φ⁻¹ by Acklam's rational approximation (relative error 1.15e-9),
 * polished by one Halley step on erfc. */
static double
norm_ppf (double p)
{
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                              1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                              6.680131188771972e+01, -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                              -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                              3.754408661907416e+00 };
  double q, r, x, e, u;

  if (p <= 0)
    return -INFINITY;
  if (p >= 1)
    return INFINITY;
  if (p < 0.02425)
    {
      q = sqrt (-2 * log (p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  else if (p > 1 - 0.02425)
    {
      q = sqrt (-2 * log (1 - p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  else
    {
      q = p - 0.5;
      r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
  e = norm_cdf (x) - p;
  u = e * sqrt (2 * G_PI) * exp (x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* The z of every point of the midpoint rule, computed once. */
static const double *
grid_z (void)
{
  static gsize done;
  static double z[N_GRID];

  if (g_once_init_enter (&done))
    {
      for (guint j = 0; j < N_GRID; j++)
        z[j] = norm_ppf ((j + 0.5) / N_GRID);
      g_once_init_leave (&done, 1);
    }
  return z;
}

/* -- the quantile function -------------------------------------------------- */

/* The z of each quantile level: the knots of the quantile function. */
static void
knots_z (const float *levels, guint n, double *zk)
{
  for (guint i = 0; i < n; i++)
    zk[i] = norm_ppf (levels[i]);
}

/* The slopes (value per unit of z) of the two tails: from the median to
 * the outermost quantile of each side; a side without a quantile of its
 * own borrows the other's. */
static void
tail_slopes (const double *zk, const double *values, guint n, guint median,
             double *lo, double *hi)
{
  *lo = median > 0 ? (values[median] - values[0]) / (zk[median] - zk[0]) : NAN;
  *hi = median + 1 < n ? (values[n - 1] - values[median]) / (zk[n - 1] - zk[median]) : NAN;
  if (!isfinite (*lo))
    *lo = isfinite (*hi) ? *hi : 0;
  if (!isfinite (*hi))
    *hi = *lo;
  *lo = MAX (*lo, 0);
  *hi = MAX (*hi, 0);
}

/* The quantile at standard-normal score @z. */
static double
quantile_at_z (const double *zk, const double *values, guint n,
               double slope_lo, double slope_hi, double z)
{
  guint i;

  if (z <= zk[0])
    return values[0] + (z - zk[0]) * slope_lo;
  if (z >= zk[n - 1])
    return values[n - 1] + (z - zk[n - 1]) * slope_hi;
  for (i = 0; i + 1 < n; i++)
    if (z <= zk[i + 1])
      return zk[i + 1] > zk[i] ? values[i] + (z - zk[i]) / (zk[i + 1] - zk[i]) * (values[i + 1] - values[i])
                               : values[i + 1];
  return values[n - 1];
}

double
tc_orders_critical_ratio (double cost_short,
                          double cost_over)
{
  if (!(cost_short > 0) || !(cost_over > 0) || !isfinite (cost_short) || !isfinite (cost_over))
    return NAN;
  return cost_short / (cost_short + cost_over);
}

double
tc_orders_quantile (const float  *levels,
                    const double *values,
                    guint         n,
                    guint         median,
                    gboolean      non_negative,
                    double        u)
{
  double zk[TC_MODEL_MAX_QUANTILES];
  double lo, hi, v;

  g_return_val_if_fail (n > 0 && n <= TC_MODEL_MAX_QUANTILES && median < n, NAN);
  if (!isfinite (values[median]))
    return NAN;
  knots_z (levels, n, zk);
  tail_slopes (zk, values, n, median, &lo, &hi);
  v = quantile_at_z (zk, values, n, lo, hi, norm_ppf (u));
  return non_negative ? MAX (v, 0) : v;
}

double
tc_orders_exceedance (const float  *levels,
                      const double *values,
                      guint         n,
                      guint         median,
                      gboolean      non_negative,
                      double        x)
{
  double zk[TC_MODEL_MAX_QUANTILES];
  double lo, hi, z;
  int i;

  g_return_val_if_fail (n > 0 && n <= TC_MODEL_MAX_QUANTILES && median < n, NAN);
  if (!isfinite (values[median]) || isnan (x))
    return NAN;
  if (non_negative && x < 0)
    return 1;
  knots_z (levels, n, zk);
  tail_slopes (zk, values, n, median, &lo, &hi);
  if (x < values[0])
    z = lo > 0 ? zk[0] + (x - values[0]) / lo : -INFINITY;
  else if (x >= values[n - 1])
    z = hi > 0 ? zk[n - 1] + (x - values[n - 1]) / hi : INFINITY;
  else
    {
      /* The last knot at or below @x: on a flat stretch (several
       * quantiles equal to @x) the demand exceeds @x only above it. */
      for (i = (int) n - 2; i > 0 && values[i] > x; i--)
        ;
      {
        double za = zk[i], zb = zk[i + 1];
        double span = values[i + 1] - values[i];

        z = span > 0 ? za + (x - values[i]) / span * (zb - za) : zb;
      }
    }
  return 1 - norm_cdf (z);
}

void
tc_orders_expectations (const float  *levels,
                        const double *values,
                        guint         n,
                        guint         median,
                        gboolean      non_negative,
                        double        x,
                        double       *leftover,
                        double       *short_)
{
  const double *z = grid_z ();
  double zk[TC_MODEL_MAX_QUANTILES];
  double lo, hi, sum_left = 0, sum_short = 0;
  guint j;

  g_return_if_fail (n > 0 && n <= TC_MODEL_MAX_QUANTILES && median < n);
  if (!isfinite (values[median]) || !isfinite (x))
    {
      if (leftover)
        *leftover = NAN;
      if (short_)
        *short_ = NAN;
      return;
    }
  knots_z (levels, n, zk);
  tail_slopes (zk, values, n, median, &lo, &hi);
  for (j = 0; j < N_GRID; j++)
    {
      double v = quantile_at_z (zk, values, n, lo, hi, z[j]);

      if (non_negative)
        v = MAX (v, 0);
      if (v < x)
        sum_left += x - v;
      else
        sum_short += v - x;
    }
  if (leftover)
    *leftover = sum_left / N_GRID;
  if (short_)
    *short_ = sum_short / N_GRID;
}

void
tc_orders_period_demand (const double *rows,
                         guint         steps,
                         guint         n_quantiles,
                         guint         median,
                         double       *out)
{
  guint h, q;

  /* The period rule of tc-explore.h, by the same function. */
  tc_explore_combine (rows, steps, n_quantiles, median, TC_EXPLORE_COMONOTONIC, out);
  for (h = 0; h < steps; h++)
    if (!isfinite (rows[(gsize) h * n_quantiles + median]))
      for (q = 0; q < n_quantiles; q++)
        out[q] = NAN;
}

/* -- the plan -------------------------------------------------------------- */

static gboolean
dataset_non_negative (const TcDataset *ds)
{
  gsize i, n = (gsize) ds->n_series * ds->n_times;

  for (i = 0; i < n; i++)
    if (ds->target[i] < 0)
      return FALSE;
  return TRUE;
}

static void
plan_line (TcOrderPlan *plan, const TcForecast *f, const TcStock *stock,
           gboolean non_negative, TcOrderLine *line)
{
  guint nq = f->n_quantiles, L = plan->params.lead_time, K = plan->steps, k;
  const double *rows = f->values + (gsize) line->series * f->horizon * nq;
  double *cum = g_new (double, nq);
  double have;

  line->demand = g_new (double, nq);
  line->risk = g_new (double, MAX (K, 1));
  for (k = 0; k < nq; k++)
    line->demand[k] = NAN;
  for (k = 0; k < K; k++)
    line->risk[k] = NAN;
  line->stock = stock->stock;
  line->on_order = isfinite (stock->on_order) ? stock->on_order : 0;
  line->position = line->stock + line->on_order;
  line->demand_median = line->order_up_to = line->order = NAN;
  line->risk_before_arrival = line->risk_end = NAN;
  line->expected_leftover = line->expected_short = line->cover_steps = NAN;

  if (!tc_forecast_series_has_values (f, line->series))
    {
      line->status = TC_ORDER_NO_FORECAST;
      g_free (cum);
      return;
    }
  if (!isfinite (line->stock))
    {
      line->status = TC_ORDER_NO_STOCK;
      g_free (cum);
      return;
    }
  line->status = TC_ORDER_OK;

  tc_orders_period_demand (rows, K, nq, plan->median, line->demand);
  line->demand_median = line->demand[plan->median];
  line->order_up_to = tc_orders_quantile (f->quantiles, line->demand, nq, plan->median,
                                          non_negative, plan->params.service_level);
  /* Whole units, rounded up: a fraction short of S would miss the
   * service level. */
  line->order = line->order_up_to > line->position ? ceil (line->order_up_to - line->position - 1e-9) : 0;
  have = line->position + line->order;

  for (k = 1; k <= K; k++)
    {
      tc_orders_period_demand (rows, k, nq, plan->median, cum);
      line->risk[k - 1] = tc_orders_exceedance (f->quantiles, cum, nq, plan->median, non_negative,
                                                k <= L ? line->position : have);
    }
  line->risk_before_arrival = L > 0 ? line->risk[L - 1] : 0;
  line->risk_end = line->risk[K - 1];
  tc_orders_expectations (f->quantiles, line->demand, nq, plan->median, non_negative, have,
                          &line->expected_leftover, &line->expected_short);

  /* Cover: where the median of cumulative demand passes the position,
   * interpolated within the step. */
  line->cover_steps = INFINITY;
  {
    double prev = 0;

    for (k = 0; k < f->horizon; k++)
      {
        double m = rows[(gsize) k * nq + plan->median];
        double next = prev + (isfinite (m) ? MAX (m, 0) : 0);

        if (next > line->position)
          {
            line->cover_steps = k + (line->position - prev) / (next - prev);
            break;
          }
        prev = next;
      }
    if (line->position <= 0)
      line->cover_steps = 0;
  }
  g_free (cum);
}

TcOrderPlan *
tc_order_plan_new (const TcDataset     *ds,
                   const TcForecast    *f,
                   const TcStock       *stock,
                   const TcOrderParams *params,
                   GError             **error)
{
  TcOrderPlan *plan;
  gboolean non_negative;
  guint s;

  g_return_val_if_fail (ds != NULL && f != NULL && stock != NULL && params != NULL, NULL);
  g_return_val_if_fail (f->n_series == ds->n_series, NULL);

  if (params->review_period < 1)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("The review period must be at least one step"));
      return NULL;
    }
  if (!(params->service_level > 0 && params->service_level < 1))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("The service level must lie between 0 and 1 (0.95 = 95 %%), not %g"),
                   params->service_level);
      return NULL;
    }
  if (params->lead_time + params->review_period > f->horizon)
    {
      g_autofree char *need = tc_explore_period_phrase (ds->freq, params->lead_time + params->review_period);
      g_autofree char *have = tc_explore_period_phrase (ds->freq, f->horizon);

      /* TRANSLATORS: "lead time and review period cover 10 weeks, the model forecasts 8 weeks". */
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("Lead time and review period together cover %s, but the model forecasts only %s: "
                     "shorten them or train a model with a longer horizon"), need, have);
      return NULL;
    }

  plan = g_new0 (TcOrderPlan, 1);
  plan->params = *params;
  plan->freq = ds->freq;
  plan->target_name = g_strdup (ds->target_name);
  plan->steps = params->lead_time + params->review_period;
  plan->horizon = f->horizon;
  plan->n_quantiles = f->n_quantiles;
  memcpy (plan->quantiles, f->quantiles, sizeof plan->quantiles);
  plan->median = tc_forecast_median_index (f);
  plan->n_lines = ds->n_series;
  plan->lines = g_new0 (TcOrderLine, MAX (plan->n_lines, 1));
  plan->first_dates = g_new0 (gint64, MAX (plan->n_lines, 1));
  non_negative = dataset_non_negative (ds);
  for (s = 0; s < ds->n_series; s++)
    {
      plan->lines[s].series = s;
      plan->first_dates[s] = tc_forecast_series_times (f, s)[0];
      plan_line (plan, f, &stock[s], non_negative, &plan->lines[s]);
    }
  return plan;
}

void
tc_order_plan_free (TcOrderPlan *plan)
{
  guint i;

  if (plan == NULL)
    return;
  for (i = 0; i < plan->n_lines; i++)
    {
      g_free (plan->lines[i].demand);
      g_free (plan->lines[i].risk);
    }
  g_free (plan->lines);
  g_free (plan->first_dates);
  g_free (plan->target_name);
  g_free (plan);
}

/* -- stock ------------------------------------------------------------------ */

typedef struct
{
  const TcDataset *ds;
  GHashTable      *index;     /* series id -> index + 1 */
  TcStock         *stock;
  GPtrArray       *unknown;
  int              col_id, col_stock, col_on_order;
  guint            n_matched;
  gboolean         header_done;
} StockRead;

static gboolean
parse_amount (const char *field, double *out)
{
  g_autofree char *t = g_strstrip (g_strdup (field));
  char *end = NULL;

  if (*t == '\0')
    return FALSE;
  *out = g_ascii_strtod (t, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

static gboolean
stock_row (const char *const *fields, const guint *lens, guint n_fields, guint64 line,
           gpointer user_data, GError **error)
{
  StockRead *r = user_data;
  gpointer found;
  double v;
  guint i, s;

  (void) lens;
  if (!r->header_done)
    {
      r->col_id = r->col_stock = r->col_on_order = -1;
      for (i = 0; i < n_fields; i++)
        {
          g_autofree char *h = g_ascii_strdown (fields[i], -1);

          g_strstrip (h);

          if (r->col_id < 0 && (strcmp (h, "sku") == 0 || strcmp (h, "series") == 0 || strcmp (h, "id") == 0))
            r->col_id = i;
          else if (r->col_stock < 0 && (strcmp (h, "stock") == 0 || strcmp (h, "on_hand") == 0))
            r->col_stock = i;
          else if (r->col_on_order < 0 && strcmp (h, "on_order") == 0)
            r->col_on_order = i;
        }
      if (r->col_id < 0)
        r->col_id = 0;
      if (r->col_stock < 0)
        r->col_stock = r->col_id == 0 ? 1 : 0;
      if ((guint) r->col_stock >= n_fields || r->col_stock == r->col_id)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("The stock file needs a column of series ids and a column “stock” "
                         "(sku,stock[,on_order])"));
          return FALSE;
        }
      r->header_done = TRUE;
      return TRUE;
    }
  if (n_fields == 1 && fields[0][0] == '\0')
    return TRUE;   /* a blank line */
  if ((guint) r->col_id >= n_fields || (guint) r->col_stock >= n_fields)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("Line %u of the stock file has too few fields"), (guint) line);
      return FALSE;
    }
  if (!parse_amount (fields[r->col_stock], &v))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("Line %u of the stock file: “%s” is not a number of units"),
                   (guint) line, fields[r->col_stock]);
      return FALSE;
    }
  if (!g_hash_table_lookup_extended (r->index, fields[r->col_id], NULL, &found))
    {
      g_ptr_array_add (r->unknown, g_strdup (fields[r->col_id]));
      return TRUE;
    }
  s = GPOINTER_TO_UINT (found) - 1;
  if (isnan (r->stock[s].stock))
    r->n_matched++;
  r->stock[s].stock = v;
  r->stock[s].on_order = 0;
  if (r->col_on_order >= 0 && (guint) r->col_on_order < n_fields && fields[r->col_on_order][0] != '\0')
    {
      if (!parse_amount (fields[r->col_on_order], &v))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                       _("Line %u of the stock file: “%s” is not a number of units"),
                       (guint) line, fields[r->col_on_order]);
          return FALSE;
        }
      r->stock[s].on_order = v;
    }
  return TRUE;
}

static TcStock *
stock_new (guint n)
{
  TcStock *stock = g_new (TcStock, MAX (n, 1));
  guint i;

  for (i = 0; i < n; i++)
    {
      stock[i].stock = NAN;
      stock[i].on_order = 0;
    }
  return stock;
}

TcStock *
tc_orders_read_stock (const char        *path,
                      const TcDataset   *ds,
                      guint             *n_matched,
                      char            ***unknown,
                      GError           **error)
{
  g_autoptr (TcCsvReader) reader = NULL;
  g_autoptr (GHashTable) index = NULL;
  g_autoptr (GPtrArray) unk = NULL;
  StockRead r = { 0 };
  guint s;

  g_return_val_if_fail (path != NULL && ds != NULL, NULL);

  reader = tc_csv_reader_new (path, NULL, 0, error);
  if (reader == NULL)
    return NULL;
  index = g_hash_table_new (g_str_hash, g_str_equal);
  for (s = 0; s < ds->n_series; s++)
    {
      /* The one series of a file without a series column has an empty
       * id; the CLI and the CSV name it after the target. */
      const char *id = ds->series_ids[s] && *ds->series_ids[s] ? ds->series_ids[s]
                       : ds->target_name ? ds->target_name : "series";

      g_hash_table_insert (index, (gpointer) id, GUINT_TO_POINTER (s + 1));
    }
  unk = g_ptr_array_new_with_free_func (g_free);
  r.ds = ds;
  r.index = index;
  r.stock = stock_new (ds->n_series);
  r.unknown = unk;
  if (!tc_csv_reader_run (reader, stock_row, &r, NULL, NULL, NULL, error))
    {
      g_free (r.stock);
      return NULL;
    }
  if (!r.header_done)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("The stock file “%s” is empty"), path);
      g_free (r.stock);
      return NULL;
    }
  if (n_matched)
    *n_matched = r.n_matched;
  if (unknown)
    {
      g_ptr_array_add (unk, NULL);
      *unknown = (char **) g_ptr_array_steal (unk, NULL);
    }
  return r.stock;
}

TcStock *
tc_orders_stock_from_column (const TcDataset *ds,
                             const char      *column,
                             GError         **error)
{
  const double *row = NULL;
  TcStock *stock;
  guint k, s;
  int kind = -1, col = -1;

  g_return_val_if_fail (ds != NULL && column != NULL, NULL);
  for (k = 0; k < ds->n_observed && col < 0; k++)
    if (strcmp (ds->observed_names[k], column) == 0)
      kind = 0, col = k;
  for (k = 0; k < ds->n_known && col < 0; k++)
    if (strcmp (ds->known_names[k], column) == 0)
      kind = 1, col = k;
  if (col < 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("There is no column “%s” of stock in the data: give it the role of an observed covariate"),
                   column);
      return NULL;
    }
  stock = stock_new (ds->n_series);
  for (s = 0; s < ds->n_series; s++)
    {
      int i;

      row = kind == 0 ? tc_dataset_observed_row (ds, col, s) : tc_dataset_known_row (ds, col, s);
      for (i = (int) MIN (ds->end[s], ds->n_times) - 1; i >= 0; i--)
        if (isfinite (row[i]))
          {
            stock[s].stock = row[i];
            break;
          }
    }
  return stock;
}

/* -- words ------------------------------------------------------------------ */

static char *
amount (const TcOrderPlan *plan, double v)
{
  g_autofree char *n = tc_explore_format_number (v);

  (void) plan;
  /* TRANSLATORS: a number of units of stock or demand, "1,240 units". */
  return g_strdup_printf (_("%s units"), n);
}

double
tc_order_line_level (const TcOrderLine *line)
{
  g_return_val_if_fail (line != NULL, NAN);
  return isfinite (line->order_up_to) ? ceil (line->order_up_to - 1e-9) : line->order_up_to;
}

static char *
percent (double p)
{
  if (!isfinite (p))
    return g_strdup ("–");
  if (p > 0 && p < 0.005)
    return g_strdup ("< 1 %");
  if (p < 1 && p > 0.995)
    return g_strdup ("> 99 %");
  return g_strdup_printf ("%.0f" TC_PERCENT, p * 100);
}

static char *
steps_phrase (const TcOrderPlan *plan, double steps)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *unit;

  switch (plan->freq)
    {
    case TC_FREQ_HOURLY:    unit = _("hours"); break;
    case TC_FREQ_DAILY:     unit = _("days"); break;
    case TC_FREQ_WEEKLY:    unit = _("weeks"); break;
    case TC_FREQ_MONTHLY:   unit = _("months"); break;
    case TC_FREQ_QUARTERLY: unit = _("quarters"); break;
    case TC_FREQ_YEARLY:    unit = _("years"); break;
    case TC_FREQ_UNKNOWN:
    default:                unit = _("periods"); break;
    }
  g_ascii_formatd (buf, sizeof buf, "%.1f", steps);
  /* TRANSLATORS: a fractional duration, "3.5 weeks". */
  return g_strdup_printf (C_("duration", "%s %s"), buf, unit);
}

void
tc_order_line_sentences (const TcOrderPlan *plan,
                         const TcOrderLine *line,
                         char              *words[TC_ORDER_N_WORDS])
{
  g_autofree char *period = NULL, *lead = NULL, *review = NULL, *level = NULL;
  g_autofree char *mid = NULL, *lo = NULL, *hi = NULL, *s = NULL, *pos = NULL, *ord = NULL;
  g_autofree char *stock = NULL, *on_order = NULL, *left = NULL, *short_ = NULL;
  g_autofree char *risk_a = NULL, *risk_e = NULL;
  guint nq;

  g_return_if_fail (plan != NULL && line != NULL && words != NULL);

  for (guint k = 0; k < TC_ORDER_N_WORDS; k++)
    words[k] = NULL;
  if (line->status == TC_ORDER_NO_FORECAST)
    {
      words[TC_ORDER_WORDS_ORDER] = g_strdup (_("No plan: this series has no forecast (no history before the forecast starts)."));
      return;
    }
  if (line->status == TC_ORDER_NO_STOCK)
    {
      words[TC_ORDER_WORDS_ORDER] = g_strdup (_("No plan: the stock of this series is not known."));
      return;
    }

  nq = plan->n_quantiles;
  period = tc_explore_period_phrase (plan->freq, plan->steps);
  lead = tc_explore_period_phrase (plan->freq, plan->params.lead_time);
  review = tc_explore_period_phrase (plan->freq, plan->params.review_period);
  level = percent (plan->params.service_level);
  mid = amount (plan, line->demand_median);
  lo = tc_explore_format_number (line->demand[0]);
  hi = tc_explore_format_number (line->demand[nq - 1]);
  s = amount (plan, tc_order_line_level (line));
  pos = amount (plan, line->position);
  ord = amount (plan, line->order);
  stock = tc_explore_format_number (line->stock);
  on_order = tc_explore_format_number (line->on_order);
  left = amount (plan, line->expected_leftover);
  short_ = amount (plan, line->expected_short);
  risk_a = percent (line->risk_before_arrival);
  risk_e = percent (line->risk_end);

  if (line->order > 0)
    /* TRANSLATORS: "Order 120 units now." */
    words[TC_ORDER_WORDS_ORDER] = g_strdup_printf (_("Order %s now."), ord);
  else
    /* TRANSLATORS: "No order needed: the 340 units on hand and on order already cover 6 weeks at the 95 % service level." */
    words[TC_ORDER_WORDS_ORDER] = g_strdup_printf (_("No order needed: the %s on hand and on order already cover %s at the %s service level."),
                                                   pos, period, level);

  if (plan->params.lead_time > 0)
    /* TRANSLATORS: "Demand over the next 6 weeks (lead time 2 weeks + review period 4 weeks): most likely 350 units, likely between 300 and 420." */
    words[TC_ORDER_WORDS_DEMAND] = g_strdup_printf (_("Demand over the next %s (lead time %s + review period %s): most likely %s, "
                                                      "likely between %s and %s."),
                                                    period, lead, review, mid, lo, hi);
  else
    /* TRANSLATORS: "Demand over the next 4 weeks (the review period; orders arrive at once): most likely 350 units, likely between 300 and 420." */
    words[TC_ORDER_WORDS_DEMAND] = g_strdup_printf (_("Demand over the next %s (the review period; orders arrive at once): most likely %s, "
                                                      "likely between %s and %s."),
                                                    period, mid, lo, hi);
  /* TRANSLATORS: "Order-up-to level 410 units: enough for the next 6 weeks in 95 % of cases." */
  words[TC_ORDER_WORDS_LEVEL] = g_strdup_printf (_("Order-up-to level %s: stock that lasts the next %s in %s of cases."),
                                                 s, period, level);
  /* TRANSLATORS: "Stock on hand 250 plus on order 40 = 290 units; the order fills the gap to the order-up-to level." */
  words[TC_ORDER_WORDS_POSITION] = g_strdup_printf (_("Stock on hand %s plus on order %s = %s; the order tops this up to the order-up-to level, "
                                                      "rounded up to whole units."),
                                                    stock, on_order, pos);
  if (plan->params.lead_time > 0)
    {
      if (line->risk_before_arrival > 1 - plan->params.service_level)
        /* TRANSLATORS: "Chance of running out before the order arrives in 2 weeks: 30 %. Ordering now cannot lower it; only a faster delivery can." */
        words[TC_ORDER_WORDS_RISK_ARRIVAL] = g_strdup_printf (_("Chance of running out before the order arrives in %s: %s. "
                                                                "Ordering now cannot lower it; only a faster delivery can."),
                                                              lead, risk_a);
      else
        words[TC_ORDER_WORDS_RISK_ARRIVAL] = g_strdup_printf (_("Chance of running out before the order arrives in %s: %s."),
                                                              lead, risk_a);
    }
  /* TRANSLATORS: "Chance of running out by the end of the 6 weeks, with the order: 5 %." */
  words[TC_ORDER_WORDS_RISK_END] = g_strdup_printf (_("Chance of running out by the end of the %s, with this order: %s."),
                                                    period, risk_e);
  /* TRANSLATORS: "Expected leftover when the next order arrives: 60 units; expected units short: 3 units." */
  words[TC_ORDER_WORDS_LEFTOVER] = g_strdup_printf (_("Expected leftover when the next order arrives: %s (overstock); "
                                                      "expected demand not served: %s."),
                                                    left, short_);
  if (isinf (line->cover_steps))
    {
      g_autofree char *h = tc_explore_period_phrase (plan->freq, plan->horizon);

      words[TC_ORDER_WORDS_COVER] = g_strdup_printf (_("The stock on hand and on order lasts beyond the %s forecast, at the expected pace."), h);
    }
  else if (line->position <= 0)
    words[TC_ORDER_WORDS_COVER] = g_strdup (_("There is nothing in stock or on order."));
  else if (line->cover_steps < 1)
    {
      g_autofree char *one = tc_explore_period_phrase (plan->freq, 1);

      /* TRANSLATORS: "The stock on hand and on order lasts less than 1 week at the expected pace." */
      words[TC_ORDER_WORDS_COVER] = g_strdup_printf (_("The stock on hand and on order lasts less than %s at the expected pace."), one);
    }
  else if (isfinite (line->cover_steps))
    {
      g_autofree char *c = steps_phrase (plan, line->cover_steps);

      /* TRANSLATORS: "The stock on hand and on order lasts about 3.5 weeks at the expected pace." */
      words[TC_ORDER_WORDS_COVER] = g_strdup_printf (_("The stock on hand and on order lasts about %s at the expected pace."), c);
    }
}

char **
tc_order_line_explain (const TcOrderPlan *plan,
                       const TcOrderLine *line)
{
  char *words[TC_ORDER_N_WORDS];
  GPtrArray *out;

  g_return_val_if_fail (plan != NULL && line != NULL, NULL);
  tc_order_line_sentences (plan, line, words);
  out = g_ptr_array_new ();
  for (guint k = 0; k < TC_ORDER_N_WORDS; k++)
    if (words[k] != NULL)
      g_ptr_array_add (out, words[k]);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char *
tc_order_plan_summary (const TcOrderPlan *plan)
{
  double total = 0;
  guint i, n_order = 0, n_ok = 0, n_early = 0;
  g_autofree char *units = NULL, *lead = NULL;

  g_return_val_if_fail (plan != NULL, NULL);
  for (i = 0; i < plan->n_lines; i++)
    {
      const TcOrderLine *l = &plan->lines[i];

      if (l->status != TC_ORDER_OK)
        continue;
      n_ok++;
      if (l->order > 0)
        {
          n_order++;
          total += l->order;
        }
      if (plan->params.lead_time > 0 && l->risk_before_arrival > 1 - plan->params.service_level)
        n_early++;
    }
  if (n_ok == 0)
    return g_strdup (_("No plan: no series has both a forecast and a known stock."));
  units = amount (plan, total);
  lead = tc_explore_period_phrase (plan->freq, plan->params.lead_time);
  if (n_early > 0)
    /* TRANSLATORS: "Order 1,240 units in all, for 12 of 40 series; 3 may run out before their order arrives in 2 weeks." */
    return g_strdup_printf (_("Order %s in all, for %u of %u series; %u may run out before their order arrives in %s."),
                            units, n_order, n_ok, n_early, lead);
  return g_strdup_printf (_("Order %s in all, for %u of %u series."), units, n_order, n_ok);
}

static void
csv_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isinf (v))
    g_string_append (out, v > 0 ? "inf" : "-inf");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

char *
tc_order_plan_csv (const TcOrderPlan *plan,
                   const TcDataset   *ds)
{
  GString *out;
  guint i, q, k;

  g_return_val_if_fail (plan != NULL && ds != NULL, NULL);
  out = g_string_new ("series,stock,on_order,position");
  for (q = 0; q < plan->n_quantiles; q++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* p10, p97.5: as the forecast's columns. */
      g_ascii_formatd (buf, sizeof buf, "%g", plan->quantiles[q] * 100.0);
      g_string_append_printf (out, ",demand_p%s", buf);
    }
  g_string_append (out, ",order_up_to,order,risk_before_arrival,risk_end,expected_leftover,expected_short,cover_steps");
  for (k = 1; k <= plan->steps; k++)
    g_string_append_printf (out, ",risk_%u", k);
  g_string_append_c (out, '\n');
  for (i = 0; i < plan->n_lines; i++)
    {
      const TcOrderLine *l = &plan->lines[i];
      const char *id = ds->series_ids[l->series];

      if (l->status != TC_ORDER_OK)
        continue;
      tc_csv_append_field (out, id && *id ? id : ds->target_name ? ds->target_name : "series");
      csv_number (out, l->stock);
      csv_number (out, l->on_order);
      csv_number (out, l->position);
      for (q = 0; q < plan->n_quantiles; q++)
        csv_number (out, l->demand[q]);
      csv_number (out, l->order_up_to);
      csv_number (out, l->order);
      csv_number (out, l->risk_before_arrival);
      csv_number (out, l->risk_end);
      csv_number (out, l->expected_leftover);
      csv_number (out, l->expected_short);
      csv_number (out, l->cover_steps);
      for (k = 0; k < plan->steps; k++)
        csv_number (out, l->risk[k]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
