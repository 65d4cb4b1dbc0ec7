/*
 * Input records: bytes in (from a descriptor or a test), delimited records
 * out.  Read-ahead is the caller's to bound (input_buffered); a record
 * longer than max_record is never held whole: it is cut to a preview and
 * the rest discarded, so a 1 GiB line costs no memory and is reported.
 */
#ifndef PMAPF_INPUT_H
#define PMAPF_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

/* Largest single read(2) of input. */
#define INPUT_CHUNK 65536

struct oversized; /* private */

struct input {
	struct buf data;
	size_t start;      /* next record begins here */
	size_t tail_start; /* just after the last delimiter in data */
	uint64_t base;     /* absolute offset of data[0] */
	int delim;
	size_t max_record;
	bool eof;
	bool skipping;     /* discarding the rest of an oversized record */
	uint64_t complete; /* delimited records seen so far */
	uint64_t taken;    /* records handed out by input_next */
	struct oversized *big;
	size_t nbig, capbig, headbig;
};

/* Also a value of sources_next's tuples, handed on as input_next wrote
 * it: no copy, whose wide loads of narrow stores stalled per record. */
struct record {
	const char *data; /* not NUL-terminated; valid until next feed */
	size_t len;
	uint64_t full_len; /* > len: data is only a preview (too long) */
};

void input_init(struct input *in, int delim, size_t max_record);
void input_free(struct input *in);
/* Append bytes.  0, or -1/ENOMEM. */
int input_feed(struct input *in, const char *p, size_t n);
/* No more bytes will come: a final record without delimiter counts. */
void input_finish(struct input *in);
/* One read(2) of up to chunk bytes: >0 bytes, 0 at EOF (finished), -1. */
ssize_t input_fill(struct input *in, int fd, size_t chunk);
/* The next complete record, or false if none is ready yet. */
bool input_next(struct input *in, struct record *rec);
/* True when no record is ready and none will ever come. */
bool input_done(const struct input *in);
/* Bytes currently held. */
size_t input_buffered(const struct input *in);
/* Records seen whole so far (handed out or not); at EOF, the total. */
uint64_t input_records_seen(const struct input *in);
/* The next complete record without taking it, or false. */
bool input_peek(const struct input *in, struct record *rec);
/* Read no more: what is held is dropped and input is done (-E). */
void input_stop(struct input *in);
/* True if a complete record is waiting to be taken. */
bool input_ready(const struct input *in);

#endif
