/* tc-scenario-page-results.c — the Scenarios page: the headline, the chart and the table of a result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-chart-view.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-file.h"
#include "tc-explore.h"
#include "tc-future-plan.h"
#include "tc-scenario-page.h"
#include "tc-scenario-page-private.h"
#include "tc-tsan.h"

/* -- results ---------------------------------------------------------------- */

static void
table_add (TcScenarioPage *self, int row, int col, const char *text, gboolean heading, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->table_grid, label, col, row, 1, 1);
}

void
tc_scenario_page_clear_table (TcScenarioPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);
}

/* Promotions of the plan (imported or assumed) on the forecast dates,
 * shaded like the explorer shades them: on a date when at least half of
 * the series in scope have one. */
static void
add_plan_markers (TcScenarioPage *self,
                  TcChart        *chart,
                  GArray         *scope)
{
  const TcDataset *plan = self->result_plan;

  for (guint k = 0; plan && k < plan->n_known; k++)
    {
      int run = -1;

      if (plan->known_kinds[k] != TC_COVARIATE_PROMOTION)
        continue;
      for (guint t = 0; t <= plan->n_times; t++)
        {
          guint n_known = 0, n_on = 0;
          gboolean on = FALSE;

          for (guint i = 0; t < plan->n_times && i < scope->len; i++)
            {
              double v = tc_dataset_known_row (plan, k, g_array_index (scope, guint, i))[t];

              n_known += !isnan (v);
              n_on += !isnan (v) && v != 0;
            }
          on = n_known > 0 && 2 * n_on >= n_known;
          if (on && run < 0)
            run = (int) t;
          else if (!on && run >= 0)
            {
              gint64 t0 = plan->times[run], t1 = plan->times[t - 1];
              gint64 half = (tc_frequency_advance (plan->freq, t1, 1) - t1) / 2;

              tc_chart_add_marker (chart, TC_CHART_MARKER_PROMOTION, t0 - half, t1 + half, plan->known_names[k]);
              run = -1;
            }
        }
    }
}

static TcExploreInterval
sum_interval (TcScenarioPage *self)
{
  g_autofree char *rule = g_settings_get_string (self->settings, "sum-ranges");

  return g_str_equal (rule, "together") ? TC_EXPLORE_COMONOTONIC : TC_EXPLORE_INDEPENDENT;
}

