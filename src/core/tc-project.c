/* tc-project.c — a whole analysis in one .trendcast file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is described in tc-project.h.  Reading never trusts the
 * bytes: the header is parsed with explicit bounds, the payload must
 * have exactly the length and checksum the header states, and even
 * then every value is looked up with its expected type and every array
 * length checked against the others before anything is indexed (a file
 * with a valid checksum may still be hand-made).
 */

#define G_LOG_DOMAIN "tc-project"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tc-error.h"
#include "tc-file.h"
#include "tc-project.h"

#define MAGIC "TRENDCAST-PROJECT "
/* The two header lines are far shorter: "TRENDCAST-PROJECT 1\n" and
 * up to 20 digits, a space, 64 hex digits and a newline. */
#define MAX_HEADER 128
/* Far beyond any real plan, small enough that sizes cannot overflow. */
#define MAX_FUTURE_CELLS (G_GUINT64_CONSTANT (1) << 31)

static const char *const kind_names[] = { "promotion", "discount", "price", "set", "competitor" };

const char *
tc_project_change_kind_to_string (TcLeverKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : "set";
}

int
tc_project_change_kind_from_string (const char *str)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (str, kind_names[i]) == 0)
      return (int) i;
  return -1;
}

void
tc_project_change_clear (gpointer p)
{
  g_free (((TcProjectChange *) p)->covariate);
}

TcProject *
tc_project_new (void)
{
  TcProject *p = g_new0 (TcProject, 1);

  tc_import_options_init (&p->import_options);
  p->changes = g_array_new (FALSE, TRUE, sizeof (TcProjectChange));
  g_array_set_clear_func (p->changes, tc_project_change_clear);
  return p;
}

void
tc_project_free (TcProject *p)
{
  if (p == NULL)
    return;
  g_free (p->data_path);
  g_free (p->data_sha256);
  g_clear_pointer (&p->data_embedded, g_bytes_unref);
  tc_import_options_clear (&p->import_options);
  g_clear_pointer (&p->model, g_bytes_unref);
  g_clear_pointer (&p->future, tc_dataset_free);
  g_array_unref (p->changes);
  g_strfreev (p->scope);
  g_free (p->view_page);
  g_free (p->view_level);
  g_free (p->view_series);
  g_free (p->autosave_of);
  g_free (p->plan_stock_path);
  g_free (p->eval_quantiles);
  g_strfreev (p->eval_models);
  g_strfreev (p->eval_series);
  g_free (p->eval_forecasts);
  tc_explain_result_free (p->eval_drivers);
  g_clear_pointer (&p->scenario_book, tc_scenario_book_free);
  g_free (p->generator);
  g_free (p);
}

void
tc_project_add_change (TcProject   *p,
                       TcLeverKind  kind,
                       const char  *covariate,
                       double       value,
                       gint64       from,
                       gint64       to)
{
  TcProjectChange c = { kind, g_strdup (covariate), value, from, to };

  g_array_append_val (p->changes, c);
}

/* -- writing ------------------------------------------------------------- */

static void
add_string (GVariantBuilder *b, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_builder_add (b, "{sv}", key, g_variant_new_string (value));
}

static void
add_strv (GVariantBuilder *b, const char *key, char **value)
{
  if (value != NULL)
    g_variant_builder_add (b, "{sv}", key, g_variant_new_strv ((const char * const *) value, -1));
}

static void
add_bytes (GVariantBuilder *b, const char *key, GBytes *value)
{
  if (value != NULL)
    g_variant_builder_add (b, "{sv}", key,
                           g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, value, TRUE));
}

static GVariant *
import_to_variant (const TcImportOptions *o)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_string (&b, "date-col", o->date_col);
  add_strv (&b, "series-cols", o->series_cols);
  add_string (&b, "target-col", o->target_col);
  add_strv (&b, "known-cols", o->known_cols);
  add_strv (&b, "observed-cols", o->observed_cols);
  add_strv (&b, "static-cols", o->static_cols);
  add_string (&b, "text-col", o->text_col);
  add_strv (&b, "ignore-cols", o->ignore_cols);
  g_variant_builder_add (&b, "{sv}", "format", g_variant_new_uint32 (o->format));
  g_variant_builder_add (&b, "{sv}", "freq", g_variant_new_uint32 (o->freq));
  add_string (&b, "start", o->start);
  g_variant_builder_add (&b, "{sv}", "date-order", g_variant_new_uint32 (o->date_order));
  g_variant_builder_add (&b, "{sv}", "missing", g_variant_new_uint32 (o->missing));
  g_variant_builder_add (&b, "{sv}", "duplicates", g_variant_new_uint32 (o->duplicates));
  g_variant_builder_add (&b, "{sv}", "skip-bad-rows", g_variant_new_boolean (o->skip_bad_rows));
  g_variant_builder_add (&b, "{sv}", "delimiter", g_variant_new_byte ((guchar) o->delimiter));
  add_string (&b, "encoding", o->encoding);
  add_string (&b, "news-path", o->news_path);
  add_string (&b, "news-date-col", o->news_date_col);
  add_string (&b, "news-text-col", o->news_text_col);
  add_string (&b, "news-category-col", o->news_category_col);
  return g_variant_builder_end (&b);
}

static GVariant *
future_to_variant (const TcDataset *f)
{
  GVariantBuilder b;
  g_autofree guint32 *kinds = g_new0 (guint32, MAX (f->n_known, 1));
  gsize cells = (gsize) f->n_known * f->n_series * f->n_times;

  for (guint k = 0; k < f->n_known; k++)
    kinds[k] = f->known_kinds[k];
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "freq", g_variant_new_uint32 (f->freq));
  g_variant_builder_add (&b, "{sv}", "week-start", g_variant_new_int32 (f->week_start));
  g_variant_builder_add (&b, "{sv}", "times",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->times, f->n_times, sizeof (gint64)));
  g_variant_builder_add (&b, "{sv}", "series",
                         g_variant_new_strv ((const char * const *) f->series_ids, f->n_series));
  g_variant_builder_add (&b, "{sv}", "names",
                         g_variant_new_strv ((const char * const *) f->known_names, f->n_known));
  g_variant_builder_add (&b, "{sv}", "kinds",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, kinds, f->n_known, sizeof (guint32)));
  g_variant_builder_add (&b, "{sv}", "values",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, f->known, cells, sizeof (double)));
  return g_variant_builder_end (&b);
}

static GVariant *
changes_to_variant (const GArray *changes)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < changes->len; i++)
    {
      const TcProjectChange *c = &g_array_index (changes, TcProjectChange, i);
      GVariantBuilder r;

      g_variant_builder_init (&r, G_VARIANT_TYPE_VARDICT);
      add_string (&r, "kind", tc_project_change_kind_to_string (c->kind));
      add_string (&r, "covariate", c->covariate);
      g_variant_builder_add (&r, "{sv}", "value", g_variant_new_double (c->value));
      g_variant_builder_add (&r, "{sv}", "from", g_variant_new_int64 (c->from));
      g_variant_builder_add (&r, "{sv}", "to", g_variant_new_int64 (c->to));
      g_variant_builder_add_value (&b, g_variant_builder_end (&r));
    }
  return g_variant_builder_end (&b);
}

