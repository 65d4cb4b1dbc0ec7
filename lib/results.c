/* --results and --files: job output kept in files (see results.h). */
#include "config.h"

#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"

/* Is name a table (NAME.csv, .tsv, .json, any case)?  Then which, and
 * whether it is stdout's ("-.csv" and the like). */
static bool
table_kind(const char *name, enum resultfmt_kind *fmt, bool *to_stdout)
{
	static const struct {
		const char *ext;
		enum resultfmt_kind fmt;
	} kinds[] = {{".csv", RESULTFMT_CSV},
	             {".tsv", RESULTFMT_TSV},
	             {".json", RESULTFMT_JSON}};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t k = strlen(kinds[i].ext);

		if (n >= k && strcasecmp(name + n - k, kinds[i].ext) == 0) {
			*fmt = kinds[i].fmt;
			*to_stdout = n == k + 1 && name[0] == '-';
			return true;
		}
	}
	return false;
}

/* mkdir -p: every directory of path[0..n) that is missing.  0 or -1. */
static int
make_dirs(char *path, size_t n)
{
	struct stat st;

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (size_t i = 1; i <= n; i++) {
		char keep;

		if (i < n && path[i] != '/')
			continue;
		keep = path[i];
		path[i] = '\0';
		/* Not every system says EEXIST first for a directory that
		 * is there (EROFS, EACCES...): look. */
		if (mkdir(path, 0777) == -1) {
			int err = errno == EEXIST ? ENOTDIR : errno;

			if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
				path[i] = keep;
				errno = err;
				return -1;
			}
		}
		path[i] = keep;
	}
	return 0;
}

/* Would opening table file o->results (emptying it) destroy what this
 * run reads: an input file, stdin, the joblog? */
static bool
clobbers_input(const struct pmapf_opts *o)
{
	struct stat t, s;

	if (stat(o->results, &t) == -1)
		return false;
	if (fstat(STDIN_FILENO, &s) == 0 && io_same_file(&s, &t))
		return true;
	for (size_t i = 0; i < o->nsources; i++)
		if (o->sources[i].file != NULL &&
		    stat(o->sources[i].file, &s) == 0 && io_same_file(&s, &t))
			return true;
	return o->joblog != NULL && stat(o->joblog, &s) == 0 &&
	       io_same_file(&s, &t);
}

int
results_check(const struct pmapf_opts *o)
{
	if (o->dry_run || o->results == NULL || !results_is_table(o->results) ||
	    !clobbers_input(o))
		return 0;
	msg_warn("--results: '%s' is also read by this run (an input or the "
	         "joblog): refused",
	         o->results);
	return -1;
}

bool
results_is_table(const char *name)
{
	enum resultfmt_kind fmt;
	bool to_stdout;

	return table_kind(name, &fmt, &to_stdout);
}

int
results_init(struct results *r, const struct pmapf_opts *o,
             struct spool_file *spill)
{
	bool to_stdout;

