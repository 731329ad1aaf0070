/* SPDX-License-Identifier: MIT */
/*
 * jint: exact 64-bit integers in cJSON number nodes (see jint.h), carried
 * as decimal digits in valuestring beside the double.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jint.h"

/* Doubles hold every integer of magnitude up to 2^53 exactly. */
#define JINT_EXACT_I	(INT64_C(1) << 53)
/* 2^63 as a double: the first value past INT64_MAX. */
#define JINT_2_63	9223372036854775808.0
/* Integer text shorter than this is exact as a double (< 10^15 < 2^53). */
#define JINT_SHORT	15

/* Strict decimal int64: [-]digits, nothing else.  0, -EINVAL, -ERANGE. */
static int
jint_digits(const char *s, int64_t *ret)
{
	const char	*p = s;
	char		*end;
	long long	 v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || p[strspn(p, "0123456789")] != '\0')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* The exact digits of v, for valuestring: cJSON_free() them; NULL. */
static char *
jint_text(int64_t v)
{
	char	buf[24], *s;
	size_t	len;

	len = (size_t)snprintf(buf, sizeof(buf), "%" PRId64, v) + 1;
	if ((s = cJSON_malloc(len)) != NULL)
		memcpy(s, buf, len);
	return s;
}

int
jint_get(const cJSON *n, int64_t *ret)
{
	double	x;
	int64_t	v;
	int	r;

	if (!cJSON_IsNumber(n))
		return -EINVAL;
	x = n->valuedouble;
	if (n->valuestring != NULL) {
		r = jint_digits(n->valuestring, &v);
		if (r == -ERANGE && (fabs(x) >= JINT_2_63))
			return -ERANGE;
		if (r == 0 && (double)v == x) {
			*ret = v;
			return 0;
		}
		/* stale or foreign: the double is the value */
	}
	if (!isfinite(x) || x != floor(x))
		return -EINVAL;
	if (x < -JINT_2_63 || x > JINT_2_63)
		return -ERANGE;
	*ret = x == JINT_2_63 ? INT64_MAX : (int64_t)x;
	return 0;
}

int
jint_set(cJSON *n, int64_t v)
{
	char	*s = NULL;

	if ((v > JINT_EXACT_I || v < -JINT_EXACT_I) &&
	    (s = jint_text(v)) == NULL)
		return -ENOMEM;
	cJSON_SetNumberValue(n, (double)v);
	cJSON_free(n->valuestring);
	n->valuestring = s;
	return 0;
}

cJSON *
jint_create(int64_t v)
{
	cJSON	*n;

	if ((n = cJSON_CreateNumber((double)v)) == NULL)
		return NULL;
	if (jint_set(n, v) < 0) {
		cJSON_Delete(n);
		return NULL;
	}
	return n;
}

struct jint_lexer {
	const char	*p;
	const char	*end;
};

/* The next number token, as cJSON reads one; false at the end. */
static bool
jint_next(struct jint_lexer *lx, const char **tok, size_t *len)
{
	const char	*p = lx->p, *start;

	while (p < lx->end) {
		if (*p == '"') {
			for (p++; p < lx->end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
			continue;
		}
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			start = p;
			while (p < lx->end && strchr("0123456789+-eE.", *p) !=
			    NULL && *p != '\0')
				p++;
			lx->p = p;
			*tok = start;
			*len = (size_t)(p - start);
			return true;
		}
		p++;
	}
	lx->p = p;
	return false;
}

