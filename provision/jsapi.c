/* SPDX-License-Identifier: MIT */
/*
 * jsapi: the JetStream client's connection, on nats.c: options,
 * authentication, TLS, connect, and the stall state every call of the
 * family consults.
 *
 * The family (jsapi-int.h) is the only code that sees natsStatus.  Errors
 * are translated into the codes of diag.h; nats.c's error text is used
 * only when it cannot carry a URL (and so no credentials).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nats/nats.h>

#include "jsapi-int.h"

#define JSAPI_SIGN_TRIES	3	/* see jsapi_connect() */
#define JSAPI_RECONNECTS_PER_URL 4	/* see jsapi_options() */
#define JSAPI_RECONNECT_WAIT_MS	100


/*
 * nats.c's last error for s, without its "(file.c:123): " origin, or the
 * generic text of s when the detail might quote a URL and so a password.
 */
const char *
jsapi_error_text(natsStatus s, char *buf, size_t len)
{
	const char	*t, *p;
	natsStatus	 last = NATS_OK;

	t = nats_GetLastError(&last);
	if (t != NULL && *t == '(' && (p = strstr(t, "): ")) != NULL)
		t = p + 3;
	/* The last error may be left over from an earlier failure. */
	if (last != s || t == NULL || *t == '\0' || strchr(t, '@') != NULL ||
	    strstr(t, "://") != NULL)
		t = natsStatus_GetText(s);
	snprintf(buf, len, "%s", t);
	return buf;
}

/* The code of diag.h for a failure of an operation on a live connection. */
static int
jsapi_errno(natsStatus s)
{
	switch (s) {
	case NATS_NO_MEMORY:
		return -ENOMEM;
	case NATS_TIMEOUT:
		return -ETIMEDOUT;
	case NATS_NO_RESPONDERS:
		return -ENOTSUP;
	case NATS_CONNECTION_AUTH_FAILED:
	case NATS_NOT_PERMITTED:
		return -EACCES;
	case NATS_NO_SERVER:
	case NATS_IO_ERROR:
	case NATS_CONNECTION_CLOSED:
	case NATS_CONNECTION_DISCONNECTED:
	case NATS_STALE_CONNECTION:
	case NATS_NOT_YET_CONNECTED:
	case NATS_SECURE_CONNECTION_WANTED:
	case NATS_SECURE_CONNECTION_REQUIRED:
	case NATS_SSL_ERROR:
		return -ECONNREFUSED;
	case NATS_INVALID_ARG:
	case NATS_INVALID_SUBJECT:
		return -EINVAL;
	case NATS_MAX_PAYLOAD:
		return -E2BIG;
	default:
		return -EIO;
	}
}

/* Fill d for status s of an operation described by what. */
int
jsapi_fail(natsStatus s, struct diag *d, const char *what)
{
	char	text[256];

	return diag_set(d, jsapi_errno(s), "%s: %s", what,
	    jsapi_error_text(s, text, sizeof(text)));
}

/*
 * A stalled server keeps the TCP connection open and answers nothing, so
 * every request would wait its own timeout.  After a timeout, one PING
 * tells a slow responder from a server that stopped answering; in the
 * latter case every later call fails at once (jsapi_stalled()).
 */
void
jsapi_note_timeout(struct jsapi *api, const char *what)
{
	if (api->stalled)
		return;
	if (natsConnection_FlushTimeout(api->nc, api->timeout_ms) !=
	    NATS_TIMEOUT)
		return;
	api->stalled = true;
	snprintf(api->stall, sizeof(api->stall), "the server stopped "
	    "answering (%s, and no PONG to a PING within %" PRId64 " ms)",
	    what, api->timeout_ms);
}

/* -ETIMEDOUT at once when the server stopped answering, else 0. */
int
jsapi_check_stall(const struct jsapi *api, struct diag *d)
{
	if (!api->stalled)
		return 0;
	return diag_set(d, -ETIMEDOUT, "not sent: %s", api->stall);
}

bool
jsapi_stalled(const struct jsapi *api)
{
	return api->stalled;
}

const char *
jsapi_stall_reason(const struct jsapi *api)
{
	return api->stalled ? api->stall : "";
}

