/* SPDX-License-Identifier: MIT */
/*
 * plan-json: a plan as JSON and back (plan --json, plan --out, apply of a
 * saved plan), and the fingerprint of the live streams a saved plan was
 * made against, so that applying it to a changed server is refused.
 *
 * A saved plan is untrusted input like a spec file: plan_from_json checks
 * every member's type and range before it builds a plan.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jint.h"
#include "plan.h"
#include "plan-int.h"
#include "reply.h"
#include "schema.h"
#include "units.h"

/* plan_kind_name() as a JSON identifier. */
static const char *
plan_kind_id(enum plan_kind k)
{
	return k == PLAN_NOOP ? "no_change" : plan_kind_name(k);
}

static cJSON *
plan_value_json(const cJSON *v)
{
	return v != NULL ? cJSON_Duplicate(v, true) : cJSON_CreateNull();
}

static int
plan_field_json(const struct plan_field *f, cJSON *fields)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	if (!cJSON_AddItemToArray(fields, o)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	if (cJSON_AddStringToObject(o, "key", f->key) == NULL ||
	    plan_put(o, "live", plan_value_json(f->live)) < 0 ||
	    plan_put(o, "want", plan_value_json(f->want)) < 0 ||
	    plan_put(o, "blocked", f->blocked != NULL ?
	    cJSON_CreateString(f->blocked) : cJSON_CreateNull()) < 0)
		return -ENOMEM;
	return 0;
}

static int
plan_loss_json(const struct plan_action *a, cJSON *o)
{
	const struct plan_loss	*l = &a->loss;
	const char		*c, *e;
	char			 text[512];
	cJSON			*j, *causes;

	if (!plan_is_lossy(a))
		return plan_put(o, "data_loss", cJSON_CreateNull());
	if ((j = cJSON_AddObjectToObject(o, "data_loss")) == NULL ||
	    cJSON_AddNumberToObject(j, "messages", l->msgs) == NULL ||
	    cJSON_AddNumberToObject(j, "of_messages", l->of_msgs) == NULL ||
	    cJSON_AddNumberToObject(j, "bytes", l->bytes) == NULL ||
	    cJSON_AddNumberToObject(j, "of_bytes", l->of_bytes) == NULL ||
	    cJSON_AddBoolToObject(j, "messages_estimated",
	    l->msgs_estimated) == NULL ||
	    cJSON_AddBoolToObject(j, "bytes_estimated",
	    l->bytes_estimated) == NULL ||
	    (causes = cJSON_AddArrayToObject(j, "causes")) == NULL ||
	    cJSON_AddStringToObject(j, "text", plan_loss_text(a, text,
	    sizeof(text))) == NULL)
		return -ENOMEM;
	for (c = l->causes; *c != '\0'; c = *e == '\0' ? e : e + 2) {
		if ((e = strstr(c, ", ")) == NULL)
			e = c + strlen(c);
		snprintf(text, sizeof(text), "%.*s", (int)(e - c), c);
		if (!cJSON_AddItemToArray(causes, cJSON_CreateString(text)))
			return -ENOMEM;
	}
	return 0;
}

