/*
 * How many CPUs the machine has, counted as GNU parallel counts them:
 * hardware threads (the default for -j), physical cores, or sockets.
 * The parsing and counting are pure; cpus_topology reads sysfs.
 */
#ifndef PMAPF_CPUS_H
#define PMAPF_CPUS_H

#include <stddef.h>

enum cpus_kind { CPUS_THREADS, CPUS_CORES, CPUS_SOCKETS };

struct cpus_topo {
	unsigned threads, cores, sockets;
};

/* One online CPU: its package (socket) and core within it. */
struct cpus_place {
	long package, core;
};

/* A kernel CPU list ("0-3,8,10-11\n"): each id in turn to fn (stopping
 * if it returns -1).  0, or -1 if the list is malformed. */
int cpus_parse_list(const char *s, int (*fn)(void *ctx, unsigned id),
                    void *ctx);
/* Threads, distinct cores and distinct sockets of n online CPUs. */
void cpus_tally(const struct cpus_place *v, size_t n, struct cpus_topo *t);
/* This machine's online CPUs that pmapf may run on (its affinity, as
 * taskset sets it).  Where sysfs says nothing (not Linux, or a container
 * without it): those CPUs, each a core, one socket. */
void cpus_topology(struct cpus_topo *t);
/* One of the three, at least 1. */
unsigned cpus_count(enum cpus_kind kind);

#endif
