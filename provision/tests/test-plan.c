/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for plan: declared configs against snapshots built from the
 * configs nats-server 2.9.10 reported (/work/notes/server-2.9.10-
 * responses.json).  Fixtures are written with ' for " to stay readable.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jint.h"
#include "live.h"
#include "plan.h"
#include "spec.h"
#include "testlib.h"

#define V29	20910
#define V210	21000
#define V215	21501

/* Measured: STREAM.CREATE {"name":"t1","subjects":["t1.>"]} on 2.9.10. */
static const char t1_config[] = "{{2.9.10/stream-t1}}";

/* Measured: a workqueue stream with max_age 1h and max_msgs 0 declared. */
static const char t2_config[] = "{{2.9.10/stream-t2}}";

/* Measured: durable c1 with ack_policy explicit (pull). */
static const char c1_config[] = "{{2.9.10/consumer-c1-pull}}";

/* Measured: durable c2 with only deliver_subject (push). */
static const char c2_config[] = "{{2.9.10/consumer-c2-push}}";


/* base with the members of patch replaced; a null member deletes. */
static cJSON *
patched(const char *base, const char *patch)
{
	cJSON	*b, *p, *item;

	b = testlib_json(base);
	if (patch == NULL)
		return b;
	p = testlib_json(patch);
	cJSON_ArrayForEach(item, p) {
		cJSON_DeleteItemFromObjectCaseSensitive(b, item->string);
		if (!cJSON_IsNull(item))
			assert_true(cJSON_AddItemToObject(b, item->string,
			    cJSON_Duplicate(item, true)));
	}
	cJSON_Delete(p);
	return b;
}

static cJSON *
stream_info(cJSON *config, cJSON *consumers)
{
	cJSON	*info, *state;

	info = testlib_json("{'created':'2026-11-24T06:55:21.376653464Z',"
	    "'state':{'messages':0,'bytes':0,'first_seq':0,"
	    "'first_ts':'0001-01-01T00:00:00Z','last_seq':0,"
	    "'last_ts':'0001-01-01T00:00:00Z','consumer_count':0}}");
	cJSON_AddItemToObject(info, "config", config);
	state = cJSON_GetObjectItem(info, "state");
	cJSON_ReplaceItemInObject(state, "consumer_count",
	    cJSON_CreateNumber(consumers == NULL ? 0 :
	    cJSON_GetArraySize(consumers)));
	if (consumers != NULL)
		cJSON_AddItemToObject(info, "consumers", consumers);
	return info;
}

static cJSON *
consumer_info(const char *stream, cJSON *config)
{
	cJSON	*info;

	info = testlib_json("{'created':'2026-11-24T06:55:21.378371107Z',"
	    "'delivered':{'consumer_seq':0,'stream_seq':0},"
	    "'ack_floor':{'consumer_seq':0,'stream_seq':0},"
	    "'num_ack_pending':0,'num_redelivered':0,'num_waiting':0,"
	    "'num_pending':0}");
	cJSON_AddStringToObject(info, "stream_name", stream);
	cJSON_AddStringToObject(info, "name", cJSON_GetObjectItem(config,
	    "durable_name") != NULL ? cJSON_GetObjectItem(config,
	    "durable_name")->valuestring : "eph1");
	cJSON_AddItemToObject(info, "config", config);
	return info;
}

static struct live *
make_live(int version, cJSON *infos)
{
	struct live	*l = NULL;

	assert_int_equal(live_from_json(version, infos, &l), 0);
	return l;
}

/*
 * config as this tool leaves it on version: from 2.10 on it carries the
 * managed-by mark in its metadata (unless the patch set metadata).
 */
static cJSON *
managed(int version, cJSON *config)
{
	cJSON	*md;

	if (version < V210 || cJSON_GetObjectItem(config, "metadata") != NULL)
		return config;
	md = cJSON_AddObjectToObject(config, "metadata");
	assert_non_null(md);
	assert_non_null(cJSON_AddStringToObject(md, PLAN_MD_MANAGED,
	    PLAN_MD_MANAGED_VALUE));
	return config;
}

/* t1 (patched) with c1 and c2, and t2. */
static struct live *
std_live(int version, const char *t1_patch, const char *c1_patch,
    const char *c2_patch)
{
	cJSON	*infos, *cons;

	infos = cJSON_CreateArray();
	cons = cJSON_CreateArray();
	cJSON_AddItemToArray(cons, consumer_info("t1", patched(c1_config,
	    c1_patch)));
	cJSON_AddItemToArray(cons, consumer_info("t1", patched(c2_config,
	    c2_patch)));
	cJSON_AddItemToArray(infos, stream_info(managed(version,
	    patched(t2_config, NULL)), NULL));
	cJSON_AddItemToArray(infos, stream_info(managed(version,
	    patched(t1_config, t1_patch)), cons));
	return make_live(version, infos);
}

/*
 * A spec set from [{'config':{..},'consumers':[{..}]}].  Every key gets
 * a location: line 10*(stream+1) + key index, column 3; consumers' keys
 * line 100*(consumer+1) + key index.
 */
static struct spec_set *
make_set(const char *text)
{
	struct spec_set		*set;
	struct spec_stream	*st;
	struct spec_consumer	*sc;
	cJSON			*arr, *item, *cons, *c, *k;
	size_t			 i, j, n;

	set = calloc(1, sizeof(*set));
	assert_non_null(set);
	set->files = calloc(1, sizeof(*set->files));
	set->files[0] = strdup("streams.yaml");
	set->nfiles = 1;
	arr = testlib_json(text);
	set->streams = calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*set->streams));
	i = 0;
	cJSON_ArrayForEach(item, arr) {
		st = &set->streams[set->nstreams++];
		st->config = cJSON_DetachItemFromObject(item, "config");
		st->name = strdup(cJSON_GetObjectItem(st->config,
		    "name")->valuestring);
		st->loc = (struct spec_loc){ set->files[0], (int)(10 * (i + 1)),
		    1 };
		n = (size_t)cJSON_GetArraySize(st->config);
		st->keys = calloc(n + 1, sizeof(*st->keys));
		cJSON_ArrayForEach(k, st->config) {
			st->keys[st->nkeys].path = strdup(k->string);
			st->keys[st->nkeys].loc = (struct spec_loc){
			    set->files[0], st->loc.line + (int)st->nkeys + 1,
			    3 };
			st->nkeys++;
		}
		cons = cJSON_GetObjectItem(item, "consumers");
		st->consumers = calloc((size_t)cJSON_GetArraySize(cons) + 1,
		    sizeof(*st->consumers));
		j = 0;
		cJSON_ArrayForEach(c, cons) {
			sc = &st->consumers[st->nconsumers++];
			sc->config = cJSON_Duplicate(c, true);
			sc->name = strdup(cJSON_GetObjectItem(c,
			    "durable_name")->valuestring);
			sc->loc = (struct spec_loc){ set->files[0],
			    (int)(100 * (j + 1)), 1 };
			n = (size_t)cJSON_GetArraySize(c);
			sc->keys = calloc(n + 1, sizeof(*sc->keys));
			cJSON_ArrayForEach(k, c) {
				sc->keys[sc->nkeys].path = strdup(k->string);
				sc->keys[sc->nkeys].loc = (struct spec_loc){
				    set->files[0],
				    sc->loc.line + (int)sc->nkeys + 1, 3 };
				sc->nkeys++;
			}
			j++;
		}
		i++;
	}
	cJSON_Delete(arr);
	return set;
}

/* Add a prune.scope (or with protect, prune.protect) pattern to set. */
static void
add_glob(struct spec_set *set, bool protect, const char *glob)
{
	char	***v = protect ? &set->protect : &set->prune_scope;
	size_t	  *n = protect ? &set->nprotect : &set->nprune_scope;

	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[*n] = strdup(glob);
	assert_non_null((*v)[*n]);
	(*n)++;
	if (!protect)
		set->prune_scoped = true;
}

static const struct plan_field *
find_field(const struct plan_action *a, const char *key)
{
	size_t	i;

	for (i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].key, key) == 0)
			return &a->fields[i];
	return NULL;
}

static void
assert_json(const cJSON *got, const char *want)
{
	cJSON	*w;

	if (want == NULL) {
		assert_null(got);
		return;
	}
	w = testlib_json(want);
	if (!jint_equal(got, w)) {
		char *s = got != NULL ? jint_print(got, false) : NULL;

		print_error("got %s, want %s\n", s != NULL ? s : "(absent)",
		    want);
		free(s);
		cJSON_Delete(w);
		fail();
	}
	cJSON_Delete(w);
}

/*
 * Stream cases: declared t1 against the measured t1 with a patch.
 */
struct stream_case {
	const char	*name;
	int		 version;
	const char	*live_patch;	/* over t1_config, or NULL */
	const char	*declared;	/* t1's declared config */
	enum plan_kind	 kind;
	size_t		 nfields;	/* 0: don't check the count */
	const char	*key;		/* a field that must differ */
	const char	*live;		/* its live value (JSON) */
	const char	*want;		/* its desired value (JSON) */
	const char	*reason;	/* substring of its blocked reason, or
					   NULL for "not blocked" */
};

