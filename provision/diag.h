/* SPDX-License-Identifier: MIT */
/*
 * diag: the error detail a library function hands back to its caller.
 *
 * Library functions return 0 or a negative errno-style code and never
 * print.  The human-readable detail goes into a caller-owned struct diag,
 * filled by diag_set()/diag_set_at(), which return the code they are given
 * so that an error path is one line:
 *
 *	if (n > MAX)
 *		return diag_set(d, -E2BIG, "'%s' is too large", name);
 *
 * Codes used across the project (the front ends map them to exit codes):
 *	-EINVAL		invalid input (spec, flag value, API payload)
 *	-ENOENT		file or server object not found
 *	-ENOMEM		allocation failed
 *	-E2BIG		an input limit was hit (size, depth, aliases)
 *	-ECONNREFUSED	cannot connect to the server
 *	-EACCES		authentication or authorization failed
 *	-ETIMEDOUT	the server did not answer in time
 *	-ENOTSUP	the server lacks a feature (JetStream, a 2.10 field)
 *	-EPROTO		the server answered with an API error (api_code and
 *			err_code are set)
 *	-EBADMSG	the server's reply cannot be used: not JSON, the wrong
 *			shape or type, a number out of range, too large, or
 *			a list that does not end
 *	-EPERM		a change is blocked (cannot be made in place)
 *	-EIO		any other I/O failure
 *
 * A diag_list collects many diagnostics, for validation that reports every
 * error at once.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

#define DIAG_MSG_MAX	1024
#define DIAG_FILE_MAX	512

/*
 * Exit codes, the same in nats-provision and nats-conformance (README,
 * docs/provision.md, docs/conformance.md, the man pages).
 */
enum diag_exit {
	DIAG_EXIT_OK = 0,	/* ok / in sync / every check passed */
	DIAG_EXIT_FAIL = 1,	/* drift, a change failed, a check failed */
	DIAG_EXIT_USAGE = 2,	/* usage error or invalid spec */
	DIAG_EXIT_CONNECT = 3,	/* cannot connect or authenticate, or a
				   stream did not answer */
	DIAG_EXIT_BLOCKED = 4,	/* apply refused: a change is blocked */
	DIAG_EXIT_SERVER = 5,	/* after connecting, the server did not
				   answer in time or sent a reply that
				   cannot be used (-ETIMEDOUT, -EBADMSG) */
	DIAG_EXIT_PENDING = 6,	/* nats-provision plan --detailed-exitcode:
				   the plan holds changes */
};

struct diag {
	int	code;			/* the negative code last set, or 0 */
	char	file[DIAG_FILE_MAX];	/* "" when not about a file */
	int	line;			/* 1-based; 0 when unknown */
	int	col;			/* 1-based; 0 when unknown */
	int	api_code;		/* JetStream API error "code", or 0 */
	int	err_code;		/* JetStream API error "err_code", or 0 */
	char	msg[DIAG_MSG_MAX];
};

struct diag_list {
	struct diag	*items;
	size_t		 n;
	size_t		 cap;
};

/* Reset d to "no error". d may be NULL. */
void	diag_clear(struct diag *d);

/*
 * Fill d (which may be NULL) with a printf-style message and no location.
 * Returns code unchanged.
 */
int	diag_set(struct diag *d, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* As diag_set(), with a file:line:col location (file may be NULL). */
int	diag_set_at(struct diag *d, int code, const char *file, int line,
	    int col, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/*
 * Prefix d->msg with "what: ", keeping the location; used to add context as
 * an error travels up.  Returns d->code.
 */
int	diag_prefix(struct diag *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Format d as "file:line:col: msg" (or just "msg" without a location) into
 * buf.  Returns buf.
 */
const char *diag_format(const struct diag *d, char *buf, size_t len);

/*
 * The exit code for a library code: -EINVAL, -E2BIG usage; -ECONNREFUSED,
 * -EACCES, -ENOTSUP, -EHOSTUNREACH (a stream did not answer) connect; -EPERM blocked; -ETIMEDOUT, -EBADMSG server;
 * anything else fail.
 */
int	diag_exit_code(int code);

/*
 * Copy s (NULL is "") into buf for a message, with every character that
 * could steer a terminal shown as \xNN: C0 controls, DEL, the C1 controls
 * (U+0080..U+009F) and bytes that are not well-formed UTF-8.  At most max
 * bytes of s are copied, then "..." (as also when buf is too small; a buf
 * of max * 4 + 4 bytes always suffices).  Returns buf.  The one quoting
 * rule for text from spec files and from the server.
 */
const char *diag_quote(const char *s, size_t max, char *buf, size_t len);

/* A buffer that holds max bytes quoted: each may become "\xNN". */
#define DIAG_QUOTE_BUF(max)	((max) * 4 + 4)

/* The longest text a message quotes back, and a buffer that holds it. */
#define DIAG_QUOTE_MAX	80
#define DIAG_QUOTE_LEN	DIAG_QUOTE_BUF(DIAG_QUOTE_MAX)

/* Append a copy of d to l.  Returns 0 or -ENOMEM. */
int	diag_list_add(struct diag_list *l, const struct diag *d);

/* Append a new located entry.  Returns code, or -ENOMEM. */
int	diag_list_addf(struct diag_list *l, int code, const char *file,
	    int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/* Sort by file, line, column (stable for equal locations). */
void	diag_list_sort(struct diag_list *l);

/* Free the entries; l itself is caller-owned.  NULL is a no-op. */
void	diag_list_free(struct diag_list *l);

#endif
