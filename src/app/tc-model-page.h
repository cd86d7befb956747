/* tc-model-page.h — the Model page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-session.h"

G_BEGIN_DECLS

#define TC_TYPE_MODEL_PAGE (tc_model_page_get_type ())

G_DECLARE_FINAL_TYPE (TcModelPage, tc_model_page, TC, MODEL_PAGE, AdwBin)

/* The settings the page edits, in the order of its rows. */
typedef enum
{
  TC_MODEL_PARAM_HORIZON = 0,
  TC_MODEL_PARAM_CONTEXT,
  TC_MODEL_PARAM_PATCH,
  TC_MODEL_PARAM_D_MODEL,
  TC_MODEL_PARAM_HEADS,
  TC_MODEL_PARAM_LAYERS,
  TC_MODEL_PARAM_D_FF,
  TC_MODEL_PARAM_DROPOUT,
  TC_MODEL_PARAM_LR,
  TC_MODEL_PARAM_BATCH,
  TC_MODEL_PARAM_MAX_EPOCHS,
  TC_MODEL_PARAM_PATIENCE,
  TC_MODEL_PARAM_SEED,
  TC_MODEL_PARAM_THREADS,
  TC_MODEL_N_PARAMS
} TcModelParam;

TcSession *tc_model_page_get_session   (TcModelPage  *self);
void       tc_model_page_set_session   (TcModelPage  *self,
                                        TcSession    *session);

/* For tests and keyboard-free automation: what a user would type. */
void       tc_model_page_set_value     (TcModelPage  *self,
                                        TcModelParam  param,
                                        double        value);
void       tc_model_page_set_preset    (TcModelPage  *self,
                                        TcPreset      preset);
/* FALSE while a row shows a problem (the Train button is then off). */
gboolean   tc_model_page_get_can_train (TcModelPage  *self);
/* The "Read the review text" row (hidden when the data has no text). */
GtkWidget *tc_model_page_get_text_row  (TcModelPage  *self);
/* The problem shown on a row, or NULL. */
const char *tc_model_page_get_row_error (TcModelPage *self,
                                         TcModelParam param);
/* The estimates as shown: parameters, bytes, seconds per epoch. */
void       tc_model_page_get_estimates (TcModelPage  *self,
                                        gsize        *n_params,
                                        double       *bytes,
                                        double       *seconds);

G_END_DECLS
