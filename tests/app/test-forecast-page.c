/* test-forecast-page.c — the forecast explorer with a real (tiny) model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A synthetic weekly dataset, a forecaster trained for a few steps, a
 * session holding both: the page must list every level, filter, show the
 * summed forecast where the sums put it, export files that are what they
 * claim, and finalize cleanly.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app/app-test-util.h"
#include "core/tc-synth.h"
#include "tc-forecast-page.h"
#include "tc-import.h"
#include "tc-text.h"

#define N_SERIES 9
#define N_TIMES  80
#define H        6

static TcForecaster *trained;
static TcDataset *data;

static TcForecastPage *live_page;   /* the page under test: iterate waits for its forecasts */

/* Runs what is pending; the page forecasts in a worker, so while it is
 * busy, wait for its result too (it wakes the main context). */
static void
iterate (void)
{
  for (guint i = 0; i < 2000; i++)
    {
      gboolean busy = live_page != NULL && tc_forecast_page_get_busy (live_page);

      if (!busy && !g_main_context_pending (NULL))
        break;
      g_main_context_iteration (NULL, busy);
    }
}

static void
train_once (void)
{
  g_autoptr(GError) error = NULL;
  TcForecasterOptions o;

  if (trained)
    return;
  data = synth_dataset (N_SERIES, N_TIMES, 7);
  tc_forecaster_options_init (&o);
  o.horizon = H;
  o.context = 16;
  o.patch = 4;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.max_epochs = 2;
  o.steps_per_epoch = 4;
  o.batch = 8;
  o.threads = 1;
  o.seed = 3;
  /* P25 and P75 too: the page draws (and this test checks) the 50 % range. */
  tc_forecaster_options_set_inner_range (&o, TRUE);
  o.holdout = TRUE;
  trained = tc_forecaster_train (data, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trained);
}

/* A window with the page on a session holding data, future covariates
 * and a copy of the trained model (the session takes ownership). */
static TcForecastPage *
make_page_on (GtkWindow **out_window, TcSession **out_session, TcDataset *ds)
{
  TcSession *session = tc_session_new ();
  GtkWidget *window = gtk_window_new ();
  TcForecastPage *page = g_object_new (TC_TYPE_FORECAST_PAGE, NULL);
  TcForecaster *copy;

  train_once ();
  /* The session owns its model: hand it a copy. */
  copy = tc_forecaster_dup (trained);
  live_page = page;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tc_forecast_page_set_session (page, session);
  tc_session_set_dataset (session, NULL, NULL, ds, NULL);
  tc_session_set_future (session, synth_future (data, H, 0));
  tc_session_set_forecaster (session, copy);
  iterate ();

  *out_window = GTK_WINDOW (window);
  *out_session = session;
  return g_object_ref (page);
}

static TcForecastPage *
make_page (GtkWindow **out_window, TcSession **out_session)
{
  train_once ();
  return make_page_on (out_window, out_session, tc_dataset_copy (data));
}

static void
destroy (GtkWindow *window, TcForecastPage *page, TcSession *session)
{
  gtk_window_destroy (window);
  iterate ();
  live_page = NULL;
  tc_test_finalize_soon (page);
  tc_test_finalize_soon (session);
}

static GtkWidget *
find_child (GtkWidget *w, GType type)
{
  GtkWidget *c;

  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *r = find_child (c, type);
      if (r)
        return r;
    }
  return NULL;
}

