/* SPDX-License-Identifier: MIT */
/*
 * spec: load YAML spec files into API-form stream and consumer configs.
 *
 * Spec files are untrusted input.  A file is size-checked before it is
 * read, parsed by libyaml into a document, and then walked once with the
 * limits (nesting depth, alias uses, nodes visited with aliases expanded)
 * before anything interprets it, so that a small document that expands
 * into billions of nodes is refused after at most max_nodes steps.
 *
 * Every problem of every file is collected, not just the first: a user
 * fixing a spec wants the whole list in one run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "bucket.h"
#include "jint.h"
#include "reply.h"
#include "schema.h"
#include "spec.h"
#include "spec-int.h"
#include "units.h"

static const struct schema_field root_extras[] = {
	{ .key = "streams", .doc = "The streams this file declares." },
	{ .key = "prune", .doc = "What --prune may delete." },
	{ .key = "consumers", .doc = "Consumers naming their stream." },
	{ .key = "kv", .doc = "Key-value buckets." },
	{ .key = "object_stores", .doc = "Object stores." },
};
#define ROOT_X_CONSUMERS	2
#define ROOT_X_KV		3
#define ROOT_X_OBJ		4

static const struct schema_field prune_keys[] = {
	{ .key = "scope", .doc = "Stream name globs --prune may delete." },
	{ .key = "protect", .doc = "STREAM or STREAM/CONSUMER globs never "
	  "deleted." },
};

/* prevent_update, prevent_delete: also in stream_extras, in this order. */
static const struct schema_field consumer_extras[] = {
	{ .key = "prevent_update", .doc = "Block every update." },
	{ .key = "prevent_delete", .doc = "Block deletion by --prune." },
	{ .key = "stream", .doc = "The stream (top-level consumers only)." },
};
#define CONSUMER_X_INLINE	2	/* inline consumers: no 'stream' */

static const struct schema_field stream_extras[] = {
	{ .key = "consumers", .doc = "Consumers of the stream." },
	{ .key = "conformance", .doc = "Conformance groups to run." },
	{ .key = "contract", .doc = "What the agents rely on." },
	{ .key = "prevent_update", .doc = "Block every update." },
	{ .key = "prevent_delete", .doc = "Block deletion by --prune." },
};
#define STREAM_X_PROTECT	3	/* index of prevent_update */

static void
spec_consumer_free(struct spec_consumer *c)
{
	free(c->name);
	cJSON_Delete(c->config);
	spec_keys_free(c->keys, c->nkeys);
}

static void
spec_stream_free(struct spec_stream *st)
{
	size_t	i;

	free(st->name);
	free(st->bucket);
	cJSON_Delete(st->config);
	spec_keys_free(st->keys, st->nkeys);
	for (i = 0; i < st->nconsumers; i++)
		spec_consumer_free(&st->consumers[i]);
	free(st->consumers);
	cJSON_Delete(st->conformance);
	cJSON_Delete(st->contract);
}

static bool
spec_has_key(const struct spec_keyloc *keys, size_t nkeys, const char *path)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].path, path) == 0)
			return true;
	return false;
}

/* A true/false extra key (n NULL: not written, false). */
static bool
spec_flag(struct spec_loader *l, const yaml_node_t *n, const char *path)
{
	cJSON	*b;
	bool	 v;

	if (n == NULL || (b = spec_bool(l, n, path)) == NULL)
		return false;
	v = cJSON_IsTrue(b);
	cJSON_Delete(b);
	return v;
}

/*
 * One consumer mapping into c; nextras says whether 'stream' is accepted
 * (top-level consumers), its value node into *ret_stream.
 */
static void
spec_load_consumer(struct spec_loader *l, const yaml_node_t *in,
    size_t nextras, struct spec_consumer *c, yaml_node_t **ret_stream)
{
	const struct schema_field	*t;
	yaml_node_t			*xkey[NELEM(consumer_extras)] = { 0 };
	yaml_node_t			*xval[NELEM(consumer_extras)] = { 0 };
	struct spec_keys		 keys;
	const char			*name;
	size_t				 nt;

	t = schema_consumer_fields(&nt);
	c->loc = spec_loc_of(l, in);
	memset(&keys, 0, sizeof(keys));
	c->config = spec_mapping(l, in, t, nt, "", consumer_extras,
	    nextras, xkey, xval, &keys);
	c->keys = keys.v;
	c->nkeys = keys.n;
	if (ret_stream != NULL)
		*ret_stream = xval[CONSUMER_X_INLINE];
	if (c->config == NULL)
		return;
	c->prevent_update = spec_flag(l, xval[0], "prevent_update");
	c->prevent_delete = spec_flag(l, xval[1], "prevent_delete");
	if ((name = reply_str(c->config, "durable_name", NULL)) == NULL)
		name = reply_str(c->config, "name", NULL);
	if (name == NULL) {
		/* a name written with a bad value is noted already */
		if (!spec_has_key(c->keys, c->nkeys, "durable_name") &&
		    !spec_has_key(c->keys, c->nkeys, "name"))
			spec_err(l, -EINVAL, &in->start_mark,
			    "consumer has no 'durable_name' or 'name'");
		return;
	}
	if ((c->name = strdup(name)) == NULL)
		spec_nomem(l);
}

