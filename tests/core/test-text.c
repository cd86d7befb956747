/* test-text.c — the review-text pipeline: normalisation, tokens, bags, the text layer's gradient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tc-error.h"
#include "tc-nn.h"
#include "tc-text.h"
#include "tc-text-layer.h"

static gboolean
has_token (GPtrArray *tokens, const char *t)
{
  for (guint i = 0; i < tokens->len; i++)
    if (g_strcmp0 (tokens->pdata[i], t) == 0)
      return TRUE;
  return FALSE;
}

static GPtrArray *
tokens_of (const char *text)
{
  TcTextSettings set;
  g_autoptr (GError) error = NULL;
  g_autofree char *norm = NULL;

  tc_text_settings_init (&set);
  norm = tc_text_normalise (text, -1, &error);
  g_assert_no_error (error);
  return tc_text_tokens (&set, norm);
}

static void
test_english (void)
{
  g_autoptr (GPtrArray) t = tokens_of ("Arrived BROKEN, poor quality!");

  g_assert_true (has_token (t, "w:arrived"));
  g_assert_true (has_token (t, "w:broken"));
  g_assert_true (has_token (t, "b:arrived broken"));
  /* A comma keeps the word sequence, so "broken poor" is a bigram too. */
  g_assert_true (has_token (t, "b:broken poor"));
  g_assert_true (has_token (t, "b:poor quality"));
  g_assert_false (has_token (t, "w:BROKEN"));
  g_assert_cmpuint (t->len, ==, 4 + 3);
}

static void
test_portuguese (void)
{
  g_autoptr (GPtrArray) t = tokens_of ("Não gostei. Ótimo produto");
  g_autoptr (GPtrArray) u = tokens_of ("nao gostei");

  g_assert_true (has_token (t, "w:não"));
  g_assert_true (has_token (t, "w:nao"));   /* accent-stripped form */
  g_assert_true (has_token (t, "b:não gostei"));
  g_assert_true (has_token (t, "w:ótimo"));
  g_assert_true (has_token (t, "w:otimo"));
  g_assert_true (has_token (t, "b:ótimo produto"));
  /* A full stop ends the sentence: no bigram across it. */
  g_assert_false (has_token (t, "b:gostei ótimo"));
  /* Typed without accents, the review shares the stripped id. */
  g_assert_true (has_token (u, "w:nao"));
  g_assert_false (has_token (u, "w:não"));
  /* A decomposed "não" (n a U+0303 o) normalises to the same token. */
  {
    g_autoptr (GPtrArray) d = tokens_of ("na\xcc\x83o");

    g_assert_true (has_token (d, "w:não"));
  }
}

static void
test_chinese (void)
{
  g_autoptr (GPtrArray) t = tokens_of ("质量太差，不会再买");
  g_autoptr (GPtrArray) m = tokens_of ("ＯＫ质量");

  g_assert_true (has_token (t, "c:质"));
  g_assert_true (has_token (t, "cc:质量"));
  g_assert_true (has_token (t, "cc:太差"));
  g_assert_true (has_token (t, "cc:再买"));
  /* No bigram across the full-width comma. */
  g_assert_false (has_token (t, "cc:差不"));
  /* 4 + 4 characters, 3 + 3 bigrams. */
  g_assert_cmpuint (t->len, ==, 14);
  /* Full-width Latin letters become ASCII (NFKC) and lower case. */
  g_assert_true (has_token (m, "w:ok"));
  g_assert_true (has_token (m, "cc:质量"));
}

static void
test_invalid_utf8 (void)
{
  TcTextSettings set;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) f = NULL;

  tc_text_settings_init (&set);
  f = tc_text_features (&set, "ok \xff\xfe bad", &error);
  g_assert_null (f);
  g_assert_error (error, TC_ERROR, TC_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "byte 3"));
}

static void
test_hash (void)
{
  /* FNV-1a 32 of "a" is 0xe40c292c (the published test vector). */
  g_assert_cmpuint (tc_text_hash ("a", G_MAXUINT), ==, 0xe40c292cu % G_MAXUINT);
  g_assert_cmpuint (tc_text_hash ("w:não", 1u << 14), <, 1u << 14);
  g_assert_cmpuint (tc_text_hash ("w:não", 1u << 14), !=, tc_text_hash ("w:nao", 1u << 14));
}

static void
test_bags (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_DAILY, 2, 3, 0, 0, 0, TRUE);
  g_autoptr (TcTextBags) bags = NULL;
  g_autoptr (GError) error = NULL;
  TcTextSettings set;
  guint b;
  double wsum = 0;

  tc_text_settings_init (&set);
  set.n_buckets = 64;
  ds->text[1] = g_strdup ("great\nnão gostei");
  ds->text[5] = g_strdup ("好");
  ds->text[3] = g_strdup ("");
  bags = tc_text_bags_new (&set, ds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bags->n_bags, ==, 3);
  g_assert_cmpuint (tc_text_bags_at (bags, 0, 0), ==, 0);
  g_assert_cmpuint (tc_text_bags_at (bags, 1, 0), ==, 0);
  b = tc_text_bags_at (bags, 0, 1);
  g_assert_cmpuint (b, ==, 1);
  g_assert_cmpfloat (bags->n_docs[b], ==, 2);
  /* "great" (1 id) and "não gostei" (não, nao, gostei, não gostei: 4 ids). */
  g_assert_cmpuint (bags->offsets[b + 1] - bags->offsets[b], ==, 5);
  for (gsize k = bags->offsets[b]; k < bags->offsets[b + 1]; k++)
    wsum += bags->weights[k];
  g_assert_cmpfloat_with_epsilon (wsum, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (bags->weights[bags->offsets[b]], 0.5, 1e-7);
  g_assert_cmpuint (tc_text_bags_at (bags, 1, 2), ==, 2);
  g_assert_cmpuint (bags->offsets[0], ==, bags->offsets[1]);
  {
    guint64 periods = 0;

    /* Three reviews on two series-days; the empty cell counts for none. */
    g_assert_cmpuint (tc_text_count_reviews (ds, &periods), ==, 3);
    g_assert_cmpuint (periods, ==, 2);
  }
}

