/* SPDX-License-Identifier: MIT */
/*
 * jsapi-int: private to the JetStream client family (jsapi.c,
 * jsapi-server.c, jsapi-request.c, jsapi-msg.c); no other module may
 * include it.  It holds the connection's state and the translation of
 * nats.c's natsStatus into the codes of diag.h, so that natsStatus never
 * leaves the family.
 */
#ifndef JSAPI_INT_H
#define JSAPI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "jsapi.h"

#define JSAPI_SUBJECT_MAX	1024
#define JSAPI_PREFIX_MAX	256
#define JSAPI_NAME_MAX		255
#define JSAPI_QUOTE_MAX		200
#define JSAPI_CLUSTER_MAX	64	/* servers counted in connect_urls */

struct jsapi {
	natsConnection		*nc;
	char			 prefix[JSAPI_PREFIX_MAX];	/* $JS.API */
	bool			 custom_prefix;	/* domain or API prefix */
	struct jsapi_server	 server;
	int64_t			 timeout_ms;
	uint64_t		 requests;
	uint64_t		 mutations;
	uint64_t		 retries;	/* busy-cluster answers asked again */
	bool			 stalled;	/* see jsapi_stalled() */
	char			 stall[512];	/* what showed it */
};

/*
 * jsapi.c
 */

/* nats.c's last error for s, in buf; never one that may quote a URL. */
const char *jsapi_error_text(natsStatus s, char *buf, size_t len);

/* Fill d for status s of an operation described by what; returns the
 * code of diag.h for s. */
int	jsapi_fail(natsStatus s, struct diag *d, const char *what);

/* After a timeout: one PING; without a PONG the connection is stalled. */
void	jsapi_note_timeout(struct jsapi *api, const char *what);

/* -ETIMEDOUT at once when the connection is stalled, else 0. */
int	jsapi_check_stall(const struct jsapi *api, struct diag *d);

/* 0, or -EINVAL when name cannot be a subject token (kind: "stream"). */
int	jsapi_check_name(const char *kind, const char *name, struct diag *d);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t	jsapi_now_ms(void);

/*
 * jsapi-server.c
 */

/* Read the server's INFO and the account's JetStream into api->server:
 * 0, -ECONNREFUSED, -EPROTO, or a jsapi_request() error. */
int	jsapi_probe(struct jsapi *api, struct diag *d);

/*
 * jsapi-request.c
 */

/* Parse the JSON reply to subject into *ret (caller frees), turning an
 * API error into its code: 0, -EBADMSG, -ENOMEM, or as
 * jsapi_response_error(). */
int	jsapi_parse_reply(natsMsg *reply, const char *subject,
	    struct diag *d, cJSON **ret);

/* Append {"subject":"$JS.API.<suffix>","body":...} to the file named by
 * JSAPI_TRACE_ENV, when set (see jsapi-request.h). */
void	jsapi_trace(const char *suffix, const char *body);

#endif
