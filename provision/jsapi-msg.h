/* SPDX-License-Identifier: MIT */
/*
 * jsapi-msg: messaging on the client's connection, for the conformance
 * checks and the benchmark: core and JetStream publish, synchronous
 * subscriptions, pull requests, acknowledgements and the metadata of a
 * JetStream delivery.
 */
#ifndef JSAPI_MSG_H
#define JSAPI_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "diag.h"

struct jsapi;

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
 * n JetStream publishes of the len bytes at data to subject with nats.c's
 * own asynchronous JetStream publish, then wait for every
 * acknowledgement: the reference a benchmark compares with.  -EINVAL
 * (n < 1, len above 64 MiB), -ETIMEDOUT (not all acknowledged within the
 * timeout), -EPROTO (a publish was refused, e.g. no stream).
 */
int	jsapi_js_publish_async(struct jsapi *api, const char *subject,
	    const void *data, size_t len, int n, struct diag *d);

#endif
