/* SPDX-License-Identifier: MIT */
/*
 * fuzz-reply: libFuzzer target for what the tools make of JetStream API
 * replies, which are untrusted input.
 *
 * The input is one reply body: a STREAM.LIST or CONSUMER.LIST page, a
 * STREAM.INFO or CONSUMER.INFO reply, or an API error.  As the client
 * does, it is parsed, checked for an API error and for a sane "total",
 * and every StreamInfo and ConsumerInfo in it goes through
 * reply_stream_info() / reply_consumer_info(); a reply they refuse goes no
 * further, as in jsapi.  What passes
 *  - is read as nats-provision status reads it (state counters, names);
 *  - becomes a live snapshot (consumers of a list page or an info reply
 *    hang on a stream "orders"), planned against a fixed spec with and
 *    without prune, the plan rendered as JSON;
 *  - is exported as YAML, which is loaded back, validated and planned.
 * The body is also read as the server's INFO line.  The server version
 * varies with the input length (2.9, 2.10, 2.15).
 *
 * Beyond crashes and sanitizer reports, it aborts when a message about a
 * refused reply is not safe to show on a terminal, or when export finds a
 * number the checks let through unusable.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"
#include "fuzz.h"
#include "jint.h"
#include "jsapi.h"
#include "live.h"
#include "plan.h"
#include "reply.h"
#include "spec.h"
#include "units.h"
#include "validate.h"

/* Names the seed corpus uses, with a field of every kind declared. */
static const char fuzz_reply_spec[] =
    "streams:\n"
    "  - name: orders\n"
    "    subjects: [orders.>]\n"
    "    retention: workqueue\n"
    "    max_msgs: 1000\n"
    "    max_bytes: 10MiB\n"
    "    max_age: 7d\n"
    "    duplicate_window: 2m\n"
    "    placement: {cluster: c1, tags: [ssd]}\n"
    "    consumers:\n"
    "      - name: worker\n"
    "        ack_policy: explicit\n"
    "        ack_wait: 30s\n"
    "        max_deliver: 5\n"
    "        backoff: [1s, 5s]\n"
    "        filter_subject: orders.new\n"
    "  - name: events\n"
    "    subjects: [events.*]\n"
    "    storage: memory\n"
    "    max_msgs_per_subject: 10\n"
    "    consumers:\n"
    "      - name: audit\n"
    "        deliver_subject: audit.deliver\n"
    "        deliver_policy: last_per_subject\n"
    "        filter_subject: events.a\n";

static struct spec_set	*fuzz_reply_set;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list	diags = { 0 };

	if (spec_load_buffer("fuzz.yaml", fuzz_reply_spec,
	    sizeof(fuzz_reply_spec) - 1, NULL, &diags, &fuzz_reply_set) != 0 ||
	    validate_spec_set(fuzz_reply_set, &diags) != 0)
		abort();
	diag_list_free(&diags);
	return 0;
}

static void
fuzz_reply_plan(const struct spec_set *set, const struct live *live,
    bool prune)
{
	struct plan_opts	 opts = { .prune = prune };
	struct plan		*p = NULL;
	struct diag		 d;
	cJSON			*json = NULL;

	if (plan_build(set, live, &opts, &d, &p) == 0 &&
	    plan_to_json(p, &json) == 0)
		plan_is_empty(p);
	cJSON_Delete(json);
	plan_free(p);
}

static void
fuzz_reply_export(const struct live *live)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	struct diag		 d;
	char			*yaml = NULL;
	int			 r;

	/* -EPROTO: a config no spec can hold, such as a name validate
	 * refuses; -EBADMSG would be a number the checks let through. */
	if ((r = export_yaml(live, NULL, 0, &d, &yaml)) != 0) {
		if ((r != -ENOMEM && r != -EPROTO) || !fuzz_text_ok(d.msg))
			abort();
		return;
	}
	if (spec_load_buffer("export.yaml", yaml, strlen(yaml), NULL, &diags,
	    &set) == 0 && validate_spec_set(set, &diags) == 0)
		fuzz_reply_plan(set, live, false);
	diag_list_free(&diags);
	spec_set_free(set);
	free(yaml);
}

/* What nats-provision status reads of each stream. */
static void
fuzz_reply_status(const cJSON *streams)
{
	static const char *const keys[] = { "messages", "bytes",
	    "consumer_count", "first_seq", "last_seq" };
	const cJSON	*si, *name;
	char		 q[64 * 4 + 4], size[32];
	int64_t		 n;
	size_t		 i;

	cJSON_ArrayForEach(si, streams) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (reply_int(cJSON_GetObjectItem(si, "state"),
			    keys[i], 0, INT64_MAX, "", NULL, &n) == 0)
				units_format_size(n, size, sizeof(size));
		name = cJSON_GetObjectItem(cJSON_GetObjectItem(si, "config"),
		    "name");
		if (cJSON_IsString(name) && !fuzz_text_ok(diag_quote(
		    name->valuestring, 64, q, sizeof(q))))
			abort();
	}
}

