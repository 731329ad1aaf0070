/* SPDX-License-Identifier: MIT */
/*
 * validate: offline checks of a loaded spec set, by the rules nats-server
 * 2.9.10 applies when a stream or consumer is created.
 *
 * spec.c has checked every value on its own (type, unit, range); the
 * rules here span fields, consumers and streams.  Each one was checked
 * against a single 2.9.10 server, except consumer replicas above the
 * stream's (10126), which only a cluster shows.  Where the server's
 * wording helps an operator search for it, the message quotes it.  A few
 * rules are stricter than the server, and say so in a comment: they refuse
 * configs the server takes but that cannot do what the operator meant.
 *
 * Every problem is reported, each at the key that causes it (or at the
 * stream or consumer item when the key was not written).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "subtree.h"
#include "units.h"
#include "jint.h"
#include "reply.h"
#include "schema.h"
#include "validate.h"

#define NAME_MAX_BYTES	255
#define DESC_MAX_BYTES	4096
#define REPLICAS_MAX	5
#define MSEC		INT64_C(1000000)
#define MIN_AGE		(100 * MSEC)	/* max_age, duplicate_window */
#define MIN_HEARTBEAT	(100 * MSEC)
#define MIN_EXPIRES	(1 * MSEC)

/* Streams whose subjects overlap the JetStream API are refused. */
#define JS_API_SUBJECTS	"$JS.API.>"

struct vctx {
	struct diag_list	*diags;
	int			 code;		/* 0, -EINVAL or -ENOMEM */
};

/* The subjects a stream captures: declared, or the name by default. */
struct vsubjects {
	const char	**v;
	size_t		  n;
	bool		  defaulted;
	bool		  dup;		/* an earlier stream has the name */
};

/* Hostile names must not garble the output: see diag_quote(). */
static const char *
validate_quote(const char *s, char *buf, size_t len)
{
	return diag_quote(s, DIAG_QUOTE_MAX, buf, len);
}

static void __attribute__((format(printf, 4, 0)))
validate_vadd(struct vctx *v, struct spec_loc loc, const char *prefix,
    const char *fmt, va_list ap)
{
	char	msg[DIAG_MSG_MAX];
	size_t	n;

	n = strlen(prefix);
	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	memcpy(msg, prefix, n);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	if (diag_list_addf(v->diags, -EINVAL, loc.file, loc.line, loc.col,
	    "%s", msg) == -ENOMEM)
		v->code = -ENOMEM;
	else if (v->code == 0)
		v->code = -EINVAL;
}

/* A problem of stream st, at key (a dotted path) or at the stream. */
static void __attribute__((format(printf, 4, 5)))
validate_stream_err(struct vctx *v, const struct spec_stream *st,
    const char *key, const char *fmt, ...)
{
	char		prefix[DIAG_MSG_MAX], q[DIAG_QUOTE_LEN];
	struct spec_loc	loc;
	va_list		ap;

	loc = spec_key_loc(st->keys, st->nkeys, key, st->loc);
	snprintf(prefix, sizeof(prefix), "stream '%s': ",
	    validate_quote(st->name, q, sizeof(q)));
	va_start(ap, fmt);
	validate_vadd(v, loc, prefix, fmt, ap);
	va_end(ap);
}

/* A problem of consumer ci of st, at key or at the consumer. */
static void __attribute__((format(printf, 5, 6)))
validate_consumer_err(struct vctx *v, const struct spec_stream *st,
    size_t ci, const char *key, const char *fmt, ...)
{
	const struct spec_consumer	*c = &st->consumers[ci];
	char				 prefix[DIAG_MSG_MAX];
	char				 q1[DIAG_QUOTE_LEN];
	char				 q2[DIAG_QUOTE_LEN];
	struct spec_loc			 loc;
	va_list				 ap;

	loc = spec_key_loc(c->keys, c->nkeys, key, c->loc);
	snprintf(prefix, sizeof(prefix), "stream '%s': consumers[%zu] '%s': ",
	    validate_quote(st->name, q1, sizeof(q1)), ci,
	    validate_quote(c->name, q2, sizeof(q2)));
	va_start(ap, fmt);
	validate_vadd(v, loc, prefix, fmt, ap);
	va_end(ap);
}

/* A non-empty string member, or NULL. */
static const char *
validate_nonempty(const cJSON *o, const char *k)
{
	const char	*s = reply_str(o, k, NULL);

	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Not set: absent, null, false, 0, "", [] or {}. */
static bool
validate_is_zero(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return true;
	if (cJSON_IsNumber(v))
		return v->valuedouble == 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] == '\0';
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child == NULL;
	return false;
}

static bool
validate_is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

static const char *
validate_dur(int64_t ns, char *buf, size_t len)
{
	return units_format_duration(ns, buf, len);
}

/* Why name is not a valid stream or consumer name, or NULL. */
static const char *
validate_name_problem(const char *name)
{
	const unsigned char	*p;

	if (name == NULL || name[0] == '\0')
		return "is empty";
	if (strlen(name) > NAME_MAX_BYTES)
		return "is longer than 255 bytes";
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v')
			return "contains whitespace";
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
		if (*p == '.')
			return "contains '.'";
		if (*p == '*')
			return "contains '*'";
		if (*p == '>')
			return "contains '>'";
		if (*p == '/' || *p == '\\')
			return "contains a path separator ('/' or '\\')";
	}
	return NULL;
}

bool
validate_name(const char *name)
{
	return validate_name_problem(name) == NULL;
}

/*
 * Split off the next '.'-separated token of *p: *ret_tok and *ret_len
 * receive it and *p moves past it.  Returns false at the end.
 */
static bool
validate_token(const char **p, const char **ret_tok, size_t *ret_len)
{
	const char	*s = *p, *e;

	if (s == NULL)
		return false;
	e = strchr(s, '.');
	*ret_tok = s;
	if (e == NULL) {
		*ret_len = strlen(s);
		*p = NULL;
	} else {
		*ret_len = (size_t)(e - s);
		*p = e + 1;
	}
	return true;
}

static bool
validate_tok_is(const char *tok, size_t len, char c)
{
	return len == 1 && tok[0] == c;
}

