/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for export: the document leaves defaults out, and reading it
 * back with spec_load_buffer() and planning it against the same snapshot
 * yields nothing but NOOPs.  Fixtures use ' for ".
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

#include "export.h"
#include "live.h"
#include "plan.h"
#include "spec.h"
#include "testlib.h"

/* Measured on 2.9.10 (see test-plan.c); later ones are varied from it. */
static const char *const snapshot[] = {
    "{'config':{{2.9.10/stream-t1}},"
    "'state':{'messages':0,'consumer_count':3},"
    "'consumers':["
    "{'stream_name':'t1','name':'c1','config':{{2.9.10/consumer-c1-pull}}},"
    "{'stream_name':'t1','name':'c2','config':{{2.9.10/consumer-c2-push}}},"
    "{'stream_name':'t1','name':'EPHEMERAL9','config':{"
    "'deliver_policy':'all','ack_policy':'none','max_deliver':-1,"
    "'replay_policy':'instant','deliver_subject':'_INBOX.abc',"
    "'num_replicas':0}}]}",
    "{'config':{{2.9.10/stream-t2}},"
    "'state':{'messages':0,'consumer_count':2},"
    "'consumers':["
    "{'name':'w1','config':{'durable_name':'w1','description':'worker',"
    "'deliver_policy':'all','ack_policy':'explicit','ack_wait':1000000000,"
    "'max_deliver':5,'backoff':[1000000000,10000000000],"
    "'filter_subject':'t2.a','replay_policy':'instant','max_waiting':64,"
    "'max_ack_pending':-1,'max_batch':10,'max_expires':30000000000,"
    "'inactive_threshold':0,'num_replicas':0}},"
    "{'name':'ob','config':{'durable_name':'ob',"
    "'deliver_policy':'by_start_time',"
    "'opt_start_time':'2024-01-01T00:00:00Z','ack_policy':'all',"
    "'ack_wait':30000000000,'max_deliver':-1,'filter_subject':'t2.b',"
    "'replay_policy':'original','rate_limit_bps':1000,"
    "'sample_freq':'30%','max_ack_pending':20,'flow_control':true,"
    "'idle_heartbeat':5000000000,'headers_only':true,"
    "'deliver_subject':'dlv.ob','deliver_group':'g','num_replicas':0}}"
    "]}",
    "{'config':{'name':'short','description':'say \\\"hi\\\" \\\\ and\\n"
    "more: #not a comment','subjects':['*.x','a.>','true','123','null',"
    "'~','- x'],'retention':'interest','max_consumers':-1,"
    "'max_msgs':1000,'max_bytes':104857600,'max_age':30000000000,"
    "'max_msgs_per_subject':10,'max_msg_size':1048576,'discard':'new',"
    "'storage':'memory','num_replicas':1,'no_ack':true,"
    "'duplicate_window':30000000000,'allow_direct':true,"
    "'mirror_direct':false,'sealed':false,'deny_delete':true,"
    "'deny_purge':false,'allow_rollup_hdrs':true,"
    "'discard_new_per_subject':true},"
    "'state':{'messages':0,'consumer_count':0}}",
    "{'config':{'name':'mir','retention':'limits','max_consumers':-1,"
    "'max_msgs':-1,'max_bytes':-1,'max_age':0,'max_msgs_per_subject':-1,"
    "'max_msg_size':-1,'discard':'old','storage':'file','num_replicas':1,"
    "'mirror':{'name':'t1','filter_subject':'t1.a'},"
    "'allow_direct':false,'mirror_direct':true,'sealed':false,"
    "'deny_delete':false,'deny_purge':false,'allow_rollup_hdrs':false},"
    "'state':{'messages':0,'consumer_count':0}}",
    "{'config':{'name':'src','retention':'limits','max_consumers':5,"
    "'max_msgs':-1,'max_bytes':-1,'max_age':0,'max_msgs_per_subject':-1,"
    "'max_msg_size':-1,'discard':'old','storage':'file','num_replicas':1,"
    "'duplicate_window':300000000000,"
    "'placement':{'cluster':'east','tags':['a','b']},"
    "'sources':[{'name':'t1'},{'name':'t2','filter_subject':'t2.x',"
    "'opt_start_seq':5,'external':{'api':'$JS.hub.API'}}],"
    "'republish':{'src':'>','dest':'rp.>','headers_only':true},"
    "'allow_direct':false,'mirror_direct':false,'sealed':false,"
    "'deny_delete':false,'deny_purge':false,'allow_rollup_hdrs':false},"
    "'state':{'messages':0,'consumer_count':0}}",
    "{'config':{'name':'sealed','subjects':['sealed'],"
    "'retention':'limits','max_consumers':-1,'max_msgs':-1,"
    "'max_bytes':-1,'max_age':0,'max_msgs_per_subject':-1,"
    "'max_msg_size':-1,'discard':'new','storage':'file','num_replicas':1,"
    "'duplicate_window':120000000000,'allow_direct':false,"
    "'mirror_direct':false,'sealed':true,'deny_delete':true,"
    "'deny_purge':true,'allow_rollup_hdrs':false},"
    "'state':{'messages':0,'consumer_count':0}}",
    NULL
};


