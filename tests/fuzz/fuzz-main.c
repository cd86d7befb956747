/* fuzz-main.c — the libFuzzer entry point of one harness
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built once per harness with -DTC_FUZZ_TARGET=tc_fuzz_<name>.
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "tc-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A GLib warning or critical is a finding as in the tests (G_DEBUG=
 * fatal-warnings), but G_DEBUG makes it a breakpoint trap, which
 * libFuzzer does not catch: abort instead, so that the input is saved. */
static GLogWriterOutput
fatal_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return out;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* One thread: libFuzzer's timeouts and coverage are per process, and
   * the machine is shared. */
  g_setenv ("OPENBLAS_NUM_THREADS", "1", TRUE);
  g_log_set_writer_func (fatal_writer, NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  TC_FUZZ_TARGET (data, size);
  return 0;
}
