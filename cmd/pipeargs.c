/* --pipe's options (see pipeargs.h). */
#include "config.h"

#include "pipeargs.h"

#include <ctype.h>
#include <string.h>

#include "options.h"
#include "recre.h"

/* Longest --recend or --recstart, in bytes. */
#define SEP_MAX 255

/* A C escape at s (just after the backslash): its byte and length, or
 * -1 if it is none. */
static int
escape(const char *s, size_t *len)
{
	static const char from[] = "ntr0abfv\\", to[] = "\n\t\r\0\a\b\f\v\\";
	const char *at = memchr(from, s[0], sizeof from - 1);
	int v = 0, i;

	if (s[0] == 'x' && isxdigit((unsigned char)s[1]) &&
	    isxdigit((unsigned char)s[2])) {
		for (i = 1; i <= 2; i++)
			v = v * 16 +
			    (isdigit((unsigned char)s[i])
			         ? s[i] - '0'
			         : tolower((unsigned char)s[i]) - 'a' + 10);
		*len = 3;
		return v;
	}
	if (s[0] >= '0' && s[0] <= '7' && s[1] >= '0' && s[1] <= '7') {
		for (i = 0; i < 3 && s[i] >= '0' && s[i] <= '7'; i++)
			v = v * 8 + (s[i] - '0');
		*len = (size_t)i;
		return v <= 0xff ? v : -2; /* \400 and up: no byte */
	}
	if (s[0] == '\0' || at == NULL)
		return -1;
	*len = 1;
	return (unsigned char)to[at - from];
}

/* --recend, --recstart: bytes, with C escapes (\n, \t, \0, \x1e...) as
 * GNU parallel takes them; a backslash before anything else is itself. */
static const char *
parse_sep(struct parse *p, const char *name, const char *s, char *out,
          size_t *n)
{
	size_t len = 0, k;
	int v;

	for (; *s != '\0'; s++) {
		if (len == SEP_MAX) {
			usage_error(p, "%s: longer than %d bytes", name,
			            SEP_MAX);
			return NULL;
		}
		v = s[0] == '\\' ? escape(s + 1, &k) : -1;
		if (v == -2) {
			usage_error(
			    p,
			    "%s: invalid escape '\\%.3s' (octal up to \\377)",
			    name, s + 1);
			return NULL;
		}
		if (v >= 0) {
			out[len++] = (char)v;
			s += k;
		} else {
			out[len++] = s[0];
		}
	}
	out[len] = '\0';
	*n = len;
	return out;
}

/* --shard, --bin: a column number (from 1) or name; GNU parallel's
 * Perl expression after it is not taken. */
static void
key_column(struct parse *p, const char *name, const char *s, size_t *col,
           const char **col_name)
{
	*col_name = NULL;
	*col = 0;
	if (s[0] == '\0' || strpbrk(s, " \t") != NULL) {
		usage_error(p,
		            "%s: expected a column number or name, not '%s' "
		            "(Perl expressions are not taken)",
		            name, shown(p, s));
		return;
	}
	if (strspn(s, "0123456789") == strlen(s))
		*col = (size_t)parse_count(p, name, s, 1, 1000000);
	else
		*col_name = s;
}

