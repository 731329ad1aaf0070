/* SPDX-License-Identifier: MIT */
/*
 * test-junit: the XML escaper on a table of nasty inputs, the exact shape
 * of the rendered document, times under a comma-decimal locale, and
 * validation of rendered documents by xmllint against both the Ant and the
 * Jenkins schema (plus a broken document that both must reject, so that
 * the check itself can fail).  Without xmllint the schema tests fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "junit.h"
#include "report.h"
#include "test-locale.h"

static const char *const schemas[] = {
	JUNIT_SCHEMA_DIR "/JUnit.xsd",
	JUNIT_SCHEMA_DIR "/junit-10.xsd",
};

static char	tmpdir[PATH_MAX];

static int
setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-junit.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[PATH_MAX + 16];

	setlocale(LC_ALL, "C");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_escape(void **state)
{
	static const struct {
		const char	*in;
		const char	*attr;	/* escaped for an attribute */
		const char	*text;	/* escaped for element text */
	} cases[] = {
		{ "", "", "" },
		{ "plain", "plain", "plain" },
		{ "a&b<c>d", "a&amp;b&lt;c&gt;d", "a&amp;b&lt;c&gt;d" },
		{ "\"q\" 'a'", "&quot;q&quot; &apos;a&apos;", "\"q\" 'a'" },
		{ "l1\nl2\tt\r", "l1&#10;l2&#9;t&#13;", "l1\nl2\tt&#13;" },
		{ "x]]>y", "x]]&gt;y", "x]]&gt;y" },
		{ "<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;",
		    "&lt;![CDATA[x]]&gt;" },
		{ "&amp;", "&amp;amp;", "&amp;amp;" },
		/* Not XML characters: dropped. */
		{ "a\x01" "b\x08" "c\x0b" "d\x0c" "e\x1b" "f\x1f",
		    "abcdef", "abcdef" },
		{ "s\xed\xa0\x80" "s", "ss", "ss" },
		{ "n\xef\xbf\xbe\xef\xbf\xbf", "n", "n" },
		/* Bad UTF-8: one U+FFFD per byte. */
		{ "bad\xff", "bad\xef\xbf\xbd", "bad\xef\xbf\xbd" },
		{ "\xc3(", "\xef\xbf\xbd(", "\xef\xbf\xbd(" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd",
		    "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd",
		    "\xef\xbf\xbd\xef\xbf\xbd" },
		/* Well-formed text, emoji included, is kept. */
		{ "\xf0\x9f\x98\x80 caf\xc3\xa9",
		    "\xf0\x9f\x98\x80 caf\xc3\xa9",
		    "\xf0\x9f\x98\x80 caf\xc3\xa9" },
		{ "\xc2\x85", "\xc2\x85", "\xc2\x85" },
	};
	char	*out;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(junit_escape(cases[i].in, true, &out), 0);
		if (strcmp(out, cases[i].attr) != 0)
			fail_msg("case %zu (attr): got '%s'", i, out);
		free(out);
		assert_int_equal(junit_escape(cases[i].in, false, &out), 0);
		if (strcmp(out, cases[i].text) != 0)
			fail_msg("case %zu (text): got '%s'", i, out);
		free(out);
	}
	assert_int_equal(junit_escape(NULL, true, &out), 0);
	assert_string_equal(out, "");
	free(out);
}

/* Every status, nasty strings everywhere, and an empty suite. */
static struct report *
build_report(void)
{
	struct report		*r;
	struct report_suite	*s;

	assert_int_equal(report_new("nats-conformance", &r), 0);
	/* Verbatim: callers pass URLs already redacted. */
	assert_int_equal(report_set_prop(r, "server.url",
	    "nats://127.0.0.1:4222"), 0);
	assert_int_equal(report_set_prop(r, "odd \"<&>\"",
	    "v\x01\n\t'\xff"), 0);
	assert_int_equal(report_suite(r, "ORDERS", &s), 0);
	s->timestamp = 1714564800;
	assert_int_equal(report_add_case(s, "limits.discard-new",
	    "limits.ORDERS", REPORT_PASS, 0.012, NULL, NULL), 0);
	assert_int_equal(report_add_case(s, "fail\x01 ]]> \"q\"", "limits.X",
	    REPORT_FAIL, 1.2, "expected 5 got 6 <&>",
	    "sent: a\nrecv: \xe2\x82 \xf0\x9f\x98\x80 ]]>\r\nend\x1b[0m"),
	    0);
	assert_int_equal(report_add_case(s, "err", "", REPORT_ERROR, 0.0004,
	    "connection 'lost'", NULL), 0);
	assert_int_equal(report_add_case(s, "skip", "k", REPORT_SKIP, 0,
	    "no --monitor URL", NULL), 0);
	assert_int_equal(report_add_case(s, "skip2", "k", REPORT_SKIP, 0,
	    NULL, NULL), 0);
	assert_int_equal(report_add_case(s, "fail2", "k", REPORT_FAIL, 0,
	    NULL, NULL), 0);
	assert_int_equal(report_suite(r, "\x01 \n", &s), 0);
	s->timestamp = 0;
	return r;
}

