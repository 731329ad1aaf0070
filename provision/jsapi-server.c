/* SPDX-License-Identifier: MIT */
/*
 * jsapi-server: what the server and the account are.  nats.c 3.4 keeps
 * the server's version to itself, so the INFO line is read on a TCP
 * connection of its own, before any authentication; $JS.API.INFO then
 * tells whether the account has JetStream and in which domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nats/nats.h>

#include "jsapi-int.h"

#define JSAPI_INFO_LINE_MAX	(64 * 1024)

/*
 * Split the host and port out of a URL such as nats://u:p@[::1]:4222.
 * The user info comes off by conn_url_parse(), the one URL splitter: it
 * ends at the last '@', so a '/' or ':' in a password is not taken for
 * the path or the port.
 */
static int
jsapi_host_port(const char *url, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	struct conn_url	 u = { 0 };
	const char	*b, *e, *p, *hend, *pstart = NULL;
	int		 r;

	if ((r = conn_url_parse(url, NULL, &u)) < 0)
		return r;
	r = -EINVAL;
	b = (p = strstr(u.bare, "://")) != NULL ? p + 3 : u.bare;
	e = b + strcspn(b, "/");
	if (*b == '[') {
		b++;
		if ((hend = memchr(b, ']', (size_t)(e - b))) == NULL)
			goto out;
		if (hend + 1 < e && hend[1] != ':')
			goto out;
		if (hend + 1 < e)
			pstart = hend + 2;
	} else if ((hend = memchr(b, ':', (size_t)(e - b))) != NULL)
		pstart = hend + 1;
	else
		hend = e;
	if (hend == b || (size_t)(hend - b) >= hostlen)
		goto out;
	if (pstart != NULL && (pstart >= e || (size_t)(e - pstart) >= portlen))
		goto out;
	memcpy(host, b, (size_t)(hend - b));
	host[hend - b] = '\0';
	if (pstart == NULL)
		snprintf(port, portlen, "4222");
	else
		snprintf(port, portlen, "%.*s", (int)(e - pstart), pstart);
	r = 0;
out:
	conn_url_free(&u);
	return r;
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

/*
 * The servers of the cluster: INFO's connect_urls lists every node's
 * client URL, the server's own included (2.9.10 to 2.15.1); 1 without a
 * cluster, 0 when the cluster advertises none (no_advertise) or the
 * list is not one of strings.
 */
static int
jsapi_cluster_size(const cJSON *info, const char *cluster)
{
	const cJSON	*urls = cJSON_GetObjectItemCaseSensitive(info,
	    "connect_urls"), *it;
	int		 n = 0;

	if (cluster[0] == '\0')
		return 1;
	if (!cJSON_IsArray(urls))
		return 0;
	cJSON_ArrayForEach(it, urls) {
		if (!cJSON_IsString(it) || ++n > JSAPI_CLUSTER_MAX)
			return 0;
	}
	return n;
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
	ret->cluster_size = jsapi_cluster_size(info, ret->cluster);
out:
	cJSON_Delete(info);
	return r;
}

/* What the server and the account offer: version, JetStream, domain. */
int
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

const struct jsapi_server *
jsapi_server(const struct jsapi *api)
{
	return &api->server;
}

const char *
jsapi_connected_server_id(const struct jsapi *api, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (natsConnection_GetConnectedServerId(api->nc, buf, len) != NATS_OK)
		buf[0] = '\0';
	return buf;
}

int
jsapi_account_info(struct jsapi *api, struct diag *d, cJSON **ret_info)
{
	return jsapi_request(api, "INFO", NULL, d, ret_info);
}
