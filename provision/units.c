/* SPDX-License-Identifier: MIT */
/*
 * units: sizes and durations as people write them in specs ("100MB",
 * "1h30m") to and from the API's integers (bytes, nanoseconds).
 *
 * Everything is integer arithmetic with explicit overflow checks: a spec
 * value is untrusted input, and a limit silently wrapped to a negative
 * number would mean "unlimited" to the server.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "units.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* More fraction digits than this cannot be exact for any of our units. */
#define FRAC_DIGITS_MAX	18

struct units_suffix {
	const char	*name;
	uint64_t	 mult;
};

static const struct units_suffix size_suffixes[] = {
	{ "b", 1 },
	{ "k", 1ULL << 10 }, { "kb", 1ULL << 10 }, { "kib", 1ULL << 10 },
	{ "m", 1ULL << 20 }, { "mb", 1ULL << 20 }, { "mib", 1ULL << 20 },
	{ "g", 1ULL << 30 }, { "gb", 1ULL << 30 }, { "gib", 1ULL << 30 },
	{ "t", 1ULL << 40 }, { "tb", 1ULL << 40 }, { "tib", 1ULL << 40 },
};

#define NS_US	1000ULL
#define NS_MS	(1000ULL * NS_US)
#define NS_S	(1000ULL * NS_MS)
#define NS_M	(60ULL * NS_S)
#define NS_H	(60ULL * NS_M)
#define NS_D	(24ULL * NS_H)
#define NS_W	(7ULL * NS_D)
#define NS_MO	(30ULL * NS_D)
#define NS_Y	(365ULL * NS_D)

/*
 * natscli's units (fisk.ParseDuration): Go's ns..h, which are case
 * sensitive, plus w/W, d/D, M (a month of 30 days) and y/Y (365 days).
 * Case matters: 'm' is minutes, 'M' months.
 */
static const struct units_suffix duration_suffixes[] = {
	{ "ns", 1 }, { "us", NS_US }, { "\xc2\xb5s", NS_US }, { "ms", NS_MS },
	{ "s", NS_S }, { "m", NS_M }, { "h", NS_H }, { "d", NS_D },
	{ "D", NS_D }, { "w", NS_W }, { "W", NS_W }, { "M", NS_MO },
	{ "y", NS_Y }, { "Y", NS_Y },
};

/* A number as written: integer part, fraction digits as an integer. */
struct units_number {
	uint64_t	whole;
	uint64_t	frac;
	int		ndigits;	/* of frac; 0 without a fraction */
};

static bool
units_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read [0-9]+(.[0-9]+)? at *sp and advance.  Returns 0, -EINVAL or
 * -ERANGE.
 */
static int
units_read_number(const char **sp, struct units_number *ret)
{
	const char	*s = *sp;
	int		 ndigits = 0;

	memset(ret, 0, sizeof(*ret));
	if (!units_isdigit(*s))
		return -EINVAL;
	for (; units_isdigit(*s); s++) {
		if (ret->whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		ret->whole = ret->whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!units_isdigit(*s))
			return -EINVAL;
		for (; units_isdigit(*s); s++) {
			ret->frac = ret->frac * 10 + (uint64_t)(*s - '0');
			if (++ndigits > FRAC_DIGITS_MAX)
				return -EINVAL;
		}
		/* "1.50" is "1.5": trailing zeros must not break exactness */
		while (ndigits > 0 && ret->frac % 10 == 0) {
			ret->frac /= 10;
			ndigits--;
		}
		ret->ndigits = ndigits;
	}
	*sp = s;
	return 0;
}

static uint64_t
units_gcd(uint64_t a, uint64_t b)
{
	uint64_t	t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*
 * n * mult as an exact integer <= INT64_MAX.  Returns 0, -EINVAL (not
 * integral, "1.3K") or -ERANGE.
 */
static int
units_scale(const struct units_number *n, uint64_t mult, uint64_t *ret)
{
	uint64_t	den = 1, g, m, fpart;
	int		i;

	if (n->whole != 0 && mult > (uint64_t)INT64_MAX / n->whole)
		return -ERANGE;
	*ret = n->whole * mult;
	if (n->ndigits == 0)
		return 0;
	for (i = 0; i < n->ndigits; i++)
		den *= 10;
	/* frac * mult / den, reduced first so that nothing overflows */
	g = units_gcd(mult, den);
	m = mult / g;
	den /= g;
	if (n->frac % den != 0)
		return -EINVAL;
	fpart = n->frac / den;
	if (fpart != 0 && m > (uint64_t)INT64_MAX / fpart)
		return -ERANGE;
	fpart *= m;
	if (fpart > (uint64_t)INT64_MAX - *ret)
		return -ERANGE;
	*ret += fpart;
	return 0;
}

/* "unlimited" or "-1"; other negative numbers are errors for callers. */
static bool
units_is_unlimited(const char *s)
{
	return strcasecmp(s, "unlimited") == 0 || strcmp(s, "-1") == 0;
}

static size_t
units_unit_len(const char *s)
{
	size_t	n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (unsigned char)s[n] >= 0x80)
		n++;
	return n;
}

