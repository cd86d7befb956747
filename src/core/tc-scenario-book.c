/* tc-scenario-book.c — named what-if scenarios, kept and compared
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-scenario-book"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-scenario-book.h"
#include "tc-effects.h"
#include "tc-error.h"

static const char *cost_words[] = { "cost", "wholesale", "\xe6\x88\x90\xe6\x9c\xac" /* 成本 */,
                                    "\xe8\xbf\x9b\xe4\xbb\xb7" /* 进价 */ };

typedef struct
{
  char  *name;
  char **edits;   /* NULL-terminated texts */
} Entry;

struct _TcScenarioBook
{
  GPtrArray *entries;   /* of Entry */
};

static void
entry_free (gpointer p)
{
  Entry *e = p;

  g_free (e->name);
  g_strfreev (e->edits);
  g_free (e);
}

TcScenarioBook *
tc_scenario_book_new (void)
{
  TcScenarioBook *book = g_new0 (TcScenarioBook, 1);

  book->entries = g_ptr_array_new_with_free_func (entry_free);
  return book;
}

void
tc_scenario_book_free (TcScenarioBook *book)
{
  if (book == NULL)
    return;
  g_ptr_array_unref (book->entries);
  g_free (book);
}

TcScenarioBook *
tc_scenario_book_copy (TcScenarioBook *book)
{
  TcScenarioBook *copy;

  g_return_val_if_fail (book != NULL, NULL);
  copy = tc_scenario_book_new ();
  for (guint i = 0; i < book->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (book->entries, i);
      Entry *c = g_new0 (Entry, 1);

      c->name = g_strdup (e->name);
      c->edits = g_strdupv (e->edits);
      g_ptr_array_add (copy->entries, c);
    }
  return copy;
}

guint
tc_scenario_book_get_n (TcScenarioBook *book)
{
  g_return_val_if_fail (book != NULL, 0);
  return book->entries->len;
}

const char *
tc_scenario_book_get_name (TcScenarioBook *book,
                           guint           i)
{
  g_return_val_if_fail (book != NULL && i < book->entries->len, NULL);
  return ((Entry *) g_ptr_array_index (book->entries, i))->name;
}

const char * const *
tc_scenario_book_get_edits (TcScenarioBook *book,
                            guint           i)
{
  g_return_val_if_fail (book != NULL && i < book->entries->len, NULL);
  return (const char * const *) ((Entry *) g_ptr_array_index (book->entries, i))->edits;
}

/* -- edits ------------------------------------------------------------------ */

static gboolean
parse_date (const char *s, gint64 *out)
{
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d, n = 0;

  if (sscanf (s, "%d-%d-%d%n", &y, &m, &d, &n) != 3 || s[n] != '\0')
    return FALSE;
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* A date range FROM..TO (either end empty) or one date. */
static gboolean
parse_range (const char *s, gint64 *from, gint64 *to)
{
  g_autofree char *copy = g_strdup (s);
  char *dots = strstr (copy, "..");

  *from = G_MININT64;
  *to = G_MAXINT64;
  if (dots == NULL)
    {
      if (!parse_date (copy, from))
        return FALSE;
      *to = *from + 86399;
      return TRUE;
    }
  *dots = '\0';
  if (*copy && !parse_date (copy, from))
    return FALSE;
  if (dots[2] && !parse_date (dots + 2, to))
    return FALSE;
  if (dots[2])
    *to += 86399;   /* the whole last day */
  return TRUE;
}

static gboolean
parse_edit (const char *text, const TcDataset *ds, TcScenarioEdit *e, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, "@", 3);
  g_autofree char *lhs = NULL;
  char *op, *end;
  guint i;

  e->covariate = NULL;
  e->from = G_MININT64;
  e->to = G_MAXINT64;
  e->series = -1;
  lhs = g_strdup (parts[0]);
  op = strpbrk (lhs, "=*");
  if (op == NULL || op == lhs)
    goto bad;
  e->op = *op == '*' ? TC_SCENARIO_SCALE : TC_SCENARIO_SET;
  *op = '\0';
  e->value = g_ascii_strtod (op + 1, &end);
  if (end == op + 1 || *end != '\0' || !isfinite (e->value))
    goto bad;
  for (i = 1; parts[i]; i++)
    {
      /* A date range has "..", or is one date; anything else is a series. */
      if (i == 1 && (strstr (parts[i], "..") != NULL || parse_range (parts[i], &e->from, &e->to)))
        {
          if (!parse_range (parts[i], &e->from, &e->to))
            goto bad;
        }
      else if (ds != NULL)
        {
          e->series = -2;
          for (guint s = 0; s < ds->n_series; s++)
            if (g_strcmp0 (ds->series_ids[s], parts[i]) == 0)
              e->series = s;
          if (e->series == -2)
            {
              e->series = -1;
              g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                           _("The scenario edit “%s” names the series “%s”, which the data does not have"),
                           text, parts[i]);
              return FALSE;
            }
        }
    }
  e->covariate = g_strdup (g_strstrip (lhs));
  return TRUE;