static void
test_empty (void)
{
  TcSession *session = tc_session_new ();
  GtkWidget *window = gtk_window_new ();
  TcForecastPage *page = g_object_ref (g_object_new (TC_TYPE_FORECAST_PAGE, NULL));
  GtkStack *stack;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tc_forecast_page_set_session (page, session);
  iterate ();
  stack = GTK_STACK (find_child (GTK_WIDGET (page), GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (tc_forecast_page_get_n_levels (page), ==, 0);
  destroy (GTK_WINDOW (window), page, session);
}

static void
test_levels_and_filter (void)
{
  GtkWindow *window;
  TcSession *session;
  TcForecastPage *page = make_page (&window, &session);
  GtkStack *stack = GTK_STACK (find_child (GTK_WIDGET (page), GTK_TYPE_STACK));
  const TcExploreLevel *level;
  const TcForecast *f;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "content");
  /* Series, category, total. */
  g_assert_cmpuint (tc_forecast_page_get_n_levels (page), ==, 3);
  level = tc_forecast_page_get_level (page);
  g_assert_cmpint (level->kind, ==, TC_EXPLORE_LEVEL_SERIES);
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, N_SERIES);
  g_assert_cmpint (tc_forecast_page_get_group (page), >=, 0);
  g_assert_true (g_str_has_prefix (tc_forecast_page_get_summary (page), "Next 6 weeks: "));
  /* No review text: no "What customers say". */
  g_assert_null (tc_forecast_page_get_text_summary (page));

  /* The search matches names and attributes, case-insensitively. */
  tc_forecast_page_set_search (page, "SKU00");
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, N_SERIES);
  tc_forecast_page_set_search (page, "sku004");
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, 1);
  g_assert_cmpstr (tc_forecast_page_get_level (page)->groups[tc_forecast_page_get_group (page)].name, ==, "sku004");
  tc_forecast_page_set_search (page, "drink");   /* sku001, 004, 007 */
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, 3);
  tc_forecast_page_set_search (page, "no such thing");
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, 0);
  g_assert_cmpint (tc_forecast_page_get_group (page), ==, -1);
  tc_forecast_page_set_search (page, "");
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, N_SERIES);
  g_assert_true (tc_forecast_page_select (page, "sku002"));
  g_assert_cmpstr (tc_forecast_page_get_level (page)->groups[tc_forecast_page_get_group (page)].name, ==, "sku002");

  /* Category level: three groups; switching levels clears the search. */
  tc_forecast_page_set_search (page, "sku");
  tc_forecast_page_set_level (page, 1);
  iterate ();
  level = tc_forecast_page_get_level (page);
  g_assert_cmpint (level->kind, ==, TC_EXPLORE_LEVEL_ATTRIBUTE);
  g_assert_cmpstr (level->name, ==, "category");
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, 3);
  g_assert_true (tc_forecast_page_select (page, "food"));
  g_assert_cmpuint (level->groups[tc_forecast_page_get_group (page)].n_members, ==, 3);
  /* Another interval rule rebuilds the levels and keeps the choice. */
  gtk_widget_activate_action (GTK_WIDGET (page), "forecast.interval", "s", "together");
  level = tc_forecast_page_get_level (page);
  g_assert_cmpint (level->interval, ==, TC_EXPLORE_COMONOTONIC);
  g_assert_cmpstr (level->groups[tc_forecast_page_get_group (page)].name, ==, "food");
  gtk_widget_activate_action (GTK_WIDGET (page), "forecast.interval", "s", "independent");

  /* Total: its median is the sum of the session forecast's medians. */
  tc_forecast_page_set_level (page, 2);
  iterate ();
  level = tc_forecast_page_get_level (page);
  g_assert_cmpint (level->kind, ==, TC_EXPLORE_LEVEL_TOTAL);
  g_assert_cmpuint (tc_forecast_page_get_n_shown (page), ==, 1);
  f = tc_session_get_forecast (session, NULL);
  g_assert_nonnull (f);
  for (guint h = 0; h < H; h++)
    {
      double sum = 0;

      for (guint s = 0; s < N_SERIES; s++)
        sum += f->values[((gsize) s * H + h) * f->n_quantiles + level->median];
      g_assert_cmpfloat_with_epsilon (level->groups[0].forecast[h * level->n_quantiles + level->median], sum, 1e-6 * sum);
    }

  /* The held-out check: the same levels, with what happened. */
  g_assert_null (level->groups[0].actual);
  gtk_widget_activate_action (GTK_WIDGET (page), "forecast.holdout", NULL);
  iterate ();
  level = tc_forecast_page_get_level (page);
  g_assert_cmpint (level->kind, ==, TC_EXPLORE_LEVEL_TOTAL);
  g_assert_nonnull (level->groups[0].actual);
  g_assert_cmpuint (level->n_history, ==, N_TIMES - H);
  g_assert_true (g_str_has_prefix (tc_forecast_page_get_summary (page), "Held-out 6 weeks: forecast "));
  gtk_widget_activate_action (GTK_WIDGET (page), "forecast.holdout", NULL);
  iterate ();
  g_assert_null (tc_forecast_page_get_level (page)->groups[0].actual);

  /* A new model notified by the session rebuilds the page; none empties it. */
  tc_session_set_forecaster (session, NULL);
  iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (tc_forecast_page_get_n_levels (page), ==, 0);

  destroy (window, page, session);
}

