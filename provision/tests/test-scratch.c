/* SPDX-License-Identifier: MIT */
/*
 * test-scratch: a new stream field added by table rows only (a field row
 * in scratch-field.h and a rule row in scratch-rules.h, compiled into
 * this test's own schema.c) is picked up by every consumer of the table:
 * the spec loader, the planner's version gate, diff and change rule, the
 * normaliser, export (its driver list) and the docs check.
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

#include "export.h"
#include "live.h"
#include "plan.h"
#include "refdoc.h"
#include "schema.h"
#include "spec.h"

#define V210	21027
#define V215	21501

#define REFERENCE	TEST_SRCDIR "/../../docs/spec-reference.md"

/* A stream as 2.15.1 reports it, with the scratch field set to 5s. */
static const char scratch_info[] =
    "{\"config\":{\"name\":\"sc\",\"subjects\":[\"sc.>\"],"
    "\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1,"
    "\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1,"
    "\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file\","
    "\"num_replicas\":1,\"duplicate_window\":120000000000,"
    "\"compression\":\"none\",\"allow_direct\":false,"
    "\"mirror_direct\":false,\"sealed\":false,\"deny_delete\":false,"
    "\"deny_purge\":false,\"allow_rollup_hdrs\":false,"
    "\"consumer_limits\":{},\"allow_msg_ttl\":true,"
    "\"metadata\":{\"managed-by\":\"nats-provision\"},"
    "\"scratch_ttl\":5000000000},"
    "\"state\":{\"messages\":0,\"consumer_count\":0}}";

static struct live *
make_live(int version, const char *info)
{
	struct live	*l = NULL;
	cJSON		*arr;

	assert_non_null(arr = cJSON_CreateArray());
	assert_true(cJSON_AddItemToArray(arr, cJSON_Parse(info)));
	assert_int_equal(live_from_json(version, arr, &l), 0);
	return l;
}

static struct spec_set *
load(const char *yaml)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;

	assert_int_equal(spec_load_buffer("scratch.yaml", yaml, strlen(yaml),
	    NULL, &diags, &set), 0);
	diag_list_free(&diags);
	return set;
}

static const struct plan_field *
field(const struct plan *p, const char *key)
{
	size_t	i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->actions[i].nfields; j++)
			if (strcmp(p->actions[i].fields[j].key, key) == 0)
				return &p->actions[i].fields[j];
	return NULL;
}

static void
print_fields(const struct plan *p)
{
	size_t	i, j;
	char	a[64], b[64];

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->actions[i].nfields; j++)
			print_error("%s: %s -> %s\n",
			    p->actions[i].fields[j].key,
			    schema_value_text(false,
			    p->actions[i].fields[j].key,
			    p->actions[i].fields[j].live, a, sizeof(a)),
			    schema_value_text(false,
			    p->actions[i].fields[j].key,
			    p->actions[i].fields[j].want, b, sizeof(b)));
}

/* Loaded with units, diffed, blocked by its rule, gated by version. */
static void
test_plan(void **state)
{
	const struct plan_opts	 opts = { .prune = false };
	const struct plan_field	*f;
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d = { 0 };
	char			 buf[64];

	(void)state;
	set = load("streams:\n  - name: sc\n    subjects: [sc.>]\n"
	    "    scratch_ttl: 5s\n");
	/* the same as the server: no change */
	live = make_live(V215, scratch_info);
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	print_fields(p);
	assert_true(plan_is_empty(p));
	plan_free(p);
	spec_set_free(set);

	/* changed: blocked by its change rule, with the server's words */
	set = load("streams:\n  - name: sc\n    subjects: [sc.>]\n"
	    "    scratch_ttl: 1m\n");
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_non_null(f = field(p, "scratch_ttl"));
	assert_non_null(f->blocked);
	assert_non_null(strstr(f->blocked, "cannot change scratch_ttl"));
	assert_non_null(strstr(f->blocked, "scratch ttl can not be updated"));
	assert_string_equal(schema_value_text(false, "scratch_ttl", f->want,
	    buf, sizeof(buf)), "1m");
	plan_free(p);
	live_free(live);

	/* too old a server: refused before any change, naming 2.11 */
	live = make_live(V210, scratch_info);
	assert_int_equal(plan_build(set, live, &opts, &d, &p), -ENOTSUP);
	assert_non_null(strstr(d.msg, "scratch_ttl"));
	assert_non_null(strstr(d.msg, "2.11"));
	live_free(live);
	spec_set_free(set);
}

/* The rule row: the field implies allow_msg_ttl, so export leaves it out. */
static void
test_export(void **state)
{
	struct live	*live;
	struct diag	 d = { 0 };
	char		*yaml = NULL;

	(void)state;
	live = make_live(V215, scratch_info);
	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);
	assert_non_null(strstr(yaml, "scratch_ttl: 5s"));
	assert_null(strstr(yaml, "allow_msg_ttl"));
	free(yaml);
	live_free(live);
}

/* The docs check names the field the reference does not document. */
static void
test_docs(void **state)
{
	const struct schema_field	*t;
	FILE				*f;
	char				*doc, out[4096] = "";
	size_t				 n, len;
	FILE				*mem;

	(void)state;
	assert_non_null(f = fopen(REFERENCE, "r"));
	assert_non_null(doc = calloc(1, 256 * 1024 + 1));
	len = fread(doc, 1, 256 * 1024, f);
	fclose(f);
	assert_true(len > 0 && len < 256 * 1024);
	t = schema_stream_fields(&n);
	assert_non_null(mem = fmemopen(out, sizeof(out) - 1, "w"));
	assert_int_equal(refdoc_check(doc, "## Stream keys", t, n, false,
	    mem), 1);
	fclose(mem);
	assert_non_null(strstr(out, "no row for 'scratch_ttl'"));
	assert_non_null(strstr(out, "| `scratch_ttl` | duration >= 0 | - | "
	    "no | 2.11 |"));
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_docs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
