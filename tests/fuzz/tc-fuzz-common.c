/* tc-fuzz-common.c — helpers shared by the fuzz harnesses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tc-fuzz.h"

/* The importer and the model loader take paths, so each input goes
 * through a file.  One directory per process: parallel fuzzers (-jobs)
 * and parallel test runs must not overwrite each other's input. */
char *
tc_fuzz_temp_path (const char *name)
{
  static char *dir = NULL;

  if (g_once_init_enter (&dir))
    {
      char *d = g_strdup_printf ("%s/trendcast-fuzz-%d", g_get_tmp_dir (), (int) getpid ());

      g_mkdir_with_parents (d, 0700);
      g_once_init_leave (&dir, d);
    }
  return g_build_filename (dir, name, NULL);
}

void
tc_fuzz_temp_remove (void)
{
  g_autofree char *probe = tc_fuzz_temp_path ("x");
  g_autofree char *dir = g_path_get_dirname (probe);

  g_rmdir (dir);
}

gboolean
tc_fuzz_write_file (const char *path, const guint8 *data, gsize size)
{
  return g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
}
