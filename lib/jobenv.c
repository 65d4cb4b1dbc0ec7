#include "config.h"

#include "jobenv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static bool
ours(const char *v)
{
	return strncmp(v, "PARALLEL_SEQ=", 13) == 0 ||
	       strncmp(v, "PARALLEL_JOBSLOT=", 17) == 0;
}

int
jobenv_init(struct jobenv *e)
{
	size_t n = 0, k = 0;
	char **v;

	memset(e, 0, sizeof *e);
	for (v = environ; v != NULL && *v != NULL; v++)
		n++;
	e->envp = calloc(n + 3, sizeof *e->envp);
	if (e->envp == NULL)
		return -1;
	for (v = environ; v != NULL && *v != NULL; v++)
		if (!ours(*v))
			e->envp[k++] = *v;
	/* The last two entries (and the NULL after them) are ours. */
	e->at = k;
	e->envp[k] = e->slot;
	e->envp[k + 1] = e->seq;
	e->envp[k + 2] = NULL;
	return 0;
}

void
jobenv_free(struct jobenv *e)
{
	free(e->envp);
	e->envp = NULL;
}

char *const *
jobenv_for(struct jobenv *e, uint64_t seq, unsigned slot)
{
	size_t k = e->at;

	(void)snprintf(e->slot, sizeof e->slot, "PARALLEL_JOBSLOT=%u", slot);
	if (seq == 0) {
		e->envp[k + 1] = NULL;
	} else {
		e->envp[k + 1] = e->seq;
		(void)snprintf(e->seq, sizeof e->seq, "PARALLEL_SEQ=%llu",
		               (unsigned long long)seq);
	}
	return e->envp;
}
