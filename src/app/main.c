/* main.c
 *
 * Copyright 2026 The Trendcast developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "trendcast"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tc-application.h"

static gboolean
schema_in_dir (const char *dir)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, NULL);
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_ID, FALSE);

  return schema != NULL;
}

/* Running straight from the build directory (".ci/dev run") happens
 * before the schema is installed, and GSettings aborts on a missing
 * schema, so fall back to the one compiled in the build tree.  The
 * directories are probed by hand because the default schema source
 * is created only once and would not see a later GSETTINGS_SCHEMA_DIR. */
static void
ensure_schema (void)
{
  const char * const *data_dirs = g_get_system_data_dirs ();
  const char *env_dir = g_getenv ("GSETTINGS_SCHEMA_DIR");
  g_autofree char *user_dir = NULL;

  if (env_dir != NULL)
    {
      g_auto(GStrv) env_dirs = g_strsplit (env_dir, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; env_dirs[i] != NULL; i++)
        if (schema_in_dir (env_dirs[i]))
          return;
    }

  user_dir = g_build_filename (g_get_user_data_dir (), "glib-2.0", "schemas", NULL);
  if (schema_in_dir (user_dir))
    return;

  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (data_dirs[i], "glib-2.0", "schemas", NULL);

      if (schema_in_dir (dir))
        return;
    }

  if (env_dir != NULL && *env_dir != '\0')
    {
      g_autofree char *dirs = g_strjoin (G_SEARCHPATH_SEPARATOR_S, TC_SCHEMAS_BUILDDIR, env_dir, NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", dirs, TRUE);
    }
  else
    {
      g_setenv ("GSETTINGS_SCHEMA_DIR", TC_SCHEMAS_BUILDDIR, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TcApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ensure_schema ();

  app = tc_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
