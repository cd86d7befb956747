/* test-chart-view.c — the GTK chart widget: creation, data, snapshot,
 * light/dark switching and clean finalization.  Runs under Xvfb; skips
 * without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "chart-fixture.h"
#include "tc-chart-view.h"

#include <adwaita.h>

static gboolean
timed_out (gpointer data)
{
  g_error ("timed out waiting for the window to map");
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean *flag)
{
  /* Generous: under Xvfb a sanitizer build on a loaded machine takes
   * seconds to map a window; the suite's timeout is the real guard. */
  guint id = g_timeout_add_seconds (120, timed_out, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

/* Counts pixels of @surface that differ from its top-left pixel. */
static int
count_ink (cairo_surface_t *surface)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (img);
  guint32 *row, bg;
  int n = 0, x, y, stride;

  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  row = (guint32 *) cairo_image_surface_get_data (img);
  bg = row[0];
  for (y = 0; y < 300; y++)
    for (x = 0; x < 400; x++)
      if (row[y * stride + x] != bg)
        n++;
  cairo_surface_destroy (img);
  return n;
}

static GskRenderNode *
find_cairo_node (GskRenderNode *node)
{
  guint i;

  if (gsk_render_node_get_node_type (node) == GSK_CAIRO_NODE)
    return node;
  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    for (i = 0; i < gsk_container_node_get_n_children (node); i++)
      {
        GskRenderNode *c = find_cairo_node (gsk_container_node_get_child (node, i));
        if (c)
          return c;
      }
  return NULL;
}

