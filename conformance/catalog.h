/* SPDX-License-Identifier: MIT */
/*
 * catalog: every check group, in run order, and which groups run on which
 * stream.
 *
 * By default a stream's groups follow its retention (limits and interest:
 * pubsub, offline, broadcast, limits, config; workqueue: workqueue,
 * config).  A stream's "conformance:" list in the spec replaces that
 * default: it narrows it, and naming a group outside it runs that group
 * anyway, which is how a spec that declares the wrong retention for what
 * the agents do is caught.  Server-wide groups (monitoring, persistence)
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

/*
 * True when group runs on st: from its conformance list when given, else
 * from its retention.
 */
bool	catalog_applies(const struct spec_stream *st, const char *group);

/*
 * Check every stream's conformance list: an array of known group names.
 * Returns 0 or -EINVAL (d names the stream, the entry and the known
 * groups).
 */
int	catalog_check_specs(const struct spec_set *set, struct diag *d);

#endif
