/* tc-model-page.c — the Model page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every setting of TcForecasterOptions is a row with a spin button, its
 * range and what it means in the data's own time unit.  The page writes
 * straight into the session's options, checks them as they change (a
 * problem is shown on its row and turns Train off) and estimates size,
 * memory and time, so a trainee sees the cost of a choice before paying
 * it.
 */

#define G_LOG_DOMAIN "tc-model-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-app-files.h"
#include "tc-app-text.h"
#include "tc-format.h"
#include "tc-explore.h"
#include "tc-features.h"
#include "tc-model-page.h"
#include "tc-text.h"

/* Floats kept per parameter while training: weights, gradients and the
 * two AdamW moments. */
#define FLOATS_PER_PARAM 4
/* Activations kept for backward, per token, layer and model width. */
#define ACT_FLOATS 20
/* A deliberately low sustained speed per thread for the small matrices
 * of these models; replaced by what the last training here achieved. */
#define DEFAULT_FLOPS_PER_THREAD 3.0e9

typedef enum
{
  GROUP_SHAPE,
  GROUP_ARCH,
  GROUP_TRAIN,
} Group;

typedef struct
{
  Group       group;
  const char *title;
  double      lo, hi, step;
  guint       digits;
} ParamInfo;

static const ParamInfo param_info[TC_MODEL_N_PARAMS] = {
  [TC_MODEL_PARAM_HORIZON]    = { GROUP_SHAPE, N_("Forecast horizon"), 1, 1000, 1, 0 },
  [TC_MODEL_PARAM_CONTEXT]    = { GROUP_SHAPE, N_("Context length"), 1, 4096, 1, 0 },
  [TC_MODEL_PARAM_PATCH]      = { GROUP_SHAPE, N_("Patch length"), 1, 128, 1, 0 },
  [TC_MODEL_PARAM_D_MODEL]    = { GROUP_ARCH, N_("Model width (d_model)"), 8, 1024, 8, 0 },
  [TC_MODEL_PARAM_HEADS]      = { GROUP_ARCH, N_("Attention heads"), 1, 32, 1, 0 },
  [TC_MODEL_PARAM_LAYERS]     = { GROUP_ARCH, N_("Layers"), 1, 12, 1, 0 },
  [TC_MODEL_PARAM_D_FF]       = { GROUP_ARCH, N_("Feed-forward size (d_ff)"), 8, 8192, 8, 0 },
  [TC_MODEL_PARAM_DROPOUT]    = { GROUP_ARCH, N_("Dropout"), 0, 0.9, 0.05, 2 },
  [TC_MODEL_PARAM_LR]         = { GROUP_TRAIN, N_("Learning rate"), 0.00001, 0.1, 0.0001, 5 },
  [TC_MODEL_PARAM_BATCH]      = { GROUP_TRAIN, N_("Batch size"), 1, 1024, 8, 0 },
  [TC_MODEL_PARAM_MAX_EPOCHS] = { GROUP_TRAIN, N_("Maximum epochs"), 1, 1000, 1, 0 },
  [TC_MODEL_PARAM_PATIENCE]   = { GROUP_TRAIN, N_("Patience"), 1, 100, 1, 0 },
  [TC_MODEL_PARAM_SEED]       = { GROUP_TRAIN, N_("Random seed"), 0, 2147483647, 1, 0 },
  [TC_MODEL_PARAM_THREADS]    = { GROUP_TRAIN, N_("Threads"), 1, 64, 1, 0 },
};

struct _TcModelPage
{
  AdwBin          parent_instance;

  TcSession      *session;
  GSignalGroup   *session_signals;  /* the page's handlers on the session */
  gboolean        updating;       /* writing spins from the options */
  AdwActionRow   *rows[TC_MODEL_N_PARAMS];
  GtkSpinButton  *spins[TC_MODEL_N_PARAMS];
  char           *help[TC_MODEL_N_PARAMS];
  char           *errors[TC_MODEL_N_PARAMS];
  AdwActionRow   *holdout_row;
  GtkSwitch      *holdout_switch;
  AdwActionRow   *inner_row;
  GtkSwitch      *inner_switch;    /* learn P25/P75: the 50 % range */
  AdwActionRow   *text_row;        /* shown only when the data has review text */
  GtkSwitch      *text_switch;
  GtkWidget      *column_rows[5];
  gboolean        can_train;

  /* What the user chose, kept when other data is opened. */
  guint32         user_set;       /* a bit per TcModelParam edited by hand */
  gboolean        user_preset;
  gboolean        user_holdout;
  TcFrequency     last_freq;      /* of the data the shape settings were chosen for */

