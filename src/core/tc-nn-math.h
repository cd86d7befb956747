/* tc-nn-math.h — exp, erf and GELU for the vectorised loops of tc-nn.c and tc-nn-bf16.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the model core.  Written so that GCC vectorises loops
 * calling them without -ffast-math: no libm calls, selects rather than
 * branches.
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

/* exp (x) for the vectorised loops: Cephes' expf polynomial after range
 * reduction by ln 2, within 2 ulp of expf over the clamped range.  NaN
 * propagates; results below 2^-126 are not produced (x is clamped at
 * -87.3), so callers needing an exact zero select it themselves. */
static inline float
vexpf (float x)
{
  float n, r, p;
  gint32 bits;
  float scale;

  x = x < -87.3f ? -87.3f : x;
  x = x > 88.3f ? 88.3f : x;
  /* Round to nearest by the 1.5 * 2^23 trick (no libm call). */
  n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  /* Converting a NaN to an integer is undefined (UBSan stops there, and
   * x86 gives INT_MIN), so a NaN input takes the exponent of 1; r and p
   * are NaN already, so the result stays NaN.  A select, not a branch:
   * the loops calling this still vectorise.  The shift is unsigned so
   * that no exponent can make it undefined either. */
  n = n == n ? n : 0.0f;
  bits = (gint32) (((guint32) (gint32) n + 127u) << 23);
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}

/* erf (x) by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7),
 * the same approximation PyTorch's vectorised CPU erf uses. */
static inline float
verff (float x)
{
  float ax = fabsf (x);
  float t = 1.0f / (1.0f + 0.3275911f * ax);
  float y = 1.061405429f;

  y = y * t - 1.453152027f;
  y = y * t + 1.421413741f;
  y = y * t - 0.284496736f;
  y = y * t + 0.254829592f;
  y = 1.0f - y * t * vexpf (-ax * ax);
  return x < 0.0f ? -y : y;
}

/* GELU with the exact erf form (PyTorch's default): every kernel computes
 * it with this expression, so that the fused and the separate passes give
 * the same bits. */
static inline float
tc_nn_gelu_inline (float x)
{
  const float inv_sqrt2 = (float) (1.0 / G_SQRT2);

  return 0.5f * x * (1.0f + verff (x * inv_sqrt2));
}
