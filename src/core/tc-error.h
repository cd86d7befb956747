/* tc-error.h — the error domain of the Trendcast core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_ERROR (tc_error_quark ())

typedef enum
{
  TC_ERROR_FAILED,        /* anything not listed below */
  TC_ERROR_IO,            /* reading or writing a file failed */
  TC_ERROR_PARSE,         /* malformed input: bad quote, ragged row, bad number or date */
  TC_ERROR_ENCODING,      /* the text could not be converted to UTF-8 */
  TC_ERROR_SCHEMA,        /* a column is missing, has the wrong type or role */
  TC_ERROR_DUPLICATE,     /* the same (series, date) occurs twice */
  TC_ERROR_EMPTY,         /* no data rows */
  TC_ERROR_INVALID_ARG,   /* a configuration value out of range */
  TC_ERROR_CORRUPT,       /* a model file fails its checksum or is truncated */
  TC_ERROR_INCOMPATIBLE,  /* a model file of another version or schema */
  TC_ERROR_NUMERIC,       /* NaN or Inf during training */
  TC_ERROR_CANCELLED,     /* the user stopped the operation */
} TcError;

GQuark tc_error_quark (void);

/* Where in a file a TC_ERROR error happened, kept with the error (an
 * extended error domain) so that a user interface can show the place
 * and the problem apart without reading them back out of the English
 * message. */
typedef struct
{
  char    *file;         /* the file's base name, or NULL */
  guint64  line;         /* 1-based; 0 when the problem is not on one line */
  guint    column;       /* 1-based; 0 when it is not in one column */
  char    *column_name;  /* the column's header, or NULL */
  char    *detail;       /* what is wrong, without the place: "found “x”, expected a number" */
} TcErrorLocation;

/* The place of @error, or NULL (another domain, or none was given). */
const TcErrorLocation *tc_error_get_location (const GError *error);

/* Sets a TC_ERROR error of @code with its place.  The message says the
 * place first, as the command line prints it:
 * "FILE:LINE: column N “NAME”: DETAIL", each part only when known
 * (@file NULL, @line 0, @column 0, @column_name NULL). */
void   tc_set_error_at        (GError     **error,
                               int          code,
                               const char  *file,
                               guint64      line,
                               guint        column,
                               const char  *column_name,
                               const char  *format,
                               ...) G_GNUC_PRINTF (7, 8);
/* The location as a new struct, for keeping it beside a message
 * (tc_error_location_free). */
TcErrorLocation *tc_error_location_copy (const TcErrorLocation *location);
void   tc_error_location_free (TcErrorLocation *location);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcErrorLocation, tc_error_location_free)

G_END_DECLS
