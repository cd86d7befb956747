/* tc-checkpoint.c — model files: versioned, checksummed, written atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout, all integers and floats little-endian:
 *
 *   offset  size          field
 *   0       8             magic "TCMODEL\0"
 *   8       4             format version (1, or 2 with a text layer)
 *   12      4             config word count K (29 in version 1, 32 in version 2)
 *   16      4*K           config: patch_len n_tokens n_future_tokens n_features
 *                         d_model n_heads n_layers d_ff dropout(f32) loss
 *                         n_quantiles quantiles[9](f32) n_static cardinality[8]
 *                         version 2: text_dim text_buckets text_offset
 *   ..      8             n_params
 *   ..      4             meta length L
 *   ..      L             meta JSON (UTF-8, no terminator)
 *   ..      4*n_params    parameters (f32)
 *   ..      4             CRC-32 (IEEE, as zlib) of every byte before it
 */

#define G_LOG_DOMAIN "tc-checkpoint"

#include "tc-model.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-file.h"

#define TC_CHECKPOINT_MAGIC   "TCMODEL\0"
/* A model without a text layer is still written as version 1, so that
 * older builds read it. */
#define TC_CHECKPOINT_VERSION 2u
#define TC_CHECKPOINT_CONFIG_WORDS_V1 29u
#define TC_CHECKPOINT_CONFIG_WORDS 32u

static guint32 crc_table[256];

static gpointer
crc_table_init (gpointer unused)
{
  for (guint32 i = 0; i < 256; i++)
    {
      guint32 c = i;

      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
  return NULL;
}

static guint32
tc_crc32 (const guint8 *data, gsize len)
{
  static GOnce once = G_ONCE_INIT;
  guint32 c = 0xffffffffu;

  g_once (&once, crc_table_init, NULL);
  for (gsize i = 0; i < len; i++)
    c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void
put_u32 (GByteArray *ba, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (ba, (const guint8 *) &le, 4);
}

static void
put_f32 (GByteArray *ba, float f)
{
  guint32 u;

  memcpy (&u, &f, 4);
  put_u32 (ba, u);
}

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static float
get_f32 (const guint8 *p)
{
  guint32 u = get_u32 (p);
  float f;

  memcpy (&f, &u, 4);
  return f;
}

GBytes *
tc_model_to_bytes (const TcModel *model, const char *meta_json, GError **error)
{
  const TcModelConfig *c = tc_model_get_config (model);
  gsize n = tc_model_n_params (model);
  const float *params = tc_model_get_params ((TcModel *) model);
  gsize meta_len = meta_json ? strlen (meta_json) : 0;
  GByteArray *ba;
  guint64 n_le = GUINT64_TO_LE ((guint64) n);

  if (meta_len > G_MAXUINT32)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, "the model's metadata is too large");
      return NULL;
    }
  ba = g_byte_array_sized_new (64 + meta_len + 4 * n);
  g_byte_array_append (ba, (const guint8 *) TC_CHECKPOINT_MAGIC, 8);
  put_u32 (ba, c->text_dim > 0 ? TC_CHECKPOINT_VERSION : 1u);
  put_u32 (ba, c->text_dim > 0 ? TC_CHECKPOINT_CONFIG_WORDS : TC_CHECKPOINT_CONFIG_WORDS_V1);
  put_u32 (ba, c->patch_len);
  put_u32 (ba, c->n_tokens);
  put_u32 (ba, c->n_future_tokens);
  put_u32 (ba, c->n_features);
  put_u32 (ba, c->d_model);
  put_u32 (ba, c->n_heads);
  put_u32 (ba, c->n_layers);
  put_u32 (ba, c->d_ff);
  put_f32 (ba, c->dropout);
  put_u32 (ba, (guint32) c->loss);
  put_u32 (ba, c->n_quantiles);
  for (guint i = 0; i < TC_MODEL_MAX_QUANTILES; i++)
    put_f32 (ba, c->quantiles[i]);
  put_u32 (ba, c->n_static);
  for (guint i = 0; i < TC_MODEL_MAX_STATIC; i++)
    put_u32 (ba, c->static_cardinality[i]);
  if (c->text_dim > 0)
    {
      put_u32 (ba, c->text_dim);
      put_u32 (ba, c->text_buckets);
      put_u32 (ba, c->text_offset);
    }
  g_byte_array_append (ba, (const guint8 *) &n_le, 8);
  put_u32 (ba, (guint32) meta_len);
  if (meta_len > 0)
    g_byte_array_append (ba, (const guint8 *) meta_json, (guint) meta_len);
  for (gsize i = 0; i < n; i++)
    put_f32 (ba, params[i]);
  put_u32 (ba, tc_crc32 (ba->data, ba->len));
  return g_byte_array_free_to_bytes (ba);
}

