/* SPDX-License-Identifier: MIT */
/*
 * runner: runs the selected checks of the catalog against the target
 * streams and records one report case per check.
 *
 * Per repetition the runner picks a run id and works on the declared
 * streams concurrently, on a bounded pool of threads each with its own
 * connection: per stream it reads the live stream and its consumers,
 * prepares the target (a shadow copy "<run_id>-<stream>" of the live
 * config whose subjects live under "<run_id>.", or the live stream
 * itself), runs the stream's groups in catalog order and removes every
 * object it or a check created.  The cases are then merged into the report
 * in catalog order and the server-wide groups run.  It never prints; the
 * front end renders the report.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "conn.h"
#include "diag.h"
#include "jsapi.h"
#include "report.h"
#include "spec.h"

struct runner_opts {
	enum check_target	  target;
	char			**filters;	/* fnmatch globs on check ids */
	size_t			  nfilters;
	int64_t			  wait_ms;	/* longest single wait */
	int64_t			  ack_wait_ms;	/* the checks' consumers */
	int			  repeat;	/* whole runs, >= 1 */
	const char		 *monitor_url;
	const char		 *restart_cmd;
	const char		 *fault;	/* testing only */
	const struct conn_opts	 *conn;
};

/*
 * Set by the front end's SIGINT/SIGTERM handler to the signal number.  The
 * runner looks at it between checks: the remaining checks are reported as
 * skipped, then the cleanup runs.
 */
extern volatile sig_atomic_t runner_signal;

/* True when no filter is given or one of them matches id. */
bool	runner_selected(const struct runner_opts *o, const char *id);

/*
 * The shadow copy of a declared StreamConfig for run_id: name
 * "<run_id>-<name>", every subject under "<run_id>.", no mirror, sources
 * or republish.  Returns 0 and *ret (free with cJSON_Delete), -EINVAL
 * (the name would be invalid or too long), -ENOMEM.
 */
int	runner_shadow_config(const cJSON *declared, const char *run_id,
	    struct diag *d, cJSON **ret);

/*
 * Run every selected check o->repeat times, adding cases to rep, and set
 * rep->wall_ms to the wall time of the whole run (from 1 ms).
 * Returns 0 when the checks ran (their outcomes are in rep), -EINTR after
 * a signal (remaining checks skipped, cleanup done), -EINVAL when a
 * stream's conformance list names an unknown group (d says which),
 * -ENOMEM.  When removing what the run created fails, cleanup_d is set
 * (code != 0, naming every object left behind) and the run went on.
 *
 * Once the server stops answering (jsapi_stalled()), every remaining
 * check is an error at once and the cleanup makes one bounded attempt,
 * so a stalled run ends within a few request timeouts.
 */
int	runner_run(const struct runner_opts *o, struct jsapi *api,
	    const struct spec_set *specs, struct report *rep, struct diag *d,
	    struct diag *cleanup_d);

#endif