/* The checks jsapi makes; 0 when the reply would be handed out. */
static int
fuzz_reply_check(const cJSON *streams)
{
	const cJSON	*si, *ci, *name;
	struct diag	 d;
	int		 r;

	cJSON_ArrayForEach(si, streams) {
		if ((r = reply_stream_info(si, &d)) < 0)
			goto out;
		name = cJSON_GetObjectItem(cJSON_GetObjectItem(si, "config"),
		    "name");
		cJSON_ArrayForEach(ci, cJSON_GetObjectItem(si, "consumers"))
			if ((r = reply_consumer_info(ci, name->valuestring,
			    &d)) < 0)
				goto out;
	}
	return 0;
out:
	if (!fuzz_text_ok(d.msg))
		abort();
	return r;
}

static void
fuzz_reply_live(int version, cJSON *streams)
{
	struct live	*live = NULL;

	if (fuzz_reply_check(streams) < 0) {
		cJSON_Delete(streams);
		return;
	}
	fuzz_reply_status(streams);
	if (live_from_json(version, streams, &live) != 0)
		return;
	fuzz_reply_plan(fuzz_reply_set, live, false);
	fuzz_reply_plan(fuzz_reply_set, live, true);
	fuzz_reply_export(live);
	live_free(live);
}

static void
fuzz_reply_info_line(const uint8_t *data, size_t size)
{
	struct jsapi_server	 srv;
	struct diag		 d;
	char			*line;

	if ((line = malloc(size + 6)) == NULL)
		return;
	memcpy(line, "INFO ", 5);
	memcpy(line + 5, data, size);
	line[size + 5] = '\0';
	memset(&srv, 0, sizeof(srv));
	if (jsapi_parse_info_line(line, &srv, &d) < 0 && !fuzz_text_ok(d.msg))
		abort();
	free(line);
}

/*
 * The streams the reply describes, as a new STREAM.LIST-style array:
 * consumers (a CONSUMER.LIST page or a ConsumerInfo) hang on "orders".
 */
static cJSON *
fuzz_reply_streams(const cJSON *resp)
{
	const cJSON	*page;
	cJSON		*streams, *si = NULL, *consumers;

	if ((streams = cJSON_CreateArray()) == NULL)
		return NULL;
	page = cJSON_GetObjectItemCaseSensitive(resp, "streams");
	if (cJSON_IsArray(page)) {
		cJSON_Delete(streams);
		return cJSON_Duplicate(page, true);
	}
	page = cJSON_GetObjectItemCaseSensitive(resp, "consumers");
	if (cJSON_IsArray(page))
		consumers = cJSON_Duplicate(page, true);
	else if (cJSON_GetObjectItemCaseSensitive(resp, "stream_name") != NULL)
		consumers = cJSON_CreateArrayReference(resp);
	else {
		if (!cJSON_AddItemToArray(streams, cJSON_Duplicate(resp, true)))
			goto fail;
		return streams;
	}
	if (consumers == NULL || (si = cJSON_Parse("{\"config\":{\"name\":"
	    "\"orders\",\"subjects\":[\"orders.>\"],\"retention\":"
	    "\"workqueue\"}}")) == NULL ||
	    !cJSON_AddItemToObject(si, "consumers", consumers)) {
		cJSON_Delete(consumers);
		goto fail;
	}
	if (!cJSON_AddItemToArray(streams, si))
		goto fail;
	return streams;
fail:
	cJSON_Delete(si);
	cJSON_Delete(streams);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int versions[] = { 20910, 21027, 21501 };
	struct diag	 d;
	cJSON		*resp, *streams;
	int64_t		 total;
	int		 r;

	fuzz_reply_info_line(data, size);
	/* as jsapi parses a reply: every integer exact (jint.h) */
	if (jint_parse((const char *)data, size, &resp) < 0)
		resp = NULL;
	if (!cJSON_IsObject(resp))
		goto out;
	if (jsapi_response_error(resp, &d) != 0) {
		if (!fuzz_text_ok(d.msg))
			abort();
		goto out;
	}
	/* A list page's total, as jsapi_list reads it. */
	r = reply_int(resp, "total", 0, 100000, "the reply", &d, &total);
	if (r < 0 && r != -ENOENT && !fuzz_text_ok(d.msg))
		abort();
	if ((streams = fuzz_reply_streams(resp)) != NULL)
		fuzz_reply_live(versions[size % 3], streams);
out:
	cJSON_Delete(resp);
	return 0;
}