static void
spec_load_consumers(struct spec_loader *l, const yaml_node_t *n,
    struct spec_stream *st)
{
	yaml_node_item_t		*it;
	const yaml_node_t		*in;
	size_t				 count;

	if (spec_is_null(n) || n->type != YAML_SEQUENCE_NODE) {
		if (spec_is_null(n))
			spec_err(l, -EINVAL, &n->start_mark, "'consumers' has "
			    "no value (expected a list of consumers)");
		else
			spec_err(l, -EINVAL, &n->start_mark, "consumers: "
			    "expected a list of consumers, got %s",
			    spec_kind(n));
		return;
	}
	count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (count == 0)
		return;
	if ((st->consumers = calloc(count, sizeof(*st->consumers))) == NULL) {
		spec_nomem(l);
		return;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if (in->type != YAML_MAPPING_NODE) {
			spec_err(l, -EINVAL, &in->start_mark, "consumers: "
			    "expected a consumer mapping, got %s",
			    spec_is_null(in) ? "nothing" : spec_kind(in));
			continue;
		}
		spec_load_consumer(l, in, CONSUMER_X_INLINE,
		    &st->consumers[st->nconsumers++], NULL);
	}
}

/*
 * The root "consumers:" list: consumers that name their stream, kept
 * until every file is read (the stream may be declared in another file).
 */
static void
spec_load_orphans(struct spec_loader *l, const yaml_node_t *n)
{
	yaml_node_item_t	*it;
	const yaml_node_t	*in;
	yaml_node_t		*sn;
	struct spec_orphan	*v, *o;
	const char		*s;
	size_t			 count;

	if (spec_is_null(n) || n->type != YAML_SEQUENCE_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, "consumers: expected a "
		    "list of consumers, each naming its 'stream', got %s",
		    spec_is_null(n) ? "nothing" : spec_kind(n));
		return;
	}
	count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (count == 0)
		return;
	if ((v = realloc(l->orphans, (l->norphans + count) * sizeof(*v))) ==
	    NULL) {
		spec_nomem(l);
		return;
	}
	l->orphans = v;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if (in->type != YAML_MAPPING_NODE) {
			spec_err(l, -EINVAL, &in->start_mark, "consumers: "
			    "expected a consumer mapping, got %s",
			    spec_is_null(in) ? "nothing" : spec_kind(in));
			continue;
		}
		o = &l->orphans[l->norphans++];
		memset(o, 0, sizeof(*o));
		sn = NULL;
		spec_load_consumer(l, in, NELEM(consumer_extras), &o->c, &sn);
		o->stream_loc = o->c.loc;
		if (sn == NULL) {
			spec_err(l, -EINVAL, &in->start_mark, "a consumer in "
			    "the top-level 'consumers' list needs 'stream: "
			    "NAME' (the stream it reads)");
			continue;
		}
		o->stream_loc = spec_loc_of(l, sn);
		if ((s = spec_scalar(l, sn, "stream", "a stream name")) ==
		    NULL)
			continue;
		if ((o->stream = strdup(s)) == NULL)
			spec_nomem(l);
	}
}

/*
 * Attach every top-level consumer to its declared stream, after the
 * stream's own consumers, so that everything downstream treats it as
 * declared inline.
 */
static void
spec_attach_orphans(struct spec_loader *l)
{
	struct spec_set		*set = l->set;
	struct spec_stream	*st;
	struct spec_consumer	*v;
	struct spec_orphan	*o;
	size_t			 i, j;
	char			 q[DIAG_QUOTE_LEN], q2[DIAG_QUOTE_LEN];

	for (i = 0; i < l->norphans; i++) {
		o = &l->orphans[i];
		st = NULL;
		for (j = 0; o->stream != NULL && j < set->nstreams; j++)
			if (set->streams[j].name != NULL &&
			    strcmp(set->streams[j].name, o->stream) == 0) {
				st = &set->streams[j];
				break;
			}
		if (st == NULL) {
			if (o->stream != NULL) {
				l->errors = 0;
				l->stop = false;
				spec_note_at(l, -EINVAL, o->stream_loc,
				    "stream: consumer '%s' reads stream '%s', "
				    "which no spec file given declares",
				    diag_quote(o->c.name != NULL ? o->c.name :
				    "?", DIAG_QUOTE_MAX, q, sizeof(q)),
				    diag_quote(o->stream, DIAG_QUOTE_MAX, q2, sizeof(q2)));
			}
			spec_consumer_free(&o->c);
			continue;
		}
		v = realloc(st->consumers, (st->nconsumers + 1) * sizeof(*v));
		if (v == NULL) {
			spec_consumer_free(&o->c);
			spec_code(l, -ENOMEM);
			continue;
		}
		st->consumers = v;
		st->consumers[st->nconsumers++] = o->c;
	}
	for (i = 0; i < l->norphans; i++)
		free(l->orphans[i].stream);
	free(l->orphans);
	l->orphans = NULL;
	l->norphans = 0;
}

/*
 * The stream's "conformance:" list, kept as names: which names exist is
 * nats-conformance's to say (its catalog checks them when it loads the
 * specs), so the provision core knows no check group.
 */
