/* tc-nn.h — Transformer layers on plain float buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every layer is a forward/backward pair working on row-major float
 * buffers with explicit sizes, in the style of llm.c.  Backward functions
 * ACCUMULATE (+=) into every gradient they are given, inputs and
 * parameters alike, so the caller zeroes what must start at zero.
 *
 * Naming of sizes: M rows (B*N tokens), n_in/n_out features, C channels,
 * B batch, N tokens, d model width, h heads.
 *
 * Functions taking a TcPool spread their rows over its threads; a NULL
 * pool runs on the calling thread.  Work is split by independent rows or
 * (batch, head) pairs and every reduction runs in a fixed order, so the
 * same thread count gives bit-identical results.  Only the matrix
 * products may differ in the last bits between thread counts, because
 * OpenBLAS may block a sub-matrix differently from the whole.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* --- Random numbers: xoshiro256**, seeded through splitmix64 --- */

typedef struct
{
  guint64 s[4];
} TcRng;

void    tc_rng_seed    (TcRng *rng, guint64 seed);
guint64 tc_rng_next    (TcRng *rng);
/* Uniform in [0, 1) with 24 random bits. */
float   tc_rng_uniform (TcRng *rng);
/* Standard normal (Box-Muller). */
float   tc_rng_normal  (TcRng *rng);
/* Stateless counter-based uniform in [0, 1): the same (key, index) gives
 * the same number on any thread. */
float   tc_rng_hash_uniform (guint64 key, guint64 index);

/* --- A small persistent thread pool --- */

typedef struct _TcPool TcPool;
/* Runs fn (begin, end, data) over the items [begin, end). */
typedef void (*TcPoolFunc) (gsize begin, gsize end, gpointer data);

/* @n_threads counts the calling thread; 1 means no workers. */
TcPool *tc_pool_new       (guint n_threads);
void    tc_pool_free      (TcPool *pool);
guint   tc_pool_n_threads (const TcPool *pool);
/* Splits [0, n_items) into contiguous chunks, one per thread, and returns
 * when all are done.  A NULL pool runs everything on the caller. */
void    tc_pool_for       (TcPool *pool, gsize n_items, TcPoolFunc fn, gpointer data);

/* --- Linear: out = inp W^T + b ---
 * The forward runs on tc-nn.c's own kernel, its row tiles split over the
 * pool's threads (the same bits for any thread count).  The backward
 * splits the rows of dinp and of dw over the threads, each calling
 * cblas_sgemm on its block: OpenBLAS should run single-threaded then (see
 * tc_model_set_threads). */

void tc_nn_linear_forward  (TcPool      *pool,
                            float       *out,   /* (M, n_out) */
                            const float *inp,   /* (M, n_in) */
                            const float *w,     /* (n_out, n_in) */
                            const float *b,     /* (n_out) or NULL */
                            gsize M, gsize n_in, gsize n_out);
/* Inference's residual branch in one call: out = res + inp W^T + b
 * (no separate add pass; out must not alias res or inp). */
void tc_nn_linear_residual_forward (TcPool      *pool,
                                    float       *out,   /* (M, n_out) */
                                    const float *res,   /* (M, n_out) */
                                    const float *inp,   /* (M, n_in) */
                                    const float *w,     /* (n_out, n_in) */
                                    const float *b,     /* (n_out) or NULL */
                                    gsize M, gsize n_in, gsize n_out);
/* Inference's feed-forward input in one call: out = gelu (inp W^T + b),
 * the same bits as tc_nn_linear_forward then tc_nn_bias_gelu_forward,
 * without keeping the pre-activation. */
void tc_nn_linear_gelu_forward (TcPool      *pool,
                                float       *out,   /* (M, n_out) */
                                const float *inp,   /* (M, n_in) */
                                const float *w,     /* (n_out, n_in) */
                                const float *b,     /* (n_out) or NULL */
                                gsize M, gsize n_in, gsize n_out);
/* The same product with both operands rounded to bfloat16 and fp32
 * sums (AVX512-BF16, tc-nn-bf16.c), for inference: out = [res +] inp W^T
 * + b, res may be NULL, then with @gelu out = gelu (out).  Where
 * tc_nn_bf16_supported () is FALSE this is the fp32 kernel exactly. */
