/* SPDX-License-Identifier: MIT */
/*
 * check-failover: what the agents rely on when a replicated stream changes
 * leader.  Runs for streams declared with 3 or more replicas.
 *
 * failover.replicas reads the declared stream: it runs with its declared
 * replica count, has a leader, and every replica is current.
 *
 * failover.stepdown runs a workload on a copy of its own of the shadow
 * stream (same retention, storage, replicas and placement, its own
 * subject, so the shadow copy's other checks never see its leader move):
 * a publisher waiting for every PubAck (a failed publish is sent again
 * with the same Nats-Msg-Id, as an agent does), and consumers that are
 * copies of the live declared consumer: the declared workers of a work
 * queue, each its own connection, or one inbox reader that disconnects and
 * comes back.  A third of the way in it asks the stream leader to step
 * down ($JS.API.STREAM.LEADER.STEPDOWN), two thirds in the consumer
 * leader (CONSUMER.LEADER.STEPDOWN).  It needs no process control.  It
 * then proves that no acknowledged message was lost, every task was
 * processed (redeliveries are counted), first deliveries keep publish
 * order (inbox), acknowledged tasks leave a work queue (the stream holds
 * nothing at or below the consumer's ack floor), and reports how long
 * publishing and consuming took to recover after each stepdown.
 *
 * Seeded fault failover-limits: the copy of a work queue gets limits
 * retention, so acknowledged tasks stay, as they did on a cluster whose
 * work queue kept 606 acknowledged tasks after its leader was killed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reply.h"

#define FO_TASKS	48
#define FO_WORKERS_MAX	8
#define FO_BATCH	4
#define FO_REPLICAS_MIN	3
#define FO_POLL_MS	1000	/* request timeout of the leader polls */
#define FO_MOVE_MS	2000	/* a leader that stays this long is asked
				   again */
#define FO_STEPDOWNS	3

struct fo_run {
	struct check_ctx	 c;		/* ctx with stream = the copy */
	char			 name[256];
	char			 subject[300];
	char			 consumer[256];
	bool			 work;		/* a work queue: workers */
	struct jsapi		*w[FO_WORKERS_MAX];
	struct jsapi		*poll;		/* short timeout: leaders */
	int			 nw;
	uint64_t		 seq[FO_TASKS];	/* PubAck sequence, 0 none */
	int			 seen[FO_TASKS];
	bool			 done[FO_TASKS]; /* ack confirmed */
	int			 redelivered;
	int			 dups;
	int			 last_first;	/* inbox order */
	int			 order_bad;
	char			 order_msg[160];
	int			 ack_errors;
	int			 pub_retries;
	int64_t			 bound_ms;	/* recovery bound */
};

static int64_t
fo_replicas(const cJSON *config)
{
	double	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    config, "num_replicas"));

	return v != v || v < 1 ? 1 : v > 5 ? 5 : (int64_t)v;
}

/*
 * The stream's (consumer NULL) or a consumer's cluster block from its
 * info, into *ret_info (caller frees); 0 or the jsapi code.
 */
static int
fo_info(struct jsapi *api, const char *stream, const char *consumer,
    struct diag *d, cJSON **ret_info)
{
	if (consumer != NULL)
		return jsapi_consumer_info(api, stream, consumer, d, ret_info);
	return jsapi_stream_info(api, stream, d, ret_info);
}

/* The leader named by info's cluster block, into buf ("" when none). */
static const char *
fo_leader_of(const cJSON *info, char *buf, size_t len)
{
	const char	*l = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(info, "cluster"), "leader"));

	snprintf(buf, len, "%.100s", l != NULL ? l : "");
	return buf;
}

/*
 * Wait until the stream (or consumer) has a leader and, with all_current,
 * every replica is current and online; describe the replicas in why.
 * Returns true when it holds within the bound.
 */
