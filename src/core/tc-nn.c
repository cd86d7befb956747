/* tc-nn.c — Transformer layers on plain float buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tc-nn.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
tc_rng_seed (TcRng *rng, guint64 seed)
{
  guint64 x = seed;

  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
tc_rng_next (TcRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

float
tc_rng_uniform (TcRng *rng)
{
  return (float) (tc_rng_next (rng) >> 40) * (1.0f / 16777216.0f);
}

float
tc_rng_normal (TcRng *rng)
{
  double u1 = ((tc_rng_next (rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double u2 = (tc_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);

  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

float
tc_rng_hash_uniform (guint64 key, guint64 index)
{
  guint64 x = key ^ (index * G_GUINT64_CONSTANT (0xd1342543de82ef95));

  return (float) (splitmix64 (&x) >> 40) * (1.0f / 16777216.0f);
}

/* ------------------------------------------------------------------ */
/* Thread pool                                                         */

/* Workers sleep on a condition variable between jobs; a job is one
 * tc_pool_for call, split into one contiguous chunk per thread.  The
 * caller runs chunk 0 itself so that a pool of one thread has no
 * workers and no synchronisation at all. */
struct _TcPool
{
  guint           n_threads;
  pthread_t      *threads;      /* (n_threads - 1) */
  pthread_mutex_t lock;
  pthread_cond_t  start;
  pthread_cond_t  done;
  guint64         generation;
  guint           pending;
  gboolean        quit;
  TcPoolFunc      fn;
  gpointer        data;
  gsize           n_items;
};

typedef struct
{
  TcPool *pool;
  guint   index;
} TcPoolWorker;

static void
pool_chunk (gsize n_items, guint n_threads, guint i, gsize *begin, gsize *end)
{
  *begin = n_items * i / n_threads;
  *end = n_items * (i + 1) / n_threads;
}

static void *
pool_worker_main (void *arg)
{
  TcPoolWorker *wk = arg;
  TcPool *pool = wk->pool;
  guint index = wk->index;
  guint64 seen = 0;

  g_free (wk);
  for (;;)
    {
      TcPoolFunc fn;
      gpointer data;
      gsize n_items, begin, end;

      pthread_mutex_lock (&pool->lock);
      while (!pool->quit && pool->generation == seen)
        pthread_cond_wait (&pool->start, &pool->lock);
      if (pool->quit)
        {
          pthread_mutex_unlock (&pool->lock);
          return NULL;
        }
      seen = pool->generation;
      fn = pool->fn;
      data = pool->data;
      n_items = pool->n_items;
      pthread_mutex_unlock (&pool->lock);

      pool_chunk (n_items, pool->n_threads, index, &begin, &end);
      if (begin < end)
        fn (begin, end, data);

      pthread_mutex_lock (&pool->lock);
      if (--pool->pending == 0)
        pthread_cond_signal (&pool->done);
      pthread_mutex_unlock (&pool->lock);
    }
}

TcPool *
tc_pool_new (guint n_threads)
{
  TcPool *pool = g_new0 (TcPool, 1);

  pool->n_threads = MAX (n_threads, 1);
  pthread_mutex_init (&pool->lock, NULL);
  pthread_cond_init (&pool->start, NULL);
  pthread_cond_init (&pool->done, NULL);
  pool->threads = g_new0 (pthread_t, pool->n_threads);
  for (guint i = 1; i < pool->n_threads; i++)
    {
      TcPoolWorker *wk = g_new (TcPoolWorker, 1);

      wk->pool = pool;
      wk->index = i;
      if (pthread_create (&pool->threads[i], NULL, pool_worker_main, wk) != 0)
        {
          /* Fewer threads is slower but still correct. */
          g_free (wk);
          pool->n_threads = i;
          break;
        }
    }
  return pool;
}

void
tc_pool_free (TcPool *pool)
{
  if (pool == NULL)
    return;
  pthread_mutex_lock (&pool->lock);
  pool->quit = TRUE;
  pthread_cond_broadcast (&pool->start);
  pthread_mutex_unlock (&pool->lock);
  for (guint i = 1; i < pool->n_threads; i++)
    pthread_join (pool->threads[i], NULL);
  pthread_mutex_destroy (&pool->lock);
  pthread_cond_destroy (&pool->start);
  pthread_cond_destroy (&pool->done);
  g_free (pool->threads);
  g_free (pool);
}

guint
tc_pool_n_threads (const TcPool *pool)
{
  return pool ? pool->n_threads : 1;
}

