/*
 * Signals as events: handlers only write the signal number to a
 * non-blocking self-pipe; the event loop reads it and decides.  Every
 * signal whose default action would end pmapf is caught, so pmapf can take
 * its jobs' process groups down first and then die by that signal.
 */
#ifndef PMAPF_SIG_H
#define PMAPF_SIG_H

#include <stdbool.h>
#include <stdint.h>

/* The bit for signal s (1..64) in what sig_drain returns. */
#define SIG_BIT(s) (UINT64_C(1) << ((s)-1))

/* Install handlers; SIGPIPE is ignored so EPIPE is seen as an error.
 * Signals ignored when pmapf started stay ignored (nohup, `cmd &`).
 * Returns the read end to poll, or -1/errno. */
int sig_install(void);
/* Read what arrived: SIG_BIT(s) is set for each signal s seen. */
uint64_t sig_drain(void);
/* True for a signal that ends the run (SIGINT, SIGTERM, SIGQUIT, SIGUSR2,
 * SIGALRM, real-time signals ...): every caught one whose default action
 * terminates, except SIGHUP (drain) and SIGUSR1 (status line). */
bool sig_terminates(int sig);
/* Stop pmapf as the default SIGTSTP action would; returns once it is
 * continued, with the handler back in place. */
void sig_stop_self(void);
/* Let sig take its default action and deliver it to ourselves. */
void sig_die(int sig);

#endif
