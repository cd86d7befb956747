/* tc-fuzz-import.c — the CSV importer under every format option
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: four option bytes, then the file.
 *
 *   byte 0  bits 0-2 delimiter (detect , ; tab | space " a)
 *           bits 3-4 format (auto long wide auto)
 *           bits 5-7 encoding (detect UTF-8 UTF-16LE UTF-16BE GB18030
 *                    UTF-16 ISO-8859-1 an unknown name)
 *   byte 1  bits 0-1 date order, bits 2-3 missing-value policy,
 *           bit 4 sum duplicates, bit 5 skip bad rows,
 *           bit 6 a start date, bit 7 the frequency from byte 2
 *   byte 2  bits 0-2 frequency, bits 3-7 role overrides by header name
 *           (date, target, series, known, ignore)
 *   byte 3  bits 0-4 preview rows (0 = 20 as in the import assistant),
 *           bits 5-7 more overrides (observed, static, text)
 *
 * The role overrides name columns of the header's first line split at
 * the delimiter, so that the user's choices in the assistant, right or
 * wrong, are exercised as well as the suggestions.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tc-import.h"
#include "tc-fuzz.h"

static const char delimiters[] = { 0, ',', ';', '\t', '|', ' ', '"', 'a' };
static const char *const encodings[] = {
  NULL, "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "UTF-16", "ISO-8859-1", "NO-SUCH-ENCODING",
};

/* The header's names as the importer would see them, roughly: good
 * enough to pick real names most of the time and wrong ones otherwise. */
static char **
header_names (const guint8 *data, gsize size, char delim)
{
  const guint8 *nl = memchr (data, '\n', size);
  g_autofree char *line = g_strndup ((const char *) data, nl ? (gsize) (nl - data) : size);
  char sep[2] = { delim ? delim : ',', 0 };
  char **names;

  g_strdelimit (line, "\r\"", ' ');
  names = g_strsplit (line, sep, 64);
  for (guint i = 0; names[i]; i++)
    g_strstrip (names[i]);
  return names;
}

static char **
one_name (char **names, guint i)
{
  guint n = g_strv_length (names);
  char *v[2] = { n ? names[i % n] : (char *) "", NULL };

  return g_strdupv (v);
}

void
tc_fuzz_import (const guint8 *data, gsize size)
{
  guint8 o[4] = { 0 };
  TcImportOptions opts;
  g_autofree char *path = tc_fuzz_temp_path ("input.csv");
  g_auto (GStrv) names = NULL;
  guint n_names, max_rows;

  memcpy (o, data, MIN (size, 4));
  data += MIN (size, 4);
  size -= MIN (size, 4);
  if (!tc_fuzz_write_file (path, data, size))
    return;

  tc_import_options_init (&opts);
  opts.delimiter = delimiters[o[0] & 7];
  opts.format = ((o[0] >> 3) & 3) % 3;
  opts.encoding = g_strdup (encodings[o[0] >> 5]);
  opts.date_order = (o[1] & 3) % 3;
  opts.missing = ((o[1] >> 2) & 3) % 3;
  opts.duplicates = (o[1] & 0x10) ? TC_DUPLICATES_SUM : TC_DUPLICATES_ERROR;
  opts.skip_bad_rows = (o[1] & 0x20) != 0;
  if (o[1] & 0x40)
    opts.start = g_strdup ((o[2] & 1) ? "2024-01-01" : "1999-12-31 23:00");
  if (o[1] & 0x80)
    opts.freq = (TcFrequency) ((o[2] & 7) % (TC_FREQ_YEARLY + 1));

  names = header_names (data, size, opts.delimiter);
  n_names = g_strv_length (names);
  if (n_names > 0 && g_utf8_validate (names[0], -1, NULL))
    {
      if (o[2] & 0x08)
        opts.date_col = g_strdup (names[0]);
      if (o[2] & 0x10)
        opts.target_col = g_strdup (names[n_names - 1]);
      if (o[2] & 0x20)
        opts.series_cols = one_name (names, 1);
      if (o[2] & 0x40)
        opts.known_cols = one_name (names, 2);
      if (o[2] & 0x80)
        opts.ignore_cols = one_name (names, 3);
      if (o[3] & 0x20)
        opts.observed_cols = one_name (names, 3);
      if (o[3] & 0x40)
        opts.static_cols = one_name (names, 2);
      if (o[3] & 0x80)
        opts.text_col = g_strdup (names[1 % n_names]);
    }

  /* The import assistant's path first: it stops after a few rows, and
   * that early stop is where the known crashes were. */
  max_rows = o[3] & 31;
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TcImportReport) report = tc_import_preview (path, &opts, max_rows ? max_rows : 20, &error);

    if (report)
      {
        JsonNode *json = tc_import_report_to_json (report);

        json_node_unref (json);
      }
  }
  {
    g_autoptr (GError) error = NULL;
    TcImportReport *report = NULL;
    g_autoptr (TcDataset) ds = NULL;

    ds = tc_import_file (path, &opts, &report, NULL, &error);
    if (report)
      {
        JsonNode *json = tc_import_report_to_json (report);

        json_node_unref (json);
        tc_import_report_free (report);
      }
  }
  tc_import_options_clear (&opts);
  g_unlink (path);
}
