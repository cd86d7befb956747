/* tc-app-text.c — plain-language words shared by the Model and Training pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-app-text"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-app-text.h"

const char *
tc_app_freq_unit_plural (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return _("hours");
    case TC_FREQ_DAILY:     return _("days");
    case TC_FREQ_WEEKLY:    return _("weeks");
    case TC_FREQ_MONTHLY:   return _("months");
    case TC_FREQ_QUARTERLY: return _("quarters");
    case TC_FREQ_YEARLY:    return _("years");
    case TC_FREQ_UNKNOWN:
    default:                return _("steps");
    }
}

const char *
tc_app_freq_adjective (TcFrequency freq)
{
  switch (freq)
    {
    case TC_FREQ_HOURLY:    return _("hourly");
    case TC_FREQ_DAILY:     return _("daily");
    case TC_FREQ_WEEKLY:    return _("weekly");
    case TC_FREQ_MONTHLY:   return _("monthly");
    case TC_FREQ_QUARTERLY: return _("quarterly");
    case TC_FREQ_YEARLY:    return _("yearly");
    case TC_FREQ_UNKNOWN:
    default:                return _("regular");
    }
}

const char *
tc_app_preset_label (TcPreset preset)
{
  switch (preset)
    {
    case TC_PRESET_SMALL:  return _("Small");
    case TC_PRESET_MEDIUM: return _("Medium");
    case TC_PRESET_LARGE:  return _("Large");
    case TC_PRESET_CUSTOM:
    default:               return _("Custom");
    }
}

char *
tc_app_format_duration (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return g_strdup (_("unknown"));
  if (seconds < 1)
    return g_strdup (_("under a second"));
  if (seconds < 90)
    {
      guint s = (guint) lround (seconds);

      return g_strdup_printf (ngettext ("%u second", "%u seconds", s), s);
    }
  if (seconds < 90 * 60)
    {
      guint m = (guint) lround (seconds / 60);

      return g_strdup_printf (ngettext ("%u minute", "%u minutes", m), m);
    }
  return g_strdup_printf (_("%.1f hours"), seconds / 3600);
}

char *
tc_app_format_bytes (double bytes)
{
  return g_format_size ((guint64) MAX (bytes, 0));
}

