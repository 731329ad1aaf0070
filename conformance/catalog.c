/* SPDX-License-Identifier: MIT */
/*
 * catalog: the check groups in run order and the rules that choose them per
 * stream (see catalog.h): from the contract's pattern, never from the
 * config under test.  Groups are chosen by name, so the rules may name
 * groups whose files are not listed yet: they simply do not run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "schema.h"

extern const struct check_group check_contract_group;
extern const struct check_group check_backlog_group;
extern const struct check_group check_pubsub_group;
extern const struct check_group check_offline_group;
extern const struct check_group check_workqueue_group;
extern const struct check_group check_broadcast_group;
extern const struct check_group check_kv_group;
extern const struct check_group check_limits_group, check_config_group,
    check_monitor_group, check_persist_group;
extern const struct check_group check_failover_group;

/* Every group, in run order: one line each. */
const struct check_group *const catalog_groups[] = {
	&check_contract_group,
	&check_backlog_group,
	&check_pubsub_group,
	&check_offline_group,
	&check_workqueue_group,
	&check_broadcast_group,
	&check_kv_group,
	&check_limits_group,
	&check_config_group,
	&check_failover_group,
	&check_monitor_group,
	&check_persist_group,
};
const size_t catalog_ngroups = sizeof(catalog_groups) /
    sizeof(catalog_groups[0]);

/*
 * Which groups run where, by name: "contract:<pattern>" for a stream with
 * a contract, "retention:<retention>" for one without (today's rules),
 * "kind:kv" and "kind:obj" for the stream of a declared bucket (its
 * clients' guarantees, not a stream's), "server" once per run.
 */
struct catalog_rule {
	const char	*basis;
	const char	*groups[8];
};

static const struct catalog_rule catalog_rules[] = {
	{ "contract:inbox", { "contract", "backlog", "pubsub", "offline",
	    "limits", "config" } },
	{ "contract:broadcast", { "contract", "backlog", "pubsub",
	    "broadcast", "limits", "config" } },
	{ "contract:workqueue", { "contract", "backlog", "workqueue",
	    "config" } },
	{ "retention:limits", { "pubsub", "offline", "broadcast", "limits",
	    "config" } },
	{ "retention:interest", { "pubsub", "offline", "broadcast", "limits",
	    "config" } },
	{ "retention:workqueue", { "workqueue", "config" } },
	{ "kind:kv", { "kv", "config" } },
	{ "kind:obj", { "config" } },
	{ "server", { "monitoring", "persistence" } },
	/* Beside the above: a stream declared with 3 or more replicas. */
	{ "replicas:3", { "failover" } },
};

/* Declared with at least 3 replicas (failover needs a cluster). */
static bool
catalog_replicated(const struct spec_stream *st)
{
	double	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	    st->config, "num_replicas"));

	return v == v && v >= 3;
}

static bool
catalog_in_rule(const char *basis, const char *group)
{
	size_t	i, j;

	for (i = 0; i < sizeof(catalog_rules) / sizeof(catalog_rules[0]); i++) {
		if (strcmp(catalog_rules[i].basis, basis) != 0)
			continue;
		for (j = 0; catalog_rules[i].groups[j] != NULL; j++)
			if (strcmp(catalog_rules[i].groups[j], group) == 0)
				return true;
	}
	return false;
}

const struct check_group *
catalog_find(const char *name)
{
	size_t	i;

	for (i = 0; i < catalog_ngroups; i++)
		if (strcmp(catalog_groups[i]->name, name) == 0)
			return catalog_groups[i];
	return NULL;
}

bool
catalog_known(const char *name)
{
	size_t	i, j;

	if (catalog_find(name) != NULL)
		return true;
	for (i = 0; i < sizeof(catalog_rules) / sizeof(catalog_rules[0]); i++)
		for (j = 0; catalog_rules[i].groups[j] != NULL; j++)
			if (strcmp(catalog_rules[i].groups[j], name) == 0)
				return true;
	return false;
}

bool
catalog_server_group(const char *name)
{
	return catalog_in_rule("server", name);
}

const char *
catalog_pattern(const struct spec_stream *st)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    st->contract, "pattern"));
}