void
tc_scenario_page_show_result (TcScenarioPage *self)
{
  const TcScenarioResult *r = self->result;
  const TcDataset *ds = tc_session_get_dataset (self->session);
  TcChart *chart = tc_chart_view_get_chart (self->chart_view);
  GArray *scope = self->result_scope;
  g_autofree double *base = NULL, *scen = NULL, *up = NULL, *rev = NULL, *base_rev = NULL;
  g_autofree double *lo = NULL, *hi = NULL;
  g_autofree char *headline = NULL, *units = NULL, *pct = NULL, *when = NULL;
  g_autoptr (GString) detail = g_string_new (NULL);
  g_autofree gint64 *times = NULL;
  g_autofree guint *covered = NULL;
  double t_base = 0, t_scen = 0, t_up = 0, t_rev = 0, t_base_rev = 0;
  guint H, Q, m, n_hist, period, n_valid = 0, g0 = G_MAXUINT, g1 = 0, n_ax;
  gboolean single, no_changes;

  if (r == NULL || ds == NULL || scope == NULL)
    return;
  H = r->baseline->horizon;
  Q = r->baseline->n_quantiles;
  m = tc_forecast_median_index (r->baseline);
  single = scope->len == 1;

  /* Series may be forecast from different dates (each after its own last
   * value): the lines and the table add up, date by date, the series
   * forecast on that date, over the dates from the earliest series'
   * start to the latest one's end. */
  for (guint i = 0; i < scope->len; i++)
    {
      guint o = tc_forecast_series_origin (r->baseline, g_array_index (scope, guint, i));

      g0 = MIN (g0, o);
      g1 = MAX (g1, o + H);
    }
  if (g0 > g1)
    g0 = g1 = r->baseline->origin;
  n_ax = MAX (g1 - g0, 1);
  base = g_new0 (double, n_ax);
  scen = g_new0 (double, n_ax);
  up = g_new0 (double, n_ax);
  rev = g_new0 (double, n_ax);
  base_rev = g_new0 (double, n_ax);
  covered = g_new0 (guint, n_ax);
  times = g_new (gint64, n_ax);
  for (guint a = 0; a < n_ax; a++)
    times[a] = g0 + a < ds->n_times ? ds->times[g0 + a]
               : tc_frequency_advance (ds->freq, ds->times[ds->n_times - 1], (int) (g0 + a - ds->n_times + 1));

  for (guint i = 0; i < scope->len; i++)
    {
      guint s = g_array_index (scope, guint, i);
      guint a0 = tc_forecast_series_origin (r->baseline, s) - g0;
      gboolean valid = TRUE;

      for (guint h = 0; h < H; h++)
        valid &= isfinite (r->baseline->values[((gsize) s * H + h) * Q + m]);
      /* A series with no data before the horizon has no forecast. */
      if (!valid)
        continue;
      n_valid++;
      for (guint h = 0; h < H && a0 + h < n_ax; h++)
        {
          gsize i2 = (gsize) s * H + h;
          guint a = a0 + h;

          times[a] = tc_forecast_series_times (r->baseline, s)[h];
          covered[a]++;
          base[a] += r->baseline->values[i2 * Q + m];
          scen[a] += r->scenario->values[i2 * Q + m];
          up[a] += r->uplift_units[i2];
          if (r->uplift_revenue)
            {
              rev[a] += r->uplift_revenue[i2];
              base_rev[a] += r->baseline->values[i2 * Q + m] * r->baseline_price[i2];
            }
        }
    }
  for (guint a = 0; a < n_ax; a++)
    {
      t_up += up[a];
      t_rev += rev[a];
      t_base_rev += base_rev[a];
    }
  /* The totals of the baseline and the scenario by the application's one
   * rule (tc-explore.h), as the Forecast page sums a group. */
  if (n_valid > 0)
    {
      g_autofree double *tot = g_new (double, Q);   /* (Q) */

      tc_explore_members_total (r->baseline, (const guint *) scope->data, scope->len, H,
                                sum_interval (self), tot);
      t_base = tot[m];
      tc_explore_members_total (r->scenario, (const guint *) scope->data, scope->len, H,
                                sum_interval (self), tot);
      t_scen = tot[m];
    }
  /* A date no series of the scope is forecast on has no value (a gap in
   * the lines), not zero. */
  for (guint a = 0; a < n_ax; a++)
    if (covered[a] == 0)
      base[a] = scen[a] = up[a] = NAN;

  /* Headline: what a planner asks first. */
  no_changes = self->result_marks == NULL || self->result_marks->len == 0;
  units = tc_scenario_page_format_signed (t_up);
  pct = tc_scenario_page_format_pct (t_up, t_base);
  when = tc_scenario_page_horizon_phrase (ds->freq, H);
  if (no_changes)
    headline = g_strdup (_("No changes yet: the scenario is the baseline forecast"));
  else
    /* TRANSLATORS: "+312 units (+14 %) over the next 4 weeks" */
    headline = g_strdup_printf (_("%s units (%s) %s"), units, pct, when);
  gtk_label_set_text (self->headline_label, headline);

  if (no_changes)
    {
      g_autofree char *b = tc_chart_format_thousands (t_base, 0);

      /* TRANSLATORS: "Baseline 2,422 units over the next 4 weeks (median)." */
      g_string_append_printf (detail, _("Baseline %s units %s (median). Add a promotion, a discount or a price change to compare."),
                              b, when);
    }
  else
    {
      g_autofree char *b = tc_chart_format_thousands (t_base, 0);
      g_autofree char *sc = tc_chart_format_thousands (t_scen, 0);

      g_string_append_printf (detail, _("Baseline %s units, scenario %s units (medians)."), b, sc);
    }
  if (r->uplift_revenue && !no_changes)
    {
      g_autofree char *rv = tc_scenario_page_format_signed (t_rev);
      g_autofree char *rp = tc_scenario_page_format_pct (t_rev, t_base_rev);

      g_string_append (detail, " ");
      g_string_append_printf (detail, _("Revenue %s (%s) at the scenario’s prices."), rv, rp);
    }
  else if (!no_changes && tc_scenario_page_price_is_log (self))
    {
      g_string_append (detail, " ");
      /* Translators: %s is a column name such as “LPRICE”. */
      g_string_append_printf (detail, _("No revenue: “%s” holds logarithms of prices, not prices."),
                              tc_scenario_page_known_of_kind (self, TC_COVARIATE_PRICE));
    }
  /* Dates without a change move too, because the model reads the whole
   * window around a date: say so rather than leave it a puzzle. */
  if (!no_changes)
    {
      double worst = 0;

      for (guint a = 0; a < n_ax; a++)
        {
          gboolean changed = FALSE;

          if (!(covered[a] > 0) || !(base[a] > 0))
            continue;
          for (guint i = 0; i < self->result_marks->len && !changed; i++)
            {
              const Mark *mk = &g_array_index (self->result_marks, Mark, i);

              changed = times[a] >= mk->from && times[a] <= mk->to;
            }
          if (!changed)
            worst = MAX (worst, fabs (up[a] / base[a]));
        }
      if (worst >= 0.005)
        {
          g_string_append (detail, " ");
          /* Translators: %.1f is a percentage, %s a plural time unit (“weeks”). */
          g_string_append_printf (detail, _("Dates without a change move too, by up to %.1f %%: the model reads the whole window of %s around a date, so a change shifts its neighbours a little."),
                                  100 * worst, tc_app_freq_unit_plural (ds->freq));
        }
    }
  /* The general estimate of each lever pulled, as the Evaluation page
   * shows it: this scenario's figure differs when it changes fewer
   * products or dates, or by another amount. */
  if (!no_changes && self->levers)
    {
      static const struct { TcScenarioEditKind edit; TcLeverKind lever; } map[] = {
        { TC_SCENARIO_EDIT_PROMOTION, TC_LEVER_PROMOTION },
        { TC_SCENARIO_EDIT_DISCOUNT, TC_LEVER_DISCOUNT },
        { TC_SCENARIO_EDIT_PRICE, TC_LEVER_PRICE },
        { TC_SCENARIO_EDIT_COMPETITOR, TC_LEVER_COMPETITOR },
      };

      for (guint i = 0; i < G_N_ELEMENTS (map); i++)
        {
          g_autofree char *line = NULL;

          if (!(self->result_kinds & (1u << map[i].edit)))
            continue;
          line = tc_lever_describe (tc_lever_set_find (self->levers, map[i].lever, NULL));
          if (line == NULL)
            continue;
          g_string_append (detail, "\n");
          /* Translators: %s is a sentence such as “A 10 % lower price (price): +12 % units, between +8 % and +16 % across products”. */
          g_string_append_printf (detail, _("For all products over the whole horizon, as on the Evaluation page: %s."), line);
        }
      {
        g_autofree char *mix = tc_lever_set_describe_mix (self->levers, ds->n_series);

        if (mix)
          {
            g_string_append (detail, "\n");
            g_string_append (detail, mix);
          }
      }
    }
  if (n_valid < scope->len)
    {
      g_string_append (detail, " ");
      g_string_append_printf (detail, g_dngettext (GETTEXT_PACKAGE, "%u series has no data to forecast from and is left out.",
                                                   "%u series have no data to forecast from and are left out.",
                                                   scope->len - n_valid), scope->len - n_valid);
    }
  if (n_ax > H)
    {
      g_string_append (detail, " ");
      g_string_append (detail, _("The series end on different dates: each is forecast after its own last value, "
                                 "and a date adds up the series forecast on it."));
    }
  if (self->dirty)
    {
      g_string_append (detail, " ");
      g_string_append (detail, _("You edited the changes after the last Apply: press Apply to see what they do."));
    }
  gtk_label_set_text (self->detail_label, detail->str);
  gtk_widget_set_visible (self->news_data_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->chart_view), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->table_group), TRUE);

  /* Chart: recent history, the baseline and the scenario. */
  tc_chart_clear (chart);
  n_hist = MIN (ds->n_times, MAX (2 * H, 8u));
  {
    g_autofree double *hy = g_new (double, n_hist);
    guint end = r->baseline->origin, t0 = end > n_hist ? end - n_hist : 0;

    n_hist = end - t0;
    for (guint t = 0; t < n_hist; t++)
      {
        double sum = 0;
        gboolean any = FALSE;

        for (guint i = 0; i < scope->len; i++)
          {
            double v = tc_dataset_target_row (ds, g_array_index (scope, guint, i))[t0 + t];

            if (!isnan (v))
              {
                sum += v;
                any = TRUE;
              }
          }
        hy[t] = any ? sum : NAN;
      }
    tc_chart_set_history (chart, ds->times + t0, hy, n_hist);
  }
  tc_chart_set_forecast (chart, times, base, n_ax);
  /* Bands from the outside in (80 %, then 50 % when the model has
   * P25/P75), pairing quantile i with Q - 1 - i as the Forecast page. */
  for (guint i = 0; i < 2 && i < m && Q - 1 - i > m && n_valid > 0; i++)
    {
      g_clear_pointer (&lo, g_free);
      g_clear_pointer (&hi, g_free);
      if (!single)
        {
          /* Several series: the band of their sum by the application's
           * one rule (tc-explore.h), date by date over the series
           * forecast then. */
          g_autofree double *rows = g_new (double, (gsize) scope->len * Q);  /* (members, Q) */
          g_autofree double *comb = g_new (double, Q);                        /* (Q) */

          lo = g_new (double, n_ax);
          hi = g_new (double, n_ax);
          for (guint a = 0; a < n_ax; a++)
            {
              guint n = 0;

              for (guint j = 0; j < scope->len; j++)
                {
                  guint s = g_array_index (scope, guint, j);
                  guint o = tc_forecast_series_origin (r->baseline, s);

                  if (g0 + a < o || g0 + a >= o + H)
                    continue;
                  memcpy (rows + (gsize) n * Q, r->baseline->values + ((gsize) s * H + (g0 + a - o)) * Q,
                          sizeof (double) * Q);
                  n++;
                }
              tc_explore_combine (rows, n, Q, m, sum_interval (self), comb);
              lo[a] = n > 0 ? comb[i] : NAN;
              hi[a] = n > 0 ? comb[Q - 1 - i] : NAN;
            }
        }
      else
        {
          guint s = g_array_index (scope, guint, 0);

          /* One series: its own H dates are the whole axis. */
          lo = g_new (double, H);
          hi = g_new (double, H);
          for (guint h = 0; h < H; h++)
            {
              lo[h] = r->baseline->values[((gsize) s * H + h) * Q + i];
              hi[h] = r->baseline->values[((gsize) s * H + h) * Q + Q - 1 - i];
            }
        }
      tc_chart_add_band (chart, r->baseline->quantiles[i], r->baseline->quantiles[Q - 1 - i], lo, hi);
    }
  if (!no_changes)
    tc_chart_set_comparison (chart, scen, _("Scenario"));
  for (guint i = 0; self->result_marks && i < self->result_marks->len; i++)
    {
      const Mark *mk = &g_array_index (self->result_marks, Mark, i);

      tc_chart_add_marker (chart, TC_CHART_MARKER_CHANGE, mk->from, mk->to, mk->label);
    }
  add_plan_markers (self, chart, scope);
  {
    g_autofree char *title = NULL;

    if (single)
      title = g_strdup (ds->series_ids[g_array_index (scope, guint, 0)]);
    else
      title = g_strdup (gtk_drop_down_get_selected_item (self->scope_row)
                        ? gtk_string_object_get_string (gtk_drop_down_get_selected_item (self->scope_row))
                        : _("All series"));
    tc_chart_set_title (chart, title);
    tc_chart_set_units (chart, ds->target_name);
  }
  if (single)
    {
      g_autofree char *caption = NULL;

      if (no_changes)
        caption = g_strdup_printf (_("The band is the baseline’s P%g–P%g interval: the plan as it is."),
                                   round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));
      else
        caption = g_strdup_printf (_("The band is the baseline’s P%g–P%g interval: the plan as it is. "
                                     "The dashed line is the scenario’s median; shaded days carry a change."),
                                   round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));
      gtk_label_set_text (self->caption_label, caption);
    }
  else
    {
      g_autofree char *caption = g_strdup_printf (sum_interval (self) == TC_EXPLORE_INDEPENDENT
        /* Translators: the first %u is a number of series, then P10 and P90. */
        ? g_dngettext (GETTEXT_PACKAGE,
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series varied independently (Ranges of Totals, in the main menu).",
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series varied independently (Ranges of Totals, in the main menu).",
                       n_valid)
        : g_dngettext (GETTEXT_PACKAGE,
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series moved together, the cautious reading (Ranges of Totals, in the main menu).",
                       "The lines add up the medians of %u series. The band is the baseline total’s P%g–P%g range, as if the series moved together, the cautious reading (Ranges of Totals, in the main menu).",
                       n_valid),
        n_valid, round (r->baseline->quantiles[0] * 100), round (r->baseline->quantiles[Q - 1] * 100));

      gtk_label_set_text (self->caption_label, caption);
    }

  /* The table: weeks for daily data, days for hourly, else steps. */
  tc_scenario_page_clear_table (self);
  period = ds->freq == TC_FREQ_DAILY ? 7 : ds->freq == TC_FREQ_HOURLY ? 24 : 1;
  adw_preferences_group_set_title (self->table_group,
                                   period == 7 ? _("Week by Week") : period == 24 ? _("Day by Day") : _("Step by Step"));
  table_add (self, 0, 0, period == 7 ? _("Week") : _("Date"), TRUE, FALSE);
  table_add (self, 0, 1, _("Baseline"), TRUE, TRUE);
  table_add (self, 0, 2, _("Scenario"), TRUE, TRUE);
  table_add (self, 0, 3, _("Uplift"), TRUE, TRUE);
  for (guint h0 = 0, row = 1; h0 < n_ax; h0 += period, row++)
    {
      guint h1 = MIN (n_ax, h0 + period), n_cov = 0;
      double b = 0, sc = 0, u = 0;
      g_autofree char *date = NULL, *bs = NULL, *ss = NULL, *us = NULL, *ps = NULL, *ut = NULL;

      for (guint h = h0; h < h1; h++)
        if (covered[h])
          {
            b += base[h];
            sc += scen[h];
            u += up[h];
            n_cov++;
          }
      /* Between two series' windows: no row. */
      if (n_cov == 0)
        {
          row--;
          continue;
        }
      if (period > 1 && h1 - h0 > 1)
        {
          /* Translators: a strftime-style date format (see g_date_time_format)
           * for the first and last day of a period in the scenario table, e.g. "Mar 4". */
          /* xgettext:no-c-format */
          g_autofree char *d0 = tc_scenario_page_format_date (ds->freq, times[h0], _("%b %-d"));
          /* xgettext:no-c-format */
          g_autofree char *d1 = tc_scenario_page_format_date (ds->freq, times[h1 - 1], _("%b %-d"));

          date = g_strdup_printf ("%s – %s", d0, d1);
        }
      else
        /* Translators: a strftime-style date format (see g_date_time_format)
         * for a day in the scenario table, e.g. "Mon, Mar 4". */
        /* xgettext:no-c-format */
        date = tc_scenario_page_format_date (ds->freq, times[h0], _("%a, %b %-d"));
      bs = tc_chart_format_thousands (b, 0);
      ss = tc_chart_format_thousands (sc, 0);
      us = tc_scenario_page_format_signed (u);
      ps = tc_scenario_page_format_pct (u, b);
      ut = g_strdup_printf ("%s (%s)", us, ps);
      table_add (self, row, 0, date, FALSE, FALSE);
      table_add (self, row, 1, bs, FALSE, TRUE);
      table_add (self, row, 2, ss, FALSE, TRUE);
      table_add (self, row, 3, fabs (u) < 0.5 ? "–" : ut, FALSE, TRUE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
}