void
tc_pool_for (TcPool *pool, gsize n_items, TcPoolFunc fn, gpointer data)
{
  gsize begin, end;

  if (n_items == 0)
    return;
  if (pool == NULL || pool->n_threads == 1 || n_items == 1)
    {
      fn (0, n_items, data);
      return;
    }
  pthread_mutex_lock (&pool->lock);
  pool->fn = fn;
  pool->data = data;
  pool->n_items = n_items;
  pool->pending = pool->n_threads - 1;
  pool->generation++;
  pthread_cond_broadcast (&pool->start);
  pthread_mutex_unlock (&pool->lock);

  pool_chunk (n_items, pool->n_threads, 0, &begin, &end);
  if (begin < end)
    fn (begin, end, data);

  pthread_mutex_lock (&pool->lock);
  while (pool->pending > 0)
    pthread_cond_wait (&pool->done, &pool->lock);
  pthread_mutex_unlock (&pool->lock);
}

/* ------------------------------------------------------------------ */
/* Linear                                                              */

void
tc_nn_linear_forward (float *out, const float *inp, const float *w, const float *b,
                      gsize M, gsize n_in, gsize n_out)
{
  float beta = 0.0f;

  if (b != NULL)
    {
      for (gsize m = 0; m < M; m++)
        memcpy (out + m * n_out, b, n_out * sizeof (float));
      beta = 1.0f;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) M, (int) n_out, (int) n_in,
               1.0f, inp, (int) n_in, w, (int) n_in, beta, out, (int) n_out);
}

void
tc_nn_linear_backward (float *dinp, float *dw, float *db, const float *dout,
                       const float *inp, const float *w, gsize M, gsize n_in, gsize n_out)
{
  if (dinp != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) M, (int) n_in, (int) n_out,
                 1.0f, dout, (int) n_out, w, (int) n_in, 1.0f, dinp, (int) n_in);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n_out, (int) n_in, (int) M,
               1.0f, dout, (int) n_out, inp, (int) n_in, 1.0f, dw, (int) n_in);
  if (db != NULL)
    for (gsize m = 0; m < M; m++)
      {
        const float *row = dout + m * n_out;

        for (gsize o = 0; o < n_out; o++)
          db[o] += row[o];
      }
}

/* ------------------------------------------------------------------ */
/* LayerNorm                                                           */

typedef struct
{
  float       *out, *mean, *rstd, *dinp;
  const float *inp, *w, *b, *dout, *cmean, *crstd;
  gsize        C;
} LnJob;

static void
ln_forward_rows (gsize begin, gsize end, gpointer data)
{
  LnJob *j = data;
  gsize C = j->C;

  for (gsize m = begin; m < end; m++)
    {
      const float *x = j->inp + m * C;
      float *y = j->out + m * C;
      float mu = 0.0f, var = 0.0f, rs;

      for (gsize c = 0; c < C; c++)
        mu += x[c];
      mu /= (float) C;
      for (gsize c = 0; c < C; c++)
        {
          float t = x[c] - mu;

          var += t * t;
        }
      var /= (float) C;
      rs = 1.0f / sqrtf (var + TC_NN_LN_EPS);
      for (gsize c = 0; c < C; c++)
        y[c] = (x[c] - mu) * rs * j->w[c] + j->b[c];
      j->mean[m] = mu;
      j->rstd[m] = rs;
    }
}

void
tc_nn_layernorm_forward (TcPool *pool, float *out, float *mean, float *rstd,
                         const float *inp, const float *w, const float *b,
                         gsize M, gsize C)
{
  LnJob j = { .out = out, .mean = mean, .rstd = rstd, .inp = inp, .w = w, .b = b, .C = C };

  tc_pool_for (pool, M, ln_forward_rows, &j);
}

static void
ln_backward_rows (gsize begin, gsize end, gpointer data)
{
  LnJob *j = data;
  gsize C = j->C;

  for (gsize m = begin; m < end; m++)
    {
      const float *x = j->inp + m * C;
      const float *dy = j->dout + m * C;
      float *dx = j->dinp + m * C;
      float mu = j->cmean[m], rs = j->crstd[m];
      float sum_g = 0.0f, sum_gx = 0.0f;

      /* g = dy * w is the gradient w.r.t. the normalised value xhat. */
      for (gsize c = 0; c < C; c++)
        {
          float g = dy[c] * j->w[c];

          sum_g += g;
          sum_gx += g * (x[c] - mu) * rs;
        }
      sum_g /= (float) C;
      sum_gx /= (float) C;
      for (gsize c = 0; c < C; c++)
        {
          float xh = (x[c] - mu) * rs;

          dx[c] += rs * (dy[c] * j->w[c] - sum_g - xh * sum_gx);
        }
    }
}

