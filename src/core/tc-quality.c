/* tc-quality.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-quality"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tc-error.h"
#include "tc-quality.h"

/* The k-th smallest of @v (reordered in place), Hoare's selection. */
static double
select_kth (double *v, guint n, guint k)
{
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = v[lo + (hi - lo) / 2];
      guint i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              double tmp = v[i];

              v[i] = v[j];
              v[j] = tmp;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j && j != G_MAXUINT)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return v[k];
}

static double
median (double *v, guint n)
{
  double hi = select_kth (v, n, n / 2);
  double lo;

  if (n % 2)
    return hi;
  /* The lower middle is the largest of the elements below n/2. */
  lo = v[0];
  for (guint i = 1; i < n / 2; i++)
    lo = MAX (lo, v[i]);
  return 0.5 * (lo + hi);
}

TcQualityReport *
tc_quality_report_new (const TcDataset *ds)
{
  TcQualityReport *q = g_new0 (TcQualityReport, 1);
  g_autofree double *buf = g_new (double, MAX (ds->n_times, 1));   /* (n_times) scratch */
  g_autofree double *dev = g_new (double, MAX (ds->n_times, 1));   /* (n_times) scratch */
  guint season = tc_frequency_season (ds->freq);
  guint64 life_total = 0, missing_total = 0, obs_total = 0, zeros_total = 0;

  q->n_series = ds->n_series;
  q->n_times = ds->n_times;
  q->series = g_new0 (TcSeriesQuality, MAX (ds->n_series, 1));
  q->min_length = ds->n_series ? G_MAXUINT : 0;
  for (guint s = 0; s < ds->n_series; s++)
    {
      TcSeriesQuality *sq = &q->series[s];
      const double *y = tc_dataset_target_row (ds, s);
      guint a = ds->start[s], b = ds->end[s], n = 0, zeros = 0;

      sq->id = ds->series_ids[s];
      sq->length = b > a ? b - a : 0;
      for (guint t = a; t < b; t++)
        if (!isnan (y[t]))
          {
            buf[n++] = y[t];
            zeros += y[t] == 0;
            sq->n_negative += y[t] < 0;
          }
      sq->n_observed = n;
      sq->empty = n == 0;
      if (n > 0)
        {
          double med, mad;

          sq->first_time = ds->times[a];
          sq->last_time = ds->times[b - 1];
          sq->missing_pct = 100.0 * (sq->length - n) / sq->length;
          sq->zeros_pct = 100.0 * zeros / n;
          sq->constant = TRUE;
          for (guint i = 1; i < n && sq->constant; i++)
            sq->constant = buf[i] == buf[0];
          med = median (buf, n);
          for (guint i = 0; i < n; i++)
            dev[i] = fabs (buf[i] - med);
          mad = median (dev, n);
          if (mad > 0)
            for (guint i = 0; i < n; i++)
              sq->n_outliers += fabs (0.6745 * (buf[i] - med) / mad) > 3.5;
        }
      sq->is_short = n < 2 * season;
      q->n_with_missing += sq->length > n;
      q->n_with_negatives += sq->n_negative > 0;
      q->n_with_outliers += sq->n_outliers > 0;
      q->n_constant += sq->constant;
      q->n_short += sq->is_short;
      q->n_empty += sq->empty;
      q->min_length = MIN (q->min_length, sq->length);
      q->max_length = MAX (q->max_length, sq->length);
      life_total += sq->length;
      missing_total += sq->length - n;
      obs_total += n;
      zeros_total += zeros;
    }
  q->missing_pct = life_total ? 100.0 * missing_total / life_total : 0;
  q->zeros_pct = obs_total ? 100.0 * zeros_total / obs_total : 0;
  return q;
}

void
tc_quality_report_free (TcQualityReport *q)
{
  if (q == NULL)
    return;
  g_free (q->series);
  g_free (q);
}

JsonNode *
tc_quality_report_to_json (const TcQualityReport *q,
                           const TcDataset       *ds)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
