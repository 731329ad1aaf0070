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
diag_exit_code(int code)
{
	switch (code) {
	case 0:
		return DIAG_EXIT_OK;
	case -EINVAL:
	case -E2BIG:
		return DIAG_EXIT_USAGE;
	case -ECONNREFUSED:
	case -EACCES:
	case -ENOTSUP:
	case -EHOSTUNREACH:
		return DIAG_EXIT_CONNECT;
	case -EPERM:
		return DIAG_EXIT_BLOCKED;
	case -ETIMEDOUT:
	case -EBADMSG:
		return DIAG_EXIT_SERVER;
	default:
		return DIAG_EXIT_FAIL;
	}
}

/* Length of the well-formed UTF-8 sequence at p, or 0; *cp its value. */
static size_t
diag_utf8(const unsigned char *p, unsigned *cp)
{
	size_t		n, i;
	unsigned	c = p[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

const char *
diag_quote(const char *s, size_t max, char *buf, size_t len)
{
	const unsigned char	*p;
	size_t			 o = 0, n, i, need;
	unsigned		 cp;

	if (len == 0)
		return buf;
	if (s == NULL)
		s = "";
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = diag_utf8(p, &cp);
		/* Controls and broken bytes: one \xNN per byte. */
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			if (n == 0)
				n = 1;
			need = 4 * n;
		} else
			need = n;
		if ((size_t)((const char *)p - s) + n > max ||
		    o + need + 4 > len) {
			/* "..." only when something is left out. */
			snprintf(buf + o, len - o, "%s", len - o > 3 ?
			    "..." : "");
			return buf;
		}
		if (need == n) {
			memcpy(buf + o, p, n);
			o += n;
		} else
			for (i = 0; i < n; i++)
				o += (size_t)snprintf(buf + o, len - o,
				    "\\x%02x", p[i]);
	}
	buf[o] = '\0';
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
