/* SPDX-License-Identifier: MIT */
/*
 * cmd-list: "nats-conformance list", every check id with one line saying
 * what it proves, group by group in run order.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"
#include "conn.h"

static const char cmd_list_usage[] = "[--filter GLOB]...";

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
cmd_list_run(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "filter",	required_argument,	NULL,	'f' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 },
	};
	char				*filters[64];
	size_t				 n = 0;
	char				 name[64];
	int				 c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (n == sizeof(filters) / sizeof(filters[0])) {
				fprintf(stderr, "nats-conformance: --filter: "
				    "more than 64 given\n");
				return CMD_EXIT_USAGE;
			}
			filters[n++] = optarg;
			break;
		case 'h':
			printf("usage: nats-conformance list %s\n",
			    cmd_list_usage);
			return CMD_EXIT_OK;
		default:
			/* Named without its value, which may be a secret. */
			if (optopt != 0 && optopt < 0x100)
				snprintf(name, sizeof(name), "-%c", optopt);
			else
				conn_arg_name(argv[optind - 1], name,
				    sizeof(name));
			fprintf(stderr, "nats-conformance: list: unknown or "
			    "incomplete option '%s' (list takes only --filter)"
			    "\nusage: nats-conformance list %s\n", name,
			    cmd_list_usage);
			return CMD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nats-conformance: list: takes no arguments, "
		    "but %d %s given\nusage: nats-conformance list %s\n",
		    argc - optind, argc - optind == 1 ? "was" : "were",
		    cmd_list_usage);
		return CMD_EXIT_USAGE;
	}
	return cmd_list_print(filters, n);
}

const struct cmd cmd_list_entry = {
	"list",
	cmd_list_usage,
	cmd_list_run,
};
