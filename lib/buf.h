/* Growable byte buffer: the one buffer type used everywhere in pmapf. */
#ifndef PMAPF_BUF_H
#define PMAPF_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                               \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* All functions returning int give 0, or -1 with errno set (ENOMEM). */
/* Room for extra more bytes, and a NUL after them: the slow path. */
int buf_grow(struct buf *b, size_t extra);

/* Inline: a few per record on the path of a million tiny jobs. */
static inline int
buf_reserve(struct buf *b, size_t extra)
{
	return extra < b->cap - b->len ? 0 : buf_grow(b, extra);
}

static inline int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_appends(struct buf *b, const char *s);
int buf_appendc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Room in the array p (of *cap elements of size bytes) for element n:
 * p itself, or p grown (by doubling) when n reaches *cap; NULL/ENOMEM,
 * p then left as it was. */
void *grow_array(void *p, size_t *cap, size_t n, size_t size);
/* Drop the first n bytes. */
void buf_consume(struct buf *b, size_t n);
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
}
void buf_free(struct buf *b);

#endif
