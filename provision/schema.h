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

#include <cjson/cJSON.h>

/* Server versions as major*10000 + minor*100 + patch: 2.9.10 = 20910. */
#define SCHEMA_V2_9	20900
#define SCHEMA_V2_10	21000
#define SCHEMA_V2_11	21100
#define SCHEMA_V2_12	21200
#define SCHEMA_V2_14	21400

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
#define SCHEMA_NTYPES	(SCHEMA_MAP + 1)

/* How the server treats a change of the field on an existing object. */
enum schema_change {
	SCHEMA_MUTABLE,		/* updated in place */
	SCHEMA_IMMUTABLE,	/* never changes in place: plan blocks it */
	SCHEMA_ONEWAY,		/* may only be set, never cleared (sealed,
				   deny_delete, allow_msg_ttl) */
	SCHEMA_EXCEPT,		/* in place, except to or from the value
				   except (retention and workqueue) */
	SCHEMA_KIND,		/* in place while it stays set or stays
				   unset (deliver_subject: push or pull) */
};

/* From server version since on, the field changes by rule change. */
struct schema_change_at {
	int			 since;
	enum schema_change	 change;
};

#define SCHEMA_NCHANGES	2

/* Which consumers a consumer field applies to. */
enum schema_mode {
	SCHEMA_ANY,
	SCHEMA_PUSH,		/* only with deliver_subject */
	SCHEMA_PULL,		/* only without deliver_subject */
};

struct schema_field {
	const char		*key;		/* API JSON name */
	const char		*alias;		/* also accepted in specs, or NULL */
	enum schema_type	 type;
	const char *const	*enums;		/* NULL-terminated, SCHEMA_ENUM */
	const char		*newer_value;	/* an enum value a later server
						   added, or NULL */
	int			 newer_since;	/* the version that added it */
	int64_t			 min;		/* numeric lower bound (API units) */
	int64_t			 max;		/* numeric upper bound, 0 = none */
	bool			 unlimited;	/* -1 / "unlimited" allowed:
						   stored as -1 for INT and
						   SIZE, as 0 for DURATION
						   (the API's "no limit") */
	int			 since;		/* first server version */
	const char		*def;		/* server default as JSON text,
						   NULL when the server omits it */
	const char		*def_doc;	/* the default in words, when
						   it depends on other fields
						   (a rule below fills it) */
	enum schema_change	 change;	/* from since on */
	struct schema_change_at	 later[SCHEMA_NCHANGES]; /* from a newer
						   version on; since 0 ends */
	const char		*except;	/* SCHEMA_EXCEPT: JSON value */
	const char		*why;		/* replaces the reason a change
						   is blocked, or NULL */
	const char		*server_text;	/* the server's own refusal,
						   quoted in the reason */
	enum schema_mode	 mode;		/* consumers: push or pull only */
	const char		*mode_text;	/* the server's refusal of it
						   on the other kind, or NULL */
	const char		*refuse;	/* set only by the server or
						   internal: refused in specs
						   with this reason */
	const struct schema_field *sub;		/* SCHEMA_OBJECT(S) members */
	size_t			 nsub;
	const char		*doc;		/* the reference's meaning */
};

/*
 * The server's normalisations: "when the conditions hold, the server
 * stores key := value".  For each key the first rule whose conditions hold
 * decides (later rules for that key are skipped); a fill rule only sets a
 * key the config leaves unset (zero), a force rule always.
 */
enum schema_cond {
	SCHEMA_IF_NONE,		/* no condition (unused slot) */
	SCHEMA_IF_SET,		/* key is set (not zero) */
	SCHEMA_IF_UNSET,	/* key is absent or zero */
	SCHEMA_IF_EQ,		/* key equals value */
	SCHEMA_IF_NE,		/* key differs from value (unset differs) */
};

enum schema_set {
	SCHEMA_SET_VALUE,	/* key := value */
	SCHEMA_SET_FIRST,	/* key := first element of cond[0]'s list */
	SCHEMA_SET_MIN,		/* key := min(value, cond[0]'s number) */
	SCHEMA_SET_LIST,	/* key := [cond[0]'s value] */
	SCHEMA_SET_DROP,	/* remove key (the server leaves it out) */
};

