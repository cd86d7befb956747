/* tc-scenario-page.c — the Scenarios page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-scenario-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tc-scenario-page.h"

struct _TcScenarioPage
{
  AdwBin         parent_instance;

  TcSession     *session;

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *empty_status;
  GtkBox        *content_box;
};

G_DEFINE_FINAL_TYPE (TcScenarioPage, tc_scenario_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tc_scenario_page_dispose (GObject *object)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  tc_scenario_page_set_session (self, NULL);
  /* AdwBin unparents its child, the template's root, itself. */

  G_OBJECT_CLASS (tc_scenario_page_parent_class)->dispose (object);
}

static void
tc_scenario_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

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
tc_scenario_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TcScenarioPage *self = TC_SCENARIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tc_scenario_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_scenario_page_class_init (TcScenarioPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tc_scenario_page_dispose;
  object_class->get_property = tc_scenario_page_get_property;
  object_class->set_property = tc_scenario_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tc-scenario-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TcScenarioPage, content_box);
}

static void
tc_scenario_page_init (TcScenarioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TcSession *
tc_scenario_page_get_session (TcScenarioPage *self)
{
  g_return_val_if_fail (TC_IS_SCENARIO_PAGE (self), NULL);
  return self->session;
}

void
tc_scenario_page_set_session (TcScenarioPage *self,
                             TcSession *session)
{
  g_return_if_fail (TC_IS_SCENARIO_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
