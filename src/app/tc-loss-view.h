/* tc-loss-view.h — a GTK widget that shows a TcLossChart with a hover readout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-loss-chart.h"

G_BEGIN_DECLS

#define TC_TYPE_LOSS_VIEW (tc_loss_view_get_type ())
G_DECLARE_FINAL_TYPE (TcLossView, tc_loss_view, TC, LOSS_VIEW, GtkWidget)

GtkWidget   *tc_loss_view_new       (void);
/* The chart shown; owned by the view, which redraws whenever it changes. */
TcLossChart *tc_loss_view_get_chart (TcLossView *self);
/* The curves in words (also the accessible description), newly allocated. */
char        *tc_loss_view_dup_text  (TcLossView *self);

G_END_DECLS
