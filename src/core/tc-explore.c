/* tc-explore.c — forecasts summed up to the levels of the hierarchy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The aggregation rules are stated once, in tc-explore.h.
 */

#define G_LOG_DOMAIN "tc-explore"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tc-format.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"

/* A group's promotion shows where at least this share of its members with
 * a value on that date is promoted: a single product's promotion is not an
 * event of its category, half of the category on promotion is. */
#define PROMO_SHARE 0.5

static void
marker_clear (gpointer p)
{
  TcExploreMarker *m = p;

  g_clear_pointer (&m->label, g_free);
}

void
tc_explore_level_free (TcExploreLevel *level)
{
  guint g;

  if (level == NULL)
    return;
  for (g = 0; g < level->n_groups; g++)
    {
      TcExploreGroup *grp = &level->groups[g];

      g_free (grp->name);
      g_free (grp->members);
      g_free (grp->history);
      g_free (grp->forecast);
      g_free (grp->actual);
      g_free (grp->step_forecast);
      g_free (grp->recent);
      g_free (grp->step_actual);
      if (grp->markers)
        g_array_unref (grp->markers);
    }
  g_free (level->groups);
  g_free (level->name);
  g_free (level->target_name);
  g_free (level->history_times);
  g_free (level->forecast_times);
  g_free (level);
}

int
tc_explore_level_find (const TcExploreLevel *level,
                       const char           *name)
{
  guint g;

  g_return_val_if_fail (level != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);
  for (g = 0; g < level->n_groups; g++)
    if (strcmp (level->groups[g].name, name) == 0)
      return (int) g;
  return -1;
}

void
tc_explore_combine (const double      *rows,
                    guint              n,
                    guint              n_quantiles,
                    guint              median,
                    TcExploreInterval  interval,
                    double            *out)
{
  double center = 0;
  guint i, q, used = 0;

  g_return_if_fail (median < n_quantiles);

  for (q = 0; q < n_quantiles; q++)
    out[q] = 0;
  for (i = 0; i < n; i++)
    {
      const double *r = rows + (gsize) i * n_quantiles;

      if (!isfinite (r[median]))
        continue;
      center += r[median];
      used++;
      for (q = 0; q < n_quantiles; q++)
        {
          /* Each quantile's distance from its own median; a quantile the
           * model could not give counts as the median. */
          double d = isfinite (r[q]) ? fabs (r[q] - r[median]) : 0;

          out[q] += interval == TC_EXPLORE_COMONOTONIC ? d : d * d;
        }
    }
  if (used == 0)
    {
      for (q = 0; q < n_quantiles; q++)
        out[q] = NAN;
      return;
    }
  for (q = 0; q < n_quantiles; q++)
    {
      double d = interval == TC_EXPLORE_COMONOTONIC ? out[q] : sqrt (out[q]);

      out[q] = q < median ? center - d : q > median ? center + d : center;
    }
}

/* Members' own step @h (the h-th step after each one's origin), combined
 * at that step; @rows is scratch of (n_members, n_quantiles). */
static void
combine_step (const TcForecast  *f,
              const guint       *members,
              guint              n_members,
              guint              h,
              guint              median,
              TcExploreInterval  interval,
              double            *rows,
              double            *out)
{
  guint nq = f->n_quantiles, H = f->horizon;

  for (guint m = 0; m < n_members; m++)
    memcpy (rows + (gsize) m * nq, f->values + ((gsize) members[m] * H + h) * nq, nq * sizeof *rows);
  tc_explore_combine (rows, n_members, nq, median, interval, out);
}

/* A period's total from its steps (steps, n_quantiles), each combined
 * over the members already: the steps add up, their errors taken as
 * perfectly correlated (see the header); a step without a forecast makes
 * the total unknown. */
static void
period_total (const double *steps_rows, guint steps, guint nq, guint median, double *out)
{
  tc_explore_combine (steps_rows, steps, nq, median, TC_EXPLORE_COMONOTONIC, out);
  for (guint h = 0; h < steps; h++)
    if (!isfinite (steps_rows[(gsize) h * nq + median]))
      {
        for (guint q = 0; q < nq; q++)
          out[q] = NAN;
        return;
      }
}

