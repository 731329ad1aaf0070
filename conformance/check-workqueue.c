/* SPDX-License-Identifier: MIT */
/*
 * check-workqueue: what task workers rely on.  W workers (each its own
 * connection) share one pull consumer: every task is processed exactly
 * once, every worker gets work, acknowledged tasks leave the stream,
 * unacknowledged ones come back after ack_wait, -NAK brings one back at
 * once and +TERM never, the server refuses a second consumer that would
 * overlap, and a republished task with the same Nats-Msg-Id is not stored
 * twice.
 *
 * Every check filters on its own subject, so its consumer never overlaps
 * another check's.  All of them consume: refused on the live target.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define WORKQ_WORKERS_MAX CHECK_CONNS_MAX /* workers simulated at most */
#define WORKQ_PER_WORKER 8	/* tasks per worker in exactly-once */
#define WORKQ_TASKS	(WORKQ_WORKERS_MAX * WORKQ_PER_WORKER)
#define WORKQ_BATCH	4
#define WORKQ_RETRY_MS	250	/* how soon an agent republishes */

/* The workers: kept connections of the stream's checks (check_conns). */
struct workq_pool {
	struct jsapi	*w[WORKQ_WORKERS_MAX];
	bool		 owned[WORKQ_WORKERS_MAX];	/* free w[i] */
	int		 n;
};

/*
 * The workers the contract declares (2..WORKQ_WORKERS_MAX: more only
 * repeat what these show, and two are the least that can share), or 3
 * without a contract.
 */
static int
workq_workers(const struct check_ctx *ctx)
{
	double	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->spec != NULL ? ctx->spec->contract : NULL, "workers"));

	if (v != v)
		return 3;
	return v < 2 ? 2 : v > WORKQ_WORKERS_MAX ? WORKQ_WORKERS_MAX : (int)v;
}

static void
workq_pool_free(struct workq_pool *p)
{
	int	i;

	for (i = 0; i < WORKQ_WORKERS_MAX; i++) {
		if (p->owned[i])
			jsapi_free(p->w[i]);
		p->w[i] = NULL;
		p->owned[i] = false;
	}
}

static int
workq_pool_open(struct check_ctx *ctx, struct check_result *res,
    struct workq_pool *p)
{
	int	i, r;

	p->n = workq_workers(ctx);
	for (i = 0; i < p->n; i++)
		if ((r = check_connect_kept(ctx, res, i, &p->w[i],
		    &p->owned[i])) != 0)
			return r;
	check_detail(res, "workload from the contract: %d workers, each its "
	    "own connection", p->n);
	return 0;
}

/* Create the shared consumer and publish n tasks "task <i>". */
static int
workq_setup(struct check_ctx *ctx, struct check_result *res,
    const char *name, const char *subj, int n)
{
	struct diag	d = { 0 };
	int		r;

	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the work "
		    "consumer");
		return r;
	}
	return check_publish_n(ctx, res, subj, "task", n,
	    "publishing a task");
}

static int
workq_index(const struct jsapi_msg *m)
{
	int	i;

	if (sscanf(m->data, "task %d", &i) != 1)
		return -1;
	return i;
}

static int
workq_ack(struct jsapi *api, const struct jsapi_msg *m, const char *kind,
    struct check_result *res)
{
	struct diag	d = { 0 };
	int		r;

	if ((r = jsapi_msg_ack(api, m, kind, true, &d)) != 0)
		check_error_diag(res, &d, kind);
	return r;
}