/* A snapshot of the given StreamInfo texts (NULL-terminated). */
static struct live *
make_live(const char *const *infos)
{
	struct live	*l = NULL;
	cJSON		*arr;

	arr = cJSON_CreateArray();
	assert_non_null(arr);
	for (; *infos != NULL; infos++)
		assert_true(cJSON_AddItemToArray(arr, testlib_json(*infos)));
	assert_int_equal(live_from_json(20910, arr, &l), 0);
	return l;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* Load yaml and plan it against live; returns the plan. */
static struct plan *
reload(const char *yaml, const struct live *live, bool prune)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	struct plan_opts	 opts = { .prune = prune };
	struct plan		*p = NULL;
	struct diag		 d;
	char			 buf[2048];
	size_t			 i;
	int			 r;

	r = spec_load_buffer("export.yaml", yaml, strlen(yaml), NULL, &diags,
	    &set);
	if (r != 0) {
		for (i = 0; i < diags.n; i++)
			print_error("%s\n", diag_format(&diags.items[i], buf,
			    sizeof(buf)));
		print_error("%s", yaml);
	}
	assert_int_equal(r, 0);
	diag_list_free(&diags);
	diag_clear(&d);
	r = plan_build(set, live, &opts, &d, &p);
	if (r != 0)
		print_error("plan: %s\n", d.msg);
	assert_int_equal(r, 0);
	spec_set_free(set);
	return p;
}

static void
print_drift(const struct plan *p, const char *yaml)
{
	const struct plan_action	*a;
	char				*l, *w;
	size_t				 i, j;

	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (a->kind == PLAN_NOOP)
			continue;
		print_error("%s %s %s/%s\n", plan_kind_name(a->kind),
		    a->object == PLAN_STREAM ? "stream" : "consumer",
		    a->stream, a->consumer != NULL ? a->consumer : "");
		for (j = 0; j < a->nfields; j++) {
			l = a->fields[j].live != NULL ?
			    cJSON_PrintUnformatted(a->fields[j].live) : NULL;
			w = a->fields[j].want != NULL ?
			    cJSON_PrintUnformatted(a->fields[j].want) : NULL;
			print_error("  %s: %s -> %s\n", a->fields[j].key,
			    l != NULL ? l : "-", w != NULL ? w : "-");
			free(l);
			free(w);
		}
	}
	print_error("%s", yaml);
}

static void
test_round_trip(void **state)
{
	struct live	*live;
	struct plan	*p;
	struct diag	 d;
	char		*yaml = NULL;
	int		 prune;

	(void)state;
	live = make_live(snapshot);
	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);
	assert_non_null(yaml);
	for (prune = 0; prune <= 1; prune++) {
		p = reload(yaml, live, prune);
		if (!plan_is_empty(p))
			print_drift(p, yaml);
		assert_true(plan_is_empty(p));
		/* 6 streams, 4 durable consumers */
		assert_int_equal(p->n, 10);
		plan_free(p);
	}
	free(yaml);
	live_free(live);
}

