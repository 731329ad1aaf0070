/* SPDX-License-Identifier: MIT */
/*
 * it-jsapi: the JetStream client against a real nats-server started by
 * ci/with-server (NATS_URL, NATS_USER, NATS_PASSWORD).  With
 * --no-jetstream it checks a server without JetStream instead.
 *
 * Every diag this program sees is checked for the password.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsapi.h"
#include "testlib.h"

#define NSTREAMS	300	/* more than one STREAM.LIST page (256) */

static struct jsapi	*api;
static const char	*password;
static const char	*server_version;	/* what the harness read from /varz */

/* r must be want, and an error in d must not leak the password. */
static void
expect(int r, int want, const struct diag *d)
{
	if (r != want)
		fprintf(stderr, "got %d, want %d: %s\n", r, want,
		    r < 0 ? d->msg : "");
	assert_int_equal(r, want);
	if (r < 0 && password != NULL && *password != '\0')
		assert_null(strstr(d->msg, password));
}

static void
harness_opts(struct conn_opts *o)
{
	struct diag	d;

	conn_opts_init(o);
	assert_int_equal(conn_opts_handle(o, CONN_OPT_TIMEOUT, "2s", &d), 1);
	expect(conn_opts_finish(o, &d), 0, &d);
}

static int
setup_connect(void **state)
{
	struct conn_opts	o;
	struct diag		d;
	int			r;

	password = getenv("NATS_PASSWORD");
	server_version = getenv("HARNESS_SERVER_VERSION");
	if (server_version == NULL) {
		fprintf(stderr, "HARNESS_SERVER_VERSION is unset: run under ci/with-server\n");
		return -1;
	}
	harness_opts(&o);
	r = jsapi_connect(&o, &d, &api);
	conn_opts_free(&o);
	if (r < 0)
		fprintf(stderr, "connect: %s\n", d.msg);
	return r;
}

static int
teardown_connect(void **state)
{
	jsapi_free(api);
	api = NULL;
	return 0;
}


static void
create_stream(const char *config)
{
	struct diag	 d;
	cJSON		*cfg = testlib_json(config), *info = NULL;

	expect(jsapi_stream_create(api, cfg, &d, &info), 0, &d);
	assert_non_null(cJSON_GetObjectItem(info, "config"));
	cJSON_Delete(info);
	cJSON_Delete(cfg);
}

static void
test_probe(void **state)
{
	const struct jsapi_server	*srv = jsapi_server(api);

	unsigned			 maj, min, pat;

	/* The greeting must say what /varz says, whichever server it is. */
	assert_string_equal(srv->version, server_version);
	assert_int_equal(sscanf(server_version, "%u.%u.%u", &maj, &min, &pat),
	    3);
	assert_int_equal(srv->version_num, maj * 10000 + min * 100 + pat);
	assert_string_equal(srv->name, "harness");
	assert_int_equal(strlen(srv->id), 56);
	assert_string_equal(srv->cluster, "");
	assert_string_equal(srv->domain, "");
	assert_true(srv->jetstream);
	/* The probe asked $JS.API.INFO once and changed nothing. */
	assert_true(jsapi_request_count(api) >= 1);
}

