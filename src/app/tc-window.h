/* tc-window.h
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-application.h"
#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_WINDOW (tc_window_get_type ())

G_DECLARE_FINAL_TYPE (TcWindow, tc_window, TC, WINDOW, AdwApplicationWindow)

TcWindow *tc_window_new       (TcApplication *application);
void      tc_window_open_file (TcWindow      *self,
                               GFile         *file);
void      tc_window_add_toast (TcWindow      *self,
                               AdwToast      *toast);
TcSession *tc_window_get_session (TcWindow   *self);

/* Projects (tc-project.h; tc-window-project.c).  Saving writes the
 * data reference (a copy with @embed), the model, the plan, the
 * scenario changes and the view; @file NULL is the project's own file.
 * Opening imports the project's data in the background, then restores
 * the rest (tc_window_is_opening_project until then); a .trendcast file
 * given to tc_window_open_file opens as a project. */
gboolean    tc_window_save_project      (TcWindow  *self,
                                         GFile     *file,
                                         gboolean   embed,
                                         GError   **error);
void        tc_window_save_project_as   (TcWindow  *self);
void        tc_window_open_project      (TcWindow  *self,
                                         GFile     *file);
gboolean    tc_window_is_opening_project (TcWindow *self);
/* The project's file, or NULL before it is first saved. */
const char *tc_window_get_project_path  (TcWindow  *self);
/* What closing would lose: changes to a saved project, or an untitled
 * one's unsaved model, scenario, backtest, training. */
gboolean    tc_window_has_unsaved_changes (TcWindow *self);
/* Autosave: the window's copy in the user's state directory, written
 * atomically a few seconds after a change and every few minutes. */
gboolean    tc_window_autosave_now      (TcWindow  *self,
                                         GError   **error);
const char *tc_window_get_autosave_path (TcWindow  *self);
/* The autosave as the timer makes it: snapshot now, written in a worker. */
gboolean    tc_window_autosave_in_background (TcWindow *self);
gboolean    tc_window_is_autosaving     (TcWindow  *self);
/* The newest autosave that loads (and when it was written), or NULL;
 * offer_recovery asks "Recover unsaved work from …?" about it. */
char       *tc_window_find_recovery     (gint64    *saved_out);
/* The guided tour's card (a TcTour, tc-tour.h); "win.tour" starts it. */
GtkWidget  *tc_window_get_tour          (TcWindow  *self);
gboolean    tc_window_offer_recovery    (TcWindow  *self);

G_END_DECLS