void
tc_nn_layernorm_backward (TcPool *pool, float *dinp, float *dw, float *db,
                          const float *dout, const float *inp, const float *w,
                          const float *mean, const float *rstd, gsize M, gsize C)
{
  LnJob j = { .dinp = dinp, .dout = dout, .inp = inp, .w = w, .cmean = mean, .crstd = rstd, .C = C };

  tc_pool_for (pool, M, ln_backward_rows, &j);
  /* The parameter gradients reduce over rows: one thread, fixed order. */
  for (gsize m = 0; m < M; m++)
    {
      const float *x = inp + m * C;
      const float *dy = dout + m * C;
      float mu = mean[m], rs = rstd[m];

      for (gsize c = 0; c < C; c++)
        {
          dw[c] += dy[c] * (x[c] - mu) * rs;
          db[c] += dy[c];
        }
    }
}

/* ------------------------------------------------------------------ */
/* GELU                                                                */

float
tc_nn_gelu (float x)
{
  return 0.5f * x * (1.0f + erff (x * (float) G_SQRT2 * 0.5f));
}

typedef struct
{
  float       *out;
  const float *inp, *dout;
} GeluJob;

static void
gelu_forward_range (gsize begin, gsize end, gpointer data)
{
  GeluJob *j = data;

  for (gsize i = begin; i < end; i++)
    j->out[i] = tc_nn_gelu (j->inp[i]);
}

void
tc_nn_gelu_forward (TcPool *pool, float *out, const float *inp, gsize n)
{
  GeluJob j = { .out = out, .inp = inp };

  tc_pool_for (pool, n, gelu_forward_range, &j);
}

static void
gelu_backward_range (gsize begin, gsize end, gpointer data)
{
  GeluJob *j = data;
  const float inv_sqrt2 = (float) (1.0 / G_SQRT2);
  const float inv_sqrt2pi = (float) (1.0 / sqrt (2.0 * G_PI));

  for (gsize i = begin; i < end; i++)
    {
      float x = j->inp[i];
      float cdf = 0.5f * (1.0f + erff (x * inv_sqrt2));
      float pdf = inv_sqrt2pi * expf (-0.5f * x * x);

      j->out[i] += j->dout[i] * (cdf + x * pdf);
    }
}

void
tc_nn_gelu_backward (TcPool *pool, float *dinp, const float *inp, const float *dout, gsize n)
{
  GeluJob j = { .out = dinp, .inp = inp, .dout = dout };

  tc_pool_for (pool, n, gelu_backward_range, &j);
}

/* ------------------------------------------------------------------ */
/* Attention                                                           */

typedef struct
{
  float        *out, *att, *dqkv, *scratch;
  const float  *qkv, *dout, *catt;
  const guint8 *key_mask;
  gsize         N, d, h;
} AttJob;

/* One (b, head) pair per item.  With N around 20 and head size 16 the
 * products are far too small for sgemm's call overhead to pay off, so
 * they are plain loops the compiler can vectorise over the head size. */
static void
att_forward_items (gsize begin, gsize end, gpointer data)
{
  AttJob *j = data;
  gsize N = j->N, d = j->d, h = j->h, hs = d / h, d3 = 3 * d;
  float scale = 1.0f / sqrtf ((float) hs);

  for (gsize item = begin; item < end; item++)
    {
      gsize b = item / h, hd = item % h;
      const float *base = j->qkv + b * N * d3;
      const guint8 *km = j->key_mask ? j->key_mask + b * N : NULL;
      float *att = j->att + item * N * N;

      for (gsize t = 0; t < N; t++)
        {
          const float *q = base + t * d3 + hd * hs;
          float *row = att + t * N;
          float *o = j->out + (b * N + t) * d + hd * hs;
          float mx = -INFINITY, sum = 0.0f;

          for (gsize s = 0; s < N; s++)
            {
              const float *k = base + s * d3 + d + hd * hs;
              float dot = 0.0f;

              if (km && !km[s])
                {
                  row[s] = -INFINITY;
                  continue;
                }
              for (gsize c = 0; c < hs; c++)
                dot += q[c] * k[c];
              row[s] = dot * scale;
              if (row[s] > mx)
                mx = row[s];
            }
          if (mx == -INFINITY)
            {
              /* Every key masked: attend to nothing. */
              memset (row, 0, N * sizeof (float));
              memset (o, 0, hs * sizeof (float));
              continue;
            }
          for (gsize s = 0; s < N; s++)
            {
              float e = expf (row[s] - mx);

              row[s] = e;
              sum += e;
            }
          sum = 1.0f / sum;
          for (gsize s = 0; s < N; s++)
            row[s] *= sum;

          memset (o, 0, hs * sizeof (float));
          for (gsize s = 0; s < N; s++)
            {
              const float *v = base + s * d3 + 2 * d + hd * hs;
              float p = row[s];

              if (p == 0.0f)
                continue;
              for (gsize c = 0; c < hs; c++)
                o[c] += p * v[c];
            }
        }
    }
}

