#include "config.h"

#include "timeline.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "joblog.h"
#include "timeline_layout.h"
#include "timeline_svg.h"

/* collecting */

void
timeline_init(struct timeline *t)
{
	struct timeline empty = TIMELINE_INIT;

	*t = empty;
}

int
timeline_add(struct timeline *t, const struct timeline_job *job)
{
	struct timeline_entry *e;
	size_t keep = job->record_len, cap;

	if (!isfinite(job->start) || !isfinite(job->end) ||
	    job->end < job->start || (unsigned)job->outcome > 4) {
		errno = EINVAL;
		return -1;
	}
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 256;
		if (cap > SIZE_MAX / sizeof *e) {
			errno = ENOMEM;
			return -1;
		}
		e = realloc(t->jobs, cap * sizeof *e);
		if (e == NULL)
			return -1;
		t->jobs = e;
		t->cap = cap;
	}
	if (keep > TIMELINE_RECORD_MAX)
		keep = TIMELINE_RECORD_MAX;
	e = &t->jobs[t->n];
	e->rec_off = t->records.len;
	if (buf_append(&t->records, job->record, keep) == -1)
		return -1;
	e->seq = job->seq;
	e->start = job->start;
	e->end = job->end;
	e->rec_len = (uint16_t)keep;
	e->rec_full_len = job->record_full_len > job->record_len
	                      ? job->record_full_len
	                      : job->record_len;
	e->slot = job->slot;
	e->exitval = job->exitval;
	e->signal = job->signal;
	e->outcome = (uint8_t)job->outcome;
	t->n++;
	return 0;
}

void
timeline_free(struct timeline *t)
{
	free(t->jobs);
	buf_free(&t->records);
	timeline_init(t);
}

static enum timeline_outcome
joblog_outcome(const struct joblog_row *row)
{
	if (row->exitval == -1)
		return TIMELINE_TIMED_OUT;
	if (row->signal != 0)
		return TIMELINE_KILLED;
	return row->exitval != 0 ? TIMELINE_FAILED : TIMELINE_OK;
}

int
timeline_from_joblog(struct timeline *t, const char *data, size_t len,
                     size_t *bad_line)
{
	static const char header[] = "Seq\tHost\t";
	const char *p = data, *end = data + len, *nl;
	char record[TIMELINE_RECORD_MAX];
	struct joblog_row row;
	struct timeline_job job;
	size_t line = 0, command_len, i;

	for (; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		line++;
		if (joblog_read_row(p, (size_t)(nl - p), &row, &command_len) ==
		    0) {
			if ((size_t)(nl - p) >= sizeof header - 1 &&
			    memcmp(p, header, sizeof header - 1) == 0)
				continue; /* a header, also where logs
				             were joined */
			*bad_line = line;
			errno = EINVAL;
			return -1;
		}
		memset(&job, 0, sizeof job);
		job.record_len =
		    command_len < sizeof record ? command_len : sizeof record;
		/* GNU parallel writes a newline of the command as NUL. */
		for (i = 0; i < job.record_len; i++)
			record[i] =
			    row.command[i] == '\0' ? '\n' : row.command[i];
		job.seq = row.seq;
		job.start = row.start;
		job.end = row.start + (row.runtime > 0 ? row.runtime : 0);
		job.outcome = joblog_outcome(&row);
		job.exitval = row.exitval;
		job.signal = row.signal;
		job.record = record;
		job.record_full_len = command_len;
		if (timeline_add(t, &job) == -1) {
			if (errno == EINVAL)
				*bad_line = line;
			return -1;
		}
	}
	return 0;
}

/* drawing */

static double
x_of(const struct tl_frame *f, const struct tl_layout *l, double t)
{
	return f->plot_left + (t - l->t0) / f->span * f->plot_width;
}

/* "<rect class=.. x=.. y=.. width=.. height=..><title>" */
static int
rect_open(struct buf *b, const struct tl_frame *f, unsigned row,
          enum timeline_outcome o, double x0, double x1)
{
	unsigned y =
	    f->plot_top + row * f->pitch + (f->pitch - f->bar_height) / 2;

	/* A job under a pixel still shows as one; a failure as three,
	 * so an ok neighbour cannot hide it. */
	double least = tl_is_failure((uint8_t)o) ? 3 : 1;

