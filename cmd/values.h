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
};

/* A user's string as a message may show it: control bytes escaped, cut
 * short (four such strings may be in use at once). */
const char *shown(struct parse *p, const char *s);
/* The first usage error is kept; later ones are dropped. */
void usage_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

unsigned parse_jobs(struct parse *p, const char *name, const char *s);
int parse_delim(struct parse *p, const char *name, const char *s);
uint64_t parse_count(struct parse *p, const char *name, const char *s);
double parse_number(struct parse *p, const char *name, const char *s,
                    double min, double max, const char *what);
enum progress_mode parse_mode(struct parse *p, const char *name, const char *s);
int parse_fd(struct parse *p, const char *name, const char *s);
const char *parse_file(struct parse *p, const char *name, const char *s);
void parse_halt(struct parse *p, const char *s, struct pmapf_halt *h);
/* --arg, which getopt refused: say what was wrong with it. */
void bad_long_option(struct parse *p, const char *arg);
/* -I and the other replacement-string options (c: getopt's value). */
void parse_repl(struct parse *p, struct pmapf_opts *o, int c, const char *s);

#endif