void
pipe_args_option(struct parse *p, struct pmapf_opts *o, struct pipe_args *pa,
                 int c, const char *arg)
{
	static char recend[SEP_MAX + 1], recstart[SEP_MAX + 1];

	switch (c) {
	case OPT_PIPE:
		o->pipe = true;
		break;
	case OPT_PIPE_PART:
		o->pipe = o->pipe_part = true;
		break;
	case OPT_ROUND_ROBIN:
		o->pipe = o->round_robin = true;
		break;
	case OPT_CAT:
		o->pipe = o->pipe_cat = true;
		break;
	case OPT_FIFO:
		o->pipe = o->pipe_fifo = true;
		break;
	case OPT_TEE:
		o->pipe = o->pipe_tee = true;
		break;
	case OPT_RRS:
		o->pipe_rrs = true;
		break;
	case OPT_REGEXP:
		o->pipe_regexp = true;
		break;
	case OPT_BLOCK_TIMEOUT:
		o->block_timeout =
		    parse_duration(p, "--block-timeout", arg, 0.001);
		pa->timeout_given = true;
		break;
	case OPT_GROUP_BY:
		key_column(p, "--group-by", arg, &o->group_col, &o->group_name);
		o->group_by = true;
		break;
	case OPT_SHARD:
	case OPT_BIN:
		key_column(p, c == OPT_BIN ? "--bin" : "--shard", arg,
		           &o->shard_col, &o->shard_name);
		o->pipe = o->pipe_shard = true;
		o->shard_bin = c == OPT_BIN;
		break;
	case OPT_BLOCK:
		/* -n: n blocks for each job slot (--pipe-part). */
		if (arg[0] == '-')
			o->blocks_per_slot = parse_size(p, "--block", arg + 1);
		else
			o->block_size = parse_size(p, "--block", arg);
		pa->block_given = true;
		break;
	case OPT_RECEND:
		pa->recend_arg = arg;
		o->recend =
		    parse_sep(p, "--recend", arg, recend, &o->recend_len);
		pa->sep_given = true;
		break;
	case OPT_RECSTART:
		pa->recstart_arg = arg;
		o->recstart =
		    parse_sep(p, "--recstart", arg, recstart, &o->recstart_len);
		pa->sep_given = true;
		break;
	case 'L':
		o->record_lines =
		    (unsigned)parse_count(p, "-L/--max-lines", arg, 1, 1000000);
		pa->lines_given = true;
		break;
	default:
		break;
	}
}

/* --header with --pipe: lines repeated atop every block. */
static int
header_lines(struct parse *p, struct pmapf_opts *o, const char *s)
{
	if (strcmp(s, ":") == 0) {
		o->pipe_header = 1;
		return 0;
	}
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) > 0) {
		o->pipe_header =
		    (unsigned)parse_count(p, "--header", s, 0, 1000000);
		return p->failed ? -1 : 0;
	}
	usage_error(p,
	            "--header: with --pipe, expected a number of lines or "
	            "':' (one line), not '%s'",
	            shown(p, s));
	return -1;
}

/* What --pipe does not do (yet, or ever): the option named, or NULL. */
static const char *
refused(const struct pmapf_opts *o)
{
	if (o->argc == 0)
		return "the built-in (give a COMMAND to read the blocks)";
	if (o->workers)
		return "--workers";
	if (o->nsources > 0 && !o->pipe_part && !o->pipe_tee)
		return "input sources (:::, ::::, -a): give the input on "
		       "stdin, or cut files with --pipe-part";
	/* A job takes many blocks: there is no one to send again. */
	if (o->retries > 1 && o->round_robin)
		return "--retries (with --round-robin)";
	if (o->retry_failed)
		return "--retry-failed";
	if (o->memfree > 0)
		return "--memfree";
	if (o->shuf)
		return "--shuf";
	if (o->multi == MULTI_X)
		return "-X";
	if (o->multi == MULTI_M)
		return "-m";
	if (o->multi == MULTI_XARGS)
		return "--xargs";
	if (o->needs_total && !o->pipe_part)
		return "{##} (but with --pipe-part)";
	if (o->colsep != NULL && !o->group_by)
		return "--colsep (but with --group-by, --shard, --bin)";
	if (o->trim != 0)
		return "--trim";
	if (o->no_empty)
		return "-r (yet: a block of blanks still runs)";
	if (o->max_chars > 0)
		return "--max-chars";
	return NULL;
}

/* --tee: its jobs, one per ::: value (or tuple), all at once, each
 * given all of stdin; the values are the jobs' as without --pipe. */