static const struct stream_case stream_cases[] = {
	{ "in sync: the measured 2.9.10 response", V29, NULL,
	  "{'name':'t1','subjects':['t1.>']}", PLAN_NOOP, 0, NULL, NULL,
	  NULL, NULL },
	{ "in sync: every default spelled out", V29, NULL, t1_config,
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "declared max_msgs 0 is the server's -1", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'max_msgs':0,'max_bytes':0,"
	  "'max_msg_size':0,'max_msgs_per_subject':0,'max_consumers':0,"
	  "'num_replicas':0,'duplicate_window':0}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "subjects in another order", V29,
	  "{'subjects':['a.*','b.>','c']}",
	  "{'name':'t1','subjects':['c','b.>','a.*']}", PLAN_NOOP, 0, NULL,
	  NULL, NULL, NULL },
	{ "no subjects declared means [name]", V29, "{'subjects':['t1']}",
	  "{'name':'t1'}", PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "short max_age sets the duplicate window", V29,
	  "{'max_age':30000000000,'duplicate_window':30000000000}",
	  "{'name':'t1','subjects':['t1.>'],'max_age':30000000000}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "long max_age keeps the 2m window", V29,
	  "{'max_age':3600000000000}",
	  "{'name':'t1','subjects':['t1.>'],'max_age':3600000000000}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "server-only keys and omitted zero values", V29,
	  "{'allow_direct':null,'sealed':null,'template_owner':'',"
	  "'placement':{'cluster':''}}",
	  "{'name':'t1','subjects':['t1.>'],'description':'',"
	  "'no_ack':false}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "a changed limit", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'max_msgs':1000}", PLAN_UPDATE,
	  1, "max_msgs", "-1", "1000", NULL },
	{ "2^53+1 is not 2^53, though the doubles are equal", V29,
	  "{'max_msgs':9007199254740992}",
	  "{'name':'t1','subjects':['t1.>'],'max_msgs':9007199254740993}",
	  PLAN_UPDATE, 1, "max_msgs", "9007199254740992",
	  "9007199254740993", NULL },
	{ "2^63-1 and 1y in sync", V29,
	  "{'max_msgs':9223372036854775807,'max_age':31536000000000000}",
	  "{'name':'t1','subjects':['t1.>'],'max_msgs':9223372036854775807,"
	  "'max_age':31536000000000000}", PLAN_NOOP, 0, NULL, NULL, NULL,
	  NULL },
	{ "a changed duration", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'max_age':86400000000000}",
	  PLAN_UPDATE, 1, "max_age", "0", "86400000000000", NULL },
	{ "an added subject", V29, NULL,
	  "{'name':'t1','subjects':['t1.>','extra']}", PLAN_UPDATE, 1,
	  "subjects", "['t1.>']", "['t1.>','extra']", NULL },
	{ "a removed description", V29, "{'description':'old'}",
	  "{'name':'t1','subjects':['t1.>']}", PLAN_UPDATE, 1,
	  "description", "'old'", NULL, NULL },
	{ "placement member-wise", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'placement':{'cluster':'east'}}",
	  PLAN_UPDATE, 1, "placement.cluster", NULL, "'east'", NULL },
	{ "storage is blocked", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'storage':'memory'}",
	  PLAN_BLOCKED, 1, "storage", "'file'", "'memory'",
	  "cannot change storage in place; delete and recreate the stream "
	  "(this loses its messages)" },
	{ "retention is blocked on 2.9", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'retention':'interest'}",
	  PLAN_BLOCKED, 1, "retention", "'limits'", "'interest'",
	  "2.9.10 cannot change retention" },
	{ "retention limits->interest is allowed on 2.10", V210, NULL,
	  "{'name':'t1','subjects':['t1.>'],'retention':'interest'}",
	  PLAN_UPDATE, 1, "retention", "'limits'", "'interest'", NULL },
	{ "2.10 reports compression none", V210, "{'compression':'none'}",
	  "{'name':'t1','subjects':['t1.>']}", PLAN_NOOP, 0, NULL, NULL,
	  NULL, NULL },
	{ "compression none declared", V210, "{'compression':'none'}",
	  "{'name':'t1','subjects':['t1.>'],'compression':'none'}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "compression turned on", V210, "{'compression':'none'}",
	  "{'name':'t1','subjects':['t1.>'],'compression':'s2'}",
	  PLAN_UPDATE, 1, "compression", NULL, "'s2'", NULL },
	{ "retention to workqueue is blocked on 2.10", V210, NULL,
	  "{'name':'t1','subjects':['t1.>'],'retention':'workqueue'}",
	  PLAN_BLOCKED, 1, "retention", "'limits'", "'workqueue'",
	  "to or from workqueue" },
	{ "max_consumers is blocked", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'max_consumers':10}",
	  PLAN_BLOCKED, 1, "max_consumers", "-1", "10",
	  "cannot change max_consumers" },
	{ "unsealing is blocked", V29,
	  "{'sealed':true,'discard':'new','deny_delete':true,"
	  "'deny_purge':true}",
	  "{'name':'t1','subjects':['t1.>']}", PLAN_BLOCKED, 0, "sealed",
	  "true", "false", "cannot be unsealed" },
	{ "sealing is an update, with what sealing implies", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'sealed':true}", PLAN_UPDATE, 4,
	  "deny_purge", "false", "true", NULL },
	{ "sealed in sync", V29,
	  "{'sealed':true,'discard':'new','deny_delete':true,"
	  "'deny_purge':true}",
	  "{'name':'t1','subjects':['t1.>'],'sealed':true,"
	  "'max_age':3600000000000}", PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "cancelling deny_delete is blocked", V29, "{'deny_delete':true}",
	  "{'name':'t1','subjects':['t1.>']}", PLAN_BLOCKED, 1,
	  "deny_delete", "true", "false", "cannot cancel deny_delete" },
	{ "setting deny_delete is an update", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'deny_delete':true}",
	  PLAN_UPDATE, 1, "deny_delete", "false", "true", NULL },
	{ "cancelling deny_purge is blocked", V29, "{'deny_purge':true}",
	  "{'name':'t1','subjects':['t1.>']}", PLAN_BLOCKED, 1,
	  "deny_purge", "true", "false", "cannot cancel deny_purge" },
	{ "a mirror in sync", V29,
	  "{'subjects':null,'duplicate_window':null,"
	  "'mirror':{'name':'origin'},'mirror_direct':true}",
	  "{'name':'t1','mirror':{'name':'origin'}}", PLAN_NOOP, 0, NULL,
	  NULL, NULL, NULL },
	{ "changing a mirror is blocked", V29,
	  "{'subjects':null,'duplicate_window':null,"
	  "'mirror':{'name':'origin'}}",
	  "{'name':'t1','mirror':{'name':'other'}}", PLAN_BLOCKED, 1,
	  "mirror.name", "'origin'", "'other'", "mirror in place" },
	{ "sources compare as a set", V29,
	  "{'subjects':null,'sources':[{'name':'a'},"
	  "{'name':'b','filter_subject':'b.x'}]}",
	  "{'name':'t1','sources':[{'name':'b','filter_subject':'b.x'},"
	  "{'name':'a','filter_subject':''}]}", PLAN_NOOP, 0, NULL, NULL,
	  NULL, NULL },
	{ "a changed source filter", V29,
	  "{'subjects':null,'sources':[{'name':'a'}]}",
	  "{'name':'t1','sources':[{'name':'a','filter_subject':'a.x'}]}",
	  PLAN_UPDATE, 1, "sources", "[{'name':'a'}]",
	  "[{'name':'a','filter_subject':'a.x'}]", NULL },
	{ "republish src defaults to >", V29,
	  "{'republish':{'src':'>','dest':'out.>'}}",
	  "{'name':'t1','subjects':['t1.>'],'republish':{'dest':'out.>'}}",
	  PLAN_NOOP, 0, NULL, NULL, NULL, NULL },
	{ "republish cannot change on 2.9", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],"
	  "'republish':{'src':'>','dest':'out.>'}}", PLAN_BLOCKED, 2,
	  "republish.dest", NULL, "'out.>'", "cannot change republish" },
	{ "2.15: a sourcing stream has no duplicate window", V215,
	  "{'subjects':null,'duplicate_window':null,'sources':[{'name':'a'}]}",
	  "{'name':'t1','sources':[{'name':'a'}]}", PLAN_NOOP, 0, NULL,
	  NULL, NULL, NULL },
	{ "2.10: a sourcing stream keeps the 2m window", V210,
	  "{'subjects':null,'sources':[{'name':'a'}]}",
	  "{'name':'t1','sources':[{'name':'a'}]}", PLAN_NOOP, 0, NULL,
	  NULL, NULL, NULL },
	{ "2.15: a window declared on a sourcing stream", V215,
	  "{'subjects':null,'duplicate_window':null,'sources':[{'name':'a'}]}",
	  "{'name':'t1','sources':[{'name':'a'}],"
	  "'duplicate_window':120000000000}", PLAN_UPDATE, 1,
	  "duplicate_window", "0", "120000000000", NULL },
	{ "blocked lists every changed field", V29, NULL,
	  "{'name':'t1','subjects':['t1.>'],'storage':'memory',"
	  "'max_msgs':5}", PLAN_BLOCKED, 2, "max_msgs", "-1", "5", NULL },
};

