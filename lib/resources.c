#include "config.h"

#include "resources.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

/* The number after "name:" (or "name ") at the start of a line, or
 * false. */
static bool
field(const char *text, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	const char *at = text;
	char *end;

	while (at != NULL) {
		if (strncmp(at, name, n) == 0 &&
		    (at[n] == ':' || at[n] == ' ')) {
			errno = 0;
			*v = strtoull(at + n + 1, &end, 10);
			return end != at + n + 1 && errno == 0;
		}
		if ((at = strchr(at, '\n')) != NULL)
			at++;
	}
	return false;
}

int
resources_parse_meminfo(const char *text, uint64_t *bytes)
{
	static const char *const gnu[] = {"MemFree", "Buffers", "Cached",
	                                  "SwapCached"};
	uint64_t kb, sum = 0;
	size_t i;

	if (field(text, "MemAvailable", &kb)) {
		*bytes = kb * 1024;
		return 0;
	}
	if (!field(text, "MemFree", &kb))
		return -1;
	for (i = 0; i < sizeof gnu / sizeof gnu[0]; i++)
		if (field(text, gnu[i], &kb))
			sum += kb;
	*bytes = sum * 1024;
	return 0;
}

int
resources_parse_procstat(const char *text, uint64_t *n)
{
	uint64_t running, blocked = 0;

	if (!field(text, "procs_running", &running))
		return -1;
	(void)field(text, "procs_blocked", &blocked);
	*n = running + blocked;
	return 0;
}

/* The file (or the test's stand-in) read whole into buf. */
static int
read_text(const char *path, const char *knob, char *buf, size_t size)
{
	const char *alt = getenv(knob);
	size_t have = 0;
	ssize_t got;
	int fd;

	fd = open(alt != NULL && *alt != '\0' ? alt : path,
	          O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	while (have + 1 < size &&
	       (got = io_read(fd, buf + have, size - 1 - have)) > 0)
		have += (size_t)got;
	(void)close(fd);
	buf[have] = '\0';
	return have > 0 ? 0 : -1;
}

int
resources_memfree(uint64_t *bytes)
{
	char text[8192];

	if (read_text("/proc/meminfo", "PMAPF_TEST_MEMINFO", text,
	              sizeof text) == -1)
		return -1;
	return resources_parse_meminfo(text, bytes);
}

int
resources_load(uint64_t *n)
{
	/* /proc/stat is long (a line per CPU, interrupts): its end is not
	 * needed, procs_* come early. */
	static char text[65536];

	if (read_text("/proc/stat", "PMAPF_TEST_PROCSTAT", text, sizeof text) ==
	    -1)
		return -1;
	return resources_parse_procstat(text, n);
}
