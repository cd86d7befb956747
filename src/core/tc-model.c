/* tc-model.c — the Transformer forecaster: forward, backward, AdamW
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All weights live in ONE float buffer; a struct of typed views points
 * into it.  Gradients and the two AdamW moments use the same layout, so
 * the optimiser is a loop over flat arrays.  Activations live in one
 * buffer sized for the largest batch seen; a training step allocates
 * nothing.
 */

#define G_LOG_DOMAIN "tc-model"

#include "tc-model.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-nn.h"
#include "tc-text-layer.h"

#define TEXT_INIT_STD 0.1f

typedef struct
{
  float *ln1_w, *ln1_b;   /* (d) each */
  float *qkv_w;           /* (3d, d) */
  float *qkv_b;           /* (3d) */
  float *proj_w;          /* (d, d) */
  float *proj_b;          /* (d) */
  float *ln2_w, *ln2_b;   /* (d) each */
  float *fc1_w;           /* (d_ff, d) */
  float *fc1_b;           /* (d_ff) */
  float *fc2_w;           /* (d, d_ff) */
  float *fc2_b;           /* (d) */
} LayerParams;

typedef struct
{
  float       *emb_w;     /* (d, P*F) */
  float       *emb_b;     /* (d) */
  float       *pos;       /* (N, d) */
  float       *stat;      /* (sum static_cardinality, d) */
  LayerParams *layers;    /* (n_layers) */
  float       *lnf_w, *lnf_b;  /* (d) each */
  float       *head_w;    /* (P*Q, d) */
  float       *head_b;    /* (P*Q) */
  float       *text_E;    /* (text_buckets, text_dim), last: models without text keep their layout */
} ParamViews;

/* One tensor of the flat parameter buffer, for init and weight decay. */
typedef struct
{
  gsize    offset;
  gsize    size;
  gsize    fan_in;      /* 0 for non-matrices */
  gboolean is_matrix;   /* gets weight decay and uniform init */
  gboolean is_embedding;
  gboolean is_ln_weight;
} TensorInfo;

typedef struct
{
  float *ln1;            /* (B*N, d) */
  float *ln1_mean;       /* (B*N) */
  float *ln1_rstd;       /* (B*N) */
  float *qkv;            /* (B*N, 3d) */
  float *att;            /* (B, h, N, N) */
  float *atty;           /* (B*N, d) attention output before projection */
  float *proj;           /* (B*N, d) projection after dropout */
  float *mask1;          /* (B*N, d) dropout mask of the attention branch */
  float *res1;           /* (B*N, d) */
  float *ln2;            /* (B*N, d) */
  float *ln2_mean;       /* (B*N) */
  float *ln2_rstd;       /* (B*N) */
  float *fc1;            /* (B*N, d_ff) pre-activation */
  float *gelu;           /* (B*N, d_ff) */
  float *fc2;            /* (B*N, d) after dropout */
  float *mask2;          /* (B*N, d) dropout mask of the feed-forward branch */
  float *res2;           /* (B*N, d) the layer's output */
} LayerActs;

typedef struct
{
  float     *xin;        /* (B*N, P*F) copy of the input */
  guint     *stat;       /* (B, n_static) copy of the static ids */
  float     *emb;        /* (B*N, d) the residual stream entering layer 0 */
  LayerActs *layers;     /* (n_layers) */
  float     *lnf_in;     /* (B*NF, d) the future rows of the last layer's input */
  float     *lnf;        /* (B*NF, d) */
  float     *lnf_mean;   /* (B*NF) */
  float     *lnf_rstd;   /* (B*NF) */
  float     *pred;       /* (B*NF, P*Q) = (B, H, Q) */
  float     *y;          /* (B, H) targets of the last loss */
  float     *w;          /* (B, H) weights of the last loss */
  /* Backward scratch, reused by every layer. */
  float     *dres;       /* (B*N, d) gradient of the residual stream */
  float     *dbranch;    /* (B*N, d) */
  float     *dln;        /* (B*N, d) */
  float     *dqkv;       /* (B*N, 3d) */
  float     *datt;       /* (B, h, N, N) */
  float     *att_tr;     /* (B, h, tc_nn_attention_scratch (N, d/h)) attention scratch */
  float     *datty;      /* (B*N, d) */
  float     *dfc1;       /* (B*N, d_ff) */
  float     *dgelu;      /* (B*N, d_ff) */
  float     *dlnf;       /* (B*NF, d) */
  float     *dlnf_in;    /* (B*NF, d) */
  float     *dpred;      /* (B*NF, P*Q) */
} Acts;

struct _TcModel
{
  TcModelConfig cfg;
  gsize         n_params;
  float        *params;   /* (n_params) */
  float        *grads;    /* (n_params) */
  float        *adam_m;   /* (n_params) */
  float        *adam_v;   /* (n_params) */
  ParamViews    p;        /* views into params */
  ParamViews    g;        /* views into grads */
  TensorInfo   *tensors;
  guint         n_tensors;
  guint         adam_t;

  float        *act_mem;  /* one block for all of Acts */
  guint         act_batch;  /* batch the block is sized for */
  guint8       *act_u8;   /* (B, n_static * 4) holds Acts.stat */
  Acts          a;

  guint8       *key_mask;  /* (key_mask_batch, N) or NULL */
  guint         key_mask_batch;

  guint         batch;     /* of the last forward, 0 before any */
  gboolean      dropped;   /* the last forward applied dropout */
  gboolean      lean;      /* the last forward was tc_model_predict's */
  gboolean      bf16;      /* tc_model_predict's products in bf16 (tc_model_set_bf16) */
  gboolean      have_loss;
  guint64       seed;
  guint64       n_forward;  /* training forwards so far: keys the dropout stream */
  guint         drop_first; /* index of the batch's first window in the whole batch */
  TcPool       *pool;

  /* The split of a prediction's or a training step's batch over the
   * pool's threads: one lane per thread, each a model that reads these
   * weights in place and has activations, gradients and a one-thread pool
   * of its own (lane_new, forward_split). */
  TcModel     **lanes;       /* (n_lanes) or NULL */
  guint         n_lanes;
  gboolean      is_lane;     /* params belong to another model */
  gboolean      split;       /* the last forward ran on the lanes: only a->pred is ours */
  /* After a split forward a->pred, y, w and dpred point here, not into
   * act_mem: the model needs nothing else of its own then, and the whole
   * activation block for the batch would double the memory. */
  float        *split_mem;   /* pred, dpred (split_batch, NF*P*Q) each, then y, w (split_batch, H) each */
  guint         split_batch;
  gboolean      split_acts;  /* a->pred, y, w, dpred point into split_mem */

  TcTextBags   *text_bags;   /* or NULL */
  guint        *text_slots;  /* (text_rows) bag of every step of the last forward */
  float        *text_dout;   /* (text_rows, text_dim) gradient of the text channels */
  gsize         text_rows;   /* capacity: B*N*P */
};

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

