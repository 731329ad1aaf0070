/* SPDX-License-Identifier: MIT */
/*
 * catalog: every check group, in run order, and which groups run on which
 * stream.
 *
 * A stream's groups follow its contract's pattern, never its config: a
 * check that adapts to the config it tests proves nothing.  inbox:
 * contract, backlog, pubsub, offline, limits, config; broadcast: contract,
 * backlog, pubsub, broadcast, limits, config; workqueue: contract,
 * backlog, workqueue, config.  A
 * stream without a contract keeps the rules from before contracts, by its
 * declared retention (limits and interest: pubsub, offline, broadcast,
 * limits, config; workqueue: workqueue, config), and every one of its
 * checks says so.  A stream's "conformance:" list in the spec replaces
 * either default.  A declared key-value bucket runs kv and config, an
 * object store config.  Server-wide groups (monitoring, persistence)
 * run once per run.  Selection is by group name, so a group file joins the
 * suite by adding one line to the group list.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "diag.h"
#include "spec.h"

/* The groups, in run order. */
extern const struct check_group *const catalog_groups[];
extern const size_t catalog_ngroups;

/* The group called name, or NULL. */
const struct check_group *catalog_find(const char *name);

/* True when name is a group the suite knows of (listed or planned). */
bool	catalog_known(const char *name);

/* True for groups that run once per run rather than per stream. */
bool	catalog_server_group(const char *name);

/* The contract's pattern of st ("inbox", ...), or NULL. */
const char *catalog_pattern(const struct spec_stream *st);

/*
 * Why st's groups are not chosen by a contract, into buf (for every check
 * of st to say), or NULL when they are.
 */
const char *catalog_basis(const struct spec_stream *st, char *buf,
	    size_t len);

/*
 * True when group runs on st: from its conformance list when given, else
 * by its kind when it is a bucket's, else from its contract's pattern,
 * else from its retention.
 */
bool	catalog_applies(const struct spec_stream *st, const char *group);

/*
 * Check every stream's conformance list: an array of known group names.
 * Returns 0 or -EINVAL (d names the stream, the entry and the known
 * groups).
 */
int	catalog_check_specs(const struct spec_set *set, struct diag *d);

#endif