gboolean tc_nn_bf16_supported      (void);
void     tc_nn_linear_forward_bf16 (TcPool      *pool,
                                    float       *out,   /* (M, n_out) */
                                    const float *res,   /* (M, n_out) or NULL */
                                    const float *inp,   /* (M, n_in) */
                                    const float *w,     /* (n_out, n_in) */
                                    const float *b,     /* (n_out) or NULL */
                                    gsize M, gsize n_in, gsize n_out,
                                    gboolean     gelu);
void tc_nn_linear_backward (TcPool      *pool,
                            float       *dinp,  /* (M, n_in) or NULL */
                            float       *dw,    /* (n_out, n_in) */
                            float       *db,    /* (n_out) or NULL */
                            const float *dout,  /* (M, n_out) */
                            const float *inp,   /* (M, n_in) */
                            const float *w,     /* (n_out, n_in) */
                            gsize M, gsize n_in, gsize n_out);
/* The same, but dinp is overwritten (=) instead of accumulated: saves
 * zeroing a scratch buffer first.  dw and db still accumulate. */
void tc_nn_linear_backward_set (TcPool *pool, float *dinp, float *dw, float *db,
                                const float *dout, const float *inp, const float *w,
                                gsize M, gsize n_in, gsize n_out);

/* --- LayerNorm over the last axis, eps 1e-5 as in PyTorch --- */

#define TC_NN_LN_EPS 1e-5f

void tc_nn_layernorm_forward  (TcPool      *pool,
                               float       *out,   /* (M, C) */
                               float       *mean,  /* (M) */
                               float       *rstd,  /* (M) */
                               const float *inp,   /* (M, C) */
                               const float *w,     /* (C) */
                               const float *b,     /* (C) */
                               gsize M, gsize C);
void tc_nn_layernorm_backward (TcPool      *pool,
                               float       *dinp,  /* (M, C) */
                               float       *dw,    /* (C) */
                               float       *db,    /* (C) */
                               const float *dout,  /* (M, C) */
                               const float *inp,   /* (M, C) */
                               const float *w,     /* (C) */
                               const float *mean,  /* (M) */
                               const float *rstd,  /* (M) */
                               gsize M, gsize C);

/* --- GELU, exact (erf) form as PyTorch's default --- */

float tc_nn_gelu (float x);
void tc_nn_gelu_forward  (TcPool *pool, float *out, const float *inp, gsize n);
/* Fused with the preceding Linear's bias (run that Linear with b = NULL):
 * pre (M, C) += bias (C) in place, then out (M, C) = gelu (pre). */
void tc_nn_bias_gelu_forward (TcPool *pool, float *out, float *pre, const float *bias,
                              gsize M, gsize C);
void tc_nn_gelu_backward (TcPool *pool, float *dinp, const float *inp, const float *dout, gsize n);
/* dinp = (not +=) the gradient. */
void tc_nn_gelu_backward_set (TcPool *pool, float *dinp, const float *inp, const float *dout,
                              gsize n);

/* --- Multi-head self-attention core (not causal) ---
 * Q, K and V of head j are the columns [j*hs, (j+1)*hs) of the three d-wide
 * thirds of qkv.  Masked keys (key_mask 0) get -inf before the softmax; a
 * row whose keys are all masked attends to nothing (zero output). */

/* Scratch floats per (window, head) pair that the attention kernels
 * need, for N tokens and a head size hs. */
gsize tc_nn_attention_scratch (gsize N, gsize hs);

void tc_nn_attention_forward  (TcPool       *pool,
                               float        *out,       /* (B, N, d) */
                               float        *att,       /* (B, h, N, N) softmax weights */
                               float        *scratch,   /* (B, h, tc_nn_attention_scratch (N, d/h)) */
                               const float  *qkv,       /* (B, N, 3d) */
                               const guint8 *key_mask,  /* (B, N) 1 = valid, or NULL */
                               gsize B, gsize N, gsize d, gsize h);
void tc_nn_attention_backward (TcPool       *pool,
                               float        *dqkv,      /* (B, N, 3d) */
                               float        *scratch,   /* (B, h, N, N) */
                               float        *scratch2,  /* (B, h, tc_nn_attention_scratch (N, d/h)) */
                               const float  *dout,      /* (B, N, d) */
                               const float  *qkv,       /* (B, N, 3d) */
                               const float  *att,       /* (B, h, N, N) */
                               gsize B, gsize N, gsize d, gsize h);

