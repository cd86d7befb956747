/* tc-parallel.h — data-parallel training over several processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core knows nothing of MPI: a launcher (trendcast-cli under mpirun,
 * src/cli/tc-cli-mpi.c) installs a TcParallel whose callbacks sum buffers
 * over all ranks.  Every rank then loads the same data, draws the same
 * batches (same seed), runs forward and backward on its own share of each
 * batch's windows, and the gradients are summed, weighted by each share's
 * loss weight, so that every rank takes the same AdamW step as one
 * process on the whole batch would (up to float summation order).
 * Validation windows are split the same way and their loss summed, so
 * that early stopping decides alike on every rank.
 *
 * With nothing installed (the app, the tests, a plain run) every function
 * here is the identity on one rank and costs nothing.
 */
#pragma once

#include <glib.h>

#include "tc-model.h"

G_BEGIN_DECLS

typedef struct
{
  guint    rank;      /* 0 .. n_ranks - 1 */
  guint    n_ranks;   /* >= 1 */
  /* In place: buf[i] = sum over ranks of buf[i], the same bits on every
   * rank.  Called collectively: every rank calls it the same number of
   * times with the same n. */
  void   (*sum_floats)  (float  *buf, gsize n, gpointer user_data);
  void   (*sum_doubles) (double *buf, gsize n, gpointer user_data);
  gpointer user_data;
} TcParallel;

/* Installs @par process-wide (copied), or removes it with NULL.  Call
 * before training starts, from the thread that trains. */
void              tc_parallel_install (const TcParallel *par);
/* The installed one, or NULL for a single process. */
const TcParallel *tc_parallel_get     (void);
guint             tc_parallel_rank    (void);
guint             tc_parallel_n_ranks (void);

/* This rank's share [*first, *first + *count) of @n items: contiguous,
 * sizes differing by at most one. */
void              tc_parallel_share   (guint  n,
                                       guint *first,
                                       guint *count);

/* After tc_model_backward of this rank's share: makes the model's
 * gradients the gradients of the whole batch's loss, on every rank.
 * @loss is this share's loss (tc_model_loss; ignored when @w_sum is 0),
 * @w_sum the sum of its step weights.  Returns the whole batch's loss
 * (NaN if any rank's is).  On one rank returns @loss untouched. */
float             tc_parallel_reduce_grads (TcModel *model,
                                            float    loss,
                                            double   w_sum);

/* Sums @n doubles over ranks in place (identity on one rank). */
void              tc_parallel_sum     (double *buf,
                                       gsize   n);

G_END_DECLS
