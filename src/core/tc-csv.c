/* tc-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-csv"

#include "config.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tc-csv.h"
#include "tc-error.h"
#include "tc-tsan.h"
#include "tc-xlsx.h"

#define HEAD_SIZE  (64 * 1024)
#define CHUNK_SIZE (256 * 1024)
/* The largest workbook read whole into memory. */
#define TC_XLSX_MAX_FILE ((gsize) 1 << 30)

struct _TcCsvReader
{
  char         *path;
  char         *basename;
  int           fd;
  guint64       size;
  char         *encoding;
  gboolean      has_bom;
  char         *sheet;       /* the sheet read from an Excel workbook, or NULL */
  char          delim;
  GIConv        conv;        /* (GIConv) -1 for UTF-8 input */

  GByteArray   *head;        /* raw bytes read for detection, fed first */
  gsize         head_skip;   /* BOM length */

  /* Run state. */
  struct csv_parser parser;
  /* The current record; plain buffers because GArray's growth check
   * (a division per append) showed at the top of the profile. */
  char         *row;         /* (row_cap) fields, NUL-terminated */
  gsize         row_len, row_cap;
  guint        *offsets;     /* (field_cap) into row */
  guint        *lens;        /* (field_cap) */
  const char  **ptrs;        /* (field_cap) */
  guint         n_fields, field_cap;
  gsize         record_bytes; /* of the current record, for TC_CSV_MAX_RECORD */
  guint64       line;        /* line where the current record starts */
  guint64       embedded_nl; /* newlines inside quoted fields of the current record */
  guint64       nl_before;   /* newlines in the text fed before the current chunk */
  gboolean      pending_cr;
  gboolean      quotes_seen; /* a quote in this chunk or an earlier one */
  TcCsvRowFunc  row_func;
  gpointer      row_data;
  GError       *error;

  /* Threaded mode: this thread parses into batches, the caller's
   * thread runs row_func on them; a fixed pool bounds the memory. */
  struct _Batch *batch;
  GAsyncQueue  *free_batches;
  GAsyncQueue  *full_batches;
  gint          stop;
  TcCsvProgressFunc progress;
  gpointer      progress_data;
  GCancellable *cancellable;
};

#define BATCH_ROWS    4096
#define BATCH_BYTES   (1u << 20)
#define N_BATCHES     6
/* Below this, a thread costs more than it saves. */
#define THREAD_MIN_SIZE (4u << 20)

typedef struct _Batch
{
  char     *data;       /* (len) fields, NUL-terminated */
  gsize     len, cap;
  guint    *offs;       /* (nf) */
  guint    *lens;       /* (nf) */
  gsize     nf, fcap;
  guint    *row_nf;     /* (nrows) */
  guint64  *row_line;   /* (nrows) */
  gsize     nrows;
  GError   *error;
  gboolean  last;
} Batch;

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->cap = BATCH_BYTES + 4096;
  b->data = g_malloc (b->cap);
  b->fcap = BATCH_ROWS * 8;
  b->offs = g_new (guint, b->fcap);
  b->lens = g_new (guint, b->fcap);
  b->row_nf = g_new (guint, BATCH_ROWS);
  b->row_line = g_new (guint64, BATCH_ROWS);
  return b;
}

static void
batch_free (Batch *b)
{
  g_free (b->data);
  g_free (b->offs);
  g_free (b->lens);
  g_free (b->row_nf);
  g_free (b->row_line);
  g_clear_error (&b->error);
  g_free (b);
}

void
tc_csv_append_field (GString    *out,
                     const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

const char *
tc_csv_delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    /* Marked only: the name stays English for callers that print it as
     * a keyword; a message translates it with g_dpgettext2 (…, "delimiter", …). */
    case ',':  return NC_("delimiter", "comma");
    case ';':  return NC_("delimiter", "semicolon");
    case '\t': return NC_("delimiter", "tab");
    case '|':  return NC_("delimiter", "pipe");
    default:   return NC_("delimiter", "other");
    }
}

