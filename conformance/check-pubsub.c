/* SPDX-License-Identifier: MIT */
/*
 * check-pubsub: what a single agent relies on when it sends and receives:
 * a core subscription sees what is published on a declared subject, a
 * JetStream publish is acknowledged with its stream and sequence, and the
 * stored message reads back byte for byte, headers included.
 *
 * Every check uses its own subject (check_subject), so they never see each
 * other's messages; nothing is consumed or deleted, so they also run on
 * the live target.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define PUBSUB_HDR	"X-Conformance"

static void
pubsub_core(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	char			 subj[512], listen[512], body[128];
	char			 q[DIAG_QUOTE_LEN], q2[DIAG_QUOTE_LEN];
	int			 r;

	check_subject(ctx, "core", subj, sizeof(subj));
	snprintf(body, sizeof(body), "core %s", ctx->run_id);
	/* Fault: the client listens on the wrong subject. */
	if (check_fault(ctx, "core-miss"))
		check_subject(ctx, "elsewhere", listen, sizeof(listen));
	else
		snprintf(listen, sizeof(listen), "%s", subj);
	if ((r = jsapi_subscribe(ctx->api, listen, &d, &sub)) != 0 ||
	    (r = jsapi_flush(ctx->api, &d)) != 0) {
		check_error_diag(res, &d, "subscribing");
		goto out;
	}
	if ((r = jsapi_publish(ctx->api, subj, NULL, NULL, body, strlen(body),
	    &d)) != 0 || (r = jsapi_flush(ctx->api, &d)) != 0) {
		check_error_diag(res, &d, "publishing");
		goto out;
	}
	r = jsapi_sub_next(sub, ctx->wait_ms, &d, &m);
	if (r == -ETIMEDOUT) {
		check_fail(res, "nothing arrived on the subscription within "
		    "%" PRId64 " ms of publishing on '%s'", ctx->wait_ms, subj);
		goto out;
	}
	if (r != 0) {
		check_error_diag(res, &d, "waiting for the message");
		goto out;
	}
	if (strcmp(m->subject, subj) != 0 || m->len != strlen(body) ||
	    memcmp(m->data, body, m->len) != 0)
		check_fail(res, "received '%s' on '%s', want '%s' on '%s'",
		    diag_quote(m->data, 64, q, sizeof(q)), diag_quote(
		    m->subject, DIAG_QUOTE_MAX, q2, sizeof(q2)), body, subj);
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
}

static void
pubsub_js_ack(struct check_ctx *ctx, struct check_result *res)
{
	cJSON		*ack = NULL;
	struct diag	 d = { 0 };
	const char	*stream;
	char		 subj[512];
	double		 seq[2] = { 0, 0 };
	int		 i, r;

	check_subject(ctx, "ack", subj, sizeof(subj));
	/* Fault: the client publishes where no stream listens. */
	if (check_fault(ctx, "js-no-stream"))
		snprintf(subj, sizeof(subj), "%s.nostream.ack", ctx->run_id);
	for (i = 0; i < 2; i++) {
		cJSON_Delete(ack);
		ack = NULL;
		r = jsapi_js_publish(ctx->api, subj, NULL, "ack", 3, &d, &ack);
		if (r == -ENOTSUP || r == -ETIMEDOUT || r == -EPROTO) {
			check_fail(res, "JetStream publish on '%s' was not "
			    "acknowledged by stream '%s': %s", subj,
			    ctx->stream, d.msg);
			goto out;
		}
		if (r != 0) {
			check_error_diag(res, &d, "publishing");
			goto out;
		}
		stream = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    ack, "stream"));
		seq[i] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    ack, "seq"));
		if (stream == NULL || strcmp(stream, ctx->stream) != 0) {
			check_fail(res, "the PubAck names stream '%s', want "
			    "'%s'", stream ? stream : "(none)", ctx->stream);
			goto out;
		}
		if (!(seq[i] >= 1)) {
			check_fail(res, "the PubAck carries no sequence");
			goto out;
		}
	}
	if (seq[1] <= seq[0])
		check_fail(res, "the second publish got sequence %.0f, not "
		    "after the first's %.0f", seq[1], seq[0]);
	else
		check_detail(res, "acknowledged by '%s' with sequences %.0f "
		    "and %.0f", ctx->stream, seq[0], seq[1]);
