/* The input sources on the command line (see inputs.h). */
#include "config.h"

#include "inputs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "msg.h"
#include "perlre.h"
#include "template.h"

int
inputs_add_file(struct inputs *in, char *file)
{
	char **p = realloc(in->arg_files, (in->narg_files + 1) * sizeof *p);

	if (p == NULL)
		return -1;
	p[in->narg_files++] = file;
	in->arg_files = p;
	return 0;
}

/* Linux passes the rest of a #! line as one argument, as handled here;
 * systems that split it into words are not. */
int
inputs_shebang(struct inputs *in, int *argc, char ***argv)
{
	const char *a = *argc > 2 ? (*argv)[1] : "", *rest;
	char *words, *w, **v;
	size_t n = 0, len = strlen(a);

	if (strncmp(a, "--shebang", 9) == 0 && (a[9] == '\0' || a[9] == ' '))
		rest = a + 9;
	else if (strncmp(a, "--shebang-wrap", 14) == 0 &&
	         (a[14] == '\0' || a[14] == ' '))
		rest = a + 14, in->wrap = true;
	else
		return 0;
	/* At most one word per two bytes, the script, and the end. */
	v = calloc(len / 2 + 4, sizeof *v);
	words = strdup(rest);
	if (v == NULL || words == NULL) {
		free(v);
		free(words);
		return -1;
	}
	v[n++] = (*argv)[0];
	for (w = strtok(words, " \t"); w != NULL; w = strtok(NULL, " \t"))
		v[n++] = w;
	in->script = (*argv)[2];
	/* --shebang-wrap: the interpreter runs the script. */
	if (in->wrap)
		v[n++] = in->script;
	v[n] = NULL;
	in->extra = *argv + 3;
	in->nextra = *argc - 3;
	in->argv = v;
	in->words = words;
	*argc = (int)n;
	*argv = v;
	return 0;
}

static int
add_source(struct pmapf_opts *o, const char *file, bool linked, int nvals,
           char **vals)
{
	struct pmapf_source *s =
	    realloc(o->sources, (o->nsources + 1) * sizeof *s);

	if (s == NULL)
		return -1;
	o->sources = s;
	s[o->nsources++] = (struct pmapf_source){
	    .file = file, .linked = linked, .nvals = nvals, .vals = vals};
	return 0;
}

/* Which separator argv names: 1 values, 2 files, +4 linked; 0 none. */
static int
separator(const struct inputs *in, const char *a)
{
	size_t n;

	if (strcmp(a, in->arg_sep) == 0)
		return 1;
	if (strcmp(a, in->arg_file_sep) == 0)
		return 2;
	n = strlen(in->arg_sep);
	if (strncmp(a, in->arg_sep, n) == 0 && strcmp(a + n, "+") == 0)
		return 5;
	n = strlen(in->arg_file_sep);
	if (strncmp(a, in->arg_file_sep, n) == 0 && strcmp(a + n, "+") == 0)
		return 6;
	return 0;
}

static int
fail(struct buf *err, const char *what, const char *sep)
{
	(void)buf_printf(err, "%s %s", sep, what);
	return -1;
}

int
inputs_split(struct inputs *in, struct pmapf_opts *o, struct buf *err)
{
	int i, start, kind, cmd_end = o->argc;
	size_t k;

	for (k = 0; k < in->narg_files; k++)
		if (add_source(o, in->arg_files[k], false, 0, NULL) == -1)
			return fail(err, "cannot hold the input sources", "");
	/* A --shebang script is read less its #! line, then the files
	 * named after it; --shebang-wrap's arguments are values. */
	if (in->script != NULL && !in->wrap) {
		if (add_source(o, in->script, false, 0, NULL) == -1)
			return fail(err, "cannot hold the input sources", "");
		o->sources[o->nsources - 1].skip_first = true;
		for (i = 0; i < in->nextra; i++)
			if (add_source(o, in->extra[i], false, 0, NULL) == -1)
				return fail(err, "cannot hold it", "");
	} else if (in->script != NULL && in->nextra > 0 &&
	           add_source(o, NULL, false, in->nextra, in->extra) == -1) {
		return fail(err, "cannot hold it", "");
	}
	for (i = 0; i < o->argc; i++)
		if (separator(in, o->argv[i]) != 0)
			break;
	cmd_end = i;
	while (i < o->argc) {
		const char *sep = o->argv[i];

		kind = separator(in, sep);
		start = ++i;
		while (i < o->argc && separator(in, o->argv[i]) == 0)
			i++;
		if (i == start)
			return fail(err,
			            (kind & 2) ? "needs at least one file name"
			                       : "needs at least one value",
			            sep);
		/* A first source has nothing to link to: as GNU parallel,
		 * it is a source like any other (::::+ f1 f2 still links
		 * f2 to f1). */
		if (kind & 2) {
			/* Each file is a source of its own. */
			for (; start < i; start++)
				if (add_source(o, o->argv[start],
				               (kind & 4) && o->nsources > 0, 0,
				               NULL) == -1)
					return fail(err, "cannot hold it", sep);
		} else if (add_source(o, NULL, (kind & 4) && o->nsources > 0,
		                      i - start, &o->argv[start]) == -1) {
			return fail(err, "cannot hold it", sep);
		}
	}
	o->argc = cmd_end;
	/* COMMAND is exec'd as it stands (--workers): it ends here. */
	o->argv[cmd_end] = NULL;
	free(in->arg_files);
	in->arg_files = NULL;
	in->narg_files = 0;
	return 0;
}