void
tc_explore_members_total (const TcForecast  *f,
                          const guint       *members,
                          guint              n_members,
                          guint              steps,
                          TcExploreInterval  interval,
                          double            *out)
{
  guint nq, median;
  g_autofree double *rows = NULL;   /* (n_members, nq) */
  g_autofree double *step = NULL;   /* (steps, nq) */

  g_return_if_fail (f != NULL && out != NULL);
  nq = f->n_quantiles;
  median = tc_forecast_median_index (f);
  steps = CLAMP (steps, 1, f->horizon);
  rows = g_new (double, (gsize) MAX (n_members, 1) * nq);
  step = g_new (double, (gsize) steps * nq);
  for (guint h = 0; h < steps; h++)
    combine_step (f, members, n_members, h, median, interval, rows, step + (gsize) h * nq);
  period_total (step, steps, nq, median, out);
}

/* -- building a level ------------------------------------------------------ */

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Index of @t in the sorted @times, or -1. */
static int
find_known (const TcDataset *ds, const char *name)
{
  guint k;

  if (ds == NULL)
    return -1;
  for (k = 0; k < ds->n_known; k++)
    if (strcmp (ds->known_names[k], name) == 0)
      return (int) k;
  return -1;
}

static int
find_series (const TcDataset *ds, const char *id)
{
  guint s;

  if (ds == NULL)
    return -1;
  for (s = 0; s < ds->n_series; s++)
    if (strcmp (ds->series_ids[s], id) == 0)
      return (int) s;
  return -1;
}

/* "holiday=double_11" (a one-hot column of a named holiday) -> "double_11". */
static char *
marker_label (TcExploreMarkerKind kind, const char *column)
{
  const char *eq = strchr (column, '=');

  if (kind == TC_EXPLORE_MARKER_HOLIDAY && eq != NULL && eq[1] != '\0')
    return g_strdup (eq + 1);
  if (kind == TC_EXPLORE_MARKER_PROMOTION)
    return g_strdup (_("Promotion"));
  return g_strdup (column);
}

typedef struct
{
  const TcDataset *ds;
  const TcDataset *future;
  guint            n_history;
  const gint64    *fc_times;
  guint            horizon;
  guint            fc_skip;       /* leading forecast dates that are history dates too
                                   * (per-series origins): the history covers them */
  int             *future_series; /* (ds n_series) index into future or -1 */
} MarkerCtx;

/* Value of known column @k of series @s at axis step @i (history steps
 * first, then forecast steps), NaN if unknown. */
static double
known_at (const MarkerCtx *c, guint k, int fk, guint s, guint i)
{
  gint64 t;
  int j;

  if (i < c->n_history)
    return tc_dataset_known_row (c->ds, k, s)[i];
  t = c->fc_times[i - c->n_history];
  j = tc_times_find (c->ds->times, c->ds->n_times, t);
  if (j >= 0)
    {
      double v = tc_dataset_known_row (c->ds, k, s)[j];

      if (!isnan (v) || fk < 0)
        return v;
    }
  if (fk < 0 || c->future_series[s] < 0)
    return NAN;
  j = tc_times_find (c->future->times, c->future->n_times, t);
  if (j < 0)
    return NAN;
  return tc_dataset_known_row (c->future, (guint) fk, (guint) c->future_series[s])[j];
}

static gint64
axis_time (const MarkerCtx *c, guint i)
{
  return i < c->n_history ? c->ds->times[i] : c->fc_times[i - c->n_history];
}

static int
marker_cmp (gconstpointer a, gconstpointer b)
{
  const TcExploreMarker *x = a, *y = b;

  return x->t_start < y->t_start ? -1 : x->t_start > y->t_start ? 1 : 0;
}

