/*
 * The input sources on the command line, GNU parallel's way: -a FILE
 * options first, then after COMMAND any number of "::: VALUE..." and
 * ":::: FILE..." groups (":::+" and "::::+" link to the source before).
 */
#ifndef PMAPF_INPUTS_H
#define PMAPF_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "pmapf.h"

struct inputs {
	char **arg_files; /* -a FILE, in order */
	size_t narg_files;
	const char *arg_sep;      /* ::: (--arg-sep) */
	const char *arg_file_sep; /* :::: (--arg-file-sep) */
	/* A #! script: --shebang reads it (less its first line) and
	 * the files after it; --shebang-wrap gives it to the command,
	 * with the values after it. */
	char *script;
	bool wrap;
	char **extra;
	int nextra;
	char **argv; /* the rewritten argv and the words it points into: */
	char *words; /* the caller frees them when done with argv */
};

/*
 * A script whose #! line names pmapf: the kernel passes everything after
 * "pmapf" on that line as one argument, "--shebang OPTIONS COMMAND" or
 * "--shebang-wrap OPTIONS INTERPRETER", then the script and its
 * arguments.  Split that argument into words and note the script, so
 * parsing goes on as if they had been typed.  0 (also when argv is not
 * such a call), or -1/ENOMEM.
 */
int inputs_shebang(struct inputs *in, int *argc, char ***argv);

/* Remember one -a FILE.  0, or -1/ENOMEM. */
int inputs_add_file(struct inputs *in, char *file);
/*
 * o->argv[0..o->argc) holds COMMAND then any source groups: cut the
 * groups off into o->sources.  0, or -1 with a one-line message appended
 * to err (a group with no values; ENOMEM).
 */
int inputs_split(struct inputs *in, struct pmapf_opts *o, struct buf *err);
/* --trim WHERE into *trim.  0, or -1 with a message appended to err. */
int inputs_trim(const char *where, int *trim, struct buf *err);
/*
 * The sources, columns and command, checked before anything runs: a
 * --colsep that cannot be used, {= perl =}.  trim_set: --trim was
 * given (else --colsep implies lr, as GNU parallel).  0, or -1 with a
 * message appended to err.
 */
int inputs_check(struct pmapf_opts *o, bool trim_set, struct buf *err);
/* Free what inputs_split and inputs_add_file allocated. */
void inputs_free(struct inputs *in, struct pmapf_opts *o);

#endif
