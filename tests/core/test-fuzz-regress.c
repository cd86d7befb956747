/* test-fuzz-regress.c — every fuzz corpus file, and the crashes fuzzing found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each file of tests/fuzz/corpus/<harness>/ runs through the harness's
 * body (tests/fuzz/tc-fuzz-*.c) as a test case of its own: in the ASan
 * build a crash, an out-of-bounds access, UB or a leak fails it.  The
 * files named crash-* are minimised inputs that crashed once; the tests
 * after them check what the code must answer instead.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-model.h"
#include "tc-nn.h"
#include "fuzz/tc-fuzz.h"

typedef void (*HarnessFunc) (const guint8 *data, gsize size);

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  HarnessFunc func;

  if (strstr (path, G_DIR_SEPARATOR_S "import" G_DIR_SEPARATOR_S))
    func = tc_fuzz_import;
  else if (strstr (path, G_DIR_SEPARATOR_S "model" G_DIR_SEPARATOR_S))
    func = tc_fuzz_model;
  else if (strstr (path, G_DIR_SEPARATOR_S "project" G_DIR_SEPARATOR_S))
    func = tc_fuzz_project;
  else
    func = tc_fuzz_plan;
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  func ((const guint8 *) contents, len);
}

/* The corpus file without the harness's option bytes, as a file; model
 * files get their checksums fixed as the harness does. */
static char *
strip_options (const char *harness, const char *name, gsize n_option_bytes)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", harness, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dst_name = g_strconcat ("raw-", name, NULL);
  char *dst = tc_fuzz_temp_path (dst_name);
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (src, &contents, &len, &error));
  g_assert_cmpuint (len, >=, n_option_bytes);
  if (strcmp (harness, "model") == 0)
    tc_fuzz_fix_checksums ((guint8 *) contents + n_option_bytes, len - n_option_bytes);
  g_assert_true (g_file_set_contents (dst, contents + n_option_bytes, len - n_option_bytes, &error));
  g_assert_no_error (error);
  return dst;
}

/* The import assistant's preview read past the end of rows that were
 * shorter than the header (and built the grid from rows it had not
 * kept).  It must answer with a report or a clear error. */
static void
test_preview_crashes (void)
{
  const char *names[] = {
    "crash-preview-process-row-1488", "crash-preview-process-row-1502",
    "crash-preview-process-row-1567", "crash-preview-build-grid-2297",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = strip_options ("import", names[i], 4);
      g_autoptr (GError) error = NULL;
      g_autoptr (TcImportReport) report = NULL;
      TcImportOptions opts;

      tc_import_options_init (&opts);
      report = tc_import_preview (path, &opts, 20, &error);
      g_assert_true ((report != NULL) != (error != NULL));
      if (error)
        g_assert_true (error->domain == TC_ERROR);
      g_clear_error (&error);
      {
        g_autoptr (TcDataset) ds = NULL;
        TcImportReport *full = NULL;

        ds = tc_import_file (path, &opts, &full, NULL, &error);
        /* These files are broken: the full import names the problem. */
        g_assert_null (ds);
        g_assert_nonnull (error);
        g_assert_true (error->domain == TC_ERROR);
        g_test_message ("%s: %s", names[i], error->message);
        if (full)
          tc_import_report_free (full);
      }
      g_unlink (path);
    }
}

/* A model whose weights hold NaN loaded once its checksum was right, and
 * its forecasts converted NaN to int inside exp. */
static void
test_model_nan_weights (void)
{
  g_autofree char *path = strip_options ("model", "crash-nan-weights", 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecaster) fc = tc_forecaster_load (path, &error);

  g_assert_null (fc);
  g_test_message ("%s", error ? error->message : "(no error)");
  g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "NaN"));
  g_unlink (path);
}

/* Members of the wrong JSON kind or out of range, one file per reader of
 * a model's description (the root, options, summary, the feature schema
 * and its text settings, the safety net), made from seed-m4-safety (a
 * real model with a safety net) by changing one member.  json-glib's
 * typed getters raised a critical on most of them and quietly read 0 on
 * the others; each must be refused with an error naming the member. */
