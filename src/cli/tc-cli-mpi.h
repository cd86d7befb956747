/* tc-cli-mpi.h — trendcast-cli train under mpirun: data-parallel training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The only place that knows MPI.  When trendcast-cli is started by an MPI
 * launcher (mpirun, or srun under Slurm), tc_cli_mpi_begin joins the job
 * and installs the gradient sums of tc-parallel.h; started alone it does
 * nothing.  A build without MPI (-Dmpi=disabled) refuses to run as more
 * than one process rather than have every process train alone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean tc_cli_mpi_begin (GError **error);
/* 0 outside an MPI job. */
guint    tc_cli_mpi_rank  (void);
guint    tc_cli_mpi_size  (void);
/* Leaves the MPI job (MPI_Finalize) if tc_cli_mpi_begin joined one. */
void     tc_cli_mpi_end   (void);

G_END_DECLS