void
tc_nn_attention_forward (TcPool *pool, float *out, float *att, const float *qkv,
                         const guint8 *key_mask, gsize B, gsize N, gsize d, gsize h)
{
  AttJob j = { .out = out, .att = att, .qkv = qkv, .key_mask = key_mask, .N = N, .d = d, .h = h };

  tc_pool_for (pool, B * h, att_forward_items, &j);
}

static void
att_backward_items (gsize begin, gsize end, gpointer data)
{
  AttJob *j = data;
  gsize N = j->N, d = j->d, h = j->h, hs = d / h, d3 = 3 * d;
  float scale = 1.0f / sqrtf ((float) hs);

  for (gsize item = begin; item < end; item++)
    {
      gsize b = item / h, hd = item % h;
      const float *base = j->qkv + b * N * d3;
      float *dbase = j->dqkv + b * N * d3;
      const float *att = j->catt + item * N * N;
      float *datt = j->scratch + item * N * N;

      /* dP = dY V^T and dV += P^T dY. */
      for (gsize t = 0; t < N; t++)
        {
          const float *dy = j->dout + (b * N + t) * d + hd * hs;
          const float *prow = att + t * N;
          float *drow = datt + t * N;
          float dot_pd = 0.0f;

          for (gsize s = 0; s < N; s++)
            {
              const float *v = base + s * d3 + 2 * d + hd * hs;
              float *dv = dbase + s * d3 + 2 * d + hd * hs;
              float p = prow[s], acc = 0.0f;

              for (gsize c = 0; c < hs; c++)
                {
                  acc += dy[c] * v[c];
                  dv[c] += p * dy[c];
                }
              drow[s] = acc;
              dot_pd += acc * p;
            }
          /* Softmax backward, folding in the score scale. */
          for (gsize s = 0; s < N; s++)
            drow[s] = prow[s] * (drow[s] - dot_pd) * scale;
        }
      /* dQ += dS K and dK += dS^T Q. */
      for (gsize t = 0; t < N; t++)
        {
          const float *q = base + t * d3 + hd * hs;
          float *dq = dbase + t * d3 + hd * hs;
          const float *drow = datt + t * N;

          for (gsize s = 0; s < N; s++)
            {
              const float *k = base + s * d3 + d + hd * hs;
              float *dk = dbase + s * d3 + d + hd * hs;
              float g = drow[s];

              if (g == 0.0f)
                continue;
              for (gsize c = 0; c < hs; c++)
                {
                  dq[c] += g * k[c];
                  dk[c] += g * q[c];
                }
            }
        }
    }
}

void
tc_nn_attention_backward (TcPool *pool, float *dqkv, float *scratch, const float *dout,
                          const float *qkv, const float *att, gsize B, gsize N, gsize d, gsize h)
{
  AttJob j = { .dqkv = dqkv, .scratch = scratch, .dout = dout, .qkv = qkv, .catt = att,
               .N = N, .d = d, .h = h };

  tc_pool_for (pool, B * h, att_backward_items, &j);
}

/* ------------------------------------------------------------------ */
/* Embeddings                                                          */

void
tc_nn_embedding_forward (float *out, const float *pos, const float *tables, const guint *card,
                         const guint *stat, gsize n_static, gsize B, gsize N, gsize d)
{
  for (gsize b = 0; b < B; b++)
    for (gsize n = 0; n < N; n++)
      {
        float *o = out + (b * N + n) * d;
        const float *p = pos + n * d;
        const float *tab = tables;

        for (gsize c = 0; c < d; c++)
          o[c] += p[c];
        for (gsize i = 0; i < n_static; i++)
          {
            const float *e = tab + (gsize) stat[b * n_static + i] * d;

            for (gsize c = 0; c < d; c++)
              o[c] += e[c];
            tab += (gsize) card[i] * d;
          }
      }
}

void
tc_nn_embedding_backward (float *dpos, float *dtables, const guint *card, const guint *stat,
                          const float *dout, gsize n_static, gsize B, gsize N, gsize d)
{
  for (gsize b = 0; b < B; b++)
    for (gsize n = 0; n < N; n++)
      {
        const float *g = dout + (b * N + n) * d;
        float *p = dpos + n * d;
        float *tab = dtables;

        for (gsize c = 0; c < d; c++)
          p[c] += g[c];
        for (gsize i = 0; i < n_static; i++)
          {
            float *e = tab + (gsize) stat[b * n_static + i] * d;

            for (gsize c = 0; c < d; c++)
              e[c] += g[c];
            tab += (gsize) card[i] * d;
          }
      }
}

