/* tc-app-text.h — plain-language words shared by the Model and Training pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tc-dataset.h"
#include "tc-forecaster.h"

G_BEGIN_DECLS

/* "weeks", "days" … for the data's frequency ("steps" when unknown). */
const char *tc_app_freq_unit_plural (TcFrequency freq);
/* "weekly", "daily" … */
const char *tc_app_freq_adjective   (TcFrequency freq);
/* A preset's name as the Model page shows it: "Small", "Custom", … */
const char *tc_app_preset_label     (TcPreset    preset);
/* "about 2 minutes", "about 40 seconds" … (newly allocated). */
char       *tc_app_format_duration  (double      seconds);
/* "12 MB", "1.4 GB" (newly allocated). */
char       *tc_app_format_bytes     (double      bytes);

G_END_DECLS
