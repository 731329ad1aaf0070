/* SPDX-License-Identifier: MIT */
/*
 * test-json: render reports, parse them back with cJSON (also under a
 * comma-decimal locale) and compare every field with the model; nasty
 * strings come back cleaned, as well-formed UTF-8.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "json.h"
#include "report.h"
#include "test-locale.h"

static const struct {
	const char		*suite;
	const char		*name;
	const char		*classname;
	enum report_status	 status;
	double			 seconds;
	const char		*message;
	const char		*detail;
} cases[] = {
	{ "ORDERS", "limits.discard-new", "limits.ORDERS", REPORT_PASS, 0.012,
	    NULL, NULL },
	{ "ORDERS", "limits.max-msgs", "limits.ORDERS", REPORT_FAIL, 1.2,
	    "expected 5 got \"6\"", "sent: a\nrecv: b" },
	{ "server", "monitoring.varz", "monitoring.server", REPORT_ERROR,
	    0.0004, "connection lost", NULL },
	{ "server", "monitoring.healthz", "monitoring.server", REPORT_SKIP, 0,
	    "no --monitor URL", NULL },
	{ "ORDERS", "nasty\x01", "k\xff", REPORT_FAIL, 0,
	    "emoji \xf0\x9f\x98\x80 bad \xe2\x82 surrogate \xed\xa0\x80 ]]>",
	    "ctl \x1b[0m tab\tend" },
};

static const char *const status_names[] = { "pass", "fail", "error",
    "skip" };

static struct report *
build_report(void)
{
	struct report		*r;
	struct report_suite	*s;
	size_t			 i;

	assert_int_equal(report_new("nats-conformance", &r), 0);
	/* Verbatim: callers pass URLs already redacted. */
	assert_int_equal(report_set_prop(r, "server.url",
	    "nats://127.0.0.1:4222"), 0);
	assert_int_equal(report_set_prop(r, "run.id", "42"), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(report_suite(r, cases[i].suite, &s), 0);
		s->timestamp = 1714564800;
		assert_int_equal(report_add_case(s, cases[i].name,
		    cases[i].classname, cases[i].status, cases[i].seconds,
		    cases[i].message, cases[i].detail), 0);
	}
	return r;
}

static const cJSON *
get(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		fail_msg("no '%s'", key);
	return v;
}

static void
assert_json_string(const cJSON *o, const char *key, const char *raw)
{
	const cJSON	*v = get(o, key);
	char		*clean;

	assert_true(cJSON_IsString(v));
	assert_int_equal(report_clean(raw, 0, &clean), 0);
	assert_string_equal(v->valuestring, clean);
	free(clean);
}

static void
assert_json_number(const cJSON *o, const char *key, double want)
{
	const cJSON	*v = get(o, key);

	assert_true(cJSON_IsNumber(v));
	if (fabs(v->valuedouble - want) > 1e-9)
		fail_msg("'%s' is %g, want %g", key, v->valuedouble, want);
}

static void
assert_counts(const cJSON *o, size_t tests, const size_t n[4], uint64_t ms)
{
	assert_json_number(o, "tests", (double)tests);
	assert_json_number(o, "passed", (double)n[REPORT_PASS]);
	assert_json_number(o, "failed", (double)n[REPORT_FAIL]);
	assert_json_number(o, "errors", (double)n[REPORT_ERROR]);
	assert_json_number(o, "skipped", (double)n[REPORT_SKIP]);
	assert_json_number(o, "time", (double)ms / 1000.0);
}