void
tc_model_config_init (TcModelConfig *cfg, guint patch_len, guint n_tokens,
                      guint n_future_tokens, guint n_features)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->patch_len = patch_len;
  cfg->n_tokens = n_tokens;
  cfg->n_future_tokens = n_future_tokens;
  cfg->n_features = n_features;
  cfg->d_model = 64;
  cfg->n_heads = 4;
  cfg->n_layers = 3;
  cfg->d_ff = 256;
  cfg->dropout = 0.1f;
  cfg->loss = TC_LOSS_PINBALL;
  cfg->n_quantiles = 3;
  cfg->quantiles[0] = 0.1f;
  cfg->quantiles[1] = 0.5f;
  cfg->quantiles[2] = 0.9f;
  cfg->n_static = 0;
}

gboolean
tc_model_config_validate (const TcModelConfig *cfg, GError **error)
{
#define BAD(...) G_STMT_START { \
    g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG, __VA_ARGS__); \
    return FALSE; } G_STMT_END

  if (cfg->patch_len < 1 || cfg->patch_len > 1024)
    BAD ("Model patch length %u is out of range (1 to 1024)", cfg->patch_len);
  if (cfg->n_tokens < 1 || cfg->n_tokens > 4096)
    BAD ("Model token count %u is out of range (1 to 4096)", cfg->n_tokens);
  if (cfg->n_future_tokens < 1 || cfg->n_future_tokens > cfg->n_tokens)
    BAD ("Model future token count %u must be between 1 and the token count %u",
         cfg->n_future_tokens, cfg->n_tokens);
  if (cfg->n_features < 1 || cfg->n_features > 65536)
    BAD ("Model feature count %u is out of range (1 to 65536)", cfg->n_features);
  if (cfg->d_model < 1 || cfg->d_model > 8192)
    BAD ("Model width d_model %u is out of range (1 to 8192)", cfg->d_model);
  if (cfg->n_heads < 1 || cfg->d_model % cfg->n_heads != 0)
    BAD ("Model width d_model %u is not divisible by the head count %u",
         cfg->d_model, cfg->n_heads);
  if (cfg->n_layers < 1 || cfg->n_layers > 64)
    BAD ("Model layer count %u is out of range (1 to 64)", cfg->n_layers);
  if (cfg->d_ff < 1 || cfg->d_ff > 65536)
    BAD ("Model feed-forward width %u is out of range (1 to 65536)", cfg->d_ff);
  if (!(cfg->dropout >= 0.0f && cfg->dropout < 1.0f))
    BAD ("Model dropout %g must be in [0, 1)", (double) cfg->dropout);
  if (cfg->loss != TC_LOSS_PINBALL && cfg->loss != TC_LOSS_MSE)
    BAD ("Unknown loss kind %d", (int) cfg->loss);
  if (cfg->n_quantiles < 1 || cfg->n_quantiles > TC_MODEL_MAX_QUANTILES)
    BAD ("Model quantile count %u is out of range (1 to %d)",
         cfg->n_quantiles, TC_MODEL_MAX_QUANTILES);
  for (guint i = 0; i < cfg->n_quantiles; i++)
    {
      if (!(cfg->quantiles[i] > 0.0f && cfg->quantiles[i] < 1.0f))
        BAD ("Quantile %g must be strictly between 0 and 1", (double) cfg->quantiles[i]);
      if (i > 0 && !(cfg->quantiles[i] > cfg->quantiles[i - 1]))
        BAD ("Quantiles must be ascending, but %g follows %g",
             (double) cfg->quantiles[i], (double) cfg->quantiles[i - 1]);
    }
  if (cfg->text_dim > 64)
    BAD ("Model text width %u is out of range (0 to 64)", cfg->text_dim);
  if (cfg->text_dim > 0 && (cfg->text_buckets < 2 || cfg->text_buckets > TC_TEXT_MAX_BUCKETS))
    BAD ("Model text buckets %u is out of range (2 to %u)", cfg->text_buckets, TC_TEXT_MAX_BUCKETS);
  if (cfg->text_dim > 0 && cfg->text_offset + cfg->text_dim + 1 > cfg->n_features)
    BAD ("Model text channels %u .. %u lie outside the %u features",
         cfg->text_offset, cfg->text_offset + cfg->text_dim, cfg->n_features);
  if (cfg->n_static > TC_MODEL_MAX_STATIC)
    BAD ("Model static attribute count %u is out of range (0 to %d)",
         cfg->n_static, TC_MODEL_MAX_STATIC);
  for (guint i = 0; i < cfg->n_static; i++)
    if (cfg->static_cardinality[i] < 1 || cfg->static_cardinality[i] > 1000000)
      BAD ("Static attribute %u has cardinality %u (expected 1 to 1000000)",
           i, cfg->static_cardinality[i]);
  return TRUE;
#undef BAD
}

static gsize
stat_rows (const TcModelConfig *cfg)
{
  gsize rows = 0;

  for (guint i = 0; i < cfg->n_static; i++)
    rows += cfg->static_cardinality[i];
  return rows;
}

/* Walks the parameter layout: fills @v with views into @base (may be NULL
 * to only count) and @tensors (may be NULL).  Returns the size. */
static gsize
layout (const TcModelConfig *cfg, float *base, ParamViews *v, TensorInfo *tensors, guint *n_tensors)
{
  gsize d = cfg->d_model, ff = cfg->d_ff, pf = (gsize) cfg->patch_len * cfg->n_features;
  gsize pq = (gsize) cfg->patch_len * cfg->n_quantiles;
  gsize off = 0;
  guint nt = 0;

#define TENSOR(field, size, fan_in, matrix, embedding, lnw) G_STMT_START {  \
    if (base) field = base + off;                                           \
    if (tensors)                                                            \
      tensors[nt] = (TensorInfo) { off, (size), (fan_in), (matrix), (embedding), (lnw) }; \
    nt++;                                                                   \
    off += (size); } G_STMT_END

  TENSOR (v->emb_w, d * pf, pf, TRUE, FALSE, FALSE);
  TENSOR (v->emb_b, d, 0, FALSE, FALSE, FALSE);
  TENSOR (v->pos, cfg->n_tokens * d, 0, FALSE, TRUE, FALSE);
  TENSOR (v->stat, stat_rows (cfg) * d, 0, FALSE, TRUE, FALSE);
  for (guint l = 0; l < cfg->n_layers; l++)
    {
      LayerParams *lp = v->layers ? &v->layers[l] : NULL;
      LayerParams dummy;

      if (lp == NULL)
        lp = &dummy;
      TENSOR (lp->ln1_w, d, 0, FALSE, FALSE, TRUE);
      TENSOR (lp->ln1_b, d, 0, FALSE, FALSE, FALSE);
      TENSOR (lp->qkv_w, 3 * d * d, d, TRUE, FALSE, FALSE);
      TENSOR (lp->qkv_b, 3 * d, 0, FALSE, FALSE, FALSE);
      TENSOR (lp->proj_w, d * d, d, TRUE, FALSE, FALSE);
      TENSOR (lp->proj_b, d, 0, FALSE, FALSE, FALSE);
      TENSOR (lp->ln2_w, d, 0, FALSE, FALSE, TRUE);
      TENSOR (lp->ln2_b, d, 0, FALSE, FALSE, FALSE);
      TENSOR (lp->fc1_w, ff * d, d, TRUE, FALSE, FALSE);
      TENSOR (lp->fc1_b, ff, 0, FALSE, FALSE, FALSE);
      TENSOR (lp->fc2_w, d * ff, ff, TRUE, FALSE, FALSE);
      TENSOR (lp->fc2_b, d, 0, FALSE, FALSE, FALSE);
    }
  TENSOR (v->lnf_w, d, 0, FALSE, FALSE, TRUE);
  TENSOR (v->lnf_b, d, 0, FALSE, FALSE, FALSE);
  TENSOR (v->head_w, pq * d, d, TRUE, FALSE, FALSE);
  TENSOR (v->head_b, pq, 0, FALSE, FALSE, FALSE);
  if (cfg->text_dim > 0)
    TENSOR (v->text_E, (gsize) cfg->text_buckets * cfg->text_dim, 0, FALSE, TRUE, FALSE);