/* -- the Plan page's parameters ("plan") -- */

static GVariant *
plan_to_variant (const TcProject *p)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "lead-time", g_variant_new_uint32 (p->plan_lead_time));
  g_variant_builder_add (&b, "{sv}", "review-period", g_variant_new_uint32 (p->plan_review_period));
  g_variant_builder_add (&b, "{sv}", "service-level", g_variant_new_double (p->plan_service_level));
  add_string (&b, "stock-path", p->plan_stock_path);
  return g_variant_builder_end (&b);
}

/* -- the Evaluation page's backtest ("evaluation") -- */

static gsize
eval_n_values (const TcProject *p)
{
  return (gsize) g_strv_length (p->eval_models) * p->eval_config.n_folds * g_strv_length (p->eval_series)
         * p->eval_config.h * p->eval_config.nq;
}

static GVariant *
evaluation_to_variant (const TcProject *p)
{
  const TcBacktestConfig *c = &p->eval_config;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "horizon", g_variant_new_uint32 (c->h));
  g_variant_builder_add (&b, "{sv}", "folds", g_variant_new_uint32 (c->n_folds));
  g_variant_builder_add (&b, "{sv}", "step", g_variant_new_uint32 (c->step));
  g_variant_builder_add (&b, "{sv}", "end", g_variant_new_uint32 (c->end));
  g_variant_builder_add (&b, "{sv}", "season", g_variant_new_uint32 (c->m));
  g_variant_builder_add (&b, "{sv}", "aggregate", g_variant_new_uint32 (c->aggregate));
  g_variant_builder_add (&b, "{sv}", "quantiles",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, p->eval_quantiles, c->nq, sizeof (double)));
  add_strv (&b, "models", p->eval_models);
  add_strv (&b, "series", p->eval_series);
  g_variant_builder_add (&b, "{sv}", "forecasts",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, p->eval_forecasts, eval_n_values (p),
                                                    sizeof (double)));
  if (p->eval_drivers != NULL)
    {
      const TcExplainResult *ex = p->eval_drivers;
      GVariantBuilder d, list;

      g_variant_builder_init (&d, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&d, "{sv}", "horizon", g_variant_new_uint32 (ex->horizon));
      g_variant_builder_add (&d, "{sv}", "origins",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, ex->origins, ex->n_origins,
                                                        sizeof (guint32)));
      g_variant_builder_add (&d, "{sv}", "windows", g_variant_new_uint32 (ex->n_windows));
      g_variant_builder_add (&d, "{sv}", "base-loss", g_variant_new_double (ex->base_loss));
      g_variant_builder_add (&d, "{sv}", "base-smape", g_variant_new_double (ex->base_smape));
      g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
      for (guint i = 0; i < ex->n_drivers; i++)
        {
          const TcDriverImportance *di = &ex->drivers[i];
          GVariantBuilder r;

          g_variant_builder_init (&r, G_VARIANT_TYPE_VARDICT);
          add_string (&r, "name", di->name);
          g_variant_builder_add (&r, "{sv}", "kind", g_variant_new_uint32 (di->kind));
          g_variant_builder_add (&r, "{sv}", "covariate-kind", g_variant_new_uint32 (di->covariate_kind));
          g_variant_builder_add (&r, "{sv}", "importance", g_variant_new_double (di->importance));
          g_variant_builder_add (&r, "{sv}", "importance-sd", g_variant_new_double (di->importance_sd));
          g_variant_builder_add (&r, "{sv}", "loss", g_variant_new_double (di->loss));
          g_variant_builder_add (&r, "{sv}", "smape", g_variant_new_double (di->smape));
          g_variant_builder_add_value (&list, g_variant_builder_end (&r));
        }
      g_variant_builder_add (&d, "{sv}", "list", g_variant_builder_end (&list));
      g_variant_builder_add (&b, "{sv}", "drivers", g_variant_builder_end (&d));
    }
  return g_variant_builder_end (&b);
}

void
tc_project_set_evaluation (TcProject              *p,
                           const TcBacktestResult *res,
                           const TcExplainResult  *drivers)
{
  TcBacktestConfig *c = &p->eval_config;
  gsize n;

  g_return_if_fail (p != NULL && res != NULL);
  g_clear_pointer (&p->eval_quantiles, g_free);
  g_clear_pointer (&p->eval_models, g_strfreev);
  g_clear_pointer (&p->eval_series, g_strfreev);
  g_clear_pointer (&p->eval_forecasts, g_free);
  g_clear_pointer (&p->eval_drivers, tc_explain_result_free);
  memset (c, 0, sizeof *c);
  c->h = res->h;
  c->n_folds = res->n_folds;
  /* The cutoffs as tc_backtest_run spaced them. */
  c->step = res->n_folds > 1 ? res->cutoffs[1] - res->cutoffs[0] : res->h;
  c->end = res->cutoffs[res->n_folds - 1] + res->h;
  c->m = res->m;
  c->aggregate = res->aggregate;
  c->nq = res->nq;
  p->eval_quantiles = g_memdup2 (res->q, sizeof (double) * res->nq);
  c->q = p->eval_quantiles;
  p->eval_models = g_strdupv (res->model_names);
  p->eval_series = g_strdupv (res->series_ids);
  n = (gsize) res->n_models * res->n_folds * res->n_series * res->h * res->nq;
  p->eval_forecasts = g_memdup2 (res->forecasts, sizeof (double) * n);
  if (drivers != NULL)
    {
      TcExplainResult *ex = g_new0 (TcExplainResult, 1);

      *ex = *drivers;
      ex->origins = g_memdup2 (drivers->origins, sizeof (guint) * drivers->n_origins);
      ex->drivers = g_memdup2 (drivers->drivers, sizeof (TcDriverImportance) * drivers->n_drivers);
      for (guint i = 0; i < ex->n_drivers; i++)
        ex->drivers[i].name = g_strdup (drivers->drivers[i].name);
      p->eval_drivers = ex;
    }
  p->has_evaluation = TRUE;
}

/* -- the Scenarios page's saved scenarios ("scenario-book") -- */

static GVariant *
book_to_variant (TcScenarioBook *book)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sas)"));
  for (guint i = 0; i < tc_scenario_book_get_n (book); i++)
    g_variant_builder_add (&b, "(s^as)", tc_scenario_book_get_name (book, i),
                           tc_scenario_book_get_edits (book, i));
  return g_variant_builder_end (&b);
}

