/* SPDX-License-Identifier: MIT */
/*
 * report: the result model shared by nats-provision check and
 * nats-conformance, and its writers (junit.c, console.c, json.c).
 *
 * A report holds suites; a suite holds cases.  Strings are copied in; the
 * report owns everything it holds.  The writers (junit.h, console.h,
 * json.h) render into a malloc'ed, NUL-terminated string that the caller
 * writes out: nothing here prints.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum report_status {
	REPORT_PASS,
	REPORT_FAIL,		/* an assertion failed: <failure> */
	REPORT_ERROR,		/* the environment broke: <error> */
	REPORT_SKIP,		/* not run: <skipped message=reason> */
};

struct report_case {
	char			*name;
	char			*classname;
	enum report_status	 status;
	double			 seconds;
	char			*message;	/* one line; NULL on pass */
	char			*detail;	/* body text; may be NULL */
};

struct report_suite {
	char			*name;
	time_t			 timestamp;	/* start, UTC */
	struct report_case	*cases;
	size_t			 ncases;
	size_t			 cap;
};

struct report_prop {
	char	*name;
	char	*value;
};

struct report {
	char			*name;		/* <testsuites name=...> */
	char			*hostname;
	struct report_prop	*props;		/* same on every suite */
	size_t			 nprops;
	struct report_suite	*suites;
	size_t			 nsuites;
	uint64_t		 wall_ms;	/* the whole run; 0: not
						   measured */
};

/* Returns 0 and a new empty report, or -ENOMEM. */
int	report_new(const char *name, struct report **ret);
void	report_free(struct report *r);

/* Add or replace a property.  Returns 0 or -ENOMEM. */
int	report_set_prop(struct report *r, const char *name, const char *value);

/*
 * The suite called name, created (stamped with now) when missing.
 * Returns 0 or -ENOMEM.  *ret stays valid until the next report_suite().
 */
int	report_suite(struct report *r, const char *name,
	    struct report_suite **ret);

/* Append a case; message/detail may be NULL.  Returns 0 or -ENOMEM. */
int	report_add_case(struct report_suite *s, const char *name,
	    const char *classname, enum report_status status, double seconds,
	    const char *message, const char *detail);

/* Totals over the whole report, indexed by enum report_status. */
void	report_counts(const struct report *r, size_t ret_counts[4]);

/* "pass", "FAIL", "ERROR", "skip". */
const char *report_status_name(enum report_status s);

/* Write s to path atomically (temp file + rename).  0 or -errno. */
int	report_write_file(const char *path, const char *s);

/*
 * report_write_file() writes PATH.tmp.XXXXXX beside PATH, fsyncs it and
 * renames it over PATH; the file is mode 0644.  A missing parent directory
 * is created (one level only: a missing grandparent is -ENOENT).
 */

/*
 * Helpers shared by the writers.
 */

/* Totals of one suite, indexed by enum report_status. */
void	report_suite_counts(const struct report_suite *s,
	    size_t ret_counts[4]);

/* The largest duration the writers show: 1e12 ms (about 31 years). */
#define REPORT_MILLIS_MAX	1000000000000ULL

/*
 * seconds rounded to whole milliseconds; negative and NaN give 0, larger
 * than REPORT_MILLIS_MAX (and +inf) give REPORT_MILLIS_MAX.
 */
uint64_t report_millis(double seconds);

/* Sum of report_millis() over the cases of s (or of every suite of r). */
uint64_t report_suite_millis(const struct report_suite *s);
uint64_t report_total_millis(const struct report *r);

/*
 * How long the run took: r->wall_ms when the caller measured it (checks
 * that run side by side take less than their sum), else
 * report_total_millis().  The console and JSON summaries show this; the
 * cases keep their own times.
 */
uint64_t report_run_millis(const struct report *r);

/*
 * ms as seconds with exactly three decimals and a dot ("0.012"), made with
 * integer arithmetic so that the process locale cannot change it.  buf has
 * REPORT_SECONDS_LEN bytes; returns buf.
 */
#define REPORT_SECONDS_LEN	32
const char *report_seconds(uint64_t ms, char *buf);

/*
 * t in UTC as "YYYY-MM-DDTHH:MM:SS" (no zone: the Ant JUnit schema forbids
 * one).  A time outside years 1..9999 gives "1970-01-01T00:00:00".  buf
 * has REPORT_TIMESTAMP_LEN bytes; returns buf.
 */
#define REPORT_TIMESTAMP_LEN	20
const char *report_timestamp(time_t t, char *buf);

/*
 * A clean copy of s (NULL is taken as ""): well-formed UTF-8 holding only
 * characters that XML 1.0 allows.  Each byte that does not start a
 * well-formed UTF-8 sequence becomes U+FFFD; C0 controls other than tab,
 * LF and CR, UTF-8-encoded surrogates, U+FFFE and U+FFFF are dropped.
 * With REPORT_CLEAN_LINE the result is also safe as one terminal line:
 * tab, LF and CR become a space and DEL and the C1 controls are dropped.
 * Returns 0 or -ENOMEM.
 */
#define REPORT_CLEAN_LINE	0x1
int	report_clean(const char *s, int flags, char **ret);

#endif
