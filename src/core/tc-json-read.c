/* tc-json-read.c — reading the JSON description of a model file without
 * trusting it (see tc-json-read.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tc-error.h"
#include "tc-json-read.h"

static gboolean
node_is (JsonNode *n, TcJsonKind kind)
{
  GType t;

  if (kind == TC_JSON_ARRAY)
    return JSON_NODE_HOLDS_ARRAY (n);
  if (kind == TC_JSON_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (n);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  switch (kind)
    {
    case TC_JSON_INT:
      return t == G_TYPE_INT64;
    case TC_JSON_NUMBER:
      /* json-glib reads 1e999 as infinity. */
      return t == G_TYPE_INT64 || (t == G_TYPE_DOUBLE && isfinite (json_node_get_double (n)));
    case TC_JSON_BOOL:
      return t == G_TYPE_BOOLEAN;
    case TC_JSON_STRING:
      return t == G_TYPE_STRING;
    case TC_JSON_ARRAY:
    case TC_JSON_OBJECT:
    default:
      return FALSE;
    }
}

/* What the file holds, for the message: the number itself, never a
 * string's text (it may be anything, of any length). */
static char *
describe (JsonNode *n)
{
  GType t;

  if (JSON_NODE_HOLDS_NULL (n))
    return g_strdup (_("null"));
  if (JSON_NODE_HOLDS_ARRAY (n))
    return g_strdup (_("an array"));
  if (JSON_NODE_HOLDS_OBJECT (n))
    return g_strdup (_("an object"));
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  if (t == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (n));
  if (t == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (n) ? "true" : "false");
  return g_strdup (_("a string"));
}

static char *
expected (TcJsonKind kind, gint64 min, gint64 max)
{
  switch (kind)
    {
    case TC_JSON_INT:
      if (min == G_MININT64 && max == G_MAXINT64)
        return g_strdup (_("an integer"));
      {
        g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
        g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, max);

        /* TRANSLATORS: the two numbers are the limits, e.g. "an integer from 1 to 4194304" */
        return g_strdup_printf (_("an integer from %s to %s"), lo, hi);
      }
    case TC_JSON_NUMBER:
      return g_strdup (_("a finite number"));
    case TC_JSON_BOOL:
      return g_strdup (_("true or false"));
    case TC_JSON_STRING:
      return g_strdup (_("a string"));
    case TC_JSON_ARRAY:
      return g_strdup (_("an array"));
    case TC_JSON_OBJECT:
    default:
      return g_strdup (_("an object"));
    }
}

static gboolean
node_ok (JsonNode *n, TcJsonKind kind, gint64 min, gint64 max)
{
  return node_is (n, kind) && (kind != TC_JSON_INT || (json_node_get_int (n) >= min && json_node_get_int (n) <= max));
}

/* @n at @path of kind @kind (and an integer within [min, max]), or FALSE
 * with the error naming @path. */
static gboolean
check_node (JsonNode *n, const char *path, TcJsonKind kind, gint64 min, gint64 max, GError **error)
{
  g_autofree char *is = NULL, *exp = NULL;

  if (node_ok (n, kind, min, max))
    return TRUE;
  is = describe (n);
  exp = expected (kind, min, max);
  /* TRANSLATORS: the member of the model file's description, what it holds, what it should hold:
   * Model file: “schema.context” is -4, expected an integer from 1 to 1048576 */
  g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE, _("Model file: “%s” is %s, expected %s"), path, is, exp);
  return FALSE;
}

static char *
member_path (const char *where, const char *name)
{
  return where && *where ? g_strconcat (where, ".", name, NULL) : g_strdup (name);
}

/* The member @name when present and of kind @kind; *n = NULL when absent. */
static gboolean
member (JsonObject *o, const char *where, const char *name, TcJsonKind kind, gint64 min, gint64 max,
        JsonNode **n, GError **error)
{
  g_autofree char *path = NULL;

  *n = json_object_get_member (o, name);
  if (*n == NULL)
    return TRUE;
  path = member_path (where, name);
  return check_node (*n, path, kind, min, max, error);
}

gboolean
tc_json_get_int (JsonObject *o, const char *where, const char *name, gint64 min, gint64 max,
                 gint64 *out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_INT, min, max, &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_int (n);
  return TRUE;
}

gboolean
tc_json_get_uint (JsonObject *o, const char *where, const char *name, guint min, guint max,
                  guint *out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_INT, min, max, &n, error))
    return FALSE;
  if (n)
    *out = (guint) json_node_get_int (n);
  return TRUE;
}

gboolean
tc_json_get_number (JsonObject *o, const char *where, const char *name, double *out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_NUMBER, 0, 0, &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_double (n);
  return TRUE;
}

gboolean
tc_json_get_bool (JsonObject *o, const char *where, const char *name, gboolean *out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_BOOL, 0, 0, &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_boolean (n);
  return TRUE;
}

gboolean
tc_json_get_string (JsonObject *o, const char *where, const char *name, const char **out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_STRING, 0, 0, &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_string (n);
  return TRUE;
}

gboolean
tc_json_get_object (JsonObject *o, const char *where, const char *name, JsonObject **out, GError **error)
{
  JsonNode *n;

  if (!member (o, where, name, TC_JSON_OBJECT, 0, 0, &n, error))
    return FALSE;
  if (n)
    *out = json_node_get_object (n);
  return TRUE;
}

gboolean
tc_json_get_array (JsonObject *o, const char *where, const char *name, TcJsonKind elem,
                   gint64 min, gint64 max, guint n_min, guint n_max, JsonArray **out, GError **error)
{
  g_autofree char *path = NULL;
  JsonArray *a;
  JsonNode *n;
  guint len;

  if (!member (o, where, name, TC_JSON_ARRAY, 0, 0, &n, error))
    return FALSE;
  if (n == NULL)
    return TRUE;
  path = member_path (where, name);
  a = json_node_get_array (n);
  len = json_array_get_length (a);
  if (len < n_min || len > n_max)
    {
      if (n_min == n_max)
        g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                     /* TRANSLATORS: Model file: the length of “safety.calibration” is 5, expected 6 */
                     _("Model file: the length of “%s” is %u, expected %u"), path, len, n_min);
      else
        g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                     _("Model file: the length of “%s” is %u, expected %u to %u"), path, len, n_min, n_max);
      return FALSE;
    }
  for (guint i = 0; i < len; i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (!node_ok (e, elem, min, max))
        {
          g_autofree char *epath = g_strdup_printf ("%s[%u]", path, i);

          return check_node (e, epath, elem, min, max, error);
        }
    }
  *out = a;
  return TRUE;
}
