/* SPDX-License-Identifier: MIT */
/*
 * cmd-status: the quick look at the server's streams: messages, bytes,
 * consumers, and each consumer's pending, ack floor and redelivered.  On
 * a cluster also each stream's cluster, leader and replicas (current,
 * lag, offline), and each consumer's leader.
 * Read-only; one STREAM.LIST walk and one CONSUMER.LIST walk per stream
 * that has consumers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bucket.h"
#include "cmd.h"
#include "jint.h"
#include "reply.h"
#include "units.h"

/*
 * The stream's subjects as a new array: empty for a mirror or a
 * sources-only stream, which capture none of their own.
 */
static cJSON *
cmd_status_subjects(const cJSON *cfg)
{
	const cJSON	*v = cJSON_GetObjectItem(cfg, "subjects");

	return cJSON_IsArray(v) ? cJSON_Duplicate(v, true) :
	    cJSON_CreateArray();
}

/*
 * Attach each stream's ConsumerInfo list as "consumers" to its StreamInfo
 * (one CONSUMER.LIST for a stream with consumers).  0 or a jsapi code.
 */
static int
cmd_status_consumers(struct jsapi *api, cJSON *streams, struct diag *d)
{
	cJSON	*si, *list;
	int	 r;

	cJSON_ArrayForEach(si, streams) {
		/* only what CONSUMER.LIST said, checked, is shown */
		cJSON_DeleteItemFromObjectCaseSensitive(si, "consumers");
		if (reply_count(cJSON_GetObjectItem(si, "state"),
		    "consumer_count") == 0)
			continue;
		if ((r = jsapi_consumer_list(api,
		    reply_str(cJSON_GetObjectItem(si, "config"), "name", ""), d,
		    &list)) < 0)
			return r;
		if (!cJSON_AddItemToObject(si, "consumers", list)) {
			cJSON_Delete(list);
			return diag_set(d, -ENOMEM, "out of memory");
		}
	}
	return 0;
}

/*
 * The cluster block of a StreamInfo or ConsumerInfo as shown: {"name",
 * "leader", "replicas": [{"name", "current", "offline", "lag"}]}, only
 * the fields of the right type, at most 16 replicas; NULL when there is
 * none (a standalone server) or out of memory (*ret_oom).
 */
static cJSON *
cmd_status_cluster(const cJSON *info, bool *ret_oom)
{
	const cJSON	*cl = cJSON_GetObjectItem(info, "cluster"), *it;
	cJSON		*o = NULL, *reps, *r;
	int		 n = 0;

	if (!cJSON_IsObject(cl))
		return NULL;
	if ((o = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(o, "name", reply_str(cl, "name", "")) ==
	    NULL || cJSON_AddStringToObject(o, "leader", reply_str(cl, "leader",
	    "")) == NULL ||
	    (reps = cJSON_AddArrayToObject(o, "replicas")) == NULL)
		goto oom;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cl, "replicas")) {
		if (++n > 16)
			break;
		if ((r = cJSON_CreateObject()) == NULL)
			goto oom;
		cJSON_AddItemToArray(reps, r);
		if (cJSON_AddStringToObject(r, "name", reply_str(it, "name",
		    "")) == NULL ||
		    cJSON_AddBoolToObject(r, "current", cJSON_IsTrue(
		    cJSON_GetObjectItem(it, "current"))) == NULL ||
		    cJSON_AddBoolToObject(r, "offline", cJSON_IsTrue(
		    cJSON_GetObjectItem(it, "offline"))) == NULL ||
		    !cJSON_AddItemToObject(r, "lag", jint_create(
		    reply_count(it, "lag"))))
			goto oom;
	}
	return o;
oom:
	*ret_oom = true;
	cJSON_Delete(o);
	return NULL;
}

/* Add the cluster block of info to o as "cluster" when there is one. */
static bool
cmd_status_add_cluster(cJSON *o, const cJSON *info)
{
	bool	 oom = false;
	cJSON	*c = cmd_status_cluster(info, &oom);

	if (c != NULL && !cJSON_AddItemToObject(o, "cluster", c)) {
		cJSON_Delete(c);
		return false;
	}
	return !oom;
}

/*
 * Until when a paused consumer (2.11+, pause_until) delivers nothing, or
 * NULL when it is not paused.
 */
static const char *
cmd_status_paused(const cJSON *ci)
{
	if (!cJSON_IsTrue(cJSON_GetObjectItem(ci, "paused")))
		return NULL;
	return reply_str(cJSON_GetObjectItem(ci, "config"), "pause_until",
	    "?");
}

