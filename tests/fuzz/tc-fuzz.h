/* tc-fuzz.h — the bodies of the fuzz harnesses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function takes one fuzzer input and runs it through the code it
 * covers, ignoring every GError (a refusal is a correct answer; only a
 * crash, a sanitizer report, a hang or a leak is a finding).  They are
 * shared by the libFuzzer executables (fuzz-main.c, clang only) and by
 * tests/core/test-fuzz-regress.c, which replays the committed crashers
 * in the normal and the ASan builds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes 0-3 choose the import options (0 = the defaults), the rest is
 * the CSV file: a preview, then a full import with the same options. */
void tc_fuzz_import (const guint8 *data, gsize size);

/* Byte 0: bit 0 keeps the stored checksums (otherwise they are fixed up,
 * so that mutations reach the parser behind the CRC check), bit 1 skips
 * the forecast.  The rest is a model file (single or ensemble). */
void tc_fuzz_model  (const guint8 *data, gsize size);
/* Writes the right CRC-32 into a model file (each member of an ensemble). */
void tc_fuzz_fix_checksums (guint8 *data, gsize size);

/* Bytes 0-1 choose the options; the rest is a future-plan CSV read
 * against a small fixed dataset, then resolved against a tiny model
 * when @model_path is set (tc_fuzz_plan_set_model). */
void tc_fuzz_plan   (const guint8 *data, gsize size);

/* Byte 0: bit 0 keeps the header, otherwise its length and checksum
 * are fixed up; the rest is a .trendcast project (tc_project_from_bytes,
 * then written and read again). */
void tc_fuzz_project (const guint8 *data, gsize size);

/* Where the harnesses write their temporary files: one per process. */
char *tc_fuzz_temp_path   (const char *name);
/* Writes @data to @path without fsync or rename: the input of one run,
 * not a file to keep (g_file_set_contents' fsync was most of the time). */
gboolean tc_fuzz_write_file (const char *path, const guint8 *data, gsize size);
/* Removes that directory once its files are gone. */
void  tc_fuzz_temp_remove (void);

G_END_DECLS