static void
test_stream_cases(void **state)
{
	const struct stream_case	*c;
	const struct plan_action	*a;
	const struct plan_field		*f;
	struct spec_set			*set;
	struct live			*live;
	struct plan			*p;
	struct plan_opts		 opts = { .prune = false };
	struct diag			 d;
	char				 decl[2048];
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof(stream_cases) / sizeof(stream_cases[0]);
	    i++) {
		c = &stream_cases[i];
		print_message("case: %s\n", c->name);
		live = std_live(c->version, c->live_patch, NULL, NULL);
		snprintf(decl, sizeof(decl), "[{'config':%s}]", c->declared);
		set = make_set(decl);
		p = NULL;
		assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
		assert_int_equal(p->n, 1);
		a = &p->actions[0];
		assert_int_equal(a->object, PLAN_STREAM);
		assert_string_equal(a->stream, "t1");
		if (a->kind != c->kind) {
			print_error("%s: kind %s, want %s\n", c->name,
			    plan_kind_name(a->kind), plan_kind_name(c->kind));
			for (size_t j = 0; j < a->nfields; j++)
				print_error("  field %s\n", a->fields[j].key);
			fail();
		}
		assert_int_equal(p->counts[c->kind], 1);
		if (c->nfields > 0)
			assert_int_equal(a->nfields, c->nfields);
		if (c->kind == PLAN_NOOP)
			assert_int_equal(a->nfields, 0);
		if (c->kind == PLAN_UPDATE) {
			assert_non_null(a->config);
			assert_string_equal(cJSON_GetObjectItem(a->config,
			    "name")->valuestring, "t1");
		} else
			assert_null(a->config);
		if (c->key != NULL) {
			f = find_field(a, c->key);
			if (f == NULL)
				print_error("no field '%s'\n", c->key);
			assert_non_null(f);
			assert_json(f->live, c->live);
			assert_json(f->want, c->want);
			if (c->reason == NULL)
				assert_null(f->blocked);
			else {
				assert_non_null(f->blocked);
				assert_non_null(strstr(f->blocked, c->reason));
			}
		}
		assert_int_equal(a->loc.line, 10);
		assert_string_equal(a->loc.file, "streams.yaml");
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

/*
 * Consumer cases: declared consumers of an in-sync t1 against the
 * measured c1 (pull) and c2 (push).
 */
struct consumer_case {
	const char	*name;
	const char	*consumer;	/* "c1" or "c2" */
	const char	*live_patch;
	const char	*declared;
	enum plan_kind	 kind;
	const char	*key;
	const char	*live;
	const char	*want;
	const char	*reason;
};

static const struct consumer_case consumer_cases[] = {
	{ "pull in sync, ack_policy by default", "c1", NULL,
	  "{'durable_name':'c1'}", PLAN_NOOP, NULL, NULL, NULL, NULL },
	{ "pull in sync, spelled out", "c1", NULL, c1_config, PLAN_NOOP,
	  NULL, NULL, NULL, NULL },
	{ "pull with zero limits", "c1", NULL,
	  "{'durable_name':'c1','ack_policy':'explicit','max_deliver':0,"
	  "'max_ack_pending':0,'max_waiting':0,'ack_wait':0}", PLAN_NOOP,
	  NULL, NULL, NULL, NULL },
	{ "push in sync", "c2", NULL,
	  "{'durable_name':'c2','deliver_subject':'dlv.c2'}", PLAN_NOOP,
	  NULL, NULL, NULL, NULL },
	{ "push with explicit acks", "c2",
	  "{'ack_policy':'explicit','ack_wait':30000000000,"
	  "'max_ack_pending':1000}",
	  "{'durable_name':'c2','deliver_subject':'dlv.c2',"
	  "'ack_policy':'explicit'}", PLAN_NOOP, NULL, NULL, NULL, NULL },
	{ "backoff sets ack_wait", "c1",
	  "{'ack_wait':1000000000,'max_deliver':3,"
	  "'backoff':[1000000000,5000000000]}",
	  "{'durable_name':'c1','max_deliver':3,"
	  "'backoff':[1000000000,5000000000]}", PLAN_NOOP, NULL, NULL, NULL,
	  NULL },
	{ "start time in another offset", "c1",
	  "{'deliver_policy':'by_start_time',"
	  "'opt_start_time':'2024-01-01T00:00:00Z'}",
	  "{'durable_name':'c1','deliver_policy':'by_start_time',"
	  "'opt_start_time':'2024-01-01T01:00:00+01:00'}", PLAN_NOOP, NULL,
	  NULL, NULL, NULL },
	{ "a changed ack_wait", "c1", NULL,
	  "{'durable_name':'c1','ack_wait':60000000000}", PLAN_UPDATE,
	  "ack_wait", "30000000000", "60000000000", NULL },
	{ "a changed push subject", "c2", NULL,
	  "{'durable_name':'c2','deliver_subject':'dlv.other'}", PLAN_UPDATE,
	  "deliver_subject", "'dlv.c2'", "'dlv.other'", NULL },
	{ "deliver_policy is blocked", "c1", NULL,
	  "{'durable_name':'c1','deliver_policy':'new'}", PLAN_BLOCKED,
	  "deliver_policy", "'all'", "'new'",
	  "cannot change a consumer's deliver_policy" },
	{ "ack_policy is blocked", "c1", NULL,
	  "{'durable_name':'c1','ack_policy':'all'}", PLAN_BLOCKED,
	  "ack_policy", "'explicit'", "'all'", "ack_policy" },
	{ "replay_policy is blocked", "c1", NULL,
	  "{'durable_name':'c1','replay_policy':'original'}", PLAN_BLOCKED,
	  "replay_policy", "'instant'", "'original'", "replay_policy" },
	{ "opt_start_seq is blocked", "c1",
	  "{'deliver_policy':'by_start_sequence','opt_start_seq':10}",
	  "{'durable_name':'c1','deliver_policy':'by_start_sequence',"
	  "'opt_start_seq':20}", PLAN_BLOCKED, "opt_start_seq", "10", "20",
	  "opt_start_seq" },
	{ "max_waiting is blocked", "c1", NULL,
	  "{'durable_name':'c1','max_waiting':10}", PLAN_BLOCKED,
	  "max_waiting", "512", "10", "max_waiting" },
	{ "a new queue group is updated in place", "c2", NULL,
	  "{'durable_name':'c2','deliver_subject':'dlv.c2',"
	  "'deliver_group':'g'}", PLAN_UPDATE,
	  "deliver_group", NULL, "'g'", NULL },
	{ "pull to push is blocked", "c1", NULL,
	  "{'durable_name':'c1','deliver_subject':'dlv.x'}", PLAN_BLOCKED,
	  "deliver_subject", NULL, "'dlv.x'",
	  "cannot turn a pull consumer into a push consumer" },
	{ "push to pull is blocked", "c2", NULL,
	  "{'durable_name':'c2','ack_policy':'none'}", PLAN_BLOCKED,
	  "deliver_subject", "'dlv.c2'", NULL,
	  "cannot turn a push consumer into a pull consumer" },
};

static void
test_consumer_cases(void **state)
{
	const struct consumer_case	*c;
	const struct plan_action	*a;
	const struct plan_field		*f;
	struct spec_set			*set;
	struct live			*live;
	struct plan			*p;
	struct diag			 d;
	char				 decl[2048];
	size_t				 i;
	bool				 is_c1;

	(void)state;
	for (i = 0; i < sizeof(consumer_cases) / sizeof(consumer_cases[0]);
	    i++) {
		c = &consumer_cases[i];
		print_message("case: %s\n", c->name);
		is_c1 = strcmp(c->consumer, "c1") == 0;
		live = std_live(V29, NULL, is_c1 ? c->live_patch : NULL,
		    is_c1 ? NULL : c->live_patch);
		snprintf(decl, sizeof(decl), "[{'config':{'name':'t1',"
		    "'subjects':['t1.>']},'consumers':[%s]}]", c->declared);
		set = make_set(decl);
		p = NULL;
		assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
		assert_int_equal(p->n, 2);
		assert_int_equal(p->actions[0].kind, PLAN_NOOP);
		a = &p->actions[1];
		assert_int_equal(a->object, PLAN_CONSUMER);
		assert_string_equal(a->stream, "t1");
		assert_string_equal(a->consumer, c->consumer);
		if (a->kind != c->kind) {
			print_error("%s: kind %s, want %s\n", c->name,
			    plan_kind_name(a->kind), plan_kind_name(c->kind));
			for (size_t j = 0; j < a->nfields; j++)
				print_error("  field %s\n", a->fields[j].key);
			fail();
		}
		if (c->kind == PLAN_UPDATE) {
			assert_non_null(a->config);
			assert_string_equal(cJSON_GetObjectItem(a->config,
			    "durable_name")->valuestring, c->consumer);
		}
		if (c->key != NULL) {
			f = find_field(a, c->key);
			assert_non_null(f);
			assert_json(f->live, c->live);
			assert_json(f->want, c->want);
			if (c->reason == NULL)
				assert_null(f->blocked);
			else {
				assert_non_null(f->blocked);
				assert_non_null(strstr(f->blocked, c->reason));
			}
		}
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

static void
test_create_missing(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;
	const struct plan_action *a;

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'new','max_age':60000000000},"
	    "'consumers':[{'durable_name':'w'},"
	    "{'durable_name':'p','deliver_subject':'out.p'}]},"
	    "{'config':{'name':'t1','subjects':['t1.>']}}]");
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->n, 4);
	assert_int_equal(p->counts[PLAN_CREATE], 3);
	assert_int_equal(p->counts[PLAN_NOOP], 1);
	assert_false(plan_is_empty(p));

	/* Declaration order, each stream before its consumers. */
	a = &p->actions[0];
	assert_int_equal(a->kind, PLAN_CREATE);
	assert_int_equal(a->object, PLAN_STREAM);
	assert_string_equal(a->stream, "new");
	assert_int_equal(a->nfields, 0);
	assert_json(a->config, "{'name':'new','subjects':['new'],"
	    "'retention':'limits','max_consumers':-1,'max_msgs':-1,"
	    "'max_bytes':-1,'max_age':60000000000,'max_msgs_per_subject':-1,"
	    "'max_msg_size':-1,'discard':'old','storage':'file',"
	    "'num_replicas':1,'duplicate_window':60000000000,"
	    "'sealed':false,'deny_delete':false,'deny_purge':false,"
	    "'allow_rollup_hdrs':false,'allow_direct':false,"
	    "'mirror_direct':false}");
	a = &p->actions[1];
	assert_int_equal(a->kind, PLAN_CREATE);
	assert_int_equal(a->object, PLAN_CONSUMER);
	assert_string_equal(a->consumer, "w");
	assert_json(a->config, "{'durable_name':'w','deliver_policy':'all',"
	    "'ack_policy':'explicit','ack_wait':30000000000,'max_deliver':-1,"
	    "'replay_policy':'instant','max_waiting':512,"
	    "'max_ack_pending':1000,'num_replicas':0}");
	assert_int_equal(a->loc.line, 100);
	a = &p->actions[2];
	assert_string_equal(a->consumer, "p");
	assert_json(a->config, "{'durable_name':'p','deliver_policy':'all',"
	    "'ack_policy':'none','max_deliver':-1,'replay_policy':'instant',"
	    "'num_replicas':0,'deliver_subject':'out.p'}");
	a = &p->actions[3];
	assert_int_equal(a->kind, PLAN_NOOP);
	assert_string_equal(a->stream, "t1");
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

static void
test_prune(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .prune = false };
	struct diag		 d;
	cJSON			*infos, *cons;

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>']},"
	    "'consumers':[{'durable_name':'c1'}]}]");

	add_glob(set, false, "t*");

	/* Without prune the undeclared t2 and t1/c2 stay. */
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->counts[PLAN_DELETE], 0);
	assert_true(plan_is_empty(p));
	plan_free(p);

	opts.prune = true;
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(p->n, 4);
	assert_int_equal(p->counts[PLAN_DELETE], 2);
	assert_int_equal(p->counts[PLAN_NOOP], 2);
	assert_int_equal(p->actions[2].kind, PLAN_DELETE);
	assert_int_equal(p->actions[2].object, PLAN_CONSUMER);
	assert_string_equal(p->actions[2].stream, "t1");
	assert_string_equal(p->actions[2].consumer, "c2");
	assert_null(p->actions[2].loc.file);
	assert_int_equal(p->actions[3].kind, PLAN_DELETE);
	assert_int_equal(p->actions[3].object, PLAN_STREAM);
	assert_string_equal(p->actions[3].stream, "t2");
	assert_null(p->actions[3].consumer);
	assert_null(p->actions[3].config);
	plan_free(p);
	live_free(live);

	/* Ephemeral consumers are not pruned; consumers of pruned streams
	 * are not listed on their own. */
	infos = cJSON_CreateArray();
	cons = cJSON_CreateArray();
	cJSON_AddItemToArray(cons, consumer_info("t1",
	    testlib_json("{'deliver_policy':'all','ack_policy':'none',"
	    "'deliver_subject':'_INBOX.x','max_deliver':-1,"
	    "'replay_policy':'instant','num_replicas':0}")));
	cJSON_AddItemToArray(infos, stream_info(testlib_json(t1_config), cons));
	cons = cJSON_CreateArray();
	cJSON_AddItemToArray(cons, consumer_info("t2", testlib_json(c1_config)));
	cJSON_AddItemToArray(infos, stream_info(testlib_json(t2_config), cons));
	live = make_live(V29, infos);
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->actions[1].kind, PLAN_CREATE);
	assert_int_equal(p->actions[2].kind, PLAN_DELETE);
	assert_int_equal(p->actions[2].object, PLAN_STREAM);
	assert_string_equal(p->actions[2].stream, "t2");
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

