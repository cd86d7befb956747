/* tc-tour.c — the guided tour for trainees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card above the pages: which step of how many, a title, a few
 * sentences on the idea of the step (what a forecast interval means,
 * why validation, what MASE says) and its buttons.  The tour drives the
 * real window: the sample is imported through the session, training is
 * the Training page's, the promotion a row of the Scenarios page, so
 * what a trainee sees is what they will use.
 *
 * Checkpoints are projects (tc-project.h): entering a step forwards
 * saves the window's work, Reset Step opens it again.  A trainer can
 * reset a step a trainee got lost in without starting over.
 */

#define G_LOG_DOMAIN "tc-tour"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tc-app-files.h"
#include "tc-tour.h"
#include "tc-window-private.h"

typedef enum
{
  NEED_NOTHING,
  NEED_DATA,       /* Next waits for the sample */
  NEED_MODEL,      /* Next waits for training */
} Need;

typedef struct
{
  const char *page;
  const char *title;
  const char *text;
  const char *action;   /* the step's own button, or NULL */
  Need        need;
} Step;

static const Step steps[] = {
  { "data", N_("Welcome to Trendcast"),
    N_("This tour forecasts the daily sales of a small online store, step by step: the data, the model, "
       "training, the forecast, a what-if question and how good the forecast is. Each step keeps a "
       "checkpoint: Reset Step takes you back to it. Start by opening the store’s sales."),
    N_("_Open the Sample"), NEED_DATA },
  { "data", N_("The Data"),
    N_("Each row is one product’s sales on one day. Trendcast found the date, the product, the units sold "
       "and the columns known in advance: promotions, discounts, prices and holidays. Those are what "
       "what-if questions change later."),
    NULL, NEED_NOTHING },
  { "model", N_("The Model"),
    N_("One model learns from all products at once, so a new product with little history still gets a "
       "forecast. The Small preset trains in a minute or two on a laptop; the tour keeps it short."),
    NULL, NEED_NOTHING },
  { "training", N_("Training and Validation"),
    N_("The model learns from the older days and is checked after every round on the most recent days, "
       "which it never learns from: the validation loss. Training keeps the round with the lowest "
       "validation loss, so the model does not just memorise the past."),
    N_("_Start Training"), NEED_MODEL },
  { "forecast", N_("The Forecast and Its Range"),
    N_("The line is the median: the real sales are as likely to come out above it as below. The shaded "
       "band is the 80 % range: on about 8 days out of 10 the real sales should fall inside it. A wider "
       "band means a less certain forecast."),
    NULL, NEED_NOTHING },
  { "scenarios", N_("What If?"),
    N_("Plan a promotion for the first week and compare: the uplift is what the model expects the "
       "promotion to add to the baseline forecast, in units and in revenue."),
    N_("_Add a Promotion"), NEED_NOTHING },
  { "evaluation", N_("Is the Forecast Any Good?"),
    N_("A backtest forecasts the recent past as if it were the future and compares with what happened. MASE "
       "divides the forecast’s error by the error of simply repeating the past: below 1 is better than "
       "that, above 1 worse."),
    N_("_Run a Backtest"), NEED_NOTHING },
};

struct _TcTour
{
  GtkBox     parent_instance;

  TcWindow  *window;    /* unowned: the window owns the tour */
  gboolean   active;
  guint      step;
  char      *dir;       /* the checkpoints */

  GtkLabel  *count_label;
  GtkLabel  *title_label;
  GtkLabel  *text_label;
  GtkButton *action_button;
  GtkButton *reset_button;
  GtkButton *back_button;
  GtkButton *next_button;
};

G_DEFINE_FINAL_TYPE (TcTour, tc_tour, GTK_TYPE_BOX)

static char *
checkpoint_path (TcTour *self, guint step)
{
  g_autofree char *name = g_strdup_printf ("step-%u.trendcast", step + 1);

  return g_build_filename (self->dir, name, NULL);
}

gboolean
tc_tour_can_next (TcTour *self)
{
  TcSession *session = self->window->session;

  switch (steps[self->step].need)
    {
    case NEED_DATA:
      return tc_session_get_dataset (session) != NULL;
    case NEED_MODEL:
      return tc_session_get_forecaster (session) != NULL;
    case NEED_NOTHING:
    default:
      return TRUE;
    }
}

