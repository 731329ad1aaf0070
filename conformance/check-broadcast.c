/* SPDX-License-Identifier: MIT */
/*
 * check-broadcast: what agents listening to announcements rely on.  K
 * durable consumers each receive all M messages, one consumer's acks leave
 * the others' pending counts alone, a consumer that joins later with
 * deliver-all still gets the history, and under limits retention the
 * messages stay after everyone acknowledged them.
 *
 * A first consumer is always created before publishing, so that an
 * interest stream keeps the messages as it would for real subscribers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "reply.h"

#define BCAST_K		3
#define BCAST_M		8

struct bcast {
	char			 subj[512];
	char			 names[BCAST_K][128];
	struct jsapi_msg	*got[BCAST_K][BCAST_M];
	int			 n[BCAST_K];
};

static void
bcast_free(struct bcast *b)
{
	int	k;

	for (k = 0; k < BCAST_K; k++)
		check_msgs_free(b->got[k], BCAST_M);
}

/* K consumers (one name for all under fault "shared-durable"), M messages. */
static int
bcast_setup(struct check_ctx *ctx, struct check_result *res, struct bcast *b,
    const char *tag, int consumers)
{
	struct diag	d = { 0 };
	char		suffix[64];
	int		k, r;

	check_subject(ctx, tag, b->subj, sizeof(b->subj));
	for (k = 0; k < consumers; k++) {
		/* Fault: the fan-out subscribers share one durable. */
		snprintf(suffix, sizeof(suffix), "%s-%d", tag,
		    strcmp(tag, "bc-fan") == 0 &&
		    check_fault(ctx, "shared-durable") ? 0 : k);
		check_name(ctx, suffix, b->names[k], sizeof(b->names[k]));
		if ((r = check_pull_consumer(ctx, ctx->api, b->names[k],
		    b->subj, "all", &d)) != 0) {
			check_error_diag(res, &d, "creating a "
			    "consumer");
			return r;
		}
	}
	return check_publish_n(ctx, res, b->subj, "news", BCAST_M,
	    "publishing");
}

/*
 * Consumers from..to-1 fetch; fails unless each got all M in order, each
 * for the first time (a redelivery means another subscriber shares it).
 */
static int
bcast_fetch_all(struct check_ctx *ctx, struct check_result *res,
    struct bcast *b, int from, int to)
{
	struct jsapi_meta	meta;
	char			q[DIAG_QUOTE_LEN];
	int			k, i, j;

	for (k = from; k < to; k++) {
		if ((b->n[k] = check_fetch(ctx, ctx->api, b->names[k], BCAST_M,
		    ctx->wait_ms, b->got[k], res)) < 0) {
			b->n[k] = 0;
			return -EIO;
		}
		if (b->n[k] < BCAST_M) {
			check_fail(res, "consumer %d of %d ('%s') "
			    "received %d of %d messages", k + 1, to,
			    b->names[k], b->n[k], BCAST_M);
			return -EIO;
		}
		for (i = 0; i < BCAST_M; i++)
			if (sscanf(b->got[k][i]->data, "news %d", &j) != 1 ||
			    j != i) {
				check_fail(res, "consumer '%s' got "
				    "'%s' as message %d", b->names[k],
				    diag_quote(b->got[k][i]->data, 32, q,
				    sizeof(q)), i + 1);
				return -EIO;
			}
		for (i = 0; i < BCAST_M; i++)
			if (jsapi_msg_meta(b->got[k][i], &meta) != 0 ||
			    meta.num_delivered != 1) {
				check_fail(res, "consumer '%s' got "
				    "message %d as delivery %" PRIu64 ", not "
				    "its first: another subscriber consumed it "
				    "first", b->names[k], i + 1,
				    meta.num_delivered);
				return -EIO;
			}
	}
	return 0;
}

static void
bcast_fanout(struct check_ctx *ctx, struct check_result *res)
{
	struct bcast	b;

	memset(&b, 0, sizeof(b));
	if (bcast_setup(ctx, res, &b, "bc-fan", BCAST_K) == 0 &&
	    bcast_fetch_all(ctx, res, &b, 0, BCAST_K) == 0)
		check_detail(res, "%d consumers each received all %d "
		    "messages in order", BCAST_K, BCAST_M);
	bcast_free(&b);
}

/* num_ack_pending and num_pending of consumer name. */
static int
bcast_pending(struct check_ctx *ctx, struct check_result *res,
    const char *name, int64_t ret[2])
{
	struct diag	d = { 0 };
	cJSON		*info = NULL;
	int		r;

	if ((r = jsapi_consumer_info(ctx->api, ctx->stream, name, &d,
	    &info)) != 0) {
		check_error_diag(res, &d, "reading a consumer");
		return r;
	}
	ret[0] = reply_count(info, "num_ack_pending");
	ret[1] = reply_count(info, "num_pending");
	cJSON_Delete(info);
	return 0;
}