static void
build_markers (const MarkerCtx *c, TcExploreGroup *grp)
{
  guint n_axis = c->n_history + c->horizon, k, i, m;

  grp->markers = g_array_new (FALSE, TRUE, sizeof (TcExploreMarker));
  g_array_set_clear_func (grp->markers, marker_clear);

  for (k = 0; k < c->ds->n_known; k++)
    {
      TcCovariateKind ck = c->ds->known_kinds[k];
      TcExploreMarkerKind kind;
      int fk, run = -1, prev = -1;

      if (ck != TC_COVARIATE_PROMOTION && ck != TC_COVARIATE_HOLIDAY)
        continue;
      kind = ck == TC_COVARIATE_PROMOTION ? TC_EXPLORE_MARKER_PROMOTION : TC_EXPLORE_MARKER_HOLIDAY;
      fk = find_known (c->future, c->ds->known_names[k]);

      for (i = 0; i <= n_axis; i++)
        {
          gboolean on = FALSE;

          /* Dates twice on the axis count once, so that the axis keeps
           * increasing in time. */
          if (i >= c->n_history && i < c->n_history + c->fc_skip)
            continue;
          if (i < n_axis)
            {
              guint n_known = 0, n_on = 0;

              for (m = 0; m < grp->n_members; m++)
                {
                  double v = known_at (c, k, fk, grp->members[m], i);

                  if (isnan (v))
                    continue;
                  n_known++;
                  n_on += v != 0;
                }
              /* A holiday is the calendar's: one member is enough. */
              on = kind == TC_EXPLORE_MARKER_HOLIDAY ? n_on > 0
                   : n_known > 0 && n_on >= PROMO_SHARE * n_known;
            }
          if (on && run < 0)
            run = (int) i;
          else if (!on && run >= 0)
            {
              TcExploreMarker mk;
              gint64 t0 = axis_time (c, (guint) run), t1 = axis_time (c, (guint) prev);
              gint64 step = tc_frequency_advance (c->ds->freq, t1, 1) - t1;

              mk.kind = kind;
              mk.t_start = t0 - step / 2;
              mk.t_end = t1 + step / 2;
              mk.label = marker_label (kind, c->ds->known_names[k]);
              g_array_append_val (grp->markers, mk);
              run = -1;
            }
          prev = (int) i;
        }
    }
  g_array_sort (grp->markers, marker_cmp);
}

static void
build_history (const TcDataset *ds, guint n_history, TcExploreGroup *grp)
{
  guint i, m;

  grp->history = g_new (double, MAX (n_history, 1));
  for (i = 0; i < n_history; i++)
    {
      double sum = 0;
      gboolean any = FALSE, gap = FALSE;

      for (m = 0; m < grp->n_members; m++)
        {
          guint s = grp->members[m];
          double v = tc_dataset_target_row (ds, s)[i];

          /* Outside the series' life: it was not on sale, adds nothing. */
          if (i < ds->start[s] || i >= ds->end[s])
            continue;
          if (isnan (v))
            {
              gap = TRUE;
              break;
            }
          sum += v;
          any = TRUE;
        }
      grp->history[i] = any && !gap ? sum : NAN;
    }
}

/* Whether series @s has a forecast for axis step @a (grid index
 * first_origin + a), and which of its own steps that is. */
static gboolean
member_step (const TcForecast *f, guint first_origin, guint s, guint a, guint *h)
{
  guint o = tc_forecast_series_origin (f, s), g = first_origin + a;

  if (g < o || g >= o + f->horizon)
    return FALSE;
  if (h)
    *h = g - o;
  return TRUE;
}

/* The data on the forecast dates, summed like the history over the
 * members that have a forecast for the date; NULL when none of them has
 * any (a forecast of the future). */
static void
build_actual (const TcDataset *ds, const TcForecast *f, guint first_origin,
              const TcExploreLevel *level, TcExploreGroup *grp)
{
  gboolean any = FALSE;
  guint h, m;

  grp->actual = g_new (double, MAX (level->horizon, 1));
  for (h = 0; h < level->horizon; h++)
    {
      int i = tc_times_find (ds->times, ds->n_times, level->forecast_times[h]);
      double sum = 0;
      gboolean some = FALSE, gap = FALSE;

      for (m = 0; i >= 0 && m < grp->n_members; m++)
        {
          guint s = grp->members[m];
          double v = tc_dataset_target_row (ds, s)[i];

          if ((guint) i < ds->start[s] || (guint) i >= ds->end[s] || !member_step (f, first_origin, s, h, NULL))
            continue;
          if (isnan (v))
            {
              gap = TRUE;
              break;
            }
          sum += v;
          some = TRUE;
        }
      grp->actual[h] = some && !gap ? sum : NAN;
      any |= some && !gap;
    }
  if (!any)
    g_clear_pointer (&grp->actual, g_free);
}

static gboolean
member_has_values (const TcForecast *f, guint s)
{
  for (gsize i = 0; i < (gsize) f->horizon * f->n_quantiles; i++)
    if (isfinite (f->values[(gsize) s * f->horizon * f->n_quantiles + i]))
      return TRUE;
  return FALSE;
}

