/* SPDX-License-Identifier: MIT */
/*
 * test-bucket: the stream the clients make for a declared bucket, the
 * bucket keys read back from a stream, the key tables and the spec loader's
 * kv: and object_stores: lists; table-driven.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bucket.h"
#include "plan.h"
#include "validate.h"
#include "spec.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Declared bucket keys (API units) -> the stream config the clients send:
 * nats.go prepareKeyValueConfig / prepareObjectStoreConfig.
 */
static const struct {
	enum spec_kind	 kind;
	const char	*in;
	const char	*want;
} stream_cases[] = {
	{ SPEC_KV, "{\"bucket\":\"b\"}",
	  "{\"name\":\"KV_b\",\"max_bytes\":-1,\"max_age\":0,"
	  "\"num_replicas\":1,\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"max_msgs_per_subject\":1,"
	  "\"max_msg_size\":-1,\"max_msgs\":-1,\"max_consumers\":-1,"
	  "\"deny_delete\":true,\"duplicate_window\":120000000000,"
	  "\"subjects\":[\"$KV.b.>\"]}" },
	/* a ttl under 2 minutes is also the duplicate window */
	{ SPEC_KV, "{\"bucket\":\"p\",\"history\":5,\"ttl\":30000000000,"
	  "\"max_value_size\":1024,\"max_bytes\":4096,\"storage\":\"memory\","
	  "\"replicas\":3,\"compression\":true,\"description\":\"d\"}",
	  "{\"name\":\"KV_p\",\"description\":\"d\",\"storage\":\"memory\","
	  "\"max_bytes\":4096,\"max_age\":30000000000,\"num_replicas\":3,"
	  "\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"compression\":\"s2\","
	  "\"max_msgs_per_subject\":5,\"max_msg_size\":1024,"
	  "\"max_msgs\":-1,\"max_consumers\":-1,\"deny_delete\":true,"
	  "\"duplicate_window\":30000000000,\"subjects\":[\"$KV.p.>\"]}" },
	/* a mirror: the bucket name gets its KV_, no subjects */
	{ SPEC_KV, "{\"bucket\":\"m\",\"mirror\":{\"name\":\"src\"}}",
	  "{\"name\":\"KV_m\",\"max_bytes\":-1,\"max_age\":0,"
	  "\"num_replicas\":1,\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"max_msgs_per_subject\":1,"
	  "\"max_msg_size\":-1,\"max_msgs\":-1,\"max_consumers\":-1,"
	  "\"deny_delete\":true,\"duplicate_window\":120000000000,"
	  "\"mirror\":{\"name\":\"KV_src\"},\"mirror_direct\":true}" },
	/* sources: the source's keys moved into this bucket */
	{ SPEC_KV, "{\"bucket\":\"s\",\"sources\":[{\"name\":\"KV_a\"},"
	  "{\"name\":\"x\",\"subject_transforms\":[]}]}",
	  "{\"name\":\"KV_s\",\"max_bytes\":-1,\"max_age\":0,"
	  "\"num_replicas\":1,\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"max_msgs_per_subject\":1,"
	  "\"max_msg_size\":-1,\"max_msgs\":-1,\"max_consumers\":-1,"
	  "\"deny_delete\":true,\"duplicate_window\":120000000000,"
	  "\"sources\":[{\"name\":\"KV_a\",\"subject_transforms\":[{\"src\":"
	  "\"$KV.a.>\",\"dest\":\"$KV.s.>\"}]},{\"name\":\"x\","
	  "\"subject_transforms\":[]}],\"subjects\":[\"$KV.s.>\"]}" },
	/* LimitMarkerTTL: per-message TTL and delete markers (2.11+) */
	{ SPEC_KV, "{\"bucket\":\"t\",\"limit_marker_ttl\":10000000000}",
	  "{\"name\":\"KV_t\",\"max_bytes\":-1,\"max_age\":0,"
	  "\"num_replicas\":1,\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"max_msgs_per_subject\":1,"
	  "\"max_msg_size\":-1,\"max_msgs\":-1,\"max_consumers\":-1,"
	  "\"deny_delete\":true,\"duplicate_window\":120000000000,"
	  "\"allow_msg_ttl\":true,\"subject_delete_marker_ttl\":10000000000,"
	  "\"subjects\":[\"$KV.t.>\"]}" },
	{ SPEC_OBJ, "{\"bucket\":\"o\",\"ttl\":86400000000000}",
	  "{\"name\":\"OBJ_o\",\"max_bytes\":-1,\"max_age\":86400000000000,"
	  "\"num_replicas\":1,\"discard\":\"new\",\"allow_rollup_hdrs\":true,"
	  "\"allow_direct\":true,\"subjects\":[\"$O.o.C.>\",\"$O.o.M.>\"]}" },
};

static void
test_stream_config(void **state)
{
	cJSON	*in, *want, *got, *back, *again;
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(stream_cases); i++) {
		in = cJSON_Parse(stream_cases[i].in);
		want = cJSON_Parse(stream_cases[i].want);
		assert_non_null(in);
		assert_non_null(want);
		got = NULL;
		assert_int_equal(bucket_stream_config(stream_cases[i].kind, in,
		    &got), 0);
		if (!cJSON_Compare(got, want, true))
			fail_msg("case %zu: got %s", i, cJSON_PrintUnformatted(
			    got));
		/* read back as bucket keys, the same stream again */
		back = again = NULL;
		assert_int_equal(bucket_from_stream(stream_cases[i].kind, got,
		    &back), 0);
		assert_int_equal(bucket_stream_config(stream_cases[i].kind,
		    back, &again), 0);
		if (!cJSON_Compare(again, want, true))
			fail_msg("case %zu: round trip %s -> %s", i,
			    cJSON_PrintUnformatted(back),
			    cJSON_PrintUnformatted(again));
		cJSON_Delete(in);
		cJSON_Delete(want);
		cJSON_Delete(got);
		cJSON_Delete(back);
		cJSON_Delete(again);
	}
}

