/* Descriptor helpers: every loop over read/write lives here, EINTR-safe. */
#ifndef PMAPF_IO_H
#define PMAPF_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The scratch buffers bytes are moved through: one read's worth.  Each
 * is allocated by the module that owns it when that is set up, not held
 * in its struct, so a run that never uses one never touches its pages
 * (a startup cost, in page faults, that every run paid). */
#define IO_CHUNK 65536

/* Write all n bytes, retrying short writes and EINTR.  0, or -1/errno. */
int io_write_all(int fd, const void *p, size_t n);
/* One read(2), retried on EINTR. */
ssize_t io_read(int fd, void *p, size_t n);
int io_set_nonblock(int fd);
/* pipe2(O_CLOEXEC) with pmapf's end (only) non-blocking: ours is 0, the
 * read end (a child's stdout), or 1, the write end (its stdin). */
int io_pipe_nonblock(int fds[2], int ours);
/* Offer pipe fd a buffer of at least size bytes (Linux F_SETPIPE_SZ):
 * fewer, bigger moves for big output.  A refusal (the pipe-user-pages
 * limits) or no such call changes nothing.  Its size after (0: unknown). */
int io_grow_pipe(int fd, int size);
/* Monotonic clock in seconds. */
double io_now(void);
/* Deadlines in io_now() seconds, 0 meaning none: *next becomes t if t
 * is set and sooner. */
void io_sooner(double *next, double t);
/*
 * When to look again at a pipe just found full (or empty): once the other
 * end has had time to move a quarter of its `size` bytes at the rate it
 * has so far (`moved` bytes in `ran` seconds), so that pmapf neither
 * wakes for every read or write of the other end nor splices while that
 * end holds the pipe's lock (it then spins on it).  At most 10 ms after
 * now (a misjudged rate must not idle the other end long); 0, at once,
 * for less than 20 us (not worth a wake-up) or with nothing known.
 */
double io_pace(double now, int size, uint64_t moved, double ran);
/* Wall clock in seconds since the epoch. */
double io_wallclock(void);
/* A regular file's bytes from where fd reads on, or 0 (not a regular
 * file, or nothing left). */
uint64_t io_file_left(int fd);
/* fd is a pipe (or FIFO). */
bool io_is_pipe(int fd);
/* a and b (from stat or fstat) are the same file. */
bool io_same_file(const struct stat *a, const struct stat *b);

#endif
