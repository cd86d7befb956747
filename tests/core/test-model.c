/* test-model.c — the whole Transformer: gradients, learning, determinism,
 * AdamW, the lr schedule and checkpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-model.h"
#include "tc-nn.h"

/* A tiny model touching every part: two static attributes, two layers,
 * two heads, three quantiles. */
static void
tiny_config (TcModelConfig *cfg)
{
  tc_model_config_init (cfg, 2, 4, 1, 3);
  cfg->d_model = 8;
  cfg->n_heads = 2;
  cfg->n_layers = 2;
  cfg->d_ff = 16;
  cfg->dropout = 0.0f;
  cfg->n_static = 2;
  cfg->static_cardinality[0] = 3;
  cfg->static_cardinality[1] = 2;
}

static void
random_batch (const TcModelConfig *cfg, guint B, guint64 seed, float *x, guint *stat)
{
  TcRng rng;
  gsize nx = (gsize) B * cfg->n_tokens * cfg->patch_len * cfg->n_features;

  tc_rng_seed (&rng, seed);
  for (gsize i = 0; i < nx; i++)
    x[i] = 2.0f * tc_rng_uniform (&rng) - 1.0f;
  for (guint b = 0; b < B; b++)
    for (guint i = 0; i < cfg->n_static; i++)
      stat[b * cfg->n_static + i] = (guint) (tc_rng_next (&rng) % cfg->static_cardinality[i]);
}

/* ------------------------------------------------------------------ */

