/* SPDX-License-Identifier: MIT */
/*
 * test-report: the model (suites, cases, counts, property replacement),
 * the time, timestamp and text-cleaning helpers, the atomic file writer,
 * and every allocation failure path.  For the last, this executable is
 * linked with -Wl,--wrap=malloc,calloc,realloc,strdup,free (see
 * reports/meson.build): the wrappers count live blocks, so a leak shows
 * in every build, not only under ASan or valgrind.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "report.h"

/*
 * The linker's --wrap fixes these names; the leading underscores cannot
 * be avoided here.
 */
void	*__real_malloc(size_t n);
void	*__real_calloc(size_t n, size_t size);
void	*__real_realloc(void *p, size_t n);
char	*__real_strdup(const char *s);
void	 __real_free(void *p);
void	*__wrap_malloc(size_t n);
void	*__wrap_calloc(size_t n, size_t size);
void	*__wrap_realloc(void *p, size_t n);
char	*__wrap_strdup(const char *s);
void	 __wrap_free(void *p);

static long	alloc_count;		/* allocation calls so far */
static long	alloc_fail_at = -1;	/* the call to fail; -1: none */
static long	alloc_live;		/* blocks handed out, not freed */

static bool
alloc_fails(void)
{
	return alloc_count++ == alloc_fail_at;
}

void *
__wrap_malloc(size_t n)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_malloc(n)) != NULL)
		alloc_live++;
	return p;
}

void *
__wrap_calloc(size_t n, size_t size)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_calloc(n, size)) != NULL)
		alloc_live++;
	return p;
}

void *
__wrap_realloc(void *old, size_t n)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_realloc(old, n)) != NULL && old == NULL)
		alloc_live++;
	return p;
}

char *
__wrap_strdup(const char *s)
{
	char	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_strdup(s)) != NULL)
		alloc_live++;
	return p;
}

void
__wrap_free(void *p)
{
	if (p != NULL)
		alloc_live--;
	__real_free(p);
}

static char	tmpdir[PATH_MAX];

static int
setup(void **state)
{
	alloc_count = 0;
	alloc_fail_at = -1;
	alloc_live = 0;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-report.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[PATH_MAX + 16];

	alloc_fail_at = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_new(void **state)
{
	struct report	*r;

	assert_int_equal(report_new("nats-conformance", &r), 0);
	assert_string_equal(r->name, "nats-conformance");
	assert_non_null(r->hostname);
	assert_true(r->hostname[0] != '\0');
	assert_int_equal(r->nsuites, 0);
	assert_int_equal(r->nprops, 0);
	report_free(r);

	assert_int_equal(report_new(NULL, &r), 0);
	assert_string_equal(r->name, "");
	report_free(r);
	report_free(NULL);
	assert_int_equal(alloc_live, 0);
}

static void
test_suite(void **state)
{
	struct report		*r;
	struct report_suite	*a, *b, *again;
	time_t			 before, after;
	size_t			 i;
	char			 name[32];

	assert_int_equal(report_new("x", &r), 0);
	before = time(NULL);
	assert_int_equal(report_suite(r, "ORDERS", &a), 0);
	after = time(NULL);
	assert_string_equal(a->name, "ORDERS");
	assert_true(a->timestamp >= before && a->timestamp <= after);
	assert_int_equal(a->ncases, 0);
	assert_int_equal(report_suite(r, "EVENTS", &b), 0);
	assert_int_equal(r->nsuites, 2);
	/* Looked up, not created: the same suite, and no new one. */
	assert_int_equal(report_suite(r, "ORDERS", &again), 0);
	assert_ptr_equal(again, &r->suites[0]);
	assert_int_equal(r->nsuites, 2);
	assert_int_equal(report_add_case(again, "c", "k", REPORT_PASS, 0,
	    NULL, NULL), 0);
	/* Many suites: the array moves, the contents must not. */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		assert_int_equal(report_suite(r, name, &a), 0);
		assert_string_equal(a->name, name);
	}
	assert_int_equal(r->nsuites, 102);
	assert_string_equal(r->suites[0].name, "ORDERS");
	assert_int_equal(r->suites[0].ncases, 1);
	assert_string_equal(r->suites[101].name, "s99");
	assert_int_equal(report_suite(r, NULL, &a), -EINVAL);
	assert_null(a);
	report_free(r);
	assert_int_equal(alloc_live, 0);
}

