/* SPDX-License-Identifier: MIT */
/*
 * spec-yaml: the spec loader's reading of YAML nodes.  Scalars become typed
 * JSON values by their schema row (numbers exact, sizes and durations in
 * human units, enums, times, lists and maps with their limits), every key
 * keeps its file:line:column, and every problem is a diagnostic of the
 * loader's list rather than the end of the load.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "jint.h"
#include "reply.h"
#include "schema.h"
#include "spec.h"
#include "spec-int.h"
#include "units.h"

/* Codes by how much they say: a missing path beats a bad value. */
static int
spec_rank(int code)
{
	switch (code) {
	case -ENOMEM:
		return 4;
	case -ENOENT:
		return 3;
	case -E2BIG:
		return 2;
	case 0:
		return 0;
	default:
		return 1;
	}
}

void
spec_code(struct spec_loader *l, int code)
{
	if (spec_rank(code) > spec_rank(l->code))
		l->code = code;
	if (code == -ENOMEM)
		l->stop = true;
}

static void
spec_vnote(struct spec_loader *l, int code, const char *file, int line,
    int col, const char *fmt, va_list ap)
{
	char	msg[DIAG_MSG_MAX], esc[DIAG_MSG_MAX];

	spec_code(l, code);
	if (l->stop && code != -ENOMEM)
		return;
	if (++l->errors > SPEC_ERRORS_MAX) {
		snprintf(msg, sizeof(msg), "more than %d problems; the rest "
		    "of this file is not checked", SPEC_ERRORS_MAX);
		l->stop = true;
	} else
		vsnprintf(msg, sizeof(msg), fmt, ap);
	/*
	 * Messages quote spec text (keys, values), which may hold any byte;
	 * our own format strings hold no control character.
	 */
	diag_quote(msg, sizeof(msg), esc, sizeof(esc));
	if (diag_list_addf(l->diags, code, file, line, col, "%s", esc) ==
	    -ENOMEM)
		spec_code(l, -ENOMEM);
}

/*
 * Note a problem at a position of the current file.  A problem of the
 * whole file (no mark) is put at 1:1, so that every spec error reads
 * file:line:column.
 */
void __attribute__((format(printf, 4, 5)))
spec_err(struct spec_loader *l, int code, const yaml_mark_t *mark,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	spec_vnote(l, code, l->file, mark != NULL ? (int)mark->line + 1 : 1,
	    mark != NULL ? (int)mark->column + 1 : 1, fmt, ap);
	va_end(ap);
}

/* Note a problem about a whole path (no position). */
void __attribute__((format(printf, 4, 5)))
spec_err_path(struct spec_loader *l, int code, const char *path,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	spec_vnote(l, code, path, 0, 0, fmt, ap);
	va_end(ap);
}

/* Note a problem at a recorded location. */
void __attribute__((format(printf, 4, 5)))
spec_note_at(struct spec_loader *l, int code, struct spec_loc loc,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	spec_vnote(l, code, loc.file, loc.line, loc.col, fmt, ap);
	va_end(ap);
}

void
spec_nomem(struct spec_loader *l)
{
	spec_err(l, -ENOMEM, NULL, "out of memory");
}

struct spec_loc
spec_loc_of(const struct spec_loader *l, const yaml_node_t *n)
{
	struct spec_loc	loc;

	loc.file = l->file;
	loc.line = (int)n->start_mark.line + 1;
	loc.col = (int)n->start_mark.column + 1;
	return loc;
}

yaml_node_t *
spec_node(const struct spec_loader *l, int idx)
{
	return yaml_document_get_node(l->doc, idx);
}

const char *
spec_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a value";
	}
}

bool
spec_is_null(const yaml_node_t *n)
{
	const char	*v;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return v[0] == '\0' || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0;
}