struct since_case {
	const char	*declared;
	const char	*key;
	int		 line;
};

static const struct since_case since_cases[] = {
	/* stream keys: line 10 + index + 1 */
	{ "[{'config':{'name':'t1','subjects':['t1.>'],"
	  "'compression':'s2'}}]", "compression", 13 },
	{ "[{'config':{'name':'t1','metadata':{'a':'b'}}}]", "metadata",
	  12 },
	{ "[{'config':{'name':'t1','subject_transform':"
	  "{'src':'a','dest':'b'}}}]", "subject_transform", 12 },
	/* consumer keys: line 100 + index + 1 */
	{ "[{'config':{'name':'t1'},'consumers':[{'durable_name':'c1',"
	  "'filter_subjects':['a','b']}]}]", "filter_subjects", 102 },
};

static void
test_needs_newer_server(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;
	char			 want[256];
	size_t			 i;

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	for (i = 0; i < sizeof(since_cases) / sizeof(since_cases[0]); i++) {
		set = make_set(since_cases[i].declared);
		diag_clear(&d);
		p = NULL;
		assert_int_equal(plan_build(set, live, NULL, &d, &p),
		    -ENOTSUP);
		assert_null(p);
		assert_int_equal(d.code, -ENOTSUP);
		snprintf(want, sizeof(want), "'%s' needs nats-server 2.10 or "
		    "newer; the server runs 2.9.10", since_cases[i].key);
		assert_string_equal(d.msg, want);
		assert_string_equal(d.file, "streams.yaml");
		assert_int_equal(d.line, since_cases[i].line);
		assert_int_equal(d.col, 3);
		spec_set_free(set);
	}
	live_free(live);

	/* The same on 2.10 is planned and sent. */
	live = std_live(V210, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t9','compression':'s2'}}]");
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[0].kind, PLAN_CREATE);
	assert_json(cJSON_GetObjectItem(p->actions[0].config, "compression"),
	    "'s2'");
	plan_free(p);
	spec_set_free(set);
	live_free(live);

	/* An enum value a later server added: prioritized is 2.12. */
	live = std_live(21109, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t1'},'consumers':[{"
	    "'durable_name':'c1','priority_groups':['g'],"
	    "'priority_policy':'prioritized'}]}]");
	diag_clear(&d);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), -ENOTSUP);
	assert_string_equal(d.msg, "'priority_policy: prioritized' needs "
	    "nats-server 2.12 or newer; the server runs 2.11.9");
	spec_set_free(set);
	live_free(live);
}

static void
test_desired_never_sends_newer_fields(void **state)
{
	cJSON	*decl, *want = NULL;

	(void)state;
	decl = testlib_json("{'name':'x','compression':'s2','first_seq':5,"
	    "'max_msgs':0}");
	assert_int_equal(plan_desired_stream(decl, V29, &want), 0);
	assert_null(cJSON_GetObjectItem(want, "compression"));
	assert_null(cJSON_GetObjectItem(want, "first_seq"));
	assert_json(cJSON_GetObjectItem(want, "max_msgs"), "-1");
	assert_json(cJSON_GetObjectItem(want, "subjects"), "['x']");
	cJSON_Delete(want);
	want = NULL;
	assert_int_equal(plan_desired_stream(decl, V210, &want), 0);
	assert_json(cJSON_GetObjectItem(want, "compression"), "'s2'");
	cJSON_Delete(want);
	cJSON_Delete(decl);

	/* a sourcing stream's default window: 2m up to 2.13, none since */
	decl = testlib_json("{'name':'x','sources':[{'name':'a'}]}");
	want = NULL;
	assert_int_equal(plan_desired_stream(decl, V210, &want), 0);
	assert_json(cJSON_GetObjectItem(want, "duplicate_window"),
	    "120000000000");
	cJSON_Delete(want);
	want = NULL;
	assert_int_equal(plan_desired_stream(decl, V215, &want), 0);
	assert_json(cJSON_GetObjectItem(want, "duplicate_window"), "0");
	cJSON_Delete(want);
	cJSON_Delete(decl);

	/* normalize is idempotent on what the server reported */
	want = testlib_json(c1_config);
	decl = testlib_json(c1_config);
	assert_int_equal(plan_normalize_consumer(want, V29), 0);
	assert_true(cJSON_Compare(want, decl, true));
	cJSON_Delete(want);
	cJSON_Delete(decl);
	want = testlib_json(t2_config);
	decl = testlib_json(t2_config);
	assert_int_equal(plan_normalize_stream(want, V29), 0);
	assert_true(cJSON_Compare(want, decl, true));
	cJSON_Delete(want);
	cJSON_Delete(decl);
	assert_int_equal(plan_normalize_stream(NULL, V29), -EINVAL);
}

