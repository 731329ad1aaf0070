/* SPDX-License-Identifier: MIT */
/*
 * refdoc: the rows of docs/spec-reference.md's key tables, made from the
 * schema (provision/schema.c), and the check that the document holds
 * exactly those rows.  Shared by test-validate (the real table),
 * test-scratch (a table with a scratch field) and schema-doc (which
 * prints the rows).  Header-only: each includer is one executable.
 *
 * A row is "| `key` (`alias`) | type | default | in place | since |
 * meaning |"; members are "parent.key", members of list items
 * "parent[].key", and they change as their top-level field does.
 */
#ifndef REFDOC_H
#define REFDOC_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

#define REFDOC_ROW_MAX	2048

/* The reference row of f, a member (with prefix) of top's table. */
static inline const char *
refdoc_row(const struct schema_field *f, const struct schema_field *top,
    const char *prefix, bool consumer, char *buf, size_t len)
{
	char	key[256], type[512], def[512], change[256], since[32];
	char	alias[96] = "", meaning[1024];

	if (f->alias != NULL)
		snprintf(alias, sizeof(alias), " (`%s`)", f->alias);
	snprintf(key, sizeof(key), "`%s%s`%s", prefix, f->key, alias);
	schema_doc_type(f, type, sizeof(type));
	schema_doc_default(f, def, sizeof(def));
	schema_doc_change(top, consumer, change, sizeof(change));
	schema_version_text(f->since, false, since, sizeof(since));
	if (f->refuse != NULL)
		snprintf(meaning, sizeof(meaning), "%s Refused in a spec: %s.",
		    f->doc, f->refuse);
	else if (f->mode != SCHEMA_ANY)
		snprintf(meaning, sizeof(meaning), "%.*s (%s only).",
		    (int)strlen(f->doc) - 1, f->doc,
		    f->mode == SCHEMA_PUSH ? "push" : "pull");
	else
		snprintf(meaning, sizeof(meaning), "%s", f->doc);
	snprintf(buf, len, "| %s | %s | %s | %s | %s | %s |", key, type, def,
	    f->refuse != NULL ? "-" : change, since, meaning);
	return buf;
}

typedef void	(*refdoc_fn)(void *arg, const char *row, const char *key);

/* Every row of table t (members after their field), in table order. */
static inline void
refdoc_walk(const struct schema_field *t, size_t n,
    const struct schema_field *top, const char *prefix, bool consumer,
    refdoc_fn fn, void *arg)
{
	char	row[REFDOC_ROW_MAX], sub[256], key[256];
	size_t	i;

	for (i = 0; i < n; i++) {
		refdoc_row(&t[i], top != NULL ? top : &t[i], prefix, consumer,
		    row, sizeof(row));
		snprintf(key, sizeof(key), "%s%s", prefix, t[i].key);
		fn(arg, row, key);
		if (t[i].sub == NULL)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", prefix, t[i].key,
		    t[i].type == SCHEMA_OBJECTS ? "[]." : ".");
		refdoc_walk(t[i].sub, t[i].nsub, top != NULL ? top : &t[i],
		    sub, consumer, fn, arg);
	}
}

struct refdoc_check {
	const char	*sec;		/* the section */
	const char	*end;		/* its end */
	const char	*heading;
	size_t		 bad;		/* rows missing or different */
	FILE		*out;		/* where to say which, or NULL */
};

static inline void
refdoc_check_row(void *arg, const char *row, const char *key)
{
	struct refdoc_check	*c = arg;
	char			 start[300];
	const char		*p, *eol;

	snprintf(start, sizeof(start), "\n| `%s`", key);
	p = c->sec;
	/* "| `name`" must not match "| `name_x`" */
	for (;;) {
		p = strstr(p, start);
		if (p == NULL || p > c->end)
			break;
		if (p[strlen(start)] == ' ')
			break;
		p++;
	}
	if (p == NULL || p > c->end) {
		c->bad++;
		if (c->out != NULL)
			fprintf(c->out, "no row for '%s' under '%s'; want:\n"
			    "%s\n", key, c->heading, row);
		return;
	}
	p++;
	eol = strchr(p, '\n');
	if (eol == NULL)
		eol = p + strlen(p);
	if ((size_t)(eol - p) != strlen(row) ||
	    strncmp(p, row, (size_t)(eol - p)) != 0) {
		c->bad++;
		if (c->out != NULL)
			fprintf(c->out, "row '%s' under '%s' differs:\n"
			    "got:  %.*s\nwant: %s\n", key, c->heading,
			    (int)(eol - p), p, row);
	}
}

/*
 * How many rows of table t are missing from, or differ in, the section of
 * doc under heading (up to the next "## ").  Every cell is compared: type,
 * default, in place, since and meaning.  -1 when there is no such
 * section.
 */
static inline long
refdoc_check(const char *doc, const char *heading,
    const struct schema_field *t, size_t n, bool consumer, FILE *out)
{
	struct refdoc_check	c = { .heading = heading, .out = out };

	if ((c.sec = strstr(doc, heading)) == NULL)
		return -1;
	if ((c.end = strstr(c.sec + strlen(heading), "\n## ")) == NULL)
		c.end = c.sec + strlen(c.sec);
	refdoc_walk(t, n, NULL, "", consumer, refdoc_check_row, &c);
	return (long)c.bad;
}

#endif
