/* SPDX-License-Identifier: MIT */
/*
 * check: the outcome, naming and tracking helpers of check.h, and the pull
 * and count loops the check groups share.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "plan.h"
#include "reply.h"

static enum report_status
check_set(struct check_result *res, enum report_status st, const char *fmt,
    va_list ap)
{
	/* The first failure explains best; later ones go to the detail. */
	if (res->status != REPORT_PASS && res->message[0] != '\0') {
		char	more[1024];

		vsnprintf(more, sizeof(more), fmt, ap);
		check_detail(res, "also: %s", more);
		return res->status;
	}
	res->status = st;
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	return st;
}

enum report_status
check_fail(struct check_result *res, const char *fmt, ...)
{
	va_list			ap;
	enum report_status	st;

	va_start(ap, fmt);
	st = check_set(res, REPORT_FAIL, fmt, ap);
	va_end(ap);
	return st;
}

enum report_status
check_error(struct check_result *res, const char *fmt, ...)
{
	va_list			ap;
	enum report_status	st;

	va_start(ap, fmt);
	st = check_set(res, REPORT_ERROR, fmt, ap);
	va_end(ap);
	return st;
}

enum report_status
check_skip(struct check_result *res, const char *fmt, ...)
{
	va_list			ap;
	enum report_status	st;

	va_start(ap, fmt);
	st = check_set(res, REPORT_SKIP, fmt, ap);
	va_end(ap);
	return st;
}

enum report_status
check_error_diag(struct check_result *res, const struct diag *d,
    const char *what)
{
	if (d->err_code != 0)
		return check_error(res, "%s: %s (err_code %d)", what, d->msg,
		    d->err_code);
	return check_error(res, "%s: %s", what, d->msg);
}

void
check_detail(struct check_result *res, const char *fmt, ...)
{
	va_list	ap;
	size_t	off = strlen(res->detail);

	if (off + 2 >= sizeof(res->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(res->detail + off, sizeof(res->detail) - off - 1, fmt, ap);
	va_end(ap);
	off = strlen(res->detail);
	res->detail[off] = '\n';
	res->detail[off + 1] = '\0';
}

int
check_tracker_add(struct check_tracker *t, const char *stream,
    const char *consumer)
{
	struct check_obj	*n;
	size_t			 cap;

	if (t->nobjs == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if ((n = realloc(t->objs, cap * sizeof(*n))) == NULL)
			return -ENOMEM;
		t->objs = n;
		t->cap = cap;
	}
	n = &t->objs[t->nobjs];
	n->stream = strdup(stream);
	n->consumer = consumer != NULL ? strdup(consumer) : NULL;
	if (n->stream == NULL || (consumer != NULL && n->consumer == NULL)) {
		free(n->stream);
		free(n->consumer);
		return -ENOMEM;
	}
	t->nobjs++;
	return 0;
}

void
check_tracker_free(struct check_tracker *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nobjs; i++) {
		free(t->objs[i].stream);
		free(t->objs[i].consumer);
	}
	free(t->objs);
	memset(t, 0, sizeof(*t));
}

int
check_track_consumer(struct check_ctx *ctx, const char *stream,
    const char *consumer)
{
	if (ctx->tracker == NULL)
		return 0;
	return check_tracker_add(ctx->tracker, stream, consumer);
}

int
check_track_stream(struct check_ctx *ctx, const char *stream)
{
	if (ctx->tracker == NULL)
		return 0;
	return check_tracker_add(ctx->tracker, stream, NULL);
}

const char *
check_name(const struct check_ctx *ctx, const char *suffix, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s-%s", ctx->run_id, suffix);
	return buf;
}

const char *
check_derived_name(const struct check_ctx *ctx, const char *tag, char *buf,
    size_t len)
{
	uint32_t	 h = 2166136261u;
	const char	*p;
	char		 suffix[128];

	for (p = ctx->stream; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(suffix, sizeof(suffix), "%s-%08" PRIx32, tag, h);
	return check_name(ctx, suffix, buf, len);
}

const char *
check_subject(const struct check_ctx *ctx, const char *suffix, char *buf,
    size_t len)
{
	const cJSON	*subjects, *it;
	const char	*s, *first = NULL, *p, *tok;
	size_t		 toklen, off;

	buf[0] = '\0';
	subjects = cJSON_GetObjectItemCaseSensitive(ctx->config, "subjects");
	cJSON_ArrayForEach(it, subjects) {
		if ((s = cJSON_GetStringValue(it)) == NULL)
			continue;
		if (first == NULL)
			first = s;
		/* Find the first token that is a wildcard. */
		for (tok = s; tok != NULL; tok = (p = strchr(tok, '.')) ?
		    p + 1 : NULL) {
			toklen = strcspn(tok, ".");
			if (toklen == 1 && (*tok == '*' || *tok == '>'))
				break;
		}
		if (tok == NULL)
			continue;
		off = (size_t)(tok - s);
		snprintf(buf, len, "%.*s%s-%s%s", (int)off, s, ctx->run_id,
		    suffix, tok + 1);
		return buf;
	}
	/* No wildcard subject: the run still owns the shadow's subjects. */
	if (first != NULL)
		snprintf(buf, len, "%s", first);
	else if (ctx->subject != NULL)
		snprintf(buf, len, "%s", ctx->subject);
	return buf;
}

int64_t
check_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
check_sleep_ms(int64_t ms)
{
	struct timespec	ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool
check_fault(const struct check_ctx *ctx, const char *name)
{
	return ctx->fault != NULL && strcmp(ctx->fault, name) == 0;
}

const char *
check_msg_status(const struct jsapi_msg *m)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(m->headers, "status");
	if (v == NULL)
		v = cJSON_GetObjectItemCaseSensitive(m->headers, "Status");
	if (cJSON_IsArray(v))
		v = cJSON_GetArrayItem(v, 0);
	return cJSON_GetStringValue(v);
}

/* Keys of a live ConsumerConfig that a copy for a check must not keep. */
static const char *const check_copy_drop[] = {
	"name", "durable_name", "filter_subject", "filter_subjects",
	"deliver_subject", "deliver_group", "flow_control", "idle_heartbeat",
	"backoff", "metadata",
};

/*
 * Keep the state of a check's consumer in memory (mem_storage) when
 * ctx->stream has one replica: on a file stream every consumer is
 * otherwise a directory and files made and removed again, which was a
 * quarter of the server's time in a run of 30 streams.  Delivery, acks and
 * redelivery do not depend on it; a restart would, and the persistence
 * check makes consumers of its own.  A replicated stream keeps the
 * declared storage (the failover checks move the consumer's leader).
 * Returns false when out of memory.
 */
static bool
check_consumer_in_memory(const struct check_ctx *ctx, cJSON *cfg)
{
	double	replicas = cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(ctx->config, "num_replicas"));

	if (replicas > 1)
		return true;
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "mem_storage");
	return cJSON_AddTrueToObject(cfg, "mem_storage") != NULL;
}