static void
test_to_json(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .prune = true };
	struct diag		 d;
	cJSON			*j = NULL, *a, *f;

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>'],"
	    "'max_msgs':10,'storage':'memory'},"
	    "'consumers':[{'durable_name':'c1'},{'durable_name':'c2',"
	    "'deliver_subject':'dlv.c2','description':'d'}]}]");
	add_glob(set, false, "t2");
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(plan_to_json(p, &j), 0);
	assert_json(cJSON_GetObjectItem(j, "outside_prune_scope"), "[]");
	assert_json(cJSON_GetObjectItem(j, "streams"), "2");
	assert_json(cJSON_GetObjectItem(j, "summary"), "{'no_change':1,"
	    "'create':0,'update':1,'blocked':1,'delete':1,'data_loss':0}");
	a = cJSON_GetObjectItem(j, "actions");
	assert_int_equal(cJSON_GetArraySize(a), 4);

	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "actions"), 0);
	assert_json(cJSON_GetObjectItem(a, "action"), "'blocked'");
	assert_json(cJSON_GetObjectItem(a, "object"), "'stream'");
	assert_json(cJSON_GetObjectItem(a, "stream"), "'t1'");
	assert_null(cJSON_GetObjectItem(a, "consumer"));
	assert_null(cJSON_GetObjectItem(a, "config"));
	assert_json(cJSON_GetObjectItem(a, "file"), "'streams.yaml'");
	assert_json(cJSON_GetObjectItem(a, "line"), "10");
	f = cJSON_GetObjectItem(a, "fields");
	assert_int_equal(cJSON_GetArraySize(f), 2);
	f = cJSON_GetArrayItem(f, 0);
	assert_json(cJSON_GetObjectItem(f, "key"), "'max_msgs'");
	assert_json(cJSON_GetObjectItem(f, "live"), "-1");
	assert_json(cJSON_GetObjectItem(f, "want"), "10");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f, "blocked")));
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "fields"), 1);
	assert_json(cJSON_GetObjectItem(f, "key"), "'storage'");
	assert_true(cJSON_IsString(cJSON_GetObjectItem(f, "blocked")));

	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "actions"), 1);
	assert_json(cJSON_GetObjectItem(a, "action"), "'no_change'");
	assert_json(cJSON_GetObjectItem(a, "consumer"), "'c1'");
	assert_json(cJSON_GetObjectItem(a, "fields"), "[]");

	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "actions"), 2);
	assert_json(cJSON_GetObjectItem(a, "action"), "'update'");
	assert_json(cJSON_GetObjectItem(a, "object"), "'consumer'");
	assert_json(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "config"),
	    "description"), "'d'");
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "fields"), 0);
	assert_json(cJSON_GetObjectItem(f, "key"), "'description'");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f, "live")));

	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "actions"), 3);
	assert_json(cJSON_GetObjectItem(a, "action"), "'delete'");
	assert_json(cJSON_GetObjectItem(a, "stream"), "'t2'");
	assert_null(cJSON_GetObjectItem(a, "file"));
	cJSON_Delete(j);
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

/*
 * What a change deletes, from the stream state: 65 messages of 40 bytes
 * on 5 subjects, published evenly over 100 s, the last 10 s before now.
 */
#define LOSS_NOW	INT64_C(1796209310000000000)	/* 2026-12-02T11:01:50Z */

struct loss_case {
	const char	*declared;	/* t1's config */
	double		 msgs;
	double		 bytes;
	bool		 msgs_estimated;
	bool		 bytes_estimated;
	const char	*causes;
	const char	*text;		/* plan_loss_text, or NULL */
};

static const struct loss_case loss_cases[] = {
	{ "'max_msgs':10", 55, 2200, false, true, "max_msgs",
	  "deletes 55 of 65 messages (about 2200 of 2600 bytes) by max_msgs" },
	{ "'max_msgs':65", 0, 0, false, false, "", "" },
	{ "'max_msgs':100", 0, 0, false, false, "", NULL },
	{ "'max_bytes':1000", 40, 1600, true, false, "max_bytes",
	  "deletes about 40 of 65 messages (1600 of 2600 bytes) by max_bytes" },
	{ "'max_bytes':2600", 0, 0, false, false, "", NULL },
	/* older than 50 s: the first 60 of the 100 s */
	{ "'max_age':50000000000", 39, 1560, true, true, "max_age", NULL },
	{ "'max_age':1000000000", 65, 2600, false, false, "max_age", NULL },
	{ "'max_age':3600000000000", 0, 0, false, false, "", NULL },
	/* one subject may hold 61: 61 - 10 */
	{ "'max_msgs_per_subject':10", 51, 2040, true, true,
	  "max_msgs_per_subject", NULL },
	{ "'max_msgs_per_subject':61", 0, 0, false, false, "", NULL },
	{ "'max_msg_size':10", 0, 0, false, false, "", NULL },
	{ "'max_msgs':60,'max_bytes':100", 63, 2500, true, false,
	  "max_msgs, max_bytes", NULL },
	/* blocked (storage) still counts */
	{ "'max_msgs':5,'storage':'memory'", 60, 2400, false, true,
	  "max_msgs", NULL },
};

static void
test_data_loss(void **state)
{
	const struct loss_case	*c;
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .now_ns = LOSS_NOW };
	struct diag		 d;
	cJSON			*infos, *info, *j = NULL, *loss;
	char			 decl[512], text[512];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(loss_cases) / sizeof(loss_cases[0]); i++) {
		c = &loss_cases[i];
		infos = cJSON_CreateArray();
		info = stream_info(testlib_json(t1_config), NULL);
		cJSON_ReplaceItemInObject(info, "state", testlib_json("{'messages':65,"
		    "'bytes':2600,'first_seq':1,"
		    "'first_ts':'2026-12-02T11:00:00Z','last_seq':65,"
		    "'last_ts':'2026-12-02T11:01:40Z','num_subjects':5,"
		    "'consumer_count':0}"));
		cJSON_AddItemToArray(infos, info);
		live = make_live(V29, infos);
		snprintf(decl, sizeof(decl), "[{'config':{'name':'t1',"
		    "'subjects':['t1.>'],%s}}]", c->declared);
		set = make_set(decl);
		assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
		assert_int_equal(p->n, 1);
		if (c->msgs != p->actions[0].loss.msgs ||
		    c->bytes != p->actions[0].loss.bytes)
			fail_msg("%s: deletes %.0f msgs %.0f bytes, want %.0f "
			    "%.0f", c->declared, p->actions[0].loss.msgs,
			    p->actions[0].loss.bytes, c->msgs, c->bytes);
		assert_int_equal(p->nlossy, c->msgs > 0 ? 1 : 0);
		assert_int_equal(plan_is_lossy(&p->actions[0]), c->msgs > 0);
		if (c->msgs > 0) {
			assert_int_equal(p->actions[0].loss.msgs_estimated,
			    c->msgs_estimated);
			assert_int_equal(p->actions[0].loss.bytes_estimated,
			    c->bytes_estimated);
			assert_string_equal(p->actions[0].loss.causes,
			    c->causes);
			assert_int_equal(plan_to_json(p, &j), 0);
			loss = cJSON_GetObjectItem(cJSON_GetArrayItem(
			    cJSON_GetObjectItem(j, "actions"), 0),
			    "data_loss");
			assert_json(cJSON_GetObjectItem(loss, "of_messages"),
			    "65");
			snprintf(text, sizeof(text), "%.0f", c->msgs);
			assert_json(cJSON_GetObjectItem(loss, "messages"),
			    text);
			cJSON_Delete(j);
			j = NULL;
		}
		if (c->text != NULL)
			assert_string_equal(plan_loss_text(&p->actions[0],
			    text, sizeof(text)), c->text);
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

/* With every subject's count in the state, max_msgs_per_subject is exact. */
static void
test_subject_counts(void **state)
{
	static const struct {
		const char	*subjects;	/* state.subjects */
		double		 msgs;
		bool		 estimated;
	} cases[] = {
		{ "{'a':61,'b':1,'c':1,'d':1,'e':1}", 51, false },
		{ "{'a':13,'b':13,'c':13,'d':13,'e':13}", 15, false },
		{ "{'a':10,'b':10,'c':10,'d':10,'e':25}", 15, false },
		/* a partial page: the bound again */
		{ "{'a':61,'b':1}", 51, true },
	};
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;
	cJSON			*infos, *info, *st;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		infos = cJSON_CreateArray();
		info = stream_info(testlib_json(t1_config), NULL);
		st = testlib_json("{'messages':65,'bytes':2600,'first_seq':1,"
		    "'first_ts':'2026-12-02T11:00:00Z','last_seq':65,"
		    "'last_ts':'2026-12-02T11:01:40Z','num_subjects':5,"
		    "'consumer_count':0}");
		cJSON_AddItemToObject(st, "subjects", testlib_json(cases[i].subjects));
		cJSON_ReplaceItemInObject(info, "state", st);
		cJSON_AddItemToArray(infos, info);
		live = make_live(V29, infos);
		set = make_set("[{'config':{'name':'t1','subjects':['t1.>'],"
		    "'max_msgs_per_subject':10}}]");
		assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
		if (p->actions[0].loss.msgs != cases[i].msgs)
			fail_msg("case %zu: deletes %.0f, want %.0f", i,
			    p->actions[0].loss.msgs, cases[i].msgs);
		assert_int_equal(p->actions[0].loss.msgs_estimated,
		    cases[i].estimated);
		assert_int_equal(plan_wants_subjects(&p->actions[0]),
		    cases[i].estimated);
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

/* Pruning a stream with messages, or a consumer with pending ones. */
static void
test_prune_loss(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .prune = true };
	struct diag		 d;
	cJSON			*infos, *info, *cons, *ci, *j = NULL;
	char			 text[512];

	(void)state;
	infos = cJSON_CreateArray();
	cons = cJSON_CreateArray();
	ci = consumer_info("t1", testlib_json(c1_config));
	cJSON_ReplaceItemInObject(ci, "num_pending", cJSON_CreateNumber(3));
	cJSON_ReplaceItemInObject(ci, "num_ack_pending", cJSON_CreateNumber(2));
	cJSON_AddItemToArray(cons, ci);
	cJSON_AddItemToArray(infos, stream_info(testlib_json(t1_config), cons));
	info = stream_info(testlib_json(t2_config), NULL);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(info, "state"),
	    "messages", cJSON_CreateNumber(7));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(info, "state"),
	    "bytes", cJSON_CreateNumber(700));
	cJSON_AddItemToArray(infos, info);
	live = make_live(V29, infos);
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>']}}]");
	add_glob(set, false, "t2");
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->nlossy, 2);
	assert_int_equal(p->actions[1].kind, PLAN_DELETE);
	assert_string_equal(plan_loss_text(&p->actions[1], text, sizeof(text)),
	    "drops 5 messages it has yet to deliver or to see acknowledged");
	assert_string_equal(plan_loss_text(&p->actions[2], text, sizeof(text)),
	    "deletes 7 of 7 messages (700 of 700 bytes) by delete");
	assert_int_equal(plan_to_json(p, &j), 0);
	assert_json(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "summary"),
	    "data_loss"), "2");
	assert_json(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "actions"), 2), "data_loss"), "causes"),
	    "['delete']");
	cJSON_Delete(j);
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