bad:
  g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
               _("Cannot read the scenario edit “%s”: expected NAME=VALUE or NAME*FACTOR, optionally followed by "
                 "@YYYY-MM-DD..YYYY-MM-DD and @SERIES"), text);
  return FALSE;
}

static void
append_day (GString *out, gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt != NULL)
    g_string_append_printf (out, "%04d-%02d-%02d", g_date_time_get_year (dt), g_date_time_get_month (dt),
                            g_date_time_get_day_of_month (dt));
}

char *
tc_scenario_edit_to_text (const TcScenarioEdit *e,
                          const TcDataset      *ds)
{
  GString *out;
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (e != NULL && e->covariate != NULL, NULL);
  out = g_string_new (e->covariate);
  g_string_append_c (out, e->op == TC_SCENARIO_SCALE ? '*' : '=');
  /* Shortest text that reads back as the same double. */
  g_string_append (out, g_ascii_dtostr (num, sizeof num, e->value));
  if (e->from != G_MININT64 || e->to != G_MAXINT64)
    {
      g_string_append_c (out, '@');
      if (e->from != G_MININT64)
        append_day (out, e->from);
      g_string_append (out, "..");
      if (e->to != G_MAXINT64)
        append_day (out, e->to);
    }
  if (e->series >= 0 && ds != NULL && (guint) e->series < ds->n_series)
    {
      /* A series alone would be read as a date range when it looks like one. */
      if (e->from == G_MININT64 && e->to == G_MAXINT64)
        g_string_append (out, "@..");
      g_string_append_c (out, '@');
      g_string_append (out, ds->series_ids[e->series]);
    }
  return g_string_free (out, FALSE);
}

gboolean
tc_scenario_edit_parse (const char      *text,
                        const TcDataset *ds,
                        TcScenarioEdit  *e,
                        GError         **error)
{
  g_return_val_if_fail (text != NULL && e != NULL, FALSE);
  return parse_edit (text, ds, e, error);
}

gboolean
tc_scenario_book_set (TcScenarioBook      *book,
                      const char          *name,
                      const char * const  *edits,
                      GError             **error)
{
  Entry *entry;

  g_return_val_if_fail (book != NULL && name != NULL && edits != NULL, FALSE);

  if (*name == '\0' || strpbrk (name, "[]\n\r") != NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   _("A scenario needs a name without brackets or line breaks"));
      return FALSE;
    }
  for (guint i = 0; edits[i]; i++)
    {
      TcScenarioEdit e;

      if (!parse_edit (edits[i], NULL, &e, error))
        return FALSE;
      g_free (e.covariate);
    }
  /* A scenario saved again keeps its place in the comparison. */
  for (guint i = 0; i < book->entries->len; i++)
    {
      entry = g_ptr_array_index (book->entries, i);
      if (strcmp (entry->name, name) == 0)
        {
          g_strfreev (entry->edits);
          entry->edits = g_strdupv ((char **) edits);
          return TRUE;
        }
    }
  entry = g_new0 (Entry, 1);
  entry->name = g_strdup (name);
  entry->edits = g_strdupv ((char **) edits);
  g_ptr_array_add (book->entries, entry);
  return TRUE;
}