static void
spec_load_conformance(struct spec_loader *l, const yaml_node_t *n,
    struct spec_stream *st)
{
	yaml_node_item_t	*it;
	const yaml_node_t	*in;
	const char		*g;
	cJSON			*s;

	if (spec_is_null(n) || n->type != YAML_SEQUENCE_NODE) {
		if (spec_is_null(n))
			spec_err(l, -EINVAL, &n->start_mark, "'conformance' "
			    "has no value (expected a list of group names)");
		else
			spec_err(l, -EINVAL, &n->start_mark, "conformance: "
			    "expected a list of group names, got %s",
			    spec_kind(n));
		return;
	}
	if ((st->conformance = cJSON_CreateArray()) == NULL) {
		spec_nomem(l);
		return;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if ((g = spec_scalar(l, in, "conformance",
		    "a group name")) == NULL)
			continue;
		if ((s = cJSON_CreateString(g)) == NULL ||
		    !cJSON_AddItemToArray(st->conformance, s)) {
			cJSON_Delete(s);
			spec_nomem(l);
		}
	}
}

/*
 * The contract block: converted like a config (types, units, unknown
 * keys), its key locations added to the stream's as "contract.<key>".
 */
static void
spec_load_contract(struct spec_loader *l, const yaml_node_t *n,
    struct spec_stream *st)
{
	const struct schema_field	*t;
	struct spec_keys		 keys;
	size_t				 nt;

	if (spec_is_null(n) || n->type != YAML_MAPPING_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, spec_is_null(n) ?
		    "'contract' has no value (expected a mapping with a "
		    "'pattern')" : "contract: expected a mapping with a "
		    "'pattern', got %s", spec_kind(n));
		return;
	}
	t = schema_contract_fields(&nt);
	keys.v = st->keys;
	keys.n = st->nkeys;
	keys.cap = st->nkeys;
	st->contract = spec_mapping(l, n, t, nt, "contract.", NULL, 0, NULL,
	    NULL, &keys);
	st->keys = keys.v;
	st->nkeys = keys.n;
}

static void
spec_load_stream(struct spec_loader *l, const yaml_node_t *n,
    struct spec_stream *st)
{
	const struct schema_field	*t;
	yaml_node_t			*xkey[NELEM(stream_extras)] = { 0 };
	yaml_node_t			*xval[NELEM(stream_extras)] = { 0 };
	struct spec_keys		 keys;
	const char			*name;
	size_t				 nt;

	memset(st, 0, sizeof(*st));
	memset(&keys, 0, sizeof(keys));
	st->loc = spec_loc_of(l, n);
	t = schema_stream_fields(&nt);
	st->config = spec_mapping(l, n, t, nt, "", stream_extras,
	    NELEM(stream_extras), xkey, xval, &keys);
	st->keys = keys.v;
	st->nkeys = keys.n;
	if (st->config == NULL)
		return;
	name = reply_str(st->config, "name", NULL);
	if (name == NULL && !spec_has_key(st->keys, st->nkeys, "name"))
		spec_err(l, -EINVAL, &n->start_mark, "stream has no 'name'");
	if (name != NULL && (st->name = strdup(name)) == NULL)
		spec_nomem(l);
	if (xval[0] != NULL)
		spec_load_consumers(l, xval[0], st);
	if (xval[1] != NULL)
		spec_load_conformance(l, xval[1], st);
	if (xval[2] != NULL)
		spec_load_contract(l, xval[2], st);
	st->prevent_update = spec_flag(l, xval[STREAM_X_PROTECT],
	    "prevent_update");
	st->prevent_delete = spec_flag(l, xval[STREAM_X_PROTECT + 1],
	    "prevent_delete");
}

/* Append a copy of s to *v (n entries). */
static void
spec_strv_add(struct spec_loader *l, char ***v, size_t *n, const char *s)
{
	char	**nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
		spec_nomem(l);
		return;
	}
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL) {
		spec_nomem(l);
		return;
	}
	(*n)++;
}

/* A list of name globs: what for the message, into *v. */
static void
spec_load_globs(struct spec_loader *l, const yaml_node_t *n,
    const char *path, bool consumers, char ***v, size_t *nv)
{
	yaml_node_item_t	*it;
	const yaml_node_t	*in;
	const char		*g;
	char			 q[DIAG_QUOTE_LEN];

	if (spec_is_null(n) || n->type != YAML_SEQUENCE_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: expected a list of "
		    "%s, got %s", path, consumers ? "STREAM or STREAM/CONSUMER "
		    "name patterns" : "stream name patterns",
		    spec_is_null(n) ? "nothing" : spec_kind(n));
		return;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if ((g = spec_scalar(l, in, path, "a name pattern")) == NULL)
			continue;
		if (g[0] == '\0' || strpbrk(g, " \t\r\n") != NULL ||
		    (!consumers && strchr(g, '/') != NULL) ||
		    (consumers && strchr(g, '/') != strrchr(g, '/'))) {
			spec_err(l, -EINVAL, &in->start_mark, "%s: '%s' "
			    "is not a %s pattern (shell glob: * ? [...], no "
			    "spaces%s)", path, diag_quote(g, DIAG_QUOTE_MAX, q, sizeof(q)), consumers ?
			    "STREAM or STREAM/CONSUMER" : "stream name",
			    consumers ? "" : ", no '/'");
			continue;
		}
		spec_strv_add(l, v, nv, g);
	}
}