/* Why s is not a valid subject (filter, with wildcards), or NULL. */
static const char *
validate_subject_problem(const char *s, bool wildcards)
{
	const unsigned char	*c;
	const char		*p = s, *tok;
	size_t			 len, i;

	if (s == NULL || s[0] == '\0')
		return "is empty";
	for (c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r' ||
		    *c == '\f' || *c == '\v')
			return "contains whitespace";
		if (*c < 0x20 || *c == 0x7f)
			return "contains a control character";
		if (!wildcards && (*c == '*' || *c == '>'))
			return "must not contain wildcards ('*' or '>')";
	}
	while (validate_token(&p, &tok, &len)) {
		if (len == 0)
			return "has an empty token (a leading, trailing or "
			    "double '.')";
		if (validate_tok_is(tok, len, '>')) {
			if (p != NULL)
				return "'>' must be the last token";
			continue;
		}
		if (validate_tok_is(tok, len, '*'))
			continue;
		/*
		 * Stricter than the server, which stores "a*" as a literal:
		 * clients read such a token as a wildcard typo.
		 */
		for (i = 0; i < len; i++)
			if (tok[i] == '*' || tok[i] == '>')
				return "'*' and '>' must be whole tokens";
	}
	return NULL;
}

bool
validate_subject(const char *subject, bool wildcards)
{
	return validate_subject_problem(subject, wildcards) == NULL;
}

bool
validate_subjects_overlap(const char *a, const char *b)
{
	const char	*pa = a, *pb = b, *ta, *tb;
	size_t		 la, lb;
	bool		 ha, hb;

	if (a == NULL || b == NULL)
		return false;
	for (;;) {
		ha = validate_token(&pa, &ta, &la);
		hb = validate_token(&pb, &tb, &lb);
		if (!ha || !hb)
			return ha == hb;
		if (validate_tok_is(ta, la, '>') || validate_tok_is(tb, lb, '>'))
			return true;
		if (validate_tok_is(ta, la, '*') || validate_tok_is(tb, lb, '*'))
			continue;
		if (la != lb || memcmp(ta, tb, la) != 0)
			return false;
	}
}

/* True when every subject that a matches is matched by b too. */
static bool
validate_subject_subset(const char *a, const char *b)
{
	const char	*pa = a, *pb = b, *ta, *tb;
	size_t		 la, lb;
	bool		 ha, hb;

	for (;;) {
		ha = validate_token(&pa, &ta, &la);
		hb = validate_token(&pb, &tb, &lb);
		if (!ha || !hb)
			return ha == hb;
		if (validate_tok_is(tb, lb, '>'))
			return true;
		if (validate_tok_is(ta, la, '>'))
			return false;
		if (validate_tok_is(tb, lb, '*'))
			continue;
		if (validate_tok_is(ta, la, '*'))
			return false;
		if (la != lb || memcmp(ta, tb, la) != 0)
			return false;
	}
}

/*
 * The server's test for a consumer filter or a republish source: it must
 * lie within one of the stream's subjects, or contain one of them (2.9.10
 * takes '>' on a stream of 'orders.>').  A filter that only partly
 * overlaps is refused.
 */
static bool
validate_within(const char *f, const struct vsubjects *vs)
{
	size_t	i;

	for (i = 0; i < vs->n; i++)
		if (validate_subject_subset(f, vs->v[i]) ||
		    validate_subject_subset(vs->v[i], f))
			return true;
	return false;
}

static bool
validate_overlaps_any(const char *s, const struct vsubjects *vs)
{
	size_t	i;

	for (i = 0; i < vs->n; i++)
		if (validate_subjects_overlap(s, vs->v[i]))
			return true;
	return false;
}

/* True when key was written in the spec (whether or not it loaded). */
static bool
validate_written(const struct spec_stream *st, const char *key)
{
	struct spec_loc	none = { NULL, -1, -1 };

	return spec_key_loc(st->keys, st->nkeys, key, none).line != -1;
}

/* Collect the subjects stream st captures into *vs (valid ones only). */
static int
validate_collect(const struct spec_stream *st, struct vsubjects *vs)
{
	const cJSON	*subs, *it;
	size_t		 n = 0;

	memset(vs, 0, sizeof(*vs));
	subs = reply_get(st->config, "subjects");
	if (subs == NULL && validate_written(st, "subjects"))
		return 0;	/* written wrong: the loader said why */
	if (cJSON_GetArraySize(subs) == 0) {
		/* the server captures the name, unless mirror or sources */
		if (reply_get(st->config, "mirror") != NULL ||
		    reply_get(st->config, "sources") != NULL ||
		    !validate_subject(st->name, true))
			return 0;
		if ((vs->v = malloc(sizeof(*vs->v))) == NULL)
			return -ENOMEM;
		vs->v[0] = st->name;
		vs->n = 1;
		vs->defaulted = true;
		return 0;
	}
	if ((vs->v = calloc((size_t)cJSON_GetArraySize(subs),
	    sizeof(*vs->v))) == NULL)
		return -ENOMEM;
	cJSON_ArrayForEach(it, subs)
		if (cJSON_IsString(it) && validate_subject(it->valuestring,
		    true))
			vs->v[n++] = it->valuestring;
	vs->n = n;
	return 0;
}

/* Name rules; true when an earlier stream has the same name. */
static bool
validate_stream_names(struct vctx *v, const struct spec_set *set, size_t i,
    size_t first)
{
	const struct spec_stream	*st = &set->streams[i], *o;
	const char			*why;
	char				 q[DIAG_QUOTE_LEN];

	if (st->name == NULL)
		return false;	/* the loader said why */
	if ((why = validate_name_problem(st->name)) != NULL) {
		validate_stream_err(v, st, "name", "name: '%s' is not a valid "
		    "stream name: %s", validate_quote(st->name, q, sizeof(q)),
		    why);
		return false;
	}
	if (first == i)
		return false;
	o = &set->streams[first];
	validate_stream_err(v, st, "name", "name: the stream is "
	    "declared twice (also declared at %s:%d)",
	    o->loc.file != NULL ? o->loc.file : "?", o->loc.line);
	return true;
}

struct vname {
	const char	*name;
	size_t		 i;
};

static int
validate_name_cmp(const void *x, const void *y)
{
	const struct vname	*p = x, *q = y;
	int			 c;

	c = strcmp(p->name, q->name);
	if (c != 0)
		return c;
	return p->i < q->i ? -1 : p->i > q->i;
}

/*
 * first[i]: the first stream declared with the name of stream i (i itself
 * when none before it), by sorting instead of comparing every pair.
 */
static int
validate_first_names(const struct spec_set *set, size_t **ret_first)
{
	struct vname	*order = NULL;
	size_t		*first = NULL, k, lead = 0;
	int		 r = -ENOMEM;

	if ((order = calloc(set->nstreams, sizeof(*order))) == NULL ||
	    (first = calloc(set->nstreams, sizeof(*first))) == NULL)
		goto out;
	for (k = 0; k < set->nstreams; k++) {
		order[k].name = set->streams[k].name != NULL ?
		    set->streams[k].name : "";
		order[k].i = k;
	}
	qsort(order, set->nstreams, sizeof(*order), validate_name_cmp);
	for (k = 0; k < set->nstreams; k++) {
		if (k == 0 || strcmp(order[k].name, order[lead].name) != 0)
			lead = k;
		first[order[k].i] = order[lead].i;
	}
	*ret_first = first;
	first = NULL;
	r = 0;
out:
	free(order);
	free(first);
	return r;
}

