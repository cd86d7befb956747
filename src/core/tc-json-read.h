/* tc-json-read.h — reading the JSON description of a model file without
 * trusting it (internal to src/core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's typed getters (json_object_get_int_member, …_with_default,
 * json_array_get_double_element …) raise a GLib critical, not an error,
 * when a member holds another JSON kind, and quietly read 0 or NULL for
 * a value of another type.  A damaged or hand-edited model file must
 * give a GError naming the member instead, so the loaders read every
 * member through these functions.
 *
 * All of them leave *out as it was and return TRUE when @name is absent
 * (the caller knows whether it may be); a member that is present but of
 * another kind, out of range or of the wrong length sets @error
 * (TC_ERROR, TC_ERROR_INCOMPATIBLE) and returns FALSE.  @where is the
 * path of @o in the file ("schema", "safety.series_masks"): messages
 * name the member as "schema.context" or "schema.known_kinds[2]".
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TC_JSON_INT,      /* an integer number (no fraction, no exponent) */
  TC_JSON_NUMBER,   /* a finite number, integer or not */
  TC_JSON_BOOL,
  TC_JSON_STRING,
  TC_JSON_ARRAY,
  TC_JSON_OBJECT,
} TcJsonKind;

gboolean tc_json_get_int    (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             gint64        min,
                             gint64        max,
                             gint64       *out,
                             GError      **error);
/* The same for the many guint fields: [min, max] within [0, G_MAXUINT]. */
gboolean tc_json_get_uint   (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             guint         min,
                             guint         max,
                             guint        *out,
                             GError      **error);
gboolean tc_json_get_number (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             double       *out,
                             GError      **error);
gboolean tc_json_get_bool   (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             gboolean     *out,
                             GError      **error);
/* *out points into @o's node. */
gboolean tc_json_get_string (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             const char  **out,
                             GError      **error);
gboolean tc_json_get_object (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             JsonObject  **out,
                             GError      **error);
/* An array of @n_min to @n_max elements, every one of kind @elem (for
 * TC_JSON_INT also within [min, max]; ignored otherwise), so that the
 * json_array_get_*_element getters read them safely. */
gboolean tc_json_get_array  (JsonObject   *o,
                             const char   *where,
                             const char   *name,
                             TcJsonKind    elem,
                             gint64        min,
                             gint64        max,
                             guint         n_min,
                             guint         n_max,
                             JsonArray   **out,
                             GError      **error);

G_END_DECLS