static TcScenarioBook *
book_from_variant (GVariant *v, const char *name, GError **error)
{
  g_autoptr (TcScenarioBook) book = tc_scenario_book_new ();
  gsize n = g_variant_n_children (v);

  for (gsize i = 0; i < n; i++)
    {
      g_autofree const char **edits = NULL;
      const char *title;

      g_variant_get_child (v, i, "(&s^a&s)", &title, &edits);
      if (!tc_scenario_book_set (book, title, edits, error))
        {
          g_prefix_error (error, _("%s: saved scenario %u: "), name, (guint) i + 1);
          return NULL;
        }
    }
  return g_steal_pointer (&book);
}

GBytes *
tc_project_to_bytes (const TcProject *p)
{
  GVariantBuilder b;
  g_autoptr (GVariant) payload = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *header = NULL;
  GByteArray *out;
  gsize header_len;

  g_return_val_if_fail (p != NULL, NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_string (&b, "generator", "Trendcast " PACKAGE_VERSION);
  g_variant_builder_add (&b, "{sv}", "saved", g_variant_new_int64 (g_get_real_time () / G_USEC_PER_SEC));
  add_string (&b, "data-path", p->data_path);
  if (p->data_path)
    {
      g_variant_builder_add (&b, "{sv}", "data-size", g_variant_new_uint64 (p->data_size));
      g_variant_builder_add (&b, "{sv}", "data-mtime", g_variant_new_int64 (p->data_mtime));
    }
  add_string (&b, "data-sha256", p->data_sha256);
  add_bytes (&b, "data-embedded", p->data_embedded);
  g_variant_builder_add (&b, "{sv}", "import", import_to_variant (&p->import_options));
  add_bytes (&b, "model", p->model);
  if (p->future)
    g_variant_builder_add (&b, "{sv}", "future", future_to_variant (p->future));
  g_variant_builder_add (&b, "{sv}", "changes", changes_to_variant (p->changes));
  add_strv (&b, "scope", p->scope);
  add_string (&b, "view-page", p->view_page);
  add_string (&b, "view-level", p->view_level);
  add_string (&b, "view-series", p->view_series);
  add_string (&b, "autosave-of", p->autosave_of);
  if (p->has_plan)
    g_variant_builder_add (&b, "{sv}", "plan", plan_to_variant (p));
  if (p->has_evaluation)
    g_variant_builder_add (&b, "{sv}", "evaluation", evaluation_to_variant (p));
  if (p->scenario_book != NULL && tc_scenario_book_get_n (p->scenario_book) > 0)
    g_variant_builder_add (&b, "{sv}", "scenario-book", book_to_variant (p->scenario_book));
  payload = g_variant_ref_sink (g_variant_builder_end (&b));

  /* The file is little-endian wherever it was written. */
  if (G_BYTE_ORDER == G_BIG_ENDIAN)
    {
      GVariant *swapped = g_variant_byteswap (payload);

      g_variant_unref (payload);
      payload = swapped;
    }
  body = g_variant_get_data_as_bytes (payload);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  header = g_strdup_printf (MAGIC "%d\n%" G_GSIZE_FORMAT " %s\n", TC_PROJECT_FORMAT_VERSION,
                            g_bytes_get_size (body), sum);
  header_len = strlen (header);
  out = g_byte_array_sized_new (header_len + g_bytes_get_size (body));
  g_byte_array_append (out, (const guint8 *) header, header_len);
  g_byte_array_append (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return g_byte_array_free_to_bytes (out);
}

gboolean
tc_project_save (const TcProject *p,
                 const char      *path,
                 GError         **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (p != NULL && path != NULL, FALSE);

  bytes = tc_project_to_bytes (p);
  data = g_bytes_get_data (bytes, &len);
  return tc_file_set_contents (path, data, (gssize) len, error);
}

/* -- reading -------------------------------------------------------------- */

/* Reads the unsigned decimal at @s[*@i..@n) up to @stop; FALSE when
 * there are no digits, a leading zero, an overflow or another byte. */
static gboolean
read_decimal (const char *s, gsize n, gsize *i, char stop, guint64 *out)
{
  guint64 v = 0;
  gsize start = *i;

  while (*i < n && g_ascii_isdigit (s[*i]))
    {
      guint d = (guint) (s[*i] - '0');

      if (v > (G_MAXUINT64 - d) / 10)
        return FALSE;
      v = v * 10 + d;
      (*i)++;
    }
  if (*i == start || *i >= n || s[*i] != stop || (s[start] == '0' && *i - start > 1))
    return FALSE;
  (*i)++;
  *out = v;
  return TRUE;
}

static char *
lookup_string (GVariant *dict, const char *key)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_STRING);

  return v ? g_variant_dup_string (v, NULL) : NULL;
}

static char **
lookup_strv (GVariant *dict, const char *key)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_STRING_ARRAY);

  return v ? g_variant_dup_strv (v, NULL) : NULL;
}

static GBytes *
lookup_bytes (GVariant *dict, const char *key)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_BYTESTRING);

  return v ? g_variant_get_data_as_bytes (v) : NULL;
}

/* An enum stored as u: @def when absent, FALSE when beyond @max. */
static gboolean
lookup_enum (GVariant *dict, const char *key, guint max, guint def, guint *out)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_UINT32);

  *out = v ? g_variant_get_uint32 (v) : def;
  return *out <= max;
}

static gboolean
import_from_variant (GVariant *d, TcImportOptions *o, const char *name, GError **error)
{
  guint format, freq, order, missing, dups;
  g_autoptr (GVariant) skip = g_variant_lookup_value (d, "skip-bad-rows", G_VARIANT_TYPE_BOOLEAN);
  g_autoptr (GVariant) delim = g_variant_lookup_value (d, "delimiter", G_VARIANT_TYPE_BYTE);

  if (!lookup_enum (d, "format", TC_FORMAT_WIDE, TC_FORMAT_AUTO, &format)
      || !lookup_enum (d, "freq", TC_FREQ_YEARLY, TC_FREQ_UNKNOWN, &freq)
      || !lookup_enum (d, "date-order", TC_DATE_ORDER_MONTH_FIRST, TC_DATE_ORDER_AUTO, &order)
      || !lookup_enum (d, "missing", TC_MISSING_INTERPOLATE, TC_MISSING_KEEP, &missing)
      || !lookup_enum (d, "duplicates", TC_DUPLICATES_SUM, TC_DUPLICATES_ERROR, &dups))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s: the import options are not valid"), name);
      return FALSE;
    }
  o->date_col = lookup_string (d, "date-col");
  o->series_cols = lookup_strv (d, "series-cols");
  o->target_col = lookup_string (d, "target-col");
  o->known_cols = lookup_strv (d, "known-cols");
  o->observed_cols = lookup_strv (d, "observed-cols");
  o->static_cols = lookup_strv (d, "static-cols");
  o->text_col = lookup_string (d, "text-col");
  o->news_path = lookup_string (d, "news-path");
  o->news_date_col = lookup_string (d, "news-date-col");
  o->news_text_col = lookup_string (d, "news-text-col");
  o->news_category_col = lookup_string (d, "news-category-col");
  /* A project opens with its data even when the news file is gone or
   * broken: the import leaves the news out and says why. */
  o->news_optional = TRUE;
  o->ignore_cols = lookup_strv (d, "ignore-cols");
  o->format = format;
  o->freq = freq;
  o->start = lookup_string (d, "start");
  o->date_order = order;
  o->missing = missing;
  o->duplicates = dups;
  o->skip_bad_rows = skip ? g_variant_get_boolean (skip) : FALSE;
  o->delimiter = delim ? (char) g_variant_get_byte (delim) : 0;
  o->encoding = lookup_string (d, "encoding");
  return TRUE;
}

