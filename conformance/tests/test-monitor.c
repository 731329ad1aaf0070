/* SPDX-License-Identifier: MIT */
/*
 * Tests for monitor.c: URL joining and redaction (table driven), and
 * monitor_get() against a one-shot HTTP server forked on a free loopback
 * port, so the status, JSON, size-cap and redirect paths run for real.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "monitor.h"

static void
test_join(void **state)
{
	static const struct {
		const char	*base;
		const char	*path;
		const char	*want;
	} cases[] = {
		{ "http://127.0.0.1:8222", "/varz", "http://127.0.0.1:8222/varz" },
		{ "http://127.0.0.1:8222/", "/varz", "http://127.0.0.1:8222/varz" },
		{ "http://127.0.0.1:8222//", "varz", "http://127.0.0.1:8222/varz" },
		{ "http://h/nats", "jsz?streams=true", "http://h/nats/jsz?streams=true" },
		{ "http://h", "", "http://h/" },
	};
	char	*s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(monitor_join_url(cases[i].base, cases[i].path,
		    &s), 0);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
	assert_int_equal(monitor_join_url("", "/varz", &s), -EINVAL);
}

static void
test_refused(void **state)
{
	/* Reserved characters raw and percent-encoded in the password. */
	static const char *urls[] = {
		"http://u:s3cret@127.0.0.1:1",
		"http://u:s3/cret@127.0.0.1:1",
		"http://u:s3cret/x@127.0.0.1:1",
		"http://u:s3@cret@127.0.0.1:1",
		"http://u:s3:cret@127.0.0.1:1",
		"http://u:s3,cret@127.0.0.1:1",
		"http://u:s3%2Fcret%2C%40%3A@127.0.0.1:1",
		"http://s3cret@127.0.0.1:1/",
	};
	struct diag	 d = { 0 };
	cJSON		*j = NULL;
	long		 st = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		assert_int_equal(monitor_get(urls[i], "/healthz", 2000, &d, &j,
		    &st), -ECONNREFUSED);
		assert_null(j);
		assert_non_null(strstr(d.msg, "127.0.0.1:1"));
		assert_null(strstr(d.msg, "s3"));
		assert_null(strstr(d.msg, "cret"));
	}
	assert_int_equal(monitor_get("http://u:s3%zzcret@127.0.0.1:1",
	    "/healthz", 2000, &d, &j, &st), -EINVAL);
	assert_non_null(strstr(d.msg, "percent-encoding"));
	assert_null(strstr(d.msg, "s3"));
}

static void
test_bad_scheme(void **state)
{
	struct diag	 d = { 0 };
	cJSON		*j = NULL;
	long		 st = 0;

	(void)state;
	assert_int_equal(monitor_get("file:///etc", "passwd", 2000, &d, &j,
	    &st), -EINVAL);
	assert_null(j);
}

/*
 * Serve one canned response on a free loopback port from a child process.
 * Returns the port; *ret_pid is the child.
 */
static int
serve_once(const char *head, size_t body_len, char fill, pid_t *ret_pid)
{
	struct sockaddr_in	 a = { 0 };
	socklen_t		 alen = sizeof(a);
	int			 ls, c;
	pid_t			 pid;
	char			 buf[4096];

	ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&a, &alen), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		alarm(10);
		if ((c = accept(ls, NULL, NULL)) < 0)
			_exit(1);
		(void)read(c, buf, sizeof(buf));
		(void)write(c, head, strlen(head));
		memset(buf, fill, sizeof(buf));
		while (body_len > 0) {
			size_t n = body_len < sizeof(buf) ? body_len :
			    sizeof(buf);
			if (write(c, buf, n) < 0)
				break;
			body_len -= n;
		}
		close(c);
		_exit(0);
	}
	close(ls);
	*ret_pid = pid;
	return ntohs(a.sin_port);
}

static void
reap(pid_t pid)
{
	int	st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
}

static void
test_served(void **state)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: "
	    "application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
	    "{\"status\":\"ok\"}";
	static const char notjson[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello";
	static const char missing[] = "HTTP/1.1 404 Not Found\r\n"
	    "Content-Length: 18\r\nConnection: close\r\n\r\n404 page not found";
	static const char moved[] = "HTTP/1.1 301 Moved\r\nLocation: "
	    "http://127.0.0.1:1/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	static const struct {
		const char	*head;
		int		 want_r;
		long		 want_status;
		bool		 want_json;
	} cases[] = {
		{ ok, 0, 200, true },
		{ notjson, -EPROTO, 0, false },
		{ missing, 0, 404, false },
		{ moved, 0, 301, false },	/* not followed */
	};
	char		 base[64];
	struct diag	 d;
	cJSON		*j;
	long		 st;
	pid_t		 pid;
	int		 port;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		port = serve_once(cases[i].head, 0, 0, &pid);
		snprintf(base, sizeof(base), "http://127.0.0.1:%d/", port);
		memset(&d, 0, sizeof(d));
		j = NULL;
		st = 0;
		assert_int_equal(monitor_get(base, "/healthz", 5000, &d, &j,
		    &st), cases[i].want_r);
		if (cases[i].want_r == 0)
			assert_int_equal(st, cases[i].want_status);
		if (cases[i].want_json) {
			assert_non_null(j);
			assert_string_equal(cJSON_GetStringValue(
			    cJSON_GetObjectItem(j, "status")), "ok");
		} else {
			assert_null(j);
		}
		cJSON_Delete(j);
		reap(pid);
	}
}

static void
test_too_big(void **state)
{
	/* No Content-Length: the cap must hold while the body streams in. */
	static const char head[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
	char		 base[64];
	struct diag	 d = { 0 };
	cJSON		*j = NULL;
	long		 st = 0;
	pid_t		 pid;
	int		 port;

	(void)state;
	port = serve_once(head, MONITOR_MAX_BYTES + 8192, ' ', &pid);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	assert_int_equal(monitor_get(base, "/varz", 10000, &d, &j, &st),
	    -E2BIG);
	assert_null(j);
	assert_non_null(strstr(d.msg, "larger than"));
	reap(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bad_scheme),
		cmocka_unit_test(test_served),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
