/* SPDX-License-Identifier: MIT */
/*
 * test-units: size and duration parsing and formatting, table-driven.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "units.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct parse_case {
	const char	*in;
	int		 rc;
	int64_t		 want;		/* when rc == 0 */
};

static const struct parse_case size_cases[] = {
	{ "0", 0, 0 },
	{ "512", 0, 512 },
	{ "100MB", 0, 104857600 },
	{ "100mb", 0, 104857600 },
	{ "100 MB", 0, 104857600 },
	{ "1KiB", 0, 1024 },
	{ "1k", 0, 1024 },
	{ "1KB", 0, 1024 },
	{ "2M", 0, 2097152 },
	{ "50MiB", 0, 52428800 },
	{ "1G", 0, 1073741824 },
	{ "1gib", 0, 1073741824 },
	{ "1T", 0, INT64_C(1099511627776) },
	{ "3TiB", 0, INT64_C(3298534883328) },
	{ "1.5G", 0, 1610612736 },
	{ "2.50K", 0, 2560 },
	{ "10B", 0, 10 },
	{ "unlimited", 0, -1 },
	{ "UNLIMITED", 0, -1 },
	{ "-1", 0, -1 },
	{ "9223372036854775807", 0, INT64_MAX },
	{ "8388607T", 0, INT64_C(8388607) << 40 },
	/* refused */
	{ "", -EINVAL, 0 },
	{ "MB", -EINVAL, 0 },
	{ "lots", -EINVAL, 0 },
	{ "-2", -EINVAL, 0 },
	{ "-1MB", -EINVAL, 0 },
	{ "+5", -EINVAL, 0 },
	{ "1.3K", -EINVAL, 0 },		/* 1331.2 bytes */
	{ "1.5", -EINVAL, 0 },
	{ "1.", -EINVAL, 0 },
	{ ".5K", -EINVAL, 0 },
	{ "10 X", -EINVAL, 0 },
	{ "10PB", -EINVAL, 0 },
	{ "10MBs", -EINVAL, 0 },
	{ " 10", -EINVAL, 0 },
	{ "10 ", -EINVAL, 0 },
	{ "1e6", -EINVAL, 0 },
	/* overflow */
	{ "9223372036854775808", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "8388608T", -ERANGE, 0 },
	{ "8589934592G", -ERANGE, 0 },
};

#define NS	INT64_C(1)
#define US	(1000 * NS)
#define MS	(1000 * US)
#define SEC	(1000 * MS)
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

static const struct parse_case duration_cases[] = {
	{ "0", 0, 0 },
	{ "0.0", 0, 0 },
	{ "7d", 0, INT64_C(604800000000000) },
	{ "1h30m", 0, 90 * MIN },
	{ "1h 30m", 0, 90 * MIN },
	{ "2m", 0, 2 * MIN },
	{ "30s", 0, 30 * SEC },
	{ "30 s", 0, 30 * SEC },
	{ "150ms", 0, 150 * MS },
	{ "5us", 0, 5 * US },
	{ "5\xc2\xb5s", 0, 5 * US },
	{ "7ns", 0, 7 },
	{ "1w", 0, 7 * DAY },
	{ "1y", 0, 365 * DAY },
	{ "1Y", 0, 365 * DAY },
	{ "365d", 0, 365 * DAY },
	{ "180D", 0, 180 * DAY },
	{ "2W", 0, 14 * DAY },
	{ "1M", 0, 30 * DAY },
	{ "1y1M1d", 0, 396 * DAY },
	{ "292y", 0, 292 * 365 * DAY },
	{ "9223372036854775807ns", 0, INT64_MAX },
	{ "1.5h", 0, 90 * MIN },
	{ "0.5ms", 0, 500 * US },
	{ "1d2h3m4s5ms", 0, DAY + 2 * HOUR + 3 * MIN + 4 * SEC + 5 * MS },
	{ "106751d", 0, 106751 * DAY },
	{ "unlimited", 0, -1 },
	{ "-1", 0, -1 },
	/* refused */
	{ "", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ "soon", -EINVAL, 0 },
	{ "-5s", -EINVAL, 0 },
	{ "-2", -EINVAL, 0 },
	/* a bare number has no unit: never silently nanoseconds */
	{ "30", -EDOM, 0 },
	{ "120000000000", -EDOM, 0 },
	{ "1.5", -EDOM, 0 },
	{ "1h30", -EINVAL, 0 },
	{ "1H", -EINVAL, 0 },		/* units are lower case */
	{ "1S", -EINVAL, 0 },
	{ "5MS", -EINVAL, 0 },
	{ "1mo", -EINVAL, 0 },
	{ "3x", -EINVAL, 0 },
	{ "0.1ns", -EINVAL, 0 },
	{ "1.0000000001s", -EINVAL, 0 },
	{ "10 ", -EINVAL, 0 },
	/* overflow */
	{ "106752d", -ERANGE, 0 },
	{ "300y", -ERANGE, 0 },
	{ "293y", -ERANGE, 0 },
	{ "9223372036854775808ns", -ERANGE, 0 },
	{ "106751d106751d", -ERANGE, 0 },
};

