/* tc-cli-pipeline.c — what train, forecast and scenario share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-cli-pipeline"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-cli.h"
#include "tc-cli-pipeline.h"
#include "tc-csv.h"
#include "tc-error.h"
#include "tc-project.h"

GOptionGroup *
tc_cli_role_option_group (TcCliRoleArgs *a)
{
  GOptionEntry entries[] = {
    { "date-col", 0, 0, G_OPTION_ARG_STRING, &a->date_col, N_("Date column"), "COL" },
    { "series-col", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->series_cols, N_("Series id column(s), comma-separated for a composite key"), "C[,C]" },
    { "target-col", 0, 0, G_OPTION_ARG_STRING, &a->target_col, N_("Target column (what to forecast)"), "COL" },
    { "known", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->known_cols, N_("Covariates known in the future (promotion, price …)"), "C,.." },
    { "observed", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->observed_cols, N_("Covariates only known in the past"), "C,.." },
    { "static", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->static_cols, N_("Per-series attributes (category, brand)"), "C,.." },
    { "text-col", 0, 0, G_OPTION_ARG_STRING, &a->text_col, N_("Review text column"), "COL" },
    { "ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->ignore_cols, N_("Columns to leave out"), "C,.." },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a->format, N_("long or wide (default: detect)"), "long|wide" },
    { "freq", 0, 0, G_OPTION_ARG_STRING, &a->freq, N_("Frequency: hourly, daily, weekly, monthly, quarterly, yearly"), "FREQ" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &a->start, N_("First date of files without dates"), "DATE" },
    { "day-first", 0, 0, G_OPTION_ARG_NONE, &a->day_first, N_("Read 05/01/2024 as 5 January"), NULL },
    { "month-first", 0, 0, G_OPTION_ARG_NONE, &a->month_first, N_("Read 05/01/2024 as 1 May"), NULL },
    { "skip-bad-rows", 0, 0, G_OPTION_ARG_NONE, &a->skip_bad_rows, N_("Skip malformed rows"), NULL },
    { "missing", 0, 0, G_OPTION_ARG_STRING, &a->missing, N_("Dates without a row: keep (missing), zero, interpolate"), "POLICY" },
    { "duplicates", 0, 0, G_OPTION_ARG_STRING, &a->duplicates, N_("Repeated (series, date): error or sum"), "POLICY" },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &a->delimiter, N_("Field delimiter (default: detect)"), "CHAR" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &a->encoding, N_("Text encoding (default: detect)"), "NAME" },
    { "news", 0, 0, G_OPTION_ARG_FILENAME, &a->news, N_("Dated market news / events CSV, joined by period (and category) and read with the review text"), "FILE" },
    { "news-date-col", 0, 0, G_OPTION_ARG_STRING, &a->news_date_col, N_("Date column of the news file (default: detect)"), "COL" },
    { "news-text-col", 0, 0, G_OPTION_ARG_STRING, &a->news_text_col, N_("Headline column of the news file (default: detect)"), "COL" },
    { "news-category-col", 0, 0, G_OPTION_ARG_STRING, &a->news_category_col, N_("Category column of the news file (default: detect; none = every series)"), "COL" },
    { NULL },
  };
  GOptionGroup *g = g_option_group_new ("columns", _("Column roles and import"), _("Show the column-role options"), NULL, NULL);

  g_option_group_add_entries (g, entries);
  g_option_group_set_translation_domain (g, GETTEXT_PACKAGE);
  return g;
}

void
tc_cli_role_args_clear (TcCliRoleArgs *a)
{
  g_free (a->date_col);
  g_free (a->target_col);
  g_free (a->text_col);
  g_free (a->freq);
  g_free (a->missing);
  g_free (a->duplicates);
  g_free (a->delimiter);
  g_free (a->encoding);
  g_free (a->format);
  g_free (a->start);
  g_free (a->news);
  g_free (a->news_date_col);
  g_free (a->news_text_col);
  g_free (a->news_category_col);
  g_strfreev (a->series_cols);
  g_strfreev (a->known_cols);
  g_strfreev (a->observed_cols);
  g_strfreev (a->static_cols);
  g_strfreev (a->ignore_cols);
  memset (a, 0, sizeof *a);
}

/* "a,b" "c" -> a b c */
static char **
split_list (char **v)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; v && v[i]; i++)
    {
      g_auto (GStrv) parts = g_strsplit (v[i], ",", -1);

      for (guint j = 0; parts[j]; j++)
        {
          g_strstrip (parts[j]);
          if (*parts[j])
            g_ptr_array_add (out, g_strdup (parts[j]));
        }
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static void
set_str (char **dst, const char *src)
{
  g_free (*dst);
  *dst = g_strdup (src);
}

gboolean
tc_cli_role_args_apply (const TcCliRoleArgs *a,
                        TcImportOptions     *o,
                        GError             **error)
{
  if (a->date_col)
    set_str (&o->date_col, a->date_col);
  if (a->target_col)
    set_str (&o->target_col, a->target_col);
  if (a->text_col)
    set_str (&o->text_col, a->text_col);
  if (a->start)
    set_str (&o->start, a->start);
  if (a->news)
    {
      /* Absolute: a project saved from these options finds it again. */
      g_autofree char *abs = g_canonicalize_filename (a->news, NULL);

      set_str (&o->news_path, abs);
    }
  if (a->news_date_col)
    set_str (&o->news_date_col, a->news_date_col);
  if (a->news_text_col)
    set_str (&o->news_text_col, a->news_text_col);
  if (a->news_category_col)
    set_str (&o->news_category_col, a->news_category_col);
  o->skip_bad_rows = a->skip_bad_rows;
  o->date_order = a->day_first ? TC_DATE_ORDER_DAY_FIRST
                  : a->month_first ? TC_DATE_ORDER_MONTH_FIRST : TC_DATE_ORDER_AUTO;
  if (a->format)
    {
      if (g_ascii_strcasecmp (a->format, "long") == 0)
        o->format = TC_FORMAT_LONG;
      else if (g_ascii_strcasecmp (a->format, "wide") == 0)
        o->format = TC_FORMAT_WIDE;
      else
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       _("--format: found “%s”, expected long or wide"), a->format);
          return FALSE;
        }
    }
  if (a->series_cols)
    {
      g_strfreev (o->series_cols);
      o->series_cols = split_list (a->series_cols);
    }
  if (a->known_cols)
    {
      g_strfreev (o->known_cols);
      o->known_cols = split_list (a->known_cols);
    }
  if (a->observed_cols)
    {
      g_strfreev (o->observed_cols);
      o->observed_cols = split_list (a->observed_cols);
    }
  if (a->static_cols)
    {
      g_strfreev (o->static_cols);
      o->static_cols = split_list (a->static_cols);
    }
  if (a->ignore_cols)
    {
      g_strfreev (o->ignore_cols);
      o->ignore_cols = split_list (a->ignore_cols);
    }
  if (a->freq)
    {
      o->freq = tc_frequency_from_string (a->freq);
      if (o->freq == TC_FREQ_UNKNOWN)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       _("Unknown frequency “%s” (expected hourly, daily, weekly, monthly, quarterly or yearly)"),
                       a->freq);
          return FALSE;
        }
    }
  if (a->missing)
    {
      if (g_ascii_strcasecmp (a->missing, "keep") == 0)
        o->missing = TC_MISSING_KEEP;
      else if (g_ascii_strcasecmp (a->missing, "zero") == 0)
        o->missing = TC_MISSING_ZERO;
      else if (g_ascii_strcasecmp (a->missing, "interpolate") == 0)
        o->missing = TC_MISSING_INTERPOLATE;
      else
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       _("Unknown --missing “%s” (expected keep, zero or interpolate)"), a->missing);
          return FALSE;
        }
    }
  if (a->duplicates)
    {
      if (g_ascii_strcasecmp (a->duplicates, "error") == 0)
        o->duplicates = TC_DUPLICATES_ERROR;
      else if (g_ascii_strcasecmp (a->duplicates, "sum") == 0)
        o->duplicates = TC_DUPLICATES_SUM;
      else
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       _("Unknown --duplicates “%s” (expected error or sum)"), a->duplicates);
          return FALSE;
        }
    }
  if (a->delimiter)
    {
      if (strcmp (a->delimiter, "tab") == 0 || strcmp (a->delimiter, "\\t") == 0)
        o->delimiter = '\t';
      else if (strlen (a->delimiter) == 1)
        o->delimiter = a->delimiter[0];
      else
        {
          g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
                       _("The delimiter must be one character or “tab”, not “%s”"), a->delimiter);
          return FALSE;
        }
    }
  if (a->encoding)
    set_str (&o->encoding, a->encoding);
  return TRUE;
}