static void
validate_stream_subjects(struct vctx *v, const struct spec_stream *st)
{
	const cJSON	*subs, *a, *b;
	const char	*why;
	char		 q1[DIAG_QUOTE_LEN], q2[DIAG_QUOTE_LEN];
	size_t		 i, j;

	subs = reply_get(st->config, "subjects");
	if (cJSON_GetArraySize(subs) > 0 &&
	    reply_get(st->config, "mirror") != NULL)
		validate_stream_err(v, st, "subjects", "subjects: a mirror "
		    "stream cannot have subjects; it stores what it mirrors "
		    "(server: stream mirrors can not contain subjects)");
	i = 0;
	cJSON_ArrayForEach(a, subs) {
		if (!cJSON_IsString(a)) {
			i++;
			continue;
		}
		if ((why = validate_subject_problem(a->valuestring, true)) !=
		    NULL)
			validate_stream_err(v, st, "subjects", "subjects[%zu]: "
			    "'%s' is not a valid subject: %s", i,
			    validate_quote(a->valuestring, q1, sizeof(q1)),
			    why);
		else if (validate_subject_subset(a->valuestring,
		    JS_API_SUBJECTS))
			validate_stream_err(v, st, "subjects", "subjects[%zu]: "
			    "'%s' overlaps the JetStream API (%s)", i,
			    validate_quote(a->valuestring, q1, sizeof(q1)),
			    JS_API_SUBJECTS);
		else {
			j = 0;
			cJSON_ArrayForEach(b, subs) {
				if (b == a)
					break;
				if (cJSON_IsString(b) &&
				    validate_subject(b->valuestring, true) &&
				    validate_subjects_overlap(a->valuestring,
				    b->valuestring)) {
					validate_stream_err(v, st, "subjects",
					    "subjects[%zu]: '%s' %s "
					    "subjects[%zu] '%s'", i,
					    validate_quote(a->valuestring, q1,
					    sizeof(q1)),
					    strcmp(a->valuestring,
					    b->valuestring) == 0 ?
					    "repeats" : "overlaps",
					    j, validate_quote(b->valuestring,
					    q2, sizeof(q2)));
					break;
				}
				j++;
			}
		}
		i++;
	}
}

/*
 * Stricter than 2.9.10, which takes any text as a mirror or source
 * filter: a filter that is not a subject matches nothing, silently.
 */
static void
validate_origin_filter(struct vctx *v, const struct spec_stream *st,
    const cJSON *origin, const char *key, const char *what)
{
	const char	*f, *why;
	char		 q[DIAG_QUOTE_LEN];

	if ((f = validate_nonempty(origin, "filter_subject")) == NULL ||
	    (why = validate_subject_problem(f, true)) == NULL)
		return;
	validate_stream_err(v, st, key, "%s: '%s' is not a valid subject: %s",
	    what, validate_quote(f, q, sizeof(q)), why);
}

/* mirror and sources: names, filters, the server's cycle and mix rules. */
static void
validate_stream_origins(struct vctx *v, const struct spec_stream *st)
{
	const cJSON	*mirror, *sources, *it;
	const char	*name, *why;
	char		 key[64], what[64], q[DIAG_QUOTE_LEN];
	size_t		 i = 0;

	mirror = reply_get(st->config, "mirror");
	sources = reply_get(st->config, "sources");
	if (mirror != NULL && cJSON_GetArraySize(sources) > 0)
		validate_stream_err(v, st, "sources", "sources: a mirror "
		    "stream cannot also have sources (server: stream mirrors "
		    "can not also contain other sources)");
	if (mirror != NULL) {
		name = reply_str(mirror, "name", NULL);
		if ((why = validate_name_problem(name)) != NULL)
			validate_stream_err(v, st, "mirror.name", "mirror.name: "
			    "'%s' is not a valid stream name: %s",
			    validate_quote(name, q, sizeof(q)), why);
		else if (validate_is(st->name, name))
			validate_stream_err(v, st, "mirror.name", "mirror.name: "
			    "a stream cannot mirror itself (server: detected "
			    "cycle)");
		validate_origin_filter(v, st, mirror, "mirror.filter_subject",
		    "mirror.filter_subject");
	}
	cJSON_ArrayForEach(it, sources) {
		snprintf(key, sizeof(key), "sources.%zu.name", i);
		name = reply_str(it, "name", NULL);
		if ((why = validate_name_problem(name)) != NULL)
			validate_stream_err(v, st, key, "sources[%zu].name: "
			    "'%s' is not a valid stream name: %s", i,
			    validate_quote(name, q, sizeof(q)), why);
		else if (validate_is(st->name, name))
			validate_stream_err(v, st, key, "sources[%zu].name: "
			    "a stream cannot source itself (server: detected "
			    "cycle)", i);
		snprintf(key, sizeof(key), "sources.%zu.filter_subject", i);
		snprintf(what, sizeof(what), "sources[%zu].filter_subject", i);
		validate_origin_filter(v, st, it, key, what);
		i++;
	}
	if (cJSON_IsTrue(reply_get(st->config, "mirror_direct")) && mirror
	    == NULL)
		validate_stream_err(v, st, "mirror_direct", "mirror_direct: "
		    "needs a mirror (server: stream has no mirror but does "
		    "have mirror direct)");
}

/*
 * Settings nats-server refuses together (checkStreamCfg): key is set and
 * other is set, or equals is (a JSON string's text) when is is given.
 */
struct validate_clash {
	const char	*key;
	const char	*other;
	const char	*is;
	const char	*server;	/* the server's words, or NULL */
};