void
spec_keys_free(struct spec_keyloc *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

static void
spec_keys_add(struct spec_loader *l, struct spec_keys *k, const char *path,
    const yaml_node_t *key)
{
	struct spec_keyloc	*v;
	size_t			 cap;
	char			*p;

	if (k->n == k->cap) {
		cap = k->cap == 0 ? 16 : k->cap * 2;
		if ((v = realloc(k->v, cap * sizeof(*v))) == NULL) {
			spec_nomem(l);
			return;
		}
		k->v = v;
		k->cap = cap;
	}
	if ((p = strdup(path)) == NULL) {
		spec_nomem(l);
		return;
	}
	k->v[k->n].path = p;
	k->v[k->n].loc = spec_loc_of(l, key);
	k->n++;
}

/*
 * The scalar text of n, or NULL after noting why not.  what is the
 * expected type for the message.
 */
const char *
spec_scalar(struct spec_loader *l, const yaml_node_t *n, const char *path,
    const char *what)
{
	if (spec_is_null(n)) {
		spec_err(l, -EINVAL, &n->start_mark,
		    "'%s' has no value (expected %s)", path, what);
		return NULL;
	}
	if (n->type != YAML_SCALAR_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: expected %s, got %s",
		    path, what, spec_kind(n));
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static bool
spec_parse_int(const char *s, int64_t *ret)
{
	const char	*p = s;
	char		*end;
	long long	 v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*ret = v;
	return true;
}

/* The allowed range of f in words, with units for sizes and durations. */
static void
spec_range_text(const struct schema_field *f, char *buf, size_t len)
{
	const struct schema_type_ops	*ops = schema_ops(f->type);
	char				 lo[48], hi[48];

	if (ops->format != NULL) {
		ops->format(f->min, lo, sizeof(lo));
		ops->format(f->max, hi, sizeof(hi));
	} else {
		snprintf(lo, sizeof(lo), "%" PRId64, f->min);
		snprintf(hi, sizeof(hi), "%" PRId64, f->max);
	}
	if (f->max != 0)
		snprintf(buf, len, "%s to %s%s", lo, hi,
		    f->unlimited ? ", or 'unlimited'" : "");
	else
		snprintf(buf, len, "%s or more%s", lo,
		    f->unlimited ? ", or 'unlimited'" : "");
}

/*
 * An INT, SIZE or DURATION value in API units, range-checked.  Returns
 * NULL after noting the problem.
 */
static cJSON *
spec_number(struct spec_loader *l, const struct schema_field *f,
    const yaml_node_t *n, const char *path)
{
	const struct schema_type_ops	*ops = schema_ops(f->type);
	char		 what[96], range[128];
	const char	*s;
	int64_t		 v = 0;
	int		 r;
	bool		 ok;
	char		 q[DIAG_QUOTE_LEN];

	snprintf(what, sizeof(what), "%s%s", ops->what,
	    f->unlimited ? " or 'unlimited'" : "");
	if ((s = spec_scalar(l, n, path, what)) == NULL)
		return NULL;

	if (ops->parse == NULL) {
		ok = spec_parse_int(s, &v);
		if (!ok && strcasecmp(s, "unlimited") == 0) {
			ok = true;
			v = -1;
		}
		r = ok ? 0 : -EINVAL;
		/* a long digit string is an overflow, not a typo */
		if (!ok && s[strspn(s, "-0123456789")] == '\0' &&
		    strlen(s) > 18)
			r = -ERANGE;
	} else
		r = ops->parse(s, &v);
	if (r == -ERANGE) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: '%s' is too large",
		    path, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)));
		return NULL;
	}
	if (r == -EDOM) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: '%s' has no "
		    "unit; write '%ss' for seconds (units: ns, us, ms, s, m, h, "
		    "d, w, M, y)", path, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)), q);
		return NULL;
	}
	if (r < 0) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: expected %s, got "
		    "'%s'", path, what, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)));
		return NULL;
	}
	if (v == -1 && f->unlimited)
		return jint_create(ops->unlimited);
	if (v < f->min || (f->max != 0 && v > f->max)) {
		spec_range_text(f, range, sizeof(range));
		spec_err(l, -EINVAL, &n->start_mark, "%s: '%s' is out of "
		    "range (%s)", path, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)), range);
		return NULL;
	}
	/* exact to 2^63-1: the digits ride with the double (jint.h) */
	return jint_create(v);
}

cJSON *
spec_bool(struct spec_loader *l, const yaml_node_t *n, const char *path)
{
	static const char *const yaml11[] = {
		"yes", "no", "on", "off", "y", "n",
	};
	const char	*s;
	size_t		 i;
	char		 q[DIAG_QUOTE_LEN];

	if ((s = spec_scalar(l, n, path, "true or false")) == NULL)
		return NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		return cJSON_CreateTrue();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		return cJSON_CreateFalse();
	for (i = 0; i < NELEM(yaml11); i++) {
		if (strcasecmp(s, yaml11[i]) == 0) {
			spec_err(l, -EINVAL, &n->start_mark, "%s: '%s' is not "
			    "a boolean here; write true or false", path, s);
			return NULL;
		}
	}
	spec_err(l, -EINVAL, &n->start_mark, "%s: expected true or false, got "
	    "'%s'", path, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)));
	return NULL;
}