	memset(r, 0, sizeof *r);
	r->table_fd = -1;
	r->spill = spill;
	r->files = o->files;
	r->per_job = o->max_args > 1 ? o->max_args : 1;
	if (o->dry_run || (o->results == NULL && !o->files))
		return 0;
	if ((r->chunk = malloc(IO_CHUNK)) == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	if (o->results == NULL) {
		r->kind = RESULTS_FILES;
		return 0;
	}
	if (table_kind(o->results, &r->fmt, &to_stdout)) {
		r->kind = RESULTS_TABLE;
		if (to_stdout)
			return 0;
		r->table_fd = open(
		    o->results, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (r->table_fd == -1) {
			msg_warn_errno("--results: cannot open '%s'",
			               o->results);
			return -1;
		}
		return 0;
	}
	/* Which of tree and path is known once --header names are bound:
	 * decided per job.  The tree's root is made now, so a root that
	 * cannot be made stops the run before any job. */
	r->kind = RESULTS_TREE;
	r->dir = o->results;
	if (buf_appends(&r->path, o->results) == -1) {
		msg_warn("out of memory");
		return -1;
	}
	if (strchr(o->results, '{') == NULL &&
	    make_dirs(r->path.data, r->path.len) == -1) {
		msg_warn_errno("--results: cannot create '%s'", o->results);
		return -1;
	}
	return 0;
}

void
results_free(struct results *r)
{
	if (r->spill == NULL)
		return; /* never set up */
	/* Once given to the sink (results_fd), the sink closes it. */
	if (r->table_fd >= 0 && !r->fd_given)
		(void)close(r->table_fd);
	r->table_fd = -1;
	buf_free(&r->path);
	buf_free(&r->text);
	spool_free(r->spill, &r->row);
	free(r->chunk);
	r->chunk = NULL;
}

int
results_fd(struct results *r)
{
	r->fd_given = true;
	return r->table_fd >= 0 ? r->table_fd : STDOUT_FILENO;
}

bool
results_active(const struct results *r)
{
	return r->kind != RESULTS_NONE;
}

/* Write text[0..len) (text may be NULL) and all sp holds (sp may be
 * NULL) to fd, then close it.  0, or -1/errno (a failed close too). */
static int
fill_and_close(struct results *r, int fd, struct spool *sp, const char *text,
               size_t len)
{
	long n = 0;
	int err;

	if (text != NULL && io_write_all(fd, text, len) == -1)
		n = -1;
	while (sp != NULL && n != -1 &&
	       (n = spool_send(r->spill, sp, fd, IO_CHUNK, SPOOL_COPY, r->chunk,
	                       IO_CHUNK)) > 0)
		;
	err = errno;
	if (close(fd) == -1 && n != -1) {
		err = errno;
		n = -1;
	}
	errno = err;
	return n == -1 ? -1 : 0;
}

/* A file could not be written whole: what went into it (file tmp) goes
 * back in front of what sp still holds, so the job's output is not lost,
 * and the file is removed. */
static void
take_back(struct results *r, const char *tmp, struct spool *sp)
{
	struct spool back;
	ssize_t n = 0;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);

	spool_reset(r->spill, &r->row, 0);
	while (fd >= 0 && (n = io_read(fd, r->chunk, IO_CHUNK)) > 0 &&
	       spool_add(r->spill, &r->row, r->chunk, (size_t)n) == 0)
		;
	if (fd >= 0)
		(void)close(fd);
	(void)unlink(tmp);
	if (spool_join(r->spill, &r->row, sp) == -1)
		return; /* out of memory: sp keeps what it has */
	back = *sp;
	*sp = r->row;
	r->row = back;
}

/*
 * Write text[0..len) and all sp holds (sp may be NULL) into file path:
 * into path.pmapf-tmp first, renamed to path once whole, so a file under
 * its own name is always complete (--resume trusts it).  0; or -1/errno,
 * with nothing left behind and sp holding its bytes again.
 */
static int
write_file(struct results *r, const char *path, struct spool *sp,
           const char *text, size_t len)
{
	struct buf tmp = BUF_INIT;
	int fd, err, rc = -1;

	if (buf_printf(&tmp, "%s.pmapf-tmp", path) == -1)
		return -1;
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0 && fill_and_close(r, fd, sp, text, len) == 0 &&
	    rename(tmp.data, path) == 0)
		rc = 0;
	err = errno;
	if (rc == -1 && fd >= 0) {
		if (sp != NULL)
			take_back(r, tmp.data, sp);
		else
			(void)unlink(tmp.data);
	}
	buf_free(&tmp);
	errno = err;
	return rc;
}

/* A fresh file in $TMPDIR for --files: its name into r->path.  On
 * failure it is removed and sp holds its bytes again. */