/*
 * Prune ownership: which undeclared streams --prune deletes, blocks or
 * leaves alone.  app-old and KV_mine carry the managed-by mark, app-keep
 * also the prevent-delete mark (metadata exists from 2.10 on only).
 */
struct scope_case {
	int		 version;
	const char	*scope;		/* comma-separated, or NULL */
	const char	*protect;
	const char	*deleted;	/* comma-separated, name order */
	const char	*blocked;
	const char	*unowned;
};

static const struct scope_case scope_cases[] = {
	{ V29, NULL, NULL, "", "",
	  "KV_cfg,KV_mine,OBJ_files,app-keep,app-old,app-orders,team-b" },
	{ V29, "app-*", NULL, "app-keep,app-old,app-orders", "",
	  "KV_cfg,KV_mine,OBJ_files,team-b" },
	{ V29, "*", NULL, "app-keep,app-old,app-orders,team-b", "",
	  "KV_cfg,KV_mine,OBJ_files" },
	{ V29, "*,KV_*", NULL, "KV_cfg,KV_mine,app-keep,app-old,app-orders,"
	  "team-b", "", "OBJ_files" },
	{ V29, "app-*", "app-or*", "app-keep,app-old", "app-orders",
	  "KV_cfg,KV_mine,OBJ_files,team-b" },
	{ V210, NULL, NULL, "app-old", "app-keep",
	  "KV_cfg,KV_mine,OBJ_files,app-orders,team-b" },
	/* a declared scope is the whole scope: the mark no longer counts */
	{ V210, "app-orders", NULL, "app-orders", "",
	  "KV_cfg,KV_mine,OBJ_files,app-keep,app-old,team-b" },
	{ V210, "OBJ_*,app-*", "app-old", "OBJ_files,app-orders",
	  "app-keep,app-old", "KV_cfg,KV_mine,team-b" },
};

static void
scope_add_stream(cJSON *infos, int version, const char *name,
    const char *md)
{
	char	cfg[512];

	snprintf(cfg, sizeof(cfg), "{'name':'%s','subjects':['%s.>']%s%s%s}",
	    name, name, version >= V210 && md != NULL ? ",'metadata':{" : "",
	    version >= V210 && md != NULL ? md : "",
	    version >= V210 && md != NULL ? "}" : "");
	cJSON_AddItemToArray(infos, stream_info(patched(t1_config, cfg),
	    NULL));
}

static void
scope_globs(struct spec_set *set, bool protect, const char *list)
{
	char	buf[256], *tok, *save = NULL;

	if (list == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		add_glob(set, protect, tok);
}

static void
test_prune_scope(void **state)
{
	const struct scope_case	*c;
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .prune = true };
	struct diag		 d;
	cJSON			*infos;
	char			 del[512], blk[512], own[512];
	size_t			 i, j;

	(void)state;
	for (i = 0; i < sizeof(scope_cases) / sizeof(scope_cases[0]); i++) {
		c = &scope_cases[i];
		infos = cJSON_CreateArray();
		scope_add_stream(infos, c->version, "t1", NULL);
		scope_add_stream(infos, c->version, "app-orders", NULL);
		scope_add_stream(infos, c->version, "app-old",
		    "'managed-by':'nats-provision'");
		scope_add_stream(infos, c->version, "app-keep",
		    "'managed-by':'nats-provision',"
		    "'nats-provision.prevent-delete':'true'");
		scope_add_stream(infos, c->version, "KV_cfg", NULL);
		scope_add_stream(infos, c->version, "KV_mine",
		    "'managed-by':'nats-provision'");
		scope_add_stream(infos, c->version, "OBJ_files", NULL);
		scope_add_stream(infos, c->version, "team-b",
		    "'managed-by':'someone-else'");
		live = make_live(c->version, infos);
		set = make_set("[{'config':{'name':'t1','subjects':['t1.>']}}]");
		scope_globs(set, false, c->scope);
		scope_globs(set, true, c->protect);
		assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
		del[0] = blk[0] = own[0] = '\0';
		for (j = 1; j < p->n; j++) {
			if (p->actions[j].kind == PLAN_BLOCKED) {
				assert_non_null(p->actions[j].blocked);
				strcat(blk[0] != '\0' ? strcat(blk, ",") : blk,
				    p->actions[j].stream);
			} else {
				assert_int_equal(p->actions[j].kind,
				    PLAN_DELETE);
				strcat(del[0] != '\0' ? strcat(del, ",") : del,
				    p->actions[j].stream);
			}
		}
		for (j = 0; j < p->nunowned; j++)
			strcat(own[0] != '\0' ? strcat(own, ",") : own,
			    p->unowned[j]);
		print_message("case %zu: deleted %s; blocked %s; left %s\n", i,
		    del, blk, own);
		assert_string_equal(del, c->deleted);
		assert_string_equal(blk, c->blocked);
		assert_string_equal(own, c->unowned);
		assert_int_equal(p->counts[PLAN_BLOCKED], c->blocked[0] != '\0' ?
		    1 + (strchr(c->blocked, ',') != NULL) : 0);
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

/*
 * prevent_update blocks every update and names the declaration;
 * prevent_delete is recorded in the metadata on 2.10 (with the managed-by
 * mark), not on 2.9; a protected consumer is not pruned.
 */
static void
test_protection(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct plan_opts	 opts = { .prune = true };
	struct diag		 d;
	const cJSON		*md;

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>'],"
	    "'max_msgs':5},'consumers':[{'durable_name':'c1',"
	    "'description':'new'}]}]");
	set->streams[0].prevent_update = true;
	set->streams[0].consumers[0].prevent_update = true;
	add_glob(set, true, "t1/c?");
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->actions[0].kind, PLAN_BLOCKED);
	assert_null(p->actions[0].config);
	assert_non_null(strstr(p->actions[0].fields[0].blocked,
	    "declared prevent_update: true (streams.yaml:10:1)"));
	assert_int_equal(p->actions[1].kind, PLAN_BLOCKED);
	assert_non_null(strstr(p->actions[1].fields[0].blocked,
	    "prevent_update"));
	/* c2 is undeclared; "t1/c?" protects it from the prune */
	assert_int_equal(p->actions[2].kind, PLAN_BLOCKED);
	assert_string_equal(p->actions[2].consumer, "c2");
	assert_string_equal(p->actions[2].blocked,
	    "protected by prune.protect 't1/c?'");
	plan_free(p);

	/* without prevent_update the same is an update */
	set->streams[0].prevent_update = false;
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[0].kind, PLAN_UPDATE);
	plan_free(p);
	live_free(live);

	/* prevent_delete: the mark goes to the server from 2.10 on */
	set->streams[0].prevent_delete = true;
	set->streams[0].consumers[0].prevent_delete = true;
	set->streams[0].consumers[0].prevent_update = false;
	live = std_live(V210, NULL, NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[0].kind, PLAN_UPDATE);
	md = cJSON_GetObjectItem(p->actions[0].config, "metadata");
	assert_json(md, "{'managed-by':'nats-provision',"
	    "'nats-provision.prevent-delete':'true'}");
	md = cJSON_GetObjectItem(p->actions[1].config, "metadata");
	assert_json(md, "{'nats-provision.prevent-delete':'true'}");
	plan_free(p);
	live_free(live);
	live = std_live(V29, NULL, NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_null(cJSON_GetObjectItem(p->actions[0].config, "metadata"));
	plan_free(p);
	live_free(live);
	spec_set_free(set);
}