static cJSON *
spec_enum(struct spec_loader *l, const struct schema_field *f,
    const yaml_node_t *n, const char *path)
{
	char		 what[256];
	const char	*s;
	size_t		 i, len = 0;
	char		 q[DIAG_QUOTE_LEN];

	len += (size_t)snprintf(what, sizeof(what), "one of");
	for (i = 0; f->enums[i] != NULL && len < sizeof(what); i++)
		len += (size_t)snprintf(what + len, sizeof(what) - len,
		    "%s '%s'", i == 0 ? "" : ",", f->enums[i]);
	if ((s = spec_scalar(l, n, path, what)) == NULL)
		return NULL;
	for (i = 0; f->enums[i] != NULL; i++)
		if (strcmp(s, f->enums[i]) == 0)
			return cJSON_CreateString(s);
	spec_err(l, -EINVAL, &n->start_mark, "%s: expected %s, got '%s'",
	    path, what, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)));
	return NULL;
}

static cJSON *
spec_string(struct spec_loader *l, const struct schema_field *f,
    const yaml_node_t *n, const char *path)
{
	static const char what_time[] =
	    "an RFC 3339 time like '2024-01-02T15:04:05Z'";
	const char	*s;
	int64_t		 sec, nsec;
	char		 q[DIAG_QUOTE_LEN];

	if ((s = spec_scalar(l, n, path, f->type == SCHEMA_TIME ? what_time :
	    "a string")) == NULL)
		return NULL;
	if (f->type == SCHEMA_TIME && units_parse_time(s, &sec, &nsec) < 0) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: expected %s, got "
		    "'%s'", path, what_time, diag_quote(s, DIAG_QUOTE_MAX, q, sizeof(q)));
		return NULL;
	}
	return cJSON_CreateString(s);
}

/* A list of STRINGS or DURATIONS; a lone scalar is a list of one. */
static cJSON *
spec_list(struct spec_loader *l, const struct schema_field *f,
    const yaml_node_t *n, const char *path)
{
	const struct schema_field	 item = {
		.key = f->key, .type = f->type == SCHEMA_DURATIONS ?
		    SCHEMA_DURATION : SCHEMA_STRING,
		.min = f->min, .max = f->max,
	};
	const char			*what;
	yaml_node_item_t		*it;
	cJSON				*arr = NULL, *v;
	char				 ipath[PATH_MAX_LEN];
	bool				 bad = false;

	what = f->type == SCHEMA_DURATIONS ? "a list of durations" :
	    "a list of strings";
	if (spec_is_null(n)) {
		spec_err(l, -EINVAL, &n->start_mark,
		    "'%s' has no value (expected %s)", path, what);
		return NULL;
	}
	if (n->type == YAML_MAPPING_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: expected %s, got a "
		    "mapping", path, what);
		return NULL;
	}
	if ((arr = cJSON_CreateArray()) == NULL) {
		spec_nomem(l);
		return NULL;
	}
	if (n->type == YAML_SCALAR_NODE) {
		v = item.type == SCHEMA_STRING ? spec_string(l, &item, n, path) :
		    spec_number(l, &item, n, path);
		if (v == NULL)
			bad = true;
		else
			cJSON_AddItemToArray(arr, v);
		goto out;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top && !l->stop; it++) {
		snprintf(ipath, sizeof(ipath), "%s[%td]", path,
		    it - n->data.sequence.items.start);
		if (spec_node(l, *it)->type != YAML_SCALAR_NODE) {
			spec_err(l, -EINVAL, &spec_node(l, *it)->start_mark,
			    "%s: expected %s, got %s", ipath,
			    item.type == SCHEMA_STRING ? "a string" :
			    "a duration", spec_kind(spec_node(l, *it)));
			bad = true;
			continue;
		}
		v = item.type == SCHEMA_STRING ?
		    spec_string(l, &item, spec_node(l, *it), ipath) :
		    spec_number(l, &item, spec_node(l, *it), ipath);
		if (v == NULL) {
			bad = true;
			continue;
		}
		cJSON_AddItemToArray(arr, v);
	}
out:
	if (bad || l->stop) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