  /* From the dataset: what the estimates need. */
  TcFeatureSchema *schema;        /* the data's features, or NULL until the options allow one */
  guint           max_len;        /* longest observed series */
  gsize           n_params;
  double          bytes;
  double          seconds;
  double          flops_per_s;    /* per thread, measured by the last training, or 0 */

  /* Template widgets */
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkBox         *content_box;
  AdwComboRow    *preset_row;
  AdwPreferencesGroup *shape_group;
  AdwPreferencesGroup *arch_group;
  AdwPreferencesGroup *train_group;
  AdwPreferencesGroup *columns_group;
  GtkLabel       *params_value;
  GtkLabel       *memory_value;
  GtkLabel       *time_value;
  GtkLabel       *time_caption;
  GtkLabel       *problem_label;
  GtkLabel       *ready_label;
  GtkButton      *train_button;
};

G_DEFINE_FINAL_TYPE (TcModelPage, tc_model_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const TcDataset *
dataset (TcModelPage *self)
{
  return self->session != NULL ? tc_session_get_dataset (self->session) : NULL;
}

/* What a setting means, in the data's own unit. */
static char *
help_text (TcModelParam param,
           TcFrequency  freq)
{
  const char *u = tc_app_freq_unit_plural (freq);

  switch (param)
    {
    case TC_MODEL_PARAM_HORIZON:
      return g_strdup_printf (_("How many %s ahead the model forecasts"), u);
    case TC_MODEL_PARAM_CONTEXT:
      return g_strdup_printf (_("How many past %s the model looks at for each forecast"), u);
    case TC_MODEL_PARAM_PATCH:
      return g_strdup_printf (_("How many %s the model reads as one piece (token); the context must be a multiple of it"), u);
    case TC_MODEL_PARAM_D_MODEL:
      return g_strdup (_("How many numbers describe each piece inside the model: its capacity"));
    case TC_MODEL_PARAM_HEADS:
      return g_strdup_printf (_("How many different ways the model compares past %s with each other at once; must divide the width"), u);
    case TC_MODEL_PARAM_LAYERS:
      return g_strdup (_("How many attention blocks are stacked; more layers find more complex patterns"));
    case TC_MODEL_PARAM_D_FF:
      return g_strdup (_("Width of the small network inside every layer, usually 2 to 4 times the model width"));
    case TC_MODEL_PARAM_DROPOUT:
      return g_strdup (_("Share of connections switched off at random while learning, so the model cannot just memorise"));
    case TC_MODEL_PARAM_LR:
      return g_strdup (_("How big a step the model takes when it corrects itself; too high makes training unstable"));
    case TC_MODEL_PARAM_BATCH:
      return g_strdup (_("How many example windows the model studies before each correction"));
    case TC_MODEL_PARAM_MAX_EPOCHS:
      return g_strdup (_("How many rounds of practice at most; training usually stops earlier by itself"));
    case TC_MODEL_PARAM_PATIENCE:
      return g_strdup (_("How many rounds without a better validation score to wait before stopping"));
    case TC_MODEL_PARAM_SEED:
      return g_strdup (_("The same seed and settings train the same model again"));
    case TC_MODEL_PARAM_THREADS:
      return g_strdup_printf (ngettext ("How many processor cores training uses; this computer has %u",
                                        "How many processor cores training uses; this computer has %u",
                                        g_get_num_processors ()),
                              g_get_num_processors ());
    case TC_MODEL_N_PARAMS:
    default:
      g_assert_not_reached ();
    }
}

static char *
range_text (TcModelParam param)
{
  const ParamInfo *pi = &param_info[param];

  if (param == TC_MODEL_PARAM_SEED)
    return g_strdup ("");
  return g_strdup_printf (" (%.*f–%.*f)", pi->digits, pi->lo, pi->digits, pi->hi);
}

static double
get_option (const TcForecasterOptions *o,
            TcModelParam               param)
{
  switch (param)
    {
    case TC_MODEL_PARAM_HORIZON:    return o->horizon;
    case TC_MODEL_PARAM_CONTEXT:    return o->context;
    case TC_MODEL_PARAM_PATCH:      return o->patch;
    case TC_MODEL_PARAM_D_MODEL:    return o->d_model;
    case TC_MODEL_PARAM_HEADS:      return o->n_heads;
    case TC_MODEL_PARAM_LAYERS:     return o->n_layers;
    case TC_MODEL_PARAM_D_FF:       return o->d_ff;
    case TC_MODEL_PARAM_DROPOUT:    return o->dropout;
    case TC_MODEL_PARAM_LR:         return o->lr;
    case TC_MODEL_PARAM_BATCH:      return o->batch;
    case TC_MODEL_PARAM_MAX_EPOCHS: return o->max_epochs;
    case TC_MODEL_PARAM_PATIENCE:   return o->patience;
    case TC_MODEL_PARAM_SEED:       return (double) o->seed;
    case TC_MODEL_PARAM_THREADS:    return o->threads;
    case TC_MODEL_N_PARAMS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_option (TcForecasterOptions *o,
            TcModelParam         param,
            double               v)
{
  guint u = (guint) lround (MAX (v, 0));

  switch (param)
    {
    case TC_MODEL_PARAM_HORIZON:    o->horizon = u; break;
    case TC_MODEL_PARAM_CONTEXT:    o->context = u; break;
    case TC_MODEL_PARAM_PATCH:      o->patch = u; break;
    case TC_MODEL_PARAM_D_MODEL:    o->d_model = u; break;
    case TC_MODEL_PARAM_HEADS:      o->n_heads = u; break;
    case TC_MODEL_PARAM_LAYERS:     o->n_layers = u; break;
    case TC_MODEL_PARAM_D_FF:       o->d_ff = u; break;
    case TC_MODEL_PARAM_DROPOUT:    o->dropout = (float) v; break;
    case TC_MODEL_PARAM_LR:         o->lr = (float) v; break;
    case TC_MODEL_PARAM_BATCH:      o->batch = u; break;
    case TC_MODEL_PARAM_MAX_EPOCHS: o->max_epochs = u; break;
    case TC_MODEL_PARAM_PATIENCE:   o->patience = u; break;
    case TC_MODEL_PARAM_SEED:       o->seed = (guint64) u; break;
    case TC_MODEL_PARAM_THREADS:    o->threads = u; break;
    case TC_MODEL_N_PARAMS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_arch (TcModelParam param)
{
  return param_info[param].group == GROUP_ARCH || param == TC_MODEL_PARAM_LR;
}

/* -- validation and estimates --------------------------------------------- */

static void
set_row_error (TcModelPage  *self,
               TcModelParam  param,
               char         *error)   /* (transfer full) (nullable) */
{
  g_autofree char *range = range_text (param);
  g_autofree char *subtitle = NULL;

  g_free (self->errors[param]);
  self->errors[param] = error;
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->rows[param]), "error");
      adw_action_row_set_subtitle (self->rows[param], error);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->spins[param]),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->rows[param]), "error");
      subtitle = g_strconcat (self->help[param] ? self->help[param] : "", range, NULL);
      adw_action_row_set_subtitle (self->rows[param], subtitle);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->spins[param]), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
