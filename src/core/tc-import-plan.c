/* tc-import-plan.c — the plan: what every column of the file becomes in the dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-import-private.h"
#include "tc-tsan.h"

gboolean
tc_import_make_plan (Ctx *c, GError **error)
{
  const TcImportOptions *o = c->opts;
  guint n = c->n_cols;
  TcColumnRole *role = g_newa (TcColumnRole, n);
  TcCovariateKind *kind = g_newa (TcCovariateKind, n);
  gboolean *user = g_newa (gboolean, n);
  int target = -1, ni = 0;
  gboolean user_ids = o->series_cols && o->series_cols[0];
  TcImportFormat format = o->format;

  for (guint j = 0; j < n; j++)
    tc_import_infer_column (c, j);

  c->plan = g_new0 (ColPlan, n);
  c->id_cols = g_array_new (FALSE, FALSE, sizeof (guint));
  c->known_names = g_ptr_array_new_with_free_func (g_free);
  c->observed_names = g_ptr_array_new_with_free_func (g_free);
  c->static_names = g_ptr_array_new_with_free_func (g_free);
  c->known_kinds = g_array_new (FALSE, FALSE, sizeof (TcCovariateKind));
  c->date_col = -1;
  c->text_col = -1;

  /* 1. Every name the user gave must exist. */
  {
    const char *singles[] = { o->date_col, o->target_col, o->text_col };
    char **lists[] = { o->series_cols, o->known_cols, o->observed_cols, o->static_cols };

    for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
      if (singles[i] && tc_import_find_col (c, singles[i], error) < 0)
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      for (guint k = 0; lists[i] && lists[i][k]; k++)
        if (tc_import_find_col (c, lists[i][k], error) < 0)
          return FALSE;
  }

  /* 2. Suggestions from names, checked against the types, then overrides. */
  for (guint j = 0; j < n; j++)
    {
      TcColumnInfo *ci = c->cols[j];
      const char *nm = c->names[j];

      role[j] = tc_suggest_role (nm, &kind[j]);
      user[j] = TRUE;
      if (o->date_col && g_ascii_strcasecmp (o->date_col, nm) == 0)
        role[j] = TC_ROLE_DATE;
      else if (tc_import_in_strv (o->series_cols, nm))
        role[j] = TC_ROLE_SERIES_ID;
      else if (o->target_col && g_ascii_strcasecmp (o->target_col, nm) == 0)
        role[j] = TC_ROLE_TARGET;
      else if (tc_import_in_strv (o->known_cols, nm))
        {
          if (role[j] != TC_ROLE_KNOWN)
            kind[j] = TC_COVARIATE_OTHER;
          role[j] = TC_ROLE_KNOWN;
        }
      else if (tc_import_in_strv (o->observed_cols, nm))
        role[j] = TC_ROLE_OBSERVED;
      else if (tc_import_in_strv (o->static_cols, nm))
        role[j] = TC_ROLE_STATIC;
      else if (o->text_col && g_ascii_strcasecmp (o->text_col, nm) == 0)
        role[j] = TC_ROLE_TEXT;
      else if (tc_import_in_strv (o->ignore_cols, nm))
        role[j] = TC_ROLE_IGNORE;
      else
        {
          user[j] = FALSE;
          /* A suggestion the user replaced elsewhere, or one the data contradicts. */
          if ((role[j] == TC_ROLE_DATE && (o->date_col || (ci->type != TC_COLUMN_DATE && ci->type != TC_COLUMN_PERIOD)))
              || (role[j] == TC_ROLE_TARGET && o->target_col)
              || (role[j] == TC_ROLE_TEXT && o->text_col))
            role[j] = TC_ROLE_IGNORE;
          else if (role[j] == TC_ROLE_SERIES_ID && user_ids)
            role[j] = TC_ROLE_STATIC;
          else if (role[j] == TC_ROLE_KNOWN && kind[j] == TC_COVARIATE_HOLIDAY
                   && ci->type == TC_COLUMN_CATEGORY)
            ;  /* holiday names: one 0/1 covariate per holiday */
          else if ((role[j] == TC_ROLE_KNOWN || role[j] == TC_ROLE_OBSERVED || role[j] == TC_ROLE_TARGET)
                   && !tc_import_is_numeric_type (ci->type))
            role[j] = ci->type == TC_COLUMN_CATEGORY ? TC_ROLE_STATIC : TC_ROLE_IGNORE;
          /* The data outweighs the name: "review_date" holds dates, "review_score" numbers. */
          if (ci->type == TC_COLUMN_DATE && !o->date_col)
            role[j] = TC_ROLE_DATE;
          else if (role[j] == TC_ROLE_TEXT && tc_import_is_numeric_type (ci->type))
            role[j] = TC_ROLE_OBSERVED;
        }
      ci->role_from_user = user[j];
    }

  /* 3. One date column: the first. */
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_DATE)
      {
        if (c->date_col < 0)
          c->date_col = j;
        else
          role[j] = c->cols[j]->type == TC_COLUMN_CATEGORY ? TC_ROLE_STATIC : TC_ROLE_IGNORE;
      }
  if (c->date_col >= 0)
    {
      TcColumnInfo *ci = c->cols[c->date_col];

      if (ci->type == TC_COLUMN_NUMBER || ci->type == TC_COLUMN_PERIOD)
        ci->type = TC_COLUMN_PERIOD;
      else if (ci->type != TC_COLUMN_DATE)
        {
          char **first = NULL;

          for (guint i = 0; i < c->sample->len && first == NULL; i++)
            {
              char **row = c->sample->pdata[i];

              if (row[c->date_col] && !tc_is_missing (row[c->date_col], strlen (row[c->date_col])))
                first = row;
            }
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, c->date_col + 1, ci->name,
                           _("found values like “%s”, expected dates (YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY, YYYY-Www …) or period numbers"),
                           first ? first[c->date_col] : "");
          return FALSE;
        }
      c->date_is_period = ci->type == TC_COLUMN_PERIOD;
    }

  /* 3b. No id column named as such (a "brand" or "product" column in a
   * long file): when dates repeat in the sample, the category column with
   * the most values that makes (value, date) unique is the series id. */
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_SERIES_ID)
      ni++;
  if (ni == 0 && !user_ids && c->date_col >= 0 && format != TC_FORMAT_WIDE)
    tc_import_pick_series_column (c, role, user);

  /* 4. The format. */
  ni = 0;
  for (guint j = 0; j < n; j++)
    if (role[j] == TC_ROLE_SERIES_ID)
      ni++;
  if (format == TC_FORMAT_AUTO)
    {
      guint n_num_free = 0, n_target = 0;

      for (guint j = 0; j < n; j++)
        {
          if (role[j] == TC_ROLE_TARGET)
            n_target++;
          if (tc_import_is_numeric_type (c->cols[j]->type) && role[j] == TC_ROLE_IGNORE)
            n_num_free++;
        }
      if (c->date_col < 0)
        {
          guint n_num = 0;

          for (guint j = 1; j < n; j++)
            n_num += tc_import_is_numeric_type (c->cols[j]->type) || c->cols[j]->type == TC_COLUMN_EMPTY;
          if (n >= 3 && n_num + 1 == n && !tc_import_is_numeric_type (c->cols[0]->type))
            format = TC_FORMAT_WIDE;
          else
            {
              g_autofree char *all = tc_import_column_list (c);

              tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                               _("found no date column among %s, expected one with dates (name it with --date-col), or a row per series (--format wide)"),
                               all);
              return FALSE;
            }
        }
      else if (ni == 0 && !o->target_col && (n_target == 0 || n_num_free + n_target >= 2))
        {
          /* "date, A, B, C" or "WEEK, MOVE1, MOVE2, …": the columns are series. */
          guint stubbed = 0;

          for (guint j = 0; j < n; j++)
            {
              g_autofree char *stub = NULL, *suf = NULL;

              if ((int) j != c->date_col && tc_import_is_numeric_type (c->cols[j]->type) && tc_import_split_stub (c->names[j], &stub, &suf))
                stubbed++;
            }
          format = (n_target == 0 && n_num_free >= 2) || stubbed >= 2 ? TC_FORMAT_WIDE : TC_FORMAT_LONG;
        }
      else
        format = TC_FORMAT_LONG;
    }
  c->report->format = format;

  for (guint j = 0; j < n; j++)
    {
      c->plan[j].slot = -1;
      c->plan[j].static_idx = -1;
      c->plan[j].series = -1;
    }

  if (format == TC_FORMAT_WIDE && c->date_col < 0)
    {
      /* (b) A row per series: leading non-numeric columns are the id, the rest values. */
      if (tc_import_is_numeric_type (c->cols[0]->type) && !user_ids)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 1, c->names[0],
                           _("found numbers, expected series ids for a row per series (a column per series needs a date column)"));
          return FALSE;
        }
      c->wide_b = TRUE;
      for (guint j = 0; j < n; j++)
        {
          if (role[j] == TC_ROLE_SERIES_ID || (j == 0 && c->id_cols->len == 0)
              || (c->id_cols->len == j && !tc_import_is_numeric_type (c->cols[j]->type) && c->cols[j]->type != TC_COLUMN_EMPTY))
            {
              g_array_append_val (c->id_cols, j);
              role[j] = TC_ROLE_SERIES_ID;
            }
          else
            role[j] = TC_ROLE_TARGET;
        }
      c->target_name = g_strdup (o->target_col ? o->target_col : "value");
    }
  else if (format == TC_FORMAT_WIDE)
    {
      /* (a) A date column and series in columns, maybe grouped by stub:
       * MOVE1..7, LPRICE1..7 are seven series with a target and a price. */
      g_autoptr (GHashTable) stubs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GPtrArray) stub_order = g_ptr_array_new_with_free_func (g_free);
      const char *target_stub = NULL;
      guint max_group = 0;
      g_autoptr (GHashTable) suffix_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      c->wide_series = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < n; j++)
        {
          g_autofree char *stub = NULL, *suf = NULL;

          if ((int) j == c->date_col || !tc_import_is_numeric_type (c->cols[j]->type) || user[j])
            continue;
          if (tc_import_split_stub (c->names[j], &stub, &suf))
            {
              guint cnt = GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub)) + 1;

              if (cnt == 1)
                g_ptr_array_add (stub_order, g_strdup (stub));
              g_hash_table_replace (stubs, g_strdup (stub), GUINT_TO_POINTER (cnt));
              max_group = MAX (max_group, cnt);
            }
        }
      /* Stub groups only when there are several of them; else every column is a series. */
      if (stub_order->len < 2 || max_group < 2)
        max_group = 0;
      for (guint k = 0; k < stub_order->len && max_group; k++)
        {
          const char *s = stub_order->pdata[k];

          if (GPOINTER_TO_UINT (g_hash_table_lookup (stubs, s)) >= 2 && target_stub == NULL
              && (tc_suggest_role (s, NULL) == TC_ROLE_TARGET || (o->target_col && g_ascii_strcasecmp (s, o->target_col) == 0)))
            target_stub = s;
        }
      if (max_group && target_stub == NULL)
        for (guint k = 0; k < stub_order->len && target_stub == NULL; k++)
          if (GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub_order->pdata[k])) >= 2)
            target_stub = stub_order->pdata[k];
      if (max_group)
        c->target_name = g_strdup (target_stub);
      else
        c->target_name = g_strdup (o->target_col ? o->target_col : "value");

      for (guint j = 0; j < n; j++)
        {
          g_autofree char *stub = NULL, *suf = NULL;
          gboolean grouped;

          if ((int) j == c->date_col)
            continue;
          if (user[j] && role[j] != TC_ROLE_TARGET)
            continue;
          if (!tc_import_is_numeric_type (c->cols[j]->type))
            {
              if (role[j] != TC_ROLE_STATIC)
                role[j] = TC_ROLE_IGNORE;
              if (role[j] == TC_ROLE_STATIC)
                role[j] = TC_ROLE_IGNORE;
              continue;
            }
          grouped = max_group && tc_import_split_stub (c->names[j], &stub, &suf)
                    && GPOINTER_TO_UINT (g_hash_table_lookup (stubs, stub)) >= 2;
          if (grouped)
            {
              int s;
              TcCovariateKind kd;
              TcColumnRole r = tc_suggest_role (stub, &kd);

              if (!g_hash_table_contains (suffix_index, suf))
                {
                  g_hash_table_insert (suffix_index, g_strdup (suf), GINT_TO_POINTER (c->wide_series->len));
                  g_ptr_array_add (c->wide_series, g_strdup (suf));
                }
              s = GPOINTER_TO_INT (g_hash_table_lookup (suffix_index, suf));
              if (strcmp (stub, target_stub) == 0)
                {
                  role[j] = TC_ROLE_TARGET;
                  tc_import_add_var (c, j, VAR_TARGET, 0, stub, s);
                }
              else if (r == TC_ROLE_KNOWN)
                {
                  role[j] = TC_ROLE_KNOWN;
                  kind[j] = kd;
                  tc_import_add_var (c, j, VAR_KNOWN, kd, stub, s);
                }
              else
                {
                  role[j] = TC_ROLE_OBSERVED;
                  tc_import_add_var (c, j, VAR_OBSERVED, 0, stub, s);
                }
            }
          else if (max_group)
            {
              /* FULLCUST next to MOVE1..7: one covariate shared by all series. */
              if (role[j] == TC_ROLE_KNOWN)
                tc_import_add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -2);
              else
                {
                  role[j] = TC_ROLE_OBSERVED;
                  tc_import_add_var (c, j, VAR_OBSERVED, 0, c->names[j], -2);
                }
            }
          else
            {
              role[j] = TC_ROLE_TARGET;
              tc_import_add_var (c, j, VAR_TARGET, 0, c->target_name, c->wide_series->len);
              g_ptr_array_add (c->wide_series, g_strdup (c->names[j]));
            }
        }
      for (guint j = 0; j < n; j++)
        if ((int) j != c->date_col && c->plan[j].slot < 0)
          {
            if (role[j] == TC_ROLE_KNOWN && tc_import_is_numeric_type (c->cols[j]->type))
              tc_import_add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -2);
            else if (role[j] == TC_ROLE_OBSERVED && tc_import_is_numeric_type (c->cols[j]->type))
              tc_import_add_var (c, j, VAR_OBSERVED, 0, c->names[j], -2);
            else
              role[j] = TC_ROLE_IGNORE;
          }
      if (c->wide_series->len == 0)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           _("found no numeric column besides the date, expected a column per series"));
          return FALSE;
        }
    }
  else
    {
      /* Long format. */
      for (guint j = 0; j < n; j++)
        if (role[j] == TC_ROLE_TARGET)
          {
            if (target < 0)
              target = j;
            else
              role[j] = TC_ROLE_OBSERVED;
          }
      if (target < 0)
        for (guint j = 0; j < n && target < 0; j++)
          if (role[j] == TC_ROLE_IGNORE && c->cols[j]->type == TC_COLUMN_NUMBER)
            {
              target = j;
              role[j] = TC_ROLE_TARGET;
              tc_import_warn (c, _("no column is named like sales or units; “%s” is taken as the target"), c->names[j]);
            }
      if (target < 0)
        {
          g_autofree char *all = tc_import_column_list (c);

          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           _("found no numeric column to forecast among %s, expected one (name it with --target-col)"),
                           all);
          return FALSE;
        }
      if (!tc_import_is_numeric_type (c->cols[target]->type) && c->cols[target]->type != TC_COLUMN_EMPTY)
        {
          const char *bad = NULL;
          guint64 line = 0;

          for (guint i = 0; i < c->sample->len && !bad; i++)
            {
              const char *v = ((char **) c->sample->pdata[i])[target];
              double x;

              if (v && !tc_is_missing (v, strlen (v)) && !tc_parse_number (v, strlen (v), &c->cols[target]->numfmt, &x))
                {
                  bad = v;
                  line = g_array_index (c->sample_lines, guint64, i);
                }
            }
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, line, target + 1, c->names[target],
                           _("found “%s”, expected a number (the target)"),
                           bad ? bad : "");
          return FALSE;
        }
      tc_import_add_var (c, target, VAR_TARGET, 0, c->names[target], -1);
      for (guint j = 0; j < n; j++)
        {
          TcColumnType t = c->cols[j]->type;

          if ((int) j == target || (int) j == c->date_col)
            continue;
          switch (role[j])
            {
            case TC_ROLE_SERIES_ID:
              g_array_append_val (c->id_cols, j);
              break;
            case TC_ROLE_KNOWN:
              if (t == TC_COLUMN_CATEGORY)
                {
                  if (c->cat_ht == NULL)
                    {
                      c->cat_ht = g_new0 (GHashTable *, n);
                      c->cat_levels = g_new0 (GPtrArray *, n);
                    }
                  c->cat_ht[j] = g_hash_table_new (g_str_hash, g_str_equal);
                  c->cat_levels[j] = g_ptr_array_new ();
                  tc_import_add_var (c, j, VAR_KNOWN, kind[j], c->names[j], -1);
                  break;
                }
              G_GNUC_FALLTHROUGH;
            case TC_ROLE_OBSERVED:
              if (!tc_import_is_numeric_type (t) && t != TC_COLUMN_EMPTY)
                {
                  /* TRANSLATORS: the first %s is a column type (text, date …),
                   * the second “known” or “observed” (translated below). */
                  tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, j + 1, c->names[j],
                                   _("found %s values, expected numbers for a %s covariate"),
                                   tc_column_type_to_string (t), role[j] == TC_ROLE_KNOWN ? C_("covariate", "known") : C_("covariate", "observed"));
                  return FALSE;
                }
              tc_import_add_var (c, j, role[j] == TC_ROLE_KNOWN ? VAR_KNOWN : VAR_OBSERVED, kind[j], c->names[j], -1);
              break;
            case TC_ROLE_TEXT:
              if (c->text_col < 0)
                c->text_col = j;
              else
                role[j] = TC_ROLE_IGNORE;
              break;
            case TC_ROLE_STATIC:
              c->plan[j].static_idx = c->static_names->len;
              g_ptr_array_add (c->static_names, g_strdup (c->names[j]));
              break;
            case TC_ROLE_IGNORE:
              if (user[j])
                break;  /* left out on purpose */
              if (t == TC_COLUMN_NUMBER || t == TC_COLUMN_BOOLEAN)
                {
                  role[j] = TC_ROLE_OBSERVED;
                  tc_import_add_var (c, j, VAR_OBSERVED, 0, c->names[j], -1);
                }
              else if (t == TC_COLUMN_CATEGORY)
                {
                  role[j] = TC_ROLE_STATIC;
                  c->plan[j].static_idx = c->static_names->len;
                  g_ptr_array_add (c->static_names, g_strdup (c->names[j]));
                }
              break;
            case TC_ROLE_DATE:
            case TC_ROLE_TARGET:
            default:
              role[j] = TC_ROLE_IGNORE;
              break;
            }
        }
      if (c->date_col < 0)
        {
          tc_set_error_at (error, TC_ERROR_SCHEMA, c->base, 0, 0, NULL,
                           _("found no date column, expected one for the long format (name it with --date-col)"));
          return FALSE;
        }
    }

  for (guint j = 0; j < n; j++)
    {
      c->cols[j]->role = role[j];
      c->cols[j]->kind = role[j] == TC_ROLE_KNOWN ? kind[j] : TC_COVARIATE_OTHER;
      if (role[j] == TC_ROLE_DATE || role[j] == TC_ROLE_SERIES_ID || role[j] == TC_ROLE_STATIC
          || role[j] == TC_ROLE_TEXT || role[j] == TC_ROLE_IGNORE)
        {
          g_free (c->cols[j]->format);
          c->cols[j]->format = NULL;
        }
    }
  tc_import_refine_price_kinds (c);
  c->n_known = c->known_names->len;
  c->n_observed = c->observed_names->len;
  c->n_static = c->static_names->len;
  c->slots = g_new0 (SlotMap, MAX (c->n_slots, 1));
  for (guint j = 0; j < n; j++)
    if (c->plan[j].slot >= 0)
      {
        SlotMap *m = &c->slots[c->plan[j].slot];

        m->var = c->plan[j].var;
        m->var_index = c->plan[j].var_index;
        m->series = c->plan[j].series;
      }
  c->tmp = g_new0 (double, MAX (c->n_slots, 1));
  return TRUE;
}