static void
test_add_case(void **state)
{
	struct report		*r;
	struct report_suite	*s;
	struct report_case	*c;
	char			 name[32], msg[] = "boom";
	size_t			 i;

	assert_int_equal(report_new("x", &r), 0);
	assert_int_equal(report_suite(r, "s", &s), 0);
	assert_int_equal(report_add_case(s, "a", "k.a", REPORT_FAIL, 0.25,
	    msg, "line1\nline2"), 0);
	c = &s->cases[0];
	assert_string_equal(c->name, "a");
	assert_string_equal(c->classname, "k.a");
	assert_int_equal(c->status, REPORT_FAIL);
	assert_true(c->seconds == 0.25);
	/* Copied in, not borrowed. */
	assert_ptr_not_equal(c->message, msg);
	msg[0] = 'X';
	assert_string_equal(c->message, "boom");
	assert_string_equal(c->detail, "line1\nline2");

	assert_int_equal(report_add_case(s, NULL, NULL, REPORT_PASS, 0,
	    NULL, NULL), 0);
	c = &s->cases[1];
	assert_string_equal(c->name, "");
	assert_string_equal(c->classname, "");
	assert_null(c->message);
	assert_null(c->detail);

	assert_int_equal(report_add_case(s, "bad", "k", (enum report_status)7,
	    0, NULL, NULL), -EINVAL);
	assert_int_equal(report_add_case(NULL, "bad", "k", REPORT_PASS, 0,
	    NULL, NULL), -EINVAL);
	assert_int_equal(s->ncases, 2);

	/* Past the first capacity (16): earlier cases survive the move. */
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		assert_int_equal(report_add_case(s, name, "k", REPORT_SKIP,
		    0, "why", NULL), 0);
	}
	assert_int_equal(s->ncases, 52);
	assert_true(s->cap >= 52);
	assert_string_equal(s->cases[0].message, "boom");
	assert_string_equal(s->cases[51].name, "c49");
	report_free(r);
	assert_int_equal(alloc_live, 0);
}

static void
test_counts(void **state)
{
	static const struct {
		const char		*suite;
		enum report_status	 status;
	} cases[] = {
		{ "a", REPORT_PASS }, { "a", REPORT_PASS },
		{ "a", REPORT_FAIL }, { "b", REPORT_ERROR },
		{ "b", REPORT_SKIP }, { "b", REPORT_SKIP },
		{ "b", REPORT_SKIP }, { "c", REPORT_PASS },
	};
	struct report		*r;
	struct report_suite	*s;
	size_t			 i, n[4];

	assert_int_equal(report_new("x", &r), 0);
	report_counts(r, n);
	for (i = 0; i < 4; i++)
		assert_int_equal(n[i], 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(report_suite(r, cases[i].suite, &s), 0);
		assert_int_equal(report_add_case(s, "t", "k", cases[i].status,
		    0.001 * (double)(i + 1), NULL, NULL), 0);
	}
	report_counts(r, n);
	assert_int_equal(n[REPORT_PASS], 3);
	assert_int_equal(n[REPORT_FAIL], 1);
	assert_int_equal(n[REPORT_ERROR], 1);
	assert_int_equal(n[REPORT_SKIP], 3);
	report_suite_counts(&r->suites[1], n);
	assert_int_equal(n[REPORT_PASS], 0);
	assert_int_equal(n[REPORT_ERROR], 1);
	assert_int_equal(n[REPORT_SKIP], 3);
	/* 1+2+3 ms in a, 4..7 in b, 8 in c. */
	assert_int_equal(report_suite_millis(&r->suites[0]), 6);
	assert_int_equal(report_suite_millis(&r->suites[1]), 22);
	assert_int_equal(report_total_millis(r), 36);
	/* Unmeasured, the run took the sum; measured, its wall time. */
	assert_int_equal(report_run_millis(r), 36);
	r->wall_ms = 20;
	assert_int_equal(report_run_millis(r), 20);
	assert_int_equal(report_total_millis(r), 36);
	r->wall_ms = UINT64_MAX;
	assert_int_equal(report_run_millis(r), REPORT_MILLIS_MAX);
	r->wall_ms = 0;

	/* A stray status written into the public struct counts as error. */
	r->suites[2].cases[0].status = (enum report_status)9;
	report_suite_counts(&r->suites[2], n);
	assert_int_equal(n[REPORT_ERROR], 1);
	assert_int_equal(n[REPORT_PASS], 0);
	report_free(r);
}

