/* tc-xlsx.c — an Excel workbook's first worksheet as CSV text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An .xlsx file (ECMA-376) is a zip archive of XML parts:
 *   xl/workbook.xml              the sheets in order, and the date system
 *   xl/_rels/workbook.xml.rels   which part holds which sheet
 *   xl/sharedStrings.xml         the text of the cells, by index
 *   xl/styles.xml                cell formats: which numbers are dates
 *   xl/worksheets/sheetN.xml     rows of cells
 * Hidden sheets are passed over.  The archive is read from memory (central directory, then each part
 * inflated in chunks into a GMarkup parser); the sheet is written as CSV
 * row by row, so no part but the shared strings is held whole.
 */

#define G_LOG_DOMAIN "tc-xlsx"

#include "config.h"

#include "tc-xlsx.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "tc-error.h"

/* Excel's own limits: 16,384 columns (XFD), 1,048,576 rows. */
#define MAX_COLUMNS 16384u
#define MAX_ROWS    1048576u
/* Limits that keep a crafted archive from filling memory, the disk or
 * hours of CPU, far above what Excel writes: a sheet's XML (Excel's
 * largest sheet is about 1 GB of it), every other part (held in memory),
 * all parts together, the compression ratio (Excel's XML compresses
 * about 5 to 30 times; deflate's own limit is about 1,000), the text of
 * one cell (Excel holds 32,767 characters), the shared strings, and the
 * sheets tried before one with cells. */
#define MAX_SHEET_PART  ((guint64) 1 << 30)
#define MAX_OTHER_PART  ((guint64) 256 << 20)
#define MAX_TOTAL       ((guint64) 3 << 30)
#define MAX_RATIO       200u
#define MAX_CELL_BYTES  (1u << 20)
#define MAX_STRINGS     (1u << 22)
#define MAX_SHEETS      256u
/* The CSV may grow beyond the sheet's XML only by the padding of short
 * rows: at most this many times the XML read so far, plus a margin. */
#define CSV_GROWTH      4u
#define CSV_MARGIN      ((guint64) 16 << 20)
#define FLUSH_SIZE (1u << 20)

/* ------------------------------------------------------------------ */
/* Zip archive                                                         */

typedef struct
{
  char    *name;
  guint16  flags;
  guint16  method;
  guint32  csize;
  guint32  usize;
  guint32  local_offset;
} ZipEntry;

typedef struct
{
  const guint8 *data;
  gsize         size;
  const char   *basename;
  ZipEntry     *entries;   /* (n_entries) */
  guint         n_entries;
  gboolean      date1904;
  GPtrArray    *strings;   /* shared strings, char * */
  GArray       *xf_kind;   /* guint8 per cell format: FMT_* flags */
  GHashTable   *fmt_kind;  /* custom numFmtId -> FMT_* flags + 1 */
  guint64       inflated;  /* bytes of XML fed to parsers, all parts */
  guint64       part_fed;  /* bytes of XML fed of the current part */
} Book;

enum
{
  FMT_DATE    = 1,
  FMT_TIME    = 2,
  FMT_ELAPSED = 4,  /* [h]:mm: hours past 24 */
};

static guint16
rd16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static guint32
rd32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static gboolean
damaged (Book *b, GError **error, const char *what)
{
  tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                   _("found a damaged Excel workbook (%s), expected a file Excel can open"), what);
  return FALSE;
}

/* The central directory, found through its end record (the last 22
 * bytes, or more with an archive comment). */
static gboolean
zip_read_directory (Book *b, GError **error)
{
  const guint8 *d = b->data;
  gsize n = b->size, eocd = G_MAXSIZE, lo, pos;
  guint32 cd_size, cd_off;
  guint16 total;

  if (n < 22)
    return damaged (b, error, "no zip directory");
  lo = n - 22 > 65535 ? n - 22 - 65535 : 0;
  for (gsize i = n - 22 + 1; i-- > lo;)
    if (rd32 (d + i) == 0x06054b50u)
      {
        eocd = i;
        break;
      }
  if (eocd == G_MAXSIZE)
    return damaged (b, error, "no zip directory");
  total = rd16 (d + eocd + 10);
  cd_size = rd32 (d + eocd + 12);
  cd_off = rd32 (d + eocd + 16);
  if (total == 0xffff || cd_off == 0xffffffffu)
    {
      tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                       _("found a workbook over 4 GB (zip64), expected a smaller one: save the sheet as CSV instead"));
      return FALSE;
    }
  if ((guint64) cd_off + cd_size > eocd)
    return damaged (b, error, "zip directory out of bounds");

  b->entries = g_new0 (ZipEntry, MAX (total, 1));
  pos = cd_off;
  for (guint k = 0; k < total; k++)
    {
      ZipEntry *e = &b->entries[k];
      guint16 name_len, extra_len, comment_len;

      if (pos + 46 > eocd || rd32 (d + pos) != 0x02014b50u)
        return damaged (b, error, "bad zip directory entry");
      e->flags = rd16 (d + pos + 8);
      e->method = rd16 (d + pos + 10);
      e->csize = rd32 (d + pos + 20);
      e->usize = rd32 (d + pos + 24);
      name_len = rd16 (d + pos + 28);
      extra_len = rd16 (d + pos + 30);
      comment_len = rd16 (d + pos + 32);
      e->local_offset = rd32 (d + pos + 42);
      if (pos + 46 + name_len + extra_len + comment_len > eocd)
        return damaged (b, error, "bad zip directory entry");
      e->name = g_strndup ((const char *) d + pos + 46, name_len);
      b->n_entries = k + 1;
      pos += 46 + (gsize) name_len + extra_len + comment_len;
    }
  return TRUE;
}

