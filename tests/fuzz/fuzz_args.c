/* libFuzzer: the option parser on arbitrary argument vectors. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *argv[17], *p, *end;
	struct pmapf_opts o;
	struct buf err = BUF_INIT;
	enum args_action action;
	int argc = 1;
	bool parsed;

	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "pmapf";
	end = copy + size;
	for (p = copy; argc < 16 && p < end; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	parsed = args_parse(&o, argc, argv, &err, &action) == 0;
	if (!parsed) {
		/* One line, saying something. */
		if (err.len == 0 || memchr(err.data, '\n', err.len) != NULL)
			abort();
	} else if (action == ARGS_RUN) {
		/* COMMAND is exec'd as it stands: argc strings, then NULL
		 * (a --shebang line may give more words than argv had). */
		if (o.jobs < 1 || o.jobs > 1000000 || o.argc < 0 ||
		    (o.argc > 0 && o.argv[o.argc] != NULL) ||
		    !(o.time_scale >= 0) || !(o.progress_interval >= 0.1))
			abort();
		for (int i = 0; i < o.argc; i++)
			if (o.argv[i] == NULL)
				abort();
	}
	/* Whatever the action: a --shebang line's words are held. */
	if (parsed)
		args_free(&o);
	buf_free(&err);
	free(copy);
	return 0;
}
