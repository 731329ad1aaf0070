/* SPDX-License-Identifier: MIT */
/*
 * schema: the stream and consumer config fields of the JetStream API, as
 * nats-server 2.9 accepts them (plus the 2.10 additions, marked by since).
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

#include "schema.h"

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
};

static const struct schema_field mirror_external_fields[] = {
	{ .key = "api", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "JetStream API prefix of the other domain or account." },
	{ .key = "deliver", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Delivery prefix of the other domain or account." },
};

static const struct schema_field mirror_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Name of the stream to mirror." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "Start mirroring at this sequence." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Start mirroring at this time (RFC 3339)." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "Mirror only messages on this subject." },
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
	  .doc = "Name of the stream to source from." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Start sourcing at this sequence." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .doc = "Start sourcing at this time (RFC 3339)." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9,
	  .doc = "Source only messages on this subject." },
	{ .key = "external", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .sub = source_external_fields,
	  .nsub = NELEM(source_external_fields),
	  .doc = "Where the origin stream lives when in another domain "
	    "or account." },
};

static const struct schema_field republish_fields[] = {
	{ .key = "src", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Subject filter of the messages to republish." },
	{ .key = "dest", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Subject to republish to." },
	{ .key = "headers_only", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
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
	  .doc = "Default and upper bound of consumers' inactive_threshold." },
	{ .key = "max_ack_pending", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_10,
	  .doc = "Default and upper bound of consumers' max_ack_pending." },
};

static const struct schema_field stream_fields[] = {
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Stream name." },
	{ .key = "description", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Free-form description." },
	{ .key = "subjects", .type = SCHEMA_STRINGS, .since = SCHEMA_V2_9,
	  .doc = "Subjects the stream stores; wildcards allowed." },
	{ .key = "retention", .type = SCHEMA_ENUM, .enums = retention_enums,
	  .since = SCHEMA_V2_9, .def = "\"limits\"",
	  .change = SCHEMA_SPECIAL,
	  .doc = "When messages are removed: limits, interest or workqueue." },
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
	  .doc = "How long a message is kept." },
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
	  .doc = "Storage backend: file or memory." },
	{ .key = "num_replicas", .alias = "replicas", .type = SCHEMA_INT,
	  .min = 1, .max = 5, .since = SCHEMA_V2_9, .def = "1",
	  .doc = "How many copies a clustered server keeps (1 to 5)." },
	{ .key = "no_ack", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .doc = "Do not acknowledge published messages." },
	{ .key = "duplicate_window", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9, .def = "120000000000",
	  .doc = "Window for detecting duplicate publishes by Nats-Msg-Id." },
	{ .key = "placement", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .sub = placement_fields, .nsub = NELEM(placement_fields),
	  .doc = "Where a clustered server places the stream." },
	{ .key = "mirror", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE, .sub = mirror_fields,
	  .nsub = NELEM(mirror_fields),
	  .doc = "Make the stream a mirror of another stream." },
	{ .key = "sources", .type = SCHEMA_OBJECTS, .since = SCHEMA_V2_9,
	  .sub = source_fields, .nsub = NELEM(source_fields),
	  .doc = "Streams whose messages are copied into this one." },
	{ .key = "sealed", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .doc = "Refuse every change to the stream and its messages." },
	{ .key = "deny_delete", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .doc = "Refuse deleting single messages." },
	{ .key = "deny_purge", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false", .change = SCHEMA_ONEWAY,
	  .doc = "Refuse purging the stream." },
	{ .key = "allow_rollup_hdrs", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_9, .def = "false",
	  .doc = "Honour the Nats-Rollup header." },
	{ .key = "allow_direct", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false",
	  .doc = "Answer direct get requests from any replica." },
	{ .key = "mirror_direct", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .def = "false",
	  .doc = "Let a mirror answer direct gets for its origin." },
	{ .key = "republish", .type = SCHEMA_OBJECT, .since = SCHEMA_V2_9,
	  .sub = republish_fields, .nsub = NELEM(republish_fields),
	  .doc = "Republish stored messages to another subject." },
	{ .key = "discard_new_per_subject", .type = SCHEMA_BOOL,
	  .since = SCHEMA_V2_9,
	  .doc = "With discard new, apply it per subject." },
	{ .key = "metadata", .type = SCHEMA_MAP, .since = SCHEMA_V2_10,
	  .doc = "Free string to string metadata." },
	{ .key = "compression", .type = SCHEMA_ENUM,
	  .enums = compression_enums, .since = SCHEMA_V2_10,
	  .doc = "Storage compression: none or s2." },
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
};

/*
 * ack_policy, ack_wait, max_waiting and max_ack_pending have no def: the
 * server's default depends on whether the consumer is push or pull (and
 * on ack_policy), so plan.c applies them.
 */
