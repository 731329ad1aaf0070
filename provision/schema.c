/* SPDX-License-Identifier: MIT */
/*
 * schema: the stream and consumer config fields of the JetStream API from
 * nats-server 2.9 to 2.15 (each marked by the version that introduced
 * it), their change rules by version, and the server's normalisations.
 *
 * The order of each table is the canonical key order of a loaded config:
 * the loader inserts keys in table order so that digests and output do
 * not depend on how a spec file happens to order its keys.
 *
 * def is what nats-server 2.9.10 reports in a created object's config when
 * the field was not given (measured, see docs); NULL means the server omits
 * the key.  Defaults that depend on other fields are left NULL here and
 * applied by plan.c.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <inttypes.h>
#include <stdio.h>

#include "jint.h"
#include "schema.h"
#include "units.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The server stores max_msg_size as an int32. */
#define INT32_LIMIT	2147483647

static const char *const retention_enums[] = {
	"limits", "interest", "workqueue", NULL
};
static const char *const storage_enums[] = { "file", "memory", NULL };
static const char *const discard_enums[] = { "old", "new", NULL };
static const char *const compression_enums[] = { "none", "s2", NULL };
static const char *const deliver_enums[] = {
	"all", "last", "new", "by_start_sequence", "by_start_time",
	"last_per_subject", NULL
};
static const char *const ack_enums[] = { "none", "all", "explicit", NULL };
static const char *const replay_enums[] = { "instant", "original", NULL };

/*
 * Members of objects carry the change rule of the object they belong to,
 * so a planner that diffs "mirror.name" finds the same answer as for
 * "mirror"; that is why mirror and sources have separate member tables.
 */
static const struct schema_field placement_fields[] = {
	{ .key = "cluster", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Cluster the stream is placed in." },
	{ .key = "tags", .type = SCHEMA_STRINGS, .since = SCHEMA_V2_9,
	  .doc = "Server tags the placement must match." },
	{ .key = "preferred", .type = SCHEMA_STRING, .since = SCHEMA_V2_11,
	  .refuse = "it names a server only for a leader step-down request "
	    "(server: preferred server not permitted in placement)",
	  .doc = "Not in a spec: a step-down request's preferred server." },
};

static const struct schema_field mirror_external_fields[] = {
	{ .key = "api", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "JetStream API prefix of the other domain or account." },
	{ .key = "deliver", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Delivery prefix of the other domain or account." },
};

static const struct schema_field origin_transform_fields[] = {
	{ .key = "src", .type = SCHEMA_STRING, .since = SCHEMA_V2_10,
	  .doc = "Subject filter of the messages to take." },
	{ .key = "dest", .type = SCHEMA_STRING, .since = SCHEMA_V2_10,
	  .doc = "Subject they are stored under." },
};

static const struct schema_field origin_consumer_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_14,
	  .doc = "Durable consumer on the origin to copy through." },
	{ .key = "deliver_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_14,
	  .doc = "Its delivery subject." },
};

static const struct schema_field mirror_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "required in `mirror`", .change = SCHEMA_IMMUTABLE,
	  .doc = "Name of the stream to mirror." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "Start mirroring at this sequence." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Start mirroring at this time." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "Mirror only messages on this subject." },
	{ .key = "subject_transforms", .type = SCHEMA_OBJECTS,
	  .since = SCHEMA_V2_10, .change = SCHEMA_IMMUTABLE,
	  .sub = origin_transform_fields,
	  .nsub = NELEM(origin_transform_fields),
	  .doc = "Filters with subject transforms (instead of "
	    "filter_subject)." },
	{ .key = "consumer", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_14,
	  .change = SCHEMA_IMMUTABLE, .sub = origin_consumer_fields,
	  .nsub = NELEM(origin_consumer_fields),
	  .doc = "Mirror through a durable consumer of the origin." },
	{ .key = "external", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE, .sub = mirror_external_fields,
	  .nsub = NELEM(mirror_external_fields),
	  .doc = "Where the origin stream lives when in another domain "
	    "or account." },
};

static const struct schema_field source_external_fields[] = {
	{ .key = "api", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "JetStream API prefix of the other domain or account." },
	{ .key = "deliver", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Delivery prefix of the other domain or account." },
};

static const struct schema_field source_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "required in a source",
	  .doc = "Name of the stream to source from." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Start sourcing at this sequence." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .doc = "Start sourcing at this time." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9,
	  .doc = "Source only messages on this subject." },
	{ .key = "subject_transforms", .type = SCHEMA_OBJECTS,
	  .since = SCHEMA_V2_10, .sub = origin_transform_fields,
	  .nsub = NELEM(origin_transform_fields),
	  .doc = "Filters with subject transforms (instead of "
	    "filter_subject)." },
	{ .key = "consumer", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_14,
	  .sub = origin_consumer_fields,
	  .nsub = NELEM(origin_consumer_fields),
	  .doc = "Source through a durable consumer of the origin." },
	{ .key = "external", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .sub = source_external_fields,
	  .nsub = NELEM(source_external_fields),
	  .doc = "Where the origin stream lives when in another domain "
	    "or account." },
};