static TcDataset *
future_from_variant (GVariant *d, const char *name, GError **error)
{
  g_autoptr (GVariant) vt = g_variant_lookup_value (d, "times", G_VARIANT_TYPE ("ax"));
  g_autoptr (GVariant) vk = g_variant_lookup_value (d, "kinds", G_VARIANT_TYPE ("au"));
  g_autoptr (GVariant) vv = g_variant_lookup_value (d, "values", G_VARIANT_TYPE ("ad"));
  g_autoptr (GVariant) vw = g_variant_lookup_value (d, "week-start", G_VARIANT_TYPE_INT32);
  g_auto (GStrv) series = lookup_strv (d, "series");
  g_auto (GStrv) names = lookup_strv (d, "names");
  const gint64 *times;
  const guint32 *kinds;
  const double *values;
  gsize n_times = 0, n_kinds = 0, n_values = 0;
  guint freq, n_series, n_known;
  TcDataset *f;

  if (vt == NULL || vk == NULL || vv == NULL || series == NULL || names == NULL
      || !lookup_enum (d, "freq", TC_FREQ_YEARLY, TC_FREQ_UNKNOWN, &freq))
    goto bad;
  times = g_variant_get_fixed_array (vt, &n_times, sizeof (gint64));
  kinds = g_variant_get_fixed_array (vk, &n_kinds, sizeof (guint32));
  values = g_variant_get_fixed_array (vv, &n_values, sizeof (double));
  n_series = g_strv_length (series);
  n_known = g_strv_length (names);
  /* Every length against the others, in 64 bits before any product. */
  if (n_times == 0 || n_series == 0 || n_kinds != n_known || n_times > G_MAXUINT
      || (guint64) n_known * n_series * n_times > MAX_FUTURE_CELLS
      || n_values != (gsize) n_known * n_series * n_times)
    goto bad;
  for (gsize t = 1; t < n_times; t++)
    if (times[t] <= times[t - 1])
      goto bad;
  for (guint k = 0; k < n_known; k++)
    if (kinds[k] > TC_COVARIATE_LOG_PRICE)
      goto bad;

  f = tc_dataset_new (freq, n_series, (guint) n_times, n_known, 0, 0, FALSE);
  f->week_start = vw ? CLAMP (g_variant_get_int32 (vw), 1, 7) : 1;
  memcpy (f->times, times, sizeof (gint64) * n_times);
  for (guint s = 0; s < n_series; s++)
    f->series_ids[s] = g_strdup (series[s]);
  for (guint k = 0; k < n_known; k++)
    {
      f->known_names[k] = g_strdup (names[k]);
      f->known_kinds[k] = kinds[k];
    }
  if (n_values > 0)
    memcpy (f->known, values, sizeof (double) * n_values);
  tc_dataset_update_bounds (f);
  return f;

bad:
  g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s: the future plan is not valid"), name);
  return NULL;
}

static gboolean
changes_from_variant (GVariant *v, GArray *changes, const char *name, GError **error)
{
  gsize n = g_variant_n_children (v);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (v, i);
      g_autoptr (GVariant) value = g_variant_lookup_value (row, "value", G_VARIANT_TYPE_DOUBLE);
      g_autoptr (GVariant) from = g_variant_lookup_value (row, "from", G_VARIANT_TYPE_INT64);
      g_autoptr (GVariant) to = g_variant_lookup_value (row, "to", G_VARIANT_TYPE_INT64);
      g_autofree char *kind = lookup_string (row, "kind");
      g_autofree char *cov = lookup_string (row, "covariate");
      int k = tc_project_change_kind_from_string (kind);
      TcProjectChange c;

      if (k < 0 || value == NULL || from == NULL || to == NULL || !isfinite (g_variant_get_double (value))
          || (k == TC_LEVER_FLAG && cov == NULL))
        {
          g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                       _("%s: scenario change %u is not valid"), name, (guint) i + 1);
          return FALSE;
        }
      c.kind = k;
      c.covariate = k == TC_LEVER_FLAG ? g_steal_pointer (&cov) : NULL;
      c.value = g_variant_get_double (value);
      c.from = MIN (g_variant_get_int64 (from), g_variant_get_int64 (to));
      c.to = MAX (g_variant_get_int64 (from), g_variant_get_int64 (to));
      g_array_append_val (changes, c);
    }
  return TRUE;
}

static gboolean
plan_from_variant (GVariant *d, TcProject *p, const char *name, GError **error)
{
  g_autoptr (GVariant) lead = g_variant_lookup_value (d, "lead-time", G_VARIANT_TYPE_UINT32);
  g_autoptr (GVariant) review = g_variant_lookup_value (d, "review-period", G_VARIANT_TYPE_UINT32);
  g_autoptr (GVariant) level = g_variant_lookup_value (d, "service-level", G_VARIANT_TYPE_DOUBLE);
  g_autofree char *stock = lookup_string (d, "stock-path");

  if (lead == NULL || review == NULL || level == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("%s: the plan needs a lead time, a review period and a service level"), name);
      return FALSE;
    }
  if (g_variant_get_uint32 (review) == 0 || !(g_variant_get_double (level) > 0 && g_variant_get_double (level) < 1))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE,
                   _("%s: the plan's review period must be at least 1 and its service level between 0 and 1"),
                   name);
      return FALSE;
    }
  if (stock != NULL && !g_path_is_absolute (stock))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s: the plan's stock file path is not absolute"), name);
      return FALSE;
    }
  p->has_plan = TRUE;
  p->plan_lead_time = g_variant_get_uint32 (lead);
  p->plan_review_period = g_variant_get_uint32 (review);
  p->plan_service_level = g_variant_get_double (level);
  p->plan_stock_path = g_steal_pointer (&stock);
  return TRUE;
}

static gboolean
lookup_u32 (GVariant *d, const char *key, guint *out)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (d, key, G_VARIANT_TYPE_UINT32);

  if (v == NULL)
    return FALSE;
  *out = g_variant_get_uint32 (v);
  return TRUE;
}

