/* tc-fuzz-model.c — model files: the checkpoint reader, the forecaster
 * description, ensembles, and a forecast with what was loaded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-forecaster-private.h"
#include "tc-fuzz.h"

#define SINGLE_MAGIC   "TCMODEL\0"
#define ENSEMBLE_MAGIC "TCENSMB1"

static guint32
crc32_ieee (const guint8 *p, gsize n)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & -(c & 1u));
    }
  return c ^ 0xffffffffu;
}

/* A mutated file almost never keeps its CRC-32, and the loader rightly
 * refuses it before parsing anything: write the right one so that the
 * fuzzer gets past the check. */
static void
fix_single (guint8 *p, gsize n)
{
  guint32 crc;

  if (n < 20 || memcmp (p, SINGLE_MAGIC, 8) != 0)
    return;
  crc = GUINT32_TO_LE (crc32_ieee (p, n - 4));
  memcpy (p + n - 4, &crc, 4);
}

void
tc_fuzz_fix_checksums (guint8 *p, gsize n)
{
  gsize off = 12;

  if (n < 12 || memcmp (p, ENSEMBLE_MAGIC, 8) != 0)
    {
      fix_single (p, n);
      return;
    }
  while (n - off >= 8)
    {
      guint64 len;

      memcpy (&len, p + off, 8);
      len = GUINT64_FROM_LE (len);
      off += 8;
      if (len > n - off)
        break;
      fix_single (p + off, len);
      off += len;
    }
}

/* A small dataset with every covariate the model knows, so that the
 * loaded weights (NaN, huge, denormal …) really go through the network. */
static TcDataset *
tiny_dataset (TcForecaster *fc, guint n_times)
{
  const char *const *known = tc_forecaster_get_known_names (fc);
  const char *const *observed = tc_forecaster_get_observed_names (fc);
  const char *const *stat = tc_forecaster_get_static_names (fc);
  const char *target = tc_forecaster_get_target_name (fc);
  guint n_known = known ? g_strv_length ((char **) known) : 0;
  guint n_observed = observed ? g_strv_length ((char **) observed) : 0;
  guint n_static = stat ? g_strv_length ((char **) stat) : 0;
  TcFrequency freq = fc->schema->freq == TC_FREQ_UNKNOWN ? TC_FREQ_WEEKLY : fc->schema->freq;
  TcDataset *ds = tc_dataset_new (freq, 2, n_times, n_known, n_observed, n_static, FALSE);
  gint64 t = 1704067200; /* 2024-01-01, a Monday */

  ds->target_name = g_strdup (target ? target : "units");
  for (guint s = 0; s < 2; s++)
    ds->series_ids[s] = g_strdup_printf ("s%u", s);
  for (guint i = 0; i < n_times; i++)
    {
      ds->times[i] = t;
      t = tc_frequency_advance (freq, t, 1);
      for (guint s = 0; s < 2; s++)
        {
          tc_dataset_target_row (ds, s)[i] = (i * 7 + s * 3) % 11;
          for (guint k = 0; k < n_known; k++)
            tc_dataset_known_row (ds, k, s)[i] = (i + k) % 2;
          for (guint k = 0; k < n_observed; k++)
            tc_dataset_observed_row (ds, k, s)[i] = i % 5;
        }
    }
  for (guint k = 0; k < n_known; k++)
    ds->known_names[k] = g_strdup (known[k]);
  for (guint k = 0; k < n_observed; k++)
    ds->observed_names[k] = g_strdup (observed[k]);
  for (guint k = 0; k < n_static; k++)
    {
      ds->static_names[k] = g_strdup (stat[k]);
      for (guint s = 0; s < 2; s++)
        ds->static_values[s * n_static + k] = g_strdup (s ? "b" : "a");
    }
  tc_dataset_update_bounds (ds);
  return ds;
}

void
tc_fuzz_model (const guint8 *data, gsize size)
{
  g_autofree char *path = tc_fuzz_temp_path ("model.tcm");
  g_autofree guint8 *copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcForecaster) fc = NULL;
  guint8 mode = size > 0 ? data[0] : 0;

  if (size > 0)
    {
      data++;
      size--;
    }
  copy = g_memdup2 (data, size);
  if (!(mode & 1))
    tc_fuzz_fix_checksums (copy, size);
  if (!tc_fuzz_write_file (path, copy, size))
    return;

  fc = tc_forecaster_load (path, &error);
  g_unlink (path);
  if (fc == NULL || (mode & 2))
    return;

  {
    /* Shorter than the context (padding) or a little longer. */
    guint n_times = 1 + (mode >> 2) * MIN (fc->schema->context + 8, 600) / 63;
    g_autoptr (TcDataset) ds = tiny_dataset (fc, n_times);
    g_autoptr (TcDataset) future = tc_forecaster_future_template (fc, ds, TRUE);
    g_autoptr (GError) err = NULL;
    g_autoptr (TcForecast) f = NULL;

    f = tc_forecaster_predict (fc, ds, future, ds->n_times, &err);
  }
}
