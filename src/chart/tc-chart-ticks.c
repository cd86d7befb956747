/* tc-chart-ticks.c — tick steps and labels for chart axes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-chart-ticks"

#include "config.h"

#include "tc-chart.h"
#include "tc-format.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

static void
tick_clear (gpointer p)
{
  TcChartTick *tick = p;

  g_clear_pointer (&tick->label, g_free);
}

static GArray *
tick_array_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (TcChartTick));

  g_array_set_clear_func (a, tick_clear);
  return a;
}

double
tc_chart_nice_step (double range,
                    int    target)
{
  static const double mult[] = { 1.0, 2.0, 2.5, 5.0, 10.0 };
  double raw, mag;
  guint i;

  if (!(range > 0) || !isfinite (range))
    return 1.0;
  if (target < 1)
    target = 1;

  raw = range / target;
  mag = pow (10.0, floor (log10 (raw)));
  for (i = 0; i < G_N_ELEMENTS (mult); i++)
    if (mult[i] * mag >= raw * (1 - 1e-9))
      return mult[i] * mag;
  return 10.0 * mag;
}

char *
tc_chart_format_thousands (double v,
                           int    decimals)
{
  return tc_format_thousands (v, decimals);
}

char *
tc_chart_format_compact (double v)
{
  /* One shortening for the whole program, in the language's grouping. */
  return tc_format_compact (v);
}

static int
decimals_for_step (double step)
{
  int d = 0;

  while (d < 9 && fabs (step * pow (10, d) - round (step * pow (10, d))) > 1e-6 * step * pow (10, d))
    d++;
  return d;
}

GArray *
tc_chart_value_ticks (double    lo,
                      double    hi,
                      int       target,
                      gboolean  compact,
                      double   *out_step)
{
  GArray *ticks = tick_array_new ();
  double step, first, v;
  int decimals, i;

  if (!(hi > lo))
    hi = lo + 1;
  step = tc_chart_nice_step (hi - lo, target);
  decimals = decimals_for_step (step);
  first = ceil (lo / step - 1e-9) * step;

  for (i = 0; (v = first + i * step) <= hi + step * 1e-9 && i < 1000; i++)
    {
      TcChartTick tick;

      if (fabs (v) < step * 1e-9)
        v = 0;  /* -0 from rounding */
      tick.value = v;
      tick.label = compact ? tc_chart_format_compact (v) : tc_chart_format_thousands (v, decimals);
      g_array_append_val (ticks, tick);
    }
  if (out_step)
    *out_step = step;
  return ticks;
}

char *
tc_chart_format_time (gint64          t,
                      TcChartTimeUnit unit)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup ("?");

  switch (unit)
    {
    case TC_CHART_UNIT_HOUR:
      if (g_date_time_get_hour (dt) == 0 && g_date_time_get_minute (dt) == 0)
        /* Translators: a strftime-style date format (see g_date_time_format)
         * for a day on the chart's time axis, e.g. "Mar 4". */
        /* xgettext:no-c-format */
        return g_date_time_format (dt, _("%b %-d"));
      return g_date_time_format (dt, "%H:%M");
    case TC_CHART_UNIT_DAY:
      /* Translators: a strftime-style date format (see g_date_time_format)
       * for a day on the chart's time axis, e.g. "Mar 4". */
      /* xgettext:no-c-format */
      return g_date_time_format (dt, _("%b %-d"));
    case TC_CHART_UNIT_WEEK:
      /* The Monday's date: readers know dates, few know ISO week numbers. */
      /* xgettext:no-c-format */
      return g_date_time_format (dt, _("%b %-d"));
    case TC_CHART_UNIT_MONTH:
      /* Translators: a strftime-style date format (see g_date_time_format)
       * for a month on the chart's time axis, e.g. "Mar 2024". */
      /* xgettext:no-c-format */
      return g_date_time_format (dt, _("%b %Y"));
    case TC_CHART_UNIT_YEAR:
    default:
      return g_date_time_format (dt, "%Y");
    }
}

typedef struct
{
  TcChartTimeUnit unit;
  int             count;
  double          approx_seconds;
  int             label_chars;  /* a typical label's length */
} TimeStep;

static const TimeStep time_steps[] = {
  { TC_CHART_UNIT_HOUR, 1, 3600, 5 },
  { TC_CHART_UNIT_HOUR, 2, 7200, 6 },
  { TC_CHART_UNIT_HOUR, 3, 10800, 6 },
  { TC_CHART_UNIT_HOUR, 6, 21600, 6 },
  { TC_CHART_UNIT_HOUR, 12, 43200, 6 },
  { TC_CHART_UNIT_DAY, 1, 86400, 6 },
  { TC_CHART_UNIT_DAY, 2, 172800, 6 },
  { TC_CHART_UNIT_WEEK, 1, 604800, 3 },
  { TC_CHART_UNIT_WEEK, 2, 1209600, 3 },
  { TC_CHART_UNIT_WEEK, 4, 2419200, 3 },
  { TC_CHART_UNIT_MONTH, 1, 2629746, 8 },
  { TC_CHART_UNIT_MONTH, 2, 5259492, 8 },
  { TC_CHART_UNIT_MONTH, 3, 7889238, 8 },
  { TC_CHART_UNIT_MONTH, 6, 15778476, 8 },
  { TC_CHART_UNIT_YEAR, 1, 31556952, 4 },
  { TC_CHART_UNIT_YEAR, 2, 63113904, 4 },
  { TC_CHART_UNIT_YEAR, 5, 157784760, 4 },
  { TC_CHART_UNIT_YEAR, 10, 315569520, 4 },
  { TC_CHART_UNIT_YEAR, 20, 631139040, 4 },
  { TC_CHART_UNIT_YEAR, 50, 1577847600, 4 },
  { TC_CHART_UNIT_YEAR, 100, 3155695200, 4 },
};

static gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* The first tick at or after @from for @step. */
static GDateTime *
first_tick (gint64          from,
            const TimeStep *step)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (from);
  gint64 t, period;
  int y, m;

  switch (step->unit)
    {
    case TC_CHART_UNIT_HOUR:
    case TC_CHART_UNIT_DAY:
      period = (gint64) step->approx_seconds;
      t = floor_div (from, period) * period;
      if (t < from)
        t += period;
      return g_date_time_new_from_unix_utc (t);
    case TC_CHART_UNIT_WEEK:
      /* 1970-01-05 was a Monday; weeks start on Monday as in ISO 8601. */
      period = (gint64) 604800 * step->count;
      t = 4 * 86400 + floor_div (from - 4 * 86400, period) * period;
      if (t < from)
        t += period;
      return g_date_time_new_from_unix_utc (t);
    case TC_CHART_UNIT_MONTH:
      y = g_date_time_get_year (dt);
      m = g_date_time_get_month (dt) - 1;
      m = (m / step->count) * step->count;
      {
        GDateTime *r = g_date_time_new_utc (y, m + 1, 1, 0, 0, 0);
        while (r && g_date_time_to_unix (r) < from)
          {
            GDateTime *n = g_date_time_add_months (r, step->count);
            g_date_time_unref (r);
            r = n;
          }
        return r;
      }
    case TC_CHART_UNIT_YEAR:
    default:
      y = g_date_time_get_year (dt);
      y = (int) (floor_div (y, step->count) * step->count);
      {
        GDateTime *r = g_date_time_new_utc (MAX (y, 1), 1, 1, 0, 0, 0);
        while (r && g_date_time_to_unix (r) < from)
          {
            GDateTime *n = g_date_time_add_years (r, step->count);
            g_date_time_unref (r);
            r = n;
          }
        return r;
      }
    }
}

static GDateTime *
next_tick (GDateTime      *dt,
           const TimeStep *step)
{
  switch (step->unit)
    {
    case TC_CHART_UNIT_HOUR:
      return g_date_time_add_hours (dt, step->count);
    case TC_CHART_UNIT_DAY:
      return g_date_time_add_days (dt, step->count);
    case TC_CHART_UNIT_WEEK:
      return g_date_time_add_weeks (dt, step->count);
    case TC_CHART_UNIT_MONTH:
      return g_date_time_add_months (dt, step->count);
    case TC_CHART_UNIT_YEAR:
    default:
      return g_date_time_add_years (dt, step->count);
    }
}

GArray *
tc_chart_time_ticks (gint64           from,
                     gint64           to,
                     double           width_px,
                     double           char_width_px,
                     TcChartTimeUnit *out_unit)
{
  GArray *ticks = tick_array_new ();
  const TimeStep *step = &time_steps[G_N_ELEMENTS (time_steps) - 1];
  GDateTime *dt;
  double span = (double) (to - from);
  guint i;
  int guard = 0;

  if (!(span > 0) || !(width_px > 0))
    {
      if (out_unit)
        *out_unit = TC_CHART_UNIT_DAY;
      return ticks;
    }

  for (i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      double px = width_px * time_steps[i].approx_seconds / span;
      /* Months vary from 28 to 31 days, so allow for the shortest. */
      double need = time_steps[i].label_chars * char_width_px * 1.1 + 12;

      /* Week numbers without a year only read well over a few months. */
      if (time_steps[i].unit == TC_CHART_UNIT_WEEK && span > 183 * 86400.0)
        continue;

      if (px * 0.92 >= need)
        {
          step = &time_steps[i];
          break;
        }
    }

  for (dt = first_tick (from, step); dt != NULL && g_date_time_to_unix (dt) <= to && guard < 10000; guard++)
    {
      GDateTime *n;
      TcChartTick tick;

      tick.value = (double) g_date_time_to_unix (dt);
      tick.label = tc_chart_format_time (g_date_time_to_unix (dt), step->unit);
      g_array_append_val (ticks, tick);
      n = next_tick (dt, step);
      g_date_time_unref (dt);
      dt = n;
    }
  g_clear_pointer (&dt, g_date_time_unref);

  if (out_unit)
    *out_unit = step->unit;
  return ticks;
}
