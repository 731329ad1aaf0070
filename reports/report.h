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

#endif