struct schema_if {
	const char		*key;
	enum schema_cond	 cond;
	const char		*value;		/* JSON, for EQ and NE */
};

#define SCHEMA_NCONDS	3

struct schema_rule {
	struct schema_if	 when[SCHEMA_NCONDS];
	const char		*key;		/* stored key; "a.b" for a
						   member of object a */
	enum schema_set		 set;
	const char		*value;		/* JSON */
	bool			 force;		/* set even when key is set */
	int			 since;		/* first server version, 0 all */
	int			 until;		/* first version without, 0 none */
	const char		*doc;		/* why, for the reader */
};

/*
 * Per-type operations: the one place that knows each type, read by the
 * loader (parse, what, unlimited), the formatter and export (format),
 * the planner and export (number, list, object) and the reference.
 */
struct schema_type_ops {
	const char	*name;		/* the reference's word */
	const char	*what;		/* "a size like '100MB'": what a spec
					   must write, for messages */
	bool		 number;	/* JSON number (or a list of them) */
	bool		 list;		/* JSON array */
	bool		 object;	/* JSON object */
	/* spec text to API units (units.h); NULL: a plain integer */
	int		(*parse)(const char *s, int64_t *ret);
	/* API units to human units (units.h); NULL: plain digits */
	const char	*(*format)(int64_t v, char *buf, size_t len);
	bool		 format_negative; /* format takes -1 ("unlimited") */
	int64_t		 unlimited;	/* what "unlimited" is stored as */
};

const struct schema_type_ops *schema_ops(enum schema_type t);

/* The stream and consumer normalisation rules; *ret_n the count. */
const struct schema_rule *schema_stream_rules(size_t *ret_n);
const struct schema_rule *schema_consumer_rules(size_t *ret_n);

/* True when some rule fills key: its default depends on other fields. */
bool	schema_rule_fills(const struct schema_rule *r, size_t n,
	    const char *key);

/*
 * The keys whose value decides what rules store, in rule order, without
 * repeats: export adopts them first.  Fills at most cap entries of ret and
 * returns how many.
 */
size_t	schema_rule_drivers(const struct schema_rule *r, size_t n,
	    const char **ret, size_t cap);

/* The change rule of f on a server of version. */
enum schema_change schema_change_at(const struct schema_field *f,
	    int version);

/*
 * The field at a dotted path ("placement.cluster", "sources.name"), or
 * NULL.  Members of list items are named without an index.
 */
const struct schema_field *schema_find_path(const struct schema_field *t,
	    size_t n, const char *path);

/*
 * The one value formatter of both tools: v (JSON, API units) of field f
 * (NULL when unknown) in human units: sizes as "1.5 GiB"-style units,
 * durations as "30s", -1 limits as "unlimited", absent as "(unset)",
 * anything else as JSON (strings quoted).
 * Returns buf.
 */
#define SCHEMA_UNSET_TEXT	"(unset)"
const char *schema_value_format(const struct schema_field *f,
	    const cJSON *v, char *buf, size_t len);

/*
 * schema_value_format for the field at path (dotted, as plan fields name
 * it) of a stream or consumer config.  Returns buf.
 */
const char *schema_value_text(bool consumer, const char *path,
	    const cJSON *v, char *buf, size_t len);

/* Version as "2.10" (full false, when the patch is 0) or "2.10.27". */
const char *schema_version_text(int v, bool full, char *buf, size_t len);

/*
 * The reference's cells for f: its type (with range and "unlimited"),
 * its default and whether it changes in place on each server generation.
 * Each returns buf.
 */
const char *schema_doc_type(const struct schema_field *f, char *buf,
	    size_t len);
const char *schema_doc_default(const struct schema_field *f, char *buf,
	    size_t len);
const char *schema_doc_change(const struct schema_field *f, bool consumer,
	    char *buf, size_t len);

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