static gboolean
lookup_double (GVariant *d, const char *key, double *out)
{
  g_autoptr (GVariant) v = g_variant_lookup_value (d, key, G_VARIANT_TYPE_DOUBLE);

  if (v == NULL)
    return FALSE;
  *out = g_variant_get_double (v);
  return TRUE;
}

static TcExplainResult *
drivers_from_variant (GVariant *d)
{
  g_autoptr (GVariant) origins = g_variant_lookup_value (d, "origins", G_VARIANT_TYPE ("au"));
  g_autoptr (GVariant) list = g_variant_lookup_value (d, "list", G_VARIANT_TYPE ("aa{sv}"));
  TcExplainResult *ex = g_new0 (TcExplainResult, 1);
  gsize n_origins = 0;
  const guint32 *o;

  if (origins == NULL || list == NULL || !lookup_u32 (d, "horizon", &ex->horizon)
      || !lookup_u32 (d, "windows", &ex->n_windows) || !lookup_double (d, "base-loss", &ex->base_loss)
      || !lookup_double (d, "base-smape", &ex->base_smape))
    goto bad;
  o = g_variant_get_fixed_array (origins, &n_origins, sizeof (guint32));
  ex->n_origins = (guint) n_origins;
  ex->origins = g_memdup2 (o, sizeof (guint) * n_origins);
  ex->n_drivers = (guint) g_variant_n_children (list);
  ex->drivers = g_new0 (TcDriverImportance, ex->n_drivers);
  for (guint i = 0; i < ex->n_drivers; i++)
    {
      g_autoptr (GVariant) r = g_variant_get_child_value (list, i);
      TcDriverImportance *di = &ex->drivers[i];
      guint kind, ckind;

      di->name = lookup_string (r, "name");
      if (di->name == NULL || !lookup_u32 (r, "kind", &kind) || kind > TC_DRIVER_HISTORY
          || !lookup_u32 (r, "covariate-kind", &ckind) || ckind > TC_COVARIATE_LOG_PRICE
          || !lookup_double (r, "importance", &di->importance)
          || !lookup_double (r, "importance-sd", &di->importance_sd)
          || !lookup_double (r, "loss", &di->loss) || !lookup_double (r, "smape", &di->smape))
        goto bad;
      di->kind = kind;
      di->covariate_kind = ckind;
    }
  return ex;

bad:
  tc_explain_result_free (ex);
  return NULL;
}

static gboolean
evaluation_from_variant (GVariant *d, TcProject *p, const char *name, GError **error)
{
  TcBacktestConfig *c = &p->eval_config;
  g_autoptr (GVariant) q = g_variant_lookup_value (d, "quantiles", G_VARIANT_TYPE ("ad"));
  g_autoptr (GVariant) f = g_variant_lookup_value (d, "forecasts", G_VARIANT_TYPE ("ad"));
  g_autoptr (GVariant) drivers = g_variant_lookup_value (d, "drivers", G_VARIANT_TYPE_VARDICT);
  g_auto (GStrv) models = lookup_strv (d, "models");
  g_auto (GStrv) series = lookup_strv (d, "series");
  guint aggregate = 0;
  gsize nq = 0, nf = 0;
  const double *qv, *fv;
  guint64 want;

  memset (c, 0, sizeof *c);
  if (q == NULL || f == NULL || models == NULL || models[0] == NULL || series == NULL || series[0] == NULL
      || !lookup_u32 (d, "horizon", &c->h) || !lookup_u32 (d, "folds", &c->n_folds)
      || !lookup_u32 (d, "step", &c->step) || !lookup_u32 (d, "end", &c->end)
      || !lookup_u32 (d, "season", &c->m) || !lookup_u32 (d, "aggregate", &aggregate)
      || c->h == 0 || c->n_folds == 0 || c->step == 0 || aggregate > TC_AGGREGATE_VOLUME
      || (guint64) c->h + (guint64) (c->n_folds - 1) * c->step >= c->end)
    goto bad;
  c->aggregate = aggregate;
  qv = g_variant_get_fixed_array (q, &nq, sizeof (double));
  if (nq == 0)
    goto bad;
  for (gsize i = 0; i < nq; i++)
    if (!(qv[i] > 0 && qv[i] < 1) || (i > 0 && !(qv[i] > qv[i - 1])))
      goto bad;
  fv = g_variant_get_fixed_array (f, &nf, sizeof (double));
  want = (guint64) g_strv_length (models) * c->n_folds * g_strv_length (series) * c->h * nq;
  if (want != nf)
    goto bad;
  if (drivers != NULL && (p->eval_drivers = drivers_from_variant (drivers)) == NULL)
    goto bad;
  c->nq = (guint) nq;
  p->eval_quantiles = g_memdup2 (qv, sizeof (double) * nq);
  c->q = p->eval_quantiles;
  p->eval_forecasts = g_memdup2 (fv, sizeof (double) * nf);
  p->eval_models = g_steal_pointer (&models);
  p->eval_series = g_steal_pointer (&series);
  p->has_evaluation = TRUE;
  return TRUE;

bad:
  g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s: the saved backtest is incomplete or inconsistent"), name);
  return FALSE;
}

