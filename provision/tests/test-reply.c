/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for reply: hostile StreamInfo and ConsumerInfo replies
 * (huge, negative, non-finite, fractional and wrong-typed numbers, wrong
 * shapes) are refused with -EBADMSG naming the member; well-formed
 * replies as nats-server 2.9 and 2.10 send them pass.  Also diag_quote(),
 * the one quoting rule for text from the server.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jint.h"
#include "reply.h"

/*
 * A StreamInfo as 2.10 sends it, trimmed, with cfg first in config and
 * state first in state (of duplicate keys, cJSON and so every reader
 * takes the first).
 */
#define STREAM_INFO(cfg, state) \
	"{\"config\":{\"name\":\"ORDERS\"" cfg ",\"subjects\":[\"orders.>\"]," \
	"\"retention\":\"limits\",\"max_consumers\":-1,\"max_msgs\":-1," \
	"\"max_bytes\":-1,\"max_age\":0,\"max_msgs_per_subject\":-1," \
	"\"max_msg_size\":-1,\"discard\":\"old\",\"storage\":\"file\"," \
	"\"num_replicas\":1,\"duplicate_window\":120000000000," \
	"\"sealed\":false,\"deny_delete\":false,\"deny_purge\":false," \
	"\"allow_rollup_hdrs\":false,\"allow_direct\":false," \
	"\"mirror_direct\":false,\"compression\":\"none\"}," \
	"\"created\":\"2026-11-24T06:55:21.37763875Z\"," \
	"\"state\":{" state "\"messages\":65,\"bytes\":4096,\"first_seq\":1," \
	"\"first_ts\":\"2026-11-24T06:55:21Z\",\"last_seq\":65," \
	"\"consumer_count\":1}}"

static void
test_stream_info(void **state)
{
	static const struct {
		const char	*json;
		int		 want;
		const char	*needle;	/* in the message, or NULL */
	} cases[] = {
		{ STREAM_INFO("", ""), 0, NULL },
		{ STREAM_INFO(",\"metadata\":{\"a\":\"b\"},\"placement\":"
		    "{\"cluster\":\"c\",\"tags\":[\"x\"]},\"sources\":[{"
		    "\"name\":\"S\",\"opt_start_seq\":3}],\"future\":[1e999]",
		    ""), 0, NULL },
		/* An unknown member is left alone. */
		{ STREAM_INFO("", "\"future_counter\":-5,"), 0, NULL },
		{ STREAM_INFO(",\"max_msgs\":1e999", ""), -EBADMSG,
		    "config.max_msgs is inf" },
		{ STREAM_INFO(",\"max_msgs\":-1e999", ""), -EBADMSG,
		    "config.max_msgs is -inf" },
		{ STREAM_INFO(",\"max_bytes\":1e19", ""), -EBADMSG,
		    "config.max_bytes is 1e+19" },
		{ STREAM_INFO(",\"max_age\":-5", ""), -EBADMSG,
		    "config.max_age is -5, outside -1.." },
		{ STREAM_INFO(",\"max_msgs\":-1e18", ""), -EBADMSG,
		    "outside" },
		{ STREAM_INFO(",\"duplicate_window\":2.5", ""), -EBADMSG,
		    "not a whole number" },
		{ STREAM_INFO(",\"max_msgs\":\"100\"", ""), -EBADMSG,
		    "config.max_msgs is a string, not a number" },
		{ STREAM_INFO(",\"retention\":7", ""), -EBADMSG,
		    "config.retention is a number, not a string" },
		{ STREAM_INFO(",\"subjects\":\"a\"", ""), -EBADMSG,
		    "config.subjects is a string, not an array" },
		{ STREAM_INFO(",\"subjects\":[\"a\",1]", ""), -EBADMSG,
		    "config.subjects[1]" },
		{ STREAM_INFO(",\"sealed\":\"yes\"", ""), -EBADMSG,
		    "config.sealed is a string, not a boolean" },
		{ STREAM_INFO(",\"sources\":[{\"opt_start_seq\":1e300}]", ""),
		    -EBADMSG, "config.sources[0].opt_start_seq" },
		{ STREAM_INFO(",\"sources\":[7]", ""), -EBADMSG,
		    "config.sources[0] is not an object" },
		{ STREAM_INFO(",\"metadata\":{\"k\":1}", ""), -EBADMSG,
		    "config.metadata" },
		{ STREAM_INFO("", "\"messages\":-3,"), -EBADMSG,
		    "state.messages is -3" },
		{ STREAM_INFO("", "\"bytes\":1e999,"), -EBADMSG,
		    "state.bytes is inf" },
		{ STREAM_INFO("", "\"last_seq\":[1],"), -EBADMSG,
		    "state.last_seq is an array" },
		{ "{\"config\":{\"name\":\"A\"},\"state\":5}", -EBADMSG,
		    "state is a number, not an object" },
		{ "{\"config\":{\"name\":\"\"}}", -EBADMSG, "config.name" },
		{ "{\"config\":{\"name\":5}}", -EBADMSG, "config.name" },
		{ "{\"config\":[]}", -EBADMSG, "config is an array" },
		{ "{}", -EBADMSG, "config is missing" },
		{ "[]", -EBADMSG, "not an object" },
		{ "\"x\"", -EBADMSG, "not an object" },
		/* A hostile name is quoted in the message. */
		{ "{\"config\":{\"name\":\"\\u001b[2J\",\"max_msgs\":1e999}}",
		    -EBADMSG, "stream '\\x1b[2J'" },
		/* 9223372036854775807 reads as 2^63: taken as INT64_MAX. */
		{ STREAM_INFO(",\"max_age\":9223372036854775807", ""), 0,
		    NULL },
	};
	struct diag	d;
	cJSON		*j;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		diag_clear(&d);
		j = cJSON_Parse(cases[i].json);
		assert_non_null(j);
		r = reply_stream_info(j, &d);
		if (r != cases[i].want || (cases[i].needle != NULL &&
		    strstr(d.msg, cases[i].needle) == NULL))
			fail_msg("case %zu: %d '%s', want %d '%s'", i, r, d.msg,
			    cases[i].want, cases[i].needle);
		if (r < 0 && strchr(d.msg, 0x1b) != NULL)
			fail_msg("case %zu: raw escape in '%s'", i, d.msg);
		cJSON_Delete(j);
	}
}