update_estimates (TcModelPage *self)
{
  const TcDataset *ds = dataset (self);
  const TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);
  TcFeatureSchema shape;
  TcModelConfig cfg;
  TcTrainWindows win;
  guint N;
  double rate, act;
  g_autofree char *params = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *time = NULL;
  g_autofree char *time_l = NULL;

  if (ds == NULL || o->patch == 0 || o->horizon == 0)
    return;
  if (self->schema == NULL)
    self->schema = tc_feature_schema_new (ds, o->context, o->horizon, o->patch, o->log1p, o->holdout, NULL);
  if (self->schema == NULL)
    return;
  /* The network training would build (tc-forecaster.c): the features of
   * this data in the window shape set now. */
  shape = *self->schema;
  tc_feature_schema_set_shape (&shape, o->context, o->horizon, o->patch);
  if (o->text_dim > 0 && (ds->text != NULL || ds->news != NULL))
    {
      TcTextSettings text;

      /* The schema holds no text: the copy gets the channels training
       * adds (tc_forecaster_train), so the embedding counts as parameters.
       * Its text_name stays NULL, so nothing is allocated. */
      tc_text_settings_init (&text);
      tc_feature_schema_set_text (&shape, NULL, o->text_dim, &text);
    }
  tc_forecaster_model_config (o, &shape, &cfg);
  N = cfg.n_tokens;
  self->n_params = tc_model_config_n_params (&cfg);

  act = (double) o->batch * N * o->d_model * o->n_layers * ACT_FLOATS
        + (double) o->batch * o->n_heads * N * N * o->n_layers * 2;
  self->bytes = 4.0 * ((double) self->n_params * FLOATS_PER_PARAM + act);

  /* The windows of an epoch as tc_forecaster_train counts them, and the
   * model's own FLOPs: forward and backward per training window, forward
   * per validation window. */
  tc_forecaster_count_windows (ds, o, &win);
  /* Threads do not scale perfectly, but this keeps the estimate honest
   * when the user changes them. */
  rate = (self->flops_per_s > 0 ? self->flops_per_s : DEFAULT_FLOPS_PER_THREAD) * MAX (o->threads, 1);
  self->seconds = (tc_model_flops_per_window (&cfg, TRUE) * o->batch * win.steps_per_epoch
                   + tc_model_flops_per_window (&cfg, FALSE) * win.n_val_windows) / rate;

  params = tc_format_count ((double) self->n_params);
  gtk_label_set_text (self->params_value, params);
  bytes = tc_app_format_bytes (self->bytes);
  time_l = g_strdup_printf (_("about %s"), bytes);
  gtk_label_set_text (self->memory_value, time_l);
  g_clear_pointer (&time_l, g_free);
  time = tc_app_format_duration (self->seconds);
  time_l = g_strdup_printf (_("about %s"), time);
  gtk_label_set_text (self->time_value, time_l);
  gtk_label_set_text (self->time_caption,
                      self->flops_per_s > 0 ? _("per epoch, from the last training here")
                                            : _("per epoch, a cautious guess"));
}

