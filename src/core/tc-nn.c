/* tc-nn.c — Transformer layers on plain float buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* The kernels below rely on loop vectorisation, which GCC's -O2 (the
 * default debugoptimized build) only does for loops without remainders;
 * -O3's cost model vectorises the N ~ 20 and head-size loops, and
 * -fno-trapping-math lets it if-convert the selects in exp and erf.  No
 * fast-math: NaN must still propagate to the caller's checks. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("O3", "no-trapping-math")
#endif

#define G_LOG_DOMAIN "tc-nn"

#include "tc-nn.h"
#include "tc-nn-math.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* Hot loops get an AVX2+FMA clone next to the baseline x86-64 one; the
 * dynamic loader picks per machine, so the binary still runs anywhere.
 * The loops are written so that GCC vectorises them without -ffast-math:
 * no float reductions across the vectorised index, no libm calls.
 * Not under ThreadSanitizer: the loader runs the clones' ifunc resolver
 * before the TSan runtime is initialised, and the instrumented resolver
 * then crashes at startup. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) \
    && !defined(__SANITIZE_THREAD__)
#define TC_HOT __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define TC_HOT
#endif

#pragma GCC diagnostic ignored "-Wpsabi"   /* the helpers are always inlined */
typedef float v8sf __attribute__ ((vector_size (32)));
typedef float v4sf __attribute__ ((vector_size (16)));

