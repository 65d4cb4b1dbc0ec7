#include "config.h"

#include "builtin.h"

#include <errno.h>
#include <math.h>
#include <time.h>

#include "slowadd.h"
#include "wire.h"

static void
sleep_for(double s)
{
	struct timespec ts, rem;

	if (!(s > 0))
		return;
	/* Far beyond any real run; keeps tv_sec from overflowing. */
	if (s > 1e9)
		s = 1e9;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - floor(s)) * 1e9);
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

static int
handle(const char *rec, size_t len, struct buf *out, struct buf *err,
       struct wire_server *server, void *ctx)
{
	double scale = *(const double *)ctx, s = 0;

	if (slowadd_compute(rec, len, scale, out, &s, err) == -1) {
		if (err->len == 0)
			(void)buf_appends(err, "out of memory");
		return 1;
	}
	if (s > 0) {
		wire_before_wait(server, s);
		sleep_for(s);
	}
	return 0;
}

int
builtin_worker(void *time_scale)
{
	return wire_serve(handle, time_scale);
}
