/* SPDX-License-Identifier: MIT */
/*
 * monitor: a small HTTP client for the nats-server monitoring port
 * (/healthz, /varz, /jsz), built on libcurl's easy API and cJSON.
 *
 * Only http and https are allowed, redirects are never followed, a
 * response body is capped at MONITOR_MAX_BYTES and every request is
 * bounded by a timeout.  User info in the URL (percent-encoded, up to the
 * last '@') is handed to curl apart from the URL and never appears in a
 * message: URLs are printed through conn_redact_url().
 */
#ifndef MONITOR_H
#define MONITOR_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"

#define MONITOR_MAX_BYTES	(8 * 1024 * 1024)

/*
 * GET base_url + path and parse the body as JSON.  Returns 0 when the
 * server answered at all, with *ret_http_status set and *ret_json the
 * parsed body (NULL when a non-2xx body is not JSON).  Errors:
 *	-EINVAL		malformed URL (or percent-escape in its user info) or
 *			a scheme other than http/https
 *	-ECONNREFUSED	nothing listens there (or the host is unknown)
 *	-ETIMEDOUT	no complete answer within timeout_ms
 *	-E2BIG		the body exceeds MONITOR_MAX_BYTES
 *	-EPROTO		a 2xx body that is not JSON
 *	-ENOMEM, -EIO
 */
int	monitor_get(const char *base_url, const char *path, long timeout_ms,
	    struct diag *d, cJSON **ret_json, long *ret_http_status);

/*
 * base_url and path joined with exactly one '/' between them (path may or
 * may not start with '/').  Returns 0, -EINVAL (empty base) or -ENOMEM.
 */
int	monitor_join_url(const char *base_url, const char *path, char **ret);

#endif