/*
 * A copy of the live declared consumer for a check: see check.h.  Returns
 * NULL when out of memory.
 */
static cJSON *
check_consumer_copy(struct check_ctx *ctx, const char *name,
    const char *filter, const char *deliver)
{
	const cJSON	*t = ctx->consumer_template;
	const char	*tname;
	char		 wbuf[96];
	cJSON		*cfg;
	double		 wait;
	size_t		 i;
	bool		 shortened = false, ok = true;

	if ((cfg = cJSON_Duplicate(t, true)) == NULL)
		return NULL;
	for (i = 0; i < sizeof(check_copy_drop) / sizeof(check_copy_drop[0]);
	    i++)
		cJSON_DeleteItemFromObjectCaseSensitive(cfg, check_copy_drop[i]);
	wait = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t,
	    "ack_wait"));
	if (!(wait <= (double)ctx->ack_wait_ms * 1e6)) {
		cJSON_DeleteItemFromObjectCaseSensitive(cfg, "ack_wait");
		ok = cJSON_AddNumberToObject(cfg, "ack_wait",
		    (double)ctx->ack_wait_ms * 1e6) != NULL;
		shortened = true;
	}
	if (strcmp(deliver, "new") == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(cfg, "deliver_policy");
		ok = ok && cJSON_AddStringToObject(cfg, "deliver_policy",
		    deliver) != NULL;
	}
	if (!ok || cJSON_AddStringToObject(cfg, "durable_name", name) == NULL ||
	    (filter != NULL && cJSON_AddStringToObject(cfg, "filter_subject",
	    filter) == NULL) || !check_consumer_in_memory(ctx, cfg)) {
		cJSON_Delete(cfg);
		return NULL;
	}
	tname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t,
	    "durable_name"));
	if (!ctx->copy_noted) {
		ctx->copy_noted = true;
		snprintf(wbuf, sizeof(wbuf), "; ack_wait shortened from %.0f "
		    "ms to %" PRId64 " ms", wait == wait ? wait / 1e6 : 30000.0,
		    ctx->ack_wait_ms);
		snprintf(ctx->copy_note, sizeof(ctx->copy_note), "consumers: "
		    "copies of the live declared consumer '%s' with their own "
		    "name and filter_subject%s%s%s%s", tname != NULL ? tname :
		    "?", shortened ? wbuf : "",
		    cJSON_GetObjectItemCaseSensitive(t, "backoff") != NULL ?
		    "; backoff dropped (it would set ack_wait)" : "",
		    cJSON_GetObjectItemCaseSensitive(t, "deliver_subject") ?
		    "; pulled instead of pushed" : "",
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cfg,
		    "mem_storage")) ? "; state in memory (mem_storage)" : "");
		if (ctx->result != NULL)
			check_detail(ctx->result, "%s", ctx->copy_note);
	}
	return cfg;
}

