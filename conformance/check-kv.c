/* SPDX-License-Identifier: MIT */
/*
 * check-kv: what the agents rely on when they keep state in a declared
 * key-value bucket, done the way the KV clients do it (nats.go, nats.c):
 * a put is a JetStream publish on the key's subject, a get is a direct
 * get of the subject's last message (its sequence is the revision), an
 * update carries Nats-Expected-Last-Subject-Sequence, and a watch is an
 * ephemeral push consumer on the keys with deliver last_per_subject.
 *
 *   kv.put-get          a put reads back byte for byte, with its revision
 *   kv.update-revision  an update naming the current revision is taken,
 *                       one naming a stale revision is refused and the
 *                       value stays
 *   kv.history          a key keeps exactly its history (the bucket's
 *                       max_msgs_per_subject) of values, the latest last
 *   kv.watch            a watch delivers the current value, then each
 *                       update as it is written, in order
 *   kv.ttl              a key not written for the bucket's ttl expires
 *                       (on a derived copy whose ttl is shortened)
 *
 * Each key is a subject of the shadow copy that only this run uses.  The
 * checks write keys, so they run on the shadow target only.
 *
 * Seeded faults (--fault): kv-put-elsewhere (the writer puts on another
 * key), kv-blind-update (the update sends no expected revision, as a
 * careless client would), kv-watch-late (the watch starts after the
 * updates), kv-no-ttl (the derived copy forgets the ttl),
 * kv-history-stale (the last of the history writes names a stale
 * revision, so it is lost).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reply.h"

#define KV_HDR_EXPECT	"Nats-Expected-Last-Subject-Sequence"
#define KV_HDR_SEQ	"Nats-Sequence"
#define KV_WATCH_N	5
#define KV_HISTORY_MAX	64
#define KV_TTL_MS	500
#define KV_POLL_MS	50
#define KV_ERR_WRONG_SEQ 10071	/* JSStreamWrongLastSequenceErrF */

/* The one header value of m named name, or NULL. */
static const char *
kv_header(const struct jsapi_msg *m, const char *name)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(m->headers, name);
	if (cJSON_IsArray(v))
		v = v->child;
	return cJSON_GetStringValue(v);
}

/*
 * Put value on key (a subject), with an expected revision when expect is
 * not NULL (0 is "the key is new").  Returns 0 and the revision, -EPROTO
 * when the server refused it (d says why), other codes after
 * check_error().
 */
static int
kv_put(struct check_ctx *ctx, struct check_result *res, const char *key,
    const char *value, const uint64_t *expect, struct diag *d,
    uint64_t *ret_rev)
{
	cJSON	*hdrs = NULL, *vals, *ack = NULL;
	char	 num[32];
	int	 r;

	if (expect != NULL) {
		snprintf(num, sizeof(num), "%" PRIu64, *expect);
		if ((hdrs = cJSON_CreateObject()) == NULL ||
		    (vals = cJSON_AddArrayToObject(hdrs, KV_HDR_EXPECT)) ==
		    NULL || !cJSON_AddItemToArray(vals,
		    cJSON_CreateString(num))) {
			cJSON_Delete(hdrs);
			check_error(res, "out of memory");
			return -ENOMEM;
		}
	}
	r = jsapi_js_publish(ctx->api, key, hdrs, value, strlen(value), d,
	    &ack);
	cJSON_Delete(hdrs);
	if (r == -EPROTO)
		return r;
	if (r != 0) {
		check_error_diag(res, d, "putting a value");
		return r;
	}
	*ret_rev = (uint64_t)reply_count(ack, "seq");
	cJSON_Delete(ack);
	return 0;
}

/*
 * Get key's latest value from stream as the clients do (direct get).
 * Returns 0 and the message (free it), -ENOENT when the server has none,
 * other codes after check_error().
 */