out:
	cJSON_Delete(ack);
}

/* The first value of header name in m, or NULL. */
static const char *
pubsub_header(const struct jsapi_msg *m, const char *name)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(m->headers, name);
	if (cJSON_IsArray(v))
		v = cJSON_GetArrayItem(v, 0);
	return cJSON_GetStringValue(v);
}

static void
pubsub_readback(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*got[1] = { NULL };
	cJSON			*hdrs = NULL, *ack = NULL, *vals;
	struct diag		 d = { 0 };
	unsigned char		 body[300];
	char			 subj[512], name[128], hval[64];
	const char		*v;
	size_t			 i;
	int			 n, r;

	check_subject(ctx, "rb", subj, sizeof(subj));
	check_name(ctx, "rb", name, sizeof(name));
	/* Every byte value, NUL and CR LF included. */
	for (i = 0; i < sizeof(body); i++)
		body[i] = (unsigned char)(i * 7 + 13);
	body[5] = 0;
	body[6] = '\r';
	body[7] = '\n';
	snprintf(hval, sizeof(hval), "v1 %s", ctx->run_id);
	/* Created first, so an interest stream keeps the message. */
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the reading consumer");
		goto out;
	}
	if ((hdrs = cJSON_CreateObject()) == NULL ||
	    (vals = cJSON_AddArrayToObject(hdrs, PUBSUB_HDR)) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	cJSON_AddItemToArray(vals, cJSON_CreateString(hval));
	/* Fault: the client drops its headers on the way out. */
	r = jsapi_js_publish(ctx->api, subj, check_fault(ctx,
	    "strip-headers") ? NULL : hdrs, body, sizeof(body), &d, &ack);
	if (r != 0) {
		check_error_diag(res, &d, "publishing");
		goto out;
	}
	if ((n = check_fetch(ctx, ctx->api, name, 1, ctx->wait_ms, got,
	    res)) < 0)
		goto out;
	if (n == 0) {
		check_fail(res, "the stored message on '%s' could not be read "
		    "back within %" PRId64 " ms", subj, ctx->wait_ms);
		goto out;
	}
	if (got[0]->len != sizeof(body) ||
	    memcmp(got[0]->data, body, sizeof(body)) != 0) {
		check_fail(res, "the stored payload differs: read %zu bytes, "
		    "published %zu", got[0]->len, sizeof(body));
		goto out;
	}
	v = pubsub_header(got[0], PUBSUB_HDR);
	if (v == NULL || strcmp(v, hval) != 0)
		check_fail(res, "header '%s' of the stored message is '%s', "
		    "want '%s'", PUBSUB_HDR, v ? v : "(missing)", hval);
	else
		check_detail(res, "%zu payload bytes and header '%s' read "
		    "back unchanged", sizeof(body), PUBSUB_HDR);
out:
	check_msgs_free(got, 1);
	cJSON_Delete(ack);
	cJSON_Delete(hdrs);
}

static const struct check pubsub_checks[] = {
	{ "pubsub.core", "a core subscription receives what is published on "
	    "a declared subject",
	    CHECK_NEEDS_PUBLISH, pubsub_core },
	{ "pubsub.js-ack", "a JetStream publish is acknowledged with the "
	    "stream's name and increasing sequences",
	    CHECK_NEEDS_PUBLISH, pubsub_js_ack },
	{ "pubsub.readback", "the stored message reads back byte-identical, "
	    "headers included",
	    CHECK_NEEDS_PUBLISH, pubsub_readback },
};

const struct check_group check_pubsub_group = {
	"pubsub",
	"publish and subscribe: core delivery, PubAck, stored read-back",
	pubsub_checks,
	sizeof(pubsub_checks) / sizeof(pubsub_checks[0]),
};
