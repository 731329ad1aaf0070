/* SPDX-License-Identifier: MIT */
/*
 * json: render a report as one JSON document, for dashboards and scripts.
 *
 *	{
 *	  "name": "nats-conformance", "hostname": "ci-7",
 *	  "properties": { "server.url": "nats://127.0.0.1:4222", ... },
 *	  "summary": { "tests": 5, "passed": 2, "failed": 1, "errors": 1,
 *	               "skipped": 1, "time": 1.212 },
 *	  "suites": [ {
 *	    "name": "ORDERS", "timestamp": "2024-05-01T12:00:00Z",
 *	    "tests": 3, "passed": 1, "failed": 1, "errors": 0, "skipped": 1,
 *	    "time": 0.012,
 *	    "cases": [ { "name": "limits.discard-new",
 *	                 "classname": "limits.ORDERS", "status": "fail",
 *	                 "time": 0.012, "message": "...", "detail": "..." } ]
 *	  } ]
 *	}
 *
 * "status" is "pass", "fail", "error" or "skip".  "time" is seconds,
 * rounded to the millisecond like the other writers (a suite's time is the
 * sum of its cases'; the summary's is report_run_millis(), the run's wall
 * time when it was measured).  "message" and "detail" are left out when NULL.
 * "timestamp" is UTC with a "Z".  Property values are copied verbatim
 * (callers pass URLs already redacted).  Every string goes through
 * report_clean(), so the document is well-formed UTF-8.  Ends with a
 * newline.
 */
#ifndef JSON_H
#define JSON_H

#include "report.h"

/* Returns 0 and a malloc'ed, NUL-terminated document in *ret, or -ENOMEM. */
int	json_render(const struct report *r, char **ret);

#endif
