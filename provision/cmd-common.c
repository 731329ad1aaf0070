/* SPDX-License-Identifier: MIT */
/*
 * cmd-common: what the nats-provision subcommands share: one option
 * parser, loading specs with every problem printed, connecting with the
 * reason printed, and the mapping from library codes to exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "jint.h"
#include "live.h"
#include "plan.h"
#include "reply.h"
#include "schema.h"
#include "units.h"
#include "validate.h"

const char *cmd_common_prog = "nats-provision";

enum {
	OPT_JSON = 0x2000,
	OPT_PRUNE,
	OPT_JUNIT,
	OPT_STREAM,
	OPT_ALLOW_DATA_LOSS,
	OPT_YES,
	OPT_OUT,
	OPT_DETAILED,
};

void
cmd_common_usage(const struct cmd_entry *e, FILE *f)
{
	fprintf(f, "usage: %s %s %s\n\n%s\n", cmd_common_prog, e->name,
	    e->usage, e->summary);
	if (e->flags & (CMD_F_JSON | CMD_F_PRUNE | CMD_F_JUNIT | CMD_F_STREAM |
	    CMD_F_APPLY | CMD_F_PLANOUT))
		fprintf(f, "\nOptions:\n");
	if (e->flags & CMD_F_PRUNE)
		fprintf(f, "  --prune            also delete streams and consumers "
		    "that are not declared,\n"
		    "                     within the prune scope only (see "
		    "nats-provision-spec(5))\n");
	if (e->flags & CMD_F_APPLY)
		fprintf(f, "  --allow-data-loss  carry out changes that delete "
		    "messages (lowered limits,\n"
		    "                     deleting streams with messages or "
		    "consumers with pending ones)\n"
		    "  --yes              prune without asking (apply asks only "
		    "when stdin is a terminal)\n");
	if (e->flags & CMD_F_JSON)
		fprintf(f, "  --json             machine-readable output\n");
	if (e->flags & CMD_F_JUNIT)
		fprintf(f, "  --junit FILE       also write a JUnit XML report\n");
	if (e->flags & CMD_F_STREAM)
		fprintf(f, "  --stream NAME      only the streams NAME matches (a "
		    "glob: * ? [...]);\n"
		    "                     repeatable\n");
	if (e->flags & CMD_F_PLANOUT)
		fprintf(f, "  --out FILE         also save the plan to FILE; "
		    "'apply FILE' carries it out\n"
		    "                     only while the server still matches "
		    "what the plan saw\n"
		    "  --detailed-exitcode  exit 6 when the plan holds changes "
		    "(0: none)\n");
	if (e->flags & CMD_F_CONNECT)
		fprintf(f, "\n%s", conn_usage);
	fprintf(f, "\nExit codes: 0 ok/in sync, 1 drift or a change failed, "
	    "2 usage or invalid spec,\n3 cannot connect or authenticate, "
	    "4 apply refused (blocked change, data loss,\ndeclined prune, "
	    "stale saved plan),\n5 no answer in time or a reply that cannot "
	    "be used%s.\n", e->flags & CMD_F_PLANOUT ?
	    ",\n6 changes pending (--detailed-exitcode)" : "");
}

static int cmd_common_misuse(const struct cmd_entry *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

static int
cmd_common_misuse(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s %s: ", cmd_common_prog, e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	cmd_common_usage(e, stderr);
	return CMD_EXIT_USAGE;
}

int
cmd_common_args(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_args *ret)
{
	static const struct option own[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "stream", required_argument, NULL, OPT_STREAM },
		{ "allow-data-loss", no_argument, NULL, OPT_ALLOW_DATA_LOSS },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "detailed-exitcode", no_argument, NULL, OPT_DETAILED },
	};
	struct option	 opts[64];
	struct diag	 d;
	size_t		 n = 0, i;
	char		**v, name[64];
	int		 c, r, li;

	memset(ret, 0, sizeof(*ret));
	conn_opts_init(&ret->conn);
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		opts[n++] = own[i];
	for (i = 0; conn_long_options[i].name != NULL && n < 63; i++)
		opts[n++] = conn_long_options[i];
	memset(&opts[n], 0, sizeof(opts[n]));

	optind = 1;
	opterr = 0;
	/*
	 * No message ever quotes an argument whole: "--password=SECRET" or
	 * the value after "--password" would put the secret on the screen.
	 * An option is named by its table entry, or by its text up to '='.
	 */
	for (;;) {
		li = -1;
		if ((c = getopt_long(argc, argv, "hs:", opts, &li)) == -1)
			break;
		switch (c) {
		case 'h':
			cmd_common_usage(e, stdout);
			return CMD_EXIT_OK;
		case OPT_JSON:
			if (!(e->flags & CMD_F_JSON))
				goto not_here;
			ret->json = true;
			continue;
		case OPT_PRUNE:
			if (!(e->flags & CMD_F_PRUNE))
				goto not_here;
			ret->prune = true;
			continue;
		case OPT_ALLOW_DATA_LOSS:
		case OPT_YES:
			if (!(e->flags & CMD_F_APPLY))
				goto not_here;
			if (c == OPT_YES)
				ret->yes = true;
			else
				ret->allow_data_loss = true;
			continue;
		case OPT_OUT:
		case OPT_DETAILED:
			if (!(e->flags & CMD_F_PLANOUT))
				goto not_here;
			if (c == OPT_OUT)
				ret->out = optarg;
			else
				ret->detailed = true;
			continue;
		case OPT_JUNIT:
			if (!(e->flags & CMD_F_JUNIT))
				goto not_here;
			ret->junit = optarg;
			continue;
		case OPT_STREAM:
			if (!(e->flags & CMD_F_STREAM))
				goto not_here;
			v = realloc(ret->streams,
			    (ret->nstreams + 1) * sizeof(*v));
			if (v == NULL)
				return cmd_common_misuse(e, "%s", strerror(ENOMEM));
			ret->streams = v;
			ret->streams[ret->nstreams++] = optarg;
			continue;
		case '?':
		case ':':
			if (optopt != 0 && optopt < 0x100)
				return cmd_common_misuse(e, "bad option '-%c'",
				    optopt);
			return cmd_common_misuse(e, "bad option '%s'%s",
			    conn_arg_name(argv[optind - 1], name, sizeof(name)),
			    c == ':' ? ": it needs a value" :
			    strchr(argv[optind - 1], '=') != NULL ? ": unknown, "
			    "ambiguous, or it takes no value" : "");
		default:
			break;
		}
		if (!(e->flags & CMD_F_CONNECT))
			goto not_here;
		r = conn_opts_handle(&ret->conn, c, optarg, &d);
		if (r < 0)
			return cmd_common_misuse(e, "%s", d.msg);
		if (r == 0)
			goto not_here;
		continue;
not_here:
		if (li >= 0)
			snprintf(name, sizeof(name), "--%s", opts[li].name);
		else
			snprintf(name, sizeof(name), "-%c", c);
		return cmd_common_misuse(e, "option '%s' does not apply here",
		    name);
	}

	ret->paths = argv + optind;
	ret->npaths = (size_t)(argc - optind);
	if ((e->flags & CMD_F_PATHS) && ret->npaths == 0)
		return cmd_common_misuse(e, "%s", "no spec PATH given");
	/* Not quoted: it may be a secret that lost its option. */
	if (!(e->flags & CMD_F_PATHS) && ret->npaths > 0)
		return cmd_common_misuse(e, "takes no PATH, but %zu "
		    "argument%s given", ret->npaths, ret->npaths == 1 ?
		    " was" : "s were");
	return -1;
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
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	char			 buf[DIAG_MSG_MAX + DIAG_FILE_MAX + 64];
	size_t			 i;
	int			 r;

	r = validate_load(a->paths, a->npaths, NULL, &diags, &set);
	if (r == 0 && diags.n == 0) {
		*ret_set = set;
		set = NULL;
		goto out;
	}
	diag_list_sort(&diags);
	for (i = 0; i < diags.n; i++)
		fprintf(stderr, "%s\n", diag_format(&diags.items[i], buf,
		    sizeof(buf)));
	if (r == -ENOMEM)
		fprintf(stderr, "%s: out of memory\n", cmd_common_prog);
	fprintf(stderr, "%s: %zu problem%s found; nothing was sent to the "
	    "server\n", cmd_common_prog, diags.n, diags.n == 1 ? "" : "s");
	r = CMD_EXIT_USAGE;