static const struct validate_clash validate_clashes[] = {
	{ "allow_msg_counter", "discard", "new",
	  "counter stream cannot use discard new" },
	{ "allow_msg_counter", "allow_msg_ttl", NULL,
	  "counter stream cannot use message TTLs" },
	{ "allow_msg_counter", "allow_msg_schedules", NULL,
	  "counter stream cannot use message schedules" },
	{ "allow_msg_counter", "retention", "interest",
	  "counter stream can only use limits retention" },
	{ "allow_msg_counter", "retention", "workqueue",
	  "counter stream can only use limits retention" },
	{ "allow_msg_counter", "mirror", NULL, NULL },
	{ "allow_atomic", "mirror", NULL, NULL },
	{ "allow_batched", "mirror", NULL, NULL },
	{ "allow_msg_schedules", "mirror", NULL, NULL },
	{ "allow_msg_schedules", "discard", "new",
	  "message scheduling cannot use discard new" },
	{ "allow_msg_schedules", "deny_purge", NULL,
	  "roll-ups require the purge permission" },
	{ "subject_delete_marker_ttl", "mirror", NULL,
	  "subject delete markers forbidden on mirrors" },
	{ "subject_delete_marker_ttl", "deny_purge", NULL,
	  "roll-ups require the purge permission" },
	{ "persist_mode", "storage", "memory",
	  "async persist mode is only supported on file storage" },
	{ "persist_mode", "allow_atomic", NULL,
	  "async persist mode is not supported with atomic batch publish" },
};

/* The 2.11 and 2.12 stream features: their ranges and what clashes. */
static void
validate_stream_features(struct vctx *v, const struct spec_stream *st)
{
	const struct validate_clash	*c;
	const cJSON			*cfg = st->config, *o;
	char				 b1[32], server[160];
	int64_t				 n;
	size_t				 i;

	n = reply_int_or(cfg, "subject_delete_marker_ttl", 0);
	if (n > 0 && n < 1000000000)
		validate_stream_err(v, st, "subject_delete_marker_ttl",
		    "subject_delete_marker_ttl: must be at least 1s (got %s; "
		    "server: subject delete marker TTL must be at least 1 "
		    "second)", validate_dur(n, b1, sizeof(b1)));
	for (i = 0; i < sizeof(validate_clashes) /
	    sizeof(validate_clashes[0]); i++) {
		c = &validate_clashes[i];
		if (validate_is_zero(reply_get(cfg, c->key)) ||
		    (strcmp(c->key, "persist_mode") == 0 &&
		    !validate_is(reply_str(cfg, c->key, NULL), "async")))
			continue;
		o = reply_get(cfg, c->other);
		if (c->is != NULL ? !validate_is(reply_str(cfg, c->other, NULL),
		    c->is) : validate_is_zero(o))
			continue;
		server[0] = '\0';
		if (c->server != NULL)
			snprintf(server, sizeof(server), " (server: %s)",
			    c->server);
		validate_stream_err(v, st, c->key, "%s: cannot be combined "
		    "with %s%s%s%s", c->key, c->other, c->is != NULL ? ": " :
		    "", c->is != NULL ? c->is : "", server);
	}
}

/* Stream limits and flags that depend on each other. */
static void
validate_stream_limits(struct vctx *v, const struct spec_stream *st)
{
	const cJSON	*cfg = st->config;
	const char	*desc;
	char		 b1[32], b2[32];
	int64_t		 age, dup, n;

	age = reply_int_or(cfg, "max_age", 0);
	if (age < 0)
		validate_stream_err(v, st, "max_age", "max_age: must not be "
		    "negative");
	else if (age > 0 && age < MIN_AGE)
		validate_stream_err(v, st, "max_age", "max_age: must be at "
		    "least 100ms or unlimited (got %s)",
		    validate_dur(age, b1, sizeof(b1)));
	if ((jint_get(reply_get(cfg, "duplicate_window"), &dup) == 0)) {
		if (dup < 0)
			validate_stream_err(v, st, "duplicate_window",
			    "duplicate_window: must not be negative");
		else if (dup > 0 && dup < MIN_AGE)
			validate_stream_err(v, st, "duplicate_window",
			    "duplicate_window: must be at least 100ms (got "
			    "%s)", validate_dur(dup, b1, sizeof(b1)));
		/* undeclared, the server takes min(2m, max_age): fine */
		else if (age >= MIN_AGE && dup > age)
			validate_stream_err(v, st, "duplicate_window",
			    "duplicate_window: %s is longer than max_age %s "
			    "(server: duplicates window can not be larger "
			    "then max age)", validate_dur(dup, b1, sizeof(b1)),
			    validate_dur(age, b2, sizeof(b2)));
	}
	if ((jint_get(reply_get(cfg, "num_replicas"), &n) == 0) &&
	    (n < 0 || n > REPLICAS_MAX))
		validate_stream_err(v, st, "num_replicas", "num_replicas: "
		    "must be 1 to 5 (got %jd)", (intmax_t)n);
	if (cJSON_IsTrue(reply_get(cfg, "discard_new_per_subject"))) {
		if (!validate_is(reply_str(cfg, "discard", NULL), "new"))
			validate_stream_err(v, st, "discard_new_per_subject",
			    "discard_new_per_subject: needs discard: new");
		if (reply_int_or(cfg, "max_msgs_per_subject", -1) <= 0)
			validate_stream_err(v, st, "discard_new_per_subject",
			    "discard_new_per_subject: needs "
			    "max_msgs_per_subject greater than 0");
	}
	if (cJSON_IsTrue(reply_get(cfg, "allow_rollup_hdrs")) &&
	    cJSON_IsTrue(reply_get(cfg, "deny_purge")))
		validate_stream_err(v, st, "allow_rollup_hdrs",
		    "allow_rollup_hdrs: roll-ups purge, so they cannot be "
		    "combined with deny_purge (server: roll-ups require the "
		    "purge permission)");
	desc = reply_str(cfg, "description", NULL);
	if (desc != NULL && strlen(desc) > DESC_MAX_BYTES)
		validate_stream_err(v, st, "description", "description: is "
		    "%zu bytes; at most 4096 are allowed", strlen(desc));
}

/*
 * The wildcard placeholders of a republish destination ($N and
 * {{wildcard(N)}}): sets bit N-1 of *ret_used for each.  Returns false
 * when an index is out of 1..nstars; *ret_other is set when the
 * destination uses another mapping function.
 */
static bool
validate_placeholders(const char *dest, size_t nstars, uint64_t *ret_used,
    bool *ret_other, long *ret_bad)
{
	const char	*p = dest, *e;
	char		*end;
	long		 n;

	*ret_used = 0;
	*ret_other = false;
	while (*p != '\0') {
		if (p[0] == '$' && isdigit((unsigned char)p[1])) {
			n = strtol(p + 1, &end, 10);
			p = end;
		} else if (p[0] == '{' && p[1] == '{') {
			if ((e = strstr(p, "}}")) == NULL)
				return true;
			p += 2;
			while (*p == ' ')
				p++;
			if (strncasecmp(p, "wildcard", 8) != 0) {
				*ret_other = true;
				p = e + 2;
				continue;
			}
			p += 8;
			while (*p == ' ' || *p == '(')
				p++;
			n = strtol(p, &end, 10);
			p = e + 2;
		} else {
			p++;
			continue;
		}
		if (n < 1 || (size_t)n > nstars) {
			*ret_bad = n;
			return false;
		}
		if (n <= 64)
			*ret_used |= UINT64_C(1) << (n - 1);
	}
	return true;
}