static gboolean
read_full (int fd, guint8 *buf, gsize want, gsize *got, const char *name, GError **error)
{
  gsize n = 0;

  while (n < want)
    {
      gssize r = read (fd, buf + n, want - n);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int saved = errno;

          tc_set_error_at (error, TC_ERROR_IO, name, 0, 0, NULL,
                           "%s",
                           g_strerror (saved));
          return FALSE;
        }
      if (r == 0)
        break;
      n += r;
    }
  *got = n;
  return TRUE;
}

/* Converts as much of @in as possible; an incomplete sequence at the end
 * is left in @in for the next call.  Returns FALSE on an invalid sequence
 * and sets @bad_offset. */
static gboolean
convert_chunk (GIConv      conv,
               GByteArray *in,
               GByteArray *out,
               gsize      *bad_offset)
{
  gchar *inbuf = (gchar *) in->data;
  gsize inleft = in->len;

  g_byte_array_set_size (out, 0);
  while (inleft > 0)
    {
      gsize old = out->len, outleft;
      gchar *outbuf;
      gsize r;

      g_byte_array_set_size (out, old + inleft * 2 + 16);
      outbuf = (gchar *) out->data + old;
      outleft = out->len - old;
      r = g_iconv (conv, &inbuf, &inleft, &outbuf, &outleft);
      g_byte_array_set_size (out, out->len - outleft);
      if (r == (gsize) -1)
        {
          if (errno == E2BIG)
            continue;
          if (errno == EINVAL)
            break;
          *bad_offset = inbuf - (gchar *) in->data;
          return FALSE;
        }
    }
  g_byte_array_remove_range (in, 0, in->len - inleft);
  return TRUE;
}

static guint64
count_nl (const char *s, gsize n)
{
  guint64 c = 0;
  const char *e = s + n;

  while ((s = memchr (s, '\n', e - s)) != NULL)
    {
      c++;
      s++;
    }
  return c;
}

static gboolean
looks_binary (const guint8 *d, gsize n, gsize *where)
{
  gsize ctrl = 0;

  for (gsize i = 0; i < n; i++)
    if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\r' && d[i] != '\n' && d[i] != '\f')
      {
        if (ctrl == 0)
          *where = i;
        ctrl++;
      }
  return ctrl > 0 && (ctrl * 100 > n || d[*where] == 0);
}

/* Latin-1 "Mü" (0xfc 0x6c) is also a valid GBK pair, so valid GB18030 is
 * not enough: Chinese text from Excel is nearly all in the GB2312 area,
 * where both bytes are 0xa1 or above. */
static gboolean
looks_chinese (const guint8 *d, gsize n)
{
  gsize pairs = 0, gb2312 = 0;

  for (gsize i = 0; i + 1 < n; )
    {
      if (d[i] < 0x80)
        {
          i++;
          continue;
        }
      if (d[i + 1] >= 0x30 && d[i + 1] <= 0x39)
        {
          i += 4;   /* a four-byte GB18030 sequence */
          continue;
        }
      pairs++;
      gb2312 += d[i] >= 0xa1 && d[i + 1] >= 0xa1;
      i += 2;
    }
  return pairs > 0 && gb2312 * 2 >= pairs;
}

/* Picks the delimiter whose count per line is the same on most of the
 * first lines (quotes respected); ties go to the more frequent one. */
static char
detect_delimiter (const char *text, gsize n)
{
  static const char cands[] = { ',', ';', '\t', '|' };
  guint counts[4][64];
  guint nlines = 0;
  gboolean inq = FALSE;
  char best = ',';
  double best_frac = -1;
  guint best_h = 0;

  memset (counts, 0, sizeof counts);
  for (gsize i = 0; i < n && nlines < 64; i++)
    {
      char c = text[i];

      if (c == '"')
        inq = !inq;
      else if (!inq && (c == '\n' || c == '\r'))
        {
          if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
            i++;
          nlines++;
        }
      else if (!inq)
        for (guint k = 0; k < 4; k++)
          if (c == cands[k])
            counts[k][nlines]++;
    }
  if (nlines == 0)
    nlines = 1;
  for (guint k = 0; k < 4; k++)
    {
      guint h = counts[k][0], same = 0;
      double frac;

      if (h == 0)
        continue;
      for (guint l = 0; l < nlines; l++)
        same += counts[k][l] == h;
      frac = (double) same / nlines;
      if (frac > best_frac + 1e-9 || (frac > best_frac - 1e-9 && h > best_h))
        {
          best = cands[k];
          best_frac = frac;
          best_h = h;
        }
    }
  return best;
}

