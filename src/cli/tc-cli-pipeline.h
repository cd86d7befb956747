/* tc-cli-pipeline.h — what train, forecast and scenario share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-project.h"
#include "tc-session.h"

G_BEGIN_DECLS

/* The column-role and import flags of “inspect” (--date-col,
 * --series-col, --target-col, --known, --observed, --static, --text-col,
 * --format, --freq, --start, --day-first, --month-first, --missing,
 * --duplicates, --skip-bad-rows, --ignore), plus --delimiter and --encoding,
 * and the news file (--news, --news-date-col, --news-text-col,
 * --news-category-col). */
typedef struct
{
  char  *date_col, *target_col, *text_col, *freq, *missing, *duplicates, *delimiter, *encoding;
  char  *format, *start;
  char  *news, *news_date_col, *news_text_col, *news_category_col;
  gboolean day_first, month_first, skip_bad_rows;
  char **series_cols, **known_cols, **observed_cols, **static_cols, **ignore_cols;
} TcCliRoleArgs;

GOptionGroup *tc_cli_role_option_group (TcCliRoleArgs *args);
void          tc_cli_role_args_clear   (TcCliRoleArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TcCliRoleArgs, tc_cli_role_args_clear)
/* Fill import options from the flags; fails on a bad --freq etc. */
gboolean      tc_cli_role_args_apply   (const TcCliRoleArgs *args,
                                        TcImportOptions     *opts,
                                        GError             **error);
/* Roles of the model's columns, for flags the user did not give. */
void          tc_cli_import_options_from_model (TcImportOptions *opts,
                                                TcForecaster    *fc);

/* What forecast, scenario and plot start with: a session (the app's
 * TcSession, used synchronously) with the model of @model_path, the data
 * of @path imported with the roles of the model's columns for flags not
 * given, and the plan of @future_path (may be NULL) read against that
 * data.  On failure prints the error and returns the exit status
 * (TC_CLI_EXIT_DATA); 0 on success. */
int           tc_cli_open_session      (const char       *model_path,
                                        const char       *path,
                                        const char       *future_path,
                                        TcImportOptions  *opts,
                                        TcSession       **session);

/* The same from a project file (tc-project.h): its data, import
 * options, model and plan; a FUTURE file given replaces the plan.
 * @project_out (may be NULL) receives the project (its scenario
 * changes).  With @model_path NULL, tc_cli_open_session does this with
 * @path. */
int           tc_cli_open_project      (const char       *path,
                                        const char       *future_path,
                                        TcSession       **session_out,
                                        TcProject       **project_out);
/* Every data command's command line: @entries and the column-role flags
 * (tc_cli_role_option_group) added to @ctx, then parsed.  FALSE, after
 * printing why, on a bad flag. */
gboolean      tc_cli_parse_args        (GOptionContext     *ctx,
                                        const GOptionEntry *entries,
                                        TcCliRoleArgs      *roles,
                                        int                *argc,
                                        char             ***argv);
/* Whether the arguments left name one DATA file with -m @model, or one
 * project (which stands for both). */
gboolean      tc_cli_names_model_and_data (int          argc,
                                           char       **argv,
                                           const char  *model);
/* Whether the one argument left (argc == 2) is a project file: then it
 * stands for -m MODEL DATA. */
gboolean      tc_cli_is_project        (int               argc,
                                        char            **argv);

/* Quantile column name: 0.1 -> "p10", 0.975 -> "p97.5". */
char         *tc_cli_quantile_name     (float q);
/* The id of series @s, or the target's name for the one series of a
 * file without a series column (its id is empty). */
const char   *tc_cli_series_label      (const TcDataset *ds,
                                        guint            s);
/* A CSV field, quoted when it needs to be. */
void          tc_cli_write_field       (FILE *out,
                                        const char *s);
/* ",value" with the C locale's decimal point; ",” alone for NaN. */
void          tc_cli_write_number      (FILE   *out,
                                        double  v);
/* The -o file of a command that writes CSV.  The rows go to a temporary
 * file beside PATH that tc_cli_output_commit flushes to the disk and
 * renames over PATH, so that an interrupted or failed write leaves the
 * old file whole; a write error (a full disk) is reported there, naming
 * the file, and the temporary file is removed.  "-" or NULL is standard
 * output, and a device or FIFO (-o /dev/stdout) is written in place. */
typedef struct _TcCliOutput TcCliOutput;

TcCliOutput  *tc_cli_output_open       (const char   *path,
                                        GError      **error);
FILE         *tc_cli_output_stream     (TcCliOutput  *output);
/* Frees @output; FALSE (and @error) when anything written was lost. */
gboolean      tc_cli_output_commit     (TcCliOutput  *output,
                                        GError      **error);

/* Holdout accuracy over the series with at least half of their last
 * @horizon steps observed: mean sMAPE (%) and MASE (scale: in-sample
 * |y_t - y_{t-m}| with m the M4 convention for the frequency) of the P50
 * of @f, and of the seasonal naive forecast (naive without a full
 * season of history). */
typedef struct
{
  guint  n_series;
  double smape, mase;
  double naive_smape, naive_mase;   /* seasonal naive */
  double last_smape, last_mase;     /* naive: the last observed value */
  guint  mase_m, naive_m;
} TcCliAccuracy;

void          tc_cli_holdout_accuracy  (const TcDataset  *ds,
                                        const TcForecast *f,
                                        TcCliAccuracy    *acc);

/* The forecast after the data (or of the held-out part), with origins
 * chosen by @mode (tc_session_predict, strict: a FUTURE file must give
 * every planned value).  Without a FUTURE file the model's stated
 * assumptions stand in for the plan (no promotions or discounts, last
 * prices, holidays as last season) and a note on stderr says so. */
TcForecast *tc_cli_predict (TcSession       *session,
                            gboolean         holdout,
                            TcOriginMode     mode,
                            GError         **error);

/* Says on stderr what the origins of @f mean: a note when series are
 * forecast from different dates, and a warning naming every series (the
 * first 20) that ended before a common origin or has no forecast at all
 * (its rows are left out of the CSV). */
void        tc_cli_report_origins (const TcDataset  *ds,
                                   const TcForecast *f,
                                   gboolean          holdout);

/* After a failed forecast with @mode: when a plan was missing and the
 * series end on different dates, says why those dates are needed. */
void        tc_cli_origin_hint    (const TcDataset  *ds,
                                   TcOriginMode      mode,
                                   const GError     *error);

G_END_DECLS
