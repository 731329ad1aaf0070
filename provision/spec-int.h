/* SPDX-License-Identifier: MIT */
/*
 * spec-int: what the spec loader's two modules share: spec.c (files,
 * limits, streams, consumers, buckets) and spec-yaml.c (YAML nodes to
 * typed values, with their places and the loader's diagnostics).  Nothing
 * outside provision/spec*.c includes this header.
 */
#ifndef SPEC_INT_H
#define SPEC_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <yaml.h>

#include "diag.h"
#include "schema.h"
#include "spec.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Past this many problems a file is most likely not a spec at all. */
#define SPEC_ERRORS_MAX	100

#define PATH_MAX_LEN	256

/* Free-form maps (metadata) are small; duplicates are found by search. */
#define SPEC_MAP_MAX	1024

/* A top-level consumer, attached to its stream once every file is read. */
struct spec_orphan {
	char			*stream;	/* NULL: not given or bad */
	struct spec_loc		 stream_loc;	/* the 'stream' key */
	struct spec_consumer	 c;
};

struct spec_loader {
	const struct spec_limits *lim;
	struct spec_orphan	*orphans;
	size_t			 norphans;
	struct diag_list	*diags;
	struct spec_set		*set;
	yaml_document_t		*doc;
	const char		*file;		/* owned by set->files */
	size_t			 errors;	/* in this file */
	bool			 stop;		/* give up on this file */
	int			 code;		/* worst code so far */
};

struct spec_keys {
	struct spec_keyloc	*v;
	size_t			 n;
	size_t			 cap;
};

/* Raise the load's code to code when it says more (a missing path beats
 * a bad value). */
void	spec_code(struct spec_loader *l, int code);

/*
 * Note a problem at a position of the current file.  A problem of the
 * whole file (no mark) is put at 1:1, so that every spec error reads
 * file:line:column.
 */
void	spec_err(struct spec_loader *l, int code, const yaml_mark_t *mark,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Note a problem about a whole path (no position). */
void	spec_err_path(struct spec_loader *l, int code, const char *path,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Note a problem at a recorded location. */
void	spec_note_at(struct spec_loader *l, int code, struct spec_loc loc,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Note that memory ran out, and stop the load. */
void	spec_nomem(struct spec_loader *l);

/* Where node n is: the current file, its line and column (1-based). */
struct spec_loc	spec_loc_of(const struct spec_loader *l, const yaml_node_t *n);

/* Node idx of the current document, or NULL. */
yaml_node_t	*spec_node(const struct spec_loader *l, int idx);

/* The kind of n in words ("a mapping"), for messages. */
const char	*spec_kind(const yaml_node_t *n);

/* n is YAML's null ("~", "null" or nothing). */
bool	spec_is_null(const yaml_node_t *n);

/* Free n key locations and v; NULL is a no-op. */
void	spec_keys_free(struct spec_keyloc *v, size_t n);

/*
 * The scalar text of n, or NULL after noting why not.  what is the
 * expected type for the message.
 */
const char	*spec_scalar(struct spec_loader *l, const yaml_node_t *n,
		    const char *path, const char *what);

/* n as a JSON bool, or NULL after noting why not (or out of memory). */
cJSON	*spec_bool(struct spec_loader *l, const yaml_node_t *n,
	    const char *path);

/*
 * Convert a mapping against table t (n fields) into a JSON object whose
 * keys follow table order.  Keys named in extras are not converted: their
 * key and value nodes are handed back in ret_xkey[] / ret_xval[].
 * Returns NULL only when out of memory; problems are noted and the
 * offending keys left out.
 */
cJSON	*spec_mapping(struct spec_loader *l, const yaml_node_t *m,
	    const struct schema_field *t, size_t n, const char *prefix,
	    const struct schema_field *extras, size_t nextras,
	    yaml_node_t **ret_xkey, yaml_node_t **ret_xval,
	    struct spec_keys *keys);

#endif