static void
test_props(void **state)
{
	struct report	*r;

	assert_int_equal(report_new("x", &r), 0);
	assert_int_equal(report_set_prop(r, "server.url",
	    "nats://127.0.0.1:4222"), 0);
	assert_int_equal(report_set_prop(r, "run.id", "1"), 0);
	assert_int_equal(report_set_prop(r, "server.url",
	    "nats://127.0.0.1:4223"), 0);
	assert_int_equal(report_set_prop(r, "empty", NULL), 0);
	assert_int_equal(r->nprops, 3);
	/* Replaced in place: the order of first setting is kept. */
	assert_string_equal(r->props[0].name, "server.url");
	assert_string_equal(r->props[0].value, "nats://127.0.0.1:4223");
	assert_string_equal(r->props[1].name, "run.id");
	assert_string_equal(r->props[2].value, "");
	assert_int_equal(report_set_prop(r, NULL, "v"), -EINVAL);
	report_free(r);
	assert_int_equal(alloc_live, 0);
}

static void
test_status_name(void **state)
{
	assert_string_equal(report_status_name(REPORT_PASS), "pass");
	assert_string_equal(report_status_name(REPORT_FAIL), "FAIL");
	assert_string_equal(report_status_name(REPORT_ERROR), "ERROR");
	assert_string_equal(report_status_name(REPORT_SKIP), "skip");
	assert_string_equal(report_status_name((enum report_status)42),
	    "unknown");
}

static void
test_millis(void **state)
{
	static const struct {
		double		seconds;
		uint64_t	ms;
		const char	*text;
	} cases[] = {
		{ 0, 0, "0.000" },
		{ 0.012, 12, "0.012" },
		{ 0.0124, 12, "0.012" },
		{ 0.0126, 13, "0.013" },
		{ 0.0004, 0, "0.000" },
		{ 0.0006, 1, "0.001" },
		{ 1.2, 1200, "1.200" },
		{ 59.9999, 60000, "60.000" },
		{ 123456.789, 123456789, "123456.789" },
		{ -1, 0, "0.000" },
		{ -0.0, 0, "0.000" },
		{ 1e300, REPORT_MILLIS_MAX, "1000000000.000" },
	};
	char	buf[REPORT_SECONDS_LEN];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(report_millis(cases[i].seconds),
		    cases[i].ms);
		assert_string_equal(report_seconds(cases[i].ms, buf),
		    cases[i].text);
	}
	assert_int_equal(report_millis(NAN), 0);
	assert_int_equal(report_millis(INFINITY), REPORT_MILLIS_MAX);
	assert_int_equal(report_millis(-INFINITY), 0);
	assert_string_equal(report_seconds(UINT64_MAX, buf),
	    "18446744073709551.615");
}

static void
test_timestamp(void **state)
{
	static const struct {
		long long	t;
		const char	*text;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00" },
		{ 1714564800, "2024-05-01T12:00:00" },
		{ 1714564800 + 3661, "2024-05-01T13:01:01" },
		{ -1, "1969-12-31T23:59:59" },
		{ 253402300799LL, "9999-12-31T23:59:59" },
		/* Outside years 1..9999: xs:dateTime would not take it. */
		{ 253402300800LL, "1970-01-01T00:00:00" },
		{ -62135596801LL, "1970-01-01T00:00:00" },
		{ -62135596800LL, "0001-01-01T00:00:00" },
		{ 1000000000000000LL, "1970-01-01T00:00:00" },
	};
	char	buf[REPORT_TIMESTAMP_LEN];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(report_timestamp((time_t)cases[i].t, buf),
		    cases[i].text);
}

