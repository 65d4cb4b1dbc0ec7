/*
 * Signals as events: handlers only write the signal number to a
 * non-blocking self-pipe; the event loop reads it and decides.
 */
#ifndef PMAPF_SIG_H
#define PMAPF_SIG_H

#include <stdbool.h>

/* Install handlers; SIGPIPE is ignored so EPIPE is seen as an error.
 * Signals ignored when pmapf started stay ignored (nohup, `cmd &`).
 * Returns the read end to poll, or -1/errno. */
int sig_install(void);
/* Read what arrived.  Bit (1u << signo) is set for each signal seen. */
unsigned long sig_drain(void);
/* Stop pmapf as the default SIGTSTP action would; returns once it is
 * continued, with the handler back in place. */
void sig_stop_self(void);
/* Let sig take its default action and deliver it to ourselves. */
void sig_die(int sig);

#endif
