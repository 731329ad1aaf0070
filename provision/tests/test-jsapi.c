/* SPDX-License-Identifier: MIT */
/*
 * test-jsapi: the parts of the JetStream client that need no server:
 * INFO line and API error parsing, ack subject metadata, and connection
 * failures (refused, silent server, bad files) with their codes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "jsapi.h"

/* The greeting of the harness server, as nats-server 2.9.10 sends it. */
#define INFO_2910 "INFO {\"server_id\":\"NBUJ6MEA57GCDOTHDBWPNFXB6AQYIUAW6" \
	"SQGZPW4AJDBZDWRFRWFHGT7\",\"server_name\":\"harness\",\"version\":" \
	"\"2.9.10\",\"proto\":1,\"go\":\"go1.19.8\",\"host\":\"127.0.0.1\"," \
	"\"port\":37395,\"headers\":true,\"auth_required\":true," \
	"\"max_payload\":1048576,\"jetstream\":true,\"client_id\":4," \
	"\"client_ip\":\"127.0.0.1\"} "

static void
test_parse_info_line(void **state)
{
	static const struct {
		const char	*line;
		int		 r;
		const char	*version;
		int		 num;
		const char	*name;
		const char	*cluster;
	} cases[] = {
		{ INFO_2910, 0, "2.9.10", 20910, "harness", "" },
		{ "INFO {\"version\":\"2.10.7-beta.1\",\"server_name\":\"n1\","
		    "\"cluster\":\"c1\"}", 0, "2.10.7-beta.1", 21007, "n1",
		    "c1" },
		{ "INFO {\"version\":\"2.9\"}", 0, "2.9", 20900, "", "" },
		{ "info\t{\"version\":\"3.0.0\"}", 0, "3.0.0", 30000, "", "" },
		{ "INFO {}", -EPROTO, NULL, 0, NULL, NULL },
		{ "INFO {\"version\":\"v2.9.10\"}", -EPROTO, NULL, 0, NULL,
		    NULL },
		{ "INFO {\"version\":\"2.100.0\"}", -EPROTO, NULL, 0, NULL,
		    NULL },
		{ "INFO {\"version\":\"2.9.10x\"}", -EPROTO, NULL, 0, NULL,
		    NULL },
		{ "INFO {\"version\":2}", -EPROTO, NULL, 0, NULL, NULL },
		{ "INFO [1]", -EPROTO, NULL, 0, NULL, NULL },
		{ "INFO nonsense", -EPROTO, NULL, 0, NULL, NULL },
		{ "INFORMATION {}", -EPROTO, NULL, 0, NULL, NULL },
		{ "-ERR 'Authorization Violation'", -EPROTO, NULL, 0, NULL,
		    NULL },
		{ "", -EPROTO, NULL, 0, NULL, NULL },
	};
	struct jsapi_server	srv;
	struct diag		d;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&srv, 0, sizeof(srv));
		assert_int_equal(jsapi_parse_info_line(cases[i].line, &srv,
		    &d), cases[i].r);
		if (cases[i].r < 0) {
			assert_int_equal(d.code, cases[i].r);
			continue;
		}
		assert_string_equal(srv.version, cases[i].version);
		assert_int_equal(srv.version_num, cases[i].num);
		assert_string_equal(srv.name, cases[i].name);
		assert_string_equal(srv.cluster, cases[i].cluster);
	}
	memset(&srv, 0, sizeof(srv));
	assert_int_equal(jsapi_parse_info_line(INFO_2910, &srv, &d), 0);
	assert_string_equal(srv.id,
	    "NBUJ6MEA57GCDOTHDBWPNFXB6AQYIUAW6SQGZPW4AJDBZDWRFRWFHGT7");
	assert_false(srv.jetstream);
}