static void
test_consumer_info(void **state)
{
	static const struct {
		const char	*json;
		int		 want;
		const char	*needle;
	} cases[] = {
		{ "{\"stream_name\":\"S\",\"name\":\"C\",\"config\":{"
		    "\"durable_name\":\"C\",\"ack_policy\":\"explicit\","
		    "\"ack_wait\":30000000000,\"max_deliver\":-1,"
		    "\"max_waiting\":512,\"max_ack_pending\":1000,"
		    "\"backoff\":[1000000000,2000000000]},"
		    "\"delivered\":{\"consumer_seq\":3,\"stream_seq\":3},"
		    "\"ack_floor\":{\"consumer_seq\":2,\"stream_seq\":2},"
		    "\"num_ack_pending\":1,\"num_redelivered\":0,"
		    "\"num_waiting\":0,\"num_pending\":7}", 0, NULL },
		{ "{\"name\":\"C\",\"config\":{},\"num_pending\":1e999}",
		    -EBADMSG, "num_pending is inf" },
		{ "{\"name\":\"C\",\"config\":{},\"num_pending\":-1}",
		    -EBADMSG, "num_pending is -1" },
		{ "{\"name\":\"C\",\"config\":{},\"delivered\":{"
		    "\"stream_seq\":\"1\"}}", -EBADMSG,
		    "delivered.stream_seq is a string" },
		{ "{\"name\":\"C\",\"config\":{},\"ack_floor\":[]}", -EBADMSG,
		    "ack_floor is an array" },
		{ "{\"name\":\"C\",\"config\":{\"backoff\":[1,-1]}}", -EBADMSG,
		    "config.backoff[1]" },
		{ "{\"name\":\"C\",\"config\":{\"ack_wait\":1e999}}", -EBADMSG,
		    "config.ack_wait" },
		{ "{\"name\":\"C\"}", -EBADMSG, "config is missing" },
		{ "{\"config\":{}}", -EBADMSG, "name" },
		{ "{\"config\":{\"durable_name\":\"D\"}}", 0, NULL },
		{ "null", -EBADMSG, "not an object" },
	};
	struct diag	d;
	cJSON		*j;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		diag_clear(&d);
		j = cJSON_Parse(cases[i].json);
		assert_non_null(j);
		r = reply_consumer_info(j, "S", &d);
		if (r != cases[i].want || (cases[i].needle != NULL &&
		    strstr(d.msg, cases[i].needle) == NULL))
			fail_msg("case %zu: %d '%s', want %d '%s'", i, r, d.msg,
			    cases[i].want, cases[i].needle);
		cJSON_Delete(j);
	}
}