/* The root "prune:" block: scope and protect lists, merged over files. */
static void
spec_load_prune(struct spec_loader *l, const yaml_node_t *n)
{
	yaml_node_t		*xkey[NELEM(prune_keys)] = { 0 };
	yaml_node_t		*xval[NELEM(prune_keys)] = { 0 };
	struct spec_keys	 keys;
	cJSON			*obj;

	if (spec_is_null(n) || n->type != YAML_MAPPING_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, "prune: expected a "
		    "mapping with 'scope' and/or 'protect', got %s",
		    spec_is_null(n) ? "nothing" : spec_kind(n));
		return;
	}
	memset(&keys, 0, sizeof(keys));
	obj = spec_mapping(l, n, NULL, 0, "prune.", prune_keys,
	    NELEM(prune_keys), xkey, xval, &keys);
	cJSON_Delete(obj);
	spec_keys_free(keys.v, keys.n);
	if (xval[0] != NULL) {
		l->set->prune_scoped = true;
		spec_load_globs(l, xval[0], "prune.scope", false,
		    &l->set->prune_scope, &l->set->nprune_scope);
	}
	if (xval[1] != NULL)
		spec_load_globs(l, xval[1], "prune.protect", true,
		    &l->set->protect, &l->set->nprotect);
}

/*
 * Key paths of a bucket item as the stream keys they become (history ->
 * max_msgs_per_subject ...), so that the planner and the validator find
 * where a stream key was written.
 */
static void
spec_bucket_paths(struct spec_loader *l, struct spec_keyloc *keys,
    size_t nkeys)
{
	const char	*sk;
	char		 top[PATH_MAX_LEN], path[PATH_MAX_LEN], *p;
	size_t		 i, n;

	for (i = 0; i < nkeys; i++) {
		n = strcspn(keys[i].path, ".[");
		if (n >= sizeof(top))
			continue;
		memcpy(top, keys[i].path, n);
		top[n] = '\0';
		sk = bucket_stream_key(top);
		if (sk == NULL || strcmp(sk, top) == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s", sk, keys[i].path + n);
		if ((p = strdup(path)) == NULL) {
			spec_nomem(l);
			return;
		}
		free(keys[i].path);
		keys[i].path = p;
	}
}

/*
 * limit_marker_ttl also sets allow_msg_ttl: a problem with that stream key
 * (a server too old for it) points at the limit_marker_ttl line.
 */
static void
spec_bucket_implied(struct spec_loader *l, struct spec_stream *st)
{
	struct spec_keyloc	*v;
	size_t			 i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].path, "subject_delete_marker_ttl") == 0)
			break;
	if (i == st->nkeys)
		return;
	if ((v = realloc(st->keys, (st->nkeys + 1) * sizeof(*v))) == NULL) {
		spec_nomem(l);
		return;
	}
	st->keys = v;
	v[st->nkeys].loc = v[i].loc;
	if ((v[st->nkeys].path = strdup("allow_msg_ttl")) == NULL) {
		spec_nomem(l);
		return;
	}
	st->nkeys++;
}

/* One "kv:" or "object_stores:" item into st (the stream it becomes). */
static void
spec_load_bucket(struct spec_loader *l, const yaml_node_t *n,
    enum spec_kind kind, struct spec_stream *st)
{
	const struct schema_field	*t;
	yaml_node_t			*xkey[NELEM(consumer_extras)] = { 0 };
	yaml_node_t			*xval[NELEM(consumer_extras)] = { 0 };
	struct spec_keys		 keys;
	struct spec_loc			 loc;
	const char			*b, *what;
	cJSON				*cfg;
	char				 q[DIAG_QUOTE_LEN];
	size_t				 nt;
	int				 r;

