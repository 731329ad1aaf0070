/* SPDX-License-Identifier: MIT */
/*
 * jsapi-msg: messaging on the client's connection for the conformance
 * checks and the benchmark: publish, subscribe, pull, acknowledge.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nats/nats.h>

#include "jsapi-int.h"
#include "reply.h"

#define JSAPI_RESPONSE_MAX	(64 * 1024 * 1024)

struct jsapi_sub {
	struct jsapi		*api;
	natsSubscription	*sub;
	char			*subject;
};


void
jsapi_msg_free(struct jsapi_msg *m)
{
	if (m == NULL)
		return;
	free(m->subject);
	free(m->reply);
	free(m->data);
	cJSON_Delete(m->headers);
	free(m);
}

/*
 * Headers as {"name": ["value", ...]}.  nats.c keeps the status line of a
 * JetStream status message as the header "Status" (and "Description");
 * it is handed on as "status".
 */
static int
jsapi_headers_from(natsMsg *nm, cJSON **ret)
{
	const char	**keys = NULL, **vals = NULL;
	cJSON		 *h = NULL, *arr, *s;
	int		  nkeys = 0, nvals, i, j, r = -ENOMEM;

	if (natsMsgHeader_Keys(nm, &keys, &nkeys) != NATS_OK) {
		*ret = NULL;
		return 0;
	}
	if ((h = cJSON_CreateObject()) == NULL)
		goto out;
	for (i = 0; i < nkeys; i++) {
		if (natsMsgHeader_Values(nm, keys[i], &vals, &nvals) !=
		    NATS_OK)
			goto out;
		arr = cJSON_AddArrayToObject(h, strcmp(keys[i], "Status") ==
		    0 ? "status" : keys[i]);
		for (j = 0; arr != NULL && j < nvals; j++) {
			if ((s = cJSON_CreateString(vals[j])) == NULL)
				break;
			cJSON_AddItemToArray(arr, s);
		}
		free((void *)vals);
		if (arr == NULL || j < nvals)
			goto out;
	}
	*ret = h;
	h = NULL;
	r = 0;
out:
	free((void *)keys);
	cJSON_Delete(h);
	return r;
}

static int
jsapi_msg_from(natsMsg *nm, struct jsapi_msg **ret)
{
	struct jsapi_msg	*m;
	const char		*reply = natsMsg_GetReply(nm);
	int			 len = natsMsg_GetDataLength(nm);

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	m->len = len > 0 ? (size_t)len : 0;
	if ((m->subject = strdup(natsMsg_GetSubject(nm))) == NULL ||
	    (reply != NULL && *reply != '\0' &&
	    (m->reply = strdup(reply)) == NULL) ||
	    (m->data = malloc(m->len + 1)) == NULL ||
	    jsapi_headers_from(nm, &m->headers) < 0) {
		jsapi_msg_free(m);
		return -ENOMEM;
	}
	if (m->len > 0)
		memcpy(m->data, natsMsg_GetData(nm), m->len);
	m->data[m->len] = '\0';
	*ret = m;
	return 0;
}

