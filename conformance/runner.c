/* SPDX-License-Identifier: MIT */
/*
 * runner: prepares the targets, runs the selected checks in catalog order,
 * records them, and removes everything the run created (see runner.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "runner.h"
#include "validate.h"

#define RUNNER_NAME_MAX	255	/* longest stream name the runner makes */
#define RUNNER_DELETE_TRIES 4	/* a cleanup delete on a cluster */
#define RUNNER_JOBS	32	/* streams worked on at once, each on a
				   connection of its own: the checks mostly
				   wait, so more streams cost little time */

volatile sig_atomic_t runner_signal;

/* The target of one declared stream for one repetition. */
struct runner_target {
	const struct spec_stream	*spec;
	char				 stream[RUNNER_NAME_MAX + 1];
	cJSON				*config;	/* live StreamConfig of
							   the target */
	cJSON				*live;		/* of the declared
							   stream */
	cJSON				*consumers;	/* its live
							   ConsumerInfos */
	const cJSON			*template;	/* in consumers */
	char				 broken[1024];	/* why it cannot run */
	bool				 missing;	/* the declared stream
							   is not on the server */
	struct report			*rep;		/* its cases, merged
							   in catalog order */
};

/*
 * What any connection of the run learnt: the server stopped answering.
 * Shared by the workers, so that one stall ends every remaining check.
 */
struct runner_stall {
	pthread_mutex_t	mu;
	char		why[512];	/* "" until a connection stalls */
};

struct runner {
	const struct runner_opts	*o;
	struct runner_stall		*stall;
	struct jsapi			*api;
	struct jsapi			*owned;		/* after a restart */
	const struct spec_set		*specs;
	struct report			*rep;
	char				 run_id[16];
	struct check_tracker		 tracked;	/* newest last */
	struct check_conns		 conns;		/* the checks keep */
	struct diag			*cleanup_d;
	char				 env_broken[512];
	int				 rep_index;
};

bool
runner_selected(const struct runner_opts *o, const char *id)
{
	size_t	i;

	if (o->nfilters == 0)
		return true;
	for (i = 0; i < o->nfilters; i++)
		if (fnmatch(o->filters[i], id, 0) == 0)
			return true;
	return false;
}

/*
 * True when the server stopped answering, on rn's connection or on any
 * other of the run; the reason into buf.
 */
static bool
runner_stalled(struct runner *rn, char *buf, size_t len)
{
	bool	stalled;

	pthread_mutex_lock(&rn->stall->mu);
	if (rn->stall->why[0] == '\0' && jsapi_stalled(rn->api))
		snprintf(rn->stall->why, sizeof(rn->stall->why), "%s",
		    jsapi_stall_reason(rn->api));
	snprintf(buf, len, "%s", rn->stall->why);
	stalled = rn->stall->why[0] != '\0';
	pthread_mutex_unlock(&rn->stall->mu);
	return stalled;
}

/* Add "stream 'x'" or "consumer 'x.y'" to the list in buf. */
static void
runner_list_obj(char *buf, size_t len, const struct check_obj *ob)
{
	size_t	o = strlen(buf);

	if (o + 1 >= len)
		return;
	snprintf(buf + o, len - o, "%s%s '%s%s%s'", o > 0 ? ", " : "",
	    ob->consumer ? "consumer" : "stream", ob->stream,
	    ob->consumer ? "." : "", ob->consumer ? ob->consumer : "");
}

static void runner_reconnect(struct runner *rn);

/*
 * Delete one object.  On a cluster a delete that timed out (its node
 * died, or the leader moved) is sent again, and a connection that was
 * lost is opened again through the other nodes: deleting twice is
 * harmless (the second says not found).
 */
static int
runner_delete(struct runner *rn, const struct check_obj *ob,
    struct diag *d)
{
	int	r, tries;
	bool	cluster = jsapi_server(rn->api)->cluster[0] != '\0';

	for (tries = 1; ; tries++) {
		if (ob->consumer != NULL)
			r = jsapi_consumer_delete(rn->api, ob->stream,
			    ob->consumer, d);
		else
			r = jsapi_stream_delete(rn->api, ob->stream, d);
		if (r == 0 || r == -ENOENT || !cluster ||
		    tries >= RUNNER_DELETE_TRIES ||
		    (r != -ETIMEDOUT && r != -ECONNREFUSED))
			return r;
		if (r == -ECONNREFUSED || jsapi_stalled(rn->api))
			runner_reconnect(rn);
	}
}

