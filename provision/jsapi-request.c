/* SPDX-License-Identifier: MIT */
/*
 * jsapi-request: $JS.API requests on the client's connection, with cJSON
 * for every request and response so that no config field is lost to
 * nats.c's own structs; replies are untrusted and bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nats/nats.h>

#include "jint.h"
#include "jsapi-int.h"
#include "reply.h"

/*
 * Bounds on untrusted replies.  A page of 256 StreamInfo with long
 * subject lists stays far below 8 MiB; no account holds 100,000 streams
 * or a stream that many consumers; and a list must be read within
 * JSAPI_LIST_ROUNDS request timeouts, however the server pages it.
 */
#define JSAPI_REPLY_MAX		(8 * 1024 * 1024)
#define JSAPI_LIST_MAX		100000
#define JSAPI_LIST_ROUNDS	5
#define JSAPI_RETRY_FIRST_MS	50	/* backoff on a busy cluster */
#define JSAPI_RETRY_MAX_MS	1000
#define JSAPI_MISSING_WAIT_MS	500	/* before reading a list again */

uint64_t
jsapi_request_count(const struct jsapi *api)
{
	return api->requests;
}

uint64_t
jsapi_mutation_count(const struct jsapi *api)
{
	return api->mutations;
}

/* The API subjects that change server state, by prefix of the suffix. */
static bool
jsapi_is_mutation(const char *suffix)
{
	static const char *verbs[] = {
		"STREAM.CREATE.", "STREAM.UPDATE.", "STREAM.DELETE.",
		"STREAM.PURGE.", "STREAM.MSG.DELETE.", "STREAM.RESTORE.",
		"STREAM.PEER.REMOVE.", "STREAM.LEADER.STEPDOWN.",
		"CONSUMER.CREATE.", "CONSUMER.DURABLE.CREATE.",
		"CONSUMER.DELETE.", "CONSUMER.LEADER.STEPDOWN.",
		"ACCOUNT.PURGE.", "SERVER.REMOVE",
	};
	size_t	i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(suffix, verbs[i], strlen(verbs[i])) == 0)
			return true;
	return false;
}

int
jsapi_response_error(const cJSON *resp, struct diag *d)
{
	const cJSON	*err, *desc;
	char		 q[DIAG_QUOTE_BUF(JSAPI_QUOTE_MAX)];
	int64_t		 api_code = 0, err_code = 0;
	int		 r;

	err = cJSON_GetObjectItemCaseSensitive(resp, "error");
	if (err == NULL)
		return 0;
	if (!cJSON_IsObject(err))
		return diag_set(d, -EBADMSG, "malformed reply from the server: "
		    "'error' is not an object");
	if ((r = reply_int(err, "code", 0, 999, "the API error", d,
	    &api_code)) == -EBADMSG || (r = reply_int(err, "err_code", 0,
	    INT32_MAX, "the API error", d, &err_code)) == -EBADMSG)
		return r;
	desc = cJSON_GetObjectItemCaseSensitive(err, "description");
	r = -EPROTO;
	/* 10059 stream not found, 10014 consumer not found. */
	if (api_code == 404 && (err_code == 10059 || err_code == 10014))
		r = -ENOENT;
	/* 10039 JetStream not enabled for account, 10076 not enabled. */
	if (api_code == 503 && (err_code == 10039 || err_code == 10076))
		r = -ENOTSUP;
	/* The server's own words, but never its control characters. */
	if (cJSON_IsString(desc) && *desc->valuestring != '\0')
		diag_set(d, r, "%s", diag_quote(desc->valuestring,
		    JSAPI_QUOTE_MAX, q, sizeof(q)));
	else
		diag_set(d, r, "JetStream API error %d (err_code %d)",
		    (int)api_code, (int)err_code);
	if (d != NULL) {
		d->api_code = (int)api_code;
		d->err_code = (int)err_code;
	}
	return r;
}

