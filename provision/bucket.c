/* SPDX-License-Identifier: MIT */
/*
 * bucket: the key tables of key-value buckets and object stores, and the
 * stream config the official clients create for each (see bucket.h).
 *
 * The defaults are those of nats.go (jetstream/kv.go
 * prepareKeyValueConfig, jetstream/object.go prepareObjectStoreConfig)
 * and nats.c (src/kv.c js_CreateKeyValue): history 1, replicas 1,
 * max_bytes and max_value_size -1, and the fixed settings listed in
 * bucket.h.  nats.c leaves the duplicate window, max_msgs and
 * max_consumers to the server, which fills in the same values.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "jint.h"
#include "reply.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* 2 minutes in ns: the clients' (and server's) duplicate window cap. */
#define BUCKET_DUP_WINDOW	INT64_C(120000000000)

#define BUCKET_NAME_MAX		256

/*
 * A row of a bucket table: its own definition, or (from != NULL) the
 * stream row of that key under the client's name.
 */
struct bucket_row {
	const char		*key;
	const char		*from;		/* stream key to copy, or NULL */
	unsigned		 kinds;		/* 1 << SPEC_KV | 1 << SPEC_OBJ */
	struct schema_field	 own;		/* when from is NULL; its doc
						   also replaces the copy's */
};

#define KV	(1u << SPEC_KV)
#define OBJ	(1u << SPEC_OBJ)

static const struct bucket_row bucket_rows[] = {
	{ "bucket", NULL, KV | OBJ, { .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "Bucket name ([A-Za-z0-9_-]); the stream is KV_<bucket> "
	    "or OBJ_<bucket>." } },
	{ "description", "description", KV | OBJ, { .doc = NULL } },
	{ "history", NULL, KV, { .type = SCHEMA_INT, .min = 1,
	  .max = BUCKET_MAX_HISTORY, .since = SCHEMA_V2_9, .def = "1",
	  .doc = "Values kept per key, 1 to 64 (max_msgs_per_subject)." } },
	{ "ttl", "max_age", KV | OBJ, { .doc = "How long a value is kept "
	  "after its last write (max_age); 0: forever." } },
	{ "max_value_size", "max_msg_size", KV, { .doc = "Largest value "
	  "accepted (max_msg_size)." } },
	{ "max_bytes", "max_bytes", KV | OBJ, { .doc = "Size of the whole "
	  "bucket; at the limit new writes are refused (discard new)." } },
	{ "storage", "storage", KV | OBJ, { .doc = NULL } },
	{ "replicas", "num_replicas", KV | OBJ, { .doc = NULL } },
	{ "compression", NULL, KV | OBJ, { .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_10, .def = "false",
	  .doc = "Compress stored data with S2 (compression: s2)." } },
	{ "placement", "placement", KV | OBJ, { .doc = NULL } },
	{ "republish", "republish", KV, { .doc = NULL } },
	{ "mirror", "mirror", KV, { .doc = "Make the bucket a read-only "
	  "mirror of another bucket (name: the bucket, KV_ optional)." } },
	{ "sources", "sources", KV, { .doc = "Buckets whose keys are copied "
	  "into this one (names: buckets, KV_ optional; needs 2.10)." } },
	{ "metadata", "metadata", KV | OBJ, { .doc = NULL } },
	{ "limit_marker_ttl", "subject_delete_marker_ttl", KV, { .doc =
	  "A key removed by ttl or max_bytes leaves a delete marker that "
	  "watchers see, kept this long (2.11+; also allow_msg_ttl, so a "
	  "value may carry its own Nats-TTL)." } },
};

/* The stream keys the bucket keys become (bucket_stream_key). */
static const struct {
	const char	*key;
	const char	*stream;
} bucket_renames[] = {
	{ "bucket", "name" },
	{ "history", "max_msgs_per_subject" },
	{ "ttl", "max_age" },
	{ "max_value_size", "max_msg_size" },
	{ "replicas", "num_replicas" },
	{ "limit_marker_ttl", "subject_delete_marker_ttl" },
};

