/* SPDX-License-Identifier: MIT */
/*
 * conformance-main: the nats-conformance entry point.  Dispatches to a
 * subcommand; without one (or with options first) it runs the suite.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "jsapi.h"

int
cmd_connect_exit(int r)
{
	if (r == -EINVAL)
		return CMD_EXIT_USAGE;
	/* Connected, but the server's answers are late or unusable. */
	if (diag_exit_code(r) == CMD_EXIT_SERVER)
		return CMD_EXIT_SERVER;
	return CMD_EXIT_CONNECT;
}

/* The subcommands: one line each.  The first is the default. */
static const struct cmd *const main_cmds[] = {
	&cmd_run_entry,
	&cmd_list_entry,
	&cmd_bench_entry,
};

#define MAIN_NCMDS	(sizeof(main_cmds) / sizeof(main_cmds[0]))

static void
main_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: nats-conformance [COMMAND] [OPTIONS]\n\n"
	    "Proves against a live NATS server what the agents rely on.\n"
	    "Commands (default: run):\n");
	for (i = 0; i < MAIN_NCMDS; i++)
		fprintf(f, "  nats-conformance %s %s\n", main_cmds[i]->name,
		    main_cmds[i]->usage);
	fprintf(f, "\nRun 'nats-conformance run --help' for the options.\n");
}

/* A short lower-case word: safe to quote back. */
static bool
main_is_word(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz-");

	return n > 0 && n <= 16 && s[n] == '\0';
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	rc;

	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("nats-conformance %s (nats.c %s)\n", SUITE_VERSION,
		    jsapi_nats_version());
		return CMD_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "help") == 0) {
		main_usage(stdout);
		return CMD_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-') {
		rc = main_cmds[0]->run(argc, argv);
		jsapi_shutdown();
		return rc;
	}
	for (i = 0; i < MAIN_NCMDS; i++) {
		if (strcmp(argv[1], main_cmds[i]->name) == 0) {
			rc = main_cmds[i]->run(argc - 1, argv + 1);
			jsapi_shutdown();
			return rc;
		}
	}
	/* Quoted only when it looks like a command, never a secret. */
	if (main_is_word(argv[1]))
		fprintf(stderr, "nats-conformance: unknown command '%s'\n",
		    argv[1]);
	else
		fprintf(stderr, "nats-conformance: unknown command (not "
		    "shown: it is not a word)\n");
	main_usage(stderr);
	return CMD_EXIT_USAGE;
}