/* Reads the rest of the workbook whose first @got bytes are in r->head,
 * converts it, and makes the reader read the CSV instead. */
static gboolean
xlsx_to_temp (TcCsvReader *r, gsize got, GError **error)
{
  g_autoptr (GByteArray) all = g_byte_array_new ();
  g_autofree char *tmp_name = NULL;
  g_autoptr (GError) local = NULL;
  int tmp;
  gsize n = 0;

  g_byte_array_append (all, r->head->data, got);
  if (got == HEAD_SIZE)
    for (;;)
      {
        gsize old = all->len;

        if (old > TC_XLSX_MAX_FILE)
          {
            tc_set_error_at (error, TC_ERROR_PARSE, r->basename, 0, 0, NULL,
                             _("found a workbook over 1 GB, expected a smaller one: save the sheet as CSV instead"));
            return FALSE;
          }
        g_byte_array_set_size (all, old + CHUNK_SIZE);
        if (!read_full (r->fd, all->data + old, CHUNK_SIZE, &n, r->basename, error))
          return FALSE;
        g_byte_array_set_size (all, old + n);
        if (n < CHUNK_SIZE)
          break;
      }

  tmp = g_file_open_tmp ("trendcast-xlsx-XXXXXX.csv", &tmp_name, &local);
  if (tmp < 0)
    {
      tc_set_error_at (error, TC_ERROR_IO, r->basename, 0, 0, NULL,
                       _("cannot convert the workbook to CSV: %s"), local->message);
      return FALSE;
    }
  g_unlink (tmp_name);
  if (!tc_xlsx_to_csv (all->data, all->len, r->basename, tmp, &r->sheet, error))
    {
      close (tmp);
      return FALSE;
    }
  close (r->fd);
  r->fd = tmp;
  /* The CSV's end is where the conversion stopped writing. */
  r->size = (guint64) MAX (lseek (tmp, 0, SEEK_CUR), 0);
  if (lseek (tmp, 0, SEEK_SET) != 0)
    {
      int saved = errno;

      tc_set_error_at (error, TC_ERROR_IO, r->basename, 0, 0, NULL,
                       _("cannot convert the workbook to CSV: %s"), g_strerror (saved));
      return FALSE;
    }
  g_byte_array_set_size (r->head, HEAD_SIZE);
  if (!read_full (r->fd, r->head->data, HEAD_SIZE, &n, r->basename, error))
    return FALSE;
  g_byte_array_set_size (r->head, n);
  return TRUE;
}