int
units_parse_size(const char *s, int64_t *ret)
{
	struct units_number	 n;
	uint64_t		 mult = 1, v;
	size_t			 len, i;
	int			 r;

	if (s == NULL)
		return -EINVAL;
	if (units_is_unlimited(s)) {
		*ret = -1;
		return 0;
	}
	if ((r = units_read_number(&s, &n)) < 0)
		return r;
	if (*s == ' ') {
		while (*s == ' ')
			s++;
		/* a space may only stand between a number and its unit */
		if (units_unit_len(s) == 0)
			return -EINVAL;
	}
	len = units_unit_len(s);
	if (s[len] != '\0')
		return -EINVAL;
	if (len > 0) {
		for (i = 0; i < NELEM(size_suffixes); i++)
			if (strlen(size_suffixes[i].name) == len &&
			    strncasecmp(s, size_suffixes[i].name, len) == 0)
				break;
		if (i == NELEM(size_suffixes))
			return -EINVAL;
		mult = size_suffixes[i].mult;
	}
	if ((r = units_scale(&n, mult, &v)) < 0)
		return r;
	*ret = (int64_t)v;
	return 0;
}

int
units_parse_duration(const char *s, int64_t *ret)
{
	struct units_number	 n;
	uint64_t		 total = 0, v;
	size_t			 len, i;
	int			 r;

	if (s == NULL)
		return -EINVAL;
	if (units_is_unlimited(s)) {
		*ret = -1;
		return 0;
	}
	/*
	 * A bare number has no unit to trust: "30" meant as seconds must
	 * not become 30ns.  natscli refuses it too; only 0 is unambiguous.
	 */
	if ((r = units_read_number(&s, &n)) < 0)
		return r;
	if (*s == '\0') {
		if (n.whole != 0 || n.frac != 0)
			return -EDOM;
		*ret = 0;
		return 0;
	}
	for (;;) {
		while (*s == ' ')
			s++;
		len = units_unit_len(s);
		for (i = 0; i < NELEM(duration_suffixes); i++)
			if (strlen(duration_suffixes[i].name) == len &&
			    strncmp(s, duration_suffixes[i].name, len) == 0)
				break;
		if (len == 0 || i == NELEM(duration_suffixes))
			return -EINVAL;
		if ((r = units_scale(&n, duration_suffixes[i].mult, &v)) < 0)
			return r;
		if (v > (uint64_t)INT64_MAX - total)
			return -ERANGE;
		total += v;
		s += len;
		if (*s == '\0')
			break;
		while (*s == ' ')
			s++;
		if ((r = units_read_number(&s, &n)) < 0)
			return r;
	}
	*ret = (int64_t)total;
	return 0;
}

const char *
units_format_size(int64_t bytes, char *buf, size_t len)
{
	static const struct units_suffix out[] = {
		{ "TiB", 1ULL << 40 }, { "GiB", 1ULL << 30 },
		{ "MiB", 1ULL << 20 }, { "KiB", 1ULL << 10 },
	};
	size_t	i;

	if (bytes == -1) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	for (i = 0; bytes > 0 && i < NELEM(out); i++) {
		if ((uint64_t)bytes % out[i].mult == 0) {
			snprintf(buf, len, "%" PRId64 "%s",
			    (int64_t)((uint64_t)bytes / out[i].mult),
			    out[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRId64, bytes);
	return buf;
}

/*
 * Weeks and years are accepted on input but not written: "7d" and "365d"
 * read better in a plan than "1w" and "1y".
 */
const char *
units_format_duration(int64_t ns, char *buf, size_t len)
{
	static const struct units_suffix out[] = {
		{ "d", NS_D }, { "h", NS_H }, { "m", NS_M }, { "s", NS_S },
		{ "ms", NS_MS }, { "us", NS_US }, { "ns", 1 },
	};
	size_t	i;

	if (ns == -1) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	if (ns == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	for (i = 0; ns > 0 && i < NELEM(out); i++) {
		if ((uint64_t)ns % out[i].mult == 0) {
			snprintf(buf, len, "%" PRId64 "%s",
			    (int64_t)((uint64_t)ns / out[i].mult),
			    out[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRId64 "ns", ns);
	return buf;
}

/* Read exactly n digits at *s into *ret and advance. */
static bool
units_digits(const char **s, int n, int *ret)
{
	int	v = 0;

	for (; n > 0; n--, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		v = v * 10 + (**s - '0');
	}
	*ret = v;
	return true;
}

static bool
units_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static int64_t
units_days(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
units_parse_time(const char *s, int64_t *ret_sec, int64_t *ret_nsec)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t	ns = 0, scale = 100000000, off = 0;
	int	y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;

	if (s == NULL || !units_digits(&s, 4, &y) || *s++ != '-' ||
	    !units_digits(&s, 2, &mo) || *s++ != '-' ||
	    !units_digits(&s, 2, &d) || *s++ != 'T' ||
	    !units_digits(&s, 2, &h) || *s++ != ':' ||
	    !units_digits(&s, 2, &mi) || *s++ != ':' ||
	    !units_digits(&s, 2, &sec))
		return -EINVAL;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return -EINVAL;
		/* Go keeps nanoseconds: further digits are cut off. */
		for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
			ns += (*s - '0') * scale;
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (!units_digits(&s, 2, &oh) || *s++ != ':' ||
		    !units_digits(&s, 2, &om))
			return -EINVAL;
	} else
		return -EINVAL;
	/* Go's ranges: no leap second, no 30 February. */
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] +
	    (mo == 2 && units_leap(y)) || h > 23 || mi > 59 || sec > 59 ||
	    oh > 23 || om > 59)
		return -EINVAL;
	off = sign * (oh * 3600 + om * 60);
	*ret_sec = units_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
	*ret_nsec = ns;
	return 0;
}