out:
	spec_set_free(set);
	diag_list_free(&diags);
	return r == 0 ? CMD_EXIT_OK : r;
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
	char	buf[DIAG_MSG_MAX + DIAG_FILE_MAX + 64];

	fprintf(stderr, "%s: %s: %s\n", cmd_common_prog, what,
	    diag_format(d, buf, sizeof(buf)));
}

int
cmd_common_connect(struct cmd_args *a, struct jsapi **ret_api)
{
	struct jsapi	*api = NULL;
	struct diag	 d;
	int		 r;

	diag_clear(&d);
	if ((r = conn_opts_finish(&a->conn, &d)) < 0) {
		cmd_common_error("connection options", &d);
		return r == -ENOMEM ? CMD_EXIT_DRIFT : CMD_EXIT_USAGE;
	}
	r = jsapi_connect(&a->conn, &d, &api);
	if (r < 0) {
		/* jsapi's message already names the (redacted) server. */
		fprintf(stderr, "%s: %s\n", cmd_common_prog, d.msg);
		return cmd_common_exit_code(r);
	}
	if (!jsapi_server(api)->jetstream) {
		if (a->conn.js_domain != NULL || a->conn.js_api_prefix != NULL)
			fprintf(stderr, "%s: '%s': JetStream did not answer "
			    "under the domain or API prefix given (check "
			    "--js-domain or --js-api-prefix)\n",
			    cmd_common_prog, cmd_common_url(a));
		else
			fprintf(stderr, "%s: '%s': JetStream is not enabled "
			    "for this account on the server\n",
			    cmd_common_prog, cmd_common_url(a));
		jsapi_free(api);
		return CMD_EXIT_CONNECT;
	}
	*ret_api = api;
	return CMD_EXIT_OK;
}

