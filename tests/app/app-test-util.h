/* app-test-util.h — the application, private directories, and waiting
 * for widgets that worker threads still hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <stdlib.h>

#include "tc-application.h"

/* A registered application.  NON_UNIQUE: a test must never hand its
 * work to a running Trendcast. */
static inline TcApplication *
tc_test_app_new (void)
{
  g_autoptr (GError) error = NULL;
  TcApplication *app = tc_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);
  return app;
}

/* A new temporary directory (@tmpl as for g_dir_make_tmp) whose "state"
 * and "cache" become XDG_STATE_HOME and XDG_CACHE_HOME: autosaves and
 * extracted data go there, never to the user's.  Call it before anything
 * reads them. */
static inline char *
tc_test_private_dirs (const char *tmpl)
{
  char *dir = g_dir_make_tmp (tmpl, NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);

  g_assert_nonnull (dir);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  return dir;
}

/* Removes @dir with everything in it, and frees the string. */
static inline void
tc_test_remove_dir (char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
  g_free (dir);
}

/* A page's GTask holds the page (its source object) until the worker
 * thread has unwound, which can be after the task's callback already ran
 * in the main loop: the last reference may go a moment after the page
 * reports itself idle, and much later on a loaded machine.  So a
 * teardown waits for the finalization, iterating the main loop, instead
 * of asserting it at once.  The deadline only turns a real leak into a
 * failure rather than a hang. */
static inline void
tc_test_wait_weak_ref (GWeakRef *ref)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  for (;;)
    {
      GObject *o = g_weak_ref_get (ref);

      if (o == NULL)
        break;
      /* Possibly the last reference: then finalized here, in the main
       * thread, which is where widgets belong. */
      g_object_unref (o);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_weak_ref_clear (ref);
}

/* Like g_assert_finalize_object(), for objects a worker may still hold. */
static inline void
tc_test_finalize_soon (gpointer object)
{
  GWeakRef ref;

  g_weak_ref_init (&ref, object);
  g_object_unref (object);
  tc_test_wait_weak_ref (&ref);
}