gboolean
tc_tour_can_reset (TcTour *self)
{
  g_autofree char *path = checkpoint_path (self, self->step);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && !tc_window_is_opening_project (self->window);
}

gboolean
tc_tour_has_action (TcTour *self)
{
  return steps[self->step].action != NULL;
}

static void
update (TcTour *self)
{
  const Step *st = &steps[self->step];
  g_autofree char *count = NULL;

  /* Translators: the guided tour's progress, e.g. "Step 2 of 7". */
  count = g_strdup_printf (_("Step %u of %u"), self->step + 1, (guint) G_N_ELEMENTS (steps));
  gtk_label_set_text (self->count_label, count);
  gtk_label_set_text (self->title_label, _(st->title));
  gtk_label_set_text (self->text_label, _(st->text));
  gtk_widget_set_visible (GTK_WIDGET (self->action_button), st->action != NULL);
  if (st->action != NULL)
    gtk_button_set_label (self->action_button, _(st->action));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), self->step > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), tc_tour_can_next (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), tc_tour_can_reset (self));
  gtk_button_set_label (self->next_button, self->step + 1 == G_N_ELEMENTS (steps) ? _("_Finish") : _("_Next"));
}

static void
enter (TcTour *self, guint step, gboolean forward)
{
  TcWindow *w = self->window;

  self->step = step;
  adw_view_stack_set_visible_child_name (w->view_stack, steps[step].page);
  /* The model step: a short training run, enough to see the idea. */
  if (g_str_equal (steps[step].page, "model") && forward && tc_session_get_forecaster (w->session) == NULL)
    {
      TcForecasterOptions *o = tc_session_get_forecaster_options (w->session);

      o->preset = TC_PRESET_SMALL;
      o->max_epochs = MIN (o->max_epochs, 8);
      tc_session_forecaster_options_changed (w->session);
    }
  /* The checkpoint of what the step starts from. */
  if (forward && tc_session_get_dataset (w->session) != NULL && !tc_training_page_is_busy (w->training_page))
    {
      g_autofree char *path = checkpoint_path (self, step);
      g_autoptr (GError) error = NULL;

      if (g_mkdir_with_parents (self->dir, 0700) != 0
          || !tc_window_save_checkpoint (w, path, &error))
        g_debug ("No checkpoint for step %u: %s", step + 1, error ? error->message : g_strerror (errno));
    }
  update (self);
}