/* Parse a JSON reply to subject and turn an API error into a code. */
int
jsapi_parse_reply(natsMsg *reply, const char *subject, struct diag *d,
    cJSON **ret)
{
	char	 q[DIAG_QUOTE_BUF(JSAPI_QUOTE_MAX)];
	cJSON	*resp;
	int	 len, r;

	diag_quote(subject, JSAPI_QUOTE_MAX, q, sizeof(q));
	len = natsMsg_GetDataLength(reply);
	if (len > JSAPI_REPLY_MAX)
		return diag_set(d, -EBADMSG, "malformed reply from the "
		    "server: the reply to '%s' is larger than %d MiB", q,
		    JSAPI_REPLY_MAX / (1024 * 1024));
	/* every integer exact (jint.h), so 2^53+1 is not read as 2^53 */
	if ((r = jint_parse(natsMsg_GetData(reply), (size_t)len, &resp)) ==
	    -ENOMEM)
		return diag_set(d, r, "out of memory reading the reply to "
		    "'%s'", q);
	if (r < 0)
		resp = NULL;
	if (!cJSON_IsObject(resp)) {
		cJSON_Delete(resp);
		return diag_set(d, -EBADMSG, "malformed reply from the "
		    "server: the reply to '%s' is not a JSON object", q);
	}
	if ((r = jsapi_response_error(resp, d)) < 0) {
		cJSON_Delete(resp);
		return r;
	}
	*ret = resp;
	return 0;
}

void
jsapi_trace(const char *suffix, const char *body)
{
	const char	*path = getenv(JSAPI_TRACE_ENV);
	char		 subject[JSAPI_SUBJECT_MAX];
	char		*text = NULL, *line = NULL;
	cJSON		*o = NULL;
	size_t		 len;
	int		 fd;

	if (path == NULL || *path == '\0')
		return;
	snprintf(subject, sizeof(subject), "$JS.API.%s", suffix);
	/* the body as sent, exact digits and all (jint_print) */
	if ((o = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(o, "subject", subject) == NULL ||
	    (body != NULL && *body != '\0' ? cJSON_AddRawToObject(o, "body",
	    body) : cJSON_AddNullToObject(o, "body")) == NULL ||
	    (text = cJSON_PrintUnformatted(o)) == NULL)
		goto out;
	len = strlen(text);
	if ((line = malloc(len + 2)) == NULL)
		goto out;
	memcpy(line, text, len);
	line[len++] = '\n';
	/* One write() per line on an O_APPEND file: threads and processes
	 * tracing to one file never split a line. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, line, len) < 0) {
			/* A debugging aid: the request goes out regardless. */
		}
		close(fd);
	}
out:
	free(line);
	cJSON_free(text);
	cJSON_Delete(o);
}

/* One try of a request; *ret_nores: the server had no responder. */
static int
jsapi_request_once(struct jsapi *api, const char *subject, const char *shown,
    const char *body, int64_t wait_ms, struct diag *d, bool *ret_nores,
    cJSON **ret_resp)
{
	natsMsg		*reply = NULL;
	natsStatus	 s;
	int		 r;

	api->requests++;
	s = natsConnection_Request(&reply, api->nc, subject, body,
	    body != NULL ? (int)strlen(body) : 0, wait_ms);
	*ret_nores = s == NATS_NO_RESPONDERS;
	if (s == NATS_NO_RESPONDERS && api->custom_prefix)
		r = diag_set(d, -ENOTSUP, "JetStream did not answer under the "
		    "domain or API prefix given (no responder for '%s' "
		    "there); check --js-domain or --js-api-prefix", shown);
	else if (s == NATS_NO_RESPONDERS)
		r = diag_set(d, -ENOTSUP, "JetStream is not enabled for this "
		    "account (no responder for '%s')", shown);
	else if (s == NATS_TIMEOUT)
		r = diag_set(d, -ETIMEDOUT, "no reply to '%s' within %" PRId64
		    " ms", shown, api->timeout_ms);
	else if (s != NATS_OK)
		r = jsapi_fail(s, d, shown);
	else
		r = jsapi_parse_reply(reply, shown, d, ret_resp);
	natsMsg_Destroy(reply);
	return r;
}

/*
 * The cluster is busy (see jsapi_request() in the header): worth asking
 * again.  Only on a clustered server, so a standalone one answers as it
 * always did.
 */
static bool
jsapi_transient(const struct jsapi *api, int r, bool nores,
    const struct diag *d)
{
	if (api->server.cluster[0] == '\0')
		return false;
	if (nores)
		return api->server.jetstream;
	if (r != -EPROTO)
		return false;
	/* Not every 503: 10023 "insufficient resources" stays. */
	return d->err_code == 10008 || d->err_code == 10009 ||
	    (d->api_code == 503 && d->err_code == 0);
}