static bool
has_name(const cJSON *list, const char *name)
{
	const cJSON	*item, *cfg, *n;

	cJSON_ArrayForEach(item, list) {
		cfg = cJSON_GetObjectItem(item, "config");
		n = cJSON_GetObjectItem(cfg, "name");
		if (n == NULL)
			n = cJSON_GetObjectItem(item, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return true;
	}
	return false;
}

static void
test_stream_list_pages(void **state)
{
	struct diag	 d;
	cJSON		*list = NULL;
	char		 cfg[256], name[32];
	uint64_t	 req0, mut0;
	int		 i;

	mut0 = jsapi_mutation_count(api);
	for (i = 0; i < NSTREAMS; i++) {
		snprintf(cfg, sizeof(cfg), "{\"name\":\"P%03d\",\"subjects\":"
		    "[\"p.%d\"],\"storage\":\"memory\"}", i, i);
		create_stream(cfg);
	}
	assert_int_equal(jsapi_mutation_count(api) - mut0, NSTREAMS);
	req0 = jsapi_request_count(api);
	mut0 = jsapi_mutation_count(api);
	expect(jsapi_stream_list(api, &d, &list), 0, &d);
	assert_int_equal(jsapi_request_count(api) - req0, 2);
	assert_int_equal(jsapi_mutation_count(api), mut0);
	assert_int_equal(cJSON_GetArraySize(list), NSTREAMS);
	for (i = 0; i < NSTREAMS; i++) {
		snprintf(name, sizeof(name), "P%03d", i);
		assert_true(has_name(list, name));
	}
	cJSON_Delete(list);
	for (i = 0; i < NSTREAMS; i++) {
		snprintf(name, sizeof(name), "P%03d", i);
		expect(jsapi_stream_delete(api, name, &d), 0, &d);
	}
	expect(jsapi_stream_list(api, &d, &list), 0, &d);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
}

static void
test_consumers(void **state)
{
	struct diag	 d;
	cJSON		*cfg, *info = NULL, *list = NULL, *name;
	char		 ephemeral[256];

	create_stream("{\"name\":\"C1\",\"subjects\":[\"c1.>\"]}");
	cfg = testlib_json("{\"durable_name\":\"pull1\",\"ack_policy\":\"explicit\","
	    "\"max_ack_pending\":7}");
	expect(jsapi_consumer_create(api, "C1", cfg, &d, &info), 0, &d);
	assert_string_equal(cJSON_GetObjectItem(info, "name")->valuestring,
	    "pull1");
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	/* Without a durable name: CONSUMER.CREATE picks the name. */
	cfg = testlib_json("{\"deliver_subject\":\"dlv.c1\",\"ack_policy\":\"none\"}");
	expect(jsapi_consumer_create(api, "C1", cfg, &d, &info), 0, &d);
	name = cJSON_GetObjectItem(info, "name");
	assert_true(cJSON_IsString(name));
	snprintf(ephemeral, sizeof(ephemeral), "%s", name->valuestring);
	cJSON_Delete(info);
	cJSON_Delete(cfg);

	expect(jsapi_consumer_list(api, "C1", &d, &list), 0, &d);
	assert_int_equal(cJSON_GetArraySize(list), 2);
	assert_true(has_name(list, "pull1"));
	assert_true(has_name(list, ephemeral));
	cJSON_Delete(list);

	expect(jsapi_consumer_info(api, "C1", "pull1", &d, &info), 0, &d);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(info,
	    "config"), "max_ack_pending")->valueint, 7);
	cJSON_Delete(info);
	expect(jsapi_consumer_delete(api, "C1", ephemeral, &d), 0, &d);
	expect(jsapi_consumer_delete(api, "C1", "pull1", &d), 0, &d);
	expect(jsapi_consumer_info(api, "C1", "pull1", &d, &info), -ENOENT,
	    &d);
	assert_int_equal(d.err_code, 10014);
	expect(jsapi_consumer_list(api, "C1", &d, &list), 0, &d);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	expect(jsapi_stream_delete(api, "C1", &d), 0, &d);
}