static const ZipEntry *
zip_find (const Book *b, const char *name)
{
  for (guint k = 0; k < b->n_entries; k++)
    if (g_ascii_strcasecmp (b->entries[k].name, name) == 0)
      return &b->entries[k];
  return NULL;
}

static gboolean
too_large (Book *b, GError **error)
{
  tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                   _("found a workbook that unpacks to far more than its size or than Excel can hold, expected a workbook as Excel saves it"));
  return FALSE;
}

/* Feeds @len bytes of a part to @ctx, a byte order mark at its start
 * left out (GMarkup refuses one; some writers put one there). */
static gboolean
feed (Book *b, GMarkupParseContext *ctx, const char *text, gsize len, GError **error)
{
  if (b->part_fed == 0 && len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
      b->part_fed = 3;
    }
  b->part_fed += len;
  b->inflated += len;
  return len == 0 || g_markup_parse_context_parse (ctx, text, len, error);
}

/* Inflates @e into @ctx chunk by chunk, at most @max bytes. */
static gboolean
zip_parse_entry (Book *b, const ZipEntry *e, GMarkupParseContext *ctx, guint64 max, GError **error)
{
  const guint8 *d = b->data;
  gsize start;
  guint16 name_len, extra_len;
  g_autoptr (GError) local = NULL;

  if (e->flags & 1)
    {
      tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                       _("found a password-protected workbook, expected one without a password: remove the password in Excel, or save the sheet as CSV"));
      return FALSE;
    }
  if ((gsize) e->local_offset + 30 > b->size || rd32 (d + e->local_offset) != 0x04034b50u)
    return damaged (b, error, "bad zip entry");
  name_len = rd16 (d + e->local_offset + 26);
  extra_len = rd16 (d + e->local_offset + 28);
  start = (gsize) e->local_offset + 30 + name_len + extra_len;
  if (start > b->size || e->csize > b->size - start)
    return damaged (b, error, "zip entry out of bounds");

  b->part_fed = 0;
  if (e->method == 0)
    {
      if (e->csize > max || b->inflated + e->csize > MAX_TOTAL)
        return too_large (b, error);
      if (!feed (b, ctx, (const char *) d + start, e->csize, &local))
        goto bad_xml;
    }
  else if (e->method == 8)
    {
      g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
      const guint8 *in = d + start;
      gsize left = e->csize;
      guint64 total = 0;
      g_autofree char *out = g_malloc (64 * 1024);

      for (;;)
        {
          gsize nr = 0, nw = 0;
          GConverterResult res;

          res = g_converter_convert (G_CONVERTER (z), in, left, out, 64 * 1024,
                                     G_CONVERTER_INPUT_AT_END, &nr, &nw, &local);
          if (res == G_CONVERTER_ERROR)
            return damaged (b, error, "bad compressed data");
          in += nr;
          left -= nr;
          total += nw;
          if (total > max || b->inflated + nw > MAX_TOTAL
              || total > ((guint64) 1 << 20) + (guint64) MAX_RATIO * e->csize)
            return too_large (b, error);
          if (!feed (b, ctx, out, nw, &local))
            goto bad_xml;
          if (res == G_CONVERTER_FINISHED)
            break;
          if (nr == 0 && nw == 0)
            return damaged (b, error, "truncated compressed data");
        }
    }
  else
    {
      tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                       _("found a workbook part compressed with method %u, expected a workbook as Excel saves it"),
                       e->method);
      return FALSE;
    }
  if (!g_markup_parse_context_end_parse (ctx, &local))
    goto bad_xml;
  return TRUE;

bad_xml:
  /* A sheet row's own error (written by the parser's callbacks) says
   * where it is; only XML errors get the part's name. */
  if (local->domain == TC_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  tc_set_error_at (error, TC_ERROR_PARSE, b->basename, 0, 0, NULL,
                   _("found a damaged Excel workbook (its part “%s”: %s), expected a file Excel can open"),
                   e->name, local->message);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* XML helpers                                                         */

/* Element and attribute names without their namespace prefix: writers
 * differ in the prefixes they use ("x:row", "row"). */
static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon ? colon + 1 : name;
}

static const char *
attr (const char **names, const char **values, const char *want, gboolean prefixed)
{
  for (guint i = 0; names[i]; i++)
    if (strcmp (local_name (names[i]), want) == 0 && (strchr (names[i], ':') != NULL) == prefixed)
      return values[i];
  return NULL;
}