static void
test_model_wrong_kinds (void)
{
  static const struct
  {
    const char *file;
    const char *message;
  } cases[] = {
    { "forecaster-version-array", "“version” is an array, expected an integer" },
    { "forecaster-options-holdout-array", "“options.holdout” is an array, expected true or false" },
    { "forecaster-summary-epochs-object", "“summary.epochs” is an object, expected an integer" },
    { "safety-calibration-not-array", "“safety.calibration” is 6, expected an array" },
    { "safety-series-masks-array", "“safety.series_masks” is an array, expected an object" },
    { "safety-calibration-nested-array", "“safety.calibration[1]” is an array, expected a finite number" },
    { "safety-season-negative", "“safety.season” is -7, expected an integer from 1 to " },
    /* Found by fuzz-model, before the others (from seed-m3). */
    { "schema-features-not-array", "“schema.features” is 11612, expected an array" },
    { "schema-known-kind-out-of-range", "“schema.known_kinds[0]” is 99, expected an integer from 0 to 5" },
    { "schema-text-news-string", "“schema.text.news” is a string, expected true or false" },
    /* A vocabulary longer than the network's embedding. */
    { "schema-static-vocab-beyond-network", "the network does not match its feature schema" },
  };

  {
    g_autofree char *path = strip_options ("model", "seed-m4-safety", 1);
    g_autoptr (GError) error = NULL;
    g_autoptr (TcForecaster) fc = tc_forecaster_load (path, &error);

    g_assert_no_error (error);
    g_assert_true (tc_forecaster_get_safety (fc)->active);
    g_assert_cmpuint (tc_forecaster_get_safety (fc)->season, ==, 7);
    g_unlink (path);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = strip_options ("model", cases[i].file, 1);
      g_autoptr (GError) error = NULL;
      g_autoptr (TcForecaster) fc = tc_forecaster_load (path, &error);

      g_test_message ("%s: %s", cases[i].file, error ? error->message : "(loaded)");
      g_assert_null (fc);
      g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_unlink (path);
    }
}

/* Every member and array element of seed-m4-safety's description
 * replaced in turn by values of every JSON kind (and integers that are
 * negative or wrap a guint): the loader must load or answer a TC_ERROR,
 * and what loads must forecast, without a GLib critical (fatal here)
 * or a crash.  Byte-level fuzzing rarely keeps the JSON valid, so this
 * is the audit of the readers that it cannot do. */
typedef struct
{
  TcModel   *model;
  JsonNode  *root;
  guint      n_runs, n_loaded;
} KindsAudit;

static const char *const replacements[] = {
  "null", "true", "\"x\"", "-1", "4294967297", "0.5", "1e300", "[]", "{}", "[\"x\"]", "[{}]",
};

static void
audit_run (KindsAudit *k)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *meta = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) input = g_byte_array_new ();
  g_autoptr (TcForecaster) fc = NULL;
  /* fuzz-model's mode byte: forecast on a dataset a little longer than the context. */
  const guint8 mode = 0x7c;

  json_generator_set_root (gen, k->root);
  meta = json_generator_to_data (gen, NULL);
  bytes = tc_model_to_bytes (k->model, meta, &error);
  g_assert_no_error (error);
  fc = tc_forecaster_from_bytes (bytes, "audit", &error);
  g_assert_true ((fc != NULL) != (error != NULL));
  if (error)
    g_assert_true (error->domain == TC_ERROR && error->message[0] != '\0');
  else
    k->n_loaded++;
  g_byte_array_append (input, &mode, 1);
  g_byte_array_append (input, g_bytes_get_data (bytes, NULL), (guint) g_bytes_get_size (bytes));
  tc_fuzz_model (input->data, input->len);
  k->n_runs++;
}

