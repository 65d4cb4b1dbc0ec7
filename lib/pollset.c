#include "config.h"

#include "pollset.h"

#include <stdlib.h>

void
pollset_clear(struct pollset *ps)
{
	ps->n = 0;
}

void
pollset_free(struct pollset *ps)
{
	free(ps->fds);
	free(ps->kind);
	free(ps->idx);
	ps->fds = NULL;
	ps->kind = NULL;
	ps->idx = NULL;
	ps->n = ps->cap = 0;
}

int
pollset_reserve(struct pollset *ps, size_t extra)
{
	size_t cap = ps->cap ? ps->cap : 16;
	void *p;

	while (cap < ps->n + extra)
		cap *= 2;
	if (cap == ps->cap)
		return 0;
	if ((p = realloc(ps->fds, cap * sizeof *ps->fds)) == NULL)
		return -1;
	ps->fds = p;
	if ((p = realloc(ps->kind, cap * sizeof *ps->kind)) == NULL)
		return -1;
	ps->kind = p;
	if ((p = realloc(ps->idx, cap * sizeof *ps->idx)) == NULL)
		return -1;
	ps->idx = p;
	ps->cap = cap;
	return 0;
}

int
pollset_add(struct pollset *ps, int fd, short events, int kind, size_t idx)
{
	if (pollset_reserve(ps, 1) == -1)
		return -1;
	ps->fds[ps->n].fd = fd;
	ps->fds[ps->n].events = events;
	ps->fds[ps->n].revents = 0;
	ps->kind[ps->n] = kind;
	ps->idx[ps->n] = idx;
	ps->n++;
	return 0;
}
