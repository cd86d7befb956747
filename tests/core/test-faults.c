/* test-faults.c — the model core under faults: killed writers, full disks,
 * files that change while read, paths that cannot be read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kills and delays are drawn from g_test_rand_*: a failure names its seed
 * (--seed) and reruns the same way.  No test asserts how long anything
 * takes; a time budget only bounds how many rounds a slow build runs.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faults.h"
#include "tc-error.h"
#include "tc-import.h"
#include "tc-model.h"

/* Rounds of the kill tests, and the wall-clock budget that caps them on a
 * slow (sanitizer) build: fewer rounds, never a failure. */
#define KILL_ROUNDS     60
#define KILL_BUDGET_US  (20 * G_USEC_PER_SEC)

/* fork (), with the child killed when this process dies: a failed
 * assertion must not leave a writer running. */
static pid_t
fork_child (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    prctl (PR_SET_PDEATHSIG, SIGKILL);
  return pid;
}

static char *
make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("tc-faults-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A network of a few MB, so that a save takes long enough to be killed
 * in the middle. */
static TcModel *
big_model (guint64 seed)
{
  g_autoptr (GError) error = NULL;
  TcModelConfig cfg;
  TcModel *m;

  tc_model_config_init (&cfg, 4, 8, 2, 3);
  cfg.d_model = 128;
  cfg.n_heads = 4;
  cfg.n_layers = 4;
  cfg.d_ff = 512;
  m = tc_model_new (&cfg, seed, &error);
  g_assert_no_error (error);
  return m;
}

static gboolean
bytes_equal_file (GBytes *b, const char *data, gsize len)
{
  return g_bytes_get_size (b) == len && memcmp (g_bytes_get_data (b, NULL), data, len) == 0;
}

/* -- a model save killed at random points ------------------------------- */

static void
test_model_save_killed (void)
{
  g_autoptr (TcModel) a = big_model (1);
  g_autoptr (TcModel) b = big_model (2);
  g_autoptr (GBytes) bytes_a = tc_model_to_bytes (a, "{\"v\":\"a\"}", NULL);
  g_autoptr (GBytes) bytes_b = tc_model_to_bytes (b, "{\"v\":\"b\"}", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *dest = g_build_filename (dir, "m.tcm", NULL);
  const char *keep[] = { "m.tcm", NULL };
  gint64 t0, save_us, start;
  guint rounds = 0, seen_a = 0, seen_b = 0, strays = 0;

  g_assert_true (tc_model_save (a, "{\"v\":\"a\"}", dest, &error));
  g_assert_no_error (error);
  /* One save's duration scales the kill delays to this machine. */
  t0 = g_get_monotonic_time ();
  g_assert_true (tc_model_save (a, "{\"v\":\"a\"}", dest, &error));
  save_us = MAX (g_get_monotonic_time () - t0, 1000);
  g_assert_cmpuint (faults_count_strays (dir, keep, FALSE), ==, 0);

  start = g_get_monotonic_time ();
  for (rounds = 0; rounds < KILL_ROUNDS && g_get_monotonic_time () - start < KILL_BUDGET_US; rounds++)
    {
      g_autofree char *data = NULL;
      g_autoptr (TcModel) loaded = NULL;
      gsize len = 0;
      int status;
      pid_t pid;

      pid = fork_child ();
      if (pid == 0)
        {
          /* The child writes the other model, then this one, forever. */
          for (guint k = 0;; k++)
            tc_model_save (k % 2 ? a : b, k % 2 ? "{\"v\":\"a\"}" : "{\"v\":\"b\"}", dest, NULL);
        }
      g_usleep (g_test_rand_int_range (0, (gint32) MIN (save_us * 3, G_MAXINT32)));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

      /* The old model or the new one, byte for byte, and it loads. */
      g_assert_true (g_file_get_contents (dest, &data, &len, NULL));
      if (bytes_equal_file (bytes_a, data, len))
        seen_a++;
      else if (bytes_equal_file (bytes_b, data, len))
        seen_b++;
      else
        g_error ("round %u: %s is neither model (%" G_GSIZE_FORMAT " bytes)", rounds, dest, len);
      loaded = tc_model_load (dest, NULL, &error);
      g_assert_no_error (error);
      /* A writer killed between creating its temporary file and the
       * rename leaves it behind; that is what a crash costs. */
      strays += faults_count_strays (dir, keep, TRUE);
    }
  g_test_message ("%u kills (a save takes %" G_GINT64_FORMAT " us): old model %u, new model %u, "
                  "%u temporary files left by killed writers", rounds, save_us, seen_a, seen_b, strays);

  /* A save that completes leaves nothing but the model. */
  g_assert_true (tc_model_save (b, "{\"v\":\"b\"}", dest, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (faults_count_strays (dir, keep, FALSE), ==, 0);
  faults_remove_tree (dir);
}

/* -- full disks ----------------------------------------------------------- */

/* Saving @model to @dest must fail with an error naming @dest, leave the
 * old file as it was and no temporary file behind. */
static void
assert_save_fails (TcModel *model, const char *dir, const char *dest, const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *base = g_path_get_basename (dest);
  const char *keep[] = { base, "fill", NULL };
  gsize len_before = 0, len_after = 0;
  gboolean existed = g_file_get_contents (dest, &before, &len_before, NULL);

  g_assert_false (tc_model_save (model, "{}", dest, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, dest));
  if (reason)
    g_assert_nonnull (strstr (error->message, reason));
  if (existed)
    {
      g_assert_true (g_file_get_contents (dest, &after, &len_after, NULL));
      g_assert_cmpmem (before, len_before, after, len_after);
    }
  else
    g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (faults_count_strays (dir, keep, FALSE), ==, 0);
}

/* A real full file system: a small tmpfs, filled up, mounted in a
 * subprocess's own mount namespace.  Needs root or CAP_SYS_ADMIN. */
static void
test_model_save_full_tmpfs (void)
{
  g_autofree char *why = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_dir ();
      g_autofree char *mnt = g_build_filename (dir, "full", NULL);
      g_autofree char *dest = g_build_filename (mnt, "m.tcm", NULL);
      g_autofree char *fill = g_build_filename (mnt, "fill", NULL);
      g_autoptr (TcModel) small = NULL;
      g_autoptr (TcModel) big = big_model (3);
      g_autoptr (TcModel) loaded = NULL;
      g_autoptr (GError) error = NULL;
      TcModelConfig cfg;
      int fd;
      char block[4096] = { 0 };

      g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
      g_assert_cmpint (faults_mount_private_tmpfs (mnt, "size=256k"), ==, 0);
      /* An old, small model first; then the disk is filled to the last block. */
      tc_model_config_init (&cfg, 2, 4, 1, 1);
      cfg.d_model = 8;
      cfg.n_heads = 2;
      cfg.n_layers = 1;
      cfg.d_ff = 16;
      small = tc_model_new (&cfg, 1, &error);
      g_assert_no_error (error);
      g_assert_true (tc_model_save (small, "{}", dest, &error));
      g_assert_no_error (error);
      fd = g_open (fill, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      g_assert_cmpint (fd, >=, 0);
      while (write (fd, block, sizeof block) > 0)
        ;
      g_assert_cmpint (errno, ==, ENOSPC);
      close (fd);
      assert_save_fails (big, mnt, dest, g_strerror (ENOSPC));
      /* The old model still loads. */
      loaded = tc_model_load (dest, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (umount (mnt), ==, 0);
      faults_remove_tree (dir);
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

/* The same through RLIMIT_FSIZE, which works anywhere: in a subprocess,
 * with SIGXFSZ ignored, a write past the limit fails with EFBIG. */
static void
test_model_save_fsize_limit (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_dir ();
      g_autofree char *dest = g_build_filename (dir, "m.tcm", NULL);
      g_autoptr (TcModel) big = big_model (4);
      struct rlimit lim = { 64 * 1024, 64 * 1024 };

      g_assert_true (g_file_set_contents (dest, "old", 3, NULL));
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
      assert_save_fails (big, dir, dest, g_strerror (EFBIG));
      faults_remove_tree (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A device or a FIFO is written in place, never replaced: as root,
 * renaming a temporary file over /dev/null would turn it into a regular
 * file.  A FIFO without a reader fails at once instead of waiting;
 * directories and paths under a file fail with the path. */
static void
test_model_save_not_regular (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *under = g_build_filename (dir, "file", "m.tcm", NULL);
  g_autofree char *file = g_build_filename (dir, "file", NULL);
  g_autoptr (TcModel) m = big_model (5);
  g_autoptr (GError) error = NULL;
  const char *bad[] = { sub, fifo, under, NULL };
  GStatBuf st;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  g_assert_true (tc_model_save (m, "{}", "/dev/null", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  for (guint i = 0; bad[i]; i++)
    {
      g_assert_false (tc_model_save (m, "{}", bad[i], &error));
      g_assert_error (error, TC_ERROR, TC_ERROR_IO);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
  g_assert_cmpint (g_stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  faults_remove_tree (dir);
}

/* -- files that change while they are read ---------------------------------- */

static GString *
sales_csv (guint n_series, guint n_days)
{
  GString *s = g_string_new ("series,date,units,price\n");

  for (guint i = 0; i < n_series; i++)
    for (guint t = 0; t < n_days; t++)
      {
        g_autoptr (GDateTime) d0 = g_date_time_new_utc (2023, 1, 1, 0, 0, 0);
        g_autoptr (GDateTime) d = g_date_time_add_days (d0, (int) t);
        g_autofree char *ds = g_date_time_format (d, "%Y-%m-%d");

        g_string_append_printf (s, "store%02u-sku%04u,%s,%u,%u.%02u\n", i % 7, i, ds,
                                (i * 7 + t * 3) % 50, 1 + i % 9, (t * 13) % 100);
      }
  return s;
}

/* A child rewrites, truncates and appends to the file while the parent
 * imports it: each import ends with a dataset or an error naming the
 * file, never a crash (ASan and UBSan watch the CI run of this). */
static void
test_import_changing_file (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "sales.csv", NULL);
  /* Above the reader's 4 MB threshold, so its parser thread runs too. */
  g_autoptr (GString) csv = sales_csv (900, 160);
  g_autoptr (GString) tail = sales_csv (3, 20);
  guint n_ok = 0, n_err = 0, rounds;
  gint64 start;
  pid_t pid;
  int status;

  g_assert_cmpuint (csv->len, >, 4u << 20);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  pid = fork_child ();
  if (pid == 0)
    {
      GRand *rng = g_rand_new_with_seed (g_test_rand_int ());

      for (;;)
        {
          /* In place (not by rename): the reader's open file changes. */
          int fd = g_open (path, O_WRONLY, 0);
          gsize cut = g_rand_int_range (rng, 0, (gint32) csv->len);

          if (fd < 0)
            _exit (1);
          switch (g_rand_int_range (rng, 0, 3))
            {
            case 0:   /* cut short, mid-line */
              if (ftruncate (fd, (off_t) cut) != 0)
                _exit (1);
              break;
            case 1:   /* grown: rows appended after the end */
              if (lseek (fd, 0, SEEK_END) < 0 || write (fd, tail->str + 24, tail->len - 24) < 0)
                _exit (1);
              break;
            default:  /* rewritten whole */
              if (ftruncate (fd, 0) != 0 || write (fd, csv->str, csv->len) < 0)
                _exit (1);
              break;
            }
          close (fd);
          g_usleep (g_rand_int_range (rng, 0, 20000));
        }
    }

  start = g_get_monotonic_time ();
  for (rounds = 0; rounds < 12 && g_get_monotonic_time () - start < KILL_BUDGET_US; rounds++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TcDataset) ds = tc_import_file (path, NULL, NULL, NULL, &error);

      if (ds != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (ds->n_series, >, 0);
          g_assert_cmpuint (ds->n_times, >, 0);
          n_ok++;
        }
      else
        {
          g_assert_nonnull (error);
          g_test_message ("round %u: %s", rounds, error->message);
          g_assert_nonnull (strstr (error->message, "sales.csv"));
          n_err++;
        }
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_test_message ("%u imports of a changing file: %u datasets, %u errors", rounds, n_ok, n_err);
  faults_remove_tree (dir);
}

/* -- paths that cannot be read ------------------------------------------------ */

/* Importing @path fails with an error that names @name. */
static void
assert_import_fails (const char *path, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) ds = tc_import_file (path, NULL, NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_nonnull (error);
  g_test_message ("import %s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, name));
}

static void
assert_model_load_fails (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TcModel) m = tc_model_load (path, NULL, &error);

  g_assert_null (m);
  g_assert_error (error, TC_ERROR, TC_ERROR_IO);
  g_test_message ("load %s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_unreadable_paths (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *file = g_build_filename (dir, "sales.csv", NULL);
  g_autofree char *under = g_build_filename (dir, "sales.csv", "x.csv", NULL);
  g_autofree char *sub = g_build_filename (dir, "folder.csv", NULL);
  g_autofree char *dangling = g_build_filename (dir, "gone.csv", NULL);
  g_autofree char *target = g_build_filename (dir, "nowhere.csv", NULL);
  g_autoptr (GString) csv = sales_csv (2, 40);

  g_assert_true (g_file_set_contents (file, csv->str, csv->len, NULL));
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (symlink (target, dangling), ==, 0);

  assert_import_fails (sub, "folder.csv");
  assert_import_fails (under, "x.csv");
  assert_import_fails (dangling, "gone.csv");
  assert_model_load_fails (sub);
  assert_model_load_fails (under);
  assert_model_load_fails (dangling);
  assert_model_load_fails ("/dev/zero");
  faults_remove_tree (dir);
}

/* A FIFO nobody writes to reads as an empty file at once, rather than
 * blocking the open forever; one with a writer is read to its end.  The
 * work runs in a subprocess with a timeout, so a hang fails the test
 * instead of stalling the suite. */
static void
test_fifo (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_dir ();
      g_autofree char *fifo = g_build_filename (dir, "pipe.csv", NULL);
      g_autoptr (GString) csv = sales_csv (3, 40);
      g_autoptr (GError) error = NULL;
      g_autoptr (TcDataset) ds = NULL;
      pid_t pid;
      int status;

      g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
      assert_import_fails (fifo, "pipe.csv");
      assert_model_load_fails (fifo);

      pid = fork_child ();
      if (pid == 0)
        {
          int fd = g_open (fifo, O_WRONLY, 0);

          if (fd < 0 || write (fd, csv->str, csv->len) != (gssize) csv->len)
            _exit (1);
          _exit (0);
        }
      /* The writer may open after the reader: give it the FIFO open
       * first by waiting for it to block in open (it cannot finish
       * before a reader arrives). */
      g_usleep (100000);
      ds = tc_import_file (fifo, NULL, NULL, NULL, &error);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (ds == NULL)
        {
          /* The writer had not opened yet: the FIFO read as empty.  That
           * is the documented outcome too, only not the one tried here. */
          g_assert_nonnull (error);
          g_test_message ("the writer came late: %s", error->message);
        }
      else
        g_assert_cmpuint (ds->n_series, ==, 3);
      faults_remove_tree (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static char *
perm_dir (pid_t parent)
{
  g_autofree char *name = g_strdup_printf ("tc-faults-perm-%d", (int) parent);

  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

/* Permission denied.  Root reads any file whatever its mode, so as root
 * the subprocess drops to nobody (65534) first. */
static void
test_permission_denied (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *locked = NULL;
      g_autofree char *model = NULL, *ro = NULL, *ro_dir = NULL;
      g_autoptr (TcModel) m = big_model (6);
      const char *keep[] = { NULL };

      dir = perm_dir (getppid ());
      locked = g_build_filename (dir, "locked.csv", NULL);
      model = g_build_filename (dir, "locked.tcm", NULL);
      ro = g_build_filename (dir, "ro", "m.tcm", NULL);
      ro_dir = g_build_filename (dir, "ro", NULL);

      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        {
          g_test_skip ("cannot drop root privileges to test permissions");
          return;
        }
      assert_import_fails (locked, "locked.csv");
      assert_model_load_fails (model);
      assert_save_fails (m, ro_dir, ro, g_strerror (EACCES));
      g_assert_cmpuint (faults_count_strays (ro_dir, keep, FALSE), ==, 0);
      return;
    }
  /* The subprocess finds the directory by this process's id: setenv ()
   * is not safe once other tests have started threads. */
  dir = perm_dir (getpid ());
  faults_remove_tree (dir);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  {
    g_autofree char *locked = g_build_filename (dir, "locked.csv", NULL);
    g_autofree char *model = g_build_filename (dir, "locked.tcm", NULL);
    g_autofree char *ro_dir = g_build_filename (dir, "ro", NULL);

    g_assert_true (g_file_set_contents (locked, "series,date,units\na,2023-01-01,1\n", -1, NULL));
    g_assert_true (g_file_set_contents (model, "TCMODEL", -1, NULL));
    g_assert_cmpint (g_chmod (locked, 0), ==, 0);
    g_assert_cmpint (g_chmod (model, 0), ==, 0);
    g_assert_cmpint (g_mkdir (ro_dir, 0555), ==, 0);
    g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR | G_TEST_SUBPROCESS_INHERIT_STDOUT);
    g_test_trap_assert_passed ();
  }
  faults_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/model-save-killed", test_model_save_killed);
  g_test_add_func ("/faults/model-save-full-tmpfs", test_model_save_full_tmpfs);
  g_test_add_func ("/faults/model-save-fsize-limit", test_model_save_fsize_limit);
  g_test_add_func ("/faults/model-save-not-regular", test_model_save_not_regular);
  g_test_add_func ("/faults/import-changing-file", test_import_changing_file);
  g_test_add_func ("/faults/unreadable-paths", test_unreadable_paths);
  g_test_add_func ("/faults/fifo", test_fifo);
  g_test_add_func ("/faults/permission-denied", test_permission_denied);
  return g_test_run ();
}