static void
test_clean(void **state)
{
	static const struct {
		const char	*in;
		int		 flags;
		const char	*out;
	} cases[] = {
		{ "", 0, "" },
		{ "plain ascii", 0, "plain ascii" },
		{ "tab\tlf\ncr\r", 0, "tab\tlf\ncr\r" },
		{ "tab\tlf\ncr\r", REPORT_CLEAN_LINE, "tab lf cr " },
		{ "a\x01" "b\x1f" "c\x7f" "d", 0, "abc\x7f" "d" },
		{ "a\x01" "b\x1f" "c\x7f" "d", REPORT_CLEAN_LINE, "abcd" },
		{ "\x1b[2Jclear", 0, "[2Jclear" },
		/* Well-formed multi-byte text is kept. */
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0,
		    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		/* Each bad byte becomes one U+FFFD. */
		{ "a\xff" "b", 0, "a\xef\xbf\xbd" "b" },
		{ "\x80", 0, "\xef\xbf\xbd" },
		{ "\xe2\x82" "A", 0, "\xef\xbf\xbd\xef\xbf\xbd" "A" },
		{ "\xe2\x82", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe0\x80\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", 0,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf5", 0, "\xef\xbf\xbd" },
		/* Surrogates, U+FFFE and U+FFFF are not XML characters. */
		{ "x\xed\xa0\x80y\xed\xbf\xbfz", 0, "xyz" },
		{ "x\xef\xbf\xbey\xef\xbf\xbfz", 0, "xyz" },
		{ "\xef\xbf\xbd", 0, "\xef\xbf\xbd" },
		{ "\xed\x9f\xbf", 0, "\xed\x9f\xbf" },
		{ "\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf" },
		/* C1 controls: allowed in XML, not on a terminal. */
		{ "a\xc2\x9b" "b\xc2\x85" "c\xc2\xa0", 0,
		    "a\xc2\x9b" "b\xc2\x85" "c\xc2\xa0" },
		{ "a\xc2\x9b" "b\xc2\x85" "c\xc2\xa0", REPORT_CLEAN_LINE,
		    "abc\xc2\xa0" },
	};
	char	*out;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(report_clean(cases[i].in, cases[i].flags,
		    &out), 0);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: unexpected '%s'", i, out);
		free(out);
	}
	assert_int_equal(report_clean(NULL, 0, &out), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(alloc_live, 0);
}

