/* SPDX-License-Identifier: MIT */
/*
 * reply: shape, type and range checks on JetStream API replies (see
 * reply.h), driven by the schema table so that every config field the
 * tools read is covered.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "jint.h"
#include "reply.h"
#include "schema.h"

#define REPLY_PATH_MAX	256

static const char *
reply_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsNumber(v))
		return "a number";
	return "something else";
}

static int
reply_bad(struct diag *d, const char *what, const char *path,
    const char *why)
{
	return diag_set(d, -EBADMSG, "malformed reply from the server: "
	    "%s: %s %s", what, path, why);
}

int
reply_value_int(const cJSON *v, const char *path, int64_t min, int64_t max,
    const char *what, struct diag *d, int64_t *ret)
{
	char	why[160];
	int64_t	n;

	if (!cJSON_IsNumber(v)) {
		snprintf(why, sizeof(why), "is %s, not a number",
		    reply_type_name(v));
		return reply_bad(d, what, path, why);
	}
	/* exact when jsapi parsed the reply (jint_parse) */
	if (jint_get(v, &n) < 0) {
		if (v->valuestring != NULL)
			snprintf(why, sizeof(why), "is %.40s, not a whole number "
			    "that fits 64 bits", v->valuestring);
		else
			snprintf(why, sizeof(why), "is %.17g, not a whole "
			    "number that fits 64 bits", v->valuedouble);
		return reply_bad(d, what, path, why);
	}
	if (n < min || n > max) {
		snprintf(why, sizeof(why), "is %lld, outside %lld..%lld",
		    (long long)n, (long long)min, (long long)max);
		return reply_bad(d, what, path, why);
	}
	*ret = n;
	return 0;
}

const cJSON *
reply_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj) || key == NULL)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *
reply_str(const cJSON *obj, const char *key, const char *def)
{
	const cJSON	*v = reply_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : def;
}

double
reply_num(const cJSON *obj, const char *key)
{
	const cJSON	*v = reply_get(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

int64_t
reply_int_or(const cJSON *obj, const char *key, int64_t def)
{
	int64_t	n;

	return jint_get(reply_get(obj, key), &n) == 0 ? n : def;
}

int
reply_int(const cJSON *obj, const char *key, int64_t min, int64_t max,
    const char *what, struct diag *d, int64_t *ret)
{
	const cJSON	*v = reply_get(obj, key);

	if (v == NULL || cJSON_IsNull(v))
		return -ENOENT;
	return reply_value_int(v, key, min, max, what, d, ret);
}

static int	reply_fields(const cJSON *obj, const struct schema_field *t,
		    size_t n, const char *what, const char *path,
		    struct diag *d);

/* One member v (not null) of type f->type, at path. */
static int
reply_field(const cJSON *v, const struct schema_field *f,
    const char *what, const char *path, struct diag *d)
{
	const cJSON	*e;
	const char	*want = NULL;
	char		 sub[REPLY_PATH_MAX];
	int64_t		 n;
	int		 r, i = 0;

	switch (f->type) {
	case SCHEMA_STRING:
	case SCHEMA_ENUM:
	case SCHEMA_TIME:
		if (!cJSON_IsString(v))
			want = "a string";
		break;
	case SCHEMA_BOOL:
		if (!cJSON_IsBool(v))
			want = "a boolean";
		break;
	case SCHEMA_INT:
	case SCHEMA_SIZE:
	case SCHEMA_DURATION:
		return reply_value_int(v, path, -1, INT64_MAX, what, d, &n);
	case SCHEMA_STRINGS:
	case SCHEMA_DURATIONS:
		if (!cJSON_IsArray(v)) {
			want = "an array";
			break;
		}
		cJSON_ArrayForEach(e, v) {
			if (f->type == SCHEMA_STRINGS ? !cJSON_IsString(e) :
			    jint_get(e, &n) < 0 || n < 0) {
				snprintf(sub, sizeof(sub), "%s[%d]", path, i);
				return reply_bad(d, what, sub, f->type ==
				    SCHEMA_STRINGS ? "is not a string" :
				    "is not a whole number of nanoseconds");
			}
			i++;
		}
		break;
	case SCHEMA_OBJECT:
		if (!cJSON_IsObject(v)) {
			want = "an object";
			break;
		}
		return reply_fields(v, f->sub, f->nsub, what, path, d);
	case SCHEMA_OBJECTS:
		if (!cJSON_IsArray(v)) {
			want = "an array";
			break;
		}
		cJSON_ArrayForEach(e, v) {
			snprintf(sub, sizeof(sub), "%s[%d]", path, i++);
			if (!cJSON_IsObject(e))
				return reply_bad(d, what, sub,
				    "is not an object");
			if ((r = reply_fields(e, f->sub, f->nsub, what, sub,
			    d)) < 0)
				return r;
		}
		break;
	case SCHEMA_MAP:
		if (!cJSON_IsObject(v)) {
			want = "an object";
			break;
		}
		cJSON_ArrayForEach(e, v)
			if (!cJSON_IsString(e)) {
				snprintf(sub, sizeof(sub), "%s.", path);
				return reply_bad(d, what, sub,
				    "has a value that is not a string");
			}
		break;
	}
	if (want != NULL) {
		snprintf(sub, sizeof(sub), "is %s, not %s",
		    reply_type_name(v), want);
		return reply_bad(d, what, path, sub);
	}
	return 0;
}

static int
reply_fields(const cJSON *obj, const struct schema_field *t, size_t n,
    const char *what, const char *path, struct diag *d)
{
	const cJSON	*v;
	char		 sub[REPLY_PATH_MAX];
	size_t		 i;
	int		 r;

	for (i = 0; i < n; i++) {
		v = cJSON_GetObjectItemCaseSensitive(obj, t[i].key);
		if (v == NULL || cJSON_IsNull(v))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path != '\0' ?
		    "." : "", t[i].key);
		if ((r = reply_field(v, &t[i], what, sub, d)) < 0)
			return r;
	}
	return 0;
}

int64_t
reply_count(const cJSON *obj, const char *key)
{
	int64_t	n;
	int	r;

	r = reply_int(obj, key, 0, INT64_MAX, "", NULL, &n);
	return r == 0 ? n : r == -ENOENT ? 0 : -1;
}

/* Counters: whole numbers from 0 to INT64_MAX, when present. */
static int
reply_counters(const cJSON *obj, const char *const *keys, const char *what,
    const char *path, struct diag *d)
{
	const cJSON	*v;
	char		 sub[REPLY_PATH_MAX];
	int64_t		 n;
	int		 r;

	for (; *keys != NULL; keys++) {
		v = cJSON_GetObjectItemCaseSensitive(obj, *keys);
		if (v == NULL || cJSON_IsNull(v))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path != '\0' ?
		    "." : "", *keys);
		if ((r = reply_value_int(v, sub, 0, INT64_MAX, what, d, &n)) < 0)
			return r;
	}
	return 0;
}

