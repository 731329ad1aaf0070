/* SPDX-License-Identifier: MIT */
/*
 * fuzz-reply: libFuzzer target for what the tools make of JetStream API
 * replies, which are untrusted input.
 *
 * The input is one reply body.  As the client does, it is parsed and
 * checked for an API error; then
 *  - a STREAM.LIST page ({"total":..,"streams":[StreamInfo...]}) or a
 *    STREAM.INFO reply (a StreamInfo, as a one-stream list) becomes a live
 *    snapshot (a StreamInfo may carry "consumers": [ConsumerInfo...]);
 *  - the snapshot is planned against a fixed spec, with and without
 *    prune, and the plan rendered as JSON;
 *  - the snapshot is exported as YAML, which is loaded back, validated and
 *    planned in turn;
 *  - the body is also read as the server's INFO line.
 * The server version varies with the input length (2.9, 2.10, 2.15).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"
#include "jsapi.h"
#include "live.h"
#include "plan.h"
#include "spec.h"
#include "validate.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

	if (export_yaml(live, NULL, 0, &d, &yaml) != 0)
		return;
	if (spec_load_buffer("export.yaml", yaml, strlen(yaml), NULL, &diags,
	    &set) == 0 && validate_spec_set(set, &diags) == 0)
		fuzz_reply_plan(set, live, false);
	diag_list_free(&diags);
	spec_set_free(set);
	free(yaml);
}

static void
fuzz_reply_live(int version, const cJSON *streams)
{
	struct live	*live = NULL;
	cJSON		*copy;

	if ((copy = cJSON_Duplicate(streams, true)) == NULL ||
	    live_from_json(version, copy, &live) != 0)
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
	jsapi_parse_info_line(line, &srv, &d);
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int versions[] = { 20910, 21027, 21501 };
	int		 version = versions[size % 3];
	struct diag	 d;
	cJSON		*resp, *page, *one;

	fuzz_reply_info_line(data, size);
	resp = cJSON_ParseWithLength((const char *)data, size);
	if (!cJSON_IsObject(resp) || jsapi_response_error(resp, &d) != 0)
		goto out;
	page = cJSON_GetObjectItemCaseSensitive(resp, "streams");
	if (cJSON_IsArray(page))
		fuzz_reply_live(version, page);
	else if ((one = cJSON_CreateArray()) != NULL) {
		if (cJSON_AddItemReferenceToArray(one, resp))
			fuzz_reply_live(version, one);
		cJSON_Delete(one);
	}
out:
	cJSON_Delete(resp);
	return 0;
}