static bool
fo_settled(struct jsapi *api, const char *stream, const char *consumer,
    int64_t bound_ms, bool all_current, char *leader, size_t llen,
    int *ret_followers, char *why, size_t wlen)
{
	const cJSON	*reps, *it;
	cJSON		*info = NULL;
	struct diag	 d = { 0 };
	int64_t		 deadline = check_now_ms() + bound_ms;
	size_t		 off;
	bool		 ok = false, cur, off_line;
	char		 q[DIAG_QUOTE_LEN];
	int		 n;

	for (;;) {
		cJSON_Delete(info);
		info = NULL;
		why[0] = '\0';
		leader[0] = '\0';
		n = 0;
		if (fo_info(api, stream, consumer, &d, &info) != 0) {
			snprintf(why, wlen, "%s", d.msg);
			goto next;
		}
		fo_leader_of(info, leader, llen);
		reps = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(info, "cluster"),
		    "replicas");
		ok = leader[0] != '\0';
		off = 0;
		cJSON_ArrayForEach(it, reps) {
			if (++n > 16)
				break;
			cur = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it,
			    "current"));
			off_line = cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(it, "offline"));
			if (!cur || off_line)
				ok = ok && !all_current;
			if (off < wlen)
				off += (size_t)snprintf(why + off, wlen - off,
				    "%s%s (%s%s, lag %.0f)", off > 0 ?
				    ", " : "", diag_quote(reply_str(it, "name",
				    "?"), 40, q, sizeof(q)), cur ?
				    "current" : "not current", off_line ?
				    ", offline" : "", reply_num(it, "lag"));
		}
		if (ok)
			break;
next:
		if (check_now_ms() >= deadline)
			break;
		check_sleep_ms(100);
	}
	if (ret_followers != NULL)
		*ret_followers = n;
	cJSON_Delete(info);
	return ok;
}

static void
fo_replicas_check(struct check_ctx *ctx, struct check_result *res)
{
	char	leader[128], why[1024];
	int64_t	want, live;
	int	followers = 0;

	want = fo_replicas(ctx->spec->config);
	live = fo_replicas(ctx->live_config);
	if (live != want) {
		check_fail(res, "stream '%s' runs with %" PRId64 " replica(s), "
		    "declared %" PRId64, ctx->spec->name, live, want);
		return;
	}
	if (!fo_settled(ctx->api, ctx->spec->name, NULL, ctx->wait_ms * 5,
	    true, leader, sizeof(leader), &followers, why, sizeof(why))) {
		if (leader[0] == '\0')
			check_fail(res, "stream '%s' (%" PRId64 " replicas) has "
			    "no leader%s%s", ctx->spec->name, live,
			    why[0] != '\0' ? ": " : "", why);
		else
			check_fail(res, "stream '%s': not every replica is "
			    "current (leader %s; %s)", ctx->spec->name, leader,
			    why);
		return;
	}
	if (followers != live - 1) {
		check_fail(res, "stream '%s' declares %" PRId64 " replicas but "
		    "the server lists a leader and %d other(s)%s%s",
		    ctx->spec->name, live, followers, why[0] != '\0' ? ": " :
		    "", why);
		return;
	}
	check_detail(res, "stream '%s': leader %s, replicas %s",
	    ctx->spec->name, leader, why[0] != '\0' ? why : "none");
}

/* The copy: the shadow's retention, storage, replicas and placement. */
static int
fo_create(struct fo_run *f, struct check_ctx *ctx, struct check_result *res)
{
	static const char *const keep[] = { "retention", "storage",
	    "num_replicas", "placement", "duplicate_window", "discard" };
	const cJSON	*v;
	cJSON		*cfg = NULL, *info = NULL, *subj, *dup;
	struct diag	 d = { 0 };
	const char	*ret;
	size_t		 i;
	int		 r = -ENOMEM;

	check_derived_name(ctx, "fo", f->name, sizeof(f->name));
	snprintf(f->subject, sizeof(f->subject), "%s.t", f->name);
	if (check_track_stream(ctx, f->name) != 0 ||
	    (cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "name", f->name) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(f->subject)))
		goto oom;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if ((v = cJSON_GetObjectItemCaseSensitive(ctx->config,
		    keep[i])) == NULL)
			continue;
		if ((dup = cJSON_Duplicate(v, true)) == NULL ||
		    !cJSON_AddItemToObject(cfg, keep[i], dup)) {
			cJSON_Delete(dup);
			goto oom;
		}
	}
	ret = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cfg,
	    "retention"));
	f->work = ret != NULL && strcmp(ret, "workqueue") == 0;
	if (f->work && check_fault(ctx, "failover-limits")) {
		cJSON_DeleteItemFromObjectCaseSensitive(cfg, "retention");
		if (cJSON_AddStringToObject(cfg, "retention", "limits") ==
		    NULL)
			goto oom;
	}
	if ((r = check_stream_create(ctx->api, cfg, &d, &info)) != 0) {
		check_error_diag(res, &d, "creating the failover copy");
		goto out;
	}
	check_detail(res, "failover copy '%s': retention %s, %" PRId64
	    " replicas", f->name, cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(cfg, "retention")) != NULL ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cfg,
	    "retention")) : "limits", fo_replicas(cfg));
	goto out;
