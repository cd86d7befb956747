/* tc-fuzz-project.c — fuzz the .trendcast project reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Byte 0: bit 0 keeps the header as it is; otherwise the header is
 * written anew with the length and SHA-256 of the payload (what follows
 * the second newline, or all of the rest), so that mutations reach the
 * GVariant payload behind the checksum.  The rest is a project file.
 *
 * A project that reads must write and read again (tc_project_to_bytes,
 * tc_project_from_bytes) to the same bytes: what the reader accepts,
 * the writer can keep.
 */
#include "config.h"

#include <string.h>

#include "tc-project.h"
#include "tc-fuzz.h"

void
tc_fuzz_project (const guint8 *data, gsize size)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (TcProject) p = NULL;
  guint8 mode;

  if (size < 1)
    return;
  mode = data[0];
  data++;
  size--;
  if (mode & 1)
    bytes = g_bytes_new (data, size);
  else
    {
      const guint8 *payload = data, *nl;
      gsize n = size;
      g_autofree char *sum = NULL;
      g_autofree char *head = NULL;
      GByteArray *a = g_byte_array_new ();

      /* Past the two header lines, when there are two. */
      if ((nl = memchr (data, '\n', size)) != NULL
          && (nl = memchr (nl + 1, '\n', size - (gsize) (nl + 1 - data))) != NULL)
        {
          payload = nl + 1;
          n = size - (gsize) (payload - data);
        }
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, payload, n);
      head = g_strdup_printf ("TRENDCAST-PROJECT %d\n%" G_GSIZE_FORMAT " %s\n", TC_PROJECT_FORMAT_VERSION, n, sum);
      g_byte_array_append (a, (const guint8 *) head, strlen (head));
      g_byte_array_append (a, payload, n);
      bytes = g_byte_array_free_to_bytes (a);
    }

  p = tc_project_from_bytes (bytes, "fuzz", NULL);
  if (p != NULL)
    {
      g_autoptr (GBytes) again = tc_project_to_bytes (p);
      g_autoptr (GError) error = NULL;
      g_autoptr (TcProject) q = tc_project_from_bytes (again, "fuzz", &error);

      if (q == NULL)
        g_error ("a project that was read does not read again once written: %s", error->message);
      if (q->changes->len != p->changes->len || (q->future == NULL) != (p->future == NULL)
          || g_strcmp0 (q->data_path, p->data_path) != 0)
        g_error ("a project written and read again differs");
    }
}