static void
test_api_errors(void **state)
{
	struct diag	 d;
	cJSON		*cfg, *info = NULL, *resp = NULL;
	uint64_t	 req0;

	expect(jsapi_stream_info(api, "nope", &d, &info), -ENOENT, &d);
	assert_int_equal(d.api_code, 404);
	assert_int_equal(d.err_code, 10059);
	assert_string_equal(d.msg, "stream not found");
	assert_null(info);
	expect(jsapi_stream_delete(api, "nope", &d), -ENOENT, &d);

	create_stream("{\"name\":\"E1\",\"subjects\":[\"e1.>\"]}");
	cfg = testlib_json("{\"name\":\"E2\",\"subjects\":[\"e1.a\"]}");
	expect(jsapi_stream_create(api, cfg, &d, &info), -EPROTO, &d);
	assert_int_equal(d.api_code, 400);
	assert_int_equal(d.err_code, 10065);
	assert_string_equal(d.msg, "subjects overlap with an existing stream");
	cJSON_Delete(cfg);
	expect(jsapi_consumer_info(api, "E1", "nope", &d, &info), -ENOENT,
	    &d);

	/* Names that would change the subject never reach the server. */
	req0 = jsapi_request_count(api);
	expect(jsapi_stream_info(api, "a.b", &d, &info), -EINVAL, &d);
	expect(jsapi_stream_delete(api, "*", &d), -EINVAL, &d);
	expect(jsapi_consumer_info(api, "E1", "x y", &d, &info), -EINVAL, &d);
	cfg = testlib_json("{\"subjects\":[\"x\"]}");
	expect(jsapi_stream_create(api, cfg, &d, &info), -EINVAL, &d);
	cJSON_Delete(cfg);
	assert_int_equal(jsapi_request_count(api), req0);

	/* An unknown API subject gets no answer: a timeout, not a hang. */
	expect(jsapi_request(api, "NO.SUCH.THING", NULL, &d, &resp),
	    -ETIMEDOUT, &d);
	expect(jsapi_stream_delete(api, "E1", &d), 0, &d);
}

static void
test_stream_update_purge(void **state)
{
	struct diag	 d;
	cJSON		*cfg, *info = NULL, *ack = NULL, *acct = NULL;
	uint64_t	 mut0;
	int		 i;

	create_stream("{\"name\":\"U1\",\"subjects\":[\"u1.>\"]}");
	cfg = testlib_json("{\"name\":\"U1\",\"subjects\":[\"u1.>\"],\"max_msgs\":5}");
	mut0 = jsapi_mutation_count(api);
	expect(jsapi_stream_update(api, cfg, &d, &info), 0, &d);
	assert_int_equal(jsapi_mutation_count(api) - mut0, 1);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(info,
	    "config"), "max_msgs")->valueint, 5);
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	for (i = 0; i < 8; i++) {
		expect(jsapi_js_publish(api, "u1.x", NULL, "m", 1, &d, &ack),
		    0, &d);
		cJSON_Delete(ack);
	}
	expect(jsapi_stream_info(api, "U1", &d, &info), 0, &d);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(info,
	    "state"), "messages")->valueint, 5);
	cJSON_Delete(info);
	expect(jsapi_account_info(api, &d, &acct), 0, &d);
	assert_int_equal(cJSON_GetObjectItem(acct, "streams")->valueint, 1);
	cJSON_Delete(acct);
	expect(jsapi_stream_purge(api, "U1", &d), 0, &d);
	expect(jsapi_stream_info(api, "U1", &d, &info), 0, &d);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(info,
	    "state"), "messages")->valueint, 0);
	cJSON_Delete(info);
	expect(jsapi_stream_delete(api, "U1", &d), 0, &d);
}