static int
temp_file(struct results *r, struct spool *sp)
{
	int fd, err;

	buf_reset(&r->path);
	if (buf_printf(&r->path, "%s/pmapf.XXXXXX", r->spill->dir) == -1)
		return -1;
	fd = mkstemp(r->path.data);
	if (fd == -1)
		return -1;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		err = errno;
		(void)close(fd);
		(void)unlink(r->path.data);
		errno = err;
		return -1;
	}
	if (fill_and_close(r, fd, sp, NULL, 0) == 0)
		return 0;
	err = errno;
	take_back(r, r->path.data, sp);
	errno = err;
	return -1;
}

/* The job's values, at most RESULTS_MAX_VALUES of them. */
static size_t
job_vals(const struct job *j, const char **v, size_t *len)
{
	struct job_values it;
	size_t n = 0;

	if (j->block)
		return 0; /* a --pipe block: no value */
	job_values_from(j, 0, &it);
	while (n < RESULTS_MAX_VALUES && job_values_next(&it, &v[n], &len[n]))
		n++;
	return n;
}

/* Name i of the NUL-separated names. */
static const char *
name_at(const char *names, size_t i, size_t *len)
{
	const char *p = names;

	while (i-- > 0)
		p += strlen(p) + 1;
	*len = strlen(p);
	return p;
}

/* The tree: root/name/value/name/value.../ for each record of the job,
 * columns in GNU's order (numbers, or --header names sorted). */
static int
tree_path(struct results *r, const struct job *j, const char *names,
          size_t nnames)
{
	const char **v = r->v, **nm = r->nm;
	size_t *len = r->vlen, *order = r->order, *nmlen = r->nmlen;
	size_t n = job_vals(j, v, len), ncols;

	if (j->block) {
		/* A --pipe block: its number stands for a value, so each
		 * block has files of its own (DIR/1/3/stdout). */
		len[0] = (size_t)snprintf(r->block_seq, sizeof r->block_seq,
		                          "%llu", (unsigned long long)j->seq);
		v[0] = r->block_seq;
		n = 1;
	}
	ncols =
	    j->ntuples > 1 && j->nrec >= j->ntuples ? j->nrec / j->ntuples : n;
	if (ncols == 0)
		ncols = 1;
	if (ncols > RESULTS_MAX_VALUES)
		ncols = RESULTS_MAX_VALUES;
	for (size_t c = 0; c < ncols; c++) {
		nm[c] = NULL;
		nmlen[c] = 0;
		if (names != NULL && c < nnames)
			nm[c] = name_at(names, c, &nmlen[c]);
	}
	buf_reset(&r->path);
	if (buf_appends(&r->path, r->dir) == -1)
		return -1;
	for (size_t base = 0; base < n; base += ncols) {
		size_t k = n - base < ncols ? n - base : ncols;

		/* Columns with --header names first, sorted; the rest (by
		 * number) as they come. */
		for (size_t c = 0; c < k; c++)
			order[c] = c;
		if (names != NULL)
			resultfmt_name_order(nm, nmlen, k < nnames ? k : nnames,
			                     order);
		for (size_t c = 0; c < k; c++) {
			size_t col = order[c];

			if (buf_appendc(&r->path, '/') == -1 ||
			    (nm[col] != NULL
			         ? resultfmt_dirname(&r->path, nm[col],
			                             nmlen[col])
			         : buf_printf(&r->path, "%zu", col + 1)) ==
			        -1 ||
			    buf_appendc(&r->path, '/') == -1 ||
			    resultfmt_dirname(&r->path, v[base + col],
			                      len[base + col]) == -1)
				return -1;
		}
	}
	return buf_appendc(&r->path, '/');
}

/* Move what r->text holds into the row being made (so a row as big as
 * its job's output is held as output is: spilled past the budget). */
static int
text_to_row(struct results *r)
{
	int rc = spool_add(r->spill, &r->row, r->text.data, r->text.len);

	buf_reset(&r->text);
	return rc;
}