/* 2.9 refuses any change of republish; 2.10 changes it in place. */
#define REPUBLISH_CHANGE \
	.change = SCHEMA_IMMUTABLE, \
	.later = { { SCHEMA_V2_10, SCHEMA_MUTABLE } }

static const struct schema_field republish_fields[] = {
	{ .key = "src", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "`>`", REPUBLISH_CHANGE,
	  .doc = "Subject filter of the messages to republish." },
	{ .key = "dest", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "required in `republish`", REPUBLISH_CHANGE,
	  .doc = "Subject to republish to." },
	{ .key = "headers_only", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  REPUBLISH_CHANGE,
	  .doc = "Republish headers only, without the body." },
};

static const struct schema_field transform_fields[] = {
	{ .key = "src", .type = SCHEMA_STRING, .since = SCHEMA_V2_10,
	  .doc = "Subject filter to transform." },
	{ .key = "dest", .type = SCHEMA_STRING, .since = SCHEMA_V2_10,
	  .doc = "Subject transform destination." },
};

static const struct schema_field consumer_limits_fields[] = {
	{ .key = "inactive_threshold", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_10,
	  .doc = "Default and upper bound of consumers' "
	    "`inactive_threshold`." },
	{ .key = "max_ack_pending", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_10,
	  .doc = "Default and upper bound of consumers' `max_ack_pending`." },
};

static const char *const persist_enums[] = { "default", "async", NULL };