static void
test_config (void)
{
  TcModelConfig cfg;
  g_autoptr (GError) error = NULL;
  g_autoptr (TcModel) model = NULL;

  tc_model_config_init (&cfg, 7, 20, 4, 6);
  g_assert_true (tc_model_config_validate (&cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cfg.d_model, ==, 64);
  g_assert_cmpuint (cfg.n_quantiles, ==, 3);

  /* Parameter count by hand for the default architecture. */
  {
    gsize d = 64, ff = 256, pf = 42, pq = 21;
    gsize layer = 4 * d + 3 * d * d + 3 * d + d * d + d + ff * d + ff + d * ff + d;
    gsize expect = d * pf + d + 20 * d + 3 * layer + 2 * d + pq * d + pq;

    g_assert_cmpuint (tc_model_config_n_params (&cfg), ==, expect);
    model = tc_model_new (&cfg, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_model_n_params (model), ==, expect);
  }

  cfg.n_heads = 5;
  g_assert_false (tc_model_config_validate (&cfg, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  cfg.n_heads = 4;
  cfg.quantiles[1] = 0.05f;
  g_assert_null (tc_model_new (&cfg, 1, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
  g_clear_error (&error);
  cfg.quantiles[1] = 0.5f;
  cfg.n_future_tokens = 21;
  g_assert_false (tc_model_config_validate (&cfg, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  TcModel *model;
  guint    B;
  float   *x, *y, *w;
  guint   *stat;
} GradCtx;

static double
model_loss (GradCtx *c)
{
  tc_model_forward (c->model, c->B, c->x, c->stat, FALSE, NULL);
  return tc_model_loss (c->model, c->y, c->w);
}

/* A few reviews for the text layer's check: 4 bags (0 = none). */
static TcTextBags *
tiny_bags (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_DAILY, 1, 4, 0, 0, 0, TRUE);
  TcTextSettings set;

  tc_text_settings_init (&set);
  set.n_buckets = 8;
  ds->text[1] = g_strdup ("Arrived broken\n质量太差");
  ds->text[2] = g_strdup ("ótimo produto");
  ds->text[3] = g_strdup ("ok");
  return tc_text_bags_new (&set, ds, NULL);
}

static void
check_model_grad_full (TcLossKind loss, gboolean masked, gboolean text)
{
  TcModelConfig cfg;
  GradCtx c = { .B = 3 };
  g_autoptr (TcModel) model = NULL;
  gsize H, n;
  float *params, *grads;
  g_autofree float *x = NULL, *y = NULL, *w = NULL, *out = NULL, *ana = NULL;
  g_autofree guint *stat = NULL;
  double num_sq = 0, ana_sq = 0, diff_sq = 0, rel, worst = 0;
  const float eps = 1e-2f;
  static const guint8 mask[3 * 4] = { 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1 };

  g_autoptr (TcTextBags) bags = NULL;

  tiny_config (&cfg);
  cfg.loss = loss;
  if (text)
    {
      /* Channels 3 .. 5 of 6: two learnt, one volume. */
      cfg.n_features = 6;
      cfg.text_dim = 2;
      cfg.text_buckets = 8;
      cfg.text_offset = 3;
    }
  H = cfg.n_future_tokens * cfg.patch_len;
  model = tc_model_new (&cfg, 11, NULL);
  n = tc_model_n_params (model);
  x = g_new (float, c.B * 4 * 2 * cfg.n_features);
  stat = g_new (guint, c.B * 2);
  y = g_new (float, c.B * H);
  w = g_new (float, c.B * H);
  out = g_new (float, c.B * H * 3);
  random_batch (&cfg, c.B, 5, x, stat);
  if (text)
    {
      bags = tiny_bags ();
      tc_model_set_text_bags (model, bags);
      for (gsize r = 0; r < c.B * 4 * 2; r++)
        x[r * cfg.n_features + 3] = (float) (r % 4);
    }
  if (masked)
    tc_model_set_key_mask (model, c.B, mask);

  /* Put each target at least 0.5 beyond all three quantile predictions so
   * that the +-eps steps never cross the pinball kink. */
  tc_model_forward (model, c.B, x, stat, FALSE, out);
  for (gsize m = 0; m < c.B * H; m++)
    {
      float lo = MIN (out[m * 3], MIN (out[m * 3 + 1], out[m * 3 + 2]));
      float hi = MAX (out[m * 3], MAX (out[m * 3 + 1], out[m * 3 + 2]));

      y[m] = m % 2 ? hi + 0.5f : lo - 0.5f;
      w[m] = m == 1 ? 0.0f : 1.0f + 0.25f * (float) m;
    }
  c.model = model, c.x = x, c.y = y, c.w = w, c.stat = stat;

  tc_model_zero_grad (model);
  model_loss (&c);
  tc_model_backward (model);
  params = tc_model_get_params (model);
  grads = tc_model_get_grads (model);
  ana = g_memdup2 (grads, n * sizeof (float));

  for (gsize i = 0; i < n; i++)
    {
      float keep = params[i];
      double lp, lm, num;

      params[i] = keep + eps;
      lp = model_loss (&c);
      params[i] = keep - eps;
      lm = model_loss (&c);
      params[i] = keep;
      num = (lp - lm) / (2.0 * eps);
      num_sq += num * num;
      ana_sq += (double) ana[i] * ana[i];
      diff_sq += (num - ana[i]) * (num - ana[i]);
      worst = MAX (worst, fabs (num - ana[i]));
    }
  rel = sqrt (diff_sq) / (sqrt (num_sq) + sqrt (ana_sq));
  g_test_message ("model (%s%s%s): %" G_GSIZE_FORMAT " params, |grad| %.4g, relative error %.3g, "
                  "worst entry %.3g", loss == TC_LOSS_MSE ? "mse" : "pinball",
                  masked ? ", masked" : "", text ? ", text" : "", n, sqrt (ana_sq), rel, worst);
  if (text)
    {
      /* The text embedding is the last tensor: its gradient must be there. */
      double text_sq = 0;

      for (gsize i = n - 8 * 2; i < n; i++)
        text_sq += (double) ana[i] * ana[i];
      g_test_message ("text embedding |grad| %.4g", sqrt (text_sq));
      g_assert_cmpfloat (sqrt (text_sq), >, 1e-4);
    }
  g_assert_cmpfloat (sqrt (ana_sq), >, 1e-3);
  /* eps 1e-2 on float weights; measured ~7e-5 relative, 1.5e-4 worst. */
  g_assert_cmpfloat (rel, <, 2e-3);
  g_assert_cmpfloat (worst, <, 1e-3);
  if (masked)
    tc_model_set_key_mask (model, 0, NULL);
}

static void
check_model_grad (TcLossKind loss, gboolean masked)
{
  check_model_grad_full (loss, masked, FALSE);
}

/* The text layer inside the whole model: the gradient reaches its
 * embedding through the input channels (tc_text_layer_input_grad), and
 * the checkpoint keeps it (format version 2). */
static void
test_model_grad_text (void)
{
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL, back = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  check_model_grad_full (TC_LOSS_PINBALL, FALSE, TRUE);

  tiny_config (&cfg);
  cfg.n_features = 6;
  cfg.text_dim = 2;
  cfg.text_buckets = 8;
  cfg.text_offset = 3;
  model = tc_model_new (&cfg, 3, NULL);
  bytes = tc_model_to_bytes (model, "{}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (bytes, NULL))[8], ==, 2);
  back = tc_model_from_bytes (bytes, "text model", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tc_model_get_config (back)->text_dim, ==, 2);
  g_assert_cmpuint (tc_model_get_config (back)->text_buckets, ==, 8);
  g_assert_cmpuint (tc_model_get_config (back)->text_offset, ==, 3);
  g_assert_cmpmem (tc_model_get_params (back), tc_model_n_params (back) * sizeof (float),
                   tc_model_get_params (model), tc_model_n_params (model) * sizeof (float));
  /* Channels past the features are refused. */
  cfg.text_offset = 4;
  g_assert_false (tc_model_config_validate (&cfg, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INVALID_ARG);
}

static void
test_model_grad_pinball (void)
{
  check_model_grad (TC_LOSS_PINBALL, FALSE);
}

static void
test_model_grad_mse (void)
{
  check_model_grad (TC_LOSS_MSE, FALSE);
}

static void
test_model_grad_masked (void)
{
  check_model_grad (TC_LOSS_PINBALL, TRUE);
}

/* ------------------------------------------------------------------ */

/* Sine continuation: 4 context tokens of 4 steps, forecast 1 token. */
typedef struct
{
  TcModelConfig cfg;
  guint         B;
  float        *x;    /* (B, N, P) */
  float        *y;    /* (B, H) */
} Sine;

static void
sine_batch (Sine *s, TcRng *rng)
{
  guint N = s->cfg.n_tokens, P = s->cfg.patch_len, ctx = (N - 1) * P;

  for (guint b = 0; b < s->B; b++)
    {
      float phase = 6.2831853f * tc_rng_uniform (rng);
      float amp = 0.5f + tc_rng_uniform (rng);
      float period = 8.0f + 8.0f * tc_rng_uniform (rng);

      for (guint t = 0; t < N * P; t++)
        {
          float v = amp * sinf (6.2831853f * (float) t / period + phase);

          s->x[b * N * P + t] = t < ctx ? v : 0.0f;
          if (t >= ctx)
            s->y[b * P + t - ctx] = v;
        }
    }
}

static float
train_sine (guint64 seed, guint steps, float dropout, guint threads, float *losses)
{
  Sine s = { .B = 32 };
  g_autoptr (TcModel) model = NULL;
  g_autofree float *x = NULL, *y = NULL;
  TcAdamWConfig opt;
  TcRng rng;
  float last = 0;
  double tail = 0;

  tc_model_config_init (&s.cfg, 4, 5, 1, 1);
  s.cfg.d_model = 32;
  s.cfg.n_heads = 4;
  s.cfg.n_layers = 2;
  s.cfg.d_ff = 64;
  s.cfg.dropout = dropout;
  model = tc_model_new (&s.cfg, seed, NULL);
  tc_model_set_threads (model, threads);
  s.x = x = g_new (float, s.B * 5 * 4);
  s.y = y = g_new (float, s.B * 4);
  tc_adamw_config_init (&opt);
  opt.lr = 3e-3f;
  opt.warmup_steps = 20;
  opt.total_steps = steps;
  opt.weight_decay = 0.01f;
  tc_rng_seed (&rng, seed + 1);
  for (guint step = 0; step < steps; step++)
    {
      sine_batch (&s, &rng);
      tc_model_zero_grad (model);
      tc_model_forward (model, s.B, x, NULL, TRUE, NULL);
      last = tc_model_loss (model, y, NULL);
      if (losses)
        losses[step] = last;
      if (step >= steps - 20)
        tail += last;
      tc_model_backward (model);
      tc_model_adamw_step (model, &opt, step);
    }
  return (float) (tail / 20);
}

static void
test_learning (void)
{
  /* Pinball loss of predicting 0 for a sine of amplitude 0.5-1.5 averages
   * ~0.3; 400 steps must bring the mean of the last 20 below 0.03
   * (measured: 0.008). */
  float tail = train_sine (3, 400, 0.0f, 1, NULL);

  g_test_message ("sine continuation: mean pinball loss of the last 20 steps %.4f", tail);
  g_assert_cmpfloat (tail, <, 0.03f);
}

static void
test_determinism (void)
{
  float a[30], b[30], c[30], c2[30], d[30];

  /* With dropout on, so the dropout masks are covered too. */
  train_sine (7, 30, 0.1f, 1, a);
  train_sine (7, 30, 0.1f, 1, b);
  train_sine (7, 30, 0.1f, 2, c);
  train_sine (7, 30, 0.1f, 2, c2);
  train_sine (8, 30, 0.1f, 1, d);
  /* Same seed and thread count: bit-identical. */
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_cmpmem (c, sizeof c, c2, sizeof c2);
  /* Another thread count splits the matrix products into other sgemm
   * blocks, which may change the last bits, but not more. */
  for (int i = 0; i < 30; i++)
    g_assert_cmpfloat (fabsf (a[i] - c[i]), <=, 1e-4f * fabsf (a[i]) + 1e-6f);
  g_assert_true (memcmp (a, d, sizeof a) != 0);
}


/* A forecast must not depend on the number of cores it runs on: a model
 * trained with one thread count and loaded on another machine gives the
 * same numbers, bit for bit.  Big enough that the products are split. */
static void
test_forward_threads (void)
{
  enum { B = 48, P = 7, NT = 16, NF = 4, F = 5 };
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  g_autofree float *x = g_new (float, B * NT * P * F);      /* (B, NT, P, F) */
  g_autofree float *ref = g_new (float, B * NF * P * 3);    /* (B, NF, P, 3) */
  g_autofree float *out = g_new (float, B * NF * P * 3);    /* (B, NF, P, 3) */
  guint stat[1];

  tc_model_config_init (&cfg, P, NT, NF, F);
  model = tc_model_new (&cfg, 3, NULL);
  random_batch (&cfg, B, 11, x, stat);
  tc_model_set_threads (model, 1);
  tc_model_forward (model, B, x, stat, FALSE, ref);
  for (guint threads = 2; threads <= 5; threads++)
    {
      tc_model_set_threads (model, threads);
      tc_model_forward (model, B, x, stat, FALSE, out);
      g_assert_cmpmem (ref, sizeof (float) * B * NF * P * 3, out, sizeof (float) * B * NF * P * 3);
    }
}

/* Targets y (B, H) drawn N(0, 1), and a key mask (B, n_tokens) in which
 * window b hides its first b % @period tokens (context padding). */
static void
random_targets_and_mask (const TcModelConfig *cfg, guint B, guint64 seed, guint period,
                         float *y, guint8 *mask)
{
  gsize H = (gsize) cfg->n_future_tokens * cfg->patch_len;
  TcRng rng;

  tc_rng_seed (&rng, seed);
  for (gsize i = 0; i < B * H; i++)
    y[i] = tc_rng_normal (&rng);
  for (guint b = 0; b < B; b++)
    for (guint n = 0; n < cfg->n_tokens; n++)
      mask[b * cfg->n_tokens + n] = n >= b % period;
}

/* tc_model_predict runs a big batch as one share of windows per thread
 * (its lanes): the forecasts and the loss after it must be those of one
 * thread, bit for bit, also with masked keys, static ids, a batch that
 * does not divide evenly, and the weights changed between calls (the
 * lanes read them in place). */
static void
test_predict_threads (void)
{
  enum { B = 61, P = 7, NT = 20, NF = 4, F = 6, H = NF * P, Q = 3 };
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  g_autofree float *x = g_new (float, B * NT * P * F);      /* (B, NT, P, F) */
  g_autofree float *y = g_new (float, B * H);               /* (B, H) */
  g_autofree float *ref = g_new (float, B * H * Q);         /* (B, H, Q) */
  g_autofree float *out = g_new (float, B * H * Q);         /* (B, H, Q) */
  g_autofree guint8 *mask = g_new (guint8, B * NT);         /* (B, NT) */
  guint stat[B];
  float ref_loss;

  tc_model_config_init (&cfg, P, NT, NF, F);
  cfg.n_static = 1;
  cfg.static_cardinality[0] = 5;
  model = tc_model_new (&cfg, 4, NULL);
  random_batch (&cfg, B, 13, x, stat);
  random_targets_and_mask (&cfg, B, 14, 4, y, mask);
  g_assert_true (tc_model_set_key_mask (model, B, mask));

  for (guint round = 0; round < 2; round++)
    {
      tc_model_set_threads (model, 1);
      tc_model_predict (model, B, x, stat, ref);
      ref_loss = tc_model_loss (model, y, NULL);
      g_assert_true (isfinite (ref_loss));
      for (guint threads = 2; threads <= 4; threads++)
        {
          tc_model_set_threads (model, threads);
          memset (out, 0, sizeof (float) * B * H * Q);
          tc_model_predict (model, B, x, stat, out);
          g_assert_cmpmem (ref, sizeof (float) * B * H * Q, out, sizeof (float) * B * H * Q);
          g_assert_cmpfloat (tc_model_loss (model, y, NULL), ==, ref_loss);
          /* No attention of its own to show after the lanes ran. */
          g_assert_null (tc_model_get_attention (model, 0, 0));
          /* Without @out too (validation reads the loss only). */
          tc_model_predict (model, B, x, stat, NULL);
          g_assert_cmpfloat (tc_model_loss (model, y, NULL), ==, ref_loss);
        }
      /* New weights: the lanes must see them. */
      for (gsize i = 0; i < tc_model_n_params (model); i++)
        tc_model_get_params (model)[i] *= 1.1f;
    }
  tc_model_set_threads (model, 1);
  tc_model_predict (model, B, x, stat, out);
  g_assert_true (memcmp (ref, out, sizeof (float) * B * H * Q) != 0);
}

/* A training step with several threads runs each thread's share of the
 * windows through forward and backward on its own (the model's lanes):
 * the loss must be one thread's bit for bit (dropout included: each
 * window keeps its masks, here with the batch starting at window 3 of a
 * bigger one), the gradients one thread's up to summation order, and
 * the next step must draw the same dropout again. */
static void
test_train_threads (void)
{
  enum { B = 40, P = 7, NT = 20, NF = 4, F = 6, H = NF * P };
  TcModelConfig cfg;
  TcAdamWConfig opt;
  g_autoptr (TcModel) one = NULL;
  g_autoptr (TcModel) two = NULL;
  g_autofree float *x = g_new (float, B * NT * P * F);      /* (B, NT, P, F) */
  g_autofree float *y = g_new (float, B * H);               /* (B, H) */
  g_autofree guint8 *mask = g_new (guint8, B * NT);         /* (B, NT) */
  guint stat[B];

  tc_model_config_init (&cfg, P, NT, NF, F);
  cfg.d_model = 32;
  cfg.n_layers = 2;
  cfg.d_ff = 64;
  cfg.dropout = 0.2f;
  cfg.n_static = 1;
  cfg.static_cardinality[0] = 5;
  tc_adamw_config_init (&opt);
  one = tc_model_new (&cfg, 8, NULL);
  two = tc_model_new (&cfg, 8, NULL);
  tc_model_set_threads (two, 2);
  random_batch (&cfg, B, 15, x, stat);
  random_targets_and_mask (&cfg, B, 16, 3, y, mask);

  for (guint step = 0; step < 2; step++)
    {
      TcModel *m[2] = { one, two };
      float loss[2];
      double diff = 0, norm = 0;
      const float *g1, *g2;

      for (guint k = 0; k < 2; k++)
        {
          g_assert_true (tc_model_set_key_mask (m[k], B, mask));
          tc_model_set_dropout_first (m[k], 3);
          tc_model_zero_grad (m[k]);
          tc_model_forward (m[k], B, x, stat, TRUE, NULL);
          loss[k] = tc_model_loss (m[k], y, NULL);
          tc_model_backward (m[k]);
        }
      /* Two threads ran on lanes (no attention weights of the model's
       * own), one thread did not. */
      g_assert_nonnull (tc_model_get_attention (one, 0, 0));
      g_assert_null (tc_model_get_attention (two, 0, 0));
      g1 = tc_model_get_grads (one);
      g2 = tc_model_get_grads (two);
      for (gsize i = 0; i < tc_model_n_params (one); i++)
        {
          diff += ((double) g1[i] - g2[i]) * ((double) g1[i] - g2[i]);
          norm += (double) g1[i] * g1[i];
        }
      g_test_message ("step %u: loss %.6f, gradients differ by %.2g of their norm",
                      step, loss[0], sqrt (diff / norm));
      g_assert_cmpfloat (norm, >, 0);
      g_assert_cmpfloat (sqrt (diff / norm), <, 1e-5);
      if (step == 0)
        g_assert_cmpfloat (loss[0], ==, loss[1]);
      else
        g_assert_cmpfloat (fabsf (loss[0] - loss[1]), <=, 1e-5f * fabsf (loss[0]));
      tc_model_adamw_step (one, &opt, step);
      tc_model_adamw_step (two, &opt, step);
    }
}

/* A static id out of range is refused before the lanes start: a lane
 * that refused only its own share would keep buffers sized for an older
 * batch, which the backward then wrote past. */
static void
test_lanes_bad_static (void)
{
  enum { B = 32, P = 7, NT = 20, NF = 4, F = 6, H = NF * P };
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  g_autofree float *x = g_new (float, B * NT * P * F);      /* (B, NT, P, F) */
  g_autofree float *y = g_new0 (float, B * H);              /* (B, H) */
  guint stat[B];

  tc_model_config_init (&cfg, P, NT, NF, F);
  cfg.d_model = 16;
  cfg.n_heads = 2;
  cfg.n_layers = 1;
  cfg.d_ff = 32;
  cfg.n_static = 1;
  cfg.static_cardinality[0] = 3;
  model = tc_model_new (&cfg, 2, NULL);
  tc_model_set_threads (model, 2);
  random_batch (&cfg, B, 17, x, stat);
  /* A smaller batch first, so that the lanes' buffers are small. */
  tc_model_forward (model, 16, x, stat, TRUE, NULL);
  stat[B - 1] = 3;
  g_test_expect_message ("tc-model", G_LOG_LEVEL_CRITICAL, "*static_cardinality*");
  tc_model_forward (model, B, x, stat, TRUE, NULL);
  g_test_assert_expected_messages ();
  /* The refused forward left the last one's state whole. */
  g_assert_cmpuint (tc_model_get_batch (model), ==, 16);
  g_assert_true (isfinite (tc_model_loss (model, y, NULL)));
  tc_model_backward (model);
  g_test_expect_message ("tc-model", G_LOG_LEVEL_CRITICAL, "*static_cardinality*");
  tc_model_predict (model, B, x, stat, NULL);
  g_test_assert_expected_messages ();
  /* Still whole: the good batch trains. */
  stat[B - 1] = 2;
  tc_model_zero_grad (model);
  tc_model_forward (model, B, x, stat, TRUE, NULL);
  g_assert_true (isfinite (tc_model_loss (model, y, NULL)));
  tc_model_backward (model);
  /* A thread count changed between forward and backward: refused loudly,
   * not gradients left at zero. */
  tc_model_forward (model, B, x, stat, TRUE, NULL);
  tc_model_loss (model, y, NULL);
  tc_model_set_threads (model, 3);
  g_test_expect_message ("tc-model", G_LOG_LEVEL_CRITICAL, "*batch > 0*");
  tc_model_backward (model);
  g_test_assert_expected_messages ();
}

/* The copy forwards bit for bit as the original, with the original's
 * thread count; it has buffers of its own: a forward of another batch
 * size on one, or new weights, leave the other as it was. */
static void
test_dup (void)
{
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  g_autoptr (TcModel) copy = NULL;
  g_autoptr (TcModel) back = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) cut = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *meta = NULL;
  float x[5 * 4 * 6], a[3 * 2 * 3], b[3 * 2 * 3], big[5 * 2 * 3];
  guint stat[5 * 2];

  tiny_config (&cfg);
  model = tc_model_new (&cfg, 9, NULL);
  tc_model_set_threads (model, 2);
  random_batch (&cfg, 5, 12, x, stat);
  tc_model_forward (model, 3, x, stat, FALSE, a);

  copy = tc_model_dup (model);
  g_assert_cmpmem (tc_model_get_config (copy), sizeof cfg, tc_model_get_config (model), sizeof cfg);
  g_assert_cmpmem (tc_model_get_params (copy), sizeof (float) * tc_model_n_params (copy),
                   tc_model_get_params (model), sizeof (float) * tc_model_n_params (model));
  g_assert_cmpuint (tc_model_get_batch (copy), ==, 0);
  tc_model_forward (copy, 5, x, stat, FALSE, big);
  tc_model_forward (model, 3, x, stat, FALSE, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_cmpmem (a, sizeof a, big, sizeof a);
  g_assert_cmpuint (tc_model_get_batch (model), ==, 3);
  g_assert_cmpuint (tc_model_get_batch (copy), ==, 5);

  tc_model_get_params (copy)[0] += 1.0f;
  tc_model_forward (model, 3, x, stat, FALSE, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);

  /* The bytes round trip, as a file's. */
  bytes = tc_model_to_bytes (model, "{\"k\":1}", &error);
  g_assert_no_error (error);
  back = tc_model_from_bytes (bytes, "in memory", &meta, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meta, ==, "{\"k\":1}");
  tc_model_forward (back, 3, x, stat, FALSE, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_clear_pointer (&back, tc_model_free);
  g_clear_pointer (&meta, g_free);
  cut = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) - 3);
  back = tc_model_from_bytes (cut, "in memory", &meta, &error);
  g_assert_null (back);
  g_assert_null (meta);
  g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "in memory"));
}

/* ------------------------------------------------------------------ */

static void
test_adamw_step (void)
{
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  TcAdamWConfig opt;
  float *p, *g;
  gsize n, bias_at;
  g_autofree float *p0 = NULL;
  float norm;
  double lr = 0.01, wd = 0.1, sq = 0;

  tiny_config (&cfg);
  model = tc_model_new (&cfg, 1, NULL);
  n = tc_model_n_params (model);
  p = tc_model_get_params (model);
  g = tc_model_get_grads (model);
  p0 = g_memdup2 (p, n * sizeof (float));
  /* The first bias (of the input embedding) follows its (d, P*F) weight. */
  bias_at = (gsize) cfg.d_model * cfg.patch_len * cfg.n_features;
  for (gsize i = 0; i < n; i++)
    {
      g[i] = 0.001f * (float) ((i % 11) + 1) * ((i % 2) ? -1.0f : 1.0f);
      sq += (double) g[i] * g[i];
    }

  tc_adamw_config_init (&opt);
  opt.lr = (float) lr;
  opt.weight_decay = (float) wd;
  opt.warmup_steps = 0;
  opt.total_steps = 1000;
  opt.clip_norm = 0.0f;
  norm = tc_model_adamw_step (model, &opt, 0);
  g_assert_cmpfloat (fabs (norm - sqrt (sq)), <, 1e-5);

  /* Step 1 by hand: m = (1-b1) g, v = (1-b2) g^2, bias correction gives
   * mhat = g, vhat = g^2; the weight first decays by (1 - lr wd). */
  for (gsize i = 0; i < 3; i++)
    {
      double gi = g[i], expect = p0[i] * (1 - lr * wd) - lr * gi / (fabs (gi) + 1e-8);

      g_assert_cmpfloat (fabs (p[i] - expect), <, 1e-6);
    }
  {
    double gi = g[bias_at], expect = p0[bias_at] - lr * gi / (fabs (gi) + 1e-8);

    /* A bias does not decay. */
    g_assert_cmpfloat (fabs (p[bias_at] - expect), <, 1e-7);
  }

  /* Second step, with clipping at half the norm: the clipped gradient
   * enters both moments. */
  {
    float p1 = p[0], p1b = p[bias_at];
    double s = 0.5, g0 = g[0], gb = g[bias_at];
    double m = 0.9 * 0.1 * g0 + 0.1 * s * g0;
    double v = 0.999 * 0.001 * g0 * g0 + 0.001 * s * s * g0 * g0;
    double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
    double expect = p1 * (1 - lr * wd) - lr * mh / (sqrt (vh) + 1e-8);
    double mb = 0.9 * 0.1 * gb + 0.1 * s * gb;
    double vb = 0.999 * 0.001 * gb * gb + 0.001 * s * s * gb * gb;
    double expect_b = p1b - lr * (mb / 0.19) / (sqrt (vb / (1 - 0.999 * 0.999)) + 1e-8);

    opt.clip_norm = (float) (0.5 * sqrt (sq));
    tc_model_adamw_step (model, &opt, 0);
    g_assert_cmpfloat (fabs (p[0] - expect), <, 1e-6);
    g_assert_cmpfloat (fabs (p[bias_at] - expect_b), <, 1e-6);
  }

  /* A NaN gradient leaves the weights alone and shows in the norm. */
  {
    g_autofree float *keep = g_memdup2 (p, n * sizeof (float));

    g[5] = NAN;
    g_assert_true (isnan (tc_model_adamw_step (model, &opt, 1)));
    g_assert_cmpmem (keep, n * sizeof (float), p, n * sizeof (float));
  }
}

static void
test_lr_schedule (void)
{
  TcAdamWConfig opt;

  tc_adamw_config_init (&opt);
  g_assert_cmpfloat (opt.beta1, ==, 0.9f);
  g_assert_cmpfloat (opt.beta2, ==, 0.999f);
  g_assert_cmpfloat (opt.eps, ==, 1e-8f);
  opt.lr = 1.0f;
  opt.warmup_steps = 10;
  opt.total_steps = 110;
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 0) - 0.1f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 4) - 0.5f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 9) - 1.0f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 10) - 1.0f), <, 1e-6f);
  /* Half-way through the cosine: 0.1 + 0.9 * 0.5. */
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 60) - 0.55f), <, 1e-6f);
  /* A quarter: 0.1 + 0.45 (1 + cos (pi/4)). */
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 35) - (0.1f + 0.45f * (1.0f + 0.70710678f))), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 110) - 0.1f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 5000) - 0.1f), <, 1e-6f);
  opt.warmup_steps = 0;
  g_assert_cmpfloat (fabsf (tc_adamw_lr_at (&opt, 0) - 1.0f), <, 1e-6f);
}

