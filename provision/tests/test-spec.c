/* SPDX-License-Identifier: MIT */
/*
 * test-spec: the YAML loader: conversion of every field type, the
 * position and text of each kind of error, input limits, directories.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "jint.h"
#include "spec.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
load(const char *doc, struct diag_list *dl, struct spec_set **ret)
{
	return spec_load_buffer("t.yaml", doc, strlen(doc), NULL, dl, ret);
}

static void
assert_json(const cJSON *got, const char *want)
{
	char	*s;

	assert_non_null(got);
	s = jint_print(got, false);
	assert_non_null(s);
	if (strcmp(s, want) != 0)
		fail_msg("got  %s\nwant %s", s, want);
	cJSON_free(s);
}

static const char every_type[] =
    "streams:\n"
    "  - name: orders\n"					/* 2 */
    "    description: \"all orders\"\n"
    "    subjects: [orders.*, \"refunds.>\"]\n"
    "    retention: workqueue\n"				/* 5 */
    "    max_consumers: unlimited\n"
    "    max_msgs: \"10000\"\n"
    "    max_bytes: 100MB\n"
    "    max_age: 7d\n"
    "    max_msgs_per_subject: -1\n"				/* 10 */
    "    max_msg_size: 1 MiB\n"
    "    discard: new\n"
    "    storage: memory\n"
    "    replicas: 3\n"
    "    duplicate_window: 2m\n"				/* 15 */
    "    deny_delete: true\n"
    "    allow_rollup_hdrs: False\n"
    "    placement:\n"
    "      cluster: east\n"
    "      tags: ssd\n"						/* 20 */
    "    sources:\n"
    "      - name: legacy\n"
    "        opt_start_time: 2024-01-02T15:04:05.5+01:00\n"
    "        external: { api: \"$JS.hub.API\", deliver: dlv }\n"
    "      - name: other\n"					/* 25 */
    "        opt_start_seq: 42\n"
    "    metadata:\n"
    "      owner: team-a\n"
    "    conformance: [workqueue, config]\n"
    "    consumers:\n"					/* 30 */
    "      - durable_name: workers\n"
    "        ack_policy: explicit\n"
    "        ack_wait: 30s\n"
    "        max_deliver: 5\n"
    "        backoff: [1s, 5s, 1m]\n"				/* 35 */
    "        max_ack_pending: unlimited\n"
    "        filter_subject: orders.new\n"
    "      - name: tail\n"
    "        deliver_subject: dlv.tail\n"
    "        deliver_policy: last\n"				/* 40 */
    "        idle_heartbeat: 5s\n"
    "        flow_control: true\n";

static const char contract_doc[] =
    "streams:\n"
    "  - name: tasks\n"
    "    subjects: [tasks.*]\n"
    "    contract:\n"
    "      pattern: workqueue\n"				/* 5 */
    "      offline_window: 8h\n"
    "      backlog_msgs: 50000\n"
    "      typical_msg_size: 2KB\n"
    "      max_msg_size: 1MiB\n"
    "      workers: 4\n"					/* 10 */
    "      dedupe_window: 2m\n"
    "      processing_time: 30s\n";

