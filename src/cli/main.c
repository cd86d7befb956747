/* main.c — trendcast-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tc-cli.h"

int
main (int argc, char **argv)
{
  return tc_cli_main (argc, argv);
}
