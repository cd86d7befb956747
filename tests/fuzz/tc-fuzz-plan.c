/* tc-fuzz-plan.c — future-plan CSV files (planned prices and promotions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: two option bytes, then the plan file.
 *
 *   byte 0  bits 0-2 delimiter (detect , ; tab |), bits 3-5 encoding
 *           (detect UTF-8 UTF-16LE UTF-16BE GB18030), bit 6 pass no
 *           import report, bit 7 resolve against the tiny model
 *   byte 1  bits 0-1 the data the plan belongs to (two series daily with
 *           a holiday column of names, one series weekly, two series
 *           monthly without covariates)
 *
 * The data and its model are made once per process: they are the
 * context a plan is read in, not what is fuzzed.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tc-forecaster.h"
#include "tc-future-plan.h"
#include "tc-import.h"
#include "tc-fuzz.h"

#define N_BASES 3

typedef struct
{
  TcImportOptions opts;
  TcImportReport *report;
  TcDataset      *ds;
  TcForecaster   *fc;
} Base;

static Base bases[N_BASES];

static char *
base_csv (guint which)
{
  GString *s = g_string_new (NULL);

  switch (which)
    {
    case 0:
      g_string_append (s, "date,sku,units,price,promo,holiday\n");
      for (guint d = 1; d <= 28; d++)
        for (guint k = 0; k < 2; k++)
          g_string_append_printf (s, "2024-02-%02u,%s,%u,%s,%u,%s\n", d, k ? "b" : "a",
                                  (d * 7 + k) % 13, k ? "9.90" : "12.50", d % 7 == 0,
                                  d == 14 ? "valentine" : "");
      break;
    case 1:
      g_string_append (s, "week;units;discount\n");
      for (guint w = 1; w <= 30; w++)
        g_string_append_printf (s, "2023-W%02u;%u;0,%u\n", w, 100 + w % 9, w % 3);
      break;
    default:
      g_string_append (s, "month,store,sales\n");
      for (guint m = 1; m <= 24; m++)
        for (guint k = 0; k < 2; k++)
          g_string_append_printf (s, "%04u-%02u,%c,%u\n", 2022 + (m - 1) / 12, (m - 1) % 12 + 1,
                                  'x' + k, 1000 + m * 10 + k);
      break;
    }
  return g_string_free (s, FALSE);
}

static Base *
get_base (guint which)
{
  Base *b = &bases[which];
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  TcForecasterOptions fo;

  if (b->ds)
    return b;
  csv = base_csv (which);
  path = tc_fuzz_temp_path ("base.csv");
  if (!g_file_set_contents (path, csv, -1, &error))
    g_error ("%s", error->message);   /* a broken harness, not a finding */
  tc_import_options_init (&b->opts);
  b->ds = tc_import_file (path, &b->opts, &b->report, NULL, &error);
  g_unlink (path);
  if (b->ds == NULL)
    g_error ("the plan harness's data does not import: %s", error->message);

  /* The smallest network that trains in a blink. */
  tc_forecaster_options_init (&fo);
  fo.preset = TC_PRESET_CUSTOM;
  fo.horizon = 4;
  fo.context = 8;
  fo.patch = 4;
  fo.d_model = 8;
  fo.n_heads = 1;
  fo.n_layers = 1;
  fo.d_ff = 8;
  fo.max_epochs = 1;
  fo.steps_per_epoch = 1;
  fo.batch = 4;
  fo.threads = 1;
  b->fc = tc_forecaster_train (b->ds, &fo, NULL, NULL, NULL, &error);
  if (b->fc == NULL)
    g_error ("the plan harness's model does not train: %s", error->message);
  return b;
}

static const char delimiters[] = { 0, ',', ';', '\t', '|', 0, 0, 0 };
static const char *const encodings[] = { NULL, "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", NULL, NULL, NULL };

void
tc_fuzz_plan (const guint8 *data, gsize size)
{
  guint8 o[2] = { 0 };
  g_autofree char *path = tc_fuzz_temp_path ("plan.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (TcDataset) plan = NULL;
  TcImportOptions opts;
  Base *b;
  guint n_rows = 0;

  memcpy (o, data, MIN (size, 2));
  data += MIN (size, 2);
  size -= MIN (size, 2);
  b = get_base ((o[1] & 3) % N_BASES);
  if (!tc_fuzz_write_file (path, data, size))
    return;

  tc_import_options_copy (&opts, &b->opts);
  opts.delimiter = delimiters[o[0] & 7];
  g_free (opts.encoding);
  opts.encoding = g_strdup (encodings[(o[0] >> 3) & 7]);
  plan = tc_future_plan_read (path, b->ds, (o[0] & 0x40) ? NULL : b->report, &opts, &n_rows, &error);
  g_unlink (path);
  if (plan && (o[0] & 0x80))
    {
      guint n_assumed = 0;
      g_autoptr (TcDataset) resolved = tc_future_plan_resolve (b->fc, b->ds, plan, &n_assumed);
      g_autoptr (GError) err = NULL;
      g_autoptr (TcForecast) f = NULL;

      if (resolved)
        f = tc_forecaster_predict (b->fc, b->ds, resolved, b->ds->n_times, &err);
    }
  tc_import_options_clear (&opts);
}