	if (x1 - x0 < least)
		x1 = x0 + least;
	return buf_printf(b, "<rect class=\"%s\" x=\"", tl_class(o)) == -1 ||
	               tl_fixed(b, x0, 1) == -1 ||
	               buf_printf(b, "\" y=\"%u\" width=\"", y) == -1 ||
	               tl_fixed(b, x1 - x0, 1) == -1 ||
	               buf_printf(b, "\" height=\"%u\"><title>",
	                          f->bar_height) == -1
	           ? -1
	           : 0;
}

static int
span_text(struct buf *b, const struct tl_layout *l, double start, double end)
{
	return tl_fixed(b, start - l->t0, 3) == -1 ||
	               buf_appends(b, " s to ") == -1 ||
	               tl_fixed(b, end - l->t0, 3) == -1 ||
	               buf_appends(b, " s") == -1
	           ? -1
	           : 0;
}

static int
draw_job(struct buf *b, const struct tl_frame *f, const struct tl_layout *l,
         const struct timeline *t, const struct tl_key *k)
{
	const struct timeline_entry *e = &t->jobs[k->idx];
	int rc;

	if (rect_open(b, f, k->row, e->outcome, x_of(f, l, e->start),
	              x_of(f, l, e->end)) == -1 ||
	    buf_printf(b, "#%llu \"", (unsigned long long)e->seq) == -1 ||
	    tl_text(b, t->records.data + e->rec_off, e->rec_len) == -1 ||
	    buf_appends(b, e->rec_full_len > e->rec_len ? "...\"\n" : "\"\n") ==
	        -1 ||
	    tl_seconds(b, e->end - e->start) == -1)
		return -1;
	switch (e->outcome) {
	case TIMELINE_OK:
		rc = buf_appends(b, ", ok");
		break;
	case TIMELINE_KILLED:
		rc = buf_printf(b, ", killed by signal %d", e->signal);
		break;
	case TIMELINE_TIMED_OUT:
		rc = buf_appends(b, ", timed out");
		break;
	default:
		rc = e->signal != 0
		         ? buf_printf(b, ", %s, signal %d",
		                      tl_outcome_name(e->outcome), e->signal)
		         : buf_printf(b, ", %s, exit %d",
		                      tl_outcome_name(e->outcome), e->exitval);
		break;
	}
	if (rc == -1 ||
	    buf_printf(b, ", %s %u\n", e->slot > 0 ? "slot" : "row",
	               e->slot > 0 ? e->slot : k->row - l->slot_rows + 1) ==
	        -1 ||
	    span_text(b, l, e->start, e->end) == -1)
		return -1;
	return buf_appends(b, "</title></rect>\n");
}

/* Narrow bars of one row merged into one. */
struct segment {
	unsigned row;
	size_t jobs;
	double start, end, x0, x1, busy;
	uint64_t seq_lo, seq_hi;
	size_t counts[5];
	size_t first; /* its job, while it is only one */
};

static int
draw_segment(struct buf *b, const struct tl_frame *f, const struct tl_layout *l,
             const struct timeline *t, const struct segment *s)
{
	/* Worst first: what a reader must not miss gives the colour. */
	static const enum timeline_outcome worst[5] = {
	    TIMELINE_KILLED, TIMELINE_TIMED_OUT, TIMELINE_FAILED,
	    TIMELINE_RETRIED, TIMELINE_OK};
	enum timeline_outcome o = TIMELINE_OK;
	size_t i, kinds = 0;

	if (s->jobs == 0)
		return 0;
	if (s->jobs == 1)
		return draw_job(b, f, l, t, &l->order[s->first]);
	for (i = 5; i-- > 0;)
		if (s->counts[worst[i]] > 0) {
			o = worst[i];
			kinds++;
		}
	if (rect_open(b, f, s->row, o, s->x0, s->x1) == -1 ||
	    buf_printf(b, "%zu jobs, seq %llu-%llu", s->jobs,
	               (unsigned long long)s->seq_lo,
	               (unsigned long long)s->seq_hi) == -1)
		return -1;
	for (i = 0; i < 5; i++) {
		if (s->counts[i] == 0)
			continue;
		if ((kinds == 1 &&
		     buf_printf(b, ", all %s", tl_outcome_name(i)) == -1) ||
		    (kinds > 1 && buf_printf(b, ", %zu %s", s->counts[i],
		                             tl_outcome_name(i)) == -1))
			return -1;
	}
	if (buf_appends(b, "\nruntimes ") == -1 ||
	    tl_seconds(b, s->busy) == -1 || buf_appends(b, " in all, ") == -1 ||
	    span_text(b, l, s->start, s->end) == -1)
		return -1;
	return buf_appends(b, "</title></rect>\n");
}

