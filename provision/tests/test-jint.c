/* SPDX-License-Identifier: MIT */
/*
 * test-jint: exact integers through parse, get, create, print and compare,
 * at the edges where doubles stop being exact (2^53+1) and int64 ends.
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

#include "jint.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct get_case {
	const char	*json;		/* {"v": ...} */
	int		 rc;
	int64_t		 want;
};

static const struct get_case get_cases[] = {
	{ "0", 0, 0 },
	{ "-1", 0, -1 },
	{ "9007199254740992", 0, INT64_C(9007199254740992) },
	{ "9007199254740993", 0, INT64_C(9007199254740993) },
	{ "-9007199254740993", 0, -INT64_C(9007199254740993) },
	{ "31536000000000000", 0, INT64_C(31536000000000000) },	/* 1y */
	{ "9223372036854775807", 0, INT64_MAX },
	{ "-9223372036854775808", 0, INT64_MIN },
	{ "9223372036854775806", 0, INT64_MAX - 1 },
	{ "9223372036854775808", -ERANGE, 0 },
	{ "99999999999999999999", -ERANGE, 0 },
	{ "1e300", -ERANGE, 0 },
	{ "1.5", -EINVAL, 0 },
	{ "\"5\"", -EINVAL, 0 },
	{ "1e3", 0, 1000 },
};

static void
test_parse_get(void **state)
{
	char	 buf[128];
	cJSON	*j;
	int64_t	 v;
	size_t	 i;
	int	 r;

	for (i = 0; i < NELEM(get_cases); i++) {
		snprintf(buf, sizeof(buf), "{\"s\":\"1-2 \\\" 3\",\"v\":%s}",
		    get_cases[i].json);
		assert_int_equal(jint_parse(buf, strlen(buf), &j), 0);
		v = 12345;
		r = jint_get(cJSON_GetObjectItem(j, "v"), &v);
		if (r != get_cases[i].rc)
			fail_msg("%s: rc %d, want %d", get_cases[i].json, r,
			    get_cases[i].rc);
		if (r == 0 && v != get_cases[i].want)
			fail_msg("%s: %lld", get_cases[i].json, (long long)v);
		cJSON_Delete(j);
	}
}

/* Numbers in arrays, nested objects and after strings with digits. */
static void
test_document_order(void **state)
{
	static const char text[] = " {\"a\":[1, 9007199254740993, "
	    "{\"k-1\": \"x\\\"9\", \"b\": -9007199254740995}], \"t\": true, "
	    "\"c\": 9007199254740997, \"n\": null, \"e\": 2.5e1} trailing 7";
	static const int64_t	want[] = { 1, INT64_C(9007199254740993),
	    -INT64_C(9007199254740995), INT64_C(9007199254740997) };
	cJSON			*j, *a;
	int64_t			 v;

	assert_int_equal(jint_parse(text, strlen(text), &j), 0);
	a = cJSON_GetObjectItem(j, "a");
	assert_int_equal(jint_get(cJSON_GetArrayItem(a, 0), &v), 0);
	assert_int_equal(v, want[0]);
	assert_int_equal(jint_get(cJSON_GetArrayItem(a, 1), &v), 0);
	assert_int_equal(v, want[1]);
	assert_int_equal(jint_get(cJSON_GetObjectItem(cJSON_GetArrayItem(a,
	    2), "b"), &v), 0);
	assert_int_equal(v, want[2]);
	assert_int_equal(jint_get(cJSON_GetObjectItem(j, "c"), &v), 0);
	assert_int_equal(v, want[3]);
	assert_int_equal(jint_get(cJSON_GetObjectItem(j, "e"), &v), 0);
	assert_int_equal(v, 25);
	cJSON_Delete(j);
	assert_int_equal(jint_parse("{\"a\":", 5, &j), -EBADMSG);
}

struct print_case {
	int64_t		 v;
	const char	*want;
};

