/* test-project.c — .trendcast project files: round trip, damage refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real files in a temporary directory: a CSV written from the synthetic
 * dataset, imported, a tiny model trained on it, a plan and scenario
 * changes; the project saved, reopened in a new session, and the
 * forecasts and scenario compared bit for bit.  Then every way a file
 * can be damaged: cut at every length, any bit flipped, a newer format,
 * a valid checksum over nonsense.
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "tc-error.h"
#include "tc-file.h"
#include "tc-future-plan.h"
#include "tc-project.h"
#include "faults.h"

#include "project-fixture.h"

static char *tmpdir;
static char *csv_path;
static TcSession *shared_session;   /* imported and trained once */

static TcProject *
capture (TcSession *session, gboolean embed)
{
  g_autoptr (GError) error = NULL;
  TcProject *p = tc_project_capture (session, embed, &error);
  const TcDataset *f = tc_session_get_future (session);
  const char *scope[] = { "sku001", "sku002", NULL };

  g_assert_no_error (error);
  g_assert_nonnull (p);
  tc_project_add_change (p, TC_LEVER_PROMOTION, NULL, 1, f->times[1], f->times[2]);
  tc_project_add_change (p, TC_LEVER_PRICE, NULL, 0.8, f->times[0], f->times[H - 1]);
  tc_project_add_change (p, TC_LEVER_FLAG, "promo", 1, f->times[3], f->times[3]);
  p->scope = g_strdupv ((char **) scope);
  p->view_page = g_strdup ("scenarios");
  p->view_series = g_strdup ("sku002");
  return p;
}

static void
assert_forecasts_equal (const TcForecast *a, const TcForecast *b)
{
  g_assert_cmpuint (a->n_series, ==, b->n_series);
  g_assert_cmpuint (a->horizon, ==, b->horizon);
  g_assert_cmpuint (a->n_quantiles, ==, b->n_quantiles);
  g_assert_cmpmem (a->values, sizeof (double) * a->n_series * a->horizon * a->n_quantiles,
                   b->values, sizeof (double) * b->n_series * b->horizon * b->n_quantiles);
}

static TcScenarioResult *
run_scenario (const TcProject *p, TcSession *session)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
  TcScenarioResult *r;

  g_array_set_clear_func (edits, tc_scenario_edit_clear);
  g_assert_true (tc_project_build_edits (p, tc_session_get_forecaster (session),
                                         tc_session_get_dataset (session), edits, &error));
  g_assert_no_error (error);
  /* Two series in scope, three changes, a price change is one edit. */
  g_assert_cmpuint (edits->len, ==, 6);
  r = tc_forecaster_scenario_full (tc_session_get_forecaster (session), tc_session_get_dataset (session),
                                   tc_session_get_future (session), TC_ORIGIN_PER_SERIES,
                                   (TcScenarioEdit *) edits->data, edits->len, &error);
  g_assert_no_error (error);
  return r;
}