/* Inference for the last NQ query tokens only (what a head reading
 * those tokens needs): their queries against the keys and values of all
 * N tokens.  Head j's keys are the columns [j*hs, (j+1)*hs) of kv's first
 * d-wide half, its values those of the second. */
void tc_nn_attention_rows_forward (TcPool       *pool,
                                   float        *out,      /* (B, NQ, d) */
                                   float        *att,      /* (B, h, NQ, N) softmax weights */
                                   float        *scratch,  /* (B, h, tc_nn_attention_scratch (N, d/h)) */
                                   const float  *q,        /* (B, NQ, d) */
                                   const float  *kv,       /* (B, N, 2d) */
                                   const guint8 *key_mask, /* (B, N) 1 = valid, or NULL */
                                   gsize B, gsize N, gsize NQ, gsize d, gsize h);

/* --- Token embeddings: out += pos + sum of the static tables ---
 * tables holds the n_static tables one after the other, table i having
 * card[i] rows of d. */

void tc_nn_embedding_forward  (float       *out,     /* (B, N, d) */
                               const float *pos,     /* (N, d) */
                               const float *tables,  /* (sum card, d) */
                               const guint *card,    /* (n_static) */
                               const guint *stat,    /* (B, n_static) */
                               gsize n_static, gsize B, gsize N, gsize d);
void tc_nn_embedding_backward (float       *dpos,     /* (N, d) */
                               float       *dtables,  /* (sum card, d) */
                               const guint *card,     /* (n_static) */
                               const guint *stat,     /* (B, n_static) */
                               const float *dout,     /* (B, N, d) */
                               gsize n_static, gsize B, gsize N, gsize d);

/* --- Inverted dropout; mask holds 0 or 1/(1-p) --- */

void tc_nn_dropout_forward  (TcPool *pool, float *x, float *mask, gsize n, float p, guint64 key);
void tc_nn_dropout_backward (TcPool *pool, float *dinp, const float *dout, const float *mask, gsize n);
/* Fused residual branch: x = dropout (x) in place, out = res + x; the
 * same mask as tc_nn_dropout_forward with the same key. */
void tc_nn_dropout_add_forward (TcPool *pool, float *out, const float *res, float *x,
                                float *mask, gsize n, float p, guint64 key);
/* The same for elements index0 .. index0 + n - 1 of a larger tensor: the
 * slice gets the mask the whole tensor would (data-parallel shares). */
void tc_nn_dropout_add_forward_at (TcPool *pool, float *out, const float *res, float *x,
                                   float *mask, gsize n, float p, guint64 key, gsize index0);

/* --- Elementwise: out = a + b (out may alias a or b) --- */

void tc_nn_add (TcPool *pool, float *out, const float *a, const float *b, gsize n);

/* --- AdamW update of one tensor (PyTorch's formulation) ---
 * g is scaled by gscale (clipping) before entering the moments; p first
 * decays by (1 - lr * weight_decay); t is the 1-based step for the bias
 * corrections. */
void   tc_nn_adamw_update (TcPool *pool, float *p, const float *g, float *m, float *v, gsize n,
                           float lr, float beta1, float beta2, float eps, float weight_decay,
                           float gscale, guint t);
/* Sum of squares in double, for the global gradient norm. */
double tc_nn_sum_squares  (TcPool *pool, const float *g, gsize n);

/* --- Losses over M steps with Q quantile predictions each ---
 * Both average over the weighted steps: sum_m w_m * l_m / sum_m w_m, with
 * the pinball loss also averaged over the Q quantiles.  A zero weight sum
 * gives a zero loss and zero gradients. */

float tc_nn_pinball_forward  (const float *pred,  /* (M, Q) */
                              const float *y,     /* (M) */
                              const float *w,     /* (M) or NULL for all 1 */
                              const float *q,     /* (Q) */
                              gsize M, gsize Q);
void  tc_nn_pinball_backward (float       *dpred, /* (M, Q) */
                              const float *pred,
                              const float *y,
                              const float *w,
                              const float *q,
                              gsize M, gsize Q, float dloss);
/* MSE on column @qi of pred. */
float tc_nn_mse_forward  (const float *pred, const float *y, const float *w,
                          gsize M, gsize Q, gsize qi);
void  tc_nn_mse_backward (float *dpred, const float *pred, const float *y, const float *w,
                          gsize M, gsize Q, gsize qi, float dloss);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcPool, tc_pool_free)

G_END_DECLS