#undef TENSOR
  if (n_tensors)
    *n_tensors = nt;
  return off;
}

gsize
tc_model_config_n_params (const TcModelConfig *cfg)
{
  ParamViews v = { 0 };

  return layout (cfg, NULL, &v, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

static void
init_params (TcModel *m, guint64 seed)
{
  TcRng rng;

  tc_rng_seed (&rng, seed);
  for (guint t = 0; t < m->n_tensors; t++)
    {
      const TensorInfo *ti = &m->tensors[t];
      float *x = m->params + ti->offset;

      if (ti->is_matrix)
        {
          /* PyTorch's nn.Linear default bound, 1/sqrt(fan_in). */
          float bound = 1.0f / sqrtf ((float) ti->fan_in);

          for (gsize i = 0; i < ti->size; i++)
            x[i] = (2.0f * tc_rng_uniform (&rng) - 1.0f) * bound;
        }
      else if (ti->is_embedding)
        {
          for (gsize i = 0; i < ti->size; i++)
            x[i] = 0.02f * tc_rng_normal (&rng);
        }
      else if (ti->is_ln_weight)
        {
          for (gsize i = 0; i < ti->size; i++)
            x[i] = 1.0f;
        }
      else
        memset (x, 0, ti->size * sizeof (float));
    }
}

/* The text embedding starts as random codes of order one, not near zero
 * like the other embeddings: its readout (the first linear layer) and the
 * embedding itself both start small otherwise, and the product of two
 * small gradients barely moves on the rare windows that carry a signal
 * (measured in bench/text_ablation.py).  Its own random stream keeps the
 * other weights as they are without text. */
static void
init_text (TcModel *m, guint64 seed)
{
  gsize n = (gsize) m->cfg.text_buckets * m->cfg.text_dim;
  TcRng rng;

  tc_rng_seed (&rng, seed ^ G_GUINT64_CONSTANT (0x7e47c0de5eed));
  for (gsize i = 0; i < n; i++)
    m->p.text_E[i] = TEXT_INIT_STD * tc_rng_normal (&rng);
}

TcModel *
tc_model_new (const TcModelConfig *cfg, guint64 seed, GError **error)
{
  TcModel *m;

  if (!tc_model_config_validate (cfg, error))
    return NULL;

  m = g_new0 (TcModel, 1);
  m->cfg = *cfg;
  m->seed = seed;
  m->p.layers = g_new0 (LayerParams, cfg->n_layers);
  m->g.layers = g_new0 (LayerParams, cfg->n_layers);
  layout (cfg, NULL, &(ParamViews) { 0 }, NULL, &m->n_tensors);
  m->tensors = g_new0 (TensorInfo, m->n_tensors);
  m->n_params = layout (cfg, NULL, &(ParamViews) { 0 }, m->tensors, NULL);
  m->params = g_new0 (float, m->n_params);
  m->grads = g_new0 (float, m->n_params);
  m->adam_m = g_new0 (float, m->n_params);
  m->adam_v = g_new0 (float, m->n_params);
  layout (cfg, m->params, &m->p, NULL, NULL);
  layout (cfg, m->grads, &m->g, NULL, NULL);
  m->a.layers = g_new0 (LayerActs, cfg->n_layers);
  m->pool = tc_pool_new (1);
  /* The model's matrices are small (rows of B*N tokens by 64-512): on
   * them OpenBLAS's own threads cost more than they bring (measured in
   * bench/bench-model.sh), and the model splits its products over its own
   * pool instead (tc_model_set_threads).  tc_model_set_blas_threads
   * overrides this. */
  openblas_set_num_threads (1);
  init_params (m, seed);
  if (cfg->text_dim > 0)
    init_text (m, seed);
  return m;
}

/**
 * tc_model_dup:
 * @model: a model
 *
 * A new model with the configuration and the weights of @model, and with
 * work buffers of its own (activations, gradients, optimizer state, key
 * mask: all fresh), so that the copy can run forwards in another thread
 * while @model is used.  The dropout stream (seed and forward count) is
 * copied, so that training the copy continues as @model would.
 *
 * Returns: (transfer full): the copy
 */
TcModel *
tc_model_dup (const TcModel *model)
{
  TcModel *m;

  /* The configuration was validated when @model was made. */
  m = tc_model_new (&model->cfg, model->seed, NULL);
  g_assert (m != NULL);
  tc_model_copy_params_from (m, model->params);
  m->n_forward = model->n_forward;
  tc_model_set_threads (m, tc_pool_n_threads (model->pool));
  tc_model_set_text_bags (m, model->text_bags);
  m->bf16 = model->bf16;
  return m;
}

static void
free_lanes (TcModel *model)
{
  for (guint i = 0; i < model->n_lanes; i++)
    tc_model_free (model->lanes[i]);
  g_clear_pointer (&model->lanes, g_free);
  model->n_lanes = 0;
  /* A split forward's activations went with its lanes: no backward,
   * no loss after it (the model asks for a forward first). */
  if (model->split)
    {
      model->batch = 0;
      model->have_loss = FALSE;
      model->split = FALSE;
    }
}

void
tc_model_free (TcModel *model)
{
  if (model == NULL)
    return;
  free_lanes (model);
  tc_pool_free (model->pool);
  if (!model->is_lane)
    g_free (model->params);
  g_free (model->grads);
  g_free (model->adam_m);
  g_free (model->adam_v);
  g_free (model->p.layers);
  g_free (model->g.layers);
  g_free (model->tensors);
  g_free (model->act_mem);
  g_free (model->act_u8);
  g_free (model->split_mem);
  g_free (model->a.layers);
  g_free (model->key_mask);
  tc_text_bags_unref (model->text_bags);
  g_free (model->text_slots);
  g_free (model->text_dout);
  g_free (model);
}

void
tc_model_set_text_bags (TcModel *model, TcTextBags *bags)
{
  if (bags == model->text_bags)
    return;
  tc_text_bags_unref (model->text_bags);
  model->text_bags = bags ? tc_text_bags_ref (bags) : NULL;
  /* The lanes too, so that bags let go of here are not kept alive there. */
  for (guint i = 0; i < model->n_lanes; i++)
    tc_model_set_text_bags (model->lanes[i], bags);
}

/* The text layer on the input copy: rows are the B*N*P steps. */
static void
text_forward (TcModel *model, gsize BT)
{
  const TcModelConfig *c = &model->cfg;
  gsize rows = BT * c->patch_len;

  if (rows > model->text_rows)
    {
      g_free (model->text_slots);
      g_free (model->text_dout);
      model->text_slots = g_new (guint, rows);
      model->text_dout = g_new (float, rows * c->text_dim);
      model->text_rows = rows;
    }
  tc_text_layer_forward (model->text_bags, model->p.text_E, c->text_dim, model->a.xin, rows,
                         c->n_features, c->text_offset, model->text_slots);
}

static void
text_backward (TcModel *model, gsize BT)
{
  const TcModelConfig *c = &model->cfg;

  tc_text_layer_input_grad (model->text_dout, model->a.dres, model->p.emb_w, BT, c->d_model,
                            c->patch_len, c->n_features, c->text_offset, c->text_dim);
  tc_text_layer_backward (model->text_bags, model->g.text_E, c->text_dim, model->text_dout,
                          BT * c->patch_len, model->text_slots);
}

const TcModelConfig *
tc_model_get_config (const TcModel *model)
{
  return &model->cfg;
}

gsize
tc_model_n_params (const TcModel *model)
{
  return model->n_params;
}

/* With more than one thread the model splits every matrix product over
 * its own pool, each thread calling a single-threaded sgemm on its rows;
 * OpenBLAS's threads would then only compete with the pool for the same
 * cores (measured in bench/bench-model.sh), so they are turned off. */
void
tc_model_set_threads (TcModel *model, guint n_threads)
{
  n_threads = CLAMP (n_threads, 1, 256);
  if (n_threads > 1)
    openblas_set_num_threads (1);
  if (tc_pool_n_threads (model->pool) == n_threads)
    return;
  free_lanes (model);
  tc_pool_free (model->pool);
  model->pool = tc_pool_new (n_threads);
}

gboolean
tc_model_set_bf16 (TcModel *model, gboolean bf16)
{
  g_return_val_if_fail (model != NULL, FALSE);

  model->bf16 = bf16 && tc_nn_bf16_supported ();
  return model->bf16;
}

gboolean
tc_model_get_bf16 (const TcModel *model)
{
  g_return_val_if_fail (model != NULL, FALSE);

  return model->bf16;
}

void
tc_model_set_blas_threads (guint n_threads)
{
  openblas_set_num_threads ((int) CLAMP (n_threads, 1, 256));
}

float *
tc_model_get_params (TcModel *model)
{
  return model->params;
}

void
tc_model_copy_params_from (TcModel *model, const float *params)
{
  memcpy (model->params, params, model->n_params * sizeof (float));
}

float *
tc_model_get_grads (TcModel *model)
{
  return model->grads;
}

gboolean
tc_model_set_key_mask (TcModel *model, guint batch, const guint8 *mask)
{
  gsize n = (gsize) batch * model->cfg.n_tokens;

  g_clear_pointer (&model->key_mask, g_free);
  model->key_mask_batch = 0;
  if (mask == NULL || batch == 0)
    return TRUE;
  model->key_mask = g_memdup2 (mask, n);
  model->key_mask_batch = batch;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Activations                                                         */

/* Carves the activation block for @B; with base NULL only counts. */
static gsize
act_layout (TcModel *m, float *base, gsize B)
{
  const TcModelConfig *c = &m->cfg;
  gsize N = c->n_tokens, d = c->d_model, ff = c->d_ff, h = c->n_heads;
  gsize BT = B * N, BF = B * c->n_future_tokens;
  gsize pf = (gsize) c->patch_len * c->n_features;
  gsize pq = (gsize) c->patch_len * c->n_quantiles;
  gsize H = (gsize) c->n_future_tokens * c->patch_len;
  gsize off = 0;
  Acts *a = &m->a;
  gboolean drop = c->dropout > 0.0f;

#define CARVE(field, size) G_STMT_START { \
    if (base) field = base + off;         \
    off += (size); } G_STMT_END

  CARVE (a->xin, BT * pf);
  CARVE (a->emb, BT * d);
  for (guint l = 0; l < c->n_layers; l++)
    {
      LayerActs *la = &a->layers[l];

      CARVE (la->ln1, BT * d);
      CARVE (la->ln1_mean, BT);
      CARVE (la->ln1_rstd, BT);
      CARVE (la->qkv, BT * 3 * d);
      CARVE (la->att, B * h * N * N);
      CARVE (la->atty, BT * d);
      CARVE (la->proj, BT * d);
      CARVE (la->mask1, drop ? BT * d : 0);
      CARVE (la->res1, BT * d);
      CARVE (la->ln2, BT * d);
      CARVE (la->ln2_mean, BT);
      CARVE (la->ln2_rstd, BT);
      CARVE (la->fc1, BT * ff);
      CARVE (la->gelu, BT * ff);
      CARVE (la->fc2, BT * d);
      CARVE (la->mask2, drop ? BT * d : 0);
      CARVE (la->res2, BT * d);
    }
  CARVE (a->lnf_in, BF * d);  /* also the future rows' input to the last layer */
  CARVE (a->lnf, BF * d);
  CARVE (a->lnf_mean, BF);
  CARVE (a->lnf_rstd, BF);
  CARVE (a->pred, BF * pq);
  CARVE (a->y, B * H);
  CARVE (a->w, B * H);
  CARVE (a->dres, BT * d);
  CARVE (a->dbranch, BT * d);
  CARVE (a->dln, BT * d);
  CARVE (a->dqkv, BT * 3 * d);
  CARVE (a->datt, B * h * N * N);
  CARVE (a->att_tr, B * h * tc_nn_attention_scratch (N, d / h));
  CARVE (a->datty, BT * d);
  CARVE (a->dfc1, BT * ff);
  CARVE (a->dgelu, BT * ff);
  CARVE (a->dlnf, BF * d);
  CARVE (a->dlnf_in, BF * d);
  CARVE (a->dpred, BF * pq);
#undef CARVE
  return off;
}

static void
ensure_batch (TcModel *m, guint B)
{
  gsize size;

  if (B <= m->act_batch)
    return;
  size = act_layout (m, NULL, B);
  g_free (m->act_mem);
  g_free (m->act_u8);
  m->act_mem = g_new0 (float, size);
  m->act_u8 = g_new0 (guint8, (gsize) B * MAX (m->cfg.n_static, 1) * sizeof (guint));
  m->a.stat = (guint *) m->act_u8;
  act_layout (m, m->act_mem, B);
  m->act_batch = B;
}

/* ------------------------------------------------------------------ */
/* Forward                                                             */

static guint64
dropout_key (const TcModel *m, guint layer, guint which)
{
  return m->seed * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)
         ^ (m->n_forward << 16) ^ ((guint64) layer << 4) ^ which;
}

/* Buffers and state for a forward of @batch windows. */
static void
begin_forward (TcModel *model, guint batch, gboolean drop, gboolean lean, gboolean split)
{
  const TcModelConfig *c = &model->cfg;
  gsize out_span = (gsize) c->n_future_tokens * c->patch_len * c->n_quantiles;
  gsize H = (gsize) c->n_future_tokens * c->patch_len;

  if (split)
    {
      if (batch > model->split_batch)
        {
          g_free (model->split_mem);
          model->split_mem = g_new0 (float, (gsize) batch * 2 * (out_span + H));
          model->split_batch = batch;
        }
      model->a.pred = model->split_mem;
      model->a.dpred = model->a.pred + (gsize) model->split_batch * out_span;
      model->a.y = model->a.dpred + (gsize) model->split_batch * out_span;
      model->a.w = model->a.y + (gsize) model->split_batch * H;
      model->split_acts = TRUE;
    }
  else
    {
      guint had = model->act_batch;

      ensure_batch (model, batch);
      /* ensure_batch lays the block out again only when it grows. */
      if (model->split_acts && model->act_batch == had)
        act_layout (model, model->act_mem, model->act_batch);
      model->split_acts = FALSE;
    }
  model->batch = batch;
  model->dropped = drop;
  model->lean = lean;
  model->split = split;
  model->have_loss = FALSE;
  /* Only training forwards advance the dropout stream, so that
   * validation (split over ranks in data-parallel training) leaves it
   * alone. */
  if (drop)
    model->n_forward++;
}

/* The forward's products: bf16 when asked for (inference only), fp32
 * otherwise; res, when not NULL, is added (out = res + inp W^T + b). */
static void
lin (TcModel *model, gboolean lowp, float *out, const float *res, const float *inp,
     const float *w, const float *b, gsize M, gsize n_in, gsize n_out)
{
  if (lowp)
    tc_nn_linear_forward_bf16 (model->pool, out, res, inp, w, b, M, n_in, n_out, FALSE);
  else if (res != NULL)
    tc_nn_linear_residual_forward (model->pool, out, res, inp, w, b, M, n_in, n_out);
  else
    tc_nn_linear_forward (model->pool, out, inp, w, b, M, n_in, n_out);
}

/* @lean (inference only, no backward): the last layer computes queries
 * and attention for the future tokens only. */
static void
forward (TcModel *model, guint batch, const float *x, const guint *stat,
         gboolean training, gboolean lean, float *out)
{
  const TcModelConfig *c = &model->cfg;
  gsize B = batch, N = c->n_tokens, d = c->d_model, ff = c->d_ff, h = c->n_heads;
  gsize BT = B * N, NF = c->n_future_tokens, BF = B * NF;
  gsize pf = (gsize) c->patch_len * c->n_features;
  gsize pq = (gsize) c->patch_len * c->n_quantiles;
  gboolean drop = training && c->dropout > 0.0f;
  gboolean lowp = lean && model->bf16;
  const guint8 *km = NULL;
  Acts *a;
  const float *cur;

  g_return_if_fail (batch > 0);
  g_return_if_fail (x != NULL);
  g_return_if_fail (c->n_static == 0 || stat != NULL);
  for (gsize i = 0; i < B * c->n_static; i++)
    g_return_if_fail (stat[i] < c->static_cardinality[i % c->n_static]);
  if (model->key_mask != NULL)
    {
      g_return_if_fail (batch <= model->key_mask_batch);
      km = model->key_mask;
    }

  begin_forward (model, batch, drop, lean, FALSE);
  a = &model->a;

  /* Backward reads the inputs again and the text layer writes its
   * channels into them; plain inference reads them once, in place. */
  if (!lean || c->text_dim > 0)
    memcpy (a->xin, x, BT * pf * sizeof (float));
  if (c->text_dim > 0)
    text_forward (model, BT);
  if (c->n_static > 0)
    memcpy (a->stat, stat, B * c->n_static * sizeof (guint));

  lin (model, lowp, a->emb, NULL, lean && c->text_dim == 0 ? x : a->xin, model->p.emb_w, model->p.emb_b,
                        BT, pf, d);
  tc_nn_embedding_forward (a->emb, model->p.pos, model->p.stat, c->static_cardinality,
                           a->stat, c->n_static, B, N, d);
  cur = a->emb;
  for (guint l = 0; l < c->n_layers; l++)
    {
      LayerActs *la = &a->layers[l];
      const LayerParams *lp = &model->p.layers[l];
      gboolean last = l + 1 == c->n_layers;
      /* Rows past the attention: all tokens, or in the last layer only
       * the future ones, since nothing else reaches the head. */
      gsize M = last ? BF : BT;
      const float *res_in = cur;

      tc_nn_layernorm_forward (model->pool, la->ln1, la->ln1_mean, la->ln1_rstd, cur,
                               lp->ln1_w, lp->ln1_b, BT, d);
      if (last && lean)
        {
          /* Keys and values of all tokens: (BT, 2d) in la->qkv, from the
           * last 2d rows of qkv_w.  Queries of the future tokens only:
           * their ln1 rows gathered into a->lnf (BF, d), the queries into
           * la->ln2 (BF, d); both are free until the feed-forward. */
          lin (model, lowp, la->qkv, NULL, la->ln1, lp->qkv_w + d * d, lp->qkv_b + d,
                                BT, d, 2 * d);
          for (gsize b = 0; b < B; b++)
            {
              memcpy (a->lnf + b * NF * d, la->ln1 + (b * N + N - NF) * d,
                      NF * d * sizeof (float));
              memcpy (a->lnf_in + b * NF * d, cur + (b * N + N - NF) * d,
                      NF * d * sizeof (float));
            }
          lin (model, lowp, la->ln2, NULL, a->lnf, lp->qkv_w, lp->qkv_b, BF, d, d);
          tc_nn_attention_rows_forward (model->pool, la->atty, la->att, a->att_tr, la->ln2,
                                        la->qkv, km, B, N, NF, d, h);
          res_in = a->lnf_in;
        }
      else
        {
          lin (model, lowp, la->qkv, NULL, la->ln1, lp->qkv_w, lp->qkv_b, BT, d,
                                3 * d);
          tc_nn_attention_forward (model->pool, la->atty, la->att, a->att_tr, la->qkv, km,
                                   B, N, d, h);
        }
      if (last && !lean)
        {
          /* Gather the future rows to the front, in place: row b*NF+i
           * never lies after its source b*N+N-NF+i. */
          for (gsize b = 0; b < B; b++)
            {
              memmove (la->atty + b * NF * d, la->atty + (b * N + N - NF) * d,
                       NF * d * sizeof (float));
              memcpy (a->lnf_in + b * NF * d, cur + (b * N + N - NF) * d,
                      NF * d * sizeof (float));
            }
          res_in = a->lnf_in;
        }
      if (lean)
        lin (model, lowp, la->res1, res_in, la->atty, lp->proj_w,
                                       lp->proj_b, M, d, d);
      else
        lin (model, lowp, la->proj, NULL, la->atty, lp->proj_w, lp->proj_b, M, d, d);
      if (lean)
        ;
      else if (drop)
        tc_nn_dropout_add_forward_at (model->pool, la->res1, res_in, la->proj, la->mask1, M * d,
                                      c->dropout, dropout_key (model, l, 1),
                                      (gsize) model->drop_first * (M / B) * d);
      else
        tc_nn_add (model->pool, la->res1, res_in, la->proj, M * d);

      tc_nn_layernorm_forward (model->pool, la->ln2, la->ln2_mean, la->ln2_rstd, la->res1,
                               lp->ln2_w, lp->ln2_b, M, d);
      if (lowp)
        tc_nn_linear_forward_bf16 (model->pool, la->gelu, NULL, la->ln2, lp->fc1_w, lp->fc1_b,
                                   M, d, ff, TRUE);
      else if (lean)
        /* No backward: the pre-activation need not be kept. */
        tc_nn_linear_gelu_forward (model->pool, la->gelu, la->ln2, lp->fc1_w, lp->fc1_b, M, d, ff);
      else
        {
          lin (model, lowp, la->fc1, NULL, la->ln2, lp->fc1_w, NULL, M, d, ff);
          tc_nn_bias_gelu_forward (model->pool, la->gelu, la->fc1, lp->fc1_b, M, ff);
        }
      if (lean)
        lin (model, lowp, la->res2, la->res1, la->gelu, lp->fc2_w,
                                       lp->fc2_b, M, ff, d);
      else
        lin (model, lowp, la->fc2, NULL, la->gelu, lp->fc2_w, lp->fc2_b, M, ff, d);
      if (lean)
        ;
      else if (drop)
        tc_nn_dropout_add_forward_at (model->pool, la->res2, la->res1, la->fc2, la->mask2, M * d,
                                      c->dropout, dropout_key (model, l, 2),
                                      (gsize) model->drop_first * (M / B) * d);
      else
        tc_nn_add (model->pool, la->res2, la->res1, la->fc2, M * d);
      cur = la->res2;
    }

  /* cur now holds the (B*NF, d) future rows of the last layer. */
  tc_nn_layernorm_forward (model->pool, a->lnf, a->lnf_mean, a->lnf_rstd, cur,
                           model->p.lnf_w, model->p.lnf_b, BF, d);
  lin (model, lowp, a->pred, NULL, a->lnf, model->p.head_w, model->p.head_b, BF, d, pq);
  if (out != NULL)
    memcpy (out, a->pred, BF * pq * sizeof (float));
}

void
tc_model_set_dropout_first (TcModel *model, guint first)
{
  model->drop_first = first;
}

/* Windows per lane below which tc_model_predict splits each product's
 * rows over the threads instead: every lane packs the weights again
 * (tc-nn.c), which a small share does not pay back. */
#define LANE_MIN_WINDOWS 8

/* A lane reads @parent's weights in place (never writes them) and has
 * activations, gradients and a one-thread pool of its own; no optimizer
 * state. */
static TcModel *
lane_new (const TcModel *parent)
{
  TcModel *m = g_new0 (TcModel, 1);

  m->cfg = parent->cfg;
  m->seed = parent->seed;
  m->is_lane = TRUE;
  m->n_params = parent->n_params;
  m->params = parent->params;
  m->grads = g_new0 (float, m->n_params);
  m->p.layers = g_new0 (LayerParams, m->cfg.n_layers);
  m->g.layers = g_new0 (LayerParams, m->cfg.n_layers);
  layout (&m->cfg, m->params, &m->p, NULL, NULL);
  layout (&m->cfg, m->grads, &m->g, NULL, NULL);
  m->a.layers = g_new0 (LayerActs, m->cfg.n_layers);
  m->pool = tc_pool_new (1);
  return m;
}

/* Lane @i's windows [*first, *first + *count) of @batch. */
static void
lane_share (guint batch, guint i, guint n_lanes, guint *first, guint *count)
{
  guint a = (guint) ((guint64) batch * i / n_lanes);
  guint b = (guint) ((guint64) batch * (i + 1) / n_lanes);

  *first = a;
  *count = b - a;
}

typedef struct
{
  TcModel     *model;
  guint        batch;
  const float *x;     /* (batch, N, P*F) */
  const guint *stat;  /* (batch, n_static) or NULL */
  gboolean     training;
  gboolean     lean;
} LaneJob;

static void
lane_run (gsize begin, gsize end, gpointer data)
{
  const LaneJob *job = data;
  TcModel *m = job->model;
  const TcModelConfig *c = &m->cfg;
  gsize x_span = (gsize) c->n_tokens * c->patch_len * c->n_features;
  gsize out_span = (gsize) c->n_future_tokens * c->patch_len * c->n_quantiles;

  for (gsize i = begin; i < end; i++)
    {
      guint first, count;

      lane_share (job->batch, (guint) i, m->n_lanes, &first, &count);
      forward (m->lanes[i], count, job->x + first * x_span,
               c->n_static > 0 ? job->stat + (gsize) first * c->n_static : NULL,
               job->training, job->lean, m->a.pred + first * out_span);
    }
}

static gboolean
use_lanes (const TcModel *model, guint batch)
{
  guint n = tc_pool_n_threads (model->pool);

  return n > 1 && batch >= n * LANE_MIN_WINDOWS;
}

/* Every output element of the forward is a function of its own window
 * only, computed by the same kernels in the same order whatever the rows
 * around it: running whole shares of the batch on one thread each gives
 * the same bits as splitting every product over the threads, and saves
 * the threads' meeting after each of the forward's ~40 operations (with
 * 2 threads inference scaled x1.72 that way, x2.0 this way).  Dropout
 * stays that of the whole batch: each lane draws its masks at its first
 * window's place in it (drop_first), with the model's seed and count. */
static void
forward_split (TcModel *model, guint batch, const float *x, const guint *stat,
               gboolean training, gboolean lean)
{
  const TcModelConfig *c = &model->cfg;
  guint n = tc_pool_n_threads (model->pool);
  gboolean drop = training && c->dropout > 0.0f;
  LaneJob job = { model, batch, x, stat, training, lean };

  if (model->n_lanes != n)
    {
      free_lanes (model);
      model->lanes = g_new0 (TcModel *, n);
      for (guint i = 0; i < n; i++)
        model->lanes[i] = lane_new (model);
      model->n_lanes = n;
    }
  /* Set here, on the calling thread: the lanes' threads only forward. */
  for (guint i = 0; i < n; i++)
    {
      TcModel *lane = model->lanes[i];
      guint first, count;

      lane_share (batch, i, n, &first, &count);
      lane->bf16 = model->bf16;
      lane->seed = model->seed;
      lane->n_forward = model->n_forward;
      lane->drop_first = model->drop_first + first;
      tc_model_set_text_bags (lane, model->text_bags);
      tc_model_set_key_mask (lane, count,
                             model->key_mask ? model->key_mask + (gsize) first * c->n_tokens : NULL);
    }
  begin_forward (model, batch, drop, lean, TRUE);
  tc_pool_for (model->pool, n, lane_run, &job);
}

/* forward()'s checks of the arguments, for the split path. */
static gboolean
split_args_ok (const TcModel *model, guint batch, const float *x, const guint *stat)
{
  const TcModelConfig *c = &model->cfg;

  g_return_val_if_fail (batch > 0, FALSE);
  g_return_val_if_fail (x != NULL, FALSE);
  g_return_val_if_fail (c->n_static == 0 || stat != NULL, FALSE);
  g_return_val_if_fail (model->key_mask == NULL || batch <= model->key_mask_batch, FALSE);
  /* Checked here, not only in each lane: a lane that refused its share
   * would keep buffers sized for an older one. */
  for (gsize i = 0; i < (gsize) batch * c->n_static; i++)
    g_return_val_if_fail (stat[i] < c->static_cardinality[i % c->n_static], FALSE);
  return TRUE;
}

static void
copy_pred (const TcModel *model, float *out)
{
  const TcModelConfig *c = &model->cfg;

  if (out != NULL)
    memcpy (out, model->a.pred,
            (gsize) model->batch * c->n_future_tokens * c->patch_len * c->n_quantiles
            * sizeof (float));
}

void
tc_model_forward (TcModel *model, guint batch, const float *x, const guint *stat,
                  gboolean training, float *out)
{
  /* Only training splits: other forwards keep every activation for
   * tc_model_get_attention. */
  if (!training || !use_lanes (model, batch))
    forward (model, batch, x, stat, training, FALSE, out);
  else if (split_args_ok (model, batch, x, stat))
    {
      forward_split (model, batch, x, stat, training, FALSE);
      copy_pred (model, out);
    }
}

void
tc_model_predict (TcModel *model, guint batch, const float *x, const guint *stat, float *out)
{
  if (!use_lanes (model, batch))
    forward (model, batch, x, stat, FALSE, TRUE, out);
  else if (split_args_ok (model, batch, x, stat))
    {
      forward_split (model, batch, x, stat, FALSE, TRUE);
      copy_pred (model, out);
    }
}

guint
tc_quantile_median_index (const float *q, guint n)
{
  guint best = 0;

  for (guint k = 1; k < n; k++)
    if (fabsf (q[k] - 0.5f) < fabsf (q[best] - 0.5f))
      best = k;
  return best;
}

static gsize
median_index (const TcModelConfig *c)
{
  return tc_quantile_median_index (c->quantiles, c->n_quantiles);
}

float
tc_model_loss (TcModel *model, const float *y, const float *w)
{
  const TcModelConfig *c = &model->cfg;
  gsize H = (gsize) c->n_future_tokens * c->patch_len;
  gsize M = model->batch * H;

  g_return_val_if_fail (model->batch > 0, NAN);
  memcpy (model->a.y, y, M * sizeof (float));
  if (w != NULL)
    memcpy (model->a.w, w, M * sizeof (float));
  else
    for (gsize i = 0; i < M; i++)
      model->a.w[i] = 1.0f;
  model->have_loss = TRUE;
  if (c->loss == TC_LOSS_MSE)
    return tc_nn_mse_forward (model->a.pred, model->a.y, model->a.w, M, c->n_quantiles,
                              median_index (c));
  return tc_nn_pinball_forward (model->a.pred, model->a.y, model->a.w, c->quantiles,
                                M, c->n_quantiles);
}

/* ------------------------------------------------------------------ */
/* Backward                                                            */

static void
zero (float *x, gsize n)
{
  memset (x, 0, n * sizeof (float));
}

static void backward_net (TcModel *model);

static void
backward_lane_run (gsize begin, gsize end, gpointer data)
{
  TcModel *m = data;
  const TcModelConfig *c = &m->cfg;
  gsize out_span = (gsize) c->n_future_tokens * c->patch_len * c->n_quantiles;

  for (gsize i = begin; i < end; i++)
    {
      TcModel *lane = m->lanes[i];
      guint first, count;

      lane_share (m->batch, (guint) i, m->n_lanes, &first, &count);
      g_return_if_fail (lane->batch == count);
      memcpy (lane->a.dpred, m->a.dpred + first * out_span, count * out_span * sizeof (float));
      zero (lane->grads, lane->n_params);
      backward_net (lane);
    }
}

/* The lanes' gradients summed into the model's, in lane order: the same
 * bits for the same thread count. */
static void
sum_lane_grads (gsize begin, gsize end, gpointer data)
{
  TcModel *m = data;

  for (guint i = 0; i < m->n_lanes; i++)
    {
      const float *gl = m->lanes[i]->grads;

      for (gsize k = begin; k < end; k++)
        m->grads[k] += gl[k];
    }
}

/* After forward_split: each lane runs the backward of its windows from
 * its share of the loss's gradient, which the model computed over the
 * whole batch (so the loss's normalisation is the batch's). */
static void
backward_split (TcModel *model)
{
  g_return_if_fail (model->n_lanes > 0);
  tc_pool_for (model->pool, model->n_lanes, backward_lane_run, model);
  tc_pool_for (model->pool, model->n_params, sum_lane_grads, model);
}

void
tc_model_backward (TcModel *model)
{
  const TcModelConfig *c = &model->cfg;
  gsize B = model->batch, NF = c->n_future_tokens, BF = B * NF;
  gsize pq = (gsize) c->patch_len * c->n_quantiles;
  gsize H = NF * c->patch_len;
  Acts *a = &model->a;

  g_return_if_fail (model->batch > 0 && model->have_loss);
  g_return_if_fail (!model->lean);

  zero (a->dpred, BF * pq);
  if (c->loss == TC_LOSS_MSE)
    tc_nn_mse_backward (a->dpred, a->pred, a->y, a->w, B * H, c->n_quantiles,
                        median_index (c), 1.0f);
  else
    tc_nn_pinball_backward (a->dpred, a->pred, a->y, a->w, c->quantiles, B * H,
                            c->n_quantiles, 1.0f);
  if (model->split)
    backward_split (model);
  else
    backward_net (model);
}

/* Backward from a->dpred (the loss's gradient) through the network,
 * accumulating into the gradients. */
static void
backward_net (TcModel *model)
{
  const TcModelConfig *c = &model->cfg;
  gsize B = model->batch, N = c->n_tokens, d = c->d_model, ff = c->d_ff, h = c->n_heads;
  gsize BT = B * N, NF = c->n_future_tokens, BF = B * NF;
  gsize pf = (gsize) c->patch_len * c->n_features;
  gsize pq = (gsize) c->patch_len * c->n_quantiles;
  Acts *a = &model->a;
  ParamViews *g = &model->g;

  tc_nn_linear_backward_set (model->pool, a->dlnf, g->head_w, g->head_b, a->dpred, a->lnf,
                         model->p.head_w, BF, d, pq);
  /* dlnf_in: gradient of the last layer's (B*NF, d) output rows. */
  zero (a->dlnf_in, BF * d);
  tc_nn_layernorm_backward (model->pool, a->dlnf_in, g->lnf_w, g->lnf_b, a->dlnf,
                            a->layers[c->n_layers - 1].res2, model->p.lnf_w, a->lnf_mean,
                            a->lnf_rstd, BF, d);

  for (guint l = c->n_layers; l-- > 0;)
    {
      LayerActs *la = &a->layers[l];
      const LayerParams *lp = &model->p.layers[l];
      LayerParams *gl = &g->layers[l];
      gboolean last = l + 1 == c->n_layers;
      gsize M = last ? BF : BT;
      const float *cur = l == 0 ? a->emb : a->layers[l - 1].res2;
      /* Gradient of the residual rows past the attention (M, d). */
      float *dres = last ? a->dlnf_in : a->dres;
      const float *dbranch = dres;

      /* Feed-forward branch: res2 = res1 + drop (fc2). */
      if (model->dropped)
        {
          zero (a->dbranch, M * d);
          tc_nn_dropout_backward (model->pool, a->dbranch, dres, la->mask2, M * d);
          dbranch = a->dbranch;
        }
      tc_nn_linear_backward_set (model->pool, a->dgelu, gl->fc2_w, gl->fc2_b, dbranch, la->gelu,
                             lp->fc2_w, M, ff, d);
      tc_nn_gelu_backward_set (model->pool, a->dfc1, la->fc1, a->dgelu, M * ff);
      tc_nn_linear_backward_set (model->pool, a->dln, gl->fc1_w, gl->fc1_b, a->dfc1, la->ln2,
                             lp->fc1_w, M, d, ff);
      tc_nn_layernorm_backward (model->pool, dres, gl->ln2_w, gl->ln2_b, a->dln, la->res1,
                                lp->ln2_w, la->ln2_mean, la->ln2_rstd, M, d);

      /* Attention branch: res1 = cur + drop (proj). */
      dbranch = dres;
      if (model->dropped)
        {
          zero (a->dbranch, M * d);
          tc_nn_dropout_backward (model->pool, a->dbranch, dres, la->mask1, M * d);
          dbranch = a->dbranch;
        }
      tc_nn_linear_backward_set (model->pool, a->datty, gl->proj_w, gl->proj_b, dbranch, la->atty,
                             lp->proj_w, M, d, d);
      if (last)
        {
          /* Scatter the future rows back to their tokens, from the end so
           * that no row is overwritten before it moved; the other tokens'
           * outputs did not reach the loss. */
          zero (a->dres, BT * d);
          for (gsize b = B; b-- > 0;)
            {
              memmove (a->datty + (b * N + N - NF) * d, a->datty + b * NF * d,
                       NF * d * sizeof (float));
              memset (a->datty + b * N * d, 0, (N - NF) * d * sizeof (float));
              memcpy (a->dres + (b * N + N - NF) * d, a->dlnf_in + b * NF * d,
                      NF * d * sizeof (float));
            }
        }
      zero (a->dqkv, BT * 3 * d);
      tc_nn_attention_backward (model->pool, a->dqkv, a->datt, a->att_tr, a->datty, la->qkv,
                                la->att, B, N, d, h);
      tc_nn_linear_backward_set (model->pool, a->dln, gl->qkv_w, gl->qkv_b, a->dqkv, la->ln1,
                             lp->qkv_w, BT, d, 3 * d);
      tc_nn_layernorm_backward (model->pool, a->dres, gl->ln1_w, gl->ln1_b, a->dln, cur,
                                lp->ln1_w, la->ln1_mean, la->ln1_rstd, BT, d);
    }

  tc_nn_embedding_backward (g->pos, g->stat, c->static_cardinality, a->stat, a->dres,
                            c->n_static, B, N, d);
  tc_nn_linear_backward (model->pool, NULL, g->emb_w, g->emb_b, a->dres, a->xin, model->p.emb_w,
                         BT, pf, d);
  if (c->text_dim > 0)
    text_backward (model, BT);
}

void
tc_model_zero_grad (TcModel *model)
{
  zero (model->grads, model->n_params);
}

/* ------------------------------------------------------------------ */
/* AdamW                                                               */

void
tc_adamw_config_init (TcAdamWConfig *opt)
{
  opt->lr = 1e-3f;
  opt->beta1 = 0.9f;
  opt->beta2 = 0.999f;
  opt->eps = 1e-8f;
  opt->weight_decay = 0.01f;
  opt->clip_norm = 1.0f;
  opt->warmup_steps = 100;
  opt->total_steps = 10000;
}

float
tc_adamw_lr_at (const TcAdamWConfig *opt, guint step)
{
  double lr = opt->lr, lr_min = 0.1 * opt->lr, progress;

  /* Steps count from 0: step 0 of a warm-up of W uses lr / W. */
  if (step < opt->warmup_steps)
    return (float) (lr * (step + 1) / opt->warmup_steps);
  if (opt->total_steps <= opt->warmup_steps)
    return (float) lr;
  progress = (double) (step - opt->warmup_steps) / (opt->total_steps - opt->warmup_steps);
  progress = CLAMP (progress, 0.0, 1.0);
  return (float) (lr_min + 0.5 * (lr - lr_min) * (1.0 + cos (G_PI * progress)));
}

float
tc_model_adamw_step (TcModel *model, const TcAdamWConfig *opt, guint step)
{
  float norm, scale = 1.0f, lr;

  norm = (float) sqrt (tc_nn_sum_squares (model->pool, model->grads, model->n_params));
  /* A non-finite gradient would poison every weight: skip the update and
   * let the caller see the NaN/Inf norm. */
  if (!isfinite (norm))
    return norm;
  if (opt->clip_norm > 0.0f && norm > opt->clip_norm)
    scale = opt->clip_norm / norm;

  lr = tc_adamw_lr_at (opt, step);
  model->adam_t++;
  for (guint t = 0; t < model->n_tensors; t++)
    {
      const TensorInfo *ti = &model->tensors[t];

      /* Small tensors are not worth waking the workers for. */
      tc_nn_adamw_update (ti->size >= 8192 ? model->pool : NULL, model->params + ti->offset,
                          model->grads + ti->offset,
                          model->adam_m + ti->offset, model->adam_v + ti->offset, ti->size,
                          lr, opt->beta1, opt->beta2, opt->eps,
                          ti->is_matrix ? opt->weight_decay : 0.0f, scale, model->adam_t);
    }
  return norm;
}

/* ------------------------------------------------------------------ */
/* Introspection                                                       */

const float *
tc_model_get_attention (const TcModel *model, guint layer, guint b)
{
  const TcModelConfig *c = &model->cfg;

  if (model->batch == 0 || layer >= c->n_layers || b >= model->batch)
    return NULL;
  /* tc_model_predict keeps only the future rows of the last layer's, and
   * split over lanes (forward_split) none of its own. */
  if (model->split || (model->lean && layer + 1 == c->n_layers))
    return NULL;
  return model->a.layers[layer].att + (gsize) b * c->n_heads * c->n_tokens * c->n_tokens;
}

guint
tc_model_get_batch (const TcModel *model)
{
  return model->batch;
}

double
tc_model_flops_per_window (const TcModelConfig *c, gboolean with_backward)
{
  double N = c->n_tokens, d = c->d_model, ff = c->d_ff, NF = c->n_future_tokens;
  double pf = (double) c->patch_len * c->n_features;
  double pq = (double) c->patch_len * c->n_quantiles;
  double attn = 2 * N * d * 3 * d + 2 * N * N * d * 2;
  /* tc_model_predict's last layer: keys and values of all tokens, queries
   * and attention of the future ones. */
  double attn_lean = 2 * N * d * 2 * d + 2 * NF * d * d + 2 * NF * N * d * 2;
  double fwd, bwd;

  /* 2*m*n*k for every matrix product performed, attention's two per head
   * included.  The last layer runs its projection and feed-forward on the
   * future tokens only. */
  fwd = 2 * N * pf * d
        + (c->n_layers - 1) * (attn + 2 * N * d * d + 2 * N * d * ff * 2)
        + attn + 2 * NF * d * d + 2 * NF * d * ff * 2
        + 2 * NF * d * pq;
  /* Backward: two products per forward product, except that the
   * embedding's input gradient is not needed. */
  bwd = 2 * fwd - 2 * N * pf * d;
  return with_backward ? fwd + bwd : fwd - attn + attn_lean;
}