static void
check_reopened (TcSession *a, TcSession *b, const TcProject *pa, const TcProject *pb)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecast) fa = tc_session_predict (a, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_autoptr (TcForecast) fb = tc_session_predict (b, TC_ORIGIN_PER_SERIES, FALSE, NULL, &error);
  g_autoptr (TcScenarioResult) ra = NULL, rb = NULL;

  g_assert_no_error (error);
  assert_forecasts_equal (fa, fb);
  ra = run_scenario (pa, a);
  rb = run_scenario (pb, b);
  assert_forecasts_equal (ra->baseline, rb->baseline);
  assert_forecasts_equal (ra->scenario, rb->scenario);
  g_assert_cmpmem (ra->uplift_units, sizeof (double) * fa->n_series * H,
                   rb->uplift_units, sizeof (double) * fb->n_series * H);
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = capture (shared_session, FALSE);
  g_autoptr (TcProject) q = NULL;
  g_autoptr (TcSession) reopened = tc_session_new ();
  g_autofree char *path = g_build_filename (tmpdir, "round.trendcast", NULL);
  gboolean changed = TRUE;

  g_assert_true (tc_project_save (p, path, &error));
  g_assert_no_error (error);
  q = tc_project_load (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (q->data_path, ==, p->data_path);
  g_assert_cmpstr (q->data_sha256, ==, p->data_sha256);
  g_assert_cmpuint (q->data_size, ==, p->data_size);
  g_assert_cmpint (q->data_mtime, ==, p->data_mtime);
  g_assert_null (q->data_embedded);
  g_assert_cmpstr (q->import_options.target_col, ==, "units");
  g_assert_cmpstr (q->import_options.known_cols[1], ==, "price");
  g_assert_true (g_bytes_equal (q->model, p->model));
  g_assert_cmpuint (q->changes->len, ==, 3);
  g_assert_cmpint (g_array_index (q->changes, TcProjectChange, 1).kind, ==, TC_LEVER_PRICE);
  g_assert_cmpfloat (g_array_index (q->changes, TcProjectChange, 1).value, ==, 0.8);
  g_assert_cmpstr (g_array_index (q->changes, TcProjectChange, 2).covariate, ==, "promo");
  g_assert_cmpstr (q->scope[1], ==, "sku002");
  g_assert_cmpstr (q->view_page, ==, "scenarios");
  g_assert_cmpstr (q->view_series, ==, "sku002");
  g_assert_cmpstr (q->generator, ==, "Trendcast " PACKAGE_VERSION);
  g_assert_cmpint (tc_project_change_kind_from_string ("competitor"), ==, TC_LEVER_COMPETITOR);
  g_assert_cmpstr (tc_project_change_kind_to_string (TC_LEVER_COMPETITOR), ==, "competitor");
  g_assert_cmpint (tc_project_change_kind_from_string ("teleport"), ==, -1);
  g_assert_nonnull (q->future);
  g_assert_cmpmem (q->future->known, sizeof (double) * 2 * N_SERIES * q->future->n_times,
                   p->future->known, sizeof (double) * 2 * N_SERIES * p->future->n_times);

  /* Saving what was read gives the same payload (but for the time). */
  g_assert_true (tc_project_open_session (q, path, reopened, NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);
  g_assert_true (tc_session_get_model_saved (reopened));
  check_reopened (shared_session, reopened, p, q);
}

/* A saved scenario goes into the session's book as edit texts, through
 * the project file, and back to the same change rows and scope. */
static void
test_scenario_book (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) rows = capture (shared_session, FALSE);
  g_autoptr (TcProject) p = NULL, q = NULL;
  g_autoptr (GArray) edits = g_array_new (FALSE, TRUE, sizeof (TcScenarioEdit));
  g_autoptr (GArray) back = g_array_new (FALSE, TRUE, sizeof (TcProjectChange));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) scope = NULL;
  g_autoptr (TcSession) reopened = tc_session_new ();
  g_autofree char *path = g_build_filename (tmpdir, "book.trendcast", NULL);
  TcForecaster *fc = tc_session_get_forecaster (shared_session);
  const TcDataset *ds = tc_session_get_dataset (shared_session);
  TcScenarioBook *book;
  const char *all_promo[] = { "promo=1", NULL };

  g_array_set_clear_func (edits, tc_scenario_edit_clear);
  g_array_set_clear_func (back, tc_project_change_clear);
  g_assert_true (tc_project_changes_to_edits (rows->changes, (const char * const *) rows->scope, fc, ds, edits,
                                              &error));
  g_assert_no_error (error);
  for (guint i = 0; i < edits->len; i++)
    g_ptr_array_add (texts, tc_scenario_edit_to_text (&g_array_index (edits, TcScenarioEdit, i), ds));
  g_ptr_array_add (texts, NULL);
  /* The promotion for the first series in scope, its dates as days. */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (texts, 0), "promo=1@"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (texts, 0), "@sku001"));

  book = tc_session_get_scenario_book (shared_session);
  g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 0);
  g_assert_true (tc_scenario_book_set (book, "Two SKUs", (const char * const *) texts->pdata, &error));
  g_assert_true (tc_scenario_book_set (book, "Promotion everywhere", all_promo, &error));
  g_assert_no_error (error);

  p = tc_project_capture (shared_session, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (tc_project_save (p, path, &error));
  q = tc_project_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (q->scenario_book);
  g_assert_cmpuint (tc_scenario_book_get_n (q->scenario_book), ==, 2);
  g_assert_cmpstr (tc_scenario_book_get_name (q->scenario_book, 1), ==, "Promotion everywhere");
  g_assert_true (tc_project_open_session (q, path, reopened, NULL, NULL, &error));
  g_assert_no_error (error);
  book = tc_session_get_scenario_book (reopened);
  g_assert_cmpuint (tc_scenario_book_get_n (book), ==, 2);

  /* Back to rows: the same kinds, values, dates and scope. */
  g_assert_true (tc_project_changes_from_edits (tc_scenario_book_get_edits (book, 0), fc, ds, back, &scope, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, rows->changes->len);
  for (guint i = 0; i < back->len; i++)
    {
      const TcProjectChange *a = &g_array_index (rows->changes, TcProjectChange, i);
      const TcProjectChange *b = &g_array_index (back, TcProjectChange, i);

      /* "promo = 1" as a set value is the promotion row: the same edit. */
      gboolean promo = a->kind == TC_LEVER_FLAG && g_strcmp0 (a->covariate, "promo") == 0 && a->value == 1;

      g_assert_cmpint (promo ? TC_LEVER_PROMOTION : a->kind, ==, b->kind);
      g_assert_cmpfloat (a->value, ==, b->value);
      g_assert_cmpint (a->from, ==, b->from);
      g_assert_cmpint (a->to, ==, b->to);
      g_assert_cmpstr (promo ? NULL : a->covariate, ==, b->covariate);
    }
  g_assert_nonnull (scope);
  g_assert_cmpstrv (scope, rows->scope);
  g_clear_pointer (&scope, g_strfreev);
  g_array_set_size (back, 0);
  g_assert_true (tc_project_changes_from_edits (tc_scenario_book_get_edits (book, 1), fc, ds, back, &scope, &error));
  g_assert_cmpuint (back->len, ==, 1);
  g_assert_null (scope);

  /* Two rows for different series cannot be one page. */
  {
    const char *mixed[] = { "promo=1@..@sku001", "price*0.9@..@sku002", NULL };

    g_array_set_size (back, 0);
    g_assert_false (tc_project_changes_from_edits (mixed, fc, ds, back, &scope, &error));
    g_assert_error (error, TC_ERROR, TC_ERROR_SCHEMA);
  }
  tc_session_set_scenario_book (shared_session, NULL);
}

static void
test_embedded (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = capture (shared_session, TRUE);
  g_autoptr (TcProject) q = NULL;
  g_autoptr (TcSession) reopened = tc_session_new ();
  g_autofree char *path = g_build_filename (tmpdir, "embedded.trendcast", NULL);
  g_autofree char *moved = g_build_filename (tmpdir, "elsewhere.csv", NULL);
  g_autofree char *found = NULL;

  g_assert_nonnull (p->data_embedded);
  g_assert_true (tc_project_save (p, path, &error));
  q = tc_project_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (q->data_embedded, p->data_embedded));

  /* The data gone: the copy is written to the cache and opened. */
  g_assert_cmpint (g_rename (csv_path, moved), ==, 0);
  found = tc_project_find_data (q, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (found, g_get_user_cache_dir ()));
  g_assert_true (tc_project_open_session (q, path, reopened, NULL, NULL, &error));
  g_assert_no_error (error);
  check_reopened (shared_session, reopened, p, q);
  g_assert_cmpint (g_rename (moved, csv_path), ==, 0);
}