/*
 * Remove objects tracked from index from on, newest first.  After the
 * server stopped answering, the checks' own cleanups leave their objects
 * to the final one (from 0), which makes one bounded attempt and reports
 * every object it could not remove.
 */
static void
runner_cleanup(struct runner *rn, size_t from)
{
	struct check_obj	*ob;
	struct diag		 d = { 0 }, why = { 0 };
	char			 left[DIAG_MSG_MAX / 2] = "", stall[512];
	size_t			 nleft = 0;
	int			 r;

	/* One PING decides: answered, the deletes go ahead. */
	if (rn->tracked.nobjs > from && runner_stalled(rn, stall, sizeof(stall))) {
		if (from > 0)
			return;
		if (jsapi_stalled(rn->api))
			jsapi_revive(rn->api, &why);
		else if (jsapi_flush(rn->api, &why) == 0)
			diag_clear(&why);
	}
	while (rn->tracked.nobjs > from) {
		ob = &rn->tracked.objs[--rn->tracked.nobjs];
		r = runner_delete(rn, ob, &d);
		if (r != 0 && r != -ENOENT) {
			if (nleft++ == 0 && why.code == 0)
				why = d;
			runner_list_obj(left, sizeof(left), ob);
		}
		free(ob->stream);
		free(ob->consumer);
	}
	if (nleft > 0 && rn->cleanup_d->code == 0)
		diag_set(rn->cleanup_d, why.code, "could not remove %zu "
		    "object%s (%s): %s", nleft, nleft == 1 ? "" : "s", left,
		    why.msg);
}

static void
runner_new_id(char *buf, size_t len)
{
	struct timespec	ts;
	uint32_t	x = 0;
	int		fd;

	if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
		if (read(fd, &x, sizeof(x)) != (ssize_t)sizeof(x))
			x = 0;
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	x ^= (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16);
	snprintf(buf, len, "r%08" PRIx32, x);
}

/* The server's own metadata ("_nats.*") is not the copy's to set. */
static void
runner_strip_metadata(cJSON *c)
{
	cJSON	*md, *it, *next;

	md = cJSON_GetObjectItemCaseSensitive(c, "metadata");
	for (it = md != NULL ? md->child : NULL; it != NULL; it = next) {
		next = it->next;
		if (it->string != NULL && strncmp(it->string, "_nats", 5) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(md, it));
	}
	if (md != NULL && md->child == NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(c, "metadata");
}

int
runner_shadow_config(const cJSON *declared, const char *run_id,
    struct diag *d, cJSON **ret)
{
	cJSON		*c = NULL, *subs = NULL, *it, *s;
	const char	*name;
	char		 buf[1024];
	int		 r = -ENOMEM;

	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(declared,
	    "name"));
	if (name == NULL)
		return diag_set(d, -EINVAL, "declared stream has no name");
	if (strlen(run_id) + 1 + strlen(name) > RUNNER_NAME_MAX)
		return diag_set(d, -EINVAL, "shadow name '%s-%s' would be "
		    "longer than %d characters", run_id, name,
		    RUNNER_NAME_MAX);
	snprintf(buf, sizeof(buf), "%s-%s", run_id, name);
	if (!validate_name(buf))
		return diag_set(d, -EINVAL, "shadow name '%s' is not a valid "
		    "stream name", buf);
	if ((c = cJSON_Duplicate(declared, true)) == NULL ||
	    (subs = cJSON_CreateArray()) == NULL)
		goto out;
	/* A copy must never pull in or push out real traffic. */
	cJSON_DeleteItemFromObjectCaseSensitive(c, "mirror");
	cJSON_DeleteItemFromObjectCaseSensitive(c, "sources");
	cJSON_DeleteItemFromObjectCaseSensitive(c, "republish");
	cJSON_DeleteItemFromObjectCaseSensitive(c, "sealed");
	runner_strip_metadata(c);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(declared,
	    "subjects")) {
		if (!cJSON_IsString(it))
			continue;
		snprintf(buf, sizeof(buf), "%s.%s", run_id, it->valuestring);
		if ((s = cJSON_CreateString(buf)) == NULL)
			goto out;
		cJSON_AddItemToArray(subs, s);
	}
	if (cJSON_GetArraySize(subs) == 0) {
		snprintf(buf, sizeof(buf), "%s.%s.*", run_id, name);
		if ((s = cJSON_CreateString(buf)) == NULL)
			goto out;
		cJSON_AddItemToArray(subs, s);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(c, "subjects");
	cJSON_AddItemToObject(c, "subjects", subs);
	subs = NULL;
	snprintf(buf, sizeof(buf), "%s-%s", run_id, name);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "name");
	/* large integers stay exact: jsapi prints them as digits (jint.h) */
	if (cJSON_AddStringToObject(c, "name", buf) == NULL)
		goto out;
	*ret = c;
	c = NULL;
	r = 0;