static bool
validate_ends_gt(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && s[len - 1] == '>' && (len == 1 || s[len - 2] == '.');
}

static size_t
validate_stars(const char *s)
{
	const char	*p = s, *tok;
	size_t		 len, n = 0;

	while (validate_token(&p, &tok, &len))
		if (validate_tok_is(tok, len, '*'))
			n++;
	return n;
}

/*
 * republish, as 2.9.10 checks it: src (default '>') within the stream's
 * subjects; dest required, no '*' token (place src's wildcards with $N or
 * {{wildcard(N)}}, each of them), '>' at the end of both or neither, and
 * not back into the stream.
 */
static void
validate_republish(struct vctx *v, const struct spec_stream *st,
    const struct vsubjects *vs)
{
	const cJSON	*rp;
	const char	*src, *dest, *why;
	char		 q[DIAG_QUOTE_LEN];
	size_t		 nstars, i;
	uint64_t	 used;
	long		 bad = 0;
	bool		 other;

	if ((rp = reply_get(st->config, "republish")) == NULL)
		return;
	if ((src = validate_nonempty(rp, "src")) == NULL)
		src = ">";
	if ((why = validate_subject_problem(src, true)) != NULL) {
		validate_stream_err(v, st, "republish.src", "republish.src: "
		    "'%s' is not a valid subject: %s",
		    validate_quote(src, q, sizeof(q)), why);
		return;
	}
	if (vs->n > 0 && !validate_within(src, vs))
		validate_stream_err(v, st, "republish.src", "republish.src: "
		    "'%s' is not within the stream's subjects (server: "
		    "republish source is not valid subset of subjects)",
		    validate_quote(src, q, sizeof(q)));
	if ((dest = validate_nonempty(rp, "dest")) == NULL) {
		validate_stream_err(v, st, "republish", "republish.dest: is "
		    "required");
		return;
	}
	if ((why = validate_subject_problem(dest, true)) != NULL) {
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "'%s' is not a valid subject: %s",
		    validate_quote(dest, q, sizeof(q)), why);
		return;
	}
	nstars = validate_stars(src);
	if (validate_stars(dest) > 0) {
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "'*' cannot be used in the destination; place src's "
		    "wildcards with $1 or {{wildcard(1)}}");
		return;
	}
	if (validate_ends_gt(src) != validate_ends_gt(dest)) {
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "must end in '>' exactly when src does (src '%s')",
		    validate_quote(src, q, sizeof(q)));
		return;
	}
	if (!validate_placeholders(dest, nstars, &used, &other, &bad)) {
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "wildcard %ld does not exist; src '%s' has %zu", bad,
		    validate_quote(src, q, sizeof(q)), nstars);
		return;
	}
	for (i = 0; !other && i < nstars && i < 64; i++) {
		if ((used & (UINT64_C(1) << i)) != 0)
			continue;
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "does not place src's wildcard %zu (add $%zu)", i + 1,
		    i + 1);
		return;
	}
	if (validate_overlaps_any(dest, vs))
		validate_stream_err(v, st, "republish.dest", "republish.dest: "
		    "'%s' overlaps the stream's own subjects, so republished "
		    "messages would be stored again (server: republish "
		    "destination forms a cycle)",
		    validate_quote(dest, q, sizeof(q)));
}

/* One overlap found by the tree: subject a of the stream being checked
 * overlaps subject b of the earlier stream i. */
struct voverlap {
	size_t	i;
	size_t	a;
	size_t	b;
};

struct vmatches {
	struct voverlap	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 a;		/* the subject being matched */
};

static int
validate_match_add(void *arg, size_t owner, size_t item)
{
	struct vmatches	*m = arg;
	struct voverlap	*p;
	size_t		 cap;

	if (m->n == m->cap) {
		cap = m->cap == 0 ? 8 : m->cap * 2;
		if ((p = reallocarray(m->v, cap, sizeof(*p))) == NULL)
			return -ENOMEM;
		m->v = p;
		m->cap = cap;
	}
	m->v[m->n].i = owner;
	m->v[m->n].a = m->a;
	m->v[m->n].b = item;
	m->n++;
	return 0;
}

static int
validate_overlap_cmp(const void *x, const void *y)
{
	const struct voverlap	*p = x, *q = y;

	if (p->i != q->i)
		return p->i < q->i ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return 0;
}

/*
 * Subjects of stream j that overlap an earlier stream's, found in tree,
 * which holds the subjects of the earlier streams; then stream j's own
 * subjects join the tree.  For each earlier stream and each subject of j,
 * one message names the first overlapping subject, in the order of the
 * streams and subjects.  A stream whose name is declared twice is
 * reported once, as such, and left out here.
 */
static void
validate_cross_streams(struct vctx *v, const struct spec_set *set,
    const struct vsubjects *vs, size_t j, struct subtree *tree)
{
	const struct spec_stream	*st = &set->streams[j], *o;
	struct vmatches			 m = { NULL, 0, 0, 0 };
	char				 q1[DIAG_QUOTE_LEN];
	char				 q2[DIAG_QUOTE_LEN];
	char				 q3[DIAG_QUOTE_LEN];
	size_t				 k;
	int				 r;

	if (vs[j].dup)
		return;
	for (m.a = 0; m.a < vs[j].n; m.a++)
		if (subtree_match(tree, vs[j].v[m.a], validate_match_add,
		    &m) == -ENOMEM)
			goto nomem;
	if (m.n > 1)
		qsort(m.v, m.n, sizeof(*m.v), validate_overlap_cmp);
	for (k = 0; k < m.n; k++) {
		if (k > 0 && m.v[k].i == m.v[k - 1].i &&
		    m.v[k].a == m.v[k - 1].a)
			continue;	/* the first subject b was named */
		o = &set->streams[m.v[k].i];
		validate_quote(vs[j].v[m.v[k].a], q1, sizeof(q1));
		validate_quote(vs[m.v[k].i].v[m.v[k].b], q2, sizeof(q2));
		validate_quote(o->name, q3, sizeof(q3));
		if (vs[j].defaulted)
			validate_stream_err(v, st, "subjects",
			    "subjects: not declared, so the server "
			    "uses the name '%s', which overlaps "
			    "subject '%s' of stream '%s' (declared at "
			    "%s:%d)", q1, q2, q3, o->loc.file != NULL ?
			    o->loc.file : "?", o->loc.line);
		else
			validate_stream_err(v, st, "subjects",
			    "subjects: '%s' overlaps subject '%s' of "
			    "stream '%s' (declared at %s:%d)", q1, q2,
			    q3, o->loc.file != NULL ? o->loc.file :
			    "?", o->loc.line);
	}
	for (k = 0; k < vs[j].n; k++) {
		r = subtree_insert(tree, vs[j].v[k], j, k);
		if (r == -ENOMEM)
			goto nomem;
	}
	free(m.v);
	return;
nomem:
	free(m.v);
	v->code = -ENOMEM;
}