int
jsapi_revive(struct jsapi *api, struct diag *d)
{
	if (!api->stalled)
		return 0;
	if (natsConnection_FlushTimeout(api->nc, api->timeout_ms) ==
	    NATS_OK) {
		api->stalled = false;
		api->stall[0] = '\0';
		return 0;
	}
	return diag_set(d, -ETIMEDOUT, "%s; no PONG to one more PING "
	    "within %" PRId64 " ms", api->stall, api->timeout_ms);
}

const char *
jsapi_nats_version(void)
{
	return nats_GetVersion();
}

void
jsapi_shutdown(void)
{
	/* Waits for nats.c's threads, so that none is alive at exit. */
	nats_CloseAndWait(5000);
}

/*
 * Stream and consumer names become subject tokens: a '.', a wildcard or
 * a space would send the request to another subject.
 */
int
jsapi_check_name(const char *kind, const char *name, struct diag *d)
{
	const char	*p;
	char		 q[DIAG_QUOTE_BUF(JSAPI_QUOTE_MAX)];

	if (name == NULL || *name == '\0')
		return diag_set(d, -EINVAL, "missing %s name", kind);
	if (strlen(name) > JSAPI_NAME_MAX)
		return diag_set(d, -EINVAL, "%s name '%s' is longer than %d "
		    "characters", kind, diag_quote(name, 32, q, sizeof(q)),
		    JSAPI_NAME_MAX);
	for (p = name; *p != '\0'; p++)
		if (*p == '.' || *p == '*' || *p == '>' ||
		    (unsigned char)*p <= ' ' || *p == 0x7f)
			return diag_set(d, -EINVAL, "invalid %s name '%s': "
			    "'.', '*', '>' and white space are not allowed",
			    kind, diag_quote(name, JSAPI_QUOTE_MAX, q,
			    sizeof(q)));
	return 0;
}

int64_t
jsapi_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Connecting.
 */

static bool
jsapi_wants_tls(const struct conn_opts *o)
{
	return o->tls_cert != NULL || o->tls_key != NULL ||
	    o->tls_ca != NULL || strstr(o->url, "tls://") != NULL;
}

/*
 * The credentials of the server list: nats.c would take a URL's user info
 * raw (no percent-decoding), so it is taken out here, decoded, and wins
 * over --user/--password/--token as it would in nats.c.  Every URL that
 * carries user info must carry the same.
 */
static int
jsapi_url_auth(const struct conn_url *v, size_t n, struct diag *d,
    const struct conn_url **ret)
{
	const struct conn_url	*first = NULL;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (v[i].user == NULL)
			continue;
		if (first == NULL) {
			first = &v[i];
			continue;
		}
		if (strcmp(first->user, v[i].user) != 0 ||
		    (first->password == NULL) != (v[i].password == NULL) ||
		    (first->password != NULL &&
		    strcmp(first->password, v[i].password) != 0))
			return diag_set(d, -EINVAL, "server URL %zu of the list "
			    "carries other credentials than an earlier one; "
			    "give them once with --user/--password", i + 1);
	}
	*ret = first;
	return 0;
}

static int
jsapi_set_auth(natsOptions *opts, const struct conn_opts *o,
    const struct conn_url *u, struct diag *d)
{
	natsStatus	 s = NATS_OK;
	char		*pub = NULL;
	int		 r;

	if (u != NULL && u->password == NULL)
		s = natsOptions_SetToken(opts, u->user);
	else if (u != NULL)
		s = natsOptions_SetUserInfo(opts, u->user, u->password);
	else {
		if (o->user != NULL || o->password != NULL)
			s = natsOptions_SetUserInfo(opts, o->user,
			    o->password);
		if (s == NATS_OK && o->token != NULL)
			s = natsOptions_SetToken(opts, o->token);
	}
	if (s != NATS_OK)
		return jsapi_fail(s, d, "cannot set the user or token");
	if (o->creds != NULL) {
		if ((r = conn_check_file("credentials file", o->creds, d)) < 0)
			return r;
		s = natsOptions_SetUserCredentialsFromFiles(opts, o->creds,
		    NULL);
		if (s != NATS_OK)
			return diag_set(d, -EINVAL, "cannot use credentials "
			    "file '%s'", o->creds);
	}
	if (o->nkey != NULL) {
		if ((r = conn_check_file("nkey seed file", o->nkey, d)) < 0 ||
		    (r = conn_nkey_public(o->nkey, d, &pub)) < 0)
			return r;
		s = natsOptions_SetNKeyFromSeed(opts, pub, o->nkey);
		free(pub);
		if (s != NATS_OK)
			return diag_set(d, -EINVAL, "cannot use nkey seed "
			    "file '%s'", o->nkey);
	}
	return 0;
}