static void
test_data_moved_or_changed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = capture (shared_session, FALSE);
  g_autofree char *sub = g_build_filename (tmpdir, "moved", NULL);
  g_autofree char *path = g_build_filename (sub, "p.trendcast", NULL);
  g_autofree char *beside = g_build_filename (sub, "data.csv", NULL);
  g_autofree char *away = g_build_filename (tmpdir, "away.csv", NULL);
  g_autofree char *found = NULL;
  g_autofree char *contents = NULL;
  gboolean changed = TRUE;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (tc_project_save (p, path, &error));
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_cmpint (g_rename (csv_path, away), ==, 0);

  /* Neither where it was nor beside the project: named. */
  found = tc_project_find_data (p, path, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ERROR, TC_ERROR_IO);
  g_assert_nonnull (strstr (error->message, csv_path));
  g_clear_error (&error);

  /* Beside the project, as when a folder was moved. */
  g_assert_true (g_file_set_contents (beside, contents, -1, NULL));
  found = tc_project_find_data (p, path, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, beside);
  g_assert_false (changed);
  g_free (found);

  /* Another file under that name: opened, and said to differ. */
  g_assert_true (g_file_set_contents (beside, "date,sku,units\n", -1, NULL));
  found = tc_project_find_data (p, path, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpint (g_rename (away, csv_path), ==, 0);
}

