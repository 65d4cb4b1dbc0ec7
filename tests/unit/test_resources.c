/* Readings for --memfree and --load, from /proc text. */
#include "config.h"

#include "resources.h"
#include "tap.h"

int
main(void)
{
	uint64_t v = 0;

	ok(resources_parse_meminfo("MemTotal:       24683656 kB\n"
	                           "MemFree:        23922760 kB\n"
	                           "MemAvailable:   24242328 kB\n"
	                           "Buffers:            6448 kB\n",
	                           &v) == 0 &&
	       v == UINT64_C(24242328) * 1024,
	   "MemAvailable when there is one");
	ok(resources_parse_meminfo("MemTotal: 100 kB\nMemFree: 10 kB\n"
	                           "Buffers: 1 kB\nCached: 2 kB\n"
	                           "SwapCached: 4 kB\nSwapTotal: 99 kB\n",
	                           &v) == 0 &&
	       v == 17 * 1024,
	   "else MemFree + Buffers + Cached + SwapCached, as GNU parallel");
	ok(resources_parse_meminfo("MemTotal: 100 kB\n", &v) == -1,
	   "neither: no reading");
	ok(resources_parse_meminfo("XMemAvailable: 5 kB\nMemFree: 3 kB\n",
	                           &v) == 0 &&
	       v == 3 * 1024,
	   "a field is matched at the start of a line only");
	ok(resources_parse_procstat("cpu  1 2 3\nintr 5 6\nctxt 7\n"
	                            "procs_running 3\nprocs_blocked 2\n",
	                            &v) == 0 &&
	       v == 5,
	   "running and blocked threads");
	ok(resources_parse_procstat("cpu 1\n", &v) == -1,
	   "no procs_running: no reading");
	return tap_done();
}
