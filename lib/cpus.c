#include "config.h"

#include "cpus.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

int
cpus_parse_list(const char *s, int (*fn)(void *ctx, unsigned id), void *ctx)
{
	unsigned long lo, hi, id;
	char *end;

	while (*s != '\0' && *s != '\n') {
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		lo = hi = strtoul(s, &end, 10);
		if (*end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return -1;
			hi = strtoul(s, &end, 10);
		}
		if (errno != 0 || hi < lo || hi > 1u << 20)
			return -1;
		for (id = lo; id <= hi; id++)
			if (fn(ctx, (unsigned)id) == -1)
				return 0;
		s = end;
		if (*s == ',')
			s++;
		else if (*s != '\0' && *s != '\n')
			return -1;
	}
	return 0;
}

void
cpus_tally(const struct cpus_place *v, size_t n, struct cpus_topo *t)
{
	size_t i, k;

	t->threads = (unsigned)n;
	t->cores = t->sockets = 0;
	/* Few CPUs, counted once: the quadratic walk is the simple one. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < i && v[k].package != v[i].package; k++)
			;
		t->sockets += k == i;
		for (k = 0; k < i && (v[k].package != v[i].package ||
		                      v[k].core != v[i].core);
		     k++)
			;
		t->cores += k == i;
	}
}

/* A small sysfs file's text, NUL-terminated: 0, or -1. */
static int
read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd == -1)
		return -1;
	got = io_read(fd, buf, size - 1);
	(void)close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	return 0;
}

static long
topology_value(unsigned id, const char *what)
{
	char path[96], text[32], *end;
	long v;

	snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%u/topology/%s",
	         id, what);
	if (read_small(path, text, sizeof text) == -1)
		return -2;
	v = strtol(text, &end, 10);
	return end == text ? -2 : v;
}

struct places {
	struct cpus_place *v;
	size_t n, cap;
	int failed;
#ifdef __linux__
	cpu_set_t allowed; /* the CPUs pmapf may run on (taskset) */
	bool have_allowed;
#endif
};

static int
add_place(void *ctx, unsigned id)
{
	struct places *p = ctx;
	struct cpus_place *grown;

#ifdef __linux__
	/* As nproc and GNU parallel: only the CPUs this process may use. */
	if (p->have_allowed && id < CPU_SETSIZE && !CPU_ISSET(id, &p->allowed))
		return 0;
#endif
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		if ((grown = realloc(p->v, p->cap * sizeof *grown)) == NULL) {
			p->failed = 1;
			return -1;
		}
		p->v = grown;
	}
	p->v[p->n].package = topology_value(id, "physical_package_id");
	p->v[p->n].core = topology_value(id, "core_id");
	if (p->v[p->n].package == -2 || p->v[p->n].core == -2)
		p->failed = 1;
	p->n++;
	return p->failed ? -1 : 0;
}

void
cpus_topology(struct cpus_topo *t)
{
	struct places p;
	char list[4096];
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&p, 0, sizeof p);
#ifdef __linux__
	p.have_allowed =
	    sched_getaffinity(0, sizeof p.allowed, &p.allowed) == 0;
	if (p.have_allowed && CPU_COUNT(&p.allowed) > 0)
		online = CPU_COUNT(&p.allowed);
#endif
	if (read_small("/sys/devices/system/cpu/online", list, sizeof list) ==
	        0 &&
	    cpus_parse_list(list, add_place, &p) == 0 && !p.failed && p.n > 0) {
		cpus_tally(p.v, p.n, t);
	} else {
		t->threads = t->cores = online > 0 ? (unsigned)online : 1;
		t->sockets = 1;
	}
	free(p.v);
}

unsigned
cpus_count(enum cpus_kind kind)
{
	struct cpus_topo t;
	unsigned n;

	cpus_topology(&t);
	n = kind == CPUS_CORES     ? t.cores
	    : kind == CPUS_SOCKETS ? t.sockets
	                           : t.threads;
	return n > 0 ? n : 1;
}