static int
kv_get(struct check_ctx *ctx, struct check_result *res, const char *stream,
    const char *key, struct jsapi_msg **ret)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	cJSON			*req = NULL;
	char			*body = NULL, subj[600];
	const char		*st;
	int			 r = -ENOMEM;

	snprintf(subj, sizeof(subj), "$JS.API.DIRECT.GET.%s", stream);
	if ((req = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req, "last_by_subj", key) == NULL ||
	    (body = cJSON_PrintUnformatted(req)) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	if ((r = jsapi_subscribe(ctx->api, NULL, &d, &sub)) != 0 ||
	    (r = jsapi_publish(ctx->api, subj, jsapi_sub_subject(sub), NULL,
	    body, strlen(body), &d)) != 0 ||
	    (r = jsapi_sub_next(sub, ctx->wait_ms, &d, &m)) != 0) {
		check_error_diag(res, &d, "getting a key (direct get)");
		goto out;
	}
	if ((st = check_msg_status(m)) != NULL) {
		if (strcmp(st, "404") == 0) {
			r = -ENOENT;
			goto out;
		}
		r = -EPROTO;
		check_error(res, "direct get of '%s' answered status %s", key,
		    st);
		goto out;
	}
	*ret = m;
	m = NULL;
	r = 0;
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	free(body);
	cJSON_Delete(req);
	return r;
}

/* Compare a got value with want; fail with what when they differ. */
static bool
kv_same(struct check_result *res, const struct jsapi_msg *m,
    const char *want, const char *what)
{
	char	q[DIAG_QUOTE_LEN];

	if (m->len == strlen(want) && memcmp(m->data, want, m->len) == 0)
		return true;
	check_fail(res, "%s reads '%s', want '%s'", what, diag_quote(m->data,
	    64, q, sizeof(q)), want);
	return false;
}

static void
kv_put_get(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	char			 key[512], put[512], value[128];
	const char		*seq;
	uint64_t		 rev;

	check_subject(ctx, "kv-pg", key, sizeof(key));
	/* Fault: the writer puts on another key than the reader reads. */
	check_subject(ctx, check_fault(ctx, "kv-put-elsewhere") ?
	    "kv-pg-other" : "kv-pg", put, sizeof(put));
	snprintf(value, sizeof(value), "alive %s", ctx->run_id);
	if (kv_put(ctx, res, put, value, NULL, &d, &rev) != 0) {
		if (d.code == -EPROTO)
			check_fail(res, "the put on '%s' was refused: %s", key,
			    d.msg);
		goto out;
	}
	if (kv_get(ctx, res, ctx->stream, key, &m) != 0) {
		if (res->status == REPORT_PASS)
			check_fail(res, "the key '%s' put at revision %" PRIu64
			    " is not found", key, rev);
		goto out;
	}
	if (!kv_same(res, m, value, "the key"))
		goto out;
	seq = kv_header(m, KV_HDR_SEQ);
	if (seq == NULL || strtoull(seq, NULL, 10) != rev)
		check_fail(res, "the value read has revision %s, the put "
		    "answered %" PRIu64, seq != NULL ? seq : "(none)", rev);
	else
		check_detail(res, "put and got '%s' at revision %" PRIu64,
		    key, rev);
out:
	jsapi_msg_free(m);
}

static void
kv_update(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	char			 key[512];
	uint64_t		 r1, r2, r3, zero = 0;
	bool			 blind = check_fault(ctx, "kv-blind-update");
	int			 r;

	check_subject(ctx, "kv-upd", key, sizeof(key));
	/* create: the key is new (expected revision 0) */
	if (kv_put(ctx, res, key, "v1", &zero, &d, &r1) != 0) {
		if (d.code == -EPROTO)
			check_fail(res, "creating '%s' (expected revision 0) "
			    "was refused: %s", key, d.msg);
		goto out;
	}
	if (kv_put(ctx, res, key, "v2", blind ? NULL : &r1, &d, &r2) != 0) {
		if (d.code == -EPROTO)
			check_fail(res, "the update naming the current "
			    "revision %" PRIu64 " was refused: %s", r1, d.msg);
		goto out;
	}
	/* a writer that read v1 and did not see v2 */
	r = kv_put(ctx, res, key, "stale", blind ? NULL : &r1, &d, &r3);
	if (r == 0) {
		check_fail(res, "an update naming the stale revision %" PRIu64
		    " (current %" PRIu64 ") was taken as revision %" PRIu64
		    "; it must be refused", r1, r2, r3);
		goto out;
	}
	if (r != -EPROTO)
		goto out;
	if (d.err_code != KV_ERR_WRONG_SEQ)
		check_detail(res, "the stale update was refused with err_code "
		    "%d: %s", d.err_code, d.msg);
	else
		check_detail(res, "the stale update (revision %" PRIu64 ", "
		    "current %" PRIu64 ") was refused: %s", r1, r2, d.msg);
	if (kv_get(ctx, res, ctx->stream, key, &m) != 0) {
		if (res->status == REPORT_PASS)
			check_fail(res, "the key '%s' is gone", key);
		goto out;
	}
	kv_same(res, m, "v2", "after the refused update the key");
out:
	jsapi_msg_free(m);
}