int
check_pull_consumer(struct check_ctx *ctx, struct jsapi *api,
    const char *name, const char *filter, const char *deliver,
    struct diag *d)
{
	cJSON	*cfg = NULL, *info = NULL;
	int	 r = -ENOMEM;

	if (check_track_consumer(ctx, ctx->stream, name) != 0)
		return diag_set(d, -ENOMEM, "out of memory");
	if (ctx->consumer_template != NULL) {
		if ((cfg = check_consumer_copy(ctx, name, filter, deliver)) ==
		    NULL) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
	} else if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "durable_name", name) == NULL ||
	    cJSON_AddStringToObject(cfg, "deliver_policy", deliver) == NULL ||
	    cJSON_AddStringToObject(cfg, "ack_policy", "explicit") == NULL ||
	    cJSON_AddNumberToObject(cfg, "ack_wait",
	    (double)ctx->ack_wait_ms * 1e6) == NULL ||
	    cJSON_AddNumberToObject(cfg, "max_ack_pending", 1000) == NULL ||
	    (filter != NULL && cJSON_AddStringToObject(cfg, "filter_subject",
	    filter) == NULL) || !check_consumer_in_memory(ctx, cfg)) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	r = check_consumer_create(api, ctx->stream, cfg, d, &info);
out:
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

int
check_stream_create(struct jsapi *api, const cJSON *cfg, struct diag *d,
    cJSON **ret_info)
{
	cJSON	*full = NULL;
	int	 r;

	if ((r = plan_desired_stream(cfg, jsapi_server(api)->version_num,
	    &full)) != 0)
		return diag_set(d, r, "cannot complete the stream config");
	r = jsapi_stream_create(api, full, d, ret_info);
	cJSON_Delete(full);
	return r;
}

int
check_consumer_create(struct jsapi *api, const char *stream,
    const cJSON *cfg, struct diag *d, cJSON **ret_info)
{
	cJSON	*full = NULL;
	int	 r;

	if ((r = plan_desired_consumer(cfg, jsapi_server(api)->version_num,
	    &full)) != 0)
		return diag_set(d, r, "cannot complete the consumer config");
	r = jsapi_consumer_create(api, stream, full, d, ret_info);
	cJSON_Delete(full);
	return r;
}

int
check_fetch(struct check_ctx *ctx, struct jsapi *api, const char *consumer,
    int n, int64_t wait_ms, struct jsapi_msg **ret, struct check_result *res)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	int64_t			 deadline, left;
	int			 got = 0, want, r;
	bool			 pending = false;

	deadline = check_now_ms() + wait_ms;
	if ((r = jsapi_subscribe(api, NULL, &d, &sub)) != 0) {
		check_error_diag(res, &d, "subscribing to a reply inbox");
		goto out;
	}
	while (got < n) {
		left = deadline - check_now_ms();
		if (!pending) {
			if (left <= 0)
				break;
			want = n - got;
			/* expires below 10 ms is refused as no_wait-like */
			if ((r = jsapi_pull(api, ctx->stream, consumer, want,
			    left < 10 ? 10 : left, sub, &d)) != 0) {
				check_error_diag(res, &d, "pull request");
				goto out;
			}
			pending = true;
		}
		/* The server ends the request with a 408 at its expiry. */
		r = jsapi_sub_next(sub, (left > 0 ? left : 0) + 200, &d, &m);
		if (r == -ETIMEDOUT)
			break;
		if (r != 0) {
			check_error_diag(res, &d, "waiting for pulled messages");
			goto out;
		}
		if (check_msg_status(m) != NULL) {
			/* 404/408/409: this request is over. */
			pending = false;
			jsapi_msg_free(m);
			m = NULL;
			if (deadline - check_now_ms() > 0)
				check_sleep_ms(5);
			continue;
		}
		ret[got++] = m;
		m = NULL;
		if (got == n)
			pending = false;
	}
	r = got;
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	if (r < 0)
		check_msgs_free(ret, got);
	return r;
}

