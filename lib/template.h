/*
 * Command template: argv with replacement strings, expanded per record.
 * Parsing happens once; expansion reuses one buffer, so a job costs no
 * allocation once the buffer has grown.
 */
#ifndef PMAPF_TEMPLATE_H
#define PMAPF_TEMPLATE_H

#include <stddef.h>

#include "buf.h"

struct template;

struct template_out {
	struct buf strings; /* NUL-separated arguments */
	char **argv;        /* points into strings; NULL-terminated */
	size_t argv_cap;
};

/* Parse argv[0..argc).  0, or -1/errno (ENOMEM, EINVAL for argc 0). */
int template_parse(struct template **tp, int argc, char *const argv[]);
void template_free(struct template *t);
/*
 * Expand for one record.  0, or -1 with errno EINVAL when the record
 * holds a NUL byte (it cannot be an argument), ENOMEM.
 */
int template_expand(const struct template *t, const char *rec, size_t len,
                    struct template_out *out);
void template_out_free(struct template_out *out);

#endif