static int
tee_check(struct parse *p, struct pmapf_opts *o, const struct pipe_args *pa)
{
	size_t i, jobs = 1, group = 0;
	const char *no = NULL;

	if (o->nsources == 0) {
		usage_error(p, "--tee needs ::: values: one job for each, "
		               "each given all of stdin");
		return -1;
	}
	for (i = 0; i < o->nsources; i++) {
		const struct pmapf_source *s = &o->sources[i];

		if (s->file != NULL) {
			usage_error(p, "--tee takes its jobs from ::: values, "
			               "not from files (-a, ::::)");
			return -1;
		}
		/* Linked sources go in step (the longest sets the count). */
		if (i > 0 && (o->link || s->linked)) {
			jobs /= group;
			group =
			    (size_t)s->nvals > group ? (size_t)s->nvals : group;
		} else {
			group = (size_t)s->nvals;
		}
		jobs *= group;
	}
	if (o->pipe_part || o->round_robin || o->pipe_cat || o->pipe_fifo)
		no = o->pipe_part     ? "--pipe-part"
		     : o->round_robin ? "--round-robin"
		     : o->pipe_cat    ? "--cat"
		                      : "--fifo";
	else if (pa->max_args_given || pa->block_given || pa->header != NULL ||
	         pa->timeout_given)
		no = pa->max_args_given  ? "-N"
		     : pa->timeout_given ? "--block-timeout"
		     : pa->block_given   ? "--block"
		                         : "--header";
	else if (o->retries > 1 || o->workers || o->shuf)
		no = o->retries > 1 ? "--retries"
		     : o->workers   ? "--workers"
		                    : "--shuf";
	if (no != NULL) {
		usage_error(p, "--tee cannot be used with %s", no);
		return -1;
	}
	/* As GNU parallel: without -j, as many slots as jobs. */
	if (!pa->jobs_given && jobs <= 100000)
		o->jobs = (unsigned)jobs;
	if (jobs > o->jobs) {
		usage_error(
		    p,
		    "--tee runs its %zu jobs at once, each given all "
		    "of stdin: -j must be at least %zu (-j 0: no limit)",
		    jobs, jobs);
		return -1;
	}
	o->tee_jobs = jobs;
	return 0;
}

/* --regexp: the patterns are tried now, so a bad one runs nothing. */
static int
regexp_check(struct parse *p, struct pmapf_opts *o)
{
	const char *what, *why, *no;
	struct recre re;

	no = o->pipe_rrs     ? "--rrs"
	     : o->group_by   ? "--group-by"
	     : o->pipe_tee   ? "--tee"
	     : o->pipe_shard ? "--shard/--bin"
	                     : NULL;
	if (no != NULL) {
		usage_error(p, "--regexp cannot be used with %s", no);
		return -1;
	}
	if (o->recend == NULL && o->recstart == NULL)
		return 0; /* the record end byte */
	/* Both empty: nothing to match, so blocks of --block bytes, as
	 * without --regexp (GNU parallel's blocks too). */
	if ((o->recend == NULL || o->recend[0] == '\0') &&
	    (o->recstart == NULL || o->recstart[0] == '\0')) {
		o->pipe_regexp = false;
		return 0;
	}
	if (recre_init(&re, o->recend, o->recstart, &what, &why) == -1) {
		const char *pat =
		    strcmp(what, "--recend") == 0 ? o->recend : o->recstart;

		usage_error(p, "%s: invalid regular expression '%s' (%s)", what,
		            shown(p, pat != NULL ? pat : ""), why);
		return -1;
	}
	recre_free(&re);
	return 0;
}

/* --group-by: the runs of a value are the records. */
static int
group_refused(struct parse *p, struct pmapf_opts *o, const struct pipe_args *pa)
{
	const char *no = o->pipe_rrs     ? "--rrs"
	                 : o->pipe_tee   ? "--tee"
	                 : o->pipe_shard ? (o->shard_bin ? "--bin" : "--shard")
	                 : pa->max_args_given ? "-N"
	                 : pa->lines_given    ? "-L"
	                 : pa->sep_given      ? "--recend/--recstart"
	                                      : NULL;

	if (no != NULL) {
		usage_error(p,
		            "--group-by cannot be used with %s: its records "
		            "are the runs of a value",
		            no);
		return -1;
	}
	/* A column's name: the first line gives the names, and starts
	 * every block. */
	if (o->group_name != NULL && o->pipe_header == 0 && pa->header == NULL)
		o->pipe_header = 1;
	return 0;
}