uint64_t
jsapi_retry_count(const struct jsapi *api)
{
	return api->retries;
}

int
jsapi_request(struct jsapi *api, const char *suffix, const cJSON *req,
    struct diag *d, cJSON **ret_resp)
{
	char		 subject[JSAPI_SUBJECT_MAX];
	char		 shown[JSAPI_SUBJECT_MAX];
	char		*body = NULL;
	struct diag	 ld;
	int64_t		 deadline, delay = JSAPI_RETRY_FIRST_MS;
	bool		 nores = false;
	int		 n, r;

	/*
	 * Messages name the standard subject: a domain or API prefix is
	 * the operator's setting, and like every option value it is not
	 * quoted back.
	 */
	n = snprintf(subject, sizeof(subject), "%s.%s", api->prefix, suffix);
	if (n < 0 || (size_t)n >= sizeof(subject))
		return diag_set(d, -EINVAL, "JetStream API subject "
		    "'$JS.API.%.40s...' is too long", suffix);
	snprintf(shown, sizeof(shown), "$JS.API.%s", suffix);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	/* whole numbers as exact digits: nats-server refuses "1.2e+15" */
	if (req != NULL && (body = jint_print(req, false)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	if (jsapi_is_mutation(suffix))
		api->mutations++;
	deadline = jsapi_now_ms() + api->timeout_ms;
	for (;;) {
		diag_clear(&ld);
		jsapi_trace(suffix, body);
		r = jsapi_request_once(api, subject, shown, body,
		    api->timeout_ms, &ld, &nores, ret_resp);
		if (r == 0 || !jsapi_transient(api, r, nores, &ld) ||
		    jsapi_now_ms() + delay >= deadline)
			break;
		api->retries++;
		nats_Sleep(delay);
		delay = delay * 2 > JSAPI_RETRY_MAX_MS ? JSAPI_RETRY_MAX_MS :
		    delay * 2;
	}
	if (r == -ETIMEDOUT) {
		diag_set(&ld, r, "no reply to '%s' within %" PRId64 " ms",
		    shown, api->timeout_ms);
		jsapi_note_timeout(api, ld.msg);
		if (api->stalled)
			diag_set(&ld, r, "%s", api->stall);
	}
	if (r < 0 && d != NULL)
		*d = ld;
	cJSON_free(body);
	return r;
}

/*
 * A list page's "missing": the streams a cluster could not reach.  They
 * exist, so a caller must never take them for absent: -EHOSTUNREACH
 * naming them (at most 10), -EBADMSG when it is not a list of names.
 */
static int
jsapi_list_missing(const cJSON *resp, const char *what, struct diag *d)
{
	const cJSON	*miss = cJSON_GetObjectItemCaseSensitive(resp,
	    "missing"), *it;
	char		 names[DIAG_MSG_MAX / 2], q[DIAG_QUOTE_LEN];
	size_t		 off = 0;
	int		 n = 0;

	if (miss == NULL || cJSON_IsNull(miss))
		return 0;
	if (!cJSON_IsArray(miss))
		return diag_set(d, -EBADMSG, "malformed reply from the server: "
		    "'missing' in %s is not an array", what);
	names[0] = '\0';
	cJSON_ArrayForEach(it, miss) {
		if (!cJSON_IsString(it))
			return diag_set(d, -EBADMSG, "malformed reply from "
			    "the server: 'missing' in %s holds a non-name",
			    what);
		if (n++ < 10 && off < sizeof(names))
			off += (size_t)snprintf(names + off,
			    sizeof(names) - off, "%s'%s'", off > 0 ? ", " : "",
			    diag_quote(it->valuestring, DIAG_QUOTE_MAX, q,
			    sizeof(q)));
	}
	if (n == 0)
		return 0;
	return diag_set(d, -EHOSTUNREACH, "%d stream(s) did not answer: %s%s "
	    "(the cluster lists them as missing: no replica of theirs could "
	    "be reached; they exist, so nothing is planned for them)", n,
	    names, n > 10 ? ", ..." : "");
}

/*
 * Read every page of a LIST request: the server answers at most "limit"
 * items per request (256 in 2.9) along with the "total".  A hostile or
 * broken server must not make this loop forever: the total is bounded,
 * a page that repeats the previous one makes no progress, and the whole
 * list has a deadline.  Each item is checked with check (stream is the
 * stream of a consumer list, or NULL).
 */
static int
jsapi_list(struct jsapi *api, const char *suffix, const char *key,
    const char *stream, struct diag *d, cJSON **ret_array)
{
	cJSON	*all, *req = NULL, *resp = NULL, *page, *item, *prev = NULL;
	int64_t	 offset = 0, total, deadline;
	char	 what[JSAPI_SUBJECT_MAX + 32];
	int	 n, r = 0, missing = 0;

	deadline = jsapi_now_ms() + JSAPI_LIST_ROUNDS * api->timeout_ms;
	snprintf(what, sizeof(what), "the reply to '$JS.API.%s'", suffix);
	if ((all = cJSON_CreateArray()) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	for (;;) {
		if ((req = cJSON_CreateObject()) == NULL ||
		    cJSON_AddNumberToObject(req, "offset", (double)offset) ==
		    NULL) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
		if ((r = jsapi_request(api, suffix, req, d, &resp)) < 0)
			goto out;
		if ((r = reply_int(resp, "total", 0, JSAPI_LIST_MAX, what, d,
		    &total)) < 0) {
			if (r == -ENOENT)
				r = diag_set(d, -EBADMSG, "malformed reply "
				    "from the server: %s has no 'total'",
				    what);
			goto out;
		}
		/*
		 * A stream whose replicas are electing a leader (just
		 * created, or R1 -> R3) is missing for a moment on a healthy
		 * cluster: the whole list is read again once.
		 */
		if ((r = jsapi_list_missing(resp, what, d)) < 0) {
			if (r != -EHOSTUNREACH || ++missing > 1 ||
			    jsapi_now_ms() > deadline)
				goto out;
			cJSON_Delete(all);
			cJSON_Delete(prev);
			cJSON_Delete(resp);
			cJSON_Delete(req);
			prev = resp = req = NULL;
			if ((all = cJSON_CreateArray()) == NULL) {
				r = diag_set(d, -ENOMEM, "out of memory");
				goto out;
			}
			offset = 0;
			nats_Sleep(JSAPI_MISSING_WAIT_MS);
			continue;
		}
		page = cJSON_GetObjectItemCaseSensitive(resp, key);
		if (page != NULL && !cJSON_IsArray(page) &&
		    !cJSON_IsNull(page)) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: '%s' in %s is not an array", key, what);
			goto out;
		}
		/* The same first item twice: the server ignores the offset. */
		if (prev != NULL && page != NULL && page->child != NULL &&
		    jint_equal(prev, page->child)) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: %s repeats the previous page at offset "
			    "%lld", what, (long long)offset);
			goto out;
		}
		cJSON_Delete(prev);
		prev = NULL;
		for (n = 0; (item = cJSON_DetachItemFromArray(page, 0)) !=
		    NULL; n++) {
			cJSON_AddItemToArray(all, item);
			r = stream == NULL ? reply_stream_info(item, d) :
			    reply_consumer_info(item, stream, d);
			if (r < 0)
				goto out;
			if (n == 0 && (prev = cJSON_Duplicate(item, true)) ==
			    NULL) {
				r = diag_set(d, -ENOMEM, "out of memory");
				goto out;
			}
		}
		offset += n;
		/* An empty page before the total would loop forever. */
		if (n == 0 || offset >= total)
			break;
		if (offset > JSAPI_LIST_MAX) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: %s goes on past %d items", what,
			    JSAPI_LIST_MAX);
			goto out;
		}
		if (jsapi_now_ms() > deadline) {
			r = diag_set(d, -ETIMEDOUT, "%s did not end within "
			    "%d x %lld ms (%lld items so far)", what,
			    JSAPI_LIST_ROUNDS, (long long)api->timeout_ms,
			    (long long)offset);
			goto out;
		}
		cJSON_Delete(resp);
		cJSON_Delete(req);
		resp = req = NULL;
	}
	*ret_array = all;
	all = NULL;
