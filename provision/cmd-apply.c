/* SPDX-License-Identifier: MIT */
/*
 * cmd-apply: make the server match the specs.  Refuses the whole plan when
 * any change is blocked, or would delete messages without
 * --allow-data-loss, so nothing is ever half-applied by design; a prune
 * typed at a terminal asks first.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "cmd.h"
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

static int
cmd_apply_run(const struct cmd_entry *self, int argc, char **argv)
{
	struct apply_result		 res = { 0 };
	struct apply_opts		 opts = { 0 };
	const struct plan_action	*x;
	struct cmd_session		 ss;
	struct plan			*p;
	struct diag			 d;
	size_t				 i, upto;
	char				 q1[CMD_QUOTE_LEN], q2[CMD_QUOTE_LEN];
	int				 r;

	if ((r = cmd_common_open(self, argc, argv, &ss)) >= 0)
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
		    cmd_common_prog, p->counts[PLAN_BLOCKED],
		    p->counts[PLAN_BLOCKED] == 1 ? " is" : "s are");
		r = CMD_EXIT_BLOCKED;
		goto out;
	}
	if (p->nlossy > 0 && !ss.a.allow_data_loss) {
		cmd_common_print_plan(p, ss.live, stderr);
		fprintf(stderr, "%s apply: refused: %zu change%s would delete "
		    "data; --allow-data-loss allows %s; nothing was changed\n",
		    cmd_common_prog, p->nlossy, p->nlossy == 1 ? "" : "s",
		    p->nlossy == 1 ? "it" : "them");
		r = CMD_EXIT_BLOCKED;
		goto out;
	}
	if (p->counts[PLAN_DELETE] > 0 && !ss.a.yes && isatty(STDIN_FILENO)) {
		cmd_common_print_plan(p, ss.live, stderr);
		if (!cmd_apply_confirm(p)) {
			fprintf(stderr, "%s apply: prune not confirmed; nothing "
			    "was changed\n", cmd_common_prog);
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
		    cmd_common_prog, res.done, res.done == 1 ? "" : "s");
		r = cmd_common_exit_code(r);
		goto out;
	}
	printf("Apply complete: %zu created, %zu updated, %zu deleted, %zu "
	    "unchanged.\n", p->counts[PLAN_CREATE], p->counts[PLAN_UPDATE],
	    p->counts[PLAN_DELETE], p->counts[PLAN_NOOP]);
	r = CMD_EXIT_OK;
out:
	cmd_common_close(&ss);
	return r;
}

const struct cmd_entry cmd_apply_entry = {
	.name = "apply",
	.usage = "[--prune] [--allow-data-loss] [--yes] [CONNECTION FLAGS] "
	    "PATH...",
	.summary = "Make the server match the specs; refuses everything if any "
	    "change is blocked or would delete data.",
	.flags = CMD_F_PATHS | CMD_F_CONNECT | CMD_F_PRUNE | CMD_F_APPLY,
	.run = cmd_apply_run,
};