void
inputs_free(struct inputs *in, struct pmapf_opts *o)
{
	free(in->arg_files);
	in->arg_files = NULL;
	in->narg_files = 0;
	if (o == NULL)
		return;

	free(o->sources);
	o->sources = NULL;
	o->nsources = 0;
}

int
inputs_trim(const char *where, int *trim, struct buf *err)
{
	static const char *const names[] = {"n", "l", "r", "lr", "rl"};
	static const int trims[] = {0, TRIM_LEFT, TRIM_RIGHT,
	                            TRIM_LEFT | TRIM_RIGHT,
	                            TRIM_LEFT | TRIM_RIGHT};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(where, names[i]) == 0) {
			*trim = trims[i];
			return 0;
		}
	(void)buf_appends(err, "--trim: invalid value ");
	(void)msg_quote_record(err, where, strlen(where), strlen(where));
	(void)buf_appends(err, " (expected n, l, r, lr or rl)");
	return -1;
}

int
inputs_check(struct pmapf_opts *o, bool trim_set, struct buf *err)
{
	struct perlre re;
	const char *why;
	size_t i, stdins = 0;

	/* Two sources reading one stdin would race for its lines. */
	for (i = 0; i < o->nsources; i++)
		if (o->sources[i].file != NULL &&
		    strcmp(o->sources[i].file, "-") == 0 && ++stdins > 1) {
			(void)buf_appends(err, "standard input (-) can be only "
			                       "one input source");
			return -1;
		}

	if (o->colsep != NULL) {
		if (perlre_compile(&re, o->colsep, &why) == -1) {
			(void)buf_appends(err, "--colsep ");
			(void)msg_quote_record(err, o->colsep,
			                       strlen(o->colsep),
			                       strlen(o->colsep));
			(void)buf_printf(err, ": %s", why);
			return -1;
		}
		perlre_free(&re);
		/* As GNU parallel: columns are trimmed unless told (with
		 * --pipe, --colsep only finds the key of a line). */
		if (!trim_set && !o->pipe)
			o->trim = TRIM_LEFT | TRIM_RIGHT;
	}
	/* The command and --tagstring, parsed as they will be run: what
	 * they need of the input ({##}, {uniq}) is known before it is read. */
	for (int tag = 0; tag < 2; tag++) {
		struct template_conf conf;
		struct template *t;

		if (tag ? o->tagstring == NULL : o->argc == 0 || o->workers)
			continue;
		command_conf(o, tag, &conf);
		if (template_parse_with(&t, tag ? 1 : o->argc,
		                        tag ? (char *const *)&o->tagstring
		                            : o->argv,
		                        &conf, &why) == -1) {
			(void)buf_printf(err, "%s%s",
			                 tag ? "--tagstring: " : "", why);
			return -1;
		}
		o->needs_total |= template_needs_total(t);
		o->filters |= template_filters(t);
		template_free(t);
	}
	if (o->needs_total && o->multi != MULTI_NONE) {
		(void)buf_appends(err,
		                  "{##} and {0#} need the number of jobs, "
		                  "which -X, -m and --xargs do not know in "
		                  "advance");
		return -1;
	}
	if ((why = template_refusal(o->argc, o->argv)) != NULL ||
	    (o->tagstring != NULL &&
	     (why = template_refusal(1, (char *const *)&o->tagstring))) ||
	    (o->results != NULL &&
	     (why = template_refusal(1, (char *const *)&o->results)))) {
		(void)buf_appends(err, why);
		return -1;
	}
	/* A worker's line, the built-in's number: one value per job. */
	if ((o->workers || o->argc == 0) &&
	    (o->nsources > 1 || o->colsep != NULL)) {
		(void)buf_appends(
		    err, o->workers ? "--workers reads one value per "
		                      "line: not with several input "
		                      "sources or --colsep"
		                    : "the built-in slow_add_one takes "
		                      "one value per job: give a COMMAND "
		                      "for several input sources or "
		                      "--colsep");
		return -1;
	}
	return 0;
}
