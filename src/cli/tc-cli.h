/* tc-cli.h — trendcast-cli, the headless face of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every command. */
enum
{
  TC_CLI_EXIT_OK = 0,
  TC_CLI_EXIT_USAGE = 1,
  TC_CLI_EXIT_DATA = 2,
};

typedef int (*TcCliCommandFunc) (int argc, char **argv);

typedef struct
{
  const char       *name;
  const char       *summary;
  TcCliCommandFunc  func;
} TcCliCommand;

int tc_cli_main (int argc, char **argv);

/* One function per subcommand, each in tc-cli-<name>.c; argv[0] is the
 * command name. */
int tc_cli_inspect  (int argc, char **argv);
int tc_cli_bench    (int argc, char **argv);
int tc_cli_train    (int argc, char **argv);
int tc_cli_forecast (int argc, char **argv);
int tc_cli_scenario (int argc, char **argv);
int tc_cli_levers   (int argc, char **argv);
int tc_cli_backtest (int argc, char **argv);
int tc_cli_plot     (int argc, char **argv);
int tc_cli_plan     (int argc, char **argv);
int tc_cli_hot      (int argc, char **argv);
int tc_cli_effects  (int argc, char **argv);
int tc_cli_compare  (int argc, char **argv);

/* Print a GError the same way everywhere: "trendcast-cli: message". */
void tc_cli_print_error (const GError *error);

G_END_DECLS