static void
workq_exactly_once(struct check_ctx *ctx, struct check_result *res)
{
	struct workq_pool	 pool = { { NULL }, { false }, 0 };
	struct jsapi_msg	*got[WORKQ_BATCH] = { NULL };
	struct jsapi_meta	 meta;
	int			 seen[WORKQ_TASKS] = { 0 };
	int			 redelivered[WORKQ_TASKS] = { 0 };
	char			 name[128], subj[512];
	char			 q[DIAG_QUOTE_LEN];
	int64_t			 deadline;
	int			 done = 0, w = 0, i, k, n, dups = 0, tasks;
	bool			 dropped = false;

	check_name(ctx, "wq-once", name, sizeof(name));
	check_subject(ctx, "wq-once", subj, sizeof(subj));
	tasks = workq_workers(ctx) * WORKQ_PER_WORKER;
	if (workq_setup(ctx, res, name, subj, tasks) != 0 ||
	    workq_pool_open(ctx, res, &pool) != 0)
		goto out;
	deadline = check_now_ms() + ctx->wait_ms + ctx->ack_wait_ms;
	while (done < tasks && check_now_ms() < deadline) {
		if ((n = check_fetch(ctx, pool.w[w], name, WORKQ_BATCH, 200,
		    got, res)) < 0)
			goto out;
		for (k = 0; k < n; k++) {
			i = workq_index(got[k]);
			if (i < 0 || i >= tasks) {
				check_fail(res, "worker %d got a message that "
				    "is no task: '%s'", w + 1, diag_quote(
				    got[k]->data, 32, q, sizeof(q)));
				goto out;
			}
			/* Fault: a worker drops a task and terminates it. */
			if (i == 7 && !dropped && check_fault(ctx,
			    "drop-one")) {
				dropped = true;
				if (workq_ack(pool.w[w], got[k], "+TERM",
				    res) != 0)
					goto out;
				continue;
			}
			if (jsapi_msg_meta(got[k], &meta) == 0 &&
			    meta.num_delivered > 1)
				redelivered[i]++;
			else if (seen[i] > 0)
				dups++;
			if (seen[i]++ == 0)
				done++;
			if (workq_ack(pool.w[w], got[k], "+ACK", res) != 0)
				goto out;
		}
		check_msgs_free(got, n);
		w = (w + 1) % pool.n;
	}
	/* Anything more now would be a second delivery. */
	if ((n = check_fetch(ctx, pool.w[0], name, 1, ctx->ack_wait_ms + 100,
	    got, res)) < 0)
		goto out;
	if (n > 0 && (jsapi_msg_meta(got[0], &meta) != 0 ||
	    meta.num_delivered <= 1))
		dups++;
	check_msgs_free(got, n);
	for (i = 0; i < tasks; i++) {
		if (seen[i] == 0) {
			check_fail(res, "task %d was never processed: %d of %d "
			    "tasks done by %d workers", i, done, tasks,
			    pool.n);
			goto out;
		}
	}
	if (dups > 0)
		check_fail(res, "%d task(s) were delivered twice without "
		    "being redeliveries", dups);
	for (i = 0; i < tasks; i++)
		if (redelivered[i] > 0)
			check_detail(res, "task %d redelivered %d time(s)", i,
			    redelivered[i]);
out:
	check_msgs_free(got, WORKQ_BATCH);
	workq_pool_free(&pool);
}

static void
workq_load_balanced(struct check_ctx *ctx, struct check_result *res)
{
	struct workq_pool	 pool = { { NULL }, { false }, 0 };
	struct jsapi_msg	*got[WORKQ_TASKS] = { NULL };
	int			 count[WORKQ_WORKERS_MAX] = { 0 };
	char			 name[128], subj[512], per[128];
	int			 total = 0, w, k, n, round, tasks;
	size_t			 off;

	check_name(ctx, "wq-lb", name, sizeof(name));
	check_subject(ctx, "wq-lb", subj, sizeof(subj));
	tasks = workq_workers(ctx) * WORKQ_PER_WORKER / 2;
	if (workq_setup(ctx, res, name, subj, tasks) != 0 ||
	    workq_pool_open(ctx, res, &pool) != 0)
		goto out;
	/* Each worker asks for a small batch in turn, as agents do. */
	for (round = 0; total < tasks && round < WORKQ_TASKS; round++) {
		for (w = 0; w < pool.n && total < tasks; w++) {
			/* Fault: the first worker grabs everything. */
			n = check_fault(ctx, "greedy-worker") && w == 0 ?
			    tasks : 2;
			if ((n = check_fetch(ctx, pool.w[w], name, n, 200,
			    got, res)) < 0)
				goto out;
			count[w] += n;
			total += n;
			for (k = 0; k < n; k++)
				if (workq_ack(pool.w[w], got[k], "+ACK",
				    res) != 0)
					goto out;
			check_msgs_free(got, n);
		}
	}
	per[0] = '\0';
	for (w = 0, off = 0; w < pool.n && off < sizeof(per); w++)
		off += (size_t)snprintf(per + off, sizeof(per) - off, "%s%d",
		    w > 0 ? "/" : "", count[w]);
	for (w = 0; w < pool.n; w++) {
		if (count[w] == 0) {
			check_fail(res, "worker %d of %d got no tasks (tasks "
			    "per worker: %s)", w + 1, pool.n, per);
			goto out;
		}
	}
	check_detail(res, "tasks per worker: %s", per);
out:
	check_msgs_free(got, WORKQ_TASKS);
	workq_pool_free(&pool);
}