/* A small project (no model, no data copy): every length can be tried. */
static GBytes *
small_project_bytes (void)
{
  g_autoptr (TcProject) p = capture (shared_session, FALSE);

  g_clear_pointer (&p->model, g_bytes_unref);
  return tc_project_to_bytes (p);
}

static void
assert_refused (GBytes *bytes, const char *what, gsize at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = tc_project_from_bytes (bytes, "test", &error);

  if (p != NULL)
    g_error ("%s at %" G_GSIZE_FORMAT " was accepted", what, at);
  g_assert_nonnull (error);
  g_assert_true (error->domain == TC_ERROR);
  g_assert_true (error->code == TC_ERROR_CORRUPT || error->code == TC_ERROR_PARSE
                 || error->code == TC_ERROR_INCOMPATIBLE);
}

static void
test_truncated (void)
{
  g_autoptr (GBytes) whole = small_project_bytes ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = NULL;
  gsize n = g_bytes_get_size (whole);

  p = tc_project_from_bytes (whole, "test", &error);
  g_assert_no_error (error);
  for (gsize len = 0; len < n; len++)
    {
      g_autoptr (GBytes) cut = g_bytes_new_from_bytes (whole, 0, len);

      assert_refused (cut, "a file cut", len);
    }
  /* And the truncation is said as such. */
  {
    g_autoptr (GBytes) cut = g_bytes_new_from_bytes (whole, 0, n - 10);
    g_autoptr (TcProject) q = tc_project_from_bytes (cut, "test", &error);

    g_assert_null (q);
    g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "truncated"));
  }
  /* A byte too many is damage too. */
  {
    GByteArray *a = g_byte_array_new ();
    g_autoptr (GBytes) longer = NULL;
    g_autoptr (TcProject) q = NULL;

    g_byte_array_append (a, g_bytes_get_data (whole, NULL), n);
    g_byte_array_append (a, (const guint8 *) "x", 1);
    longer = g_byte_array_free_to_bytes (a);
    assert_refused (longer, "a byte appended", n);
  }
  g_test_message ("%" G_GSIZE_FORMAT " lengths refused", n);
}

static void
test_bit_flips (void)
{
  g_autoptr (GBytes) whole = small_project_bytes ();
  gsize n = g_bytes_get_size (whole);
  g_autofree guint8 *buf = g_memdup2 (g_bytes_get_data (whole, NULL), n);
  GRand *rng = g_rand_new_with_seed (5);
  guint n_tried = 0;

  for (gsize i = 0; i < n; i++)
    {
      /* Every bit of the header, one random bit of every payload byte. */
      for (guint b = 0; b < 8; b++)
        {
          g_autoptr (GBytes) flipped = NULL;
          guint bit = i < 100 ? b : (guint) g_rand_int_range (rng, 0, 8);

          if (i >= 100 && b > 0)
            break;
          buf[i] ^= 1u << bit;
          flipped = g_bytes_new (buf, n);
          assert_refused (flipped, "a flipped bit", i);
          buf[i] ^= 1u << bit;
          n_tried++;
        }
    }
  g_rand_free (rng);
  g_test_message ("%u flipped bits refused", n_tried);
}

static GBytes *
with_header (const char *version, GVariant *payload)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (payload);
  g_autoptr (GBytes) body = g_variant_get_data_as_bytes (owned);
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *head = g_strdup_printf ("TRENDCAST-PROJECT %s\n%" G_GSIZE_FORMAT " %s\n",
                                           version, g_bytes_get_size (body), sum);
  GByteArray *a = g_byte_array_new ();

  g_byte_array_append (a, (const guint8 *) head, strlen (head));
  g_byte_array_append (a, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return g_byte_array_free_to_bytes (a);
}

static void
test_newer_version (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = with_header ("2", g_variant_new_parsed ("@a{sv} {}"));
  g_autoptr (TcProject) p = tc_project_from_bytes (bytes, "“new.trendcast”", &error);
  g_autofree char *path = g_build_filename (tmpdir, "new.trendcast", NULL);

  g_assert_null (p);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);

  /* Through a file too, and the file's name is in the message. */
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  p = tc_project_load (path, &error);
  g_assert_null (p);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* An empty payload of this version is an empty project. */
  {
    g_autoptr (GBytes) empty = with_header ("1", g_variant_new_parsed ("@a{sv} {}"));

    p = tc_project_from_bytes (empty, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (p->data_path);
    g_assert_cmpuint (p->changes->len, ==, 0);
    g_clear_pointer (&p, tc_project_free);
  }
}

