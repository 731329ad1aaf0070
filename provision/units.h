/* SPDX-License-Identifier: MIT */
/*
 * units: parse and format sizes and durations as the nats CLI writes them,
 * and parse RFC 3339 times as nats-server reads them.
 *
 * Sizes: a plain number of bytes, or a number with K, KB, KiB, M, MB, MiB,
 * G, GB, GiB, T, TB or TiB (case-insensitive).  Every suffix is 1024-based,
 * as natscli reads them: 100MB = 104857600.
 * Durations: natscli's units, a number with ns, us (or µs), ms, s, m, h,
 * d or D (24h), w or W (7d), M (a month of 30d) or y or Y (365d); compound
 * forms such as 1h30m are accepted.  A bare number other than 0 is refused
 * (-EDOM): it has no unit, and nanoseconds would be a silent surprise.
 * Both accept "unlimited" and -1, which yield -1.
 */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0, -EINVAL (not a size) or -ERANGE (overflows int64). */
int	units_parse_size(const char *s, int64_t *ret);

/*
 * Returns 0, -EINVAL, -EDOM (a bare number without a unit, "30") or
 * -ERANGE.  *ret is in nanoseconds.
 */
int	units_parse_duration(const char *s, int64_t *ret);

/*
 * Format bytes with the largest exact binary suffix ("100MiB", "512",
 * "unlimited" for -1).  Returns buf.
 */
const char *units_format_size(int64_t bytes, char *buf, size_t len);

/*
 * Format nanoseconds with the largest exact unit ("7d", "2m", "150ms",
 * "unlimited" for -1, "0s").  Returns buf.
 */
const char *units_format_duration(int64_t ns, char *buf, size_t len);

/*
 * An RFC 3339 time as nats-server (Go's time.Time) reads it from JSON:
 * "2006-01-02T15:04:05Z", an optional fraction after '.', and 'Z' or an
 * offset "+07:00"; upper-case 'T' and 'Z' only, a real calendar day and
 * no leap second.  *ret_sec is Unix seconds (UTC), *ret_nsec the
 * fraction in nanoseconds (digits beyond nine cut off).  The one parser
 * of both the spec loader and the planner.  Returns 0 or -EINVAL.
 */
int	units_parse_time(const char *s, int64_t *ret_sec, int64_t *ret_nsec);

#endif
