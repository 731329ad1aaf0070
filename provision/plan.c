/* SPDX-License-Identifier: MIT */
/*
 * plan: compare the declared specs with a snapshot of the server and list
 * the changes, with a reason for every change the server cannot make in
 * place.
 *
 * Both sides are brought to one normal form before they are compared.  The
 * desired config is the schema's defaults plus what is declared, passed
 * through the rules nats-server itself applies to a new config
 * (checkStreamCfg, setConsumerConfigDefaults); the live config goes through
 * the same rules.  The comparison then treats an absent key like its zero
 * value, because the server leaves zero values out of its answers while a
 * spec may spell them, and compares subject lists as sets.
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jint.h"
#include "plan.h"
#include "plan-int.h"
#include "reply.h"
#include "schema.h"
#include "units.h"

void
plan_action_clear(struct plan_action *a)
{
	free(a->stream);
	free(a->consumer);
	cJSON_Delete(a->config);
	plan_fields_free(a->fields, a->nfields);
	free(a->blocked);
	memset(a, 0, sizeof(*a));
}

/* Append a (taking its contents, also on failure). */
int
plan_push(struct plan *p, struct plan_action *a)
{
	struct plan_action	*n;
	size_t			 cap;

	/* The capacity is the next power of two: grow when n is one. */
	if (p->n == 0 || (p->n & (p->n - 1)) == 0) {
		cap = p->n == 0 ? 1 : p->n * 2;
		if ((n = realloc(p->actions, cap * sizeof(*n))) == NULL) {
			plan_action_clear(a);
			return -ENOMEM;
		}
		p->actions = n;
	}
	p->actions[p->n++] = *a;
	memset(a, 0, sizeof(*a));
	return 0;
}

static int
plan_names(struct plan_action *a, const char *stream, const char *consumer)
{
	if ((a->stream = strdup(stream)) == NULL)
		return -ENOMEM;
	if (consumer != NULL && (a->consumer = strdup(consumer)) == NULL)
		return -ENOMEM;
	return 0;
}

/* A copy of config that holds key (the object's name) for sure. */
static int
plan_named(const cJSON *config, const char *key, const char *name,
    cJSON **ret)
{
	cJSON	*c;

	c = config != NULL ? cJSON_Duplicate(config, true) :
	    cJSON_CreateObject();
	if (c == NULL)
		return -ENOMEM;
	if (!cJSON_IsObject(c)) {
		cJSON_Delete(c);
		return -EINVAL;
	}
	if (reply_str(c, key, "")[0] == '\0' &&
	    plan_put(c, key, cJSON_CreateString(name)) < 0) {
		cJSON_Delete(c);
		return -ENOMEM;
	}
	*ret = c;
	return 0;
}

/*
 * Fill a's kind, fields and config from the live config (NULL: the object
 * does not exist) and the desired one (taken).
 */
