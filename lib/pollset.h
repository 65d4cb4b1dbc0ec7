/*
 * The loop's poll() set, rebuilt each turn: descriptors, and beside each
 * who it belongs to (a kind and an index the owner understands).
 * Error convention: 0, or -1 with errno set.
 */
#ifndef PMAPF_POLLSET_H
#define PMAPF_POLLSET_H

#include <poll.h>
#include <stddef.h>

struct pollset {
	struct pollfd *fds;
	int *kind;
	size_t *idx;
	size_t n, cap;
};

void pollset_clear(struct pollset *ps);
void pollset_free(struct pollset *ps);
/* Room for extra more entries. */
int pollset_reserve(struct pollset *ps, size_t extra);
int pollset_add(struct pollset *ps, int fd, short events, int kind, size_t idx);

#endif
