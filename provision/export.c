/* SPDX-License-Identifier: MIT */
/*
 * export: write live streams and consumers as a spec document.
 *
 * Which keys to write is decided by the planner itself: starting from a
 * spec that holds only the names, export plans it against the same live
 * stream and adopts the live value of the first differing key (in schema
 * order, so that max_age comes before the duplicate_window it implies),
 * until the plan has nothing to change.  That way the document leaves out
 * every default, including the ones that depend on other fields, and
 * reading it back cannot show drift.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "jint.h"
#include "export.h"
#include "plan.h"
#include "reply.h"
#include "schema.h"
#include "units.h"

#ifndef SUITE_VERSION
#define SUITE_VERSION	"unknown"
#endif

/* Each round adopts at least one key per object; fields bound the count. */
#define EXPORT_MAX_ROUNDS	128
#define EXPORT_KEY_MAX		256

struct export_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

/*
 * One object being exported: the spec so far and a copy of the live
 * config without the server's own metadata keys (plan_drop_reserved).
 */
struct export_obj {
	cJSON		*spec;
	cJSON		*live;
	const char	*name;
};

static void	export_printf(struct export_buf *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
export_printf(struct export_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	size_t	 cap;
	int	 n;

	if (b->err != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = -EINVAL;
		return;
	}
	if (b->len + (size_t)n + 1 > b->cap) {
		cap = b->cap == 0 ? 4096 : b->cap;
		while (b->len + (size_t)n + 1 > cap)
			cap *= 2;
		if ((s = realloc(b->s, cap)) == NULL) {
			b->err = -ENOMEM;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * Strings are always double-quoted: subjects such as '>' or '*.x', and
 * values such as "no" or "1e3", mean something else to YAML when plain.
 */
static void
export_quote(struct export_buf *b, const char *s)
{
	const unsigned char	*p;

	export_printf(b, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			export_printf(b, "\\%c", *p);
		else if (*p == '\n')
			export_printf(b, "\\n");
		else if (*p == '\t')
			export_printf(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			export_printf(b, "\\x%02x", *p);
		else
			export_printf(b, "%c", *p);
	}
	export_printf(b, "\"");
}

/* A value YAML reads the same way: JSON is YAML's flow syntax. */
static void
export_json(struct export_buf *b, const cJSON *v)
{
	char	*s;

	if ((s = jint_print(v, false)) == NULL) {
		b->err = -ENOMEM;
		return;
	}
	export_printf(b, "%s", s);
	cJSON_free(s);
}

static void
export_scalar(struct export_buf *b, enum schema_type type, const cJSON *v)
{
	const struct schema_type_ops	*ops;
	char				 tmp[64];
	int64_t				 n;

	if (cJSON_IsString(v)) {
		export_quote(b, v->valuestring);
		return;
	}
	if (cJSON_IsBool(v)) {
		export_printf(b, "%s", cJSON_IsTrue(v) ? "true" : "false");
		return;
	}
	if (!cJSON_IsNumber(v)) {
		export_json(b, v);
		return;
	}
	/* jsapi let only whole numbers that fit int64_t through. */
	if (reply_value_int(v, "", INT64_MIN, INT64_MAX, "", NULL, &n) < 0) {
		b->err = -EBADMSG;
		return;
	}
	ops = schema_ops(type);
	if (ops->format != NULL && (n >= 0 || ops->format_negative))
		export_printf(b, "%s", ops->format(n, tmp, sizeof(tmp)));
	else
		export_printf(b, "%lld", (long long)n);
}

/* Start a mapping key; a list item's first key carries the dash. */
static void
export_key(struct export_buf *b, int indent, bool dash, const char *key)
{
	if (dash)
		export_printf(b, "%*s- %s:", indent - 2, "", key);
	else
		export_printf(b, "%*s%s:", indent, "", key);
}

static void	export_field(struct export_buf *b,
		    const struct schema_field *f, const cJSON *v, int indent,
		    bool dash);

/* The non-zero members of v, in schema order, at indent. */
static bool
export_members(struct export_buf *b, const struct schema_field *sub,
    size_t nsub, const cJSON *v, int indent, bool dash)
{
	const cJSON	*m;
	size_t		 i;
	bool		 any = false;

	for (i = 0; i < nsub; i++) {
		m = cJSON_GetObjectItemCaseSensitive(v, sub[i].key);
		if (plan_is_zero(m))
			continue;
		export_field(b, &sub[i], m, indent, dash && !any);
		any = true;
	}
	return any;
}

static void
export_field(struct export_buf *b, const struct schema_field *f,
    const cJSON *v, int indent, bool dash)
{
	const cJSON	*e;

	export_key(b, indent, dash, f->key);
	switch (f->type) {
	case SCHEMA_STRINGS:
	case SCHEMA_DURATIONS:
	case SCHEMA_OBJECTS:
		if (!cJSON_IsArray(v))
			break;
		if (v->child == NULL) {
			export_printf(b, " []\n");
			return;
		}
		export_printf(b, "\n");
		cJSON_ArrayForEach(e, v) {
			if (f->type != SCHEMA_OBJECTS) {
				export_printf(b, "%*s- ", indent + 2, "");
				export_scalar(b, f->type, e);
				export_printf(b, "\n");
			} else if (!export_members(b, f->sub, f->nsub, e,
			    indent + 4, true))
				export_printf(b, "%*s- {}\n", indent + 2, "");
		}
		return;
	case SCHEMA_OBJECT:
		if (!cJSON_IsObject(v))
			break;
		if (plan_is_zero(v)) {
			export_printf(b, " {}\n");
			return;
		}
		export_printf(b, "\n");
		export_members(b, f->sub, f->nsub, v, indent + 2, false);
		return;
	case SCHEMA_MAP:
		if (!cJSON_IsObject(v))
			break;
		if (v->child == NULL) {
			export_printf(b, " {}\n");
			return;
		}
		export_printf(b, "\n");
		cJSON_ArrayForEach(e, v) {
			export_printf(b, "%*s", indent + 2, "");
			export_quote(b, e->string);
			export_printf(b, ": ");
			export_scalar(b, SCHEMA_STRING, e);
			export_printf(b, "\n");
		}
		return;
	default:
		break;
	}
	export_printf(b, " ");
	export_scalar(b, f->type, v);
	export_printf(b, "\n");
}

/* The zero value of a field the server left out, by its type. */
static cJSON *
export_zero(const struct schema_field *f)
{
	const struct schema_type_ops	*ops = schema_ops(f->type);

	if (ops->list)
		return cJSON_CreateArray();
	if (ops->object)
		return cJSON_CreateObject();
	if (ops->number)
		return cJSON_CreateNumber(0);
	if (f->type == SCHEMA_BOOL)
		return cJSON_CreateFalse();
	return cJSON_CreateString("");
}

static int
export_set(cJSON *spec, const char *key, cJSON *v)
{
	if (v == NULL)
		return -ENOMEM;
	cJSON_DeleteItemFromObjectCaseSensitive(spec, key);
	if (!cJSON_AddItemToObject(spec, key, v)) {
		cJSON_Delete(v);
		return -ENOMEM;
	}
	return 0;
}

/* Drivers at most: the distinct keys the rules of one table read. */
#define EXPORT_DRIVERS_MAX	32

/* The top-level key of field j of a, or NULL when not in t. */
static const struct schema_field *
export_top(const struct plan_action *a, size_t j,
    const struct schema_field *t, size_t nt, char *top, size_t len)
{
	snprintf(top, len, "%s", a->fields[j].key);
	top[strcspn(top, ".")] = '\0';
	return schema_find(t, nt, top);
}

/*
 * Adopt the live value of field j of a into o when it is set on the server
 * and not yet in the spec (and, with only, when its key is only).
 * Returns 1 when adopted, 0 when not, or -ENOMEM.
 */
static int
export_try(struct export_obj *o, const struct plan_action *a, size_t j,
    const struct schema_field *t, size_t nt, const char *only)
{
	const cJSON	*lv, *have;
	char		 top[EXPORT_KEY_MAX];
	int		 r;

	if (export_top(a, j, t, nt, top, sizeof(top)) == NULL ||
	    (only != NULL && strcmp(top, only) != 0))
		return 0;
	lv = cJSON_GetObjectItemCaseSensitive(o->live, top);
	have = cJSON_GetObjectItemCaseSensitive(o->spec, top);
	if (plan_is_zero(lv) || (have != NULL &&
	    jint_equal(have, lv)))
		return 0;
	r = export_set(o->spec, top, cJSON_Duplicate(lv, true));
	return r < 0 ? r : 1;
}

/*
 * Adopt one differing field of a into o: a driver first, then any other
 * value set on the server, in schema order.  The drivers are the fields
 * whose value decides what the server stores in others (a push
 * consumer's ack_policy defaults to none, sealing implies deny_delete, a
 * mirror has no subjects): the keys the schema's normalisation rules
 * read, in rule order.  Adopting them first keeps what they imply out of
 * the document.  Only
 * then a field the server left out, as its zero value: those usually stop
 * differing once what they depend on is in.  Returns 1 when a key was
 * adopted, 0 when none could be, or -ENOMEM.
 */
static int
export_adopt(struct export_obj *o, const struct plan_action *a,
    const struct schema_field *t, size_t nt)
{
	const struct schema_field	*f;
	const struct schema_rule	*rules;
	const char			*drv[EXPORT_DRIVERS_MAX];
	char				 top[EXPORT_KEY_MAX];
	size_t				 j, d, nd, nr;
	int				 r;

	rules = a->object == PLAN_STREAM ? schema_stream_rules(&nr) :
	    schema_consumer_rules(&nr);
	nd = schema_rule_drivers(rules, nr, drv, EXPORT_DRIVERS_MAX);
	for (d = 0; d < nd; d++)
		for (j = 0; j < a->nfields; j++)
			if ((r = export_try(o, a, j, t, nt, drv[d])) != 0)
				return r;
	for (j = 0; j < a->nfields; j++)
		if ((r = export_try(o, a, j, t, nt, NULL)) != 0)
			return r;
	for (j = 0; j < a->nfields; j++) {
		if ((f = export_top(a, j, t, nt, top, sizeof(top))) == NULL ||
		    cJSON_GetObjectItemCaseSensitive(o->spec, top) != NULL)
			continue;
		r = export_set(o->spec, top, export_zero(f));
		return r < 0 ? r : 1;
	}
	return 0;
}

static int
export_name_cmp(const void *x, const void *y)
{
	const struct export_obj	*a = x, *b = y;

	return strcmp(a->name, b->name);
}

static const char *
export_info_name(const cJSON *info)
{
	const cJSON	*config, *name, *durable;

	name = cJSON_GetObjectItemCaseSensitive(info, "name");
	config = cJSON_GetObjectItemCaseSensitive(info, "config");
	durable = cJSON_GetObjectItemCaseSensitive(config, "durable_name");
	/* Ephemeral consumers belong to running clients, not to a spec. */
	if (!cJSON_IsString(name) || !cJSON_IsString(durable) ||
	    durable->valuestring[0] == '\0')
		return NULL;
	return name->valuestring;
}

struct export_stream {
	struct export_obj	 s;
	struct export_obj	*c;
	size_t			 nc;
	struct spec_stream	 st;
	struct spec_consumer	*sc;
};

static void
export_stream_clear(struct export_stream *x)
{
	size_t	i;

	cJSON_Delete(x->s.spec);
	cJSON_Delete(x->s.live);
	for (i = 0; i < x->nc; i++) {
		cJSON_Delete(x->c[i].spec);
		cJSON_Delete(x->c[i].live);
	}
	free(x->c);
	free(x->sc);
	memset(x, 0, sizeof(*x));
}

/* A copy of a live config without the server's metadata keys. */
static int
export_live(const cJSON *config, cJSON **ret)
{
	cJSON	*c;

	c = cJSON_IsObject(config) ? cJSON_Duplicate(config, true) :
	    cJSON_CreateObject();
	if (c == NULL)
		return -ENOMEM;
	plan_drop_reserved(c);
	*ret = c;
	return 0;
}

/* The starting point: names only, consumers sorted by name. */
static int
export_stream_init(struct export_stream *x, const struct live_stream *ls)
{
	const cJSON	*ci;
	const char	*name;
	size_t		 n, i;
	int		 r;

	memset(x, 0, sizeof(*x));
	x->s.name = ls->name;
	if ((r = export_live(cJSON_GetObjectItemCaseSensitive(ls->info,
	    "config"), &x->s.live)) < 0)
		return r;
	if ((x->s.spec = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(x->s.spec, "name", ls->name) == NULL)
		return -ENOMEM;
	n = (size_t)cJSON_GetArraySize(ls->consumers);
	if ((x->c = calloc(n == 0 ? 1 : n, sizeof(*x->c))) == NULL ||
	    (x->sc = calloc(n == 0 ? 1 : n, sizeof(*x->sc))) == NULL)
		return -ENOMEM;
	cJSON_ArrayForEach(ci, ls->consumers) {
		if ((name = export_info_name(ci)) == NULL)
			continue;
		x->c[x->nc].name = name;
		if ((r = export_live(cJSON_GetObjectItemCaseSensitive(ci,
		    "config"), &x->c[x->nc].live)) < 0)
			return r;
		if ((x->c[x->nc].spec = cJSON_CreateObject()) == NULL) {
			cJSON_Delete(x->c[x->nc].live);
			x->c[x->nc].live = NULL;
			return -ENOMEM;
		}
		x->nc++;
		if (cJSON_AddStringToObject(x->c[x->nc - 1].spec,
		    "durable_name", name) == NULL)
			return -ENOMEM;
	}
	qsort(x->c, x->nc, sizeof(*x->c), export_name_cmp);

	/* The planner only reads these; the casts do not let it write. */
	x->st.name = (char *)x->s.name;
	x->st.config = x->s.spec;
	x->st.consumers = x->sc;
	x->st.nconsumers = x->nc;
	for (i = 0; i < x->nc; i++) {
		x->sc[i].name = (char *)x->c[i].name;
		x->sc[i].config = x->c[i].spec;
	}
	return 0;
}

static struct export_obj *
export_target(struct export_stream *x, const struct plan_action *a)
{
	size_t	i;

	if (a->object == PLAN_STREAM)
		return &x->s;
	for (i = 0; i < x->nc; i++)
		if (strcmp(x->c[i].name, a->consumer) == 0)
			return &x->c[i];
	return NULL;
}

/* Adopt keys until planning the spec against ls changes nothing. */
static int
export_minimize(struct export_stream *x, const struct live *live,
    const struct live_stream *ls, struct diag *d)
{
	const struct plan_opts		 opts = { .prune = false };
	const struct schema_field	*t;
	const struct plan_action	*a;
	struct live_stream		 one = *ls;
	struct live			 l1 = { live->server_version, &one, 1,
	    live->cluster_size };
	struct spec_set			 set = { 0 };
	struct export_obj		*o;
	struct plan			*p = NULL;
	char				 q[EXPORT_KEY_MAX * 4 + 4];
	size_t				 i, nt;
	int				 round, r, adopted;

	set.streams = &x->st;
	set.nstreams = 1;
	for (round = 0; round < EXPORT_MAX_ROUNDS; round++) {
		if ((r = plan_build(&set, &l1, &opts, d, &p)) < 0)
			goto out;
		if (plan_is_empty(p)) {
			r = 0;
			goto out;
		}
		adopted = 0;
		for (i = 0; i < p->n; i++) {
			a = &p->actions[i];
			if (a->kind == PLAN_NOOP)
				continue;
			if ((o = export_target(x, a)) == NULL ||
			    a->kind == PLAN_CREATE || a->kind == PLAN_DELETE)
				continue;
			t = a->object == PLAN_STREAM ?
			    schema_stream_fields(&nt) :
			    schema_consumer_fields(&nt);
			if ((r = export_adopt(o, a, t, nt)) < 0)
				goto out;
			adopted += r;
		}
		plan_free(p);
		p = NULL;
		if (adopted == 0)
			break;
	}
	r = diag_set(d, -EPROTO, "stream '%s': its config cannot be written "
	    "as a spec that plans without changes", diag_quote(ls->name,
	    EXPORT_KEY_MAX, q, sizeof(q)));
out:
	plan_free(p);
	return r;
}

static void
export_object(struct export_buf *b, const struct schema_field *t, size_t nt,
    const cJSON *spec, int version, int indent)
{
	const cJSON	*v;
	size_t		 i;
	bool		 first = true;

	for (i = 0; i < nt; i++) {
		if (t[i].since > version ||
		    (v = cJSON_GetObjectItemCaseSensitive(spec,
		    t[i].key)) == NULL)
			continue;
		export_field(b, &t[i], v, indent, first);
		first = false;
	}
}

static int
export_stream(struct export_buf *b, const struct live *live,
    const struct live_stream *ls, struct diag *d)
{
	const struct schema_field	*st, *ct;
	struct export_stream		 x;
	size_t				 nst, nct, i;
	int				 r;

	st = schema_stream_fields(&nst);
	ct = schema_consumer_fields(&nct);
	if ((r = export_stream_init(&x, ls)) < 0 ||
	    (r = export_minimize(&x, live, ls, d)) < 0)
		goto out;
	export_object(b, st, nst, x.s.spec, live->server_version, 4);
	if (x.nc > 0)
		export_printf(b, "    consumers:\n");
	for (i = 0; i < x.nc; i++)
		export_object(b, ct, nct, x.c[i].spec, live->server_version,
		    8);
	r = 0;
out:
	export_stream_clear(&x);
	if (r == -ENOMEM)
		diag_set(d, r, "out of memory");
	return r;
}

/* True when ls has a durable consumer (export_info_name). */
static bool
export_has_durable(const struct live_stream *ls)
{
	const cJSON	*ci;

	cJSON_ArrayForEach(ci, ls->consumers)
		if (export_info_name(ci) != NULL)
			return true;
	return false;
}

/*
 * The bucket keys of ls when it is a bucket's stream exactly as the
 * clients make it: the keys are proved by planning the stream they give
 * against ls, which must change nothing.  *ret is NULL when ls is to be
 * written as a stream (another shape, or durable consumers to keep).
 * Returns 0 or -ENOMEM.
 */
static int
export_bucket(const struct live *live, const struct live_stream *ls,
    struct diag *d, cJSON **ret)
{
	const struct plan_opts	 opts = { .prune = false };
	struct live_stream	 one = *ls;
	struct live		 l1 = { live->server_version, &one, 1,
	    live->cluster_size };
	struct spec_stream	 st = { 0 };
	struct spec_set		 set = { 0 };
	struct plan		*p = NULL;
	struct diag		 ignore = { 0 };
	cJSON			*cfg = NULL, *live_cfg = NULL;
	int			 r;

	*ret = NULL;
	(void)d;
	st.kind = bucket_kind_of(ls->name);
	if (st.kind == SPEC_STREAM || export_has_durable(ls))
		return 0;
	if ((r = export_live(cJSON_GetObjectItemCaseSensitive(ls->info,
	    "config"), &live_cfg)) < 0)
		goto out;
	if ((r = bucket_from_stream(st.kind, live_cfg, &cfg)) < 0) {
		r = r == -ENOMEM ? r : 0;
		goto out;
	}
	if ((r = bucket_stream_config(st.kind, cfg, &st.config)) < 0)
		goto out;
	st.name = (char *)ls->name;
	set.streams = &st;
	set.nstreams = 1;
	if ((r = plan_build(&set, &l1, &opts, &ignore, &p)) < 0) {
		r = r == -ENOMEM ? r : 0;
		goto out;
	}
	if (plan_is_empty(p)) {
		*ret = cfg;
		cfg = NULL;
	}
	r = 0;
out:
	plan_free(p);
	cJSON_Delete(st.config);
	cJSON_Delete(cfg);
	cJSON_Delete(live_cfg);
	return r;
}

/* Write the buckets of kind in bk (NULL entries are streams). */
static void
export_buckets(struct export_buf *b, const struct live *live,
    cJSON **bk, const struct live_stream **ls, size_t n, enum spec_kind kind)
{
	const struct schema_field	*t;
	size_t				 nt, i;
	bool				 first = true;

	t = bucket_fields(kind, &nt);
	for (i = 0; i < n; i++) {
		if (bk[i] == NULL || bucket_kind_of(ls[i]->name) != kind)
			continue;
		if (first)
			export_printf(b, "%s:\n", kind == SPEC_KV ? "kv" :
			    "object_stores");
		first = false;
		export_object(b, t, nt, bk[i], live->server_version, 4);
	}
}

static bool
export_seen(char *const *names, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++)
		if (strcmp(names[j], names[i]) == 0)
			return true;
	return false;
}

int
export_yaml(const struct live *live, char *const *names, size_t nnames,
    struct diag *d, char **ret_yaml)
{
	struct export_buf		 b = { 0 };
	const struct live_stream	**lss = NULL;
	cJSON				**bk = NULL;
	size_t				 i, n, nplain = 0;
	int				 r, v = live->server_version;

	for (i = 0; i < nnames; i++)
		if (live_find(live, names[i]) == NULL)
			return diag_set(d, -ENOENT, "stream '%s' does not "
			    "exist on the server", names[i]);
	n = nnames > 0 ? nnames : live->nstreams;
	if ((bk = calloc(n + 1, sizeof(*bk))) == NULL ||
	    (lss = calloc(n + 1, sizeof(*lss))) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (nnames > 0 && export_seen(names, i))
			continue;
		lss[i] = nnames > 0 ? live_find(live, names[i]) :
		    &live->streams[i];
		if ((r = export_bucket(live, lss[i], d, &bk[i])) < 0) {
			diag_set(d, r, "out of memory");
			goto out;
		}
		if (bk[i] == NULL)
			nplain++;
	}
	export_printf(&b, "# Written by nats-provision %s export from "
	    "nats-server %d.%d.%d.\n", SUITE_VERSION, v / 10000,
	    v / 100 % 100, v % 100);
	export_printf(&b, "# Keys equal to the server's defaults are left "
	    "out.\n");
	export_printf(&b, "streams:%s\n", nplain == 0 ? " []" : "");
	for (i = 0; i < n; i++) {
		if (lss[i] == NULL || bk[i] != NULL)
			continue;
		if ((r = export_stream(&b, live, lss[i], d)) < 0)
			goto out;
		if (b.err != 0)
			break;
	}
	export_buckets(&b, live, bk, lss, n, SPEC_KV);
	export_buckets(&b, live, bk, lss, n, SPEC_OBJ);
	if ((r = b.err) < 0) {
		diag_set(d, r, r == -EBADMSG ? "a live number is not a whole "
		    "number that fits 64 bits" : "out of memory");
		goto out;
	}
	*ret_yaml = b.s;
	b.s = NULL;
	r = 0;
out:
	for (i = 0; bk != NULL && i < n; i++)
		cJSON_Delete(bk[i]);
	free(bk);
	free(lss);
	free(b.s);
	return r;
}
