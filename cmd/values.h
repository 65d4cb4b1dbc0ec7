/*
 * Option values, one parser each, and the usage errors they make: the
 * pieces args.c is built from.  Nothing here exits or prints.
 */
#ifndef PMAPF_VALUES_H
#define PMAPF_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "pmapf.h"

struct parse {
	struct buf *err;
	bool failed;
	char shown[4][160];
	int nshown;
	bool trim_set;
	char num[64]; /* a number's text, unblanked */
};

/* A user's string as a message may show it: control bytes escaped, cut
 * short (four such strings may be in use at once). */
const char *shown(struct parse *p, const char *s);
/* The first usage error is kept; later ones are dropped. */
void usage_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* -j's value (NULL: not given), relative to cpus where it says so. */
unsigned parse_jobs(struct parse *p, const char *name, const char *s,
                    unsigned cpus);
int parse_delim(struct parse *p, const char *name, const char *s);
/* A whole number from min to max; blanks around it are ignored (as by
 * every number parser here). */
uint64_t parse_count(struct parse *p, const char *name, const char *s,
                     uint64_t min, uint64_t max);
/* The same, signed (a + or - before the digits). */
long parse_int(struct parse *p, const char *name, const char *s, long min,
               long max);
double parse_number(struct parse *p, const char *name, const char *s,
                    double min, double max, const char *what);
enum progress_mode parse_mode(struct parse *p, const char *name, const char *s);
int parse_fd(struct parse *p, const char *name, const char *s);
const char *parse_file(struct parse *p, const char *name, const char *s);
/* A directory pmapf can write in (checked now), or NULL. */
const char *parse_dir(struct parse *p, const char *name, const char *s);
/* --halt or --halt-on-error (name: which, for the message). */
void parse_halt(struct parse *p, const char *name, const char *s,
                struct pmapf_halt *h);
/* Seconds, as GNU parallel's: a number, or numbers each with a unit
 * s, m, h or d ("1m30s"); at least min. */
double parse_duration(struct parse *p, const char *name, const char *s,
                      double min);
/* Bytes, with GNU parallel's K M G T P E (1024s) or k m g t p e
 * (1000s); at least 1. */
uint64_t parse_size(struct parse *p, const char *name, const char *s);
/* --load: a number (decimals allowed), or as -j relative to cpus. */
double parse_load(struct parse *p, const char *s, unsigned cpus);
/* N% (N above 0, at most 1e6): N. */
double parse_percent(struct parse *p, const char *name, const char *s);
/* --arg, which getopt refused: say what was wrong with it. */
void bad_long_option(struct parse *p, const char *arg);
/* -I and the other replacement-string options (c: getopt's value). */
void parse_repl(struct parse *p, struct pmapf_opts *o, int c, const char *s);

#endif
