/* tc-tsan.h — ThreadSanitizer annotations for hand-offs through GLib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib's GMutex and GCond are futexes driven by atomics inside the
 * uninstrumented libglib, so ThreadSanitizer does not see that a
 * GAsyncQueue push happens before the matching pop, and reports every
 * object passed through a queue as a race.  Where we hand an object to
 * another thread through GLib, TC_TSAN_RELEASE (obj) before the hand-off
 * and TC_TSAN_ACQUIRE (obj) after receiving it state that order; in
 * other builds they are nothing.
 */
#pragma once

#if defined(__SANITIZE_THREAD__)
#define TC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TC_TSAN 1
#endif
#endif

#ifdef TC_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#define TC_TSAN_ACQUIRE(p) __tsan_acquire ((void *) (p))
#define TC_TSAN_RELEASE(p) __tsan_release ((void *) (p))
#else
#define TC_TSAN_ACQUIRE(p) ((void) 0)
#define TC_TSAN_RELEASE(p) ((void) 0)
#endif

/* GMutex and GCond with their order made visible to ThreadSanitizer.
 * The acquire and release ride on the mutex's address, exactly where
 * the real lock orders the threads. */
#include <glib.h>

static inline void
tc_mutex_lock (GMutex *m)
{
  g_mutex_lock (m);
  TC_TSAN_ACQUIRE (m);
}

static inline void
tc_mutex_unlock (GMutex *m)
{
  TC_TSAN_RELEASE (m);
  g_mutex_unlock (m);
}

static inline void
tc_cond_wait (GCond *c, GMutex *m)
{
  TC_TSAN_RELEASE (m);
  g_cond_wait (c, m);
  TC_TSAN_ACQUIRE (m);
}