gboolean
tc_scenario_book_remove (TcScenarioBook *book,
                         const char     *name)
{
  g_return_val_if_fail (book != NULL && name != NULL, FALSE);
  for (guint i = 0; i < book->entries->len; i++)
    if (strcmp (((Entry *) g_ptr_array_index (book->entries, i))->name, name) == 0)
      {
        g_ptr_array_remove_index (book->entries, i);
        return TRUE;
      }
  return FALSE;
}

/* -- the file ------------------------------------------------------------------ */

TcScenarioBook *
tc_scenario_book_load (const char  *path,
                       GError     **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_auto (GStrv) groups = NULL;
  TcScenarioBook *book;

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  book = tc_scenario_book_new ();
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      g_auto (GStrv) edits = g_key_file_get_string_list (kf, groups[i], "edits", NULL, error);

      if (edits == NULL || !tc_scenario_book_set (book, groups[i], (const char * const *) edits, error))
        {
          g_prefix_error (error, _("Scenario “%s” in %s: "), groups[i], path);
          tc_scenario_book_free (book);
          return NULL;
        }
    }
  return book;
}

gboolean
tc_scenario_book_save (TcScenarioBook  *book,
                       const char      *path,
                       GError         **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (book != NULL && path != NULL, FALSE);
  for (guint i = 0; i < book->entries->len; i++)
    {
      Entry *e = g_ptr_array_index (book->entries, i);

      g_key_file_set_string_list (kf, e->name, "edits", (const char * const *) e->edits, g_strv_length (e->edits));
    }
  data = g_key_file_to_data (kf, &len, NULL);
  /* Synced and renamed over the old file: a crash leaves it whole. */
  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}

/* -- comparing ------------------------------------------------------------------ */

/* The total of @f over the series (all, or @series), by the rules of
 * tc-explore.h, into @out (n_quantiles). */
static void
total (const TcForecast *f, int series, guint median, TcExploreInterval interval, double *out)
{
  guint H = f->horizon, Q = f->n_quantiles, n, h;
  g_autofree double *rows = g_new (double, (gsize) MAX (f->n_series, 1) * Q);   /* (series, Q) */
  g_autofree double *steps = g_new (double, (gsize) MAX (H, 1) * Q);           /* (H, Q) */

  for (h = 0; h < H; h++)
    {
      n = 0;
      for (guint s = 0; s < f->n_series; s++)
        if ((series < 0 || (int) s == series) && tc_forecast_series_has_values (f, s))
          memcpy (rows + (gsize) n++ * Q, f->values + ((gsize) s * H + h) * Q, Q * sizeof *rows);
      tc_explore_combine (rows, n, Q, median, interval, steps + (gsize) h * Q);
    }
  tc_explore_combine (steps, H, Q, median, TC_EXPLORE_COMONOTONIC, out);
}

static int
find_cost (const TcDataset *ds)
{
  for (guint k = 0; k < ds->n_known; k++)
    {
      g_autofree char *lower = g_utf8_strdown (ds->known_names[k], -1);

      for (guint i = 0; i < G_N_ELEMENTS (cost_words); i++)
        if (strstr (lower, cost_words[i]) != NULL)
          return k;
    }
  return -1;
}

/* The cost of series @s on date @t: its value there when the data
 * reaches it, else the last known one. */
static double
cost_at (const TcDataset *ds, int k, guint s, gint64 t)
{
  const double *row = tc_dataset_known_row (ds, k, s);
  double last = NAN;

  for (guint i = 0; i < ds->n_times && ds->times[i] <= t; i++)
    if (isfinite (row[i]))
      last = row[i];
  return last;
}