TcCsvReader *
tc_csv_reader_new (const char  *path,
                   const char  *encoding,
                   char         delimiter,
                   GError     **error)
{
  g_autoptr (TcCsvReader) r = g_new0 (TcCsvReader, 1);
  g_autoptr (GByteArray) text = NULL;
  GStatBuf st;
  gsize got = 0;
  const guint8 *d;

  r->fd = -1;
  r->conv = (GIConv) -1;
  r->path = g_strdup (path);
  r->basename = g_path_get_basename (path);
  /* Without O_NONBLOCK, opening a FIFO that nobody writes to would wait
   * forever.  With it the open returns at once; blocking reads then see
   * a writer's data, or the end of the file when there is none, so the
   * file reads as empty. */
  r->fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (r->fd >= 0)
    fcntl (r->fd, F_SETFL, fcntl (r->fd, F_GETFL) & ~O_NONBLOCK);
  if (r->fd < 0)
    {
      int saved = errno;

      tc_set_error_at (error, TC_ERROR_IO, r->basename, 0, 0, NULL,
                       _("cannot open: %s"),
                       g_strerror (saved));
      return NULL;
    }
  if (fstat (r->fd, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          tc_set_error_at (error, TC_ERROR_IO, r->basename, 0, 0, NULL,
                           _("is a directory, expected a CSV file"));
          return NULL;
        }
      r->size = st.st_size;
    }
  r->head = g_byte_array_sized_new (HEAD_SIZE);
  g_byte_array_set_size (r->head, HEAD_SIZE);
  if (!read_full (r->fd, r->head->data, HEAD_SIZE, &got, r->basename, error))
    return NULL;
  g_byte_array_set_size (r->head, got);
  d = r->head->data;

  /* An Excel workbook is read as the CSV text of its first sheet, from a
   * temporary file that is gone once the reader closes it. */
  if (tc_xlsx_sniff (d, got, r->basename))
    {
      if (!xlsx_to_temp (r, got, error))
        return NULL;
      d = r->head->data;
      got = r->head->len;
      encoding = "UTF-8";
      delimiter = ',';
    }
  else
    {
      /* Not text either: say what to do, not just that it is binary. */
      const char *problem = tc_xlsx_unreadable (d, got, r->basename);

      if (problem != NULL)
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, r->basename, 0, 0, NULL, "%s", problem);
          return NULL;
        }
    }
  if (encoding != NULL)
    r->encoding = g_strdup (encoding);
  else if (got >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
    {
      r->encoding = g_strdup ("UTF-8");
      r->has_bom = TRUE;
      r->head_skip = 3;
    }
  else if (got >= 2 && d[0] == 0xff && d[1] == 0xfe)
    {
      r->encoding = g_strdup ("UTF-16LE");
      r->has_bom = TRUE;
      r->head_skip = 2;
    }
  else if (got >= 2 && d[0] == 0xfe && d[1] == 0xff)
    {
      r->encoding = g_strdup ("UTF-16BE");
      r->has_bom = TRUE;
      r->head_skip = 2;
    }
  else
    {
      gsize zeros_even = 0, zeros_odd = 0, probe = MIN (got, 4096), where = 0;

      for (gsize i = 0; i < probe; i++)
        if (d[i] == 0 && i % 2)
          zeros_odd++;
        else if (d[i] == 0)
          zeros_even++;
      /* UTF-16 without a BOM: ASCII text has a zero in every other byte. */
      if (probe >= 4 && zeros_odd * 10 > probe * 4 && zeros_even * 20 < probe)
        r->encoding = g_strdup ("UTF-16LE");
      else if (probe >= 4 && zeros_even * 10 > probe * 4 && zeros_odd * 20 < probe)
        r->encoding = g_strdup ("UTF-16BE");
      else if (looks_binary (d, got, &where))
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, r->basename, 0, 0, NULL,
                           _("found control byte 0x%02x at offset %lu, expected text: this looks like a binary file, not a CSV export"),
                           d[where], (gulong) where);
          return NULL;
        }
      else
        {
          const char *end = NULL;
          gsize check = got;

          /* A multi-byte character may straddle the end of the probe. */
          if (!g_utf8_validate ((const char *) d, check, &end) && got == HEAD_SIZE
              && (gsize) ((const guint8 *) end - d) + 4 > got)
            check = (const guint8 *) end - d;
          if (g_utf8_validate ((const char *) d, check, &end))
            r->encoding = g_strdup ("UTF-8");
          else
            {
              GIConv probe_conv = g_iconv_open ("UTF-8", "GB18030");
              g_autoptr (GByteArray) in = g_byte_array_new ();
              g_autoptr (GByteArray) out = g_byte_array_new ();
              gsize bad = 0, off = (const guint8 *) end - d;
              gboolean ok;

              g_byte_array_append (in, d, got);
              ok = probe_conv != (GIConv) -1 && convert_chunk (probe_conv, in, out, &bad);
              if (probe_conv != (GIConv) -1)
                g_iconv_close (probe_conv);
              if (ok && !looks_chinese (d, got))
                ok = FALSE;
              if (!ok || (got < HEAD_SIZE && in->len > 0))
                {
                  tc_set_error_at (error, TC_ERROR_ENCODING, r->basename, count_nl ((const char *) d, off) + 1, 0, NULL,
                                   _("found byte 0x%02x at offset %lu that is neither UTF-8 nor GB18030, expected text in a known encoding (save the file as “CSV UTF-8”, or name its encoding, e.g. WINDOWS-1252)"),
                                   d[off], (gulong) off);
                  return NULL;
                }
              r->encoding = g_strdup ("GB18030");
            }
        }
    }

  if (g_ascii_strcasecmp (r->encoding, "UTF-8") != 0 && g_ascii_strcasecmp (r->encoding, "UTF8") != 0)
    {
      r->conv = g_iconv_open ("UTF-8", r->encoding);
      if (r->conv == (GIConv) -1)
        {
          tc_set_error_at (error, TC_ERROR_ENCODING, r->basename, 0, 0, NULL,
                           _("unknown encoding “%s”"),
                           r->encoding);
          return NULL;
        }
    }

  /* The delimiter is detected on decoded text. */
  if (delimiter != 0)
    r->delim = delimiter;
  else if (r->conv == (GIConv) -1)
    r->delim = detect_delimiter ((const char *) d + r->head_skip, got - r->head_skip);
  else
    {
      GIConv c2 = g_iconv_open ("UTF-8", r->encoding);
      g_autoptr (GByteArray) in = g_byte_array_new ();
      g_autoptr (GByteArray) out = g_byte_array_new ();
      gsize bad = 0;

      g_byte_array_append (in, d + r->head_skip, got - r->head_skip);
      convert_chunk (c2, in, out, &bad);
      g_iconv_close (c2);
      r->delim = detect_delimiter ((const char *) out->data, out->len);
    }
  return g_steal_pointer (&r);
}

