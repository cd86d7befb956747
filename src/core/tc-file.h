/* tc-file.h — checks shared by the file readers and writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tc-error.h"

/* Whether @path may be read or replaced as a whole file: TRUE when it
 * is a regular file (through links) or does not exist, in which case
 * the open that follows names the error.  Our writers rename a
 * temporary file over @path, which would replace a device or a FIFO
 * (as root, /dev/null would become a regular file); reading a FIFO
 * nobody writes to blocks forever and /dev/zero never ends.  @what
 * starts the message, as in "Cannot save model to". */
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