/* The forecast on the level's dates: at each date, the members that
 * have a forecast for it, combined; and the members' own steps combined
 * (the k-th step after each member's origin), for the summaries. */
static void
build_forecast (const TcForecast *f, guint first_origin, const TcExploreLevel *level,
                TcExploreGroup *grp)
{
  guint nq = f->n_quantiles, H = f->horizon, a, h, m, lo = G_MAXUINT, hi = 0;
  double *rows = g_new (double, (gsize) MAX (grp->n_members, 1) * nq); /* (n_members, nq) */
  gboolean any_values = FALSE;

  grp->forecast = g_new (double, (gsize) MAX (level->horizon, 1) * nq);
  for (a = 0; a < level->horizon; a++)
    {
      for (m = 0; m < grp->n_members; m++)
        {
          if (member_step (f, first_origin, grp->members[m], a, &h))
            memcpy (rows + (gsize) m * nq, f->values + ((gsize) grp->members[m] * H + h) * nq,
                    nq * sizeof *rows);
          else
            for (guint q = 0; q < nq; q++)
              rows[(gsize) m * nq + q] = NAN;
        }
      tc_explore_combine (rows, grp->n_members, nq, level->median, level->interval,
                          grp->forecast + (gsize) a * nq);
    }

  grp->step_forecast = g_new (double, (gsize) MAX (H, 1) * nq);
  for (h = 0; h < H; h++)
    combine_step (f, grp->members, grp->n_members, h, level->median, level->interval, rows,
                  grp->step_forecast + (gsize) h * nq);

  /* The dates the group forecasts: from its members with a forecast (all
   * members when none has one, whose dates then show as unknown). */
  for (m = 0; m < grp->n_members; m++)
    any_values |= member_has_values (f, grp->members[m]);
  for (m = 0; m < grp->n_members; m++)
    {
      guint o = tc_forecast_series_origin (f, grp->members[m]) - first_origin;

      if (any_values && !member_has_values (f, grp->members[m]))
        continue;
      lo = MIN (lo, o);
      hi = MAX (hi, o + H);
    }
  grp->forecast_start = lo <= hi ? lo : 0;
  grp->forecast_len = lo <= hi ? hi - lo : 0;
  g_free (rows);
}

/* Value of series @s at grid index @i for a sum over members: 0 outside
 * its life (it adds nothing), NaN when unknown inside it. */
static double
member_value (const TcDataset *ds, guint s, gint64 i)
{
  if (i < 0 || i >= ds->n_times)
    return i < 0 ? NAN : 0;
  if ((guint) i < ds->start[s] || (guint) i >= ds->end[s])
    return 0;
  return tc_dataset_target_row (ds, s)[i];
}

/* For the summaries: every member's last H values before its own origin
 * (recent) and its values on its own forecast steps (step_actual, NULL
 * when no member has data there), summed step by step. */
static void
build_steps (const TcDataset *ds, const TcForecast *f, TcExploreGroup *grp)
{
  guint H = f->horizon, h, m;
  gboolean any = FALSE;

  grp->recent = g_new (double, MAX (H, 1));
  grp->step_actual = g_new (double, MAX (H, 1));
  for (h = 0; h < H; h++)
    {
      double sum = 0, act = 0;
      gboolean some = FALSE;

      for (m = 0; m < grp->n_members; m++)
        {
          guint s = grp->members[m];
          gint64 o = tc_forecast_series_origin (f, s);
          gint64 i = o + h;

          sum += member_value (ds, s, o - (gint64) H + h);
          if (i < ds->n_times && i >= ds->start[s] && i < ds->end[s])
            {
              act += tc_dataset_target_row (ds, s)[i];
              some = TRUE;
            }
        }
      grp->recent[h] = sum;
      grp->step_actual[h] = some ? act : NAN;
      any |= some && !isnan (act);
    }
  if (!any)
    g_clear_pointer (&grp->step_actual, g_free);
}