static void
test_response_error(void **state)
{
	/* Responses as nats-server 2.9.10 sends them. */
	static const struct {
		const char	*json;
		int		 r;
		int		 api_code;
		int		 err_code;
		const char	*msg;
	} cases[] = {
		{ "{\"type\":\"io.nats.jetstream.api.v1.stream_delete_response\","
		    "\"success\":true}", 0, 0, 0, NULL },
		{ "{\"error\":{\"code\":404,\"err_code\":10059,\"description\":"
		    "\"stream not found\"},\"total\":0}", -ENOENT, 404, 10059,
		    "stream not found" },
		{ "{\"error\":{\"code\":404,\"err_code\":10014,\"description\":"
		    "\"consumer not found\"}}", -ENOENT, 404, 10014,
		    "consumer not found" },
		{ "{\"error\":{\"code\":400,\"err_code\":10065,\"description\":"
		    "\"subjects overlap with an existing stream\"}}", -EPROTO,
		    400, 10065, "subjects overlap with an existing stream" },
		{ "{\"error\":{\"code\":404,\"err_code\":10037,\"description\":"
		    "\"no message found\"}}", -EPROTO, 404, 10037,
		    "no message found" },
		{ "{\"error\":{\"code\":503,\"err_code\":10039,\"description\":"
		    "\"jetstream not enabled for account\"}}", -ENOTSUP, 503,
		    10039, "jetstream not enabled for account" },
		{ "{\"error\":{\"code\":500}}", -EPROTO, 500, 0,
		    "JetStream API error 500 (err_code 0)" },
		{ "{\"error\":{}}", -EPROTO, 0, 0,
		    "JetStream API error 0 (err_code 0)" },
	};
	struct diag	 d;
	cJSON		*resp;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_non_null(resp = cJSON_Parse(cases[i].json));
		diag_clear(&d);
		assert_int_equal(jsapi_response_error(resp, &d), cases[i].r);
		assert_int_equal(d.api_code, cases[i].api_code);
		assert_int_equal(d.err_code, cases[i].err_code);
		if (cases[i].msg != NULL)
			assert_string_equal(d.msg, cases[i].msg);
		cJSON_Delete(resp);
	}
	assert_int_equal(jsapi_response_error(NULL, NULL), 0);
}

