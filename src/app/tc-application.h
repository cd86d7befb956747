/* tc-application.h
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TC_TYPE_APPLICATION (tc_application_get_type ())

G_DECLARE_FINAL_TYPE (TcApplication, tc_application, TC, APPLICATION, AdwApplication)

TcApplication *tc_application_new          (void);
GSettings     *tc_application_get_settings (TcApplication *self);

G_END_DECLS
