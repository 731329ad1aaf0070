/* SPDX-License-Identifier: MIT */
/*
 * cmd-plan: show what apply would change, without changing anything;
 * optionally save it for a later 'apply FILE'.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd.h"
#include "jint.h"
#include "live.h"
#include "plan.h"

/* Write the saved plan file (format in cmd.h). */
static int
cmd_plan_save(const struct cmd_session *ss, const char *path)
{
	const struct jsapi_server	*srv = jsapi_server(ss->api);
	cJSON				*o = NULL, *j = NULL, *fp = NULL, *sv;
	char				*s = NULL;
	FILE				*f = NULL;
	int				 r = -ENOMEM;

	if ((o = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(o, CMD_PLAN_FORMAT, 1) == NULL ||
	    (sv = cJSON_AddObjectToObject(o, "server")) == NULL ||
	    cJSON_AddStringToObject(sv, "id", srv->id) == NULL ||
	    cJSON_AddStringToObject(sv, "name", srv->name) == NULL ||
	    cJSON_AddStringToObject(sv, "version", srv->version) == NULL ||
	    plan_fingerprint(ss->live, ss->plan, &fp) < 0)
		goto out;
	cJSON_AddItemToObject(o, "fingerprint", fp);
	fp = NULL;
	if (plan_to_json(ss->plan, &j) < 0)
		goto out;
	cJSON_AddItemToObject(o, "plan", j);
	j = NULL;
	if ((s = jint_print(o, true)) == NULL)
		goto out;
	if ((f = fopen(path, "w")) == NULL ||
	    fputs(s, f) == EOF || fputc('\n', f) == EOF) {
		r = -errno;
		goto out;
	}
	r = fclose(f) == 0 ? 0 : -errno;
	f = NULL;
out:
	if (f != NULL)
		fclose(f);
	cJSON_free(s);
	cJSON_Delete(fp);
	cJSON_Delete(j);
	cJSON_Delete(o);
	return r;
}

static int
cmd_plan_run(const struct cli_cmd *self, int argc, char **argv)
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
		    (s = jint_print(j, true)) == NULL) {
			fprintf(stderr, "%s plan: out of memory\n",
			    cmd_tool.prog);
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
	if (ss.a.out != NULL) {
		if ((r = cmd_plan_save(&ss, ss.a.out)) < 0) {
			fprintf(stderr, "%s plan: cannot write '%s': %s\n",
			    cmd_tool.prog, ss.a.out, strerror(-r));
			r = CMD_EXIT_DRIFT;
			goto out;
		}
		if (!ss.a.json)
			printf("Saved the plan to '%s': 'nats-provision apply "
			    "%s' carries it out while the server still matches."
			    "\n", ss.a.out, ss.a.out);
	}
	r = ss.a.detailed && !plan_is_empty(p) ? CMD_EXIT_PENDING :
	    CMD_EXIT_OK;
out:
	cJSON_free(s);
	cJSON_Delete(j);
	cmd_common_close(&ss);
	return r;
}

const struct cli_cmd cmd_plan_entry = {
	.name = "plan",
	.usage = "[--prune] [--json] [--stream NAME]... [--out FILE] "
	    "[--detailed-exitcode] [CONNECTION FLAGS] PATH...",
	.summary = "Show the changes apply would make: create, update "
	    "(live -> declared), blocked, delete.",
	.flags = CMD_F_PATHS | CMD_F_CONNECT | CMD_F_JSON | CMD_F_PRUNE |
	    CMD_F_STREAM | CMD_F_PLANOUT,
	.exits = CMD_EXITS | CLI_EXITS_BIT(CLI_EXIT_PENDING),
	.run = cmd_plan_run,
};
