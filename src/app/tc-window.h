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

G_END_DECLS