int
jsapi_subscribe(struct jsapi *api, const char *subject, struct diag *d,
    struct jsapi_sub **ret)
{
	struct jsapi_sub	*sub;
	natsInbox		*inbox = NULL;
	natsStatus		 s;
	int			 r = 0;

	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	sub->api = api;
	if (subject == NULL) {
		if (natsInbox_Create(&inbox) != NATS_OK) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
		subject = inbox;
	}
	if ((sub->subject = strdup(subject)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	s = natsConnection_SubscribeSync(&sub->sub, api->nc, subject);
	if (s != NATS_OK) {
		r = jsapi_fail(s, d, "cannot subscribe");
		diag_prefix(d, "'%s'", subject);
		goto out;
	}
	*ret = sub;
	sub = NULL;
out:
	natsInbox_Destroy(inbox);
	jsapi_sub_free(sub);
	return r;
}

const char *
jsapi_sub_subject(const struct jsapi_sub *sub)
{
	return sub->subject;
}

int
jsapi_sub_next(struct jsapi_sub *sub, int64_t timeout_ms, struct diag *d,
    struct jsapi_msg **ret)
{
	natsMsg		*nm = NULL;
	natsStatus	 s;
	int		 r;

	if ((r = jsapi_check_stall(sub->api, d)) < 0)
		return r;
	s = natsSubscription_NextMsg(&nm, sub->sub, timeout_ms);
	if (s == NATS_TIMEOUT) {
		/* Waiting in vain may be the point; a silent server is not. */
		r = diag_set(d, -ETIMEDOUT, "no message on '%s' within "
		    "%" PRId64 " ms", sub->subject, timeout_ms);
		jsapi_note_timeout(sub->api, d != NULL ? d->msg :
		    sub->subject);
		if (sub->api->stalled)
			diag_set(d, r, "%s", sub->api->stall);
		return r;
	}
	/* nats.c turns a 503 status message into this status. */
	if (s == NATS_NO_RESPONDERS)
		return diag_set(d, -ENOTSUP, "no responders for the request "
		    "answered on '%s'", sub->subject);
	if (s != NATS_OK)
		return jsapi_fail(s, d, sub->subject);
	r = jsapi_msg_from(nm, ret);
	natsMsg_Destroy(nm);
	if (r < 0)
		return diag_set(d, r, "out of memory");
	return 0;
}

void
jsapi_sub_free(struct jsapi_sub *sub)
{
	if (sub == NULL)
		return;
	natsSubscription_Destroy(sub->sub);
	free(sub->subject);
	free(sub);
}

static int
jsapi_make_msg(const char *subject, const char *reply, const cJSON *headers,
    const void *data, size_t len, struct diag *d, natsMsg **ret)
{
	const cJSON	*h, *v;
	natsMsg		*nm = NULL;
	natsStatus	 s = NATS_OK;

	if (len > JSAPI_RESPONSE_MAX)
		return diag_set(d, -E2BIG, "message to '%s' is larger than %d "
		    "MiB", subject, JSAPI_RESPONSE_MAX / (1024 * 1024));
	s = natsMsg_Create(&nm, subject, reply, data, (int)len);
	if (s != NATS_OK)
		return jsapi_fail(s, d, "cannot create a message");
	cJSON_ArrayForEach(h, headers) {
		if (cJSON_IsString(h)) {
			s = natsMsgHeader_Add(nm, h->string, h->valuestring);
		} else if (cJSON_IsArray(h)) {
			cJSON_ArrayForEach(v, h) {
				if (!cJSON_IsString(v))
					break;
				s = natsMsgHeader_Add(nm, h->string,
				    v->valuestring);
				if (s != NATS_OK)
					break;
			}
			if (v != NULL && s == NATS_OK)
				s = NATS_INVALID_ARG;
		} else
			s = NATS_INVALID_ARG;
		if (s != NATS_OK) {
			natsMsg_Destroy(nm);
			return diag_set(d, s == NATS_NO_MEMORY ? -ENOMEM :
			    -EINVAL, "invalid header '%s': values must be "
			    "strings", h->string != NULL ? h->string : "");
		}
	}
	*ret = nm;
	return 0;
}

int
jsapi_publish(struct jsapi *api, const char *subject, const char *reply,
    const cJSON *headers, const void *data, size_t len, struct diag *d)
{
	natsMsg		*nm = NULL;
	natsStatus	 s;
	int		 r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_make_msg(subject, reply, headers, data, len, d,
	    &nm)) < 0)
		return r;
	s = natsConnection_PublishMsg(api->nc, nm);
	natsMsg_Destroy(nm);
	if (s != NATS_OK)
		return jsapi_fail(s, d, "cannot publish");
	return 0;
}

int
jsapi_flush(struct jsapi *api, struct diag *d)
{
	natsStatus	s;
	int		r;

	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	s = natsConnection_FlushTimeout(api->nc, api->timeout_ms);
	if (s == NATS_TIMEOUT) {
		/* A PING unanswered is the stall itself. */
		api->stalled = true;
		snprintf(api->stall, sizeof(api->stall), "the server stopped "
		    "answering (no PONG to a flush within %" PRId64 " ms)",
		    api->timeout_ms);
		return diag_set(d, -ETIMEDOUT, "%s", api->stall);
	}
	if (s != NATS_OK)
		return jsapi_fail(s, d, "flush");
	return 0;
}

/*
 * A PubAck that says the cluster is busy: err_code 10008 or 10009, or a
 * 503 without err_code.  Not every 503: "maximum messages exceeded"
 * (10077) and "insufficient resources" (10023) are 503s that stay.
 */
static bool
jsapi_busy_ack(natsMsg *reply)
{
	const char	*p = natsMsg_GetData(reply);
	int		 n = natsMsg_GetDataLength(reply);
	const cJSON	*e;
	cJSON		*o;
	double		 ec;
	bool		 busy;

	/* small replies only; the real check is jsapi_parse_reply() */
	if (p == NULL || n <= 0 || n > 512 ||
	    (o = cJSON_ParseWithLength(p, (size_t)n)) == NULL)
		return false;
	e = reply_get(o, "error");
	ec = reply_num(e, "err_code");
	busy = ec == 10008 || ec == 10009 || (ec == 0 &&
	    reply_num(e, "code") == 503);
	cJSON_Delete(o);
	return busy;
}

