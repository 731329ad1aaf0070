/* SPDX-License-Identifier: MIT */
/*
 * test-schema: lookups, typo suggestions, and the table against what
 * nats-server 2.9.10 actually reported for freshly created objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "schema.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* StreamConfig of a stream created with only name and subjects (2.9.10). */
static const char measured_stream[] = "{{2.9.10/stream-t1}}";

/* ConsumerConfig of a push consumer with ack none (2.9.10). */
static const char measured_push[] = "{{2.9.10/consumer-c2-push}}";

static void
test_find(void **state)
{
	const struct schema_field	*t, *f;
	size_t				 n;

	t = schema_stream_fields(&n);
	assert_true(n > 20);
	f = schema_find(t, n, "max_msgs");
	assert_non_null(f);
	assert_string_equal(f->key, "max_msgs");
	assert_int_equal(f->type, SCHEMA_INT);
	assert_true(f->unlimited);

	f = schema_find(t, n, "replicas");
	assert_non_null(f);
	assert_string_equal(f->key, "num_replicas");
	assert_ptr_equal(schema_find(t, n, "num_replicas"), f);

	assert_null(schema_find(t, n, "Max_Msgs"));	/* case matters */
	assert_null(schema_find(t, n, "max_mgs"));
	assert_null(schema_find(t, n, ""));
	assert_null(schema_find(t, n, "template_owner"));

	t = schema_consumer_fields(&n);
	f = schema_find(t, n, "replicas");
	assert_non_null(f);
	assert_string_equal(f->key, "num_replicas");
	assert_int_equal(f->min, 0);
	assert_int_equal(f->max, 5);
	f = schema_find(t, n, "ack_policy");
	assert_non_null(f);
	assert_int_equal(f->type, SCHEMA_ENUM);
	assert_null(f->def);		/* push/pull dependent: plan.c */
	assert_null(schema_find(t, n, "subjects"));
}

struct nearest_case {
	const char	*in;
	const char	*want;		/* NULL: no suggestion */
};

static void
test_nearest(void **state)
{
	static const struct nearest_case cases[] = {
		{ "max_mgs", "max_msgs" },
		{ "max_msg", "max_msgs" },
		{ "Max_Msgs", "max_msgs" },
		{ "retension", "retention" },
		{ "subject", "subjects" },
		{ "num_replica", "num_replicas" },
		{ "replica", "replicas" },
		{ "storag", "storage" },
		{ "maxage", "max_age" },
		{ "duplicate_windows", "duplicate_window" },
		{ "foo", NULL },
		{ "x", NULL },
		{ "consumers", NULL },
		{ "completely_unrelated_key", NULL },
		{ "", NULL },
	};
	const struct schema_field	*t;
	const char			*got;
	size_t				 n, i;

	t = schema_stream_fields(&n);
	for (i = 0; i < NELEM(cases); i++) {
		got = schema_nearest(t, n, cases[i].in);
		if (cases[i].want == NULL && got != NULL)
			fail_msg("'%s': suggested '%s', want none",
			    cases[i].in, got);
		if (cases[i].want != NULL &&
		    (got == NULL || strcmp(got, cases[i].want) != 0))
			fail_msg("'%s': suggested '%s', want '%s'",
			    cases[i].in, got != NULL ? got : "(none)",
			    cases[i].want);
	}
	/* very long input is never a typo and must not be slow */
	{
		char	long_key[4096];

		memset(long_key, 'a', sizeof(long_key) - 1);
		long_key[sizeof(long_key) - 1] = '\0';
		assert_null(schema_nearest(t, n, long_key));
	}
	t = schema_consumer_fields(&n);
	got = schema_nearest(t, n, "ack_polcy");
	assert_non_null(got);
	assert_string_equal(got, "ack_policy");
}

