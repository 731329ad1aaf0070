/* SPDX-License-Identifier: MIT */
/*
 * Tests for catalog.c: group selection by retention, by a stream's
 * conformance list, server-wide groups, and the validation of the lists.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"

static struct spec_stream
make_stream(const char *retention, const char *conformance_json)
{
	struct spec_stream	st;

	memset(&st, 0, sizeof(st));
	st.name = (char *)"s";
	st.config = cJSON_CreateObject();
	if (retention != NULL)
		cJSON_AddStringToObject(st.config, "retention", retention);
	if (conformance_json != NULL)
		st.conformance = cJSON_Parse(conformance_json);
	return st;
}

static void
free_stream(struct spec_stream *st)
{
	cJSON_Delete(st->config);
	cJSON_Delete(st->conformance);
}

struct applies_case {
	const char	*retention;
	const char	*list;
	const char	*group;
	bool		 want;
};

static const struct applies_case applies_cases[] = {
	{ "limits", NULL, "pubsub", true },
	{ "limits", NULL, "offline", true },
	{ "limits", NULL, "broadcast", true },
	{ "limits", NULL, "limits", true },
	{ "limits", NULL, "config", true },
	{ "limits", NULL, "workqueue", false },
	{ "interest", NULL, "broadcast", true },
	{ "interest", NULL, "workqueue", false },
	{ "workqueue", NULL, "workqueue", true },
	{ "workqueue", NULL, "config", true },
	{ "workqueue", NULL, "pubsub", false },
	{ "workqueue", NULL, "broadcast", false },
	{ NULL, NULL, "pubsub", true },		/* default retention */
	{ "limits", "[\"pubsub\"]", "pubsub", true },
	{ "limits", "[\"pubsub\"]", "offline", false },
	{ "limits", "[\"workqueue\"]", "workqueue", true },
	{ "limits", "[]", "pubsub", false },
	{ "limits", NULL, "monitoring", false },	/* server-wide */
	{ "limits", "[\"monitoring\"]", "monitoring", false },
};

static void
test_applies(void **state)
{
	struct spec_stream	st;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(applies_cases) / sizeof(applies_cases[0]);
	    i++) {
		st = make_stream(applies_cases[i].retention,
		    applies_cases[i].list);
		if (catalog_applies(&st, applies_cases[i].group) !=
		    applies_cases[i].want)
			fail_msg("case %zu: %s/%s/%s want %d", i,
			    applies_cases[i].retention ?
			    applies_cases[i].retention : "-",
			    applies_cases[i].list ? applies_cases[i].list : "-",
			    applies_cases[i].group, applies_cases[i].want);
		free_stream(&st);
	}
}

static void
test_known_and_find(void **state)
{
	size_t	i;

	(void)state;
	assert_true(catalog_known("pubsub"));
	assert_true(catalog_known("persistence"));
	assert_true(catalog_known("monitoring"));
	assert_false(catalog_known("pubsb"));
	assert_true(catalog_server_group("persistence"));
	assert_false(catalog_server_group("workqueue"));
	assert_null(catalog_find("nope"));
	for (i = 0; i < catalog_ngroups; i++) {
		assert_ptr_equal(catalog_find(catalog_groups[i]->name),
		    catalog_groups[i]);
		assert_true(catalog_groups[i]->nchecks > 0);
	}
}

/* Every id is "<group>.<name>", unique, with a summary. */
static void
test_ids(void **state)
{
	const struct check_group	*g;
	size_t				 i, j, k, l;

	(void)state;
	for (i = 0; i < catalog_ngroups; i++) {
		g = catalog_groups[i];
		for (j = 0; j < g->nchecks; j++) {
			assert_int_equal(strncmp(g->checks[j].id, g->name,
			    strlen(g->name)), 0);
			assert_int_equal(g->checks[j].id[strlen(g->name)], '.');
			assert_true(strlen(g->checks[j].summary) > 10);
			assert_non_null(g->checks[j].run);
			for (k = 0; k < catalog_ngroups; k++)
				for (l = 0; l < catalog_groups[k]->nchecks; l++)
					if (k != i || l != j)
						assert_string_not_equal(
						    g->checks[j].id,
						    catalog_groups[k]->checks[l].id);
		}
	}
}

static void
test_check_specs(void **state)
{
	struct spec_stream	st[2];
	struct spec_set		set = { 0 };
	struct diag		d = { 0 };

	(void)state;
	st[0] = make_stream("limits", "[\"pubsub\", \"broadcast\"]");
	st[1] = make_stream("workqueue", NULL);
	set.streams = st;
	set.nstreams = 2;
	assert_int_equal(catalog_check_specs(&set, &d), 0);
	free_stream(&st[0]);
	st[0] = make_stream("limits", "[\"pubsub\", \"brodcast\"]");
	assert_int_equal(catalog_check_specs(&set, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "'brodcast'"));
	assert_non_null(strstr(d.msg, "known:"));
	free_stream(&st[0]);
	st[0] = make_stream("limits", "\"pubsub\"");
	assert_int_equal(catalog_check_specs(&set, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "list"));
	free_stream(&st[0]);
	free_stream(&st[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_known_and_find),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_check_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
