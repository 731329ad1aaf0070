/* SPDX-License-Identifier: MIT */
/*
 * spec: the declared model and its YAML loader.
 *
 * A spec path is a YAML file or a directory whose *.yaml / *.yml files are
 * read one level deep, in name order; such an entry that cannot be read is
 * an error, never skipped.  Each file holds a top-level
 * "streams:" list, a "consumers:" list (consumers that name their
 * "stream:", declared in any file of the set: they join its consumers
 * once every file is read), "kv:" and "object_stores:" lists (buckets,
 * loaded as the KV_/OBJ_ streams the clients make: bucket.h) and/or a
 * "prune:" block (scope and protect name
 * globs); each stream may hold a "consumers:" list, an optional
 * "contract:" block (what the agents rely on: pattern and guarantees,
 * kept apart from the config and never sent to the server) and an
 * optional "conformance:" list that replaces the check groups its contract
 * chooses.
 *
 * The loader converts every value to the JetStream API's own JSON form and
 * units (bytes, nanoseconds) using the schema table, and records where each
 * key was written so that later checks can point at file:line:column.
 * It checks YAML syntax, unknown keys (with a suggestion), types, units and
 * per-field ranges; validate.c checks everything that spans fields and
 * streams.
 */
#ifndef SPEC_H
#define SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "speckind.h"

/* Hard limits on untrusted input. */
struct spec_limits {
	size_t	max_file_bytes;		/* per file */
	size_t	max_files;		/* per directory */
	int	max_depth;		/* mapping/sequence nesting */
	size_t	max_aliases;		/* YAML alias (*ref) uses per file */
	size_t	max_nodes;		/* nodes visited per file, aliases
					   expanded: defeats billion laughs */
};

#define SPEC_LIMITS_DEFAULT { \
	.max_file_bytes = 1024 * 1024, \
	.max_files = 1024, \
	.max_depth = 32, \
	.max_aliases = 64, \
	.max_nodes = 100000, \
}

struct spec_loc {
	const char	*file;		/* points into spec_set.files */
	int		 line;		/* 1-based */
	int		 col;		/* 1-based */
};

/* Where one key was written; path is dotted: "placement.cluster". */
struct spec_keyloc {
	char		*path;
	struct spec_loc	 loc;
};

struct spec_consumer {
	char			*name;		/* durable_name (or name) */
	cJSON			*config;	/* ConsumerConfig, API form */
	bool			 prevent_update; /* every update is blocked */
	bool			 prevent_delete; /* recorded in metadata (2.10+)
						    so that --prune blocks */
	struct spec_loc		 loc;		/* the list item */
	struct spec_keyloc	*keys;
	size_t			 nkeys;
};

struct spec_stream {
	char			*name;
	enum spec_kind		 kind;
	char			*bucket;	/* KV/OBJ: the bucket's name;
						   config is the stream the
						   clients make (bucket.h),
						   keys[] use its keys */
	cJSON			*config;	/* StreamConfig, API form */
	bool			 prevent_update; /* every update is blocked */
	bool			 prevent_delete; /* recorded in metadata (2.10+)
						    so that --prune blocks */
	struct spec_loc		 loc;		/* the list item */
	struct spec_keyloc	*keys;
	size_t			 nkeys;
	struct spec_consumer	*consumers;
	size_t			 nconsumers;
	cJSON			*conformance;	/* array of group names, or
						   NULL for "chosen by the
						   contract" */
	cJSON			*contract;	/* the contract block, API units
						   (ns, bytes), keys as in
						   schema_contract_fields(),
						   or NULL when none */
};

struct spec_set {
	char			**files;	/* every file read */
	size_t			  nfiles;
	struct spec_stream	 *streams;	/* in declaration order */
	size_t			  nstreams;
	/* The root "prune:" blocks of every file, merged. */
	bool			  prune_scoped;	/* some file has prune.scope */
	char			**prune_scope;	/* stream name globs --prune
						   may delete */
	size_t			  nprune_scope;
	char			**protect;	/* STREAM or STREAM/CONSUMER
						   globs never deleted */
	size_t			  nprotect;
};

/*
 * Load every path.  Errors of every file are appended to diags (each with
 * file:line:col), not just the first.
 * Returns 0 and *ret_set (free with spec_set_free), or:
 *	-EINVAL	one or more spec errors (see diags); *ret_set untouched
 *	-ENOENT	a path does not exist, or an entry of a directory named
 *		like a spec (*.yaml, *.yml) cannot be read: a dangling
 *		symbolic link, a subdirectory, a special file (in diags;
 *		never skipped)
 *	-E2BIG	an input limit was hit (in diags)
 *	-ENOMEM
 * limits may be NULL for SPEC_LIMITS_DEFAULT.
 */
int	spec_load(char *const *paths, size_t npaths,
	    const struct spec_limits *limits, struct diag_list *diags,
	    struct spec_set **ret_set);

/*
 * Like spec_load, but on -EINVAL, -ENOENT and -E2BIG *ret_set is also
 * set (free it): every stream item that was a mapping, with the keys that
 * loaded.  A key that failed is absent from config but still listed in
 * keys[], so later checks can tell "not written" from "written wrong".
 * For validate_load, which reports every error of a run at once.
 */
int	spec_load_keep(char *const *paths, size_t npaths,
	    const struct spec_limits *limits, struct diag_list *diags,
	    struct spec_set **ret_set);

/* Parse one in-memory document as if read from name (used by tests). */
int	spec_load_buffer(const char *name, const char *buf, size_t len,
	    const struct spec_limits *limits, struct diag_list *diags,
	    struct spec_set **ret_set);

void	spec_set_free(struct spec_set *set);

/* Lookups; NULL when absent. */
const struct spec_stream *spec_find_stream(const struct spec_set *set,
	    const char *name);
const struct spec_consumer *spec_find_consumer(const struct spec_stream *st,
	    const char *name);

/*
 * The location of a dotted key path in keys[], or fallback when the key was
 * not written.
 */
struct spec_loc spec_key_loc(const struct spec_keyloc *keys, size_t nkeys,
	    const char *path, struct spec_loc fallback);

/*
 * A stable digest of the declared configs (FNV-1a 64 over canonical JSON),
 * as 16 hex digits.  buf must hold 17 bytes.  Returns buf.
 */
const char *spec_digest(const struct spec_set *set, char *buf);

/*
 * FNV-1a of s, then a separator (so that text moved from one input to the
 * next changes the hash), continuing from h (start with
 * 0xcbf29ce484222325); spec_fnv_json hashes j's exact compact print.  The
 * one hash of the spec digest and of saved plans' fingerprints.
 */
uint64_t	spec_fnv(uint64_t h, const char *s);
uint64_t	spec_fnv_json(uint64_t h, const cJSON *j);

#endif