static const struct schema_field stream_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "required", .change = SCHEMA_IMMUTABLE,
	  .doc = "Stream name." },
	{ .key = "description", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Free-form description, at most 4096 bytes." },
	{ .key = "subjects", .type = SCHEMA_STRINGS, .since = SCHEMA_V2_9,
	  .def_doc = "the stream name (none with `mirror` or `sources`)",
	  .doc = "Subjects the stream stores; wildcards allowed." },
	{ .key = "retention", .type = SCHEMA_ENUM, .enums = retention_enums,
	  .since = SCHEMA_V2_9, .def = "\"limits\"",
	  .change = SCHEMA_IMMUTABLE,
	  .later = { { SCHEMA_V2_10, SCHEMA_EXCEPT } },
	  .except = "\"workqueue\"",
	  .doc = "When messages are removed: by limits only, once every "
	    "consumer acknowledged them, or once one consumer acknowledged "
	    "them." },
	{ .key = "max_consumers", .type = SCHEMA_INT, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "How many consumers the stream may have." },
	{ .key = "max_msgs", .type = SCHEMA_INT, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .doc = "How many messages the stream keeps." },
	{ .key = "max_bytes", .type = SCHEMA_SIZE, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .doc = "How many bytes the stream keeps." },
	{ .key = "max_age", .type = SCHEMA_DURATION, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "0",
	  .doc = "How long a message is kept; at least 100ms." },
	{ .key = "max_msgs_per_subject", .type = SCHEMA_INT, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .doc = "How many messages are kept per subject." },
	{ .key = "max_msg_size", .type = SCHEMA_SIZE, .min = 0,
	  .max = INT32_LIMIT, .unlimited = true, .since = SCHEMA_V2_9,
	  .def = "-1",
	  .doc = "Largest message the stream accepts." },
	{ .key = "discard", .type = SCHEMA_ENUM, .enums = discard_enums,
	  .since = SCHEMA_V2_9, .def = "\"old\"",
	  .doc = "At a limit, discard old messages or refuse new ones." },
	{ .key = "storage", .type = SCHEMA_ENUM, .enums = storage_enums,
	  .since = SCHEMA_V2_9, .def = "\"file\"",
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Storage backend." },
	{ .key = "num_replicas", .alias = "replicas", .type = SCHEMA_INT,
	  .min = 1, .max = 5, .since = SCHEMA_V2_9, .def = "1",
	  .doc = "How many copies a clustered server keeps." },
	{ .key = "no_ack", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .doc = "Do not acknowledge published messages." },
	{ .key = "duplicate_window", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9, .def = "120000000000",
	  .def_doc = "2m, or `max_age` when shorter; none for a mirror, and "
	    "from 2.14 for a stream with `sources`",
	  .doc = "Window for detecting duplicate publishes by "
	    "`Nats-Msg-Id`; at least 100ms, at most `max_age`." },
	{ .key = "placement", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .sub = placement_fields, .nsub = NELEM(placement_fields),
	  .doc = "Where a clustered server places the stream." },
	{ .key = "mirror", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE, .why = "nats-server cannot change a "
	    "stream's mirror in place",
	  .server_text = "stream mirror configuration can not be updated",
	  .sub = mirror_fields, .nsub = NELEM(mirror_fields),
	  .doc = "Make the stream a mirror of another stream." },
	{ .key = "sources", .type = SCHEMA_OBJECTS, .since = SCHEMA_V2_9,
	  .sub = source_fields, .nsub = NELEM(source_fields),
	  .doc = "Streams whose messages are copied into this one." },
	{ .key = "sealed", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .why = "a sealed stream cannot be unsealed",
	  .doc = "Refuse every change to the stream's messages (no new "
	    "messages, deletes or purges). nats-server cannot create a "
	    "sealed stream, so a new stream declared sealed is created "
	    "unsealed and then sealed by an update in the same `apply`; "
	    "unsealing is blocked." },
	{ .key = "deny_delete", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .doc = "Refuse deleting single messages." },
	{ .key = "deny_purge", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .doc = "Refuse purging the stream." },
	{ .key = "allow_rollup_hdrs", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_9, .def = "false",
	  .doc = "Honour the `Nats-Rollup` header." },
	{ .key = "allow_direct", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false",
	  .doc = "Answer direct get requests from any replica." },
	{ .key = "mirror_direct", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false",
	  .doc = "Let a mirror answer direct gets for its origin." },
	{ .key = "republish", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  REPUBLISH_CHANGE,
	  .sub = republish_fields, .nsub = NELEM(republish_fields),
	  .doc = "Republish stored messages to another subject." },
	{ .key = "discard_new_per_subject", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_9,
	  .doc = "With `discard: new`, apply it per subject." },
	{ .key = "metadata", .type = SCHEMA_MAP, .since = SCHEMA_V2_10,
	  .doc = "Free string to string metadata." },
	{ .key = "compression", .type = SCHEMA_ENUM,
	  .enums = compression_enums, .since = SCHEMA_V2_10,
	  .doc = "Storage compression." },
	{ .key = "first_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_10,
	  .doc = "Sequence of the first message stored." },
	{ .key = "subject_transform", .type = SCHEMA_OBJECT,
	  .since = SCHEMA_V2_10, .sub = transform_fields,
	  .nsub = NELEM(transform_fields),
	  .doc = "Rewrite subjects of messages as they are stored." },
	{ .key = "consumer_limits", .type = SCHEMA_OBJECT,
	  .since = SCHEMA_V2_10, .sub = consumer_limits_fields,
	  .nsub = NELEM(consumer_limits_fields),
	  .doc = "Defaults and bounds for the stream's consumers." },
	{ .key = "allow_msg_ttl", .type = SCHEMA_BOOL, .since = SCHEMA_V2_11,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .server_text = "message TTL status can not be disabled",
	  .doc = "Honour a per-message TTL (the `Nats-TTL` header)." },
	{ .key = "subject_delete_marker_ttl", .type = SCHEMA_DURATION,
	  .min = 0, .since = SCHEMA_V2_11,
	  .doc = "Leave a delete marker with this TTL when limits remove a "
	    "subject's last message; at least 1s. Implies `allow_msg_ttl` "
	    "and `allow_rollup_hdrs` (and clears `deny_purge`); not on a "
	    "mirror." },
	{ .key = "allow_msg_counter", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_12, .change = SCHEMA_IMMUTABLE,
	  .server_text = "stream configuration update can not change "
	    "message counter setting",
	  .doc = "Make the stream a counter (it then takes only counter "
	    "increments); limits retention, no `discard: new`, TTLs or "
	    "schedules." },
	{ .key = "allow_atomic", .type = SCHEMA_BOOL, .since = SCHEMA_V2_12,
	  .doc = "Accept atomic batch publishes." },
	{ .key = "allow_msg_schedules", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_12, .change = SCHEMA_ONEWAY,
	  .server_text = "message schedules can not be disabled",
	  .doc = "Accept scheduled messages. Implies `allow_rollup_hdrs` "
	    "(and clears `deny_purge`); not with `discard: new`." },
	{ .key = "persist_mode", .type = SCHEMA_ENUM, .enums = persist_enums,
	  .since = SCHEMA_V2_12, .def_doc = "`default`",
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "stream configuration update can not change "
	    "persist mode",
	  .doc = "Flush writes at once (`default`) or asynchronously "
	    "(`async`: file storage, one replica, no atomic batches)." },
	{ .key = "allow_batched", .type = SCHEMA_BOOL, .since = SCHEMA_V2_14,
	  .doc = "Accept fast batch publishes." },
/* test-scratch adds a field here by rows only (tests/scratch-field.h) */
#ifdef SCHEMA_SCRATCH
#include SCHEMA_SCRATCH
#endif
};

/*
 * ack_policy, ack_wait, max_waiting and max_ack_pending have def_doc: the
 * server's default depends on whether the consumer is push or pull (and
 * on ack_policy); the rules below fill them.
 */
static const char *const priority_enums[] = {
	"none", "overflow", "pinned_client", "prioritized", NULL
};

static const struct schema_field consumer_fields[] = {
	{ .key = "durable_name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "required (or `name`)", .change = SCHEMA_IMMUTABLE,
	  .doc = "Durable consumer name." },
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .def_doc = "`durable_name`", .change = SCHEMA_IMMUTABLE,
	  .doc = "Consumer name (`durable_name` is preferred on 2.9)." },
	{ .key = "description", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Free-form description, at most 4096 bytes." },
	{ .key = "deliver_policy", .type = SCHEMA_ENUM,
	  .enums = deliver_enums, .since = SCHEMA_V2_9, .def = "\"all\"",
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "deliver policy can not be updated",
	  .doc = "Where delivery starts in the stream." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .server_text = "start sequence can not be updated",
	  .doc = "First sequence, with `deliver_policy: by_start_sequence` "
	    "only." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "start time can not be updated",
	  .doc = "First time, with `deliver_policy: by_start_time` only." },
	{ .key = "ack_policy", .type = SCHEMA_ENUM, .enums = ack_enums,
	  .since = SCHEMA_V2_9,
	  .def_doc = "`explicit` for pull, `none` for push (see note)",
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "ack policy can not be updated",
	  .doc = "How messages are acknowledged." },
	{ .key = "ack_wait", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .def_doc = "30s when acking; the first `backoff` delay when "
	    "`backoff` is set",
	  .doc = "How long to wait for an ack before redelivering." },
	{ .key = "max_deliver", .type = SCHEMA_INT, .min = 1,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .doc = "How many times a message is delivered at most." },
	{ .key = "backoff", .type = SCHEMA_DURATIONS, .since = SCHEMA_V2_9,
	  .doc = "Redelivery delays, one per attempt; needs `max_deliver` "
	    "greater than the number of delays." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9,
	  .doc = "Deliver only messages on this subject." },
	{ .key = "replay_policy", .type = SCHEMA_ENUM, .enums = replay_enums,
	  .since = SCHEMA_V2_9, .def = "\"instant\"",
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "replay policy can not be updated",
	  .doc = "Deliver as fast as possible or at the original pace." },
	{ .key = "rate_limit_bps", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .mode = SCHEMA_PUSH,
	  .mode_text = "consumer in pull mode can not have rate limit set",
	  .doc = "Delivery rate limit in bits per second." },
	{ .key = "sample_freq", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Share of acks sampled for monitoring, like `30%` or "
	    "`30`." },
	/* Measured on 2.9.10, 2.10.27 and 2.15.1: refused in place. */
	{ .key = "max_waiting", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .def_doc = "512 for pull",
	  .change = SCHEMA_IMMUTABLE, .mode = SCHEMA_PULL,
	  .server_text = "max waiting can not be updated",
	  .mode_text = "consumer in push mode can not set max waiting",
	  .doc = "How many pull requests may wait at once." },
	{ .key = "max_ack_pending", .type = SCHEMA_INT, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9,
	  .def_doc = "1000 when acking",
	  .doc = "How many messages may be unacknowledged at once." },
	/* Measured on 2.9.10, 2.10.27 and 2.15.1: refused in place. */
	{ .key = "flow_control", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE, .mode = SCHEMA_PUSH,
	  .server_text = "flow control can not be updated",
	  .mode_text = "consumer flow control requires a push based "
	    "consumer",
	  .doc = "Push flow control; needs `idle_heartbeat`." },
	/* Measured on 2.9.10, 2.10.27 and 2.15.1: refused in place. */
	{ .key = "idle_heartbeat", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .mode = SCHEMA_PUSH,
	  .server_text = "heart beats can not be updated",
	  .mode_text = "consumer idle heartbeat requires a push based "
	    "consumer",
	  .doc = "Push heartbeat interval when idle; at least 100ms." },
	{ .key = "headers_only", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .doc = "Deliver headers only, without the body." },
	{ .key = "max_batch", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Largest batch a pull request may ask for." },
	{ .key = "max_expires", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Longest expiry a pull request may ask for; at least 1ms." },
	{ .key = "max_bytes", .type = SCHEMA_SIZE, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Most bytes a pull request may ask for." },
	{ .key = "inactive_threshold", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Remove the consumer after this long without activity." },
	{ .key = "num_replicas", .alias = "replicas", .type = SCHEMA_INT,
	  .min = 0, .max = 5, .since = SCHEMA_V2_9, .def = "0",
	  .doc = "Replicas of the consumer; 0 means as many as the stream." },
	{ .key = "mem_storage", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .server_text = "storage type can not be updated",
	  .doc = "Keep consumer state in memory." },
	{ .key = "deliver_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9, .change = SCHEMA_KIND,
	  .doc = "Push delivery subject; absent for a pull consumer." },
	/* Measured: 2.9.10 changes a durable's queue group in place. */
	{ .key = "deliver_group", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_MUTABLE, .mode = SCHEMA_PUSH,
	  .doc = "Queue group." },
	{ .key = "direct", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .refuse = "nats-server sets it on the consumers it makes for "
	    "mirrors and sources; a client must not",
	  .doc = "Not in a spec: marks the server's own consumers that "
	    "bypass replication." },
	{ .key = "filter_subjects", .type = SCHEMA_STRINGS,
	  .since = SCHEMA_V2_10,
	  .doc = "Deliver only messages on these subjects." },
	{ .key = "metadata", .type = SCHEMA_MAP, .since = SCHEMA_V2_10,
	  .doc = "Free string to string metadata." },
	{ .key = "pause_until", .type = SCHEMA_TIME, .since = SCHEMA_V2_11,
	  .doc = "Deliver nothing until this time." },
	{ .key = "priority_groups", .type = SCHEMA_STRINGS,
	  .since = SCHEMA_V2_11, .mode = SCHEMA_PULL,
	  .mode_text = "priority groups can not be used with push "
	    "consumers",
	  .doc = "Priority groups pull requests name; needs "
	    "`priority_policy`." },
	{ .key = "priority_policy", .type = SCHEMA_ENUM,
	  .enums = priority_enums, .since = SCHEMA_V2_11,
	  .newer_value = "prioritized", .newer_since = SCHEMA_V2_12,
	  .def_doc = "`none`", .mode = SCHEMA_PULL,
	  .mode_text = "priority groups can not be used with push "
	    "consumers",
	  .doc = "How the groups share messages: `overflow`, "
	    "`pinned_client`, or (2.12) `prioritized`; needs "
	    "`priority_groups`." },
	{ .key = "priority_timeout", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_11, .def_doc = "2m with `pinned_client`",
	  .mode = SCHEMA_PULL,
	  .doc = "With `pinned_client`: how long a pinned client may be "
	    "silent before another is pinned." },
	{ .key = "sourcing", .type = SCHEMA_BOOL, .since = SCHEMA_V2_14,
	  .change = SCHEMA_IMMUTABLE,
	  .refuse = "nats-server sets it on the consumers it makes for "
	    "sourcing streams; a client must not",
	  .doc = "Not in a spec: marks the server's own sourcing "
	    "consumers." },
};

/*
 * What nats-server stores beyond what was asked (checkStreamCfg,
 * setConsumerConfigDefaults).  Order matters: for each key the first rule
 * whose conditions hold decides, and export adopts the keys the
 * conditions read in this order.
 */
#define IF(k, c)	{ .key = (k), .cond = SCHEMA_IF_ ## c }
#define IFV(k, c, v)	{ .key = (k), .cond = SCHEMA_IF_ ## c, .value = (v) }

static const struct schema_rule stream_rules[] = {
	{ .when = { IF("mirror", SET) }, .key = "duplicate_window",
	  .value = "0",
	  .doc = "a mirror copies and never dedupes" },
	{ .when = { IF("sources", SET) }, .key = "duplicate_window",
	  .value = "0", .since = SCHEMA_V2_14,
	  .doc = "nats-server PR 7651; measured on 2.15.1" },
	{ .when = { IF("max_age", SET) }, .key = "duplicate_window",
	  .set = SCHEMA_SET_MIN, .value = "120000000000",
	  .doc = "the window never outlasts the messages" },
	{ .key = "duplicate_window", .value = "120000000000" },
	{ .when = { IF("sealed", SET) }, .key = "max_age",
	  .value = "0", .force = true,
	  .doc = "sealing makes the stream keep everything" },
	{ .when = { IF("sealed", SET) }, .key = "discard",
	  .value = "\"new\"", .force = true },
	{ .when = { IF("sealed", SET) }, .key = "deny_delete",
	  .value = "true", .force = true },
	{ .when = { IF("sealed", SET) }, .key = "deny_purge",
	  .value = "true", .force = true },
	{ .when = { IF("sealed", SET) }, .key = "allow_rollup_hdrs",
	  .value = "false", .force = true },
	{ .when = { IF("name", SET), IF("mirror", UNSET),
	  IF("sources", UNSET) }, .key = "subjects",
	  .set = SCHEMA_SET_LIST,
	  .doc = "a stream without subjects captures its own name" },
	{ .when = { IF("republish", SET) }, .key = "republish.src",
	  .value = "\">\"" },
	{ .when = { IFV("compression", EQ, "\"none\"") },
	  .key = "compression", .set = SCHEMA_SET_DROP,
	  .doc = "2.10 reports none; absent means the same, and 2.9 must "
	    "not be sent it" },
	{ .when = { IFV("persist_mode", EQ, "\"default\"") },
	  .key = "persist_mode", .set = SCHEMA_SET_DROP,
	  .doc = "the server leaves the default out" },
	{ .when = { IF("subject_delete_marker_ttl", SET) },
	  .key = "allow_msg_ttl", .value = "true", .force = true,
	  .since = SCHEMA_V2_11,
	  .doc = "delete markers expire by message TTL" },
	{ .when = { IF("subject_delete_marker_ttl", SET) },
	  .key = "allow_rollup_hdrs", .value = "true", .force = true,
	  .since = SCHEMA_V2_11 },
	{ .when = { IF("subject_delete_marker_ttl", SET) },
	  .key = "deny_purge", .value = "false", .force = true,
	  .since = SCHEMA_V2_11 },
	{ .when = { IF("allow_msg_schedules", SET) },
	  .key = "allow_rollup_hdrs", .value = "true", .force = true,
	  .since = SCHEMA_V2_12,
	  .doc = "a schedule rolls up its subject" },
	{ .when = { IF("allow_msg_schedules", SET) },
	  .key = "deny_purge", .value = "false", .force = true,
	  .since = SCHEMA_V2_12 },
#ifdef SCHEMA_SCRATCH_RULES
#include SCHEMA_SCRATCH_RULES
#endif
};

static const struct schema_rule consumer_rules[] = {
	{ .when = { IF("deliver_subject", SET) }, .key = "ack_policy",
	  .value = "\"none\"",
	  .doc = "the server's default for push" },
	{ .key = "ack_policy", .value = "\"explicit\"",
	  .doc = "sent for pull, as the nats CLI does" },
	{ .when = { IF("backoff", SET) }, .key = "ack_wait",
	  .set = SCHEMA_SET_FIRST, .force = true,
	  .doc = "a backoff list overrides ack_wait" },
	{ .when = { IFV("ack_policy", NE, "\"none\"") }, .key = "ack_wait",
	  .value = "30000000000" },
	{ .when = { IFV("ack_policy", NE, "\"none\"") },
	  .key = "max_ack_pending", .value = "1000" },
	{ .when = { IF("deliver_subject", UNSET) }, .key = "max_waiting",
	  .value = "512" },
	{ .when = { IFV("priority_policy", EQ, "\"none\"") },
	  .key = "priority_policy", .set = SCHEMA_SET_DROP,
	  .doc = "the server leaves the default out" },
	{ .when = { IFV("priority_policy", EQ, "\"pinned_client\"") },
	  .key = "priority_timeout", .value = "120000000000",
	  .since = SCHEMA_V2_11 },
};

/*
 * A stream's contract: what the agents rely on, kept apart from the
 * config.  Not sent to the server; the conformance suite chooses and sizes
 * its checks from it.  Durations are nanoseconds and sizes bytes, as in
 * the configs.
 */
static const char *const pattern_enums[] = {
	"inbox", "broadcast", "workqueue", NULL
};

static const struct schema_field contract_fields[] = {
	{ .key = "pattern", .type = SCHEMA_ENUM, .enums = pattern_enums,
	  .doc = "How the agents use the stream: inbox (guaranteed delivery "
	    "to one agent), broadcast (every agent gets every message) or "
	    "workqueue (each task to one of several workers)." },
	{ .key = "offline_window", .type = SCHEMA_DURATION, .min = 0,
	  .doc = "How long an agent may be offline and still receive every "
	    "message published meanwhile." },
	{ .key = "backlog_msgs", .type = SCHEMA_INT, .min = 1,
	  .doc = "Messages the stream must be able to hold at once." },
	{ .key = "typical_msg_size", .type = SCHEMA_SIZE, .min = 1,
	  .doc = "Typical message size: backlog_msgs of it must fit." },
	{ .key = "max_msg_size", .type = SCHEMA_SIZE, .min = 1,
	  .doc = "Largest message the agents publish." },
	{ .key = "workers", .type = SCHEMA_INT, .min = 1, .max = 100000,
	  .doc = "Workers sharing the queue (workqueue only)." },
	{ .key = "late_joiners_see_history", .type = SCHEMA_BOOL,
	  .doc = "An agent that joins late must see the messages published "
	    "before it joined (broadcast only)." },
	{ .key = "dedupe_window", .type = SCHEMA_DURATION, .min = 0,
	  .doc = "A task republished within this window must not run twice "
	    "(workqueue only)." },
	{ .key = "processing_time", .type = SCHEMA_DURATION, .min = 0,
	  .doc = "Longest a worker may take on a task before it is "
	    "redelivered (workqueue only)." },
};

const struct schema_field *
schema_contract_fields(size_t *ret_n)
{
	*ret_n = NELEM(contract_fields);
	return contract_fields;
}

const struct schema_field *
schema_stream_fields(size_t *ret_n)
{
	*ret_n = NELEM(stream_fields);
	return stream_fields;
}

const struct schema_field *
schema_consumer_fields(size_t *ret_n)
{
	*ret_n = NELEM(consumer_fields);
	return consumer_fields;
}

bool
schema_is_reserved_metadata(const char *key)
{
	return strncmp(key, SCHEMA_RESERVED_METADATA,
	    sizeof(SCHEMA_RESERVED_METADATA) - 1) == 0;
}

const struct schema_field *
schema_find(const struct schema_field *t, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].key, key) == 0)
			return &t[i];
		if (t[i].alias != NULL && strcmp(t[i].alias, key) == 0)
			return &t[i];
	}
	return NULL;
}

/* Longer input cannot be a typo of any key; bounds the work too. */
#define NEAREST_MAX	64

/*
 * Levenshtein distance, ignoring case: keys match case-sensitively, but
 * "Max_Msgs" is still best answered with 'max_msgs'.
 */
static size_t
schema_distance(const char *a, const char *b)
{
	size_t	row[NEAREST_MAX + 1];
	size_t	la = strlen(a), lb = strlen(b);
	size_t	i, j, diag, up, cost, best;

	if (la > NEAREST_MAX || lb > NEAREST_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			cost = tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 1]) ? 0 : 1;
			best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *
schema_nearest(const struct schema_field *t, size_t n, const char *key)
{
	const char	*best = NULL;
	size_t		 d, bestd = SIZE_MAX, limit, i;

	limit = strlen(key) / 3;
	if (limit < 2)
		limit = 2;
	for (i = 0; i < n; i++) {
		if ((d = schema_distance(key, t[i].key)) < bestd) {
			bestd = d;
			best = t[i].key;
		}
		if (t[i].alias != NULL &&
		    (d = schema_distance(key, t[i].alias)) < bestd) {
			bestd = d;
			best = t[i].alias;
		}
	}
	return bestd <= limit ? best : NULL;
}

static const struct schema_type_ops type_ops[SCHEMA_NTYPES] = {
	[SCHEMA_STRING] = { .name = "string", .what = "a string" },
	[SCHEMA_BOOL] = { .name = "bool", .what = "true or false" },
	[SCHEMA_INT] = { .name = "integer", .what = "an integer",
	    .number = true, .unlimited = -1 },
	[SCHEMA_SIZE] = { .name = "size", .what = "a size like '100MB'",
	    .number = true, .parse = units_parse_size,
	    .format = units_format_size, .format_negative = true,
	    .unlimited = -1 },
	[SCHEMA_DURATION] = { .name = "duration",
	    .what = "a duration like '30s' or '7d'", .number = true,
	    .parse = units_parse_duration, .format = units_format_duration,
	    .unlimited = 0 },
	[SCHEMA_ENUM] = { .name = "enum", .what = "one of the values" },
	[SCHEMA_TIME] = { .name = "time",
	    .what = "an RFC 3339 time like '2024-01-01T00:00:00Z'" },
	[SCHEMA_STRINGS] = { .name = "list of strings",
	    .what = "a list of strings", .list = true },
	[SCHEMA_DURATIONS] = { .name = "list of durations",
	    .what = "a duration like '30s' or '7d'", .number = true,
	    .list = true, .parse = units_parse_duration,
	    .format = units_format_duration, .unlimited = 0 },
	[SCHEMA_OBJECT] = { .name = "mapping", .what = "a mapping",
	    .object = true },
	[SCHEMA_OBJECTS] = { .name = "list of mappings",
	    .what = "a list of mappings", .list = true },
	[SCHEMA_MAP] = { .name = "map of strings",
	    .what = "a mapping of strings", .object = true },
};

const struct schema_type_ops *
schema_ops(enum schema_type t)
{
	if ((unsigned)t >= SCHEMA_NTYPES)
		t = SCHEMA_STRING;
	return &type_ops[t];
}

const struct schema_rule *
schema_stream_rules(size_t *ret_n)
{
	*ret_n = NELEM(stream_rules);
	return stream_rules;
}

const struct schema_rule *
schema_consumer_rules(size_t *ret_n)
{
	*ret_n = NELEM(consumer_rules);
	return consumer_rules;
}

bool
schema_rule_fills(const struct schema_rule *r, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!r[i].force && r[i].set != SCHEMA_SET_DROP &&
		    strcmp(r[i].key, key) == 0)
			return true;
	return false;
}

