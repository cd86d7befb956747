/* tc-project.h — a whole analysis in one .trendcast file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project holds what a window shows beyond the data itself: where the
 * data is and how it was imported (or a copy of it), the trained model,
 * the future plan, the Scenarios page's changes and the view.  GLib
 * only: the app saves and opens projects, trendcast-cli reads them.
 *
 * The file format, version 1
 * --------------------------
 *
 *   TRENDCAST-PROJECT 1\n                      the magic and the format version
 *   <payload length> <SHA-256 of payload>\n    decimal bytes, 64 lower-case hex digits
 *   <payload>                                  exactly that many bytes, then the end of the file
 *
 * The payload is a serialized GVariant of type a{sv} in normal form,
 * little-endian.  Readers look every key up with the type they expect,
 * ignore keys they do not know (a later version may add some without
 * raising the format version) and treat a missing optional key as
 * absent.  The version is raised only when a reader of the previous
 * version would misread the file; such a file is refused ("saved by a
 * newer Trendcast"), as is one whose length or checksum does not match
 * (truncated or damaged).  Keys of version 1:
 *
 *   "generator"        s     the program that wrote it, "Trendcast 0.1"
 *   "saved"            x     when, seconds since 1970-01-01 UTC
 *   "data-path"        s     the data file, absolute
 *   "data-size"        t     its size in bytes when saved
 *   "data-mtime"       x     its modification time, seconds
 *   "data-sha256"      s     its SHA-256, lower-case hex
 *   "data-embedded"    ay    optional: a copy of the data file's bytes
 *   "import"           a{sv} the import options (TcImportOptions): "date-col" s,
 *                            "series-cols" as, "target-col" s, "known-cols" as,
 *                            "observed-cols" as, "static-cols" as, "text-col" s,
 *                            "ignore-cols" as, "format" u, "freq" u, "start" s,
 *                            "date-order" u, "missing" u, "duplicates" u,
 *                            "skip-bad-rows" b, "delimiter" y, "encoding" s
 *                            (an absent key keeps the default); added later without
 *                            a version bump: "news-path" s (a dated news file joined
 *                            to the data, tc-news.h, absolute), "news-date-col" s,
 *                            "news-text-col" s, "news-category-col" s
 *   "model"            ay    optional: the model, as tc_forecaster_to_bytes writes it
 *   "future"           a{sv} optional: the future plan: "freq" u, "week-start" i,
 *                            "times" ax, "series" as, "names" as, "kinds" au,
 *                            "values" ad (names, series, times) row-major, NaN = not given
 *   "changes"          aa{sv} the Scenarios page's rows in order: "kind" s
 *                            ("promotion", "discount", "price", "set", "competitor"
 *                            — a competitor's price × value), "covariate" s
 *                            (for "set"), "value" d, "from" x, "to" x (the first and
 *                            last forecast date changed, inclusive)
 *   "scope"            as    the series the changes apply to; absent or empty = all
 *   "view-page"        s     the page shown: "data", "model", "training", "forecast",
 *                            "scenarios", "evaluation"
 *   "view-level"       s     the level shown on the Forecast page ("sku", a
 *                            product attribute's column, "total")
 *   "view-series"      s     the series or group selected on the Forecast page
 *   "autosave-of"      s     in an autosaved copy only: the project it is a copy of
 *   "scenario-book"    a(sas) optional: the scenarios the user saved by name, in order:
 *                            the name and its edits as text, in the syntax of
 *                            tc-scenario-book.h ("promo=1@2025-07-07..2025-07-20@SKU-1")
 *
 * Added without raising the version (older readers ignore them):
 *
 *   "plan"             a{sv} optional: the Plan page's parameters: "lead-time" u and
 *                            "review-period" u (forecast steps; review ≥ 1),
 *                            "service-level" d (0 < level < 1), "stock-path" s
 *                            (optional: the stock file, absolute; absent = stock
 *                            from a column of the data, or none)
 *   "evaluation"       a{sv} optional: the Evaluation page's last backtest, kept as the
 *                            forecasts it made and scored again on opening
 *                            (tc_backtest_result_replay): "horizon" u, "folds" u,
 *                            "step" u, "end" u (the cutoffs: end − horizon − (folds − 1 − k)
 *                            × step), "season" u, "aggregate" u, "quantiles" ad
 *                            (ascending, in (0, 1)), "models" as, "series" as (the
 *                            data's series, in order), "forecasts" ad (models, folds,
 *                            series, horizon, quantiles), NaN = not scored; optional
 *                            "drivers" a{sv}: "horizon" u, "origins" au, "windows" u,
 *                            "base-loss" d, "base-smape" d, "list" aa{sv} of "name" s,
 *                            "kind" u (TcDriverKind), "covariate-kind" u,
 *                            "importance" d, "importance-sd" d, "loss" d, "smape" d
 *
 * Where the data is: a project refers to the data file by its absolute
 * path, and when the file is not there any more, to a file of the same
 * name beside the project (a folder moved as a whole).  With an
 * embedded copy the data opens even when neither exists.  When the data
 * file differs from the one saved (another checksum) the project still
 * opens, with the new data, and says so.  A news file ("news-path")
 * that is missing or does not read does not stop it either: the data
 * opens without the news (TcImportOptions.news_optional), the import
 * report's news_error says why, and the reference stays, saved again,
 * until the user removes it (tc_session_forget_news) or locates the
 * file (tc_session_attach_news).
 */