static void
test_defaults_left_out(void **state)
{
	struct live	*live;
	struct diag	 d;
	char		*yaml = NULL;

	(void)state;
	live = make_live(snapshot);
	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);

	/* provenance without a URL */
	assert_true(strncmp(yaml, "# ", 2) == 0);
	assert_non_null(strstr(yaml, "nats-server 2.9.10"));
	assert_null(strstr(yaml, "nats://"));

	/* t1 and its consumers are all defaults: names only */
	assert_non_null(strstr(yaml, "streams:\n"));
	assert_non_null(strstr(yaml, "  - name: \"t1\"\n"
	    "    subjects:\n      - \"t1.>\"\n"
	    "    consumers:\n      - durable_name: \"c1\"\n"
	    "      - durable_name: \"c2\"\n"
	    "        deliver_subject: \"dlv.c2\"\n"));
	assert_null(strstr(yaml, "EPHEMERAL9"));
	assert_null(strstr(yaml, "_INBOX"));

	/* units */
	assert_non_null(strstr(yaml, "    max_age: 1h\n"));
	assert_non_null(strstr(yaml, "    max_bytes: 100MiB\n"));
	assert_non_null(strstr(yaml, "    max_msg_size: 1MiB\n"));
	assert_non_null(strstr(yaml, "        backoff:\n          - 1s\n"
	    "          - 10s\n"));
	assert_non_null(strstr(yaml, "        idle_heartbeat: 5s\n"));
	assert_non_null(strstr(yaml, "    duplicate_window: 5m\n"));

	/* max_age 30s implies the 30s window; max_age 1h the default */
	assert_int_equal(count(yaml, "duplicate_window"), 1);
	assert_int_equal(count(yaml, "max_msgs:"), 1);
	assert_int_equal(count(yaml, "storage:"), 1);
	assert_non_null(strstr(yaml, "    storage: \"memory\"\n"));
	assert_null(strstr(yaml, "num_replicas"));
	assert_null(strstr(yaml, "ack_wait"));	/* c1 default, w1 backoff */

	/* quoting */
	assert_non_null(strstr(yaml, "      - \"*.x\"\n"));
	assert_non_null(strstr(yaml, "      - \"true\"\n"));
	assert_non_null(strstr(yaml, "      - \"null\"\n"));
	assert_non_null(strstr(yaml, "description: \"say \\\"hi\\\" \\\\ "
	    "and\\nmore: #not a comment\"\n"));

	/* a mirror has no subjects; mirror_direct comes from its origin */
	assert_non_null(strstr(yaml, "  - name: \"mir\"\n    mirror:\n"
	    "      name: \"t1\"\n      filter_subject: \"t1.a\"\n"));
	assert_int_equal(count(yaml, "mirror_direct"), 0);

	/* sealing implies deny_delete and deny_purge */
	assert_non_null(strstr(yaml, "    sealed: true\n"));
	assert_int_equal(count(yaml, "deny_purge"), 0);

	/* sources as a list of mappings */
	assert_non_null(strstr(yaml, "    sources:\n      - name: \"t1\"\n"
	    "      - name: \"t2\"\n        opt_start_seq: 5\n"
	    "        filter_subject: \"t2.x\"\n        external:\n"
	    "          api: \"$JS.hub.API\"\n"));
	free(yaml);
	live_free(live);
}

static void
test_named_streams(void **state)
{
	struct live	*live;
	struct plan	*p;
	struct diag	 d;
	char		*yaml = NULL;
	char		*names[] = { "t2", "mir", "t2" };
	char		*bad[] = { "t1", "nope" };

	(void)state;
	live = make_live(snapshot);
	assert_int_equal(export_yaml(live, names, 3, &d, &yaml), 0);
	assert_int_equal(count(yaml, "  - name: "), 2);
	assert_true(strstr(yaml, "\"t2\"") < strstr(yaml, "\"mir\""));
	assert_null(strstr(yaml, "\"short\""));
	p = reload(yaml, live, false);
	assert_true(plan_is_empty(p));
	assert_int_equal(p->counts[PLAN_NOOP], 4);
	plan_free(p);
	free(yaml);
	yaml = NULL;

	diag_clear(&d);
	assert_int_equal(export_yaml(live, bad, 2, &d, &yaml), -ENOENT);
	assert_null(yaml);
	assert_non_null(strstr(d.msg, "'nope'"));
	live_free(live);
}

static void
test_empty_server(void **state)
{
	struct live	*live;
	struct plan	*p;
	struct diag	 d;
	char		*yaml = NULL;

	(void)state;
	live = make_live((const char *const []){ NULL });
	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);
	assert_non_null(strstr(yaml, "streams: []\n"));
	p = reload(yaml, live, true);
	assert_int_equal(p->n, 0);
	plan_free(p);
	free(yaml);
	live_free(live);
}

/*
 * On 2.15.1 every stream and consumer carries the server's own metadata
 * keys: export leaves them out, keeps the user's, and the document plans
 * clean against the same snapshot (the spec loader refuses _nats.* keys,
 * so writing them would not even load).
 */