/* plan_to_json -> plan_from_json keeps what apply needs. */
static void
test_saved_round_trip(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL, *q = NULL;
	struct plan_opts	 opts = { .prune = true };
	struct diag		 d;
	cJSON			*j = NULL, *bad;
	size_t			 i;
	static const struct {
		const char	*json;
		const char	*msg;
	} bads[] = {
		{ "{}", "no 'actions' list" },
		{ "{'actions':[{'action':'explode'}]}", "actions[0].action" },
		{ "{'actions':[{'action':'create','object':'stream',"
		  "'stream':'s'}]}", "actions[0].config" },
		{ "{'actions':[{'action':'delete','object':'table',"
		  "'stream':'s'}]}", "actions[0].object" },
		{ "{'actions':[{'action':'delete','object':'consumer',"
		  "'stream':'s'}]}", "actions[0].consumer" },
		{ "{'actions':[{'action':'delete','object':'stream',"
		  "'stream':7}]}", "actions[0].stream" },
		{ "{'actions':[{'action':'update','object':'stream',"
		  "'stream':'s','config':{},'fields':[{'key':1}]}]}",
		  "actions[0].fields" },
		{ "{'actions':[{'action':'update','object':'stream',"
		  "'stream':'s','config':{},'data_loss':{'messages':-1}}]}",
		  "actions[0].data_loss" },
		{ "{'actions':[{'action':'update','object':'stream',"
		  "'stream':'s','config':{'max_bytes':1e300}}]}",
		  "actions[0]: a number" },
		{ "{'actions':[{'action':'update','object':'stream',"
		  "'stream':'s','config':{},'fields':[{'key':'max_age',"
		  "'want':1e999}]}]}", "actions[0]: a number" },
	};

	(void)state;
	live = std_live(V29, NULL, NULL, NULL);
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>'],"
	    "'max_msgs':10,'storage':'memory'},"
	    "'consumers':[{'durable_name':'c1'},{'durable_name':'c2',"
	    "'deliver_subject':'dlv.c2','description':'d'}]},"
	    "{'config':{'name':'t3'}}]");
	add_glob(set, false, "t2");
	add_glob(set, true, "t1/c9");
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	p->actions[2].loss = (struct plan_loss){ .msgs = 3, .of_msgs = 9,
	    .causes = "max_msgs, max_age" };
	assert_int_equal(plan_to_json(p, &j), 0);
	assert_int_equal(plan_from_json(j, &d, &q), 0);
	assert_int_equal(q->n, p->n);
	for (i = 0; i < p->n; i++) {
		assert_int_equal(q->actions[i].kind, p->actions[i].kind);
		assert_int_equal(q->actions[i].object, p->actions[i].object);
		assert_string_equal(q->actions[i].stream, p->actions[i].stream);
		assert_true(cJSON_Compare(q->actions[i].config,
		    p->actions[i].config, true) ||
		    (q->actions[i].config == NULL &&
		    p->actions[i].config == NULL));
		assert_int_equal(q->actions[i].nfields, p->actions[i].nfields);
	}
	assert_memory_equal(q->counts, p->counts, sizeof(p->counts));
	assert_string_equal(q->actions[2].loss.causes, "max_msgs, max_age");
	assert_int_equal(q->actions[2].loss.msgs, 3);
	assert_non_null(q->actions[0].fields[1].blocked);
	plan_free(q);
	cJSON_Delete(j);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		bad = testlib_json(bads[i].json);
		q = NULL;
		assert_int_equal(plan_from_json(bad, &d, &q), -EINVAL);
		assert_null(q);
		if (strstr(d.msg, bads[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, d.msg,
			    bads[i].msg);
		cJSON_Delete(bad);
	}
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

/* The fingerprint notices config changes, not message counts. */
static void
test_fingerprint(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;
	cJSON			*saved = NULL, *now = NULL, *st;

	(void)state;
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>']}},"
	    "{'config':{'name':'t9'}}]");
	live = std_live(V29, NULL, NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(plan_fingerprint(live, p, &saved), 0);
	/* t1, its two durables, t9 absent; t2 is not in the plan */
	assert_int_equal(cJSON_GetArraySize(saved), 4);
	assert_json(cJSON_GetObjectItem(saved, "t9"), "'absent'");
	assert_null(cJSON_GetObjectItem(saved, "t2"));
	live_free(live);

	/* messages arrived: still matches */
	live = std_live(V29, NULL, NULL, NULL);
	st = cJSON_GetObjectItem(live->streams[0].info, "state");
	cJSON_ReplaceItemInObject(st, "messages", cJSON_CreateNumber(99));
	assert_int_equal(plan_fingerprint(live, p, &now), 0);
	assert_int_equal(plan_fingerprint_check(saved, now, &d), 0);
	cJSON_Delete(now);
	live_free(live);

	/* a changed config */
	live = std_live(V29, "{'max_msgs':5}", NULL, NULL);
	assert_int_equal(plan_fingerprint(live, p, &now), 0);
	assert_int_equal(plan_fingerprint_check(saved, now, &d), -ESTALE);
	assert_non_null(strstr(d.msg, "stream 't1' changed since the plan "
	    "was made"));
	cJSON_Delete(now);
	live_free(live);

	/* a changed consumer */
	live = std_live(V29, NULL, "{'max_deliver':3}", NULL);
	assert_int_equal(plan_fingerprint(live, p, &now), 0);
	assert_int_equal(plan_fingerprint_check(saved, now, &d), -ESTALE);
	assert_non_null(strstr(d.msg, "consumer 't1/c1' changed"));
	cJSON_Delete(now);
	live_free(live);
	assert_int_equal(plan_fingerprint_check(NULL, saved, &d), -EINVAL);
	cJSON_Delete(saved);
	plan_free(p);
	spec_set_free(set);
}

/*
 * sealed: true on a new stream: created unsealed, then sealed by an
 * update (nats-server refuses a sealed create); a sealed live stream
 * declared sealed is in sync; unsealing is blocked.
 */
static void
test_sealed(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;

	(void)state;
	set = make_set("[{'config':{'name':'t9','subjects':['t9.>'],"
	    "'max_age':3600000000000,'sealed':true}}]");
	live = std_live(V29, NULL, NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->actions[0].kind, PLAN_CREATE);
	assert_null(cJSON_GetObjectItem(p->actions[0].config, "sealed"));
	assert_int_equal(p->actions[1].kind, PLAN_UPDATE);
	assert_string_equal(p->actions[1].stream, "t9");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p->actions[1].config,
	    "sealed")));
	assert_int_equal(p->actions[1].nfields, 1);
	assert_string_equal(p->actions[1].fields[0].key, "sealed");
	assert_int_equal(p->counts[PLAN_CREATE], 1);
	assert_int_equal(p->counts[PLAN_UPDATE], 1);
	plan_free(p);
	spec_set_free(set);
	live_free(live);

	/* what the server made of the sealing update: in sync */
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>'],"
	    "'sealed':true}}]");
	live = std_live(V29, "{'sealed':true,'discard':'new',"
	    "'deny_delete':true,'deny_purge':true}", NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[0].kind, PLAN_NOOP);
	plan_free(p);
	spec_set_free(set);

	/* unsealing stays blocked */
	set = make_set("[{'config':{'name':'t1','subjects':['t1.>']}}]");
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[0].kind, PLAN_BLOCKED);
	assert_non_null(find_field(&p->actions[0], "sealed"));
	assert_non_null(strstr(find_field(&p->actions[0], "sealed")->blocked,
	    "cannot be unsealed"));
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

static void
test_misc(void **state)
{
	struct plan	empty = { 0 };

	(void)state;
	plan_free(NULL);
	assert_true(plan_is_empty(&empty));
	assert_string_equal(plan_kind_name(PLAN_NOOP), "no change");
	assert_string_equal(plan_kind_name(PLAN_CREATE), "create");
	assert_string_equal(plan_kind_name(PLAN_UPDATE), "update");
	assert_string_equal(plan_kind_name(PLAN_BLOCKED), "blocked");
	assert_string_equal(plan_kind_name(PLAN_DELETE), "delete");
}

