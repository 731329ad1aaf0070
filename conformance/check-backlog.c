/* SPDX-License-Identifier: MIT */
/*
 * check-backlog: the declared backlog fits, by behaviour.  The contract's
 * backlog_msgs of typical_msg_size are published into a scaled copy of
 * the live stream: a stream of its own (memory, so the harness's store
 * limits do not matter) with the live retention and discard policy and
 * the live max_msgs and max_bytes scaled by the same factor as the
 * backlog.  The scaling is exact in both directions (floor(limit * n /
 * backlog), plus the server's per-message overhead for bytes), so a limit
 * that holds the backlog holds the scaled one and a limit that is too
 * small stays too small: the scaling cannot hide the limit under test.
 *
 * A publish refused (discard new) or a message dropped (discard old)
 * before the backlog is in is a failure naming max_msgs or max_bytes and
 * discard.  Its own stream and subject: safe on the live target.
 *
 * backlog.largest publishes one message of the contract's max_msg_size
 * (no headers: they would count against it) into the target stream, a
 * copy of the live one with its limits, and reads it back through a copy
 * of the live declared consumer: it must be stored (a PubAck from the
 * stream), still stored after the stream applied its limits, and delivered
 * byte-identical.  A refusal (the stream's max_msg_size or max_bytes, the
 * server's max_payload) or a message dropped at once (discard old and
 * max_bytes below the message) is a failure naming the setting.  It consumes, so not on the live target.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reply.h"
#include "units.h"

#define BACKLOG_MSGS	50	/* messages published at most */
#define BACKLOG_SIZE	1024	/* largest body published */
#define BACKLOG_OVERHEAD 64	/* stored bytes per message beyond the body
				   and subject (generous: 2.9 uses 22+) */
#define BACKLOG_LARGEST_MAX (64 * 1024 * 1024)	/* the largest max_payload
						   a nats-server accepts */

/* floor(v * num / den) without overflow for the values in play. */
static int64_t
backlog_scale(int64_t v, int64_t num, int64_t den)
{
	return (int64_t)((long double)v * num / den);
}

