/* --pipe-part: files cut into blocks by offsets (see parts.h). */
#include "config.h"

#include "parts.h"
#include "parts_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "jobin.h"
#include "msg.h"

/* The longest --header, as with --pipe. */
#define HEADER_MAX (16u << 20)
/* Files kept open at once. */
#define FILES_OPEN_MAX 8
/* Bytes asked of one splice: a full job pipe is 1 MiB. */
#define SPLICE_CHUNK (4u << 20)

const char *
parts_shown_name(const struct parts_file *f)
{
	return strcmp(f->name, "-") == 0 ? "standard input" : f->name;
}

/* pread(2) retried on EINTR. */
ssize_t
parts_read_at(int fd, char *p, size_t n, uint64_t at)
{
	ssize_t r;

	do
		r = pread(fd, p, n, (off_t)at);
	while (r == -1 && errno == EINTR);
	return r;
}

/* Where f's bytes end, and where reading it begins (stdin may have been
 * read partly by whoever gave it): -1 if it cannot be cut by offsets. */
static int
measure(struct parts_file *f)
{
	struct stat st;
	off_t at = 0, end;

	if (fstat(f->fd, &st) == -1) {
		msg_warn_errno("--pipe-part: cannot look at %s",
		               parts_shown_name(f));
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		msg_warn("--pipe-part: %s is not a regular file or a block "
		         "device, so it cannot be cut by offsets (--pipe reads "
		         "it as a stream)",
		         parts_shown_name(f));
		return -1;
	}
	if ((!f->ours && (at = lseek(f->fd, 0, SEEK_CUR)) == -1) ||
	    (end = S_ISREG(st.st_mode) ? st.st_size
	                               : lseek(f->fd, 0, SEEK_END)) == -1) {
		msg_warn_errno("--pipe-part: cannot seek in %s",
		               parts_shown_name(f));
		return -1;
	}
	/* (SEEK_END moved stdin's shared offset: put it back.) */
	if (!S_ISREG(st.st_mode) && !f->ours)
		(void)lseek(f->fd, at, SEEK_SET);
	f->header_at = f->from = (uint64_t)at;
	f->size = end > at ? (uint64_t)end : (uint64_t)at;
	return 0;
}

/* f's descriptor, opened again if it was closed: a few files are kept
 * open at once (the least lately used one closes for another), so any
 * number of them can be cut.  -1: said. */
int
parts_file_fd(struct parts *p, struct parts_file *f)
{
	size_t i, lru = SIZE_MAX;

	f->used = ++p->tick;
	if (f->fd >= 0)
		return f->fd;
	for (i = 0; p->nopen >= FILES_OPEN_MAX && i < p->nfiles; i++)
		if (p->files[i].ours && p->files[i].fd >= 0 &&
		    (lru == SIZE_MAX || p->files[i].used < p->files[lru].used))
			lru = i;
	if (lru != SIZE_MAX) {
		(void)close(p->files[lru].fd);
		p->files[lru].fd = -1;
		p->nopen--;
	}
	/* (Non-blocking: a FIFO's open would wait for a writer.) */
	f->fd = open(f->name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd == -1) {
		msg_warn_errno("--pipe-part: cannot open %s", f->name);
		return -1;
	}
	p->nopen++;
	return f->fd;
}

/* --header: its first `lines` lines, from where f begins. */
static int
find_header(struct parts *p, struct parts_file *f, unsigned lines)
{
	uint64_t at = f->from;
	int fd = parts_file_fd(p, f);

	if (fd == -1)
		return -1;
	while (lines > 0 && at < f->size) {
		ssize_t n = parts_read_at(fd, p->chunk, IO_CHUNK, at);
		const char *q = p->chunk, *nl;

		if (n == -1) {
			msg_warn_errno("error reading %s", parts_shown_name(f));
			return -1;
		}
		if (n == 0)
			break;
		while (lines > 0 &&
		       (nl = memchr(q, '\n', (size_t)(p->chunk + n - q))) !=
		           NULL) {
			q = nl + 1;
			lines--;
		}
		at += lines > 0 ? (uint64_t)n : (uint64_t)(q - p->chunk);
		if (at - f->from > HEADER_MAX) {
			msg_warn("the --header lines of %s are longer than %u "
			         "MiB",
			         parts_shown_name(f), HEADER_MAX >> 20);
			return -1;
		}
	}
	if (lines > 0)
		at = f->from; /* the file ended inside it: as GNU parallel,
		                 there is none, and every byte is a record's */
	if (at > f->size)
		at = f->size;
	f->header_len = at - f->from;
	f->from = at;
	return 0;
}