/*
 * The ack_policy a consumer gets when it declares none.  The server's own
 * default is none for push and pull alike, but the planner sends explicit
 * for a pull consumer (plan_normalize_consumer), as the nats CLI does;
 * what counts is what is sent.
 */
static const char *
validate_default_ack(bool push)
{
	return push ? "none" : "explicit";
}

/* Name, deliver policy and start options, ack policy. */
static void
validate_consumer_basics(struct vctx *v, const struct spec_stream *st,
    size_t ci)
{
	const struct spec_consumer	*c = &st->consumers[ci], *o;
	const cJSON			*cfg = c->config;
	const char			*why, *dn, *nm, *dp, *ack, *key;
	char				 q1[DIAG_QUOTE_LEN];
	char				 q2[DIAG_QUOTE_LEN];
	int64_t				 n, sr;
	bool				 push;
	size_t				 j;

	dn = reply_str(cfg, "durable_name", NULL);
	nm = reply_str(cfg, "name", NULL);
	key = dn != NULL || nm == NULL ? "durable_name" : "name";
	if (c->name != NULL &&
	    (why = validate_name_problem(c->name)) != NULL)
		validate_consumer_err(v, st, ci, key, "%s: '%s' is not a "
		    "valid consumer name: %s", key,
		    validate_quote(c->name, q1, sizeof(q1)), why);
	if (dn != NULL && nm != NULL && strcmp(dn, nm) != 0)
		validate_consumer_err(v, st, ci, "name", "name: '%s' differs "
		    "from durable_name '%s'; give one, or the same in both",
		    validate_quote(nm, q1, sizeof(q1)),
		    validate_quote(dn, q2, sizeof(q2)));
	for (j = 0; c->name != NULL && j < ci; j++) {
		o = &st->consumers[j];
		if (o->name == NULL || strcmp(o->name, c->name) != 0)
			continue;
		validate_consumer_err(v, st, ci, key, "%s: the consumer is "
		    "declared twice in this stream (also declared at %s:%d)",
		    key, o->loc.file != NULL ? o->loc.file : "?",
		    o->loc.line);
		break;
	}

	push = validate_nonempty(cfg, "deliver_subject") != NULL;
	if ((dp = reply_str(cfg, "deliver_policy", NULL)) == NULL)
		dp = "all";
	if (strcmp(dp, "by_start_sequence") == 0) {
		if (reply_int_or(cfg, "opt_start_seq", 0) <= 0)
			validate_consumer_err(v, st, ci, "deliver_policy",
			    "deliver_policy: by_start_sequence needs "
			    "opt_start_seq (1 or more)");
	} else if (reply_int_or(cfg, "opt_start_seq", 0) > 0)
		validate_consumer_err(v, st, ci, "opt_start_seq",
		    "opt_start_seq: only allowed with deliver_policy "
		    "by_start_sequence (deliver_policy is %s)", dp);
	if (strcmp(dp, "by_start_time") == 0) {
		if (validate_nonempty(cfg, "opt_start_time") == NULL)
			validate_consumer_err(v, st, ci, "deliver_policy",
			    "deliver_policy: by_start_time needs "
			    "opt_start_time");
	} else if (validate_nonempty(cfg, "opt_start_time") != NULL)
		validate_consumer_err(v, st, ci, "opt_start_time",
		    "opt_start_time: only allowed with deliver_policy "
		    "by_start_time (deliver_policy is %s)", dp);
	if (strcmp(dp, "last_per_subject") == 0 &&
	    validate_nonempty(cfg, "filter_subject") == NULL)
		validate_consumer_err(v, st, ci, "deliver_policy",
		    "deliver_policy: last_per_subject needs filter_subject");

	if ((ack = reply_str(cfg, "ack_policy", NULL)) == NULL)
		ack = validate_default_ack(push);
	if (push && strcmp(ack, "none") == 0 &&
	    reply_int_or(cfg, "max_ack_pending", 0) > 0)
		validate_consumer_err(v, st, ci, "max_ack_pending",
		    "max_ack_pending: needs an ack_policy other than none "
		    "on a push consumer (server: consumer requires ack "
		    "policy for max ack pending)");
	/* the stream's 0 means 1 */
	if ((sr = reply_int_or(st->config, "num_replicas", 1)) < 1)
		sr = 1;
	if ((jint_get(reply_get(cfg, "num_replicas"), &n) == 0)) {
		if (n < 0 || n > REPLICAS_MAX)
			validate_consumer_err(v, st, ci, "num_replicas",
			    "num_replicas: must be 0 to 5 (got %jd)",
			    (intmax_t)n);
		else if (n > sr)
			validate_consumer_err(v, st, ci, "num_replicas",
			    "num_replicas: %jd is more than the stream's %jd "
			    "(server: consumer config replica count exceeds "
			    "parent stream)", (intmax_t)n, (intmax_t)sr);
	}
	dn = reply_str(cfg, "description", NULL);
	if (dn != NULL && strlen(dn) > DESC_MAX_BYTES)
		validate_consumer_err(v, st, ci, "description", "description: "
		    "is %zu bytes; at most 4096 are allowed", strlen(dn));
}

static bool
validate_sample_freq(const char *s)
{
	size_t	i = 0, digits = 0, len = strlen(s);

	if (len > 0 && s[len - 1] == '%')
		len--;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	return digits > 0 && i == len && digits <= 9;
}

/*
 * The fields the schema marks push-only or pull-only, set on the other
 * kind of consumer.  deliver_group is stricter than 2.9.10, which takes
 * and ignores a queue group on a pull consumer.
 */
