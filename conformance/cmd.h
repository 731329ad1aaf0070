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

/* Exit codes (docs/conformance.md). */
enum {
	CMD_EXIT_OK = 0,	/* every check passed (skips allowed) */
	CMD_EXIT_FAIL = 1,	/* a check failed or errored */
	CMD_EXIT_USAGE = 2,	/* usage error or invalid spec */
	CMD_EXIT_CONNECT = 3,	/* cannot connect or authenticate */
};

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