static gboolean
parse_part (Book *b, const char *name, const GMarkupParser *parser, gpointer data,
            gboolean required, guint64 max, GError **error)
{
  const ZipEntry *e = zip_find (b, name);
  g_autoptr (GMarkupParseContext) ctx = NULL;

  if (e == NULL)
    {
      if (!required)
        return TRUE;
      return damaged (b, error, name);
    }
  ctx = g_markup_parse_context_new (parser, G_MARKUP_TREAT_CDATA_AS_TEXT, data, NULL);
  return zip_parse_entry (b, e, ctx, max, error);
}

/* Excel's escape of characters XML cannot hold, "_x000D_" (a carriage
 * return); "_x005F_" is the escape of "_" itself. */
static void
decode_escapes (GString *t)
{
  gsize r = 0, w = 0;

  if (strstr (t->str, "_x") == NULL)
    return;
  while (r < t->len)
    {
      if (r + 7 <= t->len && t->str[r] == '_' && t->str[r + 1] == 'x'
          && g_ascii_isxdigit (t->str[r + 2]) && g_ascii_isxdigit (t->str[r + 3])
          && g_ascii_isxdigit (t->str[r + 4]) && g_ascii_isxdigit (t->str[r + 5]) && t->str[r + 6] == '_')
        {
          gunichar c = (gunichar) (g_ascii_xdigit_value (t->str[r + 2]) << 12 | g_ascii_xdigit_value (t->str[r + 3]) << 8
                                   | g_ascii_xdigit_value (t->str[r + 4]) << 4 | g_ascii_xdigit_value (t->str[r + 5]));

          /* Six bytes of escape give at most three of UTF-8. */
          if (c != 0 && g_unichar_validate (c))
            {
              w += (gsize) g_unichar_to_utf8 (c, t->str + w);
              r += 7;
              continue;
            }
        }
      t->str[w++] = t->str[r++];
    }
  g_string_truncate (t, w);
}

/* ------------------------------------------------------------------ */
/* Workbook, relationships, shared strings, styles                     */

typedef struct
{
  GPtrArray *rel_ids;   /* the sheets' relationship ids, in order */
  GPtrArray *names;     /* their names */
  gboolean   date1904;
} WorkbookParse;

static void
workbook_start (GMarkupParseContext *ctx, const char *element, const char **names,
                const char **values, gpointer data, GError **error)
{
  WorkbookParse *w = data;
  const char *el = local_name (element);

  if (strcmp (el, "sheet") == 0)
    {
      const char *id = attr (names, values, "id", TRUE);
      const char *name = attr (names, values, "name", FALSE);
      const char *state = attr (names, values, "state", FALSE);

      /* A hidden sheet is not the table the user sees. */
      if (id != NULL && state != NULL && strcmp (state, "visible") != 0)
        return;
      if (id != NULL)
        {
          g_ptr_array_add (w->rel_ids, g_strdup (id));
          g_ptr_array_add (w->names, g_strdup (name ? name : ""));
        }
    }
  else if (strcmp (el, "workbookPr") == 0)
    {
      const char *v = attr (names, values, "date1904", FALSE);

      w->date1904 = v != NULL && (strcmp (v, "1") == 0 || g_ascii_strcasecmp (v, "true") == 0);
    }
}

typedef struct
{
  GHashTable *targets;  /* relationship id -> part name */
} RelsParse;

/* The archive path of a relationship's @target: relative to xl/, or
 * absolute; "." and ".." segments resolved. */
static char *
part_path (const char *target)
{
  g_autofree char *joined = target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL);
  g_auto (GStrv) segs = g_strsplit (joined, "/", -1);
  g_autoptr (GPtrArray) keep = g_ptr_array_new ();

  for (guint i = 0; segs[i]; i++)
    {
      if (segs[i][0] == '\0' || strcmp (segs[i], ".") == 0)
        continue;
      if (strcmp (segs[i], "..") == 0)
        {
          if (keep->len > 0)
            g_ptr_array_remove_index (keep, keep->len - 1);
          continue;
        }
      g_ptr_array_add (keep, segs[i]);
    }
  g_ptr_array_add (keep, NULL);
  return g_strjoinv ("/", (char **) keep->pdata);
}

static void
rels_start (GMarkupParseContext *ctx, const char *element, const char **names,
            const char **values, gpointer data, GError **error)
{
  RelsParse *r = data;
  const char *id, *target;

  if (strcmp (local_name (element), "Relationship") != 0)
    return;
  id = attr (names, values, "Id", FALSE);
  target = attr (names, values, "Target", FALSE);
  if (id == NULL || target == NULL)
    return;
  /* Targets are relative to xl/, or absolute in the archive. */
  g_hash_table_replace (r->targets, g_strdup (id), part_path (target));
}

typedef struct
{
  GPtrArray *strings;
  GString   *cur;       /* the item being read, or NULL */
  gboolean   in_t;
  guint      in_phonetic;  /* depth inside <rPh>: a reading aid, not the text */
} StringsParse;