static void
test_int(void **state)
{
	static const struct {
		const char	*json;
		int64_t		 min, max;
		int		 want;
		int64_t		 value;
	} cases[] = {
		{ "{\"n\":5}", 0, 10, 0, 5 },
		{ "{\"n\":-1}", -1, 10, 0, -1 },
		{ "{\"n\":11}", 0, 10, -EBADMSG, 0 },
		{ "{\"n\":-1}", 0, 10, -EBADMSG, 0 },
		{ "{\"n\":null}", 0, 10, -ENOENT, 0 },
		{ "{}", 0, 10, -ENOENT, 0 },
		{ "{\"n\":1e999}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":-1e999}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":1e19}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":-1e19}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":-9223372036854775808}", INT64_MIN, INT64_MAX, 0,
		    INT64_MIN },
		{ "{\"n\":9223372036854775807}", INT64_MIN, INT64_MAX, 0,
		    INT64_MAX },
		{ "{\"n\":0.5}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":true}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":{}}", INT64_MIN, INT64_MAX, -EBADMSG, 0 },
		{ "{\"n\":1e18}", 0, 100000, -EBADMSG, 0 },
		/* exact past 2^53, as jsapi parses replies */
		{ "{\"n\":9007199254740993}", 0, INT64_MAX, 0,
		    INT64_C(9007199254740993) },
		{ "{\"n\":9223372036854775806}", 0, INT64_MAX, 0,
		    INT64_MAX - 1 },
		{ "{\"n\":9223372036854775808}", INT64_MIN, INT64_MAX,
		    -EBADMSG, 0 },
		{ "{\"n\":9007199254740993}", 0, INT64_C(9007199254740992),
		    -EBADMSG, 0 },
	};
	struct diag	d;
	cJSON		*j;
	int64_t		 v;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		diag_clear(&d);
		v = 0;
		assert_int_equal(jint_parse(cases[i].json,
		    strlen(cases[i].json), &j), 0);
		r = reply_int(j, "n", cases[i].min, cases[i].max, "x", &d, &v);
		if (r != cases[i].want || v != cases[i].value)
			fail_msg("case %zu: %d %lld '%s'", i, r, (long long)v,
			    d.msg);
		if (r == -EBADMSG && strstr(d.msg, "x: n") == NULL)
			fail_msg("case %zu: '%s' does not name the field", i,
			    d.msg);
		cJSON_Delete(j);
	}
}

/*
 * The one set of getters, with what the seven copies they replace each
 * handled: members of a non-object (an array, a string, NULL), the wrong
 * type, null, case (status read names case-insensitively), exact
 * integers beyond 2^53, and numbers that are not whole.
 */
struct get_case {
	const char	*json;		/* the object, or NULL for none */
	const char	*key;
	int		 present;	/* reply_get() finds it */
	const char	*str;		/* reply_str(.., "DEF") */
	int64_t		 int_or;	/* reply_int_or(.., -7) */
	double		 num;		/* reply_num() */
	int64_t		 count;		/* reply_count() */
};

static const struct get_case get_cases[] = {
	{ "{\"a\":\"x\"}", "a", 1, "x", -7, 0, -1 },
	{ "{\"a\":\"\"}", "a", 1, "", -7, 0, -1 },
	{ "{\"a\":5}", "a", 1, "DEF", 5, 5, 5 },
	{ "{\"a\":-1}", "a", 1, "DEF", -1, -1, -1 },
	{ "{\"a\":9007199254740993}", "a", 1, "DEF",
	  INT64_C(9007199254740993), 9007199254740992.0,
	  INT64_C(9007199254740993) },
	{ "{\"a\":9223372036854775807}", "a", 1, "DEF", INT64_MAX,
	  9223372036854775807.0, INT64_MAX },
	{ "{\"a\":1e300}", "a", 1, "DEF", -7, 1e300, -1 },
	{ "{\"a\":2.5}", "a", 1, "DEF", -7, 2.5, -1 },
	{ "{\"a\":null}", "a", 1, "DEF", -7, 0, 0 },
	{ "{\"a\":true}", "a", 1, "DEF", -7, 0, -1 },
	{ "{\"a\":{\"b\":1}}", "a", 1, "DEF", -7, 0, -1 },
	{ "{\"a\":[1]}", "a", 1, "DEF", -7, 0, -1 },
	{ "{\"A\":\"x\"}", "a", 0, "DEF", -7, 0, 0 },
	{ "{\"a\":\"x\"}", "b", 0, "DEF", -7, 0, 0 },
	{ "{}", "a", 0, "DEF", -7, 0, 0 },
	{ "[\"a\"]", "a", 0, "DEF", -7, 0, 0 },
	{ "[{\"a\":1}]", "a", 0, "DEF", -7, 0, 0 },
	{ "\"a\"", "a", 0, "DEF", -7, 0, 0 },
	{ "5", "a", 0, "DEF", -7, 0, 0 },
	{ NULL, "a", 0, "DEF", -7, 0, 0 },
};