out:
	cJSON_Delete(prev);
	cJSON_Delete(resp);
	cJSON_Delete(req);
	cJSON_Delete(all);
	return r;
}

int
jsapi_stream_list(struct jsapi *api, struct diag *d, cJSON **ret_array)
{
	return jsapi_list(api, "STREAM.LIST", "streams", NULL, d, ret_array);
}

int
jsapi_consumer_list(struct jsapi *api, const char *stream, struct diag *d,
    cJSON **ret_array)
{
	char	suffix[JSAPI_SUBJECT_MAX];
	int	r;

	if ((r = jsapi_check_name("stream", stream, d)) < 0)
		return r;
	snprintf(suffix, sizeof(suffix), "CONSUMER.LIST.%s", stream);
	return jsapi_list(api, suffix, "consumers", stream, d, ret_array);
}

/* A request about one stream (and consumer): VERB.<stream>[.<consumer>]. */
static int
jsapi_named(struct jsapi *api, const char *verb, const char *stream,
    const char *consumer, const cJSON *req, struct diag *d, cJSON **ret)
{
	char	 suffix[JSAPI_SUBJECT_MAX];
	cJSON	*resp = NULL;
	int	 r;

	if ((r = jsapi_check_name("stream", stream, d)) < 0)
		return r;
	if (consumer != NULL) {
		if ((r = jsapi_check_name("consumer", consumer, d)) < 0)
			return r;
		snprintf(suffix, sizeof(suffix), "%s.%s.%s", verb, stream,
		    consumer);
	} else
		snprintf(suffix, sizeof(suffix), "%s.%s", verb, stream);
	if ((r = jsapi_request(api, suffix, req, d, &resp)) < 0)
		return r;
	if (ret != NULL)
		*ret = resp;
	else
		cJSON_Delete(resp);
	return 0;
}