static void
validate (TcModelPage *self)
{
  const TcDataset *ds = dataset (self);
  const TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);
  TcForecasterOptions copy;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint Hp, N, need;

  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    set_row_error (self, i, NULL);
  if (ds == NULL)
    return;

  if (o->patch > 0 && o->context % o->patch != 0)
    {
      guint lo = o->context / o->patch * o->patch;

      set_row_error (self, TC_MODEL_PARAM_CONTEXT,
                     g_strdup_printf (_("Context must be a multiple of the patch length (%u): try %u or %u"),
                                      o->patch, MAX (lo, o->patch), lo + o->patch));
      ok = FALSE;
    }
  if (o->patch > 0)
    {
      Hp = (o->horizon + o->patch - 1) / o->patch * o->patch;
      N = (o->context + Hp) / o->patch;
      if (N > 256)
        {
          set_row_error (self, TC_MODEL_PARAM_PATCH,
                         g_strdup_printf (_("Context and horizon make %u pieces of %u; at most 256 fit: use a longer patch or a shorter context"),
                                          N, o->patch));
          ok = FALSE;
        }
      if (o->patch > o->context)
        {
          set_row_error (self, TC_MODEL_PARAM_PATCH,
                         g_strdup_printf (_("The patch cannot be longer than the context (%u)"), o->context));
          ok = FALSE;
        }
    }
  if (o->n_heads == 0 || o->d_model % o->n_heads != 0)
    {
      set_row_error (self, TC_MODEL_PARAM_HEADS,
                     g_strdup_printf (_("Heads must divide the model width (%u) evenly, e.g. 1, 2, 4 or 8"),
                                      o->d_model));
      ok = FALSE;
    }
  /* What training itself requires (tc_forecaster_count_windows). */
  {
    TcTrainWindows win;

    tc_forecaster_count_windows (ds, o, &win);
    need = win.min_length;
  }
  if (self->max_len < need)
    {
      g_autofree char *have = tc_explore_period_phrase (ds->freq, self->max_len);
      g_autofree char *want = tc_explore_period_phrase (ds->freq, need);

      set_row_error (self, TC_MODEL_PARAM_HORIZON,
                     g_strdup_printf (_("Too long for this data: the longest series has %s, training needs at least %s"),
                                      have, want));
      ok = FALSE;
    }
  if (o->d_ff < o->d_model / 4)
    {
      set_row_error (self, TC_MODEL_PARAM_D_FF,
                     g_strdup_printf (_("Much narrower than the model width (%u); use at least %u"),
                                      o->d_model, o->d_model / 4));
      ok = FALSE;
    }

  /* Whatever the rows do not cover, the core still checks. */
  copy = *o;
  if (ok && !tc_forecaster_options_resolve (&copy, ds, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The model cannot be trained as set up: %s"), error->message);

      gtk_label_set_text (self->problem_label, text);
      ok = FALSE;
    }
  else if (!ok)
    gtk_label_set_text (self->problem_label, _("Fix the settings marked in red to train."));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), !ok);
  gtk_widget_set_visible (GTK_WIDGET (self->ready_label), ok);
  if (ok)
    {
      g_autofree char *ready = g_strdup_printf (ngettext ("Ready to learn from %u series of %s data.",
                                                          "Ready to learn from %u series of %s data.",
                                                          ds->n_series),
                                                ds->n_series, tc_app_freq_adjective (ds->freq));

      gtk_label_set_text (self->ready_label, ready);
    }
  self->can_train = ok;
  gtk_widget_set_sensitive (GTK_WIDGET (self->train_button), ok);
  if (ok)
    update_estimates (self);
  else
    {
      gtk_label_set_text (self->params_value, "—");
      gtk_label_set_text (self->memory_value, "—");
      gtk_label_set_text (self->time_value, "—");
    }
}

/* -- options <-> rows ----------------------------------------------------- */

static void
sync_rows (TcModelPage *self)
{
  const TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);

  self->updating = TRUE;
  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    gtk_spin_button_set_value (self->spins[i], get_option (o, i));
  gtk_switch_set_active (self->holdout_switch, o->holdout);
  gtk_switch_set_active (self->inner_switch, tc_forecaster_options_get_inner_range (o));
  gtk_switch_set_active (self->text_switch, o->text_dim > 0);
  adw_combo_row_set_selected (self->preset_row, o->preset);
  self->updating = FALSE;
}