out:
	if (r == -ENOMEM)
		diag_set(d, r, "out of memory");
	cJSON_Delete(subs);
	cJSON_Delete(c);
	return r;
}

/* The live ConsumerConfig of the declared consumer name, or NULL. */
static const cJSON *
runner_live_consumer(const struct runner_target *t, const char *name)
{
	const cJSON	*it, *cfg;
	const char	*n;

	cJSON_ArrayForEach(it, t->consumers) {
		cfg = cJSON_GetObjectItemCaseSensitive(it, "config");
		n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cfg,
		    "durable_name"));
		if (n == NULL)
			n = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(it, "name"));
		if (n != NULL && strcmp(n, name) == 0)
			return cfg;
	}
	return NULL;
}

/*
 * The consumer the checks copy: the first declared consumer that exists
 * on the server, a pull consumer before a push one (the checks pull).
 */
static const cJSON *
runner_template(const struct runner_target *t)
{
	const cJSON	*cfg, *push = NULL;
	size_t		 i;

	for (i = 0; i < t->spec->nconsumers; i++) {
		if (t->spec->consumers[i].name == NULL ||
		    (cfg = runner_live_consumer(t,
		    t->spec->consumers[i].name)) == NULL)
			continue;
		if (cJSON_GetObjectItemCaseSensitive(cfg, "deliver_subject") ==
		    NULL)
			return cfg;
		if (push == NULL)
			push = cfg;
	}
	return push;
}

/*
 * Read the live declared stream and its consumers (the checks judge and
 * copy those, never the spec), then make the stream the checks of t will
 * exercise: the live one, or a shadow copy of its live config.
 */
static int
runner_prepare(struct runner *rn, struct runner_target *t)
{
	cJSON		*cfg = NULL, *info = NULL;
	struct diag	 d = { 0 };
	int		 r;

	r = jsapi_stream_info(rn->api, t->spec->name, &d, &info);
	if (r == -ENOENT) {
		snprintf(t->broken, sizeof(t->broken), "declared stream '%s' "
		    "does not exist on the server (run 'nats-provision apply' "
		    "first)", t->spec->name);
		t->missing = true;
		goto out;
	}
	if (r != 0) {
		snprintf(t->broken, sizeof(t->broken), "reading stream '%s': "
		    "%s", t->spec->name, d.msg);
		goto out;
	}
	if ((t->live = cJSON_DetachItemFromObjectCaseSensitive(info,
	    "config")) == NULL || !cJSON_IsObject(t->live)) {
		snprintf(t->broken, sizeof(t->broken), "stream '%s': the "
		    "server's StreamInfo has no config", t->spec->name);
		goto out;
	}
	cJSON_Delete(info);
	info = NULL;
	if ((r = jsapi_consumer_list(rn->api, t->spec->name, &d,
	    &t->consumers)) != 0) {
		snprintf(t->broken, sizeof(t->broken), "listing the consumers "
		    "of '%s': %s", t->spec->name, d.msg);
		goto out;
	}
	t->template = runner_template(t);
	if (rn->o->target == CHECK_TARGET_LIVE) {
		snprintf(t->stream, sizeof(t->stream), "%s", t->spec->name);
		if ((t->config = cJSON_Duplicate(t->live, true)) == NULL)
			r = -ENOMEM;
		goto out;
	}
	if ((r = runner_shadow_config(t->live, rn->run_id, &d, &cfg)) != 0) {
		snprintf(t->broken, sizeof(t->broken), "stream '%s': %s",
		    t->spec->name, d.msg);
		goto out;
	}
	snprintf(t->stream, sizeof(t->stream), "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cfg,
	    "name")));
	if ((r = check_tracker_add(&rn->tracked, t->stream, NULL)) != 0)
		goto out;
	if ((r = jsapi_stream_create(rn->api, cfg, &d, &info)) != 0) {
		snprintf(t->broken, sizeof(t->broken), "creating the shadow "
		    "copy '%s' of stream '%s': %s", t->stream, t->spec->name,
		    d.msg);
		goto out;
	}
	if ((t->config = cJSON_DetachItemFromObjectCaseSensitive(info,
	    "config")) == NULL)
		snprintf(t->broken, sizeof(t->broken), "stream '%s': the "
		    "server's StreamInfo has no config", t->stream);
