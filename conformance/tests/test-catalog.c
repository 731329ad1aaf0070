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
make_stream_pattern(const char *retention, const char *conformance_json,
    const char *pattern)
{
	struct spec_stream	st;

	memset(&st, 0, sizeof(st));
	st.name = (char *)"s";
	st.config = cJSON_CreateObject();
	if (retention != NULL)
		cJSON_AddStringToObject(st.config, "retention", retention);
	if (conformance_json != NULL)
		st.conformance = cJSON_Parse(conformance_json);
	if (pattern != NULL) {
		st.contract = cJSON_CreateObject();
		cJSON_AddStringToObject(st.contract, "pattern", pattern);
	}
	return st;
}

static struct spec_stream
make_stream(const char *retention, const char *conformance_json)
{
	return make_stream_pattern(retention, conformance_json, NULL);
}

static void
free_stream(struct spec_stream *st)
{
	cJSON_Delete(st->config);
	cJSON_Delete(st->conformance);
	cJSON_Delete(st->contract);
}

struct applies_case {
	const char	*retention;
	const char	*list;
	const char	*group;
	bool		 want;
	const char	*pattern;	/* the contract's, or NULL */
};

static const struct applies_case applies_cases[] = {
	{ "limits", NULL, "pubsub", true, NULL },
	{ "limits", NULL, "offline", true, NULL },
	{ "limits", NULL, "broadcast", true, NULL },
	{ "limits", NULL, "limits", true, NULL },
	{ "limits", NULL, "config", true, NULL },
	{ "limits", NULL, "workqueue", false, NULL },
	{ "interest", NULL, "broadcast", true, NULL },
	{ "interest", NULL, "workqueue", false, NULL },
	{ "workqueue", NULL, "workqueue", true, NULL },
	{ "workqueue", NULL, "config", true, NULL },
	{ "workqueue", NULL, "pubsub", false, NULL },
	{ "workqueue", NULL, "broadcast", false, NULL },
	{ NULL, NULL, "pubsub", true, NULL },		/* default retention */
	{ "limits", "[\"pubsub\"]", "pubsub", true, NULL },
	{ "limits", "[\"pubsub\"]", "offline", false, NULL },
	{ "limits", "[\"workqueue\"]", "workqueue", true, NULL },
	{ "limits", "[]", "pubsub", false, NULL },
	{ "limits", NULL, "monitoring", false, NULL },	/* server-wide */
	{ "limits", "[\"monitoring\"]", "monitoring", false, NULL },
	{ "limits", NULL, "contract", false, NULL },	/* no contract */
	/* a contract chooses, whatever the retention says */
	{ "limits", NULL, "workqueue", true, "workqueue" },
	{ "limits", NULL, "contract", true, "workqueue" },
	{ "limits", NULL, "backlog", true, "workqueue" },
	{ "limits", NULL, "backlog", false, NULL },
	{ "limits", NULL, "config", true, "workqueue" },
	{ "limits", NULL, "pubsub", false, "workqueue" },
	{ "limits", NULL, "broadcast", false, "workqueue" },
	{ "workqueue", NULL, "broadcast", true, "broadcast" },
	{ "workqueue", NULL, "workqueue", false, "broadcast" },
	{ "interest", NULL, "offline", true, "inbox" },
	{ "interest", NULL, "contract", true, "inbox" },
	{ "interest", NULL, "broadcast", false, "inbox" },
	{ "limits", "[\"pubsub\"]", "contract", false, "inbox" },
};

static void
test_applies(void **state)
{
	struct spec_stream	st;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(applies_cases) / sizeof(applies_cases[0]);
	    i++) {
		st = make_stream_pattern(applies_cases[i].retention,
		    applies_cases[i].list, applies_cases[i].pattern);
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

/* A bucket's stream: its kind chooses, not its retention or contract. */
static void
test_bucket_kinds(void **state)
{
	static const struct {
		enum spec_kind	 kind;
		const char	*group;
		bool		 want;
	} cases[] = {
		{ SPEC_KV, "kv", true }, { SPEC_KV, "config", true },
		{ SPEC_KV, "pubsub", false }, { SPEC_KV, "broadcast", false },
		{ SPEC_KV, "limits", false }, { SPEC_KV, "contract", false },
		{ SPEC_OBJ, "config", true }, { SPEC_OBJ, "kv", false },
		{ SPEC_OBJ, "pubsub", false }, { SPEC_STREAM, "kv", false },
	};
	struct spec_stream	st;
	char			buf[128];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = make_stream_pattern("limits", NULL, "broadcast");
		st.kind = cases[i].kind;
		if (catalog_applies(&st, cases[i].group) != cases[i].want)
			fail_msg("case %zu: kind %d group %s want %d", i,
			    (int)cases[i].kind, cases[i].group, cases[i].want);
		free_stream(&st);
	}
	st = make_stream("limits", NULL);
	st.kind = SPEC_KV;
	assert_null(catalog_basis(&st, buf, sizeof(buf)));
	free_stream(&st);
	assert_non_null(catalog_find("kv"));
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

/* Only a stream without a contract says how its checks were chosen. */
static void
test_basis(void **state)
{
	struct spec_stream	st;
	char			buf[512];

	(void)state;
	st = make_stream("workqueue", NULL);
	assert_non_null(catalog_basis(&st, buf, sizeof(buf)));
	assert_non_null(strstr(buf, "no contract for 's'"));
	assert_non_null(strstr(buf, "declared retention 'workqueue'"));
	free_stream(&st);
	st = make_stream_pattern("limits", NULL, "inbox");
	assert_null(catalog_basis(&st, buf, sizeof(buf)));
	assert_string_equal(catalog_pattern(&st), "inbox");
	free_stream(&st);
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
	assert_non_null(strstr(d.msg, "(did you mean 'broadcast'?)"));
	assert_non_null(strstr(d.msg, "known:"));
	free_stream(&st[0]);
	/* a name from the spec is quoted back, never raw */
	st[0] = make_stream("limits", "[\"x\\u001b]0;t\"]");
	assert_int_equal(catalog_check_specs(&set, &d), -EINVAL);
	assert_null(strchr(d.msg, 0x1b));
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
		cmocka_unit_test(test_bucket_kinds),
		cmocka_unit_test(test_known_and_find),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_basis),
		cmocka_unit_test(test_check_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
