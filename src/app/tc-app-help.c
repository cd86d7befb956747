/* tc-app-help.c — "what does this mean?" next to a figure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trainees meet MASE, pinball loss and validation loss on the pages; a
 * tooltip is hard to find and impossible to reach by keyboard, so each
 * term gets a button with a popover that stays open while it is read.
 */
#define G_LOG_DOMAIN "tc-app-help"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-app-help.h"

/**
 * tc_app_help_button_new:
 * @term: what is explained ("MASE")
 * @explanation: the plain-words explanation
 *
 * Returns: (transfer floating): a flat button opening the explanation
 */
GtkWidget *
tc_app_help_button_new (const char *term,
                        const char *explanation)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (term);
  GtkWidget *text = gtk_label_new (explanation);
  g_autofree char *name = NULL;

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "help-about-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: %s is a term such as “MASE”; the accessible name of its help button. */
  name = g_strdup_printf (_("What does “%s” mean?"), term);
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 40);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), text);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  g_object_set_data_full (G_OBJECT (button), "tc-help-text", g_strdup (explanation), g_free);
  return button;
}

/**
 * tc_app_help_label_new:
 *
 * Returns: (transfer floating): @term's label and its help button
 */
GtkWidget *
tc_app_help_label_new (const char *term,
                       const char *explanation)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (term);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), tc_app_help_button_new (term, explanation));
  return box;
}