static inline v8sf
load8 (const float *p)
{
  v8sf v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline v4sf
load4 (const float *p)
{
  v4sf v;

  memcpy (&v, p, sizeof v);
  return v;
}

/* Sum of x[0..n) in eight lanes (vectorisable without reassociation). */
static inline float
lane_sum (const float *x, gsize n)
{
  v8sf acc = { 0 };
  float s = 0.0f;
  gsize c = 0;

  for (; c + 8 <= n; c += 8)
    acc += load8 (x + c);
  for (int l = 0; l < 8; l++)
    s += acc[l];
  for (; c < n; c++)
    s += x[c];
  return s;
}

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

static inline float
hash_uniform (guint64 key, guint64 index)
{
  guint64 x = key ^ (index * G_GUINT64_CONSTANT (0xd1342543de82ef95));

  return (float) (splitmix64 (&x) >> 40) * (1.0f / 16777216.0f);
}

float
tc_rng_hash_uniform (guint64 key, guint64 index)
{
  return hash_uniform (key, index);
}

/* ------------------------------------------------------------------ */
/* Thread pool                                                         */

/* A job is one tc_pool_for call, cut into fixed chunks that the caller
 * and the workers claim one by one; a pool of one thread has no workers
 * and no synchronisation at all.  Claiming (rather than one fixed chunk
 * per thread) keeps a job moving when a worker is descheduled on a busy
 * machine: the others take its share.  The chunks' bounds depend only on
 * the job, so which thread runs a chunk never changes a result.
 *
 * The claim word holds (job generation << 32 | next chunk) and is taken
 * by compare-and-swap, so a late worker can never run a chunk of a job
 * with the fields of another: its swap fails once the generation moved.
 *
 * Jobs come in quick succession (about 25 per layer and step, each a
 * fraction of a millisecond), so waking sleeping threads through the
 * kernel every time would cost more than the work: workers and the
 * caller spin for a short while before falling back to the condition
 * variables. */
#define TC_POOL_SPIN 2000

struct _TcPool
{
  guint              n_threads;
  pthread_t         *threads;      /* (n_threads - 1) */
  pthread_mutex_t    lock;
  pthread_cond_t     start;
  pthread_cond_t     done;
  atomic_uint        generation;
  atomic_uint_least64_t claim;     /* generation << 32 | next chunk */
  atomic_uint        finished;     /* chunks of the current job done */
  atomic_int         quit;
  /* The current job; written only while no chunk of it can be claimed.
   * fn, data and n_items are read only after a successful claim, which
   * orders them after the caller's writes; n_chunks is read before the
   * claim, possibly by a late worker while the next job is being set
   * up, so it is atomic (the claim then fails and the value is unused). */
  TcPoolFunc         fn;
  gpointer           data;
  gsize              n_items;
  atomic_uint        n_chunks;
};

typedef struct
{
  TcPool *pool;
  guint   index;
} TcPoolWorker;

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

/* Claims and runs chunks of job @gen until none is left. */
static void
pool_run_chunks (TcPool *pool, guint gen)
{
  for (;;)
    {
      guint64 w = atomic_load_explicit (&pool->claim, memory_order_acquire);
      TcPoolFunc fn;
      gpointer data;
      gsize n_items, begin, end;
      guint n_chunks, i;

      if ((guint) (w >> 32) != gen)
        return;
      n_chunks = atomic_load_explicit (&pool->n_chunks, memory_order_relaxed);
      i = (guint) (w & 0xffffffffu);
      if (i >= n_chunks)
        return;
      if (!atomic_compare_exchange_weak_explicit (&pool->claim, &w, w + 1,
                                                  memory_order_acq_rel, memory_order_acquire))
        continue;
      /* Claimed: the job cannot change before this chunk is counted as
       * finished, and the claim synchronises with the caller's release
       * of the job. */
      fn = pool->fn;
      data = pool->data;
      n_items = pool->n_items;
      begin = n_items * i / n_chunks;
      end = n_items * (i + 1) / n_chunks;
      if (begin < end)
        fn (begin, end, data);
      if (atomic_fetch_add_explicit (&pool->finished, 1, memory_order_acq_rel) + 1 == n_chunks)
        {
          pthread_mutex_lock (&pool->lock);
          pthread_cond_broadcast (&pool->done);
          pthread_mutex_unlock (&pool->lock);
        }
    }
}

static void *
pool_worker_main (void *arg)
{
  TcPoolWorker *wk = arg;
  TcPool *pool = wk->pool;
  guint seen = 0;

  g_free (wk);
  for (;;)
    {
      guint spin = 0, gen;

      while ((gen = atomic_load (&pool->generation)) == seen && !atomic_load (&pool->quit)
             && spin++ < TC_POOL_SPIN)
        cpu_relax ();
      if (gen == seen && !atomic_load (&pool->quit))
        {
          pthread_mutex_lock (&pool->lock);
          while (!atomic_load (&pool->quit) && atomic_load (&pool->generation) == seen)
            pthread_cond_wait (&pool->start, &pool->lock);
          pthread_mutex_unlock (&pool->lock);
        }
      if (atomic_load (&pool->quit))
        return NULL;
      seen = atomic_load (&pool->generation);
      pool_run_chunks (pool, seen);
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
  atomic_init (&pool->generation, 0);
  atomic_init (&pool->claim, 0);
  atomic_init (&pool->finished, 0);
  atomic_init (&pool->quit, 0);
  atomic_init (&pool->n_chunks, 0);
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
  atomic_store (&pool->quit, 1);
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
  guint spin = 0, gen, n_chunks;

  if (n_items == 0)
    return;
  if (pool == NULL || pool->n_threads == 1 || n_items == 1)
    {
      fn (0, n_items, data);
      return;
    }
  /* The previous job is finished, but a late worker may still hold its
   * claim word, fully claimed, and read the fields below as we write
   * them: with a larger n_chunks its swap would then succeed and run a
   * chunk of the new job twice.  Closing the word first (an index no
   * job has) makes every such swap fail; the exchange orders the late
   * worker's reads before our writes. */
  gen = atomic_load (&pool->generation) + 1;
  atomic_exchange_explicit (&pool->claim, ((guint64) gen << 32) | G_MAXUINT32, memory_order_acq_rel);
  n_chunks = (guint) MIN (n_items, 4 * (gsize) pool->n_threads);
  pool->fn = fn;
  pool->data = data;
  pool->n_items = n_items;
  atomic_store_explicit (&pool->n_chunks, n_chunks, memory_order_relaxed);
  atomic_store (&pool->finished, 0);
  atomic_store_explicit (&pool->claim, (guint64) gen << 32, memory_order_release);
  pthread_mutex_lock (&pool->lock);
  atomic_store (&pool->generation, gen);
  pthread_cond_broadcast (&pool->start);
  pthread_mutex_unlock (&pool->lock);

  pool_run_chunks (pool, gen);

  while (atomic_load (&pool->finished) < n_chunks && spin++ < TC_POOL_SPIN)
    cpu_relax ();
  if (atomic_load (&pool->finished) < n_chunks)
    {
      pthread_mutex_lock (&pool->lock);
      while (atomic_load (&pool->finished) < n_chunks)
        pthread_cond_wait (&pool->done, &pool->lock);
      pthread_mutex_unlock (&pool->lock);
    }
}

/* ------------------------------------------------------------------ */
/* Linear                                                              */

typedef struct
{
  float       *out, *dinp, *dw, *db;
  const float *inp, *w, *b, *dout;
  const float *res;   /* (M, n_out) residual added to out, or NULL */
  gsize        M, n_in, n_out, n_chunks;
  float        dinp_beta;
} LinJob;

/* The forward product is our own kernel, not sgemm: with K = 64 .. 512
 * and a few thousand rows, OpenBLAS spends a fifth of the time packing
 * both operands for every call and writing C twice (bias, then beta =
 * 1), where the arithmetic itself is already at its peak (measured with
 * perf on the default model's inference).  Here the weights are packed
 * once per call into panels of 16 output columns, the inputs are read in
 * place (their values are broadcast, so they need no packing), and bias
 * and residual are added when a tile is stored.
 *
 * Every output element is one chain of fused multiply-adds over k in
 * order, then + b, then + res, whatever tile or thread computes it: a
 * forecast does not depend on the thread count or on how many rows one
 * call holds, and the lean inference's rows equal the full forward's. */
#define GEMM_MR 6    /* rows per tile: 12 accumulators of 8 floats */
#define GEMM_NR 16   /* columns per tile and per weight panel */

/* Per thread, grown as needed: the packed weights of the current call,
 * (ceil (n_out / 16), n_in, 16). */
static GPrivate wpack_key = G_PRIVATE_INIT (g_free);
static GPrivate wpack_cap_key;   /* its capacity in floats, as a pointer */

static float *
wpack_buffer (gsize n)
{
  float *buf = g_private_get (&wpack_key);
  gsize cap = GPOINTER_TO_SIZE (g_private_get (&wpack_cap_key));

  if (buf == NULL || cap < n)
    {
      /* g_private_replace frees the old buffer through the notify. */
      buf = g_new (float, n);
      g_private_replace (&wpack_key, buf);
      g_private_set (&wpack_cap_key, GSIZE_TO_POINTER (n));
    }
  return buf;
}

typedef struct
{
  float       *out;
  const float *inp, *wp, *b, *res;
  gsize        M, K, n_out;
  gboolean     gelu;   /* out = gelu (the sum), for inference's feed-forward */
} GemmJob;

/* wp (n_panels, K, 16) from w (n_out, K): panel q holds W^T's columns
 * 16q .. 16q + 15, zero past n_out. */
TC_HOT static void
pack_panels (gsize begin, gsize end, gpointer data)
{
  GemmJob *j = data;
  gsize K = j->K;
  const float *restrict w = j->inp;   /* the weights, for this job */
  float *restrict wp = j->out;

  for (gsize q = begin; q < end; q++)
    for (gsize jj = 0; jj < GEMM_NR; jj++)
      {
        gsize col = q * GEMM_NR + jj;
        float *restrict dst = wp + q * K * GEMM_NR + jj;

        if (col < j->n_out)
          for (gsize p = 0; p < K; p++)
            dst[p * GEMM_NR] = w[col * K + p];
        else
          for (gsize p = 0; p < K; p++)
            dst[p * GEMM_NR] = 0.0f;
      }
}

/* One tile: rows a[0 .. R) (leading dimension K) times panel wp (K, 16)
 * into c's first @ncols columns (leading dimension ldc).  Always
 * inlined with a constant R, so that the accumulators are registers. */
static inline __attribute__ ((always_inline)) void
gemm_tile (const gsize R, const float *restrict a, const float *restrict wp, gsize K,
           float *c, gsize ldc, gsize ncols, const float *b, const float *res, gboolean gelu)
{
  v8sf acc[GEMM_MR][2];

  for (gsize r = 0; r < R; r++)
    acc[r][0] = acc[r][1] = (v8sf) { 0 };
  for (gsize p = 0; p < K; p++)
    {
      v8sf w0 = load8 (wp + p * GEMM_NR), w1 = load8 (wp + p * GEMM_NR + 8);

      for (gsize r = 0; r < R; r++)
        {
          float av = a[r * K + p];

          acc[r][0] += av * w0;
          acc[r][1] += av * w1;
        }
    }
  for (gsize r = 0; r < R; r++)
    {
      float *crow = c + r * ldc;
      v8sf o0 = acc[r][0], o1 = acc[r][1];

      if (ncols == GEMM_NR)
        {
          if (b != NULL)
            {
              o0 += load8 (b);
              o1 += load8 (b + 8);
            }
          if (res != NULL)
            {
              o0 += load8 (res + r * ldc);
              o1 += load8 (res + r * ldc + 8);
            }
          memcpy (crow, &o0, sizeof o0);
          memcpy (crow + 8, &o1, sizeof o1);
        }
      else
        {
          float t[GEMM_NR];

          memcpy (t, &o0, sizeof o0);
          memcpy (t + 8, &o1, sizeof o1);
          for (gsize jj = 0; jj < ncols; jj++)
            {
              float v = t[jj];

              if (b != NULL)
                v += b[jj];
              if (res != NULL)
                v += res[r * ldc + jj];
              crow[jj] = v;
            }
        }
      /* While the row is in L1: the feed-forward's activation never
       * makes a trip through memory of its own. */
      if (gelu)
        for (gsize jj = 0; jj < ncols; jj++)
          crow[jj] = tc_nn_gelu_inline (crow[jj]);
    }
}

/* Items are tiles of GEMM_MR rows. */
TC_HOT static void
gemm_rows (gsize begin, gsize end, gpointer data)
{
  GemmJob *j = data;
  gsize K = j->K, n = j->n_out, n_panels = (n + GEMM_NR - 1) / GEMM_NR;

  for (gsize t = begin; t < end; t++)
    {
      gsize m0 = t * GEMM_MR, R = MIN (GEMM_MR, j->M - m0);
      const float *a = j->inp + m0 * K;

      for (gsize q = 0; q < n_panels; q++)
        {
          gsize c0 = q * GEMM_NR, nc = MIN (GEMM_NR, n - c0);
          const float *wp = j->wp + q * K * GEMM_NR;
          float *c = j->out + m0 * n + c0;
          const float *b = j->b ? j->b + c0 : NULL;
          const float *res = j->res ? j->res + m0 * n + c0 : NULL;

          switch (R)
            {
            case 6: gemm_tile (6, a, wp, K, c, n, nc, b, res, j->gelu); break;
            case 5: gemm_tile (5, a, wp, K, c, n, nc, b, res, j->gelu); break;
            case 4: gemm_tile (4, a, wp, K, c, n, nc, b, res, j->gelu); break;
            case 3: gemm_tile (3, a, wp, K, c, n, nc, b, res, j->gelu); break;
            case 2: gemm_tile (2, a, wp, K, c, n, nc, b, res, j->gelu); break;
            default: gemm_tile (1, a, wp, K, c, n, nc, b, res, j->gelu); break;
            }
        }
    }
}

static void
linear_forward (TcPool *pool, float *out, const float *res, const float *inp, const float *w,
                const float *b, gsize M, gsize n_in, gsize n_out, gboolean gelu)
{
  gsize n_panels = (n_out + GEMM_NR - 1) / GEMM_NR;
  float *wp = wpack_buffer (n_panels * n_in * GEMM_NR);   /* (n_panels, n_in, 16) */
  GemmJob pack = { .out = wp, .inp = w, .K = n_in, .n_out = n_out };
  GemmJob j = { .out = out, .inp = inp, .wp = wp, .b = b, .res = res, .M = M, .K = n_in,
                .n_out = n_out, .gelu = gelu };

  if (M == 0)
    return;
  tc_pool_for (pool, n_panels, pack_panels, &pack);
  tc_pool_for (pool, (M + GEMM_MR - 1) / GEMM_MR, gemm_rows, &j);
}

void
tc_nn_linear_forward (TcPool *pool, float *out, const float *inp, const float *w, const float *b,
                      gsize M, gsize n_in, gsize n_out)
{
  linear_forward (pool, out, NULL, inp, w, b, M, n_in, n_out, FALSE);
}

void
tc_nn_linear_residual_forward (TcPool *pool, float *out, const float *res, const float *inp,
                               const float *w, const float *b, gsize M, gsize n_in, gsize n_out)
{
  linear_forward (pool, out, res, inp, w, b, M, n_in, n_out, FALSE);
}

void
tc_nn_linear_gelu_forward (TcPool *pool, float *out, const float *inp, const float *w,
                           const float *b, gsize M, gsize n_in, gsize n_out)
{
  linear_forward (pool, out, NULL, inp, w, b, M, n_in, n_out, TRUE);
}

/* Item i computes rows chunk i of dinp (over M) and of dw and db (over
 * n_out), so no two threads write the same element and the sums run in
 * the same order for any thread count. */
TC_HOT static void
linear_backward_chunks (gsize begin, gsize end, gpointer data)
{
  LinJob *j = data;
  gsize M = j->M, n_in = j->n_in, n_out = j->n_out;

  for (gsize i = begin; i < end; i++)
    {
      gsize m0 = M * i / j->n_chunks, m1 = M * (i + 1) / j->n_chunks;
      gsize o0 = n_out * i / j->n_chunks, o1 = n_out * (i + 1) / j->n_chunks;

      if (j->dinp != NULL && m1 > m0)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) (m1 - m0), (int) n_in,
                     (int) n_out, 1.0f, j->dout + m0 * n_out, (int) n_out, j->w, (int) n_in,
                     j->dinp_beta, j->dinp + m0 * n_in, (int) n_in);
      if (o1 > o0)
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) (o1 - o0), (int) n_in,
                     (int) M, 1.0f, j->dout + o0, (int) n_out, j->inp, (int) n_in, 1.0f,
                     j->dw + o0 * n_in, (int) n_in);
      if (j->db != NULL && o1 > o0)
        for (gsize m = 0; m < M; m++)
          {
            const float *row = j->dout + m * n_out;

            for (gsize o = o0; o < o1; o++)
              j->db[o] += row[o];
          }
    }
}