int
cmd_common_exit_code(int r)
{
	return diag_exit_code(r);
}

const char *
cmd_common_value(bool consumer, const char *key, const cJSON *v, char *buf,
    size_t len)
{
	const struct schema_field	*t, *f;
	size_t				 nf;
	int64_t				 n;
	char				*s;

	if (v == NULL) {
		snprintf(buf, len, "%s", "(unset)");
		return buf;
	}
	t = consumer ? schema_consumer_fields(&nf) : schema_stream_fields(&nf);
	f = schema_find(t, nf, key);
	/* Only a whole number that fits int64_t has units. */
	if (f != NULL && (f->type == SCHEMA_SIZE || f->type ==
	    SCHEMA_DURATION) && reply_value_int(v, key, INT64_MIN, INT64_MAX,
	    "", NULL, &n) == 0)
		return f->type == SCHEMA_SIZE ? units_format_size(n, buf, len) :
		    units_format_duration(n, buf, len);
	if (cJSON_IsNumber(v) && v->valuedouble == -1)
		snprintf(buf, len, "%s", "unlimited");
	else if ((s = jint_print(v, false)) != NULL) {
		snprintf(buf, len, "%s", s);
		cJSON_free(s);
	} else
		snprintf(buf, len, "%s", "?");
	return buf;
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
		    "stream%s\n", cmd_common_prog, a->streams[i],
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
			if (x->blocked != NULL) {
				fprintf(f, "  ! %s will NOT be deleted "
				    "(blocked): %s\n", obj, x->blocked);
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
cmd_common_open(const struct cmd_entry *e, int argc, char **argv,
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
