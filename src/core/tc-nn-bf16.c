/* tc-nn-bf16.c — bfloat16 products for inference (AVX512-BF16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Optional, and for inference only (tc_model_set_bf16): both operands of
 * out = inp W^T are rounded to bfloat16 (8 significant bits, round to
 * nearest even) and the products summed in fp32 by VDPBF16PS, which does
 * two multiply-adds per lane and instruction where an fp32 FMA does one.
 * Bias and residual stay fp32.  Debian 12's OpenBLAS (0.3.21) is built
 * without cblas_sbgemm, hence this kernel.  The error against fp32 is
 * checked in tests/core/test-nn.c (/nn/linear-bf16) and stated in
 * bench/RESULTS-speed.md.  Machines without the instructions, and builds
 * for other CPUs, take the fp32 kernel (tc_nn_linear_forward).
 *
 * Every output element is one chain of VDPBF16PS over the pairs of k in
 * order, then + b, then + res, whatever tile or thread computes it, so
 * the thread count never changes a forecast here either.
 */
/* As in tc-nn.c: -O3 (and full unrolling of the constant-trip row
 * loops below) keeps a tile's accumulators in registers. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("O3", "no-trapping-math")
#endif

#define G_LOG_DOMAIN "tc-nn"

#include "tc-nn.h"
#include "tc-nn-math.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_THREAD__)
#define TC_HAVE_BF16_KERNEL 1
#include <immintrin.h>
#define TC_BF16 __attribute__ ((target ("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

gboolean
tc_nn_bf16_supported (void)
{
#ifdef TC_HAVE_BF16_KERNEL
  static gsize once = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&once))
    {
      __builtin_cpu_init ();
      ok = __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
           && __builtin_cpu_supports ("avx512vl") && __builtin_cpu_supports ("avx512bf16")
           && g_getenv ("TRENDCAST_NO_BF16") == NULL;
      g_once_init_leave (&once, 1);
    }
  return ok;
#else
  return FALSE;
#endif
}

#ifdef TC_HAVE_BF16_KERNEL

#define BF_MR 8    /* rows per tile: 16 accumulators of 16 floats */
#define BF_NR 32   /* columns per tile and per weight panel */

/* Per calling thread, grown as needed: the rounded inputs, (M, K2) words
 * of two bf16, followed by the weight panels, (n_panels, K2, 32) words. */
static GPrivate buf_key = G_PRIVATE_INIT (g_free);
static GPrivate buf_cap_key;   /* its capacity in words, as a pointer */
/* Per pool thread: one weight row being rounded, (K2) words. */
static GPrivate row_key = G_PRIVATE_INIT (g_free);
static GPrivate row_cap_key;

static guint32 *
grow (GPrivate *key, GPrivate *cap_key, gsize n)
{
  guint32 *buf = g_private_get (key);
  gsize cap = GPOINTER_TO_SIZE (g_private_get (cap_key));

  if (buf == NULL || cap < n)
    {
      /* g_private_replace frees the old buffer through the notify. */
      buf = g_new (guint32, n);
      g_private_replace (key, buf);
      g_private_set (cap_key, GSIZE_TO_POINTER (n));
    }
  return buf;
}

typedef struct
{
  float         *out;
  const float   *inp, *w, *b, *res;
  guint32       *a2;   /* (M, K2) */
  guint32       *wp2;  /* (n_panels, K2, 32) */
  gsize          M, K, K2, n_out;
  gboolean       gelu;
} Bf16Job;

/* One row of K floats to K2 words of two bf16, the odd tail padded with
 * a zero. */
TC_BF16 static void
round_row (guint32 *restrict dst, const float *restrict src, gsize K)
{
  gsize p = 0;

  for (; p + 32 <= K; p += 32)
    {
      /* _mm512_cvtne2ps_pbh (a, b) puts b's 16 values first. */
      __m512bh v = _mm512_cvtne2ps_pbh (_mm512_loadu_ps (src + p + 16),
                                        _mm512_loadu_ps (src + p));

      _mm512_storeu_si512 (dst + p / 2, (__m512i) v);
    }
  if (p < K)
    {
      __mmask16 lo = (__mmask16) ((1u << MIN (K - p, 16)) - 1);
      __mmask16 hi = K - p > 16 ? (__mmask16) ((1u << (K - p - 16)) - 1) : 0;
      __m512bh v = _mm512_cvtne2ps_pbh (_mm512_maskz_loadu_ps (hi, src + p + 16),
                                        _mm512_maskz_loadu_ps (lo, src + p));
      __mmask16 words = (__mmask16) ((1u << ((K - p + 1) / 2)) - 1);

      _mm512_mask_storeu_epi32 (dst + p / 2, words, (__m512i) v);
    }
}


/* Items [0, n_panels) pack panel q, whose word (p2, c) holds
 * W[32q + c][2 p2], W[32q + c][2 p2 + 1], zero past n_out; items
 * n_panels + m round input row m.  One job for both: a barrier less per
 * product.  The panels come first: the threads claim chunks as they go,
 * so the one chunk holding every (costlier) panel starts early. */
TC_BF16 static void
round_and_pack (gsize begin, gsize end, gpointer data)
{
  Bf16Job *j = data;
  gsize K2 = j->K2;
  guint32 *row = NULL;   /* (K2) */

  gsize n_panels = (j->n_out + BF_NR - 1) / BF_NR;

  for (gsize i = begin; i < end; i++)
    {
      gsize q = i;
      guint32 *panel;

      if (i >= n_panels)
        {
          gsize m = i - n_panels;

          round_row (j->a2 + m * K2, j->inp + m * j->K, j->K);
          continue;
        }
      if (row == NULL)
        row = grow (&row_key, &row_cap_key, K2);
      panel = j->wp2 + q * K2 * BF_NR;

      for (gsize c = 0; c < BF_NR; c++)
        {
          gsize col = q * BF_NR + c;

          if (col < j->n_out)
            round_row (row, j->w + col * j->K, j->K);
          else
            memset (row, 0, K2 * sizeof (guint32));
          for (gsize p2 = 0; p2 < K2; p2++)
            panel[p2 * BF_NR + c] = row[p2];
        }
    }
}