#define INT(name, v) json_builder_set_member_name (b, name); json_builder_add_int_value (b, v)
#define DBL(name, v) json_builder_set_member_name (b, name); json_builder_add_double_value (b, v)
#define BOOL(name, v) json_builder_set_member_name (b, name); json_builder_add_boolean_value (b, v)
  INT ("series", q->n_series);
  INT ("times", q->n_times);
  INT ("min_length", q->min_length);
  INT ("max_length", q->max_length);
  DBL ("missing_pct", q->missing_pct);
  DBL ("zeros_pct", q->zeros_pct);
  INT ("with_missing", q->n_with_missing);
  INT ("with_negatives", q->n_with_negatives);
  INT ("with_outliers", q->n_with_outliers);
  INT ("constant", q->n_constant);
  INT ("short", q->n_short);
  INT ("empty", q->n_empty);
  json_builder_set_member_name (b, "per_series");
  json_builder_begin_array (b);
  for (guint s = 0; s < q->n_series; s++)
    {
      const TcSeriesQuality *sq = &q->series[s];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, sq->id ? sq->id : "");
      INT ("length", sq->length);
      INT ("observed", sq->n_observed);
      if (!sq->empty)
        {
          g_autofree char *a = tc_frequency_format_time (ds->freq, sq->first_time);
          g_autofree char *z = tc_frequency_format_time (ds->freq, sq->last_time);

          json_builder_set_member_name (b, "first_date");
          json_builder_add_string_value (b, a);
          json_builder_set_member_name (b, "last_date");
          json_builder_add_string_value (b, z);
        }
      DBL ("missing_pct", sq->missing_pct);
      DBL ("zeros_pct", sq->zeros_pct);
      INT ("negatives", sq->n_negative);
      INT ("outliers", sq->n_outliers);
      BOOL ("constant", sq->constant);
      BOOL ("short", sq->is_short);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef INT
#undef DBL
#undef BOOL
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
put_indent (GString *o, guint depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (o, "  ");
}

static void
put_json_string (GString *o, const char *s)
{
  g_string_append_c (o, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (o, '\\');
          g_string_append_c (o, c);
        }
      else if (c == '\n')
        g_string_append (o, "\\n");
      else if (c == '\t')
        g_string_append (o, "\\t");
      else if (c < 0x20)
        g_string_append_printf (o, "\\u%04x", c);
      else
        g_string_append_c (o, c);
    }
  g_string_append_c (o, '"');
}

/* Members of one object, each on its own line after the first. */
static void
put_member (GString *o, guint depth, gboolean *first, const char *name)
{
  g_string_append (o, *first ? "\n" : ",\n");
  *first = FALSE;
  put_indent (o, depth);
  put_json_string (o, name);
  g_string_append (o, " : ");
}

