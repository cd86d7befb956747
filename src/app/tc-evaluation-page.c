/* tc-evaluation-page.c — the Evaluation page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-evaluation-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-evaluation-page.h"

struct _TcEvaluationPage
{
  AdwBin         parent_instance;

  TcSession     *session;

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *empty_status;
  GtkBox        *content_box;
};

G_DEFINE_FINAL_TYPE (TcEvaluationPage, tc_evaluation_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tc_evaluation_page_dispose (GObject *object)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  tc_evaluation_page_set_session (self, NULL);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_evaluation_page_parent_class)->dispose (object);
}

static void
tc_evaluation_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

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
tc_evaluation_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcEvaluationPage *self = TC_EVALUATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_evaluation_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_evaluation_page_class_init (TcEvaluationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_evaluation_page_dispose;
  object_class->get_property = tc_evaluation_page_get_property;
  object_class->set_property = tc_evaluation_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-evaluation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcEvaluationPage, content_box);
}

static void
tc_evaluation_page_init (TcEvaluationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TcSession *
tc_evaluation_page_get_session (TcEvaluationPage *self)
{
  g_return_val_if_fail (TC_IS_EVALUATION_PAGE (self), NULL);
  return self->session;
}

void
tc_evaluation_page_set_session (TcEvaluationPage *self,
                               TcSession *session)
{
  g_return_if_fail (TC_IS_EVALUATION_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