size_t
schema_rule_drivers(const struct schema_rule *r, size_t n,
    const char **ret, size_t cap)
{
	size_t	i, j, k, got = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < SCHEMA_NCONDS; j++) {
			if (r[i].when[j].key == NULL)
				continue;
			for (k = 0; k < got; k++)
				if (strcmp(ret[k], r[i].when[j].key) == 0)
					break;
			if (k == got && got < cap)
				ret[got++] = r[i].when[j].key;
		}
	}
	return got;
}

enum schema_change
schema_change_at(const struct schema_field *f, int version)
{
	enum schema_change	c = f->change;
	size_t			i;

	for (i = 0; i < SCHEMA_NCHANGES && f->later[i].since != 0; i++)
		if (f->later[i].since <= version)
			c = f->later[i].change;
	return c;
}

const struct schema_field *
schema_find_path(const struct schema_field *t, size_t n, const char *path)
{
	const struct schema_field	*f = NULL;
	char				 part[128];
	size_t				 len;

	while (*path != '\0') {
		len = strcspn(path, ".");
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, path, len);
		part[len] = '\0';
		path += len;
		if (*path == '.')
			path++;
		/* a list index ("sources.0.name") names no field */
		if (part[0] != '\0' && strspn(part, "0123456789") == len)
			continue;
		if (t == NULL || (f = schema_find(t, n, part)) == NULL)
			return NULL;
		t = f->sub;
		n = f->nsub;
	}
	return f;
}

