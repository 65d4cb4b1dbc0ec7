#include "config.h"

#include "timeline_svg.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Okabe and Ito's palette, chosen to stay apart for the common kinds of
 * colour blindness; yellow gets an outline to show on white. */
static const struct {
	const char *cls, *name, *css;
} outcomes[5] = {
    [TIMELINE_OK] = {"o", "ok", "fill:#0072b2"},
    [TIMELINE_FAILED] = {"f", "failed", "fill:#d55e00"},
    [TIMELINE_TIMED_OUT] = {"t", "timed out",
                            "fill:#f0e442;stroke:#8c7e00;stroke-width:.6"},
    [TIMELINE_KILLED] = {"k", "killed", "fill:#cc79a7"},
    [TIMELINE_RETRIED] = {"r", "retried", "fill:#56b4e9"},
};

const char *
tl_class(enum timeline_outcome o)
{
	return outcomes[o].cls;
}

const char *
tl_outcome_name(enum timeline_outcome o)
{
	return outcomes[o].name;
}

/* Length of the valid UTF-8 sequence at s (n > 0 bytes, s[0] >= 0x80)
 * that XML 1.0 allows and a reader can see, or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0; /* a continuation byte, overlong C0/C1, or F5.. */
	if (n < len)
		return 0;
	/* The second byte's range rules out overlong forms, surrogates and
	 * code points past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	if (s[0] == 0xc2 && s[1] <= 0x9f)
		return 0; /* C1 controls: allowed by XML, invisible */
	if (s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
		return 0; /* U+FFFE, U+FFFF: not XML characters */
	return len;
}

int
tl_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *rep;
	size_t i = 0, run, len;

	while (i < n) {
		/* Plain printable ASCII goes in one append. */
		for (run = i; run < n && u[run] >= 0x20 && u[run] < 0x7f &&
		              strchr("&<>\"'\\", u[run]) == NULL;
		     run++)
			;
		if (buf_append(b, s + i, run - i) == -1)
			return -1;
		if ((i = run) == n)
			break;
		rep = NULL;
		switch (u[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '\t':
			rep = "\\t";
			break;
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		default:
			break;
		}
		len = u[i] >= 0x80 ? utf8_len(u + i, n - i) : 0;
		if (rep != NULL) {
			if (buf_appends(b, rep) == -1)
				return -1;
			i++;
		} else if (len > 0) {
			if (buf_append(b, s + i, len) == -1)
				return -1;
			i += len;
		} else {
			if (buf_printf(b, "\\x%02x", u[i]) == -1)
				return -1;
			i++;
		}
	}
	return 0;
}

int
tl_fixed(struct buf *b, double v, int decimals)
{
	long long scale = 1, units;
	int d;

	for (d = 0; d < decimals; d++)
		scale *= 10;
	/* Integers only reach printf: no locale can change the point. */
	if (!isfinite(v) || fabs(v) * (double)scale > 9e18)
		v = 0;
	units = llround(v * (double)scale);
	if (units < 0 && buf_appendc(b, '-') == -1)
		return -1;
	if (units < 0)
		units = -units;
	if (decimals == 0)
		return buf_printf(b, "%lld", units);
	return buf_printf(b, "%lld.%0*lld", units / scale, decimals,
	                  units % scale);
}

int
tl_seconds(struct buf *b, double s)
{
	int decimals = s < 10 ? 3 : s < 100 ? 2 : 1;

	if (tl_fixed(b, s, decimals) == -1)
		return -1;
	return buf_appends(b, " s");
}

int
tl_begin(struct buf *b, const struct tl_frame *f, const char *title)
{
	size_t i;

	if (buf_printf(b,
	               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	               "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	               "version=\"1.1\" width=\"%u\" height=\"%u\" "
	               "viewBox=\"0 0 %u %u\">\n"
	               "<style>\n"
	               "text{font-family:DejaVu Sans,Verdana,sans-serif;"
	               "font-size:12px;fill:#222}\n"
	               ".h{font-size:15px;font-weight:bold}\n"
	               ".m{fill:#666}\n"
	               ".g{stroke:#e3e3e3;stroke-width:1}\n"
	               ".a{stroke:#888;stroke-width:1}\n",
	               f->width, f->height, f->width, f->height) == -1)
		return -1;
	for (i = 0; i < 5; i++)
		if (buf_printf(b, ".%s{%s}\n", outcomes[i].cls,
		               outcomes[i].css) == -1)
			return -1;
	if (buf_printf(
	        b,
	        "</style>\n"
	        "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
	        "<text class=\"h\" x=\"%u\" y=\"22\">",
	        f->plot_left) == -1 ||
	    tl_text(b, title, strlen(title)) == -1 ||
	    buf_appends(b, "</text>\n") == -1)
		return -1;
	return 0;
}