static char **
dup_names (const char * const *v)
{
  return v && v[0] ? g_strdupv ((char **) v) : NULL;
}

/* The file columns behind the model's known covariates: a column of
 * holiday names became one covariate per name ("holiday=double_11"),
 * and the importer expands it the same way again. */
static char **
known_columns (const char * const *v)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = 0;

  for (guint i = 0; v && v[i]; i++)
    {
      const char *eq = strchr (v[i], '=');
      char *col = eq ? g_strndup (v[i], eq - v[i]) : g_strdup (v[i]);

      if (g_hash_table_contains (seen, col))
        {
          g_free (col);
          continue;
        }
      g_strv_builder_add (b, col);
      g_hash_table_add (seen, col);
      n++;
    }
  return n > 0 ? g_strv_builder_end (b) : NULL;
}

void
tc_cli_import_options_from_model (TcImportOptions *o,
                                  TcForecaster    *fc)
{
  if (o->target_col == NULL && tc_forecaster_get_target_name (fc))
    o->target_col = g_strdup (tc_forecaster_get_target_name (fc));
  if (o->known_cols == NULL)
    o->known_cols = known_columns (tc_forecaster_get_known_names (fc));
  if (o->observed_cols == NULL)
    o->observed_cols = dup_names (tc_forecaster_get_observed_names (fc));
  if (o->static_cols == NULL)
    o->static_cols = dup_names (tc_forecaster_get_static_names (fc));
}

