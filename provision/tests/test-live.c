/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for live: snapshots from STREAM.LIST-style arrays (the page
 * format measured on nats-server 2.9.10), sorting, lookup, ownership.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "live.h"

/* The "streams" of a measured STREAM.LIST page, trimmed, in reverse. */
static const char page[] =
    "[{\"config\":{\"name\":\"t2\",\"subjects\":[\"t2.>\"],"
    "\"retention\":\"workqueue\",\"max_age\":3600000000000},"
    "\"created\":\"2026-11-24T06:55:21.37763875Z\","
    "\"state\":{\"messages\":0,\"consumer_count\":0}},"
    "{\"config\":{\"name\":\"t1\",\"subjects\":[\"t1.>\"],"
    "\"retention\":\"limits\"},"
    "\"created\":\"2026-11-24T06:55:21.376653464Z\","
    "\"state\":{\"messages\":0,\"consumer_count\":2}},"
    "{\"config\":{\"name\":\"a0\",\"subjects\":[\"a0\"]},"
    "\"state\":{\"consumer_count\":0}}]";

static void
test_sorted_and_found(void **state)
{
	struct live			*l = NULL;
	const struct live_stream	*ls;

	(void)state;
	assert_int_equal(live_from_json(20910, cJSON_Parse(page), &l), 0);
	assert_int_equal(l->server_version, 20910);
	assert_int_equal(l->nstreams, 3);
	assert_string_equal(l->streams[0].name, "a0");
	assert_string_equal(l->streams[1].name, "t1");
	assert_string_equal(l->streams[2].name, "t2");
	assert_null(l->streams[1].consumers);

	ls = live_find(l, "t2");
	assert_non_null(ls);
	assert_ptr_equal(ls, &l->streams[2]);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(ls->info,
	    "config"), "retention")->valuestring, "workqueue");
	assert_non_null(live_find(l, "a0"));
	assert_non_null(live_find(l, "t1"));
	assert_null(live_find(l, "t"));
	assert_null(live_find(l, "t3"));
	assert_null(live_find(l, ""));
	assert_null(live_find(NULL, "t1"));
	live_free(l);
	live_free(NULL);
}

static void
test_empty(void **state)
{
	struct live	*l = NULL;

	(void)state;
	assert_int_equal(live_from_json(21000, cJSON_CreateArray(), &l), 0);
	assert_int_equal(l->nstreams, 0);
	assert_null(live_find(l, "x"));
	live_free(l);
}

/* A stream created while paging can appear on two pages. */
static void
test_duplicates_dropped(void **state)
{
	struct live	*l = NULL;

	(void)state;
	assert_int_equal(live_from_json(20910, cJSON_Parse(
	    "[{\"config\":{\"name\":\"b\"}},{\"config\":{\"name\":\"a\"}},"
	    "{\"config\":{\"name\":\"b\"}},{\"config\":{\"name\":\"b\"}}]"),
	    &l), 0);
	assert_int_equal(l->nstreams, 2);
	assert_string_equal(l->streams[0].name, "a");
	assert_string_equal(l->streams[1].name, "b");
	live_free(l);
}

static void
test_consumers_member(void **state)
{
	struct live			*l = NULL;
	const struct live_stream	*ls;

	(void)state;
	assert_int_equal(live_from_json(20910, cJSON_Parse(
	    "[{\"config\":{\"name\":\"s\"},\"consumers\":[{\"name\":\"c1\","
	    "\"config\":{\"durable_name\":\"c1\"}}]}]"), &l), 0);
	ls = live_find(l, "s");
	assert_non_null(ls);
	assert_int_equal(cJSON_GetArraySize(ls->consumers), 1);
	/* moved out of the StreamInfo, not copied */
	assert_null(cJSON_GetObjectItem(ls->info, "consumers"));
	live_free(l);
}

/* Malformed input is refused, and still taken over (no leak). */
static const char *const malformed[] = {
	"{\"streams\":[]}",
	"[{\"config\":{\"name\":\"ok\"}},{\"config\":{}}]",
	"[{\"config\":{\"name\":\"\"}}]",
	"[{\"config\":{\"name\":7}}]",
	"[{\"state\":{}}]",
	"[42]",
	"[{\"config\":{\"name\":\"s\"},\"consumers\":{}}]",
};

static void
test_malformed(void **state)
{
	struct live	*l = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		print_message("input: %s\n", malformed[i]);
		assert_int_equal(live_from_json(20910,
		    cJSON_Parse(malformed[i]), &l), -EBADMSG);
		assert_null(l);
	}
	assert_int_equal(live_from_json(20910, NULL, &l), -EBADMSG);
	assert_null(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_found),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_duplicates_dropped),
		cmocka_unit_test(test_consumers_member),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