static const char *
header(const struct jsapi_msg *m, const char *name, int i)
{
	const cJSON	*v;

	v = cJSON_GetArrayItem(cJSON_GetObjectItem(m->headers, name), i);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_publish_pull_ack(void **state)
{
	struct diag		 d;
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	struct jsapi_meta	 meta;
	cJSON			*cfg, *hdrs, *ack = NULL, *info = NULL;

	create_stream("{\"name\":\"W\",\"subjects\":[\"w.>\"]}");
	cfg = testlib_json("{\"durable_name\":\"worker\",\"ack_policy\":\"explicit\","
	    "\"ack_wait\":30000000000}");
	expect(jsapi_consumer_create(api, "W", cfg, &d, &info), 0, &d);
	cJSON_Delete(info);
	cJSON_Delete(cfg);

	hdrs = testlib_json("{\"X-Test\":[\"a\",\"b\"],\"Nats-Msg-Id\":\"id-1\"}");
	expect(jsapi_js_publish(api, "w.one", hdrs, "hello", 5, &d, &ack), 0,
	    &d);
	assert_string_equal(cJSON_GetObjectItem(ack, "stream")->valuestring,
	    "W");
	assert_int_equal(cJSON_GetObjectItem(ack, "seq")->valueint, 1);
	cJSON_Delete(ack);
	/* The same Nats-Msg-Id again is a duplicate, not a new message. */
	expect(jsapi_js_publish(api, "w.one", hdrs, "hello", 5, &d, &ack), 0,
	    &d);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ack, "duplicate")));
	cJSON_Delete(ack);
	cJSON_Delete(hdrs);
	expect(jsapi_js_publish(api, "w.two", NULL, "again", 5, &d, &ack), 0,
	    &d);
	cJSON_Delete(ack);
	expect(jsapi_js_publish(api, "nostream.x", NULL, "x", 1, &d, &ack),
	    -ENOTSUP, &d);
	assert_non_null(strstr(d.msg, "no stream matches subject 'nostream.x'"));

	expect(jsapi_subscribe(api, NULL, &d, &sub), 0, &d);
	assert_true(strncmp(jsapi_sub_subject(sub), "_INBOX.", 7) == 0);
	expect(jsapi_pull(api, "W", "worker", 1, 1000, sub, &d), 0, &d);
	expect(jsapi_sub_next(sub, 2000, &d, &m), 0, &d);
	assert_string_equal(m->subject, "w.one");
	assert_int_equal(m->len, 5);
	assert_string_equal(m->data, "hello");
	assert_string_equal(header(m, "X-Test", 0), "a");
	assert_string_equal(header(m, "X-Test", 1), "b");
	assert_null(header(m, "status", 0));
	assert_int_equal(jsapi_msg_meta(m, &meta), 0);
	assert_string_equal(meta.stream, "W");
	assert_string_equal(meta.consumer, "worker");
	assert_int_equal(meta.num_delivered, 1);
	assert_int_equal(meta.stream_seq, 1);
	assert_int_equal(meta.consumer_seq, 1);
	assert_int_equal(meta.num_pending, 1);
	/* A NAK brings it back, delivered twice. */
	expect(jsapi_msg_ack(api, m, "-NAK", true, &d), 0, &d);
	jsapi_msg_free(m);
	expect(jsapi_pull(api, "W", "worker", 1, 1000, sub, &d), 0, &d);
	expect(jsapi_sub_next(sub, 2000, &d, &m), 0, &d);
	assert_int_equal(jsapi_msg_meta(m, &meta), 0);
	assert_int_equal(meta.stream_seq, 1);
	assert_int_equal(meta.num_delivered, 2);
	expect(jsapi_msg_ack(api, m, "+ACK", true, &d), 0, &d);
	expect(jsapi_msg_ack(api, m, "+OK", false, &d), -EINVAL, &d);
	jsapi_msg_free(m);

	expect(jsapi_pull(api, "W", "worker", 5, 0, sub, &d), 0, &d);
	expect(jsapi_sub_next(sub, 2000, &d, &m), 0, &d);
	assert_string_equal(m->data, "again");
	assert_int_equal(jsapi_msg_meta(m, &meta), 0);
	assert_int_equal(meta.stream_seq, 2);
	expect(jsapi_msg_ack(api, m, "+ACK", false, &d), 0, &d);
	jsapi_msg_free(m);
	/*
	 * The rest of the no_wait batch ends with a status message: 408 up
	 * to 2.11 (measured on 2.9.10 and 2.10.27), 404 "No Messages" since
	 * nats-server PR 7466 (2.12; measured on 2.15.1).
	 */
	expect(jsapi_sub_next(sub, 2000, &d, &m), 0, &d);
	assert_string_equal(header(m, "status", 0),
	    jsapi_server(api)->version_num < 21200 ? "408" : "404");
	jsapi_msg_free(m);
	/* Nothing left at all: no_wait answers with 404. */
	expect(jsapi_pull(api, "W", "worker", 1, 0, sub, &d), 0, &d);
	expect(jsapi_sub_next(sub, 2000, &d, &m), 0, &d);
	assert_string_equal(header(m, "status", 0), "404");
	assert_string_equal(header(m, "Description", 0), "No Messages");
	assert_int_equal(m->len, 0);
	assert_null(m->reply);
	assert_int_equal(jsapi_msg_meta(m, &meta), -EINVAL);
	jsapi_msg_free(m);
	expect(jsapi_sub_next(sub, 100, &d, &m), -ETIMEDOUT, &d);

	expect(jsapi_flush(api, &d), 0, &d);
	expect(jsapi_consumer_info(api, "W", "worker", &d, &info), 0, &d);
	assert_int_equal(cJSON_GetObjectItem(info, "num_ack_pending")->valueint,
	    0);
	cJSON_Delete(info);
	expect(jsapi_pull(api, "W", "worker", 0, 0, sub, &d), -EINVAL, &d);
	jsapi_sub_free(sub);
	expect(jsapi_stream_delete(api, "W", &d), 0, &d);
}

