/* tc-scenario-page-private.h — what the files of the Scenarios page share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is split by concern: tc-scenario-page.c (the widget, the
 * plan, the buttons and the session), tc-scenario-page-edits.c (the rows
 * of the “What if…” list), tc-scenario-page-worker.c (the scenario in a
 * worker thread on a private copy of the model),
 * tc-scenario-page-results.c (headline, chart, table) and
 * tc-scenario-page-export.c (CSV) and tc-scenario-page-book.c (saved
 * scenarios: save, open, delete, compare, import and export).
 */
#pragma once

#include <adwaita.h>

#include "tc-chart-view.h"
#include "tc-forecaster.h"
#include "tc-lever.h"
#include "tc-scenario-book.h"
#include "tc-scenario-page.h"
#include "tc-session.h"

G_BEGIN_DECLS

typedef struct
{
  TcForecaster *fc;
  TcDataset    *ds;
  /* The last plan's baseline (a result without edits) and that plan:
   * while the plan stays the same, a change of the edits forecasts only
   * the series it touches (tc_forecaster_scenario_update).  Only the
   * worker touches them, one job at a time. */
  TcScenarioResult *base;
  TcDataset        *base_plan;
} Engine;

typedef struct
{
  gint64 from, to;
  char  *label;
} Mark;

typedef struct
{
  Engine         *engine;
  TcDataset      *future;
  TcScenarioEdit *edits;     /* (n_edits) */
  guint           n_edits;
  GArray         *marks;     /* of Mark: one per change row, for the chart */
  guint64         generation;
  gint64          started;   /* monotonic µs */
  guint           kinds;     /* 1 << TcScenarioEditKind of every change row */
  /* The levers, when the session has none yet: estimated here with the
   * same model, data and plan, then shared with the Evaluation page. */
  gboolean        want_levers;
  guint64         session_serial;
  TcLeverSet     *levers;
  /* Said when the changes move the price off the data's path. */
  char           *price_alone;
} Job;

typedef struct
{
  TcScenarioEditKind kind;
  GtkWidget   *row;
  GtkSpinButton *spin;    /* NULL for a promotion */
  GtkDropDown *cov_dd;    /* TC_SCENARIO_EDIT_SET only */
  GtkDropDown *from_dd;
  GtkDropDown *to_dd;
} EditRow;

struct _TcScenarioPage
{
  AdwBin         parent_instance;

  TcSession     *session;
  GSignalGroup  *session_signals;  /* the page's handlers on the session */
  GSettings     *settings;       /* "sum-ranges": how a total's band is made */

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *empty_status;
  GtkBox        *content_box;
  GtkDropDown   *scope_row;
  AdwActionRow  *plan_row;
  GtkButton     *import_button;
  GtkMenuButton *add_button;
  GtkListBox    *edits_list;
  GtkSpinner    *spinner;
  GtkButton     *reset_button;
  GtkButton     *apply_button;
  GtkLabel      *headline_label;
  GtkLabel      *detail_label;
  GtkWidget     *news_data_button;  /* the way to a news file left out, under a refusal */
  TcChartView   *chart_view;
  GtkLabel      *caption_label;
  AdwPreferencesGroup *table_group;
  GtkButton     *export_button;
  GtkGrid       *table_grid;
  GtkLabel      *caution_label;
  /* Saved scenarios (tc-scenario-page-book.c) */
  GtkMenuButton *save_button;
  GtkPopover    *save_popover;
  GtkEntry      *name_entry;
  GtkLabel      *save_hint;
  GtkButton     *save_confirm;
  GtkListBox    *saved_list;
  GtkLabel      *book_status;
  GtkButton     *compare_button;
  AdwPreferencesGroup *compare_group;
  GtkSpinner    *compare_spinner;
  GtkGrid       *compare_grid;
  GtkLabel      *compare_caption;
  TcScenarioComparison *comparison;   /* the one shown, or NULL */
  guint64        compare_generation;  /* bumped when the book, data or model change */
  gboolean       comparing;
  gboolean       compare_again;       /* the book changed while comparing */
  guint          reveal_frames;       /* frames left to scroll the comparison into view */
  GtkFileChooserNative *book_chooser;

  GtkStringList *scope_model;
  GPtrArray     *scope_series;   /* (element-type GArray of guint), NULL entry = all series */
  GtkStringList *date_model;     /* the forecast dates */
  gint64        *horizon_times;  /* (n_horizon) */
  guint          n_horizon;
  GtkStringList *known_model;    /* the model's known covariates */
  GPtrArray     *rows;           /* (element-type EditRow) */

  Engine        *engine;
  GCancellable  *cancellable;
  guint64        generation;
  gboolean       running;
  gboolean       pending;
  gboolean       dirty;          /* changes since the shown result */
  TcScenarioResult *result;
  GArray        *result_marks;   /* of Mark */
  TcDataset     *result_plan;    /* the plan @result was computed with: per series, its horizon dates */
  GArray        *result_scope;   /* of guint: the series the result adds up */
  guint          result_kinds;   /* 1 << TcScenarioEditKind of the result's changes */
  TcLeverSet    *levers;         /* the session's, when the result was shown */
  GtkFileChooserNative *chooser;
};

void
tc_scenario_page_add_edit_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param);

gboolean
tc_scenario_page_add_edit_row (TcScenarioPage     *self,
                               TcScenarioEditKind  kind,
                               const char         *covariate,
                               double              value,
                               guint               from,
                               guint               to);

void
tc_scenario_page_array_unref0 (gpointer p);

void
tc_scenario_page_clear_table (TcScenarioPage *self);

void
tc_scenario_page_engine_unref (Engine *e);

void
tc_scenario_page_export_clicked_cb (TcScenarioPage *self);

char *
tc_scenario_page_format_date (TcFrequency freq, gint64 t, const char *day_format);

char *
tc_scenario_page_format_pct (double part, double whole);

char *
tc_scenario_page_format_signed (double v);

char *
tc_scenario_page_horizon_phrase (TcFrequency freq, guint n);

const char *
tc_scenario_page_known_of_kind (TcScenarioPage *self, TcCovariateKind kind);

gboolean
tc_scenario_page_price_is_log (TcScenarioPage *self);

GArray *
tc_scenario_page_scope_indices (TcScenarioPage *self);

void
tc_scenario_page_set_dirty (TcScenarioPage *self);

void
tc_scenario_page_show_result (TcScenarioPage *self);

void
tc_scenario_page_start_job (TcScenarioPage *self);

void
tc_scenario_page_add_competitor_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param);
void
tc_scenario_page_update_add_actions (TcScenarioPage *self);

void
tc_scenario_page_notify_busy (TcScenarioPage *self);

gboolean
tc_scenario_page_ensure_engine (TcScenarioPage *self, GError **error);

/* tc-scenario-page-book.c */
void     tc_scenario_page_book_init        (TcScenarioPage *self);
void     tc_scenario_page_book_class_init  (GtkWidgetClass *widget_class);
void     tc_scenario_page_book_reset       (TcScenarioPage *self);
void     tc_scenario_page_book_dispose     (TcScenarioPage *self);
void     tc_scenario_page_update_save      (TcScenarioPage *self);

/* Emits "changed": the user changed the rows or the scope. */
void     tc_scenario_page_emit_changed (TcScenarioPage *self);

G_END_DECLS