/* ------------------------------------------------------------------ */
/* Dropout                                                             */

typedef struct
{
  float       *x, *mask;
  const float *dout, *cmask;
  float        p, keep_scale;
  guint64      key;
} DropJob;

static void
dropout_forward_range (gsize begin, gsize end, gpointer data)
{
  DropJob *j = data;

  for (gsize i = begin; i < end; i++)
    {
      float m = tc_rng_hash_uniform (j->key, i) >= j->p ? j->keep_scale : 0.0f;

      j->mask[i] = m;
      j->x[i] *= m;
    }
}

void
tc_nn_dropout_forward (TcPool *pool, float *x, float *mask, gsize n, float p, guint64 key)
{
  DropJob j = { .x = x, .mask = mask, .p = p, .keep_scale = 1.0f / (1.0f - p), .key = key };

  tc_pool_for (pool, n, dropout_forward_range, &j);
}

static void
dropout_backward_range (gsize begin, gsize end, gpointer data)
{
  DropJob *j = data;

  for (gsize i = begin; i < end; i++)
    j->x[i] += j->dout[i] * j->cmask[i];
}

void
tc_nn_dropout_backward (TcPool *pool, float *dinp, const float *dout, const float *mask, gsize n)
{
  DropJob j = { .x = dinp, .dout = dout, .cmask = mask };

  tc_pool_for (pool, n, dropout_backward_range, &j);
}

/* ------------------------------------------------------------------ */
/* Losses                                                              */

static double
weight_sum (const float *w, gsize M)
{
  double s = 0.0;

  if (w == NULL)
    return (double) M;
  for (gsize m = 0; m < M; m++)
    s += w[m];
  return s;
}

float
tc_nn_pinball_forward (const float *pred, const float *y, const float *w, const float *q,
                       gsize M, gsize Q)
{
  double total = 0.0, ws = weight_sum (w, M);

  if (ws <= 0.0)
    return 0.0f;
  for (gsize m = 0; m < M; m++)
    {
      double wm = w ? w[m] : 1.0, row = 0.0;

      if (wm == 0.0)
        continue;
      for (gsize k = 0; k < Q; k++)
        {
          double e = (double) y[m] - pred[m * Q + k];

          row += e >= 0 ? q[k] * e : (q[k] - 1.0) * e;
        }
      total += wm * row;
    }
  return (float) (total / (ws * (double) Q));
}

void
tc_nn_pinball_backward (float *dpred, const float *pred, const float *y, const float *w,
                        const float *q, gsize M, gsize Q, float dloss)
{
  double ws = weight_sum (w, M);
  float norm;

  if (ws <= 0.0)
    return;
  norm = (float) (dloss / (ws * (double) Q));
  for (gsize m = 0; m < M; m++)
    {
      float wm = w ? w[m] : 1.0f;

      if (wm == 0.0f)
        continue;
      for (gsize k = 0; k < Q; k++)
        {
          /* d/dpred of max(q e, (q-1) e) with e = y - pred; at the kink
           * (e = 0) the subgradient of the e >= 0 branch is used. */
          float e = y[m] - pred[m * Q + k];

          dpred[m * Q + k] += norm * wm * (e >= 0 ? -q[k] : 1.0f - q[k]);
        }
    }
}

float
tc_nn_mse_forward (const float *pred, const float *y, const float *w, gsize M, gsize Q, gsize qi)
{
  double total = 0.0, ws = weight_sum (w, M);

  if (ws <= 0.0)
    return 0.0f;
  for (gsize m = 0; m < M; m++)
    {
      double wm = w ? w[m] : 1.0;
      double e = (double) pred[m * Q + qi] - y[m];

      if (wm != 0.0)
        total += wm * e * e;
    }
  return (float) (total / ws);
}

void
tc_nn_mse_backward (float *dpred, const float *pred, const float *y, const float *w,
                    gsize M, gsize Q, gsize qi, float dloss)
{
  double ws = weight_sum (w, M);
  float norm;

  if (ws <= 0.0)
    return;
  norm = (float) (2.0 * dloss / ws);
  for (gsize m = 0; m < M; m++)
    {
      float wm = w ? w[m] : 1.0f;

      if (wm != 0.0f)
        dpred[m * Q + qi] += norm * wm * (pred[m * Q + qi] - y[m]);
    }
}
