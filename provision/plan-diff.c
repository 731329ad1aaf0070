/* SPDX-License-Identifier: MIT */
/*
 * plan-diff: the planner's normal form and comparison.  A declared config
 * becomes the desired one (the schema's defaults for the server's version
 * plus what is declared, through the schema's rule rows, as nats-server
 * itself fills in a new config); a live config goes through the same rules;
 * the two are compared field by field, an absent key like its zero value
 * and subject lists as sets, and every difference the field's change rule
 * forbids carries its reason.
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

/* Rules per table at most: bounds the fired[] of plan_apply_rules. */
#define PLAN_RULES_MAX		64

static const char plan_recreate_stream[] =
    "delete and recreate the stream (this loses its messages)";
static const char plan_recreate_consumer[] =
    "delete and recreate the consumer (it starts over from its deliver "
    "policy)";

/* Replace or add key; takes v, which is NULL when its allocation failed. */
int
plan_put(cJSON *o, const char *key, cJSON *v)
{
	cJSON_bool	ok;

	if (v == NULL)
		return -ENOMEM;
	if (cJSON_GetObjectItemCaseSensitive(o, key) != NULL)
		ok = cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
	else
		ok = cJSON_AddItemToObject(o, key, v);
	if (!ok) {
		cJSON_Delete(v);
		return -ENOMEM;
	}
	return 0;
}

bool
plan_is_zero(const cJSON *v)
{
	const cJSON	*c;

	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return true;
	if (cJSON_IsNumber(v))
		return v->valuedouble == 0;
	if (cJSON_IsString(v))
		return v->valuestring == NULL || v->valuestring[0] == '\0';
	if (cJSON_IsArray(v))
		return v->child == NULL;
	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(c, v) {
			if (!plan_is_zero(c))
				return false;
		}
		return true;
	}
	return false;
}

static bool
plan_is_objectish(const cJSON *v)
{
	return cJSON_IsObject(v) || plan_is_zero(v);
}

static bool
plan_is_arrayish(const cJSON *v)
{
	return cJSON_IsArray(v) || plan_is_zero(v);
}

static bool	plan_equal(const struct schema_field *f, const cJSON *a,
		    const cJSON *b);

static bool
plan_members_equal(const struct schema_field *sub, size_t nsub,
    const cJSON *a, const cJSON *b)
{
	size_t	i;

	for (i = 0; i < nsub; i++)
		if (!plan_equal(&sub[i], reply_get(a, sub[i].key),
		    reply_get(b, sub[i].key)))
			return false;
	return true;
}

