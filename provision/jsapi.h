/* SPDX-License-Identifier: MIT */
/*
 * jsapi: the JetStream client's connection.  The client is a family of
 * modules around one struct jsapi:
 *
 *	jsapi.c		the connection: options, authentication, TLS,
 *			connect, reconnects on a cluster, stall detection
 *	jsapi-server.c	what the server and the account are (INFO line,
 *			version, cluster size, $JS.API.INFO)
 *	jsapi-request.c	$JS.API requests: request/reply, retries while a
 *			cluster is busy, LIST paging, stream and consumer
 *			info, create, update, delete
 *	jsapi-msg.c	messaging for the conformance checks: publish,
 *			subscribe, pull, acknowledge
 *
 * Only the family sees nats.c's natsStatus (jsapi-int.h, private); it is
 * translated, with nats_GetLastError(), into the codes of diag.h.  This
 * header includes the three others, so a caller of the client includes
 * jsapi.h alone.
 */
#ifndef JSAPI_H
#define JSAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "diag.h"

struct jsapi;

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

#include "jsapi-server.h"
#include "jsapi-request.h"
#include "jsapi-msg.h"

#endif