static void
options_changed (TcModelPage *self)
{
  gboolean was = self->updating;

  validate (self);
  /* Our own notification needs no re-read. */
  self->updating = TRUE;
  tc_session_forecaster_options_changed (self->session);
  self->updating = was;
}

static void
on_spin_changed (GtkSpinButton *spin,
                 TcModelPage   *self)
{
  TcForecasterOptions *o;
  TcModelParam param = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "tc-param"));

  if (self->updating || self->session == NULL)
    return;
  o = tc_session_get_forecaster_options (self->session);
  set_option (o, param, gtk_spin_button_get_value (spin));
  self->user_set |= 1u << param;
  if (is_arch (param) && o->preset != TC_PRESET_CUSTOM)
    {
      o->preset = TC_PRESET_CUSTOM;
      self->updating = TRUE;
      adw_combo_row_set_selected (self->preset_row, TC_PRESET_CUSTOM);
      self->updating = FALSE;
    }
  options_changed (self);
}

static void
on_inner_changed (TcModelPage *self)
{
  if (self->updating || self->session == NULL)
    return;
  tc_forecaster_options_set_inner_range (tc_session_get_forecaster_options (self->session),
                                         gtk_switch_get_active (self->inner_switch));
  options_changed (self);
}

/* The width the CLI uses too (tc-cli-train.c): measured in
 * bench/RESULTS-text.md, wider signals did not help. */
#define TEXT_DIM_ON 4

static void
on_text_changed (TcModelPage *self)
{
  if (self->updating || self->session == NULL)
    return;
  tc_session_get_forecaster_options (self->session)->text_dim =
    gtk_switch_get_active (self->text_switch) ? TEXT_DIM_ON : 0;
  options_changed (self);
}

/* The text row exists only for data with a review column; its subtitle
 * says which column and how much is in it. */
static void
update_text_row (TcModelPage *self,
                 const TcDataset *ds)
{
  gboolean has_text = ds != NULL && (ds->text != NULL || ds->news != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->text_row), has_text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_row), has_text);
  if (has_text)
    {
      g_autofree char *count = NULL;
      g_autofree char *sub = NULL;

      if (ds->text != NULL)
        {
          guint64 n = tc_text_count_reviews (ds, NULL);
          g_autofree char *n_text = tc_explore_format_number ((double) n);

          count = g_strdup_printf (ngettext ("%s review in the column “%s”", "%s reviews in the column “%s”",
                                             (gulong) MIN (n, G_MAXULONG)),
                                   n_text, ds->text_name);
        }
      if (ds->news != NULL)
        {
          /* TRANSLATORS: %s is the file name of a market news file. */
          g_autofree char *news = g_strdup_printf (_("market news from “%s”"), ds->news_name);
          /* TRANSLATORS: "12 reviews in the column “review” and market news from “news.csv”". */
          char *both = count ? g_strdup_printf (_("%s and %s"), count, news)
                             : g_strdup_printf (_("Market news from “%s”"), ds->news_name);

          g_free (count);
          count = both;
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row),
                                         ds->text ? _("Read the review text and market news")
                                                  : _("Read the market news"));
        }
      else
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row), _("Read the review text"));
      /* TRANSLATORS: three sentences: the review count, what the model does, why it is off. */
      sub = g_strdup_printf (_("%s. %s %s"), count,
                             ds->news ? _("The model learns from the sales what the words of past reviews and headlines mean, and reads only those dated before the days it forecasts.")
                                      : _("The model learns from the sales what the words of past reviews mean, and reads only reviews written before the days it forecasts."),
                             _("Off by default: on the sample shop and on real marketplace reviews it did not make the forecasts more accurate."));

      adw_action_row_set_subtitle (self->text_row, sub);
    }
}

static void
on_holdout_changed (TcModelPage *self)
{
  if (self->updating || self->session == NULL)
    return;
  tc_session_get_forecaster_options (self->session)->holdout = gtk_switch_get_active (self->holdout_switch);
  self->user_holdout = TRUE;
  options_changed (self);
}

static void
apply_preset (TcModelPage *self,
              TcPreset     preset)
{
  const TcDataset *ds = dataset (self);
  TcForecasterOptions *o = tc_session_get_forecaster_options (self->session);
  TcForecasterOptions p;

  o->preset = preset;
  if (preset != TC_PRESET_CUSTOM && ds != NULL)
    {
      /* The core owns the presets: resolve a blank set of options. */
      tc_forecaster_options_init (&p);
      p.preset = preset;
      p.horizon = o->horizon;
      p.holdout = o->holdout;
      if (tc_forecaster_options_resolve (&p, ds, NULL))
        {
          o->d_model = p.d_model;
          o->n_heads = p.n_heads;
          o->n_layers = p.n_layers;
          o->d_ff = p.d_ff;
          o->dropout = p.dropout;
          o->lr = p.lr;
        }
    }
  sync_rows (self);
  options_changed (self);
}

