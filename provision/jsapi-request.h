/* SPDX-License-Identifier: MIT */
/*
 * jsapi-request: $JS.API requests.  Requests go to $JS.API.<suffix> (or
 * the domain's or API prefix's subject) with JSON built and parsed by
 * cJSON, so every config field is covered, including those nats.c 3.4's
 * structs lack.  An API error response ({"error":{"code":..,"err_code":..,
 * "description":..}}) returns -EPROTO with d->api_code and d->err_code set
 * and the server's description in d->msg.
 *
 * Every function returning a cJSON hands its ownership to the caller
 * (free with cJSON_Delete).
 *
 * With NATS_PROVISION_TRACE=FILE in the environment, every $JS.API
 * request (pull requests of jsapi_pull() too) appends one JSON line to
 * FILE (created 0600): {"subject":"$JS.API.<suffix>","body":<the request,
 * or null>}, for the tests that validate the bodies against the API's
 * schemas.  The subject is the standard one whatever the domain or API
 * prefix; request bodies carry configs, never credentials.  A trace that
 * cannot be written is skipped: the request goes out regardless.
 */
#define JSAPI_TRACE_ENV	"NATS_PROVISION_TRACE"

#ifndef JSAPI_REQUEST_H
#define JSAPI_REQUEST_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "diag.h"

struct jsapi;

/* Number of $JS.API requests sent so far (and of mutating ones). */
uint64_t jsapi_request_count(const struct jsapi *api);
uint64_t jsapi_mutation_count(const struct jsapi *api);

/* Requests sent again after a transient cluster answer (see below). */
uint64_t jsapi_retry_count(const struct jsapi *api);

/*
 * Send req (NULL for an empty body) to $JS.API.<suffix> and return the
 * parsed response.  -ETIMEDOUT (no reply, or the connection is stalled),
 * -ENOTSUP (no JetStream: 503 no responders), -EPROTO (API error, see
 * above), -EBADMSG (the reply is not a JSON object, is larger than 8 MiB,
 * or its "error" is malformed), -ECONNREFUSED (connection lost).
 *
 * On a cluster, an answer that only says the cluster is busy (electing a
 * leader) is asked again, with a backoff of 50 ms doubling to 1 s, until
 * the request timeout counted from the first try has passed; then the
 * last answer counts.  Busy is: no responders on a clustered server,
 * err_code 10008 ("JetStream system temporarily unavailable") or 10009
 * ("JetStream cluster can not handle request"), and a 503 without an
 * err_code; not other 503s ("insufficient resources" 10023 stays).  A request that timed
 * out is never sent again: its effect is unknown.
 */
int	jsapi_request(struct jsapi *api, const char *suffix, const cJSON *req,
	    struct diag *d, cJSON **ret_resp);

/*
 * All StreamInfo objects, read from STREAM.LIST pages, each checked with
 * reply_stream_info().  -EBADMSG when a page is malformed, the total is
 * above 100,000, or a page repeats the previous one; -ETIMEDOUT when the
 * pages do not end within 5 request timeouts; -EHOSTUNREACH when a page
 * lists streams as "missing" (a cluster could not reach any replica of
 * them: they exist, but what they hold is unknown) twice, the list read
 * again 500 ms after the first, and d names them.
 */
int	jsapi_stream_list(struct jsapi *api, struct diag *d,
	    cJSON **ret_array);

/* All ConsumerInfo objects of one stream, from CONSUMER.LIST pages (as
 * jsapi_stream_list(), checked with reply_consumer_info()). */
int	jsapi_consumer_list(struct jsapi *api, const char *stream,
	    struct diag *d, cJSON **ret_array);

/*
 * STREAM.INFO; -ENOENT when the stream does not exist.  Every StreamInfo
 * and ConsumerInfo these return has passed reply_stream_info() or
 * reply_consumer_info() (else -EBADMSG).
 */
int	jsapi_stream_info(struct jsapi *api, const char *stream,
	    struct diag *d, cJSON **ret_info);

/* CONSUMER.INFO; -ENOENT when it does not exist. */
int	jsapi_consumer_info(struct jsapi *api, const char *stream,
	    const char *consumer, struct diag *d, cJSON **ret_info);

/*
 * STREAM.CREATE / STREAM.UPDATE with a StreamConfig; returns StreamInfo.
 * A config holding "pedantic": true (2.11+) asks the server to refuse
 * what it would otherwise change silently.
 */
int	jsapi_stream_create(struct jsapi *api, const cJSON *config,
	    struct diag *d, cJSON **ret_info);
int	jsapi_stream_update(struct jsapi *api, const cJSON *config,
	    struct diag *d, cJSON **ret_info);
int	jsapi_stream_delete(struct jsapi *api, const char *stream,
	    struct diag *d);
int	jsapi_stream_purge(struct jsapi *api, const char *stream,
	    struct diag *d);

/*
 * Create or update a consumer (CONSUMER.DURABLE.CREATE for durables,
 * CONSUMER.CREATE otherwise); returns ConsumerInfo.  A "pedantic": true
 * in config is moved to the request, where the API reads it.
 */
int	jsapi_consumer_create(struct jsapi *api, const char *stream,
	    const cJSON *config, struct diag *d, cJSON **ret_info);
int	jsapi_consumer_delete(struct jsapi *api, const char *stream,
	    const char *consumer, struct diag *d);

/*
 * 0 when the API response resp carries no "error"; otherwise fill d
 * (message, api_code, err_code) and return -EPROTO, or -ENOENT for
 * stream/consumer not found (404, err_code 10059/10014), or -ENOTSUP for
 * JetStream not enabled (503, err_code 10039/10076).
 */
int	jsapi_response_error(const cJSON *resp, struct diag *d);

#endif