/* Revenue and margin of a forecast at the median. */
static void
money (const TcDataset *ds, const TcForecast *f, const double *price, int cost_k, int series, guint median,
       double *revenue, double *margin)
{
  guint H = f->horizon, Q = f->n_quantiles;

  *revenue = *margin = price ? 0 : NAN;
  if (price == NULL)
    return;
  if (cost_k < 0)
    *margin = NAN;
  for (guint s = 0; s < f->n_series; s++)
    {
      const gint64 *times;

      if ((series >= 0 && (int) s != series) || !tc_forecast_series_has_values (f, s))
        continue;
      times = tc_forecast_series_times (f, s);
      for (guint h = 0; h < H; h++)
        {
          double u = f->values[((gsize) s * H + h) * Q + median];
          double p = price[(gsize) s * H + h];

          if (!isfinite (u) || !isfinite (p))
            continue;
          *revenue += p * u;
          if (cost_k >= 0)
            *margin += (p - cost_at (ds, cost_k, s, times[h])) * u;
        }
    }
}

/* The value of known covariate @k of series @s on date @t before the
 * edits: the data's (which holds the plan's rows when a future file was
 * merged in), else what the forecast assumes: no promotion, discount or
 * holiday, the last known value of anything else. */
static double
base_value (const TcDataset *ds, guint k, guint s, gint64 t)
{
  const double *row = tc_dataset_known_row (ds, k, s);
  double last = NAN;

  for (guint i = 0; i < ds->n_times && ds->times[i] <= t; i++)
    {
      if (ds->times[i] == t && isfinite (row[i]))
        return row[i];
      if (isfinite (row[i]))
        last = row[i];
    }
  switch (ds->known_kinds[k])
    {
    case TC_COVARIATE_PROMOTION:
    case TC_COVARIATE_DISCOUNT:
    case TC_COVARIATE_HOLIDAY:
      return 0;
    case TC_COVARIATE_PRICE:
    case TC_COVARIATE_LOG_PRICE:
    case TC_COVARIATE_OTHER:
    default:
      return last;
    }
}

static void
history_uplift (const TcDataset *ds, const TcEffectsResult *eff, const TcForecast *base,
                const TcScenarioEdit *edits, guint n, int series, guint median, TcScenarioSummary *row)
{
  guint H = base->horizon, Q = base->n_quantiles;
  double mid = 0, lo = 0, hi = 0;

  row->history_uplift = row->history_lo = row->history_hi = NAN;
  if (eff == NULL)
    {
      row->history_note = g_strdup (_("the history has too few dates to estimate the effects"));
      return;
    }
  for (guint e = 0; e < n; e++)
    {
      const TcEffect *ef = tc_effects_find (eff, edits[e].covariate);

      if (ef == NULL)
        return;
      if (ef->dropped && ef->confounded_with)
        {
          /* TRANSLATORS: "“discount” moves together with “price” in the history". */
          row->history_note = g_strdup_printf (_("“%s” moves together with “%s” in the history"),
                                               ef->name, ef->confounded_with);
          return;
        }
      if (ef->dropped || !isfinite (ef->coef))
        {
          row->history_note = g_strdup_printf (_("“%s” never changes in the history"), ef->name);
          return;
        }
    }
  for (guint s = 0; s < base->n_series; s++)
    {
      const gint64 *times;

      if ((series >= 0 && (int) s != series) || !tc_forecast_series_has_values (base, s))
        continue;
      times = tc_forecast_series_times (base, s);
      for (guint h = 0; h < H; h++)
        {
          double u = base->values[((gsize) s * H + h) * Q + median];
          double d_mid = 0, d_lo = 0, d_hi = 0;
          gboolean touched = FALSE, known = TRUE;

          /* Each changed covariate once: its value after all its edits. */
          for (guint e = 0; e < n && known; e++)
            {
              const TcEffect *ef = tc_effects_find (eff, edits[e].covariate);
              gboolean first = TRUE;
              double xb, xn, dx;
              guint k;

              for (guint f = 0; f < e; f++)
                first &= strcmp (edits[f].covariate, edits[e].covariate) != 0;
              if (!first)
                continue;
              for (k = 0; k < ds->n_known && strcmp (ds->known_names[k], ef->name) != 0; k++)
                ;
              xb = xn = base_value (ds, k, s, times[h]);
              for (guint f = e; f < n; f++)
                if (strcmp (edits[f].covariate, edits[e].covariate) == 0
                    && (edits[f].series < 0 || edits[f].series == (int) s)
                    && times[h] >= edits[f].from && times[h] <= edits[f].to)
                  {
                    xn = edits[f].op == TC_SCENARIO_SET ? edits[f].value : xn * edits[f].value;
                    touched = TRUE;
                  }
              if (xn == xb)
                continue;
              dx = ef->log_scale ? log (xn) - log (xb) : xn - xb;
              if (!isfinite (dx))
                {
                  known = FALSE;
                  continue;
                }
              d_mid += ef->coef * dx;
              d_lo += ef->lo * dx;
              d_hi += ef->hi * dx;
            }
          if (!touched || !known || !isfinite (u))
            continue;
          mid += u * (exp (d_mid) - 1);
          lo += u * (exp (d_lo) - 1);
          hi += u * (exp (d_hi) - 1);
        }
    }
  row->history_uplift = mid;
  row->history_lo = MIN (lo, hi);
  row->history_hi = MAX (lo, hi);
}

