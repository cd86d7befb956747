/* tc-text-layer.c — forward and backward of the text embedding bag
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tc-text-layer"

#include "tc-text-layer.h"

#include <math.h>
#include <string.h>

void
tc_text_layer_forward (const TcTextBags *bags, const float *E, guint d_text, float *x,
                       gsize rows, gsize F, gsize f0, guint *slots)
{
  for (gsize r = 0; r < rows; r++)
    {
      float *xr = x + r * F + f0;
      float v = xr[0];
      guint bag = 0;

      /* The id was written as a float by the feature cube. */
      if (bags != NULL && v >= 1.0f && v < (float) bags->n_bags)
        bag = (guint) v;
      slots[r] = bag;
      memset (xr, 0, (d_text + 1) * sizeof (float));
      if (bag == 0)
        continue;
      for (gsize k = bags->offsets[bag]; k < bags->offsets[bag + 1]; k++)
        {
          const float *e = E + (gsize) bags->ids[k] * d_text;
          float w = bags->weights[k];

          for (guint j = 0; j < d_text; j++)
            xr[j] += w * e[j];
        }
      xr[d_text] = log1pf (bags->n_docs[bag]);
    }
}

void
tc_text_layer_backward (const TcTextBags *bags, float *dE, guint d_text, const float *dout,
                        gsize rows, const guint *slots)
{
  if (bags == NULL)
    return;
  for (gsize r = 0; r < rows; r++)
    {
      guint bag = slots[r];
      const float *dr = dout + r * d_text;

      if (bag == 0)
        continue;
      for (gsize k = bags->offsets[bag]; k < bags->offsets[bag + 1]; k++)
        {
          float *de = dE + (gsize) bags->ids[k] * d_text;
          float w = bags->weights[k];

          for (guint j = 0; j < d_text; j++)
            de[j] += w * dr[j];
        }
    }
}

void
tc_text_layer_input_grad (float *dout, const float *dres, const float *W, gsize BT, gsize d_model,
                          gsize P, gsize F, gsize f0, guint d_text)
{
  gsize pf = P * F;

  for (gsize r = 0; r < BT; r++)
    {
      const float *g = dres + r * d_model;

      for (gsize p = 0; p < P; p++)
        {
          float *o = dout + (r * P + p) * d_text;

          for (guint j = 0; j < d_text; j++)
            {
              const float *wc = W + p * F + f0 + j;
              float s = 0;

              for (gsize k = 0; k < d_model; k++)
                s += g[k] * wc[k * pf];
              o[j] = s;
            }
        }
    }
}
