/* The blocks jobs are given on their stdin (see pipein.h). */
#include "config.h"

#include "pipein.h"

#include <string.h>

int
pipein_open(struct pipein *in, const struct pmapf_opts *o,
            struct spool_file *spill)
{
	memset(in, 0, sizeof *in);
	in->by_offset = o->pipe_part;
	in->fifos.notify_fd = -1;
	if (o->pipe_fifo) {
		if (fifos_init(&in->fifos, spill->dir) == -1)
			return -1;
		in->fifo = true;
	}
	if (in->by_offset) {
		if (parts_open(&in->parts, o, spill->dir) == -1)
			return -1;
		in->parts.fifos = in->fifo ? &in->fifos : NULL;
		return 0;
	}
	if (blocks_init(&in->blocks, o, spill) == -1)
		return -1;
	in->blocks.fifos = in->fifo ? &in->fifos : NULL;
	return 0;
}

void
pipein_close(struct pipein *in)
{
	if (in->by_offset)
		parts_close(&in->parts);
	else
		blocks_free(&in->blocks);
	if (in->fifo)
		fifos_free(&in->fifos);
}

struct job *
pipein_next_job(struct pipein *in, struct job_cache *cache, uint64_t seq,
                bool *failed)
{
	return in->by_offset ? parts_next_job(&in->parts, cache, seq, failed)
	                     : blocks_next_job(&in->blocks, cache, seq, failed);
}

int
pipein_send(struct pipein *in, struct job *j)
{
	return in->by_offset ? parts_send(&in->parts, j)
	                     : blocks_send(&in->blocks, j);
}

void
pipein_forget(struct pipein *in, struct job *j)
{
	if (in->fifo)
		fifos_forget(&in->fifos, j);
	if (in->by_offset)
		parts_forget(j);
	else
		blocks_forget(&in->blocks, j);
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
	return in->by_offset ? -1 : blocks_fd(&in->blocks);
}

int
pipein_read(struct pipein *in)
{
	return in->by_offset ? 0 : blocks_read(&in->blocks);
}

bool
pipein_input_ended(const struct pipein *in)
{
	return in->by_offset ? parts_done(&in->parts)
	                     : blocks_input_ended(&in->blocks);
}

bool
pipein_done(const struct pipein *in)
{
	return in->by_offset ? parts_done(&in->parts)
	                     : blocks_done(&in->blocks);
}

uint64_t
pipein_made(const struct pipein *in)
{
	return in->by_offset ? in->parts.blocks_made : in->blocks.blocks_made;
}

void
pipein_bytes(const struct pipein *in, uint64_t *taken, uint64_t *total)
{
	*taken = in->by_offset ? in->parts.bytes_sent : in->blocks.bytes_read;
	*total = in->by_offset ? in->parts.bytes_total : in->blocks.bytes_total;
}

void
pipein_turn(struct pipein *in, bool slot_free, bool stopping)
{
	if (!in->by_offset)
		blocks_turn(&in->blocks, slot_free, stopping);
}

bool
pipein_cutting(const struct pipein *in)
{
	return !in->by_offset && in->blocks.cutting;
}

double
pipein_deadline(const struct pipein *in)
{
	return in->by_offset ? 0 : blocks_deadline(&in->blocks);
}