	memset(st, 0, sizeof(*st));
	memset(&keys, 0, sizeof(keys));
	st->kind = kind;
	st->loc = spec_loc_of(l, n);
	what = kind == SPEC_KV ? "kv" : "object_stores";
	t = bucket_fields(kind, &nt);
	cfg = spec_mapping(l, n, t, nt, "", consumer_extras,
	    CONSUMER_X_INLINE, xkey, xval, &keys);
	st->keys = keys.v;
	st->nkeys = keys.n;
	if (cfg == NULL)
		return;
	spec_bucket_paths(l, st->keys, st->nkeys);
	spec_bucket_implied(l, st);
	loc = spec_key_loc(st->keys, st->nkeys, "name", st->loc);
	b = reply_str(cfg, "bucket", NULL);
	if (b == NULL) {
		if (!spec_has_key(st->keys, st->nkeys, "name"))
			spec_err(l, -EINVAL, &n->start_mark, "%s: a bucket "
			    "needs 'bucket' (its name)", what);
	} else if (!bucket_name_ok(b)) {
		spec_note_at(l, -EINVAL, loc, "bucket: '%s' is not a valid "
		    "bucket name (letters, digits, '_' and '-' only)",
		    diag_quote(b, DIAG_QUOTE_MAX, q, sizeof(q)));
		b = NULL;
	}
	if (cJSON_GetObjectItemCaseSensitive(cfg, "mirror") != NULL &&
	    cJSON_GetObjectItemCaseSensitive(cfg, "sources") != NULL) {
		spec_note_at(l, -EINVAL, spec_key_loc(st->keys, st->nkeys,
		    "sources", st->loc), "sources: a bucket with a 'mirror' "
		    "copies that bucket only; give mirror or sources");
	}
	st->prevent_update = spec_flag(l, xval[0], "prevent_update");
	st->prevent_delete = spec_flag(l, xval[1], "prevent_delete");
	if (b == NULL) {
		/* keep loading: the item's other keys are still checked */
		st->config = cJSON_CreateObject();
		cJSON_Delete(cfg);
		if (st->config == NULL)
			spec_nomem(l);
		return;
	}
	r = bucket_stream_config(kind, cfg, &st->config);
	if (r < 0 || (st->name = strdup(reply_str(st->config, "name", NULL)))
	    == NULL || (st->bucket = strdup(b)) == NULL)
		spec_nomem(l);
	cJSON_Delete(cfg);
}

/*
 * Make room in the set for one stream per item of the list seq (streams,
 * or the buckets' streams).  False when the list is empty or memory ran
 * out (noted).
 */
static bool
spec_streams_room(struct spec_loader *l, const yaml_node_t *seq)
{
	struct spec_set		*set = l->set;
	struct spec_stream	*v;
	size_t			 count;

	count = (size_t)(seq->data.sequence.items.top -
	    seq->data.sequence.items.start);
	if (count == 0)
		return false;
	v = realloc(set->streams, (set->nstreams + count) * sizeof(*v));
	if (v == NULL) {
		spec_nomem(l);
		return false;
	}
	set->streams = v;
	return true;
}

static void
spec_load_buckets(struct spec_loader *l, const yaml_node_t *seq,
    enum spec_kind kind)
{
	struct spec_set		*set = l->set;
	yaml_node_item_t	*it;
	const yaml_node_t	*in;
	const char		*what = kind == SPEC_KV ? "kv" : "object_stores";

	if (spec_is_null(seq) || seq->type != YAML_SEQUENCE_NODE) {
		spec_err(l, -EINVAL, &seq->start_mark, "%s: expected a list "
		    "of buckets, got %s", what, spec_is_null(seq) ? "nothing" :
		    spec_kind(seq));
		return;
	}
	if (!spec_streams_room(l, seq))
		return;
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if (in->type != YAML_MAPPING_NODE) {
			spec_err(l, -EINVAL, &in->start_mark, "%s: expected a "
			    "bucket mapping, got %s", what, spec_is_null(in) ?
			    "nothing" : spec_kind(in));
			continue;
		}
		spec_load_bucket(l, in, kind, &set->streams[set->nstreams++]);
	}
}

static void
spec_load_root(struct spec_loader *l, const yaml_node_t *root)
{
	struct spec_set		*set = l->set;
	struct spec_keys	 keys;
	yaml_node_item_t	*it;
	yaml_node_t		*xkey[NELEM(root_extras)] = { 0 };
	yaml_node_t		*xval[NELEM(root_extras)] = { 0 };
	const yaml_node_t	*in, *seq;
	cJSON			*obj;
	size_t			 errors;

	if (root->type != YAML_MAPPING_NODE) {
		spec_err(l, -EINVAL, &root->start_mark, "expected a mapping "
		    "with a 'streams' list at the top level, got %s",
		    spec_kind(root));
		return;
	}
	memset(&keys, 0, sizeof(keys));
	errors = l->errors;
	obj = spec_mapping(l, root, NULL, 0, "", root_extras,
	    NELEM(root_extras), xkey, xval, &keys);
	cJSON_Delete(obj);
	spec_keys_free(keys.v, keys.n);
	if (xval[1] != NULL)
		spec_load_prune(l, xval[1]);
	if (xval[ROOT_X_CONSUMERS] != NULL)
		spec_load_orphans(l, xval[ROOT_X_CONSUMERS]);
	if (xval[ROOT_X_KV] != NULL)
		spec_load_buckets(l, xval[ROOT_X_KV], SPEC_KV);
	if (xval[ROOT_X_OBJ] != NULL)
		spec_load_buckets(l, xval[ROOT_X_OBJ], SPEC_OBJ);
	if ((seq = xval[0]) == NULL) {
		/* after "unknown key 'stream'" this would only repeat it */
		if (l->errors == errors && xval[1] == NULL &&
		    xval[ROOT_X_CONSUMERS] == NULL && xval[ROOT_X_KV] == NULL &&
		    xval[ROOT_X_OBJ] == NULL)
			spec_err(l, -EINVAL, &root->start_mark,
			    "no 'streams', 'consumers', 'kv' or "
			    "'object_stores' list in this file");
		return;
	}
	if (spec_is_null(seq) || seq->type != YAML_SEQUENCE_NODE) {
		if (spec_is_null(seq))
			spec_err(l, -EINVAL, &seq->start_mark, "'streams' has "
			    "no value (expected a list of streams)");
		else
			spec_err(l, -EINVAL, &seq->start_mark, "streams: "
			    "expected a list of streams, got %s",
			    spec_kind(seq));
		return;
	}
	if (!spec_streams_room(l, seq))
		return;
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top && !l->stop; it++) {
		in = spec_node(l, *it);
		if (in->type != YAML_MAPPING_NODE) {
			spec_err(l, -EINVAL, &in->start_mark, "streams: "
			    "expected a stream mapping, got %s",
			    spec_is_null(in) ? "nothing" : spec_kind(in));
			continue;
		}
		spec_load_stream(l, in, &set->streams[set->nstreams++]);
	}
}