static void
assert_contains(const char *doc, const char *needle)
{
	if (strstr(doc, needle) == NULL)
		fail_msg("'%s' not found in:\n%s", needle, doc);
}

static void
test_render_shape(void **state)
{
	struct report	*r = build_report();
	char		*doc, *clean;

	test_locale_comma();
	assert_int_equal(junit_render(r, &doc), 0);
	assert_true(strncmp(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites>\n", 52) == 0);
	assert_contains(doc, "<testsuite name=\"ORDERS\" tests=\"6\" "
	    "failures=\"2\" errors=\"1\" skipped=\"2\" time=\"1.212\" "
	    "timestamp=\"2024-05-01T12:00:00\" hostname=\"");
	assert_contains(doc, "package=\"nats-conformance\" id=\"0\">\n"
	    "    <properties>\n"
	    "      <property name=\"server.url\" "
	    "value=\"nats://127.0.0.1:4222\"/>\n"
	    "      <property name=\"odd &quot;&lt;&amp;&gt;&quot;\" "
	    "value=\"v&#10;&#9;&apos;\xef\xbf\xbd\"/>\n"
	    "    </properties>\n");
	assert_contains(doc, "<testcase name=\"limits.discard-new\" "
	    "classname=\"limits.ORDERS\" time=\"0.012\"/>\n");
	assert_contains(doc, "<testcase name=\"fail ]]&gt; &quot;q&quot;\" "
	    "classname=\"limits.X\" time=\"1.200\">\n"
	    "      <failure message=\"expected 5 got 6 &lt;&amp;&gt;\" "
	    "type=\"assertion\">sent: a\nrecv: \xef\xbf\xbd\xef\xbf\xbd "
	    "\xf0\x9f\x98\x80 ]]&gt;&#13;\nend[0m</failure>\n"
	    "    </testcase>\n");
	/* Empty classname: the suite name stands in. */
	assert_contains(doc, "<testcase name=\"err\" classname=\"ORDERS\" "
	    "time=\"0.000\">\n"
	    "      <error message=\"connection &apos;lost&apos;\" "
	    "type=\"environment\"/>\n");
	assert_contains(doc, "<skipped message=\"no --monitor URL\"/>\n");
	assert_contains(doc, "<testcase name=\"skip2\" classname=\"k\" "
	    "time=\"0.000\">\n      <skipped/>\n");
	assert_contains(doc, "<failure type=\"assertion\"/>\n");
	assert_contains(doc, "    <system-out/>\n    <system-err/>\n"
	    "  </testsuite>\n");
	/* A suite name with nothing visible, and an empty suite. */
	assert_contains(doc, "<testsuite name=\"unnamed\" tests=\"0\" "
	    "failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\" "
	    "timestamp=\"1970-01-01T00:00:00\"");
	assert_contains(doc, "id=\"1\">");
	assert_true(strcmp(doc + strlen(doc) - 14, "</testsuites>\n") == 0);
	/* No comma decimals, no raw control bytes, no CDATA end. */
	assert_null(strstr(doc, "0,"));
	assert_null(strchr(doc, '\x01'));
	assert_null(strchr(doc, '\x1b'));
	assert_null(strstr(doc, "]]>"));
	/* Cleaning changes nothing: the output is clean UTF-8 already. */
	assert_int_equal(report_clean(doc, 0, &clean), 0);
	assert_string_equal(clean, doc);
	free(clean);
	free(doc);

	/* Missing hostname and blank property name fall back. */
	free(r->hostname);
	r->hostname = NULL;
	free(r->props[0].name);
	assert_non_null(r->props[0].name = strdup(" \t"));
	assert_int_equal(junit_render(r, &doc), 0);
	assert_contains(doc, "hostname=\"localhost\"");
	assert_contains(doc, "<property name=\"unnamed\" "
	    "value=\"nats://127.0.0.1:4222\"/>");
	free(doc);
	report_free(r);
}

static void
test_render_empty(void **state)
{
	struct report	*r;
	char		*doc;

	assert_int_equal(report_new("empty", &r), 0);
	assert_int_equal(junit_render(r, &doc), 0);
	assert_string_equal(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites>\n</testsuites>\n");
	free(doc);
	assert_int_equal(junit_render(NULL, &doc), -EINVAL);
	assert_null(doc);
	report_free(r);
}

/* xmllint's exit status for doc against schema, or -1. */
static int
xmllint(const char *doc, const char *schema)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[] = {
		"xmllint", "--noout", "--schema", (char *)schema, (char *)doc,
		NULL,
	};
	pid_t				 pid;
	int				 status, rc;

	if (XMLLINT[0] == '\0')
		fail_msg("xmllint was not found when the build was configured:"
		    " install libxml2-utils (ci/bootstrap does), then"
		    " meson setup --reconfigure");
	/* stdout is the "validates" chatter; stderr stays for the log. */
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	rc = posix_spawn(&pid, XMLLINT, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
write_doc(const char *name, const char *doc, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", tmpdir, name);
	assert_int_equal(report_write_file(path, doc), 0);
}

static void
assert_valid(const char *path)
{
	size_t	i;

	for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (xmllint(path, schemas[i]) != 0)
			fail_msg("'%s' does not validate against '%s'", path,
			    schemas[i]);
	}
}

static void
test_schemas(void **state)
{
	struct report		*r = build_report();
	struct report_suite	*s;
	char			 path[PATH_MAX], *doc;

	test_locale_comma();
	assert_int_equal(junit_render(r, &doc), 0);
	write_doc("full.xml", doc, path, sizeof(path));
	assert_valid(path);
	free(doc);

	/* Fallbacks, NULL hostname, blank and empty names. */
	free(r->hostname);
	r->hostname = NULL;
	free(r->props[0].name);
	assert_non_null(r->props[0].name = strdup(""));
	free(r->name);
	assert_non_null(r->name = strdup("\x01"));
	assert_int_equal(junit_render(r, &doc), 0);
	write_doc("fallback.xml", doc, path, sizeof(path));
	assert_valid(path);
	free(doc);
	report_free(r);

	/* No suites, then a suite without properties or cases. */
	assert_int_equal(report_new("empty", &r), 0);
	assert_int_equal(junit_render(r, &doc), 0);
	write_doc("empty.xml", doc, path, sizeof(path));
	assert_valid(path);
	free(doc);
	assert_int_equal(report_suite(r, "s", &s), 0);
	assert_int_equal(junit_render(r, &doc), 0);
	write_doc("noprops.xml", doc, path, sizeof(path));
	assert_valid(path);
	free(doc);
	report_free(r);
}

/* The validation must be able to fail: drop a required attribute. */
static void
test_schemas_reject_broken(void **state)
{
	struct report	*r = build_report();
	char		 path[PATH_MAX], *doc, *p, *end;
	size_t		 i;

	assert_int_equal(junit_render(r, &doc), 0);
	assert_non_null(p = strstr(doc, "<testcase name=\""));
	p += strlen("<testcase");
	assert_non_null(end = strchr(p + strlen(" name=\""), '"'));
	memmove(p, end + 1, strlen(end + 1) + 1);
	assert_non_null(strstr(doc, "<testcase classname="));
	write_doc("broken.xml", doc, path, sizeof(path));
	for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (xmllint(path, schemas[i]) == 0)
			fail_msg("a testcase without name passed '%s'",
			    schemas[i]);
	}
	free(doc);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test_setup_teardown(test_render_shape, setup,
		    teardown),
		cmocka_unit_test(test_render_empty),
		cmocka_unit_test_setup_teardown(test_schemas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schemas_reject_broken,
		    setup, teardown),
	};

	int	rc;

	test_locale_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_locale_fini();
	return rc;
}
