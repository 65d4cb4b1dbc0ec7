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

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
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
		if (mkdir(path, 0777) == -1 &&
		    (errno != EEXIST || stat(path, &st) == -1 ||
		     !S_ISDIR(st.st_mode))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			path[i] = keep;
			return -1;
		}
		path[i] = keep;
	}
	return 0;
}

bool
results_is_table(const char *name)
{
	return has_suffix(name, ".csv") || has_suffix(name, ".tsv") ||
	       has_suffix(name, ".json");
}

int
results_init(struct results *r, const struct pmapf_opts *o,
             struct spool_file *spill)
{
	memset(r, 0, sizeof *r);
	r->table_fd = -1;
	r->spill = spill;
	r->files = o->files;
	if (o->dry_run || (o->results == NULL && !o->files))
		return 0;
	if (o->results == NULL) {
		r->kind = RESULTS_FILES;
		return 0;
	}
	if (results_is_table(o->results)) {
		r->kind = RESULTS_TABLE;
		r->fmt = has_suffix(o->results, ".csv")   ? RESULTFMT_CSV
		         : has_suffix(o->results, ".tsv") ? RESULTFMT_TSV
		                                          : RESULTFMT_JSON;
		if (strcasecmp(o->results, "-.csv") == 0 ||
		    strcasecmp(o->results, "-.tsv") == 0 ||
		    strcasecmp(o->results, "-.json") == 0)
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
	if (r->table_fd >= 0)
		(void)close(r->table_fd);
	r->table_fd = -1;
	buf_free(&r->path);
	buf_free(&r->text);
	if (r->spill != NULL)
		spool_free(r->spill, &r->row);
}

int
results_fd(const struct results *r)
{
	return r->table_fd >= 0 ? r->table_fd : STDOUT_FILENO;
}

bool
results_active(const struct results *r)
{
	return r->kind != RESULTS_NONE;
}

/* Write everything sp holds into file path (made or emptied), leaving sp
 * empty.  0, or -1/errno. */
static int
write_file(struct results *r, const char *path, struct spool *sp,
           const char *text, size_t len)
{
	int fd, err;
	long n = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd == -1)
		return -1;
	if (text != NULL && io_write_all(fd, text, len) == -1)
		n = -1;
	while (sp != NULL && n != -1 &&
	       (n = spool_send(r->spill, sp, fd, sizeof r->chunk, r->chunk,
	                       sizeof r->chunk)) > 0)
		;
	err = errno;
	if (close(fd) == -1 && n != -1) {
		err = errno;
		n = -1;
	}
	errno = err;
	return n == -1 ? -1 : 0;
}

/* A fresh file in $TMPDIR for --files: its name into r->path. */
static int
temp_file(struct results *r, struct spool *sp)
{
	int fd, err;
	long n;

	buf_reset(&r->path);
	if (buf_printf(&r->path, "%s/pmapf.XXXXXX", r->spill->dir) == -1)
		return -1;
	fd = mkstemp(r->path.data);
	if (fd == -1)
		return -1;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	while ((n = spool_send(r->spill, sp, fd, sizeof r->chunk, r->chunk,
	                       sizeof r->chunk)) > 0)
		;
	err = errno;
	if (close(fd) == -1 && n != -1) {
		err = errno;
		n = -1;
	}
	errno = err;
	return n == -1 ? -1 : 0;
}

/* The job's values, at most RESULTS_MAX_VALUES of them. */
static size_t
job_vals(const struct job *j, const char **v, size_t *len)
{
	struct job_values it;
	size_t n = 0;

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

		if (names != NULL) {
			resultfmt_name_order(nm, nmlen, k < nnames ? k : nnames,
			                     order);
			for (size_t c = nnames; c < k; c++)
				order[c] = c;
		} else {
			for (size_t c = 0; c < k; c++)
				order[c] = c;
		}
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

	while ((n = spool_take(r->spill, sp, r->chunk, sizeof r->chunk)) > 0) {
		int rc = r->fmt == RESULTFMT_JSON
		             ? resultfmt_json_body(&r->text, &st, r->chunk,
		                                   (size_t)n, false)
		         : quoted
		             ? resultfmt_csv_body(&r->text, r->chunk, (size_t)n)
		             : buf_append(&r->text, r->chunk, (size_t)n);
		if (rc == -1 ||
		    (r->text.len >= sizeof r->chunk && text_to_row(r) == -1))
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

	row.seq = j->seq;
	row.start = j->t.start_wall > 0 ? j->t.start_wall : io_wallclock();
	row.runtime = j->t.started > 0 ? now - j->t.started : 0;
	row.received = spool_len(&j->out) + j->t.taken;
	row.exitval = j->end.exitval;
	row.signal = j->end.signal;
	row.command = j->cmd.data != NULL ? j->cmd.data : "";
	row.command_len = j->cmd.len;
	row.vals = r->v;
	row.val_lens = r->vlen;
	row.nvals = job_vals(j, r->v, r->vlen);
	if (!r->header_done) {
		/* GNU parallel's: V1..Vn for the first job's values, or the
		 * --header names. */
		for (size_t i = 0; names != NULL && i < row.nvals; i++) {
			r->nm[i] = "";
			r->nmlen[i] = 0;
			if (i < nnames)
				r->nm[i] = name_at(names, i, &r->nmlen[i]);
		}
		if (resultfmt_header(first, r->fmt,
		                     names != NULL ? r->nm : NULL, r->nmlen,
		                     row.nvals) == -1)
			return -1;
		r->header_done = true;
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

/* Its files could not be written: said in place of its stderr. */
static int
put_failed(struct results *r, struct job *j, const char *path)
{
	int err = errno;

	r->failed = true;
	spool_reset(r->spill, &j->out, 0);
	spool_reset(r->spill, &j->err, 0);
	return job_note(r->spill, j, "--results: cannot write '%s': %s", path,
	                strerror(err));
}

/* A tree or path: seq, stdout and stderr, in files named after prefix
 * (a directory ending in /: seq, stdout, stderr; else prefix, .err and
 * .seq).  The stdout file's name is left in r->text. */
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

	if ((r->kind != RESULTS_TREE) ||
	    job_path(r, j, c, names, nnames) == -1 || r->path.len == 0)
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
		spool_reset(r->spill, &j->out, 0);
		if (!r->files)
			return 0;
	}
	spool_reset(r->spill, &j->out, 0);
	return spool_add(r->spill, &j->out, r->path.data, r->path.len) == -1 ||
	               spool_add(r->spill, &j->out, "\n", 1) == -1
	           ? -1
	           : 0;
}
