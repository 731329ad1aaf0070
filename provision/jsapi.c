/* SPDX-License-Identifier: MIT */
/*
 * jsapi: the JetStream API client, on nats.c for the connection and on
 * cJSON for every request and response, so that no config field is lost
 * to nats.c's own structs.
 *
 * This is the only module that sees natsStatus.  Errors are translated
 * into the codes of diag.h; nats.c's error text is used only when it
 * cannot carry a URL (and so no credentials).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#include "jint.h"
#include "jsapi.h"
#include "reply.h"

#define JSAPI_SUBJECT_MAX	1024
#define JSAPI_PREFIX_MAX	256
#define JSAPI_SIGN_TRIES	3	/* see jsapi_connect() */
#define JSAPI_NAME_MAX		255
#define JSAPI_INFO_LINE_MAX	(64 * 1024)
#define JSAPI_RESPONSE_MAX	(64 * 1024 * 1024)
/*
 * Bounds on untrusted replies.  A page of 256 StreamInfo with long
 * subject lists stays far below 8 MiB; no account holds 100,000 streams
 * or a stream that many consumers; and a list must be read within
 * JSAPI_LIST_ROUNDS request timeouts, however the server pages it.
 */
#define JSAPI_REPLY_MAX		(8 * 1024 * 1024)
#define JSAPI_LIST_MAX		100000
#define JSAPI_LIST_ROUNDS	5
#define JSAPI_QUOTE_MAX		200
#define JSAPI_BENCH_SIZE_MAX	(64 * 1024 * 1024)

struct jsapi {
	natsConnection		*nc;
	char			 prefix[JSAPI_PREFIX_MAX];	/* $JS.API */
	bool			 custom_prefix;	/* domain or API prefix */
	struct jsapi_server	 server;
	int64_t			 timeout_ms;
	uint64_t		 requests;
	uint64_t		 mutations;
	bool			 stalled;	/* see jsapi_stalled() */
	char			 stall[512];	/* what showed it */
};

struct jsapi_sub {
	struct jsapi		*api;
	natsSubscription	*sub;
	char			*subject;
};

/*
 * nats.c's last error for s, without its "(file.c:123): " origin, or the
 * generic text of s when the detail might quote a URL and so a password.
 */
