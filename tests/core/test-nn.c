/* test-nn.c — finite-difference gradient checks of every layer on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check builds a scalar L = sum (out * R) with a fixed random R, runs
 * the layer's backward with dout = R, and compares every analytic
 * gradient entry with the central difference (L(x+e) - L(x-e)) / 2e.
 * L is summed in double.  The forward runs in float, so e is 1e-2 on
 * inputs of order 1 (float rounding noise ~1e-6 / 2e stays ~1e-4 while
 * the O(e^2) truncation error stays ~1e-4 too); the bound is on the
 * vector relative error |num - ana| / (|num| + |ana|) and stated per test:
 * 1e-4 for layers linear in the checked argument (linear, embeddings,
 * losses away from the kink), 5e-4 for the curved ones (LayerNorm,
 * softmax attention), 2e-4 for GELU.  Measured errors are 1e-6 to 2e-5.
 */
#include <math.h>
#include <string.h>

#include "tc-nn.h"

#define EPS 1e-2f

typedef double (*LossFunc) (gpointer ctx);

static double
dot_d (const float *a, const float *b, gsize n)
{
  double s = 0.0;

  for (gsize i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

static void
fill (TcRng *rng, float *x, gsize n, float scale)
{
  for (gsize i = 0; i < n; i++)
    x[i] = scale * (2.0f * tc_rng_uniform (rng) - 1.0f);
}

/* Returns the vector relative error between the numeric gradient of
 * @loss w.r.t. @x and @ana. */
static double
grad_error (float *x, gsize n, const float *ana, LossFunc loss, gpointer ctx, const char *what)
{
  double num_sq = 0, diff_sq = 0, ana_sq = 0, rel;

  for (gsize i = 0; i < n; i++)
    {
      float keep = x[i];
      double lp, lm, num;

      x[i] = keep + EPS;
      lp = loss (ctx);
      x[i] = keep - EPS;
      lm = loss (ctx);
      x[i] = keep;
      num = (lp - lm) / (2.0 * EPS);
      num_sq += num * num;
      ana_sq += (double) ana[i] * ana[i];
      diff_sq += (num - ana[i]) * (num - ana[i]);
    }
  rel = sqrt (diff_sq) / MAX (sqrt (num_sq) + sqrt (ana_sq), 1e-12);
  g_test_message ("%s: |grad| %.4g, relative error %.3g", what, sqrt (ana_sq), rel);
  /* A check of an all-zero gradient would prove nothing. */
  g_assert_cmpfloat (sqrt (ana_sq), >, 1e-6);
  return rel;
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize M, n_in, n_out;
  float *x, *w, *b, *out, *r;
  TcPool *pool;
} LinCtx;

static double
lin_loss (gpointer data)
{
  LinCtx *c = data;

  tc_nn_linear_forward (c->pool, c->out, c->x, c->w, c->b, c->M, c->n_in, c->n_out);
  return dot_d (c->out, c->r, c->M * c->n_out);
}

/* out = res + inp W^T + b in one call equals the product, then the add;
 * 300 rows span several chunks, with and without a bias, 1 and 2 threads. */
static void
test_linear_residual (void)
{
  enum { M = 300, NI = 7, NO = 5 };
  g_autofree float *inp = g_new (float, M * NI), *w = g_new (float, NO * NI);
  g_autofree float *res = g_new (float, M * NO), *ref = g_new (float, M * NO);
  g_autofree float *out = g_new (float, M * NO);
  float b[NO];
  TcRng rng;

  tc_rng_seed (&rng, 21);
  for (gsize i = 0; i < M * NI; i++)
    inp[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < NO * NI; i++)
    w[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < M * NO; i++)
    res[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < NO; i++)
    b[i] = tc_rng_normal (&rng);
  for (guint threads = 1; threads <= 2; threads++)
    for (int with_bias = 0; with_bias < 2; with_bias++)
      {
        g_autoptr (TcPool) pool = tc_pool_new (threads);

        tc_nn_linear_forward (NULL, ref, inp, w, with_bias ? b : NULL, M, NI, NO);
        tc_nn_add (NULL, ref, ref, res, M * NO);
        tc_nn_linear_residual_forward (pool, out, res, inp, w, with_bias ? b : NULL, M, NI, NO);
        for (gsize i = 0; i < M * NO; i++)
          g_assert_cmpfloat (fabsf (out[i] - ref[i]), <, 1e-5f * MAX (fabsf (ref[i]), 1.0f));
      }
}

/* The fused feed-forward input gives the bits of the product, then the
 * separate bias and GELU pass (what training runs), on 1 and 2 threads. */
static void
test_linear_gelu (void)
{
  enum { M = 41, NI = 19, NO = 37 };
  g_autofree float *inp = g_new (float, M * NI), *w = g_new (float, NO * NI);
  g_autofree float *pre = g_new (float, M * NO), *ref = g_new (float, M * NO);
  g_autofree float *out = g_new (float, M * NO);
  float b[NO];
  TcRng rng;

  tc_rng_seed (&rng, 23);
  for (gsize i = 0; i < M * NI; i++)
    inp[i] = 2.0f * tc_rng_normal (&rng);
  for (gsize i = 0; i < NO * NI; i++)
    w[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < NO; i++)
    b[i] = tc_rng_normal (&rng);
  tc_nn_linear_forward (NULL, pre, inp, w, NULL, M, NI, NO);
  tc_nn_bias_gelu_forward (NULL, ref, pre, b, M, NO);
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr (TcPool) pool = tc_pool_new (threads);

      tc_nn_linear_gelu_forward (pool, out, inp, w, b, M, NI, NO);
      g_assert_cmpmem (out, M * NO * sizeof (float), ref, M * NO * sizeof (float));
    }
}

/* bf16 products: against an fp64 reference, each element within the
 * rounding of both operands to 8 significant bits (2^-8 of the sum of
 * |a w|, twice that for safety) plus bias and residual in fp32; the same
 * bits for 1 and 2 threads; odd K, columns past a panel, rows past a
 * tile.  Where the CPU lacks AVX512-BF16 it must be the fp32 product
 * exactly. */
static void
test_linear_bf16 (void)
{
  enum { M = 37, NI = 75, NO = 45 };
  g_autofree float *inp = g_new (float, M * NI), *w = g_new (float, NO * NI);
  g_autofree float *res = g_new (float, M * NO), *out1 = g_new (float, M * NO);
  g_autofree float *out2 = g_new (float, M * NO), *f32 = g_new (float, M * NO);
  g_autoptr (TcPool) pool = tc_pool_new (2);
  float b[NO];
  TcRng rng;

  tc_rng_seed (&rng, 22);
  for (gsize i = 0; i < M * NI; i++)
    inp[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < NO * NI; i++)
    w[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < M * NO; i++)
    res[i] = tc_rng_normal (&rng);
  for (gsize i = 0; i < NO; i++)
    b[i] = tc_rng_normal (&rng);

  tc_nn_linear_forward_bf16 (NULL, out1, res, inp, w, b, M, NI, NO, FALSE);
  tc_nn_linear_forward_bf16 (pool, out2, res, inp, w, b, M, NI, NO, FALSE);
  g_assert_cmpmem (out1, M * NO * sizeof (float), out2, M * NO * sizeof (float));
  tc_nn_linear_residual_forward (NULL, f32, res, inp, w, b, M, NI, NO);
  if (!tc_nn_bf16_supported ())
    {
      g_assert_cmpmem (out1, M * NO * sizeof (float), f32, M * NO * sizeof (float));
      g_test_message ("no AVX512-BF16 here: the fp32 product was checked");
      return;
    }
  for (gsize m = 0; m < M; m++)
    for (gsize n = 0; n < NO; n++)
      {
        double ref = (double) b[n] + res[m * NO + n], mag = 0.0;

        for (gsize k = 0; k < NI; k++)
          {
            ref += (double) inp[m * NI + k] * w[n * NI + k];
            mag += fabs ((double) inp[m * NI + k] * w[n * NI + k]);
          }
        g_assert_cmpfloat (fabs (out1[m * NO + n] - ref), <=, 2.0 * mag / 256.0 + 1e-4);
      }
  /* And not the fp32 product: the bf16 path really ran. */
  g_assert_true (memcmp (out1, f32, M * NO * sizeof (float)) != 0);
}

static void
test_linear (void)
{
  /* Big enough for the two-thread pool to split rows and outputs. */
  LinCtx c = { .M = 40, .n_in = 7, .n_out = 19 };
  g_autoptr (TcPool) pool = tc_pool_new (2);
  TcRng rng;
  g_autofree float *x = g_new (float, c.M * c.n_in);
  g_autofree float *w = g_new (float, c.n_out * c.n_in);
  g_autofree float *b = g_new (float, c.n_out);
  g_autofree float *out = g_new (float, c.M * c.n_out);
  g_autofree float *r = g_new (float, c.M * c.n_out);
  g_autofree float *dx = g_new0 (float, c.M * c.n_in);
  g_autofree float *dw = g_new0 (float, c.n_out * c.n_in);
  g_autofree float *db = g_new0 (float, c.n_out);

  tc_rng_seed (&rng, 1);
  fill (&rng, x, c.M * c.n_in, 1);
  fill (&rng, w, c.n_out * c.n_in, 1);
  fill (&rng, b, c.n_out, 1);
  fill (&rng, r, c.M * c.n_out, 1);
  c.x = x, c.w = w, c.b = b, c.out = out, c.r = r, c.pool = pool;

  tc_nn_linear_backward (c.pool, dx, dw, db, r, x, w, c.M, c.n_in, c.n_out);
  /* Linear in every argument: only float rounding remains. */
  g_assert_cmpfloat (grad_error (x, c.M * c.n_in, dx, lin_loss, &c, "linear dx"), <, 1e-4);
  g_assert_cmpfloat (grad_error (w, c.n_out * c.n_in, dw, lin_loss, &c, "linear dw"), <, 1e-4);
  g_assert_cmpfloat (grad_error (b, c.n_out, db, lin_loss, &c, "linear db"), <, 1e-4);

  /* Backward accumulates: a second call doubles the gradients. */
  {
    float db1 = db[0];
    g_autofree float *dx1 = g_memdup2 (dx, c.M * c.n_in * sizeof (float));

    tc_nn_linear_backward (c.pool, dx, dw, db, r, x, w, c.M, c.n_in, c.n_out);
    g_assert_cmpfloat (fabsf (db[0] - 2 * db1), <, 1e-5f);
    /* The _set variant overwrites dinp, whatever it held. */
    for (gsize i = 0; i < c.M * c.n_in; i++)
      dx[i] = 1e6f;
    tc_nn_linear_backward_set (c.pool, dx, dw, db, r, x, w, c.M, c.n_in, c.n_out);
    for (gsize i = 0; i < c.M * c.n_in; i++)
      g_assert_cmpfloat (fabsf (dx[i] - dx1[i]), <, 1e-5f);
    g_assert_cmpfloat (fabsf (db[0] - 3 * db1), <, 1e-5f);
  }
}

/* The backward products at sizes past the small ones of /nn/linear,
 * against an fp64 reference, on 1 and 2 threads. */
static void
test_linear_backward_sizes (void)
{
  enum { M = 71, NI = 37, NO = 50 };
  g_autofree float *x = g_new (float, M * NI), *w = g_new (float, NO * NI);
  g_autofree float *dy = g_new (float, M * NO);
  float *dx[2], *dw[2], *db[2];
  TcRng rng;

  tc_rng_seed (&rng, 24);
  fill (&rng, x, M * NI, 1);
  fill (&rng, w, NO * NI, 1);
  fill (&rng, dy, M * NO, 1);
  for (guint t = 0; t < 2; t++)
    {
      g_autoptr (TcPool) pool = tc_pool_new (t + 1);

      dx[t] = g_new (float, M * NI);
      dw[t] = g_new0 (float, NO * NI);
      db[t] = g_new0 (float, NO);
      for (gsize i = 0; i < M * NI; i++)
        dx[t][i] = 0.5f;
      tc_nn_linear_backward (pool, dx[t], dw[t], db[t], dy, x, w, M, NI, NO);
    }
  /* sgemm may round a row differently with another row count. */
  for (gsize i = 0; i < M * NI; i++)
    g_assert_cmpfloat (fabsf (dx[0][i] - dx[1][i]), <, 1e-5f * MAX (fabsf (dx[0][i]), 1.0f));
  for (gsize i = 0; i < NO * NI; i++)
    g_assert_cmpfloat (fabsf (dw[0][i] - dw[1][i]), <, 1e-5f * MAX (fabsf (dw[0][i]), 1.0f));
  for (gsize i = 0; i < NO; i++)
    g_assert_cmpfloat (fabsf (db[0][i] - db[1][i]), <, 1e-5f * MAX (fabsf (db[0][i]), 1.0f));
  for (gsize m = 0; m < M; m++)
    for (gsize i = 0; i < NI; i++)
      {
        double ref = 0.5;

        for (gsize o = 0; o < NO; o++)
          ref += (double) dy[m * NO + o] * w[o * NI + i];
        g_assert_cmpfloat (fabs (dx[0][m * NI + i] - ref), <, 1e-4);
      }
  for (gsize o = 0; o < NO; o++)
    {
      double rb = 0;

      for (gsize i = 0; i < NI; i++)
        {
          double ref = 0;

          for (gsize m = 0; m < M; m++)
            ref += (double) dy[m * NO + o] * x[m * NI + i];
          g_assert_cmpfloat (fabs (dw[0][o * NI + i] - ref), <, 1e-4);
        }
      for (gsize m = 0; m < M; m++)
        rb += dy[m * NO + o];
      g_assert_cmpfloat (fabs (db[0][o] - rb), <, 1e-4);
    }
  for (guint t = 0; t < 2; t++)
    {
      g_free (dx[t]);
      g_free (dw[t]);
      g_free (db[t]);
    }
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize M, C;
  float *x, *w, *b, *out, *mean, *rstd, *r;
} LnCtx;

static double
ln_loss (gpointer data)
{
  LnCtx *c = data;

  tc_nn_layernorm_forward (NULL, c->out, c->mean, c->rstd, c->x, c->w, c->b, c->M, c->C);
  return dot_d (c->out, c->r, c->M * c->C);
}

static void
test_layernorm (void)
{
  LnCtx c = { .M = 5, .C = 12 };
  TcRng rng;
  g_autofree float *x = g_new (float, c.M * c.C);
  g_autofree float *w = g_new (float, c.C);
  g_autofree float *b = g_new (float, c.C);
  g_autofree float *out = g_new (float, c.M * c.C);
  g_autofree float *mean = g_new (float, c.M);
  g_autofree float *rstd = g_new (float, c.M);
  g_autofree float *r = g_new (float, c.M * c.C);
  g_autofree float *dx = g_new0 (float, c.M * c.C);
  g_autofree float *dw = g_new0 (float, c.C);
  g_autofree float *db = g_new0 (float, c.C);
  g_autoptr (TcPool) pool = NULL;

  tc_rng_seed (&rng, 2);
  fill (&rng, x, c.M * c.C, 2);
  fill (&rng, w, c.C, 1);
  fill (&rng, b, c.C, 1);
  fill (&rng, r, c.M * c.C, 1);
  c.x = x, c.w = w, c.b = b, c.out = out, c.mean = mean, c.rstd = rstd, c.r = r;

  /* Forward with a two-thread pool must equal the serial one. */
  pool = tc_pool_new (2);
  tc_nn_layernorm_forward (pool, out, mean, rstd, x, w, b, c.M, c.C);
  {
    g_autofree float *out2 = g_memdup2 (out, c.M * c.C * sizeof (float));

    ln_loss (&c);
    g_assert_cmpmem (out, c.M * c.C * sizeof (float), out2, c.M * c.C * sizeof (float));
  }
  /* The stored statistics are the rows' mean and 1/sqrt (var + eps). */
  for (gsize m = 0; m < c.M; m++)
    {
      double mu = 0, var = 0;

      for (gsize k = 0; k < c.C; k++)
        mu += x[m * c.C + k] / (double) c.C;
      for (gsize k = 0; k < c.C; k++)
        var += (x[m * c.C + k] - mu) * (x[m * c.C + k] - mu) / (double) c.C;
      g_assert_cmpfloat (fabs (mean[m] - mu), <, 1e-5);
      g_assert_cmpfloat (fabs (rstd[m] - 1.0 / sqrt (var + 1e-5)), <, 1e-4 * rstd[m]);
    }

  tc_nn_layernorm_backward (pool, dx, dw, db, r, x, w, mean, rstd, c.M, c.C);
  g_assert_cmpfloat (grad_error (x, c.M * c.C, dx, ln_loss, &c, "layernorm dx"), <, 5e-4);
  g_assert_cmpfloat (grad_error (w, c.C, dw, ln_loss, &c, "layernorm dw"), <, 1e-4);
  g_assert_cmpfloat (grad_error (b, c.C, db, ln_loss, &c, "layernorm db"), <, 1e-4);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize n;
  float *x, *out, *r;
} GeluCtx;

static double
gelu_loss (gpointer data)
{
  GeluCtx *c = data;

  tc_nn_gelu_forward (NULL, c->out, c->x, c->n);
  return dot_d (c->out, c->r, c->n);
}

static void
test_gelu (void)
{
  GeluCtx c = { .n = 64 };
  TcRng rng;
  g_autofree float *x = g_new (float, c.n);
  g_autofree float *out = g_new (float, c.n);
  g_autofree float *r = g_new (float, c.n);
  g_autofree float *dx = g_new0 (float, c.n);

  /* Exact GELU values: x * Phi (x). */
  g_assert_cmpfloat (fabsf (tc_nn_gelu (1.0f) - 0.8413447f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_nn_gelu (-2.0f) - (-0.04550026f)), <, 1e-6f);
  g_assert_cmpfloat (tc_nn_gelu (0.0f), ==, 0.0f);

  tc_rng_seed (&rng, 3);
  fill (&rng, x, c.n, 4);
  fill (&rng, r, c.n, 1);
  c.x = x, c.out = out, c.r = r;

  /* The bias-fused form equals adding the bias, then GELU. */
  {
    float pre[2 * 32], out2[2 * 32], bias[32];

    for (int i = 0; i < 32; i++)
      bias[i] = 0.1f * (float) i - 1.5f;
    for (int i = 0; i < 64; i++)
      pre[i] = x[i] - bias[i % 32];
    tc_nn_bias_gelu_forward (NULL, out2, pre, bias, 2, 32);
    gelu_loss (&c);
    for (int i = 0; i < 64; i++)
      {
        g_assert_cmpfloat (fabsf (pre[i] - x[i]), <, 1e-6f);
        g_assert_cmpfloat (fabsf (out2[i] - out[i]), <, 1e-6f);
      }
  }
  tc_nn_gelu_backward (NULL, dx, x, r, c.n);
  g_assert_cmpfloat (grad_error (x, c.n, dx, gelu_loss, &c, "gelu dx"), <, 2e-4);
  {
    g_autofree float *dx2 = g_new (float, c.n);

    for (gsize i = 0; i < c.n; i++)
      dx2[i] = -7.0f;
    tc_nn_gelu_backward_set (NULL, dx2, x, r, c.n);
    g_assert_cmpmem (dx, c.n * sizeof (float), dx2, c.n * sizeof (float));
  }
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize B, N, d, h;
  float *qkv, *out, *att, *r, *tr;
  const guint8 *mask;
  TcPool *pool;
} AttCtx;

static double
att_loss (gpointer data)
{
  AttCtx *c = data;

  tc_nn_attention_forward (c->pool, c->out, c->att, c->tr, c->qkv, c->mask, c->B, c->N, c->d, c->h);
  return dot_d (c->out, c->r, c->B * c->N * c->d);
}

static void
check_attention_sized (const guint8 *mask, guint n_threads, gsize N, gsize d, gsize h)
{
  AttCtx c = { .B = 3, .N = N, .d = d, .h = h, .mask = mask };
  gsize nqkv = c.B * c.N * 3 * c.d, nout = c.B * c.N * c.d, natt = c.B * c.h * c.N * c.N;
  TcRng rng;
  g_autofree float *qkv = g_new (float, nqkv);
  g_autofree float *out = g_new (float, nout);
  g_autofree float *att = g_new (float, natt);
  g_autofree float *scratch = g_new (float, natt);
  g_autofree float *tr = g_new (float, c.B * c.h * tc_nn_attention_scratch (c.N, c.d / c.h));
  g_autofree float *r = g_new (float, nout);
  g_autofree float *dqkv = g_new0 (float, nqkv);
  g_autoptr (TcPool) pool = tc_pool_new (n_threads);

  tc_rng_seed (&rng, 4);
  fill (&rng, qkv, nqkv, 1.5f);
  fill (&rng, r, nout, 1);
  c.qkv = qkv, c.out = out, c.att = att, c.r = r, c.pool = pool, c.tr = tr;

  att_loss (&c);
  /* Against a naive double-precision softmax (Q K^T / sqrt (hs)) V. */
  {
    gsize hs = c.d / c.h, d3 = 3 * c.d;
    double worst = 0;

    for (gsize b = 0; b < c.B; b++)
      for (gsize hd = 0; hd < c.h; hd++)
        for (gsize t = 0; t < c.N; t++)
          {
            double sc[32], mx = -INFINITY, sum = 0;

            for (gsize k = 0; k < c.N; k++)
              {
                double dot = 0;

                for (gsize e = 0; e < hs; e++)
                  dot += (double) qkv[(b * c.N + t) * d3 + hd * hs + e]
                         * qkv[(b * c.N + k) * d3 + c.d + hd * hs + e];
                sc[k] = mask && !mask[b * c.N + k] ? -INFINITY : dot / sqrt ((double) hs);
                mx = MAX (mx, sc[k]);
              }
            for (gsize k = 0; k < c.N; k++)
              sum += sc[k] = exp (sc[k] - mx);
            for (gsize e = 0; e < hs; e++)
              {
                double o = 0;

                for (gsize k = 0; k < c.N; k++)
                  o += sc[k] / sum * qkv[(b * c.N + k) * d3 + 2 * c.d + hd * hs + e];
                worst = MAX (worst, fabs (o - out[(b * c.N + t) * c.d + hd * hs + e]));
              }
          }
    g_test_message ("attention forward: worst difference to the double reference %.3g", worst);
    g_assert_cmpfloat (worst, <, 1e-5);
  }
  /* Rows of the softmax sum to one; masked keys get exactly zero. */
  for (gsize b = 0; b < c.B; b++)
    for (gsize hd = 0; hd < c.h; hd++)
      for (gsize t = 0; t < c.N; t++)
        {
          const float *row = att + ((b * c.h + hd) * c.N + t) * c.N;
          double s = 0;

          for (gsize k = 0; k < c.N; k++)
            {
              s += row[k];
              if (mask && !mask[b * c.N + k])
                g_assert_cmpfloat (row[k], ==, 0.0f);
            }
          g_assert_cmpfloat (fabs (s - 1.0), <, 1e-5);
        }

  tc_nn_attention_backward (pool, dqkv, scratch, tr, r, qkv, att, c.B, c.N, c.d, c.h);
  g_assert_cmpfloat (grad_error (qkv, nqkv, dqkv, att_loss, &c,
                                 mask ? "attention dqkv (masked)" : "attention dqkv"), <, 5e-4);
  if (mask)
    {
      /* A masked key and its value get no gradient at all. */
      for (gsize b = 0; b < c.B; b++)
        for (gsize k = 0; k < c.N; k++)
          if (!mask[b * c.N + k])
            for (gsize j = c.d; j < 3 * c.d; j++)
              g_assert_cmpfloat (dqkv[(b * c.N + k) * 3 * c.d + j], ==, 0.0f);
    }
}

static void
check_attention (const guint8 *mask, guint n_threads)
{
  check_attention_sized (mask, n_threads, 6, 8, 2);
}

static void
test_attention (void)
{
  check_attention (NULL, 1);
  check_attention (NULL, 2);
  /* N and the head size past 8 reach the register-blocked transposes and
   * products, with tails (N = 19, head size 16 and 8). */
  check_attention_sized (NULL, 1, 19, 32, 2);
  check_attention_sized (NULL, 2, 19, 32, 4);
}

static void
test_attention_masked (void)
{
  static const guint8 mask[3 * 6] = {
    1, 1, 1, 1, 1, 1,
    0, 1, 1, 0, 1, 1,
    1, 0, 0, 0, 0, 1,
  };

  check_attention (mask, 1);
  check_attention (mask, 2);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize B, N, d;
  float *pos, *tables, *out, *r;
  const guint *card, *stat;
} EmbCtx;

static double
emb_loss (gpointer data)
{
  EmbCtx *c = data;

  memset (c->out, 0, c->B * c->N * c->d * sizeof (float));
  tc_nn_embedding_forward (c->out, c->pos, c->tables, c->card, c->stat, 2, c->B, c->N, c->d);
  return dot_d (c->out, c->r, c->B * c->N * c->d);
}

static void
test_embedding (void)
{
  static const guint card[2] = { 3, 4 };
  static const guint stat[3 * 2] = { 0, 3, 2, 1, 0, 0 };
  EmbCtx c = { .B = 3, .N = 4, .d = 5, .card = card, .stat = stat };
  gsize nt = 7 * c.d, nout = c.B * c.N * c.d;
  TcRng rng;
  g_autofree float *pos = g_new (float, c.N * c.d);
  g_autofree float *tables = g_new (float, nt);
  g_autofree float *out = g_new (float, nout);
  g_autofree float *r = g_new (float, nout);
  g_autofree float *dpos = g_new0 (float, c.N * c.d);
  g_autofree float *dtab = g_new0 (float, nt);

  tc_rng_seed (&rng, 5);
  fill (&rng, pos, c.N * c.d, 1);
  fill (&rng, tables, nt, 1);
  fill (&rng, r, nout, 1);
  c.pos = pos, c.tables = tables, c.out = out, c.r = r;

  tc_nn_embedding_backward (dpos, dtab, card, stat, r, 2, c.B, c.N, c.d);
  g_assert_cmpfloat (grad_error (pos, c.N * c.d, dpos, emb_loss, &c, "positional"), <, 1e-4);
  g_assert_cmpfloat (grad_error (tables, nt, dtab, emb_loss, &c, "static tables"), <, 1e-4);
  /* Row 1 of table 0 is used by no item: no gradient. */
  for (gsize k = 0; k < c.d; k++)
    g_assert_cmpfloat (dtab[1 * c.d + k], ==, 0.0f);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gsize M, Q;
  float *pred, *y, *w, *q;
  gboolean mse;
} LossCtx;

static double
loss_loss (gpointer data)
{
  LossCtx *c = data;

  if (c->mse)
    return tc_nn_mse_forward (c->pred, c->y, c->w, c->M, c->Q, 1);
  return tc_nn_pinball_forward (c->pred, c->y, c->w, c->q, c->M, c->Q);
}

static void
test_pinball (void)
{
  float q[3] = { 0.1f, 0.5f, 0.9f };
  float pred[4 * 3], y[4], w[4] = { 1, 0.5f, 0, 2 };
  float dpred[4 * 3] = { 0 };
  LossCtx c = { .M = 4, .Q = 3, .pred = pred, .y = y, .w = w, .q = q };
  TcRng rng;
  double expect = 0, ws = 3.5;

  tc_rng_seed (&rng, 6);
  /* Every prediction at least 0.2 away from its target, so that the
   * +-EPS steps never cross the kink of the pinball loss. */
  for (int m = 0; m < 4; m++)
    {
      y[m] = 2.0f * tc_rng_uniform (&rng) - 1.0f;
      for (int k = 0; k < 3; k++)
        pred[m * 3 + k] = y[m] + ((m + k) % 2 ? 1.0f : -1.0f) * (0.2f + tc_rng_uniform (&rng));
    }
  for (int m = 0; m < 4; m++)
    for (int k = 0; k < 3; k++)
      {
        double e = (double) y[m] - pred[m * 3 + k];

        expect += w[m] * (e >= 0 ? q[k] * e : (q[k] - 1) * e);
      }
  expect /= ws * 3;
  g_assert_cmpfloat (fabs (loss_loss (&c) - expect), <, 1e-6);

  tc_nn_pinball_backward (dpred, pred, y, w, q, 4, 3, 1.0f);
  g_assert_cmpfloat (grad_error (pred, 12, dpred, loss_loss, &c, "pinball"), <, 1e-4);
  /* A zero-weight step has zero gradient. */
  for (int k = 0; k < 3; k++)
    g_assert_cmpfloat (dpred[2 * 3 + k], ==, 0.0f);

  /* All weights zero: zero loss, no gradient, no division by zero. */
  {
    float wz[4] = { 0 }, dz[12] = { 0 };

    g_assert_cmpfloat (tc_nn_pinball_forward (pred, y, wz, q, 4, 3), ==, 0.0f);
    tc_nn_pinball_backward (dz, pred, y, wz, q, 4, 3, 1.0f);
    for (int i = 0; i < 12; i++)
      g_assert_cmpfloat (dz[i], ==, 0.0f);
  }
}

static void
test_mse (void)
{
  float pred[5 * 3], y[5], w[5] = { 1, 2, 0, 1, 1 };
  float dpred[5 * 3] = { 0 };
  LossCtx c = { .M = 5, .Q = 3, .pred = pred, .y = y, .w = w, .mse = TRUE };
  TcRng rng;
  double expect = 0;

  tc_rng_seed (&rng, 7);
  fill (&rng, pred, 15, 1);
  fill (&rng, y, 5, 1);
  for (int m = 0; m < 5; m++)
    expect += w[m] * ((double) pred[m * 3 + 1] - y[m]) * ((double) pred[m * 3 + 1] - y[m]);
  expect /= 5.0;
  g_assert_cmpfloat (fabs (loss_loss (&c) - expect), <, 1e-6);
  tc_nn_mse_backward (dpred, pred, y, w, 5, 3, 1, 1.0f);
  g_assert_cmpfloat (grad_error (pred, 15, dpred, loss_loss, &c, "mse"), <, 1e-4);
  /* Only the median column carries gradient. */
  for (int m = 0; m < 5; m++)
    {
      g_assert_cmpfloat (dpred[m * 3], ==, 0.0f);
      g_assert_cmpfloat (dpred[m * 3 + 2], ==, 0.0f);
    }
}

/* ------------------------------------------------------------------ */

static void
test_dropout (void)
{
  gsize n = 20000, zeros = 0;
  g_autofree float *x = g_new (float, n);
  g_autofree float *x2 = g_new (float, n);
  g_autofree float *mask = g_new (float, n);
  g_autofree float *mask2 = g_new (float, n);
  g_autofree float *dx = g_new0 (float, n);
  g_autofree float *dout = g_new (float, n);
  g_autoptr (TcPool) pool = tc_pool_new (2);

  for (gsize i = 0; i < n; i++)
    x[i] = x2[i] = dout[i] = 1.0f + (float) (i % 7);
  tc_nn_dropout_forward (NULL, x, mask, n, 0.25f, 42);
  tc_nn_dropout_forward (pool, x2, mask2, n, 0.25f, 42);
  /* Same key: same mask on any number of threads. */
  g_assert_cmpmem (mask, n * sizeof (float), mask2, n * sizeof (float));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (mask[i] == 0.0f || fabsf (mask[i] - 1.0f / 0.75f) < 1e-6f);
      zeros += mask[i] == 0.0f;
      g_assert_cmpfloat (x[i], ==, (1.0f + (float) (i % 7)) * mask[i]);
    }
  /* 5000 expected; 6 sigma of the binomial is ~370. */
  g_assert_cmpuint (zeros, >, 4600);
  g_assert_cmpuint (zeros, <, 5400);
  tc_nn_dropout_backward (pool, dx, dout, mask, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (dx[i], ==, dout[i] * mask[i]);

  /* The fused residual form draws the same mask and adds the residual. */
  {
    g_autofree float *x3 = g_new (float, n);
    g_autofree float *res = g_new (float, n);
    g_autofree float *out = g_new (float, n);
    g_autofree float *mask3 = g_new (float, n);

    for (gsize i = 0; i < n; i++)
      {
        x3[i] = 1.0f + (float) (i % 7);
        res[i] = 0.5f * (float) (i % 3);
      }
    tc_nn_dropout_add_forward (pool, out, res, x3, mask3, n, 0.25f, 42);
    g_assert_cmpmem (mask, n * sizeof (float), mask3, n * sizeof (float));
    for (gsize i = 0; i < n; i++)
      g_assert_cmpfloat (out[i], ==, res[i] + x[i]);
  }
  /* Another key, another mask. */
  tc_nn_dropout_forward (NULL, x2, mask2, n, 0.25f, 43);
  g_assert_true (memcmp (mask, mask2, n * sizeof (float)) != 0);
}

static void
count_items (gsize begin, gsize end, gpointer data)
{
  guint *counts = data;

  for (gsize i = begin; i < end; i++)
    counts[i]++;
}

static void
test_pool (void)
{
  /* Many short jobs of varying size: every item runs exactly once per
   * job, whichever thread claims its chunk. */
  for (guint threads = 1; threads <= 3; threads++)
    {
      g_autoptr (TcPool) pool = tc_pool_new (threads);
      guint counts[600] = { 0 }, expect[600] = { 0 };
      TcRng rng;

      g_assert_cmpuint (tc_pool_n_threads (pool), ==, threads);
      tc_rng_seed (&rng, threads);
      for (guint job = 0; job < 3000; job++)
        {
          gsize n = 1 + tc_rng_next (&rng) % 600;

          tc_pool_for (pool, n, count_items, counts);
          for (gsize i = 0; i < n; i++)
            expect[i]++;
        }
      g_assert_cmpmem (counts, sizeof counts, expect, sizeof expect);
    }
}

static void
test_rng (void)
{
  TcRng a, b;
  double sum = 0, sum_sq = 0;

  tc_rng_seed (&a, 99);
  tc_rng_seed (&b, 99);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (tc_rng_next (&a), ==, tc_rng_next (&b));
  for (int i = 0; i < 20000; i++)
    {
      float z = tc_rng_normal (&a);

      sum += z;
      sum_sq += (double) z * z;
    }
  g_assert_cmpfloat (fabs (sum / 20000), <, 0.05);
  g_assert_cmpfloat (fabs (sum_sq / 20000 - 1.0), <, 0.05);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/rng", test_rng);
  g_test_add_func ("/nn/pool", test_pool);
  g_test_add_func ("/nn/linear", test_linear);
  g_test_add_func ("/nn/linear-residual", test_linear_residual);
  g_test_add_func ("/nn/linear-gelu", test_linear_gelu);
  g_test_add_func ("/nn/linear-backward-sizes", test_linear_backward_sizes);
  g_test_add_func ("/nn/linear-bf16", test_linear_bf16);
  g_test_add_func ("/nn/layernorm", test_layernorm);
  g_test_add_func ("/nn/gelu", test_gelu);
  g_test_add_func ("/nn/attention", test_attention);
  g_test_add_func ("/nn/attention-masked", test_attention_masked);
  g_test_add_func ("/nn/embedding", test_embedding);
  g_test_add_func ("/nn/pinball", test_pinball);
  g_test_add_func ("/nn/mse", test_mse);
  g_test_add_func ("/nn/dropout", test_dropout);
  return g_test_run ();
}
