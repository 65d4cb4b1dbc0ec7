/* The built-in task's worker process: serves slow_add_one over the wire. */
#ifndef PMAPF_BUILTIN_H
#define PMAPF_BUILTIN_H

/* Worker entry point for spawn_worker; arg points to the double time
 * scale.  Returns the worker's exit status. */
int builtin_worker(void *time_scale);

#endif