/* Every row's bars: merged segments and wide bars first, then the bars
 * kept apart on top of them. */
static int
draw_bars(struct buf *b, const struct tl_frame *f, const struct tl_layout *l,
          const struct timeline *t)
{
	struct segment s = {0};
	const struct timeline_entry *e;
	const struct tl_key *k;
	double x0, x1;
	size_t i;
	int pass;

	for (i = 0; i < l->n; i++) {
		k = &l->order[i];
		e = &t->jobs[k->idx];
		if (tl_keeps_own_bar(l, t, k->idx))
			continue;
		x0 = x_of(f, l, e->start);
		x1 = x_of(f, l, e->end);
		if (x1 - x0 < MERGE_PX && s.jobs > 0 && s.row == k->row &&
		    x0 - s.x1 < MERGE_PX) {
			s.jobs++;
			s.end = e->end > s.end ? e->end : s.end;
			s.x1 = x1 > s.x1 ? x1 : s.x1;
			s.seq_lo = e->seq < s.seq_lo ? e->seq : s.seq_lo;
			s.seq_hi = e->seq > s.seq_hi ? e->seq : s.seq_hi;
			s.busy += e->end - e->start;
			s.counts[e->outcome]++;
			continue;
		}
		if (draw_segment(b, f, l, t, &s) == -1)
			return -1;
		memset(&s, 0, sizeof s);
		if (x1 - x0 >= MERGE_PX) {
			if (draw_job(b, f, l, t, k) == -1)
				return -1;
			continue;
		}
		s.row = k->row;
		s.jobs = 1;
		s.first = i;
		s.start = e->start;
		s.end = e->end;
		s.x0 = x0;
		s.x1 = x1;
		s.seq_lo = s.seq_hi = e->seq;
		s.busy = e->end - e->start;
		s.counts[e->outcome] = 1;
	}
	if (draw_segment(b, f, l, t, &s) == -1)
		return -1;
	/* Bars of their own on top, failures last of all: nothing hides
	 * them. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < l->n; i++) {
			e = &t->jobs[l->order[i].idx];
			if (tl_keeps_own_bar(l, t, l->order[i].idx) &&
			    tl_is_failure(e->outcome) == (pass == 1) &&
			    draw_job(b, f, l, t, &l->order[i]) == -1)
				return -1;
		}
	return 0;
}

/* Row names at the left, every few rows when rows are thin; a light band
 * on every other row so a bar's row can be followed across. */
static int
draw_rows(struct buf *b, const struct tl_frame *f, const struct tl_layout *l)
{
	unsigned r, y,
	    every = f->pitch >= 14 ? 1 : (14 + f->pitch - 1) / f->pitch;

	for (r = 0; r < f->rows; r++) {
		y = f->plot_top + r * f->pitch;
		if (r % 2 == 1 && f->pitch >= 6 &&
		    buf_printf(b,
		               "<rect x=\"%u\" y=\"%u\" width=\"%u\" "
		               "height=\"%u\" fill=\"#f4f4f4\"/>\n",
		               f->plot_left, y, f->plot_width, f->pitch) == -1)
			return -1;
		/* The last row is named too, unless that would crowd the
		 * name before it. */
		if (r % every != 0 &&
		    (r + 1 != f->rows || r % every < every / 2 + 1))
			continue;
		if (buf_printf(b,
		               "<text class=\"m\" text-anchor=\"end\" x=\"%u\" "
		               "y=\"%u\">%s %u</text>\n",
		               f->plot_left - 8, y + f->pitch / 2 + 4,
		               r < l->slot_rows ? "slot" : "row",
		               r < l->slot_rows ? r + 1
		                                : r - l->slot_rows + 1) == -1)
			return -1;
	}
	return 0;
}

/* "N jobs: X ok, Y failed, ..., wall W s, slots busy X%, slowest: #seq
 * (t s), ...": each outcome the legend shows, when there are any. */
static int
draw_summary(struct buf *b, const struct tl_frame *f, const struct tl_layout *l,
             const struct timeline *t)
{
	static const char *const names[] = {"ok", "failed", "timed out",
	                                    "killed"};
	const struct timeline_entry *e;
	size_t i, retried = l->counts[TIMELINE_RETRIED];
	double share = l->wall > 0 ? l->busy / (l->rows * l->wall) : 0;

	if (buf_printf(b, "<text x=\"%u\" y=\"44\">%zu job%s", f->plot_left,
	               l->n - retried, l->n - retried == 1 ? "" : "s") == -1)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((i == 0 || l->counts[i] > 0) &&
		    buf_printf(b, "%s %zu %s", i == 0 ? ":" : ",", l->counts[i],
		               names[i]) == -1)
			return -1;
	if ((retried > 0 && buf_printf(b, ", %zu retried %s", retried,
	                               retried == 1 ? "try" : "tries") == -1) ||
	    buf_appends(b, ", wall ") == -1 || tl_seconds(b, l->wall) == -1 ||
	    buf_appends(b, ", slots busy ") == -1 ||
	    tl_fixed(b, share * 100, 1) == -1 ||
	    buf_appends(b, "%, slowest:") == -1)
		return -1;
	for (i = 0; i < l->nslowest; i++) {
		e = &t->jobs[l->slowest[i]];
		if (buf_printf(b, "%s #%llu (", i > 0 ? "," : "",
		               (unsigned long long)e->seq) == -1 ||
		    tl_seconds(b, e->end - e->start) == -1 ||
		    buf_appendc(b, ')') == -1)
			return -1;
	}
	return buf_appends(b, "</text>\n");
}

static void
frame_make(struct tl_frame *f, const struct tl_layout *l,
           const struct timeline_opts *opts)
{
	memset(f, 0, sizeof *f);
	f->plot_left = 80;
	f->plot_top = 84;
	f->plot_width =
	    opts != NULL && opts->plot_width > 0 ? opts->plot_width : 1200;
	f->rows = l->rows;
	/* Roomy rows for a few slots; thinner for many, down to 3 px. */
	f->pitch = l->rows <= 24 ? 22 : 528 / l->rows < 3 ? 3 : 528 / l->rows;
	f->bar_height = f->pitch >= 10 ? f->pitch - 6 : f->pitch - 1;
	f->span = l->wall > 0 ? l->wall : 0.001;
	f->width = f->plot_left + f->plot_width + 40;
	f->height = l->n == 0 ? 80 : f->plot_top + f->rows * f->pitch + 54;
}

static int
render(const struct timeline *t, struct buf *out,
       const struct timeline_opts *opts, struct tl_layout *l)
{
	struct tl_frame f;
	const char *title =
	    opts != NULL && opts->title != NULL ? opts->title : "pmapf";

	if (tl_layout_make(l, t) == -1)
		return -1;
	frame_make(&f, l, opts);
	if (tl_begin(out, &f, title) == -1)
		return -1;
	if (t->n == 0)
		return buf_printf(out,
		                  "<text x=\"%u\" y=\"50\">no jobs</text>\n",
		                  f.plot_left) == -1
		           ? -1
		           : tl_end(out);
	if (draw_summary(out, &f, l, t) == -1 ||
	    tl_legend(out, &f, 68, l->counts) == -1 ||
	    draw_rows(out, &f, l) == -1 || tl_axis(out, &f) == -1 ||
	    draw_bars(out, &f, l, t) == -1)
		return -1;
	return tl_end(out);
}

int
timeline_render(const struct timeline *t, struct buf *out,
                const struct timeline_opts *opts)
{
	struct tl_layout l;
	size_t len = out->len;
	int rc;

	rc = render(t, out, opts, &l);
	free(l.order);
	if (rc == -1) {
		out->len = len; /* no half picture */
		if (out->data != NULL)
			out->data[len] = '\0';
		errno = ENOMEM;
	}
	return rc;
}