static void
validate_consumer_kind(struct vctx *v, const struct spec_stream *st,
    size_t ci, bool push)
{
	const struct schema_field	*t, *f;
	const cJSON			*cfg = st->consumers[ci].config;
	char				 server[256];
	size_t				 n, i;

	t = schema_consumer_fields(&n);
	for (i = 0; i < n; i++) {
		f = &t[i];
		if (f->mode == SCHEMA_ANY ||
		    (f->mode == SCHEMA_PUSH) == push ||
		    validate_is_zero(reply_get(cfg, f->key)))
			continue;
		server[0] = '\0';
		if (f->mode_text != NULL)
			snprintf(server, sizeof(server), " (server: %s)",
			    f->mode_text);
		validate_consumer_err(v, st, ci, f->key, "%s: only for a %s "
		    "consumer (%s deliver_subject)%s", f->key,
		    f->mode == SCHEMA_PUSH ? "push" : "pull",
		    f->mode == SCHEMA_PUSH ? "with" : "without", server);
	}
}

/* Push-only and pull-only fields, and deliver and filter subjects. */
static void
validate_consumer_mode(struct vctx *v, const struct spec_stream *st,
    size_t ci, const struct vsubjects *vs)
{
	const cJSON	*cfg = st->consumers[ci].config;
	const char	*ds, *f, *why, *s, *pp;
	char		 q[DIAG_QUOTE_LEN], b1[32];
	int64_t		 hb, n, md;
	int		 nb, np;

	ds = validate_nonempty(cfg, "deliver_subject");
	if (ds != NULL) {
		if ((why = validate_subject_problem(ds, false)) != NULL)
			validate_consumer_err(v, st, ci, "deliver_subject",
			    "deliver_subject: '%s' is not a valid delivery "
			    "subject: %s", validate_quote(ds, q, sizeof(q)),
			    why);
		else if (validate_overlaps_any(ds, vs))
			validate_consumer_err(v, st, ci, "deliver_subject",
			    "deliver_subject: '%s' is one of the stream's own "
			    "subjects, so deliveries would be stored again "
			    "(server: consumer deliver subject forms a cycle)",
			    validate_quote(ds, q, sizeof(q)));
	}
	validate_consumer_kind(v, st, ci, ds != NULL);
	hb = reply_int_or(cfg, "idle_heartbeat", 0);
	if (ds == NULL) {
		n = reply_int_or(cfg, "max_expires", 0);
		if (n > 0 && n < MIN_EXPIRES)
			validate_consumer_err(v, st, ci, "max_expires",
			    "max_expires: must be at least 1ms (got %s)",
			    validate_dur(n, b1, sizeof(b1)));
	} else {
		if (hb > 0 && hb < MIN_HEARTBEAT)
			validate_consumer_err(v, st, ci, "idle_heartbeat",
			    "idle_heartbeat: must be at least 100ms (got %s)",
			    validate_dur(hb, b1, sizeof(b1)));
		if (cJSON_IsTrue(reply_get(cfg, "flow_control")) && hb <= 0)
			validate_consumer_err(v, st, ci, "flow_control",
			    "flow_control: needs idle_heartbeat (server: "
			    "consumer with flow control also needs "
			    "heartbeats)");
	}
	nb = cJSON_GetArraySize(reply_get(cfg, "backoff"));
	md = reply_int_or(cfg, "max_deliver", -1);
	if (nb > 0 && md <= nb)
		validate_consumer_err(v, st, ci, "backoff", "backoff: has %d "
		    "entr%s, so max_deliver must be set and greater than %d "
		    "(server: max deliver is required to be > length of "
		    "backoff values)", nb, nb == 1 ? "y" : "ies", nb);
	if ((f = reply_str(cfg, "filter_subject", NULL)) != NULL &&
	    f[0] != '\0') {
		if ((why = validate_subject_problem(f, true)) != NULL)
			validate_consumer_err(v, st, ci, "filter_subject",
			    "filter_subject: '%s' is not a valid subject: %s",
			    validate_quote(f, q, sizeof(q)), why);
		else if (vs->n > 0 && !validate_within(f, vs))
			validate_consumer_err(v, st, ci, "filter_subject",
			    "filter_subject: '%s' is not within the stream's "
			    "subjects (server: consumer filter subject is not "
			    "a valid subset of the interest subjects)",
			    validate_quote(f, q, sizeof(q)));
	}
	pp = reply_str(cfg, "priority_policy", NULL);
	np = cJSON_GetArraySize(reply_get(cfg, "priority_groups"));
	if (pp != NULL && strcmp(pp, "none") != 0 && np == 0)
		validate_consumer_err(v, st, ci, "priority_policy",
		    "priority_policy: %s needs priority_groups (server: "
		    "Setting PriorityPolicy requires at least one "
		    "PriorityGroup to be set)", pp);
	if ((pp == NULL || strcmp(pp, "none") == 0) && np > 0)
		validate_consumer_err(v, st, ci, "priority_groups",
		    "priority_groups: need a priority_policy (server: "
		    "consumer can not have priority groups when policy is "
		    "none)");
	if (reply_int_or(cfg, "priority_timeout", 0) > 0 &&
	    (pp == NULL || strcmp(pp, "pinned_client") != 0))
		validate_consumer_err(v, st, ci, "priority_timeout",
		    "priority_timeout: only with priority_policy "
		    "pinned_client");
	if ((s = reply_str(cfg, "sample_freq", NULL)) != NULL && s[0] != '\0' &&
	    !validate_sample_freq(s))
		validate_consumer_err(v, st, ci, "sample_freq", "sample_freq: "
		    "'%s' is not a percentage such as '30%%' or '30'",
		    validate_quote(s, q, sizeof(q)));
}

/*
 * A work-queue stream hands each message to one consumer: ack explicit,
 * deliver all, and with more than one consumer every one filtered, on
 * filters that do not overlap.  2.9.10 refuses a filter that is a subset
 * of an earlier one; partial overlaps are refused here too, because they
 * make the owner of a message depend on creation order.
 */