static int
plan_action_json(const struct plan_action *a, cJSON *actions)
{
	cJSON	*o, *fields;
	size_t	 i;
	int	 r;

	if ((o = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	if (!cJSON_AddItemToArray(actions, o)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	if (cJSON_AddStringToObject(o, "action", plan_kind_id(a->kind)) ==
	    NULL ||
	    cJSON_AddStringToObject(o, "object", a->object == PLAN_STREAM ?
	    "stream" : "consumer") == NULL ||
	    cJSON_AddStringToObject(o, "stream", a->stream) == NULL)
		return -ENOMEM;
	if (a->consumer != NULL &&
	    cJSON_AddStringToObject(o, "consumer", a->consumer) == NULL)
		return -ENOMEM;
	if (a->loc.file != NULL &&
	    (cJSON_AddStringToObject(o, "file", a->loc.file) == NULL ||
	    cJSON_AddNumberToObject(o, "line", a->loc.line) == NULL ||
	    cJSON_AddNumberToObject(o, "col", a->loc.col) == NULL))
		return -ENOMEM;
	if ((fields = cJSON_AddArrayToObject(o, "fields")) == NULL)
		return -ENOMEM;
	for (i = 0; i < a->nfields; i++)
		if ((r = plan_field_json(&a->fields[i], fields)) < 0)
			return r;
	if (a->config != NULL &&
	    plan_put(o, "config", cJSON_Duplicate(a->config, true)) < 0)
		return -ENOMEM;
	if (a->blocked != NULL &&
	    cJSON_AddStringToObject(o, "blocked", a->blocked) == NULL)
		return -ENOMEM;
	return plan_loss_json(a, o);
}

int
plan_to_json(const struct plan *p, cJSON **ret)
{
	cJSON	*o, *actions, *summary, *unowned;
	size_t	 i, nstreams = 0;
	int	 r = -ENOMEM, k;

	if ((o = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	for (i = 0; i < p->n; i++)
		if (p->actions[i].object == PLAN_STREAM)
			nstreams++;
	if (cJSON_AddNumberToObject(o, "streams", (double)nstreams) == NULL ||
	    (actions = cJSON_AddArrayToObject(o, "actions")) == NULL)
		goto out;
	for (i = 0; i < p->n; i++)
		if ((r = plan_action_json(&p->actions[i], actions)) < 0)
			goto out;
	if ((unowned = cJSON_AddArrayToObject(o, "outside_prune_scope")) ==
	    NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < p->nunowned; i++) {
		if (!cJSON_AddItemToArray(unowned,
		    cJSON_CreateString(p->unowned[i]))) {
			r = -ENOMEM;
			goto out;
		}
	}
	if ((summary = cJSON_AddObjectToObject(o, "summary")) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (k = PLAN_NOOP; k <= PLAN_DELETE; k++) {
		if (cJSON_AddNumberToObject(summary,
		    plan_kind_id((enum plan_kind)k),
		    (double)p->counts[k]) == NULL) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (cJSON_AddNumberToObject(summary, "data_loss",
	    (double)p->nlossy) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	*ret = o;
	o = NULL;
	r = 0;
out:
	cJSON_Delete(o);
	return r;
}

/* Add name: the digest of info's config and created time (16 hex). */
static int
plan_digest_add(cJSON *fp, const char *name, const cJSON *info)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);
	char		 hex[17];

	h = spec_fnv_json(h, reply_get(info, "config"));
	h = spec_fnv(h, reply_str(info, "created", ""));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	if (cJSON_AddStringToObject(fp, name, hex) == NULL)
		return -ENOMEM;
	return 0;
}

/* The fingerprint entries of stream name (once). */
static int
plan_fingerprint_stream(cJSON *fp, const struct live *l, const char *name)
{
	const struct live_stream	*ls;
	const cJSON			*ci;
	char				 key[PLAN_KEY_MAX * 2];
	int				 r;

	if (cJSON_GetObjectItemCaseSensitive(fp, name) != NULL)
		return 0;
	if ((ls = live_find(l, name)) == NULL)
		return cJSON_AddStringToObject(fp, name, "absent") == NULL ?
		    -ENOMEM : 0;
	if ((r = plan_digest_add(fp, name, ls->info)) < 0)
		return r;
	/* ephemeral consumers come and go with their clients */
	cJSON_ArrayForEach(ci, ls->consumers) {
		if (reply_str(reply_get(ci, "config"), "durable_name", "")[0]
		    == '\0')
			continue;
		snprintf(key, sizeof(key), "%s/%s", name, reply_str(ci, "name",
		    ""));
		if ((r = plan_digest_add(fp, key, ci)) < 0)
			return r;
	}
	return 0;
}

int
plan_fingerprint(const struct live *l, const struct plan *p, cJSON **ret)
{
	cJSON	*fp;
	size_t	 i;
	int	 r;

	if ((fp = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	for (i = 0; i < p->n; i++) {
		if ((r = plan_fingerprint_stream(fp, l,
		    p->actions[i].stream)) < 0) {
			cJSON_Delete(fp);
			return r;
		}
	}
	*ret = fp;
	return 0;
}

int
plan_fingerprint_check(const cJSON *saved, const cJSON *now, struct diag *d)
{
	const cJSON	*a, *b;
	const char	*first = NULL, *how = NULL;
	char		 q[PLAN_KEY_MAX * 4 + 4];
	size_t		 n = 0;

	if (!cJSON_IsObject(saved))
		return diag_set(d, -EINVAL, "the saved plan has no "
		    "fingerprint of the server");
	cJSON_ArrayForEach(a, saved) {
		if (!cJSON_IsString(a) || a->string == NULL)
			return diag_set(d, -EINVAL, "the saved plan's "
			    "fingerprint is not a map of digests");
		b = cJSON_GetObjectItemCaseSensitive(now, a->string);
		if (b != NULL && jint_equal(a, b))
			continue;
		if (n++ == 0) {
			first = a->string;
			how = b == NULL || strcmp(b->valuestring, "absent") ==
			    0 ? "is gone" : strcmp(a->valuestring, "absent") ==
			    0 ? "appeared" : "changed";
		}
	}
	cJSON_ArrayForEach(b, now) {
		if (cJSON_GetObjectItemCaseSensitive(saved, b->string) != NULL)
			continue;
		if (n++ == 0) {
			first = b->string;
			how = "appeared";
		}
	}
	if (n == 0)
		return 0;
	return diag_set(d, -ESTALE, "%s '%s' %s since the plan was made%s; "
	    "the saved plan is stale: run plan again",
	    strchr(first, '/') != NULL ? "consumer" : "stream",
	    diag_quote(first, PLAN_KEY_MAX, q, sizeof(q)), how,
	    n > 1 ? " (and more)" : "");
}

static const struct {
	const char	*id;
	enum plan_kind	 kind;
} plan_kind_ids[] = {
	{ "no_change", PLAN_NOOP }, { "create", PLAN_CREATE },
	{ "update", PLAN_UPDATE }, { "blocked", PLAN_BLOCKED },
	{ "delete", PLAN_DELETE },
};

/* A string member of o, copied; NULL member allowed when optional. */
static int
plan_json_str(const cJSON *o, const char *key, bool optional, char **ret,
    struct diag *d, size_t i)
{
	const cJSON	*v = reply_get(o, key);

	*ret = NULL;
	if (v == NULL && optional)
		return 0;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0' ||
	    strlen(v->valuestring) > PLAN_KEY_MAX)
		return diag_set(d, -EINVAL, "actions[%zu].%s: expected a "
		    "name", i, key);
	if ((*ret = strdup(v->valuestring)) == NULL)
		return -ENOMEM;
	return 0;
}

/*
 * Every number in v is finite and fits int64 (a saved plan file is
 * untrusted: a value such as 1e300 must never reach a cast).
 */
static bool
plan_json_numbers_ok(const cJSON *v)
{
	const cJSON	*c;
	int64_t		 n;

	/* exact digits up to INT64_MAX (jint.h); estimates may be fractions */
	if (cJSON_IsNumber(v))
		return jint_get(v, &n) == 0 || (isfinite(v->valuedouble) &&
		    fabs(v->valuedouble) < 9223372036854775807.0);
	cJSON_ArrayForEach(c, v) {
		if (!plan_json_numbers_ok(c))
			return false;
	}
	return true;
}

static int
plan_json_loss(const cJSON *o, struct plan_loss *l, struct diag *d, size_t i)
{
	const cJSON	*c;
	size_t		 n;

	if (o == NULL || cJSON_IsNull(o))
		return 0;
	if (!cJSON_IsObject(o))
		return diag_set(d, -EINVAL, "actions[%zu].data_loss: expected "
		    "an object or null", i);
	l->msgs = reply_num(o, "messages");
	l->of_msgs = reply_num(o, "of_messages");
	l->bytes = reply_num(o, "bytes");
	l->of_bytes = reply_num(o, "of_bytes");
	l->msgs_estimated = cJSON_IsTrue(reply_get(o, "messages_estimated"));
	l->bytes_estimated = cJSON_IsTrue(reply_get(o, "bytes_estimated"));
	if (!(l->msgs >= 0 && l->bytes >= 0))
		return diag_set(d, -EINVAL, "actions[%zu].data_loss: negative "
		    "count", i);
	/* a saved loss must not read as none */
	if (l->msgs == 0 && l->bytes == 0)
		l->msgs = 1;
	cJSON_ArrayForEach(c, reply_get(o, "causes")) {
		n = strlen(l->causes);
		if (cJSON_IsString(c))
			snprintf(l->causes + n, sizeof(l->causes) - n, "%s%s",
			    n > 0 ? ", " : "", c->valuestring);
	}
	return 0;
}

static int
plan_json_fields(const cJSON *o, struct plan_action *a, struct diag *d,
    size_t i)
{
	struct plan_diff	 df = { 0 };
	const cJSON		*f, *b;
	int			 r = 0;

	if (o == NULL)
		return 0;
	if (!cJSON_IsArray(o))
		return diag_set(d, -EINVAL, "actions[%zu].fields: expected a "
		    "list", i);
	cJSON_ArrayForEach(f, o) {
		b = reply_get(f, "blocked");
		if (!cJSON_IsString(reply_get(f, "key")) ||
		    (b != NULL && !cJSON_IsNull(b) && !cJSON_IsString(b))) {
			r = diag_set(d, -EINVAL, "actions[%zu].fields: "
			    "expected {key, live, want, blocked}", i);
			break;
		}
		if ((r = plan_diff_add(&df, reply_get(f, "key")->valuestring,
		    reply_get(f, "live"), reply_get(f, "want"),
		    cJSON_IsString(b) ? b->valuestring : NULL)) < 0)
			break;
	}
	a->fields = df.f;
	a->nfields = df.n;
	return r;
}

int
plan_from_json(const cJSON *j, struct diag *d, struct plan **ret)
{
	struct plan_action	 a = { 0 };
	struct plan		*p = NULL;
	const cJSON		*x, *v;
	const char		*obj;
	size_t			 i = 0, k;
	int			 r;

	if (!cJSON_IsArray(reply_get(j, "actions")))
		return diag_set(d, -EINVAL, "no 'actions' list");
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -ENOMEM;
	cJSON_ArrayForEach(x, reply_get(j, "actions")) {
		memset(&a, 0, sizeof(a));
		if (!plan_json_numbers_ok(x)) {
			r = diag_set(d, -EINVAL, "actions[%zu]: a number that "
			    "is not a whole 64-bit value", i);
			goto out;
		}
		v = reply_get(x, "action");
		for (k = 0; cJSON_IsString(v) && k < sizeof(plan_kind_ids) /
		    sizeof(plan_kind_ids[0]); k++)
			if (strcmp(v->valuestring, plan_kind_ids[k].id) == 0)
				break;
		if (!cJSON_IsString(v) || k == sizeof(plan_kind_ids) /
		    sizeof(plan_kind_ids[0])) {
			r = diag_set(d, -EINVAL, "actions[%zu].action: not "
			    "one of no_change, create, update, blocked, "
			    "delete", i);
			goto out;
		}
		a.kind = plan_kind_ids[k].kind;
		obj = reply_str(x, "object", "");
		if (strcmp(obj, "stream") != 0 && strcmp(obj, "consumer") != 0) {
			r = diag_set(d, -EINVAL, "actions[%zu].object: not "
			    "stream or consumer", i);
			goto out;
		}
		a.object = obj[0] == 's' ? PLAN_STREAM : PLAN_CONSUMER;
		if ((r = plan_json_str(x, "stream", false, &a.stream, d,
		    i)) < 0 ||
		    (r = plan_json_str(x, "consumer", a.object == PLAN_STREAM,
		    &a.consumer, d, i)) < 0 ||
		    (r = plan_json_str(x, "blocked", true, &a.blocked, d,
		    i)) < 0 ||
		    (r = plan_json_fields(reply_get(x, "fields"), &a, d,
		    i)) < 0 ||
		    (r = plan_json_loss(reply_get(x, "data_loss"), &a.loss, d,
		    i)) < 0)
			goto out;
		if (a.kind == PLAN_CREATE || a.kind == PLAN_UPDATE) {
			if (!cJSON_IsObject(reply_get(x, "config"))) {
				r = diag_set(d, -EINVAL, "actions[%zu].config: "
				    "expected the config to send", i);
				goto out;
			}
			if ((a.config = cJSON_Duplicate(reply_get(x, "config"),
			    true)) == NULL) {
				r = -ENOMEM;
				goto out;
			}
		}
		if ((r = plan_push(p, &a)) < 0)
			goto out;
		i++;
	}
	cJSON_ArrayForEach(v, reply_get(j, "outside_prune_scope")) {
		if (cJSON_IsString(v) && (r = plan_unowned(p,
		    v->valuestring)) < 0)
			goto out;
	}
	plan_tally(p);
	*ret = p;
	p = NULL;
	r = 0;
out:
	plan_action_clear(&a);
	plan_free(p);
	if (r == -ENOMEM)
		diag_set(d, r, "out of memory");
	return r;
}