static int
plan_compare(struct plan_action *a, const cJSON *live_config, cJSON *want,
    int version)
{
	const struct schema_field	*t;
	struct plan_diff		 df = { 0 };
	cJSON				*lcfg = NULL;
	size_t				 n;
	int				 r;

	if (live_config == NULL) {
		a->kind = PLAN_CREATE;
		a->config = want;
		return 0;
	}
	lcfg = cJSON_IsObject(live_config) ?
	    cJSON_Duplicate(live_config, true) : cJSON_CreateObject();
	if (lcfg == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (a->object == PLAN_STREAM) {
		t = schema_stream_fields(&n);
		r = plan_normalize_stream(lcfg, version);
	} else {
		t = schema_consumer_fields(&n);
		r = plan_normalize_consumer(lcfg, version);
	}
	if (r < 0)
		goto out;
	if ((r = plan_diff_walk(&df, a->object, t, n, NULL, NULL, lcfg, want,
	    lcfg, want, version)) < 0)
		goto out;
	a->fields = df.f;
	a->nfields = df.n;
	df.f = NULL;
	df.n = 0;
	if (a->nfields == 0)
		a->kind = PLAN_NOOP;
	else if (df.blocked)
		a->kind = PLAN_BLOCKED;
	else {
		a->kind = PLAN_UPDATE;
		a->config = want;
		want = NULL;
	}
	r = 0;
out:
	plan_fields_free(df.f, df.n);
	cJSON_Delete(lcfg);
	cJSON_Delete(want);
	return r;
}

/* Merge one cause of loss into l: the largest count wins. */
static void
plan_loss_add(struct plan_loss *l, const char *cause, double msgs,
    bool msgs_estimated, double bytes, bool bytes_estimated)
{
	size_t	n = strlen(l->causes);

	if (msgs <= 0 && bytes <= 0)
		return;
	if (msgs > l->msgs) {
		l->msgs = msgs;
		l->msgs_estimated = msgs_estimated;
	}
	if (bytes > l->bytes) {
		l->bytes = bytes;
		l->bytes_estimated = bytes_estimated;
	}
	snprintf(l->causes + n, sizeof(l->causes) - n, "%s%s",
	    n > 0 ? ", " : "", cause);
}

/* A declared limit: the wanted value, or -1 when unlimited or unchanged. */
static double
plan_lowered(const struct plan_action *a, const char *key)
{
	size_t	i;

	for (i = 0; i < a->nfields; i++) {
		if (strcmp(a->fields[i].key, key) != 0)
			continue;
		if (!cJSON_IsNumber(a->fields[i].want))
			return -1;
		return a->fields[i].want->valuedouble;
	}
	return -1;
}

static int64_t
plan_now_ns(const struct plan_opts *opts)
{
	struct timespec	ts;

	if (opts != NULL && opts->now_ns != 0)
		return opts->now_ns;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* An RFC 3339 state timestamp in Unix ns, or false (zero time, junk). */
static bool
plan_state_ns(const cJSON *state, const char *key, int64_t *ret)
{
	int64_t	sec, nsec;

	if (units_parse_time(reply_str(state, key, ""), &sec, &nsec) < 0
	    || sec <= 0 ||
	    sec > INT64_MAX / 1000000000 - 1)
		return false;
	*ret = sec * 1000000000 + nsec;
	return true;
}

/*
 * Messages over lim per subject, from state.subjects when it holds every
 * subject (num_subjects of them); false when it does not.
 */
static bool
plan_subject_counts(const cJSON *state, double nsubjects, double lim,
    double *ret)
{
	const cJSON	*c;
	double		 n = 0, drop = 0;

	cJSON_ArrayForEach(c, reply_get(state, "subjects")) {
		if (!cJSON_IsNumber(c) || c->valuedouble < 0)
			return false;
		if (c->valuedouble > lim)
			drop += c->valuedouble - lim;
		n++;
	}
	if (n == 0 || n != nsubjects)
		return false;
	*ret = drop;
	return true;
}

/*
 * What the update in a deletes, from the stream's state.  nats-server
 * enforces a lowered limit at once, whatever the discard policy (measured
 * on 2.9.10: max_msgs 10 on a stream of 65 with discard new keeps the last
 * 10).  A lowered max_msgs_per_subject deletes at once from 2.15 on; 2.9
 * and 2.10 trim each subject at its next message (measured on 2.9.10,
 * 2.10.27, 2.15.1): the loss is the same, only later.  A lowered
 * max_msg_size deletes nothing: stored messages stay, only new larger ones
 * are refused.
 */
static void
plan_update_loss(struct plan_action *a, const cJSON *state, int64_t now)
{
	struct plan_loss	*l = &a->loss;
	double			 m, b, lim, avg, subj, drop, frac;
	int64_t			 first, last, cutoff;

	m = reply_num(state, "messages");
	b = reply_num(state, "bytes");
	if (m <= 0)
		return;
	avg = b / m;
	l->of_msgs = m;
	l->of_bytes = b;
	if ((lim = plan_lowered(a, "max_msgs")) >= 0 && lim < m)
		plan_loss_add(l, "max_msgs", m - lim, false, avg * (m - lim),
		    true);
	if ((lim = plan_lowered(a, "max_bytes")) >= 0 && lim < b) {
		drop = avg > 0 ? ceil((b - lim) / avg) : m;
		plan_loss_add(l, "max_bytes", drop < m ? drop : m, true,
		    b - lim, false);
	}
	if ((lim = plan_lowered(a, "max_age")) > 0 &&
	    plan_state_ns(state, "first_ts", &first) &&
	    plan_state_ns(state, "last_ts", &last) && last >= first) {
		/* a limit longer than since 1970 deletes nothing */
		cutoff = lim < (double)now ? now - (int64_t)lim : 0;
		if (cutoff > last)
			plan_loss_add(l, "max_age", m, false, b, false);
		else if (cutoff > first) {
			/* messages spread evenly between first and last */
			frac = (double)(cutoff - first) /
			    (double)(last - first + 1);
			drop = ceil(m * frac);
			plan_loss_add(l, "max_age", drop, true, avg * drop,
			    true);
		}
	}
	/*
	 * With the per-subject counts (state.subjects, read for this by the
	 * caller) the count is exact; without, the most one subject can hold
	 * is all messages but one for each other subject.
	 */
	subj = reply_num(state, "num_subjects");
	if ((lim = plan_lowered(a, "max_msgs_per_subject")) < 0 || subj < 1)
		return;
	if (plan_subject_counts(state, subj, lim, &drop))
		plan_loss_add(l, "max_msgs_per_subject", drop, false,
		    avg * drop, true);
	else if (lim < m - subj + 1)
		plan_loss_add(l, "max_msgs_per_subject", m - subj + 1 - lim,
		    true, avg * (m - subj + 1 - lim), true);
}

bool
plan_wants_subjects(const struct plan_action *a)
{
	return a->object == PLAN_STREAM && a->loss.msgs_estimated &&
	    strstr(a->loss.causes, "max_msgs_per_subject") != NULL;
}

bool
plan_is_lossy(const struct plan_action *a)
{
	return a->loss.msgs > 0 || a->loss.bytes > 0;
}

/* Fill p's counts by kind and its count of lossy actions. */
void
plan_tally(struct plan *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		p->counts[p->actions[i].kind]++;
		if (plan_is_lossy(&p->actions[i]))
			p->nlossy++;
	}
}

const char *
plan_loss_text(const struct plan_action *a, char *buf, size_t len)
{
	const struct plan_loss	*l = &a->loss;

	if (!plan_is_lossy(a))
		snprintf(buf, len, "%s", "");
	else if (a->object == PLAN_CONSUMER)
		snprintf(buf, len, "drops %.0f message%s it has yet to "
		    "deliver or to see acknowledged", l->msgs,
		    l->msgs == 1 ? "" : "s");
	else
		snprintf(buf, len, "deletes %s%.0f of %.0f messages (%s%.0f "
		    "of %.0f bytes) by %s", l->msgs_estimated ? "about " : "",
		    l->msgs, l->of_msgs, l->bytes_estimated ? "about " : "",
		    l->bytes, l->of_bytes, l->causes);
	return buf;
}

static bool
plan_declared(const cJSON *config, const char *key)
{
	return reply_get(config, key) != NULL;
}

/*
 * Record key: value in want's metadata (2.10+) unless the spec declares
 * the key itself.
 */
static int
plan_mark(cJSON *want, const char *key, const char *value)
{
	cJSON	*md;
	int	 r;

	md = cJSON_GetObjectItemCaseSensitive(want, "metadata");
	if (!cJSON_IsObject(md)) {
		if ((r = plan_put(want, "metadata", cJSON_CreateObject())) < 0)
			return r;
		md = cJSON_GetObjectItemCaseSensitive(want, "metadata");
	}
	if (cJSON_GetObjectItemCaseSensitive(md, key) != NULL)
		return 0;
	return plan_put(md, key, cJSON_CreateString(value));
}

/*
 * prevent_update: true turns an update into a blocked change; every field
 * names the declaration as its reason.
 */
static int
plan_prevent_update(struct plan_action *a, const struct spec_keyloc *keys,
    size_t nkeys, struct spec_loc fallback)
{
	struct spec_loc	 loc;
	char		 why[PLAN_REASON_MAX];
	size_t		 i;

	if (a->kind != PLAN_UPDATE)
		return 0;
	loc = spec_key_loc(keys, nkeys, "prevent_update", fallback);
	snprintf(why, sizeof(why), "declared prevent_update: true (%s:%d:%d); "
	    "remove it to let apply change this %s", loc.file, loc.line,
	    loc.col, a->object == PLAN_STREAM ? "stream" : "consumer");
	for (i = 0; i < a->nfields; i++)
		if (a->fields[i].blocked == NULL &&
		    (a->fields[i].blocked = strdup(why)) == NULL)
			return -ENOMEM;
	a->kind = PLAN_BLOCKED;
	cJSON_Delete(a->config);
	a->config = NULL;
	return 0;
}

/*
 * nats-server refuses to create a sealed stream: create it unsealed, then
 * seal it with an update (a, a create, is taken).
 */
static int
plan_create_sealed(struct plan *p, struct plan_action *a)
{
	struct plan_action	 seal = { 0 };
	struct plan_diff	 df = { 0 };
	cJSON			*f = NULL, *t = NULL;
	int			 r = -ENOMEM;

	seal.kind = PLAN_UPDATE;
	seal.object = PLAN_STREAM;
	seal.loc = a->loc;
	if ((seal.stream = strdup(a->stream)) == NULL ||
	    (seal.config = cJSON_Duplicate(a->config, true)) == NULL ||
	    (f = cJSON_CreateFalse()) == NULL ||
	    (t = cJSON_CreateTrue()) == NULL ||
	    (r = plan_diff_add(&df, "sealed", f, t, NULL)) < 0)
		goto out;
	seal.fields = df.f;
	seal.nfields = df.n;
	df.f = NULL;
	df.n = 0;
	cJSON_DeleteItemFromObjectCaseSensitive(a->config, "sealed");
	if ((r = plan_push(p, a)) < 0)
		goto out;
	r = plan_push(p, &seal);
out:
	plan_fields_free(df.f, df.n);
	plan_action_clear(&seal);
	plan_action_clear(a);
	cJSON_Delete(f);
	cJSON_Delete(t);
	return r;
}

/*
 * What a new mirror's mirror_direct becomes: its origin's allow_direct,
 * from the live origin or else the declared one; NULL when neither is
 * known.  Pedantic mode (2.11+) refuses a mirror that differs.
 */
static const cJSON *
plan_origin_direct(const struct spec_set *set, const struct live *live,
    const cJSON *want)
{
	const struct live_stream	*ls;
	const struct spec_stream	*os;
	const char			*origin;

	origin = reply_str(reply_get(want, "mirror"), "name", "");
	if (origin[0] == '\0')
		return NULL;
	if ((ls = live_find(live, origin)) != NULL)
		return reply_get(reply_get(ls->info, "config"), "allow_direct");
	if (set != NULL && (os = spec_find_stream(set, origin)) != NULL)
		return reply_get(os->config, "allow_direct");
	return NULL;
}

/*
 * A replica count the servers cannot hold is blocked with the reason:
 * above 1 on a standalone server (2.9.10 takes an update to 3 there and
 * keeps 1, so apply would report a change it did not make), or more than
 * the servers of the cluster.  Only a create or a changed num_replicas:
 * an unchanged stream is never blocked by a node being down.
 */
static int
plan_replicas(struct plan_action *a, const struct live *live)
{
	struct plan_field	*f = NULL;
	char			 why[256];
	double			 want;
	size_t			 i;

	if (live->cluster_size <= 0)
		return 0;
	if (a->kind == PLAN_UPDATE || a->kind == PLAN_BLOCKED) {
		for (i = 0; i < a->nfields; i++)
			if (strcmp(a->fields[i].key, "num_replicas") == 0)
				f = &a->fields[i];
		if (f == NULL)
			return 0;
	} else if (a->kind != PLAN_CREATE)
		return 0;
	if (f != NULL)
		want = cJSON_IsNumber(f->want) ? f->want->valuedouble : 1;
	else
		want = reply_num(a->config, "num_replicas");
	if (want != want || want < 1)
		want = 1;
	if (want <= live->cluster_size)
		return 0;
	if (live->cluster_size == 1)
		snprintf(why, sizeof(why), "num_replicas %.0f needs a "
		    "JetStream cluster: the server is standalone, and keeps "
		    "one copy whatever is asked", want);
	else
		snprintf(why, sizeof(why), "num_replicas %.0f is more than "
		    "the cluster's %d servers: nats-server cannot place the "
		    "replicas", want, live->cluster_size);
	if (f != NULL) {
		free(f->blocked);
		if ((f->blocked = strdup(why)) == NULL)
			return -ENOMEM;
	} else if ((a->blocked = strdup(why)) == NULL)
		return -ENOMEM;
	a->kind = PLAN_BLOCKED;
	cJSON_Delete(a->config);
	a->config = NULL;
	return 0;
}

static int
plan_stream(struct plan *p, const struct spec_set *set,
    const struct spec_stream *st, const struct live *live, int64_t now)
{
	struct plan_action		 a = { 0 };
	const struct live_stream	*ls;
	const cJSON			*lconf, *lmd;
	cJSON				*decl = NULL, *want = NULL;
	int				 r;

	a.object = PLAN_STREAM;
	a.loc = st->loc;
	if ((r = plan_names(&a, st->name, NULL)) < 0 ||
	    (r = plan_named(st->config, "name", st->name, &decl)) < 0 ||
	    (r = plan_desired_stream(decl, live->server_version, &want)) < 0)
		goto out;

	ls = live_find(live, st->name);
	lconf = ls == NULL ? NULL : reply_get(ls->info, "config");

	/*
	 * The server sets a mirror's mirror_direct from its origin's
	 * allow_direct; unless it is declared, that is not drift.
	 */
	lmd = reply_get(lconf, "mirror_direct");
	if (lconf == NULL)
		lmd = plan_origin_direct(set, live, want);
	if (lmd != NULL && !plan_declared(decl, "mirror_direct") &&
	    !plan_is_zero(reply_get(want, "mirror")) &&
	    (r = plan_put(want, "mirror_direct",
	    cJSON_Duplicate(lmd, true))) < 0)
		goto out;
	/*
	 * A bucket's stream carries no ownership mark: it is exactly what
	 * the clients make, so one a client made adopts with no change, and
	 * prune takes KV_/OBJ_ streams only by a declared scope anyway.
	 */
	if (live->server_version >= SCHEMA_V2_10 &&
	    ((st->kind == SPEC_STREAM && (r = plan_mark(want,
	    PLAN_MD_MANAGED, PLAN_MD_MANAGED_VALUE)) < 0) ||
	    (st->prevent_delete && (r = plan_mark(want,
	    PLAN_MD_PREVENT_DELETE, "true")) < 0)))
		goto out;
	r = plan_compare(&a, lconf, want, live->server_version);
	want = NULL;
	if (r < 0)
		goto out;
	if (st->prevent_update && (r = plan_prevent_update(&a, st->keys,
	    st->nkeys, st->loc)) < 0)
		goto out;
	if ((r = plan_replicas(&a, live)) < 0)
		goto out;
	if ((a.kind == PLAN_UPDATE || a.kind == PLAN_BLOCKED) && ls != NULL)
		plan_update_loss(&a, reply_get(ls->info, "state"), now);
	if (a.kind == PLAN_CREATE && cJSON_IsTrue(reply_get(a.config,
	    "sealed")))
		r = plan_create_sealed(p, &a);
	else
		r = plan_push(p, &a);
out:
	plan_action_clear(&a);
	cJSON_Delete(decl);
	cJSON_Delete(want);
	return r;
}

static const cJSON *
plan_live_consumer(const struct live_stream *ls, const char *name)
{
	const cJSON	*ci;

	if (ls == NULL)
		return NULL;
	cJSON_ArrayForEach(ci, ls->consumers) {
		if (strcmp(reply_str(ci, "name", ""), name) == 0 ||
		    strcmp(reply_str(reply_get(ci, "config"), "durable_name",
		    ""),
		    name) == 0)
			return ci;
	}
	return NULL;
}

/*
 * A stream's consumer_limits (2.10+) are the defaults of its consumers:
 * the server fills an unset inactive_threshold and max_ack_pending from
 * them, for durable consumers too and whatever the ack policy (measured
 * on 2.10.27 and 2.15.1).  Only the desired side is filled: a consumer
 * made before the limits keeps its own values, and that is drift.
 */
static int
plan_consumer_limits(cJSON *decl, const cJSON *stream_config)
{
	static const char *const keys[] = { "inactive_threshold",
		"max_ack_pending", NULL };
	const char *const	*k;
	const cJSON		*lim, *v;
	int			 r;

	lim = reply_get(stream_config, "consumer_limits");
	for (k = keys; *k != NULL; k++) {
		v = reply_get(lim, *k);
		if (!cJSON_IsNumber(v) || v->valuedouble <= 0 ||
		    reply_num(decl, *k) != 0)
			continue;
		if ((r = plan_put(decl, *k,
		    cJSON_CreateNumber(v->valuedouble))) < 0)
			return r;
	}
	return 0;
}

static int
plan_consumer(struct plan *p, const struct spec_stream *st,
    const struct spec_consumer *sc, const struct live_stream *ls,
    int version)
{
	struct plan_action	 a = { 0 };
	const cJSON		*ci;
	cJSON			*decl = NULL, *want = NULL;
	int			 r;

	a.object = PLAN_CONSUMER;
	a.loc = sc->loc;
	if ((r = plan_names(&a, st->name, sc->name)) < 0 ||
	    (r = plan_named(sc->config, "durable_name", sc->name, &decl)) < 0 ||
	    (version >= SCHEMA_V2_10 &&
	    (r = plan_consumer_limits(decl, st->config)) < 0) ||
	    (r = plan_desired_consumer(decl, version, &want)) < 0)
		goto out;
	if (sc->prevent_delete && version >= SCHEMA_V2_10 &&
	    (r = plan_mark(want, PLAN_MD_PREVENT_DELETE, "true")) < 0)
		goto out;
	ci = plan_live_consumer(ls, sc->name);
	r = plan_compare(&a, ci == NULL ? NULL : reply_get(ci, "config"), want,
	    version);
	want = NULL;
	if (r < 0)
		goto out;
	if (sc->prevent_update && (r = plan_prevent_update(&a, sc->keys,
	    sc->nkeys, sc->loc)) < 0)
		goto out;
	r = plan_push(p, &a);
out:
	plan_action_clear(&a);
	cJSON_Delete(decl);
	cJSON_Delete(want);
	return r;
}

/*
 * Why deleting stream (or its consumer) is refused, or NULL: a
 * prune.protect pattern matches "STREAM" or "STREAM/CONSUMER" ('*' does
 * not cross '/'), or its metadata carries the prevent-delete mark.
 */
static const char *
plan_protected(const struct spec_set *set, const char *stream,
    const char *consumer, const cJSON *config, char *buf, size_t len)
{
	char	name[PLAN_KEY_MAX * 2];
	size_t	i;

	snprintf(name, sizeof(name), "%s%s%s", stream,
	    consumer != NULL ? "/" : "", consumer != NULL ? consumer : "");
	for (i = 0; set != NULL && i < set->nprotect; i++) {
		if (fnmatch(set->protect[i], name, FNM_PATHNAME) == 0) {
			snprintf(buf, len, "protected by prune.protect '%s'",
			    set->protect[i]);
			return buf;
		}
	}
	if (strcmp(reply_str(reply_get(config, "metadata"),
	    PLAN_MD_PREVENT_DELETE, ""), "true") == 0) {
		snprintf(buf, len, "protected by its metadata '%s' (from "
		    "prevent_delete: true)", PLAN_MD_PREVENT_DELETE);
		return buf;
	}
	return NULL;
}

/*
 * Delete stream, or its consumer; info is the StreamInfo or ConsumerInfo,
 * whose state says what the delete loses.  A protected one is BLOCKED.
 */
static int
plan_delete(struct plan *p, const struct spec_set *set, const char *stream,
    const char *consumer, const cJSON *info)
{
	struct plan_action	 a = { 0 };
	const cJSON		*state;
	const char		*why;
	char			 buf[PLAN_REASON_MAX];
	double			 n;
	int			 r;

	a.kind = PLAN_DELETE;
	a.object = consumer != NULL ? PLAN_CONSUMER : PLAN_STREAM;
	if ((r = plan_names(&a, stream, consumer)) < 0) {
		plan_action_clear(&a);
		return r;
	}
	why = plan_protected(set, stream, consumer, reply_get(info, "config"),
	    buf, sizeof(buf));
	if (why != NULL) {
		a.kind = PLAN_BLOCKED;
		if ((a.blocked = strdup(why)) == NULL) {
			plan_action_clear(&a);
			return -ENOMEM;
		}
	}
	if (consumer != NULL) {
		n = reply_num(info, "num_pending") +
		    reply_num(info, "num_ack_pending");
		a.loss.of_msgs = n;
		plan_loss_add(&a.loss, "delete", n, false, 0, false);
	} else {
		state = reply_get(info, "state");
		a.loss.of_msgs = reply_num(state, "messages");
		a.loss.of_bytes = reply_num(state, "bytes");
		plan_loss_add(&a.loss, "delete", a.loss.of_msgs, false,
		    a.loss.of_bytes, false);
	}
	return plan_push(p, &a);
}

bool
plan_selected(const struct plan_opts *opts, const char *name)
{
	size_t	i;

	if (opts == NULL || opts->nstreams == 0)
		return true;
	for (i = 0; i < opts->nstreams; i++)
		if (fnmatch(opts->streams[i], name, 0) == 0)
			return true;
	return false;
}

static bool
plan_kv_obj(const char *name)
{
	return strncmp(name, "KV_", 3) == 0 || strncmp(name, "OBJ_", 4) == 0;
}

/* May prune delete the undeclared stream ls?  (plan_build's rules.) */
static bool
plan_in_scope(const struct spec_set *set, const struct live_stream *ls,
    int version)
{
	const cJSON	*md;
	bool		 special = plan_kv_obj(ls->name);
	size_t		 i;

	for (i = 0; set != NULL && i < set->nprune_scope; i++) {
		if (fnmatch(set->prune_scope[i], ls->name, 0) != 0)
			continue;
		if (!special || plan_kv_obj(set->prune_scope[i]))
			return true;
	}
	/*
	 * A declared scope is the whole scope: several spec repositories may
	 * mark streams in one account, and each prunes only its own.
	 */
	if ((set != NULL && set->prune_scoped) || special ||
	    version < SCHEMA_V2_10)
		return false;
	md = reply_get(reply_get(ls->info, "config"), "metadata");
	return strcmp(reply_str(md, PLAN_MD_MANAGED, ""),
	    PLAN_MD_MANAGED_VALUE) ==
	    0;
}

int
plan_unowned(struct plan *p, const char *name)
{
	char	**v;

	if ((v = realloc(p->unowned, (p->nunowned + 1) * sizeof(*v))) == NULL)
		return -ENOMEM;
	p->unowned = v;
	if ((v[p->nunowned] = strdup(name)) == NULL)
		return -ENOMEM;
	p->nunowned++;
	return 0;
}

static const struct spec_stream *
plan_find_stream(const struct spec_set *set, const char *name)
{
	return set == NULL ? NULL : spec_find_stream(set, name);
}

/*
 * Undeclared durable consumers of declared streams.  Ephemeral consumers
 * (no durable_name) belong to running clients and go away by themselves.
 */
static int
plan_prune_consumers(struct plan *p, const struct spec_set *set,
    const struct spec_stream *st, const struct live_stream *ls)
{
	const cJSON	*ci;
	const char	*name;
	int		 r;

	if (ls == NULL)
		return 0;
	cJSON_ArrayForEach(ci, ls->consumers) {
		name = reply_str(ci, "name", "");
		if (name[0] == '\0' || reply_str(reply_get(ci, "config"),
		    "durable_name", "")[0] == '\0')
			continue;
		if (spec_find_consumer(st, name) != NULL)
			continue;
		if ((r = plan_delete(p, set, st->name, name, ci)) < 0)
			return r;
	}
	return 0;
}

int
plan_build(const struct spec_set *set, const struct live *live,
    const struct plan_opts *opts, struct diag *d, struct plan **ret)
{
	const struct spec_stream	*st;
	const struct spec_consumer	*sc;
	const struct live_stream	*ls;
	struct plan			*p = NULL;
	int64_t				 now = plan_now_ns(opts);
	size_t				 nt, nstreams, i, j;
	const struct schema_field	*t;
	int				 r, version = live->server_version;

	nstreams = set == NULL ? 0 : set->nstreams;
	for (i = 0; i < nstreams; i++) {
		st = &set->streams[i];
		t = schema_stream_fields(&nt);
		if ((r = plan_check_since(t, nt, st->config, NULL, st->keys,
		    st->nkeys, st->loc, version, d)) < 0)
			return r;
		t = schema_consumer_fields(&nt);
		for (j = 0; j < st->nconsumers; j++) {
			sc = &st->consumers[j];
			if ((r = plan_check_since(t, nt, sc->config, NULL,
			    sc->keys, sc->nkeys, sc->loc, version, d)) < 0)
				return r;
		}
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nstreams; i++) {
		st = &set->streams[i];
		if (!plan_selected(opts, st->name))
			continue;
		if ((r = plan_stream(p, set, st, live, now)) < 0)
			goto out;
		ls = live_find(live, st->name);
		for (j = 0; j < st->nconsumers; j++)
			if ((r = plan_consumer(p, st, &st->consumers[j], ls,
			    version)) < 0)
				goto out;
	}
	if (opts != NULL && opts->prune) {
		for (i = 0; i < nstreams; i++) {
			st = &set->streams[i];
			if (!plan_selected(opts, st->name))
				continue;
			if ((r = plan_prune_consumers(p, set, st,
			    live_find(live, st->name))) < 0)
				goto out;
		}
		for (i = 0; i < live->nstreams; i++) {
			ls = &live->streams[i];
			if (plan_find_stream(set, ls->name) != NULL ||
			    !plan_selected(opts, ls->name))
				continue;
			if (!plan_in_scope(set, ls, version))
				r = plan_unowned(p, ls->name);
			else
				r = plan_delete(p, set, ls->name, NULL,
				    ls->info);
			if (r < 0)
				goto out;
		}
	}
	plan_tally(p);
	*ret = p;
	p = NULL;
	r = 0;
out:
	plan_free(p);
	if (r == -ENOMEM)
		diag_set(d, r, "out of memory while planning");
	else if (r < 0)
		diag_set(d, r, "a declared config is not an object");
	return r;
}

bool
plan_is_empty(const struct plan *p)
{
	return p == NULL || p->counts[PLAN_NOOP] == p->n;
}

const char *
plan_kind_name(enum plan_kind k)
{
	switch (k) {
	case PLAN_NOOP:
		return "no change";
	case PLAN_CREATE:
		return "create";
	case PLAN_UPDATE:
		return "update";
	case PLAN_BLOCKED:
		return "blocked";
	case PLAN_DELETE:
		return "delete";
	}
	return "unknown";
}

void
plan_free(struct plan *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		plan_action_clear(&p->actions[i]);
	free(p->actions);
	for (i = 0; i < p->nunowned; i++)
		free(p->unowned[i]);
	free(p->unowned);
	free(p);
}