TcProject *
tc_project_from_bytes (GBytes     *bytes,
                       const char *name,
                       GError    **error)
{
  g_autoptr (TcProject) p = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GVariant) payload = NULL;
  g_autoptr (GVariant) v = NULL;
  g_autofree char *sum = NULL;
  const char *data;
  gsize n, i = 0;
  guint64 version, length;
  char hex[65];

  g_return_val_if_fail (bytes != NULL, NULL);

  if (name == NULL)
    name = _("The project");
  data = g_bytes_get_data (bytes, &n);
  if (n < strlen (MAGIC) || memcmp (data, MAGIC, strlen (MAGIC)) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s is not a Trendcast project"), name);
      return NULL;
    }
  i = strlen (MAGIC);
  if (!read_decimal (data, MIN (n, MAX_HEADER), &i, '\n', &version) || version == 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   _("%s is damaged: its format version cannot be read"), name);
      return NULL;
    }
  if (version > TC_PROJECT_FORMAT_VERSION)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   _("%s was saved by a newer Trendcast (project format %llu; this version reads "
                     "up to %d): update Trendcast to open it"),
                   name, (unsigned long long) version, TC_PROJECT_FORMAT_VERSION);
      return NULL;
    }
  if (!read_decimal (data, MIN (n, MAX_HEADER), &i, ' ', &length)
      || i + 65 > MIN (n, MAX_HEADER) || data[i + 64] != '\n')
    goto corrupt;
  for (guint j = 0; j < 64; j++)
    {
      if (!g_ascii_isxdigit (data[i + j]) || g_ascii_isupper (data[i + j]))
        goto corrupt;
      hex[j] = data[i + j];
    }
  hex[64] = 0;
  i += 65;
  if (length != n - i)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   n - i < length ? _("%s is truncated: %llu of its %llu bytes are there")
                                  : _("%s is damaged: %llu bytes where %llu were written"),
                   name, (unsigned long long) (n - i), (unsigned long long) length);
      return NULL;
    }
  body = g_bytes_new_from_bytes (bytes, i, (gsize) length);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  if (strcmp (sum, hex) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   _("%s is damaged: its checksum does not match its contents"), name);
      return NULL;
    }

  /* Not trusted: GVariant checks every offset of untrusted data as it
   * is read and yields empty values for what does not fit. */
  payload = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, body, FALSE));
  if (G_BYTE_ORDER == G_BIG_ENDIAN)
    {
      GVariant *swapped = g_variant_byteswap (payload);

      g_variant_unref (payload);
      payload = swapped;
    }

  p = tc_project_new ();
  p->generator = lookup_string (payload, "generator");
  if ((v = g_variant_lookup_value (payload, "saved", G_VARIANT_TYPE_INT64)))
    p->saved = g_variant_get_int64 (v);
  g_clear_pointer (&v, g_variant_unref);
  p->data_path = lookup_string (payload, "data-path");
  if ((v = g_variant_lookup_value (payload, "data-size", G_VARIANT_TYPE_UINT64)))
    p->data_size = g_variant_get_uint64 (v);
  g_clear_pointer (&v, g_variant_unref);
  if ((v = g_variant_lookup_value (payload, "data-mtime", G_VARIANT_TYPE_INT64)))
    p->data_mtime = g_variant_get_int64 (v);
  g_clear_pointer (&v, g_variant_unref);
  p->data_sha256 = lookup_string (payload, "data-sha256");
  p->data_embedded = lookup_bytes (payload, "data-embedded");
  if (p->data_path != NULL && !g_path_is_absolute (p->data_path))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_PARSE, _("%s: the data path is not absolute"), name);
      return NULL;
    }
  if ((v = g_variant_lookup_value (payload, "import", G_VARIANT_TYPE_VARDICT))
      && !import_from_variant (v, &p->import_options, name, error))
    return NULL;
  g_clear_pointer (&v, g_variant_unref);
  p->model = lookup_bytes (payload, "model");
  if ((v = g_variant_lookup_value (payload, "future", G_VARIANT_TYPE_VARDICT))
      && (p->future = future_from_variant (v, name, error)) == NULL)
    return NULL;
  g_clear_pointer (&v, g_variant_unref);
  if ((v = g_variant_lookup_value (payload, "changes", G_VARIANT_TYPE ("aa{sv}")))
      && !changes_from_variant (v, p->changes, name, error))
    return NULL;
  g_clear_pointer (&v, g_variant_unref);
  p->scope = lookup_strv (payload, "scope");
  if (p->scope != NULL && p->scope[0] == NULL)
    g_clear_pointer (&p->scope, g_strfreev);
  p->view_page = lookup_string (payload, "view-page");
  p->view_level = lookup_string (payload, "view-level");
  p->view_series = lookup_string (payload, "view-series");
  p->autosave_of = lookup_string (payload, "autosave-of");
  if ((v = g_variant_lookup_value (payload, "plan", G_VARIANT_TYPE_VARDICT))
      && !plan_from_variant (v, p, name, error))
    return NULL;
  g_clear_pointer (&v, g_variant_unref);
  if ((v = g_variant_lookup_value (payload, "evaluation", G_VARIANT_TYPE_VARDICT))
      && !evaluation_from_variant (v, p, name, error))
    return NULL;
  g_clear_pointer (&v, g_variant_unref);
  g_clear_pointer (&v, g_variant_unref);
  if ((v = g_variant_lookup_value (payload, "scenario-book", G_VARIANT_TYPE ("a(sas)")))
      && (p->scenario_book = book_from_variant (v, name, error)) == NULL)
    return NULL;
  return g_steal_pointer (&p);

corrupt:
  g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT, _("%s is damaged: its header cannot be read"), name);
  return NULL;
}

TcProject *
tc_project_load (const char *path,
                 GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GError) local = NULL;
  GBytes *bytes;
  TcProject *p;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!tc_file_check_regular (path, _("Cannot read project"), error))
    return NULL;
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot read project “%s”: %s"), path, local->message);
      return NULL;
    }
  base = g_strdup_printf ("“%s”", path);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  p = tc_project_from_bytes (bytes, base, error);
  g_bytes_unref (bytes);
  /* A news file gone from its place but beside the project (a folder
   * moved as a whole) is taken from there, as the data is. */
  if (p != NULL && p->import_options.news_path != NULL
      && !g_file_test (p->import_options.news_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *nbase = g_path_get_basename (p->import_options.news_path);
      g_autofree char *beside = g_build_filename (dir, nbase, NULL);
      g_autofree char *abs = g_canonicalize_filename (beside, NULL);

      if (g_file_test (abs, G_FILE_TEST_IS_REGULAR))
        {
          g_free (p->import_options.news_path);
          p->import_options.news_path = g_steal_pointer (&abs);
        }
    }
  return p;
}

gboolean
tc_project_sniff (const char *path)
{
  char buf[sizeof MAGIC - 1];
  gboolean is = FALSE;
  FILE *f;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || (f = g_fopen (path, "rb")) == NULL)
    return FALSE;
  is = fread (buf, 1, sizeof buf, f) == sizeof buf && memcmp (buf, MAGIC, sizeof buf) == 0;
  fclose (f);
  return is;
}

/* -- the data ------------------------------------------------------------- */