static void
backlog_holds(struct check_ctx *ctx, struct check_result *res)
{
	const cJSON	*live = ctx->live_config;
	const char	*discard, *retention;
	cJSON		*cfg = NULL, *info = NULL, *ack = NULL, *subj;
	struct diag	 d = { 0 };
	char		 name[256], subject[300], *body = NULL;
	int64_t		 backlog, typ, n, f, size, maxm, maxb, sm = -1, sb = -1;
	int64_t		 stored, i;

	backlog = reply_int_or(ctx->spec != NULL ? ctx->spec->contract : NULL,
	    "backlog_msgs", 0);
	if (backlog <= 0) {
		check_skip(res, "the contract declares no backlog_msgs");
		return;
	}
	typ = reply_int_or(ctx->spec->contract, "typical_msg_size", 128);
	n = backlog < BACKLOG_MSGS ? backlog : BACKLOG_MSGS;
	f = (backlog + n - 1) / n;
	n = (backlog + f - 1) / f;
	size = typ < BACKLOG_SIZE ? typ : BACKLOG_SIZE;
	maxm = reply_int_or(live, "max_msgs", -1);
	maxb = reply_int_or(live, "max_bytes", -1);
	discard = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(live,
	    "discard"));
	discard = discard != NULL ? discard : "old";
	retention = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(live,
	    "retention"));
	retention = retention != NULL ? retention : "limits";
	check_derived_name(ctx, "bl", name, sizeof(name));
	snprintf(subject, sizeof(subject), "%s.m", name);
	if (maxm > 0)
		sm = backlog_scale(maxm, n, backlog);
	if (maxb > 0)
		sb = backlog_scale(maxb, n * size, backlog * typ) + n *
		    (int64_t)(strlen(subject) + BACKLOG_OVERHEAD);
	if (sm == 0)
		sm = 1;		/* 0 would mean no limit */
	if (maxb > 0 && sb <= 0)
		sb = 1;
	check_detail(res, "workload from the contract: a backlog of %" PRId64
	    " messages of %" PRId64 " bytes, scaled 1:%" PRId64 " to %"
	    PRId64 " of %" PRId64 " bytes; live max_msgs %" PRId64 " -> %"
	    PRId64 ", max_bytes %" PRId64 " -> %" PRId64 ", discard %s, "
	    "retention %s", backlog, typ, f, n, size, maxm, sm, maxb, sb,
	    discard, retention);
	if (check_track_stream(ctx, name) != 0 ||
	    (body = malloc((size_t)size + 1)) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	memset(body, 'b', (size_t)size);
	body[size] = '\0';
	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "name", name) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(subject)) ||
	    cJSON_AddStringToObject(cfg, "retention",
	    strcmp(retention, "interest") == 0 ? "limits" : retention) ==
	    NULL ||
	    cJSON_AddStringToObject(cfg, "storage", "memory") == NULL ||
	    cJSON_AddStringToObject(cfg, "discard", discard) == NULL ||
	    cJSON_AddNumberToObject(cfg, "max_msgs", (double)sm) == NULL ||
	    cJSON_AddNumberToObject(cfg, "max_bytes", (double)sb) == NULL ||
	    cJSON_AddNumberToObject(cfg, "num_replicas", 1) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	if (check_stream_create(ctx->api, cfg, &d, &info) != 0) {
		check_error_diag(res, &d, "creating the scaled stream");
		goto out;
	}
	for (i = 0; i < n; i++) {
		cJSON_Delete(ack);
		ack = NULL;
		if (jsapi_js_publish(ctx->api, subject, NULL, body,
		    (size_t)size, &d, &ack) == 0)
			continue;
		if (d.code == -EPROTO)
			check_fail(res, "stream '%s' cannot hold the declared "
			    "backlog: message %" PRId64 " of %" PRId64 " (scaled "
			    "1:%" PRId64 ") was refused: '%s'; max_msgs %" PRId64
			    ", max_bytes %" PRId64 ", discard %s: an agent's "
			    "message is refused once %" PRId64 " are waiting",
			    ctx->spec->name, i + 1, n, f, d.msg, maxm, maxb,
			    discard, i * f);
		else
			check_error_diag(res, &d, "publishing");
		goto out;
	}
	cJSON_Delete(info);
	info = NULL;
	if (jsapi_stream_info(ctx->api, name, &d, &info) != 0) {
		check_error_diag(res, &d, "reading the scaled stream");
		goto out;
	}
	stored = reply_int_or(cJSON_GetObjectItemCaseSensitive(info, "state"),
	    "messages", 0);
	if (stored < n)
		check_fail(res, "stream '%s' cannot hold the declared backlog: "
		    "of %" PRId64 " messages (scaled 1:%" PRId64 ") %" PRId64
		    " are left; max_msgs %" PRId64 ", max_bytes %" PRId64 ", "
		    "discard %s: the oldest unread messages are dropped before "
		    "the agents read them", ctx->spec->name, n, f, stored,
		    maxm, maxb, discard);
out:
	/* The runner removes it too; deleting now keeps the server tidy. */
	(void)jsapi_stream_delete(ctx->api, name, &d);
	free(body);
	cJSON_Delete(ack);
	cJSON_Delete(info);
	cJSON_Delete(cfg);
}

/* Fill buf with bytes from a seed: a cut or a shifted byte shows. */
static void
backlog_fill(unsigned char *buf, size_t len, uint32_t seed)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		buf[i] = (unsigned char)seed;
	}
}

