/* tc-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tc-error.h"

G_DEFINE_QUARK (tc-error-quark, tc_error)
