/* SPDX-License-Identifier: MIT */
/*
 * bench: the measurements of "nats-conformance bench".  JetStream
 * throughput and latency through the suite's own client, each figure set
 * against a reference taken in the same run on the same server: nats.c's
 * own asynchronous JetStream publish loop (jsapi_js_publish_async()).
 * Ratios rather than absolute figures are what compare across machines.
 *
 * The measurements work on a temporary work-queue stream of their own
 * (file storage, as the agents' streams are); bench_cleanup() deletes it.
 * A signal handler calls bench_interrupt(), and the measuring loops stop
 * at the next message with -EINTR.  Nothing here prints.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "jsapi.h"

#define BENCH_MAX_COUNT		10000000
#define BENCH_MAX_SIZE		(512 * 1024)
#define BENCH_NFIGS		3

struct bench_fig {
	const char	*key;		/* property: "bench.<key>.msgs_per_s" */
	const char	*what;
	double		 rate;		/* messages per second */
};

struct bench_result {
	char		 stream[64];	/* the temporary stream */
	bool		 created;	/* it exists: bench_cleanup() */
	double		 ref;		/* reference, messages per second */
	struct bench_fig figs[BENCH_NFIGS];
	int64_t		 p50_ns;	/* publish-with-ack latency */
	int64_t		 p99_ns;
};

/*
 * Create the temporary stream and take every measurement: count messages
 * (1 .. BENCH_MAX_COUNT) of size bytes (0 .. BENCH_MAX_SIZE) each, waiting
 * up to wait_ms for any one message.  Returns 0; -EINTR after
 * bench_interrupt() (d: "interrupted by signal N"); -EINVAL; -ENOMEM; or
 * a jsapi error, d then prefixed with the step that failed ("sequential
 * publish: ...").  res->created tells whether the stream needs deleting,
 * also after a failure.
 */
int	bench_measure(struct jsapi *api, long count, long size,
	    int64_t wait_ms, struct diag *d, struct bench_result *res);

/* Delete the temporary stream when res->created: 0 or a jsapi error. */
int	bench_cleanup(struct jsapi *api, struct bench_result *res,
	    struct diag *d);

/* Async-signal-safe: make the measuring loops stop with -EINTR. */
void	bench_interrupt(int sig);

/* The signal given to bench_interrupt(), 0 when none. */
int	bench_signal(void);

/*
 * Write the figures of res as JUnit properties to path: 0, -ENOMEM, or
 * report_write_file()'s error.
 */
int	bench_junit(const char *path, const struct jsapi_server *srv,
	    const struct bench_result *res, long count, long size);

#endif