#pragma once

#include <gio/gio.h>

#include "tc-backtest.h"
#include "tc-dataset.h"
#include "tc-explain.h"
#include "tc-forecaster.h"
#include "tc-import.h"
#include "tc-lever.h"
#include "tc-scenario-book.h"
#include "tc-session.h"

G_BEGIN_DECLS

/* The format this version writes and the newest it reads. */
#define TC_PROJECT_FORMAT_VERSION 1
/* The file name extension, with its dot. */
#define TC_PROJECT_SUFFIX ".trendcast"
#define TC_PROJECT_MIME_TYPE "application/x-trendcast-project"

/* One row of the Scenarios page.  The kinds are those of the levers
 * (tc-lever.h) and of the page's rows (TcScenarioEditKind), in the same
 * order: promotion, discount (value %), price (× value), set (a
 * covariate = value), competitor (a competitor's price × value). */
typedef struct
{
  TcLeverKind  kind;
  char        *covariate;   /* TC_LEVER_FLAG only, else NULL */
  double       value;
  gint64       from, to;    /* inclusive forecast dates, seconds since the epoch */
} TcProjectChange;

typedef struct
{
  /* The data: a reference, and optionally a copy. */
  char            *data_path;       /* absolute, or NULL without data */
  guint64          data_size;
  gint64           data_mtime;
  char            *data_sha256;     /* lower-case hex */
  GBytes          *data_embedded;   /* NULL: a reference only */
  TcImportOptions  import_options;

  GBytes          *model;           /* tc_forecaster_to_bytes, or NULL */
  TcDataset       *future;          /* the future plan, or NULL */
  GArray          *changes;         /* (element-type TcProjectChange) */
  char           **scope;           /* series ids, NULL = all series */

  char            *view_page;       /* NULL = the app's choice */
  char            *view_level;
  char            *view_series;
  char            *autosave_of;     /* an autosave: the project file it stands for, or NULL */
  TcScenarioBook  *scenario_book;   /* the saved scenarios, NULL = none */

  /* The Plan page ("plan"); has_plan FALSE = not saved, the app's own. */
  gboolean         has_plan;
  guint            plan_lead_time;
  guint            plan_review_period;
  double           plan_service_level;
  char            *plan_stock_path;  /* absolute, or NULL */

  /* The Evaluation page ("evaluation"); has_evaluation FALSE = none. */
  gboolean         has_evaluation;
  TcBacktestConfig eval_config;      /* q points into eval_quantiles */
  double          *eval_quantiles;   /* (eval_config.nq) */
  char           **eval_models;
  char           **eval_series;
  double          *eval_forecasts;   /* (models, folds, series, h, nq) */
  TcExplainResult *eval_drivers;     /* or NULL */

  char            *generator;       /* read from a file; written as "Trendcast VERSION" */
  gint64           saved;
} TcProject;

TcProject  *tc_project_new           (void) G_GNUC_WARN_UNUSED_RESULT;
void        tc_project_free          (TcProject        *project);

/* The file's bytes (see above) and a project back from them.  @name
 * says where the bytes came from in error messages (a file name), or
 * NULL.  A truncated or damaged file is TC_ERROR_CORRUPT, a newer
 * format TC_ERROR_INCOMPATIBLE, something else TC_ERROR_PARSE. */
