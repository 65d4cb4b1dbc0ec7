/*
 * The sources' insides, shared by sources.c (opening and reading them)
 * and sources_product.c (walking their product).  Not part of the
 * public face.
 */
#ifndef PMAPF_SOURCES_INT_H
#define PMAPF_SOURCES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "perlre.h"
#include "sources.h"

/* A value held for the product to come back to. */
struct held {
	size_t off, len;
	uint64_t full_len;
};

struct src {
	const char *name;       /* for messages: a file, "-", or ":::" */
	const char *lit_header; /* ::: with --header: its first value */
	int fd;                 /* to read; -1 once ended or for ::: values */
	bool own_fd;
	bool held;   /* every value kept */
	bool linked; /* moves in step with the source before it */
	bool header_done;
	bool skip_first; /* its first line is still to be dropped */
	struct input in;
	struct buf hdata;
	struct held *hv;
	size_t nh, caph;
	/* Not held: the value at position cur_pos (copied when the product
	 * must keep it across reads). */
	bool loaded, copy;
	uint64_t cur_pos;
	struct buf cur;
	struct record rec;
	uint64_t pulled; /* values taken from in (not the header) */
};

struct dim {
	size_t first, n; /* its sources */
	uint64_t pos;    /* position of the next tuple */
};

struct sources {
	struct src *s;
	size_t n;
	struct dim *d;
	size_t nd;
	bool link;
	bool header, names_ready;
	struct buf names; /* NUL-separated */
	size_t nnames;
	bool has_sep;
	struct perlre sep;
	const char *eof_str; /* -E */
	size_t eof_len;
	bool hold_all;
	/* One source read as it goes, each value a job's as it stands
	 * (stdin alone, the usual case): no product to turn. */
	bool simple;
	int trim;
	bool ended; /* SOURCES_END was given */
	uint64_t taken;
	const char *err;
	struct record *tv;
	size_t ntv, captv;
};

/* Keep a value (held sources).  0, or -1/ENOMEM. */
int src_hold(struct src *x, const char *p, size_t n, uint64_t full_len);
/* Read no more of it (its end, or -E). */
void src_stop_reading(struct src *x);
/* -E: is this value the end-of-file string? */
bool sources_is_eof_str(const struct sources *s, const char *p, size_t n);
/* Turn the product to the next tuple that exists, if it can be known
 * yet: *state READY, WAIT or END.  Idempotent until a tuple is taken.
 * 0, or -1/errno. */
int sources_advance(struct sources *s, enum sources_state *state);

#endif