static void
test_view (void)
{
  GtkWidget *view, *window;
  g_autoptr(TcChart) data = fixture_chart (TRUE);
  TcChart *chart;
  GtkSnapshot *snapshot;
  GskRenderNode *node, *cairo_node;
  gboolean mapped = FALSE;
  int min = 0, nat = 0;
  double from, to, ef, et;
  AdwStyleManager *sm = adw_style_manager_get_default ();

  view = g_object_ref_sink (tc_chart_view_new ());
  chart = tc_chart_view_get_chart (TC_CHART_VIEW (view));
  g_assert_true (TC_IS_CHART (chart));
  g_assert_true (gtk_widget_get_focusable (view));

  /* Share a chart built elsewhere. */
  tc_chart_view_set_chart (TC_CHART_VIEW (view), data);
  g_assert_true (tc_chart_view_get_chart (TC_CHART_VIEW (view)) == data);
  chart = data;

  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, >, 0);
  g_assert_cmpint (nat, >=, min);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), view);
  g_signal_connect_swapped (view, "map", G_CALLBACK (set_flag), &mapped);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&mapped);
  while (gtk_widget_get_width (view) <= 0)
    g_main_context_iteration (NULL, TRUE);

  /* Snapshot: one Cairo node covering the widget, with the chart drawn. */
  adw_style_manager_set_color_scheme (sm, ADW_COLOR_SCHEME_FORCE_LIGHT);
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  cairo_node = find_cairo_node (node);
  g_assert_nonnull (cairo_node);
  g_assert_cmpint (count_ink (gsk_cairo_node_get_surface (cairo_node)), >, 2000);
  gsk_render_node_unref (node);

  /* The snapshot told the chart its size, so hover works in widget pixels. */
  {
    TcChartRect p = tc_chart_get_plot_rect (chart, gtk_widget_get_width (view), gtk_widget_get_height (view));
    TcChartHoverInfo info;

    g_assert_true (tc_chart_hover_at (chart, p.x + p.width - 1, p.y + 10, &info));
    g_assert_cmpuint (info.index, ==, FIX_N_HIST + FIX_N_FC - 1);
  }

  /* Light and dark follow AdwStyleManager. */
  g_assert_cmpfloat (tc_chart_get_style (chart)->background.r, ==, 1.0);
  adw_style_manager_set_color_scheme (sm, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpfloat (tc_chart_get_style (chart)->background.r, ==, tc_chart_style_dark ()->background.r);
  adw_style_manager_set_color_scheme (sm, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpfloat (tc_chart_get_style (chart)->background.r, ==, 1.0);

  /* Keys: Right moves the hover, Escape resets the view. */
  tc_chart_get_data_extent (chart, &ef, &et);
  tc_chart_set_view (chart, ef, ef + 10 * FIX_WEEK);
  gtk_widget_grab_focus (view);
  {
    GtkEventController *key = NULL, *scroll = NULL;
    GListModel *ctls = gtk_widget_observe_controllers (view);
    guint i;
    gboolean handled = FALSE;
    TcChartHoverInfo info;

    for (i = 0; i < g_list_model_get_n_items (ctls); i++)
      {
        g_autoptr(GtkEventController) c = g_list_model_get_item (ctls, i);
        if (GTK_IS_EVENT_CONTROLLER_KEY (c))
          key = c;
        if (GTK_IS_EVENT_CONTROLLER_SCROLL (c))
          scroll = c;
      }
    g_object_unref (ctls);
    g_assert_nonnull (key);
    g_assert_nonnull (scroll);

    /* Scrolling up zooms in, down zooms out again. */
    tc_chart_reset_view (chart);
    g_signal_emit_by_name (scroll, "scroll", 0.0, -2.0, &handled);
    g_assert_true (handled);
    tc_chart_get_view (chart, &from, &to);
    g_assert_cmpfloat (to - from, <, (et - ef) * 0.8);
    g_signal_emit_by_name (scroll, "scroll", 0.0, 2.0, &handled);
    tc_chart_get_view (chart, &from, &to);
    g_assert_cmpfloat_with_epsilon (to - from, et - ef, 1);
    tc_chart_set_view (chart, ef, ef + 10 * FIX_WEEK);

    tc_chart_clear_hover (chart);
    g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
    g_assert_true (handled);
    g_assert_true (tc_chart_get_hover (chart, &info));
    g_assert_cmpuint (info.index, ==, 0);
    g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
    g_assert_true (tc_chart_get_hover (chart, &info));
    g_assert_cmpuint (info.index, ==, 1);
    g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
    g_assert_true (handled);
    g_assert_false (tc_chart_get_hover (chart, NULL));
    tc_chart_get_view (chart, &from, &to);
    g_assert_cmpfloat (from, ==, ef);
    g_assert_cmpfloat (to, ==, et);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (view);
  /* The view let go of the shared chart and its signal handler. */
  g_assert_cmpuint (G_OBJECT (data)->ref_count, ==, 1);
  tc_chart_set_title (data, "still usable");
}

static char *
day (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%x");
}

/* What a screen reader is told: the chart in words, then the step the
 * arrow keys are on. */
static void
test_text (void)
{
  GtkWidget *view = g_object_ref_sink (tc_chart_view_new ());
  TcChart *chart = tc_chart_view_get_chart (TC_CHART_VIEW (view));
  const gint64 d = 86400, t0 = 1700006400;
  gint64 ht[3] = { t0, t0 + d, t0 + 2 * d }, ft[3] = { t0 + 3 * d, t0 + 4 * d, t0 + 5 * d };
  double hy[3] = { 10, 20, 1234 }, med[3] = { 40, 5000, 45 }, lo[3] = { 30, 35, 30 }, hi[3] = { 50, 7000, 60 };
  g_autofree char *empty = tc_chart_view_dup_text (TC_CHART_VIEW (view));
  g_autofree char *words = NULL, *step = NULL, *expected = NULL, *expected_step = NULL;
  g_autofree char *d2 = day (ht[2]), *d3 = day (ft[0]), *d4 = day (ft[1]), *d5 = day (ft[2]);

  g_assert_cmpstr (empty, ==, "Nothing to show yet");
  tc_chart_set_history (chart, ht, hy, 3);
  tc_chart_set_forecast (chart, ft, med, 3);
  tc_chart_add_band (chart, 0.1, 0.9, lo, hi);
  words = tc_chart_view_dup_text (TC_CHART_VIEW (view));
  expected = g_strdup_printf ("History up to %s, last value 1,234. Forecast from %s to %s: 40 at first, 45 at the end, "
                              "between 40 and 5,000. 80 %% of outcomes fall between 30 and 7,000.", d2, d3, d5);
  g_assert_cmpstr (words, ==, expected);
  /* The same text is what the accessibility layer holds. */
  {
    char *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                        expected);

    g_assert_null (problem);
  }

  /* Left from nowhere starts on the last step. */
  tc_chart_set_size (chart, 400, 300);
  tc_chart_move_hover (chart, -1);
  tc_chart_move_hover (chart, -1);
  step = tc_chart_view_dup_text (TC_CHART_VIEW (view));
  expected_step = g_strdup_printf ("%s, forecast 5,000, low 35, high 7,000", d4);
  g_assert_cmpstr (step, ==, expected_step);
  g_object_unref (view);
}

static void
test_skip (void)
{
  g_test_skip ("no display (run under xvfb-run -a)");
}

int
main (int argc, char **argv)
{
  gboolean have_display;

  g_test_init (&argc, &argv, NULL);
  /* Xvfb has no session bus, where the accessibility bridge would warn
   * (the suite makes warnings fatal); GTK's test backend needs none and
   * lets the test read what a screen reader would be given. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* The widget draws with Cairo and needs no GL; Mesa's software GL leaks
   * from a module LeakSanitizer cannot name, so tests/lsan.supp cannot
   * suppress it. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  if (have_display)
    {
      g_test_add_func ("/chart-view/basic", test_view);
      g_test_add_func ("/chart-view/text", test_text);
    }
  else
    g_test_add_func ("/chart-view/basic", test_skip);

  return g_test_run ();
}