static void
test_core_headers(void **state)
{
	struct diag		 d;
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	cJSON			*hdrs, *bad;

	expect(jsapi_subscribe(api, "hdr.test", &d, &sub), 0, &d);
	assert_string_equal(jsapi_sub_subject(sub), "hdr.test");
	hdrs = testlib_json("{\"A\":\"1\",\"Multi\":[\"x\",\"y\",\"z\"]}");
	expect(jsapi_publish(api, "hdr.test", "reply.here", hdrs, "body\0b", 6,
	    &d), 0, &d);
	expect(jsapi_publish(api, "hdr.test", NULL, NULL, NULL, 0, &d), 0, &d);
	expect(jsapi_flush(api, &d), 0, &d);
	expect(jsapi_sub_next(sub, 1000, &d, &m), 0, &d);
	assert_string_equal(m->reply, "reply.here");
	assert_int_equal(m->len, 6);
	assert_memory_equal(m->data, "body\0b", 6);
	assert_string_equal(header(m, "A", 0), "1");
	assert_string_equal(header(m, "Multi", 0), "x");
	assert_string_equal(header(m, "Multi", 2), "z");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m->headers,
	    "Multi")), 3);
	jsapi_msg_free(m);
	expect(jsapi_sub_next(sub, 1000, &d, &m), 0, &d);
	assert_null(m->headers);
	assert_null(m->reply);
	assert_int_equal(m->len, 0);
	assert_string_equal(m->data, "");
	jsapi_msg_free(m);
	bad = testlib_json("{\"A\":5}");
	expect(jsapi_publish(api, "hdr.test", NULL, bad, "x", 1, &d), -EINVAL,
	    &d);
	cJSON_Delete(bad);
	cJSON_Delete(hdrs);
	jsapi_sub_free(sub);
}

static void
test_publish_async(void **state)
{
	struct diag	 d;
	cJSON		*info = NULL;
	const cJSON	*st;

	create_stream("{\"name\":\"B\",\"subjects\":[\"bench.>\"],"
	    "\"storage\":\"memory\"}");
	expect(jsapi_js_publish_async(api, "bench.x", "0123456789", 10, 500,
	    &d), 0, &d);
	/* every publish was stored, not just acknowledged in aggregate */
	expect(jsapi_stream_info(api, "B", &d, &info), 0, &d);
	st = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    info, "state"), "messages");
	assert_true(cJSON_IsNumber(st));
	assert_int_equal((int)st->valuedouble, 500);
	cJSON_Delete(info);
	expect(jsapi_js_publish_async(api, "nobench.x", "x", 1, 10, &d),
	    -EPROTO, &d);
	assert_non_null(strstr(d.msg, "10 of 10"));
	expect(jsapi_js_publish_async(api, "bench.x", "x", 1, 0, &d),
	    -EINVAL, &d);
	expect(jsapi_stream_delete(api, "B", &d), 0, &d);
}

