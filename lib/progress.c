#include "config.h"

#include "progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* tqdm's default smoothing factor. */
#define EMA_ALPHA 0.3
/* Share of the whole-run average in the shown rate. */
#define AVG_WEIGHT 0.3
/* Narrowest bar worth drawing. */
#define MIN_BAR 4

void
rate_init(struct rate_est *r, double elapsed, uint64_t done)
{
	memset(r, 0, sizeof *r);
	r->last_t = elapsed;
	r->last_n = done;
}

void
rate_sample(struct rate_est *r, double elapsed, uint64_t done)
{
	double dt = elapsed - r->last_t, dn;

	if (dt <= 0 || done < r->last_n)
		return;
	dn = (double)(done - r->last_n);
	if (!r->have) {
		/* Nothing is known until a job has finished. */
		if (done == 0)
			return;
		r->ema_dn = dn;
		r->ema_dt = dt;
		r->have = true;
	} else {
		r->ema_dn = EMA_ALPHA * dn + (1 - EMA_ALPHA) * r->ema_dn;
		r->ema_dt = EMA_ALPHA * dt + (1 - EMA_ALPHA) * r->ema_dt;
	}
	r->last_t = elapsed;
	r->last_n = done;
}

double
rate_value(const struct rate_est *r, double elapsed, uint64_t done, bool final)
{
	double avg;

	if (done == 0 || elapsed <= 0)
		return -1;
	avg = (double)done / elapsed;
	if (final || !r->have || r->ema_dt <= 0)
		return avg;
	return (1 - AVG_WEIGHT) * (r->ema_dn / r->ema_dt) + AVG_WEIGHT * avg;
}

/* --pipe from a file, before the number of blocks is known: how far
 * through the file; else -1. */
static double
bytes_frac(const struct progress_view *v)
{
	if (v->total_known || !v->piped || v->bytes_total == 0)
		return -1;
	return v->bytes_in >= v->bytes_total
	           ? 1
	           : (double)v->bytes_in / (double)v->bytes_total;
}

double
progress_eta(const struct progress_view *v)
{
	double f = bytes_frac(v);

	if (f > 0)
		return v->elapsed * (1 - f) / f;
	if (!v->total_known)
		return -1;
	if (v->done >= v->total)
		return 0;
	if (!(v->rate > 0))
		return -1;
	return (double)(v->total - v->done) / v->rate;
}

void
progress_duration(char *out, size_t size, double seconds)
{
	unsigned long s;

	if (seconds < 0 || !isfinite(seconds)) {
		snprintf(out, size, "?");
		return;
	}
	if (seconds > 359999999.0)
		seconds = 359999999.0;
	s = (unsigned long)seconds;
	if (s < 3600)
		snprintf(out, size, "%02lu:%02lu", s / 60, s % 60);
	else
		snprintf(out, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		         s % 60);
}

static void
format_rate(char *out, size_t size, double rate)
{
	if (rate < 0)
		snprintf(out, size, "? jobs/s");
	else if (rate > 0 && rate < 1)
		snprintf(out, size, "%.2f s/job", 1 / rate);
	else if (rate < 100)
		snprintf(out, size, "%.2f jobs/s", rate);
	else if (rate < 1000)
		snprintf(out, size, "%.1f jobs/s", rate);
	else
		snprintf(out, size, "%.0f jobs/s", rate);
}