/*
 * Visit every node with aliases expanded, as the conversion will; stop at
 * the first limit.  Recursion is bounded by max_depth.
 */
static bool
spec_walk_limits(struct spec_loader *l, const yaml_node_t *n, int depth,
    size_t *count)
{
	yaml_node_item_t	*it;
	yaml_node_pair_t	*p;

	if (++*count > l->lim->max_nodes) {
		spec_err(l, -E2BIG, &n->start_mark, "the document expands to "
		    "more than %zu nodes (aliases counted where used); refusing "
		    "it", l->lim->max_nodes);
		return false;
	}
	if (n->type == YAML_SCALAR_NODE)
		return true;
	if (depth > l->lim->max_depth) {
		spec_err(l, -E2BIG, &n->start_mark, "nesting is deeper than %d "
		    "levels", l->lim->max_depth);
		return false;
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++)
			if (!spec_walk_limits(l, spec_node(l, *it), depth + 1,
			    count))
				return false;
		return true;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		if (!spec_walk_limits(l, spec_node(l, p->key), depth + 1,
		    count) ||
		    !spec_walk_limits(l, spec_node(l, p->value), depth + 1,
		    count))
			return false;
	}
	return true;
}

/*
 * libyaml resolves an alias to the anchored node, so an alias is any
 * reference to a node beyond the first.
 */
static bool
spec_check_aliases(struct spec_loader *l)
{
	yaml_document_t	*doc = l->doc;
	yaml_node_t	*n;
	size_t		 nodes, refs = 0, aliases;

	nodes = (size_t)(doc->nodes.top - doc->nodes.start);
	for (n = doc->nodes.start; n < doc->nodes.top; n++) {
		if (n->type == YAML_SEQUENCE_NODE)
			refs += (size_t)(n->data.sequence.items.top -
			    n->data.sequence.items.start);
		else if (n->type == YAML_MAPPING_NODE)
			refs += 2 * (size_t)(n->data.mapping.pairs.top -
			    n->data.mapping.pairs.start);
	}
	aliases = nodes > 0 ? refs - (nodes - 1) : 0;
	if (aliases > l->lim->max_aliases) {
		spec_err(l, -E2BIG, &doc->start_mark, "the document uses %zu "
		    "aliases; at most %zu are allowed", aliases,
		    l->lim->max_aliases);
		return false;
	}
	return true;
}

static void
spec_syntax_error(struct spec_loader *l, const yaml_parser_t *p,
    const char *buf, size_t len)
{
	yaml_mark_t	 mark = p->problem_mark;
	const char	*problem = p->problem != NULL ? p->problem : "error";
	size_t		 i;

	if (p->error == YAML_MEMORY_ERROR) {
		spec_nomem(l);
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* the reader gives a byte offset, not a line */
		memset(&mark, 0, sizeof(mark));
		for (i = 0; i < p->problem_offset && i < len; i++) {
			if (buf[i] == '\n') {
				mark.line++;
				mark.column = 0;
			} else
				mark.column++;
		}
		spec_err(l, -EINVAL, &mark, "invalid YAML: %s", problem);
		return;
	}
	if (p->context != NULL)
		spec_err(l, -EINVAL, &mark, "invalid YAML: %s (%s at line %d, "
		    "column %d)", problem, p->context,
		    (int)p->context_mark.line + 1,
		    (int)p->context_mark.column + 1);
	else
		spec_err(l, -EINVAL, &mark, "invalid YAML: %s", problem);
}

static int
spec_add_file(struct spec_loader *l, const char *name)
{
	struct spec_set	*set = l->set;
	char		**v, *s;

	if ((s = strdup(name)) == NULL)
		return -ENOMEM;
	if ((v = realloc(set->files, (set->nfiles + 1) * sizeof(*v))) ==
	    NULL) {
		free(s);
		return -ENOMEM;
	}
	set->files = v;
	set->files[set->nfiles++] = s;
	return 0;
}

