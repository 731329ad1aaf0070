/* SPDX-License-Identifier: MIT */
/*
 * cmd-common: what the nats-provision subcommands share: the tool's
 * command and option tables for the kit (cli.h), which parses, loads,
 * connects and maps exit codes for both tools, and the session plan,
 * apply and check start from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "cmd.h"
#include "jint.h"
#include "live.h"
#include "plan.h"
#include "reply.h"
#include "schema.h"
#include "units.h"
#include "validate.h"

enum {
	OPT_JSON,
	OPT_PRUNE,
	OPT_JUNIT,
	OPT_STREAM,
	OPT_ALLOW_DATA_LOSS,
	OPT_YES,
	OPT_OUT,
	OPT_DETAILED,
};

/* In the order --help lists them. */
static const struct cli_option cmd_common_options[] = {
	{ "prune", NULL, "also delete streams and consumers that are not "
	  "declared,\nwithin the prune scope only (see "
	  "nats-provision-spec(5))", CMD_F_PRUNE, OPT_PRUNE, NULL },
	{ "allow-data-loss", NULL, "carry out changes that delete messages "
	  "(lowered limits,\ndeleting streams with messages or consumers "
	  "with pending ones)", CMD_F_APPLY, OPT_ALLOW_DATA_LOSS, NULL },
	{ "yes", NULL, "prune without asking (apply asks only when stdin is "
	  "a terminal)", CMD_F_APPLY, OPT_YES, NULL },
	{ "json", NULL, "machine-readable output", CMD_F_JSON, OPT_JSON, NULL },
	{ "junit", "FILE", "also write a JUnit XML report", CMD_F_JUNIT,
	  OPT_JUNIT, NULL },
	{ "stream", "NAME", "only the streams NAME matches (a glob: * ? "
	  "[...]);\nrepeatable", CMD_F_STREAM, OPT_STREAM, NULL },
	{ "out", "FILE", "also save the plan to FILE; 'apply FILE' carries it "
	  "out\nonly while the server still matches what the plan saw",
	  CMD_F_PLANOUT, OPT_OUT, NULL },
	{ "detailed-exitcode", NULL, "exit 6 when the plan holds changes (0: "
	  "none)", CMD_F_PLANOUT, OPT_DETAILED, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static int
cmd_common_option(void *ctx, int key, const char *arg, struct diag *d)
{
	struct cmd_args	 *a = ctx;
	char		**v;

	switch (key) {
	case OPT_JSON:
		a->json = true;
		break;
	case OPT_PRUNE:
		a->prune = true;
		break;
	case OPT_ALLOW_DATA_LOSS:
		a->allow_data_loss = true;
		break;
	case OPT_YES:
		a->yes = true;
		break;
	case OPT_OUT:
		a->out = arg;
		break;
	case OPT_DETAILED:
		a->detailed = true;
		break;
	case OPT_JUNIT:
		a->junit = arg;
		break;
	case OPT_STREAM:
		if ((v = realloc(a->streams, (a->nstreams + 1) *
		    sizeof(*v))) == NULL)
			return diag_set(d, -ENOMEM, "%s", strerror(ENOMEM));
		a->streams = v;
		/* argv outlives the session. */
		a->streams[a->nstreams++] = (char *)arg;
		break;
	}
	return 0;
}

/* The commands, in the order --help lists them. */
static const struct cli_cmd *const cmd_common_cmds[] = {
	&cmd_validate_entry,
	&cmd_plan_entry,
	&cmd_apply_entry,
	&cmd_check_entry,
	&cmd_export_entry,
	&cmd_status_entry,
};

const struct cli_tool cmd_tool = {
	.prog = "nats-provision",
	.synopsis = "COMMAND [OPTIONS] [PATH...]",
	.about = "Reconcile declared JetStream streams and consumers (YAML "
	    "specs) against a\nlive nats-server, idempotently and without "
	    "silent data loss.",
	.cmds = cmd_common_cmds,
	.ncmds = sizeof(cmd_common_cmds) / sizeof(cmd_common_cmds[0]),
	.exits = CMD_EXITS | CLI_EXITS_BIT(CLI_EXIT_PENDING),
	.options = cmd_common_options,
	.handle = cmd_common_option,
	.nothing = "nothing was sent to the server",
};

int
cmd_common_args(const struct cli_cmd *e, int argc, char **argv,
    struct cmd_args *ret)
{
	memset(ret, 0, sizeof(*ret));
	conn_opts_init(&ret->conn);
	return cli_args(&cmd_tool, e, argc, argv, ret, &ret->conn,
	    &ret->paths, &ret->npaths);
}

void
cmd_common_args_free(struct cmd_args *a)
{
	if (a == NULL)
		return;
	conn_opts_free(&a->conn);
	free(a->streams);
	a->streams = NULL;
}

int
cmd_common_load(const struct cmd_args *a, struct spec_set **ret_set)
{
	return cli_load(&cmd_tool, a->paths, a->npaths, NULL, ret_set);
}

const char *
cmd_common_quote(const char *s, char *buf)
{
	return diag_quote(s, CMD_QUOTE_MAX, buf, CMD_QUOTE_LEN);
}

const char *
cmd_common_url(const struct cmd_args *a)
{
	static char	 buf[1024];
	char		*red = NULL;

	if (a->conn.url == NULL || conn_redact_url(a->conn.url, &red) < 0)
		snprintf(buf, sizeof(buf), "%s", "(server)");
	else
		snprintf(buf, sizeof(buf), "%s", red);
	free(red);
	return buf;
}

void
cmd_common_error(const char *what, const struct diag *d)
{
	cli_error(&cmd_tool, what, d);
}

int
cmd_common_connect(struct cmd_args *a, struct jsapi **ret_api)
{
	return cli_connect(&cmd_tool, &a->conn, true, ret_api);
}

int
cmd_common_exit_code(int r)
{
	return cli_exit_code(r);
}

const char *
cmd_common_value(bool consumer, const char *key, const cJSON *v, char *buf,
    size_t len)
{
	return schema_value_text(consumer, key, v, buf, len);
}

/*
 * Read the per-subject counts of the streams whose max_msgs_per_subject
 * loss p could only estimate into their state.subjects (STREAM.INFO with
 * subjects_filter).  Best effort: a stream whose counts cannot be read
 * keeps its estimate.  Returns how many were read.
 */
static size_t
cmd_common_subjects(struct jsapi *api, const struct plan *p,
    struct live *live)
{
	struct live_stream	*ls;
	struct diag		 d;
	cJSON			*req, *resp = NULL, *subj, *state;
	char			 suffix[512];
	size_t			 i, j, n = 0;

	if ((req = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req, "subjects_filter", ">") == NULL) {
		cJSON_Delete(req);
		return 0;
	}
	for (i = 0; i < p->n; i++) {
		if (!plan_wants_subjects(&p->actions[i]))
			continue;
		for (j = 0; j < live->nstreams; j++)
			if (strcmp(live->streams[j].name,
			    p->actions[i].stream) == 0)
				break;
		if (j == live->nstreams)
			continue;
		ls = &live->streams[j];
		snprintf(suffix, sizeof(suffix), "STREAM.INFO.%s", ls->name);
		diag_clear(&d);
		if (jsapi_request(api, suffix, req, &d, &resp) < 0)
			continue;
		subj = cJSON_DetachItemFromObjectCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(resp, "state"), "subjects");
		state = cJSON_GetObjectItemCaseSensitive(ls->info, "state");
		cJSON_Delete(resp);
		resp = NULL;
		if (!cJSON_IsObject(subj) || !cJSON_IsObject(state)) {
			cJSON_Delete(subj);
			continue;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(state, "subjects");
		if (!cJSON_AddItemToObject(state, "subjects", subj)) {
			cJSON_Delete(subj);
			continue;
		}
		n++;
	}
	cJSON_Delete(req);
	return n;
}

int
cmd_common_plan(struct cmd_args *a, struct jsapi *api,
    const struct spec_set *set, struct live **ret_live, struct plan **ret_plan)
{
	struct plan_opts	 po = { .prune = a->prune, .streams = a->streams,
				    .nstreams = a->nstreams };
	struct live		*live = NULL;
	struct plan		*p = NULL;
	struct plan_opts	 one = { .nstreams = 1 };
	struct diag		 d;
	size_t			 i, j;
	int			 r;

	diag_clear(&d);
	if ((r = live_load(api, set, a->prune, &d, &live)) < 0) {
		cmd_common_error("cannot read the server's streams", &d);
		r = cmd_common_exit_code(r);
		goto out;
	}
	/* A --stream pattern that selects nothing is a typo, not a no-op. */
	for (i = 0; i < a->nstreams; i++) {
		one.streams = &a->streams[i];
		for (j = 0; set != NULL && j < set->nstreams; j++)
			if (plan_selected(&one, set->streams[j].name))
				break;
		if (set != NULL && j < set->nstreams)
			continue;
		for (j = 0; a->prune && j < live->nstreams; j++)
			if (plan_selected(&one, live->streams[j].name))
				break;
		if (a->prune && j < live->nstreams)
			continue;
		fprintf(stderr, "%s: --stream '%s' matches no declared "
		    "stream%s\n", cmd_tool.prog, a->streams[i],
		    a->prune ? " and no stream on the server" : "");
		r = CMD_EXIT_USAGE;
		goto out;
	}
	if ((r = plan_build(set, live, &po, &d, &p)) == 0 &&
	    cmd_common_subjects(api, p, live) > 0) {
		plan_free(p);
		p = NULL;
		r = plan_build(set, live, &po, &d, &p);
	}
	if (r < 0) {
		cmd_common_error("cannot plan", &d);
		r = r == -ENOTSUP ? CMD_EXIT_USAGE : cmd_common_exit_code(r);
		goto out;
	}
	*ret_live = live;
	*ret_plan = p;
	live = NULL;
	p = NULL;
	r = CMD_EXIT_OK;
out:
	live_free(live);
	plan_free(p);
	return r;
}

/* Names may come from the server (prune): quoted, see diag_quote(). */
static const char *
cmd_common_object(const struct plan_action *x, char *buf, size_t len)
{
	char	q1[CMD_QUOTE_LEN], q2[CMD_QUOTE_LEN];

	if (x->object == PLAN_CONSUMER)
		snprintf(buf, len, "consumer '%s' on stream '%s'",
		    cmd_common_quote(x->consumer, q1), cmd_common_quote(
		    x->stream, q2));
	else if (bucket_kind_of(x->stream) != SPEC_STREAM)
		snprintf(buf, len, "stream '%s' (%s '%s')", cmd_common_quote(
		    x->stream, q1), bucket_kind_of(x->stream) == SPEC_KV ?
		    "key-value bucket" : "object store", cmd_common_quote(
		    x->stream + strlen(bucket_prefix(bucket_kind_of(
		    x->stream))), q2));
	else
		snprintf(buf, len, "stream '%s'", cmd_common_quote(x->stream,
		    q1));
	return buf;
}

/* Every attribute a create sends, with units. */
static void
cmd_common_print_config(const struct plan_action *x, FILE *f)
{
	const cJSON	*c;
	char		 v[256], q[CMD_QUOTE_LEN];

	cJSON_ArrayForEach(c, x->config) {
		if (c->string == NULL)
			continue;
		fprintf(f, "      %s: %s\n", cmd_common_quote(c->string, q),
		    cmd_common_value(x->object == PLAN_CONSUMER, c->string, c,
		    v, sizeof(v)));
	}
}

void
cmd_common_print_plan(const struct plan *p, const struct live *live, FILE *f)
{
	const struct plan_action	*x;
	const struct plan_field		*fl;
	char				 obj[1024], v1[256], v2[256];
	char				 loss[512], q[CMD_QUOTE_LEN];
	size_t				 i, j;
	bool				 cons;

	for (i = 0; i < p->n; i++) {
		x = &p->actions[i];
		cons = x->object == PLAN_CONSUMER;
		cmd_common_object(x, obj, sizeof(obj));
		switch (x->kind) {
		case PLAN_NOOP:
			continue;
		case PLAN_CREATE:
			fprintf(f, "  + %s will be created\n", obj);
			cmd_common_print_config(x, f);
			continue;
		case PLAN_DELETE:
			fprintf(f, "  - %s will be DELETED (--prune)\n", obj);
			if (plan_is_lossy(x))
				fprintf(f, "      ! data loss: %s\n",
				    plan_loss_text(x, loss, sizeof(loss)));
			continue;
		case PLAN_UPDATE:
			fprintf(f, "  ~ %s will be updated in place\n", obj);
			break;
		case PLAN_BLOCKED:
			/* As a whole: a protected delete (not
			 * declared), or a create the servers cannot
			 * hold (declared). */
			if (x->blocked != NULL) {
				fprintf(f, "  ! %s will NOT be %s "
				    "(blocked): %s\n", obj, x->loc.file !=
				    NULL ? "created" : "deleted",
				    x->blocked);
				continue;
			}
			fprintf(f, "  ! %s cannot be changed in place "
			    "(blocked)\n", obj);
			break;
		}
		for (j = 0; j < x->nfields; j++) {
			fl = &x->fields[j];
			fprintf(f, "      %s: %s -> %s\n",
			    cmd_common_quote(fl->key, q),
			    cmd_common_value(cons, fl->key, fl->live, v1,
			    sizeof(v1)),
			    cmd_common_value(cons, fl->key, fl->want, v2,
			    sizeof(v2)));
			if (fl->blocked != NULL)
				fprintf(f, "        blocked: %s\n", fl->blocked);
		}
		if (plan_is_lossy(x))
			fprintf(f, "      ! data loss: %s\n",
			    plan_loss_text(x, loss, sizeof(loss)));
	}
	fprintf(f, "Plan: %zu to create, %zu to update, %zu to delete, "
	    "%zu blocked, %zu unchanged.\n", p->counts[PLAN_CREATE],
	    p->counts[PLAN_UPDATE], p->counts[PLAN_DELETE],
	    p->counts[PLAN_BLOCKED], p->counts[PLAN_NOOP]);
	if (p->nlossy > 0)
		fprintf(f, "%zu change%s delete%s data: apply refuses %s "
		    "without --allow-data-loss.\n", p->nlossy,
		    p->nlossy == 1 ? "" : "s", p->nlossy == 1 ? "s" : "",
		    p->nlossy == 1 ? "it" : "them");
	if (p->nunowned == 0)
		return;
	fprintf(f, "--prune leaves %zu undeclared stream%s outside its scope "
	    "alone:", p->nunowned, p->nunowned == 1 ? "" : "s");
	for (i = 0; i < p->nunowned && i < 10; i++)
		fprintf(f, "%s '%s'", i == 0 ? "" : ",",
		    cmd_common_quote(p->unowned[i], q));
	fprintf(f, "%s.\n", p->nunowned > 10 ? ", ..." : "");
	fprintf(f, "(prune deletes a stream matching prune.scope in a spec, or, "
	    "without one, from\nnats-server 2.10 on one carrying the metadata "
	    "managed-by: nats-provision;\nKV_ and OBJ_ streams only when a "
	    "prune.scope pattern starts with KV_ or OBJ_.)\n");
}

int
cmd_common_open(const struct cli_cmd *e, int argc, char **argv,
    struct cmd_session *ret)
{
	int	r;

	memset(ret, 0, sizeof(*ret));
	if ((r = cmd_common_args(e, argc, argv, &ret->a)) >= 0)
		return r;
	return cmd_common_session(ret);
}

int
cmd_common_session(struct cmd_session *s)
{
	int	r;

	if ((r = cmd_common_load(&s->a, &s->set)) != CMD_EXIT_OK)
		return r;
	if ((r = cmd_common_connect(&s->a, &s->api)) != CMD_EXIT_OK)
		return r;
	if ((r = cmd_common_plan(&s->a, s->api, s->set, &s->live,
	    &s->plan)) != CMD_EXIT_OK)
		return r;
	return -1;
}

void
cmd_common_close(struct cmd_session *s)
{
	plan_free(s->plan);
	live_free(s->live);
	jsapi_free(s->api);
	spec_set_free(s->set);
	cmd_common_args_free(&s->a);
	memset(s, 0, sizeof(*s));
}
