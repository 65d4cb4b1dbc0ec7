#include "config.h"

#include "display.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "io.h"

/* At most ten frames a second; the clock ticks at least once a second. */
#define FRAME_MIN     0.1
#define FRAME_IDLE    1.0
#define DEFAULT_WIDTH 80

static bool
same_file(int a, int b)
{
	struct stat sa, sb;

	if (a == b)
		return true;
	if (fstat(a, &sa) == -1 || fstat(b, &sb) == -1)
		return false;
	return io_same_file(&sa, &sb);
}

static bool
usable_terminal(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) && term != NULL && *term != '\0' &&
	       strcmp(term, "dumb") != 0;
}

static bool
in_foreground(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg != -1 && fg == getpgrp();
}

void
display_init(struct display *d, enum progress_mode mode, int fd,
             double interval)
{
	const char *cs;

	memset(d, 0, sizeof *d);
	d->fd = fd;
	d->interval = interval;
	if (mode == PROGRESS_AUTO || mode == PROGRESS_SHOW) {
		bool bar = usable_terminal(fd) && in_foreground(fd);

		d->check_fg = bar && mode == PROGRESS_AUTO;
		mode = bar                     ? PROGRESS_BAR
		       : mode == PROGRESS_SHOW ? PROGRESS_PLAIN
		                               : PROGRESS_NONE;
	}
	d->mode = mode;
	d->shares_err = same_file(fd, STDERR_FILENO);
	d->shares_out = isatty(fd) && same_file(fd, STDOUT_FILENO);
	cs = nl_langinfo(CODESET);
	d->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	display_resize(d);
	rate_init(&d->rate, 0, 0);
	/* The first frame is due at once. */
	d->last = -FRAME_IDLE;
	d->changed = true;
}

void
display_free(struct display *d)
{
	buf_free(&d->frame);
}

void
display_resize(struct display *d)
{
	struct winsize ws;

	d->width = DEFAULT_WIDTH;
	if (ioctl(d->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		d->width = ws.ws_col;
	d->changed = true;
}

void
display_changed(struct display *d)
{
	d->changed = true;
}

bool
display_due(const struct display *d, double *at)
{
	if (d->broken)
		return false;
	switch (d->mode) {
	case PROGRESS_BAR:
		*at = d->last +
		      (d->changed || !d->drawn ? FRAME_MIN : FRAME_IDLE);
		return true;
	case PROGRESS_PLAIN:
	case PROGRESS_JSON:
		*at = d->last + d->interval;
		return true;
	default:
		return false;
	}
}

static void
put(struct display *d)
{
	if (io_write_all(d->fd, d->frame.data, d->frame.len) == -1)
		d->broken = true;
}

static void
fill_rates(struct display *d, struct progress_view *v)
{
	rate_sample(&d->rate, v->elapsed, v->done);
	v->rate = rate_value(&d->rate, v->elapsed, v->done, v->final);
	v->eta = progress_eta(v);
}

void
display_frame(struct display *d, struct progress_view *v)
{
	int rc;

	d->last = v->elapsed;
	d->changed = false;
	fill_rates(d, v);
	if (d->broken)
		return;
	if (d->check_fg && !in_foreground(d->fd)) {
		/* Backgrounded: the terminal is someone else's now. */
		d->drawn = false;
		return;
	}
	buf_reset(&d->frame);
	switch (d->mode) {
	case PROGRESS_BAR:
		rc = progress_render_bar(&d->frame, v, d->width, d->utf8);
		d->drawn = true;
		break;
	case PROGRESS_PLAIN:
		rc = progress_render_plain(&d->frame, v);
		break;
	case PROGRESS_JSON:
		rc = progress_render_json(&d->frame, v);
		break;
	default:
		return;
	}
	if (rc == 0)
		put(d);
}

void
display_clear(struct display *d)
{
	static const char clear[] = "\r\033[K";

	if (!d->drawn || d->broken)
		return;
	d->drawn = false;
	d->changed = true;
	if (io_write_all(d->fd, clear, sizeof clear - 1) == -1)
		d->broken = true;
}

void
display_before_stderr(void *arg)
{
	struct display *d = arg;

	if (d->shares_err)
		display_clear(d);
}

void
display_status(struct display *d, struct progress_view *v)
{
	fill_rates(d, v);
	display_clear(d);
	buf_reset(&d->frame);
	if (progress_render_plain(&d->frame, v) == 0)
		put(d);
}

void
display_finish(struct display *d, struct progress_view *v, bool interrupted)
{
	if (interrupted || d->mode == PROGRESS_NONE) {
		display_clear(d);
		return;
	}
	v->final = true;
	display_frame(d, v);
	if (d->mode == PROGRESS_BAR && d->drawn && !d->broken &&
	    io_write_all(d->fd, "\n", 1) == -1)
		d->broken = true;
	d->drawn = false;
}
