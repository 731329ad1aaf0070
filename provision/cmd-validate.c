/* SPDX-License-Identifier: MIT */
/*
 * cmd-validate: offline checks of spec files; never connects.
 */
#include <stdio.h>

#include "cmd.h"

static int
cmd_validate_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_args	 a;
	struct spec_set	*set = NULL;
	size_t		 i, nconsumers = 0, nbuckets = 0, nstreams;
	char		 buckets[48] = "";
	int		 r;

	if ((r = cmd_common_args(self, argc, argv, &a)) >= 0)
		goto out;
	if ((r = cmd_common_load(&a, &set)) != CMD_EXIT_OK)
		goto out;
	for (i = 0; i < set->nstreams; i++) {
		nconsumers += set->streams[i].nconsumers;
		if (set->streams[i].kind != SPEC_STREAM)
			nbuckets++;
	}
	nstreams = set->nstreams - nbuckets;
	if (nbuckets > 0)
		snprintf(buckets, sizeof(buckets), ", %zu bucket%s", nbuckets,
		    nbuckets == 1 ? "" : "s");
	printf("%s: %zu stream%s%s and %zu consumer%s in %zu file%s: valid\n",
	    cmd_tool.prog, nstreams, nstreams == 1 ? "" : "s", buckets,
	    nconsumers, nconsumers == 1 ? "" : "s", set->nfiles,
	    set->nfiles == 1 ? "" : "s");
out:
	spec_set_free(set);
	cmd_common_args_free(&a);
	return r;
}

const struct cli_cmd cmd_validate_entry = {
	.name = "validate",
	.usage = "PATH...",
	.summary = "Check spec files offline: syntax, keys, types, units, "
	    "ranges, names, overlaps.",
	.flags = CMD_F_PATHS,
	.exits = CMD_EXITS,
	.run = cmd_validate_run,
};