TcExploreLevel *
tc_explore_level_new (const TcDataset    *ds,
                      const TcDataset    *future,
                      const TcForecast   *forecast,
                      TcExploreLevelKind  kind,
                      int                 attribute,
                      TcExploreInterval   interval,
                      GError            **error)
{
  g_autoptr(TcExploreLevel) level = NULL;
  GPtrArray *members = NULL;   /* of GArray of guint, one per group */
  g_autoptr(GPtrArray) names = NULL;
  MarkerCtx mc = { 0 };
  guint s, g, first_origin, last_origin;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (forecast != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (forecast->n_series != ds->n_series)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "The forecast has %u series but the data has %u: expected a forecast of this data",
                   forecast->n_series, ds->n_series);
      return NULL;
    }
  if (forecast->n_quantiles == 0 || forecast->horizon == 0)
    {
      g_set_error_literal (error, TC_ERROR, TC_ERROR_INVALID_ARG, "The forecast is empty");
      return NULL;
    }
  if (kind == TC_EXPLORE_LEVEL_ATTRIBUTE && (attribute < 0 || (guint) attribute >= ds->n_static))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                   "Attribute %d does not exist: the data has %u static columns", attribute, ds->n_static);
      return NULL;
    }

  level = g_new0 (TcExploreLevel, 1);
  level->kind = kind;
  level->attribute = kind == TC_EXPLORE_LEVEL_ATTRIBUTE ? attribute : -1;
  level->interval = interval;
  level->freq = ds->freq;
  level->target_name = g_strdup (ds->target_name);
  /* The dates: every grid date from the earliest series' origin to the
   * latest series' last forecast step (just the H dates with one common
   * origin). */
  first_origin = G_MAXUINT;
  last_origin = 0;
  for (s = 0; s < ds->n_series; s++)
    {
      first_origin = MIN (first_origin, tc_forecast_series_origin (forecast, s));
      last_origin = MAX (last_origin, tc_forecast_series_origin (forecast, s));
    }
  if (first_origin > last_origin)
    first_origin = last_origin = forecast->origin;
  level->n_history = MIN (forecast->origin, ds->n_times);
  level->history_times = g_memdup2 (ds->times, MAX (level->n_history, 1) * sizeof (gint64));
  level->series_horizon = forecast->horizon;
  level->horizon = last_origin - first_origin + forecast->horizon;
  level->n_quantiles = forecast->n_quantiles;
  memcpy (level->quantiles, forecast->quantiles, sizeof level->quantiles);
  level->forecast_times = g_new (gint64, MAX (level->horizon, 1));
  for (guint a = 0; a < level->horizon; a++)
    {
      guint t = first_origin + a;

      if (t >= forecast->origin && t < forecast->origin + forecast->horizon)
        level->forecast_times[a] = forecast->times[t - forecast->origin];
      else
        level->forecast_times[a] = t < ds->n_times ? ds->times[t]
                                   : tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1],
                                                           (int) (t - ds->n_times + 1));
    }
  level->median = tc_forecast_median_index (forecast);

  /* Group membership. */
  members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  names = g_ptr_array_new_with_free_func (g_free);
  switch (kind)
    {
    case TC_EXPLORE_LEVEL_SERIES:
      level->name = g_strdup ("series");
      for (s = 0; s < ds->n_series; s++)
        {
          GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));

          g_array_append_val (a, s);
          g_ptr_array_add (members, a);
          g_ptr_array_add (names, g_strdup (ds->series_ids[s]));
        }
      break;
    case TC_EXPLORE_LEVEL_ATTRIBUTE:
      {
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
        guint i;

        level->name = g_strdup (ds->static_names[attribute]);
        for (s = 0; s < ds->n_series; s++)
          {
            const char *v = ds->static_values[(gsize) s * ds->n_static + attribute];

            if (v == NULL || *v == '\0')
              v = "";
            if (!g_hash_table_contains (seen, v))
              {
                g_hash_table_add (seen, (gpointer) v);
                g_ptr_array_add (sorted, (gpointer) v);
              }
          }
        g_ptr_array_sort (sorted, cmp_str);
        for (i = 0; i < sorted->len; i++)
          {
            const char *name = sorted->pdata[i];
            GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));

            for (s = 0; s < ds->n_series; s++)
              {
                const char *v = ds->static_values[(gsize) s * ds->n_static + attribute];

                if (g_strcmp0 (v ? v : "", name) == 0)
                  g_array_append_val (a, s);
              }
            g_ptr_array_add (members, a);
            /* Series without a value get a group of their own, named so. */
            g_ptr_array_add (names, g_strdup (*name ? name : _("(none)")));
          }
      }
      break;
    case TC_EXPLORE_LEVEL_TOTAL:
    default:
      {
        GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));

        level->name = g_strdup ("total");
        for (s = 0; s < ds->n_series; s++)
          g_array_append_val (a, s);
        g_ptr_array_add (members, a);
        g_ptr_array_add (names, g_strdup (_("Total")));
      }
      break;
    }

  mc.ds = ds;
  mc.future = future;
  mc.n_history = level->n_history;
  mc.fc_times = level->forecast_times;
  mc.horizon = level->horizon;
  while (mc.fc_skip < level->horizon && level->n_history > 0
         && level->forecast_times[mc.fc_skip] <= level->history_times[level->n_history - 1])
    mc.fc_skip++;
  mc.future_series = g_new (int, MAX (ds->n_series, 1));
  for (s = 0; s < ds->n_series; s++)
    mc.future_series[s] = find_series (future, ds->series_ids[s]);

  level->n_groups = members->len;
  level->groups = g_new0 (TcExploreGroup, MAX (members->len, 1));
  for (g = 0; g < members->len; g++)
    {
      TcExploreGroup *grp = &level->groups[g];
      GArray *a = members->pdata[g];

      grp->name = g_strdup (names->pdata[g]);
      grp->n_members = a->len;
      grp->members = g_memdup2 (a->data, MAX (a->len, 1) * sizeof (guint));
      build_history (ds, level->n_history, grp);
      build_forecast (forecast, first_origin, level, grp);
      build_steps (ds, forecast, grp);
      build_actual (ds, forecast, first_origin, level, grp);
      build_markers (&mc, grp);
    }

  g_free (mc.future_series);
  g_ptr_array_unref (members);
  return g_steal_pointer (&level);
}