oom:
	check_error(res, "out of memory");
out:
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

/*
 * Publish task i and wait for its PubAck; a failure (no reply while the
 * leader moves, a 503) is sent again with the same Nats-Msg-Id until the
 * bound, as an agent would.  Returns 0 or the last jsapi code.
 */
static int
fo_publish(struct fo_run *f, int i, struct diag *d)
{
	cJSON		*hdrs = NULL, *vals, *ack = NULL;
	char		 id[320], body[64];
	int64_t		 deadline = check_now_ms() + f->bound_ms;
	double		 seq;
	int		 r = -ENOMEM;

	snprintf(id, sizeof(id), "%s-%d", f->name, i);
	snprintf(body, sizeof(body), "task %d\n", i);
	if ((hdrs = cJSON_CreateObject()) == NULL ||
	    (vals = cJSON_AddArrayToObject(hdrs, "Nats-Msg-Id")) == NULL ||
	    !cJSON_AddItemToArray(vals, cJSON_CreateString(id)))
		goto out;
	for (;;) {
		cJSON_Delete(ack);
		ack = NULL;
		r = jsapi_js_publish(f->c.api, f->subject, hdrs, body,
		    strlen(body), d, &ack);
		if (r == 0 || r == -ENOMEM || check_now_ms() >= deadline)
			break;
		f->pub_retries++;
		check_sleep_ms(50);
	}
	if (r == 0) {
		seq = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ack,
		    "seq"));
		if (seq != seq || seq < 1)
			r = diag_set(d, -EBADMSG, "the PubAck of task %d has "
			    "no sequence", i);
		else
			f->seq[i] = (uint64_t)seq;
	}
out:
	cJSON_Delete(ack);
	cJSON_Delete(hdrs);
	return r;
}

/*
 * Pull up to n messages within wait_ms: like check_fetch(), but a pull
 * that fails while a leader moves is not an error of the check; it
 * returns what it got (0 then).
 */
static int
fo_fetch(struct fo_run *f, struct jsapi *api, int n, int64_t wait_ms,
    struct jsapi_msg **ret)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	struct diag		 d = { 0 };
	int64_t			 deadline = check_now_ms() + wait_ms, left;
	int			 got = 0, r;

	if (jsapi_subscribe(api, NULL, &d, &sub) != 0)
		return 0;
	left = deadline - check_now_ms();
	if (jsapi_pull(api, f->name, f->consumer, n, left < 10 ? 10 : left,
	    sub, &d) != 0)
		goto out;
	while (got < n) {
		left = deadline - check_now_ms();
		r = jsapi_sub_next(sub, (left > 0 ? left : 0) + 200, &d, &m);
		if (r != 0)
			break;
		if (check_msg_status(m) != NULL) {
			jsapi_msg_free(m);
			m = NULL;
			break;
		}
		ret[got++] = m;
		m = NULL;
	}
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	return got;
}

/* Process one delivery: record it, acknowledge it. */
static int
fo_process(struct fo_run *f, struct jsapi *api, const struct jsapi_msg *m,
    struct check_result *res)
{
	struct jsapi_meta	meta;
	struct diag		d = { 0 };
	int			i;
	char			q[DIAG_QUOTE_LEN];

	if (sscanf(m->data, "task %d", &i) != 1 || i < 0 || i >= FO_TASKS) {
		check_fail(res, "a consumer of '%s' got a message that is no "
		    "task: '%s'", f->name, diag_quote(m->data, 32, q,
		    sizeof(q)));
		return -EPROTO;
	}
	if (jsapi_msg_meta(m, &meta) == 0 && meta.num_delivered > 1)
		f->redelivered++;
	else {
		if (f->seen[i] > 0)
			f->dups++;
		/* Inbox order: first deliveries in publish order. */
		if (!f->work && i < f->last_first && f->order_bad++ == 0)
			snprintf(f->order_msg, sizeof(f->order_msg), "task %d "
			    "was first delivered after task %d", i,
			    f->last_first);
		if (i > f->last_first)
			f->last_first = i;
	}
	f->seen[i]++;
	if (jsapi_msg_ack(api, m, "+ACK", true, &d) == 0)
		f->done[i] = true;
	else
		f->ack_errors++;	/* comes back after ack_wait */
	return 0;
}