static const char *
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
static int
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
static void
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
static int
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
static int
jsapi_check_name(const char *kind, const char *name, struct diag *d)
{
	const char	*p;
	char		 q[JSAPI_QUOTE_MAX * 4 + 4];

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

/*
 * Server probe.
 */

/* Split the host and port out of a URL such as nats://u:p@[::1]:4222. */
static int
jsapi_host_port(const char *url, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	const char	*b, *e, *p, *hend, *pstart = NULL;

	b = (p = strstr(url, "://")) != NULL ? p + 3 : url;
	e = b + strcspn(b, "/");
	for (p = b; p < e; p++)
		if (*p == '@')
			b = p + 1;
	if (*b == '[') {
		b++;
		if ((hend = memchr(b, ']', (size_t)(e - b))) == NULL)
			return -EINVAL;
		if (hend + 1 < e && hend[1] != ':')
			return -EINVAL;
		if (hend + 1 < e)
			pstart = hend + 2;
	} else if ((hend = memchr(b, ':', (size_t)(e - b))) != NULL)
		pstart = hend + 1;
	else
		hend = e;
	if (hend == b || (size_t)(hend - b) >= hostlen)
		return -EINVAL;
	if (pstart != NULL && (pstart >= e || (size_t)(e - pstart) >= portlen))
		return -EINVAL;
	memcpy(host, b, (size_t)(hend - b));
	host[hend - b] = '\0';
	if (pstart == NULL)
		snprintf(port, portlen, "4222");
	else
		snprintf(port, portlen, "%.*s", (int)(e - pstart), pstart);
	return 0;
}

static int64_t
jsapi_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline; 0, -ETIMEDOUT or -errno. */
static int
jsapi_wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd	pfd = { .fd = fd, .events = events };
	int64_t		left;
	int		n;

	for (;;) {
		if ((left = deadline - jsapi_now_ms()) <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int
jsapi_dial(const struct addrinfo *ai, int64_t deadline)
{
	socklen_t	len = sizeof(int);
	int		fd, err = 0, r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	if ((r = jsapi_wait_fd(fd, POLLOUT, deadline)) < 0) {
		close(fd);
		return r;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		goto fail;
	if (err == 0)
		return fd;
	errno = err;
fail:
	err = errno;
	close(fd);
	return -err;
}

/*
 * Read the INFO line the server sends on a fresh TCP connection, before
 * any authentication: nats.c 3.4 keeps the server version to itself.
 */
static int
jsapi_read_info(const char *host, const char *port, int64_t timeout_ms,
    struct diag *d, char **ret)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	struct addrinfo	*ai;
	int64_t		 deadline = jsapi_now_ms() + timeout_ms;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd = -1, r;

	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		return diag_set(d, -ECONNREFUSED, "cannot resolve '%s': %s",
		    host, gai_strerror(r));
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = jsapi_dial(ai, deadline);
	if (fd < 0) {
		r = diag_set(d, -ECONNREFUSED, "cannot reach '%s:%s' to read "
		    "the server's INFO: %s", host, port, strerror(-fd));
		goto out;
	}
	if ((buf = malloc(JSAPI_INFO_LINE_MAX + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	while (memchr(buf, '\n', len) == NULL) {
		if (len == JSAPI_INFO_LINE_MAX) {
			r = diag_set(d, -EPROTO, "the server's INFO line from "
			    "'%s:%s' is longer than %d KiB", host, port,
			    JSAPI_INFO_LINE_MAX / 1024);
			goto out;
		}
		if ((r = jsapi_wait_fd(fd, POLLIN, deadline)) < 0) {
			r = diag_set(d, -ECONNREFUSED, "no INFO from '%s:%s' "
			    "within %" PRId64 " ms", host, port, timeout_ms);
			goto out;
		}
		n = read(fd, buf + len, JSAPI_INFO_LINE_MAX - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			r = diag_set(d, -ECONNREFUSED, "'%s:%s' closed the "
			    "connection before sending INFO", host, port);
			goto out;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*ret = buf;
	buf = NULL;
	r = 0;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	return r;
}

/*
 * What the server says about itself is only ever shown, so it is kept
 * quoted (diag_quote()): a server name cannot steer the terminal.
 */
static void
jsapi_copy_string(const cJSON *obj, const char *key, char *buf, size_t len)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	buf[0] = '\0';
	if (cJSON_IsString(v))
		diag_quote(v->valuestring, len, buf, len);
}

/* "2.9.10" or "2.10.0-beta.1" as major*10000 + minor*100 + patch. */
static int
jsapi_version_num(const char *v, int *ret)
{
	long	 part[3] = { 0, 0, 0 };
	char	*end;
	int	 i;

	for (i = 0; i < 3; i++) {
		if (*v < '0' || *v > '9')
			return -EINVAL;
		part[i] = strtol(v, &end, 10);
		if (part[i] > (i == 0 ? 9999 : 99))
			return -EINVAL;
		v = end;
		if (*v != '.')
			break;
		v++;
	}
	if (i < 1 || (*v != '\0' && *v != '-' && *v != '+'))
		return -EINVAL;
	*ret = (int)(part[0] * 10000 + part[1] * 100 + part[2]);
	return 0;
}

int
jsapi_parse_info_line(const char *line, struct jsapi_server *ret,
    struct diag *d)
{
	cJSON	*info = NULL;
	int	 num, r = 0;

	if (strncasecmp(line, "INFO", 4) != 0 || (line[4] != ' ' &&
	    line[4] != '\t'))
		return diag_set(d, -EPROTO, "the server did not start with "
		    "an INFO line");
	info = cJSON_Parse(line + 5);
	if (!cJSON_IsObject(info)) {
		r = diag_set(d, -EPROTO, "the server's INFO line is not a "
		    "JSON object");
		goto out;
	}
	jsapi_copy_string(info, "version", ret->version, sizeof(ret->version));
	if (jsapi_version_num(ret->version, &num) < 0) {
		r = diag_set(d, -EPROTO, "unrecognised server version '%s' in "
		    "INFO", ret->version);
		goto out;
	}
	ret->version_num = num;
	jsapi_copy_string(info, "server_name", ret->name, sizeof(ret->name));
	jsapi_copy_string(info, "server_id", ret->id, sizeof(ret->id));
	jsapi_copy_string(info, "cluster", ret->cluster, sizeof(ret->cluster));
out:
	cJSON_Delete(info);
	return r;
}

/* What the server and the account offer: version, JetStream, domain. */
static int
jsapi_probe(struct jsapi *api, struct diag *d)
{
	struct diag	 ad;
	char		 url[1024], host[256], port[16];
	char		*line = NULL;
	cJSON		*acct = NULL;
	int		 r;

	if (natsConnection_GetConnectedUrl(api->nc, url, sizeof(url)) !=
	    NATS_OK || jsapi_host_port(url, host, sizeof(host), port,
	    sizeof(port)) < 0)
		return diag_set(d, -EPROTO, "cannot tell which server the "
		    "connection reached");
	if ((r = jsapi_read_info(host, port, api->timeout_ms, d, &line)) < 0)
		return r;
	r = jsapi_parse_info_line(line, &api->server, d);
	free(line);
	if (r < 0)
		return r;
	/* No JetStream for the account is a fact to report, not an error. */
	r = jsapi_account_info(api, &ad, &acct);
	if (r == 0) {
		api->server.jetstream = true;
		jsapi_copy_string(acct, "domain", api->server.domain,
		    sizeof(api->server.domain));
	} else if (r == -ENOTSUP || (r == -EPROTO && ad.api_code == 503))
		r = 0;
	else if (d != NULL)
		*d = ad;
	cJSON_Delete(acct);
	return r;
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
	/* A CLI run should fail, not retry: no reconnects. */
	s = natsOptions_SetServers(opts, urls, (int)n);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(opts, o->timeout_ms);
	if (s == NATS_OK)
		s = natsOptions_SetAllowReconnect(opts, false);
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(opts, 0);
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

const struct jsapi_server *
jsapi_server(const struct jsapi *api)
{
	return &api->server;
}

uint64_t
jsapi_request_count(const struct jsapi *api)
{
	return api->requests;
}

uint64_t
jsapi_mutation_count(const struct jsapi *api)
{
	return api->mutations;
}

/*
 * Requests.
 */

/* The API subjects that change server state, by prefix of the suffix. */
static bool
jsapi_is_mutation(const char *suffix)
{
	static const char *verbs[] = {
		"STREAM.CREATE.", "STREAM.UPDATE.", "STREAM.DELETE.",
		"STREAM.PURGE.", "STREAM.MSG.DELETE.", "STREAM.RESTORE.",
		"STREAM.PEER.REMOVE.", "STREAM.LEADER.STEPDOWN.",
		"CONSUMER.CREATE.", "CONSUMER.DURABLE.CREATE.",
		"CONSUMER.DELETE.", "CONSUMER.LEADER.STEPDOWN.",
		"ACCOUNT.PURGE.", "SERVER.REMOVE",
	};
	size_t	i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(suffix, verbs[i], strlen(verbs[i])) == 0)
			return true;
	return false;
}

int
jsapi_response_error(const cJSON *resp, struct diag *d)
{
	const cJSON	*err, *desc;
	char		 q[JSAPI_QUOTE_MAX * 4 + 4];
	int64_t		 api_code = 0, err_code = 0;
	int		 r;

	err = cJSON_GetObjectItemCaseSensitive(resp, "error");
	if (err == NULL)
		return 0;
	if (!cJSON_IsObject(err))
		return diag_set(d, -EBADMSG, "malformed reply from the server: "
		    "'error' is not an object");
	if ((r = reply_int(err, "code", 0, 999, "the API error", d,
	    &api_code)) == -EBADMSG || (r = reply_int(err, "err_code", 0,
	    INT32_MAX, "the API error", d, &err_code)) == -EBADMSG)
		return r;
	desc = cJSON_GetObjectItemCaseSensitive(err, "description");
	r = -EPROTO;
	/* 10059 stream not found, 10014 consumer not found. */
	if (api_code == 404 && (err_code == 10059 || err_code == 10014))
		r = -ENOENT;
	/* 10039 JetStream not enabled for account, 10076 not enabled. */
	if (api_code == 503 && (err_code == 10039 || err_code == 10076))
		r = -ENOTSUP;
	/* The server's own words, but never its control characters. */
	if (cJSON_IsString(desc) && *desc->valuestring != '\0')
		diag_set(d, r, "%s", diag_quote(desc->valuestring,
		    JSAPI_QUOTE_MAX, q, sizeof(q)));
	else
		diag_set(d, r, "JetStream API error %d (err_code %d)",
		    (int)api_code, (int)err_code);
	if (d != NULL) {
		d->api_code = (int)api_code;
		d->err_code = (int)err_code;
	}
	return r;
}

/* Parse a JSON reply to subject and turn an API error into a code. */
static int
jsapi_parse_reply(natsMsg *reply, const char *subject, struct diag *d,
    cJSON **ret)
{
	char	 q[JSAPI_QUOTE_MAX * 4 + 4];
	cJSON	*resp;
	int	 len, r;

	diag_quote(subject, JSAPI_QUOTE_MAX, q, sizeof(q));
	len = natsMsg_GetDataLength(reply);
	if (len > JSAPI_REPLY_MAX)
		return diag_set(d, -EBADMSG, "malformed reply from the "
		    "server: the reply to '%s' is larger than %d MiB", q,
		    JSAPI_REPLY_MAX / (1024 * 1024));
	/* every integer exact (jint.h), so 2^53+1 is not read as 2^53 */
	if ((r = jint_parse(natsMsg_GetData(reply), (size_t)len, &resp)) ==
	    -ENOMEM)
		return diag_set(d, r, "out of memory reading the reply to "
		    "'%s'", q);
	if (r < 0)
		resp = NULL;
	if (!cJSON_IsObject(resp)) {
		cJSON_Delete(resp);
		return diag_set(d, -EBADMSG, "malformed reply from the "
		    "server: the reply to '%s' is not a JSON object", q);
	}
	if ((r = jsapi_response_error(resp, d)) < 0) {
		cJSON_Delete(resp);
		return r;
	}
	*ret = resp;
	return 0;
}

int
jsapi_request(struct jsapi *api, const char *suffix, const cJSON *req,
    struct diag *d, cJSON **ret_resp)
{
	char		 subject[JSAPI_SUBJECT_MAX];
	char		 shown[JSAPI_SUBJECT_MAX];
	char		*body = NULL;
	natsMsg		*reply = NULL;
	natsStatus	 s;
	int		 n, r;

	/*
	 * Messages name the standard subject: a domain or API prefix is
	 * the operator's setting, and like every option value it is not
	 * quoted back.
	 */
	n = snprintf(subject, sizeof(subject), "%s.%s", api->prefix, suffix);
	if (n < 0 || (size_t)n >= sizeof(subject))
		return diag_set(d, -EINVAL, "JetStream API subject "
		    "'$JS.API.%.40s...' is too long", suffix);
	snprintf(shown, sizeof(shown), "$JS.API.%s", suffix);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	/* whole numbers as exact digits: nats-server refuses "1.2e+15" */
	if (req != NULL && (body = jint_print(req, false)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	api->requests++;
	if (jsapi_is_mutation(suffix))
		api->mutations++;
	s = natsConnection_Request(&reply, api->nc, subject, body,
	    body != NULL ? (int)strlen(body) : 0, api->timeout_ms);
	if (s == NATS_NO_RESPONDERS && api->custom_prefix)
		r = diag_set(d, -ENOTSUP, "JetStream did not answer under the "
		    "domain or API prefix given (no responder for '%s' "
		    "there); check --js-domain or --js-api-prefix", shown);
	else if (s == NATS_NO_RESPONDERS)
		r = diag_set(d, -ENOTSUP, "JetStream is not enabled for this "
		    "account (no responder for '%s')", shown);
	else if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "no reply to '%s' within %" PRId64
		    " ms", shown, api->timeout_ms);
		jsapi_note_timeout(api, d != NULL ? d->msg : shown);
		if (api->stalled)
			diag_set(d, r, "%s", api->stall);
	}
	else if (s != NATS_OK)
		r = jsapi_fail(s, d, shown);
	else
		r = jsapi_parse_reply(reply, shown, d, ret_resp);
	natsMsg_Destroy(reply);
	cJSON_free(body);
	return r;
}

/*
 * Read every page of a LIST request: the server answers at most "limit"
 * items per request (256 in 2.9) along with the "total".  A hostile or
 * broken server must not make this loop forever: the total is bounded,
 * a page that repeats the previous one makes no progress, and the whole
 * list has a deadline.  Each item is checked with check (stream is the
 * stream of a consumer list, or NULL).
 */
static int
jsapi_list(struct jsapi *api, const char *suffix, const char *key,
    const char *stream, struct diag *d, cJSON **ret_array)
{
	cJSON	*all, *req = NULL, *resp = NULL, *page, *item, *prev = NULL;
	int64_t	 offset = 0, total, deadline;
	char	 what[JSAPI_SUBJECT_MAX + 32];
	int	 n, r = 0;

	deadline = jsapi_now_ms() + JSAPI_LIST_ROUNDS * api->timeout_ms;
	snprintf(what, sizeof(what), "the reply to '$JS.API.%s'", suffix);
	if ((all = cJSON_CreateArray()) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	for (;;) {
		if ((req = cJSON_CreateObject()) == NULL ||
		    cJSON_AddNumberToObject(req, "offset", (double)offset) ==
		    NULL) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
		if ((r = jsapi_request(api, suffix, req, d, &resp)) < 0)
			goto out;
		if ((r = reply_int(resp, "total", 0, JSAPI_LIST_MAX, what, d,
		    &total)) < 0) {
			if (r == -ENOENT)
				r = diag_set(d, -EBADMSG, "malformed reply "
				    "from the server: %s has no 'total'",
				    what);
			goto out;
		}
		page = cJSON_GetObjectItemCaseSensitive(resp, key);
		if (page != NULL && !cJSON_IsArray(page) &&
		    !cJSON_IsNull(page)) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: '%s' in %s is not an array", key, what);
			goto out;
		}
		/* The same first item twice: the server ignores the offset. */
		if (prev != NULL && page != NULL && page->child != NULL &&
		    jint_equal(prev, page->child)) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: %s repeats the previous page at offset "
			    "%lld", what, (long long)offset);
			goto out;
		}
		cJSON_Delete(prev);
		prev = NULL;
		for (n = 0; (item = cJSON_DetachItemFromArray(page, 0)) !=
		    NULL; n++) {
			cJSON_AddItemToArray(all, item);
			r = stream == NULL ? reply_stream_info(item, d) :
			    reply_consumer_info(item, stream, d);
			if (r < 0)
				goto out;
			if (n == 0 && (prev = cJSON_Duplicate(item, true)) ==
			    NULL) {
				r = diag_set(d, -ENOMEM, "out of memory");
				goto out;
			}
		}
		offset += n;
		/* An empty page before the total would loop forever. */
		if (n == 0 || offset >= total)
			break;
		if (offset > JSAPI_LIST_MAX) {
			r = diag_set(d, -EBADMSG, "malformed reply from the "
			    "server: %s goes on past %d items", what,
			    JSAPI_LIST_MAX);
			goto out;
		}
		if (jsapi_now_ms() > deadline) {
			r = diag_set(d, -ETIMEDOUT, "%s did not end within "
			    "%d x %lld ms (%lld items so far)", what,
			    JSAPI_LIST_ROUNDS, (long long)api->timeout_ms,
			    (long long)offset);
			goto out;
		}
		cJSON_Delete(resp);
		cJSON_Delete(req);
		resp = req = NULL;
	}
	*ret_array = all;
	all = NULL;
out:
	cJSON_Delete(prev);
	cJSON_Delete(resp);
	cJSON_Delete(req);
	cJSON_Delete(all);
	return r;
}

int
jsapi_stream_list(struct jsapi *api, struct diag *d, cJSON **ret_array)
{
	return jsapi_list(api, "STREAM.LIST", "streams", NULL, d, ret_array);
}

int
jsapi_consumer_list(struct jsapi *api, const char *stream, struct diag *d,
    cJSON **ret_array)
{
	char	suffix[JSAPI_SUBJECT_MAX];
	int	r;

	if ((r = jsapi_check_name("stream", stream, d)) < 0)
		return r;
	snprintf(suffix, sizeof(suffix), "CONSUMER.LIST.%s", stream);
	return jsapi_list(api, suffix, "consumers", stream, d, ret_array);
}

/* A request about one stream (and consumer): VERB.<stream>[.<consumer>]. */
static int
jsapi_named(struct jsapi *api, const char *verb, const char *stream,
    const char *consumer, const cJSON *req, struct diag *d, cJSON **ret)
{
	char	 suffix[JSAPI_SUBJECT_MAX];
	cJSON	*resp = NULL;
	int	 r;

	if ((r = jsapi_check_name("stream", stream, d)) < 0)
		return r;
	if (consumer != NULL) {
		if ((r = jsapi_check_name("consumer", consumer, d)) < 0)
			return r;
		snprintf(suffix, sizeof(suffix), "%s.%s.%s", verb, stream,
		    consumer);
	} else
		snprintf(suffix, sizeof(suffix), "%s.%s", verb, stream);
	if ((r = jsapi_request(api, suffix, req, d, &resp)) < 0)
		return r;
	if (ret != NULL)
		*ret = resp;
	else
		cJSON_Delete(resp);
	return 0;
}

/* A StreamInfo or ConsumerInfo reply r of a request, checked. */
static int
jsapi_checked(int r, const char *stream, bool consumer, struct diag *d,
    cJSON **ret_info)
{
	if (r < 0 || ret_info == NULL)
		return r;
	r = consumer ? reply_consumer_info(*ret_info, stream, d) :
	    reply_stream_info(*ret_info, d);
	if (r < 0) {
		cJSON_Delete(*ret_info);
		*ret_info = NULL;
	}
	return r;
}

int
jsapi_stream_info(struct jsapi *api, const char *stream, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.INFO", stream, NULL,
	    NULL, d, ret_info), stream, false, d, ret_info);
}

int
jsapi_consumer_info(struct jsapi *api, const char *stream,
    const char *consumer, struct diag *d, cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "CONSUMER.INFO", stream,
	    consumer, NULL, d, ret_info), stream, true, d, ret_info);
}

static const char *
jsapi_config_name(const cJSON *config, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(config, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
jsapi_stream_create(struct jsapi *api, const cJSON *config, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.CREATE",
	    jsapi_config_name(config, "name"), NULL, config, d, ret_info),
	    NULL, false, d, ret_info);
}

int
jsapi_stream_update(struct jsapi *api, const cJSON *config, struct diag *d,
    cJSON **ret_info)
{
	return jsapi_checked(jsapi_named(api, "STREAM.UPDATE",
	    jsapi_config_name(config, "name"), NULL, config, d, ret_info),
	    NULL, false, d, ret_info);
}

int
jsapi_stream_delete(struct jsapi *api, const char *stream, struct diag *d)
{
	return jsapi_named(api, "STREAM.DELETE", stream, NULL, NULL, d, NULL);
}

int
jsapi_stream_purge(struct jsapi *api, const char *stream, struct diag *d)
{
	return jsapi_named(api, "STREAM.PURGE", stream, NULL, NULL, d, NULL);
}

int
jsapi_consumer_create(struct jsapi *api, const char *stream,
    const cJSON *config, struct diag *d, cJSON **ret_info)
{
	const char	*durable;
	cJSON		*req = NULL, *copy;
	int		 r;

	if ((req = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req, "stream_name", stream != NULL ?
	    stream : "") == NULL || (copy = cJSON_Duplicate(config, 1)) ==
	    NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	cJSON_AddItemToObject(req, "config", copy);
	durable = jsapi_config_name(config, "durable_name");
	if (durable != NULL)
		r = jsapi_named(api, "CONSUMER.DURABLE.CREATE", stream,
		    durable, req, d, ret_info);
	else
		r = jsapi_named(api, "CONSUMER.CREATE", stream, NULL, req, d,
		    ret_info);
	r = jsapi_checked(r, stream, true, d, ret_info);
out:
	cJSON_Delete(req);
	return r;
}

int
jsapi_consumer_delete(struct jsapi *api, const char *stream,
    const char *consumer, struct diag *d)
{
	return jsapi_named(api, "CONSUMER.DELETE", stream, consumer, NULL, d,
	    NULL);
}

int
jsapi_account_info(struct jsapi *api, struct diag *d, cJSON **ret_info)
{
	return jsapi_request(api, "INFO", NULL, d, ret_info);
}

/*
 * Messages.
 */

void
jsapi_msg_free(struct jsapi_msg *m)
{
	if (m == NULL)
		return;
	free(m->subject);
	free(m->reply);
	free(m->data);
	cJSON_Delete(m->headers);
	free(m);
}

/*
 * Headers as {"name": ["value", ...]}.  nats.c keeps the status line of a
 * JetStream status message as the header "Status" (and "Description");
 * it is handed on as "status".
 */
static int
jsapi_headers_from(natsMsg *nm, cJSON **ret)
{
	const char	**keys = NULL, **vals = NULL;
	cJSON		 *h = NULL, *arr, *s;
	int		  nkeys = 0, nvals, i, j, r = -ENOMEM;

	if (natsMsgHeader_Keys(nm, &keys, &nkeys) != NATS_OK) {
		*ret = NULL;
		return 0;
	}
	if ((h = cJSON_CreateObject()) == NULL)
		goto out;
	for (i = 0; i < nkeys; i++) {
		if (natsMsgHeader_Values(nm, keys[i], &vals, &nvals) !=
		    NATS_OK)
			goto out;
		arr = cJSON_AddArrayToObject(h, strcmp(keys[i], "Status") ==
		    0 ? "status" : keys[i]);
		for (j = 0; arr != NULL && j < nvals; j++) {
			if ((s = cJSON_CreateString(vals[j])) == NULL)
				break;
			cJSON_AddItemToArray(arr, s);
		}
		free((void *)vals);
		if (arr == NULL || j < nvals)
			goto out;
	}
	*ret = h;
	h = NULL;
	r = 0;
out:
	free((void *)keys);
	cJSON_Delete(h);
	return r;
}

static int
jsapi_msg_from(natsMsg *nm, struct jsapi_msg **ret)
{
	struct jsapi_msg	*m;
	const char		*reply = natsMsg_GetReply(nm);
	int			 len = natsMsg_GetDataLength(nm);

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	m->len = len > 0 ? (size_t)len : 0;
	if ((m->subject = strdup(natsMsg_GetSubject(nm))) == NULL ||
	    (reply != NULL && *reply != '\0' &&
	    (m->reply = strdup(reply)) == NULL) ||
	    (m->data = malloc(m->len + 1)) == NULL ||
	    jsapi_headers_from(nm, &m->headers) < 0) {
		jsapi_msg_free(m);
		return -ENOMEM;
	}
	if (m->len > 0)
		memcpy(m->data, natsMsg_GetData(nm), m->len);
	m->data[m->len] = '\0';
	*ret = m;
	return 0;
}

int
jsapi_subscribe(struct jsapi *api, const char *subject, struct diag *d,
    struct jsapi_sub **ret)
{
	struct jsapi_sub	*sub;
	natsInbox		*inbox = NULL;
	natsStatus		 s;
	int			 r = 0;

	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	sub->api = api;
	if (subject == NULL) {
		if (natsInbox_Create(&inbox) != NATS_OK) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
		subject = inbox;
	}
	if ((sub->subject = strdup(subject)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	s = natsConnection_SubscribeSync(&sub->sub, api->nc, subject);
	if (s != NATS_OK) {
		r = jsapi_fail(s, d, "cannot subscribe");
		diag_prefix(d, "'%s'", subject);
		goto out;
	}
	*ret = sub;
	sub = NULL;
out:
	natsInbox_Destroy(inbox);
	jsapi_sub_free(sub);
	return r;
}

const char *
jsapi_sub_subject(const struct jsapi_sub *sub)
{
	return sub->subject;
}

int
jsapi_sub_next(struct jsapi_sub *sub, int64_t timeout_ms, struct diag *d,
    struct jsapi_msg **ret)
{
	natsMsg		*nm = NULL;
	natsStatus	 s;
	int		 r;

	if ((r = jsapi_check_stall(sub->api, d)) < 0)
		return r;
	s = natsSubscription_NextMsg(&nm, sub->sub, timeout_ms);
	if (s == NATS_TIMEOUT) {
		/* Waiting in vain may be the point; a silent server is not. */
		r = diag_set(d, -ETIMEDOUT, "no message on '%s' within "
		    "%" PRId64 " ms", sub->subject, timeout_ms);
		jsapi_note_timeout(sub->api, d != NULL ? d->msg :
		    sub->subject);
		if (sub->api->stalled)
			diag_set(d, r, "%s", sub->api->stall);
		return r;
	}
	/* nats.c turns a 503 status message into this status. */
	if (s == NATS_NO_RESPONDERS)
		return diag_set(d, -ENOTSUP, "no responders for the request "
		    "answered on '%s'", sub->subject);
	if (s != NATS_OK)
		return jsapi_fail(s, d, sub->subject);
	r = jsapi_msg_from(nm, ret);
	natsMsg_Destroy(nm);
	if (r < 0)
		return diag_set(d, r, "out of memory");
	return 0;
}

void
jsapi_sub_free(struct jsapi_sub *sub)
{
	if (sub == NULL)
		return;
	natsSubscription_Destroy(sub->sub);
	free(sub->subject);
	free(sub);
}

static int
jsapi_make_msg(const char *subject, const char *reply, const cJSON *headers,
    const void *data, size_t len, struct diag *d, natsMsg **ret)
{
	const cJSON	*h, *v;
	natsMsg		*nm = NULL;
	natsStatus	 s = NATS_OK;

	if (len > JSAPI_RESPONSE_MAX)
		return diag_set(d, -E2BIG, "message to '%s' is larger than %d "
		    "MiB", subject, JSAPI_RESPONSE_MAX / (1024 * 1024));
	s = natsMsg_Create(&nm, subject, reply, data, (int)len);
	if (s != NATS_OK)
		return jsapi_fail(s, d, "cannot create a message");
	cJSON_ArrayForEach(h, headers) {
		if (cJSON_IsString(h)) {
			s = natsMsgHeader_Add(nm, h->string, h->valuestring);
		} else if (cJSON_IsArray(h)) {
			cJSON_ArrayForEach(v, h) {
				if (!cJSON_IsString(v))
					break;
				s = natsMsgHeader_Add(nm, h->string,
				    v->valuestring);
				if (s != NATS_OK)
					break;
			}
			if (v != NULL && s == NATS_OK)
				s = NATS_INVALID_ARG;
		} else
			s = NATS_INVALID_ARG;
		if (s != NATS_OK) {
			natsMsg_Destroy(nm);
			return diag_set(d, s == NATS_NO_MEMORY ? -ENOMEM :
			    -EINVAL, "invalid header '%s': values must be "
			    "strings", h->string != NULL ? h->string : "");
		}
	}
	*ret = nm;
	return 0;
}

int
jsapi_publish(struct jsapi *api, const char *subject, const char *reply,
    const cJSON *headers, const void *data, size_t len, struct diag *d)
{
	natsMsg		*nm = NULL;
	natsStatus	 s;
	int		 r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_make_msg(subject, reply, headers, data, len, d,
	    &nm)) < 0)
		return r;
	s = natsConnection_PublishMsg(api->nc, nm);
	natsMsg_Destroy(nm);
	if (s != NATS_OK)
		return jsapi_fail(s, d, "cannot publish");
	return 0;
}

int
jsapi_flush(struct jsapi *api, struct diag *d)
{
	natsStatus	s;
	int		r;

	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	s = natsConnection_FlushTimeout(api->nc, api->timeout_ms);
	if (s == NATS_TIMEOUT) {
		/* A PING unanswered is the stall itself. */
		api->stalled = true;
		snprintf(api->stall, sizeof(api->stall), "the server stopped "
		    "answering (no PONG to a flush within %" PRId64 " ms)",
		    api->timeout_ms);
		return diag_set(d, -ETIMEDOUT, "%s", api->stall);
	}
	if (s != NATS_OK)
		return jsapi_fail(s, d, "flush");
	return 0;
}

int
jsapi_js_publish(struct jsapi *api, const char *subject,
    const cJSON *headers, const void *data, size_t len, struct diag *d,
    cJSON **ret_ack)
{
	natsMsg		*nm = NULL, *reply = NULL;
	natsStatus	 s;
	int64_t		 seq;
	int		 r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_make_msg(subject, NULL, headers, data, len, d,
	    &nm)) < 0)
		return r;
	s = natsConnection_RequestMsg(&reply, api->nc, nm, api->timeout_ms);
	if (s == NATS_NO_RESPONDERS)
		r = diag_set(d, -ENOTSUP, "no stream matches subject '%s'",
		    subject);
	else if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "no acknowledgement for a publish "
		    "to '%s' within %" PRId64 " ms", subject, api->timeout_ms);
		jsapi_note_timeout(api, d != NULL ? d->msg : subject);
		if (api->stalled)
			diag_set(d, r, "%s", api->stall);
	}
	else if (s != NATS_OK)
		r = jsapi_fail(s, d, "cannot publish");
	else
		r = jsapi_parse_reply(reply, subject, d, ret_ack);
	/* The checks count on the sequence: a number that fits. */
	if (r == 0 && reply_int(*ret_ack, "seq", 0, INT64_MAX, "the publish "
	    "acknowledgement", d, &seq) == -EBADMSG) {
		cJSON_Delete(*ret_ack);
		*ret_ack = NULL;
		r = -EBADMSG;
	}
	natsMsg_Destroy(reply);
	natsMsg_Destroy(nm);
	return r;
}