static void
put_double (GString *o, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (o, "null");   /* JSON has no NaN */
      return;
    }
  /* The shortest text that reads back as the same double. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  g_string_append (o, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (o, ".0");
}

gboolean
tc_quality_report_write_json (const TcQualityReport *q,
                              const TcDataset       *ds,
                              guint                  depth,
                              FILE                  *out)
{
  g_autoptr (GString) o = g_string_sized_new (64 * 1024);
  gboolean first = TRUE;

#define INT(name, v) G_STMT_START { put_member (o, d, &first, name); g_string_append_printf (o, "%" G_GINT64_FORMAT, (gint64) (v)); } G_STMT_END
#define DBL(name, v) G_STMT_START { put_member (o, d, &first, name); put_double (o, v); } G_STMT_END
#define BOOL(name, v) G_STMT_START { put_member (o, d, &first, name); g_string_append (o, (v) ? "true" : "false"); } G_STMT_END
  {
    guint d = depth + 1;

    g_string_append_c (o, '{');
    INT ("series", q->n_series);
    INT ("times", q->n_times);
    INT ("min_length", q->min_length);
    INT ("max_length", q->max_length);
    DBL ("missing_pct", q->missing_pct);
    DBL ("zeros_pct", q->zeros_pct);
    INT ("with_missing", q->n_with_missing);
    INT ("with_negatives", q->n_with_negatives);
    INT ("with_outliers", q->n_with_outliers);
    INT ("constant", q->n_constant);
    INT ("short", q->n_short);
    INT ("empty", q->n_empty);
    put_member (o, d, &first, "per_series");
    g_string_append_c (o, '[');
  }
  for (guint s = 0; s < q->n_series; s++)
    {
      const TcSeriesQuality *sq = &q->series[s];
      guint d = depth + 3;

      g_string_append (o, s > 0 ? ",\n" : "\n");
      put_indent (o, depth + 2);
      g_string_append_c (o, '{');
      first = TRUE;
      put_member (o, d, &first, "id");
      put_json_string (o, sq->id ? sq->id : "");
      INT ("length", sq->length);
      INT ("observed", sq->n_observed);
      if (!sq->empty)
        {
          g_autofree char *a = tc_frequency_format_time (ds->freq, sq->first_time);
          g_autofree char *z = tc_frequency_format_time (ds->freq, sq->last_time);

          put_member (o, d, &first, "first_date");
          put_json_string (o, a);
          put_member (o, d, &first, "last_date");
          put_json_string (o, z);
        }
      DBL ("missing_pct", sq->missing_pct);
      DBL ("zeros_pct", sq->zeros_pct);
      INT ("negatives", sq->n_negative);
      INT ("outliers", sq->n_outliers);
      BOOL ("constant", sq->constant);
      BOOL ("short", sq->is_short);
      g_string_append_c (o, '\n');
      put_indent (o, depth + 2);
      g_string_append_c (o, '}');
      /* Out in pieces: the whole text of a million series is 300 MB. */
      if (o->len >= 60 * 1024)
        {
          if (fwrite (o->str, 1, o->len, out) != o->len)
            return FALSE;
          g_string_truncate (o, 0);
        }
    }
#undef INT
#undef DBL
#undef BOOL
  g_string_append_c (o, '\n');
  put_indent (o, depth + 1);
  g_string_append (o, "]\n");
  put_indent (o, depth);
  g_string_append_c (o, '}');
  return fwrite (o->str, 1, o->len, out) == o->len && !ferror (out);
}