static void
strings_start (GMarkupParseContext *ctx, const char *element, const char **names,
               const char **values, gpointer data, GError **error)
{
  StringsParse *s = data;
  const char *el = local_name (element);

  if (strcmp (el, "si") == 0)
    {
      if (s->cur == NULL)
        s->cur = g_string_new (NULL);
      g_string_truncate (s->cur, 0);
    }
  else if (strcmp (el, "rPh") == 0)
    s->in_phonetic++;
  else if (strcmp (el, "t") == 0)
    s->in_t = TRUE;
}

static void
strings_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  StringsParse *s = data;
  const char *el = local_name (element);

  if (strcmp (el, "si") == 0 && s->cur != NULL)
    {
      if (s->strings->len >= MAX_STRINGS)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "more than %u shared strings",
                       MAX_STRINGS);
          return;
        }
      decode_escapes (s->cur);
      g_ptr_array_add (s->strings, g_strndup (s->cur->str, s->cur->len));
    }
  else if (strcmp (el, "rPh") == 0 && s->in_phonetic > 0)
    s->in_phonetic--;
  else if (strcmp (el, "t") == 0)
    s->in_t = FALSE;
}

static void
strings_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  StringsParse *s = data;

  if (s->in_t && s->in_phonetic == 0 && s->cur != NULL)
    {
      if (s->cur->len + len > MAX_CELL_BYTES)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "a text longer than %u bytes",
                       MAX_CELL_BYTES);
          return;
        }
      g_string_append_len (s->cur, text, len);
    }
}

/* What a number format shows: a date, a time, both or neither.  Quoted
 * text, escaped characters, [colour] and [$-locale] sections and the
 * padding of "_x" and "*x" are not format letters. */
static guint8
format_kind (const char *code)
{
  gboolean y = FALSE, d = FALSE, m = FALSE, h = FALSE, s = FALSE, elapsed = FALSE;

  for (const char *p = code; *p; p++)
    {
      char c = g_ascii_tolower (*p);

      if (*p == '"')
        {
          p = strchr (p + 1, '"');
          if (p == NULL)
            break;
        }
      else if ((*p == '\\' || *p == '_' || *p == '*') && p[1])
        p++;
      else if (*p == '[')
        {
          const char *close = strchr (p, ']');

          /* Elapsed time, [h]:mm or [ss], is a time; [White] and
           * [$-804] are not. */
          if (close != NULL && close > p + 1
              && strspn (p + 1, "hHmMsS") == (gsize) (close - p - 1))
            h = elapsed = TRUE;
          if (close == NULL)
            break;
          p = close;
        }
      else if (c == 'y')
        y = TRUE;
      else if (c == 'd')
        d = TRUE;
      else if (c == 'm')
        m = TRUE;
      else if (c == 'h')
        h = TRUE;
      else if (c == 's')
        s = TRUE;
      else if (c == ';')
        break;  /* the first section decides */
    }
  return ((y || d || (m && !h && !s)) ? FMT_DATE : 0) | ((h || s) ? FMT_TIME : 0)
         | (elapsed ? FMT_ELAPSED : 0);
}

/* Excel's built-in formats (ECMA-376 18.8.30, and the East Asian ones
 * that Chinese and Japanese Excel use). */
static guint8
builtin_kind (guint id)
{
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54)
      || id == 57 || id == 58)
    return FMT_DATE;
  if (id == 22)
    return FMT_DATE | FMT_TIME;
  if (id == 46)
    return FMT_TIME | FMT_ELAPSED;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id == 45 || id == 47 || id == 55 || id == 56)
    return FMT_TIME;
  return 0;
}

typedef struct
{
  Book    *book;
  gboolean in_cell_xfs;
} StylesParse;

static void
styles_start (GMarkupParseContext *ctx, const char *element, const char **names,
              const char **values, gpointer data, GError **error)
{
  StylesParse *s = data;
  const char *el = local_name (element);

  if (strcmp (el, "numFmt") == 0)
    {
      const char *id = attr (names, values, "numFmtId", FALSE);
      const char *code = attr (names, values, "formatCode", FALSE);

      if (id != NULL && code != NULL)
        g_hash_table_replace (s->book->fmt_kind, GUINT_TO_POINTER ((guint) g_ascii_strtoull (id, NULL, 10)),
                              GUINT_TO_POINTER ((guint) format_kind (code) + 1));
    }
  else if (strcmp (el, "cellXfs") == 0)
    s->in_cell_xfs = TRUE;
  else if (strcmp (el, "xf") == 0 && s->in_cell_xfs)
    {
      const char *id = attr (names, values, "numFmtId", FALSE);
      guint fmt = id ? (guint) MIN (g_ascii_strtoull (id, NULL, 10), G_MAXUINT) : 0;
      gpointer custom = g_hash_table_lookup (s->book->fmt_kind, GUINT_TO_POINTER (fmt));
      guint8 kind = custom ? (guint8) (GPOINTER_TO_UINT (custom) - 1) : builtin_kind (fmt);

      g_array_append_val (s->book->xf_kind, kind);
    }
}