int
jsapi_pull(struct jsapi *api, const char *stream, const char *consumer,
    int batch, int64_t expires_ms, const struct jsapi_sub *sub,
    struct diag *d)
{
	char		subject[JSAPI_SUBJECT_MAX], body[128];
	natsStatus	s;
	int		r;

	if ((r = jsapi_check_stall(api, d)) < 0 ||
	    (r = jsapi_check_name("stream", stream, d)) < 0 ||
	    (r = jsapi_check_name("consumer", consumer, d)) < 0)
		return r;
	if (batch < 1 || expires_ms < 0 || expires_ms > INT64_MAX / 1000000)
		return diag_set(d, -EINVAL, "invalid pull request: batch %d, "
		    "expires %" PRId64 " ms", batch, expires_ms);
	snprintf(subject, sizeof(subject), "%s.CONSUMER.MSG.NEXT.%s.%s",
	    api->prefix, stream, consumer);
	if (expires_ms == 0)
		snprintf(body, sizeof(body), "{\"batch\":%d,\"no_wait\":true}",
		    batch);
	else
		snprintf(body, sizeof(body), "{\"batch\":%d,\"expires\":%"
		    PRId64 "}", batch, expires_ms * 1000000);
	api->requests++;
	s = natsConnection_PublishRequest(api->nc, subject, sub->subject,
	    body, (int)strlen(body));
	if (s != NATS_OK)
		return jsapi_fail(s, d, "$JS.API.CONSUMER.MSG.NEXT");
	return 0;
}

