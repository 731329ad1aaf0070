/* SPDX-License-Identifier: MIT */
/*
 * cmd-apply: make the server match the specs, or carry out a saved plan
 * while the server still matches it.  Refuses the whole plan when
 * any change is blocked, or would delete messages without
 * --allow-data-loss, so nothing is ever half-applied by design; a prune
 * typed at a terminal asks first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "cmd.h"
#include "jint.h"
#include "live.h"
#include "plan.h"

static const char *const cmd_apply_done[] = {
	[PLAN_NOOP] = "unchanged",
	[PLAN_CREATE] = "created",
	[PLAN_UPDATE] = "updated",
	[PLAN_BLOCKED] = "blocked",
	[PLAN_DELETE] = "deleted",
};

/* Progress goes to a terminal only: logs and CI get the final list. */
static void
cmd_apply_progress(const struct plan_action *x, size_t i, size_t total,
    void *arg)
{
	char	q[CMD_QUOTE_LEN];

	if (total >= 20)
		fprintf(stderr, "\r[%zu/%zu] %s %s", i + 1, total,
		    plan_kind_name(x->kind), cmd_common_quote(x->stream, q));
	if (i + 1 == total && total >= 20)
		fprintf(stderr, "\r\033[K");
}

/*
 * Ask before a prune when a person is at the terminal: true when they
 * typed "yes".
 */
static bool
cmd_apply_confirm(const struct plan *p)
{
	char	line[64];

	fprintf(stderr, "%zu undeclared object%s will be DELETED (see above). "
	    "Type 'yes' to go on: ", p->counts[PLAN_DELETE],
	    p->counts[PLAN_DELETE] == 1 ? "" : "s");
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0;
}

/*
 * The saved plan in path, or NULL when path is not one (a spec file or a
 * directory).  A saved plan is a JSON object with CMD_PLAN_FORMAT.
 */
static cJSON *
cmd_apply_saved_plan(const char *path)
{
	struct stat	 st;
	cJSON		*j = NULL;
	char		*buf = NULL;
	size_t		 n;
	FILE		*f;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size <= 0 || st.st_size > CMD_PLAN_FILE_MAX ||
	    (f = fopen(path, "r")) == NULL)
		return NULL;
	if ((buf = malloc((size_t)st.st_size + 1)) != NULL) {
		n = fread(buf, 1, (size_t)st.st_size, f);
		buf[n] = '\0';
		/* exact integers: a saved 1y must apply as 1y (jint.h) */
		if (buf[strspn(buf, " \t\r\n")] == '{' &&
		    jint_parse(buf, n, &j) < 0)
			j = NULL;
	}
	fclose(f);
	free(buf);
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j,
	    CMD_PLAN_FORMAT))) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

/*
 * Open a session from a saved plan instead of specs: the plan as saved,
 * after checking that the server is the one it was made for and still
 * matches its fingerprint.  Returns -1 to go on, or an exit code.
 */
static int
cmd_apply_open_saved(struct cmd_session *ss, const cJSON *saved)
{
	const struct jsapi_server	*srv;
	const cJSON			*id;
	cJSON				*fp = NULL;
	struct diag			 d;
	char				 q1[CMD_QUOTE_LEN], q2[CMD_QUOTE_LEN];
	int				 r;

	if (cJSON_GetObjectItemCaseSensitive(saved, CMD_PLAN_FORMAT)->
	    valuedouble != 1) {
		fprintf(stderr, "%s apply: '%s': a saved plan of an unknown "
		    "format version\n", cmd_tool.prog, ss->a.paths[0]);
		return CMD_EXIT_USAGE;
	}
	if (ss->a.prune || ss->a.nstreams > 0) {
		fprintf(stderr, "%s apply: '%s' is a saved plan: it carries "
		    "its own --prune and --stream\n", cmd_tool.prog,
		    ss->a.paths[0]);
		return CMD_EXIT_USAGE;
	}
	diag_clear(&d);
	if (plan_from_json(cJSON_GetObjectItemCaseSensitive(saved, "plan"),
	    &d, &ss->plan) < 0) {
		fprintf(stderr, "%s apply: '%s': not a usable saved plan: %s\n",
		    cmd_tool.prog, ss->a.paths[0], d.msg);
		return d.code == -ENOMEM ? CMD_EXIT_DRIFT : CMD_EXIT_USAGE;
	}
	if ((r = cmd_common_connect(&ss->a, &ss->api)) != CMD_EXIT_OK)
		return r;
	srv = jsapi_server(ss->api);
	id = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    saved, "server"), "id");
	if (!cJSON_IsString(id) || strcmp(id->valuestring, srv->id) != 0) {
		fprintf(stderr, "%s apply: refused: the saved plan was made for "
		    "another server (id '%s', this is '%s'); nothing was "
		    "changed\n", cmd_tool.prog, cmd_common_quote(
		    cJSON_IsString(id) ? id->valuestring : "?", q1),
		    cmd_common_quote(srv->id, q2));
		return CMD_EXIT_BLOCKED;
	}
	if ((r = live_load(ss->api, NULL, true, &d, &ss->live)) < 0) {
		cmd_common_error("cannot read the server's streams", &d);
		return cmd_common_exit_code(r);
	}
	if (plan_fingerprint(ss->live, ss->plan, &fp) < 0) {
		fprintf(stderr, "%s apply: out of memory\n", cmd_tool.prog);
		return CMD_EXIT_DRIFT;
	}
	r = plan_fingerprint_check(cJSON_GetObjectItemCaseSensitive(saved,
	    "fingerprint"), fp, &d);
	cJSON_Delete(fp);
	if (r == -EINVAL) {
		fprintf(stderr, "%s apply: '%s': not a usable saved plan: %s\n",
		    cmd_tool.prog, ss->a.paths[0], d.msg);
		return CMD_EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "%s apply: refused: %s; nothing was changed\n",
		    cmd_tool.prog, d.msg);
		return CMD_EXIT_BLOCKED;
	}
	return -1;
}