/* One round of consuming: worker k pulls a batch and processes it. */
static int
fo_consume(struct fo_run *f, int k, int64_t wait_ms, int *ret_got,
    struct check_result *res)
{
	struct jsapi_msg	*got[FO_BATCH] = { NULL };
	int			 n, j, r = 0;

	n = fo_fetch(f, f->w[k], FO_BATCH, wait_ms, got);
	for (j = 0; j < n && r == 0; j++)
		r = fo_process(f, f->w[k], got[j], res);
	check_msgs_free(got, n);
	*ret_got = n;
	return r;
}

/* Ask the leader of the copy (consumer NULL) or of its consumer to step
 * down.  0, or a code after check_error(). */
static int
fo_stepdown_req(struct fo_run *f, const char *consumer,
    struct check_result *res)
{
	char		 suffix[700];
	cJSON		*resp = NULL;
	struct diag	 d = { 0 };
	int		 r;

	if (consumer != NULL)
		snprintf(suffix, sizeof(suffix),
		    "CONSUMER.LEADER.STEPDOWN.%s.%s", f->name, consumer);
	else
		snprintf(suffix, sizeof(suffix), "STREAM.LEADER.STEPDOWN.%s",
		    f->name);
	if ((r = jsapi_request(f->c.api, suffix, NULL, &d, &resp)) != 0) {
		check_error_diag(res, &d, consumer != NULL ?
		    "asking the consumer leader to step down" :
		    "asking the stream leader to step down");
		return r;
	}
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resp, "success"))) {
		check_error(res, "the stepdown of the %s leader of '%s' did not "
		    "say success", consumer != NULL ? "consumer" : "stream",
		    f->name);
		r = -EPROTO;
	}
	cJSON_Delete(resp);
	return r;
}

/*
 * Once every replica is current, ask the leader to step down; the leader
 * before, into old.  0, or a code after check_error().
 */
static int
fo_stepdown(struct fo_run *f, const char *consumer, char *old, size_t olen,
    struct check_result *res)
{
	char	why[256];

	if (!fo_settled(f->c.api, f->name, consumer, f->bound_ms, true, old,
	    olen, NULL, why, sizeof(why))) {
		check_error(res, "the %s of '%s' did not settle before the "
		    "stepdown (leader '%s'; %s)", consumer != NULL ?
		    "consumer" : "stream", f->name, old, why);
		return -ETIMEDOUT;
	}
	return fo_stepdown_req(f, consumer, res);
}

/*
 * After the stepdown: another leader.  Read on the short-timeout poll
 * connection (a consumer's info goes unanswered while it elects, for a
 * whole request timeout on 2.15); a leader that stays (raft may elect it
 * again when no follower is current) is asked again, FO_STEPDOWNS times
 * in all.
 */
static void
fo_new_leader(struct fo_run *f, const char *consumer, const char *old,
    struct check_result *res)
{
	char	leader[128], why[256];
	int64_t	deadline = check_now_ms() + f->bound_ms, next;
	int	asked = 1;

	next = check_now_ms() + FO_MOVE_MS;
	for (;;) {
		fo_settled(f->poll, f->name, consumer, 0, false, leader,
		    sizeof(leader), NULL, why, sizeof(why));
		if ((leader[0] != '\0' && strcmp(leader, old) != 0) ||
		    check_now_ms() >= deadline)
			break;
		if (check_now_ms() >= next && asked < FO_STEPDOWNS) {
			if (fo_stepdown_req(f, consumer, res) != 0)
				return;
			asked++;
			next = check_now_ms() + FO_MOVE_MS;
		}
		check_sleep_ms(50);
	}
	if (leader[0] == '\0' || strcmp(leader, old) == 0)
		check_fail(res, "the %s leader of '%s' was asked to step down "
		    "%d time(s) but %s", consumer != NULL ? "consumer" :
		    "stream", f->name, asked, leader[0] == '\0' ?
		    "no new leader was elected" : "stayed the same");
	else
		check_detail(res, "%s leader %s -> %s%s", consumer != NULL ?
		    "consumer" : "stream", old, leader, asked > 1 ?
		    " (stepdown asked again: the same leader was elected)" :
		    "");
}

