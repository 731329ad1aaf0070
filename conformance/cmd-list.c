/* SPDX-License-Identifier: MIT */
/*
 * cmd-list: "nats-conformance list", every check id with one line saying
 * what it proves, group by group in run order.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"

int
cmd_list_print(char **filters, size_t nfilters)
{
	const struct check_group	*g;
	const struct check		*c;
	size_t				 i, j, k;
	bool				 ok;

	for (i = 0; i < catalog_ngroups; i++) {
		g = catalog_groups[i];
		for (j = 0; j < g->nchecks; j++) {
			c = &g->checks[j];
			ok = nfilters == 0;
			for (k = 0; k < nfilters && !ok; k++)
				ok = fnmatch(filters[k], c->id, 0) == 0;
			if (ok)
				printf("%-32s %s\n", c->id, c->summary);
		}
	}
	return CMD_EXIT_OK;
}

static int
cmd_list_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_args	a;
	int		rc;

	if ((rc = cmd_args(self, argc, argv, &a)) < 0)
		rc = cmd_list_print(a.filters, a.ro.nfilters);
	cmd_args_free(&a);
	return rc;
}

const struct cli_cmd cmd_list_entry = {
	.name = "list",
	.usage = "[--filter GLOB]...",
	.summary = "Print every check id with what it proves, group by group "
	    "in run order.",
	.flags = CMD_F_FILTER,
	.exits = CLI_EXITS_BIT(CLI_EXIT_OK) | CLI_EXITS_BIT(CLI_EXIT_USAGE),
	.run = cmd_list_run,
};