static const struct print_case print_cases[] = {
	{ 0, "{\"v\":0,\"l\":[0]}" },
	{ -1, "{\"v\":-1,\"l\":[-1]}" },
	{ INT64_C(1209600000000000), "{\"v\":1209600000000000,"
	  "\"l\":[1209600000000000]}" },
	/* 2^53: the last that needs no digits; then digits (jint_text). */
	{ INT64_C(9007199254740992), "{\"v\":9007199254740992,"
	  "\"l\":[9007199254740992]}" },
	{ INT64_C(9007199254740993), "{\"v\":9007199254740993,"
	  "\"l\":[9007199254740993]}" },
	{ -INT64_C(9007199254740993), "{\"v\":-9007199254740993,"
	  "\"l\":[-9007199254740993]}" },
	{ INT64_MAX, "{\"v\":9223372036854775807,"
	  "\"l\":[9223372036854775807]}" },
	{ INT64_MIN, "{\"v\":-9223372036854775808,"
	  "\"l\":[-9223372036854775808]}" },
};

/* Created, duplicated, printed and parsed back: the same integer. */
static void
test_create_print(void **state)
{
	cJSON	*o, *l, *dup, *back;
	char	*s;
	int64_t	 v;
	size_t	 i;

	for (i = 0; i < NELEM(print_cases); i++) {
		assert_non_null(o = cJSON_CreateObject());
		assert_non_null(l = cJSON_AddArrayToObject(o, "l"));
		cJSON_AddItemToObject(o, "v", jint_create(print_cases[i].v));
		cJSON_AddItemToArray(l, jint_create(print_cases[i].v));
		/* v before l in the output, as cJSON keeps insertion order */
		cJSON_DetachItemViaPointer(o, l);
		cJSON_AddItemToObject(o, "l", l);
		assert_non_null(dup = cJSON_Duplicate(o, true));
		assert_non_null(s = jint_print(dup, false));
		assert_string_equal(s, print_cases[i].want);
		assert_int_equal(jint_parse(s, strlen(s), &back), 0);
		assert_true(jint_equal(back, o));
		assert_int_equal(jint_get(cJSON_GetObjectItem(back, "v"), &v),
		    0);
		assert_int_equal(v, print_cases[i].v);
		cJSON_free(s);
		cJSON_Delete(back);
		cJSON_Delete(dup);
		cJSON_Delete(o);
	}
}

/* A double set over old digits wins; jint_set replaces them. */
static void
test_stale_and_set(void **state)
{
	cJSON	*n;
	int64_t	 v;

	assert_non_null(n = jint_create(INT64_C(9007199254740993)));
	cJSON_SetNumberValue(n, 5);
	assert_int_equal(jint_get(n, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(jint_set(n, INT64_C(9007199254740995)), 0);
	assert_int_equal(jint_get(n, &v), 0);
	assert_int_equal(v, INT64_C(9007199254740995));
	assert_int_equal(jint_set(n, 7), 0);
	assert_null(n->valuestring);
	assert_int_equal(jint_get(n, &v), 0);
	assert_int_equal(v, 7);
	cJSON_Delete(n);
}

struct equal_case {
	const char	*a;
	const char	*b;
	bool		 equal;
};

static const struct equal_case equal_cases[] = {
	{ "{\"x\":9007199254740992}", "{\"x\":9007199254740993}", false },
	{ "{\"x\":9007199254740993}", "{\"x\":9007199254740993}", true },
	{ "[9007199254740993,1]", "[9007199254740993]", false },
	{ "{\"x\":1,\"y\":2}", "{\"y\":2,\"x\":1}", true },
	{ "{\"x\":1}", "{\"x\":1,\"y\":2}", false },
	{ "{\"x\":\"1\"}", "{\"x\":1}", false },
	{ "{\"x\":0.5}", "{\"x\":0.5}", true },
	{ "[true,null,\"s\"]", "[true,null,\"s\"]", true },
};

static void
test_equal(void **state)
{
	cJSON	*a, *b;
	size_t	 i;

	for (i = 0; i < NELEM(equal_cases); i++) {
		assert_int_equal(jint_parse(equal_cases[i].a,
		    strlen(equal_cases[i].a), &a), 0);
		assert_int_equal(jint_parse(equal_cases[i].b,
		    strlen(equal_cases[i].b), &b), 0);
		if (jint_equal(a, b) != equal_cases[i].equal)
			fail_msg("%s vs %s", equal_cases[i].a,
			    equal_cases[i].b);
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	assert_false(jint_equal(NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_get),
		cmocka_unit_test(test_document_order),
		cmocka_unit_test(test_create_print),
		cmocka_unit_test(test_stale_and_set),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