/* The stdout or stderr text of a row, taken out of sp. */
static int
row_body(struct results *r, struct spool *sp, bool quoted)
{
	struct resultfmt_json st = {{0}, 0};
	long n;

	while ((n = spool_take(r->spill, sp, r->chunk, IO_CHUNK)) > 0) {
		int rc = r->fmt == RESULTFMT_JSON
		             ? resultfmt_json_body(&r->text, &st, r->chunk,
		                                   (size_t)n, false)
		         : quoted
		             ? resultfmt_csv_body(&r->text, r->chunk, (size_t)n)
		             : buf_append(&r->text, r->chunk, (size_t)n);
		if (rc == -1 ||
		    (r->text.len >= IO_CHUNK && text_to_row(r) == -1))
			return -1;
	}
	if (n == -1)
		return -1;
	return r->fmt == RESULTFMT_JSON
	           ? resultfmt_json_body(&r->text, &st, NULL, 0, true)
	           : 0;
}

/* CSV/TSV: does sp's text need quotes?  Spilled output (megabytes) is
 * quoted without looking: a quoted field reads the same. */
static bool
body_quoted(const struct results *r, const struct spool *sp)
{
	if (r->fmt == RESULTFMT_JSON)
		return false;
	if (spool_spilled(sp))
		return true;
	if (sp->mem.data == NULL)
		return false; /* nothing held */
	return resultfmt_csv_needs_quotes(sp->mem.data + sp->mem_off,
	                                  sp->mem.len - sp->mem_off,
	                                  r->fmt == RESULTFMT_TSV ? '\t' : ',');
}

/* The job as a table row, in place of its output. */
static int
table_row(struct results *r, struct job *j, const char *names, size_t nnames,
          double now, struct buf *first)
{
	struct resultfmt_row row;
	bool oq = body_quoted(r, &j->out), eq = body_quoted(r, &j->err);

	/* The joblog's numbers, as GNU parallel's table has them. */
	job_log_fields(j, now, &row.log);
	row.vals = r->v;
	row.val_lens = r->vlen;
	row.nvals = job_vals(j, r->v, r->vlen);
	if (!r->header_done) {
		/* GNU parallel's: V1..Vn, or the --header names, for a full
		 * job's values (the first to end may be a short last one). */
		size_t cols = j->ntuples > 1 ? j->nrec / j->ntuples : j->nrec;
		size_t nv = cols * r->per_job > row.nvals ? cols * r->per_job
		                                          : row.nvals;

		if (nv > RESULTS_MAX_VALUES)
			nv = RESULTS_MAX_VALUES;
		for (size_t i = 0; names != NULL && i < nv; i++) {
			r->nm[i] = "";
			r->nmlen[i] = 0;
			if (i < nnames)
				r->nm[i] = name_at(names, i, &r->nmlen[i]);
		}
		if (resultfmt_header(first, r->fmt,
		                     names != NULL ? r->nm : NULL, r->nmlen,
		                     nv) == -1)
			return -1;
		r->header_done = true;
		r->header_vals = nv;
	}
	/* A short job's row keeps the header's columns. */
	while (r->fmt != RESULTFMT_JSON && row.nvals < r->header_vals) {
		r->v[row.nvals] = "";
		r->vlen[row.nvals++] = 0;
	}
	spool_reset(r->spill, &r->row, 0);
	buf_reset(&r->text);
	if (resultfmt_row_head(&r->text, r->fmt, &row, oq) == -1 ||
	    row_body(r, &j->out, oq) == -1 ||
	    resultfmt_row_middle(&r->text, r->fmt, oq, eq) == -1 ||
	    row_body(r, &j->err, eq) == -1 ||
	    resultfmt_row_tail(&r->text, r->fmt, eq) == -1 ||
	    text_to_row(r) == -1)
		return -1;
	spool_reset(r->spill, &j->out, 0);
	spool_reset(r->spill, &j->err, 0);
	return spool_join(r->spill, &j->out, &r->row);
}

/* Its files could not be written: said after its stderr, and its
 * output, kept whole, goes to stdout and stderr instead. */
