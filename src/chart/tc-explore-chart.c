/* tc-explore-chart.c — a level's group on a TcChart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-explore-chart"

#include "tc-explore-chart.h"

#include <math.h>

guint
tc_explore_chart_default_view (const TcExploreLevel *level)
{
  guint n;

  g_return_val_if_fail (level != NULL, 0);
  /* Enough history to judge the forecast against, not so much that the
   * forecast shrinks to a sliver at the right edge. */
  n = MAX (4 * level->horizon, 8);
  switch (level->freq)
    {
    case TC_FREQ_DAILY: n = MAX (n, 120); break;
    case TC_FREQ_WEEKLY: n = MAX (n, 78); break;
    case TC_FREQ_MONTHLY: n = MAX (n, 48); break;
    case TC_FREQ_HOURLY: n = MAX (n, 24 * 14); break;
    default: break;
    }
  return MIN (n, level->n_history);
}

void
tc_explore_chart_fill (TcChart              *chart,
                       const TcExploreLevel *level,
                       guint                 group,
                       const char           *title,
                       guint                 view_history)
{
  const TcExploreGroup *grp;
  guint nq, h, i, a0, n;
  double *med, *lo, *hi;  /* (n) each */

  g_return_if_fail (TC_IS_CHART (chart));
  g_return_if_fail (level != NULL && group < level->n_groups);

  grp = &level->groups[group];
  nq = level->n_quantiles;

  tc_chart_clear (chart);
  tc_chart_set_title (chart, title);
  tc_chart_set_units (chart, level->target_name);
  tc_chart_set_history (chart, level->history_times, grp->history, level->n_history);

  /* Only the group's own forecast dates: with per-series origins the
   * level's dates start at the earliest series' origin, and a series that
   * ends later must join its history, not start after a gap. */
  a0 = MIN (grp->forecast_start, level->horizon);
  n = MIN (grp->forecast_len, level->horizon - a0);
  med = g_new (double, MAX (n, 1));
  lo = g_new (double, MAX (n, 1));
  hi = g_new (double, MAX (n, 1));
  for (h = 0; h < n; h++)
    med[h] = grp->forecast[(gsize) (a0 + h) * nq + level->median];
  tc_chart_set_forecast (chart, level->forecast_times + a0, med, n);

  /* Bands from the outside in, pairing quantile i with nq - 1 - i. */
  for (i = 0; n > 0 && i < 2 && i < level->median && nq - 1 - i > level->median; i++)
    {
      for (h = 0; h < n; h++)
        {
          lo[h] = grp->forecast[(gsize) (a0 + h) * nq + i];
          hi[h] = grp->forecast[(gsize) (a0 + h) * nq + nq - 1 - i];
        }
      tc_chart_add_band (chart, level->quantiles[i], level->quantiles[nq - 1 - i], lo, hi);
    }

  /* Held-out actuals, when the forecast's dates have data. */
  tc_chart_set_actuals (chart, grp->actual ? grp->actual + a0 : NULL);

  for (i = 0; i < grp->markers->len; i++)
    {
      const TcExploreMarker *m = &g_array_index (grp->markers, TcExploreMarker, i);

      tc_chart_add_marker (chart, m->kind == TC_EXPLORE_MARKER_PROMOTION ? TC_CHART_MARKER_PROMOTION
                                                                       : TC_CHART_MARKER_HOLIDAY,
                           m->t_start, m->t_end,
                           /* Promotions are many and the legend names them. */
                           m->kind == TC_EXPLORE_MARKER_HOLIDAY ? m->label : NULL);
    }

  if (view_history > 0 && view_history < level->n_history && level->horizon > 0)
    tc_chart_set_view (chart, (double) level->history_times[level->n_history - view_history],
                       (double) level->forecast_times[level->horizon - 1]);

  g_free (med);
  g_free (lo);
  g_free (hi);
}