/* The figures of one consumer an operator watches; NULL: out of memory. */
static cJSON *
cmd_status_consumer_json(const cJSON *ci)
{
	cJSON	*o;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "name", reply_str(ci, "name", ""))
	    == NULL ||
	    !cJSON_AddItemToObject(o, "pending",
	    jint_create(reply_count(ci, "num_pending"))) ||
	    !cJSON_AddItemToObject(o, "ack_pending",
	    jint_create(reply_count(ci, "num_ack_pending"))) ||
	    !cJSON_AddItemToObject(o, "ack_floor",
	    jint_create(reply_count(cJSON_GetObjectItem(ci, "ack_floor"),
	    "stream_seq"))) ||
	    !cJSON_AddItemToObject(o, "redelivered",
	    jint_create(reply_count(ci, "num_redelivered"))) ||
	    !cJSON_AddItemToObject(o, "waiting",
	    jint_create(reply_count(ci, "num_waiting"))) ||
	    (cmd_status_paused(ci) != NULL && cJSON_AddStringToObject(o,
	    "paused_until", cmd_status_paused(ci)) == NULL) ||
	    !cmd_status_add_cluster(o, ci)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/*
 * The stream of a key-value bucket or object store: the bucket's name and
 * how many keys (subjects) it holds, which is what its users count.
 */
static void
cmd_status_bucket_line(const cJSON *cfg, const cJSON *st)
{
	const char	*name = reply_str(cfg, "name", "");
	enum spec_kind	 kind = bucket_kind_of(name);
	char		 q[CMD_QUOTE_LEN];
	long long	 n = (long long)reply_count(st, "num_subjects");

	if (kind == SPEC_STREAM)
		return;
	printf("  %s '%s': %lld %s%s\n", kind == SPEC_KV ?
	    "key-value bucket" : "object store", cmd_common_quote(name +
	    strlen(bucket_prefix(kind)), q), n, kind == SPEC_KV ? "key" :
	    "subject", n == 1 ? "" : "s");
}

/* The bucket block of a bucket's stream in --json; false: out of memory. */
static bool
cmd_status_add_bucket(cJSON *o, const cJSON *cfg, const cJSON *st)
{
	const char	*name = reply_str(cfg, "name", "");
	enum spec_kind	 kind = bucket_kind_of(name);
	cJSON		*b;

	if (kind == SPEC_STREAM)
		return true;
	if ((b = cJSON_AddObjectToObject(o, "bucket")) == NULL ||
	    cJSON_AddStringToObject(b, "kind", kind == SPEC_KV ? "kv" :
	    "object_store") == NULL ||
	    cJSON_AddStringToObject(b, "name", name + strlen(bucket_prefix(
	    kind))) == NULL ||
	    !cJSON_AddItemToObject(b, "subjects",
	    jint_create(reply_count(st, "num_subjects"))))
		return false;
	return true;
}

static int
cmd_status_json(const cJSON *streams)
{
	const cJSON	*si, *cfg, *st, *ci;
	cJSON		*out = NULL, *o, *list, *c;
	char		*s = NULL;
	int		 r = CMD_EXIT_DRIFT;

	if ((out = cJSON_CreateArray()) == NULL)
		goto out;
	cJSON_ArrayForEach(si, streams) {
		cfg = cJSON_GetObjectItem(si, "config");
		st = cJSON_GetObjectItem(si, "state");
		if ((o = cJSON_CreateObject()) == NULL)
			goto out;
		cJSON_AddItemToArray(out, o);
		if (cJSON_AddStringToObject(o, "name",
		    reply_str(cfg, "name", "")) == NULL ||
		    cJSON_AddItemToObject(o, "subjects",
		    cmd_status_subjects(cfg)) == 0 ||
		    cJSON_AddStringToObject(o, "retention",
		    reply_str(cfg, "retention", "")) == NULL ||
		    cJSON_AddStringToObject(o, "storage",
		    reply_str(cfg, "storage", "")) == NULL ||
		    !cJSON_AddItemToObject(o, "messages",
		    jint_create(reply_count(st, "messages"))) ||
		    !cJSON_AddItemToObject(o, "bytes",
		    jint_create(reply_count(st, "bytes"))) ||
		    !cJSON_AddItemToObject(o, "consumers",
		    jint_create(reply_count(st, "consumer_count"))) ||
		    !cJSON_AddItemToObject(o, "first_seq",
		    jint_create(reply_count(st, "first_seq"))) ||
		    !cJSON_AddItemToObject(o, "last_seq",
		    jint_create(reply_count(st, "last_seq"))) ||
		    !cmd_status_add_cluster(o, si) ||
		    !cmd_status_add_bucket(o, cfg, st) ||
		    (list = cJSON_AddArrayToObject(o, "consumer_states")) ==
		    NULL)
			goto out;
		cJSON_ArrayForEach(ci, cJSON_GetObjectItem(si, "consumers")) {
			if ((c = cmd_status_consumer_json(ci)) == NULL)
				goto out;
			cJSON_AddItemToArray(list, c);
		}
	}
	if ((s = jint_print(out, true)) == NULL)
		goto out;
	printf("%s\n", s);
	r = CMD_EXIT_OK;
out:
	if (r != CMD_EXIT_OK)
		fprintf(stderr, "%s status: out of memory\n", cmd_tool.prog);
	cJSON_free(s);
	cJSON_Delete(out);
	return r;
}

