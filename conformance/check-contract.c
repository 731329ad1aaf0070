/* SPDX-License-Identifier: MIT */
/*
 * check-contract: layer 1 of the gate.  Each check tests one guarantee of
 * the stream's contract (spec.h: pattern, offline window, backlog, workers,
 * history, dedupe window, processing time) against the live declared
 * stream and its live declared consumers, never against the spec's config:
 * a deployment whose spec and server agree can still break the agents.
 *
 * A failure names the stream or consumer, the setting, its live value,
 * what the guarantee needs and the agent behaviour that breaks.  A
 * guarantee the contract does not declare is skipped, saying so.  Nothing
 * is created or published: these checks only read, so they run on the
 * live target too.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "reply.h"
#include "units.h"

static bool
contract_has(const struct check_ctx *ctx, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(ctx->spec->contract, k) !=
	    NULL;
}

static const char *
contract_pattern(const struct check_ctx *ctx)
{
	return reply_str(ctx->spec->contract, "pattern", "?");
}

static const char *
contract_dur(int64_t ns, char *buf, size_t len)
{
	return ns <= 0 ? "unlimited" : units_format_duration(ns, buf, len);
}

/* -1 and 0 both mean "no limit" for the stream's message and byte limits. */
static bool
contract_limited(int64_t v)
{
	return v > 0;
}

/*
 * The live ConsumerConfig of the i-th declared consumer, or NULL when it
 * does not exist on the server.
 */
static const cJSON *
contract_consumer(const struct check_ctx *ctx, size_t i)
{
	const cJSON	*it, *cfg;
	const char	*want = ctx->spec->consumers[i].name, *n;

	if (want == NULL)
		return NULL;
	cJSON_ArrayForEach(it, ctx->live_consumers) {
		cfg = cJSON_GetObjectItemCaseSensitive(it, "config");
		n = reply_str(cfg, "durable_name", NULL);
		if (n == NULL)
			n = reply_str(it, "name", NULL);
		if (n != NULL && strcmp(n, want) == 0)
			return cfg;
	}
	return NULL;
}

static void
contract_storage(struct check_ctx *ctx, struct check_result *res)
{
	const char	*storage;

	storage = reply_str(ctx->live_config, "storage", "file");
	if (strcmp(storage, "file") != 0)
		check_fail(res, "stream '%s': storage is %s; the %s contract "
		    "(guaranteed delivery) needs file: every unacknowledged "
		    "message is lost when the server restarts",
		    ctx->spec->name, storage, contract_pattern(ctx));
	else
		check_detail(res, "storage is file");
}

static void
contract_retention(struct check_ctx *ctx, struct check_result *res)
{
	const char	*retention, *pattern = contract_pattern(ctx);

	retention = reply_str(ctx->live_config, "retention", "limits");
	if (strcmp(pattern, "workqueue") == 0 &&
	    strcmp(retention, "workqueue") != 0)
		check_fail(res, "stream '%s': retention is %s; the workqueue "
		    "contract needs workqueue: processed tasks stay in the "
		    "stream and a second consumer may run every task again",
		    ctx->spec->name, retention);
	else if (strcmp(pattern, "broadcast") == 0 &&
	    strcmp(retention, "workqueue") == 0)
		check_fail(res, "stream '%s': retention is workqueue; the "
		    "broadcast contract needs limits (or interest): each "
		    "message would reach only one agent", ctx->spec->name);
	else
		check_detail(res, "retention %s suits the %s contract",
		    retention, pattern);
}

static void
contract_max_age(struct check_ctx *ctx, struct check_result *res)
{
	int64_t	window, age;
	char	b1[32], b2[32];

	if (!contract_has(ctx, "offline_window")) {
		check_skip(res, "the contract of '%s' declares no "
		    "offline_window", ctx->spec->name);
		return;
	}
	window = reply_int_or(ctx->spec->contract, "offline_window", 0);
	age = reply_int_or(ctx->live_config, "max_age", 0);
	if (age > 0 && age < window)
		check_fail(res, "stream '%s': max_age is %s; an offline window "
		    "of %s needs at least %s: an agent offline for longer than "
		    "%s loses the messages published meanwhile",
		    ctx->spec->name, contract_dur(age, b1, sizeof(b1)),
		    contract_dur(window, b2, sizeof(b2)), b2, b1);
	else
		check_detail(res, "max_age %s covers the offline window %s",
		    contract_dur(age, b1, sizeof(b1)),
		    contract_dur(window, b2, sizeof(b2)));
}