TcDataset *
tc_dataset_aggregate (const TcDataset *ds,
                      const char      *level,
                      GError         **error)
{
  g_autoptr (GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree guint *member_group = g_new0 (guint, MAX (ds->n_series, 1));
  g_autofree double *weight = NULL;   /* (n_groups, n_times) */
  g_autofree double *count = NULL;    /* (n_groups, n_times) */
  int lvl = -1;
  gboolean total = level == NULL || g_ascii_strcasecmp (level, "total") == 0;
  TcDataset *r;
  guint ng, nt = ds->n_times;

  if (!total)
    {
      for (guint k = 0; k < ds->n_static; k++)
        if (strcmp (ds->static_names[k], level) == 0)
          lvl = k;
      if (lvl < 0)
        {
          g_autofree char *all = g_strjoinv ("”, “", ds->static_names);

          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       "aggregation level: found “%s”, expected “total” or a static attribute (“%s”)",
                       level, all);
          return NULL;
        }
    }
  for (guint s = 0; s < ds->n_series; s++)
    {
      const char *key = total ? "total" : ds->static_values[(gsize) s * ds->n_static + lvl];
      gpointer v;

      if (key == NULL)
        key = "";
      if (!g_hash_table_lookup_extended (groups, key, NULL, &v))
        {
          g_ptr_array_add (names, (gpointer) key);
          v = GUINT_TO_POINTER (names->len);
          g_hash_table_insert (groups, (gpointer) key, v);
        }
      member_group[s] = GPOINTER_TO_UINT (v) - 1;
    }
  ng = names->len;
  r = tc_dataset_new (ds->freq, ng, nt, ds->n_known, ds->n_observed, total ? 0 : 1, FALSE);
  r->source = g_strdup (ds->source);
  r->week_start = ds->week_start;
  memcpy (r->times, ds->times, sizeof (gint64) * nt);
  r->target_name = g_strdup (ds->target_name);
  for (guint g = 0; g < ng; g++)
    {
      r->series_ids[g] = g_strdup (names->pdata[g]);
      if (!total)
        r->static_values[g] = g_strdup (names->pdata[g]);
    }
  if (!total)
    r->static_names[0] = g_strdup (level);
  for (guint k = 0; k < ds->n_known; k++)
    {
      r->known_names[k] = g_strdup (ds->known_names[k]);
      r->known_kinds[k] = ds->known_kinds[k];
    }
  for (guint k = 0; k < ds->n_observed; k++)
    r->observed_names[k] = g_strdup (ds->observed_names[k]);

  /* Sums: NaN + x = x, so a group is missing only when all members are. */
  for (guint s = 0; s < ds->n_series; s++)
    {
      guint g = member_group[s];
      const double *y = tc_dataset_target_row (ds, s);
      double *dst = tc_dataset_target_row (r, g);

      for (guint t = 0; t < nt; t++)
        if (!isnan (y[t]))
          dst[t] = isnan (dst[t]) ? y[t] : dst[t] + y[t];
      for (guint k = 0; k < ds->n_observed; k++)
        {
          const double *x = tc_dataset_observed_row (ds, k, s);
          double *o = tc_dataset_observed_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            if (!isnan (x[t]))
              o[t] = isnan (o[t]) ? x[t] : o[t] + x[t];
        }
    }
  /* Means of the known covariates; prices weighted by the target. */
  weight = g_new (double, (gsize) ng * nt);
  count = g_new (double, (gsize) ng * nt);
  for (guint k = 0; k < ds->n_known; k++)
    {
      gboolean price = ds->known_kinds[k] == TC_COVARIATE_PRICE;

      memset (weight, 0, sizeof (double) * ng * nt);
      memset (count, 0, sizeof (double) * ng * nt);
      for (guint g = 0; g < ng; g++)
        {
          double *o = tc_dataset_known_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            o[t] = 0;
        }
      /* Pass 1: target-weighted sums for prices (weight > 0 only). */
      for (guint s = 0; s < ds->n_series && price; s++)
        {
          guint g = member_group[s];
          const double *x = tc_dataset_known_row (ds, k, s);
          const double *y = tc_dataset_target_row (ds, s);
          double *o = tc_dataset_known_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            if (!isnan (x[t]) && !isnan (y[t]) && y[t] > 0)
              {
                o[t] += x[t] * y[t];
                weight[(gsize) g * nt + t] += y[t];
              }
        }
      /* Pass 2: plain means where no weight exists. */
      for (guint s = 0; s < ds->n_series; s++)
        {
          guint g = member_group[s];
          const double *x = tc_dataset_known_row (ds, k, s);

          for (guint t = 0; t < nt; t++)
            if (!isnan (x[t]) && weight[(gsize) g * nt + t] == 0)
              count[(gsize) g * nt + t] += 1;
        }
      for (guint g = 0; g < ng; g++)
        {
          double *o = tc_dataset_known_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            {
              gsize i = (gsize) g * nt + t;

              if (weight[i] > 0)
                o[t] /= weight[i];
              else
                o[t] = 0;
            }
        }
      for (guint s = 0; s < ds->n_series; s++)
        {
          guint g = member_group[s];
          const double *x = tc_dataset_known_row (ds, k, s);
          double *o = tc_dataset_known_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            {
              gsize i = (gsize) g * nt + t;

              if (!isnan (x[t]) && weight[i] == 0)
                o[t] += x[t] / count[i];
            }
        }
      for (guint g = 0; g < ng; g++)
        {
          double *o = tc_dataset_known_row (r, k, g);

          for (guint t = 0; t < nt; t++)
            {
              gsize i = (gsize) g * nt + t;

              if (weight[i] == 0 && count[i] == 0)
                o[t] = NAN;
            }
        }
    }
  tc_dataset_update_bounds (r);
  return r;
}
