/*
 * -S/--sshlogin, --sshloginfile and --ssh: where jobs run, and what the
 * run cannot combine with that (checked once all is parsed).
 */
#ifndef PMAPF_SSHARGS_H
#define PMAPF_SSHARGS_H

#include <stdbool.h>

#include "pmapf.h"
#include "values.h"

/* One of the options (getopt's c and optarg). */
void ssh_args_option(struct parse *p, struct pmapf_opts *o, int c,
                     const char *arg);
/* Once every option is in: slots per login (-j, as GNU parallel: per
 * host; without -j each host is asked its CPUs when the run starts)
 * and their sum as -j (an estimate then); what -S does not serve yet is
 * refused.  0, or -1 with the usage error kept in p. */
int ssh_args_check(struct parse *p, struct pmapf_opts *o, bool jobs_given);
/* What -j's N% and +N are relative to: with --slurm inside an
 * allocation its tasks, else cpus. */
unsigned ssh_args_cpus(const struct pmapf_opts *o, unsigned cpus);

#endif