static void
workq_removed_after_ack(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*got[WORKQ_BATCH] = { NULL };
	char			 name[128], subj[512];
	int64_t			 left = -1, deadline;
	int			 k, n;

	check_name(ctx, "wq-rm", name, sizeof(name));
	check_subject(ctx, "wq-rm", subj, sizeof(subj));
	if (workq_setup(ctx, res, name, subj, WORKQ_BATCH) != 0)
		goto out;
	if ((n = check_fetch(ctx, ctx->api, name, WORKQ_BATCH, ctx->wait_ms,
	    got, res)) < 0)
		goto out;
	if (n < WORKQ_BATCH) {
		check_fail(res, "received %d of %d tasks", n, WORKQ_BATCH);
		goto out;
	}
	/* Fault: the worker never acknowledges. */
	for (k = 0; k < n && !check_fault(ctx, "no-ack"); k++)
		if (workq_ack(ctx->api, got[k], "+ACK", res) != 0)
			goto out;
	deadline = check_now_ms() + ctx->wait_ms;
	do {
		if ((left = check_subject_count(ctx, subj, res)) < 0)
			goto out;
		if (left == 0)
			break;
		check_sleep_ms(20);
	} while (check_now_ms() < deadline);
	if (left != 0)
		check_fail(res, "%" PRId64 " of %d processed tasks are still "
		    "stored on '%s' %" PRId64 " ms later (want 0; is the "
		    "stream's retention really 'workqueue'?)", left,
		    WORKQ_BATCH, ctx->stream, ctx->wait_ms);
out:
	check_msgs_free(got, WORKQ_BATCH);
}

/* Take the single task of name; 0, or a negative code with res set. */
static int
workq_take(struct check_ctx *ctx, const char *name, int64_t wait_ms,
    struct jsapi_msg **ret, struct check_result *res)
{
	int	n;

	if ((n = check_fetch(ctx, ctx->api, name, 1, wait_ms, ret, res)) < 0)
		return n;
	if (n == 0) {
		check_fail(res, "the task was not delivered within %" PRId64
		    " ms", wait_ms);
		return -ETIMEDOUT;
	}
	return 0;
}

static void
workq_redelivery(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m[2] = { NULL, NULL };
	struct jsapi_meta	 a, b;
	char			 name[128], subj[512];
	int64_t			 t0, took;
	int			 n;

	check_name(ctx, "wq-redlv", name, sizeof(name));
	check_subject(ctx, "wq-redlv", subj, sizeof(subj));
	if (workq_setup(ctx, res, name, subj, 1) != 0 ||
	    workq_take(ctx, name, ctx->wait_ms, &m[0], res) != 0)
		goto out;
	t0 = check_now_ms();
	/* Fault: the worker acknowledges although it did not finish. */
	if (check_fault(ctx, "ack-early") &&
	    workq_ack(ctx->api, m[0], "+ACK", res) != 0)
		goto out;
	if ((n = check_fetch(ctx, ctx->api, name, 1, ctx->ack_wait_ms +
	    ctx->wait_ms, &m[1], res)) < 0)
		goto out;
	took = check_now_ms() - t0;
	if (n == 0) {
		check_fail(res, "an unacknowledged task was not redelivered "
		    "within ack_wait %" PRId64 " ms + %" PRId64 " ms",
		    ctx->ack_wait_ms, ctx->wait_ms);
		goto out;
	}
	if (jsapi_msg_meta(m[0], &a) != 0 || jsapi_msg_meta(m[1], &b) != 0 ||
	    a.stream_seq != b.stream_seq || b.num_delivered < 2) {
		check_fail(res, "the redelivered message is not the same task "
		    "delivered a second time");
		goto out;
	}
	if (took + 50 < ctx->ack_wait_ms)
		check_fail(res, "the task came back after %" PRId64 " ms, "
		    "before ack_wait (%" PRId64 " ms) had passed", took,
		    ctx->ack_wait_ms);
	else
		check_detail(res, "redelivered after %" PRId64 " ms "
		    "(ack_wait %" PRId64 " ms)", took, ctx->ack_wait_ms);
	workq_ack(ctx->api, m[1], "+ACK", res);
out:
	check_msgs_free(m, 2);
}