/* Many streams, to keep the planner's cost linear in practice. */
static void
test_many_streams(void **state)
{
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;
	cJSON			*infos, *cfg;
	char			*decl, name[32];
	size_t			 i, off = 0, cap = 1000 * 64;

	(void)state;
	infos = cJSON_CreateArray();
	decl = malloc(cap);
	off += (size_t)snprintf(decl + off, cap - off, "[");
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%04zu", 999 - i);
		cfg = testlib_json(t1_config);
		cJSON_ReplaceItemInObject(cfg, "name",
		    cJSON_CreateString(name));
		cJSON_DeleteItemFromObject(cfg, "subjects");
		cJSON_AddItemToObject(cfg, "subjects",
		    cJSON_CreateStringArray((const char *[]){ name }, 1));
		cJSON_AddItemToArray(infos, stream_info(cfg, NULL));
		off += (size_t)snprintf(decl + off, cap - off,
		    "%s{'config':{'name':'%s'}}", i > 0 ? "," : "", name);
	}
	snprintf(decl + off, cap - off, "]");
	live = make_live(V29, infos);
	set = make_set(decl);
	free(decl);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->n, 1000);
	assert_true(plan_is_empty(p));
	plan_free(p);
	spec_set_free(set);
	live_free(live);
}

/*
 * What 2.15.1 adds to the measured t1 and c1 (STREAM.CREATE and
 * CONSUMER.CREATE as above, 2.15.1): the reserved metadata keys, and for
 * streams compression "none", an empty consumer_limits and allow_msg_ttl.
 */
#define NATS_MD		"'_nats.level':'5','_nats.req.level':'0'," \
			"'_nats.ver':'2.15.1'"
#define T1_215		"'compression':'none','consumer_limits':{}," \
			"'allow_msg_ttl':false"
/* The ownership mark the planner keeps on streams on 2.10+. */
#define MARK		"'" PLAN_MD_MANAGED "':'" PLAN_MD_MANAGED_VALUE "'"

struct metadata_case {
	const char	*name;
	int		 version;
	const char	*t1_patch;	/* live t1 */
	const char	*c1_patch;	/* live c1 */
	const char	*declared;	/* [{'config':..,'consumers':[..]}] */
	enum plan_kind	 stream_kind;
	enum plan_kind	 consumer_kind;
	const char	*live_md;	/* the metadata field's live value, or
					   NULL when metadata must not differ */
	const char	*want_md;	/* its desired value */
};

static const struct metadata_case metadata_cases[] = {
	{ "2.15 fills in its keys: no drift", V215,
	  "{" T1_215 ",'metadata':{" NATS_MD "," MARK "}}",
	  "{'metadata':{" NATS_MD "}}",
	  "[{'config':{'name':'t1','subjects':['t1.>']},"
	  "'consumers':[{'durable_name':'c1'}]}]",
	  PLAN_NOOP, PLAN_NOOP, NULL, NULL },
	{ "user metadata beside the server's: no drift", V215,
	  "{" T1_215 ",'metadata':{" NATS_MD ",'team':'a'," MARK "}}",
	  "{'metadata':{'owner':'x'," NATS_MD "}}",
	  "[{'config':{'name':'t1','subjects':['t1.>'],"
	  "'metadata':{'team':'a'}},"
	  "'consumers':[{'durable_name':'c1','metadata':{'owner':'x'}}]}]",
	  PLAN_NOOP, PLAN_NOOP, NULL, NULL },
	{ "changed user metadata on 2.15: only the user's keys", V215,
	  "{" T1_215 ",'metadata':{" NATS_MD ",'team':'a'," MARK "}}",
	  "{'metadata':{" NATS_MD "}}",
	  "[{'config':{'name':'t1','subjects':['t1.>'],"
	  "'metadata':{'team':'b'}},"
	  "'consumers':[{'durable_name':'c1','metadata':{'owner':'x'}}]}]",
	  PLAN_UPDATE, PLAN_UPDATE, "{'team':'a'," MARK "}",
	  "{'team':'b'," MARK "}" },
	{ "removed user metadata on 2.15", V215,
	  "{" T1_215 ",'metadata':{" NATS_MD ",'team':'a'," MARK "}}",
	  "{'metadata':{" NATS_MD "}}",
	  "[{'config':{'name':'t1','subjects':['t1.>']},"
	  "'consumers':[{'durable_name':'c1'}]}]",
	  PLAN_UPDATE, PLAN_NOOP, "{'team':'a'," MARK "}", "{" MARK "}" },
	{ "changed user metadata on 2.10", V210,
	  "{'compression':'none','consumer_limits':{},"
	  "'metadata':{'team':'a'," MARK "}}", NULL,
	  "[{'config':{'name':'t1','subjects':['t1.>'],"
	  "'metadata':{'team':'b'}},"
	  "'consumers':[{'durable_name':'c1'}]}]",
	  PLAN_UPDATE, PLAN_NOOP, "{'team':'a'," MARK "}",
	  "{'team':'b'," MARK "}" },
};

/* No key of o's metadata is the server's. */
static void
assert_no_reserved(const cJSON *config)
{
	const cJSON	*md, *k;

	md = cJSON_GetObjectItemCaseSensitive(config, "metadata");
	cJSON_ArrayForEach(k, md)
		assert_int_not_equal(strncmp(k->string, "_nats.", 6), 0);
}

/*
 * Server-reserved metadata (_nats.*) is never drift and never sent back;
 * user metadata next to it still diffs.
 */
static void
test_server_metadata(void **state)
{
	const struct metadata_case	*c;
	const struct plan_action	*a;
	const struct plan_field		*f;
	struct spec_set			*set;
	struct live			*live;
	struct plan			*p;
	struct diag			 d;
	size_t				 i, j;

	(void)state;
	for (i = 0; i < sizeof(metadata_cases) / sizeof(metadata_cases[0]);
	    i++) {
		c = &metadata_cases[i];
		print_message("case: %s\n", c->name);
		live = std_live(c->version, c->t1_patch, c->c1_patch, NULL);
		set = make_set(c->declared);
		p = NULL;
		assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
		assert_int_equal(p->n, 2);
		assert_int_equal(p->actions[0].kind, c->stream_kind);
		assert_int_equal(p->actions[1].kind, c->consumer_kind);
		for (j = 0; j < p->n; j++) {
			a = &p->actions[j];
			assert_no_reserved(a->config);
			f = find_field(a, "metadata");
			if (f == NULL)
				continue;
			assert_no_reserved(f->live);
			assert_no_reserved(f->want);
			if (a->object == PLAN_STREAM && c->live_md != NULL) {
				assert_int_equal(a->nfields, 1);
				assert_json(f->live, c->live_md);
				assert_json(f->want, c->want_md);
			}
		}
		if (c->live_md != NULL)
			assert_non_null(find_field(&p->actions[0],
			    "metadata"));
		plan_free(p);
		spec_set_free(set);
		live_free(live);
	}
}

/*
 * 2.10+ fills a consumer's unset inactive_threshold and max_ack_pending
 * from its stream's consumer_limits.
 */
static void
test_consumer_limits(void **state)
{
	static const char decl[] =
	    "[{'config':{'name':'t1','subjects':['t1.>'],"
	    "'consumer_limits':{'inactive_threshold':60000000000,"
	    "'max_ack_pending':100}},"
	    "'consumers':[{'durable_name':'c1'}]}]";
	static const char t1[] = "{'compression':'none',"
	    "'consumer_limits':{'inactive_threshold':60000000000,"
	    "'max_ack_pending':100}}";
	const struct plan_field	*f;
	struct spec_set		*set;
	struct live		*live;
	struct plan		*p = NULL;
	struct diag		 d;

	(void)state;
	/* As 2.10.27 and 2.15.1 report c1 created under the limits. */
	live = std_live(V210, t1, "{'inactive_threshold':60000000000,"
	    "'max_ack_pending':100}", NULL);
	set = make_set(decl);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->actions[0].kind, PLAN_NOOP);
	assert_int_equal(p->actions[1].kind, PLAN_NOOP);
	plan_free(p);
	live_free(live);

	/* c1 made before the limits keeps its own values: drift. */
	p = NULL;
	live = std_live(V210, t1, NULL, NULL);
	assert_int_equal(plan_build(set, live, NULL, &d, &p), 0);
	assert_int_equal(p->actions[1].kind, PLAN_UPDATE);
	assert_int_equal(p->actions[1].nfields, 2);
	assert_non_null(f = find_field(&p->actions[1], "inactive_threshold"));
	assert_json(f->want, "60000000000");
	assert_non_null(f = find_field(&p->actions[1], "max_ack_pending"));
	assert_json(f->live, "1000");
	assert_json(f->want, "100");
	plan_free(p);
	live_free(live);
	spec_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_cases),
		cmocka_unit_test(test_consumer_cases),
		cmocka_unit_test(test_create_missing),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_needs_newer_server),
		cmocka_unit_test(test_desired_never_sends_newer_fields),
		cmocka_unit_test(test_to_json),
		cmocka_unit_test(test_data_loss),
		cmocka_unit_test(test_subject_counts),
		cmocka_unit_test(test_prune_loss),
		cmocka_unit_test(test_prune_scope),
		cmocka_unit_test(test_protection),
		cmocka_unit_test(test_saved_round_trip),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_sealed),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_many_streams),
		cmocka_unit_test(test_server_metadata),
		cmocka_unit_test(test_consumer_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