static void
kv_history(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	char			 key[512], value[64];
	int64_t			 hist, n, kept;
	uint64_t		 rev, first = 0;
	int			 i;

	hist = (int64_t)reply_count(ctx->config, "max_msgs_per_subject");
	if (hist < 1 || hist > KV_HISTORY_MAX) {
		check_fail(res, "the bucket keeps %" PRId64 " values per key "
		    "(max_msgs_per_subject); a KV bucket keeps 1 to %d",
		    hist, KV_HISTORY_MAX);
		return;
	}
	n = hist + 2;
	check_subject(ctx, "kv-hist", key, sizeof(key));
	for (i = 1; i <= n; i++) {
		snprintf(value, sizeof(value), "v%d", i);
		/* Fault: the last write names the key's first revision. */
		if (kv_put(ctx, res, key, value, i == n && check_fault(ctx,
		    "kv-history-stale") ? &first : NULL, &d, &rev) != 0) {
			if (d.code == -EPROTO)
				check_fail(res, "put %d of %" PRId64 " was "
				    "refused: %s", i, n, d.msg);
			goto out;
		}
		if (i == 1)
			first = rev;
	}
	if ((kept = check_subject_count(ctx, key, res)) < 0)
		goto out;
	if (kept != hist) {
		check_fail(res, "after %" PRId64 " puts the key keeps %" PRId64
		    " values; the bucket's history is %" PRId64, n, kept,
		    hist);
		goto out;
	}
	if (kv_get(ctx, res, ctx->stream, key, &m) != 0) {
		if (res->status == REPORT_PASS)
			check_fail(res, "the key '%s' is not found", key);
		goto out;
	}
	snprintf(value, sizeof(value), "v%" PRId64, n);
	if (kv_same(res, m, value, "the latest value"))
		check_detail(res, "%" PRId64 " puts, %" PRId64 " kept "
		    "(history %" PRId64 "), latest '%s'", n, kept, hist,
		    value);
out:
	jsapi_msg_free(m);
}

/* An ephemeral push consumer on key delivering to sub, as a watcher. */
static int
kv_watch_start(struct check_ctx *ctx, struct check_result *res,
    const char *key, const struct jsapi_sub *sub)
{
	cJSON		*cfg = NULL, *info = NULL;
	struct diag	 d = { 0 };
	int		 r = -ENOMEM;

	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "deliver_subject",
	    jsapi_sub_subject(sub)) == NULL ||
	    cJSON_AddStringToObject(cfg, "filter_subject", key) == NULL ||
	    cJSON_AddStringToObject(cfg, "deliver_policy",
	    "last_per_subject") == NULL ||
	    cJSON_AddStringToObject(cfg, "ack_policy", "none") == NULL ||
	    cJSON_AddNumberToObject(cfg, "inactive_threshold", 5e9) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	if ((r = jsapi_consumer_create(ctx->api, ctx->stream, cfg, &d,
	    &info)) != 0)
		check_error_diag(res, &d, "starting the watch (ephemeral "
		    "consumer)");
out:
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

/*
 * The next value the watch delivers: 1 when it is want, 0 after
 * check_fail(), negative after check_error().
 */
static int
kv_watch_next(struct check_ctx *ctx, struct check_result *res,
    struct jsapi_sub *sub, int i, const char *want)
{
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	int64_t			 t0 = check_now_ms(), left;
	char			 q[DIAG_QUOTE_LEN];
	int			 r;