TcScenarioComparison *
tc_scenario_book_compare (TcScenarioBook     *book,
                          TcForecaster       *fc,
                          const TcDataset    *ds,
                          const TcDataset    *future,
                          TcOriginMode        mode,
                          int                 series,
                          TcExploreInterval   interval,
                          GError            **error)
{
  g_autoptr (TcEffectsResult) effects = NULL;
  TcScenarioComparison *c;
  int cost_k;
  guint i;

  g_return_val_if_fail (book != NULL && fc != NULL && ds != NULL, NULL);

  if (book->entries->len == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("There is no scenario to compare"));
      return NULL;
    }
  cost_k = find_cost (ds);
  effects = tc_effects_estimate (ds, NULL, NULL);
  c = g_new0 (TcScenarioComparison, 1);
  c->cost_name = cost_k >= 0 ? g_strdup (ds->known_names[cost_k]) : NULL;
  c->n_rows = 1 + book->entries->len;
  c->rows = g_new0 (TcScenarioSummary, c->n_rows);
  c->rows[0].name = g_strdup (_("Baseline"));
  for (i = 0; i < book->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (book->entries, i);
      guint n = g_strv_length (entry->edits);
      g_autofree TcScenarioEdit *edits = g_new0 (TcScenarioEdit, MAX (n, 1));
      g_autoptr (TcScenarioResult) r = NULL;
      TcScenarioSummary *row = &c->rows[1 + i];
      gboolean ok = TRUE;
      guint e;

      row->name = g_strdup (entry->name);
      for (e = 0; e < n && ok; e++)
        ok = parse_edit (entry->edits[e], ds, &edits[e], error);
      if (ok)
        {
          /* Edits for the whole data report on every series; with one
           * series chosen, the changes apply to it alone. */
          for (guint k = 0; k < n; k++)
            if (series >= 0 && edits[k].series < 0)
              edits[k].series = series;
          r = tc_forecaster_scenario_full (fc, ds, future, mode, edits, n, error);
        }
      if (r != NULL)
        history_uplift (ds, effects, r->baseline, edits, n, series, tc_forecast_median_index (r->baseline), row);
      for (guint k = 0; k < n; k++)
        g_free (edits[k].covariate);
      if (r == NULL)
        {
          g_prefix_error (error, _("Scenario “%s”: "), entry->name);
          tc_scenario_comparison_free (c);
          return NULL;
        }
      if (i == 0)
        {
          c->n_quantiles = r->baseline->n_quantiles;
          memcpy (c->quantiles, r->baseline->quantiles, sizeof c->quantiles);
          c->median = tc_forecast_median_index (r->baseline);
          c->rows[0].n_quantiles = c->n_quantiles;
          total (r->baseline, series, c->median, interval, c->rows[0].units);
          money (ds, r->baseline, r->baseline_price, cost_k, series, c->median, &c->rows[0].revenue,
                 &c->rows[0].margin);
          c->rows[0].uplift_revenue = isfinite (c->rows[0].revenue) ? 0 : NAN;
          c->rows[0].uplift_margin = isfinite (c->rows[0].margin) ? 0 : NAN;
          c->rows[0].history_uplift = c->rows[0].history_lo = c->rows[0].history_hi = NAN;
        }
      row->n_quantiles = c->n_quantiles;
      total (r->scenario, series, c->median, interval, row->units);
      for (guint q = 0; q < c->n_quantiles; q++)
        row->uplift[q] = row->units[q] - c->rows[0].units[q];
      money (ds, r->scenario, r->scenario_price, cost_k, series, c->median, &row->revenue, &row->margin);
      row->uplift_revenue = row->revenue - c->rows[0].revenue;
      row->uplift_margin = row->margin - c->rows[0].margin;
    }
  return c;
}