/* One tile of R rows (R constant after inlining: the accumulators are
 * registers) against one panel, into @ncols columns of c. */
static inline __attribute__ ((always_inline)) TC_BF16 void
tile (const gsize R, const guint32 *restrict a2, gsize K2, const guint32 *restrict wp2,
      float *c, gsize ldc, gsize ncols, const float *b, const float *res, gboolean gelu)
{
  __m512 acc[BF_MR][2];
  __mmask16 m0 = (__mmask16) (ncols >= 16 ? 0xffff : (1u << ncols) - 1);
  __mmask16 m1 = (__mmask16) (ncols >= 32 ? 0xffff : ncols > 16 ? (1u << (ncols - 16)) - 1 : 0);

#pragma GCC unroll 8
  for (gsize r = 0; r < R; r++)
    acc[r][0] = acc[r][1] = _mm512_setzero_ps ();
  for (gsize p2 = 0; p2 < K2; p2++)
    {
      __m512bh w0 = (__m512bh) _mm512_loadu_si512 (wp2 + p2 * BF_NR);
      __m512bh w1 = (__m512bh) _mm512_loadu_si512 (wp2 + p2 * BF_NR + 16);

#pragma GCC unroll 8
      for (gsize r = 0; r < R; r++)
        {
          __m512bh av = (__m512bh) _mm512_set1_epi32 ((int) a2[r * K2 + p2]);

          acc[r][0] = _mm512_dpbf16_ps (acc[r][0], av, w0);
          acc[r][1] = _mm512_dpbf16_ps (acc[r][1], av, w1);
        }
    }
#pragma GCC unroll 8
  for (gsize r = 0; r < R; r++)
    {
      __m512 o0 = acc[r][0], o1 = acc[r][1];
      float *crow = c + r * ldc;

      if (b != NULL)
        {
          o0 = _mm512_add_ps (o0, _mm512_maskz_loadu_ps (m0, b));
          o1 = _mm512_add_ps (o1, _mm512_maskz_loadu_ps (m1, b + 16));
        }
      if (res != NULL)
        {
          o0 = _mm512_add_ps (o0, _mm512_maskz_loadu_ps (m0, res + r * ldc));
          o1 = _mm512_add_ps (o1, _mm512_maskz_loadu_ps (m1, res + r * ldc + 16));
        }
      _mm512_mask_storeu_ps (crow, m0, o0);
      _mm512_mask_storeu_ps (crow + 16, m1, o1);
      if (gelu)
        for (gsize jj = 0; jj < ncols; jj++)
          crow[jj] = tc_nn_gelu_inline (crow[jj]);
    }
}

/* Items are tiles of BF_MR rows. */
TC_BF16 static void
gemm_rows (gsize begin, gsize end, gpointer data)
{
  Bf16Job *j = data;
  gsize K2 = j->K2, n = j->n_out, n_panels = (n + BF_NR - 1) / BF_NR;

  for (gsize t = begin; t < end; t++)
    {
      gsize m0 = t * BF_MR, R = MIN (BF_MR, j->M - m0);
      const guint32 *a2 = j->a2 + m0 * K2;

      for (gsize q = 0; q < n_panels; q++)
        {
          gsize c0 = q * BF_NR, nc = MIN (BF_NR, n - c0);
          const guint32 *wp2 = j->wp2 + q * K2 * BF_NR;
          float *c = j->out + m0 * n + c0;
          const float *b = j->b ? j->b + c0 : NULL;
          const float *res = j->res ? j->res + m0 * n + c0 : NULL;

          switch (R)
            {
            case 8: tile (8, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 7: tile (7, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 6: tile (6, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 5: tile (5, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 4: tile (4, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 3: tile (3, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            case 2: tile (2, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            default: tile (1, a2, K2, wp2, c, n, nc, b, res, j->gelu); break;
            }
        }
    }
}

#endif /* TC_HAVE_BF16_KERNEL */

void
tc_nn_linear_forward_bf16 (TcPool *pool, float *out, const float *res, const float *inp,
                           const float *w, const float *b, gsize M, gsize n_in, gsize n_out,
                           gboolean gelu)
{
#ifdef TC_HAVE_BF16_KERNEL
  if (tc_nn_bf16_supported () && M > 0)
    {
      gsize K2 = (n_in + 1) / 2, n_panels = (n_out + BF_NR - 1) / BF_NR;
      guint32 *buf = grow (&buf_key, &buf_cap_key, M * K2 + n_panels * K2 * BF_NR);
      Bf16Job j = { .out = out, .inp = inp, .w = w, .b = b, .res = res, .a2 = buf,
                    .wp2 = buf + M * K2, .M = M, .K = n_in, .K2 = K2, .n_out = n_out,
                    .gelu = gelu };

      tc_pool_for (pool, M + n_panels, round_and_pack, &j);
      tc_pool_for (pool, (M + BF_MR - 1) / BF_MR, gemm_rows, &j);
      return;
    }
#endif
  if (gelu)
    {
      g_return_if_fail (res == NULL);
      tc_nn_linear_gelu_forward (pool, out, inp, w, b, M, n_in, n_out);
    }
  else if (res != NULL)
    tc_nn_linear_residual_forward (pool, out, res, inp, w, b, M, n_in, n_out);
  else
    tc_nn_linear_forward (pool, out, inp, w, b, M, n_in, n_out);
}
