/* launch.c and launch_remote.c (-S): what one asks of the other.  Not
 * a public face. */
#ifndef PMAPF_LAUNCH_INT_H
#define PMAPF_LAUNCH_INT_H

#include "child.h"
#include "launch.h"

/* The hosts' connections, their slots (l->limit), ssh found, the files
 * of --transferfile/--return/--basefile.  0, or -1 (said). */
int launch_remote_init(struct launch *l);
/* The end: --basefile's removed (--cleanup), the connections closed. */
void launch_remote_free(struct launch *l);
/* The host slot k runs its job on, or NULL: this machine. */
const struct sshlogin *launch_remote_where(const struct launch *l, unsigned k);
/* Spawn j's ssh to h (remote.h), its script on its stdin.  0 or an
 * errno value. */
int launch_remote_spawn(struct launch *l, struct job *j,
                        const struct sshlogin *h, struct child *c);
/* --onall: take j's login's slot: the slot, 0 when it is busy, or -1
 * (said) when the login is not up. */
int launch_pin_take(struct launch *l, struct job *j);
/* j has started (counted for its host's display). */
void launch_remote_started(struct launch *l, struct job *j);
/* j's process ended: false if its slot is not to be given again (its
 * host is down). */
bool launch_remote_release(struct launch *l, struct job *j);

#endif
