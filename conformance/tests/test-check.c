/* SPDX-License-Identifier: MIT */
/*
 * Tests for check.c: outcomes and their messages, bounded detail, names,
 * the per-check subjects on shadow and live configs, status messages.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

static void
test_outcomes(void **state)
{
	struct check_result	res;

	(void)state;
	memset(&res, 0, sizeof(res));
	assert_int_equal(check_fail(&res, "got %d, want %d", 1, 2),
	    REPORT_FAIL);
	assert_string_equal(res.message, "got 1, want 2");
	/* A second outcome keeps the first and goes to the detail. */
	assert_int_equal(check_error(&res, "later %s", "x"), REPORT_FAIL);
	assert_string_equal(res.message, "got 1, want 2");
	assert_non_null(strstr(res.detail, "also: later x"));

	memset(&res, 0, sizeof(res));
	assert_int_equal(check_skip(&res, "no %s", "monitor"), REPORT_SKIP);
	assert_string_equal(res.message, "no monitor");

	memset(&res, 0, sizeof(res));
	{
		struct diag	d = { 0 };

		diag_set(&d, -EPROTO, "consumer not found");
		d.err_code = 10014;
		assert_int_equal(check_error_diag(&res, &d, "reading"),
		    REPORT_ERROR);
		assert_string_equal(res.message, "reading: consumer not found "
		    "(err_code 10014)");
	}
}

static void
test_detail_bounded(void **state)
{
	struct check_result	res;
	int			i;

	(void)state;
	memset(&res, 0, sizeof(res));
	for (i = 0; i < 1000; i++)
		check_detail(&res, "line %d with some text", i);
	assert_true(strlen(res.detail) < sizeof(res.detail));
	assert_int_equal(strncmp(res.detail, "line 0 with", 11), 0);
}

struct subject_case {
	const char	*subjects;	/* JSON array */
	const char	*want;
};

static const struct subject_case subject_cases[] = {
	{ "[\"r1.agent.*.inbox\", \"r1.agent.*.direct\"]",
	    "r1.agent.r1-x.inbox" },
	{ "[\"agent.*.inbox\"]", "agent.r1-x.inbox" },
	{ "[\"tasks.>\"]", "tasks.r1-x" },
	{ "[\"plain\", \"work.*\"]", "work.r1-x" },
	{ "[\"plain\"]", "plain" },
	{ "[\"a.*x.b\", \"c.*\"]", "c.r1-x" },	/* "*x" is no wildcard */
};

static void
test_subject(void **state)
{
	struct check_ctx	ctx;
	cJSON			*cfg;
	char			 buf[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(subject_cases) / sizeof(subject_cases[0]);
	    i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.run_id = "r1";
		cfg = cJSON_CreateObject();
		cJSON_AddItemToObject(cfg, "subjects",
		    cJSON_Parse(subject_cases[i].subjects));
		ctx.config = cfg;
		check_subject(&ctx, "x", buf, sizeof(buf));
		if (strcmp(buf, subject_cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, buf,
			    subject_cases[i].want);
		cJSON_Delete(cfg);
	}
}

static void
test_name_and_fault(void **state)
{
	struct check_ctx	ctx;
	char			buf[64];

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.run_id = "r0011aabb";
	assert_string_equal(check_name(&ctx, "wq", buf, sizeof(buf)),
	    "r0011aabb-wq");
	assert_false(check_fault(&ctx, "no-ack"));
	ctx.fault = "no-ack";
	assert_true(check_fault(&ctx, "no-ack"));
	assert_false(check_fault(&ctx, "no-ack-offline"));
	/* No runner: tracking is a no-op. */
	assert_int_equal(check_track_stream(&ctx, "s"), 0);
}

/* The tracker keeps every record in order, past its first growth. */
static void
test_tracker(void **state)
{
	struct check_tracker	t = { 0 };
	struct check_ctx	ctx;
	char			s[32], c[32];
	int			i;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.tracker = &t;
	for (i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		snprintf(c, sizeof(c), "c%d", i);
		assert_int_equal(i % 2 == 0 ? check_track_stream(&ctx, s) :
		    check_track_consumer(&ctx, s, c), 0);
	}
	assert_int_equal(t.nobjs, 40);
	for (i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		snprintf(c, sizeof(c), "c%d", i);
		assert_string_equal(t.objs[i].stream, s);
		if (i % 2 == 0)
			assert_null(t.objs[i].consumer);
		else
			assert_string_equal(t.objs[i].consumer, c);
	}
	check_tracker_free(&t);
	assert_int_equal(t.nobjs, 0);
	assert_null(t.objs);
	check_tracker_free(NULL);
}

static void
test_status(void **state)
{
	struct jsapi_msg	m;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_null(check_msg_status(&m));
	m.headers = cJSON_Parse("{\"status\": [\"408\"]}");
	assert_string_equal(check_msg_status(&m), "408");
	cJSON_Delete(m.headers);
	m.headers = cJSON_Parse("{\"status\": \"404\"}");
	assert_string_equal(check_msg_status(&m), "404");
	cJSON_Delete(m.headers);
	m.headers = cJSON_Parse("{\"X-Other\": [\"1\"]}");
	assert_null(check_msg_status(&m));
	cJSON_Delete(m.headers);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_detail_bounded),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_name_and_fault),
		cmocka_unit_test(test_tracker),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
