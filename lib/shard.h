/*
 * --shard and --bin: each line of stdin to one of -j long-lived jobs,
 * chosen by the value in one of its columns (split by --colsep, a tab
 * by default), so all lines of a value go to the same job: --shard
 * hashes the value, --bin takes it as the job's number (modulo -j, 0
 * being the last).  All jobs start first; stdin is read once they have,
 * at the pace of the slowest.  --header lines (or the line naming the
 * columns, for a column given by name) go to every job.
 *
 * Error convention: 0, or -1 with the message said.
 */
#ifndef PMAPF_SHARD_H
#define PMAPF_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "colkey.h"
#include "job.h"
#include "pmapf.h"
#include "spool.h"

struct shard {
	struct spool_file *spill;
	bool by_number; /* --bin */
	struct colkey key;
	char delim;
	int fd;
	struct job **v; /* job k takes the values of slot k + 1 */
	size_t n, made, want;
	unsigned header_lines; /* still to read */
	struct buf header, stage, *out;
	uint64_t bytes_read, bytes_total;
	char *chunk; /* IO_CHUNK bytes */
};

int shard_init(struct shard *s, const struct pmapf_opts *o,
               struct spool_file *spill);
void shard_free(struct shard *s);
/* One of the -j jobs, numbered seq, until all are made. */
struct job *shard_next_job(struct shard *s, struct job_cache *cache,
                           uint64_t seq, bool *failed);
bool shard_all_made(const struct shard *s);
/* j could not start while the jobs before it run: go on with those
 * (nothing was read yet, so every value goes to one of them).  False if
 * it is too late for that. */
bool shard_fewer(struct shard *s, const struct job *j);
int shard_fd(const struct shard *s);
int shard_read(struct shard *s);
int shard_send(struct shard *s, struct job *j);
void shard_forget(struct shard *s, struct job *j);
void shard_stop(struct shard *s);
bool shard_ended(const struct shard *s);

#endif
