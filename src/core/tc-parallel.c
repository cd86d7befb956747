/* tc-parallel.c — data-parallel training over several processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-parallel"

#include "tc-parallel.h"

#include <math.h>

static TcParallel installed;
static gboolean   have_installed;

void
tc_parallel_install (const TcParallel *par)
{
  have_installed = par != NULL && par->n_ranks > 1;
  if (have_installed)
    installed = *par;
}

const TcParallel *
tc_parallel_get (void)
{
  return have_installed ? &installed : NULL;
}

guint
tc_parallel_rank (void)
{
  return have_installed ? installed.rank : 0;
}

guint
tc_parallel_n_ranks (void)
{
  return have_installed ? installed.n_ranks : 1;
}

void
tc_parallel_share (guint n, guint *first, guint *count)
{
  guint64 r = tc_parallel_rank (), R = tc_parallel_n_ranks ();
  guint lo = (guint) (n * r / R), hi = (guint) (n * (r + 1) / R);

  *first = lo;
  *count = hi - lo;
}

void
tc_parallel_sum (double *buf, gsize n)
{
  if (have_installed)
    installed.sum_doubles (buf, n, installed.user_data);
}

float
tc_parallel_reduce_grads (TcModel *model, float loss, double w_sum)
{
  float *g = tc_model_get_grads (model);
  gsize n = tc_model_n_params (model);
  /* (3): this share's weight, weighted loss, and a NaN flag, so that a
   * NaN on one rank stops every rank alike. */
  double meta[3];
  float scale;

  if (!have_installed)
    return loss;
  meta[0] = w_sum;
  meta[1] = w_sum > 0 ? (double) loss * w_sum : 0.0;
  meta[2] = w_sum > 0 && !isfinite (loss) ? 1.0 : 0.0;
  installed.sum_doubles (meta, 3, installed.user_data);
  /* The batch loss is sum_r W_r L_r / W, so its gradient is
   * sum_r (W_r / W) g_r: each rank scales its own before the sum. */
  scale = meta[0] > 0 ? (float) (w_sum / meta[0]) : 0.0f;
  for (gsize i = 0; i < n; i++)
    g[i] *= scale;
  installed.sum_floats (g, n, installed.user_data);
  if (meta[2] > 0)
    return NAN;
  return meta[0] > 0 ? (float) (meta[1] / meta[0]) : 0.0f;
}