/* Structural rules every table entry, nested ones included, must keep. */
static void
check_table(const struct schema_field *t, size_t n, int depth)
{
	cJSON	*def;
	size_t	 i, j;
	bool	 found;

	assert_true(depth < 4);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].key);
		assert_non_null(t[i].doc);
		assert_true(t[i].since == SCHEMA_V2_9 ||
		    t[i].since == SCHEMA_V2_10 ||
		    t[i].since == SCHEMA_V2_11 ||
		    t[i].since == SCHEMA_V2_12 ||
		    t[i].since == SCHEMA_V2_14);
		for (j = 0; j < SCHEMA_NCHANGES && t[i].later[j].since; j++)
			assert_true(t[i].later[j].since > t[i].since);
		if (schema_change_at(&t[i], 999999) == SCHEMA_EXCEPT)
			assert_non_null(t[i].except);
		for (j = 0; j < i; j++)
			if (strcmp(t[i].key, t[j].key) == 0)
				fail_msg("duplicate key '%s'", t[i].key);
		if (t[i].type == SCHEMA_ENUM)
			assert_non_null(t[i].enums);
		else
			assert_null(t[i].enums);
		if (t[i].type == SCHEMA_OBJECT || t[i].type == SCHEMA_OBJECTS) {
			assert_non_null(t[i].sub);
			assert_true(t[i].nsub > 0);
			check_table(t[i].sub, t[i].nsub, depth + 1);
		} else
			assert_null(t[i].sub);
		if (t[i].max != 0)
			assert_true(t[i].max >= t[i].min);
		if (t[i].def == NULL)
			continue;
		if ((def = cJSON_Parse(t[i].def)) == NULL)
			fail_msg("'%s': def '%s' is not JSON", t[i].key,
			    t[i].def);
		if (t[i].type == SCHEMA_ENUM) {
			assert_true(cJSON_IsString(def));
			found = false;
			for (j = 0; t[i].enums[j] != NULL; j++)
				found |= strcmp(t[i].enums[j],
				    def->valuestring) == 0;
			if (!found)
				fail_msg("'%s': def %s is not an allowed value",
				    t[i].key, t[i].def);
		}
		if (t[i].type == SCHEMA_BOOL)
			assert_true(cJSON_IsBool(def));
		if (t[i].type == SCHEMA_INT || t[i].type == SCHEMA_SIZE ||
		    t[i].type == SCHEMA_DURATION)
			assert_true(cJSON_IsNumber(def));
		cJSON_Delete(def);
	}
}

/* Every key a rule reads or stores is a field of the table. */
static void
check_rules(const struct schema_field *t, size_t n,
    const struct schema_rule *r, size_t nr)
{
	cJSON	*v;
	size_t	 i, j;

	for (i = 0; i < nr; i++) {
		if (schema_find_path(t, n, r[i].key) == NULL)
			fail_msg("rule %zu stores unknown key '%s'", i,
			    r[i].key);
		for (j = 0; j < SCHEMA_NCONDS; j++)
			if (r[i].when[j].key != NULL &&
			    schema_find(t, n, r[i].when[j].key) == NULL)
				fail_msg("rule %zu reads unknown key '%s'", i,
				    r[i].when[j].key);
		if (r[i].set == SCHEMA_SET_VALUE ||
		    r[i].set == SCHEMA_SET_MIN) {
			if ((v = cJSON_Parse(r[i].value)) == NULL)
				fail_msg("rule %zu: value is not JSON", i);
			cJSON_Delete(v);
		}
	}
}

static void
test_table_shape(void **state)
{
	const struct schema_field	*t;
	const struct schema_rule	*r;
	size_t				 n, nr;

	t = schema_stream_fields(&n);
	check_table(t, n, 0);
	r = schema_stream_rules(&nr);
	check_rules(t, n, r, nr);
	t = schema_consumer_fields(&n);
	check_table(t, n, 0);
	r = schema_consumer_rules(&nr);
	check_rules(t, n, r, nr);
}

/*
 * Every default in the table is what the server reported, and every key
 * the server always reports has a default (except the ones given).
 */
