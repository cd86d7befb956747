/* tc-model.h — the Transformer forecaster: forward, backward, AdamW, checkpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model sees a window cut into N tokens of P steps each; token
 * inputs are the patch's P x F features flattened.  The last
 * n_future_tokens tokens are the forecast horizon; the head predicts Q
 * quantiles for each of their P steps.
 *
 *   x      (B, N, P*F)        token inputs
 *   stat   (B, n_static)      static category ids, each < static_cardinality[i]
 *   out    (B, H, Q)          H = n_future_tokens * P, quantiles ascending
 *   y      (B, H)             targets (normalised by the caller)
 *   w      (B, H)             per-step loss weight; 0 masks a step out
 *
 * Everything this header promises is what the forecasting pipeline uses;
 * the layers themselves live in tc-nn.h.
 */
#pragma once

#include <glib.h>

#include "tc-text.h"

G_BEGIN_DECLS

#define TC_MODEL_MAX_QUANTILES 9
#define TC_MODEL_MAX_STATIC    8

typedef enum
{
  TC_LOSS_PINBALL = 0,
  TC_LOSS_MSE,
} TcLossKind;

typedef struct
{
  guint      patch_len;          /* P */
  guint      n_tokens;           /* N = (context + horizon) / P */
  guint      n_future_tokens;    /* horizon / P */
  guint      n_features;         /* F */
  guint      d_model;
  guint      n_heads;
  guint      n_layers;
  guint      d_ff;
  float      dropout;
  TcLossKind loss;
  guint      n_quantiles;        /* Q; 1 with MSE */
  float      quantiles[TC_MODEL_MAX_QUANTILES];  /* ascending, e.g. 0.1 0.5 0.9 */
  guint      n_static;
  guint      static_cardinality[TC_MODEL_MAX_STATIC];
  /* The text layer (tc-text-layer.h), trained with the network: 0 = none.
   * Its input channels text_offset .. text_offset + text_dim of every
   * step carry a bag id in, the pooled embedding and the volume out. */
  guint      text_dim;           /* D_t */
  guint      text_buckets;       /* rows of the embedding */
  guint      text_offset;        /* f0, first text channel of a step */
} TcModelConfig;

typedef struct
{
  float lr;            /* peak learning rate */
  float beta1;         /* 0.9 */
  float beta2;         /* 0.999 */
  float eps;           /* 1e-8 */
  float weight_decay;  /* decoupled, on weight matrices only */
  float clip_norm;     /* global gradient-norm clip; 0 = off */
  guint warmup_steps;
  guint total_steps;   /* cosine decay to 10 % of lr at total_steps */
} TcAdamWConfig;

typedef struct _TcModel TcModel;

/* Fills @cfg with the default architecture (d 64, 4 heads, 3 layers, d_ff 256,
 * pinball loss on 0.1/0.5/0.9) for the given shapes. */
void      tc_model_config_init       (TcModelConfig       *cfg,
                                      guint                patch_len,
                                      guint                n_tokens,
                                      guint                n_future_tokens,
                                      guint                n_features);
gboolean  tc_model_config_validate   (const TcModelConfig *cfg,
                                      GError             **error);
gsize     tc_model_config_n_params   (const TcModelConfig *cfg);

