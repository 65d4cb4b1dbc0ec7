/* The sink's parts, shared by sink.c (queue, order), sink_write.c (the
 * writes to stdout) and sink_stream.c (output that goes straight
 * through).  Not a public face. */
#ifndef PMAPF_SINK_INT_H
#define PMAPF_SINK_INT_H

#include "sink.h"

/* Stop moving job output into the queue past this many bytes. */
#define Q_HIGH (256u << 10)
/* Output is gathered into writes of about this size (and always written
 * before the loop waits: sink_flush), not one write per job. */
#define Q_WRITE (64u << 10)

/* Bytes queued for stdout and not yet written. */
size_t sink_pending(const struct sink *k);
/* Append p to b as it goes out: with --tag, the tag and a TAB before
 * every line (*line_start carries across calls).  0 or -1. */
int sink_append(struct sink *k, struct buf *b, const struct buf *tag,
                bool *line_start, const char *p, size_t n);
/* A write to stdout said EAGAIN: wait for POLLOUT. */
void sink_stdout_full(struct sink *k);
/* Note the first error; -1. */
int sink_fail(struct sink *k, enum sink_error e);
/* Before the first byte of a write: e.g. take the bar off a terminal. */
void sink_before_out(struct sink *k);
/* For sink_move_out, with k->direct, stdout not broken and nothing
 * queued: send up to max of sp's oldest bytes to stdout directly.  How
 * many went, 0 to wait for POLLOUT (or to use the queue: k->direct is
 * then false), or -1. */
long sink_send_spool(struct sink *k, struct spool *sp, uint64_t max);
/* Move up to max of sp's oldest bytes towards stdout: straight to it
 * where allowed (sink_send_spool), else into the queue, tagged with tag
 * if --tag.  How many moved, 0 to wait (the queue or stdout is full), or
 * -1. */
long sink_move_out(struct sink *k, struct spool *sp, const struct buf *tag,
                   bool *line_start, uint64_t max);
/* After sink_move_out said wait: write what is queued.  1 if that made
 * room to go on, 0 to wait for POLLOUT, -1. */
int sink_write_for_room(struct sink *k);
/* Move the streamer's output on while both ends allow.  0 or -1. */
int sink_stream_step(struct sink *k);

#endif
