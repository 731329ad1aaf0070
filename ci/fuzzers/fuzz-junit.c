/* SPDX-License-Identifier: MIT */
/*
 * fuzz-junit: libFuzzer target for the escaping of reports/junit.c.
 *
 * The input is split at NUL bytes into the strings of a one-case report
 * (case name, classname, message, detail, suite name, property name and
 * value); the first byte picks the status.  Two properties must hold:
 *  - junit_escape() of each string, read back as XML, gives exactly
 *    report_clean() of it: nothing lost, nothing left unescaped;
 *  - junit_render() gives a well-formed document (libxml2 parses it) whose
 *    testcase name, failure message and body read back as the cleaned
 *    strings.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fuzz.h"
#include "junit.h"
#include "report.h"

#define FUZZ_NSTR	7

static void
fuzz_junit_quiet(void *ctx, const char *fmt, ...)
{
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, fuzz_junit_quiet);
	return 0;
}

/* Parse "<x a=\"ESC\">ESC</x>" and compare both readings with clean. */
static void
fuzz_junit_escape(const char *s)
{
	char	*clean = NULL, *attr = NULL, *body = NULL, *doc = NULL;
	xmlDoc	*x = NULL;
	xmlChar	*a = NULL, *b = NULL;
	size_t	 len;

	if (report_clean(s, 0, &clean) < 0 ||
	    junit_escape(s, true, &attr) < 0 ||
	    junit_escape(s, false, &body) < 0)
		goto out;
	len = strlen(attr) + strlen(body) + 32;
	if ((doc = malloc(len)) == NULL)
		goto out;
	snprintf(doc, len, "<x a=\"%s\">%s</x>", attr, body);
	x = xmlReadMemory(doc, (int)strlen(doc), NULL, "UTF-8",
	    XML_PARSE_NONET);
	if (x == NULL)
		abort();
	a = xmlGetProp(xmlDocGetRootElement(x), (const xmlChar *)"a");
	b = xmlNodeGetContent(xmlDocGetRootElement(x));
	if (a == NULL || b == NULL || strcmp((char *)a, clean) != 0 ||
	    strcmp((char *)b, clean) != 0)
		abort();
out:
	xmlFree(a);
	xmlFree(b);
	xmlFreeDoc(x);
	free(doc);
	free(body);
	free(attr);
	free(clean);
}

static xmlNode *
fuzz_junit_find(xmlNode *n, const char *name)
{
	xmlNode	*c, *f;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
		for (c = n->children; c != NULL; c = c->next)
			if ((f = fuzz_junit_find(c, name)) != NULL)
				return f;
	}
	return NULL;
}

static void
fuzz_junit_expect(xmlChar *got, const char *s)
{
	char	*clean;

	if (report_clean(s, 0, &clean) < 0) {
		xmlFree(got);
		return;
	}
	if (got == NULL || strcmp((char *)got, clean) != 0)
		abort();
	free(clean);
	xmlFree(got);
}

static void
fuzz_junit_render(char *const str[FUZZ_NSTR], uint8_t flags, double secs)
{
	static const enum report_status statuses[] = {
		REPORT_PASS, REPORT_FAIL, REPORT_ERROR, REPORT_SKIP,
	};
	enum report_status	 st = statuses[flags & 3];
	struct report		*r = NULL;
	struct report_suite	*s;
	char			*out = NULL;
	xmlDoc			*x = NULL;
	xmlNode			*tc, *res;

	if (report_new("fuzz", &r) < 0 ||
	    report_set_prop(r, str[5], str[6]) < 0 ||
	    report_suite(r, str[4], &s) < 0 ||
	    report_add_case(s, str[0], str[1], st, secs,
	    st == REPORT_PASS ? NULL : str[2],
	    st == REPORT_PASS ? NULL : str[3]) < 0 ||
	    junit_render(r, &out) < 0)
		goto out;
	x = xmlReadMemory(out, (int)strlen(out), NULL, "UTF-8",
	    XML_PARSE_NONET);
	if (x == NULL)
		abort();
	if ((tc = fuzz_junit_find(xmlDocGetRootElement(x), "testcase")) ==
	    NULL)
		abort();
	fuzz_junit_expect(xmlGetProp(tc, (const xmlChar *)"name"), str[0]);
	if (st == REPORT_PASS)
		goto out;
	if ((res = fuzz_junit_find(tc->children, st == REPORT_FAIL ?
	    "failure" : st == REPORT_ERROR ? "error" : "skipped")) == NULL)
		abort();
	fuzz_junit_expect(xmlGetProp(res, (const xmlChar *)"message"),
	    str[2]);
	fuzz_junit_expect(xmlNodeGetContent(res), str[3]);
out:
	xmlFreeDoc(x);
	free(out);
	report_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*buf, *str[FUZZ_NSTR];
	const char	*p, *end;
	uint8_t		 flags = 0;
	double		 secs = 0;
	size_t		 i;

	if (size > 0) {
		flags = data[0];
		data++;
		size--;
	}
	if (size >= sizeof(secs) && (flags & 4)) {
		memcpy(&secs, data, sizeof(secs));
		data += sizeof(secs);
		size -= sizeof(secs);
	}
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* Missing pieces are "": the split never reads past buf. */
	p = buf;
	end = buf + size;
	for (i = 0; i < FUZZ_NSTR; i++) {
		str[i] = (char *)p;
		if (p < end)
			p += strlen(p) + 1;
		if (p > end)
			p = end;
	}
	fuzz_junit_escape(str[0]);
	fuzz_junit_render(str, flags, secs);
	free(buf);
	return 0;
}
