/* tc-text-layer.h — the learnt text signal: an embedding bag over hashed n-grams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text layer turns the bag of review ids of one series and period
 * (tc-text.h) into D_t numbers, the mean of the learnt embedding rows
 *
 *   out[j] = sum_i w_i E[id_i, j]        E (n_buckets, D_t), w from the bag
 *
 * plus one volume channel log1p (reviews).  It works in place on the
 * model's input rows: a row of F features carries the bag id (as a float,
 * exact below 2^24) in channel f0, and the forward writes the D_t + 1
 * channels f0 .. f0 + D_t over it.  The model calls it before its first
 * linear layer and its backward with the gradient of those channels, so
 * E trains with the network (tc-model.c).  Nothing here is a word list:
 * what an id means comes only from the sales.
 */
#pragma once

#include "tc-text.h"

G_BEGIN_DECLS

/* @x (rows, F): channel @f0 of every row holds a bag id (0 = no text; an
 * id outside @bags, or any id when @bags is NULL, counts as no text).
 * Writes the D_t embedding channels and the volume channel and stores
 * each row's bag in @slots (rows). */
void tc_text_layer_forward  (const TcTextBags *bags,
                             const float      *E,      /* (n_buckets, d_text) */
                             guint             d_text,
                             float            *x,      /* (rows, F) */
                             gsize             rows,
                             gsize             F,
                             gsize             f0,
                             guint            *slots); /* (rows) out */

/* Accumulates into @dE (n_buckets, d_text) the gradient of the rows'
 * embedding channels @dout (rows, d_text); the volume channel has no
 * parameter. */
void tc_text_layer_backward (const TcTextBags *bags,
                             float            *dE,     /* (n_buckets, d_text) */
                             guint             d_text,
                             const float      *dout,   /* (rows, d_text) */
                             gsize             rows,
                             const guint      *slots); /* (rows) */

/* The gradient of the text embedding channels of the model's input
 * rows, from the gradient @dres (BT, d_model) of the first linear layer's
 * output y = x W^T, W (d_model, P*F): dout[r*P + p, j] =
 * sum_k dres[r, k] W[k, p*F + f0 + j].  Only these columns are needed,
 * so the full input gradient is never formed. */
void tc_text_layer_input_grad (float       *dout,     /* (BT*P, d_text) */
                               const float *dres,     /* (BT, d_model) */
                               const float *W,        /* (d_model, P*F) */
                               gsize        BT,
                               gsize        d_model,
                               gsize        P,
                               gsize        F,
                               gsize        f0,
                               guint        d_text);

G_END_DECLS
