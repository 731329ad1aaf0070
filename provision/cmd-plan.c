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
	struct cmd_args	 a;
	struct spec_set	*set = NULL;
	struct jsapi	*api = NULL;
	struct live	*live = NULL;
	struct plan	*p = NULL;
	cJSON		*j = NULL;
	char		*s = NULL;
	int		 r;

	if ((r = cmd_common_args(self, argc, argv, &a)) >= 0)
		goto out;
	if ((r = cmd_common_load(&a, &set)) != CMD_EXIT_OK)
		goto out;
	if ((r = cmd_common_connect(&a, &api)) != CMD_EXIT_OK)
		goto out;
	if ((r = cmd_common_plan(&a, api, set, &live, &p)) != CMD_EXIT_OK)
		goto out;
	if (a.json) {
		if (plan_to_json(p, &j) < 0 ||
		    (s = cJSON_Print(j)) == NULL) {
			fprintf(stderr, "%s plan: out of memory\n",
			    cmd_common_prog);
			r = CMD_EXIT_DRIFT;
			goto out;
		}
		printf("%s\n", s);
	} else {
		printf("Plan for '%s' (nats-server %s):\n", cmd_common_url(&a),
		    jsapi_server(api)->version);
		cmd_common_print_plan(p, live, stdout);
		if (p->counts[PLAN_BLOCKED] > 0)
			printf("apply would refuse this plan: %zu blocked "
			    "change%s.\n", p->counts[PLAN_BLOCKED],
			    p->counts[PLAN_BLOCKED] == 1 ? "" : "s");
	}
	r = CMD_EXIT_OK;
out:
	cJSON_free(s);
	cJSON_Delete(j);
	plan_free(p);
	live_free(live);
	jsapi_free(api);
	spec_set_free(set);
	cmd_common_args_free(&a);
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