const char *
tc_cli_series_label (const TcDataset *ds, guint s)
{
  const char *id = ds->series_ids[s];

  if (id && *id)
    return id;
  return ds->target_name ? ds->target_name : "series";
}

void
tc_cli_write_field (FILE *out, const char *s)
{
  g_autoptr (GString) field = g_string_new (NULL);

  tc_csv_append_field (field, s);
  fwrite (field->str, 1, field->len, out);
}

void
tc_cli_write_number (FILE *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  fputc (',', out);
  /* An unknown value is an empty cell, never "nan". */
  if (!isnan (v))
    fputs (g_ascii_formatd (buf, sizeof buf, "%.6g", v), out);
}

/* -- output --------------------------------------------------------------- */

char *
tc_cli_quantile_name (float q)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%g", round (q * 1000.0) / 10.0);
  return g_strdup_printf ("p%s", buf);
}

struct _TcCliOutput
{
  FILE *f;
  char *path;     /* as given, for messages; NULL for standard output */
  char *target;   /* the file to replace: @path, or where its link points */
  char *tmp;      /* the temporary file beside @target, or NULL */
};

static void
output_free (TcCliOutput *o)
{
  g_free (o->path);
  g_free (o->target);
  g_free (o->tmp);
  g_free (o);
}

TcCliOutput *
tc_cli_output_open (const char *path, GError **error)
{
  TcCliOutput *o = g_new0 (TcCliOutput, 1);
  GStatBuf st;
  int fd;

  if (path == NULL || strcmp (path, "-") == 0)
    {
      o->f = stdout;
      return o;
    }
  o->path = g_strdup (path);
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot write %s: %s"), path, g_strerror (EISDIR));
      output_free (o);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      /* Renaming over a device or a FIFO would replace it. */
      o->f = g_fopen (path, "w");
      if (o->f == NULL)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot write %s: %s"), path, g_strerror (errno));
          output_free (o);
          return NULL;
        }
      return o;
    }
  /* A symbolic link stays a link: the file it points at is replaced. */
  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    o->target = realpath (path, NULL);
  if (o->target == NULL)
    o->target = g_strdup (path);
  o->tmp = g_strdup_printf ("%s.XXXXXX", o->target);
  fd = g_mkstemp_full (o->tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0 || (o->f = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        {
          close (fd);
          g_unlink (o->tmp);
        }
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot write %s: %s"), path, g_strerror (saved));
      output_free (o);
      return NULL;
    }
  return o;
}

FILE *
tc_cli_output_stream (TcCliOutput *output)
{
  return output->f;
}

