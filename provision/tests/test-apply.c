/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for apply, the parts that must not touch a server: a blocked
 * plan is refused before anything is sent, and NOOPs send nothing.  The
 * api handle is NULL, so any request would crash the test.  Sending is
 * covered by the CLI integration suites against a real server.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apply.h"

static size_t	progress_calls;

static void
count_progress(const struct plan_action *a, size_t i, size_t total,
    void *arg)
{
	(void)a;
	(void)i;
	(void)total;
	(void)arg;
	progress_calls++;
}

static cJSON *
field_value(const char *json)
{
	cJSON	*v = cJSON_Parse(json);

	assert_non_null(v);
	return v;
}

/* create t0, update t1 (fine), then t2 blocked on storage */
static struct plan *
blocked_plan(void)
{
	struct plan		*p;
	struct plan_action	*a;

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->actions = calloc(3, sizeof(*p->actions));
	assert_non_null(p->actions);
	p->n = 3;

	a = &p->actions[0];
	a->kind = PLAN_CREATE;
	a->stream = strdup("t0");
	a->config = field_value("{\"name\":\"t0\"}");

	a = &p->actions[1];
	a->kind = PLAN_UPDATE;
	a->stream = strdup("t1");
	a->config = field_value("{\"name\":\"t1\",\"max_msgs\":5}");

	a = &p->actions[2];
	a->kind = PLAN_BLOCKED;
	a->stream = strdup("t2");
	a->fields = calloc(2, sizeof(*a->fields));
	assert_non_null(a->fields);
	a->nfields = 2;
	a->fields[0].key = strdup("max_msgs");
	a->fields[0].live = field_value("-1");
	a->fields[0].want = field_value("5");
	a->fields[1].key = strdup("storage");
	a->fields[1].live = field_value("\"file\"");
	a->fields[1].want = field_value("\"memory\"");
	a->fields[1].blocked = strdup("nats-server cannot change storage "
	    "in place; delete and recreate the stream (this loses its "
	    "messages)");
	p->counts[PLAN_CREATE] = p->counts[PLAN_UPDATE] = 1;
	p->counts[PLAN_BLOCKED] = 1;
	return p;
}

static void
test_blocked_sends_nothing(void **state)
{
	struct apply_result	 res = { 99, 99 };
	struct plan		*p;
	struct diag		 d;

	(void)state;
	p = blocked_plan();
	progress_calls = 0;
	diag_clear(&d);
	assert_int_equal(apply_plan(NULL, p, NULL, count_progress, NULL, &d,
	    &res), -EPERM);
	assert_int_equal(res.done, 0);
	assert_int_equal(res.failed_index, 2);
	assert_int_equal(progress_calls, 0);
	assert_int_equal(d.code, -EPERM);
	assert_non_null(strstr(d.msg, "stream 't2'"));
	assert_non_null(strstr(d.msg, "'storage'"));
	assert_non_null(strstr(d.msg, "delete and recreate"));
	/* a NULL result is allowed */
	assert_int_equal(apply_plan(NULL, p, NULL, NULL, NULL, &d, NULL),
	    -EPERM);
	plan_free(p);
}

static void
test_blocked_consumer_named(void **state)
{
	struct plan		*p;
	struct plan_action	*a;
	struct diag		 d;

	(void)state;
	p = blocked_plan();
	a = &p->actions[2];
	a->object = PLAN_CONSUMER;
	a->consumer = strdup("c9");
	assert_int_equal(apply_plan(NULL, p, NULL, NULL, NULL, &d, NULL),
	    -EPERM);
	assert_non_null(strstr(d.msg, "consumer 't2/c9'"));
	plan_free(p);
}

static void
test_noops_send_nothing(void **state)
{
	struct apply_result	 res = { 99, 99 };
	struct plan		*p;
	struct diag		 d;
	size_t			 i;

	(void)state;
	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->actions = calloc(5, sizeof(*p->actions));
	assert_non_null(p->actions);
	p->n = 5;
	for (i = 0; i < p->n; i++) {
		p->actions[i].kind = PLAN_NOOP;
		p->actions[i].stream = strdup("s");
	}
	p->counts[PLAN_NOOP] = 5;
	progress_calls = 0;
	assert_int_equal(apply_plan(NULL, p, NULL, count_progress, NULL, &d,
	    &res), 0);
	assert_int_equal(res.done, 0);
	assert_int_equal(progress_calls, 0);
	plan_free(p);

	/* an empty plan too */
	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	assert_int_equal(apply_plan(NULL, p, NULL, count_progress, NULL, &d,
	    &res), 0);
	assert_int_equal(res.done, 0);
	plan_free(p);
}

/*
 * An update that deletes messages is refused before anything is sent,
 * unless data loss is allowed; then it is the blocked action that stops
 * the plan, still before anything is sent.
 */
static void
test_data_loss_refused(void **state)
{
	struct apply_opts	 allow = { .allow_data_loss = true };
	struct apply_result	 res = { 99, 99 };
	struct plan		*p;
	struct diag		 d;

	(void)state;
	p = blocked_plan();
	p->actions[1].loss = (struct plan_loss){ .msgs = 55, .of_msgs = 65,
	    .bytes = 550, .of_bytes = 650, .causes = "max_msgs" };
	p->nlossy = 1;
	progress_calls = 0;
	assert_int_equal(apply_plan(NULL, p, NULL, count_progress, NULL, &d,
	    &res), -EPERM);
	assert_int_equal(res.failed_index, 1);
	assert_int_equal(progress_calls, 0);
	assert_non_null(strstr(d.msg, "stream 't1'"));
	assert_non_null(strstr(d.msg, "deletes 55 of 65 messages"));
	assert_non_null(strstr(d.msg, "--allow-data-loss"));
	assert_int_equal(apply_plan(NULL, p, &allow, count_progress, NULL, &d,
	    &res), -EPERM);
	assert_int_equal(res.failed_index, 2);
	assert_non_null(strstr(d.msg, "'storage'"));
	assert_int_equal(progress_calls, 0);
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocked_sends_nothing),
		cmocka_unit_test(test_blocked_consumer_named),
		cmocka_unit_test(test_noops_send_nothing),
		cmocka_unit_test(test_data_loss_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