	for (;;) {
		left = ctx->wait_ms - (check_now_ms() - t0);
		r = jsapi_sub_next(sub, left > 0 ? left : 0, &d, &m);
		if (r == -ETIMEDOUT) {
			check_fail(res, "the watch delivered nothing for value "
			    "%d ('%s') within %" PRId64 " ms", i + 1, want,
			    ctx->wait_ms);
			return 0;
		}
		if (r != 0) {
			check_error_diag(res, &d, "receiving on the watch");
			return r;
		}
		/* heartbeats and flow control are not values */
		if (check_msg_status(m) == NULL)
			break;
		jsapi_msg_free(m);
		m = NULL;
	}
	r = 1;
	if (m->len != strlen(want) || memcmp(m->data, want, m->len) != 0) {
		check_fail(res, "watch delivery %d is '%s', want '%s' (the "
		    "current value, then every update in order)", i + 1,
		    diag_quote(m->data, 32, q, sizeof(q)), want);
		r = 0;
	}
	jsapi_msg_free(m);
	return r;
}

/*
 * The current value first, then each update as it is written: a writer
 * that puts after the watcher saw its previous value (as agents that
 * report every few seconds do) must have every value seen.  With a short
 * history a value replaced before the server delivered it is gone, which
 * is the clients' semantics too, so the writes are not raced.
 */
static void
kv_watch(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_sub	*sub = NULL;
	struct diag		 d = { 0 };
	char			 key[512], want[KV_WATCH_N + 1][32];
	bool			 late = check_fault(ctx, "kv-watch-late");
	uint64_t		 rev;
	int			 i, r;

	check_subject(ctx, "kv-watch", key, sizeof(key));
	for (i = 0; i <= KV_WATCH_N; i++)
		snprintf(want[i], sizeof(want[i]), "w%d", i);
	if ((r = jsapi_subscribe(ctx->api, NULL, &d, &sub)) != 0) {
		check_error_diag(res, &d, "subscribing the watch");
		goto out;
	}
	/* Fault: the watch starts after the updates. */
	for (i = 0; i <= (late ? KV_WATCH_N : 0); i++)
		if (kv_put(ctx, res, key, want[i], NULL, &d, &rev) != 0)
			goto put_refused;
	if (kv_watch_start(ctx, res, key, sub) != 0 ||
	    kv_watch_next(ctx, res, sub, 0, want[0]) != 1)
		goto out;
	for (i = 1; i <= KV_WATCH_N; i++) {
		if (kv_put(ctx, res, key, want[i], NULL, &d, &rev) != 0)
			goto put_refused;
		if (kv_watch_next(ctx, res, sub, i, want[i]) != 1)
			goto out;
	}
	check_detail(res, "the watch delivered the current value and all %d "
	    "updates in order", KV_WATCH_N);
	goto out;
put_refused:
	if (d.code == -EPROTO)
		check_fail(res, "a put on '%s' was refused: %s", key, d.msg);
out:
	jsapi_sub_free(sub);
}

/*
 * A derived copy of the bucket's stream with the ttl shortened (the
 * declared one may be minutes): every other setting as declared.
 */
static int
kv_ttl_stream(struct check_ctx *ctx, struct check_result *res,
    const char *name, const char *subject, int64_t ttl_ms)
{
	cJSON		*cfg = NULL, *info = NULL, *subj;
	struct diag	 d = { 0 };
	int		 r = -ENOMEM;

	if ((r = check_track_stream(ctx, name)) != 0) {
		check_error(res, "out of memory");
		return r;
	}
	r = -ENOMEM;
	if ((cfg = cJSON_Duplicate(ctx->config, true)) == NULL)
		goto nomem;
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "name");
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "metadata");
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "subjects");
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "max_age");
	cJSON_DeleteItemFromObjectCaseSensitive(cfg, "duplicate_window");
	if (cJSON_AddStringToObject(cfg, "name", name) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(subject)) ||
	    cJSON_AddNumberToObject(cfg, "max_age", (double)ttl_ms * 1e6) ==
	    NULL || cJSON_AddNumberToObject(cfg, "duplicate_window",
	    (double)(ttl_ms > 0 ? ttl_ms : 1000) * 1e6) == NULL)
		goto nomem;
	if ((r = jsapi_stream_create(ctx->api, cfg, &d, &info)) != 0)
		check_error_diag(res, &d, "creating the derived bucket");
	goto out;