static char *
slurp(const char *path)
{
	static char	buf[4096];
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries in dir other than . and .. */
static int
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

static void
test_write_file(void **state)
{
	char		path[PATH_MAX], dir[PATH_MAX];
	struct stat	st;
	const char	*got;

	snprintf(path, sizeof(path), "%s/a.xml", tmpdir);
	assert_int_equal(report_write_file(path, "first\n"), 0);
	assert_non_null(got = slurp(path));
	assert_string_equal(got, "first\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Replaced whole, and no temporary file left behind. */
	assert_int_equal(report_write_file(path, "second"), 0);
	assert_string_equal(slurp(path), "second");
	assert_int_equal(count_entries(tmpdir), 1);
	assert_int_equal(report_write_file(path, ""), 0);
	assert_string_equal(slurp(path), "");

	/* One missing parent level is created... */
	snprintf(path, sizeof(path), "%s/out/r.xml", tmpdir);
	assert_int_equal(report_write_file(path, "x"), 0);
	assert_string_equal(slurp(path), "x");
	snprintf(dir, sizeof(dir), "%s/out", tmpdir);
	assert_int_equal(count_entries(dir), 1);
	/* ...but not two. */
	snprintf(path, sizeof(path), "%s/no/such/r.xml", tmpdir);
	assert_int_equal(report_write_file(path, "x"), -ENOENT);

	/* A directory in the way: an error, and the temp file is gone. */
	assert_int_equal(report_write_file(dir, "x"), -EISDIR);
	assert_int_equal(count_entries(tmpdir), 2);

	assert_int_equal(report_write_file(NULL, "x"), -EINVAL);
	assert_int_equal(report_write_file("", "x"), -EINVAL);
	assert_int_equal(report_write_file(path, NULL), -EINVAL);
	assert_int_equal(alloc_live, 0);
}

/* Everything that allocates, in one go; returns the first error. */
static int
alloc_scenario(const char *path)
{
	struct report		*r = NULL;
	struct report_suite	*s;
	char			 name[16], *c = NULL;
	size_t			 i;
	int			 rc;

	if ((rc = report_new("run", &r)) < 0 ||
	    (rc = report_set_prop(r, "a", "1")) < 0 ||
	    (rc = report_set_prop(r, "b", "2")) < 0 ||
	    (rc = report_set_prop(r, "a", "3")) < 0 ||
	    (rc = report_suite(r, "one", &s)) < 0)
		goto out;
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		if ((rc = report_add_case(s, name, "k", REPORT_FAIL, 0.1,
		    "message", i % 2 ? "detail" : NULL)) < 0)
			goto out;
	}
	if ((rc = report_suite(r, "two", &s)) < 0 ||
	    (rc = report_add_case(s, "x", NULL, REPORT_PASS, 0, NULL,
	    NULL)) < 0 ||
	    (rc = report_clean("a\xff", 0, &c)) < 0 ||
	    (rc = report_write_file(path, "data")) < 0)
		goto out;
	assert_int_equal(r->nprops, 2);
	assert_string_equal(r->props[0].value, "3");
	assert_int_equal(r->suites[0].ncases, 20);
out:
	free(c);
	report_free(r);
	return rc;
}

static void
test_alloc_failures(void **state)
{
	char	path[PATH_MAX];
	long	n;
	int	rc;

	snprintf(path, sizeof(path), "%s/alloc.txt", tmpdir);
	for (n = 0; ; n++) {
		alloc_count = 0;
		alloc_live = 0;
		alloc_fail_at = n;
		rc = alloc_scenario(path);
		alloc_fail_at = -1;
		if (alloc_live != 0)
			fail_msg("allocation %ld failed: %ld blocks leaked", n,
			    alloc_live);
		if (rc == 0)
			break;
		if (rc != -ENOMEM)
			fail_msg("allocation %ld failed: got %d", n, rc);
	}
	/* The run that succeeded made exactly n allocations. */
	assert_int_equal(alloc_count, n);
	/* report_new 3, props 6 or so, suites, 20 cases, clean, write. */
	assert_true(n >= 60);
}

static void
test_failure_keeps_state(void **state)
{
	struct report		*r;
	struct report_suite	*s;
	char			 name[16];
	size_t			 i;
	long			 n;
	int			 rc;

	assert_int_equal(report_new("x", &r), 0);
	assert_int_equal(report_set_prop(r, "a", "1"), 0);
	alloc_count = 0;
	alloc_fail_at = 0;
	assert_int_equal(report_set_prop(r, "a", "2"), -ENOMEM);
	assert_string_equal(r->props[0].value, "1");
	for (n = 0; n < 3; n++) {
		alloc_count = 0;
		alloc_fail_at = n;
		assert_int_equal(report_set_prop(r, "b", "2"), -ENOMEM);
		assert_int_equal(r->nprops, 1);
	}
	alloc_fail_at = -1;

	assert_int_equal(report_suite(r, "s", &s), 0);
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		assert_int_equal(report_add_case(s, name, "k", REPORT_PASS, 0,
		    NULL, NULL), 0);
	}
	/* The 17th case grows the array: fail each of its allocations. */
	for (n = 0; ; n++) {
		alloc_count = 0;
		alloc_fail_at = n;
		rc = report_add_case(s, "last", "k", REPORT_FAIL, 0, "m", "d");
		alloc_fail_at = -1;
		if (rc == 0)
			break;
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(s->ncases, 16);
		assert_string_equal(s->cases[15].name, "c15");
	}
	assert_int_equal(n, 5);
	assert_int_equal(s->ncases, 17);

	alloc_count = 0;
	alloc_fail_at = 0;
	assert_int_equal(report_suite(r, "new", &s), -ENOMEM);
	assert_null(s);
	alloc_count = 0;
	alloc_fail_at = 1;
	assert_int_equal(report_suite(r, "new", &s), -ENOMEM);
	assert_int_equal(r->nsuites, 1);
	alloc_fail_at = -1;
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_props, setup, teardown),
		cmocka_unit_test(test_status_name),
		cmocka_unit_test(test_millis),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failure_keeps_state,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
