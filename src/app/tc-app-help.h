/* tc-app-help.h — "what does this mean?" next to a figure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A small flat button that opens a popover explaining @term in plain
 * words (@explanation, translated by the caller). */
GtkWidget *tc_app_help_button_new (const char *term,
                                   const char *explanation);

/* @term's label followed by its help button, in one box. */
GtkWidget *tc_app_help_label_new  (const char *term,
                                   const char *explanation);

G_END_DECLS