static void
linear_backward (TcPool *pool, float *dinp, float *dw, float *db, const float *dout,
                 const float *inp, const float *w, gsize M, gsize n_in, gsize n_out,
                 float dinp_beta)
{
  LinJob j = { .dinp = dinp, .dw = dw, .db = db, .dout = dout, .inp = inp, .w = w,
               .M = M, .n_in = n_in, .n_out = n_out, .dinp_beta = dinp_beta,
               .n_chunks = MIN (tc_pool_n_threads (pool), MAX (MIN (M, n_out) / 8, 1)) };

  tc_pool_for (pool, j.n_chunks, linear_backward_chunks, &j);
}

void
tc_nn_linear_backward (TcPool *pool, float *dinp, float *dw, float *db, const float *dout,
                       const float *inp, const float *w, gsize M, gsize n_in, gsize n_out)
{
  linear_backward (pool, dinp, dw, db, dout, inp, w, M, n_in, n_out, 1.0f);
}

void
tc_nn_linear_backward_set (TcPool *pool, float *dinp, float *dw, float *db, const float *dout,
                           const float *inp, const float *w, gsize M, gsize n_in, gsize n_out)
{
  linear_backward (pool, dinp, dw, db, dout, inp, w, M, n_in, n_out, 0.0f);
}