static void
test_wrong_password(void **state)
{
	struct conn_opts	 o;
	struct jsapi		*bad = NULL;
	struct diag		 d;

	if (password == NULL || *password == '\0')
		skip();
	harness_opts(&o);
	free(o.password);
	assert_non_null(o.password = strdup("Wr0ngPassw0rd"));
	expect(jsapi_connect(&o, &d, &bad), -EACCES, &d);
	assert_null(strstr(d.msg, "Wr0ngPassw0rd"));
	assert_null(bad);
	conn_opts_free(&o);
}

/* Credentials in the URL work, and are redacted when connecting fails. */
static void
test_url_credentials(void **state)
{
	struct conn_opts	 o;
	struct jsapi		*other = NULL;
	struct diag		 d;
	const char		*url = getenv("NATS_URL"), *user;
	char			 buf[512];

	user = getenv("NATS_USER");
	if (password == NULL || *password == '\0')
		skip();
	conn_opts_init(&o);
	snprintf(buf, sizeof(buf), "nats://%s:%s@%s", user, password,
	    url + strlen("nats://"));
	assert_non_null(o.url = strdup(buf));
	o.timeout_ms = 2000;
	expect(jsapi_connect(&o, &d, &other), 0, &d);
	assert_string_equal(jsapi_server(other)->version, server_version);
	jsapi_free(other);
	conn_opts_free(&o);

	snprintf(buf, sizeof(buf), "nats://%s:Wr0ngPassw0rd@%s", user,
	    url + strlen("nats://"));
	conn_opts_init(&o);
	assert_non_null(o.url = strdup(buf));
	o.timeout_ms = 2000;
	expect(jsapi_connect(&o, &d, &other), -EACCES, &d);
	assert_null(strstr(d.msg, "Wr0ngPassw0rd"));
	assert_non_null(strstr(d.msg, ":***@"));
	conn_opts_free(&o);
}

static void
test_unreachable(void **state)
{
	struct conn_opts	 o;
	struct jsapi		*none = NULL;
	struct diag		 d;

	harness_opts(&o);
	free(o.url);
	/* Port 1 on loopback: nothing listens there. */
	assert_non_null(o.url = strdup("nats://127.0.0.1:1"));
	o.timeout_ms = 500;
	expect(jsapi_connect(&o, &d, &none), -ECONNREFUSED, &d);
	assert_non_null(strstr(d.msg, "nats://127.0.0.1:1"));
	conn_opts_free(&o);
}

static void
test_no_jetstream(void **state)
{
	const struct jsapi_server	*srv = jsapi_server(api);
	struct diag			 d;
	cJSON				*resp = NULL;

	assert_string_equal(srv->version, server_version);
	assert_false(srv->jetstream);
	expect(jsapi_request(api, "STREAM.LIST", NULL, &d, &resp), -ENOTSUP,
	    &d);
	assert_non_null(strstr(d.msg,
	    "JetStream is not enabled for this account"));
	expect(jsapi_stream_list(api, &d, &resp), -ENOTSUP, &d);
	expect(jsapi_js_publish(api, "any.subject", NULL, "x", 1, &d, &resp),
	    -ENOTSUP, &d);
	assert_null(resp);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest js[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_stream_list_pages),
		cmocka_unit_test(test_consumers),
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_stream_update_purge),
		cmocka_unit_test(test_publish_pull_ack),
		cmocka_unit_test(test_core_headers),
		cmocka_unit_test(test_publish_async),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_url_credentials),
		cmocka_unit_test(test_unreachable),
	};
	const struct CMUnitTest nojs[] = {
		cmocka_unit_test(test_no_jetstream),
		cmocka_unit_test(test_unreachable),
	};
	int	r;

	if (getenv("NATS_URL") == NULL) {
		fprintf(stderr, "it-jsapi: run me under ci/with-server\n");
		return 77;
	}
	if (argc > 1 && strcmp(argv[1], "--no-jetstream") == 0)
		r = cmocka_run_group_tests_name("it-jsapi --no-jetstream",
		    nojs, setup_connect, teardown_connect);
	else
		r = cmocka_run_group_tests_name("it-jsapi", js, setup_connect,
		    teardown_connect);
	jsapi_shutdown();
	return r;
}