static int
put_failed(struct results *r, struct job *j, const char *path)
{
	int err = errno, rc;
	struct buf shown = BUF_INIT;
	size_t n = strlen(path);

	r->failed = true;
	if (msg_quote_record(&shown, path, n, n) == -1)
		return -1;
	rc = job_note(r->spill, j, "%s: cannot write %s: %s",
	              r->kind == RESULTS_FILES ? "--files" : "--results",
	              shown.data, strerror(err));
	buf_free(&shown);
	return rc;
}

/* A tree or path: seq, stdout and stderr, in files named after prefix
 * (a directory ending in /: seq, stdout, stderr; else prefix, .err and
 * .seq); stdout last, so that its file says the job's files are all
 * there.  The stdout file's name is left in r->path. */
static int
write_files(struct results *r, struct job *j)
{
	bool dir = r->path.len > 0 && r->path.data[r->path.len - 1] == '/';
	size_t base = r->path.len, slash;
	char seq[24];
	int n = snprintf(seq, sizeof seq, "%llu", (unsigned long long)j->seq);

	for (slash = base; slash > 0 && r->path.data[slash - 1] != '/'; slash--)
		;
	if (slash > 1 && make_dirs(r->path.data, slash - 1) == -1)
		return -1;
	if (buf_appends(&r->path, dir ? "seq" : ".seq") == -1 ||
	    write_file(r, r->path.data, NULL, seq, (size_t)n) == -1)
		return -1;
	r->path.len = base;
	if (buf_appends(&r->path, dir ? "stderr" : ".err") == -1 ||
	    write_file(r, r->path.data, &j->err, NULL, 0) == -1)
		return -1;
	r->path.len = base;
	if ((dir && buf_appends(&r->path, "stdout") == -1) ||
	    buf_appendc(&r->path, '\0') == -1)
		return -1;
	r->path.len--;
	return write_file(r, r->path.data, &j->out, NULL, 0);
}

/* The tree's or the path's name for j into r->path.  0 or -1 (EINVAL: a
 * value holds a NUL byte). */
static int
job_path(struct results *r, const struct job *j, struct command *c,
         const char *names, size_t nnames)
{
	return command_path_varies(c) ? command_path(c, j, &r->path)
	                              : tree_path(r, j, names, nnames);
}

bool
results_done(struct results *r, const struct job *j, struct command *c,
             const char *names, size_t nnames)
{
	struct stat st;
	bool dir;

	if (r->kind != RESULTS_TREE || job_path(r, j, c, names, nnames) == -1 ||
	    r->path.len == 0)
		return false;
	dir = r->path.data[r->path.len - 1] == '/';
	if (dir && buf_appends(&r->path, "stdout") == -1)
		return false;
	return stat(r->path.data, &st) == 0;
}

int
results_put(struct results *r, struct job *j, struct command *c,
            const char *names, size_t nnames, double now, struct buf *first)
{
	int rc;

	if (r->kind == RESULTS_NONE || j->t.how == JOB_DRY)
		return 0;
	if (r->kind == RESULTS_TABLE)
		return table_row(r, j, names, nnames, now, first);
	if (r->kind == RESULTS_FILES) {
		if (temp_file(r, &j->out) == -1)
			return put_failed(r, j, r->path.data);
	} else {
		rc = job_path(r, j, c, names, nnames);
		if (rc == -1 && errno == EINVAL)
			return job_note(r->spill, j,
			                "--results: a value holds a NUL byte");
		if (rc == -1)
			return -1;
		if (write_files(r, j) == -1)
			return put_failed(r, j, r->path.data);
		if (!r->files)
			return 0;
	}
	spool_reset(r->spill, &j->out, 0);
	return spool_add(r->spill, &j->out, r->path.data, r->path.len) == -1 ||
	               spool_add(r->spill, &j->out, "\n", 1) == -1
	           ? -1
	           : 0;
}