static void
styles_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  StylesParse *s = data;

  if (strcmp (local_name (element), "cellXfs") == 0)
    s->in_cell_xfs = FALSE;
}

/* ------------------------------------------------------------------ */
/* The worksheet                                                       */

typedef struct
{
  Book      *book;
  int        fd;
  GString   *out;        /* CSV not yet written */
  GPtrArray *cells;      /* (row width) char * of the current row, NULL = empty */
  guint      row;        /* 1-based number of the current row */
  guint      rows_done;  /* lines written so far */
  guint      first_col;  /* the table's first column (0-based) */
  guint      width;      /* columns of the table, 0 before the header */
  gboolean   any;        /* a cell with a value was seen */
  guint64    out_total;  /* CSV bytes made so far */
  /* The sheet's used range (<dimension ref="B3:F120"/>), when it gives
   * one wider than a cell: Excel's own CSV export writes it, every row
   * as wide as the range, from its first column. */
  gboolean   have_range;
  guint      range_first, range_last;
  /* The current cell. */
  gboolean   in_cell;
  guint      col;
  guint      next_col;
  char       type[12];
  guint      style;
  GString   *value;
  gboolean   in_value;   /* inside <v>, or <t> of an inline string */
  guint      in_phonetic;
} SheetParse;

static gboolean
write_all (int fd, const char *buf, gsize len, const char *basename, GError **error)
{
  while (len > 0)
    {
      gssize w = write (fd, buf, len);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        {
          int saved = errno;

          tc_set_error_at (error, TC_ERROR_IO, basename, 0, 0, NULL,
                           _("cannot convert the workbook to CSV: %s"), g_strerror (saved));
          return FALSE;
        }
      buf += w;
      len -= (gsize) w;
    }
  return TRUE;
}

/* One field.  A line break inside a cell (Alt+Enter) becomes a space:
 * every sheet row stays one line, so line numbers stay row numbers, and
 * a review typed on two lines stays one review (the importer joins the
 * reviews of a period with line breaks). */
static void
csv_field (GString *out, const char *v)
{
  gsize n = strlen (v);
  gboolean quote = n > 0 && (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t'
                             || strpbrk (v, ",\"") != NULL);

  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = v; *p; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p == '\r' || *p == '\n' ? ' ' : *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

/* Column letters of a cell reference ("AB12") as a 0-based index. */
static gboolean
ref_column (const char *ref, guint *col)
{
  guint c = 0, n = 0;

  for (; g_ascii_isalpha (*ref); ref++, n++)
    {
      c = c * 26 + (guint) (g_ascii_toupper (*ref) - 'A' + 1);
      if (c > MAX_COLUMNS)
        return FALSE;
    }
  if (n == 0)
    return FALSE;
  *col = c - 1;
  return TRUE;
}

/* Excel's day numbers: day 1 is 1900-01-01, and day 60 the 1900-02-29
 * that Lotus 1-2-3 believed in, so later days count from 1899-12-30;
 * the 1904 system (old Mac workbooks) counts from 1904-01-01. */
static gboolean
serial_to_iso (double v, gboolean date1904, guint8 kind, GString *out)
{
  double days_f;
  gint64 secs, days;
  GDate date;

  /* Day 2,958,465 is 9999-12-31, Excel's last. */
  if (!isfinite (v) || v < 0 || v >= 2958466.0)
    return FALSE;
  days_f = floor (v);
  secs = (gint64) llround ((v - days_f) * 86400.0);
  days = (gint64) days_f;
  if (kind & FMT_ELAPSED)
    {
      /* [h]:mm shows 1.5 days as 36:00:00. */
      gint64 all = (gint64) llround (v * 86400.0);

      g_string_append_printf (out, "%" G_GINT64_FORMAT ":%02u:%02u", all / 3600, (guint) (all / 60 % 60),
                              (guint) (all % 60));
      return TRUE;
    }
  if (secs >= 86400)
    {
      days++;
      secs -= 86400;
    }
  if (kind & FMT_DATE)
    {
      if (date1904)
        g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1904);
      else if (days >= 61)
        g_date_set_dmy (&date, 30, G_DATE_DECEMBER, 1899);
      else
        g_date_set_dmy (&date, 31, G_DATE_DECEMBER, 1899);
      g_date_add_days (&date, (guint) days);
      if (!g_date_valid (&date))
        return FALSE;
      g_string_append_printf (out, "%04u-%02u-%02u", g_date_get_year (&date),
                              (guint) g_date_get_month (&date), g_date_get_day (&date));
    }
  if (kind & FMT_TIME)
    g_string_append_printf (out, "%s%02u:%02u:%02u", kind & FMT_DATE ? " " : "",
                            (guint) (secs / 3600), (guint) (secs / 60 % 60), (guint) (secs % 60));
  return TRUE;
}