TcModel  *tc_model_new               (const TcModelConfig *cfg,
                                      guint64              seed,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void      tc_model_free              (TcModel             *model);
/* Same configuration and weights, fresh work buffers (tc-model.c). */
TcModel  *tc_model_dup               (const TcModel       *model) G_GNUC_WARN_UNUSED_RESULT;
const TcModelConfig *tc_model_get_config (const TcModel   *model);
gsize     tc_model_n_params          (const TcModel       *model);
/* Threads of the model's own pool (default 1).  The pool runs every part
 * of a step, the matrix products included: each thread runs the forward
 * kernel or a single-threaded sgemm on its block of rows, or, for a batch
 * of at least 8 windows per thread, a training step's or a prediction's
 * forward and backward of its own share of the windows (gradients summed
 * in a fixed order).  With n_threads > 1 OpenBLAS is set to one thread
 * (tc_model_new also does so; see tc_model_set_blas_threads).  Same seed
 * and thread count give bit-identical losses; forecasts are the same bits
 * for any thread count. */
/* tc_model_predict's matrix products in bfloat16 with fp32 sums
 * (tc_nn_linear_forward_bf16): about twice the arithmetic rate on CPUs
 * with AVX512-BF16, forecasts within a few tenths of a percent of fp32.
 * Off by default; training and tc_model_forward always use fp32.
 * Returns whether it is on: FALSE where the CPU lacks the instructions. */
gboolean  tc_model_set_bf16          (TcModel             *model,
                                      gboolean             bf16);
gboolean  tc_model_get_bf16          (const TcModel       *model);
void      tc_model_set_threads       (TcModel             *model,
                                      guint                n_threads);

/* Forward pass; @out (B, H, Q) may be NULL during training.  With
 * @training, dropout is active.  Activations are kept for backward; the
 * buffers grow to the largest B seen (no allocation for a B seen before). */
void      tc_model_forward           (TcModel             *model,
                                      guint                batch,
                                      const float         *x,
                                      const guint         *stat,
                                      gboolean             training,
                                      float               *out);
/* Inference: the same forecasts as tc_model_forward without training
 * (to float rounding), with less work: the last layer computes queries,
 * attention, residual and feed-forward for the n_future_tokens tokens the
 * head reads only (keys and values still for all tokens).  Keeps no
 * activations for backward (tc_model_backward refuses after it), nor the
 * last layer's attention weights.  tc_model_loss works after it.  With
 * several threads and at least 8 windows per thread, each thread runs a
 * share of the windows through the whole forward (the same bits as one
 * thread); no attention weights are kept then. */
void      tc_model_predict           (TcModel             *model,
                                      guint                batch,
                                      const float         *x,
                                      const guint         *stat,
                                      float               *out);
/* Loss of the last forward pass against @y with weights @w (both (B, H)):
 * pinball averaged over weighted steps and quantiles, or MSE on the median. */
float     tc_model_loss              (TcModel             *model,
                                      const float         *y,
                                      const float         *w);
/* Backward of the last forward + loss; accumulates into the gradients. */
void      tc_model_backward          (TcModel             *model);
void      tc_model_zero_grad         (TcModel             *model);
/* Global gradient norm, clipping, the scheduled lr for @step, and one AdamW update. */
float     tc_model_adamw_step        (TcModel             *model,
                                      const TcAdamWConfig *opt,
                                      guint                step);
float     tc_adamw_lr_at             (const TcAdamWConfig *opt,
                                      guint                step);
void      tc_adamw_config_init       (TcAdamWConfig       *opt);

/* Attention weights of the last forward pass of layer @layer for batch
 * item @b: (n_heads, N, N).  NULL when no forward has run. */
const float *tc_model_get_attention  (const TcModel       *model,
                                      guint                layer,
                                      guint                b);

/* Weights as one flat buffer (n_params), for keeping the best weights. */
float    *tc_model_get_params        (TcModel             *model);
void      tc_model_copy_params_from  (TcModel             *model,
                                      const float         *params);

/* Checkpoint: versioned binary (magic, header with the config and the
 * caller's @meta_json: feature schema, normalisation statistics), then
 * little-endian floats and a checksum; written atomically. */
gboolean  tc_model_save              (const TcModel       *model,
                                      const char          *meta_json,
                                      const char          *path,
                                      GError             **error);
/* The bytes tc_model_save writes, for containers of several models.
 * NULL (and @error) only when @meta_json is too large. */
GBytes   *tc_model_to_bytes          (const TcModel       *model,
                                      const char          *meta_json,
                                      GError             **error);
TcModel  *tc_model_load              (const char          *path,
                                      char               **meta_json,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* The model in @bytes as tc_model_to_bytes wrote them; @name says where
 * they came from in error messages (a file name, "ensemble member 2"). */
TcModel  *tc_model_from_bytes        (GBytes              *bytes,
                                      const char          *name,
                                      char               **meta_json,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* --- Additions beyond the original contract --- */

/* Threads of OpenBLAS (process-wide; wraps openblas_set_num_threads). */
void      tc_model_set_blas_threads  (guint                n_threads);
/* Key mask (B, N): 1 = valid token, 0 = masked key (gets -inf before the
 * softmax).  Applies to every later forward with batch <= @batch until
 * cleared with a NULL @mask.  Copies @mask. */
gboolean  tc_model_set_key_mask      (TcModel             *model,
                                      guint                batch,
                                      const guint8        *mask);
/* The next training forwards' windows are windows @first .. of a larger
 * batch split over processes (tc-parallel.h): their dropout masks are the
 * ones the whole batch would draw for them.  0 by default. */
void      tc_model_set_dropout_first (TcModel             *model,
                                      guint                first);
/* The review bags the text channels' ids refer to (tc-text.h), shared
 * (a reference is taken; NULL drops it).  Without bags every step counts
 * as one without text.  Models without a text layer ignore them. */
void      tc_model_set_text_bags     (TcModel             *model,
                                      TcTextBags          *bags);
/* Gradients as one flat buffer (n_params), same layout as the params. */
float    *tc_model_get_grads         (TcModel             *model);
/* Batch of the last forward pass, 0 before any. */
guint     tc_model_get_batch         (const TcModel       *model);
/* Matrix-product FLOPs (2*m*n*k each, attention included) of one window,
 * tc_model_predict's or a training forward + backward. */
double    tc_model_flops_per_window  (const TcModelConfig *cfg,
                                      gboolean             with_backward);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcModel, tc_model_free)

/* Index of the level closest to 0.5 among @n quantile levels: the
 * median, the point forecast.  The one rule every module uses. */
guint tc_quantile_median_index (const float *q,
                                guint        n);

G_END_DECLS