typedef struct { guint8 r, g, b; } Px;

static Px
pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *d = cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + x * 4;
  Px p = { d[2], d[1], d[0] };

  return p;
}

static gboolean
is_bluish (Px p)
{
  return p.b > p.r + 25 && p.b > p.g + 8;
}

/* The band of the total, drawn by the page's own chart, lies between the
 * y of the hand-summed P10 and P90 and not outside. */
static void
test_total_band_pixels (void)
{
  GtkWindow *window;
  TcSession *session;
  TcForecastPage *page = make_page (&window, &session);
  const int w = 900, hgt = 500;
  const TcExploreLevel *level;
  const TcForecast *f;
  cairo_surface_t *surface;
  TcChart *chart;
  cairo_t *cr;
  guint h, Q, M;

  tc_forecast_page_set_level (page, 2);
  iterate ();
  level = tc_forecast_page_get_level (page);
  f = tc_session_get_forecast (session, NULL);
  Q = f->n_quantiles;
  M = Q / 2;   /* the median of a symmetric set of levels */
  g_assert_cmpfloat (f->quantiles[M], ==, 0.5f);
  chart = tc_forecast_page_get_chart (page);
  /* The default model draws the 80 % and, inside it, the 50 % range. */
  g_assert_cmpuint (tc_chart_get_n_bands (chart), ==, 2);
  tc_chart_set_style (chart, tc_chart_style_light ());
  tc_chart_set_size (chart, w, hgt);
  /* Zoomed to the horizon, as a user would to read it: steps are far
   * apart, so the band's edges barely slope within a pixel column. */
  tc_chart_set_view (chart, (double) level->forecast_times[0], (double) level->forecast_times[H - 1]);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, hgt);
  cr = cairo_create (surface);
  tc_chart_render (chart, cr, w, hgt);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (g_getenv ("TC_TEST_DUMP"))
    cairo_surface_write_to_png (surface, g_getenv ("TC_TEST_DUMP"));

  for (h = 1; h + 1 < H; h++)
    {
      double med = 0, dlo = 0, dhi = 0, lo, hi;
      int x = (int) round (tc_chart_time_to_x (chart, (double) level->forecast_times[h]));
      int y_lo, y_hi, y, inside = 0, n_inside = 0;

      /* Independent errors: distances add in quadrature. */
      for (guint s = 0; s < N_SERIES; s++)
        {
          const double *q = f->values + ((gsize) s * H + h) * Q;

          med += q[M];
          dlo += (q[M] - q[0]) * (q[M] - q[0]);
          dhi += (q[Q - 1] - q[M]) * (q[Q - 1] - q[M]);
        }
      lo = med - sqrt (dlo);
      hi = med + sqrt (dhi);
      g_assert_cmpfloat_with_epsilon (level->groups[0].forecast[h * Q + 0], lo, 1e-6 * med);
      g_assert_cmpfloat_with_epsilon (level->groups[0].forecast[h * Q + Q - 1], hi, 1e-6 * med);

      y_lo = (int) round (tc_chart_value_to_y (chart, lo));
      y_hi = (int) round (tc_chart_value_to_y (chart, hi));
      g_assert_cmpint (y_lo - y_hi, >=, 10);
      /* A few pixels of slack: between steps the band's edges slope, and a
       * pixel column's centre is up to half a pixel off the step's x. */
      for (y = y_hi + 4; y <= y_lo - 4; y++, n_inside++)
        {
          Px p = pixel (surface, x, y);

          if (!is_bluish (p))
            g_test_message ("h %u x %d y %d (%d..%d): %d %d %d", h, x, y, y_hi, y_lo, p.r, p.g, p.b);
          inside += is_bluish (p);
        }
      /* Band (or the median line on it) all the way between P10 and P90... */
      g_assert_cmpint (inside, ==, n_inside);
      /* ...and none of it a few pixels beyond. */
      for (y = y_hi - 8; y >= y_hi - 14 && y > 0; y--)
        g_assert_false (is_bluish (pixel (surface, x, y)));
      for (y = y_lo + 8; y <= y_lo + 14 && y < hgt; y++)
        g_assert_false (is_bluish (pixel (surface, x, y)));
    }
  cairo_surface_destroy (surface);

  /* Cautious sums: the band of the total gets wider. */
  {
    double before = level->groups[0].forecast[3 * Q + Q - 1];

    gtk_widget_activate_action (GTK_WIDGET (page), "forecast.interval", "s", "together");
    iterate ();
    level = tc_forecast_page_get_level (page);
    g_assert_cmpint (level->interval, ==, TC_EXPLORE_COMONOTONIC);
    g_assert_cmpint (level->kind, ==, TC_EXPLORE_LEVEL_TOTAL);
    g_assert_cmpfloat (level->groups[0].forecast[3 * Q + Q - 1], >, before);
  }
  destroy (window, page, session);
}