int
jsapi_js_publish(struct jsapi *api, const char *subject,
    const cJSON *headers, const void *data, size_t len, struct diag *d,
    cJSON **ret_ack)
{
	natsMsg		*nm = NULL, *reply = NULL;
	natsStatus	 s;
	int64_t		 seq, deadline, delay = 50;
	int		 r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_make_msg(subject, NULL, headers, data, len, d,
	    &nm)) < 0)
		return r;
	/*
	 * On a cluster a stream just created, or whose leader just moved,
	 * has no responder for a moment, or answers busy: nothing was stored,
	 * so the publish is sent again (50 ms doubling to 1 s) within the
	 * timeout.
	 */
	deadline = jsapi_now_ms() + api->timeout_ms;
	for (;;) {
		s = natsConnection_RequestMsg(&reply, api->nc, nm,
		    api->timeout_ms);
		if (api->server.cluster[0] == '\0' ||
		    jsapi_now_ms() + delay >= deadline ||
		    !(s == NATS_NO_RESPONDERS || (s == NATS_OK &&
		    jsapi_busy_ack(reply))))
			break;
		natsMsg_Destroy(reply);
		reply = NULL;
		api->retries++;
		nats_Sleep(delay);
		delay = delay * 2 > 1000 ? 1000 : delay * 2;
	}
	if (s == NATS_NO_RESPONDERS)
		r = diag_set(d, -ENOTSUP, "no stream matches subject '%s'",
		    subject);
	else if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "no acknowledgement for a publish "
		    "to '%s' within %" PRId64 " ms", subject, api->timeout_ms);
		jsapi_note_timeout(api, d != NULL ? d->msg : subject);
		if (api->stalled)
			diag_set(d, r, "%s", api->stall);
	}
	else if (s != NATS_OK)
		r = jsapi_fail(s, d, "cannot publish");
	else
		r = jsapi_parse_reply(reply, subject, d, ret_ack);
	/* The checks count on the sequence: a number that fits. */
	if (r == 0 && reply_int(*ret_ack, "seq", 0, INT64_MAX, "the publish "
	    "acknowledgement", d, &seq) == -EBADMSG) {
		cJSON_Delete(*ret_ack);
		*ret_ack = NULL;
		r = -EBADMSG;
	}
	natsMsg_Destroy(reply);
	natsMsg_Destroy(nm);
	return r;
}

int
jsapi_pull(struct jsapi *api, const char *stream, const char *consumer,
    int batch, int64_t expires_ms, const struct jsapi_sub *sub,
    struct diag *d)
{
	char		subject[JSAPI_SUBJECT_MAX], body[128];
	char		suffix[JSAPI_SUBJECT_MAX];
	natsStatus	s;
	int		r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_check_name("stream", stream, d)) < 0 ||
	    (r = jsapi_check_name("consumer", consumer, d)) < 0)
		return r;
	if (batch < 1 || expires_ms < 0 || expires_ms > INT64_MAX / 1000000)
		return diag_set(d, -EINVAL, "invalid pull request: batch %d, "
		    "expires %" PRId64 " ms", batch, expires_ms);
	snprintf(subject, sizeof(subject), "%s.CONSUMER.MSG.NEXT.%s.%s",
	    api->prefix, stream, consumer);
	if (expires_ms == 0)
		snprintf(body, sizeof(body), "{\"batch\":%d,\"no_wait\":true}",
		    batch);
	else
		snprintf(body, sizeof(body), "{\"batch\":%d,\"expires\":%"
		    PRId64 "}", batch, expires_ms * 1000000);
	api->requests++;
	snprintf(suffix, sizeof(suffix), "CONSUMER.MSG.NEXT.%s.%s", stream,
	    consumer);
	jsapi_trace(suffix, body);
	s = natsConnection_PublishRequest(api->nc, subject, sub->subject,
	    body, (int)strlen(body));
	if (s != NATS_OK)
		return jsapi_fail(s, d, "$JS.API.CONSUMER.MSG.NEXT");
	return 0;
}