/* The proofs once the workload is over. */
static void
fo_prove(struct fo_run *f, struct check_result *res, int version)
{
	cJSON		*si = NULL, *ci = NULL;
	struct diag	 d = { 0 };
	char		 lost[256];
	double		 msgs = 0, first = 0, last = 0, floor = 0, pend = 0;
	int64_t		 deadline;
	size_t		 off = 0;
	int		 i, nlost = 0, acked = 0;

	for (i = 0; i < FO_TASKS; i++) {
		if (f->seq[i] == 0)
			continue;
		acked++;
		if (f->done[i])
			continue;
		if (nlost++ < 8 && off < sizeof(lost))
			off += (size_t)snprintf(lost + off, sizeof(lost) - off,
			    "%s%d (seq %" PRIu64 ")", off > 0 ? ", " : "", i,
			    f->seq[i]);
	}
	if (nlost > 0) {
		check_fail(res, "%d of %d acknowledged message(s) were never "
		    "processed after the leader changes: task %s%s", nlost,
		    acked, lost, nlost > 8 ? ", ..." : "");
		return;
	}
	if (f->dups > 0) {
		check_fail(res, "%d task(s) were delivered twice without being "
		    "redeliveries", f->dups);
		return;
	}
	if (f->order_bad > 0) {
		check_fail(res, "inbox order broken after the leader changes: "
		    "%s (%d out of order)", f->order_msg, f->order_bad);
		return;
	}
	/*
	 * Every task is acknowledged: a work queue must hold nothing, and
	 * any stream must have its consumer's ack floor at the last one.
	 */
	deadline = check_now_ms() + f->bound_ms;
	for (;;) {
		cJSON_Delete(si);
		cJSON_Delete(ci);
		si = ci = NULL;
		if (jsapi_stream_info(f->c.api, f->name, &d, &si) != 0 ||
		    jsapi_consumer_info(f->c.api, f->name, f->consumer, &d,
		    &ci) != 0) {
			if (check_now_ms() >= deadline) {
				check_error_diag(res, &d, "reading the copy "
				    "after the workload");
				goto out;
			}
			check_sleep_ms(100);
			continue;
		}
		msgs = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(si, "state"), "messages"));
		first = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(si, "state"),
		    "first_seq"));
		last = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(si, "state"), "last_seq"));
		floor = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(ci, "ack_floor"),
		    "stream_seq"));
		pend = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ci,
		    "num_ack_pending"));
		if (floor >= last && pend == 0 && (!f->work || msgs == 0))
			break;
		if (check_now_ms() >= deadline)
			break;
		check_sleep_ms(100);
	}
	if (f->work && msgs > 0)
		check_fail(res, "acknowledged tasks stay in the work queue on "
		    "nats-server %d.%d.%d: '%s' still holds %.0f message(s) "
		    "(seq %.0f to %.0f) after all %d tasks were acknowledged; "
		    "the consumer's ack floor is at stream seq %.0f", version /
		    10000, version / 100 % 100, version % 100, f->name, msgs,
		    first, last, acked, floor);
	else if (floor < last || pend > 0)
		check_fail(res, "the consumer's ack floor stays at stream seq "
		    "%.0f (%.0f ack pending) after all %d tasks up to seq %.0f "
		    "were acknowledged", floor, pend, acked, last);
out:
	cJSON_Delete(si);
	cJSON_Delete(ci);
}

static int
fo_workers(const struct check_ctx *ctx, bool work)
{
	double	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->spec != NULL ? ctx->spec->contract : NULL, "workers"));

	if (!work)
		return 1;
	if (v != v)
		return 3;
	return v < 2 ? 2 : v > FO_WORKERS_MAX ? FO_WORKERS_MAX : (int)v;
}