static void
workq_nak(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m[2] = { NULL, NULL };
	struct jsapi_meta	 b;
	char			 name[128], subj[512];
	int			 n;

	check_name(ctx, "wq-nak", name, sizeof(name));
	check_subject(ctx, "wq-nak", subj, sizeof(subj));
	if (workq_setup(ctx, res, name, subj, 1) != 0 ||
	    workq_take(ctx, name, ctx->wait_ms, &m[0], res) != 0)
		goto out;
	/* Fault: the worker sends +ACK where it meant -NAK. */
	if (workq_ack(ctx->api, m[0], check_fault(ctx, "nak-as-ack") ?
	    "+ACK" : "-NAK", res) != 0)
		goto out;
	/* Sooner than ack_wait: only the NAK can bring it back this fast. */
	if ((n = check_fetch(ctx, ctx->api, name, 1, ctx->ack_wait_ms * 2 / 3,
	    &m[1], res)) < 0)
		goto out;
	if (n == 0) {
		check_fail(res, "a task answered with -NAK was not redelivered "
		    "within %" PRId64 " ms (before ack_wait %" PRId64 " ms)",
		    ctx->ack_wait_ms * 2 / 3, ctx->ack_wait_ms);
		goto out;
	}
	if (jsapi_msg_meta(m[1], &b) != 0 || b.num_delivered < 2)
		check_fail(res, "the message after -NAK is not a redelivery");
	workq_ack(ctx->api, m[1], "+ACK", res);
out:
	check_msgs_free(m, 2);
}

static void
workq_term(struct check_ctx *ctx, struct check_result *res)
{
	struct jsapi_msg	*m[2] = { NULL, NULL };
	struct jsapi_meta	 b = { .num_delivered = 0 };
	char			 name[128], subj[512];
	int			 n;

	check_name(ctx, "wq-term", name, sizeof(name));
	check_subject(ctx, "wq-term", subj, sizeof(subj));
	if (workq_setup(ctx, res, name, subj, 1) != 0 ||
	    workq_take(ctx, name, ctx->wait_ms, &m[0], res) != 0)
		goto out;
	/* Fault: the worker sends -NAK where it meant +TERM. */
	if (workq_ack(ctx->api, m[0], check_fault(ctx, "term-as-nak") ?
	    "-NAK" : "+TERM", res) != 0)
		goto out;
	if ((n = check_fetch(ctx, ctx->api, name, 1, ctx->ack_wait_ms + 150,
	    &m[1], res)) < 0)
		goto out;
	if (n > 0) {
		jsapi_msg_meta(m[1], &b);
		check_fail(res, "a task answered with +TERM was delivered "
		    "again (num_delivered %" PRIu64 ")", b.num_delivered);
		workq_ack(ctx->api, m[1], "+TERM", res);
	}
out:
	check_msgs_free(m, 2);
}

/* Try to add a second consumer; true when the server refused it. */
static int
workq_try_second(struct check_ctx *ctx, struct check_result *res,
    const char *name, const char *filter, const char *what)
{
	struct diag	d = { 0 };
	int		r;

	r = check_pull_consumer(ctx, ctx->api, name, filter, "all", &d);
	if (r == 0) {
		check_fail(res, "the server accepted %s '%s' next to "
		    "the existing work consumer on '%s'", what, name,
		    ctx->stream);
		return -EEXIST;
	}
	if (r != -EPROTO) {
		check_error_diag(res, &d, "creating a second "
		    "consumer");
		return r;
	}
	check_detail(res, "%s refused: %s", what, d.msg);
	return 0;
}

static void
workq_exclusive(struct check_ctx *ctx, struct check_result *res)
{
	struct diag	d = { 0 };
	char		name[128], other[128], subj[512];
	int		r;

	check_name(ctx, "wq-excl", name, sizeof(name));
	check_subject(ctx, "wq-excl", subj, sizeof(subj));
	if ((r = check_pull_consumer(ctx, ctx->api, name, subj, "all",
	    &d)) != 0) {
		check_error_diag(res, &d, "creating the work consumer");
		return;
	}
	/* Fault: the "second" consumer is the first one created again. */
	if (check_fault(ctx, "exclusive-same-name")) {
		if (workq_try_second(ctx, res, name, subj, "a second "
		    "unfiltered consumer") == 0)
			workq_try_second(ctx, res, name, subj, "an "
			    "overlapping consumer");
		return;
	}
	check_name(ctx, "wq-excl2", other, sizeof(other));
	if (workq_try_second(ctx, res, other, NULL, "a second unfiltered "
	    "consumer") != 0)
		return;
	check_name(ctx, "wq-excl3", other, sizeof(other));
	workq_try_second(ctx, res, other, subj, "an overlapping consumer");
}

