/*
 * The machine's free memory and load, for --memfree and --load: pure
 * parsers of /proc/meminfo and /proc/stat, and the reads.  Tests point
 * the reads elsewhere with PMAPF_TEST_MEMINFO and PMAPF_TEST_PROCSTAT.
 */
#ifndef PMAPF_RESOURCES_H
#define PMAPF_RESOURCES_H

#include <stdint.h>

/* Bytes of memory free for new work: MemAvailable, or (an old kernel)
 * MemFree + Buffers + Cached + SwapCached as GNU parallel counts it.
 * 0, or -1 if the text has neither. */
int resources_parse_meminfo(const char *text, uint64_t *bytes);
/* Threads running or waiting for disk now (procs_running +
 * procs_blocked).  0, or -1 if the text has no procs_running. */
int resources_parse_procstat(const char *text, uint64_t *n);

/* The readings now.  -1 if they cannot be had (said by the caller). */
int resources_memfree(uint64_t *bytes);
int resources_load(uint64_t *n);

#endif