static int
jint_recover_node(cJSON *n, struct jint_lexer *lx)
{
	const char	*tok;
	char		 buf[64], *s;
	size_t		 len, ndig;
	cJSON		*c;
	int		 r;

	if (cJSON_IsNumber(n)) {
		if (!jint_next(lx, &tok, &len))
			return -EBADMSG;
		/* longer than any integer: a fraction, left as cJSON read it */
		if (len >= sizeof(buf))
			return 0;
		memcpy(buf, tok, len);
		buf[len] = '\0';
		if (strtod(buf, NULL) != n->valuedouble)
			return -EBADMSG;
		ndig = len - (buf[0] == '-');
		if (ndig > JINT_SHORT && buf[len - ndig + strspn(buf +
		    len - ndig, "0123456789")] == '\0') {
			if ((s = cJSON_malloc(len + 1)) == NULL)
				return -ENOMEM;
			memcpy(s, buf, len + 1);
			cJSON_free(n->valuestring);
			n->valuestring = s;
		}
		return 0;
	}
	for (c = n->child; c != NULL; c = c->next)
		if ((r = jint_recover_node(c, lx)) < 0)
			return r;
	return 0;
}

int
jint_recover(cJSON *root, const char *text, size_t len)
{
	struct jint_lexer	lx = { text, text + len };

	return jint_recover_node(root, &lx);
}

int
jint_parse(const char *text, size_t len, cJSON **ret)
{
	const char	*end = NULL;
	cJSON		*j;
	int		 r;

	j = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (j == NULL)
		return -EBADMSG;
	if (end == NULL || end < text || end > text + len)
		end = text + len;
	if ((r = jint_recover(j, text, (size_t)(end - text))) < 0) {
		cJSON_Delete(j);
		return r;
	}
	*ret = j;
	return 0;
}

/* Whole numbers of a copy become raw digits, in place. */
static int
jint_rawify(cJSON *n)
{
	char	*s;
	int64_t	 v;
	cJSON	*c;
	int	 r;

	if (cJSON_IsNumber(n)) {
		if (jint_get(n, &v) < 0)
			return 0;
		if ((s = jint_text(v)) == NULL)
			return -ENOMEM;
		cJSON_free(n->valuestring);
		n->valuestring = s;
		n->type = (n->type & cJSON_StringIsConst) | cJSON_Raw;
		return 0;
	}
	for (c = n->child; c != NULL; c = c->next)
		if ((r = jint_rawify(c)) < 0)
			return r;
	return 0;
}

char *
jint_print(const cJSON *item, bool formatted)
{
	cJSON	*copy;
	char	*s = NULL;

	if ((copy = cJSON_Duplicate(item, true)) == NULL)
		return NULL;
	if (jint_rawify(copy) == 0)
		s = formatted ? cJSON_Print(copy) : cJSON_PrintUnformatted(copy);
	cJSON_Delete(copy);
	return s;
}

static bool
jint_number_equal(const cJSON *a, const cJSON *b)
{
	int64_t	x, y;

	if (jint_get(a, &x) == 0 && jint_get(b, &y) == 0)
		return x == y;
	return a->valuedouble == b->valuedouble;
}

bool
jint_equal(const cJSON *a, const cJSON *b)
{
	const cJSON	*x, *y;

	if (a == NULL || b == NULL || (a->type & 0xff) != (b->type & 0xff))
		return false;
	switch (a->type & 0xff) {
	case cJSON_False:
	case cJSON_True:
	case cJSON_NULL:
		return true;
	case cJSON_Number:
		return jint_number_equal(a, b);
	case cJSON_String:
	case cJSON_Raw:
		return a->valuestring != NULL && b->valuestring != NULL &&
		    strcmp(a->valuestring, b->valuestring) == 0;
	case cJSON_Array:
		for (x = a->child, y = b->child; x != NULL && y != NULL;
		    x = x->next, y = y->next)
			if (!jint_equal(x, y))
				return false;
		return x == NULL && y == NULL;
	case cJSON_Object:
		cJSON_ArrayForEach(x, a) {
			y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (y == NULL || !jint_equal(x, y))
				return false;
		}
		cJSON_ArrayForEach(y, b)
			if (cJSON_GetObjectItemCaseSensitive(a, y->string) ==
			    NULL)
				return false;
		return true;
	default:
		return false;
	}
}
