/*
 * The parts of a --timeline picture that know SVG but not jobs: text made
 * safe for XML, numbers written without the locale, the frame, the time
 * axis and the legend.  timeline.c lays the jobs out and calls these.
 *
 * Every function returning int gives 0, or -1/ENOMEM (out may then hold
 * part of what was being appended; timeline_render cuts it back).
 */
#ifndef PMAPF_TIMELINE_SVG_H
#define PMAPF_TIMELINE_SVG_H

#include <stddef.h>

#include "buf.h"
#include "timeline.h"

/* Where things go, in pixels; times are seconds since the first start. */
struct tl_frame {
	unsigned width, height;
	unsigned plot_left, plot_top, plot_width;
	unsigned rows, pitch, bar_height;
	double span; /* seconds across plot_width, > 0 */
};

/* CSS class of an outcome's bars: one letter, so 100,000 bars stay
 * small. */
const char *tl_class(enum timeline_outcome o);
/* Its name for people: "ok", "failed", "timed out", ... */
const char *tl_outcome_name(enum timeline_outcome o);

/*
 * n bytes of s as XML character data (for text and attributes alike):
 * & < > " ' as entities; a backslash, TAB, LF, CR as \\ \t \n \r; other
 * control bytes, DEL, C1 controls, U+FFFE/U+FFFF and every byte that is
 * not part of valid UTF-8 as \xNN.  Whatever s holds, the output is valid
 * XML 1.0 and shows every byte.
 */
int tl_text(struct buf *b, const char *s, size_t n);
/* v with exactly `decimals` digits after a '.', whatever the locale. */
int tl_fixed(struct buf *b, double v, int decimals);
/* A duration for people: "0.004 s", "12.35 s", "1234.5 s". */
int tl_seconds(struct buf *b, double s);

/* The XML prolog, <svg>, the style sheet and the title line. */
int tl_begin(struct buf *b, const struct tl_frame *f, const char *title);
/* Grid lines, ticks and readable labels of the time axis under the
 * rows. */
int tl_axis(struct buf *b, const struct tl_frame *f);
/* One swatch per outcome with how many jobs had it, at height y. */
int tl_legend(struct buf *b, const struct tl_frame *f, unsigned y,
              const size_t counts[5]);
int tl_end(struct buf *b);

#endif