const char *
schema_version_text(int v, bool full, char *buf, size_t len)
{
	if (full || v % 100 != 0)
		snprintf(buf, len, "%d.%d.%d", v / 10000, v / 100 % 100,
		    v % 100);
	else
		snprintf(buf, len, "%d.%d", v / 10000, v / 100 % 100);
	return buf;
}

const char *
schema_value_format(const struct schema_field *f, const cJSON *v, char *buf,
    size_t len)
{
	enum schema_type		 t = f != NULL ? f->type : SCHEMA_STRING;
	const struct schema_type_ops	*ops;
	int64_t				 n;
	char				*s;

	if (v == NULL || cJSON_IsNull(v)) {
		snprintf(buf, len, "%s", SCHEMA_UNSET_TEXT);
		return buf;
	}
	/* Only a whole number that fits int64_t has units. */
	if (cJSON_IsNumber(v) && jint_get(v, &n) == 0) {
		ops = schema_ops(t);
		if (n == -1 && (f == NULL || f->unlimited))
			snprintf(buf, len, "%s", "unlimited");
		else if (ops->format != NULL && n >= 0)
			ops->format(n, buf, len);
		else
			snprintf(buf, len, "%" PRId64, n);
		return buf;
	}
	if (t == SCHEMA_DURATIONS && cJSON_IsArray(v)) {
		size_t	 used = 0;
		const cJSON *e;
		char	 one[64];

		snprintf(buf, len, "[");
		used = strlen(buf);
		cJSON_ArrayForEach(e, v) {
			schema_value_format(f, e, one, sizeof(one));
			snprintf(buf + used, len - used, "%s%s",
			    e == v->child ? "" : ", ", one);
			used = strlen(buf);
		}
		snprintf(buf + used, len - used, "]");
		return buf;
	}
	if ((s = jint_print(v, false)) == NULL) {
		snprintf(buf, len, "%s", "?");
		return buf;
	}
	snprintf(buf, len, "%s", s);
	cJSON_free(s);
	return buf;
}

