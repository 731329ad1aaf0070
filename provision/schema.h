/* SPDX-License-Identifier: MIT */
/*
 * schema: the table of every stream and consumer config field that the
 * spec format accepts, in the JetStream API's own names and units.
 *
 * One table drives the loader (types, units, ranges, aliases), the planner
 * (defaults for normalization, which changes the server can make in place)
 * and docs/spec-reference.md.  Nothing here allocates.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Server versions as major*10000 + minor*100 + patch: 2.9.10 = 20910. */
#define SCHEMA_V2_9	20900
#define SCHEMA_V2_10	21000

enum schema_type {
	SCHEMA_STRING,		/* YAML scalar -> JSON string */
	SCHEMA_BOOL,		/* true/false */
	SCHEMA_INT,		/* plain integer */
	SCHEMA_SIZE,		/* bytes; accepts K/KB/KiB ... T/TB/TiB (1024) */
	SCHEMA_DURATION,	/* JSON nanoseconds; accepts ms s m h d w y */
	SCHEMA_ENUM,		/* one of enums[] */
	SCHEMA_TIME,		/* RFC 3339 timestamp string */
	SCHEMA_STRINGS,		/* list of strings (a lone scalar is a list of one) */
	SCHEMA_DURATIONS,	/* list of durations */
	SCHEMA_OBJECT,		/* mapping checked against sub[] */
	SCHEMA_OBJECTS,		/* list of mappings checked against sub[] */
	SCHEMA_MAP,		/* free string -> string mapping (metadata) */
};

/* How the server treats a change of the field on an existing object. */
enum schema_change {
	SCHEMA_MUTABLE,		/* updated in place */
	SCHEMA_IMMUTABLE,	/* never changes in place: plan blocks it */
	SCHEMA_ONEWAY,		/* may only be set, never cleared (sealed,
				   deny_delete, deny_purge) */
	SCHEMA_SPECIAL,		/* planner applies a named rule (retention,
				   push/pull switch) */
};

struct schema_field {
	const char		*key;		/* API JSON name */
	const char		*alias;		/* also accepted in specs, or NULL */
	enum schema_type	 type;
	const char *const	*enums;		/* NULL-terminated, SCHEMA_ENUM */
	int64_t			 min;		/* numeric lower bound (API units) */
	int64_t			 max;		/* numeric upper bound, 0 = none */
	bool			 unlimited;	/* -1 / "unlimited" allowed:
						   stored as -1 for INT and
						   SIZE, as 0 for DURATION
						   (the API's "no limit") */
	int			 since;		/* first server version */
	const char		*def;		/* server default as JSON text,
						   NULL when the server omits it */
	enum schema_change	 change;
	const struct schema_field *sub;		/* SCHEMA_OBJECT(S) members */
	size_t			 nsub;
	const char		*doc;		/* one line for the reference */
};

/*
 * Metadata keys that belong to the server: 2.11 and newer add _nats.ver,
 * _nats.level and _nats.req.level to every stream's and consumer's
 * metadata and rewrite them on each update.  A spec may not declare them.
 */
#define SCHEMA_RESERVED_METADATA	"_nats."

/* True when a metadata key starts with SCHEMA_RESERVED_METADATA. */
bool	schema_is_reserved_metadata(const char *key);

/* The stream config fields; *ret_n receives the count. */
const struct schema_field *schema_stream_fields(size_t *ret_n);

/* The consumer config fields; *ret_n receives the count. */
const struct schema_field *schema_consumer_fields(size_t *ret_n);

/*
 * The contract fields (a stream's "contract:" block: what the agents rely
 * on, never sent to the server); *ret_n receives the count.
 */
const struct schema_field *schema_contract_fields(size_t *ret_n);

/*
 * Find key (or an alias) in a table.  Returns the field or NULL.
 */
const struct schema_field *schema_find(const struct schema_field *t, size_t n,
	    const char *key);

/*
 * The known key closest to key by edit distance, or NULL when nothing is
 * close enough to be a plausible typo.
 */
const char *schema_nearest(const struct schema_field *t, size_t n,
	    const char *key);

#endif