static void
test_not_a_project (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csv = g_bytes_new_static ("date,sku,units\n", 15);
  g_autoptr (TcProject) p = tc_project_from_bytes (csv, "x.csv", &error);
  g_autofree char *dir = g_build_filename (tmpdir, "a-dir.trendcast", NULL);

  g_assert_null (p);
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "not a Trendcast project"));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  p = tc_project_load (dir, &error);
  g_assert_null (p);
  g_assert_error (error, TC_ERROR, TC_ERROR_IO);
}

/* The Plan page's parameters, back as saved; a project without them
 * leaves the page as it is. */
static void
test_plan (void)
{
  g_autoptr (TcProject) p = tc_project_new ();
  g_autoptr (TcProject) none = NULL, back = NULL;
  g_autoptr (GBytes) bytes = tc_project_to_bytes (p);
  g_autoptr (GBytes) with_plan = NULL;
  g_autoptr (GError) error = NULL;

  none = tc_project_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (none->has_plan);

  p->has_plan = TRUE;
  p->plan_lead_time = 3;
  p->plan_review_period = 2;
  p->plan_service_level = 0.975;
  p->plan_stock_path = g_strdup ("/srv/shop/stock.csv");
  with_plan = tc_project_to_bytes (p);
  back = tc_project_from_bytes (with_plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (back->has_plan);
  g_assert_cmpuint (back->plan_lead_time, ==, 3);
  g_assert_cmpuint (back->plan_review_period, ==, 2);
  g_assert_cmpfloat (back->plan_service_level, ==, 0.975);
  g_assert_cmpstr (back->plan_stock_path, ==, "/srv/shop/stock.csv");
}

/* A valid checksum over contents no Trendcast wrote: refused, no crash. */
static void
test_hand_made (void)
{
  const char *bad[] = {
    /* A future whose values do not fill names × series × times. */
    "{'future': <{'freq': <@u 3>, 'times': <@ax [1, 2]>, 'series': <['a']>, 'names': <['promo']>,"
    " 'kinds': <@au [1]>, 'values': <@ad [1.0]>}>}",
    /* Dates not increasing. */
    "{'future': <{'freq': <@u 3>, 'times': <@ax [2, 1]>, 'series': <['a']>, 'names': <@as []>,"
    " 'kinds': <@au []>, 'values': <@ad []>}>}",
    "{'future': <{'freq': <@u 99>, 'times': <@ax [1]>, 'series': <['a']>, 'names': <@as []>,"
    " 'kinds': <@au []>, 'values': <@ad []>}>}",
    "{'changes': <[{'kind': <'teleport'>, 'value': <1.0>, 'from': <@x 0>, 'to': <@x 1>}]>}",
    "{'changes': <[{'kind': <'set'>, 'value': <1.0>, 'from': <@x 0>, 'to': <@x 1>}]>}",
    "{'changes': <[{'kind': <'price'>, 'value': <inf>, 'from': <@x 0>, 'to': <@x 1>}]>}",
    "{'import': <{'freq': <@u 1000>}>}",
    "{'data-path': <'relative/data.csv'>}",
    /* A plan without its service level, a zero review period, a level
     * of 100 %, a relative stock file. */
    "{'plan': <{'lead-time': <@u 1>, 'review-period': <@u 1>}>}",
    "{'plan': <{'lead-time': <@u 1>, 'review-period': <@u 0>, 'service-level': <0.9>}>}",
    "{'plan': <{'lead-time': <@u 1>, 'review-period': <@u 1>, 'service-level': <1.0>}>}",
    "{'plan': <{'lead-time': <@u 1>, 'review-period': <@u 1>, 'service-level': <0.9>,"
    " 'stock-path': <'stock.csv'>}>}",
    /* A backtest whose forecasts do not fill models × folds × series ×
     * horizon × quantiles, and one whose quantiles are not ascending. */
    "{'evaluation': <{'horizon': <@u 2>, 'folds': <@u 1>, 'step': <@u 2>, 'end': <@u 10>, 'season': <@u 7>,"
    " 'aggregate': <@u 0>, 'quantiles': <[0.1, 0.5, 0.9]>, 'models': <['naive']>, 'series': <['a']>,"
    " 'forecasts': <[1.0, 2.0]>}>}",
    "{'evaluation': <{'horizon': <@u 1>, 'folds': <@u 1>, 'step': <@u 1>, 'end': <@u 10>, 'season': <@u 7>,"
    " 'aggregate': <@u 0>, 'quantiles': <[0.9, 0.1]>, 'models': <['naive']>, 'series': <['a']>,"
    " 'forecasts': <[1.0, 2.0]>}>}",
  };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT, bad[i], NULL, NULL, &error);
      g_autoptr (GBytes) bytes = NULL;

      g_assert_no_error (error);
      bytes = with_header ("1", g_steal_pointer (&v));
      assert_refused (bytes, "a hand-made file", i);
    }
  /* Keys of the wrong type are absent; unknown keys are ignored. */
  {
    g_autoptr (GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT,
                                              "{'model': <'not bytes'>, 'view-page': <@u 3>, 'a-later-key': <1>}",
                                              NULL, NULL, &error);
    g_autoptr (GBytes) bytes = with_header ("1", g_steal_pointer (&v));
    g_autoptr (TcProject) p = tc_project_from_bytes (bytes, NULL, &error);

    g_assert_no_error (error);
    g_assert_null (p->model);
    g_assert_null (p->view_page);
  }
}