static void
check_defaults(const struct schema_field *t, size_t n, const char *json,
    const char *const *given, const char *const *conditional)
{
	const struct schema_field	*f;
	const cJSON			*item;
	cJSON				*measured, *def;
	size_t				 i;
	bool				 skip;

	measured = testlib_json(json);
	cJSON_ArrayForEach(item, measured) {
		skip = false;
		for (i = 0; given[i] != NULL; i++)
			skip |= strcmp(item->string, given[i]) == 0;
		for (i = 0; conditional[i] != NULL; i++)
			skip |= strcmp(item->string, conditional[i]) == 0;
		if (skip)
			continue;
		f = schema_find(t, n, item->string);
		if (f == NULL)
			fail_msg("server key '%s' is not in the table",
			    item->string);
		if (f->def == NULL)
			fail_msg("'%s': no def, server reports it",
			    item->string);
		def = cJSON_Parse(f->def);
		assert_non_null(def);
		if (!cJSON_Compare(def, item, true))
			fail_msg("'%s': def %s differs from the server",
			    item->string, f->def);
		cJSON_Delete(def);
	}
	for (i = 0; i < n; i++)
		if (t[i].def != NULL && t[i].since <= SCHEMA_V2_9 &&
		    cJSON_GetObjectItemCaseSensitive(
		    measured, t[i].key) == NULL)
			fail_msg("'%s': def %s, but the server omits it",
			    t[i].key, t[i].def);
	cJSON_Delete(measured);
}

static void
test_defaults_match_server(void **state)
{
	static const char *const stream_given[] = { "name", "subjects", NULL };
	static const char *const push_given[] = { "durable_name",
	    "deliver_subject", NULL };
	static const char *const push_conditional[] = { "ack_policy", NULL };
	static const char *const none[] = { NULL };
	const struct schema_field	*t;
	size_t				 n;

	t = schema_stream_fields(&n);
	check_defaults(t, n, measured_stream, stream_given, none);
	t = schema_consumer_fields(&n);
	check_defaults(t, n, measured_push, push_given, push_conditional);
}

struct change_case {
	const char		*key;
	int			 version;
	enum schema_change	 want;
};

#define V29	20910
#define V210	21027
#define V215	21501

/*
 * The change rules by server version.  flow_control, idle_heartbeat and
 * max_waiting were measured against the real servers (2.9.10, 2.10.27,
 * 2.15.1 all answer "... can not be updated").
 */
