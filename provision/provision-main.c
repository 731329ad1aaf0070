/* SPDX-License-Identifier: MIT */
/*
 * nats-provision: reconcile declared JetStream streams and consumers
 * against a live nats-server.  This file only dispatches to the
 * subcommands in cmd-*.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "jsapi.h"

static const struct cmd_entry *const provision_cmds[] = {
	&cmd_validate_entry,
	&cmd_plan_entry,
	&cmd_apply_entry,
	&cmd_check_entry,
	&cmd_export_entry,
	&cmd_status_entry,
};
#define NCMDS (sizeof(provision_cmds) / sizeof(provision_cmds[0]))

static void
provision_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: nats-provision COMMAND [OPTIONS] [PATH...]\n\n"
	    "Reconcile declared JetStream streams and consumers (YAML specs) "
	    "against a\nlive nats-server, idempotently and without silent data "
	    "loss.\n\nCommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", provision_cmds[i]->name,
		    provision_cmds[i]->summary);
	fprintf(f, "\nRun 'nats-provision COMMAND --help' for its options.\n"
	    "Exit codes: 0 ok/in sync, 1 drift or a change failed, 2 usage or "
	    "invalid spec,\n3 cannot connect or authenticate, 4 apply refused "
	    "(blocked change, data loss,\ndeclined prune, stale saved plan),\n"
	    "5 no answer in time or a reply that cannot be used,\n"
	    "6 plan --detailed-exitcode: changes pending.\n");
}

/* A short lower-case word: safe to quote back. */
static bool
provision_is_word(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz-");

	return n > 0 && n <= 16 && s[n] == '\0';
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	r;

	if (argc < 2) {
		fprintf(stderr, "nats-provision: no command given\n");
		provision_usage(stderr);
		return CMD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		provision_usage(stdout);
		return CMD_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("nats-provision %s (nats.c %s)\n", SUITE_VERSION,
		    jsapi_nats_version());
		return CMD_EXIT_OK;
	}
	for (i = 0; i < NCMDS; i++) {
		if (strcmp(argv[1], provision_cmds[i]->name) == 0) {
			r = provision_cmds[i]->run(provision_cmds[i], argc - 1,
			    argv + 1);
			jsapi_shutdown();
			return r;
		}
	}
	/* Quoted only when it looks like a command, never a secret. */
	if (provision_is_word(argv[1]))
		fprintf(stderr, "nats-provision: unknown command '%s'\n",
		    argv[1]);
	else if (argv[1][0] == '-')
		fprintf(stderr, "nats-provision: options go after the command: "
		    "nats-provision COMMAND [OPTIONS]\n");
	else
		fprintf(stderr, "nats-provision: unknown command (not shown: "
		    "it is not a word)\n");
	provision_usage(stderr);
	return CMD_EXIT_USAGE;
}
