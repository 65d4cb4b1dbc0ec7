/*
 * Where and when progress is shown: the side-effect half of progress
 * (the pure half is progress.h).  The event loop asks display_due() when
 * to wake, and calls display_frame() then; everything else that writes to
 * the same terminal calls display_clear() first so the bar never garbles
 * it, and the bar comes back at the next frame.
 */
#ifndef PMAPF_DISPLAY_H
#define PMAPF_DISPLAY_H

#include <stdbool.h>

#include "buf.h"
#include "pmapf.h"
#include "progress.h"

struct display {
	enum progress_mode mode; /* resolved: never AUTO */
	int fd;
	bool check_fg;   /* auto: draw only while in the foreground */
	bool shares_err; /* fd shows what pmapf writes to stderr */
	bool shares_out; /* ... and to stdout */
	int width;
	bool utf8;
	bool drawn;      /* a bar frame is on the screen now */
	bool changed;    /* counts moved since the last frame */
	bool broken;     /* writing failed: show nothing more */
	double interval; /* plain, json: seconds between lines */
	double last;     /* elapsed time of the last frame or line */
	struct rate_est rate;
	struct buf frame;
};

/* mode AUTO resolves to BAR on a usable foreground terminal, else NONE. */
void display_init(struct display *d, enum progress_mode mode, int fd,
                  double interval);
void display_free(struct display *d);
/* Re-read the terminal width (after SIGWINCH). */
void display_resize(struct display *d);
/* Counts changed: a bar frame is due within 0.1 s. */
void display_changed(struct display *d);
/* True, with the elapsed time at which the next frame is due, if any is. */
bool display_due(const struct display *d, double *at);
/* Draw a frame or log line now; fills v->rate and v->eta. */
void display_frame(struct display *d, struct progress_view *v);
/* Take the bar off the screen before other output goes there. */
void display_clear(struct display *d);
/* One plain status line on demand (SIGUSR1), whatever the mode. */
void display_status(struct display *d, struct progress_view *v);
/* The end: the final frame (or line) stays, ended by a newline; an
 * interrupted run only clears the bar. */
void display_finish(struct display *d, struct progress_view *v,
                    bool interrupted);
/* Hook for msg_set_hook: clear before pmapf's and jobs' stderr. */
void display_before_stderr(void *d);

#endif
