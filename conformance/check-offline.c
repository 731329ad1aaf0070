/* SPDX-License-Identifier: MIT */
/*
 * check-offline: what an agent that goes away relies on.  Its durable
 * consumer stays while nobody is connected, what was published meanwhile
 * arrives in order and exactly once when it binds again, what it had not
 * acknowledged comes back, and its acknowledgements survive the
 * disconnect.
 *
 * The "agent" is a second connection that is closed (jsapi_free) to go
 * offline and opened again to come back; the runner's connection only
 * publishes and inspects.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "reply.h"

#define OFFLINE_MSGS	10
#define OFFLINE_UNACKED	5
#define OFFLINE_ACKED	3	/* of OFFLINE_ACKED * 2 published */

/* The index i of a "<tag> <i>" body, or -1. */
static int
offline_index(const struct jsapi_msg *m)
{
	const char	*sp = strrchr(m->data, ' ');
	int		 i;

	if (sp == NULL || sscanf(sp + 1, "%d", &i) != 1)
		return -1;
	return i;
}

static void
offline_durable_exists(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi	*agent = NULL;
	cJSON		*info = NULL;
	struct diag	 d = { 0 };
	char		 name[128], subj[512];
	const char	*dn;
	int		 r;

	check_name(ctx, "off-exists", name, sizeof(name));
	check_subject(ctx, "off-exists", subj, sizeof(subj));
	if (check_connect(ctx, res, &agent) != 0)
		goto out;
	if ((r = check_pull_consumer(ctx, agent, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the durable");
		goto out;
	}
	/* Fault: the client removes its consumer when it unsubscribes. */
	if (check_fault(ctx, "unsub-deletes"))
		jsapi_consumer_delete(agent, ctx->stream, name, &d);
	jsapi_free(agent);
	agent = NULL;
	check_sleep_ms(50);
	r = jsapi_consumer_info(ctx->api, ctx->stream, name, &d, &info);
	if (r == -ENOENT) {
		check_fail(res, "durable '%s' no longer exists on '%s' after "
		    "its only subscriber disconnected", name, ctx->stream);
		goto out;
	}
	if (r != 0) {
		check_error_diag(res, &d, "reading the durable");
		goto out;
	}
	dn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(info, "config"), "durable_name"));
	if (dn == NULL || strcmp(dn, name) != 0)
		check_fail(res, "consumer '%s' exists but is not durable",
		    name);
out:
	cJSON_Delete(info);
	jsapi_free(agent);
}

static void
offline_delivery(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi		*agent = NULL;
	struct jsapi_msg	*got[OFFLINE_MSGS + 1] = { NULL };
	struct diag		 d = { 0 };
	char			 name[128], bind[128], subj[512];
	char			 q[DIAG_QUOTE_LEN];
	int			 i, n = 0, extra = 0, r;

	check_name(ctx, "off-dlv", name, sizeof(name));
	check_subject(ctx, "off-dlv", subj, sizeof(subj));
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the durable");
		goto out;
	}
	/* Nobody is bound to the durable while these are published. */
	if (check_publish_n(ctx, res, subj, "offline", OFFLINE_MSGS,
	    "publishing") != 0)
		goto out;
	if (check_connect(ctx, res, &agent) != 0)
		goto out;
	snprintf(bind, sizeof(bind), "%s", name);
	/* Fault: the agent binds to a fresh consumer, not its durable. */
	if (check_fault(ctx, "skip-bind")) {
		check_name(ctx, "off-fresh", bind, sizeof(bind));
		if ((r = check_pull_consumer(ctx, agent, bind, subj, "new",
		    &d)) != 0) {
			check_error_diag(res, &d, "creating a consumer");
			goto out;
		}
	}
	if ((n = check_fetch(ctx, agent, bind, OFFLINE_MSGS, ctx->wait_ms,
	    got, res)) < 0) {
		n = 0;
		goto out;
	}
	if (n < OFFLINE_MSGS) {
		check_fail(res, "received %d of %d messages published while "
		    "no subscriber was connected", n, OFFLINE_MSGS);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (offline_index(got[i]) != i) {
			check_fail(res, "message %d arrived as number %d: not "
			    "in publish order", offline_index(got[i]), i + 1);
			goto out;
		}
	}
	if (check_ack_all(agent, got, n, res) != 0)
		goto out;
	/* Exactly once: nothing more may follow. */
	if ((extra = check_fetch(ctx, agent, bind, 1, ctx->ack_wait_ms + 100,
	    &got[OFFLINE_MSGS], res)) < 0)
		goto out;
	if (extra > 0)
		check_fail(res, "message '%s' arrived again after all %d "
		    "were acknowledged", diag_quote(got[OFFLINE_MSGS]->data,
		    32, q, sizeof(q)), OFFLINE_MSGS);
out:
	check_msgs_free(got, OFFLINE_MSGS + 1);
	jsapi_free(agent);
}