/* --pipe's bytes: "12.3MB", in 1000s as tqdm's unit_scale. */
static void
format_bytes(char *out, size_t size, uint64_t n)
{
	static const char *unit[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	double x = (double)n;
	unsigned u = 0;

	while (x >= 999.95 && u + 1 < sizeof unit / sizeof unit[0]) {
		x /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, size, "%lluB", (unsigned long long)n);
	else
		snprintf(out, size, "%.*f%s", x < 99.95 ? 1 : 0, x, unit[u]);
}

/* "12.3MB" or "12.3MB/1.0GB" of stdin taken (--pipe). */
static int
bytes_in(struct buf *b, const struct progress_view *v)
{
	char in[32], total[32];

	format_bytes(in, sizeof in, v->bytes_in);
	if (v->bytes_total == 0)
		return buf_appends(b, in);
	format_bytes(total, sizeof total, v->bytes_total);
	return buf_printf(b, "%s/%s", in, total);
}

static unsigned
percent(const struct progress_view *v)
{
	if (bytes_frac(v) >= 0)
		return (unsigned)(bytes_frac(v) * 100);
	/* Floor, so 100% means done, never "almost". */
	if (v->total == 0 || v->done >= v->total)
		return 100;
	return (unsigned)(v->done * 100 / v->total);
}

/*
 * The extras after the rate: ", 12.3MB in" (--pipe), ", running=2,
 * failed=1, emitted=3, waiting for #4 12s".  When space is short they are
 * dropped one by one, least telling first: emitted, running, failed, what
 * output waits for, and the bytes in last.  drop is how many to leave out
 * (0 to EXTRAS_ALL).
 */
#define EXTRAS_ALL 6

/* -S: "host1:2/10 host2:1/9" (running/done, as GNU parallel's
 * --progress shows them), after lead, between each. */
static int
hosts(struct buf *b, const struct progress_view *v, const char *lead,
      const char *between)
{
	size_t i;

	for (i = 0; i < v->nhosts; i++)
		if (buf_printf(b, "%s%s:%llu/%llu", i == 0 ? lead : between,
		               v->hosts[i].name,
		               (unsigned long long)v->hosts[i].running,
		               (unsigned long long)v->hosts[i].done) == -1)
			return -1;
	return 0;
}

static int
extras(struct buf *b, const struct progress_view *v, int drop)
{
	char age[32];

	if (drop < 6 && v->piped &&
	    (buf_appends(b, ", ") == -1 || bytes_in(b, v) == -1 ||
	     buf_appends(b, " in") == -1))
		return -1;
	if (drop < 3 && !v->final &&
	    buf_printf(b, ", running=%llu", (unsigned long long)v->running) ==
	        -1)
		return -1;
	if (drop < 4 && v->failed > 0 &&
	    buf_printf(b, ", failed=%llu", (unsigned long long)v->failed) == -1)
		return -1;
	if (drop < 2 && v->ordered && !v->final &&
	    buf_printf(b, ", emitted=%llu", (unsigned long long)v->emitted) ==
	        -1)
		return -1;
	if (drop < 1 && hosts(b, v, ", ", " ") == -1)
		return -1;
	if (drop < 5 && v->ordered && v->waiting > 0 && !v->final) {
		age[0] = '\0';
		if (v->waiting_age >= 0)
			snprintf(age, sizeof age, " %.0fs", v->waiting_age);
		if (buf_printf(b, ", waiting for #%llu%s",
		               (unsigned long long)v->waiting, age) == -1)
			return -1;
	}
	return 0;
}

/* Right-hand part: "| 3/5 [00:01<00:01, 2.99 jobs/s, ...]" or, with no
 * total, "3/? [00:01, 2.99 jobs/s, ...]". */
static int
right_part(struct buf *b, const struct progress_view *v, int drop)
{
	char el[32], eta[32], rate[32];

	progress_duration(el, sizeof el, v->elapsed);
	progress_duration(eta, sizeof eta, v->eta);
	format_rate(rate, sizeof rate, v->rate);
	if (v->total_known) {
		if (buf_printf(b, "| %llu/%llu [%s<%s, %s",
		               (unsigned long long)v->done,
		               (unsigned long long)v->total, el, eta,
		               rate) == -1)
			return -1;
	} else if (buf_printf(b, "%s%llu/? [%s, %s",
	                      bytes_frac(v) >= 0 ? "| " : "",
	                      (unsigned long long)v->done, el, rate) == -1) {
		return -1;
	}
	if (extras(b, v, drop) == -1)
		return -1;
	return buf_appendc(b, ']');
}

static int
draw_bar(struct buf *b, double frac, int cells, bool utf8)
{
	static const char *eighths[] = {"",       "\u258f", "\u258e", "\u258d",
	                                "\u258c", "\u258b", "\u258a", "\u2589"};
	double filled = frac * cells;
	int full = (int)filled, part, i;

	if (full > cells)
		full = cells;
	part = utf8 ? (int)((filled - full) * 8) : 0;
	for (i = 0; i < full; i++)
		if (buf_appends(b, utf8 ? "\u2588" : "#") == -1)
			return -1;
	if (full < cells && part > 0) {
		if (buf_appends(b, eighths[part]) == -1)
			return -1;
		full++;
	}
	for (i = full; i < cells; i++)
		if (buf_appendc(b, ' ') == -1)
			return -1;
	return 0;
}

int
progress_render_bar(struct buf *out, const struct progress_view *v, int width,
                    bool utf8)
{
	struct buf right = BUF_INIT;
	char left[16];
	/* Two columns stay free for the terminal's echo of ^C, and one so the
	 * cursor never reaches the edge: either would wrap the line, and the
	 * next "\r" would then clear the wrong one. */
	int avail = width - 3, cells, rc = -1, drop;

	if (avail < 1)
		avail = 1;
	snprintf(left, sizeof left, "%3u%%|", percent(v));
	if (buf_appendc(out, '\r') == -1)
		return -1;
	/* Widest layout that fits: bar with all extras, with fewer, with
	 * none; then no bar, and the text cut at the edge.  right is ASCII,
	 * so its length in bytes is its width in columns. */
	for (drop = 0; drop <= EXTRAS_ALL; drop++) {
		buf_reset(&right);
		if (right_part(&right, v, drop) == -1)
			goto done;
		if (!v->total_known && bytes_frac(v) < 0) {
			if ((int)right.len <= avail)
				goto fits_text;
			continue;
		}
		cells = avail - (int)strlen(left) - (int)right.len;
		if (cells >= MIN_BAR) {
			double frac = bytes_frac(v) >= 0 ? bytes_frac(v)
			              : v->total ? (double)v->done / v->total
			                         : 1;

			if (buf_appends(out, left) == -1 ||
			    draw_bar(out, frac > 1 ? 1 : frac, cells, utf8) ==
			        -1 ||
			    buf_append(out, right.data, right.len) == -1)
				goto done;
			goto end_line;
		}
	}
	/* No room for a bar: "60% 3/5 [...]" cut to fit. */
	buf_reset(&right);
	if (v->total_known && buf_printf(&right, "%u%% ", percent(v)) == -1)
		goto done;
	if (right_part(&right, v, EXTRAS_ALL) == -1)
		goto done;
	if (v->total_known && right.len > 5) {
		/* Drop the "| " that led the part after the bar. */
		char *bar = strstr(right.data, "| ");

		if (bar != NULL)
			memmove(bar, bar + 2, strlen(bar + 2) + 1),
			    right.len -= 2;
	}
fits_text:
	if (buf_append(out, right.data,
	               (int)right.len > avail ? (size_t)avail : right.len) ==
	    -1)
		goto done;
end_line:
	rc = buf_appends(out, "\033[K");
done:
	buf_free(&right);
	return rc;
}

int
progress_render_plain(struct buf *out, const struct progress_view *v)
{
	char el[32], eta[32], age[32];

	progress_duration(el, sizeof el, v->elapsed);
	progress_duration(eta, sizeof eta, v->eta);
	if (buf_printf(out, "pmapf: %llu/", (unsigned long long)v->done) == -1)
		return -1;
	if (v->total_known
	        ? buf_printf(out, "%llu %u%%", (unsigned long long)v->total,
	                     percent(v))
	        : buf_appendc(out, '?'))
		return -1;
	if (buf_printf(out, " running=%llu failed=%llu",
	               (unsigned long long)v->running,
	               (unsigned long long)v->failed) == -1)
		return -1;
	if (v->piped &&
	    (buf_appends(out, " in=") == -1 || bytes_in(out, v) == -1))
		return -1;
	if (v->ordered && buf_printf(out, " emitted=%llu",
	                             (unsigned long long)v->emitted) == -1)
		return -1;
	if (v->ordered && v->waiting > 0) {
		age[0] = '\0';
		if (v->waiting_age >= 0)
			snprintf(age, sizeof age, ",%.0fs", v->waiting_age);
		if (buf_printf(out, " waiting=#%llu%s",
		               (unsigned long long)v->waiting, age) == -1)
			return -1;
	}
	if (v->rate < 0 ? buf_appends(out, " rate=?")
	                : buf_printf(out, " rate=%.1f/s", v->rate))
		return -1;
	if (hosts(out, v, " hosts=", ",") == -1)
		return -1;
	return buf_printf(out, " elapsed=%s eta=%s\n", el, eta);
}

/* A host's name as a JSON string (names hold no control bytes, but
 * quotes and backslashes are escaped all the same). */
static int
json_string(struct buf *out, const char *s)
{
	if (buf_appendc(out, '"') == -1)
		return -1;
	for (; *s != '\0'; s++)
		if (((*s == '"' || *s == '\\') &&
		     buf_appendc(out, '\\') == -1) ||
		    ((unsigned char)*s < 0x20
		         ? buf_printf(out, "\\u%04x", (unsigned char)*s)
		         : buf_appendc(out, *s)) == -1)
			return -1;
	return buf_appendc(out, '"');
}

static int
json_number(struct buf *out, const char *key, double v, bool known)
{
	if (!known)
		return buf_printf(out, ",\"%s\":null", key);
	return buf_printf(out, ",\"%s\":%.3f", key, v);
}

int
progress_render_json(struct buf *out, const struct progress_view *v)
{
	if (buf_printf(
	        out,
	        "{\"done\":%llu,\"emitted\":%llu,\"running\":%llu,"
	        "\"failed\":%llu,\"read\":%llu",
	        (unsigned long long)v->done, (unsigned long long)v->emitted,
	        (unsigned long long)v->running, (unsigned long long)v->failed,
	        (unsigned long long)v->read) == -1)
		return -1;
	if (v->total_known ? buf_printf(out, ",\"total\":%llu",
	                                (unsigned long long)v->total)
	                   : buf_appends(out, ",\"total\":null"))
		return -1;
	if (buf_printf(out, ",\"eof\":%s", v->eof ? "true" : "false") == -1 ||
	    json_number(out, "elapsed", v->elapsed, true) == -1 ||
	    json_number(out, "rate", v->rate, v->rate >= 0) == -1 ||
	    json_number(out, "eta", v->eta, v->eta >= 0) == -1)
		return -1;
	if (v->ordered && v->waiting > 0 &&
	    buf_printf(out, ",\"waiting\":%llu",
	               (unsigned long long)v->waiting) == -1)
		return -1;
	if (v->piped &&
	    (buf_printf(out, ",\"bytes\":%llu",
	                (unsigned long long)v->bytes_in) == -1 ||
	     (v->bytes_total > 0
	          ? buf_printf(out, ",\"bytes_total\":%llu",
	                       (unsigned long long)v->bytes_total)
	          : buf_appends(out, ",\"bytes_total\":null")) == -1))
		return -1;
	for (size_t i = 0; i < v->nhosts; i++)
		if ((i == 0 && buf_appends(out, ",\"hosts\":[") == -1) ||
		    buf_printf(out, "%s{\"host\":", i > 0 ? "," : "") == -1 ||
		    json_string(out, v->hosts[i].name) == -1 ||
		    buf_printf(out, ",\"running\":%llu,\"done\":%llu}",
		               (unsigned long long)v->hosts[i].running,
		               (unsigned long long)v->hosts[i].done) == -1 ||
		    (i + 1 == v->nhosts && buf_appendc(out, ']') == -1))
			return -1;
	return buf_printf(out, ",\"final\":%s}\n", v->final ? "true" : "false");
}
