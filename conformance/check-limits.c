/* SPDX-License-Identifier: MIT */
/*
 * check-limits: the stream limits the agents rely on (discard old,
 * discard new, max_age) hold on this server.
 *
 * Each check runs on a small memory stream of its own, derived from the
 * declared one (same retention), so it never touches the declared stream
 * and is safe on the live target.  The derived stream listens on its own
 * subject "<name>.m" rather than a subject of the declared stream: the
 * server refuses two streams with overlapping subjects.
 *
 * Both discard checks always run.  The one matching the declared discard
 * policy proves the declared semantics; the other is reported as a server
 * behaviour check (the detail says which).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "reply.h"

#define LIMITS_MAX_MSGS		5
#define LIMITS_EXTRA		3
#define LIMITS_MAX_AGE_MS	300
#define LIMITS_POLL_MS		50
#define LIMITS_ERR_MAX_MSGS	10077	/* JSStreamStoreFailedF */

struct limits_stream {
	char	name[256];
	char	subject[300];
	bool	created;
};

static const char *
limits_declared_discard(const struct check_ctx *ctx)
{
	const char	*s;

	s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ctx->config,
	    "discard"));
	return s != NULL ? s : "old";
}

/*
 * Create the derived stream: memory storage, the declared retention, and
 * the limits given.  Interest retention keeps nothing without interest, so
 * a durable that never pulls is added to hold the messages.
 */
