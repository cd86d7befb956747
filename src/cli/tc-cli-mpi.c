/* tc-cli-mpi.c — trendcast-cli train under mpirun: data-parallel training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "trendcast-cli"

#include "config.h"

#include "tc-cli-mpi.h"

#include <stdlib.h>

#ifdef TC_HAVE_MPI
#include <mpi.h>
#endif

#include "tc-error.h"
#include "tc-parallel.h"

static guint    rank, size = 1;
static gboolean joined;

/* The number of processes an MPI launcher started, from the variables
 * Open MPI's mpirun, PMI-2 and PMIx (Slurm's srun) set; 0 when not
 * launched by one. */
static guint
launched_size (void)
{
  static const char *vars[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i]);

      /* SLURM_NTASKS alone (a batch script's own shell) is no launch. */
      if (i == 3 && g_getenv ("PMI_RANK") == NULL && g_getenv ("PMIX_RANK") == NULL)
        continue;
      if (v != NULL && atoi (v) > 0)
        return (guint) atoi (v);
    }
  return 0;
}

#ifdef TC_HAVE_MPI
static void
sum_floats (float *buf, gsize n, gpointer user_data)
{
  /* MPI counts are ints: sum in chunks. */
  for (gsize i = 0; i < n; i += G_MAXINT / 2)
    MPI_Allreduce (MPI_IN_PLACE, buf + i, (int) MIN (n - i, (gsize) G_MAXINT / 2), MPI_FLOAT,
                   MPI_SUM, MPI_COMM_WORLD);
}

static void
sum_doubles (double *buf, gsize n, gpointer user_data)
{
  MPI_Allreduce (MPI_IN_PLACE, buf, (int) n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  /* Early stopping must decide alike everywhere: rank 0's sums are the
   * ones every rank uses, whatever order the reduction added in. */
  MPI_Bcast (buf, (int) n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
}
#endif

gboolean
tc_cli_mpi_begin (GError **error)
{
  guint n = launched_size ();

  if (n <= 1)
    return TRUE;
#ifdef TC_HAVE_MPI
  {
    int r, s;
    TcParallel par = { 0 };

    if (MPI_Init (NULL, NULL) != MPI_SUCCESS)
      {
        g_set_error (error, TC_ERROR, TC_ERROR_FAILED,
                     "Started as %u processes, but MPI_Init failed", n);
        return FALSE;
      }
    joined = TRUE;
    MPI_Comm_rank (MPI_COMM_WORLD, &r);
    MPI_Comm_size (MPI_COMM_WORLD, &s);
    rank = (guint) r;
    size = (guint) s;
    par.rank = rank;
    par.n_ranks = size;
    par.sum_floats = sum_floats;
    par.sum_doubles = sum_doubles;
    tc_parallel_install (&par);
    return TRUE;
  }
#else
  g_set_error (error, TC_ERROR, TC_ERROR_INVALID_ARG,
               "Started as %u processes (mpirun), but this trendcast-cli was built without MPI "
               "(meson -Dmpi=enabled): every process would train alone", n);
  return FALSE;
#endif
}

guint
tc_cli_mpi_rank (void)
{
  return rank;
}

guint
tc_cli_mpi_size (void)
{
  return size;
}

void
tc_cli_mpi_end (void)
{
  if (!joined)
    return;
  tc_parallel_install (NULL);
#ifdef TC_HAVE_MPI
  MPI_Finalize ();
#endif
  joined = FALSE;
  rank = 0;
  size = 1;
}