static gboolean
flush_out (SheetParse *s, gboolean all, GError **error)
{
  if (!all && s->out->len < FLUSH_SIZE)
    return TRUE;
  if (!write_all (s->fd, s->out->str, s->out->len, s->book->basename, error))
    return FALSE;
  g_string_truncate (s->out, 0);
  return TRUE;
}

/* Writes the current row: empty lines first for the rows the sheet left
 * out, so that line numbers stay row numbers. */
static gboolean
end_row (SheetParse *s, GError **error)
{
  guint last = 0, n_values = 0;
  gsize before = s->out->len;

  for (guint c = s->width ? s->first_col : 0; c < s->cells->len; c++)
    if (g_ptr_array_index (s->cells, c) != NULL)
      {
        last = c + 1;
        n_values++;
      }
  if (s->width == 0 && n_values > 0)
    {
      /* The header: the used range, or else its own first cell, starts
       * the table. */
      guint first = 0;

      while (g_ptr_array_index (s->cells, first) == NULL)
        first++;
      if (s->have_range)
        {
          s->first_col = MIN (first, s->range_first);
          s->width = MAX (last, s->range_last + 1) - s->first_col;
        }
      else
        {
          s->first_col = first;
          s->width = last - first;
        }
    }
  while (s->rows_done + 1 < s->row)
    {
      g_string_append_c (s->out, '\n');
      s->rows_done++;
    }
  if (n_values > 0)
    {
      guint end = MAX (last, s->first_col + s->width);

      for (guint c = s->first_col; c < end; c++)
        {
          const char *v = c < s->cells->len ? g_ptr_array_index (s->cells, c) : NULL;

          if (c > s->first_col)
            g_string_append_c (s->out, ',');
          if (v != NULL)
            csv_field (s->out, v);
        }
      s->any = TRUE;
    }
  g_string_append_c (s->out, '\n');
  s->rows_done = s->row;
  g_ptr_array_set_size (s->cells, 0);
  s->out_total += s->out->len - before;
  if (s->out_total > CSV_MARGIN + (guint64) CSV_GROWTH * s->book->part_fed)
    return too_large (s->book, error);
  return flush_out (s, FALSE, error);
}

static void
sheet_start (GMarkupParseContext *ctx, const char *element, const char **names,
             const char **values, gpointer data, GError **error)
{
  SheetParse *s = data;
  const char *el = local_name (element);

  if (strcmp (el, "row") == 0)
    {
      const char *r = attr (names, values, "r", FALSE);
      guint64 row = r ? g_ascii_strtoull (r, NULL, 10) : s->row + 1;

      if (row <= s->row || row > MAX_ROWS)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, s->book->basename, 0, 0, NULL,
                           _("found a damaged Excel workbook (row “%s” out of order), expected a file Excel can open"),
                           r ? r : "");
          return;
        }
      s->row = (guint) row;
      s->next_col = 0;
      g_ptr_array_set_size (s->cells, 0);
    }
  else if (strcmp (el, "dimension") == 0)
    {
      const char *ref = attr (names, values, "ref", FALSE);
      const char *colon = ref ? strchr (ref, ':') : NULL;

      /* "A1" alone is what writers put when they do not know. */
      if (colon != NULL && ref_column (ref, &s->range_first) && ref_column (colon + 1, &s->range_last)
          && s->range_last >= s->range_first)
        s->have_range = TRUE;
    }
  else if (strcmp (el, "c") == 0 && s->row > 0)
    {
      const char *r = attr (names, values, "r", FALSE);
      const char *t = attr (names, values, "t", FALSE);
      const char *st = attr (names, values, "s", FALSE);

      if (r != NULL && !ref_column (r, &s->col))
        {
          tc_set_error_at (error, TC_ERROR_PARSE, s->book->basename, s->row, 0, NULL,
                           _("found a cell reference “%s”, expected a column from A to XFD"), r);
          return;
        }
      if (r == NULL)
        s->col = s->next_col;
      if (s->col >= MAX_COLUMNS)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, s->book->basename, s->row, 0, NULL,
                           _("found more than 16,384 cells in a row, expected a row Excel can hold"));
          return;
        }
      s->next_col = s->col + 1;
      g_strlcpy (s->type, t ? t : "n", sizeof s->type);
      s->style = st ? (guint) MIN (g_ascii_strtoull (st, NULL, 10), G_MAXUINT) : 0;
      s->in_cell = TRUE;
      g_string_truncate (s->value, 0);
    }
  else if (s->in_cell && strcmp (el, "rPh") == 0)
    s->in_phonetic++;
  else if (s->in_cell && (strcmp (el, "v") == 0 || strcmp (el, "t") == 0))
    s->in_value = TRUE;
}

static void
sheet_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  SheetParse *s = data;

  if (s->in_value && s->in_phonetic == 0)
    {
      if (s->value->len + len > MAX_CELL_BYTES)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, s->book->basename, s->row, 0, NULL,
                           _("found a cell longer than 1 MB, expected a cell Excel can hold"));
          return;
        }
      g_string_append_len (s->value, text, len);
    }
}

