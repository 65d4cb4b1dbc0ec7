/*
 * Where a --timeline's jobs go: rows by slot or packed by time, the order
 * bars are drawn in, the counts of the summary, and which jobs keep a bar
 * of their own.  Shared by timeline.c (collecting, drawing) and
 * timeline_layout.c; not part of the public face (timeline.h).
 */
#ifndef PMAPF_TIMELINE_LAYOUT_H
#define PMAPF_TIMELINE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "timeline.h"

/*
 * Size bound.  A row's bars are drawn in start order; a bar narrower than
 * MERGE_PX that begins less than MERGE_PX after the previous narrow bar
 * of its row ends joins it in one segment with one tooltip ("37 jobs, seq
 * 100-180, all ok").  So a row holds at most about plot_width segments
 * and wide bars, whatever the number of jobs.  Kept apart, drawn on top
 * with their own tooltips: the SLOWEST jobs, and every failed, timed out
 * or killed job -- up to OWN_MAX of them (those with the lowest seqs), so
 * that a run where everything failed is bounded too; failures beyond it
 * merge, and a segment takes the colour of the worst outcome in it.
 */
#define MERGE_PX 1.0
#define OWN_MAX  1000
#define SLOWEST  5

struct timeline_entry {
	uint64_t seq;
	double start, end;
	size_t rec_off;
	size_t rec_full_len;
	unsigned slot;
	int exitval, signal;
	uint16_t rec_len;
	uint8_t outcome;
};

struct tl_key {
	unsigned row;
	double start, end;
	uint64_t seq;
	size_t idx;
};

struct tl_layout {
	struct tl_key *order; /* every job by row, then start */
	size_t n;
	unsigned rows, slot_rows; /* rows below slot_rows are packed */
	double t0, wall, busy;
	size_t counts[5];
	size_t slowest[SLOWEST], nslowest;
	size_t failures;
	uint64_t own_seq_max; /* failures up to this seq keep their bar */
};

bool tl_is_failure(uint8_t outcome);
/* Lay t's jobs out into l (l->order to be freed by the caller, also after
 * an error).  0, or -1/ENOMEM. */
int tl_layout_make(struct tl_layout *l, const struct timeline *t);
/* Is job idx drawn apart, on top, with its own tooltip? */
bool tl_keeps_own_bar(const struct tl_layout *l, const struct timeline *t,
                      size_t idx);

#endif
