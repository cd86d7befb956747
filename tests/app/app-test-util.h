/* app-test-util.h — waiting for widgets that worker threads still hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

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