static int
jsapi_set_tls(natsOptions *opts, const struct conn_opts *o,
    struct diag *d)
{
	char		text[256];
	natsStatus	s;
	int		r;

	if (!jsapi_wants_tls(o))
		return 0;
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return diag_set(d, -EINVAL, "a TLS client certificate needs "
		    "both a certificate and a key file");
	if ((s = natsOptions_SetSecure(opts, true)) != NATS_OK)
		return diag_set(d, -EINVAL, "cannot enable TLS: %s",
		    jsapi_error_text(s, text, sizeof(text)));
	if (o->tls_cert != NULL) {
		if ((r = conn_check_file("TLS certificate", o->tls_cert,
		    d)) < 0 || (r = conn_check_file("TLS key", o->tls_key,
		    d)) < 0)
			return r;
		s = natsOptions_LoadCertificatesChain(opts, o->tls_cert,
		    o->tls_key);
		if (s != NATS_OK)
			return diag_set(d, -EINVAL, "cannot load TLS "
			    "certificate '%s' with key '%s': %s", o->tls_cert,
			    o->tls_key, jsapi_error_text(s, text,
			    sizeof(text)));
	}
	if (o->tls_ca != NULL) {
		if ((r = conn_check_file("TLS CA", o->tls_ca, d)) < 0)
			return r;
		s = natsOptions_LoadCATrustedCertificates(opts, o->tls_ca);
		if (s != NATS_OK)
			return diag_set(d, -EINVAL, "cannot load TLS CA '%s': "
			    "%s", o->tls_ca, jsapi_error_text(s, text,
			    sizeof(text)));
	}
	return 0;
}

