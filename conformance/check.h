/* SPDX-License-Identifier: MIT */
/*
 * check: the interface between the conformance runner and the checks.
 *
 * A check proves one behaviour the agents rely on, against one stream (or
 * the server as a whole for the monitoring and persistence groups).  Each
 * group file (check-pubsub.c, check-workqueue.c, ...) exports one
 * struct check_group; catalog.c lists the groups in run order.
 *
 * A check never prints.  It sets its outcome in struct check_result with
 * check_fail() (an assertion about the server's behaviour did not hold),
 * check_error() (the environment broke: connection lost, unexpected API
 * error) or check_skip(), or leaves it at pass.  Every message names what
 * was expected and what happened.
 *
 * Objects a check creates (consumers, derived streams) are registered with
 * check_track_*() before they are created, so the runner removes them at
 * the end, after a failure, and after SIGINT/SIGTERM.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "conn.h"
#include "jsapi.h"
#include "report.h"
#include "spec.h"

enum check_target {
	CHECK_TARGET_SHADOW,	/* temporary copies of the declared streams */
	CHECK_TARGET_LIVE,	/* the declared streams, unique subjects */
};

/* What a check needs; the runner skips it (with the reason) otherwise. */
#define CHECK_NEEDS_CONSUME	0x01	/* consumes/acks/deletes messages:
					   refused on the live target */
#define CHECK_NEEDS_MONITOR	0x02	/* --monitor URL */
#define CHECK_NEEDS_RESTART	0x04	/* --restart-cmd */
#define CHECK_NEEDS_SERVER	0x08	/* server-wide: runs once, no stream */
#define CHECK_NEEDS_PUBLISH	0x10	/* publishes on the stream's subjects:
					   refused on the live target when a
					   live consumer would receive it */

/*
 * The objects the checks created, newest last, that the runner removes
 * when the checks are done.  check.c owns the type; the runner owns each
 * tracker and hands it to the checks in check_ctx.
 */
struct check_obj {
	char	*stream;
	char	*consumer;	/* NULL: the stream itself */
};

struct check_tracker {
	struct check_obj	*objs;
	size_t			 nobjs;
	size_t			 cap;
};

/* Record stream, or its consumer (consumer not NULL): 0 or -ENOMEM. */
int	check_tracker_add(struct check_tracker *t, const char *stream,
	    const char *consumer);

/* Free t's records (nothing is removed from the server); NULL is a no-op. */
void	check_tracker_free(struct check_tracker *t);

/*
 * Connections that one stream's checks use one after another (the
 * work-queue checks' workers): opened by the first check that asks,
 * kept open for the next ones, so that every check does not connect its
 * workers again.  check.c owns the type; the runner owns each set, clears
 * it after a check that did not pass or restarted the server, and frees
 * it with check_conns_free().
 */
#define CHECK_CONNS_MAX	8
struct check_conns {
	struct jsapi	*api[CHECK_CONNS_MAX];
};

/* Close every connection of c; NULL is a no-op. */
void	check_conns_free(struct check_conns *c);

struct check_ctx {
	struct jsapi		*api;		/* the runner's connection */
	const struct conn_opts	*conn;		/* for extra connections
						   (offline subscriber, workers) */
	struct check_conns	*conns;		/* kept between the checks
						   of a stream, or NULL */
	enum check_target	 target;
	const char		*run_id;	/* unique per run: "r1a2b3c4" */
	const struct spec_set	*specs;		/* all declared specs */
	const struct spec_stream *spec;		/* declared stream, NULL for
						   server-wide checks */
	const char		*stream;	/* the stream to exercise: the
						   shadow copy or the live one */
	const cJSON		*config;	/* its live StreamConfig */
	const cJSON		*live_config;	/* the declared stream's live
						   StreamConfig (the shadow
						   copy is made from it) */
	const cJSON		*live_consumers; /* the declared stream's live
						   consumers: array of
						   ConsumerInfo */
	const cJSON		*consumer_template; /* live ConsumerConfig
						   of the declared consumer
						   the checks copy, or NULL */
	struct check_result	*result;	/* this check's, for notes
						   made by the helpers */
	bool			 copy_noted;	/* the consumer copy is noted */
	char			 copy_note[512]; /* ... saying this */
	const char		*subject;	/* a subject of that stream that
						   only this run uses (unique
						   token), e.g.
						   "r1a2b3c4.agent.t1.inbox" */
	int			 server_version;
	int64_t			 wait_ms;	/* longest single wait */
	int64_t			 ack_wait_ms;	/* ack_wait for the checks' own
						   consumers (short) */
	const char		*monitor_url;	/* NULL when not given */
	const char		*restart_cmd;	/* NULL when not given */
	const char		*fault;		/* testing only: --fault NAME
						   seeds a fault, or NULL */
	struct check_tracker	*tracker;	/* check_track_*(); NULL:
						   nothing is tracked */
};