gboolean
tc_cli_output_commit (TcCliOutput *o, GError **error)
{
  const char *name = o->path ? o->path : _("standard output");
  int err = 0;

  /* A write that failed earlier (ENOSPC, EFBIG, EIO) left the error
   * flag; errno may still say why.  fflush and fclose report the rest. */
  if (fflush (o->f) != 0)
    err = errno ? errno : EIO;
  else if (ferror (o->f))
    err = errno ? errno : EIO;
  else if (o->tmp && fsync (fileno (o->f)) != 0)
    err = errno;
  if (o->f != stdout && fclose (o->f) != 0 && err == 0)
    err = errno ? errno : EIO;
  if (err == 0 && o->tmp && g_rename (o->tmp, o->target) != 0)
    err = errno;
  if (err != 0)
    {
      if (o->tmp)
        g_unlink (o->tmp);
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot write %s: %s"), name, g_strerror (err));
    }
  output_free (o);
  return err == 0;
}

/* -- accuracy ------------------------------------------------------------- */

/* The M4 competition's MASE periods. */
static guint
mase_period (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return 24;
    case TC_FREQ_MONTHLY:   return 12;
    case TC_FREQ_QUARTERLY: return 4;
    case TC_FREQ_DAILY:
    case TC_FREQ_WEEKLY:
    case TC_FREQ_YEARLY:
    case TC_FREQ_UNKNOWN:
    default:                return 1;
    }
}

void
tc_cli_holdout_accuracy (const TcDataset  *ds,
                         const TcForecast *f,
                         TcCliAccuracy    *acc)
{
  guint H = f->horizon, Q = f->n_quantiles, mq = tc_forecast_median_index (f);
  guint m = mase_period (ds->freq), season = tc_frequency_season (ds->freq);

  memset (acc, 0, sizeof *acc);
  acc->mase_m = m;
  acc->naive_m = season;
  for (guint s = 0; s < ds->n_series; s++)
    {
      const double *y = tc_dataset_target_row (ds, s);
      double scale = 0, last = NAN, sm_model = 0, sm_naive = 0, ae_model = 0, ae_naive = 0;
      double sm_last = 0, ae_last = 0;
      guint n_scale = 0, start = ds->start[s], sm, n = 0;
      guint o = f->origins ? f->origins[s] : f->origin;

      if (o + H > ds->n_times || o <= start + m)
        continue;
      for (guint t = start + m; t < o; t++)
        if (!isnan (y[t]) && !isnan (y[t - m]))
          {
            scale += fabs (y[t] - y[t - m]);
            n_scale++;
          }
      for (guint t = start; t < o; t++)
        if (!isnan (y[t]))
          last = y[t];
      if (n_scale == 0 || scale == 0 || isnan (last))
        continue;
      scale /= n_scale;
      /* Seasonal naive when a full season of history exists, else naive;
       * a gap in last season falls back to the last observed value. */
      sm = o >= start + season ? season : 1;
      for (guint h = 0; h < H; h++)
        {
          double p50 = f->values[((gsize) s * H + h) * Q + mq];
          double nv = y[o - sm + (h % sm)];
          double d;

          if (isnan (y[o + h]) || isnan (p50))
            continue;
          if (isnan (nv))
            nv = last;
          d = fabs (y[o + h]) + fabs (p50);
          sm_model += d > 0 ? 200.0 * fabs (y[o + h] - p50) / d : 0;
          d = fabs (y[o + h]) + fabs (nv);
          sm_naive += d > 0 ? 200.0 * fabs (y[o + h] - nv) / d : 0;
          d = fabs (y[o + h]) + fabs (last);
          sm_last += d > 0 ? 200.0 * fabs (y[o + h] - last) / d : 0;
          ae_last += fabs (y[o + h] - last);
          ae_model += fabs (y[o + h] - p50);
          ae_naive += fabs (y[o + h] - nv);
          n++;
        }
      /* Series with most of the holdout missing say little. */
      if (n * 2 < H)
        continue;
      acc->smape += sm_model / n;
      acc->naive_smape += sm_naive / n;
      acc->mase += ae_model / n / scale;
      acc->naive_mase += ae_naive / n / scale;
      acc->last_smape += sm_last / n;
      acc->last_mase += ae_last / n / scale;
      acc->n_series++;
    }
  if (acc->n_series)
    {
      acc->smape /= acc->n_series;
      acc->naive_smape /= acc->n_series;
      acc->mase /= acc->n_series;
      acc->naive_mase /= acc->n_series;
      acc->last_smape /= acc->n_series;
      acc->last_mase /= acc->n_series;
    }
}

