/* tc-application.c
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-application.h"
#include "tc-window.h"

struct _TcApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  gboolean   recovery_offered;
};

G_DEFINE_FINAL_TYPE (TcApplication, tc_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { NULL }
};

static TcWindow *
tc_application_get_any_window (TcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TC_IS_WINDOW (window))
    return TC_WINDOW (window);

  return tc_window_new (self);
}

static void
tc_application_update_style (TcApplication *self)
{
  g_autofree char *variant = g_settings_get_string (self->settings, "style-variant");
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  /* FORCE_* rather than PREFER_*: the user picked the style explicitly,
   * so it must win over the system preference. */
  if (g_strcmp0 (variant, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (variant, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (style_manager, scheme);
}

static void
on_style_variant_changed (GSettings     *settings,
                          const char    *key,
                          TcApplication *self)
{
  tc_application_update_style (self);
}

static void
tc_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TcApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Destroying the windows rather than calling g_application_quit()
   * lets each window save its size on the way out. */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }
}

static void
tc_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  static const char *developers[] = { "The Trendcast developers", NULL };
  TcApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-name", _("Trendcast"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Trendcast developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Forecast sales demand with a Transformer model "
                                      "trained on your own computer."),
                        "website", "https://github.com/trendcast/trendcast",
                        "issue-url", "https://github.com/trendcast/trendcast/issues",
                        "copyright", "© 2026 The Trendcast developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name
                         * and email address, one translator per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
tc_application_shortcuts_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  TcApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/tc-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, window);
  gtk_window_present (shortcuts);
}

static const GActionEntry app_actions[] = {
  { "quit", tc_application_quit_action },
  { "about", tc_application_about_action },
  { "shortcuts", tc_application_shortcuts_action },
};

static void
tc_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  TcApplication *self = TC_APPLICATION (application);
  g_autoptr(GAction) style_action = NULL;

  G_APPLICATION_CLASS (tc_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  /* A settings action gives the radio items of the style menu their
   * state for free and writes the choice straight to GSettings. */
  style_action = g_settings_create_action (self->settings, "style-variant");
  g_action_map_add_action (G_ACTION_MAP (self), style_action);
  g_clear_object (&style_action);
  /* One rule for the ranges of sums, for every page that adds series up. */
  style_action = g_settings_create_action (self->settings, "sum-ranges");
  g_action_map_add_action (G_ACTION_MAP (self), style_action);
  g_signal_connect_object (self->settings, "changed::style-variant",
                           G_CALLBACK (on_style_variant_changed), self, 0);
  tc_application_update_style (self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         shortcuts_accels);
}

static void
tc_application_activate (GApplication *application)
{
  TcApplication *self = TC_APPLICATION (application);
  TcWindow *window = tc_application_get_any_window (self);

  gtk_window_present (GTK_WINDOW (window));
  /* The first window of a start after a crash offers its autosave. */
  if (!self->recovery_offered)
    {
      self->recovery_offered = TRUE;
      tc_window_offer_recovery (window);
    }
}

static void
tc_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TcApplication *self = TC_APPLICATION (application);

  /* One data set per window: the first file goes to the current
   * window, every further file gets a window of its own. */
  for (int i = 0; i < n_files; i++)
    {
      TcWindow *window = i == 0 ? tc_application_get_any_window (self) : tc_window_new (self);

      tc_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static int
tc_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("trendcast %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* -1 lets GApplication go on with the default handling. */
  return -1;
}

static void
tc_application_dispose (GObject *object)
{
  TcApplication *self = TC_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tc_application_parent_class)->dispose (object);
}

static void
tc_application_class_init (TcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tc_application_dispose;

  app_class->startup = tc_application_startup;
  app_class->activate = tc_application_activate;
  app_class->open = tc_application_open;
  app_class->handle_local_options = tc_application_handle_local_options;
}

static void
tc_application_init (TcApplication *self)
{
  self->settings = g_settings_new (BASE_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Forecast sales demand with a Transformer model "
                                              "trained on your own computer."));
}

/**
 * tc_application_new:
 *
 * Creates the application.  It opens files given on the command line
 * (G_APPLICATION_HANDLES_OPEN) and shares one instance per session.
 *
 * Returns: (transfer full): a new #TcApplication
 */
TcApplication *
tc_application_new (void)
{
  return g_object_new (TC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/**
 * tc_application_get_settings:
 * @self: a #TcApplication
 *
 * Returns: (transfer none): the application's #GSettings
 */
GSettings *
tc_application_get_settings (TcApplication *self)
{
  g_return_val_if_fail (TC_IS_APPLICATION (self), NULL);

  return self->settings;
}