static void
backlog_largest(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*got[1] = { NULL };
	const cJSON		*live = ctx->live_config;
	cJSON			*ack = NULL;
	struct diag		 d = { 0 };
	unsigned char		*body = NULL;
	char			 subj[512], name[128], b1[32], b2[32], b3[32];
	const char		*discard;
	int64_t			 biggest, seq = 0, stored;
	size_t			 i;
	int			 n, r;

	biggest = reply_int_or(ctx->spec != NULL ? ctx->spec->contract : NULL,
	    "max_msg_size", 0);
	if (biggest <= 0) {
		check_skip(res, "the contract declares no max_msg_size");
		return;
	}
	units_format_size(biggest, b1, sizeof(b1));
	units_format_size(reply_int_or(live, "max_msg_size", -1), b2,
	    sizeof(b2));
	discard = reply_str(live, "discard", "old");
	if (biggest > BACKLOG_LARGEST_MAX) {
		check_fail(res, "stream '%s': the contract's largest message "
		    "is %s; no nats-server accepts a message larger than "
		    "64MiB (max_payload)", ctx->spec->name, b1);
		return;
	}
	check_subject(ctx, "big", subj, sizeof(subj));
	check_name(ctx, "big", name, sizeof(name));
	if ((body = malloc((size_t)biggest)) == NULL) {
		check_error(res, "out of memory");
		return;
	}
	backlog_fill(body, (size_t)biggest, 2463534242u ^ (uint32_t)biggest);
	/* Created first, so an interest stream keeps the message. */
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the reading consumer");
		goto out;
	}
	r = jsapi_js_publish(ctx->api, subj, NULL, body, (size_t)biggest, &d,
	    &ack);
	if (r == -E2BIG) {
		check_fail(res, "stream '%s': a message of %s (the contract's "
		    "largest) cannot be sent: the server's max_payload is "
		    "smaller (%s): agents cannot publish their largest "
		    "messages", ctx->spec->name, b1, d.msg);
		goto out;
	}
	if (r == -EPROTO) {
		check_fail(res, "stream '%s': a message of %s (the contract's "
		    "largest) was refused: '%s'; live max_msg_size %s, "
		    "max_bytes %s: the stream refuses an agent's largest "
		    "message", ctx->spec->name, b1, d.msg, b2,
		    units_format_size(reply_int_or(live, "max_bytes", -1), b3,
		    sizeof(b3)));
		goto out;
	}
	if (r != 0) {
		check_error_diag(res, &d, "publishing the largest message");
		goto out;
	}
	(void)reply_int(ack, "seq", 0, INT64_MAX, "", NULL, &seq);
	/* Acknowledged is not kept: discard old drops what max_bytes cannot
	   hold, this message included. */
	if ((stored = check_subject_count(ctx, subj, res)) < 0)
		goto out;
	if (stored == 0) {
		check_fail(res, "stream '%s': the message of %s (the "
		    "contract's largest) was acknowledged as sequence %"
		    PRId64 " but not kept; live max_bytes %s, max_msg_size "
		    "%s, discard %s: the stream drops an agent's largest "
		    "message", ctx->spec->name, b1, seq,
		    units_format_size(reply_int_or(live, "max_bytes", -1), b3,
		    sizeof(b3)), b2, discard);
		goto out;
	}
	if ((n = check_fetch(ctx, ctx->api, name, 1, ctx->wait_ms, got,
	    res)) < 0)
		goto out;
	if (n == 0) {
		check_fail(res, "stream '%s': the message of %s stored as "
		    "sequence %" PRId64 " was not delivered within %" PRId64
		    " ms", ctx->spec->name, b1, seq, ctx->wait_ms);
		goto out;
	}
	for (i = 0; i < got[0]->len && i < (size_t)biggest; i++)
		if ((unsigned char)got[0]->data[i] != body[i])
			break;
	if (got[0]->len != (size_t)biggest || i < got[0]->len)
		check_fail(res, "stream '%s': the message of %s came back as "
		    "%zu bytes, differing from byte %zu on", ctx->spec->name,
		    b1, got[0]->len, i);
	else if (check_ack_all(ctx->api, got, 1, res) == 0)
		check_detail(res, "a message of %s (the contract's largest; "
		    "live max_msg_size %s) was stored as sequence %" PRId64
		    " and delivered byte-identical", b1, b2, seq);
out:
	check_msgs_free(got, 1);
	cJSON_Delete(ack);
	free(body);
}

static const struct check backlog_checks[] = {
	{ "backlog.holds", "the declared backlog of typical messages fits a "
	    "copy of the live stream's limits scaled with it", 0,
	    backlog_holds },
	{ "backlog.largest", "a message of the contract's max_msg_size is "
	    "stored and delivered byte-identical", CHECK_NEEDS_CONSUME |
	    CHECK_NEEDS_PUBLISH, backlog_largest },
};

const struct check_group check_backlog_group = {
	"backlog",
	"the declared backlog fits the live limits, by publishing it",
	backlog_checks,
	sizeof(backlog_checks) / sizeof(backlog_checks[0]),
};