static void
on_preset_selected (TcModelPage *self)
{
  if (self->updating || self->session == NULL)
    return;
  /* A preset stands for its architecture: hand edits of it are gone. */
  self->user_preset = TRUE;
  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    if (is_arch (i) && adw_combo_row_get_selected (self->preset_row) != TC_PRESET_CUSTOM)
      self->user_set &= ~(1u << i);
  apply_preset (self, adw_combo_row_get_selected (self->preset_row));
}

static char *
join_names (char **names,
            guint  n)
{
  GString *s;

  if (n == 0)
    return g_strdup (_("None"));
  s = g_string_new (names[0]);
  for (guint i = 1; i < n; i++)
    g_string_append_printf (s, ", %s", names[i]);
  return g_string_free (s, FALSE);
}

static void
update_columns (TcModelPage *self)
{
  const TcDataset *ds = dataset (self);
  const TcImportOptions *io = tc_session_get_import_options (self->session);
  const char *titles[5] = {
    _("Target: what to forecast"),
    _("Series: one forecast for each"),
    _("Known in advance: promotions, prices, holidays"),
    _("Only known afterwards: traffic, reviews"),
    _("Product attributes: category, brand"),
  };
  char *values[5] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (self->column_rows); i++)
    if (self->column_rows[i] != NULL)
      {
        adw_preferences_group_remove (self->columns_group, self->column_rows[i]);
        self->column_rows[i] = NULL;
      }
  if (ds == NULL)
    return;

  values[0] = g_strdup (ds->target_name ? ds->target_name : _("Unnamed"));
  if (io->series_cols != NULL && io->series_cols[0] != NULL)
    {
      g_autofree char *cols = g_strjoinv (", ", io->series_cols);

      values[1] = g_strdup_printf (ngettext ("%s (%u series)", "%s (%u series)", ds->n_series),
                                   cols, ds->n_series);
    }
  else
    values[1] = g_strdup_printf (ngettext ("%u series", "%u series", ds->n_series), ds->n_series);
  values[2] = join_names (ds->known_names, ds->n_known);
  values[3] = join_names (ds->observed_names, ds->n_observed);
  values[4] = join_names (ds->static_names, ds->n_static);
  for (guint i = 0; i < G_N_ELEMENTS (self->column_rows); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), titles[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), values[i]);
      adw_preferences_group_add (self->columns_group, row);
      self->column_rows[i] = row;
      g_free (values[i]);
    }
}

static gboolean
is_shape (TcModelParam param)
{
  return param_info[param].group == GROUP_SHAPE;
}

/* Resets @o to the defaults for @ds, then puts back the settings the
 * user chose by hand.  The shape settings (horizon, context, patch) count
 * in steps of the data, so they only carry over to data of the same
 * frequency; any setting the new data cannot take falls back to the
 * default.  A toast says what happened. */
static void
keep_user_settings (TcModelPage         *self,
                    TcForecasterOptions *o,
                    const TcDataset     *ds)
{
  TcForecasterOptions old = *o;
  gboolean same_freq = ds->freq == self->last_freq;
  guint n_kept = 0, n_dropped = 0;

  if (self->user_set == 0 && !self->user_preset && !self->user_holdout)
    {
      tc_forecaster_options_init (o);
      if (!tc_forecaster_options_resolve (o, ds, NULL))
        tc_forecaster_options_init (o);
      return;
    }

  for (guint pass = 0; pass < 2; pass++)
    {
      n_kept = n_dropped = 0;
      tc_forecaster_options_init (o);
      if (self->user_preset)
        {
          o->preset = old.preset;
          n_kept++;
        }
      if (self->user_holdout)
        {
          o->holdout = old.holdout;
          n_kept++;
        }
      for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
        {
          if (!(self->user_set & (1u << i)))
            continue;
          /* The second pass drops the shape: the new data could not take it. */
          if (is_shape (i) && (!same_freq || pass == 1))
            {
              n_dropped++;
              continue;
            }
          set_option (o, i, get_option (&old, i));
          n_kept++;
        }
      if (tc_forecaster_options_resolve (o, ds, NULL))
        break;
      if (pass == 1)
        {
          tc_forecaster_options_init (o);
          if (!tc_forecaster_options_resolve (o, ds, NULL))
            tc_forecaster_options_init (o);
          self->user_set = 0;
          self->user_preset = self->user_holdout = FALSE;
          tc_app_toast (GTK_WIDGET (self), _("Your model settings do not fit the new data: the defaults for it are back"),
                        NULL, NULL, NULL);
          return;
        }
    }
  if (n_dropped > 0)
    {
      for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
        if (is_shape (i))
          self->user_set &= ~(1u << i);
      tc_app_toast (GTK_WIDGET (self), _("Your model settings are kept; horizon, context and patch were chosen anew for the new data"),
                    NULL, NULL, NULL);
    }
  else if (n_kept > 0)
    tc_app_toast (GTK_WIDGET (self), _("Your model settings are kept for the new data"), NULL, NULL, NULL);
}

