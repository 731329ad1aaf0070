/* SPDX-License-Identifier: MIT */
/*
 * jsapi: the JetStream API client.  This is the only module that sees
 * nats.c's natsStatus; it translates it, with nats_GetLastError(), into the
 * codes of diag.h.
 *
 * Requests go to $JS.API.<suffix> with JSON built and parsed by cJSON, so
 * every config field is covered, including those nats.c 3.4's structs lack.
 * An API error response ({"error":{"code":..,"err_code":..,
 * "description":..}}) returns -EPROTO with d->api_code and d->err_code set
 * and the server's description in d->msg.
 *
 * Every function returning a cJSON hands its ownership to the caller
 * (free with cJSON_Delete).
 */
#ifndef JSAPI_H
#define JSAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "conn.h"
#include "diag.h"

struct jsapi;

/* What the server said about itself in its INFO line. */
struct jsapi_server {
	char	version[32];		/* "2.9.10" */
	int	version_num;		/* 20910 */
	char	name[128];
	char	id[64];
	char	cluster[128];		/* "" when not clustered */
	char	domain[128];		/* JetStream domain, "" when none */
	bool	jetstream;		/* the account has JetStream */
};

/*
 * Connect with o (see conn.h) and probe the server.  Fails with
 * -ECONNREFUSED (unreachable, or no answer within o->timeout_ms),
 * -EACCES (authentication), -ENOMEM, -EINVAL (bad TLS/creds file).
 * JetStream being disabled is not an error here: see server.jetstream.
 */
int	jsapi_connect(const struct conn_opts *o, struct diag *d,
	    struct jsapi **ret);

void	jsapi_free(struct jsapi *api);

/* Release nats.c's global state at program exit (keeps valgrind clean). */
void	jsapi_shutdown(void);

/* The nats.c version the program was built with: "3.4.1". */
const char *jsapi_nats_version(void);

const struct jsapi_server *jsapi_server(const struct jsapi *api);

/*
 * A server that stops answering (stopped, hung, or a network that drops
 * everything) keeps the connection open.  When a request, acknowledgement
 * or awaited message times out, jsapi sends one PING; without a PONG
 * within the timeout the connection counts as stalled, and from then on
 * every call fails at once with -ETIMEDOUT and the reason, instead of
 * each waiting its own timeout.
 */
bool	jsapi_stalled(const struct jsapi *api);

/* Why the connection counts as stalled ("" when it does not). */
const char *jsapi_stall_reason(const struct jsapi *api);

/*
 * One bounded attempt (a PING within the timeout) to find a stalled server
 * answering again, for cleaning up after a stall: 0 (no longer stalled,
 * or never was) or -ETIMEDOUT.
 */
int	jsapi_revive(struct jsapi *api, struct diag *d);

/* Number of $JS.API requests sent so far (and of mutating ones). */
uint64_t jsapi_request_count(const struct jsapi *api);
uint64_t jsapi_mutation_count(const struct jsapi *api);

/*
 * Send req (NULL for an empty body) to $JS.API.<suffix> and return the
 * parsed response.  -ETIMEDOUT (no reply, or the connection is stalled),
 * -ENOTSUP (no JetStream: 503 no responders), -EPROTO (API error, see
 * above), -EBADMSG (the reply is not a JSON object, is larger than 8 MiB,
 * or its "error" is malformed), -ECONNREFUSED (connection lost).
 */
int	jsapi_request(struct jsapi *api, const char *suffix, const cJSON *req,
	    struct diag *d, cJSON **ret_resp);

/*
 * All StreamInfo objects, read from STREAM.LIST pages, each checked with
 * reply_stream_info().  -EBADMSG when a page is malformed, the total is
 * above 100,000, or a page repeats the previous one; -ETIMEDOUT when the
 * pages do not end within 5 request timeouts.
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

/* STREAM.CREATE / STREAM.UPDATE with a StreamConfig; returns StreamInfo. */
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
 * CONSUMER.CREATE otherwise); returns ConsumerInfo.
 */
int	jsapi_consumer_create(struct jsapi *api, const char *stream,
	    const cJSON *config, struct diag *d, cJSON **ret_info);