static void
test_change_rules(void **state)
{
	static const struct change_case stream_cases[] = {
		{ "storage", V215, SCHEMA_IMMUTABLE },
		{ "max_consumers", V29, SCHEMA_IMMUTABLE },
		{ "mirror", V210, SCHEMA_IMMUTABLE },
		{ "name", V29, SCHEMA_IMMUTABLE },
		{ "retention", V29, SCHEMA_IMMUTABLE },
		{ "retention", V210, SCHEMA_EXCEPT },
		{ "retention", V215, SCHEMA_EXCEPT },
		{ "republish", V29, SCHEMA_IMMUTABLE },
		{ "republish", V210, SCHEMA_MUTABLE },
		{ "sealed", V29, SCHEMA_ONEWAY },
		{ "deny_delete", V210, SCHEMA_ONEWAY },
		{ "deny_purge", V215, SCHEMA_ONEWAY },
		{ "allow_msg_ttl", V215, SCHEMA_ONEWAY },
		{ "allow_msg_counter", V215, SCHEMA_IMMUTABLE },
		{ "persist_mode", V215, SCHEMA_IMMUTABLE },
		{ "max_msgs", V29, SCHEMA_MUTABLE },
		{ "subjects", V29, SCHEMA_MUTABLE },
		{ "max_age", V29, SCHEMA_MUTABLE },
	};
	static const struct change_case consumer_cases[] = {
		{ "deliver_policy", V29, SCHEMA_IMMUTABLE },
		{ "ack_policy", V29, SCHEMA_IMMUTABLE },
		{ "replay_policy", V29, SCHEMA_IMMUTABLE },
		{ "opt_start_seq", V29, SCHEMA_IMMUTABLE },
		{ "durable_name", V29, SCHEMA_IMMUTABLE },
		{ "deliver_subject", V29, SCHEMA_KIND },
		{ "deliver_group", V29, SCHEMA_MUTABLE },
		{ "ack_wait", V29, SCHEMA_MUTABLE },
		{ "max_deliver", V29, SCHEMA_MUTABLE },
		{ "flow_control", V29, SCHEMA_IMMUTABLE },
		{ "flow_control", V210, SCHEMA_IMMUTABLE },
		{ "flow_control", V215, SCHEMA_IMMUTABLE },
		{ "idle_heartbeat", V29, SCHEMA_IMMUTABLE },
		{ "idle_heartbeat", V210, SCHEMA_IMMUTABLE },
		{ "idle_heartbeat", V215, SCHEMA_IMMUTABLE },
		{ "max_waiting", V29, SCHEMA_IMMUTABLE },
		{ "max_waiting", V210, SCHEMA_IMMUTABLE },
		{ "max_waiting", V215, SCHEMA_IMMUTABLE },
		{ "priority_groups", V215, SCHEMA_MUTABLE },
	};
	const struct schema_field	*t, *f;
	enum schema_change		 got;
	size_t				 n, i;

	t = schema_stream_fields(&n);
	for (i = 0; i < NELEM(stream_cases); i++) {
		f = schema_find(t, n, stream_cases[i].key);
		assert_non_null(f);
		got = schema_change_at(f, stream_cases[i].version);
		if (got != stream_cases[i].want)
			fail_msg("stream '%s' on %d: change %d, want %d",
			    f->key, stream_cases[i].version, got,
			    stream_cases[i].want);
	}
	t = schema_consumer_fields(&n);
	for (i = 0; i < NELEM(consumer_cases); i++) {
		f = schema_find(t, n, consumer_cases[i].key);
		assert_non_null(f);
		got = schema_change_at(f, consumer_cases[i].version);
		if (got != consumer_cases[i].want)
			fail_msg("consumer '%s' on %d: change %d, want %d",
			    f->key, consumer_cases[i].version, got,
			    consumer_cases[i].want);
	}
	/* additions are marked so that the planner can refuse them */
	t = schema_stream_fields(&n);
	assert_int_equal(schema_find(t, n, "metadata")->since, SCHEMA_V2_10);
	assert_int_equal(schema_find(t, n, "compression")->since,
	    SCHEMA_V2_10);
	assert_int_equal(schema_find(t, n, "max_msgs")->since, SCHEMA_V2_9);
	assert_int_equal(schema_find(t, n, "allow_msg_ttl")->since,
	    SCHEMA_V2_11);
	assert_int_equal(schema_find(t, n, "allow_batched")->since,
	    SCHEMA_V2_14);
}

/* Dotted paths, list indexes skipped; the one formatter's units. */
static void
test_path_and_format(void **state)
{
	const struct schema_field	*t, *f;
	cJSON				*v;
	char				 buf[64];
	size_t				 n;

	t = schema_stream_fields(&n);
	f = schema_find_path(t, n, "placement.cluster");
	assert_non_null(f);
	assert_string_equal(f->key, "cluster");
	f = schema_find_path(t, n, "sources.0.name");
	assert_non_null(f);
	assert_string_equal(f->doc, "Name of the stream to source from.");
	assert_null(schema_find_path(t, n, "placement.nope"));
	assert_null(schema_find_path(t, n, "max_age.x"));

	f = schema_find(t, n, "max_age");
	assert_string_equal(schema_value_format(f, NULL, buf, sizeof(buf)),
	    SCHEMA_UNSET_TEXT);
	v = cJSON_CreateNumber(30e9);
	assert_string_equal(schema_value_format(f, v, buf, sizeof(buf)),
	    "30s");
	cJSON_Delete(v);
	f = schema_find(t, n, "max_msgs");
	v = cJSON_CreateNumber(-1);
	assert_string_equal(schema_value_format(f, v, buf, sizeof(buf)),
	    "unlimited");
	cJSON_Delete(v);
	f = schema_find(t, n, "max_bytes");
	v = cJSON_CreateNumber(1048576);
	schema_value_format(f, v, buf, sizeof(buf));
	assert_non_null(strstr(buf, "M"));
	cJSON_Delete(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_defaults_match_server),
		cmocka_unit_test(test_change_rules),
		cmocka_unit_test(test_path_and_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