/* Compares the whole document with the model it came from. */
static void
compare(const cJSON *root, const struct report *r)
{
	const struct report_suite	*s;
	const struct report_case	*c;
	const cJSON			*props, *suites, *js, *jcases, *jc;
	char				 stamp[REPORT_TIMESTAMP_LEN + 1];
	size_t				 i, j, n[4], tests = 0;

	assert_json_string(root, "name", r->name);
	assert_json_string(root, "hostname", r->hostname);
	props = get(root, "properties");
	assert_int_equal(cJSON_GetArraySize(props), r->nprops);
	for (i = 0; i < r->nprops; i++)
		assert_json_string(props, r->props[i].name, r->props[i].value);

	report_counts(r, n);
	for (i = 0; i < r->nsuites; i++)
		tests += r->suites[i].ncases;
	assert_counts(get(root, "summary"), tests, n, report_run_millis(r));

	suites = get(root, "suites");
	assert_true(cJSON_IsArray(suites));
	assert_int_equal(cJSON_GetArraySize(suites), r->nsuites);
	for (i = 0; i < r->nsuites; i++) {
		s = &r->suites[i];
		js = cJSON_GetArrayItem(suites, (int)i);
		assert_json_string(js, "name", s->name);
		report_timestamp(s->timestamp, stamp);
		strcat(stamp, "Z");
		assert_string_equal(get(js, "timestamp")->valuestring, stamp);
		report_suite_counts(s, n);
		assert_counts(js, s->ncases, n, report_suite_millis(s));
		jcases = get(js, "cases");
		assert_int_equal(cJSON_GetArraySize(jcases), s->ncases);
		for (j = 0; j < s->ncases; j++) {
			c = &s->cases[j];
			jc = cJSON_GetArrayItem(jcases, (int)j);
			assert_json_string(jc, "name", c->name);
			assert_json_string(jc, "classname", c->classname);
			assert_string_equal(get(jc, "status")->valuestring,
			    status_names[c->status]);
			assert_json_number(jc, "time",
			    (double)report_millis(c->seconds) / 1000.0);
			if (c->message != NULL)
				assert_json_string(jc, "message", c->message);
			else
				assert_null(cJSON_GetObjectItem(jc,
				    "message"));
			if (c->detail != NULL)
				assert_json_string(jc, "detail", c->detail);
			else
				assert_null(cJSON_GetObjectItem(jc, "detail"));
		}
	}
}

static void
test_round_trip(void **state)
{
	struct report	*r = build_report();
	cJSON		*root;
	char		*out, *clean;

	test_locale_comma();
	assert_int_equal(json_render(r, &out), 0);
	assert_non_null(root = cJSON_Parse(out));
	setlocale(LC_ALL, "C");
	compare(root, r);
	cJSON_Delete(root);

	/* Numbers with dots whatever the locale; ends with a newline. */
	assert_non_null(strstr(out, "\"time\":\t0.012\n"));
	assert_non_null(strstr(out, "\"time\":\t1.212,\n"));
	assert_int_equal(out[strlen(out) - 1], '\n');
	/* Cleaning changes nothing: well-formed UTF-8 already. */
	assert_int_equal(report_clean(out, 0, &clean), 0);
	assert_string_equal(clean, out);
	free(clean);
	free(out);

	/* Reparsed in the C locale too. */
	assert_int_equal(json_render(r, &out), 0);
	assert_non_null(root = cJSON_Parse(out));
	compare(root, r);
	cJSON_Delete(root);
	free(out);

	/* A measured wall time is the summary's; suites keep their sums. */
	r->wall_ms = 700;
	assert_int_equal(json_render(r, &out), 0);
	assert_non_null(root = cJSON_Parse(out));
	compare(root, r);
	assert_json_number(get(root, "summary"), "time", 0.7);
	cJSON_Delete(root);
	assert_non_null(strstr(out, "\"time\":\t1.212,\n"));
	free(out);
	report_free(r);
}

static void
test_nasty_values(void **state)
{
	struct report	*r = build_report();
	const cJSON	*c;
	cJSON		*root;
	char		*out;

	assert_int_equal(json_render(r, &out), 0);
	assert_non_null(root = cJSON_Parse(out));
	c = cJSON_GetArrayItem(get(cJSON_GetArrayItem(get(root, "suites"), 0),
	    "cases"), 2);
	assert_string_equal(get(c, "name")->valuestring, "nasty");
	assert_string_equal(get(c, "classname")->valuestring, "k\xef\xbf\xbd");
	assert_string_equal(get(c, "message")->valuestring,
	    "emoji \xf0\x9f\x98\x80 bad \xef\xbf\xbd\xef\xbf\xbd surrogate "
	    " ]]>");
	assert_string_equal(get(c, "detail")->valuestring,
	    "ctl [0m tab\tend");
	assert_string_equal(get(c, "status")->valuestring, "fail");
	cJSON_Delete(root);
	free(out);
	report_free(r);
}

static void
test_empty(void **state)
{
	struct report	*r;
	cJSON		*root;
	char		*out;

	assert_int_equal(report_new("empty", &r), 0);
	assert_int_equal(json_render(r, &out), 0);
	assert_non_null(root = cJSON_Parse(out));
	compare(root, r);
	assert_int_equal(cJSON_GetArraySize(get(root, "suites")), 0);
	assert_true(cJSON_IsObject(get(root, "properties")));
	cJSON_Delete(root);
	free(out);
	assert_int_equal(json_render(NULL, &out), -EINVAL);
	assert_null(out);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_nasty_values),
		cmocka_unit_test(test_empty),
	};
	int	rc;

	test_locale_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_locale_fini();
	return rc;
}