/* --shard, --bin: -j jobs made first, lines sorted among them. */
static int
shard_check(struct parse *p, struct pmapf_opts *o, const struct pipe_args *pa)
{
	const char *what = o->shard_bin ? "--bin" : "--shard", *no = NULL;

	if (o->argc == 0)
		no = "the built-in (give a COMMAND to read the lines)";
	else if (o->pipe_part || o->round_robin || o->pipe_cat ||
	         o->pipe_fifo || o->pipe_tee)
		no = o->pipe_part     ? "--pipe-part"
		     : o->round_robin ? "--round-robin"
		     : o->pipe_cat    ? "--cat"
		     : o->pipe_fifo   ? "--fifo"
		                      : "--tee";
	else if (o->nsources > 0)
		no = "input sources (:::, ::::, -a): give the input on stdin";
	else if (pa->timeout_given)
		no = "--block-timeout";
	else if (pa->max_args_given || pa->block_given || pa->sep_given ||
	         pa->lines_given)
		no = pa->max_args_given ? "-N"
		     : pa->block_given  ? "--block"
		     : pa->sep_given    ? "--recend/--recstart"
		                        : "-L";
	else if (o->retries > 1 || o->workers || o->shuf)
		no = o->retries > 1 ? "--retries"
		     : o->workers   ? "--workers"
		                    : "--shuf";
	if (no != NULL) {
		usage_error(p, "%s cannot be used with %s", what, no);
		return -1;
	}
	o->no_args = true;
	o->max_args = 0;
	if (pa->header != NULL) {
		o->header = false;
		if (header_lines(p, o, pa->header) == -1)
			return -1;
	}
	return 0;
}

/* What --pipe-part cannot do besides: count records (it finds only the
 * record ends near its cuts), or cut values that are no file. */
static int
part_refused(struct parse *p, const struct pmapf_opts *o,
             const struct pipe_args *pa)
{
	size_t i;

	if (pa->timeout_given) {
		usage_error(p,
		            "--pipe-part cannot be used with --block-timeout: "
		            "its blocks are in a file");
		return -1;
	}
	if (pa->max_args_given || pa->lines_given) {
		usage_error(p,
		            "--pipe-part cannot be used with %s: it looks "
		            "for record ends only near its cuts (--recend, "
		            "--recstart say where a record ends)",
		            pa->max_args_given ? "-N" : "-L/--max-lines");
		return -1;
	}
	if (o->group_by && o->group_name != NULL) {
		usage_error(p, "--pipe-part: --group-by takes a column "
		               "number, not a name (as GNU parallel)");
		return -1;
	}
	for (i = 0; i < o->nsources; i++)
		if (o->sources[i].file == NULL) {
			usage_error(p, "--pipe-part cuts files (-a, ::::), "
			               "not ::: values");
			return -1;
		}
	return 0;
}