void
tc_csv_reader_free (TcCsvReader *r)
{
  if (r == NULL)
    return;
  if (r->fd >= 0)
    close (r->fd);
  if (r->conv != (GIConv) -1)
    g_iconv_close (r->conv);
  if (r->head)
    g_byte_array_unref (r->head);
  g_free (r->path);
  g_free (r->basename);
  g_free (r->encoding);
  g_free (r->sheet);
  g_free (r);
}

const char *
tc_csv_reader_get_encoding (TcCsvReader *r)
{
  return r->encoding;
}

gboolean
tc_csv_reader_get_has_bom (TcCsvReader *r)
{
  return r->has_bom;
}

const char *
tc_csv_reader_get_sheet (TcCsvReader *r)
{
  return r->sheet;
}

char
tc_csv_reader_get_delimiter (TcCsvReader *r)
{
  return r->delim;
}

const char *
tc_csv_reader_get_basename (TcCsvReader *r)
{
  return r->basename;
}

guint64
tc_csv_reader_get_size (TcCsvReader *r)
{
  return r->size;
}

static void
field_cb (void *s, size_t len, void *data)
{
  TcCsvReader *r = data;
  guint off = (guint) r->row_len, l = (guint) len;

  if (r->error)
    return;
  if (len > TC_CSV_MAX_FIELD)
    {
      tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, r->line, r->n_fields + 1, NULL,
                       _("found a field of %lu bytes, expected at most %u (an unclosed quote or not a CSV file?)"),
                       (gulong) len, TC_CSV_MAX_FIELD);
      return;
    }
  r->record_bytes += len + 1;
  if (G_UNLIKELY (r->n_fields >= TC_CSV_MAX_FIELDS || r->record_bytes > TC_CSV_MAX_RECORD))
    {
      if (r->n_fields >= TC_CSV_MAX_FIELDS)
        tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, r->line, r->n_fields + 1, NULL,
                         _("found more than %u fields in one record, expected at most %u columns (the wrong delimiter, or not a CSV file?)"),
                         TC_CSV_MAX_FIELDS, TC_CSV_MAX_FIELDS);
      else
        tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, r->line, r->n_fields + 1, NULL,
                         _("found a record longer than %u MB, expected at most %u MB per line (an unclosed quote or not a CSV file?)"),
                         TC_CSV_MAX_RECORD >> 20, TC_CSV_MAX_RECORD >> 20);
      return;
    }
  if (r->batch)
    {
      /* Threaded mode: straight into the batch, no second copy. */
      Batch *b = r->batch;

      if (G_UNLIKELY (b->len + len + 1 > b->cap))
        {
          b->cap = MAX (b->cap * 2, b->len + len + 1);
          b->data = g_realloc (b->data, b->cap);
        }
      if (G_UNLIKELY (b->nf == b->fcap))
        {
          b->fcap *= 2;
          b->offs = g_renew (guint, b->offs, b->fcap);
          b->lens = g_renew (guint, b->lens, b->fcap);
        }
      if (len > 0)
        {
          if (r->quotes_seen)
            r->embedded_nl += count_nl (s, len);
          memcpy (b->data + b->len, s, len);
        }
      b->data[b->len + len] = '\0';
      b->offs[b->nf] = (guint) b->len;
      b->lens[b->nf] = l;
      b->nf++;
      b->len += len + 1;
      r->n_fields++;
      return;
    }
  if (G_UNLIKELY (r->row_len + len + 1 > r->row_cap))
    {
      r->row_cap = MAX (r->row_cap * 2, r->row_len + len + 1);
      r->row = g_realloc (r->row, r->row_cap);
    }
  if (G_UNLIKELY (r->n_fields == r->field_cap))
    {
      r->field_cap = MAX (16, r->field_cap * 2);
      r->offsets = g_renew (guint, r->offsets, r->field_cap);
      r->lens = g_renew (guint, r->lens, r->field_cap);
      r->ptrs = g_renew (const char *, r->ptrs, r->field_cap);
    }
  if (len > 0)
    {
      /* Only a quoted field holds a newline. */
      if (r->quotes_seen)
        r->embedded_nl += count_nl (s, len);
      memcpy (r->row + r->row_len, s, len);
    }
  r->row[r->row_len + len] = '\0';
  r->row_len += len + 1;
  r->offsets[r->n_fields] = off;
  r->lens[r->n_fields] = l;
  r->n_fields++;
}

