/* SPDX-License-Identifier: MIT */
/*
 * junit: JUnit XML writer.  The layout and the reasons for it are in
 * junit.h; the schemas it is checked against are the strict Ant one and
 * the Jenkins one (see tests/test-junit.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "report.h"

/* Out-of-range statuses (the struct is public) are shown as errors. */
static enum report_status
junit_status(enum report_status s)
{
	return s >= REPORT_PASS && s <= REPORT_SKIP ? s : REPORT_ERROR;
}

static void
junit_put_clean(FILE *f, const char *clean, bool attr)
{
	const char	*p;

	for (p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			/* Also keeps a literal "]]>" out of text. */
			fputs("&gt;", f);
			break;
		case '\r':
			fputs("&#13;", f);
			break;
		case '"':
			fputs(attr ? "&quot;" : "\"", f);
			break;
		case '\'':
			fputs(attr ? "&apos;" : "'", f);
			break;
		case '\n':
			/* A raw LF or tab in an attribute reads as a space. */
			fputs(attr ? "&#10;" : "\n", f);
			break;
		case '\t':
			fputs(attr ? "&#9;" : "\t", f);
			break;
		default:
			fputc(*p, f);
			break;
		}
	}
}

/* fallback replaces s when it has nothing but XML white space. */
static int
junit_put(FILE *f, const char *s, bool attr, const char *fallback)
{
	char	*c;

	if (report_clean(s, 0, &c) < 0)
		return -ENOMEM;
	if (fallback != NULL && c[strspn(c, " \t\r\n")] == '\0')
		fputs(fallback, f);
	else
		junit_put_clean(f, c, attr);
	free(c);
	return 0;
}

static int
junit_attr(FILE *f, const char *key, const char *s, const char *fallback)
{
	fprintf(f, " %s=\"", key);
	if (junit_put(f, s, true, fallback) < 0)
		return -ENOMEM;
	fputc('"', f);
	return 0;
}

/* Write errors (out of memory) stick to f and are caught here. */
static int
junit_close(FILE *f, char **buf, int r, char **ret)
{
	if (ferror(f))
		r = -ENOMEM;
	if (fclose(f) != 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*buf);
		*buf = NULL;
		return r;
	}
	*ret = *buf;
	*buf = NULL;
	return 0;
}

int
junit_escape(const char *s, bool attr, char **ret)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len;

	*ret = NULL;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	return junit_close(f, &buf, junit_put(f, s, attr, NULL), ret);
}

static int
junit_case(FILE *f, const struct report_suite *s, const struct report_case *c)
{
	static const char *const elems[] = {
		[REPORT_FAIL] = "failure",
		[REPORT_ERROR] = "error",
		[REPORT_SKIP] = "skipped",
	};
	enum report_status	 st = junit_status(c->status);
	const char		*elem = elems[st];
	char			 secs[REPORT_SECONDS_LEN];

	fputs("    <testcase", f);
	if (junit_attr(f, "name", c->name, NULL) < 0 ||
	    junit_attr(f, "classname", c->classname != NULL &&
	    c->classname[0] != '\0' ? c->classname : s->name, NULL) < 0)
		return -ENOMEM;
	fprintf(f, " time=\"%s\"", report_seconds(report_millis(c->seconds),
	    secs));
	if (st == REPORT_PASS) {
		fputs("/>\n", f);
		return 0;
	}
	fprintf(f, ">\n      <%s", elem);
	if (c->message != NULL && junit_attr(f, "message", c->message,
	    NULL) < 0)
		return -ENOMEM;
	/* Ant requires type on failure and error; skipped has none. */
	if (st == REPORT_FAIL)
		fputs(" type=\"assertion\"", f);
	else if (st == REPORT_ERROR)
		fputs(" type=\"environment\"", f);
	if (c->detail == NULL)
		fputs("/>\n", f);
	else {
		fputc('>', f);
		if (junit_put(f, c->detail, false, NULL) < 0)
			return -ENOMEM;
		fprintf(f, "</%s>\n", elem);
	}
	fputs("    </testcase>\n", f);
	return 0;
}

static int
junit_suite(FILE *f, const struct report *r, size_t idx)
{
	const struct report_suite	*s = &r->suites[idx];
	char				 secs[REPORT_SECONDS_LEN];
	char				 stamp[REPORT_TIMESTAMP_LEN];
	size_t				 i, n[4];

	report_suite_counts(s, n);
	fputs("  <testsuite", f);
	if (junit_attr(f, "name", s->name, "unnamed") < 0)
		return -ENOMEM;
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\""
	    " skipped=\"%zu\" time=\"%s\" timestamp=\"%s\"", s->ncases,
	    n[REPORT_FAIL], n[REPORT_ERROR], n[REPORT_SKIP],
	    report_seconds(report_suite_millis(s), secs),
	    report_timestamp(s->timestamp, stamp));
	if (junit_attr(f, "hostname", r->hostname, "localhost") < 0 ||
	    junit_attr(f, "package", r->name, NULL) < 0)
		return -ENOMEM;
	fprintf(f, " id=\"%zu\">\n", idx);

	if (r->nprops == 0)
		fputs("    <properties/>\n", f);
	else {
		fputs("    <properties>\n", f);
		for (i = 0; i < r->nprops; i++) {
			/*
			 * Values are copied verbatim: callers pass URLs with
			 * their credentials already redacted.
			 */
			fputs("      <property", f);
			if (junit_attr(f, "name", r->props[i].name,
			    "unnamed") < 0 ||
			    junit_attr(f, "value", r->props[i].value,
			    NULL) < 0)
				return -ENOMEM;
			fputs("/>\n", f);
		}
		fputs("    </properties>\n", f);
	}
	for (i = 0; i < s->ncases; i++) {
		if (junit_case(f, s, &s->cases[i]) < 0)
			return -ENOMEM;
	}
	fputs("    <system-out/>\n"
	    "    <system-err/>\n"
	    "  </testsuite>\n", f);
	return 0;
}

int
junit_render(const struct report *r, char **ret)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len, i;
	int	 rc = 0;

	*ret = NULL;
	if (r == NULL)
		return -EINVAL;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites>\n", f);
	for (i = 0; i < r->nsuites && rc == 0; i++)
		rc = junit_suite(f, r, i);
	fputs("</testsuites>\n", f);
	return junit_close(f, &buf, rc, ret);
}
