/* test-cli-faults.c — trendcast-cli's output files under faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * forecast -o and plot -o killed at random points leave the old file or
 * the complete new one; a full disk (a file size limit, /dev/full, a
 * small tmpfs as root) makes them exit 2 naming the file; unreadable
 * inputs exit 2 naming the file without hanging.  Kill delays come from
 * g_test_rand_* (rerun a failure with its --seed); time only caps the
 * number of rounds, nothing asserts a duration.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"
#include "faults.h"

#define KILL_ROUNDS     40
#define KILL_BUDGET_US  (30 * G_USEC_PER_SEC)
#define N_SERIES        300
#define N_DAYS          60

static char *dir, *data_csv, *model;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_data (void)
{
  GString *s = g_string_new ("series,date,units\n");
  g_autoptr (GDateTime) d0 = g_date_time_new_utc (2023, 1, 2, 0, 0, 0);

  for (guint i = 0; i < N_SERIES; i++)
    for (guint t = 0; t < N_DAYS; t++)
      {
        g_autoptr (GDateTime) d = g_date_time_add_days (d0, (int) t);
        g_autofree char *ds = g_date_time_format (d, "%Y-%m-%d");

        g_string_append_printf (s, "sku%04u,%s,%u\n", i, ds, 10 + i % 13 + (t % 7 == 5 ? 6 : 0) + (i * t) % 4);
      }
  g_assert_true (g_file_set_contents (data_csv, s->str, s->len, NULL));
  g_string_free (s, TRUE);
}

static void
train_model (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  if (g_file_test (model, G_FILE_TEST_EXISTS))
    return;
  rc = run (&out, &err, "train", data_csv, "-o", model, "--horizon", "6", "--context", "16", "--patch", "4",
            "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32", "--max-epochs", "1",
            "--steps-per-epoch", "2", "--batch", "8", "--threads", "1", "-q", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (rc, ==, 0);
}

static GPtrArray *
cli_argv (const char *first, va_list ap)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *cli = g_getenv ("TRENDCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Starts the CLI, output thrown away, and returns its pid. */
static GPid
start (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) error = NULL;
  GPid pid;
  va_list ap;

  va_start (ap, first);
  argv = cli_argv (first, ap);
  va_end (ap);
  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

/* -- killed while writing --------------------------------------------------- */

/* Runs "ARGS… -o @name" to completion once for the new contents, then
 * kills it at random points: @name must hold the old contents ("old")
 * or the complete new ones every time. */
static void
kill_while_writing (const char *name, const char * const *args)
{
  g_autofree char *out = path_in (name);
  g_autofree char *expect = NULL;
  g_autofree char *out_dir = g_path_get_dirname (out);
  const char *keep[] = { "data.csv", "model.tcm", name, NULL };
  gsize expect_len = 0;
  gint64 t0, run_us, start_t;
  guint rounds, seen_old = 0, seen_new = 0, strays = 0;
  GPtrArray *argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("TRENDCAST_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, out);
  g_ptr_array_add (argv, NULL);

  /* A complete run: the new contents, and how long a run takes here. */
  g_unlink (out);
  t0 = g_get_monotonic_time ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  run_us = g_get_monotonic_time () - t0;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (out, &expect, &expect_len, NULL));
  g_assert_cmpuint (expect_len, >, 3);
  g_assert_cmpuint (faults_count_strays (out_dir, keep, FALSE), ==, 0);

  start_t = g_get_monotonic_time ();
  for (rounds = 0; rounds < KILL_ROUNDS && g_get_monotonic_time () - start_t < KILL_BUDGET_US; rounds++)
    {
      g_autofree char *got = NULL;
      gsize len = 0;
      GPid pid;

      g_assert_true (g_file_set_contents (out, "old", 3, NULL));
      g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                    | G_SPAWN_STDERR_TO_DEV_NULL,
                                    NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      /* Mostly late in the run, where the writing is. */
      g_usleep (run_us / 2 + g_test_rand_int_range (0, (gint32) MIN (run_us, G_MAXINT32)));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      g_assert_true (g_file_get_contents (out, &got, &len, NULL));
      if (len == 3 && memcmp (got, "old", 3) == 0)
        seen_old++;
      else if (len == expect_len && memcmp (got, expect, len) == 0)
        seen_new++;
      else
        g_error ("round %u: %s is torn: %" G_GSIZE_FORMAT " bytes, neither the old file nor the %"
                 G_GSIZE_FORMAT " bytes of the new one", rounds, out, len, expect_len);
      strays += faults_count_strays (out_dir, keep, TRUE);
    }
  g_test_message ("%s: %u kills (a run takes %" G_GINT64_FORMAT " us): old file %u, new file %u, "
                  "%u temporary files left by killed writers", name, rounds, run_us, seen_old, seen_new, strays);
  g_unlink (out);
  g_ptr_array_unref (argv);
}

