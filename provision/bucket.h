/* SPDX-License-Identifier: MIT */
/*
 * bucket: key-value buckets and object stores as declared resources.
 *
 * A bucket is declared with the keys the client libraries expose (history,
 * ttl, max_value_size, ...) and reconciled as exactly the stream that the
 * official clients (nats.go jetstream, nats.c kvStore) create for it:
 *
 *	KV_<bucket>	subjects $KV.<bucket>.>, max_msgs_per_subject =
 *			history, allow_rollup_hdrs, deny_delete,
 *			allow_direct, discard new, max_msgs and
 *			max_consumers -1, duplicate window 2m or the ttl
 *			when shorter; a mirror gets mirror_direct and no
 *			subjects; a source without its own
 *			subject_transforms gets $KV.<src>.> -> $KV.<bucket>.>
 *	OBJ_<bucket>	subjects $O.<bucket>.C.> and $O.<bucket>.M.>,
 *			allow_rollup_hdrs, allow_direct, discard new
 *
 * so that a bucket made here is usable by every client and one made by a
 * client plans with no changes.  Nothing here does I/O or prints.
 */
#ifndef BUCKET_H
#define BUCKET_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "schema.h"
#include "speckind.h"

/* History limit of the clients (nats.go KeyValueMaxHistory). */
#define BUCKET_MAX_HISTORY	64

/*
 * The keys of a "kv:" (SPEC_KV) or "object_stores:" (SPEC_OBJ) item, in
 * export order; *ret_n receives the count.  Rows shared with streams
 * (storage, placement, ...) are the stream table's, under the client's
 * name.  Returns NULL for SPEC_STREAM.
 */
const struct schema_field *bucket_fields(enum spec_kind kind, size_t *ret_n);

/*
 * The stream config key a bucket key becomes (history ->
 * max_msgs_per_subject, ttl -> max_age, max_value_size -> max_msg_size,
 * replicas -> num_replicas, bucket -> name); any other key is its own.
 */
const char *bucket_stream_key(const char *key);

/* "KV_" or "OBJ_" ("" for SPEC_STREAM). */
const char *bucket_prefix(enum spec_kind kind);

/* The kind a stream name says (KV_*, OBJ_*), else SPEC_STREAM. */
enum spec_kind bucket_kind_of(const char *stream_name);

/* True when name is a valid bucket name: [A-Za-z0-9_-]+. */
bool	bucket_name_ok(const char *name);

/*
 * The stream config (API form) the clients create for a bucket declared
 * as cfg (bucket keys, API units; "bucket" must be a string).  Returns 0
 * and *ret (caller frees), -EINVAL when cfg has no bucket name, -ENOMEM.
 */
int	bucket_stream_config(enum spec_kind kind, const cJSON *cfg,
	    cJSON **ret);

/*
 * The bucket keys that describe a live stream config, defaults left out.
 * The caller proves the result with bucket_stream_config() and the
 * planner (export does): a stream a client did not shape this way does
 * not plan clean from it.  Returns 0 and *ret (caller frees), -EINVAL when
 * the stream's name does not say kind, -ENOMEM.
 */
int	bucket_from_stream(enum spec_kind kind, const cJSON *config,
	    cJSON **ret);

#endif
