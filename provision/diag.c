/* SPDX-License-Identifier: MIT */
/*
 * diag: error detail carried from library code to the front ends.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
diag_clear(struct diag *d)
{
	if (d != NULL)
		memset(d, 0, sizeof(*d));
}

static void
diag_vfill(struct diag *d, int code, const char *file, int line, int col,
    const char *fmt, va_list ap)
{
	diag_clear(d);
	d->code = code;
	if (file != NULL)
		snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	d->col = col;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

int
diag_set(struct diag *d, int code, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return code;
	va_start(ap, fmt);
	diag_vfill(d, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int
diag_set_at(struct diag *d, int code, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return code;
	va_start(ap, fmt);
	diag_vfill(d, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

int
diag_prefix(struct diag *d, const char *fmt, ...)
{
	char	prefix[DIAG_MSG_MAX];
	char	old[DIAG_MSG_MAX];
	va_list	ap;

	if (d == NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	snprintf(d->msg, sizeof(d->msg), "%s: %s", prefix, old);
	return d->code;
}

const char *
diag_format(const struct diag *d, char *buf, size_t len)
{
	if (d->file[0] != '\0' && d->line > 0)
		snprintf(buf, len, "%s:%d:%d: %s", d->file, d->line, d->col,
		    d->msg);
	else if (d->file[0] != '\0')
		snprintf(buf, len, "%s: %s", d->file, d->msg);
	else
		snprintf(buf, len, "%s", d->msg);
	return buf;
}

int
diag_list_add(struct diag_list *l, const struct diag *d)
{
	struct diag	*items;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 8 : l->cap * 2;
		items = realloc(l->items, cap * sizeof(*items));
		if (items == NULL)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = *d;
	return 0;
}

int
diag_list_addf(struct diag_list *l, int code, const char *file, int line,
    int col, const char *fmt, ...)
{
	struct diag	d;
	va_list		ap;
	int		r;

	va_start(ap, fmt);
	diag_vfill(&d, code, file, line, col, fmt, ap);
	va_end(ap);
	r = diag_list_add(l, &d);
	return r < 0 ? r : code;
}

static int
diag_before(const struct diag *x, const struct diag *y)
{
	int	c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return c < 0;
	if (x->line != y->line)
		return x->line < y->line;
	return x->col < y->col;
}

/* Insertion sort: lists are short and equal locations keep their order. */
void
diag_list_sort(struct diag_list *l)
{
	struct diag	tmp;
	size_t		i, j;

	for (i = 1; i < l->n; i++) {
		tmp = l->items[i];
		for (j = i; j > 0 && diag_before(&tmp, &l->items[j - 1]); j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = tmp;
	}
}

void
diag_list_free(struct diag_list *l)
{
	if (l == NULL)
		return;
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