static int
open_file(struct parts *p, struct parts_file *f, const char *name,
          unsigned header)
{
	f->name = name;
	f->ours = strcmp(name, "-") != 0;
	f->fd = f->ours ? -1 : STDIN_FILENO;
	if (parts_file_fd(p, f) == -1 || measure(f) == -1 ||
	    find_header(p, f, header) == -1)
		return -1;
	p->bytes_total += f->size - f->from;
	return 0;
}

static void
record_end(struct parts *p, const struct pmapf_opts *o)
{
	if (o->recend == NULL && o->recstart == NULL) {
		p->pat[0] = (char)o->delim;
		p->pat_len = p->recend_len = 1;
		return;
	}
	p->recend_len = o->recend != NULL ? o->recend_len : 0;
	memcpy(p->pat, o->recend != NULL ? o->recend : "", p->recend_len);
	memcpy(p->pat + p->recend_len, o->recstart != NULL ? o->recstart : "",
	       o->recstart != NULL ? o->recstart_len : 0);
	p->pat_len = p->recend_len + (o->recstart ? o->recstart_len : 0);
}

/* {##}: every cut is found now, so that the number of jobs is known
 * before the first starts, as GNU parallel cuts its files up front.  Only
 * then: each cut costs a read near it, done again as its job is made. */
static int
count_blocks(struct parts *p)
{
	uint64_t at, to;
	size_t i;

	for (i = 0; i < p->nfiles; i++)
		for (at = p->files[i].from; at < p->files[i].size; at = to) {
			if (parts_cut_after(p, &p->files[i], at, &to) == -1)
				return -1;
			p->blocks_total++;
		}
	p->counted = true;
	return 0;
}

int
parts_open(struct parts *p, const struct pmapf_opts *o,
           struct spool_file *spill)
{
	size_t i, n = o->nsources > 0 ? o->nsources : 1;

	memset(p, 0, sizeof *p);
	if ((p->chunk = malloc(IO_CHUNK + 1)) == NULL ||
	    (p->files = calloc(n, sizeof *p->files)) == NULL) {
		msg_warn("out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		p->files[i].fd = -1;
		p->nfiles++;
		if (open_file(p, &p->files[i],
		              o->nsources > 0 ? o->sources[i].file : "-",
		              o->pipe_header) == -1)
			return -1;
	}
	record_end(p, o);
	p->block = o->block_size;
	/* --block -n: n blocks for each job slot, as GNU parallel sizes
	 * them. */
	if (o->blocks_per_slot > 0)
		p->block = 1 + p->bytes_total / o->jobs / o->blocks_per_slot;
	p->next = p->files[0].from;
	p->spill = spill;
	/* (--cat: the caller says where its block files go.) */
	p->to_dir = NULL;
	/* --rrs: each block is read through the filter into its job's
	 * spool. */
	p->rrs_on = o->pipe_rrs;
	rrs_init(&p->rrs, p->pat, p->recend_len, p->pat + p->recend_len,
	         p->pat_len - p->recend_len);
	p->delim = (char)o->delim;
	if (o->pipe_regexp) {
		const char *what, *why;
		char nl[8];

		(void)snprintf(nl, sizeof nl, "\\x%02x",
		               (unsigned char)o->delim);
		if (recre_init(&p->re,
		               o->recend != NULL     ? o->recend
		               : o->recstart != NULL ? ""
		                                     : nl,
		               o->recstart, &what, &why) == -1) {
			msg_warn("%s: %s", what, why);
			return -1;
		}
		p->regexp = true;
	}
	if (o->group_by) {
		if (colkey_init(&p->key, "--group-by", o->group_col, NULL,
		                o->colsep) == -1)
			return -1;
		p->grouped = true;
	}
#ifndef HAVE_SPLICE
	p->no_splice = true;
#endif
	return o->needs_total ? count_blocks(p) : 0;
}

void
parts_close(struct parts *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++)
		if (p->files[i].ours && p->files[i].fd >= 0)
			(void)close(p->files[i].fd);
	p->nopen = 0;
	free(p->files);
	p->files = NULL;
	p->nfiles = 0;
	free(p->chunk);
	p->chunk = NULL;
	if (p->grouped)
		colkey_free(&p->key);
	p->grouped = false;
	buf_free(&p->win);
	rrs_free(&p->rrs);
	buf_free(&p->filtered);
	if (p->regexp)
		recre_free(&p->re);
	p->regexp = false;
}

/* The file being cut has a block left, moving on to the next file when
 * it has none. */
static bool
advance(struct parts *p)
{
	while (p->at < p->nfiles && p->next >= p->files[p->at].size) {
		if (++p->at < p->nfiles)
			p->next = p->files[p->at].from;
	}
	return p->at < p->nfiles;
}

/* Up to n bytes of fd from at into the file out (--cat), copied in
 * the kernel where it can be. */