int
jsapi_msg_ack(struct jsapi *api, const struct jsapi_msg *m,
    const char *kind, bool sync, struct diag *d)
{
	static const char *kinds[] = { "+ACK", "-NAK", "+TERM", "+WPI" };
	natsMsg		*reply = NULL;
	natsStatus	 s;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return diag_set(d, -EINVAL, "unknown acknowledgement '%s'",
		    kind);
	if (m->reply == NULL)
		return diag_set(d, -EINVAL, "the message on '%s' has no reply "
		    "subject to acknowledge", m->subject);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	if (!sync)
		s = natsConnection_Publish(api->nc, m->reply, kind,
		    (int)strlen(kind));
	else
		s = natsConnection_Request(&reply, api->nc, m->reply, kind,
		    (int)strlen(kind), api->timeout_ms);
	natsMsg_Destroy(reply);
	if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "the server did not confirm '%s' "
		    "within %" PRId64 " ms", kind, api->timeout_ms);
		jsapi_note_timeout(api, d != NULL ? d->msg : kind);
		if (api->stalled)
			diag_set(d, r, "%s", api->stall);
		return r;
	}
	if (s != NATS_OK)
		return jsapi_fail(s, d, kind);
	return 0;
}

static int
jsapi_parse_u64(const char *s, uint64_t *ret)
{
	char			*end;
	unsigned long long	 v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

/*
 * $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
 * (9 tokens), or from 2.10 on with <domain>.<account hash> before the
 * stream and a random token after pending (12 or more).
 */
int
jsapi_msg_meta(const struct jsapi_msg *m, struct jsapi_meta *ret)
{
	char	 buf[JSAPI_SUBJECT_MAX], *tok[16], *save = NULL, *t;
	size_t	 n = 0, base;

	if (m->reply == NULL || strncmp(m->reply, "$JS.ACK.", 8) != 0 ||
	    strlen(m->reply) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, m->reply, strlen(m->reply) + 1);
	for (t = strtok_r(buf, ".", &save); t != NULL;
	    t = strtok_r(NULL, ".", &save)) {
		if (n == sizeof(tok) / sizeof(tok[0]))
			return -EINVAL;
		tok[n++] = t;
	}
	if (n == 9)
		base = 2;
	else if (n >= 12)
		base = 4;
	else
		return -EINVAL;
	if (strlen(tok[base]) >= sizeof(ret->stream) ||
	    strlen(tok[base + 1]) >= sizeof(ret->consumer) ||
	    jsapi_parse_u64(tok[base + 2], &ret->num_delivered) < 0 ||
	    jsapi_parse_u64(tok[base + 3], &ret->stream_seq) < 0 ||
	    jsapi_parse_u64(tok[base + 4], &ret->consumer_seq) < 0 ||
	    jsapi_parse_u64(tok[base + 6], &ret->num_pending) < 0)
		return -EINVAL;
	memcpy(ret->stream, tok[base], strlen(tok[base]) + 1);
	memcpy(ret->consumer, tok[base + 1], strlen(tok[base + 1]) + 1);
	return 0;
}

/*
 * Benchmark reference.
 */

static void
jsapi_bench_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
	atomic_int	*errors = closure;

	atomic_fetch_add(errors, 1);
}