struct check_result {
	enum report_status	status;		/* starts at REPORT_PASS */
	char			message[1024];
	char			detail[4096];
	cJSON			*properties;	/* optional name -> string,
						   added to the report (bench) */
};

struct check {
	const char	*id;		/* stable: "workqueue.exactly-once" */
	const char	*summary;	/* one line: what it proves */
	unsigned	 needs;		/* CHECK_NEEDS_* */
	void		(*run)(struct check_ctx *ctx, struct check_result *res);
};

struct check_group {
	const char		*name;		/* "workqueue" */
	const char		*summary;
	const struct check	*checks;
	size_t			 nchecks;
};

/*
 * Outcome helpers.  Each formats into res and returns the status it set:
 *	if (n != want) {
 *		check_fail(res, "got %d messages, want %d", n, want);
 *		goto out;
 *	}
 */
enum report_status check_fail(struct check_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
enum report_status check_error(struct check_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
enum report_status check_skip(struct check_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* check_error() with a diag's message (and its API err_code when set). */
enum report_status check_error_diag(struct check_result *res,
	    const struct diag *d, const char *what);

/* Append a line to res->detail (bounded; excess is cut). */
void	check_detail(struct check_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Register an object for cleanup before creating it.  Returns 0 or
 * -ENOMEM.  A consumer on a shadow stream needs no registration (the
 * stream goes), but registering is harmless.
 */
int	check_track_consumer(struct check_ctx *ctx, const char *stream,
	    const char *consumer);
int	check_track_stream(struct check_ctx *ctx, const char *stream);

/*
 * Create a stream, or a consumer of stream, from a partial config: it is
 * completed with the server's defaults for its version the way
 * nats-provision completes a declared one (plan_desired_stream/consumer),
 * so every body the checks send is a whole config as the API's schemas
 * require (it-requests).  As jsapi_stream_create/jsapi_consumer_create.
 */
int	check_stream_create(struct jsapi *api, const cJSON *cfg,
	    struct diag *d, cJSON **ret_info);
int	check_consumer_create(struct jsapi *api, const char *stream,
	    const cJSON *cfg, struct diag *d, cJSON **ret_info);

/*
 * A name unique to this run for an object the check creates:
 * "<run_id>-<suffix>" (stream/consumer-name-safe).  Returns buf.
 */
const char *check_name(const struct check_ctx *ctx, const char *suffix,
	    char *buf, size_t len);

/*
 * check_name() for a stream a check derives from ctx->stream:
 * "<run_id>-<tag>-<8 hex>", the hex an FNV-1a hash of the declared
 * stream's name, so that each declared stream gets its own derived stream
 * within one run.  Returns buf.
 */
const char *check_derived_name(const struct check_ctx *ctx, const char *tag,
	    char *buf, size_t len);

/*
 * Another concrete subject of ctx->stream that only this run uses: the
 * stream's first wildcard subject with its wildcard replaced by
 * "<run_id>-<suffix>" (shadow streams also carry the run prefix), so that
 * checks can keep their traffic apart.  Returns buf.
 */
const char *check_subject(const struct check_ctx *ctx, const char *suffix,
	    char *buf, size_t len);

/* Helpers shared by the check files: the pull and wait loops. */

/* Monotonic milliseconds, and a sleep that is never longer than asked. */
int64_t	check_now_ms(void);
void	check_sleep_ms(int64_t ms);

/* True when --fault NAME names this fault (testing only). */
bool	check_fault(const struct check_ctx *ctx, const char *name);

/* The JetStream status of m ("404", "408", ...), or NULL for data. */
const char *check_msg_status(const struct jsapi_msg *m);

/*
 * Create (tracked) a durable pull consumer name on ctx->stream through api,
 * filter_subject filter (NULL for none).  With a ctx->consumer_template it
 * is a copy of the live declared consumer: only the name, the filter (the
 * check's own subject), ack_wait (ctx->ack_wait_ms, when the template's is
 * longer) and push delivery (the checks pull) change, deliver_policy only
 * when deliver is "new" (a seeded fault), and the first copy says so in
 * ctx->result.  Without one: explicit ack, ack_wait ctx->ack_wait_ms,
 * deliver_policy deliver ("all", "new").  Either way, on a stream of one
 * replica its state is kept in memory (mem_storage: no files to make and
 * remove; the checks that use it never restart the server).  Returns 0, or the jsapi code
 * with d filled (the caller decides whether that is a failure).
 */
int	check_pull_consumer(struct check_ctx *ctx, struct jsapi *api,
	    const char *name, const char *filter, const char *deliver,
	    struct diag *d);

/*
 * Fetch up to n data messages from a pull consumer of ctx->stream within
 * wait_ms, into ret[0..n-1] (free each with jsapi_msg_free).  Returns the
 * number fetched (fewer when the server had no more in time), or a
 * negative code after check_error().
 */
int	check_fetch(struct check_ctx *ctx, struct jsapi *api,
	    const char *consumer, int n, int64_t wait_ms,
	    struct jsapi_msg **ret, struct check_result *res);

/* Free msgs[0..n-1] and set them to NULL. */
void	check_msgs_free(struct jsapi_msg **msgs, int n);

/*
 * How many messages ctx->stream holds on subject; negative after
 * check_error().
 */
int64_t	check_subject_count(struct check_ctx *ctx, const char *subject,
	    struct check_result *res);

/*
 * The body size of the checks' messages: the contract's typical_msg_size
 * (64 bytes without one), at most CHECK_MSG_SIZE_MAX so that a run stays
 * quick; the backlog check covers the sizes beyond.
 */
#define CHECK_MSG_SIZE_MAX	4096
size_t	check_msg_size(const struct check_ctx *ctx);

/*
 * Publish n messages "<tag> <i>\n" padded to check_msg_size() (i =
 * 0..n-1) on subj through ctx->api, each acknowledged by the stream.
 * Returns 0, or the jsapi code after check_error() with what as the
 * context ("publishing").
 */
int	check_publish_n(struct check_ctx *ctx, struct check_result *res,
	    const char *subj, const char *tag, int n, const char *what);

/*
 * Acknowledge (+ACK, waiting for the server's confirmation) msgs[0..n-1]
 * through api.  Returns 0, or the jsapi code after check_error() at the
 * first that fails.
 */
int	check_ack_all(struct jsapi *api, struct jsapi_msg **msgs, int n,
	    struct check_result *res);

/* A second connection (offline subscriber, worker); error set on failure. */
int	check_connect(struct check_ctx *ctx, struct check_result *res,
	    struct jsapi **ret);

/*
 * Connection i (0..CHECK_CONNS_MAX-1) of ctx->conns, opened on first use
 * and left open for the stream's next checks: the caller must not free
 * it, nor leave a subscription on it.  Without ctx->conns the same as
 * check_connect(), and *ret_owned tells the caller to free it.  Returns
 * 0, or the jsapi code with the error set in res.
 */
int	check_connect_kept(struct check_ctx *ctx, struct check_result *res,
	    int i, struct jsapi **ret, bool *ret_owned);

#endif