/* The cell's text as the CSV should hold it, or NULL for no value. */
static char *
cell_text (SheetParse *s, GError **error)
{
  Book *b = s->book;
  const char *v = s->value->str;

  if (strcmp (s->type, "s") == 0 && s->value->len > 0)
    {
      char *end = NULL;
      guint64 i = g_ascii_strtoull (v, &end, 10);

      if (end == v || *end != '\0' || i >= b->strings->len)
        {
          tc_set_error_at (error, TC_ERROR_PARSE, b->basename, s->row,
                           s->col >= s->first_col ? s->col - s->first_col + 1 : 0, NULL,
                           _("found a damaged Excel workbook (shared text “%s” does not exist), expected a file Excel can open"),
                           v);
          return NULL;
        }
      return g_strdup (g_ptr_array_index (b->strings, i));
    }
  if (s->value->len == 0 || strcmp (s->type, "e") == 0)
    return NULL;  /* empty, or an error value such as #N/A: missing */
  if (strcmp (s->type, "b") == 0)
    return g_strdup (strcmp (v, "0") == 0 || g_ascii_strcasecmp (v, "false") == 0 ? "0" : "1");
  if (strcmp (s->type, "inlineStr") == 0 || strcmp (s->type, "str") == 0)
    decode_escapes (s->value);
  if (strcmp (s->type, "n") == 0 && s->style < b->xf_kind->len)
    {
      guint8 kind = g_array_index (b->xf_kind, guint8, s->style);
      char *end = NULL;
      double x = g_ascii_strtod (v, &end);

      if (kind != 0 && end != v && *end == '\0')
        {
          g_autoptr (GString) iso = g_string_new (NULL);

          if (serial_to_iso (x, b->date1904, kind, iso))
            return g_string_free (g_steal_pointer (&iso), FALSE);
        }
    }
  /* Numbers as stored ("12.5", "1E-3"), formula text, ISO dates (t="d"). */
  return g_strdup (v);
}

static void
sheet_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  SheetParse *s = data;
  const char *el = local_name (element);

  if (strcmp (el, "row") == 0 && s->row > 0)
    end_row (s, error);
  else if (strcmp (el, "c") == 0 && s->in_cell)
    {
      GError *local = NULL;
      char *text = cell_text (s, &local);

      s->in_cell = FALSE;
      s->in_value = FALSE;
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return;
        }
      if (text == NULL)
        return;
      if (s->cells->len <= s->col)
        g_ptr_array_set_size (s->cells, s->col + 1);
      g_free (g_ptr_array_index (s->cells, s->col));
      g_ptr_array_index (s->cells, s->col) = text;
    }
  else if (strcmp (el, "rPh") == 0 && s->in_phonetic > 0)
    s->in_phonetic--;
  else if (strcmp (el, "v") == 0 || strcmp (el, "t") == 0)
    s->in_value = FALSE;
}

/* ------------------------------------------------------------------ */