static void
row_cb (int c, void *data)
{
  TcCsvReader *r = data;
  guint n = r->n_fields;

  if (r->error)
    return;
  if (n == 0)
    {
      /* A blank line (reported because of CSV_REPALL_NL). */
      if (c == '\n')
        r->line++;
      return;
    }
  if (r->batch)
    {
      Batch *b = r->batch;

      b->row_nf[b->nrows] = n;
      b->row_line[b->nrows] = r->line;
      b->nrows++;
      if (b->nrows == BATCH_ROWS || b->len >= BATCH_BYTES)
        {
          TC_TSAN_RELEASE (b);
          g_async_queue_push (r->full_batches, b);
          r->batch = g_async_queue_pop (r->free_batches);
          TC_TSAN_ACQUIRE (r->batch);
        }
    }
  else
    {
      for (guint i = 0; i < n; i++)
        r->ptrs[i] = r->row + r->offsets[i];
      r->row_func (r->ptrs, r->lens, n, r->line, r->row_data, &r->error);
    }
  r->line += 1 + r->embedded_nl;
  r->embedded_nl = 0;
  r->row_len = 0;
  r->n_fields = 0;
  r->record_bytes = 0;
}

/* Feeds UTF-8 text with every CR and CRLF made a LF, so that lines can
 * be counted and old Mac files work. */
static gboolean
feed (TcCsvReader *r, const char *text, gsize n, GByteArray *scratch)
{
  const char *buf = text;
  gsize len = n, done;

  if (n == 0)
    return TRUE;
  if (r->pending_cr || memchr (text, '\r', n) != NULL)
    {
      g_byte_array_set_size (scratch, n);
      len = 0;
      for (gsize i = 0; i < n; i++)
        {
          char c = text[i];

          if (c == '\n' && r->pending_cr && i == 0)
            {
              r->pending_cr = FALSE;
              continue;
            }
          if (c == '\r')
            {
              scratch->data[len++] = '\n';
              if (i + 1 < n && text[i + 1] == '\n')
                i++;
              else if (i + 1 == n)
                r->pending_cr = TRUE;
            }
          else
            scratch->data[len++] = c;
        }
      if (n > 0 && text[n - 1] != '\r')
        r->pending_cr = FALSE;
      buf = (const char *) scratch->data;
    }
  if (!r->quotes_seen)
    r->quotes_seen = memchr (buf, '"', len) != NULL;
  done = csv_parse (&r->parser, buf, len, field_cb, row_cb, r);
  if (r->error)
    return FALSE;
  if (done < len)
    {
      guint64 line = r->nl_before + count_nl (buf, done) + 1;
      char found = buf[done];
      guint col = r->n_fields + 1;

      if (found == '"')
        tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, line, col, NULL,
                         _("found a quote inside an unquoted field, expected the whole field in quotes with inner quotes doubled (\"\")"));
      else
        tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, line, col, NULL,
                         _("found “%c” after a closing quote, expected a delimiter (%s) or the end of the line"),
                         g_ascii_isprint (found) ? found : '?',
                         g_dpgettext2 (GETTEXT_PACKAGE, "delimiter", tc_csv_delimiter_name (r->delim)));
      return FALSE;
    }
  if (r->parser.entry_pos > TC_CSV_MAX_FIELD)
    {
      tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, r->line, r->n_fields + 1, NULL,
                       _("found a field longer than %u bytes, expected a spreadsheet cell (an unclosed quote or not a CSV file?)"),
                       TC_CSV_MAX_FIELD);
      return FALSE;
    }
  r->nl_before += count_nl (buf, len);
  return TRUE;
}