/* -- summaries ------------------------------------------------------------- */

guint
tc_explore_default_steps (const TcExploreLevel *level)
{
  guint cap;

  g_return_val_if_fail (level != NULL, 1);
  switch (level->freq)
    {
    case TC_FREQ_HOURLY: cap = 24 * 7; break;
    case TC_FREQ_DAILY: cap = 13 * 7; break;
    case TC_FREQ_WEEKLY: cap = 13; break;
    case TC_FREQ_MONTHLY: cap = 12; break;
    case TC_FREQ_QUARTERLY: cap = 4; break;
    case TC_FREQ_YEARLY: cap = 3; break;
    case TC_FREQ_UNKNOWN:
    default: cap = level->series_horizon; break;
    }
  return MAX (1, MIN (level->series_horizon, cap));
}

void
tc_explore_group_summary (const TcExploreLevel *level,
                          guint                 group,
                          guint                 steps,
                          TcExploreSummary     *summary)
{
  const TcExploreGroup *grp;
  guint nq, h, i;
  double *out;

  g_return_if_fail (level != NULL && group < level->n_groups);
  g_return_if_fail (summary != NULL);

  grp = &level->groups[group];
  nq = level->n_quantiles;
  steps = CLAMP (steps, 1, level->series_horizon);
  summary->steps = steps;

  /* The members were combined at each of their own steps already. */
  out = g_new (double, nq);
  period_total (grp->step_forecast, steps, nq, level->median, out);
  summary->next = out[level->median];
  summary->next_lo = out[0];
  summary->next_hi = out[nq - 1];
  g_free (out);

  {
    double sum = 0;

    for (i = level->series_horizon - steps; i < level->series_horizon; i++)
      sum += grp->recent[i];
    summary->last = sum;  /* NaN when any date is unknown */
  }
  summary->change = isfinite (summary->last) && summary->last > 0 && isfinite (summary->next)
                    ? summary->next / summary->last - 1 : NAN;

  summary->actual = NAN;
  if (grp->step_actual != NULL)
    {
      double sum = 0;

      for (h = 0; h < steps; h++)
        sum += grp->step_actual[h];
      summary->actual = sum;
    }
}

