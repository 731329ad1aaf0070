/* SPDX-License-Identifier: MIT */
/*
 * cli: the front-end kit that nats-provision and nats-conformance share:
 * the command table type, the one option parser (a tool's own options
 * merged with the connection flags of conn.h), dispatching argv[1] to a
 * command, loading specs with every problem reported, connecting with the
 * exit code mapped, and the exit-code table with its text.
 *
 * Unlike the library modules, this one prints and picks exit codes: only
 * front ends may, so it is built as a static library that only the two
 * programs link (provision/meson.build, cli_dep), never into libprovision.
 * Every function returns a process exit code (CLI_EXIT_*, diag.h), or -1
 * for "go on".  Nothing here ever quotes an argument's value: it may be a
 * secret (--password=..., or a secret that lost its option).
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conn.h"
#include "diag.h"
#include "jsapi.h"
#include "spec.h"

/* Exit codes, the same for every command of both tools (diag.h). */
enum {
	CLI_EXIT_OK = DIAG_EXIT_OK,
	CLI_EXIT_FAIL = DIAG_EXIT_FAIL,
	CLI_EXIT_USAGE = DIAG_EXIT_USAGE,
	CLI_EXIT_CONNECT = DIAG_EXIT_CONNECT,
	CLI_EXIT_BLOCKED = DIAG_EXIT_BLOCKED,
	CLI_EXIT_SERVER = DIAG_EXIT_SERVER,
	CLI_EXIT_PENDING = DIAG_EXIT_PENDING,
	CLI_EXIT_SIGNAL = 128,		/* 128 + N after signal N */
};

/* Which exit codes a --help text lists: CLI_EXITS_BIT(code) ORed. */
#define CLI_EXITS_BIT(code)	(1u << ((code) == CLI_EXIT_SIGNAL ? 7 : (code)))
#define CLI_EXITS_COMMON	(CLI_EXITS_BIT(0) | CLI_EXITS_BIT(1) | \
	CLI_EXITS_BIT(2) | CLI_EXITS_BIT(3) | CLI_EXITS_BIT(5))

/*
 * An option of a tool besides the connection flags.  help may hold '\n':
 * each further line is indented under the first.
 */
struct cli_option {
	const char	*name;		/* long name without "--"; NULL ends */
	const char	*arg;		/* the value's name ("FILE"), NULL: a
					   flag without one */
	const char	*help;		/* --help text; NULL: not listed */
	unsigned	 bit;		/* the commands whose flags hold it
					   take it */
	int		 key;		/* handed to the tool's handler */
	const char	*env;		/* NULL, or the environment variable
					   that gives the value when the flag
					   is not given (flags win, as for the
					   connection flags) */
};

/* Command flags beside the option bits (keep option bits below 1 << 24). */
#define CLI_F_CONNECT	(1u << 30)	/* takes the connection flags */
#define CLI_F_PATHS	(1u << 29)	/* takes PATH... (at least one) */

struct cli_cmd {
	const char	*name;
	const char	*usage;		/* after "PROG NAME " */
	const char	*summary;	/* what it does; the first line is its
					   line in the tool's --help */
	unsigned	 flags;		/* option bits, CLI_F_* */
	unsigned	 exits;		/* the codes its --help lists */
	int		(*run)(const struct cli_cmd *self, int argc,
			    char **argv);
};

struct cli_tool {
	const char			 *prog;		/* "nats-provision" */
	const char			 *synopsis;	/* after "usage: PROG " */
	const char			 *about;	/* --help paragraph */
	const struct cli_cmd *const	 *cmds;
	size_t				  ncmds;
	const struct cli_cmd		 *fallback;	/* runs when argv[1] is
							   absent or an option;
							   NULL: a usage error */
	unsigned			  exits;	/* the tool's --help */
	const struct cli_option		 *options;	/* NULL-name ended */
	/*
	 * Store one of the tool's options in ctx.  Returns 0, or a negative
	 * code with d saying why without quoting arg (a usage error).
	 */
	int	(*handle)(void *ctx, int key, const char *arg, struct diag *d);
	const char			 *nothing;	/* after spec problems:
							   "nothing was run" */
};

/*
 * Run the command argv[1] names (or tool->fallback), after --version and
 * help, and shut the NATS library down.  Returns the exit code for main.
 */
int	cli_main(const struct cli_tool *tool, int argc, char **argv);

/* The tool's --help (commands, exit codes) and a command's, to f. */
void	cli_tool_usage(const struct cli_tool *tool, FILE *f);
void	cli_usage(const struct cli_tool *tool, const struct cli_cmd *e,
	    FILE *f);

/* Print the exit codes in mask as "Exit codes: 0 ..., 1 ...\n" to f. */
void	cli_exits_print(unsigned mask, FILE *f);

/*
 * Parse argv (argv[0] is the command) for e: the tool's options go to
 * tool->handle(ctx), the connection flags to conn (which may be NULL
 * unless e takes them).  A tool option of e shadows a connection flag of
 * the same name.  An option with an env variable that was not given
 * takes a non-empty value from the environment, after the flags.
 * Returns -1 with *ret_args the positional arguments (in
 * argv), 0 after --help (usage on stdout), or CLI_EXIT_USAGE after a
 * misuse (reason and usage on stderr).
 */
int	cli_args(const struct cli_tool *tool, const struct cli_cmd *e,
	    int argc, char **argv, void *ctx, struct conn_opts *conn,
	    char ***ret_args, size_t *ret_nargs);

/* "PROG NAME: reason" and the usage of e, on stderr.  CLI_EXIT_USAGE. */
int	cli_misuse(const struct cli_tool *tool, const struct cli_cmd *e,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Load and validate paths, then run check (may be NULL) on what loaded,
 * printing every problem as "file:line:col: error: message" on stderr.
 * Returns CLI_EXIT_OK and *ret_set, or CLI_EXIT_USAGE.
 */
int	cli_load(const struct cli_tool *tool, char *const *paths,
	    size_t npaths, int (*check)(const struct spec_set *,
	    struct diag *), struct spec_set **ret_set);

/*
 * Finish conn (conn_opts_finish) and connect, printing why not; with
 * need_js also refuse a server without JetStream for the account.
 * Returns CLI_EXIT_OK and *ret_api, CLI_EXIT_USAGE (bad options),
 * CLI_EXIT_CONNECT, CLI_EXIT_SERVER or CLI_EXIT_FAIL (out of memory).
 */
int	cli_connect(const struct cli_tool *tool, struct conn_opts *conn,
	    bool need_js, struct jsapi **ret_api);

/* The exit code for a library error code (diag_exit_code()). */
int	cli_exit_code(int r);

/* "PROG: what: message" for d (with its location), on stderr. */
void	cli_error(const struct cli_tool *tool, const char *what,
	    const struct diag *d);

/*
 * A number from lo to hi, for an option's value.  Returns 0, or -EINVAL
 * with d saying "NAME: not a number from LO to HI".
 */
int	cli_number(const char *name, const char *arg, long lo, long hi,
	    struct diag *d, long *ret);

#endif