/* Gradient check as in test-nn.c: L = sum (out * R), central
 * differences on every touched entry of E, vector relative error. */
typedef struct
{
  const TcTextBags *bags;
  float *E, *x0, *x, *R;
  guint d;
  gsize rows, F, f0;
  guint *slots;
} GradCtx;

static double
grad_loss (GradCtx *c)
{
  double s = 0;

  memcpy (c->x, c->x0, c->rows * c->F * sizeof (float));
  tc_text_layer_forward (c->bags, c->E, c->d, c->x, c->rows, c->F, c->f0, c->slots);
  for (gsize r = 0; r < c->rows; r++)
    for (guint j = 0; j < c->d; j++)
      s += (double) c->x[r * c->F + c->f0 + j] * c->R[r * c->d + j];
  return s;
}

static void
test_layer_gradient (void)
{
  g_autoptr (TcDataset) ds = tc_dataset_new (TC_FREQ_DAILY, 1, 6, 0, 0, 0, TRUE);
  g_autoptr (TcTextBags) bags = NULL;
  g_autoptr (GError) error = NULL;
  TcTextSettings set;
  TcRng rng;
  const guint d = 4;
  const gsize rows = 6, F = 8, f0 = 2;
  const float eps = 1e-2f;
  GradCtx c = { 0 };
  g_autofree float *dE = NULL, *E = NULL, *x0 = NULL, *x = NULL, *R = NULL;
  g_autofree guint *slots = NULL;
  double num2 = 0, diff2 = 0, ana2 = 0;

  tc_text_settings_init (&set);
  set.n_buckets = 32;
  ds->text[0] = g_strdup ("Great quality, will buy again");
  ds->text[2] = g_strdup ("质量太差\nNão gostei");
  ds->text[3] = g_strdup ("ok");
  ds->text[5] = g_strdup ("Arrived broken\nArrived broken\n好");
  bags = tc_text_bags_new (&set, ds, &error);
  g_assert_no_error (error);

  tc_rng_seed (&rng, 7);
  E = g_new (float, set.n_buckets * d);
  dE = g_new0 (float, set.n_buckets * d);
  x0 = g_new (float, rows * F);
  x = g_new (float, rows * F);
  R = g_new (float, rows * d);
  slots = g_new (guint, rows);
  for (gsize i = 0; i < set.n_buckets * d; i++)
    E[i] = 2.0f * tc_rng_uniform (&rng) - 1.0f;
  for (gsize i = 0; i < rows * d; i++)
    R[i] = 2.0f * tc_rng_uniform (&rng) - 1.0f;
  for (gsize r = 0; r < rows; r++)
    {
      for (gsize f = 0; f < F; f++)
        x0[r * F + f] = (float) (r + f);
      x0[r * F + f0] = (float) tc_text_bags_at (bags, 0, r);
    }
  c = (GradCtx) { bags, E, x0, x, R, d, rows, F, f0, slots };

  grad_loss (&c);
  /* The other channels are untouched, the volume channel is log1p (docs). */
  g_assert_cmpfloat (x[1 * F + f0], ==, 0.0f);
  g_assert_cmpfloat (x[0 * F + f0 + d + 1], ==, (float) (0 + f0 + d + 1));
  g_assert_cmpfloat_with_epsilon (x[5 * F + f0 + d], log1p (3.0), 1e-6);
  tc_text_layer_backward (bags, dE, d, R, rows, slots);

  for (gsize i = 0; i < set.n_buckets * d; i++)
    {
      float keep = E[i];
      double lp, lm, num;

      E[i] = keep + eps;
      lp = grad_loss (&c);
      E[i] = keep - eps;
      lm = grad_loss (&c);
      E[i] = keep;
      num = (lp - lm) / (2.0 * eps);
      num2 += num * num;
      ana2 += (double) dE[i] * dE[i];
      diff2 += (num - dE[i]) * (num - dE[i]);
    }
  g_assert_cmpfloat (ana2, >, 0.0);
  g_test_message ("text layer: relative gradient error %.3g", sqrt (diff2) / (sqrt (num2) + sqrt (ana2)));
  g_assert_cmpfloat (sqrt (diff2) / (sqrt (num2) + sqrt (ana2)), <, 1e-4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/tokens/english", test_english);
  g_test_add_func ("/text/tokens/portuguese", test_portuguese);
  g_test_add_func ("/text/tokens/chinese", test_chinese);
  g_test_add_func ("/text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/text/hash", test_hash);
  g_test_add_func ("/text/bags", test_bags);
  g_test_add_func ("/text/layer-gradient", test_layer_gradient);
  return g_test_run ();
}