GBytes     *tc_project_to_bytes      (const TcProject  *project) G_GNUC_WARN_UNUSED_RESULT;
TcProject  *tc_project_from_bytes    (GBytes           *bytes,
                                      const char       *name,
                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
/* Writes atomically (tc_file_set_contents): a crash or a kill leaves
 * the previous file whole. */
gboolean    tc_project_save          (const TcProject  *project,
                                      const char       *path,
                                      GError          **error);
TcProject  *tc_project_load          (const char       *path,
                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
/* Whether @path is a regular file that starts as a project does,
 * whatever its name: for commands that take data or a project. */
gboolean    tc_project_sniff         (const char       *path);

/* Makes @path the project's data file: its size, time and checksum,
 * and with @embed a copy of its bytes. */
gboolean    tc_project_set_data_file (TcProject        *project,
                                      const char       *path,
                                      gboolean          embed,
                                      GError          **error);

/* A project of what @session holds: its data file (with a copy when
 * @embed) and import options, the model, the future plan and the saved
 * scenarios.  The caller adds the changes and the view. */
TcProject  *tc_project_capture       (TcSession        *session,
                                      gboolean          embed,
                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;

/* The file to import: the data path when it exists, else a file of
 * the same name beside @project_path (may be NULL), else the embedded
 * copy written to the user's cache.  *@changed_out (may be NULL) is
 * TRUE when that file's checksum is not the one saved. */
char       *tc_project_find_data     (const TcProject  *project,
                                      const char       *project_path,
                                      gboolean         *changed_out,
                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;

/* After @session imported the project's data: sets its model, future
 * plan and saved scenarios.  Fails when the model or the plan does not fit the data
 * (another series list, a missing covariate). */
gboolean    tc_project_apply         (const TcProject  *project,
                                      TcSession        *session,
                                      GError          **error);

/* tc_project_find_data, tc_session_import and tc_project_apply in the
 * calling thread: what trendcast-cli does. */
gboolean    tc_project_open_session  (const TcProject  *project,
                                      const char       *project_path,
                                      TcSession        *session,
                                      GCancellable     *cancellable,
                                      gboolean         *changed_out,
                                      GError          **error);

/* The scenario edits of the project's changes and scope, as the
 * Scenarios page builds them (tc_lever_append_edits), appended to
 * @edits (element-type TcScenarioEdit; the caller frees the covariate
 * names).  Fails on a scope series not in @ds or a change the model has
 * no column for. */
gboolean    tc_project_build_edits   (const TcProject  *project,
                                      TcForecaster     *fc,
                                      const TcDataset  *ds,
                                      GArray           *edits,
                                      GError          **error);

/* Keeps @res (and @drivers, may be NULL) as the project's evaluation:
 * copies of what tc_backtest_result_replay needs and of the drivers. */
void        tc_project_set_evaluation (TcProject              *project,
                                       const TcBacktestResult *res,
                                       const TcExplainResult  *drivers);

/* "promotion", "discount", "price", "set", "competitor"; and back (-1 when unknown). */
const char *tc_project_change_kind_to_string (TcLeverKind kind);
int         tc_project_change_kind_from_string (const char *str);

void        tc_project_add_change    (TcProject        *project,
                                      TcLeverKind       kind,
                                      const char       *covariate,
                                      double            value,
                                      gint64            from,
                                      gint64            to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcProject, tc_project_free)

/* Frees a TcProjectChange's covariate (for g_array_set_clear_func). */
void        tc_project_change_clear  (gpointer          change);

/* The edits of change rows @changes (of TcProjectChange) for the series
 * with ids @scope (NULL or empty = all), as the Scenarios page makes
 * them: one edit for all series, or one per series in scope.
 * TC_ERROR_SCHEMA for a series the data lacks or a change the model has
 * no column for. */
gboolean    tc_project_changes_to_edits (const GArray        *changes,
                                         const char * const  *scope,
                                         TcForecaster        *fc,
                                         const TcDataset     *ds,
                                         GArray              *edits,
                                         GError             **error);
/* The other way: change rows (appended to @changes, covariates newly
 * allocated) and the series ids they apply to (*@scope_out, NULL for
 * all; g_strfreev) from edit texts of a saved scenario (tc-scenario-book.h)
 * — so a scenario saved by the app or written for trendcast-cli opens
 * in the Scenarios page's rows.  A discount with the price lowered by
 * the same share is one discount row.  TC_ERROR_SCHEMA when the edits
 * cannot be rows: a factor on a column that is no price, or changes
 * for different series (the page applies every row to one scope). */
gboolean    tc_project_changes_from_edits (const char * const  *texts,
                                           TcForecaster        *fc,
                                           const TcDataset     *ds,
                                           GArray              *changes,
                                           char              ***scope_out,
                                           GError             **error);

G_END_DECLS