static int
jsapi_options(const struct conn_opts *o, struct diag *d, natsOptions **ret)
{
	const struct conn_url	 *auth = NULL;
	struct conn_url		 *v = NULL;
	natsOptions		 *opts = NULL;
	natsStatus		  s;
	const char		**urls = NULL;
	size_t			  n = 0, i;
	int			  r = 0;

	if (natsOptions_Create(&opts) != NATS_OK)
		return diag_set(d, -ENOMEM, "out of memory");
	if ((r = conn_url_list(o->url, d, &v, &n)) < 0 ||
	    (r = jsapi_url_auth(v, n, d, &auth)) < 0)
		goto out;
	if (n > INT_MAX || (urls = calloc(n, sizeof(*urls))) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		urls[i] = v[i].bare;
	/*
	 * A CLI run against one server should fail, not retry: no
	 * reconnects.  Given several (a cluster), a node that goes away is
	 * left for the others, a bounded number of times.
	 */
	s = natsOptions_SetServers(opts, urls, (int)n);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(opts, o->timeout_ms);
	if (s == NATS_OK)
		s = natsOptions_SetAllowReconnect(opts, n > 1);
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(opts, n > 1 ?
		    JSAPI_RECONNECTS_PER_URL * (int)n : 0);
	if (s == NATS_OK && n > 1)
		s = natsOptions_SetReconnectWait(opts,
		    JSAPI_RECONNECT_WAIT_MS);
	if (s == NATS_OK)
		s = natsOptions_SetName(opts, "nats-jetstream-suite");
	if (s == NATS_OK && o->inbox_prefix != NULL)
		s = natsOptions_SetCustomInboxPrefix(opts, o->inbox_prefix);
	if (s != NATS_OK) {
		r = s == NATS_NO_MEMORY ? diag_set(d, -ENOMEM, "out of memory") :
		    diag_set(d, -EINVAL, "invalid server URL or timeout");
		goto out;
	}
	if ((r = jsapi_set_auth(opts, o, auth, d)) < 0 ||
	    (r = jsapi_set_tls(opts, o, d)) < 0)
		goto out;
	*ret = opts;
	opts = NULL;
out:
	free(urls);
	conn_url_list_free(v, n);
	natsOptions_Destroy(opts);
	return r;
}

static int
jsapi_connect_error(natsStatus s, const struct conn_opts *o,
    struct diag *d)
{
	char	 text[256];
	char	*shown = NULL;
	int	 r;

	jsapi_error_text(s, text, sizeof(text));
	if (conn_redact_url(o->url, &shown) < 0)
		return diag_set(d, -ENOMEM, "out of memory");
	if (s == NATS_TIMEOUT)
		r = diag_set(d, -ECONNREFUSED, "cannot connect to '%s': no "
		    "answer within %" PRId64 " ms", shown, o->timeout_ms);
	/* The server's -ERR says "Authorization Violation". */
	else if (s == NATS_CONNECTION_AUTH_FAILED || s == NATS_NOT_PERMITTED ||
	    strstr(text, "uthorization") != NULL ||
	    strstr(text, "uthentication") != NULL)
		r = diag_set(d, -EACCES, "cannot connect to '%s': %s (check "
		    "the user, password, token, creds or nkey)", shown, text);
	else if (s == NATS_NO_MEMORY)
		r = diag_set(d, -ENOMEM, "out of memory");
	/*
	 * A server that requires a client certificate drops the connection
	 * during the handshake; nats.c then only says it got no PONG.
	 */
	else if (strstr(text, "PONG") != NULL)
		r = diag_set(d, -ECONNREFUSED, "cannot connect to '%s': the "
		    "server closed the connection during the handshake (%s); "
		    "if it requires a TLS client certificate, pass --tlscert "
		    "and --tlskey", shown, text);
	else
		r = diag_set(d, -ECONNREFUSED, "cannot connect to '%s': %s",
		    shown, s == NATS_NO_SERVER ? "connection refused or no "
		    "server reachable" : text);
	free(shown);
	return r;
}

int
jsapi_connect(const struct conn_opts *o, struct diag *d,
    struct jsapi **ret)
{
	struct jsapi	*api = NULL;
	natsOptions	*opts = NULL;
	natsStatus	 s;
	int		 r, tries;

	if (o->url == NULL || o->timeout_ms <= 0)
		return diag_set(d, -EINVAL, "connection options were not "
		    "finished (no URL or timeout)");
	if (nats_Open(-1) != NATS_OK)
		return diag_set(d, -ENOMEM, "cannot initialise the NATS "
		    "library");
	if ((api = calloc(1, sizeof(*api))) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	api->timeout_ms = o->timeout_ms;
	if (conn_api_prefix(o, api->prefix, sizeof(api->prefix)) == NULL) {
		r = diag_set(d, -EINVAL, "the JetStream API prefix is longer "
		    "than %d bytes", JSAPI_PREFIX_MAX - 1);
		goto out;
	}
	api->custom_prefix = o->js_domain != NULL || o->js_api_prefix != NULL;
	if ((r = jsapi_options(o, d, &opts)) < 0)
		goto out;
	/*
	 * nats.c 3.4 now and then (about 1 connection in 200, measured
	 * against nats-server and against a scripted server) sends a CONNECT
	 * without the nkey and signature that the server's nonce asks for,
	 * and the server refuses it as an authorization violation.  The next
	 * connection gets a new nonce, so a user who signs (nkey or creds)
	 * tries again, a bounded number of times; a wrong key still fails.
	 */
	for (tries = 1; ; tries++) {
		if ((s = natsConnection_Connect(&api->nc, opts)) == NATS_OK)
			break;
		natsConnection_Destroy(api->nc);
		api->nc = NULL;
		r = jsapi_connect_error(s, o, d);
		if (r != -EACCES || (o->nkey == NULL && o->creds == NULL) ||
		    tries >= JSAPI_SIGN_TRIES)
			goto out;
	}
	if ((r = jsapi_probe(api, d)) < 0)
		goto out;
	*ret = api;
	api = NULL;
out:
	natsOptions_Destroy(opts);
	jsapi_free(api);
	return r;
}

void
jsapi_free(struct jsapi *api)
{
	if (api == NULL)
		return;
	natsConnection_Destroy(api->nc);
	free(api);
}