static void
test_msg_meta(void **state)
{
	static const struct {
		const char	*reply;
		int		 r;
		const char	*stream;
		const char	*consumer;
		uint64_t	 delivered, sseq, cseq, pending;
	} cases[] = {
		{ "$JS.ACK.s1.c1.1.1.1.1795503744215317653.0", 0, "s1", "c1",
		    1, 1, 1, 0 },
		{ "$JS.ACK.ORDERS.proc.3.1042.17.1700000000000000000.99", 0,
		    "ORDERS", "proc", 3, 1042, 17, 99 },
		/* 2.10: domain and account hash first, a random token last. */
		{ "$JS.ACK.hub.ACCHASH.s2.c2.2.10.5.1700000000000000000.7.rnd",
		    0, "s2", "c2", 2, 10, 5, 7 },
		{ "$JS.ACK._.ACCHASH.s2.c2.1.2.3.4.5.rnd.extra", 0, "s2", "c2",
		    1, 2, 3, 5 },
		{ "$JS.ACK.s1.c1.1.1.1.1", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
		{ "$JS.ACK.d.h.s1.c1.1.1.1.1.1", -EINVAL, NULL, NULL, 0, 0, 0,
		    0 },
		{ "$JS.ACK.s1.c1.x.1.1.1.0", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
		{ "$JS.ACK.s1.c1.1.-1.1.1.0", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
		{ "$JS.ACK.s1.c1.1.1.1.1.99999999999999999999", -EINVAL, NULL,
		    NULL, 0, 0, 0, 0 },
		{ "_INBOX.abc", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
		{ "$JS.API.s1.c1.1.1.1.1.0", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
		{ NULL, -EINVAL, NULL, NULL, 0, 0, 0, 0 },
	};
	struct jsapi_msg	m;
	struct jsapi_meta	meta;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.subject = (char *)"x";
		m.reply = (char *)cases[i].reply;
		memset(&meta, 0, sizeof(meta));
		assert_int_equal(jsapi_msg_meta(&m, &meta), cases[i].r);
		if (cases[i].r < 0)
			continue;
		assert_string_equal(meta.stream, cases[i].stream);
		assert_string_equal(meta.consumer, cases[i].consumer);
		assert_int_equal(meta.num_delivered, cases[i].delivered);
		assert_int_equal(meta.stream_seq, cases[i].sseq);
		assert_int_equal(meta.consumer_seq, cases[i].cseq);
		assert_int_equal(meta.num_pending, cases[i].pending);
	}
}

static void
test_msg_meta_long_name(void **state)
{
	struct jsapi_msg	m;
	struct jsapi_meta	meta;
	char			reply[700];

	memset(&m, 0, sizeof(m));
	snprintf(reply, sizeof(reply), "$JS.ACK.%0300d.c.1.1.1.1.0", 0);
	m.reply = reply;
	assert_int_equal(jsapi_msg_meta(&m, &meta), -EINVAL);
	jsapi_msg_free(NULL);
}

/* A loopback TCP socket; listening (silent server) or closed (refused). */
static int
loopback(bool listening, int *ret_port)
{
	struct sockaddr_in	a;
	socklen_t		len = sizeof(a);
	int			fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*ret_port = ntohs(a.sin_port);
	if (listening) {
		assert_int_equal(listen(fd, 8), 0);
		return fd;
	}
	close(fd);
	return -1;
}

/* nats://<userinfo>127.0.0.1:<port> */
static void
opts_for(struct conn_opts *o, const char *userinfo, int port, int64_t timeout)
{
	char	url[256];

	conn_opts_init(o);
	snprintf(url, sizeof(url), "nats://%s127.0.0.1:%d", userinfo, port);
	o->url = strdup(url);
	assert_non_null(o->url);
	o->timeout_ms = timeout;
}

static void
test_connect_refused(void **state)
{
	struct conn_opts	 o;
	struct jsapi		*api = NULL;
	struct diag		 d;
	int			 port;

	loopback(false, &port);
	opts_for(&o, "alice:Sup3rSecret@", port, 2000);
	assert_int_equal(jsapi_connect(&o, &d, &api), -ECONNREFUSED);
	assert_null(api);
	assert_non_null(strstr(d.msg, "alice:***@127.0.0.1"));
	assert_null(strstr(d.msg, "Sup3rSecret"));
	conn_opts_free(&o);
}

static void
test_connect_silent(void **state)
{
	struct conn_opts	 o;
	struct jsapi		*api = NULL;
	struct diag		 d;
	int			 fd, port;

	fd = loopback(true, &port);
	opts_for(&o, "", port, 300);
	assert_int_equal(jsapi_connect(&o, &d, &api), -ECONNREFUSED);
	assert_non_null(strstr(d.msg, "no answer within 300 ms"));
	close(fd);
	conn_opts_free(&o);
}

static void
test_connect_bad_options(void **state)
{
	static const struct {
		const char	*creds, *nkey, *cert, *key, *ca;
		const char	*needle;
	} cases[] = {
		{ "/nonexistent/u.creds", NULL, NULL, NULL, NULL,
		    "credentials file '/nonexistent/u.creds'" },
		{ NULL, "/nonexistent/u.nk", NULL, NULL, NULL,
		    "nkey seed file '/nonexistent/u.nk'" },
		{ NULL, NULL, "/nonexistent/c.pem", NULL, NULL,
		    "both a certificate and a key" },
		{ NULL, NULL, "/nonexistent/c.pem", "/nonexistent/k.pem", NULL,
		    "TLS certificate '/nonexistent/c.pem'" },
		{ NULL, NULL, NULL, NULL, "/nonexistent/ca.pem",
		    "TLS CA '/nonexistent/ca.pem'" },
	};
	struct conn_opts	 o;
	struct jsapi		*api = NULL;
	struct diag		 d;
	size_t			 i;
	int			 port;

	loopback(false, &port);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		opts_for(&o, "", port, 500);
		o.creds = cases[i].creds ? strdup(cases[i].creds) : NULL;
		o.nkey = cases[i].nkey ? strdup(cases[i].nkey) : NULL;
		o.tls_cert = cases[i].cert ? strdup(cases[i].cert) : NULL;
		o.tls_key = cases[i].key ? strdup(cases[i].key) : NULL;
		o.tls_ca = cases[i].ca ? strdup(cases[i].ca) : NULL;
		assert_int_equal(jsapi_connect(&o, &d, &api), -EINVAL);
		assert_non_null(strstr(d.msg, cases[i].needle));
		conn_opts_free(&o);
	}
	/* Options that conn_opts_finish() did not complete. */
	conn_opts_init(&o);
	assert_int_equal(jsapi_connect(&o, &d, &api), -EINVAL);
	assert_null(api);
	jsapi_free(NULL);
}

static void
test_nats_version(void **state)
{
	const char	*v = jsapi_nats_version();

	assert_non_null(v);
	assert_true(v[0] >= '3' && v[0] <= '9');
	assert_non_null(strchr(v, '.'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_info_line),
		cmocka_unit_test(test_response_error),
		cmocka_unit_test(test_msg_meta),
		cmocka_unit_test(test_msg_meta_long_name),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_connect_silent),
		cmocka_unit_test(test_connect_bad_options),
		cmocka_unit_test(test_nats_version),
	};
	int	r;

	r = cmocka_run_group_tests(tests, NULL, NULL);
	jsapi_shutdown();
	return r;
}