static const struct schema_field consumer_fields[] = {
	{ .key = "durable_name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Durable consumer name." },
	{ .key = "name", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Consumer name (durable_name is preferred on 2.9)." },
	{ .key = "description", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Free-form description." },
	{ .key = "deliver_policy", .type = SCHEMA_ENUM,
	  .enums = deliver_enums, .since = SCHEMA_V2_9, .def = "\"all\"",
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Where delivery starts in the stream." },
	{ .key = "opt_start_seq", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "First sequence, with deliver_policy by_start_sequence." },
	{ .key = "opt_start_time", .type = SCHEMA_TIME, .since = SCHEMA_V2_9,
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "First time (RFC 3339), with deliver_policy by_start_time." },
	{ .key = "ack_policy", .type = SCHEMA_ENUM, .enums = ack_enums,
	  .since = SCHEMA_V2_9, .change = SCHEMA_IMMUTABLE,
	  .doc = "How messages are acknowledged: none, all or explicit." },
	{ .key = "ack_wait", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "How long to wait for an ack before redelivering." },
	{ .key = "max_deliver", .type = SCHEMA_INT, .min = 1,
	  .unlimited = true, .since = SCHEMA_V2_9, .def = "-1",
	  .doc = "How many times a message is delivered at most." },
	{ .key = "backoff", .type = SCHEMA_DURATIONS, .since = SCHEMA_V2_9,
	  .doc = "Redelivery delays, one per attempt." },
	{ .key = "filter_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9,
	  .doc = "Deliver only messages on this subject." },
	{ .key = "replay_policy", .type = SCHEMA_ENUM, .enums = replay_enums,
	  .since = SCHEMA_V2_9, .def = "\"instant\"",
	  .change = SCHEMA_IMMUTABLE,
	  .doc = "Deliver as fast as possible or at the original pace." },
	{ .key = "rate_limit_bps", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Delivery rate limit in bits per second." },
	{ .key = "sample_freq", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .doc = "Share of acks sampled for monitoring, like \"30%\"." },
	{ .key = "max_waiting", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "How many pull requests may wait at once." },
	{ .key = "max_ack_pending", .type = SCHEMA_INT, .min = 0,
	  .unlimited = true, .since = SCHEMA_V2_9,
	  .doc = "How many messages may be unacknowledged at once." },
	{ .key = "flow_control", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .doc = "Push flow control." },
	{ .key = "idle_heartbeat", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Push heartbeat interval when idle." },
	{ .key = "headers_only", .type = SCHEMA_BOOL, .since = SCHEMA_V2_9,
	  .doc = "Deliver headers only, without the body." },
	{ .key = "max_batch", .type = SCHEMA_INT, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Largest batch a pull request may ask for." },
	{ .key = "max_expires", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_9,
	  .doc = "Longest expiry a pull request may ask for." },
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
	  .doc = "Keep consumer state in memory." },
	{ .key = "deliver_subject", .type = SCHEMA_STRING,
	  .since = SCHEMA_V2_9, .change = SCHEMA_SPECIAL,
	  .doc = "Push delivery subject; absent for a pull consumer." },
	/* Measured: 2.9.10 changes a durable's queue group in place. */
	{ .key = "deliver_group", .type = SCHEMA_STRING, .since = SCHEMA_V2_9,
	  .change = SCHEMA_MUTABLE,
	  .doc = "Queue group of a push consumer." },
	{ .key = "filter_subjects", .type = SCHEMA_STRINGS,
	  .since = SCHEMA_V2_10,
	  .doc = "Deliver only messages on these subjects." },
	{ .key = "metadata", .type = SCHEMA_MAP, .since = SCHEMA_V2_10,
	  .doc = "Free string to string metadata." },
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