int
jsapi_bench_async_publish(struct jsapi *api, const char *subject, int n,
    size_t size, struct diag *d, int64_t *ret_ns)
{
	jsCtx		*js = NULL;
	jsOptions	 jo;
	jsPubOptions	 po;
	atomic_int	 errors = 0;
	struct timespec	 t0, t1;
	natsStatus	 s = NATS_OK;
	char		*data = NULL;
	int		 i, r = 0;

	if (n < 1 || size > JSAPI_BENCH_SIZE_MAX)
		return diag_set(d, -EINVAL, "invalid benchmark: %d messages of "
		    "%zu bytes", n, size);
	if ((r = jsapi_check_stall(api, d)) < 0)
		return r;
	if ((data = malloc(size + 1)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	memset(data, 'x', size);
	jsOptions_Init(&jo);
	jo.Wait = api->timeout_ms;
	jo.PublishAsync.ErrHandler = jsapi_bench_error;
	jo.PublishAsync.ErrHandlerClosure = &errors;
	if ((s = natsConnection_JetStream(&js, api->nc, &jo)) != NATS_OK) {
		r = jsapi_fail(s, d, "cannot create a JetStream context");
		goto out;
	}
	jsPubOptions_Init(&po);
	po.MaxWait = api->timeout_ms;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n && s == NATS_OK; i++)
		s = js_PublishAsync(js, subject, data, (int)size, NULL);
	if (s == NATS_OK)
		s = js_PublishAsyncComplete(js, &po);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (s == NATS_TIMEOUT) {
		r = diag_set(d, -ETIMEDOUT, "asynchronous publishes to '%s' "
		    "were not all acknowledged within %" PRId64 " ms", subject,
		    api->timeout_ms);
		goto out;
	}
	if (s != NATS_OK) {
		r = jsapi_fail(s, d, "asynchronous publish");
		goto out;
	}
	if (atomic_load(&errors) > 0) {
		r = diag_set(d, -EPROTO, "%d of %d asynchronous publishes to "
		    "'%s' failed", atomic_load(&errors), n, subject);
		goto out;
	}
	*ret_ns = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 +
	    (t1.tv_nsec - t0.tv_nsec);
out:
	jsCtx_Destroy(js);
	free(data);
	return r;
}