/* A contract keeps API units, stays out of the config, keys located. */
static void
test_contract(void **state)
{
	struct diag_list		 dl = { 0 };
	struct spec_set			*set = NULL;
	const struct spec_stream	*st;
	struct spec_loc			 loc, none = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(spec_load_buffer("c.yaml", contract_doc,
	    strlen(contract_doc), NULL, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	st = &set->streams[0];
	assert_json(st->config, "{\"name\":\"tasks\","
	    "\"subjects\":[\"tasks.*\"]}");
	assert_json(st->contract, "{\"pattern\":\"workqueue\","
	    "\"offline_window\":28800000000000,\"backlog_msgs\":50000,"
	    "\"typical_msg_size\":2048,\"max_msg_size\":1048576,"
	    "\"workers\":4,\"dedupe_window\":120000000000,"
	    "\"processing_time\":30000000000}");
	loc = spec_key_loc(st->keys, st->nkeys, "contract.workers", none);
	assert_int_equal(loc.line, 10);
	assert_int_equal(loc.col, 7);
	loc = spec_key_loc(st->keys, st->nkeys, "contract", none);
	assert_int_equal(loc.line, 4);
	spec_set_free(set);
	diag_list_free(&dl);
}

/* prevent_update / prevent_delete and the root prune block. */
static const char protect_doc[] =
    "prune:\n"
    "  scope: [app-*, KV_app*]\n"
    "  protect: [app-audit, app-orders/c?]\n"
    "streams:\n"
    "  - name: app-a\n"
    "    prevent_update: true\n"
    "    prevent_delete: false\n"
    "    consumers:\n"
    "      - durable_name: c1\n"
    "        prevent_delete: true\n";

static const char prune_only_doc[] = "prune:\n  scope: [x]\n";

static void
test_protect(void **state)
{
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	struct spec_loc		 loc, none = { NULL, 0, 0 };
	size_t			 i;
	static const struct {
		const char	*doc;
		int		 line, col;
		const char	*msg;
	} bad[] = {
		{ "prune: [a]\n", 1, 8, "prune: expected a mapping" },
		{ "prune:\n  scope: a\n", 2, 10, "prune.scope: expected a "
		  "list of stream name patterns, got a value" },
		{ "prune:\n  scope: [a/b]\n", 2, 11, "'a/b' is not a stream "
		  "name pattern" },
		{ "prune:\n  protect: [a/b/c]\n", 2, 13, "'a/b/c' is not a "
		  "STREAM or STREAM/CONSUMER pattern" },
		{ "prune:\n  scopes: [a]\n", 2, 3, "unknown key 'prune.scopes' (did you mean 'scope'?)" },
		{ "streams:\n  - name: a\n    prevent_update: yes\n", 3, 21,
		  "prevent_update: 'yes' is not a boolean here" },
		{ "streams:\n  - name: a\n    consumers:\n"
		  "      - durable_name: c\n        prevent_delete: 1\n", 5,
		  25, "prevent_delete: expected true or false" },
	};

	(void)state;
	assert_int_equal(spec_load_buffer("p.yaml", protect_doc,
	    strlen(protect_doc), NULL, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	assert_true(set->prune_scoped);
	assert_int_equal(set->nprune_scope, 2);
	assert_string_equal(set->prune_scope[1], "KV_app*");
	assert_int_equal(set->nprotect, 2);
	assert_string_equal(set->protect[1], "app-orders/c?");
	assert_true(set->streams[0].prevent_update);
	assert_false(set->streams[0].prevent_delete);
	assert_false(set->streams[0].consumers[0].prevent_update);
	assert_true(set->streams[0].consumers[0].prevent_delete);
	/* the flags are never sent to the server */
	assert_json(set->streams[0].config, "{\"name\":\"app-a\"}");
	assert_json(set->streams[0].consumers[0].config,
	    "{\"durable_name\":\"c1\"}");
	loc = spec_key_loc(set->streams[0].keys, set->streams[0].nkeys,
	    "prevent_update", none);
	assert_int_equal(loc.line, 6);
	spec_set_free(set);
	set = NULL;

	/* a file may hold only a prune block */
	assert_int_equal(spec_load_buffer("p.yaml", prune_only_doc,
	    strlen(prune_only_doc), NULL, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(set->nstreams, 0);
	assert_int_equal(set->nprune_scope, 1);
	spec_set_free(set);
	set = NULL;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(spec_load_buffer("p.yaml", bad[i].doc,
		    strlen(bad[i].doc), NULL, &dl, &set), -EINVAL);
		if (dl.n != 1 || dl.items[0].line != bad[i].line ||
		    dl.items[0].col != bad[i].col ||
		    strstr(dl.items[0].msg, bad[i].msg) == NULL)
			fail_msg("case %zu: %zu problems, first %d:%d %s", i,
			    dl.n, dl.n > 0 ? dl.items[0].line : 0,
			    dl.n > 0 ? dl.items[0].col : 0,
			    dl.n > 0 ? dl.items[0].msg : "");
		diag_list_free(&dl);
	}
}

static void
test_every_type(void **state)
{
	struct diag_list		 dl = { 0 };
	struct spec_set			*set = NULL;
	const struct spec_stream	*st;
	const struct spec_consumer	*c;
	struct spec_loc			 loc, none = { NULL, 0, 0 };

	assert_int_equal(load(every_type, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	assert_non_null(set);
	assert_int_equal(set->nfiles, 1);
	assert_string_equal(set->files[0], "t.yaml");
	assert_int_equal(set->nstreams, 1);
	st = spec_find_stream(set, "orders");
	assert_ptr_equal(st, &set->streams[0]);
	assert_null(spec_find_stream(set, "nope"));
	assert_string_equal(st->name, "orders");
	assert_int_equal(st->loc.line, 2);
	assert_int_equal(st->loc.col, 5);
	assert_ptr_equal(st->loc.file, set->files[0]);

	/* API names and units, keys in table order (num_replicas moved) */
	assert_json(st->config,
	    "{\"name\":\"orders\",\"description\":\"all orders\","
	    "\"subjects\":[\"orders.*\",\"refunds.>\"],"
	    "\"retention\":\"workqueue\",\"max_consumers\":-1,"
	    "\"max_msgs\":10000,\"max_bytes\":104857600,"
	    "\"max_age\":604800000000000,\"max_msgs_per_subject\":-1,"
	    "\"max_msg_size\":1048576,\"discard\":\"new\","
	    "\"storage\":\"memory\",\"num_replicas\":3,"
	    "\"duplicate_window\":120000000000,"
	    "\"placement\":{\"cluster\":\"east\",\"tags\":[\"ssd\"]},"
	    "\"sources\":[{\"name\":\"legacy\","
	    "\"opt_start_time\":\"2024-01-02T15:04:05.5+01:00\","
	    "\"external\":{\"api\":\"$JS.hub.API\",\"deliver\":\"dlv\"}},"
	    "{\"name\":\"other\",\"opt_start_seq\":42}],"
	    "\"deny_delete\":true,\"allow_rollup_hdrs\":false,"
	    "\"metadata\":{\"owner\":\"team-a\"}}");
	assert_json(st->conformance, "[\"workqueue\",\"config\"]");

	/* key positions, by API name even when an alias was written */
	loc = spec_key_loc(st->keys, st->nkeys, "num_replicas", none);
	assert_int_equal(loc.line, 14);
	assert_int_equal(loc.col, 5);
	assert_ptr_equal(loc.file, set->files[0]);
	loc = spec_key_loc(st->keys, st->nkeys, "placement.tags", none);
	assert_int_equal(loc.line, 20);
	assert_int_equal(loc.col, 7);
	loc = spec_key_loc(st->keys, st->nkeys, "sources.1.opt_start_seq",
	    none);
	assert_int_equal(loc.line, 26);
	assert_int_equal(loc.col, 9);
	loc = spec_key_loc(st->keys, st->nkeys, "sources.0.external.deliver",
	    none);
	assert_int_equal(loc.line, 24);
	assert_int_equal(loc.col, 41);
	loc = spec_key_loc(st->keys, st->nkeys, "replicas", none);
	assert_int_equal(loc.line, 0);		/* fallback */

	assert_int_equal(st->nconsumers, 2);
	c = spec_find_consumer(st, "workers");
	assert_ptr_equal(c, &st->consumers[0]);
	assert_int_equal(c->loc.line, 31);
	assert_int_equal(c->loc.col, 9);
	assert_json(c->config,
	    "{\"durable_name\":\"workers\",\"ack_policy\":\"explicit\","
	    "\"ack_wait\":30000000000,\"max_deliver\":5,"
	    "\"backoff\":[1000000000,5000000000,60000000000],"
	    "\"filter_subject\":\"orders.new\",\"max_ack_pending\":-1}");
	loc = spec_key_loc(c->keys, c->nkeys, "backoff", none);
	assert_int_equal(loc.line, 35);
	assert_int_equal(loc.col, 9);

	c = spec_find_consumer(st, "tail");
	assert_ptr_equal(c, &st->consumers[1]);
	assert_json(c->config,
	    "{\"name\":\"tail\",\"deliver_policy\":\"last\","
	    "\"flow_control\":true,\"idle_heartbeat\":5000000000,"
	    "\"deliver_subject\":\"dlv.tail\"}");
	assert_null(spec_find_consumer(st, "nope"));

	spec_set_free(set);
	diag_list_free(&dl);
}

/* A minimal stream around one line of stream keys, at line 3. */
#define STREAM(body)	"streams:\n  - name: s\n" body

struct error_case {
	const char	*doc;
	int		 line;
	int		 col;
	const char	*msg;		/* exact message */
};

static const struct error_case error_cases[] = {
	/* syntax, with libyaml's own words */
	{ "streams:\n  - name: a\n    subjects: [a\n", 4, 1,
	  "invalid YAML: did not find expected ',' or ']' (while parsing a "
	  "flow sequence at line 3, column 15)" },
	{ "streams:\n  - name: a\n   bad: 1\n", 3, 4,
	  "invalid YAML: did not find expected '-' indicator (while parsing "
	  "a block collection at line 2, column 3)" },
	{ "streams: a: b\n", 1, 11,
	  "invalid YAML: mapping values are not allowed in this context" },
	{ "streams: *nothing\n", 1, 10,
	  "invalid YAML: found undefined alias" },
	/* structure */
	{ "- a\n", 1, 1,
	  "expected a mapping with a 'streams' list at the top level, "
	  "got a list" },
	{ "stream: []\n", 1, 1,
	  "unknown key 'stream' (did you mean 'streams'?)" },
	{ "streams:\n", 1, 9,
	  "'streams' has no value (expected a list of streams)" },
	{ "streams: {}\n", 1, 10,
	  "streams: expected a list of streams, got a mapping" },
	{ "streams:\n  - subjects: [a]\n", 2, 5, "stream has no 'name'" },
	{ "streams:\n  - name: a\n  - name: b\n    name: c\n", 4, 5,
	  "duplicate key 'name' (first at line 3)" },
	{ STREAM("    <<: {}\n"), 3, 5,
	  "YAML merge keys ('<<') are not supported; write the keys out" },
	{ "---\nstreams: []\n---\nstreams: []\n", 3, 1,
	  "a spec file holds one YAML document; found another" },
	/* keys */
	{ STREAM("    max_mgs: 5\n"), 3, 5,
	  "unknown key 'max_mgs' (did you mean 'max_msgs'?)" },
	{ STREAM("    Max_Msgs: 5\n"), 3, 5,
	  "unknown key 'Max_Msgs' (did you mean 'max_msgs'?)" },
	{ STREAM("    consumer: []\n"), 3, 5,
	  "unknown key 'consumer' (did you mean 'consumers'?)" },
	{ STREAM("    frobnicate: 5\n"), 3, 5,
	  "unknown key 'frobnicate'" },
	{ STREAM("    placement: {clustr: a}\n"), 3, 17,
	  "unknown key 'placement.clustr' (did you mean 'cluster'?)" },
	{ STREAM("    replicas: 1\n    num_replicas: 1\n"), 4, 5,
	  "'num_replicas' and 'replicas' are the same setting (line 3); "
	  "give only one" },
	/* types */
	{ STREAM("    max_msgs: lots\n"), 3, 15,
	  "max_msgs: expected an integer or 'unlimited', got 'lots'" },
	{ STREAM("    max_msgs: 1.5\n"), 3, 15,
	  "max_msgs: expected an integer or 'unlimited', got '1.5'" },
	{ STREAM("    max_msgs: [1]\n"), 3, 15,
	  "max_msgs: expected an integer or 'unlimited', got a list" },
	{ STREAM("    max_msgs:\n"), 3, 14,
	  "'max_msgs' has no value (expected an integer or 'unlimited')" },
	{ STREAM("    max_msgs: ~\n"), 3, 15,
	  "'max_msgs' has no value (expected an integer or 'unlimited')" },
	{ STREAM("    max_msgs: 99999999999999999999\n"), 3, 15,
	  "max_msgs: '99999999999999999999' is too large" },
	{ STREAM("    max_bytes: 100QB\n"), 3, 16,
	  "max_bytes: expected a size like '100MB' or 'unlimited', "
	  "got '100QB'" },
	{ STREAM("    max_age: 7days\n"), 3, 14,
	  "max_age: expected a duration like '30s' or '7d' or 'unlimited', "
	  "got '7days'" },
	{ STREAM("    duplicate_window: unlimited\n"), 3, 23,
	  "duplicate_window: 'unlimited' is out of range (0s or more)" },
	{ STREAM("    max_age: 300y\n"), 3, 14,
	  "max_age: '300y' is too large" },
	{ STREAM("    max_bytes: 9223372036854775808\n"), 3, 16,
	  "max_bytes: '9223372036854775808' is too large" },
	{ STREAM("    max_age: 30\n"), 3, 14,
	  "max_age: '30' has no unit; write '30s' for seconds (units: ns, "
	  "us, ms, s, m, h, d, w, M, y)" },
	{ STREAM("    duplicate_window: 2.5\n"), 3, 23,
	  "duplicate_window: '2.5' has no unit; write '2.5s' for seconds "
	  "(units: ns, us, ms, s, m, h, d, w, M, y)" },
	{ STREAM("    deny_purge: yes\n"), 3, 17,
	  "deny_purge: 'yes' is not a boolean here; write true or false" },
	{ STREAM("    deny_purge: 1\n"), 3, 17,
	  "deny_purge: expected true or false, got '1'" },
	{ STREAM("    retention: Limits\n"), 3, 16,
	  "retention: expected one of 'limits', 'interest', 'workqueue', "
	  "got 'Limits'" },
	{ STREAM("    subjects: {a: b}\n"), 3, 15,
	  "subjects: expected a list of strings, got a mapping" },
	{ STREAM("    subjects: [a, [b]]\n"), 3, 19,
	  "subjects[1]: expected a string, got a list" },
	{ STREAM("    subjects: [a, ~]\n"), 3, 19,
	  "'subjects[1]' has no value (expected a string)" },
	{ STREAM("    placement: east\n"), 3, 16,
	  "placement: expected a mapping" },
	{ STREAM("    sources: [a]\n"), 3, 15,
	  "sources: expected a mapping, got a value" },
	{ STREAM("    mirror: {name: a, opt_start_time: yesterday}\n"), 3, 39,
	  "mirror.opt_start_time: expected an RFC 3339 time like "
	  "'2024-01-02T15:04:05Z', got 'yesterday'" },
	/* Go's calendar: no 30 February, no leap second. */
	{ STREAM("    mirror: {name: a, opt_start_time: "
	  "2023-02-29T00:00:00Z}\n"), 3, 39,
	  "mirror.opt_start_time: expected an RFC 3339 time like "
	  "'2024-01-02T15:04:05Z', got '2023-02-29T00:00:00Z'" },
	{ STREAM("    mirror: {name: a, opt_start_time: "
	  "2016-12-31T23:59:60Z}\n"), 3, 39,
	  "mirror.opt_start_time: expected an RFC 3339 time like "
	  "'2024-01-02T15:04:05Z', got '2016-12-31T23:59:60Z'" },
	/* Text from the spec is quoted by the one rule (diag_quote). */
	{ STREAM("    retention: \"lim\\e[2J\\x07\"\n"), 3, 16,
	  "retention: expected one of 'limits', 'interest', 'workqueue', "
	  "got 'lim\\x1b[2J\\x07'" },
	{ STREAM("    \"max_\\r\\nmsgs\": 1\n"), 3, 5,
	  "unknown key 'max_\\x0d\\x0amsgs' (did you mean 'max_msgs'?)" },
	{ STREAM("    metadata: {a: [b]}\n"), 3, 19,
	  "metadata.a: expected a string, got a list" },
	{ STREAM("    metadata: {team: a, _nats.ver: 2.15.1}\n"), 3, 25,
	  "metadata: key '_nats.ver' is reserved: nats-server owns the keys "
	  "that start with '_nats.'" },
	/* ranges */
	{ STREAM("    replicas: 7\n"), 3, 15,
	  "num_replicas: '7' is out of range (1 to 5)" },
	{ STREAM("    num_replicas: 0\n"), 3, 19,
	  "num_replicas: '0' is out of range (1 to 5)" },
	{ STREAM("    max_msgs: -5\n"), 3, 15,
	  "max_msgs: '-5' is out of range (0 or more, or 'unlimited')" },
	{ STREAM("    max_msg_size: 4GiB\n"), 3, 19,
	  "max_msg_size: '4GiB' is out of range (0 to 2147483647, or "
	  "'unlimited')" },
	/* consumers and conformance */
	{ STREAM("    consumers:\n      - ack_policy: explicit\n"), 4, 9,
	  "consumer has no 'durable_name' or 'name'" },
	{ STREAM("    consumers: {a: 1}\n"), 3, 16,
	  "consumers: expected a list of consumers, got a mapping" },
	{ STREAM("    consumers:\n      - name: c\n        ack_wait: 30s\n"
	  "        ack_policy: maybe\n"), 6, 21,
	  "ack_policy: expected one of 'none', 'all', 'explicit', "
	  "got 'maybe'" },
	{ STREAM("    consumers:\n      - name: c\n        replicas: 6\n"), 5,
	  19, "num_replicas: '6' is out of range (0 to 5)" },
	{ STREAM("    consumers:\n      - name: c\n        subjects: [a]\n"), 5,
	  9, "unknown key 'subjects'" },
	/* contract: converted like a config, apart from it */
	{ STREAM("    contract: inbox\n"), 3, 15,
	  "contract: expected a mapping with a 'pattern', got a value" },
	{ STREAM("    contract:\n"), 3, 14,
	  "'contract' has no value (expected a mapping with a 'pattern')" },
	{ STREAM("    contract: {pattern: queue}\n"), 3, 25,
	  "contract.pattern: expected one of 'inbox', 'broadcast', "
	  "'workqueue', got 'queue'" },
	{ STREAM("    contract: {pattern: inbox, ofline_window: 1h}\n"), 3,
	  32, "unknown key 'contract.ofline_window' (did you mean "
	  "'offline_window'?)" },
	{ STREAM("    contract:\n      pattern: inbox\n"
	  "      offline_window: 8 hours\n"), 5, 23,
	  "contract.offline_window: expected a duration like '30s' or '7d', "
	  "got '8 hours'" },
	{ STREAM("    contract:\n      pattern: workqueue\n"
	  "      workers: three\n"), 5, 16,
	  "contract.workers: expected an integer, got 'three'" },
	{ STREAM("    contract:\n      pattern: workqueue\n"
	  "      workers: 0\n"), 5, 16,
	  "contract.workers: '0' is out of range (1 to 100000)" },
	{ STREAM("    contract:\n      pattern: inbox\n"
	  "      max_msg_size: 1 lightyear\n"), 5, 21,
	  "contract.max_msg_size: expected a size like '100MB', got "
	  "'1 lightyear'" },
	{ STREAM("    contract:\n      pattern: broadcast\n"
	  "      late_joiners_see_history: yes\n"), 5, 33,
	  "contract.late_joiners_see_history: 'yes' is not a boolean here; "
	  "write true or false" },
	{ STREAM("    contract: {pattern: inbox}\n    contract: {}\n"), 4, 5,
	  "duplicate key 'contract' (first at line 3)" },
	{ STREAM("    conformance: [[pubsub]]\n"), 3, 19,
	  "conformance: expected a group name, got a list" },
	{ STREAM("    conformance: pubsub\n"), 3, 18,
	  "conformance: expected a list of group names, got a value" },
	/* spec text is quoted with control characters escaped (fuzz-spec) */
	{ STREAM("    \"max\\t_age\": 1\n"), 3, 5,
	  "unknown key 'max\\x09_age' (did you mean 'max_age'?)" },
	{ STREAM("    \"\\e]0;x\\a\": 1\n"), 3, 5,
	  "unknown key '\\x1b]0;x\\x07'" },
	{ STREAM("    storage: \"fi\\x7fle\"\n"), 3, 14,
	  "storage: expected one of 'file', 'memory', got 'fi\\x7fle'" },
};

static void
test_errors(void **state)
{
	struct diag_list	 dl;
	struct spec_set		*set;
	const struct diag	*d;
	size_t			 i;
	int			 r;

	for (i = 0; i < NELEM(error_cases); i++) {
		memset(&dl, 0, sizeof(dl));
		set = NULL;
		r = load(error_cases[i].doc, &dl, &set);
		if (r != -EINVAL || set != NULL || dl.n != 1)
			fail_msg("case %zu: rc %d, %zu diags, want one: %s", i,
			    r, dl.n, dl.n > 0 ? dl.items[dl.n - 1].msg : "");
		d = &dl.items[0];
		assert_int_equal(d->code, -EINVAL);
		assert_string_equal(d->file, "t.yaml");
		if (d->line != error_cases[i].line ||
		    d->col != error_cases[i].col ||
		    strcmp(d->msg, error_cases[i].msg) != 0)
			fail_msg("case %zu:\ngot  %d:%d: %s\nwant %d:%d: %s", i,
			    d->line, d->col, d->msg, error_cases[i].line,
			    error_cases[i].col, error_cases[i].msg);
		diag_list_free(&dl);
	}
}

/* Every problem is reported, not just the first. */
static void
test_all_errors(void **state)
{
	static const char doc[] =
	    "streams:\n"
	    "  - name: a\n"
	    "    max_msgs: x\n"
	    "    max_bytes: y\n"
	    "    consumers:\n"
	    "      - name: c\n"
	    "        ack_policy: z\n"
	    "  - name: b\n"
	    "    storage: disk\n"
	    "extra: 1\n";
	static const int lines[] = { 3, 4, 7, 9, 10 };
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	size_t			 i;

	assert_int_equal(load(doc, &dl, &set), -EINVAL);
	assert_null(set);
	assert_int_equal(dl.n, NELEM(lines));
	diag_list_sort(&dl);
	for (i = 0; i < NELEM(lines); i++)
		assert_int_equal(dl.items[i].line, lines[i]);
	diag_list_free(&dl);
}

static void
test_lenient_forms(void **state)
{
	static const char doc[] =
	    "# comment\n"
	    "streams:\n"
	    "  - name: s\n"
	    "    subjects: one.subject\n"		/* scalar -> list */
	    "    max_msgs: '5'\n"			/* quoted number */
	    "    max_bytes: 9007199254740993\n"	/* 2^53+1: exact */
	    "    max_age: 1y\n"
	    "    max_msgs_per_subject: -1\n"
	    "    max_msg_size: unlimited\n"
	    "    duplicate_window: 1h30m\n"
	    "    sealed: TRUE\n"
	    "  - name: t\n"
	    "    max_age: unlimited\n"		/* stored as 0 */
	    "    duplicate_window: 292y\n"
	    "    max_consumers: 0\n";
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;

	assert_int_equal(load(doc, &dl, &set), 0);
	assert_int_equal(set->nstreams, 2);
	assert_json(set->streams[0].config,
	    "{\"name\":\"s\",\"subjects\":[\"one.subject\"],\"max_msgs\":5,"
	    "\"max_bytes\":9007199254740993,\"max_age\":31536000000000000,"
	    "\"max_msgs_per_subject\":-1,\"max_msg_size\":-1,"
	    "\"duplicate_window\":5400000000000,\"sealed\":true}");
	assert_json(set->streams[1].config,
	    "{\"name\":\"t\",\"max_consumers\":0,\"max_age\":0,"
	    "\"duplicate_window\":9208512000000000000}");
	assert_null(set->streams[0].conformance);
	assert_int_equal(set->streams[0].nconsumers, 0);
	spec_set_free(set);
	diag_list_free(&dl);
}

/*
 * The loader keeps a conformance list as names, known or not: which
 * groups exist is nats-conformance's to say (test-catalog).
 */
static void
test_conformance_opaque(void **state)
{
	const char		*doc = STREAM("    conformance: [pubsb, "
	    "scratch-group]\n");
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;

	(void)state;
	assert_int_equal(load(doc, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	assert_json(set->streams[0].conformance,
	    "[\"pubsb\",\"scratch-group\"]");
	spec_set_free(set);
	diag_list_free(&dl);
}

static void
test_empty_inputs(void **state)
{
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;

	assert_int_equal(load("", &dl, &set), -EINVAL);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.items[0].msg,
	    "the file is empty; expected a 'streams' list");
	diag_list_free(&dl);

	assert_int_equal(load("streams: []\n", &dl, &set), 0);
	assert_int_equal(set->nstreams, 0);
	spec_set_free(set);
	diag_list_free(&dl);
}

static void
test_digest(void **state)
{
	static const char a[] = "streams:\n  - name: s\n    max_msgs: 5\n"
	    "    subjects: [x]\n    consumers: [{name: c, max_deliver: 3}]\n";
	static const char b[] = "streams:\n  - subjects: [x]\n    max_msgs: 5\n"
	    "    name: s\n    consumers: [{max_deliver: 3, name: c}]\n";
	static const char c[] = "streams:\n  - name: s\n    max_msgs: 6\n"
	    "    subjects: [x]\n    consumers: [{name: c, max_deliver: 3}]\n";
	static const char d[] = "streams:\n  - name: s\n    max_msgs: 5\n"
	    "    subjects: [x]\n    consumers: [{name: c, max_deliver: 4}]\n";
	const char		*docs[] = { a, b, c, d };
	char			 dig[4][17];
	struct diag_list	 dl = { 0 };
	struct spec_set		*set;
	size_t			 i;

	for (i = 0; i < NELEM(docs); i++) {
		set = NULL;
		assert_int_equal(load(docs[i], &dl, &set), 0);
		spec_digest(set, dig[i]);
		assert_int_equal(strlen(dig[i]), 16);
		assert_int_equal(strspn(dig[i], "0123456789abcdef"), 16);
		spec_set_free(set);
	}
	assert_string_equal(dig[0], dig[1]);	/* key order does not count */
	assert_string_not_equal(dig[0], dig[2]);
	assert_string_not_equal(dig[0], dig[3]);
	diag_list_free(&dl);
}

static const char billion_laughs[] =
    "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "streams: *i\n";

static void
test_billion_laughs(void **state)
{
	struct spec_limits	 lim = SPEC_LIMITS_DEFAULT;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;

	/* the alias budget stops it first (ci/bench-timeouts times it) */
	assert_int_equal(load(billion_laughs, &dl, &set), -E2BIG);
	assert_null(set);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.items[0].code, -E2BIG);
	assert_non_null(strstr(dl.items[0].msg, "aliases"));
	diag_list_free(&dl);

	/* with aliases allowed, the expanded node count still stops it */
	lim.max_aliases = 1000;
	assert_int_equal(spec_load_buffer("t.yaml", billion_laughs,
	    strlen(billion_laughs), &lim, &dl, &set), -E2BIG);
	assert_null(set);
	assert_int_equal(dl.n, 1);
	assert_non_null(strstr(dl.items[0].msg, "more than 100000 nodes"));
	diag_list_free(&dl);

	/* an alias that contains itself */
	assert_int_equal(load("streams: &a [*a]\n", &dl, &set), -E2BIG);
	diag_list_free(&dl);
}

static void
test_depth(void **state)
{
	struct spec_limits	 lim = SPEC_LIMITS_DEFAULT;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			 doc[512];
	int			 i, n = 0;

	lim.max_depth = 8;
	n += snprintf(doc + n, sizeof(doc) - (size_t)n, "streams: ");
	for (i = 0; i < 10; i++)
		doc[n++] = '[';
	for (i = 0; i < 10; i++)
		doc[n++] = ']';
	doc[n] = '\0';
	assert_int_equal(spec_load_buffer("t.yaml", doc, strlen(doc), &lim,
	    &dl, &set), -E2BIG);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.items[0].msg, "nesting is deeper than 8 levels");
	assert_int_equal(dl.items[0].line, 1);
	assert_int_equal(dl.items[0].col, 17);
	diag_list_free(&dl);

	/* the same document within a larger limit is only invalid */
	lim.max_depth = 32;
	assert_int_equal(spec_load_buffer("t.yaml", doc, strlen(doc), &lim,
	    &dl, &set), -EINVAL);
	diag_list_free(&dl);
}

static void
test_buffer_size_limit(void **state)
{
	struct spec_limits	 lim = SPEC_LIMITS_DEFAULT;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	static const char	 doc[] = "streams: []\n";

	lim.max_file_bytes = sizeof(doc) - 2;
	assert_int_equal(spec_load_buffer("t.yaml", doc, strlen(doc), &lim,
	    &dl, &set), -E2BIG);
	assert_null(set);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.items[0].msg, "file is 12 bytes; the limit "
	    "is 11");
	diag_list_free(&dl);
	lim.max_file_bytes = sizeof(doc) - 1;
	assert_int_equal(spec_load_buffer("t.yaml", doc, strlen(doc), &lim,
	    &dl, &set), 0);
	spec_set_free(set);
	diag_list_free(&dl);
}

/* A scratch directory, removed by the teardown. */
struct scratch {
	char	dir[64];
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
scratch_setup(void **state)
{
	struct scratch	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	snprintf(s->dir, sizeof(s->dir), "/tmp/test-spec.XXXXXX");
	if (mkdtemp(s->dir) == NULL) {
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static int
scratch_teardown(void **state)
{
	struct scratch	*s = *state;
	char		 cmd[128];
	int		 r;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	r = system(cmd);
	free(s);
	return r == 0 ? 0 : -1;
}

static void
test_directory(void **state)
{
	struct scratch		*s = *state;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			 sub[128], want[128], *paths[1];

	write_file(s->dir, "b.yml", "streams:\n  - name: second\n");
	write_file(s->dir, "a.yaml", "streams:\n  - name: first\n"
	    "  - name: also-first\n");
	write_file(s->dir, ".hidden.yaml", "not: [valid\n");
	write_file(s->dir, "notes.txt", "not: [valid\n");
	snprintf(sub, sizeof(sub), "%s/deeper", s->dir);
	assert_int_equal(mkdir(sub, 0700), 0);	/* a directory: not read */
	write_file(sub, "c.yaml", "not: [valid\n");

	paths[0] = s->dir;
	assert_int_equal(spec_load(paths, 1, NULL, &dl, &set), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(set->nfiles, 2);
	snprintf(want, sizeof(want), "%s/a.yaml", s->dir);
	assert_string_equal(set->files[0], want);
	assert_int_equal(set->nstreams, 3);
	assert_string_equal(set->streams[0].name, "first");
	assert_string_equal(set->streams[1].name, "also-first");
	assert_string_equal(set->streams[2].name, "second");
	assert_string_equal(set->streams[0].loc.file, want);
	assert_int_equal(set->streams[1].loc.line, 3);
	spec_set_free(set);
	set = NULL;

	/* errors of every file, each with its own joined path */
	write_file(s->dir, "c.yaml", "streams:\n  - name: x\n    max_msgs: x\n");
	write_file(s->dir, "d.yaml", "streams: [\n");
	assert_int_equal(spec_load(paths, 1, NULL, &dl, &set), -EINVAL);
	assert_null(set);
	assert_int_equal(dl.n, 2);
	snprintf(want, sizeof(want), "%s/c.yaml", s->dir);
	assert_string_equal(dl.items[0].file, want);
	assert_int_equal(dl.items[0].line, 3);
	snprintf(want, sizeof(want), "%s/d.yaml", s->dir);
	assert_string_equal(dl.items[1].file, want);
	assert_int_equal(dl.items[1].line, 2);
	diag_list_free(&dl);
}

/*
 * Entries named like specs that cannot be read are errors with their
 * path, never skipped; the readable files are still checked.
 */
static void
test_directory_bad_entries(void **state)
{
	struct scratch		*s = *state;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			 path[160], want[160], *paths[1];

	write_file(s->dir, "a.yaml", "streams:\n  - name: first\n");
	snprintf(path, sizeof(path), "%s/b.yaml", s->dir);
	assert_int_equal(symlink("/nonexistent/b.yaml", path), 0);
	snprintf(path, sizeof(path), "%s/c.yaml", s->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/d.yml", s->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	write_file(s->dir, "e.yaml", "streams:\n  - name: x\n    max_msgs: x\n");

	paths[0] = s->dir;
	assert_int_equal(spec_load(paths, 1, NULL, &dl, &set), -ENOENT);
	assert_null(set);
	assert_int_equal(dl.n, 4);
	diag_list_sort(&dl);
	snprintf(want, sizeof(want), "%s/b.yaml", s->dir);
	assert_string_equal(dl.items[0].file, want);
	assert_string_equal(dl.items[0].msg, "cannot read: a symbolic link "
	    "to a file that does not exist");
	snprintf(want, sizeof(want), "%s/c.yaml", s->dir);
	assert_string_equal(dl.items[1].file, want);
	assert_non_null(strstr(dl.items[1].msg, "a directory named like a "
	    "spec file"));
	snprintf(want, sizeof(want), "%s/d.yml", s->dir);
	assert_string_equal(dl.items[2].file, want);
	assert_string_equal(dl.items[2].msg, "not a regular file");
	snprintf(want, sizeof(want), "%s/e.yaml", s->dir);
	assert_string_equal(dl.items[3].file, want);
	diag_list_free(&dl);

	/* only a broken entry: no extra "no spec files" */
	snprintf(path, sizeof(path), "%s/a.yaml", s->dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/e.yaml", s->dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/c.yaml", s->dir);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/d.yml", s->dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(spec_load(paths, 1, NULL, &dl, &set), -ENOENT);
	assert_int_equal(dl.n, 1);
	diag_list_free(&dl);
}

static void
test_directory_limits(void **state)
{
	struct scratch		*s = *state;
	struct spec_limits	 lim = SPEC_LIMITS_DEFAULT;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			*paths[1], big[4096], path[128];

	paths[0] = s->dir;
	/* nothing to read */
	assert_int_equal(spec_load(paths, 1, NULL, &dl, &set), -ENOENT);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.items[0].msg,
	    "no spec files (*.yaml, *.yml) in this directory");
	diag_list_free(&dl);

	/* too many files */
	write_file(s->dir, "a.yaml", "streams: []\n");
	write_file(s->dir, "b.yaml", "streams: []\n");
	write_file(s->dir, "c.yaml", "streams: []\n");
	lim.max_files = 2;
	assert_int_equal(spec_load(paths, 1, &lim, &dl, &set), -E2BIG);
	assert_int_equal(dl.n, 1);
	diag_list_free(&dl);

	/* a file over the size limit is refused before it is read */
	memset(big, '#', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(s->dir, "big.yaml", big);
	snprintf(path, sizeof(path), "%s/big.yaml", s->dir);
	paths[0] = path;
	lim = (struct spec_limits)SPEC_LIMITS_DEFAULT;
	lim.max_file_bytes = 1024;
	assert_int_equal(spec_load(paths, 1, &lim, &dl, &set), -E2BIG);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.items[0].file, path);
	assert_string_equal(dl.items[0].msg,
	    "file is 4095 bytes; the limit is 1024");
	diag_list_free(&dl);
	lim.max_file_bytes = 4095;
	assert_int_equal(spec_load(paths, 1, &lim, &dl, &set), -EINVAL);
	diag_list_free(&dl);
}

static void
test_bad_paths(void **state)
{
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			*paths[] = { "/nonexistent/spec.yaml",
	    "/dev/null" };

	assert_int_equal(spec_load(paths, 2, NULL, &dl, &set), -ENOENT);
	assert_null(set);
	assert_int_equal(dl.n, 2);
	assert_string_equal(dl.items[0].file, "/nonexistent/spec.yaml");
	assert_string_equal(dl.items[0].msg, "No such file or directory");
	assert_string_equal(dl.items[1].file, "/dev/null");
	assert_string_equal(dl.items[1].msg,
	    "neither a file nor a directory");
	diag_list_free(&dl);
}

/*
 * The specs shipped in the repository load cleanly, each stream with a
 * contract and consumers; specs/examples adds consumers in a file of their
 * own to those streams, so it loads only together with specs/.
 */
static void
test_repo_specs(void **state)
{
	static const char *const kind[] = { "messages", "broadcast", "tasks" };
	const struct spec_stream *st;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	char			*paths[2];
	char			 a[512], b[512], msg[2048], name[64];
	size_t			 k, inline_consumers[3];

	(void)state;
	snprintf(a, sizeof(a), "%s/../../specs", TEST_SRCDIR);
	snprintf(b, sizeof(b), "%s/../../specs/examples", TEST_SRCDIR);
	paths[0] = a;
	paths[1] = b;
	if (spec_load(paths, 1, NULL, &dl, &set) != 0)
		fail_msg("%s", dl.n > 0 ? diag_format(&dl.items[0], msg,
		    sizeof(msg)) : a);
	assert_int_equal(set->nstreams, 3);
	for (k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "agent-%s", kind[k]);
		st = spec_find_stream(set, name);
		assert_non_null(st);
		assert_non_null(st->contract);
		assert_true(st->nconsumers > 0);
		inline_consumers[k] = st->nconsumers;
	}
	spec_set_free(set);
	set = NULL;

	/* alone, the examples name streams nobody declares */
	assert_int_equal(spec_load(&paths[1], 1, NULL, &dl, &set), -EINVAL);
	assert_null(set);
	assert_true(dl.n > 0);
	assert_non_null(strstr(dl.items[0].msg, "which no spec file"));
	diag_list_free(&dl);

	if (spec_load(paths, 2, NULL, &dl, &set) != 0)
		fail_msg("%s", dl.n > 0 ? diag_format(&dl.items[0], msg,
		    sizeof(msg)) : b);
	/* and the agents' presence bucket */
	assert_int_equal(set->nstreams, 4);
	st = spec_find_stream(set, "KV_agent-presence");
	assert_non_null(st);
	assert_int_equal(st->kind, SPEC_KV);
	assert_int_equal(cJSON_GetObjectItem(st->config,
	    "max_msgs_per_subject")->valueint, 1);
	assert_true(cJSON_GetObjectItem(st->config, "max_age")->valuedouble >
	    0);
	assert_non_null(spec_find_consumer(spec_find_stream(set,
	    "agent-broadcast"), "broadcast-auditor"));
	assert_non_null(spec_find_consumer(spec_find_stream(set,
	    "agent-messages"), "inbox-auditor"));
	st = spec_find_stream(set, "agent-messages");
	assert_int_equal(st->nconsumers, inline_consumers[0] + 1);
	spec_set_free(set);
	diag_list_free(&dl);
}

/*
 * Top-level consumers join their stream, wherever it is declared, as if
 * declared inline; a file may hold only consumers.  Each problem has its
 * place.
 */
static void
test_consumer_files(void **state)
{
	static const struct {
		const char	*text;		/* c.yaml */
		const char	*err;		/* NULL: loads */
		int		 line, col;
	} cases[] = {
		{ "consumers:\n  - stream: s\n    durable_name: own\n"
		  "    ack_wait: 10s\n", NULL, 0, 0 },
		{ "consumers:\n  - durable_name: own\n", "needs 'stream: "
		  "NAME'", 2, 5 },
		{ "consumers:\n  - stream: nope\n    durable_name: own\n",
		  "reads stream 'nope', which no spec file", 2, 13 },
		{ "consumers:\n  - stream: [s]\n    durable_name: own\n",
		  "stream: expected a stream name", 2, 13 },
		{ "consumers:\n  - stream: s\n    durable_name: own\n"
		  "    ack_wait: soon\n", "ack_wait", 4, 15 },
		{ "consumers: {}\n", "expected a list of consumers", 1, 12 },
		{ "consumers:\n  - stream: s\n    durable: own\n",
		  "unknown key 'durable'", 3, 5 },
	};
	struct scratch		*s = *state;
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	const struct spec_stream *st;
	const struct spec_consumer *c;
	char			 want[160], *paths[1];
	size_t			 i;
	int			 r;

	write_file(s->dir, "a.yaml", "streams:\n  - name: s\n"
	    "    consumers:\n      - durable_name: inline\n");
	paths[0] = s->dir;
	snprintf(want, sizeof(want), "%s/c.yaml", s->dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(s->dir, "c.yaml", cases[i].text);
		r = spec_load(paths, 1, NULL, &dl, &set);
		if (cases[i].err == NULL) {
			assert_int_equal(r, 0);
			st = spec_find_stream(set, "s");
			assert_int_equal(st->nconsumers, 2);
			assert_string_equal(st->consumers[0].name, "inline");
			c = spec_find_consumer(st, "own");
			assert_non_null(c);
			assert_string_equal(c->loc.file, want);
			assert_int_equal(c->loc.line, 2);
			assert_true(cJSON_GetObjectItem(c->config,
			    "ack_wait")->valuedouble == 10e9);
			assert_null(cJSON_GetObjectItem(c->config, "stream"));
			spec_set_free(set);
			set = NULL;
			continue;
		}
		if (r != -EINVAL || dl.n == 0 ||
		    strstr(dl.items[0].msg, cases[i].err) == NULL)
			fail_msg("case %zu: got %d, '%s'", i, r, dl.n > 0 ?
			    dl.items[0].msg : "");
		assert_string_equal(dl.items[0].file, want);
		assert_int_equal(dl.items[0].line, cases[i].line);
		assert_int_equal(dl.items[0].col, cases[i].col);
		assert_null(set);
		diag_list_free(&dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_protect),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_lenient_forms),
		cmocka_unit_test(test_conformance_opaque),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_buffer_size_limit),
		cmocka_unit_test_setup_teardown(test_directory, scratch_setup,
		    scratch_teardown),
		cmocka_unit_test_setup_teardown(test_directory_bad_entries,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_directory_limits,
		    scratch_setup, scratch_teardown),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_repo_specs),
		cmocka_unit_test_setup_teardown(test_consumer_files,
		    scratch_setup, scratch_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