char *
tc_explore_format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  GString *out;
  const char *digits, *dot;
  gsize n_int, i;
  gboolean neg;

  if (!isfinite (v))
    return g_strdup ("–");
  /* Counts read best without decimals; small values keep two. */
  g_ascii_formatd (buf, sizeof buf, fabs (v) < 10 && v != round (v) ? "%.2f" : "%.0f", v);
  neg = buf[0] == '-';
  digits = buf + (neg ? 1 : 0);
  dot = strchr (digits, '.');
  n_int = dot ? (gsize) (dot - digits) : strlen (digits);

  out = g_string_new (neg && strcmp (digits, "0") != 0 ? "-" : "");
  for (i = 0; i < n_int; i++)
    {
      if (i > 0 && (n_int - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  if (dot)
    g_string_append (out, dot);
  return g_string_free (out, FALSE);
}

char *
tc_explore_period_phrase (TcFrequency freq,
                          guint       steps)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:
      if (steps % 24 == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", steps / 24), steps / 24);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", steps), steps);
    case TC_FREQ_DAILY:
      if (steps % 7 == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u week", "%u weeks", steps / 7), steps / 7);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", steps), steps);
    case TC_FREQ_WEEKLY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u week", "%u weeks", steps), steps);
    case TC_FREQ_MONTHLY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month", "%u months", steps), steps);
    case TC_FREQ_QUARTERLY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u quarter", "%u quarters", steps), steps);
    case TC_FREQ_YEARLY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u year", "%u years", steps), steps);
    case TC_FREQ_UNKNOWN:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u period", "%u periods", steps), steps);
    }
}

char *
tc_explore_summary_text (const TcExploreLevel   *level,
                         const TcExploreSummary *summary)
{
  g_autofree char *period = NULL, *mid = NULL, *lo = NULL, *hi = NULL, *value = NULL;
  const char *units;

  g_return_val_if_fail (level != NULL && summary != NULL, NULL);

  period = tc_explore_period_phrase (level->freq, summary->steps);
  if (!isfinite (summary->next))
    /* TRANSLATORS: %s is a period such as "4 weeks". */
    return g_strdup_printf (_("No forecast for the next %s: this has no history before the forecast starts"), period);

  mid = tc_explore_format_number (summary->next);
  lo = tc_explore_format_number (summary->next_lo);
  hi = tc_explore_format_number (summary->next_hi);
  units = level->target_name && *level->target_name ? level->target_name : NULL;
  /* TRANSLATORS: a number and the name of what is forecast, "1,240 units". */
  value = units ? g_strdup_printf (C_("amount", "%s %s"), mid, units) : g_strdup (mid);

  if (isfinite (summary->actual))
    {
      g_autofree char *act = tc_explore_format_number (summary->actual);
      g_autofree char *err = NULL;
      double pe = summary->next > 0 ? (summary->actual / summary->next - 1) * 100 : NAN;

      if (isfinite (pe))
        {
          err = g_strdup_printf ("%s%.0f" TC_PERCENT, pe >= 0.5 ? "+" : pe <= -0.5 ? "−" : "±", fabs (pe));
          /* TRANSLATORS: a check on data the model did not see: "Held-out 4 weeks: forecast
           * 1,240 units (likely 1,050–1,430), actual 1,302 (+5 % on the forecast)". */
          return g_strdup_printf (_("Held-out %s: forecast %s (likely %s–%s), actual %s (%s on the forecast)"),
                                  period, value, lo, hi, act, err);
        }
      /* TRANSLATORS: "Held-out 4 weeks: forecast 1,240 units (likely 1,050–1,430), actual 1,302". */
      return g_strdup_printf (_("Held-out %s: forecast %s (likely %s–%s), actual %s"), period, value, lo, hi, act);
    }

  if (isfinite (summary->change))
    {
      g_autofree char *pct = NULL;
      double pc = summary->change * 100;

      /* "+8 %": a sign always, so a fall is never misread as a rise. */
      pct = g_strdup_printf ("%s%.0f" TC_PERCENT, pc >= 0.5 ? "+" : pc <= -0.5 ? "−" : "±", fabs (pc));
      /* TRANSLATORS: "Next 4 weeks: 1,240 units (likely 1,050–1,430), +8 % on the last 4 weeks".
       * The first and last %s are the same period. */
      return g_strdup_printf (_("Next %s: %s (likely %s–%s), %s on the last %s"),
                              period, value, lo, hi, pct, period);
    }
  /* TRANSLATORS: "Next 4 weeks: 1,240 units (likely 1,050–1,430)". */
  return g_strdup_printf (_("Next %s: %s (likely %s–%s)"), period, value, lo, hi);
}

/* -- CSV ------------------------------------------------------------------- */