/* The dataset's last date with a target in series @s, formatted. */
static char *
series_last_date (const TcDataset *ds,
                  guint            s)
{
  if (ds->end[s] <= ds->start[s])
    return g_strdup (_("no value"));
  return tc_frequency_format_time (ds->freq, ds->times[ds->end[s] - 1]);
}

/* Only the first few series are named: a file with thousands of
 * discontinued products must not bury the output. */
#define MAX_NAMED 20

void
tc_cli_report_origins (const TcDataset  *ds,
                       const TcForecast *f,
                       gboolean          holdout)
{
  guint n_early = 0, n_empty = 0;

  if (!holdout && tc_forecast_origins_differ (f))
    {
      guint first = G_MAXUINT, last = 0;
      g_autofree char *a = NULL, *z = NULL;

      for (guint s = 0; s < ds->n_series; s++)
        if (ds->end[s] > ds->start[s])
          {
            first = MIN (first, ds->end[s] - 1);
            last = MAX (last, ds->end[s] - 1);
          }
      a = tc_frequency_format_time (ds->freq, ds->times[MIN (first, last)]);
      z = tc_frequency_format_time (ds->freq, ds->times[last]);
      g_printerr (_("trendcast-cli: note: the series end on different dates (from %s to %s): each series is "
                    "forecast for the %u steps after its own last value (--common-origin forecasts every "
                    "series for the same dates)\n"), a, z, f->horizon);
    }
  for (guint s = 0; s < f->n_series; s++)
    {
      g_autofree char *d = NULL;
      gboolean has = tc_forecast_series_has_values (f, s);

      if (!holdout && f->origins == NULL && tc_forecast_series_ended_early (f, ds, s))
        {
          if (n_early++ >= MAX_NAMED)
            continue;
          d = series_last_date (ds, s);
          if (has)
            g_printerr (_("trendcast-cli: warning: series “%s” ends on %s, before the common forecast start: "
                          "its forecast spans a gap without data\n"), tc_cli_series_label (ds, s), d);
          else
            g_printerr (_("trendcast-cli: warning: series “%s” ends on %s, too long before the common forecast "
                          "start: no forecast, no rows written for it\n"), tc_cli_series_label (ds, s), d);
        }
      else if (!has)
        {
          if (n_empty++ >= MAX_NAMED)
            continue;
          d = series_last_date (ds, s);
          g_printerr (_("trendcast-cli: warning: series “%s” (last value: %s) has no history before its forecast "
                        "start: no forecast, no rows written for it\n"), tc_cli_series_label (ds, s), d);
        }
    }
  if (n_early > MAX_NAMED || n_empty > MAX_NAMED)
    g_printerr (_("trendcast-cli: warning: %u more series as above\n"),
                (n_early - MIN (n_early, MAX_NAMED)) + (n_empty - MIN (n_empty, MAX_NAMED)));
}

void
tc_cli_origin_hint (const TcDataset *ds,
                    TcOriginMode     mode,
                    const GError    *error)
{
  gboolean differ = FALSE;

  if (mode != TC_ORIGIN_PER_SERIES || !g_error_matches (error, TC_ERROR, TC_ERROR_SCHEMA))
    return;
  for (guint s = 1; s < ds->n_series; s++)
    differ |= ds->end[s] != ds->end[0];
  if (differ)
    g_printerr (_("trendcast-cli: the series end on different dates and each is forecast after its own last "
                  "value: the future file must cover the dates after each series' end, or use --common-origin\n"));
}

/* A plan the app saved in a project is used as the app uses it: its
 * gaps filled by the model's assumptions (a command opens one project
 * at most). */
static gboolean plan_from_project;

TcForecast *
tc_cli_predict (TcSession    *session,
                gboolean      holdout,
                TcOriginMode  mode,
                GError      **error)
{
  TcForecaster *fc = tc_session_get_forecaster (session);
  const char * const *known = tc_forecaster_get_known_names (fc);

  if (holdout)
    return tc_forecaster_predict_holdout (fc, tc_session_get_dataset (session), error);
  if (tc_session_get_future (session) == NULL && known != NULL && known[0] != NULL)
    g_printerr (_("trendcast-cli: no --future file: assuming no promotions or discounts, "
                  "the last known prices and last season's holidays\n"));
  /* A FUTURE file the user gives must be complete: strict. */
  return tc_session_predict (session, mode, !plan_from_project, NULL, error);
}