int
jsapi_msg_ack(struct jsapi *api, const struct jsapi_msg *m,
    const char *kind, bool sync, struct diag *d)
{
	static const char *kinds[] = { "+ACK", "-NAK", "+TERM", "+WPI" };
	natsMsg		*reply = NULL;
	natsStatus	 s;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return diag_set(d, -EINVAL, "unknown acknowledgement '%s'",
		    kind);
	if (m->reply == NULL)
		return diag_set(d, -EINVAL, "the message on '%s' has no reply "
		    "subject to acknowledge", m->subject);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	if (!sync)
		s = natsConnection_Publish(api->nc, m->reply, kind,
		    (int)strlen(kind));
	else
		s = natsConnection_Request(&reply, api->nc, m->reply, kind,
		    (int)strlen(kind), api->timeout_ms);
	natsMsg_Destroy(reply);
	if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "the server did not confirm '%s' "
		    "within %" PRId64 " ms", kind, api->timeout_ms);
		jsapi_note_timeout(api, d != NULL ? d->msg : kind);
		if (api->stalled)
			diag_set(d, r, "%s", api->stall);
		return r;
	}
	if (s != NATS_OK)
		return jsapi_fail(s, d, kind);
	return 0;
}

static int
jsapi_parse_u64(const char *s, uint64_t *ret)
{
	char			*end;
	unsigned long long	 v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

/*
 * $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
 * (9 tokens), or from 2.10 on with <domain>.<account hash> before the
 * stream and a random token after pending (12 or more).
 */
int
jsapi_msg_meta(const struct jsapi_msg *m, struct jsapi_meta *ret)
{
	char	 buf[JSAPI_SUBJECT_MAX], *tok[16], *save = NULL, *t;
	size_t	 n = 0, base;

	if (m->reply == NULL || strncmp(m->reply, "$JS.ACK.", 8) != 0 ||
	    strlen(m->reply) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, m->reply, strlen(m->reply) + 1);
	for (t = strtok_r(buf, ".", &save); t != NULL;
	    t = strtok_r(NULL, ".", &save)) {
		if (n == sizeof(tok) / sizeof(tok[0]))
			return -EINVAL;
		tok[n++] = t;
	}
	if (n == 9)
		base = 2;
	else if (n >= 12)
		base = 4;
	else
		return -EINVAL;
	if (strlen(tok[base]) >= sizeof(ret->stream) ||
	    strlen(tok[base + 1]) >= sizeof(ret->consumer) ||
	    jsapi_parse_u64(tok[base + 2], &ret->num_delivered) < 0 ||
	    jsapi_parse_u64(tok[base + 3], &ret->stream_seq) < 0 ||
	    jsapi_parse_u64(tok[base + 4], &ret->consumer_seq) < 0 ||
	    jsapi_parse_u64(tok[base + 6], &ret->num_pending) < 0)
		return -EINVAL;
	memcpy(ret->stream, tok[base], strlen(tok[base]) + 1);
	memcpy(ret->consumer, tok[base + 1], strlen(tok[base + 1]) + 1);
	return 0;
}


static void
jsapi_async_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
	atomic_int	*errors = closure;

	atomic_fetch_add(errors, 1);
}

int
jsapi_js_publish_async(struct jsapi *api, const char *subject,
    const void *data, size_t len, int n, struct diag *d)
{
	jsCtx		*js = NULL;
	jsOptions	 jo;
	jsPubOptions	 po;
	atomic_int	 errors = 0;
	natsStatus	 s = NATS_OK;
	int		 i, r = 0;

	if (n < 1 || len > JSAPI_RESPONSE_MAX)
		return diag_set(d, -EINVAL, "invalid asynchronous publish: %d "
		    "messages of %zu bytes", n, len);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	jsOptions_Init(&jo);
	jo.Wait = api->timeout_ms;
	jo.PublishAsync.ErrHandler = jsapi_async_error;
	jo.PublishAsync.ErrHandlerClosure = &errors;
	if ((s = natsConnection_JetStream(&js, api->nc, &jo)) != NATS_OK) {
		r = jsapi_fail(s, d, "cannot create a JetStream context");
		goto out;
	}
	jsPubOptions_Init(&po);
	po.MaxWait = api->timeout_ms;
	for (i = 0; i < n && s == NATS_OK; i++)
		s = js_PublishAsync(js, subject, data, (int)len, NULL);
	if (s == NATS_OK)
		s = js_PublishAsyncComplete(js, &po);
	if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "asynchronous publishes to '%s' "
		    "were not all acknowledged within %" PRId64 " ms", subject,
		    api->timeout_ms);
		goto out;
	}
	if (s != NATS_OK) {
		r = jsapi_fail(s, d, "asynchronous publish");
		goto out;
	}
	if (atomic_load(&errors) > 0)
		r = diag_set(d, -EPROTO, "%d of %d asynchronous publishes to "
		    "'%s' failed", atomic_load(&errors), n, subject);
out:
	jsCtx_Destroy(js);
	return r;
}