/* Seconds between ticks: the smallest step of the 1-2-5 series (for
 * minutes and hours, the divisions clocks use) that gives at most eight
 * intervals. */
static double
tick_step(double span)
{
	static const double steps[] = {
	    0.001, 0.002, 0.005, 0.01, 0.02, 0.05,  0.1,   0.2,   0.5,
	    1,     2,     5,     10,   15,   30,    60,    120,   300,
	    600,   900,   1800,  3600, 7200, 10800, 21600, 43200, 86400};
	double step;
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (span / steps[i] <= 8)
			return steps[i];
	for (step = 86400; span / step > 8; step *= 2)
		;
	return step;
}

/* A tick's label: seconds under a minute ("2.5 s"), then m:ss or
 * h:mm:ss, which read at a glance. */
static int
tick_label(struct buf *b, double t, double step, double span)
{
	long long s = llround(t), h = s / 3600, m = s / 60 % 60;
	int decimals = step < 0.01 ? 3 : step < 0.1 ? 2 : step < 1 ? 1 : 0;

	if (span < 60) {
		if (tl_fixed(b, t, decimals) == -1)
			return -1;
		return buf_appends(b, " s");
	}
	if (span < 3600)
		return buf_printf(b, "%lld:%02lld", s / 60, s % 60);
	return buf_printf(b, "%lld:%02lld:%02lld", h, m, s % 60);
}

int
tl_axis(struct buf *b, const struct tl_frame *f)
{
	double step = tick_step(f->span), t, x;
	unsigned top = f->plot_top, bottom = f->plot_top + f->rows * f->pitch;
	long long k, ticks = (long long)floor(f->span / step + 1e-9);
	const char *unit = f->span < 60     ? "seconds"
	                   : f->span < 3600 ? "m:ss"
	                                    : "h:mm:ss";

	for (k = 0; k <= ticks; k++) {
		t = (double)k * step;
		x = f->plot_left + t / f->span * f->plot_width;
		if (buf_appends(b, "<line class=\"g\" x1=\"") == -1 ||
		    tl_fixed(b, x, 1) == -1 ||
		    buf_printf(b, "\" y1=\"%u\" x2=\"", top) == -1 ||
		    tl_fixed(b, x, 1) == -1 ||
		    buf_printf(b, "\" y2=\"%u\"/>\n", bottom + 5) == -1 ||
		    buf_appends(b, "<text text-anchor=\"middle\" x=\"") == -1 ||
		    tl_fixed(b, x, 1) == -1 ||
		    buf_printf(b, "\" y=\"%u\">", bottom + 19) == -1 ||
		    tick_label(b, t, step, f->span) == -1 ||
		    buf_appends(b, "</text>\n") == -1)
			return -1;
	}
	return buf_printf(b,
	                  "<line class=\"a\" x1=\"%u\" y1=\"%u\" x2=\"%u\" "
	                  "y2=\"%u\"/>\n"
	                  "<text class=\"m\" text-anchor=\"middle\" x=\"%u\" "
	                  "y=\"%u\">time since the first job started (%s)"
	                  "</text>\n",
	                  f->plot_left, bottom, f->plot_left + f->plot_width,
	                  bottom, f->plot_left + f->plot_width / 2, bottom + 38,
	                  unit);
}

int
tl_legend(struct buf *b, const struct tl_frame *f, unsigned y,
          const size_t counts[5])
{
	unsigned x = f->plot_left;
	size_t i;
	int len;

	for (i = 0; i < 5; i++) {
		if (buf_printf(
		        b,
		        "<rect class=\"%s\" x=\"%u\" y=\"%u\" width=\"12\" "
		        "height=\"12\"/>"
		        "<text x=\"%u\" y=\"%u\">",
		        outcomes[i].cls, x, y - 10, x + 17, y) == -1)
			return -1;
		len = (int)b->len;
		if (buf_printf(b, "%s %zu", outcomes[i].name, counts[i]) == -1)
			return -1;
		len = (int)b->len - len;
		if (buf_appends(b, "</text>\n") == -1)
			return -1;
		/* About 7 px a character at 12 px, then a gap. */
		x += 17 + (unsigned)len * 7 + 22;
	}
	return 0;
}

int
tl_end(struct buf *b)
{
	return buf_appends(b, "</svg>\n");
}