static void
on_dataset_changed (TcModelPage *self)
{
  const TcDataset *ds = dataset (self);
  TcForecasterOptions *o;
  gtk_stack_set_visible_child_name (self->stack, ds != NULL ? "content" : "empty");
  update_columns (self);
  update_text_row (self, ds);
  if (ds == NULL)
    return;

  /* Defaults come from the core, for this data; what the user set by
   * hand is kept, and they are told. */
  o = tc_session_get_forecaster_options (self->session);
  keep_user_settings (self, o, ds);
  self->last_freq = ds->freq;

  self->max_len = 0;
  for (guint s = 0; s < ds->n_series; s++)
    if (ds->end[s] > ds->start[s])
      self->max_len = MAX (self->max_len, ds->end[s] - ds->start[s]);
  g_clear_pointer (&self->schema, tc_feature_schema_free);
  if (o->patch > 0)
    self->schema = tc_feature_schema_new (ds, o->context, o->horizon, o->patch, o->log1p, o->holdout, NULL);

  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    {
      g_free (self->help[i]);
      self->help[i] = help_text (i, ds->freq);
    }
  {
    g_autofree char *h = tc_explore_period_phrase (ds->freq, o->horizon);
    g_autofree char *sub = g_strdup_printf (_("Hide the last %s of every series from training, so the Evaluation page can test the model on data it never saw"), h);

    adw_action_row_set_subtitle (self->holdout_row, sub);
  }
  sync_rows (self);
  options_changed (self);
}

static void
on_options_notify (TcModelPage *self)
{
  /* Someone else (an opened model file) changed the options. */
  if (self->updating)
    return;
  self->updating = TRUE;
  sync_rows (self);
  self->updating = FALSE;
  validate (self);
}

static void
on_forecaster_changed (TcModelPage *self)
{
  TcForecaster *fc = tc_session_get_forecaster (self->session);
  const TcTrainSummary *s;
  const TcModelConfig *cfg;
  TcForecasterOptions o;

  if (fc == NULL)
    return;
  s = tc_forecaster_get_summary (fc);
  if (s->steps == 0 || s->train_seconds <= 0)
    return;
  /* Learn how fast this computer really trains, for the next estimate. */
  o = *tc_forecaster_get_options (fc);
  cfg = tc_model_get_config (tc_forecaster_get_model (fc));
  self->flops_per_s = (tc_model_flops_per_window (cfg, TRUE) * o.batch * s->steps
                       + tc_model_flops_per_window (cfg, FALSE) * s->n_val_windows * s->epochs)
                      / s->train_seconds / MAX (o.threads, 1);
  validate (self);
}

/* -- rows ----------------------------------------------------------------- */

static void
build_rows (TcModelPage *self)
{
  AdwPreferencesGroup *groups[] = { self->shape_group, self->arch_group, self->train_group };

  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    {
      const ParamInfo *pi = &param_info[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (pi->lo, pi->hi, pi->step);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(pi->title));
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), pi->digits);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      /* One width for every row, so the values line up. */
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), pi->digits > 0 ? 8 : 6);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (spin), "tc-param", GUINT_TO_POINTER (i));
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed), self);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (groups[pi->group], row);
      self->rows[i] = ADW_ACTION_ROW (row);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
      if (i == TC_MODEL_PARAM_PATCH)
        {
          /* The holdout changes what the model learns from: it belongs
           * with the forecast's shape. */
          GtkWidget *hrow = adw_action_row_new ();
          GtkWidget *sw = gtk_switch_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hrow), _("Keep a holdout for testing"));
          gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (hrow), sw);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (hrow), sw);
          g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_holdout_changed), self);
          adw_preferences_group_add (self->shape_group, hrow);
          self->holdout_row = ADW_ACTION_ROW (hrow);
          self->holdout_switch = GTK_SWITCH (sw);

          /* The 50 % range is a choice: it measured a little less
           * accurate on short histories (tc_forecaster_default_quantiles). */
          hrow = adw_action_row_new ();
          sw = gtk_switch_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hrow), _("Learn the 50 % range too"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (hrow),
                                       /* xgettext:no-c-format */
                                       _("Charts then draw the likely range inside the 80 % one. Off by default: on short histories the forecasts came out a little less accurate with it."));
          gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (hrow), sw);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (hrow), sw);
          g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_inner_changed), self);
          adw_preferences_group_add (self->shape_group, hrow);
          self->inner_row = ADW_ACTION_ROW (hrow);
          self->inner_switch = GTK_SWITCH (sw);

          /* Review text is an input like the others, but one that did
           * not improve accuracy where measured: a visible choice. */
          hrow = adw_action_row_new ();
          sw = gtk_switch_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hrow), _("Read the review text"));
          gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (hrow), sw);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (hrow), sw);
          g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_text_changed), self);
          adw_preferences_group_add (self->shape_group, hrow);
          gtk_widget_set_visible (hrow, FALSE);
          self->text_row = ADW_ACTION_ROW (hrow);
          self->text_switch = GTK_SWITCH (sw);
        }
    }
}

