/*
 * The worker protocol: how pmapf and a persistent worker process talk over
 * a pair of pipes.  Request: u32 length, record bytes.  Reply: u32 status,
 * u32 stdout length, u32 stderr length, then those bytes.  Integers are in
 * host order: both ends are the same binary on the same machine.
 */
#ifndef PMAPF_WIRE_H
#define PMAPF_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WIRE_MAX_PAYLOAD (1u << 30)

struct wire_reply {
	int status;
	const char *out; /* point into the buffer passed to wire_take_reply */
	size_t out_len;
	const char *err;
	size_t err_len;
	size_t frame_len; /* bytes to consume once the reply is used */
};

int wire_put_request(struct buf *b, const char *rec, size_t len);
int wire_put_reply(struct buf *b, int status, const char *out, size_t out_len,
                   const char *err, size_t err_len);
/* 1 and *r when a whole reply starts b, 0 if more bytes are needed,
 * -1 if the bytes cannot be a reply. */
int wire_take_reply(const struct buf *b, struct wire_reply *r);
/* Same for a request (worker side): 1 with rec and len set, 0, or -1. */
int wire_take_request(const struct buf *b, const char **rec, size_t *len,
                      size_t *frame_len);

/*
 * The worker side: serve requests on fd 0, replies on fd 1, until EOF.
 * handle() computes one answer; its return value is the job's status.
 * Answers are held to share one write, never long: they go when no
 * request is left, at 64 KiB, or once the first has waited 2 ms.  The
 * clock is read only every so many tasks (a read costs about what a tiny
 * task does), so a handler about to wait (sleep) calls
 * wire_before_wait(server, seconds) first: answers that would be held
 * past 2 ms by the wait go out before it, not after.
 */
struct wire_server;
void wire_before_wait(struct wire_server *server, double seconds);
typedef int (*wire_handler)(const char *rec, size_t len, struct buf *out,
                            struct buf *err, struct wire_server *server,
                            void *ctx);
int wire_serve(wire_handler handle, void *ctx);

#endif
