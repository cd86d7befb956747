/* tc-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-error"

#include "tc-error.h"

G_DEFINE_QUARK (tc-error-quark, tc_error)
