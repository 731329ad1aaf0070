/* SPDX-License-Identifier: MIT */
/*
 * cmd-plan: show what apply would change, without changing anything.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cmd.h"
#include "live.h"
#include "plan.h"

static int
cmd_plan_run(const struct cmd_entry *self, int argc, char **argv)
{
	struct cmd_session	 ss;
	struct plan		*p;
	cJSON			*j = NULL;
	char			*s = NULL;
	int			 r;

	if ((r = cmd_common_open(self, argc, argv, &ss)) >= 0)
		goto out;
	p = ss.plan;
	if (ss.a.json) {
		if (plan_to_json(p, &j) < 0 ||
		    (s = cJSON_Print(j)) == NULL) {
			fprintf(stderr, "%s plan: out of memory\n",
			    cmd_common_prog);
			r = CMD_EXIT_DRIFT;
			goto out;
		}
		printf("%s\n", s);
	} else {
		printf("Plan for '%s' (nats-server %s):\n",
		    cmd_common_url(&ss.a), jsapi_server(ss.api)->version);
		cmd_common_print_plan(p, ss.live, stdout);
		if (p->counts[PLAN_BLOCKED] > 0)
			printf("apply would refuse this plan: %zu blocked "
			    "change%s.\n", p->counts[PLAN_BLOCKED],
			    p->counts[PLAN_BLOCKED] == 1 ? "" : "s");
	}
	r = CMD_EXIT_OK;
out:
	cJSON_free(s);
	cJSON_Delete(j);
	cmd_common_close(&ss);
	return r;
}

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.usage = "[--prune] [--json] [CONNECTION FLAGS] PATH...",
	.summary = "Show the changes apply would make: create, update "
	    "(live -> declared), blocked, delete.",
	.flags = CMD_F_PATHS | CMD_F_CONNECT | CMD_F_JSON | CMD_F_PRUNE,
	.run = cmd_plan_run,
};
