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
#include <stdint.h>

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

/*
 * What an action would delete, read from the live stream state: lowering
 * max_msgs, max_bytes, max_age or max_msgs_per_subject below what the
 * stream holds, deleting a stream that holds messages, or deleting a
 * consumer with messages still to deliver or acknowledge.  A count the
 * state cannot tell exactly (bytes dropped by max_msgs, messages dropped
 * by max_age) is estimated from averages and timestamps and marked so;
 * max_msgs_per_subject is exact when the stream's state holds "subjects"
 * (every subject's count: STREAM.INFO with subjects_filter, see
 * plan_wants_subjects), else the most it could delete, marked estimated.
 */
struct plan_loss {
	double	msgs;		/* messages deleted; 0: none */
	double	of_msgs;	/* messages held (consumer: pending) */
	double	bytes;		/* bytes deleted */
	double	of_bytes;	/* bytes held */
	bool	msgs_estimated;
	bool	bytes_estimated;
	char	causes[96];	/* "max_msgs, max_age", "delete" */
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
	struct plan_loss	 loss;		/* what it deletes (all 0:
						   nothing) */
	char			*blocked;	/* BLOCKED as a whole, with no
						   field at fault: why (a
						   protected delete, or a
						   create whose num_replicas
						   the servers cannot hold:
						   loc.file set) */
};

struct plan {
	struct plan_action	*actions;	/* streams first, then their
						   consumers, declaration order;
						   deletes last */
	size_t			 n;
	size_t			 counts[PLAN_DELETE + 1];	/* by kind */
	size_t			 nlossy;	/* actions that delete data
						   (plan_is_lossy) */
	char			**unowned;	/* with prune: undeclared
						   streams outside its scope,
						   left alone */
	size_t			 nunowned;
};

/*
 * Ownership and protection marks kept in stream and consumer metadata on
 * servers that have it (2.10+).  The planner adds them to what it sends,
 * so a stream this tool created carries the managed-by mark and --prune
 * may delete it once it is no longer declared; prevent_delete: true is
 * recorded so that it still protects after the declaration is gone.
 */
#define PLAN_MD_MANAGED		"managed-by"
#define PLAN_MD_MANAGED_VALUE	"nats-provision"
#define PLAN_MD_PREVENT_DELETE	"nats-provision.prevent-delete"

struct plan_opts {
	bool	prune;		/* plan DELETE for undeclared objects */
	int64_t	now_ns;		/* the time max_age is measured from (Unix
				   ns); 0: the current time */
	char *const *streams;	/* --stream: only streams whose name
				   matches one of these globs (declared and,
				   with prune, live); NULL: all */
	size_t	nstreams;
};

/* True when name matches one of opts' stream globs, or there are none. */
bool	plan_selected(const struct plan_opts *opts, const char *name);

/*
 * True when a's loss would be exact with the per-subject counts of its
 * stream, which the caller may read into state.subjects and plan again.
 */
bool	plan_wants_subjects(const struct plan_action *a);

/* True when a deletes messages or bytes (a->loss). */
bool	plan_is_lossy(const struct plan_action *a);

/*
 * "deletes 55 of 65 messages (about 2.1 KiB of 2.5 KiB) by max_msgs"
 * into buf; "" when a deletes nothing.  Returns buf.
 */
const char *plan_loss_text(const struct plan_action *a, char *buf,
	    size_t len);

/*
 * Compare set against live.  With prune, an undeclared stream is deleted
 * only when it is in scope: its name matches set->prune_scope, or, when no
 * scope is declared, (2.10+) it carries the managed-by mark; a stream of a
 * KV bucket (KV_*) or an
 * object store (OBJ_*) only when a scope pattern itself starts with KV_ or
 * OBJ_.  Undeclared durable consumers of declared streams are in scope.
 * A delete in scope that set->protect or a prevent-delete mark covers is
 * BLOCKED.  Returns 0 and *ret (free with plan_free),
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

/*
 * Remove the server's keys (schema_is_reserved_metadata) from config's
 * metadata, and metadata itself when nothing else is left: they are never
 * drift, never sent back and never exported.  Returns 0.
 */
int	plan_drop_reserved(cJSON *config);

/*
 * Normalize a live config in place the same way: the server's metadata
 * keys dropped, then the schema's defaults for zero fields and the
 * schema's normalisation rules (schema_stream_rules,
 * schema_consumer_rules) of server_version (20910).  Returns 0, -EINVAL
 * when config is not an object, or -ENOMEM.
 */
int	plan_normalize_stream(cJSON *config, int server_version);
int	plan_normalize_consumer(cJSON *config, int server_version);

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
 *		"config": {...},		(create and update only)
 *		"blocked": "reason",		(a protected delete only)
 *		"data_loss": null | {"messages": N, "of_messages": N,
 *			"bytes": N, "of_bytes": N,
 *			"messages_estimated": B, "bytes_estimated": B,
 *			"causes": ["max_msgs", ...], "text": "deletes ..."}}],
 *	 "outside_prune_scope": ["name", ...],	(empty without prune)
 *	 "summary": {"no_change": N, "create": N, "update": N,
 *		"blocked": N, "delete": N, "data_loss": N}}
 *
 * Values are in API units (bytes, nanoseconds); null means absent.
 */
int	plan_to_json(const struct plan *p, cJSON **ret);

/*
 * A saved plan (plan --out) is carried out only while the server still
 * matches what the plan saw.  The fingerprint covers every stream the plan
 * names (declared, or deleted by prune):
 *
 *	{"STREAM": "16 hex digits" | "absent", "STREAM/CONSUMER": "...", ...}
 *
 * one FNV-1a 64 digest of each stream's config and created time, and of
 * each durable consumer's that was read.  Messages coming and going and
 * ephemeral consumers do not change it.  Returns 0 and *ret (caller
 * frees), -ENOMEM.
 */
int	plan_fingerprint(const struct live *l, const struct plan *p,
	    cJSON **ret);

/*
 * Compare a saved fingerprint with the current one.  Returns 0 when they
 * match, -ESTALE (d names the first difference and how many there are),
 * -EINVAL when saved is not a fingerprint.
 */
int	plan_fingerprint_check(const cJSON *saved, const cJSON *now,
	    struct diag *d);

/*
 * Read back the plan_to_json() form (a saved plan file: untrusted input).
 * Locations are not kept.  Returns 0 and *ret (free with plan_free),
 * -EINVAL (d says what is wrong, and where: "actions[3].config"),
 * -ENOMEM.
 */
int	plan_from_json(const cJSON *j, struct diag *d, struct plan **ret);

void	plan_free(struct plan *p);

#endif