static void
test_forecast_killed (void)
{
  const char *args[] = { "forecast", "-m", model, data_csv, NULL };

  train_model ();
  kill_while_writing ("forecast.csv", args);
}

static void
test_plot_killed (void)
{
  const char *png[] = { "plot", "-m", model, data_csv, "--width", "2400", "--height", "1600", NULL };
  const char *svg[] = { "plot", "-m", model, data_csv, NULL };

  train_model ();
  kill_while_writing ("chart.png", png);
  kill_while_writing ("chart.svg", svg);
}

/* -- full disks ------------------------------------------------------------- */

static void
limit_file_size (gpointer user_data)
{
  struct rlimit lim = { 1024, 1024 };

  /* Without the signal a write past the limit kills the process; ignored,
   * the write fails with EFBIG, which the CLI must report. */
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &lim);
}

/* Runs the CLI (after @setup, in the child): it must exit 2 and name
 * @out, which keeps its old contents ("old", written by the caller),
 * with no temporary file left. */
static void
assert_fails_when_full (const char *out, GSpawnChildSetupFunc setup, ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL, *got = NULL;
  g_autofree char *base = g_path_get_basename (out);
  g_autofree char *out_dir = g_path_get_dirname (out);
  const char *keep[] = { "data.csv", "model.tcm", "fill", "forecast.csv", "chart.png", "chart.svg", "new.tcm", NULL };
  const char *first;
  int status;
  va_list ap;

  va_start (ap, setup);
  first = va_arg (ap, const char *);
  argv = cli_argv (first, ap);
  va_end (ap);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               setup, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, base));
  g_assert_true (g_file_get_contents (out, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, "old");
  g_assert_cmpuint (faults_count_strays (out_dir, keep, FALSE), ==, 0);
}

static void
test_file_size_limit (void)
{
  g_autofree char *csv = path_in ("forecast.csv");
  g_autofree char *png = path_in ("chart.png");
  g_autofree char *svg = path_in ("chart.svg");
  g_autofree char *tcm = path_in ("new.tcm");

  train_model ();
  g_assert_true (g_file_set_contents (csv, "old", 3, NULL));
  g_assert_true (g_file_set_contents (png, "old", 3, NULL));
  g_assert_true (g_file_set_contents (svg, "old", 3, NULL));
  g_assert_true (g_file_set_contents (tcm, "old", 3, NULL));
  assert_fails_when_full (csv, limit_file_size, "forecast", "-m", model, data_csv, "-o", csv, NULL);
  assert_fails_when_full (png, limit_file_size, "plot", "-m", model, data_csv, "-o", png, NULL);
  assert_fails_when_full (svg, limit_file_size, "plot", "-m", model, data_csv, "-o", svg, NULL);
  assert_fails_when_full (tcm, limit_file_size, "train", data_csv, "-o", tcm, "--horizon", "6", "--context", "16",
                          "--patch", "4", "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32",
                          "--max-epochs", "1", "--steps-per-epoch", "1", "--batch", "8", "--threads", "1", "-q",
                          NULL);
  g_unlink (csv);
  g_unlink (png);
  g_unlink (svg);
  g_unlink (tcm);
}

/* Standard output and -o on /dev/full: exit 2, never 0. */
static void
test_dev_full (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full on this system");
      return;
    }
  train_model ();
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "-o", "/dev/full", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "/dev/full"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  {
    g_autoptr (GError) error = NULL;
    g_autofree char *cmd = g_strdup_printf ("'%s' forecast -m '%s' '%s' > /dev/full",
                                            g_getenv ("TRENDCAST_CLI"), model, data_csv);
    const char *sh[] = { "/bin/sh", "-c", cmd, NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) sh, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status,
                                 &error));
    g_assert_no_error (error);
    g_test_message ("%s", err);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "standard output"));
  }
  {
    /* Any command's report, not only a forecast. */
    g_autoptr (GError) error = NULL;
    g_autofree char *cmd = g_strdup_printf ("'%s' inspect '%s' > /dev/full", g_getenv ("TRENDCAST_CLI"), data_csv);
    const char *sh[] = { "/bin/sh", "-c", cmd, NULL };
    int status;

    g_clear_pointer (&err, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) sh, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status,
                                 &error));
    g_assert_no_error (error);
    g_test_message ("%s", err);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "standard output"));
  }
  {
    GStatBuf st;

    /* And the device is still a device. */
    g_assert_cmpint (g_stat ("/dev/full", &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));
  }

  /* A model or a CSV sent to /dev/null is written into it, not renamed
   * over it (as root that would replace the device with a file). */
  g_clear_pointer (&err, g_free);
  rc = run (&out, &err, "train", data_csv, "-o", "/dev/null", "--horizon", "6", "--context", "16", "--patch", "4",
            "--d-model", "16", "--heads", "2", "--layers", "1", "--d-ff", "32", "--max-epochs", "1",
            "--steps-per-epoch", "1", "--batch", "8", "--threads", "1", "-q", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 0);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  rc = run (&out, &err, "forecast", "-m", model, data_csv, "-o", "/dev/null", NULL);
  g_assert_cmpint (rc, ==, 0);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));
  }
}

