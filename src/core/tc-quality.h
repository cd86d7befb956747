/* tc-quality.h — data-quality report and hierarchy aggregation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "tc-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;            /* borrowed from the dataset */
  guint       length;        /* end - start: the series' life on the grid */
  guint       n_observed;    /* non-missing target values in that life */
  gint64      first_time;    /* first and last date with a value; 0 when empty */
  gint64      last_time;
  double      missing_pct;   /* missing values inside the life, % of length */
  double      zeros_pct;     /* % of the observed values */
  guint       n_negative;
  guint       n_outliers;    /* robust z-score |0.6745 (x - median) / MAD| > 3.5; none when MAD = 0 */
  gboolean    constant;      /* one distinct observed value */
  gboolean    is_short;      /* fewer than two seasons of observations */
  gboolean    empty;         /* no value at all */
} TcSeriesQuality;

typedef struct
{
  guint            n_series;
  guint            n_times;
  TcSeriesQuality *series;   /* (n_series) */
  guint            n_with_missing;
  guint            n_with_negatives;
  guint            n_with_outliers;
  guint            n_constant;
  guint            n_short;
  guint            n_empty;
  guint            min_length;
  guint            max_length;
  double           missing_pct;  /* over all lives */
  double           zeros_pct;
} TcQualityReport;

TcQualityReport *tc_quality_report_new     (const TcDataset       *ds);
void             tc_quality_report_free    (TcQualityReport       *q);
JsonNode        *tc_quality_report_to_json (const TcQualityReport *q,
                                            const TcDataset       *ds);
/* The same JSON as text, written to @out as it is made, indented as
 * json-glib's pretty generator does when the object sits at depth
 * @depth: a tree of JSON nodes took 6 GB for a million series.  FALSE
 * when writing failed (see errno). */
gboolean         tc_quality_report_write_json (const TcQualityReport *q,
                                               const TcDataset       *ds,
                                               guint                  depth,
                                               FILE                  *out);

/* Aggregates for the hierarchy.  @level NULL or "total": one series
 * "total"; else the name of a static attribute: one series per value.
 * The target and observed covariates are summed over the members
 * present at each time (NaN only when every member is missing); known
 * covariates are averaged over the members present, so a promotion
 * flag becomes the share of members on promotion, and a price is
 * weighted by the members' target where it is known (else a plain
 * mean).  The result keeps only @level as static attribute and no text. */
TcDataset       *tc_dataset_aggregate      (const TcDataset       *ds,
                                            const char            *level,
                                            GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcQualityReport, tc_quality_report_free)

G_END_DECLS
