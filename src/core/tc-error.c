/* tc-error.c — the TC_ERROR domain, with the place of an error in a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-error"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tc-error.h"

typedef struct
{
  gboolean        has_location;
  TcErrorLocation location;
} TcErrorPrivate;

static void
location_copy_into (const TcErrorLocation *src,
                    TcErrorLocation       *dst)
{
  dst->file = g_strdup (src->file);
  dst->line = src->line;
  dst->column = src->column;
  dst->column_name = g_strdup (src->column_name);
  dst->detail = g_strdup (src->detail);
}

static void
location_clear (TcErrorLocation *location)
{
  g_clear_pointer (&location->file, g_free);
  g_clear_pointer (&location->column_name, g_free);
  g_clear_pointer (&location->detail, g_free);
}

static void
tc_error_private_init (TcErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}

static void
tc_error_private_copy (const TcErrorPrivate *src,
                       TcErrorPrivate       *dest)
{
  dest->has_location = src->has_location;
  if (src->has_location)
    location_copy_into (&src->location, &dest->location);
}

static void
tc_error_private_clear (TcErrorPrivate *priv)
{
  location_clear (&priv->location);
  priv->has_location = FALSE;
}

G_DEFINE_EXTENDED_ERROR (TcError, tc_error)

const TcErrorLocation *
tc_error_get_location (const GError *error)
{
  TcErrorPrivate *priv;

  if (error == NULL || error->domain != TC_ERROR)
    return NULL;
  priv = tc_error_get_private (error);
  return priv != NULL && priv->has_location ? &priv->location : NULL;
}

void
tc_set_error_at (GError     **error,
                 int          code,
                 const char  *file,
                 guint64      line,
                 guint        column,
                 const char  *column_name,
                 const char  *format,
                 ...)
{
  g_autofree char *detail = NULL;
  GString *msg;
  TcErrorPrivate *priv;
  GError *e;
  va_list ap;

  if (error == NULL)
    return;
  va_start (ap, format);
  detail = g_strdup_vprintf (format, ap);
  va_end (ap);

  msg = g_string_new (NULL);
  if (file != NULL)
    {
      g_string_append (msg, file);
      if (line > 0)
        g_string_append_printf (msg, ":%" G_GUINT64_FORMAT, line);
      g_string_append (msg, ": ");
    }
  if (column > 0)
    {
      /* TRANSLATORS: the column part of "file:line: column N “name”: detail",
       * the place of a problem in a data file, as the command line prints it. */
      g_string_append_printf (msg, _("column %u"), column);
      if (column_name != NULL)
        g_string_append_printf (msg, " “%s”", column_name);
      g_string_append (msg, ": ");
    }
  g_string_append (msg, detail);

  e = g_error_new_literal (TC_ERROR, code, msg->str);
  g_string_free (msg, TRUE);
  priv = tc_error_get_private (e);
  priv->has_location = TRUE;
  priv->location.file = g_strdup (file);
  priv->location.line = line;
  priv->location.column = column;
  priv->location.column_name = g_strdup (column_name);
  priv->location.detail = g_steal_pointer (&detail);
  g_propagate_error (error, e);
}

TcErrorLocation *
tc_error_location_copy (const TcErrorLocation *location)
{
  TcErrorLocation *copy;

  if (location == NULL)
    return NULL;
  copy = g_new0 (TcErrorLocation, 1);
  location_copy_into (location, copy);
  return copy;
}

void
tc_error_location_free (TcErrorLocation *location)
{
  if (location == NULL)
    return;
  location_clear (location);
  g_free (location);
}