out:
	r = r == -ENOMEM ? r : 0;
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

/*
 * The live consumer of t that would receive a message on subject, into
 * buf, or NULL: test messages must never reach the agents.
 */
static const char *
runner_receiver(const struct runner_target *t, const char *subject,
    char *buf, size_t len)
{
	const cJSON	*it, *cfg, *f;
	const char	*name, *filter;
	bool		 any;

	cJSON_ArrayForEach(it, t->consumers) {
		cfg = cJSON_GetObjectItemCaseSensitive(it, "config");
		name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it,
		    "name"));
		filter = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    cfg, "filter_subject"));
		any = filter != NULL && filter[0] != '\0' &&
		    validate_subjects_overlap(filter, subject);
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cfg,
		    "filter_subjects"))
			if (cJSON_IsString(f) &&
			    validate_subjects_overlap(f->valuestring, subject))
				any = true;
		if ((filter == NULL || filter[0] == '\0') &&
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cfg,
		    "filter_subjects")) == 0) {
			snprintf(buf, len, "'%s' (no filter)", name != NULL ?
			    name : "?");
			return buf;
		}
		if (any) {
			snprintf(buf, len, "'%s' (filter '%s')", name != NULL ?
			    name : "?", filter != NULL ? filter : "...");
			return buf;
		}
	}
	return NULL;
}

static const char *
runner_signame(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" :
	    "a signal";
}

/*
 * A server restart closes the runner's connection for good (no
 * reconnects, by design), so open a new one before cleaning up and before
 * the next check.
 */
static void
runner_reconnect(struct runner *rn)
{
	struct jsapi	*api = NULL;
	struct diag	 d;

	diag_clear(&d);
	if (jsapi_connect(rn->o->conn, &d, &api) != 0) {
		snprintf(rn->env_broken, sizeof(rn->env_broken), "cannot "
		    "reconnect after the server restart: %s", d.msg);
		return;
	}
	jsapi_free(rn->owned);
	rn->owned = api;
	rn->api = api;
}