static void
fo_stepdown_check(struct check_ctx *ctx, struct check_result *res)
{
	struct fo_run	*f;
	struct diag	 d = { 0 };
	char		 old[128];
	struct conn_opts poll_opts;
	int64_t		 t_sd = 0, rec_stream = -1, rec_consumer = -1;
	int64_t		 deadline;
	int		 i = 0, k = 0, n, r, pending_sd = 0, all;
	bool		 reconnected = false;

	if (fo_replicas(ctx->config) < FO_REPLICAS_MIN) {
		check_skip(res, "stream '%s' runs with %" PRId64 " replica(s): "
		    "failover needs %d or more (a cluster)", ctx->spec->name,
		    fo_replicas(ctx->config), FO_REPLICAS_MIN);
		return;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		check_error(res, "out of memory");
		return;
	}
	f->c = *ctx;
	f->last_first = -1;
	f->bound_ms = ctx->wait_ms * 5;
	if (fo_create(f, ctx, res) != 0)
		goto out;
	f->c.stream = f->name;
	check_name(ctx, "fo-c", f->consumer, sizeof(f->consumer));
	if ((r = check_pull_consumer(&f->c, ctx->api, f->consumer,
	    f->subject, "all", &d)) != 0) {
		check_error_diag(res, &d, "creating the failover consumer");
		goto out;
	}
	poll_opts = *ctx->conn;
	poll_opts.timeout_ms = FO_POLL_MS;
	if (jsapi_connect(&poll_opts, &d, &f->poll) != 0) {
		check_error_diag(res, &d, "opening the leader poll connection");
		goto out;
	}
	f->nw = fo_workers(ctx, f->work);
	for (k = 0; k < f->nw; k++)
		if (check_connect(ctx, res, &f->w[k]) != 0)
			goto out;
	check_detail(res, "workload: %d tasks, each PubAck awaited; %d %s",
	    FO_TASKS, f->nw, f->work ? "workers, each its own connection" :
	    "inbox reader that disconnects and comes back half-way");
	deadline = check_now_ms() + 4 * f->bound_ms + ctx->ack_wait_ms;
	for (k = 0; ; k = (k + 1) % f->nw) {
		if (i < FO_TASKS) {
			if (i == FO_TASKS / 3 || i == 2 * FO_TASKS / 3) {
				pending_sd = i == FO_TASKS / 3 ? 1 : 2;
				if (fo_stepdown(f, pending_sd == 2 ?
				    f->consumer : NULL, old, sizeof(old),
				    res) != 0)
					goto out;
				t_sd = check_now_ms();
				fo_new_leader(f, pending_sd == 2 ?
				    f->consumer : NULL, old, res);
			}
			if ((r = fo_publish(f, i, &d)) != 0) {
				check_fail(res, "task %d was not acknowledged "
				    "within %" PRId64 " ms of trying: %s", i,
				    f->bound_ms, d.msg);
				goto out;
			}
			if (pending_sd == 1) {
				rec_stream = check_now_ms() - t_sd;
				pending_sd = 0;
			}
			i++;
		}
		if (!f->work && !reconnected && i == FO_TASKS / 2) {
			/* The inbox agent goes away and comes back. */
			jsapi_free(f->w[0]);
			f->w[0] = NULL;
			reconnected = true;
			if (check_connect(ctx, res, &f->w[0]) != 0)
				goto out;
		}
		if (fo_consume(f, k, i < FO_TASKS ? 20 : 200, &n, res) != 0)
			goto out;
		if (n > 0 && pending_sd == 2) {
			rec_consumer = check_now_ms() - t_sd;
			pending_sd = 0;
		}
		for (all = 0; all < FO_TASKS && f->done[all]; all++)
			;
		if (i == FO_TASKS && all == FO_TASKS)
			break;
		if (check_now_ms() >= deadline)
			break;
	}
	if (res->status != REPORT_PASS)
		goto out;
	if (rec_stream >= 0)
		check_detail(res, "stream leader stepdown: publishing "
		    "recovered in %" PRId64 " ms", rec_stream);
	if (rec_consumer >= 0)
		check_detail(res, "consumer leader stepdown: consuming "
		    "recovered in %" PRId64 " ms", rec_consumer);
	check_detail(res, "%d redelivery(ies), %d acknowledgement(s) lost "
	    "in a leader change, %d publish(es) sent again", f->redelivered,
	    f->ack_errors, f->pub_retries);
	fo_prove(f, res, ctx->server_version);
out:
	for (k = 0; k < FO_WORKERS_MAX; k++)
		jsapi_free(f->w[k]);
	jsapi_free(f->poll);
	free(f);
}

static const struct check failover_checks[] = {
	{ "failover.replicas", "the stream runs with its declared replica "
	  "count, has a leader, and every replica is current", 0,
	  fo_replicas_check },
	{ "failover.stepdown", "stream and consumer leader stepdowns during "
	  "a workload lose no acknowledged message, keep inbox order, and "
	  "acknowledged tasks leave a work queue", CHECK_NEEDS_CONSUME,
	  fo_stepdown_check },
};

const struct check_group check_failover_group = {
	.name = "failover",
	.summary = "leader changes of streams with 3 or more replicas",
	.checks = failover_checks,
	.nchecks = sizeof(failover_checks) / sizeof(failover_checks[0]),
};