static void
test_getters(void **state)
{
	const struct get_case	*c;
	cJSON			*o;
	size_t			 i;

	for (i = 0; i < sizeof(get_cases) / sizeof(get_cases[0]); i++) {
		c = &get_cases[i];
		o = NULL;
		if (c->json != NULL)
			assert_int_equal(jint_parse(c->json, strlen(c->json),
			    &o), 0);
		if ((reply_get(o, c->key) != NULL) != c->present)
			fail_msg("%s: reply_get", c->json);
		assert_string_equal(reply_str(o, c->key, "DEF"), c->str);
		if (reply_int_or(o, c->key, -7) != c->int_or)
			fail_msg("%s: reply_int_or %lld", c->json,
			    (long long)reply_int_or(o, c->key, -7));
		if (reply_num(o, c->key) != c->num)
			fail_msg("%s: reply_num %g", c->json,
			    reply_num(o, c->key));
		if (reply_count(o, c->key) != c->count)
			fail_msg("%s: reply_count %lld", c->json,
			    (long long)reply_count(o, c->key));
		cJSON_Delete(o);
	}
	assert_null(reply_get(NULL, NULL));
	assert_string_equal(reply_str(NULL, NULL, "d"), "d");
}

static void
test_quote(void **state)
{
	static const struct {
		const char	*in;
		size_t		 max;
		const char	*want;
	} cases[] = {
		{ "plain", 80, "plain" },
		{ NULL, 80, "" },
		{ "\x1b]0;pwned\x07", 80, "\\x1b]0;pwned\\x07" },
		{ "a\r\nPlan: 0 to create", 80, "a\\x0d\\x0aPlan: 0 to create" },
		{ "del\x7f", 80, "del\\x7f" },
		/* U+009B (CSI) in UTF-8, and a lone continuation byte. */
		{ "c1\xc2\x9b" "2J", 80, "c1\\xc2\\x9b2J" },
		{ "bad\x80", 80, "bad\\x80" },
		/* Well-formed UTF-8 stays. */
		{ "caf\xc3\xa9 \xe2\x82\xac", 80, "caf\xc3\xa9 \xe2\x82\xac" },
		{ "abcdef", 3, "abc..." },
		{ "abc", 3, "abc" },
	};
	char	buf[128];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(diag_quote(cases[i].in, cases[i].max, buf,
		    sizeof(buf)), cases[i].want);
	/* Never half a character, unlike a "%.4s" of the same text. */
	assert_string_equal(diag_quote("caf\xc3\xa9", 4, buf, sizeof(buf)),
	    "caf...");
	/* DIAG_QUOTE_LEN holds DIAG_QUOTE_MAX bytes, all escaped. */
	{
		char	big[DIAG_QUOTE_MAX + 2], out[DIAG_QUOTE_LEN];

		memset(big, '\x01', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		diag_quote(big, DIAG_QUOTE_MAX, out, sizeof(out));
		assert_int_equal(strlen(out), DIAG_QUOTE_MAX * 4 + 3);
		assert_string_equal(out + DIAG_QUOTE_MAX * 4, "...");
	}
	/* A small buffer truncates and stays terminated. */
	assert_string_equal(diag_quote("\x1b\x1b\x1b\x1b", 80, buf, 12),
	    "\\x1b\\x1b...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_info),
		cmocka_unit_test(test_consumer_info),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_getters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