int
pipe_args_check(struct parse *p, struct pmapf_opts *o, struct pipe_args *pa)
{
	const char *no;

	if (!o->pipe) {
		/* Records per job: no more than a command line could take. */
		if (pa->max_args != NULL && o->max_args > 100000) {
			(void)parse_count(p, "-N/-n", pa->max_args, 0, 100000);
			return -1;
		}
		if (pa->block_given || pa->sep_given || pa->lines_given ||
		    o->group_by || pa->timeout_given || o->pipe_rrs ||
		    o->pipe_regexp) {
			usage_error(p, "%s applies only to --pipe",
			            pa->block_given     ? "--block"
			            : pa->sep_given     ? "--recend/--recstart"
			            : o->group_by       ? "--group-by"
			            : pa->timeout_given ? "--block-timeout"
			            : o->pipe_rrs       ? "--rrs"
			            : o->pipe_regexp    ? "--regexp"
			                                : "-L/--max-lines");
			return -1;
		}
		return 0;
	}
	if (o->group_by && group_refused(p, o, pa) == -1)
		return -1;
	/* --regexp: the patterns as given, escapes and all, for the
	 * regex's own reading (\b is a word boundary there). */
	if (o->pipe_regexp) {
		if (pa->recend_arg != NULL) {
			o->recend = pa->recend_arg;
			o->recend_len = strlen(pa->recend_arg);
		}
		if (pa->recstart_arg != NULL) {
			o->recstart = pa->recstart_arg;
			o->recstart_len = strlen(pa->recstart_arg);
		}
		if (regexp_check(p, o) == -1)
			return -1;
	}
	if (o->pipe_rrs && (o->pipe_tee || o->pipe_shard)) {
		usage_error(p, "--rrs cannot be used with %s: it takes blocks",
		            o->pipe_tee ? "--tee" : "--shard/--bin");
		return -1;
	}
	if (o->pipe_tee && o->pipe_shard) {
		usage_error(p, "--tee cannot be used with %s",
		            o->shard_bin ? "--bin" : "--shard");
		return -1;
	}
	if (o->pipe_tee)
		return tee_check(p, o, pa);
	if (o->pipe_shard)
		return shard_check(p, o, pa);
	if ((no = refused(o)) != NULL) {
		usage_error(p, "%s cannot be used with %s",
		            o->pipe_part ? "--pipe-part" : "--pipe", no);
		return -1;
	}
	if (o->pipe_part && part_refused(p, o, pa) == -1)
		return -1;
	/* --pipe-part's blocks, as GNU parallel sizes them without
	 * --block: ten for each job slot; with --round-robin, one. */
	if (o->pipe_part && o->round_robin) {
		o->round_robin = false;
		o->blocks_per_slot = 1;
	} else if (o->pipe_part && !pa->block_given) {
		o->blocks_per_slot = 10;
	}
	/* A job's output mixes many blocks: there is no input order to
	 * keep, so it comes out as jobs end (GNU parallel ignores -k). */
	if (o->round_robin && pa->keep_order) {
		usage_error(p, "--round-robin cannot keep input order (-k): "
		               "each job takes many blocks");
		return -1;
	}
	if (o->round_robin)
		o->unordered = true;
	if ((o->pipe_cat || o->pipe_fifo) && o->round_robin) {
		usage_error(p,
		            "%s cannot be used with --round-robin: a job "
		            "takes one file",
		            o->pipe_cat ? "--cat" : "--fifo");
		return -1;
	}
	if (o->pipe_cat && o->pipe_fifo) {
		usage_error(p, "--cat and --fifo: one or the other");
		return -1;
	}
	/* A retried job would need its FIFO made again. */
	if (o->pipe_fifo && o->retries > 1) {
		usage_error(p, "--fifo cannot be used with --retries (--cat "
		               "can)");
		return -1;
	}
	if (o->blocks_per_slot > 0 && !o->pipe_part) {
		usage_error(p, "--block: a negative size (blocks per job "
		               "slot) needs --pipe-part");
		return -1;
	}
	/* Both empty: blocks of --block bytes exactly, as GNU parallel;
	 * there is no record to count. */
	if (pa->sep_given && o->recend_len + o->recstart_len == 0 &&
	    (pa->max_args_given || pa->lines_given)) {
		usage_error(p,
		            "--recend and --recstart are both empty: "
		            "there are no records for %s to count",
		            pa->max_args_given ? "-N" : "-L");
		return -1;
	}
	/* -N counts records per block; the command is given none.  -N0
	 * counts nothing: blocks are cut by size, as GNU parallel's. */
	o->block_records = pa->max_args_given ? o->max_args : 0;
	o->max_args = 0;
	o->max_args_n = false;
	/* --cat: the block's file is the job's one value, appended to the
	 * command without {} (as GNU parallel). */
	o->no_args = !o->pipe_cat && !o->pipe_fifo;
	if (pa->header != NULL) {
		o->header = false;
		if (header_lines(p, o, pa->header) == -1)
			return -1;
	}
	return 0;
}
