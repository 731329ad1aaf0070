/* SPDX-License-Identifier: MIT */
/*
 * console: the human-readable writer (format in console.h).  Used for both
 * a terminal and a CI log, so color is the caller's choice (isatty).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "report.h"

#define CONSOLE_RESET	"\033[0m"

static int
console_put(FILE *f, const char *s)
{
	char	*c;

	if (report_clean(s, REPORT_CLEAN_LINE, &c) < 0)
		return -ENOMEM;
	fputs(c, f);
	free(c);
	return 0;
}

/* True when another case of s has c's name. */
static bool
console_ambiguous(const struct report_suite *s, const struct report_case *c)
{
	size_t	i;

	for (i = 0; i < s->ncases; i++)
		if (&s->cases[i] != c && strcmp(s->cases[i].name, c->name) == 0)
			return true;
	return false;
}

static int
console_case(FILE *f, const struct report_suite *s,
    const struct report_case *c, bool color)
{
	static const char *const colors[] = {
		[REPORT_PASS] = "\033[32m",
		[REPORT_FAIL] = "\033[1;31m",
		[REPORT_ERROR] = "\033[1;35m",
		[REPORT_SKIP] = "\033[33m",
	};
	enum report_status	 st = c->status;
	const char		*word;
	char			 secs[REPORT_SECONDS_LEN];

	/* The struct is public: show a stray status as an error. */
	if (st < REPORT_PASS || st > REPORT_SKIP)
		st = REPORT_ERROR;
	word = report_status_name(st);
	/* Pad outside the escape codes so that the columns line up. */
	if (color)
		fprintf(f, "%s%s" CONSOLE_RESET "%*s", colors[st], word,
		    (int)(5 - strlen(word)), "");
	else
		fprintf(f, "%-5s", word);
	fprintf(f, " %8ss  ", report_seconds(report_millis(c->seconds),
	    secs));
	if (console_put(f, s->name) < 0)
		return -ENOMEM;
	fputc('/', f);
	if (console_put(f, c->name) < 0)
		return -ENOMEM;
	if (c->classname != NULL && console_ambiguous(s, c)) {
		fputs(" (", f);
		if (console_put(f, c->classname) < 0)
			return -ENOMEM;
		fputc(')', f);
	}
	if (c->message != NULL && c->message[0] != '\0') {
		fputs("  ", f);
		if (console_put(f, c->message) < 0)
			return -ENOMEM;
	}
	fputc('\n', f);
	return 0;
}

int
console_render(const struct report *r, bool color, char **ret)
{
	const struct report_suite	*s;
	FILE				*f;
	char				*buf = NULL;
	char				 secs[REPORT_SECONDS_LEN];
	size_t				 len, i, j, n[4];
	int				 rc = 0;

	*ret = NULL;
	if (r == NULL)
		return -EINVAL;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->nsuites && rc == 0; i++) {
		s = &r->suites[i];
		for (j = 0; j < s->ncases && rc == 0; j++)
			rc = console_case(f, s, &s->cases[j], color);
	}
	report_counts(r, n);
	fprintf(f, "%zu passed, %zu failed, %zu errors, %zu skipped in %ss\n",
	    n[REPORT_PASS], n[REPORT_FAIL], n[REPORT_ERROR], n[REPORT_SKIP],
	    report_seconds(report_run_millis(r), secs));
	/* Write errors (out of memory) stick to f. */
	if (ferror(f))
		rc = -ENOMEM;
	if (fclose(f) != 0)
		rc = -ENOMEM;
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*ret = buf;
	return 0;
}
