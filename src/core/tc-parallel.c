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
  /* (n_params + 3): W_r g_r, then W_r, W_r L_r and a NaN flag, so that
   * one collective per step carries everything and a NaN on one rank
   * stops every rank alike.  Grows to the largest model seen; training
   * runs on one thread. */
  static float *buf;
  static gsize  buf_n;
  float *g = tc_model_get_grads (model);
  gsize n = tc_model_n_params (model);
  gboolean nan_here = w_sum > 0 && !isfinite (loss);
  float wr = (float) w_sum, scale;

  if (!have_installed)
    return loss;
  if (buf_n < n + 3)
    {
      buf = g_renew (float, buf, n + 3);
      buf_n = n + 3;
    }
  /* The batch loss is sum_r W_r L_r / W, so its gradient is
   * sum_r W_r g_r / W. */
  for (gsize i = 0; i < n; i++)
    buf[i] = wr * g[i];
  buf[n] = wr;
  buf[n + 1] = w_sum > 0 && !nan_here ? wr * loss : 0.0f;
  buf[n + 2] = nan_here ? 1.0f : 0.0f;
  installed.sum_floats (buf, n + 3, installed.user_data);
  scale = buf[n] > 0 ? 1.0f / buf[n] : 0.0f;
  for (gsize i = 0; i < n; i++)
    g[i] = buf[i] * scale;
  if (buf[n + 2] > 0)
    return NAN;
  return buf[n] > 0 ? buf[n + 1] / buf[n] : 0.0f;
}
