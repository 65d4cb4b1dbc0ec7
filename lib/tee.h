/*
 * --tee: all of stdin to every job.  The jobs come from the ::: values
 * and all run at once; stdin is read only once every one has started
 * (none would have what came before it), and each read goes to each
 * job's stdin, what a full job cannot take yet kept in its spool.  The
 * slowest job sets the pace: reading pauses while one has a read's worth
 * waiting.  A job that stops reading drops out; the others go on.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_TEE_H
#define PMAPF_TEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job.h"
#include "spool.h"

struct tee {
	struct spool_file *spill;
	int fd;              /* stdin; -1 once it ended */
	struct job **v;      /* the jobs being given it (room for cap) */
	size_t n, cap, want; /* ... and how many are still to start */
	uint64_t bytes_read, bytes_total;
	char *buf, *chunk; /* IO_CHUNK bytes each */
};

/* For `jobs` jobs. */
int tee_init(struct tee *t, size_t jobs, struct spool_file *spill);
void tee_free(struct tee *t);
/* stdin if it is worth reading now, else -1; one read of it. */
int tee_fd(const struct tee *t);
int tee_read(struct tee *t);
/* j's stdin can take more, or j just started (it joins). */
int tee_send(struct tee *t, struct job *j);
/* j is finished or dropped (or could not start: one fewer to wait for). */
void tee_forget(struct tee *t, struct job *j);
/* The run starts no more jobs: input ends for those running. */
void tee_stop(struct tee *t);
bool tee_ended(const struct tee *t);

#endif