/* Run (or skip) one check and record it. */
static int
runner_one(struct runner *rn, const struct check_group *g,
    const struct check *c, const struct runner_target *t)
{
	struct check_ctx	 ctx = { 0 };
	struct check_result	 res = { 0 };
	struct report_suite	*suite;
	char			 classname[512], name[512], subject[1024];
	char			 basis[512], who[600], stall[512];
	const char		*note = NULL;
	size_t			 mark = rn->tracked.nobjs;
	int64_t			 t0, t1;
	int			 r;

	res.status = REPORT_PASS;
	t0 = check_now_ms();
	subject[0] = '\0';
	if (t != NULL && t->config != NULL) {
		ctx.config = t->config;
		ctx.run_id = rn->run_id;
		check_subject(&ctx, "t", subject, sizeof(subject));
	}
	if (runner_signal != 0)
		check_skip(&res, "not run: interrupted by %s",
		    runner_signame(runner_signal));
	else if (runner_stalled(rn, stall, sizeof(stall)))
		check_error(&res, "not run: %s", stall);
	else if (rn->env_broken[0] != '\0')
		check_error(&res, "%s", rn->env_broken);
	else if (t != NULL && t->missing && strcmp(g->name, "config") != 0)
		check_fail(&res, "%s", t->broken);	/* the deployment's */
	else if (t != NULL && t->broken[0] != '\0' && !t->missing)
		check_error(&res, "%s", t->broken);
	else if ((c->needs & CHECK_NEEDS_CONSUME) &&
	    rn->o->target == CHECK_TARGET_LIVE)
		check_skip(&res, "would consume real messages on the live "
		    "target");
	else if ((c->needs & CHECK_NEEDS_PUBLISH) &&
	    rn->o->target == CHECK_TARGET_LIVE && t != NULL &&
	    runner_receiver(t, subject, who, sizeof(who)) != NULL)
		check_skip(&res, "would hand test messages on '%s' to the "
		    "live consumer %s of '%s' on the live target: its agent "
		    "would receive them (run on the shadow target)", subject,
		    who, t->stream);
	else if ((c->needs & CHECK_NEEDS_MONITOR) &&
	    rn->o->monitor_url == NULL)
		check_skip(&res, "needs the monitoring URL (--monitor URL or "
		    "NATS_MONITOR_URL)");
	else if ((c->needs & CHECK_NEEDS_RESTART) &&
	    rn->o->restart_cmd == NULL)
		check_skip(&res, "needs --restart-cmd CMD to restart the "
		    "server");
	else {
		ctx.api = rn->api;
		ctx.conn = rn->o->conn;
		ctx.target = rn->o->target;
		ctx.run_id = rn->run_id;
		ctx.specs = rn->specs;
		ctx.spec = t != NULL ? t->spec : NULL;
		ctx.stream = t == NULL ? NULL : t->missing ? t->spec->name :
		    t->stream;
		ctx.config = t != NULL ? t->config : NULL;
		ctx.live_config = t != NULL ? t->live : NULL;
		ctx.live_consumers = t != NULL ? t->consumers : NULL;
		ctx.consumer_template = t != NULL ? t->template : NULL;
		ctx.result = &res;
		ctx.server_version = jsapi_server(rn->api)->version_num;
		ctx.wait_ms = rn->o->wait_ms;
		ctx.ack_wait_ms = rn->o->ack_wait_ms;
		ctx.monitor_url = rn->o->monitor_url;
		ctx.restart_cmd = rn->o->restart_cmd;
		ctx.fault = rn->o->fault;
		ctx.tracker = &rn->tracked;
		ctx.conns = &rn->conns;
		if (t != NULL)
			ctx.subject = subject;
		c->run(&ctx, &res);
		/* A kept connection after a restart or a fault is suspect. */
		if ((c->needs & CHECK_NEEDS_RESTART) ||
		    res.status != REPORT_PASS)
			check_conns_free(&rn->conns);
		if (c->needs & CHECK_NEEDS_RESTART)
			runner_reconnect(rn);
		runner_cleanup(rn, mark);
	}
	t1 = check_now_ms();
	if (t != NULL && (note = catalog_basis(t->spec, basis,
	    sizeof(basis))) != NULL)
		check_detail(&res, "%s", note);
	snprintf(classname, sizeof(classname), "conformance.%s.%s", g->name,
	    t != NULL ? t->spec->name : "server");
	if (rn->o->repeat > 1)
		snprintf(name, sizeof(name), "%s [%d/%d]", c->id,
		    rn->rep_index + 1, rn->o->repeat);
	else
		snprintf(name, sizeof(name), "%s", c->id);
	if ((r = report_suite(rn->rep, g->name, &suite)) != 0 ||
	    (r = report_add_case(suite, name, classname, res.status,
	    (double)(t1 - t0) / 1000.0,
	    res.status != REPORT_PASS ? res.message : note != NULL ? note :
	    ctx.copy_note[0] != '\0' ? ctx.copy_note : NULL,
	    res.detail[0] != '\0' ? res.detail : NULL)) != 0)
		r = -ENOMEM;
	cJSON_Delete(res.properties);
	return r;
}

/* Run the selected checks of a server-wide group, on the main connection. */
static int
runner_group(struct runner *rn, const struct check_group *g)
{
	size_t	j;
	int	r;

	for (j = 0; j < g->nchecks; j++)
		if (runner_selected(rn->o, g->checks[j].id) &&
		    (r = runner_one(rn, g, &g->checks[j], NULL)) != 0)
			return r;
	return 0;
}

/* True when any selected check of any applicable group runs on st. */
static bool
runner_stream_used(const struct runner *rn, const struct spec_stream *st)
{
	const struct check_group	*g;
	size_t				 i, j;

	for (i = 0; i < catalog_ngroups; i++) {
		g = catalog_groups[i];
		if (!catalog_applies(st, g->name))
			continue;
		for (j = 0; j < g->nchecks; j++)
			if (runner_selected(rn->o, g->checks[j].id))
				return true;
	}
	return false;
}