static ssize_t
copy_out(struct parts *p, int fd, uint64_t at, int out, uint64_t n)
{
	size_t want = n < SPLICE_CHUNK ? (size_t)n : SPLICE_CHUNK;
	ssize_t r;

#ifdef HAVE_COPY_FILE_RANGE
	off_t off = (off_t)at;

	do
		r = copy_file_range(fd, &off, out, NULL, want, 0);
	while (r == -1 && errno == EINTR);
	if (r != -1 || (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
	                errno != EOPNOTSUPP))
		return r;
#endif
	if (want > IO_CHUNK)
		want = IO_CHUNK;
	if ((r = parts_read_at(fd, p->chunk, want, at)) <= 0)
		return r;
	return io_write_all(out, p->chunk, (size_t)r) == -1 ? -1 : r;
}

/* Up to n bytes of fd from at into the pipe out: as splice(2) says. */
static ssize_t
move(struct parts *p, int fd, uint64_t at, int out, uint64_t n)
{
	size_t want = n < SPLICE_CHUNK ? (size_t)n : SPLICE_CHUNK;
	ssize_t r;

#ifdef HAVE_SPLICE
	if (!p->no_splice) {
		loff_t off = (loff_t)at;

		do
			r = splice(fd, &off, out, NULL, want,
			           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		while (r == -1 && errno == EINTR);
		if (r != -1 || (errno != EINVAL && errno != ENOSYS))
			return r;
		p->no_splice = true; /* a file system without it */
	}
#endif
	/* What the pipe does not take is read again next time. */
	if (want > IO_CHUNK)
		want = IO_CHUNK;
	if ((r = parts_read_at(fd, p->chunk, want, at)) <= 0)
		return r;
	do
		r = write(out, p->chunk, (size_t)r);
	while (r == -1 && errno == EINTR);
	return r;
}

/* --rrs: j's header, and its block with the separators out, into its
 * stdin's spool, to be sent from there. */
static int
filter_range(struct parts *p, struct job *j)
{
	struct parts_file *f = &p->files[j->part_file];
	uint64_t at = j->part_from;
	int rc = 0, fd = parts_file_fd(p, f);

	if (fd == -1)
		return -1;
	spool_reset(p->spill, &j->in, 0);
	rrs_begin(&p->rrs);
	buf_reset(&p->filtered);
	if (f->header_len > 0 &&
	    (buf_reserve(&p->filtered, (size_t)f->header_len) == -1 ||
	     parts_read_at(fd, p->filtered.data, (size_t)f->header_len,
	                   f->header_at) != (ssize_t)f->header_len))
		rc = -1;
	else
		p->filtered.len = (size_t)f->header_len;
	while (rc == 0 && at < j->part_to) {
		uint64_t want = j->part_to - at;
		ssize_t n = parts_read_at(
		    fd, p->chunk, want < IO_CHUNK ? (size_t)want : IO_CHUNK,
		    at);

		if (n <= 0 ||
		    rrs_filter(&p->rrs, p->chunk, (size_t)n, &p->filtered) ==
		        -1 ||
		    spool_add(p->spill, &j->in, p->filtered.data,
		              p->filtered.len) == -1)
			rc = -1;
		buf_reset(&p->filtered);
		at += n > 0 ? (uint64_t)n : 0;
	}
	if (rc == 0 && (rrs_end(&p->rrs, &p->filtered) == -1 ||
	                spool_add(p->spill, &j->in, p->filtered.data,
	                          p->filtered.len) == -1))
		rc = -1;
	if (rc == -1)
		msg_warn_errno("--rrs: cannot read a block of %s",
		               parts_shown_name(f));
	j->route.in_whole = true;
	return rc;
}

/* --cat: j's header and block, copied into its file (in the kernel
 * where it can; --rrs: from its spool).  Its joblog Send is their
 * size. */
static int
to_file(struct parts *p, struct job *j)
{
	struct parts_file *f = &p->files[j->part_file];
	uint64_t at[2] = {f->header_at, j->part_from};
	uint64_t len[2] = {f->header_len, j->part_to - j->part_from};
	int src = parts_file_fd(p, f), fd, rc = 0;
	long got;

	if (src == -1)
		return -1;
	if ((fd = job_block_file(j, p->to_dir)) == -1) {
		msg_warn_errno("--cat: cannot make a temporary file in %s",
		               p->to_dir);
		return -1;
	}
	while (p->rrs_on && rc == 0 &&
	       (got = spool_take(p->spill, &j->in, p->chunk, IO_CHUNK)) != 0)
		if (got < 0 || io_write_all(fd, p->chunk, (size_t)got) == -1) {
			msg_warn_errno("--cat: cannot write a block to %s",
			               j->rec.data);
			rc = -1;
		} else {
			j->route.sent += (uint64_t)got;
		}
	for (int i = 0; !p->rrs_on && i < 2 && rc == 0; i++)
		while (rc == 0 && len[i] > 0) {
			ssize_t n = copy_out(p, src, at[i], fd, len[i]);

			if (n <= 0) {
				msg_warn_errno(n == 0 ? "--cat: %s ended early"
				                      : "--cat: cannot copy a "
				                        "block of %s to %s",
				               parts_shown_name(f),
				               j->rec.data);
				rc = -1;
			}
			at[i] += (uint64_t)n;
			len[i] -= (uint64_t)n;
			j->route.sent += (uint64_t)n;
		}
	if (close(fd) == -1 && rc == 0) {
		msg_warn_errno("--cat: cannot write a block to %s",
		               j->rec.data);
		rc = -1;
	}
	return rc;
}

struct job *
parts_next_job(struct parts *p, struct job_cache *cache, uint64_t seq,
               bool *failed)
{
	struct job *j;
	uint64_t to;

	if (!advance(p))
		return NULL;
	if (parts_cut_after(p, &p->files[p->at], p->next, &to) == -1) {
		*failed = true;
		return NULL;
	}
	if ((j = job_new_block(cache, seq)) == NULL) {
		msg_warn("out of memory");
		*failed = true;
		return NULL;
	}
	j->part_file = p->at;
	j->part_from = p->next;
	j->part_to = to;
	p->next = to;
	p->blocks_made++;
	if ((p->fifos != NULL && fifos_make(p->fifos, j) == -1) ||
	    (p->rrs_on && filter_range(p, j) == -1) ||
	    (p->to_dir != NULL && to_file(p, j) == -1)) {
		job_recycle(cache, j);
		*failed = true;
		return NULL;
	}
	return j;
}

int
parts_send(struct parts *p, struct job *j)
{
	struct parts_file *f = &p->files[j->part_file];
	uint64_t head = f->header_len;
	uint64_t len = head + (j->part_to - j->part_from);
	int fd = -1;

	j->route.in_full = false;
	if (p->rrs_on)
		return jobin_send(p->spill, j, p->chunk, IO_CHUNK);
	if (j->route.in_fd >= 0 && j->route.sent < len &&
	    (fd = parts_file_fd(p, f)) == -1)
		return -1;
	while (j->route.in_fd >= 0 && j->route.sent < len) {
		bool in_head = j->route.sent < head;
		uint64_t at = in_head ? f->header_at + j->route.sent
		                      : j->part_from + (j->route.sent - head);
		ssize_t n = move(p, fd, at, j->route.in_fd,
		                 (in_head ? head : len) - j->route.sent);

		if (n > 0) {
			j->route.sent += (uint64_t)n;
			/* (A block is counted once, not again when retried.) */
			if (!in_head && j->attempt == 0)
				p->bytes_sent += (uint64_t)n;
		} else if (n == -1 && errno == EAGAIN) {
			j->route.in_full = true;
			jobin_full(j, io_now());
			return 0;
		} else if (n == -1 && errno == EPIPE) {
			/* It closed its stdin: the rest is not for it. */
			j->route.in_gone = true;
			break;
		} else if (n == 0) {
			if (!p->shrunk_said)
				msg_warn("%s is shorter than when pmapf began: "
				         "a block ended early",
				         parts_shown_name(f));
			p->shrunk_said = true;
			break;
		} else {
			msg_warn_errno("error reading %s", parts_shown_name(f));
			job_close_in(j);
			return -1;
		}
	}
	job_end_input(j);
	return 0;
}

void
parts_forget(struct parts *p, struct job *j)
{
	const struct parts_file *f = &p->files[j->part_file];
	uint64_t len = j->part_to - j->part_from, head = f->header_len;
	uint64_t counted =
	    p->rrs_on || j->route.sent <= head ? 0 : j->route.sent - head;

	job_close_in(j);
	/* Its block is done with (what a job did not read is taken all the
	 * same), so the bytes taken reach the total at the end. */
	if (j->attempt == 0 &&
	    (j->t.pid > 0 || j->route.sent > 0 || j->end.skipped))
		p->bytes_sent += len > counted ? len - counted : 0;
}

int
parts_retry(struct parts *p, struct job *j)
{
	/* A range is sent from the file again; --rrs's is filtered again. */
	return p->rrs_on ? filter_range(p, j) : 0;
}

bool
parts_total(const struct parts *p, uint64_t *n)
{
	*n = p->blocks_total;
	return p->counted;
}

bool
parts_done(const struct parts *p)
{
	size_t i;

	if (p->at >= p->nfiles)
		return true;
	if (p->next < p->files[p->at].size)
		return false;
	for (i = p->at + 1; i < p->nfiles; i++)
		if (p->files[i].from < p->files[i].size)
			return false;
	return true;
}