static void
contract_backlog(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*c = ctx->spec->contract, *l = ctx->live_config;
	const char	*discard = reply_str(l, "discard", "old");
	const char	*loses;
	int64_t		 backlog, typ, biggest, v;
	char		 b1[32], b2[32];
	bool		 any = false;

	loses = strcmp(discard, "new") == 0 ? "publishes are refused" :
	    "the oldest unread messages are dropped";
	if ((backlog = reply_int_or(c, "backlog_msgs", 0)) > 0) {
		any = true;
		v = reply_int_or(l, "max_msgs", -1);
		if (contract_limited(v) && v < backlog)
			check_fail(res, "stream '%s': max_msgs is %" PRId64 "; "
			    "a backlog of %" PRId64 " messages needs at least "
			    "%" PRId64 ": past %" PRId64 " %s (discard %s)",
			    ctx->spec->name, v, backlog, backlog, v, loses,
			    discard);
	}
	if (backlog > 0 && (typ = reply_int_or(c, "typical_msg_size", 0)) >
	    0) {
		v = reply_int_or(l, "max_bytes", -1);
		if (contract_limited(v) && v / typ < backlog)
			check_fail(res, "stream '%s': max_bytes is %s; a "
			    "backlog of %" PRId64 " messages of %s needs at "
			    "least %s: past %" PRId64 " such messages %s "
			    "(discard %s)", ctx->spec->name,
			    units_format_size(v, b1, sizeof(b1)), backlog,
			    units_format_size(typ, b2, sizeof(b2)),
			    backlog > INT64_MAX / typ ? "more" :
			    units_format_size(backlog * typ, b2, sizeof(b2)),
			    v / typ, loses, discard);
	}
	if ((biggest = reply_int_or(c, "max_msg_size", 0)) > 0) {
		any = true;
		v = reply_int_or(l, "max_msg_size", -1);
		if (contract_limited(v) && v < biggest)
			check_fail(res, "stream '%s': max_msg_size is %s; the "
			    "contract's largest message is %s: the stream "
			    "refuses every message larger than %s",
			    ctx->spec->name,
			    units_format_size(v, b1, sizeof(b1)),
			    units_format_size(biggest, b2, sizeof(b2)), b1);
	}
	if (!any)
		check_skip(res, "the contract of '%s' declares no backlog_msgs "
		    "or max_msg_size", ctx->spec->name);
	else if (res->status == REPORT_PASS)
		check_detail(res, "max_msgs %" PRId64 ", max_bytes %" PRId64
		    ", max_msg_size %" PRId64 " hold the declared backlog",
		    reply_int_or(l, "max_msgs", -1),
		    reply_int_or(l, "max_bytes", -1),
		    reply_int_or(l, "max_msg_size", -1));
}

static void
contract_dedupe(struct check_ctx *ctx, struct check_result *res)
{
	int64_t	want, win;
	char	b1[32], b2[32];

	if (!contract_has(ctx, "dedupe_window")) {
		check_skip(res, "the contract of '%s' declares no "
		    "dedupe_window", ctx->spec->name);
		return;
	}
	want = reply_int_or(ctx->spec->contract, "dedupe_window", 0);
	win = reply_int_or(ctx->live_config, "duplicate_window", 0);
	if (win < want)
		check_fail(res, "stream '%s': duplicate_window is %s; a dedupe "
		    "window of %s needs at least %s: a task republished "
		    "later than %s after the first runs twice",
		    ctx->spec->name, units_format_duration(win, b1,
		    sizeof(b1)), units_format_duration(want, b2, sizeof(b2)),
		    b2, b1);
	else
		check_detail(res, "duplicate_window %s covers the dedupe "
		    "window %s", units_format_duration(win, b1, sizeof(b1)),
		    units_format_duration(want, b2, sizeof(b2)));
}

