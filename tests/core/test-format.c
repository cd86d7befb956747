/* test-format.c — large numbers in the language's grouping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both groupings directly, then through the language: with the zh_CN
 * translation built by meson (po/zh_CN/LC_MESSAGES/trendcast.mo under
 * the build directory) 77 000 is 7.7 万, and in English 77 thousand;
 * and the core's training log is in Chinese too.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-format.h"
#include "tc-forecaster.h"
#include "core/tc-synth.h"

static void
check (char *got, const char *want)
{
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_thousands (void)
{
  check (tc_format_count_grouped (950, TC_GROUPING_THOUSANDS), "950");
  check (tc_format_count_grouped (77000, TC_GROUPING_THOUSANDS), "77 thousand");
  check (tc_format_count_grouped (3.2e6, TC_GROUPING_THOUSANDS), "3.2 million");
  check (tc_format_compact_grouped (950, TC_GROUPING_THOUSANDS), "950");
  check (tc_format_compact_grouped (1200, TC_GROUPING_THOUSANDS), "1.2k");
  check (tc_format_compact_grouped (77000, TC_GROUPING_THOUSANDS), "77k");
  check (tc_format_compact_grouped (999999, TC_GROUPING_THOUSANDS), "1M");
  check (tc_format_compact_grouped (-2500, TC_GROUPING_THOUSANDS), "-2.5k");
  check (tc_format_compact_grouped (2.5, TC_GROUPING_THOUSANDS), "2.5");
}

static void
test_myriads (void)
{
  /* Untranslated here: the suffixes stay in their portable form. */
  check (tc_format_compact_grouped (9999, TC_GROUPING_MYRIADS), "9,999");
  check (tc_format_compact_grouped (77000, TC_GROUPING_MYRIADS), "7.7×10⁴");
  check (tc_format_compact_grouped (1.2e8, TC_GROUPING_MYRIADS), "1.2×10⁸");
  check (tc_format_compact_grouped (-35000, TC_GROUPING_MYRIADS), "-3.5×10⁴");
}

static void
collect_event (const TcTrainProgress *p, gpointer data)
{
  if (p->event != NULL)
    g_ptr_array_add (data, g_strdup (p->event));
}

/* With the translation loaded, what training tells the user comes in
 * Chinese: the app's log and the CLI show the core's own sentences. */
static void
check_training_log (void)
{
  g_autoptr (TcDataset) ds = synth_dataset (4, 80, 5);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  TcForecasterOptions o;
  TcForecaster *fc;
  gboolean chinese = FALSE;

  tc_forecaster_options_init (&o);
  o.horizon = 4;
  o.patch = 4;
  o.context = 16;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.batch = 16;
  o.max_epochs = 1;
  o.steps_per_epoch = 2;
  o.threads = 1;
  fc = tc_forecaster_train (ds, &o, collect_event, events, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    chinese |= strstr (g_ptr_array_index (events, i), "验证窗口") != NULL;
  g_assert_true (chinese);
  summary = tc_forecaster_get_safety_summary (fc);
  g_assert_true (g_str_has_prefix (summary, "在 ") || g_str_has_prefix (summary, "预测仅来自"));
  tc_forecaster_free (fc);
}

static void
test_languages (void)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  check (tc_format_count (77000), "77 thousand");
  check (tc_format_compact (77000), "77k");
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the zh_CN translation is not built");
      return;
    }
  /* GNU gettext ignores LANGUAGE in the C locale, not in C.UTF-8,
   * which every Debian system has. */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_assert_cmpint (tc_format_grouping (), ==, TC_GROUPING_MYRIADS);
  check (tc_format_count (77000), "7.7 万");
  check (tc_format_count (3.2e6), "320 万");
  check (tc_format_count (1.5e8), "1.5 亿");
  check (tc_format_compact (77000), "7.7万");
  check (tc_format_compact (1.2e8), "1.2亿");
  check_training_log ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/thousands", test_thousands);
  g_test_add_func ("/format/myriads", test_myriads);
  g_test_add_func ("/format/languages", test_languages);
  return g_test_run ();
}