void
tc_scenario_comparison_free (TcScenarioComparison *c)
{
  if (c == NULL)
    return;
  for (guint i = 0; i < c->n_rows; i++)
    {
      g_free (c->rows[i].name);
      g_free (c->rows[i].history_note);
    }
  g_free (c->rows);
  g_free (c->cost_name);
  g_free (c);
}

/* "12,500" with a sign: "+1,210", "−300". */
static char *
signed_number (double v)
{
  g_autofree char *n = tc_explore_format_number (fabs (v));

  if (!isfinite (v))
    return g_strdup ("–");
  return g_strdup_printf ("%s%s", v > 0 ? "+" : v < 0 ? "−" : "±", n);
}

char *
tc_scenario_summary_text (const TcScenarioComparison *c,
                          guint                       row)
{
  const TcScenarioSummary *r;
  g_autofree char *mid = NULL, *lo = NULL, *hi = NULL;
  GString *out;
  guint nq;

  g_return_val_if_fail (c != NULL && row < c->n_rows, NULL);
  r = &c->rows[row];
  nq = c->n_quantiles;
  mid = tc_explore_format_number (r->units[c->median]);
  lo = tc_explore_format_number (r->units[0]);
  hi = tc_explore_format_number (r->units[nq - 1]);
  out = g_string_new (NULL);
  /* TRANSLATORS: "Baseline: 46,420 units (likely 41,000–52,000)". */
  g_string_append_printf (out, _("%s: %s units (likely %s–%s)"), r->name, mid, lo, hi);
  if (row > 0)
    {
      g_autofree char *u = signed_number (r->uplift[c->median]);
      g_autofree char *ul = signed_number (MIN (r->uplift[0], r->uplift[nq - 1]));
      g_autofree char *uh = signed_number (MAX (r->uplift[0], r->uplift[nq - 1]));

      /* TRANSLATORS: ", −1,210 on the baseline (likely −1,500 to −900)". */
      g_string_append_printf (out, _(", %s on the baseline (likely %s to %s)"), u, ul, uh);
      if (isfinite (r->uplift_revenue))
        {
          g_autofree char *rv = signed_number (r->uplift_revenue);

          g_string_append_printf (out, _("; revenue %s"), rv);
        }
      if (isfinite (r->uplift_margin))
        {
          g_autofree char *m = signed_number (r->uplift_margin);

          g_string_append_printf (out, _("; margin %s"), m);
        }
      if (isfinite (r->history_uplift))
        {
          g_autofree char *hm = signed_number (r->history_uplift);
          g_autofree char *hl = signed_number (r->history_lo);
          g_autofree char *hh = signed_number (r->history_hi);

          /* TRANSLATORS: "; the history alone suggests −2,890 units (likely −3,100 to −2,700)". */
          g_string_append_printf (out, _("; the history alone suggests %s units (likely %s to %s)"), hm, hl, hh);
        }
      else if (r->history_note)
        /* TRANSLATORS: "; the history cannot check it: “discount” moves together with “price” in the history". */
        g_string_append_printf (out, _("; the history cannot check it: %s"), r->history_note);
    }
  else
    {
      if (isfinite (r->revenue))
        {
          g_autofree char *rv = tc_explore_format_number (r->revenue);

          g_string_append_printf (out, _("; revenue %s"), rv);
        }
      if (isfinite (r->margin))
        {
          g_autofree char *m = tc_explore_format_number (r->margin);

          g_string_append_printf (out, _("; margin %s"), m);
        }
    }
  g_string_append_c (out, '.');
  return g_string_free (out, FALSE);
}