static void
check_parse(const struct parse_case *c, size_t n,
    int (*parse)(const char *, int64_t *))
{
	int64_t	v;
	size_t	i;
	int	r;

	for (i = 0; i < n; i++) {
		v = 12345;
		r = parse(c[i].in, &v);
		if (r != c[i].rc)
			fail_msg("'%s': rc %d, want %d", c[i].in, r, c[i].rc);
		if (r == 0 && v != c[i].want)
			fail_msg("'%s': %lld, want %lld", c[i].in,
			    (long long)v, (long long)c[i].want);
	}
}

static void
test_parse_size(void **state)
{
	check_parse(size_cases, NELEM(size_cases), units_parse_size);
}

static void
test_parse_duration(void **state)
{
	check_parse(duration_cases, NELEM(duration_cases),
	    units_parse_duration);
}

static void
test_parse_null(void **state)
{
	int64_t	v;

	assert_int_equal(units_parse_size(NULL, &v), -EINVAL);
	assert_int_equal(units_parse_duration(NULL, &v), -EINVAL);
}

struct format_case {
	int64_t		 in;
	const char	*want;
};

static const struct format_case size_formats[] = {
	{ -1, "unlimited" },
	{ 0, "0" },
	{ 512, "512" },
	{ 1024, "1KiB" },
	{ 1536, "1536" },
	{ 104857600, "100MiB" },
	{ 1610612736, "1536MiB" },
	{ 1073741824, "1GiB" },
	{ INT64_C(2199023255552), "2TiB" },
	{ 2147483647, "2147483647" },
};

static const struct format_case duration_formats[] = {
	{ -1, "unlimited" },
	{ 0, "0s" },
	{ 7, "7ns" },
	{ 5 * US, "5us" },
	{ 150 * MS, "150ms" },
	{ 2 * MIN, "2m" },
	{ 90 * MIN, "90m" },
	{ 3 * HOUR, "3h" },
	{ 7 * DAY, "7d" },
	{ 365 * DAY, "365d" },
	{ 120 * SEC, "2m" },
	{ 1000000100, "1000000100ns" },
};

static void
test_format(void **state)
{
	char	buf[64];
	size_t	i;

	for (i = 0; i < NELEM(size_formats); i++)
		assert_string_equal(units_format_size(size_formats[i].in, buf,
		    sizeof(buf)), size_formats[i].want);
	for (i = 0; i < NELEM(duration_formats); i++)
		assert_string_equal(units_format_duration(
		    duration_formats[i].in, buf, sizeof(buf)),
		    duration_formats[i].want);
}

/* What is formatted reads back as the same value. */
static void
test_round_trip(void **state)
{
	static const int64_t	sizes[] = { 1, 1024, 104857600, 3 << 20,
	    INT64_C(5) << 40 };
	static const int64_t	durs[] = { 1, 999, 150 * MS, 30 * SEC,
	    90 * MIN, 14 * DAY };
	char			buf[64];
	int64_t			v;
	size_t			i;

	for (i = 0; i < NELEM(sizes); i++) {
		units_format_size(sizes[i], buf, sizeof(buf));
		assert_int_equal(units_parse_size(buf, &v), 0);
		assert_int_equal(v, sizes[i]);
	}
	for (i = 0; i < NELEM(durs); i++) {
		units_format_duration(durs[i], buf, sizeof(buf));
		assert_int_equal(units_parse_duration(buf, &v), 0);
		assert_int_equal(v, durs[i]);
	}
}