static void
bcast_independent_acks(struct check_ctx *ctx, struct check_result *res)
{
	struct bcast	b;
	int64_t		before[BCAST_K][2], after[2];
	int		k;

	memset(&b, 0, sizeof(b));
	if (bcast_setup(ctx, res, &b, "bc-ind", BCAST_K) != 0 ||
	    bcast_fetch_all(ctx, res, &b, 0, BCAST_K) != 0)
		goto out;
	for (k = 1; k < BCAST_K; k++)
		if (bcast_pending(ctx, res, b.names[k], before[k]) != 0)
			goto out;
	if (check_ack_all(ctx->api, b.got[0], b.n[0], res) != 0)
		goto out;
	/* Fault: the client acknowledges on every consumer. */
	for (k = 1; k < BCAST_K && check_fault(ctx, "ack-other"); k++)
		if (check_ack_all(ctx->api, b.got[k], b.n[k], res) != 0)
			goto out;
	for (k = 1; k < BCAST_K; k++) {
		if (bcast_pending(ctx, res, b.names[k], after) != 0)
			goto out;
		if (after[0] != before[k][0] || after[1] != before[k][1]) {
			check_fail(res, "acknowledging on '%s' changed '%s': "
			    "ack pending %" PRId64 " -> %" PRId64 ", pending %"
			    PRId64 " -> %" PRId64, b.names[0], b.names[k],
			    before[k][0], after[0], before[k][1], after[1]);
			goto out;
		}
	}
	check_detail(res, "after '%s' acknowledged %d messages the others "
	    "still have %" PRId64 " awaiting acknowledgement", b.names[0],
	    b.n[0], before[1][0]);
out:
	bcast_free(&b);
}

static void
bcast_late_joiner(struct check_ctx *ctx, struct check_result *res)
{
	struct bcast	b;
	struct diag	d = { 0 };
	int		r;

	memset(&b, 0, sizeof(b));
	if (bcast_setup(ctx, res, &b, "bc-late", 1) != 0)
		goto out;
	check_name(ctx, "bc-late-joiner", b.names[1], sizeof(b.names[1]));
	/* Fault: the late joiner asks only for new messages. */
	if ((r = check_pull_consumer(ctx, ctx->api, b.names[1], b.subj,
	    check_fault(ctx, "late-new") ? "new" : "all", &d)) != 0) {
		check_error_diag(res, &d, "creating the late consumer");
		goto out;
	}
	bcast_fetch_all(ctx, res, &b, 1, 2);
out:
	bcast_free(&b);
}

static void
bcast_retained(struct check_ctx *ctx, struct check_result *res)
{
	struct bcast	 b;
	struct diag	 d = { 0 };
	const char	*retention;
	cJSON		*req = NULL, *resp = NULL;
	char		 suffix[600];
	int64_t		 stored;
	int		 k;

	retention = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->config, "retention"));
	if (retention != NULL && strcmp(retention, "limits") != 0) {
		check_skip(res, "retention is '%s': acknowledged messages are "
		    "meant to go", retention);
		return;
	}
	memset(&b, 0, sizeof(b));
	if (bcast_setup(ctx, res, &b, "bc-keep", BCAST_K) != 0 ||
	    bcast_fetch_all(ctx, res, &b, 0, BCAST_K) != 0)
		goto out;
	for (k = 0; k < BCAST_K; k++)
		if (check_ack_all(ctx->api, b.got[k], b.n[k], res) != 0)
			goto out;
	/* Fault: a client "cleans up" what everyone acknowledged. */
	if (check_fault(ctx, "purge-acked")) {
		snprintf(suffix, sizeof(suffix), "STREAM.PURGE.%s",
		    ctx->stream);
		if ((req = cJSON_CreateObject()) != NULL &&
		    cJSON_AddStringToObject(req, "filter", b.subj) != NULL)
			jsapi_request(ctx->api, suffix, req, &d, &resp);
	}
	if ((stored = check_subject_count(ctx, b.subj, res)) < 0)
		goto out;
	if (stored != BCAST_M)
		check_fail(res, "%" PRId64 " of %d messages remain on '%s' "
		    "after every consumer acknowledged them (limits "
		    "retention keeps them all)", stored, BCAST_M, b.subj);
out:
	cJSON_Delete(resp);
	cJSON_Delete(req);
	bcast_free(&b);
}

static const struct check bcast_checks[] = {
	{ "broadcast.fanout", "K durable consumers each receive all M "
	    "messages, in order",
	    CHECK_NEEDS_PUBLISH, bcast_fanout },
	{ "broadcast.independent-acks", "acks on one consumer leave the "
	    "others' pending counts unchanged",
	    CHECK_NEEDS_PUBLISH, bcast_independent_acks },
	{ "broadcast.late-joiner", "a consumer that joins later with "
	    "deliver-all receives the history",
	    CHECK_NEEDS_PUBLISH, bcast_late_joiner },
	{ "broadcast.retained", "under limits retention messages stay after "
	    "every consumer acknowledged them",
	    CHECK_NEEDS_PUBLISH, bcast_retained },
};

const struct check_group check_broadcast_group = {
	"broadcast",
	"broadcast to many durable consumers: fan-out, independent acks",
	bcast_checks,
	sizeof(bcast_checks) / sizeof(bcast_checks[0]),
};