static void
spec_load_text(struct spec_loader *l, const char *name, const char *buf,
    size_t len)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc, more;
	yaml_node_t	*root;
	size_t		 count = 0;
	bool		 have_parser = false, have_doc = false;

	if (spec_add_file(l, name) < 0) {
		spec_code(l, -ENOMEM);
		return;
	}
	l->file = l->set->files[l->set->nfiles - 1];
	l->errors = 0;
	l->stop = false;
	if (len > l->lim->max_file_bytes) {
		spec_err(l, -E2BIG, NULL, "file is %zu bytes; the limit is %zu",
		    len, l->lim->max_file_bytes);
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		spec_nomem(l);
		goto out;
	}
	have_parser = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		spec_syntax_error(l, &parser, buf, len);
		goto out;
	}
	have_doc = true;
	l->doc = &doc;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		spec_err(l, -EINVAL, NULL, "the file is empty; expected a "
		    "'streams' list");
		goto out;
	}
	if (!yaml_parser_load(&parser, &more)) {
		spec_syntax_error(l, &parser, buf, len);
		goto out;
	}
	if (yaml_document_get_root_node(&more) != NULL) {
		spec_err(l, -EINVAL, &more.start_mark, "a spec file holds one "
		    "YAML document; found another");
		yaml_document_delete(&more);
		goto out;
	}
	yaml_document_delete(&more);
	if (!spec_check_aliases(l) || !spec_walk_limits(l, root, 1, &count))
		goto out;
	spec_load_root(l, root);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	l->doc = NULL;
}