static char *
file_sha256 (const char *path, GBytes **bytes_out, GError **error)
{
  g_autoptr (GMappedFile) map = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = NULL;
  char *sum;

  if (!tc_file_check_regular (path, _("Cannot read data"), error))
    return NULL;
  map = g_mapped_file_new (path, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot read data “%s”: %s"), path, local->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (map);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (bytes_out)
    /* A copy: the mapping would see later changes of the file. */
    *bytes_out = g_bytes_new (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return sum;
}

gboolean
tc_project_set_data_file (TcProject  *p,
                          const char *path,
                          gboolean    embed,
                          GError    **error)
{
  g_autofree char *abs = NULL;
  g_autofree char *sum = NULL;
  g_autoptr (GBytes) copy = NULL;
  GStatBuf st;

  g_return_val_if_fail (p != NULL && path != NULL, FALSE);

  abs = g_canonicalize_filename (path, NULL);
  sum = file_sha256 (abs, embed ? &copy : NULL, error);
  if (sum == NULL)
    return FALSE;
  if (g_stat (abs, &st) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot read data “%s”: %s"), abs, g_strerror (errno));
      return FALSE;
    }
  g_free (p->data_path);
  p->data_path = g_steal_pointer (&abs);
  g_free (p->data_sha256);
  p->data_sha256 = g_steal_pointer (&sum);
  p->data_size = (guint64) st.st_size;
  p->data_mtime = (gint64) st.st_mtime;
  g_clear_pointer (&p->data_embedded, g_bytes_unref);
  p->data_embedded = g_steal_pointer (&copy);
  return TRUE;
}

TcProject *
tc_project_capture (TcSession *session,
                    gboolean   embed,
                    GError   **error)
{
  g_autoptr (TcProject) p = tc_project_new ();
  GFile *file;
  const TcImportOptions *opts;
  TcForecaster *fc;

  g_return_val_if_fail (TC_IS_SESSION (session), NULL);

  file = tc_session_get_file (session);
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Only data in a local file can be part of a project"));
          return NULL;
        }
      if (!tc_project_set_data_file (p, path, embed, error))
        return NULL;
    }
  opts = tc_session_get_import_options (session);
  if (opts != NULL)
    {
      tc_import_options_clear (&p->import_options);
      tc_import_options_copy (&p->import_options, opts);
    }
  fc = tc_session_get_forecaster (session);
  if (fc != NULL && (p->model = tc_forecaster_to_bytes (fc, error)) == NULL)
    return NULL;
  if (tc_session_get_future (session) != NULL)
    p->future = tc_dataset_copy (tc_session_get_future (session));
  if (tc_scenario_book_get_n (tc_session_get_scenario_book (session)) > 0)
    p->scenario_book = tc_scenario_book_copy (tc_session_get_scenario_book (session));
  return g_steal_pointer (&p);
}

/* Writes the embedded copy once into the user's cache, named by its
 * checksum: the importer reads files, and the same project opened twice
 * finds it there. */
static char *
extract_embedded (const TcProject *p, GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "trendcast", "project-data", NULL);
  g_autofree char *base = p->data_path ? g_path_get_basename (p->data_path) : g_strdup ("data.csv");
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, p->data_embedded);
  g_autofree char *sub = g_build_filename (dir, sum, NULL);
  g_autofree char *path = g_build_filename (sub, base, NULL);
  g_autofree char *have = NULL;
  gsize len;
  const char *data;

  if (p->data_sha256 != NULL && strcmp (sum, p->data_sha256) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT, _("The project’s copy of the data is damaged"));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && (have = file_sha256 (path, NULL, NULL))
      && strcmp (have, sum) == 0)
    return g_steal_pointer (&path);
  if (g_mkdir_with_parents (sub, 0700) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, _("Cannot write “%s”: %s"), sub, g_strerror (errno));
      return NULL;
    }
  data = g_bytes_get_data (p->data_embedded, &len);
  if (!tc_file_set_contents (path, data, (gssize) len, error))
    return NULL;
  return g_steal_pointer (&path);
}

char *
tc_project_find_data (const TcProject *p,
                      const char      *project_path,
                      gboolean        *changed_out,
                      GError         **error)
{
  g_autofree char *beside = NULL;
  const char *found = NULL;

  g_return_val_if_fail (p != NULL, NULL);

  if (changed_out)
    *changed_out = FALSE;
  if (p->data_path == NULL && p->data_embedded == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("The project has no data"));
      return NULL;
    }
  if (p->data_path && g_file_test (p->data_path, G_FILE_TEST_IS_REGULAR))
    found = p->data_path;
  else if (p->data_path && project_path)
    {
      g_autofree char *dir = g_path_get_dirname (project_path);
      g_autofree char *base = g_path_get_basename (p->data_path);

      beside = g_build_filename (dir, base, NULL);
      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        found = beside;
    }
  if (found == NULL && p->data_embedded != NULL)
    return extract_embedded (p, error);
  if (found == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO,
                   _("The project’s data “%s” is missing: put it back, or beside the project"), p->data_path);
      return NULL;
    }
  if (changed_out && p->data_sha256)
    {
      g_autofree char *sum = file_sha256 (found, NULL, error);

      if (sum == NULL)
        return NULL;
      *changed_out = strcmp (sum, p->data_sha256) != 0;
    }
  return g_strdup (found);
}

gboolean
tc_project_apply (const TcProject *p,
                  TcSession       *session,
                  GError         **error)
{
  const TcDataset *ds = tc_session_get_dataset (session);
  g_autoptr (TcForecaster) fc = NULL;

  g_return_val_if_fail (p != NULL && TC_IS_SESSION (session), FALSE);

  if (ds == NULL)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_EMPTY, _("The project has no data"));
      return FALSE;
    }
  if (p->model != NULL)
    {
      const char * const *known;

      fc = tc_forecaster_from_bytes (p->model, _("the project’s model"), error);
      if (fc == NULL)
        return FALSE;
      known = tc_forecaster_get_known_names (fc);
      for (guint k = 0; known && known[k]; k++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < ds->n_known && !found; j++)
            found = g_strcmp0 (ds->known_names[j], known[k]) == 0;
          if (!found)
            {
              g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                           _("The project’s model needs the column “%s”, which the data no longer has"), known[k]);
              return FALSE;
            }
        }
    }
  if (p->future != NULL)
    {
      gboolean same = p->future->n_series == ds->n_series && p->future->freq == ds->freq;

      for (guint s = 0; same && s < ds->n_series; s++)
        same = g_strcmp0 (p->future->series_ids[s], ds->series_ids[s]) == 0;
      if (!same)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("The project’s future plan is for other series than the data has"));
          return FALSE;
        }
    }
  if (fc != NULL)
    {
      TcForecasterOptions *o = tc_session_get_forecaster_options (session);

      *o = *tc_forecaster_get_options (fc);
      tc_session_set_forecaster (session, g_steal_pointer (&fc));
      /* The project holds it: closing loses nothing the project lacks. */
      tc_session_set_model_saved (session);
      tc_session_forecaster_options_changed (session);
    }
  if (p->future != NULL)
    tc_session_set_future (session, tc_dataset_copy (p->future));
  tc_session_set_scenario_book (session, p->scenario_book ? tc_scenario_book_copy (p->scenario_book) : NULL);
  return TRUE;
}

gboolean
tc_project_open_session (const TcProject *p,
                         const char      *project_path,
                         TcSession       *session,
                         GCancellable    *cancellable,
                         gboolean        *changed_out,
                         GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;

  path = tc_project_find_data (p, project_path, changed_out, error);
  if (path == NULL)
    return FALSE;
  file = g_file_new_for_path (path);
  return tc_session_import (session, file, &p->import_options, cancellable, error)
         && tc_project_apply (p, session, error);
}

gboolean
tc_project_build_edits (const TcProject *p,
                        TcForecaster    *fc,
                        const TcDataset *ds,
                        GArray          *edits,
                        GError         **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  return tc_project_changes_to_edits (p->changes, (const char * const *) p->scope, fc, ds, edits, error);
}