struct time_case {
	const char	*in;
	int		 rc;
	int64_t		 sec;		/* when rc == 0 */
	int64_t		 nsec;
};

/*
 * What the spec loader and the planner each parsed before there was one
 * parser, and what nats-server's Go refuses.
 */
static const struct time_case time_cases[] = {
	{ "2024-01-02T15:04:05Z", 0, 1704207845, 0 },
	{ "1970-01-01T00:00:00Z", 0, 0, 0 },
	{ "1969-12-31T23:59:59Z", 0, -1, 0 },
	{ "0001-01-01T00:00:00Z", 0, INT64_C(-62135596800), 0 },	/* Go's zero */
	{ "9999-12-31T23:59:59Z", 0, INT64_C(253402300799), 0 },
	/* Offsets: the same instant whatever the offset written. */
	{ "2024-01-02T16:04:05+01:00", 0, 1704207845, 0 },
	{ "2024-01-02T14:34:05-00:30", 0, 1704207845, 0 },
	{ "2024-01-02T15:04:05+00:00", 0, 1704207845, 0 },
	{ "2024-01-03T00:04:05+09:00", 0, 1704207845, 0 },
	/* Fractions: nanoseconds, more digits cut off. */
	{ "2024-01-02T15:04:05.5Z", 0, 1704207845, 500000000 },
	{ "2024-01-02T15:04:05.5+01:00", 0, 1704204245, 500000000 },
	{ "2024-01-02T15:04:05.000000001Z", 0, 1704207845, 1 },
	{ "2024-01-02T15:04:05.1234567891Z", 0, 1704207845, 123456789 },
	{ "2024-01-02T15:04:05.000Z", 0, 1704207845, 0 },
	/* Calendar: leap years. */
	{ "2024-02-29T00:00:00Z", 0, 1709164800, 0 },
	{ "2000-02-29T12:00:00Z", 0, 951825600, 0 },
	{ "2023-02-29T00:00:00Z", -EINVAL, 0, 0 },
	{ "1900-02-29T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-04-31T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-00-10T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-13-10T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-01-00T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-01-32T00:00:00Z", -EINVAL, 0, 0 },
	{ "2024-01-02T24:00:00Z", -EINVAL, 0, 0 },
	{ "2024-01-02T15:60:00Z", -EINVAL, 0, 0 },
	/* Go has no leap second (the spec loader took :60). */
	{ "2016-12-31T23:59:60Z", -EINVAL, 0, 0 },
	/* Lower-case or space separators (the planner took them): Go not. */
	{ "2024-01-02t15:04:05Z", -EINVAL, 0, 0 },
	{ "2024-01-02 15:04:05Z", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05z", -EINVAL, 0, 0 },
	/* Shapes. */
	{ "2024-01-02T15:04:05", -EINVAL, 0, 0 },	/* no zone */
	{ "2024-01-02T15:04:05.Z", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05,5Z", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05+0100", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05+1:00", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05+24:00", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05+01:60", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05Zjunk", -EINVAL, 0, 0 },
	{ "2024-01-02T15:04:05+01:00 ", -EINVAL, 0, 0 },
	{ "2024-1-02T15:04:05Z", -EINVAL, 0, 0 },
	{ "24-01-02T15:04:05Z", -EINVAL, 0, 0 },
	{ "2024-01-02T5:04:05Z", -EINVAL, 0, 0 },
	{ "2024-01-02", -EINVAL, 0, 0 },
	{ "yesterday", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
};

static void
test_parse_time(void **state)
{
	const struct time_case	*c;
	int64_t			 sec, nsec;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(time_cases); i++) {
		c = &time_cases[i];
		sec = nsec = -7;
		rc = units_parse_time(c->in, &sec, &nsec);
		if (rc != c->rc)
			fail_msg("'%s': rc %d, want %d", c->in, rc, c->rc);
		if (rc == 0 && (sec != c->sec || nsec != c->nsec))
			fail_msg("'%s': %lld.%09lld, want %lld.%09lld", c->in,
			    (long long)sec, (long long)nsec,
			    (long long)c->sec, (long long)c->nsec);
		if (rc != 0 && (sec != -7 || nsec != -7))
			fail_msg("'%s': refused but wrote a result", c->in);
	}
	assert_int_equal(units_parse_time(NULL, &sec, &nsec), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
