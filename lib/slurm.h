/*
 * Jobs as steps of a Slurm allocation (--slurm).  Inside an allocation
 * (salloc, sbatch: SLURM_JOB_ID set) each job runs as
 *
 *   srun [--srun's options] --exclusive -N1 -n1 -Q [--cpus-per-task=N] \
 *        -w NODE -- COMMAND...
 *
 * with the job's own pipes, so its output, status and signals are the
 * local ones: a SIGTERM to srun cancels the step (Slurm ends its tasks,
 * SIGKILL after KillWait), so Ctrl-C, --timeout and --halt reach it.
 * Each job slot is pinned to a node (slots are handed to the nodes in
 * turn, as -S hands them to hosts), so the joblog's Host and --plus's
 * {host} name the node a job ran on.
 *
 * The allocation is read from what salloc and sbatch export:
 * SLURM_JOB_NODELIST (a hostlist: "cn[01-03,7],gpu1"), SLURM_NTASKS with
 * SLURM_TASKS_PER_NODE, or, without a task count, SLURM_JOB_CPUS_PER_NODE
 * ("4(x2),2") divided by the CPUs per task, as srun itself derives it.
 * Reading it is pure (the environment comes through a function), for the
 * unit tests.
 */
#ifndef PMAPF_SLURM_H
#define PMAPF_SLURM_H

#include <stdbool.h>
#include <stddef.h>

#include "progress.h"
#include "sshlogin.h"

struct slurm_alloc {
	char **nodes;   /* the allocation's nodes, in its order */
	unsigned *task; /* per node: tasks (job slots) it holds */
	size_t n;
	unsigned total; /* their sum: -j's default */
};

/*
 * Read the allocation through get (getenv, or a test's table);
 * cpus_per_task: --cpus-per-task (0: $SLURM_CPUS_PER_TASK, else 1).  0,
 * or -1 with why in err (not inside an allocation, a malformed variable),
 * or -1 with err "" and errno ENOMEM (on failure nothing is left to
 * free).
 */
int slurm_alloc_read(struct slurm_alloc *a,
                     const char *(*get)(const char *name),
                     unsigned cpus_per_task, char *err, size_t errlen);
void slurm_alloc_free(struct slurm_alloc *a);
/* The allocation's task count, read from this process's environment as
 * slurm_alloc_read reads it: 0, or -1 as there. */
int slurm_tasks_here(unsigned cpus_per_task, unsigned *tasks, char *err,
                     size_t errlen);

/* Expand a Slurm hostlist ("a[1-3,05],b") into names (NULL-ended,
 * malloc'd, *n of them).  0, or -1 with errno EINVAL (malformed; also
 * more than a million names) or ENOMEM. */
int slurm_hostlist(const char *list, char ***names, size_t *n);
/* A per-node count list ("4(x2),2") into out[0..n-1]: 0, or -1 (errno
 * EINVAL: malformed, or not exactly n counts). */
int slurm_counts(const char *spec, unsigned *out, size_t n);
/* Slots 1..slots laid over a's nodes: each node takes one in turn while
 * it has tasks left, then again in turn (more slots than tasks: steps
 * wait for CPUs).  node_of[k] is slot k's node; malloc'd, or NULL. */
unsigned *slurm_lay(const struct slurm_alloc *a, unsigned slots);

struct slurm {
	struct slurm_alloc alloc;
	struct sshlogins nodes; /* the nodes as logins: {host}, the joblog */
	unsigned *node_of;      /* slot -> node */
	unsigned nslots;
	char **words; /* --srun as words */
	size_t nwords;
	char *path;  /* srun, found once */
	char **argv; /* a job's srun command (scratch) */
	size_t argv_room;
	char cpus[48]; /* --cpus-per-task=N, or "" */
	struct progress_host *view;
};

/* Read the allocation (from the environment) and lay out slots job
 * slots (0: the allocation's task count).  srun_cmd: --srun, or NULL for
 * "srun".  0, or -1 (said). */
int slurm_open(struct slurm *s, const char *srun_cmd, unsigned cpus_per_task,
               unsigned slots);
/* Safe on a zeroed struct. */
void slurm_close(struct slurm *s);
/* The node slot k runs its jobs on (1..nslots). */
const struct sshlogin *slurm_node(const struct slurm *s, unsigned k);
/* The srun command that runs cmd (NULL-ended) as a step in slot k's node
 * (valid until the next call), or NULL (ENOMEM). */
char *const *slurm_argv(struct slurm *s, unsigned k, char *const *cmd);

#endif