static struct schema_field	bucket_kv[NELEM(bucket_rows)];
static struct schema_field	bucket_obj[NELEM(bucket_rows)];
static size_t			bucket_nkv, bucket_nobj;
static pthread_once_t		bucket_once = PTHREAD_ONCE_INIT;

static void
bucket_build(void)
{
	const struct schema_field	*st, *f;
	struct schema_field		 row;
	size_t				 nst, i;

	st = schema_stream_fields(&nst);
	for (i = 0; i < NELEM(bucket_rows); i++) {
		row = bucket_rows[i].own;
		if (bucket_rows[i].from != NULL) {
			f = schema_find(st, nst, bucket_rows[i].from);
			if (f == NULL)
				continue;
			row = *f;
			row.alias = NULL;
			if (bucket_rows[i].own.doc != NULL)
				row.doc = bucket_rows[i].own.doc;
		}
		row.key = bucket_rows[i].key;
		if (bucket_rows[i].kinds & KV)
			bucket_kv[bucket_nkv++] = row;
		if (bucket_rows[i].kinds & OBJ)
			bucket_obj[bucket_nobj++] = row;
	}
}

const struct schema_field *
bucket_fields(enum spec_kind kind, size_t *ret_n)
{
	pthread_once(&bucket_once, bucket_build);
	switch (kind) {
	case SPEC_KV:
		*ret_n = bucket_nkv;
		return bucket_kv;
	case SPEC_OBJ:
		*ret_n = bucket_nobj;
		return bucket_obj;
	default:
		*ret_n = 0;
		return NULL;
	}
}

const char *
bucket_stream_key(const char *key)
{
	size_t	i;

	for (i = 0; i < NELEM(bucket_renames); i++)
		if (strcmp(key, bucket_renames[i].key) == 0)
			return bucket_renames[i].stream;
	return key;
}

const char *
bucket_prefix(enum spec_kind kind)
{
	return kind == SPEC_KV ? "KV_" : kind == SPEC_OBJ ? "OBJ_" : "";
}

enum spec_kind
bucket_kind_of(const char *stream_name)
{
	if (strncmp(stream_name, "KV_", 3) == 0)
		return SPEC_KV;
	if (strncmp(stream_name, "OBJ_", 4) == 0)
		return SPEC_OBJ;
	return SPEC_STREAM;
}