static void
audit_node (KindsAudit *k, JsonNode *node, JsonNode **repl)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr (GList) list = json_object_get_members (o);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

      /* Setting a member frees the object's copy of its name. */
      for (GList *l = list; l; l = l->next)
        g_ptr_array_add (names, g_strdup (l->data));
      for (guint m = 0; m < names->len; m++)
        {
          const char *name = names->pdata[m];
          g_autoptr (JsonNode) orig = json_node_copy (json_object_get_member (o, name));

          for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
            {
              json_object_set_member (o, name, json_node_copy (repl[r]));
              audit_run (k);
            }
          json_object_set_member (o, name, json_node_copy (orig));
          audit_node (k, json_object_get_member (o, name), repl);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr (JsonArray) orig = json_array_ref (json_node_get_array (node));
      guint n = json_array_get_length (orig);

      for (guint i = 0; i < n; i++)
        {
          for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
            {
              g_autoptr (JsonArray) a = json_array_sized_new (n);

              for (guint j = 0; j < n; j++)
                json_array_add_element (a, json_node_copy (j == i ? repl[r] : json_array_get_element (orig, j)));
              json_node_set_array (node, a);
              audit_run (k);
            }
          json_node_set_array (node, orig);
          audit_node (k, json_array_get_element (orig, i), repl);
        }
    }
}

static void
test_model_every_member_every_kind (void)
{
  g_autofree char *path = strip_options ("model", "seed-m4-safety", 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *meta = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *repl[G_N_ELEMENTS (replacements)];
  KindsAudit k = { 0 };

  k.model = tc_model_load (path, &meta, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, meta, -1, &error));
  k.root = json_parser_get_root (parser);
  for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
    repl[r] = json_from_string (replacements[r], &error);
  g_assert_no_error (error);
  audit_run (&k);
  g_assert_cmpuint (k.n_loaded, ==, 1);
  audit_node (&k, k.root, repl);
  g_test_message ("%u variants, %u loaded", k.n_runs, k.n_loaded);
  /* Every member was replaced: far more variants than members. */
  g_assert_cmpuint (k.n_runs, >, 1000);
  for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
    json_node_unref (repl[r]);
  tc_model_free (k.model);
  g_unlink (path);
}

/* NaN and infinities through the functions that use the vectorised exp:
 * NaN in, NaN out, and no undefined conversion on the way (UBSan). */
static void
test_gelu_nan (void)
{
  float inp[16], out[16];

  for (guint i = 0; i < 16; i++)
    inp[i] = i % 3 == 0 ? NAN : i % 3 == 1 ? INFINITY : -INFINITY;
  tc_nn_gelu_forward (NULL, out, inp, 16);
  for (guint i = 0; i < 16; i++)
    {
      if (i % 3 == 0)
        g_assert_true (isnan (out[i]));
      else if (i % 3 == 1)
        g_assert_true (isinf (out[i]) || isnan (out[i]));
    }
  g_assert_true (isnan (tc_nn_gelu (NAN)));
}

int
main (int argc, char **argv)
{
  const char *harnesses[] = { "import", "model", "plan", "project" };
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  int ret;

  g_test_init (&argc, &argv, NULL);
  for (guint h = 0; h < G_N_ELEMENTS (harnesses); h++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", harnesses[h], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_strdup (name));
      /* Directory order is the file system's: sort for stable test names. */
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *test = g_strdup_printf ("/fuzz/corpus/%s/%s", harnesses[h], (char *) names->pdata[i]);
          char *path = g_build_filename (dir_path, names->pdata[i], NULL);

          g_ptr_array_add (paths, path);
          g_test_add_data_func (test, path, replay);
        }
    }
  g_test_add_func ("/fuzz/regress/preview-crashes", test_preview_crashes);
  g_test_add_func ("/fuzz/regress/model-nan-weights", test_model_nan_weights);
  g_test_add_func ("/fuzz/regress/model-wrong-kinds", test_model_wrong_kinds);
  g_test_add_func ("/fuzz/regress/model-every-member-every-kind", test_model_every_member_every_kind);
  g_test_add_func ("/fuzz/regress/gelu-nan", test_gelu_nan);
  ret = g_test_run ();
  g_ptr_array_unref (paths);
  tc_fuzz_temp_remove ();
  return ret;
}