void
check_msgs_free(struct jsapi_msg **msgs, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		jsapi_msg_free(msgs[i]);
		msgs[i] = NULL;
	}
}

int64_t
check_subject_count(struct check_ctx *ctx, const char *subject,
    struct check_result *res)
{
	cJSON		*req = NULL, *resp = NULL;
	const cJSON	*subjects, *it;
	struct diag	 d = { 0 };
	char		 suffix[600];
	int64_t		 n = -ENOMEM, c;

	snprintf(suffix, sizeof(suffix), "STREAM.INFO.%s", ctx->stream);
	if ((req = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req, "subjects_filter", subject) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	if ((n = jsapi_request(ctx->api, suffix, req, &d, &resp)) != 0) {
		check_error_diag(res, &d, "reading the stream's subjects");
		goto out;
	}
	subjects = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(resp, "state"), "subjects");
	cJSON_ArrayForEach(it, subjects) {
		if (reply_value_int(it, "state.subjects", 0, INT32_MAX,
		    "the stream's subject counts", &d, &c) < 0) {
			check_error_diag(res, &d, "reading the stream's "
			    "subjects");
			n = -EBADMSG;
			goto out;
		}
		n += c;
	}
out:
	cJSON_Delete(resp);
	cJSON_Delete(req);
	return n;
}

/* The body size of the checks' messages: see check.h. */
size_t
check_msg_size(const struct check_ctx *ctx)
{
	double	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->spec != NULL ? ctx->spec->contract : NULL,
	    "typical_msg_size"));

	if (v != v || v < 64)
		return 64;
	return v > CHECK_MSG_SIZE_MAX ? CHECK_MSG_SIZE_MAX : (size_t)v;
}

int
check_publish_n(struct check_ctx *ctx, struct check_result *res,
    const char *subj, const char *tag, int n, const char *what)
{
	struct diag	 d = { 0 };
	cJSON		*ack = NULL;
	char		*body;
	size_t		 size = check_msg_size(ctx), len;
	int		 i, r = 0;

	if ((body = malloc(size + 1)) == NULL) {
		check_error(res, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		/* "<tag> <i>", then a new line and padding to the size */
		len = (size_t)snprintf(body, size + 1, "%s %d\n", tag, i);
		if (len < size)
			memset(body + len, 'p', size - len);
		len = len < size ? size : strlen(body);
		r = jsapi_js_publish(ctx->api, subj, NULL, body, len, &d, &ack);
		cJSON_Delete(ack);
		ack = NULL;
		if (r != 0) {
			check_error_diag(res, &d, what);
			break;
		}
	}
	free(body);
	return r;
}

int
check_ack_all(struct jsapi *api, struct jsapi_msg **msgs, int n,
    struct check_result *res)
{
	struct diag	d = { 0 };
	int		i, r;

	for (i = 0; i < n; i++)
		if ((r = jsapi_msg_ack(api, msgs[i], "+ACK", true, &d)) != 0) {
			check_error_diag(res, &d, "acknowledging");
			return r;
		}
	return 0;
}

void
check_conns_free(struct check_conns *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < CHECK_CONNS_MAX; i++) {
		jsapi_free(c->api[i]);
		c->api[i] = NULL;
	}
}

int
check_connect_kept(struct check_ctx *ctx, struct check_result *res, int i,
    struct jsapi **ret, bool *ret_owned)
{
	int	r;

	*ret_owned = ctx->conns == NULL || i < 0 || i >= CHECK_CONNS_MAX;
	if (*ret_owned)
		return check_connect(ctx, res, ret);
	if (ctx->conns->api[i] == NULL &&
	    (r = check_connect(ctx, res, &ctx->conns->api[i])) != 0)
		return r;
	*ret = ctx->conns->api[i];
	return 0;
}

int
check_connect(struct check_ctx *ctx, struct check_result *res,
    struct jsapi **ret)
{
	struct diag	d = { 0 };
	int		r;

	if ((r = jsapi_connect(ctx->conn, &d, ret)) != 0)
		check_error_diag(res, &d, "opening another connection");
	return r;
}