static gboolean
head_has (const guint8 *d, gsize n, const char *needle)
{
  gsize k = strlen (needle);

  for (gsize i = 0; i + k <= n; i++)
    if (d[i] == (guint8) needle[0] && memcmp (d + i, needle, k) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_zip (const guint8 *head, gsize n)
{
  return n >= 4 && memcmp (head, "PK\x03\x04", 4) == 0;
}

/* OpenDocument names its kind in the archive's first, uncompressed entry. */
static gboolean
is_ods (const guint8 *head, gsize n, const char *lower)
{
  return head_has (head, n, "opendocument.spreadsheet") || g_str_has_suffix (lower, ".ods");
}

gboolean
tc_xlsx_sniff (const guint8 *head, gsize n, const char *basename)
{
  g_autofree char *lower = g_ascii_strdown (basename, -1);

  if (!is_zip (head, n) || is_ods (head, n, lower))
    return FALSE;
  /* A part under xl/ may lie beyond the head of a large file: the name
   * tells then. */
  return head_has (head, n, "xl/") || g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".xlsm");
}

const char *
tc_xlsx_unreadable (const guint8 *head, gsize n, const char *basename)
{
  static const guint8 ole2[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
  g_autofree char *lower = g_ascii_strdown (basename, -1);

  if (n >= 8 && memcmp (head, ole2, 8) == 0)
    return _("is an Excel 97-2003 workbook (.xls), which cannot be read: open it in Excel and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8 (Comma delimited)”, then import that file");
  if (!is_zip (head, n) || tc_xlsx_sniff (head, n, basename))
    return NULL;
  if (is_ods (head, n, lower))
    return _("is a LibreOffice Calc spreadsheet (.ods), which cannot be read: open it in Calc and save it as “Excel 2007-365 (.xlsx)” or “Text CSV”, then import that file");
  return _("is a zip archive, not a CSV file: extract the CSV file from it, then import that");
}

static void
book_clear (Book *b)
{
  for (guint k = 0; k < b->n_entries; k++)
    g_free (b->entries[k].name);
  g_free (b->entries);
  g_clear_pointer (&b->strings, g_ptr_array_unref);
  g_clear_pointer (&b->xf_kind, g_array_unref);
  g_clear_pointer (&b->fmt_kind, g_hash_table_unref);
}

static gboolean
convert_sheet (Book *b, const char *part, int fd, gboolean *any, GError **error)
{
  static const GMarkupParser parser = { sheet_start, sheet_end, sheet_text, NULL, NULL };
  SheetParse s = { 0 };
  gboolean ok;

  s.book = b;
  s.fd = fd;
  s.out = g_string_new (NULL);
  s.cells = g_ptr_array_new_with_free_func (g_free);
  s.value = g_string_new (NULL);
  ok = parse_part (b, part, &parser, &s, TRUE, MAX_SHEET_PART, error) && flush_out (&s, TRUE, error);
  *any = s.any;
  g_string_free (s.out, TRUE);
  g_ptr_array_unref (s.cells);
  g_string_free (s.value, TRUE);
  return ok;
}

gboolean
tc_xlsx_to_csv (const guint8 *data, gsize size, const char *basename, int fd, char **sheet,
                GError **error)
{
  static const GMarkupParser workbook_parser = { workbook_start, NULL, NULL, NULL, NULL };
  static const GMarkupParser rels_parser = { rels_start, NULL, NULL, NULL, NULL };
  static const GMarkupParser strings_parser = { strings_start, strings_end, strings_text, NULL, NULL };
  static const GMarkupParser styles_parser = { styles_start, styles_end, NULL, NULL, NULL };
  Book b = { 0 };
  g_autoptr (GPtrArray) rel_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) sheet_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  WorkbookParse w = { rel_ids, sheet_names, FALSE };
  RelsParse r = { targets };
  StringsParse sp = { 0 };
  StylesParse stp = { 0 };
  gboolean ok = FALSE;

  b.data = data;
  b.size = size;
  b.basename = basename;
  b.strings = g_ptr_array_new_with_free_func (g_free);
  b.xf_kind = g_array_new (FALSE, FALSE, sizeof (guint8));
  b.fmt_kind = g_hash_table_new (NULL, NULL);
  sp.strings = b.strings;
  stp.book = &b;

  if (!zip_read_directory (&b, error))
    goto out;
  if (zip_find (&b, "xl/workbook.xml") == NULL && zip_find (&b, "xl/workbook.bin") != NULL)
    {
      tc_set_error_at (error, TC_ERROR_PARSE, basename, 0, 0, NULL,
                       _("is an Excel binary workbook (.xlsb), expected .xlsx or CSV: open it in Excel and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8 (Comma delimited)”"));
      goto out;
    }
  if (!parse_part (&b, "xl/workbook.xml", &workbook_parser, &w, TRUE, MAX_OTHER_PART, error)
      || !parse_part (&b, "xl/_rels/workbook.xml.rels", &rels_parser, &r, FALSE, MAX_OTHER_PART, error)
      || !parse_part (&b, "xl/sharedStrings.xml", &strings_parser, &sp, FALSE, MAX_OTHER_PART, error)
      || !parse_part (&b, "xl/styles.xml", &styles_parser, &stp, FALSE, MAX_OTHER_PART, error))
    goto out;
  b.date1904 = w.date1904;

  /* The first sheet with a cell; a workbook without relationships names
   * its sheets by number. */
  if (rel_ids->len == 0)
    {
      g_ptr_array_add (rel_ids, NULL);
      g_ptr_array_add (sheet_names, g_strdup (""));
    }
  for (guint i = 0; i < rel_ids->len && i < MAX_SHEETS; i++)
    {
      const char *id = g_ptr_array_index (rel_ids, i);
      const char *part = id ? g_hash_table_lookup (targets, id) : "xl/worksheets/sheet1.xml";
      gboolean any = FALSE;

      /* A chart sheet, a dangling reference, a part already read. */
      if (part == NULL || zip_find (&b, part) == NULL || g_hash_table_contains (tried, part))
        continue;
      g_hash_table_add (tried, g_strdup (part));
      if (!convert_sheet (&b, part, fd, &any, error))
        goto out;
      if (any)
        {
          if (sheet != NULL)
            *sheet = g_strdup (g_ptr_array_index (sheet_names, i));
          ok = TRUE;
          goto out;
        }
      /* Nothing written but empty lines: start the file again. */
      if (ftruncate (fd, 0) != 0 || lseek (fd, 0, SEEK_SET) != 0)
        {
          tc_set_error_at (error, TC_ERROR_IO, basename, 0, 0, NULL,
                           _("cannot convert the workbook to CSV: %s"), g_strerror (errno));
          goto out;
        }
    }
  tc_set_error_at (error, TC_ERROR_EMPTY, basename, 0, 0, NULL,
                   _("found no sheet with cells in the workbook, expected the sales table on a sheet"));

out:
  if (sp.cur != NULL)
    g_string_free (sp.cur, TRUE);
  book_clear (&b);
  return ok;
}