/* -- public API ----------------------------------------------------------- */

TcSession *
tc_model_page_get_session (TcModelPage *self)
{
  g_return_val_if_fail (TC_IS_MODEL_PAGE (self), NULL);
  return self->session;
}

void
tc_model_page_set_session (TcModelPage *self,
                           TcSession   *session)
{
  g_return_if_fail (TC_IS_MODEL_PAGE (self));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    on_dataset_changed (self);
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tc_model_page_set_value (TcModelPage  *self,
                         TcModelParam  param,
                         double        value)
{
  g_return_if_fail (TC_IS_MODEL_PAGE (self));
  g_return_if_fail (param < TC_MODEL_N_PARAMS);
  gtk_spin_button_set_value (self->spins[param], value);
}

void
tc_model_page_set_preset (TcModelPage *self,
                          TcPreset     preset)
{
  g_return_if_fail (TC_IS_MODEL_PAGE (self));
  adw_combo_row_set_selected (self->preset_row, preset);
}

GtkWidget *
tc_model_page_get_text_row (TcModelPage *self)
{
  g_return_val_if_fail (TC_IS_MODEL_PAGE (self), NULL);
  return GTK_WIDGET (self->text_row);
}

gboolean
tc_model_page_get_can_train (TcModelPage *self)
{
  g_return_val_if_fail (TC_IS_MODEL_PAGE (self), FALSE);
  return self->can_train && gtk_widget_get_sensitive (GTK_WIDGET (self->train_button));
}

const char *
tc_model_page_get_row_error (TcModelPage  *self,
                             TcModelParam  param)
{
  g_return_val_if_fail (TC_IS_MODEL_PAGE (self), NULL);
  g_return_val_if_fail (param < TC_MODEL_N_PARAMS, NULL);
  return self->errors[param];
}

void
tc_model_page_get_estimates (TcModelPage *self,
                             gsize       *n_params,
                             double      *bytes,
                             double      *seconds)
{
  g_return_if_fail (TC_IS_MODEL_PAGE (self));
  if (n_params)
    *n_params = self->n_params;
  if (bytes)
    *bytes = self->bytes;
  if (seconds)
    *seconds = self->seconds;
}

/* -- GObject -------------------------------------------------------------- */

static void
tc_model_page_dispose (GObject *object)
{
  TcModelPage *self = TC_MODEL_PAGE (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_model_page_parent_class)->dispose (object);
}

static void
tc_model_page_finalize (GObject *object)
{
  TcModelPage *self = TC_MODEL_PAGE (object);

  for (guint i = 0; i < TC_MODEL_N_PARAMS; i++)
    {
      g_free (self->help[i]);
      g_free (self->errors[i]);
    }
  g_clear_pointer (&self->schema, tc_feature_schema_free);

  G_OBJECT_CLASS (tc_model_page_parent_class)->finalize (object);
}

static void
tc_model_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TcModelPage *self = TC_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_model_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TcModelPage *self = TC_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_model_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_model_page_class_init (TcModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_model_page_dispose;
  object_class->finalize = tc_model_page_finalize;
  object_class->get_property = tc_model_page_get_property;
  object_class->set_property = tc_model_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, preset_row);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, shape_group);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, arch_group);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, train_group);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, params_value);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, memory_value);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, time_value);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, time_caption);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, ready_label);
  gtk_widget_class_bind_template_child (widget_class, TcModelPage, train_button);
}

static void
tc_model_page_init (TcModelPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* One group holds the page's handlers on the session; setting the
   * session only changes the group's target. */
  self->session_signals = g_signal_group_new (TC_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset", G_CALLBACK (on_dataset_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster-options", G_CALLBACK (on_options_notify), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::forecaster", G_CALLBACK (on_forecaster_changed), self);
  build_rows (self);
  g_signal_connect_swapped (self->preset_row, "notify::selected", G_CALLBACK (on_preset_selected), self);
}