static int
cmd_apply_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct apply_result		 res = { 0 };
	struct apply_opts		 opts = { 0 };
	const struct plan_action	*x;
	struct cmd_session		 ss;
	struct plan			*p;
	struct diag			 d;
	cJSON				*saved = NULL;
	size_t				 i, upto;
	char				 q1[CMD_QUOTE_LEN], q2[CMD_QUOTE_LEN];
	int				 r;

	memset(&ss, 0, sizeof(ss));
	if ((r = cmd_common_args(self, argc, argv, &ss.a)) >= 0)
		goto out;
	if (ss.a.npaths == 1 &&
	    (saved = cmd_apply_saved_plan(ss.a.paths[0])) != NULL)
		r = cmd_apply_open_saved(&ss, saved);
	else
		r = cmd_common_session(&ss);
	if (r >= 0)
		goto out;
	p = ss.plan;
	r = CMD_EXIT_OK;
	if (plan_is_empty(p)) {
		printf("No changes: '%s' matches the specs (%zu unchanged).\n",
		    cmd_common_url(&ss.a), p->counts[PLAN_NOOP]);
		goto out;
	}
	if (p->counts[PLAN_BLOCKED] > 0) {
		cmd_common_print_plan(p, ss.live, stderr);
		fprintf(stderr, "%s apply: refused: %zu change%s blocked (cannot "
		    "be made in place, or protected); nothing was changed\n",
		    cmd_tool.prog, p->counts[PLAN_BLOCKED],
		    p->counts[PLAN_BLOCKED] == 1 ? " is" : "s are");
		r = CMD_EXIT_BLOCKED;
		goto out;
	}
	if (p->nlossy > 0 && !ss.a.allow_data_loss) {
		cmd_common_print_plan(p, ss.live, stderr);
		fprintf(stderr, "%s apply: refused: %zu change%s would delete "
		    "data; --allow-data-loss allows %s; nothing was changed\n",
		    cmd_tool.prog, p->nlossy, p->nlossy == 1 ? "" : "s",
		    p->nlossy == 1 ? "it" : "them");
		r = CMD_EXIT_BLOCKED;
		goto out;
	}
	if (p->counts[PLAN_DELETE] > 0 && !ss.a.yes && isatty(STDIN_FILENO)) {
		cmd_common_print_plan(p, ss.live, stderr);
		if (!cmd_apply_confirm(p)) {
			fprintf(stderr, "%s apply: prune not confirmed; nothing "
			    "was changed\n", cmd_tool.prog);
			r = CMD_EXIT_BLOCKED;
			goto out;
		}
	}
	opts.allow_data_loss = ss.a.allow_data_loss;
	diag_clear(&d);
	r = apply_plan(ss.api, p, &opts, isatty(STDERR_FILENO) ?
	    cmd_apply_progress : NULL, NULL, &d, &res);
	upto = r < 0 ? res.failed_index : p->n;
	for (i = 0; i < upto; i++) {
		x = &p->actions[i];
		if (x->kind == PLAN_NOOP)
			continue;
		if (x->object == PLAN_CONSUMER)
			printf("%s consumer '%s' on stream '%s'\n",
			    cmd_apply_done[x->kind], cmd_common_quote(
			    x->consumer, q1), cmd_common_quote(x->stream, q2));
		else
			printf("%s stream '%s'\n", cmd_apply_done[x->kind],
			    cmd_common_quote(x->stream, q1));
	}
	if (r < 0) {
		cmd_common_error("apply failed", &d);
		fprintf(stderr, "%s apply: %zu change%s made before the "
		    "failure; run plan to see what remains\n",
		    cmd_tool.prog, res.done, res.done == 1 ? "" : "s");
		r = cmd_common_exit_code(r);
		goto out;
	}
	printf("Apply complete: %zu created, %zu updated, %zu deleted, %zu "
	    "unchanged.\n", p->counts[PLAN_CREATE], p->counts[PLAN_UPDATE],
	    p->counts[PLAN_DELETE], p->counts[PLAN_NOOP]);
	r = CMD_EXIT_OK;
out:
	cJSON_Delete(saved);
	cmd_common_close(&ss);
	return r;
}

const struct cli_cmd cmd_apply_entry = {
	.name = "apply",
	.usage = "[--prune] [--stream NAME]... [--allow-data-loss] [--yes] "
	    "[CONNECTION FLAGS] PATH...|PLANFILE",
	.summary = "Make the server match the specs; refuses everything if any "
	    "change is blocked or would delete data.",
	.flags = CMD_F_PATHS | CMD_F_CONNECT | CMD_F_PRUNE | CMD_F_APPLY |
	    CMD_F_STREAM,
	.exits = CMD_EXITS,
	.run = cmd_apply_run,
};
