/* SPDX-License-Identifier: MIT */
/*
 * cmd-export: write the live configuration as a spec on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "export.h"
#include "live.h"
#include "plan.h"

/*
 * The live stream names the --stream globs select, in the server's order.
 * Returns 0 and *ret (pointers into live; caller frees the array), -ENOENT
 * when a glob selects nothing (printed), -ENOMEM.
 */
static int
cmd_export_select(const struct cmd_args *a, const struct live *live,
    char ***ret, size_t *ret_n)
{
	struct plan_opts	  all = { .streams = a->streams,
				    .nstreams = a->nstreams };
	struct plan_opts	  one = { .nstreams = 1 };
	char			**v;
	size_t			  i, j, n = 0;

	for (i = 0; i < a->nstreams; i++) {
		one.streams = &a->streams[i];
		for (j = 0; j < live->nstreams; j++)
			if (plan_selected(&one, live->streams[j].name))
				break;
		if (j == live->nstreams) {
			fprintf(stderr, "%s export: --stream '%s' matches no "
			    "stream on the server\n", cmd_tool.prog,
			    a->streams[i]);
			return -ENOENT;
		}
	}
	if ((v = calloc(live->nstreams + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (j = 0; j < live->nstreams; j++)
		if (plan_selected(&all, live->streams[j].name))
			v[n++] = (char *)live->streams[j].name;
	*ret = v;
	*ret_n = n;
	return 0;
}

static int
cmd_export_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_args	 a;
	struct jsapi	*api = NULL;
	struct live	*live = NULL;
	struct diag	 d;
	char		*yaml = NULL, **names = NULL;
	size_t		 nnames = 0;
	int		 r;

	if ((r = cmd_common_args(self, argc, argv, &a)) >= 0)
		goto out;
	if ((r = cmd_common_connect(&a, &api)) != CMD_EXIT_OK)
		goto out;
	diag_clear(&d);
	if ((r = live_load(api, NULL, true, &d, &live)) < 0) {
		cmd_common_error("cannot read the server's streams", &d);
		r = cmd_common_exit_code(r);
		goto out;
	}
	if (a.nstreams > 0 &&
	    (r = cmd_export_select(&a, live, &names, &nnames)) < 0) {
		if (r == -ENOMEM)
			fprintf(stderr, "%s export: out of memory\n",
			    cmd_tool.prog);
		r = r == -ENOENT ? CMD_EXIT_USAGE : CMD_EXIT_DRIFT;
		goto out;
	}
	if ((r = export_yaml(live, names, nnames, &d, &yaml)) < 0) {
		cmd_common_error("cannot export", &d);
		r = r == -ENOENT ? CMD_EXIT_USAGE : cmd_common_exit_code(r);
		goto out;
	}
	fputs(yaml, stdout);
	r = CMD_EXIT_OK;
out:
	free(names);
	free(yaml);
	live_free(live);
	jsapi_free(api);
	cmd_common_args_free(&a);
	return r;
}

const struct cli_cmd cmd_export_entry = {
	.name = "export",
	.usage = "[--stream NAME]... [CONNECTION FLAGS]",
	.summary = "Write the live streams and consumers as a spec (YAML) on "
	    "stdout.",
	.flags = CMD_F_CONNECT | CMD_F_STREAM,
	.exits = CMD_EXITS,
	.run = cmd_export_run,
};