char *
tc_explore_csv (TcExploreLevel * const *levels,
                guint                   n_levels)
{
  GString *out = g_string_new ("series,level,date");
  guint l, g, h, q;

  g_return_val_if_fail (n_levels > 0 && levels != NULL, NULL);

  for (q = 0; q < levels[0]->n_quantiles; q++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* 0.1 -> p10, 0.975 -> p97.5 */
      g_string_append_printf (out, ",p%s", g_ascii_formatd (buf, sizeof buf, "%g", round (levels[0]->quantiles[q] * 1000) / 10));
    }
  g_string_append_c (out, '\n');

  for (l = 0; l < n_levels; l++)
    {
      const TcExploreLevel *lev = levels[l];

      for (g = 0; g < lev->n_groups; g++)
        for (h = 0; h < lev->horizon; h++)
          {
            g_autofree char *date = NULL;

            /* No empty cells: a date without a forecast for this group
             * (another series' horizon, or no history) has no row. */
            if (!isfinite (lev->groups[g].forecast[(gsize) h * lev->n_quantiles + lev->median]))
              continue;
            date = tc_frequency_format_time (lev->freq, lev->forecast_times[h]);
            tc_csv_append_field (out, lev->groups[g].name);
            g_string_append_c (out, ',');
            tc_csv_append_field (out, lev->name);
            g_string_append_printf (out, ",%s", date);
            for (q = 0; q < lev->n_quantiles; q++)
              {
                double v = lev->groups[g].forecast[(gsize) h * lev->n_quantiles + q];
                char buf[G_ASCII_DTOSTR_BUF_SIZE];

                g_string_append_c (out, ',');
                g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
              }
            g_string_append_c (out, '\n');
          }
    }
  return g_string_free (out, FALSE);
}

static void
history_row (GString *out, const TcExploreLevel *lev, const TcExploreGroup *grp, gint64 t, const char *kind,
             double v)
{
  g_autofree char *date = tc_frequency_format_time (lev->freq, t);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  tc_csv_append_field (out, grp->name);
  g_string_append_c (out, ',');
  tc_csv_append_field (out, lev->name);
  g_string_append_printf (out, ",%s,%s,%s,", date, kind, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
  tc_csv_append_field (out, lev->target_name ? lev->target_name : "value");
  g_string_append_c (out, '\n');
}

/**
 * tc_explore_history_csv:
 *
 * What the chart shows as one long table: series,level,date,kind,value,unit
 * with kind "history", "actual" (holdout) or a quantile ("p10", "p50" …).
 * Every row holds a number: unknown history and dates without a forecast
 * have no row.
 */
char *
tc_explore_history_csv (TcExploreLevel * const *levels,
                        guint                   n_levels)
{
  GString *out = g_string_new ("series,level,date,kind,value,unit\n");

  g_return_val_if_fail (n_levels > 0 && levels != NULL, NULL);

  for (guint l = 0; l < n_levels; l++)
    {
      const TcExploreLevel *lev = levels[l];

      for (guint g = 0; g < lev->n_groups; g++)
        {
          const TcExploreGroup *grp = &lev->groups[g];

          for (guint i = 0; i < lev->n_history; i++)
            if (isfinite (grp->history[i]))
              history_row (out, lev, grp, lev->history_times[i], "history", grp->history[i]);
          for (guint h = 0; h < lev->horizon; h++)
            {
              if (!isfinite (grp->forecast[(gsize) h * lev->n_quantiles + lev->median]))
                continue;
              for (guint q = 0; q < lev->n_quantiles; q++)
                {
                  char qb[G_ASCII_DTOSTR_BUF_SIZE];
                  g_autofree char *kind = g_strdup_printf ("p%s", g_ascii_formatd (qb, sizeof qb, "%g",
                                                                                   round (lev->quantiles[q] * 1000) / 10));

                  history_row (out, lev, grp, lev->forecast_times[h], kind,
                               grp->forecast[(gsize) h * lev->n_quantiles + q]);
                }
              if (grp->actual && isfinite (grp->actual[h]))
                history_row (out, lev, grp, lev->forecast_times[h], "actual", grp->actual[h]);
            }
        }
    }
  return g_string_free (out, FALSE);
}

gboolean
tc_explore_write_csv (TcExploreLevel * const *levels,
                      guint                   n_levels,
                      const char             *path,
                      GError                **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  csv = tc_explore_csv (levels, n_levels);
  if (!tc_file_set_contents (path, csv, -1, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}