/* The streams of a repetition, handed out to the pool's workers. */
struct runner_pool {
	struct runner		*rn;
	struct runner_target	*targets;
	size_t			 n;
	size_t			 next;
	pthread_mutex_t		 mu;
	int			 r;		/* -ENOMEM from any stream */
};

/*
 * One stream's work, on sub's own connection: prepare its target, run the
 * selected checks of its groups in catalog order into t->rep, remove what
 * the checks created.  The shadow copy (the first *ret_keep objects) stays
 * until the server-wide checks are done, as the server's health check
 * may still count a stream deleted a moment ago (2.10: "could not be
 * recovered").
 */
static int
runner_stream(struct runner *sub, struct runner_target *t, size_t *ret_keep)
{
	const struct check_group	*g;
	char				 stall[512];
	size_t				 i, j;
	int				 r = 0;

	sub->rep = t->rep;
	if (sub->env_broken[0] == '\0' && runner_signal == 0 &&
	    !runner_stalled(sub, stall, sizeof(stall)) &&
	    (r = runner_prepare(sub, t)) != 0)
		goto out;
	*ret_keep = sub->tracked.nobjs;
	for (i = 0; i < catalog_ngroups; i++) {
		g = catalog_groups[i];
		if (catalog_server_group(g->name) ||
		    !catalog_applies(t->spec, g->name))
			continue;
		for (j = 0; j < g->nchecks; j++)
			if (runner_selected(sub->o, g->checks[j].id) &&
			    (r = runner_one(sub, g, &g->checks[j], t)) != 0)
				goto out;
	}
out:
	/* After a stall this connection's one bounded attempt does it all. */
	runner_cleanup(sub, runner_stalled(sub, stall, sizeof(stall)) ? 0 :
	    *ret_keep);
	return r;
}

/* A worker of the pool: a runner of its own, streams until none is left. */
static void *
runner_worker(void *arg)
{
	struct runner_pool	*p = arg;
	struct runner		 sub;
	struct diag		 d = { 0 }, cd = { 0 };
	char			 stall[512];
	size_t			 i, k, keep;
	int			 r;

	sub = *p->rn;
	memset(&sub.tracked, 0, sizeof(sub.tracked));
	memset(&sub.conns, 0, sizeof(sub.conns));
	sub.owned = NULL;
	sub.cleanup_d = &cd;
	if (sub.env_broken[0] == '\0' && runner_signal == 0 &&
	    !runner_stalled(&sub, stall, sizeof(stall))) {
		if (jsapi_connect(sub.o->conn, &d, &sub.owned) == 0)
			sub.api = sub.owned;
		else
			snprintf(sub.env_broken, sizeof(sub.env_broken),
			    "opening a connection for the stream checks: %s",
			    d.msg);
	}
	for (;;) {
		pthread_mutex_lock(&p->mu);
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		keep = 0;
		r = runner_stream(&sub, &p->targets[i], &keep);
		/* The main runner removes the shadow copy at the end. */
		pthread_mutex_lock(&p->mu);
		for (k = 0; k < sub.tracked.nobjs; k++) {
			if (r == 0)
				r = check_tracker_add(&p->rn->tracked,
				    sub.tracked.objs[k].stream,
				    sub.tracked.objs[k].consumer);
			free(sub.tracked.objs[k].stream);
			free(sub.tracked.objs[k].consumer);
		}
		sub.tracked.nobjs = 0;
		if (r != 0)
			p->r = r;
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	if (cd.code != 0 && p->rn->cleanup_d->code == 0)
		*p->rn->cleanup_d = cd;
	pthread_mutex_unlock(&p->mu);
	check_tracker_free(&sub.tracked);
	check_conns_free(&sub.conns);
	jsapi_free(sub.owned);
	return NULL;
}

/* Run the streams' work on at most RUNNER_JOBS threads. */
static int
runner_pool_run(struct runner *rn, struct runner_target *targets, size_t n)
{
	struct runner_pool	 p = { .rn = rn, .targets = targets, .n = n };
	pthread_t		 tid[RUNNER_JOBS];
	size_t			 i, started = 0;

	if (n == 0)
		return 0;
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		return -ENOMEM;
	for (i = 0; i < n && i < RUNNER_JOBS; i++) {
		if (pthread_create(&tid[i], NULL, runner_worker, &p) != 0)
			break;
		started++;
	}
	/* Without any thread the work still gets done, here. */
	if (started == 0)
		runner_worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.mu);
	return p.r;
}

