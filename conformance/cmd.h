/* SPDX-License-Identifier: MIT */
/*
 * cmd: the nats-conformance subcommands on the front-end kit both tools
 * share (cli.h).  Each subcommand lives in cmd-NAME.c and exports one
 * struct cli_cmd; conformance-main.c holds the tool's command and option
 * tables.  A subcommand gets argv with its own name (or the program's) in
 * argv[0] and returns the process exit code; the subcommands and the kit
 * are the only code that prints.
 */
#ifndef CMD_H
#define CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "runner.h"

/* Exit codes, the same in both tools (cli.h, docs/conformance.md). */
enum {
	CMD_EXIT_OK = CLI_EXIT_OK,		/* every check passed */
	CMD_EXIT_FAIL = CLI_EXIT_FAIL,		/* a check failed or errored */
	CMD_EXIT_USAGE = CLI_EXIT_USAGE,	/* usage or invalid spec */
	CMD_EXIT_CONNECT = CLI_EXIT_CONNECT,	/* cannot connect */
	CMD_EXIT_SERVER = CLI_EXIT_SERVER,	/* no answer in time, or a
						   reply that cannot be used,
						   outside the checks */
};

/* The options of nats-conformance: bits of cli_cmd.flags (cli.h). */
#define CMD_F_RUN	0x01	/* run's own options */
#define CMD_F_FILTER	0x02	/* --filter GLOB (repeatable) */
#define CMD_F_JUNIT	0x04	/* --junit FILE */
#define CMD_F_BENCH	0x08	/* bench's --count, --size */

/* The exit codes of the commands that connect. */
#define CMD_EXITS	(CLI_EXITS_COMMON | CLI_EXITS_BIT(CLI_EXIT_SIGNAL))

#define CMD_MAX_LIST	64	/* --filter, --specs given at most */

extern const struct cli_tool cmd_tool;	/* nats-conformance */

extern const struct cli_cmd cmd_run_entry;
extern const struct cli_cmd cmd_list_entry;
extern const struct cli_cmd cmd_bench_entry;

/* Every option of every subcommand; cmd_args() fills what e takes. */
struct cmd_args {
	struct conn_opts	 conn;
	struct runner_opts	 ro;		/* run: filters, target, ... */
	char			*filters[CMD_MAX_LIST];
	char			*specs[CMD_MAX_LIST];
	size_t			 nspecs;
	const char		*junit;
	const char		*json;		/* run --json FILE */
	bool			 list;		/* run --list */
	bool			 version;	/* run --version */
	long			 count;		/* bench --count */
	long			 size;		/* bench --size */
};

/*
 * Set the defaults and parse argv for e (cli_args()).  Returns -1 to go
 * on, or an exit code (after --help or a misuse).  Free with
 * cmd_args_free() in both cases.
 */
int	cmd_args(const struct cli_cmd *e, int argc, char **argv,
	    struct cmd_args *ret);
void	cmd_args_free(struct cmd_args *a);

/* Print the checks whose ids match a filter (all when none): "run --list". */
int	cmd_list_print(char **filters, size_t nfilters);

#endif
