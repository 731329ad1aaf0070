/* SPDX-License-Identifier: MIT */
/*
 * json: the JSON writer (layout in json.h), built with cJSON.  cJSON
 * prints numbers with a dot whatever the locale, and escapes control
 * characters; report_clean() makes the strings well-formed UTF-8, which
 * cJSON does not check.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "report.h"

static int
json_add_string(cJSON *o, const char *key, const char *s)
{
	cJSON	*item;
	char	*c;

	if (report_clean(s, 0, &c) < 0)
		return -ENOMEM;
	item = cJSON_AddStringToObject(o, key, c);
	free(c);
	return item == NULL ? -ENOMEM : 0;
}

static int
json_add_counts(cJSON *o, size_t tests, const size_t n[4], uint64_t ms)
{
	if (cJSON_AddNumberToObject(o, "tests", (double)tests) == NULL ||
	    cJSON_AddNumberToObject(o, "passed", (double)n[REPORT_PASS]) ==
	    NULL ||
	    cJSON_AddNumberToObject(o, "failed", (double)n[REPORT_FAIL]) ==
	    NULL ||
	    cJSON_AddNumberToObject(o, "errors", (double)n[REPORT_ERROR]) ==
	    NULL ||
	    cJSON_AddNumberToObject(o, "skipped", (double)n[REPORT_SKIP]) ==
	    NULL ||
	    cJSON_AddNumberToObject(o, "time", (double)ms / 1000.0) == NULL)
		return -ENOMEM;
	return 0;
}

static int
json_props(cJSON *root, const struct report *r)
{
	cJSON	*props;
	char	*name = NULL;
	size_t	 i;
	int	 rc = 0;

	if ((props = cJSON_AddObjectToObject(root, "properties")) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->nprops && rc == 0; i++) {
		/* Values verbatim: callers pass URLs already redacted. */
		if ((rc = report_clean(r->props[i].name, 0, &name)) == 0)
			rc = json_add_string(props, name, r->props[i].value);
		free(name);
		name = NULL;
	}
	return rc;
}

static int
json_case(cJSON *cases, const struct report_case *c)
{
	static const char *const names[] = {
		[REPORT_PASS] = "pass",
		[REPORT_FAIL] = "fail",
		[REPORT_ERROR] = "error",
		[REPORT_SKIP] = "skip",
	};
	enum report_status	 st = c->status;
	cJSON			*o;

	/* The struct is public: show a stray status as an error. */
	if (st < REPORT_PASS || st > REPORT_SKIP)
		st = REPORT_ERROR;
	if ((o = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	if (!cJSON_AddItemToArray(cases, o)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	if (json_add_string(o, "name", c->name) < 0 ||
	    json_add_string(o, "classname", c->classname) < 0 ||
	    cJSON_AddStringToObject(o, "status", names[st]) == NULL ||
	    cJSON_AddNumberToObject(o, "time",
	    (double)report_millis(c->seconds) / 1000.0) == NULL ||
	    (c->message != NULL &&
	    json_add_string(o, "message", c->message) < 0) ||
	    (c->detail != NULL &&
	    json_add_string(o, "detail", c->detail) < 0))
		return -ENOMEM;
	return 0;
}

static int
json_suite(cJSON *suites, const struct report_suite *s)
{
	cJSON	*o, *cases;
	char	 stamp[REPORT_TIMESTAMP_LEN + 1];
	size_t	 i, n[4];

	if ((o = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	if (!cJSON_AddItemToArray(suites, o)) {
		cJSON_Delete(o);
		return -ENOMEM;
	}
	report_timestamp(s->timestamp, stamp);
	strcat(stamp, "Z");
	report_suite_counts(s, n);
	if (json_add_string(o, "name", s->name) < 0 ||
	    cJSON_AddStringToObject(o, "timestamp", stamp) == NULL ||
	    json_add_counts(o, s->ncases, n, report_suite_millis(s)) < 0 ||
	    (cases = cJSON_AddArrayToObject(o, "cases")) == NULL)
		return -ENOMEM;
	for (i = 0; i < s->ncases; i++) {
		if (json_case(cases, &s->cases[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
json_render(const struct report *r, char **ret)
{
	cJSON	*root, *summary, *suites;
	char	*text = NULL, *out;
	size_t	 i, n[4], len, tests = 0;
	int	 rc = -ENOMEM;

	*ret = NULL;
	if (r == NULL)
		return -EINVAL;
	if ((root = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	report_counts(r, n);
	for (i = 0; i < r->nsuites; i++)
		tests += r->suites[i].ncases;
	if (json_add_string(root, "name", r->name) < 0 ||
	    json_add_string(root, "hostname", r->hostname) < 0 ||
	    json_props(root, r) < 0)
		goto out;
	if ((summary = cJSON_AddObjectToObject(root, "summary")) == NULL ||
	    json_add_counts(summary, tests, n, report_run_millis(r)) < 0 ||
	    (suites = cJSON_AddArrayToObject(root, "suites")) == NULL)
		goto out;
	for (i = 0; i < r->nsuites; i++) {
		if (json_suite(suites, &r->suites[i]) < 0)
			goto out;
	}
	if ((text = cJSON_Print(root)) == NULL)
		goto out;
	/* A file that ends in a newline is kinder to cat and diff. */
	len = strlen(text);
	if ((out = realloc(text, len + 2)) == NULL)
		goto out;
	text = out;
	memcpy(text + len, "\n", 2);
	*ret = text;
	text = NULL;
	rc = 0;
out:
	free(text);
	cJSON_Delete(root);
	return rc;
}