/* Move the streams' cases into the report: groups in catalog order. */
static int
runner_merge(struct runner *rn, struct runner_target *targets, size_t n)
{
	const struct report_case	*c;
	struct report_suite		*src, *dst;
	size_t				 g, i, k, j;

	for (g = 0; g < catalog_ngroups; g++) {
		for (i = 0; i < n; i++) {
			src = NULL;
			for (k = 0; k < targets[i].rep->nsuites; k++)
				if (strcmp(targets[i].rep->suites[k].name,
				    catalog_groups[g]->name) == 0)
					src = &targets[i].rep->suites[k];
			if (src == NULL)
				continue;
			if (report_suite(rn->rep, src->name, &dst) != 0)
				return -ENOMEM;
			if (src->timestamp < dst->timestamp)
				dst->timestamp = src->timestamp;
			for (j = 0; j < src->ncases; j++) {
				c = &src->cases[j];
				if (report_add_case(dst, c->name, c->classname,
				    c->status, c->seconds, c->message,
				    c->detail) != 0)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

static int
runner_once(struct runner *rn)
{
	struct runner_target	*targets = NULL;
	size_t			 i, n = 0;
	int			 r = 0;

	runner_new_id(rn->run_id, sizeof(rn->run_id));
	targets = calloc(rn->specs->nstreams + 1, sizeof(*targets));
	if (targets == NULL)
		return -ENOMEM;
	for (i = 0; i < rn->specs->nstreams; i++) {
		if (!runner_stream_used(rn, &rn->specs->streams[i]))
			continue;
		targets[n].spec = &rn->specs->streams[i];
		if (report_new("stream", &targets[n++].rep) != 0) {
			r = -ENOMEM;
			goto out;
		}
	}
	if ((r = runner_pool_run(rn, targets, n)) != 0 ||
	    (r = runner_merge(rn, targets, n)) != 0)
		goto out;
	for (i = 0; i < catalog_ngroups; i++)
		if (catalog_server_group(catalog_groups[i]->name) &&
		    (r = runner_group(rn, catalog_groups[i])) != 0)
			goto out;
out:
	runner_cleanup(rn, 0);
	for (i = 0; i < n; i++) {
		cJSON_Delete(targets[i].config);
		cJSON_Delete(targets[i].live);
		cJSON_Delete(targets[i].consumers);
		report_free(targets[i].rep);
	}
	free(targets);
	return r;
}

int
runner_run(const struct runner_opts *o, struct jsapi *api,
    const struct spec_set *specs, struct report *rep, struct diag *d,
    struct diag *cleanup_d)
{
	struct runner		rn = { 0 };
	struct runner_stall	stall = { .mu = PTHREAD_MUTEX_INITIALIZER };
	int64_t			t0 = check_now_ms();
	bool			interrupted;
	int			r = 0;

	diag_clear(cleanup_d);
	if ((r = catalog_check_specs(specs, d)) != 0)
		return r;
	rn.o = o;
	rn.stall = &stall;
	rn.api = api;
	rn.specs = specs;
	rn.rep = rep;
	rn.cleanup_d = cleanup_d;
	if (!jsapi_server(api)->jetstream)
		snprintf(rn.env_broken, sizeof(rn.env_broken), "JetStream is "
		    "not enabled on the server (or not for this account)");
	/*
	 * A signal between two repetitions skips nothing in the one that
	 * ended: the next one then records its checks as skipped, so the
	 * report says the run was cut short, and the run stops there.
	 */
	for (rn.rep_index = 0; rn.rep_index < o->repeat; rn.rep_index++) {
		interrupted = runner_signal != 0;
		if ((r = runner_once(&rn)) != 0 || interrupted)
			break;
	}
	check_tracker_free(&rn.tracked);
	check_conns_free(&rn.conns);
	jsapi_free(rn.owned);
	/* The summary's time: the checks ran side by side. */
	t0 = check_now_ms() - t0;
	rep->wall_ms = t0 > 0 ? (uint64_t)t0 : 1;
	if (r == 0 && runner_signal != 0)
		return diag_set(d, -EINTR, "interrupted by %s",
		    runner_signame(runner_signal));
	if (r != 0)
		return diag_set(d, r, "out of memory");
	return 0;
}