/* ------------------------------------------------------------------ */

/* tc_model_predict computes the last layer for the future tokens only;
 * its forecasts must be the full forward's.  Every weight is random (biases
 * and LayerNorm too), some keys are masked, and the pool has 1 or 2 threads. */
static void
check_predict_matches_forward (TcModelConfig *cfg, guint B, guint threads)
{
  g_autoptr (TcModel) model = tc_model_new (cfg, 5, NULL);
  gsize nx = (gsize) B * cfg->n_tokens * cfg->patch_len * cfg->n_features;
  gsize nout = (gsize) B * cfg->n_future_tokens * cfg->patch_len * cfg->n_quantiles;
  g_autofree float *x = g_new (float, nx);
  g_autofree float *full = g_new (float, nout);
  g_autofree float *lean = g_new (float, nout);
  g_autofree guint *stat = g_new0 (guint, (gsize) B * MAX (cfg->n_static, 1));
  g_autofree guint8 *mask = g_new (guint8, (gsize) B * cfg->n_tokens);
  float *p = tc_model_get_params (model);
  TcRng rng;
  double worst = 0, scale = 1e-30;

  g_assert_nonnull (model);
  tc_model_set_threads (model, threads);
  tc_rng_seed (&rng, 11);
  for (gsize i = 0; i < tc_model_n_params (model); i++)
    p[i] += 0.2f * tc_rng_normal (&rng);
  random_batch (cfg, B, 12, x, stat);
  /* Window b masks its first b % 3 tokens (context padding). */
  for (guint b = 0; b < B; b++)
    for (guint n = 0; n < cfg->n_tokens; n++)
      mask[b * cfg->n_tokens + n] = n >= b % 3;
  g_assert_true (tc_model_set_key_mask (model, B, mask));

  tc_model_forward (model, B, x, stat, FALSE, full);
  tc_model_predict (model, B, x, stat, lean);
  /* Relative to the outputs' scale: predict adds the residual before the
   * product (tc_nn_linear_residual_forward), which rounds differently
   * and matters only next to the scale, not for an output near 0. */
  for (gsize i = 0; i < nout; i++)
    scale = MAX (scale, fabs ((double) full[i]));
  for (gsize i = 0; i < nout; i++)
    worst = MAX (worst, fabs ((double) lean[i] - full[i]) / scale);
  g_test_message ("predict vs forward: worst difference %.2g of the largest output %.3g", worst, scale);
  g_assert_cmpfloat (worst, <, 1e-5);
  /* The full path's attention stays readable, the lean one's last layer not. */
  g_assert_null (tc_model_get_attention (model, cfg->n_layers - 1, 0));
  g_assert_nonnull (tc_model_get_attention (model, 0, 0));
  tc_model_forward (model, B, x, stat, FALSE, full);
  g_assert_nonnull (tc_model_get_attention (model, cfg->n_layers - 1, 0));
  for (gsize i = 0; i < nout; i++)
    g_assert_cmpfloat (fabs ((double) lean[i] - full[i]) / scale, <, 1e-5);
}