static void
validate_workqueue(struct vctx *v, const struct spec_stream *st, size_t ci)
{
	const struct spec_consumer	*c = &st->consumers[ci], *o;
	const char			*ack, *dp, *f, *g;
	char				 q1[DIAG_QUOTE_LEN];
	char				 q2[DIAG_QUOTE_LEN];
	char				 q3[DIAG_QUOTE_LEN];
	size_t				 j;
	bool				 push;

	push = validate_nonempty(c->config, "deliver_subject") != NULL;
	ack = reply_str(c->config, "ack_policy", NULL);
	if (ack == NULL && strcmp(validate_default_ack(push), "explicit") != 0)
		validate_consumer_err(v, st, ci, "ack_policy", "ack_policy: "
		    "must be explicit on a workqueue stream; not declared, a "
		    "push consumer gets %s", validate_default_ack(push));
	else if (ack != NULL && strcmp(ack, "explicit") != 0)
		validate_consumer_err(v, st, ci, "ack_policy", "ack_policy: "
		    "must be explicit on a workqueue stream (got %s)", ack);
	dp = reply_str(c->config, "deliver_policy", NULL);
	if (dp != NULL && strcmp(dp, "all") != 0)
		validate_consumer_err(v, st, ci, "deliver_policy",
		    "deliver_policy: must be all on a workqueue stream (got "
		    "%s)", dp);
	if (ci == 0)
		return;
	f = validate_nonempty(c->config, "filter_subject");
	if (f == NULL) {
		o = &st->consumers[0];
		validate_consumer_err(v, st, ci, "filter_subject", "a "
		    "workqueue stream with more than one consumer needs "
		    "filter_subject on each (consumers[0] '%s' is declared "
		    "too); server: multiple non-filtered consumers not "
		    "allowed on workqueue stream",
		    validate_quote(o->name, q1, sizeof(q1)));
		return;
	}
	if (!validate_subject(f, true))
		return;
	for (j = 0; j < ci; j++) {
		o = &st->consumers[j];
		g = validate_nonempty(o->config, "filter_subject");
		if (g != NULL && (!validate_subject(g, true) ||
		    !validate_subjects_overlap(f, g)))
			continue;
		validate_quote(o->name, q2, sizeof(q2));
		if (g == NULL)
			validate_consumer_err(v, st, ci, "filter_subject",
			    "filter_subject: consumers[%zu] '%s' takes every "
			    "message of this workqueue stream, so no other "
			    "consumer may be declared (server: filtered "
			    "consumer not unique on workqueue stream)", j, q2);
		else
			validate_consumer_err(v, st, ci, "filter_subject",
			    "filter_subject: '%s' overlaps filter '%s' of "
			    "consumers[%zu] '%s'; on a workqueue stream each "
			    "message goes to one consumer (server: filtered "
			    "consumer not unique on workqueue stream)",
			    validate_quote(f, q1, sizeof(q1)),
			    validate_quote(g, q3, sizeof(q3)), j, q2);
		break;
	}
}

/* Contract keys that belong to one pattern only. */
static const struct {
	const char	*key;
	const char	*pattern;
} validate_contract_keys[] = {
	{ "workers", "workqueue" },
	{ "dedupe_window", "workqueue" },
	{ "processing_time", "workqueue" },
	{ "late_joiners_see_history", "broadcast" },
};

/*
 * The contract (what the agents rely on) is judged on its own: it is
 * compared with the live deployment by nats-conformance, not here.
 */
static void
validate_contract(struct vctx *v, const struct spec_stream *st)
{
	const char	*pattern;
	char		 path[64];
	int64_t		 typ, max;
	size_t		 i;

	if (st->contract == NULL)
		return;
	if ((pattern = reply_str(st->contract, "pattern", NULL)) == NULL) {
		/* a pattern written with a bad value is noted already */
		if (spec_key_loc(st->keys, st->nkeys, "contract.pattern",
		    (struct spec_loc){ .line = 0 }).line == 0)
			validate_stream_err(v, st, "contract", "the contract "
			    "has no 'pattern' (inbox, broadcast or "
			    "workqueue)");
		return;
	}
	for (i = 0; i < sizeof(validate_contract_keys) /
	    sizeof(validate_contract_keys[0]); i++) {
		if (reply_get(st->contract, validate_contract_keys[i].key)
		    == NULL ||
		    strcmp(pattern, validate_contract_keys[i].pattern) == 0)
			continue;
		snprintf(path, sizeof(path), "contract.%s",
		    validate_contract_keys[i].key);
		validate_stream_err(v, st, path, "%s: only a %s contract has "
		    "it (this one is '%s')", path,
		    validate_contract_keys[i].pattern, pattern);
	}
	if ((jint_get(reply_get(st->contract, "typical_msg_size"), &typ)
	    == 0) &&
	    (jint_get(reply_get(st->contract, "max_msg_size"), &max) == 0)
	    && typ > max)
		validate_stream_err(v, st, "contract.typical_msg_size",
		    "contract.typical_msg_size (%" PRId64 " bytes) is larger "
		    "than contract.max_msg_size (%" PRId64 " bytes)", typ,
		    max);
}

int
validate_load(char *const *paths, size_t npaths,
    const struct spec_limits *limits, struct diag_list *diags,
    struct spec_set **ret_set)
{
	struct spec_set	*set = NULL;
	int		 r, rv;

	r = spec_load_keep(paths, npaths, limits, diags, &set);
	if (r == -ENOMEM)
		return r;
	rv = validate_spec_set(set, diags);
	if (rv == -ENOMEM)
		r = rv;
	else if (r == 0)
		r = rv;
	diag_list_sort(diags);
	if (r == 0) {
		*ret_set = set;
		set = NULL;
	}
	spec_set_free(set);
	return r;
}

int
validate_spec_set(const struct spec_set *set, struct diag_list *diags)
{
	struct vsubjects		*vs = NULL;
	struct vctx			 v = { .diags = diags, .code = 0 };
	const struct spec_stream	*st;
	struct subtree			*tree = NULL;
	size_t				*first = NULL, i, ci;
	bool				 wq;

	if (set == NULL || set->nstreams == 0)
		return 0;
	if ((vs = calloc(set->nstreams, sizeof(*vs))) == NULL)
		return -ENOMEM;
	if (subtree_new(&tree) < 0 || validate_first_names(set, &first) < 0) {
		v.code = -ENOMEM;
		goto out;
	}
	for (i = 0; i < set->nstreams; i++) {
		if (validate_collect(&set->streams[i], &vs[i]) < 0) {
			v.code = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < set->nstreams && v.code != -ENOMEM; i++) {
		st = &set->streams[i];
		if (st->config == NULL)
			continue;	/* not a stream at all: loader's error */
		vs[i].dup = validate_stream_names(&v, set, i, first[i]);
		validate_stream_subjects(&v, st);
		validate_stream_origins(&v, st);
		validate_stream_limits(&v, st);
		validate_stream_features(&v, st);
		validate_republish(&v, st, &vs[i]);
		validate_cross_streams(&v, set, vs, i, tree);
		validate_contract(&v, st);
		wq = validate_is(reply_str(st->config, "retention", NULL),
		    "workqueue");
		for (ci = 0; ci < st->nconsumers; ci++) {
			validate_consumer_basics(&v, st, ci);
			validate_consumer_mode(&v, st, ci, &vs[i]);
			if (wq)
				validate_workqueue(&v, st, ci);
		}
	}
	diag_list_sort(diags);
out:
	for (i = 0; i < set->nstreams; i++)
		free(vs[i].v);
	free(vs);
	free(first);
	subtree_free(tree);
	return v.code;
}
