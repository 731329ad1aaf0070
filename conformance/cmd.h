/* SPDX-License-Identifier: MIT */
/*
 * cmd: the nats-conformance subcommand table.  Each subcommand lives in
 * cmd-NAME.c and exports one struct cmd; conformance-main.c lists them.
 * A subcommand gets argv with its own name in argv[0] and returns the
 * process exit code; the subcommands and main are the only code that
 * prints.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

#include "diag.h"

/* Exit codes, the same in both tools (diag.h, docs/conformance.md). */
enum {
	CMD_EXIT_OK = DIAG_EXIT_OK,		/* every check passed */
	CMD_EXIT_FAIL = DIAG_EXIT_FAIL,		/* a check failed or errored */
	CMD_EXIT_USAGE = DIAG_EXIT_USAGE,	/* usage or invalid spec */
	CMD_EXIT_CONNECT = DIAG_EXIT_CONNECT,	/* cannot connect */
	CMD_EXIT_SERVER = DIAG_EXIT_SERVER,	/* no answer in time, or a
						   reply that cannot be used,
						   outside the checks */
};

/* The exit code after jsapi_connect() failed with r. */
int	cmd_connect_exit(int r);

struct cmd {
	const char	*name;
	const char	*usage;		/* after "nats-conformance NAME " */
	int		(*run)(int argc, char **argv);
};

extern const struct cmd cmd_run_entry;
extern const struct cmd cmd_list_entry;
extern const struct cmd cmd_bench_entry;

/* Print the checks whose ids match a filter (all when none): "run --list". */
int	cmd_list_print(char **filters, size_t nfilters);

#endif
