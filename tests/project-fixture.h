/* project-fixture.h — a real CSV and a tiny trained session for the
 * project tests (tests/core/test-project.c, tests/cli/test-cli-project.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "tc-session.h"
#include "core/tc-synth.h"

#define N_SERIES 6
#define N_TIMES 80
#define H 4

static void
write_csv (const char *path)
{
  g_autoptr (TcDataset) ds = synth_dataset (N_SERIES, N_TIMES, 11);
  GString *s = g_string_new ("date,sku,units,promo,price\n");

  for (guint i = 0; i < ds->n_series; i++)
    for (guint t = 0; t < ds->n_times; t++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ds->times[t]);
        g_autofree char *d = g_date_time_format (dt, "%Y-%m-%d");
        double y = tc_dataset_target_row (ds, i)[t];

        if (isnan (y))
          continue;
        g_string_append_printf (s, "%s,%s,%.0f,%.0f,%.2f\n", d, ds->series_ids[i], y,
                                tc_dataset_known_row (ds, 0, i)[t], tc_dataset_known_row (ds, 1, i)[t]);
      }
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  g_string_free (s, TRUE);
}

static void
import_options (TcImportOptions *o)
{
  const char *series[] = { "sku", NULL }, *known[] = { "promo", "price", NULL };

  tc_import_options_init (o);
  o->date_col = g_strdup ("date");
  o->series_cols = g_strdupv ((char **) series);
  o->target_col = g_strdup ("units");
  o->known_cols = g_strdupv ((char **) known);
}

static TcSession *
trained_session (const char *csv_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (csv_path);
  TcSession *session = tc_session_new ();
  TcForecasterOptions o;
  TcImportOptions iopts;
  TcForecaster *fc;
  TcDataset *future;

  import_options (&iopts);
  g_assert_true (tc_session_import (session, file, &iopts, NULL, &error));
  g_assert_no_error (error);
  tc_import_options_clear (&iopts);

  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.patch = 4;
  o.context = 16;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.dropout = 0;
  o.batch = 16;
  o.max_epochs = 2;
  o.steps_per_epoch = 5;
  o.seed = 3;
  o.threads = 1;
  fc = tc_forecaster_train (tc_session_get_dataset (session), &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  tc_session_set_forecaster (session, fc);

  /* A plan: a promotion on the first forecast date of every series. */
  future = tc_forecaster_future_template (fc, tc_session_get_dataset (session), TRUE);
  for (guint s = 0; s < future->n_series; s++)
    tc_dataset_known_row (future, 0, s)[0] = 1;
  tc_session_set_future (session, future);
  return session;
}

