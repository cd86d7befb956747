/* tc-window-private.h — what tc-window.c and tc-window-project.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-window.h"
#include "tc-data-page.h"
#include "tc-evaluation-page.h"
#include "tc-forecast-page.h"
#include "tc-model-page.h"
#include "tc-plan-page.h"
#include "tc-project.h"
#include "tc-scenario-page.h"
#include "tc-training-page.h"

G_BEGIN_DECLS

struct _TcWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *file_chooser;
  GtkFileChooserNative *save_chooser;   /* "Save Model…" before opening other data */
  GFile                *pending_file;   /* to open once the question is answered */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  TcDataPage           *data_page;
  TcModelPage          *model_page;
  TcTrainingPage       *training_page;
  TcForecastPage       *forecast_page;
  TcScenarioPage       *scenarios_page;
  TcEvaluationPage     *evaluation_page;
  TcPlanPage           *plan_page;

  AdwViewSwitcherTitle *switcher_title;

  /* Shared by every page: the data, the model and its forecast. */
  TcSession            *session;

  /* The project (tc-window-project.c). */
  char                 *project_path;    /* NULL: not saved as a project yet */
  GFile                *project_data;    /* the data file the project was saved or opened with */
  gboolean              project_dirty;   /* changed since saved or opened */
  gboolean              project_embed;   /* the last Save As choice */
  gboolean              restoring;       /* changes made by opening a project are not the user's */
  gboolean              close_confirmed; /* the close question was answered */
  gboolean              close_after_save;
  gboolean              open_after_save; /* pending_file once the project is saved */
  TcProject            *opening;         /* being opened: waits for its data */
  char                 *opening_path;
  GCancellable         *opening_cancellable;
  GtkFileChooserNative *project_chooser;
  char                 *autosave_path;
  guint                 autosave_soon_id;
  guint                 autosave_tick_id;
  gboolean              autosave_due;    /* changes since the last autosave */
  GCancellable         *autosave_writing; /* an autosave being written in a worker, or NULL;
                                           * cancelled when the autosave is removed */

  GtkWidget            *tour;            /* the guided tour's card (tc-tour.c) */
};

/* tc-window-project.c */
void     tc_window_project_class_init (GtkWidgetClass *widget_class);
void     tc_window_project_init      (TcWindow *self);
void     tc_window_project_dispose   (TcWindow *self);
/* What closing or opening other data would lose, one line each, or NULL. */
char    *tc_window_describe_unsaved  (TcWindow *self);
/* Asks Save / Discard / Cancel before closing; TRUE when it asked. */
gboolean tc_window_project_close_request (TcWindow *self);
void     tc_window_project_update_title (TcWindow *self);
/* A checkpoint: the window's work in @path, or back from it. */
gboolean tc_window_save_checkpoint   (TcWindow *self, const char *path, GError **error);
void     tc_window_open_checkpoint   (TcWindow *self, const char *path);
/* Save (or Save As…), then open pending_file. */
void     tc_window_save_project_then_open (TcWindow *self);

G_END_DECLS