static void
test_refused(void **state)
{
	cJSON	*in, *out = NULL;

	(void)state;
	in = cJSON_Parse("{\"history\":2}");
	assert_int_equal(bucket_stream_config(SPEC_KV, in, &out), -EINVAL);
	assert_int_equal(bucket_stream_config(SPEC_STREAM, in, &out), -EINVAL);
	cJSON_Delete(in);
	in = cJSON_Parse("{\"name\":\"KV_b\"}");
	assert_int_equal(bucket_from_stream(SPEC_OBJ, in, &out), -EINVAL);
	assert_null(out);
	cJSON_Delete(in);
}

static void
test_names_and_keys(void **state)
{
	static const struct {
		const char	*name;
		bool		 ok;
	} names[] = {
		{ "presence", true }, { "agent-presence", true },
		{ "A_9", true }, { "", false }, { "a.b", false },
		{ "a b", false }, { "a*", false }, { "a>", false },
	};
	static const struct {
		const char	*key, *stream;
	} keys[] = {
		{ "bucket", "name" }, { "history", "max_msgs_per_subject" },
		{ "ttl", "max_age" }, { "max_value_size", "max_msg_size" },
		{ "replicas", "num_replicas" }, { "storage", "storage" },
		{ "placement", "placement" },
	};
	const struct schema_field	*t;
	size_t				 i, n;

	(void)state;
	for (i = 0; i < NELEM(names); i++)
		if (bucket_name_ok(names[i].name) != names[i].ok)
			fail_msg("bucket name '%s'", names[i].name);
	for (i = 0; i < NELEM(keys); i++)
		assert_string_equal(bucket_stream_key(keys[i].key),
		    keys[i].stream);
	assert_int_equal(bucket_kind_of("KV_x"), SPEC_KV);
	assert_int_equal(bucket_kind_of("OBJ_x"), SPEC_OBJ);
	assert_int_equal(bucket_kind_of("KVx"), SPEC_STREAM);
	t = bucket_fields(SPEC_KV, &n);
	assert_non_null(schema_find(t, n, "history"));
	assert_non_null(schema_find(t, n, "mirror"));
	assert_non_null(schema_find(t, n, "placement")->sub);
	assert_null(schema_find(t, n, "num_replicas"));
	t = bucket_fields(SPEC_OBJ, &n);
	assert_null(schema_find(t, n, "history"));
	assert_null(schema_find(t, n, "mirror"));
	assert_non_null(schema_find(t, n, "ttl"));
	assert_null(bucket_fields(SPEC_STREAM, &n));
}

/* The loader: items become streams; problems point at file:line:col. */
static void
test_load(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;		/* NULL: loads */
		int		 line, col;
	} cases[] = {
		{ "kv:\n  - bucket: b\n    history: 3\n    ttl: 1m\n", NULL,
		  0, 0 },
		{ "kv:\n  - bucket: b.c\n", "not a valid bucket name", 2, 5 },
		{ "kv:\n  - history: 3\n", "needs 'bucket'", 2, 5 },
		{ "kv:\n  - bucket: b\n    history: 65\n", "history", 3, 14 },
		{ "kv:\n  - bucket: b\n    ttl: 10\n", "ttl", 3, 10 },
		{ "kv:\n  - bucket: b\n    retention: workqueue\n",
		  "unknown key 'retention'", 3, 5 },
		{ "kv:\n  - bucket: b\n    mirror: {name: a}\n"
		  "    sources: [{name: c}]\n", "give mirror or sources", 4, 5 },
		{ "object_stores:\n  - bucket: o\n    history: 2\n",
		  "unknown key 'history'", 3, 5 },
		{ "kv: {}\n", "expected a list of buckets", 1, 5 },
		{ "kv:\n  - bucket: b\nstreams:\n  - name: KV_b\n",
		  "declared twice", 4, 5 },
	};
	struct diag_list	 dl = { 0 };
	struct spec_set		*set = NULL;
	const struct spec_stream *st;
	struct spec_loc		 loc;
	size_t			 i;
	int			 r;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		r = spec_load_buffer("b.yaml", cases[i].text,
		    strlen(cases[i].text), NULL, &dl, &set);
		if (cases[i].err == NULL) {
			assert_int_equal(r, 0);
			st = spec_find_stream(set, "KV_b");
			assert_non_null(st);
			assert_int_equal(st->kind, SPEC_KV);
			assert_string_equal(st->bucket, "b");
			assert_int_equal(cJSON_GetObjectItem(st->config,
			    "max_msgs_per_subject")->valueint, 3);
			/* a stream key finds where its bucket key is */
			loc = spec_key_loc(st->keys, st->nkeys, "max_age",
			    st->loc);
			assert_int_equal(loc.line, 4);
			spec_set_free(set);
			set = NULL;
			continue;
		}
		if (r == 0) {
			/* cross-stream rules are validate's */
			r = validate_spec_set(set, &dl);
			spec_set_free(set);
			set = NULL;
		}
		if (r != -EINVAL || dl.n == 0 ||
		    strstr(dl.items[0].msg, cases[i].err) == NULL)
			fail_msg("case %zu: got %d, '%s'", i, r, dl.n > 0 ?
			    dl.items[0].msg : "");
		if (dl.items[0].line != cases[i].line ||
		    dl.items[0].col != cases[i].col)
			fail_msg("case %zu: at %d:%d, want %d:%d", i,
			    dl.items[0].line, dl.items[0].col, cases[i].line,
			    cases[i].col);
		diag_list_free(&dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_config),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_names_and_keys),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
