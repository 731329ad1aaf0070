/* SPDX-License-Identifier: MIT */
/*
 * testlib: shared cmocka helpers and the fixture loader (see testlib.h).
 * TESTLIB_FIXTURES, the fixture directory, comes from meson.build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jint.h"
#include "testlib.h"

#define TESTLIB_NAME_MAX	128
#define TESTLIB_FILE_MAX	(1024 * 1024)

char *
testlib_fixture(const char *name)
{
	char	 path[4096], *buf;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), "%s/%s.json", TESTLIB_FIXTURES, name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("fixture %s: cannot open", path);
	buf = malloc(TESTLIB_FILE_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, TESTLIB_FILE_MAX + 1, f);
	fclose(f);
	if (n == 0 || n > TESTLIB_FILE_MAX)
		fail_msg("fixture %s: empty or larger than %d bytes", path,
		    TESTLIB_FILE_MAX);
	buf[n] = '\0';
	return buf;
}

/*
 * Append n bytes of s to the growing string *buf; with quotes, each ' as
 * " (the C literal's template, never a fixture file's text).
 */
static void
testlib_append(char **buf, size_t *len, const char *s, size_t n,
    int quotes)
{
	char	*p;
	size_t	 i;

	p = realloc(*buf, *len + n + 1);
	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[*len + i] = quotes && s[i] == '\'' ? '"' : s[i];
	*len += n;
	p[*len] = '\0';
	*buf = p;
}

cJSON *
testlib_json(const char *text)
{
	const char	*p, *open, *close = NULL;
	char		*s = NULL, *fx, name[TESTLIB_NAME_MAX];
	size_t		 len = 0, n;
	cJSON		*j = NULL;

	testlib_append(&s, &len, "", 0, 0);
	for (p = text; (open = strstr(p, "{{")) != NULL; p = close + 2) {
		close = strstr(open + 2, "}}");
		n = close != NULL ? (size_t)(close - open - 2) : 0;
		if (close == NULL || n == 0 || n >= sizeof(name))
			fail_msg("testlib_json: bad fixture reference in %s",
			    text);
		testlib_append(&s, &len, p, (size_t)(open - p), 1);
		memcpy(name, open + 2, n);
		name[n] = '\0';
		fx = testlib_fixture(name);
		testlib_append(&s, &len, fx, strlen(fx), 0);
		free(fx);
	}
	testlib_append(&s, &len, p, strlen(p), 1);
	if (jint_parse(s, len, &j) < 0 || j == NULL)
		fail_msg("testlib_json: not JSON: %s", s);
	free(s);
	return j;
}