static void
workq_dedup(struct check_ctx *ctx, struct check_result *res)
{
	cJSON		*hdrs = NULL, *vals, *ack = NULL;
	struct diag	 d = { 0 };
	char		 subj[512], id[128], win[64];
	double		 seq[2] = { 0, 0 }, window;
	int64_t		 stored;
	int		 i, r;
	bool		 dup = false;

	check_subject(ctx, "wq-dedup", subj, sizeof(subj));
	window = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    ctx->config, "duplicate_window"));
	snprintf(win, sizeof(win), "%.0f ms", window / 1e6);
	for (i = 0; i < 2; i++) {
		/* Fault: the retry gets a fresh message id. */
		snprintf(id, sizeof(id), "%s-dedup-%d", ctx->run_id,
		    check_fault(ctx, "fresh-msg-id") ? i : 0);
		cJSON_Delete(hdrs);
		if ((hdrs = cJSON_CreateObject()) == NULL ||
		    (vals = cJSON_AddArrayToObject(hdrs, "Nats-Msg-Id")) ==
		    NULL) {
			check_error(res, "out of memory");
			goto out;
		}
		cJSON_AddItemToArray(vals, cJSON_CreateString(id));
		if (i == 1)
			check_sleep_ms(WORKQ_RETRY_MS);
		cJSON_Delete(ack);
		ack = NULL;
		if ((r = jsapi_js_publish(ctx->api, subj, hdrs, "task", 4, &d,
		    &ack)) != 0) {
			check_error_diag(res, &d, "publishing the task");
			goto out;
		}
		seq[i] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    ack, "seq"));
		dup = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ack,
		    "duplicate"));
	}
	if ((stored = check_subject_count(ctx, subj, res)) < 0)
		goto out;
	if (!dup || stored != 1)
		check_fail(res, "a task republished %d ms later with the same "
		    "Nats-Msg-Id was stored again (sequences %.0f and %.0f, "
		    "%" PRId64 " stored; duplicate_window is %s)",
		    WORKQ_RETRY_MS, seq[0], seq[1], stored, win);
	else
		check_detail(res, "the republish was acknowledged as a "
		    "duplicate of sequence %.0f (duplicate_window %s)",
		    seq[1], win);
out:
	cJSON_Delete(ack);
	cJSON_Delete(hdrs);
}

static const struct check workq_checks[] = {
	{ "workqueue.exactly-once", "N tasks to W workers on one pull "
	    "consumer: each processed once, none missing, no duplicates "
	    "except redeliveries", CHECK_NEEDS_CONSUME, workq_exactly_once },
	{ "workqueue.load-balanced", "every worker pulling from the shared "
	    "consumer gets work", CHECK_NEEDS_CONSUME, workq_load_balanced },
	{ "workqueue.removed-after-ack", "acknowledged tasks leave the "
	    "stream: the count reaches 0", CHECK_NEEDS_CONSUME,
	    workq_removed_after_ack },
	{ "workqueue.redelivery", "an unacknowledged task is redelivered "
	    "after ack_wait", CHECK_NEEDS_CONSUME, workq_redelivery },
	{ "workqueue.nak", "-NAK redelivers a task at once",
	    CHECK_NEEDS_CONSUME, workq_nak },
	{ "workqueue.term", "+TERM stops redelivery of a task",
	    CHECK_NEEDS_CONSUME, workq_term },
	{ "workqueue.exclusive", "the server refuses a second unfiltered or "
	    "an overlapping consumer", CHECK_NEEDS_CONSUME, workq_exclusive },
	{ "workqueue.dedup", "a task republished with the same Nats-Msg-Id "
	    "inside the duplicate window is stored once",
	    CHECK_NEEDS_CONSUME, workq_dedup },
};

const struct check_group check_workqueue_group = {
	"workqueue",
	"a work queue shared by workers: exactly once, acks, exclusivity",
	workq_checks,
	sizeof(workq_checks) / sizeof(workq_checks[0]),
};
