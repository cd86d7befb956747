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

G_END_DECLS