nomem:
	check_error(res, "out of memory");
out:
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

static void
kv_ttl(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	char			 name[256], subject[300], key[320];
	int64_t			 ttl, t0, left;
	uint64_t		 rev;
	bool			 created = false;
	int			 r;

	ttl = (int64_t)reply_count(ctx->config, "max_age");
	if (ttl <= 0) {
		check_skip(res, "the bucket declares no ttl: its keys never "
		    "expire");
		return;
	}
	check_name(ctx, "kv-ttl", name, sizeof(name));
	snprintf(subject, sizeof(subject), "%s.>", name);
	snprintf(key, sizeof(key), "%s.agent", name);
	/* Fault: the copy forgets the ttl. */
	if (kv_ttl_stream(ctx, res, name, subject, check_fault(ctx,
	    "kv-no-ttl") ? 0 : KV_TTL_MS) != 0)
		goto out;
	created = true;
	check_detail(res, "derived bucket '%s': ttl shortened from %" PRId64
	    " ms to %d ms", name, ttl / 1000000, KV_TTL_MS);
	if (kv_put(ctx, res, key, "here", NULL, &d, &rev) != 0) {
		if (d.code == -EPROTO)
			check_fail(res, "the put was refused: %s", d.msg);
		goto out;
	}
	if ((r = kv_get(ctx, res, name, key, &m)) != 0) {
		if (res->status == REPORT_PASS)
			check_fail(res, "the key is not found right after the "
			    "put");
		goto out;
	}
	jsapi_msg_free(m);
	m = NULL;
	/* Expiry is not instant: poll up to ttl + the longest wait. */
	t0 = check_now_ms();
	check_sleep_ms(KV_TTL_MS);
	for (;;) {
		r = kv_get(ctx, res, name, key, &m);
		if (r == -ENOENT)
			break;
		if (r != 0)
			goto out;
		jsapi_msg_free(m);
		m = NULL;
		left = ctx->wait_ms + KV_TTL_MS - (check_now_ms() - t0);
		if (left <= 0) {
			check_fail(res, "the key was still there %" PRId64
			    " ms after its last write; the ttl is %d ms",
			    check_now_ms() - t0, KV_TTL_MS);
			goto out;
		}
		check_sleep_ms(left < KV_POLL_MS ? left : KV_POLL_MS);
	}
	check_detail(res, "the key expired after its ttl (gone %" PRId64
	    " ms after the put)", check_now_ms() - t0);
out:
	jsapi_msg_free(m);
	if (created)
		(void)jsapi_stream_delete(ctx->api, name, &d);
}

static const struct check kv_checks[] = {
	{ "kv.put-get", "a value put on a key reads back byte for byte with "
	  "its revision (direct get)", CHECK_NEEDS_CONSUME |
	  CHECK_NEEDS_PUBLISH, kv_put_get },
	{ "kv.update-revision", "an update naming the current revision is "
	  "taken, one naming a stale revision is refused", CHECK_NEEDS_CONSUME |
	  CHECK_NEEDS_PUBLISH, kv_update },
	{ "kv.history", "a key keeps exactly the bucket's history of values, "
	  "the latest last", CHECK_NEEDS_CONSUME | CHECK_NEEDS_PUBLISH,
	  kv_history },
	{ "kv.watch", "a watch delivers the current value, then every update "
	  "in order", CHECK_NEEDS_CONSUME | CHECK_NEEDS_PUBLISH, kv_watch },
	{ "kv.ttl", "a key not written for the bucket's ttl expires",
	  CHECK_NEEDS_CONSUME | CHECK_NEEDS_PUBLISH, kv_ttl },
};

const struct check_group check_kv_group = {
	.name = "kv",
	.summary = "a declared key-value bucket: put/get, revisions, history, "
	    "watch, ttl",
	.checks = kv_checks,
	.nchecks = sizeof(kv_checks) / sizeof(kv_checks[0]),
};
