/* tc-import-private.h — what the files of the importer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer is one pass over the file in six files named for their
 * concern: tc-import.c (the entry points: synchronous, preview, in a
 * worker), tc-import-options.c (options, the report and its JSON,
 * names), tc-import-infer.c (the header and the sample: number formats,
 * column types and roles), tc-import-plan.c (what every column becomes),
 * tc-import-rows.c (streaming the rows) and tc-import-grid.c (dates,
 * the frequency, the grid).  They share the context below.
 */
#pragma once

#include <glib.h>

#include "tc-csv.h"
#include "tc-dataset.h"
#include "tc-import.h"

G_BEGIN_DECLS

/* Rows kept as text to decide the column types before streaming. */
#define SAMPLE_ROWS   2000
#define SAMPLE_BYTES  (16u << 20)
#define MAX_SKIPPED_REASONS 10
#define MAX_DUPLICATES_LISTED 5
/* The grid holds (1 + known + observed) doubles per series and date.
 * Above MAX_CELLS (2 GB of doubles; the M5 data with three covariates
 * needs 240 M) the file is refused; above SPARSE_CELLS its rows must
 * also give a value for at least one cell in SPARSE_RATIO: a 20 kB file of 700
 * series with one date typed 9999 asked for 16 GB and a minute. */
#define MAX_CELLS     ((gsize) 1 << 28)
#define SPARSE_CELLS  ((gsize) 1 << 24)
#define SPARSE_RATIO  1000

typedef enum
{
  VAR_NONE = 0,
  VAR_TARGET,
  VAR_KNOWN,
  VAR_OBSERVED,
} VarKind;

/* What happens to one file column. */
typedef struct
{
  int      slot;        /* value slot in a kept row, -1 = none */
  VarKind  var;
  guint    var_index;   /* known or observed index */
  int      series;      /* wide: fixed series; -1 = from the row; -2 = every series */
  int      static_idx;  /* -1 = not static */
} ColPlan;

typedef struct
{
  VarKind var;
  guint   var_index;
  int     series;
} SlotMap;

typedef struct
{
  const TcImportOptions *opts;
  TcImportReport *report;
  const char     *base;
  char            delim;

  guint           n_cols;
  char          **names;        /* (n_cols) */
  TcColumnInfo  **cols;         /* (n_cols) borrowed from report->columns */

  gboolean        sampling;
  GPtrArray      *sample;       /* (element-type GStrv) data rows */
  GArray         *sample_lines; /* guint64 */
  gsize           sample_bytes;
  guint64         max_rows;     /* 0 = all; the preview stops early */
  gboolean        preview;

  /* The plan. */
  gboolean        wide_b;       /* a row per series, no dates */
  int             date_col;
  gboolean        date_is_period;
  GArray         *id_cols;      /* guint */
  int             text_col;
  ColPlan        *plan;         /* (n_cols) */
  guint           n_slots;
  SlotMap        *slots;        /* (n_slots) */
  guint           n_known, n_observed, n_static;
  GPtrArray      *known_names, *observed_names, *static_names;
  GArray         *known_kinds;
  /* Known covariates given as names ("double_11", "双十一", empty):
   * cells hold a level code (0 = none) until the grid is built, then
   * each level becomes its own 0/1 covariate "holiday=double_11". */
  GHashTable    **cat_ht;       /* (n_cols) name -> code, NULL for other columns */
  GPtrArray     **cat_levels;   /* (n_cols) level names by code - 1 */
  char           *target_name;
  GPtrArray      *wide_series;  /* wide (a): fixed series names */

  /* Kept rows. */
  GStringChunk   *strings;
  GHashTable     *series_ht;    /* key -> index + 1 */
  GPtrArray      *series_keys;
  GHashTable     *date_ht;
  GPtrArray      *date_strs;
  GArray         *date_lines;   /* guint64, first occurrence */
  GArray         *r_series;     /* guint32 */
  GArray         *r_date;       /* guint32 */
  GArray         *r_line;       /* guint64 */
  GArray         *r_vals;       /* double (n_rows, n_slots); wide_b: concatenated rows */
  GArray         *r_len;        /* wide_b: guint32 values per row */
  GPtrArray      *r_text;
  GPtrArray      *static_vals;  /* (n_series, n_static) char* in strings */
  guint64         static_conflicts;
  char           *static_conflict_msg;
  GString        *key;
  double         *tmp;          /* (n_slots) */
  guint32         last_series;
  char           *last_key;
  guint32         last_date;
  char           *last_date_str;
  GArray         *next_date;    /* guint32 per date: the date that followed it last time */
  guint64         file_size;
  guint64         n_kept;       /* rows in r_*; the arrays are over-allocated */
  guint64         cap_kept;
} Ctx;

void
tc_import_add_var (Ctx *c, guint j, VarKind var, TcCovariateKind kind, const char *name, int series);

gboolean
tc_import_build_grid (Ctx *c, TcDataset **out, GError **error);

gboolean
tc_import_build_wide_b (Ctx *c, TcDataset **out, GError **error);

char *
tc_import_column_list (Ctx *c);

gboolean
tc_import_end_sampling (Ctx *c, GError **error);

void
tc_import_expand_levels (Ctx *c, TcDataset *ds);

int
tc_import_find_col (Ctx *c, const char *name, GError **error);

gboolean
tc_import_in_strv (char **v, const char *name);

void
tc_import_infer_column (Ctx *c, guint j);

gboolean
tc_import_is_numeric_type (TcColumnType t);

gboolean
tc_import_make_plan (Ctx *c, GError **error);

void
tc_import_pick_series_column (Ctx *c, TcColumnRole *role, const gboolean *user);

void
tc_import_refine_price_kinds (Ctx *c);

TcImportReport *
tc_import_report_new (const char *path);

gboolean
tc_import_row_func (const char *const *f, const guint *lens, guint n, guint64 line, gpointer data, GError **error);

char *
tc_import_shorten (const char *s, gsize len);

gboolean
tc_import_split_stub (const char *name, char **stub, char **suffix);

gboolean
tc_import_take_header (Ctx *c, const char *const *fields, const guint *lens, guint n, guint64 line, GError **error);

void G_GNUC_PRINTF (2, 3)
tc_import_warn (Ctx *c, const char *fmt, ...);

void G_GNUC_PRINTF (4, 5)
tc_import_warn_at (Ctx *c, guint column, const char *name, const char *fmt, ...);

void
tc_import_ctx_clear (Ctx *c);

GQuark
tc_import_stop_quark (void);

G_END_DECLS
