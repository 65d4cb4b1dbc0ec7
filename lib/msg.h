/* pmapf's own messages on stderr: one line, one write(2), "pmapf: " first. */
#ifndef PMAPF_MSG_H
#define PMAPF_MSG_H

#include <stddef.h>

#include "buf.h"

void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like msg_warn, with ": strerror(errno)" appended. */
void msg_warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Append a record as people should see it in a message: double-quoted,
 * control and non-ASCII bytes as C escapes, cut after a readable length
 * with "..." so a 1 GiB record makes a one-line message.  full_len is
 * the record's real length when rec is only a preview of it (else len).
 */
int msg_quote_record(struct buf *b, const char *rec, size_t len,
                     unsigned long long full_len);

/* Why a program could not be run: "command not found" for ENOENT (as
 * shells say it), else strerror(err). */
const char *msg_run_error(int err);

/*
 * Called before every write to stderr, so a progress bar can take itself
 * off the line first (it comes back at its next frame).  NULL: nothing.
 */
void msg_set_hook(void (*before)(void *), void *arg);
/* Write bytes to stderr after the hook (for job stderr blocks too). */
int msg_write_stderr(const char *p, size_t n);
/*
 * The first error met writing stderr (an errno value), or 0.  What a
 * failed stderr lost (jobs' errors, pmapf's own messages) cannot be said
 * there, so the exit status has to say it.
 */
int msg_stderr_error(void);

#endif