const char *
catalog_basis(const struct spec_stream *st, char *buf, size_t len)
{
	const char	*retention;

	if (st->conformance != NULL) {
		snprintf(buf, len, "groups chosen by the stream's "
		    "'conformance' list");
		return buf;
	}
	if (catalog_pattern(st) != NULL || st->kind != SPEC_STREAM)
		return NULL;
	retention = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    st->config, "retention"));
	snprintf(buf, len, "no contract for '%s': checks chosen by its "
	    "declared retention '%s'", st->name, retention != NULL ?
	    retention : "limits");
	return buf;
}

bool
catalog_applies(const struct spec_stream *st, const char *group)
{
	const cJSON	*it;
	const char	*retention, *pattern;
	char		 basis[64];

	if (catalog_server_group(group))
		return false;
	if (st->conformance != NULL) {
		cJSON_ArrayForEach(it, st->conformance) {
			if (cJSON_IsString(it) &&
			    strcmp(it->valuestring, group) == 0)
				return true;
		}
		return false;
	}
	if (catalog_in_rule("replicas:3", group))
		return catalog_replicated(st);
	if (st->kind != SPEC_STREAM)
		return catalog_in_rule(st->kind == SPEC_KV ? "kind:kv" :
		    "kind:obj", group);
	if ((pattern = catalog_pattern(st)) != NULL) {
		snprintf(basis, sizeof(basis), "contract:%s", pattern);
		return catalog_in_rule(basis, group);
	}
	retention = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    st->config, "retention"));
	snprintf(basis, sizeof(basis), "retention:%s", retention != NULL ?
	    retention : "limits");
	return catalog_in_rule(basis, group);
}

static const char *
catalog_names(char *buf, size_t len)
{
	size_t	i, j, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(catalog_rules) / sizeof(catalog_rules[0]); i++)
		for (j = 0; catalog_rules[i].groups[j] != NULL; j++) {
			if (strstr(buf, catalog_rules[i].groups[j]) != NULL)
				continue;
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? ", " : "", catalog_rules[i].groups[j]);
			if (off >= len)
				return buf;
		}
	return buf;
}

/* The known group nearest to name, for a "did you mean", or NULL. */
static const char *
catalog_nearest(const char *name)
{
	struct schema_field	f[64];
	size_t			i, j, k, n = 0;

	for (i = 0; i < sizeof(catalog_rules) / sizeof(catalog_rules[0]); i++)
		for (j = 0; catalog_rules[i].groups[j] != NULL; j++) {
			for (k = 0; k < n; k++)
				if (strcmp(f[k].key,
				    catalog_rules[i].groups[j]) == 0)
					break;
			if (k == n && n < sizeof(f) / sizeof(f[0]))
				f[n++] = (struct schema_field){ .key =
				    catalog_rules[i].groups[j] };
		}
	return schema_nearest(f, n, name);
}

int
catalog_check_specs(const struct spec_set *set, struct diag *d)
{
	const struct spec_stream	*st;
	const cJSON			*it;
	const char			*near;
	struct spec_loc			 at;
	char				 known[512], q[DIAG_QUOTE_LEN];
	size_t				 i;

	for (i = 0; i < set->nstreams; i++) {
		st = &set->streams[i];
		if (st->conformance == NULL)
			continue;
		at = spec_key_loc(st->keys, st->nkeys, "conformance", st->loc);
		if (!cJSON_IsArray(st->conformance))
			return diag_set_at(d, -EINVAL, at.file, at.line, at.col,
			    "stream '%s': 'conformance' must be a list of "
			    "group names", st->name);
		cJSON_ArrayForEach(it, st->conformance) {
			if (cJSON_IsString(it) && catalog_known(it->valuestring))
				continue;
			near = cJSON_IsString(it) ?
			    catalog_nearest(it->valuestring) : NULL;
			return diag_set_at(d, -EINVAL, at.file, at.line, at.col,
			    "stream '%s': unknown conformance group '%s'%s%s%s "
			    "(known: %s)", st->name, cJSON_IsString(it) ?
			    diag_quote(it->valuestring, DIAG_QUOTE_MAX, q,
			    sizeof(q)) : "?", near != NULL ? " (did you mean '" :
			    "", near != NULL ? near : "", near != NULL ? "'?)" :
			    "", catalog_names(known, sizeof(known)));
		}
	}
	return 0;
}