static cJSON *
spec_map(struct spec_loader *l, const yaml_node_t *n, const char *path)
{
	yaml_node_pair_t	*p;
	const char		*k, *v;
	cJSON			*obj, *s;
	char			 kpath[PATH_MAX_LEN];
	char			 q[DIAG_QUOTE_LEN];

	if (spec_is_null(n) || n->type != YAML_MAPPING_NODE) {
		spec_err(l, -EINVAL, &n->start_mark, spec_is_null(n) ?
		    "'%s' has no value (expected a mapping of strings)" :
		    "%s: expected a mapping of strings", path);
		return NULL;
	}
	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start >
	    SPEC_MAP_MAX) {
		spec_err(l, -EINVAL, &n->start_mark, "%s: more than %d "
		    "entries", path, SPEC_MAP_MAX);
		return NULL;
	}
	if ((obj = cJSON_CreateObject()) == NULL) {
		spec_nomem(l);
		return NULL;
	}
	for (p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top && !l->stop; p++) {
		if ((k = spec_scalar(l, spec_node(l, p->key), path,
		    "a string key")) == NULL)
			continue;
		snprintf(kpath, sizeof(kpath), "%s.%s", path, k);
		if ((v = spec_scalar(l, spec_node(l, p->value), kpath,
		    "a string")) == NULL)
			continue;
		if (cJSON_GetObjectItemCaseSensitive(obj, k) != NULL) {
			spec_err(l, -EINVAL, &spec_node(l, p->key)->start_mark,
			    "%s: duplicate key '%s'", path,
			    diag_quote(k, DIAG_QUOTE_MAX, q, sizeof(q)));
			continue;
		}
		if (schema_is_reserved_metadata(k)) {
			spec_err(l, -EINVAL, &spec_node(l, p->key)->start_mark,
			    "%s: key '%s' is reserved: nats-server owns the "
			    "keys that start with '" SCHEMA_RESERVED_METADATA
			    "'", path, diag_quote(k, DIAG_QUOTE_MAX, q, sizeof(q)));
			continue;
		}
		if ((s = cJSON_CreateString(v)) == NULL ||
		    !cJSON_AddItemToObject(obj, k, s)) {
			cJSON_Delete(s);
			spec_nomem(l);
		}
	}
	return obj;
}

/* Convert one value of field f; NULL after noting the problem. */
static cJSON *
spec_value(struct spec_loader *l, const struct schema_field *f,
    const yaml_node_t *n, const char *path, struct spec_keys *keys)
{
	yaml_node_item_t	*it;
	const yaml_node_t	*in;
	cJSON			*arr, *v;
	char			 prefix[PATH_MAX_LEN];

	switch (f->type) {
	case SCHEMA_STRING:
	case SCHEMA_TIME:
		return spec_string(l, f, n, path);
	case SCHEMA_BOOL:
		return spec_bool(l, n, path);
	case SCHEMA_INT:
	case SCHEMA_SIZE:
	case SCHEMA_DURATION:
		return spec_number(l, f, n, path);
	case SCHEMA_ENUM:
		return spec_enum(l, f, n, path);
	case SCHEMA_STRINGS:
	case SCHEMA_DURATIONS:
		return spec_list(l, f, n, path);
	case SCHEMA_MAP:
		return spec_map(l, n, path);
	case SCHEMA_OBJECT:
		if (spec_is_null(n) || n->type != YAML_MAPPING_NODE) {
			spec_err(l, -EINVAL, &n->start_mark, spec_is_null(n) ?
			    "'%s' has no value (expected a mapping)" :
			    "%s: expected a mapping", path);
			return NULL;
		}
		snprintf(prefix, sizeof(prefix), "%s.", path);
		return spec_mapping(l, n, f->sub, f->nsub, prefix, NULL, 0,
		    NULL, NULL, keys);
	case SCHEMA_OBJECTS:
		if (spec_is_null(n) || n->type != YAML_SEQUENCE_NODE) {
			spec_err(l, -EINVAL, &n->start_mark, spec_is_null(n) ?
			    "'%s' has no value (expected a list of mappings)" :
			    "%s: expected a list of mappings", path);
			return NULL;
		}
		if ((arr = cJSON_CreateArray()) == NULL) {
			spec_nomem(l);
			return NULL;
		}
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top && !l->stop; it++) {
			in = spec_node(l, *it);
			snprintf(prefix, sizeof(prefix), "%s.%td.", path,
			    it - n->data.sequence.items.start);
			if (in->type != YAML_MAPPING_NODE) {
				spec_err(l, -EINVAL, &in->start_mark,
				    "%s: expected a mapping, got %s", path,
				    spec_kind(in));
				continue;
			}
			v = spec_mapping(l, in, f->sub, f->nsub, prefix, NULL,
			    0, NULL, NULL, keys);
			if (v != NULL)
				cJSON_AddItemToArray(arr, v);
		}
		return arr;
	}
	return NULL;
}

/*
 * Convert a mapping against table t (n fields) into a JSON object whose
 * keys follow table order.  Keys named in extras are not converted: their
 * key and value nodes are handed back in ret_xkey[] / ret_xval[].
 * Returns NULL only when out of memory; problems are noted and the
 * offending keys left out.
 */