/* ------------------------------------------------------------------ */
/* LayerNorm                                                           */

typedef struct
{
  float       *out, *mean, *rstd, *dinp;
  const float *inp, *w, *b, *dout, *cmean, *crstd;
  gsize        C;
} LnJob;

TC_HOT static void
ln_forward_rows (gsize begin, gsize end, gpointer data)
{
  LnJob *j = data;
  gsize C = j->C;
  const float *restrict w = j->w, *restrict bias = j->b;

  for (gsize m = begin; m < end; m++)
    {
      const float *restrict x = j->inp + m * C;
      float *restrict y = j->out + m * C;
      float mu, var = 0.0f, rs;
      v8sf acc = { 0 };
      gsize c = 0;

      mu = lane_sum (x, C) / (float) C;
      for (; c + 8 <= C; c += 8)
        {
          v8sf t = load8 (x + c) - mu;

          acc += t * t;
        }
      for (int l = 0; l < 8; l++)
        var += acc[l];
      for (; c < C; c++)
        var += (x[c] - mu) * (x[c] - mu);
      var /= (float) C;
      rs = 1.0f / sqrtf (var + TC_NN_LN_EPS);
      for (c = 0; c < C; c++)
        y[c] = (x[c] - mu) * rs * w[c] + bias[c];
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

TC_HOT static void
ln_backward_rows (gsize begin, gsize end, gpointer data)
{
  LnJob *j = data;
  gsize C = j->C;
  const float *restrict w = j->w;

  for (gsize m = begin; m < end; m++)
    {
      const float *restrict x = j->inp + m * C;
      const float *restrict dy = j->dout + m * C;
      float *restrict dx = j->dinp + m * C;
      float mu = j->cmean[m], rs = j->crstd[m];
      float sum_g = 0.0f, sum_gx = 0.0f;
      v8sf ag = { 0 }, agx = { 0 };
      gsize c = 0;

      /* g = dy * w is the gradient w.r.t. the normalised value xhat. */
      for (; c + 8 <= C; c += 8)
        {
          v8sf g = load8 (dy + c) * load8 (w + c);

          ag += g;
          agx += g * ((load8 (x + c) - mu) * rs);
        }
      for (int l = 0; l < 8; l++)
        {
          sum_g += ag[l];
          sum_gx += agx[l];
        }
      for (; c < C; c++)
        {
          float g = dy[c] * w[c];

          sum_g += g;
          sum_gx += g * (x[c] - mu) * rs;
        }
      sum_g /= (float) C;
      sum_gx /= (float) C;
      for (c = 0; c < C; c++)
        {
          float xh = (x[c] - mu) * rs;

          dx[c] += rs * (dy[c] * w[c] - sum_g - xh * sum_gx);
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
  return 0.5f * x * (1.0f + verff (x * (float) G_SQRT2 * 0.5f));
}

typedef struct
{
  float       *out, *pre;
  const float *inp, *dout, *bias;
  gboolean     set;
  gsize        C;
} GeluJob;

TC_HOT static void
gelu_forward_range (gsize begin, gsize end, gpointer data)
{
  GeluJob *j = data;
  float *restrict out = j->out;
  const float *restrict inp = j->inp;
  const float inv_sqrt2 = (float) (1.0 / G_SQRT2);

  for (gsize i = begin; i < end; i++)
    out[i] = 0.5f * inp[i] * (1.0f + verff (inp[i] * inv_sqrt2));
}

/* Rows of C: pre += bias, then out = gelu (pre). */
TC_HOT static void
bias_gelu_forward_rows (gsize begin, gsize end, gpointer data)
{
  GeluJob *j = data;
  gsize C = j->C;
  const float *restrict bias = j->bias;

  for (gsize m = begin; m < end; m++)
    {
      float *restrict pre = j->pre + m * C;
      float *restrict out = j->out + m * C;

      for (gsize c = 0; c < C; c++)
        {
          float x = pre[c] + bias[c];

          pre[c] = x;
          out[c] = tc_nn_gelu_inline (x);
        }
    }
}

void
tc_nn_bias_gelu_forward (TcPool *pool, float *out, float *pre, const float *bias, gsize M, gsize C)
{
  GeluJob j = { .out = out, .pre = pre, .bias = bias, .C = C };

  tc_pool_for (pool, M, bias_gelu_forward_rows, &j);
}

void
tc_nn_gelu_forward (TcPool *pool, float *out, const float *inp, gsize n)
{
  GeluJob j = { .out = out, .inp = inp };

  tc_pool_for (pool, n, gelu_forward_range, &j);
}

TC_HOT static void
gelu_backward_range (gsize begin, gsize end, gpointer data)
{
  GeluJob *j = data;
  float *restrict dinp = j->out;
  const float *restrict inp = j->inp;
  const float *restrict dout = j->dout;
  const float inv_sqrt2 = (float) (1.0 / G_SQRT2);
  const float inv_sqrt2pi = (float) (1.0 / sqrt (2.0 * G_PI));

  for (gsize i = begin; i < end; i++)
    {
      float x = inp[i];
      float cdf = 0.5f * (1.0f + verff (x * inv_sqrt2));
      float pdf = inv_sqrt2pi * vexpf (-0.5f * x * x);

      dinp[i] = (j->set ? 0.0f : dinp[i]) + dout[i] * (cdf + x * pdf);
    }
}

void
tc_nn_gelu_backward (TcPool *pool, float *dinp, const float *inp, const float *dout, gsize n)
{
  GeluJob j = { .out = dinp, .inp = inp, .dout = dout };

  tc_pool_for (pool, n, gelu_backward_range, &j);
}

void
tc_nn_gelu_backward_set (TcPool *pool, float *dinp, const float *inp, const float *dout, gsize n)
{
  GeluJob j = { .out = dinp, .inp = inp, .dout = dout, .set = TRUE };

  tc_pool_for (pool, n, gelu_backward_range, &j);
}

/* ------------------------------------------------------------------ */
/* Attention                                                           */

/* C (m, n) = or += A (m, k) B (k, n), all row-major with leading
 * dimensions.  Register-blocked 4 x 8 with GCC vector types so that the
 * accumulators stay in registers (one ymm each with AVX2, two xmm on
 * the baseline), instead of a chain of loads and stores through C.
 * Always inlined, so that it takes the AVX2 clone of its caller. */
static inline __attribute__ ((always_inline)) void
small_gemm (gsize m, gsize n, gsize k, const float *restrict A, gsize lda,
            const float *restrict B, gsize ldb, float *restrict C, gsize ldc, gboolean accumulate)
{
  gsize i = 0;

  for (; i + 4 <= m; i += 4)
    {
      const float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
      float *c0 = C + i * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
      gsize j = 0;

      /* 4 x 16 first: eight independent accumulators keep both FMA
       * pipes busy, where four chains of one vector wait on the FMA
       * latency.  Each element still sums over p in order, as below. */
      for (; j + 16 <= n; j += 16)
        {
          v8sf s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
          v8sf t0 = { 0 }, t1 = { 0 }, t2 = { 0 }, t3 = { 0 };

          for (gsize p = 0; p < k; p++)
            {
              v8sf bv = load8 (B + p * ldb + j), bw = load8 (B + p * ldb + j + 8);

              s0 += a0[p] * bv;
              t0 += a0[p] * bw;
              s1 += a1[p] * bv;
              t1 += a1[p] * bw;
              s2 += a2[p] * bv;
              t2 += a2[p] * bw;
              s3 += a3[p] * bv;
              t3 += a3[p] * bw;
            }
          if (accumulate)
            {
              s0 += load8 (c0 + j);
              s1 += load8 (c1 + j);
              s2 += load8 (c2 + j);
              s3 += load8 (c3 + j);
              t0 += load8 (c0 + j + 8);
              t1 += load8 (c1 + j + 8);
              t2 += load8 (c2 + j + 8);
              t3 += load8 (c3 + j + 8);
            }
          memcpy (c0 + j, &s0, sizeof s0);
          memcpy (c1 + j, &s1, sizeof s1);
          memcpy (c2 + j, &s2, sizeof s2);
          memcpy (c3 + j, &s3, sizeof s3);
          memcpy (c0 + j + 8, &t0, sizeof t0);
          memcpy (c1 + j + 8, &t1, sizeof t1);
          memcpy (c2 + j + 8, &t2, sizeof t2);
          memcpy (c3 + j + 8, &t3, sizeof t3);
        }
      for (; j + 8 <= n; j += 8)
        {
          v8sf s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };

          for (gsize p = 0; p < k; p++)
            {
              v8sf bv = load8 (B + p * ldb + j);

              s0 += a0[p] * bv;
              s1 += a1[p] * bv;
              s2 += a2[p] * bv;
              s3 += a3[p] * bv;
            }
          if (accumulate)
            {
              s0 += load8 (c0 + j);
              s1 += load8 (c1 + j);
              s2 += load8 (c2 + j);
              s3 += load8 (c3 + j);
            }
          memcpy (c0 + j, &s0, sizeof s0);
          memcpy (c1 + j, &s1, sizeof s1);
          memcpy (c2 + j, &s2, sizeof s2);
          memcpy (c3 + j, &s3, sizeof s3);
        }
      for (; j + 4 <= n; j += 4)
        {
          v4sf s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };

          for (gsize p = 0; p < k; p++)
            {
              v4sf bv = load4 (B + p * ldb + j);

              s0 += a0[p] * bv;
              s1 += a1[p] * bv;
              s2 += a2[p] * bv;
              s3 += a3[p] * bv;
            }
          if (accumulate)
            {
              s0 += load4 (c0 + j);
              s1 += load4 (c1 + j);
              s2 += load4 (c2 + j);
              s3 += load4 (c3 + j);
            }
          memcpy (c0 + j, &s0, sizeof s0);
          memcpy (c1 + j, &s1, sizeof s1);
          memcpy (c2 + j, &s2, sizeof s2);
          memcpy (c3 + j, &s3, sizeof s3);
        }
      for (; j < n; j++)
        {
          float s0 = 0, s1 = 0, s2 = 0, s3 = 0;

          for (gsize p = 0; p < k; p++)
            {
              float bv = B[p * ldb + j];

              s0 += a0[p] * bv;
              s1 += a1[p] * bv;
              s2 += a2[p] * bv;
              s3 += a3[p] * bv;
            }
          c0[j] = accumulate ? c0[j] + s0 : s0;
          c1[j] = accumulate ? c1[j] + s1 : s1;
          c2[j] = accumulate ? c2[j] + s2 : s2;
          c3[j] = accumulate ? c3[j] + s3 : s3;
        }
    }
  for (; i < m; i++)
    {
      float *c = C + i * ldc;

      if (!accumulate)
        for (gsize j = 0; j < n; j++)
          c[j] = 0.0f;
      for (gsize p = 0; p < k; p++)
        {
          float a = A[i * lda + p];
          const float *b = B + p * ldb;

          for (gsize j = 0; j < n; j++)
            c[j] += a * b[j];
        }
    }
}

/* dst (cols, rows) = src (rows, cols)^T; src has leading dimension lds,
 * dst ldd (>= rows). */
/* Always inlined: a copy of its own would be the baseline x86-64 one
 * (it is not TC_HOT), with every 8-wide shuffle split in two. */
static inline __attribute__ ((always_inline)) void
transpose (float *restrict dst, const float *restrict src, gsize rows, gsize cols, gsize lds,
           gsize ldd)
{
  /* GCC's generic shuffle takes a mask vector; clang (the fuzzing build)
   * only has __builtin_shufflevector with the indices as constants. */
#ifdef __clang__
#define SHUF(a, b, m) SHUF_##m (a, b)
#define SHUF_lo(a, b) __builtin_shufflevector (a, b, 0, 8, 1, 9, 4, 12, 5, 13)
#define SHUF_hi(a, b) __builtin_shufflevector (a, b, 2, 10, 3, 11, 6, 14, 7, 15)
#define SHUF_lo2(a, b) __builtin_shufflevector (a, b, 0, 1, 8, 9, 4, 5, 12, 13)
#define SHUF_hi2(a, b) __builtin_shufflevector (a, b, 2, 3, 10, 11, 6, 7, 14, 15)
#define SHUF_lane_lo(a, b) __builtin_shufflevector (a, b, 0, 1, 2, 3, 8, 9, 10, 11)
#define SHUF_lane_hi(a, b) __builtin_shufflevector (a, b, 4, 5, 6, 7, 12, 13, 14, 15)
#else
  typedef int v8si __attribute__ ((vector_size (32)));
  const v8si lo = { 0, 8, 1, 9, 4, 12, 5, 13 }, hi = { 2, 10, 3, 11, 6, 14, 7, 15 };
  const v8si lo2 = { 0, 1, 8, 9, 4, 5, 12, 13 }, hi2 = { 2, 3, 10, 11, 6, 7, 14, 15 };
  const v8si lane_lo = { 0, 1, 2, 3, 8, 9, 10, 11 }, lane_hi = { 4, 5, 6, 7, 12, 13, 14, 15 };
#define SHUF(a, b, m) __builtin_shuffle (a, b, m)
#endif
  gsize r0 = 0;

  /* 8 x 8 blocks in registers (unpack, shuffle, lane permute: the usual
   * AVX transpose, written with GCC's generic shuffles). */
  for (; r0 + 8 <= rows; r0 += 8)
    {
      gsize c0 = 0;

      for (; c0 + 8 <= cols; c0 += 8)
        {
          v8sf x[8], t[8], u[8];

          for (int i = 0; i < 8; i++)
            x[i] = load8 (src + (r0 + i) * lds + c0);
          for (int i = 0; i < 8; i += 2)
            {
              t[i] = SHUF (x[i], x[i + 1], lo);
              t[i + 1] = SHUF (x[i], x[i + 1], hi);
            }
          for (int i = 0; i < 8; i += 4)
            {
              u[i] = SHUF (t[i], t[i + 2], lo2);
              u[i + 1] = SHUF (t[i], t[i + 2], hi2);
              u[i + 2] = SHUF (t[i + 1], t[i + 3], lo2);
              u[i + 3] = SHUF (t[i + 1], t[i + 3], hi2);
            }
          for (int i = 0; i < 4; i++)
            {
              v8sf a = SHUF (u[i], u[i + 4], lane_lo);
              v8sf b = SHUF (u[i], u[i + 4], lane_hi);

              memcpy (dst + (c0 + i) * ldd + r0, &a, sizeof a);
              memcpy (dst + (c0 + i + 4) * ldd + r0, &b, sizeof b);
            }
        }
      for (; c0 < cols; c0++)
        for (gsize r = r0; r < r0 + 8; r++)
          dst[c0 * ldd + r] = src[r * lds + c0];
    }
  for (gsize r = r0; r < rows; r++)
    for (gsize c = 0; c < cols; c++)
      dst[c * ldd + r] = src[r * lds + c];
}

typedef struct
{
  float        *out, *att, *dqkv, *scratch, *tr;
  const float  *qkv, *dout, *catt;
  const guint8 *key_mask;
  gsize         N, d, h;
} AttJob;

static inline gsize
pad8 (gsize n)
{
  return (n + 7) & ~(gsize) 7;
}

gsize
tc_nn_attention_scratch (gsize N, gsize hs)
{
  /* The forward's (hs + NQ + 2, pad8 (N)), the backward's (max (hs, N), N). */
  return MAX ((hs + N + 2) * pad8 (N), MAX (hs, N) * N);
}

/* One head of one window: out (NQ, hs) = softmax (scale Q K^T + mask) V
 * for NQ queries against N keys, the probabilities also into att (NQ, N).
 * The scores live in rows padded to a multiple of 8 (the padding keys
 * masked), so that the softmax runs on whole vectors: with N = 20, a
 * quarter of every row was a scalar remainder, and the row sums a scalar
 * chain.  Always inlined into the kernels' AVX2 clones. */
static inline __attribute__ ((always_inline)) void
att_head_forward (gsize NQ, gsize N, gsize hs, float scale,
                  const float *q, gsize ldq,         /* (NQ, hs) */
                  const float *k, const float *v,    /* (N, hs) each */
                  gsize ldkv, const guint8 *km,      /* (N) or NULL */
                  float *restrict scratch,           /* tc_nn_attention_scratch (N, hs) */
                  float *restrict att,               /* (NQ, N) */
                  float *out, gsize ldo)             /* (NQ, hs) */
{
  gsize NP = pad8 (N);
  float *restrict kt = scratch;              /* (hs, NP), keys past N zero */
  float *restrict sc = kt + hs * NP;         /* (NQ, NP) */
  float *restrict madd = sc + NQ * NP;       /* (NP) 0 or -inf per key */
  float *restrict rmax = madd + NP;          /* (NQ) row maxima, then 1 / row sums */

  for (gsize s = 0; s < NP; s++)
    madd[s] = s < N && (km == NULL || km[s]) ? 0.0f : -INFINITY;
  transpose (kt, k, N, hs, ldkv, NP);
  for (gsize c = 0; c < hs; c++)
    for (gsize s = N; s < NP; s++)
      kt[c * NP + s] = 0.0f;
  small_gemm (NQ, NP, hs, q, ldq, kt, NP, sc, NP, FALSE);

  /* In passes over all rows rather than row by row: exp is a long chain
   * of dependent operations, and a row holds only NP / 8 vectors, too few
   * to hide its latency; the whole (NQ, NP) block keeps the pipes full. */
  for (gsize t = 0; t < NQ; t++)
    {
      float *restrict row = sc + t * NP;
      v8sf mx8 = { -INFINITY, -INFINITY, -INFINITY, -INFINITY,
                   -INFINITY, -INFINITY, -INFINITY, -INFINITY };
      float mx = -INFINITY;

      for (gsize s = 0; s < NP; s++)
        row[s] = row[s] * scale + madd[s];
      /* Max in eight lanes; a NaN never wins a comparison, as in a
       * scalar max, and still reaches the sum through exp. */
      for (gsize s = 0; s < NP; s += 8)
        {
          v8sf x = load8 (row + s);

          for (int l = 0; l < 8; l++)
            mx8[l] = x[l] > mx8[l] ? x[l] : mx8[l];
        }
      for (int l = 0; l < 8; l++)
        mx = mx8[l] > mx ? mx8[l] : mx;
      /* Every key masked: attend to nothing (exp (-inf - 0) = 0 below). */
      rmax[t] = mx == -INFINITY ? 0.0f : mx;
    }
  for (gsize t = 0; t < NQ; t++)
    {
      float *restrict row = sc + t * NP;
      float m = rmax[t];

      for (gsize s = 0; s < NP; s++)
        row[s] = row[s] == -INFINITY ? 0.0f : vexpf (row[s] - m);
    }
  for (gsize t = 0; t < NQ; t++)
    {
      float sum = lane_sum (sc + t * NP, NP);

      rmax[t] = sum > 0.0f ? 1.0f / sum : 0.0f;
      if (sum != sum)
        rmax[t] = sum;   /* NaN scores give NaN weights, never zeros */
    }
  for (gsize t = 0; t < NQ; t++)
    {
      float *restrict row = sc + t * NP;
      float inv = rmax[t];

      for (gsize s = 0; s < NP; s++)
        row[s] *= inv;
      memcpy (att + t * N, row, N * sizeof (float));
    }
  small_gemm (NQ, hs, N, sc, NP, v, ldkv, out, ldo, FALSE);
}

/* One (b, head) pair per item.  With N around 20 and a head size of 16
 * the products are far too small for sgemm's call overhead, so they go
 * through small_gemm on transposed copies. */
TC_HOT static void
att_forward_items (gsize begin, gsize end, gpointer data)
{
  AttJob *j = data;
  gsize N = j->N, d = j->d, h = j->h, hs = d / h, d3 = 3 * d;
  gsize per_item = tc_nn_attention_scratch (N, hs);
  float scale = 1.0f / sqrtf ((float) hs);

  for (gsize item = begin; item < end; item++)
    {
      gsize b = item / h, hd = item % h;
      const float *base = j->qkv + b * N * d3;   /* (N, 3d): q | k | v */

      att_head_forward (N, N, hs, scale, base + hd * hs, d3, base + d + hd * hs,
                        base + 2 * d + hd * hs, d3,
                        j->key_mask ? j->key_mask + b * N : NULL, j->tr + item * per_item,
                        j->att + item * N * N, j->out + b * N * d + hd * hs, d);
    }
}

void
tc_nn_attention_forward (TcPool *pool, float *out, float *att, float *scratch, const float *qkv,
                         const guint8 *key_mask, gsize B, gsize N, gsize d, gsize h)
{
  AttJob j = { .out = out, .att = att, .tr = scratch, .qkv = qkv, .key_mask = key_mask,
               .N = N, .d = d, .h = h };

  tc_pool_for (pool, B * h, att_forward_items, &j);
}


typedef struct
{
  float        *out, *att, *tr;
  const float  *q, *kv;
  const guint8 *key_mask;
  gsize         N, NQ, d, h;
} AttRowsJob;

TC_HOT static void
att_rows_items (gsize begin, gsize end, gpointer data)
{
  AttRowsJob *j = data;
  gsize N = j->N, NQ = j->NQ, d = j->d, h = j->h, hs = d / h, d2 = 2 * d;
  gsize per_item = tc_nn_attention_scratch (N, hs);
  float scale = 1.0f / sqrtf ((float) hs);

  for (gsize item = begin; item < end; item++)
    {
      gsize b = item / h, hd = item % h;
      const float *kv = j->kv + b * N * d2;   /* (N, 2d): k | v */

      att_head_forward (NQ, N, hs, scale, j->q + b * NQ * d + hd * hs, d, kv + hd * hs,
                        kv + d + hd * hs, d2,
                        j->key_mask ? j->key_mask + b * N : NULL, j->tr + item * per_item,
                        j->att + item * NQ * N, j->out + b * NQ * d + hd * hs, d);
    }
}

void
tc_nn_attention_rows_forward (TcPool *pool, float *out, float *att, float *scratch,
                              const float *q, const float *kv, const guint8 *key_mask,
                              gsize B, gsize N, gsize NQ, gsize d, gsize h)
{
  AttRowsJob j = { .out = out, .att = att, .tr = scratch, .q = q, .kv = kv,
                   .key_mask = key_mask, .N = N, .NQ = NQ, .d = d, .h = h };

  tc_pool_for (pool, B * h, att_rows_items, &j);
}

TC_HOT static void
att_backward_items (gsize begin, gsize end, gpointer data)
{
  AttJob *j = data;
  gsize N = j->N, d = j->d, h = j->h, hs = d / h, d3 = 3 * d;
  float scale = 1.0f / sqrtf ((float) hs);

  for (gsize item = begin; item < end; item++)
    {
      gsize b = item / h, hd = item % h;
      const float *base = j->qkv + b * N * d3;
      const float *q = base + hd * hs;             /* (N, hs), stride 3d */
      const float *k = base + d + hd * hs;
      float *dbase = j->dqkv + b * N * d3;
      const float *dy = j->dout + b * N * d + hd * hs;   /* (N, hs), stride d */
      const float *att = j->catt + item * N * N;
      float *restrict ds = j->scratch + item * N * N;    /* (N, N) */
      float *restrict tr = j->tr + item * tc_nn_attention_scratch (N, hs);  /* (hs, N) or (N, N) */

      /* dV += P^T dY. */
      transpose (tr, att, N, N, N, N);
      small_gemm (N, hs, N, tr, N, dy, d, dbase + 2 * d + hd * hs, d3, TRUE);

      /* dP = dY V^T, then the softmax backward with the score scale. */
      transpose (tr, base + 2 * d + hd * hs, N, hs, d3, N);
      small_gemm (N, N, hs, dy, d, tr, N, ds, N, FALSE);
      for (gsize t = 0; t < N; t++)
        {
          const float *restrict prow = att + t * N;
          float *restrict drow = ds + t * N;
          float dot_pd = 0.0f;

          for (gsize s = 0; s < N; s++)
            dot_pd += drow[s] * prow[s];
          for (gsize s = 0; s < N; s++)
            drow[s] = prow[s] * (drow[s] - dot_pd) * scale;
        }
      /* dQ += dS K and dK += dS^T Q. */
      small_gemm (N, hs, N, ds, N, k, d3, dbase + hd * hs, d3, TRUE);
      transpose (tr, ds, N, N, N, N);
      small_gemm (N, hs, N, tr, N, q, d3, dbase + d + hd * hs, d3, TRUE);
    }
}

void
tc_nn_attention_backward (TcPool *pool, float *dqkv, float *scratch, float *scratch2,
                          const float *dout, const float *qkv, const float *att,
                          gsize B, gsize N, gsize d, gsize h)
{
  AttJob j = { .dqkv = dqkv, .scratch = scratch, .tr = scratch2, .dout = dout, .qkv = qkv,
               .catt = att, .N = N, .d = d, .h = h };

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

/* A 32-bit counter hash (murmur3's finaliser) that vectorises with AVX2;
 * 24 of its bits make the uniform number. */
static inline float
hash_uniform32 (guint32 key, guint32 index)
{
  guint32 x = key ^ (index * 0x9e3779b9u);

  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return (float) (x >> 8) * (1.0f / 16777216.0f);
}

typedef struct
{
  float       *x, *mask, *out;
  const float *dout, *cmask, *res;
  float        p, keep_scale;
  guint32      key;
  gsize        index0;   /* element i draws number index0 + i */
} DropJob;

TC_HOT static void
dropout_forward_range (gsize begin, gsize end, gpointer data)
{
  DropJob *j = data;
  float *restrict x = j->x, *restrict mask = j->mask;

  for (gsize i = begin; i < end; i++)
    {
      float m = hash_uniform32 (j->key, (guint32) i) >= j->p ? j->keep_scale : 0.0f;

      mask[i] = m;
      x[i] *= m;
    }
}

static guint32
fold_key (guint64 key)
{
  guint64 k = key;

  return (guint32) (splitmix64 (&k) >> 32);
}

void
tc_nn_dropout_forward (TcPool *pool, float *x, float *mask, gsize n, float p, guint64 key)
{
  DropJob j = { .x = x, .mask = mask, .p = p, .keep_scale = 1.0f / (1.0f - p),
                .key = fold_key (key) };

  tc_pool_for (pool, n, dropout_forward_range, &j);
}

TC_HOT static void
dropout_add_range (gsize begin, gsize end, gpointer data)
{
  DropJob *j = data;
  float *restrict x = j->x, *restrict mask = j->mask, *restrict out = j->out;
  const float *restrict res = j->res;

  for (gsize i = begin; i < end; i++)
    {
      float m = hash_uniform32 (j->key, (guint32) (j->index0 + i)) >= j->p ? j->keep_scale : 0.0f;

      mask[i] = m;
      x[i] *= m;
      out[i] = res[i] + x[i];
    }
}

void
tc_nn_dropout_add_forward (TcPool *pool, float *out, const float *res, float *x, float *mask,
                           gsize n, float p, guint64 key)
{
  tc_nn_dropout_add_forward_at (pool, out, res, x, mask, n, p, key, 0);
}

void
tc_nn_dropout_add_forward_at (TcPool *pool, float *out, const float *res, float *x, float *mask,
                              gsize n, float p, guint64 key, gsize index0)
{
  DropJob j = { .out = out, .res = res, .x = x, .mask = mask, .p = p,
                .keep_scale = 1.0f / (1.0f - p), .key = fold_key (key), .index0 = index0 };

  tc_pool_for (pool, n, dropout_add_range, &j);
}

TC_HOT static void
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
/* Elementwise                                                         */

typedef struct
{
  float       *out;
  const float *a, *b;
} AddJob;

TC_HOT static void
add_range (gsize begin, gsize end, gpointer data)
{
  AddJob *j = data;

  for (gsize i = begin; i < end; i++)
    j->out[i] = j->a[i] + j->b[i];
}

void
tc_nn_add (TcPool *pool, float *out, const float *a, const float *b, gsize n)
{
  AddJob j = { .out = out, .a = a, .b = b };

  tc_pool_for (pool, n, add_range, &j);
}

/* ------------------------------------------------------------------ */
/* AdamW                                                               */

typedef struct
{
  float       *p, *m, *v;
  const float *g;
  float        lr, beta1, beta2, eps, decay, gscale, bc1, bc2;
} AdamJob;

TC_HOT static void
adamw_range (gsize begin, gsize end, gpointer data)
{
  AdamJob *j = data;
  float *restrict p = j->p, *restrict m = j->m, *restrict v = j->v;
  const float *restrict g = j->g;
  float b1 = j->beta1, b2 = j->beta2, inv_bc1 = 1.0f / j->bc1, inv_bc2 = 1.0f / j->bc2;

  for (gsize i = begin; i < end; i++)
    {
      float gi = g[i] * j->gscale;

      m[i] = b1 * m[i] + (1.0f - b1) * gi;
      v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
      p[i] = p[i] * j->decay - j->lr * (m[i] * inv_bc1) / (sqrtf (v[i] * inv_bc2) + j->eps);
    }
}

void
tc_nn_adamw_update (TcPool *pool, float *p, const float *g, float *m, float *v, gsize n,
                    float lr, float beta1, float beta2, float eps, float weight_decay,
                    float gscale, guint t)
{
  AdamJob j = { .p = p, .m = m, .v = v, .g = g, .lr = lr, .beta1 = beta1, .beta2 = beta2,
                .eps = eps, .decay = 1.0f - lr * weight_decay, .gscale = gscale,
                .bc1 = 1.0f - powf (beta1, (float) t), .bc2 = 1.0f - powf (beta2, (float) t) };

  tc_pool_for (pool, n, adamw_range, &j);
}

typedef struct
{
  const float *g;
  double      *partial;   /* (n_threads) */
  gsize        n, n_chunks;
} SqJob;

static void
sumsq_chunks (gsize begin, gsize end, gpointer data)
{
  SqJob *j = data;

  for (gsize c = begin; c < end; c++)
    {
      gsize i0 = j->n * c / j->n_chunks, i1 = j->n * (c + 1) / j->n_chunks;
      double s = 0.0;

      for (gsize i = i0; i < i1; i++)
        s += (double) j->g[i] * j->g[i];
      j->partial[c] = s;
    }
}

double
tc_nn_sum_squares (TcPool *pool, const float *g, gsize n)
{
  double partial[64], s = 0.0;
  SqJob j = { .g = g, .partial = partial, .n = n, .n_chunks = MIN (tc_pool_n_threads (pool), 64) };

  /* Fixed chunks summed in a fixed order: same thread count, same bits. */
  tc_pool_for (pool, j.n_chunks, sumsq_chunks, &j);
  for (gsize c = 0; c < j.n_chunks; c++)
    s += partial[c];
  return s;
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
