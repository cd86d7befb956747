/* faults.h — helpers of the fault tests (tests/core/test-faults.c,
 * tests/cli/test-cli-faults.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The including file defines _GNU_SOURCE before any header (unshare).
 */
#pragma once

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void
faults_remove_tree (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        faults_remove_tree (p);
      else
        g_unlink (p);
    }
  g_dir_close (d);
  g_rmdir (path);
}

/* The files in @dir not named in @keep (temporary files a writer left);
 * removes them when @remove. */
static inline guint
faults_count_strays (const char *dir, const char * const *keep, gboolean remove)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (g_strv_contains (keep, name))
        continue;
      n++;
      if (remove)
        {
          g_autofree char *p = g_build_filename (dir, name, NULL);

          g_unlink (p);
        }
    }
  g_dir_close (d);
  return n;
}

/* Mounts a tmpfs of @options ("size=64k") at @mnt in a mount namespace
 * of this process alone: the mount goes away with the process however
 * it ends, a failed assertion included, and nobody else sees it.
 * Returns 0 or an errno (EPERM without root or CAP_SYS_ADMIN). */
static inline int
faults_mount_private_tmpfs (const char *mnt, const char *options)
{
  if (unshare (CLONE_NEWNS) != 0)
    return errno;
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return errno;
  if (mount ("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    return errno;
  return 0;
}

/* Whether faults_mount_private_tmpfs works here, tried in a child; NULL
 * when it does, else why not (for g_test_skip). */
static inline char *
faults_tmpfs_unavailable (void)
{
  g_autofree char *mnt = g_dir_make_tmp ("tc-faults-probe-XXXXXX", NULL);
  int status = 0, err;
  pid_t pid;

  if (mnt == NULL)
    return g_strdup ("cannot make a directory to mount on");
  pid = fork ();
  if (pid == 0)
    _exit (faults_mount_private_tmpfs (mnt, "size=64k"));
  err = pid < 0 || waitpid (pid, &status, 0) != pid || !WIFEXITED (status) ? EIO : WEXITSTATUS (status);
  g_rmdir (mnt);
  if (err == 0)
    return NULL;
  return g_strdup_printf ("cannot mount a private tmpfs to fill up (%s): needs root or CAP_SYS_ADMIN",
                          g_strerror (err));
}