const char *
schema_value_text(bool consumer, const char *path, const cJSON *v,
    char *buf, size_t len)
{
	const struct schema_field	*t;
	size_t				 n;

	t = consumer ? schema_consumer_fields(&n) : schema_stream_fields(&n);
	return schema_value_format(schema_find_path(t, n, path), v, buf, len);
}

const char *
schema_doc_type(const struct schema_field *f, char *buf, size_t len)
{
	const struct schema_type_ops	*ops = schema_ops(f->type);
	const char *const		*e;
	size_t				 used;
	char				 lo[48], hi[48];

	buf[0] = '\0';
	if (f->type == SCHEMA_ENUM) {
		for (e = f->enums; e != NULL && *e != NULL; e++) {
			used = strlen(buf);
			snprintf(buf + used, len - used, "%s`%s`",
			    e == f->enums ? "" : ", ", *e);
		}
		return buf;
	}
	snprintf(buf, len, "%s", ops->name);
	if (ops->number && !ops->list && (f->max != 0 || f->min != 0 ||
	    f->type != SCHEMA_DURATION || !f->unlimited)) {
		/* bytes and counts as digits; "0", not "0s": a bare 0 needs
		   no unit */
		if (f->type == SCHEMA_DURATION && f->min != 0)
			ops->format(f->min, lo, sizeof(lo));
		else
			snprintf(lo, sizeof(lo), "%" PRId64, f->min);
		if (f->type == SCHEMA_DURATION)
			ops->format(f->max, hi, sizeof(hi));
		else
			snprintf(hi, sizeof(hi), "%" PRId64, f->max);
		used = strlen(buf);
		if (f->max != 0)
			snprintf(buf + used, len - used, " %s..%s", lo, hi);
		else
			snprintf(buf + used, len - used, " >= %s", lo);
	}
	if (f->unlimited) {
		used = strlen(buf);
		snprintf(buf + used, len - used, ", unlimited");
	}
	return buf;
}