bool
bucket_name_ok(const char *name)
{
	const char	*p;

	if (name == NULL || name[0] == '\0' ||
	    strlen(name) > BUCKET_NAME_MAX)
		return false;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static int
bucket_put(cJSON *o, const char *key, cJSON *v)
{
	if (v == NULL)
		return -ENOMEM;
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	if (!cJSON_AddItemToObject(o, key, v)) {
		cJSON_Delete(v);
		return -ENOMEM;
	}
	return 0;
}

/* Copy cfg's key (when set) into out as skey. */
static int
bucket_copy(cJSON *out, const cJSON *cfg, const char *key, const char *skey)
{
	const cJSON	*v;

	if ((v = cJSON_GetObjectItemCaseSensitive(cfg, key)) == NULL)
		return 0;
	return bucket_put(out, skey, cJSON_Duplicate(v, true));
}

/* "$KV.<b>.>" into buf. */
static const char *
bucket_kv_subjects(const char *b, char *buf, size_t len)
{
	snprintf(buf, len, "$KV.%s.>", b);
	return buf;
}

/* name's value with the KV_ prefix the clients add when it is missing. */
static int
bucket_prefixed(cJSON *o, char *ret_bare, size_t len)
{
	const char	*n = reply_str(o, "name", NULL);
	char		 buf[BUCKET_NAME_MAX + 8];

	if (n == NULL)
		return 0;
	if (strncmp(n, "KV_", 3) == 0) {
		snprintf(ret_bare, len, "%s", n + 3);
		return 0;
	}
	snprintf(ret_bare, len, "%s", n);
	snprintf(buf, sizeof(buf), "KV_%s", n);
	return bucket_put(o, "name", cJSON_CreateString(buf));
}

/*
 * A KV source as the clients send it: the bucket name prefixed, and the
 * source's keys moved into this bucket unless its own transforms say
 * otherwise (then the name is used as written).
 */
static int
bucket_kv_source(cJSON *src, const char *bucket)
{
	cJSON		*tr, *t;
	char		 bare[BUCKET_NAME_MAX + 1], s1[BUCKET_NAME_MAX + 8];
	char		 s2[BUCKET_NAME_MAX + 8];
	int		 r;

	if (cJSON_GetObjectItemCaseSensitive(src, "subject_transforms") !=
	    NULL)
		return 0;
	bare[0] = '\0';
	if ((r = bucket_prefixed(src, bare, sizeof(bare))) < 0)
		return r;
	if (cJSON_GetObjectItemCaseSensitive(src, "external") != NULL &&
	    strcmp(bare, bucket) == 0)
		return 0;
	if ((tr = cJSON_CreateArray()) == NULL)
		return -ENOMEM;
	if ((t = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(tr, t) ||
	    cJSON_AddStringToObject(t, "src", bucket_kv_subjects(bare, s1,
	    sizeof(s1))) == NULL ||
	    cJSON_AddStringToObject(t, "dest", bucket_kv_subjects(bucket, s2,
	    sizeof(s2))) == NULL) {
		cJSON_Delete(tr);
		return -ENOMEM;
	}
	return bucket_put(src, "subject_transforms", tr);
}

static int
bucket_subjects(cJSON *out, const char *a, const char *b)
{
	cJSON	*s;

	if ((s = cJSON_CreateArray()) == NULL)
		return -ENOMEM;
	if (!cJSON_AddItemToArray(s, cJSON_CreateString(a)) ||
	    (b != NULL && !cJSON_AddItemToArray(s, cJSON_CreateString(b))) ||
	    cJSON_GetArraySize(s) != (b != NULL ? 2 : 1)) {
		cJSON_Delete(s);
		return -ENOMEM;
	}
	return bucket_put(out, "subjects", s);
}

int
bucket_stream_config(enum spec_kind kind, const cJSON *cfg, cJSON **ret)
{
	static const char *const copied[] = { "description", "storage",
		"placement", "republish", "metadata", NULL };
	const char *const	*k;
	const char		*b;
	cJSON			*out = NULL, *m, *src;
	char			 name[BUCKET_NAME_MAX + 8];
	char			 s1[BUCKET_NAME_MAX + 16];
	char			 s2[BUCKET_NAME_MAX + 16];
	char			 bare[BUCKET_NAME_MAX + 1];
	int64_t			 ttl, dup;
	int			 r = -ENOMEM;

	if ((kind != SPEC_KV && kind != SPEC_OBJ) ||
	    (b = reply_str(cfg, "bucket", NULL)) == NULL)
		return -EINVAL;
	if ((out = cJSON_CreateObject()) == NULL)
		goto out;
	snprintf(name, sizeof(name), "%s%s", bucket_prefix(kind), b);
	ttl = reply_int_or(cfg, "ttl", 0);
	if ((r = bucket_put(out, "name", cJSON_CreateString(name))) < 0)
		goto out;
	for (k = copied; *k != NULL; k++)
		if ((r = bucket_copy(out, cfg, *k, *k)) < 0)
			goto out;
	if ((r = bucket_put(out, "max_bytes", jint_create(
	    reply_int_or(cfg, "max_bytes", -1)))) < 0 ||
	    (r = bucket_put(out, "max_age", jint_create(ttl))) < 0 ||
	    (r = bucket_put(out, "num_replicas", jint_create(
	    reply_int_or(cfg, "replicas", 1)))) < 0 ||
	    (r = bucket_put(out, "discard", cJSON_CreateString("new"))) < 0 ||
	    (r = bucket_put(out, "allow_rollup_hdrs", cJSON_CreateTrue())) < 0 ||
	    (r = bucket_put(out, "allow_direct", cJSON_CreateTrue())) < 0)
		goto out;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cfg,
	    "compression")) &&
	    (r = bucket_put(out, "compression", cJSON_CreateString("s2"))) < 0)
		goto out;
	if (kind == SPEC_OBJ) {
		snprintf(s1, sizeof(s1), "$O.%s.C.>", b);
		snprintf(s2, sizeof(s2), "$O.%s.M.>", b);
		if ((r = bucket_subjects(out, s1, s2)) < 0)
			goto out;
		goto done;
	}

	dup = ttl > 0 && ttl < BUCKET_DUP_WINDOW ? ttl : BUCKET_DUP_WINDOW;
	if ((r = bucket_put(out, "max_msgs_per_subject", jint_create(
	    reply_int_or(cfg, "history", 1)))) < 0 ||
	    (r = bucket_put(out, "max_msg_size", jint_create(
	    reply_int_or(cfg, "max_value_size", -1)))) < 0 ||
	    (r = bucket_put(out, "max_msgs", cJSON_CreateNumber(-1))) < 0 ||
	    (r = bucket_put(out, "max_consumers", cJSON_CreateNumber(-1))) < 0 ||
	    (r = bucket_put(out, "deny_delete", cJSON_CreateTrue())) < 0 ||
	    (r = bucket_put(out, "duplicate_window",
	    jint_create(dup))) < 0)
		goto out;
	/* nats.go and nats.c: LimitMarkerTTL turns on per-message TTL too */
	if (reply_int_or(cfg, "limit_marker_ttl", 0) > 0 &&
	    ((r = bucket_put(out, "allow_msg_ttl", cJSON_CreateTrue())) < 0 ||
	    (r = bucket_copy(out, cfg, "limit_marker_ttl",
	    "subject_delete_marker_ttl")) < 0))
		goto out;
	if ((m = cJSON_GetObjectItemCaseSensitive(cfg, "mirror")) != NULL) {
		if ((r = bucket_put(out, "mirror", cJSON_Duplicate(m,
		    true))) < 0 ||
		    (r = bucket_prefixed(cJSON_GetObjectItemCaseSensitive(out,
		    "mirror"), bare, sizeof(bare))) < 0 ||
		    (r = bucket_put(out, "mirror_direct",
		    cJSON_CreateTrue())) < 0)
			goto out;
		goto done;
	}
	if ((r = bucket_copy(out, cfg, "sources", "sources")) < 0)
		goto out;
	cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(out,
	    "sources"))
		if ((r = bucket_kv_source(src, b)) < 0)
			goto out;
	if ((r = bucket_subjects(out, bucket_kv_subjects(b, s1, sizeof(s1)),
	    NULL)) < 0)
		goto out;
