/* main.c — trendcast-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "trendcast-cli"

#include "tc-cli.h"

int
main (int argc, char **argv)
{
  return tc_cli_main (argc, argv);
}