static void
contract_consumers(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*cfg;
	const char	*name, *ack;
	int64_t		 window, idle;
	char		 b1[32], b2[32];
	size_t		 i;

	window = reply_int_or(ctx->spec->contract, "offline_window", 0);
	if (ctx->spec->nconsumers == 0) {
		check_fail(res, "stream '%s': the %s contract declares no "
		    "consumer: the agents' consumers are not part of the "
		    "deployment, so nothing proves they track delivery",
		    ctx->spec->name, contract_pattern(ctx));
		return;
	}
	for (i = 0; i < ctx->spec->nconsumers; i++) {
		name = ctx->spec->consumers[i].name;
		if ((cfg = contract_consumer(ctx, i)) == NULL) {
			check_fail(res, "consumer '%s' of '%s' is declared but "
			    "does not exist on the server: its agent has no "
			    "durable to track what it received", name,
			    ctx->spec->name);
			continue;
		}
		ack = reply_str(cfg, "ack_policy", "none");
		if (strcmp(ack, "explicit") != 0)
			check_fail(res, "consumer '%s' of '%s': ack_policy is "
			    "%s; guaranteed delivery needs explicit: %s",
			    name, ctx->spec->name, ack, strcmp(ack, "none") ==
			    0 ? "every message counts as processed once sent, "
			    "so one lost in a crash is never redelivered" :
			    "one ack settles every earlier message, so a "
			    "message that failed is never redelivered");
		if (reply_str(cfg, "durable_name", NULL) == NULL)
			check_fail(res, "consumer '%s' of '%s' is not durable: "
			    "its delivery state goes when the agent "
			    "disconnects", name, ctx->spec->name);
		idle = reply_int_or(cfg, "inactive_threshold", 0);
		if (idle > 0 && (window == 0 || idle < window))
			check_fail(res, "consumer '%s' of '%s': "
			    "inactive_threshold is %s; %s%s%s: the server "
			    "removes the durable of an agent offline for longer "
			    "than %s, and it misses what was published "
			    "meanwhile", name, ctx->spec->name,
			    units_format_duration(idle, b1, sizeof(b1)),
			    window > 0 ? "an offline window of " : "it must be "
			    "unset", window > 0 ? units_format_duration(window,
			    b2, sizeof(b2)) : "", window > 0 ? " needs it unset "
			    "or at least as long" : "", b1);
	}
	if (res->status == REPORT_PASS)
		check_detail(res, "%zu declared consumer(s) exist, durable, "
		    "with explicit acks", ctx->spec->nconsumers);
}

static void
contract_redelivery(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*cfg;
	const char	*name;
	int64_t		 maxd, wait, proc;
	char		 b1[32], b2[32];
	size_t		 i, n = 0;

	proc = reply_int_or(ctx->spec->contract, "processing_time", 0);
	for (i = 0; i < ctx->spec->nconsumers; i++) {
		if ((cfg = contract_consumer(ctx, i)) == NULL)
			continue;
		n++;
		name = ctx->spec->consumers[i].name;
		maxd = reply_int_or(cfg, "max_deliver", -1);
		if (maxd == 1)
			check_fail(res, "consumer '%s' of '%s': max_deliver is "
			    "1; redelivery needs more than 1: a message whose "
			    "%s crashed before acknowledging it is never "
			    "delivered again", name, ctx->spec->name,
			    strcmp(contract_pattern(ctx), "workqueue") == 0 ?
			    "worker" : "agent");
		wait = reply_int_or(cfg, "ack_wait", 30000000000);
		if (proc > 0 && wait < proc)
			check_fail(res, "consumer '%s' of '%s': ack_wait is "
			    "%s; a processing time of %s needs at least %s: a "
			    "task still being worked on is redelivered to "
			    "another worker and runs twice", name,
			    ctx->spec->name, units_format_duration(wait, b1,
			    sizeof(b1)), units_format_duration(proc, b2,
			    sizeof(b2)), b2);
	}
	if (n == 0)
		check_skip(res, "no declared consumer of '%s' exists on the "
		    "server (contract.consumers says so)", ctx->spec->name);
	else if (res->status == REPORT_PASS)
		check_detail(res, "max_deliver and ack_wait of %zu consumer(s) "
		    "allow redelivery%s", n, proc > 0 ? " after the "
		    "processing time" : "");
}