const char *
schema_doc_default(const struct schema_field *f, char *buf, size_t len)
{
	cJSON	*v;
	char	 tmp[64];

	if (f->def_doc != NULL) {
		snprintf(buf, len, "%s", f->def_doc);
		return buf;
	}
	if (f->def == NULL || (v = cJSON_Parse(f->def)) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	schema_value_format(f, v, tmp, sizeof(tmp));
	if (cJSON_IsString(v))
		snprintf(buf, len, "`%s`", v->valuestring);
	else if (cJSON_IsNumber(v) && v->valuedouble == 0 && f->unlimited)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%s", tmp);
	cJSON_Delete(v);
	return buf;
}

static const char *
schema_change_word(const struct schema_field *f, enum schema_change c,
    bool consumer)
{
	static char	except[96];
	const char	*e;

	switch (c) {
	case SCHEMA_MUTABLE:
		return "yes";
	case SCHEMA_IMMUTABLE:
		return "no";
	case SCHEMA_ONEWAY:
		return "only to true";
	case SCHEMA_KIND:
		return consumer ? "yes, but not push to pull or back" :
		    "yes, but not set to unset or back";
	case SCHEMA_EXCEPT:
		e = f->except != NULL ? f->except : "\"\"";
		snprintf(except, sizeof(except), "yes, except to or from `%.*s`",
		    (int)(strlen(e) > 2 ? strlen(e) - 2 : 0), e + 1);
		return except;
	}
	return "?";
}

const char *
schema_doc_change(const struct schema_field *f, bool consumer, char *buf,
    size_t len)
{
	char	v[32];
	size_t	i, used;

	if (f->later[0].since == 0) {
		snprintf(buf, len, "%s", schema_change_word(f, f->change,
		    consumer));
		return buf;
	}
	snprintf(buf, len, "%s: %s", schema_version_text(f->since, false, v,
	    sizeof(v)), schema_change_word(f, f->change, consumer));
	for (i = 0; i < SCHEMA_NCHANGES && f->later[i].since != 0; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "; %s+: %s",
		    schema_version_text(f->later[i].since, false, v,
		    sizeof(v)), schema_change_word(f, f->later[i].change,
		    consumer));
	}
	return buf;
}
