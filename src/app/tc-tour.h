/* tc-tour.h — the guided tour for trainees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-window.h"

G_BEGIN_DECLS

#define TC_TYPE_TOUR (tc_tour_get_type ())

G_DECLARE_FINAL_TYPE (TcTour, tc_tour, TC, TOUR, GtkBox)



/* The card above the pages of @window that walks a trainee through the
 * bundled online-store sample: welcome → data → model → training →
 * forecast → what-if → evaluation, a short explanation each.  Entering
 * a step saves a checkpoint of the window's work (a project file in the
 * user's cache); Reset Step goes back to it. */
TcTour     *tc_tour_new            (TcWindow *window);
void        tc_tour_start          (TcTour   *self);
void        tc_tour_stop           (TcTour   *self);
gboolean    tc_tour_get_active     (TcTour   *self);
guint       tc_tour_get_step       (TcTour   *self);
guint       tc_tour_get_n_steps    (void);
const char *tc_tour_get_title      (TcTour   *self);
/* The buttons: Next (Finish on the last step), Back, the step's own
 * action (Open the Sample, Start Training …) and Reset Step. */
gboolean    tc_tour_can_next       (TcTour   *self);
void        tc_tour_next           (TcTour   *self);
void        tc_tour_back           (TcTour   *self);
gboolean    tc_tour_has_action     (TcTour   *self);
void        tc_tour_do_action      (TcTour   *self);
gboolean    tc_tour_can_reset      (TcTour   *self);
void        tc_tour_reset_step     (TcTour   *self);

G_END_DECLS
