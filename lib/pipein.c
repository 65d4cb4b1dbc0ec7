/* What jobs are given on their stdin (see pipein.h). */
#include "config.h"

#include "pipein.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "scratch.h"

int
pipein_open(struct pipein *in, const struct pmapf_opts *o,
            struct spool_file *spill)
{
	memset(in, 0, sizeof *in);
	in->kind = o->pipe_tee     ? PIPEIN_TEE
	           : o->pipe_shard ? PIPEIN_SHARD
	           : o->pipe_part  ? PIPEIN_FILES
	                           : PIPEIN_STREAM;
	in->fifos.notify_fd = -1;
	if ((o->pipe_cat || o->pipe_fifo) &&
	    scratch_make(spill->dir, &in->scratch) == -1) {
		msg_warn_errno("%s: cannot make a directory in %s",
		               o->pipe_cat ? "--cat" : "--fifo", spill->dir);
		return -1;
	}
	if (o->pipe_fifo) {
		if (fifos_init(&in->fifos, in->scratch) == -1)
			return -1;
		in->fifo = true;
	}
	switch (in->kind) {
	case PIPEIN_TEE:
		return tee_init(&in->tee, o->tee_jobs, spill);
	case PIPEIN_SHARD:
		return shard_init(&in->shard, o, spill);
	case PIPEIN_FILES:
		if (parts_open(&in->parts, o, spill) == -1)
			return -1;
		in->parts.fifos = in->fifo ? &in->fifos : NULL;
		in->parts.to_dir = o->pipe_cat ? in->scratch : NULL;
		return 0;
	case PIPEIN_STREAM:
		break;
	}
	if (blocks_init(&in->blocks, o, spill) == -1)
		return -1;
	in->blocks.fifos = in->fifo ? &in->fifos : NULL;
	in->blocks.to_dir = in->scratch;
	return 0;
}

const char *
pipein_scratch(const struct pipein *in)
{
	return in->scratch;
}

void
pipein_close(struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		tee_free(&in->tee);
		break;
	case PIPEIN_SHARD:
		shard_free(&in->shard);
		break;
	case PIPEIN_FILES:
		parts_close(&in->parts);
		break;
	case PIPEIN_STREAM:
		blocks_free(&in->blocks);
		break;
	}
	if (in->fifo)
		fifos_free(&in->fifos);
	/* (The jobs' files went with their jobs.) */
	scratch_remove(in->scratch);
	free(in->scratch);
	in->scratch = NULL;
}

struct job *
pipein_next_job(struct pipein *in, struct job_cache *cache, uint64_t seq,
                bool *failed)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return NULL; /* (the ::: values make the jobs) */
	case PIPEIN_SHARD:
		return shard_next_job(&in->shard, cache, seq, failed);
	case PIPEIN_FILES:
		return parts_next_job(&in->parts, cache, seq, failed);
	case PIPEIN_STREAM:
		break;
	}
	return blocks_next_job(&in->blocks, cache, seq, failed);
}

int
pipein_send(struct pipein *in, struct job *j)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return tee_send(&in->tee, j);
	case PIPEIN_SHARD:
		return shard_send(&in->shard, j);
	case PIPEIN_FILES:
		return parts_send(&in->parts, j);
	case PIPEIN_STREAM:
		break;
	}
	return blocks_send(&in->blocks, j);
}

void
pipein_forget(struct pipein *in, struct job *j)
{
	if (in->fifo)
		fifos_forget(&in->fifos, j);
	switch (in->kind) {
	case PIPEIN_TEE:
		tee_forget(&in->tee, j);
		break;
	case PIPEIN_SHARD:
		shard_forget(&in->shard, j);
		break;
	case PIPEIN_FILES:
		parts_forget(&in->parts, j);
		break;
	case PIPEIN_STREAM:
		blocks_forget(&in->blocks, j);
		break;
	}
}