static void
contract_workers(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*cfg;
	const char	*name;
	int64_t		 workers, pending, waiting;
	size_t		 i, n = 0;

	if (!contract_has(ctx, "workers")) {
		check_skip(res, "the %s contract of '%s' declares no workers",
		    contract_pattern(ctx), ctx->spec->name);
		return;
	}
	workers = reply_int_or(ctx->spec->contract, "workers", 1);
	for (i = 0; i < ctx->spec->nconsumers; i++) {
		if ((cfg = contract_consumer(ctx, i)) == NULL)
			continue;
		n++;
		name = ctx->spec->consumers[i].name;
		pending = reply_int_or(cfg, "max_ack_pending", -1);
		if (pending > 0 && pending < workers)
			check_fail(res, "consumer '%s' of '%s': max_ack_pending "
			    "is %" PRId64 "; %" PRId64 " workers need at least "
			    "%" PRId64 ": only %" PRId64 " task(s) can be in "
			    "progress at once and the other workers idle",
			    name, ctx->spec->name, pending, workers, workers,
			    pending);
		waiting = reply_int_or(cfg, "max_waiting", 512);
		if (cJSON_GetObjectItemCaseSensitive(cfg, "deliver_subject") ==
		    NULL && waiting > 0 && waiting < workers)
			check_fail(res, "consumer '%s' of '%s': max_waiting is "
			    "%" PRId64 "; %" PRId64 " workers need at least "
			    "%" PRId64 ": the pull requests of the other "
			    "workers are refused", name, ctx->spec->name,
			    waiting, workers, workers);
	}
	if (n == 0)
		check_fail(res, "stream '%s': no declared consumer exists on "
		    "the server for the %" PRId64 " workers to share",
		    ctx->spec->name, workers);
	else if (res->status == REPORT_PASS)
		check_detail(res, "max_ack_pending and max_waiting let %" PRId64
		    " workers share the queue", workers);
}

static void
contract_history(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*cfg;
	const char	*retention, *deliver;
	size_t		 i;

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx->spec->contract,
	    "late_joiners_see_history"))) {
		check_skip(res, "the contract of '%s' does not ask that late "
		    "joiners see the history", ctx->spec->name);
		return;
	}
	retention = reply_str(ctx->live_config, "retention", "limits");
	if (strcmp(retention, "limits") != 0)
		check_fail(res, "stream '%s': retention is %s; late joiners "
		    "seeing the history needs limits: a message is removed "
		    "once the consumers that existed acknowledged it, so an "
		    "agent that joins later never sees it", ctx->spec->name,
		    retention);
	for (i = 0; i < ctx->spec->nconsumers; i++) {
		if ((cfg = contract_consumer(ctx, i)) == NULL)
			continue;
		deliver = reply_str(cfg, "deliver_policy", "all");
		if (strcmp(deliver, "all") != 0)
			check_fail(res, "consumer '%s' of '%s': deliver_policy "
			    "is %s; late joiners seeing the history needs all: "
			    "an agent whose durable is created late misses "
			    "everything published before",
			    ctx->spec->consumers[i].name,
			    ctx->spec->name, deliver);
	}
	if (res->status == REPORT_PASS)
		check_detail(res, "retention limits and deliver_policy all keep "
		    "the history for late joiners");
}

static const struct check contract_checks[] = {
	{ "contract.storage", "guaranteed delivery: the stream is stored on "
	    "disk", 0, contract_storage },
	{ "contract.retention", "the retention suits the pattern: workqueue "
	    "for a work queue, not workqueue for a broadcast", 0,
	    contract_retention },
	{ "contract.max-age", "max_age keeps messages for the declared "
	    "offline window", 0, contract_max_age },
	{ "contract.backlog", "max_msgs, max_bytes and max_msg_size hold the "
	    "declared backlog and largest message", 0, contract_backlog },
	{ "contract.dedupe", "duplicate_window covers the declared dedupe "
	    "window", 0, contract_dedupe },
	{ "contract.consumers", "the declared consumers exist, durable, with "
	    "explicit acks, and outlive the offline window", 0,
	    contract_consumers },
	{ "contract.redelivery", "max_deliver above 1 and ack_wait at least "
	    "the processing time", 0, contract_redelivery },
	{ "contract.workers", "max_ack_pending and max_waiting let the "
	    "declared workers share the queue", 0, contract_workers },
	{ "contract.history", "late joiners see the history: limits "
	    "retention and deliver_policy all", 0, contract_history },
};

const struct check_group check_contract_group = {
	"contract",
	"the live stream and consumers deliver what the contract declares",
	contract_checks,
	sizeof(contract_checks) / sizeof(contract_checks[0]),
};
