/* SPDX-License-Identifier: MIT */
/*
 * console: render a report for a terminal or a CI log.
 *
 * One line per case, in report order:
 *
 *	STATUS  TIME  SUITE/NAME[ (CLASSNAME)][  MESSAGE]
 *	pass     0.012s  drift/ORDERS
 *	FAIL     0.000s  drift/ORDERS/c1  drifted from its spec: max_msgs
 *
 * When a name occurs more than once in a suite (the same check on several
 * streams), each of those lines also shows its classname in parentheses so
 * that a reader can tell them apart.
 *
 * STATUS is report_status_name() padded to 5 columns, TIME is seconds with
 * three decimals and a dot (right-aligned, 8 columns, then "s").  Then one
 * summary line:
 *
 *	N passed, N failed, N errors, N skipped in X.XXXs
 *
 * where X.XXX is the run's wall time (report_run_millis()): less than the
 * sum of the case times when checks ran side by side.
 *
 * The case detail is not shown.  Names and messages go through
 * report_clean(REPORT_CLEAN_LINE): no control characters or escape
 * sequences from a server reach the terminal, and each case stays on one
 * line.  With color, the status word is wrapped in ANSI SGR codes (pass
 * green, FAIL red, ERROR magenta, skip yellow); the columns do not move.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>

#include "report.h"

/* Returns 0 and a malloc'ed, NUL-terminated text in *ret, or -ENOMEM. */
int	console_render(const struct report *r, bool color, char **ret);

#endif
