/*
 * The template's insides, shared by its two halves: template_parse.c
 * (argv into pieces, and what a command line costs) and template.c
 * (pieces and values into a command).  Not part of its public face.
 */
#ifndef PMAPF_TEMPLATE_INT_H
#define PMAPF_TEMPLATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plus.h"
#include "template.h"

enum piece_kind {
	PIECE_LITERAL,
	PIECE_RECORD,    /* {} */
	PIECE_NOEXT,     /* {.} */
	PIECE_BASE,      /* {/} */
	PIECE_DIR,       /* {//} */
	PIECE_BASENOEXT, /* {/.} */
	PIECE_SEQ,       /* {#} */
	PIECE_SLOT,      /* {%} */
	PIECE_POS,       /* {1}, {-1}, {2.}...: one value by position */
	PIECE_PLUS,      /* --plus: a form on the record ({+.}, {%re}...) */
	PIECE_TOTAL,     /* {##}: jobs in all */
	PIECE_SEQ0,      /* {0#}: {#} zero-padded to the total's width */
	PIECE_SLOT0,     /* {0%}: {%} zero-padded to -j's width */
	PIECE_NOTHING,   /* --plus {agrp} {hgrp}: empty (remote groups) */
	PIECE_HOST,      /* --plus {host}: where the job runs, : here */
	PIECE_SSHLOGIN   /* --plus {sshlogin}: its login, : here */
};

struct piece {
	enum piece_kind kind;
	enum piece_kind mod; /* PIECE_POS: which part of the value */
	const char *lit;     /* into the caller's argv, which outlives us */
	size_t len;
	long pos; /* PIECE_POS: 1.. from the start, -1.. from the end */
	struct plus *plus; /* PIECE_PLUS, or mod PIECE_PLUS: owned */
};

struct targ {
	struct piece *pieces;
	size_t npieces;
	/* In a script, what comes before this word: NULL for a space (a
	 * new argument), else the blanks that stood there. */
	const char *gap;
	size_t gaplen;
};

struct template
{
	struct targ *args;
	size_t nargs; /* words: in a script, an argument may hold several */
	int argc;
	char *const *argv;
	bool append; /* no replacement string: record goes last */
	struct template_conf conf;
	/* The replacement strings, longest first (so {//} is not read as
	 * {/} and then text). */
	const char *repl[TEMPLATE_NREPL];
	enum piece_kind repl_kind[TEMPLATE_NREPL];
	const char *names; /* --header: column names, NUL-separated */
	size_t nnames;
	uint64_t total;           /* {##}, {0#}: set once known */
	const char *host, *login; /* {host}, {sshlogin}: NULL for : */
	unsigned filters;         /* TEMPLATE_UNIQ, TEMPLATE_CHOOSE_K */
	const char *why; /* why parsing failed, for template_parse_with */
};

/* Values are shell-quoted: in a script, unless the values are the
 * script (-s without COMMAND). */
static inline bool
values_quoted(const struct template *t)
{
	return t->conf.shell && !t->conf.raw;
}

/* Does this piece stand for "the record" (every value)? */
static inline bool
per_record(enum piece_kind k)
{
	return k == PIECE_RECORD || k == PIECE_NOEXT || k == PIECE_BASE ||
	       k == PIECE_DIR || k == PIECE_BASENOEXT || k == PIECE_PLUS;
}

#endif