/* "  cluster C: leader L, replicas a (current), b (lag 5, offline)" */
static void
cmd_status_cluster_line(const cJSON *info, const char *indent)
{
	const cJSON	*cl = cJSON_GetObjectItem(info, "cluster"), *it;
	const char	*leader;
	char		 q[2][CMD_QUOTE_LEN];
	int		 n = 0;

	if (!cJSON_IsObject(cl))
		return;
	leader = reply_str(cl, "leader", "");
	printf("%scluster %s: leader %s", indent,
	    cmd_common_quote(reply_str(cl, "name", ""), q[0]),
	    *leader != '\0' ? cmd_common_quote(leader, q[1]) : "(none)");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cl, "replicas")) {
		if (++n > 16)
			break;
		printf("%s%s (%s, lag %lld%s)", n == 1 ? ", replicas " : ", ",
		    cmd_common_quote(reply_str(it, "name", ""), q[0]),
		    cJSON_IsTrue(cJSON_GetObjectItem(it, "current")) ?
		    "current" : "not current",
		    (long long)reply_count(it, "lag"),
		    cJSON_IsTrue(cJSON_GetObjectItem(it, "offline")) ?
		    ", offline" : "");
	}
	printf("\n");
}

static void
cmd_status_table(const cJSON *streams)
{
	const cJSON	*si, *cfg, *st, *ci;
	char		 bytes[32], q[3][CMD_QUOTE_LEN];
	size_t		 n = 0;

	printf("%-32s %-9s %-7s %10s %10s %9s\n", "STREAM", "RETENTION",
	    "STORAGE", "MESSAGES", "BYTES", "CONSUMERS");
	cJSON_ArrayForEach(si, streams) {
		cfg = cJSON_GetObjectItem(si, "config");
		st = cJSON_GetObjectItem(si, "state");
		printf("%-32s %-9s %-7s %10lld %10s %9lld\n",
		    cmd_common_quote(reply_str(cfg, "name", ""), q[0]),
		    cmd_common_quote(reply_str(cfg, "retention", ""), q[1]),
		    cmd_common_quote(reply_str(cfg, "storage", ""), q[2]),
		    (long long)reply_count(st, "messages"),
		    units_format_size(reply_count(st, "bytes"), bytes,
		    sizeof(bytes)),
		    (long long)reply_count(st, "consumer_count"));
		cmd_status_cluster_line(si, "  ");
		cmd_status_bucket_line(cfg, st);
		cJSON_ArrayForEach(ci, cJSON_GetObjectItem(si, "consumers")) {
			printf("  consumer %s: %lld pending, %lld ack pending, "
			    "ack floor %lld, %lld redelivered\n",
			    cmd_common_quote(reply_str(ci, "name", ""), q[0]),
			    (long long)reply_count(ci, "num_pending"),
			    (long long)reply_count(ci, "num_ack_pending"),
			    (long long)reply_count(cJSON_GetObjectItem(ci,
			    "ack_floor"), "stream_seq"),
			    (long long)reply_count(ci, "num_redelivered"));
			if (cmd_status_paused(ci) != NULL)
				printf("    paused until %s\n", cmd_common_quote(
				    cmd_status_paused(ci), q[0]));
			cmd_status_cluster_line(ci, "    ");
		}
		n++;
	}
	printf("%zu stream%s\n", n, n == 1 ? "" : "s");
}

static int
cmd_status_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_args	 a;
	struct jsapi	*api = NULL;
	struct diag	 d;
	cJSON		*streams = NULL;
	int		 r;

	if ((r = cmd_common_args(self, argc, argv, &a)) >= 0)
		goto out;
	if ((r = cmd_common_connect(&a, &api)) != CMD_EXIT_OK)
		goto out;
	diag_clear(&d);
	if ((r = jsapi_stream_list(api, &d, &streams)) < 0) {
		cmd_common_error("cannot list streams", &d);
		r = cmd_common_exit_code(r);
		goto out;
	}
	if ((r = cmd_status_consumers(api, streams, &d)) < 0) {
		cmd_common_error("cannot list consumers", &d);
		r = cmd_common_exit_code(r);
		goto out;
	}
	if (a.json)
		r = cmd_status_json(streams);
	else {
		printf("Server '%s' (nats-server %s, %s)\n", cmd_common_url(&a),
		    jsapi_server(api)->version, jsapi_server(api)->name);
		cmd_status_table(streams);
		r = CMD_EXIT_OK;
	}
out:
	cJSON_Delete(streams);
	jsapi_free(api);
	cmd_common_args_free(&a);
	return r;
}

const struct cli_cmd cmd_status_entry = {
	.name = "status",
	.usage = "[--json] [CONNECTION FLAGS]",
	.summary = "List streams with their messages, bytes and consumers, "
	    "and each consumer's pending, ack floor and redelivered; on a "
	    "cluster, leaders and replicas.",
	.flags = CMD_F_CONNECT | CMD_F_JSON,
	.exits = CMD_EXITS,
	.run = cmd_status_run,
};