/* A really full file system: a small tmpfs, filled up, mounted in a
 * subprocess's own mount namespace (the CLI it runs sees it too).  Needs
 * root or CAP_SYS_ADMIN. */
static void
test_full_tmpfs (void)
{
  g_autofree char *why = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *mnt = path_in ("full");
      g_autofree char *csv = g_build_filename (mnt, "forecast.csv", NULL);
      g_autofree char *png = g_build_filename (mnt, "chart.png", NULL);
      g_autofree char *fill = g_build_filename (mnt, "fill", NULL);
      char block[4096] = { 0 };
      int fd;

      train_model ();
      g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
      g_assert_cmpint (faults_mount_private_tmpfs (mnt, "size=64k"), ==, 0);
      g_assert_true (g_file_set_contents (csv, "old", 3, NULL));
      g_assert_true (g_file_set_contents (png, "old", 3, NULL));
      fd = g_open (fill, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      g_assert_cmpint (fd, >=, 0);
      while (write (fd, block, sizeof block) > 0)
        ;
      close (fd);
      assert_fails_when_full (csv, NULL, "forecast", "-m", model, data_csv, "-o", csv, NULL);
      assert_fails_when_full (png, NULL, "plot", "-m", model, data_csv, "-o", png, NULL);
      g_assert_cmpint (umount (mnt), ==, 0);
      return;
    }
  why = faults_tmpfs_unavailable ();
  if (why)
    {
      g_test_skip (why);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* -- unreadable inputs -------------------------------------------------------- */

static void
assert_exit_2 (const char *name, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status;
  va_list ap;

  va_start (ap, first);
  argv = cli_argv (first, ap);
  va_end (ap);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, name));
}

static void
test_unreadable_inputs (void)
{
  g_autofree char *fifo = path_in ("pipe.csv");
  g_autofree char *gone = path_in ("gone.tcm");
  g_autofree char *nowhere = path_in ("nowhere.tcm");
  g_autofree char *out = path_in ("forecast.csv");
  g_autofree char *dir_name = g_path_get_basename (dir);
  GPid pid;
  int status;

  train_model ();
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (nowhere, gone), ==, 0);

  /* A directory as DATA or as the model, and as -o. */
  assert_exit_2 (dir_name, "forecast", "-m", model, dir, NULL);
  assert_exit_2 (dir, "forecast", "-m", dir, data_csv, NULL);
  assert_exit_2 (dir, "forecast", "-m", model, data_csv, "-o", dir, NULL);
  assert_exit_2 ("gone.tcm", "forecast", "-m", gone, data_csv, NULL);
  assert_exit_2 ("pipe.csv", "forecast", "-m", fifo, data_csv, NULL);

  /* A FIFO nobody writes to reads as an empty file: the command ends. */
  pid = start ("forecast", "-m", model, fifo, "-o", out, NULL);
  for (guint i = 0; i < 600 && waitpid (pid, &status, WNOHANG) == 0; i++)
    g_usleep (100000);
  if (kill (pid, 0) == 0 && waitpid (pid, &status, WNOHANG) == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_error ("forecast on a FIFO without a writer still waits after a minute");
    }
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_unlink (fifo);
  g_unlink (gone);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("tc-cli-faults-XXXXXX", NULL);
  g_assert_nonnull (dir);
  data_csv = path_in ("data.csv");
  model = path_in ("model.tcm");
  write_data ();

  g_test_add_func ("/cli-faults/forecast-killed", test_forecast_killed);
  g_test_add_func ("/cli-faults/plot-killed", test_plot_killed);
  g_test_add_func ("/cli-faults/file-size-limit", test_file_size_limit);
  g_test_add_func ("/cli-faults/dev-full", test_dev_full);
  g_test_add_func ("/cli-faults/full-tmpfs", test_full_tmpfs);
  g_test_add_func ("/cli-faults/unreadable-inputs", test_unreadable_inputs);
  ret = g_test_run ();

  faults_remove_tree (dir);
  g_free (data_csv);
  g_free (model);
  g_free (dir);
  return ret;
}