static int
limits_create(struct check_ctx *ctx, struct check_result *res,
    const char *what, const char *discard, int64_t max_msgs,
    int64_t max_age_ms, struct limits_stream *ls)
{
	char		 tag[48];
	const char	*retention;
	cJSON		*cfg = NULL, *info = NULL, *ccfg = NULL, *subj;
	struct diag	 d = { 0 };
	int		 r;

	snprintf(tag, sizeof(tag), "lim-%s", what);
	check_derived_name(ctx, tag, ls->name, sizeof(ls->name));
	snprintf(ls->subject, sizeof(ls->subject), "%s.m", ls->name);
	retention = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->config, "retention"));
	if (retention == NULL || strcmp(retention, "workqueue") == 0)
		retention = "limits";

	if ((r = check_track_stream(ctx, ls->name)) != 0) {
		check_error(res, "out of memory");
		goto out;
	}
	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "name", ls->name) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(ls->subject)) ||
	    cJSON_AddStringToObject(cfg, "retention", retention) == NULL ||
	    cJSON_AddStringToObject(cfg, "storage", "memory") == NULL ||
	    cJSON_AddStringToObject(cfg, "discard", discard) == NULL ||
	    cJSON_AddNumberToObject(cfg, "max_msgs", (double)max_msgs) ==
	    NULL ||
	    cJSON_AddNumberToObject(cfg, "max_age",
	    (double)max_age_ms * 1e6) == NULL ||
	    cJSON_AddNumberToObject(cfg, "num_replicas", 1) == NULL) {
		r = -ENOMEM;
		check_error(res, "out of memory");
		goto out;
	}
	if ((r = check_stream_create(ctx->api, cfg, &d, &info)) != 0) {
		check_error_diag(res, &d, "creating the derived stream");
		goto out;
	}
	ls->created = true;
	if (strcmp(retention, "interest") == 0) {
		cJSON_Delete(info);
		info = NULL;
		if ((ccfg = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(ccfg, "durable_name", "hold") ==
		    NULL ||
		    cJSON_AddStringToObject(ccfg, "ack_policy", "explicit") ==
		    NULL) {
			r = -ENOMEM;
			check_error(res, "out of memory");
			goto out;
		}
		if ((r = check_consumer_create(ctx->api, ls->name, ccfg, &d,
		    &info)) != 0) {
			check_error_diag(res, &d,
			    "creating the interest-holding consumer");
			goto out;
		}
	}
	check_detail(res, "derived stream '%s': retention %s, storage memory, "
	    "discard %s, max_msgs %" PRId64 ", max_age %" PRId64 " ms",
	    ls->name, retention, discard, max_msgs, max_age_ms);
out:
	cJSON_Delete(ccfg);
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

static void
limits_drop(struct check_ctx *ctx, struct limits_stream *ls)
{
	struct diag	d = { 0 };

	/* The runner removes it too; deleting now keeps the next stream's
	 * run of this check apart and the server tidy. */
	if (ls->created)
		(void)jsapi_stream_delete(ctx->api, ls->name, &d);
	ls->created = false;
}

/* Stream state: messages, first_seq, last_seq. */
static int
limits_state(struct check_ctx *ctx, struct check_result *res,
    const char *stream, uint64_t *ret_msgs, uint64_t *ret_first,
    uint64_t *ret_last)
{
	cJSON		*info = NULL, *st;
	struct diag	 d = { 0 };
	int64_t		 deadline = check_now_ms() + ctx->wait_ms;
	int		 r;

	/*
	 * The check created it: on a cluster a node that has not applied
	 * the assignment yet says "stream not found" for a moment (2.10.27).
	 */
	while ((r = jsapi_stream_info(ctx->api, stream, &d, &info)) ==
	    -ENOENT && jsapi_server(ctx->api)->cluster[0] != '\0' &&
	    check_now_ms() < deadline)
		check_sleep_ms(50);
	if (r != 0) {
		check_error_diag(res, &d, "reading the derived stream's state");
		return r;
	}
	st = cJSON_GetObjectItemCaseSensitive(info, "state");
	*ret_msgs = (uint64_t)reply_count(st, "messages");
	*ret_first = (uint64_t)reply_count(st, "first_seq");
	*ret_last = (uint64_t)reply_count(st, "last_seq");
	cJSON_Delete(info);
	return 0;
}

static int
limits_publish(struct check_ctx *ctx, const char *subject, int i,
    struct diag *d, uint64_t *ret_seq)
{
	char	 body[32];
	cJSON	*ack = NULL;
	int	 r;

	snprintf(body, sizeof(body), "limits-%d", i);
	if ((r = jsapi_js_publish(ctx->api, subject, NULL, body, strlen(body),
	    d, &ack)) != 0)
		return r;
	*ret_seq = (uint64_t)reply_count(ack, "seq");
	cJSON_Delete(ack);
	return 0;
}

static void
limits_role(const struct check_ctx *ctx, struct check_result *res,
    const char *policy)
{
	if (strcmp(limits_declared_discard(ctx), policy) == 0)
		check_detail(res, "'%s' declares discard %s: this proves the "
		    "declared semantics", ctx->spec ? ctx->spec->name :
		    ctx->stream, policy);
	else
		check_detail(res, "'%s' declares discard %s: this is a server "
		    "behaviour check", ctx->spec ? ctx->spec->name :
		    ctx->stream, limits_declared_discard(ctx));
}

static void
limits_discard_old(struct check_ctx *ctx, struct check_result *res)
{
	struct limits_stream	 ls = { 0 };
	struct diag		 d = { 0 };
	const char		*discard = "old";
	uint64_t		 seq, msgs, first, last;
	int			 n = LIMITS_MAX_MSGS + LIMITS_EXTRA;

	if (check_fault(ctx, "limits-discard"))
		discard = "new";
	limits_role(ctx, res, "old");
	if (limits_create(ctx, res, "old", discard, LIMITS_MAX_MSGS, 0,
	    &ls) != 0)
		goto out;
	for (int i = 1; i <= n; i++) {
		if (limits_publish(ctx, ls.subject, i, &d, &seq) != 0) {
			if (d.code == -EPROTO)
				check_fail(res, "publish %d of %d to a stream "
				    "with max_msgs %d and discard old was "
				    "refused: '%s' (err_code %d); the oldest "
				    "should have been dropped instead", i, n,
				    LIMITS_MAX_MSGS, d.msg, d.err_code);
			else
				check_error_diag(res, &d, "publishing");
			goto out;
		}
	}
	if (limits_state(ctx, res, ls.name, &msgs, &first, &last) != 0)
		goto out;
	check_detail(res, "after %d publishes: messages %" PRIu64 ", first_seq "
	    "%" PRIu64 ", last_seq %" PRIu64, n, msgs, first, last);
	if (msgs != LIMITS_MAX_MSGS || first != LIMITS_EXTRA + 1 ||
	    last != (uint64_t)n)
		check_fail(res, "after %d publishes with max_msgs %d and "
		    "discard old the stream holds %" PRIu64 " messages from "
		    "seq %" PRIu64 " to %" PRIu64 "; want %d messages from seq "
		    "%d to %d", n, LIMITS_MAX_MSGS, msgs, first, last,
		    LIMITS_MAX_MSGS, LIMITS_EXTRA + 1, n);
out:
	limits_drop(ctx, &ls);
}

static void
limits_discard_new(struct check_ctx *ctx, struct check_result *res)
{
	struct limits_stream	 ls = { 0 };
	struct diag		 d = { 0 };
	const char		*discard = "new";
	uint64_t		 seq, msgs, first, last;
	int			 r;

	if (check_fault(ctx, "limits-discard"))
		discard = "old";
	limits_role(ctx, res, "new");
	if (limits_create(ctx, res, "new", discard, LIMITS_MAX_MSGS, 0,
	    &ls) != 0)
		goto out;
	for (int i = 1; i <= LIMITS_MAX_MSGS; i++) {
		if (limits_publish(ctx, ls.subject, i, &d, &seq) != 0) {
			if (d.code == -EPROTO)
				check_fail(res, "publish %d of %d was refused "
				    "below max_msgs %d: '%s' (err_code %d)", i,
				    LIMITS_MAX_MSGS, LIMITS_MAX_MSGS, d.msg,
				    d.err_code);
			else
				check_error_diag(res, &d, "publishing");
			goto out;
		}
	}
	r = limits_publish(ctx, ls.subject, LIMITS_MAX_MSGS + 1, &d, &seq);
	if (r == 0) {
		check_fail(res, "publish %d was accepted (seq %" PRIu64 ") "
		    "although max_msgs is %d and discard is new",
		    LIMITS_MAX_MSGS + 1, seq, LIMITS_MAX_MSGS);
		goto out;
	}
	if (r != -EPROTO) {
		check_error_diag(res, &d, "publishing over the limit");
		goto out;
	}
	check_detail(res, "publish %d refused by the server: '%s' "
	    "(err_code %d)", LIMITS_MAX_MSGS + 1, d.msg, d.err_code);
	if (d.err_code != LIMITS_ERR_MAX_MSGS) {
		check_fail(res, "publish %d was refused with '%s' (err_code "
		    "%d); want err_code %d 'maximum messages exceeded'",
		    LIMITS_MAX_MSGS + 1, d.msg, d.err_code,
		    LIMITS_ERR_MAX_MSGS);
		goto out;
	}
	if (limits_state(ctx, res, ls.name, &msgs, &first, &last) != 0)
		goto out;
	if (msgs != LIMITS_MAX_MSGS || first != 1)
		check_fail(res, "after the refused publish the stream holds "
		    "%" PRIu64 " messages from seq %" PRIu64 "; want %d from "
		    "seq 1 (discard new keeps the oldest)", msgs, first,
		    LIMITS_MAX_MSGS);
out:
	limits_drop(ctx, &ls);
}

static void
limits_max_age(struct check_ctx *ctx, struct check_result *res)
{
	struct limits_stream	 ls = { 0 };
	struct diag		 d = { 0 };
	int64_t			 age = LIMITS_MAX_AGE_MS, start, waited;
	int64_t			 bound = ctx->wait_ms + LIMITS_MAX_AGE_MS;
	uint64_t		 seq, msgs = 0, first, last;

	if (check_fault(ctx, "limits-noexpire"))
		age = 0;
	if (limits_create(ctx, res, "age", limits_declared_discard(ctx), -1,
	    age, &ls) != 0)
		goto out;
	if (limits_publish(ctx, ls.subject, 1, &d, &seq) != 0) {
		check_error_diag(res, &d, "publishing");
		goto out;
	}
	start = check_now_ms();
	for (;;) {
		if (limits_state(ctx, res, ls.name, &msgs, &first, &last) != 0)
			goto out;
		waited = check_now_ms() - start;
		if (msgs == 0)
			break;
		if (waited >= bound) {
			check_fail(res, "a message published with max_age %d "
			    "ms is still stored after %" PRId64 " ms (%" PRIu64
			    " message(s) left)", LIMITS_MAX_AGE_MS, waited,
			    msgs);
			goto out;
		}
		check_sleep_ms(LIMITS_POLL_MS);
	}
	check_detail(res, "the message expired within %" PRId64 " ms "
	    "(max_age %d ms)", waited, LIMITS_MAX_AGE_MS);
	if (last != seq)
		check_fail(res, "the stream's last_seq is %" PRIu64 " after "
		    "expiry; want %" PRIu64, last, seq);
out:
	limits_drop(ctx, &ls);
}

static const struct check limits_checks[] = {
	{ "limits.discard-old", "with max_msgs and discard old, the oldest "
	    "messages are dropped and the newest kept", 0,
	    limits_discard_old },
	{ "limits.discard-new", "with max_msgs and discard new, a publish "
	    "over the limit is refused with the server's error", 0,
	    limits_discard_new },
	{ "limits.max-age", "a message older than max_age expires", 0,
	    limits_max_age },
};

const struct check_group check_limits_group = {
	"limits",
	"stream limits: discard old/new and max_age",
	limits_checks,
	sizeof(limits_checks) / sizeof(limits_checks[0]),
};
