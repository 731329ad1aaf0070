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

static int
cmd_export_run(const struct cmd_entry *self, int argc, char **argv)
{
	struct cmd_args	 a;
	struct jsapi	*api = NULL;
	struct live	*live = NULL;
	struct diag	 d;
	char		*yaml = NULL;
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
	if ((r = export_yaml(live, a.streams, a.nstreams, &d, &yaml)) < 0) {
		cmd_common_error("cannot export", &d);
		r = r == -ENOENT ? CMD_EXIT_USAGE : cmd_common_exit_code(r);
		goto out;
	}
	fputs(yaml, stdout);
	r = CMD_EXIT_OK;
out:
	free(yaml);
	live_free(live);
	jsapi_free(api);
	cmd_common_args_free(&a);
	return r;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[--stream NAME]... [CONNECTION FLAGS]",
	.summary = "Write the live streams and consumers as a spec (YAML) on "
	    "stdout.",
	.flags = CMD_F_CONNECT | CMD_F_STREAM,
	.run = cmd_export_run,
};