/* The member key of obj, which must be an object when present. */
static int
reply_object(const cJSON *obj, const char *key, bool required,
    const char *what, struct diag *d, const cJSON **ret)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char		 why[64];

	*ret = NULL;
	if ((v == NULL || cJSON_IsNull(v)) && !required)
		return 0;
	if (!cJSON_IsObject(v)) {
		snprintf(why, sizeof(why), "is %s, not an object", v == NULL ?
		    "missing" : reply_type_name(v));
		return reply_bad(d, what, key, why);
	}
	*ret = v;
	return 0;
}

int
reply_stream_info(const cJSON *info, struct diag *d)
{
	static const char *const state_keys[] = { "messages", "bytes",
	    "first_seq", "last_seq", "consumer_count", "num_deleted",
	    "num_subjects", NULL };
	const struct schema_field	*t;
	const cJSON			*config, *state, *name;
	char				 what[DIAG_QUOTE_MAX * 4 + 32];
	char				 q[DIAG_QUOTE_LEN];
	size_t				 n;
	int				 r;

	if (!cJSON_IsObject(info))
		return reply_bad(d, "stream information", "the reply", "is "
		    "not an object");
	if ((r = reply_object(info, "config", true, "stream information", d,
	    &config)) < 0)
		return r;
	name = cJSON_GetObjectItemCaseSensitive(config, "name");
	if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
		return reply_bad(d, "stream information", "config.name",
		    "is not a non-empty string");
	snprintf(what, sizeof(what), "stream '%s'", diag_quote(
	    name->valuestring, DIAG_QUOTE_MAX, q, sizeof(q)));
	t = schema_stream_fields(&n);
	if ((r = reply_fields(config, t, n, what, "config", d)) < 0 ||
	    (r = reply_object(info, "state", false, what, d, &state)) < 0 ||
	    (r = reply_counters(state, state_keys, what, "state", d)) < 0)
		return r;
	return 0;
}

int
reply_consumer_info(const cJSON *info, const char *stream, struct diag *d)
{
	static const char *const counters[] = { "num_pending",
	    "num_ack_pending", "num_redelivered", "num_waiting", NULL };
	static const char *const seqs[] = { "consumer_seq", "stream_seq",
	    NULL };
	const struct schema_field	*t;
	const cJSON			*config, *name, *seq;
	char				 what[DIAG_QUOTE_MAX * 8 + 64];
	char				 q1[DIAG_QUOTE_LEN];
	char				 q2[DIAG_QUOTE_LEN];
	size_t				 n;
	int				 r;

	snprintf(what, sizeof(what), "a consumer of stream '%s'", diag_quote(
	    stream, DIAG_QUOTE_MAX, q1, sizeof(q1)));
	if (!cJSON_IsObject(info))
		return reply_bad(d, what, "the reply", "is not an object");
	if ((r = reply_object(info, "config", true, what, d, &config)) < 0)
		return r;
	name = cJSON_GetObjectItemCaseSensitive(info, "name");
	if (name == NULL)
		name = cJSON_GetObjectItemCaseSensitive(config, "name");
	if (name == NULL)
		name = cJSON_GetObjectItemCaseSensitive(config,
		    "durable_name");
	if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
		return reply_bad(d, what, "name", "is not a non-empty string");
	snprintf(what, sizeof(what), "consumer '%s' of stream '%s'",
	    diag_quote(name->valuestring, DIAG_QUOTE_MAX, q2, sizeof(q2)),
	    q1);
	t = schema_consumer_fields(&n);
	if ((r = reply_fields(config, t, n, what, "config", d)) < 0 ||
	    (r = reply_counters(info, counters, what, "", d)) < 0)
		return r;
	if ((r = reply_object(info, "delivered", false, what, d, &seq)) < 0 ||
	    (r = reply_counters(seq, seqs, what, "delivered", d)) < 0 ||
	    (r = reply_object(info, "ack_floor", false, what, d, &seq)) < 0 ||
	    (r = reply_counters(seq, seqs, what, "ack_floor", d)) < 0)
		return r;
	return 0;
}
