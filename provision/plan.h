/* SPDX-License-Identifier: MIT */
/*
 * plan: the changes that make the server match the declared specs.
 *
 * The desired config is the server's defaults plus what is declared,
 * normalized the way the server normalizes (limits of 0 become -1, the
 * default duplicate window is filled in, subjects compare as a set), so a
 * stream that was just applied shows no drift.
 *
 * A change the server cannot make in place is BLOCKED with the field and
 * the reason; the planner never deletes and recreates.  DELETE actions
 * appear only with prune.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "live.h"
#include "spec.h"

enum plan_kind {
	PLAN_NOOP,		/* in sync */
	PLAN_CREATE,
	PLAN_UPDATE,
	PLAN_BLOCKED,		/* at least one field cannot change in place */
	PLAN_DELETE,		/* undeclared, and prune was asked */
};

enum plan_object {
	PLAN_STREAM,
	PLAN_CONSUMER,
};

/* One differing field: live -> declared. */
struct plan_field {
	char	*key;		/* dotted API key: "max_age", "placement.tags" */
	cJSON	*live;		/* NULL when absent on the server */
	cJSON	*want;		/* NULL when absent in the desired config */
	char	*blocked;	/* why it cannot change in place, or NULL */
};

struct plan_action {
	enum plan_kind		 kind;
	enum plan_object	 object;
	char			*stream;
	char			*consumer;	/* PLAN_CONSUMER only */
	cJSON			*config;	/* desired config to send for
						   CREATE/UPDATE, else NULL */
	struct plan_field	*fields;	/* UPDATE/BLOCKED */
	size_t			 nfields;
	struct spec_loc		 loc;		/* declaration, file NULL for
						   DELETE */
};

struct plan {
	struct plan_action	*actions;	/* streams first, then their
						   consumers, declaration order;
						   deletes last */
	size_t			 n;
	size_t			 counts[PLAN_DELETE + 1];	/* by kind */
};

struct plan_opts {
	bool	prune;		/* plan DELETE for undeclared objects */
};

/*
 * Compare set against live.  Returns 0 and *ret (free with plan_free),
 * -ENOTSUP when a declared field needs a newer server than live's
 * (d names the field and file:line:col), -ENOMEM.
 */
int	plan_build(const struct spec_set *set, const struct live *live,
	    const struct plan_opts *opts, struct diag *d, struct plan **ret);

/*
 * The desired stream/consumer config: defaults for server_version plus
 * declared, normalized.  Exposed for export round-trips and tests.
 */
int	plan_desired_stream(const cJSON *declared, int server_version,
	    cJSON **ret);
int	plan_desired_consumer(const cJSON *declared, int server_version,
	    cJSON **ret);

/* Normalize a live config in place the same way (0 limits -> -1, sets). */
int	plan_normalize_stream(cJSON *config);
int	plan_normalize_consumer(cJSON *config);

/*
 * True when v is what the server leaves out: absent, null, false, 0, "",
 * an empty list, or an object of such values.  The planner and export
 * both treat these as "not set".
 */
bool	plan_is_zero(const cJSON *v);

/* True when the plan has nothing but NOOPs. */
bool	plan_is_empty(const struct plan *p);

/* "create", "update", "blocked", "delete", "no change". */
const char *plan_kind_name(enum plan_kind k);

/*
 * The plan as JSON for --json (caller frees):
 *
 *	{"streams": N,		(stream actions, deletes included)
 *	 "actions": [{"action": "create"|"update"|"blocked"|"delete"|
 *			"no_change",
 *		"object": "stream"|"consumer", "stream": S,
 *		"consumer": C,			(consumers only)
 *		"file": F, "line": L, "col": C,	(declared objects only)
 *		"fields": [{"key": "placement.cluster", "live": V|null,
 *			"want": V|null, "blocked": "reason"|null}],
 *		"config": {...}}],		(create and update only)
 *	 "summary": {"no_change": N, "create": N, "update": N,
 *		"blocked": N, "delete": N}}
 *
 * Values are in API units (bytes, nanoseconds); null means absent.
 */
int	plan_to_json(const struct plan *p, cJSON **ret);

void	plan_free(struct plan *p);

#endif