done:
	*ret = out;
	out = NULL;
	r = 0;
out:
	cJSON_Delete(out);
	return r;
}

/* Set key to a copy of v unless v is absent or equal to def. */
static int
bucket_keep(cJSON *out, const char *key, const cJSON *v, double def)
{
	if (v == NULL || (cJSON_IsNumber(v) && v->valuedouble == def))
		return 0;
	return bucket_put(out, key, cJSON_Duplicate(v, true));
}

/* v is absent, false, "", an empty list or object. */
static bool
bucket_unset(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v) ||
	    (cJSON_IsString(v) && v->valuestring[0] == '\0') ||
	    ((cJSON_IsArray(v) || cJSON_IsObject(v)) && v->child == NULL);
}

/* A source's transforms, dropped when they are the ones the clients add. */
static int
bucket_plain_source(cJSON *src, const char *bucket)
{
	const cJSON	*tr, *t;
	char		 s2[BUCKET_NAME_MAX + 16];

	tr = cJSON_GetObjectItemCaseSensitive(src, "subject_transforms");
	t = cJSON_IsArray(tr) ? tr->child : NULL;
	if (t == NULL || t->next != NULL || reply_str(t, "dest", NULL)
	    == NULL ||
	    strcmp(reply_str(t, "dest", NULL), bucket_kv_subjects(bucket, s2,
	    sizeof(s2))) != 0)
		return 0;
	cJSON_DeleteItemFromObjectCaseSensitive(src, "subject_transforms");
	return 0;
}