/* Every element of a has an equal one in b. */
static bool
plan_subset(const struct schema_field *f, const cJSON *a, const cJSON *b)
{
	const cJSON	*x, *y;
	bool		 found;

	cJSON_ArrayForEach(x, a) {
		found = false;
		cJSON_ArrayForEach(y, b) {
			if (f->type == SCHEMA_OBJECTS ?
			    plan_members_equal(f->sub, f->nsub, x, y) :
			    jint_equal(x, y)) {
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

/* Every member of a is in b with an equal value. */
static bool
plan_map_subset(const cJSON *a, const cJSON *b)
{
	const cJSON	*x, *y;

	cJSON_ArrayForEach(x, a) {
		y = reply_get(b, x->string);
		if (!(plan_is_zero(x) && plan_is_zero(y)) &&
		    !jint_equal(x, y))
			return false;
	}
	return true;
}

static bool
plan_equal(const struct schema_field *f, const cJSON *a, const cJSON *b)
{
	int64_t	s1, n1, s2, n2;

	if (plan_is_zero(a) && plan_is_zero(b))
		return true;
	switch (f->type) {
	case SCHEMA_STRINGS:
	case SCHEMA_OBJECTS:
		if (plan_is_arrayish(a) && plan_is_arrayish(b))
			return plan_subset(f, a, b) && plan_subset(f, b, a);
		break;
	case SCHEMA_OBJECT:
		if (plan_is_objectish(a) && plan_is_objectish(b))
			return plan_members_equal(f->sub, f->nsub, a, b);
		break;
	case SCHEMA_MAP:
		if (plan_is_objectish(a) && plan_is_objectish(b))
			return plan_map_subset(a, b) && plan_map_subset(b, a);
		break;
	case SCHEMA_TIME:
		if (cJSON_IsString(a) && cJSON_IsString(b) &&
		    units_parse_time(a->valuestring, &s1, &n1) == 0 &&
		    units_parse_time(b->valuestring, &s2, &n2) == 0)
			return s1 == s2 && n1 == n2;
		break;
	default:
		break;
	}
	if (a == NULL || b == NULL)
		return false;
	return jint_equal(a, b);
}

/* v is the JSON value text (a string, number or bool). */
static bool
plan_json_is(const cJSON *v, const char *text)
{
	size_t	len;

	if (v == NULL || text == NULL)
		return false;
	len = strlen(text);
	if (cJSON_IsString(v))
		return len >= 2 && text[0] == '"' &&
		    strlen(v->valuestring) == len - 2 &&
		    strncmp(v->valuestring, text + 1, len - 2) == 0;
	if (cJSON_IsBool(v))
		return strcmp(text, cJSON_IsTrue(v) ? "true" : "false") == 0;
	if (cJSON_IsNumber(v))
		return text[0] != '"' && v->valuedouble == strtod(text, NULL);
	return false;
}

/* True when f changes in place on some server newer than version. */
static bool
plan_mutable_later(const struct schema_field *f, int version)
{
	size_t	i;

	for (i = 0; i < SCHEMA_NCHANGES && f->later[i].since != 0; i++)
		if (f->later[i].since > version &&
		    f->later[i].change != SCHEMA_IMMUTABLE)
			return true;
	return false;
}

/*
 * Why a change of the top-level field top from lcfg to wcfg cannot be made
 * in place, or NULL when it can: the field's change rule for the server's
 * version (schema.c), its reason and the server's own words.
 */
static const char *
plan_blocked(enum plan_object o, const struct schema_field *top,
    const cJSON *lcfg, const cJSON *wcfg, int version, char *buf,
    size_t len)
{
	const cJSON	*lv = reply_get(lcfg, top->key);
	const cJSON	*wv = reply_get(wcfg, top->key);
	const char	*k = top->key, *e;
	const char	*recreate = o == PLAN_STREAM ? plan_recreate_stream :
			    plan_recreate_consumer;
	char		 what[PLAN_REASON_MAX], server[PLAN_REASON_MAX] = "";
	char		 ver[32];
	bool		 lset, wset;

	switch (schema_change_at(top, version)) {
	case SCHEMA_MUTABLE:
		return NULL;
	case SCHEMA_KIND:
		lset = !plan_is_zero(lv);
		wset = !plan_is_zero(wv);
		if (lset == wset)
			return NULL;
		if (o == PLAN_CONSUMER)
			snprintf(what, sizeof(what), "nats-server cannot turn "
			    "a %s consumer into a %s consumer",
			    lset ? "push" : "pull", wset ? "push" : "pull");
		else
			snprintf(what, sizeof(what), "nats-server cannot %s "
			    "%s in place", lset ? "clear" : "set", k);
		break;
	case SCHEMA_ONEWAY:
		if (plan_is_zero(lv) || !plan_is_zero(wv))
			return NULL;
		if (top->why != NULL)
			snprintf(what, sizeof(what), "%s", top->why);
		else
			snprintf(what, sizeof(what), "nats-server cannot "
			    "cancel %s once it is set", k);
		break;
	case SCHEMA_EXCEPT:
		if (!plan_json_is(lv, top->except) &&
		    !plan_json_is(wv, top->except))
			return NULL;
		e = top->except != NULL ? top->except : "\"\"";
		snprintf(what, sizeof(what), "nats-server cannot change %s to "
		    "or from %.*s in place", k,
		    (int)(strlen(e) > 2 ? strlen(e) - 2 : 0), e + 1);
		break;
	case SCHEMA_IMMUTABLE:
	default:
		if (top->why != NULL)
			snprintf(what, sizeof(what), "%s", top->why);
		else if (plan_mutable_later(top, version))
			snprintf(what, sizeof(what), "nats-server %s cannot "
			    "change %s in place", schema_version_text(version,
			    true, ver, sizeof(ver)), k);
		else if (o == PLAN_CONSUMER)
			snprintf(what, sizeof(what), "nats-server cannot "
			    "change a consumer's %s in place", k);
		else
			snprintf(what, sizeof(what), "nats-server cannot "
			    "change %s in place", k);
		break;
	}
	if (top->server_text != NULL)
		snprintf(server, sizeof(server), " (server: %s)",
		    top->server_text);
	snprintf(buf, len, "%s%s; %s", what, server, recreate);
	return buf;
}

static void
plan_field_clear(struct plan_field *f)
{
	free(f->key);
	cJSON_Delete(f->live);
	cJSON_Delete(f->want);
	free(f->blocked);
	memset(f, 0, sizeof(*f));
}

void
plan_fields_free(struct plan_field *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		plan_field_clear(&f[i]);
	free(f);
}

int
plan_diff_add(struct plan_diff *df, const char *key, const cJSON *lv,
    const cJSON *wv, const char *blocked)
{
	struct plan_field	*f;
	size_t			 cap;

	if (df->n == df->cap) {
		cap = df->cap == 0 ? 8 : df->cap * 2;
		if ((f = realloc(df->f, cap * sizeof(*f))) == NULL)
			return -ENOMEM;
		df->f = f;
		df->cap = cap;
	}
	f = &df->f[df->n];
	memset(f, 0, sizeof(*f));
	if ((f->key = strdup(key)) == NULL ||
	    (lv != NULL && (f->live = cJSON_Duplicate(lv, true)) == NULL) ||
	    (wv != NULL && (f->want = cJSON_Duplicate(wv, true)) == NULL) ||
	    (blocked != NULL && (f->blocked = strdup(blocked)) == NULL)) {
		plan_field_clear(f);
		return -ENOMEM;
	}
	df->n++;
	if (blocked != NULL)
		df->blocked = true;
	return 0;
}

/* The keys that name the object rather than configure it. */
static bool
plan_is_identity(enum plan_object o, const char *key)
{
	if (o == PLAN_STREAM)
		return strcmp(key, "name") == 0;
	return strcmp(key, "durable_name") == 0 || strcmp(key, "name") == 0;
}

/*
 * Compare the members t[] of lv and wv; objects member by member with
 * dotted keys, so that a plan says "placement.cluster" rather than dumping
 * both placements.  top is the top-level field the members belong to
 * (NULL at the top), whose change rule applies to all of them.
 */
int
plan_diff_walk(struct plan_diff *df, enum plan_object o,
    const struct schema_field *t, size_t nt, const char *prefix,
    const struct schema_field *top, const cJSON *lv, const cJSON *wv,
    const cJSON *lcfg, const cJSON *wcfg, int version)
{
	const struct schema_field	*f, *tf;
	const cJSON			*a, *b;
	const char			*why;
	char				 key[PLAN_KEY_MAX];
	char				 reason[PLAN_REASON_MAX];
	size_t				 i;
	int				 r;

	for (i = 0; i < nt; i++) {
		f = &t[i];
		if (f->since > version)
			continue;
		if (prefix == NULL && plan_is_identity(o, f->key))
			continue;
		a = reply_get(lv, f->key);
		b = reply_get(wv, f->key);
		if (prefix != NULL)
			snprintf(key, sizeof(key), "%s.%s", prefix, f->key);
		else
			snprintf(key, sizeof(key), "%s", f->key);
		tf = top != NULL ? top : f;
		if (f->type == SCHEMA_OBJECT && plan_is_objectish(a) &&
		    plan_is_objectish(b)) {
			r = plan_diff_walk(df, o, f->sub, f->nsub, key, tf, a,
			    b, lcfg, wcfg, version);
			if (r < 0)
				return r;
			continue;
		}
		if (plan_equal(f, a, b))
			continue;
		why = plan_blocked(o, tf, lcfg, wcfg, version, reason,
		    sizeof(reason));
		if ((r = plan_diff_add(df, key, a, b, why)) < 0)
			return r;
	}
	return 0;
}

int
plan_drop_reserved(cJSON *config)
{
	cJSON	*md, *c, *next;

	md = cJSON_GetObjectItemCaseSensitive(config, "metadata");
	if (!cJSON_IsObject(md))
		return 0;
	for (c = md->child; c != NULL; c = next) {
		next = c->next;
		if (c->string != NULL && schema_is_reserved_metadata(c->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(md, c));
	}
	/* Nothing but the server's keys: the user declared no metadata. */
	if (md->child == NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(config, "metadata");
	return 0;
}

/* The value at path "a" or "a.b" of o, or NULL. */
static cJSON *
plan_path(cJSON *o, const char *path, const char **ret_leaf)
{
	const char	*dot = strchr(path, '.');
	char		 top[PLAN_KEY_MAX];

	*ret_leaf = path;
	if (dot == NULL)
		return o;
	if ((size_t)(dot - path) >= sizeof(top))
		return NULL;
	memcpy(top, path, (size_t)(dot - path));
	top[dot - path] = '\0';
	*ret_leaf = dot + 1;
	o = cJSON_GetObjectItemCaseSensitive(o, top);
	return cJSON_IsObject(o) && !plan_is_zero(o) ? o : NULL;
}

static bool
plan_cond(const cJSON *config, const struct schema_if *c)
{
	const cJSON	*v;

	if (c->key == NULL || c->cond == SCHEMA_IF_NONE)
		return true;
	v = reply_get(config, c->key);
	switch (c->cond) {
	case SCHEMA_IF_SET:
		return !plan_is_zero(v);
	case SCHEMA_IF_UNSET:
		return plan_is_zero(v);
	case SCHEMA_IF_EQ:
		return plan_json_is(v, c->value);
	case SCHEMA_IF_NE:
		return !plan_json_is(v, c->value);
	default:
		return true;
	}
}

/* JSON text to a value, whole numbers exact (jint). */
static cJSON *
plan_parse(const char *text)
{
	cJSON	*v = NULL;

	if (text == NULL || jint_parse(text, strlen(text), &v) < 0)
		return NULL;
	return v;
}

/* What rule r stores, or NULL (*ret_skip when there is nothing to). */
static cJSON *
plan_rule_value(const cJSON *config, const struct schema_rule *r,
    bool *ret_skip)
{
	const cJSON	*src = reply_get(config, r->when[0].key != NULL ?
			    r->when[0].key : "");
	cJSON		*v, *arr;

	*ret_skip = false;
	switch (r->set) {
	case SCHEMA_SET_FIRST:
		if (!cJSON_IsArray(src) || src->child == NULL) {
			*ret_skip = true;
			return NULL;
		}
		return cJSON_Duplicate(src->child, true);
	case SCHEMA_SET_MIN:
		if ((v = plan_parse(r->value)) == NULL)
			return NULL;
		if (cJSON_IsNumber(src) && src->valuedouble > 0 &&
		    src->valuedouble < v->valuedouble) {
			cJSON_Delete(v);
			return cJSON_Duplicate(src, true);
		}
		return v;
	case SCHEMA_SET_LIST:
		if (src == NULL) {
			*ret_skip = true;
			return NULL;
		}
		if ((arr = cJSON_CreateArray()) == NULL)
			return NULL;
		if ((v = cJSON_Duplicate(src, true)) == NULL ||
		    !cJSON_AddItemToArray(arr, v)) {
			cJSON_Delete(v);
			cJSON_Delete(arr);
			return NULL;
		}
		return arr;
	case SCHEMA_SET_DROP:
		*ret_skip = true;
		return NULL;
	case SCHEMA_SET_VALUE:
	default:
		return plan_parse(r->value);
	}
}

/*
 * The server's defaults (schema def) for zero top-level fields that no
 * rule fills, then the server's normalisations (schema rules) for this
 * version: for each key the first rule whose conditions hold decides.
 */
static int
plan_normalize(cJSON *config, const struct schema_field *t, size_t nt,
    const struct schema_rule *rules, size_t nr, int version)
{
	bool		 fired[PLAN_RULES_MAX] = { false };
	const char	*leaf;
	cJSON		*parent, *v;
	size_t		 i, j;
	bool		 skip;
	int		 r;

	if (!cJSON_IsObject(config))
		return -EINVAL;
	if (nr > PLAN_RULES_MAX)
		return -E2BIG;
	plan_drop_reserved(config);
	for (i = 0; i < nt; i++) {
		if (t[i].def == NULL || t[i].since > version ||
		    !plan_is_zero(reply_get(config, t[i].key)) ||
		    schema_rule_fills(rules, nr, t[i].key))
			continue;
		if ((r = plan_put(config, t[i].key, plan_parse(t[i].def))) < 0)
			return r;
	}
	for (i = 0; i < nr; i++) {
		if ((rules[i].since != 0 && version < rules[i].since) ||
		    (rules[i].until != 0 && version >= rules[i].until))
			continue;
		for (j = 0; j < i; j++)
			if (fired[j] && strcmp(rules[j].key, rules[i].key) == 0)
				break;
		if (j < i)
			continue;
		for (j = 0; j < SCHEMA_NCONDS; j++)
			if (!plan_cond(config, &rules[i].when[j]))
				break;
		if (j < SCHEMA_NCONDS)
			continue;
		fired[i] = true;
		if ((parent = plan_path(config, rules[i].key, &leaf)) == NULL)
			continue;
		if (rules[i].set == SCHEMA_SET_DROP) {
			cJSON_DeleteItemFromObjectCaseSensitive(parent, leaf);
			continue;
		}
		if (!rules[i].force && !plan_is_zero(reply_get(parent, leaf)))
			continue;
		v = plan_rule_value(config, &rules[i], &skip);
		if (skip)
			continue;
		if ((r = plan_put(parent, leaf, v)) < 0)
			return r;
	}
	return 0;
}

int
plan_normalize_stream(cJSON *config, int server_version)
{
	const struct schema_field	*t;
	const struct schema_rule	*rules;
	size_t				 nt, nr;

	t = schema_stream_fields(&nt);
	rules = schema_stream_rules(&nr);
	return plan_normalize(config, t, nt, rules, nr, server_version);
}

int
plan_normalize_consumer(cJSON *config, int server_version)
{
	const struct schema_field	*t;
	const struct schema_rule	*rules;
	size_t				 nt, nr;

	t = schema_consumer_fields(&nt);
	rules = schema_consumer_rules(&nr);
	return plan_normalize(config, t, nt, rules, nr, server_version);
}

static int
plan_desired(enum plan_object o, const cJSON *declared, int version,
    cJSON **ret)
{
	const struct schema_field	*t, *f;
	const struct schema_rule	*rules;
	const cJSON			*v;
	cJSON				*out, *item;
	size_t				 n, nr, i;
	int				 r;

	t = o == PLAN_STREAM ? schema_stream_fields(&n) :
	    schema_consumer_fields(&n);
	rules = o == PLAN_STREAM ? schema_stream_rules(&nr) :
	    schema_consumer_rules(&nr);
	if ((out = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		f = &t[i];
		if (f->since > version)
			continue;
		v = reply_get(declared, f->key);
		if (v == NULL && f->alias != NULL)
			v = reply_get(declared, f->alias);
		if (v != NULL)
			item = cJSON_Duplicate(v, true);
		else if (f->def != NULL && !schema_rule_fills(rules, nr,
		    f->key))
			item = plan_parse(f->def);
		else
			continue;
		if (item == NULL || !cJSON_AddItemToObject(out, f->key, item)) {
			cJSON_Delete(item);
			r = -ENOMEM;
			goto out;
		}
	}
	r = o == PLAN_STREAM ? plan_normalize_stream(out, version) :
	    plan_normalize_consumer(out, version);
	if (r < 0)
		goto out;
	*ret = out;
	out = NULL;
out:
	cJSON_Delete(out);
	return r;
}

int
plan_desired_stream(const cJSON *declared, int server_version, cJSON **ret)
{
	return plan_desired(PLAN_STREAM, declared, server_version, ret);
}

int
plan_desired_consumer(const cJSON *declared, int server_version,
    cJSON **ret)
{
	return plan_desired(PLAN_CONSUMER, declared, server_version, ret);
}

/*
 * Refuse declared fields the server is too old for, so that nothing is
 * sent that it would silently drop.  Members of objects are checked too;
 * their location falls back to the object's.
 */
int
plan_check_since(const struct schema_field *t, size_t nt,
    const cJSON *config, const char *prefix, const struct spec_keyloc *keys,
    size_t nkeys, struct spec_loc fallback, int version, struct diag *d)
{
	const struct schema_field	*f;
	const cJSON			*c, *e;
	struct spec_loc			 loc;
	char				 path[PLAN_KEY_MAX];
	char				 v1[32], v2[32];
	int				 r;

	cJSON_ArrayForEach(c, config) {
		if (c->string == NULL ||
		    (f = schema_find(t, nt, c->string)) == NULL)
			continue;
		if (prefix != NULL)
			snprintf(path, sizeof(path), "%s.%s", prefix, f->key);
		else
			snprintf(path, sizeof(path), "%s", f->key);
		loc = spec_key_loc(keys, nkeys, path, fallback);
		if (f->since > version)
			return diag_set_at(d, -ENOTSUP, loc.file, loc.line,
			    loc.col, "'%s' needs nats-server %s or newer; the "
			    "server runs %s", path,
			    schema_version_text(f->since, false, v1, sizeof(v1)),
			    schema_version_text(version, true, v2, sizeof(v2)));
		if (f->newer_value != NULL && f->newer_since > version &&
		    cJSON_IsString(c) &&
		    strcmp(c->valuestring, f->newer_value) == 0)
			return diag_set_at(d, -ENOTSUP, loc.file, loc.line,
			    loc.col, "'%s: %s' needs nats-server %s or newer; "
			    "the server runs %s", path, f->newer_value,
			    schema_version_text(f->newer_since, false, v1,
			    sizeof(v1)),
			    schema_version_text(version, true, v2, sizeof(v2)));
		if (f->type == SCHEMA_OBJECT && cJSON_IsObject(c) &&
		    (r = plan_check_since(f->sub, f->nsub, c, path, keys,
		    nkeys, loc, version, d)) < 0)
			return r;
		if (f->type != SCHEMA_OBJECTS || !cJSON_IsArray(c))
			continue;
		cJSON_ArrayForEach(e, c) {
			if ((r = plan_check_since(f->sub, f->nsub, e, path,
			    keys, nkeys, loc, version, d)) < 0)
				return r;
		}
	}
	return 0;
}