gboolean
tc_model_save (const TcModel *model, const char *meta_json, const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local = NULL;

  bytes = tc_model_to_bytes (model, meta_json, &local);
  /* Atomic: a crash or a full disk leaves the old model or the new one,
   * never half of one (tc-file.h). */
  if (bytes == NULL
      || !tc_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &local))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, "Cannot save model to “%s”: %s",
                   path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* The model in @data (@len bytes); @path names them in the messages. */
static TcModel *
model_parse (const guint8 *data, gsize len, const char *path, char **meta_json, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (TcModel) model = NULL;
  TcModelConfig cfg;
  gsize pos, meta_len, expect;
  guint32 version, words, crc_stored, crc_actual;
  guint64 n_params;
  const guint8 *p;

  if (meta_json)
    *meta_json = NULL;
  if (len < 16)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   "Model file “%s” is truncated: %" G_GSIZE_FORMAT " bytes, too short for a header",
                   path, len);
      return NULL;
    }
  if (memcmp (data, TC_CHECKPOINT_MAGIC, 8) != 0)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   "“%s” is not a Trendcast model file (bad magic bytes)", path);
      return NULL;
    }
  version = get_u32 (data + 8);
  if (version < 1 || version > TC_CHECKPOINT_VERSION)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   "Model file “%s” has format version %u; this build reads version %u",
                   path, version, TC_CHECKPOINT_VERSION);
      return NULL;
    }
  words = get_u32 (data + 12);
  if (words != (version == 1 ? TC_CHECKPOINT_CONFIG_WORDS_V1 : TC_CHECKPOINT_CONFIG_WORDS))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   "Model file “%s” has a damaged header: %u configuration words, expected %u",
                   path, words, version == 1 ? TC_CHECKPOINT_CONFIG_WORDS_V1 : TC_CHECKPOINT_CONFIG_WORDS);
      return NULL;
    }
  pos = 16 + 4 * (gsize) words;
  if (len < pos + 12)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   "Model file “%s” is truncated inside its header (%" G_GSIZE_FORMAT " bytes)",
                   path, len);
      return NULL;
    }
  memcpy (&n_params, data + pos, 8);
  n_params = GUINT64_FROM_LE (n_params);
  meta_len = get_u32 (data + pos + 8);
  pos += 12;
  if (n_params > (G_MAXSIZE - pos - meta_len - 4) / 4)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   "Model file “%s” has a damaged header: %" G_GUINT64_FORMAT " parameters",
                   path, n_params);
      return NULL;
    }
  expect = pos + meta_len + 4 * (gsize) n_params + 4;
  if (len != expect)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   len < expect
                   ? "Model file “%s” is truncated: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT
                   : "Model file “%s” has trailing data: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
                   path, len, expect);
      return NULL;
    }
  crc_stored = get_u32 (data + len - 4);
  crc_actual = tc_crc32 (data, len - 4);
  if (crc_stored != crc_actual)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                   "Model file “%s” is corrupt: checksum %08x does not match the stored %08x",
                   path, crc_actual, crc_stored);
      return NULL;
    }

  p = data + 16;
  memset (&cfg, 0, sizeof cfg);
  cfg.patch_len = get_u32 (p + 0);
  cfg.n_tokens = get_u32 (p + 4);
  cfg.n_future_tokens = get_u32 (p + 8);
  cfg.n_features = get_u32 (p + 12);
  cfg.d_model = get_u32 (p + 16);
  cfg.n_heads = get_u32 (p + 20);
  cfg.n_layers = get_u32 (p + 24);
  cfg.d_ff = get_u32 (p + 28);
  cfg.dropout = get_f32 (p + 32);
  cfg.loss = (TcLossKind) get_u32 (p + 36);
  cfg.n_quantiles = get_u32 (p + 40);
  for (guint i = 0; i < TC_MODEL_MAX_QUANTILES; i++)
    cfg.quantiles[i] = get_f32 (p + 44 + 4 * i);
  cfg.n_static = get_u32 (p + 44 + 4 * TC_MODEL_MAX_QUANTILES);
  for (guint i = 0; i < TC_MODEL_MAX_STATIC; i++)
    cfg.static_cardinality[i] = get_u32 (p + 48 + 4 * TC_MODEL_MAX_QUANTILES + 4 * i);
  if (version >= 2)
    {
      cfg.text_dim = get_u32 (p + 4 * TC_CHECKPOINT_CONFIG_WORDS_V1);
      cfg.text_buckets = get_u32 (p + 4 * TC_CHECKPOINT_CONFIG_WORDS_V1 + 4);
      cfg.text_offset = get_u32 (p + 4 * TC_CHECKPOINT_CONFIG_WORDS_V1 + 8);
    }

  if (!tc_model_config_validate (&cfg, &local))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   "Model file “%s” holds an unusable configuration: %s", path, local->message);
      return NULL;
    }
  if (tc_model_config_n_params (&cfg) != n_params)
    {
      g_set_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE,
                   "Model file “%s” has %" G_GUINT64_FORMAT " parameters but its configuration needs %"
                   G_GSIZE_FORMAT, path, n_params, tc_model_config_n_params (&cfg));
      return NULL;
    }
  model = tc_model_new (&cfg, 0, error);
  if (model == NULL)
    return NULL;
  {
    float *params = tc_model_get_params (model);
    const guint8 *src = data + pos + meta_len;

    for (gsize i = 0; i < n_params; i++)
      {
        params[i] = get_f32 (src + 4 * i);
        /* Training never saves a NaN or infinite weight (it stops on a
         * non-finite loss), so one here is damage that the checksum
         * could not see (written so) and would make every forecast NaN. */
        if (!isfinite (params[i]))
          {
            g_set_error (error, TC_ERROR, TC_ERROR_CORRUPT,
                         "Model file “%s” is corrupt: weight %" G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT
                         " is %s, not a finite number",
                         path, i + 1, n_params, isnan (params[i]) ? "NaN" : "infinite");
            return NULL;
          }
      }
  }
  if (meta_json)
    *meta_json = g_strndup ((const char *) data + pos, meta_len);
  return g_steal_pointer (&model);
}

TcModel *
tc_model_load (const char *path, char **meta_json, GError **error)
{
  g_autofree guint8 *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize len = 0;

  if (meta_json)
    *meta_json = NULL;
  if (!tc_file_check_regular (path, "Cannot read model", error))
    return NULL;
  if (!g_file_get_contents (path, (char **) &data, &len, &local))
    {
      g_set_error (error, TC_ERROR, TC_ERROR_IO, "Cannot read model “%s”: %s",
                   path, local->message);
      return NULL;
    }
  return model_parse (data, len, path, meta_json, error);
}

TcModel *
tc_model_from_bytes (GBytes *bytes, const char *name, char **meta_json, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return model_parse (data, len, name ? name : "(in memory)", meta_json, error);
}