int	jsapi_consumer_delete(struct jsapi *api, const char *stream,
	    const char *consumer, struct diag *d);

/* $JS.API.INFO (account info). */
int	jsapi_account_info(struct jsapi *api, struct diag *d,
	    cJSON **ret_info);

/*
 * Message level, for the conformance checks.
 */
struct jsapi_msg {
	char		*subject;
	char		*reply;		/* NULL when none */
	char		*data;		/* NUL-terminated for convenience */
	size_t		 len;
	cJSON		*headers;	/* object: name -> array of values, or
					   NULL; "status" holds a status line
					   such as "404" for JetStream status
					   messages */
};

void	jsapi_msg_free(struct jsapi_msg *m);

struct jsapi_sub;

/* Subscribe synchronously to subject (a fresh inbox when NULL). */
int	jsapi_subscribe(struct jsapi *api, const char *subject,
	    struct diag *d, struct jsapi_sub **ret);
const char *jsapi_sub_subject(const struct jsapi_sub *sub);

/* Next message within timeout_ms; -ETIMEDOUT when none arrived. */
int	jsapi_sub_next(struct jsapi_sub *sub, int64_t timeout_ms,
	    struct diag *d, struct jsapi_msg **ret);
void	jsapi_sub_free(struct jsapi_sub *sub);

/* Core publish; headers as in struct jsapi_msg, may be NULL. */
int	jsapi_publish(struct jsapi *api, const char *subject,
	    const char *reply, const cJSON *headers, const void *data,
	    size_t len, struct diag *d);

/* Flush pending publishes to the server (round trip). */
int	jsapi_flush(struct jsapi *api, struct diag *d);

/*
 * JetStream publish: a request whose reply is the PubAck
 * ({"stream":..,"seq":..,"duplicate":..}).  An error PubAck is -EPROTO.
 */
int	jsapi_js_publish(struct jsapi *api, const char *subject,
	    const cJSON *headers, const void *data, size_t len,
	    struct diag *d, cJSON **ret_ack);

/*
 * Ask a pull consumer for up to batch messages, delivered to sub (its
 * subject is the reply).  expires_ms 0 means no_wait.
 */
int	jsapi_pull(struct jsapi *api, const char *stream, const char *consumer,
	    int batch, int64_t expires_ms, const struct jsapi_sub *sub,
	    struct diag *d);

/* Acknowledge m with "+ACK", "-NAK", "+TERM", "+WPI" (sync: waits for the
 * server to confirm when sync is true). */
int	jsapi_msg_ack(struct jsapi *api, const struct jsapi_msg *m,
	    const char *kind, bool sync, struct diag *d);

/* Parse a JetStream delivery reply subject ($JS.ACK...) into metadata. */
struct jsapi_meta {
	char		stream[256];
	char		consumer[256];
	uint64_t	num_delivered;
	uint64_t	stream_seq;
	uint64_t	consumer_seq;
	uint64_t	num_pending;
};
int	jsapi_msg_meta(const struct jsapi_msg *m, struct jsapi_meta *ret);

/*
 * Reference loop for benchmarks: n asynchronous publishes of size bytes to
 * subject with nats.c's own JetStream async publish, waiting for all acks.
 * Returns elapsed nanoseconds in *ret_ns.
 */
int	jsapi_bench_async_publish(struct jsapi *api, const char *subject,
	    int n, size_t size, struct diag *d, int64_t *ret_ns);

/*
 * Helpers exposed for the unit tests.
 */

/*
 * Parse the server's greeting "INFO {json}" into version, version_num,
 * name, id and cluster of ret (the other fields are left alone).
 * -EPROTO when it is not an INFO line or has no usable version.
 */
int	jsapi_parse_info_line(const char *line, struct jsapi_server *ret,
	    struct diag *d);

/*
 * 0 when the API response resp carries no "error"; otherwise fill d
 * (message, api_code, err_code) and return -EPROTO, or -ENOENT for
 * stream/consumer not found (404, err_code 10059/10014), or -ENOTSUP for
 * JetStream not enabled (503, err_code 10039/10076).
 */
int	jsapi_response_error(const cJSON *resp, struct diag *d);

#endif