int
bucket_from_stream(enum spec_kind kind, const cJSON *config, cJSON **ret)
{
	static const char *const copied[] = { "description", "placement",
		"metadata", NULL };
	const char *const	*k;
	const char		*name, *b, *s;
	const cJSON		*v;
	cJSON			*out = NULL, *src;
	int			 r = -ENOMEM;

	name = reply_str(config, "name", NULL);
	if (name == NULL || (kind != SPEC_KV && kind != SPEC_OBJ) ||
	    bucket_kind_of(name) != kind)
		return -EINVAL;
	b = name + strlen(bucket_prefix(kind));
	if ((out = cJSON_CreateObject()) == NULL ||
	    (r = bucket_put(out, "bucket", cJSON_CreateString(b))) < 0)
		goto out;
	for (k = copied; *k != NULL; k++)
		if (!bucket_unset(cJSON_GetObjectItemCaseSensitive(config,
		    *k)) && (r = bucket_copy(out, config, *k, *k)) < 0)
			goto out;
	if ((kind == SPEC_KV && (r = bucket_keep(out, "history",
	    cJSON_GetObjectItemCaseSensitive(config, "max_msgs_per_subject"),
	    1)) < 0) ||
	    (r = bucket_keep(out, "ttl", cJSON_GetObjectItemCaseSensitive(
	    config, "max_age"), 0)) < 0 ||
	    (kind == SPEC_KV && (r = bucket_keep(out, "max_value_size",
	    cJSON_GetObjectItemCaseSensitive(config, "max_msg_size"),
	    -1)) < 0) ||
	    (r = bucket_keep(out, "max_bytes",
	    cJSON_GetObjectItemCaseSensitive(config, "max_bytes"), -1)) < 0 ||
	    (r = bucket_keep(out, "replicas",
	    cJSON_GetObjectItemCaseSensitive(config, "num_replicas"), 1)) < 0)
		goto out;
	if ((s = reply_str(config, "storage", NULL)) != NULL &&
	    strcmp(s, "file") != 0 &&
	    (r = bucket_copy(out, config, "storage", "storage")) < 0)
		goto out;
	if ((s = reply_str(config, "compression", NULL)) != NULL &&
	    strcmp(s, "s2") == 0 &&
	    (r = bucket_put(out, "compression", cJSON_CreateTrue())) < 0)
		goto out;
	if (kind == SPEC_OBJ)
		goto done;
	if ((r = bucket_keep(out, "limit_marker_ttl",
	    cJSON_GetObjectItemCaseSensitive(config,
	    "subject_delete_marker_ttl"), 0)) < 0)
		goto out;
	v = cJSON_GetObjectItemCaseSensitive(config, "republish");
	if (!bucket_unset(v) && (r = bucket_copy(out, config, "republish",
	    "republish")) < 0)
		goto out;
	v = cJSON_GetObjectItemCaseSensitive(config, "mirror");
	if (!bucket_unset(v)) {
		r = bucket_copy(out, config, "mirror", "mirror");
		goto check;
	}
	v = cJSON_GetObjectItemCaseSensitive(config, "sources");
	if (!bucket_unset(v)) {
		if ((r = bucket_copy(out, config, "sources", "sources")) < 0)
			goto out;
		cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(out,
		    "sources"))
			bucket_plain_source(src, b);
	}
check:
	if (r < 0)
		goto out;
done:
	*ret = out;
	out = NULL;
	r = 0;
out:
	cJSON_Delete(out);
	return r;
}
