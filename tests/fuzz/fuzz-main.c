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

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* One thread: libFuzzer's timeouts and coverage are per process, and
   * the machine is shared. */
  g_setenv ("OPENBLAS_NUM_THREADS", "1", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  TC_FUZZ_TARGET (data, size);
  return 0;
}
