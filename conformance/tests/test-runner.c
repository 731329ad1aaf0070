/* SPDX-License-Identifier: MIT */
/*
 * Tests for runner.c without a server: the shadow copy of a declared
 * config and the --filter selection.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jint.h"
#include "runner.h"

static void
test_shadow(void **state)
{
	cJSON		*decl, *c = NULL;
	struct diag	 d = { 0 };
	char		*s;
	const char	*txt;

	(void)state;
	decl = cJSON_Parse("{\"name\":\"agent-tasks\",\"subjects\":"
	    "[\"tasks.*\",\"work.*\"],\"retention\":\"workqueue\","
	    "\"storage\":\"file\",\"max_msgs\":50000,\"duplicate_window\":"
	    "120000000000,\"republish\":{\"src\":\">\",\"dest\":\"x.>\"}}");
	assert_non_null(decl);
	assert_int_equal(runner_shadow_config(decl, "r1234abcd", &d, &c), 0);
	s = cJSON_PrintUnformatted(c);
	assert_string_equal(s, "{\"retention\":\"workqueue\",\"storage\":"
	    "\"file\",\"max_msgs\":50000,\"duplicate_window\":120000000000,"
	    "\"subjects\":[\"r1234abcd.tasks.*\",\"r1234abcd.work.*\"],"
	    "\"name\":\"r1234abcd-agent-tasks\"}");
	cJSON_free(s);
	cJSON_Delete(c);
	/* The declared config is untouched. */
	assert_non_null(cJSON_GetObjectItem(decl, "republish"));
	cJSON_Delete(decl);

	/*
	 * Large integers stay exact integers as jsapi sends them (14d in ns,
	 * not 1.2096e+15; 2^53+1, not 2^53).
	 */
	txt = "{\"name\":\"t\",\"subjects\":[\"t.*\"],"
	    "\"max_age\":1209600000000000,\"placement\":{\"n\":"
	    "9007199254740993}}";
	assert_int_equal(jint_parse(txt, strlen(txt), &decl), 0);
	assert_int_equal(runner_shadow_config(decl, "r1", &d, &c), 0);
	s = jint_print(c, false);
	assert_string_equal(s, "{\"max_age\":1209600000000000,\"placement\":"
	    "{\"n\":9007199254740993},\"subjects\":[\"r1.t.*\"],\"name\":"
	    "\"r1-t\"}");
	cJSON_free(s);
	cJSON_Delete(c);
	cJSON_Delete(decl);

	/* A stream without subjects gets one of its own. */
	decl = cJSON_Parse("{\"name\":\"m\",\"mirror\":{\"name\":\"x\"}}");
	assert_int_equal(runner_shadow_config(decl, "r1", &d, &c), 0);
	s = cJSON_PrintUnformatted(c);
	assert_string_equal(s, "{\"subjects\":[\"r1.m.*\"],\"name\":\"r1-m\"}");
	cJSON_free(s);
	cJSON_Delete(c);
	cJSON_Delete(decl);
}

static void
test_shadow_bad_name(void **state)
{
	cJSON		*decl, *c = NULL;
	struct diag	 d = { 0 };
	char		 name[300];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	decl = cJSON_CreateObject();
	cJSON_AddStringToObject(decl, "name", name);
	assert_int_equal(runner_shadow_config(decl, "r1", &d, &c), -EINVAL);
	assert_non_null(strstr(d.msg, "longer than"));
	assert_null(c);
	cJSON_Delete(decl);
	decl = cJSON_CreateObject();
	assert_int_equal(runner_shadow_config(decl, "r1", &d, &c), -EINVAL);
	cJSON_Delete(decl);
}

static void
test_selected(void **state)
{
	struct runner_opts	o;
	char			*f[] = { (char *)"workqueue.*",
				    (char *)"pubsub.core" };

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_true(runner_selected(&o, "anything.at-all"));
	o.filters = f;
	o.nfilters = 2;
	assert_true(runner_selected(&o, "workqueue.dedup"));
	assert_true(runner_selected(&o, "pubsub.core"));
	assert_false(runner_selected(&o, "pubsub.readback"));
	assert_false(runner_selected(&o, "offline.delivery"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadow),
		cmocka_unit_test(test_shadow_bad_name),
		cmocka_unit_test(test_selected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