static void
test_server_metadata(void **state)
{
	struct live	*live = NULL;
	struct plan	*p;
	struct diag	 d;
	cJSON		*arr;
	char		*yaml = NULL;

	(void)state;
	arr = testlib_json("[{'config':{'name':'m1','subjects':['m1.>'],"
	    "'retention':'limits','max_consumers':-1,'max_msgs':-1,"
	    "'max_bytes':-1,'max_age':0,'max_msgs_per_subject':-1,"
	    "'max_msg_size':-1,'discard':'old','storage':'file',"
	    "'num_replicas':1,'duplicate_window':120000000000,"
	    "'compression':'none','consumer_limits':{},'allow_msg_ttl':false,"
	    "'allow_direct':false,'mirror_direct':false,'sealed':false,"
	    "'deny_delete':false,'deny_purge':false,'allow_rollup_hdrs':false,"
	    "'metadata':{'_nats.level':'5','_nats.req.level':'0',"
	    "'_nats.ver':'2.15.1','team':'a','managed-by':'nats-provision'}},"
	    "'state':{'messages':0,'consumer_count':2},"
	    "'consumers':["
	    "{'name':'c1','config':{'durable_name':'c1',"
	    "'deliver_policy':'all','ack_policy':'explicit',"
	    "'ack_wait':30000000000,'max_deliver':-1,"
	    "'replay_policy':'instant','max_waiting':512,"
	    "'max_ack_pending':1000,'num_replicas':0,"
	    "'metadata':{'_nats.level':'5','_nats.req.level':'0',"
	    "'_nats.ver':'2.15.1'}}},"
	    "{'name':'c2','config':{'durable_name':'c2',"
	    "'deliver_policy':'all','ack_policy':'explicit',"
	    "'ack_wait':30000000000,'max_deliver':-1,"
	    "'replay_policy':'instant','max_waiting':512,"
	    "'max_ack_pending':1000,'num_replicas':0,"
	    "'metadata':{'_nats.ver':'2.15.1','owner':'x'}}}]}]");
	assert_int_equal(live_from_json(21501, arr, &live), 0);
	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);
	assert_null(strstr(yaml, "_nats"));
	assert_int_equal(count(yaml, "metadata:"), 2);
	assert_non_null(strstr(yaml, "    metadata:\n      \"team\": \"a\"\n"
	    "      \"managed-by\": \"nats-provision\"\n"));
	assert_non_null(strstr(yaml, "        metadata:\n"
	    "          \"owner\": \"x\"\n"));
	assert_null(strstr(yaml, "compression"));
	assert_null(strstr(yaml, "consumer_limits"));
	p = reload(yaml, live, true);
	if (!plan_is_empty(p))
		print_drift(p, yaml);
	assert_true(plan_is_empty(p));
	assert_int_equal(p->n, 3);
	plan_free(p);
	free(yaml);
	live_free(live);
}

/*
 * Servers the harness does not run: the replies of 2.11.9 and 2.12.1 to
 * their fields (fixtures/VERSION/streams.json, written from the schema)
 * show no drift against the spec just applied, export plans clean, and
 * the spec is refused before any change on a server one generation too
 * old, naming the version it needs.
 */
static void
check_generation(const char *dir, int version, int older, const char *need)
{
	const struct plan_opts	 opts = { .prune = false };
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	struct live		*live = NULL, *old = NULL;
	struct plan		*p = NULL;
	struct diag		 d;
	char			 path[512], ref[64], *yaml = NULL;
	char *const		 paths[] = { path };
	size_t			 i;

	snprintf(path, sizeof(path), "%s/fixtures/%s/spec.yaml", TEST_SRCDIR,
	    dir);
	assert_int_equal(spec_load(paths, 1, NULL, &diags, &set), 0);
	snprintf(ref, sizeof(ref), "{{%s/streams}}", dir);
	assert_int_equal(live_from_json(version, testlib_json(ref), &live),
	    0);
	diag_clear(&d);
	assert_int_equal(plan_build(set, live, &opts, &d, &p), 0);
	for (i = 0; i < p->n; i++)
		if (p->actions[i].kind != PLAN_NOOP) {
			print_drift(p, dir);
			fail_msg("%s: drift right after apply", dir);
		}
	plan_free(p);

	assert_int_equal(export_yaml(live, NULL, 0, &d, &yaml), 0);
	p = reload(yaml, live, false);
	if (!plan_is_empty(p)) {
		print_drift(p, yaml);
		fail_msg("%s: the export plans with changes", dir);
	}
	plan_free(p);
	free(yaml);

	assert_int_equal(live_from_json(older, cJSON_CreateArray(), &old), 0);
	diag_clear(&d);
	assert_int_equal(plan_build(set, old, &opts, &d, &p), -ENOTSUP);
	if (strstr(d.msg, need) == NULL)
		fail_msg("%s: '%s' does not name %s", dir, d.msg, need);
	live_free(old);
	live_free(live);
	spec_set_free(set);
	diag_list_free(&diags);
}

static void
test_newer_generations(void **state)
{
	(void)state;
	check_generation("2.11.9", 21109, 21027, "needs nats-server 2.11");
	check_generation("2.12.1", 21201, 21109, "needs nats-server 2.12");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_defaults_left_out),
		cmocka_unit_test(test_named_streams),
		cmocka_unit_test(test_empty_server),
		cmocka_unit_test(test_server_metadata),
		cmocka_unit_test(test_newer_generations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