static void
test_predict_lean (void)
{
  TcModelConfig cfg;

  tiny_config (&cfg);
  check_predict_matches_forward (&cfg, 5, 1);
  check_predict_matches_forward (&cfg, 5, 2);
  /* The default architecture at the bench's shapes (patch 7, context 112,
   * horizon 28, 6 features), one static attribute. */
  tc_model_config_init (&cfg, 7, 20, 4, 6);
  cfg.n_static = 1;
  cfg.static_cardinality[0] = 4;
  check_predict_matches_forward (&cfg, 9, 2);
  cfg.d_model = 128;
  cfg.n_heads = 8;
  cfg.n_layers = 4;
  cfg.d_ff = 512;
  check_predict_matches_forward (&cfg, 3, 1);
}

static void
test_attention_and_batches (void)
{
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  float x[5 * 4 * 6], out5[5 * 2 * 3], out2[2 * 2 * 3];
  guint stat[5 * 2];
  static const guint8 mask[5 * 4] = { 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1 };

  tiny_config (&cfg);
  model = tc_model_new (&cfg, 2, NULL);
  g_assert_null (tc_model_get_attention (model, 0, 0));
  random_batch (&cfg, 5, 9, x, stat);

  tc_model_forward (model, 2, x, stat, FALSE, out2);
  tc_model_forward (model, 5, x, stat, FALSE, out5);
  /* A window's forecast does not depend on its batch. */
  for (int i = 0; i < 2 * 2 * 3; i++)
    g_assert_cmpfloat (fabsf (out5[i] - out2[i]), <, 1e-5f);
  tc_model_forward (model, 2, x, stat, FALSE, out2);
  for (int i = 0; i < 2 * 2 * 3; i++)
    g_assert_cmpfloat (fabsf (out5[i] - out2[i]), <, 1e-5f);

  g_assert_null (tc_model_get_attention (model, 2, 0));
  g_assert_null (tc_model_get_attention (model, 0, 2));
  g_assert_true (tc_model_set_key_mask (model, 5, mask));
  tc_model_forward (model, 5, x, stat, FALSE, out5);
  for (guint l = 0; l < 2; l++)
    for (guint b = 0; b < 5; b++)
      {
        const float *att = tc_model_get_attention (model, l, b);

        g_assert_nonnull (att);
        for (guint r = 0; r < 2 * 4; r++)
          {
            double s = 0;

            for (guint k = 0; k < 4; k++)
              {
                s += att[r * 4 + k];
                if (!mask[b * 4 + k])
                  g_assert_cmpfloat (att[r * 4 + k], ==, 0.0f);
              }
            g_assert_cmpfloat (fabs (s - 1.0), <, 1e-5);
          }
      }
  tc_model_set_key_mask (model, 0, NULL);
}

