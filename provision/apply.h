/* SPDX-License-Identifier: MIT */
/*
 * apply: carry out a plan against the server.
 *
 * All-or-nothing precheck: when any action is BLOCKED, or deletes data
 * (plan_is_lossy) without opts->allow_data_loss, nothing is sent and
 * -EPERM is returned.  Otherwise actions run in plan order (streams before
 * their consumers, deletes of consumers before their streams) and stop at
 * the first server error.  NOOP actions send nothing, so a second apply
 * sends no mutating request.
 */
#ifndef APPLY_H
#define APPLY_H

#include <stddef.h>

#include "diag.h"
#include "jsapi.h"
#include "plan.h"

/* Called before each mutating action; i counts from 0 to total-1. */
typedef void (*apply_progress_fn)(const struct plan_action *a, size_t i,
	    size_t total, void *arg);

struct apply_opts {
	bool	allow_data_loss;	/* carry out actions that delete
					   messages (--allow-data-loss) */
};

struct apply_result {
	size_t	done;		/* actions carried out */
	size_t	failed_index;	/* index of the failed action when r < 0 */
};

/*
 * Returns 0, -EPERM (blocked, or data loss not allowed: nothing changed),
 * or the jsapi error of the failing action (d says which; result->done
 * tells how many ran before).  opts NULL: the defaults (no data loss);
 * progress may be NULL.  On nats-server 2.11 and newer every create and
 * update is sent in pedantic mode: the server refuses instead of silently
 * changing what the plan showed.
 */
int	apply_plan(struct jsapi *api, const struct plan *p,
	    const struct apply_opts *opts, apply_progress_fn progress,
	    void *arg, struct diag *d, struct apply_result *ret_result);

#endif