int
pipein_short(struct pipein *in, struct job *j, size_t running, int err)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		msg_warn("--tee: cannot start more than %zu jobs at once (%s), "
		         "and each of the %zu values needs its own: lower -j "
		         "or raise the limit",
		         running, strerror(err), in->tee.cap);
		return -1;
	case PIPEIN_SHARD:
		return shard_fewer(&in->shard, j) ? 1 : 0;
	case PIPEIN_STREAM:
		return blocks_short(&in->blocks) == -1 ? -1 : 0;
	case PIPEIN_FILES:
		break;
	}
	return 0;
}

int
pipein_retry(struct pipein *in, struct job *j)
{
	if (in->kind == PIPEIN_FILES)
		return parts_retry(&in->parts, j);
	return in->kind == PIPEIN_STREAM ? blocks_retry(&in->blocks, j) : 0;
}

int
pipein_fifo_fd(const struct pipein *in)
{
	return in->fifo ? fifos_fd(&in->fifos) : -1;
}

int
pipein_fifo_read(struct pipein *in)
{
	return fifos_read(&in->fifos);
}

int
pipein_fd(const struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return tee_fd(&in->tee);
	case PIPEIN_SHARD:
		return shard_fd(&in->shard);
	case PIPEIN_FILES:
		return -1; /* read only into jobs' stdin */
	case PIPEIN_STREAM:
		break;
	}
	return blocks_fd(&in->blocks);
}

int
pipein_read(struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return tee_read(&in->tee);
	case PIPEIN_SHARD:
		return shard_read(&in->shard);
	case PIPEIN_FILES:
		return 0;
	case PIPEIN_STREAM:
		break;
	}
	return blocks_read(&in->blocks);
}

bool
pipein_input_ended(const struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return tee_ended(&in->tee);
	case PIPEIN_SHARD:
		return shard_ended(&in->shard);
	case PIPEIN_FILES:
		return parts_done(&in->parts);
	case PIPEIN_STREAM:
		break;
	}
	return blocks_input_ended(&in->blocks);
}

bool
pipein_done(const struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return true; /* (no block makes a job) */
	case PIPEIN_SHARD:
		return shard_all_made(&in->shard);
	case PIPEIN_FILES:
		return parts_done(&in->parts);
	case PIPEIN_STREAM:
		break;
	}
	return blocks_done(&in->blocks);
}

bool
pipein_total(const struct pipein *in, uint64_t *n)
{
	return in->kind == PIPEIN_FILES && parts_total(&in->parts, n);
}

uint64_t
pipein_made(const struct pipein *in)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		return 0;
	case PIPEIN_SHARD:
		return in->shard.made;
	case PIPEIN_FILES:
		return in->parts.blocks_made;
	case PIPEIN_STREAM:
		break;
	}
	return in->blocks.blocks_made;
}

void
pipein_bytes(const struct pipein *in, uint64_t *taken, uint64_t *total)
{
	switch (in->kind) {
	case PIPEIN_TEE:
		*taken = in->tee.bytes_read;
		*total = in->tee.bytes_total;
		return;
	case PIPEIN_SHARD:
		*taken = in->shard.bytes_read;
		*total = in->shard.bytes_total;
		return;
	case PIPEIN_FILES:
		*taken = in->parts.bytes_sent;
		*total = in->parts.bytes_total;
		return;
	case PIPEIN_STREAM:
		break;
	}
	*taken = in->blocks.bytes_read;
	*total = in->blocks.bytes_total;
}

void
pipein_turn(struct pipein *in, bool slot_free, bool stopping, double now)
{
	if (in->kind == PIPEIN_STREAM)
		blocks_turn(&in->blocks, slot_free, stopping, now);
	else if (in->kind == PIPEIN_TEE && stopping)
		tee_stop(&in->tee);
	else if (in->kind == PIPEIN_SHARD && stopping)
		shard_stop(&in->shard);
}

int
pipein_tick(struct pipein *in)
{
	return in->kind == PIPEIN_STREAM ? blocks_tick(&in->blocks) : 0;
}

bool
pipein_cutting(const struct pipein *in)
{
	return in->kind == PIPEIN_STREAM && in->blocks.cutting;
}

double
pipein_deadline(const struct pipein *in)
{
	return in->kind == PIPEIN_STREAM ? blocks_deadline(&in->blocks) : 0;
}