/* A StreamInfo or ConsumerInfo reply r of a request, checked. */
static int
jsapi_checked(int r, const char *stream, bool consumer, struct diag *d,
    cJSON **ret_info)
{
	if (r < 0 || ret_info == NULL)
		return r;
	r = consumer ? reply_consumer_info(*ret_info, stream, d) :
	    reply_stream_info(*ret_info, d);
	if (r < 0) {
		cJSON_Delete(*ret_info);
		*ret_info = NULL;
	}
	return r;
}

int
jsapi_stream_info(struct jsapi *api, const char *stream, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.INFO", stream, NULL,
	    NULL, d, ret_info), stream, false, d, ret_info);
}

int
jsapi_consumer_info(struct jsapi *api, const char *stream,
    const char *consumer, struct diag *d, cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "CONSUMER.INFO", stream,
	    consumer, NULL, d, ret_info), stream, true, d, ret_info);
}

int
jsapi_stream_create(struct jsapi *api, const cJSON *config, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.CREATE",
	    reply_str(config, "name", NULL), NULL, config, d, ret_info),
	    NULL, false, d, ret_info);
}

int
jsapi_stream_update(struct jsapi *api, const cJSON *config, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.UPDATE",
	    reply_str(config, "name", NULL), NULL, config, d, ret_info),
	    NULL, false, d, ret_info);
}

int
jsapi_stream_delete(struct jsapi *api, const char *stream, struct diag *d)
{
	return jsapi_named(api, "STREAM.DELETE", stream, NULL, NULL, d, NULL);
}

int
jsapi_stream_purge(struct jsapi *api, const char *stream, struct diag *d)
{
	return jsapi_named(api, "STREAM.PURGE", stream, NULL, NULL, d, NULL);
}

int
jsapi_consumer_create(struct jsapi *api, const char *stream,
    const cJSON *config, struct diag *d, cJSON **ret_info)
{
	const char	*durable;
	cJSON		*req = NULL, *copy;
	int		 r;

	if ((req = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req, "stream_name", stream != NULL ?
	    stream : "") == NULL || (copy = cJSON_Duplicate(config, 1)) ==
	    NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	cJSON_AddItemToObject(req, "config", copy);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(copy, "pedantic"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "pedantic");
		if (cJSON_AddTrueToObject(req, "pedantic") == NULL) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
	}
	durable = reply_str(config, "durable_name", NULL);
	if (durable != NULL)
		r = jsapi_named(api, "CONSUMER.DURABLE.CREATE", stream,
		    durable, req, d, ret_info);
	else
		r = jsapi_named(api, "CONSUMER.CREATE", stream, NULL, req, d,
		    ret_info);
	r = jsapi_checked(r, stream, true, d, ret_info);
out:
	cJSON_Delete(req);
	return r;
}

int
jsapi_consumer_delete(struct jsapi *api, const char *stream,
    const char *consumer, struct diag *d)
{
	return jsapi_named(api, "CONSUMER.DELETE", stream, consumer, NULL, d,
	    NULL);
}