static void
offline_redelivery(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi		*agent = NULL;
	struct jsapi_msg	*got[OFFLINE_UNACKED] = { NULL };
	struct jsapi_meta	 meta;
	struct diag		 d = { 0 };
	char			 name[128], subj[512];
	int			 i, n, r;

	check_name(ctx, "off-redlv", name, sizeof(name));
	check_subject(ctx, "off-redlv", subj, sizeof(subj));
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the durable");
		goto out;
	}
	if (check_publish_n(ctx, res, subj, "unacked", OFFLINE_UNACKED,
	    "publishing") != 0 ||
	    check_connect(ctx, res, &agent) != 0)
		goto out;
	if ((n = check_fetch(ctx, agent, name, OFFLINE_UNACKED, ctx->wait_ms,
	    got, res)) < 0)
		goto out;
	if (n < OFFLINE_UNACKED) {
		check_fail(res, "the first subscriber received %d of %d "
		    "messages", n, OFFLINE_UNACKED);
		goto out;
	}
	/* Fault: the client acknowledges before it goes away. */
	if (check_fault(ctx, "ack-before-disconnect") &&
	    check_ack_all(agent, got, n, res) != 0)
		goto out;
	check_msgs_free(got, n);
	jsapi_free(agent);
	agent = NULL;
	if (check_connect(ctx, res, &agent) != 0)
		goto out;
	if ((n = check_fetch(ctx, agent, name, OFFLINE_UNACKED,
	    ctx->ack_wait_ms + ctx->wait_ms, got, res)) < 0)
		goto out;
	if (n < OFFLINE_UNACKED) {
		check_fail(res, "%d of %d unacknowledged messages were "
		    "redelivered after the reconnect (ack_wait %" PRId64
		    " ms, waited %" PRId64 " ms more)", n, OFFLINE_UNACKED,
		    ctx->ack_wait_ms, ctx->wait_ms);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (jsapi_msg_meta(got[i], &meta) != 0 ||
		    meta.num_delivered < 2) {
			check_fail(res, "message %d came back without a "
			    "redelivery count (num_delivered %" PRIu64 ")", i,
			    meta.num_delivered);
			goto out;
		}
	}
	check_ack_all(agent, got, n, res);
out:
	check_msgs_free(got, OFFLINE_UNACKED);
	jsapi_free(agent);
}

static void
offline_ack_floor(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi		*agent = NULL;
	struct jsapi_msg	*got[OFFLINE_ACKED] = { NULL };
	struct jsapi_meta	 meta;
	cJSON			*info = NULL;
	struct diag		 d = { 0 };
	char			 name[128], subj[512];
	uint64_t		 acked_seq = 0, floor;
	int			 i, n, r;

	check_name(ctx, "off-floor", name, sizeof(name));
	check_subject(ctx, "off-floor", subj, sizeof(subj));
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the durable");
		goto out;
	}
	if (check_publish_n(ctx, res, subj, "floor", OFFLINE_ACKED * 2,
	    "publishing") != 0 ||
	    check_connect(ctx, res, &agent) != 0)
		goto out;
	if ((n = check_fetch(ctx, agent, name, OFFLINE_ACKED, ctx->wait_ms,
	    got, res)) < 0)
		goto out;
	if (n < OFFLINE_ACKED) {
		check_fail(res, "received %d of %d messages", n,
		    OFFLINE_ACKED);
		goto out;
	}
	if (jsapi_msg_meta(got[n - 1], &meta) != 0) {
		check_error(res, "message without JetStream metadata on "
		    "'%s'", got[n - 1]->reply ? got[n - 1]->reply : "");
		goto out;
	}
	acked_seq = meta.stream_seq;
	/* Fault: the agent never acknowledges. */
	if (!check_fault(ctx, "no-ack-offline") &&
	    check_ack_all(agent, got, n, res) != 0)
		goto out;
	check_msgs_free(got, n);
	jsapi_free(agent);
	agent = NULL;

	if ((r = jsapi_consumer_info(ctx->api, ctx->stream, name, &d,
	    &info)) != 0) {
		check_error_diag(res, &d, "reading the durable");
		goto out;
	}
	floor = (uint64_t)reply_count(cJSON_GetObjectItemCaseSensitive(info,
	    "ack_floor"), "stream_seq");
	if (floor != acked_seq) {
		check_fail(res, "after the disconnect the ack floor of '%s' is "
		    "stream sequence %" PRIu64 ", want %" PRIu64 " (the last "
		    "of %d acknowledged)", name, floor, acked_seq,
		    OFFLINE_ACKED);
		goto out;
	}
	if (check_connect(ctx, res, &agent) != 0)
		goto out;
	if ((n = check_fetch(ctx, agent, name, OFFLINE_ACKED, ctx->wait_ms,
	    got, res)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (jsapi_msg_meta(got[i], &meta) == 0 &&
		    meta.stream_seq <= acked_seq) {
			check_fail(res, "acknowledged stream sequence %" PRIu64
			    " was delivered again after the reconnect",
			    meta.stream_seq);
			goto out;
		}
	}
	if (n < OFFLINE_ACKED)
		check_fail(res, "after the reconnect %d of the %d "
		    "unacknowledged messages arrived", n, OFFLINE_ACKED);
	else
		check_ack_all(agent, got, n, res);
out:
	cJSON_Delete(info);
	check_msgs_free(got, OFFLINE_ACKED);
	jsapi_free(agent);
}

static const struct check offline_checks[] = {
	{ "offline.durable-exists", "a durable consumer exists while no "
	    "subscriber is connected", 0, offline_durable_exists },
	{ "offline.delivery", "messages published while offline all arrive, "
	    "in order and exactly once, when a new connection binds",
	    CHECK_NEEDS_PUBLISH, offline_delivery },
	{ "offline.redelivery", "unacknowledged messages are redelivered "
	    "after a reconnect",
	    CHECK_NEEDS_PUBLISH, offline_redelivery },
	{ "offline.ack-floor", "the durable's ack floor survives a "
	    "disconnect: acknowledged messages are not delivered again",
	    CHECK_NEEDS_PUBLISH, offline_ack_floor },
};

const struct check_group check_offline_group = {
	"offline",
	"an offline subscriber: durable consumer, catch-up, redelivery",
	offline_checks,
	sizeof(offline_checks) / sizeof(offline_checks[0]),
};
