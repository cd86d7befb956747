/* test-dataset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tc-dataset.h"

static void
test_new_is_missing (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, 3, 5, 1, 0, 1, FALSE);

  for (guint s = 0; s < 3; s++)
    for (guint t = 0; t < 5; t++)
      {
        g_assert_true (isnan (tc_dataset_target_row (ds, s)[t]));
        g_assert_true (isnan (tc_dataset_known_row (ds, 0, s)[t]));
      }
}

static void
test_bounds_and_copy (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_WEEKLY, 2, 6, 0, 0, 0, FALSE);
  g_autoptr (TcDataset) copy = NULL;

  ds->series_ids[0] = g_strdup ("a");
  ds->series_ids[1] = g_strdup ("b");
  tc_dataset_target_row (ds, 0)[2] = 1;
  tc_dataset_target_row (ds, 0)[4] = 2;
  tc_dataset_target_row (ds, 1)[0] = 3;
  tc_dataset_update_bounds (ds);
  g_assert_cmpuint (ds->start[0], ==, 2);
  g_assert_cmpuint (ds->end[0], ==, 5);
  g_assert_cmpuint (ds->start[1], ==, 0);
  g_assert_cmpuint (ds->end[1], ==, 1);

  copy = tc_dataset_copy (ds);
  g_assert_cmpstr (copy->series_ids[1], ==, "b");
  g_assert_cmpfloat (tc_dataset_target_row (copy, 0)[4], ==, 2);
  g_assert_cmpuint (copy->end[0], ==, 5);
}

static void
test_frequency (void)
{
  /* 2024-01-31 + 1 month is clamped by GLib to 2024-02-29. */
  gint64 jan31 = 1706659200;
  GDateTime *dt = g_date_time_new_from_unix_utc (tc_frequency_advance (TC_FREQ_MONTHLY, jan31, 1));

  g_assert_cmpint (g_date_time_get_month (dt), ==, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (dt), ==, 29);
  g_date_time_unref (dt);
  g_assert_cmpint (tc_frequency_advance (TC_FREQ_WEEKLY, 0, 2), ==, 14 * 86400);
  g_assert_cmpuint (tc_frequency_season (TC_FREQ_WEEKLY), ==, 52);
  g_assert_cmpint (tc_frequency_from_string ("Monthly"), ==, TC_FREQ_MONTHLY);
  g_assert_cmpstr (tc_frequency_to_string (TC_FREQ_QUARTERLY), ==, "quarterly");
}

/* The one way dates are written, and found. */
static void
test_format_and_find (void)
{
  g_autofree char *day = tc_frequency_format_time (TC_FREQ_WEEKLY, 1714521600);   /* 2024-05-01 00:00 */
  g_autofree char *hour = tc_frequency_format_time (TC_FREQ_HOURLY, 1714521600 + 14 * 3600);
  g_autofree char *bad = tc_frequency_format_time (TC_FREQ_DAILY, G_MAXINT64);
  const gint64 times[] = { 10, 20, 30, 40 };

  g_assert_cmpstr (day, ==, "2024-05-01");
  g_assert_cmpstr (hour, ==, "2024-05-01 14:00");
  g_assert_cmpstr (bad, ==, "?");
  g_assert_cmpint (tc_times_find (times, 4, 10), ==, 0);
  g_assert_cmpint (tc_times_find (times, 4, 40), ==, 3);
  g_assert_cmpint (tc_times_find (times, 4, 25), ==, -1);
  g_assert_cmpint (tc_times_find (times, 4, 50), ==, -1);
  g_assert_cmpint (tc_times_find (times, 0, 10), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dataset/new-is-missing", test_new_is_missing);
  g_test_add_func ("/dataset/bounds-and-copy", test_bounds_and_copy);
  g_test_add_func ("/dataset/frequency", test_frequency);
  g_test_add_func ("/dataset/format-and-find", test_format_and_find);
  return g_test_run ();
}
