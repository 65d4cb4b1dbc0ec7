#include "config.h"

#include "msg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

#define QUOTE_MAX 64

static void (*hook_before)(void *);
static void *hook_arg;
static int stderr_error;

void
msg_set_hook(void (*before)(void *), void *arg)
{
	hook_before = before;
	hook_arg = arg;
}

int
msg_write_stderr(const char *p, size_t n)
{
	int rc;

	if (hook_before)
		hook_before(hook_arg);
	rc = io_write_all(STDERR_FILENO, p, n);
	if (rc == -1 && stderr_error == 0)
		stderr_error = errno != 0 ? errno : EIO;
	return rc;
}

int
msg_stderr_error(void)
{
	return stderr_error;
}

static void
vwarn(int errnum, const char *fmt, va_list ap)
{
	char line[1024];
	int n, m;

	n = snprintf(line, sizeof line, "pmapf: ");
	m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	if (errnum)
		n += snprintf(line + n, sizeof line - (size_t)n, ": %s",
		              strerror(errnum));
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* Nothing useful can be done if stderr itself fails. */
	(void)msg_write_stderr(line, (size_t)n);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, fmt, ap);
	va_end(ap);
}

void
msg_warn_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

int
msg_quote_record(struct buf *b, const char *rec, size_t len,
                 unsigned long long full_len)
{
	size_t i, shown = len > QUOTE_MAX ? QUOTE_MAX : len;
	unsigned char c;

	if (buf_appendc(b, '"') == -1)
		return -1;
	for (i = 0; i < shown; i++) {
		c = (unsigned char)rec[i];
		if (c == '"' || c == '\\') {
			if (buf_appendc(b, '\\') == -1 ||
			    buf_appendc(b, (char)c) == -1)
				return -1;
		} else if (c == '\t') {
			if (buf_appends(b, "\\t") == -1)
				return -1;
		} else if (c == '\r') {
			if (buf_appends(b, "\\r") == -1)
				return -1;
		} else if (c == '\n') {
			if (buf_appends(b, "\\n") == -1)
				return -1;
		} else if (c < 0x20 || c >= 0x7f) {
			if (buf_printf(b, "\\x%02x", c) == -1)
				return -1;
		} else if (buf_appendc(b, (char)c) == -1) {
			return -1;
		}
	}
	if (buf_appendc(b, '"') == -1)
		return -1;
	if (full_len < len)
		full_len = len;
	if (shown < full_len &&
	    buf_printf(b, "... (%llu bytes)", full_len) == -1)
		return -1;
	return 0;
}

const char *
msg_run_error(int err)
{
	return err == ENOENT ? "command not found" : strerror(err);
}