int
tc_cli_open_session (const char       *model_path,
                     const char       *path,
                     const char       *future_path,
                     TcImportOptions  *opts,
                     TcSession       **session_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  TcForecaster *fc;

  if (model_path == NULL)
    return tc_cli_open_project (path, future_path, session_out, NULL);
  *session_out = NULL;
  fc = tc_forecaster_load (model_path, &error);
  if (fc == NULL)
    goto fail;
  /* The model's roles for the flags not given; then the model, which
   * an import drops. */
  tc_cli_import_options_from_model (opts, fc);
  if (!tc_session_import (session, file, opts, NULL, &error))
    {
      tc_forecaster_free (fc);
      goto fail;
    }
  /* A news model forecast without its news would read a quiet market
   * into every period: refused, as the core would refuse it later. */
  if (tc_forecaster_get_reads_news (fc) && tc_session_get_dataset (session)->news == NULL)
    {
      g_set_error (&error, TC_ERROR, TC_ERROR_SCHEMA,
                   _("%s reads market news: give the news file it was trained with (--news FILE)"),
                   model_path);
      tc_forecaster_free (fc);
      goto fail;
    }
  if (!tc_forecaster_get_reads_news (fc) && opts->news_path != NULL)
    g_printerr (_("Note: %s was trained without news; --news is ignored (train with --news to use it).\n"),
                model_path);
  tc_session_set_forecaster (session, fc);
  tc_session_set_model_saved (session);
  if (future_path != NULL && !tc_session_read_future (session, future_path, NULL, &error))
    goto fail;
  *session_out = g_steal_pointer (&session);
  return TC_CLI_EXIT_OK;

fail:
  tc_cli_print_error (error);
  return TC_CLI_EXIT_DATA;
}

int
tc_cli_open_project (const char  *path,
                     const char  *future_path,
                     TcSession  **session_out,
                     TcProject  **project_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcSession) session = tc_session_new ();
  g_autoptr (TcProject) project = NULL;
  gboolean changed = FALSE;

  *session_out = NULL;
  if (project_out)
    *project_out = NULL;
  project = tc_project_load (path, &error);
  if (project == NULL || !tc_project_open_session (project, path, session, NULL, &changed, &error))
    goto fail;
  if (tc_session_get_forecaster (session) == NULL)
    {
      g_set_error (&error, TC_ERROR, TC_ERROR_EMPTY, _("The project “%s” has no trained model"), path);
      goto fail;
    }
  /* A news file gone or broken leaves the project's news out: fatal
   * only for a model that reads it. */
  if (tc_session_get_news_error (session) != NULL)
    {
      const GError *why = tc_session_get_news_error (session);
      const char *news = tc_session_get_import_options (session)->news_path;

      if (tc_forecaster_get_reads_news (tc_session_get_forecaster (session)))
        {
          g_set_error (&error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("The project’s model reads the market news “%s”, which could not be read: %s"),
                       news, why->message);
          goto fail;
        }
      g_printerr (_("trendcast-cli: warning: the project’s market news “%s” is left out: %s\n"),
                  news, why->message);
    }
  if (changed)
    g_printerr (_("trendcast-cli: warning: the data of the project changed since it was saved: "
                  "its forecasts differ from the saved ones\n"));
  plan_from_project = future_path == NULL && tc_session_get_future (session) != NULL;
  if (future_path != NULL && !tc_session_read_future (session, future_path, NULL, &error))
    goto fail;
  *session_out = g_steal_pointer (&session);
  if (project_out)
    *project_out = g_steal_pointer (&project);
  return TC_CLI_EXIT_OK;

fail:
  tc_cli_print_error (error);
  return TC_CLI_EXIT_DATA;
}

gboolean
tc_cli_is_project (int argc, char **argv)
{
  return argc == 2 && tc_project_sniff (argv[1]);
}

gboolean
tc_cli_parse_args (GOptionContext *ctx, const GOptionEntry *entries, TcCliRoleArgs *roles, int *argc,
                   char ***argv)
{
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (ctx, tc_cli_role_option_group (roles));
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      tc_cli_print_error (error);
      return FALSE;
    }
  return TRUE;
}

gboolean
tc_cli_names_model_and_data (int argc, char **argv, const char *model)
{
  return argc == 2 && (model != NULL || tc_cli_is_project (argc, argv));
}