gboolean
tc_project_changes_to_edits (const GArray        *changes,
                             const char * const  *sc,
                             TcForecaster        *fc,
                             const TcDataset     *ds,
                             GArray              *edits,
                             GError             **error)
{
  g_autoptr (GArray) scope = g_array_new (FALSE, FALSE, sizeof (int));
  TcLeverColumns cols;

  g_return_val_if_fail (changes != NULL && fc != NULL && ds != NULL && edits != NULL, FALSE);

  for (guint i = 0; sc && sc[i]; i++)
    {
      int found = -1;

      for (guint s = 0; s < ds->n_series && found < 0; s++)
        if (g_strcmp0 (ds->series_ids[s], sc[i]) == 0)
          found = (int) s;
      if (found < 0)
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("The project’s scenario is for the series “%s”, which the data does not have"),
                       sc[i]);
          return FALSE;
        }
      g_array_append_val (scope, found);
    }
  /* As the Scenarios page: one edit for all series, or one per series. */
  if (scope->len == 0 || scope->len == ds->n_series)
    {
      int all = -1;

      g_array_set_size (scope, 0);
      g_array_append_val (scope, all);
    }
  tc_lever_columns (fc, ds, &cols);
  for (guint i = 0; i < changes->len; i++)
    {
      const TcProjectChange *c = &g_array_index (changes, TcProjectChange, i);

      for (guint j = 0; j < scope->len; j++)
        if (!tc_lever_append_edits (&cols, c->kind, c->covariate,
                                    c->kind == TC_LEVER_PROMOTION ? 1.0 : c->value,
                                    c->from, c->to, g_array_index (scope, int, j), edits))
          {
            g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                         _("The model has no column for the project’s scenario change %u (%s)"),
                         i + 1, tc_project_change_kind_to_string (c->kind));
            return FALSE;
          }
    }
  return TRUE;
}

/* A range end as the page keeps it: the day's first second (a text
 * range ends on the day's last). */
static gint64
day_start (gint64 t)
{
  if (t == G_MININT64 || t == G_MAXINT64)
    return t;
  return t - (((t % 86400) + 86400) % 86400);
}

gboolean
tc_project_changes_from_edits (const char * const  *texts,
                               TcForecaster        *fc,
                               const TcDataset     *ds,
                               GArray              *changes,
                               char              ***scope_out,
                               GError             **error)
{
  g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
  g_autoptr (GArray) scope = NULL;   /* of int: the first row's series, in order */
  TcLeverColumns cols;
  guint i = 0;

  g_return_val_if_fail (texts != NULL && fc != NULL && ds != NULL && changes != NULL && scope_out != NULL,
                        FALSE);

  *scope_out = NULL;
  g_array_set_clear_func (edits, tc_scenario_edit_clear);
  for (guint k = 0; texts[k]; k++)
    {
      TcScenarioEdit e;

      if (!tc_scenario_edit_parse (texts[k], ds, &e, error))
        return FALSE;
      g_array_append_val (edits, e);
    }
  tc_lever_columns (fc, ds, &cols);
  while (i < edits->len)
    {
      const TcScenarioEdit *e = &g_array_index (edits, TcScenarioEdit, i);
      g_autoptr (GArray) series = g_array_new (FALSE, FALSE, sizeof (int));
      TcProjectChange c = { .kind = TC_LEVER_FLAG, .value = e->value, .from = day_start (e->from),
                            .to = day_start (e->to) };
      guint width = 1;   /* edits per series: 2 for a discount with its price */
      gboolean same;

      if (g_strcmp0 (e->covariate, cols.promotion) == 0 && e->op == TC_SCENARIO_SET && e->value == 1)
        c.kind = TC_LEVER_PROMOTION;
      else if (g_strcmp0 (e->covariate, cols.discount) == 0 && e->op == TC_SCENARIO_SET && cols.discount_scale > 0)
        {
          c.kind = TC_LEVER_DISCOUNT;
          c.value = e->value / cols.discount_scale;
          if (i + 1 < edits->len)
            {
              const TcScenarioEdit *p = &g_array_index (edits, TcScenarioEdit, i + 1);

              if (g_strcmp0 (p->covariate, cols.price) == 0 && p->op == TC_SCENARIO_SCALE
                  && p->from == e->from && p->to == e->to && p->series == e->series
                  && fabs (p->value - (1.0 - c.value / 100.0)) < 1e-9)
                width = 2;
            }
        }
      else if (g_strcmp0 (e->covariate, cols.price) == 0 && e->op == TC_SCENARIO_SCALE)
        c.kind = TC_LEVER_PRICE;
      else if (g_strcmp0 (e->covariate, cols.competitor) == 0 && e->op == TC_SCENARIO_SCALE)
        c.kind = TC_LEVER_COMPETITOR;
      else if (e->op == TC_SCENARIO_SET)
        c.covariate = g_strdup (e->covariate);
      else
        {
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("“%s” multiplies a column that is not a price: the Scenarios page has no row for it"),
                       texts[i]);
          return FALSE;
        }
      /* The same change repeated for further series: one row. */
      g_array_append_val (series, e->series);
      for (same = TRUE; same && i + width * series->len < edits->len;)
        {
          guint j = i + width * series->len;

          for (guint w = 0; w < width && same; w++)
            {
              const TcScenarioEdit *a = &g_array_index (edits, TcScenarioEdit, i + w);
              const TcScenarioEdit *b = j + w < edits->len ? &g_array_index (edits, TcScenarioEdit, j + w) : NULL;

              same = b != NULL && a->series >= 0 && b->series >= 0 && g_strcmp0 (a->covariate, b->covariate) == 0
                     && a->op == b->op && a->value == b->value && a->from == b->from && a->to == b->to
                     && b->series == g_array_index (edits, TcScenarioEdit, j).series;
            }
          if (same)
            g_array_append_val (series, g_array_index (edits, TcScenarioEdit, j).series);
        }
      if (scope == NULL)
        scope = g_array_ref (series);
      else if (scope->len != series->len
               || memcmp (scope->data, series->data, series->len * sizeof (int)) != 0)
        {
          g_free (c.covariate);
          g_set_error (error, TC_ERROR, TC_ERROR_SCHEMA,
                       _("“%s” applies to other series than the changes before it: the Scenarios page applies "
                         "all changes to the same series"), texts[i]);
          return FALSE;
        }
      g_array_append_val (changes, c);
      i += width * series->len;
    }
  if (scope != NULL && !(scope->len == 1 && g_array_index (scope, int, 0) < 0))
    {
      *scope_out = g_new0 (char *, scope->len + 1);
      for (guint k = 0; k < scope->len; k++)
        (*scope_out)[k] = g_strdup (ds->series_ids[g_array_index (scope, int, k)]);
    }
  return TRUE;
}
