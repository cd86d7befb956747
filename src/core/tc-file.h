/* tc-file.h — how Trendcast reads and writes whole files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-error.h"

/* Whether @path may be read as a whole file: TRUE when it is a regular
 * file (through links) or does not exist, in which case the open that
 * follows names the error.  Reading a FIFO nobody writes to blocks
 * forever and /dev/zero never ends.  @what starts the message, as in
 * "Cannot read model". */
static inline gboolean
tc_file_check_regular (const char *path, const char *what, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  g_set_error (error, TC_ERROR, TC_ERROR_IO, "%s “%s”: %s", what, path,
               S_ISDIR (st.st_mode) ? g_strerror (EISDIR) : "not a regular file");
  return FALSE;
}

/* Writes @data (@len bytes, or a string when -1) to @path so that a
 * crash, a kill or a full disk leaves the old file or the new one, never
 * part of it: a temporary file beside @path, synced to the disk (even
 * for a new file) and renamed over it; removed again on failure.
 *
 * A device or a FIFO (/dev/null, /dev/stdout) is written in place
 * instead: renaming over it would replace it, and as root /dev/null
 * would become a regular file.  A FIFO without a reader fails at once
 * (ENXIO) rather than waiting for one.  Errors name the file. */
static inline gboolean
tc_file_set_contents (const char *path, const char *data, gssize len, GError **error)
{
  GStatBuf st;
  int fd, saved = 0;
  gsize done = 0;

  if (len < 0)
    len = (gssize) strlen (data);
  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, "Cannot write “%s”: %s", path, g_strerror (EISDIR));
      return FALSE;
    }
  fd = g_open (path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    saved = errno;
  else
    {
      fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
      while (done < (gsize) len && saved == 0)
        {
          gssize n = write (fd, data + done, (gsize) len - done);

          if (n < 0 && errno != EINTR)
            saved = errno;
          else if (n > 0)
            done += (gsize) n;
        }
      if (close (fd) != 0 && saved == 0)
        saved = errno;
    }
  if (saved != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, "Cannot write “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
