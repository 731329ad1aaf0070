/* SPDX-License-Identifier: MIT */
/*
 * test-console: the exact text for a report with every status, with and
 * without color, under a comma-decimal locale; control characters and
 * escape sequences from names and messages never reach the terminal.
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

#include <cmocka.h>

#include "console.h"
#include "report.h"
#include "test-locale.h"

static const struct {
	const char		*suite;
	const char		*name;
	enum report_status	 status;
	double			 seconds;
	const char		*message;
	const char		*line;	/* expected, without color */
} cases[] = {
	{ "drift", "ORDERS", REPORT_PASS, 0.012, NULL,
	    "pass     0.012s  drift/ORDERS" },
	{ "drift", "ORDERS/c1", REPORT_FAIL, 0, "drifted: max_msgs",
	    "FAIL     0.000s  drift/ORDERS/c1  drifted: max_msgs" },
	{ "server", "monitoring.varz", REPORT_ERROR, 1.2, "connection lost",
	    "ERROR    1.200s  server/monitoring.varz  connection lost" },
	{ "server", "monitoring.healthz", REPORT_SKIP, 0, "no --monitor URL",
	    "skip     0.000s  server/monitoring.healthz  no --monitor URL" },
	{ "drift", "EVENTS", REPORT_PASS, 123.4567, "",
	    "pass   123.457s  drift/EVENTS" },
};

static struct report *
build_report(void)
{
	struct report		*r;
	struct report_suite	*s;
	size_t			 i;

	assert_int_equal(report_new("nats-provision check", &r), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(report_suite(r, cases[i].suite, &s), 0);
		assert_int_equal(report_add_case(s, cases[i].name, "k",
		    cases[i].status, cases[i].seconds, cases[i].message,
		    "detail is not shown"), 0);
	}
	return r;
}

static void
test_plain(void **state)
{
	struct report	*r = build_report();
	char		 want[1024], *out;
	size_t		 i, j;

	want[0] = '\0';
	/* Report order: suite by suite, in the order suites were made. */
	for (j = 0; j < 2; j++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (strcmp(cases[i].suite, j == 0 ? "drift" :
			    "server") != 0)
				continue;
			strcat(want, cases[i].line);
			strcat(want, "\n");
		}
	}
	strcat(want, "2 passed, 1 failed, 1 errors, 1 skipped in 124.669s\n");

	test_locale_comma();
	assert_int_equal(console_render(r, false, &out), 0);
	setlocale(LC_ALL, "C");
	assert_string_equal(out, want);
	assert_null(strstr(out, "detail"));
	assert_null(strchr(out, '\033'));
	free(out);
	report_free(r);
}

static void
test_color(void **state)
{
	static const char *const want[] = {
		"\033[32mpass\033[0m     0.012s  drift/ORDERS\n",
		"\033[1;31mFAIL\033[0m     0.000s  drift/ORDERS/c1  "
		    "drifted: max_msgs\n",
		"\033[1;35mERROR\033[0m    1.200s  server/monitoring.varz",
		"\033[33mskip\033[0m     0.000s  server/monitoring.healthz",
		"\n2 passed, 1 failed, 1 errors, 1 skipped in 124.669s\n",
	};
	struct report	*r = build_report();
	char		*out;
	size_t		 i;

	assert_int_equal(console_render(r, true, &out), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(out, want[i]) == NULL)
			fail_msg("'%s' not in:\n%s", want[i], out);
	}
	free(out);
	report_free(r);
}

static void
test_hostile_text(void **state)
{
	struct report		*r;
	struct report_suite	*s;
	char			*out;
	size_t			 lines = 0;
	const char		*p;

	assert_int_equal(report_new("x", &r), 0);
	assert_int_equal(report_suite(r, "s\033]0;title\007", &s), 0);
	assert_int_equal(report_add_case(s, "n\r\nfake pass line", "k",
	    REPORT_FAIL, 0, "a\033[2Jb\tc\nd\xc2\x9b" "31m\xff", NULL), 0);
	assert_int_equal(console_render(r, false, &out), 0);
	assert_string_equal(out,
	    "FAIL     0.000s  s]0;title/n  fake pass line  "
	    "a[2Jb c d31m\xef\xbf\xbd\n"
	    "0 passed, 1 failed, 0 errors, 0 skipped in 0.000s\n");
	for (p = out; *p != '\0'; p++) {
		if (*p == '\n')
			lines++;
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	}
	assert_int_equal(lines, 2);
	free(out);
	report_free(r);
}

/* The same check on two streams: each line names its classname. */
static void
test_same_name(void **state)
{
	struct report		*r = NULL;
	struct report_suite	*s;
	char			*out;

	assert_int_equal(report_new("t", &r), 0);
	assert_int_equal(report_suite(r, "broadcast", &s), 0);
	assert_int_equal(report_add_case(s, "broadcast.fanout",
	    "conformance.broadcast.a", REPORT_PASS, 0.001, NULL, NULL), 0);
	assert_int_equal(report_add_case(s, "broadcast.fanout",
	    "conformance.broadcast.b", REPORT_FAIL, 0.002, "lost 1", NULL), 0);
	assert_int_equal(report_add_case(s, "broadcast.retained",
	    "conformance.broadcast.a", REPORT_PASS, 0.003, NULL, NULL), 0);
	assert_int_equal(console_render(r, false, &out), 0);
	assert_string_equal(out,
	    "pass     0.001s  broadcast/broadcast.fanout "
	    "(conformance.broadcast.a)\n"
	    "FAIL     0.002s  broadcast/broadcast.fanout "
	    "(conformance.broadcast.b)  lost 1\n"
	    "pass     0.003s  broadcast/broadcast.retained\n"
	    "2 passed, 1 failed, 0 errors, 0 skipped in 0.006s\n");
	free(out);
	report_free(r);
}

/*
 * Checks that ran side by side: the summary shows the run's wall time,
 * each line its own check's time.
 */
static void
test_wall_time(void **state)
{
	struct report	*r = build_report();
	char		*out;

	r->wall_ms = 2345;
	assert_int_equal(console_render(r, false, &out), 0);
	assert_non_null(strstr(out, "pass   123.457s  drift/EVENTS\n"));
	assert_non_null(strstr(out, "ERROR    1.200s  server/monitoring.varz"));
	assert_non_null(strstr(out,
	    "\n2 passed, 1 failed, 1 errors, 1 skipped in 2.345s\n"));
	assert_null(strstr(out, "124.669"));
	free(out);
	report_free(r);
}

static void
test_empty(void **state)
{
	struct report	*r;
	char		*out;

	assert_int_equal(report_new("x", &r), 0);
	assert_int_equal(console_render(r, true, &out), 0);
	assert_string_equal(out,
	    "0 passed, 0 failed, 0 errors, 0 skipped in 0.000s\n");
	free(out);
	assert_int_equal(console_render(NULL, false, &out), -EINVAL);
	assert_null(out);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_wall_time),
		cmocka_unit_test(test_empty),
	};
	int	rc;

	test_locale_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_locale_fini();
	return rc;
}