/* Reads, converts and parses the whole file; rows go to row_func or
 * into batches.  Errors end up in r->error. */
static void
run_loop (TcCsvReader *r)
{
  g_autoptr (GByteArray) raw = g_byte_array_sized_new (CHUNK_SIZE);
  g_autoptr (GByteArray) conv_out = g_byte_array_new ();
  g_autoptr (GByteArray) scratch = g_byte_array_new ();
  guint64 bytes_read = r->head->len;
  gboolean first = TRUE, ok = TRUE, eof = FALSE;

  while (ok)
    {
      const char *text;
      gsize n;

      if (first)
        {
          g_byte_array_append (raw, r->head->data + r->head_skip, r->head->len - r->head_skip);
          first = FALSE;
          eof = r->head->len < HEAD_SIZE;
        }
      else
        {
          gsize old = raw->len, got = 0;

          if (eof)
            break;
          g_byte_array_set_size (raw, old + CHUNK_SIZE);
          if (!read_full (r->fd, raw->data + old, CHUNK_SIZE, &got, r->basename, &r->error))
            {
              ok = FALSE;
              break;
            }
          g_byte_array_set_size (raw, old + got);
          bytes_read += got;
          eof = got < CHUNK_SIZE;
          if (got == 0 && raw->len == 0)
            break;
        }
      if (g_atomic_int_get (&r->stop))
        return;
      if (g_cancellable_set_error_if_cancelled (r->cancellable, &r->error))
        {
          ok = FALSE;
          break;
        }
      if (r->conv != (GIConv) -1)
        {
          gsize bad = 0;

          if (!convert_chunk (r->conv, raw, conv_out, &bad))
            {
              tc_set_error_at (&r->error, TC_ERROR_ENCODING, r->basename, r->nl_before + 1, 0, NULL,
                               _("found byte 0x%02x that is not valid %s, expected text in one encoding"),
                               raw->data[bad], r->encoding);
              ok = FALSE;
              break;
            }
          if (eof && raw->len > 0)
            {
              tc_set_error_at (&r->error, TC_ERROR_ENCODING, r->basename, r->nl_before + 1, 0, NULL,
                               _("found a truncated %s character at the end of the file, expected a complete one"),
                               r->encoding);
              ok = FALSE;
              break;
            }
          text = (const char *) conv_out->data;
          n = conv_out->len;
        }
      else
        {
          text = (const char *) raw->data;
          n = raw->len;
        }
      ok = feed (r, text, n, scratch);
      if (r->conv == (GIConv) -1)
        g_byte_array_set_size (raw, 0);
      if (r->progress)
        r->progress (bytes_read, r->size, r->progress_data);
    }
  if (ok && !g_atomic_int_get (&r->stop))
    {
      if (csv_fini (&r->parser, field_cb, row_cb, r) != 0 && r->error == NULL)
        tc_set_error_at (&r->error, TC_ERROR_PARSE, r->basename, r->line, r->n_fields + 1, NULL,
                         _("found a quote that is never closed (the file ends inside it, on line %llu), expected a closing quote"),
                         (unsigned long long) (r->nl_before + 1));
    }
}