cJSON *
spec_mapping(struct spec_loader *l, const yaml_node_t *m,
    const struct schema_field *t, size_t n, const char *prefix,
    const struct schema_field *extras, size_t nextras,
    yaml_node_t **ret_xkey, yaml_node_t **ret_xval, struct spec_keys *keys)
{
	const struct schema_field	*f;
	yaml_node_pair_t		*p;
	yaml_node_t			*kn, *vn, **seen = NULL;
	const char			*k, *near;
	cJSON				*obj = NULL, **vals = NULL, *ret = NULL;
	char				 path[PATH_MAX_LEN];
	size_t				 i, idx;
	char				 q[DIAG_QUOTE_LEN];

	if ((obj = cJSON_CreateObject()) == NULL ||
	    (seen = calloc(n + 1, sizeof(*seen))) == NULL ||
	    (vals = calloc(n + 1, sizeof(*vals))) == NULL) {
		spec_nomem(l);
		goto out;
	}
	for (p = m->data.mapping.pairs.start;
	    p < m->data.mapping.pairs.top && !l->stop; p++) {
		kn = spec_node(l, p->key);
		vn = spec_node(l, p->value);
		if (kn->type != YAML_SCALAR_NODE || spec_is_null(kn)) {
			spec_err(l, -EINVAL, &kn->start_mark,
			    "a key must be a plain name, not %s",
			    spec_is_null(kn) ? "empty" : spec_kind(kn));
			continue;
		}
		k = (const char *)kn->data.scalar.value;

		for (i = 0; i < nextras; i++)
			if (strcmp(k, extras[i].key) == 0)
				break;
		if (i < nextras) {
			if (ret_xkey[i] != NULL) {
				spec_err(l, -EINVAL, &kn->start_mark,
				    "duplicate key '%s' (first at line %d)", k,
				    (int)ret_xkey[i]->start_mark.line + 1);
				continue;
			}
			ret_xkey[i] = kn;
			ret_xval[i] = vn;
			snprintf(path, sizeof(path), "%s%s", prefix, k);
			spec_keys_add(l, keys, path, kn);
			continue;
		}

		if ((f = schema_find(t, n, k)) == NULL) {
			if (strcmp(k, "<<") == 0) {
				spec_err(l, -EINVAL, &kn->start_mark,
				    "YAML merge keys ('<<') are not supported; "
				    "write the keys out");
				continue;
			}
			near = schema_nearest(t, n, k);
			if (near == NULL && nextras > 0)
				near = schema_nearest(extras, nextras, k);
			if (near != NULL)
				spec_err(l, -EINVAL, &kn->start_mark,
				    "unknown key '%s%s' (did you mean '%s'?)",
				    prefix, diag_quote(k, DIAG_QUOTE_MAX, q, sizeof(q)), near);
			else
				spec_err(l, -EINVAL, &kn->start_mark,
				    "unknown key '%s%s'", prefix,
				    diag_quote(k, DIAG_QUOTE_MAX, q, sizeof(q)));
			continue;
		}
		if (f->refuse != NULL) {
			/* the schema row says why (server-only, internal) */
			spec_err(l, -EINVAL, &kn->start_mark, "'%s%s' cannot "
			    "be declared: %s", prefix, f->key, f->refuse);
			continue;
		}
		idx = (size_t)(f - t);
		if (seen[idx] != NULL) {
			if (strcmp(k, (const char *)
			    seen[idx]->data.scalar.value) != 0)
				spec_err(l, -EINVAL, &kn->start_mark,
				    "'%s' and '%s' are the same setting "
				    "(line %d); give only one", k,
				    (const char *)seen[idx]->data.scalar.value,
				    (int)seen[idx]->start_mark.line + 1);
			else
				spec_err(l, -EINVAL, &kn->start_mark,
				    "duplicate key '%s%s' (first at line %d)",
				    prefix, k,
				    (int)seen[idx]->start_mark.line + 1);
			continue;
		}
		seen[idx] = kn;
		/* paths use the API name, whatever alias was written */
		snprintf(path, sizeof(path), "%s%s", prefix, f->key);
		spec_keys_add(l, keys, path, kn);
		vals[idx] = spec_value(l, f, vn, path, keys);
	}
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			continue;
		if (!cJSON_AddItemToObject(obj, t[i].key, vals[i])) {
			spec_nomem(l);
			goto out;
		}
		vals[i] = NULL;
	}
	ret = obj;
	obj = NULL;
out:
	for (i = 0; vals != NULL && i < n; i++)
		cJSON_Delete(vals[i]);
	free(vals);
	free(seen);
	cJSON_Delete(obj);
	return ret;
}