static void
spec_load_file(struct spec_loader *l, const char *path)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		spec_err_path(l, errno == ENOENT ? -ENOENT : -EIO, path,
		    "cannot open: %s", strerror(errno));
		return;
	}
	if (fstat(fd, &st) == -1) {
		spec_err_path(l, -EIO, path, "cannot stat: %s",
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		spec_err_path(l, -ENOENT, path, "not a regular file");
		goto out;
	}
	if ((uintmax_t)st.st_size > l->lim->max_file_bytes) {
		spec_err_path(l, -E2BIG, path, "file is %jd bytes; the limit "
		    "is %zu", (intmax_t)st.st_size, l->lim->max_file_bytes);
		goto out;
	}
	/* one byte more than allowed, to notice a file that grew */
	if ((buf = malloc(l->lim->max_file_bytes + 1)) == NULL) {
		spec_code(l, -ENOMEM);
		goto out;
	}
	while (len <= l->lim->max_file_bytes) {
		r = read(fd, buf + len, l->lim->max_file_bytes + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			spec_err_path(l, -EIO, path, "cannot read: %s",
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	spec_load_text(l, path, buf, len);
out:
	free(buf);
	close(fd);
}

static int
spec_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
spec_is_yaml_name(const char *name)
{
	size_t	n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* True when the directory entry full is a regular file; else noted. */
static bool
spec_dir_entry_ok(struct spec_loader *l, const char *full)
{
	struct stat	st;

	if (stat(full, &st) == -1) {
		if (errno == ENOENT && lstat(full, &st) == 0 &&
		    S_ISLNK(st.st_mode))
			spec_err_path(l, -ENOENT, full, "cannot read: a "
			    "symbolic link to a file that does not exist");
		else
			spec_err_path(l, errno == ENOENT ? -ENOENT : -EIO, full,
			    "cannot read: %s", strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		spec_err_path(l, -ENOENT, full, "a directory named like a spec "
		    "file; a spec directory is read one level deep");
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		spec_err_path(l, -ENOENT, full, "not a regular file");
		return false;
	}
	return true;
}

static void
spec_load_dir(struct spec_loader *l, const char *path)
{
	DIR		 *dir;
	struct dirent	 *de;
	char		**names = NULL, **v, *full = NULL;
	size_t		  n = 0, cap = 0, i, plen, flen, bad = 0;
	bool		  slash;

	if ((dir = opendir(path)) == NULL) {
		spec_err_path(l, errno == ENOENT ? -ENOENT : -EIO, path,
		    "cannot read directory: %s", strerror(errno));
		return;
	}
	plen = strlen(path);
	slash = plen > 0 && path[plen - 1] == '/';
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL) {
			if (errno != 0) {
				spec_err_path(l, -EIO, path, "cannot read "
				    "directory: %s", strerror(errno));
				goto out;
			}
			break;
		}
		if (!spec_is_yaml_name(de->d_name))
			continue;
		if (n >= l->lim->max_files) {
			spec_err_path(l, -E2BIG, path, "more than %zu spec files "
			    "in the directory", l->lim->max_files);
			goto out;
		}
		flen = plen + strlen(de->d_name) + 2;
		if ((full = malloc(flen)) == NULL) {
			spec_code(l, -ENOMEM);
			goto out;
		}
		snprintf(full, flen, "%s%s%s", path, slash ? "" : "/",
		    de->d_name);
		/*
		 * An entry named like a spec that cannot be read is an error,
		 * never a skip: the streams it declares would look undeclared
		 * and --prune would delete them.
		 */
		if (!spec_dir_entry_ok(l, full)) {
			free(full);
			full = NULL;
			bad++;
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((v = realloc(names, cap * sizeof(*v))) == NULL) {
				spec_code(l, -ENOMEM);
				goto out;
			}
			names = v;
		}
		names[n++] = full;
		full = NULL;
	}
	if (n == 0) {
		/* after an unreadable entry this would only add noise */
		if (bad == 0)
			spec_err_path(l, -ENOENT, path, "no spec files (*.yaml, "
			    "*.yml) in this directory");
		goto out;
	}
	/* names is NULL when every entry was bad: qsort wants a pointer. */
	if (n > 0)
		qsort(names, n, sizeof(*names), spec_cmp_names);
	for (i = 0; i < n && l->code != -ENOMEM; i++)
		spec_load_file(l, names[i]);
out:
	free(full);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
}

static int
spec_finish(struct spec_loader *l, bool keep, struct spec_set **ret_set)
{
	spec_attach_orphans(l);
	if (l->code < 0 && (!keep || l->code == -ENOMEM)) {
		spec_set_free(l->set);
		return l->code;
	}
	*ret_set = l->set;
	return l->code < 0 ? l->code : 0;
}

static int
spec_start(struct spec_loader *l, const struct spec_limits *limits,
    struct diag_list *diags)
{
	static const struct spec_limits def = SPEC_LIMITS_DEFAULT;

	memset(l, 0, sizeof(*l));
	l->lim = limits != NULL ? limits : &def;
	l->diags = diags;
	if ((l->set = calloc(1, sizeof(*l->set))) == NULL)
		return -ENOMEM;
	return 0;
}

static int
spec_load_paths(char *const *paths, size_t npaths,
    const struct spec_limits *limits, struct diag_list *diags, bool keep,
    struct spec_set **ret_set)
{
	struct spec_loader	 l;
	struct stat		 st;
	size_t			 i;

	if (spec_start(&l, limits, diags) < 0)
		return -ENOMEM;
	for (i = 0; i < npaths && l.code != -ENOMEM; i++) {
		if (stat(paths[i], &st) == -1)
			spec_err_path(&l, errno == ENOENT ? -ENOENT : -EIO,
			    paths[i], "%s", strerror(errno));
		else if (S_ISDIR(st.st_mode))
			spec_load_dir(&l, paths[i]);
		else if (S_ISREG(st.st_mode))
			spec_load_file(&l, paths[i]);
		else
			spec_err_path(&l, -ENOENT, paths[i], "neither a file "
			    "nor a directory");
	}
	return spec_finish(&l, keep, ret_set);
}

int
spec_load(char *const *paths, size_t npaths,
    const struct spec_limits *limits, struct diag_list *diags,
    struct spec_set **ret_set)
{
	return spec_load_paths(paths, npaths, limits, diags, false, ret_set);
}

int
spec_load_keep(char *const *paths, size_t npaths,
    const struct spec_limits *limits, struct diag_list *diags,
    struct spec_set **ret_set)
{
	return spec_load_paths(paths, npaths, limits, diags, true, ret_set);
}

int
spec_load_buffer(const char *name, const char *buf, size_t len,
    const struct spec_limits *limits, struct diag_list *diags,
    struct spec_set **ret_set)
{
	struct spec_loader	l;

	if (spec_start(&l, limits, diags) < 0)
		return -ENOMEM;
	spec_load_text(&l, name, buf, len);
	return spec_finish(&l, false, ret_set);
}

void
spec_set_free(struct spec_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nstreams; i++)
		spec_stream_free(&set->streams[i]);
	free(set->streams);
	for (i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	for (i = 0; i < set->nprune_scope; i++)
		free(set->prune_scope[i]);
	free(set->prune_scope);
	for (i = 0; i < set->nprotect; i++)
		free(set->protect[i]);
	free(set->protect);
	free(set);
}

const struct spec_stream *
spec_find_stream(const struct spec_set *set, const char *name)
{
	size_t	i;

	for (i = 0; i < set->nstreams; i++)
		if (set->streams[i].name != NULL &&
		    strcmp(set->streams[i].name, name) == 0)
			return &set->streams[i];
	return NULL;
}

const struct spec_consumer *
spec_find_consumer(const struct spec_stream *st, const char *name)
{
	size_t	i;

	for (i = 0; i < st->nconsumers; i++)
		if (st->consumers[i].name != NULL &&
		    strcmp(st->consumers[i].name, name) == 0)
			return &st->consumers[i];
	return NULL;
}

struct spec_loc
spec_key_loc(const struct spec_keyloc *keys, size_t nkeys, const char *path,
    struct spec_loc fallback)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].path, path) == 0)
			return keys[i].loc;
	return fallback;
}

uint64_t
spec_fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	/* a separator, so that moving text between configs changes it */
	h ^= '\n';
	h *= UINT64_C(0x100000001b3);
	return h;
}

uint64_t
spec_fnv_json(uint64_t h, const cJSON *j)
{
	char	*s;

	if (j == NULL)
		return spec_fnv(h, "null");
	/* out of memory: the digest still differs from a complete one */
	if ((s = jint_print(j, false)) == NULL)
		return spec_fnv(h, "?");
	h = spec_fnv(h, s);
	cJSON_free(s);
	return h;
}

const char *
spec_digest(const struct spec_set *set, char *buf)
{
	uint64_t	h = UINT64_C(0xcbf29ce484222325);
	size_t		i, j;

	for (i = 0; i < set->nstreams; i++) {
		h = spec_fnv_json(h, set->streams[i].config);
		for (j = 0; j < set->streams[i].nconsumers; j++)
			h = spec_fnv_json(h,
			    set->streams[i].consumers[j].config);
	}
	snprintf(buf, 17, "%016" PRIx64, h);
	return buf;
}