/* A save killed half-way leaves a temporary file beside the project,
 * never a half-written project: the previous one still opens. */
static void
test_killed_save (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcProject) p = capture (shared_session, FALSE);
  g_autoptr (TcProject) q = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "killed", NULL);
  g_autofree char *path = g_build_filename (dir, "p.trendcast", NULL);
  g_autoptr (GBytes) bytes = NULL;
  GDir *d;
  const char *name;
  guint n_files = 0;
  pid_t pid;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (tc_project_save (p, path, &error));
  g_assert_no_error (error);

  /* A child saving a changed project is killed while it writes: with a
   * 1-byte file size limit its first write fails with SIGXFSZ. */
  g_clear_pointer (&p->view_page, g_free);
  p->view_page = g_strdup ("forecast");
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct rlimit lim = { 1, 1 };

      setrlimit (RLIMIT_FSIZE, &lim);
      tc_project_save (p, path, NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  q = tc_project_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (q->view_page, ==, "scenarios");

  /* What the killed writer left is not mistaken for a project. */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *full = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      n_files++;
      if (strcmp (name, "p.trendcast") == 0)
        continue;
      g_assert_true (g_file_get_contents (full, &contents, &len, NULL));
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_bytes_new (contents, len);
      assert_refused (bytes, "a killed write", len);
    }
  g_dir_close (d);
  g_assert_cmpuint (n_files, >=, 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int ret;

  /* The embedded copy is extracted into the cache: this test's own.
   * Set before anything reads it (G_TEST_OPTION_ISOLATE_DIRS would do
   * it too, but leaks its strings under LeakSanitizer). */
  dir = g_dir_make_tmp ("tc-project-XXXXXX", NULL);
  tmpdir = dir;
  {
    g_autofree char *cache = g_build_filename (dir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  g_test_init (&argc, &argv, NULL);
  csv_path = g_build_filename (tmpdir, "data.csv", NULL);
  write_csv (csv_path);
  shared_session = trained_session (csv_path);

  g_test_add_func ("/project/round-trip", test_round_trip);
  g_test_add_func ("/project/plan", test_plan);
  g_test_add_func ("/project/scenario-book", test_scenario_book);
  g_test_add_func ("/project/embedded", test_embedded);
  g_test_add_func ("/project/data-moved-or-changed", test_data_moved_or_changed);
  g_test_add_func ("/project/truncated", test_truncated);
  g_test_add_func ("/project/bit-flips", test_bit_flips);
  g_test_add_func ("/project/newer-version", test_newer_version);
  g_test_add_func ("/project/not-a-project", test_not_a_project);
  g_test_add_func ("/project/hand-made", test_hand_made);
  g_test_add_func ("/project/killed-save", test_killed_save);
  ret = g_test_run ();

  g_clear_object (&shared_session);
  faults_remove_tree (tmpdir);
  g_free (csv_path);
  return ret;
}