void
tc_tour_start (TcTour *self)
{
  g_return_if_fail (TC_IS_TOUR (self));

  /* Checkpoints of an earlier tour are not this one's. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *path = checkpoint_path (self, i);

      g_unlink (path);
    }
  self->active = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  enter (self, 0, TRUE);
}

void
tc_tour_stop (TcTour *self)
{
  g_return_if_fail (TC_IS_TOUR (self));
  self->active = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
tc_tour_next (TcTour *self)
{
  g_return_if_fail (TC_IS_TOUR (self));

  if (!tc_tour_can_next (self))
    return;
  if (self->step + 1 == G_N_ELEMENTS (steps))
    {
      tc_tour_stop (self);
      tc_app_toast (GTK_WIDGET (self->window), _("Tour finished: the sample stays open to explore"), NULL, NULL, NULL);
      return;
    }
  enter (self, self->step + 1, TRUE);
}

void
tc_tour_back (TcTour *self)
{
  g_return_if_fail (TC_IS_TOUR (self));
  if (self->step > 0)
    enter (self, self->step - 1, FALSE);
}

static void
sample_imported_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TcTour) self = data;
  g_autoptr (GError) error = NULL;

  if (!tc_session_import_finish (TC_SESSION (source), result, &error) && self->window != NULL)
    tc_app_toast (GTK_WIDGET (self->window), error->message, NULL, NULL, NULL);
}

void
tc_tour_do_action (TcTour *self)
{
  TcWindow *w;

  g_return_if_fail (TC_IS_TOUR (self));
  w = self->window;
  switch (self->step)
    {
    case 0:
      {
        g_autofree char *installed = g_build_filename (SAMPLESDIR, "online-store.csv", NULL);
        g_autofree char *source = g_build_filename (SOURCE_SAMPLESDIR, "online-store.csv", NULL);
        g_autoptr (GFile) file = g_file_new_for_path (g_file_test (installed, G_FILE_TEST_IS_REGULAR) ? installed
                                                                                                        : source);

        tc_session_import_async (w->session, file, NULL, NULL, NULL, NULL, sample_imported_cb, g_object_ref (self));
        break;
      }
    case 3:
      tc_training_page_start (w->training_page);
      break;
    case 5:
      if (!tc_scenario_page_add_edit (w->scenarios_page, TC_SCENARIO_EDIT_PROMOTION, NULL, 1, 0, 6))
        tc_app_toast (GTK_WIDGET (w), _("This model has no promotion column"), NULL, NULL, NULL);
      tc_scenario_page_apply (w->scenarios_page);
      break;
    case 6:
      tc_evaluation_page_run (w->evaluation_page);
      break;
    default:
      break;
    }
  update (self);
}

void
tc_tour_reset_step (TcTour *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TC_IS_TOUR (self));
  if (!tc_tour_can_reset (self))
    return;
  if (tc_training_page_is_busy (self->window->training_page))
    tc_training_page_stop (self->window->training_page);
  path = checkpoint_path (self, self->step);
  tc_window_open_checkpoint (self->window, path);
  update (self);
}

gboolean
tc_tour_get_active (TcTour *self)
{
  g_return_val_if_fail (TC_IS_TOUR (self), FALSE);
  return self->active;
}

guint
tc_tour_get_step (TcTour *self)
{
  g_return_val_if_fail (TC_IS_TOUR (self), 0);
  return self->step;
}

guint
tc_tour_get_n_steps (void)
{
  return G_N_ELEMENTS (steps);
}

const char *
tc_tour_get_title (TcTour *self)
{
  g_return_val_if_fail (TC_IS_TOUR (self), NULL);
  return _(steps[self->step].title);
}

static void
session_changed_cb (TcTour *self)
{
  if (self->active)
    update (self);
}

static void
tc_tour_finalize (GObject *object)
{
  TcTour *self = TC_TOUR (object);

  g_free (self->dir);
  G_OBJECT_CLASS (tc_tour_parent_class)->finalize (object);
}

static void
tc_tour_class_init (TcTourClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_tour_finalize;
}

static GtkButton *
button (TcTour *self, GtkBox *box, const char *label, GCallback cb)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (b, "clicked", cb, self);
  gtk_box_append (box, b);
  return GTK_BUTTON (b);
}

static void
tc_tour_init (TcTour *self)
{
  GtkWidget *head, *buttons, *spacer, *close;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Guided Tour"), -1);

  head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (head, 12);
  gtk_widget_set_margin_end (head, 6);
  gtk_widget_set_margin_top (head, 6);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "caption");
  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_label_set_xalign (self->title_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title_label), TRUE);
  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_tooltip_text (close, _("End the Tour"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, _("End the Tour"), -1);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (tc_tour_stop), self);
  gtk_box_append (GTK_BOX (head), GTK_WIDGET (self->title_label));
  gtk_box_append (GTK_BOX (head), GTK_WIDGET (self->count_label));
  gtk_box_append (GTK_BOX (head), close);
  gtk_box_append (GTK_BOX (self), head);

  self->text_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->text_label, TRUE);
  gtk_label_set_xalign (self->text_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->text_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->text_label), 12);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->text_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_margin_bottom (buttons, 12);
  self->action_button = button (self, GTK_BOX (buttons), "", G_CALLBACK (tc_tour_do_action));
  gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "suggested-action");
  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (buttons), spacer);
  self->reset_button = button (self, GTK_BOX (buttons), _("_Reset Step"), G_CALLBACK (tc_tour_reset_step));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reset_button), _("Go back to how this step started"));
  self->back_button = button (self, GTK_BOX (buttons), _("_Back"), G_CALLBACK (tc_tour_back));
  self->next_button = button (self, GTK_BOX (buttons), _("_Next"), G_CALLBACK (tc_tour_next));
  gtk_box_append (GTK_BOX (self), buttons);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

TcTour *
tc_tour_new (TcWindow *window)
{
  TcTour *self = g_object_new (TC_TYPE_TOUR, NULL);

  self->window = window;
  self->dir = g_build_filename (g_get_user_cache_dir (), "trendcast", "tour", NULL);
  g_signal_connect_object (window->session, "notify::dataset", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window->session, "notify::forecaster", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