static gpointer
producer_thread (gpointer data)
{
  TcCsvReader *r = data;

  run_loop (r);
  r->batch->error = g_steal_pointer (&r->error);
  r->batch->last = TRUE;
  TC_TSAN_RELEASE (r->batch);
  g_async_queue_push (r->full_batches, g_steal_pointer (&r->batch));
  return NULL;
}

/* The caller's side of the threaded mode: row_func on every batch, in
 * file order, so errors and line numbers are the same as sequentially. */
static void
consume (TcCsvReader *r)
{
  GError *row_error = NULL;
  GThread *thread;
  const char **ptrs = NULL;
  gsize ptrs_cap = 0;

  r->free_batches = g_async_queue_new ();
  r->full_batches = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES - 1; i++)
    g_async_queue_push (r->free_batches, batch_new ());
  r->batch = batch_new ();
  thread = g_thread_new ("tc-csv-parse", producer_thread, r);
  for (;;)
    {
      Batch *b = g_async_queue_pop (r->full_batches);
      gsize k = 0;
      gboolean last;

      TC_TSAN_ACQUIRE (b);

      for (gsize i = 0; i < b->nrows && row_error == NULL; i++)
        {
          guint n = b->row_nf[i];

          if (n > ptrs_cap)
            {
              ptrs_cap = MAX (n, ptrs_cap * 2);
              ptrs = g_renew (const char *, ptrs, ptrs_cap);
            }
          for (guint j = 0; j < n; j++)
            ptrs[j] = b->data + b->offs[k + j];
          if (!r->row_func (ptrs, b->lens + k, n, b->row_line[i], r->row_data, &row_error) && row_error == NULL)
            g_set_error_literal (&row_error, TC_ERROR, TC_ERROR_FAILED, "stopped");
          k += n;
        }
      if (row_error)
        g_atomic_int_set (&r->stop, 1);
      last = b->last;
      if (last)
        {
          if (row_error == NULL)
            r->error = g_steal_pointer (&b->error);
          batch_free (b);
          break;
        }
      b->len = b->nf = b->nrows = 0;
      TC_TSAN_RELEASE (b);
      g_async_queue_push (r->free_batches, b);
    }
  g_thread_join (thread);
  if (row_error)
    {
      g_clear_error (&r->error);
      r->error = row_error;
    }
  g_free (ptrs);
  {
    Batch *b;

    while ((b = g_async_queue_try_pop (r->free_batches)) != NULL)
      batch_free (b);
  }
  g_async_queue_unref (r->free_batches);
  g_async_queue_unref (r->full_batches);
  r->free_batches = r->full_batches = NULL;
}

gboolean
tc_csv_reader_run (TcCsvReader       *r,
                   TcCsvRowFunc       row_func,
                   gpointer           user_data,
                   TcCsvProgressFunc  progress,
                   gpointer           progress_data,
                   GCancellable      *cancellable,
                   GError           **error)
{
  if (csv_init (&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
    {
      tc_set_error_at (error, TC_ERROR_FAILED, r->basename, 0, 0, NULL,
                       _("cannot initialise the CSV parser"));
      return FALSE;
    }
  csv_set_delim (&r->parser, (unsigned char) r->delim);
  csv_set_blk_size (&r->parser, 4096);
  r->line = 1;
  r->row_func = row_func;
  r->row_data = user_data;
  r->progress = progress;
  r->progress_data = progress_data;
  r->cancellable = cancellable;
  r->stop = 0;

  if (r->size >= THREAD_MIN_SIZE && g_get_num_processors () > 1)
    consume (r);
  else
    run_loop (r);

  csv_free (&r->parser);
  g_clear_pointer (&r->row, g_free);
  g_clear_pointer (&r->offsets, g_free);
  g_clear_pointer (&r->lens, g_free);
  g_clear_pointer (&r->ptrs, g_free);
  r->row_cap = r->row_len = 0;
  r->field_cap = r->n_fields = 0;
  r->record_bytes = 0;
  if (r->error)
    {
      g_propagate_error (error, r->error);
      r->error = NULL;
      return FALSE;
    }
  return TRUE;
}