/* SVG is XML: a parser must accept it whole and find <svg> at the root. */
static void
svg_start (GMarkupParseContext *ctx, const char *name, const char **an, const char **av,
           gpointer user_data, GError **error)
{
  int *depth_and_root = user_data;

  if (depth_and_root[0]++ == 0 && strcmp (name, "svg") == 0)
    depth_and_root[1] = 1;
}

static void
svg_end (GMarkupParseContext *ctx, const char *name, gpointer user_data, GError **error)
{
  ((int *) user_data)[0]--;
}

static void
test_export (void)
{
  GtkWindow *window;
  TcSession *session;
  TcForecastPage *page = make_page (&window, &session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-forecast-page-XXXXXX", NULL);
  const char *names[] = { "chart.png", "chart.svg", "chart.pdf", "level.csv", "all.csv" };
  char *paths[G_N_ELEMENTS (names)];
  g_autofree char *png = NULL, *svg = NULL, *pdf = NULL, *csv = NULL, *all = NULL;
  gsize len;
  guint i;

  g_assert_nonnull (dir);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    paths[i] = g_build_filename (dir, names[i], NULL);

  tc_forecast_page_set_level (page, 1);
  iterate ();
  /* The table beside the chart: a header and a row per forecast date,
   * with the group's median as the chart's forecast. */
  {
    GtkToggleButton *table = GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_FORECAST_PAGE,
                                                                               "table_toggle"));
    GtkGrid *grid = GTK_GRID (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_FORECAST_PAGE, "table_grid"));
    GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), TC_TYPE_FORECAST_PAGE,
                                                                "view_stack"));
    const TcExploreLevel *lev = tc_forecast_page_get_level (page);
    int g = tc_forecast_page_get_group (page);
    g_autofree char *median = NULL;
    guint rows = 0;

    gtk_toggle_button_set_active (table, TRUE);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "table");
    while (gtk_grid_get_child_at (grid, 0, (int) rows) != NULL)
      rows++;
    g_assert_cmpuint (rows, ==, 1 + H);
    median = tc_explore_format_number (lev->groups[g].forecast[lev->median]);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 1 + (int) lev->median, 1))), ==,
                     median);
    gtk_toggle_button_set_active (table, FALSE);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "chart");
  }
  for (i = 0; i < 3; i++)
    {
      g_assert_true (tc_forecast_page_export_chart (page, paths[i], 800, 400, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (paths[0], &png, &len, NULL));
  g_assert_cmpuint (len, >, 2000);
  g_assert_cmpint (memcmp (png, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  g_assert_true (g_file_get_contents (paths[2], &pdf, &len, NULL));
  g_assert_cmpint (memcmp (pdf, "%PDF-", 5), ==, 0);
  g_assert_cmpuint (len, >, 1000);
  /* The trailer: the file was finished, not cut off. */
  g_assert_nonnull (g_strstr_len (pdf + len - 32, 32, "%%EOF"));
  g_assert_true (g_file_get_contents (paths[1], &svg, &len, NULL));
  {
    GMarkupParser parser = { svg_start, svg_end, NULL, NULL, NULL };
    int state[2] = { 0, 0 };
    GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, state, NULL);

    g_assert_true (g_markup_parse_context_parse (ctx, svg, len, &error));
    g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
    g_assert_no_error (error);
    g_markup_parse_context_free (ctx);
    g_assert_cmpint (state[1], ==, 1);
    g_assert_cmpint (state[0], ==, 0);
  }

  /* A name without a known extension is refused with a message. */
  {
    g_autofree char *bad = g_build_filename (dir, "chart.bmp", NULL);

    g_assert_false (tc_forecast_page_export_chart (page, bad, 800, 400, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* CSV of this level: a header and 3 categories × H rows. */
  g_assert_true (tc_forecast_page_export_csv (page, paths[3], FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (paths[3], &csv, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

    g_assert_cmpstr (lines[0], ==, "series,level,date,p10,p25,p50,p75,p90");
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * H + 1);
    g_assert_true (g_str_has_prefix (lines[1], "drink,category,"));
  }
  /* All levels: series + categories + total. */
  g_assert_true (tc_forecast_page_export_csv (page, paths[4], TRUE, &error));
  g_assert_true (g_file_get_contents (paths[4], &all, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (all, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 1 + (N_SERIES + 3 + 1) * H + 1);
    g_assert_true (g_str_has_prefix (lines[(N_SERIES + 3) * H + 1], "Total,total,"));
  }
  /* History and forecast of this level, one number a row, with the unit. */
  {
    g_autofree char *hpath = g_build_filename (dir, "history.csv", NULL);
    g_autofree char *hcsv = NULL;
    g_auto(GStrv) lines = NULL;
    guint n_hist = 0, n_p50 = 0;

    g_assert_true (tc_forecast_page_export_history_csv (page, hpath, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (hpath, &hcsv, NULL, NULL));
    lines = g_strsplit (hcsv, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "series,level,date,kind,value,unit");
    for (guint r = 1; lines[r] && *lines[r]; r++)
      {
        g_auto(GStrv) cells = g_strsplit (lines[r], ",", -1);

        g_assert_cmpuint (g_strv_length (cells), ==, 6);
        for (guint c = 0; c < 6; c++)
          g_assert_cmpstr (cells[c], !=, "");
        g_assert_cmpstr (cells[5], ==, tc_forecast_page_get_level (page)->target_name);
        n_hist += g_str_equal (cells[3], "history");
        n_p50 += g_str_equal (cells[3], "p50");
      }
    g_assert_cmpuint (n_p50, ==, 3 * H);
    g_assert_cmpuint (n_hist, >, 3 * H);
    g_unlink (hpath);
  }

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_unlink (paths[i]);
      g_free (paths[i]);
    }
  g_rmdir (dir);
  destroy (window, page, session);
}

/* Series that end on different dates: each is forecast after its own
 * end, the page says so, and a series without any value is named and
 * has no rows in the export (no empty cells). */
static void
test_ragged_ends (void)
{
  GtkWindow *window;
  TcSession *session;
  TcForecastPage *page;
  TcDataset *ds;
  const TcExploreLevel *level;
  const TcForecast *f;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL, *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char *note;
  int g;

  train_once ();
  ds = tc_dataset_copy (data);
  /* sku001 ends 4 weeks early: no rows, so no known covariates either. */
  for (guint t = N_TIMES - 4; t < N_TIMES; t++)
    {
      tc_dataset_target_row (ds, 1)[t] = NAN;
      for (guint k = 0; k < ds->n_known; k++)
        tc_dataset_known_row (ds, k, 1)[t] = NAN;
    }
  for (guint t = 0; t < N_TIMES; t++)
    tc_dataset_target_row (ds, 8)[t] = NAN;   /* sku008 has no value at all */
  tc_dataset_update_bounds (ds);
  page = make_page_on (&window, &session, ds);

  f = tc_session_get_forecast (session, NULL);
  g_assert_nonnull (f);
  g_assert_cmpuint (tc_forecast_series_origin (f, 1), ==, N_TIMES - 4);
  g_assert_cmpuint (tc_forecast_series_origin (f, 0), ==, N_TIMES);
  note = tc_forecast_page_get_note (page);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "end on different dates"));
  g_assert_nonnull (strstr (note, "“sku008” has no history"));
  /* The plan covers the dates after the data only: sku001's 4 weeks
   * before that are assumed, and said to be. */
  g_assert_nonnull (strstr (note, "The future plan lacks"));

  /* sku001's chart and summary start after its own end. */
  g_assert_true (tc_forecast_page_select (page, "sku001"));
  level = tc_forecast_page_get_level (page);
  g = tc_forecast_page_get_group (page);
  g_assert_cmpuint (level->horizon, ==, H + 4);
  g_assert_cmpuint (level->groups[g].forecast_start, ==, 0);
  g_assert_cmpuint (level->groups[g].forecast_len, ==, H);
  {
    TcChart *chart = tc_forecast_page_get_chart (page);

    /* The chart ends on sku001's own last forecast date. */
    g_assert_cmpint (tc_chart_get_step_time (chart, tc_chart_get_n_steps (chart) - 1), ==,
                     tc_forecast_series_times (f, 1)[H - 1]);
  }
  g_assert_true (g_str_has_prefix (tc_forecast_page_get_summary (page), "Next 6 weeks: "));
  g_assert_nonnull (strstr (tc_forecast_page_get_detail (page), "end on different dates"));

  /* Every level's CSV: no empty cell, no row for sku008. */
  dir = g_dir_make_tmp ("test-forecast-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "all.csv", NULL);
  g_assert_true (tc_forecast_page_export_csv (page, path, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_null (strstr (csv, "sku008"));
  g_assert_null (strstr (csv, ",,"));
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 8);
      g_assert_cmpuint (strlen (fields[7]), >, 0);
    }
  g_unlink (path);
  g_rmdir (dir);
  destroy (window, page, session);
}

/* The bundled online store has a review column: the panel shows the
 * chosen group's reviews, and the total's count is every review. */
static void
test_customers_say (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", "online-store.csv", NULL);
  g_autoptr(GError) error = NULL;
  TcImportOptions io;
  TcDataset *ds;
  TcForecaster *fc;
  TcForecasterOptions o;
  TcSession *session = tc_session_new ();
  GtkWidget *window = gtk_window_new ();
  TcForecastPage *page = g_object_new (TC_TYPE_FORECAST_PAGE, NULL);
  const TcTextSummary *sum;
  guint64 n_reviews, n_periods, in_groups = 0;
  guint total_level;

  tc_import_options_init (&io);
  ds = tc_import_file (path, &io, NULL, NULL, &error);
  tc_import_options_clear (&io);
  g_assert_no_error (error);
  g_assert_nonnull (ds->text);
  n_reviews = tc_text_count_reviews (ds, &n_periods);

  tc_forecaster_options_init (&o);
  o.horizon = 14;
  o.context = 28;
  o.patch = 7;
  o.preset = TC_PRESET_CUSTOM;
  o.d_model = 16;
  o.n_heads = 2;
  o.n_layers = 1;
  o.d_ff = 32;
  o.max_epochs = 1;
  o.steps_per_epoch = 2;
  o.batch = 8;
  o.threads = 1;
  fc = tc_forecaster_train (ds, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  live_page = page;
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_object_ref (page);
  tc_forecast_page_set_session (page, session);
  tc_session_set_dataset (session, NULL, NULL, ds, NULL);
  tc_session_set_forecaster (session, fc);
  iterate ();

  /* One SKU: its own reviews. */
  g_assert_cmpint (tc_forecast_page_get_level (page)->kind, ==, TC_EXPLORE_LEVEL_SERIES);
  for (guint g = 0; g < tc_forecast_page_get_level (page)->n_groups; g++)
    {
      g_assert_true (tc_forecast_page_select (page, tc_forecast_page_get_level (page)->groups[g].name));
      sum = tc_forecast_page_get_text_summary (page);
      g_assert_nonnull (sum);
      g_assert_cmpuint (sum->recent_start, ==, sum->n_times - 28);
      in_groups += sum->n_recent + sum->n_before;
    }
  /* Every review belongs to one SKU. */
  g_assert_cmpuint (in_groups, ==, n_reviews);

  total_level = tc_forecast_page_get_n_levels (page) - 1;
  tc_forecast_page_set_level (page, total_level);
  iterate ();
  g_assert_cmpint (tc_forecast_page_get_level (page)->kind, ==, TC_EXPLORE_LEVEL_TOTAL);
  sum = tc_forecast_page_get_text_summary (page);
  g_assert_nonnull (sum);
  g_assert_cmpuint (sum->n_recent + sum->n_before, ==, n_reviews);
  /* The words are shown as words, with their shares. */
  if (sum->n_rising > 0)
    g_assert_true (strstr (tc_forecast_page_get_text_terms (page, TRUE), sum->rising[0].term) != NULL);
  if (sum->n_falling > 0)
    g_assert_true (strstr (tc_forecast_page_get_text_terms (page, FALSE), sum->falling[0].term) != NULL);
  g_assert_cmpuint (sum->n_rising + sum->n_falling, >, 0);

  /* This model does not read the reviews: no signal, and the note says why. */
  g_assert_null (tc_forecast_page_get_text_signal (page));
  g_assert_nonnull (strstr (tc_forecast_page_get_text_signal_note (page), "does not read the reviews"));

  /* One that does: the page measures the signal in a worker, and shows
   * what the core computes from the same model and data. */
  {
    TcForecaster *text_fc;
    g_autoptr(TcForecaster) copy = NULL;
    g_autoptr(TcTextSignal) want = NULL;
    const TcTextSignal *got;
    const TcExploreGroup *grp;

    o.text_dim = 4;
    text_fc = tc_forecaster_train (tc_session_get_dataset (session), &o, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    copy = tc_forecaster_dup (text_fc);
    tc_session_set_forecaster (session, text_fc);
    iterate ();
    tc_forecast_page_set_level (page, 0);
    iterate ();
    grp = &tc_forecast_page_get_level (page)->groups[1];
    g_assert_true (tc_forecast_page_select (page, grp->name));
    g_assert_null (tc_forecast_page_get_text_signal (page));   /* measuring */
    iterate ();
    got = tc_forecast_page_get_text_signal (page);
    g_assert_nonnull (got);
    want = tc_text_signal_new (copy, tc_session_get_dataset (session), grp->members, grp->n_members,
                               tc_forecast_page_get_level (page)->n_history, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (got->first, ==, want->first);
    g_assert_cmpuint (got->n_periods, ==, want->n_periods);
    g_assert_cmpmem (got->reviews, sizeof (guint) * got->n_periods, want->reviews, sizeof (guint) * want->n_periods);
    for (guint i = 0; i < got->n_periods; i++)
      g_assert_true (got->effect[i] == want->effect[i] || (isnan (got->effect[i]) && isnan (want->effect[i])));
    g_test_message ("note: %s", tc_forecast_page_get_text_signal_note (page));
    g_assert_nonnull (strstr (tc_forecast_page_get_text_signal_note (page), "move the forecast of the next 2 weeks by "));

    /* Back to a group already measured: from the cache, at once. */
    g_assert_true (tc_forecast_page_select (page, tc_forecast_page_get_level (page)->groups[0].name));
    iterate ();
    g_assert_true (tc_forecast_page_get_text_signal (page) != got);
    g_assert_true (tc_forecast_page_select (page, grp->name));
    g_assert_false (tc_forecast_page_get_busy (page));
    g_assert_true (tc_forecast_page_get_text_signal (page) == got);
  }

  destroy (GTK_WINDOW (window), page, session);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the suite under xvfb-run");
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/app/forecast-page/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();
  g_test_add_func ("/app/forecast-page/empty", test_empty);
  g_test_add_func ("/app/forecast-page/levels-and-filter", test_levels_and_filter);
  g_test_add_func ("/app/forecast-page/total-band-pixels", test_total_band_pixels);
  g_test_add_func ("/app/forecast-page/export", test_export);
  g_test_add_func ("/app/forecast-page/ragged-ends", test_ragged_ends);
  g_test_add_func ("/app/forecast-page/customers-say", test_customers_say);
  ret = g_test_run ();
  g_clear_pointer (&trained, tc_forecaster_free);
  g_clear_pointer (&data, tc_dataset_free);
  return ret;
}
