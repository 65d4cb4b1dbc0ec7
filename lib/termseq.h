/*
 * --term-seq: how a job is stopped (on --timeout, --halt now, or an
 * interrupt): signals, each followed by how long to wait for the job to
 * end before the next, as GNU parallel's "TERM,200,TERM,100,KILL,25".
 * Pure: text in, steps out.
 */
#ifndef PMAPF_TERMSEQ_H
#define PMAPF_TERMSEQ_H

#include <stddef.h>

#define TERMSEQ_MAX 32

struct termseq {
	int n;
	int sig[TERMSEQ_MAX];
	double wait[TERMSEQ_MAX]; /* seconds after sig[i] */
};

/*
 * SIGNAL[,MS][,SIGNAL[,MS]]...: a signal by name (TERM or SIGTERM, any
 * case) or number, then milliseconds to wait (none after the last: 0).
 * 0, or -1 with a reason (for "...: invalid value '...' (reason)")
 * written to why.
 */
int termseq_parse(const char *s, struct termseq *t, char *why, size_t len);
/* The signal's number for a name (TERM, SIGTERM, term) or a number
 * given as text; 0 if none. */
int termseq_signal(const char *name, size_t len);

#endif