/* ------------------------------------------------------------------ */

static char *
read_all (const char *path, gsize *len)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return data;
}

static void
write_all (const char *path, const char *data, gsize len)
{
  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
}

static void
test_checkpoint (void)
{
  TcModelConfig cfg;
  g_autoptr (TcModel) model = NULL;
  g_autoptr (TcModel) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-model-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.tcmodel", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.tcmodel", NULL);
  g_autofree char *meta = NULL;
  g_autofree char *data = NULL;
  const char *meta_in = "{\"features\":[\"sales\",\"price\"],\"mean\":[1.5,2]}";
  float x[3 * 4 * 6], out_a[3 * 2 * 3], out_b[3 * 2 * 3];
  guint stat[3 * 2];
  gsize len;

  tiny_config (&cfg);
  cfg.dropout = 0.2f;
  model = tc_model_new (&cfg, 4, NULL);
  random_batch (&cfg, 3, 10, x, stat);
  tc_model_forward (model, 3, x, stat, FALSE, out_a);

  g_assert_true (tc_model_save (model, meta_in, path, &error));
  g_assert_no_error (error);
  loaded = tc_model_load (path, &meta, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (meta, ==, meta_in);
  g_assert_cmpmem (tc_model_get_config (loaded), sizeof cfg, tc_model_get_config (model), sizeof cfg);
  tc_model_forward (loaded, 3, x, stat, FALSE, out_b);
  g_assert_cmpmem (out_a, sizeof out_a, out_b, sizeof out_b);
  g_clear_pointer (&loaded, tc_model_free);
  g_clear_pointer (&meta, g_free);

  data = read_all (path, &len);
  g_assert_cmpmem (data, 8, "TCMODEL\0", 8);

  /* One flipped byte in the weights: checksum error. */
  data[len - 40] ^= 0x10;
  write_all (bad, data, len);
  data[len - 40] ^= 0x10;
  loaded = tc_model_load (bad, &meta, &error);
  g_assert_null (loaded);
  g_assert_null (meta);
  g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "checksum"));
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);

  /* Truncated. */
  write_all (bad, data, len - 7);
  loaded = tc_model_load (bad, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_clear_error (&error);
  write_all (bad, data, 10);
  loaded = tc_model_load (bad, NULL, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Wrong magic. */
  data[0] = 'X';
  write_all (bad, data, len);
  data[0] = 'T';
  loaded = tc_model_load (bad, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "magic"));
  g_clear_error (&error);

  /* A later format version (2 is the one with a text layer). */
  data[8] = 3;
  write_all (bad, data, len);
  data[8] = 1;
  loaded = tc_model_load (bad, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, TC_ERROR, TC_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "version 3"));
  g_clear_error (&error);

  /* Missing file. */
  loaded = tc_model_load (path + 1, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, TC_ERROR, TC_ERROR_IO);
  g_clear_error (&error);

  /* The unmodified bytes still load. */
  write_all (bad, data, len);
  loaded = tc_model_load (bad, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_unlink (bad);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/config", test_config);
  g_test_add_func ("/model/grad-pinball", test_model_grad_pinball);
  g_test_add_func ("/model/grad-mse", test_model_grad_mse);
  g_test_add_func ("/model/grad-masked", test_model_grad_masked);
  g_test_add_func ("/model/grad-text", test_model_grad_text);
  g_test_add_func ("/model/attention-and-batches", test_attention_and_batches);
  g_test_add_func ("/model/predict-lean", test_predict_lean);
  g_test_add_func ("/model/adamw-step", test_adamw_step);
  g_test_add_func ("/model/lr-schedule", test_lr_schedule);
  g_test_add_func ("/model/checkpoint", test_checkpoint);
  g_test_add_func ("/model/dup", test_dup);
  g_test_add_func ("/model/determinism", test_determinism);
  g_test_add_func ("/model/forward-threads", test_forward_threads);
  g_test_add_func ("/model/predict-threads", test_predict_threads);
  g_test_add_func ("/model/train-threads", test_train_threads);
  g_test_add_func ("/model/lanes-bad-static", test_lanes_bad_static);
  g_test_add_func ("/model/learning", test_learning);
  return g_test_run ();
}
