/* test-cli-inspect.c — trendcast-cli inspect, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

static int
run (const char *const *args, char **out, char **err)
{
  const char *cli = g_getenv ("TRENDCAST_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "inspect");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static const char *
fixture (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static void
test_text (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { fixture ("long.csv"), NULL };

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Frequency:  weekly"));
  g_assert_nonnull (strstr (out, "Series:     2"));
  g_assert_nonnull (strstr (out, "2024-01-01 .. 2024-01-22"));
  g_assert_nonnull (strstr (out, "S2/A"));
  g_assert_true (g_regex_match_simple ("price +number +known +price", out, 0, 0));
}

static void
test_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { fixture ("wide-rows.csv"), "--format", "wide", "--freq", "weekly", "--json", NULL };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root, *quality;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "wide");
  g_assert_cmpint (json_object_get_int_member (root, "series"), ==, 3);
  quality = json_object_get_object_member (root, "quality");
  g_assert_cmpint (json_object_get_int_member (quality, "min_length"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (quality, "max_length"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quality, "per_series")), ==, 3);
}

static void
test_exit_codes (void)
{
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL, *err3 = NULL;
  g_autofree char *out4 = NULL, *err4 = NULL;
  const char *bad[] = { fixture ("bad-text-in-target.csv"), NULL };
  const char *usage[] = { fixture ("long.csv"), "--missing", "sometimes", NULL };
  const char *none[] = { NULL };
  const char *skip[] = { fixture ("skip-bad.csv"), "--skip-bad-rows", NULL };

  g_assert_cmpint (run (bad, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "bad-text-in-target.csv:14: column 3 “units”: found “abc”, expected a number"));
  g_assert_cmpint (run (usage, &out2, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "--missing"));
  g_assert_cmpint (run (none, &out3, &err3), ==, 1);
  g_assert_cmpint (run (skip, &out4, &err4), ==, 0);
  g_assert_nonnull (strstr (out4, "Skipped 2 rows"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/inspect/text", test_text);
  g_test_add_func ("/cli/inspect/json", test_json);
  g_test_add_func ("/cli/inspect/exit-codes", test_exit_codes);
  return g_test_run ();
}
