/* SPDX-License-Identifier: MIT */
/*
 * monitor: GET a JSON document from the nats-server monitoring port.
 *
 * The URL comes from the user, so the client is kept narrow: http/https
 * only, no redirects (a redirect could lead anywhere), a body cap enforced
 * while receiving, and one overall timeout.  Loopback never goes through
 * a proxy from the environment.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "conn.h"
#include "monitor.h"

struct monitor_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 too_big;
	bool	 nomem;
};

static size_t
monitor_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct monitor_buf	*b = arg;
	size_t			 n = size * nmemb;
	size_t			 cap;
	char			*p;

	if (n > MONITOR_MAX_BYTES - b->len) {
		b->too_big = true;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->data, cap)) == NULL) {
			b->nomem = true;
			return 0;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

int
monitor_join_url(const char *base_url, const char *path, char **ret)
{
	size_t	 blen, plen;
	char	*s;

	if (base_url == NULL || *base_url == '\0')
		return -EINVAL;
	if (path == NULL)
		path = "";
	blen = strlen(base_url);
	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	while (*path == '/')
		path++;
	plen = strlen(path);
	if ((s = malloc(blen + plen + 2)) == NULL)
		return -ENOMEM;
	memcpy(s, base_url, blen);
	s[blen] = '/';
	memcpy(s + blen + 1, path, plen + 1);
	*ret = s;
	return 0;
}

/* The redacted base URL joined with path, in place. */
static int
monitor_join_shown(char **shown, const char *path)
{
	char	*s;
	int	 r;

	if ((r = monitor_join_url(*shown, path, &s)) != 0)
		return r;
	free(*shown);
	*shown = s;
	return 0;
}

static int
monitor_curl_code(CURLcode c, const struct monitor_buf *b)
{
	switch (c) {
	case CURLE_WRITE_ERROR:
		if (b->too_big)
			return -E2BIG;
		return b->nomem ? -ENOMEM : -EIO;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int
monitor_get(const char *base_url, const char *path, long timeout_ms,
    struct diag *d, cJSON **ret_json, long *ret_http_status)
{
	struct monitor_buf	 b = { 0 };
	char			 errbuf[CURL_ERROR_SIZE] = "";
	struct conn_url		 u = { 0 };
	char			*url = NULL, *shown = NULL;
	CURL			*h = NULL;
	CURLcode		 c;
	cJSON			*json = NULL;
	long			 status = 0;
	int			 r;

	if (base_url == NULL || *base_url == '\0') {
		r = diag_set(d, -EINVAL, "empty monitoring URL");
		goto out;
	}
	/*
	 * The user info goes to curl apart from the URL: decoded, and taken
	 * up to the last '@' so that a '/' in the password stays in it.
	 */
	if ((r = conn_url_parse(base_url, d, &u)) != 0) {
		diag_prefix(d, "monitoring URL");
		goto out;
	}
	if ((r = monitor_join_url(u.bare, path, &url)) != 0 ||
	    (r = conn_redact_url(base_url, &shown)) != 0 ||
	    (r = monitor_join_shown(&shown, path)) != 0) {
		r = diag_set(d, r, r == -ENOMEM ? "out of memory" :
		    "empty monitoring URL");
		goto out;
	}
	if ((h = curl_easy_init()) == NULL) {
		r = diag_set(d, -ENOMEM, "cannot initialise libcurl");
		goto out;
	}
	if (timeout_ms <= 0)
		timeout_ms = 5000;
	c = curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_PROTOCOLS,
		    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (c == CURLE_OK && u.user != NULL)
		c = curl_easy_setopt(h, CURLOPT_USERNAME, u.user);
	if (c == CURLE_OK && u.password != NULL)
		c = curl_easy_setopt(h, CURLOPT_PASSWORD, u.password);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_NOPROXY,
		    "127.0.0.1,localhost,::1");
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)MONITOR_MAX_BYTES);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, monitor_write);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	if (c == CURLE_OK)
		c = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (c != CURLE_OK) {
		r = diag_set(d, monitor_curl_code(c, &b), "'%s': %s", shown,
		    curl_easy_strerror(c));
		goto out;
	}
	if ((c = curl_easy_perform(h)) != CURLE_OK) {
		/* A Content-Length over the cap is refused before reading. */
		if (c == CURLE_FILESIZE_EXCEEDED)
			b.too_big = true;
		r = b.too_big ? -E2BIG : monitor_curl_code(c, &b);
		if (r == -E2BIG)
			r = diag_set(d, r, "'%s': response larger than %d bytes",
			    shown, MONITOR_MAX_BYTES);
		else
			r = diag_set(d, r, "'%s': %s", shown,
			    *errbuf && u.user == NULL ? errbuf :
			    curl_easy_strerror(c));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	/* The whole body must be JSON: "404 page not found" is not 404. */
	if (b.len > 0 && (json = cJSON_ParseWithLengthOpts(b.data, b.len + 1,
	    NULL, 1)) == NULL && status >= 200 && status < 300) {
		r = diag_set(d, -EPROTO, "'%s': HTTP %ld with a body that is "
		    "not JSON", shown, status);
		goto out;
	}
	if (status >= 200 && status < 300 && json == NULL) {
		r = diag_set(d, -EPROTO, "'%s': HTTP %ld with an empty body",
		    shown, status);
		goto out;
	}
	*ret_json = json;
	json = NULL;
	*ret_http_status = status;
	r = 0;
out:
	cJSON_Delete(json);
	if (h != NULL)
		curl_easy_cleanup(h);
	free(b.data);
	free(shown);
	free(url);
	conn_url_free(&u);
	return r;
}
